//! A real mail stack per test: Postfix (SMTP) and Dovecot (IMAP, LMTP, Sieve) started by
//! `scripts/mailstack.sh` on free loopback ports in a temporary folder, stopped on drop.
//!
//! ```text
//! test --SMTP--> Postfix --LMTP--> Dovecot (Sieve vacation) --> Maildir <--IMAP-- test/daemon
//! ```
//!
//! Mailboxes: `sales@example.test` and `lead1..leadN@lead.test`, password [`PASSWORD`].
//!
//! TLS: each stack has its own throwaway CA ([`MailStack::ca_file`]) and a server certificate
//! for `localhost` and `127.0.0.1`. STARTTLS is offered on [`MailStack::smtp_port`] and
//! [`MailStack::imap_port`], implicit TLS on [`MailStack::smtps_port`] and
//! [`MailStack::imaps_port`]; none of it is required. Postfix offers SMTP AUTH PLAIN/LOGIN
//! (checked by Dovecot against the same passwords, `535 5.7.8` for a wrong one), optional for
//! clients on 127.0.0.1. [`MailStack::refuse_recipient`] makes Postfix refuse an address at RCPT
//! time with any 4xx/5xx answer.
//! Needs root and the Debian packages that `scripts/test` installs. When a test panics, the folder
//! (configs, `postfix/maillog`, `dovecot.log`, Maildirs) is kept and its path printed.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use super::{lazy, until, wait_for, Lazy};

/// Password of every mailbox.
pub const PASSWORD: &str = "secret";
/// The salesperson's mailbox: the sender of every step, where replies and bounces land.
pub const SALES: &str = "sales@example.test";

/// How long to wait for the servers to accept connections after `start`.
const UP_TIMEOUT: Duration = Duration::from_secs(20);

/// One running Postfix + Dovecot pair. See the module docs.
pub struct MailStack {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
    smtp: u16,
    lmtp: u16,
    imap: u16,
    smtps: u16,
    imaps: u16,
}

