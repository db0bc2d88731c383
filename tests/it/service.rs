//! Running as a service: the shipped systemd unit verifies and is hardened, and the daemon
//! speaks the sd_notify protocol (READY, STATUS, WATCHDOG, STOPPING) and drains on SIGTERM.

use std::os::unix::net::UnixDatagram;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::campaign::Campaign;
use crate::support::config::{self, Mailbox};
use crate::support::daemon::DaemonProcess;
use crate::support::{lazy, wait_for};

fn unit_with_test_binary(dir: &Path) -> std::path::PathBuf {
    let unit =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("systemd/cadenced.service"))
            .expect("read unit");
    let unit = unit.replace(
        "ExecStart=/usr/bin/cadenced",
        &format!("ExecStart={}", env!("CARGO_BIN_EXE_cadenced")),
    );
    let path = dir.join("cadenced.service");
    std::fs::write(&path, unit).expect("write unit");
    path
}

#[test]
fn shipped_unit_verifies_and_rates_two_or_lower() {
    let dir = tempfile::tempdir().expect("tempdir");
    let unit = unit_with_test_binary(dir.path());
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .expect("systemd-analyze (package systemd) is installed by scripts/test");
    assert!(
        verify.status.success(),
        "verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let security = Command::new("systemd-analyze")
        .args(["security", "--offline=yes"])
        .arg(&unit)
        .output()
        .expect("systemd-analyze security");
    let text =
        String::from_utf8_lossy(&security.stdout).into_owned() + &String::from_utf8_lossy(&security.stderr);
    let level: f64 = text
        .lines()
        .find_map(|l| l.split("Overall exposure level for cadenced.service:").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no exposure level in:\n{text}"));
    assert!(level <= 2.0, "exposure {level} > 2.0:\n{text}");
    let unit_text = std::fs::read_to_string(&unit).expect("unit");
    for needle in [
        "Type=notify",
        "WatchdogSec=",
        "StateDirectory=cadenced",
        "ConfigurationDirectory=cadenced",
        "User=cadenced",
        "RestartPreventExitStatus=2",
    ] {
        assert!(unit_text.contains(needle), "{needle} missing");
    }
}

#[test]
fn daemon_notifies_ready_feeds_the_watchdog_and_drains_on_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("bind notify socket");
    socket
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "state_dir = \"state\"\n[daemon]\nmax_idle = \"200ms\"\n").expect("config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .args(["--config"])
        .arg(&config)
        .arg("run")
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1000000")
        .env_remove("WATCHDOG_PID")
        .spawn()
        .expect("start daemon");
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut buf = [0u8; 4096];
    while !(seen.contains("READY=1") && seen.matches("WATCHDOG=1").count() >= 2) {
        assert!(
            Instant::now() < deadline,
            "no READY and watchdog pings; got {seen:?}"
        );
        if let Ok(n) = socket.recv(&mut buf) {
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            seen.push('\n');
        }
    }
    assert!(seen.contains("STATUS=running"), "{seen}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "daemon did not drain within 30 s");
        if let Ok(n) = socket.recv(&mut buf) {
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    };
    while let Ok(n) = socket.recv(&mut buf) {
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(status.success(), "exit status {status}");
    assert!(seen.contains("STOPPING=1"), "{seen}");
    assert!(
        dir.path().join("state/cadenced.db").exists(),
        "SQLite under the state directory"
    );
}

#[test]
fn check_says_what_is_wrong_in_one_line_each() {
    let stack = crate::support::mailstack::MailStack::start(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = dir.path().join("pass");
    std::fs::write(&pass, "secret\n").expect("pass");
    std::fs::write(dir.path().join("wrong.pass"), "not-the-password\n").expect("pass");
    let dead = crate::support::mailstack::unused_port();
    let good = Mailbox::new("good", "sales@example.test", stack.imap_port(), stack.smtp_port())
        .password_file("pass");
    let broken =
        Mailbox::new("broken", "sales@example.test", dead, dead).password_env("CADENCED_TEST_NO_SUCH_VAR");
    let wrongpass = Mailbox::new(
        "wrongpass",
        "sales@example.test",
        stack.imap_port(),
        stack.smtp_port(),
    )
    .password_file("wrong.pass");
    let config = config::write(dir.path(), "", &[good, broken, wrongpass]);
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("check")
        .output()
        .expect("check");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let db = dir.path().join("state/cadenced.db");
    assert!(
        stdout.contains(&format!(
            "ok   database {} (sqlite, migrated, writable)",
            db.display()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("ok   rules:"), "{stdout}");
    assert!(stdout.contains("ok   mailbox good smtp"), "{stdout}");
    // A real IMAP login, not just a TCP connection.
    assert!(
        stdout.contains(&format!(
            "ok   mailbox good imap 127.0.0.1:{}: logged in as sales@example.test",
            stack.imap_port()
        )),
        "{stdout}"
    );
    assert!(stdout.contains("ok   mailbox wrongpass smtp"), "{stdout}");
    let fails: Vec<&str> = stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fails.len(), 4, "{stdout}");
    let broken: Vec<&&str> = fails.iter().filter(|l| l.contains("mailbox broken")).collect();
    assert_eq!(broken.len(), 3, "smtp, imap password, imap server:\n{stdout}");
    assert!(
        broken.iter().any(|l| l.contains("CADENCED_TEST_NO_SUCH_VAR")),
        "{stdout}"
    );
    // A wrong password says so plainly, naming the mailbox, the server and the login.
    let refused = fails
        .iter()
        .find(|l| l.contains("mailbox wrongpass"))
        .unwrap_or_else(|| panic!("no FAIL line for the wrong password:\n{stdout}"));
    assert!(
        refused.starts_with(&format!(
            "FAIL mailbox wrongpass imap 127.0.0.1:{}: login as sales@example.test refused",
            stack.imap_port()
        )) && refused.ends_with("refused: [AUTHENTICATIONFAILED] Authentication failed."),
        "{stdout}"
    );
}

const GOOD_RULE: &str = "[[rule]]\nname = \"op-marker\"\ncategory = \"human\"\nlanguage = \"en\"\nbody = { any = ['zz-operator-marker'] }\n";
const BROKEN_RULE: &str = "[[rule]]\nname = \"op-marker\"\ncategory = \"human\"\nlanguage = \"en\"\nbody = { any = ['(unclosed'] }\n";

#[test]
fn broken_rules_are_fatal_at_start_and_kept_out_on_reload() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("rules dir");
    let rule_file = rules.join("ops.toml");
    std::fs::write(&rule_file, BROKEN_RULE).expect("rule");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "state_dir = \"state\"\n[rules]\ndirs = [\"rules\"]\n[daemon]\nmax_idle = \"200ms\"\n",
    )
    .expect("config");
    // At startup a broken rule file is fatal, naming the file, the line and the rule.
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ops.toml:5") && err.contains("op-marker"), "{err}");

    std::fs::write(&rule_file, GOOD_RULE).expect("rule");
    let mut daemon = DaemonProcess::start(&config, "daemon");
    let wait = Duration::from_secs(20);
    let at = daemon.wait_for_log("Daemon started.", 0, wait);
    // A broken edit followed by SIGHUP: logged, the old rules stay, the daemon runs on.
    std::fs::write(&rule_file, BROKEN_RULE).expect("rule");
    daemon.signal("-HUP");
    let at = daemon.wait_for_log("Rules not reloaded; the previous rules stay in force.", at, wait);
    assert!(
        daemon.log().contains("ops.toml:5"),
        "the error names file and line"
    );
    assert!(daemon.is_running(), "still running");
    // Fixing the file is enough: the change is seen without a signal.
    std::fs::write(&rule_file, GOOD_RULE).expect("rule");
    daemon.wait_for_log("Rules reloaded.", at, wait);
    let status = daemon.terminate(Duration::from_secs(30));
    assert!(status.success());
}

#[test]
fn metrics_are_served_on_loopback() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let port = crate::support::mailstack::unused_port();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("state_dir = \"state\"\n[metrics]\nlisten = \"127.0.0.1:{port}\"\n"),
    )
    .expect("config");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run");
    let body = crate::support::wait_for(20, format!("metrics on 127.0.0.1:{port}"), || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        let _ = s.write_all(b"GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n");
        let mut body = String::new();
        let _ = s.read_to_string(&mut body);
        body.contains("cadenced_rules_loaded").then_some(body)
    });
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    child.wait().expect("wait");
    let loaded: f64 = body
        .lines()
        .find(|l| l.starts_with("cadenced_rules_loaded "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .expect("gauge value");
    assert!(loaded >= 30.0, "{body}");
}

#[test]
fn a_full_run_never_logs_passwords_or_bodies() {
    let stack = crate::support::mailstack::MailStack::start(2);
    let password = "Zq9-never-in-logs-4711";
    let out = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mailstack.sh"))
        .args(["user"])
        .arg(stack.dir())
        .args(["carol@example.test", password])
        .output()
        .expect("add user");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    stack.vacation(
        "lead2",
        "I am out of the office until Monday, December 14.",
        "Out of office",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("carol.pass"), format!("{password}\n")).expect("pass");
    let carol = Mailbox::new(
        "carol",
        "carol@example.test",
        stack.imap_port(),
        stack.smtp_port(),
    )
    .password_file("carol.pass")
    .smtp_auth();
    let config = config::write(dir.path(), "[daemon]\nmax_idle = \"200ms\"", &[carol]);
    let campaign = dir.path().join("campaign.toml");
    std::fs::write(
        &campaign,
        Campaign::new("c")
            .mailbox("carol")
            .step(
                "0s",
                "Hello {{first_name}}",
                "Distinctive-body-marker for {{first_name}}.",
            )
            .step("3d", "Again {{first_name}}", "Second distinctive-body-marker.")
            .toml(),
    )
    .expect("campaign");
    let leads = dir.path().join("leads.csv");
    std::fs::write(
        &leads,
        "email,first_name\nlead1@lead.test,Ann\nlead2@lead.test,Bob\n",
    )
    .expect("csv");
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .expect("cli");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    cli(&["campaign", "apply", &campaign.display().to_string()]);
    cli(&[
        "leads",
        "import",
        "--quiet",
        "--campaign",
        "c",
        &leads.display().to_string(),
    ]);
    cli(&["campaign", "launch", "c"]);
    let mut daemon = DaemonProcess::start_with_env(&config, "daemon", &[("CADENCED_LOG", "trace,sqlx=info")]);
    stack.wait_for_messages_blocking("lead1", 1, Duration::from_secs(30));
    // The vacation reply comes back and is acted on: the whole path ran, at TRACE level.
    let tail = || {
        let log = daemon.log();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        format!("lead2 paused; log tail:\n{}\n{}", tail.join("\n"), stack.logs())
    };
    wait_for(30, lazy(tail), || {
        let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .arg("--config")
            .arg(&config)
            .args(["lead", "show", "lead2@lead.test", "--campaign", "c", "--json"])
            .output()
            .expect("show");
        String::from_utf8_lossy(&out.stdout)
            .contains("\"status\":\"paused\"")
            .then_some(())
    });
    daemon.terminate(Duration::from_secs(30));
    let log = daemon.log();
    assert!(log.contains("Daemon started."), "the log was captured:\n{log}");
    assert!(!log.contains(password), "the password was logged");
    assert!(!log.contains("Distinctive-body-marker"), "a body was logged");
    assert!(
        !log.contains("out of the office until"),
        "a reply's text was logged"
    );
}
