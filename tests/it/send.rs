//! Mail out, end to end: the daemon's scheduler sends steps through a real Postfix into real
//! Dovecot Maildirs, with a fake clock inside the process for time.

use std::sync::Arc;
use std::time::Duration;

use cadenced::clock::FakeClock;
use cadenced::config::Config;
use cadenced::context::Context;
use cadenced::db::{Cause, NewLead, Store};
use cadenced::domain::lead::{Event, LeadState, Pause, PauseReason, Source};
use chrono::{DateTime, TimeZone, Utc};
use tokio_util::task::TaskTracker;

use crate::store::{sqlite_db, TestDb};
use crate::support::campaign::{Campaign, WEEKDAYS};
use crate::support::mailstack::{header, MailStack, PASSWORD};

/// A running in-process daemon against a real mail stack.
struct Running {
    stack: MailStack,
    db: TestDb,
    clock: FakeClock,
    daemon: Context,
    tracker: TaskTracker,
    _dir: tempfile::TempDir,
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
}

fn config(stack: &MailStack, dir: &std::path::Path, db_url: &str) -> Config {
    let pass = dir.join("sales.pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).expect("password file");
    let text = format!(
        r#"state_dir = "{dir}"
[database]
url = "{db_url}"
[daemon]
max_idle = "100ms"
[[mailbox]]
name = "sales"
address = "sales@example.test"
display_name = "Sam Sales"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "sales@example.test", password_file = "{pass}" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none" }}
[[mailbox]]
name = "marketing"
address = "hello@example.test"
display_name = "Hannah Hello"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "hello@example.test", password_file = "{pass}" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none" }}
"#,
        dir = dir.display(),
        imap = stack.imap_port(),
        smtp = stack.smtp_port(),
        pass = pass.display(),
    );
    Config::parse(&dir.join("config.toml"), &text).expect("config")
}

async fn start(n_leads: usize, campaign: &Campaign, now: DateTime<Utc>) -> Running {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("cadenced=debug"))
        .with_test_writer()
        .try_init();
    let stack = tokio::task::spawn_blocking(move || {
        let stack = MailStack::start(n_leads);
        stack.add_user("hello@example.test");
        stack
    })
    .await
    .expect("stack");
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sqlite_db().await;
    let cfg = config(&stack, dir.path(), &db.url);
    let id = campaign.apply(&db.store, now).await;
    let leads: Vec<NewLead> = (1..=n_leads)
        .map(|i| NewLead {
            email: format!("lead{i}@lead.test"),
            first_name: Some(format!("Lead{i}")),
            last_name: Some("Tester".into()),
            company: Some(format!("Company {i}")),
            timezone: None,
            fields: Default::default(),
        })
        .collect();
    db.store
        .import_leads(id, &leads, now, |_| {})
        .await
        .expect("import");
    let clock = FakeClock::new(now);
    let daemon = Context::new(cfg, db.store.clone(), Arc::new(clock.clone())).expect("rules load");
    let tracker = TaskTracker::new();
    cadenced::daemon::spawn_tasks(&daemon, &tracker);
    Running {
        stack,
        db,
        clock,
        daemon,
        tracker,
        _dir: dir,
    }
}

impl Running {
    fn store(&self) -> &Store {
        &self.db.store
    }

    /// Moves the fake clock and wakes the scheduler.
    fn set_time(&self, t: DateTime<Utc>) {
        self.clock.set(t);
        self.daemon.wake.notify_one();
    }

    async fn state(&self, campaign: &str, email: &str) -> LeadState {
        self.store()
            .enrollment(campaign, email)
            .await
            .expect("row")
            .state()
            .expect("state")
    }

    /// Waits (bounded) until `cond` holds on the database, waking the scheduler meanwhile.
    async fn until<F, Fut>(&self, what: &str, mut cond: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        crate::support::until(30, what, || {
            self.daemon.wake.notify_one();
            cond()
        })
        .await;
    }

    /// Stops the daemon's tasks, as a crash or a stop of the process would.
    async fn halt(&mut self) {
        self.daemon.token.cancel();
        self.tracker.close();
        tokio::time::timeout(Duration::from_secs(30), self.tracker.wait())
            .await
            .expect("daemon drained");
    }

