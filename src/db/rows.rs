//! Row types read from the database and their conversion to and from domain types.
//!
//! Times are stored as milliseconds since the Unix epoch in both dialects; dates as
//! `YYYY-MM-DD` text. [`EnrollmentRow::state`] rebuilds the lifecycle enum and refuses
//! column combinations that cannot happen, so a corrupted row is reported, not acted on.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::campaign::{parse_campaign, CampaignSpec, CampaignStatus, UnreadableCampaign};
use crate::domain::lead::{Countdown, LeadState, Pause, PauseReason, Source, Status, StopReason};

/// A time as stored: milliseconds since the Unix epoch, in both dialects.
pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A stored time back as a `DateTime`; a value out of chrono's range reads as the epoch.
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

/// A campaign as stored: its identity, lifecycle and the file text last applied.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    /// The campaign's row id, what enrollments refer to.
    pub id: i64,
    /// The name operators and the CLI use; unique, taken from the file's `name`.
    pub name: String,
    /// The config mailbox it sends from; kept equal to the stored text's `mailbox` (`set-sender` changes both).
    pub mailbox: String,
    /// Its lifecycle status (draft, active, paused, …): the scheduler only sends for an active one.
    #[sqlx(try_from = "String")]
    pub status: CampaignStatus,
    /// The campaign file text as last applied; read it through [`CampaignRow::spec`].
    pub spec_toml: String,
    /// When `campaign launch` ran, ms; the first step's delay counts from it; `None` before.
    pub launched_at: Option<i64>,
    /// When the campaign was paused, ms; `None` while it is not paused (resuming clears it).
    pub paused_at: Option<i64>,
    /// Why it is paused: `manual` (an operator) or `bounce_rate` (the brake); `None` when
    /// it is not paused (or was paused before the reason was recorded).
    pub pause_reason: Option<String>,
}

impl CampaignRow {
    /// The campaign's validated spec, parsed from the stored text.
    ///
    /// # Errors
    /// [`UnreadableCampaign`] when the stored text no longer parses (an older release wrote
    /// it, or it was edited in the database).
    pub fn spec(&self) -> Result<CampaignSpec, UnreadableCampaign> {
        stored_spec(&self.name, &self.spec_toml)
    }
}

/// The one way from a stored campaign text to its spec: every reader of `campaigns.spec_toml`
/// (scheduler, sends, replies, CLI) goes through here, so a text that no longer parses fails
/// the same way everywhere.
///
/// # Errors
/// [`UnreadableCampaign`].
pub fn stored_spec(name: &str, text: &str) -> Result<CampaignSpec, UnreadableCampaign> {
    parse_campaign(name, text)
        .map(|(_, spec)| spec)
        .map_err(|e| UnreadableCampaign {
            campaign: name.to_string(),
            error: e.to_string(),
        })
}

/// An enrollment joined with its lead and campaign: what the CLI shows and what
/// transitions start from.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrollmentRow {
    /// The enrollment's row id: what transitions, sends and events refer to.
    pub id: i64,
    /// Its campaign's row id (the scheduler keys its parsed specs by it).
    pub campaign_id: i64,
    /// Its campaign's name, for messages and the CLI.
    pub campaign: String,
    /// Its campaign's status as stored: a paused campaign keeps resumed leads frozen.
    pub campaign_status: String,
    /// The person's row id: one person may be enrolled in several campaigns (the reply scope).
    pub lead_id: i64,
    /// The person's address, lowercased: where steps go, and how replies are matched.
    pub email: String,
    /// The person's first name, as imported (a template field).
    pub first_name: Option<String>,
    /// The person's last name, as imported (a template field).
    pub last_name: Option<String>,
    /// The person's company, as imported (a template field).
    pub company: Option<String>,
    /// The person's IANA zone, if imported: windows and dates are read in it, else in the campaign's.
    pub timezone: Option<String>,
    /// Custom fields, a JSON object of strings.
    pub fields_json: String,
    /// The `LeadState` variant as stored (`launch`, `in_progress`, …); `state()` rebuilds the enum.
    pub status: String,
    /// How many steps went out: the index of the next step.
    pub steps_sent: i64,
    /// When the next step is due, ms, while its countdown runs; `None` otherwise.
    pub next_send_at: Option<i64>,
    /// What was left of the countdown when it was frozen or paused, ms; restored on resume.
    pub remaining_ms: Option<i64>,
    /// When the pause began, ms (stale pauses are measured from it); `None` unless paused.
    pub paused_at: Option<i64>,
    /// Who paused it, `auto` or `operator`: an automatic decision never overrides an operator's pause.
    pub pause_source: Option<String>,
    /// Why it is paused (`out_of_office`, `manual`, …), while paused.
    pub pause_reason: Option<String>,
    /// When it resumes by itself, ms; `None` for a pause that waits for a person.
    pub resume_at: Option<i64>,
    /// The return date read in the reply that paused it, `YYYY-MM-DD`; `None` if none was found.
    pub return_date: Option<String>,
    /// A person's or the daemon's note, shown as is (never a mail body).
    pub note: Option<String>,
    /// Inbound message that caused the pause or stop.
    pub cause_message_id: Option<i64>,
    /// Why it stopped (`replied`, `stale_pause`, …), once stopped.
    pub stop_reason: Option<String>,
    /// When it stopped, ms; `None` unless stopped.
    pub stopped_at: Option<i64>,
    /// Bumped by every write: a transition only applies to the version it was planned from.
    pub version: i64,
}

