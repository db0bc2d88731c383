//! `cadenced campaign apply|launch|pause|resume|archive|set-sender|list`.

use chrono::{DateTime, Utc};

use crate::cli::output::{emit, print_json};
use crate::cli::{op, usage, CampaignCommand, CliError};
use crate::config::Config;
use crate::db::{ApplyOutcome, Store, StoreError};
use crate::domain::campaign::parse_campaign;
use crate::ops::{self, known_mailboxes};

/// Runs a campaign command.
///
/// # Errors
/// Refusals (exit 1) and bad files (exit 2).
pub async fn run(
    command: CampaignCommand,
    cfg: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<(), CliError> {
    match command {
        CampaignCommand::Apply { file } => {
            let text = crate::input::read_text(&file, crate::input::CAMPAIGN).map_err(usage)?;
            let (_, spec) = parse_campaign(&file.display().to_string(), &text).map_err(usage)?;
            // Links the daemon cannot make are refused now, not found missing at send time.
            let needs_http = spec.steps_using_unsubscribe_url();
            if cfg.http.is_none() && !needs_http.is_empty() {
                return Err(usage(format!(
                    "{}: step {}: uses {{{{unsubscribe_url}}}}, but {} has no [http] table to make that link (add [http] listen, public_url, secret_file; see examples/config.toml)",
                    file.display(),
                    needs_http.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", "),
                    cfg.path.display()
                )));
            }
            if cfg.http.is_none() && spec.tracking.clicks {
                return Err(usage(format!(
                    "{}: tracking.clicks: tracked links need the [http] table in {} (listen, public_url, secret_file; see examples/config.toml)",
                    file.display(),
                    cfg.path.display()
                )));
            }
            if cfg.mailbox(&spec.mailbox).is_none() {
                return Err(usage(format!(
                    "{}: mailbox: {:?} is not a mailbox in {} (known: {})",
                    file.display(),
                    spec.mailbox,
                    cfg.path.display(),
                    known_mailboxes(cfg)
                )));
            }
            // A running campaign's leads must have every field its remaining steps use, as
            // launch demands of a draft's: otherwise they would wait at their next step.
            if let Some(existing) = store.campaign(&spec.name).await? {
                if matches!(existing.status.as_str(), "active" | "paused") {
                    if let Some(lacking) = store.lacking_fields(existing.id, &spec).await? {
                        return Err(CliError::Failed(anyhow::anyhow!(
                            "campaign {:?} is {} and was not changed: {lacking}",
                            existing.name,
                            existing.status
                        )));
                    }
                }
            }
            match store.apply_campaign(&text, &spec, now).await.map_err(refusal)? {
                ApplyOutcome::Created => emit(&format!("campaign {:?} created (draft)", spec.name))?,
                ApplyOutcome::Unchanged => emit(&format!("campaign {:?} unchanged", spec.name))?,
                ApplyOutcome::Updated { paused: 0 } => emit(&format!("campaign {:?} updated", spec.name))?,
                ApplyOutcome::Updated { paused } => emit(&format!(
                    "campaign {:?} updated; sender changed: {paused} in-progress leads paused (sender_changed)",
                    spec.name
                ))?,
            }
        }
        CampaignCommand::Launch { name } => {
            store.launch_campaign(&name, now).await.map_err(refusal)?;
            emit(&format!("campaign {name:?} launched"))?;
        }
        CampaignCommand::Pause { name } => {
            let n = ops::campaign_pause(store, &name, now).await.map_err(op)?;
            emit(&format!("campaign {name:?} paused; {n} countdowns frozen"))?;
        }
        CampaignCommand::Resume { name } => {
            let n = ops::campaign_resume(store, &name, now).await.map_err(op)?;
            emit(&format!("campaign {name:?} resumed; {n} countdowns restarted"))?;
        }
        CampaignCommand::Archive { name } => {
            store.archive_campaign(&name, now).await.map_err(refusal)?;
            emit(&format!("campaign {name:?} archived"))?;
        }
        CampaignCommand::SetSender { name, mailbox } => {
            let n = ops::campaign_set_sender(cfg, store, &name, &mailbox, now)
                .await
                .map_err(op)?;
            emit(&format!(
                "campaign {name:?} now sends from {mailbox:?}; {n} in-progress leads paused (sender_changed)"
            ))?;
        }
        CampaignCommand::List { json } => {
            for view in ops::campaigns(store).await.map_err(op)? {
                if json {
                    print_json(&view)?;
                } else {
                    let counts: Vec<String> = view.counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let status = match &view.pause_reason {
                        Some(reason) if view.status == "paused" => format!("paused ({reason})"),
                        _ => view.status.clone(),
                    };
                    emit(&format!(
                        "{:<24} {:<10} {:<12} {}",
                        view.name,
                        status,
                        view.mailbox,
                        counts.join(" ")
                    ))?;
                }
            }
        }
    }
    Ok(())
}

/// Store errors as CLI failures (exit 1), with the store's own sentence.
pub fn refusal(e: StoreError) -> CliError {
    CliError::Failed(anyhow::anyhow!("{e}"))
}
