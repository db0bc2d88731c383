//! The SQLite file on a full disk or a read-only file system, under a real `cadenced run` child
//! process, a real Postfix + Dovecot and a real file system mounted for the test (root needed).
//!
//! What a user must see: the daemon stays up and says once, in plain words, that the database
//! cannot be written; nothing goes out that it cannot record; replies that arrive meanwhile are
//! applied once it can write again, exactly once, and every due step goes out exactly once. At
//! start, a database that cannot be written is one line and exit status 2, at once.
//!
//! A read-only file system while running cannot be made with `mount -o remount,ro`: the
//! kernel refuses it (EBUSY) while a process has a file open for writing there, which the
//! daemon always has. It happens when the kernel itself turns a file system read-only after
//! an error (ext4 `errors=remount-ro`); the test does exactly that, on an ext4 image on a loop
//! device. That state only ends with a repair and a new mount, so the daemon is restarted.

use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cadenced::clock::{Clock, SystemClock};

use crate::support::campaign::Campaign;
use crate::support::daemon::{cli, cli_ok, enroll, write_config, DaemonProcess, TestMailbox};
use crate::support::mailstack::{MailStack, SALES};
use crate::support::{lazy, wait_for};

/// The ERROR line's constant part; the path and the problem come before it.
const DEGRADED: &str = "nothing is sent or ingested until it can be written.";
/// The INFO line when writes work again.
const RECOVERED: &str = "writable again; sending and ingest resume.";

/// A file system mounted for one test, unmounted on drop (lazily if something still holds it).
struct Mounted {
    dir: PathBuf,
}

impl Mounted {
    /// A tmpfs of `size` (`"8m"`) on `dir`.
    fn tmpfs(dir: &Path, size: &str) -> Mounted {
        std::fs::create_dir_all(dir).expect("mount point");
        run(Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir));
        Mounted {
            dir: dir.to_path_buf(),
        }
    }

    /// A fresh ext4 file system in `image` (32 MB) on a loop device, mounted on `dir` with
    /// `errors=remount-ro`, as `/var/lib` usually is.
    fn ext4(image: &Path, dir: &Path) -> Mounted {
        std::fs::File::create(image)
            .and_then(|f| f.set_len(32 << 20))
            .expect("image file");
        run(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(image));
        std::fs::create_dir_all(dir).expect("mount point");
        Mounted::ext4_again(image, dir)
    }

    /// Mounts an existing ext4 image again.
    fn ext4_again(image: &Path, dir: &Path) -> Mounted {
        run(Command::new("mount")
            .args(["-o", "loop,errors=remount-ro"])
            .arg(image)
            .arg(dir));
        Mounted {
            dir: dir.to_path_buf(),
        }
    }

    /// Makes the kernel turn the ext4 file system read-only, as after an I/O error.
    fn ext4_error(&self) {
        let out = Command::new("findmnt")
            .args(["-n", "-o", "SOURCE"])
            .arg(&self.dir)
            .output()
            .expect("findmnt");
        let source = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let dev = source.rsplit('/').next().expect("device name");
        std::fs::write(format!("/sys/fs/ext4/{dev}/trigger_fs_error"), "1").expect("trigger an ext4 error");
    }

    fn remount(&self, how: &str) {
        run(Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(&self.dir));
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run a system command");
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A read-only connection to the daemon's SQLite file, held open while the disk is full.
///
/// SQLite frees space on its own: when the last connection to a database closes, it copies
/// the WAL into the database file (no growth needed when the WAL only rewrites pages) and
/// deletes the WAL. The daemon closes a connection whose write failed half-way, so if at one
/// moment those were all its connections, the full disk has room again, writes work, and a
/// step goes out (claimed first, so recorded). That is right, but it is not the full disk
/// this test is about; any other open connection (an operator's `sqlite3`, a CLI command)
/// keeps the WAL, as this one does.
struct WalKeeper {
    rt: tokio::runtime::Runtime,
    pool: sqlx::sqlite::SqlitePool,
}

impl WalKeeper {
    fn open(db: &Path) -> WalKeeper {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let pool = rt.block_on(async {
            let opts = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(db)
                .read_only(true);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .connect_with(opts)
                .await
                .expect("open the daemon's database");
            // A first read opens the WAL: the connection holds its lock from then on.
            sqlx::query("SELECT count(*) FROM sqlite_master")
                .execute(&pool)
                .await
                .expect("read the daemon's database");
            pool
        });
        WalKeeper { rt, pool }
    }
}

impl Drop for WalKeeper {
    fn drop(&mut self) {
        self.rt.block_on(self.pool.close());
    }
}

/// Writes a file in `dir` until the file system is full to the last byte; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    for chunk in [1 << 20, 4096, 1] {
        let bytes = vec![0u8; chunk];
        loop {
            match file.write_all(&bytes) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling {}: {e}", dir.display()),
            }
        }
    }
    path
}