/// The columns `SELECT`ed for an [`EnrollmentRow`]; `e`, `l` and `c` are the aliases.
pub const ENROLLMENT_COLUMNS: &str = "e.id, e.campaign_id, c.name AS campaign, c.status AS campaign_status, \
    e.lead_id, l.email, l.first_name, l.last_name, l.company, l.timezone, l.fields_json, e.status, \
    e.steps_sent, e.next_send_at, e.remaining_ms, e.paused_at, e.pause_source, e.pause_reason, \
    e.resume_at, e.return_date, e.note, e.cause_message_id, e.stop_reason, e.stopped_at, e.version";

/// The `FROM` clause that goes with [`ENROLLMENT_COLUMNS`].
pub const ENROLLMENT_FROM: &str =
    "FROM enrollments e JOIN leads l ON l.id = e.lead_id JOIN campaigns c ON c.id = e.campaign_id";

/// One recorded transition of an enrollment: the history `lead show` prints.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    /// The event's row id: events of one enrollment are shown in its order.
    pub id: i64,
    /// When it happened, ms.
    pub at: i64,
    /// What happened (`step_sent`, `pause`, `stop`, …), as `Event::name` gives it.
    pub kind: String,
    /// The status the event found, for `lead show`'s history.
    pub from_status: String,
    /// The status the event left the enrollment in.
    pub to_status: String,
    /// `operator`, `auto` or `system`.
    pub actor: String,
    /// Why it paused or stopped (`out_of_office`, `replied`, …); `None` for other events.
    pub reason: Option<String>,
    /// The reply rule that fired, for automatic decisions; `None` for other actors.
    pub rule: Option<String>,
    /// The inbound message (our row id) that caused it.
    pub message_id: Option<i64>,
    /// That message's own Message-ID header, what people can search for.
    pub inbound_message_id: Option<String>,
    /// Date involved (return date), `YYYY-MM-DD`.
    pub date: Option<String>,
    /// A person's or the daemon's note, shown as is (never a mail body).
    pub note: Option<String>,
}

/// A row whose columns do not make a valid state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("enrollment {id} is corrupt: {problem}")]
pub struct CorruptRow {
    /// The enrollment's row id: what transitions, sends and events refer to.
    pub id: i64,
    /// What is wrong with the columns, e.g. `paused without paused_at`.
    pub problem: String,
}

/// The state columns of an enrollment, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateColumns {
    /// The `LeadState` variant's tag to store.
    pub status: &'static str,
    /// How many steps went out: the index of the next step.
    pub steps_sent: i64,
    /// When the next step is due, ms, while its countdown runs; `None` otherwise.
    pub next_send_at: Option<i64>,
    /// What is left of a frozen or paused countdown, ms.
    pub remaining_ms: Option<i64>,
    /// When the pause began, ms (stale pauses are measured from it).
    pub paused_at: Option<i64>,
    /// `auto` or `operator`: an automatic decision never overrides an operator's pause.
    pub pause_source: Option<&'static str>,
    /// Why it is paused, while paused.
    pub pause_reason: Option<&'static str>,
    /// When it resumes by itself, ms; none for a pause that waits for a person.
    pub resume_at: Option<i64>,
    /// The return date read in the reply that paused it, `YYYY-MM-DD`.
    pub return_date: Option<String>,
    /// A person's or the daemon's note about the pause.
    pub note: Option<String>,
    /// The inbound message (our row id) that paused or stopped it.
    pub cause_message_id: Option<i64>,
    /// Why it stopped, once stopped.
    pub stop_reason: Option<&'static str>,
    /// When it stopped, ms; `None` unless stopped.
    pub stopped_at: Option<i64>,
    /// When the scheduler should look at it next: the end of the countdown for a running
    /// lead, at once for a lead not contacted yet, never otherwise.
    pub due_at: Option<i64>,
}

