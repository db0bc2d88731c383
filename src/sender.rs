//! SMTP sending: a few kept connections per mailbox, each SMTP conversation driven command by
//! command with lettre's `AsyncSmtpConnection`, and the translation of what happened into our
//! outcomes. The only file that knows lettre.
//!
//! We drive the conversation ourselves (rather than through lettre's pooled transport) because
//! the stage at which a send fails decides what the failure means, and the transport hides it.
//! A message is the server's only at the final "." of its body; so (see [`classify`]):
//!
//! - connecting, the greeting, EHLO, STARTTLS, AUTH, `MAIL`, `RCPT`, `DATA` up to the server's
//!   354, and writing the body before its final ".": whatever fails there, nothing was
//!   accepted. A lost connection or a timeout is temporary (retry later without advancing the
//!   lead); a 4xx is temporary; a 5xx to the recipient refuses it for good (the lead
//!   bounced); a failed login, a server that refuses us at the greeting or offers no AUTH
//!   although a username is configured, is the mailbox's (it is unhealthy and sends nothing
//!   until it recovers); a field that cannot go into a header, an address SMTP cannot carry, a
//!   server calling our command malformed (5.1.3, 5.5.x, 5.6.x) is ours, never the lead's:
//!   never a bounce and never retried by itself.
//! - after the final ".": the server's reply decides (250 accepted; a 4xx or 5xx refuses it as
//!   above, nothing accepted). A connection lost, a timeout or an unreadable answer there is
//!   [`SendError::Uncertain`]: the server may have taken the message, so it is never sent
//!   again by itself (the scheduler records the send `uncertain`, for the Sent folder, a
//!   reply in its thread, or a person to settle).
//!
//! A connection is reused for the next send of its mailbox if it has been idle for less than
//! a minute and still answers NOOP; any failure closes it. OAuth2 mailboxes log in with SASL
//! OAUTHBEARER (RFC 7628) where the server's EHLO offers it, else XOAUTH2.
//!
//! Bodies are plain text (`text/plain; charset=utf-8`, `MIME-Version: 1.0`): an HTML body
//! goes out as its source text.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox as LettreMailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Noop, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::transport::smtp::response::Response;
use lettre::Message;
use secrecy::{ExposeSecret, SecretString};

use crate::config::{Mailbox, OAuthLogin, Tls as TlsMode};

/// How long a TCP connect may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the server may take to answer the greeting and each command before the message
/// (EHLO, STARTTLS, AUTH, `MAIL`, `RCPT`, `DATA`, NOOP).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long writing the body and waiting for the answer to its final "." may take: the ten
/// minutes RFC 5321 (4.5.3.2.6) gives the server, since giving up there leaves an uncertain
/// send for a person.
const DATA_TIMEOUT: Duration = Duration::from_secs(600);
/// How long a kept connection may take to answer the NOOP that checks it before reuse.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// A kept connection idle longer than this is closed rather than reused.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Idle connections kept per mailbox.
const IDLE_MAX: usize = 8;

/// A rendered step, ready to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The recipient's address, validated at import (ASCII, IDNA domain).
    pub to: String,
    /// The recipient's display name for `To:`, when the lead has one.
    pub to_name: Option<String>,
    /// Subject, one line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Our Message-ID, with angle brackets.
    pub message_id: String,
    /// Message-IDs of earlier steps in the thread, oldest first; the last one is replied to.
    pub thread: Vec<String>,
    /// Whether this step replies in the thread.
    pub in_thread: bool,
    /// The one-click unsubscribe URL (`[http]` configured): the message then carries
    /// `List-Unsubscribe: <URL>, <mailto:SENDER?subject=unsubscribe>` and
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    pub unsubscribe_url: Option<String>,
}

/// What became of a send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later; nothing was accepted.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// The server refused the recipient for good.
    #[error("recipient refused: {0}")]
    Rejected(String),
    /// Login failed or the server refused us: the mailbox is unhealthy.
    #[error("mailbox login failed: {0}")]
    Login(String),
    /// The message cannot be sent as it is: a field that cannot go into a header, an address
    /// SMTP cannot carry, a command the server calls malformed. Our error (or the data's),
    /// never the recipient's: the step waits for a person, the lead is not a bounce.
    #[error("cannot send the message as it is: {0}")]
    Build(String),
    /// The connection failed after the whole message was handed to the server and before it
    /// answered: the server may have taken it. Sending it again could send it twice, so it
    /// never goes out again by itself.
    #[error("may have been sent: {0}")]
    Uncertain(String),
}

impl SendError {
    /// Whether trying again later can work.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SendError::Transient(_) | SendError::Login(_))
    }
}

/// How far an SMTP conversation got when it failed: what a failure means depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Connecting, the greeting, EHLO, STARTTLS.
    Connect,
    /// AUTH.
    Login,
    /// `MAIL`, `RCPT`, and `DATA` up to the server's 354.
    Envelope,
    /// Writing the body, before its final ".": the server cannot have taken the message.
    Body,
    /// The final "." written (or being written): only the server's answer says whether it
    /// took the message.
    Sent,
}

