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
//!
//! By kind of expression: `days` (numbers, month names, weekdays), `periods` (named weeks,
//! months, quarters, years and their parts), `spans` (amounts of time), `ranges` (two ends
//! and their link), `holidays` (holidays and seasons). This module holds the values and
//! dispatches on the first token.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::dates::lexicon::{Lex, Part, Unit};
use crate::dates::tokens::{Folded, Kind};

mod days;
mod holidays;
mod periods;
mod ranges;
mod spans;

use days::*;
use holidays::*;
use periods::*;
use ranges::*;
use spans::*;

pub(crate) use periods::NEXT_YEAR;
pub(crate) use spans::OR;

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
        part: Part,
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
    /// The seven days from a day: "the week starting 23 August", "w/c 11/7".
    WeekFrom(Box<Val>),
    /// The coming weekend, Saturday and Sunday (the current one on a Saturday or Sunday).
    Weekend,
    /// A weekday of the reference day's own week ("Tuesday this week", "mercredi cette
    /// semaine"), 1 (Monday) ..= 7: nothing when that day is already past.
    WeekdayThisWeek(u32),
    /// A weekday of the week after the reference day's ("Thursday next week", "Dienstag
    /// nächste Woche", "mardi de la semaine prochaine"), 1 (Monday) ..= 7: written on a
    /// Monday, "Thursday next week" is ten days on, not three.
    WeekdayNextWeek(u32),
    /// The first given weekday after a feast ("Dinsdag na Pinksteren", "the Tuesday after
    /// Easter", "le mardi après la Toussaint").
    WeekdayAfter {
        /// The weekday, 1 (Monday) ..= 7.
        weekday: u32,
        /// The feast it follows.
        anchor: Box<Val>,
    },
    /// A time of day, in minutes after midnight ("4 pm", "16h30", "um 14 Uhr", "alle 16"):
    /// no day by itself. Asked for a call ("call me at 4 pm", "à rappeler à 16h") it is the
    /// next time the clock shows it: today when still ahead, else the next business day.
    TimeOfDay(u32),
}

impl Val {
    /// A part of the calendar that names no day: a month's or a period's early, middle or late
    /// part, or a season ("mid-March", "early next week", "in the autumn").
    pub fn vague(&self) -> bool {
        match *self {
            Val::Month { part, .. } | Val::PartOf { part, .. } => part.vague(),
            Val::Season { .. } => true,
            _ => false,
        }
    }
}

/// The token after `words` read from token `k` on, a glued `-` or `'` skipped before each
/// word: the rest of a holiday's name ("Pfingst-montag"), "de l'année".
fn phrase_end(f: &Folded, k: usize, words: &[&str]) -> Option<usize> {
    let mut k = k;
    for word in words {
        while (f.is_punct(k, b'-') || f.is_punct(k, b'\'')) && f.glued(k) {
            k += 1;
        }
        if !f.is_word(k, word) {
            return None;
        }
        k += 1;
    }
    Some(k)
}

/// The weekend at token `i` and the token after it.
fn weekend_at(f: &Folded, i: usize) -> Option<usize> {
    if f.is_any(
        i,
        &[
            "weekend",
            "weekends",
            "wochenende",
            // the colloquial Spanish weekend, "el finde"
            "finde",
            "helgen",
            "weekendu",
            "vikend",
            "hafta",
        ],
    ) && (!f.is_word(i, "hafta") || f.is_word(i + 1, "sonu"))
    {
        return Some(if f.is_word(i, "hafta") { i + 2 } else { i + 1 });
    }
    // "week-end", "week end"
    if f.is_word(i, "week") && f.is_word(i + 1 + usize::from(f.is_punct(i + 1, b'-')), "end") {
        return Some(i + 2 + usize::from(f.is_punct(i + 1, b'-')));
    }
    // "fin de semana", "fim de semana", "fine settimana"
    if f.is_any(i, &["fin", "fim"]) && f.is_word(i + 1, "de") && f.is_word(i + 2, "semana") {
        return Some(i + 3);
    }
    if f.is_word(i, "fine") && f.is_word(i + 1, "settimana") {
        return Some(i + 2);
    }
    None
}

/// After "week starting", "week commencing", "week beginning" (an optional "on" or "the"
/// after it) or the abbreviations "w/c", "w/b" at token `i`: the token where the day starts.
fn week_from_link(f: &Folded, i: usize) -> Option<usize> {
    let abbreviated = f.is_word(i, "w")
        && f.is_punct(i + 1, b'/')
        && f.glued(i + 1)
        && f.glued(i + 2)
        && f.is_any(i + 2, &["c", "b"]);
    let mut k = if abbreviated {
        i + 3
    } else if f.toks.get(i).is_some_and(|t| t.lex.unit == Unit::Week)
        && f.is_any(i + 1, &["starting", "commencing", "beginning"])
    {
        i + 2
    } else {
        return None;
    };
    if f.is_any(k, &["on", "the"]) {
        k += 1;
    }
    Some(k)
}

/// Weeks and months in the plural, which "next" before them leaves uncounted ("the next
/// weeks", "de komende maanden", "die nächsten Monate", "los próximos meses").
const PLURAL_UNITS: &[&str] = &[
    "weeks",
    "months",
    "wochen",
    "monate",
    "monaten",
    "weken",
    "maanden",
    "semaines",
    "semanas",
    "settimane",
    "meses",
    "mesi",
    "veckor",
    "manader",
    "uger",
    "maneder",
    "uker",
    "tygodnie",
    "miesiace",
    "tydny",
    "mesice",
];

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
    /// Christi 60), or before it (Good Friday -2, Ash Wednesday -46).
    Easter(i32),
    /// The `nth` weekday of a month, counted from its end when negative (Thanksgiving is the
    /// fourth Thursday of November, Memorial Day the last Monday of May).
    NthWeekday {
        /// Month 1..=12.
        month: u32,
        /// Weekday 1 (Monday) ..= 7.
        weekday: u32,
        /// 1..=5 from the start of the month, -1 the last.
        nth: i8,
    },
    /// The first `weekday` on or after a day of the month: Midsummer Eve in Sweden and
    /// Finland is the Friday from 19 June on.
    WeekdayFrom {
        /// Month 1..=12.
        month: u32,
        /// Day 1..=31.
        day: u32,
        /// Weekday 1 (Monday) ..= 7.
        weekday: u32,
    },
    /// A feast of a lunar or lunisolar calendar (Diwali, the Lunar New Year, the two Eids),
    /// whose civil day no rule of the Gregorian calendar gives: its days, `(year, month,
    /// day)` in order, as published for the years the tables cover (the Islamic ones may
    /// fall a day later where the moon is sighted later). Several tables are several feasts
    /// under one name ("Eid"): the first day not long past of any counts. `offset` moves
    /// each day ("Ramadan" ends the day before Eid al-Fitr: -1).
    Table {
        /// The feasts' tables.
        days: &'static [&'static [(i32, u32, u32)]],
        /// Days added to each.
        offset: i8,
    },
}

/// "The second Monday of January", "le premier lundi de mars", "el último viernes de mayo",
/// "am ersten Montag im Juni", "1月の第2月曜日": a weekday counted within a named month,
/// read as a holiday of that rule is (`Feast::NthWeekday`).
fn nth_weekday_of_month(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    let found = |end: usize, year: Option<i32>, month: u32, weekday: u32, nth: i8| {
        Some(Expr {
            start: i,
            end,
            val: Val::Holiday {
                year,
                feast: Feast::NthWeekday { month, weekday, nth },
            },
            day_first_proof: None,
        })
    };
    // Japanese: "[2027年]1月の第2月曜日", folded "1 gatsu ^ nth 2 monday".
    if tok.kind == Kind::Num {
        let (year, k) = match year_at(f, i) {
            Some((y, end)) if f.is_word(end, "nen") => (Some(y), end + 1),
            _ => (None, i),
        };
        let month = f
            .toks
            .get(k)
            .filter(|t| t.kind == Kind::Num && (1..=12).contains(&t.value))?
            .value;
        if !f.is_word(k + 1, "gatsu") {
            return None;
        }
        let mut n = k + 2;
        while f.is_punct(n, b'^') && n < k + 4 {
            n += 1;
        }
        let nth = f
            .toks
            .get(n + 1)
            .filter(|t| f.is_word(n, "nth") && t.kind == Kind::Num)?
            .value;
        let weekday = f.toks.get(n + 2).map_or(0, |t| u32::from(t.lex.weekday));
        if !(1..=5).contains(&nth) || weekday == 0 {
            return None;
        }
        return found(n + 3, year, month, weekday, nth as i8);
    }
    let nth: i8 = if tok.lex.ordinal > 0 && tok.lex.ordinal <= 5 {
        tok.lex.ordinal as i8
    } else if f.is_any(i, LAST_OF_MONTH) {
        -1
    } else {
        return None;
    };
    let weekday = f.toks.get(i + 1).map_or(0, |t| u32::from(t.lex.weekday));
    if weekday == 0
        || !f.is_any(
            i + 2,
            &[
                "of", "in", "de", "di", "del", "im", "van", "do", "da", "du", "w", "v",
            ],
        )
    {
        return None;
    }
    let (month, after, _) = month_at(f, i + 3)?;
    let (year, end) = match year_at(f, after) {
        Some((y, end)) => (Some(y), end),
        None => (None, after),
    };
    found(end, year, month, weekday, nth)
}

