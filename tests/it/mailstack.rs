//! The real mail stack itself (tests/it/support/mailstack.rs): proves that what the end-to-end
//! tests build on works. Postfix accepts our SMTP, Dovecot delivers over LMTP, a Sieve vacation
//! answers like a person's out-of-office, unknown recipients bounce back as RFC 3464 reports,
//! IMAP shows all of it, and the fault switches (stop/start Dovecot) behave.

use std::time::Duration;

use futures::TryStreamExt;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

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
