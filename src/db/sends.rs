//! The store's side of sending: finding due enrollments, claiming a step, recording its
//! outcome, mailbox health, and uncertain sends.
//!
//! Exactly once rests on three facts. A claim is a transaction that re-reads the enrollment,
//! inserts the `sends` row (unique per enrollment and step) and bumps the enrollment's
//! version: a pause committed before it makes it fail, and two claimers cannot both win.
//! The Message-ID is in that row before any byte goes to the SMTP server. A claim whose
//! outcome was never recorded (the process died in between) is never retried blindly: it
//! becomes `uncertain` and is reconciled against the Sent folder or left for an operator.

use chrono::{DateTime, Utc};

use crate::db::rows::{from_ms, to_ms, EnrollmentRow, ENROLLMENT_COLUMNS, ENROLLMENT_FROM};
use crate::db::{Backend, BeginWrite, Cause, Store, StoreError};
use crate::domain::lead::{Event, LeadState, StopReason};

/// An enrollment whose next step may be due, with what the scheduler needs to decide.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueRow {
    /// The enrollment, with its lead and campaign.
    #[sqlx(flatten)]
    pub row: EnrollmentRow,
    /// The campaign file as stored; read it through `db::rows::stored_spec`.
    pub spec_toml: String,
    /// The mailbox its campaign sends from (the scheduler works one mailbox at a time).
    pub mailbox: String,
    /// When the campaign was launched (ms).
    pub launched_at: Option<i64>,
    /// When the scheduler should look at it (ms).
    pub due_at: i64,
}

/// A claim that succeeded: the send may go to SMTP now, with this Message-ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The `sends` row: what the sender marks sent, retried or bounced afterwards.
    pub send_id: i64,
    /// The Message-ID the mail must carry.
    pub message_id: String,
    /// Message-IDs of the steps already sent to this lead, oldest first (for threading).
    pub thread: Vec<String>,
    /// Attempts at this step, this one included.
    pub attempts: i64,
}

/// One step to claim in a batch.
#[derive(Debug, Clone)]
pub struct ClaimRequest<'a> {
    /// The enrollment as read: the claim only succeeds while it is still at this version.
    pub row: &'a EnrollmentRow,
    /// 0-based step index.
    pub step: u32,
    /// The Message-ID the mail will carry (kept if a retry already has one).
    pub message_id: String,
}

/// A `sends` row, as `sends list` and the settling of uncertain sends read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SendRow {
    /// The send's row id: what `mark_sent`, `mark_retry` and `mark_bounced` name.
    pub id: i64,
    /// The enrollment it is a step of (at most one send per enrollment and step).
    pub enrollment_id: i64,
    /// 0-based step index.
    pub step: i64,
    /// Mailbox it goes out from.
    pub mailbox: String,
    /// The Message-ID, fixed at the claim and kept across retries: a reply in its thread
    /// finds the lead by it, and the Sent folder is searched for it after a crash.
    pub message_id: String,
    /// `claimed`, `sent`, `retry`, `uncertain`, `bounced`, `failed`.
    pub state: String,
    /// When it was claimed, ms: before any byte went to SMTP; a send settled by a reply or
    /// the Sent folder is recorded as sent at this time.
    pub claimed_at: i64,
    /// When the SMTP server accepted it, ms; none until it is recorded sent.
    pub sent_at: Option<i64>,
    /// Attempts so far: temporary failures are retried with a backoff that grows with it.
    pub attempts: i64,
    /// The last SMTP or rendering error, for `sends list` (clipped to 200 characters).
    pub error: Option<String>,
    /// The lead's address, for `sends list`.
    pub email: String,
    /// The campaign's name, for `sends list` and `record_as_sent`.
    pub campaign: String,
}

/// Which step could not be sent (see [`Store::mark_failed`]).
#[derive(Debug, Clone, Copy)]
pub enum FailedStep<'a> {
    /// A claimed send that failed before or at the SMTP server.
    Claimed {
        /// The `sends` row, which becomes `failed`.
        send_id: i64,
        /// The enrollment whose lead is held.
        enrollment_id: i64,
    },
    /// A step that could not be rendered, so was never claimed.
    Unclaimed {
        /// The enrollment whose lead is held.
        enrollment_id: i64,
        /// 0-based step index.
        step: u32,
        /// The mailbox it would go out from.
        mailbox: &'a str,
        /// The Message-ID it would carry.
        message_id: &'a str,
        /// When it was found unsendable (the row's claim time).
        now: DateTime<Utc>,
    },
}