/// How a stage failed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    /// The server answered with an error: its code (`"550"`) and lettre's text of the answer.
    Reply { code: String, text: String },
    /// The connection failed, timed out, or the answer could not be read.
    Lost(String),
    /// Refused on our side before or without the server (no AUTH mechanism we support, an
    /// envelope SMTP cannot carry), or a login the server turned down in its own way.
    Client(String),
}

impl From<lettre::transport::smtp::Error> for Failure {
    fn from(e: lettre::transport::smtp::Error) -> Failure {
        let text = e.to_string();
        match e.status() {
            Some(code) => Failure::Reply {
                code: code.to_string(),
                text,
            },
            None if e.is_client() => Failure::Client(text),
            None => Failure::Lost(text),
        }
    }
}

/// `fut` (one exchange with the server) within `limit`; its failure tagged with `stage`.
async fn within<T>(
    stage: Stage,
    limit: Duration,
    fut: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, (Stage, Failure)> {
    match tokio::time::timeout(limit, fut).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err((stage, Failure::from(e))),
        Err(_) => Err((
            stage,
            Failure::Lost(format!("no answer from the server within {} s", limit.as_secs())),
        )),
    }
}

/// How a mailbox's connections are secured.
#[derive(Clone)]
enum Security {
    None,
    StartTls(TlsParameters),
    Implicit(TlsParameters),
}

/// A mailbox's SMTP account: where and how to connect and log in, its From, and the
/// connections kept for reuse. For an OAuth2 mailbox, the access token it logs in with (a
/// newer token in the token file makes a new account, with no kept connections).
struct Account {
    host: String,
    port: u16,
    security: Security,
    username: Option<String>,
    /// The password of a password login (read when the account is built).
    password: Option<SecretString>,
    oauth: Option<(OAuthLogin, SecretString)>,
    from: LettreMailbox,
    /// The mailbox it was built for, to build it again with a new token.
    mailbox: Box<Mailbox>,
    /// Idle connections, logged in, and since when they are idle; the last is the freshest.
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

type Transport = Arc<Account>;

/// Closes a connection (QUIT, then the socket) without waiting for it: a broken or surplus
/// connection must not hold up recording a send.
fn close(mut conn: AsyncSmtpConnection) {
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(5), conn.abort()).await;
    });
}

/// Whether an EHLO answer lists SASL mechanism `mechanism` (lettre keeps only the ones it
/// implements).
fn offers(ehlo: &Response, mechanism: &str) -> bool {
    ehlo.message().any(|line| {
        let mut words = line.split_whitespace();
        words.next().is_some_and(|w| w.eq_ignore_ascii_case("AUTH"))
            && words.any(|w| w.eq_ignore_ascii_case(mechanism))
    })
}

/// The `status` of an OAUTHBEARER error challenge (RFC 7628 3.2.2: base64 JSON), when it is a
/// short plain word; the server's text goes no further.
fn challenge_status(challenge: &Response) -> Option<String> {
    let line = challenge.message().next()?.trim();
    let json = base64::engine::general_purpose::STANDARD.decode(line).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&json).ok()?;
    let status = value.get("status")?.as_str()?;
    (status.len() <= 40
        && !status.is_empty()
        && status
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'))
    .then(|| status.to_string())
}

/// The body of a message for `message_iter`, noting when all of it has been written: lettre
/// asks for the next part only once the previous one is written, and writes the final "."
/// after the last.
struct Body<'a> {
    raw: Option<&'a [u8]>,
    written: &'a AtomicBool,
}

impl<'a> Iterator for Body<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let part = self.raw.take();
        if part.is_none() {
            self.written.store(true, Ordering::SeqCst);
        }
        part
    }
}

