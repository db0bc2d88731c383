//! The operator CLI as a user meets it: the real binary, a config file, the shipped examples,
//! exit statuses and `--json` lines, against SQLite and PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::Output;

use cadenced::db::Cause;
use cadenced::domain::lead::Event;
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::store::{sqlite_db, TestDb};

const NOW: &str = "2026-03-02T08:00:00Z";

pub(crate) struct Env {
    pub(crate) db: TestDb,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) config: PathBuf,
}

impl Env {
    pub(crate) async fn new(db: TestDb) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                r#"state_dir = "state"
[database]
url = "{}"
[[mailbox]]
name = "sales"
address = "sales@example.test"
imap = {{ host = "127.0.0.1", port = 11143, tls = "none", username = "sales@example.test", password_env = "SALES_PASS" }}
smtp = {{ host = "127.0.0.1", port = 12525, tls = "none" }}
[[mailbox]]
name = "marketing"
address = "hello@example.test"
imap = {{ host = "127.0.0.1", port = 11143, tls = "none", username = "hello@example.test", password_env = "HELLO_PASS" }}
smtp = {{ host = "127.0.0.1", port = 12525, tls = "none" }}
"#,
                db.url
            ),
        )
        .expect("write config");
        Env { db, dir, config }
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.run_at(NOW, args)
    }

    pub(crate) fn run_at(&self, now: &str, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("CADENCED_FAKE_NOW", now)
            .env_remove("CADENCED_CONFIG")
            .output()
            .expect("run cadenced")
    }

    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn write(&self, name: &str, content: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, content).expect("write file");
        path.display().to_string()
    }

    /// Applies the shipped example campaign and imports the shipped leads.
    pub(crate) fn examples(&self) {
        self.ok(&["campaign", "apply", &example("campaign.toml")]);
        self.ok(&[
            "leads",
            "import",
            "--quiet",
            "--campaign",
            "q1-outreach",
            &example("leads.csv"),
        ]);
    }

    /// Records step sends the way the scheduler does, through the library on the same database.
    pub(crate) async fn send(&self, email: &str, at: &str, next_due: &str) {
        let at: DateTime<Utc> = at.parse().expect("time");
        let next: DateTime<Utc> = next_due.parse().expect("time");
        let row = self.db.store.enrollment("q1-outreach", email).await.expect("row");
        let event = Event::StepSent {
            at,
            next_due: Some(next),
        };
        self.db
            .store
            .transition(row.id, &event, &Cause::system(), at)
            .await
            .expect("db")
            .expect("sent");
    }
}

pub(crate) fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

