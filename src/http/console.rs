//! The web console on the operator listener: server-rendered pages for the people who work
//! the leads (no script, no outside resource). Accounts are `cadenced user add NAME`
//! (argon2id); a login sets a session cookie (`HttpOnly`, `SameSite=Strict`, 12 hours) whose
//! token is stored only as its SHA-256; every form carries the session's CSRF token, checked
//! in constant time. Failed logins are limited per account name ([`MAX_FAILURES`] in
//! [`FAILURE_WINDOW`]) and overall, then answered 429.
//!
//! Pages: `/` campaigns with counts per status (pause, resume) and mailbox health;
//! `/campaigns/C` its leads with a status filter, a search box and pages; `/campaigns/C/leads/EMAIL`
//! the lead panel (state, countdown, return date, note, history; Pause with an optional
//! until-date and note, Resume, Stop, Skip, Unskip); `/paused` the paused review sorted by
//! resume date with stale pauses marked. Every action is `ops`'s, as in the CLI and the API:
//! a refusal shows the lifecycle's sentence on the panel.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State as Extract};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tracing::warn;

use crate::http::admin::State;
use crate::ops::views::EnrollmentView;
use crate::ops::{self, LeadAction, OpError, ReportLine};

/// Failed logins of one account name allowed within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// Failed logins of all names together allowed within [`FAILURE_WINDOW`].
pub const MAX_FAILURES_ALL: usize = 50;
/// The window failed logins are counted in.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(600);
const COOKIE: &str = "cadenced_session";
const PAGE: u32 = 50;

/// Failed logins, per account name, in memory (a restart forgets them; argon2 keeps each
/// guess slow anyway).
#[derive(Debug, Default)]
pub struct Failures {
    by_name: HashMap<String, Vec<Instant>>,
    all: Vec<Instant>,
}

impl Failures {
    fn blocked(&mut self, name: &str) -> bool {
        let now = Instant::now();
        self.all.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
        self.by_name.retain(|_, v| {
            v.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
            !v.is_empty()
        });
        self.all.len() >= MAX_FAILURES_ALL || self.by_name.get(name).is_some_and(|v| v.len() >= MAX_FAILURES)
    }

    fn failed(&mut self, name: &str) {
        let now = Instant::now();
        self.all.push(now);
        if self.by_name.len() < 10_000 {
            self.by_name.entry(name.to_string()).or_default().push(now);
        }
    }
}

/// The console's routes (merged into the operator router).
pub fn router() -> Router<State> {
    Router::new()
        .route("/", get(campaigns_page))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/paused", get(paused_page))
        .route("/campaigns/{campaign}", get(leads_page))
        .route("/campaigns/{campaign}/pause", post(campaign_pause))
        .route("/campaigns/{campaign}/resume", post(campaign_resume))
        .route("/campaigns/{campaign}/leads/{email}", get(lead_page))
        .route("/campaigns/{campaign}/leads/{email}/{action}", post(lead_act))
}

/// Text made safe for HTML (element content and quoted attributes).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path segment or query value, percent-encoded.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1d2330}\
header{background:#1d2330;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.2rem;align-items:center}\
header a{color:#fff;text-decoration:none}header form{margin-left:auto}main{padding:1rem 1.2rem;max-width:72rem}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ec;font-size:.92rem}\
.st{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;background:#eef;font-size:.85rem}\
.st-paused{background:#fff1c2}.st-in_progress{background:#d9f2dd}.st-stopped{background:#f6d5d5}.st-completed{background:#dde8f6}\
.err{background:#fde2e1;border:1px solid #e5a3a0;padding:.6rem .8rem;margin:.6rem 0}.stale{color:#b3261e;font-weight:600}\
.filters a{margin-right:.7rem}.filters a.on{font-weight:700;text-decoration:none}form.inline{display:inline}\
.actions form{margin:.4rem 0}button{padding:.3rem .8rem;cursor:pointer}dl{display:grid;grid-template-columns:12rem 1fr;gap:.2rem .8rem}";

/// A page with the headers every console page carries.
fn html(status: StatusCode, title: &str, user: Option<(&str, &str)>, body: &str) -> Response {
    let nav = match user {
        Some((name, csrf)) => format!(
            "<header><strong>cadenced</strong><a href=\"/\">Campaigns</a><a href=\"/paused\">Paused review</a>\
             <form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">{} <button>Log out</button></form></header>",
            esc(csrf),
            esc(name)
        ),
        None => "<header><strong>cadenced</strong></header>".to_string(),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
                ),
            ),
        ],
        format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} · cadenced</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{STYLE}</style></head>\
             <body>{nav}<main>{body}</main></body></html>",
            esc(title)
        ),
    )
        .into_response()
}

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The logged-in person: name and CSRF token.
struct Session {
    user: String,
    csrf: String,
}

