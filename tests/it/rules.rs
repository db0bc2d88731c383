//! Integration tests: rule files, the shipped rules' examples, and the mail snapshots under
//! `tests/fixtures/eml` (hand-written `NNN.eml` and the captured ones in `real/`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cadenced::rules::{analyze, lang_tag, RuleError, RuleSet};
use chrono::DateTime;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The shipped rules, compiled once for the whole test binary.
fn shipped() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::shipped().expect("shipped rules load"))
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eml")
}

fn eml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            eml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "eml") {
            out.push(path);
        }
    }
}

/// Every `.eml` under `tests/fixtures/eml` is analysed and compared with the `.json` beside
/// it (`category`, `rule`, `language`, `return_date`; `tz` picks the lead's timezone,
/// Europe/Berlin by default). A mismatch, or a missing `.json`, writes `NNN.json.failed`
/// with what we got and fails.
#[test]
fn eml_snapshots() {
    let rules = shipped();
    let fallback = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00").expect("instant");
    let mut files = Vec::new();
    eml_files(&fixtures_dir(), &mut files);
    assert!(
        files.len() >= 60,
        "expected at least 60 fixtures, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for eml in &files {
        let json_path = eml.with_extension("json");
        let failed_path = eml.with_extension("json.failed");
        let expected: Option<Value> = std::fs::read_to_string(&json_path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok());
        let tz = expected
            .as_ref()
            .and_then(|e| e.get("tz"))
            .and_then(|t| t.as_str())
            .and_then(|t| t.parse().ok())
            .unwrap_or(chrono_tz::Europe::Berlin);
        let raw = std::fs::read(eml).expect("fixture readable");
        let got = match analyze(&raw, rules, tz, fallback) {
            Ok(a) => json!({
                "category": a.classification.category.as_str(),
                "rule": a.classification.rule,
                "language": a.classification.language.map(lang_tag),
                "return_date": a.return_date.as_ref().map(|r| r.date.to_string()),
            }),
            Err(e) => json!({ "error": e.to_string() }),
        };
        let matches = expected.as_ref().is_some_and(|e| {
            ["category", "rule", "language", "return_date"]
                .iter()
                .all(|k| e.get(*k).unwrap_or(&Value::Null) == got.get(*k).unwrap_or(&Value::Null))
                && got.get("error").is_none()
        });
        if matches {
            let _ = std::fs::remove_file(&failed_path);
            continue;
        }
        let mut written = got.clone();
        if let (Some(obj), Some(exp)) = (written.as_object_mut(), expected.as_ref()) {
            for key in ["tz", "note", "fixme"] {
                if let Some(v) = exp.get(key) {
                    obj.insert(key.to_string(), v.clone());
                }
            }
        }
        let pretty = serde_json::to_string_pretty(&written).expect("json") + "\n";
        std::fs::write(&failed_path, pretty).expect("write .failed");
        failures.push(format!(
            "{}: expected {}, got {}",
            eml.display(),
            expected
                .map(|e| e.to_string())
                .unwrap_or_else(|| "no .json".into()),
            got
        ));
    }
    assert!(
        failures.is_empty(),
        "{} snapshot(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `cadenced rules test` over the shipped rules passes.
#[test]
fn shipped_rule_examples_pass() {
    let rules = RuleSet::shipped().expect("shipped rules load");
    let outcomes = rules.run_tests();
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|o| {
            o.failure
                .as_ref()
                .map(|f| format!("{}:{}: {}: {f}", o.file, o.line, o.name))
        })
        .collect();
    assert!(outcomes.len() >= 50, "only {} examples", outcomes.len());
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Every category is covered by shipped rules in every language.
#[test]
fn shipped_rules_cover_languages() {
    let rules = RuleSet::shipped().expect("shipped rules load");
    let list = rules.rules();
    for category in ["bounce", "unsubscribe", "out_of_office", "callback", "auto_reply"] {
        for lang in cadenced::dates::Lang::ALL.map(|l| l.code()) {
            assert!(
                list.iter().any(|(_, c, l)| c.as_str() == category && *l == lang),
                "no {category} rule in {lang}"
            );
        }
    }
}

/// A broken operator file is an error naming file, line and rule; the shipped rules are
/// not taken instead.
#[test]
fn broken_operator_file_names_file_line_and_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "# operator rules\n[[rule]]\nname = \"acme-ooo\"\ncategory = \"out_of_office\"\nlanguage = \"en\"\nbody = { any = ['back on (monday'] }\n",
    )
    .expect("write");
    let err = RuleSet::load(&[dir.path().to_path_buf()]).expect_err("broken file must fail");
    let text = err.to_string();
    let expected = format!("{}:6: rule \"acme-ooo\": invalid regex", path.display());
    assert!(text.starts_with(&expected), "{text}");
    assert!(matches!(err, RuleError::Invalid { line: 6, .. }));

    std::fs::write(
        &path,
        "[[rule]]\nname = \"acme-x\"\ncategory = \"human\"\nlanguage = \"en\"\nbody = { any = ['x'] }\nweight = 3\n",
    )
    .expect("write");
    let text = RuleSet::load(&[dir.path().to_path_buf()])
        .expect_err("unknown key")
        .to_string();
    assert!(
        text.starts_with(&format!(
            "{}:6: rule \"acme-x\": unknown field `weight`",
            path.display()
        )),
        "{text}"
    );
}

