//! Campaigns as written in a campaign file, validated: steps with their templates, the
//! sending window, limits and the reply policy.
//!
//! **Invariant:** pure. Parsing takes the text and the name to report it under.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::domain::window::Window;

/// A campaign file that was refused: names the file, the line and the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {key}: {message}")]
pub struct CampaignError {
    /// The file's path as the operator gave it, so the message points at it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Dotted key, e.g. `window.start` or `step[2].body`.
    pub key: String,
    /// What is wrong with the value and, where it helps, what is allowed.
    pub message: String,
}

/// A stored campaign whose text no longer parses (an older release wrote it, or it was edited
/// in the database). Its leads stay exactly as they are (nothing completes, stops or is sent)
/// until its file is applied again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("campaign {campaign:?} as stored does not parse ({error}); apply its file again")]
pub struct UnreadableCampaign {
    /// The campaign's name: the file to apply again.
    pub campaign: String,
    /// The parse error of the stored text, for the operator.
    pub error: String,
}

/// The campaign file as written. The database keeps the text itself; `apply` compares the
/// validated [`CampaignSpec`]s to tell an unchanged file from a changed one.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CampaignFile {
    /// The campaign's name: applying a file with a stored name updates that campaign.
    pub name: Spanned<String>,
    /// Sender mailbox name from the config.
    pub mailbox: Spanned<String>,
    /// IANA zone for the window when the lead has none.
    pub timezone: Spanned<String>,
    /// When steps may go out; Monday to Friday, 09:00 to 17:00 when absent.
    pub window: Option<Spanned<RawWindow>>,
    /// Pacing of the mailbox's sends; no cap and no gap when absent.
    #[serde(default)]
    pub limits: Option<Spanned<RawLimits>>,
    /// What replies and clicks do to leads; the defaults of [`Policy`] when absent.
    #[serde(default)]
    pub policy: Option<Spanned<RawPolicy>>,
    /// Link tracking: `tracking = { clicks = true, min_click_delay = "10s" }`.
    #[serde(default)]
    pub tracking: Option<Spanned<RawTracking>>,
    /// The steps, in the order they are sent.
    #[serde(default)]
    pub step: Vec<Spanned<RawStep>>,
}

/// `window = { days, start, end }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    /// `["mon", ...]`.
    pub days: Vec<String>,
    /// `"09:00"`.
    pub start: String,
    /// `"17:00"`, or `"24:00"` for the end of the day.
    pub end: String,
}

/// `limits = { daily_cap, min_gap, jitter }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawLimits {
    /// Most sends per mailbox per day from this campaign.
    pub daily_cap: Option<u32>,
    /// Least time between two sends from the mailbox.
    pub min_gap: Option<String>,
    /// Random extra gap, up to this much.
    pub jitter: Option<String>,
}

/// `[policy]` as written: what replies, clicks and stale pauses do to the leads.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Reply categories that stop a lead; default `human`, `unsubscribe` and `bounce`.
    pub stop_on: Option<Vec<String>>,
    /// Business days added after an out-of-office return date.
    pub resume_buffer_days: Option<u32>,
    /// Pause when an out-of-office reply has no date.
    pub ooo_default_pause: Option<String>,
    /// What a callback without a date does: `hold` (pause for a person) or `ignore`.
    pub callback_without_date: Option<String>,
    /// `all_campaigns` or `this_campaign`.
    pub scope: Option<String>,
    /// A pause without resume date older than this is stale.
    pub stale_after: Option<String>,
    /// `report` or `stop`.
    pub stale_action: Option<String>,
    /// Return dates further ahead than this are not trusted.
    pub max_pause: Option<String>,
    /// What a person's click on a tracked link does: `continue`, `pause` or `stop`.
    pub on_click: Option<String>,
    /// Hard bounces over recent sends that pause the campaign, e.g. `"5%"`; off when absent.
    pub max_bounce_rate: Option<String>,
    /// Recent sends needed before the bounce rate is judged (default 50).
    pub min_sends_for_rate: Option<u32>,
}

