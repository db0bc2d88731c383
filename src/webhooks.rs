//! The webhook delivery task: one per `[[webhook]]`, sending the outbox's events (written
//! by `db::outbox` in the transaction of each change) to the endpoint, at least once.
//!
//! Each event is a `POST` of its JSON payload (`Content-Type: application/json`, the event
//! name in the payload's `type`) with `Idempotency-Key: EVENT_ID` and
//! `Cadenced-Signature: t=UNIX_SECONDS,v1=HEX`, HEX being HMAC-SHA256 with the webhook's
//! secret over `UNIX_SECONDS.` followed by the raw body (Stripe's scheme; README shows how
//! to check it). A 2xx answer delivers it; anything else (another status, no answer within
//! [`DELIVERY_TIMEOUT`], a refused connection) is tried again after 2 s, 4 s, 8 s, … at most
//! an hour apart, until 24 hours after the event, when it is given up (an ERROR line and
//! `cadenced_webhook_deliveries_total{result="given_up"}`).
//!
//! Order: only the oldest pending event of a lead (of a campaign, of a mailbox) is ever
//! claimed, so a lead's events arrive in the order they happened, and a failing one holds
//! back that lead's later events only. Each claim is a lease ([`CLAIM_LEASE`]): a daemon
//! killed mid-delivery leaves the row pending, and it is sent again (same id) once the
//! lease runs out. A dead endpoint costs this task's time and nothing else: sending and
//! reading never wait for it (the outbox insert is all they do).

use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, Request, Uri};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use hyper_util::rt::TokioIo;
use sha2::Sha256;
use tokio::net::TcpStream;
use tokio_util::task::TaskTracker;
use tracing::{debug, error, info, warn};

use crate::config::Webhook;
use crate::context::Context;
use crate::db::outbox::Delivery;

/// The longest one delivery may take, connection and answer included.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a claimed delivery is this daemon's before another may send it again.
pub const CLAIM_LEASE: Duration = Duration::from_secs(15);
/// How long an event is retried.
pub const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::hours(24);
/// Deliveries in flight at once per webhook (each of another lead).
const CONCURRENCY: i64 = 8;
/// How often the outbox is looked at when nothing is due (other processes write it too).
const IDLE_POLL: Duration = Duration::from_millis(500);

/// The delay before attempt `attempts + 1`, after `attempts` failures: 2 s doubling, at
/// most an hour.
pub fn backoff(attempts: i64) -> chrono::Duration {
    let exp = attempts.clamp(1, 20) - 1;
    chrono::Duration::seconds((2i64 << exp).min(3600))
}

/// The signature header's value for `body` sent at `t` (unix seconds) with `secret`.
pub fn signature(secret: &[u8], t: i64, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        // HMAC takes a key of any length: this branch cannot be taken.
        return String::new();
    };
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={t},v1={hex}")
}

/// The webhook's secret: the first line of its `secret_file`, at least 16 characters.
///
/// # Errors
/// The file cannot be read or the secret is too short; the message names the webhook.
pub fn read_secret(hook: &Webhook) -> Result<String, String> {
    let text = crate::input::read_text(&hook.secret_file, crate::input::PASSWORD)
        .map_err(|e| format!("webhook {}: secret_file: {e}", hook.url))?;
    let secret = text.lines().next().unwrap_or("").trim().to_string();
    if secret.len() < 16 {
        return Err(format!(
            "webhook {}: secret_file {}: the secret (its first line) must have at least 16 characters",
            hook.url,
            hook.secret_file.display()
        ));
    }
    Ok(secret)
}

/// Reads every webhook's secret and spawns its delivery task on `tracker`.
///
/// # Errors
/// A secret file that cannot be read or is empty, named: at start that is fatal.
pub fn start(ctx: &Context, tracker: &TaskTracker) -> Result<(), String> {
    for hook in &ctx.cfg.webhooks {
        let secret = read_secret(hook)?;
        let uri: Uri = hook
            .url
            .parse()
            .map_err(|e| format!("webhook {}: url: {e}", hook.url))?;
        tracker.spawn(run(ctx.clone(), hook.clone(), uri, Arc::new(secret.into_bytes())));
        info!(url = %hook.url, events = hook.events.len(), "Webhook delivery started.");
    }
    Ok(())
}

async fn run(ctx: Context, hook: Webhook, uri: Uri, secret: Arc<Vec<u8>>) {
    crate::imap::install_crypto_provider();
    let tls = crate::oauth::public_tls_connector();
    loop {
        if ctx.token.is_cancelled() {
            return;
        }
        let now = ctx.clock.now();
        let batch = match ctx
            .store
            .claim_deliveries(&hook.url, now, CLAIM_LEASE, CONCURRENCY)
            .await
        {
            Ok(b) => b,
            Err(e) => {
                if !ctx.db_health.failed(&e) {
                    warn!(url = %hook.url, error = %e, "Cannot read the webhook outbox.");
                }
                Vec::new()
            }
        };
        if batch.is_empty() {
            tokio::select! {
                _ = tokio::time::sleep(IDLE_POLL) => {}
                _ = ctx.token.cancelled() => return,
            }
            continue;
        }
        let sends = batch
            .into_iter()
            .map(|d| deliver(&ctx, &hook, &uri, &tls, &secret, d));
        futures::future::join_all(sends).await;
    }
}

