//! The webhook outbox: what happened, written for each subscribed webhook in the very
//! transaction that made it happen (a lead's transition and its event row, a campaign's
//! pause, a mailbox turning unhealthy), so an event is never told without having happened
//! nor lost once it has. The delivery task (`webhooks`) reads it in order per lead.
//!
//! Which webhooks want which events is process configuration, like the metrics recorder:
//! [`subscribe`] sets it once at start (the daemon and every CLI command that writes, from
//! the same config); with none, nothing is written.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::db::rows::{from_ms, to_ms, EnrollmentRow};
use crate::db::{Backend, BeginWrite, Store, StoreError};
use crate::domain::lead::{Event, LeadState, PauseReason, Status, StopReason};

/// Every event a webhook can subscribe to (the config's list).
pub use crate::config::WEBHOOK_EVENTS as EVENT_TYPES;

/// A webhook's subscription: where, and which events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The endpoint's URL: the outbox rows' `webhook` column names it.
    pub url: String,
    /// The event types it wants (a subset of `EVENT_TYPES`).
    pub events: Vec<String>,
}

static SUBSCRIPTIONS: OnceLock<Vec<Subscription>> = OnceLock::new();

/// Sets the webhooks of this process, once (later calls change nothing).
pub fn subscribe(subs: Vec<Subscription>) {
    let _ = SUBSCRIPTIONS.set(subs);
}

/// The URLs of the webhooks that want `event_type`.
fn subscribers(event_type: &str) -> impl Iterator<Item = &'static str> + use<'_> {
    SUBSCRIPTIONS
        .get()
        .into_iter()
        .flatten()
        .filter(move |s| s.events.iter().any(|e| e == event_type))
        .map(|s| s.url.as_str())
}

/// An event to tell, as the outbox stores it.
#[derive(Debug, Clone)]
pub struct OutEvent {
    /// `evt_` and 32 hex digits: the same for every webhook told, the receivers'
    /// idempotency key.
    pub id: String,
    /// One of [`EVENT_TYPES`].
    pub event_type: &'static str,
    /// What orders delivery: events of one key go out one after the other, in order.
    pub key: String,
    /// The JSON payload, fixed at write time (retries send the same bytes).
    pub body: String,
}

