//! `cadenced leads import|list|pause|resume|stop`, `cadenced lead show|pause|resume|stop|skip|unskip`
//! and `cadenced report`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::cli::campaigns::refusal;
use crate::cli::output::{emit, print_json, table_line, EnrollmentView, ViewContext, TABLE_HEADER};
use crate::cli::{usage, BulkArgs, CliError, LeadArgs, LeadCommand, LeadsCommand};
use crate::config::Config;
use crate::db::rows::{from_ms, CampaignRow, EnrollmentRow};
use crate::db::{Cause, Filter, NewLead, Store};
use crate::domain::campaign::{CampaignSpec, CampaignStatus, StaleAction, BUILTIN_FIELDS};
use crate::domain::lead::{Event, Pause, PauseReason, Source, Status, StopReason};
use crate::domain::window::local_instant;
use crate::domain::EmailAddress;

/// Runs a `leads` command.
///
/// # Errors
/// Refusals (exit 1) and bad usage (exit 2).
pub async fn run_leads(
    command: LeadsCommand,
    _cfg: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    match command {
        LeadsCommand::Import {
            campaign,
            file,
            quiet,
        } => import(store, &campaign, &file, quiet, now).await,
        LeadsCommand::List {
            campaign,
            status,
            json,
        } => {
            let mut filter = Filter::default();
            if let Some(name) = campaign {
                filter.campaign_id = Some(store.campaign_required(&name).await.map_err(refusal)?.id);
            }
            if let Some(s) = status {
                filter.status = Some(parse_status(&s)?);
            }
            if !json {
                emit(TABLE_HEADER)?;
            }
            let ctx = ViewContext::load(store, now).await?;
            let mut n = 0u64;
            store
                .for_each_enrollment(&filter, |row| -> Result<(), CliError> {
                    let view = EnrollmentView::of(&row, now).explained(&row, &ctx, now);
                    if json {
                        print_json(&view)?;
                    } else {
                        emit(&table_line(&view))?;
                    }
                    n += 1;
                    Ok(())
                })
                .await?;
            if !json {
                eprintln!("{n} enrollments");
            }
            Ok(())
        }
        LeadsCommand::Pause(args) => bulk(store, args, BulkKind::Pause, now).await,
        LeadsCommand::Resume(args) => bulk(store, args, BulkKind::Resume, now).await,
        LeadsCommand::Stop(args) => bulk(store, args, BulkKind::Stop, now).await,
    }
}

/// Runs a `lead` command.
///
/// # Errors
/// Refusals (exit 1) naming the lead and the status found.
pub async fn run_lead(
    command: LeadCommand,
    _cfg: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    let (args, event, verb) = match command {
        LeadCommand::Show(args) => {
            let row = store
                .enrollment(&args.campaign, &args.email)
                .await
                .map_err(refusal)?;
            let events = store.events(row.id).await?;
            let sends = store.sends_of(row.id).await?;
            let ctx = ViewContext::load(store, now).await?;
            let view = EnrollmentView::of(&row, now)
                .explained(&row, &ctx, now)
                .with_fields(&row)
                .with_events(&events, &sends);
            if args.json {
                print_json(&view)?;
            } else {
                print_show(&view)?;
            }
            return Ok(());
        }
        LeadCommand::Pause { lead, until } => {
            let row = store
                .enrollment(&lead.campaign, &lead.email)
                .await
                .map_err(refusal)?;
            let resume_at = match until {
                None => None,
                Some(u) => Some(parse_until(
                    &u,
                    &row,
                    &campaign_spec(store, &lead.campaign).await?,
                    now,
                )?),
            };
            let event = Event::Pause(Pause {
                paused_at: now,
                source: Source::Operator,
                reason: PauseReason::Manual,
                resume_at,
                return_date: None,
                note: lead.note.clone(),
                message_id: None,
            });
            (lead, event, "paused")
        }
        LeadCommand::Resume(lead) => {
            let c = store.campaign_required(&lead.campaign).await.map_err(refusal)?;
            let event = Event::Resume {
                at: now,
                source: Source::Operator,
                campaign_paused: c.status == CampaignStatus::Paused,
            };
            (lead, event, "resumed")
        }
        LeadCommand::Stop { lead, reason } => {
            let reason = parse_stop_reason(reason.as_deref())?;
            (lead, Event::Stop { at: now, reason }, "stopped")
        }
        LeadCommand::Skip(lead) => (lead, Event::Skip, "skipped"),
        LeadCommand::Unskip(lead) => (lead, Event::Unskip, "unskipped"),
    };
    let LeadArgs {
        email,
        campaign,
        note,
        json,
    } = args;
    let row = store.enrollment(&campaign, &email).await.map_err(refusal)?;
    match store
        .transition(row.id, &event, &Cause::operator(note), now)
        .await?
    {
        Ok(_) => {
            let row = store.enrollment(&campaign, &email).await.map_err(refusal)?;
            let ctx = ViewContext::load(store, now).await?;
            let view = EnrollmentView::of(&row, now).explained(&row, &ctx, now);
            if json {
                print_json(&view)?;
            } else {
                emit(&format!("lead {} in campaign {campaign:?} {verb}", row.email))?;
            }
            Ok(())
        }
        Err(refused) => Err(CliError::Failed(anyhow::anyhow!(
            "lead {} in campaign {campaign:?}: {}",
            row.email,
            refused.message
        ))),
    }
}

