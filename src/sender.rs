//! SMTP sending with lettre: one pooled transport per mailbox, and the translation of
//! lettre's outcomes into ours. The only file that knows lettre.
//!
//! Outcomes: accepted; a temporary failure (4xx, connection trouble: retry later without
//! advancing the lead); a permanent refusal of the recipient (5xx: the lead bounced); a
//! failed login, or a server that offers no AUTH although a username is configured (the
//! mailbox is unhealthy and sends nothing until it recovers); or a message we cannot send
//! (a field that cannot go into a header, an address SMTP cannot carry, a server that calls
//! our command malformed): our error, never the lead's, so never a bounce and never retried
//! by itself. The failure is classified here, where it happens.
//!
//! Bodies are plain text (`text/plain; charset=utf-8`, `MIME-Version: 1.0`): an HTML body
//! goes out as its source text.

use std::collections::HashMap;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox as LettreMailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use crate::config::{Mailbox, OAuthLogin, Tls as TlsMode};

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
}

impl SendError {
    /// Whether trying again later can work.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SendError::Transient(_) | SendError::Login(_))
    }
}

/// A mailbox's transport, its From, and for an OAuth2 mailbox the access token its pool
/// logs in with (a newer token in the token file makes a new transport).
#[derive(Clone)]
struct Transport {
    smtp: AsyncSmtpTransport<Tokio1Executor>,
    from: LettreMailbox,
    oauth: Option<(OAuthLogin, SecretString)>,
    /// The mailbox it was built for, to build it again with a new token.
    mailbox: Box<Mailbox>,
}

