//! A connection that dies mid-send, through the real Postfix: a TCP proxy of the test's own
//! between the daemon and Postfix relays every byte, and cuts one connection at a chosen
//! point. Cut after the message's final "." reached Postfix (before its answer reaches the
//! daemon), the step may have gone out: Postfix delivers it once, and the daemon records it
//! `uncertain` and never sends it again by itself; a person settles it. Cut before `DATA`,
//! nothing was handed over: the step is retried and delivered exactly once. And the
//! connection set-up the sender does itself (STARTTLS, implicit TLS, the CA file, AUTH).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cadenced::clock::FakeClock;
use cadenced::config::Config;
use cadenced::context::Context;
use cadenced::db::{NewLead, Store};
use cadenced::domain::lead::LeadState;
use chrono::{DateTime, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::task::TaskTracker;

use crate::store::sqlite_db;
use crate::support::campaign::Campaign;
use crate::support::daemon::{cli, cli_ok};
use crate::support::mailstack::{header, MailStack, PASSWORD};

/// What the proxy does to the next connections that get so far; each count is used up once.
#[derive(Default)]
struct Cuts {
    /// Connections to cut when the client sends `DATA` (not relayed).
    before_data: AtomicUsize,
    /// Connections to cut right after relaying the client's final "." to Postfix, before
    /// relaying Postfix's answer.
    after_body: AtomicUsize,
    /// The answers Postfix gave to the messages of connections cut after the body, which the
    /// daemon never heard.
    swallowed: Mutex<Vec<String>>,
}

fn take(count: &AtomicUsize) -> bool {
    count
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

/// Listens on a free loopback port and relays each connection to Postfix on `upstream`,
/// applying `cuts`. Returns the port.
async fn proxy(upstream: u16, cuts: Arc<Cuts>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
    let port = listener.local_addr().expect("proxy address").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(relay(client, upstream, cuts.clone()));
        }
    });
    port
}

