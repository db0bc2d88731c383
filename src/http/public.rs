//! The public routes, reached by recipients through the operator's reverse proxy:
//!
//! - `GET /u/TOKEN`: a small page with one button (a form that POSTs to the same URL). It
//!   changes nothing: security scanners and link previewers fetch every link in a mail.
//! - `POST /u/TOKEN`: the one-click unsubscribe of RFC 8058 (what Gmail and Yahoo send for
//!   `List-Unsubscribe-Post`) and the button's target: unsubscribes at once and answers 200,
//!   with no cookie, no login and nothing else to do. Repeating it changes nothing.
//! - `GET|HEAD /c/TOKEN`: a 302 to the link's original target, taken from the signed token
//!   (no database read, no write awaited); the click goes to the recorder (`http::clicks`).
//!
//! A token that does not verify (forged, truncated, altered, signed with a rotated key, or
//! of the other kind) gets the same 404 page as any unknown path: it says nothing about why,
//! and never redirects anywhere. Pages carry no script, no outside resource, `no-store`
//! caching and `no-referrer`.

use std::sync::Arc;

use axum::extract::{Path, State as Extract};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::mpsc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tracing::{debug, warn};

use crate::clock::Clock;
use crate::db::recipient::NewClick;
use crate::db::Store;
use crate::domain::link::Links;
use crate::health::DbHealth;
use crate::http::{MAX_BODY_BYTES, REQUEST_TIMEOUT};
use crate::ops;

/// What the handlers share.
#[derive(Clone)]
pub struct State {
    /// The database, for the unsubscribe.
    pub store: Store,
    /// The time of a click or an unsubscribe.
    pub clock: Arc<dyn Clock>,
    /// The link key: a token that does not verify with it gets the one 404 page.
    pub links: Arc<Links>,
    /// The click recorder's queue: the redirect never waits for the database.
    pub clicks: mpsc::Sender<NewClick>,
    /// Where failed writes are reported (one report per episode).
    pub db_health: DbHealth,
}

/// The longest `User-Agent` kept with a click.
const MAX_AGENT: usize = 256;

/// The public router with its limits (body size, request time).
pub fn router(state: State) -> Router {
    Router::new()
        .route("/u/{token}", get(unsubscribe_page).post(unsubscribe))
        .route("/c/{token}", get(click))
        .fallback(not_found_route)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
}

const PAGE_HEAD: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">\
<title>Unsubscribe</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}\
button{font-size:1rem;padding:.6rem 1.2rem;cursor:pointer}</style></head><body>";

/// An HTML answer with the headers every page carries.
fn page(route: &'static str, status: StatusCode, body: &str) -> Response {
    metrics::counter!("cadenced_http_requests_total", "route" => route, "status" => status.as_str().to_string())
        .increment(1);
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            ),
        ],
        format!("{PAGE_HEAD}{body}</body></html>"),
    )
        .into_response()
}

/// The one answer for every token that does not verify and every unknown path.
fn not_found(route: &'static str) -> Response {
    page(
        route,
        StatusCode::NOT_FOUND,
        "<h1>Link not found</h1><p>This link is not valid.</p>",
    )
}

async fn not_found_route() -> Response {
    not_found("other")
}

async fn unsubscribe_page(
    Extract(state): Extract<State>,
    token: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return not_found("unsubscribe_page");
    };
    if state.links.key.verify_unsubscribe(&token).is_none() {
        return not_found("unsubscribe_page");
    }
    // `action=""` posts back to this very URL, whatever the proxy's path prefix.
    page(
        "unsubscribe_page",
        StatusCode::OK,
        "<h1>Unsubscribe</h1><p>Press the button and you will receive no more emails from this sequence.</p>\
         <form method=\"post\" action=\"\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button type=\"submit\">Unsubscribe</button></form>",
    )
}

async fn unsubscribe(
    Extract(state): Extract<State>,
    token: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return not_found("unsubscribe");
    };
    let Some(enrollment_id) = state.links.key.verify_unsubscribe(&token) else {
        return not_found("unsubscribe");
    };
    match ops::unsubscribe(&state.store, enrollment_id, state.clock.now()).await {
        Ok(Some(done)) => {
            debug!(enrollment = enrollment_id, campaign = %done.campaign, changed = done.changed, "One-click unsubscribe applied.");
            metrics::counter!("cadenced_unsubscribes_total").increment(1);
            page(
                "unsubscribe",
                StatusCode::OK,
                "<h1>You are unsubscribed</h1><p>You will receive no more emails from this sequence.</p>",
            )
        }
        // A genuine token whose enrollment is gone (the database was rebuilt): nothing to
        // unsubscribe, and nothing to tell a stranger.
        Ok(None) => not_found("unsubscribe"),
        Err(e) => {
            if !state.db_health.failed(&e) {
                warn!(enrollment = enrollment_id, error = %e, "One-click unsubscribe failed; the recipient was asked to try again.");
            }
            page(
                "unsubscribe",
                StatusCode::SERVICE_UNAVAILABLE,
                "<h1>Please try again</h1><p>Your request could not be completed just now. Please try again in a few minutes.</p>",
            )
        }
    }
}

async fn click(
    Extract(state): Extract<State>,
    method: Method,
    headers: HeaderMap,
    token: Result<Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Ok(Path(token)) = token else {
        return not_found("click");
    };
    let Some(link) = state.links.key.verify_click(&token) else {
        return not_found("click");
    };
    let Ok(location) = HeaderValue::from_str(&link.url) else {
        return not_found("click");
    };
    let user_agent = headers.get(header::USER_AGENT).map(|v| {
        String::from_utf8_lossy(v.as_bytes())
            .chars()
            .take(MAX_AGENT)
            .collect()
    });
    let click = NewClick {
        link,
        at: state.clock.now(),
        head: method == Method::HEAD,
        user_agent,
    };
    // The redirect never waits for the database: the recorder writes the click after.
    if state.clicks.try_send(click).is_err() {
        metrics::counter!("cadenced_clicks_dropped_total").increment(1);
    }
    metrics::counter!("cadenced_http_requests_total", "route" => "click", "status" => "302").increment(1);
    (
        StatusCode::FOUND,
        [
            (header::LOCATION, location),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
    )
        .into_response()
}
