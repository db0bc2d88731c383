//! OAuth2 mailboxes: the grant a mailbox with `auth = "oauth2"` holds, the access tokens it
//! logs in with, and the SASL messages that carry them: OAUTHBEARER (RFC 7628; IMAP, where
//! the server offers it) and XOAUTH2 (IMAP otherwise, and SMTP: lettre has only that one).
//!
//! - `cadenced mailbox login NAME` runs one of two sign-ins ([`choose_flow`]):
//!   [`device_login`], the device authorization grant (RFC 8628) at `oauth.device_url`,
//!   polled at `oauth.token_url` as the provider asks (`interval`, `slow_down`); or
//!   [`browser_login`] (module `browser`), the authorization code grant with PKCE (RFC 7636)
//!   and a loopback redirect (RFC 8252) starting at `oauth.auth_url`. Both end in the same
//!   stored grant.
//! - The grant is kept in the state directory, `oauth/NAME.json` (mode 0600, written whole
//!   to a temporary file and renamed over the old one): the refresh token, the current access
//!   token and when it expires. Every login reads it again ([`access_token`]), so a grant
//!   stored by `mailbox login` while the daemon runs is used by the daemon's next login.
//! - [`access_token`] refreshes the access token when it has less than [`MARGIN`] (or a third
//!   of its lifetime, if that is less) to live, and when a server refused the token it gives
//!   it back. Refreshes of one mailbox are serialised by an exclusive `flock` on
//!   `oauth/NAME.lock`, across the daemon's tasks and other processes, and the file is read
//!   again under the lock: a provider that rotates refresh tokens never sees one used twice.
//! - A refresh answered `invalid_grant` (the grant revoked or expired) is written into the
//!   file (`needs_login`, the tokens dropped): every later login fails at once with
//!   [`TokenError::NeedsLogin`], whose text ends in "run `cadenced mailbox login NAME`",
//!   until a new login replaces the file.
//!
//! Google's device flow does not grant the mail scope (`https://mail.google.com/`), so a
//! Google mailbox has no device URL but an authorization URL: it signs in with the browser.
//!
//! **Invariant:** a token (access, refresh, device code) is never logged, never part of an
//! error message or of `Debug` output; errors name the mailbox, the file and the provider's
//! error code only. Answers of the provider are read within [`MAX_ANSWER`] bytes and
//! [`HTTP_TIMEOUT`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hyper::header;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::clock::{Clock, SystemClock};
use crate::config::OAuthLogin;

mod browser;
pub use browser::{browser_login, BrowserOptions};

/// The two sign-ins of `cadenced mailbox login`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// The device authorization grant (RFC 8628): a URL and a code to type, from any device.
    Device,
    /// The authorization code grant with PKCE and a loopback redirect (RFC 7636, RFC 8252):
    /// the only one Google grants the mail scope with.
    Browser,
}

/// The sign-in `mailbox login` runs for `login`: the one `forced` (`--device`, `--browser`),
/// else the device flow where the mailbox has a device URL (it works from any machine without
/// a tunnel), else the browser flow where it has an authorization URL.
///
/// # Errors
/// The mailbox has neither endpoint (named, with the keys to give); a forced flow whose
/// endpoint is missing is left to that flow's own error.
pub fn choose_flow(login: &OAuthLogin, forced: Option<Flow>) -> Result<Flow, String> {
    if let Some(flow) = forced {
        return Ok(flow);
    }
    match (&login.client.device_url, &login.client.auth_url) {
        (Some(_), _) => Ok(Flow::Device),
        (None, Some(_)) => Ok(Flow::Browser),
        (None, None) => Err(format!(
            "mailbox {} has neither oauth.device_url (device sign-in, RFC 8628) nor oauth.auth_url (browser sign-in): give the one its provider offers",
            login.mailbox
        )),
    }
}

/// An access token is refreshed when it has less than this left to live (or a third of its
/// lifetime, when that is shorter).
pub const MARGIN: Duration = Duration::from_secs(60);
/// The most of a provider's answer that is read.
pub const MAX_ANSWER: usize = 64 * 1024;
/// How long one request to the provider may take, connection and answer included.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a refresh waits for another one of the same mailbox to finish.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// Why there is no access token to log in with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No grant, or one the provider refused: a person must sign in again. The text ends in
    /// the fix, "run `cadenced mailbox login NAME`".
    #[error("{0}")]
    NeedsLogin(String),
    /// Anything else (the provider unreachable, the file unwritable, the client refused):
    /// retrying later may work.
    #[error("{0}")]
    Failed(String),
}