/// One mail transaction on a logged-in connection: `MAIL`, `RCPT`, `DATA`, the body and its
/// final ".", each failure tagged with its stage.
async fn transaction(
    conn: &mut AsyncSmtpConnection,
    envelope: &Envelope,
    raw: &[u8],
) -> Result<(), (Stage, Failure)> {
    let ascii = |a: &lettre::Address| AsRef::<str>::as_ref(a).is_ascii();
    let ascii = envelope.from().is_none_or(ascii) && envelope.to().iter().all(ascii);
    if !ascii {
        return Err((
            Stage::Envelope,
            Failure::Client("an address is not ASCII, which needs SMTPUTF8 (not used)".to_string()),
        ));
    }
    let mut params = Vec::new();
    if !raw.is_ascii() {
        if !conn.server_info().supports_feature(Extension::EightBitMime) {
            return Err((
                Stage::Envelope,
                Failure::Client(
                    "the message has non-ASCII characters but the server does not support 8BITMIME"
                        .to_string(),
                ),
            ));
        }
        params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    within(
        Stage::Envelope,
        COMMAND_TIMEOUT,
        conn.command(Mail::new(envelope.from().cloned(), params)),
    )
    .await?;
    for to in envelope.to() {
        within(
            Stage::Envelope,
            COMMAND_TIMEOUT,
            conn.command(Rcpt::new(to.clone(), Vec::new())),
        )
        .await?;
    }
    within(Stage::Envelope, COMMAND_TIMEOUT, conn.command(Data)).await?;
    let written = AtomicBool::new(false);
    let body = Body {
        raw: Some(raw),
        written: &written,
    };
    let answer = tokio::time::timeout(DATA_TIMEOUT, conn.message_iter(body)).await;
    let stage = if written.load(Ordering::SeqCst) {
        Stage::Sent
    } else {
        Stage::Body
    };
    match answer {
        Ok(Ok(reply)) if reply.code().to_string().starts_with('2') => Ok(()),
        Ok(Ok(reply)) => Err((
            Stage::Sent,
            Failure::Lost(format!(
                "unexpected answer {} to the end of the message",
                reply.code()
            )),
        )),
        Ok(Err(e)) => Err((stage, Failure::from(e))),
        Err(_) => Err((
            stage,
            Failure::Lost(format!(
                "no answer to the end of the message within {} s",
                DATA_TIMEOUT.as_secs()
            )),
        )),
    }
}

impl Account {
    /// A logged-in connection: a kept one that still answers NOOP, else a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, (Stage, Failure)> {
        loop {
            let kept = {
                let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                let (fresh, stale): (Vec<_>, Vec<_>) = std::mem::take(&mut *idle)
                    .into_iter()
                    .partition(|(_, since)| since.elapsed() < IDLE_TIMEOUT);
                *idle = fresh;
                for (conn, _) in stale {
                    close(conn);
                }
                idle.pop()
            };
            let Some((mut conn, _)) = kept else {
                return self.connect().await;
            };
            if tokio::time::timeout(PROBE_TIMEOUT, conn.test_connected())
                .await
                .unwrap_or(false)
            {
                return Ok(conn);
            }
            close(conn);
        }
    }

    /// Keeps a connection that just finished a transaction for the next one.
    fn checkin(&self, conn: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < IDLE_MAX {
            idle.push((conn, Instant::now()));
        } else {
            drop(idle);
            close(conn);
        }
    }

    /// A new connection: TCP (and TLS), EHLO, STARTTLS, AUTH.
    async fn connect(&self) -> Result<AsyncSmtpConnection, (Stage, Failure)> {
        let hello = ClientId::default();
        let implicit = match &self.security {
            Security::Implicit(params) => Some(params.clone()),
            _ => None,
        };
        let mut conn = within(
            Stage::Connect,
            CONNECT_TIMEOUT + COMMAND_TIMEOUT,
            AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(CONNECT_TIMEOUT),
                &hello,
                implicit,
                None,
            ),
        )
        .await?;
        let ready = async {
            if let Security::StartTls(params) = &self.security {
                within(
                    Stage::Connect,
                    COMMAND_TIMEOUT,
                    conn.starttls(params.clone(), &hello),
                )
                .await?;
            }
            self.log_in(&mut conn, &hello).await
        }
        .await;
        match ready {
            Ok(()) => Ok(conn),
            Err(e) => {
                close(conn);
                Err(e)
            }
        }
    }

    /// AUTH, when a username is configured: OAUTHBEARER or XOAUTH2 with the access token of
    /// an OAuth2 mailbox, else PLAIN or LOGIN with the password.
    async fn log_in(&self, conn: &mut AsyncSmtpConnection, hello: &ClientId) -> Result<(), (Stage, Failure)> {
        let Some(user) = &self.username else {
            return Ok(());
        };
        if let Some((_, token)) = &self.oauth {
            // lettre keeps only the mechanisms it implements from EHLO: ask again to see
            // whether OAUTHBEARER is offered.
            let ehlo = within(
                Stage::Connect,
                COMMAND_TIMEOUT,
                conn.command(Ehlo::new(hello.clone())),
            )
            .await?;
            if offers(&ehlo, "OAUTHBEARER") {
                return self.oauthbearer(conn, user, token).await;
            }
            let credentials = Credentials::new(user.clone(), token.expose_secret().to_string());
            return within(
                Stage::Login,
                COMMAND_TIMEOUT,
                conn.auth(&[Mechanism::Xoauth2], &credentials),
            )
            .await
            .map(|_| ());
        }
        let password = self
            .password
            .as_ref()
            .map(|p| p.expose_secret().to_string())
            .unwrap_or_default();
        let credentials = Credentials::new(user.clone(), password);
        within(
            Stage::Login,
            COMMAND_TIMEOUT,
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials),
        )
        .await
        .map(|_| ())
    }

    /// SASL OAUTHBEARER (RFC 7628), which lettre lacks: the whole response up front; a
    /// refused token comes back as a 334 challenge with the server's error, answered with ^A
    /// (3.2.3) so that the server ends the exchange with its failure.
    async fn oauthbearer(
        &self,
        conn: &mut AsyncSmtpConnection,
        user: &str,
        token: &SecretString,
    ) -> Result<(), (Stage, Failure)> {
        let initial = base64::engine::general_purpose::STANDARD.encode(
            crate::oauth::oauthbearer(user, &self.host, self.port, token)
                .expose_secret()
                .as_bytes(),
        );
        let answer = within(
            Stage::Login,
            COMMAND_TIMEOUT,
            conn.command(format!("AUTH OAUTHBEARER {initial}\r\n")),
        )
        .await?;
        if answer.has_code(235) {
            return Ok(());
        }
        let why = if answer.has_code(334) {
            let status = challenge_status(&answer)
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            let _ = within(Stage::Login, COMMAND_TIMEOUT, conn.command("AQ==\r\n")).await;
            format!("OAUTHBEARER refused: the server did not accept the access token{status}")
        } else {
            format!("OAUTHBEARER: unexpected answer {}", answer.code())
        };
        Err((Stage::Login, Failure::Client(why)))
    }

    /// One message over a kept or new connection.
    async fn send(&self, envelope: &Envelope, raw: &[u8]) -> Result<(), SendError> {
        let mut conn = self.checkout().await.map_err(|(s, f)| classify(s, f))?;
        match transaction(&mut conn, envelope, raw).await {
            Ok(()) => {
                self.checkin(conn);
                Ok(())
            }
            Err((stage, failure)) => {
                close(conn);
                Err(classify(stage, failure))
            }
        }
    }

    /// Connects (or takes a kept connection), logs in, and checks it with NOOP.
    async fn probe(&self) -> Result<(), SendError> {
        let mut conn = self.checkout().await.map_err(|(s, f)| classify(s, f))?;
        match within(Stage::Connect, COMMAND_TIMEOUT, conn.command(Noop)).await {
            Ok(_) => {
                self.checkin(conn);
                Ok(())
            }
            Err(_) => {
                close(conn);
                Err(SendError::Transient("server did not answer NOOP".to_string()))
            }
        }
    }

    /// The access token an OAuth2 account logs in with.
    fn token(&self) -> Option<&str> {
        self.oauth.as_ref().map(|(_, t)| t.expose_secret())
    }
}

