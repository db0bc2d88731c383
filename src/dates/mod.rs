//! Return-date extraction: reads an out-of-office or "call me later" reply and says the first
//! day the writer is certainly back (DESIGN.md, "Replies", point 5).
//!
//! The module is pure: no I/O, no clock (the reference day comes from the reply's `Date`
//! header in [`DateContext`]), no logging, and no input makes it fail or panic; at worst it
//! finds nothing. It works in four steps:
//!
//! 1. `tokens`: the text (cut at 16 KiB, quoted `>` lines dropped) is folded to lowercase
//!    ASCII without accents and split into words, numbers and punctuation that keep their
//!    byte offsets in the original. The Japanese words the grammar needs ("12月7日", "まで",
//!    "以降", "来週", "不在") are folded to ASCII words too; other CJK text becomes `^`.
//! 2. `grammar`: date expressions are recognised in fourteen languages (en de fr es it nl pt
//!    pl sv da no fi cs tr: absolute dates in words and numbers, weekdays, relative spans,
//!    months and quarters, ranges).
//! 3. `cues`: return, absence and callback cue words are found, and the operator of each
//!    date is read: right before it ("until", "ab", "jusqu'au", "do", "till och med"), or
//!    right after it in Finnish and Turkish ("4.12. asti", "11 Aralık'a kadar",
//!    "7 Aralık'tan itibaren").
//! 4. Each date tied to a cue becomes a candidate return day (below); the best one wins.
//!
//! # Conventions
//!
//! - "back on X", "ab X", "à partir du X", "before X" give X. "until X", "through X", "after
//!   X", "till och med X", inclusive ends and the end B of a range "A to B" give the next
//!   business day (Monday to Friday, public holidays ignored) after X or B.
//! - A date tied only to an absence cue ("out of the office on Friday", "nächste Woche im
//!   Urlaub") is a day or period away: the result is the next business day after it.
//! - "from X" tied to an absence cue ("on vacation from June 1") is when the absence starts,
//!   so it is no return date; "from X" tied to a return or callback cue is one.
//! - Periods: "next week" is its Monday, "next month" the 1st, "in January" its first
//!   business day (the 1st unless that is a Saturday or Sunday), "Q2" its first day; "until
//!   next week" / "bis Januar" give that first day too (the writer returns in that period).
//!   A time of day ("call me at 4 pm") is no day by itself: asked for a call, it is today
//!   while still ahead, else the next business day. "early March" is the 1st, "mid-March"
//!   the 15th, and "end of March" is read as "away until the end of March": the next
//!   business day after the last day.
//!   A period already begun ("in June" written on 10 June) starts at the reference day, as
//!   an end ("out this week"); as a start ("back this week", "back later this month") it
//!   names no day of return, which the default pause covers.
//! - A named holiday whose date is known is that day: Christmas (Eve), Boxing Day, New
//!   Year's Eve and Day, Epiphany, Assumption, All Saints, and Easter and the days counted
//!   from it (Easter Monday, Ascension, Pentecost, Whit Monday, Corpus Christi), and the
//!   American holidays fixed to a weekday of their month (Thanksgiving, Memorial Day, Labor
//!   Day, Martin Luther King Day, Presidents Day, Columbus Day) or to a day. "after
//!   Epiphany" is the next business day after 6 January; "after the new year" is after New
//!   Year's Day, while "in the new year" is the next year's first day. Unnamed holidays ("after
//!   the holidays", "après les fêtes") and periods around a holiday ("Christmas holidays",
//!   "vacances de Noël") give nothing. A holiday at most 60 days past is stale, like a date.
//! - A weekly day off ("I don't work on Mondays", "ik werk niet op maandag", "mein freier Tag
//!   ist der Montag") names its next occurrence from the reference day on, today included:
//!   written on that weekday, the writer is back the next business day. A day off named by
//!   its day ("today is my day off", "heute habe ich einen Brückentag") is an absence now.
//!   A weekday written as a habit ("on Fridays", "freitags", "los viernes", "absente le
//!   vendredi") is such a day off, and any other day the writer names beats it.
//! - A part-timer's week ("I work Mon-Wed", "ich bin montags bis donnerstags erreichbar", "ik
//!   werk op maandag, dinsdag en donderdag") gives the next of those days after the
//!   reference day, unless the writer names a day of their own.
//! - A later day the writer prefers, in the same sentence ("after New Year, preferably mid
//!   January"), beats the first one when it lies at most 45 days after it.
//! - "in two weeks" is the reference day plus 14 days, "for two weeks" (an absence of that
//!   length) too; "tomorrow" is the next day; a weekday is its next occurrence strictly
//!   after the reference day.
//! - A weekday with a bare day number ("el lunes 14", "Monday the 14th", "Montag, den 14.",
//!   "segunda-feira, dia 14") is the nearest day of that number, from the reference day on and
//!   within two months, that falls on that weekday; when none does, the day number alone (as
//!   "the 14th"). A time after a weekday ("Monday 10 am", "Montag 14:00") is no day number.
//! - A year left out means the next occurrence, except that a date at most 60 days in the
//!   past is taken as a stale past date (and rejected) rather than as next year's.
//! - Day-first or month-first for `03/04`: an unambiguous numeric date in the same text
//!   decides; else English is month-first unless the region is known and not us/ca/ph;
//!   Japanese (told by its kana) is month-first; every other language is day-first; with no
//!   language, us/ca/ph are month-first.
//! - A vague period that wins (its first day being the return) is narrowed by a more
//!   specific date inside it in the same sentence: "im neuen Jahr, am besten Mitte Januar" is
//!   15 January, "no ano que vem, lá para fevereiro" 1 February.
//! - Candidates tied to a return/callback cue or an until/from/after operator, or ranges,
//!   beat candidates tied only to an absence cue; among equals the latest return day wins,
//!   since "certainly back" must hold for every statement in the reply ("until Friday
//!   12 June, back Monday 15 June" agree anyway, and a later day is the safe reading),
//!   except an absence that only begins after the day the writer is back from another
//!   ("until 20 March ... also travelling 6-10 April"): a later trip, not this one's end.
//!   A full date right after a return cue ("back on 24 August") or a day right after an ask
//!   to get in touch ("call me after Christmas") is the writer's own word and beats the
//!   others. Three statements then refine a day worked out from an end: a "from" day soon
//!   after an "until" ("12月28日まで営業、1月6日から営業") is the reopening; a weekday named
//!   as the return the day before ("until Monday the 7th ... talk to you on Monday") is taken; of
//!   two ends a day apart ("5-11 August" and "until 10 August") the earlier return, since
//!   "until" is often written loosely for the day of return.
//! - A weekday beside an ambiguous numeric date ("Tuesday 7/6") decides day-first or
//!   month-first when only one reading falls on it.
//! - Dates whose day lies before the reference day, or whose return day lies more than
//!   `max_ahead_days` ahead, are dropped.

mod away;
pub mod business;
mod cues;
mod grammar;
mod lexicon;
mod schedule;
mod subject;
mod tokens;

use std::ops::Range;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, Timelike, Weekday};
use chrono_tz::Tz;

pub use crate::dates::away::{
    absence_mentioned, acts_before, away_again, away_in_first_person, colleague_reply, mail_limited,
    open_as_usual, open_until_then, owner_away, said_in_first_person, said_in_person, unable_now,
    writer_away,
};
use crate::dates::cues::{Cue, CueKind, Op};
use crate::dates::grammar::{Expr, Feast, NextUnit, Val};
use crate::dates::lexicon::{Part, Unit};

/// A language the shipped rules and the date extractor understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Dutch.
    Nl,
    /// Portuguese.
    Pt,
    /// Polish.
    Pl,
    /// Swedish.
    Sv,
    /// Danish.
    Da,
    /// Norwegian (Bokmål; "nb" and "nn" are read as "no").
    No,
    /// Finnish.
    Fi,
    /// Czech.
    Cs,
    /// Turkish.
    Tr,
    /// Japanese (rules and the common date forms; see the module docs).
    Ja,
}

impl Lang {
    /// Every language, in a fixed order.
    pub const ALL: [Lang; 15] = [
        Lang::En,
        Lang::De,
        Lang::Fr,
        Lang::Es,
        Lang::It,
        Lang::Nl,
        Lang::Pt,
        Lang::Pl,
        Lang::Sv,
        Lang::Da,
        Lang::No,
        Lang::Fi,
        Lang::Cs,
        Lang::Tr,
        Lang::Ja,
    ];

    /// The ISO 639-1 code ("en", "de", ...).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::Nl => "nl",
            Lang::Pt => "pt",
            Lang::Pl => "pl",
            Lang::Sv => "sv",
            Lang::Da => "da",
            Lang::No => "no",
            Lang::Fi => "fi",
            Lang::Cs => "cs",
            Lang::Tr => "tr",
            Lang::Ja => "ja",
        }
    }

    /// Parses an ISO 639-1 code, case-insensitively; a region suffix ("en-GB") is ignored.
    /// Norwegian Bokmål ("nb") and Nynorsk ("nn") are read as Norwegian ("no").
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.split(['-', '_']).next().unwrap_or(code);
        if base.eq_ignore_ascii_case("nb") || base.eq_ignore_ascii_case("nn") {
            return Some(Lang::No);
        }
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(base))
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What the extractor needs to know besides the text.
#[derive(Debug, Clone)]
pub struct DateContext {
    /// The reply's `Date` header: "tomorrow" and missing years are relative to it.
    pub received_at: DateTime<FixedOffset>,
    /// The lead's timezone: the reference day is `received_at` seen in this zone.
    pub tz: Tz,
    /// The language of the rule that fired, when known.
    pub lang: Option<Lang>,
    /// The sender's region as a lowercase country code (from the address's TLD), when known.
    pub region: Option<String>,
    /// Dates further ahead than this many days are not trusted.
    pub max_ahead_days: i64,
    /// The writer's own names, folded (lowercase, no accents): the words of the `From`
    /// display name and address. Auto-replies often speak of their writer in the third person
    /// ("Peter Smith is out of the office until 15 June"); a name of the writer's is not
    /// someone else.
    pub writer_names: Vec<String>,
}

/// The folded words of a sender's display name and address local part, for
/// [`DateContext::writer_names`]: "José Pérez <jose.perez@example.com>" gives "jose",
/// "perez". Words of one letter are left out.
pub fn writer_names(display_name: Option<&str>, address: Option<&str>) -> Vec<String> {
    let local = address.and_then(|a| a.split('@').next());
    let mut names: Vec<String> = Vec::new();
    for part in [display_name, local].into_iter().flatten() {
        for word in part.split(|c: char| !c.is_alphanumeric()) {
            let mut folded = String::new();
            for c in word.chars() {
                lexicon::fold_char(c, &mut folded);
            }
            if folded.len() >= 2
                && folded.bytes().all(|b| b.is_ascii_alphabetic())
                && !names.contains(&folded)
            {
                names.push(folded);
            }
        }
    }
    names
}

/// The names of a mailbox's owner that the text itself gives ("an automated response from
/// the mailbox of Richard Amis", "Postfach von Anna Weber", "la boîte mail de Claire
/// Martin"), folded as [`writer_names`] folds the sender's: a notice that then says
/// "Richard is on annual leave" speaks of the owner, not of a colleague.
pub fn mailbox_owner_names(text: &str) -> Vec<String> {
    // A notice says whose mailbox answers in its opening lines: only they are searched, so
    // that a long reply costs no more than a short one.
    let end = (0..=text.len().min(MAILBOX_OPENING))
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0);
    let text = &text[..end];
    // Most replies name no mailbox: a look for its words first spares them the search for
    // a capitalised name after them.
    if !MAILBOX_WORD_RE.as_ref().is_some_and(|re| re.is_match(text)) {
        return Vec::new();
    }
    let Some(re) = MAILBOX_OF_RE.as_ref() else {
        return Vec::new();
    };
    let Some(caps) = re.captures(text) else {
        return Vec::new();
    };
    let name = (1..=3).find_map(|i| caps.get(i)).map_or("", |m| m.as_str());
    writer_names(Some(name), None)
}

/// How many bytes of a reply's opening [`mailbox_owner_names`] reads.
const MAILBOX_OPENING: usize = 400;

/// The words of [`MAILBOX_OF_RE`] that open it, as ASCII literals ("te mail" of "boîte mail",
/// "buz" of "buzón"): a search for literals alone, which the regex crate runs as a fast
/// multi-literal scan (a Unicode case-insensitive one is no such scan, and cost more than
/// the search it spared).
static MAILBOX_WORD_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i-u)mailbox|inbox|account|postfach|te mail|te aux lettres|te e-mail|messagerie|buz|casella|postvak|caixa",
    )
    .ok()
});

/// "(the) mailbox of Richard Amis", "inbox of", "Postfach von", "boîte mail de", "buzón de",
/// "casella di posta di", "mailbox van", "caixa de correio de": the owner's name (one or two
/// capitalised words) after it; also "Jenna Ortiz's mailbox" and "this mailbox is not
/// monitored while Jessica is on leave".
static MAILBOX_OF_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i:mailbox|inbox|e-?mail account|postfach|e-?mail-?postfach|bo[iî]te (?:mail|aux lettres|e-?mail)|messagerie|buz[oó]n(?: de correo)?|casella(?: di posta| e-?mail)?|postvak|caixa(?: de correio| de e-?mail)?) (?i:of|von|de|di|van|do|da) ((?-i:\p{Lu}\p{Ll}+)(?: (?-i:\p{Lu}\p{Ll}+))?)|((?-i:\p{Lu}\p{Ll}+)(?: (?-i:\p{Lu}\p{Ll}+))?)['’]s (?i:mailbox|inbox|e-?mail account)|(?i:mailbox|inbox) [^.]{0,40}?(?i:while|whilst) ((?-i:\p{Lu}\p{Ll}+)(?: (?-i:\p{Lu}\p{Ll}+))?) (?i:is|remains)",
    )
    .ok()
});

/// A return date found in a reply, with the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDate {
    /// The first day the person is certainly back.
    pub date: NaiveDate,
    /// Byte range of the evidence in the text given to the extractor.
    pub span: Range<usize>,
    /// The evidence itself, as it stands in the text.
    pub evidence: String,
    /// What tied the date to the writer: the kind of cue nearest to it.
    pub basis: Basis,
    /// The clause of that cue is the writer's own present or coming absence (first person
    /// or a notice without subject; not past, negated or conditional): see
    /// [`writer_away`]. False when no cue tied the date.
    pub writer: bool,
    /// The first day away, when the text names it (a period or a range: "on holiday in
    /// July", "off 21-31 December"); `None` when the absence runs from now ("until X").
    pub away_from: Option<NaiveDate>,
    /// The date names one day ("Thursday", "June 15"), not a period ("next week", "in
    /// January", "in two weeks"): asked for a call, an appointment rather than a deferral.
    pub one_day: bool,
    /// The date is a weekly day off ("I don't work on Fridays"), not an absence.
    pub weekly: bool,
    /// The text says the writer is away somewhere (an absence cue that is nobody else's):
    /// without one, "I'm available on June 15" is an offer of a day, not a return.
    pub absence_said: bool,
    /// The cue that tied the date is a verb of coming back ("back", "zurück", "rientro",
    /// "reabrimos") or a farewell until then ("see you in September"), which says there is
    /// an absence until then; "available", "erreichbar" or "disponible" alone does not.
    pub returning: bool,
    /// The day comes from a time of day asked for a call ("call me at 4 pm"): it may be
    /// today, which is still ahead.
    pub at_time: bool,
    /// The return is put on a part of the calendar with no day ("back in early December",
    /// "until mid-March", "after the summer"): the writer's absence holds, the day does not
    /// (see [`Val::vague`](grammar::Val::vague)). [`extract_return_date`] drops such a reading;
    /// [`read_return`] keeps it for the decision that the writer is away.
    pub vague: bool,
    /// The day is counted from the reply's own ("within 7 days", "for two weeks"), not
    /// named: a receipt's time limit reads so too ("reply within 7 days to reopen the
    /// ticket"), so only a named day makes a receipt's closure (see
    /// [`crate::rules::reconsider_absence`]).
    pub counted: bool,
}

/// What ties a return date to the writer: the family of the cue nearest to the date. A reply
/// that no rule recognised but that says the writer is away or back on a day is an absence
/// (`Return`, `Absence`) or asks to be contacted then (`Callback`); a date with only an
/// operator ("until June 5") is `Unmarked` and says nothing by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// "back on", "wieder", "de retour".
    Return,
    /// "out of office", "Urlaub", "congés", "closed".
    Absence,
    /// "call me", "melden Sie sich".
    Callback,
    /// No cue near the date, only its operator.
    Unmarked,
}

/// Guesses the language of `text` from its common words; `None` when it cannot tell.
pub fn detect_lang(text: &str) -> Option<Lang> {
    let text = tokens::cap(text);
    detect_in(text, &tokens::fold(text))
}

/// A hiragana or katakana letter: only Japanese writes them.
pub(crate) fn is_kana(c: char) -> bool {
    ('\u{3040}'..='\u{30FF}').contains(&c)
}

/// Japanese by its kana (folding turns them into words or `^`), else by common words.
pub(crate) fn detect_in(text: &str, folded: &tokens::Folded) -> Option<Lang> {
    let kana = text.chars().filter(|&c| is_kana(c)).take(2).count();
    if kana >= 2 {
        return Some(Lang::Ja);
    }
    cues::detect(folded)
}

/// Finds the first day the writer is certainly back, following the conventions in the
/// module documentation; `None` when the text gives no trustworthy return date.
pub fn extract_return_date(text: &str, ctx: &DateContext) -> Option<ReturnDate> {
    read_return(text, ctx).filter(|found| !found.vague)
}

