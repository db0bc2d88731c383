//! Inbound mail in the store: IMAP checkpoints, the facts a reply is decided on, and
//! applying that decision together with the checkpoint in ONE transaction, so that a restart
//! neither loses nor repeats a reply.
//!
//! The store does not decide. [`Store::reply_facts`] reads what is known of a message:
//! whether it is recorded already, the person it is about, a step it answers that is not
//! recorded as sent yet, and the person's enrollments with their campaigns; the pure
//! `domain::decide::decide_reply` decides; [`Store::apply_reply`] applies that decision, after
//! checking that the facts it was taken on still hold (else [`StoreError::Conflict`], and the
//! caller reads and decides again). Both are built from small steps that each take the
//! transaction (`ReplyTx`), written once and compiled for each backend.
//!
//! Matching, in order: the message's `In-Reply-To`/`References` (and, for a bounce, the
//! Message-ID of the bounced original) against the Message-IDs of our sends; for a bounce the
//! original recipient against leads; the sender's address against leads (never for a
//! bounce, whose sender is the mailer daemon); for a booked meeting, the addresses a
//! scheduler's confirmation names; and, when the mailbox enables it, the sender's
//! domain, only when exactly one lead of that domain has been mailed by us. Without a thread,
//! the message belongs to the person's most recently mailed enrollment, so that the
//! campaign's scope means something.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::QueryBuilder;

use crate::db::rows::{from_ms, stored_spec, to_ms, EnrollmentRow, ENROLLMENT_COLUMNS, ENROLLMENT_FROM};
use crate::db::{Actor, Backend, BeginWrite, Cause, Store, StoreError};
use crate::domain::decide::{
    Enrolled, Matched, MatchedBy, ReplyDecision, ReplyFacts, Settle, Unrecorded, Verdict,
};
use crate::domain::lead::{Event, LeadState, Refused};
use crate::rules::Category;

/// The progress of one watched folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// The folder's `UIDVALIDITY` when the checkpoint was written.
    pub uidvalidity: u32,
    /// The highest UID dealt with.
    pub last_uid: u32,
}

/// One inbound message, analysed, ready to be matched and recorded.
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    /// Mailbox name (config).
    pub mailbox: String,
    /// The folder it was read from.
    pub folder: String,
    /// Folder `UIDVALIDITY`.
    pub uidvalidity: u32,
    /// Its UID in the folder; the checkpoint moves to it with the message's decision.
    pub uid: u32,
    /// Its Message-ID, with angle brackets.
    pub message_id: Option<String>,
    /// Sender address, lowercase.
    pub from: Option<String>,
    /// The subject, stored for the operator's listings (never the body).
    pub subject: Option<String>,
    /// Its `Date` header.
    pub sent_date: Option<DateTime<Utc>>,
    /// Message-IDs it refers to, most relevant first: `In-Reply-To`, then `References` from
    /// the newest, then (bounces) the bounced original's Message-ID.
    pub refers_to: Vec<String>,
    /// For a bounce: the address that bounced.
    pub bounced_recipient: Option<String>,
    /// For a `meeting_booked` message from someone who is not a lead (a scheduler's
    /// confirmation): the addresses its text names, tried in order after the sender.
    pub named: Vec<String>,
    /// Category; `None` when the message could not be analysed (see `error`).
    pub category: Option<Category>,
    /// The rule that fired.
    pub rule: Option<String>,
    /// Language tag of the rule or text.
    pub language: Option<String>,
    /// The return or callback date found.
    pub return_date: Option<NaiveDate>,
    /// The text span the date came from.
    pub evidence: Option<String>,
    /// Why the message could not be analysed.
    pub error: Option<String>,
}

impl Inbound {
    /// The sender's address, lowercased, unless it is the mailbox's own (our own copies are
    /// never matched to anyone).
    fn sender(&self, own_address: &str) -> Option<String> {
        self.from
            .as_deref()
            .map(|f| f.trim().to_lowercase())
            .filter(|f| !f.eq_ignore_ascii_case(own_address))
    }

