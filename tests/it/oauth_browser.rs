//! The browser sign-in of `cadenced mailbox login` (authorization code with PKCE and a
//! loopback redirect, what a Google mailbox needs) against the real provider (node's
//! `oidc-provider`, `support::provider`), its pages driven over HTTP as a browser would: the
//! grant stored logs in to the real Dovecot and Postfix; the redirect comes back to the
//! command's listener or is pasted on stdin; a forged state, a declined consent and the time
//! limit each end the command with a plain message and nothing stored; the listener answers
//! nothing but its one redirect.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::support::daemon::{cli, cli_ok};
use crate::support::mailstack::{unused_port, MailStack, SALES};
use crate::support::provider::{request, Provider, CLIENT_ID};

/// A mailbox signing in like Google's: an authorization URL asking for consent (the
/// provider's condition for a refresh token, as Google's `prompt=consent`), no device URL.
fn write_config(dir: &Path, stack: &MailStack, provider: &Provider) -> PathBuf {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"state_dir = "state"
[[mailbox]]
name = "sales"
address = "{SALES}"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "{SALES}", auth = "oauth2" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none", username = "{SALES}", auth = "oauth2" }}
oauth = {{ client_id = "{CLIENT_ID}", token_url = "{token}", auth_url = "{auth}?prompt=consent", scopes = ["openid", "offline_access", "mail"] }}
"#,
            imap = stack.imap_port(),
            smtp = stack.smtp_port(),
            token = provider.token_url(),
            auth = provider.auth_url(),
        ),
    )
    .expect("config");
    config
}

/// A running `cadenced mailbox login`, its stdout read line by line.
struct Login {
    child: Child,
    lines: Receiver<String>,
    out: String,
}

impl Login {
    fn start(config: &Path, extra: &[&str]) -> Login {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
            .arg("--config")
            .arg(config)
            .args(["mailbox", "login", "sales"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mailbox login");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Login {
            child,
            lines,
            out: String::new(),
        }
    }

    /// The sign-in URL the command prints.
    fn sign_in_url(&mut self, provider: &Provider) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no sign-in URL printed:\n{}", self.out));
            self.out.push_str(&line);
            self.out.push('\n');
            if let Some(url) = line.trim().strip_prefix(&provider.auth_url()) {
                return format!("{}{url}", provider.auth_url());
            }
        }
    }

    /// Waits for the command to end: its exit code, stdout and stderr.
    fn end(mut self) -> (Option<i32>, String, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "mailbox login did not end within 60 s");
            std::thread::sleep(Duration::from_millis(50));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.out.push_str(&line);
            self.out.push('\n');
        }
        let mut err = String::new();
        std::io::Read::read_to_string(&mut self.child.stderr.take().expect("stderr"), &mut err)
            .expect("stderr");
        (status.code(), self.out, err)
    }
}

/// The port and the path with query of a loopback redirect `http://127.0.0.1:PORT/?…`.
fn split_redirect(back: &str) -> (u16, String) {
    let rest = back
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("not a loopback redirect: {back}"));
    let slash = rest.find('/').expect("path");
    (rest[..slash].parse().expect("port"), rest[slash..].to_string())
}

fn token_file(dir: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("state/oauth/sales.json")).ok()?;
    Some(serde_json::from_str(&text).expect("json"))
}

