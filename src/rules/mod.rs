//! Rule files and reply classification.
//!
//! A [`RuleSet`] is loaded once from the shipped rule files (embedded in the binary) and the
//! operator's directories, with every regex compiled up front; then [`classify()`] and
//! [`analyze`] are pure functions of their inputs. The file format is described in
//! `rules/README.md` and in [`format`](mod@format).
//!
//! **Invariant:** after loading, nothing here does I/O, reads the clock or logs above `debug`.

pub mod classify;
pub mod format;
mod letters;
mod matcher;
pub mod meeting;
pub mod parse;
pub mod reply;
pub mod text;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

use crate::dates::{Basis, DateContext, Lang, ReturnDate};
use crate::rules::format::CompiledFile;
use crate::rules::parse::ParseError;
use crate::rules::reply::Reply;

pub use crate::rules::classify::classify;

/// The shipped rule files, embedded so that an installed binary has them.
const SHIPPED: &[(&str, &str)] = &[
    ("rules/bounce.toml", include_str!("../../rules/bounce.toml")),
    (
        "rules/unsubscribe.toml",
        include_str!("../../rules/unsubscribe.toml"),
    ),
    (
        "rules/out_of_office.toml",
        include_str!("../../rules/out_of_office.toml"),
    ),
    ("rules/callback.toml", include_str!("../../rules/callback.toml")),
    (
        "rules/auto_reply.toml",
        include_str!("../../rules/auto_reply.toml"),
    ),
    ("rules/human.toml", include_str!("../../rules/human.toml")),
    (
        "rules/meeting_booked.toml",
        include_str!("../../rules/meeting_booked.toml"),
    ),
];

/// How far ahead a return date is trusted, in days, unless the caller says otherwise.
pub const DEFAULT_MAX_AHEAD_DAYS: i64 = 365;

/// What a reply is, for the decision: each category has its own effect on the lead
/// (the campaign's `stop_on` and policy say which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// A delivery failure notice (non-delivery report, RFC 3464 `failed`).
    Bounce,
    /// The person asks not to be contacted again.
    Unsubscribe,
    /// An out-of-office or vacation reply.
    OutOfOffice,
    /// The person asks to be contacted later ("call me next week").
    Callback,
    /// Any other machine reply: ticket receipts, "we got your mail", delayed-delivery notices.
    AutoReply,
    /// A meeting with the lead is booked: the lead accepted or sent an invitation, or a
    /// scheduler confirms a booking naming the lead (see `rules::meeting`). Stops the lead.
    MeetingBooked,
    /// A person's reply; the default.
    Human,
}

/// What RFC 3464 says about delivery, independent of the rule that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// At least one recipient failed permanently (`Action: failed` or status `5.x.x`).
    Failed,
    /// Delivery is only delayed (`Action: delayed` or status `4.x.x`); the server keeps trying.
    /// This is a soft signal, not a bounce that stops the lead.
    Delayed,
}

/// The verdict on one reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The category: what the decision on the reply starts from.
    pub category: Category,
    /// The rule that fired; `None` when no rule did and the reply is human by default.
    pub rule: Option<String>,
    /// The file of that rule, as loaded (`rules/bounce.toml` for shipped ones).
    pub file: Option<String>,
    /// The rule's language, when it has one.
    pub language: Option<Lang>,
    /// The rule's evidence score (text weight plus header weights).
    pub score: i32,
    /// The delivery status report's verdict, when the reply carries one.
    pub delivery: Option<Delivery>,
    /// An `out_of_office` rule's `none` patterns matched ("happy to chat", "will you be at
    /// the fair too?", "I was on leave"): the rule files say this reply is no absence, so
    /// the absence fallback of [`analyze_reply`] stays away from it.
    pub absence_vetoed: bool,
}

/// A reply, its classification and, for `out_of_office` and `callback`, the return date.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The normalised reply the rules read (what `rules explain` shows).
    pub reply: Reply,
    /// The rules' verdict on it.
    pub classification: Classification,
    /// The first day the person is back (or asks to be contacted), with its evidence.
    /// Offsets of its span are into [`date_text`] of the reply.
    pub return_date: Option<ReturnDate>,
}

/// A loaded, compiled set of rules.
#[derive(Debug)]
pub struct RuleSet {
    pub(crate) files: Vec<CompiledFile>,
    /// The accented words the patterns look for, to mend words whose letters a mailer lost
    /// (see `letters`); built the first time a reply has such a word.
    lexicon: std::sync::OnceLock<letters::Lexicon>,
}

/// A rule file could not be read or is wrong.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// The file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory, so the message names it.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A rule file could not be read within its size and time limits.
    #[error(transparent)]
    Read(#[from] crate::input::ReadError),
    /// The file is wrong; `item` names the rule or test when known.
    #[error("{file}:{line}: {}{message}", item.as_ref().map(|i| format!("{i}: ")).unwrap_or_default())]
    Invalid {
        /// The file, as loaded.
        file: String,
        /// The 1-based line.
        line: usize,
        /// `rule "name"` or `test "name"`, when the problem is inside one.
        item: Option<String>,
        /// What is wrong, lowercase.
        message: String,
    },
}

