//! `cadenced-bench ingest`: the reply path measured against a real Postfix + Dovecot started
//! with `scripts/mailstack.sh` in a temporary folder, on a SQLite store.
//!
//! - Latency: one reply at a time is submitted to Postfix; the clock starts when Postfix has
//!   accepted it (the SMTP `DATA` answer) and stops when the lead's pause is seen committed
//!   (the database is polled every 2 ms, so figures carry up to 2 ms of polling slack).
//!   Postfix relays to Dovecot over LMTP, Dovecot wakes the watcher's IDLE, the watcher
//!   fetches, classifies, matches and commits. p50 and p99 over `replies`.
//! - Backlog: `backlog` replies are written straight into the mailbox's Maildir before the
//!   watcher starts; the figure is messages per second from the watcher's start until every
//!   one is recorded (fetch, classify, match, decide, commit with checkpoint, one transaction
//!   per message).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use chrono::Duration as ChronoDuration;
use lettre::message::Mailbox as LettreMailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio_util::task::TaskTracker;

use cadenced::clock::{Clock, SystemClock};
use cadenced::config::Config;
use cadenced::context::Context;
use cadenced::db::{NewLead, Store};
use cadenced::domain::campaign::parse_campaign;

const CAMPAIGN: &str = r#"
name = "bench"
mailbox = "sales"
timezone = "Europe/Berlin"
window = { days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start = "00:00", end = "24:00" }
[[step]]
delay = "0s"
subject = "Quick question"
body = "Hi, may I ask you something?"
[[step]]
delay = "3d"
thread = true
body = "Following up."
"#;