/// [`wait_for`] `cond` for `timeout`; the failure names `what` and shows the daemon's log.
fn wait_until(daemon: &DaemonProcess, what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let what = lazy(|| format!("{what}; log:\n{}", daemon.log()));
    wait_for(timeout.as_secs(), what, || cond().then_some(()));
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let prefix = format!("{}:", name.to_ascii_lowercase());
    text.lines()
        .take_while(|l| !l.is_empty())
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_string())
}

/// The Message-IDs in `lead`'s INBOX, one per message.
fn received(stack: &MailStack, lead: &str) -> Vec<String> {
    stack
        .maildir_messages(lead)
        .iter()
        .map(|m| header(m, "Message-ID").expect("every step has a Message-ID"))
        .collect()
}

/// Sends `raw` (headers and body, `\n` line ends) from `from` to the sales mailbox through
/// the stack's Postfix, as the lead's own mail server would.
fn reply(stack: &MailStack, from: &str, raw: &str) {
    use lettre::Transport;
    let envelope = lettre::address::Envelope::new(
        Some(from.parse().expect("from")),
        vec![SALES.parse().expect("to")],
    )
    .expect("envelope");
    let transport = lettre::SmtpTransport::builder_dangerous("127.0.0.1")
        .port(stack.smtp_port())
        .build();
    transport
        .send_raw(&envelope, raw.replace('\n', "\r\n").as_bytes())
        .expect("postfix accepts the reply");
}

/// A human "no, thanks" in the thread of `parent`.
fn human_reply(stack: &MailStack, lead: &str, parent: &str) {
    let from = format!("{lead}@lead.test");
    let date = SystemClock.now().to_rfc2822();
    reply(
        stack,
        &from,
        &format!(
            "From: {from}\nTo: {SALES}\nSubject: Re: Quick question\nDate: {date}\n\
             Message-ID: <human.{lead}@lead.test>\nIn-Reply-To: {parent}\nReferences: {parent}\n\
             Content-Type: text/plain; charset=utf-8\n\n\
             Thanks for reaching out, but we are happy with our current provider.\n\nBest, Ann\n"
        ),
    );
}

/// An out-of-office answer in the thread of `parent`, back in ten days.
fn ooo_reply(stack: &MailStack, lead: &str, parent: &str) {
    let from = format!("{lead}@lead.test");
    let now = SystemClock.now();
    let back = (now + chrono::Duration::days(10)).format("%B %-d, %Y");
    reply(
        stack,
        &from,
        &format!(
            "From: {from}\nTo: {SALES}\nSubject: Out of office: Quick question\nDate: {}\n\
             Message-ID: <ooo.{lead}@lead.test>\nIn-Reply-To: {parent}\nReferences: {parent}\n\
             Auto-Submitted: auto-replied\nContent-Type: text/plain; charset=utf-8\n\n\
             I am out of the office until {back} with limited access to email.\n",
            now.to_rfc2822()
        ),
    );
}

/// `lead show --json` of `lead` in `campaign`.
fn show(config: &Path, lead: &str, campaign: &str) -> serde_json::Value {
    let out = cli_ok(
        config,
        &[
            "lead",
            "show",
            &format!("{lead}@lead.test"),
            "--campaign",
            campaign,
            "--json",
        ],
    );
    serde_json::from_str(out.trim()).expect("lead show prints one JSON object")
}

