//! OAuth2 mailboxes against a real provider (node's `oidc-provider`, `support::provider`):
//! `cadenced mailbox login` runs the device flow and stores the grant; the daemon logs in to
//! the real Dovecot (validating the provider's RS256 JWTs with its key) and Postfix with the
//! provider's access tokens, refreshes them as they expire mid-run without losing a reply or
//! sending a step twice, and a grant revoked at the provider turns the mailbox unhealthy with
//! the fix until `mailbox login` cures it.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::daemon::{cli, cli_ok, enroll, DaemonProcess};
use crate::support::mailstack::{address, header, unused_port, MailStack, SALES};
use crate::support::provider::{request, Provider, CLIENT_ID};
use crate::support::wait_for;

/// Access tokens live this long: several expire during the test.
const ACCESS_TTL: u64 = 15;

fn write_config(dir: &Path, stack: &MailStack, provider: &Provider, metrics: u16) -> std::path::PathBuf {
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"state_dir = "state"
[daemon]
max_idle = "200ms"
[metrics]
listen = "127.0.0.1:{metrics}"
[[mailbox]]
name = "sales"
address = "{SALES}"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "{SALES}", auth = "oauth2" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none", username = "{SALES}", auth = "oauth2" }}
oauth = {{ client_id = "{CLIENT_ID}", token_url = "{token}", device_url = "{device}", scopes = ["openid", "offline_access", "mail"] }}
"#,
            imap = stack.imap_port(),
            smtp = stack.smtp_port(),
            token = provider.token_url(),
            device = provider.device_url(),
        ),
    )
    .expect("config");
    config
}

/// Runs `cadenced mailbox login NAME`, plays the person at the URL it prints, and returns its
/// exit status, stdout and stderr.
pub(crate) fn login(
    config: &Path,
    provider: &Provider,
    name: &str,
    approve: bool,
) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(config)
        .args(["mailbox", "login", name])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mailbox login");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line
                .strip_prefix("Or open ")
                .and_then(|l| l.split_whitespace().next())
            {
                let _ = tx.send(url.to_string());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let url = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("mailbox login prints the URL with the code");
    provider.approve(&url, SALES, approve);
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "mailbox login did not end within 60 s");
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = reader.join().expect("stdout");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).expect("stderr");
    (status.code(), out, err)
}

/// The copies in sales's Sent folder (IMAP APPEND, logged in with the token).
fn sent_copies(stack: &MailStack) -> usize {
    let root = stack.dir().join("mail/example.test/sales/.Sent");
    ["new", "cur"]
        .iter()
        .filter_map(|sub| std::fs::read_dir(root.join(sub)).ok())
        .map(|rd| rd.count())
        .sum()
}

fn token_file(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("state/oauth/sales.json")).expect("token file"))
        .expect("json")
}

fn has_status(config: &Path, lead: &str, status: &str) -> bool {
    cli_ok(
        config,
        &["lead", "show", &address(lead), "--campaign", "c", "--json"],
    )
    .contains(&format!("\"status\":\"{status}\""))
}