    /// What the rules made of the message, as `domain::decide::decide_reply` takes it; mail
    /// from `own_address` (our own copies) names no sender to suppress.
    pub fn verdict(&self, own_address: &str) -> Verdict<'_> {
        Verdict {
            category: self.category,
            return_date: self.return_date,
            rule: self.rule.as_deref(),
            from: self
                .from
                .as_deref()
                .filter(|f| !f.trim().eq_ignore_ascii_case(own_address)),
            bounced_recipient: self.bounced_recipient.as_deref(),
        }
    }
}

/// How messages of one mailbox are matched.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions<'a> {
    /// The mailbox's own address: mail from it (our own copies) is never matched.
    pub own_address: &'a str,
    /// Whether to fall back to the sender's domain.
    pub match_domain: bool,
    /// Timezone for leads and campaigns that name none.
    pub default_tz: Tz,
}

/// What recording one message did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    /// The inbound row, unless the message was a duplicate.
    pub inbound_id: Option<i64>,
    /// Already recorded (same UID, or same Message-ID after a `UIDVALIDITY` change).
    pub duplicate: bool,
    /// The person it was matched to.
    pub lead_id: Option<i64>,
    /// How many enrollments it changed (paused, stopped, or their step recorded as sent).
    pub changed: u32,
    /// Changes the lifecycle refused (an operator's pause, a lead not contacted yet).
    pub refused: u32,
    /// The summary stored in `inbound_messages.action`.
    pub action: String,
}

/// An inbound row for `rules explain`-like listings and tests.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboundRow {
    /// The row id: what events and transitions name as their cause.
    pub id: i64,
    /// The config mailbox it was read from.
    pub mailbox: String,
    /// The folder it was read from.
    pub folder: String,
    /// Its UID in that folder (with the folder's UIDVALIDITY, what makes it read once).
    pub uid: i64,
    /// Its Message-ID header, bracketed; after a UIDVALIDITY change, what makes it read once.
    pub message_id: Option<String>,
    /// The sender's address, lowercased (matched against leads when no thread matches).
    pub from_addr: Option<String>,
    /// The category the rules gave (`human`, `out_of_office`, …); none when unreadable.
    pub category: Option<String>,
    /// The rule that decided, `file:rule`, for `rules explain` and audits.
    pub rule: Option<String>,
    /// The language the rules recognised, a BCP 47 tag.
    pub language: Option<String>,
    /// The return date read in it, `YYYY-MM-DD`.
    pub return_date: Option<String>,
    /// The words the return date was read from.
    pub evidence: Option<String>,
    /// The enrollment it belongs to (its thread, or the person's latest contacted one).
    pub enrollment_id: Option<i64>,
    /// The person it was matched to.
    pub lead_id: Option<i64>,
    /// How it was matched: `thread`, `recipient`, `sender` or `domain`.
    pub matched_by: Option<String>,
    /// What it did, in words (`stopped 1`, `unmatched`, `left as is: …`).
    pub action: Option<String>,
    /// Why it could not be read or applied (then its category is none).
    pub error: Option<String>,
}

fn bracketed(id: &str) -> String {
    let bare = id.trim().trim_start_matches('<').trim_end_matches('>');
    format!("<{bare}>")
}

fn domain_pattern(address: &str) -> Option<String> {
    let domain = address.rsplit_once('@')?.1;
    if domain.is_empty() {
        return None;
    }
    let escaped: String = domain
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Some(format!("%@{escaped}"))
}

impl Store {
    /// The checkpoint of a folder.
    ///
    /// # Errors
    /// Database errors.
    pub async fn checkpoint(&self, mailbox: &str, folder: &str) -> Result<Option<Checkpoint>, StoreError> {
        let row: Option<(i64, i64)> = with_pool!(self, |pool| sqlx::query_as(
            "SELECT uidvalidity, last_uid FROM mailbox_checkpoints WHERE mailbox = $1 AND folder = $2"
        )
        .bind(mailbox)
        .bind(folder)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(|(v, u)| Checkpoint {
            uidvalidity: u32::try_from(v).unwrap_or(0),
            last_uid: u32::try_from(u).unwrap_or(0),
        }))
    }

