//! The daemon's configuration file, parsed in two stages: [`RawConfig`] mirrors the TOML and
//! refuses unknown keys; [`Config`] is the validated form everything else uses.
//!
//! Relative paths in the file (`state_dir`, rule directories, password files, a relative
//! SQLite path) are taken relative to the directory of the config file itself, so
//! `cadenced --config examples/config.toml` behaves the same from any working directory.
//! Secrets are never read here: a mailbox keeps *where* its password is, and the code that
//! logs in reads it (see [`Secret`]).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

/// Why a config file was refused. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error(transparent)]
    Read(#[from] crate::input::ReadError),
    /// The TOML is malformed or has an unknown or mistyped key.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// The config file, so the message points at it.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// toml's explanation, which names the key.
        message: String,
    },
    /// A value is well-formed TOML but not acceptable.
    #[error("{path}: {field}: {message}")]
    Invalid {
        /// The config file, so the message points at it.
        path: PathBuf,
        /// Dotted name of the field, e.g. `mailbox.sales.imap.tls`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

/// The TOML as written; see `examples/config.toml` for every key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Where the daemon keeps its state (the SQLite file by default).
    pub state_dir: Option<PathBuf>,
    /// `[database]`: SQLite in the state directory unless it names another database.
    #[serde(default)]
    pub database: RawDatabase,
    /// `[rules]`: the operator's rule directories beside the shipped rules.
    #[serde(default)]
    pub rules: RawRules,
    /// `[[mailbox]]`: the mailboxes steps go out from and replies are read in; none is an
    /// error at validation.
    #[serde(default)]
    pub mailbox: Vec<RawMailbox>,
    /// `[daemon]`: how the daemon paces itself and shares mailboxes with other daemons.
    #[serde(default)]
    pub daemon: RawDaemon,
    /// `[metrics]`: the Prometheus exporter, off unless it names an address.
    #[serde(default)]
    pub metrics: RawMetrics,
    /// `[http]`: the public listener (one-click unsubscribe, link clicks); off when absent.
    pub http: Option<RawHttp>,
    /// `[[webhook]]`: endpoints told of lead, campaign and mailbox events.
    #[serde(default)]
    pub webhook: Vec<RawWebhook>,
}

/// `[[webhook]]`: an endpoint of another system (a CRM) told what happens, signed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWebhook {
    /// Where events are POSTed: `https://…` (`http://` on loopback only).
    pub url: String,
    /// The file holding the secret the signatures are made with (its first line).
    pub secret_file: PathBuf,
    /// The event types sent; all of [`WEBHOOK_EVENTS`] when absent.
    pub events: Option<Vec<String>>,
}

/// Every event a webhook can be sent.
pub const WEBHOOK_EVENTS: [&str; 12] = [
    "lead.paused",
    "lead.resumed",
    "lead.stopped",
    "lead.completed",
    "lead.replied",
    "lead.out_of_office",
    "lead.bounced",
    "lead.unsubscribed",
    "lead.clicked",
    "lead.meeting_booked",
    "campaign.paused",
    "mailbox.unhealthy",
];

/// A validated `[[webhook]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The endpoint (validated: a scheme, a host, no spaces).
    pub url: String,
    /// The secret's file, read by the delivery task at start.
    pub secret_file: PathBuf,
    /// The event types it is sent.
    pub events: Vec<String>,
}

/// `[http]`: the public endpoints, behind the operator's TLS reverse proxy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttp {
    /// Address and port to listen on, e.g. `"127.0.0.1:8480"` (the proxy forwards to it).
    pub listen: String,
    /// What links in mails point at, e.g. `"https://go.example.com"`.
    pub public_url: String,
    /// The file holding the key that signs link tokens (`cadenced check --fix` creates it).
    pub secret_file: PathBuf,
    /// Address and port of the operator listener (the JSON API), e.g. `"127.0.0.1:8481"`:
    /// never the public port, and never behind the public proxy. Off when absent.
    pub admin_listen: Option<String>,
}

/// `[metrics]`: Prometheus exposition.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// Loopback address and port to serve `/metrics` on, e.g. `"127.0.0.1:9898"`; off when absent.
    pub listen: Option<String>,
}

/// `[database]`: which database, and how many connections to it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    /// `sqlite://PATH` or `postgres://...`; default: `cadenced.db` in the state directory.
    pub url: Option<String>,
    /// Largest number of pooled connections.
    pub max_connections: Option<u32>,
}

/// `[rules]`: where operator rule files live.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRules {
    /// Operator rule directories, loaded after the shipped rules.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
}

/// `[daemon]`: how the daemon paces itself.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDaemon {
    /// Longest the scheduler sleeps before looking at the database again, e.g. `"5s"`.
    pub max_idle: Option<String>,
    /// Default timezone for leads and campaigns that name none.
    pub timezone: Option<String>,
    /// How long a mailbox lease lasts without renewal, e.g. `"30s"`: the longest a mailbox
    /// goes unwatched after its daemon dies on another host.
    pub lease_ttl: Option<String>,
}

/// `[[mailbox]]` as written: one team mailbox, its IMAP and SMTP servers and how to log
/// in to them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMailbox {
    /// The name campaigns refer to (`mailbox = "…"`); unique, and kept when the address
    /// changes.
    pub name: String,
    /// The address mail is sent from.
    pub address: String,
    /// Display name for the From header.
    pub display_name: Option<String>,
    /// `google` or `microsoft`: fills in the servers, TLS, the login name (the address) and
    /// `save_sent`; any key given in `imap`/`smtp` still wins.
    pub provider: Option<String>,
    /// IMAP server (may be left out with a `provider`).
    #[serde(default)]
    pub imap: RawServer,
    /// `oauth`: the OAuth2 client, for servers with `auth = "oauth2"`.
    pub oauth: Option<RawOAuth>,
    /// SMTP server (may be left out with a `provider`).
    #[serde(default)]
    pub smtp: RawServer,
    /// Folders to watch; default `["INBOX"]`.
    pub folders: Option<Vec<String>>,
    /// How often to look for new mail when the IMAP server lacks IDLE, e.g. `"60s"`.
    pub poll_interval: Option<String>,
    /// Whether a reply from an unknown address matches the one lead we mailed at its domain.
    pub match_domain: Option<bool>,
    /// The IMAP folder holding sent mail; default: the folder the server marks `\Sent`
    /// (RFC 6154), else `"Sent"`.
    pub sent_folder: Option<String>,
    /// Whether the daemon stores a copy of each step there (IMAP APPEND); default `true`.
    /// Turn it off for servers that file submitted mail themselves (Gmail, Microsoft 365).
    pub save_sent: Option<bool>,
}

