//! A real OAuth2/OpenID provider for the OAuth2 mailbox tests: node's `oidc-provider`
//! (`tests/provider/provider.mjs`, installed by `scripts/test` from the committed
//! package.json and package-lock.json), with the device authorization grant, refresh tokens,
//! revocation and RS256 JWT access tokens whose public key it writes where the stack's Dovecot
//! looks keys up. A person's sign-in is played by [`Provider::approve`]: real HTTP requests to
//! the provider's own pages (the code, the confirmation, the login form, the consent), with
//! their cookies and hidden fields.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::http::{parse, Answer};

/// The client id the provider knows (a public client: no secret).
pub const CLIENT_ID: &str = "cadenced";

/// A running provider; killed when dropped.
pub struct Provider {
    child: Child,
    port: u16,
    log: Arc<Mutex<String>>,
}

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/provider")
}

impl Provider {
    /// Starts the provider on a free loopback port. Its access tokens live `access_ttl`
    /// seconds; its signing key goes to `key_dir` (the stack's `oauth/keys`).
    pub fn start(key_dir: &Path, access_ttl: u64) -> Provider {
        let dir = provider_dir();
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "oidc-provider is not installed in {}: run scripts/test (it runs `npm ci` there)",
            dir.display()
        );
        let port = super::mailstack::unused_port();
        let mut child = Command::new("node")
            .arg(dir.join("provider.mjs"))
            .env("PORT", port.to_string())
            .env("ACCESS_TTL", access_ttl.to_string())
            .env("KEY_DIR", key_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node runs tests/provider/provider.mjs");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.trim() == "ready" {
                    let _ = tx.send(());
                }
            }
        });
        let mut provider = Provider { child, port, log };
        // Node starts it in about a second on an idle machine; the whole suite running in
        // parallel on two cores once kept it from saying "ready" within 30 s.
        if rx.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = provider.child.kill();
            panic!("the provider did not start within 120 s:\n{}", provider.log());
        }
        provider
    }

    /// `http://127.0.0.1:PORT`, its issuer.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.url())
    }

    /// The device authorization endpoint (RFC 8628).
    pub fn device_url(&self) -> String {
        format!("{}/device/auth", self.url())
    }

    /// What the provider wrote on stderr.
    pub fn log(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// Revokes a refresh token at the provider's revocation endpoint (RFC 7009), as a person
    /// removing the app's access would: the provider then revokes the whole grant.
    pub fn revoke(&self, refresh_token: &str) {
        let body = format!("token={refresh_token}&token_type_hint=refresh_token&client_id={CLIENT_ID}");
        let answer = request(self.port, "POST", "/token/revocation", &[], Some(&body));
        assert_eq!(answer.status, 200, "revocation: {answer:?}");
    }

    /// Plays the person at `verification_uri_complete` (the URL with the user code): confirms
    /// the code, signs in as `login`, and grants the access (or, with `approve = false`,
    /// aborts at the confirmation). Panics if the provider's pages do not end in its success
    /// (or abort) page.
    pub fn approve(&self, verification_uri_complete: &str, login: &str, approve: bool) {
        let mut jar: Vec<(String, String, String)> = Vec::new();
        let mut page = self.fetch(&mut jar, "GET", verification_uri_complete, None);
        for _ in 0..12 {
            let Some(action) = form_action(&page.body) else {
                // The last page: the provider's success page, or its error page after an abort.
                assert_eq!(
                    page.body.contains("Sign-in Success"),
                    approve,
                    "the provider's last page:\n{}",
                    page.body
                );
                return;
            };
            let mut fields = form_fields(&page.body, login);
            if !approve && fields.iter().any(|(n, _)| n == "confirm") {
                // The confirmation's "Abort" button: the provider ends the flow with
                // access_denied (its next page is a fresh code form).
                fields.retain(|(n, _)| n != "confirm");
                fields.push(("abort".into(), "yes".into()));
                let after = self.fetch(&mut jar, "POST", &action, Some(&form_body(&fields)));
                assert!(!after.body.contains("Sign-in Success"), "{}", after.body);
                return;
            }
            page = self.fetch(&mut jar, "POST", &action, Some(&form_body(&fields)));
        }
        panic!("the provider's pages never ended:\n{}", page.body);
    }

    /// The authorization endpoint (the browser sign-in's start).
    pub fn auth_url(&self) -> String {
        format!("{}/auth", self.url())
    }

    /// Plays the person in a browser at a sign-in URL of the authorization code flow: signs
    /// in as `login` and grants the access, or (with `approve = false`) cancels at the login
    /// page. Returns the address the provider sends the browser back to (the client's
    /// loopback redirect, not followed). Panics if the provider's pages end elsewhere.
    pub fn authorize(&self, url: &str, login: &str, approve: bool) -> String {
        let abort_re = regex::Regex::new(r#"<a href="([^"]+/abort)">"#).expect("regex");
        let mut jar: Vec<(String, String, String)> = Vec::new();
        let mut page = self.fetch(&mut jar, "GET", url, None);
        for _ in 0..12 {
            if let Some(back) = page.header("location") {
                return back.to_string();
            }
            if !approve {
                let abort = abort_re
                    .captures(&page.body)
                    .map(|c| c[1].to_string())
                    .unwrap_or_else(|| panic!("no cancel link on the provider's page:\n{}", page.body));
                page = self.fetch(&mut jar, "GET", &abort, None);
                continue;
            }
            let action = form_action(&page.body)
                .unwrap_or_else(|| panic!("the provider's page has no form:\n{}", page.body));
            let fields = form_fields(&page.body, login);
            page = self.fetch(&mut jar, "POST", &action, Some(&form_body(&fields)));
        }
        panic!("the provider's pages never sent the browser back:\n{}", page.body);
    }

    /// A request to the provider with the cookie jar, following its redirects (a POST
    /// answered 302/303 goes on as a GET); a redirect away from the provider is returned.
    fn fetch(
        &self,
        jar: &mut Vec<(String, String, String)>,
        method: &str,
        url: &str,
        body: Option<&str>,
    ) -> Answer {
        let mut method = method.to_string();
        let mut path = url.strip_prefix(&self.url()).unwrap_or(url).to_string();
        let mut body = body.map(str::to_string);
        for _ in 0..10 {
            let cookies: Vec<String> = jar
                .iter()
                .filter(|(_, _, p)| path.starts_with(p.as_str()))
                .map(|(n, v, _)| format!("{n}={v}"))
                .collect();
            let cookie = cookies.join("; ");
            let headers: Vec<(&str, &str)> = if cookie.is_empty() {
                vec![]
            } else {
                vec![("Cookie", cookie.as_str())]
            };
            let answer = request(self.port, &method, &path, &headers, body.as_deref());
            for (name, value) in &answer.headers {
                if name == "set-cookie" {
                    let mut parts = value.split(';');
                    let Some((n, v)) = parts.next().and_then(|p| p.split_once('=')) else {
                        continue;
                    };
                    let mut cpath = "/".to_string();
                    let mut expired = v.is_empty();
                    for attr in parts {
                        let attr = attr.trim();
                        if let Some(p) = attr.strip_prefix("path=") {
                            cpath = p.to_string();
                        }
                        if attr.starts_with("expires=") && attr.contains("1970") {
                            expired = true;
                        }
                    }
                    jar.retain(|(jn, _, jp)| !(jn == n.trim() && *jp == cpath));
                    if !expired {
                        jar.push((n.trim().to_string(), v.to_string(), cpath));
                    }
                }
            }
            match (answer.status, answer.header("location")) {
                (301 | 302 | 303 | 307, Some(location))
                    if location.starts_with('/') || location.starts_with(&format!("{}/", self.url())) =>
                {
                    path = location.strip_prefix(&self.url()).unwrap_or(location).to_string();
                    if answer.status != 307 {
                        method = "GET".into();
                        body = None;
                    }
                }
                _ => return answer,
            }
        }
        panic!("too many redirects at the provider");
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The action of the first form on a provider's page, if it has one.
fn form_action(body: &str) -> Option<String> {
    let form_re = regex::Regex::new(r#"<form[^>]*\baction="([^"]+)""#).expect("regex");
    form_re.captures(body).map(|c| c[1].to_string())
}

/// What a person submits on a provider's page: its hidden fields, and on the login page
/// `login` with any password (the test provider's dev interactions accept any).
fn form_fields(body: &str, login: &str) -> Vec<(String, String)> {
    let hidden_re =
        regex::Regex::new(r#"<input type="hidden" name="([^"]+)" value="([^"]*)""#).expect("regex");
    let mut fields: Vec<(String, String)> = hidden_re
        .captures_iter(body)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    if body.contains("name=\"login\"") {
        fields.push(("login".into(), login.into()));
        fields.push(("password".into(), "any".into()));
    }
    fields
}

/// Form fields as an `application/x-www-form-urlencoded` body.
fn form_body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(n, v)| format!("{}={}", enc(n), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One blocking HTTP/1.1 request to 127.0.0.1:`port` (`Connection: close`, the whole answer
/// read), form-encoded when it has a body.
pub fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    head.push_str(body.unwrap_or(""));
    stream.write_all(head.as_bytes()).expect("write");
    let mut raw = Vec::new();
    let started = Instant::now();
    let _ = stream.read_to_end(&mut raw);
    assert!(
        !raw.is_empty(),
        "no answer to {method} {path} within {:?}",
        started.elapsed()
    );
    parse(&raw)
}
