//! `cadenced init`: a first mailbox in the config, from flags or a few questions, so that a new
//! user reaches a passing `cadenced check` without reading the whole example.
//!
//! It writes the config when there is none (the state directory, the default SQLite
//! database, the mailbox), or appends the mailbox to an existing one (the packaged
//! `/etc/cadenced/config.toml`, whose comments and edits are kept). The result is validated
//! with `Config::parse` before anything is written; a mailbox name already in the file is
//! refused. A password given on stdin (or typed, without echo) goes to `NAME.pass` beside the
//! config (mode 0640, the config directory's group: the service's), never into the config.
//! Then it tries the new mailbox's logins, as `check` does, and says what to run next.
//!
//! An OAuth2 mailbox (`--auth oauth2`, the first choice offered for google and microsoft,
//! which refuse or restrict passwords) gets `auth = "oauth2"` on both servers and an `oauth`
//! table (client id; a client secret typed or piped goes to `NAME.secret`, like a password).
//! It has no grant yet, so no login is tried: `init` names the switches to turn on at the
//! provider and the next step, `cadenced mailbox login NAME`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::cli::{usage, CliError, DEFAULT_CONFIG};
use crate::config::Config;

/// `cadenced init` flags; every one left out (but a server's TLS, which follows its port) is
/// asked on stdin.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The mailbox's address (the From of every step).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
    /// The mailbox's name in the config (campaigns refer to it); default: the address's local
    /// part.
    #[arg(long)]
    pub name: Option<String>,
    /// The name shown in From.
    #[arg(long, value_name = "TEXT")]
    pub display_name: Option<String>,
    /// `google`, `microsoft` (their servers are filled in), or `other` with --imap and --smtp.
    #[arg(long, value_parser = ["google", "microsoft", "other"])]
    pub provider: Option<String>,
    /// IMAP server, HOST:PORT (provider `other`).
    #[arg(long, value_name = "HOST:PORT")]
    pub imap: Option<String>,
    /// IMAP TLS: implicit, starttls or none (loopback only); default: implicit on port 993,
    /// else starttls.
    #[arg(long, value_name = "TLS", value_parser = ["implicit", "starttls", "none"])]
    pub imap_tls: Option<String>,
    /// SMTP server, HOST:PORT (provider `other`).
    #[arg(long, value_name = "HOST:PORT")]
    pub smtp: Option<String>,
    /// SMTP TLS: implicit, starttls or none (loopback only); default: implicit on port 465,
    /// else starttls.
    #[arg(long, value_name = "TLS", value_parser = ["implicit", "starttls", "none"])]
    pub smtp_tls: Option<String>,
    /// The login, if it is not the address.
    #[arg(long)]
    pub username: Option<String>,
    /// An existing file whose first line is the password.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["password_env", "password_stdin"])]
    pub password_file: Option<PathBuf>,
    /// An environment variable that will hold the password when cadenced runs.
    #[arg(long, value_name = "VAR", conflicts_with = "password_stdin")]
    pub password_env: Option<String>,
    /// Read the password from the first line of stdin and keep it in NAME.pass beside the
    /// config (mode 0640).
    #[arg(long)]
    pub password_stdin: bool,
    /// How the mailbox logs in: `password`, or `oauth2` (a token from a sign-in at the
    /// provider, `cadenced mailbox login NAME` next). Default: oauth2 with --client-id,
    /// password with a password flag, else asked for google and microsoft, password for other.
    #[arg(long, value_parser = ["password", "oauth2"])]
    pub auth: Option<String>,
    /// The OAuth2 client registered at the provider (implies --auth oauth2).
    #[arg(long, value_name = "ID", conflicts_with_all = PASSWORD_FLAGS)]
    pub client_id: Option<String>,
    /// An existing file whose first line is the OAuth2 client's secret.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["password_file", "password_env", "password_stdin", "client_secret_stdin"])]
    pub client_secret_file: Option<PathBuf>,
    /// Read the OAuth2 client's secret from the first line of stdin and keep it in NAME.secret
    /// beside the config (mode 0640). Without either secret flag it is asked (empty: a
    /// public client, without a secret).
    #[arg(long, conflicts_with_all = PASSWORD_FLAGS)]
    pub client_secret_stdin: bool,
    /// The provider's token endpoint (OAuth2 at a provider other than google or microsoft).
    #[arg(long, value_name = "URL", conflicts_with_all = PASSWORD_FLAGS)]
    pub token_url: Option<String>,
    /// The provider's device authorization endpoint (RFC 8628), for `mailbox login`.
    #[arg(long, value_name = "URL", conflicts_with_all = PASSWORD_FLAGS)]
    pub device_url: Option<String>,
    /// The provider's authorization endpoint, for a browser sign-in instead.
    #[arg(long, value_name = "URL", conflicts_with_all = PASSWORD_FLAGS)]
    pub auth_url: Option<String>,
    /// A scope to ask the provider for (repeat it, or separate them by spaces).
    #[arg(long = "scope", value_name = "SCOPE", conflicts_with_all = PASSWORD_FLAGS)]
    pub scopes: Vec<String>,
    /// Where the daemon keeps its state, for a new config; default: /var/lib/cadenced for the
    /// default config path, else `state` beside the config.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
}