/// An operator rule with the name of a shipped rule replaces it, and operator examples run.
#[test]
fn operator_rule_replaces_shipped_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("acme.toml"),
        "[[rule]]\nname = \"en-callback\"\ncategory = \"callback\"\nlanguage = \"en\"\nbody = { any = ['ping me (in|next)'] }\n\n[[test]]\nbody = \"Ping me next month.\"\nexpect = \"callback\"\nrule = \"en-callback\"\n\n[[test]]\nbody = \"Call me back.\"\nexpect = \"human\"\n",
    )
    .expect("write");
    let rules = RuleSet::load(&[dir.path().to_path_buf()]).expect("loads");
    let operator: Vec<_> = rules
        .run_tests()
        .into_iter()
        .filter(|o| o.file.ends_with("acme.toml"))
        .collect();
    assert_eq!(operator.len(), 2);
    assert!(operator.iter().all(|o| o.failure.is_none()), "{operator:?}");
}

fn check_never_panics(bytes: &[u8]) {
    let rules = shipped();
    let fallback = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00").expect("instant");
    if let Ok(analysis) = analyze(bytes, rules, chrono_tz::Europe::Berlin, fallback) {
        assert!(analysis.reply.text.len() <= cadenced::rules::text::MAX_TEXT_BYTES + 1);
        assert!(analysis.reply.subject.len() <= cadenced::rules::text::MAX_SUBJECT_BYTES);
    }
    let text = String::from_utf8_lossy(bytes);
    let ctx = cadenced::dates::DateContext {
        received_at: fallback,
        tz: chrono_tz::Europe::Berlin,
        lang: None,
        region: None,
        max_ahead_days: 365,
        writer_names: Vec::new(),
    };
    let _ = cadenced::dates::extract_return_date(&text, &ctx);
    let _ = cadenced::rules::text::prepare(&text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Arbitrary bytes never panic parsing, classification or date extraction.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check_never_panics(&bytes);
    }

    /// Mail-shaped input with arbitrary header values and bodies never panics either.
    #[test]
    fn mail_shaped_input_never_panics(
        subject in "\\PC{0,200}",
        header in "[A-Za-z-]{1,20}",
        value in "\\PC{0,200}",
        body in "\\PC{0,2000}",
    ) {
        let raw = format!(
            "From: a@b.de\r\nSubject: {subject}\r\n{header}: {value}\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x\r\n\r\n--x\r\n\r\n{body}\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n{body}\r\n--x--\r\n"
        );
        check_never_panics(raw.as_bytes());
    }
}

/// A 5 MB signature is cut, not choked on.
#[test]
fn huge_input_is_cut() {
    let mut raw = b"From: Jane <jane@example.com>\r\nSubject: Re: hi\r\nDate: Tue, 1 Dec 2026 10:00:00 +0100\r\n\r\nI am out of the office until June 15.\r\n".to_vec();
    raw.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024));
    raw.extend_from_slice(b"\r\nunsubscribe\r\n");
    let rules = shipped();
    let fallback = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00").expect("instant");
    let started = std::time::Instant::now();
    let analysis = analyze(&raw, rules, chrono_tz::Europe::Berlin, fallback).expect("parses");
    assert!(analysis.reply.text.len() <= cadenced::rules::text::MAX_TEXT_BYTES + 1);
    assert_eq!(analysis.reply.raw_size, raw.len());
    // The unsubscribe word lies beyond the cut.
    assert_eq!(analysis.classification.category.as_str(), "out_of_office");
    assert!(started.elapsed().as_secs() < 5);
}

/// `rules explain` over a folder reads every regular file in it, whatever its name, and says
/// of each one that is no mail message that it is not, rather than leaving it out unseen.
#[test]
fn explain_reads_every_file_of_a_folder_and_names_what_is_no_mail() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("reply"),
        "From: a@b.test\nSubject: Re: hello\n\nI am on holiday until 15 June.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("notes.txt"), "remember to call Anna\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .args(["rules", "explain", "--json"])
        .arg(dir.path())
        .env_remove("CADENCED_CONFIG")
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let by_name = |name: &str| {
        lines
            .iter()
            .find(|l| l["file"].as_str().is_some_and(|f| f.ends_with(name)))
            .unwrap_or_else(|| panic!("{name} missing: {lines:?}"))
    };
    assert_eq!(by_name("/reply")["category"], "out_of_office");
    let notes = by_name("/notes.txt");
    assert!(
        notes["error"]
            .as_str()
            .is_some_and(|e| e.contains("not a mail message")),
        "{notes}"
    );
}

/// Without `--tz`, `rules explain` reads "tomorrow" on the writer's day, the zone of the
/// message's own `Date`: a note written at 8 am in Tokyo is not the day before, as it is in UTC.
#[test]
fn explain_reads_relative_days_in_the_writers_zone_unless_told_otherwise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("reply.eml");
    std::fs::write(
        &path,
        "From: a@b.test\nSubject: Re: hello\nDate: Tue, 15 Jun 2027 08:00:00 +0900\n\nI'm out of the office until tomorrow.\n",
    )
    .expect("write");
    let explain = |extra: &[&str]| -> Value {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .args(["rules", "explain", "--json"])
            .args(extra)
            .arg(&path)
            .env_remove("CADENCED_CONFIG")
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        serde_json::from_slice(&out.stdout).expect("one json line")
    };
    // Until Wednesday the 16th in Tokyo: back Thursday the 17th.
    assert_eq!(explain(&[])["return_date"], "2027-06-17");
    // In UTC the same instant is still Monday the 14th: until Tuesday, back Wednesday.
    assert_eq!(explain(&["--tz", "UTC"])["return_date"], "2027-06-16");
}
