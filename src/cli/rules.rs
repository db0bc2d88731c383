//! `cadenced rules test|explain` and the classification benchmark.
//!
//! Thin wrappers over [`crate::rules`]: they read files, call the pure code and print. Data
//! goes to stdout, one line per item; a message that cannot be read or parsed is reported on
//! its line and skipped, never stopping the run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::window::{ooo_resume_at, Window};
use crate::rules::{analyze, lang_tag, Analysis, Category, RuleSet};

/// How long an out-of-office lead without a return date stays paused (DESIGN.md default).
const OOO_DEFAULT_PAUSE_DAYS: i64 = 7;

/// `cadenced rules test [DIR]`: runs every rule file's `[[test]]` examples.
///
/// `dir` replaces the shipped rules when given; `extra_dirs` are the operator's directories
/// from the config, loaded after the shipped rules.
///
/// # Errors
/// When a rule file cannot be read or parsed.
pub fn test(dir: Option<&Path>, extra_dirs: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let rules = match dir {
        Some(dir) => {
            let mut dirs = vec![dir.to_path_buf()];
            dirs.extend(extra_dirs.iter().cloned());
            RuleSet::load_dirs(&dirs)?
        }
        None => RuleSet::load(extra_dirs)?,
    };
    let outcomes = rules.run_tests();
    let mut out = std::io::stdout().lock();
    let mut failed = 0;
    for outcome in &outcomes {
        if let Some(failure) = &outcome.failure {
            failed += 1;
            writeln!(
                out,
                "{}:{}: test \"{}\": {failure}",
                outcome.file, outcome.line, outcome.name
            )?;
        }
    }
    writeln!(out, "{} passed, {failed} failed", outcomes.len() - failed)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `cadenced rules explain PATH... [--json] [--tz ZONE]`.
///
/// PATH is an `.eml` file, a folder searched recursively for `*.eml` files and Maildirs, a
/// Maildir (`cur/` and `new/`), or an mbox file (first line starts with `From `; an mbox
/// message is reported as `path#N`, N counting from 1). `--tz` is the lead's timezone for the
/// resume instant (default UTC). A message without a `Date` header is taken as received at
/// its file's modification time.
///
/// # Errors
/// When the rules cannot be loaded or the timezone is unknown.
pub fn explain(
    paths: &[PathBuf],
    json: bool,
    tz: Option<&str>,
    extra_dirs: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let tz: Tz = match tz {
        Some(name) => name
            .parse()
            .map_err(|_| anyhow::anyhow!("unknown timezone {name:?}"))?,
        None => chrono_tz::UTC,
    };
    let rules = RuleSet::load(extra_dirs)?;
    let window = Window::default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut files = Vec::new();
    let mut visited = std::collections::HashSet::new();
    for path in paths {
        collect(path, &mut files, &mut visited);
    }
    if !json {
        writeln!(
            out,
            "FILE  {:<13} {:<28} {:<3} {:<10} {:<20} EVIDENCE",
            "CATEGORY", "RULE", "LNG", "RETURN", "RESUME_AT"
        )?;
    }
    // Exit 1 when nothing at all could be explained: a script must not read "0, done" from a
    // run in which every path was missing or unreadable.
    let (mut n_explained, mut n_failed) = (0usize, 0usize);
    for entry in files {
        match entry {
            Err((path, err)) => {
                n_failed += 1;
                print_line(&mut out, json, &ExplainLine::error(path, err))?
            }
            Ok(path) => {
                let bytes = match crate::input::read(&path, crate::input::MESSAGE_FILE) {
                    Ok(b) => b,
                    Err(e) => {
                        n_failed += 1;
                        print_line(
                            &mut out,
                            json,
                            &ExplainLine::error(path.display().to_string(), e.to_string()),
                        )?;
                        continue;
                    }
                };
                n_explained += 1;
                let received = std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .map(|t| DateTime::<Utc>::from(t).fixed_offset())
                    .unwrap_or_default();
                let name = path.display().to_string();
                if bytes.starts_with(b"From ") {
                    for (n, message) in split_mbox(&bytes).into_iter().enumerate() {
                        let line = explain_one(
                            format!("{name}#{}", n + 1),
                            &message,
                            &rules,
                            tz,
                            received,
                            &window,
                        );
                        print_line(&mut out, json, &line)?;
                    }
                } else {
                    let line = explain_one(name, &bytes, &rules, tz, received, &window);
                    print_line(&mut out, json, &line)?;
                }
            }
        }
    }
    out.flush()?;
    if n_explained == 0 && n_failed > 0 {
        eprintln!("cadenced: no message could be read ({n_failed} errors)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// `cadenced bench classify`: parse + classify + date extraction throughput on one thread.
///
/// `corpus` is a file or folder of messages (as for `explain`); without it a synthetic corpus
/// of realistic replies in the seven languages is built. `messages` messages are analysed,
/// cycling through the corpus.
///
/// # Errors
/// When the corpus cannot be read or is empty.
pub fn bench(corpus: Option<&Path>, messages: usize) -> anyhow::Result<()> {
    let rules = RuleSet::shipped()?;
    let samples: Vec<Vec<u8>> = match corpus {
        Some(path) => {
            let mut files = Vec::new();
            collect(path, &mut files, &mut std::collections::HashSet::new());
            let mut samples = Vec::new();
            for path in files.into_iter().flatten() {
                let bytes = crate::input::read(&path, crate::input::MESSAGE_FILE)?;
                if bytes.starts_with(b"From ") {
                    samples.extend(split_mbox(&bytes));
                } else {
                    samples.push(bytes);
                }
            }
            samples
        }
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

/// One line of `rules explain` output.
#[derive(Debug, Serialize)]
struct ExplainLine {
    file: String,
    message_id: Option<String>,
    category: Option<&'static str>,
    rule: Option<String>,
    language: Option<&'static str>,
    return_date: Option<NaiveDate>,
    resume_at: Option<String>,
    evidence: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl ExplainLine {
    fn error(file: String, error: String) -> ExplainLine {
        ExplainLine {
            file,
            message_id: None,
            category: None,
            rule: None,
            language: None,
            return_date: None,
            resume_at: None,
            evidence: None,
            error: Some(error),
        }
    }
}

fn explain_one(
    file: String,
    raw: &[u8],
    rules: &RuleSet,
    tz: Tz,
    received: DateTime<FixedOffset>,
    window: &Window,
) -> ExplainLine {
    let analysis: Analysis = match analyze(raw, rules, tz, received) {
        Ok(a) => a,
        Err(e) => return ExplainLine::error(file, e.to_string()),
    };
    let class = &analysis.classification;
    let return_date = analysis.return_date.as_ref().map(|r| r.date);
    let resume_at = match (class.category, return_date) {
        (Category::OutOfOffice, Some(day)) => Some(ooo_resume_at(day, 1, window, tz)),
        (Category::Callback, Some(day)) => Some(ooo_resume_at(day, 0, window, tz)),
        (Category::OutOfOffice, None) => {
            let at = analysis.reply.date.unwrap_or(received).with_timezone(&Utc)
                + Duration::days(OOO_DEFAULT_PAUSE_DAYS);
            Some(window.next_open_at_or_after(at, tz))
        }
        _ => None,
    };
    ExplainLine {
        file,
        message_id: analysis.reply.message_id.clone(),
        category: Some(class.category.as_str()),
        rule: class.rule.clone(),
        language: class.language.map(lang_tag),
        return_date,
        resume_at: resume_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        evidence: analysis.return_date.as_ref().map(|r| r.evidence.clone()),
        error: None,
    }
}

fn print_line(out: &mut impl Write, json: bool, line: &ExplainLine) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, line)?;
        writeln!(out)?;
        return Ok(());
    }
    let dash = |s: Option<&str>| s.unwrap_or("-").to_string();
    match &line.error {
        Some(error) => writeln!(out, "{}  error: {error}", line.file)?,
        None => {
            let evidence = line
                .evidence
                .as_ref()
                .map(|e| format!("{e:?}"))
                .unwrap_or_default();
            let text = format!(
                "{}  {:<13} {:<28} {:<3} {:<10} {:<20} {evidence}",
                line.file,
                dash(line.category),
                dash(line.rule.as_deref()),
                dash(line.language),
                line.return_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                dash(line.resume_at.as_deref()),
            );
            writeln!(out, "{}", text.trim_end())?;
        }
    }
    Ok(())
}

/// Adds the message files under `path` to `out`, sorted; unreadable paths as errors.
/// `visited` holds the folders already read (device and inode), so a symlink that leads back
/// to one (a loop, or a second way to the same folder) is reported once and not followed.
fn collect(
    path: &Path,
    out: &mut Vec<Result<PathBuf, (String, String)>>,
    visited: &mut std::collections::HashSet<(u64, u64)>,
) {
    use std::os::unix::fs::MetadataExt;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            out.push(Err((path.display().to_string(), e.to_string())));
            return;
        }
    };
    // A named file of any kind (a pipe, a device too) is read, within its limits.
    if !meta.is_dir() {
        out.push(Ok(path.to_path_buf()));
        return;
    }
    if !visited.insert((meta.dev(), meta.ino())) {
        out.push(Err((
            path.display().to_string(),
            "a symlink back to a folder already read (a loop?): skipped".to_string(),
        )));
        return;
    }
    let is_maildir = ["cur", "new", "tmp"].iter().all(|d| path.join(d).is_dir());
    if is_maildir {
        for sub in ["cur", "new"] {
            let mut files: Vec<PathBuf> = match std::fs::read_dir(path.join(sub)) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file())
                    .collect(),
                Err(e) => {
                    out.push(Err((path.join(sub).display().to_string(), e.to_string())));
                    continue;
                }
            };
            files.sort();
            out.extend(files.into_iter().map(Ok));
        }
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            out.push(Err((path.display().to_string(), e.to_string())));
            return;
        }
    };
    entries.sort();
    for entry in entries {
        let hidden = entry
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if entry.is_dir() {
            collect(&entry, out, visited);
        } else if entry.extension().is_some_and(|e| e == "eml" || e == "mbox") {
            out.push(Ok(entry));
        }
    }
}

