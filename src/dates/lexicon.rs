//! The word lists of the date grammar: month and weekday names, number words, time units and
//! the small function words the grammar leans on, in the seven supported languages.
//!
//! Every entry is written in folded form (lowercase ASCII, accents removed, as produced by
//! `crate::dates::tokens`), so one lookup serves "März", "marz" and "MÄRZ" alike. The words of
//! all languages share one table: a month name means the same month whatever language the
//! surrounding text is in, and collisions ("mar", "ago", "out", "set") are resolved by the
//! grammar, which only accepts abbreviations next to a day number.

use std::collections::HashMap;
use std::sync::LazyLock;

/// What a single folded word can mean to the date grammar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lex {
    /// Month 1..=12, or 0.
    pub month: u8,
    /// The month word is a full name that may stand alone ("in January"), not only an
    /// abbreviation that needs a day number next to it.
    pub month_full: bool,
    /// Weekday 1 (Monday) ..= 7 (Sunday), or 0.
    pub weekday: u8,
    /// A small cardinal number written as a word ("two", "zwei", "deux"), or 0.
    pub number: u8,
    /// An ordinal written as a word ("first", "erste", "premier"), or 0.
    pub ordinal: u8,
    /// A time unit.
    pub unit: Unit,
    /// A word meaning "next" ("next", "nächste", "prochain", "próximo", "prossimo", "volgende").
    pub next: bool,
    /// A word meaning "quarter" ("quarter", "Quartal", "trimestre", "kwartaal").
    pub quarter: bool,
    /// Days from the reference day for "today", "tomorrow" and "the day after tomorrow".
    pub rel_day: Option<u8>,
    /// Part of a month: "early", "mid", "end".
    pub part: Part,
}

/// A time unit of a relative span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Unit {
    /// Not a unit.
    #[default]
    None,
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Years.
    Year,
}

/// Part of a month named before it ("early March", "Mitte Juni", "fin juillet").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Part {
    /// Not a part word.
    #[default]
    None,
    /// Beginning of the month.
    Early,
    /// Middle of the month.
    Mid,
    /// End of the month.
    End,
}