/// [`extract_return_date`] with a vague return kept (`vague` set): "I'm on leave, back in
/// early December" says the writer is away though it names no day to resume on.
pub fn read_return(text: &str, ctx: &DateContext) -> Option<ReturnDate> {
    let text = tokens::cap(text);
    let folded = tokens::fold(text);
    let exprs = grammar::parse(&folded);
    let schedule = schedule::working_days(&folded);
    if exprs.is_empty() && schedule.is_none() {
        return None;
    }
    let sentences = cues::sentences(&folded);
    let lang = ctx.lang.or_else(|| detect_in(text, &folded));
    // "Maria works Monday to Wednesday" is Maria's week; "Orari dell'ufficio: lun-gio
    // 9:00-13:00" is a business's opening hours.
    let schedule = schedule.filter(|week| {
        !subject::someone_else(&folded, text, week.at, &sentences, lang, &ctx.writer_names)
            && !grammar::labelled_hours(&folded, week.span.start, week.span.end)
            && !grammar::hours_labelled_before(&folded, week.span.start, week.span.end)
    });
    let mut cues = cues::find(&folded);
    // "Maria is on holiday until August": someone else's absence says nothing of the writer;
    // nor does the reader's ("I know you leave late this week").
    // An absence asked about ("Are you back on Monday?") is nobody's announcement either.
    let mut others: Vec<Cue> = Vec::new();
    // "Sono la moglie dell'ing. Ferraris. Mio marito è ricoverato e rientrerà lunedì 9": the
    // text speaks for the mailbox owner, whose absence it tells.
    let behalf = subject::on_behalf(&folded);
    // "Frau Schneider ist derzeit erkrankt. Ab dem 30.03. ist sie wieder im Dienst": the
    // mailbox owner's absence said of a titled person, then a pronoun for them.
    let owner_at = cues
        .iter()
        .find(|cue| {
            cue.kind == CueKind::Absence
                && subject::titled_owner(&folded, cue.start, &sentences, lang, &ctx.writer_names)
        })
        .map(|cue| cue.start)
        // ... or one whose sentence says only where they are ("Maître Delacroix plaide à Lyon
        // toute la semaine. Elle sera de retour le 12").
        .or_else(|| subject::titled_subject(&folded, &sentences, lang, &ctx.writer_names))
        // ... or the writer named ("This mailbox is not monitored while Jessica is on leave.
        // She returns on 3 September", from Jessica's mailbox).
        .or_else(|| {
            cues.iter()
                .find(|cue| {
                    cue.kind == CueKind::Absence
                        && subject::named_writer(&folded, cue.start, &sentences, &ctx.writer_names)
                })
                .map(|cue| cue.start)
        });
    cues.retain(|cue| {
        if cue.kind == CueKind::Callback {
            return true;
        }
        if subject::someone_else(&folded, text, cue.start, &sentences, lang, &ctx.writer_names)
            && !owner_at.is_some_and(|at| subject::owner_pronoun(&folded, at, cue.start, &sentences))
            && !behalf
        {
            others.push(*cue);
            return false;
        }
        !subject::question(&folded, cue.start, &sentences)
    });
    // "Out of the office Monday to Wednesday", "absent du bureau du lundi au mercredi",
    // "fuori ufficio da lunedì a mercoledì": days away, not a week at work.
    let schedule = schedule.filter(|week| {
        !cues
            .iter()
            .any(|cue| cue.kind == CueKind::Absence && (cue.start..cue.end + 3).contains(&week.at))
    });
    if cues.is_empty() && schedule.is_none() {
        return None;
    }
    // "Closed until further notice", "bis auf Weiteres", "当面の間": no day to return on,
    // whatever days were said before it ("until the 6th, now extended until further notice");
    // a day written after it still counts ("当面の間、5月12日まで", "we hope to reopen on the
    // 10th") when it stands in the marker's sentence or beside a return ("Closed until
    // further notice. We hope to reopen on the 10th"). "Bis auf Weiteres nicht erreichbar.
    // Fragen zur Rechnung vom 29.01. ..." and "hasta nuevo aviso. Para la feria del 20 de
    // mayo ..." name other business.
    let endless = cues::open_ended(&folded).into_iter().any(|at| {
        let marker = sentences.get(at);
        !exprs.iter().any(|expr| {
            let sentence = sentences.get(expr.start);
            expr.start > at
                && (sentence == marker
                    || cues.iter().any(|cue| {
                        cue.start > at && cue.kind == CueKind::Return && sentences.get(cue.start) == sentence
                    }))
        })
    });
    if endless {
        return None;
    }
    let reference = ctx.received_at.with_timezone(&ctx.tz).date_naive();
    let day_first = day_first(&folded, &exprs, lang, ctx.region.as_deref(), reference);
    let limit = reference.checked_add_days(Days::new(u64::try_from(ctx.max_ahead_days).unwrap_or(0)))?;

    // "from June 7 for two weeks": the length of an absence counts from its written start;
    // so it does from a day or a period written right before it ("on leave next week for a
    // month", "off on Monday for two weeks").
    // Not a day gone by ("off sick since the 2nd, back on the 15th").
    let starts: Vec<(u32, NaiveDate)> = exprs
        .iter()
        .enumerate()
        .filter(|&(_, expr)| !after_since(&folded, expr))
        .filter(|&(k, expr)| {
            matches!(operator(&folded, expr), Some((Op::From, _, _)))
                || exprs.get(k + 1).is_some_and(|next| {
                    matches!(next.val, Val::For(..))
                        && !matches!(
                            expr.val,
                            Val::For(..) | Val::Within(..) | Val::TimeOfDay(_) | Val::Range(..)
                        )
                        && next.start <= expr.end + 1
                })
        })
        .map(|(_, expr)| expr)
        .filter_map(|expr| {
            let sentence = sentences.get(expr.start).copied()?;
            Some((sentence, resolve(&expr.val, reference, day_first)?.first))
        })
        .collect();

    // "Around until Friday, then off for two weeks", "bis Freitag noch da, dann zwei Wochen im
    // Urlaub": a length after "then" counts from the next business day after the stretch
    // before it, and is the absence (the stretch before it is the writer still there). The
    // length's first token, and that day.
    let then_starts: Vec<(usize, NaiveDate)> = exprs
        .windows(2)
        .filter_map(|pair| {
            let (until, length) = (&pair[0], &pair[1]);
            // Cheapest first: most pairs hold no length.
            if !matches!(length.val, Val::For(..))
                || sentences.get(until.start) != sentences.get(length.start)
                || !(length.start.saturating_sub(THEN_REACH)..length.start).any(|k| folded.is_any(k, THEN))
                || !matches!(operator(&folded, until), Some((Op::Until, _, _)))
            {
                return None;
            }
            let last = resolve(&until.val, reference, day_first)?.last;
            Some((length.start, next_business_day_after(last)?))
        })
        .collect();

    let mut best: Option<Candidate> = None;
    // A return in stages ("mornings only from the 12th, full hours from the 26th"): no "from"
    // day is a reopening, and no stage beats the end of the absence.
    let staged = staged_return(&folded);
    // A time of day asked for a call ("call me at 4 pm"), kept apart: any day beats it.
    let mut at_time: Option<Candidate> = None;
    // Days something starts again ("1月6日から営業", "from January 6"), with their
    // expression's index and tokens: see `reopening` below.
    let mut openings: Vec<(NaiveDate, usize, usize, usize)> = Vec::new();
    // Weekdays named as the return ("back on Monday"), with their tokens.
    // Days named as the return, their span, and whether the day is written as a date.
    let mut weekday_returns: Vec<(NaiveDate, usize, usize, bool)> = Vec::new();
    // Return days worked out from the end of an absence, with their strength and evidence.
    let mut ends: Vec<(NaiveDate, u8, usize, usize, Option<NaiveDate>)> = Vec::new();
    // Days or periods the writer says they are away ("away next week"), first and last day.
    let mut away_spans: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (idx, expr) in exprs.iter().enumerate() {
        // "Meine Stellvertretung, Frau Gerber, ist vom 5. bis 9. Oktober abwesend": days in a
        // clause that only someone else's absence speaks of are theirs, even a range (which
        // needs no cue of its own).
        let theirs = |cue: &Cue| {
            sentences.get(cue.start) == sentences.get(expr.start) && same_clause(&folded, cue, expr)
        };
        if others.iter().any(theirs) && !cues.iter().any(theirs) {
            continue;
        }
        // The days of a part-timer's week are no days away.
        if schedule
            .as_ref()
            .is_some_and(|week| week.span.contains(&expr.start))
        {
            continue;
        }
        // "out the week of Oct 12 (Thanksgiving + a few days at the lake)": a feast named in
        // brackets right after a day says what that day is; it names no day of its own.
        let bracketed_feast = matches!(expr.val, Val::Holiday { .. })
            && idx > 0
            && folded.is_punct(expr.start.wrapping_sub(1), b'(')
            && exprs.get(idx - 1).is_some_and(|prev| prev.end + 1 == expr.start);
        if bracketed_feast {
            continue;
        }
        // "Ich bin seit Montag wieder zurück", "back since Monday", "ben sinds vrijdag weer
        // aan het werk", "malade depuis lundi": a day after "since" is gone by; the return or
        // the absence began then, and says nothing of a day ahead.
        // Not a range: "on holidays since 29/07 until 16/08" still ends ahead.
        if after_since(&folded, expr) {
            continue;
        }
        let from_at = word_before(&folded, expr);
        // "Sono rientrato da lunedì", "ya estoy de vuelta desde el lunes", "wróciłem od
        // poniedziałku": "from" after a return already made is "since".
        if from_at > 0
            && folded.is_any(from_at, FROM_SINCE)
            && (from_at.saturating_sub(5)..from_at)
                .any(|k| RETURNED.iter().any(|stem| folded.word(k).starts_with(stem)))
        {
            continue;
        }
        let Some(mut judged) = judge(&folded, expr, &cues, &sentences) else {
            continue;
        };
        let then_start = then_starts
            .iter()
            .find(|(at, _)| *at == expr.start)
            .map(|&(_, day)| day);
        // Only a length away: "then back for two weeks" is the writer there.
        let then_start = then_start.filter(|_| judged.basis == Basis::Absence);
        if then_start.is_some() {
            judged.strength = judged.strength.max(3);
        }
        let op = judged.op;
        let anchor = match (&expr.val, then_start) {
            (Val::For(..), Some(day)) => day,
            (Val::For(..), None) => sentences
                .get(expr.start)
                .and_then(|s| starts.iter().find(|(sentence, _)| sentence == s))
                .map_or(reference, |&(_, start)| start),
            // "I don't work on Mondays" written on a Monday: the day off is today.
            (Val::Weekday(_), _) if judged.recurring => reference.pred_opt().unwrap_or(reference),
            _ => reference,
        };
        let res = match expr.val {
            // Only a call asked for at a time says something of a day.
            // "Call me at 4 pm", "rappelez-moi après 15h": the next time the clock shows it.
            // "In meetings until 3 pm, then call me": the hour the writer is free again.
            Val::TimeOfDay(minutes)
                if judged.basis == Basis::Callback
                    && matches!(judged.role, Role::Start | Role::After | Role::End)
                    && !grammar::opening_hours_time(&folded, expr.start) =>
            {
                point(time_day(minutes, ctx))
            }
            Val::TimeOfDay(_) => continue,
            // "heading back home over the weekend" is a trip, not a return; the weekend counts
            // asked for a call, as time away, or after "after".
            Val::Weekend if judged.basis == Basis::Return && judged.role == Role::Start => continue,
            // A call asked for within a stretch of days: its first day.
            Val::Range(ref start, _) if judged.role == Role::Start => match resolve(start, anchor, day_first)
            {
                Some(res) => res,
                None => continue,
            },
            _ => match resolve(&expr.val, anchor, day_first) {
                Some(res) => res,
                None => continue,
            },
        };
        // A time is placed on its day already, "after 3 pm" as "at 3 pm".
        let placed = matches!(expr.val, Val::TimeOfDay(_)).then_some(res.first);
        let Some(date) = placed.or_else(|| return_day(judged.role, &res, reference)) else {
            continue;
        };
        // "Back in September", "bis Juni", "the first week of October", "ping me next month",
        // "early next month":
        // a month's first business day (1 September 2013 was a Sunday; nobody is back at work
        // then). A quarter or a year keeps its first day.
        let date = match expr.val {
            Val::Month {
                part: Part::None | Part::Early,
                ..
            }
            | Val::WeekFrom(_)
            | Val::Next(NextUnit::Month)
            // "give me a shout early next month"
            | Val::PartOf {
                part: Part::Early,
                unit: NextUnit::Month,
                ..
            }
                if date == res.first && !business::is_business_day(date) =>
            {
                business::add_business_days(date, 1)
            }
            _ => date,
        };
        if date < reference || date > limit {
            continue;
        }
        // "En cas d'urgence, contactez le 15": a day of today asked for a contact says nothing
        // of a pause (a call asked at a time today does), and must not outrank the absence
        // written before it.
        if judged.basis == Basis::Callback && date == reference && !matches!(expr.val, Val::TimeOfDay(_)) {
            continue;
        }
        // "入院のため、本日より二週間お休み", "from today, off for two weeks": today with its
        // "from" starts what is said next; it names no return.
        if op == Some(Op::From) && matches!(expr.val, Val::Days(0)) {
            continue;
        }
        // (Not in a return in stages: the writer was back before full hours again.)
        if op == Some(Op::From) && judged.role == Role::Start && !staged {
            openings.push((date, idx, expr.start, expr.end));
        }
        if matches!(judged.role, Role::End | Role::After | Role::RangeEnd) {
            let from = match &expr.val {
                Val::Range(start, _) => resolve(start, anchor, day_first).map(|r| r.first),
                _ => None,
            };
            ends.push((date, judged.strength, judged.span_start, judged.span_end, from));
        }
        // Days away, for a return named on one of them (see `after_away`); "until Monday"
        // is none: it is often written loosely for the day of return.
        if judged.role == Role::Absent || (judged.role == Role::RangeEnd && res.first < res.last) {
            away_spans.push((res.first, res.last));
        }
        // "back on Thursday", "won't answer until Thursday" (not ... until: the day itself).
        let named_return = judged.basis == Basis::Return || op == Some(Op::Until);
        // "closed Aug 13-16, we reopen on Sunday the 17th", "17日(日)から通常営業": a return
        // on a weekend day is the day the writer names, before the business day after the end.
        // A return named on a point in time, not a year alone ("see you in 2023" names no day).
        let point_return = judged.basis == Basis::Return
            && judged.role == Role::Start
            && res.kind == ResKind::Point
            && !(expr.end == expr.start + 1 && folded.toks.get(expr.start).is_some_and(|t| t.digits == 4));
        let weekend_return = point_return
            && matches!(
                expr.val,
                Val::Date { .. } | Val::Ambig { .. } | Val::DayOnly(_) | Val::WeekdayDay { .. }
            )
            && !business::is_business_day(date);
        // "Fora até quarta-feira; retorno no dia 10": a day of the month named as the return,
        // as a weekday is.
        // Its cue before it, in its clause ("back to hometown" after "to Friday (8/2)" is the
        // range's, no return named).
        let dated_return = point_return
            && judged
                .cue_at
                .is_some_and(|at| at < expr.start && expr.start - at <= 6)
            && matches!(
                expr.val,
                Val::Date { .. } | Val::DayOnly(_) | Val::WeekdayDay { .. }
            );
        if (matches!(
            expr.val,
            Val::Weekday(_) | Val::WeekdayNextWeek(_) | Val::WeekdayThisWeek(_)
        ) && judged.role == Role::Start
            && named_return)
            || weekend_return
            || dated_return
        {
            weekday_returns.push((date, expr.start, expr.end, dated_return));
        }
        let timed = matches!(expr.val, Val::TimeOfDay(_));
        let slot = if timed { &mut at_time } else { &mut best };
        // A weekly day off is a habit, not a date: any day the writer names beats it ("los
        // viernes no trabajo, te respondo el lunes").
        let weekly = judged.recurring && matches!(expr.val, Val::Weekday(_));
        // The end of the absence itself, written as such (not a length, not a weekly day off).
        let absence_end = judged.basis == Basis::Absence
            && matches!(judged.role, Role::End | Role::After | Role::RangeEnd)
            && !matches!(expr.val, Val::For(..) | Val::Within(..))
            && !weekly;
        let candidate = Candidate {
            idx,
            strength: judged.strength,
            date,
            res,
            span_start: judged.span_start,
            span_end: judged.span_end,
            basis: judged.basis,
            cue_at: judged.cue_at,
            // "Today is my day off", "ich habe heute einen Brückentag": a day off named
            // by its day is an absence now; only a weekday names the weekly one.
            weekly,
            vague: expr.val.vague(),
            feast: matches!(expr.val, Val::Holiday { .. }),
            // every date of a return in stages but the end of the absence itself
            staged: staged && !absence_end,
            length: matches!(expr.val, Val::For(..) | Val::Within(..)),
            offered: {
                let first =
                    folded.is_any(expr.end, grammar::OR) && exprs.iter().any(|e| e.start == expr.end + 1);
                let second = folded.is_any(expr.start.wrapping_sub(1), grammar::OR)
                    && exprs.iter().any(|e| e.end + 1 == expr.start);
                (first != second).then_some(first)
            },
            until: matches!(op, Some(Op::Until | Op::Through))
                && matches!(judged.role, Role::End | Role::After),
            ends_absence: matches!(judged.role, Role::End | Role::After | Role::RangeEnd),
            by_phone: judged.basis == Basis::Callback
                && (expr.start.saturating_sub(PHONE_REACH)..expr.end + PHONE_REACH)
                    .any(|k| sentences.get(k) == sentences.get(expr.start) && folded.is_any(k, PHONE_WORDS)),
            away_from: match (&expr.val, judged.role) {
                // "12/20〜1/9" written in January: a start later than the end is last year's.
                (Val::Range(start, _), _) => resolve(start, anchor, day_first).map(|r| {
                    if r.first > res.last {
                        r.first.checked_sub_months(Months::new(12)).unwrap_or(r.first)
                    } else {
                        r.first
                    }
                }),
                // "from August 16 for three weeks": away from the written start; "for three
                // weeks" alone runs from now.
                (Val::For(..), _) => (anchor != reference).then_some(anchor),
                (_, Role::Absent) => Some(res.first),
                _ => None,
            },
        };
        if slot.as_ref().is_none_or(|b| beats(&candidate, b, reference)) {
            *slot = Some(candidate);
        }
    }
    // "I work Monday to Wednesday and will reply on my next working day": the next of those
    // days, unless the writer names a day of their own ("... I'll reply on Tuesday").
    if let Some(week) = schedule.filter(|_| best.as_ref().is_none_or(|b| b.weekly)) {
        return next_working_day(week.mask, reference).and_then(|date| {
            let start = folded.toks.get(week.span.start)?.o_start;
            let end = folded.toks.get(week.span.end.checked_sub(1)?)?.o_end;
            Some(ReturnDate {
                one_day: true,
                date,
                span: start..end,
                evidence: text.get(start..end)?.to_string(),
                basis: Basis::Return,
                writer: true,
                away_from: None,
                weekly: false,
                absence_said: cues.iter().any(|cue| cue.kind == CueKind::Absence),
                // The days the writer is back at work, a return when the text reads as a
                // notice: an answer promised or asked for, "next working day", "part-time".
                // Office hours in a person's reply are not one.
                returning: schedule::notice(&folded)
                    || cues::answer_promised(&folded)
                    || cues.iter().any(|cue| cue.kind == CueKind::Callback),
                at_time: false,
                vague: false,
                counted: false,
            })
        });
    }
    let timed = best.is_none() && at_time.is_some();
    let best = best.or(at_time)?;
    let refined = refinement(&folded, &exprs, &cues, &sentences, &best, reference, day_first);
    // "Back in early December", "until mid-March", "after the summer": the writer's return
    // put on a part of the calendar no one can name a day in is no day they are certainly
    // back on, so the absence takes the default pause. A call-back keeps it: pausing until
    // about then beats holding the lead for a person.
    let giver = refined.map_or_else(|| exprs.get(best.idx), |(_, expr)| Some(expr));
    let vague = best.basis != Basis::Callback && giver.is_some_and(|expr| expr.val.vague());
    let (date, first, last) = match refined {
        Some((date, expr)) => (date, best.span_start.min(expr.start), best.span_end.max(expr.end)),
        None => (best.date, best.span_start, best.span_end),
    };
    // "12月28日まで営業、1月6日から営業", "open until December 22, and from January 5":
    // an end, then a day things start again written after it and soon after it, with no
    // absence of its own: the second is the return (a holiday closure between the two).
    let reopening = best.until.then(|| {
        openings
            .iter()
            .filter(|(day, idx, _, _)| {
                *idx > best.idx && *day > date && (*day - date).num_days() <= REOPENING_DAYS
            })
            .min_by_key(|(day, ..)| *day)
    });
    let (date, first, last) = match reopening.flatten() {
        Some(&(day, _, start, end)) => (day, first.min(start), last.max(end)),
        None => (date, first, last),
    };
    // "Questions wait until Monday the 7th ... back on Monday": the day worked out
    // from the end of an absence is the next business day after it; a weekday the writer
    // names as their return the day before that is the end's own day, which they say they are
    // back on (one further before is next week's, or a slip, and does not shorten the absence).
    let named = best.ends_absence.then(|| {
        weekday_returns
            .iter()
            .filter(|(day, _, _, dated)| {
                *day < date
                    && ((date - *day).num_days() <= 1
                        || (!business::is_business_day(*day) && (date - *day).num_days() <= 2)
                        // "until Friday ... back on Friday the 4th": a date, only a weekend
                        // between
                        || (*dated
                            && (date - *day).num_days() <= 3
                            && (1..(date - *day).num_days()).all(|n| {
                                day.checked_add_days(Days::new(n.unsigned_abs()))
                                    .is_none_or(|between| !business::is_business_day(between))
                            })))
            })
            .min_by_key(|(day, ..)| *day)
    });
    let (date, first, last) = match named.flatten() {
        Some(&(day, start, end, _)) => (day, first.min(start), last.max(end)),
        None => (date, first, last),
    };
    // "Off June 7-9 ... away until the 8th", "closed until January 4 ... closed from
    // December 20 to January 3": two ends a day apart. "Until" is often written
    // loosely for the day of return, so the earlier day is the one both statements allow.
    // Days away that begin after the writer's absence began are a stretch inside it ("out
    // from December 21 through January 4; our offices are closed 12/31-1/1"), not its end.
    let loose = best.ends_absence.then(|| {
        ends.iter()
            .filter(|(day, strength, _, _, from)| {
                *strength >= best.strength
                    && *day < date
                    && (date - *day).num_days() == 1
                    && !from.is_some_and(|from| best.away_from.is_some_and(|begun| from > begun))
            })
            .min_by_key(|(day, ..)| *day)
    });
    let (date, first, last) = match loose.flatten() {
        Some(&(day, _, start, end, _)) => (day, start, end),
        None => (date, first, last),
    };
    // "I'm away next week, back Monday": a weekday named as the return that falls on a day
    // the writer says they are away is the one after those days.
    let named_weekday = matches!(
        exprs.get(best.idx).map(|expr| &expr.val),
        Some(Val::Weekday(_) | Val::WeekdayNextWeek(_))
    );
    // "Away over Christmas, back on the 4th": a day of the month named as the return that
    // comes before the days away is that day of a month after them.
    let named_day = matches!(exprs.get(best.idx).map(|expr| &expr.val), Some(Val::DayOnly(_)));
    let date = if named_weekday && !best.ends_absence && date == best.date {
        after_away(date, &away_spans, best.basis == Basis::Return)
    } else if named_day && !best.ends_absence && date == best.date {
        // An absence that starts on a day ("on leave from December 21") is days away too.
        let started: Vec<(NaiveDate, NaiveDate)> = starts.iter().map(|&(_, day)| (day, day)).collect();
        day_after_away(date, &[away_spans.as_slice(), started.as_slice()].concat())
    } else {
        date
    };
    let start = folded.toks.get(first)?.o_start;
    let end = folded.toks.get(last.checked_sub(1)?)?.o_end;
    let evidence = text.get(start..end)?.to_string();
    Some(ReturnDate {
        one_day: best.res.kind == ResKind::Point,
        date,
        span: start..end,
        evidence,
        basis: best.basis,
        // "when I'm back on Monday" is a time clause, which `writers_clause` refuses as a
        // condition; its return is the writer's all the same.
        writer: best.cue_at.is_some_and(|at| {
            away::writers_clause(&folded, at, &sentences, away::Notice::Any)
                // "Il dott. Ferraris è in sala operatoria. Sarà nuovamente disponibile da
                // venerdì": the mailbox owner, named with a title, then spoken of.
                || owner_at.is_some_and(|owner| subject::owner_pronoun(&folded, owner, at, &sentences))
                || behalf
                // "This mailbox is not monitored during the holiday shutdown, 22 December to
                // 2 January": the writer's mailbox, unread, in the day's sentence.
                // (Only the mailbox words of that sentence are looked for.)
                || {
                    let sentence = sentences.get(at);
                    let mail: Vec<usize> = (0..folded.toks.len())
                        .filter(|&k| sentences.get(k) == sentence && cues::mailbox(&folded, k))
                        .collect();
                    !mail.is_empty() && !cues::mailbox_not_read(&folded, &mail).is_empty()
                }
                // "I'm not working Monday to Wednesday": the negation is the cue itself (a
                // day off), not a denial of it, when the writer's "I" says it.
                || cues.iter().any(|cue| {
                    cue.start == at
                        && cue.recurring
                        && (at.saturating_sub(4)..at).any(|k| subject::first_person(&folded, k))
                })
                || cues.iter().any(|cue| {
                    (cue.start..cue.end).contains(&at) && cues::writers_return_opener(&folded, cue).is_some()
                })
        }),
        away_from: best.away_from,
        weekly: best.weekly,
        absence_said: cues
            .iter()
            .any(|cue| cue.kind == CueKind::Absence || cues::writers_return_opener(&folded, cue).is_some()),
        // "je reviendrai au bureau le 27": the verb may stand just before the place cue (a
        // farewell's words may not: "ci vediamo in ufficio lunedì" is a meeting).
        // "ich bin nicht vor dem 14. im Büro": a place denied until a day is a return.
        // "Olen toimistolla vasta 14.12.", "ich bin erst am 14. im Büro": a place reached only
        // on a day is a return put off until then.
        returning: best.cue_at.is_some_and(|at| {
            away::negated_return(&folded, at)
                || exprs
                    .get(best.idx)
                    .and_then(|expr| operator(&folded, expr))
                    .is_some_and(|(op, k, _)| op == Op::Before && folded.is_any(k, cues::ONLY_THEN))
                // "available again from June 11", "free again on the 3rd": a state regained.
                // ("I'll be in the office again from Monday": over the apostrophe.)
                || (at..at + 9)
                    .take_while(|&k| folded.is_a_word(k) || folded.is_punct(k, b'\''))
                    .any(|k| folded.is_any(k, AGAIN))
                // "À partir du 25, je replonge dans ma boîte mail ; d'ici là, je suis
                // injoignable": a day counted from, beside "until then".
                || cues::from_a_day_until_then(&folded).iter().any(|&(from, _)| from == at)
                // "je replonge dans ma boîte mail à partir du 19": back at their own mail.
                || cues::own_mail_from_a_day(&folded, &cues::mail_tokens(&folded))
                    .iter()
                    .any(|&(from, _)| from == at)
                // "je les lirai à partir du 19", "Ihre Nachricht lese ich am Montag": mail
                // read or answered again from the day, its verb after its object.
                // Not with something done for the reader in the same sentence ("I'll read the
                // messages tomorrow and send you the contract"): a person's answer.
                // The day follows, or stands right before ("Donderdag lees ik je mail"); not
                // "..., 10.02., nicht im Dienst und bearbeite Ihre Anfrage danach".
                || (at..at + 4)
                    .take_while(|&k| folded.is_a_word(k) || folded.is_punct(k, b'-'))
                    .any(|k| {
                        folded.is_any(k, MAIL_VERBS)
                            || folded.is_word(k, "le")
                                && folded.is_punct(k + 1, b'-')
                                && folded.is_any(k + 2, &["las", "los", "la", "lo"])
                    })
                    && exprs.get(best.idx).is_some_and(|expr| expr.start > at || expr.end + 1 >= at)
                    && !(at..at + 16)
                        .take_while(|&k| {
                            !folded.toks.get(k).is_none_or(|t| {
                                matches!(t.kind, tokens::Kind::Punct(b'.' | b'!' | b'?'))
                            })
                        })
                        .any(|k| folded.is_any(k, READER_OBJECTS))
                || (at.saturating_sub(2)..=at).any(|k| {
                    let word = folded.word(k);
                    RETURN_VERBS
                        .iter()
                        .filter(|stem| k == at || !cues::FAREWELLS.contains(stem))
                        .any(|stem| word.starts_with(stem))
                })
        }),
        at_time: timed,
        vague,
        counted: matches!(giver.map(|expr| &expr.val), Some(Val::For(..) | Val::Within(..))),
    })
}