/// `lead3` -> `lead3@lead.test`, `sales` -> `sales@example.test`; full addresses pass through.
pub fn address(user: &str) -> String {
    match user {
        u if u.contains('@') => u.to_string(),
        "sales" => SALES.to_string(),
        u => format!("{u}@lead.test"),
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mailstack.sh")
}

/// A port nothing listens on right now (bind port 0, read it back, drop the listener).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// SMTP, LMTP, IMAP, SMTPS, IMAPS.
fn five_free_ports() -> [u16; 5] {
    // Hold all listeners at once so the kernel hands out different ports.
    let ls: Vec<TcpListener> = (0..5)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0"))
        .collect();
    let mut p = [0u16; 5];
    for (port, l) in p.iter_mut().zip(&ls) {
        *port = l.local_addr().expect("local_addr").port();
    }
    p
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn describe(out: &Output) -> String {
    format!(
        "exit {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn accepts(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(500)).is_ok()
}

impl MailStack {
    /// Starts a stack with `sales@example.test` and `lead1..lead{n_leads}@lead.test`, and waits
    /// until SMTP(S) and IMAP(S) accept connections. Panics (with the logs) if it cannot.
    pub fn start(n_leads: usize) -> MailStack {
        MailStack::start_with_env(n_leads, &[])
    }

    /// [`MailStack::start`] with Dovecot advertising no IDLE (for the polling fallback).
    pub fn start_without_idle(n_leads: usize) -> MailStack {
        MailStack::start_with_env(n_leads, &[("MAILSTACK_NO_IDLE", "1")])
    }

    /// [`MailStack::start`] with a folder `name` in every mailbox that Dovecot marks `\Sent`
    /// (RFC 6154 SPECIAL-USE), as providers name theirs ("Gesendete Elemente").
    pub fn start_with_sent_folder(n_leads: usize, name: &str) -> MailStack {
        MailStack::start_with_env(n_leads, &[("MAILSTACK_SENT_FOLDER", name)])
    }

    /// [`MailStack::start`] with Dovecot (IMAP, and Postfix's SMTP AUTH) accepting only OAuth2
    /// bearer tokens (`passdb oauth2`, SASL XOAUTH2 and OAUTHBEARER), those of
    /// [`MailStack::bearer_token`] or of the test provider; a password login is refused.
    pub fn start_with_oauth(n_leads: usize) -> MailStack {
        MailStack::start_with_env(n_leads, &[("MAILSTACK_OAUTH", "1")])
    }

    /// [`MailStack::start_with_oauth`] offering XOAUTH2 only (no OAUTHBEARER), as Microsoft 365.
    pub fn start_with_xoauth2_only(n_leads: usize) -> MailStack {
        MailStack::start_with_env(n_leads, &[("MAILSTACK_OAUTH", "xoauth2")])
    }

    /// A JWT access token for `user` (an address), valid for `valid_for` from now (negative:
    /// already expired), signed with the key this stack's Dovecot validates tokens with. It
    /// stands in for the provider's token endpoint; Dovecot's validation is the real one.
    pub fn bearer_token(&self, user: &str, valid_for: chrono::Duration) -> String {
        use base64::Engine;
        use cadenced::clock::Clock;
        use hmac::Mac;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let key = base64::engine::general_purpose::STANDARD
            .decode(
                std::fs::read_to_string(self.path.join("oauth/key.b64"))
                    .expect("oauth key")
                    .trim(),
            )
            .expect("base64 key");
        let now = cadenced::clock::SystemClock.now().timestamp();
        let header = b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let claims = serde_json::json!({
            "sub": user, "email": user, "iat": now - 5, "nbf": now - 5,
            "exp": now + valid_for.num_seconds(),
        });
        let payload = b64.encode(claims.to_string());
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).expect("hmac key");
        mac.update(format!("{header}.{payload}").as_bytes());
        let signature = b64.encode(mac.finalize().into_bytes());
        format!("{header}.{payload}.{signature}")
    }

    fn start_with_env(n_leads: usize, env: &[(&str, &str)]) -> MailStack {
        assert!(
            is_root(),
            "the real mail stack starts Postfix and Dovecot and needs root: run scripts/test as root"
        );
        let mut errors = Vec::new();
        // A port picked free can be taken by someone else before Postfix binds it: retry afresh.
        for _ in 0..3 {
            let dir = tempfile::Builder::new()
                .prefix("cadenced-ms.")
                .tempdir()
                .expect("create a temp dir");
            let [smtp, lmtp, imap, smtps, imaps] = five_free_ports();
            let out = Command::new("bash")
                .arg(script())
                .arg("start")
                .arg(dir.path())
                .arg(n_leads.to_string())
                .env("MAILSTACK_SMTP_PORT", smtp.to_string())
                .env("MAILSTACK_LMTP_PORT", lmtp.to_string())
                .env("MAILSTACK_IMAP_PORT", imap.to_string())
                .env("MAILSTACK_SMTPS_PORT", smtps.to_string())
                .env("MAILSTACK_IMAPS_PORT", imaps.to_string())
                .envs(env.iter().copied())
                .output()
                .expect("run scripts/mailstack.sh");
            let path = dir.path().to_path_buf();
            let stack = MailStack {
                dir: Some(dir),
                path,
                smtp,
                lmtp,
                imap,
                smtps,
                imaps,
            };
            if out.status.success() {
                stack.wait_until(UP_TIMEOUT, "SMTP(S) and IMAP(S) accept connections", || {
                    accepts(smtp) && accepts(imap) && accepts(smtps) && accepts(imaps)
                });
                return stack;
            }
            errors.push(describe(&out));
            drop(stack); // stops whatever did start
        }
        panic!("the mail stack did not start (3 tries):\n{}", errors.join("\n\n"));
    }

    pub fn smtp_port(&self) -> u16 {
        self.smtp
    }

    pub fn imap_port(&self) -> u16 {
        self.imap
    }

    pub fn lmtp_port(&self) -> u16 {
        self.lmtp
    }

    /// Postfix's implicit-TLS port (like 465: TLS from the first byte, then SMTP).
    pub fn smtps_port(&self) -> u16 {
        self.smtps
    }

    /// Dovecot's implicit-TLS IMAP port (like 993).
    pub fn imaps_port(&self) -> u16 {
        self.imaps
    }

    /// PEM file of this stack's throwaway CA, the only issuer of the servers' certificate (valid
    /// for `localhost` and `127.0.0.1`). Without it, certificate verification fails.
    pub fn ca_file(&self) -> PathBuf {
        self.path.join("tls/ca.crt")
    }

    /// lettre TLS parameters that trust [`MailStack::ca_file`] and expect the certificate to
    /// name `domain` (`"localhost"` or `"127.0.0.1"`). Connect to `127.0.0.1`, as Postfix
    /// listens on IPv4 only, and pass these with `Tls::Required` (STARTTLS on
    /// [`MailStack::smtp_port`]) or `Tls::Wrapper` ([`MailStack::smtps_port`]).
    pub fn tls_parameters(&self, domain: &str) -> lettre::transport::smtp::client::TlsParameters {
        use lettre::transport::smtp::client::{Certificate, TlsParameters};
        let pem = std::fs::read(self.ca_file()).expect("read the stack's CA file");
        TlsParameters::builder(domain.to_string())
            .add_root_certificate(Certificate::from_pem(&pem).expect("parse the stack's CA"))
            .build_rustls()
            .expect("build rustls TLS parameters")
    }

    /// Makes Postfix answer `RCPT TO:<address>` with `answer`, e.g. `"550 5.1.1 mailbox
    /// unavailable"` (permanent) or `"451 4.7.1 try again later"` (transient); Postfix words it
    /// `550 5.1.1 <address>: Recipient address rejected: mailbox unavailable`. Returns once the
    /// running Postfix gives that answer. `address`: `lead2` or a full address (any domain).
    pub fn refuse_recipient(&self, address_or_lead: &str, answer: &str) {
        self.run(&["refuse", &address(address_or_lead), answer], &[]);
    }

    /// Undoes [`MailStack::refuse_recipient`]: `address` is accepted again once this returns.
    pub fn accept_recipient(&self, address_or_lead: &str) {
        self.run(&["unrefuse", &address(address_or_lead)], &[]);
    }

    /// The stack's folder: `mail/<domain>/<user>/` Maildirs, `postfix/maillog`, `dovecot.log`.
    pub fn dir(&self) -> &Path {
        &self.path
    }

    fn run(&self, args: &[&str], envs: &[(&str, &str)]) {
        let out = Command::new("bash")
            .arg(script())
            .arg(args[0])
            .arg(&self.path)
            .args(&args[1..])
            .envs(envs.iter().copied())
            .output()
            .expect("run scripts/mailstack.sh");
        assert!(
            out.status.success(),
            "mailstack.sh {}: {}\n{}",
            args.join(" "),
            describe(&out),
            self.logs()
        );
    }

    /// Gives `lead` (`lead2` or a full address) a Sieve vacation auto-responder answering each
    /// sender once a day with `text` and `subject` (`""`: Dovecot's `Auto: <original subject>`).
    pub fn vacation(&self, lead: &str, text: &str, subject: &str) {
        self.run(&["vacation", lead, text, subject], &[]);
    }

    /// Like [`MailStack::vacation`], but answering every mail (Sieve `:seconds 0`) and with the
    /// given From (`"Name <addr>"`, or `""` for the bare address).
    pub fn vacation_every_time(&self, lead: &str, from: &str, text: &str, subject: &str) {
        self.run(
            &["vacation", lead, text, subject],
            &[
                ("MAILSTACK_VACATION_SECONDS", "0"),
                ("MAILSTACK_VACATION_FROM", from),
            ],
        );
    }

    /// Removes `lead`'s vacation responder.
    pub fn no_vacation(&self, lead: &str) {
        self.run(&["novacation", lead], &[]);
    }

    /// Adds a mailbox (password [`PASSWORD`]); mail to a new domain is accepted from then on.
    pub fn add_user(&self, address: &str) {
        self.run(&["user", address], &[]);
    }

    /// Removes a mailbox: mail to it bounces from then on.
    pub fn remove_user(&self, address: &str) {
        self.run(&["deluser", address], &[]);
    }

    /// Stops Dovecot (IMAP and LMTP delivery; Postfix queues incoming mail meanwhile).
    pub fn stop_imap(&self) {
        self.run(&["stop-imap"], &[]);
    }

    /// Starts Dovecot again on the same ports; queued mail is delivered within seconds.
    pub fn start_imap(&self) {
        self.run(&["start-imap"], &[]);
    }

    /// Stops Postfix (SMTP refuses connections).
    pub fn stop_smtp(&self) {
        self.run(&["stop-smtp"], &[]);
    }

    /// Starts Postfix again on the same port.
    pub fn start_smtp(&self) {
        self.run(&["start-smtp"], &[]);
    }

    /// The raw messages in `user`'s INBOX Maildir (`new` and `cur`), oldest delivery first.
    /// `user`: `sales`, `lead3`, or a full address.
    pub fn maildir_messages(&self, user: &str) -> Vec<Vec<u8>> {
        let addr = address(user);
        let (local, domain) = addr.split_once('@').expect("address has an @");
        let root = self.path.join("mail").join(domain).join(local);
        let mut files: Vec<(u64, u64, PathBuf)> = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(rd) = std::fs::read_dir(root.join(sub)) else {
                continue;
            };
            for entry in rd.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                // Dovecot names deliveries "<secs>.M<usecs>P<pid>.<host>[,S=..][:2,flags]".
                let secs = name
                    .split('.')
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(u64::MAX);
                let usecs = name
                    .split('.')
                    .nth(1)
                    .and_then(|s| s.strip_prefix('M'))
                    .and_then(|s| s.split('P').next())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                files.push((secs, usecs, entry.path()));
            }
        }
        files.sort();
        // A message can move from new/ to cur/ between listing and reading (an IMAP client
        // saw it): skip what vanished rather than fail.
        files
            .into_iter()
            .filter_map(|(_, _, p)| std::fs::read(p).ok())
            .collect()
    }

    /// Polls `user`'s Maildir until it holds at least `n` messages, and returns them all.
    /// Panics with the servers' logs after `timeout`. Async so that a daemon running on the same
    /// runtime keeps going meanwhile.
    pub async fn wait_for_messages(&self, user: &str, n: usize, timeout: Duration) -> Vec<Vec<u8>> {
        until(timeout.as_secs(), self.waiting(user, n), || async {
            self.maildir_messages(user).len() >= n
        })
        .await;
        self.maildir_messages(user)
    }

    /// [`MailStack::wait_for_messages`] for plain (non-async) tests.
    pub fn wait_for_messages_blocking(&self, user: &str, n: usize, timeout: Duration) -> Vec<Vec<u8>> {
        wait_for(timeout.as_secs(), self.waiting(user, n), || {
            let msgs = self.maildir_messages(user);
            (msgs.len() >= n).then_some(msgs)
        })
    }

    /// What a wait for `n` messages of `user` says when it fails: what it found, and the logs.
    fn waiting<'a>(&'a self, user: &'a str, n: usize) -> Lazy<impl Fn() -> String + 'a> {
        lazy(move || {
            format!(
                "{n} message(s) in {}'s Maildir, found {}\n{}",
                address(user),
                self.maildir_messages(user).len(),
                self.logs()
            )
        })
    }

    fn wait_until(&self, timeout: Duration, what: &str, mut cond: impl FnMut() -> bool) {
        let what = lazy(|| format!("{what}\n{}", self.logs()));
        wait_for(timeout.as_secs(), what, || cond().then_some(()));
    }

    /// The last lines of Postfix's and both Dovecots' logs (IMAP/LMTP, SASL), for failure
    /// messages.
    pub fn logs(&self) -> String {
        let tail = |p: PathBuf| {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let start = lines.len().saturating_sub(40);
            format!(
                "--- {} (last 40 lines)\n{}",
                p.display(),
                lines[start..].join("\n")
            )
        };
        format!(
            "{}\n{}\n{}",
            tail(self.path.join("postfix/maillog")),
            tail(self.path.join("dovecot.log")),
            tail(self.path.join("dovecot-sasl.log"))
        )
    }
}