/// The token file of a mailbox. No `Debug`: it holds tokens.
#[derive(Default, Serialize, Deserialize)]
struct TokenFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    /// When the access token expires, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    /// When the access token was obtained, seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    obtained_at: Option<i64>,
    /// The scopes granted, as the provider said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    /// Set when the provider refused the grant: why (no token is kept then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    needs_login: Option<String>,
}

/// The fix for every missing or refused grant.
pub fn fix(mailbox: &str) -> String {
    format!("run `cadenced mailbox login {mailbox}`")
}

fn now() -> DateTime<Utc> {
    SystemClock.now()
}

fn usable(token: &str) -> bool {
    !token.trim().is_empty() && !token.contains(|c: char| c.is_control())
}

/// Reads the token file. A missing file is [`TokenError::NeedsLogin`].
fn read_file(login: &OAuthLogin) -> Result<TokenFile, TokenError> {
    let path = &login.token_file;
    let mailbox = &login.mailbox;
    if !path.exists() {
        return Err(TokenError::NeedsLogin(format!(
            "no OAuth2 token for mailbox {mailbox}: {} does not exist; {}",
            path.display(),
            fix(mailbox)
        )));
    }
    let text = crate::input::read_text(path, crate::input::TOKEN_FILE)
        .map_err(|e| TokenError::Failed(e.to_string()))?;
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(file = %path.display(), "OAuth2 token file is readable by others; make it 0600.");
        }
    }
    let file: TokenFile = serde_json::from_str(&text).map_err(|_| {
        TokenError::NeedsLogin(format!(
            "{}: not a JSON token file; {}",
            path.display(),
            fix(mailbox)
        ))
    })?;
    if let Some(why) = &file.needs_login {
        return Err(TokenError::NeedsLogin(format!(
            "mailbox {mailbox}: {}; {}",
            crate::domain::clip(why, 200),
            fix(mailbox)
        )));
    }
    Ok(file)
}

/// Whether the file's access token should be refreshed before use.
fn due(file: &TokenFile, now: i64, refused: Option<&SecretString>) -> bool {
    let Some(token) = file.access_token.as_deref().filter(|t| usable(t)) else {
        return true;
    };
    if refused.is_some_and(|r| r.expose_secret() == token) {
        return true;
    }
    match file.expires_at {
        None => false,
        Some(expires) => {
            let lifetime = file.obtained_at.map_or(i64::MAX, |o| expires - o);
            let margin = (MARGIN.as_secs() as i64).min(lifetime / 3).max(1);
            now + margin >= expires
        }
    }
}

/// How long until the access token of `login` should be refreshed (zero: now); `None` when
/// it never expires by itself or there is no grant to refresh.
pub fn refresh_due_in(login: &OAuthLogin) -> Option<Duration> {
    let file = read_file(login).ok()?;
    file.refresh_token.as_ref()?;
    let expires = file.expires_at?;
    let lifetime = file.obtained_at.map_or(i64::MAX, |o| expires - o);
    let margin = (MARGIN.as_secs() as i64).min(lifetime / 3).max(1);
    let at = expires - margin;
    Some(Duration::from_secs(
        at.saturating_sub(now().timestamp()).max(0) as u64
    ))
}

/// The access token to log in with, refreshed first if it expires within the margin or if it
/// is `refused` (the token a server just refused: refreshed once; a token another task has
/// refreshed meanwhile is taken as it is).
///
/// A token that cannot be refreshed (no refresh token: a file written by hand) is given as it
/// is: the server says whether it still works.
///
/// # Errors
/// [`TokenError::NeedsLogin`] without a grant or when the provider refuses it
/// (`invalid_grant`, written into the file); [`TokenError::Failed`] when the provider cannot
/// be asked or the file cannot be written.
pub async fn access_token(
    login: &OAuthLogin,
    refused: Option<&SecretString>,
) -> Result<SecretString, TokenError> {
    let file = read_file(login)?;
    if !due(&file, now().timestamp(), refused) {
        return current(login, &file);
    }
    let _lock = lock(&login.token_file).await?;
    let file = read_file(login)?;
    if !due(&file, now().timestamp(), refused) {
        return current(login, &file);
    }
    let Some(refresh_token) = file.refresh_token.clone() else {
        return current(login, &file);
    };
    refresh(login, file, &SecretString::from(refresh_token)).await
}

/// The access token the token file holds now, neither refreshed nor checked for expiry: what
/// a transport is first built with.
///
/// # Errors
/// As [`access_token`], minus the refresh.
pub fn stored_token(login: &OAuthLogin) -> Result<SecretString, TokenError> {
    current(login, &read_file(login)?)
}

