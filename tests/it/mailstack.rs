//! The real mail stack itself (tests/it/support/mailstack.rs): proves that what the end-to-end
//! tests build on works. Postfix accepts our SMTP, Dovecot delivers over LMTP, a Sieve vacation
//! answers like a person's out-of-office, unknown recipients bounce back as RFC 3464 reports,
//! IMAP shows all of it, and the fault switches (stop/start Dovecot) behave. Also: STARTTLS and
//! implicit TLS with the stack's own CA (and a verification failure without it), SMTP AUTH
//! against Dovecot (535 for a wrong password), and refusals at RCPT time.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};

use crate::support::mailstack::{MailStack, PASSWORD, SALES};

const WAIT: Duration = Duration::from_secs(30);

const GERMAN_OOO: &str = "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 12. Januar nicht \
                          im Büro und habe keinen Zugriff auf meine E-Mails.";

/// A plain, human-looking step (no List-*, Precedence or Auto-Submitted headers, the lead named
/// in To), as the daemon sends them.
fn step(to: &str, subject: &str, message_id: &str) -> Message {
    Message::builder()
        .from("Sam Carter <sales@example.test>".parse().expect("from"))
        .to(to.parse().expect("to"))
        .subject(subject)
        .message_id(Some(message_id.to_string()))
        .header(ContentType::TEXT_PLAIN)
        .body(String::from(
            "Hi,\n\nwould a short call next week make sense?\n\nBest,\nSam\n",
        ))
        .expect("build message")
}

async fn send(stack: &MailStack, msg: Message) {
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(stack.smtp_port())
        .build();
    mailer.send(msg).await.expect("Postfix accepts the step");
}

/// The header block of a raw message, unfolded (continuation lines joined).
fn headers(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let head = text.split("\n\n").next().unwrap_or_default();
    head.replace("\n\t", " ").replace("\n ", " ")
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

#[tokio::test]
async fn vacation_reply_and_bounce_reach_the_sender() {
    let stack = MailStack::start(2);
    stack.vacation("lead1", GERMAN_OOO, "Abwesenheitsnotiz");

    send(
        &stack,
        step(
            "Lena Fischer <lead1@lead.test>",
            "Kurze Frage",
            "<step-1@example.test>",
        ),
    )
    .await;
    send(
        &stack,
        step(
            "Nobody <nobody@lead.test>",
            "Quick question",
            "<step-2@example.test>",
        ),
    )
    .await;

    let lead = stack.wait_for_messages("lead1", 1, WAIT).await;
    assert!(headers(&lead[0]).contains("Subject: Kurze Frage"));

    let inbox = stack.wait_for_messages(SALES, 2, WAIT).await;
    assert_eq!(inbox.len(), 2, "exactly one auto-reply and one bounce");

    let vacation = inbox
        .iter()
        .find(|m| header(&headers(m), "In-Reply-To") == Some("<step-1@example.test>"))
        .expect("the vacation reply answers step 1");
    let head = headers(vacation);
    let auto = header(&head, "Auto-Submitted").expect("Auto-Submitted header");
    assert!(auto.starts_with("auto-replied"), "{auto}");
    assert_eq!(header(&head, "Subject"), Some("Abwesenheitsnotiz"));
    assert_eq!(header(&head, "Precedence"), Some("bulk"));
    let body = String::from_utf8_lossy(vacation);
    assert!(
        body.contains("Ich bin bis einschließlich 12. Januar nicht im Büro"),
        "{body}"
    );

    let bounce = inbox
        .iter()
        .find(|m| !std::ptr::eq(*m, vacation))
        .expect("the other message is the bounce");
    let head = headers(bounce);
    let ctype = header(&head, "Content-Type").expect("Content-Type");
    assert!(ctype.starts_with("multipart/report"), "{ctype}");
    assert!(ctype.contains("report-type=delivery-status"), "{ctype}");
    let text = String::from_utf8_lossy(bounce);
    assert!(
        text.contains("Final-Recipient: rfc822; nobody@lead.test"),
        "{text}"
    );
    assert!(text.contains("Status: 5.1.1"), "{text}");
    assert!(
        text.contains("<step-2@example.test>"),
        "the original comes back attached"
    );

    // The same two messages over IMAP, read with BODY.PEEK: nothing gets marked \Seen.
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", stack.imap_port()))
        .await
        .expect("connect IMAP");
    let mut client = async_imap::Client::new(tcp);
    client
        .read_response()
        .await
        .expect("read greeting")
        .expect("a greeting");
    let mut session = client
        .login(SALES, PASSWORD)
        .await
        .map_err(|(e, _)| e)
        .expect("IMAP login");
    let mailbox = session.select("INBOX").await.expect("select INBOX");
    assert_eq!(mailbox.exists, 2);
    for _ in 0..2 {
        let fetched: Vec<_> = session
            .uid_fetch("1:*", "(UID FLAGS BODY.PEEK[])")
            .await
            .expect("UID FETCH")
            .try_collect()
            .await
            .expect("fetch responses");
        assert_eq!(fetched.len(), 2);
        for f in &fetched {
            assert!(f.uid.is_some());
            assert!(
                !f.flags().any(|fl| fl == async_imap::types::Flag::Seen),
                "BODY.PEEK set \\Seen"
            );
        }
        let bodies: Vec<String> = fetched
            .iter()
            .map(|f| String::from_utf8_lossy(f.body().expect("body")).into_owned())
            .collect();
        assert!(bodies.iter().any(|b| b.contains("Auto-Submitted: auto-replied")));
        assert!(bodies.iter().any(|b| b.contains("report-type=delivery-status")));
    }
    session.logout().await.expect("logout");
}

#[tokio::test]
async fn mail_waits_in_postfix_while_dovecot_is_down() {
    let stack = MailStack::start(1);
    stack.stop_imap();
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", stack.imap_port()))
            .await
            .is_err(),
        "IMAP refuses connections while Dovecot is stopped"
    );

    send(
        &stack,
        step("lead1@lead.test", "While you were down", "<queued@example.test>"),
    )
    .await;
    assert!(stack.maildir_messages("lead1").is_empty());

    stack.start_imap();
    let msgs = stack.wait_for_messages("lead1", 1, WAIT).await;
    assert_eq!(
        header(&headers(&msgs[0]), "Message-ID"),
        Some("<queued@example.test>")
    );

    stack.stop_smtp();
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", stack.smtp_port()))
        .await
        .is_err());
    stack.start_smtp();
    send(
        &stack,
        step("lead1@lead.test", "Back again", "<after-restart@example.test>"),
    )
    .await;
    stack.wait_for_messages("lead1", 2, WAIT).await;
}

