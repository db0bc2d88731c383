//! `cadenced-bench store`: imports leads and lists paused ones out of many enrollments, on
//! SQLite and (when a URL is given or `$CADENCED_TEST_PG_URL` is set) PostgreSQL, and prints
//! the figures. Speed targets live here, never in timed tests.

use std::time::Instant;

use chrono::{TimeZone, Utc};

use cadenced::cli::output::EnrollmentView;
use cadenced::db::{Filter, NewLead, Store};
use cadenced::domain::campaign::parse_campaign;
use cadenced::domain::lead::Status;

/// Runs the store benchmark.
///
/// # Errors
/// Database errors.
pub async fn store(pg_url: Option<String>, n_leads: usize, n_enrollments: usize) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("cadenced-bench").tempdir()?;
    let sqlite_url = format!("sqlite://{}", dir.path().join("bench.db").display());
    run_one(&sqlite_url, n_leads, n_enrollments).await?;
    match pg_url.or_else(|| std::env::var("CADENCED_TEST_PG_URL").ok()) {
        Some(url) => {
            let admin = Store::connect(&url, 1).await?;
            // A fixed schema name: no SQL is built from values, not even here.
            let schema = "cadenced_bench_store";
            admin
                .execute_raw(
                    "DROP SCHEMA IF EXISTS cadenced_bench_store CASCADE; CREATE SCHEMA cadenced_bench_store",
                )
                .await?;
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            let result = run_one(&scoped, n_leads, n_enrollments).await;
            admin
                .execute_raw("DROP SCHEMA IF EXISTS cadenced_bench_store CASCADE")
                .await?;
            result?;
        }
        None => println!("postgres: skipped (no --pg-url and no $CADENCED_TEST_PG_URL)"),
    }
    Ok(())
}

async fn run_one(url: &str, n_leads: usize, n_enrollments: usize) -> anyhow::Result<()> {
    let store = Store::connect(url, 4).await?;
    store.migrate().await?;
    let backend = store.backend_name();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let leads: Vec<NewLead> = (0..n_leads)
        .map(|i| NewLead {
            email: format!("lead{i}@example{}.com", i % 997),
            first_name: Some(format!("First{i}")),
            last_name: Some("Last".to_string()),
            company: Some(format!("Company {}", i % 5000)),
            timezone: Some("Europe/Berlin".to_string()),
            fields: [("deal".to_string(), "big".to_string())].into(),
        })
        .collect();
    let n_campaigns = n_enrollments.div_ceil(n_leads.max(1)).max(1);
    let mut ids = Vec::new();
    for c in 0..n_campaigns {
        let text = format!(
            "name = \"bench-{c}\"\nmailbox = \"sales\"\ntimezone = \"Europe/Berlin\"\n[[step]]\ndelay = \"0s\"\nsubject = \"Hi {{{{first_name}}}}\"\nbody = \"About {{{{company}}}}\"\n"
        );
        let (_, spec) = parse_campaign("bench", &text)?;
        store.apply_campaign(&text, &spec, now).await?;
        ids.push(store.campaign_required(&spec.name).await?.id);
    }
    let start = Instant::now();
    let out = store.import_leads(ids[0], &leads, now, |_| {}).await?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{backend}: import of {} leads: {:.2} s, {:.0} rows/s",
        out.enrolled,
        secs,
        out.enrolled as f64 / secs
    );
    let start = Instant::now();
    for id in &ids[1..] {
        store.import_leads(*id, &leads, now, |_| {}).await?;
    }
    drop(leads);
    let total = n_leads * n_campaigns;
    println!(
        "{backend}: built {} enrollments in {} campaigns in {:.1} s",
        total,
        n_campaigns,
        start.elapsed().as_secs_f64()
    );
    // One in a hundred is paused, spread over every campaign.
    let paused_at = now.timestamp_millis();
    let n_paused = store
        .execute_bound(
            "UPDATE enrollments SET status = 'paused', steps_sent = 1, remaining_ms = 86400000, paused_at = $1, \
             pause_source = 'auto', pause_reason = 'out_of_office', resume_at = $2 WHERE id % 100 = 0",
            &[paused_at, paused_at + 7 * 86_400_000],
        )
        .await?;
    store.execute_raw("ANALYZE").await?;
    println!(
        "{backend}: peak resident memory of the importing process: {} MB",
        peak_rss_kb() / 1024
    );
    store.close().await;
    // Listing runs in a fresh process, as `cadenced leads list` would, so that its memory
    // figure is its own and not what the imports above left in the allocator.
    let out = std::process::Command::new(std::env::current_exe()?)
        .args(["list", "--url", url, "--campaign", "bench-0"])
        .output()?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    if !out.status.success() {
        anyhow::bail!("list benchmark failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    println!("{backend}: ({total} enrollments in all, {n_paused} of them paused)");
    Ok(())
}

/// `cadenced-bench list`: lists paused enrollments (one campaign, then all) from an existing
/// database, best of 5, and prints the time and this process's peak memory.
///
/// # Errors
/// Database errors.
pub async fn list(url: &str, campaign: &str) -> anyhow::Result<()> {
    let store = Store::connect(url, 4).await?;
    let backend = store.backend_name();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let campaign_id = store.campaign_required(campaign).await?.id;
    for (label, campaign_id) in [("one campaign", Some(campaign_id)), ("all campaigns", None)] {
        let filter = Filter {
            campaign_id,
            status: Some(Status::Paused),
            emails: None,
            search: None,
        };
        let mut best = f64::MAX;
        let mut rows = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let mut sink = std::io::sink();
            rows = 0;
            store
                .for_each_enrollment(&filter, |row| -> Result<(), cadenced::db::StoreError> {
                    let view = EnrollmentView::of(&row, now);
                    let _ = serde_json::to_writer(&mut sink, &view);
                    rows += 1;
                    Ok(())
                })
                .await?;
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{backend}: list --status paused ({label}): {rows} rows in {:.1} ms (best of 5, rendered to JSON)",
            best * 1000.0
        );
    }
    // The console's and the API's page (`ops::leads_page`, what `/campaigns/C?status=paused`
    // and `GET /api/v1/leads` run on the server): 50 rows with their views, the first page
    // and a page from a cursor halfway through, one campaign and all, and a search.
    let filter = |campaign_id: Option<i64>, search: Option<&str>| Filter {
        campaign_id,
        status: Some(Status::Paused),
        emails: None,
        search: search.map(str::to_string),
    };
    let (halfway, _) = store.enrollment_page(&filter(None, None), 0, 5000).await?;
    let cursor = halfway.last().map(|r| r.id.to_string());
    for (label, f, cursor) in [
        ("one campaign, first page", filter(Some(campaign_id), None), None),
        ("all campaigns, first page", filter(None, None), None),
        (
            "all campaigns, page after 5,000 rows",
            filter(None, None),
            cursor.clone(),
        ),
        (
            "one campaign, search \"company 42\"",
            filter(Some(campaign_id), Some("company 42")),
            None,
        ),
    ] {
        let mut best = f64::MAX;
        let mut rows = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let page = cadenced::ops::leads_page(&store, &f, cursor.as_deref(), 50, now).await?;
            let _ = serde_json::to_vec(&page)?;
            rows = page.leads.len();
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{backend}: console/API page of paused leads ({label}): {rows} rows in {:.1} ms (best of 5, with views, as JSON)",
            best * 1000.0
        );
    }
    println!(
        "{backend}: peak resident memory of the listing process: {} MB",
        peak_rss_kb() / 1024
    );
    store.close().await;
    Ok(())
}

