//! The IMAP client: one logged-in session to one mailbox's server, with the few commands the
//! daemon needs and nothing else.
//!
//! It connects over implicit TLS, STARTTLS or (loopback only; the config refuses anything
//! else) plain TCP, with rustls and the ring provider; certificates are verified against the
//! webpki roots plus an optional extra CA file. Messages are read with `BODY.PEEK[]`, so the
//! daemon never sets `\Seen` on a salesperson's mail, and it never moves or deletes anything.
//! IDLE is re-armed every [`IDLE_REARM`] (servers may drop an IDLE after 30 minutes; RFC 2177
//! asks clients to re-issue it within 29), and [`ImapClient::wait_for_change`] falls back to a
//! plain wait plus `NOOP` when the server does not advertise IDLE.
//!
//! [`ImapClient::append`] and [`ImapClient::find_message_id`] serve the sender's exactly-once
//! bookkeeping (a sent copy in the Sent folder, and the search for it after a crash).
//!
//! **Invariant:** the only file that knows async-imap and rustls. Passwords are read at login
//! and never logged.

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Once};
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::{Client, Session};
use futures::TryStreamExt;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

use crate::config::{Server, Tls};

/// How long one IDLE lasts before it is ended and issued again: well under the 29 minutes
/// after which servers may consider the client gone.
pub const IDLE_REARM: Duration = Duration::from_secs(10 * 60);

/// How long a connection attempt, a login or one command may take before it counts as failed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// What went wrong talking to an IMAP server.
#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    /// The TCP connection failed or broke.
    #[error("connecting to {addr}: {source}")]
    Connect {
        /// `host:port`, so the message says which server.
        addr: String,
        /// What the OS said.
        source: io::Error,
    },
    /// The TLS handshake or its configuration failed (bad certificate, bad CA file).
    #[error("tls: {0}")]
    Tls(String),
    /// The server refused the login.
    #[error("login refused: {0}")]
    Login(String),
    /// The password could not be read (its file is missing or unreadable, its variable
    /// unset): our side, not the server's; the mailbox is unhealthy all the same.
    #[error("password cannot be read: {0}")]
    Secret(String),
    /// The OAuth2 access token cannot be read (no token file yet, a broken one): the
    /// mailbox is unhealthy until one is there.
    #[error("OAuth2: {0}")]
    Token(String),
    /// The server answered a command with an error, or the connection broke mid-command.
    #[error("imap: {0}")]
    Protocol(#[from] async_imap::error::Error),
    /// The server did not answer in time.
    #[error("no answer from the server within {0:?}")]
    Timeout(Duration),
}

impl ImapError {
    /// Whether this is a refused login (credentials or a missing secret): the mailbox is then
    /// marked unhealthy until a later login succeeds.
    pub fn is_login(&self) -> bool {
        matches!(
            self,
            ImapError::Login(_) | ImapError::Secret(_) | ImapError::Token(_)
        )
    }
}

/// The state of a folder as `SELECT`/`EXAMINE` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderStatus {
    /// `UIDVALIDITY`; 0 if the server sent none.
    pub uidvalidity: u32,
    /// `UIDNEXT`, when the server sent it.
    pub uid_next: Option<u32>,
    /// `EXISTS`: how many messages the folder held when it was opened.
    pub exists: u32,
}

/// Why [`ImapClient::wait_for_change`] returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The server reported a change in the selected folder.
    Changed,
    /// The wait timed out (IDLE re-arm, or a poll interval passed).
    Timeout,
    /// The cancellation token fired.
    Cancelled,
}

/// A stream that is either plain TCP or TLS over TCP.
#[derive(Debug)]
pub enum ImapStream {
    /// Plain text (loopback only).
    Plain(TcpStream),
    /// TLS over TCP (implicit, or after `STARTTLS`).
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl AsyncRead for ImapStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for ImapStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_flush(cx),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            ImapStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            ImapStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The folder a mailbox's sent mail is in, and how it was found (`cadenced check` says which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentFolder {
    /// The folder's name as a person reads it ("Éléments envoyés"); the client writes it in
    /// modified UTF-7 on the wire ([`encode_folder_name`]).
    pub name: String,
    /// How the name was decided.
    pub found_by: SentFoundBy,
}