/// An IMAP or SMTP server.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    /// Host name or IP (required unless the mailbox names a `provider`).
    pub host: Option<String>,
    /// TCP port (required unless the mailbox names a `provider`).
    pub port: Option<u16>,
    /// `implicit`, `starttls` or `none` (required unless the mailbox names a `provider`).
    pub tls: Option<String>,
    /// Login name; SMTP without it sends without AUTH.
    pub username: Option<String>,
    /// File whose first line is the password.
    pub password_file: Option<PathBuf>,
    /// Environment variable holding the password.
    pub password_env: Option<String>,
    /// Extra CA certificate (PEM) to trust besides the system roots.
    pub ca_file: Option<PathBuf>,
    /// `password` (the default) or `oauth2` (SASL OAUTHBEARER or XOAUTH2 with the mailbox's access token).
    pub auth: Option<String>,
}

/// A mailbox's `oauth` table: the OAuth2 client it logs in with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOAuth {
    /// The client registered at the provider.
    pub client_id: String,
    /// File whose first line is the client secret (public clients have none).
    pub client_secret_file: Option<PathBuf>,
    /// The provider's token endpoint (filled in for google and microsoft).
    pub token_url: Option<String>,
    /// The provider's device authorization endpoint, RFC 8628 (filled in for microsoft).
    pub device_url: Option<String>,
    /// The provider's authorization endpoint, for the browser sign-in (authorization code
    /// with PKCE and a loopback redirect, RFC 7636 and RFC 8252; filled in for google). A
    /// query it carries is kept in every sign-in URL (google's: `access_type=offline&prompt=consent`).
    pub auth_url: Option<String>,
    /// The scopes asked for (filled in for google and microsoft).
    pub scopes: Option<Vec<String>>,
}

/// The validated configuration: what the daemon and the CLI use, never the raw TOML.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from: relative paths in it were resolved against its directory, and
    /// errors name it.
    pub path: PathBuf,
    /// State directory (absolute or relative to the working directory, resolved).
    pub state_dir: PathBuf,
    /// Database URL, with a relative SQLite path resolved.
    pub database_url: String,
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// The operator's rule directories, loaded after the shipped rules (theirs win ties).
    pub rule_dirs: Vec<PathBuf>,
    /// Every `[[mailbox]]`, names unique: campaigns refer to them by name.
    pub mailboxes: Vec<Mailbox>,
    /// The longest the scheduler sleeps when nothing is due, so that a change made by another
    /// process (a CLI command, another daemon) is seen within it.
    pub max_idle: std::time::Duration,
    /// The zone for leads and campaigns that name none, and for messages about nobody.
    pub timezone: chrono_tz::Tz,
    /// How long a mailbox lease lasts without renewal (renewed every third of it).
    pub lease_ttl: std::time::Duration,
    /// Where Prometheus metrics are served (loopback only), if anywhere.
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// The public HTTP listener, if configured: without it no step carries
    /// `List-Unsubscribe` and no link is tracked.
    pub http: Option<Http>,
    /// The webhooks, URLs unique.
    pub webhooks: Vec<Webhook>,
}

/// The validated `[http]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    /// Where the listener binds (any address: it is meant to sit behind a reverse proxy,
    /// which may run on another host).
    pub listen: std::net::SocketAddr,
    /// The public base URL, `https://` (or `http://` on loopback, for tests), without a
    /// trailing slash; links are `{public_url}/u/TOKEN` and `{public_url}/c/TOKEN`.
    pub public_url: String,
    /// The key file (resolved against the config's directory).
    pub secret_file: PathBuf,
    /// Where the operator listener (the JSON API, behind API tokens) binds, if anywhere; its
    /// port is never the public listener's.
    pub admin_listen: Option<std::net::SocketAddr>,
}

/// A configured mailbox: one salesperson's account, watched for replies and sent from.
#[derive(Debug, Clone)]
pub struct Mailbox {
    /// The name campaigns, leases, checkpoints and logs refer to.
    pub name: String,
    /// The From address of every step; mail from it in the watched folders (our own copies)
    /// is never matched to a lead.
    pub address: String,
    /// The name shown in From, if any.
    pub display_name: Option<String>,
    /// The mail provider whose preset filled the servers, if any: `check` then names the
    /// switches a person must turn on at that provider.
    pub provider: Option<Provider>,
    /// The OAuth2 client, when a server logs in with `auth = "oauth2"`.
    pub oauth: Option<OAuth>,
    /// Where replies are read (and the Sent folder searched and written).
    pub imap: Server,
    /// Where steps are sent.
    pub smtp: Server,
    /// The folders watched for replies, each on its own connection (IDLE watches one).
    pub folders: Vec<String>,
    /// Poll interval when the IMAP server lacks IDLE (default 60 s).
    pub poll_interval: std::time::Duration,
    /// Match replies by the sender's domain as a last resort (default off).
    pub match_domain: bool,
    /// The IMAP folder holding sent mail, searched to settle uncertain sends; `None`: the one
    /// the server marks `\Sent`, else `Sent` (`ImapClient::sent_folder`).
    pub sent_folder: Option<String>,
    /// Whether the daemon stores a copy of each step in `sent_folder`.
    pub save_sent: bool,
}

/// A mail provider with a preset (`provider` in a mailbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Google Workspace and Gmail.
    Google,
    /// Microsoft 365 (Exchange Online).
    Microsoft,
}

/// The query parameters cadenced sets in each browser sign-in URL itself.
pub const SIGN_IN_PARAMETERS: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

