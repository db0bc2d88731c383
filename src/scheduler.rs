//! The scheduler task: resumes paused leads when their date comes and sends each due step
//! inside its sending window, within the campaign's daily cap and minimum gap.
//!
//! It sleeps until the next thing is due (a send, a resume, the end of a gap), at most
//! `daemon.max_idle` so that changes made by the CLI are seen within seconds, and wakes early
//! when another task pokes [`Context::wake`]. Sending is claim, send, record (see
//! `db::sends`); a send in flight is never cancelled: on shutdown the scheduler stops
//! claiming and waits for the sends it started.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tracing::{debug, error, info, warn};

use crate::context::Context;
use crate::db::lead_fields;
use crate::db::rows::stored_spec;
use crate::db::sends::{Claim, ClaimRequest, FailedStep};
use crate::domain::campaign::{CampaignSpec, UnreadableCampaign, UNSUBSCRIBE_URL};
use crate::domain::plan::{plan, DeferReason, Due, Pacing as MailboxPacing, Plan};
use crate::domain::window::local_instant;
use crate::imap::ImapClient;
use crate::sender::{Outgoing, SendError, Sender};

/// Sends in flight at once, over all mailboxes.
const MAX_IN_FLIGHT: usize = 16;
/// Due enrollments fetched per mailbox per round.
const BATCH: i64 = 500;
/// Sends claimed together at the least (when that many are due): one claim transaction
/// serves them all.
const CLAIM_GROUP: usize = 4;
/// How often an unhealthy mailbox is tried again.
const HEALTH_PROBE: Duration = Duration::from_secs(30);

/// What the scheduler keeps from one round to the next: who it is, the SMTP side, the pacing
/// of each mailbox, the parsed campaigns (keyed by their stored text), and the sends in
/// flight with the slots they hold.
struct Rounds {
    /// This daemon's id, which its claims are fenced with.
    me: String,
    sender: Arc<Sender>,
    pacing: Pacing,
    /// Each campaign's spec, parsed once per stored text (`None`: it no longer parses).
    specs: HashMap<i64, (String, Option<CampaignSpec>)>,
    /// One per send in flight, at most `MAX_IN_FLIGHT`.
    permits: Arc<Semaphore>,
    in_flight: JoinSet<()>,
    sent_clients: SentClients,
}

/// A claimed step on its way to SMTP: what `deliver` sends and records.
struct Claimed {
    enrollment_id: i64,
    /// The claim: its send row and Message-ID.
    claim: Claim,
    out: Outgoing,
    /// The delay before the step after it, `None` after the last.
    next_delay: Option<chrono::Duration>,
}

struct Pacing {
    /// Earliest next claim per mailbox (minimum gap with jitter).
    next_allowed: HashMap<String, DateTime<Utc>>,
    /// Last health probe per unhealthy mailbox.
    last_probe: HashMap<String, DateTime<Utc>>,
}