/// The outcome of one `[[test]]` example.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    /// The file the example is in.
    pub file: String,
    /// The example's line.
    pub line: usize,
    /// The example's name (or its number in the file).
    pub name: String,
    /// `None` when it passed; else what went wrong.
    pub failure: Option<String>,
}

impl Category {
    /// Every category, in precedence order.
    pub const ALL: [Category; 7] = [
        Category::Bounce,
        Category::Unsubscribe,
        Category::MeetingBooked,
        Category::OutOfOffice,
        Category::Callback,
        Category::AutoReply,
        Category::Human,
    ];

    /// The name used in rule files and output (`out_of_office`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Bounce => "bounce",
            Category::Unsubscribe => "unsubscribe",
            Category::OutOfOffice => "out_of_office",
            Category::Callback => "callback",
            Category::AutoReply => "auto_reply",
            Category::Human => "human",
            Category::MeetingBooked => "meeting_booked",
        }
    }

    /// Parses the name used in rule files.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The priority a rule of this category gets when its file does not say.
    pub fn default_priority(self) -> i32 {
        match self {
            Category::Bounce => 1000,
            Category::Unsubscribe => 800,
            Category::MeetingBooked => 700,
            Category::OutOfOffice => 600,
            Category::Callback => 400,
            Category::Human => 300,
            Category::AutoReply => 200,
        }
    }

    /// Whether replies of this category carry a return date.
    pub fn wants_date(self) -> bool {
        matches!(self, Category::OutOfOffice | Category::Callback)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tag of a language in rule files and output (`en`, `de`, ...).
pub fn lang_tag(lang: Lang) -> &'static str {
    lang.code()
}

/// Parses a language tag exactly as rule files write it; `None` for unknown tags.
pub fn parse_lang(tag: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == tag)
}

impl RuleSet {
    /// The shipped rules plus every `*.toml` in `dirs` (in order, files sorted by name).
    ///
    /// A rule in a later file with the name of an earlier rule replaces it.
    ///
    /// # Errors
    /// When a directory or file cannot be read, or a file is wrong (see [`RuleError`]).
    pub fn load(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut sources: Vec<(String, String)> = SHIPPED
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        for dir in dirs {
            sources.extend(read_dir(dir)?);
        }
        RuleSet::from_sources(&sources)
    }

    /// Only the rule files in `dirs`, without the shipped rules (`cadenced rules test DIR`).
    ///
    /// # Errors
    /// As [`RuleSet::load`].
    pub fn load_dirs(dirs: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut sources = Vec::new();
        for dir in dirs {
            sources.extend(read_dir(dir)?);
        }
        RuleSet::from_sources(&sources)
    }

    /// The shipped rules only.
    ///
    /// # Errors
    /// Never for a released binary: the shipped files are tested; the type says it can.
    pub fn shipped() -> Result<RuleSet, RuleError> {
        RuleSet::load(&[])
    }

    /// Compiles rule files given as (display name, TOML text), in load order.
    ///
    /// # Errors
    /// When a file is wrong (see [`RuleError`]).
    pub fn from_sources(sources: &[(String, String)]) -> Result<RuleSet, RuleError> {
        let mut files: Vec<CompiledFile> = Vec::with_capacity(sources.len());
        for (name, text) in sources {
            let file = format::compile(name, text)?;
            // A later rule of the same name replaces the earlier one.
            for rule in &file.rules {
                for earlier in &mut files {
                    for old in &mut earlier.rules {
                        if old.name == rule.name {
                            tracing::debug!(rule = %rule.name, file = %name, "Rule replaces an earlier one.");
                            old.enabled = false;
                        }
                    }
                }
            }
            files.push(file);
        }
        Ok(RuleSet {
            files,
            lexicon: std::sync::OnceLock::new(),
        })
    }

    /// Mends the words of `reply` whose accented letters a mailer turned into U+FFFD
    /// ("zur\u{FFFD}ck" becomes "zurück"), from the words the rules look for: without it
    /// no pattern and no date word sees them. Costs a scan when nothing was lost.
    pub fn mend_lost_letters(&self, reply: &mut Reply) {
        let lost = char::REPLACEMENT_CHARACTER;
        if !reply.text.contains(lost) && !reply.subject.contains(lost) {
            return;
        }
        let lexicon = self.lexicon.get_or_init(|| {
            letters::Lexicon::new(self.files.iter().flat_map(|file| {
                [&file.subject, &file.body]
                    .into_iter()
                    .filter_map(|field| field.set.as_ref())
                    .flat_map(|set| set.sources().iter().map(String::as_str))
            }))
        });
        if let Some(text) = lexicon.repair(&reply.text) {
            reply.text = text;
        }
        if let Some(subject) = lexicon.repair(&reply.subject) {
            reply.subject = subject;
        }
    }

    /// How many enabled rules the set holds.
    pub fn rule_count(&self) -> usize {
        self.files
            .iter()
            .flat_map(|f| f.rules.iter())
            .filter(|r| r.enabled)
            .count()
    }

    /// (rule name, category, language tag) of every enabled rule, in load order.
    pub fn rules(&self) -> Vec<(&str, Category, &str)> {
        self.files
            .iter()
            .flat_map(|f| f.rules.iter())
            .filter(|r| r.enabled)
            .map(|r| {
                (
                    r.name.as_str(),
                    r.category,
                    r.language.map(lang_tag).unwrap_or("any"),
                )
            })
            .collect()
    }