#[test]
fn device_login_refresh_mid_run_revoked_grant_and_login_again_against_a_real_provider() {
    let started = Instant::now();
    let stack = MailStack::start_with_oauth(4);
    stack.vacation(
        "lead2",
        "I am out of the office until Monday, December 14.",
        "Out of office",
    );
    let provider = Provider::start(&stack.dir().join("oauth/keys"), ACCESS_TTL);
    let dir = tempfile::tempdir().expect("tempdir");
    let metrics = unused_port();
    let config = write_config(dir.path(), &stack, &provider, metrics);

    // The device flow: a URL and a code, the person signs in, the grant is stored 0600.
    let (code, out, err) = login(&config, &provider, "sales", true);
    assert_eq!(code, Some(0), "{out}\n{err}\n{}", provider.log());
    assert!(
        out.contains("To sign in mailbox sales, open http://127.0.0.1:"),
        "{out}"
    );
    assert!(out.contains("mailbox sales: signed in; grant stored in"), "{out}");
    let file = dir.path().join("state/oauth/sales.json");
    let mode = std::fs::metadata(&file).expect("token file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let first = token_file(dir.path());
    let first_access = first["access_token"].as_str().expect("access token").to_string();
    let refresh = first["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_string();
    assert!(
        !out.contains(&first_access) && !out.contains(&refresh),
        "a token printed:\n{out}"
    );

    // check logs in to Dovecot and Postfix with the provider's token.
    let text = cli_ok(&config, &["check"]);
    assert!(text.contains("ok   mailbox sales oauth2: grant stored"), "{text}");
    assert!(
        text.contains("ok   mailbox sales smtp") && text.contains("logged in as sales@example.test"),
        "{text}"
    );

    // The daemon sends step 1 (lead1, lead2, lead3) and reads lead2's out-of-office over IDLE.
    enroll(
        &config,
        dir.path(),
        "c",
        "name = \"c\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n\
         window = { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"], start = \"00:00\", end = \"24:00\" }\n\
         [[step]]\ndelay = \"0s\"\nsubject = \"Hello {{first_name}}\"\nbody = \"Hello.\"\n\
         [[step]]\ndelay = \"40s\"\nsubject = \"Again\"\nbody = \"Again.\"\n",
        "email,first_name\nlead1@lead.test,Ann\nlead2@lead.test,Bob\nlead3@lead.test,Cy\n",
    );
    cli_ok(&config, &["campaign", "launch", "c"]);
    let mut daemon = DaemonProcess::start(&config, "daemon");
    let step1 = stack.wait_for_messages_blocking("lead1", 1, Duration::from_secs(30));
    stack.wait_for_messages_blocking("lead3", 1, Duration::from_secs(30));
    wait_for(60, "lead2 paused by its out-of-office", || {
        has_status(&config, "lead2", "paused").then_some(())
    });

    let auths = |stack: &MailStack| {
        std::fs::read_to_string(stack.dir().join("postfix/maillog"))
            .unwrap_or_default()
            .matches("sasl_method=OAUTHBEARER, sasl_username=sales@example.test")
            .count()
    };
    let auths_before = auths(&stack);
    // The first access token expires; the daemon has refreshed it before (the file holds a
    // new one). Dovecot restarted: the watcher logs in again, which the expired token could
    // not, and reads lead1's reply.
    let first_exp = first["expires_at"].as_i64().expect("expires_at");
    wait_for(60, "the first access token expired and replaced", || {
        let now = cadenced::clock::Clock::now(&cadenced::clock::SystemClock).timestamp();
        let current = token_file(dir.path());
        (now > first_exp + 1 && current["access_token"].as_str() != Some(first_access.as_str())).then_some(())
    });
    stack.stop_imap();
    stack.start_imap();
    let parent = header(&step1[0], "Message-ID").expect("Message-ID");
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(stack.send_reply(
            &address("lead1"),
            SALES,
            "<reply-1@lead.test>",
            &parent,
            "Thanks, not interested right now.",
        ));
    wait_for(60, "lead1's reply read after the re-login", || {
        has_status(&config, "lead1", "stopped").then_some(())
    });
    // Step 2 goes to lead3 only, 40 s after step 1: through a new SMTP login with a
    // refreshed token (the first one has expired by then).
    stack.wait_for_messages_blocking("lead3", 2, Duration::from_secs(60));
    let dovecot_log = std::fs::read_to_string(stack.dir().join("dovecot.log")).expect("dovecot.log");
    assert!(
        auths(&stack) > auths_before,
        "step 2 went through a new SMTP login with a refreshed token:\n{}",
        stack.logs()
    );
    let logins = dovecot_log
        .matches("Login: user=<sales@example.test>, method=OAUTHBEARER")
        .count();
    assert!(
        logins >= 2,
        "IMAP logged in again after the restart:\n{dovecot_log}"
    );
    // No lost reply, no step twice.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        stack.maildir_messages("lead1").len(),
        1,
        "lead1 replied: no step 2"
    );
    assert_eq!(stack.maildir_messages("lead2").len(), 1, "lead2 is paused");
    let lead3 = stack.maildir_messages("lead3");
    let ids: std::collections::HashSet<_> = lead3.iter().filter_map(|m| header(m, "Message-ID")).collect();
    assert_eq!(
        (lead3.len(), ids.len()),
        (2, 2),
        "lead3: step 1 and step 2, once each"
    );
    wait_for(40, "a copy of each step in Sent (APPEND over OAuth2)", || {
        (sent_copies(&stack) == 4).then_some(())
    });

    // The grant revoked at the provider: the next refresh is refused (invalid_grant), the
    // mailbox is unhealthy with the fix, and a lead enrolled now gets nothing.
    // (Revoked again if the daemon rotated the refresh token meanwhile.)
    for _ in 0..5 {
        let revoked = token_file(dir.path())["refresh_token"].clone();
        provider.revoke(revoked.as_str().expect("refresh token"));
        std::thread::sleep(Duration::from_millis(300));
        if token_file(dir.path())["refresh_token"] == revoked {
            break;
        }
    }
    let fix = "run `cadenced mailbox login sales`";
    let listed = wait_for(60, "the mailbox unhealthy with the fix", || {
        let out = cli_ok(&config, &["mailboxes", "--json"]);
        (out.contains("\"healthy\":false") && out.contains(fix)).then_some(out)
    });
    assert!(listed.contains("invalid_grant"), "{listed}");
    let plain = cli_ok(&config, &["mailboxes"]);
    assert!(plain.contains("unhealthy") && plain.contains(fix), "{plain}");
    let out = cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "FAIL mailbox sales oauth2: mailbox sales: the provider refused the OAuth2 grant (invalid_grant"
        ) && text.contains(fix),
        "{text}"
    );
    let scraped = request(metrics, "GET", "/metrics", &[], None);
    assert!(
        scraped
            .body
            .contains("cadenced_mailbox_login_needed{mailbox=\"sales\"} 1"),
        "{}",
        scraped.body
    );
    assert!(daemon.log().contains(fix), "{}", daemon.log());
    let leads = dir.path().join("more.csv");
    std::fs::write(&leads, "email,first_name\nlead4@lead.test,Di\n").expect("csv");
    cli_ok(
        &config,
        &[
            "leads",
            "import",
            "--quiet",
            "--campaign",
            "c",
            leads.to_str().expect("path"),
        ],
    );
    std::thread::sleep(Duration::from_secs(5));
    assert!(
        stack.maildir_messages("lead4").is_empty(),
        "sent while the grant is refused"
    );

    // `mailbox login` cures it: the running daemon takes the new grant up and sends.
    let (code, out, err) = login(&config, &provider, "sales", true);
    assert_eq!(code, Some(0), "{out}\n{err}");
    stack.wait_for_messages_blocking("lead4", 1, Duration::from_secs(60));
    wait_for(40, "lead4's step in Sent", || {
        (sent_copies(&stack) == 5).then_some(())
    });
    wait_for(60, "the mailbox healthy again", || {
        cli_ok(&config, &["mailboxes", "--json"])
            .contains("\"healthy\":true")
            .then_some(())
    });
    daemon.terminate(Duration::from_secs(30));

    // No token ever reached the log, the JSON or the check.
    let log = daemon.log();
    let latest = token_file(dir.path());
    for token in [
        first_access.as_str(),
        refresh.as_str(),
        latest["access_token"].as_str().unwrap_or("-"),
        latest["refresh_token"].as_str().unwrap_or("-"),
    ] {
        assert!(
            !log.contains(token) && !listed.contains(token) && !text.contains(token),
            "a token leaked"
        );
    }
    assert!(!log.contains("eyJ"), "a JWT in the log");
    // A token a server refuses although the file says it is good (here: the first one, long
    // expired, put back with a false expiry): refreshed once and tried again, by IMAP and
    // SMTP. (With the daemon stopped: a token file edited under its feet would only delay its
    // next look at it.)
    let failed_auths = || {
        std::fs::read_to_string(stack.dir().join("postfix/maillog"))
            .unwrap_or_default()
            .matches("auth=0/1")
            .count()
    };
    let failed_before = failed_auths();
    let mut lying = token_file(dir.path());
    lying["access_token"] = serde_json::Value::from(first_access.clone());
    lying["expires_at"] = serde_json::Value::from(first_exp + 3600);
    std::fs::write(&file, lying.to_string()).expect("token file");
    let text = cli_ok(&config, &["check"]);
    assert!(text.contains("logged in as sales@example.test"), "{text}");
    // (Dovecot refuses an expired token: `oauth.rs` shows check failing on one.)
    assert_eq!(
        failed_auths(),
        failed_before + 1,
        "SMTP tried the stale token first, then the refreshed one:\n{}",
        stack.logs()
    );
    assert_ne!(
        token_file(dir.path())["access_token"].as_str(),
        Some(first_access.as_str())
    );

    eprintln!("oauth provider test: {:?}", started.elapsed());
}