/// The flags of a password login: none of them goes with an OAuth2 one.
const PASSWORD_FLAGS: [&str; 3] = ["password_file", "password_env", "password_stdin"];

impl InitArgs {
    /// Whether a flag of an OAuth2 login was given.
    fn oauth_flags(&self) -> bool {
        self.client_id.is_some()
            || self.client_secret_file.is_some()
            || self.client_secret_stdin
            || self.token_url.is_some()
            || self.device_url.is_some()
            || self.auth_url.is_some()
            || !self.scopes.is_empty()
    }

    /// Whether a flag of a password login was given.
    fn password_flags(&self) -> bool {
        self.password_file.is_some() || self.password_env.is_some() || self.password_stdin
    }
}

/// Where a password will come from.
enum Password {
    /// A file that exists already.
    File(PathBuf),
    /// An environment variable.
    Env(String),
    /// Typed or piped now: written to `NAME.pass` beside the config.
    New(String),
}

/// How the new mailbox logs in, with what `init` was told.
enum Login {
    /// A password (also the OAuth2 client secret's source, for `Login::OAuth`).
    Password(Password),
    /// OAuth2: the `oauth` table's keys (but the secret), and the client secret, if any.
    OAuth {
        keys: Vec<String>,
        secret: Option<Password>,
    },
}