/// How many changes replies made to the lead (events by `auto`, with the message that caused
/// them): a reply applied twice would show twice.
fn auto_events(lead: &serde_json::Value) -> usize {
    lead["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["actor"] == "auto" && !e["message_id"].is_null())
        .count()
}

/// Everything datagrams told systemd so far (`READY=1`, `STATUS=…`).
fn notified(socket: &UnixDatagram, seen: &mut String) -> String {
    let mut buf = [0u8; 4096];
    while let Ok(n) = socket.recv(&mut buf) {
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        seen.push('\n');
    }
    seen.clone()
}

/// Always open, no gap; step 2 a week after step 1.
fn campaign() -> Campaign {
    Campaign::new("c")
        .line("limits = { min_gap = \"0s\" }")
        .step(
            "0s",
            "Quick question, {{first_name}}",
            "Hi {{first_name}}, a quick question.",
        )
        .follow_up("7d", "Hi again {{first_name}}.")
}

/// A second campaign whose first step falls due `LATER_DELAY` after launch: while the
/// database cannot be written.
fn later() -> Campaign {
    Campaign::new("later").line("limits = { min_gap = \"0s\" }").step(
        "5s",
        "Another question, {{first_name}}",
        "Hi {{first_name}}.",
    )
}
const LATER_DELAY: Duration = Duration::from_secs(5);

/// Applies both campaigns, enrolls `in_c` in `c` (launched) and `in_later` in `later` (not
/// launched yet).
fn campaigns(dir: &Path, config: &Path, in_c: &[&str], in_later: &[&str]) {
    for (file, leads) in [(campaign(), in_c), (later(), in_later)] {
        let rows: String = leads
            .iter()
            .map(|l| format!("{l}@lead.test,{}\n", l.replace("lead", "Lead")))
            .collect();
        enroll(
            config,
            dir,
            file.name(),
            &file.toml(),
            &format!("email,first_name\n{rows}"),
        );
    }
    cli_ok(config, &["campaign", "launch", "c"]);
}

#[test]
fn a_full_disk_while_running_sends_nothing_unrecorded_and_loses_no_reply() {
    let stack = MailStack::start(4);
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    let mount = Mounted::tmpfs(&state, "8m");
    let db = state.join("cadenced.db");
    let config = write_config(
        dir.path(),
        &stack,
        &format!("sqlite://{}", db.display()),
        &[TestMailbox {
            name: "sales",
            address: SALES,
        }],
        "",
    );
    campaigns(dir.path(), &config, &["lead1", "lead2", "lead3"], &["lead4"]);
    let socket_path = dir.path().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("notify socket");
    socket.set_nonblocking(true).expect("nonblocking");
    let mut status = String::new();
    let socket_env = socket_path.display().to_string();
    let mut daemon = DaemonProcess::start_with_env(&config, "daemon", &[("NOTIFY_SOCKET", &socket_env)]);
    daemon.wait_for_log("Daemon started.", 0, Duration::from_secs(20));
    let mut step1 = Vec::new();
    for lead in ["lead1", "lead2", "lead3"] {
        let msgs = stack.wait_for_messages_blocking(lead, 1, Duration::from_secs(30));
        step1.push(header(&msgs[0], "Message-ID").expect("Message-ID"));
    }
    wait_until(
        &daemon,
        "step 1 is recorded for all three",
        Duration::from_secs(10),
        || {
            ["lead1", "lead2", "lead3"]
                .iter()
                .all(|lead| show(&config, lead, "c")["status"] == "in_progress")
        },
    );

    // The disk fills up; a step falls due, two replies come in.
    cli_ok(&config, &["campaign", "launch", "later"]);
    let due = Instant::now() + LATER_DELAY;
    let keeper = WalKeeper::open(&db);
    let filler = fill(&state);
    human_reply(&stack, "lead1", &step1[0]);
    ooo_reply(&stack, "lead2", &step1[1]);
    let line = format!("{}: disk full; {DEGRADED}", db.display());
    daemon.wait_for_log(&line, 0, Duration::from_secs(20));
    stack.wait_for_messages_blocking("sales", 2, Duration::from_secs(20));
    wait_until(
        &daemon,
        "systemd hears that the daemon is degraded",
        Duration::from_secs(5),
        || notified(&socket, &mut status).contains("STATUS=degraded: database disk full"),
    );
    // A few scheduler rounds after the step is due, and a watcher pass over the replies:
    // nothing went out, nothing was applied, the daemon runs on and has said it once.
    let settle = due + Duration::from_secs(2);
    std::thread::sleep(settle.saturating_duration_since(Instant::now()));
    assert!(daemon.is_running(), "the daemon exited:\n{}", daemon.log());
    assert!(
        received(&stack, "lead4").is_empty(),
        "a step went out that could not be recorded; log:\n{}",
        daemon.log()
    );
    assert_eq!(show(&config, "lead1", "c")["status"], "in_progress");
    assert_eq!(show(&config, "lead2", "c")["status"], "in_progress");
    assert_eq!(daemon.log().matches(DEGRADED).count(), 1, "{}", daemon.log());

    // Space again: the due step goes out once, each reply is applied once.
    std::fs::remove_file(&filler).expect("remove the filler");
    drop(keeper);
    let at = daemon.wait_for_log(RECOVERED, 0, Duration::from_secs(10));
    stack.wait_for_messages_blocking("lead4", 1, Duration::from_secs(20));
    wait_until(
        &daemon,
        "both replies are applied",
        Duration::from_secs(20),
        || {
            show(&config, "lead1", "c")["status"] == "stopped"
                && show(&config, "lead2", "c")["status"] == "paused"
        },
    );
    wait_until(
        &daemon,
        "systemd hears that the daemon runs again",
        Duration::from_secs(5),
        || {
            notified(&socket, &mut status)
                .rsplit("STATUS=")
                .next()
                .is_some_and(|s| s.starts_with("running"))
        },
    );
    // Let a few more rounds pass (the scheduler goes round every 200 ms) before counting.
    std::thread::sleep(Duration::from_secs(1));
    let lead1 = show(&config, "lead1", "c");
    let lead2 = show(&config, "lead2", "c");
    assert_eq!(lead1["stop_reason"], "replied", "{lead1}");
    assert_eq!(lead2["pause_reason"], "out_of_office", "{lead2}");
    assert!(!lead2["return_date"].is_null(), "{lead2}");
    assert_eq!(auto_events(&lead1), 1, "the human reply applied once: {lead1}");
    assert_eq!(auto_events(&lead2), 1, "the out-of-office applied once: {lead2}");
    for lead in ["lead1", "lead2", "lead3", "lead4"] {
        assert_eq!(received(&stack, lead).len(), 1, "{lead} got each due step once");
    }
    assert_eq!(
        daemon.log()[at..].matches(DEGRADED).count(),
        0,
        "{}",
        daemon.log()
    );
    assert!(daemon.terminate(Duration::from_secs(25)).success());
    drop(mount);
}

#[test]
fn a_file_system_gone_read_only_degrades_the_daemon_and_a_restart_after_repair_loses_nothing() {
    let stack = MailStack::start(3);
    let dir = tempfile::tempdir().expect("tempdir");
    let image = dir.path().join("state.ext4");
    let state = dir.path().join("state");
    let mount = Mounted::ext4(&image, &state);
    let db = state.join("cadenced.db");
    let config = write_config(
        dir.path(),
        &stack,
        &format!("sqlite://{}", db.display()),
        &[TestMailbox {
            name: "sales",
            address: SALES,
        }],
        "",
    );
    campaigns(dir.path(), &config, &["lead1", "lead2"], &["lead3"]);
    let mut daemon = DaemonProcess::start(&config, "daemon");
    daemon.wait_for_log("Daemon started.", 0, Duration::from_secs(20));
    let lead1_step1 = header(
        &stack.wait_for_messages_blocking("lead1", 1, Duration::from_secs(30))[0],
        "Message-ID",
    )
    .expect("Message-ID");
    stack.wait_for_messages_blocking("lead2", 1, Duration::from_secs(30));
    wait_until(
        &daemon,
        "step 1 is recorded for both",
        Duration::from_secs(10),
        || {
            ["lead1", "lead2"]
                .iter()
                .all(|lead| show(&config, lead, "c")["status"] == "in_progress")
        },
    );

    // The kernel turns the file system read-only; a step falls due, a reply comes in.
    cli_ok(&config, &["campaign", "launch", "later"]);
    let due = Instant::now() + LATER_DELAY;
    // What was written so far is on the disk (synchronous = NORMAL leaves recent commits in
    // the page cache, which an aborted ext4 journal drops).
    run(Command::new("sync").arg("-f").arg(&db));
    mount.ext4_error();
    human_reply(&stack, "lead1", &lead1_step1);
    let line = format!("{}: read-only file system; {DEGRADED}", db.display());
    daemon.wait_for_log(&line, 0, Duration::from_secs(20));
    stack.wait_for_messages_blocking("sales", 1, Duration::from_secs(20));
    let settle = due + Duration::from_secs(2);
    std::thread::sleep(settle.saturating_duration_since(Instant::now()));
    assert!(daemon.is_running(), "the daemon exited:\n{}", daemon.log());
    assert!(
        received(&stack, "lead3").is_empty(),
        "a step went out that could not be recorded"
    );
    assert_eq!(daemon.log().matches(DEGRADED).count(), 1, "{}", daemon.log());
    // The operator's way out: stop, repair, mount, start.
    assert!(
        daemon.terminate(Duration::from_secs(25)).success(),
        "{}",
        daemon.log()
    );
    drop(mount);
    let fsck = Command::new("e2fsck")
        .arg("-fy")
        .arg(&image)
        .output()
        .expect("e2fsck");
    // 0: clean, 1: errors corrected.
    assert!(
        matches!(fsck.status.code(), Some(0 | 1)),
        "e2fsck: {}",
        String::from_utf8_lossy(&fsck.stdout)
    );
    let mount = Mounted::ext4_again(&image, &state);
    let mut daemon = DaemonProcess::start(&config, "daemon after repair");
    daemon.wait_for_log("Daemon started.", 0, Duration::from_secs(20));
    stack.wait_for_messages_blocking("lead3", 1, Duration::from_secs(20));
    wait_until(&daemon, "the reply is applied", Duration::from_secs(20), || {
        show(&config, "lead1", "c")["status"] == "stopped"
    });
    std::thread::sleep(Duration::from_secs(1));
    let lead1 = show(&config, "lead1", "c");
    assert_eq!(lead1["stop_reason"], "replied", "{lead1}");
    assert_eq!(auto_events(&lead1), 1, "the reply applied once: {lead1}");
    for lead in ["lead1", "lead2", "lead3"] {
        assert_eq!(received(&stack, lead).len(), 1, "{lead} got each due step once");
    }
    assert!(daemon.terminate(Duration::from_secs(25)).success());
    drop(mount);
}

/// Runs `cadenced run` with the log level it has in production and checks that it gives up at
/// once, with exit status 2 and `line` as the only thing on stderr; then that `check` says the
/// same as one FAIL line.
fn refused_at_start(config: &Path, db: &Path, problem: &str) {
    let started = Instant::now();
    let mut daemon = DaemonProcess::start_with_env(config, "run", &[("CADENCED_LOG", "info,sqlx=warn")]);
    let status = daemon.wait(Duration::from_secs(10));
    let took = started.elapsed();
    let log = daemon.log();
    assert_eq!(status.code(), Some(2), "{problem}: {log}");
    assert!(took < Duration::from_secs(5), "{problem}: took {took:?}");
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines, [format!("cadenced: database {}: {problem}", db.display())]);
    let out = cli(config, &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("FAIL database {}: {problem}\n", db.display())),
        "{stdout}"
    );
}

#[test]
fn a_database_that_cannot_be_written_at_start_is_one_line_and_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    let mount = Mounted::tmpfs(&state, "4m");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "state_dir = \"state\"\n[daemon]\nmax_idle = \"200ms\"\n").expect("config");
    cli_ok(&config, &["migrate"]);
    let db = state.join("cadenced.db");

    mount.remount("ro");
    refused_at_start(&config, &db, "read-only file system");
    mount.remount("rw");

    let filler = fill(&state);
    refused_at_start(&config, &db, "disk full");
    std::fs::remove_file(filler).expect("remove the filler");

    // Fixed: the daemon starts.
    let mut daemon = DaemonProcess::start(&config, "daemon");
    daemon.wait_for_log("Daemon started.", 0, Duration::from_secs(20));
    assert!(daemon.terminate(Duration::from_secs(25)).success());
}