/// Why `oauth.auth_url` cannot be a sign-in URL's base (the scheme is checked with the other
/// endpoints): it must parse as a URL without a fragment, and its query may carry only the
/// provider's extra parameters, never one cadenced sets for each sign-in.
fn check_auth_url(url: &str) -> Result<(), String> {
    if url.contains('#') || url.contains(char::is_whitespace) || url.parse::<hyper::Uri>().is_err() {
        return Err("is not a URL (no spaces, no #fragment)".to_string());
    }
    if let Some((_, query)) = url.split_once('?') {
        for key in query.split('&').map(|pair| pair.split('=').next().unwrap_or("")) {
            if SIGN_IN_PARAMETERS.contains(&key) {
                return Err(format!(
                    "sets {key} in its query: cadenced sets it for each sign-in (keep only the provider's extra parameters, like access_type=offline)"
                ));
            }
        }
    }
    Ok(())
}

/// What a provider preset fills in for the `oauth` table.
#[derive(Debug, Clone, Copy)]
struct OAuthPreset {
    token_url: &'static str,
    device_url: Option<&'static str>,
    auth_url: Option<&'static str>,
    scopes: &'static [&'static str],
}

/// What a provider preset fills in: IMAP and SMTP host, port and TLS.
struct Preset {
    imap: (&'static str, u16, Tls),
    smtp: (&'static str, u16, Tls),
}

impl Provider {
    /// The provider named in the file.
    fn parse(name: &str) -> Option<Provider> {
        match name {
            "google" => Some(Provider::Google),
            "microsoft" => Some(Provider::Microsoft),
            _ => None,
        }
    }

    /// The provider's published servers. Both providers file every submitted message in the
    /// Sent folder themselves, so their mailboxes default to `save_sent = false` (a copy of
    /// ours would be a duplicate there).
    fn preset(self) -> Preset {
        match self {
            Provider::Google => Preset {
                imap: ("imap.gmail.com", 993, Tls::Implicit),
                smtp: ("smtp.gmail.com", 465, Tls::Implicit),
            },
            Provider::Microsoft => Preset {
                imap: ("outlook.office365.com", 993, Tls::Implicit),
                smtp: ("smtp.office365.com", 587, Tls::StartTls),
            },
        }
    }

    /// The provider's OAuth2 endpoints and mail scopes. Google's device flow does not grant
    /// the mail scope (it is limited to a few scopes for TVs and consoles), so Google has no
    /// device URL here but an authorization URL for the browser sign-in, asking for offline
    /// access with a consent screen (without `prompt=consent` Google gives a refresh token only
    /// at the first consent of a user).
    fn oauth(self) -> OAuthPreset {
        match self {
            Provider::Google => OAuthPreset {
                token_url: "https://oauth2.googleapis.com/token",
                device_url: None,
                auth_url: Some(
                    "https://accounts.google.com/o/oauth2/v2/auth?access_type=offline&prompt=consent",
                ),
                scopes: &["https://mail.google.com/"],
            },
            Provider::Microsoft => OAuthPreset {
                token_url: "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
                device_url: Some("https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode"),
                auth_url: None,
                scopes: &[
                    "https://outlook.office365.com/IMAP.AccessAsUser.All",
                    "https://outlook.office365.com/SMTP.Send",
                    "offline_access",
                ],
            },
        }
    }

    /// The provider's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Google => "Google Workspace",
            Provider::Microsoft => "Microsoft 365",
        }
    }

    /// What a person must switch on at the provider before `address` can log in over IMAP
    /// and SMTP, with a password or (`oauth2`) with an OAuth2 token: the usual reason a
    /// correct login is refused there. `check` prints it under a failed login, `init` before
    /// the first sign-in.
    pub fn switches(self, address: &str, oauth2: bool) -> Vec<String> {
        let smtp_auth = format!("SMTP AUTH is off for each mailbox by default (with OAuth2 too): an admin turns on Authenticated SMTP for {address} (Microsoft 365 admin center > Users > Active users > {address} > Mail > Manage email apps, or Set-CASMailbox -Identity {address} -SmtpClientAuthenticationDisabled $false), and IMAP in the same place");
        let google_imap = "IMAP must be on for the user: the admin console, Apps > Google Workspace > Gmail > End User Access > POP and IMAP access (allowed for the user's unit), and the user's Gmail settings > Forwarding and POP/IMAP > Enable IMAP".to_string();
        match (self, oauth2) {
            (Provider::Google, false) => vec![
                google_imap,
                "a password login needs an app password: 2-Step Verification on for the user, and app passwords allowed by the admin (Security > Authentication > 2-Step Verification); the account password itself is refused".to_string(),
            ],
            (Provider::Google, true) => vec![
                google_imap,
                "the OAuth client must be allowed to read mail (https://mail.google.com/ is a restricted scope): a \"Desktop app\" client in a Cloud project of the same Workspace with an \"Internal\" consent screen, or the admin trusts its client id (admin console > Security > Access and data control > API controls > Manage Third-Party App Access)".to_string(),
            ],
            (Provider::Microsoft, false) => vec![
                smtp_auth,
                "Microsoft 365 refuses passwords (basic authentication) for IMAP and SMTP in most tenants: the mailbox then needs OAuth2 (auth = \"oauth2\")".to_string(),
            ],
            (Provider::Microsoft, true) => vec![
                smtp_auth,
                "the app registration (Microsoft Entra admin center > App registrations) needs the delegated API permissions IMAP.AccessAsUser.All, SMTP.Send and offline_access, consented by the user or by an admin (API permissions > Grant admin consent), and \"Allow public client flows\" on for the device sign-in".to_string(),
            ],
        }
    }
}

/// How a connection is secured (`tls` in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// TLS from the first byte.
    Implicit,
    /// Plain, then upgraded with STARTTLS.
    StartTls,
    /// No TLS at all: loopback only.
    None,
}

