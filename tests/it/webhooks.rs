//! Webhooks as a CRM receives them: a real HTTP server in the test process (its own thread
//! and runtime) receives what a `cadenced run` child sends, checks every signature, and
//! fails the first requests; the daemon is SIGKILLed mid-delivery and started again; every
//! event written to the outbox arrives, in order per lead, none lost. A second webhook
//! points at a port nobody listens on: it never holds the first one back.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use cadenced::db::Cause;
use cadenced::domain::lead::Event;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::cli::Env;
use crate::support::daemon::{cli, cli_ok, DaemonProcess};
use crate::support::{lazy, until, wait_for};

const SECRET: &str = "whsec_0123456789abcdef0123456789";
const LEADS: usize = 30;

/// One request as the receiver got it.
#[derive(Debug, Clone)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
    answered: u16,
}

#[derive(Default)]
struct Receiver {
    got: Vec<Received>,
    /// Requests still to refuse with 503.
    refuse: usize,
}

/// Starts the receiver on a free port; returns its address, what it got, and its stop.
fn start_receiver(
    refuse: usize,
    delay: Duration,
) -> (
    std::net::SocketAddr,
    Arc<Mutex<Receiver>>,
    tokio::sync::oneshot::Sender<()>,
) {
    let state = Arc::new(Mutex::new(Receiver {
        got: Vec::new(),
        refuse,
    }));
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let shared = state.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = axum::Router::new().route(
                "/hook",
                axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                    let shared = shared.clone();
                    async move {
                        tokio::time::sleep(delay).await;
                        let mut s = shared.lock().unwrap_or_else(|e| e.into_inner());
                        let answered = if s.refuse > 0 {
                            s.refuse -= 1;
                            503
                        } else {
                            200
                        };
                        s.got.push(Received {
                            headers,
                            body,
                            answered,
                        });
                        StatusCode::from_u16(answered).unwrap_or(StatusCode::OK)
                    }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            addr_tx
                .send(listener.local_addr().expect("addr"))
                .expect("send addr");
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .await
                .expect("serve");
        });
    });
    let addr = addr_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("receiver address");
    (addr, state, stop_tx)
}

