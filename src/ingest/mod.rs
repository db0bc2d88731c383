//! Mail in: the watcher task of one mailbox (raw mail becomes our `Reply` in `rules::parse`).
//!
//! [`watch`] keeps one IMAP connection per watched folder of the mailbox. Per folder it reads
//! the checkpoint, fetches every UID above it with `BODY.PEEK[]`, and takes each message the
//! one way a reply travels: the [`Analyzer`] parses and classifies it, the store matches it
//! ([`Store::reply_facts`], which also gives the person's zone), its return date is read once
//! in that zone, the pure `domain::decide::decide_reply` decides, and
//! [`Store::apply_reply`] records it, applies the decision and moves the checkpoint in one
//! transaction ([`record`]). Then it waits with IDLE (re-armed by
//! the client well before servers drop it) or polls, and starts over. A broken connection or
//! an unreachable database ends the session; the task reconnects with doubling backoff capped
//! at [`MAX_BACKOFF`]. A refused login marks the mailbox unhealthy (the sender then sends
//! nothing from it) until a later login succeeds.
//!
//! A folder seen for the first time, or whose `UIDVALIDITY` changed, is read from the day
//! before this mailbox's first send; messages already recorded (by Message-ID) are skipped,
//! so a rescan never applies a reply twice.
//!
//! **Invariant:** one bad message never stops the loop: a message that cannot be analysed,
//! or whose decision hits a corrupt row, is recorded with its error and the checkpoint moves
//! past it. The cancellation token is checked only between messages.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Days, FixedOffset, Utc};
use chrono_tz::Tz;
use tracing::{debug, error, info, warn};

use crate::config::Mailbox;
use crate::context::Context;
use crate::db::inbound::{Checkpoint, Inbound, IngestOutcome, MatchOptions, Snapshot};
use crate::db::{Store, StoreError};
use crate::domain::decide::decide_reply;
use crate::imap::{ImapClient, ImapError, Wake};
use crate::rules::{Category, Classification, Delivery, RuleSet};

/// Longest wait between two reconnection attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// First wait after a failed connection.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

/// How many messages are fetched per `UID FETCH`.
const FETCH_BATCH: usize = 100;

/// Reads raw mail: parses and classifies it, once. The return date is read afterwards, in the
/// lead's zone once the message is matched ([`Read::inbound`]). Implemented by the rule set;
/// tests may bring their own.
pub trait Analyzer: Send + Sync {
    /// Parses and classifies `raw`.
    ///
    /// # Errors
    /// A short reason when the bytes are not a mail message; the message is then recorded as
    /// unreadable and skipped.
    fn read(&self, raw: &[u8]) -> Result<Read, String>;
}

/// A parsed and classified message, its return date not read yet.
#[derive(Debug, Clone)]
pub struct Read {
    /// The normalised reply: its text is where the return date is read, once the zone
    /// is known.
    pub reply: crate::rules::reply::Reply,
    /// The verdict of the rules.
    pub classification: Classification,
}

impl Analyzer for RuleSet {
    fn read(&self, raw: &[u8]) -> Result<Read, String> {
        let mut reply = crate::rules::parse::parse(raw).map_err(|e| e.to_string())?;
        self.mend_lost_letters(&mut reply);
        let classification = crate::rules::classify(&reply, self);
        Ok(Read {
            reply,
            classification,
        })
    }
}

impl Read {
    /// The category as the store acts on it: a delivery report that only says "delayed" is
    /// not a bounce that stops anyone.
    pub fn category(&self) -> Category {
        match (self.classification.category, self.classification.delivery) {
            (Category::Bounce, Some(Delivery::Delayed)) => Category::AutoReply,
            (c, _) => c,
        }
    }

    /// The recipient a bounce names (the failed one, else the first).
    fn bounced_recipient(&self) -> Option<String> {
        let report = self.reply.report.as_ref()?;
        let failed = report
            .recipients
            .iter()
            .find(|r| {
                r.action
                    .as_deref()
                    .is_some_and(|a| a.eq_ignore_ascii_case("failed"))
            })
            .or_else(|| report.recipients.first())?;
        failed
            .original_recipient
            .clone()
            .or_else(|| failed.final_recipient.clone())
            .map(|r| r.trim().to_lowercase())
    }

