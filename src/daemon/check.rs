//! `cadenced check`: what `cadenced run` needs, tried for real, one line per check.
//!
//! The config (already loaded), the database (opened, migrated, and a write that changes
//! nothing: a full disk or a read-only file only shows on a real write), the rules, and per
//! mailbox the SMTP login and the IMAP login, each within a time limit. Mailboxes are tried
//! concurrently and reported in config order. Lines start with `ok   ` or `FAIL `, so that a
//! script (or a person) can grep them; each says what is wrong in the operator's terms.

use std::process::ExitCode;
use std::time::Duration;

use crate::config::{Config, Mailbox};
use crate::db::Store;
use crate::imap::{ImapClient, ImapError, SentFoundBy};
use crate::sender::Sender;

/// How long one login (SMTP or IMAP) may take before it counts as failed.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(15);

/// `cadenced check`: prints one line per check and fails if any failed. Opens the database
/// itself, so that a database that cannot be opened is one `FAIL` line among the others.
/// With `fix`, a missing `[http] secret_file` is created (a new random key, mode 0600).
///
/// # Errors
/// The count of failed checks.
pub async fn check(cfg: &Config, fix: bool) -> anyhow::Result<ExitCode> {
    // Lines are printed as they are known: the logins may take their time.
    let mut failed = 0;
    // A closed stdout (`cadenced check | head -1`) is no reason to stop checking or to
    // panic: the verdict is the exit status.
    let mut say = |(ok, what): (bool, String)| {
        use std::io::Write;
        let line = if ok {
            format!("ok   {what}")
        } else {
            failed += 1;
            format!("FAIL {what}")
        };
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    };
    say((true, format!("config {}", cfg.path.display())));
    // The database: opened, migrated, and written to.
    let name = crate::health::database_name(&cfg.database_url);
    let database = async {
        let store = Store::connect(&cfg.database_url, 1).await?;
        let result = match store.migrate().await {
            Ok(()) => store.probe_write().await,
            Err(e) => Err(e),
        };
        // Stored campaigns that no longer parse: their leads wait until the file is applied
        // again, so each is a failed check. Steps that cannot be sent as they are wait for a
        // person too.
        let unreadable = match &result {
            Ok(()) => store.unreadable_campaigns().await.unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        // Steps that may have gone out (the connection was lost after the message was
        // handed over) wait for a person to say whether they did.
        let held = match &result {
            Ok(()) => store.waiting_sends().await.map_or((0, 0), |v| {
                let count = |state: &str| v.iter().filter(|w| w.state == state).count();
                (count("failed"), count("uncertain"))
            }),
            Err(_) => (0, 0),
        };
        let mut outbox = Vec::new();
        if result.is_ok() {
            for hook in &cfg.webhooks {
                outbox.push((hook.url.clone(), store.outbox_counts(&hook.url).await));
            }
        }
        store.close().await;
        result.map(|()| (store.backend_name(), unreadable, held, outbox))
    }
    .await;
    let (unreadable, held, outbox) = match &database {
        Ok((_, unreadable, held, outbox)) => (
            unreadable.clone(),
            *held,
            outbox
                .iter()
                .filter_map(|(u, c)| c.as_ref().ok().map(|c| (u.clone(), *c)))
                .collect::<Vec<_>>(),
        ),
        Err(_) => (Vec::new(), (0, 0), Vec::new()),
    };
    say(match database {
        Ok((backend, _, _, _)) => (true, format!("database {name} ({backend}, migrated, writable)")),
        Err(e) => match crate::health::unwritable(&cfg.database_url, &e).await {
            Some(unwritable) => (false, unwritable.to_string()),
            None => (false, format!("database {name}: {e}")),
        },
    });
    for u in &unreadable {
        say((false, u.to_string()));
    }
    let (held, uncertain) = held;
    if held > 0 {
        say((
            false,
            format!("sends: {held} steps cannot be sent as they are and wait for a person (cadenced sends list --state failed)"),
        ));
    }
    if uncertain > 0 {
        say((
            false,
            format!(
                "sends: {uncertain} steps may have gone out and wait for a person to say whether (cadenced sends list --state uncertain; cadenced sends resolve MESSAGE-ID --sent or --not-sent)"
            ),
        ));
    }
    if let Some(http) = &cfg.http {
        say(link_key_line(&http.secret_file, fix));
    }
    for hook in &cfg.webhooks {
        match crate::webhooks::read_secret(hook) {
            Err(e) => say((false, e)),
            Ok(_) => match outbox.iter().find(|(u, _)| *u == hook.url).map(|(_, c)| *c) {
                Some(c) if c.failed > 0 => say((
                    false,
                    format!(
                        "webhook {}: {} events given up after 24 hours of retries ({} pending)",
                        hook.url, c.failed, c.pending
                    ),
                )),
                Some(c) => say((
                    true,
                    format!(
                        "webhook {}: secret loaded; {} events pending, {} delivered",
                        hook.url, c.pending, c.delivered
                    ),
                )),
                None => say((true, format!("webhook {}: secret loaded", hook.url))),
            },
        }
    }
    say(match crate::rules::RuleSet::load(&cfg.rule_dirs) {
        Ok(rules) => (true, format!("rules: {} rules loaded", rules.rule_count())),
        Err(e) => (false, format!("rules: {e}")),
    });
    // A config without a mailbox is valid (a fresh install ships one), but a daemon that can
    // neither send nor read anything is not ready: say what to add.
    if cfg.mailboxes.is_empty() {
        say((
            false,
            format!(
                "mailboxes: none configured in {}: nothing can be sent or read; add one with `cadenced init`",
                cfg.path.display()
            ),
        ));
    }
    let (sender, broken) = Sender::new(&cfg.mailboxes);
    let per_mailbox = futures::future::join_all(
        cfg.mailboxes
            .iter()
            .map(|mb| mailbox_lines(&sender, mb, smtp_error(&broken, &mb.name))),
    )
    .await;
    per_mailbox.into_iter().flatten().for_each(&mut say);
    if failed > 0 {
        anyhow::bail!("{failed} checks failed");
    }
    Ok(ExitCode::SUCCESS)
}

/// The logins of one mailbox of `cfg` (SMTP, IMAP, its Sent folder), one `(ok, line)` each,
/// without touching the database: what `cadenced init` shows after writing a mailbox.
pub async fn check_mailbox(cfg: &Config, name: &str) -> Vec<(bool, String)> {
    let Some(mb) = cfg.mailbox(name) else {
        return vec![(false, format!("mailbox {name}: not in {}", cfg.path.display()))];
    };
    let (sender, broken) = Sender::new(std::slice::from_ref(mb));
    mailbox_lines(&sender, mb, smtp_error(&broken, name)).await
}

/// Why the SMTP transport of `mailbox` could not be set up, if it could not.
fn smtp_error<'a>(broken: &'a [(String, String)], mailbox: &str) -> Option<&'a str> {
    broken
        .iter()
        .find(|(name, _)| name == mailbox)
        .map(|(_, err)| err.as_str())
}

