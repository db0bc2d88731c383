//! Classification of a reply by a [`RuleSet`]: each file's fields matched once (by their
//! `matcher::Matcher`), the rules scored and ranked.
//!
//! **Invariant:** pure; linear in the (capped) size of the reply; never panics.

use crate::rules::format::{CompiledFile, FieldSet, Kind};
use crate::rules::matcher::Haystack;
use crate::rules::reply::Reply;
use crate::rules::text::{rule_subject, truncate, MAX_SUBJECT_BYTES};
use crate::rules::{Category, Classification, Delivery, RuleSet};

/// At most this many headers are looked at, each cut to [`MAX_HEADER_BYTES`].
const MAX_HEADERS: usize = 200;
/// At most this many bytes of a header line are looked at.
const MAX_HEADER_BYTES: usize = 2048;

/// The per-rule tally while one file is evaluated.
#[derive(Clone, Copy, Default)]
struct Tally {
    any: bool,
    all_hits: usize,
    none_hit: bool,
    header_score: i32,
}

/// The best rule so far: (priority, score, load order) and who it is.
struct Best<'a> {
    key: (i32, i32, usize),
    file: &'a CompiledFile,
    rule: usize,
}

/// Decides what `reply` is. The highest-priority rule that fires wins; with none, the reply
/// is `human`, except that an RFC 3464 report is never human: a permanent failure is a
/// `bounce` and a delay an `auto_reply` (rule `builtin-dsn`). Nor is a reply that says it was
/// sent by an automatic responder (see `auto_responder`): it is at worst an `auto_reply`
/// (rule `builtin-auto-submitted` when no rule fired).
pub fn classify(reply: &Reply, rules: &RuleSet) -> Classification {
    let subject = rule_subject(truncate(&reply.subject, MAX_SUBJECT_BYTES));
    let from = reply.from.as_deref().unwrap_or("");
    let header_lines = header_lines(reply);
    // Each text once in the form the matchers want, for every rule file.
    let (subject, body, from) = (
        Haystack::new(subject),
        Haystack::new(&reply.text),
        Haystack::new(from),
    );
    // Header lines only when a file looks at them (most are Received or DKIM lines).
    let header_hays: Vec<std::cell::OnceCell<Haystack<'_>>> =
        header_lines.iter().map(|_| std::cell::OnceCell::new()).collect();
    let delivery = reply
        .report
        .as_ref()
        .filter(|r| r.report_type == "delivery-status")
        .and_then(|r| match (r.has_permanent_failure(), r.is_delayed_only()) {
            (true, _) => Some(Delivery::Failed),
            (false, true) => Some(Delivery::Delayed),
            _ => None,
        });

    let mut best: Option<Best> = None;
    let mut absence_vetoed = false;
    let mut order = 0usize;
    let mut tallies: Vec<Tally> = Vec::new();
    let mut hits: Vec<usize> = Vec::new();
    let mut header_hits: Vec<bool> = Vec::new();
    for file in &rules.files {
        tallies.clear();
        tallies.resize(file.rules.len(), Tally::default());
        tally_field(&file.subject, &subject, &mut tallies, &mut hits);
        tally_field(&file.body, &body, &mut tallies, &mut hits);
        tally_field(&file.from, &from, &mut tallies, &mut hits);
        if let Some(set) = &file.headers.set {
            header_hits.clear();
            header_hits.resize(file.headers.owners.len(), false);
            let wanted = |line: &&String| {
                file.headers.names.iter().any(|name| {
                    line.len() > name.len()
                        && line.starts_with(name.as_str())
                        && line.as_bytes()[name.len()] == b':'
                })
            };
            for (line, hay) in header_lines
                .iter()
                .zip(&header_hays)
                .filter(|(line, _)| wanted(line))
            {
                set.matches(hay.get_or_init(|| Haystack::new(line)), &mut hits);
                for &idx in &hits {
                    if let Some(hit) = header_hits.get_mut(idx) {
                        *hit = true;
                    }
                }
            }
            for (idx, hit) in header_hits.iter().enumerate() {
                let owner = file.headers.owners[idx];
                if let (true, Kind::Header(weight)) = (*hit, owner.kind) {
                    tallies[owner.rule].header_score += weight;
                }
            }
        }
        for (idx, (rule, tally)) in file.rules.iter().zip(&tallies).enumerate() {
            order += 1;
            if rule.enabled && tally.none_hit && rule.category == Category::OutOfOffice {
                absence_vetoed = true;
            }
            if !rule.enabled || tally.none_hit || tally.all_hits < rule.n_all {
                continue;
            }
            let score = tally.header_score
                + if rule.has_any && tally.any {
                    rule.text_weight
                } else {
                    0
                };
            if score < rule.min_score {
                continue;
            }
            let key = (rule.priority, score, order);
            if best.as_ref().is_none_or(|b| key > b.key) {
                best = Some(Best { key, file, rule: idx });
            }
        }
    }

    // The lead's own calendar answer or invitation (`rules::meeting`) ranks as a
    // meeting_booked rule would: above everything but unsubscribes and bounces.
    if let Some(rule) = crate::rules::meeting::from_calendar(reply) {
        if best
            .as_ref()
            .is_none_or(|b| b.key.0 < Category::MeetingBooked.default_priority())
        {
            return Classification {
                category: Category::MeetingBooked,
                rule: Some(rule.to_string()),
                file: None,
                language: None,
                score: 0,
                delivery,
                absence_vetoed: false,
            };
        }
    }
    match best {
        Some(b) => {
            let rule = &b.file.rules[b.rule];
            tracing::debug!(rule = %rule.name, category = %rule.category, score = b.key.1, "Rule fired.");
            let category = match (rule.category, delivery) {
                // A delivery report that says "failed" is never a human reply.
                (Category::Human, Some(Delivery::Failed)) => Category::Bounce,
                (Category::Human, _) if auto_responder(reply) => Category::AutoReply,
                (category, _) => category,
            };
            Classification {
                category,
                rule: Some(rule.name.clone()),
                file: Some(b.file.name.clone()),
                language: rule.language,
                score: b.key.1,
                delivery,
                absence_vetoed,
            }
        }
        None => {
            let (category, rule) = match delivery {
                Some(Delivery::Failed) => (Category::Bounce, Some("builtin-dsn")),
                Some(Delivery::Delayed) => (Category::AutoReply, Some("builtin-dsn")),
                None if auto_responder(reply) => {
                    (Category::AutoReply, Some(crate::rules::BUILTIN_AUTO_SUBMITTED))
                }
                None => (Category::Human, None),
            };
            Classification {
                category,
                rule: rule.map(str::to_string),
                file: None,
                language: None,
                score: 0,
                delivery,
                absence_vetoed,
            }
        }
    }
}

