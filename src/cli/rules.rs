//! `cadenced rules test|explain` and the classification benchmark.
//!
//! Thin wrappers over [`crate::rules`]: they read files, call the pure code and print. Data
//! goes to stdout, one line per item; a message that cannot be read or parsed is reported on
//! its line and skipped, never stopping the run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::window::{ooo_resume_at, Window};
use crate::rules::{analyze_reply, lang_tag, Analysis, Category, RuleSet};

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
/// PATH is a message file, a folder whose regular files are all read (recursively; hidden
/// ones left out; a file that is no mail message gets an error line saying so), a
/// Maildir (`cur/` and `new/`), or an mbox file (first line starts with `From `; an mbox
/// message is reported as `path#N`, N counting from 1). `--tz` is the lead's timezone for the
/// reference day and the resume instant (default: each message's own `Date` offset as a
/// fixed zone, the writer's day). A message without a `Date` header is taken as received at
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
    let tz: Option<Tz> = match tz {
        Some(name) => Some(
            name.parse()
                .map_err(|_| anyhow::anyhow!("unknown timezone {name:?}"))?,
        ),
        None => None,
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

/// Every message in `path` (as for `explain`: a file, a folder, a Maildir, an mbox), for the
/// classification benchmark (`benches/cadenced-bench`).
///
/// # Errors
/// When a file cannot be read.
pub fn read_messages(path: &Path) -> anyhow::Result<Vec<Vec<u8>>> {
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
    Ok(samples)
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
    tz: Option<Tz>,
    received: DateTime<FixedOffset>,
    window: &Window,
) -> ExplainLine {
    let reply = match crate::rules::parse::parse(raw) {
        Ok(reply) => reply,
        Err(e) => return ExplainLine::error(file, e.to_string()),
    };
    let tz = tz.unwrap_or_else(|| writers_zone(reply.date.unwrap_or(received)));
    let analysis: Analysis = analyze_reply(reply, rules, tz, received);
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

/// Without `--tz`, the zone of the message's own `Date` (its UTC offset, as the fixed
/// `Etc/GMT` zone of that many hours): "today" and "tomorrow" are the writer's days, and a
/// Tokyo notice written at 8 am is not yesterday's. An offset that is not whole hours, or a
/// date-less message, is read in UTC.
fn writers_zone(date: DateTime<FixedOffset>) -> Tz {
    let seconds = date.offset().local_minus_utc();
    if seconds == 0 || seconds % 3600 != 0 {
        return chrono_tz::UTC;
    }
    // The Etc zones count the other way round: UTC+9 is "Etc/GMT-9".
    let hours = -seconds / 3600;
    format!("Etc/GMT{hours:+}").parse().unwrap_or(chrono_tz::UTC)
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
        } else if entry.is_file() {
            // Every regular file, whatever its name: one that is no mail says so on its line.
            out.push(Ok(entry));
        } else {
            out.push(Err((
                entry.display().to_string(),
                "not a regular file (a pipe, socket, device or broken link): skipped".to_string(),
            )));
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
        assert_eq!(
            names,
            vec!["box/cur/1:2,S", "box/new/2", "plain/a.eml", "plain/a.json"]
        );
    }
}