/// The line of the link key (`[http] secret_file`): usable, created (with `fix`), or what to
/// do. An existing key is never replaced: every link already sent would stop working.
fn link_key_line(path: &std::path::Path, fix: bool) -> (bool, String) {
    let shown = path.display();
    if fix && !path.exists() {
        return match create_link_key(path) {
            Ok(()) => (true, format!("http.secret_file {shown}: created (a new random key, mode 0600)")),
            Err(e) => (
                false,
                format!("http.secret_file {shown}: cannot create it: {e} (create it by hand: head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > {shown}; chmod 600 {shown})"),
            ),
        };
    }
    match crate::context::load_link_key(path) {
        Ok(_) => (true, format!("http.secret_file {shown}: key loaded")),
        Err(e) => (false, e.to_string()),
    }
}

/// Writes a new key file: 32 bytes from the kernel's random source as 64 hex digits, created
/// with mode 0600 (never readable by others, not even for an instant) and never over an
/// existing file.
fn create_link_key(path: &std::path::Path) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(format!("{hex}\n").as_bytes())?;
    file.sync_all()
}

/// The SMTP and IMAP lines of one mailbox (`smtp_broken`: why its SMTP transport could not
/// be set up); for a provider's mailbox whose login failed, the switches a person must turn on
/// at the provider (for the way it logs in), under the last failed line.
async fn mailbox_lines(sender: &Sender, mb: &Mailbox, smtp_broken: Option<&str>) -> Vec<(bool, String)> {
    let mut lines = server_lines(sender, mb, smtp_broken).await;
    if let Some(provider) = mb.provider {
        let oauth2 = mb.imap.oauth.is_some() || mb.smtp.oauth.is_some();
        if let Some((_, last_failed)) = lines.iter_mut().rev().find(|(ok, _)| !ok) {
            for switch in provider.switches(&mb.address, oauth2) {
                last_failed.push_str(&format!("\n     {}: {switch}", provider.label()));
            }
        }
    }
    lines
}