    /// Sets a folder's checkpoint outright (first sight of a folder, or a changed
    /// `UIDVALIDITY`, which starts the folder again from `last_uid`).
    ///
    /// # Errors
    /// Database errors.
    pub async fn set_checkpoint(
        &self,
        mailbox: &str,
        folder: &str,
        cp: Checkpoint,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO mailbox_checkpoints (mailbox, folder, uidvalidity, last_uid, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mailbox, folder) DO UPDATE SET \
             uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid, updated_at = excluded.updated_at"
        )
        .bind(mailbox)
        .bind(folder)
        .bind(i64::from(cp.uidvalidity))
        .bind(i64::from(cp.last_uid))
        .bind(to_ms(now))
        .execute(pool)
        .await?
        .rows_affected()
        });
        Ok(())
    }

    /// When this mailbox first claimed a send: a folder seen for the first time is read from
    /// that day on, so that old mail predating our campaigns decides nothing.
    ///
    /// # Errors
    /// Database errors.
    pub async fn first_send_at(&self, mailbox: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let ms: Option<i64> = with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT MIN(claimed_at) FROM sends WHERE mailbox = $1"
        )
        .bind(mailbox)
        .fetch_one(pool)
        .await?);
        Ok(ms.map(crate::db::rows::from_ms))
    }

    /// Marks a mailbox healthy again after an IMAP login succeeded, but only if what made it
    /// unhealthy was IMAP: an SMTP failure stays until the sender clears it.
    ///
    /// # Errors
    /// Database errors.
    pub async fn clear_imap_failure(&self, mailbox: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| sqlx::query(
            "UPDATE mailbox_state SET healthy = TRUE, last_error = NULL, updated_at = $2 \
             WHERE mailbox = $1 AND healthy = FALSE AND last_error LIKE 'imap%'"
        )
        .bind(mailbox)
        .bind(to_ms(now))
        .execute(pool)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// Inbound messages recorded for a mailbox, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn inbound_messages(&self, mailbox: &str) -> Result<Vec<InboundRow>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, InboundRow>(
            "SELECT id, mailbox, folder, uid, message_id, from_addr, category, rule, language, return_date, \
             evidence, enrollment_id, lead_id, matched_by, action, error FROM inbound_messages \
             WHERE mailbox = $1 ORDER BY id"
        )
        .bind(mailbox)
        .fetch_all(pool)
        .await?))
    }

    /// Runs a query that returns one integer (a count); for tests and benchmarks.
    ///
    /// # Errors
    /// Database errors.
    pub async fn query_i64(&self, sql: &str) -> Result<i64, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await?))
    }

    /// What is known of `msg` before anything is decided (see the module docs), read in one
    /// transaction. A message that could not be read (no category) is only deduplicated and
    /// matched: it decides nothing about anyone's enrollments.
    ///
    /// # Errors
    /// Database errors; a corrupt enrollment row of the person.
    pub async fn reply_facts(&self, msg: &Inbound, opts: &MatchOptions<'_>) -> Result<Snapshot, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let duplicate = tx.recorded_already(msg).await?;
            let mut facts = ReplyFacts {
                duplicate,
                ..ReplyFacts::default()
            };
            let mut versions = Vec::new();
            if !duplicate {
                let (matched, thread) = tx.match_message(msg, opts).await?;
                if let (Some(m), Some(_)) = (&matched, msg.category) {
                    let running = tx.running_enrollments(m.lead_id).await?;
                    versions = running
                        .iter()
                        .map(|(e, version)| (e.enrollment_id, *version))
                        .collect();
                    facts.enrollments = running.into_iter().map(|(e, _)| e).collect();
                    if msg.category != Some(Category::Bounce) {
                        if let Some(send_id) = thread {
                            facts.unrecorded = tx.unrecorded_send(send_id).await?;
                        }
                    }
                }
                facts.matched = matched;
            }
            tx.rollback().await?;
            Ok(Snapshot { facts, versions })
        })
    }

    /// Applies `decision`, taken on `snapshot`, for `msg`: records the message (unless it is a
    /// duplicate), settles the step it answers, applies its events (each through
    /// `LeadState::apply`: a refusal is recorded in the message's action, not an error),
    /// suppresses the address, and advances the folder's checkpoint to its UID, all in one
    /// transaction.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when the facts changed since they were read (read them and
    /// decide again); database errors and corrupt rows. Nothing is written then, and the
    /// message will be read again.
    pub async fn apply_reply(
        &self,
        msg: &Inbound,
        snapshot: &Snapshot,
        decision: &ReplyDecision,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            tx.check_unchanged(msg, snapshot).await?;
            let mut out = IngestOutcome::default();
            match decision {
                ReplyDecision::Duplicate => {
                    out.duplicate = true;
                    out.action = "duplicate".to_string();
                }
                ReplyDecision::Record(effects) => {
                    let matched = snapshot.facts.matched.as_ref();
                    let inbound_id = tx.insert_inbound(msg, matched, now).await?;
                    out.inbound_id = Some(inbound_id);
                    out.lead_id = matched.map(|m| m.lead_id);
                    let mut actions: Vec<String> = Vec::new();
                    match &effects.settle {
                        None => {}
                        Some(Settle::Leave { step, why }) => {
                            actions.push(format!("step {} left unrecorded: {why}", step + 1));
                        }
                        Some(Settle::Record {
                            send_id,
                            enrollment_id,
                            step,
                            event,
                        }) => {
                            tx.record_answered(*send_id, *enrollment_id, event, inbound_id, now)
                                .await?;
                            actions.push(format!("step {} recorded sent (answered)", step + 1));
                        }
                    }
                    actions.extend(effects.notes.iter().cloned());
                    let cause = Cause {
                        actor: Actor::Auto,
                        rule: msg.rule.clone(),
                        message_id: Some(inbound_id),
                        note: msg
                            .category
                            .zip(msg.rule.as_ref())
                            .map(|(category, r)| format!("{} (rule {r})", category.as_str())),
                    };
                    for (enrollment_id, event) in &effects.events {
                        let event = event.clone().caused_by(inbound_id);
                        match tx.transition(*enrollment_id, &event, &cause, now).await? {
                            Ok(state) => {
                                out.changed += 1;
                                actions.push(format!(
                                    "{} {enrollment_id} -> {}",
                                    event.name(),
                                    state.status()
                                ));
                            }
                            Err(refused) => {
                                out.refused += 1;
                                actions.push(format!(
                                    "refused {} {enrollment_id}: {}",
                                    event.name(),
                                    refused.message
                                ));
                            }
                        }
                    }
                    if let Some(why) = effects.ignored {
                        actions.push(format!("ignored: {why}"));
                    }
                    if let Some((address, reason)) = &effects.suppress {
                        tx.suppress(address, reason, Some(inbound_id), now).await?;
                        actions.push(format!("suppressed {reason}"));
                    }
                    out.action = actions.join("; ");
                    tx.set_action(inbound_id, &out.action).await?;
                }
            }
            tx.advance_checkpoint(msg, now).await?;
            tx.commit().await?;
            Ok(out)
        })
    }
}