    /// The analysed part of an [`Inbound`] (everything but its position in the mailbox and
    /// its return date, which is read once the person and their zone are known).
    pub fn inbound(&self) -> Inbound {
        let reply = &self.reply;
        let class = &self.classification;
        // Most relevant first: the message replied to, then the thread from its newest end.
        let refers_to = reply
            .in_reply_to
            .iter()
            .chain(reply.references.iter().rev())
            .cloned()
            .collect();
        Inbound {
            message_id: reply.message_id.as_ref().map(|id| {
                let bare = id.trim().trim_start_matches('<').trim_end_matches('>');
                format!("<{bare}>")
            }),
            from: reply.from.as_ref().map(|f| f.trim().to_lowercase()),
            subject: Some(reply.subject.clone()),
            sent_date: reply.date.map(|d| d.with_timezone(&chrono::Utc)),
            refers_to,
            bounced_recipient: self.bounced_recipient(),
            named: match self.category() {
                Category::MeetingBooked => crate::rules::meeting::invitee(reply, 5),
                _ => Vec::new(),
            },
            category: Some(self.category()),
            rule: class.rule.clone(),
            language: class.language.map(|l| crate::rules::lang_tag(l).to_string()),
            ..Inbound::default()
        }
    }

    /// Reads the return date into `msg`, in `tz` (the person's zone: "tomorrow" written late
    /// at night); `received_at` stands in for a missing `Date`. An absence notice that is a
    /// colleague's answer about someone else's absence, or a person's reply whose absences
    /// are all over or asked about, becomes a person's reply here
    /// ([`crate::rules::not_the_writers_absence`], asked once the dates are read).
    pub fn date(&self, msg: &mut Inbound, tz: Tz, received_at: DateTime<FixedOffset>) {
        let found = crate::rules::return_date(&self.reply, &self.classification, tz, received_at);
        // Nobody's absence but told of or someone else's: a person's reply, no day.
        if let Some((category, rule)) = crate::rules::not_the_writers_absence(
            &self.reply,
            &self.classification,
            found.as_ref(),
            tz,
            received_at,
        ) {
            msg.category = Some(category);
            msg.rule = Some(rule.to_string());
            return;
        }
        msg.return_date = found.as_ref().map(|d| d.date);
        msg.evidence = found.map(|d| d.evidence);
    }
}

/// How often the facts of a message are read again when they changed before its decision
/// could be applied (another writer acted on the person meanwhile).
const STALE_RETRIES: usize = 5;

/// Records one analysed message the one way a reply travels: the store's facts (`first`,
/// read by the caller, or read again), the pure decision (`domain::decide::decide_reply`),
/// and the store applying it with the checkpoint in one transaction.
///
/// # Errors
/// Database errors; [`StoreError::Conflict`] when the facts kept changing.
pub async fn record(
    store: &Store,
    msg: &Inbound,
    opts: &MatchOptions<'_>,
    first: Snapshot,
    now: DateTime<Utc>,
) -> Result<IngestOutcome, StoreError> {
    let mut snapshot = first;
    let mut attempt = 0;
    loop {
        let decision = decide_reply(&msg.verdict(opts.own_address), &snapshot.facts, now);
        match store.apply_reply(msg, &snapshot, &decision, now).await {
            Err(StoreError::Conflict(_)) if attempt < STALE_RETRIES => attempt += 1,
            done => return done,
        }
        snapshot = store.reply_facts(msg, opts).await?;
    }
}