impl OutEvent {
    /// An event of `event_type` about `key` at `now` with these payload fields (`id`,
    /// `type` and `time` are added).
    fn new(
        event_type: &'static str,
        key: String,
        now: DateTime<Utc>,
        fields: Map<String, Value>,
    ) -> Option<OutEvent> {
        subscribers(event_type).next()?;
        let id = format!(
            "evt_{:016x}{:016x}",
            crate::clock::random_u64(),
            crate::clock::random_u64()
        );
        let mut body = Map::new();
        body.insert("id".into(), json!(id));
        body.insert("type".into(), json!(event_type));
        body.insert("time".into(), json!(rfc3339(now)));
        body.extend(fields);
        Some(OutEvent {
            id,
            event_type,
            key,
            body: Value::Object(body).to_string(),
        })
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The webhook event of a lead's transition (`row` as read, `new` its state after `event`),
/// if it is one a webhook wants: a stop is told by its reason (`lead.replied`,
/// `lead.bounced`, …, `lead.stopped` for the others), an out-of-office pause as
/// `lead.out_of_office`, a person's click (which pauses or stops, as `policy.on_click`
/// says) as `lead.clicked`, the last step as `lead.completed`.
pub(crate) fn lead_event(
    row: &EnrollmentRow,
    event: &Event,
    new: &LeadState,
    now: DateTime<Utc>,
) -> Option<OutEvent> {
    if SUBSCRIPTIONS.get().is_none_or(|s| s.is_empty()) {
        return None;
    }
    let mut fields = Map::new();
    let event_type = match event {
        Event::Pause(p) => {
            fields.insert("reason".into(), json!(p.reason.as_str()));
            fields.insert("return_date".into(), json!(p.return_date.map(|d| d.to_string())));
            fields.insert("resume_at".into(), json!(p.resume_at.map(rfc3339)));
            fields.insert("note".into(), json!(p.note));
            match p.reason {
                PauseReason::OutOfOffice => "lead.out_of_office",
                PauseReason::Clicked => "lead.clicked",
                _ => "lead.paused",
            }
        }
        Event::Resume { .. } => "lead.resumed",
        Event::Stop { reason, .. } => {
            fields.insert("reason".into(), json!(reason.as_str()));
            match reason {
                StopReason::Replied => "lead.replied",
                StopReason::Bounced => "lead.bounced",
                StopReason::Unsubscribed => "lead.unsubscribed",
                StopReason::MeetingBooked => "lead.meeting_booked",
                StopReason::Clicked => "lead.clicked",
                _ => "lead.stopped",
            }
        }
        Event::StepSent { .. } if new.status() == Status::Completed => "lead.completed",
        _ => return None,
    };
    fields.insert("campaign".into(), json!(row.campaign));
    fields.insert("email".into(), json!(row.email));
    fields.insert("step".into(), json!(new.steps_sent()));
    fields.insert("status".into(), json!(new.status().as_str()));
    OutEvent::new(event_type, format!("lead:{}", row.id), now, fields)
}

/// `campaign.paused`: by an operator (`manual`) or by the bounce-rate brake.
pub(crate) fn campaign_paused(campaign: &str, reason: &str, now: DateTime<Utc>) -> Option<OutEvent> {
    let mut fields = Map::new();
    fields.insert("campaign".into(), json!(campaign));
    fields.insert("reason".into(), json!(reason));
    OutEvent::new("campaign.paused", format!("campaign:{campaign}"), now, fields)
}

/// `mailbox.unhealthy`: sending or reading from it stopped working.
pub(crate) fn mailbox_unhealthy(mailbox: &str, error: Option<&str>, now: DateTime<Utc>) -> Option<OutEvent> {
    let mut fields = Map::new();
    fields.insert("mailbox".into(), json!(mailbox));
    fields.insert("reason".into(), json!(error));
    OutEvent::new("mailbox.unhealthy", format!("mailbox:{mailbox}"), now, fields)
}

/// Writes an `Option<OutEvent>` into the outbox inside transaction `$tx`, one row per
/// subscribed webhook. Evaluates to `Result<(), sqlx::Error>`.
macro_rules! enqueue {
    ($tx:expr, $out:expr, $now:expr) => {{
        let out: Option<$crate::db::outbox::OutEvent> = $out;
        let mut result: Result<(), sqlx::Error> = Ok(());
        if let Some(out) = out {
            for url in $crate::db::outbox::urls_for(out.event_type) {
                let ms = $crate::db::rows::to_ms($now);
                if let Err(e) = sqlx::query(
                    "INSERT INTO webhook_outbox (webhook, event_id, event_type, lead_key, body, created_at, next_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(url)
                .bind(&out.id)
                .bind(out.event_type)
                .bind(&out.key)
                .bind(&out.body)
                .bind(ms)
                .execute(&mut *$tx)
                .await
                {
                    result = Err(e);
                    break;
                }
            }
        }
        result
    }};
}
pub(crate) use enqueue;

/// The URLs subscribed to `event_type` (for [`enqueue!`]).
pub(crate) fn urls_for(event_type: &str) -> Vec<&'static str> {
    subscribers(event_type).collect()
}

/// One delivery to make: an outbox row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Delivery {
    /// The outbox row: what `delivered` and `delivery_failed` name.
    pub id: i64,
    /// The event id (the `Idempotency-Key`).
    pub event_id: String,
    /// One of [`EVENT_TYPES`] (`lead.stopped`, …): the receiver dispatches on it.
    pub event_type: String,
    /// The payload to send, as stored.
    pub body: String,
    /// When the event happened (ms): retries stop 24 hours after.
    pub created_at: i64,
    /// Attempts so far: the next one waits `webhooks::backoff` of it.
    pub attempts: i64,
}

/// Counts of one webhook's outbox, for `check` and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Not yet delivered and not given up.
    pub pending: i64,
    /// Answered with a 2xx by the endpoint.
    pub delivered: i64,
    /// Given up after 24 hours of retries.
    pub failed: i64,
}

