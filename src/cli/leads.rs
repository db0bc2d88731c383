//! `cadenced leads import|list|pause|resume|stop`, `cadenced lead show|pause|resume|stop|skip|unskip`
//! and `cadenced report`: reading the arguments and files, printing the answers; the
//! operations themselves are `ops`'s, shared with the API.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::cli::campaigns::refusal;
use crate::cli::output::{emit, print_json, table_line, EnrollmentView, ViewContext, TABLE_HEADER};
use crate::cli::{op, usage, BulkArgs, CliError, LeadArgs, LeadCommand, LeadsCommand};
use crate::config::Config;
use crate::db::{NewLead, Store};
use crate::domain::campaign::{CampaignSpec, BUILTIN_FIELDS};
use crate::domain::EmailAddress;
use crate::ops::{self, BulkAction, LeadAction, ReportLine};

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
            let mut filter = ops::leads_filter(store, campaign.as_deref(), None, None)
                .await
                .map_err(op)?;
            if let Some(s) = status {
                filter.status = Some(ops::parse_status("--status", &s).map_err(op)?);
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
        LeadsCommand::Pause(args) => {
            let until = args.until.clone();
            bulk(store, args, BulkAction::Pause { until }, now).await
        }
        LeadsCommand::Resume(args) => bulk(store, args, BulkAction::Resume, now).await,
        LeadsCommand::Stop(args) => {
            let reason = args.reason.clone();
            bulk(store, args, BulkAction::Stop { reason }, now).await
        }
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
    let (args, action) = match command {
        LeadCommand::Show(args) => {
            let view = ops::lead_show(store, &args.campaign, &args.email, now)
                .await
                .map_err(op)?;
            if args.json {
                print_json(&view)?;
            } else {
                print_show(&view)?;
            }
            return Ok(());
        }
        LeadCommand::Pause { lead, until } => (lead, LeadAction::Pause { until }),
        LeadCommand::Resume(lead) => (lead, LeadAction::Resume),
        LeadCommand::Stop { lead, reason } => (lead, LeadAction::Stop { reason }),
        LeadCommand::Skip(lead) => (lead, LeadAction::Skip),
        LeadCommand::Unskip(lead) => (lead, LeadAction::Unskip),
    };
    let LeadArgs {
        email,
        campaign,
        note,
        json,
    } = args;
    let view = ops::lead_act(store, &campaign, &email, &action, note, now)
        .await
        .map_err(op)?;
    if json {
        print_json(&view)?;
    } else {
        emit(&format!(
            "lead {} in campaign {campaign:?} {}",
            view.email,
            action.done()
        ))?;
    }
    Ok(())
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

async fn bulk(store: &Store, args: BulkArgs, action: BulkAction, now: DateTime<Utc>) -> Result<(), CliError> {
    if args.until.is_some() && !matches!(action, BulkAction::Pause { .. }) {
        return Err(usage("--until only goes with pause"));
    }
    let mut wanted: Option<Vec<String>> = None;
    if let Some(file) = &args.file {
        let text = crate::input::read_text(file, crate::input::ADDRESS_LIST)?;
        let mut list = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let email =
                EmailAddress::parse(line).map_err(|e| usage(format!("{}:{}: {e}", file.display(), i + 1)))?;
            list.push(email.to_string());
        }
        wanted = Some(list);
    }
    let status = match (&args.status, &wanted) {
        (Some(s), _) => Some(ops::parse_status("--status", s).map_err(op)?.as_str()),
        (None, None) => return Err(usage("name the leads with --file or --status")),
        (None, Some(_)) => None,
    };
    let out = ops::bulk(
        store,
        &args.campaign,
        wanted.as_deref(),
        status,
        &action,
        args.note.clone(),
        now,
    )
    .await
    .map_err(|e| match e {
        ops::OpError::Invalid(m) => usage(m.replacen("until ", "--until ", 1)),
        other => op(other),
    })?;
    let verb = action.done();
    let mut refused = 0;
    let mut missing = 0;
    for line in &out.not_changed {
        if line.result == "refused" {
            refused += 1;
        } else {
            missing += 1;
        }
        if args.json {
            print_json(line)?;
        } else if line.result == "refused" {
            eprintln!(
                "lead {} in campaign {:?}: {}",
                line.email,
                line.campaign,
                line.message.as_deref().unwrap_or("refused")
            );
        } else {
            eprintln!("lead {} is not in campaign {:?}", line.email, line.campaign);
        }
    }
    eprintln!("{} {verb}, {refused} refused, {missing} not found", out.changed);
    if out.not_changed.is_empty() {
        Ok(())
    } else {
        Err(CliError::Failed(anyhow::anyhow!(
            "{} of {} leads not {verb}",
            out.not_changed.len(),
            out.changed as usize + out.not_changed.len()
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
    let spec = c.spec().map_err(|e| CliError::Failed(anyhow::anyhow!(e)))?;
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
/// `stale_after` are marked stale (the lines of [`ops::report`]).
///
/// # Errors
/// Database errors.
pub async fn report(
    store: &Store,
    campaign: Option<&str>,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    let lines = ops::report(store, campaign, now).await.map_err(op)?;
    let mut n_stale = 0;
    let mut header_done = false;
    for line in &lines {
        if let ReportLine::Paused(p) = line {
            n_stale += usize::from(p.stale);
        }
        if json {
            print_json(line)?;
            continue;
        }
        match line {
            ReportLine::Counts(c) => {
                header_done = false;
                let parts: Vec<String> = c.counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
                // The brake's pause is the one an operator must act on: say so with the status.
                let status = match c.pause_reason.as_deref() {
                    Some("bounce_rate") => format!("{}: bounce_rate, resume by hand", c.status),
                    _ => c.status.clone(),
                };
                emit(&format!(
                    "campaign {} ({}): {}",
                    c.campaign,
                    status,
                    if parts.is_empty() {
                        "no leads".to_string()
                    } else {
                        parts.join(" ")
                    }
                ))?;
            }
            ReportLine::Unreadable { campaign, error } => {
                emit(&format!(
                    "  UNREADABLE: campaign {campaign:?} as stored does not parse ({error}); apply its file again"
                ))?;
            }
            ReportLine::Paused(p) => {
                if !header_done {
                    emit(&format!("  {TABLE_HEADER}"))?;
                    header_done = true;
                }
                let mark = if p.stale {
                    format!("  STALE: paused {} days without a resume date", p.paused_days)
                } else {
                    String::new()
                };
                emit(&format!("  {}{mark}", table_line(&p.view)))?;
            }
            ReportLine::Held(h) => emit(&format!(
                "held: {} in {}: step {} cannot be sent: {} (fix the data and import it again, or cadenced sends resolve {} --not-sent)",
                h.email,
                h.campaign,
                h.step,
                h.error.as_deref().unwrap_or("unknown error"),
                h.message_id
            ))?,
            ReportLine::Mailbox { mailbox, error, .. } => emit(&format!(
                "mailbox {mailbox} is unhealthy, nothing is sent from it: {error}"
            ))?,
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