impl FailedStep<'_> {
    fn enrollment_id(&self) -> i64 {
        match self {
            FailedStep::Claimed { enrollment_id, .. } | FailedStep::Unclaimed { enrollment_id, .. } => {
                *enrollment_id
            }
        }
    }
}

/// A step waiting for a person (`failed`, `uncertain`) or for its retry (`retry`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WaitingSend {
    /// The enrollment that waits.
    pub enrollment_id: i64,
    /// 0-based step index.
    pub step: i64,
    /// `failed`, `uncertain` or `retry`.
    pub state: String,
    /// The error that made it wait, shown on the lead.
    pub error: Option<String>,
    /// The step's Message-ID (what `sends resolve` takes).
    pub message_id: String,
    /// The mailbox it goes out from.
    pub mailbox: String,
    /// When the scheduler looks at it again (the retry), ms.
    pub due_at: Option<i64>,
}

const SEND_COLUMNS: &str = "s.id, s.enrollment_id, s.step, s.mailbox, s.message_id, s.state, s.claimed_at, \
    s.sent_at, s.attempts, s.error, l.email, c.name AS campaign";
const SEND_FROM: &str =
    "FROM sends s JOIN enrollments e ON e.id = s.enrollment_id JOIN leads l ON l.id = e.lead_id \
    JOIN campaigns c ON c.id = e.campaign_id";