    /// Runs every file's `[[test]]` examples against the whole set. Pure.
    pub fn run_tests(&self) -> Vec<TestOutcome> {
        let mut outcomes = Vec::new();
        for file in &self.files {
            for test in &file.tests {
                outcomes.push(TestOutcome {
                    file: file.name.clone(),
                    line: test.line,
                    name: test.name.clone(),
                    failure: test.check(self),
                });
            }
        }
        outcomes
    }
}

/// Reads every `*.toml` in `dir`, sorted by file name.
fn read_dir(dir: &Path) -> Result<Vec<(String, String)>, RuleError> {
    let io = |source| RuleError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let text = crate::input::read_text(&path, crate::input::RULE_FILE)?;
        out.push((path.display().to_string(), text));
    }
    Ok(out)
}

/// The text the return date is searched in: the subject when the writer wrote it (not a
/// "Re:" or "Automatic reply:" of ours), a blank line, then the reply's own words.
pub fn date_text(reply: &Reply) -> String {
    match text::own_subject(&reply.subject) {
        Some(subject) => format!("{subject}\n\n{}", reply.text),
        None => reply.text.clone(),
    }
}

/// Classifies a parsed reply and, for `out_of_office` and `callback`, finds the return date.
///
/// `tz` is the lead's timezone; `now_fallback` stands in for the `Date` header when the
/// reply has none (the caller passes the time it received the message).
pub fn analyze_reply(
    mut reply: Reply,
    rules: &RuleSet,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) -> Analysis {
    rules.mend_lost_letters(&mut reply);
    let mut classification = classify(&reply, rules);
    let return_date = match reconsider(&reply, &mut classification, tz, now_fallback) {
        // Reclassified: the language is still none, so the dates read there are the same.
        Reconsidered::Changed(found) => found,
        Reconsidered::Unchanged => return_date(&reply, &classification, tz, now_fallback),
    };
    let return_date = if let Some((category, rule)) =
        not_the_writers_absence(&reply, &classification, return_date.as_ref(), tz, now_fallback)
    {
        classification.category = category;
        classification.rule = Some(rule.to_string());
        classification.file = None;
        None
    } else {
        return_date
    };
    Analysis {
        reply,
        classification,
        return_date,
    }
}

/// The rule name of a reply that no rule read as an absence but whose writer says they are
/// away or back on a day: an `out_of_office` found by the date extractor's cues.
pub const BUILTIN_DATED_ABSENCE: &str = "builtin-dated-absence";
/// The rule name of a reply that no rule read as a call-back but whose writer asks to be
/// contacted on a day ("call me next week", "à recontacter mardi"): a `callback` until then.
pub const BUILTIN_CALLBACK: &str = "builtin-callback";
/// The rule name of a reply in which the writer says they are away, without a date, that
/// no rule recognised (see [`crate::dates::writer_away`]).
pub const BUILTIN_ABSENCE: &str = "builtin-absence";
/// The rule name of a reply that an absence rule read but in which the writer tells of
/// someone else's absence and is there themselves (see [`crate::dates::colleague_reply`]):
/// a `human` reply, for the rep.
pub const BUILTIN_COLLEAGUE: &str = "builtin-colleague";

/// The rule name of a person's reply that an absence rule read but whose writer, there now,
/// asks for something to be done before an absence that has not begun ("let's sign before
/// I leave on Friday"; see [`crate::dates::acts_before`]): `human`, for the rep.
pub const BUILTIN_BEFORE_LEAVING: &str = "builtin-before-leaving";

/// The rule name of a reply that lays out a house's hours with days closed still to come
/// ("Öffnungszeiten: Mo–Fr 8–17 Uhr. Am 24.12. und 31.12. bleibt das Geschäft geschlossen"),
/// written while the house is open and nobody says they are away: a timetable, no absence
/// now. `human` when someone speaks in it, else `auto_reply` (a receipt's).
pub const BUILTIN_HOURS_AHEAD: &str = "builtin-hours-ahead";

/// The rule name of a person's reply that an absence rule read but whose absences are all
/// over or asked about ("I was on holiday last week, what does it cost?"); see
/// [`not_the_writers_absence`].
pub const BUILTIN_MENTION: &str = "builtin-mention";
/// The rule name `classify` gives a reply that only its `Auto-Submitted` header marks as a
/// machine's.
pub const BUILTIN_AUTO_SUBMITTED: &str = "builtin-auto-submitted";
/// The shipped rule (`rules/auto_reply.toml`) that knows a machine answered only from the
/// subject's prefix ("Automatic reply:", "Réponse automatique :") or the responder's headers:
/// what such a reply says is left to the reading of its text, as for
/// [`BUILTIN_AUTO_SUBMITTED`]. Outlook titles every absence notice so.
pub const AUTO_REPLY_HEADERS: &str = "auto-reply-headers";
/// An absence that begins at most this many days after the reply counts as one now: a step
/// sent in the meantime would arrive while the writer is away or about to leave. One that
/// begins later is a person's plan ("I'm on parental leave from March, let's talk
/// Thursday").
const ABSENCE_SOON_DAYS: u64 = 45;

