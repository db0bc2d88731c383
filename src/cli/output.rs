//! What the CLI prints: the table lines for people, and the JSON lines for scripts (the view
//! structs themselves live in `ops::views`, shared with the API).

use serde::Serialize;

use crate::domain::clip;
pub use crate::ops::views::{rfc3339, EnrollmentView, EventView, ViewContext};

/// The table header matching [`table_line`].
pub const TABLE_HEADER: &str = "EMAIL                                    CAMPAIGN             STATUS       STEP  NEXT SEND / RESUME    REASON           NOTE";

/// The line for one enrollment under [`TABLE_HEADER`]: columns clipped to their width, the
/// resume time before the next send, and why the lead waits after its note.
pub fn table_line(v: &EnrollmentView) -> String {
    let when = v
        .resume_at
        .as_deref()
        .or(v.sends_at.as_deref())
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
    let mut note = v.note.as_deref().map(|n| clip(n, 60)).unwrap_or_default();
    if let Some(w) = &v.waiting {
        if !note.is_empty() {
            note.push_str("; ");
        }
        note.push_str("waits: ");
        note.push_str(&clip(w, 120));
    }
    format!(
        "{:<40} {:<20} {:<12} {:>4}  {:<21} {:<16} {}",
        clip(&v.email, 40),
        clip(&v.campaign, 20),
        v.status,
        v.current_step,
        when,
        reason,
        note
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

/// Prints one line to stdout: every line of data the CLI prints goes through here, so a
/// closed pipe is one error for the caller to stop on (`main` exits quietly), not a panic.
///
/// # Errors
/// When stdout is closed.
pub fn emit(line: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{line}")
}
