//! The rule file format: TOML, parsed with spans so that every error names its line, and
//! compiled into one `matcher::Matcher` per file and field.
//!
//! ```toml
//! [[rule]]
//! name = "en-ooo-text"            # unique; a later file may replace a rule by its name
//! category = "out_of_office"      # bounce | unsubscribe | out_of_office | callback | auto_reply | human
//! language = "en"                 # en de fr es it nl pt pl sv da no fi cs tr ja, or "any"
//! priority = 600                  # optional; the default depends on the category
//! subject = { any = ['out of (the )?office'] }
//! body = { any = ['I am (currently )?out of (the )?office'], none = ['unsubscribe'] }
//! header = [{ name = "auto-submitted", value = 'vacation', weight = 2 }]
//! text_weight = 2                 # optional (default 2): what a text `any` hit is worth
//! min_score = 2                   # optional (default 2): the score a rule needs to fire
//!
//! [[test]]
//! subject = "Out of office"
//! body = "I am out of the office until June 15."
//! headers = { auto-submitted = "auto-replied" }
//! date = "2026-06-01T09:00:00+02:00"   # optional; the default is 2026-12-01T10:00:00+01:00
//! expect = "out_of_office"
//! rule = "en-ooo-text"                 # optional
//! return_date = "2026-06-15"           # optional; "none" expects no date
//! ```
//!
//! Semantics: every pattern is case-insensitive (write `(?-i)` to opt out); body patterns are
//! multi-line (`^` and `$` match at line ends). A rule fires when all of its `all` patterns
//! match, none of its `none` patterns match, and its score reaches `min_score`. The score is
//! `text_weight` when any `any` pattern of subject, body or from matched, plus the weight
//! (default 1, may be negative) of every header condition that matched. A header condition
//! matches a header of that (case-insensitive) name whose value contains `value` (a leading
//! `^` anchors at the start of the value; no `value` tests presence). The pseudo-headers
//! `:report-type`, `:dsn-action` and `:dsn-status` carry the facts of an RFC 3464 report.
//! Among the rules that fire, the highest priority wins, then the highest score, then the
//! rule loaded last.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;
use regex::RegexBuilder;
use serde::Deserialize;
use toml::Spanned;

use crate::dates::Lang;
use crate::rules::reply::Reply;
use crate::rules::{Category, RuleError, RuleSet};

/// The instant test examples are received at when they do not say.
const DEFAULT_TEST_DATE: &str = "2026-12-01T10:00:00+01:00";

/// Limit on the compiled size of one regex set, so that a hostile rule file fails to load
/// instead of eating the memory.
const SET_SIZE_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<Spanned<RawRule>>,
    #[serde(default)]
    test: Vec<Spanned<RawTest>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Spanned<String>,
    category: Spanned<String>,
    language: Spanned<String>,
    priority: Option<i32>,
    #[serde(default)]
    description: Option<String>,
    subject: Option<RawText>,
    body: Option<RawText>,
    from: Option<RawText>,
    #[serde(default)]
    header: Vec<Spanned<RawHeader>>,
    text_weight: Option<i32>,
    min_score: Option<i32>,
    enabled: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(default)]
    any: Vec<Spanned<String>>,
    #[serde(default)]
    all: Vec<Spanned<String>>,
    #[serde(default)]
    none: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    value: Option<Spanned<String>>,
    weight: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTest {
    name: Option<String>,
    raw: Option<String>,
    from: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    date: Option<Spanned<String>>,
    tz: Option<Spanned<String>>,
    expect: Spanned<String>,
    rule: Option<String>,
    return_date: Option<Spanned<String>>,
}

/// One compiled rule file.
#[derive(Debug)]
pub(crate) struct CompiledFile {
    pub(crate) name: String,
    pub(crate) rules: Vec<Rule>,
    pub(crate) tests: Vec<RuleTest>,
    pub(crate) subject: FieldSet,
    pub(crate) body: FieldSet,
    pub(crate) from: FieldSet,
    pub(crate) headers: FieldSet,
}