/// `day`, or the same weekday in the first week after the days away in `spans` that hold it;
/// for a return (`returning`), also after days away that begin within two weeks after it.
fn after_away(day: NaiveDate, spans: &[(NaiveDate, NaiveDate)], returning: bool) -> NaiveDate {
    let mut day = day;
    // "Am Rosenmontag (27.02.) bleibt unser Geschäft geschlossen. Ab Dienstag sind wir wieder
    // da": no one comes back before they have left; a weekday named as the return before
    // days away still ahead is the one after them. A call asked for before them ("I'm off
    // next week. Call me Thursday") keeps its day.
    if let Some(last) = spans
        .iter()
        .filter(|&&(first, _)| returning && first > day && (first - day).num_days() <= 14)
        .map(|&(_, last)| last)
        .max()
    {
        while day <= last {
            match day.checked_add_days(Days::new(7)) {
                Some(next) => day = next,
                None => break,
            }
        }
    }
    // Each step leaves one span behind; a span holds at most a few weeks' worth of steps.
    for _ in 0..8 {
        if !spans.iter().any(|&(first, last)| first <= day && day <= last) {
            break;
        }
        match day.checked_add_days(Days::new(7)) {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

/// `day`, or the same day of the month in the first month that puts it after the days away
/// in `spans` that start later than it.
fn day_after_away(day: NaiveDate, spans: &[(NaiveDate, NaiveDate)]) -> NaiveDate {
    let Some(last) = spans
        .iter()
        .filter(|&&(first, _)| first > day)
        .map(|&(_, last)| last)
        .max()
    else {
        return day;
    };
    (1..=12)
        .filter_map(|months| day.checked_add_months(Months::new(months)))
        .find(|later| later.day() == day.day() && *later > last)
        .unwrap_or(day)
}

/// The first day after `reference` that is one of the working days in `mask` (bit 1 Monday
/// ..= bit 7 Sunday): a part-timer is back then.
fn next_working_day(mask: u8, reference: NaiveDate) -> Option<NaiveDate> {
    (1..=7)
        .filter_map(|n| reference.checked_add_days(Days::new(n)))
        .find(|day| {
            let bit = day.weekday().number_from_monday();
            mask & (1 << bit) != 0
        })
}

/// The first `weekday` (1 Monday ..= 7) on or after `from`: the start of a weekday counted
/// within a month, and Midsummer Eve (the Friday from 19 June on).
fn weekday_on_or_after(from: NaiveDate, weekday: u32) -> Option<NaiveDate> {
    let wanted = weekday.checked_sub(1)?;
    let ahead = (7 + wanted - from.weekday().num_days_from_monday()) % 7;
    from.checked_add_days(Days::new(u64::from(ahead)))
}

/// The `nth` `weekday` (1 = Monday) of `month` in `year`; a negative `nth` counts from the
/// month's end (-1 is the last).
fn nth_weekday(year: i32, month: u32, weekday: u32, nth: i8) -> Option<NaiveDate> {
    let wanted = weekday.checked_sub(1)?;
    if nth > 0 {
        let first = weekday_on_or_after(NaiveDate::from_ymd_opt(year, month, 1)?, weekday)?;
        let weeks = u32::try_from(nth - 1).ok()?;
        let day = first.checked_add_days(Days::new(u64::from(7 * weeks)))?;
        (day.month() == month).then_some(day)
    } else {
        let last = last_of_month(year, month)?;
        let back = (7 + last.weekday().num_days_from_monday() - wanted) % 7;
        let weeks = u32::try_from(-i32::from(nth) - 1).ok()?;
        let day = last.checked_sub_days(Days::new(u64::from(back + 7 * weeks)))?;
        (day.month() == month).then_some(day)
    }
}

/// The day a call asked for at a time of day (`minutes` after midnight) happens: today in the
/// reader's zone while that time is still ahead ("call me at 4 pm" written at noon), else the
/// next business day.
fn time_day(minutes: u32, ctx: &DateContext) -> NaiveDate {
    let local = ctx.received_at.with_timezone(&ctx.tz);
    let today = local.date_naive();
    if minutes > local.hour() * 60 + local.minute() {
        today
    } else {
        business::add_business_days(today, 1)
    }
}

/// Whether the reply, after the return statement at `after` (a byte range of `text`), puts a
/// day or a time to the reader as a question ("I'm back next week. Does Nov 20 work?",
/// "could we meet on Tuesday at 10?"): an appointment being made, which is for the rep to
/// answer, not a reason to pause the lead and write again later.
pub fn proposes_a_day(text: &str, after: &Range<usize>) -> bool {
    let text = tokens::cap(text);
    // No question after the return statement, no proposal: skip the second reading.
    if !text
        .get(after.end..)
        .is_some_and(|rest| rest.contains(['?', '？']))
    {
        return false;
    }
    let folded = tokens::fold(text);
    let sentences = cues::sentences(&folded);
    grammar::parse(&folded).iter().any(|expr| {
        let day = matches!(
            expr.val,
            Val::Date { .. }
                | Val::Ambig { .. }
                | Val::Weekday(_)
                | Val::WeekdayThisWeek(_)
                | Val::WeekdayNextWeek(_)
                | Val::WeekdayDay { .. }
                | Val::DayOnly(_)
                | Val::TimeOfDay(_)
        );
        day && folded
            .toks
            .get(expr.start)
            .is_some_and(|t| t.o_start >= after.end)
            && subject::question(&folded, expr.start, &sentences)
    })
}

/// A rule of [`beats`]: whether its first candidate yields to its second.
type Yields<'a> = dyn Fn(&Candidate, &Candidate) -> bool + 'a;

/// Whether `new` leads over `old`: a date that is no weekly habit, then the stronger tie, then
/// the later day ("certainly back" must hold for every statement). But an absence that only
/// begins after the day (after `reference`, the reply's) the writer is back from another,
/// worked out from its end (not a weekday named as the return, which may fall after the days
/// away), is a later trip, not this absence's end: "bis 23. Januar auf einer Messe, ab Montag, 26.
/// Januar wieder im Büro. Vom 2. bis 6. Februar bin ich zudem auf Dienstreise" returns on the
/// 26th. So does a stretch inside the writer's longer absence, and a call on the mobile
/// meanwhile, yield to it.
fn beats(new: &Candidate, old: &Candidate, reference: NaiveDate) -> bool {
    let later_trip = |trip: &Candidate, back: &Candidate| {
        back.ends_absence
            && !back.weekly
            && back.date > reference
            && trip.away_from.is_some_and(|from| from > back.date)
    };
    // "Out from December 21 through January 4. Our offices are closed 12/31-1/1", "de
    // vacaciones hasta el 16 de agosto ... del 9 al 13 de agosto la oficina permanecerá
    // cerrada": days away that lie within a longer absence of the writer's do not end it.
    let inside = |inner: &Candidate, outer: &Candidate| {
        inner.ends_absence
            && outer.ends_absence
            && !inner.weekly
            && !outer.weekly
            && inner.date < outer.date
            && inner
                .away_from
                .is_some_and(|from| from >= outer.away_from.unwrap_or(reference))
    };
    // "At a trade fair until Friday; call me on my mobile on Thursday": the mail waits for the
    // return, the call is the rep's.
    let phone_meanwhile = |call: &Candidate, away: &Candidate| {
        call.by_phone
            && match away.basis {
                Basis::Absence => away.ends_absence || away.away_from.is_some(),
                Basis::Return => true,
                Basis::Callback | Basis::Unmarked => false,
            }
            && call.date < away.date
    };
    // "農曆春節假期1/25～2/2本公司暫停營業": the feast's usual days off (to the 4th) yield to
    // the days the writer names for them, up to a week earlier.
    let named_days = |feast: &Candidate, days: &Candidate| {
        feast.feast
            && !days.feast
            && !days.weekly
            && days.basis == feast.basis
            && days.date < feast.date
            && (feast.date - days.date).num_days() <= 7
    };
    // "On leave through October 31, then back part-time for November, full time from December
    // 1": the stages of a return yield to the end of the absence before them (within a
    // season).
    let stage = |staged: &Candidate, end: &Candidate| {
        staged.staged
            && !end.staged
            && !end.weekly
            && !end.length
            && (end.ends_absence || end.basis == Basis::Return)
            && end.date < staged.date
            && (staged.date - end.date).num_days() <= 92
    };
    // Each of these says which of the two yields, in either order: the later trip, the
    // stretch inside, the call meanwhile, a feast's days against the named ones, a stage of
    // the return against the absence's end, the second day offered for a call.
    // "Call me Monday or Tuesday": the second day offered yields to the first.
    let second_offer = |second: &Candidate, first: &Candidate| {
        second.basis == Basis::Callback
            && second.offered == Some(false)
            && first.offered == Some(true)
            && first.basis != Basis::Absence
            && first.date < second.date
    };
    let yields: [&Yields<'_>; 6] = [
        &later_trip,
        &inside,
        &phone_meanwhile,
        &named_days,
        &stage,
        &second_offer,
    ];
    for rule in yields {
        if rule(new, old) {
            return false;
        }
        if rule(old, new) {
            return true;
        }
    }
    (!new.weekly, new.strength, new.date, !new.vague) > (!old.weekly, old.strength, old.date, !old.vague)
}

/// Words of reduced hours: a writer back for part of the day or week ("part-time", "Teilzeit",
/// "nur vormittags", "les matins seulement", "a media jornada", "solo la mattina", "alleen 's
/// ochtends", "meio período").
const REDUCED_HOURS: &[&str] = &[
    "part",
    "parttime",
    "teilzeit",
    "vormittags",
    "nachmittags",
    "halbtags",
    "partiel",
    "matins",
    "matinees",
    "mi-temps",
    "media",
    "mananas",
    "tardes",
    "parziale",
    "mattina",
    "mattine",
    "pomeriggi",
    "deeltijd",
    "ochtends",
    "middags",
    "halve",
    "meio",
    "meia",
    "manhas",
    "mornings",
    "afternoons",
    "half",
    "reduced",
    "reduzierten",
    "verkurzt",
    "reduit",
    "reducido",
    "ridotto",
    "reduzido",
];

/// The text tells of a return in stages: it names reduced hours ([`REDUCED_HOURS`]).
fn staged_return(f: &tokens::Folded) -> bool {
    (0..f.toks.len()).any(|k| f.is_any(k, REDUCED_HOURS))
}

/// How many days after the end of an "until" a "from" day written after it may lie and still
/// be the day things start again (a year-end closure is the longest common gap).
const REOPENING_DAYS: i64 = 21;

/// The date leading so far among the text's expressions, with what later ones are compared on.
struct Candidate {
    /// Its expression's index in `exprs`, to find others in the same sentence that narrow it.
    idx: usize,
    strength: u8,
    date: NaiveDate,
    res: Resolved,
    span_start: usize,
    span_end: usize,
    basis: Basis,
    cue_at: Option<usize>,
    away_from: Option<NaiveDate>,
    weekly: bool,
    /// The date is the end of an "until" or "through": a later "from" may name the return.
    until: bool,
    /// The date is worked out from the end of an absence (until, through, after, a range's
    /// end): a weekday named as the return may be the day before.
    ends_absence: bool,
    /// A call asked for on the phone ("call me on my mobile on Thursday"): while the writer
    /// is away, the mail waits for the return.
    by_phone: bool,
    /// The date stands for a part of the calendar that names no day ("until mid-August"):
    /// on the same day, one named exactly ("back on Monday 17 August") says it.
    vague: bool,
    /// The date is a feast's, read from its name ("春節假期", "after Easter"): the days a
    /// writer names beside it say exactly what the feast only suggests.
    feast: bool,
    /// The text tells of a return in stages ("on leave until the 9th; mornings only from the
    /// 12th to the 23rd, full hours from the 26th"; see [`staged_return`]) and this date is
    /// not the end of the absence itself: the writer is back when the absence ends.
    staged: bool,
    /// The date is counted from a length ("for two weeks", "~1 day/week").
    length: bool,
    /// A call-back day offered with another after an "or" ("call me Monday or Tuesday"):
    /// `Some(true)` for the first, `Some(false)` for the second. The first day asked is the
    /// one to call on (an absence's "back Monday or Tuesday" keeps the later).
    offered: Option<bool>,
}

/// Words of a mobile phone ("mobile", "cell", "Handy", "portable", "celular", "cellulare",
/// "mobiel", "móvil", "telemóvel", "komórka", "mobil", "kännykkä", "cep").
const PHONE_WORDS: &[&str] = &[
    "mobile",
    "cell",
    "cellphone",
    "handy",
    "mobiltelefon",
    "portable",
    "celular",
    "cellulare",
    "mobiel",
    "movil",
    "telemovel",
    "komorka",
    "komorke",
    "komorkowy",
    "mobil",
    "mobilen",
    "mobilnummer",
    "kannykka",
    "kannykkaan",
    "cep",
    "cepten",
    "cepimden",
];

/// How many tokens around a call's day its phone word is looked for.
const PHONE_REACH: usize = 8;

/// Words that mark the day the writer would like best ("preferably", "gerne", "am besten",
/// "de préférence", "preferiblemente", "preferibilmente", "bij voorkeur", "gjerne", "helst").
const PREFER: &[&str] = &[
    "preferably",
    "ideally",
    "gerne",
    "gern",
    "besten",
    "idealerweise",
    "vorzugsweise",
    "gjerne",
    "helst",
    "mieluiten",
    "preference",
    "idealement",
    "preferiblemente",
    "idealmente",
    "preferibilmente",
    "preferenza",
    "voorkeur",
    "liefst",
    "preferencia",
    "najlepiej",
    "nejlepe",
    "tercihen",
    // "let's say": "en janvier, disons la semaine du 11", "a gennaio, diciamo il 10"
    "disons",
    "diciamo",
    "digamos",
    "say",
];

/// How far past the leading date a preferred day may lie ("after New Year, preferably mid
/// January"): a few weeks, not another season.
const PREFERRED_DAYS: i64 = 45;

/// A later day the writer says they would like best, in the same sentence after the leading
/// one ("etter nyttår, gjerne i midten av januar", "after the holidays, ideally the second
/// week of January"): the day to come back then.
fn preferred<'a>(
    f: &tokens::Folded,
    exprs: &'a [Expr],
    sentences: &[u32],
    best: &Candidate,
    reference: NaiveDate,
    day_first: bool,
) -> Option<(NaiveDate, &'a Expr)> {
    let lead = exprs.get(best.idx)?;
    let sentence = sentences.get(lead.start)?;
    exprs.iter().skip(best.idx + 1).find_map(|expr| {
        // In its sentence, or opening the next ("Kan du ta kontakt igjen over nyttår? Helst
        // etter 10. januar.").
        let here = sentences.get(expr.start) == Some(sentence);
        let next = sentences.get(expr.start) == Some(&(sentence + 1));
        // ("ideally Monday or Tuesday": the second is an alternative, not a later day liked
        // best.)
        let alternative = f.is_any(expr.start.wrapping_sub(1), grammar::OR);
        if !(here || next) || !preference_marked(f, expr) || alternative {
            return None;
        }
        // "helst etter 10. januar": after the day, as anywhere.
        let role = match cues::operator_before(f, expr.start) {
            Some((Op::After, _)) => Role::After,
            _ => Role::Start,
        };
        let date = return_day(role, &resolve(&expr.val, reference, day_first)?, reference)?;
        let ahead = (date - best.date).num_days();
        (ahead > 0 && ahead <= PREFERRED_DAYS).then_some((date, expr))
    })
}

/// The day at `expr` is marked as the one the writer would like best: a word of preference
/// just before it ("preferably", "helst", "disons") or a word of it just after ("Tuesday the
/// 22nd would be ideal", "le 6 serait parfait").
fn preference_marked(f: &tokens::Folded, expr: &Expr) -> bool {
    (expr.start.saturating_sub(3)..expr.start).any(|k| f.is_any(k, PREFER))
        || (expr.end..expr.end + 4).any(|k| f.is_any(k, IDEAL))
}

/// Words after a day that say it suits best ("would be ideal", "wäre ideal", "serait
/// parfait", "sería ideal", "sarebbe perfetto", "zou perfect zijn", "seria ótimo").
const IDEAL: &[&str] = &[
    // "Monday Jan 9 works", "Dienstag passt", "mardi me convient"
    "works",
    "suits",
    "passt",
    "convient",
    "conviene",
    "ideal",
    "ideale",
    "idealny",
    "ideaal",
    "perfect",
    "perfekt",
    "parfait",
    "perfecto",
    "perfetto",
    "perfeito",
    "best",
    "optimal",
    "otimo",
    "optimo",
    "ottimo",
    // "..., en marzo mejor", "im März besser", "plutôt en mars": rather then
    "better",
    "mejor",
    "meglio",
    "melhor",
    "mieux",
    "besser",
    "beter",
    "liever",
    "ideally",
    "preferably",
    "idealmente",
    "preferiblemente",
    "preferibilmente",
    "idealement",
];

/// Words that mark what follows as a correction of what was said before: "actually", "in
/// fact", "correction", "tatsächlich", "eigentlich", "en fait", "en realidad", "in realtà",
/// "eigenlijk", "na verdade".
const CORRECTIONS: &[&str] = &[
    "actually",
    "correction",
    "fact",
    "tatsachlich",
    "eigentlich",
    "fait",
    "realidad",
    "realta",
    "eigenlijk",
    "verdade",
];

/// Words of about-ness before a day added after a comma, beside [`TRAILING_LEADS`] ("around",
/// "rundt", "etwa", "vers", "hacia"): "etter nyttår, rundt 12. januar".
const APPROX_WORDS: &[&str] = &[
    "around",
    "about",
    "approx",
    "like",
    "rundt",
    "kring",
    "ca",
    "circa",
    "etwa",
    "gegen",
    "vers",
    "hacia",
    "sobre",
    "verso",
    "rond",
    "omstreeks",
    "ongeveer",
    "por",
    "volta",
    "de",
    "den",
    // "so ab dem 10. August", "say from the 10th", "disons à partir du 24": where the day
    // starts
    "so",
    "ab",
    "dem",
    "from",
    "vanaf",
    "dal",
    "desde",
    "partir",
    "du",
    "a",
];

/// A more specific date that narrows down a vague winning period in the same sentence
/// ("im neuen Jahr, am besten Mitte Januar", "no ano que vem, lá para fevereiro", "in Q1,
/// not before January 15"): both point to the same return, and the narrower one says more.
/// Only a period whose first day is the return day can be narrowed; the refinement must lie
/// inside it and be narrower. Among several, the one nearest the period wins.
fn refinement<'a>(
    f: &tokens::Folded,
    exprs: &'a [Expr],
    cues: &[Cue],
    sentences: &[u32],
    best: &Candidate,
    reference: NaiveDate,
    day_first: bool,
) -> Option<(NaiveDate, &'a Expr)> {
    if let Some(found) = preferred(f, exprs, sentences, best, reference, day_first) {
        return Some(found);
    }
    // "back mid-April (April 14)", "4月中旬（4月14日）より復帰": a vague day with the exact one
    // in brackets right after it, within three weeks.
    let lead = exprs.get(best.idx)?;
    if lead.val.vague() {
        if let Some(next) = exprs.get(best.idx + 1) {
            let bracketed = next.start == lead.end + 1 && f.is_punct(lead.end, b'(');
            if bracketed {
                let date = return_day(Role::Start, &resolve(&next.val, reference, day_first)?, reference)?;
                if (date - best.date).num_days().abs() <= 21 {
                    return Some((date, next));
                }
            }
        }
    }
    // "etter nyttår, rundt 12. januar", "after Easter, around April 14": a feast, then after
    // a comma (and a hedge) the day meant, within three weeks after it. A season's end is
    // the writer's own ("nach den Sommerferien, so ab dem 10. August", "after the summer
    // break, say from 10 August": school holidays end in August in one land, in September in
    // another): the day named within six weeks of the season's end, before or after it.
    let season = matches!(lead.val, Val::Season { .. });
    if season || matches!(lead.val, Val::Holiday { .. }) {
        if let Some(next) = exprs.get(best.idx + 1) {
            // (a word of the feast's name or the verb's particle may stand before the
            // comma: "after the summer break,", "nach den Sommerferien wieder,")
            let comma = (lead.end..next.start.min(lead.end + 3))
                .take_while(|&k| f.is_punct(k, b',') || f.is_a_word(k))
                .find(|&k| f.is_punct(k, b','));
            let hedged = comma.is_some_and(|comma| {
                (comma + 1..next.start).all(|k| f.is_any(k, APPROX_WORDS) || f.is_any(k, TRAILING_LEADS))
                    && next.start <= comma + 4
            });
            // (a calendar week too: "efter nytår, fx i uge 2")
            if hedged && matches!(next.val, Val::Date { .. } | Val::Ambig { .. } | Val::Week { .. }) {
                let date = return_day(Role::Start, &resolve(&next.val, reference, day_first)?, reference)?;
                let near = if season {
                    date > reference && (date - best.date).num_days().abs() <= 42
                } else {
                    date >= best.date && (date - best.date).num_days() <= 21
                };
                if near {
                    return Some((date, next));
                }
            }
        }
    }
    // "The factory closes from 8 to 23 August ... write to me again after the summer
    // closing": after a season the days away named for it elsewhere in the text, which end
    // within it, say when it is over for the writer.
    if matches!(lead.val, Val::Season { .. }) && best.date > best.res.last {
        let named = exprs
            .iter()
            .enumerate()
            .filter(|&(idx, expr)| idx != best.idx && matches!(expr.val, Val::Range(..)))
            .filter_map(|(_, expr)| {
                let res = resolve(&expr.val, reference, day_first)?;
                if res.last < best.res.first || res.last > best.res.last {
                    return None;
                }
                // (days away: an absence or a closure in the range's sentence, looked for
                // before the range is judged)
                let sentence = *sentences.get(expr.start)?;
                let words = sentences.partition_point(|&s| s < sentence)
                    ..sentences.partition_point(|&s| s <= sentence);
                let away = cues
                    .iter()
                    .any(|cue| cue.kind == CueKind::Absence && words.contains(&cue.start))
                    || words.clone().any(|k| {
                        f.is_a_word(k)
                            && (away::closure_word(f.word(k))
                                || f.is_any(k, &["closes", "close", "closing", "closure", "shut", "shuts"]))
                    });
                if !away {
                    return None;
                }
                let judged = judge(f, expr, cues, sentences)?;
                if !matches!(judged.role, Role::RangeEnd | Role::End | Role::Absent) {
                    return None;
                }
                Some((return_day(Role::End, &res, reference)?, expr))
            })
            .max_by_key(|(date, _)| *date);
        if named.is_some() {
            return named;
        }
    }
    // (its first day, or the first business day after it: "en febrero" is Monday the 2nd)
    let opening = best.date >= best.res.first && (best.date - best.res.first).num_days() <= 3;
    if best.res.kind != ResKind::Period || !opening {
        return None;
    }
    let vague = exprs.get(best.idx)?;
    let sentence = sentences.get(vague.start)?;
    let width = best.res.last - best.res.first;
    let mut found: Option<(usize, NaiveDate, &Expr)> = None;
    for (idx, expr) in exprs.iter().enumerate() {
        if idx == best.idx || sentences.get(expr.start) != Some(sentence) {
            continue;
        }
        let role = match judge(f, expr, cues, sentences) {
            Some(judged) => judged.role,
            // A date with an operator but no reading ("valid until") is no refinement.
            None if cues::operator_before(f, expr.start).is_some() => continue,
            None => Role::Start,
        };
        // "contácteme en enero, después del día 15": a bare day number is that day of the
        // month being narrowed, not of the current one.
        let within = match expr.val {
            Val::DayOnly(day) if best.res.first.month() == best.res.last.month() => {
                best.res.first.with_day(day).map(|date| Resolved {
                    first: date,
                    last: date,
                    kind: ResKind::Point,
                })
            }
            _ => None,
        };
        let Some(res) = within.or_else(|| resolve(&expr.val, reference, day_first)) else {
            continue;
        };
        if res.kind == ResKind::Final || res.first < best.res.first || res.last > best.res.last {
            continue;
        }
        if res.last - res.first >= width {
            continue;
        }
        let Some(date) = return_day(role, &res, reference) else {
            continue;
        };
        if date < best.date || date > best.res.last {
            continue;
        }
        let distance = if expr.start >= vague.end {
            expr.start - vague.end
        } else {
            vague.start.saturating_sub(expr.end)
        };
        if found.is_none_or(|(d, _, _)| distance < d) {
            found = Some((distance, date, expr));
        }
    }
    found.map(|(_, date, expr)| (date, expr))
}

/// How a date relates to the return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The date is the return day.
    Start,
    /// The date is the last day away.
    End,
    /// The date is a day or period away (absence cue only).
    Absent,
    /// The date is B in "A to B": the last day away.
    RangeEnd,
    /// "after X": the day after X, or after the whole period X names.
    After,
}

