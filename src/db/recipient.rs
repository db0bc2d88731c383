//! The store's side of what recipients do through the public links: a one-click unsubscribe,
//! the clicks on tracked links, and the bounce-rate brake of a campaign.
//!
//! The decisions are the pure ones of `domain::recipient`; these methods fetch their facts
//! and write their outcome in one transaction each, through `write_transition!`, like every
//! other change of an enrollment. The unsubscribe has the reply path's shape: facts read
//! ([`Store::unsubscribe_facts`]), a pure decision, a method that only applies it
//! ([`Store::apply_unsubscribe`]) while the facts still hold.

use chrono::{DateTime, Utc};

use crate::db::inbound::ReplyTx;
use crate::db::rows::{from_ms, stored_spec, to_ms, EnrollmentRow, ENROLLMENT_COLUMNS, ENROLLMENT_FROM};
use crate::db::{Actor, Backend, BeginWrite, Cause, Store, StoreError};
use crate::domain::lead::{Event, Status};
use crate::domain::link::ClickLink;
use crate::domain::recipient::{
    click_event, click_verdict, over_bounce_rate, ClickFacts, ClickVerdict, Reachable, UnsubscribeFacts,
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
    /// The campaign paused (reason `bounce_rate`; only an operator resumes it).
    pub campaign: String,
    /// Recipients of its recent sends.
    pub sent: u64,
    /// Of which hard-bounced.
    pub bounced: u64,
}

/// The facts of a one-click unsubscribe as read, with what applying a decision on them needs:
/// the person's address and the versions of their reachable enrollments, which must still
/// hold when the decision is written.
#[derive(Debug, Clone)]
pub struct UnsubscribeSnapshot {
    /// What the decision is taken on.
    pub facts: UnsubscribeFacts,
    /// The campaign of the enrollment the link named, for the answer.
    campaign: String,
    /// The person, whose reachable enrollments are read again to check the versions.
    lead_id: i64,
    /// Their address, which joins the suppression list.
    email: String,
    /// `(enrollment id, version)` of each reachable enrollment, by id.
    versions: Vec<(i64, i64)>,
}

/// The enrollments an unsubscribe of `enrollment_id` may reach: the person's in running
/// campaigns, and that one whatever its campaign's status.
const REACHABLE: &str = "e.lead_id = $1 AND (c.status IN ('active', 'paused') OR e.id = $2) ORDER BY e.id";

/// The steps of reading an unsubscribe's facts and checking them before its decision is
/// written, each inside the caller's transaction (the writes are the reply path's
/// `ReplyTx::suppress` and `ReplyTx::transition`). Implemented once, by
/// [`unsubscribe_tx!`], for each backend's transaction.
trait UnsubscribeTx {
    /// The facts of an unsubscribe of `enrollment_id`, `None` when it does not exist.
    async fn reachable(&mut self, enrollment_id: i64) -> Result<Option<UnsubscribeSnapshot>, StoreError>;
    /// [`StoreError::Conflict`] unless the person's reachable enrollments are the rows of
    /// `snapshot` at its versions.
    async fn check_reachable_unchanged(&mut self, snapshot: &UnsubscribeSnapshot) -> Result<(), StoreError>;
}

