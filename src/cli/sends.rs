//! `cadenced sends list|resolve`: the operator's view of sends, and the way to settle an
//! uncertain one (the daemon died between the SMTP server's acceptance and recording it, and
//! the Sent folder did not tell); `cadenced mailboxes`: who sends from each mailbox.

use chrono::{DateTime, Utc};

use crate::cli::campaigns::refusal;
use crate::cli::output::{emit, print_json};
use crate::cli::{op, usage, CliError, SendsCommand};
use crate::db::Store;
use crate::ops;

/// Runs a sends command.
///
/// # Errors
/// Refusals (exit 1) and bad usage (exit 2).
pub async fn run(command: SendsCommand, store: &Store, now: DateTime<Utc>) -> Result<(), CliError> {
    match command {
        SendsCommand::List { state, json } => {
            let list = ops::sends(store, &state).await.map_err(|e| match e {
                ops::OpError::Invalid(m) => usage(format!("--{m}")),
                other => op(other),
            })?;
            for view in list {
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
    let views = ops::mailboxes(cfg, store, now).await.map_err(op)?;
    if !json {
        emit(&format!(
            "{:<16} {:<36} {:<22} {}",
            "MAILBOX", "WORKED BY", "LEASE UNTIL", "HEALTH"
        ))?;
    }
    for view in views {
        if json {
            print_json(&view)?;
        } else {
            let health = match (view.healthy, &view.last_error) {
                (true, _) => "ok".to_string(),
                (false, Some(e)) => format!("unhealthy: {e}"),
                (false, None) => "unhealthy".to_string(),
            };
            let worked_by = match (&view.holder, view.configured) {
                (Some(h), _) => h.clone(),
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