fn print_show(v: &EnrollmentView) -> std::io::Result<()> {
    let line =
        |k: &str, val: Option<String>| emit(&format!("{k:<18} {}", val.unwrap_or_else(|| "-".to_string())));
    line("email", Some(v.email.clone()))?;
    line("campaign", Some(v.campaign.clone()))?;
    for (k, val) in v.fields.iter().flatten() {
        line(k, Some(val.clone()))?;
    }
    line("status", Some(v.status.clone()))?;
    line("current_step", Some(v.current_step.to_string()))?;
    line("next_send_at", v.next_send_at.clone())?;
    line("sends_at", v.sends_at.clone())?;
    line(
        "remaining_delay",
        v.remaining_delay_s
            .map(|s| humantime::format_duration(std::time::Duration::from_secs(s.max(0) as u64)).to_string()),
    )?;
    line("paused_at", v.paused_at.clone())?;
    line(
        "pause",
        v.pause_source
            .as_ref()
            .map(|s| format!("{s}, {}", v.pause_reason.clone().unwrap_or_default())),
    )?;
    line("return_date", v.return_date.clone())?;
    line("resume_at", v.resume_at.clone())?;
    line("stop_reason", v.stop_reason.clone())?;
    line("note", v.note.clone())?;
    line("waiting", v.waiting.clone())?;
    emit("history:")?;
    for e in v.events.iter().flatten() {
        let mut extra = Vec::new();
        if let Some(r) = &e.reason {
            extra.push(format!("reason={r}"));
        }
        if let Some(r) = &e.rule {
            extra.push(format!("rule={r}"));
        }
        if let Some(d) = &e.date {
            extra.push(format!("date={d}"));
        }
        if let Some(m) = &e.message_id {
            extra.push(format!("message_id={m}"));
        }
        if let Some(n) = &e.note {
            extra.push(format!("note={n:?}"));
        }
        emit(&format!(
            "  {}  {:<16} {} -> {}  by {}  {}",
            e.at,
            e.kind,
            e.from,
            e.to,
            e.actor,
            extra.join(" ")
        ))?;
    }
    Ok(())
}

fn parse_status(s: &str) -> Result<Status, CliError> {
    Status::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        usage(format!("--status {s:?} is not one of {}", all.join(", ")))
    })
}

fn parse_stop_reason(s: Option<&str>) -> Result<StopReason, CliError> {
    match s {
        None => Ok(StopReason::Manual),
        Some(s) => StopReason::parse(s).ok_or_else(|| {
            let all: Vec<&str> = StopReason::ALL.iter().map(|r| r.as_str()).collect();
            usage(format!("--reason {s:?} is not one of {}", all.join(", ")))
        }),
    }
}

async fn campaign_spec(store: &Store, name: &str) -> Result<CampaignSpec, CliError> {
    let c = store.campaign_required(name).await.map_err(refusal)?;
    spec_of(&c)
}

fn spec_of(c: &CampaignRow) -> Result<CampaignSpec, CliError> {
    c.spec().map_err(|e| CliError::Failed(anyhow::anyhow!(e)))
}