/// The session of the request's cookie, or the answer to give instead (to the login page).
async fn session(state: &State, headers: &HeaderMap) -> Result<Session, Response> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string());
    let Some(token) = token else {
        return Err(redirect("/login"));
    };
    match ops::session_check(&state.store, &token, state.clock.now()).await {
        Ok(Some(s)) => Ok(Session {
            user: s.user_name,
            csrf: s.csrf,
        }),
        Ok(None) => Err(redirect("/login")),
        Err(e) => {
            if !state.db_health.failed(&e) {
                warn!(error = %e, "Cannot check a console session.");
            }
            Err(html(
                StatusCode::SERVICE_UNAVAILABLE,
                "Unavailable",
                None,
                "<p>The database cannot be reached; try again.</p>",
            ))
        }
    }
}

/// Whether a form's CSRF token is the session's (constant time).
fn csrf_ok(session: &Session, presented: Option<&str>) -> bool {
    let Some(p) = presented else {
        return false;
    };
    let (a, b) = (p.as_bytes(), session.csrf.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn forbidden() -> Response {
    html(
        StatusCode::FORBIDDEN,
        "Forbidden",
        None,
        "<p>This form is out of date. Go back, reload the page and try again.</p>",
    )
}

fn op_page(state: &State, s: &Session, e: OpError) -> Response {
    let (status, text) = match e {
        OpError::Invalid(m) => (StatusCode::BAD_REQUEST, m),
        OpError::NotFound(m) => (StatusCode::NOT_FOUND, m),
        OpError::Refused(m) => (StatusCode::CONFLICT, m),
        OpError::Store(e) => {
            if !state.db_health.failed(&e) {
                warn!(error = %e, "Console request failed.");
            }
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; try again.".to_string(),
            )
        }
    };
    html(
        status,
        "Error",
        Some((&s.user, &s.csrf)),
        &format!(
            "<p class=\"err\">{}</p><p><a href=\"/\">Back to the campaigns</a></p>",
            esc(&text)
        ),
    )
}

async fn login_page() -> Response {
    login_form(StatusCode::OK, "")
}

fn login_form(status: StatusCode, error: &str) -> Response {
    let err = if error.is_empty() {
        String::new()
    } else {
        format!("<p class=\"err\">{}</p>", esc(error))
    };
    html(
        status,
        "Log in",
        None,
        &format!(
            "<h1>Log in</h1>{err}<form method=\"post\" action=\"/login\">\
             <p><label>Name <input name=\"name\" id=\"name\" autocomplete=\"username\" required></label></p>\
             <p><label>Password <input name=\"password\" id=\"password\" type=\"password\" autocomplete=\"current-password\" required></label></p>\
             <p><button type=\"submit\" id=\"login\">Log in</button></p></form>"
        ),
    )
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
}

async fn login(
    Extract(state): Extract<State>,
    form: Result<Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else {
        return login_form(StatusCode::BAD_REQUEST, "Give a name and a password.");
    };
    let name = crate::domain::clip(f.name.trim(), 64);
    if state
        .failures
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .blocked(&name)
    {
        return login_form(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many failed attempts; wait ten minutes and try again.",
        );
    }
    let ok = match ops::user_check(&state.store, &name, &f.password).await {
        Ok(ok) => ok,
        Err(_) => {
            return login_form(
                StatusCode::SERVICE_UNAVAILABLE,
                "The database cannot be reached; try again.",
            )
        }
    };
    if !ok {
        state
            .failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .failed(&name);
        return login_form(StatusCode::UNAUTHORIZED, "Wrong name or password.");
    }
    match ops::session_start(&state.store, &name, state.clock.now()).await {
        Ok((token, _)) => {
            let cookie = format!(
                "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
                ops::SESSION_LIFETIME.num_seconds()
            );
            (
                StatusCode::SEE_OTHER,
                [(header::LOCATION, "/".to_string()), (header::SET_COOKIE, cookie)],
            )
                .into_response()
        }
        Err(_) => login_form(
            StatusCode::SERVICE_UNAVAILABLE,
            "The database cannot be reached; try again.",
        ),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !csrf_ok(&s, form.as_ref().ok().and_then(|f| f.csrf.as_deref())) {
        return forbidden();
    }
    if let Some(token) = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(';')
                .filter_map(|kv| kv.trim().strip_prefix("cadenced_session="))
                .next()
        })
    {
        let _ = state.store.end_session(&ops::token_hash(token)).await;
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/login".to_string()),
            (
                header::SET_COOKIE,
                format!("{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
            ),
        ],
    )
        .into_response()
}