fn current(login: &OAuthLogin, file: &TokenFile) -> Result<SecretString, TokenError> {
    match file.access_token.as_deref() {
        Some(token) if usable(token) => Ok(SecretString::from(token.trim().to_string())),
        _ => Err(TokenError::NeedsLogin(format!(
            "{}: no usable access_token; {}",
            login.token_file.display(),
            fix(&login.mailbox)
        ))),
    }
}

/// What `cadenced check` says of a mailbox's grant, without refreshing it.
///
/// # Errors
/// The grant is missing or refused (with the fix), or the file cannot be read.
pub fn describe(login: &OAuthLogin) -> Result<String, TokenError> {
    let file = read_file(login).map_err(|e| match (e, choose_flow(login, None)) {
        (TokenError::NeedsLogin(text), Ok(Flow::Browser)) => TokenError::NeedsLogin(format!(
            "{text} (a browser sign-in: on a server without a browser, forward the port it prints with ssh -L, or add --paste; see README, \"Browser sign-in (Google mailboxes)\")"
        )),
        (e, _) => e,
    })?;
    let expiry = match file.expires_at.and_then(|t| DateTime::from_timestamp(t, 0)) {
        Some(at) => format!("access token valid until {}", at.format("%Y-%m-%d %H:%M:%S UTC")),
        None => "access token without a stated expiry".to_string(),
    };
    Ok(match file.refresh_token {
        Some(_) => format!("grant stored ({expiry}, refreshed before it expires)"),
        None => format!(
            "access token only, no refresh token ({expiry}; `cadenced mailbox login {}` stores a grant)",
            login.mailbox
        ),
    })
}

/// The token endpoint's answer.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    scope: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

impl TokenAnswer {
    fn error_text(&self) -> String {
        let code = self
            .error
            .as_deref()
            .map(printable)
            .unwrap_or_else(|| "no error code".to_string());
        match self.error_description.as_deref() {
            Some(d) if !d.is_empty() => format!("{code}: {}", printable(d)),
            _ => code,
        }
    }
}

/// Text from the provider, safe to show: printable, one line, clipped.
fn printable(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    crate::domain::clip(flat.trim(), 200)
}

fn expires_in(v: &Option<serde_json::Value>) -> Option<i64> {
    match v {
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        // Some providers send it as a string.
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

async fn refresh(
    login: &OAuthLogin,
    mut file: TokenFile,
    refresh_token: &SecretString,
) -> Result<SecretString, TokenError> {
    let mailbox = &login.mailbox;
    let client = &login.client;
    let secret = client_secret(login)?;
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token.expose_secret()),
        ("client_id", client.client_id.as_str()),
    ];
    if let Some(s) = &secret {
        form.push(("client_secret", s.expose_secret()));
    }
    let started = now();
    let (status, body) = post_form(&client.token_url, &form).await.map_err(|e| {
        metrics::counter!("cadenced_oauth_refreshes_total", "outcome" => "failed").increment(1);
        TokenError::Failed(format!(
            "mailbox {mailbox}: cannot refresh the OAuth2 access token at {}: {e}",
            client.token_url
        ))
    })?;
    let answer: Option<TokenAnswer> = serde_json::from_slice(&body).ok();
    match (status, answer) {
        (200, Some(a)) if a.access_token.as_deref().is_some_and(usable) => {
            let lifetime = expires_in(&a.expires_in);
            file.access_token = a.access_token;
            if let Some(rotated) = a.refresh_token.filter(|t| usable(t)) {
                file.refresh_token = Some(rotated);
            }
            file.obtained_at = Some(started.timestamp());
            file.expires_at = lifetime.map(|s| started.timestamp() + s);
            if a.scope.is_some() {
                file.scope = a.scope;
            }
            write_file(&login.token_file, &file).map_err(TokenError::Failed)?;
            metrics::counter!("cadenced_oauth_refreshes_total", "outcome" => "ok").increment(1);
            metrics::gauge!("cadenced_mailbox_login_needed", "mailbox" => mailbox.clone()).set(0.0);
            tracing::info!(mailbox = %mailbox, expires_in_s = lifetime, "OAuth2 access token refreshed.");
            current(login, &file)
        }
        (400 | 401, Some(a)) if a.error.as_deref() == Some("invalid_grant") => {
            let why = format!(
                "the provider refused the OAuth2 grant (invalid_grant: revoked or expired{})",
                a.error_description
                    .as_deref()
                    .map(|d| format!(": {}", printable(d)))
                    .unwrap_or_default()
            );
            let refused = TokenFile {
                needs_login: Some(why.clone()),
                ..TokenFile::default()
            };
            if let Err(e) = write_file(&login.token_file, &refused) {
                tracing::warn!(mailbox = %mailbox, error = %e, "Cannot record the refused grant in the token file.");
            }
            metrics::counter!("cadenced_oauth_refreshes_total", "outcome" => "refused").increment(1);
            metrics::gauge!("cadenced_mailbox_login_needed", "mailbox" => mailbox.clone()).set(1.0);
            let text = format!("mailbox {mailbox}: {why}; {}", fix(mailbox));
            tracing::error!(mailbox = %mailbox, error = %text, "OAuth2 grant refused; nothing is sent from this mailbox until a person signs in again.");
            Err(TokenError::NeedsLogin(text))
        }
        (status, answer) => {
            metrics::counter!("cadenced_oauth_refreshes_total", "outcome" => "failed").increment(1);
            Err(TokenError::Failed(format!(
                "mailbox {mailbox}: the token endpoint {} refused the refresh (HTTP {status}: {})",
                client.token_url,
                answer.map_or_else(|| "not a JSON answer".to_string(), |a| a.error_text())
            )))
        }
    }
}

