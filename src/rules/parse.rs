//! Raw mail bytes to our [`Reply`]. The only file that knows mail-parser: no mail-parser type
//! escapes it.
//!
//! Liberal in what it accepts (P10): odd charsets, broken MIME and huge bodies give a
//! best-effort reply; only bytes that are not a message at all give an error.
//!
//! **Invariant:** pure; never panics.

use chrono::{DateTime, FixedOffset};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

use crate::rules::reply::{DeliveryReport, DsnRecipient, Reply};
use crate::rules::text;

/// At most this many bytes of a raw message are parsed; the rest is ignored (its size is
/// still reported in [`Reply::raw_size`]).
pub const MAX_RAW_BYTES: usize = 2 * 1024 * 1024;

/// At most this many bytes of a header value are kept.
const MAX_HEADER_VALUE: usize = 4096;

/// At most this many headers are kept.
const MAX_HEADERS: usize = 200;

/// The bytes are not a mail message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The input is empty.
    #[error("empty input")]
    Empty,
    /// No header could be found.
    #[error("not a mail message: no headers found")]
    NoHeaders,
}

/// Parses raw mail into a [`Reply`], with the text already prepared
/// (see [`text::prepare`]).
///
/// # Errors
/// When `raw` is empty or has no headers.
pub fn parse(raw: &[u8]) -> Result<Reply, ParseError> {
    if raw.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ParseError::Empty);
    }
    // Some stores write blank lines (or an mbox-style "From " line's leftovers of CR/LF)
    // before the header block, some a UTF-8 byte-order mark (and some both, in either
    // order); a message is still a message.
    let mut raw = raw;
    loop {
        let bom = if raw.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
        let leading = raw[bom..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t'))
            .count();
        if bom + leading == 0 {
            break;
        }
        raw = &raw[bom + leading..];
    }
    let considered = &raw[..raw.len().min(MAX_RAW_BYTES)];
    let message = MessageParser::default()
        .parse(considered)
        .ok_or(ParseError::NoHeaders)?;
    // mail-parser accepts almost anything as a header block; a message needs at least one
    // header field that we can name.
    let mut headers = Vec::with_capacity(message.headers().len().min(MAX_HEADERS));
    for (name, value) in message.headers_raw().take(MAX_HEADERS) {
        let value = text::truncate(value, MAX_HEADER_VALUE);
        headers.push((name.to_ascii_lowercase(), unfold(value)));
    }
    if headers.is_empty() || !headers.iter().any(|(n, _)| is_known_header(n)) {
        return Err(ParseError::NoHeaders);
    }

    let from_addr = message.from().and_then(|a| a.first());
    let date = message
        .date()
        .and_then(|d| DateTime::<FixedOffset>::parse_from_rfc3339(&d.to_rfc3339()).ok());
    let content_type = message.content_type().map(|ct| match ct.subtype() {
        Some(sub) => format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase(),
        None => ct.ctype().to_ascii_lowercase(),
    });
    let report_type = message
        .content_type()
        .filter(|ct| {
            ct.ctype().eq_ignore_ascii_case("multipart")
                && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
        })
        .and_then(|ct| ct.attribute("report-type"))
        .map(|t| t.to_ascii_lowercase());

    let mut report = None;
    if let Some(report_type) = report_type {
        let mut recipients = Vec::new();
        for part in message.parts.iter() {
            let is_status = part.content_type().is_some_and(|ct| {
                ct.ctype().eq_ignore_ascii_case("message")
                    && ct.subtype().is_some_and(|s| {
                        s.eq_ignore_ascii_case("delivery-status")
                            || s.eq_ignore_ascii_case("global-delivery-status")
                    })
            });
            if !is_status {
                continue;
            }
            let contents: &[u8] = match &part.body {
                PartType::Text(t) | PartType::Html(t) => t.as_bytes(),
                PartType::Binary(b) | PartType::InlineBinary(b) => b,
                PartType::Message(_) | PartType::Multipart(_) => continue,
            };
            recipients.extend(parse_delivery_status(&String::from_utf8_lossy(contents)));
        }
        report = Some(DeliveryReport {
            report_type,
            recipients,
        });
    }

    let body = message.body_text(0).map(|b| b.into_owned()).unwrap_or_default();
    let body = if body.contains(char::REPLACEMENT_CHARACTER) {
        misdeclared_charset(&message).unwrap_or(body)
    } else {
        body
    };
    let body = doubly_decoded(&body).unwrap_or(body);
    // A message the writer passed on (attached, or inline after a forward separator): its
    // sender and subject become the `:forwarded-from` / `:forwarded-subject` pseudo-headers,
    // so that a bounce a person forwarded reads as the bounce it is (`rules/bounce.toml`,
    // "forwarded-bounce"). A report's own attached message is the one that failed (ours),
    // not a forward, and is left alone.
    let forwarded = if report.is_some() {
        None
    } else {
        attached_message(&message)
            .or_else(|| text::forwarded_header_block(&body, message.subject().unwrap_or_default()))
    };
    if let Some((from, subject)) = forwarded {
        if !subject.is_empty() {
            headers.insert(0, (":forwarded-subject".to_string(), unfold(&subject)));
        }
        if !from.is_empty() {
            headers.insert(0, (":forwarded-from".to_string(), unfold(&from)));
        }
    }
    // The first iCalendar part, whatever the part type mail-parser gave it.
    let calendar = message.parts.iter().find_map(|part| {
        let ct = part.content_type()?;
        let sub = ct.subtype().unwrap_or("");
        let is_calendar = (ct.ctype().eq_ignore_ascii_case("text") && sub.eq_ignore_ascii_case("calendar"))
            || (ct.ctype().eq_ignore_ascii_case("application") && sub.eq_ignore_ascii_case("ics"));
        if !is_calendar {
            return None;
        }
        let contents: &[u8] = match &part.body {
            PartType::Text(t) | PartType::Html(t) => t.as_bytes(),
            PartType::Binary(b) | PartType::InlineBinary(b) => b,
            PartType::Message(_) | PartType::Multipart(_) => return None,
        };
        let text = String::from_utf8_lossy(contents);
        Some(text::truncate(&text, crate::rules::meeting::MAX_CALENDAR_BYTES).to_string())
    });
    Ok(Reply {
        calendar,
        from: from_addr
            .and_then(|a| a.address())
            .map(|a| a.trim().to_ascii_lowercase()),
        from_name: from_addr.and_then(|a| a.name()).map(|n| n.to_string()),
        subject: text::truncate(message.subject().unwrap_or_default(), text::MAX_SUBJECT_BYTES).to_string(),
        date,
        message_id: message.message_id().map(|id| id.to_string()),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        headers,
        content_type,
        report,
        text: text::prepare(&body),
        raw_size: raw.len(),
    })
}