/// How [`SentFolder::name`] was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentFoundBy {
    /// `sent_folder` in the config: the operator's word wins.
    Config,
    /// The server marks it `\Sent` (RFC 6154 SPECIAL-USE), whatever its name: Gmail's
    /// `[Gmail]/Sent Mail`, a German Outlook's `Gesendete Elemente`.
    SpecialUse,
    /// No folder is marked: the common name `Sent` (created at the first APPEND if missing).
    DefaultName,
}

/// The Sent folder's name when the config names none and the server marks none.
pub const DEFAULT_SENT_FOLDER: &str = "Sent";

/// A logged-in IMAP session.
pub struct ImapClient {
    session: Option<Session<ImapStream>>,
    idle: bool,
    /// The server advertises SPECIAL-USE after login: `LIST … RETURN (SPECIAL-USE)` works.
    special_use: bool,
    selected: Option<String>,
    /// The Sent folder once looked up on this connection (it does not move while we are on it).
    sent: Option<SentFolder>,
    /// A new message was announced in the middle of an earlier command ("* 20 EXISTS"
    /// during a FETCH) and not yet acted on: the server will not announce it again.
    announced: bool,
}

impl fmt::Debug for ImapClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapClient")
            .field("idle", &self.idle)
            .field("selected", &self.selected)
            .finish()
    }
}

/// Installs the ring crypto provider as the process default, once. Other crates' TLS defaults
/// are kept off, but installing explicitly means a second provider pulled in later cannot make
/// `ClientConfig::builder()` panic.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // An error means a provider is installed already, which is what we want.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The most bytes of one message fetched: what `ingest::parse` looks at
/// (`MAX_RAW_BYTES`, 2 MiB); the rest of a larger message is never read.
pub const MAX_MESSAGE_BYTES: usize = 2 * 1024 * 1024;

/// The TLS settings for a server: the webpki roots plus its extra CA file, if any.
fn tls_connector(server: &Server) -> Result<tokio_rustls::TlsConnector, ImapError> {
    install_crypto_provider();
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &server.ca_file {
        let pem =
            crate::input::read(path, crate::input::CA_FILE).map_err(|e| ImapError::Tls(e.to_string()))?;
        let certs = CertificateDer::pem_slice_iter(&pem);
        for cert in certs {
            let cert = cert.map_err(|e| ImapError::Tls(format!("ca_file {}: {e}", path.display())))?;
            roots
                .add(cert)
                .map_err(|e| ImapError::Tls(format!("ca_file {}: {e}", path.display())))?;
        }
    }
    let config =
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| ImapError::Tls(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

async fn tls_wrap(server: &Server, tcp: TcpStream) -> Result<ImapStream, ImapError> {
    let connector = tls_connector(server)?;
    let name = ServerName::try_from(server.host.clone())
        .map_err(|e| ImapError::Tls(format!("server name {:?}: {e}", server.host)))?;
    let tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| ImapError::Tls(e.to_string()))?;
    Ok(ImapStream::Tls(Box::new(tls)))
}

/// Runs `fut` under [`COMMAND_TIMEOUT`].
async fn timed<T, E: Into<ImapError>>(
    fut: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(COMMAND_TIMEOUT, fut).await {
        Ok(r) => r.map_err(Into::into),
        Err(_) => Err(ImapError::Timeout(COMMAND_TIMEOUT)),
    }
}

/// The server's own text of a refusal: async-imap words the answer as `code: None, info:
/// Some("…")`, and the operator needs to read the server's words.
fn server_text(msg: &str) -> String {
    let text = msg
        .split_once("info: Some(\"")
        .map_or(msg, |(_, rest)| rest.strip_suffix("\")").unwrap_or(rest));
    text.replace("\\\"", "\"")
}

/// The SASL mechanisms a server offers before login (its `AUTH=` capabilities), asked with
/// `CAPABILITY` (Gmail's and Outlook's greetings list none).
async fn offered_mechanisms(client: &mut Client<ImapStream>) -> Result<Vec<String>, ImapError> {
    use async_imap::imap_proto::{Capability, Response};
    use tokio::io::AsyncWriteExt;
    // A tag of our own: async-imap's own tags are A0001, A0002, ….
    const TAG: &str = "cap0";
    timed(async {
        let stream = client.get_mut();
        stream
            .write_all(format!("{TAG} CAPABILITY\r\n").as_bytes())
            .await?;
        stream.flush().await.map_err(async_imap::error::Error::from)
    })
    .await?;
    let mut mechanisms = Vec::new();
    loop {
        let response = timed(async {
            client
                .read_response()
                .await
                .map_err(async_imap::error::Error::from)
        })
        .await?;
        let Some(response) = response else {
            return Err(ImapError::Protocol(async_imap::error::Error::ConnectionLost));
        };
        match response.parsed() {
            Response::Capabilities(caps) => mechanisms.extend(caps.iter().filter_map(|c| match c {
                Capability::Auth(m) => Some(m.to_ascii_uppercase()),
                _ => None,
            })),
            Response::Done { tag, .. } if tag.0 == TAG => return Ok(mechanisms),
            _ => {}
        }
    }
}

/// SASL XOAUTH2 or OAUTHBEARER for `AUTHENTICATE`: the whole response at the first
/// challenge; after a refusal the server sends its error as a second challenge, answered
/// empty (XOAUTH2) or with ^A (OAUTHBEARER, RFC 7628 3.2.3) so that the server ends with NO.
struct SaslOnce {
    response: Option<SecretString>,
}

impl async_imap::Authenticator for SaslOnce {
    type Response = Vec<u8>;

    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        match self.response.take() {
            Some(r) => r.expose_secret().as_bytes().to_vec(),
            None => vec![1],
        }
    }
}

