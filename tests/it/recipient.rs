//! The recipient's side (issue 12): the one-click unsubscribe and the bounce-rate brake
//! through the store on both backends; then end to end, a step delivered through the real
//! Postfix into the lead's Maildir, its `List-Unsubscribe` link POSTed over real HTTP to the
//! daemon's listener, and tracked links clicked by people and by machines.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use cadenced::clock::FakeClock;
use cadenced::config::Config;
use cadenced::context::Context;
use cadenced::db::leases::DaemonRow;
use cadenced::db::sends::ClaimRequest;
use cadenced::db::{Cause, NewLead, Store};
use cadenced::domain::lead::{Event, LeadState, Status, StopReason};
use cadenced::ops;
use chrono::{DateTime, TimeZone, Utc};
use tokio_util::task::TaskTracker;

use crate::store::{sqlite_db, TestDb};
use crate::support::campaign::Campaign;
use crate::support::daemon::cli;
use crate::support::http::{request, Answer};
use crate::support::mailstack::{header, MailStack, PASSWORD};

both_backends!(
    WithUrl:
    one_click_unsubscribe_stops_suppresses_and_is_idempotent,
    bounce_rate_brake_pauses_the_campaign_until_an_operator_resumes,
    meetings_booked_stop_the_lead_from_a_calendar_answer_or_a_schedulers_confirmation,
);

const ACCEPTED: &str = "From: Ann Lee <ann@example.com>\r\nTo: sales@example.test\r\nSubject: Accepted: Intro call\r\n\
Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <acc@example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: text/calendar; charset=utf-8; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REPLY\r\n\
BEGIN:VEVENT\r\nUID:x@example.test\r\nORGANIZER:mailto:sales@example.test\r\n\
ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const TENTATIVE_BOB: &str =
    "From: bob@example.com\r\nTo: sales@example.test\r\nSubject: Tentative: Intro call\r\n\
Date: Mon, 30 Nov 2026 10:00:00 +0000\r\nMessage-ID: <ten@example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: text/calendar; charset=utf-8; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n\
BEGIN:VEVENT\r\nATTENDEE;PARTSTAT=TENTATIVE:mailto:bob@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

const CALENDLY_CAROL: &str = "From: Calendly <notifications@calendly.com>\r\nTo: sales@example.test\r\n\
Subject: New Event: Carol Diaz - Intro call\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n\
Message-ID: <cal@calendly.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
A new event has been scheduled.\r\n\r\nHost: sales@example.test\r\nInvitee: Carol Diaz\r\n\
Invitee Email: carol@example.com\r\n";

async fn meetings_booked_stop_the_lead_from_a_calendar_answer_or_a_schedulers_confirmation(
    (store, _): (Store, String),
) {
    use cadenced::db::inbound::MatchOptions;
    use cadenced::ingest::Analyzer;
    let people: Vec<String> = ["ann", "bob", "carol"]
        .iter()
        .map(|n| format!("{n}@example.com"))
        .collect();
    campaign(&store, file("q1"), &people).await;
    for p in &people {
        step_sent(&store, "q1", p).await;
    }
    let rules = cadenced::rules::RuleSet::load(&[]).expect("rules");
    let opts = MatchOptions {
        own_address: "sales@example.test",
        match_domain: false,
        default_tz: chrono_tz::UTC,
    };
    for (uid, raw) in [ACCEPTED, TENTATIVE_BOB, CALENDLY_CAROL].into_iter().enumerate() {
        let read = rules.read(raw.as_bytes()).expect("parses");
        let mut inbound = read.inbound();
        inbound.mailbox = "sales".into();
        inbound.folder = "INBOX".into();
        inbound.uidvalidity = 1;
        inbound.uid = uid as u32 + 1;
        // The one way a reply travels: facts, the date in the person's zone, decide, apply.
        let facts = store.reply_facts(&inbound, &opts).await.expect("facts");
        read.date(&mut inbound, chrono_tz::UTC, t(10).fixed_offset());
        cadenced::ingest::record(&store, &inbound, &opts, facts, t(10))
            .await
            .expect("ingest");
    }
    assert_eq!(
        status(&store, "q1", "ann@example.com").await,
        (Status::Stopped, Some("meeting_booked".into()))
    );
    // A tentative answer is not a booking; nor is it a person's words: recorded, nothing stops.
    assert_ne!(
        status(&store, "q1", "bob@example.com").await.1.as_deref(),
        Some("meeting_booked")
    );
    // Calendly wrote, not Carol: the confirmation names her, and that finds her.
    assert_eq!(
        status(&store, "q1", "carol@example.com").await,
        (Status::Stopped, Some("meeting_booked".into()))
    );
}