struct Judged {
    role: Role,
    strength: u8,
    span_start: usize,
    span_end: usize,
    /// The date is a weekly day off ("I don't work on Mondays"): its weekday may be today.
    recurring: bool,
    basis: Basis,
    /// The first token of the cue nearest to the date.
    cue_at: Option<usize>,
    /// The operator before or after the expression ("until", "from", "まで"), as read here.
    op: Option<Op>,
}

/// Words before an "until" that make the day a deadline or a term, not an absence: "valid
/// until", "gültig bis", "spätestens bis zum 20." (at the latest by), "uiterlijk tot".
const VALIDITY: &[&str] = &[
    // the nouns: "a proposta tinha validade até 31/08", "validez hasta", "validity until"
    "validade",
    "validez",
    "validita",
    "validite",
    "validity",
    "spatestens",
    "uiterlijk",
    "valid",
    "expires",
    "ends",
    "gultig",
    "giltig",
    "valable",
    "valido",
    "valida",
    "geldig",
    "vence",
    "scade",
    "deadline",
    "wazny",
    "wazna",
    "wazne",
    "gyldig",
    "voimassa",
    "platny",
    "platna",
    "plati",
    "gecerli",
    "gecerlidir",
];

/// "By" or "before" a day in a call-back's clause: a request's deadline ("send it by Friday",
/// "entro venerdì", "avant vendredi"), for the reader to act before it, no day to be called on.
const DEADLINE_BY: &[&str] = &[
    "by", "entro", "before", "avant", "antes", "prima", "vor", "voor", "innan", "inden", "przed", "pred",
];

/// "At the latest" before a day: a deadline ("senast fredag", "spätestens am 20.",
/// "najpozdniej do piątku", "nejpozději do pátku", "viimeistään perjantaina", "uiterlijk
/// vrijdag").
const DEADLINES: &[&str] = &[
    "senast",
    "senest",
    "spatestens",
    "najpozdniej",
    "nejpozdeji",
    "viimeistaan",
    "uiterlijk",
];

/// "Again" after an availability cue: the writer was not available and will be.
const AGAIN: &[&str] = &[
    "again",
    "nuevamente",
    "novamente",
    "nuovamente",
    "opnieuw",
    "znovu",
    "ponownie",
    "igen",
    "igjen",
    "taas",
    "yeniden",
    "nouveau",
    "nuovo",
    "nuevo",
    "novo",
    "wieder",
    "weer",
];

/// Stems of the return cues that are verbs or nouns of coming back (see
/// [`ReturnDate::returning`]).
/// Verbs of reading or answering mail in the return cues that name the mail ("je les lirai",
/// "le leggerò", "los atenderé", "lese ich", "lees ik", "catch up on my inbox"; Portuguese
/// "lê-las" is looked for beside): the writer reads mail again from the day, a return.
const MAIL_VERBS: &[&str] = &[
    "bekijk",
    "behandel",
    "traiterons",
    "repondrons",
    "repondons",
    "rispondiamo",
    "risponderemo",
    "respondemos",
    "responderemos",
    "lirai",
    "traiterai",
    "consulterai",
    "repondrai",
    "leggero",
    "evadero",
    "controllero",
    "rispondero",
    "atendere",
    "leere",
    "contestare",
    "respondere",
    "revisare",
    "lerei",
    "responderei",
    "ler",
    "lese",
    "beantworte",
    "bearbeite",
    "lees",
    "beantwoord",
    "beantwoorden",
    "read",
    "reading",
    "answer",
    "answering",
    "catch",
    "check",
    "checking",
];

/// The reader as the object of something the writer does ("send you", "vous envoie",
/// "schicke Ihnen", "te mando", "ti mando", "lhe envio").
const READER_OBJECTS: &[&str] = &["you", "vous", "ihnen", "dir", "euch", "te", "ti", "lhe", "voce"];

