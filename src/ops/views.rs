//! The views of an enrollment and its history: the JSON the CLI's `--json` prints and the
//! API answers (one struct for both, so the field names cannot drift apart), with what
//! explains a lead's wait ([`ViewContext`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::db::rows::{from_ms, CampaignRow, EnrollmentRow, EventRow};
use crate::db::sends::{SendRow, WaitingSend};
use crate::db::{Store, StoreError};
use crate::domain::campaign::CampaignSpec;
use crate::domain::campaign::CampaignStatus;

/// The JSON view of an enrollment. Field names are a contract (DESIGN.md "Interfaces").
#[derive(Debug, Serialize)]
pub struct EnrollmentView {
    /// The lead's address as imported (lowercased): with `campaign`, what names an
    /// enrollment in every other command.
    pub email: String,
    /// The campaign's name as in its file.
    pub campaign: String,
    /// `launch`, `in_progress`, `paused`, `completed`, `stopped` or `skipped` (DESIGN.md
    /// "Lead lifecycle").
    pub status: String,
    /// Steps sent so far (0 before the first step).
    pub current_step: i64,
    /// When the next step is due, RFC 3339 UTC.
    pub next_send_at: Option<String>,
    /// Delay left before the next step, seconds.
    pub remaining_delay_s: Option<i64>,
    /// When the pause began, RFC 3339 UTC: what `report` ages stale pauses from.
    pub paused_at: Option<String>,
    /// `auto` (a reply) or `operator`: an automatic decision never lifts an operator's pause.
    pub pause_source: Option<String>,
    /// `out_of_office`, `callback`, `sender_changed`, `manual`, …
    pub pause_reason: Option<String>,
    /// Return date read from the reply, `YYYY-MM-DD`.
    pub return_date: Option<String>,
    /// When it resumes by itself, RFC 3339 UTC; `null` on a pause that waits for a person.
    pub resume_at: Option<String>,
    /// `replied`, `unsubscribed`, `bounced`, `manual`, `stale_pause`, … once stopped.
    pub stop_reason: Option<String>,
    /// The operator's note, or the rule that paused or stopped it; never a mail body.
    pub note: Option<String>,
    /// When the next step will go out at the earliest: `next_send_at` (or, before the first
    /// step, the launch plus its delay) moved into the sending window in the lead's timezone;
    /// the daily cap and the gap between sends may add to it. `null` when nothing is due.
    pub sends_at: Option<String>,
    /// Why the lead waits, when it is for something other than its countdown: a step that
    /// cannot be sent, a temporary failure, an unhealthy mailbox, a campaign not running,
    /// a closed sending window.
    pub waiting: Option<String>,
    /// The lead's data (name, company, timezone, custom columns), `lead show` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// The lead's history, oldest first (`lead show` only): why it is where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventView>>,
}

/// One entry of a lead's history (an `events` row): field names are a contract, like
/// [`EnrollmentView`]'s.
#[derive(Debug, Serialize)]
pub struct EventView {
    /// When it happened, RFC 3339 UTC.
    pub at: String,
    /// `step_sent`, `pause`, `resume`, `stop`, `skip`, `unskip`, `campaign_pause`,
    /// `campaign_resume`.
    pub kind: String,
    /// The status it left.
    pub from: String,
    /// The status it led to.
    pub to: String,
    /// `operator`, `auto` (a reply) or `system` (the daemon's own bookkeeping).
    pub actor: String,
    /// The pause or stop reason it recorded.
    pub reason: Option<String>,
    /// The rule that classified the reply behind it, for automatic decisions.
    pub rule: Option<String>,
    /// The Message-ID involved: the step's own for `step_sent`, the reply's for a pause or
    /// stop it caused.
    pub message_id: Option<String>,
    /// The return date a reply gave, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The operator's note or the daemon's reason in words.
    pub note: Option<String>,
}

