//! Transitions planned in Rust and written many at a time.
//!
//! [`plan`] is the one place that turns a row and an event into the columns to write (the
//! per-row `write_transition!` uses it too). On PostgreSQL, [`write_many_pg`] writes a whole
//! batch in one statement: the new columns of every row travel as arrays, one `UPDATE … FROM
//! UNNEST` applies those whose version still matches, and the same statement inserts the
//! event rows of exactly the rows it updated. Rows another writer changed meanwhile come back
//! as conflicts for the caller to retry on their fresh state.

use chrono::{DateTime, Utc};

use crate::db::rows::{to_ms, EnrollmentRow, StateColumns};
use crate::db::{event_reason, Cause, StoreError};
use crate::domain::lead::{Event, LeadState, Refused, Status};

/// A transition worked out, ready to write.
#[derive(Debug)]
pub(crate) struct Planned {
    /// The status before.
    pub old: Status,
    /// The state after.
    pub new: LeadState,
    /// The enrollment's columns after.
    pub columns: StateColumns,
}

/// Applies `event` to `row`'s state: the columns to write, or the lifecycle's refusal.
///
/// # Errors
/// A row whose columns do not make a state.
pub(crate) fn plan(
    row: &EnrollmentRow,
    event: &Event,
    cause: &Cause,
    now: DateTime<Utc>,
) -> Result<Result<Planned, Refused>, StoreError> {
    let old = row.state()?;
    let new = match old.apply(event) {
        Ok(new) => new,
        Err(refused) => return Ok(Err(refused)),
    };
    // Bookkeeping events keep the note and cause of the state they continue.
    let keep_note = matches!(
        event,
        Event::Freeze { .. } | Event::Thaw { .. } | Event::StepSent { .. }
    );
    let note = if keep_note {
        row.note.clone()
    } else {
        cause.note.clone()
    };
    let message = if keep_note {
        row.cause_message_id
    } else {
        cause.message_id
    };
    let columns = StateColumns::of(&new, note, message, now);
    Ok(Ok(Planned {
        old: old.status(),
        new,
        columns,
    }))
}

/// What became of one row of a batch.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Written, with its event.
    Applied(LeadState),
    /// The lifecycle refused the event.
    Refused(Refused),
    /// Another writer changed the row since it was read.
    Conflict,
}