/// What a mistake costs (DESIGN "Replies", point 7): reading an absence as a person's reply
/// stops the lead for good. So a `human` reply that no absence rule recognised, but in which
/// the writer says they are away or back on a day, becomes an `out_of_office` until that day
/// (rule [`BUILTIN_DATED_ABSENCE`]); one in which they say they are away without a day, an
/// `out_of_office` for the campaign's default ([`BUILTIN_ABSENCE`]); one who asks to be
/// contacted later ("call me next month", "à rappeler mardi"), a `callback` until then
/// ([`BUILTIN_CALLBACK`]).
/// A machine's reply that no rule read (only its `Auto-Submitted` header or its subject's
/// prefix said so) is read the same way; a `callback` a rule read becomes an `out_of_office`
/// only when the writer, in the first person, is away or back on a day ("I have vacation
/// until 09.10., please write me again after"). An `out_of_office` rule's `none` patterns veto it, unless the writer names a
/// return day still ahead ("I've been away since July and will be back on 24 August"); an absence that only begins
/// more than `ABSENCE_SOON_DAYS` (45) days from now ("I'm on parental leave from March, but
/// let's meet on Thursday") is a person's plan, not an absence now; a person proposing a day
/// of the coming week to the reader ("could we talk on Thursday?", "hablemos el jueves")
/// stays a person's reply. `tz` places the reply's day; `now_fallback` stands in for a
/// missing `Date`.
pub fn reconsider_absence(
    reply: &Reply,
    classification: &mut Classification,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) {
    reconsider(reply, classification, tz, now_fallback);
}

/// What [`reconsider`] did: the dates it read come back with a new reading, so that
/// [`analyze_reply`] does not read them a second time (they cost a third of a reply's time).
enum Reconsidered {
    /// The reading stands.
    Unchanged,
    /// A new category and rule; the return date as the extractor read it (language unknown,
    /// which is what [`return_date`] would use for a reply no rule of a language read).
    Changed(Option<ReturnDate>),
}

/// "Maria ist bis zum 14. im Urlaub, ich leite Ihre Mail weiter": an `out_of_office` that
/// an absence rule read, with no return day of the writer's (`found`, the dates read for
/// it), in which the writer, there and speaking, tells of someone else's absence (see
/// [`crate::dates::colleague_reply`]): a colleague's answer, `human` for the rep (rule
/// [`BUILTIN_COLLEAGUE`]). Not a machine's reply (its headers or its subject's prefix say
/// so), nor the sender's own absence (its display name is the one away). Asked after the
/// dates are read, so that the common notice with its day costs no second reading; the
/// watcher asks it when it reads the day in the person's zone.
///
/// The same holds for a person's reply in which every absence is over or asked about ("ik
/// was vorige week op vakantie, wat kost het?", "¿y si nos vamos de vacaciones?"; see
/// [`crate::dates::absence_mentioned`], rule [`BUILTIN_MENTION`]), and for the writer's own
/// absence that has not begun (its first day after the reply's, in `tz`, with
/// `now_fallback` for a reply without a `Date`) when the writer asks the reader for
/// something before it ([`crate::dates::acts_before`], rule [`BUILTIN_BEFORE_LEAVING`]). The
/// rule name of the reading, or `None` when the absence stands.
pub fn not_the_writers_absence(
    reply: &Reply,
    classification: &Classification,
    found: Option<&ReturnDate>,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) -> Option<(Category, &'static str)> {
    let by_person = classification.category == Category::OutOfOffice
        && !classify::auto_responder(reply)
        && !text::machine_subject(&reply.subject);
    // A rule's reading; the built-in readings of the writer's absence are asked only whether
    // it has begun.
    let person = by_person && classification.file.is_some();
    let builtin = by_person
        && matches!(
            classification.rule.as_deref(),
            Some(BUILTIN_ABSENCE | BUILTIN_DATED_ABSENCE)
        );
    if !person && !builtin {
        return None;
    }
    // The writer's own absence, not begun, with something asked before it ("I'm on holiday
    // from Monday, send me the contract today and I'll sign it before I leave").
    if let Some(found) = found.filter(|found| found.writer) {
        let today = received_day(reply, tz, now_fallback);
        let ahead = found.away_from.is_some_and(|from| from > today);
        let text = date_text(reply);
        // (A day read that is the deadline asked for, "antes del 25 de julio", with the
        // absence begun later elsewhere: "en agosto me voy de vacaciones".) The cheap
        // conditions first: most notices are dated and under way.
        let deadline = !ahead && found.away_from.is_none() && deadline_said(&found.evidence);
        if (ahead || deadline)
            && crate::dates::acts_before(&text)
            && (ahead || crate::dates::leaves_later(&text, today))
        {
            return Some((Category::Human, BUILTIN_BEFORE_LEAVING));
        }
        // "Unsere Öffnungszeiten: Mo–Fr 8–17 Uhr. Am 24.12. und 31.12. bleibt das Geschäft
        // geschlossen", "yes we can do the demo. Our showroom hours over Christmas are: 24 Dec
        // 9am-1pm, closed 25-28 Dec": a house's timetable with days closed still to come, the
        // house open now; nobody said "I am away". A receipt's stays a machine's; one where
        // someone speaks, a person's answer. A return whose closure has no first day said
        // ("reopening 29 Dec") begins later when the text names days before it still to
        // come.
        // So is a closure ahead of which the house says it is open until then ("Bis dahin
        // sind wir wie gewohnt für Sie da").
        // (Its "nous restons joignables" is a return said in the first person, which only
        // the hours' reading may not hold.)
        let hours =
            || crate::dates::hours_laid_out(&text) && !crate::dates::away_in_first_person(&text, true);
        let timetable = if ahead {
            hours()
                || crate::dates::open_until_then(&text) && !crate::dates::away_in_first_person(&text, false)
        } else {
            found.away_from.is_none()
                && found.basis == Basis::Return
                && hours()
                && crate::dates::names_a_day_before(&text, today, found.date)
        };
        // ("Estaremos fechados": the house's "we" of a closure.)
        if timetable && !crate::dates::said_in_person(&text, found.span.start) {
            let category = if crate::dates::speaks_in_person(&text) {
                Category::Human
            } else {
                Category::AutoReply
            };
            return Some((category, BUILTIN_HOURS_AHEAD));
        }
        return None;
    }
    let text = date_text(reply);
    // ... and one with no return said ("ich bin ab Mitte Mai in Karenz, bis dahin könnten
    // wir uns gern austauschen").
    // (A day read that is not the writer's return, before the absence begins, is one they
    // are there on: "kun je morgen bellen?")
    if found.is_none_or(|found| !found.writer)
        && crate::dates::acts_before(&text)
        && crate::dates::leaves_on(&text, received_day(reply, tz, now_fallback))
            .is_some_and(|first| found.is_none_or(|found| found.date < first))
    {
        return Some((Category::Human, BUILTIN_BEFORE_LEAVING));
    }
    if !person {
        return None;
    }
    if crate::dates::colleague_reply(&text, &writer_names(reply), classification.language) {
        Some((Category::Human, BUILTIN_COLLEAGUE))
    } else if crate::dates::absence_mentioned(&text, found.map(|found| found.span.start))
        || (crate::dates::open_as_usual(&text, None) && crate::dates::writer_away(&text).is_none())
    {
        Some((Category::Human, BUILTIN_MENTION))
    } else {
        None
    }
}