/// The one time format of the CLI's output: RFC 3339 in UTC, whole seconds, `Z` (scripts
/// compare these as text).
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
            sends_at: None,
            waiting: None,
            fields: None,
            events: None,
        }
    }

    /// Adds when the next step goes out and why the lead waits, from `ctx`.
    pub fn explained(mut self, row: &EnrollmentRow, ctx: &ViewContext, now: DateTime<Utc>) -> EnrollmentView {
        let (sends_at, waiting) = ctx.explain(row, now);
        self.sends_at = sends_at.map(rfc3339);
        self.waiting = waiting;
        self
    }

    /// Adds the lead's data.
    pub fn with_fields(mut self, row: &EnrollmentRow) -> EnrollmentView {
        let mut fields = crate::db::lead_fields(row);
        fields.remove("email");
        if let Some(tz) = &row.timezone {
            fields.insert("timezone".to_string(), tz.clone());
        }
        self.fields = Some(fields);
        self
    }

    /// Adds the history; `sends` (the lead's sends by step) give each `step_sent` its
    /// Message-ID.
    pub fn with_events(mut self, events: &[EventRow], sends: &[SendRow]) -> EnrollmentView {
        let mut steps_seen = 0i64;
        self.events = Some(
            events
                .iter()
                .map(|e| EventView {
                    message_id: if e.kind == "step_sent" {
                        steps_seen += 1;
                        sends
                            .iter()
                            .find(|s| s.step == steps_seen - 1)
                            .map(|s| s.message_id.clone())
                    } else {
                        e.inbound_message_id.clone()
                    },
                    at: rfc3339(from_ms(e.at)),
                    kind: e.kind.clone(),
                    from: e.from_status.clone(),
                    to: e.to_status.clone(),
                    actor: e.actor.clone(),
                    reason: e.reason.clone(),
                    rule: e.rule.clone(),
                    date: e.date.clone(),
                    note: e.note.clone(),
                })
                .collect(),
        );
        self
    }
}

/// What the CLI needs besides a row to say when a lead's next step goes and why it waits:
/// the campaigns (with their parsed files), the steps held or retried, the unhealthy
/// mailboxes. Loaded once per command.
#[derive(Debug, Default)]
pub struct ViewContext {
    campaigns: HashMap<i64, (CampaignRow, Option<CampaignSpec>)>,
    waiting: HashMap<i64, WaitingSend>,
    unhealthy: HashMap<String, String>,
    /// Campaigns whose mailbox reached the campaign's daily cap today: the cap.
    cap_reached: HashMap<i64, u32>,
}

impl ViewContext {
    /// Reads what the views need.
    ///
    /// # Errors
    /// Database errors.
    pub async fn load(store: &Store, now: DateTime<Utc>) -> Result<ViewContext, StoreError> {
        let mut ctx = ViewContext::default();
        for c in store.campaigns().await? {
            // The daily cap counts the mailbox's sends since local midnight in the campaign's
            // timezone, as the scheduler does.
            if let (CampaignStatus::Active, Ok(spec)) = (c.status, c.spec()) {
                if let Some(cap) = spec.limits.daily_cap {
                    let today = now.with_timezone(&spec.timezone).date_naive();
                    let midnight =
                        crate::domain::window::local_instant(today, chrono::NaiveTime::MIN, spec.timezone);
                    if store.sends_since(&c.mailbox, midnight).await? >= i64::from(cap) {
                        ctx.cap_reached.insert(c.id, cap);
                    }
                }
            }
            if !ctx.unhealthy.contains_key(&c.mailbox) {
                if let (false, why) = store.mailbox_health(&c.mailbox).await? {
                    ctx.unhealthy.insert(
                        c.mailbox.clone(),
                        why.unwrap_or_else(|| "unknown error".to_string()),
                    );
                }
            }
            let spec = c.spec().ok();
            ctx.campaigns.insert(c.id, (c, spec));
        }
        for w in store.waiting_sends().await? {
            ctx.waiting.insert(w.enrollment_id, w);
        }
        Ok(ctx)
    }

    /// The step of this enrollment that is held or retried, if any.
    pub fn waiting(&self, enrollment_id: i64) -> Option<&WaitingSend> {
        self.waiting.get(&enrollment_id)
    }

