//! Days and months as written: numbers with their guards against phone, order and version
//! numbers ("15.06.", "2027-06-15", "7. 12. 2027", "2027年12月7日"), a month's name before or
//! after the day ("June 15th", "15 de junio"), weekdays ("lundi 15", "Monday the 14th").

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) const ORDINAL_SUFFIXES: &[&str] = &[
    "st", "nd", "rd", "th", "er", "re", "e", "eme", "o", "a", "ste", "de", "ten",
];
/// Words after which `27-11` is a day and month (Dutch and Portuguese write dates so).
pub(super) const DASH_DATE_OPS: &[&str] = &[
    "tot", "m", "vanaf", "t", "per", "op", "until", "till", "from", "bis", "ab", "hasta", "ate", "desde",
    "dia", "em", "fino", "dal", "jusqu", "au", "na", "tm", "van", "del", "do", "od", "til", "till", "fra",
    "fran",
];
/// The Portuguese weekdays that are other words too without their "-feira" ("segunda" is
/// second), and their plurals.
const PT_WEEKDAYS: &[&str] = &["segunda", "terca", "quarta", "quinta", "sexta"];
const PT_WEEKDAYS_PLURAL: &[&str] = &["segundas", "tercas", "quartas", "quintas", "sextas"];
/// Weekday names shorter than five letters that are still full names (Turkish).
pub(super) const SHORT_WEEKDAYS: &[&str] = &["cuma", "sali"];
/// Weekday abbreviations of German, Dutch, French, Spanish, Italian and Portuguese that are
/// other words too ("ma", "sa", "ven", "sex"): a weekday only right before a date
/// ("Mo., 13.07.", "ven. 10/07", "vie. 10/07").
pub(super) const ABBR_BEFORE_A_DATE: &[&str] = &[
    "mo", "fr", "sa", "ma", "wo", "vr", "zo", "lun", "mer", "mie", "jeu", "jue", "gio", "ven", "vie", "sam",
    "sab", "dim", "dom", "seg", "sex",
];
pub(super) const NEG_WORDS: &[&str] = &[
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

/// The dative endings Turkish puts on a day number after its apostrophe ("12'sine", "3'üne",
/// "6'sına", "9'una", "20'sine"), folded.
const TURKISH_DAY_CASES: &[&str] = &[
    "e", "a", "ye", "ya", "ine", "ina", "une", "una", "sine", "sina", "sune", "suna", "ne", "na",
];

/// A day number with an optional ordinal mark: `(day, next token, has ordinal mark)`. An
/// English ordinal word counts too where a date is plainly meant (see [`ordinal_word_day`]).
pub(super) fn day_number(f: &Folded, i: usize) -> Option<(u32, usize, bool)> {
    let tok = f.toks.get(i)?;
    if tok.kind == Kind::Word {
        return ordinal_word_day(f, i).map(|(day, next)| (day, next, true));
    }
    if tok.kind != Kind::Num || tok.digits > 2 || !(1..=31).contains(&tok.value) {
        return None;
    }
    if f.glued(i) && (f.is_num(i - 1) || f.is_a_word(i - 1)) {
        return None;
    }
    // "pabellón 8.", "Halle 4", "room 12", "stand 8": a number that labels a place or a
    // thing, never a day.
    if f.is_any(i.wrapping_sub(1), LABEL_NOUNS) {
        return None;
    }
    let next = i + 1;
    if f.glued(next) && f.is_any(next, ORDINAL_SUFFIXES) {
        return Some((tok.value, next + 1, true));
    }
    // Spanish and Portuguese "1.º", "4.ª" (the ordinal indicator folds to a letter): "a partir
    // del 1.º de septiembre", "no 4.º trimestre".
    if f.glued(next)
        && f.is_punct(next, b'.')
        && f.glued(next + 1)
        && f.is_any(next + 1, &["o", "a"])
        && !f.glued(next + 2)
    {
        return Some((tok.value, next + 2, true));
    }
    // Swedish "den 3:e", "1:a".
    if f.glued(next) && f.is_punct(next, b':') && f.glued(next + 1) && f.is_any(next + 1, &["a", "e"]) {
        return Some((tok.value, next + 2, true));
    }
    // Polish "po 15-tym", "do 3-go", "1-szy": the ordinal's ending after a hyphen.
    if f.glued(next) && f.is_punct(next, b'-') && f.glued(next + 1) && f.is_any(next + 1, HYPHEN_ORDINALS) {
        return Some((tok.value, next + 2, true));
    }
    // Turkish "ayın 12'sine kadar", "20'sine dek", "3'üne kadar": the day of this month with
    // its case ending after an apostrophe, before "until".
    if f.glued(next)
        && f.is_punct(next, b'\'')
        && f.glued(next + 1)
        && f.is_any(next + 1, TURKISH_DAY_CASES)
        && f.is_any(next + 2, &["kadar", "dek", "degin"])
    {
        return Some((tok.value, next + 2, true));
    }
    if f.glued(next) && f.is_a_word(next) {
        return None;
    }
    // "am 2.", "le 2." mark a day with the dot; after English "at", "around", "by" the dot
    // ends the sentence and the number is an hour ("back at 2.", "call me around 10."), and
    // after the words that join a number to one before it in the languages that write no
    // ordinal dot ("ring me between 2 and 4.", "from 9 to 5.", "tra le 2 e le 4.").
    if f.glued(next)
        && f.is_punct(next, b'.')
        && !(f.glued(next + 1) && f.is_num(next + 1))
        && !f.is_any(i.wrapping_sub(1), NO_ORDINAL_DOT)
    {
        return Some((tok.value, next + 1, true));
    }
    Some((tok.value, next, false))
}

/// Nouns a number after which labels a place or a thing: halls, stands, rooms, floors,
/// gates, platforms, buildings, in the languages read.
const LABEL_NOUNS: &[&str] = &[
    "hall",
    "halls",
    "stand",
    "booth",
    "room",
    "floor",
    "gate",
    "platform",
    "building",
    "suite",
    "desk",
    "level",
    "pabellon",
    "sala",
    "planta",
    "piso",
    "puerta",
    "edificio",
    "aula",
    "halle",
    "raum",
    "zimmer",
    "gleis",
    "stock",
    "etage",
    "salle",
    "batiment",
    "porte",
    "quai",
    "padiglione",
    "piano",
    "stanza",
    "pavilhao",
    "andar",
    "zaal",
    "lokaal",
    "verdieping",
    "perron",
];

/// Polish ordinal endings written after a number and a hyphen ("15-tym", "3-go", "1-szy",
/// "2-gi", "3-ci", "4-ty").
const HYPHEN_ORDINALS: &[&str] = &[
    "go", "ego", "tego", "ym", "tym", "ty", "szy", "gi", "ci", "ma", "mu",
];

/// Words after which a number's dot ends the sentence: English "at", "around", "by", and
/// the "and", "or", "to", "until" of English and the Romance languages, which write their
/// ordinals without a dot (German "bis 4." and Nordic "til 4." keep theirs).
const NO_ORDINAL_DOT: &[&str] = &[
    "at", "around", "about", "by", "and", "or", "to", "until", "till", "between", "et", "ou", "y", "e",
];

/// Words after which "May" is the month, not the verb ("back on 18 May and will reply then",
/// "in May or June", "until May when"): a conjunction, a preposition or a pronoun; after
/// the verb a verb or an adverb comes ("5 may be late").
pub(super) const AFTER_MAY: &[&str] = &[
    "and",
    "or",
    "to",
    "till",
    "until",
    "through",
    "thru",
    "at",
    "in",
    "on",
    "for",
    "from",
    "when",
    "as",
    "but",
    "so",
    "then",
    "i",
    "we",
    "after",
    "before",
    "onwards",
    "onward",
    "inclusive",
    "included",
    "between",
    "with",
    "if",
    "unless",
    "while",
    "the",
    "via",
    "latest",
];

/// English ordinal words of the days ("fifteenth", "twenty-first", "thirtieth").
const ORDINAL_DAYS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
];