/// Stripe's check, as the README shows it: HMAC-SHA256 over `t.` + the raw body, compared in
/// constant time.
fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = Some(x),
            Some(("v1", x)) => v1 = Some(x),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let Ok(expected) = (0..v1.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(v1.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

both_backends!(Env: r13_every_webhook_event_arrives_signed_in_order_across_a_sigkill);

async fn r13_every_webhook_event_arrives_signed_in_order_across_a_sigkill(env: &Env) {
    let (addr, received, stop) = start_receiver(3, Duration::from_millis(60));
    let live = format!("http://{addr}/hook");
    let dead = "http://127.0.0.1:1/dead".to_string();
    let secret = env.dir.path().join("hook.secret");
    std::fs::write(&secret, format!("{SECRET}\n")).expect("secret");
    let mut text = std::fs::read_to_string(&env.config).expect("config");
    text.push_str(&format!(
        "[[webhook]]\nurl = \"{live}\"\nsecret_file = \"{s}\"\nevents = [\"lead.paused\", \"lead.resumed\", \"lead.stopped\", \"campaign.paused\"]\n\
         [[webhook]]\nurl = \"{dead}\"\nsecret_file = \"{s}\"\n",
        s = secret.display()
    ));
    std::fs::write(&env.config, text).expect("config");
    let config = env.config.as_path();

    // Thirty leads, each one step in, the next far away (the daemon sends nothing).
    let mut csv = String::from("email,first_name,last_name,company,timezone,role\n");
    for i in 0..LEADS {
        csv.push_str(&format!("w{i}@lead.test,Ann,Lee,Acme {i},Europe/Berlin,CTO\n"));
    }
    let leads = env.write("leads.csv", &csv);
    cli_ok(
        config,
        &["campaign", "apply", &crate::cli::example("campaign.toml")],
    );
    cli_ok(
        config,
        &["leads", "import", "--quiet", "--campaign", "q1-outreach", &leads],
    );
    cli_ok(config, &["campaign", "launch", "q1-outreach"]);
    use cadenced::clock::Clock;
    let now = cadenced::clock::SystemClock.now();
    for i in 0..LEADS {
        let row = env
            .db
            .store
            .enrollment("q1-outreach", &format!("w{i}@lead.test"))
            .await
            .expect("row");
        let event = Event::StepSent {
            at: now,
            next_due: Some(now + chrono::Duration::days(30)),
        };
        env.db
            .store
            .transition(row.id, &event, &Cause::system(), now)
            .await
            .expect("db")
            .expect("sent");
    }

    let mut daemon = DaemonProcess::start(config, "daemon 1");
    daemon.wait_for_log("Webhook delivery started.", 0, Duration::from_secs(30));
    // The operators' changes: 91 events for the live webhook, written by CLI processes while
    // the daemon delivers. None of them waits for an endpoint.
    let started = std::time::Instant::now();
    cli_ok(
        config,
        &[
            "leads",
            "pause",
            "--campaign",
            "q1-outreach",
            "--status",
            "in_progress",
            "--note",
            "fair",
        ],
    );
    cli_ok(
        config,
        &[
            "leads",
            "resume",
            "--campaign",
            "q1-outreach",
            "--status",
            "paused",
        ],
    );
    cli_ok(config, &["campaign", "pause", "q1-outreach"]);
    let out = cli(
        config,
        &[
            "leads",
            "stop",
            "--campaign",
            "q1-outreach",
            "--status",
            "in_progress",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let writing = started.elapsed();
    let total = 3 * LEADS + 1;

    // Killed in the middle of delivering, then started again.
    let distinct = |r: &Arc<Mutex<Receiver>>| -> usize {
        let s = r.lock().unwrap_or_else(|e| e.into_inner());
        s.got
            .iter()
            .filter(|g| g.answered == 200)
            .filter_map(|g| g.headers.get("idempotency-key").map(|v| v.as_bytes().to_vec()))
            .collect::<HashSet<_>>()
            .len()
    };
    wait_for(60, "a third of the events delivered", || {
        (distinct(&received) >= LEADS).then_some(())
    });
    let at_kill = distinct(&received);
    daemon.kill9();
    assert!(
        at_kill < total,
        "killed mid-delivery ({at_kill} of {total} delivered)"
    );
    let mut daemon = DaemonProcess::start(config, "daemon 2");
    let store = &env.db.store;
    let what = || {
        format!(
            "all {total} delivered (only {})\n{}",
            distinct(&received),
            daemon
                .log()
                .lines()
                .filter(|l| l.contains("ebhook"))
                .take(50)
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    until(60, lazy(what), || async { distinct(&received) >= total }).await;
    // The last answer may be received a moment before it is recorded.
    until(10, "the last delivery recorded", || async {
        store.outbox_counts(&live).await.expect("counts").pending == 0
    })
    .await;
    let counts_now = store.outbox_counts(&live).await.expect("counts");
    assert_eq!(counts_now.delivered as usize, total, "{counts_now:?}");
    assert_eq!(counts_now.pending + counts_now.failed, 0);
    daemon.terminate(Duration::from_secs(30));
    let _ = stop.send(());

    let got = received.lock().unwrap_or_else(|e| e.into_inner()).got.clone();
    let refused = got.iter().filter(|g| g.answered == 503).count();
    assert_eq!(refused, 3, "the first three were refused and sent again");
    let mut first_seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids = HashSet::new();
    let mut duplicates = 0;
    for g in &got {
        let h = |n: &str| {
            g.headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(h("content-type"), "application/json");
        assert!(
            verify(SECRET, &h("cadenced-signature"), &g.body),
            "bad signature: {:?}",
            g.headers
        );
        assert!(!verify("another secret 1234", &h("cadenced-signature"), &g.body));
        let body: Value = serde_json::from_slice(&g.body).expect("JSON body");
        assert_eq!(body["id"], h("idempotency-key"));
        let kind = body["type"].as_str().expect("type").to_string();
        assert_eq!(kind, h("cadenced-event"));
        assert_eq!(body["campaign"], "q1-outreach");
        assert!(body["time"].as_str().is_some_and(|t| t.ends_with('Z')), "{body}");
        if g.answered != 200 {
            continue;
        }
        if !ids.insert(h("idempotency-key")) {
            duplicates += 1;
            continue;
        }
        if kind == "campaign.paused" {
            assert_eq!(body["reason"], "manual");
            continue;
        }
        let email = body["email"].as_str().expect("email").to_string();
        assert_eq!(body["step"], 1, "{body}");
        if kind == "lead.paused" {
            assert_eq!(body["note"], "fair");
            assert_eq!(body["reason"], "manual");
            assert_eq!(body["resume_at"], Value::Null);
        }
        if kind == "lead.stopped" {
            assert_eq!(body["reason"], "manual");
            assert_eq!(body["status"], "stopped");
        }
        first_seen.entry(email).or_default().push(kind);
    }
    assert_eq!(ids.len(), total);
    assert_eq!(first_seen.len(), LEADS);
    for (email, kinds) in &first_seen {
        assert_eq!(
            kinds,
            &["lead.paused", "lead.resumed", "lead.stopped"],
            "{email}: in order"
        );
    }
    // The dead endpoint got nothing and holds its events for later; the live one was not
    // held back by it, and the commands did not wait for either.
    let dead_counts = env.db.store.outbox_counts(&dead).await.expect("counts");
    assert_eq!(dead_counts.delivered, 0);
    // (It is sent every event: also the mailbox's, whose IMAP server is not there.)
    assert!(dead_counts.pending as usize >= total, "{dead_counts:?}");
    assert!(writing < Duration::from_secs(30), "{writing:?}");
    // `check` says how each webhook stands.
    let out = cli(config, &["check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains(&format!(
            "webhook {live}: secret loaded; 0 events pending, {total} delivered"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("webhook {dead}: secret loaded; ")),
        "{report}"
    );
    eprintln!(
        "webhooks: {total} events, {at_kill} delivered before the SIGKILL, {duplicates} delivered twice, 3 refused and retried; CLI writes took {writing:?}"
    );
}
