//! What an operator can do, once, below both front ends: the CLI's lead, campaign, report,
//! mailbox and send commands and the JSON API of the operator listener call these same
//! functions, so a check, a refusal and a field name are the same whichever way a person
//! asks. The front ends only read their input (arguments, files, request bodies) and show
//! the answer (lines, JSON).
//!
//! Errors say which kind they are ([`OpError`]): bad input (the CLI's exit 2, the API's
//! 400), something not found (exit 1, 404), a refusal by the lifecycle (exit 1, 409, the
//! lifecycle's own sentence), or the database (exit 1, 500 with no detail).

pub mod views;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::config::Config;
use crate::db::recipient::{JudgedClick, Unsubscribed};
use crate::db::rows::{from_ms, to_ms, CampaignRow, EnrollmentRow};
use crate::db::{Cause, Filter, Store, StoreError};
use crate::domain::campaign::{CampaignSpec, CampaignStatus, StaleAction};
use crate::domain::lead::{Event, Pause, PauseReason, Source, Status, StopReason};
use crate::domain::recipient::{decide_click, decide_unsubscribe};
use crate::domain::window::local_instant;
use crate::domain::EmailAddress;
use crate::ops::views::{rfc3339, EnrollmentView, ViewContext};

/// Why an operation did not happen, by who must act.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// The request itself is wrong (a bad status name, a date in the past): the asker fixes it.
    #[error("{0}")]
    Invalid(String),
    /// The campaign or lead named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The lifecycle refuses it in the current state; the sentence says what to do instead.
    #[error("{0}")]
    Refused(String),
    /// The database failed; the API answers 500 without this detail (the log has it).
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> OpError {
        match e {
            StoreError::NotFound(m) => OpError::NotFound(m),
            StoreError::Refused(m) => OpError::Refused(m),
            StoreError::Unreadable(u) => OpError::Refused(u.to_string()),
            other => OpError::Store(other),
        }
    }
}

/// The status named `s` (`name` is the option or field it came from, for the message).
///
/// # Errors
/// [`OpError::Invalid`] listing the statuses.
pub fn parse_status(name: &str, s: &str) -> Result<Status, OpError> {
    Status::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        OpError::Invalid(format!("{name} {s:?} is not one of {}", all.join(", ")))
    })
}

/// The stop reason named `s`, `manual` when none.
///
/// # Errors
/// [`OpError::Invalid`] listing the reasons.
pub fn parse_stop_reason(name: &str, s: Option<&str>) -> Result<StopReason, OpError> {
    match s {
        None => Ok(StopReason::Manual),
        Some(s) => StopReason::parse(s).ok_or_else(|| {
            let all: Vec<&str> = StopReason::ALL.iter().map(|r| r.as_str()).collect();
            OpError::Invalid(format!("{name} {s:?} is not one of {}", all.join(", ")))
        }),
    }
}

/// `until` of a pause: a date means the first opening of the sending window on that day, in
/// the lead's timezone (else the campaign's); today (in that timezone) means the next opening
/// from now, so a pause "until today" is accepted and ends at once if the window is open.
/// An RFC 3339 time is taken as is. Past dates and dates beyond the campaign's
/// `policy.max_pause` are refused (a typo such as 2046 for 2026 would silence a lead for
/// twenty years). `name` is the option or field, for the message.
///
/// # Errors
/// [`OpError::Invalid`] naming the value and the bound it broke.
pub fn parse_until(
    name: &str,
    s: &str,
    row: &EnrollmentRow,
    spec: &CampaignSpec,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, OpError> {
    let tz: Tz = row
        .timezone
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(spec.timezone);
    let at = if let Ok(date) = s.parse::<NaiveDate>() {
        let today = now.with_timezone(&tz).date_naive();
        if date < today {
            return Err(OpError::Invalid(format!(
                "{name} {s:?} is in the past (today is {today} in {tz})"
            )));
        }
        let from = local_instant(date, NaiveTime::MIN, tz).max(now);
        spec.window.next_open_at_or_after(from, tz)
    } else if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        let t = t.with_timezone(&Utc);
        if t <= now {
            return Err(OpError::Invalid(format!("{name} {s:?} is in the past")));
        }
        t
    } else {
        return Err(OpError::Invalid(format!(
            "{name} {s:?} is neither a date YYYY-MM-DD nor an RFC 3339 time"
        )));
    };
    let max_pause = chrono::Duration::from_std(spec.policy.max_pause).unwrap_or(chrono::Duration::days(365));
    if at > now + max_pause {
        return Err(OpError::Invalid(format!(
            "{name} {s:?} is further away than the campaign's policy.max_pause ({}); pause without {name} to wait for a person",
            humantime::format_duration(spec.policy.max_pause)
        )));
    }
    Ok(at)
}