const RETURN_VERBS: &[&str] = &[
    // Farewells until a day ("see you in September", "arrivederci a settembre", "ci vediamo
    // dopo l'estate", "rendez-vous en septembre", "nos vemos en septiembre", "wir sehen uns
    // im September"): a goodbye says there is an absence until then.
    "see",
    "arrivederci",
    "ci",
    "rendez",
    "nos",
    "vemo",
    "wir",
    "vern",
    "vozvrashch",
    "vyydu",
    // "di nuovo in ufficio", "de nuevo en la oficina", "de novo no escritório": a place
    // reached again.
    "nuovo",
    "nuevo",
    "novo",
    "nouveau",
    "back",
    "return",
    "resum",
    "reanud",
    "riprend",
    "ripresa",
    "hervat",
    "wiederaufnahme",
    "zuruck",
    "zurueck",
    "ruckkehr",
    "rueckkehr",
    "wieder",
    "retour",
    "rentr",
    "revien",
    "reprise",
    "reprend",
    "reouvert",
    "reouvr",
    "rouvr",
    "regres",
    "vuelt",
    "vuelv",
    "volv",
    "reincorpor",
    "reintegr",
    "rientr",
    "torn",
    "ritorn",
    "riapr",
    "terug",
    "weer",
    "heropen",
    "volt",
    "volto",
    "retorn",
    "reabr",
    "wrac",
    "wroc",
    "powrot",
    "tillbaka",
    "ater",
    "tilbage",
    "tilbake",
    "palaa",
    "paluu",
    "takaisin",
    "zpet",
    "zpat",
    // Slovak "späť", "opäť"
    "spat",
    "opat",
    "vrat",
    "vrac",
    "navrat",
    "geri",
    "donec",
    "donus",
    "donuy",
    "doneri",
    "modori",
    "fukki",
    "kisha",
    "shussha",
    "saikai",
    "eigyou",
    "reopen",
];

/// A finite "be" and its subject standing between a fronted day and the return, in the
/// languages that put the verb second ("ben ik", "bin ich", "är jag", "er jeg").
const VERB_SECOND: &[&str] = &[
    "ben", "bin", "sind", "zijn", "is", "ist", "ik", "ich", "wir", "we", "wij", "er", "ar", "jag", "jeg",
    "eg", "vi", "dann", "dan", "auch", "ook", "da",
];

/// "Then" after a call-back ("ping me then", "melden Sie sich dann", "rappelez-moi alors"):
/// the day named just before.
const THEN: &[&str] = &["then", "dann", "alors", "entonces", "allora", "dan", "entao"];

/// How many tokens before a length its "then" may stand ("until Friday, then off for two
/// weeks", "then on leave for a week").
const THEN_REACH: usize = 5;

/// The words of a call-back's object and of "on the" before a bare day ("me manda um email
/// no dia 8", "drop me a line on the 8th", "schick mir eine Mail am 8."), which keep the day
/// the call-back's.
const CALL_OBJECT: &[&str] = &[
    "a",
    "an",
    "um",
    "uma",
    "un",
    "une",
    "una",
    "ein",
    "eine",
    "einen",
    "me",
    "mir",
    "mi",
    "moi",
    "email",
    "e",
    "mail",
    "line",
    "note",
    "message",
    "mensagem",
    "mensaje",
    "messaggio",
    "correo",
    "oi",
    "on",
    "the",
    "no",
    "el",
    "il",
    "le",
    "am",
    "op",
    "de",
    "dia",
    "giorno",
    "jour",
];

/// Cues further away than this many tokens do not attach to a date.
const WINDOW_BEFORE: usize = 14;
const WINDOW_AFTER: usize = 10;
/// Japanese puts the verb last ("来週2月4日(土)当院は都合により臨時休診とさせていただきます"):
/// its absence and return words may stand further after the date, in the same sentence.
const WINDOW_AFTER_VERB_LAST: usize = 24;
/// The Japanese absence and return cues, as the lexicon folds them.
const JAPANESE_CUES: &[&str] = &[
    "fuzai",
    "kyuuka",
    "shucchou",
    "kyuugyou",
    "yasumi",
    "sankyuu",
    "ikukyuu",
    "gaishutsu",
    "nenmatsunenshi",
    "shussha",
    "modori",
    "fukki",
    "kisha",
    "eigyou",
    "taiou",
    "saikai",
    // the call-back's verb ("来月になれば、その頃にまたご連絡ください"), last too
    "renraku",
];

/// The cue at token `at` is a verb of a language that puts the verb last and leaves the
/// subject out (Japanese): its clause is the whole sentence before it.
pub(crate) fn verb_last(f: &tokens::Folded, at: usize) -> bool {
    // "営業開始日：8/18（月）": a cue that titles what its colon introduces is a label, no verb
    // closing the sentence before it.
    f.is_any(at, JAPANESE_CUES) && !labels(f, at + 1)
}

/// A colon follows at token `k`, maybe after the Japanese characters the lexicon does not
/// know (folded to `^`): the words before it title what comes after ("営業開始日：",
/// "Reopening:").
fn labels(f: &tokens::Folded, k: usize) -> bool {
    let mut k = k;
    while k < f.toks.len() && f.is_punct(k, b'^') {
        k += 1;
    }
    f.is_punct(k, b':')
}

/// `cue` is a call-back after `expr` followed by "then" ("ping me then", "reach out again
/// then", "melden Sie sich dann"): it asks for the day written before it.
fn points_back(f: &tokens::Folded, cue: &Cue, expr: &Expr) -> bool {
    // The ask's own object and softeners may stand between it and its "then" ("Rufen Sie mich
    // danach gern an", "call me back afterwards").
    let mut then_at = cue.end;
    while then_at < cue.end + 4 && f.is_any(then_at, ASK_FILLERS) {
        then_at += 1;
    }
    // "... bis 15 Uhr in Sitzungen, danach können Sie mich anrufen": "then" before the ask.
    // The "then" opens its clause ("..., danach können Sie"): "in der Woche danach" is a time.
    let then_before = (cue.start.saturating_sub(12).max(expr.end)..cue.start).any(|k| {
        f.is_any(k, THEN_BEFORE)
            && k > 0
            && (f.is_punct(k - 1, b',')
                || f.is_punct(k - 1, b'.')
                || f.is_any(k - 1, &["and", "und", "et", "y", "e", "en", "i", "ve"]))
    });
    // "contact us again on that date", "à cette date", "an diesem Tag", "en esa fecha": the
    // day named before, pointed back to.
    let that_day = (f.is_any(then_at, &["on", "at", "by", "a", "an", "en", "in", "na", "op"])
        && f.is_any(
            then_at + 1,
            &[
                "that", "cette", "diesem", "dem", "esa", "ese", "quella", "quel", "die", "dat", "essa",
                "esse",
            ],
        )
        || f.is_any(then_at, &["that", "cette", "esa", "quella", "essa"]))
        && (then_at..then_at + 3).any(|k| {
            f.is_any(
                k,
                &[
                    "date", "day", "time", "point", "tag", "datum", "fecha", "data", "dia", "jour", "giorno",
                    "momento", "moment", "period", "periodo", "periode", "zeitraum",
                ],
            )
        });
    cue.kind == CueKind::Callback
        && cue.start >= expr.end
        && (f.is_any(then_at, THEN) || f.is_any(then_at, THEN_BEFORE) || then_before || that_day)
}

/// Words between a call-back's verb and its "then": "again", "back", the writer as object, a
/// softener, the offer sent again ("ping me again then", "rufen Sie mich danach gern an",
/// "ripresentare la sua offerta in quel periodo").
const ASK_FILLERS: &[&str] = &[
    "again", "back", "to", "with", "wieder", "nochmal", "me", "us", "mich", "uns", "mir", "moi", "nous",
    "mij", "ons", "gerne", "gern", "bitte", "doch", "einfach", "gerust",
    // the offer sent again: "ripresentare la sua offerta in quel periodo", "resubmit it from
    // that date"
    "it", "la", "sua", "your", "offerta", "proposta", "offer", "proposal",
    // what is asked for: "drop me a line then", "give me a call then", "send me an email then"
    "a", "an", "line", "note", "email", "mail", "message", "call", "ring", "shout", "quick",
];

/// "Then", "after that" before a call-back ("danach", "ensuite", "después", "dopo", "daarna",
/// "depois", "sonra"): the ask follows the day said before it.
const THEN_BEFORE: &[&str] = &[
    "then",
    "afterwards",
    "danach",
    "dann",
    "ensuite",
    "despues",
    "dopo",
    "daarna",
    "depois",
    "potem",
    "pak",
    "sonra",
];

/// Words of a sentence, besides a day and its operator, that make it a clause of its own
/// (see [`judge`]): a day with no cue near it in such a sentence tells of other business.
const UNCUED_CLAUSE_WORDS: usize = 5;

/// The token after a day and its operator, when the operator follows it (Japanese "まで",
/// Turkish "kadar"); `judge`'s span of evidence runs at least that far.
fn span_end_of(expr: &Expr, operator: Option<(Op, usize, usize)>) -> usize {
    expr.end.max(operator.map_or(0, |(_, _, end)| end))
}