/// A server and how to log in to it.
#[derive(Debug, Clone)]
pub struct Server {
    /// Host name or IP; also the name the TLS certificate must carry.
    pub host: String,
    /// TCP port; the provider preset's when the file writes none (required otherwise).
    pub port: u16,
    /// How the connection is secured; `None` was accepted only for a loopback host.
    pub tls: Tls,
    /// Login name; SMTP without one sends without AUTH.
    pub username: Option<String>,
    /// Where the password comes from, read only when a login needs it.
    pub password: Option<Secret>,
    /// A PEM file of CA certificates trusted besides the system roots (a private CA).
    pub ca_file: Option<PathBuf>,
    /// With `auth = "oauth2"`: the mailbox's OAuth2 client and token file. The login is then
    /// SASL (OAUTHBEARER or XOAUTH2) with its access token, and `password` is not used.
    pub oauth: Option<OAuthLogin>,
}

/// What a server with `auth = "oauth2"` needs to log in: whose token, where it is kept, and
/// the client that refreshes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthLogin {
    /// The mailbox's name (the fix an error gives is `cadenced mailbox login NAME`).
    pub mailbox: String,
    /// `state_dir/oauth/NAME.json`: the grant (refresh token) and the current access token.
    pub token_file: PathBuf,
    /// The mailbox's OAuth2 client.
    pub client: OAuth,
}

/// A mailbox's validated `oauth` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth {
    /// The client registered at the provider.
    pub client_id: String,
    /// Where the client secret is, if the client has one.
    pub client_secret: Option<Secret>,
    /// The token endpoint.
    pub token_url: String,
    /// The device authorization endpoint (RFC 8628), if the provider has one.
    pub device_url: Option<String>,
    /// The authorization endpoint for the browser sign-in (RFC 7636 + RFC 8252), with the
    /// provider's extra query parameters, if it has one.
    pub auth_url: Option<String>,
    /// The scopes asked for.
    pub scopes: Vec<String>,
}

/// Where a secret is kept. Reading it is deferred to the moment it is needed, so commands
/// that never log in do not need access to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// `password_file`: its first line (a file 0600 that the daemon's user can read).
    File(PathBuf),
    /// `password_env`: the variable's value (a systemd `LoadCredential` or an `.env`).
    Env(String),
}

impl Secret {
    /// Reads the secret.
    ///
    /// # Errors
    /// When the file cannot be read or the variable is unset; the message names which.
    pub fn read(&self) -> Result<SecretString, String> {
        match self {
            Secret::File(path) => {
                let text =
                    crate::input::read_text(path, crate::input::PASSWORD).map_err(|e| e.to_string())?;
                // A password file others can read gives the mailbox away: say so (once per
                // read, which is once per login), but still use it, as ssh does not.
                #[cfg(unix)]
                if let Ok(meta) = std::fs::metadata(path) {
                    use std::os::unix::fs::PermissionsExt;
                    if meta.permissions().mode() & 0o004 != 0 {
                        tracing::warn!(
                            file = %path.display(),
                            "Password file is readable by every user; make it 0600 or 0640 (chmod o-r)."
                        );
                    }
                }
                Ok(SecretString::from(text.lines().next().unwrap_or("").to_string()))
            }
            Secret::Env(var) => std::env::var(var)
                .map(SecretString::from)
                .map_err(|_| format!("environment variable {var} is not set")),
        }
    }
}