/// `tracking = { clicks, min_click_delay }`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawTracking {
    /// Rewrite the links of step bodies to tracked ones (needs `[http]` in the config).
    pub clicks: Option<bool>,
    /// Clicks sooner than this after delivery are a mail gateway's, not a person's.
    pub min_click_delay: Option<String>,
}

/// `[[step]]` as written: one mail of the sequence, its delay after the one before.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// Delay after the previous step (`"0s"` for the first).
    pub delay: String,
    /// Subject template; a threaded step may leave it out.
    pub subject: Option<String>,
    /// Body template with `{{field}}` placeholders.
    pub body: String,
    /// Reply in the previous step's thread.
    #[serde(default)]
    pub thread: bool,
}

/// A validated campaign definition: what the daemon acts on, compared by `apply` to tell a change.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignSpec {
    /// The name it is stored and addressed under; applying a file with the same name updates it.
    pub name: String,
    /// The config mailbox it sends from (and whose replies act on its leads).
    pub mailbox: String,
    /// The zone of the window and the daily cap's day, for leads without their own.
    pub timezone: Tz,
    /// When steps may go out, in the lead's zone.
    pub window: Window,
    /// Pacing: the daily cap, the minimum gap and its jitter (see `domain::plan`).
    pub limits: Limits,
    /// What replies do (stops, out-of-office pauses, scope, stale pauses).
    pub policy: Policy,
    /// Whether links are tracked, and how soon a click can be a person's.
    pub tracking: Tracking,
    /// Steps, first first.
    pub steps: Vec<Step>,
}

/// Link tracking of a campaign (off by default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracking {
    /// Whether the links of step bodies go through `{public_url}/c/TOKEN`.
    pub clicks: bool,
    /// A click sooner than this after delivery never acts (mail gateways open links on
    /// arrival); default 10 s.
    pub min_click_delay: Duration,
}

impl Default for Tracking {
    fn default() -> Self {
        Tracking {
            clicks: false,
            min_click_delay: Duration::from_secs(10),
        }
    }
}

/// What a person's click on a tracked link does to the lead (`policy.on_click`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnClick {
    /// Recorded only (the default).
    Continue,
    /// Paused for a person, without a resume date (reason `clicked`).
    Pause,
    /// Stopped with reason `clicked`.
    Stop,
}

/// The template field the daemon fills itself: the lead's one-click unsubscribe URL. Lead
/// files need no such column; a campaign that uses it needs `[http]` in the config.
pub const UNSUBSCRIBE_URL: &str = "unsubscribe_url";

/// Sending limits: how fast one mailbox may send, so that a campaign looks like a person
/// writing and stays under the provider's limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most sends per mailbox per day from this campaign; `None`: no cap.
    pub daily_cap: Option<u32>,
    /// Least time between two sends from the mailbox; zero when not set.
    pub min_gap: Duration,
    /// Upper bound of a random extra gap added to `min_gap`, so sends do not look machine-timed.
    pub jitter: Duration,
}

/// Where an automatic pause or stop applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every active campaign the person is in.
    AllCampaigns,
    /// Only the campaign the reply belongs to.
    ThisCampaign,
}

/// What the stale-pause upkeep does with a pause older than `stale_after` (`policy.stale_action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleAction {
    /// Only listed by `report`.
    Report,
    /// Stopped with reason `stale_pause`.
    Stop,
}

/// What replies do to the campaign's leads (DESIGN.md "Replies"), read by the pure
/// `domain::decide` and by the stale-pause upkeep.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Categories that stop: any of `human`, `unsubscribe`, `bounce`.
    pub stop_on: BTreeSet<String>,
    /// Business days after an out-of-office return date before the lead resumes (default 1).
    pub resume_buffer_days: u32,
    /// Pause for an out-of-office reply without a date.
    pub ooo_default_pause: Duration,
    /// Whether a callback without a date holds the lead for a person.
    pub callback_hold: bool,
    /// Which of the person's campaigns an automatic pause or stop applies to.
    pub scope: Scope,
    /// Age of a dateless pause that makes it stale.
    pub stale_after: Duration,
    /// Whether stale pauses are only reported or stopped.
    pub stale_action: StaleAction,
    /// How far ahead a return date may be and still be trusted; a later one is not used.
    pub max_pause: Duration,
    /// What a person's click on a tracked link does to the lead; recorded only by default.
    pub on_click: OnClick,
    /// The hard-bounce rate (a fraction) over recent sends above which the campaign pauses
    /// itself (reason `bounce_rate`); `None`: no brake.
    pub max_bounce_rate: Option<f64>,
    /// Recent sends needed before the rate is judged.
    pub min_sends_for_rate: u32,
}

