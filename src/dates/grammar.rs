//! The date grammar: recognises date expressions in the token stream ("15. Juni",
//! "June 15th, 2027", "15/06", "2027-06-15", "next week", "in zwei Wochen", "Q1", "fin mars",
//! "1-15 June", "du 1er au 15 juin", ...) without deciding yet what they mean for the return
//! day. That is the job of `crate::dates::resolve`, which also knows the reference day.
//!
//! The grammar is written by hand over tokens rather than as one large regex: the languages
//! share most of the shape (day, optional ordinal mark, optional "of"/"de", month, optional
//! year), and guards such as "not part of a phone number" or "not after the word ticket" need
//! to look around a candidate, which is plain code here. Finnish and Turkish name a part of a
//! month after it ("joulukuun puolivälissä", "ocak ortası") and a span with a postposition
//! ("kahden viikon päästä", "iki hafta sonra"); Czech writes "7. 12. 2027" with spaces.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::dates::lexicon::{Part, Unit};
use crate::dates::tokens::{Folded, Kind};

/// A date expression as written, before it is placed on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// A calendar day; the year may be left out.
    Date {
        /// The year when written.
        year: Option<i32>,
        /// Month 1..=12.
        month: u32,
        /// Day 1..=31.
        day: u32,
    },
    /// A numeric date whose two first parts could both be a month ("03/04/2027").
    Ambig {
        /// The year when written.
        year: Option<i32>,
        /// The first number as written.
        first: u32,
        /// The second number as written.
        second: u32,
    },
    /// A month or part of a month ("in January", "Anfang März", "end of June").
    Month {
        /// The year when written.
        year: Option<i32>,
        /// Month 1..=12.
        month: u32,
        /// Which part; `Part::None` for the whole month.
        part: Part,
    },
    /// A quarter ("Q1", "1. Quartal").
    Quarter {
        /// The year when written.
        year: Option<i32>,
        /// Quarter 1..=4.
        quarter: u32,
    },
    /// A weekday, 1 (Monday) ..= 7.
    Weekday(u32),
    /// A day of the current or next month ("the 15th", "ab dem 15.").
    DayOnly(u32),
    /// A day of next month ("the 10th of next month", "le 10 du mois prochain", "am 10.
    /// nächsten Monats", "il 10 del prossimo mese").
    DayNextMonth(u32),
    /// A weekday with a bare day number ("el lunes 14", "Monday the 14th", "Montag, den 14."):
    /// the nearest day of that number, from the reference day on and within two months, that
    /// falls on that weekday; else the day number alone, like [`Val::DayOnly`].
    WeekdayDay {
        /// The weekday, 1 (Monday) ..= 7.
        weekday: u32,
        /// The day of the month, 1..=31.
        day: u32,
    },
    /// Today, tomorrow, the day after: days from the reference day.
    Days(u32),
    /// "in two weeks": an amount of time from the reference day.
    Within(Unit, u32),
    /// "for two weeks": an absence of this length starting at the reference day.
    For(Unit, u32),
    /// "next week", "next month", "next quarter", "next year".
    Next(NextUnit),
    /// "this week", "this month": the current period, from the reference day on.
    This(NextUnit),
    /// A part of the current or next period: "end of next week", "Ende des Monats",
    /// "early next year". `next` is false for the current period.
    PartOf {
        /// Which part.
        part: Part,
        /// The period.
        unit: NextUnit,
        /// The next period rather than the current one.
        next: bool,
    },
    /// An ISO calendar week ("KW 24", "24. KW", "week 24", "semaine 24").
    Week {
        /// The year when written.
        year: Option<i32>,
        /// Week 1..=53.
        week: u32,
    },
    /// A named holiday with a known date ("after Easter", "nach Ostern", "dopo l'Epifania",
    /// "après la Toussaint", "until Christmas").
    Holiday {
        /// The year when written.
        year: Option<i32>,
        /// Which day.
        feast: Feast,
    },
    /// A meteorological season of the northern hemisphere ("after the summer", "im Herbst").
    Season {
        /// The year when written.
        year: Option<i32>,
        /// The first month of the season: 3 (spring), 6 (summer), 9 (autumn), 12 (winter).
        first_month: u32,
    },
    /// A range: the return is decided by its end.
    Range(Box<Val>, Box<Val>),
    /// The week (Monday to Sunday) around a day: "the week of January 11", "la semaine du 11".
    WeekOf(Box<Val>),
}

/// The day of a named holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feast {
    /// The same day every year (Christmas, Epiphany, All Saints).
    Fixed {
        /// Month 1..=12.
        month: u32,
        /// Day 1..=31.
        day: u32,
    },
    /// This many days after Easter Sunday (Easter 0, Ascension 39, Pentecost 49, Corpus
    /// Christi 60).
    Easter(u32),
}

/// The unit of "next ...".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextUnit {
    /// Next week.
    Week,
    /// Next month.
    Month,
    /// Next quarter.
    Quarter,
    /// Next year.
    Year,
}

/// A recognised expression: tokens `start..end` and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// What it says.
    pub val: Val,
    /// An unambiguous numeric date proves the writer's order: `Some(true)` for day-first.
    pub day_first_proof: Option<bool>,
}

const ORDINAL_SUFFIXES: &[&str] = &[
    "st", "nd", "rd", "th", "er", "re", "e", "eme", "o", "a", "ste", "de", "ten",
];
const OF_WORDS: &[&str] = &["of", "de", "di", "del", "van", "the", "du", "da", "do"];
const PART_LINKS: &[&str] = &[
    "of", "the", "de", "du", "di", "des", "del", "van", "da", "do", "dem", "d", "von", "la", "della",
    "dello", "der", "het", "l", "af", "av", "i",
];
/// Words after which `27-11` is a day and month (Dutch and Portuguese write dates so).
const DASH_DATE_OPS: &[&str] = &[
    "tot", "m", "vanaf", "t", "per", "op", "until", "till", "from", "bis", "ab", "hasta", "ate", "desde",
    "dia", "em", "fino", "dal", "jusqu", "au", "na", "tm", "van", "del", "do", "od", "til", "till", "fra",
    "fran",
];
/// Words for "this" before a period ("this week", "diese Woche", "cette semaine").
const THIS_WORDS: &[&str] = &[
    "this", "diese", "dieser", "diesen", "dieses", "cette", "ce", "esta", "este", "questa", "questo", "deze",
    "dit", "nesta", "neste", "current", "tym", "tego", "tej", "ta", "denna", "detta", "denne", "dette",
    "tama", "talla", "taman", "tento", "tomto", "tohoto", "tuto", "bu",
];
/// Words for a whole period ("all week", "die ganze Woche", "tutta la settimana").
const WHOLE_WORDS: &[&str] = &[
    "all", "whole", "entire", "ganze", "ganzen", "tutta", "tutto", "toda", "todo", "hele", "caly", "calym",
    "cala", "hela", "koko", "cely", "celou", "celem", "tum", "butun",
];
/// Calendar-week words that take a number after them ("KW 24", "week 24", "semaine 24").
const WEEK_NUM_BEFORE: &[&str] = &[
    "kw",
    "cw",
    "wk",
    "kalenderwoche",
    "week",
    "woche",
    "semaine",
    "semana",
    "settimana",
    "tydzien",
    "vecka",
    "veckan",
    "uge",
    "ugen",
    "uke",
    "uken",
    "uka",
    "viikko",
    "viikolla",
    "vko",
    "vk",
    "tyden",
    "tydnu",
    "hafta",
];
/// Calendar-week words after an ordinal ("24. KW", "24. Kalenderwoche").
const WEEK_NUM_AFTER: &[&str] = &[
    "kw",
    "kalenderwoche",
    "woche",
    "week",
    "semaine",
    "settimana",
    "semana",
    "tydzien",
    "tygodniu",
    "tygodnia",
    "vecka",
    "veckan",
    "uge",
    "ugen",
    "uke",
    "uken",
    "viikko",
    "viikolla",
    "viikon",
    "tyden",
    "tydnu",
    "tydne",
    "hafta",
    "haftada",
    "haftasi",
    "haftasinda",
];
/// A holiday name: its words (folded; glued `-` and `'` between them are skipped), its day,
/// and, for names that are also common words or surnames, the words one of which must come
/// right before it.
struct HolidayName {
    words: &'static [&'static str],
    feast: Feast,
    after: Option<&'static [&'static str]>,
}

const fn fixed(words: &'static [&'static str], month: u32, day: u32) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::Fixed { month, day },
        after: None,
    }
}

const fn moveable(words: &'static [&'static str], days_after_easter: u32) -> HolidayName {
    HolidayName {
        words,
        feast: Feast::Easter(days_after_easter),
        after: None,
    }
}

const fn guarded(
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
const HOLIDAYS: &[HolidayName] = &[
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
    moveable(&["easter", "monday"], 1),
    moveable(&["ostermontag"], 1),
    moveable(&["lundi", "de", "paques"], 1),
    moveable(&["pasquetta"], 1),
    moveable(&["paasmaandag"], 1),
    moveable(&["tweede", "paasdag"], 1),
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
    moveable(&["corpus", "christi"], 60),
    moveable(&["fronleichnam"], 60),
    moveable(&["fete", "dieu"], 60),
    moveable(&["corpus", "domini"], 60),
    moveable(&["sacramentsdag"], 60),
    moveable(&["corpo", "de", "deus"], 60),
    // Christmas Eve, Christmas, Boxing Day.
    fixed(&["christmas", "eve"], 12, 24),
    fixed(&["heiligabend"], 12, 24),
    fixed(&["nochebuena"], 12, 24),
    fixed(&["vigilia", "di", "natale"], 12, 24),
    fixed(&["christmas"], 12, 25),
    fixed(&["xmas"], 12, 25),
    fixed(&["weihnachten"], 12, 25),
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
    // New Year's Eve and Day ("the new year" alone is the next year, see `word_expr`).
    fixed(&["new", "year", "s", "eve"], 12, 31),
    fixed(&["silvester"], 12, 31),
    fixed(&["saint", "sylvestre"], 12, 31),
    fixed(&["nochevieja"], 12, 31),
    fixed(&["san", "silvestro"], 12, 31),
    fixed(&["oudejaarsavond"], 12, 31),
    fixed(&["oudjaar"], 12, 31),
    fixed(&["reveillon"], 12, 31),
    fixed(&["new", "year", "s", "day"], 1, 1),
    fixed(&["new", "year", "s"], 1, 1),
    fixed(&["neujahr"], 1, 1),
    fixed(&["neujahrstag"], 1, 1),
    fixed(&["nouvel", "an"], 1, 1),
    fixed(&["jour", "de", "l", "an"], 1, 1),
    fixed(&["capodanno"], 1, 1),
    fixed(&["nieuwjaar"], 1, 1),
    fixed(&["nieuwjaarsdag"], 1, 1),
    fixed(&["dia", "de", "ano", "novo"], 1, 1),
    // Epiphany.
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
    // Assumption.
    fixed(&["ferragosto"], 8, 15),
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
];

/// The first words of the holiday names.
static HOLIDAY_FIRST_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    HOLIDAYS
        .iter()
        .filter_map(|name| name.words.first().copied())
        .collect()
});