/// The patterns of one field of one file, as a single set, and who owns each pattern.
#[derive(Debug, Default)]
pub(crate) struct FieldSet {
    pub(crate) set: Option<crate::rules::matcher::Matcher>,
    pub(crate) owners: Vec<Owner>,
    /// For the header set: the lowercase header names its patterns look at, so that other
    /// header lines (Received, DKIM-Signature, ...) are not scanned at all.
    pub(crate) names: Vec<String>,
}

/// Which rule a pattern belongs to and what role it plays there.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner {
    pub(crate) rule: usize,
    pub(crate) kind: Kind,
}

/// The role of a pattern in its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Any,
    All,
    None,
    Header(i32),
}

/// One compiled rule (its patterns live in the file's sets).
#[derive(Debug)]
pub(crate) struct Rule {
    pub(crate) name: String,
    pub(crate) category: Category,
    pub(crate) language: Option<Lang>,
    pub(crate) priority: i32,
    pub(crate) text_weight: i32,
    pub(crate) min_score: i32,
    pub(crate) has_any: bool,
    pub(crate) n_all: usize,
    pub(crate) enabled: bool,
}

/// One `[[test]]` example.
#[derive(Debug)]
pub(crate) struct RuleTest {
    pub(crate) name: String,
    pub(crate) line: usize,
    input: TestInput,
    date: DateTime<FixedOffset>,
    tz: Tz,
    expect: Category,
    expect_rule: Option<String>,
    return_date: Option<Option<NaiveDate>>,
}

#[derive(Debug)]
enum TestInput {
    Raw(String),
    Fields(Box<Reply>),
}

/// The 1-based line of byte `offset` in `src`.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Names the `[[rule]]` or `[[test]]` that byte `offset` of `src` lies in, for errors that
/// toml reports without knowing which rule it was parsing.
fn item_at(src: &str, offset: usize) -> Option<String> {
    // A span that is not at a character boundary (it should always be) falls back to the whole text.
    let before = src.get(..offset.min(src.len())).unwrap_or(src);
    let mut header_at = None;
    let mut kind = "";
    for (pos, _) in before.match_indices("[[") {
        let rest = &before[pos..];
        let line_start = pos == 0 || before.as_bytes()[pos - 1] == b'\n';
        if !line_start {
            continue;
        }
        if rest.starts_with("[[rule]]") {
            header_at = Some(pos);
            kind = "rule";
        } else if rest.starts_with("[[test]]") {
            header_at = Some(pos);
            kind = "test";
        }
    }
    let start = header_at?;
    let block = &src[start..];
    let block_end = block[2..].find("\n[[").map(|e| e + 2).unwrap_or(block.len());
    let name = block[..block_end].lines().find_map(|l| {
        let l = l.trim();
        let value = l.strip_prefix("name")?.trim_start().strip_prefix('=')?.trim();
        Some(value.trim_matches(|c| c == '"' || c == '\'').to_string())
    });
    Some(match name {
        Some(name) => format!("{kind} \"{name}\""),
        None => format!("{kind} at line {}", line_of(src, start)),
    })
}