fn status_badge(status: &str) -> String {
    format!("<span class=\"st st-{0}\">{0}</span>", esc(status))
}

async fn campaigns_page(Extract(state): Extract<State>, headers: HeaderMap) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let campaigns = match ops::campaigns(&state.store).await {
        Ok(c) => c,
        Err(e) => return op_page(&state, &s, e),
    };
    let mut body = String::from(
        "<h1>Campaigns</h1><table><thead><tr><th>Campaign</th><th>Status</th><th>Mailbox</th>\
         <th>Launch</th><th>In progress</th><th>Paused</th><th>Completed</th><th>Stopped</th><th>Skipped</th><th></th></tr></thead><tbody>",
    );
    for c in &campaigns {
        let n = |k: &str| c.counts.get(k).copied().unwrap_or(0);
        let action = match c.status.as_str() {
            "active" => "pause",
            "paused" => "resume",
            _ => "",
        };
        let form = if action.is_empty() {
            String::new()
        } else {
            format!(
                "<form class=\"inline\" method=\"post\" action=\"/campaigns/{}/{action}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <button>{}</button></form>",
                enc(&c.name),
                esc(&s.csrf),
                if action == "pause" { "Pause" } else { "Resume" }
            )
        };
        body.push_str(&format!(
            "<tr><td><a href=\"/campaigns/{}\">{}</a></td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href=\"/campaigns/{0}?status=paused\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{form}</td></tr>",
            enc(&c.name),
            esc(&c.name),
            status_badge(&c.status),
            c.pause_reason.as_deref().map(|r| format!(" ({})", esc(r))).unwrap_or_default(),
            esc(&c.mailbox),
            n("launch"),
            n("in_progress"),
            n("paused"),
            n("completed"),
            n("stopped"),
            n("skipped"),
        ));
    }
    body.push_str("</tbody></table><h2>Mailboxes</h2><table><thead><tr><th>Mailbox</th><th>Health</th><th>Worked by</th></tr></thead><tbody>");
    if let Ok(mailboxes) = ops::mailboxes(&state.cfg, &state.store, state.clock.now()).await {
        for m in mailboxes {
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&m.mailbox),
                if m.healthy {
                    "ok".to_string()
                } else {
                    format!(
                        "<span class=\"stale\">unhealthy</span>: {}",
                        esc(m.last_error.as_deref().unwrap_or(""))
                    )
                },
                esc(m.holder.as_deref().unwrap_or("nobody"))
            ));
        }
    }
    body.push_str("</tbody></table>");
    html(StatusCode::OK, "Campaigns", Some((&s.user, &s.csrf)), &body)
}

