//! Mail in, end to end, against real parts only: a real Postfix + Dovecot (with Sieve) started
//! by `scripts/mailstack.sh` on free loopback ports, a real SQLite file or PostgreSQL schema,
//! and the real rule set. Our steps go out through Postfix to `leadN@lead.test` and are
//! recorded in `sends` exactly as the scheduler records them (`claim_send` + `mark_sent`);
//! the leads' own server answers (Sieve vacation, Postfix bounces) or a test plays the person.
//! Every wait is bounded by a deadline and polls a condition.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cadenced::clock::{Clock, SystemClock};
use cadenced::config::Config;
use cadenced::context::Context;
use cadenced::db::{NewLead, Store};
use cadenced::domain::lead::LeadState;
use cadenced::domain::window::{ooo_resume_at, Window};
use cadenced::ingest::Analyzer;
use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, Weekday};
use lettre::message::Mailbox as LettreMailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio_util::task::TaskTracker;

use crate::store::{pg_db, sqlite_db, TestDb};
use crate::support::campaign::Campaign;
use crate::support::mailstack::MailStack;
use crate::support::until;

/// The shared real mail stack (see `support::mailstack`), with what these tests add: a
/// config for it and a way to send as anyone through its Postfix.
pub struct Stack {
    ms: MailStack,
    dir: tempfile::TempDir,
    /// Postfix SMTP port.
    pub smtp: u16,
    /// Dovecot IMAP port.
    pub imap: u16,
}

impl Stack {
    /// Starts a stack with `n` leads (`lead1..leadN@lead.test`).
    pub fn start(n: usize) -> Stack {
        Stack::around(MailStack::start(n))
    }

    /// A stack whose Dovecot does not advertise IDLE: watchers poll.
    pub fn start_without_idle(n: usize) -> Stack {
        Stack::around(MailStack::start_without_idle(n))
    }

    fn around(ms: MailStack) -> Stack {
        let (smtp, imap) = (ms.smtp_port(), ms.imap_port());
        Stack {
            ms,
            dir: tempfile::tempdir().expect("tempdir"),
            smtp,
            imap,
        }
    }

    /// Gives `lead` (e.g. `lead2`) a Sieve vacation auto-reply that answers every mail.
    pub fn vacation(&self, lead: &str, text: &str, subject: &str) {
        self.ms.vacation_every_time(lead, "", text, subject);
    }

    /// Stops Dovecot (IMAP and LMTP).
    pub fn stop_imap(&self) {
        self.ms.stop_imap();
    }

    /// Starts Dovecot again.
    pub fn start_imap(&self) {
        self.ms.start_imap();
    }

    /// A config whose one mailbox `sales` is this stack's.
    pub fn config(&self, db_url: &str) -> Config {
        let pass = self.dir.path().join("sales.pass");
        std::fs::write(&pass, "secret\n").expect("password file");
        let text = format!(
            r#"
state_dir = "{state}"
[database]
url = "{db_url}"
[daemon]
timezone = "Europe/Berlin"
[[mailbox]]
name = "sales"
address = "sales@example.test"
poll_interval = "1s"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "sales@example.test", password_file = "{pass}" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none" }}
"#,
            state = self.dir.path().display(),
            imap = self.imap,
            smtp = self.smtp,
            pass = pass.display(),
        );
        Config::parse(&self.dir.path().join("config.toml"), &text).expect("config")
    }

    /// Sends a mail through Postfix.
    pub async fn send(
        &self,
        from: &str,
        to: &str,
        subject: &str,
        body: &str,
        message_id: &str,
        in_reply_to: Option<&str>,
    ) {
        let mut builder = Message::builder()
            .from(from.parse::<LettreMailbox>().expect("from"))
            .to(to.parse::<LettreMailbox>().expect("to"))
            .subject(subject)
            .message_id(Some(message_id.to_string()));
        if let Some(parent) = in_reply_to {
            builder = builder
                .in_reply_to(parent.to_string())
                .references(parent.to_string());
        }
        let message = builder.body(body.to_string()).expect("message");
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(self.smtp)
            .build();
        transport.send(message).await.expect("postfix accepts the mail");
    }
}