    /// Starts the daemon's tasks again, as a new process would.
    fn boot(&mut self) {
        self.daemon = Context::new(
            (*self.daemon.cfg).clone(),
            self.db.store.clone(),
            Arc::new(self.clock.clone()),
        )
        .expect("rules load");
        self.tracker = TaskTracker::new();
        cadenced::daemon::spawn_tasks(&self.daemon, &self.tracker);
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
}

/// Three steps on weekdays 09:00-17:00, the second in the thread of the first.
fn three_steps() -> Campaign {
    Campaign::new("e2e")
        .window(WEEKDAYS, "09:00", "17:00")
        .step(
            "0s",
            "Hello {{first_name}}",
            "Hi {{first_name}}, a question about {{company}}.",
        )
        .follow_up("2d", "Following up, {{first_name}}.")
        .step("3d", "Last note for {{company}}", "Bye {{first_name}}.")
}

#[tokio::test]
async fn three_steps_go_out_in_the_window_and_a_pause_keeps_the_remaining_delay() {
    // Monday 30 November 2026, 08:00 UTC: the window opens at 09:00.
    let monday_8 = utc("2026-11-30T08:00:00Z");
    let run = start(5, &three_steps(), monday_8).await;
    run.store()
        .launch_campaign("e2e", monday_8)
        .await
        .expect("launch");
    run.daemon.wake.notify_one();
    // Outside the window nothing goes out: every lead is deferred to the opening.
    run.until("leads deferred to 09:00", || async {
        let mut n = 0;
        for i in 1..=5 {
            let row = run
                .store()
                .enrollment("e2e", &format!("lead{i}@lead.test"))
                .await
                .expect("row");
            n += usize::from(row.status == "launch");
        }
        let sends = run.store().sends_since("sales", monday_8).await.expect("count");
        n == 5 && sends == 0
    })
    .await;
    assert!(run.stack.maildir_messages("lead1").is_empty());

    let monday_9 = utc("2026-11-30T09:00:00Z");
    run.set_time(monday_9);
    for i in 1..=5 {
        let msgs = run
            .stack
            .wait_for_messages(&format!("lead{i}"), 1, Duration::from_secs(30))
            .await;
        let raw = String::from_utf8_lossy(&msgs[0]).into_owned();
        assert_eq!(header(&raw, "Subject"), Some(format!("Hello Lead{i}")));
        assert!(
            header(&raw, "Message-ID").is_some_and(|m| m.ends_with("@example.test>")),
            "{raw}"
        );
        assert!(header(&raw, "In-Reply-To").is_none());
    }
    run.until("every first step recorded", || async {
        let mut ok = 0;
        for i in 1..=5 {
            ok += usize::from(matches!(
                run.state("e2e", &format!("lead{i}@lead.test")).await,
                LeadState::InProgress { steps_sent: 1, .. }
            ));
        }
        ok == 5
    })
    .await;
    let lead2 = run
        .store()
        .enrollment("e2e", "lead2@lead.test")
        .await
        .expect("row");
    let step1_at = match lead2.state().expect("state") {
        LeadState::InProgress {
            countdown: cadenced::domain::lead::Countdown::Running { next_send_at },
            ..
        } => next_send_at - chrono::Duration::days(2),
        other => panic!("{other:?}"),
    };
    assert_eq!(step1_at, monday_9, "sent at the opening");

    // Lead 2 is paused by hand on Monday at 12:00: 1 day 21 hours are left before step 2.
    // Every step sent is also stored in the sender's Sent folder (IMAP APPEND).
    let first = String::from_utf8_lossy(&run.stack.maildir_messages("lead1")[0]).into_owned();
    let message_id = header(&first, "Message-ID").expect("message id").to_string();
    let imap = run.daemon.cfg.mailbox("sales").expect("mailbox").imap.clone();
    let mut client = cadenced::imap::ImapClient::connect(&imap).await.expect("imap");
    assert!(
        client.find_message_id("Sent", &message_id).await.expect("search"),
        "{message_id} in Sent"
    );
    client.logout().await;
    let monday_12 = utc("2026-11-30T12:00:00Z");
    run.clock.set(monday_12);
    let pause = Event::Pause(Pause {
        paused_at: monday_12,
        source: Source::Operator,
        reason: PauseReason::Manual,
        resume_at: None,
        return_date: None,
        note: None,
        message_id: None,
    });
    run.store()
        .transition(lead2.id, &pause, &Cause::operator(None), monday_12)
        .await
        .expect("db")
        .expect("pause");

    // Wednesday 09:00: step 2 goes to everyone but lead 2, in the same thread.
    run.set_time(utc("2026-12-02T09:00:00Z"));
    for i in [1, 3, 4, 5] {
        let msgs = run
            .stack
            .wait_for_messages(&format!("lead{i}"), 2, Duration::from_secs(30))
            .await;
        let first = String::from_utf8_lossy(&msgs[0]).into_owned();
        let second = String::from_utf8_lossy(&msgs[1]).into_owned();
        let (a, b) = if header(&first, "In-Reply-To").is_some() {
            (&second, &first)
        } else {
            (&first, &second)
        };
        assert_eq!(header(b, "Subject"), Some(format!("Re: Hello Lead{i}")));
        assert_eq!(
            header(b, "In-Reply-To"),
            header(a, "Message-ID"),
            "step 2 replies to step 1"
        );
        assert_eq!(header(b, "References"), header(a, "Message-ID"));
    }
    run.until("step 2 recorded for the four", || async {
        run.store().sends_since("sales", monday_8).await.expect("count") == 9
    })
    .await;
    assert_eq!(
        run.stack.maildir_messages("lead2").len(),
        1,
        "nothing after a pause"
    );

    // Resumed on Thursday 10:00: step 2 is due 1 day 21 hours later, Saturday 07:00, which is
    // outside the window: it goes out on Monday at 09:00.
    let thursday_10 = utc("2026-12-03T10:00:00Z");
    run.clock.set(thursday_10);
    let resume = Event::Resume {
        at: thursday_10,
        source: Source::Operator,
        campaign_paused: false,
    };
    run.store()
        .transition(lead2.id, &resume, &Cause::operator(None), thursday_10)
        .await
        .expect("db")
        .expect("resume");
    match run.state("e2e", "lead2@lead.test").await {
        LeadState::InProgress {
            countdown: cadenced::domain::lead::Countdown::Running { next_send_at },
            ..
        } => {
            assert_eq!(next_send_at, utc("2026-12-05T07:00:00Z"));
        }
        other => panic!("{other:?}"),
    }
    run.set_time(utc("2026-12-05T07:00:00Z"));
    run.until("deferred to Monday's opening", || async {
        let due = run
            .store()
            .due_for_mailbox("sales", utc("2026-12-05T07:00:00Z"), 100)
            .await
            .expect("due");
        due.iter().all(|d| d.row.email != "lead2@lead.test")
    })
    .await;
    assert_eq!(
        run.stack.maildir_messages("lead2").len(),
        1,
        "nothing on a Saturday"
    );
    run.set_time(utc("2026-12-07T09:00:00Z"));
    run.stack
        .wait_for_messages("lead2", 2, Duration::from_secs(30))
        .await;
    run.stop().await;
}

/// Always open, two steps an hour apart.
fn always_open(name: &str) -> Campaign {
    Campaign::new(name)
        .step("0s", "Hello {{first_name}}", "Hi.")
        .step("1h", "Again {{first_name}}", "Hi again.")
}

#[tokio::test]
async fn pauses_committed_before_the_claim_always_win() {
    let n = 40;
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
        .single()
        .expect("time");
    let run = start(n, &always_open("race"), t0).await;
    run.store().launch_campaign("race", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    run.until("first step to everyone", || async {
        run.store().sends_since("sales", t0).await.expect("count") == n as i64
    })
    .await;
    run.until("first steps recorded", || async {
        let mut ok = 0;
        for i in 1..=n {
            ok += usize::from(matches!(
                run.state("race", &format!("lead{i}@lead.test")).await,
                LeadState::InProgress { .. }
            ));
        }
        ok == n
    })
    .await;
    // Step 2 falls due for everyone at once while half of them are paused as fast as possible.
    let t1 = t0 + chrono::Duration::hours(2);
    run.set_time(t1);
    let mut paused = Vec::new();
    for i in (1..=n).step_by(2) {
        let row = run
            .store()
            .enrollment("race", &format!("lead{i}@lead.test"))
            .await
            .expect("row");
        let pause = Event::Pause(Pause {
            paused_at: t1,
            source: Source::Operator,
            reason: PauseReason::Manual,
            resume_at: None,
            return_date: None,
            note: None,
            message_id: None,
        });
        let result = run
            .store()
            .transition(row.id, &pause, &Cause::operator(None), t1)
            .await
            .expect("db");
        if result.is_ok() {
            // The pause is acknowledged now: from here on no claim may succeed for this lead.
            let sends_at_pause = run.store().sends_of(row.id).await.expect("sends").len();
            paused.push((i, row.id, sends_at_pause));
        }
    }
    run.until("every send settled", || async {
        run.store()
            .sends_in_state("claimed")
            .await
            .expect("claimed")
            .is_empty()
            && run.store().next_due_at(None).await.expect("due").is_none()
    })
    .await;
    assert!(!paused.is_empty());
    for (i, id, sends_at_pause) in &paused {
        let sends = run.store().sends_of(*id).await.expect("sends");
        assert_eq!(
            sends.len(),
            *sends_at_pause,
            "lead{i}: a step was claimed after its pause was acknowledged"
        );
        let delivered = run
            .stack
            .wait_for_messages(&format!("lead{i}"), sends.len(), Duration::from_secs(30))
            .await;
        assert_eq!(
            delivered.len(),
            sends.len(),
            "lead{i}: every mail delivered is a recorded send, no more"
        );
    }
    // Nothing was sent twice to anyone.
    for i in 1..=n {
        let delivered = run.stack.maildir_messages(&format!("lead{i}"));
        let ids: std::collections::HashSet<String> =
            delivered.iter().filter_map(|m| header(m, "Message-ID")).collect();
        assert_eq!(ids.len(), delivered.len(), "lead{i} got a duplicate");
    }
    run.stop().await;
}

#[tokio::test]
async fn a_send_left_uncertain_by_a_crash_is_never_resent_blindly() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
        .single()
        .expect("time");
    let mut run = start(3, &always_open("race"), t0).await;
    // A process claimed lead1's and lead3's first steps and died before recording them;
    // lead3's had reached the Sent folder, lead1's had not.
    run.halt().await;
    run.store().launch_campaign("race", t0).await.expect("launch");
    let row = run
        .store()
        .enrollment("race", "lead1@lead.test")
        .await
        .expect("row");
    // It held the mailbox's lease, which the next daemon takes over.
    assert!(run
        .store()
        .acquire_lease("sales", "dead-host-1-0", t0, t0 + chrono::Duration::hours(1), t0)
        .await
        .expect("lease"));
    let ghost = run
        .store()
        .claim_send(&row, 0, "sales", "<ghost.1@example.test>", "dead-host-1-0", t0)
        .await
        .expect("db")
        .expect("claimed");
    let row3 = run
        .store()
        .enrollment("race", "lead3@lead.test")
        .await
        .expect("row");
    run.store()
        .claim_send(&row3, 0, "sales", "<ghost.3@example.test>", "dead-host-1-0", t0)
        .await
        .expect("db")
        .expect("claimed");
    let imap = run.daemon.cfg.mailbox("sales").expect("mailbox").imap.clone();
    let mut client = cadenced::imap::ImapClient::connect(&imap).await.expect("imap");
    let copy = "From: sales@example.test\r\nTo: lead3@lead.test\r\nSubject: Hello Lead3\r\nMessage-ID: <ghost.3@example.test>\r\n\r\nHi.\r\n";
    client
        .append_creating("Sent", copy.as_bytes())
        .await
        .expect("append");
    client.logout().await;
    run.boot();
    run.stack
        .wait_for_messages("lead2", 1, Duration::from_secs(30))
        .await;
    run.until("the orphan claim is uncertain", || async {
        run.store()
            .sends_in_state("uncertain")
            .await
            .expect("sends")
            .len()
            == 1
    })
    .await;
    // lead3's send was found in the Sent folder: recorded as sent, never sent again.
    assert!(matches!(
        run.state("race", "lead3@lead.test").await,
        LeadState::InProgress { steps_sent: 1, .. }
    ));
    let lead3 = run
        .store()
        .send_by_message_id("<ghost.3@example.test>")
        .await
        .expect("db")
        .expect("send");
    assert_eq!(lead3.state, "sent");
    run.set_time(t0 + chrono::Duration::hours(3));
    run.until("lead2's second step", || async {
        run.stack.maildir_messages("lead2").len() == 2
    })
    .await;
    // lead3 gets its second step only: the first was settled from the Sent folder.
    run.until("lead3's second step", || async {
        run.stack.maildir_messages("lead3").len() == 1
    })
    .await;
    assert!(
        run.stack.maildir_messages("lead1").is_empty(),
        "an uncertain send is not resent"
    );
    assert!(matches!(
        run.state("race", "lead1@lead.test").await,
        LeadState::Launch
    ));
    // The operator says it never went out: it goes out now, with the Message-ID it was given.
    let send = run
        .store()
        .send_by_message_id(&ghost.message_id)
        .await
        .expect("db")
        .expect("send");
    run.store()
        .resolve_unsent(&send, t0 + chrono::Duration::hours(3))
        .await
        .expect("resolve");
    run.daemon.wake.notify_one();
    let msgs = run
        .stack
        .wait_for_messages("lead1", 1, Duration::from_secs(30))
        .await;
    let raw = String::from_utf8_lossy(&msgs[0]).into_owned();
    assert_eq!(
        header(&raw, "Message-ID").as_deref(),
        Some("<ghost.1@example.test>")
    );
    run.until("lead1 advanced", || async {
        matches!(
            run.state("race", "lead1@lead.test").await,
            LeadState::InProgress { steps_sent: 1, .. }
        )
    })
    .await;
    run.stop().await;
}

/// Always open, three steps two days apart.
fn open_three() -> Campaign {
    Campaign::new("ops")
        .step("0s", "One {{first_name}}", "One.")
        .step("2d", "Two {{first_name}}", "Two.")
        .step("2d", "Three {{first_name}}", "Three.")
}

fn next_send_at(state: &LeadState) -> Option<DateTime<Utc>> {
    match state {
        LeadState::InProgress {
            countdown: cadenced::domain::lead::Countdown::Running { next_send_at },
            ..
        } => Some(*next_send_at),
        _ => None,
    }
}

#[tokio::test]
async fn campaign_pause_resume_set_sender_and_dated_pauses_through_the_daemon() {
    let t0 = utc("2026-12-01T10:00:00Z");
    let run = start(3, &open_three(), t0).await;
    run.store().launch_campaign("ops", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    for i in 1..=3 {
        run.stack
            .wait_for_messages(&format!("lead{i}"), 1, Duration::from_secs(30))
            .await;
    }
    run.until("first steps recorded", || async {
        let mut n = 0;
        for i in 1..=3 {
            n += usize::from(next_send_at(&run.state("ops", &format!("lead{i}@lead.test")).await).is_some());
        }
        n == 3
    })
    .await;

    // Campaign paused an hour later: every countdown freezes with 1 day 23 hours left.
    let t1 = t0 + chrono::Duration::hours(1);
    run.clock.set(t1);
    assert_eq!(run.store().pause_campaign("ops", t1).await.expect("pause"), 3);
    assert_eq!(
        run.store().next_due_at(None).await.expect("due"),
        None,
        "nothing is due while paused"
    );
    run.set_time(t0 + chrono::Duration::days(5));
    // Resumed three days later: step 2 is due exactly 1 day 23 hours after the resume.
    let t2 = t0 + chrono::Duration::days(3);
    run.clock.set(t2);
    assert_eq!(run.store().resume_campaign("ops", t2).await.expect("resume"), 3);
    let due = t2 + chrono::Duration::hours(47);
    assert_eq!(
        next_send_at(&run.state("ops", "lead1@lead.test").await),
        Some(due)
    );
    for i in 1..=3 {
        assert_eq!(
            run.stack.maildir_messages(&format!("lead{i}")).len(),
            1,
            "nothing while the campaign was paused"
        );
    }
    run.set_time(due);
    for i in 1..=3 {
        run.stack
            .wait_for_messages(&format!("lead{i}"), 2, Duration::from_secs(30))
            .await;
    }
    run.until("second steps recorded", || async {
        run.store().sends_in_state("sent").await.expect("sends").len() == 6
    })
    .await;

    // An operator's pause with a date resumes by itself on that date, through the daemon.
    let t3 = due + chrono::Duration::hours(1);
    run.clock.set(t3);
    let lead3 = run
        .store()
        .enrollment("ops", "lead3@lead.test")
        .await
        .expect("row");
    let until = t3 + chrono::Duration::days(10);
    let pause = Event::Pause(Pause {
        paused_at: t3,
        source: Source::Operator,
        reason: PauseReason::Manual,
        resume_at: Some(until),
        return_date: None,
        note: Some("back after the fair".into()),
        message_id: None,
    });
    run.store()
        .transition(lead3.id, &pause, &Cause::operator(None), t3)
        .await
        .expect("db")
        .expect("pause");

    // The sender changes: in-progress leads pause (sender_changed); lead1 is resumed by hand
    // and its third step comes from the new address.
    assert_eq!(
        run.store()
            .set_sender("ops", "marketing", t3)
            .await
            .expect("set sender"),
        2
    );
    let lead1 = run
        .store()
        .enrollment("ops", "lead1@lead.test")
        .await
        .expect("row");
    assert_eq!(lead1.pause_reason.as_deref(), Some("sender_changed"));
    let resume = Event::Resume {
        at: t3,
        source: Source::Operator,
        campaign_paused: false,
    };
    run.store()
        .transition(lead1.id, &resume, &Cause::operator(None), t3)
        .await
        .expect("db")
        .expect("resume");
    run.set_time(t3 + chrono::Duration::days(2));
    let msgs = run
        .stack
        .wait_for_messages("lead1", 3, Duration::from_secs(30))
        .await;
    let third = msgs
        .iter()
        .map(|m| String::from_utf8_lossy(m).into_owned())
        .find(|m| header(m, "Subject").as_deref() == Some("Three Lead1"))
        .expect("third step");
    assert!(
        header(&third, "From").is_some_and(|f| f.contains("hello@example.test")),
        "{third}"
    );
    assert_eq!(
        run.stack.maildir_messages("lead2").len(),
        2,
        "lead2 waits for a person after the sender change"
    );

    // Ten days on, lead3's dated pause lifts by itself with its remaining delay.
    run.set_time(until);
    run.until("lead3 resumed on its date", || async {
        next_send_at(&run.state("ops", "lead3@lead.test").await).is_some()
    })
    .await;
    assert_eq!(
        next_send_at(&run.state("ops", "lead3@lead.test").await),
        Some(until + chrono::Duration::hours(47))
    );
    run.stop().await;
}

#[tokio::test]
async fn daily_cap_and_minimum_gap_pace_the_mailbox() {
    let campaign = Campaign::new("paced")
        .timezone("Europe/Berlin")
        .line("limits = { daily_cap = 2, min_gap = \"10m\" }")
        .step("0s", "Hello {{first_name}}", "Hi.");
    // 10:00 in Berlin on Tuesday 1 December 2026.
    let t0 = utc("2026-12-01T09:00:00Z");
    let run = start(4, &campaign, t0).await;
    run.store().launch_campaign("paced", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    run.until("first send", || async {
        run.store().sends_since("sales", t0).await.expect("n") == 1
    })
    .await;
    // Nine minutes later the gap still holds; at ten the second goes.
    run.set_time(t0 + chrono::Duration::minutes(9));
    run.set_time(t0 + chrono::Duration::minutes(10));
    run.until("second send", || async {
        run.store().sends_since("sales", t0).await.expect("n") == 2
    })
    .await;
    // The cap of two per day holds for the rest of the Berlin day, whatever the gap.
    run.set_time(t0 + chrono::Duration::hours(5));
    run.until("the rest deferred to tomorrow", || async {
        run.store()
            .due_for_mailbox("sales", t0 + chrono::Duration::hours(5), 10)
            .await
            .expect("due")
            .is_empty()
    })
    .await;
    assert_eq!(run.store().sends_since("sales", t0).await.expect("n"), 2);
    // Berlin midnight is 23:00 UTC: the third goes then, the fourth ten minutes later.
    let midnight = utc("2026-12-01T23:00:00Z");
    assert_eq!(run.store().next_due_at(None).await.expect("next"), Some(midnight));
    run.set_time(midnight);
    run.until("third send", || async {
        run.store().sends_since("sales", t0).await.expect("n") == 3
    })
    .await;
    run.set_time(midnight + chrono::Duration::minutes(10));
    run.until("fourth send", || async {
        run.store().sends_since("sales", t0).await.expect("n") == 4
    })
    .await;
    let mut claimed: Vec<i64> = Vec::new();
    for i in 1..=4 {
        let row = run
            .store()
            .enrollment("paced", &format!("lead{i}@lead.test"))
            .await
            .expect("row");
        claimed.extend(
            run.store()
                .sends_of(row.id)
                .await
                .expect("sends")
                .iter()
                .map(|s| s.claimed_at),
        );
    }
    claimed.sort_unstable();
    for pair in claimed.windows(2) {
        assert!(
            pair[1] - pair[0] >= 10 * 60 * 1000,
            "sends closer than the minimum gap: {claimed:?}"
        );
    }
    for i in 1..=4 {
        run.stack
            .wait_for_messages(&format!("lead{i}"), 1, Duration::from_secs(30))
            .await;
    }
    run.stop().await;
}

#[tokio::test]
async fn a_german_vacation_reply_pauses_its_lead_until_return_and_the_rest_go_on() {
    use cadenced::clock::Clock;
    use cadenced::dates::business::add_business_days;
    use cadenced::domain::window::{ooo_resume_at, Window};
    use chrono::Datelike;
    let berlin = chrono_tz::Europe::Berlin;
    let window = Window::new(
        &[
            chrono::Weekday::Mon,
            chrono::Weekday::Tue,
            chrono::Weekday::Wed,
            chrono::Weekday::Thu,
            chrono::Weekday::Fri,
        ],
        chrono::NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
        chrono::NaiveTime::from_hms_opt(18, 0, 0),
    )
    .expect("window");
    // The vacation reply carries the real date, so the test's clock starts at the real time
    // (at the next window opening) and the date in the text lies two weeks ahead of it.
    let real_now = cadenced::clock::SystemClock.now();
    let real_now = DateTime::from_timestamp(real_now.timestamp(), 0).expect("whole seconds");
    let t0 = window.next_open_at_or_after(real_now, berlin);
    let until = (t0.with_timezone(&berlin) + chrono::Duration::days(14)).date_naive();
    let text = format!(
        "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich {}. {} nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an kollegen@lead.test.",
        until.day(),
        crate::ingest::month_name("de", until.month())
    );
    // "bis einschließlich X": back the next business day; the default buffer adds one more.
    let return_date = add_business_days(until, 1);
    let resume_at = ooo_resume_at(return_date, 1, &window, berlin);
    let campaign = Campaign::new("de")
        .timezone("Europe/Berlin")
        .window(WEEKDAYS, "08:00", "18:00")
        .step(
            "0s",
            "Kurze Frage, {{first_name}}",
            "Hallo {{first_name}}, eine kurze Frage zu {{company}}.",
        )
        .follow_up("2d", "Ich wollte kurz nachfassen.")
        .step("3d", "Letzte Nachricht", "Danke, {{first_name}}.");
    let run = start(5, &campaign, t0).await;
    run.stack.vacation("lead2", &text, "Abwesenheitsnotiz");
    run.store().launch_campaign("de", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    for i in 1..=5 {
        run.stack
            .wait_for_messages(&format!("lead{i}"), 1, Duration::from_secs(30))
            .await;
    }
    // The Sieve vacation answer travels back through Postfix and Dovecot; the daemon sees it
    // over IMAP and pauses lead2 until it is back.
    run.until("lead2 paused by its vacation reply", || async {
        matches!(run.state("de", "lead2@lead.test").await, LeadState::Paused { .. })
    })
    .await;
    let row = run
        .store()
        .enrollment("de", "lead2@lead.test")
        .await
        .expect("row");
    assert_eq!(row.pause_source.as_deref(), Some("auto"));
    assert_eq!(row.pause_reason.as_deref(), Some("out_of_office"));
    assert_eq!(row.return_date, Some(return_date.to_string()), "{text}");
    assert_eq!(row.resume_at.map(cadenced::db::rows::from_ms), Some(resume_at));
    let remaining = chrono::Duration::milliseconds(row.remaining_ms.expect("remaining"));
    assert_eq!(
        remaining,
        chrono::Duration::days(2),
        "paused at once: the whole delay is left"
    );
    let events = run.store().events(row.id).await.expect("events");
    let pause = events.iter().find(|e| e.kind == "pause").expect("pause event");
    assert!(
        pause.rule.as_deref().is_some_and(|r| r.starts_with("de-")),
        "{pause:?}"
    );
    assert!(pause.message_id.is_some(), "the event names the reply");

    // Two days on, the others get step 2; lead2 does not.
    let step2 = window.next_open_at_or_after(t0 + chrono::Duration::days(2), berlin);
    run.set_time(step2);
    for i in [1, 3, 4, 5] {
        run.stack
            .wait_for_messages(&format!("lead{i}"), 2, Duration::from_secs(30))
            .await;
    }
    assert_eq!(run.stack.maildir_messages("lead2").len(), 1);

    // At the resume time lead2 goes on, with its two days still ahead of it.
    run.set_time(resume_at);
    run.until("lead2 resumed", || async {
        matches!(
            run.state("de", "lead2@lead.test").await,
            LeadState::InProgress { .. }
        )
    })
    .await;
    let due = match run.state("de", "lead2@lead.test").await {
        LeadState::InProgress {
            countdown: cadenced::domain::lead::Countdown::Running { next_send_at },
            ..
        } => next_send_at,
        other => panic!("{other:?}"),
    };
    assert_eq!(due, resume_at + chrono::Duration::days(2));
    run.set_time(window.next_open_at_or_after(due, berlin));
    let msgs = run
        .stack
        .wait_for_messages("lead2", 2, Duration::from_secs(30))
        .await;
    let second = String::from_utf8_lossy(&msgs[1]).into_owned();
    assert_eq!(
        header(&second, "Subject").as_deref(),
        Some("Re: Kurze Frage, Lead2")
    );
    assert_eq!(
        run.stack.maildir_messages("lead2").len(),
        2,
        "step 2 once, nothing more"
    );
    run.stop().await;
}

#[tokio::test]
async fn smtp_refusals_bounce_retry_or_mark_the_mailbox_unhealthy() {
    let t0 = utc("2026-12-01T10:00:00Z");
    let run = start(3, &always_open("race"), t0).await;
    // A real 5xx and a real 4xx at RCPT time from Postfix.
    let stack = &run.stack;
    stack.refuse_recipient("lead1", "550 5.1.1 mailbox unavailable");
    stack.refuse_recipient("lead2", "451 4.7.1 try again later");
    run.store().launch_campaign("race", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    stack.wait_for_messages("lead3", 1, Duration::from_secs(30)).await;
    run.until("lead1 bounced, lead2 waiting to retry", || async {
        matches!(
            run.state("race", "lead1@lead.test").await,
            LeadState::Stopped { .. }
        ) && run.store().sends_in_state("retry").await.expect("sends").len() == 1
    })
    .await;
    let lead1 = run
        .store()
        .enrollment("race", "lead1@lead.test")
        .await
        .expect("row");
    assert_eq!(lead1.stop_reason.as_deref(), Some("bounced"));
    assert!(
        lead1.note.as_deref().is_some_and(|n| n.contains("550")),
        "{:?}",
        lead1.note
    );
    // A 4xx does not advance the lead; the same step is tried again later, same Message-ID.
    assert!(matches!(
        run.state("race", "lead2@lead.test").await,
        LeadState::Launch
    ));
    let retry = run
        .store()
        .sends_in_state("retry")
        .await
        .expect("sends")
        .remove(0);
    assert!(
        retry.error.as_deref().is_some_and(|e| e.contains("451")),
        "{retry:?}"
    );
    stack.accept_recipient("lead2");
    // Postfix restarts too: pooled connections are served by processes that still hold the
    // old access map, and a restart also shows the transport reconnecting by itself.
    stack.stop_smtp();
    stack.start_smtp();
    run.set_time(t0 + chrono::Duration::seconds(61));
    let msgs = stack.wait_for_messages("lead2", 1, Duration::from_secs(30)).await;
    let raw = String::from_utf8_lossy(&msgs[0]).into_owned();
    assert_eq!(header(&raw, "Message-ID"), Some(retry.message_id.clone()));
    run.until("lead2 advanced", || async {
        matches!(
            run.state("race", "lead2@lead.test").await,
            LeadState::InProgress { steps_sent: 1, .. }
        )
    })
    .await;
    // The bounced address is suppressed: re-enrolled elsewhere, it starts as skipped.
    assert!(run.stack.maildir_messages("lead1").is_empty());
    let second = always_open("second").apply(run.store(), t0).await;
    let again = NewLead {
        email: "lead1@lead.test".into(),
        first_name: Some("Lead1".into()),
        last_name: None,
        company: None,
        timezone: None,
        fields: Default::default(),
    };
    let out = run
        .store()
        .import_leads(second, &[again], t0, |_| {})
        .await
        .expect("import");
    assert_eq!(out.suppressed, 1);
    run.stop().await;
}

#[tokio::test]
async fn a_failing_smtp_login_stops_sending_until_the_password_is_fixed() {
    let t0 = utc("2026-12-01T10:00:00Z");
    let mut run = start(2, &always_open("race"), t0).await;
    run.halt().await;
    // The mailbox logs in to SMTP with a password file that holds the wrong password.
    let dir = run._dir.path().to_path_buf();
    let pass = dir.join("smtp.pass");
    std::fs::write(&pass, "wrong\n").expect("pass");
    let text = format!(
        r#"state_dir = "{dir}"
[database]
url = "{url}"
[daemon]
max_idle = "100ms"
[[mailbox]]
name = "sales"
address = "sales@example.test"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "sales@example.test", password_file = "{dir}/sales.pass" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "starttls", username = "sales@example.test", password_file = "{pass}", ca_file = "{ca}" }}
"#,
        dir = dir.display(),
        url = run.db.url,
        imap = run.stack.imap_port(),
        smtp = run.stack.smtp_port(),
        pass = pass.display(),
        ca = run.stack.ca_file().display(),
    );
    let cfg = Config::parse(&dir.join("config.toml"), &text).expect("config");
    run.daemon = Context::new(cfg, run.db.store.clone(), Arc::new(run.clock.clone())).expect("rules");
    run.tracker = TaskTracker::new();
    cadenced::daemon::spawn_tasks(&run.daemon, &run.tracker);
    run.store().launch_campaign("race", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    run.until("the mailbox is marked unhealthy", || async {
        !run.store().mailbox_health("sales").await.expect("health").0
    })
    .await;
    let (_, error) = run.store().mailbox_health("sales").await.expect("health");
    assert!(error.as_deref().is_some_and(|e| e.contains("535")), "{error:?}");
    // Nothing goes out and nobody advances while it is unhealthy.
    run.set_time(t0 + chrono::Duration::seconds(10));
    assert!(run.stack.maildir_messages("lead1").is_empty() && run.stack.maildir_messages("lead2").is_empty());
    assert!(matches!(
        run.state("race", "lead1@lead.test").await,
        LeadState::Launch
    ));
    // The operator fixes the password file; the next probe logs in and sending resumes.
    std::fs::write(&pass, "secret\n").expect("pass");
    run.set_time(t0 + chrono::Duration::seconds(45));
    run.until("healthy again", || async {
        run.store().mailbox_health("sales").await.expect("health").0
    })
    .await;
    run.set_time(t0 + chrono::Duration::seconds(120));
    run.stack
        .wait_for_messages("lead1", 1, Duration::from_secs(30))
        .await;
    run.stack
        .wait_for_messages("lead2", 1, Duration::from_secs(30))
        .await;
    run.stop().await;
}

/// Replies that came while no daemon watched the mailbox are read before anything more is
/// sent from it: a lead who answered during the downtime gets no further step.
#[tokio::test]
async fn replies_that_came_while_no_daemon_ran_act_before_the_next_step() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
        .single()
        .expect("time");
    let mut run = start(4, &always_open("race"), t0).await;
    run.store().launch_campaign("race", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    let mut firsts = Vec::new();
    for i in 1..=4 {
        let msgs = run
            .stack
            .wait_for_messages(&format!("lead{i}"), 1, Duration::from_secs(30))
            .await;
        firsts.push(crate::support::mailstack::header(&msgs[0], "Message-ID").expect("Message-ID"));
    }
    run.until("every first step recorded", || async {
        let mut all = true;
        for i in 1..=4 {
            all &= run
                .state("race", &format!("lead{i}@lead.test"))
                .await
                .steps_sent()
                == 1;
        }
        all
    })
    .await;
    // The daemon stops; lead1 and lead2 answer meanwhile; step 2 falls due for everyone.
    run.halt().await;
    for i in 1..=2 {
        run.stack
            .send_reply(
                &format!("lead{i}@lead.test"),
                "sales@example.test",
                &format!("<answer.{i}@lead.test>"),
                &firsts[i - 1],
                "Thanks, but we are happy with what we have. Please take us off your list.",
            )
            .await;
    }
    run.stack
        .wait_for_messages("sales", 2, Duration::from_secs(30))
        .await;
    run.clock.set(t0 + chrono::Duration::hours(2));
    run.boot();
    for i in 3..=4 {
        run.stack
            .wait_for_messages(&format!("lead{i}"), 2, Duration::from_secs(30))
            .await;
    }
    for i in 1..=2 {
        let email = format!("lead{i}@lead.test");
        let row = run.store().enrollment("race", &email).await.expect("row");
        let sends = run.store().sends_of(row.id).await.expect("sends");
        assert_eq!(sends.len(), 1, "{email} answered while no daemon ran: {sends:?}");
        assert_eq!(row.status, "stopped", "{email}");
    }
    run.stop().await;
}

#[tokio::test]
async fn r11_stale_pauses_stop_through_the_daemon_when_the_campaign_says_so() {
    // See: #11 (`stale_action = "stop"` was parsed and documented, and nothing did it).
    let campaign = open_three()
        .policy("stale_after = \"30d\"")
        .policy("stale_action = \"stop\"");
    let t0 = utc("2026-12-01T10:00:00Z");
    let run = start(3, &campaign, t0).await;
    run.store().launch_campaign("ops", t0).await.expect("launch");
    run.daemon.wake.notify_one();
    run.until("first steps recorded", || async {
        run.store().sends_in_state("sent").await.expect("sends").len() == 3
    })
    .await;
    // An hour later lead1 is paused by hand without a date, lead2 until a date two months on.
    let t1 = t0 + chrono::Duration::hours(1);
    run.clock.set(t1);
    for (lead, resume_at) in [(1, None), (2, Some(t0 + chrono::Duration::days(60)))] {
        let row = run
            .store()
            .enrollment("ops", &format!("lead{lead}@lead.test"))
            .await
            .expect("row");
        let pause = Event::Pause(Pause {
            paused_at: t1,
            source: Source::Operator,
            reason: PauseReason::Manual,
            resume_at,
            return_date: None,
            note: None,
            message_id: None,
        });
        run.store()
            .transition(row.id, &pause, &Cause::operator(None), t1)
            .await
            .expect("db")
            .expect("pause");
    }
    let stopped = |state: &LeadState| {
        matches!(
            state,
            LeadState::Stopped {
                reason: cadenced::domain::lead::StopReason::StalePause,
                ..
            }
        )
    };
    // 29 days on, the scheduler goes round (lead3 gets its second step) and stops nobody.
    run.set_time(t1 + chrono::Duration::days(29));
    run.stack
        .wait_for_messages("lead3", 2, Duration::from_secs(30))
        .await;
    run.until("lead3's second step recorded", || async {
        run.store().sends_in_state("sent").await.expect("sends").len() == 4
    })
    .await;
    assert!(matches!(
        run.state("ops", "lead1@lead.test").await,
        LeadState::Paused { .. }
    ));
    // Past 30 days: the dateless pause is stale and stopped; the dated one stays.
    run.set_time(t1 + chrono::Duration::days(31));
    run.until("lead1 stopped as a stale pause", || async {
        stopped(&run.state("ops", "lead1@lead.test").await)
    })
    .await;
    assert!(matches!(
        run.state("ops", "lead2@lead.test").await,
        LeadState::Paused { .. }
    ));
    let lead1 = run
        .store()
        .enrollment("ops", "lead1@lead.test")
        .await
        .expect("row");
    let events = run.store().events(lead1.id).await.expect("events");
    let last = events.last().expect("event");
    assert_eq!(last.kind, "stop");
    assert!(
        last.note
            .as_deref()
            .is_some_and(|n| n.contains("without a resume date")),
        "{last:?}"
    );
    run.stop().await;
}