/// One pooled SMTP transport per mailbox. A transport is rebuilt (password read again) when
/// an unhealthy mailbox is probed, so fixing a password file needs no restart. An OAuth2
/// mailbox's access token is checked before each send and each probe (refreshed before it
/// expires, by [`crate::oauth::access_token`]); a new token makes a new transport, and a
/// login refused with the old one is tried once more with a refreshed one.
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
    /// Builds a transport for every mailbox. A mailbox whose transport cannot be built (its
    /// password unreadable, its CA file broken) is reported in the error list and left out.
    pub fn new(mailboxes: &[Mailbox]) -> (Sender, Vec<(String, String)>) {
        let mut transports = HashMap::new();
        let mut errors = Vec::new();
        for mb in mailboxes {
            match build_transport(mb, None) {
                Ok(t) => {
                    transports.insert(mb.name.clone(), t);
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

    /// The transport of a mailbox (cheap: lettre's transport is a handle on its pool).
    fn transport(&self, mailbox: &str) -> Result<Transport, SendError> {
        self.read()
            .get(mailbox)
            .cloned()
            .ok_or_else(|| SendError::Login(format!("mailbox {mailbox} has no SMTP transport")))
    }

    /// The transport to use now: for an OAuth2 mailbox, one built with the current access
    /// token (refreshed first when due, or when `refused` is the token the server refused).
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
        let rebuilt = build_transport(&t.mailbox, Some(token)).map_err(SendError::Login)?;
        self.transports
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(mailbox.to_string(), rebuilt.clone());
        Ok(rebuilt)
    }

    /// Builds a mailbox's transport again from its config (re-reading its password or token
    /// file).
    ///
    /// # Errors
    /// Why the transport cannot be built.
    pub fn rebuild(&self, mb: &Mailbox) -> Result<(), String> {
        let t = build_transport(mb, None)?;
        self.transports
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(mb.name.clone(), t);
        Ok(())
    }

    /// Whether this mailbox has a transport.
    pub fn has(&self, mailbox: &str) -> bool {
        self.read().contains_key(mailbox)
    }

    /// Builds the message for `out` as sent from `mailbox`; also what goes into the Sent folder.
    ///
    /// # Errors
    /// [`SendError::Build`] when an address or header is unusable.
    pub fn build(&self, mailbox: &str, out: &Outgoing) -> Result<Message, SendError> {
        build_message(self.transport(mailbox)?.from, out)
    }

    /// Sends one message.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure.
    pub async fn send(&self, mailbox: &str, message: Message) -> Result<(), SendError> {
        let t = self.fresh(mailbox, false).await?;
        match t.smtp.send(message.clone()).await.map_err(classify) {
            // A refused AUTH comes before any mail transaction: nothing went out, and one
            // more try with a refreshed token cannot send twice.
            Err(SendError::Login(e)) if t.oauth.is_some() => {
                let again = self.fresh(mailbox, true).await?;
                if again.oauth.as_ref().map(|(_, t)| t.expose_secret())
                    == t.oauth.as_ref().map(|(_, t)| t.expose_secret())
                {
                    return Err(SendError::Login(e));
                }
                again.smtp.send(message).await.map(|_| ()).map_err(classify)
            }
            other => other.map(|_| ()),
        }
    }

    /// Builds and sends `out`; returns the message as sent, for the Sent folder.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure.
    pub async fn send_outgoing(&self, mailbox: &str, out: &Outgoing) -> Result<Vec<u8>, SendError> {
        let message = self.build(mailbox, out)?;
        let raw = message.formatted();
        self.send(mailbox, message).await?;
        Ok(raw)
    }

    /// Logs in to check a mailbox's SMTP server.
    ///
    /// # Errors
    /// [`SendError`] classifying the failure.
    pub async fn test(&self, mailbox: &str) -> Result<(), SendError> {
        let probe = |t: Transport| async move {
            match t.smtp.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err(SendError::Transient("server did not answer NOOP".to_string())),
                Err(e) => Err(classify(e)),
            }
        };
        let t = self.fresh(mailbox, false).await?;
        let used = t.oauth.as_ref().map(|(_, t)| t.expose_secret().to_string());
        match probe(t).await {
            // As in `send`: a refused token is refreshed and tried once more.
            Err(SendError::Login(e)) if used.is_some() => {
                let again = self.fresh(mailbox, true).await?;
                if again.oauth.as_ref().map(|(_, t)| t.expose_secret().to_string()) == used {
                    return Err(SendError::Login(e));
                }
                probe(again).await
            }
            other => other,
        }
    }
}

/// A mailbox's transport from its config. An OAuth2 mailbox logs in with `token`, or the
/// access token its token file holds now (read, not refreshed: [`Sender::send`] refreshes).
fn build_transport(mb: &Mailbox, token: Option<SecretString>) -> Result<Transport, String> {
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
    let mut builder = smtp_builder(mb)?;
    if let (Some(user), Some((_, token))) = (&server.username, &oauth) {
        // SASL XOAUTH2 (lettre has no OAUTHBEARER) with the mailbox's access token.
        builder = builder
            .credentials(Credentials::new(user.clone(), token.expose_secret().to_string()))
            .authentication(vec![Mechanism::Xoauth2]);
    } else if let Some(user) = &server.username {
        let password = match &server.password {
            Some(secret) => secret.read()?,
            None => {
                return Err(format!(
                    "smtp username {user} set but no password_file or password_env"
                ))
            }
        };
        builder = builder.credentials(Credentials::new(
            user.clone(),
            password.expose_secret().to_string(),
        ));
    }
    Ok(Transport {
        smtp: builder.build(),
        from,
        oauth,
        mailbox: Box::new(mb.clone()),
    })
}

fn smtp_builder(mb: &Mailbox) -> Result<lettre::transport::smtp::AsyncSmtpTransportBuilder, String> {
    let server = &mb.smtp;
    let tls_params = || -> Result<TlsParameters, String> {
        let mut builder = TlsParameters::builder(server.host.clone());
        if let Some(ca) = &server.ca_file {
            let pem = crate::input::read(ca, crate::input::CA_FILE).map_err(|e| e.to_string())?;
            let cert = Certificate::from_pem(&pem).map_err(|e| format!("ca_file {}: {e}", ca.display()))?;
            builder = builder.add_root_certificate(cert);
        }
        builder.build_rustls().map_err(|e| format!("tls setup: {e}"))
    };
    let tls = match server.tls {
        TlsMode::None => Tls::None,
        TlsMode::StartTls => Tls::Required(tls_params()?),
        TlsMode::Implicit => Tls::Wrapper(tls_params()?),
    };
    Ok(
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(server.host.clone())
            .port(server.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(
                PoolConfig::new()
                    .max_size(8)
                    .idle_timeout(Duration::from_secs(60)),
            ),
    )
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

fn classify(e: lettre::transport::smtp::Error) -> SendError {
    let text = e.to_string();
    // lettre's own refusals, before or without the server: nothing to retry.
    if e.is_client() {
        if text.contains("authentication mechanism") {
            return SendError::Login(
                "the SMTP server offers no AUTH mechanism we support, but a username is configured \
                 (use tls = \"starttls\" or \"implicit\" if it only offers AUTH over TLS)"
                    .to_string(),
            );
        }
        // XOAUTH2 refused: the server answers the token with a `334` challenge carrying its
        // error (Google, Dovecot), which lettre's mechanism does not take. A login failure
        // (the token), never the message's.
        if text.contains("does not expect a challenge") {
            return SendError::Login(
                "XOAUTH2 refused: the server did not accept the access token".to_string(),
            );
        }
        return SendError::Build(text);
    }
    let code = e.status().map(|c| c.to_string());
    // The enhanced status code (RFC 3463) says whose fault a 5xx is: 5.1.3 (bad address
    // syntax), 5.6.x (content the server cannot take, e.g. 5.6.7 non-ASCII address) and
    // 5.5.x (malformed command) are ours; the others are about the recipient.
    let enhanced = text
        .split_once("): ")
        .map(|(_, rest)| rest.split_whitespace().next().unwrap_or(""))
        .unwrap_or("");
    let ours = enhanced == "5.1.3" || enhanced.starts_with("5.6.") || enhanced.starts_with("5.5.");
    match code.as_deref() {
        // Authentication required, failed, or mechanism too weak: the mailbox, not the lead.
        Some("530" | "534" | "535" | "538" | "454") => SendError::Login(text),
        // Command syntax errors: how we talk, not who we write to.
        Some("500" | "501" | "502" | "503" | "504" | "555") => SendError::Build(text),
        Some(c) if c.starts_with('5') && ours => SendError::Build(text),
        Some(c) if c.starts_with('5') => SendError::Rejected(text),
        _ if e.is_permanent() => SendError::Rejected(text),
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
}
