//! Named holidays whose day is known ("after Easter", "nach Ostern", "dopo l'Epifania") and
//! the seasons ("after the summer", "im Herbst").

#[allow(clippy::wildcard_imports)]
use super::*;

/// A holiday name: its words (folded; glued `-` and `'` between them are skipped), its day,
/// and, for names that are also common words or surnames, the words one of which must come
/// right before it.
pub(super) struct HolidayName {
    words: &'static [&'static str],
    feast: Feast,
    after: Option<&'static [&'static str]>,
}

pub(super) const fn fixed(words: &'static [&'static str], month: u32, day: u32) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::Fixed { month, day },
        after: None,
    }
}

pub(super) const fn moveable(words: &'static [&'static str], days_after_easter: i32) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::Easter(days_after_easter),
        after: None,
    }
}

pub(super) const fn nth_weekday(
    words: &'static [&'static str],
    month: u32,
    weekday: u32,
    nth: i8,
) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::NthWeekday { month, weekday, nth },
        after: None,
    }
}

pub(super) const fn weekday_from(
    words: &'static [&'static str],
    month: u32,
    day: u32,
    weekday: u32,
) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::WeekdayFrom { month, day, weekday },
        after: None,
    }
}

pub(super) const fn table(
    words: &'static [&'static str],
    days: &'static [&'static [(i32, u32, u32)]],
) -> HolidayName {
    table_offset(words, days, 0)
}

pub(super) const fn table_offset(
    words: &'static [&'static str],
    days: &'static [&'static [(i32, u32, u32)]],
    offset: i8,
) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::Table { days, offset },
        after: None,
    }
}

/// The Lunar New Year's first day (Chinese New Year, Tết, Seollal).
const LUNAR_NEW_YEAR: &[(i32, u32, u32)] = &[
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 3),
    (2031, 1, 23),
    (2032, 2, 11),
    (2033, 1, 31),
    (2034, 2, 19),
    (2035, 2, 8),
];

/// The Dragon Boat Festival (端午): the 5th day of the 5th lunar month.
const DRAGON_BOAT: &[(i32, u32, u32)] = &[
    (2018, 6, 18),
    (2019, 6, 7),
    (2020, 6, 25),
    (2021, 6, 14),
    (2022, 6, 3),
    (2023, 6, 22),
    (2024, 6, 10),
    (2025, 5, 31),
    (2026, 6, 19),
    (2027, 6, 9),
    (2028, 5, 28),
    (2029, 6, 16),
    (2030, 6, 5),
];

/// The Mid-Autumn Festival (Chuseok in Korea): the 15th day of the 8th lunar month.
const MID_AUTUMN: &[(i32, u32, u32)] = &[
    (2018, 9, 24),
    (2019, 9, 13),
    (2020, 10, 1),
    (2021, 9, 21),
    (2022, 9, 10),
    (2023, 9, 29),
    (2024, 9, 17),
    (2025, 10, 6),
    (2026, 9, 25),
    (2027, 9, 15),
    (2028, 10, 3),
    (2029, 9, 22),
    (2030, 9, 12),
];

/// Diwali (the day of Lakshmi Puja, as India's holiday lists give it).
const DIWALI: &[(i32, u32, u32)] = &[
    (2018, 11, 7),
    (2019, 10, 27),
    (2020, 11, 14),
    (2021, 11, 4),
    (2022, 10, 24),
    (2023, 11, 12),
    (2024, 11, 1),
    (2025, 10, 21),
    (2026, 11, 8),
    (2027, 10, 29),
    (2028, 10, 17),
    (2029, 11, 5),
    (2030, 10, 26),
];

/// Eid al-Fitr, the feast that ends Ramadan.
const EID_AL_FITR: &[(i32, u32, u32)] = &[
    (2018, 6, 15),
    (2019, 6, 4),
    (2020, 5, 24),
    (2021, 5, 13),
    (2022, 5, 2),
    (2023, 4, 21),
    (2024, 4, 10),
    (2025, 3, 30),
    (2026, 3, 20),
    (2027, 3, 10),
    (2028, 2, 27),
    (2029, 2, 15),
    (2030, 2, 5),
];

/// Eid al-Adha (Tabaski, Kurban Bayramı, Bakrid).
const EID_AL_ADHA: &[(i32, u32, u32)] = &[
    (2018, 8, 21),
    (2019, 8, 11),
    (2020, 7, 31),
    (2021, 7, 20),
    (2022, 7, 9),
    (2023, 6, 28),
    (2024, 6, 16),
    (2025, 6, 6),
    (2026, 5, 27),
    (2027, 5, 16),
    (2028, 5, 5),
    (2029, 4, 24),
    (2030, 4, 13),
];

pub(super) const fn guarded(
    words: &'static [&'static str],
    month: u32,
    day: u32,
    after: &'static [&'static str],
) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::Fixed { month, day },
        after: Some(after),
    }
}

