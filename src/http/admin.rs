//! The operator listener (`[http] admin_listen`): the JSON API under `/api/v1/`, for the
//! team's scripts and CRMs. Every route needs a login, an API token sent as
//! `Authorization: Bearer TOKEN` (`cadenced api-token create NAME`); a missing, malformed,
//! wrong or revoked token gets 401 with an empty body, whatever the path (so the routes
//! themselves are not disclosed).
//!
//! The handlers only read the request and write the answer: every operation is `ops`'s, the
//! one the CLI calls, so the JSON has the field names of the CLI's `--json` and a refusal is
//! the lifecycle's own sentence (409). Bad input is 400, an unknown campaign or lead 404, a
//! database failure 500 (or 503 while it cannot be written) with a fixed sentence: the
//! detail goes to the log, never to the client. Bodies are at most [`MAX_API_BODY`] and a
//! request is answered within `http::REQUEST_TIMEOUT`.
//!
//! The routes are the contract written down in `openapi.json` beside this file, served at
//! `/api/v1/openapi.json` and checked against real answers by the tests.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State as Extract};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tracing::{debug, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Store;
use crate::health::DbHealth;
use crate::http::REQUEST_TIMEOUT;
use crate::ops::{self, BulkAction, LeadAction, OpError};

/// The largest request body the API reads: a bulk change names at most a few thousand
/// addresses (a larger list goes in several requests).
pub const MAX_API_BODY: usize = 256 * 1024;

/// The default page of `GET /api/v1/leads`.
const DEFAULT_PAGE: u32 = 100;

/// The OpenAPI document of the routes below: the API's contract.
pub const OPENAPI: &str = include_str!("openapi.json");

/// What the handlers share.
#[derive(Clone)]
pub struct State {
    /// The database the API reads and changes (through `ops`).
    pub store: Store,
    /// The time of each change.
    pub clock: Arc<dyn Clock>,
    /// The config (its mailboxes, for `mailboxes` and `set-sender`).
    pub cfg: Arc<Config>,
    /// Where failed writes are reported (one report per episode).
    pub db_health: DbHealth,
    /// The console's failed logins (its rate limit).
    pub failures: Arc<std::sync::Mutex<crate::http::console::Failures>>,
}

/// The operator router: the API behind its tokens, the console behind its sessions, with
/// the limits of both.
pub fn router(state: State) -> Router {
    let api = Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/campaigns", get(campaigns))
        .route("/api/v1/campaigns/{campaign}", get(campaign))
        .route("/api/v1/campaigns/{campaign}/pause", post(campaign_pause))
        .route("/api/v1/campaigns/{campaign}/resume", post(campaign_resume))
        .route(
            "/api/v1/campaigns/{campaign}/set-sender",
            post(campaign_set_sender),
        )
        .route("/api/v1/campaigns/{campaign}/leads/pause", post(bulk_pause))
        .route("/api/v1/campaigns/{campaign}/leads/resume", post(bulk_resume))
        .route("/api/v1/campaigns/{campaign}/leads/stop", post(bulk_stop))
        .route("/api/v1/campaigns/{campaign}/leads/{email}", get(lead_show))
        .route(
            "/api/v1/campaigns/{campaign}/leads/{email}/{action}",
            post(lead_act),
        )
        .route("/api/v1/leads", get(leads))
        .route("/api/v1/report", get(report))
        .route("/api/v1/mailboxes", get(mailboxes))
        .route("/api/v1/sends", get(sends))
        .route("/api", axum::routing::any(not_found))
        .route("/api/{*rest}", axum::routing::any(not_found))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), require_token));
    Router::new()
        .merge(api)
        .merge(crate::http::console::router())
        .fallback(crate::http::console::not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_API_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
}

/// Lets a request through only with a live API token; else 401 and nothing else.
async fn require_token(Extract(state): Extract<State>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(presented) = presented else {
        return unauthorized();
    };
    match ops::api_token_check(&state.store, presented).await {
        Ok(Some(name)) => {
            debug!(token = %name, method = %request.method(), path = %request.uri().path(), "API request.");
            next.run(request).await
        }
        Ok(None) => unauthorized(),
        Err(e) => {
            if !state.db_health.failed(&e) {
                warn!(error = %e, "Cannot check an API token.");
            }
            json_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the database cannot be reached; try again",
            )
        }
    }
}

fn unauthorized() -> Response {
    metrics::counter!("cadenced_http_requests_total", "route" => "api", "status" => "401").increment(1);
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response()
}

/// A JSON answer with the headers every answer carries.
fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(b) => b,
        Err(e) => {
            warn!(error = %e, "Cannot serialise an API answer.");
            return json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
        }
    };
    metrics::counter!("cadenced_http_requests_total", "route" => "api", "status" => status.as_str().to_string())
        .increment(1);
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

fn json_error(status: StatusCode, message: &str) -> Response {
    json(status, &ErrorBody { error: message })
}