fn spec_of(c: &CampaignRow) -> Result<CampaignSpec, OpError> {
    c.spec().map_err(|e| OpError::Refused(e.to_string()))
}

/// The filter of a lead list: a campaign by name, a status by name, a search text.
///
/// # Errors
/// [`OpError::NotFound`] for an unknown campaign, [`OpError::Invalid`] for a bad status.
pub async fn leads_filter(
    store: &Store,
    campaign: Option<&str>,
    status: Option<&str>,
    search: Option<&str>,
) -> Result<Filter, OpError> {
    let mut filter = Filter::default();
    if let Some(name) = campaign {
        filter.campaign_id = Some(store.campaign_required(name).await?.id);
    }
    if let Some(s) = status {
        filter.status = Some(parse_status("status", s)?);
    }
    filter.search = search.map(str::to_string);
    Ok(filter)
}

/// One page of a lead list and where the next begins.
#[derive(Debug, Serialize)]
pub struct LeadsPage {
    /// The leads of this page, in enrollment order (the CLI's `leads list --json` lines).
    pub leads: Vec<EnrollmentView>,
    /// What to pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// The largest page a list gives.
pub const MAX_PAGE: u32 = 500;

/// A page of the leads matching `filter`, after `cursor` (from the previous page's
/// `next_cursor`), of at most `limit` (capped at [`MAX_PAGE`]).
///
/// # Errors
/// [`OpError::Invalid`] for a cursor that is not one of ours; database errors.
pub async fn leads_page(
    store: &Store,
    filter: &Filter,
    cursor: Option<&str>,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<LeadsPage, OpError> {
    let after = match cursor {
        None | Some("") => 0,
        Some(c) => c.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            OpError::Invalid(format!(
                "cursor {:?} is not a cursor this server gave",
                crate::domain::clip(c, 40)
            ))
        })?,
    };
    let (rows, more) = store
        .enrollment_page(filter, after, limit.clamp(1, MAX_PAGE))
        .await?;
    let ctx = ViewContext::load(store, now).await?;
    let next_cursor = if more {
        rows.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok(LeadsPage {
        leads: rows
            .iter()
            .map(|row| EnrollmentView::of(row, now).explained(row, &ctx, now))
            .collect(),
        next_cursor,
    })
}

/// A lead with its data and its whole history (`lead show`).
///
/// # Errors
/// [`OpError::NotFound`] naming the lead and campaign; database errors.
pub async fn lead_show(
    store: &Store,
    campaign: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<EnrollmentView, OpError> {
    let row = store.enrollment(campaign, email).await?;
    let events = store.events(row.id).await?;
    let sends = store.sends_of(row.id).await?;
    let ctx = ViewContext::load(store, now).await?;
    Ok(EnrollmentView::of(&row, now)
        .explained(&row, &ctx, now)
        .with_fields(&row)
        .with_events(&events, &sends))
}

/// What an operator does to one lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadAction {
    /// Pause an `in_progress` lead, until a date or time (`until`) or until a person resumes it.
    Pause {
        /// A date `YYYY-MM-DD` (local to the lead) or an RFC 3339 time, see [`parse_until`].
        until: Option<String>,
    },
    /// Resume a paused lead with the delay it had left.
    Resume,
    /// Stop a lead for good, with a reason (`manual` when none).
    Stop {
        /// `manual`, `replied`, `meeting_booked`, `unsubscribed`, `bounced`, …
        reason: Option<String>,
    },
    /// Keep a lead not contacted yet from starting.
    Skip,
    /// Undo a skip.
    Unskip,
}

impl LeadAction {
    /// The past participle the CLI prints ("paused").
    pub fn done(&self) -> &'static str {
        match self {
            LeadAction::Pause { .. } => "paused",
            LeadAction::Resume => "resumed",
            LeadAction::Stop { .. } => "stopped",
            LeadAction::Skip => "skipped",
            LeadAction::Unskip => "unskipped",
        }
    }
}

