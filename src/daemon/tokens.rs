//! The OAuth2 task: one per mailbox with `auth = "oauth2"`, keeping its access token fresh
//! before any login needs it (a refresh a little before expiry, [`crate::oauth::MARGIN`]) and
//! noticing a refused grant without waiting for a send: the mailbox is then marked unhealthy
//! with the fix ("run `cadenced mailbox login NAME`"), which `check`, `mailboxes`, the log and
//! the `cadenced_mailbox_login_needed` gauge show, and nothing is sent from it. The token file
//! is read again at every turn, so the grant a new `mailbox login` stores is taken up within
//! [`WHILE_REFUSED`]: the refusal this task recorded is cleared and sending resumes (a
//! failure recorded by someone else since is left to the scheduler's health probe).

use std::time::Duration;

use tracing::{error, info, warn};

use crate::config::OAuthLogin;
use crate::context::Context;
use crate::oauth::TokenError;

/// How often the token file is read again while the mailbox needs a sign-in.
pub const WHILE_REFUSED: Duration = Duration::from_secs(5);
/// The longest wait between two looks at the token file (another process may have replaced
/// it with one that expires sooner: `mailbox login`, `check`).
const MAX_WAIT: Duration = Duration::from_secs(60);
/// The wait after a refresh that failed for another reason (the provider unreachable).
const AFTER_FAILURE: Duration = Duration::from_secs(30);

/// Runs until the daemon's token is cancelled.
pub async fn keep_fresh(ctx: Context, login: OAuthLogin) {
    let mailbox = login.mailbox.clone();
    // The refusal being reported, so that it is said once per episode.
    let mut refused: Option<String> = None;
    loop {
        let wait = match crate::oauth::access_token(&login, None).await {
            Ok(_) => {
                if let Some(text) = refused.take() {
                    // The refusal this task recorded is over: healthy again, unless another
                    // failure was recorded since (the scheduler's probe then decides).
                    match ctx
                        .store
                        .clear_mailbox_failure(&mailbox, &text, ctx.clock.now())
                        .await
                    {
                        Ok(true) => {
                            info!(mailbox = %mailbox, "OAuth2 grant stored again; mailbox healthy, sending resumes.")
                        }
                        Ok(false) => {
                            info!(mailbox = %mailbox, "OAuth2 grant stored again; the mailbox is tried again.")
                        }
                        Err(e) => {
                            if !ctx.db_health.failed(&e) {
                                warn!(mailbox = %mailbox, error = %e, "Could not record mailbox health.");
                            }
                            // Tried again at the next turn.
                            refused = Some(text);
                        }
                    }
                }
                metrics::gauge!("cadenced_mailbox_login_needed", "mailbox" => mailbox.clone()).set(0.0);
                crate::oauth::refresh_due_in(&login)
                    .unwrap_or(MAX_WAIT)
                    .clamp(Duration::from_secs(1), MAX_WAIT)
            }
            Err(TokenError::NeedsLogin(text)) => {
                metrics::gauge!("cadenced_mailbox_login_needed", "mailbox" => mailbox.clone()).set(1.0);
                if refused.as_deref() != Some(text.as_str()) {
                    error!(mailbox = %mailbox, error = %text, "OAuth2 mailbox needs a sign-in; nothing is sent from it until then.");
                    if let Err(e) = ctx
                        .store
                        .set_mailbox_health(&mailbox, false, Some(&text), ctx.clock.now())
                        .await
                    {
                        if !ctx.db_health.failed(&e) {
                            warn!(mailbox = %mailbox, error = %e, "Could not record mailbox health.");
                        }
                        // Said again at the next turn.
                        tokio::select! {
                            _ = tokio::time::sleep(WHILE_REFUSED) => {}
                            _ = ctx.token.cancelled() => break,
                        }
                        continue;
                    }
                    refused = Some(text);
                }
                WHILE_REFUSED
            }
            Err(TokenError::Failed(text)) => {
                warn!(mailbox = %mailbox, error = %text, retry_in_s = AFTER_FAILURE.as_secs(), "OAuth2 access token not refreshed.");
                AFTER_FAILURE
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = ctx.token.cancelled() => break,
        }
    }
}