const OOO: &str = "Thank you for your message. I am out of the office until 14 January 2030 \
    with limited access to email. I will reply when I am back.";

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Runs the benchmark.
///
/// # Errors
/// When the mail stack or the database cannot be started.
pub async fn run(script: &Path, replies: usize, backlog: usize) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("cadenced-bench-ingest")
        .tempdir()?;
    let stack_dir = dir.path().join("stack");
    let ports = [free_port()?, free_port()?, free_port()?];
    let out = Command::new(script)
        .args([
            "start",
            &stack_dir.display().to_string(),
            &replies.max(1).to_string(),
        ])
        .env("MAILSTACK_SMTP_PORT", ports[0].to_string())
        .env("MAILSTACK_LMTP_PORT", ports[1].to_string())
        .env("MAILSTACK_IMAP_PORT", ports[2].to_string())
        .output()
        .with_context(|| format!("running {}", script.display()))?;
    if !out.status.success() {
        bail!(
            "mail stack did not start: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let result = measure(dir.path(), &stack_dir, ports, replies, backlog).await;
    let _ = Command::new(script)
        .args(["stop", &stack_dir.display().to_string()])
        .output();
    result
}

async fn measure(
    base: &Path,
    stack_dir: &Path,
    ports: [u16; 3],
    replies: usize,
    backlog: usize,
) -> anyhow::Result<()> {
    let pass = base.join("sales.pass");
    std::fs::write(&pass, "secret\n")?;
    let db_url = format!("sqlite://{}", base.join("bench.db").display());
    let cfg_text = format!(
        "state_dir = \"{}\"\n[database]\nurl = \"{db_url}\"\n[[mailbox]]\nname = \"sales\"\naddress = \"sales@example.test\"\n\
         imap = {{ host = \"127.0.0.1\", port = {}, tls = \"none\", username = \"sales@example.test\", password_file = \"{}\" }}\n\
         smtp = {{ host = \"127.0.0.1\", port = {}, tls = \"none\" }}\n",
        base.display(),
        ports[2],
        pass.display(),
        ports[0]
    );
    let cfg = Config::parse(&base.join("config.toml"), &cfg_text)?;
    let store = Store::connect(&db_url, 8).await?;
    store.migrate().await?;
    let clock = SystemClock;
    let now = clock.now();
    let (_, spec) = parse_campaign("bench", CAMPAIGN)?;
    store.apply_campaign(CAMPAIGN, &spec, now).await?;
    let campaign = store.campaign_required("bench").await?;
    let n_leads = replies.max(1);
    let leads: Vec<NewLead> = (1..=n_leads)
        .map(|i| NewLead {
            email: format!("lead{i}@lead.test"),
            first_name: None,
            last_name: None,
            company: None,
            timezone: None,
            fields: Default::default(),
        })
        .collect();
    store.import_leads(campaign.id, &leads, now, |_| {}).await?;
    store.launch_campaign("bench", now).await?;
    // Our step to every lead, recorded as the scheduler records it (not delivered: only its
    // Message-ID matters to the reply path).
    let mut mids = Vec::with_capacity(n_leads);
    // Claims are fenced by the mailbox lease: hold it as the daemon would.
    store
        .acquire_lease("sales", "bench", now, now + ChronoDuration::hours(1), now)
        .await?;
    for lead in &leads {
        let row = store.enrollment("bench", &lead.email).await?;
        let mid = format!("<bench.{}@example.test>", row.id);
        let claim = store
            .claim_send(&row, 0, "sales", &mid, "bench", now)
            .await?
            .context("claim refused")?;
        store
            .mark_sent(claim.send_id, row.id, now, Some(now + ChronoDuration::days(3)))
            .await?;
        mids.push(mid);
    }

    // ---- (b) backlog: written into the Maildir before the watcher starts ----
    let maildir = stack_dir.join("mail/example.test/sales");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub))?;
    }
    let date = clock.now().to_rfc2822();
    for i in 0..backlog {
        let parent = &mids[i % mids.len()];
        let lead = i % mids.len() + 1;
        let raw = format!(
            "From: Lead {lead} <lead{lead}@lead.test>\r\nTo: sales@example.test\r\nSubject: Out of office: Quick question\r\n\
             Date: {date}\r\nMessage-ID: <backlog.{i}@lead.test>\r\nIn-Reply-To: {parent}\r\nReferences: {parent}\r\n\
             Auto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{OOO}\r\n"
        );
        std::fs::write(maildir.join("new").join(format!("{i}.bench.mx:2,")), raw)?;
    }
    let _ = Command::new("chown")
        .args(["-R", "vmail:vmail", &maildir.display().to_string()])
        .output();
    let daemon = Context::new(cfg, store.clone(), Arc::new(SystemClock))?;
    let rules = Arc::new(cadenced::rules::RuleSet::load(&[])?);
    let tracker = TaskTracker::new();
    let started = Instant::now();
    tracker.spawn(cadenced::ingest::watch(
        daemon.clone(),
        daemon.cfg.mailboxes[0].clone(),
        rules,
    ));
    tracker.close();
    let deadline = started + Duration::from_secs(600);
    loop {
        let n = store.query_i64("SELECT COUNT(*) FROM inbound_messages").await?;
        if n >= backlog as i64 {
            break;
        }
        if Instant::now() > deadline {
            bail!("backlog: only {n} of {backlog} messages after 600 s");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = started.elapsed();
    println!(
        "backlog: {backlog} messages in {:.2} s = {:.0} messages/s (sqlite, one transaction per message)",
        took.as_secs_f64(),
        backlog as f64 / took.as_secs_f64()
    );

    // ---- (a) latency with IDLE: the watcher is idle now; one reply at a time ----
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(ports[0])
        .build();
    let mut latencies = Vec::with_capacity(replies);
    for (i, parent) in mids.iter().enumerate().take(replies) {
        let before = store
            .query_i64("SELECT COUNT(*) FROM events WHERE kind = 'pause'")
            .await?;
        let message = Message::builder()
            .from(format!("lead{}@lead.test", i + 1).parse::<LettreMailbox>()?)
            .to("sales@example.test".parse::<LettreMailbox>()?)
            .subject("Out of office: Quick question")
            .message_id(Some(format!("<latency.{i}@lead.test>")))
            .in_reply_to(parent.clone())
            .references(parent.clone())
            .body(OOO.to_string())?;
        transport.send(message).await?;
        let accepted = Instant::now();
        let wait_until = accepted + Duration::from_secs(30);
        loop {
            let n = store
                .query_i64("SELECT COUNT(*) FROM events WHERE kind = 'pause'")
                .await?;
            if n > before {
                break;
            }
            if Instant::now() > wait_until {
                bail!("latency: reply {i} not committed within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        latencies.push(accepted.elapsed());
    }
    daemon.token.cancel();
    tracker.wait().await;
    latencies.sort_unstable();
    if !latencies.is_empty() {
        let pct =
            |p: f64| latencies[((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1];
        println!(
            "latency (Postfix accepted -> pause committed, IDLE, {} replies): p50 {} ms, p99 {} ms, max {} ms",
            latencies.len(),
            pct(0.50).as_millis(),
            pct(0.99).as_millis(),
            latencies[latencies.len() - 1].as_millis()
        );
    }
    store.close().await;
    Ok(())
}
