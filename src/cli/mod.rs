//! The operator CLI: a clap derive tree whose doc comments are the `--help` texts, and the
//! dispatch from each command to the library. Data goes to stdout (tables for people,
//! `--json` lines for scripts), logs and errors to stderr.
//!
//! Exit status: 0 done, 1 refused or failed, 2 bad usage or bad config ([`CliError`]).

pub mod campaigns;
pub mod generate;
pub mod init;
pub mod leads;
pub mod output;
pub mod rules;
pub mod sends;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::clock::{Clock, FakeClock, SystemClock};
use crate::config::{redact_url, Config};
use crate::db::Store;

/// Where the config is read from when neither `--config` nor `CADENCED_CONFIG` says.
pub const DEFAULT_CONFIG: &str = "/etc/cadenced/config.toml";

/// Outbound email sequences from your own mailboxes, with replies handled by themselves.
#[derive(Debug, Parser)]
#[command(name = "cadenced", version, about, propagate_version = true)]
pub struct Cli {
    /// Config file.
    #[arg(long, global = true, env = "CADENCED_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format on stderr: `text` (journald-friendly: no colours unless a terminal, no
    /// timestamps under systemd, which adds its own) or `json` (one object per line).
    #[arg(long, global = true, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the daemon until SIGTERM.
    Run,
    /// Add a first (or another) mailbox to the config, from flags or questions, writing the
    /// config if there is none; then try its logins (or, for OAuth2, name the sign-in).
    /// Boxed: its many flags would make every command as large.
    Init(Box<init::InitArgs>),
    /// Check the config, the database and the rules; say what is wrong in one line each.
    Check {
        /// Repair what can be repaired safely: create a missing `[http] secret_file` (a new
        /// random key, mode 0600). An existing key is never replaced (that would void every
        /// link already sent).
        #[arg(long)]
        fix: bool,
    },
    /// Apply the database migrations and exit.
    Migrate,
    /// Rule files: run their examples, or explain how messages are classified.
    Rules {
        /// Which rules command.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Create, launch, pause, resume and archive campaigns.
    Campaign {
        /// Which campaign command.
        #[command(subcommand)]
        command: CampaignCommand,
    },
    /// Import and list leads, and pause, resume or stop many at once.
    Leads {
        /// Which leads command.
        #[command(subcommand)]
        command: LeadsCommand,
    },
    /// Inspect or change one lead in one campaign.
    Lead {
        /// Which lead command.
        #[command(subcommand)]
        command: LeadCommand,
    },
    /// Sends: list them, and resolve uncertain ones (a crash between SMTP and the database).
    Sends {
        /// Which sends command.
        #[command(subcommand)]
        command: SendsCommand,
    },
    /// Mailboxes: which daemon works each (its lease), and whether it is healthy.
    Mailboxes {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// One mailbox: `login` signs an OAuth2 mailbox in.
    Mailbox {
        /// Which mailbox command.
        #[command(subcommand)]
        command: MailboxCommand,
    },
    /// API tokens for the operator listener (`[http] admin_listen`): create, list, revoke.
    ApiToken {
        /// Which token command.
        #[command(subcommand)]
        command: ApiTokenCommand,
    },
    /// Web console accounts (on `[http] admin_listen`).
    User {
        /// Which user command.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Paused leads with their reasons and resume dates, stale pauses, and counts.
    Report {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Only this campaign.
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Write the man pages and shell completions into DIR (for packagers; `scripts/package`).
    #[command(hide = true)]
    Generate {
        /// Where `man/` and `completions/` are written.
        dir: PathBuf,
    },
}

/// `cadenced mailbox …`.
#[derive(Debug, Subcommand)]
pub enum MailboxCommand {
    /// Sign an OAuth2 mailbox in (device or browser flow) and store its grant.
    ///
    /// The grant (refresh token) goes to the state directory, `oauth/NAME.json`, mode 0600.
    /// Two sign-ins: the device flow (RFC 8628: a URL and a code
    /// to enter there, from any device) when the mailbox has `oauth.device_url` (Microsoft
    /// 365), else the browser flow (authorization code with PKCE, RFC 7636, back to a loopback
    /// address this command listens on, RFC 8252) when it has `oauth.auth_url` (Google: its
    /// device flow does not grant the mail scope). On a server, the browser flow prints the
    /// `ssh -L` tunnel to open, or takes the address the browser ends on pasted back (at a
    /// terminal, or with `--paste`). Also the cure for a revoked or expired grant; a running daemon uses the new
    /// one by itself.
    Login {
        /// The mailbox's `name` in the config.
        name: String,
        /// Use the device flow even though the mailbox has an authorization URL.
        #[arg(long, conflicts_with_all = ["browser", "paste", "port"])]
        device: bool,
        /// Use the browser flow even though the mailbox has a device URL.
        #[arg(long)]
        browser: bool,
        /// Browser flow: also read, from stdin, the address the browser ends on (for a browser
        /// on another machine without a tunnel: its page does not load; copy the address).
        /// Done without it when stdin is a terminal.
        #[arg(long)]
        paste: bool,
        /// Browser flow: the loopback port to listen on for the redirect (default: a free
        /// one). A fixed port lets you open the ssh tunnel before the sign-in.
        #[arg(long, value_name = "PORT")]
        port: Option<u16>,
        /// Browser flow: how long the whole sign-in may take, e.g. `10m`.
        #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
        timeout: std::time::Duration,
    },
}

/// A duration like `90s` or `10m`, at least one second.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if d < std::time::Duration::from_secs(1) {
        return Err("at least 1s".to_string());
    }
    Ok(d)
}

/// `cadenced api-token …`.
#[derive(Debug, Subcommand)]
pub enum ApiTokenCommand {
    /// Create a token and print it, once: only its hash is kept. Send it as
    /// `Authorization: Bearer TOKEN` to the operator listener.
    Create {
        /// A name for it (who or what uses it), unique among live tokens.
        name: String,
    },
    /// List the tokens (names and dates; never the tokens).
    List {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token: from now on it gets 401.
    Revoke {
        /// Its name.
        name: String,
    },
}

/// `cadenced user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a console account, or set a new password for one (its sessions end). The
    /// password is read from the first line of standard input (at least 10 characters;
    /// only its argon2id hash is kept).
    Add {
        /// The login name.
        name: String,
    },
}

/// `cadenced rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every rule file's [[test]] examples; exit 1 on any failure.
    Test {
        /// Rule directory to test instead of the shipped rules.
        dir: Option<PathBuf>,
    },
    /// Classify messages (message files, folders of them, Maildirs, mbox files) and say why.
    Explain {
        /// Messages to explain.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// The lead's timezone, for relative dates and the resume time (default: the zone of
        /// each message's own Date header, the writer's day).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
    },
}

/// `cadenced campaign …`.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Create or update a campaign from its file (idempotent).
    Apply {
        /// The campaign file.
        file: PathBuf,
    },
    /// Start sending a draft campaign; refused if a lead lacks a field a step uses.
    Launch {
        /// Campaign name.
        name: String,
    },
    /// Stop all sending and freeze every countdown.
    Pause {
        /// Campaign name.
        name: String,
    },
    /// Resume a paused campaign; countdowns restart with the time they had left.
    Resume {
        /// Campaign name.
        name: String,
    },
    /// Archive a campaign for good.
    Archive {
        /// Campaign name.
        name: String,
    },
    /// Change the sender mailbox; in-progress leads are paused (sender_changed).
    SetSender {
        /// Campaign name.
        name: String,
        /// Mailbox name from the config.
        mailbox: String,
    },
    /// List campaigns with their status and counts.
    List {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

/// `cadenced leads …`.
#[derive(Debug, Subcommand)]
pub enum LeadsCommand {
    /// Import a CSV (email, first_name, last_name, company, timezone, any custom column).
    Import {
        /// Campaign to enroll them in.
        #[arg(long)]
        campaign: String,
        /// The CSV file.
        file: PathBuf,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// List enrollments.
    List {
        /// Only this campaign.
        #[arg(long)]
        campaign: Option<String>,
        /// Only this status (launch, in_progress, paused, completed, stopped, skipped).
        #[arg(long)]
        status: Option<String>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Pause many leads.
    Pause(BulkArgs),
    /// Resume many leads.
    Resume(BulkArgs),
    /// Stop many leads.
    Stop(BulkArgs),
}

/// Which leads a bulk command is about.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// Campaign.
    #[arg(long)]
    pub campaign: String,
    /// A file with one address per line.
    #[arg(long, conflicts_with = "status", required_unless_present = "status")]
    pub file: Option<PathBuf>,
    /// Every lead in this status.
    #[arg(long)]
    pub status: Option<String>,
    /// Note recorded with each change.
    #[arg(long)]
    pub note: Option<String>,
    /// For pause: resume automatically at this date (YYYY-MM-DD, local to the lead) or RFC 3339 time.
    #[arg(long)]
    pub until: Option<String>,
    /// For stop: the reason (default manual).
    #[arg(long)]
    pub reason: Option<String>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

/// `cadenced lead …`.
#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Show a lead's state and history.
    Show(LeadArgs),
    /// Pause a lead (only in_progress leads; use skip for leads not contacted yet).
    Pause {
        /// Lead and campaign.
        #[command(flatten)]
        lead: LeadArgs,
        /// Resume automatically at this date (YYYY-MM-DD, local to the lead) or RFC 3339 time.
        #[arg(long)]
        until: Option<String>,
    },
    /// Resume a paused lead with the delay it had left.
    Resume(LeadArgs),
    /// Stop a lead for good.
    Stop {
        /// Lead and campaign.
        #[command(flatten)]
        lead: LeadArgs,
        /// Reason: manual (default), replied, meeting_booked, unsubscribed, bounced.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Keep a lead not contacted yet from starting.
    Skip(LeadArgs),
    /// Undo a skip.
    Unskip(LeadArgs),
}

/// A lead in a campaign.
#[derive(Debug, Args)]
pub struct LeadArgs {
    /// The lead's address.
    pub email: String,
    /// Campaign.
    #[arg(long)]
    pub campaign: String,
    /// Note recorded with the change.
    #[arg(long)]
    pub note: Option<String>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

/// `cadenced sends …`.
#[derive(Debug, Subcommand)]
pub enum SendsCommand {
    /// List sends in a state (default: uncertain, the ones that need a person; failed ones,
    /// steps that cannot be sent as they are, need one too).
    List {
        /// claimed, sent, retry, uncertain, bounced or failed.
        #[arg(long, default_value = "uncertain")]
        state: String,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Settle an uncertain send: it did go out (--sent) or it did not (--not-sent: it is sent
    /// again, with the same Message-ID). A failed send (--not-sent) is tried once more, after
    /// its data was fixed.
    Resolve {
        /// The send's Message-ID, with or without angle brackets.
        message_id: String,
        /// It went out: record it and advance the lead.
        #[arg(long, conflicts_with = "not_sent", required_unless_present = "not_sent")]
        sent: bool,
        /// It did not go out: send it again.
        #[arg(long)]
        not_sent: bool,
    },
}

/// A failure with its exit status: 1 for refusals and failures, 2 for bad usage or config.
#[derive(Debug)]
pub enum CliError {
    /// Refused or failed (exit 1).
    Failed(anyhow::Error),
    /// Bad usage or bad config (exit 2).
    Usage(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError::Failed(e.into())
    }
}

/// An operation's error with its exit status: bad input is a usage error (exit 2), the rest
/// fail (exit 1).
pub fn op(e: crate::ops::OpError) -> CliError {
    match e {
        crate::ops::OpError::Invalid(m) => CliError::Usage(anyhow::anyhow!("{m}")),
        other => CliError::Failed(other.into()),
    }
}

/// The OAuth2 client and token file of mailbox `name`.
fn oauth_login(cfg: &Config, name: &str) -> Result<crate::config::OAuthLogin, CliError> {
    let mb = cfg.mailbox(name).ok_or_else(|| {
        usage(format!(
            "no mailbox {name:?} in {} (mailboxes: {})",
            cfg.path.display(),
            cfg.mailboxes
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    if let Some(login) = mb.imap.oauth.as_ref().or(mb.smtp.oauth.as_ref()) {
        return Ok(login.clone());
    }
    let client = mb.oauth.clone().ok_or_else(|| {
        usage(format!(
            "mailbox {name} logs in with passwords: give it an oauth table (oauth = {{ client_id = \"…\" }}) and auth = \"oauth2\" on imap and smtp first"
        ))
    })?;
    Ok(crate::config::OAuthLogin {
        mailbox: name.to_string(),
        token_file: cfg.state_dir.join("oauth").join(format!("{name}.json")),
        client,
    })
}

/// Shorthand for a usage error.
pub fn usage(msg: impl std::fmt::Display) -> CliError {
    CliError::Usage(anyhow::anyhow!("{msg}"))
}

/// Runs a parsed command line.
///
/// # Errors
/// [`CliError`] with the exit status to use.
pub async fn dispatch(cli: Cli) -> Result<ExitCode, CliError> {
    let clock: std::sync::Arc<dyn Clock> = match std::env::var("CADENCED_FAKE_NOW") {
        // Tests and demos move time with this; it is never set in production.
        Ok(at) => {
            let at = chrono::DateTime::parse_from_rfc3339(&at)
                .map_err(|e| usage(format!("CADENCED_FAKE_NOW {at:?}: {e}")))?;
            std::sync::Arc::new(FakeClock::new(at.with_timezone(&chrono::Utc)))
        }
        Err(_) => std::sync::Arc::new(SystemClock),
    };
    match cli.command {
        Command::Init(args) => init::run(cli.config.as_deref(), *args).await,
        Command::Generate { dir } => {
            generate::generate(&dir)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { command } => {
            let dirs = optional_config(cli.config.as_deref())?
                .map(|c| c.rule_dirs)
                .unwrap_or_default();
            let code = match command {
                RulesCommand::Test { dir } => rules::test(dir.as_deref(), &dirs)?,
                RulesCommand::Explain { paths, json, tz } => {
                    rules::explain(&paths, json, tz.as_deref(), &dirs)?
                }
            };
            Ok(code)
        }
        // `check` opens the database itself: one that cannot be opened is one FAIL line.
        Command::Check { fix } => {
            let cfg = load_config(cli.config.as_deref())?;
            crate::daemon::check(&cfg, fix).await.map_err(CliError::Failed)
        }
        Command::Mailbox {
            command:
                MailboxCommand::Login {
                    name,
                    device,
                    browser,
                    paste,
                    port,
                    timeout,
                },
        } => {
            let cfg = load_config(cli.config.as_deref())?;
            let login = oauth_login(&cfg, &name)?;
            let forced = match (device, browser || paste || port.is_some()) {
                (true, _) => Some(crate::oauth::Flow::Device),
                (false, true) => Some(crate::oauth::Flow::Browser),
                (false, false) => None,
            };
            let flow = crate::oauth::choose_flow(&login, forced).map_err(usage)?;
            let say = |line: &str| println!("{line}");
            let done = match flow {
                crate::oauth::Flow::Device => crate::oauth::device_login(&login, say).await,
                crate::oauth::Flow::Browser => {
                    let options = crate::oauth::BrowserOptions {
                        port: port.unwrap_or(0),
                        paste: paste || std::io::IsTerminal::is_terminal(&std::io::stdin()),
                        timeout,
                    };
                    crate::oauth::browser_login(&login, &options, say).await
                }
            }
            .map_err(|e| CliError::Failed(anyhow::anyhow!("{e}")))?;
            println!("{done}");
            Ok(ExitCode::SUCCESS)
        }
        command => {
            let cfg = load_config(cli.config.as_deref())?;
            let store = open_store(&cfg).await?;
            let now = clock.now();
            let result = run_with_store(command, &cfg, &store, clock, now).await;
            store.close().await;
            result
        }
    }
}

async fn run_with_store(
    command: Command,
    cfg: &Config,
    store: &Store,
    clock: std::sync::Arc<dyn Clock>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ExitCode, CliError> {
    match command {
        Command::Run => {
            // A database that cannot be written is found now, in one line, rather than by the
            // first send; it is the environment's fault (exit 2), so systemd does not restart
            // into it (RestartPreventExitStatus=2).
            if let Err(e) = store.probe_write().await {
                return Err(database_error(cfg, e, "writing to the database").await);
            }
            // Rules that do not load and a link key that cannot be used are bad configuration
            // (exit 2), like a bad config.
            crate::daemon::run(cfg, store.clone(), clock).await.map_err(|e| {
                if e.downcast_ref::<crate::context::ContextError>().is_some() {
                    CliError::Usage(e)
                } else {
                    CliError::Failed(e)
                }
            })?
        }
        Command::Migrate => eprintln!("migrations applied ({})", store.backend_name()),
        Command::Campaign { command } => campaigns::run(command, cfg, store, now).await?,
        Command::Leads { command } => leads::run_leads(command, cfg, store, now).await?,
        Command::Lead { command } => leads::run_lead(command, cfg, store, now).await?,
        Command::Report { json, campaign } => leads::report(store, campaign.as_deref(), json, now).await?,
        Command::Sends { command } => sends::run(command, store, now).await?,
        Command::Mailboxes { json } => sends::mailboxes(cfg, store, json, now).await?,
        Command::ApiToken { command } => api_token(command, store, now).await?,
        Command::User {
            command: UserCommand::Add { name },
        } => {
            use std::io::IsTerminal;
            if std::io::stdin().is_terminal() {
                eprint!("Password for {name} (shown as typed; or pipe it in): ");
            }
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            let password = line.trim_end_matches(['\r', '\n']);
            let new = crate::ops::user_add(store, &name, password, now)
                .await
                .map_err(op)?;
            output::emit(&if new {
                format!("console user {name:?} added")
            } else {
                format!("console user {name:?}: password changed, sessions ended")
            })?;
        }
        Command::Rules { .. }
        | Command::Check { .. }
        | Command::Generate { .. }
        | Command::Init(_)
        | Command::Mailbox { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// `cadenced api-token create|list|revoke`.
async fn api_token(
    command: ApiTokenCommand,
    store: &Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), CliError> {
    match command {
        ApiTokenCommand::Create { name } => {
            let token = crate::ops::api_token_create(store, &name, now)
                .await
                .map_err(op)?;
            output::emit(&token)?;
            eprintln!("API token {name:?} created; it is shown this once (only its hash is kept)");
        }
        ApiTokenCommand::List { json } => {
            #[derive(serde::Serialize)]
            struct TokenView {
                name: String,
                created_at: String,
                revoked_at: Option<String>,
            }
            for t in store.api_tokens().await? {
                let view = TokenView {
                    name: t.name,
                    created_at: output::rfc3339(crate::db::rows::from_ms(t.created_at)),
                    revoked_at: t.revoked_at.map(|r| output::rfc3339(crate::db::rows::from_ms(r))),
                };
                if json {
                    output::print_json(&view)?;
                } else {
                    output::emit(&format!(
                        "{:<32} created {}{}",
                        view.name,
                        view.created_at,
                        view.revoked_at
                            .map(|r| format!("  revoked {r}"))
                            .unwrap_or_default()
                    ))?;
                }
            }
        }
        ApiTokenCommand::Revoke { name } => {
            store
                .revoke_api_token(&name, now)
                .await
                .map_err(campaigns::refusal)?;
            output::emit(&format!("API token {name:?} revoked"))?;
        }
    }
    Ok(())
}

/// Loads the config named on the command line (or the default).
///
/// # Errors
/// [`CliError::Usage`] naming the file and key.
pub fn load_config(path: Option<&Path>) -> Result<Config, CliError> {
    let path = path.unwrap_or(Path::new(DEFAULT_CONFIG));
    Config::load(path).map_err(|e| CliError::Usage(e.into()))
}

/// The config if one was named or the default exists; rule commands work without one.
fn optional_config(path: Option<&Path>) -> Result<Option<Config>, CliError> {
    match path {
        Some(p) => load_config(Some(p)).map(Some),
        None if Path::new(DEFAULT_CONFIG).exists() => load_config(None).map(Some),
        None => Ok(None),
    }
}

/// Opens the database and applies migrations.
///
/// # Errors
/// When it cannot be opened or migrated; [`CliError::Usage`] (exit 2) when that is because it
/// cannot be written (disk full, read-only), with the problem in an operator's words.
pub async fn open_store(cfg: &Config) -> Result<Store, CliError> {
    // Every change this process makes is told to the config's webhooks (through the outbox,
    // in the change's transaction), whichever command makes it.
    crate::db::outbox::subscribe(
        cfg.webhooks
            .iter()
            .map(|w| crate::db::outbox::Subscription {
                url: w.url.clone(),
                events: w.events.clone(),
            })
            .collect(),
    );
    let store = match Store::connect(&cfg.database_url, cfg.max_connections).await {
        Ok(store) => store,
        Err(e) => {
            let context = format!("opening database {}", redact_url(&cfg.database_url));
            return Err(database_error(cfg, e, &context).await);
        }
    };
    if let Err(e) = store.migrate().await {
        store.close().await;
        return Err(database_error(cfg, e, "migrating database").await);
    }
    Ok(store)
}

/// A database that cannot be written (`database PATH: disk full`, `…: read-only file system`)
/// is wrong surroundings, like a bad config: exit 2. Any other error fails with `context`.
async fn database_error(cfg: &Config, e: crate::db::StoreError, context: &str) -> CliError {
    match crate::health::unwritable(&cfg.database_url, &e).await {
        Some(unwritable) => CliError::Usage(unwritable.into()),
        None => CliError::Failed(anyhow::anyhow!("{context}: {e}")),
    }
}
