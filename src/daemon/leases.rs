//! The lease manager: which mailboxes this daemon works (watches for replies and sends from).
//!
//! Every daemon on a database runs one. Each round (a third of `daemon.lease_ttl`) it records
//! that it is alive, renews the leases it holds, frees the leases of daemons it can see are
//! dead (same host, process gone), and takes free leases up to its fair share: the configured
//! mailboxes divided by the daemons alive, rounded up. Above its share (another daemon joined)
//! it hands one mailbox back: it stops claiming from it, waits for its sends in flight to be
//! recorded, then releases the lease for the newcomer to take.
//!
//! Taking a lease over sweeps the previous holder's open claims into `uncertain` sends and
//! settles them against the Sent folder (see `scheduler::reconcile`), then starts the
//! mailbox's watcher; sending from it starts once the watcher has read the replies that came
//! while nobody watched it (at most `CATCH_UP_WAIT` later). Losing a lease (renewal finds another holder, or the database could
//! not be reached for a whole TTL) stops the watcher and the mailbox's sending at once.
//!
//! **Invariant:** at any moment at most one daemon claims sends of a mailbox: claims are
//! fenced by the lease row in the database (`db::sends::claim_sends`), not by this task's
//! view, so a daemon that is slow to notice a lost lease still claims nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio_util::task::TaskTracker;
use tracing::{debug, error, info, warn};

use crate::context::{Context, Held, Leases};
use crate::db::leases::DaemonRow;
use crate::ingest::Analyzer;

/// Whether process `pid` of this host exists (a process of another user counts).
fn process_alive(pid: i64) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Rounds until a daemon above its share hands a mailbox back: a daemon that just died or
/// just started should not make the others shuffle at once.
const SHED_AFTER_ROUNDS: u32 = 2;
/// Longest wait for a handed-over mailbox's sends in flight before releasing anyway (they
/// are then settled as uncertain by the next holder).
const HANDOVER_WAIT: Duration = Duration::from_secs(30);
/// Round interval while below share with free leases about (start-up, takeover).
const QUICK_ROUND: Duration = Duration::from_millis(200);

/// Runs the lease rounds until the daemon stops. Watchers of the mailboxes it takes are
/// spawned on `tracker` and classify with `analyzer`.
pub async fn run(ctx: Context, tracker: TaskTracker, analyzer: Arc<dyn Analyzer>) {
    let leases = ctx.leases.clone();
    let renew_every = (leases.ttl / 3).max(Duration::from_millis(300));
    let mut over_rounds = 0u32;
    // Whether "waiting for a mailbox" was said since this daemon last held none.
    let mut said_waiting = false;
    // Each daemon walks the mailboxes from its own starting point, so daemons starting
    // together mostly reach for different ones.
    let offset = crate::clock::random_u64() as usize;
    info!(
        daemon = leases.id(),
        ttl_s = leases.ttl.as_secs_f64(),
        "Lease manager started."
    );
    loop {
        let quick = round(&ctx, &tracker, &analyzer, offset, &mut over_rounds).await;
        // A daemon that holds nothing because others work every mailbox says so, once: an
        // operator starting a second daemon otherwise sees a silent process.
        let holds_none = leases.lock().is_empty();
        if holds_none && !quick && !said_waiting && !ctx.cfg.mailboxes.is_empty() {
            info!(
                daemon = leases.id(),
                mailboxes = ctx.cfg.mailboxes.len(),
                "Every mailbox is worked by another daemon; this one waits to take one over (see cadenced mailboxes)."
            );
            said_waiting = true;
        } else if !holds_none {
            said_waiting = false;
        }
        let wait = if quick { QUICK_ROUND } else { renew_every };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.token.cancelled() => break,
        }
    }
    // Stopping: the scheduler records the sends it started; once none of ours is open the
    // leases go back, so the next holder need not sweep anything.
    let deadline = Instant::now() + HANDOVER_WAIT.min(super::DRAIN_DEADLINE / 2);
    loop {
        let mut open = 0;
        let names: Vec<String> = leases.lock().keys().cloned().collect();
        for name in names {
            open += ctx.store.open_claims(&name, leases.id()).await.unwrap_or(0);
        }
        if open == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    leases.release_all(&ctx.store).await;
    debug!("Lease manager stopped.");
}

