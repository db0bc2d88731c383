//! The scheduler task: resumes paused leads when their date comes and (with the sender)
//! sends each due step inside its window. It sleeps until the next thing is due, at most
//! `daemon.max_idle` so that changes made by the CLI are seen within seconds, and wakes early
//! when another task pokes [`Daemon::wake`].

use std::time::Duration;

use tracing::{info, warn};

use crate::daemon::Daemon;

/// Runs until the daemon's token is cancelled.
pub async fn run(daemon: Daemon) {
    loop {
        if daemon.token.is_cancelled() {
            break;
        }
        let now = daemon.clock.now();
        let mut sleep_for = daemon.cfg.max_idle;
        match daemon.store.resume_due(now, 10_000).await {
            Ok(n) if n > 0 => info!(resumed = n, "Paused leads resumed."),
            Ok(_) => {}
            Err(e) => warn!(error = %e, "Resuming due leads failed; retrying."),
        }
        if let Ok(Some(next)) = daemon.store.next_resume_at().await {
            let until = (next - daemon.clock.now()).to_std().unwrap_or(Duration::ZERO);
            sleep_for = sleep_for.min(until.max(Duration::from_millis(20)));
        }
        tokio::select! {
            _ = tokio::time::sleep(sleep_for) => {}
            _ = daemon.wake.notified() => {}
            _ = daemon.token.cancelled() => break,
        }
    }
}