/// Applies `action` to one lead as an operator, with `note` on its event; returns the lead
/// as it now is.
///
/// # Errors
/// [`OpError::Refused`] with the lifecycle's sentence (pausing a `launch` lead says to skip
/// it), [`OpError::Invalid`] for a bad `until` or reason, [`OpError::NotFound`].
pub async fn lead_act(
    store: &Store,
    campaign: &str,
    email: &str,
    action: &LeadAction,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<EnrollmentView, OpError> {
    let row = store.enrollment(campaign, email).await?;
    let event = match action {
        LeadAction::Pause { until } => {
            let resume_at = match until {
                None => None,
                Some(u) => {
                    let c = store.campaign_required(campaign).await?;
                    Some(parse_until("until", u, &row, &spec_of(&c)?, now)?)
                }
            };
            Event::Pause(Pause {
                paused_at: now,
                source: Source::Operator,
                reason: PauseReason::Manual,
                resume_at,
                return_date: None,
                note: note.clone(),
                message_id: None,
            })
        }
        LeadAction::Resume => {
            let c = store.campaign_required(campaign).await?;
            Event::Resume {
                at: now,
                source: Source::Operator,
                campaign_paused: c.status == CampaignStatus::Paused,
            }
        }
        LeadAction::Stop { reason } => Event::Stop {
            at: now,
            reason: parse_stop_reason("reason", reason.as_deref())?,
        },
        LeadAction::Skip => Event::Skip,
        LeadAction::Unskip => Event::Unskip,
    };
    match store
        .transition(row.id, &event, &Cause::operator(note), now)
        .await?
    {
        Ok(_) => {
            let row = store.enrollment(campaign, email).await?;
            let ctx = ViewContext::load(store, now).await?;
            Ok(EnrollmentView::of(&row, now).explained(&row, &ctx, now))
        }
        Err(refused) => Err(OpError::Refused(format!(
            "lead {} in campaign {campaign:?}: {}",
            row.email, refused.message
        ))),
    }
}

/// What a bulk change does to each lead it selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// Pause, optionally until a date or time (per lead, in its timezone).
    Pause {
        /// As [`LeadAction::Pause`]'s.
        until: Option<String>,
    },
    /// Resume with the delay each had left.
    Resume,
    /// Stop with a reason (`manual` when none).
    Stop {
        /// As [`LeadAction::Stop`]'s.
        reason: Option<String>,
    },
}

impl BulkAction {
    /// The past participle the CLI prints.
    pub fn done(&self) -> &'static str {
        match self {
            BulkAction::Pause { .. } => "paused",
            BulkAction::Resume => "resumed",
            BulkAction::Stop { .. } => "stopped",
        }
    }
}

/// One lead a bulk change did not change, and why (the CLI's `--json` line).
#[derive(Debug, Clone, Serialize)]
pub struct BulkLine {
    /// The lead's address, as the request named it.
    pub email: String,
    /// The campaign the change was asked in.
    pub campaign: String,
    /// `refused` (the lifecycle's refusal) or `not_found` (not in the campaign).
    pub result: &'static str,
    /// The refusal's sentence, or "not in campaign".
    pub message: Option<String>,
}

/// What a bulk change did.
#[derive(Debug, Clone, Serialize)]
pub struct BulkResult {
    /// How many leads changed.
    pub changed: u64,
    /// The leads not changed (refused or not found), one line each.
    pub not_changed: Vec<BulkLine>,
}

