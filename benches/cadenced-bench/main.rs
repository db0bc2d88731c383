//! `cadenced-bench`: the benchmarks of cadenced, printing figures (speed targets live here,
//! never in timed tests). Not part of the shipped binary: a `harness = false` bench target,
//! run by `scripts/bench` as `cargo bench --bench cadenced-bench -- <command>`.
//!
//! Without a command (as `cargo test --all-targets` runs it) it only checks that the built-in
//! classification corpus parses.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod classify;
mod http;
mod ingest;
mod store;

/// The benchmarks of cadenced.
#[derive(Debug, Parser)]
#[command(name = "cadenced-bench")]
struct Cli {
    /// Which benchmark; none checks the built-in corpus and exits.
    #[command(subcommand)]
    command: Option<BenchCommand>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true, global = true)]
    bench: bool,
}

/// `cadenced-bench …`.
#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Import leads and list paused ones out of many enrollments, on SQLite and PostgreSQL.
    Store {
        /// PostgreSQL URL (default: $CADENCED_TEST_PG_URL); SQLite always runs.
        #[arg(long)]
        pg_url: Option<String>,
        /// Leads to import in the timed import.
        #[arg(long, default_value_t = 100_000)]
        leads: usize,
        /// Total enrollments for the list measurement.
        #[arg(long, default_value_t = 1_000_000)]
        enrollments: usize,
    },
    /// Find and claim due sends among many enrollments; work through many due resumes.
    Sched {
        /// Database URL (default: a SQLite file in a temporary directory).
        #[arg(long)]
        url: Option<String>,
        /// Enrollments due.
        #[arg(long, default_value_t = 1_000_000)]
        enrollments: usize,
        /// Resumes falling due at once.
        #[arg(long, default_value_t = 100_000)]
        resumes: usize,
    },
    /// Send one step to lead1..leadN@lead.test through an SMTP server on loopback, caps off.
    Send {
        /// SMTP port on 127.0.0.1 (the test mail stack's Postfix).
        #[arg(long)]
        smtp_port: u16,
        /// IMAP port on 127.0.0.1 (the stack's Dovecot): each step is also stored in Sent,
        /// as the daemon does; without it, sending alone is measured.
        #[arg(long)]
        imap_port: Option<u16>,
        /// Leads (the mail stack must have that many users).
        #[arg(long, default_value_t = 2000)]
        leads: usize,
    },
    /// List paused enrollments from an existing database (run by `store` in a child
    /// process, so that its memory is measured alone).
    #[command(hide = true)]
    List {
        /// Database URL.
        #[arg(long)]
        url: String,
        /// Campaign for the one-campaign list.
        #[arg(long)]
        campaign: String,
    },
    /// Reply latency (Postfix accepts a reply -> pause committed, with IDLE) and backlog rate,
    /// against a real Postfix + Dovecot started with `scripts/mailstack.sh` (root needed).
    Ingest {
        /// The mail stack script.
        #[arg(long, default_value = "scripts/mailstack.sh")]
        stack_script: PathBuf,
        /// Replies timed one by one for the latency figures.
        #[arg(long, default_value_t = 200)]
        replies: usize,
        /// Messages waiting in the mailbox for the backlog figure.
        #[arg(long, default_value_t = 10_000)]
        backlog: usize,
    },
    /// The public listener: click redirects and one-click unsubscribe POSTs against a real
    /// `cadenced run` over loopback (throughput, p50/p99 latency, the daemon's memory).
    Http {
        /// Click redirects to send.
        #[arg(long, default_value_t = 50_000)]
        clicks: usize,
        /// One-click unsubscribes to send (each a different enrollment).
        #[arg(long, default_value_t = 5_000)]
        unsubscribes: usize,
        /// Keep-alive connections used at once.
        #[arg(long, default_value_t = 32)]
        connections: usize,
    },
    /// Parse + classify + date extraction throughput on one core.
    Classify {
        /// Folder of messages to use instead of the built-in corpus.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Messages to process.
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cadenced-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => classify::check_corpus(),
            Some(BenchCommand::Store {
                pg_url,
                leads,
                enrollments,
            }) => store::store(pg_url, leads, enrollments).await,
            Some(BenchCommand::Sched {
                url,
                enrollments,
                resumes,
            }) => {
                let dir = tempfile::tempdir()?;
                let url =
                    url.unwrap_or_else(|| format!("sqlite://{}", dir.path().join("sched.db").display()));
                store::sched(&url, enrollments, resumes).await
            }
            Some(BenchCommand::Send {
                smtp_port,
                imap_port,
                leads,
            }) => store::send(smtp_port, imap_port, leads).await,
            Some(BenchCommand::List { url, campaign }) => store::list(&url, &campaign).await,
            Some(BenchCommand::Ingest {
                stack_script,
                replies,
                backlog,
            }) => ingest::run(&stack_script, replies, backlog).await,
            Some(BenchCommand::Http {
                clicks,
                unsubscribes,
                connections,
            }) => http::run(clicks, unsubscribes, connections).await,
            Some(BenchCommand::Classify { corpus, messages }) => classify::run(corpus.as_deref(), messages),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cadenced-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