/// Always open, so that resume instants are easy to predict.
fn campaign() -> Campaign {
    Campaign::new("outreach")
        .timezone("Europe/Berlin")
        .step(
            "0s",
            "Quick question, {{first_name}}",
            "Hi {{first_name}}, may I ask you something about your team?",
        )
        .follow_up("3d", "Following up.")
}

/// Applies and launches the campaign with these leads.
async fn setup(store: &Store, emails: &[String]) {
    let now = SystemClock.now();
    let id = campaign().apply(store, now).await;
    let leads: Vec<NewLead> = emails
        .iter()
        .map(|e| NewLead {
            email: e.clone(),
            first_name: Some("Alex".to_string()),
            last_name: None,
            company: None,
            timezone: None,
            fields: Default::default(),
        })
        .collect();
    store.import_leads(id, &leads, now, |_| {}).await.expect("import");
    store.launch_campaign("outreach", now).await.expect("launch");
}

/// Sends step 1 to `email` through Postfix as the scheduler would: claim, send, mark sent.
async fn send_step(store: &Store, stack: &Stack, email: &str) -> String {
    let row = store.enrollment("outreach", email).await.expect("enrollment");
    let local = email.split('@').next().unwrap_or("x");
    let mid = format!("<cad.{}.0.{}@example.test>", row.id, local);
    let now = SystemClock.now();
    // Claims are fenced by the mailbox lease: hold it as the daemon would.
    store
        .acquire_lease("sales", "test", now, now + ChronoDuration::hours(1), now)
        .await
        .expect("lease");
    let claim = store
        .claim_send(&row, 0, "sales", &mid, "test", now)
        .await
        .expect("claim")
        .expect("claimable");
    stack
        .send(
            "Sales <sales@example.test>",
            email,
            "Quick question, Alex",
            "Hi Alex, may I ask you something about your team?",
            &mid,
            None,
        )
        .await;
    store
        .mark_sent(claim.send_id, row.id, now, Some(now + ChronoDuration::days(3)))
        .await
        .expect("mark sent");
    mid
}

/// The real rule set, as the daemon loads it.
fn analyzer() -> Arc<dyn Analyzer> {
    Arc::new(cadenced::rules::RuleSet::shipped().expect("shipped rules"))
}

/// A watcher on the stack's `sales` mailbox, as the daemon runs it.
struct Watcher {
    daemon: Context,
    tracker: TaskTracker,
}

impl Watcher {
    fn start(stack: &Stack, db: &TestDb) -> Watcher {
        let cfg = stack.config(&db.url);
        let daemon = Context::new(cfg, db.store.clone(), Arc::new(SystemClock)).expect("rules load");
        let tracker = TaskTracker::new();
        let mailbox = daemon.cfg.mailboxes[0].clone();
        tracker.spawn(cadenced::ingest::watch(daemon.clone(), mailbox, analyzer()));
        tracker.close();
        Watcher { daemon, tracker }
    }

    async fn stop(self) {
        self.daemon.token.cancel();
        tokio::time::timeout(Duration::from_secs(30), self.tracker.wait())
            .await
            .expect("watcher drains");
    }
}

async fn status_of(store: &Store, email: &str) -> String {
    store
        .enrollment("outreach", email)
        .await
        .expect("enrollment")
        .status
}

/// A weekday at least `days` ahead.
fn weekday_ahead(days: i64) -> NaiveDate {
    let mut d = SystemClock.now().date_naive() + ChronoDuration::days(days);
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += ChronoDuration::days(1);
    }
    d
}

pub fn month_name(lang: &str, m: u32) -> &'static str {
    let i = (m - 1) as usize;
    match lang {
        "de" => [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ][i],
        "fr" => [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ][i],
        "es" => [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ][i],
        _ => [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][i],
    }
}