/// A store and the URL that reaches its database, for tests that also run the CLI.
struct WithUrl(TestDb);

impl crate::support::Fixture for WithUrl {
    type Arg<'a> = (Store, String);

    async fn open(db: TestDb) -> WithUrl {
        WithUrl(db)
    }

    fn arg(&self) -> (Store, String) {
        (self.0.store.clone(), self.0.url.clone())
    }

    async fn close(self) {
        self.0.cleanup().await;
    }
}

fn t(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, minute, 0)
        .single()
        .expect("valid")
}

fn lead(email: &str) -> NewLead {
    NewLead {
        email: email.to_string(),
        first_name: Some("Ann".into()),
        last_name: None,
        company: Some("Acme".into()),
        timezone: None,
        fields: Default::default(),
    }
}

/// A campaign of the store tests: the default window, a footer with the unsubscribe link.
fn file(name: &str) -> Campaign {
    Campaign::new(name)
        .default_window()
        .step(
            "0s",
            "Hello {{first_name}}",
            "About {{company}}. Unsubscribe: {{unsubscribe_url}}",
        )
        .follow_up("2d", "Following up.")
}

/// Applies and launches `campaign` with `emails` enrolled; returns its id.
async fn campaign(store: &Store, campaign: Campaign, emails: &[String]) -> i64 {
    let id = campaign.apply(store, t(0)).await;
    let leads: Vec<NewLead> = emails.iter().map(|e| lead(e)).collect();
    store
        .import_leads(id, &leads, t(0), |_| {})
        .await
        .expect("import");
    store
        .launch_campaign(campaign.name(), t(0))
        .await
        .expect("launch");
    id
}

async fn step_sent(store: &Store, campaign: &str, email: &str) {
    let row = store.enrollment(campaign, email).await.expect("row");
    store
        .transition(
            row.id,
            &Event::StepSent {
                at: t(1),
                next_due: Some(t(1) + chrono::Duration::days(2)),
            },
            &Cause::system(),
            t(1),
        )
        .await
        .expect("db")
        .expect("sent");
}

async fn status(store: &Store, campaign: &str, email: &str) -> (Status, Option<String>) {
    let row = store.enrollment(campaign, email).await.expect("row");
    let state = row.state().expect("state");
    (state.status(), row.stop_reason.clone())
}