/// `--until`: a date means the first opening of the sending window on that day, in the
/// lead's timezone (else the campaign's); today (in that timezone) means the next opening
/// from now, so a pause "until today" is accepted and ends at once if the window is open.
/// An RFC 3339 time is taken as is. Past dates and dates beyond the campaign's
/// `policy.max_pause` are refused (a typo such as 2046 for 2026 would silence a lead for
/// twenty years).
fn parse_until(
    s: &str,
    row: &EnrollmentRow,
    spec: &CampaignSpec,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, CliError> {
    let tz: Tz = row
        .timezone
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(spec.timezone);
    let at = if let Ok(date) = s.parse::<NaiveDate>() {
        let today = now.with_timezone(&tz).date_naive();
        if date < today {
            return Err(usage(format!(
                "--until {s:?} is in the past (today is {today} in {tz})"
            )));
        }
        let from = local_instant(date, NaiveTime::MIN, tz).max(now);
        spec.window.next_open_at_or_after(from, tz)
    } else if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        let t = t.with_timezone(&Utc);
        if t <= now {
            return Err(usage(format!("--until {s:?} is in the past")));
        }
        t
    } else {
        return Err(usage(format!(
            "--until {s:?} is neither a date YYYY-MM-DD nor an RFC 3339 time"
        )));
    };
    let max_pause = chrono::Duration::from_std(spec.policy.max_pause).unwrap_or(chrono::Duration::days(365));
    if at > now + max_pause {
        return Err(usage(format!(
            "--until {s:?} is further away than the campaign's policy.max_pause ({}); pause without --until to wait for a person",
            humantime::format_duration(spec.policy.max_pause)
        )));
    }
    Ok(at)
}

#[derive(Debug, Clone, Copy)]
enum BulkKind {
    Pause,
    Resume,
    Stop,
}

async fn bulk(store: &Store, args: BulkArgs, kind: BulkKind, now: DateTime<Utc>) -> Result<(), CliError> {
    let c = store.campaign_required(&args.campaign).await.map_err(refusal)?;
    let mut filter = Filter {
        campaign_id: Some(c.id),
        ..Filter::default()
    };
    let mut wanted: Vec<String> = Vec::new();
    if let Some(file) = &args.file {
        let text = crate::input::read_text(file, crate::input::ADDRESS_LIST)?;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let email =
                EmailAddress::parse(line).map_err(|e| usage(format!("{}:{}: {e}", file.display(), i + 1)))?;
            wanted.push(email.to_string());
        }
        filter.emails = Some(wanted.clone());
    }
    if let Some(s) = &args.status {
        filter.status = Some(parse_status(s)?);
    }
    let spec = spec_of(&c)?;
    let until = args.until.clone();
    if until.is_some() && !matches!(kind, BulkKind::Pause) {
        return Err(usage("--until only goes with pause"));
    }
    let reason = parse_stop_reason(args.reason.as_deref())?;
    // Per-row events need the row (its timezone for --until), so they are built up front.
    let mut events: HashMap<i64, Event> = HashMap::new();
    let mut found: Vec<String> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    store
        .for_each_enrollment(&filter, |row| -> Result<(), CliError> {
            found.push(row.email.clone());
            let event = match kind {
                BulkKind::Pause => {
                    let resume_at = match &until {
                        None => None,
                        Some(u) => match parse_until(u, &row, &spec, now) {
                            Ok(t) => Some(t),
                            Err(e) => {
                                errors.push(match e {
                                    CliError::Usage(e) | CliError::Failed(e) => format!("{e}"),
                                });
                                return Ok(());
                            }
                        },
                    };
                    Event::Pause(Pause {
                        paused_at: now,
                        source: Source::Operator,
                        reason: PauseReason::Manual,
                        resume_at,
                        return_date: None,
                        note: args.note.clone(),
                        message_id: None,
                    })
                }
                BulkKind::Resume => Event::Resume {
                    at: now,
                    source: Source::Operator,
                    campaign_paused: c.status == CampaignStatus::Paused,
                },
                BulkKind::Stop => Event::Stop { at: now, reason },
            };
            events.insert(row.id, event);
            Ok(())
        })
        .await?;
    if let Some(e) = errors.first() {
        return Err(usage(e));
    }
    let out = store
        .transition_many(
            &filter,
            |row| events.get(&row.id).cloned().unwrap_or(Event::Skip),
            &Cause::operator(args.note.clone()),
            now,
        )
        .await?;
    let missing: Vec<&String> = {
        let found: std::collections::HashSet<&String> = found.iter().collect();
        wanted.iter().filter(|w| !found.contains(w)).collect()
    };
    let verb = match kind {
        BulkKind::Pause => "paused",
        BulkKind::Resume => "resumed",
        BulkKind::Stop => "stopped",
    };
    #[derive(Serialize)]
    struct BulkLine<'a> {
        email: &'a str,
        campaign: &'a str,
        result: &'a str,
        message: Option<&'a str>,
    }
    for (email, campaign, message) in &out.refused {
        if args.json {
            print_json(&BulkLine {
                email,
                campaign,
                result: "refused",
                message: Some(message),
            })?;
        } else {
            eprintln!("lead {email} in campaign {campaign:?}: {message}");
        }
    }
    for email in &missing {
        if args.json {
            print_json(&BulkLine {
                email,
                campaign: &c.name,
                result: "not_found",
                message: Some("not in campaign"),
            })?;
        } else {
            eprintln!("lead {email} is not in campaign {:?}", c.name);
        }
    }
    eprintln!(
        "{} {verb}, {} refused, {} not found",
        out.changed,
        out.refused.len(),
        missing.len()
    );
    if out.refused.is_empty() && missing.is_empty() {
        Ok(())
    } else {
        Err(CliError::Failed(anyhow::anyhow!(
            "{} of {} leads not {verb}",
            out.refused.len() + missing.len(),
            out.changed as usize + out.refused.len() + missing.len()
        )))
    }
}