/// Splits an mbox on its `From ` separator lines, undoing `>From ` quoting.
fn split_mbox(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            messages.extend(current.take());
            current = Some(Vec::new());
            continue;
        }
        let Some(message) = current.as_mut() else { continue };
        let quoted = line
            .iter()
            .position(|&b| b != b'>')
            .is_some_and(|n| n > 0 && line[n..].starts_with(b"From "));
        message.extend_from_slice(if quoted { &line[1..] } else { line });
    }
    messages.extend(current);
    messages
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_split_unquotes_from_lines() {
        let mbox = b"From a@b Tue Dec  1 10:00:00 2026\nSubject: one\n\n>From here\nbody\nFrom c@d Tue Dec  1 10:00:01 2026\nSubject: two\n\nx\n";
        let messages = split_mbox(mbox);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0], b"Subject: one\n\nFrom here\nbody\n".to_vec());
        assert_eq!(messages[1], b"Subject: two\n\nx\n".to_vec());
    }

    #[test]
    fn collect_walks_folders_and_maildirs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for sub in ["box/cur", "box/new", "box/tmp", "plain"] {
            std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        for file in [
            "box/cur/1:2,S",
            "box/new/2",
            "box/tmp/3",
            "plain/a.eml",
            "plain/a.json",
            "plain/.hidden.eml",
        ] {
            std::fs::write(root.join(file), "From: a@b.de\n\nx\n").expect("write");
        }
        let mut found = Vec::new();
        collect(root, &mut found, &mut std::collections::HashSet::new());
        let names: Vec<String> = found
            .into_iter()
            .flatten()
            .map(|p| {
                p.strip_prefix(root)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(names, vec!["box/cur/1:2,S", "box/new/2", "plain/a.eml"]);
    }

    #[test]
    fn synthetic_corpus_parses() {
        let rules = RuleSet::shipped().expect("rules");
        let fallback = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00").expect("instant");
        for raw in synthetic_corpus() {
            assert!(analyze(&raw, &rules, chrono_tz::UTC, fallback).is_ok());
        }
    }
}