impl Config {
    /// Reads and validates a config file.
    ///
    /// # Errors
    /// [`ConfigError`] naming the file and the line or field.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = crate::input::read_text(path, crate::input::CONFIG)?;
        Config::parse(path, &text)
    }

    /// Validates config text that came from `path`.
    ///
    /// # Errors
    /// [`ConfigError`] naming the file and the line or field.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            line: e
                .span()
                .map(|s| crate::domain::line_of(text, s.start))
                .unwrap_or(1),
            message: e.message().trim().to_string(),
        })?;
        let invalid = |field: &str, message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            field: field.to_string(),
            message,
        };
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        let state_dir = resolve(raw.state_dir.as_deref().unwrap_or(Path::new("/var/lib/cadenced")));
        let database_url = match raw.database.url {
            None => format!("sqlite://{}", state_dir.join("cadenced.db").display()),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => url,
            Some(url) => match url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
            {
                Some(rest) => {
                    let (file, query) = rest.split_once('?').map_or((rest, None), |(f, q)| (f, Some(q)));
                    let file = resolve(Path::new(file));
                    match query {
                        Some(q) => format!("sqlite://{}?{q}", file.display()),
                        None => format!("sqlite://{}", file.display()),
                    }
                }
                None => {
                    return Err(invalid(
                        "database.url",
                        format!("{url:?} is neither sqlite:// nor postgres://"),
                    ))
                }
            },
        };
        let max_idle = match raw.daemon.max_idle.as_deref() {
            None => std::time::Duration::from_secs(5),
            Some(s) => humantime::parse_duration(s).map_err(|e| invalid("daemon.max_idle", e.to_string()))?,
        };
        let lease_ttl = match raw.daemon.lease_ttl.as_deref() {
            None => std::time::Duration::from_secs(30),
            Some(s) => {
                let ttl =
                    humantime::parse_duration(s).map_err(|e| invalid("daemon.lease_ttl", e.to_string()))?;
                if ttl < std::time::Duration::from_secs(1) {
                    return Err(invalid("daemon.lease_ttl", "must be at least 1s".to_string()));
                }
                ttl
            }
        };
        let timezone = match raw.daemon.timezone.as_deref() {
            None => chrono_tz::UTC,
            Some(s) => s
                .parse::<chrono_tz::Tz>()
                .map_err(|_| invalid("daemon.timezone", format!("unknown timezone {s:?}")))?,
        };
        let metrics_listen = match raw.metrics.listen.as_deref() {
            None => None,
            Some(s) => {
                let addr: std::net::SocketAddr = s
                    .parse()
                    .map_err(|_| invalid("metrics.listen", format!("{s:?} is not an address:port")))?;
                if !addr.ip().is_loopback() {
                    return Err(invalid(
                        "metrics.listen",
                        format!("{s:?} is not a loopback address"),
                    ));
                }
                Some(addr)
            }
        };
        let http = match raw.http {
            None => None,
            Some(h) => {
                let listen: std::net::SocketAddr = h
                    .listen
                    .parse()
                    .map_err(|_| invalid("http.listen", format!("{:?} is not an address:port", h.listen)))?;
                let public_url = h.public_url.trim().trim_end_matches('/').to_string();
                let host = public_url
                    .strip_prefix("https://")
                    .or_else(|| public_url.strip_prefix("http://"))
                    .unwrap_or("");
                let host_only = host.split(['/', ':']).next().unwrap_or("");
                let problem = if !public_url.starts_with("https://") && !public_url.starts_with("http://") {
                    Some("must start with https://")
                } else if host_only.is_empty() {
                    Some("has no host")
                } else if public_url.starts_with("http://") && !is_loopback(host_only) {
                    Some("must be https:// (mail clients and RFC 8058 require it); http:// is for loopback tests only")
                } else if public_url.contains(['?', '#', ' ', '"', '<', '>']) {
                    Some("must be a plain base URL without query, fragment, spaces or quotes")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Err(invalid(
                        "http.public_url",
                        format!("{:?} {problem}", h.public_url),
                    ));
                }
                let admin_listen = match h.admin_listen.as_deref() {
                    None => None,
                    Some(a) => {
                        let addr: std::net::SocketAddr = a.parse().map_err(|_| {
                            invalid("http.admin_listen", format!("{a:?} is not an address:port"))
                        })?;
                        if addr.port() == listen.port() && addr.port() != 0 {
                            return Err(invalid(
                                "http.admin_listen",
                                format!(
                                    "{a:?} uses the public listener's port {}: the operator listener must never be reachable through the public proxy",
                                    listen.port()
                                ),
                            ));
                        }
                        Some(addr)
                    }
                };
                Some(Http {
                    listen,
                    public_url,
                    secret_file: resolve(&h.secret_file),
                    admin_listen,
                })
            }
        };
        let mut webhooks: Vec<Webhook> = Vec::new();
        for (i, w) in raw.webhook.into_iter().enumerate() {
            let field = |f: &str| format!("webhook[{i}].{f}");
            let url = w.url.trim().to_string();
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            let host = rest
                .and_then(|r| r.split(['/', '?', '#']).next())
                .map(|h| h.rsplit_once(':').map_or(h, |(h, _)| h))
                .unwrap_or("");
            let host = host.trim_start_matches('[').trim_end_matches(']');
            let problem = if rest.is_none() {
                Some("must start with https://")
            } else if host.is_empty() {
                Some("has no host")
            } else if url.starts_with("http://") && !is_loopback(host) {
                Some("must be https:// (http:// is for loopback only)")
            } else if url.contains(char::is_whitespace) || url.contains(['"', '<', '>', '@']) {
                Some("must be a plain URL without spaces, quotes or credentials")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(invalid(&field("url"), format!("{:?} {problem}", w.url)));
            }
            if webhooks.iter().any(|o| o.url == url) {
                return Err(invalid(&field("url"), format!("{url:?} is already a webhook")));
            }
            let events = match w.events {
                None => WEBHOOK_EVENTS.iter().map(|e| e.to_string()).collect(),
                Some(list) => {
                    for e in &list {
                        if !WEBHOOK_EVENTS.contains(&e.as_str()) {
                            return Err(invalid(
                                &field("events"),
                                format!("{e:?} is not one of {}", WEBHOOK_EVENTS.join(", ")),
                            ));
                        }
                    }
                    list
                }
            };
            webhooks.push(Webhook {
                url,
                secret_file: resolve(&w.secret_file),
                events,
            });
        }
        let mut mailboxes: Vec<Mailbox> = Vec::new();
        for mb in raw.mailbox {
            let field = |f: &str| format!("mailbox.{}.{f}", mb.name);
            if mb.name.trim().is_empty() {
                return Err(invalid("mailbox.name", "must not be empty".to_string()));
            }
            if mailboxes.iter().any(|m| m.name == mb.name) {
                return Err(invalid(
                    &field("name"),
                    "a mailbox with this name is already defined".into(),
                ));
            }
            if let Err(e) = crate::domain::EmailAddress::parse(&mb.address) {
                return Err(invalid(&field("address"), e));
            }
            let provider = match mb.provider.as_deref() {
                None => None,
                Some(name) => Some(Provider::parse(name).ok_or_else(|| {
                    invalid(
                        &field("provider"),
                        format!("{name:?} is not one of google, microsoft (leave it out and give imap and smtp for any other server)"),
                    )
                })?),
            };
            let oauth = match mb.oauth {
                None => None,
                Some(o) => {
                    let defaults = provider.map(Provider::oauth);
                    let token_url = match (o.token_url, defaults) {
                        (Some(u), _) => u,
                        (None, Some(p)) => p.token_url.to_string(),
                        (None, None) => {
                            return Err(invalid(
                                &field("oauth.token_url"),
                                "is required (or name a provider: google, microsoft)".to_string(),
                            ))
                        }
                    };
                    let device_url = o
                        .device_url
                        .or_else(|| defaults.and_then(|p| p.device_url.map(str::to_string)));
                    let auth_url = o
                        .auth_url
                        .or_else(|| defaults.and_then(|p| p.auth_url.map(str::to_string)));
                    let scopes = match (o.scopes, defaults) {
                        (Some(s), _) => s,
                        (None, Some(p)) => p.scopes.iter().map(|s| s.to_string()).collect(),
                        (None, None) => {
                            return Err(invalid(
                                &field("oauth.scopes"),
                                "is required (or name a provider: google, microsoft)".to_string(),
                            ))
                        }
                    };
                    for (key, url) in [
                        ("token_url", Some(&token_url)),
                        ("device_url", device_url.as_ref()),
                        ("auth_url", auth_url.as_ref()),
                    ] {
                        if let Some(url) = url {
                            let loopback_http = url
                                .strip_prefix("http://")
                                .is_some_and(|rest| is_loopback(rest.split(['/', ':']).next().unwrap_or("")));
                            if !url.starts_with("https://") && !loopback_http {
                                return Err(invalid(
                                    &field(&format!("oauth.{key}")),
                                    format!("{url:?} must be https:// (http:// on loopback only)"),
                                ));
                            }
                        }
                    }
                    if let Some(url) = &auth_url {
                        check_auth_url(url)
                            .map_err(|why| invalid(&field("oauth.auth_url"), format!("{url:?} {why}")))?;
                    }
                    Some(OAuth {
                        client_id: o.client_id,
                        client_secret: o.client_secret_file.map(|f| Secret::File(resolve(&f))),
                        token_url,
                        device_url,
                        auth_url,
                        scopes,
                    })
                }
            };
            let token_file = state_dir.join("oauth").join(format!("{}.json", mb.name));
            let server = |raw: RawServer, which: &str| -> Result<Server, ConfigError> {
                let preset = provider.map(|p| match which {
                    "imap" => p.preset().imap,
                    _ => p.preset().smtp,
                });
                let missing = |key: &str| {
                    invalid(
                        &field(&format!("{which}.{key}")),
                        "is required (or name a provider: google, microsoft)".to_string(),
                    )
                };
                let host = match (raw.host, preset) {
                    (Some(h), _) => h,
                    (None, Some((h, _, _))) => h.to_string(),
                    (None, None) => return Err(missing("host")),
                };
                let port = match (raw.port, preset) {
                    (Some(p), _) => p,
                    (None, Some((_, p, _))) => p,
                    (None, None) => return Err(missing("port")),
                };
                let tls = match (raw.tls.as_deref(), preset) {
                    (Some("implicit"), _) => Tls::Implicit,
                    (Some("starttls"), _) => Tls::StartTls,
                    (Some("none"), _) => Tls::None,
                    (Some(other), _) => {
                        return Err(invalid(
                            &field(&format!("{which}.tls")),
                            format!("{other:?} is not one of implicit, starttls, none"),
                        ))
                    }
                    (None, Some((_, _, t))) => t,
                    (None, None) => return Err(missing("tls")),
                };
                if tls == Tls::None && !is_loopback(&host) {
                    return Err(invalid(
                        &field(&format!("{which}.tls")),
                        format!("\"none\" is refused for {host}: plain text is allowed on loopback only"),
                    ));
                }
                let password = match (raw.password_file, raw.password_env) {
                    (Some(_), Some(_)) => {
                        return Err(invalid(
                            &field(which),
                            "give password_file or password_env, not both".to_string(),
                        ))
                    }
                    (Some(f), None) => Some(Secret::File(resolve(&f))),
                    (None, Some(v)) => Some(Secret::Env(v)),
                    (None, None) => None,
                };
                // Both providers log in with the full address.
                let username = match (raw.username, provider) {
                    (Some(u), _) => Some(u),
                    (None, Some(_)) => Some(mb.address.clone()),
                    (None, None) => None,
                };
                if which == "imap" && username.is_none() {
                    return Err(invalid(&field("imap.username"), "is required".to_string()));
                }
                let oauth_login = match raw.auth.as_deref() {
                    None | Some("password") => None,
                    Some("oauth2") if oauth.is_none() => {
                        return Err(invalid(
                            &field(&format!("{which}.auth")),
                            "\"oauth2\" needs the mailbox's oauth table (oauth = { client_id = \"…\" })"
                                .to_string(),
                        ))
                    }
                    Some("oauth2") if username.is_none() => {
                        return Err(invalid(
                            &field(&format!("{which}.username")),
                            "is required with auth = \"oauth2\" (or name a provider)".to_string(),
                        ))
                    }
                    Some("oauth2") => oauth.clone().map(|client| OAuthLogin {
                        mailbox: mb.name.clone(),
                        token_file: token_file.clone(),
                        client,
                    }),
                    Some(other) => {
                        return Err(invalid(
                            &field(&format!("{which}.auth")),
                            format!("{other:?} is not one of password, oauth2"),
                        ))
                    }
                };
                Ok(Server {
                    host,
                    port,
                    tls,
                    username,
                    password,
                    ca_file: raw.ca_file.map(|f| resolve(&f)),
                    oauth: oauth_login,
                })
            };
            let imap = server(mb.imap, "imap")?;
            let smtp = server(mb.smtp, "smtp")?;
            let folders = mb.folders.unwrap_or_else(|| vec!["INBOX".to_string()]);
            if folders.is_empty() {
                return Err(invalid(
                    &field("folders"),
                    "must name at least one folder".to_string(),
                ));
            }
            let poll_interval = match mb.poll_interval.as_deref() {
                None => std::time::Duration::from_secs(60),
                Some(s) => humantime::parse_duration(s)
                    .map_err(|e| invalid(&field("poll_interval"), e.to_string()))?
                    .max(std::time::Duration::from_secs(1)),
            };
            mailboxes.push(Mailbox {
                poll_interval,
                match_domain: mb.match_domain.unwrap_or(false),
                sent_folder: mb.sent_folder,
                save_sent: mb.save_sent.unwrap_or(provider.is_none()),
                provider,
                oauth,
                name: mb.name,
                address: mb.address,
                display_name: mb.display_name,
                imap,
                smtp,
                folders,
            });
        }
        Ok(Config {
            path: path.to_path_buf(),
            state_dir,
            database_url,
            max_connections: raw.database.max_connections.unwrap_or(8).max(1),
            rule_dirs: raw.rules.dirs.iter().map(|d| resolve(d)).collect(),
            mailboxes,
            max_idle,
            timezone,
            lease_ttl,
            metrics_listen,
            http,
            webhooks,
        })
    }

    /// The mailbox with this name.
    pub fn mailbox(&self, name: &str) -> Option<&Mailbox> {
        self.mailboxes.iter().find(|m| m.name == name)
    }
}