/// Writes `items` (rows as read, with their events) in one statement inside `tx`; the
/// outcome of each in the same order.
///
/// # Errors
/// Database errors and corrupt rows.
pub(crate) async fn write_many_pg(
    tx: &mut sqlx::PgConnection,
    items: &[(&EnrollmentRow, Event)],
    cause: &Cause,
    now: DateTime<Utc>,
) -> Result<Vec<Outcome>, StoreError> {
    let mut outcomes = Vec::with_capacity(items.len());
    let mut cols = Columns::default();
    for (row, event) in items {
        match plan(row, event, cause, now)? {
            Err(refused) => outcomes.push(Outcome::Refused(refused)),
            Ok(planned) => {
                cols.push(row, event, &planned);
                outcomes.push(Outcome::Applied(planned.new));
            }
        }
    }
    if cols.id.is_empty() {
        return Ok(outcomes);
    }
    let updated: Vec<i64> = sqlx::query_scalar(
        "WITH u AS (SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], \
         $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::bigint[], \
         $14::text[], $15::bigint[], $16::bigint[], $17::text[], $18::text[], $19::text[], $20::text[]) \
         AS u(id, version, status, steps_sent, next_send_at, remaining_ms, paused_at, pause_source, pause_reason, \
         resume_at, return_date, note, cause_message_id, stop_reason, stopped_at, due_at, kind, from_status, \
         reason, date)), \
         upd AS (UPDATE enrollments e SET status = u.status, steps_sent = u.steps_sent, next_send_at = u.next_send_at, \
         remaining_ms = u.remaining_ms, paused_at = u.paused_at, pause_source = u.pause_source, \
         pause_reason = u.pause_reason, resume_at = u.resume_at, return_date = u.return_date, note = u.note, \
         cause_message_id = u.cause_message_id, stop_reason = u.stop_reason, stopped_at = u.stopped_at, \
         due_at = u.due_at, version = e.version + 1, updated_at = $21 \
         FROM u WHERE e.id = u.id AND e.version = u.version RETURNING e.id), \
         ev AS (INSERT INTO events (enrollment_id, at, kind, from_status, to_status, actor, reason, rule, message_id, \
         date, note) SELECT u.id, $21, u.kind, u.from_status, u.status, $22, u.reason, $23, $24, u.date, $25 \
         FROM u JOIN upd ON upd.id = u.id) \
         SELECT id FROM upd",
    )
    .bind(&cols.id)
    .bind(&cols.version)
    .bind(&cols.status)
    .bind(&cols.steps_sent)
    .bind(&cols.next_send_at)
    .bind(&cols.remaining_ms)
    .bind(&cols.paused_at)
    .bind(&cols.pause_source)
    .bind(&cols.pause_reason)
    .bind(&cols.resume_at)
    .bind(&cols.return_date)
    .bind(&cols.note)
    .bind(&cols.cause_message_id)
    .bind(&cols.stop_reason)
    .bind(&cols.stopped_at)
    .bind(&cols.due_at)
    .bind(&cols.kind)
    .bind(&cols.from_status)
    .bind(&cols.reason)
    .bind(&cols.date)
    .bind(to_ms(now))
    .bind(cause.actor.as_str())
    .bind(&cause.rule)
    .bind(cause.message_id)
    .bind(&cause.note)
    .fetch_all(&mut *tx)
    .await?;
    let updated: std::collections::HashSet<i64> = updated.into_iter().collect();
    for ((row, event), outcome) in items.iter().zip(outcomes.iter_mut()) {
        if let Outcome::Applied(new) = outcome {
            if updated.contains(&row.id) {
                metrics::counter!("cadenced_transitions_total", "event" => event.name(), "to" => new.status().as_str())
                    .increment(1);
                crate::db::outbox::enqueue!(tx, crate::db::outbox::lead_event(row, event, new, now), now)?;
            } else {
                *outcome = Outcome::Conflict;
            }
        }
    }
    Ok(outcomes)
}

/// The batch, column by column.
#[derive(Default)]
struct Columns {
    id: Vec<i64>,
    version: Vec<i64>,
    status: Vec<&'static str>,
    steps_sent: Vec<i64>,
    next_send_at: Vec<Option<i64>>,
    remaining_ms: Vec<Option<i64>>,
    paused_at: Vec<Option<i64>>,
    pause_source: Vec<Option<&'static str>>,
    pause_reason: Vec<Option<&'static str>>,
    resume_at: Vec<Option<i64>>,
    return_date: Vec<Option<String>>,
    note: Vec<Option<String>>,
    cause_message_id: Vec<Option<i64>>,
    stop_reason: Vec<Option<&'static str>>,
    stopped_at: Vec<Option<i64>>,
    due_at: Vec<Option<i64>>,
    kind: Vec<&'static str>,
    from_status: Vec<&'static str>,
    reason: Vec<Option<&'static str>>,
    date: Vec<Option<String>>,
}

impl Columns {
    fn push(&mut self, row: &EnrollmentRow, event: &Event, planned: &Planned) {
        let c = &planned.columns;
        let (reason, date) = event_reason(event);
        self.id.push(row.id);
        self.version.push(row.version);
        self.status.push(c.status);
        self.steps_sent.push(c.steps_sent);
        self.next_send_at.push(c.next_send_at);
        self.remaining_ms.push(c.remaining_ms);
        self.paused_at.push(c.paused_at);
        self.pause_source.push(c.pause_source);
        self.pause_reason.push(c.pause_reason);
        self.resume_at.push(c.resume_at);
        self.return_date.push(c.return_date.clone());
        self.note.push(c.note.clone());
        self.cause_message_id.push(c.cause_message_id);
        self.stop_reason.push(c.stop_reason);
        self.stopped_at.push(c.stopped_at);
        self.due_at.push(c.due_at);
        self.kind.push(event.name());
        self.from_status.push(planned.old.as_str());
        self.reason.push(reason);
        self.date.push(date);
    }
}