/// The sender ("Name <address>") and subject of the first attached `message/rfc822` part.
fn attached_message(message: &mail_parser::Message<'_>) -> Option<(String, String)> {
    message.parts.iter().find_map(|part| {
        let PartType::Message(inner) = &part.body else {
            return None;
        };
        let from = inner
            .from()
            .and_then(|a| a.first())
            .map(|a| match (a.name(), a.address()) {
                (Some(name), Some(address)) => format!("{name} <{address}>"),
                (None, Some(address)) => address.to_string(),
                (Some(name), None) => name.to_string(),
                (None, None) => String::new(),
            });
        let subject = inner.subject().unwrap_or_default();
        let subject = text::truncate(subject, text::MAX_SUBJECT_BYTES).to_string();
        Some((from.unwrap_or_default(), subject))
    })
}

/// UTF-8 text that a mailer or a copy-and-paste read once more as Windows-1252 / Latin-1:
/// "zurÃ¼ck", "RÃ¼ckkehr", "â€“", the bytes of each letter shown as two or three
/// characters. The rules and dates would miss every accented word, so the text is mapped
/// back to those bytes and read as UTF-8. Only when it looks doubly decoded (a lead byte's
/// character followed by a continuation byte's) and the whole text maps back to valid UTF-8:
/// text with genuine accented letters has lone ones ("café") that are no valid UTF-8 as
/// bytes, so it is left as it is.
fn doubly_decoded(text: &str) -> Option<String> {
    /// Windows-1252's characters for the bytes 0x80-0x9F (where Latin-1 has controls).
    const CP1252_HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8a),
        ('‹', 0x8b),
        ('Œ', 0x8c),
        ('Ž', 0x8e),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9a),
        ('›', 0x9b),
        ('œ', 0x9c),
        ('ž', 0x9e),
        ('Ÿ', 0x9f),
    ];
    let byte = |c: char| -> Option<u8> {
        match u32::from(c) {
            n @ 0..=0xff => u8::try_from(n).ok(),
            _ => CP1252_HIGH.iter().find(|(k, _)| *k == c).map(|(_, b)| *b),
        }
    };
    // Every doubly decoded letter shows as 'Ã' or 'Â' (two-byte letters) or 'â' (three-byte
    // marks); most texts have none of them, and a substring search is cheap.
    if !(text.contains('Ã') || text.contains('Â') || text.contains('â')) {
        return None;
    }
    let looks_doubled = text.chars().zip(text.chars().skip(1)).any(|(a, b)| {
        matches!(u32::from(a), 0xc2..=0xf4) && byte(b).is_some_and(|b| (0x80..=0xbf).contains(&b))
    });
    if !looks_doubled {
        return None;
    }
    let bytes: Option<Vec<u8>> = text.chars().map(byte).collect();
    String::from_utf8(bytes?).ok()
}