/// A CSV refused: the file as a whole (not a text CSV, no email column, …), or every bad
/// row, with its line.
#[derive(Debug)]
enum CsvError {
    /// Nothing in the file can be read as leads.
    File(String),
    /// These rows are bad (each message starts with its line).
    Rows(Vec<String>),
}

/// Reads and validates a lead CSV against the campaign's templates. Nothing is returned
/// unless every row is good. `file` names the file in messages.
fn read_csv(file: &str, bytes: &[u8], spec: &CampaignSpec) -> Result<Vec<NewLead>, CsvError> {
    let fail = |p: String| CsvError::File(p);
    // A spreadsheet (.xlsx is a zip), an image or a UTF-16 export is not a CSV: say so once,
    // rather than as an error on "record 0".
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.lines().next().unwrap_or("").contains('\0') => t,
        Ok(_) => {
            return Err(fail(
                "line 1: a NUL byte: this is a binary file, not a CSV (export the sheet as \"CSV UTF-8\")"
                    .to_string(),
            ));
        }
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
            return Err(fail(format!(
                "line {line}: not UTF-8 text (byte {at}): export the sheet as \"CSV UTF-8\""
            )));
        }
    };
    // European spreadsheets write semicolon-separated "CSV": a header with semicolons and no
    // comma can only be that, so it is read as such (and said).
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if !header_line.contains(',') && header_line.contains(';') {
        eprintln!("{file}: columns are separated by semicolons; reading it as such");
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| fail(format!("line 1: {e}")))?
        .iter()
        .map(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .to_lowercase()
                .replace([' ', '-'], "_")
        })
        .collect();
    let mut seen_headers = std::collections::HashSet::new();
    for h in &headers {
        if h.is_empty() {
            return Err(fail("line 1: a column has no name".to_string()));
        }
        if !seen_headers.insert(h) {
            return Err(fail(format!("line 1: column {h:?} appears twice")));
        }
    }
    if !headers.iter().any(|h| h == "email") {
        return Err(fail(format!(
            "line 1: there is no email column (columns found: {})",
            headers.join(", ")
        )));
    }
    let needed = spec.fields();
    let missing: Vec<String> = needed
        .iter()
        .filter(|field| !headers.iter().any(|h| h == *field))
        .map(|field| format!("{field:?} ({{{{{field}}}}})"))
        .collect();
    if !missing.is_empty() {
        return Err(fail(format!(
            "line 1: the campaign's steps use columns this file lacks: {}",
            missing.join(", ")
        )));
    }
    let mut problems = Vec::new();
    let mut leads = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        let mut row_ok = true;
        for (h, v) in headers.iter().zip(record.iter()) {
            if v.contains(['\r', '\n']) {
                problems.push(format!("line {line}: field {h:?} contains a line break"));
                row_ok = false;
            } else if let Some(c) = v.chars().find(|c| c.is_control()) {
                // A NUL or an escape cannot go into a header or a text body: refused here,
                // with its line, rather than failing every send.
                problems.push(format!(
                    "line {line}: field {h:?} contains a control character (U+{:04X})",
                    c as u32
                ));
                row_ok = false;
            }
            if !v.is_empty() {
                values.insert(h.clone(), v.to_string());
            }
        }
        let email = match EmailAddress::parse(values.get("email").map_or("", String::as_str)) {
            Ok(e) => e.to_string(),
            Err(e) => {
                problems.push(format!("line {line}: email: {e}"));
                continue;
            }
        };
        if let Some(first) = first_line.get(&email) {
            problems.push(format!(
                "line {line}: email: {email} is a duplicate of line {first}"
            ));
            continue;
        }
        first_line.insert(email.clone(), line);
        if let Some(tz) = values.get("timezone") {
            if tz.parse::<Tz>().is_err() {
                problems.push(format!(
                    "line {line}: timezone: unknown timezone {tz:?} (use an IANA name like Europe/Berlin)"
                ));
                row_ok = false;
            }
        }
        for field in &needed {
            if field != "email" && !values.contains_key(field) {
                problems.push(format!(
                    "line {line}: {field}: empty for {email}, but the campaign's steps use {{{{{field}}}}}"
                ));
                row_ok = false;
            }
        }
        if !row_ok {
            continue;
        }
        let mut take = |k: &str| values.remove(k);
        let lead = NewLead {
            email,
            first_name: take("first_name"),
            last_name: take("last_name"),
            company: take("company"),
            timezone: take("timezone"),
            fields: BTreeMap::new(),
        };
        values.remove("email");
        leads.push(NewLead {
            fields: values
                .into_iter()
                .filter(|(k, _)| !BUILTIN_FIELDS.contains(&k.as_str()))
                .collect(),
            ..lead
        });
    }
    if problems.is_empty() {
        Ok(leads)
    } else {
        Err(CsvError::Rows(problems))
    }
}