impl Drop for MailStack {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.path)
            .output();
        if std::thread::panicking() {
            if let Some(dir) = self.dir.take() {
                eprintln!("mail stack folder kept for inspection: {}", dir.keep().display());
            }
        }
    }
}

/// Free port helper for tests that need one more (e.g. a port nothing listens on).
pub fn unused_port() -> u16 {
    free_port()
}

/// The value of the first `name:` header of a raw message, its folded lines joined, if any.
pub fn header(raw: impl AsRef<[u8]>, name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(raw.as_ref()).replace("\r\n", "\n");
    // The header block, its folded lines joined (RFC 5322 2.2.3).
    let head = text
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .replace("\n ", " ")
        .replace("\n\t", " ");
    head.lines()
        .find(|l| {
            l.len() > name.len()
                && l.is_char_boundary(name.len())
                && l[..name.len()].eq_ignore_ascii_case(name)
                && l[name.len()..].starts_with(':')
        })
        .map(|l| l[name.len() + 1..].trim().to_string())
}

impl MailStack {
    /// Sends a reply from `from` to `to` through this stack's Postfix, in the thread of
    /// `parent` (a Message-ID with its angle brackets), as a lead's mail client would.
    pub async fn send_reply(&self, from: &str, to: &str, message_id: &str, parent: &str, body: &str) {
        use lettre::message::Mailbox as LettreMailbox;
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
        let message = Message::builder()
            .from(from.parse::<LettreMailbox>().expect("from"))
            .to(to.parse::<LettreMailbox>().expect("to"))
            .subject("Re: Quick question")
            .message_id(Some(message_id.to_string()))
            .in_reply_to(parent.to_string())
            .references(parent.to_string())
            .body(body.to_string())
            .expect("message");
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(self.smtp_port())
            .build();
        transport.send(message).await.expect("postfix accepts the reply");
    }
}
