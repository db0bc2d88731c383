//! `cadenced bench store`: imports leads and lists paused ones out of many enrollments, on
//! SQLite and (when a URL is given or `$CADENCED_TEST_PG_URL` is set) PostgreSQL, and prints
//! the figures. Speed targets live here, never in timed tests.

use std::time::Instant;

use chrono::{TimeZone, Utc};

use crate::cli::output::EnrollmentView;
use crate::db::{Filter, NewLead, Store};
use crate::domain::campaign::parse_campaign;
use crate::domain::lead::Status;

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
            let schema = format!("cadenced_bench_{}", std::process::id());
            admin
                .execute_raw(&format!(
                    "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
                ))
                .await?;
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            let result = run_one(&scoped, n_leads, n_enrollments).await;
            admin
                .execute_raw(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
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
        .execute_raw(&format!(
            "UPDATE enrollments SET status = 'paused', steps_sent = 1, remaining_ms = 86400000, paused_at = {paused_at}, \
             pause_source = 'auto', pause_reason = 'out_of_office', resume_at = {} WHERE id % 100 = 0",
            paused_at + 7 * 86_400_000
        ))
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
        .args(["bench", "list", "--url", url, "--campaign", "bench-0"])
        .output()?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    if !out.status.success() {
        anyhow::bail!("list benchmark failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    println!("{backend}: ({total} enrollments in all, {n_paused} of them paused)");
    Ok(())
}

/// `cadenced bench list`: lists paused enrollments (one campaign, then all) from an existing
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
        };
        let mut best = f64::MAX;
        let mut rows = 0;
        for _ in 0..5 {
            let start = Instant::now();
            let mut sink = std::io::sink();
            rows = 0;
            store
                .for_each_enrollment(&filter, |row| -> Result<(), crate::db::StoreError> {
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
