//! Inbound mail in the store: IMAP checkpoints, matching a message to a person and their
//! enrollments, and recording each message with its decision in ONE transaction together
//! with the checkpoint, so that a restart neither loses nor repeats a reply.
//!
//! Matching, in order: the message's `In-Reply-To`/`References` (and, for a bounce, the
//! Message-ID of the bounced original) against the Message-IDs of our sends; for a bounce the
//! original recipient against leads; the sender's address against leads (never for a
//! bounce, whose sender is the mailer daemon); and, when the mailbox enables it, the sender's
//! domain, only when exactly one lead of that domain has been mailed by us.
//!
//! A message (other than a bounce) in the thread of a step whose send is not recorded as sent yet (in flight,
//! uncertain after a crash, or waiting for a retry) proves that the step went out: it is
//! recorded as sent, in the same transaction, before the message's decision is applied.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::QueryBuilder;

use crate::db::rows::{from_ms, to_ms, EnrollmentRow, ENROLLMENT_COLUMNS, ENROLLMENT_FROM};
use crate::db::rows::{stored_spec, UnreadableCampaign};
use crate::db::{Actor, Backend, Cause, Store, StoreError};
use crate::domain::campaign::CampaignSpec;
use crate::domain::decide::{decide, Candidate, Reply};
use crate::domain::lead::{Event, Status};
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

/// The result of matching: the person, the enrollment the message belongs to, and how.
#[derive(Debug, Clone, Copy)]
struct Matched {
    lead_id: i64,
    enrollment_id: Option<i64>,
    by: &'static str,
}

/// A send that a reply answers although it is not recorded as sent (`claimed`, `uncertain`,
/// `retry`).
#[derive(Debug, Clone, Copy)]
struct Unrecorded {
    send_id: i64,
    enrollment_id: i64,
    step: i64,
    claimed_at: i64,
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

/// Upper bound on retries when another writer changes an enrollment under us.
const CONFLICT_RETRIES: usize = 5;

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

    /// The timezone a reply's dates should be read in: the matched lead's own, else its
    /// campaign's (as `(lead timezone, campaign file)`), found the way `ingest_message`
    /// matches (thread first, then the sender's address). `None` when nothing matches.
    ///
    /// # Errors
    /// Database errors.
    pub async fn timezone_hint(
        &self,
        refers_to: &[String],
        address: Option<&str>,
    ) -> Result<Option<(Option<String>, String)>, StoreError> {
        let ids: Vec<String> = refers_to.iter().take(100).map(|r| bracketed(r)).collect();
        with_pool!(self, |pool| {
            if !ids.is_empty() {
                let mut qb = QueryBuilder::new(
                    "SELECT l.timezone, c.spec_toml FROM sends s JOIN enrollments e ON e.id = s.enrollment_id \
                     JOIN leads l ON l.id = e.lead_id JOIN campaigns c ON c.id = e.campaign_id WHERE s.message_id IN (",
                );
                let mut sep = qb.separated(", ");
                for id in &ids {
                    sep.push_bind(id.clone());
                }
                qb.push(") LIMIT 1");
                let found: Option<(Option<String>, String)> =
                    qb.build_query_as().fetch_optional(pool).await?;
                if found.is_some() {
                    return Ok(found);
                }
            }
            let Some(address) = address else { return Ok(None) };
            let found: Option<(Option<String>, String)> = sqlx::query_as(
                "SELECT l.timezone, c.spec_toml FROM leads l JOIN enrollments e ON e.lead_id = l.id \
                 JOIN campaigns c ON c.id = e.campaign_id WHERE l.email = $1 ORDER BY e.updated_at DESC LIMIT 1",
            )
            .bind(address.trim().to_lowercase())
            .fetch_optional(pool)
            .await?;
            Ok(found)
        })
    }

    /// Matches, decides and records one message, applies the decided transitions and the
    /// suppression, and advances the folder's checkpoint to its UID: all in one transaction.
    /// A message already recorded (same UID, or same Message-ID in this mailbox after a
    /// `UIDVALIDITY` change) only advances the checkpoint.
    ///
    /// # Errors
    /// Database errors (nothing is written then, and the message will be read again).
    pub async fn ingest_message(
        &self,
        msg: &Inbound,
        opts: &MatchOptions<'_>,
        now: DateTime<Utc>,
    ) -> Result<IngestOutcome, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut out = IngestOutcome::default();