/// Words that make a holiday name part of a longer period ("Christmas holidays", "vacances
/// de Noël", "feriados de Natal"), whose end it does not tell.
const HOLIDAY_PERIODS: &[&str] = &[
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
const SEASONS: &[(&str, u32)] = &[
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
const SEASON_BEFORE: &[&str] = &[
    "the", "in", "after", "before", "until", "till", "by", "this", "late", "early", "mid", "end", "during",
    "over", "nach", "dem", "den", "im", "ab", "bis", "zum", "diesen", "diesem", "apres", "l", "en", "cet",
    "d", "avant", "despues", "del", "el", "este", "hasta", "dopo", "fino", "quest", "in", "na", "de", "da",
    "o", "no", "deze", "tot", "ate", "depois", "do", "neste", "nesta", "fim", "eind", "ende", "fin", "fine",
    "po", "w", "przed", "efter", "etter", "i", "fore", "pa", "ve", "v", "na", "jalkeen", "ennen",
];
/// Finnish and Turkish postpositions after a season ("kesän jälkeen", "yazdan sonra").
const SEASON_AFTER: &[&str] = &[
    "jalkeen", "sonra", "asti", "saakka", "kadar", "alkaen", "itibaren", "ennen", "once",
];
/// Parts of a period named after it, in Finnish ("joulukuun alussa", "kuun lopussa") and
/// Turkish ("ocak başında", "ay ortası", "aralık sonuna").
const POST_PARTS: &[(&str, Part)] = &[
    ("alussa", Part::Early),
    ("alkupuolella", Part::Early),
    ("alkupuolelle", Part::Early),
    ("alkuun", Part::Early),
    ("alusta", Part::Early),
    ("puolivalissa", Part::Mid),
    ("puolivaliin", Part::Mid),
    ("puolivalista", Part::Mid),
    ("puolessavalissa", Part::Mid),
    ("lopussa", Part::End),
    ("loppupuolella", Part::End),
    ("loppupuolelle", Part::End),
    ("loppuun", Part::End),
    ("lopulla", Part::End),
    ("lopusta", Part::End),
    ("basi", Part::Early),
    ("basinda", Part::Early),
    ("basina", Part::Early),
    ("basindan", Part::Early),
    ("baslari", Part::Early),
    ("baslarinda", Part::Early),
    ("baslarina", Part::Early),
    ("ortasi", Part::Mid),
    ("ortasinda", Part::Mid),
    ("ortasina", Part::Mid),
    ("ortasindan", Part::Mid),
    ("ortalari", Part::Mid),
    ("ortalarinda", Part::Mid),
    ("ortalarina", Part::Mid),
    ("sonu", Part::End),
    ("sonunda", Part::End),
    ("sonuna", Part::End),
    ("sonundan", Part::End),
    ("sonlari", Part::End),
    ("sonlarinda", Part::End),
    ("sonlarina", Part::End),
    // Japanese "12月上旬", "12月中旬", "12月下旬", "12月末", as `tokens` folds them.
    ("joujun", Part::Early),
    ("chuujun", Part::Mid),
    ("gejun", Part::End),
    ("matsu", Part::End),
];
/// An amount of time followed by one of these is a span from now: Finnish "kahden viikon
/// päästä", "kuukauden kuluttua"; Turkish "iki hafta sonra", "iki hafta içinde".
const WITHIN_AFTER: &[&str] = &["paasta", "kuluttua", "sonra", "icinde", "zarfinda"];
/// An amount of time followed by one of these is the length of an absence: Finnish "kahden
/// viikon ajan", Turkish "iki hafta boyunca".
const FOR_AFTER: &[&str] = &["ajan", "boyunca", "suresince"];
/// Unit words whose case ending already says "for" (Finnish translative "kahdeksi
/// viikoksi", Turkish "iki haftalığına").
const FOR_UNITS: &[&str] = &[
    "viikoksi",
    "paivaksi",
    "kuukaudeksi",
    "vuodeksi",
    "haftaligina",
    "gunlugune",
    "ayligina",
];
/// Scandinavian part words that name a part of a month only ("sist i januar", "ultimo mars").
const MONTH_ONLY_PARTS: &[&str] = &["sist", "sidst", "midt", "forst", "medio", "ultimo"];
/// Weekday names shorter than five letters that are still full names (Turkish).
const SHORT_WEEKDAYS: &[&str] = &["cuma", "sali"];
const IN_PREPS: &[&str] = &[
    "in",
    "within",
    "dans",
    "en",
    "tra",
    "fra",
    "over",
    "em",
    "binnen",
    "innerhalb",
    "entro",
    "za",
    "om",
];
const FOR_PREPS: &[&str] = &[
    "for", "fur", "fuer", "pendant", "pour", "durante", "per", "voor", "por", "przez", "i", "na",
];
const RANGE_LINKS: &[&str] = &[
    "to", "till", "until", "through", "thru", "bis", "au", "a", "al", "all", "tot", "and", "und", "et", "y",
    "e", "ate", "do", "til", "ile", "kara",
];
const NEG_WORDS: &[&str] = &[
    "ticket",
    "order",
    "invoice",
    "ref",
    "reference",
    "case",
    "id",
    "tel",
    "phone",
    "fax",
    "mobile",
    "cell",
    "ext",
    "room",
    "version",
    "v",
    "build",
    "release",
    "po",
    "sku",
    "item",
    "account",
    "iban",
    "bestellung",
    "bestellnummer",
    "auftrag",
    "rechnung",
    "rechnungsnummer",
    "kundennummer",
    "vorgang",
    "commande",
    "facture",
    "dossier",
    "numero",
    "pedido",
    "factura",
    "ordine",
    "fattura",
    "pratica",
    "bestelling",
    "factuur",
    "ordernummer",
    "fatura",
    "encomenda",
    "protocolo",
    "chamado",
    "telefon",
    "telefone",
    "telefono",
    "telephone",
    "handy",
    "mobil",
    "movil",
    "cellulare",
    "zimmer",
    "raum",
    "kamer",
    "sala",
    "chambre",
    "plz",
    "zip",
    "cep",
    "nr",
    "no",
    "nro",
    "num",
    "number",
    "nummer",
    "art",
    "artikel",
    "zamowienie",
    "zamowienia",
    "faktura",
    "faktury",
    "zgloszenie",
    "zgloszenia",
    "nip",
    "arende",
    "arendenummer",
    "fakturanummer",
    "tfn",
    "ordre",
    "ordrenummer",
    "sag",
    "sagsnummer",
    "sak",
    "saksnummer",
    "tlf",
    "tilaus",
    "tilausnumero",
    "lasku",
    "puh",
    "puhelin",
    "tiketti",
    "tapaus",
    "objednavka",
    "objednavky",
    "cislo",
    "pozadavek",
    "tiket",
    "siparis",
    "fatura",
    "talep",
    "numara",
    "klo",
    "kl",
    "godz",
    "saat",
];
const AFTER_UNITS: &[&str] = &[
    "uhr", "h", "hr", "hrs", "hours", "horas", "ore", "uur", "heures", "heure", "pm", "min", "minutes",
    "minuten", "eur", "euro", "euros", "usd", "dollars", "chf", "gbp", "kg", "km", "mb", "gb", "kb",
    "percent", "prozent", "uhrzeit", "godz", "zl", "pln", "kr", "sek", "dkk", "nok", "czk", "kc", "tl",
    "eur",
];

/// Finds every date expression, left to right, without overlaps.
pub fn parse(f: &Folded) -> Vec<Expr> {
    let mut exprs = Vec::new();
    let mut i = 0;
    while i < f.toks.len() {
        match parse_at(f, i) {
            Some(expr) => {
                i = expr.end.max(i + 1);
                exprs.push(expr);
            }
            None => i += 1,
        }
    }
    exprs
}

/// Parses the expression starting at token `i`, ranges included.
fn parse_at(f: &Folded, i: usize) -> Option<Expr> {
    if let Some(range) = bare_day_range(f, i) {
        return Some(range);
    }
    let first = single(f, i)?;
    let Some(link_end) = range_link(f, paren_weekday(f, first.end)) else {
        return Some(first);
    };
    let second = single(f, link_end)
        .or_else(|| numeric_after_range_dash(f, link_end))
        .filter(|second| compatible(&first.val, &second.val))
        .or_else(|| short_day_month(f, first.start, link_end));
    let second = match second {
        Some(second) => second,
        None => match (&first.val, day_number(f, link_end)) {
            // "June 1 to 15": the second end borrows the month.
            (Val::Date { year, month, .. }, Some((day, end, _))) if !month_follows(f, end) => Expr {
                start: link_end,
                end,
                val: Val::Date {
                    year: *year,
                    month: *month,
                    day,
                },
                day_first_proof: None,
            },
            _ => return Some(first),
        },
    };
    let (a, b) = fill_year(first.val, second.val);
    Some(Expr {
        start: first.start,
        end: second.end,
        val: Val::Range(Box::new(a), Box::new(b)),
        day_first_proof: first.day_first_proof.or(second.day_first_proof),
    })
}

/// "(day) of next month" after a day number ("the 10th of next month", "the 15th day of
/// next month", "du mois prochain", "nächsten Monats", "del prossimo mese"): the token after.
fn of_next_month(f: &Folded, k: usize) -> Option<usize> {
    let k = if f.toks.get(k).is_some_and(|t| t.lex.unit == Unit::Day) {
        k + 1
    } else {
        k
    };
    let k = if f.is_any(k, OF_WORDS) { k + 1 } else { k };
    let k = if f.is_any(k, &["the", "le", "il", "el", "o"]) {
        k + 1
    } else {
        k
    };
    match period_at(f, k)? {
        (NextUnit::Month, true, end) => Some(end),
        _ => None,
    }
}

/// The token after a weekday in brackets right after a date ("7月1日(月)〜3日(水)", "Dec 21
/// (Mon) to Jan 3 (Sun)"), else `k` itself: the bracket says nothing the date does not.
fn paren_weekday(f: &Folded, k: usize) -> usize {
    if f.is_punct(k, b'(') && f.toks.get(k + 1).is_some_and(|t| t.lex.weekday > 0) && f.is_punct(k + 2, b')')
    {
        k + 3
    } else {
        k
    }
}

/// The second end of a range written like its numeric first end but shorter, with a
/// one-digit month a lone date would not be trusted with ("24.12 al 6.1", "24-12 tot en met
/// 3-1"): the first end proves the form. Only day-first forms (`.` and `-`).
fn short_day_month(f: &Folded, first_start: usize, k: usize) -> Option<Expr> {
    let sep = match f.toks.get(first_start + 1)?.kind {
        Kind::Punct(p @ (b'.' | b'-')) if f.is_num(first_start) && f.glued(first_start + 1) => p,
        _ => return None,
    };
    let small = |i: usize| {
        f.toks
            .get(i)
            .filter(|t| t.kind == Kind::Num && t.digits <= 2)
            .map(|t| t.value)
    };
    let day = small(k)?;
    if !(f.is_punct(k + 1, sep) && f.glued(k + 1) && f.glued(k + 2)) {
        return None;
    }
    let month = small(k + 2)?;
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let mut end = k + 3;
    let mut year = None;
    if f.is_punct(end, sep) && f.glued(end) && f.glued(end + 1) {
        match f.toks.get(end + 1) {
            Some(t) if t.kind == Kind::Num && t.digits == 4 && (1970..=2100).contains(&t.value) => {
                year = Some(t.value as i32);
                end += 2;
            }
            Some(t) if t.kind == Kind::Num && t.digits == 2 => {
                year = Some(2000 + t.value as i32);
                end += 2;
            }
            Some(t) if t.kind == Kind::Num => return None,
            _ => end += 1,
        }
    }
    // "6.1.5" is a version, not a date.
    if f.glued(end) && f.is_punct(end, sep) && f.is_num(end + 1) {
        return None;
    }
    Some(Expr {
        start: k,
        end,
        val: Val::Date { year, month, day },
        day_first_proof: None,
    })
}

/// Ranges whose start is only a day number: "1-15 June", "vom 1. bis 15. Juni",
/// "du 1er au 15 juin", "del 1 al 15 de junio", "1 t/m 15 juni".
fn bare_day_range(f: &Folded, i: usize) -> Option<Expr> {
    let (day, end, _) = day_number(f, i)?;
    let link_end = range_link(f, end)?;
    let second = single(f, link_end)?;
    let (year, month) = match second.val {
        Val::Date { year, month, .. } => (year, month),
        _ => return None,
    };
    if f.is_num(end) {
        return None;
    }
    Some(Expr {
        start: i,
        end: second.end,
        val: Val::Range(Box::new(Val::Date { year, month, day }), Box::new(second.val)),
        day_first_proof: second.day_first_proof,
    })
}

/// Both ends of a range must be the same sort of thing.
fn compatible(a: &Val, b: &Val) -> bool {
    matches!(
        (a, b),
        (
            Val::Date { .. } | Val::Ambig { .. },
            Val::Date { .. } | Val::Ambig { .. }
        ) | (Val::Weekday(_), Val::Weekday(_) | Val::Date { .. })
            | (Val::Date { .. }, Val::Weekday(_))
            | (Val::Month { .. }, Val::Month { .. })
            | (Val::DayOnly(_), Val::DayOnly(_) | Val::DayNextMonth(_))
            | (Val::DayNextMonth(_), Val::DayNextMonth(_))
            | (
                Val::WeekdayDay { .. },
                Val::WeekdayDay { .. } | Val::DayOnly(_) | Val::Date { .. }
            )
    )
}

/// A year written only on the second end of a range applies to the first too.
fn fill_year(a: Val, b: Val) -> (Val, Val) {
    match (a, b) {
        (
            Val::Date {
                year: None,
                month,
                day,
            },
            Val::Date {
                year: Some(y),
                month: m2,
                day: d2,
            },
        ) => {
            let year = if (month, day) > (m2, d2) { y - 1 } else { y };
            (
                Val::Date {
                    year: Some(year),
                    month,
                    day,
                },
                Val::Date {
                    year: Some(y),
                    month: m2,
                    day: d2,
                },
            )
        }
        (
            Val::Date {
                year: Some(y),
                month,
                day,
            },
            Val::Date {
                year: None,
                month: m2,
                day: d2,
            },
        ) => {
            let year = if (m2, d2) < (month, day) { y + 1 } else { y };
            (
                Val::Date {
                    year: Some(y),
                    month,
                    day,
                },
                Val::Date {
                    year: Some(year),
                    month: m2,
                    day: d2,
                },
            )
        }
        // "from the 4th to the 23rd of next month": the first end is next month's too.
        (Val::DayOnly(a), b @ Val::DayNextMonth(_)) => (Val::DayNextMonth(a), b),
        pair => pair,
    }
}

/// The word or dash joining the two ends of a range; returns the token after it.
fn range_link(f: &Folded, i: usize) -> Option<usize> {
    let mut k = if f.is_punct(i, b'-') || f.is_punct(i, b'~') || f.is_any(i, RANGE_LINKS) {
        i + 1
    } else if f.is_word(i, "t") && f.is_punct(i + 1, b'/') && f.is_word(i + 2, "m") {
        i + 3
    } else {
        return None;
    };
    // "tot en met", "up to and including", "bis einschließlich", "bis zum", "au lundi".
    if f.is_word(i, "tot") && f.is_word(k, "en") && f.is_word(k + 1, "met") {
        k += 2;
    }
    while f.is_any(
        k,
        &[
            "zum",
            "zur",
            "einschliesslich",
            "inkl",
            "le",
            "el",
            "il",
            "the",
            "de",
            "dia",
            "ao",
            "den",
            "dnia",
            "dne",
        ],
    ) || f.is_punct(k, b'\'')
    {
        k += 1;
    }
    Some(k)
}

/// A day number with an optional ordinal mark: `(day, next token, has ordinal mark)`.
fn day_number(f: &Folded, i: usize) -> Option<(u32, usize, bool)> {
    let tok = f.toks.get(i)?;
    if tok.kind != Kind::Num || tok.digits > 2 || !(1..=31).contains(&tok.value) {
        return None;
    }
    if f.glued(i) && (f.is_num(i - 1) || f.is_a_word(i - 1)) {
        return None;
    }
    let next = i + 1;
    if f.glued(next) && f.is_any(next, ORDINAL_SUFFIXES) {
        return Some((tok.value, next + 1, true));
    }
    // Swedish "den 3:e", "1:a".
    if f.glued(next) && f.is_punct(next, b':') && f.glued(next + 1) && f.is_any(next + 1, &["a", "e"]) {
        return Some((tok.value, next + 2, true));
    }
    if f.glued(next) && f.is_a_word(next) {
        return None;
    }
    if f.glued(next) && f.is_punct(next, b'.') && !(f.glued(next + 1) && f.is_num(next + 1)) {
        return Some((tok.value, next + 1, true));
    }
    Some((tok.value, next, false))
}

/// A month name at `i` (an abbreviation may carry a dot): `(month, next token, full name)`.
fn month_at(f: &Folded, i: usize) -> Option<(u32, usize, bool)> {
    let tok = f.toks.get(i)?;
    if tok.kind != Kind::Word || tok.lex.month == 0 {
        return None;
    }
    let mut next = i + 1;
    if !tok.lex.month_full && f.glued(next) && f.is_punct(next, b'.') {
        next += 1;
    }
    Some((u32::from(tok.lex.month), next, tok.lex.month_full))
}

/// The month name follows (maybe after "of"/"de"): used to refuse "June 1 to 15 July" splits.
fn month_follows(f: &Folded, i: usize) -> bool {
    let k = if f.is_any(i, OF_WORDS) { i + 1 } else { i };
    month_at(f, k).is_some()
}

/// An optional written year after a day and month: `(year, next token)`.
fn year_at(f: &Folded, i: usize) -> Option<(i32, usize)> {
    let mut k = i;
    if f.is_punct(k, b',') {
        k += 1;
    }
    if f.is_any(k, &["de", "of", "del", "di", "van"]) {
        k += 1;
    }
    // "June '27", "Q2 '28".
    if f.is_punct(k, b'\'') && f.glued(k + 1) {
        let tok = f.toks.get(k + 1)?;
        if tok.kind == Kind::Num
            && tok.digits == 2
            && !(f.glued(k + 2) && (f.is_num(k + 2) || f.is_a_word(k + 2)))
        {
            return Some((2000 + tok.value as i32, k + 2));
        }
        return None;
    }
    let tok = f.toks.get(k)?;
    if tok.kind == Kind::Num && tok.digits == 4 && (1970..=2100).contains(&tok.value) {
        if f.glued(k + 1) && (f.is_num(k + 1) || f.is_punct(k + 1, b':')) {
            return None;
        }
        return Some((tok.value as i32, k + 1));
    }
    None
}

/// One expression without ranges.
fn single(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    let expr = |end: usize, val: Val| {
        Some(Expr {
            start: i,
            end,
            val,
            day_first_proof: None,
        })
    };
    match tok.kind {
        Kind::Num => {
            if let Some(expr) = numeric(f, i) {
                return Some(expr);
            }
            if let Some(expr) = ordinal_quarter(f, i) {
                return Some(expr);
            }
            if let Some(expr) = ordinal_week(f, i) {
                return Some(expr);
            }
            if let Some(expr) = spaced_numeric(f, i) {
                return Some(expr);
            }
            if let Some(expr) = japanese_date(f, i) {
                return Some(expr);
            }
            if let Some(expr) = amount_with_postposition(f, i) {
                return Some(expr);
            }
            let (day, next, marked) = day_number(f, i)?;
            let of = if f.is_any(next, OF_WORDS) { next + 1 } else { next };
            if let Some((month, after, _)) = month_at(f, of) {
                if month == 5 && f.word(of) == "may" && of == next && !marked && f.is_a_word(after) {
                    // "5 may be" is a verb.
                    return None;
                }
                let (year, end) = match year_at(f, after) {
                    Some((y, end)) => (Some(y), end),
                    None => (None, after),
                };
                return expr(end, Val::Date { year, month, day });
            }
            // An article before a bare number makes it a day: "until the 14", "jusqu'au 29",
            // "fino al 19", "hasta el 19", "até o dia 19", "bis zum 19".
            if !marked
                && !f.is_any(
                    i.wrapping_sub(1),
                    &[
                        "the", "dem", "den", "zum", "vom", "le", "au", "du", "el", "del", "il", "al", "dal",
                        "dia", "o", "ao",
                    ],
                )
            {
                return None;
            }
            if f.is_any(next, AFTER_UNITS) || f.is_num(next) || f.is_punct(next, b':') {
                return None;
            }
            if let Some(end) = of_next_month(f, next) {
                return expr(end, Val::DayNextMonth(day));
            }
            expr(next, Val::DayOnly(day))
        }
        Kind::Word => word_expr(f, i),
        Kind::Punct(_) => None,
    }
}

/// Japanese dates, as `crate::dates::tokens` folds them: "2027年12月7日" is
/// "2027 nen 12 gatsu 7 nichi", "12月中旬" is "12 gatsu chuujun".
fn japanese_date(f: &Folded, i: usize) -> Option<Expr> {
    let number = |k: usize, max: u32| {
        f.toks
            .get(k)
            .filter(|t| t.kind == Kind::Num && t.digits <= 2 && (1..=max).contains(&t.value))
            .map(|t| t.value)
    };
    let (year, k) = match f.toks.get(i) {
        Some(t) if t.kind == Kind::Num && t.digits == 4 && f.is_word(i + 1, "nen") => {
            (Some(t.value as i32), i + 2)
        }
        _ => (None, i),
    };
    let month = number(k, 12)?;
    if !f.is_word(k + 1, "gatsu") {
        return None;
    }
    let expr = |end: usize, val: Val| {
        Some(Expr {
            start: i,
            end,
            val,
            day_first_proof: None,
        })
    };
    if let (Some(day), true) = (number(k + 2, 31), f.is_word(k + 3, "nichi")) {
        return expr(k + 4, Val::Date { year, month, day });
    }
    let (part, end) = post_part(f, k + 2).unwrap_or((Part::None, k + 2));
    expr(end, Val::Month { year, month, part })
}

/// Day and month written with a dot and a space each, as Czech and Slovak (and often
/// German and Polish) write them: "7. 12. 2027", "do 7. 12.". A run of more numbers with
/// dots ("1. 2. 3.") is an enumeration, not a date.
fn spaced_numeric(f: &Folded, i: usize) -> Option<Expr> {
    let day = f.toks.get(i)?;
    if day.digits > 2 || !(1..=31).contains(&day.value) || numeric_context_forbids(f, i) {
        return None;
    }
    if !(f.glued(i + 1) && f.is_punct(i + 1, b'.')) || f.glued(i + 2) {
        return None;
    }
    let month = f.toks.get(i + 2).filter(|t| t.kind == Kind::Num)?;
    if month.digits > 2 || !(1..=12).contains(&month.value) {
        return None;
    }
    if !(f.glued(i + 3) && f.is_punct(i + 3, b'.')) {
        return None;
    }
    let numbered_dot = |k: usize| f.is_num(k) && f.is_punct(k + 1, b'.') && f.glued(k + 1);
    if (i >= 2 && numbered_dot(i - 2))
        || (numbered_dot(i + 4) && f.toks.get(i + 4).is_none_or(|t| t.digits != 4))
    {
        return None;
    }
    let (year, end) = match year_at(f, i + 4) {
        Some((y, end)) => (Some(y), end),
        None => (None, i + 4),
    };
    Some(Expr {
        start: i,
        end,
        val: Val::Date {
            year,
            month: month.value,
            day: day.value,
        },
        day_first_proof: None,
    })
}

/// Numeric dates: ISO, `D.M.[Y]`, `D/M[/Y]`, `D-M-Y`, with the guards that keep phone,
/// order and version numbers out.
fn numeric(f: &Folded, i: usize) -> Option<Expr> {
    if numeric_context_forbids(f, i) {
        return None;
    }
    numeric_unguarded(f, i)
}

/// The second end of a range written with a dash glued to both dates ("22.12.-06.01.",
/// "22.12.2026–06.01.2027"): the glued dash would otherwise read as part of a phone number.
fn numeric_after_range_dash(f: &Folded, i: usize) -> Option<Expr> {
    if !(f.is_punct(i.wrapping_sub(1), b'-') && f.glued(i)) {
        return None;
    }
    numeric_unguarded(f, i)
}

/// `D.M` or `D/M` starting at token `k`, with the given separator, all glued.
fn day_month_at(f: &Folded, k: usize, sep: u8) -> bool {
    let short = |k: usize| {
        f.toks
            .get(k)
            .is_some_and(|t| t.kind == Kind::Num && t.digits <= 2)
    };
    short(k) && f.is_punct(k + 1, sep) && f.glued(k + 1) && short(k + 2) && f.glued(k + 2)
}

/// [`numeric`] without the look at the words before.
fn numeric_unguarded(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    let sep = match f.toks.get(i + 1)?.kind {
        Kind::Punct(p @ (b'.' | b'/' | b'-')) if f.glued(i + 1) => p,
        _ => return None,
    };
    let second = f
        .toks
        .get(i + 2)
        .filter(|t| t.kind == Kind::Num && f.glued(i + 2))?;
    let has_third = f.is_punct(i + 3, sep) && f.glued(i + 3) && f.is_num(i + 4) && f.glued(i + 4);
    let third = if has_third { f.toks.get(i + 4) } else { None };
    let mut end = if has_third { i + 5 } else { i + 3 };
    // A further "-12" or ".56" means a phone number or a version, not a date, unless a dash
    // leads to a second date written the same way: "22.12-06.01" is a range.
    let range_dash = sep != b'-' && f.is_punct(end, b'-') && day_month_at(f, end + 1, sep);
    if f.glued(end)
        && !range_dash
        && matches!(
            f.toks.get(end).map(|t| t.kind),
            Some(Kind::Punct(b'.' | b'/' | b'-' | b':'))
        )
        && f.glued(end + 1)
        && f.is_num(end + 1)
    {
        return None;
    }
    if f.is_any(end, AFTER_UNITS) || f.is_punct(end, b'$') || f.is_punct(end, b'%') {
        return None;
    }
    if tok.digits == 4 {
        let third = third?;
        if second.digits > 2 || third.digits > 2 {
            return None;
        }
        let val = Val::Date {
            year: Some(tok.value as i32),
            month: second.value,
            day: third.value,
        };
        return Some(Expr {
            start: i,
            end,
            val,
            day_first_proof: None,
        });
    }
    if tok.digits > 2 || second.digits > 2 {
        return None;
    }
    let year = match third {
        Some(t) if t.digits == 4 && (1970..=2100).contains(&t.value) => Some(t.value as i32),
        Some(t) if t.digits == 2 => Some(2000 + t.value as i32),
        Some(_) => return None,
        None => None,
    };
    let (a, b) = (tok.value, second.value);
    if year.is_none() {
        match sep {
            // "tot 27-11", "vanaf 3-1": day-month with a dash only right after an operator.
            b'-' if !(f.is_any(i.wrapping_sub(1), DASH_DATE_OPS) && second.digits == 2 && b <= 12) => {
                return None
            }
            b'-' => {}
            b'.' => {
                let trailing = f.is_punct(end, b'.') && f.glued(end);
                if trailing {
                    end += 1;
                } else if second.digits < 2 {
                    return None;
                }
            }
            _ => {}
        }
    }
    if a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
        return None;
    }
    let (val, proof) = if sep == b'.' {
        (
            Val::Date {
                year,
                month: b,
                day: a,
            },
            None,
        )
    } else if a > 12 {
        (
            Val::Date {
                year,
                month: b,
                day: a,
            },
            Some(true),
        )
    } else if b > 12 {
        (
            Val::Date {
                year,
                month: a,
                day: b,
            },
            Some(false),
        )
    } else if a == b {
        (
            Val::Date {
                year,
                month: a,
                day: a,
            },
            None,
        )
    } else {
        (
            Val::Ambig {
                year,
                first: a,
                second: b,
            },
            None,
        )
    };
    Some(Expr {
        start: i,
        end,
        val,
        day_first_proof: proof,
    })
}

/// Numbers glued to words or signs, or following words such as "ticket", are never dates.
fn numeric_context_forbids(f: &Folded, i: usize) -> bool {
    // The end of a range written without spaces: "29.11.–10.12.", "20.12–31.12.".
    let after_range_dash = i >= 3
        && (f.is_punct(i - 1, b'-') || f.is_punct(i - 1, b'~'))
        && (f.is_punct(i - 2, b'.')
            || (f.is_num(i - 2) && (f.is_punct(i - 3, b'.') || f.is_punct(i - 3, b'/'))));
    if i > 0
        && f.glued(i)
        && !after_range_dash
        && !f.is_punct(i - 1, b'(')
        && !f.is_punct(i - 1, b'"')
        && !f.is_punct(i - 1, b'\'')
    {
        return true;
    }
    let mut k = i;
    for _ in 0..3 {
        if k == 0 {
            return false;
        }
        k -= 1;
        // Polish "po 15.12." is "after 15.12.", not a purchase order.
        if f.is_word(k, "po") && k + 1 == i && f.is_punct(i + 1, b'.') && f.glued(i + 1) {
            return false;
        }
        if f.is_any(k, NEG_WORDS) {
            return true;
        }
        if f.is_any(
            k,
            &[
                "du", "de", "del", "of", "from", "vom", "dated", "van", "do", "da", "dal", "the", "o",
            ],
        ) {
            continue;
        }
        match f.toks.get(k).map(|t| t.kind) {
            Some(Kind::Punct(b'+' | b'#' | b'$')) => return true,
            Some(Kind::Punct(b':' | b'.' | b'(' | b'-')) => {}
            _ => return false,
        }
    }
    false
}

/// Quarters written with a numeral: "1. Quartal", "1st quarter", "1er trimestre".
fn ordinal_quarter(f: &Folded, i: usize) -> Option<Expr> {
    let (n, next, marked) = day_number(f, i)?;
    if !marked || !(1..=4).contains(&n) || !f.toks.get(next).is_some_and(|t| t.lex.quarter) {
        return None;
    }
    let (year, end) = quarter_year(f, next + 1);
    Some(Expr {
        start: i,
        end,
        val: Val::Quarter { year, quarter: n },
        day_first_proof: None,
    })
}

/// Calendar weeks written with an ordinal first: "24. KW", "der 24. Kalenderwoche".
fn ordinal_week(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    if tok.kind != Kind::Num || tok.digits > 2 || !(1..=53).contains(&tok.value) {
        return None;
    }
    if f.glued(i) && (f.is_num(i - 1) || f.is_a_word(i - 1)) {
        return None;
    }
    let mut next = i + 1;
    if f.glued(next) && (f.is_punct(next, b'.') || f.is_any(next, ORDINAL_SUFFIXES)) {
        next += 1;
    } else {
        return None;
    }
    if !f.is_any(next, WEEK_NUM_AFTER) {
        return None;
    }
    let (year, end) = quarter_year(f, next + 1);
    Some(Expr {
        start: i,
        end,
        val: Val::Week {
            year,
            week: tok.value,
        },
        day_first_proof: None,
    })
}

/// Calendar weeks written with the word first: "KW 24", "KW24", "week 24", "semaine 24".
fn numbered_week(f: &Folded, i: usize) -> Option<Expr> {
    // Swedish "v50", "v.50" (a bare "v 50" is Czech "at 50").
    let swedish_v = f.is_word(i, "v")
        && ((f.glued(i + 1) && f.is_num(i + 1))
            || (f.is_punct(i + 1, b'.') && f.glued(i + 1) && f.is_num(i + 2)));
    if !f.is_any(i, WEEK_NUM_BEFORE) && !swedish_v {
        return None;
    }
    let mut k = i + 1;
    if f.is_punct(k, b'.') || f.is_punct(k, b'-') || f.is_word(k, "nr") {
        k += 1;
    }
    let tok = f.toks.get(k)?;
    if tok.kind != Kind::Num || tok.digits > 2 || !(1..=53).contains(&tok.value) {
        return None;
    }
    // "week 2 of the project" is fine; "week 24/7" or "semana 3,5" are not weeks.
    if f.glued(k + 1) && (f.is_a_word(k + 1) || f.is_punct(k + 1, b',') || f.is_punct(k + 1, b':')) {
        return None;
    }
    if f.is_punct(k + 1, b'/') && f.is_num(k + 2) && f.toks.get(k + 2).is_some_and(|t| t.digits == 1) {
        return None;
    }
    // "uge 48-49", "v.51-52": a range of weeks.
    let last_week = f
        .toks
        .get(k + 2)
        .filter(|t| f.is_punct(k + 1, b'-') && t.kind == Kind::Num && t.digits <= 2)
        .map(|t| t.value)
        .filter(|&w| w > tok.value && w <= 53);
    if let Some(last_week) = last_week {
        let (year, end) = quarter_year(f, k + 3);
        let week = |week: u32| Val::Week { year, week };
        return Some(Expr {
            start: i,
            end,
            val: Val::Range(Box::new(week(tok.value)), Box::new(week(last_week))),
            day_first_proof: None,
        });
    }
    let (year, end) = quarter_year(f, k + 1);
    Some(Expr {
        start: i,
        end,
        val: Val::Week {
            year,
            week: tok.value,
        },
        day_first_proof: None,
    })
}

/// The period named at `k`: a week, month, quarter or year word.
fn period_unit(f: &Folded, k: usize) -> Option<NextUnit> {
    let tok = f.toks.get(k)?;
    if tok.lex.quarter {
        return Some(NextUnit::Quarter);
    }
    match tok.lex.unit {
        Unit::Week => Some(NextUnit::Week),
        Unit::Month => Some(NextUnit::Month),
        Unit::Year => Some(NextUnit::Year),
        _ => None,
    }
}

/// "next" after a period word ("semaine prochaine", "semana que viene", "jaar volgend"):
/// returns the token after it.
fn next_after(f: &Folded, k: usize) -> Option<usize> {
    if f.toks.get(k).is_some_and(|t| t.lex.next) {
        return Some(k + 1);
    }
    if f.is_word(k, "que") && f.is_any(k + 1, &["viene", "vem"]) {
        return Some(k + 2);
    }
    None
}

/// A period at `k`, current or next: "next week", "semaine prochaine", "this month", "the
/// month", "nächsten Jahres". Returns `(unit, next, end)`.
fn period_at(f: &Folded, k: usize) -> Option<(NextUnit, bool, usize)> {
    if f.toks.get(k).is_some_and(|t| t.lex.next) {
        let unit = period_unit(f, k + 1)?;
        return Some((unit, true, k + 2));
    }
    let k = if f.is_any(k, THIS_WORDS) { k + 1 } else { k };
    let unit = period_unit(f, k)?;
    match next_after(f, k + 1) {
        Some(end) => Some((unit, true, end)),
        // "ce mois-ci"
        None if f.is_punct(k + 1, b'-') && f.is_word(k + 2, "ci") => Some((unit, false, k + 3)),
        None => Some((unit, false, k + 1)),
    }
}

fn quarter_year(f: &Folded, i: usize) -> (Option<i32>, usize) {
    let k = if f.is_punct(i, b'/') || f.is_punct(i, b'-') {
        i + 1
    } else {
        i
    };
    match year_at(f, k) {
        Some((y, end)) => (Some(y), end),
        None => (None, i),
    }
}

/// Expressions starting with a word.
fn word_expr(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    let lex = tok.lex;
    let word = f.word(i);
    let expr = |end: usize, val: Val| {
        Some(Expr {
            start: i,
            end,
            val,
            day_first_proof: None,
        })
    };

    // Before weekdays and "the new year": "lundi de Pâques", "New Year's Day".
    if let Some((feast, after)) = holiday_at(f, i) {
        let (year, end) = match year_at(f, after) {
            Some((y, end)) => (Some(y), end),
            None => (None, after),
        };
        return expr(end, Val::Holiday { year, feast });
    }
    if lex.weekday > 0 {
        return weekday_expr(f, i);
    }
    if let Some(found) = next_amount(f, i) {
        return Some(found);
    }
    if let Some(week) = numbered_week(f, i) {
        return Some(week);
    }
    // "the week of January 11", "die Woche vom 11. Januar", "la semaine du 11 janvier".
    if lex.unit == Unit::Week && f.is_any(i + 1, &["of", "vom", "du", "del", "dal", "van", "de", "do"]) {
        if let Some(inner) = single(f, i + 2) {
            if matches!(inner.val, Val::Date { .. } | Val::Ambig { .. }) {
                return expr(inner.end, Val::WeekOf(Box::new(inner.val)));
            }
        }
    }
    if lex.next && f.toks.get(i + 1).is_some_and(|t| t.lex.unit == Unit::Year) {
        return expr(i + 2, Val::Next(NextUnit::Year));
    }
    if (THIS_WORDS.contains(&word) && !lex.next) || WHOLE_WORDS.contains(&word) {
        let mut k = i + 1;
        if WHOLE_WORDS.contains(&word) && f.is_any(k, &["the", "la", "a", "die", "de", "het"]) {
            k += 1;
        }
        if let Some(unit) = period_unit(f, k) {
            // "bu hafta sonuna kadar", "tämän kuun lopussa".
            if let Some((part, end)) = post_part(f, k + 1) {
                return expr(
                    end,
                    Val::PartOf {
                        part,
                        unit,
                        next: false,
                    },
                );
            }
        }
        if let Some(unit) = period_unit(f, k).filter(|u| matches!(u, NextUnit::Week | NextUnit::Month)) {
            if next_after(f, k + 1).is_none() {
                let end = if f.is_punct(k + 1, b'-') && f.is_word(k + 2, "ci") {
                    k + 3
                } else {
                    k + 1
                };
                return expr(end, Val::This(unit));
            }
        }
    }
    // "in the new year", "im neuen Jahr", "à la nouvelle année", "el año nuevo".
    if f.is_any(
        i,
        &[
            "new", "neuen", "neue", "nouvelle", "nuovo", "nieuwe", "novo", "nuevo",
        ],
    ) && f.toks.get(i + 1).is_some_and(|t| t.lex.unit == Unit::Year)
    {
        return expr(i + 2, new_year(f, i));
    }
    if lex.unit == Unit::Year && f.is_any(i + 1, &["nuevo", "novo", "nuovo"]) {
        return expr(i + 2, new_year(f, i));
    }
    if lex.unit == Unit::Year && f.toks.get(i + 1).is_some_and(|t| t.lex.next) {
        return expr(i + 2, Val::Next(NextUnit::Year));
    }
    if lex.unit == Unit::Year && f.is_word(i + 1, "que") && f.is_any(i + 2, &["viene", "vem"]) {
        return expr(i + 3, Val::Next(NextUnit::Year));
    }
    if let Some(&(_, first_month)) = SEASONS.iter().find(|(w, _)| *w == word) {
        let mut prev = i.wrapping_sub(1);
        if f.is_punct(prev, b'\'') {
            prev = prev.wrapping_sub(1);
        }
        let year = year_at(f, i + 1);
        // English "I fall" is no season; Swedish "i sommar" is one.
        let english_i = word == "fall" && f.is_word(prev, "i");
        let postposition = f.is_any(i + 1, SEASON_AFTER);
        if (f.is_any(prev, SEASON_BEFORE) && !english_i) || year.is_some() || postposition {
            let (year, end) = match year {
                Some((y, end)) => (Some(y), end),
                None => (None, i + 1),
            };
            return expr(end, Val::Season { year, first_month });
        }
        return None;
    }
    if lex.next {
        // "ensi viikon lopussa", "gelecek ayın sonunda".
        if let (Some(unit), Some((part, end))) = (period_unit(f, i + 1), post_part(f, i + 2)) {
            return expr(
                end,
                Val::PartOf {
                    part,
                    unit,
                    next: true,
                },
            );
        }
        if let Some(unit_tok) = f.toks.get(i + 1) {
            let unit = unit_tok.lex.unit;
            if unit == Unit::Week {
                return expr(i + 2, Val::Next(NextUnit::Week));
            }
            if unit == Unit::Month {
                return expr(i + 2, Val::Next(NextUnit::Month));
            }
            if unit_tok.lex.quarter {
                return expr(i + 2, Val::Next(NextUnit::Quarter));
            }
            if unit_tok.lex.weekday > 0 {
                let inner = weekday_expr(f, i + 1)?;
                return expr(inner.end, inner.val);
            }
        }
        return None;
    }
    if let (Some(unit), Some((part, end))) = (period_unit(f, i), post_part(f, i + 1)) {
        // "kuun loppuun asti", "ay sonuna kadar", "vuoden lopussa".
        return expr(
            end,
            Val::PartOf {
                part,
                unit,
                next: false,
            },
        );
    }
    match word {
        // Turkish "haftaya" (next week), "seneye" (next year), one word each.
        "haftaya"
            if !f
                .toks
                .get(i.wrapping_sub(1))
                .is_some_and(|t| t.lex.number > 0 || t.kind == Kind::Num) =>
        {
            return expr(i + 1, Val::Next(NextUnit::Week))
        }
        "seneye" => return expr(i + 1, Val::Next(NextUnit::Year)),
        // Scandinavian "i dag" (today); "i morgen" is read at "morgen".
        "i" if f.is_word(i + 1, "dag") => return expr(i + 2, Val::Days(0)),
        _ => {}
    }
    if lex.unit == Unit::Week || lex.unit == Unit::Month {
        let unit = if lex.unit == Unit::Week {
            NextUnit::Week
        } else {
            NextUnit::Month
        };
        if f.toks.get(i + 1).is_some_and(|t| t.lex.next) {
            return expr(i + 2, Val::Next(unit));
        }
        if f.is_word(i + 1, "que") && f.is_any(i + 2, &["viene", "vem"]) {
            return expr(i + 3, Val::Next(unit));
        }
        return None;
    }
    if let Some(days) = lex.rel_day {
        if days == 1 && matches!(word, "morgen" | "manana" | "morgon") && morning_not_tomorrow(f, i) {
            return None;
        }
        return expr(i + 1, Val::Days(u32::from(days)));
    }
    match word {
        "day" if f.is_word(i + 1, "after") && f.is_word(i + 2, "tomorrow") => {
            return expr(i + 3, Val::Days(2))
        }
        "apres" if f.is_punct(i + 1, b'-') && f.is_word(i + 2, "demain") => return expr(i + 3, Val::Days(2)),
        "apres" if f.is_word(i + 1, "demain") => return expr(i + 2, Val::Days(2)),
        "pasado" if f.is_word(i + 1, "manana") => return expr(i + 2, Val::Days(2)),
        "depois" if f.is_word(i + 1, "de") && f.is_word(i + 2, "amanha") => return expr(i + 3, Val::Days(2)),
        "aujourd" if f.is_punct(i + 1, b'\'') && f.is_word(i + 2, "hui") => return expr(i + 3, Val::Days(0)),
        "q" if f.glued(i + 1) => {
            let n = f
                .toks
                .get(i + 1)
                .filter(|t| t.kind == Kind::Num && (1..=4).contains(&t.value))?;
            if f.glued(i + 2) && (f.is_a_word(i + 2) || f.is_num(i + 2)) {
                return None;
            }
            let (year, end) = quarter_year(f, i + 2);
            return expr(
                end,
                Val::Quarter {
                    year,
                    quarter: n.value,
                },
            );
        }
        _ => {}
    }
    if lex.ordinal > 0 && (1..=4).contains(&lex.ordinal) && f.toks.get(i + 1).is_some_and(|t| t.lex.quarter) {
        let (year, end) = quarter_year(f, i + 2);
        return expr(
            end,
            Val::Quarter {
                year,
                quarter: u32::from(lex.ordinal),
            },
        );
    }
    if let Some(found) = amount_with_postposition(f, i) {
        return Some(found);
    }
    if IN_PREPS.contains(&word) || FOR_PREPS.contains(&word) || word == "daqui" || word == "dentro" {
        let mut k = i + 1;
        if (word == "daqui" && f.is_word(k, "a")) || (word == "dentro" && f.is_word(k, "de")) {
            k += 1;
        }
        // "in about a week", "for roughly 11 days", "in etwa zwei Wochen", "dans environ
        // deux semaines", "en unos diez días": a hedge before the amount changes nothing.
        while k < i + 4 && (f.is_any(k, AMOUNT_HEDGES) || f.is_punct(k, b'~') || f.is_punct(k, b'.')) {
            if f.is_punct(k, b'.') && !f.is_any(k.wrapping_sub(1), &["approx", "ca", "env"]) {
                break;
            }
            k += 1;
        }
        if let Some((n, unit, end)) = amount(f, k) {
            let val = if FOR_PREPS.contains(&word) {
                Val::For(unit, n)
            } else {
                Val::Within(unit, n)
            };
            return expr(end, val);
        }
        // Polish and Czech "za tydzień", "za měsíc": in one week, one month.
        let unit = f.toks.get(k).map_or(Unit::None, |t| t.lex.unit);
        if word == "za" && unit != Unit::None {
            return expr(k + 1, Val::Within(unit, 1));
        }
    }
    if lex.part != Part::None {
        let mut k = i + 1;
        while k < i + 4 && (f.is_any(k, PART_LINKS) || f.is_punct(k, b'-') || f.is_punct(k, b'\'')) {
            k += 1;
        }
        if let Some((month, after, _)) = month_at(f, k) {
            let (year, end) = match year_at(f, after) {
                Some((y, end)) => (Some(y), end),
                None => (None, after),
            };
            return expr(
                end,
                Val::Month {
                    year,
                    month,
                    part: lex.part,
                },
            );
        }
        // Norwegian "sist uke" and Danish "sidst på ugen" are the last week, not its end.
        let month_only = MONTH_ONLY_PARTS.contains(&word);
        if let Some((unit, next, end)) = period_at(f, k).filter(|_| !month_only) {
            return expr(
                end,
                Val::PartOf {
                    part: lex.part,
                    unit,
                    next,
                },
            );
        }
    }
    if word == "primi" && f.is_word(i + 1, "di") {
        let (month, after, _) = month_at(f, i + 2)?;
        return expr(
            after,
            Val::Month {
                year: None,
                month,
                part: Part::Early,
            },
        );
    }
    if lex.month > 0 {
        return month_first(f, i);
    }
    None
}

/// "The new year" at token `i`: the next year, except right after "after" ("after the new
/// year", "nach dem neuen Jahr", "después de año nuevo"), where it is New Year's Day: the
/// writer means the turn of the year, not the end of the next one.
fn new_year(f: &Folded, i: usize) -> Val {
    let mut k = i.wrapping_sub(1);
    while f.is_any(k, &["the", "dem", "l", "el", "de", "do", "del", "o", "la", "het"]) || f.is_punct(k, b'\'')
    {
        k = k.wrapping_sub(1);
    }
    if f.is_any(
        k,
        &[
            "after", "nach", "apres", "despues", "dopo", "na", "depois", "apos",
        ],
    ) {
        return Val::Holiday {
            year: None,
            feast: Feast::Fixed { month: 1, day: 1 },
        };
    }
    Val::Next(NextUnit::Year)
}

/// A holiday name starting at token `i`: its day and the token after the name. The longest
/// name wins ("Easter Monday" over "Easter").
fn holiday_at(f: &Folded, i: usize) -> Option<(Feast, usize)> {
    if !f.is_a_word(i) {
        return None;
    }
    let first = f.word(i);
    // Most words start no holiday name: one lookup instead of a scan of the table.
    if !HOLIDAY_FIRST_WORDS.contains(first) {
        return None;
    }
    let mut best: Option<(Feast, usize)> = None;
    for name in HOLIDAYS.iter().filter(|name| name.words.first() == Some(&first)) {
        let mut k = i + 1;
        let mut matched = true;
        for word in name.words.iter().skip(1) {
            while (f.is_punct(k, b'-') || f.is_punct(k, b'\'')) && f.glued(k) {
                k += 1;
            }
            if !f.is_word(k, word) {
                matched = false;
                break;
            }
            k += 1;
        }
        if !matched {
            continue;
        }
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

/// A part word after a period (see [`POST_PARTS`]): `(part, next token)`.
fn post_part(f: &Folded, k: usize) -> Option<(Part, usize)> {
    if f.toks.get(k)?.kind != Kind::Word {
        return None;
    }
    let word = f.word(k);
    POST_PARTS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, part)| (part, k + 1))
}

/// An amount of time that a postposition or a case ending makes a span: "kahden viikon
/// päästä", "2 hafta sonra", "kahden viikon ajan", "iki haftalığına", "viikon päästä".
fn amount_with_postposition(f: &Folded, i: usize) -> Option<Expr> {
    let (n, unit, end) = match amount(f, i) {
        Some(found) => found,
        // A unit alone is one of it ("viikon päästä", in a week).
        None => {
            let unit = f.toks.get(i).filter(|t| t.kind == Kind::Word)?.lex.unit;
            if unit == Unit::None || !f.is_any(i + 1, WITHIN_AFTER) {
                return None;
            }
            (1, unit, i + 1)
        }
    };
    let val = if f.is_any(end, WITHIN_AFTER) {
        Val::Within(unit, n)
    } else if f.is_any(end, FOR_AFTER) {
        Val::For(unit, n)
    } else if f.is_any(end - 1, FOR_UNITS) {
        return Some(Expr {
            start: i,
            end,
            val: Val::For(unit, n),
            day_first_proof: None,
        });
    } else {
        return None;
    };
    Some(Expr {
        start: i,
        end: end + 1,
        val,
        day_first_proof: None,
    })
}

/// "Guten Morgen", "heute Morgen", "por la mañana" are mornings, not tomorrow.
fn morning_not_tomorrow(f: &Folded, i: usize) -> bool {
    if i == 0 {
        return false;
    }
    let prev = i - 1;
    f.is_any(
        prev,
        &[
            "guten",
            "heute",
            "am",
            "jeden",
            "diesen",
            "morgen",
            "la",
            "las",
            "esta",
            "cada",
            "een",
            "goede",
            "de",
            "god",
            "godmorgen",
        ],
    ) || f.toks.get(prev).is_some_and(|t| t.lex.weekday > 0)
}

/// "two weeks", "zwei Wochen", "3 days", "a couple of weeks".
/// Hedges that may stand between "in"/"for" and an amount.
const AMOUNT_HEDGES: &[&str] = &[
    "about",
    "around",
    "approximately",
    "approx",
    "roughly",
    "some",
    "ca",
    "circa",
    "etwa",
    "ungefahr",
    "rund",
    "environ",
    "unos",
    "unas",
    "aproximadamente",
    "ongeveer",
    "zo",
    "n",
    "cerca",
    "de",
    "uns",
    "umas",
    "env",
];

/// "next" before an amount ("the next 3 days", "die nächsten zwei Wochen", "los próximos
/// diez días", "de komende twee weken"), or after it ("les deux prochaines semaines", "i
/// prossimi 3 giorni" reads as the first form).
const NEXT_AMOUNT: &[&str] = &[
    "next",
    "coming",
    "following",
    "nachsten",
    "naechsten",
    "kommenden",
    "folgenden",
    "prochains",
    "prochaines",
    "proximos",
    "proximas",
    "prossimi",
    "prossime",
    "komende",
    "volgende",
];
/// Articles that may stand before [`NEXT_AMOUNT`] ("the", "die", "les", "los", "i", "de").
const NEXT_AMOUNT_ARTICLES: &[&str] = &[
    "the", "die", "den", "les", "los", "las", "i", "gli", "le", "de", "os", "as",
];

/// An absence over the next stretch of time: "(for) the next 3 days", "die nächsten zwei
/// Wochen", "les deux prochaines semaines", "los próximos diez días": as long as "for 3
/// days", from now.
fn next_amount(f: &Folded, i: usize) -> Option<Expr> {
    let k = if f.is_any(i, NEXT_AMOUNT_ARTICLES) {
        i + 1
    } else {
        i
    };
    let (n, unit, end) = if f.is_any(k, NEXT_AMOUNT) {
        amount(f, k + 1)?
    } else if k > i {
        // "les deux prochaines semaines": the amount, "next", then the unit.
        let tok = f.toks.get(k)?;
        let n = match tok.kind {
            Kind::Num if tok.digits <= 2 && tok.value > 0 => tok.value,
            Kind::Word if tok.lex.number > 0 => u32::from(tok.lex.number),
            _ => return None,
        };
        if !f.is_any(k + 1, NEXT_AMOUNT) {
            return None;
        }
        let unit = f.toks.get(k + 2)?.lex.unit;
        if unit == Unit::None {
            return None;
        }
        (n, unit, k + 3)
    } else {
        return None;
    };
    Some(Expr {
        start: i,
        end,
        val: Val::For(unit, n),
        day_first_proof: None,
    })
}

fn amount(f: &Folded, i: usize) -> Option<(u32, Unit, usize)> {
    let number = |k: usize| {
        let tok = f.toks.get(k)?;
        match tok.kind {
            Kind::Num if tok.digits <= 2 && tok.value > 0 => Some(tok.value),
            Kind::Word if tok.lex.number > 0 => Some(u32::from(tok.lex.number)),
            _ => None,
        }
    };
    let tok = f.toks.get(i)?;
    let mut n = number(i)?;
    let mut k = i + 1;
    // "2-3 weeks", "two to three weeks", "zwei bis drei Wochen", "2 ou 3 semaines": the
    // longer one, the first day certainly back.
    if f.is_punct(k, b'-') || f.is_any(k, &["to", "or", "bis", "oder", "a", "ou", "o", "tot", "of", "-"]) {
        if let Some(m) =
            number(k + 1).filter(|&m| m > n && f.toks.get(k + 2).is_some_and(|t| t.lex.unit != Unit::None))
        {
            n = m;
            k += 2;
        }
    }
    if f.is_word(k, "of") {
        k += 1;
    }
    let unit = f.toks.get(k)?.lex.unit;
    if unit == Unit::None {
        return None;
    }
    // "quinze jours", "quince días", "quindici giorni", "quinze dias" are two weeks.
    if unit == Unit::Day && n == 15 && tok.kind == Kind::Word {
        return Some((2, Unit::Week, k + 1));
    }
    Some((n, unit, k + 1))
}

/// A weekday, maybe followed by a date ("Monday, June 15", "lundi 15 juin") or by "next"
/// ("lundi prochain", "el lunes que viene").
fn weekday_expr(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    let weekday = u32::from(tok.lex.weekday);
    let word = f.word(i);
    let mut k = i + 1;
    let portuguese = matches!(
        word,
        "segunda"
            | "terca"
            | "quarta"
            | "quinta"
            | "sexta"
            | "segundas"
            | "tercas"
            | "quartas"
            | "quintas"
            | "sextas"
    );
    let mut feira = false;
    if (f.is_punct(k, b'-') && f.is_any(k + 1, &["feira", "feiras"])) || f.is_any(k, &["feira", "feiras"]) {
        k += if f.is_any(k, &["feira", "feiras"]) { 1 } else { 2 };
        feira = true;
    }
    let mut j = k;
    if f.is_punct(j, b',') || (f.is_punct(j, b'.') && word.len() <= 4) {
        j += 1;
    }
    // Danish and Norwegian "mandag d. 13. december".
    if f.is_word(j, "d") && f.is_punct(j + 1, b'.') {
        j += 2;
    }
    if f.is_any(
        j,
        &["the", "den", "der", "le", "el", "il", "de", "dia", "dnia", "dne"],
    ) {
        j += 1;
    }
    if let Some(mut inner) = single(f, j) {
        if matches!(inner.val, Val::Date { .. } | Val::Ambig { .. }) {
            inner.start = i;
            return Some(inner);
        }
        if let Val::DayOnly(day) = inner.val {
            return Some(Expr {
                start: i,
                end: inner.end,
                val: Val::WeekdayDay { weekday, day },
                day_first_proof: None,
            });
        }
    }
    if let Some(end) = weekday_day_number(f, j) {
        let day = f.toks[j].value;
        return Some(Expr {
            start: i,
            end,
            val: Val::WeekdayDay { weekday, day },
            day_first_proof: None,
        });
    }
    let short_name = word.len() < 5 && !SHORT_WEEKDAYS.contains(&word);
    if short_name && !(f.is_punct(k, b',') || f.is_punct(k, b'.')) {
        return None;
    }
    if portuguese
        && !feira
        && !f.is_any(
            i.wrapping_sub(1),
            &[
                "na", "ate", "a", "de", "proxima", "nesta", "esta", "as", "nas", "aos",
            ],
        )
    {
        return None;
    }
    if f.toks.get(k).is_some_and(|t| t.lex.next) {
        k += 1;
    } else if f.is_word(k, "que") && f.is_any(k + 1, &["viene", "vem"]) {
        k += 2;
    }
    if short_name {
        k = k.max(i + 1);
    }
    Some(Expr {
        start: i,
        end: k,
        val: Val::Weekday(weekday),
        day_first_proof: None,
    })
}

/// A bare day number right after a weekday ("lunes 14", "maandag 14", "Montag, 14."): the
/// token after it, unless the number is a time, an amount or the start of a longer date.
fn weekday_day_number(f: &Folded, j: usize) -> Option<usize> {
    let (_, next, _) = day_number(f, j)?;
    if month_follows(f, next)
        || amount(f, j).is_some()
        || f.is_num(next)
        || f.is_any(next, AFTER_UNITS)
        || f.is_any(next, &["am", "oclock", "o"])
    {
        return None;
    }
    if (f.is_punct(next, b':') || f.is_punct(next, b'.') || f.is_punct(next, b'-') || f.is_punct(next, b'/'))
        && f.glued(next + 1)
        && f.is_num(next + 1)
    {
        return None;
    }
    if f.is_punct(next, b':') || f.is_punct(next, b'-') || f.is_punct(next, b'/') {
        return None;
    }
    Some(next)
}

/// Month first: "June 15", "June 15th, 2027", "Sept. 3", or a month alone ("in January").
fn month_first(f: &Folded, i: usize) -> Option<Expr> {
    let (month, after, full) = month_at(f, i)?;
    if full {
        // Finnish and Turkish name the part after the month: "joulukuun puolivälissä",
        // "ocak ortası", "Aralık ayının sonuna".
        let k = if f.is_any(after, &["ayi", "ayin", "ayinin", "ayinda"]) {
            after + 1
        } else {
            after
        };
        if let Some((part, end)) = post_part(f, k) {
            return Some(Expr {
                start: i,
                end,
                val: Val::Month {
                    year: None,
                    month,
                    part,
                },
                day_first_proof: None,
            });
        }
    }
    let mut k = after;
    if f.is_word(k, "the") {
        k += 1;
    }
    if let Some((day, end, marked)) = day_number(f, k) {
        let time_or_amount = f.is_any(end, AFTER_UNITS)
            || f.is_punct(end, b':')
            || (f.is_punct(end, b'.') && f.glued(end) && f.is_num(end + 1));
        let day_ok = !time_or_amount;
        if day_ok && (full || marked || f.word(i) != "may" || !f.is_a_word(end)) {
            let (year, end) = match year_at(f, end) {
                Some((y, end)) => (Some(y), end),
                None => (None, end),
            };
            return Some(Expr {
                start: i,
                end,
                val: Val::Date { year, month, day },
                day_first_proof: None,
            });
        }
    }
    if !full {
        return None;
    }
    let word = f.word(i);
    if matches!(word, "may" | "marco" | "mars" | "marca" | "maja") {
        // Month names that are also common words stand alone only after a preposition.
        let prev = i.wrapping_sub(1);
        if !f.is_any(
            prev,
            &[
                "in",
                "en",
                "em",
                "of",
                "until",
                "till",
                "from",
                "since",
                "after",
                "through",
                "early",
                "mid",
                "late",
                "de",
                "a",
                "fin",
                "debut",
                "do",
                "od",
                "po",
                "przed",
                "polowy",
                "polowie",
                "poczatku",
                "poczatkiem",
                "konca",
                "koncem",
                "i",
                "av",
                "af",
                "till",
                "til",
            ],
        ) {
            return None;
        }
    }
    let (year, end) = match year_at(f, after) {
        Some((y, end)) => (Some(y), end),
        None => (None, after),
    };
    Some(Expr {
        start: i,
        end,
        val: Val::Month {
            year,
            month,
            part: Part::None,
        },
        day_first_proof: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::dates::grammar::{parse, Feast, NextUnit, Val};
    use crate::dates::lexicon::{Part, Unit};
    use crate::dates::tokens::fold;

    fn vals(text: &str) -> Vec<Val> {
        parse(&fold(text)).into_iter().map(|e| e.val).collect()
    }

    fn date(year: Option<i32>, month: u32, day: u32) -> Val {
        Val::Date { year, month, day }
    }

    #[test]
    fn absolute_forms() {
        assert_eq!(vals("June 15"), [date(None, 6, 15)]);
        assert_eq!(vals("15th of June"), [date(None, 6, 15)]);
        assert_eq!(vals("June 15th, 2027"), [date(Some(2027), 6, 15)]);
        assert_eq!(vals("Monday, June 15"), [date(None, 6, 15)]);
        assert_eq!(vals("15.06."), [date(None, 6, 15)]);
        assert_eq!(vals("15.06.2027"), [date(Some(2027), 6, 15)]);
        assert_eq!(vals("15. Juni"), [date(None, 6, 15)]);
        assert_eq!(vals("2027-06-15"), [date(Some(2027), 6, 15)]);
        assert_eq!(vals("el 15 de junio de 2027"), [date(Some(2027), 6, 15)]);
        assert_eq!(vals("le 1er févr."), [date(None, 2, 1)]);
        assert_eq!(vals("1º de julho"), [date(None, 7, 1)]);
        assert_eq!(vals("3 mrt"), [date(None, 3, 3)]);
        assert_eq!(vals("Sept. 3"), [date(None, 9, 3)]);
    }

    #[test]
    fn numeric_order() {
        assert_eq!(
            vals("03/04/2027"),
            [Val::Ambig {
                year: Some(2027),
                first: 3,
                second: 4
            }]
        );
        assert_eq!(vals("13/04/2027"), [date(Some(2027), 4, 13)]);
        assert_eq!(vals("04/13/2027"), [date(Some(2027), 4, 13)]);
    }

    #[test]
    fn never_dates() {
        assert!(vals("+49 30 1234567").is_empty());
        assert!(vals("(555) 123-4567").is_empty());
        assert!(vals("Ticket #20270615").is_empty());
        assert!(vals("order 15/06").is_empty());
        assert!(vals("at 15:06").is_empty());
        assert!(vals("version 1.2.3").is_empty());
        assert!(vals("06.12.34.56.78").is_empty());
        assert!(vals("15.06 EUR").is_empty());
    }

    #[test]
    fn ranges() {
        let range = |a: Val, b: Val| Val::Range(Box::new(a), Box::new(b));
        assert_eq!(vals("1-15 June"), [range(date(None, 6, 1), date(None, 6, 15))]);
        assert_eq!(
            vals("vom 1. bis 15. Juni"),
            [range(date(None, 6, 1), date(None, 6, 15))]
        );
        assert_eq!(
            vals("du 1er au 15 juin"),
            [range(date(None, 6, 1), date(None, 6, 15))]
        );
        assert_eq!(vals("June 1 to 15"), [range(date(None, 6, 1), date(None, 6, 15))]);
        assert_eq!(
            vals("1 t/m 15 juni"),
            [range(date(None, 6, 1), date(None, 6, 15))]
        );
        assert_eq!(
            vals("vom 22.12.–06.01."),
            [range(date(None, 12, 22), date(None, 1, 6))]
        );
        assert_eq!(vals("22.12-06.01"), [range(date(None, 12, 22), date(None, 1, 6))]);
        assert_eq!(
            vals("22.12.2026—06.01.2027"),
            [range(date(Some(2026), 12, 22), date(Some(2027), 1, 6))]
        );
        assert!(vals("0171 12.34-56.78").is_empty());
        assert_eq!(
            vals("dal 24.12 al 6.1,"),
            [range(date(None, 12, 24), date(None, 1, 6))]
        );
        assert_eq!(
            vals("van 24-12 tot en met 3-1"),
            [range(date(None, 12, 24), date(None, 1, 3))]
        );
        assert_eq!(vals("6.1"), []);
    }

    #[test]
    fn holidays() {
        let fixed = |month, day| Val::Holiday {
            year: None,
            feast: Feast::Fixed { month, day },
        };
        assert_eq!(vals("dopo l'Epifania"), [fixed(1, 6)]);
        assert_eq!(vals("nach Heilige Drei Könige"), [fixed(1, 6)]);
        assert_eq!(vals("después de Reyes"), [fixed(1, 6)]);
        assert_eq!(vals("Juan Reyes"), []);
        assert_eq!(vals("after New Year's Day"), [fixed(1, 1)]);
        assert_eq!(vals("after the new year"), [fixed(1, 1)]);
        assert_eq!(vals("in the new year"), [Val::Next(NextUnit::Year)]);
        assert_eq!(vals("après la Toussaint"), [fixed(11, 1)]);
        assert_eq!(vals("dopo Ferragosto"), [fixed(8, 15)]);
        assert_eq!(vals("after the Christmas holidays"), []);
        assert_eq!(vals("après les vacances de Noël"), []);
        assert_eq!(
            vals("lundi de Pâques"),
            [Val::Holiday {
                year: None,
                feast: Feast::Easter(1)
            }]
        );
        assert_eq!(
            vals("Pfingsten 2028"),
            [Val::Holiday {
                year: Some(2028),
                feast: Feast::Easter(49)
            }]
        );
        assert_eq!(
            vals("Fête-Dieu"),
            [Val::Holiday {
                year: None,
                feast: Feast::Easter(60)
            }]
        );
    }

    #[test]
    fn forms_of_the_new_languages() {
        let range = |a: Val, b: Val| Val::Range(Box::new(a), Box::new(b));
        let month = |month: u32, part: Part| Val::Month {
            year: None,
            month,
            part,
        };
        assert_eq!(vals("do 7. 12. 2027"), [date(Some(2027), 12, 7)]);
        assert_eq!(vals("7 grudnia"), [date(None, 12, 7)]);
        assert_eq!(vals("w grudniu"), [month(12, Part::None)]);
        assert_eq!(vals("v prosinci"), [month(12, Part::None)]);
        assert_eq!(vals("4. joulukuuta"), [date(None, 12, 4)]);
        assert_eq!(vals("joulukuussa"), [month(12, Part::None)]);
        assert_eq!(vals("11 Aralık'a kadar"), [date(None, 12, 11)]);
        assert_eq!(vals("Aralıkta"), [month(12, Part::None)]);
        assert_eq!(vals("den 3:e december"), [date(None, 12, 3)]);
        assert_eq!(vals("7 XII 2027"), [date(Some(2027), 12, 7)]);
        assert_eq!(vals("połowa grudnia"), [month(12, Part::Mid)]);
        assert_eq!(vals("mitten av januari"), [month(1, Part::Mid)]);
        assert_eq!(vals("midten af januar"), [month(1, Part::Mid)]);
        assert_eq!(vals("tammikuun puolivälissä"), [month(1, Part::Mid)]);
        assert_eq!(vals("polovina ledna"), [month(1, Part::Mid)]);
        assert_eq!(vals("ocak ortası"), [month(1, Part::Mid)]);
        assert_eq!(vals("Aralık ayının sonuna"), [month(12, Part::End)]);
        for week in [
            "vecka 3",
            "uge 3",
            "uke 3",
            "viikko 3",
            "týden 3",
            "tydzień 3",
            "3. hafta",
            "v3",
        ] {
            assert_eq!(vals(week), [Val::Week { year: None, week: 3 }], "{week}");
        }
        assert_eq!(vals("w poniedziałek"), [Val::Weekday(1)]);
        assert_eq!(vals("v pondělí"), [Val::Weekday(1)]);
        assert_eq!(vals("maanantaina"), [Val::Weekday(1)]);
        assert_eq!(vals("pazartesi"), [Val::Weekday(1)]);
        assert_eq!(vals("cumaya kadar"), [Val::Weekday(5)]);
        assert_eq!(vals("w przyszłym tygodniu"), [Val::Next(NextUnit::Week)]);
        assert_eq!(vals("ensi viikolla"), [Val::Next(NextUnit::Week)]);
        assert_eq!(vals("haftaya"), [Val::Next(NextUnit::Week)]);
        assert_eq!(vals("za tydzień"), [Val::Within(Unit::Week, 1)]);
        assert_eq!(vals("om två veckor"), [Val::Within(Unit::Week, 2)]);
        assert_eq!(vals("kahden viikon päästä"), [Val::Within(Unit::Week, 2)]);
        assert_eq!(vals("iki hafta sonra"), [Val::Within(Unit::Week, 2)]);
        assert_eq!(vals("iki haftalığına"), [Val::For(Unit::Week, 2)]);
        assert_eq!(vals("i dag"), [Val::Days(0)]);
        assert_eq!(vals("god morgon"), []);
        assert_eq!(
            vals("bu hafta sonuna"),
            [Val::PartOf {
                part: Part::End,
                unit: NextUnit::Week,
                next: false
            }]
        );
        assert_eq!(
            vals("20.12–31.12."),
            [range(date(None, 12, 20), date(None, 12, 31))]
        );
        assert_eq!(
            vals("od 1 do 15 grudnia"),
            [range(date(None, 12, 1), date(None, 12, 15))]
        );
        assert_eq!(vals("2027年12月7日"), [date(Some(2027), 12, 7)]);
        let week = |week: u32| Val::Week { year: None, week };
        assert_eq!(vals("uge 48-49"), [range(week(48), week(49))]);
        assert_eq!(vals("mandag d. 13. december"), [date(None, 12, 13)]);
        assert_eq!(vals("12月中旬"), [month(12, Part::Mid)]);
        assert_eq!(
            vals("12月1日～12月7日"),
            [range(date(None, 12, 1), date(None, 12, 7))]
        );
        // Portuguese "neste mês" is this month, Norwegian "neste måned" the next.
        assert_eq!(vals("neste mês"), [Val::This(NextUnit::Month)]);
        assert_eq!(vals("neste måned"), [Val::Next(NextUnit::Month)]);
        // Enumerations are no dates.
        assert!(!vals("1. 2. 3. 4.").iter().any(|v| matches!(v, Val::Date { .. })));
    }

    #[test]
    fn relative_forms() {
        assert_eq!(vals("next week"), [Val::Next(NextUnit::Week)]);
        assert_eq!(vals("la semaine prochaine"), [Val::Next(NextUnit::Week)]);
        assert_eq!(vals("in zwei Wochen"), [Val::Within(Unit::Week, 2)]);
        assert_eq!(vals("tomorrow"), [Val::Days(1)]);
        assert_eq!(vals("Guten Morgen"), []);
        assert_eq!(
            vals("Q1"),
            [Val::Quarter {
                year: None,
                quarter: 1
            }]
        );
        assert_eq!(
            vals("1. Quartal 2028"),
            [Val::Quarter {
                year: Some(2028),
                quarter: 1
            }]
        );
        assert_eq!(
            vals("Anfang März"),
            [Val::Month {
                year: None,
                month: 3,
                part: Part::Early
            }]
        );
        assert_eq!(vals("lundi prochain"), [Val::Weekday(1)]);
        assert_eq!(vals("el lunes 14"), [Val::WeekdayDay { weekday: 1, day: 14 }]);
        assert_eq!(vals("Monday the 14th"), [Val::WeekdayDay { weekday: 1, day: 14 }]);
        assert_eq!(vals("Montag, den 14."), [Val::WeekdayDay { weekday: 1, day: 14 }]);
        assert_eq!(
            vals("segunda-feira, dia 14"),
            [Val::WeekdayDay { weekday: 1, day: 14 }]
        );
        assert_eq!(vals("maandag 14"), [Val::WeekdayDay { weekday: 1, day: 14 }]);
        assert_eq!(vals("Monday 10 am"), [Val::Weekday(1)]);
        assert_eq!(vals("Montag 14:00"), [Val::Weekday(1)]);
        assert_eq!(vals("segunda-feira"), [Val::Weekday(1)]);
        assert_eq!(vals("donderdagochtend"), [Val::Weekday(4)]);
        assert_eq!(vals("Donnerstagnachmittag"), [Val::Weekday(4)]);
        assert_eq!(vals("mondays"), [Val::Weekday(1)]);
        assert_eq!(vals("às segundas-feiras"), [Val::Weekday(1)]);
        assert_eq!(vals("segundas intenções"), []);
    }
}