/// [`reconsider_absence`], returning the dates it read when it changed the reading.
fn reconsider(
    reply: &Reply,
    classification: &mut Classification,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) -> Reconsidered {
    let category = classification.category;
    let headers_only = category == Category::AutoReply
        && matches!(
            classification.rule.as_deref(),
            Some(BUILTIN_AUTO_SUBMITTED | AUTO_REPLY_HEADERS)
        );
    // "Your request has been received. The Help Desk is closed for Thanksgiving and will
    // reopen on Monday": a receipt that a rule read, which also announces the sender's
    // closure with its end. Only such a dated absence turns it into an `out_of_office`; a
    // receipt's promise of an answer or its office hours leave it a receipt. A receipt is
    // read from its words by a rule of a language; the structural readings (delay notices,
    // read receipts, filter notices: language "any") keep theirs.
    let receipt = category == Category::AutoReply && !headers_only && classification.language.is_some();
    // "I have vacation until 09.10., please write me again after": a call-back rule read the
    // plea, but the writer is away with a return day, which is an absence (DESIGN "Replies",
    // point 7; the call-back rules sit below the absence rules for this reason, and a
    // writer's own wording the absence rules miss is read here from the dates).
    let asked_back = category == Category::Callback;
    if !(category == Category::Human || headers_only || receipt || asked_back) {
        return Reconsidered::Unchanged;
    }
    let ctx = date_context(reply, None, tz, now_fallback);
    let now = received_day(reply, tz, now_fallback);
    let soon = now
        .checked_add_days(chrono::Days::new(ABSENCE_SOON_DAYS))
        .unwrap_or(now);
    let text = date_text(reply);
    let week = now.checked_add_days(chrono::Days::new(7)).unwrap_or(now);
    let found = crate::dates::read_return(&text, &ctx);
    // "I'm on leave, back in early December": the writer's own absence with a return no day
    // can be put on; it pauses for the default rather than stops (DESIGN "Replies", point 7).
    let vaguely_away = found.as_ref().is_some_and(|found| {
        found.vague
            && found.date > now
            && found.away_from.is_none_or(|from| from <= soon)
            && found.writer
            && !found.weekly
            && matches!(found.basis, Basis::Absence | Basis::Return)
            && (found.absence_said || found.returning)
    });
    // "Urlop zaplanowałam na początek sierpnia", written in December: a plan, as below.
    let planned_vaguely = found
        .as_ref()
        .is_some_and(|found| found.vague && found.writer && found.away_from.is_some_and(|from| from > soon));
    let found = found.filter(|found| !found.vague);
    // A veto speaks of an absence that is over ("I've been away, sorry") or of a person's
    // manners; a return day still ahead in the writer's own clause ("I've been away since
    // July and will be back on 24 August") says the absence is not over, so it still counts.
    // So does the writer's own absence under way, with its end ("Je suis absent du 4 au 22
    // août. Ma collègue sera absente du 25 août au 5 septembre"): the veto spoke of the
    // colleague.
    // Asked only of a vetoed reply: the first-person check reads the text again.
    let still_away = || {
        found.as_ref().is_some_and(|found| {
            let under_way = found.basis == Basis::Absence
                && found.absence_said
                && found.away_from.is_none_or(|from| from <= now)
                && crate::dates::said_in_first_person(&text, found.span.start);
            found.writer && found.date > now && (found.basis == Basis::Return && found.returning || under_way)
        })
    };
    // So does the writer's own absence said in the present beside the one that is over ("I
    // was on holiday last week and I'm off again until Monday", "ich war im Urlaub und bin
    // jetzt krankgeschrieben"): the veto spoke of the other one.
    let date_at = found
        .as_ref()
        .filter(|found| {
            found.writer && found.date > now && matches!(found.basis, Basis::Absence | Basis::Return)
        })
        .map(|found| found.span.start);
    // "Ich bin nicht im Urlaub, aber bis Freitag krankgeschrieben": a veto of an absence
    // denied, and the writer's dated absence after a "but" in the same sentence.
    let contrasted_absence = || {
        found.as_ref().is_some_and(|found| {
            found.writer
                && found.date > now
                && matches!(found.basis, Basis::Absence | Basis::Return)
                && found.absence_said
                && text.get(..found.span.start).is_some_and(|before| {
                    let sentence = before
                        .rsplit(['.', '!', '?', '\n'])
                        .next()
                        .unwrap_or(before)
                        .to_lowercase();
                    sentence
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|word| CONTRASTS.contains(&word))
                })
        })
    };
    // "Call me next week", "à recontacter en septembre", "à rappeler mardi": the writer asks
    // to be contacted later, which pauses until then (DESIGN "Replies", point 6) rather than
    // stops. A day within the week proposed to the reader ("could we do a call on
    // Thursday?", "on s'appelle jeudi ?", "hablemos el jueves") is an appointment being
    // made: a person's answer, for the rep.
    // "Ora non riesco, sentiamoci giovedì": a day proposed by a writer who cannot take it now
    // puts the reader off until then, as "call me Thursday" does.
    let unable_now = || crate::dates::unable_now(&text);
    // A day put to the reader within the week is an appointment being made; a later one, or a
    // stretch, is a time to be contacted.
    let no_appointment =
        |found: &ReturnDate| !found.one_day || found.date > week || !proposal(&text, &found.span);
    let deferred = found.as_ref().is_some_and(|found| {
        found.basis == Basis::Callback
            // "In a workshop till lunch, call after 3 pm": an absence for part of the day
            // asks for the call at its hour.
            && found.writer
            && !found.weekly
            // "Call me at 4 pm", written at noon: today, still ahead.
            && (found.date > now || found.at_time && found.date == now)
            && ((!found.absence_said || found.at_time)
                && no_appointment(found)
                || unable_now())
    });
    // "担当者が出張で不在にしておりますので、10日の金曜日にかけ直していただけますか": the veto
    // spoke of the colleague's absence; the writer's own request to be called then stands.
    // "Visit our stand from 9 to 13 March ... only limited access to email": the veto spoke
    // of the invitation; the notice around it is an absence.
    // "El Sr. Molina está de baja médica y no atiende este correo": a titled person's absence
    // in a notice that speaks of nobody as "I" is the mailbox owner's, not a colleague's.
    if classification.absence_vetoed
        && !deferred
        && !still_away()
        && !crate::dates::away_again(&text, date_at)
        && !crate::dates::mail_limited(&text)
        && !crate::dates::owner_away(&text, &writer_names(reply))
        && !crate::dates::written_on_behalf(&text)
        && !contrasted_absence()
    {
        return Reconsidered::Unchanged;
    }
    let read = found.clone();
    let found = found.filter(|found| {
        let tied = match found.basis {
            Basis::Absence => true,
            Basis::Return => found.absence_said || found.returning,
            // "Closed from the 11th to the 24th; contact us from Monday the 25th": an absence
            // with the day to get in touch again.
            // ("We are busy with year-end closing. Please write again in March, then we can
            // discuss": a talk put to a month ahead is no appointment being made.)
            Basis::Callback => found.absence_said && no_appointment(found),
            Basis::Unmarked => false,
        };
        tied && found.writer && !found.weekly
    });
    // A plan, too: "I'm off from Monday for two weeks, so let's sign before then", where the
    // writer is there now and asks for something before the absence; for the rep.
    let away_from = found.as_ref().and_then(|found| found.away_from);
    let planned = planned_vaguely
        || away_from.is_some_and(|from| from > soon)
        || away_from.is_some_and(|from| from > now) && crate::dates::acts_before(&text);
    let found = found.filter(|found| found.date > now && !planned);
    // "Während der Betriebsferien bleibt unser Laden geöffnet": a season told of, the house open.
    let open = |at: Option<usize>| crate::dates::open_as_usual(&text, at);
    let reading = match &found {
        Some(found) if receipt => (found.absence_said && found.basis != Basis::Callback && !found.counted)
            .then_some((Category::OutOfOffice, BUILTIN_DATED_ABSENCE)),
        _ if receipt => None,
        _ if deferred => Some((Category::Callback, BUILTIN_CALLBACK)),
        // "I'm back next week. Does Nov 20 work for a call?": an appointment, for the rep.
        // But a writer away now who names the day to talk after their return ("to viajando,
        // volto quarta... na quinta a gente conversa?") pauses until they are back (DESIGN
        // "Replies", point 7: "I'm away until the 5th, let's talk then").
        Some(found) if !found.absence_said && crate::dates::proposes_a_day(&text, &found.span) => None,
        Some(found) if open(Some(found.span.start)) => None,
        Some(_) => Some((Category::OutOfOffice, BUILTIN_DATED_ABSENCE)),
        None if !planned => {
            // Asked in this order: most replies say no absence, and the open-as-usual reading
            // folds the text again.
            // "Dr. Smith is on leave": a titled person's absence in a notice that speaks of
            // nobody as "I" is the mailbox owner's.
            let away = crate::dates::writer_away(&text).is_some()
                || crate::dates::owner_away(&text, &writer_names(reply));
            (away || vaguely_away && !open(None)).then_some((Category::OutOfOffice, BUILTIN_ABSENCE))
        }
        None => None,
    };
    // A call-back only ever becomes the writer's dated absence, said in the first person.
    let reading = reading.filter(|(category, _)| {
        !asked_back
            || *category == Category::OutOfOffice
                && found.as_ref().is_some_and(|found| {
                    found.absence_said
                        && matches!(found.basis, Basis::Absence | Basis::Return)
                        && crate::dates::said_in_first_person(&text, found.span.start)
                })
    });
    let Some((category, rule)) = reading else {
        return Reconsidered::Unchanged;
    };
    classification.category = category;
    classification.rule = Some(rule.to_string());
    classification.file = None;
    Reconsidered::Changed(read)
}