/// Runs until the daemon's token is cancelled.
pub async fn run(ctx: Context) {
    let me = ctx.leases.id().to_string();
    let (sender, broken) = Sender::new(&ctx.cfg.mailboxes);
    let now = ctx.clock.now();
    for (mailbox, err) in &broken {
        error!(mailbox = %mailbox, error = %err, "SMTP transport cannot be set up; nothing is sent from this mailbox.");
        let _ = ctx.store.set_mailbox_health(mailbox, false, Some(err), now).await;
    }
    let mut rounds = Rounds {
        me,
        sender: Arc::new(sender),
        pacing: Pacing {
            next_allowed: HashMap::new(),
            last_probe: HashMap::new(),
        },
        specs: HashMap::new(),
        permits: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        in_flight: JoinSet::new(),
        sent_clients: Arc::new(SentPool::default()),
    };
    let mut unreadable = Unreadable::default();
    let mut upkeep_at: Option<DateTime<Utc>> = None;
    loop {
        if ctx.token.is_cancelled() {
            break;
        }
        while rounds.in_flight.try_join_next().is_some() {}
        ctx.beat();
        let now = ctx.clock.now();
        // Only the mailboxes whose lease this daemon holds (see `daemon::leases`).
        let working = ctx.leases.working();
        match ctx.store.resume_due(now, 10_000, Some(&working)).await {
            Ok(n) if n > 0 => info!(resumed = n, "Paused leads resumed."),
            Ok(_) => {}
            Err(e) if ctx.db_health.failed(&e) => {}
            Err(e) => warn!(error = %e, "Resuming due leads failed; retrying."),
        }
        if upkeep_due(&mut upkeep_at, now) {
            unreadable.check(&ctx).await;
            // Stale pauses of the mailboxes held, whether or not their backlog is read yet.
            match ctx.store.stop_stale_pauses(now, Some(&ctx.leases.kept())).await {
                Ok(n) if n > 0 => info!(stopped = n, "Stale pauses stopped."),
                Ok(_) => {}
                Err(e) if ctx.db_health.failed(&e) => {}
                Err(e) => warn!(error = %e, "Stopping stale pauses failed; retrying."),
            }
            // Bounces that came back as mail (DSNs) count too: the brake looks at every
            // campaign once a minute, besides right after a refusal at send time.
            brake_bounce_rate(&ctx, None).await;
        }
        let mut wake_at: Option<DateTime<Utc>> = None;
        for mailbox in &working {
            if ctx.token.is_cancelled() {
                break;
            }
            match send_round(&ctx, &mut rounds, mailbox).await {
                Ok(Some(t)) => wake_at = Some(wake_at.map_or(t, |w| w.min(t))),
                Ok(None) => {}
                Err(e) if ctx.db_health.failed(&e) => {}
                Err(e) => warn!(mailbox = %mailbox, error = %e, "Send round failed; retrying."),
            }
        }
        let now = ctx.clock.now();
        let mut sleep_for = ctx.cfg.max_idle;
        let next_due = ctx.store.next_due_at(Some(&working)).await.ok().flatten();
        let next_resume = ctx.store.next_resume_at(Some(&working)).await.ok().flatten();
        for t in [next_due, next_resume, wake_at].into_iter().flatten() {
            let until = (t - now).to_std().unwrap_or(Duration::ZERO);
            sleep_for = sleep_for.min(until.max(Duration::from_millis(20)));
        }
        tokio::select! {
            _ = tokio::time::sleep(sleep_for) => {}
            _ = ctx.wake.notified() => {}
            _ = ctx.token.cancelled() => break,
        }
    }
    // Sends already handed to SMTP finish and are recorded; nothing new is claimed.
    while rounds.in_flight.join_next().await.is_some() {}
}

/// IMAP connections for storing sent copies, kept between sends: a few per mailbox, so that
/// copies do not queue behind one another (each send is recorded only once its copy is
/// stored) while staying well under the server's per-user connection limit.
#[derive(Debug, Default)]
struct SentPool {
    idle: std::sync::Mutex<HashMap<String, Vec<ImapClient>>>,
    slots: std::sync::Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Connections per mailbox for Sent copies (Dovecot allows 10 per user and address by
/// default; the watchers need one per folder).
const SENT_CONNECTIONS: usize = 4;

type SentClients = Arc<SentPool>;

impl SentPool {
    fn slot(&self, mailbox: &str) -> Arc<Semaphore> {
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(mailbox.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(SENT_CONNECTIONS)))
            .clone()
    }

    fn take(&self, mailbox: &str) -> Option<ImapClient> {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(mailbox)
            .and_then(Vec::pop)
    }

    fn put(&self, mailbox: &str, client: ImapClient) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(mailbox.to_string())
            .or_default()
            .push(client);
    }
}

/// Stores `raw` in the mailbox's Sent folder over a kept connection, or a fresh one when
/// there is none or the kept one has gone stale.
async fn append_sent(
    pool: &SentPool,
    mb: &crate::config::Mailbox,
    raw: &[u8],
) -> Result<(), crate::imap::ImapError> {
    let slot = pool.slot(&mb.name);
    let _slot = slot.acquire().await;
    if let Some(mut kept) = pool.take(&mb.name) {
        match kept.append_sent(mb.sent_folder.as_deref(), raw).await {
            Ok(()) => {
                pool.put(&mb.name, kept);
                return Ok(());
            }
            Err(e) => debug!(mailbox = %mb.name, error = %e, "Sent-folder connection failed; reconnecting."),
        }
    }
    let mut client = ImapClient::connect(&mb.imap).await?;
    client.append_sent(mb.sent_folder.as_deref(), raw).await?;
    pool.put(&mb.name, client);
    Ok(())
}