/// Applies `action` to the leads of `campaign` named in `emails` or in `status` (one of
/// the two), as an operator, with `note`.
///
/// # Errors
/// [`OpError::Invalid`] for a bad address, status, `until` or reason (nothing is changed
/// then), [`OpError::NotFound`] for the campaign; database errors.
pub async fn bulk(
    store: &Store,
    campaign: &str,
    emails: Option<&[String]>,
    status: Option<&str>,
    action: &BulkAction,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<BulkResult, OpError> {
    let c = store.campaign_required(campaign).await?;
    let mut filter = Filter {
        campaign_id: Some(c.id),
        ..Filter::default()
    };
    let mut wanted: Vec<String> = Vec::new();
    match (emails, status) {
        (Some(list), None) => {
            for e in list {
                wanted.push(
                    EmailAddress::parse(e)
                        .map_err(|m| OpError::Invalid(format!("{e:?}: {m}")))?
                        .to_string(),
                );
            }
            filter.emails = Some(wanted.clone());
        }
        (None, Some(s)) => filter.status = Some(parse_status("status", s)?),
        _ => {
            return Err(OpError::Invalid(
                "name the leads by emails or by status (one of the two)".to_string(),
            ))
        }
    }
    let spec = spec_of(&c)?;
    let reason = match action {
        BulkAction::Stop { reason } => parse_stop_reason("reason", reason.as_deref())?,
        _ => StopReason::Manual,
    };
    // Per-row events need the row (its timezone for `until`), so they are built up front.
    let mut events: HashMap<i64, Event> = HashMap::new();
    let mut found: HashSet<String> = HashSet::new();
    let mut error: Option<OpError> = None;
    store
        .for_each_enrollment(&filter, |row| -> Result<(), StoreError> {
            found.insert(row.email.clone());
            let event = match action {
                BulkAction::Pause { until } => {
                    let resume_at = match until {
                        None => None,
                        Some(u) => match parse_until("until", u, &row, &spec, now) {
                            Ok(t) => Some(t),
                            Err(e) => {
                                error.get_or_insert(e);
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
                        note: note.clone(),
                        message_id: None,
                    })
                }
                BulkAction::Resume => Event::Resume {
                    at: now,
                    source: Source::Operator,
                    campaign_paused: c.status == CampaignStatus::Paused,
                },
                BulkAction::Stop { .. } => Event::Stop { at: now, reason },
            };
            events.insert(row.id, event);
            Ok(())
        })
        .await?;
    if let Some(e) = error {
        return Err(e);
    }
    let out = store
        .transition_many(
            &filter,
            |row| events.get(&row.id).cloned().unwrap_or(Event::Skip),
            &Cause::operator(note.clone()),
            now,
        )
        .await?;
    let mut not_changed: Vec<BulkLine> = out
        .refused
        .into_iter()
        .map(|(email, campaign, message)| BulkLine {
            email,
            campaign,
            result: "refused",
            message: Some(message),
        })
        .collect();
    for email in wanted.iter().filter(|w| !found.contains(*w)) {
        not_changed.push(BulkLine {
            email: email.clone(),
            campaign: c.name.clone(),
            result: "not_found",
            message: Some("not in campaign".to_string()),
        });
    }
    Ok(BulkResult {
        changed: out.changed,
        not_changed,
    })
}

/// A campaign as `campaign list --json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignView {
    /// The name in its file.
    pub name: String,
    /// The mailbox it sends from.
    pub mailbox: String,
    /// `draft`, `active`, `paused` or `archived`.
    pub status: String,
    /// Why it is paused: `manual` or `bounce_rate` (the brake); `null` when not paused.
    pub pause_reason: Option<String>,
    /// When it was launched, RFC 3339 UTC.
    pub launched_at: Option<String>,
    /// Its leads per status.
    pub counts: BTreeMap<String, i64>,
}

/// Every campaign with its counts per status, by name.
///
/// # Errors
/// Database errors.
pub async fn campaigns(store: &Store) -> Result<Vec<CampaignView>, OpError> {
    let counts = store.status_counts().await?;
    Ok(store
        .campaigns()
        .await?
        .into_iter()
        .map(|c| {
            let counts: BTreeMap<String, i64> = counts
                .iter()
                .filter(|s| s.campaign == c.name)
                .map(|s| (s.status.clone(), s.count))
                .collect();
            CampaignView {
                name: c.name,
                mailbox: c.mailbox,
                status: c.status.as_str().to_string(),
                pause_reason: c.pause_reason.clone(),
                launched_at: c.launched_at.map(|t| rfc3339(from_ms(t))),
                counts,
            }
        })
        .collect())
}

/// One campaign with its counts.
///
/// # Errors
/// [`OpError::NotFound`]; database errors.
pub async fn campaign(store: &Store, name: &str) -> Result<CampaignView, OpError> {
    store.campaign_required(name).await?;
    campaigns(store)
        .await?
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| OpError::NotFound(format!("campaign {name:?} does not exist (apply its file first)")))
}

/// Pauses a campaign: every countdown freezes. Returns how many.
///
/// # Errors
/// [`OpError::Refused`] when it is not running; [`OpError::NotFound`].
pub async fn campaign_pause(store: &Store, name: &str, now: DateTime<Utc>) -> Result<u64, OpError> {
    Ok(store.pause_campaign(name, now).await?)
}