async fn campaign_act(
    state: State,
    headers: HeaderMap,
    name: String,
    form: Result<Form<CsrfForm>, FormRejection>,
    pause: bool,
) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if !csrf_ok(&s, form.as_ref().ok().and_then(|f| f.csrf.as_deref())) {
        return forbidden();
    }
    let now = state.clock.now();
    let r = if pause {
        ops::campaign_pause(&state.store, &name, now).await
    } else {
        ops::campaign_resume(&state.store, &name, now).await
    };
    match r {
        Ok(_) => redirect("/"),
        Err(e) => op_page(&state, &s, e),
    }
}

async fn campaign_pause(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(name): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    campaign_act(state, headers, name, form, true).await
}

async fn campaign_resume(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(name): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    campaign_act(state, headers, name, form, false).await
}

#[derive(Deserialize, Default)]
struct ListQuery {
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
}

/// "2 days left before step 3", or what the lead waits for.
fn countdown(v: &EnrollmentView) -> String {
    let next = v.current_step + 1;
    match (v.status.as_str(), v.remaining_delay_s) {
        ("launch", _) => "step 1 not sent yet".to_string(),
        ("in_progress" | "paused", Some(s)) => {
            let left = if s >= 2 * 86_400 {
                format!("{} days", s / 86_400)
            } else if s >= 7200 {
                format!("{} hours", s / 3600)
            } else if s >= 120 {
                format!("{} minutes", s / 60)
            } else {
                "less than 2 minutes".to_string()
            };
            let frozen = if v.status == "paused" {
                " (frozen while paused)"
            } else {
                ""
            };
            format!("{left} left before step {next}{frozen}")
        }
        ("in_progress", None) => format!("step {next} due"),
        _ => String::new(),
    }
}

async fn leads_page(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path(name): Path<String>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    let search = q.q.as_deref().filter(|s| !s.trim().is_empty());
    let now = state.clock.now();
    let page = async {
        let filter = ops::leads_filter(&state.store, Some(&name), status, search).await?;
        ops::leads_page(&state.store, &filter, q.cursor.as_deref(), PAGE, now).await
    }
    .await;
    let page = match page {
        Ok(p) => p,
        Err(e) => return op_page(&state, &s, e),
    };
    let base = format!("/campaigns/{}", enc(&name));
    let mut body = format!("<h1>{}</h1><p class=\"filters\">", esc(&name));
    let search_q = search.map(|q| format!("&q={}", enc(q))).unwrap_or_default();
    for (value, label) in [
        ("", "All"),
        ("launch", "Launch"),
        ("in_progress", "In progress"),
        ("paused", "Paused"),
        ("completed", "Completed"),
        ("stopped", "Stopped"),
        ("skipped", "Skipped"),
    ] {
        let on = status.unwrap_or("") == value;
        body.push_str(&format!(
            "<a id=\"filter-{}\" class=\"{}\" href=\"{base}?status={value}{search_q}\">{label}</a>",
            if value.is_empty() { "all" } else { value },
            if on { "on" } else { "" }
        ));
    }
    body.push_str(&format!(
        "</p><form method=\"get\" action=\"{base}\"><input type=\"hidden\" name=\"status\" value=\"{}\">\
         <input name=\"q\" id=\"q\" placeholder=\"address, name or company\" value=\"{}\"> <button>Search</button></form>\
         <table><thead><tr><th>Lead</th><th>Status</th><th>Step</th><th>Next send / resume</th><th>Reason</th><th>Note</th></tr></thead><tbody>",
        esc(status.unwrap_or("")),
        esc(search.unwrap_or(""))
    ));
    for l in &page.leads {
        body.push_str(&format!(
            "<tr><td><a href=\"{base}/leads/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            enc(&l.email),
            esc(&l.email),
            status_badge(&l.status),
            l.current_step,
            esc(l.resume_at.as_deref().or(l.sends_at.as_deref()).or(l.next_send_at.as_deref()).unwrap_or("-")),
            esc(l.pause_reason.as_deref().or(l.stop_reason.as_deref()).unwrap_or("")),
            esc(&crate::domain::clip(l.note.as_deref().unwrap_or(""), 80)),
        ));
    }
    body.push_str("</tbody></table>");
    if page.leads.is_empty() {
        body.push_str("<p>No leads.</p>");
    }
    if let Some(next) = &page.next_cursor {
        body.push_str(&format!(
            "<p><a id=\"next\" href=\"{base}?status={}{search_q}&cursor={}\">Next page</a></p>",
            enc(status.unwrap_or("")),
            enc(next)
        ));
    }
    html(StatusCode::OK, &name, Some((&s.user, &s.csrf)), &body)
}