async fn replies_end_to_end(db: TestDb) {
    let stack = Stack::start(8);
    let store = db.store.clone();
    // lead1..lead4: vacations in four languages; lead5: a person; ghost: no such mailbox.
    let leads: Vec<String> = (1..=6)
        .map(|i| format!("lead{i}@lead.test"))
        .chain(["ghost@lead.test".to_string()])
        .collect();
    setup(&store, &leads).await;
    let back = [
        weekday_ahead(20),
        weekday_ahead(27),
        weekday_ahead(34),
        weekday_ahead(41),
    ];
    let texts = [
        (
            "en",
            "Out of office",
            format!(
                "Thank you for your message. I am out of the office and will be back on {} {}, {}.",
                month_name("en", back[0].month()),
                back[0].day(),
                back[0].year()
            ),
        ),
        (
            "de",
            "Abwesenheitsnotiz",
            format!(
                "Vielen Dank für Ihre Nachricht. Ich bin nicht im Büro und ab dem {}. {} {} wieder im Büro.",
                back[1].day(),
                month_name("de", back[1].month()),
                back[1].year()
            ),
        ),
        (
            "fr",
            "Absence du bureau",
            format!(
                "Merci pour votre message. Je suis absent du bureau, de retour le {} {} {}.",
                back[2].day(),
                month_name("fr", back[2].month()),
                back[2].year()
            ),
        ),
        (
            "es",
            "Fuera de la oficina",
            format!(
                "Gracias por su mensaje. Estoy fuera de la oficina y estaré de vuelta el {} de {} de {}.",
                back[3].day(),
                month_name("es", back[3].month()),
                back[3].year()
            ),
        ),
    ];
    for (i, (_, subject, text)) in texts.iter().enumerate() {
        stack.vacation(&format!("lead{}", i + 1), text, subject);
    }
    let watcher = Watcher::start(&stack, &db);

    let mut mids = Vec::new();
    for email in &leads {
        mids.push(send_step(&store, &stack, email).await);
    }
    // A person answers in the thread; a stranger writes about something else.
    stack
        .send(
            "Lead Five <lead5@lead.test>",
            "sales@example.test",
            "Re: Quick question, Alex",
            "Hi, thanks for reaching out. Happy to talk, how about a call on Thursday?",
            "<human.5@lead.test>",
            Some(&mids[4]),
        )
        .await;
    stack
        .send(
            "Someone <someone@elsewhere.test>",
            "sales@example.test",
            "Invoice 2231",
            "Please find attached our invoice.",
            "<stranger.1@elsewhere.test>",
            None,
        )
        .await;

    until(60, "four pauses, two stops and the stranger recorded", || {
        let store = store.clone();
        async move {
            let mut done = 0;
            for i in 1..=4 {
                done += usize::from(status_of(&store, &format!("lead{i}@lead.test")).await == "paused");
            }
            done += usize::from(status_of(&store, "lead5@lead.test").await == "stopped");
            done += usize::from(status_of(&store, "ghost@lead.test").await == "stopped");
            let stranger = store
                .inbound_messages("sales")
                .await
                .expect("inbound")
                .iter()
                .any(|m| {
                    m.message_id
                        .as_deref()
                        .is_some_and(|id| id.contains("stranger.1"))
                });
            done == 6 && stranger
        }
    })
    .await;

    let window = Window::new(
        &[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ],
        chrono::NaiveTime::MIN,
        None,
    )
    .expect("window");
    for (i, (lang, _, _)) in texts.iter().enumerate() {
        let email = format!("lead{}@lead.test", i + 1);
        let row = store.enrollment("outreach", &email).await.expect("row");
        match row.state().expect("state") {
            LeadState::Paused { pause, .. } => {
                assert_eq!(pause.return_date, Some(back[i]), "{lang}: return date");
                assert_eq!(
                    pause.resume_at,
                    Some(ooo_resume_at(back[i], 1, &window, chrono_tz::Europe::Berlin)),
                    "{lang}: resume at"
                );
                assert_eq!(pause.reason.as_str(), "out_of_office", "{lang}");
                assert_eq!(pause.source.as_str(), "auto", "{lang}");
                let events = store.events(row.id).await.expect("events");
                let last = events.last().expect("event");
                assert_eq!(last.actor, "auto");
                assert!(last.rule.is_some(), "{lang}: the rule is recorded");
                assert!(last.message_id.is_some(), "{lang}: the message is recorded");
            }
            other => panic!("{lang}: expected paused, got {other:?}"),
        }
    }
    let five = store
        .enrollment("outreach", "lead5@lead.test")
        .await
        .expect("row");
    assert_eq!(five.stop_reason.as_deref(), Some("replied"));
    let ghost = store
        .enrollment("outreach", "ghost@lead.test")
        .await
        .expect("row");
    assert_eq!(ghost.stop_reason.as_deref(), Some("bounced"));
    let inbound = store.inbound_messages("sales").await.expect("inbound");
    let bounce = inbound
        .iter()
        .find(|m| m.category.as_deref() == Some("bounce"))
        .expect("the bounce is recorded");
    assert_eq!(bounce.matched_by.as_deref(), Some("recipient"));
    let stranger = inbound
        .iter()
        .find(|m| {
            m.message_id
                .as_deref()
                .is_some_and(|id| id.contains("stranger.1"))
        })
        .expect("stranger");
    assert_eq!(stranger.enrollment_id, None);
    assert_eq!(stranger.lead_id, None);
    // lead6 got no reply and is untouched.
    assert_eq!(status_of(&store, "lead6@lead.test").await, "in_progress");
    watcher.stop().await;
    // The bounced address is suppressed: a claim for it is refused.
    let suppressed: i64 = count(
        &store,
        "SELECT COUNT(*) FROM suppressions WHERE email = 'ghost@lead.test'",
    )
    .await;
    assert_eq!(suppressed, 1);
    drop(stack);
    db.cleanup().await;
}