const MONTHS_FULL: &[(&str, u8)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    // German
    ("januar", 1),
    ("jaenner", 1),
    ("janner", 1),
    ("februar", 2),
    ("feber", 2),
    ("marz", 3),
    ("maerz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    // French
    ("janvier", 1),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("decembre", 12),
    // Spanish
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
];

const MONTHS_ABBR: &[(&str, u8)] = &[
    ("jan", 1),
    ("janv", 1),
    ("jann", 1),
    ("ene", 1),
    ("gen", 1),
    ("genn", 1),
    ("feb", 2),
    ("febr", 2),
    ("fev", 2),
    ("fevr", 2),
    ("febb", 2),
    ("mar", 3),
    ("mrz", 3),
    ("mrt", 3),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("mag", 5),
    ("jun", 6),
    ("giu", 6),
    ("jul", 7),
    ("juil", 7),
    ("lug", 7),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("sept", 9),
    ("set", 9),
    ("sett", 9),
    ("oct", 10),
    ("okt", 10),
    ("ott", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("dez", 12),
    ("dic", 12),
];

const WEEKDAYS: &[(&str, u8)] = &[
    ("monday", 1),
    ("mon", 1),
    ("tuesday", 2),
    ("tue", 2),
    ("tues", 2),
    ("wednesday", 3),
    ("wed", 3),
    ("thursday", 4),
    ("thu", 4),
    ("thur", 4),
    ("thurs", 4),
    ("friday", 5),
    ("fri", 5),
    ("saturday", 6),
    ("sat", 6),
    ("sunday", 7),
    ("sun", 7),
    ("montag", 1),
    ("dienstag", 2),
    ("mittwoch", 3),
    ("donnerstag", 4),
    ("freitag", 5),
    ("samstag", 6),
    ("sonnabend", 6),
    ("sonntag", 7),
    ("lundi", 1),
    ("mardi", 2),
    ("mercredi", 3),
    ("jeudi", 4),
    ("vendredi", 5),
    ("samedi", 6),
    ("dimanche", 7),
    ("lunes", 1),
    ("martes", 2),
    ("miercoles", 3),
    ("jueves", 4),
    ("viernes", 5),
    ("sabado", 6),
    ("domingo", 7),
    ("lunedi", 1),
    ("martedi", 2),
    ("mercoledi", 3),
    ("giovedi", 4),
    ("venerdi", 5),
    ("maandag", 1),
    ("dinsdag", 2),
    ("woensdag", 3),
    ("donderdag", 4),
    ("vrijdag", 5),
    ("zaterdag", 6),
    ("zondag", 7),
    ("segunda", 1),
    ("terca", 2),
    ("quarta", 3),
    ("quinta", 4),
    ("sexta", 5),
];

const NUMBERS: &[(&str, u8)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("fourteen", 14),
    ("couple", 2),
    ("eine", 1),
    ("einer", 1),
    ("einem", 1),
    ("ein", 1),
    ("zwei", 2),
    ("drei", 3),
    ("vier", 4),
    ("funf", 5),
    ("fuenf", 5),
    ("sechs", 6),
    ("sieben", 7),
    ("acht", 8),
    ("neun", 9),
    ("zehn", 10),
    ("vierzehn", 14),
    ("un", 1),
    ("une", 1),
    ("deux", 2),
    ("trois", 3),
    ("quatre", 4),
    ("cinq", 5),
    ("sept", 7),
    ("huit", 8),
    ("dix", 10),
    ("quinze", 15),
    ("uno", 1),
    ("una", 1),
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("cinco", 5),
    ("seis", 6),
    ("siete", 7),
    ("ocho", 8),
    ("diez", 10),
    ("quince", 15),
    ("due", 2),
    ("tre", 3),
    ("quattro", 4),
    ("sei", 6),
    ("sette", 7),
    ("otto", 8),
    ("dieci", 10),
    ("quindici", 15),
    ("een", 1),
    ("twee", 2),
    ("drie", 3),
    ("vijf", 5),
    ("zes", 6),
    ("zeven", 7),
    ("tien", 10),
    ("veertien", 14),
    ("um", 1),
    ("uma", 1),
    ("duas", 2),
    ("quatro", 4),
    ("sete", 7),
    ("oito", 8),
    ("dez", 10),
];

const ORDINALS: &[(&str, u8)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("erste", 1),
    ("ersten", 1),
    ("erstes", 1),
    ("zweite", 2),
    ("zweiten", 2),
    ("dritte", 3),
    ("dritten", 3),
    ("vierte", 4),
    ("vierten", 4),
    ("premier", 1),
    ("deuxieme", 2),
    ("second", 2),
    ("troisieme", 3),
    ("quatrieme", 4),
    ("primer", 1),
    ("primero", 1),
    ("segundo", 2),
    ("tercer", 3),
    ("tercero", 3),
    ("cuarto", 4),
    ("primo", 1),
    ("secondo", 2),
    ("terzo", 3),
    ("quarto", 4),
    ("eerste", 1),
    ("tweede", 2),
    ("derde", 3),
    ("vierde", 4),
    ("primeiro", 1),
    ("terceiro", 3),
];

const UNITS: &[(&str, Unit)] = &[
    ("day", Unit::Day),
    ("days", Unit::Day),
    ("tag", Unit::Day),
    ("tage", Unit::Day),
    ("tagen", Unit::Day),
    ("jour", Unit::Day),
    ("jours", Unit::Day),
    ("dia", Unit::Day),
    ("dias", Unit::Day),
    ("giorno", Unit::Day),
    ("giorni", Unit::Day),
    ("dag", Unit::Day),
    ("dagen", Unit::Day),
    ("week", Unit::Week),
    ("weeks", Unit::Week),
    ("woche", Unit::Week),
    ("wochen", Unit::Week),
    ("semaine", Unit::Week),
    ("semaines", Unit::Week),
    ("semana", Unit::Week),
    ("semanas", Unit::Week),
    ("settimana", Unit::Week),
    ("settimane", Unit::Week),
    ("weken", Unit::Week),
    ("month", Unit::Month),
    ("months", Unit::Month),
    ("monat", Unit::Month),
    ("monate", Unit::Month),
    ("monaten", Unit::Month),
    ("mois", Unit::Month),
    ("mes", Unit::Month),
    ("meses", Unit::Month),
    ("mese", Unit::Month),
    ("mesi", Unit::Month),
    ("maand", Unit::Month),
    ("maanden", Unit::Month),
    ("monats", Unit::Month),
    ("year", Unit::Year),
    ("years", Unit::Year),
    ("jahr", Unit::Year),
    ("jahre", Unit::Year),
    ("jahren", Unit::Year),
    ("jahres", Unit::Year),
    ("annee", Unit::Year),
    ("annees", Unit::Year),
    ("ano", Unit::Year),
    ("anos", Unit::Year),
    ("anno", Unit::Year),
    ("anni", Unit::Year),
    ("jaar", Unit::Year),
    ("jaren", Unit::Year),
];

const NEXT: &[&str] = &[
    "next",
    "nachste",
    "nachsten",
    "nachster",
    "nachstes",
    "naechste",
    "naechsten",
    "kommende",
    "kommenden",
    "prochain",
    "prochaine",
    "proximo",
    "proxima",
    "prossimo",
    "prossima",
    "volgende",
    "komende",
];

const QUARTER: &[&str] = &["quarter", "quartal", "quartals", "trimestre", "kwartaal"];

const REL_DAYS: &[(&str, u8)] = &[
    ("today", 0),
    ("heute", 0),
    ("hoy", 0),
    ("oggi", 0),
    ("vandaag", 0),
    ("hoje", 0),
    ("tomorrow", 1),
    ("morgen", 1),
    ("demain", 1),
    ("manana", 1),
    ("domani", 1),
    ("amanha", 1),
    ("ubermorgen", 2),
    ("uebermorgen", 2),
    ("dopodomani", 2),
    ("overmorgen", 2),
];

const PARTS: &[(&str, Part)] = &[
    ("early", Part::Early),
    ("beginning", Part::Early),
    ("start", Part::Early),
    ("anfang", Part::Early),
    ("beginn", Part::Early),
    ("debut", Part::Early),
    ("principios", Part::Early),
    ("principio", Part::Early),
    ("comienzos", Part::Early),
    ("inicios", Part::Early),
    ("inizio", Part::Early),
    ("begin", Part::Early),
    ("inicio", Part::Early),
    ("comeco", Part::Early),
    ("mid", Part::Mid),
    ("middle", Part::Mid),
    ("mitte", Part::Mid),
    ("mi", Part::Mid),
    ("milieu", Part::Mid),
    ("mediados", Part::Mid),
    ("meta", Part::Mid),
    ("half", Part::Mid),
    ("meados", Part::Mid),
    ("end", Part::End),
    ("late", Part::End),
    ("ende", Part::End),
    ("fin", Part::End),
    ("finales", Part::End),
    ("fines", Part::End),
    ("fine", Part::End),
    ("eind", Part::End),
    ("einde", Part::End),
    ("final", Part::End),
    ("fim", Part::End),
    ("finais", Part::End),
];

static TABLE: LazyLock<HashMap<&'static str, Lex>> = LazyLock::new(|| {
    let mut table: HashMap<&'static str, Lex> = HashMap::with_capacity(512);
    for &(word, month) in MONTHS_ABBR {
        table.entry(word).or_default().month = month;
    }
    for &(word, month) in MONTHS_FULL {
        let lex = table.entry(word).or_default();
        lex.month = month;
        lex.month_full = true;
    }
    for &(word, day) in WEEKDAYS {
        table.entry(word).or_default().weekday = day;
    }
    for &(word, n) in NUMBERS {
        table.entry(word).or_default().number = n;
    }
    for &(word, n) in ORDINALS {
        table.entry(word).or_default().ordinal = n;
    }
    for &(word, unit) in UNITS {
        table.entry(word).or_default().unit = unit;
    }
    for &word in NEXT {
        table.entry(word).or_default().next = true;
    }
    for &word in QUARTER {
        table.entry(word).or_default().quarter = true;
    }
    for &(word, days) in REL_DAYS {
        table.entry(word).or_default().rel_day = Some(days);
    }
    for &(word, part) in PARTS {
        table.entry(word).or_default().part = part;
    }
    table
});