/// The Nordic days of a feast counted with an ordinal ("2. påskedag" is Easter Monday, "1.
/// pinsedag" Whit Sunday, "2. juledag" 26 December).
fn numbered_feast_day(f: &Folded, i: usize) -> Option<Feast> {
    let n = f
        .toks
        .get(i)
        .filter(|t| t.kind == Kind::Num && t.digits == 1)?
        .value;
    if !f.is_punct(i + 1, b'.') {
        return None;
    }
    let first = n.checked_sub(1).filter(|&d| d <= 1)?;
    let days = |base: i32| Feast::Easter(base + first as i32);
    match f.word(i + 2) {
        "paskedag" | "paskedagen" => Some(days(0)),
        "pinsedag" | "pinsedagen" => Some(days(49)),
        "juledag" | "juledagen" => Some(Feast::Fixed {
            month: 12,
            day: 25 + first,
        }),
        _ => None,
    }
}

/// "Last" before a weekday counted within a month ("the last Friday of March", "le dernier
/// vendredi", "el último viernes", "l'ultimo venerdì", "am letzten Freitag").
const LAST_OF_MONTH: &[&str] = &[
    "last", "dernier", "derniere", "ultimo", "ultima", "letzten", "letzter", "letzte", "laatste",
];

/// Polish and Czech units in the accusative singular, after "na" (for): one of them.
const SLAVIC_ONE_UNITS: &[&str] = &["tydzien", "miesiac", "dzien", "tyden", "mesic", "den"];

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

/// A named holiday at token `k` with the year written after it, if any ("Easter 2027"): the
/// value and one past its last token.
fn holiday_with_year(f: &Folded, k: usize) -> Option<(Val, usize)> {
    let (feast, after) = holiday_at(f, k)?;
    let (year, end) = match year_at(f, after) {
        Some((y, end)) => (Some(y), end),
        None => (None, after),
    };
    Some((Val::Holiday { year, feast }, end))
}

/// Slovak units after "o" (in): "o dva týždne", "o tri dni", "o mesiac".
const SLOVAK_UNITS: &[&str] = &[
    "tyzden", "tyzdne", "tyzdnov", "dni", "mesiac", "mesiace", "mesiacov",
];

/// "After" between a weekday and the feast it follows ("Tuesday after Easter", "dinsdag na
/// Pinksteren", "Dienstag nach Ostern", "mardi après Pâques", "martes después de Pascua").
const WEEKDAY_AFTER: &[&str] = &[
    "after", "na", "nach", "apres", "despues", "dopo", "depois", "po", "efter", "etter",
];
const OF_WORDS: &[&str] = &["of", "de", "di", "del", "van", "the", "du", "da", "do"];
const PART_LINKS: &[&str] = &[
    "of", "the", "de", "du", "di", "des", "del", "van", "da", "do", "dem", "d", "von", "la", "della",
    "dello", "der", "het", "l", "af", "av", "i",
];

/// "and next", "y la próxima", "y la que viene", "e la prossima", "e a próxima", "et la prochaine" after
/// "this week": the token after "next", when no unit follows it (else the next period is an
/// expression of its own).
fn and_the_next(f: &Folded, k: usize) -> Option<usize> {
    if !f.is_any(k, &["and", "y", "e", "et", "und", "en", "&"]) && !f.is_punct(k, b'&') {
        return None;
    }
    let mut j = k + 1;
    if f.is_any(j, &["the", "la", "a", "le", "de", "die"]) {
        j += 1;
    }
    // "esta semana y la que viene", "esta semana e a que vem": the one that comes
    if f.is_word(j, "que") && f.is_any(j + 1, &["viene", "vem"]) {
        return Some(j + 2);
    }
    let next = f.toks.get(j).is_some_and(|t| t.lex.next);
    let unit_after = f.toks.get(j + 1).is_some_and(|t| t.lex.unit != Unit::None);
    (next && !unit_after).then_some(j + 1)
}

/// Words between "rest" and its week, month, year or day ("rest of the week", "Rest der Woche",
/// "Rest des Jahres", "reste de l'année", "resto della settimana", "rest van het jaar").
const REST_LINKS: &[&str] = &[
    "of", "the", "this", "der", "dieser", "des", "dieses", "de", "la", "l", "cette", "del", "della", "dell",
    "esta", "questa", "van", "deze", "het", "dit", "da", "do", "desta", "deste", "av", "af",
];

/// Parts of a day after "this" ([`THIS_WORDS`]): "this afternoon", "ce matin", "esta tarde",
/// "questa mattina", "deze middag".
const DAY_PARTS: &[&str] = &[
    "morning",
    "afternoon",
    "evening",
    "matin",
    "apres",
    "soir",
    "soiree",
    "tarde",
    "manana",
    "noche",
    "manha",
    "noite",
    "pomeriggio",
    "mattina",
    "mattino",
    "sera",
    "serata",
    "ochtend",
    "middag",
    "avond",
    "vormittag",
    "nachmittag",
    "abend",
];

/// An hour of the day at token `i`, after a comma or the word that places it ("until Monday,
/// 10 a.m.", "hasta el lunes a las 9:00", "jusqu'à lundi à 14h", "bis Montag um 10 Uhr"):
/// an absence that ends at that hour ends on the day itself.
pub fn hour_at(f: &Folded, i: usize) -> bool {
    let mut k = i;
    if f.is_punct(k, b',') {
        k += 1;
    }
    if f.is_any(
        k,
        &[
            "at", "a", "um", "om", "alle", "as", "ate", "vers", "gegen", "around",
        ],
    ) {
        k += 1;
    }
    if f.is_any(k, &["las", "la", "ore"]) {
        k += 1;
    }
    time_of_day(f, k).is_some()
}

/// The weekday at token `i` is written as a weekly habit ("on Fridays", "freitags", "los
/// viernes", "every Friday"), for the decision: such a day off names no day to come back after.
pub fn habitual_weekday(f: &Folded, i: usize) -> bool {
    days::habitual_weekday(f, i)
}

/// A span of the clock follows token `k` ("... vendredi de 9h à 12h", "Mo–Do 8:00–16:30"):
/// the weekday before it names opening hours.
pub fn hours_after(f: &Folded, k: usize) -> bool {
    days::hours_follow(f, k)
}

/// A span of the clock ends right before token `k` ("open 9am to 5pm, Monday to Friday"):
/// the weekdays at `k` name opening hours.
pub fn hours_before(f: &Folded, k: usize) -> bool {
    days::hours_precede(f, k)
}

/// The time at token `start` opens a span of opening hours after a weekday ("Mo–Do
/// 8:00–16:30", "Fri 9-12"): when a business is open, not an hour to be called at.
pub fn opening_hours_time(f: &Folded, start: usize) -> bool {
    // The span may start at the time or end with it ("Fr 8:00–12:00": 12:00 too).
    (start.saturating_sub(4)..=start).any(|span| {
        days::time_span_at(f, span) && (span.saturating_sub(3)..span).any(|k| weekday_or_short(f, k))
    })
}

/// Short names of weekdays that are other words too ("Do" in German, "do" in Dutch and
/// Portuguese "do"; "ma", "me", "gio", "qui"): read as weekdays only in opening hours, beside
/// a span of the clock.
const WEEKDAY_SHORT: &[&str] = &[
    "mo", "di", "mi", "do", "fr", "sa", "so", "lu", "ma", "me", "je", "ve", "ju", "vi", "lun", "mar", "mer",
    "gio", "ven", "sab", "dom", "jue", "vie", "seg", "ter", "qua", "qui", "sex", "wo", "vr", "za", "zo",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
];