/// The message of an error and of each of its sources, joined.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(" / ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// A transport to 127.0.0.1:`port` with the given TLS mode and, optionally, credentials.
fn mailer(port: u16, tls: Tls, creds: Option<(&str, &str)>) -> AsyncSmtpTransport<Tokio1Executor> {
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .timeout(Some(Duration::from_secs(20)))
        .tls(tls);
    if let Some((user, password)) = creds {
        b = b.credentials(Credentials::new(user.to_string(), password.to_string()));
    }
    b.build()
}

fn maillog(stack: &MailStack) -> String {
    std::fs::read_to_string(stack.dir().join("postfix/maillog")).unwrap_or_default()
}

#[tokio::test]
async fn starttls_and_implicit_tls_verify_against_the_stack_ca() {
    let stack = MailStack::start(1);

    // STARTTLS on the SMTP port, the certificate checked for "localhost".
    mailer(
        stack.smtp_port(),
        Tls::Required(stack.tls_parameters("localhost")),
        None,
    )
    .send(step(
        "lead1@lead.test",
        "Over STARTTLS",
        "<starttls@example.test>",
    ))
    .await
    .expect("STARTTLS with the stack's CA trusted");
    // Implicit TLS (like port 465), the certificate checked for the IP address.
    mailer(
        stack.smtps_port(),
        Tls::Wrapper(stack.tls_parameters("127.0.0.1")),
        None,
    )
    .send(step(
        "lead1@lead.test",
        "Over implicit TLS",
        "<smtps@example.test>",
    ))
    .await
    .expect("implicit TLS with the stack's CA trusted");
    stack.wait_for_messages("lead1", 2, WAIT).await;
    let log = maillog(&stack);
    assert!(
        log.matches("TLS connection established from localhost[127.0.0.1]")
            .count()
            >= 2,
        "Postfix logged both TLS sessions:\n{log}"
    );

    // Without the CA (only the public web roots lettre ships), or for a name the certificate
    // does not carry, the handshake fails and nothing is sent.
    let untrusted = || TlsParameters::builder("localhost".to_string()).build_rustls();
    let cases = [
        (
            "STARTTLS, CA not trusted",
            mailer(
                stack.smtp_port(),
                Tls::Required(untrusted().expect("tls params")),
                None,
            ),
            "UnknownIssuer",
        ),
        (
            "implicit TLS, CA not trusted",
            mailer(
                stack.smtps_port(),
                Tls::Wrapper(untrusted().expect("tls params")),
                None,
            ),
            "UnknownIssuer",
        ),
        (
            "STARTTLS, wrong name",
            mailer(
                stack.smtp_port(),
                Tls::Required(stack.tls_parameters("mx.example.test")),
                None,
            ),
            "not valid for name",
        ),
    ];
    for (what, transport, reason) in cases {
        let err = transport
            .send(step("lead1@lead.test", what, "<untrusted@example.test>"))
            .await
            .expect_err(what);
        let text = chain(&err);
        assert!(
            text.contains("invalid peer certificate") && text.contains(reason),
            "{what}: {text}"
        );
        assert!(err.status().is_none(), "{what}: no SMTP answer involved: {text}");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(stack.maildir_messages("lead1").len(), 2, "nothing more arrived");
}

#[tokio::test]
async fn smtp_auth_checks_the_password_with_dovecot() {
    let stack = MailStack::start(1);

    // Right password: over STARTTLS, and over plain SMTP (allowed on loopback).
    mailer(
        stack.smtp_port(),
        Tls::Required(stack.tls_parameters("localhost")),
        Some((SALES, PASSWORD)),
    )
    .send(step(
        "lead1@lead.test",
        "Authenticated",
        "<auth-tls@example.test>",
    ))
    .await
    .expect("AUTH with the right password over STARTTLS");
    mailer(stack.smtp_port(), Tls::None, Some((SALES, PASSWORD)))
        .send(step(
            "lead1@lead.test",
            "Authenticated, plain",
            "<auth-plain@example.test>",
        ))
        .await
        .expect("AUTH with the right password without TLS");
    stack.wait_for_messages("lead1", 2, WAIT).await;
    let log = maillog(&stack);
    assert!(
        log.matches("sasl_username=sales@example.test").count() >= 2,
        "Postfix logged both logins:\n{log}"
    );

    // Wrong password: a real 535 5.7.8, over implicit TLS and without TLS.
    for (what, transport) in [
        (
            "implicit TLS",
            mailer(
                stack.smtps_port(),
                Tls::Wrapper(stack.tls_parameters("localhost")),
                Some((SALES, "wrong")),
            ),
        ),
        (
            "plain",
            mailer(stack.smtp_port(), Tls::None, Some((SALES, "wrong"))),
        ),
    ] {
        let err = transport
            .send(step(
                "lead1@lead.test",
                "Wrong password",
                "<auth-bad@example.test>",
            ))
            .await
            .expect_err(what);
        assert_eq!(err.status().map(u16::from), Some(535), "{what}: {}", chain(&err));
        assert!(err.is_permanent(), "{what}: {}", chain(&err));
        assert!(chain(&err).contains("5.7.8"), "{what}: {}", chain(&err));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(stack.maildir_messages("lead1").len(), 2, "nothing more arrived");
}

#[tokio::test]
async fn refused_recipients_fail_at_send_time_until_accepted() {
    let stack = MailStack::start(2);
    stack.refuse_recipient("lead1", "550 5.1.1 mailbox unavailable");
    stack.refuse_recipient("lead2@lead.test", "451 4.7.1 try again later");

    let err = mailer(stack.smtp_port(), Tls::None, None)
        .send(step("lead1@lead.test", "Refused", "<refused-5xx@example.test>"))
        .await
        .expect_err("550 at RCPT");
    assert_eq!(err.status().map(u16::from), Some(550), "{}", chain(&err));
    assert!(err.is_permanent(), "{}", chain(&err));
    assert!(chain(&err).contains("mailbox unavailable"), "{}", chain(&err));

    let err = mailer(stack.smtp_port(), Tls::None, None)
        .send(step("lead2@lead.test", "Deferred", "<refused-4xx@example.test>"))
        .await
        .expect_err("451 at RCPT");
    assert_eq!(err.status().map(u16::from), Some(451), "{}", chain(&err));
    assert!(err.is_transient(), "{}", chain(&err));
    assert!(chain(&err).contains("try again later"), "{}", chain(&err));

    // Refusals apply to authenticated clients and TLS ports alike.
    let err = mailer(
        stack.smtps_port(),
        Tls::Wrapper(stack.tls_parameters("localhost")),
        Some((SALES, PASSWORD)),
    )
    .send(step("lead1@lead.test", "Refused", "<refused-auth@example.test>"))
    .await
    .expect_err("550 at RCPT, authenticated");
    assert_eq!(err.status().map(u16::from), Some(550), "{}", chain(&err));

    stack.accept_recipient("lead1");
    stack.accept_recipient("lead2@lead.test");
    for lead in ["lead1", "lead2"] {
        mailer(stack.smtp_port(), Tls::None, None)
            .send(step(
                &format!("{lead}@lead.test"),
                "Accepted",
                "<accepted@example.test>",
            ))
            .await
            .expect("accepted again");
        let msgs = stack.wait_for_messages(lead, 1, WAIT).await;
        assert_eq!(msgs.len(), 1, "only the accepted step reached {lead}");
    }
    // Refused at RCPT: Postfix never took the messages, so no bounce either.
    assert!(stack.maildir_messages(SALES).is_empty());
}

/// A rustls connector trusting `ca` (the stack's CA file) or, without it, only the public web
/// roots, as a client configured for a real provider would.
fn tls_connector(ca: Option<&Path>) -> tokio_rustls::TlsConnector {
    // Installed once per process; an error means a provider is there already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(ca) => {
            for cert in CertificateDer::pem_file_iter(ca).expect("read the CA file") {
                roots.add(cert.expect("a PEM certificate")).expect("add the CA");
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

/// Logs in as sales over an IMAP stream whose greeting is next, and checks INBOX can be selected.
async fn imap_login<S>(stream: S)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    let mut client = async_imap::Client::new(stream);
    client
        .read_response()
        .await
        .expect("read greeting")
        .expect("a greeting");
    let mut session = client
        .login(SALES, PASSWORD)
        .await
        .map_err(|(e, _)| e)
        .expect("IMAP login");
    session.select("INBOX").await.expect("select INBOX");
    session.logout().await.expect("logout");
}

fn server_name(name: &str) -> ServerName<'static> {
    ServerName::try_from(name.to_string()).expect("a server name")
}

#[tokio::test]
async fn imap_over_tls_verifies_against_the_stack_ca() {
    let stack = MailStack::start(1);
    let ca = stack.ca_file();
    let imaps = || tokio::net::TcpStream::connect(("127.0.0.1", stack.imaps_port()));

    // Implicit TLS (like 993), for both names the certificate carries.
    for name in ["localhost", "127.0.0.1"] {
        let tls = tls_connector(Some(&ca))
            .connect(server_name(name), imaps().await.expect("connect IMAPS"))
            .await
            .unwrap_or_else(|e| panic!("TLS handshake for {name}: {e}"));
        imap_login(tls).await;
    }

    // STARTTLS on the plain IMAP port.
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", stack.imap_port()))
        .await
        .expect("connect IMAP");
    let mut client = async_imap::Client::new(tcp);
    client
        .read_response()
        .await
        .expect("read greeting")
        .expect("a greeting");
    client
        .run_command_and_check_ok("STARTTLS", None)
        .await
        .expect("STARTTLS");
    let tls = tls_connector(Some(&ca))
        .connect(server_name("localhost"), client.into_inner())
        .await
        .expect("TLS handshake after STARTTLS");
    // A STARTTLS session starts without a greeting: log in directly.
    let mut session = async_imap::Client::new(tls)
        .login(SALES, PASSWORD)
        .await
        .map_err(|(e, _)| e)
        .expect("IMAP login after STARTTLS");
    session.select("INBOX").await.expect("select INBOX");
    session.logout().await.expect("logout");

    // Without the CA, or for a name the certificate does not carry: the handshake fails.
    let err = tls_connector(None)
        .connect(server_name("localhost"), imaps().await.expect("connect IMAPS"))
        .await
        .expect_err("the stack's CA is not a public one");
    assert!(err.to_string().contains("UnknownIssuer"), "{err}");
    let err = tls_connector(Some(&ca))
        .connect(
            server_name("imap.example.test"),
            imaps().await.expect("connect IMAPS"),
        )
        .await
        .expect_err("the certificate is for localhost and 127.0.0.1 only");
    assert!(err.to_string().contains("not valid for name"), "{err}");
}

#[test]
fn the_oauth_stack_refuses_passwords() {
    // What the OAuth2 tests rely on: a login there was made with a token, as at a provider
    // that accepts nothing else. The right password, refused by IMAP and by SMTP AUTH.
    use crate::support::config::{self, Mailbox};
    let stack = MailStack::start_with_oauth(1);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.pass"), format!("{PASSWORD}\n")).expect("pass");
    let sales = Mailbox::new("sales", SALES, stack.imap_port(), stack.smtp_port())
        .password_file("good.pass")
        .smtp_auth();
    let config = config::write(dir.path(), "", &[sales]);
    let out = crate::support::daemon::cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "FAIL mailbox sales imap 127.0.0.1:{}: login as {SALES} refused",
            stack.imap_port()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "FAIL mailbox sales smtp 127.0.0.1:{}:",
            stack.smtp_port()
        )),
        "{text}"
    );
}