impl Store {
    /// Enrollments of active campaigns sending from `mailbox` whose `due_at` has come, oldest
    /// first. Leads not contacted yet and running leads both qualify.
    ///
    /// # Errors
    /// Database errors.
    pub async fn due_for_mailbox(
        &self,
        mailbox: &str,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DueRow>, StoreError> {
        let sql = format!(
            "SELECT {ENROLLMENT_COLUMNS}, c.spec_toml, c.mailbox, c.launched_at, e.due_at {ENROLLMENT_FROM} \
             WHERE e.due_at IS NOT NULL AND e.due_at <= $1 AND c.status = 'active' AND c.mailbox = $2 \
             AND e.status IN ('launch', 'in_progress') ORDER BY e.due_at LIMIT $3"
        );
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, DueRow>(&sql)
            .bind(to_ms(now))
            .bind(mailbox)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// The earliest `due_at` of any sendable enrollment in campaigns sending from
    /// `mailboxes` (`None`: every campaign), for the scheduler to sleep until.
    ///
    /// # Errors
    /// Database errors.
    pub async fn next_due_at(
        &self,
        mailboxes: Option<&[String]>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.earliest(
            "e.due_at",
            "e.due_at IS NOT NULL AND c.status = 'active' AND e.status IN ('launch', 'in_progress')",
            mailboxes,
        )
        .await
    }

    /// Moves an enrollment's `due_at` later (window closed, cap reached, retry), unless it
    /// changed meanwhile. Not a lifecycle change: no event, no version bump.
    ///
    /// # Errors
    /// Database errors.
    pub async fn defer(
        &self,
        enrollment_id: i64,
        version: i64,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| sqlx::query(
            "UPDATE enrollments SET due_at = $1 WHERE id = $2 AND version = $3"
        )
        .bind(to_ms(until))
        .bind(enrollment_id)
        .bind(version)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// [`Store::defer`] for many enrollments in one transaction (one commit for a whole pass
    /// of the scheduler). Returns how many were moved.
    ///
    /// # Errors
    /// Database errors.
    pub async fn defer_many(&self, deferrals: &[(i64, i64, DateTime<Utc>)]) -> Result<u64, StoreError> {
        if deferrals.is_empty() {
            return Ok(0);
        }
        // One statement per chunk rather than per lead: a pass over thousands of leads due
        // in a closed window is then a handful of statements and one commit.
        let mut n = 0;
        match &self.backend {
            Backend::Postgres(pool) => {
                let ids: Vec<i64> = deferrals.iter().map(|d| d.0).collect();
                let versions: Vec<i64> = deferrals.iter().map(|d| d.1).collect();
                let until: Vec<i64> = deferrals.iter().map(|d| to_ms(d.2)).collect();
                n = sqlx::query(
                    "UPDATE enrollments e SET due_at = v.at \
                     FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS v(id, version, at) \
                     WHERE e.id = v.id AND e.version = v.version",
                )
                .bind(&ids)
                .bind(&versions)
                .bind(&until)
                .execute(pool)
                .await?
                .rows_affected();
            }
            Backend::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                // 3 bound values a row, well under SQLite's 32,766.
                for chunk in deferrals.chunks(1000) {
                    let mut query = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                        "UPDATE enrollments SET due_at = v.column3 FROM (",
                    );
                    query.push_values(chunk, |mut row, (id, version, until)| {
                        row.push_bind(*id).push_bind(*version).push_bind(to_ms(*until));
                    });
                    query.push(") AS v WHERE enrollments.id = v.column1 AND enrollments.version = v.column2");
                    n += query.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
            }
        }
        Ok(n)
    }

    /// Claims step `step` (0-based) of an enrollment for sending, with `message_id`, if the
    /// enrollment is still exactly as read (same version, still sendable, campaign active,
    /// address not suppressed) and the step was never claimed before. A step that failed
    /// with a temporary error keeps its row and Message-ID and is claimed again.
    /// `Ok(None)` means: do not send.
    ///
    /// # Errors
    /// Database errors.
    pub async fn claim_send(
        &self,
        row: &EnrollmentRow,
        step: u32,
        mailbox: &str,
        message_id: &str,
        claimed_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Claim>, StoreError> {
        let request = ClaimRequest {
            row,
            step,
            message_id: message_id.to_string(),
        };
        Ok(self
            .claim_sends(&[request], mailbox, claimed_by, now)
            .await?
            .pop()
            .flatten())
    }

    /// [`Store::claim_send`] for a batch, in one transaction (one commit for the whole batch
    /// is what makes claiming cheap); the answer for each request is in the same order.
    /// Nothing is claimed unless `claimed_by` holds `mailbox`'s lease (see `db::leases`):
    /// a daemon whose lease was taken over can finish what it sent but claim nothing more.
    ///
    /// # Errors
    /// Database errors (nothing is claimed then).
    pub async fn claim_sends(
        &self,
        requests: &[ClaimRequest<'_>],
        mailbox: &str,
        claimed_by: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Option<Claim>>, StoreError> {
        match &self.backend {
            Backend::Postgres(pool) => claim_sends_pg(pool, requests, mailbox, claimed_by, now).await,
            Backend::Sqlite(pool) => claim_sends_sqlite(pool, requests, mailbox, claimed_by, now).await,
        }
    }

    /// Records that the SMTP server accepted a claimed send and advances the enrollment.
    /// `next_due` is when the following step is due (`None` after the last step). If the
    /// lead was paused or stopped while the mail was in flight, the send is still recorded
    /// and the lifecycle decides what that means. A send already recorded is left as it is
    /// (`Ok(None)`): recording is idempotent.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_sent(
        &self,
        send_id: i64,
        enrollment_id: i64,
        sent_at: DateTime<Utc>,
        next_due: Option<DateTime<Utc>>,
    ) -> Result<Option<LeadState>, StoreError> {
        let event = Event::StepSent {
            at: sent_at,
            next_due,
        };
        for _ in 0..5 {
            let Some(row) = self.enrollment_by_id(enrollment_id).await? else {
                return Err(StoreError::NotFound(format!(
                    "enrollment {enrollment_id} does not exist"
                )));
            };
            let result = with_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                // Only an open claim (or one a new mailbox holder found uncertain) is recorded:
                // recording the same send twice would advance the lead twice.
                let open = sqlx::query(
                    "UPDATE sends SET state = 'sent', sent_at = $1, error = NULL WHERE id = $2 \
                     AND state IN ('claimed', 'uncertain')",
                )
                .bind(to_ms(sent_at))
                .bind(send_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if open == 0 {
                    return Ok(None);
                }
                match write_transition!(tx, &row, &event, &Cause::system(), sent_at) {
                    Ok(Ok(state)) => {
                        tx.commit().await?;
                        Ok(Some(state))
                    }
                    // Stopped (or completed) meanwhile: the send is recorded, the state stays.
                    Ok(Err(_)) => {
                        tx.commit().await?;
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            });
            match result {
                Err(StoreError::Conflict(_)) => continue,
                other => return other,
            }
        }
        Err(StoreError::Conflict(enrollment_id))
    }

    /// Records a send found to have gone out (in the Sent folder, or by an operator) as sent
    /// at its claim time, and advances its lead as the sender would have: the next step is
    /// due its delay after that time.
    ///
    /// # Errors
    /// Database errors; [`StoreError::NotFound`] if its campaign is gone;
    /// [`StoreError::Unreadable`] if it no longer parses (nothing changes then).
    pub async fn record_as_sent(&self, send: &SendRow) -> Result<Option<LeadState>, StoreError> {
        let campaign = self
            .campaign(&send.campaign)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("campaign {} does not exist", send.campaign)))?;
        let sent_at = from_ms(send.claimed_at);
        // A campaign that no longer parses cannot say when the next step falls due: the send
        // stays as it is (uncertain) rather than completing the lead.
        let next_due = campaign.spec()?.next_due(send.step as usize, sent_at);
        self.mark_sent(send.id, send.enrollment_id, sent_at, next_due)
            .await
    }

    /// Releases a claim after a temporary failure: the step will be tried again at `retry_at`
    /// with the same Message-ID; the lead does not advance.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_retry(
        &self,
        send_id: i64,
        enrollment_id: i64,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE sends SET state = 'retry', error = $1 WHERE id = $2 AND state = 'claimed'")
                .bind(error)
                .bind(send_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE enrollments SET due_at = $1 WHERE id = $2 AND status IN ('launch', 'in_progress')",
            )
            .bind(to_ms(retry_at))
            .bind(enrollment_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Records a claimed send whose connection failed after the whole message was handed to
    /// the SMTP server and before it answered: the send becomes `uncertain` with the reason,
    /// exactly as a claim left open by a crash. The enrollment stays where the claim left it
    /// (not due), so the step is never sent again by itself: the Sent folder, a reply in its
    /// thread, or a person (`cadenced sends resolve`) settles it.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_uncertain(&self, send_id: i64, error: &str) -> Result<(), StoreError> {
        let marked = with_pool!(self, |pool| sqlx::query(
            "UPDATE sends SET state = 'uncertain', error = $1 WHERE id = $2 AND state = 'claimed'"
        )
        .bind(error)
        .bind(send_id)
        .execute(pool)
        .await?
        .rows_affected());
        if marked > 0 {
            metrics::counter!("cadenced_uncertain_sends_total").increment(marked);
        }
        Ok(())
    }

    /// Records a permanent refusal of the recipient: the send is `bounced`, the lead stopped
    /// with reason `bounced` and the address suppressed.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_bounced(
        &self,
        send_id: i64,
        enrollment_id: i64,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "UPDATE sends SET state = 'bounced', error = $1 WHERE id = $2"
        )
        .bind(error)
        .bind(send_id)
        .execute(pool)
        .await?
        .rows_affected());
        let cause = Cause {
            note: Some(crate::domain::clip(error, 200)),
            ..Cause::system()
        };
        // A lead already stopped (a reply got there first) stays as it is: the refusal is fine.
        let _stopped_or_refused = self
            .transition(
                enrollment_id,
                &Event::Stop {
                    at: now,
                    reason: StopReason::Bounced,
                },
                &cause,
                now,
            )
            .await?;
        if let Some(row) = self.enrollment_by_id(enrollment_id).await? {
            self.suppress(&row.email, "bounced", None, now).await?;
        }
        Ok(())
    }