/// Token `k` is a weekday, or a short name of one (see [`WEEKDAY_SHORT`]).
fn weekday_or_short(f: &Folded, k: usize) -> bool {
    f.toks.get(k).is_some_and(|t| t.lex.weekday > 0) || f.is_a_word(k) && f.is_any(k, WEEKDAY_SHORT)
}

/// The weekday at `start..end` closes a range of weekdays whose first was not read as one
/// ("segunda a sexta, das 9h às 18h", "Di-Do 9-15 Uhr"), and a span of the clock follows:
/// opening hours.
pub fn weekdays_with_hours(f: &Folded, start: usize, end: usize) -> bool {
    let linked = f.is_punct(start.wrapping_sub(1), b'-')
        || f.is_any(
            start.wrapping_sub(1),
            &["a", "to", "bis", "au", "al", "tot", "till", "ate"],
        );
    linked && weekday_or_short(f, start.wrapping_sub(2)) && days::hours_follow(f, end)
}

/// Words that label opening hours besides [`OPENING_HOURS_WORDS`] ("office hours", Portuguese
/// "horário de atendimento", "expediente"), which elsewhere also name an answer's delay or a
/// service coming back.
const BROAD_HOURS_LABELS: &[&str] = &["hours", "atendimento", "expediente"];

/// The weekday ending at token `end` names opening hours in a sentence that labels them
/// ("Orari di apertura: lunedì, mercoledì e venerdì 8:30-12:30; martedì e giovedì anche
/// 15:00-17:30", "Horario habitual: lunes a jueves de 9:00 a 19:00 y viernes de 9:00 a 15:00"):
/// a span of the clock follows it, maybe after "also".
pub fn labelled_hours(f: &Folded, start: usize, end: usize) -> bool {
    let after = if f.is_any(
        end,
        &["anche", "also", "auch", "tambien", "ook", "aussi", "tambem"],
    ) {
        end + 1
    } else {
        end
    };
    days::hours_follow(f, after)
        && (start.saturating_sub(30)..start).any(|k| hours_label(f, k) || f.is_any(k, BROAD_HOURS_LABELS))
}

/// The days at `start..end` are when a timetable holds, no time away: a label of opening
/// hours right before them, maybe a season's compound ("Kesäaukioloajat 1.6.–31.8.",
/// "Sommeröffnungszeiten vom 1. Juli bis 31. August", "Sommaröppettider v. 27–32"), or a colon
/// and the weekdays or hours they open at after them ("1.6.–31.8.: ma–pe 9–16"). Not when a
/// closure follows the days ("Öffnungszeiten 24.12.: geschlossen").
pub fn hours_period(f: &Folded, start: usize, end: usize) -> bool {
    let labelled = (start.saturating_sub(3)..start).any(|k| hours_label(f, k));
    let hours_after =
        f.is_punct(end, b':') && (weekday_or_short(f, end + 1) || days::hours_follow(f, end + 1));
    let closed_after = (end..end + 4).any(|k| f.is_a_word(k) && crate::dates::away::closure_word(f.word(k)));
    (labelled || hours_after) && !closed_after
}

/// A label of opening hours stands right before the week at `start..end`, or opens it ("Our
/// office hours are Mon-Fri, 9am-5pm", "Öffnungszeiten: Mo–Fr"): the weekdays there are the
/// house's week, not the writer's.
pub fn hours_labelled_before(f: &Folded, start: usize, end: usize) -> bool {
    // ("My working hours are Monday to Wednesday" is the writer's own week.)
    (start.saturating_sub(3)..end).any(|k| labels_hours(f, k))
}

/// Token `k` labels opening hours (see [`OPENING_HOURS_WORDS`]), maybe as the end of a
/// compound naming their season or house ("Sommeröffnungszeiten", "kesäaukioloajat",
/// "sommaröppettider", "Weihnachtsöffnungszeiten").
fn hours_label(f: &Folded, k: usize) -> bool {
    f.is_any(k, OPENING_HOURS_WORDS)
        || f.is_a_word(k) && {
            // A compound is longer than any label (the cheap test first: most words are
            // shorter); the Romance words count only whole ("honorarios", "onorario",
            // "temporario" end in them).
            let word = f.word(k);
            word.len() >= COMPOUND_HOURS_MIN
                && OPENING_HOURS_WORDS
                    .iter()
                    .any(|w| word.ends_with(w) && !w.starts_with("hor") && !w.starts_with("orar"))
        }
}

/// The shortest compound label of hours ("kesäaukioloajat", "Sommeröffnungszeiten" are
/// longer): a season or a house before a label of at least seven letters.
const COMPOUND_HOURS_MIN: usize = 10;

/// Token `k` labels a house's hours: a label of opening hours, or "hours" after the house's
/// word ("office hours", "opening hours"; not "my working hours").
fn labels_hours(f: &Folded, k: usize) -> bool {
    hours_label(f, k) || f.is_word(k, "hours") && f.is_any(k.wrapping_sub(1), HOURS_OWNERS)
}

/// Words that name a house's opening hours wherever they stand ("Öffnungszeiten",
/// "åbningstider", "öppettider", "aukioloajat", "horaires", "openingstijden", Japanese
/// "営業時間", folded to "eigyoujikan"): labels of opening hours wherever they stand.
const OPENING_HOURS_WORDS: &[&str] = &[
    "offnungszeiten",
    "oeffnungszeiten",
    "sprechzeiten",
    "geschaftszeiten",
    "burozeiten",
    "openingstijden",
    "openingsuren",
    "kantooruren",
    "horaires",
    "horaire",
    "horario",
    "horarios",
    "orari",
    "orario",
    "abningstider",
    "apningstider",
    "aapningstider",
    "oppettider",
    "aukioloajat",
    "eigyoujikan",
];

/// Words before "hours" that make them a house's ("opening hours", "our showroom hours over
/// Christmas").
const HOURS_OWNERS: &[&str] = &[
    "opening",
    "business",
    "office",
    "store",
    "shop",
    "showroom",
    "holiday",
    "christmas",
    "our",
    "trading",
];

/// An hour of the clock at token `k` written as one: its minutes after a colon, an "h",
/// "Uhr", "am" or "pm" after it ("16:00", "13h", "9am", "17 Uhr"), or a Nordic "kl." before
/// it ("kl. 10").
fn marked_hour(f: &Folded, k: usize) -> bool {
    let hour = f
        .toks
        .get(k)
        .is_some_and(|t| t.kind == Kind::Num && t.digits <= 2 && t.value <= 24);
    hour && (f.is_any(k.wrapping_sub(1), &["kl", "klo", "klockan", "godz"])
        || f.is_any(k + 1, &["uhr", "pm"])
        // (glued: German "am" is "on the", a stray "h" anything)
        || f.is_any(k + 1, &["h", "am"]) && f.glued(k + 1)
        || f.is_punct(k + 1, b':') && f.glued(k + 1) && f.is_num(k + 2))
}

/// The text lays out a house's hours: writes an hour of the clock as one ([`marked_hour`]:
/// "Mo–Fr 8–17 Uhr", "24 Dec 9am-1pm", "23/12 kl. 10-14", "tot 16:00"), or names its opening
/// hours ([`OPENING_HOURS_WORDS`], "opening hours") beside a span of hours ("Aukioloajat:
/// ma–pe 8–16"). A label alone is not enough ("Volvemos con horario normal": a closure's
/// notice). The days closed that such a text names are part of its timetable.
pub fn hours_laid_out(f: &Folded) -> bool {
    let labelled = || (0..f.toks.len()).any(|k| labels_hours(f, k));
    (0..f.toks.len()).any(|k| marked_hour(f, k))
        || labelled() && (0..f.toks.len()).any(|k| days::time_span_at(f, k))
}

