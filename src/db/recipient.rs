//! The store's side of what recipients do through the public links: a one-click unsubscribe,
//! the clicks on tracked links, and the bounce-rate brake of a campaign.
//!
//! The decisions are the pure ones of `domain::recipient`; these methods fetch their facts
//! and write their outcome in one transaction each, through `write_transition!`, like every
//! other change of an enrollment.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::db::rows::{from_ms, stored_spec, to_ms, EnrollmentRow, ENROLLMENT_COLUMNS, ENROLLMENT_FROM};
use crate::db::{Actor, Backend, BeginWrite, Cause, Store, StoreError};
use crate::domain::campaign::CampaignSpec;
use crate::domain::decide::Candidate;
use crate::domain::lead::Status;
use crate::domain::link::ClickLink;
use crate::domain::recipient::{
    click_event, click_verdict, over_bounce_rate, unsubscribe, ClickFacts, ClickVerdict,
};

/// How often a transition is tried again when its row changed under it.
const CONFLICT_RETRIES: usize = 5;

/// The most recent sends of a campaign its bounce rate is taken over (counted as recipients:
/// a lead sent two steps counts once).
pub const RECENT_SENDS: i64 = 200;

/// What a one-click unsubscribe did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsubscribed {
    /// The campaign of the enrollment the link named.
    pub campaign: String,
    /// Enrollments stopped or skipped now (0 when the person had already left).
    pub changed: u64,
}

/// A click as the HTTP listener saw it, before it is judged.
#[derive(Debug, Clone)]
pub struct NewClick {
    /// The link its token named.
    pub link: ClickLink,
    /// When it came.
    pub at: DateTime<Utc>,
    /// Whether it was a `HEAD` request.
    pub head: bool,
    /// The `User-Agent` header, clipped.
    pub user_agent: Option<String>,
}

/// What judging a click did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedClick {
    /// Whose click it was taken for.
    pub verdict: ClickVerdict,
    /// The event applied to the enrollment, if the campaign's `on_click` asked for one and
    /// the lifecycle allowed it.
    pub applied: Option<&'static str>,
}

/// A campaign the bounce-rate brake paused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Braked {
    /// The campaign.
    pub campaign: String,
    /// Recipients of its recent sends.
    pub sent: u64,
    /// Of which hard-bounced.
    pub bounced: u64,
}