    /// When the lead's next step goes out at the earliest, and why it waits.
    fn explain(&self, row: &EnrollmentRow, now: DateTime<Utc>) -> (Option<DateTime<Utc>>, Option<String>) {
        let Some((campaign, spec)) = self.campaigns.get(&row.campaign_id) else {
            return (None, None);
        };
        if !matches!(row.status.as_str(), "launch" | "in_progress") {
            return (None, None);
        }
        let Some(spec) = spec else {
            return (
                None,
                Some(format!("stored campaign {:?} no longer parses", campaign.name)),
            );
        };
        match campaign.status {
            CampaignStatus::Draft => {
                return (
                    None,
                    Some(format!(
                        "campaign not launched yet (cadenced campaign launch {})",
                        campaign.name
                    )),
                )
            }
            CampaignStatus::Paused => return (None, Some("campaign paused".to_string())),
            CampaignStatus::Archived => return (None, Some("campaign archived".to_string())),
            CampaignStatus::Active => {}
        }
        let held = self.waiting.get(&row.id);
        if let Some(w) = held.filter(|w| w.state == "failed") {
            return (
                None,
                Some(format!(
                    "step {} cannot be sent: {}; fix the data and import it again, or cadenced sends resolve {} --not-sent",
                    w.step + 1,
                    w.error.as_deref().unwrap_or("unknown error"),
                    w.message_id
                )),
            );
        }
        if let Some(w) = held.filter(|w| w.state == "uncertain") {
            return (
                None,
                Some(format!(
                    "step {} may have gone out ({}); it is never sent again by itself: cadenced sends resolve {} --sent or --not-sent",
                    w.step + 1,
                    w.error.as_deref().unwrap_or("left open by a stop"),
                    w.message_id
                )),
            );
        }
        let Some(countdown_end) = spec.step_due(
            row.steps_sent as usize,
            row.next_send_at.map(from_ms),
            campaign.launched_at.map(from_ms),
        ) else {
            return (None, None);
        };
        let retry_at = held.and_then(|w| w.due_at).map(from_ms);
        let earliest = countdown_end.max(retry_at.unwrap_or(countdown_end)).max(now);
        let tz: Tz = row
            .timezone
            .as_deref()
            .and_then(|z| z.parse().ok())
            .unwrap_or(spec.timezone);
        let mut sends_at = spec.window.next_open_at_or_after(earliest, tz);
        let capped = sends_at <= now && held.is_none();
        let cap = self.cap_reached.get(&campaign.id).filter(|_| capped);
        if cap.is_some() {
            let today = now.with_timezone(&spec.timezone).date_naive();
            let tomorrow = today.succ_opt().unwrap_or(today);
            sends_at = spec.window.next_open_at_or_after(
                crate::domain::window::local_instant(tomorrow, chrono::NaiveTime::MIN, spec.timezone),
                tz,
            );
        }
        let waiting = if let Some(why) = self.unhealthy.get(&campaign.mailbox) {
            Some(format!("mailbox {} is unhealthy: {why}", campaign.mailbox))
        } else if let Some(w) = held {
            Some(format!(
                "step {} failed temporarily ({}); tried again at {}",
                w.step + 1,
                w.error.as_deref().unwrap_or("unknown error"),
                rfc3339(sends_at)
            ))
        } else if let Some(cap) = cap {
            Some(format!(
                "the daily cap ({cap} sends from mailbox {}) is reached; next send at {}",
                campaign.mailbox,
                rfc3339(sends_at)
            ))
        } else if sends_at > earliest {
            let days: Vec<String> = spec.window.days().iter().map(|d| d.to_string()).collect();
            Some(format!(
                "outside the sending window ({} {}-{} {tz}); it opens at {}",
                days.join(","),
                spec.window.start().format("%H:%M"),
                spec.window
                    .end()
                    .map_or("24:00".to_string(), |e| e.format("%H:%M").to_string()),
                rfc3339(sends_at)
            ))
        } else {
            None
        };
        (Some(sends_at), waiting)
    }
}
