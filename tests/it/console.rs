//! The web console as a sales rep uses it, in a real browser (Debian's Chromium, headless,
//! through chromedriver) against a `cadenced run` child: log in, open a campaign, filter
//! Paused, open a lead, Resume it and see its status and countdown change; try to pause a
//! lead not contacted yet and read "use skip". Then, over plain HTTP, what a browser does
//! not show: the cookie's attributes, CSRF refusals, the login rate limit, 401/redirects.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::api::{start, Api};
use crate::support::http::request;
use crate::support::webdriver::Browser;
use crate::support::Fixture;

const PASSWORD: &str = "correct horse battery";

fn user_add(api: &Api, name: &str, password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&api.env.config)
        .args(["user", "add", name])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cadenced");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write password");
    child.wait_with_output().expect("wait")
}

/// Where the screenshots of the main pages go when `CADENCED_SCREENSHOTS` names a folder
/// (the README's come from there).
fn keep(name: &str, png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    if let Ok(dir) = std::env::var("CADENCED_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join(name), png).expect("write screenshot");
    }
}

#[tokio::test]
async fn r13_console_in_chromium_log_in_filter_paused_resume_and_a_refusal() {
    let api = <Api as Fixture>::open(crate::store::sqlite_db().await).await;
    let env = &api.env;
    env.examples();
    env.send("lead1@lead.test", "2026-03-02T07:00:00Z", "2026-03-03T09:00:00Z")
        .await;
    env.send("lead1@lead.test", "2026-03-02T07:30:00Z", "2026-03-07T09:00:00Z")
        .await;
    env.send("lead4@lead.test", "2026-03-02T07:00:00Z", "2026-03-09T09:00:00Z")
        .await;
    env.ok(&[
        "lead",
        "pause",
        "lead1@lead.test",
        "--campaign",
        "q1-outreach",
        "--note",
        "asked for a break",
    ]);
    let out = user_add(&api, "ann", "short");
    assert_eq!(out.status.code(), Some(2), "a short password is refused");
    let out = user_add(&api, "ann", PASSWORD);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let run = start(&api);
    let base = format!("http://{}", run.addr);
    let browser = Browser::start().await;

    // Not logged in: every page leads to the login form.
    browser.goto(&format!("{base}/campaigns/q1-outreach")).await;
    let url = browser.url_becomes("/login").await;
    assert!(url.ends_with("/login"), "{url}");
    browser.type_into("#name", "ann").await;
    browser.type_into("#password", PASSWORD).await;
    keep("console-login.png", &browser.screenshot().await);
    browser.click("#login").await;
    assert_eq!(browser.url_becomes(&format!("{base}/")).await, format!("{base}/"));
    let campaigns = browser.text("main").await;
    assert!(
        campaigns.contains("q1-outreach") && campaigns.contains("sales"),
        "{campaigns}"
    );
    keep("console-campaigns.png", &browser.screenshot().await);

    // The campaign, filtered to Paused: lead1 alone.
    browser.click_link("q1-outreach").await;
    browser.url_becomes("/campaigns/q1-outreach").await;
    browser.click("#filter-paused").await;
    browser.url_becomes("?status=paused").await;
    let list = browser.text("table").await;
    assert!(
        list.contains("lead1@lead.test") && list.contains("asked for a break"),
        "{list}"
    );
    assert!(!list.contains("lead2@lead.test"), "{list}");
    keep("console-leads-paused.png", &browser.screenshot().await);

    // The lead's panel: paused, its countdown frozen; Resume.
    browser.click_link("lead1@lead.test").await;
    assert_eq!(browser.text_becomes("#status", "paused").await, "paused");
    assert_eq!(
        browser.text("#countdown").await,
        "5 days left before step 3 (frozen while paused)"
    );
    let panel = browser.text("main").await;
    assert!(
        panel.contains("asked for a break") && panel.contains("History"),
        "{panel}"
    );
    keep("console-lead.png", &browser.screenshot().await);
    browser.click("#do-resume").await;
    assert_eq!(
        browser.text_becomes("#status", "in_progress").await,
        "in_progress"
    );
    assert_eq!(browser.text("#countdown").await, "5 days left before step 3");
    assert!(
        browser.text("table").await.contains("resume"),
        "the history shows it"
    );
    let cli = crate::cli::json_lines(&env.ok(&[
        "lead",
        "show",
        "lead1@lead.test",
        "--campaign",
        "q1-outreach",
        "--json",
    ]));
    assert_eq!(cli[0]["status"], "in_progress", "the store agrees");

    // A refusal: pausing a lead not contacted yet says to skip it.
    browser
        .goto(&format!("{base}/campaigns/q1-outreach/leads/lead3@lead.test"))
        .await;
    assert_eq!(browser.text_becomes("#status", "launch").await, "launch");
    browser.click("#do-pause").await;
    let error = browser
        .text_becomes("#error", "lead lead3@lead.test in campaign \"q1-outreach\": not contacted yet (status launch): use skip to keep it from starting")
        .await;
    assert!(error.contains("use skip"), "{error}");
    assert_eq!(browser.text("#status").await, "launch");
    browser.click("#do-skip").await;
    assert_eq!(browser.text_becomes("#status", "skipped").await, "skipped");

    // The paused review.
    browser.click_link("Paused review").await;
    browser.url_becomes("/paused").await;
    let review = browser.text("main").await;
    assert!(review.contains("0 paused leads"), "{review}");
    browser.quit().await;

    // What the browser does not show: the cookie, CSRF, the rate limit.
    let form = format!("name=ann&password={}", PASSWORD.replace(' ', "+"));
    let ct = ("Content-Type", "application/x-www-form-urlencoded");
    let a = request(run.addr, "POST", "/login", &[ct], form.as_bytes()).await;
    assert_eq!(a.status, 303, "{a:?}");
    let cookie = a.header("set-cookie").expect("a cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("pair").to_string();
    let lead4 = "/campaigns/q1-outreach/leads/lead4@lead.test/pause";
    let a = request(run.addr, "POST", lead4, &[ct, ("Cookie", &pair)], b"note=x").await;
    assert_eq!(a.status, 403, "no CSRF token: {a:?}");
    let a = request(
        run.addr,
        "POST",
        lead4,
        &[ct, ("Cookie", &pair)],
        b"csrf=0000&note=x",
    )
    .await;
    assert_eq!(a.status, 403, "a wrong CSRF token");
    let page = request(
        run.addr,
        "GET",
        "/campaigns/q1-outreach/leads/lead4@lead.test",
        &[("Cookie", &pair)],
        b"",
    )
    .await;
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a CSRF token in the form")
        .to_string();
    let a = request(
        run.addr,
        "POST",
        lead4,
        &[ct, ("Cookie", &pair)],
        format!("csrf={csrf}&note=fair").as_bytes(),
    )
    .await;
    assert_eq!(a.status, 303, "{a:?}");
    let cli = crate::cli::json_lines(&env.ok(&[
        "lead",
        "show",
        "lead4@lead.test",
        "--campaign",
        "q1-outreach",
        "--json",
    ]));
    assert_eq!(cli[0]["status"], "paused");
    assert_eq!(cli[0]["note"], "fair");
    // The API's tokens are not the console's cookies, nor the other way round.
    let a = request(run.addr, "GET", "/api/v1/campaigns", &[("Cookie", &pair)], b"").await;
    assert_eq!(a.status, 401);
    let a = request(run.addr, "GET", "/", &[("Cookie", "cadenced_session=00ff")], b"").await;
    assert_eq!((a.status, a.header("location")), (303, Some("/login")));
    // Wrong passwords: five are answered, then the account is held for a while, even with
    // the right one.
    for _ in 0..5 {
        let a = request(
            run.addr,
            "POST",
            "/login",
            &[ct],
            b"name=ann&password=wrong+horse+battery",
        )
        .await;
        assert_eq!(a.status, 401);
        assert!(a.body.contains("Wrong name or password"));
    }
    let a = request(run.addr, "POST", "/login", &[ct], form.as_bytes()).await;
    assert_eq!(a.status, 429, "{a:?}");
    let mut daemon = run.daemon;
    daemon.terminate(Duration::from_secs(30));
    api.close().await;
}