/// Finds every date expression, left to right, without overlaps.
pub fn parse(f: &Folded) -> Vec<Expr> {
    let mut exprs = Vec::new();
    let mut i = 0;
    while i < f.toks.len() {
        match german_weekday_abbreviation(f, i).or_else(|| parse_at(f, i)) {
            Some(mut expr) => {
                // "6月7日月曜日": a Japanese date and its weekday, one day (as "6月7日(月)").
                let weekday_after = f.toks.get(expr.end).is_some_and(|t| t.lex.weekday > 0);
                if weekday_after && expr.end > 0 && f.is_word(expr.end - 1, "nichi") {
                    expr.end += 1;
                }
                // "6月7日(月)より": the bracketed weekday too, so that the postposition after it
                // is the date's.
                let before_postposition = |k: usize| k > expr.end && f.is_any(k, JA_POSTPOSITIONS);
                if expr.end > 0
                    && (f.is_word(expr.end - 1, "nichi") || before_postposition(paren_weekday(f, expr.end)))
                {
                    expr.end = paren_weekday(f, expr.end);
                }
                // "am Freitag, 24. April, geschlossen": a date set off by a comma inside
                // closes with one, which belongs to it (as "tomorrow, December 10," does).
                if f.is_punct(expr.end, b',') && (expr.start..expr.end).any(|k| f.is_punct(k, b',')) {
                    expr.end += 1;
                }
                japanese_list(f, &mut expr);
                i = expr.end.max(i + 1);
                exprs.push(expr);
            }
            None => i += 1,
        }
    }
    join_appositions(f, &mut exprs);
    share_this_week(f, &mut exprs);
    share_next_week(f, &mut exprs);
    join_next_week_day(f, &mut exprs);
    exprs
}

/// "bis einschl. Mi 3.11.", "ab Di 4.11.", "Do 6.11.": the German two-letter weekdays that
/// are other words elsewhere ("mi" is "my" and "mid", "di" "of", "do" "until" in Polish)
/// name the weekday only written with their capital right before a numeric date, which is
/// the day; the weekday joins it, so that an operator before it reaches the date.
fn german_weekday_abbreviation(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    if !(tok.upper && f.is_any(i, &["di", "mi", "do"])) {
        return None;
    }
    // After a German preposition of time, so that Czech and Polish "Do 8. 4." (until) stays
    // the operator it is.
    const BEFORE: &[&str] = &[
        "bis",
        "ab",
        "am",
        "vom",
        "zum",
        "seit",
        "einschliesslich",
        "inklusive",
        "und",
        "einschl",
        "inkl",
    ];
    let before = if f.is_punct(i.wrapping_sub(1), b'.') && f.is_any(i.wrapping_sub(2), &["einschl", "inkl"]) {
        i - 2
    } else {
        i.wrapping_sub(1)
    };
    if !f.is_any(before, BEFORE) {
        return None;
    }
    let next = if f.is_punct(i + 1, b'.') { i + 2 } else { i + 1 };
    if !f.is_num(next) {
        return None;
    }
    let mut expr = parse_at(f, next)?;
    if !matches!(expr.val, Val::Date { .. } | Val::Ambig { .. }) {
        return None;
    }
    expr.start = i;
    Some(expr)
}

/// "3月9日(火)、10日(水)、11日(木)", "6月10・11日": a Japanese list of the days that
/// follow a date is one stretch, up to the first day that does not follow the one before
/// ("8/11・14": closed the 11th, open the 12th).
fn japanese_list(f: &Folded, expr: &mut Expr) {
    let (first, year, month, day) = match &expr.val {
        Val::Date { year, month, day } => (expr.val.clone(), *year, *month, *day),
        Val::Range(a, b) => match **b {
            Val::Date { year, month, day } => ((**a).clone(), year, month, day),
            _ => return,
        },
        _ => return,
    };
    if !(expr.start..expr.end).any(|k| f.is_any(k, &["gatsu", "nichi"])) {
        return;
    }
    let mut last = day;
    let mut k = expr.end;
    while f.is_punct(k, b',')
        && f.toks
            .get(k + 1)
            .is_some_and(|t| t.kind == Kind::Num && t.value == last + 1)
        && f.is_word(k + 2, "nichi")
    {
        last += 1;
        k = paren_weekday(f, k + 3);
    }
    if last > day {
        expr.val = Val::Range(
            Box::new(first),
            Box::new(Val::Date {
                year,
                month,
                day: last,
            }),
        );
        expr.end = k;
    }
}

/// The words that end a range whose second end is a day alone after a relative start ("al",
/// "au", "to the", "bis zum", "hasta el", "tot de", "ate dia": see [`range_link`], which
/// skips the article).
const BARE_DAY_LINKS: &[&str] = &[
    "to", "the", "al", "au", "zum", "el", "le", "il", "de", "dia", "ao", "a", "bis", "hasta",
];

/// The token after a day number that ends a range is no unit, hour or count: "al 12."
/// or "to the 12th," end it; "to 5 pm", "a 5 giorni", "bis 15 Uhr" do not.
fn bare_day_ends(f: &Folded, end: usize) -> bool {
    match f.toks.get(end) {
        None => true,
        Some(t) => match t.kind {
            Kind::Punct(b':') => false,
            Kind::Punct(b'.') => !f.is_num(end + 1),
            Kind::Punct(_) => true,
            Kind::Num => false,
            Kind::Word => {
                t.lex.unit == crate::dates::lexicon::Unit::None
                    && !f.is_any(
                        end,
                        &[
                            "pm", "am", "h", "uhr", "hrs", "hours", "heures", "ore", "horas", "uur", "o",
                            "clock",
                        ],
                    )
            }
        },
    }
}