/// The sentence of `text` that holds `span` puts a day to the reader as a proposal: a question
/// ("could we do a call on Thursday?") or a "let us" ("hablemos el jueves", "ci sentiamo
/// giovedì", "on s'appelle jeudi", "dinsdag kunnen we bellen"). That is an appointment being
/// made, for the rep; "call me Thursday", "à rappeler mardi" ask to be contacted then.
/// Chinese, Japanese and Korean pleas to call or write (see [`proposal`]).
const CJK_ASKS: &[&str] = &[
    "메일 주",
    "跟我聯絡",
    "跟我联系",
    "전화 주",
    "전화주",
    "연락 주",
    "연락주",
    "打给我",
    "打給我",
    "联系我",
    "聯絡我",
    "联络我",
    "搵我",
    "ご連絡ください",
    "お電話ください",
    "ご連絡いただ",
    "お電話いただ",
];

fn proposal(text: &str, span: &std::ops::Range<usize>) -> bool {
    let ends = |c: char| matches!(c, '.' | '!' | '?' | '\n' | '。' | '？' | '！');
    let start = text
        .get(..span.start)
        .and_then(|before| before.rfind(ends))
        .map_or(0, |at| at + 1);
    let rest = text.get(span.end..).unwrap_or("");
    let end = rest.find(ends).map_or(text.len(), |at| span.end + at);
    // "Ring mig på måndag så tar vi det", "call me on Monday and we'll take it from there":
    // the writer asks to be called; the "we" after it is what follows the call. So does
    // "can you call me back at 2:30?", a question.
    // The writer as the object may stand anywhere in the day's sentence: "llámame después
    // de las 5 y hablamos", "Kunt u mij na 16.00 uur bellen?", "16:00'dan sonra beni
    // arayabilir misiniz?".
    // Spanish "mi" is "my" ("mi hija está enferma, pero hablemos mañana"): outside the
    // day's own words only the unambiguous ones count.
    // The day's sentence, lowercased and split once, for both questions.
    let sentence = text.get(start..end).unwrap_or("").to_lowercase();
    let words: Vec<&str> = sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // "Kindly revert after 15th July, we can discuss then", "pls call on 18th": a plea to
    // the reader (Indian and African English: "revert" is "answer me"), no proposal.
    let asker =
        |w: &str| ASKER.contains(&w) || enclitic_asker(w) || matches!(w, "revert" | "kindly" | "pls" | "plz");
    let asked = text
        .get(span.clone())
        .unwrap_or("")
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(asker)
        || words.iter().any(|w| *w != "mi" && asker(w))
        // Chinese, Japanese and Korean ask with the verb, no object pronoun to split off:
        // "다음 주 화요일에 전화 주시겠어요?", "周二打给我好吗？".
        || CJK_ASKS.iter().any(|ask| sentence.contains(ask));
    if asked {
        return false;
    }
    if text[end..].starts_with(['?', '？']) {
        return true;
    }
    words.iter().enumerate().any(|(k, w)| {
        PROPOSING.contains(w)
            || (*w == "let" && words.get(k + 1).is_some_and(|n| matches!(*n, "s" | "us")))
            || (*w == "on" && words.get(k + 1).is_some_and(|n| matches!(*n, "s" | "se")))
    })
}