async fn relay(mut client: TcpStream, upstream: u16, cuts: Arc<Cuts>) {
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        return;
    };
    let mut up = vec![0u8; 16 * 1024];
    let mut down = vec![0u8; 16 * 1024];
    // In the message (after `DATA`), the last bytes seen, to find its final "\r\n.\r\n" across
    // reads (dot-stuffing keeps that sequence out of the message itself).
    let mut data_tail: Option<Vec<u8>> = None;
    loop {
        tokio::select! {
            read = client.read(&mut up) => {
                let n = match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                let chunk = &up[..n];
                match data_tail.as_mut() {
                    None => {
                        if chunk.eq_ignore_ascii_case(b"DATA\r\n") {
                            if take(&cuts.before_data) {
                                // Postfix never sees DATA: both ends are dropped.
                                return;
                            }
                            data_tail = Some(Vec::new());
                        }
                        if server.write_all(chunk).await.is_err() {
                            return;
                        }
                    }
                    Some(tail) => {
                        if server.write_all(chunk).await.is_err() {
                            return;
                        }
                        tail.extend_from_slice(chunk);
                        let ended = tail.windows(5).any(|w| w == b"\r\n.\r\n");
                        let keep = tail.len().saturating_sub(4);
                        tail.drain(..keep);
                        if ended {
                            data_tail = None;
                            if take(&cuts.after_body) {
                                // The whole message is Postfix's; the daemon hears nothing more.
                                drop(client);
                                let answer = match server.read(&mut down).await {
                                    Ok(n) => String::from_utf8_lossy(&down[..n]).into_owned(),
                                    Err(e) => e.to_string(),
                                };
                                cuts.swallowed.lock().expect("swallowed").push(answer);
                                return;
                            }
                        }
                    }
                }
            }
            read = server.read(&mut down) => {
                let n = match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                if client.write_all(&down[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

fn config_text(stack: &MailStack, dir: &std::path::Path, db_url: &str, smtp: u16) -> String {
    let pass = dir.join("sales.pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).expect("password file");
    format!(
        r#"state_dir = "{dir}"
[database]
url = "{db_url}"
[daemon]
max_idle = "100ms"
[[mailbox]]
name = "sales"
address = "sales@example.test"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "sales@example.test", password_file = "{pass}" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none" }}
"#,
        dir = dir.display(),
        imap = stack.imap_port(),
        pass = pass.display(),
    )
}

fn lead(i: usize) -> NewLead {
    NewLead {
        email: format!("lead{i}@lead.test"),
        first_name: Some(format!("Lead{i}")),
        last_name: None,
        company: None,
        timezone: None,
        fields: Default::default(),
    }
}

/// Two steps an hour apart.
fn two_steps(name: &str) -> Campaign {
    Campaign::new(name)
        .step("0s", "Hello {{first_name}}", "Hi.")
        .step("1h", "Again {{first_name}}", "Hi again.")
}

/// Waits (bounded) until `n` sends are in `state`, waking the scheduler meanwhile.
async fn until_sends(daemon: &Context, store: &Store, state: &str, n: usize, what: &str) {
    crate::support::until(60, what, || {
        daemon.wake.notify_one();
        async move { store.sends_in_state(state).await.expect("sends").len() == n }
    })
    .await;
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_lost_after_the_body_never_sends_the_step_twice_and_one_lost_before_data_is_retried_once(
) {
    let t0 = utc("2026-12-01T10:00:00Z");
    let stack = tokio::task::spawn_blocking(|| MailStack::start(3))
        .await
        .expect("stack");
    let cuts = Arc::new(Cuts::default());
    let port = proxy(stack.smtp_port(), cuts.clone()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sqlite_db().await;
    let text = config_text(&stack, dir.path(), &db.url, port);
    let config_file = dir.path().join("config.toml");
    std::fs::write(&config_file, &text).expect("config file");
    let cfg = Config::parse(&config_file, &text).expect("config");
    let store = db.store.clone();
    for (i, name) in [(1, "cut-after-body"), (2, "cut-before-data"), (3, "plain")] {
        let id = two_steps(name).apply(&store, t0).await;
        store
            .import_leads(id, &[lead(i)], t0, |_| {})
            .await
            .expect("import");
    }
    let clock = FakeClock::new(t0);
    let daemon = Context::new(cfg, store.clone(), Arc::new(clock.clone())).expect("daemon");
    let tracker = TaskTracker::new();
    cadenced::daemon::spawn_tasks(&daemon, &tracker);
    let sends_in = |state: &'static str| {
        let store = store.clone();
        async move { store.sends_in_state(state).await.expect("sends") }
    };

    // (a) The connection dies once Postfix has the whole message, before its answer.
    cuts.after_body.store(1, Ordering::SeqCst);
    store.launch_campaign("cut-after-body", t0).await.expect("launch");
    daemon.wake.notify_one();
    let first = stack.wait_for_messages("lead1", 1, Duration::from_secs(60)).await;
    until_sends(&daemon, &store, "uncertain", 1, "lead1's send recorded uncertain").await;
    let swallowed = cuts.swallowed.lock().expect("swallowed").clone();
    assert_eq!(swallowed.len(), 1, "one connection cut after the body");
    assert!(
        swallowed[0].starts_with("250"),
        "Postfix took the message; the daemon never heard it: {swallowed:?}"
    );
    let uncertain = sends_in("uncertain").await.remove(0);
    assert_eq!(uncertain.email, "lead1@lead.test");
    assert_eq!(
        header(&first[0], "Message-ID"),
        Some(uncertain.message_id.clone())
    );
    let why = uncertain.error.clone().unwrap_or_default();
    assert!(
        why.contains("the connection failed after the whole message was handed to the server"),
        "{uncertain:?}"
    );
    assert!(matches!(
        store
            .enrollment("cut-after-body", "lead1@lead.test")
            .await
            .expect("row")
            .state()
            .expect("state"),
        LeadState::Launch
    ));

    // (b) The connection dies before DATA: nothing was handed over, the step is retried with
    // its Message-ID and delivered once.
    cuts.before_data.store(1, Ordering::SeqCst);
    store
        .launch_campaign("cut-before-data", t0)
        .await
        .expect("launch");
    until_sends(&daemon, &store, "retry", 1, "lead2's send waiting to retry").await;
    assert_eq!(cuts.before_data.load(Ordering::SeqCst), 0, "the cut happened");
    let retry = sends_in("retry").await.remove(0);
    assert_eq!(retry.email, "lead2@lead.test");
    assert!(stack.maildir_messages("lead2").is_empty());
    clock.set(t0 + chrono::Duration::seconds(61));
    daemon.wake.notify_one();
    let second = stack.wait_for_messages("lead2", 1, Duration::from_secs(60)).await;
    assert_eq!(header(&second[0], "Message-ID"), Some(retry.message_id.clone()));

    // Two hours on: lead2's and lead3's second steps go out (so the scheduler went round
    // many times), lead1's first step is still the one copy Postfix took, waiting for a person.
    clock.set(t0 + chrono::Duration::hours(2));
    store.launch_campaign("plain", t0).await.expect("launch");
    daemon.wake.notify_one();
    stack.wait_for_messages("lead2", 2, Duration::from_secs(60)).await;
    stack.wait_for_messages("lead3", 1, Duration::from_secs(60)).await;
    assert_eq!(
        stack.maildir_messages("lead1").len(),
        1,
        "lead1's step never sent twice"
    );
    assert_eq!(stack.maildir_messages("lead2").len(), 2, "lead2: each step once");
    assert_eq!(sends_in("uncertain").await.len(), 1);

    // The operator sees it, with the reason, on the send and on the lead ...
    let listed = tokio::task::spawn_blocking({
        let config_file = config_file.clone();
        move || {
            (
                cli_ok(&config_file, &["sends", "list"]),
                cli_ok(
                    &config_file,
                    &["lead", "show", "lead1@lead.test", "--campaign", "cut-after-body"],
                ),
                String::from_utf8_lossy(&cli(&config_file, &["check"]).stdout).into_owned(),
            )
        }
    })
    .await
    .expect("cli");
    assert!(
        listed.0.contains(&uncertain.message_id)
            && listed.0.contains("uncertain")
            && listed.0.contains("the connection failed after the whole message"),
        "{}",
        listed.0
    );
    assert!(
        listed.1.contains("step 1 may have gone out")
            && listed
                .1
                .contains(&format!("cadenced sends resolve {}", uncertain.message_id)),
        "{}",
        listed.1
    );
    // `cadenced check` counts it among what waits for a person.
    assert!(
        listed
            .2
            .contains("sends: 1 steps may have gone out and wait for a person"),
        "{}",
        listed.2
    );
    // ... and settles it: it went out (lead1 has it), so the lead goes on to step 2.
    let mid = uncertain.message_id.clone();
    tokio::task::spawn_blocking({
        let config_file = config_file.clone();
        move || cli_ok(&config_file, &["sends", "resolve", &mid, "--sent"])
    })
    .await
    .expect("cli");
    daemon.wake.notify_one();
    let lead1 = stack.wait_for_messages("lead1", 2, Duration::from_secs(60)).await;
    let ids: std::collections::HashSet<_> = lead1.iter().filter_map(|m| header(m, "Message-ID")).collect();
    assert_eq!(ids.len(), 2, "lead1: step 1 and step 2, once each");

    daemon.token.cancel();
    tracker.close();
    tokio::time::timeout(Duration::from_secs(30), tracker.wait())
        .await
        .expect("daemon drained");
    db.cleanup().await;
    drop(stack);
}

/// The connection set-up the sender does itself: STARTTLS and implicit TLS, each verified
/// against the configured CA file, then AUTH; without the CA the certificate is refused.
#[test]
fn check_logs_in_over_starttls_and_implicit_tls_against_the_ca_file() {
    let stack = MailStack::start(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = dir.path().join("sales.pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).expect("password file");
    let ca = stack.ca_file();
    let mailbox = |name: &str, port: u16, tls: &str, ca: Option<&std::path::Path>| {
        let ca = ca.map_or(String::new(), |p| format!(", ca_file = \"{}\"", p.display()));
        format!(
            "[[mailbox]]\nname = \"{name}\"\naddress = \"sales@example.test\"\n\
             imap = {{ host = \"127.0.0.1\", port = {imap}, tls = \"none\", username = \"sales@example.test\", password_file = \"{pass}\" }}\n\
             smtp = {{ host = \"127.0.0.1\", port = {port}, tls = \"{tls}\", username = \"sales@example.test\", password_file = \"{pass}\"{ca} }}\n",
            imap = stack.imap_port(),
            pass = pass.display(),
        )
    };
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "state_dir = \"state\"\n{}{}{}",
            mailbox("starttls", stack.smtp_port(), "starttls", Some(&ca)),
            mailbox("implicit", stack.smtps_port(), "implicit", Some(&ca)),
            mailbox("untrusted", stack.smtps_port(), "implicit", None),
        ),
    )
    .expect("config");
    let out = crate::support::daemon::cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (name, port) in [("starttls", stack.smtp_port()), ("implicit", stack.smtps_port())] {
        assert!(
            text.contains(&format!(
                "ok   mailbox {name} smtp 127.0.0.1:{port}: connected and logged in as sales@example.test"
            )),
            "{text}"
        );
    }
    let untrusted = text
        .lines()
        .find(|l| l.contains("mailbox untrusted smtp"))
        .unwrap_or_default();
    assert!(
        untrusted.starts_with("FAIL") && untrusted.to_lowercase().contains("certificate"),
        "{text}"
    );
}