    /// Records a step that cannot be sent as it is (a field that cannot go into a header, an
    /// address SMTP cannot carry, a template field the lead lacks): the send is `failed` with
    /// the reason, the lead keeps its status and place and is not looked at again until a
    /// person acts ([`Store::rearm_failed`]). Never a bounce, never a suppression: the
    /// recipient did nothing wrong. `send_id` is the claimed row; without a claim (the step
    /// could not even be rendered) pass the step and a Message-ID and a row is made.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mark_failed(&self, failed: FailedStep<'_>, error: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            match failed {
                FailedStep::Claimed { send_id, .. } => {
                    sqlx::query(
                        "UPDATE sends SET state = 'failed', error = $1 WHERE id = $2 AND state = 'claimed'",
                    )
                    .bind(error)
                    .bind(send_id)
                    .execute(&mut *tx)
                    .await?;
                }
                FailedStep::Unclaimed {
                    step,
                    mailbox,
                    message_id,
                    now,
                    ..
                } => {
                    sqlx::query(
                        "INSERT INTO sends (enrollment_id, step, mailbox, message_id, state, claimed_at, attempts, error) \
                         VALUES ($1, $2, $3, $4, 'failed', $5, 0, $6) \
                         ON CONFLICT (enrollment_id, step) DO UPDATE SET state = 'failed', error = excluded.error \
                         WHERE sends.state = 'retry'",
                    )
                    .bind(failed.enrollment_id())
                    .bind(i64::from(step))
                    .bind(mailbox)
                    .bind(message_id)
                    .bind(to_ms(now))
                    .bind(error)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            sqlx::query("UPDATE enrollments SET due_at = NULL WHERE id = $1")
                .bind(failed.enrollment_id())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Makes the failed steps of a campaign's leads due again (after the operator fixed the
    /// data and imported it again, or resolved one send): each is tried once more, with its
    /// Message-ID. `only` limits it to one send. Returns how many.
    ///
    /// # Errors
    /// Database errors.
    pub async fn rearm_failed(
        &self,
        campaign_id: i64,
        only: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let ids: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT s.id, s.enrollment_id FROM sends s JOIN enrollments e ON e.id = s.enrollment_id \
                 WHERE s.state = 'failed' AND e.campaign_id = $1 AND ($2 = 0 OR s.id = $2) \
                 AND e.status IN ('launch', 'in_progress')",
            )
            .bind(campaign_id)
            .bind(only.unwrap_or(0))
            .fetch_all(&mut *tx)
            .await?;
            for (send_id, enrollment_id) in &ids {
                sqlx::query("UPDATE sends SET state = 'retry' WHERE id = $1")
                    .bind(send_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE enrollments SET due_at = $1 WHERE id = $2")
                    .bind(to_ms(now))
                    .bind(enrollment_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(ids.len() as u64)
        })
    }

    /// Steps that wait for something other than their countdown: `failed` (a person must
    /// act), `uncertain` (it may have gone out: settled by the Sent folder, a reply or a
    /// person) and `retry` (a temporary failure, tried again at the enrollment's `due_at`),
    /// for the CLI to say on each lead why it waits.
    ///
    /// # Errors
    /// Database errors.
    pub async fn waiting_sends(&self) -> Result<Vec<WaitingSend>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, WaitingSend>(
            "SELECT s.enrollment_id, s.step, s.state, s.error, s.message_id, s.mailbox, e.due_at \
             FROM sends s JOIN enrollments e ON e.id = s.enrollment_id \
             WHERE s.state IN ('failed', 'retry', 'uncertain') AND e.status IN ('launch', 'in_progress')"
        )
        .fetch_all(pool)
        .await?))
    }

    /// Sends from `mailbox` claimed since `since` (sent, in flight or uncertain), for the daily cap.
    ///
    /// # Errors
    /// Database errors.
    pub async fn sends_since(&self, mailbox: &str, since: DateTime<Utc>) -> Result<i64, StoreError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM sends WHERE mailbox = $1 AND claimed_at >= $2 AND state IN ('claimed', 'sent', 'uncertain')"
        )
        .bind(mailbox)
        .bind(to_ms(since))
        .fetch_one(pool)
        .await?)
        })
    }

    /// The last time anything was claimed from `mailbox`, for the minimum gap.
    ///
    /// # Errors
    /// Database errors.
    pub async fn last_claim_at(&self, mailbox: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let ms: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT MAX(claimed_at) FROM sends WHERE mailbox = $1"
        )
        .bind(mailbox)
        .fetch_one(pool)
        .await?);
        Ok(ms.map(from_ms))
    }

    /// Marks a mailbox healthy or not, with the reason.
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_mailbox_health(
        &self,
        mailbox: &str,
        healthy: bool,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            // A mailbox turning unhealthy is told to webhooks once, with the change.
            let mut tx = pool.begin_write().await?;
            let was: Option<bool> =
                sqlx::query_scalar("SELECT healthy FROM mailbox_state WHERE mailbox = $1")
                    .bind(mailbox)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query(
                "INSERT INTO mailbox_state (mailbox, healthy, last_error, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (mailbox) DO UPDATE SET healthy = excluded.healthy, last_error = excluded.last_error, \
                 updated_at = excluded.updated_at",
            )
            .bind(mailbox)
            .bind(healthy)
            .bind(error)
            .bind(to_ms(now))
            .execute(&mut *tx)
            .await?;
            if !healthy && was != Some(false) {
                crate::db::outbox::enqueue!(
                    tx,
                    crate::db::outbox::mailbox_unhealthy(mailbox, error, now),
                    now
                )?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Marks a mailbox healthy again if what made it unhealthy is still `error` (and nothing
    /// else since): the OAuth2 task's cure after a new sign-in, which must not hide another
    /// failure. Whether it did.
    ///
    /// # Errors
    /// Database errors.
    pub async fn clear_mailbox_failure(
        &self,
        mailbox: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| sqlx::query(
            "UPDATE mailbox_state SET healthy = TRUE, last_error = NULL, updated_at = $3 \
             WHERE mailbox = $1 AND healthy = FALSE AND last_error = $2"
        )
        .bind(mailbox)
        .bind(error)
        .bind(to_ms(now))
        .execute(pool)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// Whether a mailbox is marked unhealthy, and why.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mailbox_health(&self, mailbox: &str) -> Result<(bool, Option<String>), StoreError> {
        let row: Option<(bool, Option<String>)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT healthy, last_error FROM mailbox_state WHERE mailbox = $1"
        )
        .bind(mailbox)
        .fetch_optional(pool)
        .await?);
        Ok(row.unwrap_or((true, None)))
    }

    /// Sends in a state (`uncertain`, `retry`, …), oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn sends_in_state(&self, state: &str) -> Result<Vec<SendRow>, StoreError> {
        let sql = format!("SELECT {SEND_COLUMNS} {SEND_FROM} WHERE s.state = $1 ORDER BY s.id");
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, SendRow>(&sql)
            .bind(state)
            .fetch_all(pool)
            .await?))
    }

    /// A send by its Message-ID.
    ///
    /// # Errors
    /// Database errors.
    pub async fn send_by_message_id(&self, message_id: &str) -> Result<Option<SendRow>, StoreError> {
        let sql = format!("SELECT {SEND_COLUMNS} {SEND_FROM} WHERE s.message_id = $1");
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, SendRow>(&sql)
            .bind(message_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Every send to one enrollment, by step.
    ///
    /// # Errors
    /// Database errors.
    pub async fn sends_of(&self, enrollment_id: i64) -> Result<Vec<SendRow>, StoreError> {
        let sql = format!("SELECT {SEND_COLUMNS} {SEND_FROM} WHERE s.enrollment_id = $1 ORDER BY s.step");
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, SendRow>(&sql)
            .bind(enrollment_id)
            .fetch_all(pool)
            .await?))
    }

    /// Resolves an uncertain send as not sent: it goes out again, with the same Message-ID,
    /// when the scheduler next gets to it.
    ///
    /// # Errors
    /// [`StoreError::Refused`] unless the send is uncertain; database errors.
    pub async fn resolve_unsent(&self, send: &SendRow, now: DateTime<Utc>) -> Result<(), StoreError> {
        if send.state != "uncertain" {
            return Err(StoreError::Refused(format!(
                "send {} is {}, not uncertain",
                send.message_id, send.state
            )));
        }
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE sends SET state = 'retry', error = 'resolved as not sent by an operator' WHERE id = $1")
                .bind(send.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE enrollments SET due_at = $1 WHERE id = $2 AND status IN ('launch', 'in_progress')",
            )
            .bind(to_ms(now))
            .bind(send.enrollment_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }
}