/// Whether `host` is a loopback name or address.
fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The URL with any password replaced, for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/etc/cadenced/config.toml"), text)
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = parse("state_dir = \"/tmp\"\n[database]\nurl = \"sqlite://x.db\"\nsize = 3\n")
            .expect_err("unknown key");
        let msg = err.to_string();
        assert!(msg.contains("config.toml:4"), "{msg}");
        assert!(msg.contains("size"), "{msg}");
    }

    #[test]
    fn plain_text_refused_off_loopback() {
        let text = r#"
[[mailbox]]
name = "sales"
address = "sales@example.test"
imap = { host = "mail.example.com", port = 143, tls = "none", username = "u" }
smtp = { host = "127.0.0.1", port = 25, tls = "none" }
"#;
        let msg = parse(text).expect_err("refused").to_string();
        assert!(msg.contains("mailbox.sales.imap.tls"), "{msg}");
    }

    #[test]
    fn metrics_only_on_loopback() {
        let msg = parse("[metrics]\nlisten = \"0.0.0.0:9898\"\n")
            .expect_err("refused")
            .to_string();
        assert!(
            msg.contains("metrics.listen") && msg.contains("loopback"),
            "{msg}"
        );
        let cfg = parse("[metrics]\nlisten = \"127.0.0.1:9898\"\n").expect("valid");
        assert_eq!(cfg.metrics_listen.map(|a| a.port()), Some(9898));
    }

    #[test]
    fn http_needs_an_https_public_url_and_resolves_the_key_file() {
        let http = |url: &str| {
            format!(
                "[http]\nlisten = \"127.0.0.1:8480\"\npublic_url = \"{url}\"\nsecret_file = \"link.key\"\n"
            )
        };
        let cfg = parse(&http("https://go.example.com/")).expect("valid");
        let h = cfg.http.expect("http");
        assert_eq!(h.public_url, "https://go.example.com");
        assert_eq!(h.secret_file, PathBuf::from("/etc/cadenced/link.key"));
        for bad in ["http://go.example.com", "ftp://x", "https://", "https://x/?a=1"] {
            let msg = parse(&http(bad)).expect_err(bad).to_string();
            assert!(msg.contains("http.public_url"), "{bad}: {msg}");
        }
        assert!(parse(&http("http://127.0.0.1:9000")).is_ok());
        assert!(parse("").expect("valid").http.is_none());
        let msg = parse("[http]\nlisten = \"8480\"\npublic_url = \"https://x\"\nsecret_file = \"k\"\n")
            .expect_err("listen")
            .to_string();
        assert!(msg.contains("http.listen"), "{msg}");
        let admin = |a: &str| {
            parse(&format!(
                "[http]\nlisten = \"127.0.0.1:8480\"\npublic_url = \"https://x\"\nsecret_file = \"k\"\nadmin_listen = \"{a}\"\n"
            ))
        };
        let h = admin("127.0.0.1:8481").expect("valid").http.expect("http");
        assert_eq!(h.admin_listen, Some("127.0.0.1:8481".parse().expect("addr")));
        let hook = |url: &str, events: &str| {
            parse(&format!(
                "[[webhook]]\nurl = \"{url}\"\nsecret_file = \"hook.key\"\n{events}"
            ))
        };
        let cfg = hook(
            "https://crm.example.com/hooks/cadenced",
            "events = [\"lead.paused\"]\n",
        )
        .expect("valid");
        assert_eq!(cfg.webhooks[0].events, vec!["lead.paused".to_string()]);
        assert_eq!(cfg.webhooks[0].secret_file, Path::new("/etc/cadenced/hook.key"));
        assert_eq!(
            hook("http://127.0.0.1:9/x", "").expect("loopback").webhooks[0]
                .events
                .len(),
            12
        );
        for (url, events, needle) in [
            ("http://crm.example.com/x", "", "webhook[0].url"),
            ("ftp://x", "", "webhook[0].url"),
            ("https://u:p@x/", "", "webhook[0].url"),
            ("https://x/", "events = [\"lead.sneezed\"]\n", "webhook[0].events"),
        ] {
            let msg = hook(url, events).expect_err(url).to_string();
            assert!(msg.contains(needle), "{url}: {msg}");
        }
        for bad in ["127.0.0.1:8480", "0.0.0.0:8480", "8481"] {
            let msg = admin(bad).expect_err(bad).to_string();
            assert!(msg.contains("http.admin_listen"), "{bad}: {msg}");
        }
    }

    #[test]
    fn a_provider_fills_the_servers_the_login_and_save_sent() {
        let cfg = parse(
            "[[mailbox]]\nname = \"g\"\naddress = \"sam@example.com\"\nprovider = \"google\"\n\
             [[mailbox]]\nname = \"m\"\naddress = \"kim@example.com\"\nprovider = \"microsoft\"\n",
        )
        .expect("valid");
        let server = |s: &Server| (s.host.clone(), s.port, s.tls, s.username.clone());
        let g = cfg.mailbox("g").expect("g");
        let sam = Some("sam@example.com".to_string());
        assert_eq!(
            server(&g.imap),
            ("imap.gmail.com".into(), 993, Tls::Implicit, sam.clone())
        );
        assert_eq!(
            server(&g.smtp),
            ("smtp.gmail.com".into(), 465, Tls::Implicit, sam)
        );
        assert_eq!(
            (g.provider, g.save_sent, g.sent_folder.as_deref()),
            (Some(Provider::Google), false, None)
        );
        let m = cfg.mailbox("m").expect("m");
        let kim = Some("kim@example.com".to_string());
        assert_eq!(
            server(&m.imap),
            ("outlook.office365.com".into(), 993, Tls::Implicit, kim.clone())
        );
        assert_eq!(
            server(&m.smtp),
            ("smtp.office365.com".into(), 587, Tls::StartTls, kim)
        );
        assert!(!m.save_sent);
    }

    #[test]
    fn keys_given_beside_a_provider_win() {
        let cfg = parse(
            "[[mailbox]]\nname = \"m\"\naddress = \"kim@example.com\"\nprovider = \"microsoft\"\n\
             save_sent = true\nsent_folder = \"Gesendete Elemente\"\n\
             smtp = { port = 465, tls = \"implicit\", username = \"kim.k@example.com\", password_file = \"kim.pass\" }\n",
        )
        .expect("valid");
        let m = cfg.mailbox("m").expect("m");
        assert_eq!(
            (m.smtp.host.as_str(), m.smtp.port, m.smtp.tls),
            ("smtp.office365.com", 465, Tls::Implicit)
        );
        assert_eq!(m.smtp.username.as_deref(), Some("kim.k@example.com"));
        assert_eq!(
            m.smtp.password,
            Some(Secret::File(PathBuf::from("/etc/cadenced/kim.pass")))
        );
        assert_eq!(
            (m.save_sent, m.sent_folder.as_deref()),
            (true, Some("Gesendete Elemente"))
        );
    }

    #[test]
    fn without_a_provider_the_servers_are_required_and_unknown_providers_are_named() {
        let msg = parse("[[mailbox]]\nname = \"x\"\naddress = \"a@example.com\"\nsmtp = { host = \"h\", port = 25, tls = \"starttls\" }\n")
            .expect_err("no imap")
            .to_string();
        assert!(
            msg.contains("mailbox.x.imap.host: is required (or name a provider: google, microsoft)"),
            "{msg}"
        );
        let msg = parse("[[mailbox]]\nname = \"x\"\naddress = \"a@example.com\"\nprovider = \"yahoo\"\n")
            .expect_err("unknown provider")
            .to_string();
        assert!(
            msg.contains("mailbox.x.provider: \"yahoo\" is not one of google, microsoft"),
            "{msg}"
        );
        let cfg = parse(
            "[[mailbox]]\nname = \"x\"\naddress = \"a@example.com\"\n\
             imap = { host = \"h\", port = 993, tls = \"implicit\", username = \"a\" }\n\
             smtp = { host = \"h\", port = 587, tls = \"starttls\" }\n",
        )
        .expect("valid");
        let x = cfg.mailbox("x").expect("x");
        assert_eq!(
            (x.provider, x.save_sent, x.sent_folder.as_deref()),
            (None, true, None)
        );
    }

    #[test]
    fn oauth2_servers_take_their_token_from_the_state_directory() {
        let cfg = parse(
            "state_dir = \"/var/lib/cadenced\"\n[[mailbox]]\nname = \"m\"\naddress = \"kim@example.com\"\nprovider = \"microsoft\"\n\
             imap = { auth = \"oauth2\" }\nsmtp = { auth = \"oauth2\" }\n\
             oauth = { client_id = \"c-1\", client_secret_file = \"ms.secret\" }\n",
        )
        .expect("valid");
        let m = cfg.mailbox("m").expect("m");
        let token = Some(PathBuf::from("/var/lib/cadenced/oauth/m.json"));
        let file = |s: &Server| s.oauth.as_ref().map(|o| o.token_file.clone());
        assert_eq!((file(&m.imap), file(&m.smtp)), (token.clone(), token));
        let oauth = m.oauth.as_ref().expect("oauth");
        assert_eq!(
            oauth.client_secret,
            Some(Secret::File(PathBuf::from("/etc/cadenced/ms.secret")))
        );
        assert!(
            oauth.token_url.ends_with("/oauth2/v2.0/token"),
            "{}",
            oauth.token_url
        );
        assert!(oauth
            .device_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/devicecode")));
        assert!(oauth.scopes.iter().any(|s| s.ends_with("SMTP.Send")));
        // Google's device flow does not grant the mail scope: no device URL is made up.
        let g = parse("[[mailbox]]\nname = \"g\"\naddress = \"s@example.com\"\nprovider = \"google\"\nimap = { auth = \"oauth2\" }\noauth = { client_id = \"c\" }\n")
            .expect("valid");
        let g = g.mailbox("g").expect("g");
        assert_eq!(g.oauth.as_ref().map(|o| o.device_url.clone()), Some(None));
        // Its browser sign-in instead, asking for a refresh token on every consent.
        assert_eq!(
            g.oauth.as_ref().and_then(|o| o.auth_url.as_deref()),
            Some("https://accounts.google.com/o/oauth2/v2/auth?access_type=offline&prompt=consent")
        );
        assert_eq!(m.oauth.as_ref().map(|o| o.auth_url.clone()), Some(None));
        assert_eq!(
            g.smtp.oauth, None,
            "smtp stays on passwords unless it says oauth2"
        );
        for (text, field) in [
            ("imap = { host = \"h\", port = 1, tls = \"implicit\", username = \"u\", auth = \"oauth2\" }\nsmtp = { host = \"h\", port = 1, tls = \"implicit\" }\n", "mailbox.x.imap.auth"),
            ("imap = { host = \"h\", port = 1, tls = \"implicit\", username = \"u\", auth = \"kerberos\" }\nsmtp = { host = \"h\", port = 1, tls = \"implicit\" }\n", "mailbox.x.imap.auth"),
            ("imap = { host = \"h\", port = 1, tls = \"implicit\", username = \"u\" }\nsmtp = { host = \"h\", port = 1, tls = \"implicit\" }\noauth = { client_id = \"c\", scopes = [] }\n", "mailbox.x.oauth.token_url"),
            ("imap = { host = \"h\", port = 1, tls = \"implicit\", username = \"u\" }\nsmtp = { host = \"h\", port = 1, tls = \"implicit\" }\noauth = { client_id = \"c\", scopes = [], token_url = \"http://idp.example.com/t\" }\n", "mailbox.x.oauth.token_url"),
            ("provider = \"google\"\noauth = { client_id = \"c\", auth_url = \"http://idp.example.com/auth\" }\n", "mailbox.x.oauth.auth_url: \"http://idp.example.com/auth\" must be https://"),
            ("provider = \"google\"\noauth = { client_id = \"c\", auth_url = \"https://idp.example.com/auth#x\" }\n", "mailbox.x.oauth.auth_url: \"https://idp.example.com/auth#x\" is not a URL"),
            ("provider = \"google\"\noauth = { client_id = \"c\", auth_url = \"https://idp.example.com/auth?prompt=consent&redirect_uri=https://evil.example\" }\n", "sets redirect_uri in its query: cadenced sets it"),
        ] {
            let msg = parse(&format!("[[mailbox]]\nname = \"x\"\naddress = \"a@example.com\"\n{text}"))
                .expect_err(field)
                .to_string();
            assert!(msg.contains(field), "{field}: {msg}");
        }
    }

    #[test]
    fn relative_paths_follow_the_config_file() {
        let cfg = Config::parse(Path::new("/srv/x/config.toml"), "state_dir = \"state\"\n").expect("valid");
        assert_eq!(cfg.state_dir, PathBuf::from("/srv/x/state"));
        assert_eq!(cfg.database_url, "sqlite:///srv/x/state/cadenced.db");
    }
}
