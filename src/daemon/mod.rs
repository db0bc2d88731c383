//! `cadenced run` and (in `check`) `cadenced check`.
//!
//! The daemon is a handful of long-lived tasks sharing a [`Daemon`] context: the scheduler
//! (resumes, sends), the lease manager (which mailboxes this daemon works, see [`leases`]),
//! one watcher per mailbox it holds (replies), and the database health task (in `health`:
//! one report when the database cannot be written, one when it can again). Every task is
//! spawned through one `TaskTracker` and stops at a safe point when the `CancellationToken`
//! fires (SIGTERM or SIGINT); the process then waits for them up to a drain deadline.

use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{error, info, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Store;
use crate::rules::{RuleError, RuleSet};

pub mod check;
pub mod health;
pub mod leases;

pub use check::check;
pub use leases::Leases;

/// What every daemon task shares. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Daemon {
    /// The validated config.
    pub cfg: Arc<Config>,
    /// The database.
    pub store: Store,
    /// The time source (a fake one in tests).
    pub clock: Arc<dyn Clock>,
    /// Wakes the scheduler early (a reply paused or stopped someone, a test moved the clock).
    pub wake: Arc<Notify>,
    /// Fires when the daemon is asked to stop.
    pub token: CancellationToken,
    /// The classification rules in force; replaced whole on reload.
    pub rules: Rules,
    /// This daemon's identity and the mailbox leases it holds.
    pub leases: Arc<Leases>,
    /// Whether the database can be written; tasks report failed writes to it (see `health`).
    pub db_health: health::DbHealth,
    /// When the scheduler last went round its loop; the systemd watchdog is only fed while
    /// this is recent, so a wedged scheduler gets the process restarted.
    heartbeat: Arc<std::sync::Mutex<std::time::Instant>>,
}

impl Daemon {
    /// A context for these parts, with the shipped rules plus the config's rule directories.
    ///
    /// # Errors
    /// When the rules do not load: at startup that is fatal (`file:line: rule "name": …`).
    pub fn new(cfg: Config, store: Store, clock: Arc<dyn Clock>) -> Result<Daemon, RuleError> {
        let rules = Rules::new(RuleSet::load(&cfg.rule_dirs)?);
        let leases = Arc::new(Leases::new(cfg.lease_ttl, clock.now()));
        Ok(Daemon {
            rules,
            leases,
            db_health: health::DbHealth::new(&cfg.database_url),
            cfg: Arc::new(cfg),
            store,
            clock,
            wake: Arc::new(Notify::new()),
            token: CancellationToken::new(),
            heartbeat: Arc::new(std::sync::Mutex::new(std::time::Instant::now())),
        })
    }

    /// Loads the rules again; on error the rules in force stay and the error is logged.
    /// Returns whether the new rules took over.
    pub fn reload_rules(&self) -> bool {
        match RuleSet::load(&self.cfg.rule_dirs) {
            Ok(rules) => {
                let n = rules.rule_count();
                self.rules.replace(rules);
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

    /// Records that the scheduler is alive.
    pub fn beat(&self) {
        *self.heartbeat.lock().unwrap_or_else(|e| e.into_inner()) = std::time::Instant::now();
    }

    /// How long ago the scheduler last went round.
    pub fn since_beat(&self) -> Duration {
        self.heartbeat.lock().unwrap_or_else(|e| e.into_inner()).elapsed()
    }

    /// The systemd status line while all is well.
    pub fn running_status(&self) -> String {
        format!(
            "running: {} mailboxes, {} database",
            self.cfg.mailboxes.len(),
            self.store.backend_name()
        )
    }

    /// Spawns every task of the daemon on `tracker`: the scheduler, the database health
    /// task and the lease manager, which spawns a watcher for each mailbox it takes.
    pub fn spawn_tasks(&self, tracker: &TaskTracker) {
        tracker.spawn(crate::scheduler::run(self.clone()));
        tracker.spawn(health::watch(self.clone()));
        let analyzer: Arc<dyn crate::ingest::Analyzer> = Arc::new(self.rules.clone());
        tracker.spawn(leases::run(self.clone(), tracker.clone(), analyzer));
    }
}

/// The rules in force, shared by every watcher. A reload swaps the whole set at once, so a
/// message is always classified by one consistent set.
#[derive(Debug, Clone)]
pub struct Rules(Arc<std::sync::RwLock<Arc<RuleSet>>>);

impl Rules {
    /// Holds `rules`.
    pub fn new(rules: RuleSet) -> Rules {
        Rules(Arc::new(std::sync::RwLock::new(Arc::new(rules))))
    }

    /// The set in force now.
    pub fn current(&self) -> Arc<RuleSet> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a new set in force.
    pub fn replace(&self, rules: RuleSet) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(rules);
    }
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
    let daemon = Daemon::new(cfg.clone(), store, clock)?;
    if let Some(listen) = cfg.metrics_listen {
        crate::metrics::install(listen).map_err(|e| anyhow::anyhow!(e))?;
        info!(%listen, "Prometheus metrics served.");
    }
    metrics::gauge!("cadenced_rules_loaded").set(daemon.rules.current().rule_count() as f64);
    let (changed_tx, mut changed) = tokio::sync::mpsc::channel::<()>(1);
    let _watcher = watch_rule_dirs(&cfg.rule_dirs, changed_tx);
    let tracker = TaskTracker::new();
    daemon.spawn_tasks(&tracker);
    if let Some(interval) = sd_notify::watchdog_enabled() {
        tracker.spawn(watchdog(daemon.clone(), interval));
    }
    tracker.close();
    info!(
        database = daemon.store.backend_name(),
        mailboxes = cfg.mailboxes.len(),
        "Daemon started."
    );
    let status = daemon.running_status();
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
            _ = hup.recv() => { info!("SIGHUP received; reloading the rules."); daemon.reload_rules(); }
            Some(()) = changed.recv() => {
                // Editors write in several steps: let the files settle before reading them.
                tokio::time::sleep(Duration::from_millis(300)).await;
                while changed.try_recv().is_ok() {}
                info!("A rule file changed; reloading the rules.");
                daemon.reload_rules();
            }
            _ = tracker.wait() => { error!("Every daemon task ended on its own."); break; }
        }
    }
    let _ = sd_notify::notify(&[
        sd_notify::NotifyState::Stopping,
        sd_notify::NotifyState::Status("draining"),
    ]);
    daemon.token.cancel();
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
async fn watchdog(daemon: Daemon, interval: Duration) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval / 2) => {}
            _ = daemon.token.cancelled() => return,
        }
        let since = daemon.since_beat();
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