/// One SMTP account per mailbox, each keeping a few connections. An account is rebuilt
/// (password read again) when an unhealthy mailbox is probed, so fixing a password file
/// needs no restart. An OAuth2 mailbox's access token is checked before each send and each
/// probe (refreshed before it expires, by [`crate::oauth::access_token`]); a new token makes
/// a new account, and a login refused with the old one is tried once more with a refreshed
/// one.
pub struct Sender {
    transports: std::sync::RwLock<HashMap<String, Transport>>,
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.read().keys().cloned().collect();
        f.debug_struct("Sender").field("mailboxes", &names).finish()
    }
}

impl Sender {
    /// Builds an account for every mailbox. A mailbox whose account cannot be built (its
    /// password unreadable, its CA file broken) is reported in the error list and left out.
    pub fn new(mailboxes: &[Mailbox]) -> (Sender, Vec<(String, String)>) {
        let mut transports = HashMap::new();
        let mut errors = Vec::new();
        for mb in mailboxes {
            match build_transport(mb, None) {
                Ok(t) => {
                    transports.insert(mb.name.clone(), Arc::new(t));
                }
                Err(e) => errors.push((mb.name.clone(), e)),
            }
        }
        (
            Sender {
                transports: std::sync::RwLock::new(transports),
            },
            errors,
        )
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Transport>> {
        self.transports.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The account of a mailbox.
    fn transport(&self, mailbox: &str) -> Result<Transport, SendError> {
        self.read()
            .get(mailbox)
            .cloned()
            .ok_or_else(|| SendError::Login(format!("mailbox {mailbox} has no SMTP transport")))
    }

    /// The account to use now: for an OAuth2 mailbox, one with the current access token
    /// (refreshed first when due, or when `refused` is the token the server refused).
    async fn fresh(&self, mailbox: &str, refused: bool) -> Result<Transport, SendError> {
        let t = self.transport(mailbox)?;
        let Some((login, used)) = &t.oauth else {
            return Ok(t);
        };
        let token = crate::oauth::access_token(login, refused.then_some(used))
            .await
            .map_err(|e| SendError::Login(e.to_string()))?;
        if token.expose_secret() == used.expose_secret() {
            return Ok(t);
        }
        let rebuilt = Arc::new(build_transport(&t.mailbox, Some(token)).map_err(SendError::Login)?);
        self.transports
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(mailbox.to_string(), rebuilt.clone());
        Ok(rebuilt)
    }

    /// Builds a mailbox's account again from its config (re-reading its password or token
    /// file); its kept connections are closed.
    ///
    /// # Errors
    /// Why the account cannot be built.
    pub fn rebuild(&self, mb: &Mailbox) -> Result<(), String> {
        let t = build_transport(mb, None)?;
        self.transports
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(mb.name.clone(), Arc::new(t));
        Ok(())
    }

    /// Whether this mailbox has an account.
    pub fn has(&self, mailbox: &str) -> bool {
        self.read().contains_key(mailbox)
    }

    /// Builds the message for `out` as sent from `mailbox`; also what goes into the Sent folder.
    ///
    /// # Errors
    /// [`SendError::Build`] when an address or header is unusable.
    pub fn build(&self, mailbox: &str, out: &Outgoing) -> Result<Message, SendError> {
        build_message(self.transport(mailbox)?.from.clone(), out)
    }

    /// Sends one message.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure.
    pub async fn send(&self, mailbox: &str, message: Message) -> Result<(), SendError> {
        self.send_raw(mailbox, message.envelope(), &message.formatted())
            .await
    }

    async fn send_raw(&self, mailbox: &str, envelope: &Envelope, raw: &[u8]) -> Result<(), SendError> {
        let t = self.fresh(mailbox, false).await?;
        match t.send(envelope, raw).await {
            // A refused login comes before any mail transaction (`MAIL` answered 530 at the
            // latest): nothing went out, and one more try with a refreshed token cannot send
            // twice.
            Err(SendError::Login(e)) if t.oauth.is_some() => {
                let again = self.fresh(mailbox, true).await?;
                if again.token() == t.token() {
                    return Err(SendError::Login(e));
                }
                again.send(envelope, raw).await
            }
            other => other,
        }
    }

    /// Builds and sends `out`; returns the message as sent, for the Sent folder.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure.
    pub async fn send_outgoing(&self, mailbox: &str, out: &Outgoing) -> Result<Vec<u8>, SendError> {
        let message = self.build(mailbox, out)?;
        let raw = message.formatted();
        self.send_raw(mailbox, message.envelope(), &raw).await?;
        Ok(raw)
    }

    /// Logs in to check a mailbox's SMTP server.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure.
    pub async fn test(&self, mailbox: &str) -> Result<(), SendError> {
        let t = self.fresh(mailbox, false).await?;
        match t.probe().await {
            // As in `send`: a refused token is refreshed and tried once more.
            Err(SendError::Login(e)) if t.oauth.is_some() => {
                let again = self.fresh(mailbox, true).await?;
                if again.token() == t.token() {
                    return Err(SendError::Login(e));
                }
                again.probe().await
            }
            other => other,
        }
    }
}

/// A mailbox's account from its config. An OAuth2 mailbox logs in with `token`, or the
/// access token its token file holds now (read, not refreshed: [`Sender::send`] refreshes).
fn build_transport(mb: &Mailbox, token: Option<SecretString>) -> Result<Account, String> {
    let from_addr = mb
        .address
        .parse()
        .map_err(|e| format!("address {}: {e}", mb.address))?;
    let from = LettreMailbox::new(mb.display_name.clone(), from_addr);
    let server = &mb.smtp;
    let oauth = match &server.oauth {
        Some(login) => {
            let token = match token {
                Some(t) => t,
                None => crate::oauth::stored_token(login).map_err(|e| e.to_string())?,
            };
            Some((login.clone(), token))
        }
        None => None,
    };
    let password = match (&server.username, &oauth) {
        (Some(user), None) => match &server.password {
            Some(secret) => Some(secret.read()?),
            None => {
                return Err(format!(
                    "smtp username {user} set but no password_file or password_env"
                ))
            }
        },
        _ => None,
    };
    let tls_params = || -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(server.host.clone());
        if let Some(ca) = &server.ca_file {
            let pem = crate::input::read(ca, crate::input::CA_FILE).map_err(|e| e.to_string())?;
            let cert = Certificate::from_pem(&pem).map_err(|e| format!("ca_file {}: {e}", ca.display()))?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build_rustls().map_err(|e| format!("tls setup: {e}"))
    };
    let security = match server.tls {
        TlsMode::None => Security::None,
        TlsMode::StartTls => Security::StartTls(tls_params()?),
        TlsMode::Implicit => Security::Implicit(tls_params()?),
    };
    Ok(Account {
        host: server.host.clone(),
        port: server.port,
        security,
        username: server.username.clone(),
        password,
        oauth,
        from,
        mailbox: Box::new(mb.clone()),
        idle: Mutex::new(Vec::new()),
    })
}

fn build_message(from: LettreMailbox, out: &Outgoing) -> Result<Message, SendError> {
    // Addresses are checked at import (`EmailAddress::parse`); this catches one stored before
    // that check existed: an internationalised domain goes out in punycode, a non-ASCII
    // local part cannot go out without SMTPUTF8, which we do not send.
    let to = crate::domain::EmailAddress::parse(&out.to)
        .map_err(|e| SendError::Build(format!("recipient: {e}")))?;
    let to_addr = to
        .as_str()
        .parse()
        .map_err(|e| SendError::Build(format!("recipient address {}: {e}", out.to)))?;
    // Names never carry line breaks into headers: lettre encodes them, and we flatten any
    // CR or LF first so no field of a lead can start a header of its own.
    let flatten = |s: &str| s.replace(['\r', '\n'], " ");
    let to = LettreMailbox::new(out.to_name.as_deref().map(flatten), to_addr);
    // For the `mailto:` of `List-Unsubscribe`: a mail there with the subject "unsubscribe"
    // is classified like any other unsubscribe reply.
    let sender = from.email.to_string();
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(flatten(&out.subject))
        .message_id(Some(out.message_id.clone()))
        .header(lettre::message::header::MIME_VERSION_1_0)
        .header(ContentType::TEXT_PLAIN);
    if out.in_thread {
        if let Some(last) = out.thread.last() {
            builder = builder.in_reply_to(last.clone()).references(out.thread.join(" "));
        }
    }
    if let Some(url) = &out.unsubscribe_url {
        // The URL is ours (base URL checked by the config, token base64url), but a header
        // is no place to trust that: anything that could end the header is refused.
        if !url.bytes().all(|b| b.is_ascii_graphic()) || url.contains(['<', '>', ',']) {
            return Err(SendError::Build("unsubscribe URL is not a plain URL".to_string()));
        }
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>, <mailto:{sender}?subject=unsubscribe>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    builder
        .body(out.body.clone())
        .map_err(|e| SendError::Build(e.to_string()))
}

/// What a failure at `stage` means for the send (the table in the module docs).
fn classify(stage: Stage, failure: Failure) -> SendError {
    match (stage, failure) {
        // After the final ".": only a reply says the server did not take the message.
        (Stage::Sent, Failure::Reply { code, text }) => refusal(&code, text),
        (Stage::Sent, Failure::Lost(text) | Failure::Client(text)) => SendError::Uncertain(format!(
            "the connection failed after the whole message was handed to the server, before it \
             confirmed it: {text}"
        )),
        (Stage::Body, Failure::Lost(text)) => SendError::Transient(format!(
            "the connection failed while the message was being written (without its final \".\" \
             the server cannot take it): {text}"
        )),
        // Refused before any transaction: the mailbox's trouble, never the lead's.
        (Stage::Connect, Failure::Reply { code, text }) if code.starts_with('5') => {
            SendError::Login(format!("the server refused us: {text}"))
        }
        (Stage::Login, Failure::Reply { code, text }) if code.starts_with('5') => SendError::Login(text),
        (Stage::Connect | Stage::Login, Failure::Client(text)) => SendError::Login(login_refusal(text)),
        (_, Failure::Reply { code, text }) => refusal(&code, text),
        // Our refusal of the envelope or the message, before it was handed over.
        (_, Failure::Client(text)) => SendError::Build(text),
        (_, Failure::Lost(text)) => SendError::Transient(text),
    }
}

/// A login refused on our side or in a way lettre reports as ours, in words for a person.
fn login_refusal(text: String) -> String {
    if text.contains("authentication mechanism") {
        return "the SMTP server offers no AUTH mechanism we support, but a username is configured \
                (use tls = \"starttls\" or \"implicit\" if it only offers AUTH over TLS)"
            .to_string();
    }
    // XOAUTH2 refused: the server answers the token with a `334` challenge carrying its
    // error (Google, Dovecot), which lettre's mechanism does not take. A login failure
    // (the token), never the message's.
    if text.contains("does not expect a challenge") {
        return "XOAUTH2 refused: the server did not accept the access token".to_string();
    }
    text
}

/// An error reply to the envelope, `DATA` or the final ".": nothing was accepted. `text` is
/// lettre's rendering, `permanent error (550): 5.1.1 …`.
fn refusal(code: &str, text: String) -> SendError {
    // The enhanced status code (RFC 3463) says whose fault a 5xx is: 5.1.3 (bad address
    // syntax), 5.6.x (content the server cannot take, e.g. 5.6.7 non-ASCII address) and
    // 5.5.x (malformed command) are ours; the others are about the recipient.
    let enhanced = text
        .split_once("): ")
        .map(|(_, rest)| rest.split_whitespace().next().unwrap_or(""))
        .unwrap_or("");
    let ours = enhanced == "5.1.3" || enhanced.starts_with("5.6.") || enhanced.starts_with("5.5.");
    match code {
        // Authentication required, failed, or mechanism too weak: the mailbox, not the lead.
        "530" | "534" | "535" | "538" | "454" => SendError::Login(text),
        // Command syntax errors: how we talk, not who we write to.
        "500" | "501" | "502" | "503" | "504" | "555" => SendError::Build(text),
        c if c.starts_with('5') && ours => SendError::Build(text),
        c if c.starts_with('5') => SendError::Rejected(text),
        _ => SendError::Transient(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(thread: Vec<String>, in_thread: bool) -> Outgoing {
        Outgoing {
            to: "ann@example.com".into(),
            to_name: Some("Ann\r\nBcc: evil@example.com".into()),
            subject: "Re: Hi Ann\r\nBcc: evil@example.com".into(),
            body: "Hello".into(),
            message_id: "<cad.1.2.abc@example.test>".into(),
            thread,
            in_thread,
            unsubscribe_url: None,
        }
    }

    fn from() -> LettreMailbox {
        LettreMailbox::new(
            Some("Sales".into()),
            "sales@example.test".parse().expect("address"),
        )
    }

    #[test]
    fn one_click_unsubscribe_headers_only_with_a_url() {
        let plain = String::from_utf8(
            build_message(from(), &outgoing(vec![], false))
                .expect("build")
                .formatted(),
        )
        .expect("utf-8");
        assert!(!plain.contains("List-Unsubscribe"), "{plain}");
        let mut out = outgoing(vec![], false);
        out.unsubscribe_url = Some("https://go.example.test/u/AAAAAAAAAAE.abc_-".into());
        let raw = String::from_utf8(build_message(from(), &out).expect("build").formatted()).expect("utf-8");
        // Long header lines are folded (RFC 5322); read them unfolded.
        let raw = raw.replace("\r\n ", " ");
        assert!(
            raw.contains("List-Unsubscribe: <https://go.example.test/u/AAAAAAAAAAE.abc_->, <mailto:sales@example.test?subject=unsubscribe>\r\n"),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"),
            "{raw}"
        );
        out.unsubscribe_url = Some("https://x.test/u/a>\r\nBcc: evil@example.com".into());
        assert!(matches!(build_message(from(), &out), Err(SendError::Build(_))));
    }

    #[test]
    fn threaded_step_refers_to_the_whole_thread() {
        let msg =
            build_message(from(), &outgoing(vec!["<a@x>".into(), "<b@x>".into()], true)).expect("message");
        let raw = String::from_utf8(msg.formatted()).expect("utf8");
        assert!(raw.contains("In-Reply-To: <b@x>"), "{raw}");
        assert!(raw.contains("References: <a@x> <b@x>"), "{raw}");
        assert!(raw.contains("Message-ID: <cad.1.2.abc@example.test>"), "{raw}");
    }

    #[test]
    fn plain_text_with_mime_version() {
        let msg = build_message(from(), &outgoing(vec![], false)).expect("message");
        let raw = String::from_utf8(msg.formatted()).expect("utf8");
        assert!(raw.contains("MIME-Version: 1.0\r\n"), "{raw}");
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"), "{raw}");
    }

    #[test]
    fn addresses_smtp_cannot_carry_are_ours_to_fix() {
        let mut out = outgoing(vec![], false);
        out.to = "user@bücher.test".into();
        let raw =
            String::from_utf8(build_message(from(), &out).expect("punycode").formatted()).expect("utf8");
        assert!(raw.contains("user@xn--bcher-kva.test"), "{raw}");
        out.to = "müller@lead.test".into();
        let err = build_message(from(), &out).expect_err("no SMTPUTF8");
        assert!(
            matches!(&err, SendError::Build(m) if m.contains("SMTPUTF8")),
            "{err:?}"
        );
    }

    #[test]
    fn lead_fields_cannot_inject_headers() {
        let msg = build_message(from(), &outgoing(vec![], false)).expect("message");
        let raw = String::from_utf8(msg.formatted()).expect("utf8");
        let header_end = raw.find("\r\n\r\n").expect("headers end");
        let headers = &raw[..header_end];
        assert!(
            !headers
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{headers}"
        );
        assert!(
            !headers.contains("In-Reply-To"),
            "first step is not threaded: {headers}"
        );
    }

    fn reply(code: &str, text: &str) -> Failure {
        Failure::Reply {
            code: code.into(),
            text: text.into(),
        }
    }

    /// The stage table: a lost connection means "nothing accepted" up to the final ".", and
    /// "may have been sent" after it; a reply means what it says at every stage.
    #[test]
    fn a_failure_means_what_its_stage_says() {
        let lost = || Failure::Lost("network error: Connection reset by peer (os error 104)".into());
        let kind = |e: SendError| match e {
            SendError::Transient(_) => "transient",
            SendError::Rejected(_) => "rejected",
            SendError::Login(_) => "login",
            SendError::Build(_) => "build",
            SendError::Uncertain(_) => "uncertain",
        };
        let table = [
            // Connecting: nothing accepted; a server refusing us is the mailbox's trouble.
            (Stage::Connect, lost(), "transient"),
            (
                Stage::Connect,
                reply("421", "transient error (421): 4.3.2 shutting down"),
                "transient",
            ),
            (
                Stage::Connect,
                reply("554", "permanent error (554): 5.7.1 no service"),
                "login",
            ),
            (
                Stage::Connect,
                Failure::Client("STARTTLS is not supported on this server".into()),
                "login",
            ),
            // AUTH.
            (Stage::Login, lost(), "transient"),
            (
                Stage::Login,
                reply("535", "permanent error (535): 5.7.8 authentication failed"),
                "login",
            ),
            (
                Stage::Login,
                reply("504", "permanent error (504): 5.5.4 unrecognized mechanism"),
                "login",
            ),
            (
                Stage::Login,
                reply("454", "transient error (454): 4.7.0 temporary failure"),
                "login",
            ),
            (
                Stage::Login,
                Failure::Client("No compatible authentication mechanism was found".into()),
                "login",
            ),
            // MAIL, RCPT, DATA until 354: nothing accepted; replies classified as always.
            (Stage::Envelope, lost(), "transient"),
            (
                Stage::Envelope,
                reply("451", "transient error (451): 4.7.1 try again later"),
                "transient",
            ),
            (
                Stage::Envelope,
                reply("550", "permanent error (550): 5.1.1 <a@b.test>: unknown"),
                "rejected",
            ),
            (
                Stage::Envelope,
                reply("553", "permanent error (553): 5.1.3 bad address syntax"),
                "build",
            ),
            (
                Stage::Envelope,
                reply("530", "permanent error (530): 5.7.0 authentication required"),
                "login",
            ),
            (
                Stage::Envelope,
                reply("501", "permanent error (501): 5.5.4 syntax error"),
                "build",
            ),
            (
                Stage::Envelope,
                Failure::Client("an address is not ASCII".into()),
                "build",
            ),
            // The body being written: without its final "." the server cannot take it.
            (Stage::Body, lost(), "transient"),
            // After the final ".": a reply refuses it (nothing accepted); no reply is uncertain.
            (Stage::Sent, lost(), "uncertain"),
            (
                Stage::Sent,
                Failure::Lost("no answer to the end of the message within 600 s".into()),
                "uncertain",
            ),
            (
                Stage::Sent,
                Failure::Lost("response error: incomplete response".into()),
                "uncertain",
            ),
            (
                Stage::Sent,
                reply("451", "transient error (451): 4.3.0 queue file write error"),
                "transient",
            ),
            (
                Stage::Sent,
                reply("552", "permanent error (552): 5.3.4 message too big"),
                "rejected",
            ),
            (
                Stage::Sent,
                reply("554", "permanent error (554): 5.6.0 malformed content"),
                "build",
            ),
        ];
        for (stage, failure, want) in table {
            let shown = format!("{stage:?} {failure:?}");
            let got = classify(stage, failure);
            assert_eq!(kind(got.clone()), want, "{shown}: {got}");
            assert_eq!(
                got.is_retryable(),
                matches!(want, "transient" | "login"),
                "{shown}"
            );
        }
        let uncertain = classify(Stage::Sent, lost()).to_string();
        assert!(
            uncertain.starts_with("may have been sent: the connection failed after the whole message")
                && uncertain.contains("Connection reset by peer"),
            "{uncertain}"
        );
    }

    #[test]
    fn the_body_says_when_it_is_all_written() {
        let written = AtomicBool::new(false);
        let mut body = Body {
            raw: Some(b"Subject: x\r\n\r\nHello".as_slice()),
            written: &written,
        };
        assert!(body.next().is_some());
        assert!(!written.load(Ordering::SeqCst), "the body is being written");
        assert!(body.next().is_none());
        assert!(
            written.load(Ordering::SeqCst),
            "all of it written: the final \".\" comes next"
        );
    }

    #[test]
    fn oauthbearer_offered_and_its_error_status() {
        let parse = |text: &str| text.parse::<Response>().expect("response");
        let ehlo = parse(
            "250-mail.example.test\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN XOAUTH2 OAUTHBEARER\r\n250 AUTH=PLAIN LOGIN\r\n",
        );
        assert!(offers(&ehlo, "OAUTHBEARER") && offers(&ehlo, "xoauth2"));
        assert!(!offers(&ehlo, "CRAM-MD5"));
        let without = parse("250-mail.example.test\r\n250 AUTH PLAIN XOAUTH2\r\n");
        assert!(!offers(&without, "OAUTHBEARER"));
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let challenge = |line: String| parse(&format!("334 {line}\r\n"));
        assert_eq!(
            challenge_status(&challenge(b64(r#"{"status":"invalid_token","scope":"mail"}"#))).as_deref(),
            Some("invalid_token")
        );
        // Whatever else the server says stays out of our messages.
        assert_eq!(
            challenge_status(&challenge(b64(r#"{"status":"bad\r\nBcc: x"}"#))),
            None
        );
        assert_eq!(challenge_status(&challenge("not base64!".into())), None);
    }
}