/// `cadenced init`: see the module docs. Exit 0 when the mailbox's logins work, 1 when the
/// config was written but a login failed (the lines say why), 2 when nothing was written.
///
/// # Errors
/// [`CliError::Usage`] for answers that do not make a valid config or a name already in it;
/// [`CliError::Failed`] when a file cannot be written.
pub async fn run(config: Option<&Path>, args: InitArgs) -> Result<ExitCode, CliError> {
    let path = config.unwrap_or(Path::new(DEFAULT_CONFIG)).to_path_buf();
    let existing = match path.exists() {
        true => Some(
            crate::input::read_text(&path, crate::input::CONFIG).map_err(|e| CliError::Usage(e.into()))?,
        ),
        false => None,
    };
    // The file must be valid as it is: appending to a broken config hides its error.
    let existing_cfg = match &existing {
        Some(text) => Some(Config::parse(&path, text).map_err(|e| CliError::Usage(e.into()))?),
        None => None,
    };
    let (oauth_flags, password_flags) = (args.oauth_flags(), args.password_flags());
    let mut ask = Asker::new();
    let address = match args.address {
        Some(a) => a,
        None => ask.line("Address of the mailbox (the From of every step)", None)?,
    };
    let name = args
        .name
        .unwrap_or_else(|| address.split('@').next().unwrap_or("").to_string());
    if existing_cfg.is_some_and(|cfg| cfg.mailbox(&name).is_some()) {
        return Err(usage(format!(
            "{}: a mailbox named {name:?} exists already; give another --name, or edit the file",
            path.display()
        )));
    }
    let provider = match args.provider {
        Some(p) => p,
        None if args.imap.is_some() || args.smtp.is_some() => "other".to_string(),
        None => ask.line("Provider: google, microsoft, or other", Some("other"))?,
    };
    let servers = match provider.as_str() {
        "google" | "microsoft" => None,
        "other" => {
            let imap = match args.imap {
                Some(s) => s,
                None => ask.line("IMAP server (host:port)", None)?,
            };
            let smtp = match args.smtp {
                Some(s) => s,
                None => ask.line("SMTP server (host:port)", None)?,
            };
            let imap = server_keys(&imap, args.imap_tls.as_deref(), 993, "--imap")?;
            let smtp = server_keys(&smtp, args.smtp_tls.as_deref(), 465, "--smtp")?;
            Some((imap, smtp))
        }
        other => {
            return Err(usage(format!(
                "provider {other:?}: give google, microsoft or other"
            )))
        }
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let oauth2 = match args.auth.as_deref() {
        Some(auth) => auth == "oauth2",
        None if oauth_flags => true,
        None if password_flags || servers.is_some() => false,
        None => {
            let answer = ask.line(
                "Log in with: oauth2 (a sign-in at the provider), or password (an app password)",
                Some("oauth2"),
            )?;
            match answer.as_str() {
                "oauth2" => true,
                "password" => false,
                other => return Err(usage(format!("login {other:?}: give oauth2 or password"))),
            }
        }
    };
    if oauth2 && password_flags {
        return Err(usage(
            "--password-file, --password-env and --password-stdin are for --auth password",
        ));
    }
    if !oauth2 && oauth_flags {
        return Err(usage(
            "--client-id, --client-secret-*, --token-url, --device-url, --auth-url and --scope are for --auth oauth2",
        ));
    }
    let pass_name = format!("{name}.pass");
    let secret_name = format!("{name}.secret");
    let login = match oauth2 {
        false => Login::Password(
            match (args.password_file, args.password_env, args.password_stdin) {
                (Some(f), _, _) => Password::File(f),
                (None, Some(v), _) => Password::Env(v),
                (None, None, true) => Password::New(ask.secret(None)?),
                (None, None, false) => Password::New(ask.secret(Some(&base.join(&pass_name)))?),
            },
        ),
        true => {
            let client_id = match args.client_id {
                Some(id) => id,
                None => ask.line("OAuth2 client id (registered at the provider)", None)?,
            };
            let mut keys = vec![format!("client_id = {}", toml_string(&client_id))];
            // Endpoints and scopes: the preset's for google and microsoft (a flag still wins).
            let other = servers.is_some();
            let token_url = match args.token_url {
                None if other => Some(ask.line("OAuth2 token URL", None)?),
                url => url,
            };
            let device_url = match args.device_url {
                None if other && args.auth_url.is_none() => {
                    ask.optional("OAuth2 device authorization URL (RFC 8628)")?
                }
                url => url,
            };
            let auth_url = match args.auth_url {
                None if other && device_url.is_none() => {
                    Some(ask.line("OAuth2 authorization URL (for a browser sign-in)", None)?)
                }
                url => url,
            };
            let mut scopes: Vec<String> = args
                .scopes
                .iter()
                .flat_map(|s| s.split_whitespace())
                .map(str::to_string)
                .collect();
            if scopes.is_empty() && other {
                scopes = ask
                    .line("OAuth2 scopes (separated by spaces)", None)?
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
            }
            for (key, url) in [
                ("token_url", token_url),
                ("device_url", device_url),
                ("auth_url", auth_url),
            ] {
                if let Some(url) = url {
                    keys.push(format!("{key} = {}", toml_string(&url)));
                }
            }
            if !scopes.is_empty() {
                let quoted: Vec<String> = scopes.iter().map(|s| toml_string(s)).collect();
                keys.push(format!("scopes = [{}]", quoted.join(", ")));
            }
            let secret = match (args.client_secret_file, args.client_secret_stdin) {
                (Some(f), _) => Some(Password::File(f)),
                (None, true) => Some(Password::New(ask.secret(None)?)),
                (None, false) => ask.optional_secret(&base.join(&secret_name))?.map(Password::New),
            };
            Login::OAuth { keys, secret }
        }
    };
    let login_keys = |keys: &mut Vec<String>| {
        if let Some(user) = &args.username {
            keys.push(format!("username = {}", toml_string(user)));
        } else if servers.is_some() {
            keys.push(format!("username = {}", toml_string(&address)));
        }
        keys.push(match &login {
            Login::Password(Password::File(f)) => {
                format!("password_file = {}", toml_string(&f.display().to_string()))
            }
            Login::Password(Password::Env(v)) => format!("password_env = {}", toml_string(v)),
            Login::Password(Password::New(_)) => format!("password_file = {}", toml_string(&pass_name)),
            Login::OAuth { .. } => "auth = \"oauth2\"".to_string(),
        });
    };
    let mut block = format!(
        "\n[[mailbox]]\nname = {}\naddress = {}\n",
        toml_string(&name),
        toml_string(&address)
    );
    if let Some(display) = &args.display_name {
        block.push_str(&format!("display_name = {}\n", toml_string(display)));
    }
    let (mut imap, mut smtp) = match &servers {
        None => {
            block.push_str(&format!("provider = {}\n", toml_string(&provider)));
            (Vec::new(), Vec::new())
        }
        Some((imap, smtp)) => (imap.clone(), smtp.clone()),
    };
    login_keys(&mut imap);
    login_keys(&mut smtp);
    block.push_str(&format!(
        "imap = {{ {} }}\nsmtp = {{ {} }}\n",
        imap.join(", "),
        smtp.join(", ")
    ));
    // The file the new secret goes to, beside the config, and what it is, for the message.
    let (new_secret, new_file, what) = match &login {
        Login::Password(Password::New(secret)) => (Some(secret), &pass_name, "the password"),
        Login::OAuth {
            secret: Some(Password::New(secret)),
            ..
        } => (Some(secret), &secret_name, "the OAuth2 client secret"),
        _ => (None, &pass_name, ""),
    };
    if let Login::OAuth { keys, secret } = &login {
        let mut keys = keys.clone();
        match secret {
            Some(Password::File(f)) => keys.push(format!(
                "client_secret_file = {}",
                toml_string(&f.display().to_string())
            )),
            Some(Password::New(_)) => {
                keys.push(format!("client_secret_file = {}", toml_string(&secret_name)))
            }
            Some(Password::Env(_)) | None => {}
        }
        block.push_str(&format!("oauth = {{ {} }}\n", keys.join(", ")));
    }

    let text = match &existing {
        Some(old) => {
            let mut text = old.clone();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text + &block
        }
        None => {
            let state_dir = match args.state_dir {
                Some(d) => d,
                None if path == Path::new(DEFAULT_CONFIG) => PathBuf::from("/var/lib/cadenced"),
                None => PathBuf::from("state"),
            };
            format!(
                "# cadenced configuration, written by `cadenced init`; every key is described in the\n\
                 # README (and examples/config.toml). Relative paths are relative to this file.\n\
                 state_dir = {}\n{block}",
                toml_string(&state_dir.display().to_string())
            )
        }
    };
    let cfg = Config::parse(&path, &text).map_err(|e| CliError::Usage(e.into()))?;

    let mut out = std::io::stdout().lock();
    let pass_file = base.join(new_file);
    if let Some(secret) = new_secret {
        if pass_file.exists() {
            return Err(usage(format!(
                "{} exists already: use it with {}, or remove it",
                pass_file.display(),
                if oauth2 {
                    "--client-secret-file"
                } else {
                    "--password-file"
                }
            )));
        }
        write_password(&pass_file, secret).with_context(|| format!("writing {}", pass_file.display()))?;
        writeln!(out, "wrote {} ({what}, mode 0640)", pass_file.display())?;
    }
    if let Err(e) = std::fs::write(&path, &text) {
        if new_secret.is_some() {
            let _ = std::fs::remove_file(&pass_file);
        }
        return Err(CliError::Failed(anyhow::anyhow!(
            "writing {}: {e}",
            path.display()
        )));
    }
    writeln!(
        out,
        "{} {} (mailbox {name})",
        if existing.is_some() { "added to" } else { "wrote" },
        path.display()
    )?;
    let default_config = path == Path::new(DEFAULT_CONFIG);
    let check = if default_config {
        "sudo -u cadenced cadenced check".to_string()
    } else {
        format!("cadenced --config {} check", path.display())
    };
    // An OAuth2 mailbox without a grant has no login to try yet: what to turn on at the
    // provider, and the sign-in.
    let mailbox = cfg.mailbox(&name);
    let grant = mailbox.and_then(|mb| mb.imap.oauth.as_ref().or(mb.smtp.oauth.as_ref()));
    if let Some(grant) = grant.filter(|g| !g.token_file.exists()) {
        if let Some(provider) = mailbox.and_then(|mb| mb.provider) {
            writeln!(out, "before signing in, at {}:", provider.label())?;
            for switch in provider.switches(&address, true) {
                writeln!(out, "  - {switch}")?;
            }
        }
        let login = if default_config {
            format!("cadenced mailbox login {name}")
        } else {
            format!("cadenced --config {} mailbox login {name}", path.display())
        };
        writeln!(
            out,
            "next: {login}   (signs the mailbox in once at the provider; the grant goes to {})",
            grant.token_file.display()
        )?;
        writeln!(out, "then: {check}")?;
        return Ok(ExitCode::SUCCESS);
    }
    let lines = crate::daemon::check::check_mailbox(&cfg, &name).await;
    let failed = lines.iter().any(|(ok, _)| !ok);
    for (ok, line) in lines {
        writeln!(out, "{} {line}", if ok { "ok  " } else { "FAIL" })?;
    }
    if failed {
        writeln!(
            out,
            "the config is written; fix what failed above, then run: {check}"
        )?;
        return Ok(ExitCode::FAILURE);
    }
    writeln!(out, "next: {check}")?;
    Ok(ExitCode::SUCCESS)
}

/// `host = …, port = …, tls = …` of a `HOST:PORT` answer; the TLS follows the port when not
/// given (`implicit_port`: 993 or 465).
fn server_keys(
    hostport: &str,
    tls: Option<&str>,
    implicit_port: u16,
    flag: &str,
) -> Result<Vec<String>, CliError> {
    let (host, port) = hostport
        .trim()
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
        .filter(|(h, _)| !h.is_empty())
        .ok_or_else(|| {
            usage(format!(
                "{flag} {hostport:?}: give HOST:PORT, e.g. mail.example.com:993"
            ))
        })?;
    let tls = tls.unwrap_or(if port == implicit_port {
        "implicit"
    } else {
        "starttls"
    });
    Ok(vec![
        format!("host = {}", toml_string(host)),
        format!("port = {port}"),
        format!("tls = {}", toml_string(tls)),
    ])
}

/// A TOML basic string (quoted and escaped by the toml crate).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes the password file: created new (never over an existing file, which may be someone
/// else's), mode 0640, with the group of the config's directory (root:cadenced for the
/// package), so the service can read it and other users cannot.
fn write_password(path: &Path, secret: &str) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o640)
        .open(path)?;
    file.write_all(format!("{secret}\n").as_bytes())?;
    file.sync_all()?;
    if let Some(dir) = path.parent() {
        let gid = std::fs::metadata(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?
        .gid();
        std::os::unix::fs::fchown(&file, None, Some(gid))?;
    }
    Ok(())
}