/// Implements [`UnsubscribeTx`] for the transaction type of one backend; the SQL is the same.
macro_rules! unsubscribe_tx {
    ($db:ty) => {
        impl UnsubscribeTx for sqlx::Transaction<'_, $db> {
            async fn reachable(&mut self, enrollment_id: i64) -> Result<Option<UnsubscribeSnapshot>, StoreError> {
                let named: Option<(i64, String, String)> = sqlx::query_as(
                    "SELECT e.lead_id, c.name, l.email FROM enrollments e JOIN campaigns c ON c.id = e.campaign_id \
                     JOIN leads l ON l.id = e.lead_id WHERE e.id = $1",
                )
                .bind(enrollment_id)
                .fetch_optional(&mut **self)
                .await?;
                let Some((lead_id, campaign, email)) = named else {
                    return Ok(None);
                };
                let sql = format!("SELECT {ENROLLMENT_COLUMNS}, c.spec_toml {ENROLLMENT_FROM} WHERE {REACHABLE}");
                let rows = sqlx::query(&sql)
                    .bind(lead_id)
                    .bind(enrollment_id)
                    .fetch_all(&mut **self)
                    .await?;
                let mut enrollments = Vec::with_capacity(rows.len());
                let mut versions = Vec::with_capacity(rows.len());
                for r in &rows {
                    let row = <EnrollmentRow as sqlx::FromRow<_>>::from_row(r)?;
                    let text: String = sqlx::Row::try_get(r, "spec_toml")?;
                    versions.push((row.id, row.version));
                    // A status the lifecycle does not know is left alone, like an unreadable
                    // campaign's enrollment.
                    if let Some(status) = Status::parse(&row.status) {
                        enrollments.push(Reachable {
                            enrollment_id: row.id,
                            status,
                            campaign: stored_spec(&row.campaign, &text),
                        });
                    }
                }
                Ok(Some(UnsubscribeSnapshot {
                    facts: UnsubscribeFacts {
                        matched: enrollment_id,
                        enrollments,
                    },
                    campaign,
                    lead_id,
                    email,
                    versions,
                }))
            }

            async fn check_reachable_unchanged(&mut self, snapshot: &UnsubscribeSnapshot) -> Result<(), StoreError> {
                let sql = format!("SELECT e.id, e.version {ENROLLMENT_FROM} WHERE {REACHABLE}");
                let now: Vec<(i64, i64)> = sqlx::query_as(&sql)
                    .bind(snapshot.lead_id)
                    .bind(snapshot.facts.matched)
                    .fetch_all(&mut **self)
                    .await?;
                match now.iter().zip(&snapshot.versions).find(|(a, b)| a != b) {
                    Some(((id, _), _)) => Err(StoreError::Conflict(*id)),
                    None if now.len() != snapshot.versions.len() => Err(StoreError::Conflict(snapshot.facts.matched)),
                    None => Ok(()),
                }
            }
        }
    };
}

unsubscribe_tx!(sqlx::Sqlite);
unsubscribe_tx!(sqlx::Postgres);

impl Store {
    /// What is known when a one-click unsubscribe of enrollment `enrollment_id` comes (see
    /// [`UnsubscribeFacts`]), read in one transaction; `None` when no such enrollment exists.
    /// `domain::recipient::decide_unsubscribe` decides on the facts and
    /// [`Store::apply_unsubscribe`] applies the decision (`ops::unsubscribe` does all three).
    ///
    /// # Errors
    /// Database errors.
    pub async fn unsubscribe_facts(
        &self,
        enrollment_id: i64,
    ) -> Result<Option<UnsubscribeSnapshot>, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let snapshot = tx.reachable(enrollment_id).await?;
            tx.rollback().await?;
            Ok(snapshot)
        })
    }

    /// Applies `events` (the decision taken on `snapshot`): the person's address joins the
    /// suppression list and each event is applied through `LeadState::apply` (a refusal
    /// changes nothing and is not counted), all in one transaction, written only while the
    /// person's reachable enrollments are the rows read at the versions read. Applying the
    /// decision of a second unsubscribe changes nothing and answers the same.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the enrollments changed since they were read (read them
    /// and decide again); database errors. Nothing is written then.
    pub async fn apply_unsubscribe(
        &self,
        snapshot: &UnsubscribeSnapshot,
        events: &[(i64, Event)],
        now: DateTime<Utc>,
    ) -> Result<Unsubscribed, StoreError> {
        with_pool!(self, |pool| {
            // BEGIN IMMEDIATE on SQLite (`begin_write`): the lock is taken at once, waiting out
            // other writers, rather than upgraded after the check's read (which fails when
            // another writer got in between, as many unsubscribes at once make likely).
            let mut tx = pool.begin_write().await?;
            tx.check_reachable_unchanged(snapshot).await?;
            tx.suppress(&snapshot.email, "unsubscribed", None, now).await?;
            let cause = Cause {
                actor: Actor::Auto,
                rule: None,
                message_id: None,
                note: Some("one-click unsubscribe link".to_string()),
            };
            let mut changed = 0;
            for (id, event) in events {
                if tx.transition(*id, event, &cause, now).await?.is_ok() {
                    changed += 1;
                }
            }
            tx.commit().await?;
            Ok(Unsubscribed {
                campaign: snapshot.campaign.clone(),
                changed,
            })
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
