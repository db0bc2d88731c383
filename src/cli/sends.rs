//! `cadenced sends list|resolve`: the operator's view of sends, and the way to settle an
//! uncertain one (the daemon died between the SMTP server's acceptance and recording it, and
//! the Sent folder did not tell).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::campaigns::refusal;
use crate::cli::output::{emit, print_json, rfc3339};
use crate::cli::{usage, CliError, SendsCommand};
use crate::db::rows::from_ms;
use crate::db::Store;
use crate::domain::campaign::parse_campaign;

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
            if !["claimed", "sent", "retry", "uncertain", "bounced"].contains(&state.as_str()) {
                return Err(usage(format!(
                    "--state {state:?} is not one of claimed, sent, retry, uncertain, bounced"
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
                        "{:<50} {:<32} {:<16} step {} {} claimed {}",
                        view.message_id, view.email, view.campaign, view.step, view.state, view.claimed_at
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
            if send.state != "uncertain" {
                return Err(CliError::Failed(anyhow::anyhow!(
                    "send {id} to {} is {}, not uncertain: nothing to resolve",
                    send.email,
                    send.state
                )));
            }
            if sent {
                let campaign = store.campaign_required(&send.campaign).await.map_err(refusal)?;
                let (_, spec) = parse_campaign(&campaign.name, &campaign.spec_toml)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let sent_at = from_ms(send.claimed_at);
                let next_due = spec
                    .steps
                    .get(send.step as usize + 1)
                    .map(|s| sent_at + chrono::Duration::from_std(s.delay).unwrap_or_default());
                store
                    .mark_sent(send.id, send.enrollment_id, sent_at, next_due)
                    .await
                    .map_err(refusal)?;
                println!("send {id} to {} recorded as sent; the lead advances", send.email);
            } else {
                store.resolve_unsent(&send, now).await.map_err(refusal)?;
                println!(
                    "send {id} to {} will go out again with the same Message-ID",
                    send.email
                );
            }
            Ok(())
        }
    }
}