impl Policy {
    /// Whether a pause begun at `paused_at` is stale at `now`: it has no `resume_at` and is
    /// older than `stale_after`. `report` lists such pauses; `stale_action = "stop"` stops them.
    pub fn is_stale(
        &self,
        paused_at: chrono::DateTime<chrono::Utc>,
        resume_at: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let stale_after = chrono::Duration::from_std(self.stale_after).unwrap_or(chrono::Duration::MAX);
        resume_at.is_none() && now - paused_at > stale_after
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            stop_on: ["human", "unsubscribe", "bounce"]
                .into_iter()
                .map(String::from)
                .collect(),
            resume_buffer_days: 1,
            ooo_default_pause: Duration::from_secs(7 * 86_400),
            callback_hold: true,
            scope: Scope::AllCampaigns,
            stale_after: Duration::from_secs(30 * 86_400),
            stale_action: StaleAction::Report,
            max_pause: Duration::from_secs(365 * 86_400),
            on_click: OnClick::Continue,
            max_bounce_rate: None,
            min_sends_for_rate: 50,
        }
    }
}

/// One message of the sequence, validated: when it is due and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// How long after the previous step (after the launch, for the first) it falls due.
    pub delay: Duration,
    /// Subject template (for a threaded step without one: the previous subject with `Re: `).
    pub subject: Template,
    /// Body template, filled per lead when the step is sent.
    pub body: Template,
    /// Whether it replies in the previous step's thread.
    pub thread: bool,
}

/// A text with `{{field}}` placeholders, parsed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(String),
}

impl Template {
    /// Parses `{{field}}` placeholders (names folded to lowercase) out of a text.
    ///
    /// # Errors
    /// An unterminated `{{` or an empty or malformed field name.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                return Err(format!(
                    "unterminated {{{{ at {:?}",
                    &rest[open..rest.len().min(open + 20)]
                ));
            };
            let name = after[..close].trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "{{{{{}}}}} is not a field name (letters, digits, _)",
                    &after[..close]
                ));
            }
            parts.push(Part::Field(name.to_ascii_lowercase()));
            rest = &after[close + 2..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    /// The field names it uses, in order; launch refuses leads that lack one.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(f) => Some(f.as_str()),
            Part::Text(_) => None,
        })
    }

    /// Renders with the lead's fields.
    ///
    /// # Errors
    /// The name of the first field that is missing or empty: a mail never goes out with a blank.
    pub fn render(&self, fields: &BTreeMap<String, String>) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => match fields.get(f).filter(|v| !v.trim().is_empty()) {
                    Some(v) => out.push_str(v),
                    None => return Err(f.clone()),
                },
            }
        }
        Ok(out)
    }
}

impl CampaignSpec {
    /// The first step from `from_step` on (its index) whose subject or body needs a lead
    /// field that `fields` lacks or leaves blank, and that field: such a lead would wait at
    /// that step for ever, so launch and applying a running campaign refuse it.
    /// [`UNSUBSCRIBE_URL`] is never missing: the daemon fills it at send time.
    pub fn first_missing_field(
        &self,
        fields: &BTreeMap<String, String>,
        from_step: usize,
    ) -> Option<(usize, String)> {
        let mut fields = fields.clone();
        fields.insert(UNSUBSCRIBE_URL.to_string(), "https://unsubscribe".to_string());
        self.steps
            .iter()
            .enumerate()
            .skip(from_step)
            .find_map(|(i, step)| {
                [&step.subject, &step.body]
                    .into_iter()
                    .find_map(|t| t.render(&fields).err())
                    .map(|field| (i, field))
            })
    }