/// Peak resident set size of this process, in KiB, from /proc.
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// `cadenced-bench sched`: with `n` enrollments due, the time to find and claim the next batch
/// of 100; then the time to work through `resumes` pauses that fall due at once.
///
/// # Errors
/// Database errors.
pub async fn sched(url: &str, n: usize, resumes: usize) -> anyhow::Result<()> {
    let store = Store::connect(url, 4).await?;
    store.migrate().await?;
    let backend = store.backend_name();
    let now = Utc
        .with_ymd_and_hms(2026, 11, 26, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let text = "name = \"sched\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n\
        window = { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"], start = \"00:00\", end = \"24:00\" }\n\
        [[step]]\ndelay = \"0s\"\nsubject = \"Hi {{first_name}}\"\nbody = \"Hello\"\n\
        [[step]]\ndelay = \"1d\"\nsubject = \"Again\"\nbody = \"Hello again\"\n";
    let (_, spec) = parse_campaign("bench", text)?;
    store.apply_campaign(text, &spec, now).await?;
    let id = store.campaign_required("sched").await?.id;
    for chunk_start in (0..n).step_by(100_000) {
        let leads: Vec<NewLead> = (chunk_start..(chunk_start + 100_000).min(n))
            .map(|i| NewLead {
                email: format!("s{i}@example{}.com", i % 997),
                first_name: Some(format!("F{i}")),
                last_name: None,
                company: None,
                timezone: None,
                fields: Default::default(),
            })
            .collect();
        store.import_leads(id, &leads, now, |_| {}).await?;
    }
    store.launch_campaign("sched", now).await?;
    store.execute_raw("ANALYZE").await?;
    let mut times = Vec::new();
    let mut claimed = 0;
    // Claims are fenced by the mailbox lease: hold it as the daemon would.
    store
        .acquire_lease("sales", "bench", now, now + chrono::Duration::hours(1), now)
        .await?;
    for round in 0..20 {
        let start = Instant::now();
        let due = store.due_for_mailbox("sales", now, 100).await?;
        let requests: Vec<cadenced::db::sends::ClaimRequest<'_>> = due
            .iter()
            .enumerate()
            .map(|(i, d)| cadenced::db::sends::ClaimRequest {
                row: &d.row,
                step: 0,
                message_id: format!("<bench.{round}.{i}.{}@example.test>", d.row.id),
            })
            .collect();
        claimed += store
            .claim_sends(&requests, "sales", "bench", now)
            .await?
            .iter()
            .flatten()
            .count();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{backend}: find + claim the next 100 due out of {n} enrollments: median {:.1} ms, worst {:.1} ms ({claimed} claimed in 20 rounds)",
        times[times.len() / 2],
        times[times.len() - 1]
    );
    let start = Instant::now();
    let due = store.due_for_mailbox("sales", now, 100).await?;
    println!(
        "{backend}: find only (100 due of {n}): {:.2} ms",
        start.elapsed().as_secs_f64() * 1000.0
    );
    drop(due);
    // Make `resumes` enrollments paused with a resume date that has passed, all at once.
    let paused_at = now.timestamp_millis() - 86_400_000;
    let n_paused = store
        .execute_bound(
            "UPDATE enrollments SET status = 'paused', steps_sent = 1, remaining_ms = 86400000, paused_at = $1, \
             pause_source = 'auto', pause_reason = 'out_of_office', resume_at = $2, due_at = NULL \
             WHERE status = 'launch' AND id IN (SELECT id FROM enrollments WHERE status = 'launch' ORDER BY id LIMIT $3)",
            &[paused_at, now.timestamp_millis() - 1000, i64::try_from(resumes)?],
        )
        .await?;
    let start = Instant::now();
    let mut resumed = 0;
    loop {
        let n = store.resume_due(now, 10_000, None).await?;
        if n == 0 {
            break;
        }
        resumed += n;
    }
    println!(
        "{backend}: {resumed} of {n_paused} due resumes worked through in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(())
}

/// `cadenced-bench send`: sends one step to `n` leads (`lead1..leadN@lead.test`) through the
/// real scheduler and an SMTP server on loopback (the test mail stack's Postfix), caps off,
/// and prints mails per second and this process's memory.
///
/// # Errors
/// Database or setup errors.
pub async fn send(smtp_port: u16, imap_port: Option<u16>, n: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db_url = format!("sqlite://{}", dir.path().join("send.db").display());
    let cfg_text = format!(
        "state_dir = \"{}\"\n[database]\nurl = \"{db_url}\"\n[daemon]\nmax_idle = \"1s\"\n[[mailbox]]\nname = \"sales\"\n\
         address = \"sales@example.test\"\nsave_sent = {save_sent}\nimap = {{ host = \"127.0.0.1\", port = {imap}, tls = \"none\", username = \"sales@example.test\", password_file = \"{pass}\" }}\n\
         smtp = {{ host = \"127.0.0.1\", port = {smtp_port}, tls = \"none\" }}\n",
        dir.path().display(),
        save_sent = imap_port.is_some(),
        imap = imap_port.unwrap_or(1),
        pass = dir.path().join("sales.pass").display(),
    );
    std::fs::write(dir.path().join("sales.pass"), "secret\n")?;
    let cfg = cadenced::config::Config::parse(&dir.path().join("config.toml"), &cfg_text)?;
    let store = Store::connect(&cfg.database_url, 8).await?;
    store.migrate().await?;
    let clock = cadenced::clock::SystemClock;
    let now = cadenced::clock::Clock::now(&clock);
    let text = "name = \"send\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n\
        window = { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"], start = \"00:00\", end = \"24:00\" }\n\
        [[step]]\ndelay = \"0s\"\nsubject = \"Quick question, {{first_name}}\"\nbody = \"Hi {{first_name}}, a short question about your team.\"\n";
    let (_, spec) = parse_campaign("bench", text)?;
    store.apply_campaign(text, &spec, now).await?;
    let id = store.campaign_required("send").await?.id;
    let leads: Vec<NewLead> = (1..=n)
        .map(|i| NewLead {
            email: format!("lead{i}@lead.test"),
            first_name: Some(format!("Lead{i}")),
            last_name: None,
            company: None,
            timezone: None,
            fields: Default::default(),
        })
        .collect();
    store.import_leads(id, &leads, now, |_| {}).await?;
    let daemon = cadenced::context::Context::new(cfg, store.clone(), std::sync::Arc::new(clock))?;
    let tracker = tokio_util::task::TaskTracker::new();
    let start = Instant::now();
    store.launch_campaign("send", now).await?;
    cadenced::daemon::spawn_tasks(&daemon, &tracker);
    tracker.close();
    let deadline = Instant::now() + std::time::Duration::from_secs(600);
    loop {
        let sent = store.sends_in_state("sent").await?.len();
        if sent >= n || Instant::now() > deadline {
            let secs = start.elapsed().as_secs_f64();
            println!("send: {sent} of {n} steps accepted by the SMTP server and recorded in {secs:.2} s: {:.0} mails/s", sent as f64 / secs);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    println!(
        "send: peak resident memory of this process (daemon tasks included): {} MB",
        peak_rss_kb() / 1024
    );
    daemon.token.cancel();
    tracker.wait().await;
    store.close().await;
    Ok(())
}
