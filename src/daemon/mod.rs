//! `cadenced run` and (in `check`) `cadenced check`.
//!
//! The daemon is a handful of long-lived tasks sharing a [`Context`]: the scheduler
//! (resumes, sends), the lease manager (which mailboxes this daemon works, see [`leases`]),
//! one watcher per mailbox it holds (replies), the database health task (in `health`:
//! one report when the database cannot be written, one when it can again) and, with
//! `[http]`, the public listener and its click recorder (in `http`). Every task is
//! spawned through one `TaskTracker` and stops at a safe point when the `CancellationToken`
//! fires (SIGTERM or SIGINT); the process then waits for them up to a drain deadline.

use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio_util::task::TaskTracker;
use tracing::{error, info, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::context::Context;
use crate::db::Store;
use crate::rules::RuleSet;

pub mod check;
pub mod leases;
pub mod tokens;

pub use check::check;

/// Loads the rules again; on error the rules in force stay and the error is logged.
/// Returns whether the new rules took over.
pub fn reload_rules(ctx: &Context) -> bool {
    match RuleSet::load(&ctx.cfg.rule_dirs) {
        Ok(rules) => {
            let n = rules.rule_count();
            ctx.rules.replace(rules);
            metrics::gauge!("cadenced_rules_loaded").set(n as f64);
            info!(rules = n, "Rules reloaded.");
            true
        }
        Err(e) => {
            error!(error = %e, "Rules not reloaded; the previous rules stay in force.");
            false
        }
    }
}

/// Spawns every task of the daemon on `tracker`: the scheduler, the database health
/// task, the OAuth2 token task of each OAuth2 mailbox ([`tokens`]) and the lease manager,
/// which spawns a watcher for each mailbox it takes.
pub fn spawn_tasks(ctx: &Context, tracker: &TaskTracker) {
    for mb in &ctx.cfg.mailboxes {
        if let Some(login) = mb.imap.oauth.as_ref().or(mb.smtp.oauth.as_ref()) {
            tracker.spawn(tokens::keep_fresh(ctx.clone(), login.clone()));
        }
    }
    tracker.spawn(crate::scheduler::run(ctx.clone()));
    tracker.spawn(crate::health::watch(
        ctx.db_health.clone(),
        ctx.store.clone(),
        ctx.wake.clone(),
        ctx.token.clone(),
        ctx.running_status(),
    ));
    let analyzer: Arc<dyn crate::ingest::Analyzer> = Arc::new(ctx.rules.clone());
    tracker.spawn(leases::run(ctx.clone(), tracker.clone(), analyzer));
}

/// How long `run` waits for tasks to finish after a stop signal.
pub const DRAIN_DEADLINE: Duration = Duration::from_secs(20);

/// Runs until SIGTERM or SIGINT.
///
/// # Errors
/// When signal handlers cannot be installed.
pub async fn run(cfg: &Config, store: Store, clock: Arc<dyn Clock>) -> anyhow::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    let ctx = Context::new(cfg.clone(), store, clock)?;
    if let Some(listen) = cfg.metrics_listen {
        crate::metrics::install(listen).map_err(|e| anyhow::anyhow!(e))?;
        info!(%listen, "Prometheus metrics served.");
    }
    metrics::gauge!("cadenced_rules_loaded").set(ctx.rules.current().rule_count() as f64);
    let (changed_tx, mut changed) = tokio::sync::mpsc::channel::<()>(1);
    let _watcher = watch_rule_dirs(&cfg.rule_dirs, changed_tx);
    let tracker = TaskTracker::new();
    spawn_tasks(&ctx, &tracker);
    // The public listener binds before the daemon says it is ready, so a port in use is an
    // error at start (the other tasks are stopped again), not a silent absence.
    let started = match crate::http::start(&ctx, &tracker).await {
        Ok(_) => crate::webhooks::start(&ctx, &tracker),
        Err(e) => Err(e),
    };
    if let Err(e) = started {
        ctx.token.cancel();
        tracker.close();
        let _ = tokio::time::timeout(DRAIN_DEADLINE, tracker.wait()).await;
        anyhow::bail!(e);
    }
    if let Some(interval) = sd_notify::watchdog_enabled() {
        tracker.spawn(watchdog(ctx.clone(), interval));
    }
    tracker.close();
    info!(
        database = ctx.store.backend_name(),
        mailboxes = cfg.mailboxes.len(),
        "Daemon started."
    );
    let status = ctx.running_status();
    if let Err(e) = sd_notify::notify(&[
        sd_notify::NotifyState::Ready,
        sd_notify::NotifyState::Status(&status),
    ]) {
        warn!(error = %e, "Cannot tell systemd we are ready.");
    }
    loop {
        tokio::select! {
            _ = term.recv() => { info!("SIGTERM received; draining."); break; }
            _ = int.recv() => { info!("SIGINT received; draining."); break; }
            _ = hup.recv() => { info!("SIGHUP received; reloading the rules."); reload_rules(&ctx); }
            Some(()) = changed.recv() => {
                // Editors write in several steps: let the files settle before reading them.
                tokio::time::sleep(Duration::from_millis(300)).await;
                while changed.try_recv().is_ok() {}
                info!("A rule file changed; reloading the rules.");
                reload_rules(&ctx);
            }
            _ = tracker.wait() => { error!("Every daemon task ended on its own."); break; }
        }
    }
    let _ = sd_notify::notify(&[
        sd_notify::NotifyState::Stopping,
        sd_notify::NotifyState::Status("draining"),
    ]);
    ctx.token.cancel();
    if tokio::time::timeout(DRAIN_DEADLINE, tracker.wait())
        .await
        .is_err()
    {
        error!(
            deadline_s = DRAIN_DEADLINE.as_secs(),
            "Drain deadline hit; exiting with tasks still running."
        );
    }
    info!("Daemon stopped.");
    Ok(())
}

/// Watches the operator's rule directories; every change sends on `changed`. The shipped
/// rules are inside the binary and never change. Returns the watcher, which must be kept.
fn watch_rule_dirs(
    dirs: &[std::path::PathBuf],
    changed: tokio::sync::mpsc::Sender<()>,
) -> Option<notify::RecommendedWatcher> {
    use notify::Watcher;
    if dirs.is_empty() {
        return None;
    }
    let handler = move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let is_rule_file = event
                .paths
                .iter()
                .any(|p| p.extension().is_some_and(|e| e == "toml"));
            if is_rule_file && !event.kind.is_access() {
                let _ = changed.try_send(());
            }
        }
    };
    let mut watcher = match notify::recommended_watcher(handler) {
        Ok(w) => w,
        Err(e) => {
            warn!(error = %e, "Cannot watch the rule directories; SIGHUP still reloads the rules.");
            return None;
        }
    };
    for dir in dirs {
        if let Err(e) = watcher.watch(dir, notify::RecursiveMode::NonRecursive) {
            warn!(dir = %dir.display(), error = %e, "Cannot watch a rule directory; SIGHUP still reloads the rules.");
        }
    }
    Some(watcher)
}

/// Feeds the systemd watchdog at half its interval, but only while the scheduler is alive.
async fn watchdog(ctx: Context, interval: Duration) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval / 2) => {}
            _ = ctx.token.cancelled() => return,
        }
        let since = ctx.since_beat();
        if since < interval {
            let _ = sd_notify::notify(&[sd_notify::NotifyState::Watchdog]);
        } else {
            error!(
                stalled_s = since.as_secs(),
                "The scheduler has not gone round for too long; not feeding the watchdog."
            );
        }
    }
}
