//! Prometheus metrics on an optional loopback address (`[metrics] listen` in the config).
//!
//! Counters are few and low-cardinality (labels are categories, reasons and event names,
//! never addresses or ids), and nothing is emitted inside a tight loop:
//!
//! - `cadenced_replies_total{category}`: inbound messages classified.
//! - `cadenced_transitions_total{event,to}`: lifecycle changes (pauses, resumes, stops, steps sent).
//! - `cadenced_sends_total`: steps accepted by an SMTP server.
//! - `cadenced_send_failures_total{kind}`: `transient`, `rejected`, `login`, `unsendable` (a
//!   step we cannot send as it is: held for a person, see `Store::mark_failed`), `uncertain`
//!   (the connection failed after the message was handed to the server: see
//!   `Store::mark_uncertain`).
//! - `cadenced_imap_reconnects_total`: mailbox watcher sessions lost and re-established.
//! - `cadenced_oauth_refreshes_total{outcome}`: OAuth2 access token refreshes (`ok`,
//!   `refused`: the grant revoked or expired, `failed`: the provider not reached or another
//!   error).
//! - `cadenced_mailbox_login_needed{mailbox}`: 1 while an OAuth2 mailbox has no grant or the
//!   provider refused it (the fix: `cadenced mailbox login NAME`), else 0 (a gauge).
//! - `cadenced_uncertain_sends_total`: open claims found uncertain when a mailbox's lease was
//!   taken over (the previous holder died, or this daemon restarted), and sends whose
//!   connection failed after the message was handed to the SMTP server.
//! - `cadenced_mailboxes_worked`: mailboxes whose lease this daemon holds (a gauge).
//! - `cadenced_rules_loaded`: rules in force (a gauge; changes on reload).
//! - `cadenced_campaigns_unreadable`: running campaigns whose stored file no longer parses (a
//!   gauge; their leads stay as they are until the file is applied again).
//! - `cadenced_database_writable`: 1, or 0 while the database cannot be written (disk full,
//!   read-only); a gauge set by `health`.
//! - `cadenced_campaign_pauses_total{reason}`: campaigns the daemon paused itself
//!   (`bounce_rate`: the brake of `policy.max_bounce_rate`).
//! - `cadenced_http_requests_total{route,status}`: answers of the public listener (`route` is
//!   `unsubscribe_page`, `unsubscribe`, `click` or `other`; `status` the HTTP status code).
//! - `cadenced_unsubscribes_total`: one-click unsubscribes applied (a repeated POST counts
//!   again; it changes nothing).
//! - `cadenced_clicks_total{verdict}`: tracked clicks judged (`human`, `head_request`,
//!   `scanner_agent`, `too_soon`, `burst`); `cadenced_clicks_dropped_total`: clicks not
//!   recorded because the recorder's queue was full (the redirect still happened).

use std::net::SocketAddr;

/// Starts the exporter; must run inside the tokio runtime.
///
/// # Errors
/// When the address cannot be bound or a recorder is already installed.
pub fn install(listen: SocketAddr) -> Result<(), String> {
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(listen)
        .install()
        .map_err(|e| format!("metrics on {listen}: {e}"))
}