/// "the fifteenth of December", "December twenty-first", "back on the third": an English
/// ordinal word (or the first of a month in the other languages: "premier", "primero",
/// "primeiro", "primo", "ersten", "eerste") (with "twenty-" or "thirty-" before the units) as a day, `(day, next token)`,
/// only beside a month ("of" and a month after it, or a month before it) or after "the" and a
/// word that introduces a day ("on", "until", "by" ...): "the fifth time" is no day.
pub(super) fn ordinal_word_day(f: &Folded, i: usize) -> Option<(u32, usize)> {
    let word = f.word(i);
    // "le premier décembre", "el primero de diciembre", "o dia primeiro de dezembro", "il
    // primo dicembre", "am ersten Dezember": the first of a month, written as a word, only
    // with the month after it.
    if matches!(
        word,
        "premier" | "primero" | "primeiro" | "primo" | "erste" | "ersten" | "eerste"
    ) {
        return month_follows(f, i + 1).then_some((1, i + 1));
    }
    if let Some(found) = day_word(f, i) {
        return Some(found);
    }
    // Every word of every text comes here: most leave at once.
    if !(word.ends_with("th") || word.ends_with("st") || word.ends_with("nd") || word.ends_with("rd"))
        && word != "twenty"
        && word != "thirty"
    {
        return None;
    }
    let (tens, units_at) = match word {
        "twenty" | "thirty" => {
            let k = if f.is_punct(i + 1, b'-') { i + 2 } else { i + 1 };
            (if word == "twenty" { 20 } else { 30 }, k)
        }
        _ => (0, i),
    };
    let &(_, units) = ORDINAL_DAYS.iter().find(|(w, _)| f.is_word(units_at, w))?;
    let day = tens + units;
    if !(1..=31).contains(&day) || (tens > 0 && units > 9) {
        return None;
    }
    let next = units_at + 1;
    let first = i;
    let month_before = |k: usize| f.toks.get(k).is_some_and(|t| t.lex.month > 0);
    let before = if f.is_word(first.wrapping_sub(1), "the") {
        first.wrapping_sub(2)
    } else {
        first.wrapping_sub(1)
    };
    let introduced = f.is_word(first.wrapping_sub(1), "the")
        && f.is_any(
            before,
            &[
                "on", "until", "till", "til", "through", "thru", "by", "from", "to", "after", "before",
                "since", "back",
            ],
        );
    (month_follows(f, next) || month_before(before) || introduced).then_some((day, next))
}

/// "el día quince de septiembre", "le vingt et un mars", "il quindici settembre", "op
/// vijftien september", "am fünfzehnten September": a day of the month written as a word
/// (see `lexicon::Lex::day`; tens joined to a unit: "vingt et un", "vingt-deux", "dix-sept",
/// "treinta y uno", "vinte e cinco"), `(day, next token)`. Only with the month right after it
/// (no day number after that: "due September 30" is English) and a word that introduces a
/// day before it (an article, a preposition of time, a weekday): "tres semanas", "sei
/// mesi", "once September comes" are no days.
fn day_word(f: &Folded, i: usize) -> Option<(u32, usize)> {
    let mut day = u32::from(f.toks.get(i)?.lex.day);
    // Most words are none: they leave here.
    if day == 0 {
        return None;
    }
    let mut next = i + 1;
    if matches!(day, 10 | 20 | 30) {
        let link = f.is_any(next, &["et", "y", "e"]) || (f.is_punct(next, b'-') && f.glued(next + 1));
        let k = if link { next + 1 } else { next };
        let unit = match f.word(k) {
            "un" | "une" | "um" | "uma" => 1,
            _ => f.toks.get(k).map_or(0, |t| u32::from(t.lex.day)),
        };
        if (1..=9).contains(&unit) && day + unit <= 31 {
            day += unit;
            next = k + 1;
        }
    }
    if !(1..=31).contains(&day) || !month_follows(f, next) {
        return None;
    }
    // The month's own day number after it makes the word something else.
    let of = if f.is_any(next, OF_WORDS) { next + 1 } else { next };
    let (_, after, _) = month_at(f, of)?;
    if f.toks
        .get(after)
        .is_some_and(|t| t.kind == Kind::Num && t.digits <= 2)
    {
        return None;
    }
    let before = if f.is_punct(i.wrapping_sub(1), b',') {
        i.wrapping_sub(2)
    } else {
        i.wrapping_sub(1)
    };
    let introduced = f.is_any(i.wrapping_sub(1), DAY_WORD_INTROS)
        || f.toks
            .get(before)
            .is_some_and(|t| t.kind == Kind::Word && t.lex.weekday > 0);
    introduced.then_some((day, next))
}

/// Words before a day of the month written as a word: articles and prepositions of time
/// ("le", "du", "au", "dès", "el", "del", "desde", "hasta", "il", "dal", "entro", "o",
/// "até", "dia", "am", "vom", "bis", "zum", "op", "tot", "vanaf").
const DAY_WORD_INTROS: &[&str] = &[
    "le", "du", "au", "des", "depuis", "a", "jusqu", "el", "del", "al", "desde", "hasta", "dia", "il", "dal",
    "fino", "entro", "giorno", "o", "ao", "do", "ate", "partir", "de", "am", "vom", "zum", "bis", "ab",
    "dem", "den", "der", "op", "tot", "met", "vanaf", "van", "per", "sinds", "na",
];