impl EnrollmentRow {
    /// Rebuilds the [`LeadState`] from the status columns, checking they agree.
    ///
    /// # Errors
    /// [`CorruptRow`] when the columns do not make a state.
    pub fn state(&self) -> Result<LeadState, CorruptRow> {
        let bad = |problem: &str| CorruptRow {
            id: self.id,
            problem: problem.to_string(),
        };
        let status = Status::parse(&self.status).ok_or_else(|| bad("unknown status"))?;
        let steps_sent = u32::try_from(self.steps_sent).map_err(|_| bad("negative steps_sent"))?;
        Ok(match status {
            Status::Launch => LeadState::Launch,
            Status::Skipped => LeadState::Skipped,
            Status::Completed => LeadState::Completed { steps_sent },
            Status::InProgress => {
                let countdown = match (self.next_send_at, self.remaining_ms) {
                    (Some(next), None) => Countdown::Running {
                        next_send_at: from_ms(next),
                    },
                    (None, Some(rem)) => Countdown::Frozen {
                        remaining: chrono::Duration::milliseconds(rem),
                    },
                    _ => {
                        return Err(bad(
                            "in_progress needs exactly one of next_send_at and remaining_ms",
                        ))
                    }
                };
                LeadState::InProgress {
                    steps_sent,
                    countdown,
                }
            }
            Status::Paused => {
                let remaining = chrono::Duration::milliseconds(
                    self.remaining_ms
                        .ok_or_else(|| bad("paused without remaining_ms"))?,
                );
                let pause = Pause {
                    paused_at: from_ms(self.paused_at.ok_or_else(|| bad("paused without paused_at"))?),
                    source: self
                        .pause_source
                        .as_deref()
                        .and_then(Source::parse)
                        .ok_or_else(|| bad("paused without a valid pause_source"))?,
                    reason: self
                        .pause_reason
                        .as_deref()
                        .and_then(PauseReason::parse)
                        .ok_or_else(|| bad("paused without a valid pause_reason"))?,
                    resume_at: self.resume_at.map(from_ms),
                    return_date: self
                        .return_date
                        .as_deref()
                        .and_then(|d| d.parse::<NaiveDate>().ok()),
                    note: self.note.clone(),
                    message_id: self.cause_message_id,
                };
                LeadState::Paused {
                    steps_sent,
                    remaining,
                    pause,
                }
            }
            Status::Stopped => LeadState::Stopped {
                steps_sent,
                reason: self
                    .stop_reason
                    .as_deref()
                    .and_then(StopReason::parse)
                    .ok_or_else(|| bad("stopped without a valid stop_reason"))?,
                stopped_at: from_ms(self.stopped_at.ok_or_else(|| bad("stopped without stopped_at"))?),
            },
        })
    }
}

impl StateColumns {
    /// The columns for a state. `note` and `cause` are kept on stopped enrollments too, so
    /// `lead show` can say which message stopped it.
    pub fn of(
        state: &LeadState,
        note: Option<String>,
        cause: Option<i64>,
        now: DateTime<Utc>,
    ) -> StateColumns {
        let mut c = StateColumns {
            status: state.status().as_str(),
            steps_sent: i64::from(state.steps_sent()),
            ..Default::default()
        };
        match state {
            LeadState::Launch => c.due_at = Some(to_ms(now)),
            LeadState::Skipped | LeadState::Completed { .. } => {}
            LeadState::InProgress { countdown, .. } => match countdown {
                Countdown::Running { next_send_at } => {
                    c.next_send_at = Some(to_ms(*next_send_at));
                    c.due_at = c.next_send_at;
                }
                Countdown::Frozen { remaining } => c.remaining_ms = Some(remaining.num_milliseconds()),
            },
            LeadState::Paused { remaining, pause, .. } => {
                c.remaining_ms = Some(remaining.num_milliseconds());
                c.paused_at = Some(to_ms(pause.paused_at));
                c.pause_source = Some(pause.source.as_str());
                c.pause_reason = Some(pause.reason.as_str());
                c.resume_at = pause.resume_at.map(to_ms);
                c.return_date = pause.return_date.map(|d| d.to_string());
                c.note = pause.note.clone();
                c.cause_message_id = pause.message_id;
                return c;
            }
            LeadState::Stopped {
                reason, stopped_at, ..
            } => {
                c.stop_reason = Some(reason.as_str());
                c.stopped_at = Some(to_ms(*stopped_at));
            }
        }
        c.note = note;
        c.cause_message_id = cause;
        c
    }
}
