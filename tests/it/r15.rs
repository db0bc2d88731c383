//! Issue 15, through the binary where a user meets it: every input bounded (size and time
//! limits named in the error), every failure visible on the lead, addresses we can send to,
//! error wording, the first run. See: #15

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::cli::{example, json_lines, stderr, Env};
use crate::store::sqlite_db;
use crate::support::config::{self, Mailbox};
use crate::support::daemon::{cli, cli_ok, enroll, write_config, DaemonProcess, TestMailbox};
use crate::support::mailstack::{MailStack, PASSWORD};
use crate::support::{until, wait_for};

async fn env() -> Env {
    Env::new(sqlite_db().await).await
}

fn lead_json(env: &Env, now: &str, email: &str) -> Value {
    let out = env.run_at(
        now,
        &["lead", "show", email, "--campaign", "q1-outreach", "--json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    json_lines(&String::from_utf8_lossy(&out.stdout)).remove(0)
}

// See: #15
#[tokio::test]
async fn r15_every_file_input_has_a_size_limit_named_in_the_error() {
    let env = env().await;
    env.examples();
    let started = Instant::now();
    let cases: [(&[&str], i32); 4] = [
        (
            &[
                "leads",
                "import",
                "--quiet",
                "--campaign",
                "q1-outreach",
                "/dev/zero",
            ],
            1,
        ),
        (&["campaign", "apply", "/dev/zero"], 2),
        (
            &[
                "leads",
                "pause",
                "--campaign",
                "q1-outreach",
                "--file",
                "/dev/zero",
            ],
            1,
        ),
        (&["rules", "explain", "/dev/zero"], 1),
    ];
    for (args, code) in cases {
        let out = env.run(args);
        let err = stderr(&out) + &String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            err.contains("/dev/zero") && err.contains("size limit"),
            "{args:?}: {err}"
        );
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .args(["--config", "/dev/zero", "leads", "list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("size limit for a config file"),
        "{}",
        stderr(&out)
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "bounded reads are quick: {:?}",
        started.elapsed()
    );
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_error_wording_for_missing_binary_and_european_csv_files() {
    let env = env().await;
    env.ok(&["campaign", "apply", &example("campaign.toml")]);
    // A missing config file: its OS error once.
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .args(["--config", "/nonexistent/cadenced.toml", "leads", "list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).matches("No such file or directory").count(),
        1,
        "{}",
        stderr(&out)
    );
    let import = |file: &str| env.run(&["leads", "import", "--quiet", "--campaign", "q1-outreach", file]);
    // A missing CSV is not "1 bad rows".
    let out = import("/nonexistent/leads.csv");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("No such file") && !err.contains("bad rows") && err.trim().lines().count() == 1,
        "{err}"
    );
    // A spreadsheet saved as is.
    let path = env.dir.path().join("leads.xlsx");
    std::fs::write(
        &path,
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4",
    )
    .expect("write");
    let out = import(&path.display().to_string());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not UTF-8") && stderr(&out).contains("CSV UTF-8"),
        "{}",
        stderr(&out)
    );
    // European Excel: semicolons, read as such and said.
    let csv = env.write(
        "semi.csv",
        "email;first_name;company\nsemi@lead.test;Semi;Colon, Inc.\n",
    );
    let out = import(&csv);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("semicolons"), "{}", stderr(&out));
    // Every column the steps need is named at once.
    let csv = env.write("bare.csv", "email\nbare@lead.test\n");
    let err = stderr(&import(&csv));
    assert!(
        err.contains("\"first_name\"") && err.contains("\"company\""),
        "{err}"
    );
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_addresses_are_checked_once_at_import_to_what_we_can_send() {
    let env = env().await;
    env.ok(&["campaign", "apply", &example("campaign.toml")]);
    let csv = env.write(
        "intl.csv",
        "email,first_name,company\nuser@Bücher.test,Uwe,Bücher GmbH\n",
    );
    env.ok(&["leads", "import", "--quiet", "--campaign", "q1-outreach", &csv]);
    let list = json_lines(&env.ok(&["leads", "list", "--json"]));
    assert_eq!(list[0]["email"], "user@xn--bcher-kva.test", "punycode domain");
    let csv = env.write(
        "bad.csv",
        "email,first_name,company\nmüller@lead.test,Max,Müller AG\nnul@lead.test,Nul,Ac\u{0}me\n",
    );
    let out = env.run(&["leads", "import", "--quiet", "--campaign", "q1-outreach", &csv]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("line 2: email") && err.contains("SMTPUTF8"), "{err}");
    assert!(
        err.contains("line 3: field \"company\" contains a control character (U+0000)"),
        "{err}"
    );
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_applying_a_running_campaign_with_a_missing_field_is_refused_like_launch() {
    let env = env().await;
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    let shipped = std::fs::read_to_string(example("campaign.toml")).expect("example");
    let typo = env.write(
        "typo.toml",
        &shipped.replace(
            "Hi {{first_name}},\n\nI will not",
            "Hi {{frist_name}},\n\nI will not",
        ),
    );
    let out = env.run(&["campaign", "apply", &typo]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("{{frist_name}}") && err.contains("step 3") && err.contains("was not changed"),
        "{err}"
    );
    let again = env.ok(&["campaign", "apply", &example("campaign.toml")]);
    assert!(again.contains("unchanged"), "the typo was not stored: {again}");
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_until_is_bounded_by_max_pause_and_accepts_today() {
    let env = env().await;
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    env.send("lead1@lead.test", "2026-03-02T09:00:00Z", "2026-03-05T09:00:00Z")
        .await;
    let pause = |until: &str| {
        env.run_at(
            "2026-03-03T10:00:00Z",
            &[
                "lead",
                "pause",
                "lead1@lead.test",
                "--campaign",
                "q1-outreach",
                "--until",
                until,
                "--json",
            ],
        )
    };
    let out = pause("2046-03-03");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("max_pause"), "{}", stderr(&out));
    let out = pause("2026-03-02");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("in the past"), "{}", stderr(&out));
    // Today, with the lead's window open (10:00 in London): accepted, resumes at once.
    let out = pause("2026-03-03");
    assert!(out.status.success(), "{}", stderr(&out));
    let paused = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(paused[0]["resume_at"], "2026-03-03T10:00:00Z");
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_leads_show_when_the_next_step_goes_and_why_they_wait() {
    let env = env().await;
    env.examples();
    let list = json_lines(&env.ok(&["leads", "list", "--json"]));
    assert!(
        list.iter()
            .all(|l| l["waiting"].as_str().is_some_and(|w| w.contains("not launched"))),
        "{list:?}"
    );
    env.ok(&["campaign", "launch", "q1-outreach"]);
    // Launched on Monday 08:00 UTC: Chicago opens at 09:00 CST.
    let chicago = lead_json(&env, "2026-03-02T08:00:00Z", "lead3@lead.test");
    assert_eq!(chicago["sends_at"], "2026-03-02T15:00:00Z", "{chicago}");
    assert!(
        chicago["waiting"]
            .as_str()
            .is_some_and(|w| w.contains("outside the sending window")),
        "{chicago}"
    );
    // A countdown that ends on a Saturday goes out on Monday.
    env.send("lead1@lead.test", "2026-03-02T09:00:00Z", "2026-03-07T09:00:00Z")
        .await;
    let london = lead_json(&env, "2026-03-06T12:00:00Z", "lead1@lead.test");
    assert_eq!(london["next_send_at"], "2026-03-07T09:00:00Z");
    assert_eq!(london["sends_at"], "2026-03-09T09:00:00Z");
    let table =
        String::from_utf8_lossy(&env.run_at("2026-03-06T12:00:00Z", &["leads", "list"]).stdout).into_owned();
    assert!(table.contains("2026-03-09T09:00:00Z"), "{table}");
    // lead show has the lead's own data.
    assert_eq!(london["fields"]["first_name"], "Ada");
    assert_eq!(london["fields"]["company"], "Analytical Engines");
    assert_eq!(london["fields"]["role"], "CTO");
    let text = String::from_utf8_lossy(
        &env.run(&["lead", "show", "lead1@lead.test", "--campaign", "q1-outreach"])
            .stdout,
    )
    .into_owned();
    assert!(text.contains("Lovelace") && text.contains("role"), "{text}");
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_step_sent_events_carry_their_message_id() {
    let env = env().await;
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    let store = &env.db.store;
    let at: chrono::DateTime<chrono::Utc> = "2026-03-02T09:00:00Z".parse().expect("time");
    store
        .acquire_lease("sales", "test", at, at + chrono::Duration::hours(1), at)
        .await
        .expect("lease");
    let row = store
        .enrollment("q1-outreach", "lead2@lead.test")
        .await
        .expect("row");
    let claim = store
        .claim_send(&row, 0, "sales", "<cad.step1@example.test>", "test", at)
        .await
        .expect("db")
        .expect("claimed");
    store
        .mark_sent(claim.send_id, row.id, at, Some(at + chrono::Duration::days(3)))
        .await
        .expect("sent");
    let lead = lead_json(&env, "2026-03-02T10:00:00Z", "lead2@lead.test");
    let sent = lead["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "step_sent")
        .cloned()
        .expect("step_sent");
    assert_eq!(sent["message_id"], "<cad.step1@example.test>", "{lead}");
    env.db.cleanup().await;
}

// See: #15
#[tokio::test]
async fn r15_a_closed_pipe_is_not_a_panic() {
    let env = env().await;
    env.examples();
    for args in [
        &["lead", "show", "lead1@lead.test", "--campaign", "q1-outreach"][..],
        &["leads", "list"][..],
        &["report"][..],
        &["campaign", "list"][..],
    ] {
        // The reader is gone before the command writes anything.
        let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .arg("--config")
            .arg(&env.config)
            .args(args)
            .env("CADENCED_FAKE_NOW", "2026-03-02T08:00:00Z")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let err = stderr(&out);
        assert!(
            out.status.code() != Some(101) && !err.contains("panicked"),
            "{args:?}: {:?} {err}",
            out.status
        );
    }
    env.db.cleanup().await;
}

// See: #15
#[test]
fn r15_rules_explain_survives_a_symlink_loop_and_fails_when_nothing_was_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("mail");
    std::fs::create_dir_all(root.join("sub")).expect("mkdir");
    std::fs::write(
        root.join("sub/a.eml"),
        "From: a@b.test\nSubject: Out of office\n\nI am out of the office until 15 June.\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(&root, root.join("sub/loop")).expect("symlink");
    let explain = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .args(["rules", "explain"])
            .args(args)
            .env_remove("CADENCED_CONFIG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let finished = || matches!(child.try_wait(), Ok(Some(_))).then_some(());
        wait_for(30, format!("rules explain {args:?} to finish"), finished);
        child.wait_with_output().expect("output")
    };
    let out = explain(&[&root.display().to_string()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    assert!(text.starts_with("FILE "), "a table header first: {text}");
    assert_eq!(text.matches("a.eml").count(), 1, "{text}");
    assert!(text.contains("loop"), "the loop is explained: {text}");
    let out = explain(&["/nonexistent/a.eml", "/nonexistent/b"]);
    assert_eq!(out.status.code(), Some(1), "every input failed");
}

// See: #15
#[tokio::test]
async fn r15_state_is_private_and_a_world_readable_password_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = dir.path().join("sales.pass");
    std::fs::write(&pass, "secret\n").expect("password");
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let unused = crate::support::mailstack::unused_port();
    let sales = Mailbox::new("sales", "sales@example.test", unused, unused).password_file(pass.display());
    let config = config::write(
        dir.path(),
        "[database]\nurl = \"sqlite://state/cadenced.db\"",
        &[sales],
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("check")
        .output()
        .expect("check");
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("state")), 0o700);
    assert_eq!(mode(&dir.path().join("state/cadenced.db")), 0o600);
    assert!(
        stderr(&out).contains("readable by every user"),
        "{}",
        stderr(&out)
    );
}

fn leads(config: &std::path::Path, campaign: &str) -> Vec<Value> {
    json_lines(&cli_ok(
        config,
        &["leads", "list", "--campaign", campaign, "--json"],
    ))
}

// See: #15. The README's first run, as written: the shipped config (on the stack's ports),
// the demo campaign, the shipped leads (users of the stack), a lead away on holiday.
#[test]
fn r15_first_run_walkthrough_sends_to_every_example_lead_and_a_reply_pauses_one() {
    let stack = MailStack::start(5);
    let dir = tempfile::tempdir().expect("tempdir");
    let shipped = std::fs::read_to_string(example("config.toml")).expect("config");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        shipped
            .replace("port = 11143", &format!("port = {}", stack.imap_port()))
            .replace("port = 12525", &format!("port = {}", stack.smtp_port()))
            .replace("max_idle = \"5s\"", "max_idle = \"500ms\""),
    )
    .expect("config");
    stack.vacation(
        "lead2",
        "I am out of the office until 12 January and will answer when I am back.",
        "Out of office",
    );
    cli_ok(&config, &["campaign", "apply", &example("demo-campaign.toml")]);
    cli_ok(
        &config,
        &[
            "leads",
            "import",
            "--quiet",
            "--campaign",
            "demo",
            &example("leads.csv"),
        ],
    );
    cli_ok(&config, &["campaign", "launch", "demo"]);
    let mut daemon = DaemonProcess::start_with_env(
        &config,
        "first run",
        &[("SALES_PASS", PASSWORD), ("CADENCED_LOG", "info")],
    );
    let all = wait_for(90, "step 1 to every example lead", || {
        let all = leads(&config, "demo");
        all.iter()
            .all(|l| l["current_step"] == 1 || l["status"] == "stopped")
            .then_some(all)
    });
    assert!(
        all.iter().all(|l| l["status"] != "stopped"),
        "none bounced: {all:?}"
    );
    let paused = wait_for(60, "lead2 paused by their out-of-office reply", || {
        leads(&config, "demo")
            .into_iter()
            .find(|l| l["email"] == "lead2@lead.test" && l["status"] == "paused")
    });
    assert_eq!(paused["pause_reason"], "out_of_office", "{paused}");
    for n in 1..=5 {
        // A step recorded as sent was accepted by Postfix; it reaches the Maildir a moment
        // later (Dovecot's delivery lags under load).
        let mail = stack.wait_for_messages_blocking(&format!("lead{n}"), 1, Duration::from_secs(30));
        assert_eq!(mail.len(), 1, "lead{n}");
        // Plain text, declared as MIME (an HTML body would show as its source).
        let raw = String::from_utf8_lossy(&mail[0]);
        assert!(
            raw.contains("MIME-Version: 1.0") && raw.contains("Content-Type: text/plain; charset=utf-8"),
            "{raw}"
        );
    }
    let show = json_lines(&cli_ok(
        &config,
        &["lead", "show", "lead2@lead.test", "--campaign", "demo", "--json"],
    ))
    .remove(0);
    let events = show["events"].as_array().expect("events").clone();
    let sent = events
        .iter()
        .find(|e| e["kind"] == "step_sent")
        .expect("step_sent");
    assert!(
        sent["message_id"]
            .as_str()
            .is_some_and(|m| m.starts_with("<cad.")),
        "{sent}"
    );
    let pause = events.iter().find(|e| e["kind"] == "pause").expect("pause");
    assert!(
        pause["message_id"]
            .as_str()
            .is_some_and(|m| m.starts_with('<') && !m.starts_with("<cad.")),
        "the reply's own Message-ID, not a row number: {pause}"
    );
    // At the default level the log says what the daemon did, and nothing personal.
    daemon.wait_for_log("Reply from a lead decided.", 0, Duration::from_secs(10));
    let text = daemon.log();
    assert_eq!(text.matches("Step sent.").count(), 5, "{text}");
    assert!(
        !text.contains("lead2@lead.test") && !text.contains("out of the office"),
        "{text}"
    );
    daemon.terminate(Duration::from_secs(30));
}

// See: #15. A step we cannot send (an address stored before import checked it) is held
// with its reason on the lead, in check and report; never a bounce, never a suppression.
#[tokio::test]
async fn r15_a_step_we_cannot_send_is_held_for_a_person_not_bounced() {
    let stack = MailStack::start(2);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/state/cadenced.db", dir.path().display());
    let config = write_config(
        dir.path(),
        &stack,
        &db,
        &[TestMailbox {
            name: "sales",
            address: crate::support::mailstack::SALES,
        }],
        "",
    );
    let campaign = std::fs::read_to_string(example("demo-campaign.toml")).expect("demo");
    enroll(
        &config,
        dir.path(),
        "demo",
        &campaign,
        "email,first_name,company\nlead1@lead.test,Ann,Acme\n",
    );
    // Data that reached the database before import checked it.
    let store = cadenced::db::Store::connect(&db, 1).await.expect("store");
    let c = store.campaign("demo").await.expect("db").expect("campaign");
    let lead = cadenced::db::NewLead {
        email: "müller@lead.test".to_string(),
        first_name: Some("Max".to_string()),
        last_name: None,
        company: Some("Müller AG".to_string()),
        timezone: None,
        fields: Default::default(),
    };
    store
        .import_leads(
            c.id,
            &[lead],
            "2026-01-01T00:00:00Z".parse().expect("time"),
            |_| {},
        )
        .await
        .expect("import");
    store.close().await;
    cli_ok(&config, &["campaign", "launch", "demo"]);
    let mut daemon = DaemonProcess::start(&config, "held");
    let held = wait_for(60, "the step held", || {
        let out = cli_ok(&config, &["sends", "list", "--state", "failed", "--json"]);
        json_lines(&out).into_iter().next()
    });
    assert!(
        held["error"].as_str().is_some_and(|e| e.contains("SMTPUTF8")),
        "{held}"
    );
    stack.wait_for_messages_blocking("lead1", 1, Duration::from_secs(30));
    let all = leads(&config, "demo");
    let muller = all
        .iter()
        .find(|l| l["email"] == "müller@lead.test")
        .expect("müller listed");
    assert!(
        muller["status"] == "launch" && muller["stop_reason"].is_null(),
        "{muller}"
    );
    assert!(
        muller["waiting"]
            .as_str()
            .is_some_and(|w| w.contains("cannot be sent") && w.contains("SMTPUTF8")),
        "{muller}"
    );
    let report = cli_ok(&config, &["report"]);
    assert!(report.contains("held: müller@lead.test"), "{report}");
    let check = cli(&config, &["check"]);
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("FAIL sends: 1 steps cannot be sent"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Not retried by itself, not suppressed: a second pass leaves it as it is.
    std::thread::sleep(Duration::from_secs(2));
    let log = daemon.log();
    assert_eq!(log.matches("Step cannot be sent as it is").count(), 1, "{log}");
    assert!(!log.contains("Recipient refused for good"), "{log}");
    daemon.terminate(Duration::from_secs(30));
}

// See: #15. A username configured and a server that offers no AUTH: the mailbox's problem,
// said as such, not a temporary failure retried per step.
#[test]
fn r15_an_smtp_server_without_auth_is_a_mailbox_problem() {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(4).flatten() {
            let mut w = stream.try_clone().expect("clone");
            let _ = w.write_all(b"220 noauth.test ESMTP\r\n");
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let reply: &[u8] = match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                    Some("EHLO") => b"250-noauth.test\r\n250 8BITMIME\r\n",
                    Some("QUIT") => b"221 bye\r\n",
                    _ => b"250 ok\r\n",
                };
                let _ = w.write_all(reply);
            }
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = dir.path().join("pass");
    std::fs::write(&pass, "secret\n").expect("password");
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let imap = crate::support::mailstack::unused_port();
    let sales = Mailbox::new("sales", "sales@example.test", imap, port)
        .password_file(pass.display())
        .smtp_auth();
    let config = config::write(dir.path(), "", &[sales]);
    let out = cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = text
        .lines()
        .find(|l| l.contains("smtp"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("FAIL") && line.contains("login failed") && line.contains("offers no AUTH"),
        "{line}"
    );
}

/// Bytes the process has written through system calls so far (`wchar` in /proc/PID/io).
fn written_bytes(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .expect("/proc/PID/io")
        .lines()
        .find_map(|l| l.strip_prefix("wchar: "))
        .and_then(|n| n.trim().parse().ok())
        .expect("wchar")
}

// See: #15. 20,000 leads fall due while the window is closed: the daemon moves them to the
// next opening in a few transactions, not one commit (and its WAL pages and checkpoints)
// per lead; measured as the bytes the daemon writes, which a commit per lead multiplies.
#[tokio::test]
async fn r15_a_closed_window_defers_many_due_leads_in_few_writes() {
    use cadenced::clock::{Clock, SystemClock};
    const N: usize = 20_000;
    let stack = MailStack::start(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = format!("sqlite://{}/state/cadenced.db", dir.path().display());
    let config = write_config(
        dir.path(),
        &stack,
        &db,
        &[TestMailbox {
            name: "sales",
            address: crate::support::mailstack::SALES,
        }],
        "",
    );
    // Open every day but today and tomorrow (UTC): closed for the whole test.
    let today = SystemClock.now().date_naive();
    let closed = [today, today.succ_opt().expect("tomorrow")];
    let days: Vec<String> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            !closed
                .iter()
                .any(|d| chrono::Datelike::weekday(d).num_days_from_monday() as usize == *i)
        })
        .map(|(_, d)| format!("\"{d}\""))
        .collect();
    let campaign = std::fs::read_to_string(example("demo-campaign.toml"))
        .expect("demo")
        .replace(
            "days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]",
            &format!("days = [{}]", days.join(", ")),
        )
        .replace("timezone = \"Europe/Berlin\"", "timezone = \"UTC\"");
    let mut csv = String::from("email,first_name,company\n");
    for i in 0..N {
        csv.push_str(&format!("l{i}@lead.test,L{i},C{i}\n"));
    }
    enroll(&config, dir.path(), "demo", &campaign, &csv);
    cli_ok(&config, &["campaign", "launch", "demo"]);
    let store = cadenced::db::Store::connect(&db, 1).await.expect("store");
    let mut daemon = DaemonProcess::start_with_env(&config, "closed window", &[("CADENCED_LOG", "info")]);
    let started = Instant::now();
    until(
        300,
        "all deferred (the next due time over an hour ahead)",
        || async {
            let next = store.next_due_at(None).await.expect("db");
            next.is_some_and(|t| t > SystemClock.now() + chrono::Duration::hours(1))
        },
    )
    .await;
    let written = written_bytes(daemon.pid());
    let took = started.elapsed();
    daemon.terminate(Duration::from_secs(30));
    store.close().await;
    eprintln!(
        "{N} leads deferred in {took:?}, {} MB written",
        written / 1_000_000
    );
    assert!(
        written < 60_000_000,
        "{N} deferrals wrote {} MB: a commit per lead?",
        written / 1_000_000
    );
}

// See: #15. A missing password file is said as such, once, not as a refused login at every
// retry.
#[test]
fn r15_a_missing_password_file_is_named_once() {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"* OK [CAPABILITY IMAP4rev1 IDLE] fake ready\r\n");
            kept.push(stream);
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let smtp = crate::support::mailstack::unused_port();
    let sales = Mailbox::new("sales", "sales@example.test", port, smtp).password_file("missing.pass");
    let config = config::write(dir.path(), "[daemon]\nmax_idle = \"200ms\"", &[sales]);
    let mut daemon = DaemonProcess::start_with_env(
        &config,
        "no password",
        &[("CADENCED_LOG", "info,cadenced::ingest=debug")],
    );
    let mut at = daemon.wait_for_log("password cannot be read", 0, Duration::from_secs(30));
    // The watcher retries after 1, 2, 4 s (each retry says so at DEBUG): still one line.
    for _ in 0..3 {
        at = daemon.wait_for_log("IMAP login still fails.", at, Duration::from_secs(30));
    }
    let log = daemon.log();
    daemon.terminate(Duration::from_secs(30));
    assert_eq!(log.matches("IMAP login failed").count(), 1, "{log}");
    assert!(
        log.contains("missing.pass") && !log.contains("login refused"),
        "{log}"
    );
}

both_backends!(Env: r15_defer_many_moves_only_the_versions_read);

// See: #15. `defer_many` moves exactly the rows still at the version read, on both backends.
async fn r15_defer_many_moves_only_the_versions_read(env: &Env) {
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    let store = &env.db.store;
    let later: chrono::DateTime<chrono::Utc> = "2030-01-01T09:00:00Z".parse().expect("time");
    let a = store
        .enrollment("q1-outreach", "lead1@lead.test")
        .await
        .expect("a");
    let b = store
        .enrollment("q1-outreach", "lead2@lead.test")
        .await
        .expect("b");
    let moved = store
        .defer_many(&[(a.id, a.version, later), (b.id, b.version + 1, later)])
        .await
        .expect("defer");
    assert_eq!(moved, 1, "a stale version is left alone");
    let all: Vec<_> = (1..=5).map(|i| format!("lead{i}@lead.test")).collect();
    let mut due_later = 0;
    for email in &all {
        let row = store.enrollment("q1-outreach", email).await.expect("row");
        let due = store.sends_of(row.id).await.expect("sends");
        assert!(due.is_empty());
        due_later += usize::from(
            store
                .due_for_mailbox("sales", "2029-12-31T00:00:00Z".parse().expect("t"), 10)
                .await
                .expect("due")
                .iter()
                .all(|d| d.row.id != row.id),
        );
    }
    assert_eq!(due_later, 1, "only lead1 moved past 2029");
}

// See: #15. A second daemon on the same database, with every mailbox worked by the first,
// says at the default level that it waits, and why.
#[test]
fn r15_a_daemon_waiting_for_a_lease_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unused = crate::support::mailstack::unused_port;
    let sales = Mailbox::new("sales", "sales@example.test", unused(), unused()).password_env("SALES_PASS");
    let config = config::write(
        dir.path(),
        "[daemon]\nmax_idle = \"200ms\"\nlease_ttl = \"3s\"",
        &[sales],
    );
    let env = [("CADENCED_LOG", "info"), ("SALES_PASS", "x")];
    let mut first = DaemonProcess::start_with_env(&config, "first", &env);
    first.wait_for_log("Mailbox lease taken", 0, Duration::from_secs(30));
    let mut second = DaemonProcess::start_with_env(&config, "second", &env);
    second.wait_for_log("this one waits to take one over", 0, Duration::from_secs(30));
    second.terminate(Duration::from_secs(30));
    first.terminate(Duration::from_secs(30));
}

// See: #15. A lead held back by the daily cap says so, with the next day's opening.
#[tokio::test]
async fn r15_a_lead_held_by_the_daily_cap_says_so() {
    let env = env().await;
    let shipped = std::fs::read_to_string(example("campaign.toml")).expect("example");
    let capped = env.write(
        "capped.toml",
        &shipped.replace("daily_cap = 200", "daily_cap = 1"),
    );
    env.ok(&["campaign", "apply", &capped]);
    env.ok(&[
        "leads",
        "import",
        "--quiet",
        "--campaign",
        "q1-outreach",
        &example("leads.csv"),
    ]);
    env.ok(&["campaign", "launch", "q1-outreach"]);
    let store = &env.db.store;
    let at: chrono::DateTime<chrono::Utc> = "2026-03-02T09:00:00Z".parse().expect("time");
    store
        .acquire_lease("sales", "test", at, at + chrono::Duration::hours(1), at)
        .await
        .expect("lease");
    let row = store
        .enrollment("q1-outreach", "lead2@lead.test")
        .await
        .expect("row");
    let claim = store
        .claim_send(&row, 0, "sales", "<cad.cap@example.test>", "test", at)
        .await
        .expect("db")
        .expect("claimed");
    store
        .mark_sent(claim.send_id, row.id, at, Some(at + chrono::Duration::days(3)))
        .await
        .expect("sent");
    let london = lead_json(&env, "2026-03-02T10:00:00Z", "lead1@lead.test");
    assert_eq!(london["sends_at"], "2026-03-03T09:00:00Z", "{london}");
    assert!(
        london["waiting"]
            .as_str()
            .is_some_and(|w| w.contains("daily cap")),
        "{london}"
    );
    env.db.cleanup().await;
}