/// A month name at `i` (an abbreviation may carry a dot): `(month, next token, full name)`.
pub(super) fn month_at(f: &Folded, i: usize) -> Option<(u32, usize, bool)> {
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
pub(super) fn month_follows(f: &Folded, i: usize) -> bool {
    let k = if f.is_any(i, OF_WORDS) { i + 1 } else { i };
    month_at(f, k).is_some()
}

/// An optional written year after a day and month: `(year, next token)`.
pub(super) fn year_at(f: &Folded, i: usize) -> Option<(i32, usize)> {
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

/// The eras of the Japanese calendar: the name the lexicon folds "令和", "平成" to, the initial
/// of their short numeric form ("R8.3.16"), and the year before their first.
pub(super) const ERAS: &[(&str, &str, i32)] = &[("reiwa", "r", 2018), ("heisei", "h", 1988)];

/// Japanese dates, as `crate::dates::tokens` folds them: "2027年12月7日" is
/// "2027 nen 12 gatsu 7 nichi", "12月中旬" is "12 gatsu chuujun".
pub(super) fn japanese_date(f: &Folded, i: usize) -> Option<Expr> {
    let number = |k: usize, max: u32| {
        f.toks
            .get(k)
            .filter(|t| t.kind == Kind::Num && t.digits <= 2 && (1..=max).contains(&t.value))
            .map(|t| t.value)
    };
    // "令和8年" (the eighth year of Reiwa, 2026), "平成31年": an era's year, as folded.
    let era = ERAS
        .iter()
        .find(|(name, ..)| f.toks.get(i).is_some_and(|t| t.kind == Kind::Word) && f.is_word(i, name))
        .map(|&(.., year_zero)| year_zero);
    let (year, k) = match f.toks.get(i) {
        Some(t) if t.kind == Kind::Num && t.digits == 4 && f.is_word(i + 1, "nen") => {
            (Some(t.value as i32), i + 2)
        }
        // Taiwan's Minguo years ("115年2月23日": 1911 + 115 = 2026), three digits before 年.
        Some(t)
            if t.kind == Kind::Num
                && t.digits == 3
                && (100..=150).contains(&t.value)
                && f.is_word(i + 1, "nen") =>
        {
            (Some(1911 + t.value as i32), i + 2)
        }
        _ if era.is_some() => match f.toks.get(i + 1) {
            Some(t) if t.kind == Kind::Num && (1..=99).contains(&t.value) && f.is_word(i + 2, "nen") => {
                (era.map(|base| base + t.value as i32), i + 3)
            }
            _ => return None,
        },
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
    // "6月10〜11日", "6月10・11日": the first of two days, whose "日" the second carries;
    // the range's link or the list follows.
    if let (Some(day), true) = (
        number(k + 2, 31),
        f.is_punct(k + 3, b'~') || f.is_punct(k + 3, b','),
    ) {
        if number(k + 4, 31).is_some() && f.is_word(k + 5, "nichi") {
            return expr(k + 3, Val::Date { year, month, day });
        }
    }
    let (part, end) = post_part(f, k + 2).unwrap_or((Part::None, k + 2));
    expr(end, Val::Month { year, month, part })
}

/// The Japanese postpositions that make a date one end of a stretch, as `tokens` folds them:
/// "から" and "より" (from), "まで" (until), "以降" (from ... on).
pub(super) const JA_POSTPOSITIONS: &[&str] = &["kara", "yori", "made", "ikou"];

/// A Japanese day of the month without its month ("8日から11日まで", "8日(月)〜"): a day only
/// before a word that makes it one end of a stretch ("から" from, "まで" until, "以降", a
/// range's link) or a particle and the return ("10日に戻ります"), never a count of days
/// ("10日間", "3日後").
pub(super) fn japanese_day(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    if tok.kind != Kind::Num || tok.digits > 2 || !(1..=31).contains(&tok.value) || !f.is_word(i + 1, "nichi")
    {
        return None;
    }
    // "6月" is a month's; "本日15日", "昨日14日" name the day a word already named.
    if f.is_any(
        i.wrapping_sub(1),
        &["gatsu", "honjitsu", "kyou", "kinou", "ashita"],
    ) {
        return None;
    }
    let end = super::ranges::paren_weekday(f, i + 2);
    // "20日(金)の午後に": the weekday in brackets makes it a day too, that weekday's.
    let weekday = (end > i + 2)
        .then(|| f.toks.get(i + 3).map(|t| u32::from(t.lex.weekday)))
        .flatten()
        .filter(|&w| w > 0);
    // "10日に戻ります", "12日は出社します": a particle, then the return itself.
    // Chinese puts the return right after the day: "20號回來".
    let back = ["modori", "shussha", "fukki", "kisha", "saikai"];
    let returned = f.is_punct(end, b'^') && f.is_any(end + 1, &back) || f.is_any(end, &back);
    // Chinese "到20号", "本月20号": the day after "until" or "this month".
    let after_until = f.is_any(i.wrapping_sub(1), &["until", "month", "after"]);
    // "15號之後再搵我" (after the 15th): "after" makes it a day too.
    let after = f.is_word(end, "ake");
    let stretch =
        f.is_any(end, JA_POSTPOSITIONS) || f.is_punct(end, b'~') || returned || after_until || after;
    let val = match weekday {
        Some(weekday) if !stretch => Val::WeekdayDay {
            weekday,
            day: tok.value,
        },
        _ if stretch => Val::DayOnly(tok.value),
        _ => return None,
    };
    Some(Expr {
        start: i,
        end: i + 2,
        val,
        day_first_proof: None,
    })
}

/// One past a Japanese day number's "日", if it has one ("30日").
pub(super) fn japanese_day_end(f: &Folded, end: usize) -> usize {
    if f.is_word(end, "nichi") {
        end + 1
    } else {
        end
    }
}

/// Day and month written with a dot and a space each, as Czech and Slovak (and often
/// German and Polish) write them: "7. 12. 2027", "do 7. 12.". A run of more numbers with
/// dots ("1. 2. 3.") is an enumeration, not a date.
pub(super) fn spaced_numeric(f: &Folded, i: usize) -> Option<Expr> {
    if let Some(expr) = spaced_year_first(f, i) {
        return Some(expr);
    }
    let day = f.toks.get(i)?;
    if day.digits > 2 || !(1..=31).contains(&day.value) || numeric_context_forbids(f, i) {
        return None;
    }
    if !(f.glued(i + 1) && f.is_punct(i + 1, b'.')) || f.glued(i + 2) {
        return None;
    }
    let month = f.toks.get(i + 2).filter(|t| t.kind == Kind::Num)?;
    // Korean writes the month first: "3. 26.(금)" reads only that way.
    let month_first = day.value <= 12 && (13..=31).contains(&month.value);
    let (day, month) = if month_first { (month, day) } else { (day, month) };
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

/// The Korean date, year first with a dot and a space after each part: "2027. 3. 26.".
fn spaced_year_first(f: &Folded, i: usize) -> Option<Expr> {
    let year = f.toks.get(i).filter(|t| t.kind == Kind::Num && t.digits == 4)?;
    let year = i32::try_from(year.value)
        .ok()
        .filter(|y| (2000..=2100).contains(y))?;
    let dot_then_num = |k: usize| f.glued(k) && f.is_punct(k, b'.') && !f.glued(k + 1) && f.is_num(k + 1);
    if !(dot_then_num(i + 1) && dot_then_num(i + 3)) {
        return None;
    }
    let month = f
        .toks
        .get(i + 2)
        .filter(|t| t.digits <= 2 && (1..=12).contains(&t.value))?
        .value;
    let day = f
        .toks
        .get(i + 4)
        .filter(|t| t.digits <= 2 && (1..=31).contains(&t.value))?
        .value;
    let end = if f.is_punct(i + 5, b'.') && f.glued(i + 5) {
        i + 6
    } else {
        i + 5
    };
    Some(Expr {
        start: i,
        end,
        val: Val::Date {
            year: Some(year),
            month,
            day,
        },
        day_first_proof: None,
    })
}

/// Numeric dates: ISO, `D.M.[Y]`, `D/M[/Y]`, `D-M-Y`, with the guards that keep phone,
/// order and version numbers out.
pub(super) fn numeric(f: &Folded, i: usize) -> Option<Expr> {
    if numeric_context_forbids(f, i) {
        return None;
    }
    numeric_unguarded(f, i)
}

/// The second end of a range written with a dash glued to both dates ("22.12.-06.01.",
/// "22.12.2026–06.01.2027"): the glued dash would otherwise read as part of a phone number.
pub(super) fn numeric_after_range_dash(f: &Folded, i: usize) -> Option<Expr> {
    if !(f.is_punct(i.wrapping_sub(1), b'-') && f.glued(i)) {
        return None;
    }
    numeric_unguarded(f, i)
}

/// Words right before a bare hour that make it a time of day: "alle 16", "a las 4", "om 4",
/// "um 16", "alle ore 16".
const TIME_BEFORE: &[&str] = &["alle", "dalle", "delle", "las", "om", "um", "ore", "das"];

/// The words for "o'clock" written before the hour in the Nordic languages, Finnish, Polish
/// and Turkish ("kl. 13", "klo 14", "godz. 15", "saat 15").
const CLOCK_WORDS: &[&str] = &["kl", "klo", "godz", "saat"];

/// Words that put a bare hour after a request to be called ("call me at 3", "ring me
/// between 2 and 4", "bel me na 4", "rufen Sie mich nach 16 an", "rappelez-moi après 15").
const CALL_HOUR_BEFORE: &[&str] = &[
    "at", "around", "after", "before", "between", "from", "tussen", "na", "rond", "vanaf", "nach", "vor",
    "zwischen", "ab", "gegen", "apres", "avant", "vers", "entre", "despues", "antes", "hacia", "sobre",
    "dopo", "prima", "verso", "tra", "fra", "depois", "ate",
];

/// Verbs of calling that take the writer as object right after them ("call me", "bel me",
/// "rufen Sie mich", "rappelez-moi", "liga-me").
const CALL_VERBS: &[&str] = &[
    "call",
    "ring",
    "phone",
    "bel",
    "rufen",
    "ruf",
    "appelez",
    "appelle",
    "rappelez",
    "rappelle",
    "liga",
    "ligue",
    "telefoneer",
];

/// The writer as the object of a call ("me", "mij", "mich", "moi", "us", "back" of "call me
/// back").
const CALL_OBJECTS: &[&str] = &["me", "mij", "mich", "moi", "back", "us", "uns", "ons", "nous"];

/// Calling verbs that carry their object ("llámame", "chiamami", "richiamami").
const CALL_ME_WORDS: &[&str] = &[
    "llamame",
    "llameme",
    "llamenme",
    "chiamami",
    "chiamatemi",
    "richiamami",
    "richiamatemi",
    "telefonami",
];

/// A bare hour at `i` asked for a call: one of [`CALL_HOUR_BEFORE`] right before it, and a
/// request to be called just before that ("call me at 3", "ring me back after 5", "bel me
/// tussen 9 en 11") or "any time" ("any time after 10"). Without them "at 3" may be anything.
fn call_hour(f: &Folded, i: usize) -> bool {
    let Some(word) = i.checked_sub(1) else {
        return false;
    };
    // "give me a ring then, any time after 10": any time of a day, its hour ("jederzeit ab
    // 15." may be the 15th).
    let any_time = f.is_word(word.wrapping_sub(1), "anytime")
        || f.is_word(word.wrapping_sub(2), "any") && f.is_word(word.wrapping_sub(1), "time");
    f.is_any(word, CALL_HOUR_BEFORE) && any_time
        || f.is_any(word, CALL_HOUR_BEFORE)
            && (word.saturating_sub(4)..word).any(|k| {
                f.is_any(k, CALL_ME_WORDS)
                    || f.is_any(k, CALL_VERBS)
                        && (k + 1..(k + 4).min(word + 1)).any(|o| f.is_any(o, CALL_OBJECTS))
            })
}

/// Words right after an hour that make it a time of day ("4 pm", "16 Uhr", "16h", "4 o'clock").
const HOUR_UNITS: &[&str] = &[
    "h", "uhr", "uur", "horas", "hrs", "heures", "heure", "oclock", "ji",
];

/// A time of day at token `i`: the minutes after midnight and the token after it. An hour
/// with "am"/"pm" ("4pm", "4:30 p.m."), with an hour word ("16 Uhr", "16h", "16h30", "om 4
/// uur", "às 16 horas"), with minutes after a colon ("16:00"), or a bare hour after a word
/// that only times follow ("alle 16", "a las 4", "um 16"). Never a day: "alle 16" is four in
/// the afternoon, not the 16th.
pub(super) fn time_of_day(f: &Folded, i: usize) -> Option<(u32, usize)> {
    let hour = f
        .toks
        .get(i)
        .filter(|t| t.kind == Kind::Num && t.digits <= 2)?
        .value;
    let mut k = i + 1;
    let mut minutes = 0;
    let mut marked = false;
    let mut dotted = false;
    let two_digits = |k: usize| {
        f.toks
            .get(k)
            .filter(|t| t.kind == Kind::Num && t.digits == 2 && t.value < 60)
            .map(|t| t.value)
    };
    if (f.is_punct(k, b':') || f.is_punct(k, b'.') || f.is_word(k, "h")) && f.glued(k) && f.glued(k + 1) {
        if let Some(m) = two_digits(k + 1) {
            // "16:00" is a time by its colon; "16.30" only with a unit after it.
            marked = f.is_punct(k, b':') || f.is_word(k, "h");
            dotted = f.is_punct(k, b'.');
            minutes = m;
            k += 2;
        }
    }
    // "am", "pm", "a.m.", "p.m."
    let meridiem = if f.is_any(k, &["am", "pm"]) {
        let pm = f.is_word(k, "pm");
        k += 1;
        Some(pm)
    } else if f.is_any(k, &["a", "p"]) && f.is_punct(k + 1, b'.') && f.is_word(k + 2, "m") {
        let pm = f.is_word(k, "p");
        k += 3;
        if f.is_punct(k, b'.') {
            k += 1;
        }
        Some(pm)
    } else {
        None
    };
    // Japanese puts "afternoon" before the hour: "午後3時" is 15:00.
    let meridiem = meridiem.or_else(|| f.is_word(i.wrapping_sub(1), "gogo").then_some(true));
    let hour = match meridiem {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => {
            // Polish "po 15-tej" (the hour, feminine: "15-tego" is the day) and Czech "po 16.
            // hodině": the hour's ending or its word after the ordinal dot.
            let polish_hour = f.is_punct(k, b'-') && f.glued(k) && f.glued(k + 1) && f.is_word(k + 1, "tej");
            let czech_hour = f.is_punct(k, b'.') && f.is_any(k + 1, &["hodine", "hodin", "hod", "hodinou"]);
            if polish_hour || czech_hour {
                marked = true;
                k += 2;
            } else if f.is_any(k, HOUR_UNITS) {
                marked = true;
                k += 1;
                // "16h30"
                if f.is_word(k - 1, "h") && f.glued(k) {
                    if let Some(m) = two_digits(k) {
                        minutes = m;
                        k += 1;
                    }
                }
            } else if f.is_word(k, "o") && f.is_punct(k + 1, b'\'') && f.is_word(k + 2, "clock") {
                marked = true;
                k += 3;
            }
            // Italian "dopo le 15", "verso le 15": the hours, feminine ("le 15" alone is a
            // day in French).
            let italian_hours = f.is_word(i.wrapping_sub(1), "le")
                && f.is_any(i.wrapping_sub(2), &["dopo", "verso", "entro"]);
            // "kl. 13", "klo 14", "godz. 15", "saat 15": the clock's own word, with or without
            // its dot.
            let clock_word = f.is_any(i.wrapping_sub(1), CLOCK_WORDS)
                || (f.is_punct(i.wrapping_sub(1), b'.') && f.is_any(i.wrapping_sub(2), CLOCK_WORDS));
            let after_time_word = (f.is_any(i.wrapping_sub(1), TIME_BEFORE)
                || clock_word
                || italian_hours
                || hour <= 23 && call_hour(f, i))
                && !month_follows(f, k)
                && !(f.glued(k)
                    && matches!(
                        f.toks.get(k).map(|t| t.kind),
                        Some(Kind::Punct(b'.' | b'/' | b'-'))
                    )
                    && f.glued(k + 1)
                    && f.is_num(k + 1));
            // "call me after 15th": the ordinal's ending makes it a day.
            let ordinal = f.glued(k) && f.is_any(k, &["st", "nd", "rd", "th"]);
            // "16.03" after "alle" is a date; "16.30 Uhr" a time.
            let time_word = after_time_word && !dotted && !ordinal;
            if !(marked || time_word) || hour > 23 {
                return None;
            }
            // Nobody asks to be called at four in the night: "a las 4", "um 4 Uhr" is 16:00.
            if (1..=6).contains(&hour) {
                hour + 12
            } else {
                hour
            }
        }
    };
    Some((hour * 60 + minutes, k))
}

/// "12/7-23", "8/3-14": a month-first date whose day runs on to a later day of the same
/// month, glued, at token `i` (the `M/D` part ends at `end`). Only the month-first reading
/// makes sense of it: day-first writers put the range before the month ("7-23/12"). The
/// trailing day must be later than the first and a day of a month, and nothing glued may
/// follow (a phone or version number "12/7-23-4").
fn month_first_day_range(f: &Folded, i: usize, end: usize, sep: u8) -> Option<Expr> {
    let month = f.toks.get(i).filter(|t| t.digits <= 2)?.value;
    let day = f.toks.get(i + 2).filter(|t| t.digits <= 2)?.value;
    if sep != b'/' || !(f.is_punct(end, b'-') && f.glued(end) && f.glued(end + 1)) {
        return None;
    }
    let last = f
        .toks
        .get(end + 1)
        .filter(|t| t.kind == Kind::Num && t.digits <= 2)?
        .value;
    let after = end + 2;
    let more = f.is_num(after)
        || matches!(
            f.toks.get(after).map(|t| t.kind),
            Some(Kind::Punct(b'-' | b'/' | b':' | b'.'))
        ) && f.glued(after + 1)
            && f.is_num(after + 1);
    if f.glued(after) && more {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || !(day + 1..=31).contains(&last) {
        return None;
    }
    let date = |day: u32| Val::Date {
        year: None,
        month,
        day,
    };
    Some(Expr {
        start: i,
        end: after,
        val: Val::Range(Box::new(date(day)), Box::new(date(last))),
        day_first_proof: Some(false),
    })
}

/// `D.M` or `D/M` starting at token `k`, with the given separator, all glued.
pub(super) fn day_month_at(f: &Folded, k: usize, sep: u8) -> bool {
    let short = |k: usize| {
        f.toks
            .get(k)
            .is_some_and(|t| t.kind == Kind::Num && t.digits <= 2)
    };
    short(k) && f.is_punct(k + 1, sep) && f.glued(k + 1) && short(k + 2) && f.glued(k + 2)
}

/// A slash at `k` and a four-digit number glued after it: the second end of an ISO range
/// ("2025-05-12/2025-05-16"), which the first end may stand before and the range joins.
pub(super) fn slash_then_year(f: &Folded, k: usize) -> bool {
    f.is_punct(k, b'/')
        && f.toks
            .get(k + 1)
            .is_some_and(|t| t.kind == Kind::Num && t.digits == 4)
}

/// [`numeric`] without the look at the words before.
pub(super) fn numeric_unguarded(f: &Folded, i: usize) -> Option<Expr> {
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
    // "2025-05-12/2025-05-16": an ISO date, a slash, and a second one.
    let iso_slash = sep == b'-' && tok.digits == 4 && has_third && slash_then_year(f, end);
    let range_dash = range_dash || iso_slash;
    if !range_dash && third.is_none() {
        if let Some(range) = month_first_day_range(f, i, end, sep) {
            return Some(range);
        }
    }
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
    // "25.03.17 ~ 25.03.21", "~25/11/21(금)", "25.9.26まで": Chinese, Japanese and Korean
    // writers put a two-digit year first, never last; in their text a first part that can
    // be a year of this century's first half, then a month and a day, is read so.
    if let Some(day) = third.filter(|t| t.digits <= 2 && (1..=31).contains(&t.value)) {
        if tok.digits == 2
            && (20..=40).contains(&tok.value)
            && (1..=12).contains(&second.value)
            && (0..f.toks.len()).any(|k| f.is_punct(k, b'^'))
        {
            return Some(Expr {
                start: i,
                end,
                val: Val::Date {
                    year: Some(2000 + tok.value as i32),
                    month: second.value,
                    day: day.value,
                },
                day_first_proof: None,
            });
        }
    }
    let year = match third {
        Some(t) if t.digits == 4 && (1970..=2100).contains(&t.value) => Some(t.value as i32),
        Some(t) if t.digits == 2 => Some(2000 + t.value as i32),
        Some(_) => return None,
        None => None,
    };
    let (a, b) = (tok.value, second.value);
    // "t/m wo 15-10", "bis Fr., 15-10": a weekday (a dot or comma after it) right before it,
    // itself after an operator ("Sa 9-12", "Mon-Fri 9-5" are opening hours).
    let weekday_before = || {
        let mut j = i.wrapping_sub(1);
        while (f.is_punct(j, b'.') || f.is_punct(j, b',')) && j + 3 > i {
            j = j.wrapping_sub(1);
        }
        f.toks
            .get(j)
            .is_some_and(|t| t.kind == Kind::Word && t.lex.weekday > 0)
            && f.is_any(j.wrapping_sub(1), DASH_DATE_OPS)
    };
    if year.is_none() {
        match sep {
            // "tot 27-11", "vanaf 3-1", "t/m 11-6": day-month with a dash only right after an
            // operator or a weekday, and not an amount ("tot 3-4 weken").
            b'-' if !((f.is_any(i.wrapping_sub(1), DASH_DATE_OPS) || weekday_before())
                && b <= 12
                && (second.digits == 2
                    || f.toks
                        .get(end)
                        .is_none_or(|t| t.lex.unit == Unit::None && t.kind != Kind::Num))) =>
            {
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
    // Japanese and Chinese write the month first with dots too ("3.11を", "于6.15返回"): a
    // dotted date touching their script is month-first.
    // So is one in brackets or a range glued to it: "出張中です(5.4~5.11)".
    let glued_cjk_before = || {
        let mut k = i;
        while k > 0 && f.glued(k) && k + 8 > i {
            k -= 1;
            if f.is_punct(k, b'^') {
                return true;
            }
            if !(f.is_num(k) || f.is_punct(k, b'.') || f.is_punct(k, b'~') || f.is_punct(k, b'(')) {
                return false;
            }
        }
        false
    };
    let cjk = (f.glued(i) && f.is_punct(i.wrapping_sub(1), b'^'))
        || (f.glued(end) && f.is_punct(end, b'^'))
        || glued_cjk_before();
    // "(3.16~3.23)": a dotted pair that only reads month-first is month-first, beside
    // Chinese or Japanese or a tilde; elsewhere it is a time of day ("bereikbaar van 8.30 tot
    // 16.30 uur", "ab 9.45"), a version or an amount.
    let tilde = f.is_punct(end, b'~') || f.is_punct(i.wrapping_sub(1), b'~');
    if sep == b'.' && b > 12 && !(cjk || tilde) && third.is_none() {
        return None;
    }
    let (val, proof) = if sep == b'.' && (cjk || b > 12) && a <= 12 {
        (
            Val::Date {
                year,
                month: a,
                day: b,
            },
            Some(false),
        )
    } else if sep == b'.' {
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
pub(super) fn numeric_context_forbids(f: &Folded, i: usize) -> bool {
    // The end of a range written without spaces: "29.11.–10.12.", "20.12–31.12.".
    // So is one after a bracketed weekday: "12/1(水)～12/3(金)".
    let after_range_dash = i >= 3
        && (f.is_punct(i - 1, b'-') || f.is_punct(i - 1, b'~'))
        && (f.is_punct(i - 2, b'.')
            || (f.is_num(i - 2) && (f.is_punct(i - 3, b'.') || f.is_punct(i - 3, b'/')))
            || (f.is_punct(i - 2, b')') && f.toks.get(i - 3).is_some_and(|t| t.lex.weekday > 0)));
    // "（〜8/20）": an open range, until the day.
    let open_tilde = i > 0 && f.is_punct(i - 1, b'~') && (i < 2 || !f.is_num(i - 2));
    if i > 0
        && f.glued(i)
        && !after_range_dash
        && !open_tilde
        && !f.is_punct(i - 1, b'(')
        // Japanese writes no spaces: "当店は6/8": a date after ideographs or kana.
        && !f.is_punct(i - 1, b'^')
        && !f.is_punct(i - 1, b'`')
        && !f.is_punct(i - 1, b'"')
        && !f.is_punct(i - 1, b'\'')
        // nor after the full-width punctuation of CJK text: "休假，10/20回來".
        && !f.toks.get(i - 1).is_some_and(|t| matches!(t.kind, Kind::Punct(_)) && t.o_end - t.o_start > 1)
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

/// Words of "last" before a weekday.
const LAST_BEFORE: &[&str] = &[
    "last",
    "past",
    "letzten",
    "letzte",
    "letzter",
    "letztem",
    "vergangenem",
    "vorigem",
    "vergangenen",
    "vorigen",
    "vorige",
    "afgelopen",
    "zeszly",
    "zeszlym",
    "ubiegly",
    "ubieglym",
    "minule",
    "minuly",
    "minulou",
    "gecen",
];

/// Words of "last" after a weekday (the Romance languages).
const LAST_AFTER: &[&str] = &[
    "dernier", "derniere", "pasado", "pasada", "scorso", "scorsa", "passado", "passada",
];

/// A weekday, maybe followed by a date ("Monday, June 15", "lundi 15 juin") or by "next"
/// ("lundi prochain", "el lunes que viene").
pub(super) fn weekday_expr(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    let numbered = numbered_weekday(f, i);
    let weekday = numbered.unwrap_or(u32::from(tok.lex.weekday));
    let word = f.word(i);
    // Swedish, Danish and Norwegian "i måndags", "i mandags": last Monday, a day gone by.
    if word.ends_with("dags") && f.is_word(i.wrapping_sub(1), "i") {
        return None;
    }
    // "last Monday", "letzten Montag", "vorige maandag", "zeszły poniedziałek", "minulé
    // pondělí"; "lundi dernier", "el lunes pasado", "lunedì scorso", "segunda passada": a day
    // gone by, no day ahead ("I only returned from leave last Monday").
    let before = i
        .checked_sub(1 + usize::from(f.is_any(i.wrapping_sub(1), &["on", "am", "le", "el", "il", "w", "v"])));
    let last_after = f.is_any(i + 1, LAST_AFTER) && !f.is_word(i + 2, "manana");
    if before.is_some_and(|b| f.is_any(b, LAST_BEFORE)) || last_after {
        return None;
    }
    // "2ª feira": the number and its ordinal mark, then "feira" as after "segunda".
    let mut k = if numbered.is_some() {
        numbered_mark_end(f, i)
    } else {
        i + 1
    };
    let portuguese = numbered.is_some() || f.is_any(i, PT_WEEKDAYS) || f.is_any(i, PT_WEEKDAYS_PLURAL);
    let mut feira = false;
    if (f.is_punct(k, b'-') && f.is_any(k + 1, &["feira", "feiras"])) || f.is_any(k, &["feira", "feiras"]) {
        k += if f.is_any(k, &["feira", "feiras"]) { 1 } else { 2 };
        feira = true;
    }
    let mut j = k;
    if f.is_punct(j, b'.') && numbered.is_none() && word.len() <= 4 {
        j += 1;
    }
    // "Mo., 13.07.": the abbreviation's dot, then a comma.
    if f.is_punct(j, b',') {
        j += 1;
    }
    // Danish and Norwegian "mandag d. 13. december".
    if f.is_word(j, "d") && f.is_punct(j + 1, b'.') {
        j += 2;
    }
    if f.is_any(
        j,
        &[
            "the", "den", "dem", "der", "le", "el", "il", "de", "dia", "dnia", "dne",
        ],
    ) {
        j += 1;
    }
    // "until Monday, 10 a.m.", "lundi, 10h": an hour after the weekday, not its day.
    let hour_next = time_of_day(f, j).is_some();
    if let Some(mut inner) = single(f, j).filter(|_| !hour_next) {
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
    if let Some(end) = weekday_day_number(f, j).filter(|_| !hour_next) {
        let day = f.toks[j].value;
        return Some(Expr {
            start: i,
            end,
            val: Val::WeekdayDay { weekday, day },
            day_first_proof: None,
        });
    }
    // "volto seg", "até sex": the Portuguese short weekdays after a return verb or "until";
    // so the Romance ones, written short from a phone: "rientro lun.", "vuelvo vie.", "de
    // retour jeu.".
    let portuguese_placed = f.is_any(
        i.wrapping_sub(1),
        &["volto", "voltamos", "retorno", "regresso", "ate"],
    ) && ["seg", "sex", "sab", "dom"].contains(&word)
        || f.is_any(
            i.wrapping_sub(1),
            &[
                "rientro",
                "torno",
                "rientriamo",
                "vuelvo",
                "regreso",
                "volvemos",
                "retour",
                "reviens",
                "rentre",
            ],
        ) && ["lun", "mer", "mie", "jeu", "jue", "gio", "ven", "vie"].contains(&word)
            && (f.is_punct(k, b'.') || f.is_punct(k, b',') || k >= f.toks.len());
    if ABBR_BEFORE_A_DATE.contains(&word) && !portuguese_placed {
        return None;
    }
    let short_name = numbered.is_none() && word.len() < 5 && !SHORT_WEEKDAYS.contains(&word);
    if short_name
        && !(f.is_punct(k, b',') || f.is_punct(k, b'.') || short_weekday_placed(f, i, k) || portuguese_placed)
    {
        return None;
    }
    // "quinta à tarde", "sexta de manhã": a part of that day after it.
    let part_of_day_after =
        f.is_any(k, &["a", "de", "pela", "na", "no"]) && f.is_any(k + 1, &["tarde", "manha", "noite"]);
    let placed_before = f.is_any(
        i.wrapping_sub(1),
        &[
            "na",
            "ate",
            "a",
            "de",
            "proxima",
            "nesta",
            "esta",
            "as",
            "nas",
            "aos",
            "essa",
            // "volto segunda", "retorno quinta": a return verb before it.
            "volto",
            "voltamos",
            "volta",
            "retorno",
            "retornamos",
            "regresso",
            "regressamos",
            "apos",
            // "pode me ligar quinta", "falamos sexta": a call on that day.
            "ligar",
            "ligue",
            "liga",
            "ligo",
            "falar",
            "falamos",
            "conversamos",
            // "de preferência segunda"
            "preferencia",
        ],
    );
    // "segunda ou terça", "quarta e quinta": listed beside another weekday.
    let listed = f.is_any(k, &["ou", "e"]) && f.is_any(k + 1, PT_WEEKDAYS)
        || f.is_any(i.wrapping_sub(1), &["ou", "e"]) && f.is_any(i.wrapping_sub(2), PT_WEEKDAYS);
    if portuguese && !feira && !placed_before && !part_of_day_after && !listed {
        return None;
    }
    // "Thursday next week", "Dienstag nächste Woche", "mardi de la semaine prochaine".
    let of = if f.is_any(k, &["of", "de", "der", "della", "van", "da"]) {
        k + 1
    } else {
        k
    };
    let of = if f.is_any(of, &["la", "the"]) { of + 1 } else { of };
    if let Some((NextUnit::Week, true, end)) = period_at(f, of) {
        return Some(Expr {
            start: i,
            end,
            val: Val::WeekdayNextWeek(weekday),
            day_first_proof: None,
        });
    }
    if f.toks.get(k).is_some_and(|t| t.lex.next) {
        k += 1;
    } else if f.is_any(k, &["que", "q"]) && f.is_any(k + 1, &["viene", "vem"]) {
        k += 2;
    }
    if short_name {
        k = k.max(i + 1);
    }
    // "Tuesday this week", "mercredi cette semaine", "Mittwoch diese Woche": this week's.
    if f.is_any(k, THIS_WORDS) && period_unit(f, k + 1) == Some(NextUnit::Week) {
        return Some(Expr {
            start: i,
            end: k + 2,
            val: Val::WeekdayThisWeek(weekday),
            day_first_proof: None,
        });
    }
    Some(Expr {
        start: i,
        end: k,
        val: Val::Weekday(weekday),
        day_first_proof: None,
    })
}

/// English prepositions that place a short weekday name ("until Wed", "on Fri", "from Mon").
const SHORT_WEEKDAY_PLACES: &[&str] = &[
    "until", "till", "til", "thru", "through", "from", "on", "by", "before", "after", "next", "this", "back",
    "bk",
];

/// A short weekday name at `i` ("Mon", "Wed", "Tues"; other words too: "wed", "sat", French
/// "mon") with `k` the token after it, that something around it makes a day: the other end
/// of a range of weekdays ("Mon-Wed", "Mon - Wed", "Mon to Wed"), the week after it ("Wed
/// next week"), or a preposition that places it ("until Wed").
fn short_weekday_placed(f: &Folded, i: usize, k: usize) -> bool {
    let weekday = |j: usize| f.toks.get(j).is_some_and(|t| t.lex.weekday > 0);
    let link = |j: usize| f.is_punct(j, b'-') || f.is_any(j, &["to", "till", "thru", "through"]);
    (link(k) && weekday(k + 1))
        || (link(i.wrapping_sub(1)) && weekday(i.wrapping_sub(2)))
        || matches!(super::periods::period_at(f, k), Some((NextUnit::Week, _, _)))
        || f.is_any(i.wrapping_sub(1), SHORT_WEEKDAY_PLACES)
        // "back in office Tues", "bk at my desk Wed": a return to a place just before it
        || f.is_any(i.wrapping_sub(1), &["office", "town", "work", "desk", "lab", "home"])
            && (i.saturating_sub(5)..i).any(|j| f.is_any(j, &["back", "bk", "return", "returning"]))
}

/// Words before a weekday that make it every week's ("every Friday", "jeden Freitag", "tous
/// les vendredis", "cada viernes", "ogni venerdì", "elke vrijdag", "todas as sextas").
const EVERY_WORDS: &[&str] = &[
    "every", "each", "jeden", "jedem", "jeweils", "chaque", "tous", "cada", "todos", "todas", "ogni", "elke",
    "iedere", "hver", "varje", "joka",
];

/// The weekday at token `i` is a habit, not one day: a plural or adverb ("on Fridays",
/// "freitags", "vrijdags", "às sextas", "les lundis"), the Spanish plural article ("los
/// viernes", where "el viernes" is one day), the French article without a day number
/// ("absente le vendredi", where "vendredi" or "le vendredi 11" is one day), or a word for
/// "every" before it. A part-timer's "freitags nicht im Büro" names no Friday to come back
/// after.
pub(super) fn habitual_weekday(f: &Folded, i: usize) -> bool {
    let word = f.word(i);
    // (Spanish "viernes" is one Friday: see `SINGULAR_IN_S`.)
    let plural = !crate::dates::lexicon::SINGULAR_IN_S.contains(&word)
        && word.strip_suffix('s').is_some_and(|bare| {
            // "tues", "thurs" are abbreviations of one day, not plurals.
            bare.len() >= 5 && crate::dates::lexicon::lookup(bare).weekday != 0
        });
    // "every other Friday", "jeden zweiten Freitag": a word may stand between.
    let every = (1..=2).any(|back| i >= back && f.is_any(i - back, EVERY_WORDS));
    plural || every || f.is_any(i.wrapping_sub(1), &["los", "las", "le"]) || hours_follow(f, i + 1)
}

/// A span of the clock starts at token `k`, maybe after a weekday range's other end and a
/// colon ("Mo–Do 8:00–16:30", "Saturday: 9-12", "土曜9:00～12:00"): the weekday before it
/// names opening hours, a habit, not one day.
pub(super) fn hours_follow(f: &Folded, k: usize) -> bool {
    let mut k = k;
    if (f.is_punct(k, b'-') || f.is_punct(k, b'~')) && super::weekday_or_short(f, k + 1) {
        k += 2;
    }
    if f.is_punct(k, b':') || f.is_punct(k, b',') {
        k += 1;
    }
    // "du lundi au vendredi de 9h à 12h", "Montag bis Freitag von 8 bis 16 Uhr", "de lunes a
    // viernes de 9 a 14", "from Monday to Friday from 9 to 5"
    if f.is_any(
        k,
        &[
            "de", "from", "von", "van", "da", "dalle", "dalla", "desde", "das", "des",
        ],
    ) {
        k += 1;
    }
    time_span_at(f, k)
}

/// A span of the clock ends right before token `k`, maybe with a comma or a bracket between
/// ("open 9am to 5pm, Monday to Friday", "8.30–17.30 uur, maandag t/m vrijdag"): the
/// weekdays after it name opening hours.
pub(super) fn hours_precede(f: &Folded, k: usize) -> bool {
    let mut end = k;
    while end > 0
        && (f.is_punct(end - 1, b',') || f.is_punct(end - 1, b'(') || f.is_any(end - 1, &["uur", "uhr", "h"]))
    {
        end -= 1;
    }
    (end.saturating_sub(8)..end).any(|start| {
        time_span_at(f, start)
            && (start..end).all(|j| {
                f.is_num(j)
                    || f.is_punct(j, b':')
                    || f.is_punct(j, b'.')
                    || f.is_punct(j, b'-')
                    || f.is_punct(j, b'~')
                    || f.is_any(j, &["am", "pm", "h", "uhr"])
                    || f.is_any(j, SPAN_LINKS)
            })
    })
}

/// Words that join two hours into a span ("to", "bis", "à", "às", "alle", "hasta", "tot").
const SPAN_LINKS: &[&str] = &[
    "to", "bis", "a", "tot", "till", "until", "as", "alle", "hasta", "ate",
];

/// "8:00–16:30", "9-12", "9:00～12:00", "10 to 4" at token `k`: two hours joined as a span.
pub(super) fn time_span_at(f: &Folded, k: usize) -> bool {
    let hour = |k: usize| {
        let tok = f.toks.get(k)?;
        (tok.kind == Kind::Num && tok.digits <= 2 && tok.value <= 24).then_some(())?;
        // "8:00", "8.00", "8h30"
        let end = if (f.is_punct(k + 1, b':') || f.is_punct(k + 1, b'.')) && f.glued(k + 1) && f.is_num(k + 2)
        {
            k + 3
        } else if f.is_any(k + 1, &["h", "uhr"]) {
            // "8h30": the minutes after the "h"
            if f.is_num(k + 2) && f.glued(k + 2) {
                k + 3
            } else {
                k + 2
            }
        } else {
            k + 1
        };
        // "9am–6pm"
        Some(if f.is_any(end, &["am", "pm"]) {
            end + 1
        } else {
            end
        })
    };
    let Some(next) = hour(k) else {
        return false;
    };
    // "de 8h à 16h", "das 8h às 20h", "dalle 9 alle 13", "de 9 hasta 14", "9 until 5"
    let link = f.is_punct(next, b'-') || f.is_punct(next, b'~') || f.is_any(next, SPAN_LINKS);
    link && hour(next + 1).is_some()
}

/// Portuguese numbers its weekdays from Sunday: "2ª feira" (or "2a-feira") is Monday, up to
/// "6ª feira", Friday. The weekday at token `i`, when one starts there.
pub(super) fn numbered_weekday(f: &Folded, i: usize) -> Option<u32> {
    let tok = f.toks.get(i)?;
    if tok.kind != Kind::Num || tok.digits != 1 || !(2..=6).contains(&tok.value) {
        return None;
    }
    // "2.ª feira" (Portugal) puts a dot before the ordinal mark.
    let mark = i + 1 + usize::from(f.is_punct(i + 1, b'.') && f.glued(i + 1));
    if !(f.glued(mark) && f.is_word(mark, "a")) {
        return None;
    }
    let k = if f.is_punct(mark + 1, b'-') {
        mark + 2
    } else {
        mark + 1
    };
    f.is_any(k, &["feira", "feiras"]).then_some(tok.value - 1)
}

/// The token after a numbered weekday's ordinal mark ("2ª", "2.ª"), where "feira" or its
/// hyphen stands.
fn numbered_mark_end(f: &Folded, i: usize) -> usize {
    i + 2 + usize::from(f.is_punct(i + 1, b'.') && f.glued(i + 1))
}

/// Words that join two weekdays into one list ("Tuesday and Wednesday this week", "lundi et
/// mardi", "Montag und Dienstag").
const LIST_WORDS: &[&str] = &[
    "and", "or", "und", "oder", "et", "ou", "y", "o", "e", "en", "of", "och", "og", "i", "a",
];

/// "Tuesday and Wednesday this week": a "this week" written after the last weekday of a list
/// holds for every weekday in it.
pub(super) fn share_this_week(f: &Folded, exprs: &mut [Expr]) {
    for j in (1..exprs.len()).rev() {
        let Val::WeekdayThisWeek(_) = exprs[j].val else {
            continue;
        };
        let (start, prev) = (exprs[j].start, &exprs[j - 1]);
        let joined = prev.end + 1 == start && (f.is_any(prev.end, LIST_WORDS) || f.is_punct(prev.end, b','))
            || prev.end == start;
        if let (true, Val::Weekday(w)) = (joined, &prev.val) {
            exprs[j - 1].val = Val::WeekdayThisWeek(*w);
        }
    }
}

/// "Next week Monday", "nächste Woche Montag", "来週月曜日", "来週の月曜日": a weekday written
/// right after next week names that one day of it, not the week and then a day ("until next
/// week Monday" ends on the Monday). Not a weekday that starts a list or a range ("next week
/// Monday and Tuesday"), whose days [`share_next_week`] (run before) gives that week each.
pub(super) fn join_next_week_day(f: &Folded, exprs: &mut Vec<Expr>) {
    for j in (1..exprs.len()).rev() {
        let (prev, expr) = (&exprs[j - 1], &exprs[j]);
        let (Val::Weekday(w) | Val::WeekdayNextWeek(w)) = expr.val else {
            continue;
        };
        let adjacent = expr.start == prev.end || expr.start == prev.end + 1 && f.is_punct(prev.end, b'^');
        let listed = f.is_any(expr.end, LIST_WORDS) || f.is_punct(expr.end, b'-');
        if matches!(prev.val, Val::Next(NextUnit::Week)) && adjacent && !listed {
            let end = expr.end;
            exprs[j - 1].val = Val::WeekdayNextWeek(w);
            exprs[j - 1].end = end;
            exprs.remove(j);
        } else if matches!(prev.val, Val::This(NextUnit::Week)) && adjacent && !listed {
            // "이번 주 수요일까지", "这周三", "this week Wednesday": that day of this week.
            let end = expr.end;
            exprs[j - 1].val = Val::WeekdayThisWeek(w);
            exprs[j - 1].end = end;
            exprs.remove(j);
        } else if week_after_next(&prev.val) && adjacent && !listed {
            // "다다음 주 화요일", "下下周二": that day of the week after next, the first such
            // weekday after next week's Sunday.
            let end = expr.end;
            exprs[j - 1].val = Val::WeekdayAfter {
                weekday: w,
                anchor: Box::new(Val::WeekOf(Box::new(Val::Within(Unit::Week, 1)))),
            };
            exprs[j - 1].end = end;
            exprs.remove(j);
        }
    }
}

/// The week after next as the grammar reads it ("the week after next", "再来週").
fn week_after_next(val: &Val) -> bool {
    matches!(val, Val::WeekOf(inner) if matches!(**inner, Val::Within(Unit::Week, 2)))
}

/// "I'm out next week until Wednesday", "Monday to Wednesday next week, back Thursday",
/// "nächste Woche bin ich bis Mittwoch weg": a bare weekday (or a range of them) written
/// after next week in the same sentence is that week's day, not this week's.
pub(super) fn share_next_week(f: &Folded, exprs: &mut [Expr]) {
    let mut anchor: Option<usize> = None;
    for expr in exprs.iter_mut() {
        let of_next_week = match &expr.val {
            Val::Next(NextUnit::Week) | Val::WeekdayNextWeek(_) => true,
            Val::PartOf {
                unit: NextUnit::Week,
                next,
                ..
            } => *next,
            Val::Range(a, b) => matches!((&**a, &**b), (Val::WeekdayNextWeek(_), Val::WeekdayNextWeek(_))),
            _ => false,
        };
        // A clause with a subject of its own between them ("Call me next week please, I'm
        // buried in the migration till Friday") tells its own time: its Friday is this week's.
        let linked =
            anchor.is_some_and(|end| same_sentence(f, end, expr.start) && !new_clause(f, end, expr.start));
        let shared = match &expr.val {
            Val::Weekday(w) if linked => Some(Val::WeekdayNextWeek(*w)),
            Val::Range(a, b) if linked => match (&**a, &**b) {
                (Val::Weekday(wa), Val::Weekday(wb)) if wa <= wb => Some(Val::Range(
                    Box::new(Val::WeekdayNextWeek(*wa)),
                    Box::new(Val::WeekdayNextWeek(*wb)),
                )),
                _ => None,
            },
            _ => None,
        };
        let shared_now = shared.is_some();
        if let Some(val) = shared {
            expr.val = val;
        }
        if of_next_week || shared_now {
            anchor = Some(expr.end);
        } else if !linked {
            anchor = None;
        }
    }
}

/// "tomorrow, December 10", "morgen, den 10.12.,", "demain 10 décembre": a day named twice,
/// relative then written out, is one expression: the relative day (which needs no month or
/// year to place it), over both and the comma that closes the aside, so that the words
/// around it (an operator before, a verb-last closure after) reach it.
pub(super) fn join_appositions(f: &Folded, exprs: &mut Vec<Expr>) {
    let mut j = 1;
    while j < exprs.len() {
        let (a, b) = (&exprs[j - 1], &exprs[j]);
        let relative = matches!(a.val, Val::Days(0..=2));
        let written = matches!(b.val, Val::Date { .. } | Val::DayOnly(_) | Val::WeekdayDay { .. });
        let mut k = a.end;
        let comma = f.is_punct(k, b',');
        if comma {
            k += 1;
        }
        if f.is_any(k, &["den", "the", "le", "el", "il", "o", "dia", "de"]) {
            k += 1;
        }
        if relative && written && k == b.start {
            let closes = comma && f.is_punct(b.end, b',');
            exprs[j - 1] = Expr {
                start: a.start,
                end: if closes { b.end + 1 } else { b.end },
                val: a.val.clone(),
                day_first_proof: b.day_first_proof,
            };
            exprs.remove(j);
        } else {
            j += 1;
        }
    }
}

/// Between tokens `from` and `to` a comma or a semicolon opens a clause with a personal
/// subject of its own ("..., I'm busy until Friday", "..., je suis pris jusqu'à vendredi").
fn new_clause(f: &Folded, from: usize, to: usize) -> bool {
    (from..to).any(|k| {
        (f.is_punct(k, b',') || f.is_punct(k, b';'))
            && f.is_any(
                k + 1,
                &[
                    "i", "im", "we", "ich", "wir", "je", "j", "nous", "yo", "io", "ik", "wij", "eu",
                ],
            )
    })
}

/// No sentence ends between tokens `from` and `to`: no full stop, question or exclamation
/// mark or paragraph break ("next week; back Thursday" is one thought).
fn same_sentence(f: &Folded, from: usize, to: usize) -> bool {
    (from..to).all(|k| {
        !f.is_punct(k, b'.')
            && !f.is_punct(k, b'!')
            && !f.is_punct(k, b'?')
            && !f.toks.get(k).is_some_and(|t| t.para)
    }) && !f.toks.get(to).is_some_and(|t| t.para)
}

/// A bare day number right after a weekday ("lunes 14", "maandag 14", "Montag, 14."): the
/// token after it, unless the number is a time, an amount or the start of a longer date.
pub(super) fn weekday_day_number(f: &Folded, j: usize) -> Option<usize> {
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

/// Words after which a month's abbreviation may stand alone ("back in Feb", "till Jan.").
const ABBREVIATION_BEFORE: &[&str] = &[
    "in", "until", "till", "til", "by", "early", "mid", "late", "since", "of",
];

/// Month first: "June 15", "June 15th, 2027", "Sept. 3", or a month alone ("in January").
pub(super) fn month_first(f: &Folded, i: usize) -> Option<Expr> {
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
        // "out 2 weeks", "out 2-3 weeks", "Mar 3 days": a number of days or weeks, not a day
        // of the month.
        let time_or_amount = f.is_any(end, AFTER_UNITS)
            || f.toks
                .get(end)
                .is_some_and(|t| t.kind == Kind::Word && t.lex.unit != Unit::None)
            || amount(f, k).is_some()
            || f.is_punct(end, b':')
            || (f.is_punct(end, b'.') && f.glued(end) && f.is_num(end + 1));
        // "I'm out 6/7", "set 6/7": the number opens a numeric date; the word before it is
        // no month ("out" is October in Portuguese, "set" September).
        let numeric_after = !full && f.is_punct(end, b'/') && f.glued(end) && f.is_num(end + 1);
        // "I'm out 20-28 Nov", "set 20 minutes aside", "two days ago 3 people": the
        // abbreviations that are common words elsewhere come after their day in their own
        // languages ("20 out", "20 de set"), never before it.
        let word_first = !full && f.is_any(i, &["out", "set", "ago"]);
        let day_ok = !time_or_amount && !numeric_after && !word_first;
        if day_ok && (full || marked || f.word(i) != "may" || !f.is_a_word(end) || f.is_any(end, AFTER_MAY)) {
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
    // "back in Feb.", "until Jan", "mid-Sept": an abbreviation stands alone after a word that
    // introduces a time, when no word follows it ("from Jan" may be signed by Jan).
    let abbreviation_alone =
        !full && f.is_any(i.wrapping_sub(1), ABBREVIATION_BEFORE) && !f.is_a_word(after) && !f.is_num(after);
    if !full && !abbreviation_alone {
        return None;
    }
    let word = f.word(i);
    if matches!(
        word,
        "may" | "marco" | "mars" | "marca" | "maja" | "mai" | "feber"
    ) {
        // Month names that are also common words stand alone only after a preposition
        // (Italian "mai" is "never": "non andiamo mai in vacanza"; Austrian "Feber" is
        // Swedish "fever": "hemma med feber").
        let prev = i.wrapping_sub(1);
        if !f.is_any(
            prev,
            &[
                "im",
                "bis",
                "ab",
                "ende",
                "anfang",
                "mitte",
                "seit",
                "nach",
                "vor",
                "jusqu",
                "mi",
                "partir",
                "depuis",
                "apres",
                "avant",
                "d",
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