/// The questions of `init`, on stdin (typed at a terminal, or piped by a script); prompts go to
/// stderr.
struct Asker {
    stdin: std::io::StdinLock<'static>,
}

impl Asker {
    fn new() -> Asker {
        Asker {
            stdin: std::io::stdin().lock(),
        }
    }

    /// One answer; `default` when the answer is empty.
    fn line(&mut self, question: &str, default: Option<&str>) -> Result<String, CliError> {
        match default {
            Some(d) => eprint!("{question} [{d}]: "),
            None => eprint!("{question}: "),
        }
        let mut answer = String::new();
        self.stdin
            .read_line(&mut answer)
            .context("reading the answer from stdin")?;
        let answer = answer.trim();
        match (answer.is_empty(), default) {
            (false, _) => Ok(answer.to_string()),
            (true, Some(d)) => Ok(d.to_string()),
            (true, None) => Err(usage(format!(
                "no answer to {question:?} (stdin ended); give it as a flag"
            ))),
        }
    }

    /// An answer that may be left empty (or stdin ended): `None` then.
    fn optional(&mut self, question: &str) -> Result<Option<String>, CliError> {
        eprint!("{question} (empty: none): ");
        let mut answer = String::new();
        self.stdin
            .read_line(&mut answer)
            .context("reading the answer from stdin")?;
        let answer = answer.trim();
        Ok((!answer.is_empty()).then(|| answer.to_string()))
    }