    /// Every lead field any step uses (not [`UNSUBSCRIBE_URL`], which the daemon fills).
    pub fn fields(&self) -> BTreeSet<String> {
        self.steps
            .iter()
            .flat_map(|s| s.subject.fields().chain(s.body.fields()))
            .filter(|f| *f != UNSUBSCRIBE_URL)
            .map(String::from)
            .collect()
    }

    /// The steps (1-based) whose templates use `{{unsubscribe_url}}`; refused at load when
    /// the config has no `[http]`, since there would be no URL to fill in.
    pub fn steps_using_unsubscribe_url(&self) -> Vec<usize> {
        self.steps
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.subject
                    .fields()
                    .chain(s.body.fields())
                    .any(|f| f == UNSUBSCRIBE_URL)
            })
            .map(|(i, _)| i + 1)
            .collect()
    }

    /// The delay before step `idx` (0-based).
    pub fn delay_before(&self, idx: usize) -> Option<Duration> {
        self.steps.get(idx).map(|s| s.delay)
    }

    /// When step `idx` (0-based) falls due: the end of the lead's running countdown
    /// (`next_send_at`) when it has one, else, for the first step of a lead not contacted
    /// yet, its delay after the launch. `None` when neither is known (not launched, frozen).
    /// The one answer to "when is this step due" (scheduler, `lead show`).
    pub fn step_due(
        &self,
        idx: usize,
        next_send_at: Option<chrono::DateTime<chrono::Utc>>,
        launched_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        match (next_send_at, launched_at) {
            (Some(next), _) => Some(next),
            (None, Some(launched)) if idx == 0 => {
                Some(launched + chrono::Duration::from_std(self.delay_before(0)?).unwrap_or_default())
            }
            _ => None,
        }
    }

    /// When the step after step `idx` (0-based) falls due if step `idx` went out at
    /// `sent_at`; `None` after the last step.
    pub fn next_due(
        &self,
        idx: usize,
        sent_at: chrono::DateTime<chrono::Utc>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.delay_before(idx + 1)
            .map(|d| sent_at + chrono::Duration::from_std(d).unwrap_or_default())
    }
}

/// Where a campaign is in its life, as stored and shown. Changes only through
/// [`CampaignStatus::apply`], the way an enrollment changes through `LeadState::apply`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CampaignStatus {
    /// Applied, not launched: leads can be imported, nothing is sent.
    Draft,
    /// Sending: due steps go out within the window and limits.
    Active,
    /// Nothing is sent and every countdown is frozen; replies still act.
    Paused,
    /// Done for good: sends nothing, cannot change; its leads stay for the record.
    Archived,
}

/// What an operator asks of a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignCommand {
    /// `campaign launch`.
    Launch,
    /// `campaign pause`.
    Pause,
    /// `campaign resume`.
    Resume,
    /// `campaign archive`.
    Archive,
}

/// A command the campaign's status does not allow; its text is the operator's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("campaign {name:?} {reason}")]
pub struct CampaignRefused {
    /// The campaign refused, named in the message.
    pub name: String,
    /// Why, after the name: `is paused: use campaign resume`.
    pub reason: String,
}

/// A status text in the database that is none of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown campaign status {0:?}")]
pub struct UnknownCampaignStatus(pub String);

