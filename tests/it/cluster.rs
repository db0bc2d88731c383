//! Several daemons on one PostgreSQL, through the real mail stack: the mailboxes are divided
//! between them by leases, a daemon killed with SIGKILL mid-run has its mailbox taken over,
//! and every mail goes out exactly once and every reply is applied exactly once.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use cadenced::clock::{Clock, SystemClock};
use chrono::Datelike;

use crate::store::pg_db;
use crate::support::campaign::Campaign;
use crate::support::daemon::{cli_ok, enroll, write_config, DaemonProcess, TestMailbox};
use crate::support::mailstack::{header, MailStack};
use crate::support::{lazy, until};

/// Leads per campaign; one campaign per mailbox.
const PER_CAMPAIGN: usize = 40;

const MAILBOXES: [TestMailbox<'static>; 3] = [
    TestMailbox {
        name: "sales",
        address: "sales@example.test",
    },
    TestMailbox {
        name: "hello",
        address: "hello@example.test",
    },
    TestMailbox {
        name: "team",
        address: "team@example.test",
    },
];

fn campaign(name: &str, mailbox: &str) -> String {
    Campaign::new(name)
        .mailbox(mailbox)
        .timezone("Europe/Berlin")
        .line("limits = { min_gap = \"0s\" }")
        .step(
            "0s",
            "Quick question, {{first_name}}",
            "Hi {{first_name}}, may I ask you something about your team?",
        )
        // The gaps leave a reply time to arrive before the last step even on a loaded
        // machine (at 8 s, one CI run under load saw a lead complete before its
        // out-of-office reply was read, and the reply then had nothing to pause).
        .follow_up("15s", "Following up, {{first_name}}.")
        .step("15s", "Last note, {{first_name}}", "I will not write again.")
        .toml()
}

/// What a lead does after our first step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// A person writes back: the lead stops.
    Human,
    /// An out-of-office with a return date: the lead pauses.
    Away,
    /// No answer: all three steps go out.
    Silent,
}