/// Quotes a string for an IMAP command (RFC 3501 quoted string); refuses line breaks, which
/// cannot be quoted.
fn quote(s: &str) -> Option<String> {
    if s.contains(['\r', '\n']) {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Some(out)
}

impl ImapClient {
    /// Connects to `server` and logs in with its username and password.
    ///
    /// # Errors
    /// [`ImapError::Connect`], [`ImapError::Tls`], [`ImapError::Login`] (check
    /// [`ImapError::is_login`]), [`ImapError::Timeout`].
    pub async fn connect(server: &Server) -> Result<ImapClient, ImapError> {
        let addr = format!("{}:{}", server.host, server.port);
        let tcp = timed(async {
            TcpStream::connect(&addr)
                .await
                .map_err(|source| ImapError::Connect {
                    addr: addr.clone(),
                    source,
                })
        })
        .await?;
        let _ = tcp.set_nodelay(true);
        let stream = match server.tls {
            Tls::Implicit => tls_wrap(server, tcp).await?,
            Tls::None | Tls::StartTls => ImapStream::Plain(tcp),
        };
        let mut client = Client::new(stream);
        let greeting = timed(async {
            client
                .read_response()
                .await
                .map_err(async_imap::error::Error::from)
        })
        .await?;
        if greeting.is_none() {
            return Err(ImapError::Protocol(async_imap::error::Error::ConnectionLost));
        }
        if server.tls == Tls::StartTls {
            timed(client.run_command_and_check_ok("STARTTLS", None)).await?;
            let ImapStream::Plain(tcp) = client.into_inner() else {
                return Err(ImapError::Tls(
                    "STARTTLS on a stream that is already TLS".to_string(),
                ));
            };
            client = Client::new(tls_wrap(server, tcp).await?);
        }
        let username = server.username.clone().unwrap_or_default();
        if let Some(login) = &server.oauth {
            let token = crate::oauth::access_token(login, None)
                .await
                .map_err(|e| ImapError::Token(e.to_string()))?;
            // OAUTHBEARER (RFC 7628) where offered, else XOAUTH2 (which Google and Microsoft
            // offer; Microsoft offers nothing else).
            let offered = offered_mechanisms(&mut client).await?;
            let mechanism = if offered.iter().any(|m| m == "OAUTHBEARER") {
                "OAUTHBEARER"
            } else {
                "XOAUTH2"
            };
            let response = |token: &SecretString| match mechanism {
                "OAUTHBEARER" => crate::oauth::oauthbearer(&username, &server.host, server.port, token),
                _ => crate::oauth::xoauth2(&username, token),
            };
            let mut token = token;
            let mut retried = false;
            loop {
                let auth = SaslOnce {
                    response: Some(response(&token)),
                };
                match tokio::time::timeout(COMMAND_TIMEOUT, client.authenticate(mechanism, auth)).await {
                    Err(_) => return Err(ImapError::Timeout(COMMAND_TIMEOUT)),
                    Ok(Err((
                        async_imap::error::Error::No(msg) | async_imap::error::Error::Bad(msg),
                        back,
                    ))) => {
                        let refusal = format!("{mechanism} refused: {}", server_text(&msg));
                        // Refused once: the token is refreshed (or the one another task just
                        // refreshed is taken) and tried again on this connection, once.
                        if !retried {
                            retried = true;
                            let fresh = crate::oauth::access_token(login, Some(&token))
                                .await
                                .map_err(|e| ImapError::Token(e.to_string()))?;
                            if fresh.expose_secret() != token.expose_secret() {
                                token = fresh;
                                client = back;
                                continue;
                            }
                        }
                        return Err(ImapError::Login(refusal));
                    }
                    Ok(Err((e, _))) => return Err(ImapError::Protocol(e)),
                    Ok(Ok(session)) => return ImapClient::ready(session).await,
                }
            }
        }
        let password = match &server.password {
            Some(secret) => secret.read().map_err(ImapError::Secret)?,
            None => {
                return Err(ImapError::Secret(
                    "no password_file or password_env configured".to_string(),
                ))
            }
        };
        let login =
            tokio::time::timeout(COMMAND_TIMEOUT, client.login(&username, password.expose_secret())).await;
        let session = match login {
            Err(_) => return Err(ImapError::Timeout(COMMAND_TIMEOUT)),
            // async-imap words the answer as `code: None, info: Some("…")`: keep the server's
            // own text, which is what the operator needs to read.
            Ok(Err((async_imap::error::Error::No(msg) | async_imap::error::Error::Bad(msg), _))) => {
                return Err(ImapError::Login(server_text(&msg)));
            }
            Ok(Err((e, _))) => return Err(ImapError::Protocol(e)),
            Ok(Ok(session)) => session,
        };
        ImapClient::ready(session).await
    }

    /// The client over a logged-in session, with what the server can do.
    async fn ready(mut session: Session<ImapStream>) -> Result<ImapClient, ImapError> {
        let caps = timed(session.capabilities()).await?;
        let idle = caps.has_str("IDLE");
        let special_use = caps.has_str("SPECIAL-USE");
        Ok(ImapClient {
            session: Some(session),
            idle,
            special_use,
            selected: None,
            sent: None,
            announced: false,
        })
    }

    fn session(&mut self) -> Result<&mut Session<ImapStream>, ImapError> {
        self.session
            .as_mut()
            .ok_or(ImapError::Protocol(async_imap::error::Error::ConnectionLost))
    }

    /// Whether the server advertises IDLE.
    pub fn has_idle(&self) -> bool {
        self.idle
    }

    /// Opens `folder` read-only (`EXAMINE`): nothing this session does can change flags.
    ///
    /// # Errors
    /// When the folder does not exist or the connection fails.
    pub async fn examine(&mut self, folder: &str) -> Result<FolderStatus, ImapError> {
        let session = self.session()?;
        let mailbox = timed(session.examine(encode_folder_name(folder))).await?;
        self.selected = Some(folder.to_string());
        self.drain_unsolicited();
        // The folder as it stands now: nothing announced before this is still news.
        self.announced = false;
        Ok(FolderStatus {
            uidvalidity: mailbox.uid_validity.unwrap_or(0),
            uid_next: mailbox.uid_next,
            exists: mailbox.exists,
        })
    }

    /// The UIDs in the open folder greater than `after`, ascending.
    ///
    /// # Errors
    /// Connection or protocol errors.
    pub async fn uids_after(&mut self, after: u32) -> Result<Vec<u32>, ImapError> {
        let session = self.session()?;
        // `n:*` always matches the highest UID even when it is below n (RFC 3501 6.4.8), so
        // the result is filtered.
        let query = format!("UID {}:*", after.saturating_add(1));
        let set: HashSet<u32> = timed(session.uid_search(query)).await?;
        let mut uids: Vec<u32> = set.into_iter().filter(|u| *u > after).collect();
        uids.sort_unstable();
        self.drain_unsolicited();
        Ok(uids)
    }

    /// The UIDs in the open folder whose internal date is on or after `day`, ascending.
    ///
    /// # Errors
    /// Connection or protocol errors.
    pub async fn uids_since(&mut self, day: chrono::NaiveDate) -> Result<Vec<u32>, ImapError> {
        let session = self.session()?;
        let query = format!("SINCE {}", day.format("%-d-%b-%Y"));
        let mut uids: Vec<u32> = timed(session.uid_search(query)).await?.into_iter().collect();
        uids.sort_unstable();
        self.drain_unsolicited();
        Ok(uids)
    }

    /// Fetches the raw bytes of these UIDs in the open folder with `BODY.PEEK[]`, so that
    /// `\Seen` is never set, at most [`MAX_MESSAGE_BYTES`] of each (a partial fetch: a
    /// 1 GB attachment is never downloaded, let alone held in memory). Returns `(uid, bytes)` in ascending UID order; UIDs that
    /// vanished meanwhile are missing from the result.
    ///
    /// # Errors
    /// Connection or protocol errors.
    pub async fn fetch_raw(&mut self, uids: &[u32]) -> Result<Vec<(u32, Vec<u8>)>, ImapError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uid_set(uids);
        let session = self.session()?;
        let fetches = timed(async {
            let stream = session
                .uid_fetch(&set, format!("(UID BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>)"))
                .await?;
            stream.try_collect::<Vec<_>>().await
        })
        .await?;
        let mut out: Vec<(u32, Vec<u8>)> = fetches
            .iter()
            .filter_map(|f| Some((f.uid?, f.body()?.to_vec())))
            .collect();
        out.sort_unstable_by_key(|(uid, _)| *uid);
        self.drain_unsolicited();
        Ok(out)
    }

    /// Waits until the server reports a change in the open folder, `max_wait` passes, or
    /// `cancel` fires. With IDLE the wait is at most [`IDLE_REARM`] (the caller loops, which
    /// re-arms it); without IDLE it is a plain sleep of `poll_interval` followed by a `NOOP`,
    /// and the caller searches for new UIDs after every return either way.
    ///
    /// # Errors
    /// Connection or protocol errors; the client is unusable afterwards and must reconnect.
    pub async fn wait_for_change(
        &mut self,
        poll_interval: Duration,
        cancel: &CancellationToken,
    ) -> Result<Wake, ImapError> {
        // A message announced during an earlier command is not announced again once IDLE
        // starts: act on it now, or the reply would wait for the next re-arm.
        self.drain_unsolicited();
        if std::mem::take(&mut self.announced) {
            return Ok(Wake::Changed);
        }
        if !self.idle {
            tokio::select! {
                _ = tokio::time::sleep(poll_interval) => {}
                _ = cancel.cancelled() => return Ok(Wake::Cancelled),
            }
            timed(self.session()?.noop()).await?;
            self.drain_unsolicited();
            // The caller reads the folder after every wake; what NOOP announced is seen then.
            self.announced = false;
            return Ok(Wake::Timeout);
        }
        let session = self
            .session
            .take()
            .ok_or(ImapError::Protocol(async_imap::error::Error::ConnectionLost))?;
        let mut handle = session.idle();
        timed(handle.init()).await?;
        let outcome = {
            let (fut, stop) = handle.wait_with_timeout(IDLE_REARM);
            tokio::pin!(fut);
            tokio::select! {
                r = &mut fut => r,
                _ = cancel.cancelled() => {
                    // Dropping the stop source ends the wait at once.
                    drop(stop);
                    fut.await.map(|_| IdleResponse::ManualInterrupt)
                }
            }
        };
        let response = outcome?;
        let session = timed(handle.done()).await?;
        self.session = Some(session);
        self.drain_unsolicited();
        // What IDLE announced is this wake's news, read by the caller now.
        self.announced = false;
        Ok(match response {
            IdleResponse::NewData(_) => Wake::Changed,
            IdleResponse::Timeout => Wake::Timeout,
            IdleResponse::ManualInterrupt => {
                if cancel.is_cancelled() {
                    Wake::Cancelled
                } else {
                    Wake::Changed
                }
            }
        })
    }

    /// Appends `raw` (a complete RFC 5322 message) to `folder` with the `\Seen` flag: the
    /// sender stores its sent copy in the Sent folder this way.
    ///
    /// # Errors
    /// When the folder does not exist, the server refuses the message, or the connection fails.
    pub async fn append(&mut self, folder: &str, raw: &[u8]) -> Result<(), ImapError> {
        let session = self.session()?;
        timed(session.append(encode_folder_name(folder), Some("(\\Seen)"), None, raw)).await?;
        self.drain_unsolicited();
        Ok(())
    }

    /// Stores `raw` in `folder`, creating the folder first if the server says it is missing.
    ///
    /// # Errors
    /// When the folder cannot be created or the message not stored.
    pub async fn append_creating(&mut self, folder: &str, raw: &[u8]) -> Result<(), ImapError> {
        if self.append(folder, raw).await.is_ok() {
            return Ok(());
        }
        {
            let session = self.session()?;
            // The folder may exist after all (the first error was something else): ignore.
            let _ = timed(session.create(encode_folder_name(folder))).await;
        }
        self.drain_unsolicited();
        self.append(folder, raw).await
    }

    /// The mailbox's Sent folder: `configured` when the config names one, else the folder the
    /// server marks `\Sent` (RFC 6154: `LIST "" "*" RETURN (SPECIAL-USE)` where SPECIAL-USE is
    /// advertised, else the attributes of a plain `LIST`, which Gmail and Outlook also mark),
    /// else [`DEFAULT_SENT_FOLDER`]. Looked up once per connection.
    ///
    /// # Errors
    /// When the LIST fails (the connection is then unusable).
    pub async fn sent_folder(&mut self, configured: Option<&str>) -> Result<SentFolder, ImapError> {
        if let Some(name) = configured {
            return Ok(SentFolder {
                name: name.to_string(),
                found_by: SentFoundBy::Config,
            });
        }
        if let Some(sent) = &self.sent {
            return Ok(sent.clone());
        }
        let pattern = if self.special_use {
            "\"*\" RETURN (SPECIAL-USE)"
        } else {
            "\"*\""
        };
        let session = self.session()?;
        let names = timed(async {
            let stream = session.list(Some(""), Some(pattern)).await?;
            stream.try_collect::<Vec<_>>().await
        })
        .await?;
        let marked = names.iter().find(|n| {
            n.attributes()
                .iter()
                .any(|a| matches!(a, async_imap::types::NameAttribute::Sent))
        });
        let sent = match marked {
            Some(n) => SentFolder {
                name: decode_folder_name(n.name()),
                found_by: SentFoundBy::SpecialUse,
            },
            None => SentFolder {
                name: DEFAULT_SENT_FOLDER.to_string(),
                found_by: SentFoundBy::DefaultName,
            },
        };
        self.drain_unsolicited();
        self.sent = Some(sent.clone());
        Ok(sent)
    }

    /// Stores `raw` in the mailbox's Sent folder ([`ImapClient::sent_folder`]), creating it
    /// when the server says it is missing.
    ///
    /// # Errors
    /// As [`ImapClient::sent_folder`] and [`ImapClient::append_creating`].
    pub async fn append_sent(&mut self, configured: Option<&str>, raw: &[u8]) -> Result<(), ImapError> {
        let folder = self.sent_folder(configured).await?;
        self.append_creating(&folder.name, raw).await
    }

    /// Whether the mailbox's Sent folder ([`ImapClient::sent_folder`]) holds `message_id`
    /// (see [`ImapClient::find_message_id`]).
    ///
    /// # Errors
    /// As [`ImapClient::sent_folder`] and [`ImapClient::find_message_id`].
    pub async fn find_sent(&mut self, configured: Option<&str>, message_id: &str) -> Result<bool, ImapError> {
        let folder = self.sent_folder(configured).await?;
        self.find_message_id(&folder.name, message_id).await
    }

    /// Whether `folder` holds a message whose `Message-ID` header is `message_id` (with or
    /// without angle brackets): `UID SEARCH HEADER Message-ID`. Opens the folder read-only,
    /// so after this call the previously open folder must be opened again.
    ///
    /// # Errors
    /// When the folder does not exist, the Message-ID cannot be quoted, or the connection
    /// fails.
    pub async fn find_message_id(&mut self, folder: &str, message_id: &str) -> Result<bool, ImapError> {
        let id = message_id.trim().trim_start_matches('<').trim_end_matches('>');
        let quoted = quote(&format!("<{id}>")).ok_or_else(|| {
            ImapError::Protocol(async_imap::error::Error::Bad(
                "message-id contains a line break".to_string(),
            ))
        })?;
        self.examine(folder).await?;
        let session = self.session()?;
        let found = timed(session.uid_search(format!("HEADER Message-ID {quoted}"))).await?;
        self.drain_unsolicited();
        Ok(!found.is_empty())
    }

    /// Logs out politely; errors are ignored (the connection is going away anyway).
    pub async fn logout(mut self) {
        if let Some(mut session) = self.session.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
        }
    }

    /// Empties the channel of unsolicited responses: we re-search instead of tracking them,
    /// and a full channel only drops new ones, but there is no point keeping stale ones.
    /// Drains the unsolicited responses received so far, remembering whether one of them
    /// says the folder gained a message (see `announced`).
    fn drain_unsolicited(&mut self) {
        if let Some(session) = &self.session {
            while let Ok(response) = session.unsolicited_responses.try_recv() {
                self.announced |= matches!(
                    response,
                    async_imap::types::UnsolicitedResponse::Exists(_)
                        | async_imap::types::UnsolicitedResponse::Recent(_)
                );
            }
        }
    }
}