/// Parses the expression starting at token `i`, ranges included.
fn parse_at(f: &Folded, i: usize) -> Option<Expr> {
    if let Some(range) = bare_day_range(f, i) {
        return Some(range);
    }
    let mut first = single(f, i)?;
    // "2025-05-12/2025-05-16": two full dates, the ISO way, joined by a slash.
    let iso_slash = matches!(first.val, Val::Date { year: Some(_), .. }) && slash_then_year(f, first.end);
    let link = if iso_slash {
        Some(first.end + 1)
    } else {
        range_link(f, paren_weekday(f, first.end))
    };
    let Some(link_end) = link else {
        return Some(first);
    };
    // The second ISO date after a slash is read as such: a lone one glued to a slash and a
    // number before it would not be trusted.
    let second = if iso_slash {
        numeric_unguarded(f, link_end)
    } else {
        single(f, link_end)
    };
    // "Mon - Wed next week", "lundi au mercredi de la semaine prochaine": the week written
    // after the second weekday is the first one's too.
    if let (Val::Weekday(w), Some(Val::WeekdayNextWeek(_))) = (&first.val, second.as_ref().map(|s| &s.val)) {
        first.val = Val::WeekdayNextWeek(*w);
    }
    let second = second
        .or_else(|| numeric_after_range_dash(f, link_end))
        .filter(|second| compatible(&first.val, &second.val))
        .or_else(|| short_day_month(f, first.start, link_end));
    let second = match second {
        Some(second) => second,
        None => match (&first.val, day_number(f, link_end)) {
            // "6/8(火)〜11(金)": a wave dash is Japanese or Chinese, which write the month
            // first; the second end borrows it.
            (
                &Val::Ambig {
                    year,
                    first: month,
                    second: day,
                },
                Some((last, end, _)),
            ) if f.is_punct(link_end - 1, b'~') && (1..=12).contains(&month) && last > day => {
                let date = |day: u32| Val::Date { year, month, day };
                return Some(Expr {
                    start: first.start,
                    end: japanese_day_end(f, end),
                    val: Val::Range(Box::new(date(day)), Box::new(date(last))),
                    day_first_proof: Some(false),
                });
            }
            // "da domani al 12", "from tomorrow to the 12th", "du lundi au 12": a start told
            // by its distance or weekday, the end by its day alone (this month's or the next's,
            // as a lone day is). Not a time ("from Monday to 5 pm"), a length ("a 5 giorni")
            // nor a number of something.
            (Val::Days(_) | Val::Weekday(_), Some((day, end, _)))
                if !month_follows(f, end)
                    && bare_day_ends(f, end)
                    && f.is_any(link_end - 1, BARE_DAY_LINKS) =>
            {
                let second = Expr {
                    start: link_end,
                    end,
                    val: Val::DayOnly(day),
                    day_first_proof: None,
                };
                return Some(Expr {
                    start: first.start,
                    end: second.end,
                    val: Val::Range(Box::new(first.val), Box::new(second.val)),
                    day_first_proof: None,
                });
            }
            // "June 1 to 15": the second end borrows the month. Not a time after "à", "at"
            // ("réouverture le 17 juin à 9 h").
            (Val::Date { year, month, .. }, Some((day, end, _)))
                if !month_follows(f, end) && time_of_day(f, link_end).is_none() =>
            {
                Expr {
                    start: link_end,
                    end: japanese_day_end(f, end),
                    val: Val::Date {
                        year: *year,
                        month: *month,
                        day,
                    },
                    day_first_proof: None,
                }
            }
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

/// A year alone after "until" or "in" ("a break until 2027", "see you in 2027", "bis 2027",
/// "jusqu'en 2027", "hasta 2027"): "until" a year is until it begins, the last day away the
/// 31st of December before; "in" a year is its first day. A year too far or already begun is
/// dropped later, with every date outside the trusted window.
fn year_alone(f: &Folded, i: usize) -> Option<Expr> {
    let tok = f.toks.get(i)?;
    if tok.digits != 4 || !(1990..=2100).contains(&tok.value) || f.glued(i + 1) && !f.is_punct(i + 1, b'.') {
        return None;
    }
    let year = i32::try_from(tok.value).ok()?;
    let before = f.word(i.checked_sub(1)?);
    let val = match before {
        "until" | "till" | "til" | "bis" | "jusqu" | "jusque" | "hasta" | "fino" | "tot" | "ate" => {
            Val::Date {
                year: Some(year - 1),
                month: 12,
                day: 31,
            }
        }
        "in" | "im" | "en" | "nel" | "em" | "into" => Val::Date {
            year: Some(year),
            month: 1,
            day: 1,
        },
        _ => return None,
    };
    Some(Expr {
        start: i,
        end: i + 1,
        val,
        day_first_proof: None,
    })
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
            // Dutch "2e Pinksterdag", "1e Kerstdag": a feast whose name starts with its
            // ordinal, before the ordinal is read as a day of the month.
            if f.glued(i + 1) && f.is_any(i + 1, &["e", "de", "ste"]) {
                if let Some((holiday, end)) = holiday_with_year(f, i) {
                    return expr(end, holiday);
                }
            }
            // "1月の第2月曜日": before the month alone is read.
            if let Some(expr) = nth_weekday_of_month(f, i) {
                return Some(expr);
            }
            // Portuguese "2ª feira": a weekday, read as "segunda-feira" is.
            if numbered_weekday(f, i).is_some() {
                return weekday_expr(f, i);
            }
            if let Some((minutes, end)) = time_of_day(f, i) {
                return expr(end, Val::TimeOfDay(minutes));
            }
            // "im 2. Halbjahr", "no 2.º semestre": no day of the month.
            if let Some(expr) = half_year(f, i) {
                return Some(expr);
            }
            if let Some(expr) = numeric(f, i) {
                return Some(expr);
            }
            if let Some(expr) = ordinal_quarter(f, i) {
                return Some(expr);
            }
            if let Some(expr) = week_of_month(f, i) {
                return Some(expr);
            }
            if let Some(expr) = ordinal_week(f, i) {
                return Some(expr);
            }
            if let Some(expr) = spaced_numeric(f, i) {
                return Some(expr);
            }
            if let Some(feast) = numbered_feast_day(f, i) {
                return expr(i + 3, Val::Holiday { year: None, feast });
            }
            if let Some(expr) = japanese_date(f, i) {
                return Some(expr);
            }
            if let Some(expr) = japanese_day(f, i) {
                return Some(expr);
            }
            if let Some(expr) = amount_with_postposition(f, i) {
                return Some(expr);
            }
            if let Some(expr) = bare_amount(f, i) {
                return Some(expr);
            }
            if let Some(expr) = year_alone(f, i) {
                return Some(expr);
            }
            let (day, next, marked) = day_number(f, i)?;
            // "24 d'août", "24 d'agost": the elided "de" of French and Catalan.
            // "14-Dec-2026", "14-dec-26", "7/nov", "15/Jun/2025": day, month and year joined
            // by hyphens or slashes.
            let sep = if f.is_punct(next, b'/') { b'/' } else { b'-' };
            let hyphened = f.is_punct(next, sep)
                && f.glued(next)
                && f.glued(next + 1)
                && f.toks.get(next + 1).is_some_and(|t| t.lex.month > 0);
            let of = if f.is_any(next, OF_WORDS) {
                next + 1
            } else if f.is_word(next, "d") && f.is_punct(next + 1, b'\'') {
                next + 2
            } else if hyphened {
                next + 1
            } else {
                next
            };
            if let Some((month, after, _)) = month_at(f, of) {
                if month == 5
                    && f.word(of) == "may"
                    && of == next
                    && !marked
                    && f.is_a_word(after)
                    && !f.is_any(after, AFTER_MAY)
                {
                    // "5 may be" is a verb.
                    return None;
                }
                let hyphened_year = f
                    .toks
                    .get(after + 1)
                    .filter(|t| {
                        hyphened
                            && f.is_punct(after, sep)
                            && f.glued(after)
                            && f.glued(after + 1)
                            && t.kind == Kind::Num
                            && !(f.glued(after + 2) && (f.is_num(after + 2) || f.is_a_word(after + 2)))
                    })
                    .and_then(|t| match t.digits {
                        4 if (1970..=2100).contains(&t.value) => i32::try_from(t.value).ok(),
                        2 => i32::try_from(2000 + t.value).ok(),
                        _ => None,
                    });
                let (year, end) = match (hyphened_year, year_at(f, after)) {
                    (Some(y), _) => (Some(y), after + 2),
                    (None, Some((y, end))) => (Some(y), end),
                    (None, None) => (None, after),
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
                        "dia", "o", "ao", "giorno",
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
            if periods::next_month_before(f, i) {
                return expr(next, Val::DayNextMonth(day));
            }
            expr(next, Val::DayOnly(day))
        }
        Kind::Word => word_expr(f, i),
        Kind::Punct(_) => None,
    }
}

/// Expressions starting with a word.
fn word_expr(f: &Folded, i: usize) -> Option<Expr> {
    if let Some(found) = nth_weekday_of_month(f, i) {
        return Some(found);
    }
    // "本月20号", "来月10日まで", "다음 달 10일": Chinese, Japanese and Korean name the month
    // before its day; the pair is one day, not the month's first (or its end, with "until").
    if let Some((NextUnit::Month, next, end)) = period_at(f, i) {
        if let Some(day) = japanese_day(f, end) {
            if let Val::DayOnly(n) = day.val {
                let val = if next {
                    Val::DayNextMonth(n)
                } else {
                    Val::DayOnly(n)
                };
                return Some(Expr { start: i, val, ..day });
            }
        }
    }
    // "w II kwartale", "nel III trimestre", "IV. čtvrtletí": a quarter numbered in Roman
    // numerals ("I" only capitalised: "i" is a word of its own in Polish and Italian).
    let roman = match f.word(i) {
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        "i" if f.toks.get(i).is_some_and(|t| t.upper) => Some(1),
        _ => None,
    };
    if let Some(quarter) = roman {
        let next = if f.is_punct(i + 1, b'.') { i + 2 } else { i + 1 };
        if f.toks.get(next).is_some_and(|t| t.lex.quarter) {
            return Some(quarter_at(f, i, next + 1, quarter));
        }
    }
    // "R8.3.16" (Reiwa 8, March 16), "H31.4.26": an era's initial, its year, month and day.
    let era = ERAS.iter().find(|(_, initial, _)| f.is_word(i, initial));
    if let Some(&(.., year_zero)) = era.filter(|_| f.toks.get(i).is_some_and(|t| t.upper)) {
        let num = |k: usize, max: u32| {
            f.toks
                .get(k)
                .filter(|t| {
                    t.kind == Kind::Num && t.digits <= 2 && (1..=max).contains(&t.value) && f.glued(k)
                })
                .map(|t| t.value)
        };
        let dot = |k: usize| f.is_punct(k, b'.') && f.glued(k);
        if let (Some(year), true, Some(month), true, Some(day)) = (
            num(i + 1, 99),
            dot(i + 2),
            num(i + 3, 12),
            dot(i + 4),
            num(i + 5, 31),
        ) {
            return Some(Expr {
                start: i,
                end: i + 6,
                val: Val::Date {
                    year: Some(year_zero + year as i32),
                    month,
                    day,
                },
                day_first_proof: None,
            });
        }
    }
    // "令和8年3月16日": a Japanese date whose year is an era's.
    if ERAS.iter().any(|(name, ..)| f.is_word(i, name)) {
        if let Some(found) = japanese_date(f, i) {
            return Some(found);
        }
    }
    // "the week after next", "übernächste Woche", "再来週": the week of the day two weeks on.
    let after_next = (f.is_word(i, "week") && f.is_word(i + 1, "after") && f.is_word(i + 2, "next"))
        .then_some(i + 3)
        .or_else(|| {
            (f.is_any(
                i,
                &[
                    "ubernachste",
                    "ubernachsten",
                    "ubernachster",
                    "uebernaechste",
                    "uebernaechsten",
                    "uebernaechster",
                ],
            ) && f.is_word(i + 1, "woche"))
            .then_some(i + 2)
        });
    if let Some(end) = after_next {
        return Some(Expr {
            start: i,
            end,
            val: Val::WeekOf(Box::new(Val::Within(Unit::Week, 2))),
            day_first_proof: None,
        });
    }
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

    // "the fifteenth of December", "back on the third": an ordinal word as the day.
    if let Some((day, next)) = ordinal_word_day(f, i) {
        let of = if f.is_any(next, OF_WORDS) { next + 1 } else { next };
        if let Some((month, after, _)) = month_at(f, of) {
            let (year, end) = match year_at(f, after) {
                Some((y, end)) => (Some(y), end),
                None => (None, after),
            };
            return expr(end, Val::Date { year, month, day });
        }
        return expr(next, Val::DayOnly(day));
    }
    // "the weekend", "week-end", "Wochenende", "fin de semana", "fine settimana", "fim de
    // semana", "helgen": before "end of the week", which "fin de semana" would otherwise be.
    if let Some(end) = weekend_at(f, i) {
        return expr(end, Val::Weekend);
    }
    // Before weekdays and "the new year": "lundi de Pâques", "New Year's Day".
    if let Some((holiday, end)) = holiday_with_year(f, i) {
        return expr(end, holiday);
    }
    // Before weekdays: "segunda quinzena de janeiro" is no Monday.
    if let Some(found) = half_of_month(f, i) {
        return Some(found);
    }
    if let Some(found) = half_year(f, i) {
        return Some(found);
    }
    if lex.weekday > 0 {
        // "Dinsdag na Pinksteren", "the Tuesday after Easter", "le mardi après la Toussaint",
        // "am Dienstag nach Ostern": the first such weekday after the feast.
        // Portuguese says it in two words, after a weekday of two: "terça-feira a seguir à
        // Páscoa".
        let mut after = i + 1;
        if f.is_punct(after, b'-') && f.is_word(after + 1, "feira") {
            after += 2;
        } else if f.is_word(after, "feira") {
            after += 1;
        }
        let link = if f.is_any(after, WEEKDAY_AFTER) {
            Some(after + 1)
        } else if f.is_word(after, "a") && f.is_word(after + 1, "seguir") {
            Some(after + 2)
        } else {
            None
        };
        if let Some(mut k) = link {
            let weekday = u32::from(lex.weekday);
            if f.is_any(
                k,
                &[
                    "de", "do", "da", "del", "the", "la", "le", "dem", "den", "der", "il", "a", "ao", "al",
                ],
            ) {
                k += 1;
            }
            if let Some((holiday, end)) = holiday_with_year(f, k) {
                let anchor = Box::new(holiday);
                return expr(end, Val::WeekdayAfter { weekday, anchor });
            }
        }
        if let Some(found) = weekday_expr(f, i) {
            return Some(found);
        }
    }
    // German "bis Mo.", "ab Di.", "am Do.": a weekday's two letters with a capital and a
    // dot, right after the word that places it (alone, "Di", "Mi", "Do", "So" are other
    // words); with a date after it, the weekday reading above took it.
    // After "bis" and "ab", which only German writes, the dot may be left out too: "bin bis
    // Mi im Urlaub", "ab Mo wieder da".
    let placed = f.is_any(i.wrapping_sub(1), &["bis", "ab", "am"])
        || (f.is_punct(i.wrapping_sub(1), b'.') && f.is_any(i.wrapping_sub(2), &["einschl", "inkl"]));
    let dotted = f.is_punct(i + 1, b'.') && f.glued(i + 1);
    let undotted = f.is_any(i.wrapping_sub(1), &["bis", "ab"]) && !f.glued(i + 1);
    if (dotted || undotted) && tok.upper && placed {
        let day = ["mo", "di", "mi", "do", "fr", "sa", "so"]
            .iter()
            .position(|d| *d == word);
        if let Some(day) = day.and_then(|d| u32::try_from(d + 1).ok()) {
            return expr(if dotted { i + 2 } else { i + 1 }, Val::Weekday(day));
        }
    }
    if lex.weekday > 0 {
        return None;
    }
    if let Some(found) = next_amount(f, i) {
        return Some(found);
    }
    if let Some(week) = numbered_week(f, i) {
        return Some(week);
    }
    // "the week of January 11", "die Woche vom 11. Januar", "la semaine du 11 janvier".
    // A bare day too: "the week of the 14th", "la semaine du 14", "la semana del 14".
    if lex.unit == Unit::Week && f.is_any(i + 1, &["of", "vom", "du", "del", "dal", "van", "de", "do"]) {
        let k = if f.is_word(i + 2, "the") { i + 3 } else { i + 2 };
        if let Some(inner) = single(f, k) {
            if matches!(inner.val, Val::Date { .. } | Val::Ambig { .. } | Val::DayOnly(_)) {
                return expr(inner.end, Val::WeekOf(Box::new(inner.val)));
            }
        }
    }
    // "the week starting 23 August", "week commencing 6/9", "w/c 11/7", "w/b 3 March": the
    // seven days from that day.
    if let Some(k) = week_from_link(f, i) {
        if let Some(inner) = single(f, k) {
            if matches!(inner.val, Val::Date { .. } | Val::Ambig { .. }) {
                return expr(inner.end, Val::WeekFrom(Box::new(inner.val)));
            }
        }
    }
    if lex.next && f.toks.get(i + 1).is_some_and(|t| t.lex.unit == Unit::Year) {
        return expr(i + 2, Val::Next(NextUnit::Year));
    }
    // "hele uge 42", "die ganze KW 32": the whole of a numbered week, read as the week.
    let numbered_week = f.is_any(i + 1, WEEK_NUM_BEFORE) && f.is_num(i + 2);
    if ((THIS_WORDS.contains(&word) && !lex.next) || WHOLE_WORDS.contains(&word)) && !numbered_week {
        let mut k = i + 1;
        if WHOLE_WORDS.contains(&word) && f.is_any(k, &["the", "la", "a", "die", "de", "het"]) {
            k += 1;
        }
        // "ce week-end", "this week end": the weekend, not this week.
        if let Some(end) = weekend_at(f, k) {
            return expr(end, Val::Weekend);
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
                // "this week and next", "esta semana y la próxima", "questa settimana e la
                // prossima": both, so until the end of the next one.
                if let Some(next_end) = and_the_next(f, end) {
                    return expr(next_end, Val::Next(unit));
                }
                return expr(end, Val::This(unit));
            }
        }
    }
    // "the rest of the week", "den Rest der Woche", "le reste de la semaine", "el resto de
    // la semana", "de rest van de week": what is left of this week or month.
    // Of the year too ("the rest of the year", "le reste de l'année"); of the day, today.
    // Swedish, Danish and Norwegian "resten av veckan", "resten af ugen": "the rest".
    // Norwegian, Swedish and Danish "ut måneden", "ut veckan", "ud ugen": out the month,
    // its rest.
    if matches!(word, "ut" | "ud") {
        if let Some(unit) =
            period_unit(f, i + 1).filter(|u| matches!(u, NextUnit::Week | NextUnit::Month | NextUnit::Year))
        {
            return expr(i + 2, Val::This(unit));
        }
    }
    if matches!(word, "rest" | "remainder" | "reste" | "resto" | "resten") {
        let mut k = i + 1;
        while k < i + 5 && (f.is_any(k, REST_LINKS) || f.is_punct(k, b'\'')) {
            k += 1;
        }
        if k > i + 1 {
            if let Some(unit) =
                period_unit(f, k).filter(|u| matches!(u, NextUnit::Week | NextUnit::Month | NextUnit::Year))
            {
                return expr(k + 1, Val::This(unit));
            }
            if f.toks.get(k).is_some_and(|t| t.lex.unit == Unit::Day) {
                return expr(k + 1, Val::Days(0));
            }
            // "the rest of 2026": to its last day.
            if let Some(year) = f
                .toks
                .get(k)
                .filter(|t| t.kind == Kind::Num && (2000..=2100).contains(&t.value))
            {
                let year = i32::try_from(year.value).unwrap_or(0);
                return expr(
                    k + 1,
                    Val::Date {
                        year: Some(year),
                        month: 12,
                        day: 31,
                    },
                );
            }
        }
    }
    // "this afternoon", "cet après-midi", "esta tarde", "questo pomeriggio", "esta mañana"
    // (not tomorrow's "mañana"): a part of today.
    let this = matches!(
        word,
        "this"
            | "cet"
            | "ce"
            | "cette"
            | "esta"
            | "este"
            | "questo"
            | "questa"
            | "deze"
            | "dit"
            | "diese"
            | "diesen"
            | "dieser"
            | "desta"
            | "nesta"
    );
    if this && f.is_any(i + 1, DAY_PARTS) {
        let end = if f.is_word(i + 1, "apres") && f.is_punct(i + 2, b'-') && f.is_word(i + 3, "midi") {
            i + 4
        } else if f.is_word(i + 1, "apres") && f.is_word(i + 2, "midi") {
            i + 3
        } else {
            i + 2
        };
        return expr(end, Val::Days(0));
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
    if lex.unit == Unit::Year && f.is_any(i + 1, &["que", "q"]) && f.is_any(i + 2, &["viene", "vem"]) {
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
    // "EOW", "EOM", "EOY": the end of this week, month, year; "EOD": today.
    let end_of = |unit: NextUnit| Val::PartOf {
        part: Part::End,
        unit,
        next: false,
    };
    match word {
        "eow" => return expr(i + 1, end_of(NextUnit::Week)),
        "eom" => return expr(i + 1, end_of(NextUnit::Month)),
        "eoy" => return expr(i + 1, end_of(NextUnit::Year)),
        "eod" => return expr(i + 1, Val::Days(0)),
        // German compounds of a period and its part: "bis Jahresende", "zum Monatsanfang",
        // "Mitte des Monats" written as "Monatsmitte".
        "jahresende" | "jahresschluss" => return expr(i + 1, end_of(NextUnit::Year)),
        "monatsende" => return expr(i + 1, end_of(NextUnit::Month)),
        "quartalsende" => return expr(i + 1, end_of(NextUnit::Quarter)),
        "jahresanfang" | "jahresbeginn" | "monatsanfang" | "monatsbeginn" | "jahresmitte" | "monatsmitte" => {
            let part = if word.ends_with("mitte") {
                Part::Mid
            } else {
                Part::Early
            };
            let unit = if word.starts_with("jahr") {
                NextUnit::Year
            } else {
                NextUnit::Month
            };
            return expr(
                i + 1,
                Val::PartOf {
                    part,
                    unit,
                    next: false,
                },
            );
        }
        _ => {}
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
        // "the coming months", "de komende maanden", "die nächsten Wochen", "les prochains
        // mois": several of them, how many unsaid, name no day.
        if f.is_any(i + 1, PLURAL_UNITS) || f.is_any(i, &["prochains", "prochaines"]) {
            return None;
        }
        // "la próx. semana": a shortened "next" keeps its dot.
        let at = if f.is_any(i, &["prox", "nxt"]) && f.is_punct(i + 1, b'.') && f.glued(i + 1) {
            i + 2
        } else {
            i + 1
        };
        if let Some(unit_tok) = f.toks.get(at) {
            let unit = unit_tok.lex.unit;
            if unit == Unit::Week {
                return expr(at + 1, Val::Next(NextUnit::Week));
            }
            if unit == Unit::Month {
                return expr(at + 1, Val::Next(NextUnit::Month));
            }
            if unit_tok.lex.quarter {
                return expr(at + 1, Val::Next(NextUnit::Quarter));
            }
            if unit_tok.lex.weekday > 0 {
                let inner = weekday_expr(f, at)?;
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
        if f.is_any(i + 1, &["que", "q"]) && f.is_any(i + 2, &["viene", "vem"]) {
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
        // "Q3", "Q1 2027"; "H2", "H1 2027" a half-year, read as the first day of its first
        // quarter (see `half_year`), its "H" capitalised only ("h2" is a heading elsewhere).
        "q" | "h" if f.glued(i + 1) && (word == "q" || tok.upper) => {
            let halves = word == "h";
            let n = f.toks.get(i + 1).filter(|t| {
                t.kind == Kind::Num
                    && (1..=if halves { 2 } else { 4 }).contains(&t.value)
                    && (!halves || t.digits == 1)
            })?;
            if f.glued(i + 2) && (f.is_a_word(i + 2) || f.is_num(i + 2)) {
                return None;
            }
            let quarter = match (halves, n.value) {
                (false, q) => q,
                (true, 2) => 3,
                (true, _) => 1,
            };
            return Some(quarter_at(f, i, i + 2, quarter));
        }
        _ => {}
    }
    if let Some(found) = week_of_month(f, i) {
        return Some(found);
    }
    if lex.ordinal > 0 && (1..=4).contains(&lex.ordinal) && f.toks.get(i + 1).is_some_and(|t| t.lex.quarter) {
        return Some(quarter_at(f, i, i + 2, u32::from(lex.ordinal)));
    }
    if let Some(found) = amount_with_postposition(f, i) {
        return Some(found);
    }
    if let Some(found) = bare_amount(f, i) {
        return Some(found);
    }
    // Slovak "o dva týždne", "o 3 dni": in two weeks, three days ("o" is an article
    // elsewhere, so only before a Slovak unit).
    if word == "o" {
        if let Some((n, unit, end)) = amount(f, i + 1) {
            if f.is_any(end - 1, SLOVAK_UNITS) {
                return expr(end, Val::Within(unit, n));
            }
        }
        // "o týždeň", "o mesiac": in one.
        let unit = f.toks.get(i + 1).map_or(Unit::None, |t| t.lex.unit);
        if unit != Unit::None && f.is_any(i + 1, SLOVAK_UNITS) {
            return expr(i + 2, Val::Within(unit, 1));
        }
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
        // Polish and Czech "za tydzień", "za měsíc": in one week, one month; "na tydzień",
        // "na týden": for one (the languages have no article before the unit).
        let unit = f.toks.get(k).map_or(Unit::None, |t| t.lex.unit);
        if word == "za" && unit != Unit::None {
            return expr(k + 1, Val::Within(unit, 1));
        }
        if word == "na" && unit != Unit::None && f.is_any(k, SLAVIC_ONE_UNITS) {
            return expr(k + 1, Val::For(unit, 1));
        }
    }
    if lex.part != Part::None {
        // "towards the end of the month", "gegen Ende Mai", "vers la fin juin", "hacia finales
        // de agosto": an end only drawn near is late, no day.
        let article = usize::from(f.is_any(i.wrapping_sub(1), END_ARTICLES));
        let near = i > article && f.is_any(i - 1 - article, END_HEDGES);
        let part = if lex.part == Part::End && near {
            Part::Late
        } else {
            lex.part
        };
        let lex = Lex { part, ..lex };
        let mut k = i + 1;
        while k < i + 4 && (f.is_any(k, PART_LINKS) || f.is_punct(k, b'-') || f.is_punct(k, b'\'')) {
            k += 1;
        }
        // "la fin du mois de février", "finales del mes de febrero", "the end of the month of
        // February": the month named after the word "month" is the one meant.
        if f.toks.get(k).is_some_and(|t| t.lex.unit == Unit::Month) {
            let mut j = k + 1;
            while j < k + 3 && f.is_any(j, PART_LINKS) {
                j += 1;
            }
            if month_at(f, j).is_some() {
                k = j;
            }
        }
        // "end of June"; "end of Q3", "Ende Q3", "early Q4", "mid Q2": that part of the
        // quarter's first, middle or last month.
        let month_of_part = match month_at(f, k) {
            Some((month, after, _)) => Some(match year_at(f, after) {
                Some((y, end)) => (Some(y), month, end),
                None => (None, month, after),
            }),
            None => match single(f, k) {
                Some(Expr {
                    end,
                    val: Val::Quarter { year, quarter },
                    ..
                }) => Some((
                    year,
                    match lex.part {
                        Part::Early | Part::None => quarter * 3 - 2,
                        Part::Mid => quarter * 3 - 1,
                        Part::End | Part::Late => quarter * 3,
                    },
                    end,
                )),
                _ => None,
            },
        };
        if let Some((year, month, end)) = month_of_part {
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

/// Words that only draw near an end ("towards the end", "gegen Ende", "vers la fin").
const END_HEDGES: &[&str] = &[
    "towards",
    "toward",
    "near",
    "nearer",
    "around",
    "approaching",
    "gegen",
    "vers",
    "verso",
    "hacia",
    "rond",
    "omkring",
];

/// Articles between such a word and the end ("towards the end", "vers la fin").
const END_ARTICLES: &[&str] = &["the", "la", "het", "le", "el", "o", "a", "das"];

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
        // Hyphens between day, month and year, as some calendars print them.
        assert_eq!(vals("15-Jun-2027"), [date(Some(2027), 6, 15)]);
        assert_eq!(vals("15-jun-27"), [date(Some(2027), 6, 15)]);
        assert_eq!(vals("15-Jun"), [date(None, 6, 15)]);
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
    fn times_of_day() {
        assert_eq!(vals("4pm"), [Val::TimeOfDay(16 * 60)]);
        assert_eq!(vals("4:30 p.m."), [Val::TimeOfDay(16 * 60 + 30)]);
        assert_eq!(vals("12 am"), [Val::TimeOfDay(0)]);
        assert_eq!(vals("16h30"), [Val::TimeOfDay(16 * 60 + 30)]);
        assert_eq!(vals("um 14 Uhr"), [Val::TimeOfDay(14 * 60)]);
        assert_eq!(vals("om 9 uur"), [Val::TimeOfDay(9 * 60)]);
        // After a word only times follow, a bare hour; a small one is the afternoon's.
        assert_eq!(vals("richiamami alle 16."), [Val::TimeOfDay(16 * 60)]);
        assert_eq!(vals("a las 4"), [Val::TimeOfDay(16 * 60)]);
        // A bare hour after a request to be called; the dot after it ends the sentence.
        assert_eq!(vals("ring me between 2 and 4."), [Val::TimeOfDay(14 * 60)]);
        assert_eq!(vals("call me back after 9"), [Val::TimeOfDay(9 * 60)]);
        assert_eq!(vals("rufen Sie mich nach 16 an"), [Val::TimeOfDay(16 * 60)]);
        assert!(vals("the server is down between 2 and 4.").is_empty());
        assert!(vals("we met at 3").is_empty());
        // A day range glued to its month; not after numbers (a phone number).
        assert_eq!(
            vals("OOO 20-28/11"),
            [Val::Range(
                Box::new(date(None, 11, 20)),
                Box::new(date(None, 11, 28))
            )]
        );
        assert!(vals("call 555-20-28/11").is_empty());
        // "out", "set", "ago" are months only after their day ("20 out"), never before it.
        assert!(vals("out 20").is_empty());
        // A date set off by commas takes its closing comma.
        assert_eq!(
            parse(&fold("am Freitag, 24. April, geschlossen"))
                .first()
                .map(|e| e.end),
            Some(7)
        );
        assert_eq!(vals("20 de out."), [date(None, 10, 20)]);
        // Not times: a day after "alle" with its month, amounts, an hour past the day.
        assert_eq!(vals("alle 16.03."), [date(None, 3, 16)]);
        assert!(vals("13 pm").is_empty());
        assert!(vals("48h").is_empty());
    }

    #[test]
    fn weekdays_of_this_week() {
        assert_eq!(
            vals("Tuesday and Wednesday this week"),
            [Val::WeekdayThisWeek(2), Val::WeekdayThisWeek(3)]
        );
        assert_eq!(vals("mercredi cette semaine"), [Val::WeekdayThisWeek(3)]);
        assert_eq!(vals("Thursday next week"), [Val::WeekdayNextWeek(4)]);
        assert_eq!(vals("Dienstag nächste Woche"), [Val::WeekdayNextWeek(2)]);
        assert_eq!(vals("jeudi de la semaine prochaine"), [Val::WeekdayNextWeek(4)]);
        // A part of today; the rest of the day or the year.
        assert_eq!(vals("out this afternoon"), [Val::Days(0)]);
        assert_eq!(vals("fuera esta mañana"), [Val::Days(0)]);
        assert_eq!(vals("le reste de l'année"), [Val::This(NextUnit::Year)]);
        assert_eq!(vals("for the rest of the day"), [Val::Days(0)]);
        // English ordinal words as days, beside a month or after "until the".
        assert_eq!(
            vals("until the fifteenth of December"),
            [Val::Date {
                year: None,
                month: 12,
                day: 15
            }]
        );
        assert_eq!(vals("back on the twenty-first"), [Val::DayOnly(21)]);
        assert!(vals("for the fifth time").is_empty());
        // A day named twice, relative then written out, is one expression.
        assert_eq!(vals("morgen, den 10.12., geschlossen"), [Val::Days(1)]);
        assert_eq!(vals("from tomorrow, December 10"), [Val::Days(1)]);
        // The week of a bare day.
        assert_eq!(
            vals("the week of the 14th"),
            [Val::WeekOf(Box::new(Val::DayOnly(14)))]
        );
        // A weekday right after next week is that one day of it; not the head of a list.
        assert_eq!(vals("until next week Monday"), [Val::WeekdayNextWeek(1)]);
        assert_eq!(vals("来週の月曜日まで"), [Val::WeekdayNextWeek(1)]);
        assert_eq!(
            vals("next week Monday and Tuesday"),
            [
                Val::Next(NextUnit::Week),
                Val::Range(
                    Box::new(Val::WeekdayNextWeek(1)),
                    Box::new(Val::WeekdayNextWeek(2))
                )
            ]
        );
        // A bare weekday after next week in its sentence is that week's; not across a full stop.
        assert_eq!(
            vals("out next week until Wednesday"),
            [Val::Next(NextUnit::Week), Val::WeekdayNextWeek(3)]
        );
        assert_eq!(
            vals("next week Tuesday to Thursday"),
            [
                Val::Next(NextUnit::Week),
                Val::Range(
                    Box::new(Val::WeekdayNextWeek(2)),
                    Box::new(Val::WeekdayNextWeek(4))
                )
            ]
        );
        assert_eq!(
            vals("off next week. Call me Thursday"),
            [Val::Next(NextUnit::Week), Val::Weekday(4)]
        );
        // Without "this week" a weekday stays the next one.
        assert_eq!(
            vals("Tuesday and Wednesday"),
            [Val::Range(Box::new(Val::Weekday(2)), Box::new(Val::Weekday(3)))]
        );
    }

    #[test]
    fn the_weekend() {
        for text in [
            "the weekend",
            "am Wochenende",
            "ce week-end",
            "el fin de semana",
            "nel fine settimana",
            "no fim de semana",
        ] {
            assert_eq!(vals(text), [Val::Weekend], "{text}");
        }
    }

    #[test]
    fn week_from_a_day() {
        let week_from = |d: Val| Val::WeekFrom(Box::new(d));
        assert_eq!(
            vals("the week starting 23 August"),
            [week_from(date(None, 8, 23))]
        );
        assert_eq!(
            vals("week commencing 6th September"),
            [week_from(date(None, 9, 6))]
        );
        assert_eq!(vals("w/c 23 Aug"), [week_from(date(None, 8, 23))]);
    }

    #[test]
    fn month_first_day_ranges() {
        let range = |a: Val, b: Val| Val::Range(Box::new(a), Box::new(b));
        assert_eq!(vals("12/7-23"), [range(date(None, 12, 7), date(None, 12, 23))]);
        assert_eq!(vals("away 3/9-14."), [range(date(None, 3, 9), date(None, 3, 14))]);
        // A later day that is no day of a month, or more numbers glued on: no range.
        assert!(!vals("12/7-45").iter().any(|v| matches!(v, Val::Range(..))));
        assert!(!vals("12/7-23-4").iter().any(|v| matches!(v, Val::Range(..))));
    }

    #[test]
    fn never_dates() {
        assert!(vals("+49 30 1234567").is_empty());
        assert!(vals("(555) 123-4567").is_empty());
        assert!(vals("Ticket #20270615").is_empty());
        assert!(vals("order 15/06").is_empty());
        // A time, never a day.
        assert_eq!(vals("at 15:06"), [Val::TimeOfDay(15 * 60 + 6)]);
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
        assert_eq!(vals("Monday 10 am"), [Val::Weekday(1), Val::TimeOfDay(600)]);
        assert_eq!(vals("Montag 14:00"), [Val::Weekday(1), Val::TimeOfDay(840)]);
        assert_eq!(vals("segunda-feira"), [Val::Weekday(1)]);
        assert_eq!(vals("donderdagochtend"), [Val::Weekday(4)]);
        assert_eq!(vals("Donnerstagnachmittag"), [Val::Weekday(4)]);
        assert_eq!(vals("mondays"), [Val::Weekday(1)]);
        assert_eq!(vals("às segundas-feiras"), [Val::Weekday(1)]);
        assert_eq!(vals("segundas intenções"), []);
    }
}