/// Named holidays of the seven languages whose day is known. "The holidays", "les fêtes",
/// "Weihnachtsferien" name no day and are not here.
pub(super) const HOLIDAYS: &[HolidayName] = &[
    // Easter Sunday and Monday.
    moveable(&["easter"], 0),
    moveable(&["ostern"], 0),
    moveable(&["paques"], 0),
    moveable(&["pascua"], 0),
    moveable(&["pasqua"], 0),
    moveable(&["pasen"], 0),
    moveable(&["wielkanoc"], 0),
    moveable(&["wielkanocy"], 0),
    moveable(&["pask"], 0),
    moveable(&["pasken"], 0),
    moveable(&["paske"], 0),
    moveable(&["paasiainen"], 0),
    moveable(&["paasiaisen"], 0),
    moveable(&["paasiaisena"], 0),
    moveable(&["velikonoce"], 0),
    moveable(&["velikonocich"], 0),
    moveable(&["velikonocemi"], 0),
    moveable(&["pascoa"], 0),
    // Holy Week, by its last day, Easter Sunday: "cerrados por Semana Santa", "in der
    // Karwoche", "after Holy Week".
    moveable(&["semana", "santa"], 0),
    moveable(&["holy", "week"], 0),
    moveable(&["karwoche"], 0),
    moveable(&["settimana", "santa"], 0),
    moveable(&["semaine", "sainte"], 0),
    moveable(&["goede", "week"], 0),
    moveable(&["stille", "week"], 0),
    moveable(&["svaty", "tyden"], 0),
    moveable(&["wielki", "tydzien"], 0),
    // The days around Easter that close offices in some countries: Shrove Monday and
    // Tuesday of the carnival, Ash Wednesday, Maundy Thursday, Good Friday.
    moveable(&["rosenmontag"], -48),
    moveable(&["faschingsdienstag"], -47),
    moveable(&["fastnachtsdienstag"], -47),
    moveable(&["shrove", "tuesday"], -47),
    moveable(&["mardi", "gras"], -47),
    moveable(&["martes", "de", "carnaval"], -47),
    moveable(&["terca", "feira", "de", "carnaval"], -47),
    moveable(&["aschermittwoch"], -46),
    moveable(&["ash", "wednesday"], -46),
    moveable(&["mercredi", "des", "cendres"], -46),
    moveable(&["miercoles", "de", "ceniza"], -46),
    moveable(&["mercoledi", "delle", "ceneri"], -46),
    moveable(&["quarta", "feira", "de", "cinzas"], -46),
    moveable(&["quarta", "de", "cinzas"], -46),
    // Carnival itself, by its last day, Shrove Tuesday ("depois do carnaval", "nach
    // Fasching", "after carnival").
    moveable(&["carnaval"], -47),
    moveable(&["carnival"], -47),
    moveable(&["carnevale"], -47),
    moveable(&["karneval"], -47),
    moveable(&["fasching"], -47),
    moveable(&["fastnacht"], -47),
    moveable(&["karnawal"], -47),
    moveable(&["aswoensdag"], -46),
    moveable(&["popielec"], -46),
    moveable(&["maundy", "thursday"], -3),
    moveable(&["grundonnerstag"], -3),
    moveable(&["jueves", "santo"], -3),
    moveable(&["giovedi", "santo"], -3),
    moveable(&["skartorsdag"], -3),
    moveable(&["skjaertorsdag"], -3),
    moveable(&["good", "friday"], -2),
    moveable(&["karfreitag"], -2),
    moveable(&["vendredi", "saint"], -2),
    moveable(&["viernes", "santo"], -2),
    moveable(&["venerdi", "santo"], -2),
    moveable(&["goede", "vrijdag"], -2),
    moveable(&["sexta", "feira", "santa"], -2),
    moveable(&["wielki", "piatek"], -2),
    moveable(&["velky", "patek"], -2),
    moveable(&["langfredag"], -2),
    moveable(&["pitkaperjantai"], -2),
    moveable(&["easter", "monday"], 1),
    moveable(&["lunes", "de", "pascua"], 1),
    moveable(&["lunedi", "dell", "angelo"], 1),
    moveable(&["segunda", "feira", "de", "pascoa"], 1),
    moveable(&["poniedzialek", "wielkanocny"], 1),
    moveable(&["velikonocni", "pondeli"], 1),
    moveable(&["annandag", "pask"], 1),
    moveable(&["annen", "paskedag"], 1),
    moveable(&["anden", "paskedag"], 1),
    moveable(&["ostermontag"], 1),
    moveable(&["lundi", "de", "paques"], 1),
    moveable(&["pasquetta"], 1),
    moveable(&["paasmaandag"], 1),
    moveable(&["tweede", "paasdag"], 1),
    moveable(&["2", "e", "paasdag"], 1),
    moveable(&["2", "de", "paasdag"], 1),
    // Ascension, Pentecost, Whit Monday, Corpus Christi.
    moveable(&["ascension"], 39),
    moveable(&["christi", "himmelfahrt"], 39),
    moveable(&["himmelfahrt"], 39),
    moveable(&["ascensione"], 39),
    moveable(&["hemelvaart"], 39),
    moveable(&["hemelvaartsdag"], 39),
    moveable(&["ascensao"], 39),
    moveable(&["pentecost"], 49),
    moveable(&["whitsun"], 49),
    moveable(&["pfingsten"], 49),
    moveable(&["pentecote"], 49),
    moveable(&["pentecostes"], 49),
    moveable(&["pentecoste"], 49),
    moveable(&["pinksteren"], 49),
    moveable(&["whit", "monday"], 50),
    moveable(&["pfingstmontag"], 50),
    moveable(&["lundi", "de", "pentecote"], 50),
    moveable(&["pinkstermaandag"], 50),
    moveable(&["tweede", "pinksterdag"], 50),
    moveable(&["2", "e", "pinksterdag"], 50),
    moveable(&["2", "de", "pinksterdag"], 50),
    moveable(&["corpus", "christi"], 60),
    moveable(&["fronleichnam"], 60),
    moveable(&["fete", "dieu"], 60),
    moveable(&["corpus", "domini"], 60),
    moveable(&["sacramentsdag"], 60),
    moveable(&["corpo", "de", "deus"], 60),
    // Polish Boże Ciało in its cases ("po Bożym Ciele", "do Bożego Ciała"), Czech Boží tělo
    moveable(&["boze", "cialo"], 60),
    moveable(&["bozym", "ciele"], 60),
    moveable(&["bozego", "ciala"], 60),
    moveable(&["bozi", "telo"], 60),
    // Christmas Eve, Christmas, Boxing Day.
    // Midsummer: the Eve is the Friday from 19 June on in Sweden and Finland, the day itself
    // the Saturday; Norway and Denmark keep 23 June (Sankthansaften).
    weekday_from(&["midsommar"], 6, 19, 5),
    weekday_from(&["midsommarafton"], 6, 19, 5),
    weekday_from(&["midsommarhelgen"], 6, 19, 5),
    weekday_from(&["midsommardagen"], 6, 20, 6),
    // Poland's May long weekend (majówka, 1 to 3 May), read as its last day
    fixed(&["majowka"], 5, 3),
    fixed(&["majowce"], 5, 3),
    fixed(&["majowki"], 5, 3),
    fixed(&["majowke"], 5, 3),
    // Turkish "bayramdan sonra" (after the feast): the next of the two, Turkey's length
    table_offset(&["bayramdan"], &[EID_AL_FITR, EID_AL_ADHA], 2),
    // Finnish May Day (vappu: "vapun jälkeen", after it)
    fixed(&["vappu"], 5, 1),
    fixed(&["vapun"], 5, 1),
    fixed(&["vappuna"], 5, 1),
    fixed(&["vappuun"], 5, 1),
    weekday_from(&["juhannus"], 6, 19, 5),
    weekday_from(&["juhannusaatto"], 6, 19, 5),
    weekday_from(&["juhannuksen"], 6, 19, 5),
    weekday_from(&["juhannusta"], 6, 19, 5),
    weekday_from(&["juhannukseen"], 6, 19, 5),
    weekday_from(&["midsummer"], 6, 19, 5),
    fixed(&["sankthans"], 6, 23),
    fixed(&["sankthansaften"], 6, 23),
    fixed(&["christmas", "eve"], 12, 24),
    fixed(&["heiligabend"], 12, 24),
    fixed(&["nochebuena"], 12, 24),
    fixed(&["vigilia", "di", "natale"], 12, 24),
    fixed(&["christmas"], 12, 25),
    fixed(&["xmas"], 12, 25),
    fixed(&["weihnachten"], 12, 25),
    // Czech and Slovak Christmas, "po Vánocích", "po Vianociach"
    fixed(&["vanoce"], 12, 25),
    fixed(&["vanocich"], 12, 25),
    fixed(&["vianoce"], 12, 25),
    fixed(&["vianociach"], 12, 25),
    guarded(
        &["noel"],
        12,
        25,
        &["a", "apres", "avant", "d", "jusqu", "depuis", "pour", "vers"],
    ),
    fixed(&["navidad"], 12, 25),
    fixed(&["natale"], 12, 25),
    fixed(&["kerst"], 12, 25),
    fixed(&["kerstmis"], 12, 25),
    fixed(&["eerste", "kerstdag"], 12, 25),
    fixed(&["1", "e", "kerstdag"], 12, 25),
    fixed(&["1", "ste", "kerstdag"], 12, 25),
    guarded(
        &["natal"],
        12,
        25,
        &["o", "do", "no", "ate", "apos", "pelo", "ao"],
    ),
    fixed(&["boxing", "day"], 12, 26),
    fixed(&["stephanstag"], 12, 26),
    fixed(&["santo", "stefano"], 12, 26),
    fixed(&["tweede", "kerstdag"], 12, 26),
    fixed(&["2", "e", "kerstdag"], 12, 26),
    fixed(&["2", "de", "kerstdag"], 12, 26),
    // New Year's Eve and Day ("the new year" alone is the next year, see `word_expr`).
    fixed(&["new", "year", "s", "eve"], 12, 31),
    fixed(&["silvester"], 12, 31),
    // "zwischen den Jahren": the days from Christmas to New Year's Eve, whose end is the
    // day that counts; "tussen kerst en oud en nieuw" likewise.
    fixed(&["zwischen", "den", "jahren"], 12, 31),
    fixed(&["oud", "en", "nieuw"], 12, 31),
    fixed(&["saint", "sylvestre"], 12, 31),
    fixed(&["nochevieja"], 12, 31),
    fixed(&["san", "silvestro"], 12, 31),
    fixed(&["oudejaarsavond"], 12, 31),
    fixed(&["oudjaar"], 12, 31),
    fixed(&["reveillon"], 12, 31),
    fixed(&["new", "year", "s", "day"], 1, 1),
    fixed(&["new", "year", "s"], 1, 1),
    fixed(&["new", "years", "day"], 1, 1),
    fixed(&["new", "years"], 1, 1),
    fixed(&["neujahr"], 1, 1),
    fixed(&["neujahrstag"], 1, 1),
    fixed(&["nouvel", "an"], 1, 1),
    fixed(&["jour", "de", "l", "an"], 1, 1),
    fixed(&["capodanno"], 1, 1),
    fixed(&["nieuwjaar"], 1, 1),
    fixed(&["nieuwjaarsdag"], 1, 1),
    fixed(&["dia", "de", "ano", "novo"], 1, 1),
    // Swedish, Norwegian, Danish ("efter nyår", "etter nyttår", "efter nytår"), with their
    // definite forms, and Finnish, Polish, Czech.
    fixed(&["nyar"], 1, 1),
    fixed(&["nyaret"], 1, 1),
    fixed(&["nyarsdagen"], 1, 1),
    fixed(&["nyttar"], 1, 1),
    fixed(&["nyttaret"], 1, 1),
    fixed(&["nyttarsdag"], 1, 1),
    fixed(&["nytar"], 1, 1),
    fixed(&["nytaret"], 1, 1),
    fixed(&["nytarsdag"], 1, 1),
    // The turn of the year: "nach dem Jahreswechsel", "efter årsskiftet", "na de jaarwisseling",
    // "vuodenvaihteen jälkeen", "after the turn of the year", "después del cambio de año".
    fixed(&["jahreswechsel"], 1, 1),
    fixed(&["jahreswende"], 1, 1),
    fixed(&["arsskiftet"], 1, 1),
    fixed(&["arsskifte"], 1, 1),
    fixed(&["jaarwisseling"], 1, 1),
    fixed(&["vuodenvaihteen"], 1, 1),
    fixed(&["vuodenvaihde"], 1, 1),
    fixed(&["turn", "of", "the", "year"], 1, 1),
    fixed(&["cambio", "de", "ano"], 1, 1),
    fixed(&["virada", "do", "ano"], 1, 1),
    fixed(&["virada", "de", "ano"], 1, 1),
    fixed(&["uudenvuoden"], 1, 1),
    fixed(&["uudenvuodenpaiva"], 1, 1),
    fixed(&["nowym", "roku"], 1, 1),
    fixed(&["nowy", "rok"], 1, 1),
    fixed(&["novem", "roce"], 1, 1),
    fixed(&["novy", "rok"], 1, 1),
    // Epiphany.
    // Swiss Berchtoldstag, the 2nd of January ("bis und mit Berchtoldstag")
    fixed(&["berchtoldstag"], 1, 2),
    fixed(&["berchtoldstags"], 1, 2),
    fixed(&["epiphany"], 1, 6),
    fixed(&["dreikonig"], 1, 6),
    fixed(&["dreikonigstag"], 1, 6),
    fixed(&["dreikoenigstag"], 1, 6),
    fixed(&["heilige", "drei", "konige"], 1, 6),
    fixed(&["heiligen", "drei", "konige"], 1, 6),
    fixed(&["heilige", "drei", "koenige"], 1, 6),
    fixed(&["epiphanias"], 1, 6),
    fixed(&["epiphanie"], 1, 6),
    fixed(&["jour", "des", "rois"], 1, 6),
    fixed(&["epifania"], 1, 6),
    fixed(&["befana"], 1, 6),
    fixed(&["reyes", "magos"], 1, 6),
    guarded(&["reyes"], 1, 6, &["de", "los"]),
    fixed(&["driekoningen"], 1, 6),
    fixed(&["dia", "de", "reis"], 1, 6),
    fixed(&["dia", "dos", "reis"], 1, 6),
    // Polish, Czech, Swedish ("trettondedag jul"), Finnish.
    fixed(&["trzech", "kroli"], 1, 6),
    // The Netherlands' King's Day; Brazil's Tiradentes; Polish Christmas in the locative
    // ("po Bożym Narodzeniu").
    fixed(&["koningsdag"], 4, 27),
    // Australia's and New Zealand's days
    fixed(&["anzac", "day"], 4, 25),
    fixed(&["australia", "day"], 1, 26),
    fixed(&["waitangi", "day"], 2, 6),
    fixed(&["tiradentes"], 4, 21),
    fixed(&["bozym", "narodzeniu"], 12, 25),
    fixed(&["bozego", "narodzenia"], 12, 25),
    fixed(&["trzech", "krolach"], 1, 6),
    fixed(&["tri", "kralu"], 1, 6),
    fixed(&["trettondedag", "jul"], 1, 6),
    fixed(&["trettondagen"], 1, 6),
    fixed(&["loppiainen"], 1, 6),
    fixed(&["loppiaisen"], 1, 6),
    fixed(&["loppiaiseen"], 1, 6),
    // Assumption.
    fixed(&["ferragosto"], 8, 15),
    // French "la rentrée", the return from the summer holidays at the start of September
    // ("recontactez-moi à la rentrée"): a moment, not a season of three months.
    // (Only after "la": "à ma rentrée" is the writer's own return.)
    guarded(&["rentree"], 9, 1, &["la"]),
    fixed(&["assumption", "day"], 8, 15),
    fixed(&["feast", "of", "the", "assumption"], 8, 15),
    fixed(&["maria", "himmelfahrt"], 8, 15),
    fixed(&["mariae", "himmelfahrt"], 8, 15),
    fixed(&["assomption"], 8, 15),
    guarded(&["asuncion"], 8, 15, &["la"]),
    guarded(&["assunta"], 8, 15, &["l", "dell"]),
    fixed(&["maria", "tenhemelopneming"], 8, 15),
    fixed(&["maria", "ten", "hemelopneming"], 8, 15),
    guarded(&["assuncao"], 8, 15, &["a", "da"]),
    // All Saints.
    fixed(&["all", "saints", "day"], 11, 1),
    fixed(&["all", "saints"], 11, 1),
    fixed(&["allerheiligen"], 11, 1),
    fixed(&["toussaint"], 11, 1),
    fixed(&["todos", "los", "santos"], 11, 1),
    fixed(&["ognissanti"], 11, 1),
    fixed(&["tutti", "i", "santi"], 11, 1),
    fixed(&["todos", "os", "santos"], 11, 1),
    // Polish ("po Wszystkich Świętych"), Czech and Slovak, Swedish, Finnish.
    fixed(&["wszystkich", "swietych"], 11, 1),
    fixed(&["vsech", "svatych"], 11, 1),
    fixed(&["vsetkych", "svatych"], 11, 1),
    fixed(&["allhelgona"], 11, 1),
    fixed(&["allhelgonahelgen"], 11, 1),
    fixed(&["pyhainpaiva"], 11, 1),
    fixed(&["pyhainpaivan"], 11, 1),
    fixed(&["pyhainpaivaan"], 11, 1),
    // Holidays of the United States and Canada, on a weekday of their month or a fixed day.
    // ("Labour Day" is the 1st of May in much of the world and stays out.)
    nth_weekday(&["thanksgiving"], 11, 4, 4),
    nth_weekday(&["memorial", "day"], 5, 1, -1),
    nth_weekday(&["labor", "day"], 9, 1, 1),
    nth_weekday(&["martin", "luther", "king", "day"], 1, 1, 3),
    nth_weekday(&["mlk", "day"], 1, 1, 3),
    nth_weekday(&["presidents", "day"], 2, 1, 3),
    nth_weekday(&["columbus", "day"], 10, 1, 2),
    fixed(&["juneteenth"], 6, 19),
    // Ireland's and Britain's saints' days: St Patrick's (17 March), St Stephen's (26 December).
    fixed(&["patrick", "s", "day"], 3, 17),
    fixed(&["patricks", "day"], 3, 17),
    fixed(&["paddy", "s", "day"], 3, 17),
    fixed(&["stephen", "s", "day"], 12, 26),
    fixed(&["stephens", "day"], 12, 26),
    fixed(&["veterans", "day"], 11, 11),
    fixed(&["canada", "day"], 7, 1),
    // Feasts of lunar calendars, from tables: the Lunar New Year, Diwali, the Eids (the end
    // of Ramadan is the day before Eid al-Fitr; "Eid" alone is the next of the two).
    table(&["chinese", "new", "year"], &[LUNAR_NEW_YEAR]),
    table(&["lunar", "new", "year"], &[LUNAR_NEW_YEAR]),
    table(&["cny"], &[LUNAR_NEW_YEAR]),
    table(&["spring", "festival"], &[LUNAR_NEW_YEAR]),
    table(&["tet", "holiday"], &[LUNAR_NEW_YEAR]),
    table(&["tet", "holidays"], &[LUNAR_NEW_YEAR]),
    table(&["nouvel", "an", "chinois"], &[LUNAR_NEW_YEAR]),
    table(&["ano", "nuevo", "chino"], &[LUNAR_NEW_YEAR]),
    table(&["capodanno", "cinese"], &[LUNAR_NEW_YEAR]),
    table(&["ano", "novo", "chines"], &[LUNAR_NEW_YEAR]),
    table(&["chinees", "nieuwjaar"], &[LUNAR_NEW_YEAR]),
    table(&["chinesisches", "neujahr"], &[LUNAR_NEW_YEAR]),
    table(&["chinesischen", "neujahr"], &[LUNAR_NEW_YEAR]),
    table(&["chinesischen", "neujahrsfest"], &[LUNAR_NEW_YEAR]),
    table(&["kyuushougatsu"], &[LUNAR_NEW_YEAR]),
    table(&["chuushuu"], &[MID_AUTUMN]),
    // Days off around the lunar feasts, read as their last day: China's Spring Festival week
    // (春节假期, from its eve to the sixth day after the first), Korea's three days of Seollal
    // and of Chuseok (설 연휴, 추석 연휴: the day before, the feast, the day after); the
    // Lantern Festival (元宵, the fifteenth day) and the days of the new year counted from
    // its first (初六, the sixth); the Dragon Boat Festival (端午).
    table_offset(&["chunjiejiaqi"], &[LUNAR_NEW_YEAR], 6),
    table_offset(&["seollalyeonhyu"], &[LUNAR_NEW_YEAR], 1),
    table_offset(&["chuseokyeonhyu"], &[MID_AUTUMN], 1),
    table_offset(&["yuanxiao"], &[LUNAR_NEW_YEAR], 14),
    table_offset(&["chuer"], &[LUNAR_NEW_YEAR], 1),
    table_offset(&["chusan"], &[LUNAR_NEW_YEAR], 2),
    table_offset(&["chusi"], &[LUNAR_NEW_YEAR], 3),
    table_offset(&["chuwu"], &[LUNAR_NEW_YEAR], 4),
    table_offset(&["chuliu"], &[LUNAR_NEW_YEAR], 5),
    table_offset(&["chuqi"], &[LUNAR_NEW_YEAR], 6),
    table_offset(&["chuba"], &[LUNAR_NEW_YEAR], 7),
    table_offset(&["chujiu"], &[LUNAR_NEW_YEAR], 8),
    table_offset(&["chushi"], &[LUNAR_NEW_YEAR], 9),
    table(&["duanwu"], &[DRAGON_BOAT]),
    table(&["mid", "autumn", "festival"], &[MID_AUTUMN]),
    table(&["chuseok"], &[MID_AUTUMN]),
    // Korean and Chinese holidays on fixed days (as the lexicon folds their names).
    fixed(&["hangeulnal"], 10, 9),
    fixed(&["gaecheonjeol"], 10, 3),
    fixed(&["gwangbokjeol"], 8, 15),
    fixed(&["samiljeol"], 3, 1),
    fixed(&["hyeonchungil"], 6, 6),
    fixed(&["guoqingjie"], 10, 1),
    // China's National Day week (国庆假期, "十一" before "after"): 1 to 7 October, its last day.
    fixed(&["guoqingjiaqi"], 10, 7),
    // Qingming (清明): the 4th or 5th of April; the 5th in most years of this decade.
    fixed(&["qingming"], 4, 5),
    fixed(&["laodongjie"], 5, 1),
    table(&["diwali"], &[DIWALI]),
    table(&["deepavali"], &[DIWALI]),
    table(&["divali"], &[DIWALI]),
    table(&["dipawali"], &[DIWALI]),
    table(&["eid", "al", "fitr"], &[EID_AL_FITR]),
    table(&["eid", "ul", "fitr"], &[EID_AL_FITR]),
    table(&["eid", "el", "fitr"], &[EID_AL_FITR]),
    table(&["eid", "alfitr"], &[EID_AL_FITR]),
    table(&["aid", "el", "fitr"], &[EID_AL_FITR]),
    table(&["hari", "raya", "aidilfitri"], &[EID_AL_FITR]),
    table(&["hari", "raya", "puasa"], &[EID_AL_FITR]),
    table(&["lebaran"], &[EID_AL_FITR]),
    table(&["korite"], &[EID_AL_FITR]),
    table_offset(&["seker", "bayrami"], &[EID_AL_FITR], 2),
    table_offset(&["ramazan", "bayrami"], &[EID_AL_FITR], 2),
    table_offset(&["ramadan"], &[EID_AL_FITR], -1),
    table_offset(&["ramadhan"], &[EID_AL_FITR], -1),
    table_offset(&["ramazan"], &[EID_AL_FITR], -1),
    table(&["eid", "al", "adha"], &[EID_AL_ADHA]),
    table(&["eid", "ul", "adha"], &[EID_AL_ADHA]),
    table(&["eid", "el", "adha"], &[EID_AL_ADHA]),
    table(&["eid", "al", "azha"], &[EID_AL_ADHA]),
    table(&["eid", "ul", "azha"], &[EID_AL_ADHA]),
    table(&["aid", "el", "kebir"], &[EID_AL_ADHA]),
    table(&["aid", "al", "adha"], &[EID_AL_ADHA]),
    table(&["bakrid"], &[EID_AL_ADHA]),
    table(&["bakri", "eid"], &[EID_AL_ADHA]),
    table(&["tabaski"], &[EID_AL_ADHA]),
    // Turkey keeps the feasts four and three days long ("Kurban Bayramı sonrası": after all of
    // them), read as their last day
    table_offset(&["kurban", "bayrami"], &[EID_AL_ADHA], 3),
    table(&["hari", "raya", "haji"], &[EID_AL_ADHA]),
    table(&["hari", "raya", "aidiladha"], &[EID_AL_ADHA]),
    table(&["eid"], &[EID_AL_FITR, EID_AL_ADHA]),
    // Japan's public holidays (as the lexicon folds their names; the equinox days, which
    // move by a day from year to year, are not here).
    fixed(&["ganjitsu"], 1, 1),
    // Obon, 13 to 16 August in most of Japan, read as its last day ("お盆明け": the 17th)
    fixed(&["obon"], 8, 16),
    fixed(&["nendomatsu"], 3, 31),
    fixed(&["sanganichi"], 1, 3),
    nth_weekday(&["seijinnohi"], 1, 1, 2),
    fixed(&["kenkokukinennohi"], 2, 11),
    fixed(&["tennoutanjoubi"], 2, 23),
    fixed(&["shouwanohi"], 4, 29),
    fixed(&["kenpoukinenbi"], 5, 3),
    fixed(&["midorinohi"], 5, 4),
    fixed(&["kodomonohi"], 5, 5),
    nth_weekday(&["uminohi"], 7, 1, 3),
    fixed(&["yamanohi"], 8, 11),
    nth_weekday(&["keirounohi"], 9, 1, 3),
    nth_weekday(&["supootsunohi"], 10, 1, 2),
    fixed(&["bunkanohi"], 11, 3),
    fixed(&["kinroukanshanohi"], 11, 23),
];