#[test]
fn browser_login_stores_a_grant_that_logs_in_to_the_real_servers() {
    let stack = MailStack::start_with_oauth(1);
    let provider = Provider::start(&stack.dir().join("oauth/keys"), 60);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &stack, &provider);

    // No device URL: the browser sign-in, by itself.
    let mut login = Login::start(&config, &[]);
    let url = login.sign_in_url(&provider);
    assert!(
        url.contains("code_challenge_method=S256") && url.contains("prompt=consent"),
        "{url}"
    );
    let back = provider.authorize(&url, SALES, true);
    let (port, path) = split_redirect(&back);
    let code = path
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .expect("a code in the redirect")
        .to_string();

    // The listener takes nothing but its redirect, and keeps waiting for it.
    for (method, target, status) in [
        ("GET", "/favicon.ico", 404),
        ("GET", "/admin?code=x&state=y", 404),
        ("POST", path.as_str(), 405),
        ("GET", "/", 400),
        ("GET", "/?hello=1", 400),
    ] {
        let answer = request(port, method, target, &[], (method == "POST").then_some(""));
        assert_eq!(answer.status, status, "{method} {target}: {answer:?}");
        assert!(
            !answer.body.contains(&code) && answer.header("location").is_none(),
            "{answer:?}"
        );
    }
    let huge = "x".repeat(9000);
    let answer = request(port, "GET", "/", &[("X-Pad", huge.as_str())], None);
    assert_eq!(answer.status, 431, "{answer:?}");

    // The browser comes back: a fixed page, the grant stored.
    let answer = request(port, "GET", &path, &[], None);
    assert_eq!(answer.status, 200, "{answer:?}\n{}", provider.log());
    assert_eq!(
        answer.body,
        "cadenced: signed in, the grant is stored. You can close this tab.\n"
    );
    assert_eq!(answer.header("content-type"), Some("text/plain; charset=utf-8"));
    let (status, out, err) = login.end();
    assert_eq!(status, Some(0), "{out}\n{err}\n{}", provider.log());
    assert!(out.contains("mailbox sales: signed in; grant stored in"), "{out}");
    assert!(out.contains(&format!("ssh -L {port}:127.0.0.1:{port}")), "{out}");
    let file = dir.path().join("state/oauth/sales.json");
    let mode = std::fs::metadata(&file).expect("token file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let first = token_file(dir.path()).expect("token file");
    let refresh = first["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_string();
    let access = first["access_token"]
        .as_str()
        .expect("an access token")
        .to_string();
    for secret in [code.as_str(), refresh.as_str(), access.as_str()] {
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "a secret printed:\n{out}\n{err}"
        );
    }

    // Dovecot (IMAP) and Postfix (SMTP) take the provider's access token.
    let text = cli_ok(&config, &["check"]);
    assert!(text.contains("ok   mailbox sales oauth2: grant stored"), "{text}");
    assert!(
        text.contains("ok   mailbox sales smtp") && text.contains("logged in as sales@example.test"),
        "{text}"
    );

    // Pasted back on stdin (a browser on another machine, no tunnel), on a port chosen
    // beforehand (for a tunnel opened first): the same grant.
    let chosen = unused_port();
    let mut login = Login::start(&config, &["--paste", "--port", &chosen.to_string()]);
    let url = login.sign_in_url(&provider);
    let back = provider.authorize(&url, SALES, true);
    assert!(
        back.starts_with(&format!("http://127.0.0.1:{chosen}/?")),
        "{back}"
    );
    let mut stdin = login.child.stdin.take().expect("stdin");
    writeln!(stdin, "this is not it").expect("paste");
    let cut = back.split("&state=").next().expect("cut");
    writeln!(stdin, "{cut}&state=older").expect("paste");
    writeln!(stdin, "  {back}  ").expect("paste");
    let (status, out, err) = login.end();
    assert_eq!(status, Some(0), "{out}\n{err}");
    assert!(
        out.contains("That is not the address the browser ended on")
            && out.contains("That address is not this sign-in's"),
        "{out}"
    );
    assert!(out.contains("mailbox sales: signed in; grant stored in"), "{out}");
    let second = token_file(dir.path()).expect("token file");
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    let text = cli_ok(&config, &["check"]);
    assert!(text.contains("logged in as sales@example.test"), "{text}");
}

#[test]
fn browser_login_stores_nothing_on_a_forged_state_a_declined_consent_or_the_time_limit() {
    let stack = MailStack::start_with_oauth(1);
    let provider = Provider::start(&stack.dir().join("oauth/keys"), 60);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &stack, &provider);
    let fix = "run `cadenced mailbox login sales` again";

    // A redirect with another state (a forged request, an old tab): refused, nothing stored.
    let mut login = Login::start(&config, &[]);
    let url = login.sign_in_url(&provider);
    let back = provider.authorize(&url, SALES, true);
    let (port, path) = split_redirect(&back);
    let forged = regex::Regex::new("state=[^&]*")
        .expect("regex")
        .replace(&path, "state=forged")
        .into_owned();
    let answer = request(port, "GET", &forged, &[], None);
    assert_eq!(answer.status, 400, "{answer:?}");
    let (status, out, err) = login.end();
    assert_eq!(status, Some(1), "{out}\n{err}");
    assert!(
        err.contains("mailbox sales: the redirect did not carry this sign-in's state") && err.contains(fix),
        "{err}"
    );
    assert!(token_file(dir.path()).is_none(), "stored after a forged state");

    // The person cancels at the provider: access_denied, said plainly.
    let mut login = Login::start(&config, &[]);
    let url = login.sign_in_url(&provider);
    let back = provider.authorize(&url, SALES, false);
    assert!(back.contains("error=access_denied"), "{back}");
    let (port, path) = split_redirect(&back);
    let answer = request(port, "GET", &path, &[], None);
    assert_eq!(answer.status, 400, "{answer:?}");
    let (status, out, err) = login.end();
    assert_eq!(status, Some(1), "{out}\n{err}");
    assert!(
        err.contains("mailbox sales: the sign-in was declined at the provider; nothing was stored"),
        "{err}"
    );
    assert!(
        token_file(dir.path()).is_none(),
        "stored after a declined consent"
    );

    // Nobody comes back: the time limit, named, nothing stored.
    let login = Login::start(&config, &["--timeout", "1s"]);
    let (status, out, err) = login.end();
    assert_eq!(status, Some(1), "{out}\n{err}");
    assert!(
        err.contains("mailbox sales: no sign-in within 1s") && err.contains(fix),
        "{err}"
    );
    assert!(token_file(dir.path()).is_none());

    // The device flow asked of a mailbox without a device URL says what to do instead.
    let out = cli(&config, &["mailbox", "login", "sales", "--device"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("has no oauth.device_url") && err.contains("`cadenced mailbox login sales --browser`"),
        "{err}"
    );
}