fn lead_panel(s: &Session, v: &EnrollmentView, error: Option<&str>) -> String {
    let base = format!("/campaigns/{}/leads/{}", enc(&v.campaign), enc(&v.email));
    let mut body = format!(
        "<p><a href=\"/campaigns/{}\">← {}</a></p><h1>{}</h1>",
        enc(&v.campaign),
        esc(&v.campaign),
        esc(&v.email)
    );
    if let Some(e) = error {
        body.push_str(&format!("<p class=\"err\" id=\"error\">{}</p>", esc(e)));
    }
    let row = |k: &str, val: &str| format!("<dt>{k}</dt><dd>{}</dd>", esc(val));
    body.push_str("<dl>");
    body.push_str(&format!(
        "<dt>Status</dt><dd id=\"status\">{}</dd>",
        status_badge(&v.status)
    ));
    body.push_str(&format!(
        "<dt>Countdown</dt><dd id=\"countdown\">{}</dd>",
        esc(&countdown(v))
    ));
    body.push_str(&row("Steps sent", &v.current_step.to_string()));
    for (k, val) in [
        ("Next send", &v.sends_at),
        ("Paused since", &v.paused_at),
        ("Pause", &v.pause_reason),
        ("Return date", &v.return_date),
        ("Resumes at", &v.resume_at),
        ("Stop reason", &v.stop_reason),
        ("Note", &v.note),
        ("Waiting", &v.waiting),
    ] {
        if let Some(val) = val {
            body.push_str(&row(k, val));
        }
    }
    for (k, val) in v.fields.iter().flatten() {
        body.push_str(&row(k, val));
    }
    body.push_str("</dl><div class=\"actions\">");
    let form = |action: &str, label: &str, extra: &str| {
        format!(
            "<form method=\"post\" action=\"{base}/{action}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">{extra}\
             <button id=\"do-{action}\">{label}</button></form>",
            esc(&s.csrf)
        )
    };
    let st = v.status.as_str();
    // A launch lead gets the form too: the refusal ("use skip") is what it teaches.
    if matches!(st, "in_progress" | "launch") {
        body.push_str(&form(
            "pause",
            "Pause",
            "<label>until <input type=\"date\" name=\"until\"></label> <label>note <input name=\"note\" id=\"pause-note\"></label> ",
        ));
    }
    if st == "paused" {
        body.push_str(&form("resume", "Resume", ""));
    }
    if matches!(st, "in_progress" | "paused") {
        body.push_str(&form(
            "stop",
            "Stop",
            "<label>note <input name=\"note\"></label> ",
        ));
    }
    if st == "launch" {
        body.push_str(&form("skip", "Skip", ""));
    }
    if st == "skipped" {
        body.push_str(&form("unskip", "Unskip", ""));
    }
    body.push_str("</div><h2>History</h2><table><thead><tr><th>When</th><th>What</th><th>From → to</th><th>By</th><th>Reason</th><th>Note</th></tr></thead><tbody>");
    for e in v.events.iter().flatten().rev() {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.at),
            esc(&e.kind),
            esc(&e.from),
            esc(&e.to),
            esc(&e.actor),
            esc(e.reason.as_deref().or(e.rule.as_deref()).unwrap_or("")),
            esc(e.note.as_deref().unwrap_or(""))
        ));
    }
    body.push_str("</tbody></table>");
    body
}

async fn lead_page(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path((campaign, email)): Path<(String, String)>,
) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    match ops::lead_show(&state.store, &campaign, &email, state.clock.now()).await {
        Ok(v) => html(
            StatusCode::OK,
            &v.email,
            Some((&s.user, &s.csrf)),
            &lead_panel(&s, &v, None),
        ),
        Err(e) => op_page(&state, &s, e),
    }
}