/// The first words of the holiday names.
pub(super) static HOLIDAY_FIRST_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    HOLIDAYS
        .iter()
        .filter_map(|name| name.words.first().copied())
        .collect()
});

/// Words that make a holiday name part of a longer period ("Christmas holidays", "vacances
/// de Noël", "feriados de Natal"), whose end it does not tell.
pub(super) const HOLIDAY_PERIODS: &[&str] = &[
    "holiday",
    "holidays",
    "break",
    "period",
    "season",
    "vacation",
    "shutdown",
    "time",
    "week",
    "weeks",
    "vacances",
    "conges",
    "fetes",
    "vacaciones",
    "fiestas",
    "vacanze",
    "feste",
    "ferie",
    "ferias",
    "feriados",
    "festas",
    "vakantie",
    "periode",
    "periodo",
    "ferien",
    "zeit",
    "pause",
];
pub(super) const SEASONS: &[(&str, u32)] = &[
    ("spring", 3),
    ("fruhling", 3),
    ("fruehling", 3),
    ("fruhjahr", 3),
    ("fruehjahr", 3),
    ("printemps", 3),
    ("primavera", 3),
    ("voorjaar", 3),
    ("lente", 3),
    ("summer", 6),
    ("sommer", 6),
    ("ete", 6),
    ("verano", 6),
    ("estate", 6),
    ("zomer", 6),
    ("verao", 6),
    // One-word summer breaks: "nach den Sommerferien", "na de zomervakantie".
    ("sommerferien", 6),
    ("sommerpause", 6),
    ("sommerurlaub", 6),
    ("zomervakantie", 6),
    ("zomerreces", 6),
    ("winterferien", 12),
    ("autumn", 9),
    ("fall", 9),
    ("herbst", 9),
    ("automne", 9),
    ("otono", 9),
    ("autunno", 9),
    ("herfst", 9),
    ("outono", 9),
    ("winter", 12),
    ("hiver", 12),
    ("invierno", 12),
    ("inverno", 12),
    // Polish, Swedish, Danish, Norwegian, Finnish, Czech, Turkish.
    ("lato", 6),
    ("lecie", 6),
    ("latem", 6),
    ("wiosna", 3),
    ("wiosne", 3),
    ("jesien", 9),
    ("jesieni", 9),
    ("zima", 12),
    ("zimie", 12),
    ("sommar", 6),
    ("sommaren", 6),
    ("varen", 3),
    ("hosten", 9),
    ("vintern", 12),
    ("sommeren", 6),
    ("foraret", 3),
    ("efteraret", 9),
    ("vinteren", 12),
    ("kesa", 6),
    ("kesan", 6),
    ("kesalla", 6),
    ("kevat", 3),
    ("kevaan", 3),
    ("kevaalla", 3),
    ("syksy", 9),
    ("syksyn", 9),
    ("syksylla", 9),
    ("talvi", 12),
    ("talven", 12),
    ("talvella", 12),
    ("leto", 6),
    ("lete", 6),
    ("jaro", 3),
    ("jare", 3),
    ("podzim", 9),
    ("zime", 12),
    ("yaz", 6),
    ("yazdan", 6),
    ("yazin", 6),
    ("ilkbahar", 3),
    ("ilkbahardan", 3),
    ("sonbahar", 9),
    ("sonbahardan", 9),
    ("sonbaharda", 9),
    ("kis", 12),
    ("kistan", 12),
];
/// A season word is a date only right after one of these ("after the summer", "im Herbst").
pub(super) const SEASON_BEFORE: &[&str] = &[
    "the", "in", "after", "before", "until", "till", "by", "this", "late", "early", "mid", "end", "during",
    "over", "nach", "dem", "den", "im", "ab", "bis", "zum", "diesen", "diesem", "apres", "l", "en", "cet",
    "d", "avant", "despues", "del", "el", "este", "hasta", "dopo", "fino", "quest", "in", "na", "de", "da",
    "o", "no", "deze", "tot", "ate", "depois", "do", "neste", "nesta", "fim", "eind", "ende", "fin", "fine",
    "po", "w", "przed", "efter", "etter", "i", "fore", "pa", "ve", "v", "na", "jalkeen", "ennen",
];
/// Finnish and Turkish postpositions after a season ("kesän jälkeen", "yazdan sonra").
pub(super) const SEASON_AFTER: &[&str] = &[
    "jalkeen", "sonra", "asti", "saakka", "kadar", "alkaen", "itibaren", "ennen", "once",
];
/// "The new year" at token `i`: the next year after "in" ("back in the new year", "im neuen
/// Jahr", "nel nuovo anno"); anywhere else New Year's Day ("after the new year", "until New
/// Year", "between Christmas and New Year", "después de año nuevo"): the writer means the turn
/// of the year, not the end of the next one.
pub(super) fn new_year(f: &Folded, i: usize) -> Val {
    let mut k = i.wrapping_sub(1);
    while f.is_any(k, &["the", "dem", "l", "el", "de", "do", "del", "o", "la", "het"]) || f.is_punct(k, b'\'')
    {
        k = k.wrapping_sub(1);
    }
    if f.is_any(k, &["in", "into", "im", "ins", "dans", "en", "nel", "no"]) {
        return Val::Next(NextUnit::Year);
    }
    Val::Holiday {
        year: None,
        feast: Feast::Fixed { month: 1, day: 1 },
    }
}