/// Settles sends left uncertain by a crash: a send whose Message-ID is in the mailbox's Sent
/// folder went out and is recorded (the lead advances); the others are left for an operator
/// (`cadenced sends list|resolve`) and never resent blindly.
pub(crate) async fn reconcile(ctx: &Context, uncertain: Vec<crate::db::sends::SendRow>) {
    let mut clients: HashMap<String, ImapClient> = HashMap::new();
    let mut left = 0;
    for send in uncertain {
        let Some(mb) = ctx.cfg.mailbox(&send.mailbox) else {
            left += 1;
            continue;
        };
        if !clients.contains_key(&mb.name) {
            match ImapClient::connect(&mb.imap).await {
                Ok(c) => {
                    clients.insert(mb.name.clone(), c);
                }
                Err(e) => {
                    warn!(mailbox = %mb.name, error = %e, "Cannot look in the Sent folder to settle uncertain sends.");
                    left += 1;
                    continue;
                }
            }
        }
        let found = match clients.get_mut(&mb.name) {
            Some(client) => client
                .find_sent(mb.sent_folder.as_deref(), &send.message_id)
                .await
                .unwrap_or(false),
            None => false,
        };
        if !found {
            left += 1;
            continue;
        }
        match ctx.store.record_as_sent(&send).await {
            Ok(_) => {
                info!(message_id = %send.message_id, "Uncertain send found in the Sent folder; recorded as sent.")
            }
            Err(e) => {
                left += 1;
                warn!(error = %e, "Cannot record a send found in the Sent folder.");
            }
        }
    }
    for (_, client) in clients {
        client.logout().await;
    }
    if left > 0 {
        warn!(
            sends = left,
            "Sends left uncertain; they are never resent blindly (see cadenced sends list)."
        );
    }
}

/// How often the scheduler looks for stored campaigns that no longer parse and for stale
/// pauses to stop.
const UPKEEP_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// Whether the minutely upkeep is due at `now` (first round, a minute later, or the clock
/// went back); notes it as done.
fn upkeep_due(last: &mut Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    if last.is_some_and(|t| now >= t && now - t < UPKEEP_EVERY) {
        return false;
    }
    *last = Some(now);
    true
}

/// The stored campaigns that no longer parse, as last reported: each is logged once (ERROR,
/// an operator must apply its file again) until it parses again, and counted in the
/// `cadenced_campaigns_unreadable` gauge. Their leads stay as they are meanwhile.
#[derive(Default)]
struct Unreadable {
    reported: HashMap<String, String>,
}

impl Unreadable {
    async fn check(&mut self, ctx: &Context) {
        let found: Vec<UnreadableCampaign> = match ctx.store.unreadable_campaigns().await {
            Ok(found) => found,
            Err(e) => {
                if !ctx.db_health.failed(&e) {
                    debug!(error = %e, "Cannot read the campaigns to check them.");
                }
                return;
            }
        };
        metrics::gauge!("cadenced_campaigns_unreadable").set(found.len() as f64);
        let mut now_reported = HashMap::new();
        for u in found {
            if self.reported.get(&u.campaign) != Some(&u.error) {
                error!(campaign = %u.campaign, error = %u.error, "Stored campaign no longer parses; its leads stay as they are until its file is applied again.");
            }
            now_reported.insert(u.campaign, u.error);
        }
        for name in self.reported.keys() {
            if !now_reported.contains_key(name) {
                info!(campaign = %name, "Stored campaign parses again; its leads go on.");
            }
        }
        self.reported = now_reported;
    }
}

/// A fresh, unguessable Message-ID for step `step_idx` of enrollment `enrollment_id`, in the
/// domain of the mailbox's address.
fn message_id(ctx: &Context, mailbox: &str, enrollment_id: i64, step_idx: usize) -> String {
    let domain = ctx
        .cfg
        .mailbox(mailbox)
        .and_then(|m| m.address.rsplit('@').next().map(str::to_string))
        .unwrap_or_else(|| "localhost".to_string());
    format!(
        "<cad.{enrollment_id}.{}.{:016x}@{domain}>",
        step_idx + 1,
        crate::clock::random_u64()
    )
}