/// Resumes a paused campaign: countdowns restart with the time they had left. Returns how many.
///
/// # Errors
/// [`OpError::Refused`] when it is not paused; [`OpError::NotFound`].
pub async fn campaign_resume(store: &Store, name: &str, now: DateTime<Utc>) -> Result<u64, OpError> {
    Ok(store.resume_campaign(name, now).await?)
}

/// Moves a campaign to another mailbox of the config; in-progress leads are paused
/// (`sender_changed`). Returns how many.
///
/// # Errors
/// [`OpError::Invalid`] for a mailbox not in the config; refusals of the store.
pub async fn campaign_set_sender(
    cfg: &Config,
    store: &Store,
    name: &str,
    mailbox: &str,
    now: DateTime<Utc>,
) -> Result<u64, OpError> {
    if cfg.mailbox(mailbox).is_none() {
        return Err(OpError::Invalid(format!(
            "mailbox {mailbox:?} is not in {} (known: {})",
            cfg.path.display(),
            known_mailboxes(cfg)
        )));
    }
    Ok(store.set_sender(name, mailbox, now).await?)
}

/// The config's mailbox names, for messages.
pub fn known_mailboxes(cfg: &Config) -> String {
    let names: Vec<&str> = cfg.mailboxes.iter().map(|m| m.name.as_str()).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// A campaign's counts in `report` (`kind: "counts"`).
#[derive(Debug, Clone, Serialize)]
pub struct CountsLine {
    /// The campaign's name.
    pub campaign: String,
    /// `draft`, `active`, `paused` or `archived`: whether its leads move at all.
    pub status: String,
    /// Why it is paused (`bounce_rate` must be resumed by hand).
    pub pause_reason: Option<String>,
    /// Leads per status.
    pub counts: BTreeMap<String, i64>,
}

/// A paused lead in `report` (`kind: "paused"`).
#[derive(Debug, Serialize)]
pub struct PausedLine {
    /// The lead as `lead show` shows it, flattened into the line.
    #[serde(flatten)]
    pub view: EnrollmentView,
    /// Whole days since the pause began.
    pub paused_days: i64,
    /// Paused without a resume date for longer than the campaign's `stale_after`.
    pub stale: bool,
    /// What the campaign does with stale pauses: `report` or `stop`.
    pub stale_action: &'static str,
}

/// A step held because it cannot be sent (`kind: "held"`).
#[derive(Debug, Clone, Serialize)]
pub struct HeldLine {
    /// The lead's address.
    pub email: String,
    /// The campaign the step belongs to.
    pub campaign: String,
    /// The step, 1-based.
    pub step: i64,
    /// The send's Message-ID (for `sends resolve`).
    pub message_id: String,
    /// Why it cannot be sent.
    pub error: Option<String>,
}

/// One line of `report`: the JSON carries its kind in `kind`.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportLine {
    /// A campaign's counts.
    Counts(CountsLine),
    /// A campaign whose stored file no longer parses.
    Unreadable {
        /// The campaign: the file to apply again.
        campaign: String,
        /// Why its stored text no longer parses, for the operator.
        error: String,
    },
    /// A paused lead.
    Paused(Box<PausedLine>),
    /// A step held because it cannot be sent.
    Held(HeldLine),
    /// An unhealthy mailbox: nothing is sent from it.
    Mailbox {
        /// The mailbox's name in the config.
        mailbox: String,
        /// Always `false` here.
        healthy: bool,
        /// The last login or transport failure: what to fix.
        error: String,
    },
}