/// RFC 3834: `Auto-Submitted` with a value other than `no` says a program sent the message.
/// `auto-replied` (vacation, autoresponders), `auto-notified` (Sieve notifications, RFC 5436)
/// and unknown extension values make the reply a machine's, never a person's.
///
/// `auto-generated` does not: helpdesks (Zendesk, Freshdesk, ...) put it on the answers their
/// agents write by hand, which are people's replies (`rules/human.toml`, "helpdesk agent
/// answer"). Text rules still read those messages as usual.
///
/// The older marks that only responders set count the same: `X-Autoreply` (Postfix vacation,
/// cPanel, Yandex; any value but `no`/`false`/`0`), `X-Autorespond` and
/// `Precedence: auto_reply`. `Precedence: bulk` does not (mailing lists set it on people's
/// posts), nor does Outlook's `X-Auto-Response-Suppress` (set on ordinary mail).
pub(crate) fn auto_responder(reply: &Reply) -> bool {
    reply.headers.iter().any(|(name, value)| {
        // The keyword ends at a parameter (";"), a comment ("(vacation)") or a space.
        let keyword = value
            .trim()
            .split([';', '(', ' ', '\t'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match name.as_str() {
            "auto-submitted" => !keyword.is_empty() && keyword != "no" && keyword != "auto-generated",
            "x-autoreply" | "x-autorespond" => !matches!(keyword.as_str(), "no" | "false" | "0" | "off"),
            "precedence" => keyword == "auto_reply" || keyword == "auto-reply",
            _ => false,
        }
    })
}

/// Runs one field's set over `text` and adds the hits to the tallies.
fn tally_field(field: &FieldSet, text: &Haystack<'_>, tallies: &mut [Tally], hits: &mut Vec<usize>) {
    let Some(set) = &field.set else { return };
    set.matches(text, hits);
    for &idx in hits.iter() {
        let owner = field.owners[idx];
        let tally = &mut tallies[owner.rule];
        match owner.kind {
            Kind::Any => tally.any = true,
            Kind::All => tally.all_hits += 1,
            Kind::None => tally.none_hit = true,
            Kind::Header(_) => {}
        }
    }
}

/// "name: value" lines of the reply's headers (with the pseudo-headers `rules::parse` adds
/// for a forwarded message) plus the pseudo-headers of its delivery report.
fn header_lines(reply: &Reply) -> Vec<String> {
    let mut lines = Vec::with_capacity(reply.headers.len().min(MAX_HEADERS) + 5);
    for (name, value) in reply.headers.iter().take(MAX_HEADERS) {
        let value = truncate(value, MAX_HEADER_BYTES);
        lines.push(format!("{name}: {value}"));
    }
    // A reply built from a few fields (a rule file's `[[test]]`) has its sender but no header
    // list: header conditions on `from` see the address all the same.
    if let Some(from) = reply.from.as_deref().filter(|_| reply.header("from").is_none()) {
        lines.push(format!("from: {}", truncate(from, MAX_HEADER_BYTES)));
    }
    if let Some(report) = &reply.report {
        lines.push(format!(":report-type: {}", report.report_type));
        for recipient in report.recipients.iter().take(MAX_HEADERS) {
            if let Some(action) = &recipient.action {
                lines.push(format!(":dsn-action: {}", truncate(action, 64)));
            }
            if let Some(status) = &recipient.status {
                lines.push(format!(":dsn-status: {}", truncate(status, 64)));
            }
        }
    }
    lines
}