async fn one_click_unsubscribe_stops_suppresses_and_is_idempotent((store, _): (Store, String)) {
    let ann = "ann@example.com".to_string();
    let bob = "bob@example.com".to_string();
    campaign(&store, file("q1"), &[ann.clone(), bob.clone()]).await;
    campaign(&store, file("q2"), std::slice::from_ref(&ann)).await;
    campaign(
        &store,
        file("solo").policy("scope = \"this_campaign\""),
        &[ann.clone(), bob.clone()],
    )
    .await;
    step_sent(&store, "q1", &ann).await;
    step_sent(&store, "q1", &bob).await;
    step_sent(&store, "solo", &ann).await;
    step_sent(&store, "solo", &bob).await;

    let q1_ann = store.enrollment("q1", &ann).await.expect("row").id;
    let done = ops::unsubscribe(&store, q1_ann, t(5))
        .await
        .expect("db")
        .expect("known");
    assert_eq!(done.campaign, "q1");
    assert_eq!(done.changed, 2, "q1 stopped and q2 skipped; solo keeps to itself");
    assert_eq!(
        status(&store, "q1", &ann).await,
        (Status::Stopped, Some("unsubscribed".into()))
    );
    assert_eq!(status(&store, "q2", &ann).await.0, Status::Skipped);
    assert_eq!(status(&store, "solo", &ann).await.0, Status::InProgress);
    assert_eq!(status(&store, "q1", &bob).await.0, Status::InProgress);
    let events = store.events(q1_ann).await.expect("events");
    let stop = events.last().expect("event");
    assert_eq!(
        (stop.kind.as_str(), stop.reason.as_deref(), stop.actor.as_str()),
        ("stop", Some("unsubscribed"), "auto")
    );
    assert_eq!(stop.note.as_deref(), Some("one-click unsubscribe link"));

    // Again: nothing changes, and it still answers.
    let again = ops::unsubscribe(&store, q1_ann, t(6))
        .await
        .expect("db")
        .expect("known");
    assert_eq!(again.changed, 0);
    assert_eq!(store.events(q1_ann).await.expect("events").len(), events.len());

    // The address is suppressed: a new campaign skips it at import.
    let q3 = file("q3").apply(&store, t(7)).await;
    let imported = store
        .import_leads(q3, &[lead(&ann), lead(&bob)], t(7), |_| {})
        .await
        .expect("import");
    assert_eq!((imported.enrolled, imported.suppressed), (1, 1));

    // An unsubscribe from a "this campaign only" campaign stops that one alone.
    let solo_bob = store.enrollment("solo", &bob).await.expect("row").id;
    let done = ops::unsubscribe(&store, solo_bob, t(8))
        .await
        .expect("db")
        .expect("known");
    assert_eq!(done.changed, 1);
    assert_eq!(status(&store, "q1", &bob).await.0, Status::InProgress);

    // An id that names nothing.
    assert_eq!(ops::unsubscribe(&store, 999_999, t(9)).await.expect("db"), None);

    // Many at once (a mail provider posting a batch): every one is applied, none is turned
    // away because another writer held the database (SQLite's snapshot upgrade).
    let crowd: Vec<String> = (0..24).map(|i| format!("c{i}@example.com")).collect();
    campaign(&store, file("crowd"), &crowd).await;
    let mut ids = Vec::new();
    for e in &crowd {
        ids.push(store.enrollment("crowd", e).await.expect("row").id);
    }
    let results = futures::future::join_all(ids.iter().map(|id| ops::unsubscribe(&store, *id, t(10)))).await;
    for (e, r) in crowd.iter().zip(results) {
        let done = r.unwrap_or_else(|err| panic!("{e}: {err}")).expect("known");
        assert_eq!(done.changed, 1, "{e}");
    }
}