/// The writer as the object of a call or a message ("call me", "give us a buzz", "ring mig", "ruf mich an",
/// "rappelez-moi", "llámame" is one word and not here): a request to be contacted, not a
/// proposal to talk.
const ASKER: &[&str] = &[
    "me", "mig", "meg", "mich", "mir", "moi", "mi", "mij", "mnie", "mne", "minulle", "beni", "us", "uns",
    "ons", "oss",
];

/// A calling or writing verb that carries the writer as its object, as Spanish and Italian
/// write them ("llámame", "escríbeme", "contáctame", "chiamami", "scrivimi", "richiamatemi"):
/// the writer asks to be contacted, as "call me" does.
fn enclitic_asker(word: &str) -> bool {
    let object = ["me", "mi", "nos", "ci"]
        .iter()
        .find_map(|suffix| word.strip_suffix(suffix));
    object.is_some_and(|verb| {
        verb.chars().count() >= 4 && ENCLITIC_STEMS.iter().any(|stem| verb.starts_with(stem))
    })
}

/// The stems of the calling and writing verbs of [`enclitic_asker`], accented and not
/// ("llama", "llám-", "escrib-", "contact-", "chiama", "scriv-", "telefona").
const ENCLITIC_STEMS: &[&str] = &[
    "llam",
    "llám",
    "escrib",
    "escríb",
    "contact",
    "contáct",
    "recontact",
    "chiam",
    "richiam",
    "scriv",
    "riscriv",
    "contatt",
    "ricontatt",
    "telefon",
    "teléfon",
    "avís",
    "avis",
];