async fn count(store: &Store, sql: &str) -> i64 {
    store.query_i64(sql).await.expect("count")
}

/// Human replies from `n` leads, in the thread of our step.
async fn human_replies(stack: &Stack, mids: &[String], range: std::ops::Range<usize>) {
    for i in range {
        stack
            .send(
                &format!("lead{}@lead.test", i + 1),
                "sales@example.test",
                "Re: Quick question, Alex",
                "Thanks, interesting. Could you send me the pricing sheet?",
                &format!("<reply.{i}@lead.test>"),
                Some(&mids[i]),
            )
            .await;
    }
}

async fn stopped_count(store: &Store) -> i64 {
    count(store, "SELECT COUNT(*) FROM enrollments WHERE status = 'stopped'").await
}

async fn restart_mid_stream(db: TestDb) {
    const N: usize = 40;
    let stack = Stack::start(N);
    let store = db.store.clone();
    let leads: Vec<String> = (1..=N).map(|i| format!("lead{i}@lead.test")).collect();
    setup(&store, &leads).await;
    let mut mids = Vec::new();
    for email in &leads {
        mids.push(send_step(&store, &stack, email).await);
    }
    let watcher = Watcher::start(&stack, &db);
    human_replies(&stack, &mids, 0..N / 2).await;
    until(60, "some replies ingested", || {
        let store = store.clone();
        async move { stopped_count(&store).await >= 5 }
    })
    .await;
    // Restart in the middle of the stream, while the rest keeps arriving.
    watcher.stop().await;
    let sender = async { human_replies(&stack, &mids, N / 2..N).await };
    let restarted = async { Watcher::start(&stack, &db) };
    let ((), watcher) = tokio::join!(sender, restarted);
    until(90, "every reply applied", || {
        let store = store.clone();
        async move { stopped_count(&store).await == N as i64 }
    })
    .await;
    watcher.stop().await;
    let inbound = count(&store, "SELECT COUNT(*) FROM inbound_messages").await;
    let stops = count(&store, "SELECT COUNT(*) FROM events WHERE kind = 'stop'").await;
    let refused = count(
        &store,
        "SELECT COUNT(*) FROM inbound_messages WHERE action LIKE '%refused%'",
    )
    .await;
    assert_eq!(inbound, N as i64, "each reply recorded once");
    assert_eq!(stops, N as i64, "each stop applied once");
    assert_eq!(refused, 0);
    drop(stack);
    db.cleanup().await;
}

