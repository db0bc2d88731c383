//! `cadenced sends list|resolve`: the operator's view of sends, and the way to settle an
//! uncertain one (the daemon died between the SMTP server's acceptance and recording it, and
//! the Sent folder did not tell); `cadenced mailboxes`: who sends from each mailbox.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::campaigns::refusal;
use crate::cli::output::{emit, print_json, rfc3339};
use crate::cli::{usage, CliError, SendsCommand};
use crate::db::rows::from_ms;
use crate::db::Store;

#[derive(Serialize)]
struct SendView<'a> {
    message_id: &'a str,
    email: &'a str,
    campaign: &'a str,
    step: i64,
    mailbox: &'a str,
    state: &'a str,
    claimed_at: String,
    sent_at: Option<String>,
    attempts: i64,
    error: Option<&'a str>,
}

/// Runs a sends command.
///
/// # Errors
/// Refusals (exit 1) and bad usage (exit 2).
pub async fn run(command: SendsCommand, store: &Store, now: DateTime<Utc>) -> Result<(), CliError> {
    match command {
        SendsCommand::List { state, json } => {
            if !["claimed", "sent", "retry", "uncertain", "bounced", "failed"].contains(&state.as_str()) {
                return Err(usage(format!(
                    "--state {state:?} is not one of claimed, sent, retry, uncertain, bounced, failed"
                )));
            }
            for s in store.sends_in_state(&state).await? {
                let view = SendView {
                    message_id: &s.message_id,
                    email: &s.email,
                    campaign: &s.campaign,
                    step: s.step + 1,
                    mailbox: &s.mailbox,
                    state: &s.state,
                    claimed_at: rfc3339(from_ms(s.claimed_at)),
                    sent_at: s.sent_at.map(|t| rfc3339(from_ms(t))),
                    attempts: s.attempts,
                    error: s.error.as_deref(),
                };
                if json {
                    print_json(&view)?;
                } else {
                    emit(&format!(
                        "{:<50} {:<32} {:<16} step {} {} claimed {}{}",
                        view.message_id,
                        view.email,
                        view.campaign,
                        view.step,
                        view.state,
                        view.claimed_at,
                        view.error.map(|e| format!("  {e}")).unwrap_or_default()
                    ))?;
                }
            }
            Ok(())
        }
        SendsCommand::Resolve {
            message_id,
            sent,
            not_sent: _,
        } => {
            let id = if message_id.starts_with('<') {
                message_id.clone()
            } else {
                format!("<{message_id}>")
            };
            let send = store
                .send_by_message_id(&id)
                .await?
                .ok_or_else(|| CliError::Failed(anyhow::anyhow!("no send has Message-ID {id}")))?;
            // A step held because it could not be sent as it was: once the data is fixed,
            // --not-sent tries it once more.
            if send.state == "failed" && !sent {
                let c = store.campaign_required(&send.campaign).await.map_err(refusal)?;
                store.rearm_failed(c.id, Some(send.id), now).await?;
                emit(&format!(
                    "send {id} to {} will be tried again with the same Message-ID",
                    send.email
                ))?;
                return Ok(());
            }
            if send.state != "uncertain" {
                return Err(CliError::Failed(anyhow::anyhow!(
                    "send {id} to {} is {}, not uncertain: nothing to resolve",
                    send.email,
                    send.state
                )));
            }
            if sent {
                store.record_as_sent(&send).await.map_err(refusal)?;
                emit(&format!(
                    "send {id} to {} recorded as sent; the lead advances",
                    send.email
                ))?;
            } else {
                store.resolve_unsent(&send, now).await.map_err(refusal)?;
                emit(&format!(
                    "send {id} to {} will go out again with the same Message-ID",
                    send.email
                ))?;
            }
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct MailboxView<'a> {
    mailbox: &'a str,
    configured: bool,
    holder: Option<&'a str>,
    holder_pid: Option<i64>,
    holder_seen_at: Option<String>,
    lease_until: Option<String>,
    healthy: bool,
    last_error: Option<&'a str>,
}

/// `cadenced mailboxes`: each mailbox of the config (and any other the database knows), the
/// daemon holding its lease and when that lease runs out, and its health.
///
/// # Errors
/// Database errors.
pub async fn mailboxes(
    cfg: &crate::config::Config,
    store: &Store,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    let rows = store.mailboxes().await?;
    let daemons = store.daemons().await?;
    let mut names: Vec<&str> = cfg.mailboxes.iter().map(|m| m.name.as_str()).collect();
    for r in &rows {
        if !names.contains(&r.mailbox.as_str()) {
            names.push(&r.mailbox);
        }
    }
    if !json {
        emit(&format!(
            "{:<16} {:<36} {:<22} {}",
            "MAILBOX", "WORKED BY", "LEASE UNTIL", "HEALTH"
        ))?;
    }
    for name in names {
        let row = rows.iter().find(|r| r.mailbox == name);
        // A lease past its end, or held by a daemon no longer registered, is nobody's.
        let holder = row
            .and_then(|r| r.lease_holder.as_deref().zip(r.lease_until))
            .filter(|(_, until)| *until >= crate::db::rows::to_ms(now))
            .and_then(|(h, _)| daemons.iter().find(|d| d.id == h));
        let view = MailboxView {
            mailbox: name,
            configured: cfg.mailbox(name).is_some(),
            holder: holder.map(|d| d.id.as_str()),
            holder_pid: holder.map(|d| d.pid),
            holder_seen_at: holder.map(|d| rfc3339(from_ms(d.seen_at))),
            lease_until: holder
                .and(row.and_then(|r| r.lease_until))
                .map(|t| rfc3339(from_ms(t))),
            healthy: row.is_none_or(|r| r.healthy),
            last_error: row.and_then(|r| r.last_error.as_deref()),
        };
        if json {
            print_json(&view)?;
        } else {
            let health = match (view.healthy, view.last_error) {
                (true, _) => "ok".to_string(),
                (false, Some(e)) => format!("unhealthy: {e}"),
                (false, None) => "unhealthy".to_string(),
            };
            let worked_by = match (view.holder, view.configured) {
                (Some(h), _) => h.to_string(),
                (None, true) => "nobody (no daemon running?)".to_string(),
                (None, false) => "nobody (not in this config)".to_string(),
            };
            emit(&format!(
                "{:<16} {:<36} {:<22} {}",
                view.mailbox,
                worked_by,
                view.lease_until.as_deref().unwrap_or("-"),
                health
            ))?;
        }
    }
    Ok(())
}
