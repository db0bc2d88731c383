//! A part-timer's week: the days a writer works, when a notice names them ("I work Monday to
//! Wednesday", "my working days are Tue-Thu", "ich bin montags bis donnerstags erreichbar",
//! "ik werk op maandag, dinsdag en donderdag", "je travaille du lundi au mercredi"). Such a
//! notice names no date, yet says exactly when the writer is back: the next of those days.
//! Without this, "Monday to Wednesday" read as a range of days away put the return on the
//! Thursday, the one day the writer is not there.

use crate::dates::tokens::Folded;

/// Words of work or presence that the days follow ("I work", "working days", "im Büro",
/// "erreichbar", "bureau", "oficina", "ufficio", "kantoor", "escritório", "available").
const PRESENCE: &[&str] = &[
    "work",
    "works",
    "working",
    "workdays",
    "workday",
    "office",
    "available",
    "reachable",
    "present",
    "hours",
    "schedule",
    "arbeite",
    "arbeitstage",
    "arbeitszeiten",
    "buro",
    "buero",
    "erreichbar",
    "anwesend",
    "dienst",
    "travaille",
    "travail",
    "bureau",
    "presente",
    "presentes",
    "disponible",
    "disponibles",
    "joignable",
    "trabajo",
    "laborables",
    "oficina",
    "localizable",
    "lavoro",
    "lavorativi",
    "ufficio",
    "disponibile",
    "reperibile",
    "werk",
    "werkdagen",
    "werkzaam",
    "kantoor",
    "aanwezig",
    "bereikbaar",
    "beschikbaar",
    "trabalho",
    "escritorio",
    "disponivel",
    "teilzeit",
    "partiel",
    "parcial",
    "parziale",
    "deeltijd",
    "parttime",
];

/// Words that close a range of days ("Monday to Wednesday", "montags bis donnerstags", "du
/// lundi au mercredi", "van maandag tot woensdag", "de segunda a quarta").
const THROUGH: &[&str] = &[
    "to", "through", "thru", "till", "bis", "au", "a", "al", "tot", "ate", "t",
];

/// Words that join one more day to a list ("Monday, Tuesday and Thursday").
const AND: &[&str] = &["and", "und", "et", "y", "e", "en", "och", "og"];

/// Negations that make the days the ones away ("not in the office Monday to Wednesday").
const NOT: &[&str] = &[
    "not", "nicht", "pas", "no", "non", "niet", "nao", "t", "nt", "kein", "keine", "geen",
];

/// The writer's working days, when a text names two or more after (or, verb last, before)
/// a word of work or presence, not negated. One day alone ("in the office on Monday") is a
/// plain return, which the rest of the extractor reads.
pub(super) struct Week {
    /// Bit 1 Monday ..= bit 7 Sunday.
    pub mask: u8,
    /// The presence word's token, whose clause says whose week it is.
    pub at: usize,
    /// The tokens of the days and the presence word, for the evidence.
    pub span: std::ops::Range<usize>,
}

/// Finds the first [`Week`] in the text.
pub(super) fn working_days(f: &Folded) -> Option<Week> {
    let mut i = 0;
    while i < f.toks.len() {
        let Some((mask, end)) = days_at(f, i) else {
            i += 1;
            continue;
        };
        // The word before the days, or in a verb-last clause after them ("montags bis
        // donnerstags erreichbar", "dinsdag t/m donderdag aanwezig").
        // "Our operating hours are Mon–Fri": a business's hours, no person's week.
        let business_hours = |k: usize| {
            f.is_word(k, "hours")
                && f.is_any(
                    k.wrapping_sub(1),
                    &[
                        "operating",
                        "opening",
                        "business",
                        "support",
                        "service",
                        "trading",
                        "store",
                        "shop",
                        "our",
                        "call",
                    ],
                )
        };
        let presence = (i.saturating_sub(6)..i)
            .rev()
            .chain(end..end + 3)
            .find(|&k| f.is_any(k, PRESENCE))
            .filter(|&k| !business_hours(k));
        // A negation before the word or the days, or between them ("montags bis donnerstags
        // nicht erreichbar").
        let denied = |at: usize| (at.min(i).saturating_sub(3)..at.max(i)).any(|k| f.is_any(k, NOT));
        if let Some(at) = presence.filter(|&at| !denied(at)) {
            if mask.count_ones() >= 2 {
                return Some(Week {
                    mask,
                    at,
                    span: at.min(i)..end.max(at + 1),
                });
            }
        }
        i = end;
    }
    None
}