async fn import(
    store: &Store,
    campaign: &str,
    file: &Path,
    quiet: bool,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    let c = store.campaign_required(campaign).await.map_err(refusal)?;
    if !c.status.can_change() {
        return Err(CliError::Failed(anyhow::anyhow!(
            "campaign {campaign:?} is archived: nothing imported"
        )));
    }
    let spec = spec_of(&c)?;
    let bytes = crate::input::read(file, crate::input::LEAD_CSV)?;
    let file = file.display().to_string();
    let leads = match read_csv(&file, &bytes, &spec) {
        Ok(leads) => leads,
        Err(CsvError::File(problem)) => {
            return Err(CliError::Failed(anyhow::anyhow!(
                "{file}: {problem}; nothing imported"
            )));
        }
        Err(CsvError::Rows(problems)) => {
            for p in problems.iter().take(100) {
                eprintln!("{file}: {p}");
            }
            if problems.len() > 100 {
                eprintln!("{file}: … and {} more", problems.len() - 100);
            }
            return Err(CliError::Failed(anyhow::anyhow!(
                "{file}: {} bad rows; nothing imported",
                problems.len()
            )));
        }
    };
    let bar = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(leads.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} leads {per_sec} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    };
    let out = store.import_leads(c.id, &leads, now, |n| bar.inc(n)).await?;
    bar.finish_and_clear();
    // Steps held because they could not be sent (the data was the problem) get one more try
    // with the data as now imported.
    let rearmed = store.rearm_failed(c.id, None, now).await?;
    if rearmed > 0 {
        eprintln!("{rearmed} held steps will be tried again with the new data");
    }
    emit(&format!(
        "{} leads read; {} enrolled in {campaign:?}, {} already enrolled, {} suppressed (enrolled as skipped)",
        leads.len(),
        out.enrolled,
        out.already_enrolled,
        out.suppressed
    ))?;
    Ok(())
}

