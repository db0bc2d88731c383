//! `cadenced run` and `cadenced check`.
//!
//! The daemon today applies the part of the lifecycle that needs no mail server: it resumes
//! paused leads whose `resume_at` has come, sleeping until the next one is due (or at most
//! `daemon.max_idle`, so that changes made by the CLI are seen within seconds). Mail in
//! (IMAP) and mail out (SMTP) plug into the same loop.

use std::time::Duration;

use tokio::signal::unix::{signal, SignalKind};
use tracing::{info, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Store;

/// Runs until SIGTERM or SIGINT.
///
/// # Errors
/// When signal handlers cannot be installed; database failures are logged and retried.
pub async fn run(cfg: &Config, store: Store, clock: &dyn Clock) -> anyhow::Result<()> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    info!(
        database = store.backend_name(),
        mailboxes = cfg.mailboxes.len(),
        "Daemon started."
    );
    loop {
        let now = clock.now();
        let mut sleep_for = cfg.max_idle;
        match store.resume_due(now, 10_000).await {
            Ok(n) if n > 0 => info!(resumed = n, "Paused leads resumed."),
            Ok(_) => {}
            Err(e) => warn!(error = %e, "Resuming due leads failed; retrying."),
        }
        if let Ok(Some(next)) = store.next_resume_at().await {
            let until = (next - clock.now()).to_std().unwrap_or(Duration::ZERO);
            sleep_for = sleep_for.min(until.max(Duration::from_millis(50)));
        }
        tokio::select! {
            _ = tokio::time::sleep(sleep_for) => {}
            _ = term.recv() => break,
            _ = int.recv() => break,
        }
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
