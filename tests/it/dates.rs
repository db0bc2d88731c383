//! Integration tests: the return-date case table `tests/fixtures/dates/cases.tsv`.
//!
//! Columns: `message_date_iso`, `timezone`, `text`, `expected_return_date` (`YYYY-MM-DD` or
//! `-` for none) and an optional `region`. In `text`, `\n` stands for a line break. Every row
//! runs through `cadenced::dates::extract_return_date` with no language hint and
//! `max_ahead_days = 365`; every failing row is printed before the test fails.
//! `DATES_CASES` overrides the table's path.

use chrono::{DateTime, NaiveDate};

use cadenced::dates::{extract_return_date, DateContext};

fn cases_path() -> String {
    std::env::var("DATES_CASES")
        .unwrap_or_else(|_| format!("{}/tests/fixtures/dates/cases.tsv", env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn case_table() {
    let path = cases_path();
    let table = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {path}: {err}"));
    let (mut total, mut failures) = (0usize, Vec::new());
    for (idx, line) in table.lines().enumerate() {
        let line_no = idx + 1;
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("message_date_iso") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 4 || cols.len() == 5,
            "{path}:{line_no}: expected 4 or 5 columns, got {}",
            cols.len()
        );
        let received_at = DateTime::parse_from_rfc3339(cols[0])
            .unwrap_or_else(|err| panic!("{path}:{line_no}: bad message date: {err}"));
        let tz: chrono_tz::Tz = cols[1]
            .parse()
            .unwrap_or_else(|err| panic!("{path}:{line_no}: bad timezone: {err}"));
        let text = cols[2].replace("\\n", "\n");
        let expected = match cols[3] {
            "-" => None,
            date => Some(
                NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .unwrap_or_else(|err| panic!("{path}:{line_no}: bad expected date: {err}")),
            ),
        };
        let region = cols
            .get(4)
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let ctx = DateContext {
            received_at,
            tz,
            lang: None,
            region,
            max_ahead_days: 365,
            writer_names: Vec::new(),
        };
        let found = extract_return_date(&text, &ctx);
        if let Some(found) = &found {
            assert_eq!(
                text.get(found.span.clone()),
                Some(found.evidence.as_str()),
                "{path}:{line_no}: bad span"
            );
        }
        total += 1;
        let got = found.as_ref().map(|f| f.date);
        if got != expected {
            failures.push(format!(
                "line {line_no}: {text:?}\n    expected {}, got {} (evidence {:?})",
                expected.map_or("-".to_string(), |d| d.to_string()),
                got.map_or("-".to_string(), |d| d.to_string()),
                found.map(|f| f.evidence).unwrap_or_default(),
            ));
        }
    }
    let passed = total - failures.len();
    println!(
        "dates case table: {passed}/{total} passed ({:.1}%)",
        100.0 * passed as f64 / total.max(1) as f64
    );
    for failure in &failures {
        println!("{failure}");
    }
    assert!(
        total >= 300,
        "the case table must hold at least 300 cases, it holds {total}"
    );
    assert!(
        failures.is_empty(),
        "{} of {total} date cases failed",
        failures.len()
    );
}