    /// The OAuth2 client secret, typed without echo at a terminal or piped; `None` when
    /// empty (a public client has none). `stored` names the file it will go to.
    fn optional_secret(&mut self, stored: &Path) -> Result<Option<String>, CliError> {
        eprint!(
            "OAuth2 client secret (kept in {}, mode 0640; empty if the client has none): ",
            stored.display()
        );
        let secret = self.hidden_line("the client secret")?;
        Ok((!secret.is_empty()).then_some(secret))
    }

    /// One line of stdin without its line end, not echoed when stdin is a terminal (the
    /// prompt is already written). `what` names it in a read error.
    fn hidden_line(&mut self, what: &str) -> Result<String, CliError> {
        let terminal = std::io::stdin().is_terminal();
        let echo = terminal.then(EchoOff::new).flatten();
        let mut answer = String::new();
        let read = self.stdin.read_line(&mut answer);
        drop(echo);
        if terminal {
            eprintln!();
        }
        read.with_context(|| format!("reading {what} from stdin"))?;
        Ok(answer.trim_end_matches(['\r', '\n']).to_string())
    }

    /// The password: the first line of stdin, typed without echo at a terminal. `stored`
    /// names the file it will go to, for the prompt (none when piped with --password-stdin).
    fn secret(&mut self, stored: Option<&Path>) -> Result<String, CliError> {
        if let Some(file) = stored {
            eprint!("Password (kept in {}, mode 0640): ", file.display());
        }
        let secret = self.hidden_line("the password")?;
        if secret.is_empty() {
            return Err(usage("no password given (stdin was empty)"));
        }
        Ok(secret)
    }
}

/// The terminal's echo turned off while the password is typed, and back on when dropped.
struct EchoOff {
    saved: libc::termios,
}

impl EchoOff {
    fn new() -> Option<EchoOff> {
        // SAFETY: termios is plain data that tcgetattr fills; fd 0 is stdin, a terminal here.
        let mut term: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(0, &mut term) } != 0 {
            return None;
        }
        let saved = term;
        term.c_lflag &= !libc::ECHO;
        // SAFETY: as above; a failure only leaves the echo on.
        (unsafe { libc::tcsetattr(0, libc::TCSANOW, &term) } == 0).then_some(EchoOff { saved })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the attributes read in `new` on the same descriptor.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &self.saved);
        }
    }
}
