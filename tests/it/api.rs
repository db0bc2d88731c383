//! The operator API as a script or a CRM meets it: real HTTP requests to a running
//! `cadenced run` child on its `[http] admin_listen`, with tokens made by the CLI, on SQLite
//! and PostgreSQL. The answers are compared with the CLI's `--json` for the same leads, and
//! every answer is checked against the OpenAPI document the daemon serves.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;

use crate::cli::{json_lines, Env};
use crate::store::TestDb;
use crate::support::daemon::DaemonProcess;
use crate::support::http::{request, Answer};

const NOW: &str = "2026-03-02T08:00:00Z";

/// The CLI's environment plus `[http]` with the operator listener on a free port.
pub(crate) struct Api {
    pub(crate) env: Env,
}

impl crate::support::Fixture for Api {
    type Arg<'a> = &'a Api;

    async fn open(db: TestDb) -> Api {
        let env = Env::new(db).await;
        let key = env.dir.path().join("link.key");
        std::fs::write(&key, "ab".repeat(32)).expect("key");
        let mut text = std::fs::read_to_string(&env.config).expect("config");
        text.push_str(&format!(
            "[http]\nlisten = \"127.0.0.1:0\"\npublic_url = \"http://127.0.0.1:1\"\nsecret_file = \"{}\"\nadmin_listen = \"127.0.0.1:0\"\n",
            key.display()
        ));
        std::fs::write(&env.config, text).expect("config");
        Api { env }
    }

    fn arg(&self) -> &Api {
        self
    }

    async fn close(self) {
        self.env.db.cleanup().await;
    }
}

both_backends!(Api: api_does_what_the_cli_does_behind_tokens);

/// A running daemon and the address of its operator listener.
pub(crate) struct Running {
    pub(crate) daemon: DaemonProcess,
    pub(crate) addr: SocketAddr,
}

pub(crate) fn start(api: &Api) -> Running {
    let mut daemon = DaemonProcess::start_with_env(&api.env.config, "daemon", &[("CADENCED_FAKE_NOW", NOW)]);
    let at = daemon.wait_for_log("Operator HTTP listener started.", 0, Duration::from_secs(30));
    let log = daemon.log();
    let rest = &log[at..];
    let addr = rest
        .split("addr=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no address in {rest:?}"));
    Running { daemon, addr }
}

/// The API as a client with a token calls it, keeping every answer for the OpenAPI check.
struct Client {
    addr: std::net::SocketAddr,
    token: String,
    /// The answers seen: (method, path template, status, body).
    seen: Vec<(String, String, u16, String)>,
}

impl Client {
    /// `method path` (`template` is its OpenAPI path) with `body` as JSON unless empty.
    async fn call(&mut self, method: &str, template: &str, path: &str, body: &str) -> Answer {
        let auth = format!("Bearer {}", self.token);
        let mut headers = vec![("Authorization", auth.as_str())];
        if !body.is_empty() {
            headers.push(("Content-Type", "application/json"));
        }
        let a = request(self.addr, method, path, &headers, body.as_bytes()).await;
        self.seen.push((
            method.to_lowercase(),
            template.to_string(),
            a.status,
            a.body.clone(),
        ));
        a
    }

    async fn get(&mut self, template: &str, path: &str) -> Answer {
        self.call("GET", template, path, "").await
    }

    async fn post(&mut self, template: &str, path: &str, body: &str) -> Answer {
        self.call("POST", template, path, body).await
    }
}

fn json(a: &Answer) -> Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("not JSON ({e}): {a:?}"))
}