/// The lease fence, first statement of every claim transaction: it also locks the mailbox's
/// row, so a takeover (which updates that row, then sweeps open claims) is ordered strictly
/// before or after the whole claim.
const FENCE: &str =
    "UPDATE mailbox_state SET lease_holder = lease_holder WHERE mailbox = $1 AND lease_holder = $2";

/// SQLite: one statement per request. Writers are serialised by SQLite anyway, and each
/// statement costs microseconds; the commit is what counts and there is one.
async fn claim_sends_sqlite(
    pool: &sqlx::SqlitePool,
    requests: &[ClaimRequest<'_>],
    mailbox: &str,
    claimed_by: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Option<Claim>>, StoreError> {
    let mut tx = pool.begin().await?;
    let fenced = sqlx::query(FENCE)
        .bind(mailbox)
        .bind(claimed_by)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if fenced == 0 {
        return Ok(vec![None; requests.len()]);
    }
    let mut out = Vec::with_capacity(requests.len());
    for request in requests {
        let (row, step) = (request.row, request.step);
        // The version bump doubles as the row lock: a concurrent pause, stop or claim
        // either committed before (version differs: no claim) or waits for us.
        let bumped = sqlx::query(CLAIM_ONE)
            .bind(row.id)
            .bind(row.version)
            .bind(i64::from(step))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if bumped == 0 {
            out.push(None);
            continue;
        }
        let existing: Option<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, message_id, state, attempts FROM sends WHERE enrollment_id = $1 AND step = $2",
        )
        .bind(row.id)
        .bind(i64::from(step))
        .fetch_optional(&mut *tx)
        .await?;
        let (send_id, message_id, attempts) = match existing {
            Some((id, mid, state, attempts)) if state == "retry" => {
                sqlx::query(
                    "UPDATE sends SET state = 'claimed', claimed_at = $1, claimed_by = $2, attempts = attempts + 1 \
                     WHERE id = $3",
                )
                .bind(to_ms(now))
                .bind(claimed_by)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (id, mid, attempts + 1)
            }
            // Claimed, sent, uncertain or bounced before: never again. The bumped version
            // and cleared due_at keep the scheduler from looking at it again.
            Some(_) => {
                out.push(None);
                continue;
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO sends (enrollment_id, step, mailbox, message_id, state, claimed_at, claimed_by, attempts) \
                     VALUES ($1, $2, $3, $4, 'claimed', $5, $6, 1) RETURNING id",
                )
                .bind(row.id)
                .bind(i64::from(step))
                .bind(mailbox)
                .bind(&request.message_id)
                .bind(to_ms(now))
                .bind(claimed_by)
                .fetch_one(&mut *tx)
                .await?;
                (id, request.message_id.clone(), 1)
            }
        };
        let thread: Vec<String> = if step == 0 {
            Vec::new()
        } else {
            sqlx::query_scalar(
                "SELECT message_id FROM sends WHERE enrollment_id = $1 AND state = 'sent' AND step < $2 ORDER BY step",
            )
            .bind(row.id)
            .bind(i64::from(step))
            .fetch_all(&mut *tx)
            .await?
        };
        out.push(Some(Claim {
            send_id,
            message_id,
            thread,
            attempts,
        }));
    }
    tx.commit().await?;
    Ok(out)
}