/// Sends one event and records what came of it.
async fn deliver(
    ctx: &Context,
    hook: &Webhook,
    uri: &Uri,
    tls: &tokio_rustls::TlsConnector,
    secret: &[u8],
    d: Delivery,
) {
    let sent_at = ctx.clock.now();
    let outcome = match tokio::time::timeout(DELIVERY_TIMEOUT, post(uri, tls, secret, &d, sent_at)).await {
        Ok(Ok(status)) if (200..300).contains(&status) => Ok(()),
        Ok(Ok(status)) => Err(format!("answered {status}")),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(format!("no answer within {}s", DELIVERY_TIMEOUT.as_secs())),
    };
    let now = ctx.clock.now();
    let written = match &outcome {
        Ok(()) => {
            metrics::counter!("cadenced_webhook_deliveries_total", "result" => "delivered").increment(1);
            debug!(url = %hook.url, event = %d.event_id, kind = %d.event_type, "Webhook event delivered.");
            ctx.store.delivered(d.id, now).await
        }
        Err(e) => {
            let attempts = d.attempts + 1;
            let created = crate::db::rows::from_ms(d.created_at);
            let retry_at: Option<DateTime<Utc>> =
                Some(now + backoff(attempts)).filter(|t| *t < created + GIVE_UP_AFTER);
            if retry_at.is_some() {
                metrics::counter!("cadenced_webhook_deliveries_total", "result" => "retry").increment(1);
                debug!(url = %hook.url, event = %d.event_id, attempts, error = %e, "Webhook delivery failed; trying again.");
            } else {
                metrics::counter!("cadenced_webhook_deliveries_total", "result" => "given_up").increment(1);
                error!(url = %hook.url, event = %d.event_id, kind = %d.event_type, attempts, error = %e, "Webhook event given up after 24 hours of retries.");
            }
            ctx.store.delivery_failed(d.id, e, retry_at, now).await
        }
    };
    if let Err(e) = written {
        // The claim runs out and the event is sent again: at least once.
        if !ctx.db_health.failed(&e) {
            warn!(url = %hook.url, event = %d.event_id, error = %e, "Cannot record a webhook delivery.");
        }
    }
}

/// POSTs the event; the answer's status.
async fn post(
    uri: &Uri,
    tls: &tokio_rustls::TlsConnector,
    secret: &[u8],
    d: &Delivery,
    now: DateTime<Utc>,
) -> Result<u16, String> {
    let host = uri.host().ok_or("the URL has no host")?.to_string();
    let https = uri.scheme_str() == Some("https");
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let authority = uri.authority().map_or(host.clone(), |a| a.to_string());
    let request = Request::post(path)
        .header(header::HOST, authority)
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::USER_AGENT,
            concat!("cadenced/", env!("CARGO_PKG_VERSION")),
        )
        .header(header::CONNECTION, "close")
        .header("Idempotency-Key", d.event_id.as_str())
        .header("Cadenced-Event", d.event_type.as_str())
        .header(
            "Cadenced-Signature",
            signature(secret, now.timestamp(), d.body.as_bytes()),
        )
        .body(axum::body::Body::from(d.body.clone()))
        .map_err(|e| e.to_string())?;
    let tcp = TcpStream::connect((host.trim_start_matches('[').trim_end_matches(']'), port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    if https {
        let name = rustls_pki_types::ServerName::try_from(host.clone())
            .map_err(|e| format!("TLS name {host}: {e}"))?;
        let stream = tls.connect(name, tcp).await.map_err(|e| format!("TLS: {e}"))?;
        exchange(TokioIo::new(stream), request).await
    } else {
        exchange(TokioIo::new(tcp), request).await
    }
}

async fn exchange<IO>(io: IO, request: Request<axum::body::Body>) -> Result<u16, String>
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("HTTP: {e}"))?;
    let mut conn = std::pin::pin!(conn);
    let mut send = std::pin::pin!(sender.send_request(request));
    // The connection is driven until the answer is in; it may end first (the endpoint closes
    // after answering), with the answer already read.
    let answer = tokio::select! {
        r = send.as_mut() => r,
        r = conn.as_mut() => match r {
            Ok(()) => send.await,
            Err(e) => return Err(format!("HTTP: {e}")),
        },
    };
    answer
        .map(|a| a.status().as_u16())
        .map_err(|e| format!("HTTP: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_an_hour() {
        let secs: Vec<i64> = (1..=13).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(
            secs,
            vec![2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600]
        );
        // Over 24 hours that is about 30 attempts.
        let mut t = 0;
        let mut n = 0;
        while t < 86_400 {
            n += 1;
            t += backoff(n).num_seconds();
        }
        assert!((25..35).contains(&n), "{n}");
    }

    #[test]
    fn signature_is_stripes_scheme() {
        // HMAC-SHA256("whsec_test_secret_123", "1700000000.{}"), computed with Python's hmac.
        let sig = signature(b"whsec_test_secret_123", 1_700_000_000, b"{}");
        assert_eq!(
            sig,
            "t=1700000000,v1=c61da39a83078801eed36e027527ac71718ca621c86556f5c44b6213bd6952cd"
        );
        assert_ne!(sig, signature(b"whsec_test_secret_124", 1_700_000_000, b"{}"));
        assert_ne!(sig, signature(b"whsec_test_secret_123", 1_700_000_001, b"{}"));
    }
}