impl Store {
    /// Claims up to `limit` deliveries of `webhook` that are due at `now`, each the oldest
    /// pending event of its key (so a lead's events go out in order), for `lease`: another
    /// daemon does not take them meanwhile.
    ///
    /// # Errors
    /// Database errors.
    pub async fn claim_deliveries(
        &self,
        webhook: &str,
        now: DateTime<Utc>,
        lease: std::time::Duration,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let now_ms = to_ms(now);
        let until = now_ms + lease.as_millis() as i64;
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let rows = sqlx::query_as::<_, Delivery>(
                "SELECT o.id, o.event_id, o.event_type, o.body, o.created_at, o.attempts FROM webhook_outbox o \
                 WHERE o.webhook = $1 AND o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_at <= $2 \
                 AND (o.claimed_until IS NULL OR o.claimed_until < $2) \
                 AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.webhook = o.webhook \
                   AND p.lead_key = o.lead_key AND p.id < o.id AND p.delivered_at IS NULL AND p.failed_at IS NULL) \
                 ORDER BY o.id LIMIT $3",
            )
            .bind(webhook)
            .bind(now_ms)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut claimed = Vec::with_capacity(rows.len());
            for d in rows {
                let n = sqlx::query(
                    "UPDATE webhook_outbox SET claimed_until = $1 WHERE id = $2 \
                     AND (claimed_until IS NULL OR claimed_until < $3)",
                )
                .bind(until)
                .bind(d.id)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    claimed.push(d);
                }
            }
            tx.commit().await?;
            Ok(claimed)
        })
    }

    /// Records a delivery the endpoint accepted.
    ///
    /// # Errors
    /// Database errors.
    pub async fn delivered(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE webhook_outbox SET delivered_at = $1, attempts = attempts + 1, claimed_until = NULL, \
             last_error = NULL WHERE id = $2"
        )
        .bind(to_ms(now))
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())?);
        Ok(())
    }

    /// Records a failed attempt: tried again at `retry_at`, or given up (`None`).
    ///
    /// # Errors
    /// Database errors.
    pub async fn delivery_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (next_at, failed_at) = match retry_at {
            Some(t) => (to_ms(t), None),
            None => (to_ms(now), Some(to_ms(now))),
        };
        with_pool!(self, |pool| {
            sqlx::query(
            "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = $1, failed_at = $2, last_error = $3, \
             claimed_until = NULL WHERE id = $4"
        )
        .bind(next_at)
        .bind(failed_at)
        .bind(crate::domain::clip(error, 500))
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())?
        });
        Ok(())
    }

    /// When the next delivery of `webhook` falls due (none pending: `None`).
    ///
    /// # Errors
    /// Database errors.
    pub async fn next_delivery_at(&self, webhook: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let ms = with_pool!(self, |pool| {
            sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MIN(next_at) FROM webhook_outbox WHERE webhook = $1 AND delivered_at IS NULL AND failed_at IS NULL"
        )
        .bind(webhook)
        .fetch_one(pool)
        .await?
        });
        Ok(ms.map(from_ms))
    }

    /// How many of `webhook`'s events are pending, delivered, given up.
    ///
    /// # Errors
    /// Database errors.
    pub async fn outbox_counts(&self, webhook: &str) -> Result<OutboxCounts, StoreError> {
        let (pending, delivered, failed) = with_pool!(self, |pool| sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT \
             COALESCE(SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM webhook_outbox WHERE webhook = $1"
        )
        .bind(webhook)
        .fetch_one(pool)
        .await?);
        Ok(OutboxCounts {
            pending,
            delivered,
            failed,
        })
    }
}