/// One pass over a mailbox's due enrollments. Returns when it wants to be woken (end of a gap).
async fn send_round(
    ctx: &Context,
    rounds: &mut Rounds,
    mailbox: &str,
) -> Result<Option<DateTime<Utc>>, crate::db::StoreError> {
    let Rounds {
        ref me,
        ref sender,
        ref mut pacing,
        ref mut specs,
        ref permits,
        ref mut in_flight,
        ref sent_clients,
    } = *rounds;
    let store = &ctx.store;
    let now = ctx.clock.now();
    let (healthy, _) = store.mailbox_health(mailbox).await?;
    if !healthy {
        if pacing
            .last_probe
            .get(mailbox)
            .is_some_and(|t| now - *t < chrono::Duration::from_std(HEALTH_PROBE).unwrap_or_default())
        {
            return Ok(None);
        }
        pacing.last_probe.insert(mailbox.to_string(), now);
        // Read the password again: the operator may have fixed it.
        if let Some(mb) = ctx.cfg.mailbox(mailbox) {
            if let Err(e) = sender.rebuild(mb) {
                debug!(mailbox, error = %e, "Mailbox transport still cannot be built.");
                return Ok(None);
            }
        }
        match sender.test(mailbox).await {
            Ok(()) => {
                info!(mailbox, "Mailbox healthy again; sending resumes.");
                store.set_mailbox_health(mailbox, true, None, now).await?;
            }
            Err(e) => {
                debug!(mailbox, error = %e, "Mailbox still unhealthy.");
                return Ok(None);
            }
        }
    }
    let rows = store.due_for_mailbox(mailbox, now, BATCH).await?;
    let mut pending: Vec<(
        crate::db::rows::EnrollmentRow,
        u32,
        Outgoing,
        Option<chrono::Duration>,
    )> = Vec::new();
    let mut wake: Option<DateTime<Utc>> = None;
    let mut sent_today: HashMap<i64, i64> = HashMap::new();
    // Window and cap deferrals of this pass, written together in one transaction at the end:
    // 200,000 leads due while the window is closed cost 400 commits, not 200,000.
    let mut deferrals: Vec<(i64, i64, DateTime<Utc>)> = Vec::new();
    for due in rows {
        if ctx.token.is_cancelled() {
            break;
        }
        let campaign_id = due.row.campaign_id;
        let fresh = specs
            .get(&campaign_id)
            .is_none_or(|(text, _)| *text != due.spec_toml);
        if fresh {
            // Reported once per campaign by `report_unreadable`; here its leads only wait.
            let parsed = stored_spec(&due.row.campaign, &due.spec_toml).ok();
            specs.insert(campaign_id, (due.spec_toml.clone(), parsed));
        }
        let Some(spec) = specs.get(&campaign_id).and_then(|(_, s)| s.clone()) else {
            store
                .defer(due.row.id, due.row.version, now + chrono::Duration::hours(1))
                .await?;
            continue;
        };
        let step_idx = due.row.steps_sent as usize;
        let lead_tz: Option<Tz> = due.row.timezone.as_deref().and_then(|z| z.parse().ok());
        let from_ms = crate::db::rows::from_ms;
        let step_due = spec
            .step_due(
                step_idx,
                due.row.next_send_at.map(from_ms),
                due.launched_at.map(from_ms),
            )
            .unwrap_or(now);
        // The pacing inputs are read only when the campaign has the limit they serve, and
        // once: a round over many leads deferred by a closed window costs no query per lead.
        let sent_so_far = match spec.limits.daily_cap {
            None => 0,
            Some(_) => match sent_today.get(&campaign_id) {
                Some(c) => *c,
                None => {
                    let today = now.with_timezone(&spec.timezone).date_naive();
                    let c = store
                        .sends_since(mailbox, local_instant(today, NaiveTime::MIN, spec.timezone))
                        .await?;
                    sent_today.insert(campaign_id, c);
                    c
                }
            },
        };
        let next_allowed = match (spec.limits.min_gap.is_zero(), pacing.next_allowed.get(mailbox)) {
            (true, _) => None,
            (false, Some(t)) => Some(*t),
            (false, None) => {
                let gap = chrono::Duration::from_std(spec.limits.min_gap).unwrap_or_default();
                let t = store.last_claim_at(mailbox).await?.map_or(now, |t| t + gap);
                pacing.next_allowed.insert(mailbox.to_string(), t);
                Some(t)
            }
        };
        let mut fields = lead_fields(&due.row);
        // With `[http]`, the lead's own one-click unsubscribe link; without it a campaign
        // using `{{unsubscribe_url}}` was refused at apply, and one applied before `[http]`
        // was removed waits as unsendable with the field named.
        let unsubscribe_url = ctx.links.as_ref().map(|l| l.unsubscribe_url(due.row.id));
        if let Some(url) = &unsubscribe_url {
            fields.insert(UNSUBSCRIBE_URL.to_string(), url.clone());
        }
        let due_step = Due {
            step_idx,
            step_due,
            due_at: crate::db::rows::from_ms(due.due_at),
            lead_tz,
            fields: &fields,
        };
        let mailbox_pacing = MailboxPacing {
            sent_today: sent_so_far,
            next_allowed,
            random: crate::clock::random_u64(),
        };
        let send = match plan(&due_step, &spec, &mailbox_pacing, now) {
            Plan::Defer { until, reason } => {
                if reason == DeferReason::DailyCap {
                    debug!(mailbox, "Daily cap reached; the rest waits for tomorrow.");
                }
                deferrals.push((due.row.id, due.row.version, until));
                continue;
            }
            Plan::Wait { until } => {
                wake = Some(until);
                break;
            }
            Plan::NoStep => {
                warn!(
                    enrollment = due.row.id,
                    "No step left although the lead is not completed; it waits."
                );
                store
                    .defer(due.row.id, due.row.version, now + chrono::Duration::days(1))
                    .await?;
                continue;
            }
            Plan::Unsendable { field } => {
                // Refused at import, launch and apply; reaching here means the data changed
                // under us. The step is held with the reason on the lead, not retried daily.
                warn!(enrollment = due.row.id, field = %field, "A step needs a field the lead lacks; it waits for a person.");
                metrics::counter!("cadenced_send_failures_total", "kind" => "unsendable").increment(1);
                let why = format!(
                    "step {} uses {{{{{field}}}}}, which this lead does not have",
                    step_idx + 1
                );
                store
                    .mark_failed(
                        FailedStep::Unclaimed {
                            enrollment_id: due.row.id,
                            step: step_idx as u32,
                            mailbox,
                            message_id: &message_id(ctx, mailbox, due.row.id, step_idx),
                            now,
                        },
                        &why,
                    )
                    .await?;
                continue;
            }
            Plan::Send(send) => send,
        };
        if spec.limits.daily_cap.is_some() {
            sent_today.insert(campaign_id, mailbox_pacing.sent_today + 1);
        }
        if let Some(t) = send.next_allowed {
            pacing.next_allowed.insert(mailbox.to_string(), t);
        }
        let name = [due.row.first_name.as_deref(), due.row.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let body = match (&ctx.links, spec.tracking.clicks) {
            (Some(links), true) => links.track_links(
                &send.body,
                due.row.id,
                u16::try_from(step_idx).unwrap_or(u16::MAX),
            ),
            _ => send.body,
        };
        let out = Outgoing {
            unsubscribe_url,
            to: due.row.email.clone(),
            to_name: (!name.is_empty()).then_some(name),
            subject: send.subject,
            body,
            message_id: message_id(ctx, mailbox, due.row.id, step_idx),
            thread: Vec::new(),
            in_thread: send.in_thread,
        };
        pending.push((due.row, step_idx as u32, out, send.next_delay));
    }
    store.defer_many(&deferrals).await?;
    if ctx.token.is_cancelled() {
        return Ok(None);
    }
    // Claims are made only for sends that can start at once (as many as there are free
    // send slots), each group in one transaction: an open claim is then a send in flight,
    // so a crash leaves as few uncertain sends as possible, and a claim still costs a
    // statement, not a commit. A pause committed before the claim wins for its lead.
    let mut pending = pending.into_iter().peekable();
    let mut left = pending.len();
    while pending.peek().is_some() {
        // Every free slot, but at least a few at a time (waiting for them if need be), so
        // that a claim transaction is shared by several sends.
        let want = permits.available_permits().max(CLAIM_GROUP).min(left).max(1);
        let mut slots = tokio::select! {
            p = permits.clone().acquire_many_owned(want as u32) => match p {
                Ok(p) => p,
                Err(_) => return Ok(wake),
            },
            _ = ctx.token.cancelled() => return Ok(wake),
        };
        let group: Vec<_> = pending.by_ref().take(want).collect();
        left -= group.len();
        let requests: Vec<ClaimRequest<'_>> = group
            .iter()
            .map(|(row, step, out, _)| ClaimRequest {
                row,
                step: *step,
                message_id: out.message_id.clone(),
            })
            .collect();
        let claims = store.claim_sends(&requests, mailbox, me, ctx.clock.now()).await?;
        drop(requests);
        for ((row, _, mut out, next_delay), claim) in group.into_iter().zip(claims) {
            let Some(claim) = claim else {
                debug!(
                    enrollment = row.id,
                    "Claim lost: the lead changed or another daemon took it."
                );
                continue;
            };
            out.message_id = claim.message_id.clone();
            out.thread = claim.thread.clone();
            // One slot per send; the slots of lost claims go back when `slots` drops.
            let Some(permit) = slots.split(1) else {
                break;
            };
            let (ctx, sender, mailbox) = (ctx.clone(), sender.clone(), mailbox.to_string());
            let enrollment_id = row.id;
            let sent_clients = sent_clients.clone();
            in_flight.spawn(async move {
                let step = Claimed {
                    enrollment_id,
                    claim,
                    out,
                    next_delay,
                };
                deliver(&ctx, &sender, &sent_clients, &mailbox, step).await;
                drop(permit);
            });
        }
        if ctx.token.is_cancelled() {
            break;
        }
    }
    Ok(wake)
}

/// Sends one claimed step and records the outcome. Never cancelled half-way. A send that
/// may have gone out (the connection lost after the message's final ".") is recorded
/// `uncertain`, never retried: it is settled as a crash's open claim is ([`reconcile`]).
///
/// Recording keeps being tried for as long as the database cannot be written (a full disk, a
/// read-only file system, PostgreSQL away), with capped backoff, so that the lead goes on as
/// soon as it can; when the daemon stops it is tried once more and then left: the claim stays
/// open and the next start settles it (the Sent folder copy tells whether it went out).
async fn deliver(ctx: &Context, sender: &Sender, sent_clients: &SentClients, mailbox: &str, step: Claimed) {
    let Claimed {
        enrollment_id,
        claim,
        out,
        next_delay,
    } = step;
    let store = &ctx.store;
    let result = sender.send_outgoing(mailbox, &out).await;
    let now = ctx.clock.now();
    let outcome = match result {
        Ok(raw) => {
            info!(mailbox, enrollment = enrollment_id, message_id = %claim.message_id, "Step sent.");
            metrics::counter!("cadenced_sends_total").increment(1);
            // The copy to the Sent folder and the record start together: a crash once either
            // is done leaves a send the next holder settles (it is recorded, or it is found in
            // Sent), so only a crash in the few milliseconds before the first of them leaves
            // one for a person.
            let copy = async {
                if let Some(mb) = ctx.cfg.mailbox(mailbox).filter(|m| m.save_sent) {
                    if let Err(e) = append_sent(sent_clients, mb, &raw).await {
                        warn!(mailbox, error = %e, "Cannot store the step in the Sent folder; it is recorded anyway.");
                    }
                }
            };
            let next_due = next_delay.map(|d| now + d);
            let record = until_recorded(ctx, || {
                store.mark_sent(claim.send_id, enrollment_id, now, next_due)
            });
            let ((), recorded) = tokio::join!(copy, record);
            recorded.map(|_| ())
        }
        Err(SendError::Transient(e)) => {
            metrics::counter!("cadenced_send_failures_total", "kind" => "transient").increment(1);
            // 1, 2, 4, … minutes, at most an hour: a 4xx never advances the lead.
            let backoff = chrono::Duration::seconds((60_i64 << (claim.attempts - 1).clamp(0, 6)).min(3600));
            warn!(mailbox, enrollment = enrollment_id, error = %e, "Temporary SMTP failure; the step will be retried.");
            until_recorded(ctx, || {
                store.mark_retry(claim.send_id, enrollment_id, &e, now + backoff)
            })
            .await
        }
        Err(SendError::Login(e)) => {
            metrics::counter!("cadenced_send_failures_total", "kind" => "login").increment(1);
            error!(mailbox, error = %e, "SMTP login failed; the mailbox is unhealthy and sends nothing until it recovers.");
            let retry_at = now + chrono::Duration::seconds(60);
            let unhealthy =
                until_recorded(ctx, || store.set_mailbox_health(mailbox, false, Some(&e), now)).await;
            let retry = until_recorded(ctx, || {
                store.mark_retry(claim.send_id, enrollment_id, &e, retry_at)
            })
            .await;
            unhealthy.and(retry)
        }
        Err(SendError::Uncertain(e)) => {
            // The server may have taken it: never sent again by itself. Recorded `uncertain`,
            // as a claim left open by a crash, and settled the same way: from the Sent folder
            // now (a server that files its own copies), by a reply in its thread, or by a
            // person (`cadenced sends resolve`).
            metrics::counter!("cadenced_send_failures_total", "kind" => "uncertain").increment(1);
            warn!(
                mailbox,
                enrollment = enrollment_id,
                message_id = %claim.message_id,
                error = %e,
                "The connection failed after the step was handed to the SMTP server; it may have gone out, so it is never sent again by itself (see cadenced sends list)."
            );
            let recorded = until_recorded(ctx, || store.mark_uncertain(claim.send_id, &e)).await;
            if recorded.is_ok() {
                match store.send_by_message_id(&claim.message_id).await {
                    Ok(Some(send)) => reconcile(ctx, vec![send]).await,
                    Ok(None) => {}
                    Err(e) => debug!(error = %e, "Cannot read an uncertain send back to settle it."),
                }
            }
            recorded
        }
        Err(SendError::Build(e)) => {
            // Ours, not the recipient's: held with the reason on the lead, never a bounce.
            metrics::counter!("cadenced_send_failures_total", "kind" => "unsendable").increment(1);
            // The reason (which may name the address) goes to the lead, not to the log.
            warn!(
                mailbox,
                enrollment = enrollment_id,
                message_id = %claim.message_id,
                "Step cannot be sent as it is; it waits for a person (see cadenced sends list --state failed)."
            );
            let failed = FailedStep::Claimed {
                send_id: claim.send_id,
                enrollment_id,
            };
            until_recorded(ctx, || store.mark_failed(failed, &e)).await
        }
        Err(e @ SendError::Rejected(_)) => {
            metrics::counter!("cadenced_send_failures_total", "kind" => "rejected").increment(1);
            info!(
                mailbox,
                enrollment = enrollment_id,
                message_id = %claim.message_id,
                "Recipient refused for good; the lead is stopped as bounced."
            );
            let why = e.to_string();
            let recorded = until_recorded(ctx, || {
                store.mark_bounced(claim.send_id, enrollment_id, &why, now)
            })
            .await;
            brake_bounce_rate(ctx, Some(enrollment_id)).await;
            recorded
        }
    };
    if let Err(e) = outcome {
        error!(enrollment = enrollment_id, error = %e, "Cannot record a send outcome; the next start settles it.");
    }
    ctx.wake.notify_one();
}

/// Runs the bounce-rate brake (every campaign, or the one of `enrollment_id`) and reports
/// each campaign it paused: an ERROR (an operator must look at the list and resume it), the
/// `cadenced_campaign_pauses_total{reason="bounce_rate"}` counter, and a wake-up so the
/// scheduler stops claiming for it at once.
async fn brake_bounce_rate(ctx: &Context, enrollment_id: Option<i64>) {
    match ctx.store.brake_bounce_rate(enrollment_id, ctx.clock.now()).await {
        Ok(braked) => {
            for b in &braked {
                error!(
                    campaign = %b.campaign,
                    sent = b.sent,
                    bounced = b.bounced,
                    "Campaign paused: its hard-bounce rate passed policy.max_bounce_rate; check the list, then `cadenced campaign resume`."
                );
                metrics::counter!("cadenced_campaign_pauses_total", "reason" => "bounce_rate").increment(1);
            }
            if !braked.is_empty() {
                ctx.wake.notify_one();
            }
        }
        Err(e) if ctx.db_health.failed(&e) => {}
        Err(e) => warn!(error = %e, "Checking bounce rates failed; retrying at the next upkeep."),
    }
}

/// Longest wait between two tries to record a send outcome.
const RECORD_BACKOFF_MAX: Duration = Duration::from_secs(5);

/// Runs `write` until it works, fails in a way waiting cannot fix, or the daemon is stopping
/// (then it has one last try). Waits 0.2 s, 0.4 s, … at most [`RECORD_BACKOFF_MAX`] between
/// tries. A database that cannot be written is reported once by the health task; any other
/// retryable failure is logged once per send.
async fn until_recorded<T, F, Fut>(ctx: &Context, mut write: F) -> Result<T, crate::db::StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::db::StoreError>>,
{
    let mut wait = Duration::from_millis(200);
    let mut warned = false;
    loop {
        let e = match write().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if !e.is_retryable() || ctx.token.is_cancelled() {
            return Err(e);
        }
        if !ctx.db_health.failed(&e) && !warned {
            warn!(error = %e, "Cannot record a send outcome yet; retrying until it works.");
            warned = true;
        }
        // A stop cuts the wait short, not the write: the loop tries once more, then returns.
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.token.cancelled() => {}
        }
        wait = (wait * 2).min(RECORD_BACKOFF_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_values_differ() {
        let a: Vec<u64> = (0..8).map(|_| crate::clock::random_u64()).collect();
        let distinct: std::collections::HashSet<u64> = a.iter().copied().collect();
        assert_eq!(distinct.len(), a.len());
    }

    fn disk_full() -> crate::db::StoreError {
        crate::db::StoreError::Sqlx(sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::StorageFull,
        )))
    }

    #[tokio::test]
    async fn a_send_outcome_is_recorded_once_the_database_takes_it_or_left_when_stopping() {
        use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
        let dir = tempfile::tempdir().expect("tempdir");
        let text = format!("state_dir = \"{}\"\n", dir.path().display());
        let cfg = crate::config::Config::parse(&dir.path().join("config.toml"), &text).expect("config");
        let store = crate::db::Store::connect(&cfg.database_url, 1)
            .await
            .expect("store");
        let ctx = Context::new(cfg, store, Arc::new(crate::clock::SystemClock)).expect("daemon");
        let calls = AtomicU32::new(0);

        // The disk is full once, then has space: recorded, and the full disk was reported.
        let recorded = until_recorded(&ctx, || async {
            match calls.fetch_add(1, SeqCst) {
                0 => Err(disk_full()),
                _ => Ok(7),
            }
        })
        .await;
        assert_eq!(recorded.ok(), Some(7));
        assert_eq!(calls.load(SeqCst), 2);
        assert!(ctx.db_health.is_degraded());

        // A row that is gone does not come back by waiting.
        calls.store(0, SeqCst);
        let gone: Result<(), _> = until_recorded(&ctx, || async {
            calls.fetch_add(1, SeqCst);
            Err(crate::db::StoreError::NotFound("enrollment 1".to_string()))
        })
        .await;
        assert!(gone.is_err());
        assert_eq!(calls.load(SeqCst), 1);

        // The daemon stops while waiting for space: one last try, then the claim stays open.
        // (The test runtime has one thread: the stop runs when the loop starts waiting.)
        calls.store(0, SeqCst);
        let token = ctx.token.clone();
        let stop = tokio::spawn(async move { token.cancel() });
        let left: Result<(), _> = until_recorded(&ctx, || async {
            calls.fetch_add(1, SeqCst);
            Err(disk_full())
        })
        .await;
        stop.await.expect("stop");
        assert!(left.is_err());
        assert_eq!(calls.load(SeqCst), 2);
    }
}