            let seen: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM inbound_messages WHERE mailbox = $1 AND folder = $2 AND uidvalidity = $3 AND uid = $4",
            )
            .bind(&msg.mailbox)
            .bind(&msg.folder)
            .bind(i64::from(msg.uidvalidity))
            .bind(i64::from(msg.uid))
            .fetch_optional(&mut *tx)
            .await?;
            let seen = match (seen, &msg.message_id) {
                (Some(id), _) => Some(id),
                (None, Some(mid)) => {
                    sqlx::query_scalar::<_, i64>(
                        "SELECT id FROM inbound_messages WHERE mailbox = $1 AND message_id = $2 LIMIT 1",
                    )
                    .bind(&msg.mailbox)
                    .bind(mid)
                    .fetch_optional(&mut *tx)
                    .await?
                }
                (None, None) => None,
            };

            if seen.is_some() {
                out.duplicate = true;
                out.action = "duplicate".to_string();
            } else {
                // ---- match ----
                let mut matched: Option<Matched> = None;
                // The send the message answers, when it is not recorded as sent yet.
                let mut unrecorded: Option<Unrecorded> = None;
                if !msg.refers_to.is_empty() {
                    let ids: Vec<String> = msg.refers_to.iter().map(|r| bracketed(r)).collect();
                    let mut qb = QueryBuilder::new(
                        "SELECT s.message_id, s.enrollment_id, e.lead_id, s.id, s.step, s.state, s.claimed_at \
                         FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE s.message_id IN (",
                    );
                    let mut sep = qb.separated(", ");
                    for id in ids.iter().take(100) {
                        sep.push_bind(id.clone());
                    }
                    qb.push(")");
                    let found: Vec<(String, i64, i64, i64, i64, String, i64)> =
                        qb.build_query_as().fetch_all(&mut *tx).await?;
                    let hit = ids.iter().find_map(|id| found.iter().find(|(m, ..)| m == id));
                    if let Some((_, enrollment_id, lead_id, send_id, step, state, claimed_at)) = hit {
                        matched = Some(Matched {
                            lead_id: *lead_id,
                            enrollment_id: Some(*enrollment_id),
                            by: "thread",
                        });
                        if matches!(state.as_str(), "claimed" | "uncertain" | "retry")
                            && msg.category != Some(Category::Bounce)
                        {
                            unrecorded = Some(Unrecorded {
                                send_id: *send_id,
                                enrollment_id: *enrollment_id,
                                step: *step,
                                claimed_at: *claimed_at,
                            });
                        }
                    }
                }
                let from = msg
                    .from
                    .as_deref()
                    .map(|f| f.trim().to_lowercase())
                    .filter(|f| !f.eq_ignore_ascii_case(opts.own_address));
                let is_bounce = msg.category == Some(Category::Bounce);
                let by_address = if is_bounce {
                    msg.bounced_recipient
                        .as_deref()
                        .map(|a| (a.trim().to_lowercase(), "recipient"))
                } else {
                    from.clone().map(|a| (a, "sender"))
                };
                if matched.is_none() {
                    if let Some((address, by)) = &by_address {
                        let lead: Option<i64> = sqlx::query_scalar("SELECT id FROM leads WHERE email = $1")
                            .bind(address)
                            .fetch_optional(&mut *tx)
                            .await?;
                        matched = lead.map(|lead_id| Matched {
                            lead_id,
                            enrollment_id: None,
                            by,
                        });
                    }
                }
                // A scheduler's booking confirmation names the lead in its text.
                if matched.is_none() && msg.category == Some(Category::MeetingBooked) {
                    for address in msg
                        .named
                        .iter()
                        .filter(|a| !a.eq_ignore_ascii_case(opts.own_address))
                    {
                        let lead: Option<i64> = sqlx::query_scalar("SELECT id FROM leads WHERE email = $1")
                            .bind(address)
                            .fetch_optional(&mut *tx)
                            .await?;
                        if let Some(lead_id) = lead {
                            matched = Some(Matched {
                                lead_id,
                                enrollment_id: None,
                                by: "named",
                            });
                            break;
                        }
                    }
                }
                if matched.is_none() && opts.match_domain && !is_bounce {
                    if let Some(pattern) = from.as_deref().and_then(domain_pattern) {
                        let leads: Vec<i64> = sqlx::query_scalar(
                            "SELECT DISTINCT l.id FROM leads l JOIN enrollments e ON e.lead_id = l.id \
                             JOIN sends s ON s.enrollment_id = e.id WHERE l.email LIKE $1 ESCAPE '\\' LIMIT 2",
                        )
                        .bind(pattern)
                        .fetch_all(&mut *tx)
                        .await?;
                        if let [lead_id] = leads[..] {
                            matched = Some(Matched {
                                lead_id,
                                enrollment_id: None,
                                by: "domain",
                            });
                        }
                    }
                }
                // Without a thread, the reply belongs to the person's most recently mailed
                // enrollment, so that the campaign's scope means something.
                if let Some(m) = matched.as_mut().filter(|m| m.enrollment_id.is_none()) {
                    m.enrollment_id = sqlx::query_scalar(
                        "SELECT s.enrollment_id FROM sends s JOIN enrollments e ON e.id = s.enrollment_id \
                         WHERE e.lead_id = $1 AND s.state = 'sent' ORDER BY s.sent_at DESC, s.id DESC LIMIT 1",
                    )
                    .bind(m.lead_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                }

                // ---- record ----
                let inbound_id: i64 = sqlx::query_scalar(
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
                .bind(matched.map(|m| m.by))
                .bind(matched.and_then(|m| m.enrollment_id))
                .bind(&msg.error)
                .fetch_one(&mut *tx)
                .await?;
                out.inbound_id = Some(inbound_id);
                out.lead_id = matched.map(|m| m.lead_id);

                // ---- decide and apply ----
                let mut actions: Vec<String> = Vec::new();
                // A reply in the thread of a step whose send is not recorded yet (still in
                // flight, left uncertain by a crash, or failed in a way that hid its delivery)
                // proves that the step reached the lead: record it first, as `mark_sent`
                // would, so that the reply acts on the lead as it really is. Otherwise a reply
                // to a first step finds a lead "not contacted yet" and is ignored (a stop or a
                // pause lost), and recording the send later would start the countdown to a
                // step the person asked not to get; a retry would send it again. A holder
                // that records the send afterwards finds it recorded and leaves it.
                if let Some(u) = unrecorded {
                    // The campaign says when the next step falls due. One that no longer
                    // parses cannot: then the send and the lead stay as they are (never
                    // completed by a parse error) and the daemon reports the campaign.
                    let (campaign, spec_toml): (String, String) = sqlx::query_as(
                        "SELECT c.name, c.spec_toml FROM campaigns c JOIN enrollments e ON e.campaign_id = c.id \
                         WHERE e.id = $1",
                    )
                    .bind(u.enrollment_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    match stored_spec(&campaign, &spec_toml) {
                        Err(e) => actions.push(format!("step {} left unrecorded: {e}", u.step + 1)),
                        Ok(spec) => {
                            let recorded = sqlx::query(
                                "UPDATE sends SET state = 'sent', sent_at = claimed_at, error = NULL WHERE id = $1 \
                                 AND state IN ('claimed', 'uncertain', 'retry')",
                            )
                            .bind(u.send_id)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                            if recorded == 1 {
                                let sent_at = from_ms(u.claimed_at);
                                let event = Event::StepSent {
                                    at: sent_at,
                                    next_due: spec.next_due(u.step as usize, sent_at),
                                };
                                let cause = Cause {
                                    message_id: Some(inbound_id),
                                    note: Some("recorded as sent: a reply in its thread came".to_string()),
                                    ..Cause::system()
                                };
                                let sql =
                                    format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id = $1");
                                for attempt in 0..=CONFLICT_RETRIES {
                                    let row: EnrollmentRow = sqlx::query_as(&sql)
                                        .bind(u.enrollment_id)
                                        .fetch_one(&mut *tx)
                                        .await?;
                                    match write_transition!(tx, &row, &event, &cause, now) {
                                        Err(StoreError::Conflict(id)) if attempt == CONFLICT_RETRIES => {
                                            return Err(StoreError::Conflict(id))
                                        }
                                        Err(StoreError::Conflict(_)) => continue,
                                        Err(e) => return Err(e),
                                        // Stopped or completed meanwhile: the send is recorded,
                                        // the state stays (as in `mark_sent`).
                                        Ok(_) => break,
                                    }
                                }
                                actions.push(format!("step {} recorded sent (answered)", u.step + 1));
                            }
                        }
                    }
                }
                match (msg.category, matched) {
                    (None, _) => actions.push("unreadable".to_string()),
                    (Some(category), None) => {
                        actions.push("unmatched".to_string());
                        // An unsubscribe or bounce names an address even when we never mailed
                        // it from here; it still joins the list.
                        let address = if category == Category::Bounce {
                            msg.bounced_recipient.clone()
                        } else {
                            from.clone()
                        };
                        let reason = match category {
                            Category::Unsubscribe => Some("unsubscribed"),
                            Category::Bounce => Some("bounced"),
                            _ => None,
                        };
                        if let (Some(reason), Some(address)) = (reason, address) {
                            suppress_in(&mut tx, &address, reason, inbound_id, now).await?;
                            actions.push(format!("suppressed {reason}"));
                        }
                    }
                    (Some(category), Some(m)) => {
                        let sql = format!(
                            "SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.lead_id = $1 \
                             AND c.status IN ('active', 'paused') ORDER BY e.id"
                        );
                        let rows: Vec<EnrollmentRow> =
                            sqlx::query_as(&sql).bind(m.lead_id).fetch_all(&mut *tx).await?;
                        // A campaign that no longer parses has no policy to decide with: its
                        // leads stay as they are (the daemon reports the campaign) and the
                        // reply says so in its actions.
                        let mut specs: BTreeMap<i64, Result<CampaignSpec, UnreadableCampaign>> =
                            BTreeMap::new();
                        for row in &rows {
                            if specs.contains_key(&row.campaign_id) {
                                continue;
                            }
                            let text: String =
                                sqlx::query_scalar("SELECT spec_toml FROM campaigns WHERE id = $1")
                                    .bind(row.campaign_id)
                                    .fetch_one(&mut *tx)
                                    .await?;
                            let spec = stored_spec(&row.campaign, &text);
                            if let Err(e) = &spec {
                                actions.push(format!("left as is: {e}"));
                            }
                            specs.insert(row.campaign_id, spec);
                        }
                        let candidates: Vec<Candidate> = rows
                            .iter()
                            .filter_map(|row| {
                                let spec = specs.get(&row.campaign_id)?.as_ref().ok()?;
                                let tz = row
                                    .timezone
                                    .as_deref()
                                    .and_then(|t| t.parse::<Tz>().ok())
                                    .unwrap_or(spec.timezone);
                                Some(Candidate {
                                    enrollment_id: row.id,
                                    matched: Some(row.id) == m.enrollment_id,
                                    status: Status::parse(&row.status)?,
                                    policy: spec.policy.clone(),
                                    window: spec.window.clone(),
                                    tz,
                                })
                            })
                            .collect();
                        let decision = decide(
                            &Reply {
                                category,
                                return_date: msg.return_date,
                                rule: msg.rule.as_deref(),
                                inbound_id,
                            },
                            &candidates,
                            now,
                        );
                        let cause = Cause {
                            actor: Actor::Auto,
                            rule: msg.rule.clone(),
                            message_id: Some(inbound_id),
                            note: msg
                                .rule
                                .as_ref()
                                .map(|r| format!("{} (rule {r})", category.as_str())),
                        };
                        for (enrollment_id, event) in &decision.events {
                            let sql =
                                format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id = $1");
                            let mut applied = None;
                            for _ in 0..CONFLICT_RETRIES {
                                let row: EnrollmentRow = sqlx::query_as(&sql)
                                    .bind(enrollment_id)
                                    .fetch_one(&mut *tx)
                                    .await?;
                                match write_transition!(tx, &row, event, &cause, now) {
                                    Err(StoreError::Conflict(_)) => continue,
                                    Err(e) => return Err(e),
                                    Ok(r) => {
                                        applied = Some(r);
                                        break;
                                    }
                                }
                            }
                            match applied {
                                Some(Ok(state)) => {
                                    out.changed += 1;
                                    actions.push(format!(
                                        "{} {} -> {}",
                                        event.name(),
                                        enrollment_id,
                                        state.status()
                                    ));
                                }
                                Some(Err(refused)) => {
                                    out.refused += 1;
                                    actions.push(format!(
                                        "refused {} {}: {}",
                                        event.name(),
                                        enrollment_id,
                                        refused.message
                                    ));
                                }
                                None => return Err(StoreError::Conflict(*enrollment_id)),
                            }
                        }
                        if let Some(why) = decision.ignored {
                            actions.push(format!("ignored: {why}"));
                        }
                        if let Some(reason) = decision.suppress {
                            let address = if category == Category::Bounce {
                                msg.bounced_recipient.clone()
                            } else {
                                None
                            };
                            let address = match address {
                                Some(a) => a,
                                None => {
                                    sqlx::query_scalar("SELECT email FROM leads WHERE id = $1")
                                        .bind(m.lead_id)
                                        .fetch_one(&mut *tx)
                                        .await?
                                }
                            };
                            suppress_in(&mut tx, &address, reason, inbound_id, now).await?;
                            actions.push(format!("suppressed {reason}"));
                        }
                    }
                }
                out.action = actions.join("; ");
                sqlx::query("UPDATE inbound_messages SET action = $1 WHERE id = $2")
                    .bind(&out.action)
                    .bind(inbound_id)
                    .execute(&mut *tx)
                    .await?;
            }

            // ---- checkpoint, in the same transaction ----
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
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(out)
        })
    }
}

/// Adds an address to the suppression list inside a transaction (idempotent).
async fn suppress_in<'c, DB>(
    tx: &mut sqlx::Transaction<'c, DB>,
    address: &str,
    reason: &str,
    inbound_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query(
        "INSERT INTO suppressions (email, reason, message_id, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(address.trim().to_lowercase())
    .bind(reason)
    .bind(inbound_id)
    .bind(to_ms(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