/// German and Dutch two-letter days that the lexicon leaves out, being words elsewhere
/// ("di", "do", "so"): in a list or range of days they are days ("Di.-Do.", "ma t/m do").
const SHORT: &[(&str, u8)] = &[
    ("di", 2),
    ("mi", 3),
    ("do", 4),
    ("vr", 5),
    ("sa", 6),
    ("za", 6),
    ("so", 7),
    ("zo", 7),
];

/// The weekday a token names, 1 (Monday) ..= 7, abbreviations included ("Mon", "Mo.", "Di").
fn weekday(f: &Folded, i: usize) -> Option<u8> {
    let tok = f.toks.get(i)?;
    if !f.is_a_word(i) {
        return None;
    }
    if tok.lex.weekday != 0 {
        return Some(tok.lex.weekday);
    }
    SHORT
        .iter()
        .find(|(word, _)| f.word(i) == *word)
        .map(|&(_, day)| day)
}

/// A list or range of weekdays starting at token `i`: its mask and one past its last token.
/// An abbreviation counts only joined to another day ("Mon-Wed", "Mo.–Do."): alone, "mon",
/// "do", "mi" are words of other languages. A dash joins a range ("Mon-Wed"), but in a chain
/// of three days or more a list ("lun-mer-ven"), as a slash always does ("Mon/Wed/Fri").
fn days_at(f: &Folded, i: usize) -> Option<(u8, usize)> {
    let first = weekday(f, i)?;
    // Each day after the first, with whether a word or dash of range joined it.
    let mut joined: Vec<(u8, bool, bool)> = Vec::new();
    let mut end = i + 1;
    loop {
        let mut k = end;
        // "Mo.", "Tue.": the abbreviation's dot.
        if f.is_punct(k, b'.') {
            k += 1;
        }
        let dash = f.is_punct(k, b'-');
        let through = f.is_any(k, THROUGH);
        let list = f.is_punct(k, b',') || f.is_punct(k, b'/') || f.is_any(k, AND);
        if !(dash || through || list) {
            break;
        }
        k += 1;
        // "tot en met", "t/m": the Dutch inclusive range.
        let tot_en_met = f.is_word(k - 1, "tot") && f.is_word(k, "en") && f.is_word(k + 1, "met");
        let t_m = f.is_word(k - 1, "t") && f.is_punct(k, b'/') && f.is_word(k + 1, "m");
        if tot_en_met || t_m {
            k += 2;
        }
        // "Monday, Tuesday, and Thursday", "op maandag en op woensdag".
        if f.is_any(k, AND) || f.is_any(k, &["on", "op", "am", "le", "el", "il"]) {
            k += 1;
        }
        let Some(next) = weekday(f, k) else { break };
        joined.push((next, dash, through));
        end = k + 1;
    }
    let dashes_list = joined.iter().filter(|(_, dash, _)| *dash).count() >= 2;
    let (mut mask, mut last) = (1u8 << first, first);
    for &(next, dash, through) in &joined {
        if through || (dash && !dashes_list) {
            let mut day = last;
            while day != next {
                day = day % 7 + 1;
                mask |= 1 << day;
            }
        }
        mask |= 1 << next;
        last = next;
    }
    let short = f.word(i).len() < 5;
    (!joined.is_empty() || !short).then_some((mask, end))
}

/// Words before a working day that make it the next one ("next working day", "nächsten
/// Arbeitstag", "eerstvolgende werkdag", "prochain jour ouvré", "próximo día hábil").
const NEXT: &[&str] = &[
    "next",
    "following",
    "nachsten",
    "naechsten",
    "volgende",
    "eerstvolgende",
    "prochain",
    "proximo",
    "prossimo",
];

/// Words of a working day after [`NEXT`].
const WORKDAY: &[&str] = &[
    "working",
    "business",
    "work",
    "arbeitstag",
    "werktag",
    "werkdag",
    "jour",
    "dia",
    "giorno",
];

/// Words of part-time work ("part-time", "Teilzeit", "temps partiel", "deeltijd").
const PART_TIME: &[&str] = &[
    "part", "teilzeit", "partiel", "parcial", "deeltijd", "parttime", "parziale", "periodo",
];

/// The text reads as a part-timer's notice beside its week: it says "next working day" or
/// "part-time". A week of office hours in a person's reply ("Sono in ufficio lunedì,
/// mercoledì e venerdì") says neither.
pub(super) fn notice(f: &Folded) -> bool {
    (0..f.toks.len()).any(|k| {
        (f.is_any(k, NEXT) && (k + 1..k + 3).any(|j| f.is_any(j, WORKDAY))) || f.is_any(k, PART_TIME)
    })
}