/// `report`: per campaign its counts, then every paused lead with its reason and resume
/// date (pauses without one older than the campaign's `stale_after` marked stale); the
/// held steps and the unhealthy mailboxes.
///
/// # Errors
/// [`OpError::NotFound`] for an unknown campaign; database errors.
pub async fn report(
    store: &Store,
    campaign: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<ReportLine>, OpError> {
    let campaigns: Vec<CampaignRow> = match campaign {
        Some(name) => vec![store.campaign_required(name).await?],
        None => store.campaigns().await?,
    };
    let counts = store.status_counts().await?;
    let ctx = ViewContext::load(store, now).await?;
    let mut out = Vec::new();
    for c in &campaigns {
        out.push(ReportLine::Counts(CountsLine {
            campaign: c.name.clone(),
            status: c.status.as_str().to_string(),
            pause_reason: c.pause_reason.clone(),
            counts: counts
                .iter()
                .filter(|s| s.campaign == c.name)
                .map(|s| (s.status.clone(), s.count))
                .collect(),
        }));
        // A stored campaign that no longer parses is reported, not fatal: its leads stay as
        // they are, and the other campaigns are still reported.
        let spec = match c.spec() {
            Ok(spec) => spec,
            Err(e) => {
                out.push(ReportLine::Unreadable {
                    campaign: c.name.clone(),
                    error: e.error.clone(),
                });
                continue;
            }
        };
        let filter = Filter {
            campaign_id: Some(c.id),
            status: Some(Status::Paused),
            ..Filter::default()
        };
        let stale_action = match spec.policy.stale_action {
            StaleAction::Report => "report",
            StaleAction::Stop => "stop",
        };
        store
            .for_each_enrollment(&filter, |row| -> Result<(), StoreError> {
                let paused_at = row.paused_at.map(from_ms).unwrap_or(now);
                out.push(ReportLine::Paused(Box::new(PausedLine {
                    stale: spec.policy.is_stale(paused_at, row.resume_at.map(from_ms), now),
                    view: EnrollmentView::of(&row, now).explained(&row, &ctx, now),
                    paused_days: (now - paused_at).num_days(),
                    stale_action,
                })));
                Ok(())
            })
            .await?;
    }
    for h in store.sends_in_state("failed").await? {
        // Only leads still waiting for it (not stopped or skipped since).
        let waiting = ctx.waiting(h.enrollment_id).is_some_and(|w| w.state == "failed");
        if campaign.is_some_and(|c| c != h.campaign) || !waiting {
            continue;
        }
        out.push(ReportLine::Held(HeldLine {
            email: h.email,
            campaign: h.campaign,
            step: h.step + 1,
            message_id: h.message_id,
            error: h.error,
        }));
    }
    let mut mailboxes: Vec<&str> = campaigns.iter().map(|c| c.mailbox.as_str()).collect();
    mailboxes.sort_unstable();
    mailboxes.dedup();
    for mailbox in mailboxes {
        if let (false, why) = store.mailbox_health(mailbox).await? {
            out.push(ReportLine::Mailbox {
                mailbox: mailbox.to_string(),
                healthy: false,
                error: why.unwrap_or_else(|| "unknown error".to_string()),
            });
        }
    }
    Ok(out)
}

/// A mailbox as `mailboxes --json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MailboxView {
    /// Its name in the config.
    pub mailbox: String,
    /// Whether this config has it (the database may know mailboxes since removed).
    pub configured: bool,
    /// The daemon holding its lease, if any.
    pub holder: Option<String>,
    /// That daemon's process id.
    pub holder_pid: Option<i64>,
    /// When that daemon last said it was alive.
    pub holder_seen_at: Option<String>,
    /// When the lease runs out unless renewed.
    pub lease_until: Option<String>,
    /// Whether sending and reading work.
    pub healthy: bool,
    /// The last failure, if unhealthy.
    pub last_error: Option<String>,
}

/// Each mailbox of the config (and any other the database knows), the daemon holding its
/// lease and when that lease runs out, and its health.
///
/// # Errors
/// Database errors.
pub async fn mailboxes(cfg: &Config, store: &Store, now: DateTime<Utc>) -> Result<Vec<MailboxView>, OpError> {
    let rows = store.mailboxes().await?;
    let daemons = store.daemons().await?;
    let mut names: Vec<&str> = cfg.mailboxes.iter().map(|m| m.name.as_str()).collect();
    for r in &rows {
        if !names.contains(&r.mailbox.as_str()) {
            names.push(&r.mailbox);
        }
    }
    Ok(names
        .into_iter()
        .map(|name| {
            let row = rows.iter().find(|r| r.mailbox == name);
            // A lease past its end, or held by a daemon no longer registered, is nobody's.
            let holder = row
                .and_then(|r| r.lease_holder.as_deref().zip(r.lease_until))
                .filter(|(_, until)| *until >= to_ms(now))
                .and_then(|(h, _)| daemons.iter().find(|d| d.id == h));
            MailboxView {
                mailbox: name.to_string(),
                configured: cfg.mailbox(name).is_some(),
                holder: holder.map(|d| d.id.clone()),
                holder_pid: holder.map(|d| d.pid),
                holder_seen_at: holder.map(|d| rfc3339(from_ms(d.seen_at))),
                lease_until: holder
                    .and(row.and_then(|r| r.lease_until))
                    .map(|t| rfc3339(from_ms(t))),
                healthy: row.is_none_or(|r| r.healthy),
                last_error: row.and_then(|r| r.last_error.clone()),
            }
        })
        .collect())
}