/// An operation's error as an answer: the sentence for the asker's mistakes and refusals,
/// a fixed one for the database (the detail is logged).
fn op_error(state: &State, e: OpError) -> Response {
    match e {
        OpError::Invalid(m) => json_error(StatusCode::BAD_REQUEST, &m),
        OpError::NotFound(m) => json_error(StatusCode::NOT_FOUND, &m),
        OpError::Refused(m) => json_error(StatusCode::CONFLICT, &m),
        OpError::Store(e) => {
            if state.db_health.failed(&e) || e.is_retryable() {
                json_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database cannot be reached; try again",
                )
            } else {
                warn!(error = %e, "API request failed.");
                json_error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        }
    }
}

fn answer<T: Serialize>(state: &State, r: Result<T, OpError>) -> Response {
    match r {
        Ok(v) => json(StatusCode::OK, &v),
        Err(e) => op_error(state, e),
    }
}

async fn not_found() -> Response {
    json_error(StatusCode::NOT_FOUND, "no such route (see /api/v1/openapi.json)")
}

fn bad_path(e: &PathRejection) -> Response {
    json_error(StatusCode::BAD_REQUEST, &format!("path: {}", e.body_text()))
}

fn bad_query(e: &QueryRejection) -> Response {
    json_error(StatusCode::BAD_REQUEST, &format!("query: {}", e.body_text()))
}

/// A JSON body of type `T`; an empty body is `T::default()` (every field is optional).
/// The error is the 400's sentence.
fn body<T: DeserializeOwned + Default>(bytes: &Bytes) -> Result<T, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes)
        .map_err(|e| format!("request body: {}", crate::domain::clip(&e.to_string(), 200)))
}

fn bad_request(message: &str) -> Response {
    json_error(StatusCode::BAD_REQUEST, message)
}

async fn openapi() -> Response {
    metrics::counter!("cadenced_http_requests_total", "route" => "api", "status" => "200").increment(1);
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        OPENAPI,
    )
        .into_response()
}

async fn campaigns(Extract(state): Extract<State>) -> Response {
    answer(&state, ops::campaigns(&state.store).await)
}

async fn campaign(Extract(state): Extract<State>, name: Result<Path<String>, PathRejection>) -> Response {
    let Path(name) = match name {
        Ok(p) => p,
        Err(e) => return bad_path(&e),
    };
    answer(&state, ops::campaign(&state.store, &name).await)
}

async fn campaign_pause(
    Extract(state): Extract<State>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    campaign_status(&state, name, false).await
}

async fn campaign_resume(
    Extract(state): Extract<State>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    campaign_status(&state, name, true).await
}

/// Pauses or resumes a campaign and answers with the campaign as it now stands.
async fn campaign_status(state: &State, name: Result<Path<String>, PathRejection>, resume: bool) -> Response {
    let Path(name) = match name {
        Ok(p) => p,
        Err(e) => return bad_path(&e),
    };
    let now = state.clock.now();
    let done = if resume {
        ops::campaign_resume(&state.store, &name, now).await
    } else {
        ops::campaign_pause(&state.store, &name, now).await
    };
    let r = match done {
        Ok(_) => ops::campaign(&state.store, &name).await,
        Err(e) => Err(e),
    };
    answer(state, r)
}

/// The body of `set-sender`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SetSenderBody {
    mailbox: Option<String>,
}

async fn campaign_set_sender(
    Extract(state): Extract<State>,
    name: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Response {
    let Path(name) = match name {
        Ok(p) => p,
        Err(e) => return bad_path(&e),
    };
    let b: SetSenderBody = match body(&bytes) {
        Ok(b) => b,
        Err(m) => return bad_request(&m),
    };
    let Some(mailbox) = b.mailbox else {
        return json_error(StatusCode::BAD_REQUEST, "request body: mailbox is required");
    };
    let now = state.clock.now();
    let r = match ops::campaign_set_sender(&state.cfg, &state.store, &name, &mailbox, now).await {
        Ok(_) => ops::campaign(&state.store, &name).await,
        Err(e) => Err(e),
    };
    answer(&state, r)
}

/// The query of `GET /api/v1/leads`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LeadsQuery {
    campaign: Option<String>,
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<u32>,
}

async fn leads(Extract(state): Extract<State>, query: Result<Query<LeadsQuery>, QueryRejection>) -> Response {
    let Query(q) = match query {
        Ok(q) => q,
        Err(e) => return bad_query(&e),
    };
    let now = state.clock.now();
    let r = async {
        let filter = ops::leads_filter(
            &state.store,
            q.campaign.as_deref(),
            q.status.as_deref(),
            q.q.as_deref(),
        )
        .await?;
        ops::leads_page(
            &state.store,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_PAGE),
            now,
        )
        .await
    }
    .await;
    answer(&state, r)
}