impl CampaignStatus {
    /// The name stored in `campaigns.status` and shown by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Active => "active",
            CampaignStatus::Paused => "paused",
            CampaignStatus::Archived => "archived",
        }
    }

    /// The status named `s`, as stored.
    ///
    /// # Errors
    /// When `s` is no status.
    pub fn parse(s: &str) -> Result<CampaignStatus, UnknownCampaignStatus> {
        match s {
            "draft" => Ok(CampaignStatus::Draft),
            "active" => Ok(CampaignStatus::Active),
            "paused" => Ok(CampaignStatus::Paused),
            "archived" => Ok(CampaignStatus::Archived),
            other => Err(UnknownCampaignStatus(other.to_string())),
        }
    }

    /// Whether its file and sender can still change (`apply`, `set-sender`).
    pub fn can_change(self) -> bool {
        self != CampaignStatus::Archived
    }

    /// Whether replies still act on its leads (it sends or may send again).
    pub fn is_running(self) -> bool {
        matches!(self, CampaignStatus::Active | CampaignStatus::Paused)
    }

    /// The status after `command`, or why not. `name` is only used in the refusal.
    ///
    /// # Errors
    /// [`CampaignRefused`] when the command does not fit the status.
    pub fn apply(self, command: CampaignCommand, name: &str) -> Result<CampaignStatus, CampaignRefused> {
        use CampaignCommand as C;
        use CampaignStatus as S;
        let refuse = |reason: String| CampaignRefused {
            name: name.to_string(),
            reason,
        };
        match (self, command) {
            (S::Draft, C::Launch) => Ok(S::Active),
            (S::Paused, C::Launch) => Err(refuse("is paused: use campaign resume".to_string())),
            (status, C::Launch) => Err(refuse(format!("is {}, not draft", status.as_str()))),
            (S::Active, C::Pause) => Ok(S::Paused),
            (status, C::Pause) => Err(refuse(format!("is {}, not active", status.as_str()))),
            (S::Paused, C::Resume) => Ok(S::Active),
            (status, C::Resume) => Err(refuse(format!("is {}, not paused", status.as_str()))),
            (S::Archived, C::Archive) => Err(refuse("is already archived".to_string())),
            (_, C::Archive) => Ok(S::Archived),
        }
    }
}

impl std::fmt::Display for CampaignStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for CampaignStatus {
    type Error = UnknownCampaignStatus;

    fn try_from(s: String) -> Result<CampaignStatus, UnknownCampaignStatus> {
        CampaignStatus::parse(&s)
    }
}

/// Fields every lead has, whatever the CSV says.
pub const BUILTIN_FIELDS: [&str; 4] = ["email", "first_name", "last_name", "company"];

/// Parses and validates a campaign file. `file` is only used in errors.
///
/// # Errors
/// [`CampaignError`] naming the line and the key.
pub fn parse_campaign(file: &str, text: &str) -> Result<(CampaignFile, CampaignSpec), CampaignError> {
    let err = |span: std::ops::Range<usize>, key: &str, message: String| CampaignError {
        file: file.to_string(),
        line: crate::domain::line_of(text, span.start),
        key: key.to_string(),
        message,
    };
    let raw: CampaignFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        let key = message
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
            .unwrap_or("")
            .to_string();
        err(e.span().unwrap_or(0..0), &key, message)
    })?;
    let spec = validate(&raw, &err)?;
    Ok((raw, spec))
}

type ErrFn<'a> = dyn Fn(std::ops::Range<usize>, &str, String) -> CampaignError + 'a;