/// The SMTP and IMAP lines of one mailbox, and where its Sent folder is. Without an OAuth2
/// grant (never signed in, or refused) no login is tried: the grant's line says the fix once.
async fn server_lines(sender: &Sender, mb: &Mailbox, smtp_broken: Option<&str>) -> Vec<(bool, String)> {
    let mut lines = Vec::new();
    // The OAuth2 grant, as stored (the logins below refresh it when due).
    let mut needs_login = false;
    if let Some(login) = mb.imap.oauth.as_ref().or(mb.smtp.oauth.as_ref()) {
        lines.push(match crate::oauth::describe(login) {
            Ok(state) => (true, format!("mailbox {} oauth2: {state}", mb.name)),
            Err(e) => {
                needs_login = matches!(e, crate::oauth::TokenError::NeedsLogin(_));
                (false, format!("mailbox {} oauth2: {e}", mb.name))
            }
        });
    }
    // The SMTP transport's own error, unless it only repeats the missing grant.
    if let Some(err) = smtp_broken {
        if !(needs_login && err.contains(&crate::oauth::fix(&mb.name))) {
            lines.push((false, format!("mailbox {} smtp: {err}", mb.name)));
        }
    }
    if sender.has(&mb.name) {
        let addr = format!("{}:{}", mb.smtp.host, mb.smtp.port);
        lines.push(
            match tokio::time::timeout(LOGIN_TIMEOUT, sender.test(&mb.name)).await {
                Ok(Ok(())) => (
                    true,
                    format!(
                        "mailbox {} smtp {addr}: connected{}",
                        mb.name,
                        match &mb.smtp.username {
                            Some(user) => format!(" and logged in as {user}"),
                            None => String::new(),
                        }
                    ),
                ),
                Ok(Err(e)) => (false, format!("mailbox {} smtp {addr}: {e}", mb.name)),
                Err(_) => (
                    false,
                    format!(
                        "mailbox {} smtp {addr}: no answer within {} s",
                        mb.name,
                        LOGIN_TIMEOUT.as_secs()
                    ),
                ),
            },
        );
    }
    let addr = format!("{}:{}", mb.imap.host, mb.imap.port);
    let user = mb.imap.username.as_deref().unwrap_or("");
    // What the login needs, or what it lacks (`None`: said already, on the oauth2 line).
    let credential = match (&mb.imap.oauth, &mb.imap.password) {
        (Some(_), _) if needs_login => Err(("an OAuth2 grant", None)),
        // The token is read by the login itself, which names its problem.
        (Some(_), _) => Ok(()),
        (None, Some(secret)) => secret.read().map(|_| ()).map_err(|e| ("a password", Some(e))),
        (None, None) => Err(("a password", Some("no password configured".to_string()))),
    };
    if let Err((lacking, why)) = credential {
        // Without the password there is no login to try: say so once, and whether the server
        // at least answers.
        if let Some(e) = why {
            lines.push((false, format!("mailbox {} imap password: {e}", mb.name)));
        }
        let reach = tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(&addr)).await;
        lines.push(match reach {
            Ok(Ok(_)) => (
                true,
                format!(
                    "mailbox {} imap {addr}: reachable (login not tried without {lacking})",
                    mb.name
                ),
            ),
            Ok(Err(e)) => (false, format!("mailbox {} imap {addr}: {e}", mb.name)),
            Err(_) => (
                false,
                format!("mailbox {} imap {addr}: no answer within 5 s", mb.name),
            ),
        });
        return lines;
    }
    let connected = tokio::time::timeout(LOGIN_TIMEOUT, ImapClient::connect(&mb.imap)).await;
    let imap_line = match connected {
        Ok(Ok(mut client)) => {
            let sent = client.sent_folder(mb.sent_folder.as_deref()).await;
            client.logout().await;
            lines.push((
                true,
                format!("mailbox {} imap {addr}: logged in as {user}", mb.name),
            ));
            match sent {
                Ok(sent) => (
                    true,
                    format!(
                        "mailbox {} sent folder {:?} ({})",
                        mb.name,
                        sent.name,
                        match sent.found_by {
                            SentFoundBy::Config => "sent_folder in the config",
                            SentFoundBy::SpecialUse => "marked \\Sent by the server",
                            SentFoundBy::DefaultName => "the usual name: the server marks no folder \\Sent",
                        }
                    ),
                ),
                Err(e) => (
                    false,
                    format!("mailbox {} sent folder: cannot list the folders: {e}", mb.name),
                ),
            }
        }
        Ok(Err(ImapError::Login(why))) => (
            false,
            format!("mailbox {} imap {addr}: login as {user} refused: {why}", mb.name),
        ),
        Ok(Err(e)) => (false, format!("mailbox {} imap {addr}: {e}", mb.name)),
        Err(_) => (
            false,
            format!(
                "mailbox {} imap {addr}: no answer within {} s",
                mb.name,
                LOGIN_TIMEOUT.as_secs()
            ),
        ),
    };
    lines.push(imap_line);
    lines
}
