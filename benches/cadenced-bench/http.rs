//! The public listener under load: one-click unsubscribe POSTs and click redirects against a
//! real `cadenced run` (a child process, SQLite, no mailboxes) over loopback, with keep-alive
//! connections as a reverse proxy keeps them. Prints throughput, latency percentiles and the
//! daemon's resident memory after each phase.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use cadenced::db::{NewLead, Store};
use cadenced::domain::campaign::parse_campaign;
use cadenced::domain::link::{ClickLink, LinkKey};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const CAMPAIGN: &str = r#"
name = "bench"
mailbox = "sales"
timezone = "UTC"
[[step]]
delay = "0s"
subject = "Hello"
body = "Hi {{first_name}}: https://example.test/page"
"#;

/// Runs both phases: `clicks` redirects and `unsubscribes` POSTs, each over `connections`
/// keep-alive connections.
pub async fn run(clicks: usize, unsubscribes: usize, connections: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db_url = format!("sqlite://{}", dir.path().join("http.db").display());
    let store = Store::connect(&db_url, 4).await?;
    store.migrate().await?;
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T09:00:00Z")?.with_timezone(&chrono::Utc);
    let (_, spec) = parse_campaign("bench.toml", CAMPAIGN).map_err(|e| anyhow::anyhow!(e))?;
    store.apply_campaign(CAMPAIGN, &spec, now).await?;
    let id = store.campaign_required("bench").await?.id;
    let leads: Vec<NewLead> = (0..unsubscribes.max(1))
        .map(|i| NewLead {
            email: format!("lead{i}@bench.test"),
            first_name: Some("Ann".into()),
            last_name: None,
            company: None,
            timezone: None,
            fields: Default::default(),
        })
        .collect();
    store.import_leads(id, &leads, now, |_| {}).await?;
    let first_id = store.query_i64("SELECT MIN(id) FROM enrollments").await?;
    store.close().await;

    let key_text = "0123456789abcdef".repeat(4);
    let key_file = dir.path().join("link.key");
    std::fs::write(&key_file, format!("{key_text}\n"))?;
    let key = LinkKey::from_file_text(&key_text).map_err(|e| anyhow::anyhow!(e))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "state_dir = \"{state}\"\n[database]\nurl = \"{db_url}\"\n[http]\nlisten = \"{addr}\"\n\
             public_url = \"http://{addr}\"\nsecret_file = \"{key}\"\n",
            state = dir.path().display(),
            key = key_file.display()
        ),
    )?;
    let mut daemon = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .env("CADENCED_LOG", "warn")
        .env_remove("NOTIFY_SOCKET")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("start cadenced run")?;
    let pid = daemon.id();
    let started = Instant::now();
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(30),
            "the listener did not come up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    println!("http: daemon started, {}", memory(pid));

    let click_paths: Vec<String> = (0..clicks)
        .map(|i| {
            let token = key.click_token(&ClickLink {
                enrollment_id: first_id + (i % unsubscribes.max(1)) as i64,
                step: 0,
                link: (i % 3) as u16,
                url: format!("https://example.test/pricing?plan=team&n={i}"),
            });
            format!("/c/{token}")
        })
        .collect();
    let (rate, lat) = phase(addr, "GET", click_paths, connections, 302).await?;
    println!(
        "http: click redirect: {clicks} requests over {connections} connections: {rate:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {}",
        lat.0, lat.1, lat.2,
        memory(pid)
    );
    let unsub_paths: Vec<String> = (0..unsubscribes)
        .map(|i| format!("/u/{}", key.unsubscribe_token(first_id + i as i64)))
        .collect();
    let (rate, lat) = phase(addr, "POST", unsub_paths, connections, 200).await?;
    println!(
        "http: one-click unsubscribe (a transaction each, SQLite): {unsubscribes} requests over {connections} connections: {rate:.0}/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {}",
        lat.0, lat.1, lat.2,
        memory(pid)
    );
    let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status();
    let _ = daemon.wait();
    Ok(())
}

/// Sends every path once, spread over `connections` keep-alive connections; checks each
/// status; returns requests per second and (p50, p99, max) latency in milliseconds.
async fn phase(
    addr: SocketAddr,
    method: &'static str,
    paths: Vec<String>,
    connections: usize,
    want: u16,
) -> anyhow::Result<(f64, (f64, f64, f64))> {
    let n = paths.len();
    let connections = connections.max(1);
    let mut per: Vec<Vec<String>> = vec![Vec::new(); connections];
    for (i, p) in paths.into_iter().enumerate() {
        per[i % connections].push(p);
    }
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for paths in per {
        tasks.spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let (read, mut write) = stream.into_split();
            let mut read = BufReader::new(read);
            let mut lat = Vec::with_capacity(paths.len());
            for path in paths {
                let t = Instant::now();
                let body = if method == "POST" { "List-Unsubscribe=One-Click" } else { "" };
                write
                    .write_all(
                        format!(
                            "{method} {path} HTTP/1.1\r\nHost: bench\r\nUser-Agent: Mozilla/5.0 bench\r\n\
                             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                        .as_bytes(),
                    )
                    .await?;
                let status = read_answer(&mut read).await?;
                anyhow::ensure!(status == want, "{method} {path}: status {status}, wanted {want}");
                lat.push(t.elapsed());
            }
            anyhow::Ok(lat)
        });
    }
    let mut all = Vec::with_capacity(n);
    while let Some(r) = tasks.join_next().await {
        all.extend(r??);
    }
    let took = start.elapsed().as_secs_f64();
    all.sort();
    let ms = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok((n as f64 / took, (ms(0.5), ms(0.99), ms(1.0))))
}

/// Reads one answer (status line, headers, a `Content-Length` body); returns the status.
async fn read_answer<R: tokio::io::AsyncBufRead + Unpin>(read: &mut R) -> anyhow::Result<u16> {
    let mut line = String::new();
    read.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("bad status line {line:?}"))?;
    let mut length = 0usize;
    loop {
        line.clear();
        read.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse()?;
            }
        }
    }
    let mut body = vec![0u8; length];
    read.read_exact(&mut body).await?;
    Ok(status)
}

/// The daemon's resident memory now and at its peak.
fn memory(pid: u32) -> String {
    let status =
        std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or("?".to_string(), |kb| format!("{} MiB", kb / 1024))
    };
    format!("daemon RSS {} (peak {})", field("VmRSS:"), field("VmHWM:"))
}