async fn lead_show(
    Extract(state): Extract<State>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let Path((campaign, email)) = match path {
        Ok(p) => p,
        Err(e) => return bad_path(&e),
    };
    answer(
        &state,
        ops::lead_show(&state.store, &campaign, &email, state.clock.now()).await,
    )
}

/// The body of a lead action: every field optional, the ones an action does not take refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionBody {
    until: Option<String>,
    note: Option<String>,
    reason: Option<String>,
}

/// The longest note kept with an event.
const MAX_NOTE: usize = 2000;

/// The error is the 400's sentence.
fn check_note(note: &Option<String>) -> Result<(), String> {
    match note {
        Some(n) if n.chars().count() > MAX_NOTE => Err(format!("note: longer than {MAX_NOTE} characters")),
        _ => Ok(()),
    }
}

async fn lead_act(
    Extract(state): Extract<State>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    bytes: Bytes,
) -> Response {
    let Path((campaign, email, action)) = match path {
        Ok(p) => p,
        Err(e) => return bad_path(&e),
    };
    let b: ActionBody = match body(&bytes) {
        Ok(b) => b,
        Err(m) => return bad_request(&m),
    };
    if let Err(m) = check_note(&b.note) {
        return bad_request(&m);
    }
    let action = match (action.as_str(), &b.until, &b.reason) {
        ("pause", _, None) => LeadAction::Pause { until: b.until },
        ("stop", None, _) => LeadAction::Stop { reason: b.reason },
        ("resume", None, None) => LeadAction::Resume,
        ("skip", None, None) => LeadAction::Skip,
        ("unskip", None, None) => LeadAction::Unskip,
        ("pause" | "stop" | "resume" | "skip" | "unskip", _, _) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "request body: {action} takes {}",
                    match action.as_str() {
                        "pause" => "until and note",
                        "stop" => "reason and note",
                        _ => "only note",
                    }
                ),
            )
        }
        _ => return not_found().await,
    };
    answer(
        &state,
        ops::lead_act(
            &state.store,
            &campaign,
            &email,
            &action,
            b.note,
            state.clock.now(),
        )
        .await,
    )
}

/// The body of a bulk change: the leads by `emails` or by `status`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkBody {
    emails: Option<Vec<String>>,
    status: Option<String>,
    until: Option<String>,
    note: Option<String>,
    reason: Option<String>,
}

async fn bulk(
    state: State,
    campaign: Result<Path<String>, PathRejection>,
    bytes: Bytes,
    kind: &str,
) -> Response {
    let Path(campaign) = match campaign {
        Ok(p) => p,
        Err(e) => return bad_path(&e),
    };
    let b: BulkBody = match body(&bytes) {
        Ok(b) => b,
        Err(m) => return bad_request(&m),
    };
    if let Err(m) = check_note(&b.note) {
        return bad_request(&m);
    }
    let action = match (kind, &b.until, &b.reason) {
        ("pause", _, None) => BulkAction::Pause { until: b.until },
        ("stop", None, _) => BulkAction::Stop { reason: b.reason },
        ("resume", None, None) => BulkAction::Resume,
        _ => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "request body: until goes with pause only, reason with stop only",
            )
        }
    };
    answer(
        &state,
        ops::bulk(
            &state.store,
            &campaign,
            b.emails.as_deref(),
            b.status.as_deref(),
            &action,
            b.note,
            state.clock.now(),
        )
        .await,
    )
}

async fn bulk_pause(
    Extract(state): Extract<State>,
    campaign: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Response {
    bulk(state, campaign, bytes, "pause").await
}

async fn bulk_resume(
    Extract(state): Extract<State>,
    campaign: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Response {
    bulk(state, campaign, bytes, "resume").await
}

async fn bulk_stop(
    Extract(state): Extract<State>,
    campaign: Result<Path<String>, PathRejection>,
    bytes: Bytes,
) -> Response {
    bulk(state, campaign, bytes, "stop").await
}

/// The query of `GET /api/v1/report`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    campaign: Option<String>,
}

async fn report(
    Extract(state): Extract<State>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let Query(q) = match query {
        Ok(q) => q,
        Err(e) => return bad_query(&e),
    };
    answer(
        &state,
        ops::report(&state.store, q.campaign.as_deref(), state.clock.now()).await,
    )
}

async fn mailboxes(Extract(state): Extract<State>) -> Response {
    answer(
        &state,
        ops::mailboxes(&state.cfg, &state.store, state.clock.now()).await,
    )
}

/// The query of `GET /api/v1/sends`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SendsQuery {
    state: Option<String>,
}

async fn sends(Extract(state): Extract<State>, query: Result<Query<SendsQuery>, QueryRejection>) -> Response {
    let Query(q) = match query {
        Ok(q) => q,
        Err(e) => return bad_query(&e),
    };
    answer(
        &state,
        ops::sends(&state.store, q.state.as_deref().unwrap_or("uncertain")).await,
    )
}
