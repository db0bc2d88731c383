//! Ranges: two ends and the word or dash between them ("1-15 June", "du 1er au 15 juin",
//! "24.12 al 6.1", "7月1日(月)〜3日(水)"), and what one end lends the other (a year, a month).

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) const RANGE_LINKS: &[&str] = &[
    "to", "till", "until", "through", "thru", "bis", "au", "a", "al", "all", "tot", "and", "und", "et", "y",
    "e", "ate", "do", "til", "ile", "kara",
];
/// The token after a weekday in brackets right after a date ("7月1日(月)〜3日(水)", "Dec 21
/// (Mon) to Jan 3 (Sun)"), else `k` itself: the bracket says nothing the date does not.
pub(super) fn paren_weekday(f: &Folded, k: usize) -> usize {
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
pub(super) fn short_day_month(f: &Folded, first_start: usize, k: usize) -> Option<Expr> {
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
pub(super) fn bare_day_range(f: &Folded, i: usize) -> Option<Expr> {
    let (day, end, _) = day_number(f, i)?;
    let link_end = range_link(f, end)?;
    // "20-28/11", "18-21.11.2025": the second end glued to the dash reads as a date of its
    // own, which a lone number glued to a dash (a phone number's part) would not.
    // A day glued on to numbers before it ("555-20-28/11") is part of a phone number.
    let glued_on = i > 1
        && f.glued(i)
        && matches!(f.toks.get(i - 1).map(|t| t.kind), Some(Kind::Punct(_)))
        && f.glued(i - 1)
        && f.is_num(i - 2);
    if glued_on {
        return None;
    }
    let second = single(f, link_end).or_else(|| numeric_after_range_dash(f, link_end))?;
    let (year, month, second) = match second.val {
        Val::Date { year, month, .. } => (year, month, second),
        // "9-11/12": a day before the dash puts the day first in the date after it too.
        Val::Ambig {
            year,
            first: last,
            second: month,
        } if f.is_punct(end, b'-') && day < last => (
            year,
            month,
            Expr {
                val: Val::Date {
                    year,
                    month,
                    day: last,
                },
                ..second
            },
        ),
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
pub(super) fn compatible(a: &Val, b: &Val) -> bool {
    matches!(
        (a, b),
        (
            Val::Date { .. } | Val::Ambig { .. },
            Val::Date { .. } | Val::Ambig { .. }
        ) | (Val::Weekday(_), Val::Weekday(_) | Val::Date { .. })
            | (Val::WeekdayNextWeek(_), Val::WeekdayNextWeek(_))
            | (Val::Date { .. }, Val::Weekday(_))
            // "1月1日から1月の第2月曜日まで", "from 20 December to Epiphany"
            | (Val::Date { .. } | Val::Ambig { .. }, Val::Holiday { .. })
            | (Val::Holiday { .. }, Val::Date { .. } | Val::Ambig { .. })
            | (Val::Month { .. }, Val::Month { .. })
            | (Val::DayOnly(_), Val::DayOnly(_) | Val::DayNextMonth(_))
            | (Val::DayNextMonth(_), Val::DayNextMonth(_) | Val::DayOnly(_))
            | (
                Val::WeekdayDay { .. },
                Val::WeekdayDay { .. } | Val::DayOnly(_) | Val::Date { .. }
            )
    )
}

/// A year written only on the second end of a range applies to the first too.
pub(super) fn fill_year(a: Val, b: Val) -> (Val, Val) {
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
        // "next month from the 5th to the 16th", "nächsten Monat vom 5. bis 16.": the second too.
        // ("from the 28th of next month to the 3rd" ends the month after: left alone.)
        (Val::DayNextMonth(a), Val::DayOnly(b)) if b >= a => (Val::DayNextMonth(a), Val::DayNextMonth(b)),
        pair => pair,
    }
}

/// The word or dash joining the two ends of a range; returns the token after it.
pub(super) fn range_link(f: &Folded, i: usize) -> Option<usize> {
    let mut k = if f.is_punct(i, b'-') || f.is_punct(i, b'~') || f.is_any(i, RANGE_LINKS) {
        i + 1
    } else if f.is_word(i, "t") && f.is_punct(i + 1, b'/') && f.is_word(i + 2, "m") {
        i + 3
    } else if tem(f, i) {
        // Flemish "t.e.m." (tot en met), with or without its last dot
        i + 5 + usize::from(f.is_punct(i + 5, b'.'))
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
    // "Do 29.5. – So 1.6.", "lun. 3 – ven. 7": the second end's weekday, abbreviated or not,
    // before its number.
    let weekday =
        f.toks.get(k).is_some_and(|t| t.lex.weekday > 0) || f.is_any(k, GERMAN_WEEKDAY_ABBREVIATIONS);
    if weekday {
        let dot = usize::from(f.is_punct(k + 1, b'.') || f.is_punct(k + 1, b','));
        if f.is_num(k + 1 + dot) {
            k += 1 + dot;
        }
    }
    Some(k)
}

/// German two-letter weekdays ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"), which the lexicon
/// leaves out where they are common words of other languages ("so", "do", "di").
const GERMAN_WEEKDAY_ABBREVIATIONS: &[&str] = &["mo", "di", "mi", "do", "fr", "sa", "so"];

/// Flemish "t.e.m." (tot en met: up to and including) at token `i`.
pub(super) fn tem(f: &Folded, i: usize) -> bool {
    f.is_word(i, "t")
        && f.is_punct(i + 1, b'.')
        && f.is_word(i + 2, "e")
        && f.is_punct(i + 3, b'.')
        && f.is_word(i + 4, "m")
}