async fn bounce_rate_brake_pauses_the_campaign_until_an_operator_resumes((store, url): (Store, String)) {
    let emails: Vec<String> = (0..60).map(|i| format!("lead{i}@example.com")).collect();
    let braked = file("q1")
        .policy("max_bounce_rate = \"5%\"")
        .policy("min_sends_for_rate = 50");
    campaign(&store, braked, &emails).await;
    campaign(&store, file("calm"), &["other@example.com".to_string()]).await;
    let me = DaemonRow {
        id: "d1".into(),
        host: "here".into(),
        pid: 1,
        started_at: t(0).timestamp_millis(),
        seen_at: t(0).timestamp_millis(),
    };
    store.daemon_seen(&me).await.expect("seen");
    assert!(store
        .acquire_lease("sales", "d1", t(0), t(0) + chrono::Duration::hours(1), t(0))
        .await
        .expect("lease"));
    // Sends 0..=48 go out, 4 of them refused for good: 49 sends, too few to judge.
    let mut rows = Vec::new();
    for e in &emails {
        rows.push(store.enrollment("q1", e).await.expect("row"));
    }
    let send = |range: std::ops::Range<usize>, minute: u32| {
        let store = store.clone();
        let rows = rows[range.clone()].to_vec();
        async move {
            let requests: Vec<ClaimRequest<'_>> = rows
                .iter()
                .map(|row| ClaimRequest {
                    row,
                    step: 0,
                    message_id: format!("<b.{}@example.test>", row.id),
                })
                .collect();
            let claims = store
                .claim_sends(&requests, "sales", "d1", t(minute))
                .await
                .expect("claim");
            for (i, (row, claim)) in rows.iter().zip(claims).enumerate() {
                let claim = claim.expect("claimed");
                if range.start + i < 4 {
                    store
                        .mark_bounced(claim.send_id, row.id, "550 5.1.1 no such user", t(minute))
                        .await
                        .expect("bounced");
                } else {
                    store
                        .mark_sent(
                            claim.send_id,
                            row.id,
                            t(minute),
                            Some(t(minute) + chrono::Duration::days(2)),
                        )
                        .await
                        .expect("sent");
                }
            }
        }
    };
    send(0..49, 1).await;
    assert_eq!(store.brake_bounce_rate(None, t(2)).await.expect("db"), vec![]);
    // One more send: 4 of 50 recipients bounced (8% > 5%): the campaign pauses itself.
    send(49..50, 3).await;
    let braked = store.brake_bounce_rate(None, t(4)).await.expect("db");
    assert_eq!(braked.len(), 1, "{braked:?}");
    assert_eq!(
        (braked[0].campaign.as_str(), braked[0].sent, braked[0].bounced),
        ("q1", 50, 4)
    );
    let q1 = store.campaign_required("q1").await.expect("q1");
    assert_eq!(
        (q1.status.as_str(), q1.pause_reason.as_deref()),
        ("paused", Some("bounce_rate"))
    );
    assert_eq!(
        store
            .campaign_required("calm")
            .await
            .expect("calm")
            .status
            .as_str(),
        "active"
    );
    // Its countdowns are frozen like any campaign pause, and nothing is claimed from it.
    match store
        .enrollment("q1", &emails[10])
        .await
        .expect("row")
        .state()
        .expect("state")
    {
        LeadState::InProgress { countdown, .. } => {
            assert!(
                matches!(countdown, cadenced::domain::lead::Countdown::Frozen { .. }),
                "{countdown:?}"
            )
        }
        s => panic!("{s:?}"),
    }
    // It stays paused: the brake never resumes, and a second look changes nothing.
    assert_eq!(store.brake_bounce_rate(None, t(30)).await.expect("db"), vec![]);
    assert_eq!(
        store.campaign_required("q1").await.expect("q1").status.as_str(),
        "paused"
    );

    // `campaign list` and `report` say why.
    let dir = tempfile::tempdir().expect("dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("[database]\nurl = \"{url}\"\n")).expect("config");
    let listed = cli(&config, &["campaign", "list", "--json"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed
            .lines()
            .any(|l| l.contains("\"name\":\"q1\"") && l.contains("\"pause_reason\":\"bounce_rate\"")),
        "{listed}"
    );
    let table = String::from_utf8_lossy(&cli(&config, &["campaign", "list"]).stdout).into_owned();
    assert!(table.contains("paused (bounce_rate)"), "{table}");
    let report = String::from_utf8_lossy(&cli(&config, &["report"]).stdout).into_owned();
    assert!(
        report.contains("campaign q1 (paused: bounce_rate, resume by hand)"),
        "{report}"
    );

    // The operator resumes: the rate counts afresh from here, so the old bounces do not
    // pause it again.
    store.resume_campaign("q1", t(40)).await.expect("resume");
    let q1 = store.campaign_required("q1").await.expect("q1");
    assert_eq!((q1.status.as_str(), q1.pause_reason.as_deref()), ("active", None));
    assert_eq!(store.brake_bounce_rate(None, t(41)).await.expect("db"), vec![]);
}

// ---- end to end: real Postfix, real HTTP ----