#[derive(Deserialize)]
struct ActionForm {
    csrf: Option<String>,
    until: Option<String>,
    note: Option<String>,
}

async fn lead_act(
    Extract(state): Extract<State>,
    headers: HeaderMap,
    Path((campaign, email, action)): Path<(String, String, String)>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(Form(f)) = form else {
        return forbidden();
    };
    if !csrf_ok(&s, f.csrf.as_deref()) {
        return forbidden();
    }
    let action = match action.as_str() {
        "pause" => LeadAction::Pause {
            until: f.until.filter(|u| !u.is_empty()),
        },
        "resume" => LeadAction::Resume,
        "stop" => LeadAction::Stop { reason: None },
        "skip" => LeadAction::Skip,
        "unskip" => LeadAction::Unskip,
        _ => {
            return html(
                StatusCode::NOT_FOUND,
                "Not found",
                Some((&s.user, &s.csrf)),
                "<p>No such action.</p>",
            )
        }
    };
    let note = f
        .note
        .filter(|n| !n.trim().is_empty())
        .map(|n| crate::domain::clip(&n, 2000));
    let now = state.clock.now();
    match ops::lead_act(&state.store, &campaign, &email, &action, note, now).await {
        Ok(_) => redirect(&format!("/campaigns/{}/leads/{}", enc(&campaign), enc(&email))),
        Err(OpError::Refused(m) | OpError::Invalid(m)) => {
            match ops::lead_show(&state.store, &campaign, &email, now).await {
                Ok(v) => html(
                    StatusCode::CONFLICT,
                    &v.email,
                    Some((&s.user, &s.csrf)),
                    &lead_panel(&s, &v, Some(&m)),
                ),
                Err(e) => op_page(&state, &s, e),
            }
        }
        Err(e) => op_page(&state, &s, e),
    }
}

async fn paused_page(Extract(state): Extract<State>, headers: HeaderMap) -> Response {
    let s = match session(&state, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let lines = match ops::report(&state.store, None, state.clock.now()).await {
        Ok(l) => l,
        Err(e) => return op_page(&state, &s, e),
    };
    let mut paused: Vec<_> = lines
        .iter()
        .filter_map(|l| match l {
            ReportLine::Paused(p) => Some(p),
            _ => None,
        })
        .collect();
    // By resume date, soonest first; pauses that wait for a person last, the oldest first.
    paused.sort_by(|a, b| match (&a.view.resume_at, &b.view.resume_at) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.paused_days.cmp(&a.paused_days),
    });
    let mut body = format!(
        "<h1>Paused review</h1><p>{} paused leads, {} stale.</p><table><thead><tr><th>Lead</th><th>Campaign</th>\
         <th>Reason</th><th>Paused</th><th>Resumes</th><th>Return date</th><th>Note</th></tr></thead><tbody>",
        paused.len(),
        paused.iter().filter(|p| p.stale).count()
    );
    for p in paused {
        let v = &p.view;
        body.push_str(&format!(
            "<tr><td><a href=\"/campaigns/{}/leads/{}\">{}</a></td><td>{}</td><td>{}</td><td>{} days{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            enc(&v.campaign),
            enc(&v.email),
            esc(&v.email),
            esc(&v.campaign),
            esc(v.pause_reason.as_deref().unwrap_or("")),
            p.paused_days,
            if p.stale { " <span class=\"stale\">STALE</span>" } else { "" },
            esc(v.resume_at.as_deref().unwrap_or("waits for a person")),
            esc(v.return_date.as_deref().unwrap_or("")),
            esc(v.note.as_deref().unwrap_or(""))
        ));
    }
    body.push_str("</tbody></table>");
    html(StatusCode::OK, "Paused review", Some((&s.user, &s.csrf)), &body)
}

/// Unknown paths: a page that says nothing more.
pub async fn not_found() -> Response {
    html(
        StatusCode::NOT_FOUND,
        "Not found",
        None,
        "<p>Not found. <a href=\"/\">Campaigns</a></p>",
    )
}