/// The body text of a part whose bytes are not in the charset it declares: a mailer that
/// says UTF-8 (or nothing) and writes Windows-1252 / Latin-1, common in old auto-responders.
/// mail-parser replaces each such byte with U+FFFD ("zur\u{FFFD}ck"), which hides the words the
/// rules and dates look for; decoding the same bytes as Windows-1252 (a superset of Latin-1
/// in its printable range) gives them back. `None` when the bytes are valid UTF-8 (the
/// replacement characters were really there) or the part cannot be read again.
fn misdeclared_charset(message: &mail_parser::Message<'_>) -> Option<String> {
    use mail_parser::decoders::{
        base64::base64_decode, charsets::map::charset_decoder, quoted_printable::quoted_printable_decode,
    };
    use mail_parser::Encoding;

    let part = message.text_part(0)?;
    let raw = message
        .raw_message()
        .get(usize::try_from(part.offset_body).ok()?..usize::try_from(part.offset_end).ok()?)?;
    let bytes = match part.encoding {
        Encoding::None => raw.to_vec(),
        Encoding::QuotedPrintable => quoted_printable_decode(raw)?,
        Encoding::Base64 => base64_decode(raw)?,
    };
    if std::str::from_utf8(&bytes).is_ok() {
        return None;
    }
    let text = charset_decoder(b"windows-1252")?(&bytes);
    match &part.body {
        PartType::Html(_) => Some(mail_parser::decoders::html::html_to_text(&text)),
        _ => Some(text),
    }
}

/// Whether a lowercase header name is one a mail message would carry.
fn is_known_header(name: &str) -> bool {
    matches!(
        name,
        "from"
            | "to"
            | "subject"
            | "date"
            | "message-id"
            | "received"
            | "return-path"
            | "content-type"
            | "mime-version"
            | "sender"
            | "reply-to"
            | "in-reply-to"
            | "references"
            | "delivered-to"
    ) || name.starts_with("x-")
}

/// Unfolds a raw header value onto one line.
fn unfold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 {
            out.push(' ');
            out.push_str(line.trim_start());
        } else {
            out.push_str(line.trim());
        }
    }
    out.trim().to_string()
}