/// Decides the role of a date from its operator and the cues around it.
fn judge(f: &tokens::Folded, expr: &Expr, cues: &[Cue], sentences: &[u32]) -> Option<Judged> {
    let sentence = sentences.get(expr.start).copied()?;
    if let Some(judged) = end_of_the_named(f, expr, cues, sentences) {
        return Some(judged);
    }
    // "Kesäaukioloajat 1.6.–31.8.: ma–pe 9–16": the days a timetable holds for (asked before
    // the cues around the day are weighed: whatever they say, it is no day away).
    if !matches!(expr.val, Val::Weekday(_)) && grammar::hours_period(f, expr.start, expr.end) {
        return None;
    }
    let mut nearest: [Option<(usize, &Cue)>; 3] = [None, None, None];
    // Whether each of those is an absence outside the day's clause (see below).
    let mut nearest_apart = [false; 3];
    // Cues are sorted by start: only those that can reach the window are looked at.
    let first = cues.partition_point(|cue| cue.start + WINDOW_BEFORE + 8 < expr.start);
    let last = cues.partition_point(|cue| cue.start <= expr.end + WINDOW_AFTER_VERB_LAST);
    for cue in cues.get(first..last).unwrap_or(&[]) {
        let distance = if cue.end <= expr.start {
            expr.start - cue.end
        } else if cue.start >= expr.end {
            cue.start - expr.end
        } else {
            continue;
        };
        // "8/17（日） 営業開始日：8/18（月）", "... Return date: 18 August": a cue that labels
        // what its colon introduces says nothing of a day before it.
        if cue.start >= expr.end && labels(f, cue.end) {
            continue;
        }
        let limit = if cue.end <= expr.start {
            WINDOW_BEFORE
        } else if verb_last(f, cue.start) {
            WINDOW_AFTER_VERB_LAST
        } else {
            WINDOW_AFTER
        };
        // "Budget is frozen until January. Ping me then.": a call-back that points back
        // with "then" takes its day from the sentence before.
        let then_back = points_back(f, cue, expr) && sentences.get(cue.start) == Some(&(sentence + 1));
        // "Could you try me again after the Easter break? Tuesday the 22nd would be ideal.":
        // the day preferred, in the sentence after the call-back, is its day.
        let preferred_next = cue.kind == CueKind::Callback
            && cue.end <= expr.start
            && sentences.get(cue.end - 1).is_some_and(|&s| s + 1 == sentence)
            && preference_marked(f, expr);
        let same_sentence = then_back
            || preferred_next
            || sentences.get(cue.start) == Some(&sentence)
            || sentences.get(cue.end - 1) == Some(&sentence);
        // A call-back pointing back ("..., danach können Sie mich gerne unter ... anrufen")
        // reaches its day across a phone number.
        let limit = if points_back(f, cue, expr) {
            limit.max(2 * WINDOW_AFTER)
        } else {
            limit
        };
        if distance > limit || !same_sentence {
            continue;
        }
        // "wenn ich am Montag zurück bin": the writer's return with its day inside.
        let inside =
            || cues::writers_return_opener(f, cue).is_some_and(|k| k < expr.start && expr.end <= cue.start);
        // "I'll do the release on Monday 13th when I'm back": the day right before the
        // writer's return clause is its day.
        let just_before =
            || cue.start >= expr.end && cues::writers_return_opener(f, cue).is_some_and(|k| k == expr.end);
        let reaches = (cue.end <= expr.start && distance <= 2) || inside() || just_before();
        if cue.undated && !reaches {
            continue;
        }
        // "so it ships before the holidays", "nach der Sommerpause": an absence named as a time
        // the day is told by, nobody's absence.
        if cue.kind == CueKind::Absence
            && (away::after_it(f, cue.start) || away::called_off(f, cue.start, cue.end))
        {
            continue;
        }
        let slot = match cue.kind {
            CueKind::Return => 0,
            CueKind::Absence => 1,
            CueKind::Callback => 2,
        };
        // An absence of the day's own clause before a nearer one across a comma ("em viagem
        // pela Ásia pelas próximas 2 semanas, com acesso restrito").
        let apart = cue.kind == CueKind::Absence && !same_clause(f, cue, expr);
        if nearest[slot].is_none_or(|(d, _)| (apart, distance) < (nearest_apart[slot], d)) {
            nearest[slot] = Some((distance, cue));
            nearest_apart[slot] = apart;
        }
    }
    let [ret, absence, callback] = nearest;
    let in_window = ret.is_some() || absence.is_some() || callback.is_some();
    let operator = operator(f, expr);
    let op = operator.map(|(op, at, _)| (op, at));
    if let Some((Op::Until | Op::Through, at, op_end)) = operator {
        // "valid until", "gültig bis", "valable jusqu'au", "11 Aralık'a kadar geçerli": an
        // offer, not an absence.
        if f.is_any(at.wrapping_sub(1), VALIDITY) || f.is_any(op_end, VALIDITY) {
            return None;
        }
    }
    // "Skicka offerten senast fredag 31/10", "najpozdniej do piątku": a deadline for the
    // reader, at the latest by the day; no time away and no day to be called on.
    let deadline_at = operator.map_or(expr.start, |(_, at, _)| at.min(expr.start));
    if f.is_any(deadline_at.wrapping_sub(1), DEADLINES) || f.is_any(expr.start.wrapping_sub(1), DEADLINES) {
        return None;
    }
    if dated_document(f, expr.start) {
        return None;
    }
    let inclusive = cues::inclusive_after(f, expr.end);
    // "Out of the office today and reachable at the weekend", "heute nicht im Büro und am
    // Wochenende erreichbar": the day next to its absence is time away, whatever return word
    // follows; as near as that word, too ("away all next week and back on Monday").
    let absence_closer = |d: usize| {
        absence.is_some_and(|(a, cue)| {
            let gap = if cue.end <= expr.start {
                cue.end..expr.start
            } else {
                expr.end..cue.start
            };
            a <= d
                && !verb_last(f, cue.start)
                && gap
                    .into_iter()
                    .all(|k| !matches!(f.toks.get(k).map(|t| t.kind), Some(tokens::Kind::Punct(_))))
        })
    };

    // "Send me the proposal by 30 June", "mandami una proposta entro venerdì", "envoyez-moi
    // une offre avant vendredi": a request with its deadline, for the reader to act before
    // the day; no day to be contacted on.
    // ("Je ne pourrai pas regarder avant lundi", "Let's talk next week once the board has
    // met": a day not before which, a deferral.)
    let by_deadline = matches!(operator, Some((Op::Before, at, _)) if f.is_any(at, DEADLINE_BY))
        || f.is_any(expr.start.wrapping_sub(1), DEADLINE_BY)
        || f.is_any(expr.start.wrapping_sub(2), DEADLINE_BY)
            && f.is_any(expr.start.wrapping_sub(1), &["the", "il", "la", "le"]);
    let asked_by = |cue: &Cue| {
        cue.end <= expr.start
            && same_clause(f, cue, expr)
            && !(cue.start..expr.start).any(|k| f.is_any(k, away::NEGATION) || f.is_word(k, "erst"))
    };
    if by_deadline
        && callback.is_some_and(|(_, cue)| asked_by(cue))
        && !ret.is_some_and(|(_, cue)| same_clause(f, cue, expr))
        && !absence.is_some_and(|(_, cue)| same_clause(f, cue, expr))
    {
        return None;
    }
    // "Call me between the 10th and the 20th", "in the second half of January": a call asked
    // for within a stretch of days is due at its start, not after it.
    let called_within = callback.is_some_and(|(_, cue)| same_clause(f, cue, expr))
        && !absence.is_some_and(|(_, cue)| same_clause(f, cue, expr))
        && !ret.is_some_and(|(_, cue)| same_clause(f, cue, expr));
    let (role, strength) = if matches!(expr.val, Val::Range(..)) && called_within {
        (Role::Start, 3)
    } else if matches!(expr.val, Val::Range(..)) {
        (Role::RangeEnd, 3)
    } else if matches!(op, Some((Op::After, _))) && inclusive.is_none() {
        (Role::After, 3)
    } else if matches!(op, Some((Op::Until, at)) if not_until(f, at)) && inclusive.is_none() {
        // "I will not return until January 4": the day itself.
        (Role::Start, 3)
    } else if matches!(op, Some((Op::Until, _))) && inclusive.is_none() && grammar::hour_at(f, expr.end) {
        // "Out until Monday, 10 a.m.", "sin conexión hasta el lunes a las 9:00": back that day.
        (Role::Start, 3)
    } else if inclusive.is_some()
        || matches!(op, Some((Op::Through, _)))
        || matches!(op, Some((Op::Until, at)) if f.is_any(at, &["einschliesslich", "einschl", "inclusive", "through", "thru", "t"]))
        // Dutch "tot en met week 23", "tot en met volgende week": up to and including.
        || matches!(op, Some((Op::Until, at)) if f.is_word(at, "tot") && f.is_word(at + 1, "en") && f.is_word(at + 2, "met"))
        // Japanese "まで" takes in what it follows: "週末まで休診" is closed over the weekend.
        || matches!(operator, Some((Op::Until, _, end)) if f.is_word(end.wrapping_sub(1), "made"))
    {
        // "bis einschließlich KW 47", "through next week", "t/m", "tot en met": the whole
        // period is away.
        (Role::After, 3)
    } else if matches!(op, Some((Op::Until, _))) {
        (Role::End, 3)
    } else if matches!(op, Some((Op::Before, _))) {
        (Role::Start, 3)
    } else if matches!(op, Some((Op::From, _))) {
        // "on vacation from June 1" / "ab dem 7. Juni im Urlaub" is when the absence starts;
        // an absence cue in another clause ("absent today, I answer from tomorrow") is not.
        // The nearest cue of its own clause first: "on leave from December 21, back on the
        // 5th" starts the leave, whatever the return after the comma.
        // "現在休職中で、来月から職場に戻ります": a verb-last return after the day governs
        // its clause, whatever absence stands nearer before it.
        let returns_after = ret.is_some_and(|(_, cue)| {
            cue.start >= expr.end && verb_last(f, cue.start) && same_clause(f, cue, expr)
        });
        let cues_near = [ret, callback, absence].into_iter().flatten();
        let closest = cues_near
            .clone()
            .filter(|(_, cue)| same_clause(f, cue, expr))
            .min_by_key(|(d, _)| *d)
            .or_else(|| cues_near.min_by_key(|(d, _)| *d));
        match closest {
            _ if returns_after => (Role::Start, 3),
            Some((_, cue)) if cue.kind == CueKind::Absence && same_clause(f, cue, expr) => return None,
            Some(_) => (Role::Start, 3),
            None => (Role::Start, 2),
        }
    } else if [ret, callback].into_iter().flatten().any(|(d, cue)| {
        (same_clause(f, cue, expr) && !(cue.start >= expr.end && absence_closer(d)))
            || points_back(f, cue, expr)
    }) {
        // The cue must share the clause: "back from vacation, can we talk on Friday?" is no return.
        (Role::Start, 3)
    } else if absence.is_some_and(|(_, cue)| same_clause(f, cue, expr)) {
        // "Heading off on holiday tomorrow", "je pars en vacances demain": the day the
        // absence begins, not a day away; its end is unsaid. A period ("going on holiday
        // in March", "next week") is still the time away.
        let one_day = matches!(
            expr.val,
            Val::Date { .. }
                | Val::Ambig { .. }
                | Val::Weekday(_)
                | Val::WeekdayThisWeek(_)
                | Val::WeekdayNextWeek(_)
                | Val::DayOnly(_)
                | Val::DayNextMonth(_)
                | Val::WeekdayDay { .. }
                | Val::Days(_)
        );
        if one_day && absence.is_some_and(|(_, cue)| leaving(f, cue, expr, sentence, sentences)) {
            return None;
        }
        (Role::Absent, 2)
    } else {
        return None;
    };
    // "Jsem na rodičovské dovolené. Upozorňujeme, že od 1. 1. 2027 se mění bankovní spojení",
    // "Jestem w delegacji. Przypominamy, że faktury należy przesłać do 10 lipca": a day with
    // no cue near it, in a sentence of its own that tells of other business (words enough
    // for a clause besides the day and its operator), is not the absence's. A day alone in
    // its sentence ("Out of office. Until 12 August.") still is, as is a range of days
    // ("I need a week for the trip (20.08 - 27.08)") or a day in the sentence of a cue out of
    // the window's reach ("Del 22 al 1 de octubre (ambos incluidos) voy a cerrar").
    // (The operator's sentence counts too: an abbreviation's dot splits "bis einschl. Mi
    // 3.11." in two.)
    let op_start = op.map_or(expr.start, |(_, at)| at.min(expr.start));
    let op_sentence = sentences.get(op_start).copied().unwrap_or(sentence);
    let cue_in_sentence = || {
        cues.iter().any(|cue| {
            [sentences.get(cue.start), sentences.get(cue.end - 1)]
                .into_iter()
                .flatten()
                .any(|&s| s == sentence || s == op_sentence)
        })
    };
    if !in_window && !matches!(expr.val, Val::Range(..)) && !cue_in_sentence() {
        let in_sentence = |k: &usize| sentences.get(*k) == Some(&sentence);
        let other_words = (0..f.toks.len())
            .filter(in_sentence)
            .filter(|&k| !(op_start..span_end_of(expr, operator)).contains(&k))
            .filter(|&k| f.is_a_word(k))
            .count();
        // (The writer's own clause, "I won't answer questions until Tuesday", is theirs.)
        let writers = || {
            (0..f.toks.len())
                .filter(in_sentence)
                .any(|k| subject::first_singular(f, k))
        };
        if other_words >= UNCUED_CLAUSE_WORDS && !writers() {
            return None;
        }
    }
    let strength = if in_window { strength } else { strength - 1 };
    // "until August 7 ... back on August 7": the day the writer names as their return is
    // what they say; a day derived from the end of the absence yields to it.
    // Only a full date right after its return cue ("back on 24 August", "de retour le
    // 03/08", "rientro il 7 gennaio") is such a statement; a weekday or a bare day number
    // resolves from today, not from the absence, and must not shorten it.
    // A year alone ("see you in 2027") names no day: it does not outrank the end of the
    // absence written beside it.
    let year_alone = expr.end == expr.start + 1 && f.toks.get(expr.start).is_some_and(|t| t.digits == 4);
    // A return the writer marks as a correction ("OUT UNTIL JULY 20 ... I'm actually back
    // on the 17th", "eigentlich bin ich schon am Montag zurück") is their word whatever the
    // day's form.
    let corrected = |cue: &Cue| (cue.start.saturating_sub(4)..cue.start).any(|k| f.is_any(k, CORRECTIONS));
    let explicit_return = role == Role::Start
        && op.is_none()
        && !year_alone
        && ret.is_some_and(|(d, cue)| {
            cue.end <= expr.start
                && d <= 3
                && (matches!(expr.val, Val::Date { .. } | Val::Ambig { .. })
                    || corrected(cue)
                        && matches!(
                            expr.val,
                            Val::DayOnly(_)
                                | Val::WeekdayDay { .. }
                                | Val::Weekday(_)
                                | Val::WeekdayNextWeek(_)
                        ))
        });
    // "Busy until the end of the year. Call me after Christmas.": when to get in touch, said
    // right after the ask, is the writer's own word on it and beats a day worked out from the
    // end of a busy spell.
    let explicit_callback = matches!(role, Role::Start | Role::After)
        && matches!(op, None | Some((Op::After | Op::From, _)))
        && callback.is_some_and(|(d, cue)| cue.end <= expr.start && d <= 3);
    let strength = if explicit_return || explicit_callback {
        strength + 1
    } else {
        strength
    };

    // "ich bin am 14. zurück", "ik ben de 14e weer op kantoor": the return verb after its
    // day, where German and Dutch put it (English "the 14th back" is a push back); the
    // evidence runs to its end.
    // The day first, then the verb and its subject, then the return, as the languages that
    // put the verb second write it: "Op de 22e ben ik weer terug", "Am 22. bin ich wieder
    // zurück", "Den 22:a är jag tillbaka".
    let verb_second = |cue: &Cue| (expr.end..cue.start).all(|k| f.is_any(k, VERB_SECOND));
    let verb_after = ret
        .filter(|(d, cue)| {
            cue.start >= expr.end && (*d <= 1 || *d <= 3 && verb_second(cue)) && !f.is_word(cue.start, "back")
        })
        .map(|(_, cue)| cue.end);
    if matches!(expr.val, Val::DayOnly(_)) && op.is_none() {
        // A bare "the 15th" needs its cue right before it ("back on the 15th").
        // A call-back's object may stand between: "me manda um email no dia 8", "drop me a
        // line on the 8th", "schick mir eine Mail am 8.".
        // So may a call-back right after it ("no dia 8 que a gente retoma").
        let close = [ret, callback].into_iter().flatten().any(|(d, cue)| {
            cue.start >= expr.end
                && d <= 3
                && cue.kind == CueKind::Callback
                && (expr.end..cue.start).all(|k| f.is_a_word(k))
                || cue.end <= expr.start
                    && (d <= 3
                        || cue.kind == CueKind::Callback
                            && d <= 6
                            && (cue.end..expr.start)
                                .all(|k| f.is_any(k, CALL_OBJECT) || f.is_punct(k, b'-') && f.glued(k)))
        });
        // "back in Berlin on the 20th": a place between the return and its day.
        let placed = ret.is_some_and(|(_, cue)| {
            cue.end < expr.start
                && expr.start - cue.end <= 6
                && f.is_any(cue.end, &["in", "to", "at"])
                && (cue.end..expr.start).all(|k| f.is_a_word(k))
                && f.is_any(expr.start - 1, &["on", "the"])
        });
        if !close && !placed && verb_after.is_none() {
            return None;
        }
    }

    let mut span_start = expr.start;
    if let Some((_, at)) = op {
        span_start = at;
    } else if let Some((d, cue)) = [ret, callback, absence]
        .into_iter()
        .flatten()
        .min_by_key(|(d, _)| *d)
    {
        if cue.end <= expr.start && d <= 6 {
            span_start = cue.start;
        }
    }
    let span_end = inclusive
        .unwrap_or(expr.end)
        .max(span_end_of(expr, operator))
        .max(verb_after.unwrap_or(0));
    // "Mon–Fri 9am–6pm": a range of weekdays before a span of the clock is opening hours too.
    let weekdays = match &expr.val {
        Val::Weekday(_) => true,
        Val::Range(a, b) => matches!((&**a, &**b), (Val::Weekday(_), Val::Weekday(_))),
        _ => false,
    };
    let habit = weekdays && grammar::habitual_weekday(f, expr.start);
    // "joignable du lundi au vendredi de 9h à 12h": a range of weekdays with the clock's
    // span after its end is opening hours, no day to return or be called on.
    if matches!(&expr.val, Val::Range(a, b) if matches!((&**a, &**b), (Val::Weekday(_), Val::Weekday(_))))
        && (grammar::hours_after(f, expr.end) || grammar::hours_before(f, expr.start))
    {
        return None;
    }
    if matches!(expr.val, Val::Weekday(_)) && grammar::weekdays_with_hours(f, expr.start, expr.end) {
        return None;
    }
    // "Orari di apertura: ... venerdì 8:30-12:30": a weekday of labelled opening hours.
    let weekday_at = |k: usize| f.toks.get(k).is_some_and(|t| t.lex.weekday > 0);
    if weekday_at(expr.start)
        && weekday_at(expr.end.wrapping_sub(1))
        && grammar::labelled_hours(f, expr.start, expr.end)
    {
        return None;
    }
    // "available 7 days a week", "24 Stunden am Tag", "7 jours sur 7": how often, no length.
    if matches!(expr.val, Val::For(..))
        && (f.is_any(
            expr.end,
            &[
                "a", "per", "each", "por", "pro", "die", "sur", "su", "am", "al", "la",
            ],
        ) && (expr.end + 1..expr.end + 3).any(|k| {
            f.is_any(
                k,
                &[
                    "week",
                    "woche",
                    "semaine",
                    "semana",
                    "settimana",
                    "day",
                    "tag",
                    "jour",
                    "dia",
                    "giorno",
                    "dag",
                ],
            ) || f.is_num(k)
        }))
    {
        return None;
    }
    let recurring = role == Role::Absent && (habit || absence.is_some_and(|(_, cue)| cue.recurring));
    let nearest = [ret, callback, absence]
        .into_iter()
        .flatten()
        .min_by_key(|(d, _)| *d);
    // "I'll be free in two weeks, ping me then": a call-back that points back with "then"
    // makes the day before it the day to call, whatever cue stands nearer.
    let pointed = callback.filter(|(_, cue)| {
        points_back(f, cue, expr)
            && matches!(sentences.get(cue.start), Some(&s) if s == sentence || s == sentence + 1)
    });
    let nearest = pointed.or(nearest);
    let basis = nearest.map_or(Basis::Unmarked, |(_, cue)| match cue.kind {
        CueKind::Return => Basis::Return,
        CueKind::Absence => Basis::Absence,
        CueKind::Callback => Basis::Callback,
    });
    let cue_at = nearest.map(|(_, cue)| cue.start);
    Some(Judged {
        role,
        strength,
        span_start,
        span_end,
        recurring,
        basis,
        cue_at,
        op: op.map(|(op, _)| op),
    })
}

/// The day is the end of an event or a leave named right before it, in a relative clause
/// ("after the trade fair, which ends on 21 October", "après le salon, qui se termine le
/// 21 octobre", "nach der Messe, die am 21. Oktober endet", "en la feria, que termina el
/// 21"): the absence's end, or, after a call-back's "after" ("call me after the fair, which
/// ..."), the call-back's day after it.
fn end_of_the_named(f: &tokens::Folded, expr: &Expr, cues: &[Cue], sentences: &[u32]) -> Option<Judged> {
    // The relative pronoun: before an end verb and the day's preposition ("which ends on",
    // "qui se termine le", "que termina el", "che finisce il"), or before the day with the
    // verb after it ("die am 21. Oktober endet", "die op 21 oktober eindigt").
    let mut k = expr.start;
    for _ in 0..2 {
        if f.is_any(
            k.wrapping_sub(1),
            &["on", "le", "el", "il", "am", "op", "em", "no", "the"],
        ) {
            k -= 1;
        }
    }
    let verb_before = f.is_any(k.wrapping_sub(1), END_VERBS);
    let relative = if verb_before {
        let mut r = k - 1;
        if f.is_any(r.wrapping_sub(1), &["se", "si"]) {
            r -= 1;
        }
        r.checked_sub(1)?
    } else if f.is_any(expr.end, END_VERBS) || f.is_word(expr.end, "zu") && f.is_word(expr.end + 1, "ende") {
        k.checked_sub(1)?
    } else {
        return None;
    };
    if !f.is_any(
        relative,
        &["which", "that", "qui", "que", "che", "die", "der", "das", "dat"],
    ) {
        return None;
    }
    // The named thing right before, maybe with its place ("the fair in Nuremberg, which").
    let named = cues.iter().find(|cue| {
        cue.kind == CueKind::Absence
            && (cue.end == relative
                || cue.end < relative
                    && relative <= cue.end + 4
                    && f.is_punct(relative - 1, b',')
                    && (cue.end..relative - 1).all(|k| f.is_a_word(k)))
    })?;
    if away::after_it(f, named.start) {
        let callback = cues.iter().rev().find(|cue| {
            cue.kind == CueKind::Callback
                && cue.end <= named.start
                && sentences.get(cue.start) == sentences.get(named.start)
        })?;
        return Some(Judged {
            role: Role::After,
            strength: 3,
            span_start: callback.start,
            span_end: expr.end,
            recurring: false,
            basis: Basis::Callback,
            cue_at: Some(callback.start),
            op: None,
        });
    }
    Some(Judged {
        role: Role::End,
        strength: 3,
        span_start: named.start,
        span_end: expr.end,
        recurring: false,
        basis: Basis::Absence,
        cue_at: Some(named.start),
        op: None,
    })
}

/// Verbs of something coming to its end: "ends", "finishes", "se termine", "finit",
/// "s'achève", "termina", "acaba", "finisce", "si conclude", "endet", "eindigt".
const END_VERBS: &[&str] = &[
    "ends", "finishes", "wraps", "termine", "finit", "acheve", "termina", "acaba", "finaliza", "finisce",
    "conclude", "chiude", "endet", "eindigt", "afloopt", "encerra",
];

/// The operator of an expression: a preposition before it ("until", "bis", "do", "till och
/// med") or a postposition after it (Finnish "asti", Turkish "kadar", Japanese "まで").
/// Returns the operator, the first token of the evidence and one past its last token.
fn operator(f: &tokens::Folded, expr: &Expr) -> Option<(Op, usize, usize)> {
    if let Some((op, at)) = cues::operator_before(f, expr.start) {
        return Some((op, at, expr.end));
    }
    cues::operator_after(f, expr.end).map(|(op, end)| (op, expr.start, end))
}

/// The text lays out a house's hours ("Öffnungszeiten: Mo–Fr 8–17 Uhr", "showroom hours over
/// Christmas: 24 Dec 9am-1pm, closed 25-28 Dec", "23/12 kl. 10-14, 24.-26/12 lukket"): the
/// days closed it names belong to its timetable, for the decision to weigh against the
/// reply's own day.
pub fn hours_laid_out(text: &str) -> bool {
    // Folding costs a tenth of a reply's reading: a look for a clock's marks or the labels'
    // stems first ("9:00", "13h", "9am", "Uhr", "kl.", "hours", "zeiten", "horari" ...).
    let lower = text.to_lowercase();
    let bytes = lower.as_bytes();
    let clock = bytes
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && matches!(w[1], b':' | b'h' | b'a' | b'p'));
    let labels = [
        " uhr",
        " pm",
        "kl.",
        "klo",
        "godz",
        "hours",
        "zeiten",
        "tijden",
        "uren",
        "horari",
        "orari",
        "tider",
        "aukiolo",
        "営業時間",
    ];
    if !clock && !labels.iter().any(|label| lower.contains(label)) {
        return false;
    }
    grammar::hours_laid_out(&tokens::fold(tokens::cap(text)))
}

/// The text names two days or more after `reference` and before `until`, none of them a
/// feast ("24 Dec 9am-1pm, closed 25-28 Dec, reopening 29 Dec", written on the 14th): a
/// timetable of a return to `until` whose closure has not begun, the house open or closing
/// on days in between. One day alone may be the closure's own ("fechado durante o Carnaval,
/// retornando na quarta-feira de cinzas", written on the Monday).
pub fn names_a_day_before(text: &str, reference: NaiveDate, until: NaiveDate) -> bool {
    let folded = tokens::fold(tokens::cap(text));
    let exprs = grammar::parse(&folded);
    let day_first = day_first(&folded, &exprs, None, None, reference);
    let mut days: Vec<NaiveDate> = exprs
        .iter()
        .filter(|expr| !matches!(expr.val, Val::Holiday { .. } | Val::Season { .. }))
        .filter_map(|expr| resolve(&expr.val, reference, day_first))
        .map(|res| res.first)
        .filter(|first| *first > reference && *first < until)
        .collect();
    days.sort_unstable();
    days.dedup();
    days.len() >= 2
}

/// Someone speaks in the text: it asks a question or says "I" ("yes we can do the demo ...
/// so ideally before the 23rd?", "Ich melde mich"), as a notice or a receipt does not (its
/// "we", "nous", "wir" are the house's).
pub fn speaks_in_person(text: &str) -> bool {
    let text = tokens::cap(text);
    let f = tokens::fold(text);
    text.contains('?')
        || (0..f.toks.len()).any(|k| subject::first_singular(&f, k) && subject::speaks_as_writer(&f, k))
}

/// The text is written for the mailbox owner by a relative or on their behalf ("sono la
/// moglie dell'ing. Ferraris", "I'm replying on behalf of Margaret"): the absence it tells is
/// the owner's, which a rule's veto of someone else's absence does not read as a colleague's.
pub fn written_on_behalf(text: &str) -> bool {
    subject::on_behalf(&tokens::fold(tokens::cap(text)))
}

/// The writer's own absence begins after `reference`, counted from a day or set off on one
/// ("ich bin ab Mitte Mai in Karenz", "ik ga vanaf 1 december met verlof", "dal 10 luglio
/// sono via", "je pars en congé début mars"), and no return is said in its sentence: the
/// writer is there now. With a request to act before it ([`acts_before`]) the reply is a
/// person's (rule `builtin-before-leaving`), whatever day the absence ends on.
pub fn leaves_later(text: &str, reference: NaiveDate) -> bool {
    leaves_on(text, reference).is_some()
}

