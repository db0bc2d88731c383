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
    over_bounce_rate, ClickCase, ClickDecision, ClickVerdict, Reachable, UnsubscribeFacts,
};

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

/// The facts of a click as read, with what applying its decision needs: the click's place
/// (for the event's words) and the enrollment's status and version, which must still hold.
#[derive(Debug, Clone)]
pub struct ClickSnapshot {
    /// What the decision is taken on.
    pub case: ClickCase,
    click_id: i64,
    enrollment_id: i64,
    /// The step (0 is the first) and the link (0 is the first) clicked.
    step: i64,
    link: i64,
    /// The enrollment's status as stored: the click event's from and to.
    status: String,
    version: i64,
}

/// The steps of judging a click that read, each inside the caller's transaction (the writes
/// are the reply path's `ReplyTx::transition` and two statements). Implemented once, by
/// [`click_tx!`], for each backend's transaction.
trait ClickTx {
    /// The facts of click `click_id`, `None` when it or its enrollment is gone or it was
    /// judged already.
    async fn click_case(&mut self, click_id: i64) -> Result<Option<ClickSnapshot>, StoreError>;
    /// Whether the click is still unjudged and its enrollment still there; a
    /// [`StoreError::Conflict`] when the enrollment is at another version than read.
    async fn click_unchanged(&mut self, snapshot: &ClickSnapshot) -> Result<bool, StoreError>;
}

/// Implements [`ClickTx`] for the transaction type of one backend; the SQL is the same.
macro_rules! click_tx {
    ($db:ty) => {
        impl ClickTx for sqlx::Transaction<'_, $db> {
            async fn click_case(&mut self, click_id: i64) -> Result<Option<ClickSnapshot>, StoreError> {
                let click: Option<(i64, i64, i64, i64, String, Option<String>)> = sqlx::query_as(
                    "SELECT enrollment_id, step, link, at, method, user_agent FROM clicks WHERE id = $1 \
                     AND verdict IS NULL",
                )
                .bind(click_id)
                .fetch_optional(&mut **self)
                .await?;
                let Some((enrollment_id, step, link, at, method, user_agent)) = click else {
                    return Ok(None);
                };
                let sql =
                    format!("SELECT {ENROLLMENT_COLUMNS}, c.spec_toml {ENROLLMENT_FROM} WHERE e.id = $1");
                let Some(r) = sqlx::query(&sql)
                    .bind(enrollment_id)
                    .fetch_optional(&mut **self)
                    .await?
                else {
                    return Ok(None);
                };
                let row = <EnrollmentRow as sqlx::FromRow<_>>::from_row(&r)?;
                let text: String = sqlx::Row::try_get(&r, "spec_toml")?;
                let sent_at: Option<i64> =
                    sqlx::query_scalar("SELECT sent_at FROM sends WHERE enrollment_id = $1 AND step = $2")
                        .bind(enrollment_id)
                        .bind(step)
                        .fetch_optional(&mut **self)
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
                .fetch_one(&mut **self)
                .await?;
                Ok(Some(ClickSnapshot {
                    case: ClickCase {
                        head: method == "HEAD",
                        user_agent,
                        at: from_ms(at),
                        sent_at: sent_at.map(from_ms),
                        other_link_same_second: others > 0,
                        status: Status::parse(&row.status),
                        campaign: stored_spec(&row.campaign, &text),
                    },
                    click_id,
                    enrollment_id,
                    step,
                    link,
                    status: row.status,
                    version: row.version,
                }))
            }

            async fn click_unchanged(&mut self, snapshot: &ClickSnapshot) -> Result<bool, StoreError> {
                let unjudged: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM clicks WHERE id = $1 AND verdict IS NULL")
                        .bind(snapshot.click_id)
                        .fetch_optional(&mut **self)
                        .await?;
                let version: Option<i64> =
                    sqlx::query_scalar("SELECT version FROM enrollments WHERE id = $1")
                        .bind(snapshot.enrollment_id)
                        .fetch_optional(&mut **self)
                        .await?;
                match (unjudged, version) {
                    (Some(_), Some(v)) if v == snapshot.version => Ok(true),
                    (Some(_), Some(_)) => Err(StoreError::Conflict(snapshot.enrollment_id)),
                    _ => Ok(false),
                }
            }
        }
    };
}

click_tx!(sqlx::Sqlite);
click_tx!(sqlx::Postgres);

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

    /// What is known of click `click_id` when it is judged (see [`ClickCase`]), read in one
    /// transaction; `None` when the click or its enrollment is gone, or it was judged already.
    /// `domain::recipient::decide_click` decides on it and [`Store::apply_click`] applies the
    /// decision (`ops::judge_click` does all three).
    ///
    /// # Errors
    /// Database errors.
    pub async fn click_facts(&self, click_id: i64) -> Result<Option<ClickSnapshot>, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let snapshot = tx.click_case(click_id).await?;
            tx.rollback().await?;
            Ok(snapshot)
        })
    }

    /// Applies `decision` (taken on `snapshot`): stores the verdict and a `click` event on the
    /// lead, and applies the decision's event through `LeadState::apply` (a refusal changes
    /// nothing). One transaction, written only while the click is unjudged and the enrollment
    /// at the version read. `None` when the click was judged meanwhile (by another daemon) or
    /// its enrollment is gone.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the enrollment changed since it was read (read it and
    /// decide again); database errors. Nothing is written then.
    pub async fn apply_click(
        &self,
        snapshot: &ClickSnapshot,
        decision: &ClickDecision,
        now: DateTime<Utc>,
    ) -> Result<Option<JudgedClick>, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            if !tx.click_unchanged(snapshot).await? {
                return Ok(None);
            }
            let verdict = decision.verdict;
            sqlx::query("UPDATE clicks SET verdict = $1 WHERE id = $2")
                .bind(verdict.as_str())
                .bind(snapshot.click_id)
                .execute(&mut *tx)
                .await?;
            let note = format!("link {} of step {}", snapshot.link + 1, snapshot.step + 1);
            sqlx::query(
                "INSERT INTO events (enrollment_id, at, kind, from_status, to_status, actor, reason, note) \
                 VALUES ($1, $2, 'click', $3, $3, 'auto', $4, $5)",
            )
            .bind(snapshot.enrollment_id)
            .bind(to_ms(snapshot.case.at))
            .bind(&snapshot.status)
            .bind(verdict.as_str())
            .bind(&note)
            .execute(&mut *tx)
            .await?;
            let mut applied = None;
            if let Some(event) = &decision.event {
                let cause = Cause {
                    actor: Actor::Auto,
                    rule: None,
                    message_id: None,
                    note: Some(format!("clicked {note}")),
                };
                if tx
                    .transition(snapshot.enrollment_id, event, &cause, now)
                    .await?
                    .is_ok()
                {
                    applied = Some(event.name());
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