/// Message ids of an `In-Reply-To` or `References` header.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The per-recipient blocks of a `message/delivery-status` body (RFC 3464 section 2).
fn parse_delivery_status(body: &str) -> Vec<DsnRecipient> {
    let mut out = Vec::new();
    let body = text::truncate(body, 64 * 1024).replace("\r\n", "\n");
    // Unfold continuation lines first.
    let unfolded = body.replace("\n ", " ").replace("\n\t", " ");
    for block in unfolded.split("\n\n") {
        let mut recipient = DsnRecipient::default();
        let mut is_recipient = false;
        for line in block.lines() {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let address = || {
                // "rfc822; user@example.com" -> "user@example.com"
                let addr = value.split_once(';').map(|(_, a)| a).unwrap_or(value);
                addr.trim()
                    .trim_matches(|c| c == '<' || c == '>')
                    .to_ascii_lowercase()
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "final-recipient" => {
                    recipient.final_recipient = Some(address());
                    is_recipient = true;
                }
                "original-recipient" => recipient.original_recipient = Some(address()),
                "action" => {
                    recipient.action = Some(value.to_ascii_lowercase());
                    is_recipient = true;
                }
                "status" => {
                    recipient.status = value.split_whitespace().next().map(|s| s.to_string());
                    is_recipient = true;
                }
                "diagnostic-code" => recipient.diagnostic = Some(text::truncate(value, 1024).to_string()),
                _ => {}
            }
        }
        if is_recipient && out.len() < 100 {
            out.push(recipient);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blank lines and a byte-order mark before the header block, in either order, are
    /// skipped: the headers are read, not refused as "not a mail message".
    #[test]
    fn leading_blank_lines_and_bom_are_skipped() {
        let head = "From: MAILER-DAEMON@mx.example.net\r\nSubject: Returned mail\r\n\r\nGone.\r\n";
        for prefix in [
            "\r\n\r\n",
            "\n \n",
            "\u{feff}",
            "\u{feff}\r\n\r\n",
            "\r\n\u{feff}",
        ] {
            let reply = parse(format!("{prefix}{head}").as_bytes()).expect("parses");
            assert_eq!(reply.subject, "Returned mail", "{prefix:?}");
            assert_eq!(reply.from.as_deref(), Some("mailer-daemon@mx.example.net"));
        }
        assert_eq!(parse("\u{feff}\r\n".as_bytes()), Err(ParseError::NoHeaders));
    }

    #[test]
    fn not_a_message() {
        assert_eq!(parse(b""), Err(ParseError::Empty));
        assert_eq!(parse(b"   \n"), Err(ParseError::Empty));
        assert!(parse(b"\x00\x01\x02 hello there").is_err());
    }

    /// A body that declares UTF-8 (or nothing) but is written in Latin-1 / Windows-1252,
    /// raw or quoted-printable, is read as Windows-1252; real replacement characters in
    /// valid UTF-8 stay.
    #[test]
    fn misdeclared_charset_is_read_as_windows_1252() {
        let head = "From: a@example.de\r\nSubject: Abwesenheit\r\nMessage-ID: <m@x>\r\n";
        let mut raw = format!(
            "{head}Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        )
        .into_bytes();
        raw.extend_from_slice(b"Ich kehre zur\xfcck am 14.12. \x96 Gr\xfc\xdfe\r\n");
        let reply = parse(&raw).expect("parses");
        assert_eq!(reply.text, "Ich kehre zurück am 14.12. – Grüße");

        let qp = format!(
            "{head}Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBis 11.12. nicht im B=FCro.\r\n"
        );
        let reply = parse(qp.as_bytes()).expect("parses");
        assert_eq!(reply.text, "Bis 11.12. nicht im Büro.");

        let genuine =
            format!("{head}Content-Type: text/plain; charset=utf-8\r\n\r\nbroken \u{FFFD} here\r\n");
        let reply = parse(genuine.as_bytes()).expect("parses");
        assert_eq!(reply.text, "broken \u{FFFD} here");
    }

    /// UTF-8 shown as Windows-1252 ("zurÃ¼ck") is read back as the UTF-8 it was; text with
    /// genuine accented letters, or a doubled look-alike among them, is left alone.
    #[test]
    fn doubly_decoded_text_is_read_back() {
        let head =
            "From: a@example.de\r\nSubject: Abwesenheit\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
        let reply =
            parse(format!("{head}Ich kehre zurÃ¼ck am 14.12. â€“ GrÃ¼ÃŸe\r\n").as_bytes()).expect("parses");
        assert_eq!(reply.text, "Ich kehre zurück am 14.12. – Grüße");
        for kept in ["Ich bin zurück am 14.12.", "Prix: 10Â° et café", "plain ascii"] {
            let reply = parse(format!("{head}{kept}\r\n").as_bytes()).expect("parses");
            assert_eq!(reply.text, kept);
        }
    }

    #[test]
    fn simple_message() {
        let raw = b"From: Jane <Jane@Example.DE>\r\nSubject: Re: Hi\r\nDate: Tue, 1 Dec 2026 10:00:00 +0100\r\nMessage-ID: <a@b>\r\nIn-Reply-To: <x@y>\r\nAuto-Submitted: auto-replied\r\n\r\nThanks!\r\n\r\nOn Mon, Jane wrote:\r\n> hi\r\n";
        let reply = parse(raw).expect("parses");
        assert_eq!(reply.from.as_deref(), Some("jane@example.de"));
        assert_eq!(reply.message_id.as_deref(), Some("a@b"));
        assert_eq!(reply.in_reply_to, vec!["x@y".to_string()]);
        assert_eq!(reply.header("auto-submitted"), Some("auto-replied"));
        assert_eq!(reply.text, "Thanks!");
        assert_eq!(reply.sender_region().as_deref(), Some("de"));
        assert_eq!(
            reply.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-12-01T10:00:00+01:00")
        );
    }

    #[test]
    fn dsn() {
        let raw = "From: MAILER-DAEMON@mx.example.com\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; lead1@lead.test\r\nOriginal-Recipient: rfc822;Lead1@lead.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: x-unix; unknown user\r\n\r\n--B--\r\n";
        let reply = parse(raw.as_bytes()).expect("parses");
        let report = reply.report.expect("report");
        assert_eq!(report.report_type, "delivery-status");
        assert_eq!(report.recipients.len(), 1);
        assert_eq!(report.recipients[0].status.as_deref(), Some("5.1.1"));
        assert_eq!(report.recipients[0].action.as_deref(), Some("failed"));
        assert_eq!(
            report.recipients[0].original_recipient.as_deref(),
            Some("lead1@lead.test")
        );
        assert!(report.has_permanent_failure());
        assert_eq!(reply.text, "Sorry.");
    }
}