/// A send as `sends list --json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SendView {
    /// Its Message-ID (what `sends resolve` takes).
    pub message_id: String,
    /// The lead's address.
    pub email: String,
    /// The campaign the step belongs to.
    pub campaign: String,
    /// The step, 1-based.
    pub step: i64,
    /// The mailbox it goes out from.
    pub mailbox: String,
    /// `claimed`, `sent`, `retry`, `uncertain`, `bounced` or `failed`.
    pub state: String,
    /// When it was claimed (before any byte went to SMTP).
    pub claimed_at: String,
    /// When the SMTP server accepted it.
    pub sent_at: Option<String>,
    /// Attempts so far: a temporary failure is retried with a growing backoff.
    pub attempts: i64,
    /// The last SMTP or rendering error, clipped.
    pub error: Option<String>,
}

/// The states a send can be listed in.
pub const SEND_STATES: [&str; 6] = ["claimed", "sent", "retry", "uncertain", "bounced", "failed"];

/// The sends in `state` (`uncertain` are the ones that need a person).
///
/// # Errors
/// [`OpError::Invalid`] for an unknown state; database errors.
pub async fn sends(store: &Store, state: &str) -> Result<Vec<SendView>, OpError> {
    if !SEND_STATES.contains(&state) {
        return Err(OpError::Invalid(format!(
            "state {state:?} is not one of {}",
            SEND_STATES.join(", ")
        )));
    }
    Ok(store
        .sends_in_state(state)
        .await?
        .into_iter()
        .map(|s| SendView {
            claimed_at: rfc3339(from_ms(s.claimed_at)),
            sent_at: s.sent_at.map(|t| rfc3339(from_ms(t))),
            step: s.step + 1,
            message_id: s.message_id,
            email: s.email,
            campaign: s.campaign,
            mailbox: s.mailbox,
            state: s.state,
            attempts: s.attempts,
            error: s.error,
        })
        .collect())
}

/// The stored form of an API token: its SHA-256, in hex. The token is 32 random bytes, so
/// a fast hash suffices (there is nothing to guess from it); passwords need argon2.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The prefix of every API token, so a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "cdt_";

/// Creates an API token named `name` and returns it: the only time it is ever shown.
///
/// # Errors
/// [`OpError::Invalid`] for an empty or odd name, [`OpError::Refused`] when a live token has
/// it; the kernel's random source failing.
pub async fn api_token_create(store: &Store, name: &str, now: DateTime<Utc>) -> Result<String, OpError> {
    check_name("token", name)?;
    let bytes = random_bytes().map_err(|e| OpError::Invalid(format!("reading /dev/urandom: {e}")))?;
    let token = format!(
        "{TOKEN_PREFIX}{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    store.create_api_token(name, &token_hash(&token), now).await?;
    Ok(token)
}

/// The names of API tokens and console accounts: shown in lists and logs, so short and plain.
fn check_name(kind: &str, name: &str) -> Result<(), OpError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.@".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(plain) {
        return Err(OpError::Invalid(format!(
            "{kind} name {:?}: use 1 to 64 letters, digits, '-', '_', '.', '@'",
            crate::domain::clip(name, 80)
        )));
    }
    Ok(())
}

/// 32 bytes from the kernel's random source.
fn random_bytes() -> std::io::Result<[u8; 32]> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The name of the live API token `presented` (a `Bearer` value), or `None`: nothing tells
/// a wrong token from a revoked or malformed one.
///
/// # Errors
/// Database errors.
pub async fn api_token_check(store: &Store, presented: &str) -> Result<Option<String>, StoreError> {
    if !presented.starts_with(TOKEN_PREFIX) || presented.len() != TOKEN_PREFIX.len() + 64 {
        return Ok(None);
    }
    store.api_token_by_hash(&token_hash(presented)).await
}

/// How often a one-click unsubscribe or a click's judgement reads its facts and decides again
/// when the enrollments changed between the read and the write.
const RECIPIENT_RETRIES: usize = 5;