fn validate(raw: &CampaignFile, err: &ErrFn<'_>) -> Result<CampaignSpec, CampaignError> {
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        return Err(err(raw.name.span(), "name", "must not be empty".into()));
    }
    if raw.mailbox.get_ref().trim().is_empty() {
        return Err(err(raw.mailbox.span(), "mailbox", "must not be empty".into()));
    }
    let timezone: Tz = raw.timezone.get_ref().parse().map_err(|_| {
        err(
            raw.timezone.span(),
            "timezone",
            format!("unknown timezone {:?}", raw.timezone.get_ref()),
        )
    })?;
    let window = match &raw.window {
        None => Window::default(),
        Some(w) => {
            let span = w.span();
            let w = w.get_ref();
            let mut days = Vec::new();
            for d in &w.days {
                let day: Weekday = d.parse().map_err(|_| {
                    err(
                        span.clone(),
                        "window.days",
                        format!("{d:?} is not a weekday (mon..sun)"),
                    )
                })?;
                days.push(day);
            }
            let start = parse_hhmm(&w.start)
                .filter(|t| t.is_some())
                .flatten()
                .ok_or_else(|| {
                    err(
                        span.clone(),
                        "window.start",
                        format!("{:?} is not a time HH:MM", w.start),
                    )
                })?;
            let end = parse_hhmm(&w.end).ok_or_else(|| {
                err(
                    span.clone(),
                    "window.end",
                    format!("{:?} is not a time HH:MM or 24:00", w.end),
                )
            })?;
            Window::new(&days, start, end).map_err(|m| err(span.clone(), "window", m))?
        }
    };
    let limits = match &raw.limits {
        None => Limits {
            daily_cap: None,
            min_gap: Duration::ZERO,
            jitter: Duration::ZERO,
        },
        Some(l) => {
            let span = l.span();
            let l = l.get_ref();
            let dur = |key: &str, v: &Option<String>| -> Result<Duration, CampaignError> {
                v.as_deref().map_or(Ok(Duration::ZERO), |s| {
                    humantime::parse_duration(s).map_err(|e| err(span.clone(), key, format!("{s:?}: {e}")))
                })
            };
            if l.daily_cap == Some(0) {
                return Err(err(
                    span.clone(),
                    "limits.daily_cap",
                    "must be at least 1 (leave it out for no cap)".into(),
                ));
            }
            Limits {
                daily_cap: l.daily_cap,
                min_gap: dur("limits.min_gap", &l.min_gap)?,
                jitter: dur("limits.jitter", &l.jitter)?,
            }
        }
    };
    let policy = match &raw.policy {
        None => Policy::default(),
        Some(p) => {
            let span = p.span();
            let p = p.get_ref();
            let d = Policy::default();
            let dur = |key: &str, v: &Option<String>, default: Duration| -> Result<Duration, CampaignError> {
                v.as_deref().map_or(Ok(default), |s| {
                    humantime::parse_duration(s).map_err(|e| err(span.clone(), key, format!("{s:?}: {e}")))
                })
            };
            let stop_on = match &p.stop_on {
                None => d.stop_on.clone(),
                Some(list) => {
                    for c in list {
                        if !["human", "unsubscribe", "bounce"].contains(&c.as_str()) {
                            return Err(err(
                                span.clone(),
                                "policy.stop_on",
                                format!("{c:?} is not one of human, unsubscribe, bounce"),
                            ));
                        }
                    }
                    list.iter().cloned().collect()
                }
            };
            let callback_hold = match p.callback_without_date.as_deref() {
                None | Some("hold") => true,
                Some("ignore") => false,
                Some(o) => {
                    return Err(err(
                        span.clone(),
                        "policy.callback_without_date",
                        format!("{o:?} is not hold or ignore"),
                    ))
                }
            };
            let scope = match p.scope.as_deref() {
                None | Some("all_campaigns") => Scope::AllCampaigns,
                Some("this_campaign") => Scope::ThisCampaign,
                Some(o) => {
                    return Err(err(
                        span.clone(),
                        "policy.scope",
                        format!("{o:?} is not all_campaigns or this_campaign"),
                    ))
                }
            };
            let stale_action = match p.stale_action.as_deref() {
                None | Some("report") => StaleAction::Report,
                Some("stop") => StaleAction::Stop,
                Some(o) => {
                    return Err(err(
                        span.clone(),
                        "policy.stale_action",
                        format!("{o:?} is not report or stop"),
                    ))
                }
            };
            Policy {
                stop_on,
                resume_buffer_days: p.resume_buffer_days.unwrap_or(d.resume_buffer_days),
                ooo_default_pause: dur(
                    "policy.ooo_default_pause",
                    &p.ooo_default_pause,
                    d.ooo_default_pause,
                )?,
                callback_hold,
                scope,
                stale_after: dur("policy.stale_after", &p.stale_after, d.stale_after)?,
                stale_action,
                max_pause: dur("policy.max_pause", &p.max_pause, d.max_pause)?,
                on_click: match p.on_click.as_deref() {
                    None | Some("continue") => OnClick::Continue,
                    Some("pause") => OnClick::Pause,
                    Some("stop") => OnClick::Stop,
                    Some(o) => {
                        return Err(err(
                            span.clone(),
                            "policy.on_click",
                            format!("{o:?} is not continue, pause or stop"),
                        ))
                    }
                },
                max_bounce_rate: match p.max_bounce_rate.as_deref() {
                    None => None,
                    Some(s) => {
                        let pct = s
                            .trim()
                            .strip_suffix('%')
                            .and_then(|n| n.trim().parse::<f64>().ok())
                            .filter(|n| n.is_finite() && (0.0..=100.0).contains(n));
                        match pct {
                            Some(n) => Some(n / 100.0),
                            None => {
                                return Err(err(
                                    span.clone(),
                                    "policy.max_bounce_rate",
                                    format!("{s:?} is not a percentage between 0% and 100% (e.g. \"5%\")"),
                                ))
                            }
                        }
                    }
                },
                min_sends_for_rate: match p.min_sends_for_rate {
                    Some(0) => {
                        return Err(err(
                            span.clone(),
                            "policy.min_sends_for_rate",
                            "must be at least 1".into(),
                        ))
                    }
                    Some(n) => n,
                    None => d.min_sends_for_rate,
                },
            }
        }
    };
    if raw.step.is_empty() {
        return Err(err(0..0, "step", "a campaign needs at least one [[step]]".into()));
    }
    let mut steps: Vec<Step> = Vec::new();
    for (i, s) in raw.step.iter().enumerate() {
        let span = s.span();
        let s = s.get_ref();
        let key = |k: &str| format!("step[{}].{k}", i + 1);
        let delay = humantime::parse_duration(&s.delay)
            .map_err(|e| err(span.clone(), &key("delay"), format!("{:?}: {e}", s.delay)))?;
        if i == 0 && s.thread {
            return Err(err(
                span.clone(),
                &key("thread"),
                "the first step has no thread to reply in".into(),
            ));
        }
        let subject = match (&s.subject, steps.last()) {
            (Some(subj), _) => {
                if subj.contains(['\r', '\n']) {
                    return Err(err(span.clone(), &key("subject"), "must be one line".into()));
                }
                Template::parse(subj).map_err(|m| err(span.clone(), &key("subject"), m))?
            }
            (None, Some(prev)) if s.thread => {
                let mut parts = vec![Part::Text("Re: ".to_string())];
                parts.extend(
                    prev.subject
                        .parts
                        .iter()
                        .cloned()
                        .skip_while(|p| *p == Part::Text("Re: ".into())),
                );
                Template { parts }
            }
            (None, _) => {
                return Err(err(
                    span.clone(),
                    &key("subject"),
                    "is required unless thread = true".into(),
                ))
            }
        };
        let body = Template::parse(&s.body).map_err(|m| err(span.clone(), &key("body"), m))?;
        steps.push(Step {
            delay,
            subject,
            body,
            thread: s.thread,
        });
    }
    let tracking = match &raw.tracking {
        None => Tracking::default(),
        Some(t) => {
            let span = t.span();
            let t = t.get_ref();
            let d = Tracking::default();
            Tracking {
                clicks: t.clicks.unwrap_or(d.clicks),
                min_click_delay: match t.min_click_delay.as_deref() {
                    None => d.min_click_delay,
                    Some(s) => humantime::parse_duration(s)
                        .map_err(|e| err(span.clone(), "tracking.min_click_delay", format!("{s:?}: {e}")))?,
                },
            }
        }
    };
    Ok(CampaignSpec {
        tracking,
        name,
        mailbox: raw.mailbox.get_ref().clone(),
        timezone,
        window,
        limits,
        policy,
        steps,
    })
}