/// An in-process daemon with the public listener, against a real mail stack.
struct Running {
    stack: MailStack,
    db: TestDb,
    clock: FakeClock,
    daemon: Context,
    tracker: TaskTracker,
    http: SocketAddr,
    key_file: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

const PUBLIC_URL: &str = "https://go.example.test";

async fn start(n_leads: usize, campaign: &Campaign, now: DateTime<Utc>) -> Running {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("cadenced=debug"))
        .with_test_writer()
        .try_init();
    let stack = tokio::task::spawn_blocking(move || MailStack::start(n_leads))
        .await
        .expect("stack");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sqlite_db().await;
    let pass = dir.path().join("sales.pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).expect("password file");
    let key_file = dir.path().join("link.key");
    let text = format!(
        r#"state_dir = "{dir}"
[database]
url = "{db_url}"
[daemon]
max_idle = "100ms"
[http]
listen = "127.0.0.1:0"
public_url = "{PUBLIC_URL}"
secret_file = "{key}"
[[mailbox]]
name = "sales"
address = "sales@example.test"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "sales@example.test", password_file = "{pass}" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none" }}
"#,
        dir = dir.path().display(),
        db_url = db.url,
        key = key_file.display(),
        imap = stack.imap_port(),
        smtp = stack.smtp_port(),
        pass = pass.display(),
    );
    let config_path = dir.path().join("config.toml");
    std::fs::write(&config_path, &text).expect("config");
    // `check --fix` makes the key, mode 0600; a second run leaves it alone.
    let fixed = cli(&config_path, &["check", "--fix"]);
    let fixed = String::from_utf8_lossy(&fixed.stdout).into_owned();
    assert!(
        fixed.contains(&format!("ok   http.secret_file {}: created", key_file.display())),
        "{fixed}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&key_file).expect("key").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let key = std::fs::read_to_string(&key_file).expect("key");
    let again = String::from_utf8_lossy(&cli(&config_path, &["check", "--fix"]).stdout).into_owned();
    assert!(
        again.contains("http.secret_file") && again.contains("key loaded"),
        "{again}"
    );
    assert_eq!(std::fs::read_to_string(&key_file).expect("key"), key);

    let cfg = Config::parse(&config_path, &text).expect("config");
    let id = campaign.apply(&db.store, now).await;
    let leads: Vec<NewLead> = (1..=n_leads)
        .map(|i| NewLead {
            email: format!("lead{i}@lead.test"),
            first_name: Some(format!("Lead{i}")),
            last_name: None,
            company: Some(format!("Company {i}")),
            timezone: None,
            fields: Default::default(),
        })
        .collect();
    db.store
        .import_leads(id, &leads, now, |_| {})
        .await
        .expect("import");
    db.store
        .launch_campaign(campaign.name(), now)
        .await
        .expect("launch");
    let clock = FakeClock::new(now);
    let daemon = Context::new(cfg, db.store.clone(), Arc::new(clock.clone())).expect("context");
    let tracker = TaskTracker::new();
    cadenced::daemon::spawn_tasks(&daemon, &tracker);
    let http = cadenced::http::start(&daemon, &tracker)
        .await
        .expect("listener")
        .expect("configured");
    Running {
        stack,
        db,
        clock,
        daemon,
        tracker,
        http,
        key_file,
        _dir: dir,
    }
}

impl Running {
    fn store(&self) -> &Store {
        &self.db.store
    }

    async fn stop(self) {
        self.daemon.token.cancel();
        self.tracker.close();
        tokio::time::timeout(Duration::from_secs(30), self.tracker.wait())
            .await
            .expect("daemon drained");
        self.db.cleanup().await;
        drop(self.stack);
    }

    /// The path of `url` (ours, under the public URL), sent to the listener as the reverse
    /// proxy would.
    async fn fetch(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let path = url.strip_prefix(PUBLIC_URL).unwrap_or(url);
        request(self.http, method, path, headers, body).await
    }

    async fn wait_for_step(&self, lead: &str) -> String {
        let msgs = self
            .stack
            .wait_for_messages(lead, 1, Duration::from_secs(30))
            .await;
        String::from_utf8_lossy(&msgs[0]).into_owned()
    }
}

/// The body of a raw message as a reader sees it: quoted-printable decoded (lettre picks
/// it for lines longer than 76 characters, which tracked links make).
fn body_text(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    if !head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable")
    {
        return body.to_string();
    }
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// A footer with the unsubscribe link in the first step.
fn unsub_campaign() -> Campaign {
    Campaign::new("e2e")
        .default_window()
        .step(
            "0s",
            "Hello {{first_name}}",
            "Hi {{first_name}}, a question about {{company}}.\n\nNot interested? {{unsubscribe_url}}\n",
        )
        .follow_up("2d", "Following up, {{first_name}}.")
}

#[tokio::test]
async fn r12_one_click_unsubscribe_from_the_maildir_over_real_http() {
    // See: #12
    let now = t(0);
    let run = start(2, &unsub_campaign(), now).await;
    run.daemon.wake.notify_one();
    let raw = run.wait_for_step("lead1").await;
    let list = header(&raw, "List-Unsubscribe").expect("List-Unsubscribe");
    assert_eq!(
        header(&raw, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click"),
        "{raw}"
    );
    assert!(
        list.ends_with(", <mailto:sales@example.test?subject=unsubscribe>"),
        "{list}"
    );
    let url = list
        .strip_prefix('<')
        .and_then(|l| l.split('>').next())
        .expect("https URL first")
        .to_string();
    assert!(url.starts_with(&format!("{PUBLIC_URL}/u/")), "{url}");
    // The footer link of the template is the same URL.
    assert!(
        body_text(&raw).contains(&format!("Not interested? {url}")),
        "{raw}"
    );
    crate::support::until(30, "step 1 recorded", || async {
        matches!(
            status(run.store(), "e2e", "lead1@lead.test").await.0,
            Status::InProgress
        )
    })
    .await;

    // GET (what a scanner or the person's browser does first) shows a button, changes nothing.
    let page = run.fetch("GET", &url, &[("User-Agent", FIREFOX)], b"").await;
    assert_eq!(page.status, 200, "{page:?}");
    assert!(page.body.contains("<form method=\"post\""), "{}", page.body);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(
        status(run.store(), "e2e", "lead1@lead.test").await.0,
        Status::InProgress
    );

    // What Gmail sends for List-Unsubscribe-Post: unsubscribed at once, no cookie.
    let one_click = [("Content-Type", "application/x-www-form-urlencoded")];
    let answer = run
        .fetch("POST", &url, &one_click, b"List-Unsubscribe=One-Click")
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert!(answer.header("set-cookie").is_none(), "{answer:?}");
    assert_eq!(
        status(run.store(), "e2e", "lead1@lead.test").await,
        (Status::Stopped, Some("unsubscribed".into()))
    );
    let id = run
        .store()
        .enrollment("e2e", "lead1@lead.test")
        .await
        .expect("row")
        .id;
    let n_events = run.store().events(id).await.expect("events").len();
    // Again: the same answer, nothing more happens.
    let again = run
        .fetch("POST", &url, &one_click, b"List-Unsubscribe=One-Click")
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(run.store().events(id).await.expect("events").len(), n_events);
    // Suppressed: a re-import into another campaign skips the address.
    let later = file("later").apply(run.store(), t(5)).await;
    let out = run
        .store()
        .import_leads(later, &[lead("lead1@lead.test")], t(5), |_| {})
        .await
        .expect("import");
    assert_eq!(out.suppressed, 1);
    // The other lead is untouched.
    assert_eq!(
        status(run.store(), "e2e", "lead2@lead.test").await.0,
        Status::InProgress
    );

    // Forged, truncated, altered, replayed after a key rotation, or of the other kind: the
    // same 404 as an unknown path, saying nothing.
    let unknown = run.fetch("GET", "/nothing-here", &[], b"").await;
    assert_eq!(unknown.status, 404);
    let token = url.rsplit('/').next().expect("token").to_string();
    let mut altered = token.clone().into_bytes();
    altered[2] = if altered[2] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).expect("ascii");
    let rotated = {
        let other = cadenced::domain::link::LinkKey::from_file_text(&"f".repeat(64)).expect("key");
        other.unsubscribe_token(id)
    };
    let as_click = format!("/c/{token}");
    for path in [
        format!("/u/{}", &token[..token.len() - 3]),
        format!("/u/{altered}"),
        format!("/u/{rotated}"),
        format!("/u/{}", "A".repeat(20_000)),
        "/u/%ZZ%00".to_string(),
        as_click,
    ] {
        for method in ["GET", "POST"] {
            let answer = request(run.http, method, &path, &[], b"").await;
            assert!(
                answer.status == 404 || (method == "POST" && answer.status == 405),
                "{method} {path}: {answer:?}"
            );
            assert!(answer.header("location").is_none(), "{method} {path}: {answer:?}");
            if answer.status == 404 {
                assert_eq!(answer.body, unknown.body, "{method} {path}");
            }
        }
    }
    // The key file is what makes tokens: rotating it voids the old ones at the next start.
    assert!(run.key_file.exists());
    run.stop().await;
}

/// Tracked links in the first step; a person's click stops the lead.
fn click_campaign() -> Campaign {
    Campaign::new("clicks")
        .default_window()
        .line("tracking = { clicks = true, min_click_delay = \"10s\" }")
        .policy("on_click = \"stop\"")
        .step(
            "0s",
            "Hello {{first_name}}",
            "Prices: https://example.test/pricing?plan=team.\nDocs (https://docs.example.test/start).\n",
        )
        .follow_up("2d", "Following up, {{first_name}}.")
}

/// The tracked links of a raw message, in order.
fn tracked_links(raw: &str) -> Vec<String> {
    body_text(raw)
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| w.starts_with(&format!("{PUBLIC_URL}/c/")))
        .map(|w| w.trim_end_matches('.').to_string())
        .collect()
}

/// Waits until the enrollment has `n` click events; returns their reasons.
async fn click_verdicts(store: &Store, campaign: &str, email: &str, n: usize) -> Vec<String> {
    let id = store.enrollment(campaign, email).await.expect("row").id;
    let reasons = || async {
        store
            .events(id)
            .await
            .expect("events")
            .into_iter()
            .filter(|e| e.kind == "click")
            .filter_map(|e| e.reason)
            .collect::<Vec<String>>()
    };
    crate::support::until(30, format!("{n} clicks judged for {email}"), || async {
        reasons().await.len() >= n
    })
    .await;
    reasons().await
}

#[tokio::test]
async fn r12_tracked_clicks_redirect_and_only_a_persons_click_acts() {
    // See: #12
    let now = t(0);
    let run = start(2, &click_campaign(), now).await;
    run.daemon.wake.notify_one();
    let raw1 = run.wait_for_step("lead1").await;
    let raw2 = run.wait_for_step("lead2").await;
    let links1 = tracked_links(&raw1);
    let links2 = tracked_links(&raw2);
    assert_eq!(links1.len(), 2, "{raw1}");
    assert_eq!(links2.len(), 2, "{raw2}");
    // The originals are gone from the mail; the text around them stays.
    let text1 = body_text(&raw1);
    assert!(!text1.contains("https://example.test/pricing"), "{text1}");
    assert!(text1.starts_with("Prices: https://go.example.test/c/"), "{text1}");
    assert!(text1.contains("Docs (https://go.example.test/c/"), "{text1}");
    crate::support::until(30, "first steps recorded", || async {
        status(run.store(), "clicks", "lead1@lead.test").await.0 == Status::InProgress
            && status(run.store(), "clicks", "lead2@lead.test").await.0 == Status::InProgress
    })
    .await;
    let browser = [("User-Agent", FIREFOX)];

    // A mail gateway opens the link on arrival: redirected, recorded, no effect.
    let answer = run.fetch("GET", &links1[0], &browser, b"").await;
    assert_eq!(answer.status, 302, "{answer:?}\n{raw1}");
    assert_eq!(
        answer.header("location"),
        Some("https://example.test/pricing?plan=team")
    );
    assert_eq!(
        click_verdicts(run.store(), "clicks", "lead1@lead.test", 1).await,
        ["too_soon"]
    );

    // A minute later: a HEAD request and a scanner's agent: recorded, no effect.
    run.clock.set(now + chrono::Duration::seconds(60));
    let head = run.fetch("HEAD", &links1[0], &browser, b"").await;
    assert_eq!(head.status, 302);
    let scanner = run
        .fetch(
            "GET",
            &links1[1],
            &[("User-Agent", "Mozilla/5.0 (compatible; Barracuda Sentinel)")],
            b"",
        )
        .await;
    assert_eq!(
        scanner.header("location"),
        Some("https://docs.example.test/start")
    );
    let mut seen = click_verdicts(run.store(), "clicks", "lead1@lead.test", 3).await;
    seen.sort();
    assert_eq!(seen, ["head_request", "scanner_agent", "too_soon"]);
    assert_eq!(
        status(run.store(), "clicks", "lead1@lead.test").await.0,
        Status::InProgress
    );

    // Both links of lead2's mail in the same second: a scanner, whatever its agent says.
    for link in &links2 {
        assert_eq!(run.fetch("GET", link, &browser, b"").await.status, 302);
    }
    let burst = click_verdicts(run.store(), "clicks", "lead2@lead.test", 2).await;
    assert_eq!(burst, ["burst", "burst"]);
    assert_eq!(
        status(run.store(), "clicks", "lead2@lead.test").await.0,
        Status::InProgress
    );

    // A person, later: the campaign says stop.
    run.clock.set(now + chrono::Duration::seconds(300));
    let person = run.fetch("GET", &links1[1], &browser, b"").await;
    assert_eq!(person.status, 302);
    crate::support::until(30, "lead1 stopped as clicked", || async {
        status(run.store(), "clicks", "lead1@lead.test").await == (Status::Stopped, Some("clicked".into()))
    })
    .await;
    assert!(matches!(
        run.store()
            .enrollment("clicks", "lead1@lead.test")
            .await
            .expect("row")
            .state()
            .expect("state"),
        LeadState::Stopped {
            reason: StopReason::Clicked,
            ..
        }
    ));

    // An altered token never redirects: no open redirect.
    let token = links1[0].rsplit('/').next().expect("token");
    let (payload, tag) = token.split_once('.').expect("dot");
    let evil = cadenced::domain::link::LinkKey::from_file_text(&"e".repeat(64))
        .expect("key")
        .click_token(&cadenced::domain::link::ClickLink {
            enrollment_id: 1,
            step: 0,
            link: 0,
            url: "https://evil.test/".into(),
        });
    let (evil_payload, _) = evil.split_once('.').expect("dot");
    for path in [
        format!("/c/{evil}"),
        format!("/c/{evil_payload}.{tag}"),
        format!("/c/{payload}.{}", &tag[..tag.len() - 2]),
        format!("/c/{payload}"),
        "/c/".to_string(),
    ] {
        let answer = request(run.http, "GET", &path, &browser, b"").await;
        assert_eq!(answer.status, 404, "{path}: {answer:?}");
        assert!(answer.header("location").is_none(), "{path}: {answer:?}");
    }
    run.stop().await;
}

#[tokio::test]
async fn r12_the_listener_refuses_hostile_requests_and_drains_on_stop() {
    // See: #12
    let db = sqlite_db().await;
    let key = cadenced::domain::link::LinkKey::from_file_text(&"k".repeat(64)).expect("key");
    let links = Arc::new(cadenced::domain::link::Links {
        key: key.clone(),
        public_url: PUBLIC_URL.to_string(),
    });
    let (clicks, mut queued) = tokio::sync::mpsc::channel(4);
    let router = cadenced::http::public::router(cadenced::http::public::State {
        store: db.store.clone(),
        clock: Arc::new(FakeClock::new(t(0))),
        links,
        clicks,
        db_health: cadenced::health::DbHealth::new(&db.url),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let token = tokio_util::sync::CancellationToken::new();
    let tracker = TaskTracker::new();
    tracker.spawn(cadenced::http::serve(
        listener,
        router,
        token.clone(),
        tracker.clone(),
    ));

    // A body over the limit: 413 before anything is read or done.
    let unsub = format!("/u/{}", key.unsubscribe_token(1));
    let big = vec![b'x'; 100 * 1024];
    let answer = request(addr, "POST", &unsub, &[], &big).await;
    assert_eq!(answer.status, 413, "{answer:?}");
    // Not HTTP at all, and a head over the limit: refused, and the listener lives on.
    for raw in [
        b"GARBAGE\r\n\r\n".to_vec(),
        format!(
            "GET /u/x HTTP/1.1\r\nHost: a\r\nX-Big: {}\r\n\r\n",
            "a".repeat(100 * 1024)
        )
        .into_bytes(),
        b"GET /%%%%/\xff\xfe HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(),
    ] {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let _ = s.write_all(&raw).await;
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out)).await;
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 4"),
            "{:?}: {text}",
            String::from_utf8_lossy(&raw[..raw.len().min(40)])
        );
    }
    // A click with a good token: redirected at once, queued for the recorder.
    let click = key.click_token(&cadenced::domain::link::ClickLink {
        enrollment_id: 1,
        step: 0,
        link: 0,
        url: "https://example.test/a".into(),
    });
    let answer = request(
        addr,
        "GET",
        &format!("/c/{click}"),
        &[("User-Agent", FIREFOX)],
        b"",
    )
    .await;
    assert_eq!(
        (answer.status, answer.header("location")),
        (302, Some("https://example.test/a"))
    );
    assert!(queued.try_recv().is_ok());
    // Well-formed noise: the same 404 everywhere, never a 5xx.
    for path in [
        "/",
        "/u/",
        "/c/a.b",
        "/u/..%2f..%2fetc%2fpasswd",
        "/favicon.ico",
        "/u/a/b/c",
    ] {
        let answer = request(addr, "GET", path, &[], b"").await;
        assert_eq!(answer.status, 404, "{path}: {answer:?}");
    }

    // Stop, with a connection open and idle (as a proxy keeps them): the accept loop ends
    // and every connection task with it. (Whether the port then refuses connections is not
    // asserted: a parallel test may have bound the same free port meanwhile.)
    let idle = tokio::net::TcpStream::connect(addr).await.expect("connect");
    token.cancel();
    tracker.close();
    tokio::time::timeout(Duration::from_secs(15), tracker.wait())
        .await
        .expect("listener drained");
    drop(idle);
    db.cleanup().await;
}