/// A compact UID set: `1:3,7,9:10`.
fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = String::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// The modified base64 of modified UTF-7 (RFC 3501 5.1.3): `,` for `/`, no padding.
const MUTF7_BASE64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::IMAP_MUTF7,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireNone),
);

/// A folder name as IMAP writes it (RFC 3501 5.1.3, "modified UTF-7"): printable ASCII as it
/// is, `&` as `&-`, any other run of characters as `&`, the modified base64 of its UTF-16, `-`.
/// Names in the config are written as people read them ("Éléments envoyés", "Sales &
/// Marketing"); a server without UTF8=ACCEPT refuses them in UTF-8 (or, for CREATE, makes
/// another folder).
pub fn encode_folder_name(name: &str) -> String {
    use base64::Engine as _;
    let mut out = String::with_capacity(name.len());
    let mut run: Vec<u16> = Vec::new();
    let flush = |out: &mut String, run: &mut Vec<u16>| {
        if !run.is_empty() {
            let bytes: Vec<u8> = run.iter().flat_map(|u| u.to_be_bytes()).collect();
            out.push('&');
            out.push_str(&MUTF7_BASE64.encode(bytes));
            out.push('-');
            run.clear();
        }
    };
    for c in name.chars() {
        if (' '..='~').contains(&c) {
            flush(&mut out, &mut run);
            match c {
                '&' => out.push_str("&-"),
                c => out.push(c),
            }
        } else {
            let mut units = [0u16; 2];
            run.extend_from_slice(c.encode_utf16(&mut units));
        }
    }
    flush(&mut out, &mut run);
    out
}

