//! What the CLI prints: the JSON view of an enrollment (a contract for scripts) and the
//! table lines for people.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::db::rows::{from_ms, EnrollmentRow, EventRow};
use crate::domain::clip;

/// The JSON view of an enrollment. Field names are a contract (DESIGN.md "Interfaces").
#[derive(Debug, Serialize)]
pub struct EnrollmentView {
    /// Lead address.
    pub email: String,
    /// Campaign name.
    pub campaign: String,
    /// Status tag.
    pub status: String,
    /// Steps sent so far (0 before the first step).
    pub current_step: i64,
    /// When the next step is due, RFC 3339 UTC.
    pub next_send_at: Option<String>,
    /// Delay left before the next step, seconds.
    pub remaining_delay_s: Option<i64>,
    /// Pause start.
    pub paused_at: Option<String>,
    /// `auto` or `operator`.
    pub pause_source: Option<String>,
    /// Pause reason.
    pub pause_reason: Option<String>,
    /// Return date read from the reply, `YYYY-MM-DD`.
    pub return_date: Option<String>,
    /// When it resumes by itself.
    pub resume_at: Option<String>,
    /// Stop reason.
    pub stop_reason: Option<String>,
    /// Free text.
    pub note: Option<String>,
    /// History, `lead show` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventView>>,
}

/// One history entry.
#[derive(Debug, Serialize)]
pub struct EventView {
    /// When.
    pub at: String,
    /// What happened.
    pub kind: String,
    /// Status before.
    pub from: String,
    /// Status after.
    pub to: String,
    /// `operator`, `auto` or `system`.
    pub actor: String,
    /// Reason.
    pub reason: Option<String>,
    /// Rule that fired.
    pub rule: Option<String>,
    /// Inbound message id.
    pub message_id: Option<i64>,
    /// Date involved.
    pub date: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// RFC 3339 UTC with seconds.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn ms(v: Option<i64>) -> Option<String> {
    v.map(|m| rfc3339(from_ms(m)))
}

impl EnrollmentView {
    /// The view of a row at `now` (for the remaining delay of running countdowns).
    pub fn of(row: &EnrollmentRow, now: DateTime<Utc>) -> EnrollmentView {
        let remaining_delay_s = match (row.status.as_str(), row.next_send_at, row.remaining_ms) {
            (_, _, Some(rem)) => Some(rem / 1000),
            ("in_progress", Some(next), None) => Some(((next - now.timestamp_millis()).max(0)) / 1000),
            _ => None,
        };
        EnrollmentView {
            email: row.email.clone(),
            campaign: row.campaign.clone(),
            status: row.status.clone(),
            current_step: row.steps_sent,
            next_send_at: ms(row.next_send_at),
            remaining_delay_s,
            paused_at: ms(row.paused_at),
            pause_source: row.pause_source.clone(),
            pause_reason: row.pause_reason.clone(),
            return_date: row.return_date.clone(),
            resume_at: ms(row.resume_at),
            stop_reason: row.stop_reason.clone(),
            note: row.note.clone(),
            events: None,
        }
    }

    /// Adds the history.
    pub fn with_events(mut self, events: &[EventRow]) -> EnrollmentView {
        self.events = Some(
            events
                .iter()
                .map(|e| EventView {
                    at: rfc3339(from_ms(e.at)),
                    kind: e.kind.clone(),
                    from: e.from_status.clone(),
                    to: e.to_status.clone(),
                    actor: e.actor.clone(),
                    reason: e.reason.clone(),
                    rule: e.rule.clone(),
                    message_id: e.message_id,
                    date: e.date.clone(),
                    note: e.note.clone(),
                })
                .collect(),
        );
        self
    }
}

/// The table header matching [`table_line`].
pub const TABLE_HEADER: &str = "EMAIL                                    CAMPAIGN             STATUS       STEP  NEXT / RESUME         REASON           NOTE";

/// One table line for people.
pub fn table_line(v: &EnrollmentView) -> String {
    let when = v
        .resume_at
        .as_deref()
        .or(v.next_send_at.as_deref())
        .unwrap_or("-");
    let when = match (v.status.as_str(), v.remaining_delay_s) {
        ("paused", Some(_)) if v.resume_at.is_none() => "(waits for a person)".to_string(),
        _ => when.to_string(),
    };
    let reason = v
        .pause_reason
        .as_deref()
        .or(v.stop_reason.as_deref())
        .unwrap_or("-");
    format!(
        "{:<40} {:<20} {:<12} {:>4}  {:<21} {:<16} {}",
        clip(&v.email, 40),
        clip(&v.campaign, 20),
        v.status,
        v.current_step,
        when,
        reason,
        v.note.as_deref().map(|n| clip(n, 60)).unwrap_or_default()
    )
}

/// Prints one JSON line.
///
/// # Errors
/// When stdout is closed (a pipe reader went away): callers stop, `main` exits quietly.
pub fn print_json(v: &impl Serialize) -> std::io::Result<()> {
    let line = serde_json::to_string(v).map_err(std::io::Error::other)?;
    emit(&line)
}

/// Prints one line to stdout.
///
/// # Errors
/// When stdout is closed.
pub fn emit(line: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{line}")
}