/// Parses and compiles one rule file.
pub(crate) fn compile(file: &str, src: &str) -> Result<CompiledFile, RuleError> {
    let invalid = |offset: usize, item: Option<String>, message: String| RuleError::Invalid {
        file: file.to_string(),
        line: line_of(src, offset),
        item,
        message,
    };
    let raw: RawFile = toml::from_str(src).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let message = e.message().trim().trim_end_matches('.').to_string();
        invalid(offset, item_at(src, offset), lowercase_first(&message))
    })?;

    let mut rules = Vec::with_capacity(raw.rule.len());
    let mut subject = Patterns::default();
    let mut body = Patterns::default();
    let mut from = Patterns::default();
    let mut headers = Patterns::default();
    let mut header_names: Vec<String> = Vec::new();
    for spanned in &raw.rule {
        let raw_rule = spanned.get_ref();
        let name = raw_rule.name.get_ref().trim().to_string();
        let item = Some(format!("rule \"{name}\""));
        let at = spanned.span().start;
        if name.is_empty() {
            return Err(invalid(
                raw_rule.name.span().start,
                None,
                "rule has an empty name".into(),
            ));
        }
        if rules.iter().any(|r: &Rule| r.name == name) {
            return Err(invalid(
                raw_rule.name.span().start,
                item,
                "duplicate rule name in this file".into(),
            ));
        }
        let category = Category::parse(raw_rule.category.get_ref()).ok_or_else(|| {
            invalid(
                raw_rule.category.span().start,
                item.clone(),
                format!(
                    "unknown category {:?} (expected bounce, unsubscribe, out_of_office, callback, auto_reply or human)",
                    raw_rule.category.get_ref()
                ),
            )
        })?;
        let language = match raw_rule.language.get_ref().as_str() {
            "any" => None,
            tag => Some(crate::rules::parse_lang(tag).ok_or_else(|| {
                invalid(
                    raw_rule.language.span().start,
                    item.clone(),
                    format!("unknown language {tag:?} (expected {} or any)", language_list()),
                )
            })?),
        };
        let idx = rules.len();
        let mut n_all = 0;
        let mut has_any = false;
        let fields = [
            (&raw_rule.subject, &mut subject, false),
            (&raw_rule.body, &mut body, true),
            (&raw_rule.from, &mut from, false),
        ];
        for (text, patterns, multi_line) in fields {
            let Some(text) = text else { continue };
            for (list, kind) in [
                (&text.any, Kind::Any),
                (&text.all, Kind::All),
                (&text.none, Kind::None),
            ] {
                for pattern in list {
                    let origin = Origin {
                        offset: pattern.span().start,
                        item: name.clone(),
                        source: pattern.get_ref().clone(),
                        multi_line,
                    };
                    patterns.push(pattern.get_ref().clone(), Owner { rule: idx, kind }, origin);
                    has_any |= kind == Kind::Any;
                    n_all += usize::from(kind == Kind::All);
                }
            }
        }
        for header in &raw_rule.header {
            let h = header.get_ref();
            let name_ok = !h.name.is_empty()
                && h.name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b':');
            if !name_ok {
                return Err(invalid(
                    header.span().start,
                    item.clone(),
                    format!("invalid header name {:?}", h.name),
                ));
            }
            let lower = regex::escape(&h.name.to_ascii_lowercase());
            let pattern = match &h.value {
                None => format!("^{lower}:"),
                Some(value) => match value.get_ref().strip_prefix('^') {
                    Some(anchored) => format!("^{lower}:[ \\t]*(?:{anchored})"),
                    None => format!("^{lower}:.*?(?:{})", value.get_ref()),
                },
            };
            let (offset, source) = match &h.value {
                Some(value) => (value.span().start, value.get_ref().clone()),
                None => (header.span().start, h.name.clone()),
            };
            let origin = Origin {
                offset,
                item: name.clone(),
                source,
                multi_line: false,
            };
            let owner = Owner {
                rule: idx,
                kind: Kind::Header(h.weight.unwrap_or(1)),
            };
            headers.push(pattern, owner, origin);
            let header_name = h.name.to_ascii_lowercase();
            if !header_names.contains(&header_name) {
                header_names.push(header_name);
            }
        }
        if !has_any && raw_rule.header.is_empty() {
            return Err(invalid(
                at,
                item,
                "rule has no `any` pattern and no header condition".into(),
            ));
        }
        let _ = &raw_rule.description;
        rules.push(Rule {
            name,
            category,
            language,
            priority: raw_rule.priority.unwrap_or(category.default_priority()),
            text_weight: raw_rule.text_weight.unwrap_or(2),
            min_score: raw_rule.min_score.unwrap_or(2),
            has_any,
            n_all,
            enabled: raw_rule.enabled.unwrap_or(true),
        });
    }

    let mut tests = Vec::with_capacity(raw.test.len());
    // The tests come in file order: their lines are counted on from the previous one (a
    // count from the start for each took a fifth of the start-up with a thousand examples).
    let (mut counted_to, mut line) = (0, 1);
    for (n, spanned) in raw.test.iter().enumerate() {
        let t = spanned.get_ref();
        let name = t.name.clone().unwrap_or_else(|| format!("#{}", n + 1));
        let item = Some(format!("test \"{name}\""));
        let start = spanned.span().start.min(src.len());
        if start < counted_to {
            (counted_to, line) = (0, 1);
        }
        line += src.as_bytes()[counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = start;
        let expect = Category::parse(t.expect.get_ref()).ok_or_else(|| {
            invalid(
                t.expect.span().start,
                item.clone(),
                format!("unknown category {:?}", t.expect.get_ref()),
            )
        })?;
        let date_src = t.date.as_ref().map(|d| (d.get_ref().as_str(), d.span().start));
        let date = DateTime::parse_from_rfc3339(date_src.map(|d| d.0).unwrap_or(DEFAULT_TEST_DATE)).map_err(
            |e| {
                invalid(
                    date_src.map(|d| d.1).unwrap_or(spanned.span().start),
                    item.clone(),
                    format!("invalid date: {e}"),
                )
            },
        )?;
        let tz = match &t.tz {
            None => chrono_tz::Europe::Berlin,
            Some(tz) => tz.get_ref().parse::<Tz>().map_err(|_| {
                invalid(
                    tz.span().start,
                    item.clone(),
                    format!("unknown timezone {:?}", tz.get_ref()),
                )
            })?,
        };
        let return_date = match &t.return_date {
            None => None,
            Some(d) if d.get_ref() == "none" => Some(None),
            Some(d) => Some(Some(crate::rules::parse_day(d.get_ref()).ok_or_else(|| {
                invalid(
                    d.span().start,
                    item.clone(),
                    format!(
                        "invalid return_date {:?} (expected YYYY-MM-DD or \"none\")",
                        d.get_ref()
                    ),
                )
            })?)),
        };
        let input = match &t.raw {
            Some(raw) => {
                if t.subject.is_some() || t.body.is_some() || t.from.is_some() || !t.headers.is_empty() {
                    return Err(invalid(
                        spanned.span().start,
                        item,
                        "give either `raw` or subject/body/from/headers".into(),
                    ));
                }
                TestInput::Raw(raw.clone())
            }
            None => TestInput::Fields(Box::new(Reply {
                from: t.from.as_ref().map(|f| f.to_ascii_lowercase()),
                subject: t.subject.clone().unwrap_or_default(),
                date: Some(date),
                headers: t
                    .headers
                    .iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                    .collect(),
                text: crate::rules::text::prepare(t.body.as_deref().unwrap_or_default()),
                ..Reply::default()
            })),
        };
        tests.push(RuleTest {
            name,
            line,
            input,
            date,
            tz,
            expect,
            expect_rule: t.rule.clone(),
            return_date,
        });
    }

    let build = |patterns: Patterns, multi_line: bool| -> Result<FieldSet, RuleError> {
        if patterns.patterns.is_empty() {
            return Ok(FieldSet::default());
        }
        let set = crate::rules::matcher::Matcher::new(&patterns.patterns, multi_line, SET_SIZE_LIMIT)
            .map_err(|e| {
                // Find the culprit: only on this error path is each pattern compiled alone.
                for origin in &patterns.origins {
                    if let Err(why) = check_regex(&origin.source, origin.multi_line) {
                        return invalid(
                            origin.offset,
                            Some(format!("rule \"{}\"", origin.item)),
                            format!("invalid regex {:?}: {why}", origin.source),
                        );
                    }
                }
                invalid(
                    0,
                    None,
                    format!("the file's patterns do not compile together: {e}"),
                )
            })?;
        Ok(FieldSet {
            set: Some(set),
            owners: patterns.owners,
            names: Vec::new(),
        })
    };
    Ok(CompiledFile {
        name: file.to_string(),
        rules,
        tests,
        subject: build(subject, false)?,
        body: build(body, true)?,
        from: build(from, false)?,
        headers: FieldSet {
            names: header_names,
            ..build(headers, false)?
        },
    })
}

