//! `cadenced run` and `cadenced check`.
//!
//! The daemon is a handful of long-lived tasks sharing a [`Daemon`] context: the scheduler
//! (resumes, sends) and one watcher per mailbox (replies). Every task is spawned through one
//! `TaskTracker` and stops at a safe point when the `CancellationToken` fires (SIGTERM or
//! SIGINT); the process then waits for them up to a drain deadline.

use std::sync::Arc;
use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{error, info};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Store;

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
}

impl Daemon {
    /// A context for these parts.
    pub fn new(cfg: Config, store: Store, clock: Arc<dyn Clock>) -> Daemon {
        Daemon {
            cfg: Arc::new(cfg),
            store,
            clock,
            wake: Arc::new(Notify::new()),
            token: CancellationToken::new(),
        }
    }

    /// Spawns every task of the daemon on `tracker`.
    pub fn spawn_tasks(&self, tracker: &TaskTracker) {
        tracker.spawn(crate::scheduler::run(self.clone()));
        crate::ingest::spawn_watchers(self, tracker);
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
    let daemon = Daemon::new(cfg.clone(), store, clock);
    let tracker = TaskTracker::new();
    daemon.spawn_tasks(&tracker);
    tracker.close();
    info!(
        database = daemon.store.backend_name(),
        mailboxes = cfg.mailboxes.len(),
        "Daemon started."
    );
    tokio::select! {
        _ = term.recv() => info!("SIGTERM received; draining."),
        _ = int.recv() => info!("SIGINT received; draining."),
        _ = tracker.wait() => error!("Every daemon task ended on its own."),
    }
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

/// Checks config, database and mail server reachability; prints one line per check and
/// fails if any failed.
///
/// # Errors
/// The count of failed checks.
pub async fn check(cfg: &Config, store: &Store) -> anyhow::Result<std::process::ExitCode> {
    let mut failed = 0;
    println!("ok   config {}", cfg.path.display());
    match store.ping().await {
        Ok(()) => println!("ok   database ({}, migrated)", store.backend_name()),
        Err(e) => {
            failed += 1;
            println!("FAIL database: {e}");
        }
    }
    for mb in &cfg.mailboxes {
        for (what, server) in [("imap", &mb.imap), ("smtp", &mb.smtp)] {
            let addr = format!("{}:{}", server.host, server.port);
            match tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(&addr)).await {
                Ok(Ok(_)) => println!("ok   mailbox {} {what} {addr} reachable", mb.name),
                Ok(Err(e)) => {
                    failed += 1;
                    println!("FAIL mailbox {} {what} {addr}: {e}", mb.name);
                }
                Err(_) => {
                    failed += 1;
                    println!("FAIL mailbox {} {what} {addr}: no answer within 5 s", mb.name);
                }
            }
            if let Some(secret) = &server.password {
                if let Err(e) = secret.read() {
                    failed += 1;
                    println!("FAIL mailbox {} {what} password: {e}", mb.name);
                }
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} checks failed");
    }
    Ok(std::process::ExitCode::SUCCESS)
}
