//! The one mailbox fixture of the config files the tests write: a `[[mailbox]]` table on
//! loopback without TLS (the real stack's ports, a fake server's, or a port nothing answers),
//! with only what a test changes said (its login, its secret, a preset).

use std::fmt::Display;
use std::path::{Path, PathBuf};

/// A `[[mailbox]]` table being written; [`Mailbox::toml`] is the text.
#[derive(Debug, Clone)]
pub struct Mailbox {
    name: String,
    address: String,
    imap: u16,
    smtp: u16,
    /// `username`; `None` leaves it to a provider preset (the address).
    username: Option<String>,
    /// `password_file = "…"` or `password_env = "…"`, when the servers are given one.
    secret: Option<String>,
    /// Whether SMTP logs in too (with IMAP's username and secret).
    smtp_auth: bool,
    /// Lines after `address` (`provider`, `poll_interval`).
    lines: Vec<String>,
}

impl Mailbox {
    /// Mailbox `name` at `address`: IMAP on 127.0.0.1:`imap` as the address, SMTP on
    /// 127.0.0.1:`smtp` without AUTH, both without TLS; no secret yet.
    pub fn new(name: &str, address: &str, imap: u16, smtp: u16) -> Mailbox {
        Mailbox {
            name: name.to_string(),
            address: address.to_string(),
            imap,
            smtp,
            username: Some(address.to_string()),
            secret: None,
            smtp_auth: false,
            lines: Vec::new(),
        }
    }

    /// The password is read from `path`.
    pub fn password_file(mut self, path: impl Display) -> Mailbox {
        self.secret = Some(format!("password_file = \"{path}\""));
        self
    }

    /// The password is read from the environment variable `var`.
    pub fn password_env(mut self, var: &str) -> Mailbox {
        self.secret = Some(format!("password_env = \"{var}\""));
        self
    }

    /// SMTP logs in as IMAP does.
    pub fn smtp_auth(mut self) -> Mailbox {
        self.smtp_auth = true;
        self
    }

    /// No `username`: a provider preset logs in as the address.
    pub fn preset_username(mut self) -> Mailbox {
        self.username = None;
        self
    }

    /// A line of the table, written as given after `address` (`provider = "google"`).
    pub fn line(mut self, line: &str) -> Mailbox {
        self.lines.push(line.to_string());
        self
    }

    /// The `[[mailbox]]` table.
    pub fn toml(&self) -> String {
        let login: Vec<String> = self
            .username
            .iter()
            .map(|u| format!("username = \"{u}\""))
            .chain(self.secret.clone())
            .collect();
        let server = |port: u16, login: &[String]| {
            let mut keys = vec![
                "host = \"127.0.0.1\"".to_string(),
                format!("port = {port}"),
                "tls = \"none\"".to_string(),
            ];
            keys.extend(login.iter().cloned());
            format!("{{ {} }}", keys.join(", "))
        };
        let smtp_login = if self.smtp_auth { &login[..] } else { &[] };
        let mut text = format!(
            "[[mailbox]]\nname = \"{}\"\naddress = \"{}\"\n",
            self.name, self.address
        );
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&format!("imap = {}\n", server(self.imap, &login)));
        text.push_str(&format!("smtp = {}\n", server(self.smtp, smtp_login)));
        text
    }
}

/// Writes `dir/config.toml`: `state_dir = "state"` (next to the file), then `top` (tables
/// such as `[daemon]`, or nothing), then `mailboxes`; its path.
pub fn write(dir: &Path, top: &str, mailboxes: &[Mailbox]) -> PathBuf {
    let mut text = format!("state_dir = \"state\"\n{top}");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    for mailbox in mailboxes {
        text.push_str(&mailbox.toml());
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("write the config");
    path
}