fn client_secret(login: &OAuthLogin) -> Result<Option<SecretString>, TokenError> {
    login
        .client
        .client_secret
        .as_ref()
        .map(|s| s.read())
        .transpose()
        .map_err(|e| {
            TokenError::Failed(format!(
                "mailbox {}: oauth.client_secret_file: {e}",
                login.mailbox
            ))
        })
}

/// An exclusive lock on `oauth/NAME.lock`, held until dropped.
async fn lock(token_file: &Path) -> Result<std::fs::File, TokenError> {
    let path = token_file.with_extension("lock");
    if let Some(dir) = path.parent() {
        create_dir(dir).map_err(TokenError::Failed)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| TokenError::Failed(format!("{}: {e}", path.display())))?;
    give_to_state_owner(&[path.parent().unwrap_or(Path::new(".")), &path], token_file);
    let deadline = tokio::time::Instant::now() + LOCK_WAIT;
    loop {
        if try_lock(&file) {
            return Ok(file);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(TokenError::Failed(format!(
                "{}: another refresh has held it for {} s",
                path.display(),
                LOCK_WAIT.as_secs()
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(unix)]
fn try_lock(file: &std::fs::File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor this function borrows; it has no memory effects.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn try_lock(_file: &std::fs::File) -> bool {
    true
}

fn create_dir(dir: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

/// When root writes (an operator's `sudo cadenced mailbox login`), the token file, its lock
/// and the `oauth` folder go to the owner of the state directory (the daemon's user), who
/// must read them; otherwise nothing changes. Failures are left to the reader's error.
fn give_to_state_owner(paths: &[&Path], token_file: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Some(state) = token_file.parent().and_then(Path::parent) else {
            return;
        };
        let (Ok(state), Some(Ok(ours))) = (std::fs::metadata(state), paths.last().map(std::fs::metadata))
        else {
            return;
        };
        if ours.uid() != 0 || state.uid() == 0 {
            return;
        }
        for p in paths {
            let _ = std::os::unix::fs::chown(p, Some(state.uid()), Some(state.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = (paths, token_file);
}

/// Writes the token file whole: a temporary file (0600) in the same directory, synced, then
/// renamed over the old one, so a reader never sees half a file and a crash leaves the old one.
fn write_file(path: &Path, file: &TokenFile) -> Result<(), String> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    create_dir(dir)?;
    let text = serde_json::to_string_pretty(file).map_err(|e| e.to_string())?;
    let tmp: PathBuf = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        std::process::id()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut out = options.open(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            out.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        out.write_all(text.as_bytes())?;
        out.sync_all()?;
        give_to_state_owner(&[dir, &tmp], path);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", path.display())
    })
}

/// The device authorization endpoint's answer (RFC 8628 section 3.2).
#[derive(Deserialize)]
struct DeviceAnswer {
    device_code: Option<String>,
    user_code: Option<String>,
    verification_uri: Option<String>,
    /// Google's older name for it.
    verification_url: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: Option<serde_json::Value>,
    interval: Option<serde_json::Value>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `cadenced mailbox login NAME`: the device authorization grant (RFC 8628). Asks the
/// provider for a code, hands `say` what the person must open and type, polls the token
/// endpoint as the provider asks, and stores the grant in the token file (replacing a refused
/// one). Returns what to tell the person at the end.
///
/// # Errors
/// Why no grant was stored, worded for the person at the terminal: no device endpoint (with
/// Google's reason), the provider refused the client, the code expired, the sign-in was
/// declined.
pub async fn device_login(login: &OAuthLogin, mut say: impl FnMut(&str)) -> Result<String, String> {
    let mailbox = &login.mailbox;
    let client = &login.client;
    let Some(device_url) = &client.device_url else {
        let instead = match client.auth_url {
            Some(_) => format!("sign in with the browser instead: `cadenced mailbox login {mailbox} --browser`"),
            None => "give the mailbox oauth.auth_url (the provider's authorization endpoint) to sign in with the browser instead".to_string(),
        };
        return Err(format!(
            "mailbox {mailbox} has no oauth.device_url: its provider offers no device sign-in here \
             (Google's device flow does not grant the mail scope, https://mail.google.com/); {instead}"
        ));
    };
    let secret = client_secret(login).map_err(|e| e.to_string())?;
    let scope = client.scopes.join(" ");
    let mut form = vec![
        ("client_id", client.client_id.as_str()),
        ("scope", scope.as_str()),
    ];
    if let Some(s) = &secret {
        form.push(("client_secret", s.expose_secret()));
    }
    let (status, body) = post_form(device_url, &form)
        .await
        .map_err(|e| format!("mailbox {mailbox}: cannot reach the device endpoint {device_url}: {e}"))?;
    let answer: DeviceAnswer = serde_json::from_slice(&body).map_err(|_| {
        format!("mailbox {mailbox}: the device endpoint {device_url} answered HTTP {status}, not JSON")
    })?;
    let (Some(device_code), Some(user_code), Some(uri)) = (
        answer.device_code.filter(|c| usable(c)),
        answer.user_code.as_deref().map(printable),
        answer
            .verification_uri
            .as_deref()
            .or(answer.verification_url.as_deref())
            .map(printable),
    ) else {
        let code = answer
            .error
            .as_deref()
            .map(printable)
            .unwrap_or_else(|| "no device code".into());
        let desc = answer
            .error_description
            .as_deref()
            .map(printable)
            .unwrap_or_default();
        return Err(format!(
            "mailbox {mailbox}: the device endpoint {device_url} refused (HTTP {status}: {code}{}{desc})",
            if desc.is_empty() { "" } else { ": " }
        ));
    };
    let device_code = SecretString::from(device_code);
    let lifetime = expires_in(&answer.expires_in).unwrap_or(900).clamp(10, 3600);
    let mut interval = expires_in(&answer.interval).unwrap_or(5).clamp(1, 60) as u64;
    say(&format!(
        "To sign in mailbox {mailbox}, open {uri} and enter the code {user_code} (valid for {} min).",
        (lifetime + 59) / 60
    ));
    if let Some(complete) = answer.verification_uri_complete.as_deref().map(printable) {
        say(&format!("Or open {complete} (the code filled in)."));
    }
    say("Waiting for the sign-in…");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(lifetime as u64);
    loop {
        tokio::time::sleep(Duration::from_secs(interval)).await;
        if tokio::time::Instant::now() >= deadline {
            return Err(format!(
                "mailbox {mailbox}: the code expired before the sign-in was done; nothing was stored; {} again",
                fix(mailbox)
            ));
        }
        let mut form = vec![
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code.expose_secret()),
            ("client_id", client.client_id.as_str()),
        ];
        if let Some(s) = &secret {
            form.push(("client_secret", s.expose_secret()));
        }
        let started = now();
        let (status, body) = match post_form(&client.token_url, &form).await {
            Ok(answer) => answer,
            Err(e) => {
                // A lost poll is not a lost sign-in: ask again at the next interval.
                say(&format!("(the token endpoint did not answer: {e}; asking again)"));
                continue;
            }
        };
        let answer: Option<TokenAnswer> = serde_json::from_slice(&body).ok();
        match (status, answer) {
            (200, Some(a)) if a.access_token.as_deref().is_some_and(usable) => {
                return store_grant(login, a, started).await;
            }
            (_, Some(a)) => match a.error.as_deref() {
                Some("authorization_pending") => {}
                Some("slow_down") => interval += 5,
                Some("expired_token") => {
                    return Err(format!(
                        "mailbox {mailbox}: the code expired before the sign-in was done; nothing was stored; {} again",
                        fix(mailbox)
                    ))
                }
                Some("access_denied") => {
                    return Err(format!(
                        "mailbox {mailbox}: the sign-in was declined at the provider; nothing was stored"
                    ))
                }
                _ => {
                    return Err(format!(
                        "mailbox {mailbox}: the token endpoint {} refused (HTTP {status}: {})",
                        client.token_url,
                        a.error_text()
                    ))
                }
            },
            (status, None) => {
                return Err(format!(
                    "mailbox {mailbox}: the token endpoint {} answered HTTP {status}, not JSON",
                    client.token_url
                ))
            }
        }
    }
}

/// Stores the grant a sign-in (device or browser) ended in, replacing the token file whole
/// (under the refresh lock, so no refresh of the old grant writes over it), and says so.
async fn store_grant(login: &OAuthLogin, a: TokenAnswer, started: DateTime<Utc>) -> Result<String, String> {
    let mailbox = &login.mailbox;
    let lifetime = expires_in(&a.expires_in);
    let file = TokenFile {
        access_token: a.access_token,
        refresh_token: a.refresh_token.filter(|t| usable(t)),
        expires_at: lifetime.map(|s| started.timestamp() + s),
        obtained_at: Some(started.timestamp()),
        scope: a.scope,
        needs_login: None,
    };
    let _lock = lock(&login.token_file).await.map_err(|e| e.to_string())?;
    write_file(&login.token_file, &file)?;
    metrics::gauge!("cadenced_mailbox_login_needed", "mailbox" => mailbox.clone()).set(0.0);
    Ok(match file.refresh_token {
        Some(_) => format!(
            "mailbox {mailbox}: signed in; grant stored in {} (mode 0600). A running daemon takes it up within seconds.",
            login.token_file.display()
        ),
        None => format!(
            "mailbox {mailbox}: signed in, but the provider gave no refresh token (ask for offline access: the offline_access scope, or Google's access_type=offline&prompt=consent in oauth.auth_url): the access token stored in {} works until it expires{}",
            login.token_file.display(),
            lifetime.map(|s| format!(", in {s} s")).unwrap_or_default()
        ),
    })
}

/// `application/x-www-form-urlencoded`.
fn form_encode(form: &[(&str, &str)]) -> String {
    let enc = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for b in s.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
                b' ' => out.push('+'),
                _ => out.push_str(&format!("%{b:02X}")),
            }
        }
        out
    };
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// POSTs a form to `url` (https, or http on loopback: the config allows nothing else); the
/// status and at most [`MAX_ANSWER`] bytes of the answer, within [`HTTP_TIMEOUT`].
async fn post_form(url: &str, form: &[(&str, &str)]) -> Result<(u16, Vec<u8>), String> {
    match tokio::time::timeout(HTTP_TIMEOUT, post_form_inner(url, form)).await {
        Ok(r) => r,
        Err(_) => Err(format!("no answer within {} s", HTTP_TIMEOUT.as_secs())),
    }
}

async fn post_form_inner(url: &str, form: &[(&str, &str)]) -> Result<(u16, Vec<u8>), String> {
    let uri: Uri = url.parse().map_err(|_| "not a URL".to_string())?;
    let host = uri.host().ok_or("the URL has no host")?.to_string();
    let https = uri.scheme_str() == Some("https");
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let authority = uri.authority().map_or(host.clone(), |a| a.to_string());
    let request = Request::post(path)
        .header(header::HOST, authority)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(
            header::USER_AGENT,
            concat!("cadenced/", env!("CARGO_PKG_VERSION")),
        )
        .header(header::CONNECTION, "close")
        .body(axum::body::Body::from(form_encode(form)))
        .map_err(|e| e.to_string())?;
    let tcp = tokio::net::TcpStream::connect((host.trim_start_matches('[').trim_end_matches(']'), port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    if https {
        let name = rustls_pki_types::ServerName::try_from(host.clone())
            .map_err(|e| format!("TLS name {host}: {e}"))?;
        let stream = public_tls_connector()
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS: {e}"))?;
        exchange(TokioIo::new(stream), request).await
    } else {
        exchange(TokioIo::new(tcp), request).await
    }
}

async fn exchange<IO>(io: IO, request: Request<axum::body::Body>) -> Result<(u16, Vec<u8>), String>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    // The connection is driven for as long as the exchange lasts (and dropped with it).
    let driver = tokio::spawn(conn);
    let result = async {
        let answer = sender
            .send_request(request)
            .await
            .map_err(|e| format!("HTTP: {e}"))?;
        let status = answer.status().as_u16();
        let body = axum::body::to_bytes(axum::body::Body::new(answer.into_body()), MAX_ANSWER)
            .await
            .map_err(|_| format!("the answer is not a complete body of at most {MAX_ANSWER} bytes"))?;
        Ok((status, body.to_vec()))
    }
    .await;
    driver.abort();
    result
}

/// The public roots, for `https://` endpoints (ring, as everywhere in cadenced): the token and
/// device endpoints here, the webhook endpoints in `webhooks` (one client TLS set-up for both).
pub(crate) fn public_tls_connector() -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config =
        rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(roots).with_no_client_auth())
            .unwrap_or_else(|_| {
                // ring supports the default protocol versions: this branch cannot be taken; an
                // empty configuration would only fail each TLS handshake, named.
                rustls::ClientConfig::builder()
                    .with_root_certificates(rustls::RootCertStore::empty())
                    .with_no_client_auth()
            });
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// The SASL XOAUTH2 initial client response for `user` and `token`, before base64
/// (`user=…^Aauth=Bearer …^A^A`, as Google and Microsoft document it).
pub fn xoauth2(user: &str, token: &SecretString) -> SecretString {
    SecretString::from(format!(
        "user={user}\u{1}auth=Bearer {}\u{1}\u{1}",
        token.expose_secret()
    ))
}

/// The SASL OAUTHBEARER initial client response (RFC 7628) for `user` at `host:port`, before
/// base64: `n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A`, with `,` and `=` in the
/// user escaped as the GS2 header requires.
pub fn oauthbearer(user: &str, host: &str, port: u16, token: &SecretString) -> SecretString {
    let user = user.replace('=', "=3D").replace(',', "=2C");
    SecretString::from(format!(
        "n,a={user},\u{1}host={host}\u{1}port={port}\u{1}auth=Bearer {}\u{1}\u{1}",
        token.expose_secret()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login(dir: &Path) -> OAuthLogin {
        OAuthLogin {
            mailbox: "sales".into(),
            token_file: dir.join("oauth/sales.json"),
            client: crate::config::OAuth {
                client_id: "c".into(),
                client_secret: None,
                // Nothing listens on the discard port: a refresh fails, named.
                token_url: "http://127.0.0.1:9/token".into(),
                device_url: None,
                auth_url: None,
                scopes: vec!["mail".into()],
            },
        }
    }

    #[tokio::test]
    async fn the_token_file_is_read_and_its_problems_named_without_the_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let login = login(dir.path());
        let path = &login.token_file;
        let missing = access_token(&login, None).await.expect_err("missing");
        let text = missing.to_string();
        assert!(
            matches!(missing, TokenError::NeedsLogin(_))
                && text.contains("no OAuth2 token for mailbox sales")
                && text.ends_with("run `cadenced mailbox login sales`"),
            "{text}"
        );
        std::fs::create_dir_all(path.parent().expect("dir")).expect("dir");
        std::fs::write(path, "{\"access_token\": \"tok-123\"}").expect("write");
        assert_eq!(
            access_token(&login, None).await.expect("token").expose_secret(),
            "tok-123"
        );
        std::fs::write(path, "{\"access_token\": \"zz-secret\\u0001x\"}").expect("write");
        let bad = access_token(&login, None)
            .await
            .expect_err("control character")
            .to_string();
        assert!(
            bad.contains("no usable access_token") && !bad.contains("zz-secret"),
            "{bad}"
        );
        std::fs::write(path, "access_token = tok-456").expect("write");
        let bad = access_token(&login, None)
            .await
            .expect_err("not json")
            .to_string();
        assert!(
            bad.contains("not a JSON token file") && !bad.contains("tok-456"),
            "{bad}"
        );
        std::fs::write(
            path,
            "{\"needs_login\": \"the provider refused the OAuth2 grant\"}",
        )
        .expect("write");
        let bad = access_token(&login, None).await.expect_err("refused").to_string();
        assert_eq!(
            bad,
            "mailbox sales: the provider refused the OAuth2 grant; run `cadenced mailbox login sales`"
        );
    }

    #[tokio::test]
    async fn a_token_due_for_refresh_is_refreshed_and_a_failed_refresh_names_no_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let login = login(dir.path());
        let t = now().timestamp();
        let file = |expires_at: i64| TokenFile {
            access_token: Some("acc-secret".into()),
            refresh_token: Some("ref-secret".into()),
            expires_at: Some(expires_at),
            obtained_at: Some(expires_at - 3600),
            ..TokenFile::default()
        };
        // An hour to live: used as it is, the provider not asked.
        write_file(&login.token_file, &file(t + 3600)).expect("write");
        assert_eq!(
            access_token(&login, None).await.expect("token").expose_secret(),
            "acc-secret"
        );
        // Refused by a server: refreshed (and here the provider is unreachable).
        let refused = SecretString::from("acc-secret".to_string());
        let err = access_token(&login, Some(&refused))
            .await
            .expect_err("unreachable");
        let text = err.to_string();
        assert!(matches!(err, TokenError::Failed(_)), "{text}");
        assert!(
            text.contains("cannot refresh the OAuth2 access token at http://127.0.0.1:9/token")
                && !text.contains("secret"),
            "{text}"
        );
        // Within the margin: refreshed before use.
        write_file(&login.token_file, &file(t + 30)).expect("write");
        assert!(access_token(&login, None).await.is_err());
        assert_eq!(refresh_due_in(&login), Some(Duration::ZERO));
        write_file(&login.token_file, &file(t + 3600)).expect("write");
        let due_in = refresh_due_in(&login).expect("due").as_secs();
        assert!((3530..=3540).contains(&due_in), "{due_in}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&login.token_file)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_root_writes_goes_to_the_state_directorys_owner() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").expect("probe");
        if std::fs::metadata(&probe).expect("meta").uid() != 0 {
            return; // only root can give files away
        }
        std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534)).expect("chown");
        let login = login(dir.path());
        write_file(&login.token_file, &TokenFile::default()).expect("write");
        for p in [login.token_file.clone(), dir.path().join("oauth")] {
            let meta = std::fs::metadata(&p).expect("meta");
            assert_eq!((meta.uid(), meta.gid()), (65534, 65534), "{}", p.display());
        }
    }

    #[test]
    fn the_flow_follows_the_endpoints_and_check_says_how_to_sign_in_with_the_browser() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut google = login(dir.path());
        google.client.auth_url = Some("https://accounts.google.com/o/oauth2/v2/auth".into());
        assert_eq!(choose_flow(&google, None), Ok(Flow::Browser));
        assert_eq!(choose_flow(&google, Some(Flow::Device)), Ok(Flow::Device));
        let advice = describe(&google).expect_err("no grant").to_string();
        assert!(
            advice.contains("run `cadenced mailbox login sales` (a browser sign-in")
                && advice.contains("ssh -L")
                && advice.contains("--paste"),
            "{advice}"
        );
        let mut both = google.clone();
        both.client.device_url = Some("https://login.example.com/devicecode".into());
        assert_eq!(choose_flow(&both, None), Ok(Flow::Device));
        assert!(!describe(&both)
            .expect_err("no grant")
            .to_string()
            .contains("browser"));
        let neither = login(dir.path());
        let err = choose_flow(&neither, None).expect_err("neither");
        assert!(
            err.contains("neither oauth.device_url") && err.contains("nor oauth.auth_url"),
            "{err}"
        );
    }

    #[test]
    fn a_short_lived_token_is_refreshed_in_its_last_third() {
        let file = TokenFile {
            access_token: Some("a".into()),
            expires_at: Some(1030),
            obtained_at: Some(1000),
            ..TokenFile::default()
        };
        assert!(!due(&file, 1019, None));
        assert!(due(&file, 1020, None));
        assert!(due(&file, 1000, Some(&SecretString::from("a".to_string()))));
        assert!(!due(&file, 1000, Some(&SecretString::from("b".to_string()))));
    }

    #[test]
    fn forms_are_url_encoded() {
        assert_eq!(
            form_encode(&[("scope", "openid offline_access https://x/y"), ("a", "é&=")]),
            "scope=openid+offline_access+https%3A%2F%2Fx%2Fy&a=%C3%A9%26%3D"
        );
    }

    #[test]
    fn oauthbearer_is_rfc_7628() {
        let token = SecretString::from("t0k".to_string());
        assert_eq!(
            oauthbearer("a=b,c@example.com", "imap.example.com", 993, &token).expose_secret(),
            "n,a=a=3Db=2Cc@example.com,\u{1}host=imap.example.com\u{1}port=993\u{1}auth=Bearer t0k\u{1}\u{1}"
        );
    }

    #[test]
    fn xoauth2_is_the_documented_layout() {
        let token = SecretString::from("ya29.abc".to_string());
        assert_eq!(
            xoauth2("sam@example.com", &token).expose_secret(),
            "user=sam@example.com\u{1}auth=Bearer ya29.abc\u{1}\u{1}"
        );
    }
}