/// A holiday name starting at token `i`: its day and the token after the name. The longest
/// name wins ("Easter Monday" over "Easter").
pub(super) fn holiday_at(f: &Folded, i: usize) -> Option<(Feast, usize)> {
    // A number starts the Dutch "2e Pinksterdag".
    if !f.is_a_word(i) && !f.is_num(i) {
        return None;
    }
    let first = f.word(i);
    // Most words start no holiday name: one lookup instead of a scan of the table.
    if !HOLIDAY_FIRST_WORDS.contains(first) {
        return None;
    }
    let mut best: Option<(Feast, usize)> = None;
    for name in HOLIDAYS.iter().filter(|name| name.words.first() == Some(&first)) {
        // The first word is the token at `i` (a number for "2e Pinksterdag").
        let Some(k) = phrase_end(f, i + 1, name.words.get(1..).unwrap_or_default()) else {
            continue;
        };
        if let Some(after) = name.after {
            let mut prev = i.wrapping_sub(1);
            if f.is_punct(prev, b'\'') {
                prev = prev.wrapping_sub(1);
            }
            if !f.is_any(prev, after) {
                continue;
            }
        }
        if best.is_none_or(|(_, end)| k > end) {
            best = Some((name.feast, k));
        }
    }
    let (feast, end) = best?;
    // "Christmas holidays", "vacances de Noël": a period around the day, not the day.
    let mut prev = i.wrapping_sub(1);
    if f.is_any(prev, &["de", "di", "da", "do", "del", "van", "of", "the", "d"]) || f.is_punct(prev, b'\'') {
        prev = prev.wrapping_sub(1);
    }
    if f.is_any(end, HOLIDAY_PERIODS) || f.is_any(prev, HOLIDAY_PERIODS) {
        return None;
    }
    Some((feast, end))
}