/// Looks a folded word up; unknown words get the empty `Lex`.
pub fn lookup(word: &str) -> Lex {
    TABLE.get(word).copied().unwrap_or_default()
}

/// Folds one character for matching: lowercase, accents removed, typographic punctuation
/// turned into its ASCII form. Characters with no useful ASCII form become `~`, a
/// punctuation byte that separates words and matches nothing, so the folded text is pure
/// ASCII and every regex over it runs on the fast byte engines.
pub fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ª' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'º' | '°' => {
            "o"
        }
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        'œ' | 'Œ' => "oe",
        // Central European and Turkish letters (Polish, Czech, Slovak, Turkish, ...).
        'ą' | 'ă' => "a",
        'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'ę' | 'ě' | 'ė' => "e",
        'ğ' => "g",
        'ı' | 'ī' | 'į' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ń' | 'ň' => "n",
        'ő' | 'ō' => "o",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ů' | 'ű' | 'ū' | 'ų' => "u",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        // Combining accents (text in decomposed form): the base letter was already folded.
        '\u{0300}'..='\u{036F}' => "",
        // CJK punctuation and full-width forms (Japanese text writes digits and brackets so).
        '。' | '．' => ".",
        '、' | '，' => ",",
        '「' | '」' | '『' | '』' => "\"",
        '〜' => "~",
        '\u{FF01}'..='\u{FF5E}' => {
            // Full-width ASCII: the same character 0xFEE0 lower.
            match char::from_u32(u32::from(c) - 0xFEE0) {
                Some(ascii) => out.push(ascii.to_ascii_lowercase()),
                None => out.push('~'),
            }
            return;
        }
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{00B4}' | '\u{2032}' => "'",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => "\"",
        '€' | '£' | '¥' | '¢' => "$",
        '\u{2028}' | '\u{2029}' | '\u{0085}' => "\n",
        c if c.is_whitespace() => " ",
        // Other capitals fold as their lowercase ("Ł", "Ř", "Ş", "İ").
        c if c.is_uppercase() => match c.to_lowercase().next() {
            Some(lower) if lower != c => {
                fold_char(lower, out);
                return;
            }
            _ => "~",
        },
        _ => "~",
    };
    out.push_str(folded);
}