#[test]
fn mailbox_login_says_why_nothing_was_stored() {
    let stack = MailStack::start_with_oauth(1);
    let provider = Provider::start(&stack.dir().join("oauth/keys"), 60);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &stack, &provider, unused_port());

    // The person aborts at the provider: access_denied, said plainly, nothing stored.
    let (code, out, err) = login(&config, &provider, "sales", false);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(
        err.contains("mailbox sales: the sign-in was declined at the provider; nothing was stored"),
        "{err}"
    );
    assert!(!dir.path().join("state/oauth/sales.json").exists());

    // Google: no device flow for the mail scope; asked for one, the command says so and
    // names the browser sign-in (tests/it/oauth_browser.rs).
    let google = dir.path().join("google.toml");
    std::fs::write(
        &google,
        "state_dir = \"state\"\n[[mailbox]]\nname = \"g\"\naddress = \"sam@example.com\"\nprovider = \"google\"\n\
         imap = { auth = \"oauth2\" }\nsmtp = { auth = \"oauth2\" }\noauth = { client_id = \"c\" }\n",
    )
    .expect("config");
    let out = cli(&google, &["mailbox", "login", "g", "--device"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("Google's device flow does not grant the mail scope, https://mail.google.com/")
            && err.contains("sign in with the browser instead: `cadenced mailbox login g --browser`"),
        "{err}"
    );
    // An unknown mailbox is a usage error naming the ones there are.
    let out = cli(&config, &["mailbox", "login", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no mailbox \"nope\""));
}