/// A folder name as the server sends it (modified UTF-7), as people read it; a name that is
/// not valid modified UTF-7 is returned as it came, so that nothing is lost.
pub fn decode_folder_name(wire: &str) -> String {
    use base64::Engine as _;
    let decoded = (|| {
        let mut out = String::with_capacity(wire.len());
        let mut rest = wire;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            let (shifted, after) = rest[at + 1..].split_once('-')?;
            if shifted.is_empty() {
                out.push('&');
            } else {
                let bytes = MUTF7_BASE64.decode(shifted).ok()?;
                if bytes.len() % 2 != 0 {
                    return None;
                }
                let units: Vec<u16> = bytes
                    .chunks_exact(2)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
                    .collect();
                out.push_str(&String::from_utf16(&units).ok()?);
            }
            rest = after;
        }
        out.push_str(rest);
        Some(out)
    })();
    decoded.unwrap_or_else(|| wire.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_are_compact() {
        for (input, expect) in [
            (vec![1], "1"),
            (vec![3, 1, 2], "1:3"),
            (vec![1, 2, 3, 7, 9, 10], "1:3,7,9:10"),
            (vec![5, 5], "5"),
        ] {
            assert_eq!(uid_set(&input), expect);
        }
    }

    #[test]
    fn folder_names_in_modified_utf7() {
        for (person, wire) in [
            // RFC 3501 5.1.3's example, and what Dovecot lists for a French Sent folder.
            ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            ("Éléments envoyés", "&AMk-l&AOk-ments envoy&AOk-s"),
            ("[Gmail]/Gesendet", "[Gmail]/Gesendet"),
            ("Sales & Marketing", "Sales &- Marketing"),
            ("Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"),
            ("Sent 📨", "Sent &2D3c6A-"),
        ] {
            assert_eq!(encode_folder_name(person), wire, "{person}");
            assert_eq!(decode_folder_name(wire), person, "{wire}");
        }
        // Not modified UTF-7 (no end, bad base64, half a UTF-16 unit): kept as it came.
        for odd in ["&AMk", "a&*-", "&AM-"] {
            assert_eq!(decode_folder_name(odd), odd);
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("<a\"b@x>").as_deref(), Some("\"<a\\\"b@x>\""));
        assert_eq!(quote("a\r\nb"), None);
    }
}