impl Store {
    /// Unsubscribes the person of enrollment `enrollment_id` at once: their address joins
    /// the suppression list and their enrollments stop (or are skipped) as
    /// `domain::recipient::unsubscribe` decides, all in one transaction. Idempotent: a second
    /// call changes nothing and answers the same. `None` when no such enrollment exists.
    ///
    /// # Errors
    /// Database errors (nothing is written then).
    pub async fn unsubscribe(
        &self,
        enrollment_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<Unsubscribed>, StoreError> {
        with_pool!(self, |pool| {
            // BEGIN IMMEDIATE on SQLite (`begin_write`): the lock is taken at once, waiting out
            // other writers, rather than upgraded after the reads (which fails when another
            // writer got in between, as many unsubscribes at once make likely).
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO suppressions (email, reason, message_id, created_at) \
                 SELECT l.email, 'unsubscribed', NULL, $2 FROM enrollments e JOIN leads l ON l.id = e.lead_id \
                 WHERE e.id = $1 ON CONFLICT (email) DO NOTHING",
            )
            .bind(enrollment_id)
            .bind(to_ms(now))
            .execute(&mut *tx)
            .await?;
            let by_id = format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id = $1");
            let Some(row): Option<EnrollmentRow> = sqlx::query_as(&by_id)
                .bind(enrollment_id)
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(None);
            };
            let person = format!(
                "SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.lead_id = $1 \
                 AND (c.status IN ('active', 'paused') OR e.id = $2) ORDER BY e.id"
            );
            let rows: Vec<EnrollmentRow> = sqlx::query_as(&person)
                .bind(row.lead_id)
                .bind(enrollment_id)
                .fetch_all(&mut *tx)
                .await?;
            // A campaign whose stored text no longer parses has no policy to go by: its
            // enrollments stay as they are (the suppression already keeps mail from them).
            let mut specs: BTreeMap<i64, Option<CampaignSpec>> = BTreeMap::new();
            for r in &rows {
                if specs.contains_key(&r.campaign_id) {
                    continue;
                }
                let text: String = sqlx::query_scalar("SELECT spec_toml FROM campaigns WHERE id = $1")
                    .bind(r.campaign_id)
                    .fetch_one(&mut *tx)
                    .await?;
                specs.insert(r.campaign_id, stored_spec(&r.campaign, &text).ok());
            }
            let candidates: Vec<Candidate> = rows
                .iter()
                .filter_map(|r| {
                    let spec = specs.get(&r.campaign_id)?.as_ref()?;
                    Some(Candidate {
                        enrollment_id: r.id,
                        matched: r.id == enrollment_id,
                        status: Status::parse(&r.status)?,
                        policy: spec.policy.clone(),
                        window: spec.window.clone(),
                        tz: r
                            .timezone
                            .as_deref()
                            .and_then(|t| t.parse::<Tz>().ok())
                            .unwrap_or(spec.timezone),
                    })
                })
                .collect();
            let cause = Cause {
                actor: Actor::Auto,
                rule: None,
                message_id: None,
                note: Some("one-click unsubscribe link".to_string()),
            };
            let mut changed = 0;
            for (id, event) in unsubscribe(enrollment_id, &candidates, now) {
                let mut done = false;
                for _ in 0..CONFLICT_RETRIES {
                    let current: EnrollmentRow = sqlx::query_as(&by_id).bind(id).fetch_one(&mut *tx).await?;
                    match write_transition!(tx, &current, &event, &cause, now) {
                        Err(StoreError::Conflict(_)) => continue,
                        Err(e) => return Err(e),
                        Ok(Ok(_)) => {
                            changed += 1;
                            done = true;
                            break;
                        }
                        // Changed meanwhile into a state the event does not apply to (already
                        // stopped by a reply, say): nothing left to do for it.
                        Ok(Err(_)) => {
                            done = true;
                            break;
                        }
                    }
                }
                if !done {
                    return Err(StoreError::Conflict(id));
                }
            }
            tx.commit().await?;
            Ok(Some(Unsubscribed {
                campaign: row.campaign,
                changed,
            }))
        })
    }

    /// Records a click as it came (not judged yet); returns its id. The HTTP answer does not
    /// wait for this: the listener hands clicks to a recorder task.
    ///
    /// # Errors
    /// Database errors.
    pub async fn record_click(&self, click: &NewClick) -> Result<i64, StoreError> {
        with_pool!(self, |pool| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO clicks (enrollment_id, step, link, at, method, user_agent) \
                 SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM enrollments WHERE id = $1) RETURNING id",
            )
            .bind(click.link.enrollment_id)
            .bind(i64::from(click.link.step))
            .bind(i64::from(click.link.link))
            .bind(to_ms(click.at))
            .bind(if click.head { "HEAD" } else { "GET" })
            .bind(click.user_agent.as_deref())
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("enrollment {}", click.link.enrollment_id)))?;
            Ok(id)
        })
    }

    /// Judges a recorded click (once the other clicks of its mail within the same second have
    /// had time to arrive, from any daemon): a person's or a machine's, by
    /// `domain::recipient::click_verdict`; stores the verdict and a `click` event on the lead,
    /// and for a person's click applies what the campaign's `on_click` says. One transaction.
    /// `None` when the click or its enrollment is gone, or was judged already.
    ///
    /// # Errors
    /// Database errors.
    pub async fn judge_click(
        &self,
        click_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<JudgedClick>, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let click: Option<(i64, i64, i64, i64, String, Option<String>)> = sqlx::query_as(
                "SELECT enrollment_id, step, link, at, method, user_agent FROM clicks WHERE id = $1 AND verdict IS NULL",
            )
            .bind(click_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((enrollment_id, step, link, at, method, user_agent)) = click else {
                return Ok(None);
            };
            let by_id = format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id = $1");
            let Some(row): Option<EnrollmentRow> = sqlx::query_as(&by_id)
                .bind(enrollment_id)
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(None);
            };
            let sent_at: Option<i64> =
                sqlx::query_scalar("SELECT sent_at FROM sends WHERE enrollment_id = $1 AND step = $2")
                    .bind(enrollment_id)
                    .bind(step)
                    .fetch_optional(&mut *tx)
                    .await?
                    .flatten();
            let others: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM clicks WHERE enrollment_id = $1 AND step = $2 AND link <> $3 \
                 AND at > $4 - 1000 AND at < $4 + 1000",
            )
            .bind(enrollment_id)
            .bind(step)
            .bind(link)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let text: String = sqlx::query_scalar("SELECT spec_toml FROM campaigns WHERE id = $1")
                .bind(row.campaign_id)
                .fetch_one(&mut *tx)
                .await?;
            let spec = stored_spec(&row.campaign, &text).ok();
            let min_click_delay = spec
                .as_ref()
                .map_or(std::time::Duration::from_secs(10), |s| s.tracking.min_click_delay);
            let verdict = click_verdict(&ClickFacts {
                head: method == "HEAD",
                user_agent: user_agent.as_deref(),
                at: from_ms(at),
                sent_at: sent_at.map(from_ms),
                min_click_delay,
                other_link_same_second: others > 0,
            });
            sqlx::query("UPDATE clicks SET verdict = $1 WHERE id = $2")
                .bind(verdict.as_str())
                .bind(click_id)
                .execute(&mut *tx)
                .await?;
            let note = format!("link {} of step {}", link + 1, step + 1);
            sqlx::query(
                "INSERT INTO events (enrollment_id, at, kind, from_status, to_status, actor, reason, note) \
                 VALUES ($1, $2, 'click', $3, $3, 'auto', $4, $5)",
            )
            .bind(enrollment_id)
            .bind(at)
            .bind(&row.status)
            .bind(verdict.as_str())
            .bind(&note)
            .execute(&mut *tx)
            .await?;
            let mut applied = None;
            // A campaign that no longer parses has no `on_click` to go by: recorded only.
            if let (ClickVerdict::Human, Some(spec)) = (verdict, &spec) {
                let status = Status::parse(&row.status);
                if let Some(event) = status.and_then(|s| click_event(spec.policy.on_click, s, now)) {
                    let cause = Cause {
                        actor: Actor::Auto,
                        rule: None,
                        message_id: None,
                        note: Some(format!("clicked {note}")),
                    };
                    let mut current = row;
                    for attempt in 0..=CONFLICT_RETRIES {
                        match write_transition!(tx, &current, &event, &cause, now) {
                            Err(StoreError::Conflict(id)) if attempt == CONFLICT_RETRIES => {
                                return Err(StoreError::Conflict(id))
                            }
                            Err(StoreError::Conflict(_)) => {
                                current = sqlx::query_as(&by_id)
                                    .bind(enrollment_id)
                                    .fetch_one(&mut *tx)
                                    .await?;
                            }
                            Err(e) => return Err(e),
                            Ok(Ok(_)) => {
                                applied = Some(event.name());
                                break;
                            }
                            Ok(Err(_)) => break,
                        }
                    }
                }
            }
            tx.commit().await?;
            metrics::counter!("cadenced_clicks_total", "verdict" => verdict.as_str()).increment(1);
            Ok(Some(JudgedClick { verdict, applied }))
        })
    }

    /// Clicks recorded but never judged (the daemon stopped within the second after them):
    /// judged at the next start.
    ///
    /// # Errors
    /// Database errors.
    pub async fn unjudged_clicks(&self, limit: i64) -> Result<Vec<i64>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_scalar(
            "SELECT id FROM clicks WHERE verdict IS NULL ORDER BY id LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// The bounce-rate brake: every active campaign with `policy.max_bounce_rate` whose
    /// recent sends (the last [`RECENT_SENDS`] since launch or the operator's last resume,
    /// counted as recipients) bounced hard above that rate, once there are
    /// `policy.min_sends_for_rate` of them, is paused with reason `bounce_rate`. Only an
    /// operator resumes it, and the rate then counts afresh from the resume. With `only`,
    /// just the campaign of that enrollment is looked at (after a bounce at send time).
    ///
    /// # Errors
    /// Database errors.
    pub async fn brake_bounce_rate(
        &self,
        only: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Braked>, StoreError> {
        let campaigns: Vec<(i64, String, String, Option<i64>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, name, spec_toml, rate_since FROM campaigns WHERE status = 'active' \
                 AND ($1 = 0 OR id = (SELECT campaign_id FROM enrollments WHERE id = $1)) ORDER BY id",
            )
            .bind(only.unwrap_or(0))
            .fetch_all(pool)
            .await?
        });
        let mut braked = Vec::new();
        for (id, name, text, rate_since) in campaigns {
            let Ok(spec) = stored_spec(&name, &text) else {
                continue;
            };
            if spec.policy.max_bounce_rate.is_none() {
                continue;
            }
            let (sent, bounced): (i64, i64) = with_pool!(self, |pool| {
                sqlx::query_as(
                    "SELECT COUNT(DISTINCT r.enrollment_id), \
                     COUNT(DISTINCT CASE WHEN e.stop_reason = 'bounced' THEN r.enrollment_id END) \
                     FROM (SELECT s.enrollment_id FROM sends s JOIN enrollments e0 ON e0.id = s.enrollment_id \
                           WHERE e0.campaign_id = $1 AND s.state IN ('sent', 'bounced') AND s.claimed_at >= $2 \
                           ORDER BY s.claimed_at DESC LIMIT $3) r \
                     JOIN enrollments e ON e.id = r.enrollment_id",
                )
                .bind(id)
                .bind(rate_since.unwrap_or(0))
                .bind(RECENT_SENDS)
                .fetch_one(pool)
                .await?
            });
            let (sent, bounced) = (sent.max(0) as u64, bounced.max(0) as u64);
            if !over_bounce_rate(
                sent,
                bounced,
                spec.policy.max_bounce_rate,
                spec.policy.min_sends_for_rate,
            ) {
                continue;
            }
            match self.pause_campaign_because(&name, "bounce_rate", now).await {
                Ok(_) => braked.push(Braked {
                    campaign: name,
                    sent,
                    bounced,
                }),
                // Paused meanwhile by an operator or another daemon: nothing to do.
                Err(StoreError::Refused(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(braked)
    }
}
