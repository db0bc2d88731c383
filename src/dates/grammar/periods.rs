//! Named periods: this or next week, month, quarter, year ("next week", "semaine
//! prochaine", "nächsten Monats"), calendar weeks ("KW 24"), quarters ("Q1", "1er
//! trimestre"), parts of them ("Ende des Monats", "joulukuun alussa").

#[allow(clippy::wildcard_imports)]
use super::*;

/// Words for "this" before a period ("this week", "diese Woche", "cette semaine").
pub(super) const THIS_WORDS: &[&str] = &[
    "this", "diese", "dieser", "diesen", "dieses", "cette", "ce", "esta", "este", "questa", "questo", "deze",
    "dit", "nesta", "neste", "essa", "esse", "current", "tym", "tego", "tej", "ta", "denna", "detta",
    "denne", "dette", "tama", "talla", "taman", "tento", "tomto", "tohoto", "tuto", "bu",
];
/// Words for a whole period ("all week", "die ganze Woche", "tutta la settimana").
pub(super) const WHOLE_WORDS: &[&str] = &[
    "all", "whole", "entire", "ganze", "ganzen", "tutta", "tutto", "toda", "todo", "hele", "caly", "calym",
    "cala", "hela", "koko", "cely", "celou", "celem", "tum", "butun",
];
/// Calendar-week words that take a number after them ("KW 24", "week 24", "semaine 24").
pub(super) const WEEK_NUM_BEFORE: &[&str] = &[
    // Finnish genitive: "viikon 9"
    "viikon",
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
    "weeks",
    "wochen",
    "semaines",
    "semanas",
    "settimane",
    "weken",
    // plurals before a range of weeks: "viikot 51-52", "veckorna 51-52", "uger 51-52"
    "viikot",
    "viikoilla",
    "veckor",
    "veckorna",
    "uger",
    "ugerne",
    "uker",
    "ukene",
    "tygodnie",
    "tydny",
];
/// Words joining two calendar weeks ("KW 51 und 52", "semaine 51 et 52", "week 51 t/m 52").
const WEEK_JOINERS: &[&str] = &[
    "and", "to", "und", "bis", "et", "au", "a", "y", "al", "e", "en", "tot", "och", "till", "og", "til",
    "ja", "i",
];
/// Calendar-week words after an ordinal ("24. KW", "24. Kalenderwoche").
pub(super) const WEEK_NUM_AFTER: &[&str] = &[
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
/// Parts of a period named after it, in Finnish ("joulukuun alussa", "kuun lopussa") and
/// Turkish ("ocak başında", "ay ortası", "aralık sonuna").
pub(super) const POST_PARTS: &[(&str, Part)] = &[
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
    ("gejun", Part::Late),
    ("matsu", Part::End),
];
/// Scandinavian part words that name a part of a month only ("sist i januar", "ultimo mars").
pub(super) const MONTH_ONLY_PARTS: &[&str] = &["sist", "sidst", "midt", "forst", "medio", "ultimo"];
/// "(day) of next month" after a day number ("the 10th of next month", "the 15th day of
/// next month", "du mois prochain", "nächsten Monats", "del prossimo mese"): the token after.
pub(super) fn of_next_month(f: &Folded, k: usize) -> Option<usize> {
    // Italian letters' "p.v." (prossimo venturo): "il giorno 7 p.v."
    if f.is_word(k, "p") && f.is_punct(k + 1, b'.') && f.is_word(k + 2, "v") && f.glued(k + 2) {
        return Some(if f.is_punct(k + 3, b'.') { k + 4 } else { k + 3 });
    }
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

/// Whether "next month" stands before the bare day at token `i` in its clause ("on leave
/// next month from the 5th to the 16th", "le mois prochain du 5 au 16", "nächsten Monat vom 5.
/// bis 16.", "el mes que viene del 5 al 16"): the day is next month's, as with "the 10th of
/// next month" written after. A few words back, not past the end of a sentence or a "but"
/// ("away next month, but free on the 25th").
pub(super) fn next_month_before(f: &Folded, i: usize) -> bool {
    (i.saturating_sub(8)..i)
        .rev()
        .take_while(|&k| {
            !(f.is_punct(k, b'.')
                || f.is_punct(k, b'!')
                || f.is_punct(k, b'?')
                || f.is_punct(k, b';')
                || f.is_any(
                    k,
                    &["but", "aber", "mais", "pero", "ma", "maar", "mas", "men", "ale"],
                ))
        })
        .any(|k| matches!(period_at(f, k), Some((NextUnit::Month, true, end)) if end <= i))
}

/// Quarters written with a numeral: "1. Quartal", "1st quarter", "1er trimestre".
pub(super) fn ordinal_quarter(f: &Folded, i: usize) -> Option<Expr> {
    // "3분기", "第3四半期": the CJK quarter glued to its number needs no ordinal mark.
    let tok = f.toks.get(i)?;
    // (CJK words fold apart, unglued; English writes "the 3rd quarter", never "3 quarter".)
    let (n, next, marked) = if tok.kind == Kind::Num && f.is_word(i + 1, "quarter") {
        (tok.value, i + 1, true)
    } else {
        day_number(f, i)?
    };
    if !marked || !(1..=4).contains(&n) || !f.toks.get(next).is_some_and(|t| t.lex.quarter) {
        return None;
    }
    Some(quarter_at(f, i, next + 1, n))
}

/// Quarter `quarter` written from token `start`, its year maybe after token `after` ("Q3
/// 2027", "3rd quarter of next year"; see [`quarter_year`]).
pub(super) fn quarter_at(f: &Folded, start: usize, after: usize, quarter: u32) -> Expr {
    let (year, end) = quarter_year(f, after);
    // "明年第二季度", "내년 2분기": Chinese, Japanese and Korean name the year first.
    let mut k = start;
    while k > 0 && f.is_punct(k - 1, b'^') {
        k -= 1;
    }
    let next_year_before = k >= 2
        && f.toks.get(k - 1).is_some_and(|t| t.lex.unit == Unit::Year)
        && f.toks.get(k - 2).is_some_and(|t| t.lex.next);
    let year = year.or(next_year_before.then_some(NEXT_YEAR));
    Expr {
        start,
        end,
        val: Val::Quarter { year, quarter },
        day_first_proof: None,
    }
}

/// Words for the last week of a month ("the last week of December", "die letzte Woche im
/// Dezember", "la dernière semaine de décembre").
const LAST_WORDS: &[&str] = &[
    "last",
    "letzte",
    "letzten",
    "derniere",
    "dernieres",
    "ultima",
    "ultimas",
    "ultimo",
    "ultimos",
    "ultime",
    "ultimi",
    "laatste",
];

/// Words between a week and its month ("of", "im", "de", "di", "van", "d'").
const WEEK_OF_MONTH_LINKS: &[&str] = &[
    "of", "im", "des", "vom", "in", "de", "du", "d", "di", "del", "nel", "van", "do", "da", "en",
];

/// A week counted within its month: "the first week of January", "the 2nd week of March",
/// "die erste Woche im Januar", "la première semaine de janvier", "la primera semana de
/// enero", "la prima settimana di gennaio", "de eerste week van januari", "a última semana
/// de dezembro": the seven days from its first day (the 1st, the 8th ..., or the last
/// seven days of the month). Not the calendar week of that number ("KW 2"). Two or more
/// weeks ("the first two weeks of January", "les deux dernières semaines de décembre", "le
/// prime due settimane di gennaio") are the range of their days.
pub(super) fn week_of_month(f: &Folded, i: usize) -> Option<Expr> {
    // "two", "2", "beiden" before or after the ordinal: how many weeks.
    let count_at = |k: usize| -> Option<u32> {
        let tok = f.toks.get(k)?;
        let n = match tok.kind {
            Kind::Num if tok.digits == 1 => tok.value,
            Kind::Word if f.is_any(k, &["beiden", "beide"]) => 2,
            Kind::Word => u32::from(tok.lex.number),
            _ => 0,
        };
        (2..=4).contains(&n).then_some(n)
    };
    let mut k = i;
    let mut count = count_at(k).filter(|_| {
        f.is_any(k + 1, LAST_WORDS)
            || f.toks
                .get(k + 1)
                .is_some_and(|t| (1..=4).contains(&t.lex.ordinal))
    });
    if count.is_some() {
        k += 1;
    }
    let tok = f.toks.get(k)?;
    let nth = if f.is_any(k, LAST_WORDS) {
        k += 1;
        None
    } else if tok.kind == Kind::Word && (1..=4).contains(&tok.lex.ordinal) {
        k += 1;
        Some(u32::from(tok.lex.ordinal))
    } else if count.is_none() {
        let (n, next, marked) = day_number(f, k)?;
        if !marked || !(1..=4).contains(&n) {
            return None;
        }
        k = next;
        Some(n)
    } else {
        return None;
    };
    // German writes the month into the week: "in der ersten Augustwoche", "die letzte
    // Märzwoche", "die ersten beiden Januarwochen".
    let month_week = |k: usize| {
        f.is_a_word(k)
            .then(|| f.word(k))
            .and_then(|w| w.strip_suffix("woche").or_else(|| w.strip_suffix("wochen")))
            .map(|m| u32::from(crate::dates::lexicon::lookup(m).month))
            .filter(|&m| m > 0)
    };
    if count.is_none() {
        count = count_at(k).filter(|_| {
            f.toks.get(k + 1).is_some_and(|t| t.lex.unit == Unit::Week) || month_week(k + 1).is_some()
        });
        if count.is_some() {
            k += 1;
        }
    }
    let month = if let Some(month) = month_week(k) {
        month
    } else {
        if f.toks.get(k)?.lex.unit != Unit::Week {
            return None;
        }
        k += 1;
        if !f.is_any(k, WEEK_OF_MONTH_LINKS) {
            return None;
        }
        k += 1;
        if f.is_punct(k, b'\'') {
            k += 1;
        }
        if f.is_any(k, &["the", "la", "il", "el"]) {
            k += 1;
        }
        u32::from(f.toks.get(k)?.lex.month)
    };
    if month == 0 {
        return None;
    }
    let (year, end) = quarter_year(f, k + 1);
    let weeks = count.unwrap_or(1);
    let last_day = month_days(month);
    let first = match nth {
        Some(n) => 1 + 7 * (n - 1),
        None => last_day + 1 - 7 * weeks,
    };
    let date = |day: u32| Val::Date { year, month, day };
    let val = if weeks == 1 {
        Val::WeekFrom(Box::new(date(first)))
    } else {
        Val::Range(
            Box::new(date(first)),
            Box::new(date((first + 7 * weeks - 1).min(last_day))),
        )
    };
    Some(Expr {
        start: i,
        end,
        val,
        day_first_proof: None,
    })
}

/// The days of `month` as the month-part readings count them (February: 28).
fn month_days(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The words of a half: "half", "Hälfte", "moitié", "mitad", "metà", "helft", "metade".
const HALF: &[&str] = &[
    "half", "halfte", "haelfte", "moitie", "mitad", "meta", "helft", "metade",
];

/// The first or second half of a month: "the second half of January", "la deuxième
/// quinzaine de janvier", "la segunda quincena de enero", "la prima metà di gennaio", "de
/// tweede helft van januari", "a primeira quinzena de janeiro", "die zweite Hälfte des
/// Januars": the 1st to the 15th, or the 16th to the month's last day. "Segunda" alone is
/// the Portuguese Monday; before a half word it is the ordinal.
pub(super) fn half_of_month(f: &Folded, i: usize) -> Option<Expr> {
    const FIRST: &[&str] = &[
        "first", "erste", "ersten", "premiere", "primera", "prima", "eerste", "primeira",
    ];
    const SECOND: &[&str] = &[
        "second", "latter", "zweite", "zweiten", "deuxieme", "seconde", "segunda", "seconda", "tweede",
    ];
    // A half, or the fortnight words that name a half of a month only.
    const FORTNIGHT: &[&str] = &["quinzaine", "quincena", "quindicina", "quinzena"];
    let second = if f.is_any(i, FIRST) {
        false
    } else if f.is_any(i, SECOND) {
        true
    } else {
        return None;
    };
    if !f.is_any(i + 1, HALF) && !f.is_any(i + 1, FORTNIGHT) {
        return None;
    }
    let mut k = i + 2;
    if f.is_any(k, WEEK_OF_MONTH_LINKS) || f.is_word(k, "des") {
        k += 1;
    }
    if f.is_punct(k, b'\'') {
        k += 1;
    }
    if f.is_any(k, &["the", "la", "il", "el"]) {
        k += 1;
    }
    let tok = f.toks.get(k)?;
    let month = u32::from(tok.lex.month);
    if month == 0 || !tok.lex.month_full {
        return None;
    }
    // "des Januars": the genitive's "s" is read with the month.
    let (year, end) = quarter_year(f, k + 1);
    let last_day = month_days(month);
    let (first, last) = if second { (16, last_day) } else { (1, 15) };
    let date = |day: u32| Box::new(Val::Date { year, month, day });
    Some(Expr {
        start: i,
        end,
        val: Val::Range(date(first), date(last)),
        day_first_proof: None,
    })
}

/// The first or second half of a year, read as the first day of its first quarter: "no
/// segundo semestre", "im zweiten Halbjahr", "au second semestre", "nel secondo semestre",
/// "in het tweede halfjaar", "in the second half of the year", "2. Halbjahr 2027".
pub(super) fn half_year(f: &Folded, i: usize) -> Option<Expr> {
    const FIRST: &[&str] = &[
        "first", "erste", "ersten", "erstes", "premier", "primer", "primo", "eerste", "primeiro",
    ];
    const SECOND: &[&str] = &[
        "second", "zweite", "zweiten", "zweites", "deuxieme", "segundo", "secondo", "tweede",
    ];
    const HALF_YEAR: &[&str] = &["semestre", "semester", "halbjahr", "halbjahres", "halfjaar"];
    const OF_YEAR: &[&[&str]] = &[
        &["of", "the", "year"],
        &["of", "this", "year"],
        &["des", "jahres"],
        &["van", "het", "jaar"],
        &["de", "l", "annee"],
        &["del", "ano"],
        &["dell", "anno"],
        &["do", "ano"],
    ];
    let (second, k) = if f.is_any(i, FIRST) {
        (false, i + 1)
    } else if f.is_any(i, SECOND) {
        (true, i + 1)
    } else {
        let (n, next, marked) = day_number(f, i)?;
        if !marked || !(1..=2).contains(&n) {
            return None;
        }
        (n == 2, next)
    };
    // "the second half of the year", "of next year" (read by `quarter_year`), "of 2027".
    let end = if f.is_any(k, HALF_YEAR) {
        k + 1
    } else if f.is_any(k, HALF) {
        let of_year = OF_YEAR.iter().find_map(|words| phrase_end(f, k + 1, words));
        let of_next = NEXT_YEAR_AFTER
            .iter()
            .find_map(|words| phrase_end(f, k + 1, words))
            .map(|_| k + 1);
        let of_written = (f.is_any(k + 1, &["of", "des", "de", "del", "di", "do", "van"])
            && year_at(f, k + 2).is_some())
        .then_some(k + 2);
        of_year.or(of_next).or(of_written)?
    } else {
        return None;
    };
    Some(quarter_at(f, i, end, if second { 3 } else { 1 }))
}

/// Calendar weeks written with an ordinal first: "24. KW", "der 24. Kalenderwoche".
pub(super) fn ordinal_week(f: &Folded, i: usize) -> Option<Expr> {
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
pub(super) fn numbered_week(f: &Folded, i: usize) -> Option<Expr> {
    // Swedish "v50", "v.50" (a bare "v 50" is Czech "at 50").
    let swedish_v = f.is_word(i, "v")
        && ((f.glued(i + 1) && f.is_num(i + 1))
            || (f.is_punct(i + 1, b'.') && f.glued(i + 1) && f.is_num(i + 2)));
    // French "S34" (semaine 34), capital and glued: "absente S33, retour S34".
    let french_s =
        || f.is_word(i, "s") && f.toks.get(i).is_some_and(|t| t.upper) && f.glued(i + 1) && f.is_num(i + 1);
    if !f.is_any(i, WEEK_NUM_BEFORE) && !swedish_v && !french_s() {
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
    // "week 2 of the project" and "vecka 3, så" are fine; "week 24/7" or "semana 3,5" are
    // not weeks.
    let decimal = |sep: u8| f.is_punct(k + 1, sep) && f.glued(k + 2) && f.is_num(k + 2);
    if f.glued(k + 1) && (f.is_a_word(k + 1) || decimal(b',') || decimal(b':')) {
        return None;
    }
    if f.is_punct(k + 1, b'/') && f.is_num(k + 2) && f.toks.get(k + 2).is_some_and(|t| t.digits == 1) {
        return None;
    }
    // Czech "v týdnu 12.–16. 10.", "týden 12.10.": the days of a date with their ordinal dots,
    // not week 12.
    if f.is_punct(k + 1, b'.')
        && f.glued(k + 1)
        && (f.is_punct(k + 2, b'-') || (f.glued(k + 2) && f.is_num(k + 2)))
    {
        return None;
    }
    // "uge 48-49", "v.51-52", "KW 51 und 52", "weeks 51 and 52", "KW 51 bis KW 52": two
    // weeks or a range of them, which run to the end of the last.
    // Dutch "wk 31 t/m 33", "week 31 tot en met 33".
    let dutch_through = (f.is_word(k + 1, "t") && f.is_punct(k + 2, b'/') && f.is_word(k + 3, "m"))
        || (f.is_word(k + 1, "tot") && f.is_word(k + 2, "en") && f.is_word(k + 3, "met"));
    let joined = f.is_punct(k + 1, b'-') || f.is_any(k + 1, WEEK_JOINERS) || dutch_through;
    let after_link = if dutch_through { k + 4 } else { k + 2 };
    let second = if f.is_any(after_link, WEEK_NUM_BEFORE) {
        after_link + 1
    } else {
        after_link
    };
    let last_week = f
        .toks
        .get(second)
        .filter(|t| joined && t.kind == Kind::Num && t.digits <= 2)
        .map(|t| t.value)
        .filter(|&w| w > tok.value && w <= 53)
        // "week 3 and 4 hours": a number that counts something else.
        .filter(|_| {
            !f.is_a_word(second + 1) || f.toks.get(second + 1).is_some_and(|t| t.lex.unit == Unit::None)
        });
    if let Some(last_week) = last_week {
        let (year, end) = quarter_year(f, second + 1);
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
pub(super) fn period_unit(f: &Folded, k: usize) -> Option<NextUnit> {
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
pub(super) fn next_after(f: &Folded, k: usize) -> Option<usize> {
    if f.toks.get(k).is_some_and(|t| t.lex.next) {
        return Some(k + 1);
    }
    if f.is_any(k, &["que", "q"]) && f.is_any(k + 1, &["viene", "vem"]) {
        return Some(k + 2);
    }
    None
}

/// A period at `k`, current or next: "next week", "semaine prochaine", "this month", "the
/// month", "nächsten Jahres". Returns `(unit, next, end)`.
pub(super) fn period_at(f: &Folded, k: usize) -> Option<(NextUnit, bool, usize)> {
    if f.toks.get(k).is_some_and(|t| t.lex.next) {
        // "la próx. semana": a shortened "next" keeps its dot.
        let unit_at = if f.is_any(k, &["prox", "nxt"]) && f.is_punct(k + 1, b'.') && f.glued(k + 1) {
            k + 2
        } else {
            k + 1
        };
        let unit = period_unit(f, unit_at)?;
        return Some((unit, true, unit_at + 1));
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

pub(super) fn quarter_year(f: &Folded, i: usize) -> (Option<i32>, usize) {
    let k = if f.is_punct(i, b'/') || f.is_punct(i, b'-') {
        i + 1
    } else {
        i
    };
    if let Some(end) = NEXT_YEAR_AFTER.iter().find_map(|words| phrase_end(f, i, words)) {
        return (Some(NEXT_YEAR), end);
    }
    match year_at(f, k) {
        Some((y, end)) => (Some(y), end),
        None => (None, i),
    }
}

/// The year of a quarter or half-year counted from the reply's: next year's ("Q3 of next
/// year", "au second semestre de l'année prochaine"). Resolved by
/// `crate::dates::resolve`, which adds it to the reply's year.
pub(crate) const NEXT_YEAR: i32 = 1;

/// "of next year" after a quarter or a half-year, in the languages read.
const NEXT_YEAR_AFTER: &[&[&str]] = &[
    &["of", "next", "year"],
    &["next", "year"],
    &["des", "nachsten", "jahres"],
    &["des", "naechsten", "jahres"],
    &["nachsten", "jahres"],
    &["im", "nachsten", "jahr"],
    &["de", "l", "annee", "prochaine"],
    &["de", "l", "an", "prochain"],
    &["del", "proximo", "ano"],
    &["del", "ano", "que", "viene"],
    &["del", "ano", "proximo"],
    &["del", "prossimo", "anno"],
    &["dell", "anno", "prossimo"],
    &["do", "proximo", "ano"],
    &["do", "ano", "que", "vem"],
    &["van", "volgend", "jaar"],
    &["volgend", "jaar"],
];

/// A part word after a period (see [`POST_PARTS`]): `(part, next token)`.
pub(super) fn post_part(f: &Folded, k: usize) -> Option<(Part, usize)> {
    if f.toks.get(k)?.kind != Kind::Word {
        return None;
    }
    let word = f.word(k);
    POST_PARTS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, part)| (part, k + 1))
}