/// The facts of a message as read, with the versions of the person's running enrollments
/// they were read at: a decision taken on them is applied only while those still hold.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// What the decision is taken on.
    pub facts: ReplyFacts,
    /// `(enrollment id, version)` of each of the person's running enrollments.
    versions: Vec<(i64, i64)>,
}

/// The steps of reading a message's facts and applying its decision, each inside the
/// caller's transaction (the unsubscribe path writes with `suppress` and `transition` too).
/// Implemented once, by [`reply_tx!`], for each backend's transaction.
pub(super) trait ReplyTx {
    /// Whether the message is recorded already: same folder, `UIDVALIDITY` and UID, or same
    /// Message-ID in the mailbox (a rescan after a `UIDVALIDITY` change).
    async fn recorded_already(&mut self, msg: &Inbound) -> Result<bool, StoreError>;
    /// The person the message is about (see the module docs for the order), and the send
    /// its thread names.
    async fn match_message(
        &mut self,
        msg: &Inbound,
        opts: &MatchOptions<'_>,
    ) -> Result<(Option<Matched>, Option<i64>), StoreError>;
    /// The person's enrollments in running campaigns, with their versions.
    async fn running_enrollments(&mut self, lead_id: i64) -> Result<Vec<(Enrolled, i64)>, StoreError>;
    /// Send `send_id`, when it is not recorded as sent (`claimed`, `uncertain`, `retry`).
    async fn unrecorded_send(&mut self, send_id: i64) -> Result<Option<Unrecorded>, StoreError>;
    /// [`StoreError::Conflict`] unless the facts of `snapshot` still hold: the message is
    /// recorded (or not) as it was, and the person's running enrollments are the same rows
    /// at the same versions.
    async fn check_unchanged(&mut self, msg: &Inbound, snapshot: &Snapshot) -> Result<(), StoreError>;
    /// Inserts the message's row; its id.
    async fn insert_inbound(
        &mut self,
        msg: &Inbound,
        matched: Option<&Matched>,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError>;
    /// Records send `send_id` as sent at its claim time and applies `event` (its
    /// `StepSent`) to the enrollment, caused by message `inbound_id`. A holder that records
    /// the send afterwards finds it recorded and leaves it.
    async fn record_answered(
        &mut self,
        send_id: i64,
        enrollment_id: i64,
        event: &Event,
        inbound_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Applies `event` to the enrollment as it is now: the new state, or the refusal.
    async fn transition(
        &mut self,
        enrollment_id: i64,
        event: &Event,
        cause: &Cause,
        now: DateTime<Utc>,
    ) -> Result<Result<LeadState, Refused>, StoreError>;
    /// Adds an address to the suppression list (idempotent: the first reason stays), caused
    /// by message `inbound_id` if a message caused it.
    async fn suppress(
        &mut self,
        address: &str,
        reason: &str,
        inbound_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Stores what the message did, in words.
    async fn set_action(&mut self, inbound_id: i64, action: &str) -> Result<(), StoreError>;
    /// Moves the folder's checkpoint to the message's UID (never backwards within one
    /// `UIDVALIDITY`).
    async fn advance_checkpoint(&mut self, msg: &Inbound, now: DateTime<Utc>) -> Result<(), StoreError>;
}

/// Implements [`ReplyTx`] for the transaction type of one backend; the SQL is the same.
macro_rules! reply_tx {
    ($db:ty) => {
        impl ReplyTx for sqlx::Transaction<'_, $db> {
            async fn recorded_already(&mut self, msg: &Inbound) -> Result<bool, StoreError> {
                let by_uid: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM inbound_messages WHERE mailbox = $1 AND folder = $2 AND uidvalidity = $3 \
                     AND uid = $4",
                )
                .bind(&msg.mailbox)
                .bind(&msg.folder)
                .bind(i64::from(msg.uidvalidity))
                .bind(i64::from(msg.uid))
                .fetch_optional(&mut **self)
                .await?;
                let Some(mid) = msg.message_id.as_ref().filter(|_| by_uid.is_none()) else {
                    return Ok(by_uid.is_some());
                };
                let by_message_id: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM inbound_messages WHERE mailbox = $1 AND message_id = $2 LIMIT 1",
                )
                .bind(&msg.mailbox)
                .bind(mid)
                .fetch_optional(&mut **self)
                .await?;
                Ok(by_message_id.is_some())
            }

            async fn match_message(
                &mut self,
                msg: &Inbound,
                opts: &MatchOptions<'_>,
            ) -> Result<(Option<Matched>, Option<i64>), StoreError> {
                let mut matched: Option<(i64, Option<i64>, MatchedBy)> = None;
                let mut thread_send = None;
                if !msg.refers_to.is_empty() {
                    let ids: Vec<String> = msg.refers_to.iter().take(100).map(|r| bracketed(r)).collect();
                    let mut qb = QueryBuilder::new(
                        "SELECT s.message_id, s.enrollment_id, e.lead_id, s.id FROM sends s \
                         JOIN enrollments e ON e.id = s.enrollment_id WHERE s.message_id IN (",
                    );
                    let mut sep = qb.separated(", ");
                    for id in &ids {
                        sep.push_bind(id.clone());
                    }
                    qb.push(")");
                    let found: Vec<(String, i64, i64, i64)> = qb.build_query_as().fetch_all(&mut **self).await?;
                    // The most relevant reference that names a send of ours.
                    if let Some((_, enrollment_id, lead_id, send_id)) =
                        ids.iter().find_map(|id| found.iter().find(|(m, ..)| m == id))
                    {
                        matched = Some((*lead_id, Some(*enrollment_id), MatchedBy::Thread));
                        thread_send = Some(*send_id);
                    }
                }
                let is_bounce = msg.category == Some(Category::Bounce);
                let from = msg.sender(opts.own_address);
                let by_address = match is_bounce {
                    true => msg.bounced_recipient.as_deref().map(|a| (a.trim().to_lowercase(), MatchedBy::Recipient)),
                    false => from.clone().map(|a| (a, MatchedBy::Sender)),
                };
                if let (None, Some((address, by))) = (matched, by_address) {
                    let lead: Option<i64> = sqlx::query_scalar("SELECT id FROM leads WHERE email = $1")
                        .bind(address)
                        .fetch_optional(&mut **self)
                        .await?;
                    matched = lead.map(|lead_id| (lead_id, None, by));
                }
                // A scheduler's booking confirmation names the lead in its text.
                if matched.is_none() && msg.category == Some(Category::MeetingBooked) {
                    let named = msg.named.iter().filter(|a| !a.eq_ignore_ascii_case(opts.own_address));
                    for address in named {
                        let lead: Option<i64> = sqlx::query_scalar("SELECT id FROM leads WHERE email = $1")
                            .bind(address)
                            .fetch_optional(&mut **self)
                            .await?;
                        if let Some(lead_id) = lead {
                            matched = Some((lead_id, None, MatchedBy::Named));
                            break;
                        }
                    }
                }
                let pattern = from.as_deref().and_then(domain_pattern);
                if let (None, true, false, Some(pattern)) = (matched, opts.match_domain, is_bounce, pattern) {
                    let leads: Vec<i64> = sqlx::query_scalar(
                        "SELECT DISTINCT l.id FROM leads l JOIN enrollments e ON e.lead_id = l.id \
                         JOIN sends s ON s.enrollment_id = e.id WHERE l.email LIKE $1 ESCAPE '\\' LIMIT 2",
                    )
                    .bind(pattern)
                    .fetch_all(&mut **self)
                    .await?;
                    if let [lead_id] = leads[..] {
                        matched = Some((lead_id, None, MatchedBy::Domain));
                    }
                }
                let Some((lead_id, mut enrollment_id, by)) = matched else {
                    return Ok((None, None));
                };
                if enrollment_id.is_none() {
                    enrollment_id = sqlx::query_scalar(
                        "SELECT s.enrollment_id FROM sends s JOIN enrollments e ON e.id = s.enrollment_id \
                         WHERE e.lead_id = $1 AND s.state = 'sent' ORDER BY s.sent_at DESC, s.id DESC LIMIT 1",
                    )
                    .bind(lead_id)
                    .fetch_optional(&mut **self)
                    .await?;
                }
                let (email, timezone): (String, Option<String>) =
                    sqlx::query_as("SELECT email, timezone FROM leads WHERE id = $1")
                        .bind(lead_id)
                        .fetch_one(&mut **self)
                        .await?;
                let matched = Matched {
                    lead_id,
                    email,
                    timezone: timezone.and_then(|t| t.parse::<Tz>().ok()),
                    enrollment_id,
                    by,
                };
                Ok((Some(matched), thread_send))
            }

            async fn running_enrollments(&mut self, lead_id: i64) -> Result<Vec<(Enrolled, i64)>, StoreError> {
                let sql = format!(
                    "SELECT {ENROLLMENT_COLUMNS}, c.spec_toml {ENROLLMENT_FROM} WHERE e.lead_id = $1 \
                     AND c.status IN ('active', 'paused') ORDER BY e.id"
                );
                let rows = sqlx::query(&sql).bind(lead_id).fetch_all(&mut **self).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let row = <EnrollmentRow as sqlx::FromRow<_>>::from_row(r)?;
                    let text: String = sqlx::Row::try_get(r, "spec_toml")?;
                    let enrolled = Enrolled {
                        enrollment_id: row.id,
                        state: row.state()?,
                        campaign: stored_spec(&row.campaign, &text),
                    };
                    out.push((enrolled, row.version));
                }
                Ok(out)
            }

            async fn unrecorded_send(&mut self, send_id: i64) -> Result<Option<Unrecorded>, StoreError> {
                let found: Option<(i64, i64, i64, String, String)> = sqlx::query_as(
                    "SELECT s.enrollment_id, s.step, s.claimed_at, c.name, c.spec_toml FROM sends s \
                     JOIN enrollments e ON e.id = s.enrollment_id JOIN campaigns c ON c.id = e.campaign_id \
                     WHERE s.id = $1 AND s.state IN ('claimed', 'uncertain', 'retry')",
                )
                .bind(send_id)
                .fetch_optional(&mut **self)
                .await?;
                Ok(found.map(|(enrollment_id, step, claimed_at, campaign, text)| Unrecorded {
                    send_id,
                    enrollment_id,
                    step: usize::try_from(step).unwrap_or(0),
                    claimed_at: from_ms(claimed_at),
                    campaign: stored_spec(&campaign, &text),
                }))
            }

            async fn check_unchanged(&mut self, msg: &Inbound, snapshot: &Snapshot) -> Result<(), StoreError> {
                let changed = |id: i64| StoreError::Conflict(id);
                if self.recorded_already(msg).await? != snapshot.facts.duplicate {
                    return Err(changed(0));
                }
                let Some(m) = snapshot.facts.matched.as_ref().filter(|_| !snapshot.versions.is_empty()) else {
                    return Ok(());
                };
                let now: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT e.id, e.version FROM enrollments e JOIN campaigns c ON c.id = e.campaign_id \
                     WHERE e.lead_id = $1 AND c.status IN ('active', 'paused') ORDER BY e.id",
                )
                .bind(m.lead_id)
                .fetch_all(&mut **self)
                .await?;
                match now.iter().zip(&snapshot.versions).find(|(a, b)| a != b) {
                    Some(((id, _), _)) => Err(changed(*id)),
                    None if now.len() != snapshot.versions.len() => Err(changed(m.lead_id)),
                    None => Ok(()),
                }
            }