async fn dovecot_outage(db: TestDb) {
    const N: usize = 6;
    let stack = Stack::start(N);
    let store = db.store.clone();
    let leads: Vec<String> = (1..=N).map(|i| format!("lead{i}@lead.test")).collect();
    setup(&store, &leads).await;
    let mut mids = Vec::new();
    for email in &leads {
        mids.push(send_step(&store, &stack, email).await);
    }
    let watcher = Watcher::start(&stack, &db);
    human_replies(&stack, &mids, 0..2).await;
    until(30, "the first replies", || {
        let store = store.clone();
        async move { stopped_count(&store).await == 2 }
    })
    .await;
    stack.stop_imap();
    let down_since = Instant::now();
    // Postfix queues these while Dovecot (LMTP) is down and delivers them when it is back.
    human_replies(&stack, &mids, 2..N).await;
    // The outage itself is the scenario: thirty seconds without IMAP.
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(down_since.elapsed())).await;
    assert_eq!(
        stopped_count(&store).await,
        2,
        "nothing can arrive while Dovecot is down"
    );
    stack.start_imap();
    until(90, "every reply after the outage", || {
        let store = store.clone();
        async move { stopped_count(&store).await == N as i64 }
    })
    .await;
    watcher.stop().await;
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM inbound_messages").await,
        N as i64
    );
    drop(stack);
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_end_to_end_sqlite() {
    replies_end_to_end(sqlite_db().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_end_to_end_postgres() {
    replies_end_to_end(pg_db().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_mid_stream_loses_none_applies_none_twice_postgres() {
    restart_mid_stream(pg_db().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_mid_stream_loses_none_applies_none_twice_sqlite() {
    restart_mid_stream(sqlite_db().await).await;
}

/// The polling fallback (a server without IDLE), against the real Dovecot with IDLE taken out of
/// its capabilities: a reply still acts within the mailbox's `poll_interval` (1 s here), plus
/// the time Postfix and Dovecot take to deliver it.
// See: #11 (the fallback had never run in a test).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r11_without_idle_a_reply_acts_within_the_poll_interval() {
    let db = sqlite_db().await;
    let stack = Stack::start_without_idle(2);
    let store = db.store.clone();
    let leads: Vec<String> = (1..=2).map(|i| format!("lead{i}@lead.test")).collect();
    setup(&store, &leads).await;
    let mut mids = Vec::new();
    for email in &leads {
        mids.push(send_step(&store, &stack, email).await);
    }
    let cfg = stack.config(&db.url);
    let poll_interval = cfg.mailboxes[0].poll_interval;
    let client = cadenced::imap::ImapClient::connect(&cfg.mailboxes[0].imap)
        .await
        .expect("imap login");
    assert!(!client.has_idle(), "the stack must not advertise IDLE");
    drop(client);
    let watcher = Watcher::start(&stack, &db);
    // The first reply shows the watcher is up and through its backlog.
    human_replies(&stack, &mids, 0..1).await;
    until(30, "the first reply", || {
        let store = store.clone();
        async move { stopped_count(&store).await == 1 }
    })
    .await;
    // The second, timed from Postfix accepting it.
    human_replies(&stack, &mids, 1..2).await;
    let accepted = Instant::now();
    // Delivery (Postfix -> LMTP -> Maildir) takes a moment on a busy machine; the watcher
    // itself waits at most one poll interval.
    let slack = Duration::from_secs(3);
    until((poll_interval + slack).as_secs() + 1, "the second reply", || {
        let store = store.clone();
        async move { stopped_count(&store).await == 2 }
    })
    .await;
    let took = accepted.elapsed();
    assert!(
        took <= poll_interval + slack,
        "acted on after {took:?}, poll interval {poll_interval:?}"
    );
    watcher.stop().await;
    drop(stack);
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dovecot_down_30s_loses_no_reply_sqlite() {
    dovecot_outage(sqlite_db().await).await;
}