/// The first day of the writer's absence still to come, as [`leaves_later`] finds it: a day
/// read before it ("Ik ga volgende week op vakantie ... kun je morgen bellen?") is one the
/// writer is still there on.
pub fn leaves_on(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let text = tokens::cap(text);
    let folded = tokens::fold(text);
    let exprs = grammar::parse(&folded);
    if exprs.is_empty() {
        return None;
    }
    let sentences = cues::sentences(&folded);
    let cues = cues::find(&folded);
    let day_first = day_first(&folded, &exprs, None, None, reference);
    exprs.iter().find_map(|expr| {
        let sentence = sentences.get(expr.start);
        // (the verb of setting off before the day or right after it: "el mes que viene me
        // voy de vacaciones", "en agosto me voy")
        let counted_from = matches!(operator(&folded, expr), Some((Op::From, _, _)))
            || (expr.start.saturating_sub(4)..expr.start).any(|k| cues::leaving_verb(&folded, k).is_some())
            || (expr.end..expr.end + 3).any(|k| cues::leaving_verb(&folded, k).is_some());
        let first = resolve(&expr.val, reference, day_first)?.first;
        (counted_from
            && first > reference
            && cues.iter().any(|cue| {
                cue.kind == CueKind::Absence
                    && sentences.get(cue.start) == sentence
                    && away::writers_clause(&folded, cue.start, &sentences, away::Notice::Any)
            })
            && !cues
                .iter()
                .any(|cue| cue.kind == CueKind::Return && sentences.get(cue.start) == sentence))
        .then_some(first)
    })
}

/// English "not ... until X" ("will not return until", "won't be back until", "not in the
/// office until"): X is the first day back, not the last day away.
fn not_until(f: &tokens::Folded, at: usize) -> bool {
    // English, and the Romance "no ... hasta", "non ... fino a", "não ... até" (French says
    // "pas avant"; "nicht ... bis" is rare and inclusive).
    let romance = f.is_any(at, &["hasta", "fino", "ate"]);
    if !f.is_any(at, &["until", "till", "til", "untill"]) && !romance {
        return false;
    }
    let clause = || {
        (at.saturating_sub(8)..at)
            .rev()
            .take_while(|&k| !f.is_punct(k, b',') && !f.is_punct(k, b'.') && !f.is_punct(k, b';'))
    };
    // "I won't have internet until the 9th": what is lacking lasts until then, like an
    // absence; only a coming back or being in is put off to the day itself.
    if clause().any(|k| {
        f.is_any(
            k,
            &[
                "have", "has", "tengo", "tenemos", "ho", "abbiamo", "tenho", "temos",
            ],
        )
    }) {
        return false;
    }
    // Each language's own negation: Portuguese "no" is "in the" ("trabalho de campo no
    // Alentejo até 25"), Italian "no" is no negation.
    let negations: &[&str] = match f.word(at) {
        "hasta" => &["no", "nunca"],
        "fino" => &["non", "mai"],
        "ate" => &["nao", "nunca"],
        _ => &[],
    };
    clause().any(|k| {
        f.is_any(k, &["not", "never", "nt"])
            || (f.is_word(k, "t") && k > 0 && f.is_punct(k - 1, b'\''))
            || (f.is_any(k, negations) && !negated_adjective(f, k))
    })
}

/// The Romance negation at `k` denies the participle after it, an adjective of the noun
/// before ("aspettativa non retribuita fino al 7", "licencia no remunerada hasta el 7",
/// "licença não remunerada até 7"), not the clause: no auxiliary stands before it.
fn negated_adjective(f: &tokens::Folded, k: usize) -> bool {
    let next = f.word(k + 1);
    let participle = [
        "ada", "ado", "ata", "ato", "ita", "ito", "ida", "ido", "uta", "uto",
    ]
    .iter()
    .any(|end| next.len() > 5 && next.ends_with(end));
    participle
        && f.is_a_word(k.wrapping_sub(1))
        && !f.is_any(
            k.wrapping_sub(1),
            &[
                "e",
                "sono",
                "saro",
                "sara",
                "ha",
                "ho",
                "hanno",
                "es",
                "esta",
                "estoy",
                "sera",
                "estare",
                "he",
                "ha",
                "foi",
                "estou",
                "estarei",
                "sou",
                "fica",
                "resta",
                "rimane",
                "queda",
                "permanece",
                "che",
                "que",
                "qui",
                "yo",
                "io",
                "eu",
                "mi",
                "me",
                "si",
                "se",
                "lo",
                "la",
                "le",
                "li",
                "ci",
            ],
        )
}

/// Whether a verb of setting off stands before the absence cue and the date, in their
/// sentence ("leaving for vacation tomorrow", "ich fahre morgen in den Urlaub"). "Going to
/// be out tomorrow" is a day away, not a departure.
fn leaving(f: &tokens::Folded, cue: &Cue, expr: &Expr, sentence: u32, sentences: &[u32]) -> bool {
    let first = cue.start.min(expr.start);
    (first.saturating_sub(4)..cue.end.max(expr.start))
        .filter(|&k| sentences.get(k) == Some(&sentence) && k != cue.start)
        .any(|k| cues::leaving_verb(f, k).is_some())
}

/// No comma or free-standing dash separates the cue from the expression.
fn same_clause(f: &tokens::Folded, cue: &Cue, expr: &Expr) -> bool {
    // Japanese ends its sentence with the verb, after the topic and its comma ("6月12日は、
    // ... 休診とさせていただきます"): the whole sentence is the verb's clause.
    if expr.end <= cue.start && verb_last(f, cue.start) {
        return true;
    }
    let (from, to) = if cue.end <= expr.start {
        (cue.end, expr.start)
    } else {
        (expr.end, cue.start)
    };
    // "次の営業日は、6月14日です": the topic, its particle and a comma, then what it is.
    if cue.end <= expr.start && verb_last(f, cue.start) && to - from <= 3 {
        return (from..to).all(|k| f.is_punct(k, b'^') || f.is_punct(k, b','));
    }
    // "I return to my desk after two weeks off, on December 21.": a day added after a
    // comma at the end of its sentence, with nothing after it, still tells when.
    // So is one that says "let's say" or "ideally" or only its article ("écrivez-moi après les
    // Fêtes, disons la semaine du 6 janvier").
    let lead = (0..=3)
        .find(|&n| {
            f.is_punct(expr.start.wrapping_sub(n + 1), b',')
                && (expr.start - n..expr.start).all(|k| f.is_any(k, TRAILING_LEADS))
        })
        .map(|n| expr.start - n - 1);
    // The day may end its sentence with a word that it suits ("..., Monday Jan 9 works."),
    // or with another weekday offered after an "or" ("..., ideally Monday or Tuesday.").
    let end = if f.is_any(expr.end, IDEAL) {
        expr.end + 1
    } else if f.is_any(expr.end, grammar::OR) && f.toks.get(expr.end + 1).is_some_and(|t| t.lex.weekday > 0) {
        expr.end + 2
    } else {
        expr.end
    };
    // "Hör av dig efter semestern, typ v. 33, så tar vi det då": a hedged day may go on
    // after its comma.
    let hedged = lead.is_some_and(|at| f.is_any(at + 1, HEDGE_LEADS));
    let trailing = cue.end <= expr.start
        && lead.is_some()
        && (f.is_punct(end, b'.')
            || (hedged && f.is_punct(end, b','))
            // "..., en marzo mejor, que ahora ...": a day said to suit, then a comma
            || (end > expr.end && f.is_punct(end, b','))
            || f.is_punct(end, b'!')
            || f.is_punct(end, b'?')
            || end >= f.toks.len()
            || f.toks.get(end).is_some_and(|t| t.para));
    // "Op Koningsdag, donderdag 27 april, is onze winkel gesloten": a date in commas, in
    // apposition to the day before it, is still in the clause.
    let apposed = expr.start > 0 && f.is_punct(expr.start - 1, b',') && f.is_punct(expr.end, b',');
    let comma_ok = |k: usize| (trailing && Some(k) == lead) || (apposed && k == expr.end);
    // "min kollega Karin är föräldraledig till 1 mars så skicka gärna till mig": a "so"
    // right after the day starts a clause of its own, written without its comma (within a
    // clause, "si riaprirà quindi il 5 settembre", it is an adverb).
    let so_after = expr.end <= cue.start && f.is_any(expr.end, SO_LINKS);
    !so_after
        && !(from..to).any(|k| (f.is_punct(k, b',') && !comma_ok(k)) || (f.is_punct(k, b'-') && !f.glued(k)))
}

/// "Therefore", Swedish "så": a word that opens a clause of its own, the consequence of the
/// one before, whether or not a comma stands before it (not English "so", German "so" and
/// Dutch "dus", which stand inside a clause as often: "tot vrijdag dus niet bereikbaar").
const SO_LINKS: &[&str] = &[
    "therefore",
    "sa",
    "derfor",
    "darfor",
    "daher",
    "deshalb",
    "deswegen",
    "donc",
    "quindi",
    "dunque",
    "daarom",
    "siksi",
    "proto",
    "wiec",
    "dlatego",
];

/// Words between a comma and a day added at the end of its sentence that keep it in the
/// clause before: a preposition or article ("on December 21", "la semaine du 6"), "let's
/// say", "ideally".
/// Hedges among [`TRAILING_LEADS`]: "let's say", "like", "about".
const HEDGE_LEADS: &[&str] = &[
    "typ", "ungefar", "omkring", "cirka", "say", "disons", "diciamo", "digamos", "sagen",
];

const TRAILING_LEADS: &[&str] = &[
    // Swedish and Danish "typ", "ungefär", "omkring" (like, about): "efter semestern, typ v. 33";
    // "for example" said short (Danish "fx", Norwegian "feks", Swedish "tex", German "zB",
    // English "eg") and the Nordic "in" (i uge 2)
    "typ",
    "fx",
    "feks",
    "tex",
    "zb",
    "eg",
    "i",
    "ungefar",
    "omkring",
    "cirka",
    "on",
    "in",
    "en",
    "im",
    "nel",
    "au",
    "am",
    "le",
    "el",
    "il",
    "op",
    "em",
    "no",
    "na",
    "la",
    "the",
    "say",
    "disons",
    "diciamo",
    "digamos",
    "sagen",
    "wir",
    "ideally",
    "preferably",
    "idealement",
    "idealmente",
    "preferibilmente",
    // "de preferência segunda", "de préférence lundi", "bij voorkeur maandag"
    "preferencia",
    "preference",
    "voorkeur",
    "bij",
    "gerne",
    "gern",
    "liefst",
    "helst",
    "gjerne",
    // A guess at a length or a day ("I'm off sick, probably 3 to 5 days", "estoy de baja,
    // calculo que entre 3 y 5 días", "krank, voraussichtlich bis Mittwoch").
    "probably",
    "likely",
    "approximately",
    "approx",
    "about",
    "around",
    "roughly",
    "maybe",
    "perhaps",
    "guess",
    "think",
    "reckon",
    "expect",
    "suppose",
    "i",
    "for",
    "between",
    "voraussichtlich",
    "schatze",
    "glaube",
    "denke",
    "wahrscheinlich",
    "vermutlich",
    "etwa",
    "ca",
    "ungefahr",
    "ungefaehr",
    "fur",
    "fuer",
    "zwischen",
    "probablement",
    "environ",
    "je",
    "pense",
    "crois",
    "pendant",
    "entre",
    "probablemente",
    "aproximadamente",
    "seguramente",
    "calculo",
    "supongo",
    "imagino",
    "creo",
    "que",
    "unos",
    "unas",
    "durante",
    "probabilmente",
    "circa",
    "forse",
    "credo",
    "suppongo",
    "penso",
    "che",
    "per",
    "tra",
    "provavelmente",
    "acho",
    "suponho",
    "cerca",
    "uns",
    "umas",
    "waarschijnlijk",
    "ongeveer",
    "denk",
    "ik",
    "voor",
    "tussen",
];

/// An expression placed on the calendar: the first and last day it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Resolved {
    first: NaiveDate,
    last: NaiveDate,
    kind: ResKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResKind {
    /// A single day ("June 5", "mid-March").
    Point,
    /// A stretch of days named as a whole (a week, a month, a quarter).
    Period,
    /// Already the return day whatever the role ("in two weeks", "for two weeks").
    Final,
}

/// "From" that is "since" after a return already made (see [`RETURNED`]).
const FROM_SINCE: &[&str] = &["desde", "da", "dal", "dalla", "od", "depuis", "from"];

/// A return already made, by its participle or past form, or a state said in the present:
/// "rientrato", "tornata", "vuelto", "regresado", "voltei", "wróciłem", "vrátil", "estoy de
/// vuelta".
const RETURNED: &[&str] = &[
    "rientrat",
    "tornat",
    "ritornat",
    "vuelto",
    "regresad",
    "regrese",
    "volvi",
    "voltei",
    "voltado",
    "regressad",
    "retornad",
    "rentre",
    "revenu",
    "wrocil",
    "vratil",
    "vratila",
    // Spanish and Portuguese say a state begun in the present with "desde": "estoy de vuelta
    // desde el lunes", "estou de férias desde segunda" (Italian "sono" also says the future).
    "estoy",
    "estou",
];

/// "Since" in the languages where it never means "from" (Spanish "desde", Italian "da" and
/// Polish "od" also start what is to come): the day after it is gone by.
const SINCE_PAST: &[&str] = &["since", "seit", "sinds", "depuis", "sedan", "siden"];

/// A day after "since" ([`SINCE_PAST`]), maybe with an article between ("off sick since the
/// 2nd"): gone by, the start of what goes on; not a range, whose end is still ahead ("on
/// holidays since 29/07 until 16/08").
fn after_since(f: &tokens::Folded, expr: &Expr) -> bool {
    expr.start > 0 && f.is_any(word_before(f, expr), SINCE_PAST) && !matches!(expr.val, Val::Range(..))
}

/// The word before a date, past an article ("since the 2nd", "desde el lunes"): where
/// "since" and "from" stand.
/// The day at `start` dates a piece of writing named right before it ("can you resend the
/// proposal from October?", "Ihr Angebot vom 3. März", "votre offre du 3 mars", "su oferta
/// del 3 de marzo", "la mia mail del 12"): the day it was written, no time to act on.
fn dated_document(f: &tokens::Folded, start: usize) -> bool {
    let mut k = start;
    // the preposition of the date, an article after it ("from the 3rd", "de la semaine")
    for _ in 0..2 {
        let Some(prev) = k.checked_sub(1) else {
            return false;
        };
        if !f.is_any(prev, DOCUMENT_OF) {
            break;
        }
        k = prev;
    }
    // The writing named as a thing, after its article or owner ("the proposal", "Ihr
    // Angebot", "votre offre"): "not checking email from Saturday 19 December" is the time
    // away.
    k < start && f.is_any(k.wrapping_sub(1), DOCUMENTS) && f.is_any(k.wrapping_sub(2), DOCUMENT_DETERMINERS)
}

/// Articles and owners before a piece of writing ("the", "your", "Ihr", "votre", "su",
/// "la", "uw", "seu").
const DOCUMENT_DETERMINERS: &[&str] = &[
    "the", "your", "my", "our", "this", "that", "his", "her", "their", "ihr", "ihre", "ihrem", "ihres",
    "mein", "meine", "unser", "unsere", "das", "die", "den", "dem", "votre", "vos", "mon", "ma", "notre",
    "le", "la", "l", "su", "sus", "mi", "nuestra", "nuestro", "el", "il", "lo", "sua", "suo", "mia", "mio",
    "nostra", "nostro", "uw", "je", "jullie", "mijn", "ons", "onze", "het", "de", "seu", "meu", "minha", "o",
    "a",
];

/// Prepositions and articles between a piece of writing and its day: "from", "of",
/// "dated", "vom", "du", "del", "dal", "van", "da", "do", "de", "the".
const DOCUMENT_OF: &[&str] = &[
    "from", "of", "dated", "vom", "von", "du", "del", "dal", "della", "dello", "van", "da", "do", "de", "the",
];

/// Pieces of writing a reply refers to by the day they were sent: offers, proposals,
/// quotes, messages, letters.
const DOCUMENTS: &[&str] = &[
    "offer",
    "proposal",
    "quote",
    "quotation",
    "email",
    "mail",
    "message",
    "letter",
    "note",
    "deck",
    "angebot",
    "nachricht",
    "schreiben",
    "anfrage",
    "brief",
    "offre",
    "proposition",
    "devis",
    "courriel",
    "oferta",
    "propuesta",
    "presupuesto",
    "correo",
    "mensaje",
    "offerta",
    "proposta",
    "preventivo",
    "messaggio",
    "lettera",
    "offerte",
    "voorstel",
    "bericht",
    "mailtje",
    "orcamento",
    "mensagem",
];

fn word_before(f: &tokens::Folded, expr: &Expr) -> usize {
    let article = expr.start > 0 && f.is_any(expr.start - 1, &["el", "il", "lo", "le", "la", "o", "the"]);
    expr.start.saturating_sub(if article { 2 } else { 1 })
}

/// The day the writer is back, given how the date relates to the return; `None` when past.
fn return_day(role: Role, res: &Resolved, reference: NaiveDate) -> Option<NaiveDate> {
    if res.kind == ResKind::Final {
        return Some(res.first);
    }
    // "Back this week", "back later this month", "de retour ce mois-ci": a return some day
    // of the period under way, which [`period`] starts today, names no day (a vague return,
    // the default pause); "out this week" ends with it and is read below.
    let under_way = res.kind == ResKind::Period && res.first == reference && res.last > reference;
    match role {
        Role::Start if under_way => None,
        Role::Start => (res.first >= reference).then_some(res.first),
        // "until next week", "until December": the period's first business day ("until the
        // weekend" is back on the Monday after it).
        Role::End if res.kind == ResKind::Period => {
            let first = if !business::is_business_day(res.first) {
                next_business_day_after(res.first)?
            } else {
                res.first
            };
            (first > reference).then_some(first)
        }
        Role::End | Role::Absent | Role::RangeEnd | Role::After => {
            if res.last < reference {
                return None;
            }
            next_business_day_after(res.last)
        }
    }
}

/// The next Monday-to-Friday day after `day` (see `business`).
fn next_business_day_after(day: NaiveDate) -> Option<NaiveDate> {
    let next = business::add_business_days(day, 1);
    (next > day).then_some(next)
}

/// Decides whether `03/04` is the 3rd of April.
fn day_first(
    f: &tokens::Folded,
    exprs: &[Expr],
    lang: Option<Lang>,
    region: Option<&str>,
    reference: NaiveDate,
) -> bool {
    let (mut day_first_votes, mut month_first_votes) = (0, 0);
    for (j, expr) in exprs.iter().enumerate() {
        let proof = expr
            .day_first_proof
            .or_else(|| weekday_proof(f, exprs, j, reference))
            .or_else(|| range_proof(&expr.val, reference));
        match proof {
            Some(true) => day_first_votes += 1,
            Some(false) => month_first_votes += 1,
            None => {}
        }
    }
    if day_first_votes != month_first_votes {
        return day_first_votes > month_first_votes;
    }
    // English from an unknown region is written both ways: the reading that names a day
    // soon wins before the month-first default.
    if region.is_none() && matches!(lang, Some(Lang::En) | None) {
        let (mut day_first_near, mut month_first_near) = (0, 0);
        for expr in exprs {
            match nearness_proof(&expr.val, reference) {
                Some(true) => day_first_near += 1,
                Some(false) => month_first_near += 1,
                None => {}
            }
        }
        if day_first_near != month_first_near {
            return day_first_near > month_first_near;
        }
    }
    let month_first_region = matches!(region, Some("us" | "ca" | "ph"));
    match lang {
        Some(Lang::En) => region.is_some() && !month_first_region,
        // Japanese writes month/day ("12/7").
        Some(Lang::Ja) => false,
        Some(_) => true,
        None => !month_first_region,
    }
}