async fn api_does_what_the_cli_does_behind_tokens(api: &Api) {
    let env = &api.env;
    env.examples();
    // lead1 had two steps; step 3 (a 4-day delay) is due on 7 March.
    env.send("lead1@lead.test", "2026-03-02T07:00:00Z", "2026-03-03T09:00:00Z")
        .await;
    env.send("lead1@lead.test", "2026-03-02T07:30:00Z", "2026-03-07T09:00:00Z")
        .await;
    env.send("lead4@lead.test", "2026-03-02T07:00:00Z", "2026-03-09T09:00:00Z")
        .await;
    let token = env.ok(&["api-token", "create", "crm"]).trim().to_string();
    assert!(token.starts_with("cdt_") && token.len() == 68, "{token}");
    let old = env.ok(&["api-token", "create", "old-script"]).trim().to_string();
    env.ok(&["api-token", "revoke", "old-script"]);
    let listed = json_lines(&env.ok(&["api-token", "list", "--json"]));
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(
        !env.ok(&["api-token", "list"]).contains(&token[4..20]),
        "list never shows a token"
    );
    // A second live token of the same name is refused.
    let out = env.run(&["api-token", "create", "crm"]);
    assert_eq!(out.status.code(), Some(1));

    let run = start(api);
    let mut client = Client {
        addr: run.addr,
        token: token.clone(),
        seen: Vec::new(),
    };

    // Wrong or missing credentials: 401 and nothing else, on every path.
    let revoked = format!("Bearer {old}");
    let basic = format!("Basic {token}");
    let altered = format!("Bearer {}x", &token[..67]);
    for (auth, path) in [
        (None, "/api/v1/campaigns"),
        (Some("Bearer cdt_0000"), "/api/v1/campaigns"),
        (Some(revoked.as_str()), "/api/v1/leads"),
        (Some(basic.as_str()), "/api/v1/leads"),
        (Some(altered.as_str()), "/api/v1/leads"),
        (None, "/api/v1/no-such-route"),
        (None, "/api/v1/openapi.json"),
    ] {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let a = request(run.addr, "GET", path, &headers, b"").await;
        assert_eq!(a.status, 401, "{auth:?} {path}: {a:?}");
        assert_eq!(a.body, "", "{path}: a 401 says nothing");
    }
    let a = request(run.addr, "POST", "/api/v1/campaigns/q1-outreach/pause", &[], b"").await;
    assert_eq!(a.status, 401);

    // The lists, as the CLI lists them: the same objects, field for field.
    let a = client
        .get(
            "/api/v1/leads",
            "/api/v1/leads?campaign=q1-outreach&status=in_progress",
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.header("content-type"), Some("application/json"));
    let page = json(&a);
    let cli = json_lines(&env.ok(&[
        "leads",
        "list",
        "--campaign",
        "q1-outreach",
        "--status",
        "in_progress",
        "--json",
    ]));
    assert_eq!(
        page["leads"].as_array().expect("leads"),
        &cli,
        "API and CLI agree"
    );
    assert_eq!(page["next_cursor"], Value::Null);
    assert_eq!(cli.len(), 2);

    // Pages of two: every lead once, in order, and the last page says so.
    let mut emails = Vec::new();
    let mut cursor = String::new();
    for _ in 0..5 {
        let path = format!("/api/v1/leads?limit=2&cursor={cursor}");
        let page = json(&client.get("/api/v1/leads", &path).await);
        for l in page["leads"].as_array().expect("leads") {
            emails.push(l["email"].as_str().expect("email").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(
        emails,
        (1..=5).map(|i| format!("lead{i}@lead.test")).collect::<Vec<_>>()
    );
    // The search box: name, company, address; LIKE's wildcards are plain text.
    for (q, want) in [
        ("hopper", vec!["lead2@lead.test"]),
        ("RADIUM", vec!["lead5@lead.test"]),
        ("lead3@", vec!["lead3@lead.test"]),
        ("%", vec![]),
        ("_", vec![]),
    ] {
        let page = json(
            &client
                .get(
                    "/api/v1/leads",
                    &format!("/api/v1/leads?q={}", q.replace('%', "%25")),
                )
                .await,
        );
        let got: Vec<&str> = page["leads"]
            .as_array()
            .expect("leads")
            .iter()
            .map(|l| l["email"].as_str().expect("email"))
            .collect();
        assert_eq!(got, want, "q={q}");
    }
    for bad in [
        "/api/v1/leads?status=sleeping",
        "/api/v1/leads?cursor=abc",
        "/api/v1/leads?limit=-1",
        "/api/v1/leads?colour=red",
    ] {
        let a = client.get("/api/v1/leads", bad).await;
        assert_eq!(a.status, 400, "{bad}: {a:?}");
        assert!(json(&a)["error"].is_string());
    }
    let a = client.get("/api/v1/leads", "/api/v1/leads?campaign=nope").await;
    assert_eq!(a.status, 404);

    // Pause with until and note: the lead's view as the CLI shows it after.
    let lead1 = "/api/v1/campaigns/q1-outreach/leads/lead1@lead.test";
    let act = "/api/v1/campaigns/{campaign}/leads/{email}/{action}";
    let a = client
        .post(
            act,
            &format!("{lead1}/pause"),
            r#"{"until": "2026-03-10", "note": "asked for a break"}"#,
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let paused = json(&a);
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["pause_source"], "operator");
    assert_eq!(paused["note"], "asked for a break");
    // Lead1 is in London: the window (09:00 Berlin time rule applies in the lead's zone) opens
    // at 09:00 London on the 10th.
    assert_eq!(paused["resume_at"], "2026-03-10T09:00:00Z");
    let shown = client
        .get("/api/v1/campaigns/{campaign}/leads/{email}", lead1)
        .await;
    assert_eq!(shown.status, 200);
    let shown = json(&shown);
    let cli = json_lines(&env.ok(&[
        "lead",
        "show",
        "lead1@lead.test",
        "--campaign",
        "q1-outreach",
        "--json",
    ]));
    assert_eq!(shown, cli[0], "API and CLI agree on lead show");
    let last = shown["events"]
        .as_array()
        .expect("events")
        .last()
        .cloned()
        .expect("an event");
    assert_eq!(last["kind"], "pause");
    assert_eq!(last["note"], "asked for a break");
    assert_eq!(shown["fields"]["company"], "Analytical Engines");

    // The lifecycle's refusals, as 409 with its sentence.
    let a = client
        .post(
            act,
            "/api/v1/campaigns/q1-outreach/leads/lead3@lead.test/pause",
            "",
        )
        .await;
    assert_eq!(a.status, 409, "{a:?}");
    let msg = json(&a)["error"].as_str().expect("error").to_string();
    assert!(msg.contains("lead3@lead.test") && msg.contains("skip"), "{msg}");
    let cli = env.run(&["lead", "pause", "lead3@lead.test", "--campaign", "q1-outreach"]);
    assert!(
        crate::cli::stderr(&cli).contains(&msg),
        "the CLI says the same: {}",
        crate::cli::stderr(&cli)
    );

    // Resume, stop with a reason, skip and unskip.
    let a = client
        .post(act, &format!("{lead1}/resume"), r#"{"note": "back"}"#)
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(json(&a)["status"], "in_progress");
    assert_eq!(json(&a)["remaining_delay_s"], 5 * 86400 + 3600);
    let a = client
        .post(
            act,
            "/api/v1/campaigns/q1-outreach/leads/lead4@lead.test/stop",
            r#"{"reason": "replied"}"#,
        )
        .await;
    assert_eq!(json(&a)["stop_reason"], "replied", "{a:?}");
    let a = client
        .post(
            act,
            "/api/v1/campaigns/q1-outreach/leads/lead4@lead.test/resume",
            "",
        )
        .await;
    assert_eq!(a.status, 409, "a stopped lead stays stopped: {a:?}");
    let a = client
        .post(
            act,
            "/api/v1/campaigns/q1-outreach/leads/lead3@lead.test/skip",
            "{}",
        )
        .await;
    assert_eq!(json(&a)["status"], "skipped", "{a:?}");
    let a = client
        .post(
            act,
            "/api/v1/campaigns/q1-outreach/leads/lead3@lead.test/unskip",
            "",
        )
        .await;
    assert_eq!(json(&a)["status"], "launch", "{a:?}");

    // Bad input: named, 400; unknown things: 404; nothing changes.
    for (path, body, needle) in [
        (format!("{lead1}/pause"), r#"{"untill": "2026-03-10"}"#, "untill"),
        (
            format!("{lead1}/pause"),
            r#"{"until": "2020-01-01"}"#,
            "in the past",
        ),
        (
            format!("{lead1}/pause"),
            r#"{"until": "2046-03-10"}"#,
            "max_pause",
        ),
        (format!("{lead1}/pause"), r#"{"until": 5"#, "request body"),
        (format!("{lead1}/resume"), r#"{"reason": "x"}"#, "only note"),
        (format!("{lead1}/stop"), r#"{"reason": "bored"}"#, "bored"),
    ] {
        let a = client.post(act, &path, body).await;
        assert_eq!(a.status, 400, "{body}: {a:?}");
        let e = json(&a)["error"].as_str().expect("error").to_string();
        assert!(e.contains(needle), "{body}: {e}");
    }
    let a = client
        .post(
            act,
            "/api/v1/campaigns/q1-outreach/leads/nobody@lead.test/pause",
            "",
        )
        .await;
    assert_eq!(a.status, 404);
    assert!(json(&a)["error"]
        .as_str()
        .expect("error")
        .contains("nobody@lead.test"));
    let a = client
        .get("/api/v1/campaigns/{campaign}", "/api/v1/campaigns/nope")
        .await;
    assert_eq!(a.status, 404);
    let a = client.post(act, &format!("{lead1}/explode"), "").await;
    assert_eq!(a.status, 404);
    let huge = format!(r#"{{"note": "{}"}}"#, "x".repeat(300 * 1024));
    let a = request(
        run.addr,
        "POST",
        &format!("{lead1}/pause"),
        &[("Authorization", &format!("Bearer {token}"))],
        huge.as_bytes(),
    )
    .await;
    assert_eq!(a.status, 413, "a body over the limit is refused");
    let a = client
        .get("/api/v1/campaigns/{campaign}/leads/{email}", lead1)
        .await;
    assert_eq!(json(&a)["status"], "in_progress", "nothing changed");

    // Bulk forms: by status and by addresses.
    let bulk = "/api/v1/campaigns/{campaign}/leads/pause";
    let a = client.post(bulk, "/api/v1/campaigns/q1-outreach/leads/pause", r#"{"emails": ["lead1@lead.test", "lead4@lead.test", "lead5@lead.test", "ghost@lead.test"], "note": "holiday"}"#)
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let out = json(&a);
    assert_eq!(out["changed"], 1);
    let not: Vec<(String, String)> = out["not_changed"]
        .as_array()
        .expect("list")
        .iter()
        .map(|l| {
            (
                l["email"].as_str().unwrap_or("").to_string(),
                l["result"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        not.contains(&("lead5@lead.test".into(), "refused".into())),
        "{out}"
    );
    assert!(
        not.contains(&("lead4@lead.test".into(), "refused".into())),
        "stopped: {out}"
    );
    assert!(
        not.contains(&("ghost@lead.test".into(), "not_found".into())),
        "{out}"
    );
    let a = client
        .post(
            "/api/v1/campaigns/{campaign}/leads/resume",
            "/api/v1/campaigns/q1-outreach/leads/resume",
            r#"{"status": "paused"}"#,
        )
        .await;
    assert_eq!(json(&a)["changed"], 1, "{a:?}");
    let a = client
        .post(
            "/api/v1/campaigns/{campaign}/leads/stop",
            "/api/v1/campaigns/q1-outreach/leads/stop",
            r#"{"emails": ["lead5@lead.test"], "reason": "manual"}"#,
        )
        .await;
    assert_eq!(json(&a)["changed"], 0, "{a:?}");
    assert_eq!(json(&a)["not_changed"][0]["result"], "refused", "{a:?}");
    let a = client
        .post(
            "/api/v1/campaigns/{campaign}/leads/stop",
            "/api/v1/campaigns/q1-outreach/leads/stop",
            r#"{}"#,
        )
        .await;
    assert_eq!(a.status, 400, "no leads named: {a:?}");

    // Campaigns: a draft cannot be paused; launched, it can, and resumed.
    let pause = "/api/v1/campaigns/{campaign}/pause";
    let a = client
        .post(pause, "/api/v1/campaigns/q1-outreach/pause", "")
        .await;
    assert_eq!(a.status, 409, "{a:?}");
    let list = json(&client.get("/api/v1/campaigns", "/api/v1/campaigns").await);
    assert_eq!(
        list,
        Value::Array(json_lines(&env.ok(&["campaign", "list", "--json"])))
    );
    env.ok(&["campaign", "launch", "q1-outreach"]);
    let a = client
        .post(pause, "/api/v1/campaigns/q1-outreach/pause", "")
        .await;
    assert_eq!(json(&a)["status"], "paused", "{a:?}");
    let a = client
        .post(
            "/api/v1/campaigns/{campaign}/set-sender",
            "/api/v1/campaigns/q1-outreach/set-sender",
            r#"{"mailbox": "atlantis"}"#,
        )
        .await;
    assert_eq!(a.status, 400, "{a:?}");
    let a = client
        .post(
            "/api/v1/campaigns/{campaign}/set-sender",
            "/api/v1/campaigns/q1-outreach/set-sender",
            r#"{"mailbox": "marketing"}"#,
        )
        .await;
    assert_eq!(json(&a)["mailbox"], "marketing", "{a:?}");
    let a = client
        .get("/api/v1/campaigns/{campaign}", "/api/v1/campaigns/q1-outreach")
        .await;
    assert_eq!(json(&a)["status"], "paused");
    let report = json(
        &client
            .get("/api/v1/report", "/api/v1/report?campaign=q1-outreach")
            .await,
    );
    assert_eq!(
        report,
        Value::Array(json_lines(&env.ok(&[
            "report",
            "--campaign",
            "q1-outreach",
            "--json"
        ])))
    );
    let a = client
        .post(
            "/api/v1/campaigns/{campaign}/resume",
            "/api/v1/campaigns/q1-outreach/resume",
            "",
        )
        .await;
    assert_eq!(json(&a)["status"], "active", "{a:?}");
    client
        .post(pause, "/api/v1/campaigns/q1-outreach/pause", "")
        .await;

    let a = client.get("/api/v1/mailboxes", "/api/v1/mailboxes").await;
    assert_eq!(json(&a).as_array().map(Vec::len), Some(2), "{a:?}");
    let a = client.get("/api/v1/sends", "/api/v1/sends?state=uncertain").await;
    assert_eq!(json(&a), Value::Array(vec![]));
    let a = client.get("/api/v1/sends", "/api/v1/sends?state=lost").await;
    assert_eq!(a.status, 400);
    let a = client.get("/api/v1/report", "/api/v1/report?campaign=nope").await;
    assert_eq!(a.status, 404);

    // Every answer matches the document the daemon serves, and every route in it was called.
    let doc = client.get("/api/v1/openapi.json", "/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200);
    let doc = json(&doc);
    let mut called = BTreeSet::new();
    for (method, template, status, body) in &client.seen {
        let op = &doc["paths"][template][method];
        assert!(
            op.is_object(),
            "{method} {template} is not in the OpenAPI document"
        );
        let mut response = op["responses"][status.to_string()].clone();
        assert!(
            response.is_object(),
            "{method} {template}: answer {status} is not documented"
        );
        if let Some(r) = response["$ref"].as_str() {
            response = resolve(&doc, r).clone();
        }
        if let Some(schema) = response["content"]["application/json"]["schema"].as_object() {
            let value: Value =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{method} {template}: not JSON ({e})"));
            if let Err(e) = validate(&doc, &Value::Object(schema.clone()), &value, "$") {
                panic!("{method} {template} {status}: {e}\n{body}");
            }
        }
        called.insert((method.clone(), template.clone()));
    }
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("ops").keys() {
            assert!(
                called.contains(&(method.clone(), path.clone())),
                "{method} {path} was never called"
            );
        }
    }
    let mut daemon = run.daemon;
    assert!(daemon.is_running());
    assert!(!daemon.log().contains(&token), "the token is never logged");
    daemon.terminate(Duration::from_secs(30));
}

fn resolve<'a>(doc: &'a Value, r: &str) -> &'a Value {
    let mut at = doc;
    for part in r.trim_start_matches("#/").split('/') {
        at = &at[part];
    }
    assert!(!at.is_null(), "dangling $ref {r}");
    at
}

/// Checks `value` against the JSON Schema subset the document uses: `$ref`, `oneOf`, `type`
/// (one or a list), `enum`, `const`, `properties`, `required`, `additionalProperties`,
/// `items`, `minimum`/`maximum`.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema["$ref"].as_str() {
        return validate(doc, resolve(doc, r), value, at);
    }
    if let Some(one_of) = schema["oneOf"].as_array() {
        let ok = one_of
            .iter()
            .filter(|s| validate(doc, s, value, at).is_ok())
            .count();
        return if ok == 1 {
            Ok(())
        } else {
            Err(format!("{at}: matches {ok} of the oneOf schemas: {value}"))
        };
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let number_ok = actual == "integer" && types.contains(&"number");
        if !(types.contains(&actual) || number_ok) {
            return Err(format!("{at}: {actual}, documented as {types:?}"));
        }
    }
    if let Some(list) = schema["enum"].as_array() {
        if !value.is_null() && !list.contains(value) {
            return Err(format!("{at}: {value} is not one of {list:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            return Err(format!("{at}: {value}, documented as {c}"));
        }
    }
    if let Value::Object(map) = value {
        for name in schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(name) {
                return Err(format!("{at}: {name} is missing"));
            }
        }
        let props = schema["properties"].as_object();
        for (k, v) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(doc, s, v, &format!("{at}.{k}"))?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => return Err(format!("{at}: {k} is not documented")),
                    Some(s @ Value::Object(_)) => validate(doc, s, v, &format!("{at}.{k}"))?,
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            validate(doc, s, v, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}