/// The patterns of one field while a file is compiled, with where each came from.
#[derive(Default)]
struct Patterns {
    patterns: Vec<String>,
    owners: Vec<Owner>,
    origins: Vec<Origin>,
}

/// Where a pattern was written, to report it when it does not compile.
struct Origin {
    offset: usize,
    item: String,
    source: String,
    multi_line: bool,
}

impl Patterns {
    fn push(&mut self, pattern: String, owner: Owner, origin: Origin) {
        self.patterns.push(ascii_word_boundaries(&pattern));
        self.owners.push(owner);
        self.origins.push(origin);
    }
}

/// `\b` and `\B` become their ASCII forms, except next to a letter beyond ASCII. A Unicode
/// word boundary makes the regex crate give up its fast automaton on any non-ASCII reply
/// (measured: 15 times slower for a file's whole set, a fourth of all the time when every
/// boundary of a pattern with an accent kept it). But an ASCII boundary never falls between
/// a space and "ä" or after "é": "\bär tillbaka", "(scriverò|leggerò)\b" never matched. Those
/// few boundaries stay Unicode; their patterns all have literals, so each runs alone and only
/// when its words are in the reply (`rules::matcher`).
fn ascii_word_boundaries(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 16);
    // Inside a character class `\b` is not a boundary: leave classes alone.
    let mut class_depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' => class_depth += 1,
            ']' => class_depth = class_depth.saturating_sub(1),
            '\\' => {
                match (chars.get(i + 1), class_depth) {
                    (Some('b'), 0) => {
                        if beyond_ascii_after(&chars, i + 2) || beyond_ascii_before(&chars, i) {
                            out.push_str("\\b");
                        } else {
                            out.push_str("(?-u:\\b)");
                        }
                    }
                    (Some('B'), 0) => out.push_str("(?-u:\\B)"),
                    (Some(other), _) => {
                        out.push('\\');
                        out.push(*other);
                    }
                    (None, _) => out.push('\\'),
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// What follows position `at` of a pattern may begin with a letter beyond ASCII: such a
/// letter, a class holding one, or a group one of whose alternatives begins so; optional
/// atoms ("(un )?été") are looked through.
fn beyond_ascii_after(chars: &[char], at: usize) -> bool {
    let optional = |k: usize| matches!(chars.get(k), Some('?' | '*'));
    let mut k = at;
    while let Some(&c) = chars.get(k) {
        let (found, next) = match c {
            '(' => {
                let close = group_end(chars, k);
                let mut inner = k + 1;
                if chars.get(inner) == Some(&'?') && chars.get(inner + 1) == Some(&':') {
                    inner += 2;
                }
                let found = alternatives(chars, inner, close).any(|(a, _)| beyond_ascii_after(chars, a));
                (found, close + 1)
            }
            '[' => {
                let close = (k + 1..chars.len()).find(|&j| chars[j] == ']' && chars[j - 1] != '\\');
                let close = close.unwrap_or(chars.len());
                (chars[k..close].iter().any(|c| !c.is_ascii()), close + 1)
            }
            '\\' => (false, k + 2),
            '|' | ')' | '^' | '$' => return false,
            c => (!c.is_ascii(), k + 1),
        };
        if found {
            return true;
        }
        if !optional(next) {
            return false;
        }
        k = next + 1;
    }
    false
}

/// What ends right before position `at` of a pattern may end with a letter beyond ASCII:
/// such a letter, or a group one of whose alternatives ends so; optional atoms ("congés?")
/// are looked through.
fn beyond_ascii_before(chars: &[char], at: usize) -> bool {
    let mut k = at;
    loop {
        let mut optional = false;
        while k > 0 && matches!(chars[k - 1], '?' | '*' | '+' | '}') {
            if chars[k - 1] == '}' {
                // "{0,2}": a repetition, maybe none.
                let Some(open) = (0..k - 1).rev().find(|&j| chars[j] == '{') else {
                    return false;
                };
                optional |= chars.get(open + 1) == Some(&'0');
                k = open;
            } else {
                optional |= chars[k - 1] != '+';
                k -= 1;
            }
        }
        let Some(last) = k.checked_sub(1) else {
            return false;
        };
        let (found, start) = match chars[last] {
            ')' => {
                let Some(open) = group_start(chars, last) else {
                    return false;
                };
                let found = alternatives(chars, open + 1, last).any(|(_, b)| beyond_ascii_before(chars, b));
                (found, open)
            }
            ']' => {
                let open = (0..last).rev().find(|&j| chars[j] == '[').unwrap_or(0);
                (chars[open..last].iter().any(|c| !c.is_ascii()), open)
            }
            '(' | '|' => return false,
            c if last > 0 && chars[last - 1] == '\\' => {
                let _ = c;
                (false, last - 1)
            }
            c => (!c.is_ascii(), last),
        };
        if found {
            return true;
        }
        if !optional {
            return false;
        }
        k = start;
    }
}

/// The index of the `)` closing the group opened at `open` (or the pattern's end).
fn group_end(chars: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut k = open;
    while let Some(&c) = chars.get(k) {
        match c {
            '\\' => k += 1,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
        k += 1;
    }
    chars.len()
}

/// The index of the `(` opening the group closed at `close`.
fn group_start(chars: &[char], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for k in (0..=close).rev() {
        let escaped = k > 0 && chars[k - 1] == '\\';
        match chars[k] {
            ')' if !escaped => depth += 1,
            '(' if !escaped => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level alternatives between `start` and `end` (exclusive), as index ranges.
fn alternatives(chars: &[char], start: usize, end: usize) -> impl Iterator<Item = (usize, usize)> {
    let mut bounds = vec![start];
    let mut depth = 0usize;
    let mut k = start;
    while k < end.min(chars.len()) {
        match chars[k] {
            '\\' => k += 1,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => bounds.push(k + 1),
            _ => {}
        }
        k += 1;
    }
    bounds.push(end + 1);
    let pairs: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1] - 1)).collect();
    pairs.into_iter()
}

/// Compiles one pattern alone, to report a bad one with its rule and line.
fn check_regex(pattern: &str, multi_line: bool) -> Result<(), String> {
    let pattern = &ascii_word_boundaries(pattern);
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .multi_line(multi_line)
        .size_limit(SET_SIZE_LIMIT)
        .build()
        .map(|_| ())
        .map_err(|e| {
            e.to_string()
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .trim_start_matches("error: ")
                .to_string()
        })
}

#[cfg(test)]
mod boundary_tests {
    use super::ascii_word_boundaries;

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        let cases = [
            (r"\bmy\b", r"(?-u:\b)my(?-u:\b)"),
            (r"a\\b\Bc\d", r"a\\b(?-u:\B)c\d"),
            (r"x[\b\]]\b", r"x[\b\]](?-u:\b)"),
            // Next to a letter beyond ASCII the boundary stays Unicode.
            (r"\bär tillbaka\b", r"\bär tillbaka(?-u:\b)"),
            (
                r"\b(är|er) (scriverò|leggerò)\b x\b",
                r"\b(är|er) (scriverò|leggerò)\b x(?-u:\b)",
            ),
            (r"(congés?)\b", r"(congés?)\b"),
            (r"y (congé)?\b", r"y (congé)?\b"),
            (r"\b(un )?été", r"\b(un )?été"),
            (r"\b(?:un|une) été", r"(?-u:\b)(?:un|une) été"),
            (r"(a|b)\w*\b", r"(a|b)\w*(?-u:\b)"),
        ];
        for (pattern, compiled) in cases {
            assert_eq!(ascii_word_boundaries(pattern), compiled, "{pattern}");
        }
    }
}

/// "en, de, fr, ..., ja": the language tags a rule file may use, for error messages.
fn language_list() -> String {
    Lang::ALL.map(Lang::code).join(", ")
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl RuleTest {
    /// Runs the example against `set`; `None` when it passes.
    pub(crate) fn check(&self, set: &RuleSet) -> Option<String> {
        let reply = match &self.input {
            TestInput::Raw(raw) => match crate::rules::parse::parse(raw.as_bytes()) {
                Ok(reply) => reply,
                Err(e) => return Some(format!("raw message does not parse: {e}")),
            },
            TestInput::Fields(reply) => reply.as_ref().clone(),
        };
        let analysis = crate::rules::analyze_reply(reply, set, self.tz, self.date);
        let got = &analysis.classification;
        let rule = got.rule.as_deref().unwrap_or("(none)");
        if got.category != self.expect {
            return Some(format!(
                "expected {}, got {} (rule {rule})",
                self.expect, got.category
            ));
        }
        if let Some(expect_rule) = &self.expect_rule {
            if expect_rule != rule {
                return Some(format!("expected rule {expect_rule}, got {rule}"));
            }
        }
        if let Some(expect_date) = self.return_date {
            let got_date = analysis.return_date.as_ref().map(|r| r.date);
            if got_date != expect_date {
                let show = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "none".into());
                return Some(format!(
                    "expected return date {}, got {}",
                    show(expect_date),
                    show(got_date)
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(src: &str) -> String {
        match compile("t.toml", src) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn errors_name_file_line_and_rule() {
        let ok = "[[rule]]\nname = \"a\"\ncategory = \"human\"\nlanguage = \"en\"\nbody = { any = ['x'] }\n";
        assert_eq!(error_of(ok), "ok");
        let bad_regex =
            "[[rule]]\nname = \"a\"\ncategory = \"human\"\nlanguage = \"en\"\nbody = { any = ['(x'] }\n";
        let e = error_of(bad_regex);
        assert!(e.starts_with("t.toml:5: rule \"a\": invalid regex \"(x\""), "{e}");
        let unknown_key = "[[rule]]\nname = \"b\"\ncategory = \"human\"\nlanguage = \"en\"\nbody = { any = ['x'] }\nbodyy = 1\n";
        let e = error_of(unknown_key);
        assert!(
            e.starts_with("t.toml:6: rule \"b\": unknown field `bodyy`"),
            "{e}"
        );
        let bad_category =
            "[[rule]]\nname = \"c\"\ncategory = \"spam\"\nlanguage = \"en\"\nbody = { any = ['x'] }\n";
        let e = error_of(bad_category);
        assert!(
            e.starts_with("t.toml:3: rule \"c\": unknown category \"spam\""),
            "{e}"
        );
        let no_condition = "[[rule]]\nname = \"d\"\ncategory = \"human\"\nlanguage = \"en\"\n";
        assert_eq!(
            error_of(no_condition),
            "t.toml:1: rule \"d\": rule has no `any` pattern and no header condition"
        );
        let syntax = "[[rule]]\nname = \"e\"\ncategory = = 3\n";
        assert!(
            error_of(syntax).starts_with("t.toml:3: rule \"e\": "),
            "{}",
            error_of(syntax)
        );
    }
}