/// The conditions under which a step may be claimed (SQLite's per-row form).
const CLAIM_ONE: &str = "UPDATE enrollments SET due_at = NULL, version = version + 1 WHERE id = $1 AND version = $2 \
     AND status IN ('launch', 'in_progress') AND steps_sent = $3 \
     AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = enrollments.campaign_id AND c.status = 'active') \
     AND NOT EXISTS (SELECT 1 FROM suppressions s JOIN leads l ON l.email = s.email WHERE l.id = enrollments.lead_id)";

/// PostgreSQL: the whole batch in five set-based statements. The enrollments are locked
/// `FOR UPDATE SKIP LOCKED`: a row another transaction is changing right now (an operator's
/// pause, a reply being applied) is not waited for but left out of this round, and the
/// version check then decides on its fresh state next round.
async fn claim_sends_pg(
    pool: &sqlx::PgPool,
    requests: &[ClaimRequest<'_>],
    mailbox: &str,
    claimed_by: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Option<Claim>>, StoreError> {
    use std::collections::HashMap;
    let mut tx = pool.begin().await?;
    let fenced = sqlx::query(FENCE)
        .bind(mailbox)
        .bind(claimed_by)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if fenced == 0 || requests.is_empty() {
        return Ok(vec![None; requests.len()]);
    }
    let ids: Vec<i64> = requests.iter().map(|r| r.row.id).collect();
    let versions: Vec<i64> = requests.iter().map(|r| r.row.version).collect();
    let steps: Vec<i64> = requests.iter().map(|r| i64::from(r.step)).collect();
    let bumped: Vec<i64> = sqlx::query_scalar(
        "WITH req AS (SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[]) AS r(id, version, step)), \
         ok AS (SELECT e.id FROM enrollments e JOIN req ON req.id = e.id AND e.version = req.version \
                AND e.steps_sent = req.step \
                WHERE e.status IN ('launch', 'in_progress') \
                AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = e.campaign_id AND c.status = 'active') \
                AND NOT EXISTS (SELECT 1 FROM suppressions s JOIN leads l ON l.email = s.email WHERE l.id = e.lead_id) \
                FOR UPDATE OF e SKIP LOCKED) \
         UPDATE enrollments SET due_at = NULL, version = enrollments.version + 1 FROM ok \
         WHERE enrollments.id = ok.id RETURNING enrollments.id",
    )
    .bind(&ids)
    .bind(&versions)
    .bind(&steps)
    .fetch_all(&mut *tx)
    .await?;
    let bumped: std::collections::HashSet<i64> = bumped.into_iter().collect();
    let won: Vec<&ClaimRequest<'_>> = requests.iter().filter(|r| bumped.contains(&r.row.id)).collect();
    let won_ids: Vec<i64> = won.iter().map(|r| r.row.id).collect();
    let won_steps: Vec<i64> = won.iter().map(|r| i64::from(r.step)).collect();
    // Rows for these steps from earlier attempts: a `retry` is claimed again with its
    // Message-ID; anything else (claimed, sent, uncertain, bounced) is never sent again.
    let existing: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT s.enrollment_id, s.id, s.message_id, s.state, s.attempts FROM sends s \
         JOIN UNNEST($1::bigint[], $2::bigint[]) AS r(e, st) ON s.enrollment_id = r.e AND s.step = r.st",
    )
    .bind(&won_ids)
    .bind(&won_steps)
    .fetch_all(&mut *tx)
    .await?;
    let existing: HashMap<i64, (i64, String, String, i64)> = existing
        .into_iter()
        .map(|(e, id, mid, state, attempts)| (e, (id, mid, state, attempts)))
        .collect();
    let retry_ids: Vec<i64> = existing
        .values()
        .filter(|(_, _, state, _)| state == "retry")
        .map(|(id, ..)| *id)
        .collect();
    if !retry_ids.is_empty() {
        sqlx::query(
            "UPDATE sends SET state = 'claimed', claimed_at = $1, claimed_by = $2, attempts = attempts + 1 \
             WHERE id = ANY($3)",
        )
        .bind(to_ms(now))
        .bind(claimed_by)
        .bind(&retry_ids)
        .execute(&mut *tx)
        .await?;
    }
    let fresh: Vec<&&ClaimRequest<'_>> = won.iter().filter(|r| !existing.contains_key(&r.row.id)).collect();
    let inserted: Vec<(i64, i64)> = sqlx::query_as(
        "INSERT INTO sends (enrollment_id, step, mailbox, message_id, state, claimed_at, claimed_by, attempts) \
         SELECT r.e, r.st, $4, r.m, 'claimed', $5, $6, 1 FROM UNNEST($1::bigint[], $2::bigint[], $3::text[]) AS r(e, st, m) \
         RETURNING enrollment_id, id",
    )
    .bind(fresh.iter().map(|r| r.row.id).collect::<Vec<i64>>())
    .bind(fresh.iter().map(|r| i64::from(r.step)).collect::<Vec<i64>>())
    .bind(fresh.iter().map(|r| r.message_id.clone()).collect::<Vec<String>>())
    .bind(mailbox)
    .bind(to_ms(now))
    .bind(claimed_by)
    .fetch_all(&mut *tx)
    .await?;
    let inserted: HashMap<i64, i64> = inserted.into_iter().collect();
    let threads: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT enrollment_id, step, message_id FROM sends WHERE enrollment_id = ANY($1) AND state = 'sent' \
         ORDER BY enrollment_id, step",
    )
    .bind(&won_ids)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut thread_of: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (e, step, mid) in threads {
        thread_of.entry(e).or_default().push((step, mid));
    }
    Ok(requests
        .iter()
        .map(|r| {
            if !bumped.contains(&r.row.id) {
                return None;
            }
            let (send_id, message_id, attempts) = match existing.get(&r.row.id) {
                Some((id, mid, state, attempts)) if state == "retry" => (*id, mid.clone(), attempts + 1),
                Some(_) => return None,
                None => (*inserted.get(&r.row.id)?, r.message_id.clone(), 1),
            };
            let thread = thread_of
                .get(&r.row.id)
                .map(|t| {
                    t.iter()
                        .filter(|(step, _)| *step < i64::from(r.step))
                        .map(|(_, mid)| mid.clone())
                        .collect()
                })
                .unwrap_or_default();
            Some(Claim {
                send_id,
                message_id,
                thread,
                attempts,
            })
        })
        .collect())
}