/// One round; returns whether another should follow quickly (more to take).
async fn round(
    ctx: &Context,
    tracker: &TaskTracker,
    analyzer: &Arc<dyn Analyzer>,
    offset: usize,
    over_rounds: &mut u32,
) -> bool {
    let leases = &ctx.leases;
    let store = &ctx.store;
    let now = ctx.clock.now();
    let ttl = chrono::Duration::from_std(leases.ttl).unwrap_or_else(|_| chrono::Duration::seconds(30));
    let me = DaemonRow {
        seen_at: crate::db::rows::to_ms(now),
        ..leases.me.clone()
    };
    if let Err(e) = store.daemon_seen(&me).await {
        // A database that cannot be written is reported once by the health task.
        if !ctx.db_health.failed(&e) {
            warn!(error = %e, "Cannot record that this daemon is alive; leases are kept while they last.");
        }
        expire_local(leases);
        return false;
    }
    // Daemons of this host whose process is gone hold nothing any more.
    let mut live = 0usize;
    match store.daemons().await {
        Ok(daemons) => {
            for d in daemons {
                if d.id != me.id && d.host == me.host && !process_alive(d.pid) {
                    match store.daemon_gone(&d.id).await {
                        Ok(()) => {
                            info!(ctx = %d.id, "A daemon of this host is gone; its mailboxes are free.")
                        }
                        Err(e) => warn!(ctx = %d.id, error = %e, "Cannot free a dead daemon's mailboxes."),
                    }
                    continue;
                }
                if d.seen_at >= crate::db::rows::to_ms(now - ttl) {
                    live += 1;
                }
            }
        }
        Err(e) => {
            warn!(error = %e, "Cannot list the daemons.");
            expire_local(leases);
            return false;
        }
    }
    let configured: Vec<&crate::config::Mailbox> = ctx.cfg.mailboxes.iter().collect();
    let share = configured.len().div_ceil(live.max(1));

    // Renew what we hold; a lease someone else holds now is lost.
    let held: Vec<String> = leases.lock().keys().cloned().collect();
    for name in &held {
        match store.renew_lease(name, leases.id(), now + ttl).await {
            Ok(true) => {
                if let Some(h) = leases.lock().get_mut(name) {
                    h.renewed = Instant::now();
                }
            }
            Ok(false) => {
                error!(mailbox = %name, "Mailbox lease lost to another daemon; this one stops working it.");
                leases.drop_local(name);
                ctx.wake.notify_one();
            }
            Err(e) if ctx.db_health.failed(&e) => {}
            Err(e) => warn!(mailbox = %name, error = %e, "Cannot renew a mailbox lease."),
        }
    }
    expire_local(leases);

    // Finish hand-overs whose sends in flight are recorded.
    let releasing: Vec<(String, Instant)> = leases
        .lock()
        .iter()
        .filter_map(|(m, h)| h.releasing.map(|t| (m.clone(), t)))
        .collect();
    for (name, since) in releasing {
        let open = store.open_claims(&name, leases.id()).await.unwrap_or(1);
        if open == 0 || since.elapsed() > HANDOVER_WAIT {
            leases.drop_local(&name);
            match store.release_lease(&name, leases.id()).await {
                Ok(()) => info!(mailbox = %name, daemons = live, "Mailbox handed over to share the work."),
                Err(e) => {
                    warn!(mailbox = %name, error = %e, "Cannot release a mailbox lease; it expires by itself.")
                }
            }
        }
    }

    // Above our share for a while: hand one mailbox over.
    let working = leases.kept();
    metrics::gauge!("cadenced_mailboxes_worked").set(working.len() as f64);
    if working.len() > share {
        *over_rounds += 1;
        if *over_rounds >= SHED_AFTER_ROUNDS {
            *over_rounds = 0;
            if let Some(name) = working.last() {
                if let Some(h) = leases.lock().get_mut(name) {
                    h.token.cancel();
                    h.releasing = Some(Instant::now());
                }
                debug!(mailbox = %name, share, "Handing a mailbox over.");
            }
        }
        return false;
    }
    *over_rounds = 0;

    // Below our share: take one free lease this round (one at a time, so daemons starting
    // together spread out), and come back quickly for the next.
    if leases.lock().len() >= share {
        return false;
    }
    let n = configured.len();
    for i in 0..n {
        let mb = configured[(offset + i) % n];
        if leases.holds(&mb.name) {
            continue;
        }
        match store
            .acquire_lease(&mb.name, leases.id(), now, now + ttl, now - ttl)
            .await
        {
            Ok(true) => {
                take(ctx, tracker, analyzer, mb).await;
                return true;
            }
            Ok(false) => {}
            Err(e) => {
                warn!(mailbox = %mb.name, error = %e, "Cannot take a mailbox lease.");
                return false;
            }
        }
    }
    false
}

/// Starts working a mailbox whose lease was just taken: sweep and settle the previous
/// holder's open claims, start the watcher, wake the scheduler.
async fn take(
    ctx: &Context,
    tracker: &TaskTracker,
    analyzer: &Arc<dyn Analyzer>,
    mb: &crate::config::Mailbox,
) {
    let leases = &ctx.leases;
    let uncertain = match ctx.store.sweep_claims(&mb.name, leases.id()).await {
        Ok(u) => u,
        Err(e) => {
            warn!(mailbox = %mb.name, error = %e, "Cannot sweep the previous holder's claims; giving the lease back.");
            let _ = ctx.store.release_lease(&mb.name, leases.id()).await;
            return;
        }
    };
    let token = ctx.token.child_token();
    leases.lock().insert(
        mb.name.clone(),
        Held {
            token: token.clone(),
            releasing: None,
            renewed: Instant::now(),
            taken: Instant::now(),
            caught_up: std::collections::BTreeSet::new(),
            folders: mb.folders.len(),
            sent_blind: false,
        },
    );
    info!(mailbox = %mb.name, daemon = leases.id(), "Mailbox lease taken; watching and sending from it.");
    let mut scoped = ctx.clone();
    scoped.token = token;
    if !uncertain.is_empty() {
        let d = scoped.clone();
        tracker.spawn(async move { crate::scheduler::reconcile(&d, uncertain).await });
    }
    tracker.spawn(crate::ingest::watch(scoped, mb.clone(), analyzer.clone()));
    ctx.wake.notify_one();
}

/// Drops leases not renewed for a whole TTL: another daemon may hold them by now.
fn expire_local(leases: &Leases) {
    let stale: Vec<String> = leases
        .lock()
        .iter()
        .filter(|(_, h)| h.renewed.elapsed() > leases.ttl)
        .map(|(m, _)| m.clone())
        .collect();
    for name in stale {
        error!(mailbox = %name, "Mailbox lease not renewed for a whole TTL; this daemon stops working it.");
        leases.drop_local(&name);
    }
}