            async fn insert_inbound(
                &mut self,
                msg: &Inbound,
                matched: Option<&Matched>,
                now: DateTime<Utc>,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO inbound_messages (mailbox, folder, uidvalidity, uid, message_id, from_addr, subject, \
                     sent_date, received_at, category, rule, language, return_date, evidence, lead_id, matched_by, \
                     enrollment_id, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                     $16, $17, $18) RETURNING id",
                )
                .bind(&msg.mailbox)
                .bind(&msg.folder)
                .bind(i64::from(msg.uidvalidity))
                .bind(i64::from(msg.uid))
                .bind(&msg.message_id)
                .bind(&msg.from)
                .bind(&msg.subject)
                .bind(msg.sent_date.map(to_ms))
                .bind(to_ms(now))
                .bind(msg.category.map(Category::as_str))
                .bind(&msg.rule)
                .bind(&msg.language)
                .bind(msg.return_date.map(|d| d.to_string()))
                .bind(&msg.evidence)
                .bind(matched.map(|m| m.lead_id))
                .bind(matched.map(|m| m.by.as_str()))
                .bind(matched.and_then(|m| m.enrollment_id))
                .bind(&msg.error)
                .fetch_one(&mut **self)
                .await?)
            }

            async fn record_answered(
                &mut self,
                send_id: i64,
                enrollment_id: i64,
                event: &Event,
                inbound_id: i64,
                now: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                let recorded = sqlx::query(
                    "UPDATE sends SET state = 'sent', sent_at = claimed_at, error = NULL WHERE id = $1 \
                     AND state IN ('claimed', 'uncertain', 'retry')",
                )
                .bind(send_id)
                .execute(&mut **self)
                .await?
                .rows_affected();
                if recorded == 0 {
                    // Its holder recorded it since the facts were read: decide again.
                    return Err(StoreError::Conflict(enrollment_id));
                }
                let cause = Cause {
                    message_id: Some(inbound_id),
                    note: Some("recorded as sent: a reply in its thread came".to_string()),
                    ..Cause::system()
                };
                // Stopped or completed meanwhile: the send is recorded, the state stays (as in
                // `mark_sent`).
                self.transition(enrollment_id, event, &cause, now).await?.ok();
                Ok(())
            }

            async fn transition(
                &mut self,
                enrollment_id: i64,
                event: &Event,
                cause: &Cause,
                now: DateTime<Utc>,
            ) -> Result<Result<LeadState, Refused>, StoreError> {
                let sql = format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id = $1");
                let row: EnrollmentRow = sqlx::query_as(&sql)
                    .bind(enrollment_id)
                    .fetch_one(&mut **self)
                    .await?;
                write_transition!((*self), &row, event, cause, now)
            }

            async fn suppress(
                &mut self,
                address: &str,
                reason: &str,
                inbound_id: Option<i64>,
                now: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO suppressions (email, reason, message_id, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (email) DO NOTHING",
                )
                .bind(address.trim().to_lowercase())
                .bind(reason)
                .bind(inbound_id)
                .bind(to_ms(now))
                .execute(&mut **self)
                .await?;
                Ok(())
            }

            async fn set_action(&mut self, inbound_id: i64, action: &str) -> Result<(), StoreError> {
                sqlx::query("UPDATE inbound_messages SET action = $1 WHERE id = $2")
                    .bind(action)
                    .bind(inbound_id)
                    .execute(&mut **self)
                    .await?;
                Ok(())
            }

            async fn advance_checkpoint(&mut self, msg: &Inbound, now: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO mailbox_checkpoints (mailbox, folder, uidvalidity, last_uid, updated_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (mailbox, folder) DO UPDATE SET \
                     last_uid = CASE WHEN mailbox_checkpoints.uidvalidity = excluded.uidvalidity \
                       AND mailbox_checkpoints.last_uid > excluded.last_uid \
                       THEN mailbox_checkpoints.last_uid ELSE excluded.last_uid END, \
                     uidvalidity = excluded.uidvalidity, updated_at = excluded.updated_at",
                )
                .bind(&msg.mailbox)
                .bind(&msg.folder)
                .bind(i64::from(msg.uidvalidity))
                .bind(i64::from(msg.uid))
                .bind(to_ms(now))
                .execute(&mut **self)
                .await?;
                Ok(())
            }
        }
    };
}

reply_tx!(sqlx::Sqlite);
reply_tx!(sqlx::Postgres);