fn answer(lead: usize) -> Answer {
    match lead % 4 {
        0 => Answer::Human,
        1 => Answer::Away,
        _ => Answer::Silent,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_daemons_on_one_postgres_survive_a_sigkill_and_send_each_step_once() {
    let started = Instant::now();
    let n_leads = PER_CAMPAIGN * MAILBOXES.len();
    let stack = tokio::task::spawn_blocking(move || {
        let stack = MailStack::start(n_leads);
        stack.add_user("hello@example.test");
        stack.add_user("team@example.test");
        stack
    })
    .await
    .expect("stack");
    let db = pg_db().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &stack, &db.url, &MAILBOXES, "lease_ttl = \"3s\"");

    // One campaign per mailbox, 40 leads each, launched before any daemon runs.
    for (c, mb) in MAILBOXES.iter().enumerate() {
        let name = format!("c{}", mb.name);
        let mut csv = String::from("email,first_name\n");
        for i in c * PER_CAMPAIGN + 1..=(c + 1) * PER_CAMPAIGN {
            csv.push_str(&format!("lead{i}@lead.test,Lead{i}\n"));
        }
        enroll(&config, dir.path(), &name, &campaign(&name, mb.name), &csv);
        cli_ok(&config, &["campaign", "launch", &name]);
    }

    let mut daemons: Vec<DaemonProcess> = (1..=3)
        .map(|i| DaemonProcess::start(&config, &format!("daemon {i}")))
        .collect();

    // The three divide the three mailboxes between them, one each.
    let logs = || {
        daemons
            .iter()
            .map(|d| d.log())
            .collect::<Vec<_>>()
            .join("\n----\n")
    };
    until(
        30,
        lazy(|| format!("the daemons to take one mailbox each\n{}", logs())),
        || async {
            let rows = db.store.mailboxes().await.expect("mailboxes");
            let holders: HashSet<&str> = rows.iter().filter_map(|r| r.lease_holder.as_deref()).collect();
            rows.len() == 3 && rows.iter().all(|r| r.lease_holder.is_some()) && holders.len() == 3
        },
    )
    .await;

    // The operator sees the same division.
    let listed = cli_ok(&config, &["mailboxes", "--json"]);
    let pids: HashSet<i64> = listed
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json line");
            v["holder_pid"]
                .as_i64()
                .unwrap_or_else(|| panic!("no holder in {l}"))
        })
        .collect();
    let ours: HashSet<i64> = daemons.iter().map(|d| i64::from(d.pid())).collect();
    assert_eq!(pids, ours, "{listed}");

    // Replies: as each lead's first step arrives, it answers (or not).
    let year = SystemClock.now().year() + 1;
    let mut replies: HashMap<usize, String> = HashMap::new();
    let mut killed: Option<(u32, String)> = None;
    let mut resolved: HashMap<&str, usize> = HashMap::new();
    // Mid-run, while the holder of `sales` has sends in flight, SIGKILL it.
    let pids: Vec<u32> = daemons.iter().map(DaemonProcess::pid).collect();
    let mut killer = tokio::spawn(kill_sales_holder_mid_send(db.store.clone(), pids));
    let deadline = Instant::now() + Duration::from_secs(150);
    loop {
        for lead in 1..=n_leads {
            let msgs = stack.maildir_messages(&format!("lead{lead}"));
            let Some(first) = msgs.first() else {
                continue;
            };
            if replies.contains_key(&lead) || answer(lead) == Answer::Silent {
                continue;
            }
            let parent = header(first, "Message-ID").expect("our step has a Message-ID");
            let to = header(first, "From").expect("From");
            let to = to
                .rsplit('<')
                .next()
                .unwrap_or(&to)
                .trim_end_matches('>')
                .to_string();
            let mid = format!("<reply.{lead}.{}@lead.test>", std::process::id());
            let body = match answer(lead) {
                Answer::Human => "Thanks, but we are not looking for this right now.".to_string(),
                _ => format!(
                    "Thank you for your message. I am out of the office until March 16, {year} \
                     with no access to email."
                ),
            };
            stack
                .send_reply(&format!("lead{lead}@lead.test"), &to, &mid, &parent, &body)
                .await;
            replies.insert(lead, mid);
        }
        // Reap the killed daemon as systemd would (a zombie still looks alive).
        for d in daemons.iter_mut() {
            d.is_running();
        }
        if killed.is_none() && killer.is_finished() {
            killed = Some((&mut killer).await.expect("killer"));
        }
        if killed.is_some() && settled(&db.store, &replies).await {
            // Sends the kill left uncertain wait for a person; settle them as an operator
            // would, from what actually reached the lead.
            let open = db.store.sends_in_state("uncertain").await.expect("sends");
            if open.is_empty() && replies.len() == n_leads / 2 {
                break;
            }
            for send in open {
                let lead = send.email.split('@').next().expect("local part").to_string();
                let delivered = stack
                    .maildir_messages(&lead)
                    .iter()
                    .any(|m| header(m, "Message-ID").as_deref() == Some(send.message_id.as_str()));
                let how = if delivered { "--sent" } else { "--not-sent" };
                cli_ok(&config, &["sends", "resolve", how, &send.message_id]);
                *resolved.entry(how).or_insert(0) += 1;
            }
        }
        assert!(
            Instant::now() < deadline,
            "not settled in time ({} replies sent)\n{}",
            replies.len(),
            daemons
                .iter()
                .map(|d| d.log())
                .collect::<Vec<_>>()
                .join("\n----\n")
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (killed_pid, killed_id) = killed.expect("one daemon was killed");

    // Its mailbox was taken over by a survivor.
    let rows = db.store.mailboxes().await.expect("mailboxes");
    let sales = rows.iter().find(|r| r.mailbox == "sales").expect("sales");
    assert!(
        sales.lease_holder.as_deref().is_some_and(|h| h != killed_id),
        "{rows:?}"
    );

    // Every mail went out exactly once: each step recorded sent is in the lead's Maildir
    // once, nothing else of ours is there, no step twice.
    let sends = all_sends(&db.store).await;
    for lead in 1..=n_leads {
        let email = format!("lead{lead}@lead.test");
        let delivered: Vec<String> = stack
            .maildir_messages(&format!("lead{lead}"))
            .iter()
            .filter_map(|m| header(m, "Message-ID"))
            .collect();
        let distinct: HashSet<&String> = delivered.iter().collect();
        assert_eq!(
            distinct.len(),
            delivered.len(),
            "{email} got a mail twice: {delivered:?}"
        );
        let mine: Vec<&cadenced::db::sends::SendRow> = sends.iter().filter(|s| s.email == email).collect();
        for s in &mine {
            match s.state.as_str() {
                "sent" => assert!(
                    distinct.contains(&s.message_id),
                    "{email}: step {} recorded sent but not delivered",
                    s.step + 1
                ),
                other => panic!("{email}: step {} left {other}", s.step + 1),
            }
        }
        let known: HashSet<&String> = mine.iter().map(|s| &s.message_id).collect();
        for mid in &delivered {
            assert!(
                known.contains(mid),
                "{email} got {mid}, which the database does not know"
            );
        }
        let sent_steps = mine.iter().filter(|s| s.state == "sent").count();
        if answer(lead) == Answer::Silent {
            assert_eq!(sent_steps, 3, "{email}: {mine:?}");
        }
    }

    // Every reply was recorded once and applied once.
    let store = &db.store;
    let mut inbound = Vec::new();
    for mb in &MAILBOXES {
        inbound.extend(store.inbound_messages(mb.name).await.expect("inbound"));
    }
    for (lead, mid) in &replies {
        let email = format!("lead{lead}@lead.test");
        let rows: Vec<_> = inbound
            .iter()
            .filter(|m| m.message_id.as_deref() == Some(mid.as_str()))
            .collect();
        assert_eq!(rows.len(), 1, "{email}'s reply recorded {} times", rows.len());
        let campaign = format!("c{}", MAILBOXES[(lead - 1) / PER_CAMPAIGN].name);
        let row = store.enrollment(&campaign, &email).await.expect("enrollment");
        let events = store.events(row.id).await.expect("events");
        // A reply to a step not recorded yet also records that step (a `step_sent` event
        // naming the reply); its own effect is the one other event naming it.
        let applied: Vec<_> = events
            .iter()
            .filter(|e| e.message_id == Some(rows[0].id) && e.kind != "step_sent")
            .collect();
        assert_eq!(applied.len(), 1, "{email}: {events:?}");
        let expected = if answer(*lead) == Answer::Human {
            "stopped"
        } else {
            "paused"
        };
        assert_eq!(applied[0].to_status, expected, "{email}");
    }

    // The survivors stop cleanly on SIGTERM and give their leases back.
    for d in daemons.iter_mut() {
        if d.pid() != killed_pid {
            let status = d.terminate(Duration::from_secs(30));
            assert!(status.success(), "{} exited {status}:\n{}", d.label, d.log());
        }
    }
    let rows = db.store.mailboxes().await.expect("mailboxes");
    assert!(rows.iter().all(|r| r.lease_holder.is_none()), "{rows:?}");
    let listed = cli_ok(&config, &["mailboxes"]);
    assert_eq!(
        listed.matches("nobody (no daemon running?)").count(),
        3,
        "{listed}"
    );
    eprintln!(
        "3 daemons, 1 killed: {} sends recorded, uncertain resolved {resolved:?}, {} replies applied once; {:.1} s",
        sends.len(),
        replies.len(),
        started.elapsed().as_secs_f64()
    );
    db.cleanup().await;
}

/// Waits until `sales`' holder has sent a few mails and has more in flight, then kills it
/// with SIGKILL; returns its pid and daemon id.
async fn kill_sales_holder_mid_send(store: cadenced::db::Store, pids: Vec<u32>) -> (u32, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let open = store
            .query_i64("SELECT COUNT(*) FROM sends WHERE mailbox = 'sales' AND state = 'claimed'")
            .await
            .expect("count");
        let sent = store
            .query_i64("SELECT COUNT(*) FROM sends WHERE mailbox = 'sales' AND state = 'sent'")
            .await
            .expect("count");
        if (open > 0 && sent >= 10) || Instant::now() > deadline {
            let holder = store
                .mailboxes()
                .await
                .expect("mailboxes")
                .into_iter()
                .find(|r| r.mailbox == "sales")
                .and_then(|r| r.lease_holder)
                .expect("sales is held");
            let pid = store
                .daemons()
                .await
                .expect("daemons")
                .into_iter()
                .find(|d| d.id == holder)
                .map(|d| d.pid as u32)
                .filter(|pid| pids.contains(pid))
                .expect("the holder is one of our daemons");
            let status = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .expect("kill");
            assert!(status.success());
            eprintln!("SIGKILL to pid {pid} holding sales: {sent} sent, {open} in flight");
            return (pid, holder);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn all_sends(store: &cadenced::db::Store) -> Vec<cadenced::db::sends::SendRow> {
    let mut out = Vec::new();
    for state in ["sent", "uncertain", "claimed", "retry", "bounced"] {
        out.extend(store.sends_in_state(state).await.expect("sends"));
    }
    out
}

/// Every lead is where it ends up: completed, stopped, paused, or waiting on an uncertain
/// send; no claim open; every reply sent so far recorded.
async fn settled(store: &cadenced::db::Store, replies: &HashMap<usize, String>) -> bool {
    let counts = store.status_counts().await.expect("counts");
    let moving: i64 = counts
        .iter()
        .filter(|c| c.status == "launch" || c.status == "in_progress")
        .map(|c| c.count)
        .sum();
    let uncertain = store.sends_in_state("uncertain").await.expect("sends").len() as i64;
    let open = store.sends_in_state("claimed").await.expect("sends").len();
    let recorded = store
        .query_i64("SELECT COUNT(*) FROM inbound_messages WHERE message_id LIKE '<reply.%'")
        .await
        .expect("count");
    moving <= uncertain && open == 0 && recorded == replies.len() as i64
}