/// Why a watcher session ended.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The IMAP side failed: the watcher logs in again after its backoff.
    #[error(transparent)]
    Imap(#[from] ImapError),
    /// The database failed: reported once per episode when it cannot be written, and the
    /// message is read again.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Watches one mailbox until the daemon's token is cancelled.
pub async fn watch(ctx: Context, mailbox: Mailbox, analyzer: Arc<dyn Analyzer>) {
    let mut backoff = FIRST_BACKOFF;
    // A login that keeps failing the same way is reported once, not at every retry.
    let mut last_login_error: Option<String> = None;
    info!(mailbox = %mailbox.name, folders = mailbox.folders.len(), "Mailbox watcher started.");
    loop {
        if ctx.token.is_cancelled() {
            break;
        }
        let mut logged_in = false;
        let result = session(&ctx, &mailbox, analyzer.as_ref(), &mut logged_in).await;
        if logged_in {
            backoff = FIRST_BACKOFF;
            last_login_error = None;
        }
        match result {
            Ok(()) => break,
            Err(WatchError::Imap(e)) if e.is_login() => {
                let text = format!("imap login: {e}");
                if last_login_error.as_deref() == Some(text.as_str()) {
                    debug!(mailbox = %mailbox.name, error = %e, "IMAP login still fails.");
                } else {
                    error!(mailbox = %mailbox.name, error = %e, "IMAP login failed; mailbox marked unhealthy.");
                    last_login_error = Some(text.clone());
                }
                if let Err(e) = ctx
                    .store
                    .set_mailbox_health(&mailbox.name, false, Some(&text), ctx.clock.now())
                    .await
                {
                    warn!(mailbox = %mailbox.name, error = %e, "Could not record mailbox health.");
                }
            }
            // The database cannot be written (disk full, read-only): reported once by the
            // health task; the message was not recorded and is read again after the wait.
            Err(WatchError::Store(e)) if ctx.db_health.failed(&e) => {
                backoff = crate::health::RETRY_AFTER;
            }
            Err(e) => {
                metrics::counter!("cadenced_imap_reconnects_total").increment(1);
                warn!(mailbox = %mailbox.name, error = %e, retry_in_ms = backoff.as_millis() as u64, "Mailbox watcher lost its session; reconnecting.");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = ctx.token.cancelled() => break,
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
    info!(mailbox = %mailbox.name, "Mailbox watcher stopped.");
}

/// One connected session: every folder concurrently, each on its own connection (IDLE
/// watches one folder per connection). Returns `Ok` only when cancelled.
async fn session(
    ctx: &Context,
    mailbox: &Mailbox,
    analyzer: &dyn Analyzer,
    logged_in: &mut bool,
) -> Result<(), WatchError> {
    let mut clients = Vec::with_capacity(mailbox.folders.len());
    for _ in &mailbox.folders {
        clients.push(ImapClient::connect(&mailbox.imap).await?);
    }
    *logged_in = true;
    if ctx
        .store
        .clear_imap_failure(&mailbox.name, ctx.clock.now())
        .await?
    {
        info!(mailbox = %mailbox.name, "IMAP login works again; mailbox healthy.");
    }
    let loops = clients
        .into_iter()
        .zip(&mailbox.folders)
        .map(|(client, folder)| watch_folder(ctx, mailbox, folder, client, analyzer));
    // The first folder to fail ends the session; the others are dropped with it and
    // reconnect together.
    futures::future::try_join_all(loops).await?;
    Ok(())
}

/// Reads one folder for as long as the connection lasts.
async fn watch_folder(
    ctx: &Context,
    mailbox: &Mailbox,
    folder: &str,
    mut client: ImapClient,
    analyzer: &dyn Analyzer,
) -> Result<(), WatchError> {
    let store = &ctx.store;
    let status = client.examine(folder).await?;
    let mut last = match store.checkpoint(&mailbox.name, folder).await? {
        Some(cp) if cp.uidvalidity == status.uidvalidity => cp.last_uid,
        previous => {
            // First sight, or UIDVALIDITY changed: start from the campaign period.
            let since = store
                .first_send_at(&mailbox.name)
                .await?
                .unwrap_or_else(|| ctx.clock.now())
                .date_naive()
                .checked_sub_days(Days::new(1))
                .unwrap_or_default();
            let first = client.uids_since(since).await?.first().copied();
            let base = match first {
                Some(uid) => uid - 1,
                None => status.uid_next.unwrap_or(1).saturating_sub(1),
            };
            if previous.is_some() {
                warn!(mailbox = %mailbox.name, folder, uidvalidity = status.uidvalidity, "UIDVALIDITY changed; rescanning the folder (duplicates are skipped by Message-ID).");
            }
            store
                .set_checkpoint(
                    &mailbox.name,
                    folder,
                    Checkpoint {
                        uidvalidity: status.uidvalidity,
                        last_uid: base,
                    },
                    ctx.clock.now(),
                )
                .await?;
            base
        }
    };
    let opts = MatchOptions {
        own_address: &mailbox.address,
        match_domain: mailbox.match_domain,
        default_tz: ctx.cfg.timezone,
    };
    debug!(mailbox = %mailbox.name, folder, last_uid = last, idle = client.has_idle(), "Folder open.");
    loop {
        let uids = client.uids_after(last).await?;
        for chunk in uids.chunks(FETCH_BATCH) {
            let messages = client.fetch_raw(chunk).await?;
            for (uid, raw) in messages {
                if ctx.token.is_cancelled() {
                    return Ok(());
                }
                let now = ctx.clock.now();
                // Parse and classify once; match (learning the person's zone); read the date
                // once, in that zone; decide; apply.
                let read = analyzer.read(&raw).map(|mut read| {
                    // An absence no rule read is still no person's answer (DESIGN "Replies",
                    // point 7); the day it names is placed in the daemon's zone here and
                    // read again in the person's below.
                    crate::rules::reconsider_absence(
                        &read.reply,
                        &mut read.classification,
                        opts.default_tz,
                        now.fixed_offset(),
                    );
                    read
                });
                let mut msg = match &read {
                    Err(error) => Inbound {
                        error: Some(error.clone()),
                        ..Inbound::default()
                    },
                    Ok(read) => read.inbound(),
                };
                msg.mailbox = mailbox.name.clone();
                msg.folder = folder.to_string();
                msg.uidvalidity = status.uidvalidity;
                msg.uid = uid;
                let recorded = match store.reply_facts(&msg, &opts).await {
                    Ok(snapshot) => {
                        if let Ok(read) = &read {
                            let tz = snapshot.facts.timezone().unwrap_or(opts.default_tz);
                            read.date(&mut msg, tz, now.fixed_offset());
                        }
                        record(store, &msg, &opts, snapshot, now).await
                    }
                    Err(e) => Err(e),
                };
                let outcome = match recorded {
                    Ok(outcome) => outcome,
                    // The database is unreachable, or another writer kept changing the lead:
                    // end the session and read the message again later.
                    Err(e @ (StoreError::Sqlx(_) | StoreError::Conflict(_))) => return Err(e.into()),
                    // Anything else is about this message (a corrupt row): record and move on.
                    Err(e) => {
                        warn!(mailbox = %mailbox.name, folder, uid, error = %e, "Message quarantined; ingest continues.");
                        let quarantined = Inbound {
                            category: None,
                            error: Some(e.to_string()),
                            ..msg.clone()
                        };
                        let snapshot = store.reply_facts(&quarantined, &opts).await?;
                        record(store, &quarantined, &opts, snapshot, now).await?
                    }
                };
                // A reply from a lead is an operator's event (what the daemon decided, never
                // who wrote or what); the rest of the salesperson's mail stays at DEBUG.
                if outcome.lead_id.is_some() && !outcome.duplicate {
                    info!(
                        mailbox = %mailbox.name,
                        folder,
                        uid,
                        category = msg.category.map_or("-", |c| c.as_str()),
                        rule = msg.rule.as_deref().unwrap_or("-"),
                        changed = outcome.changed,
                        refused = outcome.refused,
                        action = %outcome.action,
                        "Reply from a lead decided."
                    );
                } else {
                    debug!(
                        mailbox = %mailbox.name,
                        folder,
                        uid,
                        category = msg.category.map_or("-", |c| c.as_str()),
                        rule = msg.rule.as_deref().unwrap_or("-"),
                        changed = outcome.changed,
                        refused = outcome.refused,
                        action = %outcome.action,
                        "Message ingested."
                    );
                }
                metrics::counter!("cadenced_replies_total", "category" => msg.category.map_or("unreadable", |c| c.as_str()))
                    .increment(1);
                if outcome.changed > 0 {
                    ctx.wake.notify_one();
                }
            }
            last = last.max(chunk.last().copied().unwrap_or(last));
        }
        // The backlog is read: the scheduler may send from this mailbox now.
        if ctx.leases.folder_caught_up(&mailbox.name, folder) {
            debug!(mailbox = %mailbox.name, "Replies read; sending may start.");
            ctx.wake.notify_one();
        }
        match client.wait_for_change(mailbox.poll_interval, &ctx.token).await? {
            Wake::Cancelled => {
                client.logout().await;
                return Ok(());
            }
            Wake::Changed | Wake::Timeout => {}
        }
    }
}

impl Analyzer for crate::context::Rules {
    fn read(&self, raw: &[u8]) -> Result<Read, String> {
        self.current().read(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An absence rule reads a colleague's answer about someone else's absence first; read
    /// with its dates, it is a person's reply with no day.
    #[test]
    fn a_colleagues_answer_about_someone_elses_absence_is_a_persons_reply() {
        let msg = read_with_dates(
            "Frau Becker ist bis zum 11. Dezember im Urlaub, ich leite Ihre Nachricht an sie weiter.",
            chrono_tz::Europe::Berlin,
        );
        assert_eq!(msg.category, Some(Category::Human));
        assert_eq!(msg.rule.as_deref(), Some(crate::rules::BUILTIN_COLLEAGUE));
        assert_eq!(msg.return_date, None);
    }

    /// An absence rule reads a person's reply that tells of a holiday that is over; read with
    /// its dates, it is a person's reply (`builtin-mention`), so the lead stops for the rep.
    #[test]
    fn a_holiday_that_is_over_is_a_persons_reply() {
        let msg = read_with_dates(
            "Sorry voor de vertraging, ik was vorige week op vakantie. Wat kost het per maand?",
            chrono_tz::Europe::Amsterdam,
        );
        assert_eq!(msg.category, Some(Category::Human));
        assert_eq!(msg.rule.as_deref(), Some(crate::rules::BUILTIN_MENTION));
        assert_eq!(msg.return_date, None);
    }

    /// A reply with `body`, which an absence rule reads first (asserted), then read with its
    /// dates in `tz`, as the watcher does.
    fn read_with_dates(body: &str, tz: chrono_tz::Tz) -> Inbound {
        let raw = format!(
            "From: Ben <ben@lead.test>\r\nTo: sales@example.test\r\nSubject: Re: Quick question\r\n\
             Date: Thu, 3 Dec 2026 10:00:00 +0000\r\nMessage-ID: <dated.1@lead.test>\r\n\r\n{body}\r\n"
        );
        let rules = RuleSet::shipped().expect("rules");
        let read = rules.read(raw.as_bytes()).expect("read");
        assert_eq!(
            read.category(),
            Category::OutOfOffice,
            "the absence rule reads it first"
        );
        let received = chrono::DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").expect("time");
        let mut msg = read.inbound();
        read.date(&mut msg, tz, received);
        msg
    }

    /// The zone the date is read in is the one given after reading: an out-of-office reply
    /// sent at 23:30 UTC saying "back tomorrow" means the 4th for a lead in Tokyo (where it
    /// is already the 3rd) and the 3rd for one in London.
    #[test]
    fn a_reply_is_read_once_and_dated_in_the_lead_zone() {
        let raw = "From: Ada <ada@lead.test>\r\nTo: sales@example.test\r\nSubject: Out of office\r\n\
                   Date: Mon, 2 Mar 2026 23:30:00 +0000\r\nMessage-ID: <ooo.1@lead.test>\r\n\
                   Auto-Submitted: auto-replied\r\n\r\n\
                   I am out of the office and back tomorrow.\r\n";
        let rules = RuleSet::shipped().expect("rules");
        let read = rules.read(raw.as_bytes()).expect("read");
        assert_eq!(read.category(), Category::OutOfOffice);
        let received = chrono::DateTime::parse_from_rfc3339("2026-03-02T23:30:00Z").expect("time");
        let date = |tz: Tz| {
            let mut msg = read.inbound();
            read.date(&mut msg, tz, received);
            msg.return_date.map(|d| d.to_string())
        };
        assert_eq!(date(chrono_tz::Europe::London).as_deref(), Some("2026-03-03"));
        assert_eq!(date(chrono_tz::Asia::Tokyo).as_deref(), Some("2026-03-04"));
    }
}