/// Words of a first-person-plural proposal ("we", "wir", "nous", "hablemos", "sentiamoci",
/// "laten", "vamos", "vi"): the writer proposes to meet or talk rather than asks to be
/// contacted.
const PROPOSING: &[&str] = &[
    "we",
    "shall",
    "wir",
    "uns",
    "nous",
    "hablemos",
    "hablamos",
    "podemos",
    "quedamos",
    "sentiamoci",
    "sentiamo",
    "possiamo",
    "ci",
    "sentirci",
    "vediamoci",
    "kunnen",
    "laten",
    "spreken",
    "vamos",
    "falamos",
    "conversamos",
    "vi",
    "palataan",
    "jutellaan",
    "keskustellaan",
];

/// For `out_of_office` and `callback` replies, the return date read in the lead's zone `tz`;
/// `None` for other categories. The second half of [`analyze_reply`], for callers that learn
/// the lead (and its zone) between classifying and reading dates: the mailbox watcher.
pub fn return_date(
    reply: &Reply,
    classification: &Classification,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) -> Option<ReturnDate> {
    if !classification.category.wants_date() {
        return None;
    }
    let ctx = date_context(reply, classification.language, tz, now_fallback);
    // "Melden Sie sich Mitte Januar wieder": asked to call back about then, the rep pauses
    // until about then; an absence with no certain day takes the default pause.
    crate::dates::read_return(&date_text(reply), &ctx)
        .filter(|found| !found.vague || classification.category == Category::Callback)
}

/// The reply's day in `tz`: its `Date`, or `now_fallback` when it has none (as
/// [`date_context`] reads it).
fn received_day(reply: &Reply, tz: Tz, now_fallback: DateTime<FixedOffset>) -> chrono::NaiveDate {
    reply.date.unwrap_or(now_fallback).with_timezone(&tz).date_naive()
}

/// What the date extractor knows of a reply: its `Date` (else `now_fallback`) seen in `tz`,
/// the language of the rule that fired, the sender's region.
/// Words of contrast that turn from an absence denied to one said ("but", "aber", "sondern",
/// "mais", "pero", "sino", "ma", "mas", "maar").
const CONTRASTS: &[&str] = &[
    "but", "aber", "sondern", "mais", "pero", "sino", "ma", "mas", "maar",
];

/// Words of "before" that open a deadline's evidence ("antes del 25 de julio", "before end of
/// July", "entro il 10"): a day asked for, which a reply may read as its return.
const DEADLINE_WORDS: &[&str] = &[
    "before", "by", "antes", "avant", "prima", "entro", "vor", "voor", "innan", "inden", "przed", "pred",
    "ennen",
];

/// The evidence of a day read opens with a word of "before" (see [`DEADLINE_WORDS`]).
fn deadline_said(evidence: &str) -> bool {
    evidence
        .split(|c: char| !c.is_alphanumeric())
        .find(|word| !word.is_empty())
        .is_some_and(|word| DEADLINE_WORDS.contains(&word.to_lowercase().as_str()))
}

/// The sender's names, folded, for the readings that tell the writer from someone else.
/// The mailbox owner's names: the sender's, and one the text names as the mailbox's ("an
/// automated response from the mailbox of Richard Amis").
fn writer_names(reply: &Reply) -> Vec<String> {
    let mut names = crate::dates::writer_names(reply.from_name.as_deref(), reply.from.as_deref());
    for name in crate::dates::mailbox_owner_names(&reply.text) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn date_context(
    reply: &Reply,
    lang: Option<Lang>,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) -> DateContext {
    DateContext {
        received_at: reply.date.unwrap_or(now_fallback),
        tz,
        lang,
        region: reply.sender_region(),
        max_ahead_days: DEFAULT_MAX_AHEAD_DAYS,
        writer_names: writer_names(reply),
    }
}

/// Parses raw mail, classifies it and finds the return date: what the CLI and the IMAP
/// ingest call. Pure.
///
/// # Errors
/// When `raw` is not a mail message.
pub fn analyze(
    raw: &[u8],
    rules: &RuleSet,
    tz: Tz,
    now_fallback: DateTime<FixedOffset>,
) -> Result<Analysis, ParseError> {
    let reply = crate::rules::parse::parse(raw)?;
    Ok(analyze_reply(reply, rules, tz, now_fallback))
}

/// The day a test example or a fixture expects, parsed from `YYYY-MM-DD`.
pub(crate) fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