/// `cadenced report`: counts per campaign and status, then every paused lead with its
/// reason and resume date; pauses without a resume date older than the campaign's
/// `stale_after` are marked stale.
///
/// # Errors
/// Database errors.
pub async fn report(
    store: &Store,
    campaign: Option<&str>,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    let campaigns: Vec<CampaignRow> = match campaign {
        Some(name) => vec![store.campaign_required(name).await.map_err(refusal)?],
        None => store.campaigns().await?,
    };
    let counts = store.status_counts().await?;
    let ctx = ViewContext::load(store, now).await?;
    #[derive(Serialize)]
    struct CountsLine<'a> {
        kind: &'static str,
        campaign: &'a str,
        status: &'a str,
        pause_reason: Option<&'a str>,
        counts: BTreeMap<String, i64>,
    }
    #[derive(Serialize)]
    struct PausedLine {
        kind: &'static str,
        #[serde(flatten)]
        view: EnrollmentView,
        paused_days: i64,
        stale: bool,
        stale_action: &'static str,
    }
    #[derive(Serialize)]
    struct UnreadableLine<'a> {
        kind: &'static str,
        campaign: &'a str,
        error: &'a str,
    }
    let mut n_stale = 0;
    for c in &campaigns {
        let per_status: BTreeMap<String, i64> = counts
            .iter()
            .filter(|s| s.campaign == c.name)
            .map(|s| (s.status.clone(), s.count))
            .collect();
        if json {
            print_json(&CountsLine {
                kind: "counts",
                campaign: &c.name,
                status: c.status.as_str(),
                pause_reason: c.pause_reason.as_deref(),
                counts: per_status,
            })?;
        } else {
            let parts: Vec<String> = per_status.iter().map(|(k, v)| format!("{k}={v}")).collect();
            // The brake's pause is the one an operator must act on: say so with the status.
            let status = match c.pause_reason.as_deref() {
                Some("bounce_rate") => format!("{}: bounce_rate, resume by hand", c.status),
                _ => c.status.to_string(),
            };
            emit(&format!(
                "campaign {} ({}): {}",
                c.name,
                status,
                if parts.is_empty() {
                    "no leads".to_string()
                } else {
                    parts.join(" ")
                }
            ))?;
        }
        // A stored campaign that no longer parses is reported, not fatal: its leads stay as
        // they are, and the other campaigns are still reported.
        let spec = match c.spec() {
            Ok(spec) => spec,
            Err(e) => {
                if json {
                    print_json(&UnreadableLine {
                        kind: "unreadable",
                        campaign: &c.name,
                        error: &e.error,
                    })?;
                } else {
                    println!("  UNREADABLE: {e}");
                }
                continue;
            }
        };
        let filter = Filter {
            campaign_id: Some(c.id),
            status: Some(Status::Paused),
            emails: None,
        };
        let stale_action = match spec.policy.stale_action {
            StaleAction::Report => "report",
            StaleAction::Stop => "stop",
        };
        let mut header_done = false;
        store
            .for_each_enrollment(&filter, |row| -> Result<(), CliError> {
                let paused_at = row.paused_at.map(from_ms).unwrap_or(now);
                let stale = spec.policy.is_stale(paused_at, row.resume_at.map(from_ms), now);
                n_stale += usize::from(stale);
                let view = EnrollmentView::of(&row, now).explained(&row, &ctx, now);
                if json {
                    print_json(&PausedLine {
                        kind: "paused",
                        view,
                        paused_days: (now - paused_at).num_days(),
                        stale,
                        stale_action,
                    })?;
                } else {
                    if !header_done {
                        emit(&format!("  {TABLE_HEADER}"))?;
                        header_done = true;
                    }
                    let mark = if stale {
                        format!(
                            "  STALE: paused {} days without a resume date",
                            (now - paused_at).num_days()
                        )
                    } else {
                        String::new()
                    };
                    emit(&format!("  {}{mark}", table_line(&view)))?;
                }
                Ok(())
            })
            .await?;
    }
    // Leads that wait because of us or a mailbox, not because of themselves.
    #[derive(Serialize)]
    struct HeldLine<'a> {
        kind: &'static str,
        email: &'a str,
        campaign: &'a str,
        step: i64,
        message_id: &'a str,
        error: Option<&'a str>,
    }
    for h in store.sends_in_state("failed").await? {
        // Only leads still waiting for it (not stopped or skipped since).
        let waiting = ctx.waiting(h.enrollment_id).is_some_and(|w| w.state == "failed");
        if campaign.is_some_and(|c| c != h.campaign) || !waiting {
            continue;
        }
        if json {
            print_json(&HeldLine {
                kind: "held",
                email: &h.email,
                campaign: &h.campaign,
                step: h.step + 1,
                message_id: &h.message_id,
                error: h.error.as_deref(),
            })?;
        } else {
            emit(&format!(
                "held: {} in {}: step {} cannot be sent: {} (fix the data and import it again, or cadenced sends resolve {} --not-sent)",
                h.email,
                h.campaign,
                h.step + 1,
                h.error.as_deref().unwrap_or("unknown error"),
                h.message_id
            ))?;
        }
    }
    let mut mailboxes: Vec<&str> = campaigns.iter().map(|c| c.mailbox.as_str()).collect();
    mailboxes.sort_unstable();
    mailboxes.dedup();
    for mailbox in mailboxes {
        if let (false, why) = store.mailbox_health(mailbox).await? {
            let why = why.unwrap_or_else(|| "unknown error".to_string());
            if json {
                print_json(
                    &serde_json::json!({"kind": "mailbox", "mailbox": mailbox, "healthy": false, "error": why}),
                )?;
            } else {
                emit(&format!(
                    "mailbox {mailbox} is unhealthy, nothing is sent from it: {why}"
                ))?;
            }
        }
    }
    if !json {
        emit(&format!("{n_stale} stale pauses"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CampaignSpec {
        let text = "name = \"c\"\nmailbox = \"m\"\ntimezone = \"UTC\"\n[[step]]\ndelay = \"0s\"\nsubject = \"Hi {{first_name}}\"\nbody = \"About {{company}}\"\n";
        crate::domain::campaign::parse_campaign("c.toml", text)
            .expect("valid")
            .1
    }

    fn csv_problems(content: &str) -> Vec<String> {
        match read_csv("leads.csv", content.as_bytes(), &spec()) {
            Ok(_) => Vec::new(),
            Err(CsvError::Rows(p)) => p,
            Err(CsvError::File(p)) => vec![p],
        }
    }

    #[test]
    fn bad_rows_are_named_by_line() {
        let problems = csv_problems(
            "email,first_name,company,timezone\n\
             ann@example.com,Ann,Acme,Europe/Berlin\n\
             not-an-address,Bob,Beta,\n\
             carl@example.com,Carl,Gamma,Mars/Olympus\n\
             ANN@example.com,Ann,Acme,\n\
             dora@example.com,Dora,,\n",
        );
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[0].starts_with("line 3: email:"), "{problems:#?}");
        assert!(
            problems[1].starts_with("line 4: timezone:") && problems[1].contains("Mars/Olympus"),
            "{problems:#?}"
        );
        assert!(
            problems[2].starts_with("line 5: email:") && problems[2].contains("duplicate of line 2"),
            "{problems:#?}"
        );
        assert!(problems[3].starts_with("line 6: company:"), "{problems:#?}");
    }

    #[test]
    fn missing_template_column_is_refused() {
        let problems = csv_problems("email,first_name\nann@example.com,Ann\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("company"), "{problems:?}");
        // Every missing column is named at once.
        let problems = csv_problems("email\nann@example.com\n");
        assert!(
            problems[0].contains("first_name") && problems[0].contains("company"),
            "{problems:?}"
        );
    }

    #[test]
    fn control_characters_binary_files_and_semicolons() {
        let problems = csv_problems("email,first_name,company\nann@example.com,Ann,Ac\u{1b}me\n");
        assert_eq!(
            problems,
            vec!["line 2: field \"company\" contains a control character (U+001B)".to_string()]
        );
        let problems = csv_problems("email,first_name,company\nann@example.com,Ann,Ac\0me\n");
        assert!(
            problems[0].contains("line 2") && problems[0].contains("U+0000"),
            "{problems:?}"
        );
        let problems = csv_problems("em\0ail,first_name,company\n");
        assert!(problems[0].contains("binary file"), "{problems:?}");
        assert!(matches!(
            read_csv("x.csv", b"PK\x03\x04\xff\xfe", &spec()),
            Err(CsvError::File(p)) if p.contains("not UTF-8")
        ));
        let leads = read_csv(
            "x.csv",
            b"email;first_name;company\nann@example.com;Ann;Acme, Inc.\n",
            &spec(),
        )
        .map_err(|e| format!("{e:?}"))
        .expect("semicolons");
        assert_eq!(leads[0].company.as_deref(), Some("Acme, Inc."));
    }

    #[test]
    fn good_file_keeps_custom_fields() {
        let leads = read_csv(
            "leads.csv",
            b"Email,First Name,Company,Deal Size\nann@example.com,Ann,Acme,big\n",
            &spec(),
        )
        .map_err(|e| format!("{e:?}"))
        .expect("valid");
        assert_eq!(leads.len(), 1);
        assert_eq!(leads[0].first_name.as_deref(), Some("Ann"));
        assert_eq!(leads[0].fields.get("deal_size").map(String::as_str), Some("big"));
    }
}
