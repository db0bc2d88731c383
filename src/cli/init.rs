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
    /// Where the daemon keeps its state, for a new config; default: /var/lib/cadenced for the
    /// default config path, else `state` beside the config.
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
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
    let pass_name = format!("{name}.pass");
    let password = match (args.password_file, args.password_env, args.password_stdin) {
        (Some(f), _, _) => Password::File(f),
        (None, Some(v), _) => Password::Env(v),
        (None, None, true) => Password::New(ask.secret(None)?),
        (None, None, false) => Password::New(ask.secret(Some(&base.join(&pass_name)))?),
    };
    let login = |keys: &mut Vec<String>| {
        if let Some(user) = &args.username {
            keys.push(format!("username = {}", toml_string(user)));
        } else if servers.is_some() {
            keys.push(format!("username = {}", toml_string(&address)));
        }
        keys.push(match &password {
            Password::File(f) => format!("password_file = {}", toml_string(&f.display().to_string())),
            Password::Env(v) => format!("password_env = {}", toml_string(v)),
            Password::New(_) => format!("password_file = {}", toml_string(&pass_name)),
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
    login(&mut imap);
    login(&mut smtp);
    block.push_str(&format!(
        "imap = {{ {} }}\nsmtp = {{ {} }}\n",
        imap.join(", "),
        smtp.join(", ")
    ));

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
    let pass_file = base.join(&pass_name);
    if let Password::New(secret) = &password {
        if pass_file.exists() {
            return Err(usage(format!(
                "{} exists already: use it with --password-file, or remove it",
                pass_file.display()
            )));
        }
        write_password(&pass_file, secret).with_context(|| format!("writing {}", pass_file.display()))?;
        writeln!(out, "wrote {} (the password, mode 0640)", pass_file.display())?;
    }
    if let Err(e) = std::fs::write(&path, &text) {
        if matches!(password, Password::New(_)) {
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
    let lines = crate::daemon::check::check_mailbox(&cfg, &name).await;
    let failed = lines.iter().any(|(ok, _)| !ok);
    for (ok, line) in lines {
        writeln!(out, "{} {line}", if ok { "ok  " } else { "FAIL" })?;
    }
    let check = if path == Path::new(DEFAULT_CONFIG) {
        "sudo -u cadenced cadenced check".to_string()
    } else {
        format!("cadenced --config {} check", path.display())
    };
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

    /// The password: the first line of stdin, typed without echo at a terminal. `stored`
    /// names the file it will go to, for the prompt (none when piped with --password-stdin).
    fn secret(&mut self, stored: Option<&Path>) -> Result<String, CliError> {
        let terminal = std::io::stdin().is_terminal();
        if let Some(file) = stored {
            eprint!("Password (kept in {}, mode 0640): ", file.display());
        }
        let echo = terminal.then(EchoOff::new).flatten();
        let mut answer = String::new();
        let read = self.stdin.read_line(&mut answer);
        drop(echo);
        if terminal {
            eprintln!();
        }
        read.context("reading the password from stdin")?;
        let secret = answer.trim_end_matches(['\r', '\n']).to_string();
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
