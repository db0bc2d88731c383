//! `cadenced run` as a real child process, for tests that must kill it (SIGKILL, SIGTERM) or
//! run several at once, and the config file such a daemon reads.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::config::Mailbox;
use super::mailstack::{MailStack, PASSWORD};
use super::{lazy, wait_for};

/// A mailbox of the test config: its name and address (a user of the mail stack).
#[derive(Debug, Clone, Copy)]
pub struct TestMailbox<'a> {
    /// Config name.
    pub name: &'a str,
    /// Address and IMAP login.
    pub address: &'a str,
}

/// Writes `dir/config.toml` for `db_url` with `mailboxes` on `stack` (plain SMTP and IMAP on
/// loopback, the stack's password in a file, Sent copies on) and `daemon_extra` lines added to
/// the `[daemon]` table. Returns the config path.
pub fn write_config(
    dir: &Path,
    stack: &MailStack,
    db_url: &str,
    mailboxes: &[TestMailbox<'_>],
    daemon_extra: &str,
) -> PathBuf {
    let pass = dir.join("mailbox.pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).expect("password file");
    let mut text = format!(
        "state_dir = \"{dir}/state\"\n[database]\nurl = \"{db_url}\"\n[daemon]\nmax_idle = \"200ms\"\n{daemon_extra}\n",
        dir = dir.display()
    );
    for mb in mailboxes {
        let table = Mailbox::new(mb.name, mb.address, stack.imap_port(), stack.smtp_port())
            .line("poll_interval = \"2s\"")
            .password_file(pass.display());
        text.push_str(&table.toml());
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

/// Runs the CLI against `config`; the output whatever the exit status.
pub fn cli(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("run cadenced")
}

/// Runs the CLI and panics with its output unless it succeeds; returns stdout.
pub fn cli_ok(config: &Path, args: &[&str]) -> String {
    let out = cli(config, args);
    assert!(
        out.status.success(),
        "cadenced {args:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Applies the campaign `toml` (named `name`) and imports `csv` (a whole CSV file, header
/// line included) into it through the CLI, as an operator would; the files go to `dir`.
/// The campaign is not launched.
pub fn enroll(config: &Path, dir: &Path, name: &str, toml: &str, csv: &str) {
    let campaign = dir.join(format!("{name}.toml"));
    std::fs::write(&campaign, toml).expect("campaign file");
    cli_ok(
        config,
        &["campaign", "apply", campaign.to_str().expect("utf-8 path")],
    );
    let leads = dir.join(format!("{name}.csv"));
    std::fs::write(&leads, csv).expect("leads file");
    cli_ok(
        config,
        &[
            "leads",
            "import",
            "--quiet",
            "--campaign",
            name,
            leads.to_str().expect("utf-8 path"),
        ],
    );
}

/// A `cadenced run` child with its log (stderr) collected as it comes.
pub struct DaemonProcess {
    child: Child,
    log: Arc<Mutex<String>>,
    /// A label for messages ("daemon 2").
    pub label: String,
}

impl DaemonProcess {
    /// Starts `cadenced --config config run` with debug logs for the crate.
    pub fn start(config: &Path, label: &str) -> DaemonProcess {
        DaemonProcess::start_with_env(config, label, &[])
    }

    /// [`DaemonProcess::start`] with extra environment variables.
    pub fn start_with_env(config: &Path, label: &str, env: &[(&str, &str)]) -> DaemonProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cadenced"));
        cmd.arg("--config")
            .arg(config)
            .arg("run")
            .env("CADENCED_LOG", "cadenced=debug")
            .env_remove("NOTIFY_SOCKET")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start cadenced run");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("piped stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                s.push_str(&line);
                s.push('\n');
            }
        });
        DaemonProcess {
            child,
            log,
            label: label.to_string(),
        }
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Everything logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until the log contains `needle` after byte `after`; returns the offset past it.
    /// Panics with the log after `timeout`, or if the process exits first.
    pub fn wait_for_log(&mut self, needle: &str, after: usize, timeout: Duration) -> usize {
        let (label, log, child) = (&self.label, &self.log, &mut self.child);
        let text = || log.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let what = lazy(|| format!("{label}: {needle:?} in the log:\n{}", text()));
        wait_for(timeout.as_secs(), what, || {
            let seen = text();
            if let Some(i) = seen[after.min(seen.len())..].find(needle) {
                return Some(after + i + needle.len());
            }
            if let Ok(Some(status)) = child.try_wait() {
                // Let the reader thread take the last lines.
                std::thread::sleep(Duration::from_millis(200));
                panic!("{label} exited ({status}) before logging {needle:?}:\n{}", text());
            }
            None
        })
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `signal` (`-KILL`, `-TERM`, `-HUP`) to the process.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} {}", self.pid());
    }

    /// SIGKILL, then reaps the process.
    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM and waits up to `timeout` for the exit status; panics if it does not exit.
    pub fn terminate(&mut self, timeout: Duration) -> ExitStatus {
        if let Ok(Some(status)) = self.child.try_wait() {
            return status;
        }
        self.signal("-TERM");
        self.wait(timeout)
    }

    /// Waits up to `timeout` for the process to exit on its own.
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let (label, log, child) = (&self.label, &self.log, &mut self.child);
        let what = lazy(|| {
            let log = log.lock().unwrap_or_else(|e| e.into_inner());
            format!("{label} to exit:\n{log}")
        });
        let status = wait_for(timeout.as_secs(), what, || child.try_wait().expect("wait"));
        // Let the reader thread take the last lines.
        std::thread::sleep(Duration::from_millis(100));
        status
    }
}

impl Drop for DaemonProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
