//! `cadenced-bench classify`: parse + classify + date extraction on one thread.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use chrono::DateTime;

use cadenced::rules::{analyze, Category, RuleSet};

/// `cadenced-bench classify`: parse + classify + date extraction throughput on one thread.
///
/// `corpus` is a file or folder of messages (as for `explain`); without it a synthetic corpus
/// of realistic replies in the seven languages is built. `messages` messages are analysed,
/// cycling through the corpus.
///
/// # Errors
/// When the corpus cannot be read or is empty.
pub fn run(corpus: Option<&Path>, messages: usize) -> anyhow::Result<()> {
    let rules = RuleSet::shipped()?;
    let samples: Vec<Vec<u8>> = match corpus {
        Some(path) => cadenced::cli::rules::read_messages(path)?,
        None => synthetic_corpus(),
    };
    anyhow::ensure!(!samples.is_empty(), "the corpus is empty");
    let tz = chrono_tz::Europe::Berlin;
    let fallback = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00")?;
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut errors = 0usize;
    let mut dates = 0usize;
    let bytes: usize = (0..messages).map(|i| samples[i % samples.len()].len()).sum();
    let cpu_started = thread_cpu_seconds();
    let started = Instant::now();
    for i in 0..messages {
        match analyze(&samples[i % samples.len()], &rules, tz, fallback) {
            Ok(analysis) => {
                *counts
                    .entry(analysis.classification.category.as_str())
                    .or_default() += 1;
                dates += usize::from(analysis.return_date.is_some());
            }
            Err(_) => errors += 1,
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-9);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{messages} messages ({} distinct, {:.1} MB) in {:.3} s: {:.0} messages/s on one thread",
        samples.len(),
        bytes as f64 / 1e6,
        elapsed,
        messages as f64 / elapsed
    )?;
    // On a busy machine the wall clock understates what one core does; the thread's own CPU
    // time says it (Linux only).
    if let (Some(before), Some(after)) = (cpu_started, thread_cpu_seconds()) {
        let cpu = (after - before).max(1e-9);
        writeln!(
            out,
            "  CPU time {cpu:.3} s: {:.0} messages/s per core",
            messages as f64 / cpu
        )?;
    }
    for category in Category::ALL {
        let count = counts.get(category.as_str()).copied().unwrap_or(0);
        writeln!(out, "  {:<14} {count}", category.as_str())?;
    }
    writeln!(out, "  with a return date: {dates}; unparseable: {errors}")?;
    Ok(())
}