/// The one-click unsubscribe of the person of enrollment `enrollment_id` (the public
/// listener's `POST /u/TOKEN`): the store reads the facts, `decide_unsubscribe` decides, the
/// store applies the decision, and a change in between means reading and deciding again.
/// Idempotent: a second call changes nothing and answers the same. `None` when no such
/// enrollment exists. Not an operator's act, but below the HTTP front end like them.
///
/// # Errors
/// Database errors; [`StoreError::Conflict`] when the person's enrollments kept changing.
pub async fn unsubscribe(
    store: &Store,
    enrollment_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Unsubscribed>, StoreError> {
    for _ in 0..RECIPIENT_RETRIES {
        let Some(snapshot) = store.unsubscribe_facts(enrollment_id).await? else {
            return Ok(None);
        };
        let events = decide_unsubscribe(&snapshot.facts, now);
        match store.apply_unsubscribe(&snapshot, &events, now).await {
            Err(StoreError::Conflict(_)) => continue,
            done => return done.map(Some),
        }
    }
    Err(StoreError::Conflict(enrollment_id))
}

/// Judges recorded click `click_id` (the click recorder's, once the other clicks of its mail
/// within the same second have had time to arrive, from any daemon): the store reads the
/// facts, `decide_click` decides (a person's click or a machine's, and what the campaign's
/// `on_click` does), the store applies it; a change of the enrollment in between means
/// reading and deciding again. `None` when the click or its enrollment is gone, or it was
/// judged already.
///
/// # Errors
/// Database errors; [`StoreError::Conflict`] when the enrollment kept changing.
pub async fn judge_click(
    store: &Store,
    click_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<JudgedClick>, StoreError> {
    for _ in 0..RECIPIENT_RETRIES {
        let Some(snapshot) = store.click_facts(click_id).await? else {
            return Ok(None);
        };
        let decision = decide_click(&snapshot.case, now);
        match store.apply_click(&snapshot, &decision, now).await {
            Err(StoreError::Conflict(_)) => continue,
            done => return done,
        }
    }
    Err(StoreError::Conflict(click_id))
}

/// The shortest console password accepted.
pub const MIN_PASSWORD: usize = 10;

/// Adds a console account `name` with `password` (argon2id, a fresh salt), or sets a new
/// password (which ends its sessions); true when the account is new.
///
/// # Errors
/// [`OpError::Invalid`] for a bad name or a short password; database errors.
pub async fn user_add(
    store: &Store,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<bool, OpError> {
    check_name("user", name)?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(OpError::Invalid(format!(
            "the password must have at least {MIN_PASSWORD} characters"
        )));
    }
    let salt = random_bytes().map_err(|e| OpError::Invalid(format!("reading /dev/urandom: {e}")))?;
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(&salt[..16]).map_err(|e| e.to_string())?;
        argon2::Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| OpError::Invalid(format!("hashing the password: {e}")))?
    .map_err(|e| OpError::Invalid(format!("hashing the password: {e}")))?;
    Ok(store.set_console_user(name, &hash, now).await?)
}

/// Whether `password` is `name`'s. An unknown name costs the same argon2 work as a known
/// one, so the time of the answer does not tell which names exist.
///
/// # Errors
/// Database errors.
pub async fn user_check(store: &Store, name: &str, password: &str) -> Result<bool, OpError> {
    // A valid hash of a random password, for unknown names.
    const DECOY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Zx1vAlMv0BGbq3Vj2LwZ5ZsHqv0H3P0u3kK9bWlq1xE";
    let stored = store.console_password_hash(name).await?;
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| DECOY.to_string());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        PasswordHash::new(&stored)
            .map(|h| {
                argon2::Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    Ok(known && ok)
}

/// How long a console session lasts.
pub const SESSION_LIFETIME: chrono::Duration = chrono::Duration::hours(12);

/// Starts a console session for `user`: the cookie's token (only its hash is stored) and
/// the session's CSRF token.
///
/// # Errors
/// Database errors; the kernel's random source failing.
pub async fn session_start(
    store: &Store,
    user: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), OpError> {
    let hex = |b: [u8; 32]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let rand = || random_bytes().map_err(|e| OpError::Invalid(format!("reading /dev/urandom: {e}")));
    let token = hex(rand()?);
    let csrf = hex(rand()?);
    store
        .create_session(&token_hash(&token), user, &csrf, now, now + SESSION_LIFETIME)
        .await?;
    Ok((token, csrf))
}

/// The live session of a cookie token: who, and the CSRF token its forms must carry.
///
/// # Errors
/// Database errors.
pub async fn session_check(
    store: &Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<crate::db::access::SessionRow>, StoreError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    store.session(&token_hash(token), now).await
}