/// An ambiguous numeric date with its weekday beside it ("Tuesday 7/6", "Tue 7/6", "7/6
/// (Fri)"): the reading that falls on that weekday tells day-first (`Some(true)`) from
/// month-first, when only one of them does.
fn weekday_proof(f: &tokens::Folded, exprs: &[Expr], j: usize, reference: NaiveDate) -> Option<bool> {
    let expr = exprs.get(j)?;
    let Val::Ambig { year, first, second } = expr.val else {
        return None;
    };
    let before = j
        .checked_sub(1)
        .and_then(|i| exprs.get(i))
        .filter(|prev| prev.end <= expr.start && expr.start - prev.end <= 2)
        .and_then(|prev| match prev.val {
            Val::Weekday(w) => Some(w),
            _ => None,
        });
    let after = || {
        let k = if f.is_punct(expr.end, b'(') || f.is_punct(expr.end, b',') {
            expr.end + 1
        } else {
            expr.end
        };
        f.toks.get(k).map(|t| u32::from(t.lex.weekday)).filter(|&w| w > 0)
    };
    // "Mon, 7/6" read as one expression: its first word.
    let inside = || {
        f.toks
            .get(expr.start)
            .map(|t| u32::from(t.lex.weekday))
            .filter(|&w| w > 0)
    };
    let weekday = before.or_else(inside).or_else(after)?;
    let falls_on = |month: u32, day: u32| {
        calendar(year, month, day, reference).is_some_and(|d| d.weekday().number_from_monday() == weekday)
    };
    match (falls_on(second, first), falls_on(first, second)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// A range of two ambiguous numeric dates ("1-10-2026 - 7-10-2026", "3/8 - 9/8"): an
/// absence is a stretch of days still to come, so when only one reading makes the range run
/// forward, end on or after the reference day and last at most `RANGE_PROOF_DAYS`, it tells
/// day-first (`Some(true)`) from month-first. "1-10 - 7-10" is 1 to 7 October, not January
/// to July.
fn range_proof(val: &Val, reference: NaiveDate) -> Option<bool> {
    let Val::Range(a, b) = val else {
        return None;
    };
    // An end written unambiguously ("from 07-11-2026 to 11-11-2026": the 11th of the 11th)
    // reads the same either way; the other end decides.
    let ambig = |v: &Val| match *v {
        Val::Ambig { year, first, second } => Some((year, first, second)),
        Val::Date { year, month, day } if month == day => Some((year, day, month)),
        _ => None,
    };
    let (Some((ya, fa, sa)), Some((yb, fb, sb))) = (ambig(a), ambig(b)) else {
        return None;
    };
    let (ya, fa, sa, yb, fb, sb) = (&ya, &fa, &sa, &yb, &fb, &sb);
    let sane = |day_first: bool| {
        let day = |year: Option<i32>, first: u32, second: u32| {
            let (d, m) = if day_first {
                (first, second)
            } else {
                (second, first)
            };
            calendar(year, m, d, reference)
        };
        match (day(*ya, *fa, *sa), day(*yb, *fb, *sb)) {
            (Some(start), Some(end)) => {
                start <= end && end >= reference && (end - start).num_days() <= RANGE_PROOF_DAYS
            }
            _ => false,
        }
    };
    match (sane(true), sane(false)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// One ambiguous numeric date ("until 7/12", "back 5/1") where only one reading falls
/// within `RANGE_PROOF_DAYS` ahead: an absence or a call-back names a day soon, so that
/// reading is taken (`Some(true)` for day-first) when neither the region nor the language
/// says which. Written on 4 December, "7/12" is the 7th of December, not the 12th of July;
/// written on 20 June, the 12th of July.
fn nearness_proof(val: &Val, reference: NaiveDate) -> Option<bool> {
    let Val::Ambig { year, first, second } = *val else {
        return None;
    };
    // A day a week before the reply may be the start of an absence under way ("closed from
    // 07-11-2026 to 11-11-2026", written on the 8th).
    let near = |month: u32, day: u32| {
        calendar(year, month, day, reference).is_some_and(|d| {
            (d - reference).num_days() >= -UNDER_WAY_DAYS && (d - reference).num_days() <= RANGE_PROOF_DAYS
        })
    };
    match (near(second, first), near(first, second)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// How many days before the reply a day may lie and still be near it (see
/// [`nearness_proof`]).
const UNDER_WAY_DAYS: i64 = 7;

/// The longest absence a range proof believes in (two months).
const RANGE_PROOF_DAYS: i64 = 62;

/// How far back a year-less date may lie and still be read as this year's (stale) date.
const STALE_DAYS: i64 = 60;

/// Places a year-less or dated day on the calendar: the next occurrence.
fn calendar(year: Option<i32>, month: u32, day: u32, reference: NaiveDate) -> Option<NaiveDate> {
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    match NaiveDate::from_ymd_opt(reference.year(), month, day) {
        Some(date) if date >= reference || (reference - date).num_days() <= STALE_DAYS => Some(date),
        _ => NaiveDate::from_ymd_opt(reference.year() + 1, month, day),
    }
}

fn last_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)?
        .checked_add_months(Months::new(1))?
        .pred_opt()
}

fn period(first: NaiveDate, last: NaiveDate, reference: NaiveDate) -> Resolved {
    Resolved {
        first: first.max(reference.min(last)),
        last,
        kind: ResKind::Period,
    }
}

fn point(day: NaiveDate) -> Resolved {
    Resolved {
        first: day,
        last: day,
        kind: ResKind::Point,
    }
}

/// The next week (Monday to Sunday), month, quarter or year after the reference day's.
fn next_period(unit: NextUnit, reference: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    Some(match unit {
        NextUnit::Week => {
            let monday = reference.checked_add_days(Days::new(u64::from(
                7 - reference.weekday().num_days_from_monday(),
            )))?;
            (monday, monday.checked_add_days(Days::new(6))?)
        }
        NextUnit::Month => {
            let first = reference.with_day(1)?.checked_add_months(Months::new(1))?;
            (first, last_of_month(first.year(), first.month())?)
        }
        NextUnit::Quarter => {
            let quarter_start =
                NaiveDate::from_ymd_opt(reference.year(), (reference.month() - 1) / 3 * 3 + 1, 1)?;
            let first = quarter_start.checked_add_months(Months::new(3))?;
            (first, first.checked_add_months(Months::new(3))?.pred_opt()?)
        }
        NextUnit::Year => (
            NaiveDate::from_ymd_opt(reference.year() + 1, 1, 1)?,
            NaiveDate::from_ymd_opt(reference.year() + 1, 12, 31)?,
        ),
    })
}

/// The week, month, quarter or year the reference day lies in. Said on a Sunday, "this
/// week" is the one starting tomorrow: no working day of the week ending today is left, and
/// where weeks start on Sunday (most of the Americas) the coming one is that day's own.
fn this_period(unit: NextUnit, reference: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    if unit == NextUnit::Week && reference.weekday() == Weekday::Sun {
        return next_period(unit, reference);
    }
    let (next_first, _) = next_period(unit, reference)?;
    let first = match unit {
        NextUnit::Week => next_first.checked_sub_days(Days::new(7))?,
        NextUnit::Month => next_first.checked_sub_months(Months::new(1))?,
        NextUnit::Quarter => next_first.checked_sub_months(Months::new(3))?,
        NextUnit::Year => next_first.checked_sub_months(Months::new(12))?,
    };
    Some((first, next_first.pred_opt()?))
}

/// Easter Sunday of `year` (Gregorian computus, Meeus/Jones/Butcher).
fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The days of the feasts in `tables` (see `Feast::Table`), each moved by `offset` days.
fn table_days(tables: &'static [&'static [(i32, u32, u32)]], offset: i8) -> impl Iterator<Item = NaiveDate> {
    tables
        .iter()
        .flat_map(|table| table.iter())
        .filter_map(move |&(year, month, day)| {
            shift_days(NaiveDate::from_ymd_opt(year, month, day)?, offset.into())
        })
}

/// `day` moved by `days`, back when negative (a feast counted from Easter, Ramadan's end
/// from Eid al-Fitr).
fn shift_days(day: NaiveDate, days: i32) -> Option<NaiveDate> {
    let by = Days::new(u64::from(days.unsigned_abs()));
    if days < 0 {
        day.checked_sub_days(by)
    } else {
        day.checked_add_days(by)
    }
}

/// A year as written, with [`grammar::NEXT_YEAR`] ("Q3 of next year") counted from
/// `reference`'s.
fn written_year(year: Option<i32>, reference: NaiveDate) -> Option<i32> {
    year.map(|year| {
        if year == grammar::NEXT_YEAR {
            reference.year() + 1
        } else {
            year
        }
    })
}

/// Places an expression on the calendar relative to the reference day.
fn resolve(val: &Val, reference: NaiveDate, day_first: bool) -> Option<Resolved> {
    match *val {
        Val::Date { year, month, day } => calendar(year, month, day, reference).map(point),
        Val::Ambig { year, first, second } => {
            let (day, month) = if day_first {
                (first, second)
            } else {
                (second, first)
            };
            calendar(year, month, day, reference).map(point)
        }
        Val::Month { year, month, part } => {
            // "end of Q3 of next year": a part of a quarter is read as its month.
            let year = written_year(year, reference).unwrap_or(if month >= reference.month() {
                reference.year()
            } else {
                reference.year() + 1
            });
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let last = last_of_month(year, month)?;
            Some(match part {
                Part::None => period(first, last, reference),
                Part::Early => period(first, NaiveDate::from_ymd_opt(year, month, 10)?, reference),
                Part::Mid => point(NaiveDate::from_ymd_opt(year, month, 15)?),
                Part::End | Part::Late => point(last),
            })
        }
        Val::Quarter { year, quarter } => {
            let current = (reference.month() - 1) / 3 + 1;
            let year = written_year(year, reference).unwrap_or(if quarter >= current {
                reference.year()
            } else {
                reference.year() + 1
            });
            let first = NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1)?;
            Some(period(first, last_of_month(year, quarter * 3)?, reference))
        }
        Val::Weekday(weekday) => {
            let today = reference.weekday().number_from_monday();
            let ahead = (weekday + 7 - today) % 7;
            let ahead = if ahead == 0 { 7 } else { ahead };
            reference.checked_add_days(Days::new(u64::from(ahead))).map(point)
        }
        Val::WeekdayDay { weekday, day } => {
            let limit = reference.checked_add_months(Months::new(2))?;
            let mut month_start = reference.with_day(1)?;
            while month_start <= limit {
                if let Some(date) = month_start.with_day(day) {
                    if date >= reference && date <= limit && date.weekday().number_from_monday() == weekday {
                        return Some(point(date));
                    }
                }
                month_start = month_start.checked_add_months(Months::new(1))?;
            }
            resolve(&Val::DayOnly(day), reference, day_first)
        }
        Val::DayNextMonth(day) => reference
            .with_day(1)?
            .checked_add_months(Months::new(1))?
            .with_day(day)
            .map(point),
        Val::DayOnly(day) => {
            let mut month_start = reference.with_day(1)?;
            if day < reference.day() {
                month_start = month_start.checked_add_months(Months::new(1))?;
            }
            for _ in 0..3 {
                if let Some(date) = month_start.with_day(day) {
                    return Some(point(date));
                }
                month_start = month_start.checked_add_months(Months::new(1))?;
            }
            None
        }
        Val::Days(days) => reference.checked_add_days(Days::new(u64::from(days))).map(point),
        Val::Within(unit, n) | Val::For(unit, n) => {
            let day = match unit {
                Unit::Day => reference.checked_add_days(Days::new(u64::from(n)))?,
                Unit::BusinessDay => business::add_business_days(reference, n),
                Unit::Week => reference.checked_add_days(Days::new(7 * u64::from(n)))?,
                Unit::Month => reference.checked_add_months(Months::new(n))?,
                Unit::Year => reference.checked_add_months(Months::new(n.checked_mul(12)?))?,
                Unit::None => return None,
            };
            Some(Resolved {
                first: day,
                last: day,
                kind: ResKind::Final,
            })
        }
        Val::Next(unit) => {
            let (first, last) = next_period(unit, reference)?;
            Some(Resolved {
                first,
                last,
                kind: ResKind::Period,
            })
        }
        Val::This(unit) => {
            let (first, last) = this_period(unit, reference)?;
            Some(period(first, last, reference))
        }
        Val::PartOf { part, unit, next } => {
            let (this_first, this_last) = this_period(unit, reference)?;
            let early_over = part == Part::Early
                && this_first.checked_add_days(Days::new(
                    u64::try_from((this_last - this_first).num_days() / 3).unwrap_or(0),
                ))? < reference;
            // "a principios de año" written in November is early next year.
            let (first, last) = if next || early_over {
                next_period(unit, reference)?
            } else {
                (this_first, this_last)
            };
            // A week ends on its Friday; longer periods on their last day.
            let end = if unit == NextUnit::Week {
                first.checked_add_days(Days::new(4))?
            } else {
                last
            };
            // A week's early part is its Monday and Tuesday, counted in its working days
            // (Wednesday is its middle).
            let span = if unit == NextUnit::Week {
                (end - first).num_days()
            } else {
                (last - first).num_days()
            };
            Some(match part {
                Part::None => period(first, last, reference),
                Part::Early => period(
                    first,
                    first.checked_add_days(Days::new(u64::try_from(span / 3).unwrap_or(0)))?,
                    reference,
                ),
                // A week's middle is its Wednesday.
                Part::Mid if unit == NextUnit::Week => point(first.checked_add_days(Days::new(2))?),
                Part::Mid => point(first.checked_add_days(Days::new(u64::try_from(span / 2).unwrap_or(0)))?),
                Part::End | Part::Late => point(end),
            })
        }
        Val::Week { year, week } => {
            let week_of = |y: i32| NaiveDate::from_isoywd_opt(y, week, Weekday::Mon);
            let monday = match year {
                Some(y) => week_of(y)?,
                None => {
                    let this_year = week_of(reference.iso_week().year());
                    match this_year {
                        Some(m) if m.checked_add_days(Days::new(6))? >= reference => m,
                        _ => week_of(reference.iso_week().year() + 1)?,
                    }
                }
            };
            Some(period(monday, monday.checked_add_days(Days::new(6))?, reference))
        }
        Val::Holiday { year, feast } => {
            let day_in = |y: i32| match feast {
                Feast::Fixed { month, day } => NaiveDate::from_ymd_opt(y, month, day),
                Feast::Easter(days) => shift_days(easter(y)?, days),
                Feast::NthWeekday { month, weekday, nth } => nth_weekday(y, month, weekday, nth),
                Feast::WeekdayFrom { month, day, weekday } => {
                    weekday_on_or_after(NaiveDate::from_ymd_opt(y, month, day)?, weekday)
                }
                Feast::Table { days, offset } => table_days(days, offset).find(|d| d.year() == y),
            };
            let day = match (year, feast) {
                // The first day not long past; of two feasts under one name ("Eid"), the
                // next one when one is still to come.
                (None, Feast::Table { days, offset }) => {
                    let next = table_days(days, offset).filter(|&d| d >= reference).min();
                    let recent = || {
                        table_days(days, offset)
                            .filter(|&d| d >= reference || (reference - d).num_days() <= STALE_DAYS)
                            .min()
                    };
                    if days.len() > 1 {
                        next.or_else(recent)
                    } else {
                        recent()
                    }?
                }
                (Some(y), _) => day_in(y)?,
                // As for a year-less date: a holiday shortly past is a stale mention, not
                // next year's.
                (None, _) => match day_in(reference.year()) {
                    Some(d) if d >= reference || (reference - d).num_days() <= STALE_DAYS => d,
                    _ => day_in(reference.year() + 1)?,
                },
            };
            Some(point(day))
        }
        Val::Season { year, first_month } => {
            let bounds = |y: i32| -> Option<(NaiveDate, NaiveDate)> {
                let first = NaiveDate::from_ymd_opt(y, first_month, 1)?;
                Some((first, first.checked_add_months(Months::new(3))?.pred_opt()?))
            };
            let (first, last) = match year {
                Some(y) => bounds(y)?,
                None => {
                    // Winter began in December of the year before.
                    let candidates = [reference.year() - 1, reference.year(), reference.year() + 1];
                    candidates
                        .into_iter()
                        .filter_map(bounds)
                        .find(|(_, last)| *last >= reference)?
                }
            };
            Some(period(first, last, reference))
        }
        Val::WeekOf(ref inner) => {
            let day = resolve(inner, reference, day_first)?.first;
            let monday = day.checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))?;
            Some(period(monday, monday.checked_add_days(Days::new(6))?, reference))
        }
        // A time has no day of its own: `extract_return_date` places it (see `time_day`).
        Val::TimeOfDay(_) => None,
        Val::Weekend => {
            let to_saturday = (5 + 7 - reference.weekday().num_days_from_monday()) % 7;
            let saturday = match reference.weekday() {
                Weekday::Sun => reference.pred_opt()?,
                _ => reference.checked_add_days(Days::new(u64::from(to_saturday)))?,
            };
            Some(period(saturday, saturday.succ_opt()?, reference))
        }
        Val::WeekdayThisWeek(weekday) => {
            let monday = reference
                .checked_sub_days(Days::new(u64::from(reference.weekday().num_days_from_monday())))?;
            let day = monday.checked_add_days(Days::new(u64::from(weekday.checked_sub(1)?)))?;
            (day >= reference).then(|| point(day))
        }
        Val::WeekdayNextWeek(weekday) => {
            let monday = reference
                .checked_sub_days(Days::new(u64::from(reference.weekday().num_days_from_monday())))?
                .checked_add_days(Days::new(7))?;
            Some(point(
                monday.checked_add_days(Days::new(u64::from(weekday.checked_sub(1)?)))?,
            ))
        }
        Val::WeekdayAfter { weekday, ref anchor } => {
            let after = resolve(anchor, reference, day_first)?.last.succ_opt()?;
            Some(point(weekday_on_or_after(after, weekday)?))
        }
        Val::WeekFrom(ref inner) => {
            let day = resolve(inner, reference, day_first)?.first;
            Some(period(day, day.checked_add_days(Days::new(6))?, reference))
        }
        Val::Range(ref a, ref b) => {
            let end = match (&**a, &**b) {
                (Val::Weekday(_), Val::Weekday(wb)) => {
                    let start = resolve(a, reference, day_first)?.first;
                    point(weekday_on_or_after(start, *wb)?)
                }
                _ => resolve(b, reference, day_first)?,
            };
            Some(Resolved {
                kind: if end.kind == ResKind::Final {
                    ResKind::Final
                } else {
                    ResKind::Point
                },
                ..end
            })
        }
    }
}

#[cfg(test)]
mod tests;