/// This thread's CPU time in seconds, from `/proc/thread-self/schedstat` (Linux).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// A synthetic corpus: realistic replies of every category in the seven languages, with
/// variations of names, dates, quoted history and signatures.
fn synthetic_corpus() -> Vec<Vec<u8>> {
    let firsts = [
        "Anna", "Jonas", "Marie", "Lucía", "Giulia", "Daan", "João", "Emily",
    ];
    let domains = [
        "example.de",
        "example.fr",
        "example.es",
        "example.it",
        "example.nl",
        "example.pt",
        "example.com",
    ];
    let texts: &[(&str, &str, &str)] = &[
        ("Automatic reply: Quick question", "X-MS-Exchange-Inbox-Rules-Loop: {addr}\nAuto-Submitted: auto-generated\n", "Thank you for your email. I am out of the office until June 15 with limited access to email. For urgent matters please contact support@{domain}."),
        ("Automatische Antwort: Kurze Frage", "Auto-Submitted: auto-replied\n", "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 12. Januar nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an kollegen@{domain}."),
        ("Réponse automatique : Question rapide", "Auto-Submitted: auto-replied (vacation)\n", "Bonjour, je suis absente du bureau jusqu'au 3 mars inclus. Je traiterai votre message à mon retour."),
        ("Respuesta automática: Pregunta rápida", "Auto-Submitted: auto-replied\n", "Gracias por su mensaje. Estaré fuera de la oficina hasta el 20 de abril. Para asuntos urgentes contacte con ventas@{domain}."),
        ("Risposta automatica: Domanda veloce", "Auto-Submitted: auto-replied\n", "Grazie per la sua email. Sono fuori ufficio fino al 10 agosto con accesso limitato alla posta."),
        ("Automatisch antwoord: Korte vraag", "Auto-Submitted: auto-replied\n", "Bedankt voor uw bericht. Ik ben afwezig tot en met 14 juli en lees mijn e-mail niet."),
        ("Resposta automática: Pergunta rápida", "Auto-Submitted: auto-replied\n", "Obrigado pela sua mensagem. Estarei fora do escritório até 5 de setembro."),
        ("Re: Quick question", "X-Auto-Response-Suppress: All\n", "Hi, thanks for reaching out. Sounds interesting, can you send me some pricing details?\n\nBest,\n{first}"),
        ("AW: Kurze Frage", "", "Hallo, danke für die Nachricht. Bitte melden Sie sich im Januar noch einmal, dann haben wir das Budget.\n\nGruß\n{first}"),
        ("Re: Question rapide", "", "Merci de ne plus m'envoyer de messages. Je souhaite me désinscrire de votre liste."),
        ("RE: Pregunta rápida", "", "Hola, ahora no es buen momento. Escríbeme de nuevo el próximo mes."),
        ("Re: Domanda veloce", "", "Per favore cancellami dalla vostra lista, non sono interessato."),
        ("Re: Korte vraag", "", "Interessant! Kunnen we volgende week even bellen? Groet, {first}"),
        ("Re: Pergunta rápida", "", "Por favor, descadastrar o meu e-mail. Não quero receber mais mensagens."),
        ("We received your request [#48213]", "Auto-Submitted: auto-generated\nX-Autoreply: yes\n", "Thank you for contacting support. This is an automated response confirming that we have received your request. A member of our team will get back to you shortly. Your ticket number is 48213."),
    ];
    let mut corpus = Vec::new();
    for (i, (subject, extra, body)) in texts.iter().enumerate() {
        for (j, first) in firsts.iter().enumerate() {
            let domain = domains[(i + j) % domains.len()];
            let addr = format!("{}@{domain}", first.to_lowercase());
            let extra = extra.replace("{addr}", &addr).replace('\n', "\r\n");
            let body = body.replace("{domain}", domain).replace("{first}", first);
            let quote = "\r\n\r\nOn Tue, Dec 1, 2026 at 10:00 AM Sales <sales@example.test> wrote:\r\n> Hi {first},\r\n> we help teams like yours ship faster. Would a call on June 15 work?\r\n> Best, Sales\r\n";
            let raw = format!(
                "Return-Path: <{addr}>\r\nReceived: from mx.{domain} by mx.example.test; Tue, 1 Dec 2026 10:00:{j:02} +0100\r\nFrom: {first} <{addr}>\r\nTo: sales@example.test\r\nSubject: {subject}\r\nDate: Tue, 1 Dec 2026 10:00:{j:02} +0100\r\nMessage-ID: <{i}.{j}@{domain}>\r\nIn-Reply-To: <step1.{j}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n{extra}\r\n{body}{}",
                quote.replace("{first}", first)
            );
            corpus.push(raw.into_bytes());
        }
    }
    let bounce = "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\nTo: sales@example.test\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: Tue, 1 Dec 2026 10:00:00 +0100\r\nMessage-ID: <bounce.{n}@mx.example.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B{n}\"\r\n\r\n--B{n}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThis is the mail system at host mx.example.test.\r\n\r\nI'm sorry to have to inform you that your message could not\r\nbe delivered to one or more recipients.\r\n\r\n<lead{n}@lead.test>: unknown user: \"lead{n}\"\r\n\r\n--B{n}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; lead{n}@lead.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: x-unix; unknown user\r\n\r\n--B{n}--\r\n";
    for n in 0..8 {
        corpus.push(bounce.replace("{n}", &n.to_string()).into_bytes());
    }
    corpus
}

/// Every message of the built-in corpus parses (what `cargo test` checks of this target).
///
/// # Errors
/// When one does not.
pub fn check_corpus() -> anyhow::Result<()> {
    let rules = RuleSet::shipped()?;
    let fallback = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00")?;
    for (i, raw) in synthetic_corpus().iter().enumerate() {
        analyze(raw, &rules, chrono_tz::UTC, fallback)
            .map_err(|e| anyhow::anyhow!("built-in corpus message {i}: {e}"))?;
    }
    Ok(())
}