pub(crate) fn json_lines(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

impl crate::support::Fixture for Env {
    type Arg<'a> = &'a Env;

    async fn open(db: TestDb) -> Env {
        Env::new(db).await
    }

    fn arg(&self) -> &Env {
        self
    }

    async fn close(self) {
        self.db.cleanup().await;
    }
}

both_backends!(
    Env:
    shipped_examples_work,
    list_json_carries_the_contract_fields,
    pause_and_resume_keep_the_remaining_delay,
    refusals_name_lead_and_status,
    bad_csv_is_refused_row_by_row_and_imports_nothing,
    campaign_file_errors_name_the_key,
    campaign_pause_and_set_sender,
    bulk_forms,
    report_shows_stale_pauses,
    r11_report_and_check_name_a_campaign_that_no_longer_parses,
);

async fn shipped_examples_work(env: &Env) {
    env.examples();
    let again = env.ok(&["campaign", "apply", &example("campaign.toml")]);
    assert!(again.contains("unchanged"), "{again}");
    env.ok(&["campaign", "launch", "q1-outreach"]);
    let list = json_lines(&env.ok(&["leads", "list", "--campaign", "q1-outreach", "--json"]));
    assert_eq!(list.len(), 5);
    assert!(list.iter().all(|l| l["status"] == "launch"));
    let table = env.ok(&["leads", "list"]);
    assert!(
        table.contains("lead2@lead.test") && table.contains("q1-outreach"),
        "{table}"
    );
    let campaigns = json_lines(&env.ok(&["campaign", "list", "--json"]));
    assert_eq!(campaigns[0]["status"], "active");
    assert_eq!(campaigns[0]["counts"]["launch"], 5);
}

async fn list_json_carries_the_contract_fields(env: &Env) {
    env.examples();
    let lines = json_lines(&env.ok(&["leads", "list", "--status", "launch", "--json"]));
    let keys = [
        "email",
        "campaign",
        "status",
        "current_step",
        "next_send_at",
        "remaining_delay_s",
        "paused_at",
        "pause_source",
        "pause_reason",
        "return_date",
        "resume_at",
        "stop_reason",
        "note",
    ];
    for line in &lines {
        for key in keys {
            assert!(line.get(key).is_some(), "{key} missing in {line}");
        }
        assert!(line.get("events").is_none(), "list carries no history: {line}");
    }
    let show = json_lines(&env.ok(&[
        "lead",
        "show",
        "lead1@lead.test",
        "--campaign",
        "q1-outreach",
        "--json",
    ]));
    assert_eq!(show.len(), 1);
    assert!(show[0]["events"].is_array());
    assert_eq!(show[0]["paused_at"], Value::Null);
}

async fn pause_and_resume_keep_the_remaining_delay(env: &Env) {
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    // Steps 1 and 2 went out; step 3 (4-day delay) is due on 7 March at 09:00.
    env.send("lead1@lead.test", "2026-03-02T09:00:00Z", "2026-03-03T09:00:00Z")
        .await;
    env.send("lead1@lead.test", "2026-03-03T09:00:00Z", "2026-03-07T09:00:00Z")
        .await;
    // Paused on day 2 of the wait, with a note.
    let out = env.run_at(
        "2026-03-05T09:00:00Z",
        &[
            "lead",
            "pause",
            "lead1@lead.test",
            "--campaign",
            "q1-outreach",
            "--note",
            "asked for a break",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let paused = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(paused[0]["status"], "paused");
    assert_eq!(paused[0]["pause_source"], "operator");
    assert_eq!(paused[0]["pause_reason"], "manual");
    assert_eq!(paused[0]["remaining_delay_s"], 2 * 86400);
    assert_eq!(paused[0]["paused_at"], "2026-03-05T09:00:00Z");
    assert_eq!(paused[0]["note"], "asked for a break");
    // Resumed two weeks later: step 3 is due exactly two days after the resume.
    let out = env.run_at(
        "2026-03-19T10:00:00Z",
        &[
            "lead",
            "resume",
            "lead1@lead.test",
            "--campaign",
            "q1-outreach",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let resumed = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(resumed[0]["status"], "in_progress");
    assert_eq!(resumed[0]["current_step"], 2);
    assert_eq!(resumed[0]["next_send_at"], "2026-03-21T10:00:00Z");
    let show = env.run_at(
        "2026-03-19T10:00:00Z",
        &["lead", "show", "lead1@lead.test", "--campaign", "q1-outreach"],
    );
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("in_progress -> paused  by operator") && text.contains("asked for a break"),
        "{text}"
    );
    // --until: a date resumes at the window opening that day in the lead's own timezone (London).
    let out = env.run_at(
        "2026-03-19T11:00:00Z",
        &[
            "lead",
            "pause",
            "lead1@lead.test",
            "--campaign",
            "q1-outreach",
            "--until",
            "2026-04-01",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let paused = json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(paused[0]["resume_at"], "2026-04-01T08:00:00Z", "09:00 BST");
}

async fn refusals_name_lead_and_status(env: &Env) {
    env.examples();
    let out = env.run(&["lead", "pause", "lead1@lead.test", "--campaign", "q1-outreach"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("lead1@lead.test") && err.contains("status launch") && err.contains("use skip"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    let out = env.run(&["lead", "stop", "lead2@lead.test", "--campaign", "q1-outreach"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("use skip"), "{}", stderr(&out));
    env.ok(&["lead", "skip", "lead2@lead.test", "--campaign", "q1-outreach"]);
    let out = env.run(&["lead", "pause", "lead2@lead.test", "--campaign", "q1-outreach"]);
    assert!(stderr(&out).contains("status skipped"), "{}", stderr(&out));
    let out = env.run(&["lead", "resume", "nobody@lead.test", "--campaign", "q1-outreach"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nobody@lead.test is not in campaign"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["lead", "show", "lead1@lead.test", "--campaign", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("campaign \"nope\" does not exist"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["leads", "list", "--status", "sleeping"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sleeping"), "{}", stderr(&out));
}

async fn bad_csv_is_refused_row_by_row_and_imports_nothing(env: &Env) {
    env.ok(&["campaign", "apply", &example("campaign.toml")]);
    let csv = env.write(
        "bad.csv",
        "email,first_name,company,timezone\n\
         ok@lead.test,Ok,Fine Ltd,Europe/Paris\n\
         broken-address,Bad,Bad Ltd,Europe/Paris\n\
         tz@lead.test,Tz,Tz Ltd,Europe/Springfield\n\
         OK@lead.test,Dup,Dup Ltd,\n\
         nocompany@lead.test,Nora,,\n",
    );
    let out = env.run(&["leads", "import", "--quiet", "--campaign", "q1-outreach", &csv]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for needle in [
        "line 3: email",
        "line 4: timezone",
        "Europe/Springfield",
        "line 5: email",
        "duplicate of line 2",
        "line 6: company",
        "nothing imported",
    ] {
        assert!(err.contains(needle), "{needle:?} missing in:\n{err}");
    }
    let list = env.ok(&["leads", "list", "--json"]);
    assert!(list.trim().is_empty(), "nothing imported, got {list}");
}

async fn campaign_file_errors_name_the_key(env: &Env) {
    let shipped = std::fs::read_to_string(example("campaign.toml")).expect("example");
    for (broken, key) in [
        (
            shipped.replace("end = \"17:00\"", "end = \"25:00\""),
            "window.end",
        ),
        (
            shipped.replace("\"Europe/Berlin\"", "\"Europe/Gotham\""),
            "timezone",
        ),
        (
            shipped.replace("[policy]", "[policy]\nvacation_mode = true"),
            "vacation_mode",
        ),
    ] {
        let file = env.write("broken.toml", &broken);
        let out = env.run(&["campaign", "apply", &file]);
        assert_eq!(out.status.code(), Some(2), "{key}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(key) && err.contains("broken.toml:"),
            "{key} not named: {err}"
        );
    }
    let unknown_mailbox = env.write(
        "mb.toml",
        &shipped.replace("mailbox = \"sales\"", "mailbox = \"support\""),
    );
    let out = env.run(&["campaign", "apply", &unknown_mailbox]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"support\" is not a mailbox"),
        "{}",
        stderr(&out)
    );
    // A config with an unknown key is refused with exit 2, naming the key and line.
    let bad_config = env.write(
        "config-bad.toml",
        "state_dir = \"s\"\n[database]\nurl = \"sqlite://x.db\"\npool = 3\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .args(["--config", &bad_config, "leads", "list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("config-bad.toml:4") && stderr(&out).contains("pool"),
        "{}",
        stderr(&out)
    );
}

async fn campaign_pause_and_set_sender(env: &Env) {
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    env.send("lead1@lead.test", "2026-03-02T09:00:00Z", "2026-03-05T09:00:00Z")
        .await;
    env.send("lead2@lead.test", "2026-03-02T09:00:00Z", "2026-03-05T09:00:00Z")
        .await;
    let out = env.run_at("2026-03-03T09:00:00Z", &["campaign", "pause", "q1-outreach"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = json_lines(&env.ok(&["leads", "list", "--status", "in_progress", "--json"]));
    assert!(
        list.iter()
            .all(|l| l["next_send_at"].is_null() && l["remaining_delay_s"] == 2 * 86400),
        "{list:?}"
    );
    let out = env.run_at("2026-03-10T09:00:00Z", &["campaign", "resume", "q1-outreach"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = json_lines(&env.ok(&["leads", "list", "--status", "in_progress", "--json"]));
    assert!(
        list.iter().all(|l| l["next_send_at"] == "2026-03-12T09:00:00Z"),
        "{list:?}"
    );
    let out = env.run(&["campaign", "set-sender", "q1-outreach", "marketing"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let paused = json_lines(&env.ok(&["leads", "list", "--status", "paused", "--json"]));
    assert_eq!(paused.len(), 2);
    assert!(
        paused.iter().all(|l| l["pause_reason"] == "sender_changed"),
        "{paused:?}"
    );
    let out = env.run(&["campaign", "set-sender", "q1-outreach", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
}

async fn bulk_forms(env: &Env) {
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    for who in ["lead1", "lead2", "lead3"] {
        env.send(
            &format!("{who}@lead.test"),
            "2026-03-02T09:00:00Z",
            "2026-03-05T09:00:00Z",
        )
        .await;
    }
    let list = env.write(
        "pause.txt",
        "# pause these\nlead1@lead.test\nLead2@Lead.test\n\nghost@lead.test\n",
    );
    let out = env.run(&[
        "leads",
        "pause",
        "--campaign",
        "q1-outreach",
        "--file",
        &list,
        "--note",
        "conference",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a missing lead makes the bulk command fail"
    );
    let err = stderr(&out);
    assert!(
        err.contains("ghost@lead.test is not in campaign") && err.contains("2 paused"),
        "{err}"
    );
    let paused = json_lines(&env.ok(&["leads", "list", "--status", "paused", "--json"]));
    assert_eq!(paused.len(), 2);
    assert!(paused.iter().all(|l| l["note"] == "conference"));
    let out = env.run(&[
        "leads",
        "resume",
        "--campaign",
        "q1-outreach",
        "--status",
        "paused",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.run(&[
        "leads",
        "stop",
        "--campaign",
        "q1-outreach",
        "--status",
        "in_progress",
        "--reason",
        "meeting_booked",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stopped = json_lines(&env.ok(&["leads", "list", "--status", "stopped", "--json"]));
    assert_eq!(stopped.len(), 3);
    assert!(stopped.iter().all(|l| l["stop_reason"] == "meeting_booked"));
    let out = env.run(&["leads", "pause", "--campaign", "q1-outreach"]);
    assert_eq!(out.status.code(), Some(2), "needs --file or --status");
}

async fn report_shows_stale_pauses(env: &Env) {
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    env.send("lead1@lead.test", "2026-03-02T09:00:00Z", "2026-03-05T09:00:00Z")
        .await;
    env.send("lead2@lead.test", "2026-03-02T09:00:00Z", "2026-03-05T09:00:00Z")
        .await;
    env.run_at(
        "2026-03-03T09:00:00Z",
        &["lead", "pause", "lead1@lead.test", "--campaign", "q1-outreach"],
    );
    env.run_at(
        "2026-03-03T09:00:00Z",
        &[
            "lead",
            "pause",
            "lead2@lead.test",
            "--campaign",
            "q1-outreach",
            "--until",
            "2026-06-01",
        ],
    );
    let out = env.run_at("2026-04-10T09:00:00Z", &["report", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&String::from_utf8_lossy(&out.stdout));
    let counts = lines.iter().find(|l| l["kind"] == "counts").expect("counts line");
    assert_eq!(counts["counts"]["paused"], 2);
    let ada = lines
        .iter()
        .find(|l| l["email"] == "lead1@lead.test")
        .expect("ada");
    assert_eq!(
        (ada["stale"].as_bool(), ada["paused_days"].as_i64()),
        (Some(true), Some(38))
    );
    let grace = lines
        .iter()
        .find(|l| l["email"] == "lead2@lead.test")
        .expect("grace");
    assert_eq!(grace["stale"], false, "a pause with a resume date is never stale");
    let table = String::from_utf8_lossy(&env.run_at("2026-04-10T09:00:00Z", &["report"]).stdout).into_owned();
    assert!(
        table.contains("STALE") && table.contains("1 stale pauses"),
        "{table}"
    );
    // Not stale yet a week after the pause.
    let early = json_lines(&String::from_utf8_lossy(
        &env.run_at("2026-03-10T09:00:00Z", &["report", "--json"]).stdout,
    ));
    assert!(early.iter().all(|l| l["stale"] != true), "{early:?}");
}

async fn r11_report_and_check_name_a_campaign_that_no_longer_parses(env: &Env) {
    // See: #11.
    env.examples();
    env.ok(&["campaign", "launch", "q1-outreach"]);
    env.db
        .store
        .execute_raw("UPDATE campaigns SET spec_toml = 'name = 1' WHERE name = 'q1-outreach'")
        .await
        .expect("corrupt");
    let out = env.run(&["report", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&String::from_utf8_lossy(&out.stdout));
    let bad = lines
        .iter()
        .find(|l| l["kind"] == "unreadable")
        .expect("unreadable line");
    assert_eq!(bad["campaign"], "q1-outreach");
    let table = env.ok(&["report"]);
    assert!(
        table.contains("UNREADABLE: campaign \"q1-outreach\" as stored does not parse"),
        "{table}"
    );
    // `check` fails on it (and on the mailboxes, which nothing serves here).
    let out = env.run(&["check"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAIL campaign \"q1-outreach\" as stored does not parse"),
        "{text}"
    );
}

#[tokio::test]
async fn store_opens_sqlite_in_wal_mode_under_the_state_dir() {
    let db = sqlite_db().await;
    let mode = db.store.execute_raw("PRAGMA journal_mode").await;
    assert!(mode.is_ok());
    let path = cadenced::db::sqlite_path(&db.url).expect("path").to_path_buf();
    assert!(path.exists(), "{} created", path.display());
    let wal = path.with_extension("db-wal");
    assert!(
        wal.exists(),
        "WAL file {} exists while the pool is open",
        wal.display()
    );
    db.cleanup().await;
}