/// `"HH:MM"` to a time; `"24:00"` gives `Some(None)` (end of day); anything else `None`.
fn parse_hhmm(s: &str) -> Option<Option<NaiveTime>> {
    if s == "24:00" {
        return Some(None);
    }
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `status` after `command`: the new status, or the refusal text.
    fn check_status(status: CampaignStatus, command: CampaignCommand, expect: &str) {
        let got = match status.apply(command, "c") {
            Ok(new) => new.as_str().to_string(),
            Err(e) => e.to_string(),
        };
        assert_eq!(got, expect, "{status:?} {command:?}");
    }

    #[test]
    fn campaign_status_transitions() {
        use CampaignCommand as C;
        use CampaignStatus as S;
        check_status(S::Draft, C::Launch, "active");
        check_status(S::Active, C::Launch, "campaign \"c\" is active, not draft");
        check_status(
            S::Paused,
            C::Launch,
            "campaign \"c\" is paused: use campaign resume",
        );
        check_status(S::Archived, C::Launch, "campaign \"c\" is archived, not draft");
        check_status(S::Active, C::Pause, "paused");
        check_status(S::Draft, C::Pause, "campaign \"c\" is draft, not active");
        check_status(S::Paused, C::Pause, "campaign \"c\" is paused, not active");
        check_status(S::Paused, C::Resume, "active");
        check_status(S::Active, C::Resume, "campaign \"c\" is active, not paused");
        check_status(S::Draft, C::Archive, "archived");
        check_status(S::Active, C::Archive, "archived");
        check_status(S::Paused, C::Archive, "archived");
        check_status(S::Archived, C::Archive, "campaign \"c\" is already archived");
        for s in [S::Draft, S::Active, S::Paused, S::Archived] {
            assert_eq!(CampaignStatus::parse(s.as_str()), Ok(s));
        }
        assert!(CampaignStatus::parse("running").is_err());
    }

    const GOOD: &str = r#"
name = "q1"
mailbox = "sales"
timezone = "Europe/Berlin"
window = { days = ["mon", "tue", "wed", "thu", "fri"], start = "09:00", end = "17:00" }
limits = { daily_cap = 200, min_gap = "30s" }
[[step]]
delay = "0s"
subject = "Quick question, {{first_name}}"
body = "Hi {{ first_name }}, about {{company}}."
[[step]]
delay = "3d"
thread = true
body = "Any thoughts, {{first_name}}?"
"#;

    fn refused(text: &str) -> CampaignError {
        parse_campaign("c.toml", text).expect_err("refused")
    }

    #[test]
    fn parses_the_example_shape() {
        let (_, spec) = parse_campaign("c.toml", GOOD).expect("valid");
        assert_eq!(spec.steps.len(), 2);
        assert_eq!(spec.steps[1].delay, Duration::from_secs(3 * 86400));
        let fields: Vec<String> = spec.fields().into_iter().collect();
        assert_eq!(fields, vec!["company", "first_name"]);
        let lead: BTreeMap<String, String> = [
            ("first_name".to_string(), "Ann".to_string()),
            ("company".to_string(), "Acme".to_string()),
        ]
        .into();
        assert_eq!(
            spec.steps[1].subject.render(&lead),
            Ok("Re: Quick question, Ann".into())
        );
        assert_eq!(spec.steps[0].body.render(&lead), Ok("Hi Ann, about Acme.".into()));
        let no_company: BTreeMap<String, String> = [("first_name".to_string(), "Ann".to_string())].into();
        assert_eq!(spec.steps[0].body.render(&no_company), Err("company".into()));
    }

    #[test]
    fn errors_name_the_key_and_line() {
        let e = refused(&GOOD.replace("\"17:00\"", "\"25:00\""));
        assert_eq!((e.key.as_str(), e.line), ("window.end", 5), "{e}");
        let e = refused(&GOOD.replace("start = \"09:00\"", "start = \"25:00\""));
        assert_eq!(e.key, "window.start", "{e}");
        let e = refused(&GOOD.replace("Europe/Berlin", "Europe/Atlantis"));
        assert_eq!((e.key.as_str(), e.line), ("timezone", 4), "{e}");
        let e = refused(&GOOD.replace("mailbox = \"sales\"", "mailbox = \"sales\"\ncolour = \"red\""));
        assert_eq!((e.key.as_str(), e.line), ("colour", 4), "{e}");
        assert!(e.to_string().starts_with("c.toml:4: colour:"), "{e}");
        let e = refused(&GOOD.replace("delay = \"3d\"", "delay = \"3 fortnights\""));
        assert_eq!(e.key, "step[2].delay", "{e}");
        let e = refused(&GOOD.replace("{{company}}", "{{company"));
        assert_eq!(e.key, "step[1].body", "{e}");
    }
}
