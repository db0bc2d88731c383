//! OAuth2 mailboxes over the real Dovecot (`passdb oauth2`, tokens validated by Dovecot) and
//! Postfix (SMTP AUTH through that Dovecot): SASL OAUTHBEARER where the server offers it, else
//! XOAUTH2, on IMAP and SMTP alike, with the access token kept in the state directory. The tokens are signed by the test
//! with the stack's key (`MailStack::bearer_token`) and written as a file without a refresh
//! token (used as they are); the device flow and the refresh against a real provider are in
//! `oauth_provider.rs`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::daemon::{cli, cli_ok, enroll, DaemonProcess};
use crate::support::mailstack::{MailStack, SALES};

fn write_token(state: &Path, token: &str) {
    let dir = state.join("oauth");
    std::fs::create_dir_all(&dir).expect("oauth dir");
    let file = dir.join("sales.json");
    std::fs::write(&file, serde_json::json!({ "access_token": token }).to_string()).expect("token");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
}

#[test]
fn an_oauth2_mailbox_logs_in_sends_and_reads_replies_with_its_token() {
    let stack = MailStack::start_with_oauth(2);
    stack.vacation(
        "lead2",
        "I am out of the office until Monday, December 14.",
        "Out of office",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            r#"state_dir = "state"
[daemon]
max_idle = "200ms"
[[mailbox]]
name = "sales"
address = "{SALES}"
imap = {{ host = "127.0.0.1", port = {imap}, tls = "none", username = "{SALES}", auth = "oauth2" }}
smtp = {{ host = "127.0.0.1", port = {smtp}, tls = "none", username = "{SALES}", auth = "oauth2" }}
oauth = {{ client_id = "cadenced-test", token_url = "http://127.0.0.1:9/token", scopes = ["mail"] }}
"#,
            imap = stack.imap_port(),
            smtp = stack.smtp_port(),
        ),
    )
    .expect("config");

    // No token yet: the grant's line names the file, the mailbox and the fix, once; no login
    // is tried without it.
    let out = cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    let token_file = state.join("oauth/sales.json");
    assert!(
        text.contains(&format!(
            "FAIL mailbox sales oauth2: no OAuth2 token for mailbox sales: {} does not exist; run `cadenced mailbox login sales`\n",
            token_file.display()
        )),
        "{text}"
    );
    assert_eq!(text.matches("cadenced mailbox login sales").count(), 1, "{text}");
    assert!(
        text.contains("reachable (login not tried without an OAuth2 grant)"),
        "{text}"
    );

    // With a token Dovecot accepts, the whole check passes.
    let token = stack.bearer_token(SALES, chrono::Duration::minutes(10));
    write_token(&state, &token);
    let text = cli_ok(&config, &["check"]);
    assert!(
        text.contains("ok   mailbox sales smtp") && text.contains("logged in as sales@example.test"),
        "{text}"
    );
    // IMAP by OAUTHBEARER, which this server offers (SMTP too, below).
    let dovecot_log = std::fs::read_to_string(stack.dir().join("dovecot.log")).expect("dovecot.log");
    assert!(
        dovecot_log.contains("user=<sales@example.test>, method=OAUTHBEARER"),
        "{dovecot_log}"
    );

    // The daemon sends over SMTP OAUTHBEARER and reads the reply over IMAP (IDLE) with the token.
    enroll(
        &config,
        dir.path(),
        "c",
        "name = \"c\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n\
         window = { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"], start = \"00:00\", end = \"24:00\" }\n\
         [[step]]\ndelay = \"0s\"\nsubject = \"Hello {{first_name}}\"\nbody = \"Hello.\"\n\
         [[step]]\ndelay = \"3d\"\nsubject = \"Again\"\nbody = \"Again.\"\n",
        "email,first_name\nlead1@lead.test,Ann\nlead2@lead.test,Bob\n",
    );
    cli_ok(&config, &["campaign", "launch", "c"]);
    let mut daemon = DaemonProcess::start(&config, "daemon");
    stack.wait_for_messages_blocking("lead1", 1, Duration::from_secs(30));
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let show = cli_ok(
            &config,
            &["lead", "show", "lead2@lead.test", "--campaign", "c", "--json"],
        );
        if show.contains("\"status\":\"paused\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "lead2 never paused:\n{}\n{}",
            daemon.log(),
            stack.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    daemon.terminate(Duration::from_secs(30));
    let maillog = std::fs::read_to_string(stack.dir().join("postfix/maillog")).unwrap_or_default();
    assert!(
        maillog.contains("sasl_method=OAUTHBEARER, sasl_username=sales@example.test"),
        "Postfix authenticated the step by OAUTHBEARER (RFC 7628):\n{maillog}"
    );
    assert!(!maillog.contains("sasl_method=XOAUTH2"), "{maillog}");
    assert!(!daemon.log().contains(&token), "the token was logged");

    // An expired token: refused by the servers, said by check, and never shown.
    write_token(&state, &stack.bearer_token(SALES, chrono::Duration::minutes(-5)));
    let out = cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "FAIL mailbox sales imap 127.0.0.1:{}: login as sales@example.test refused: OAUTHBEARER refused",
            stack.imap_port()
        )),
        "{text}"
    );
    // SMTP: the server's OAUTHBEARER refusal (a 334 challenge with its error status, answered
    // with ^A) is a refused login, not a message we cannot send.
    assert!(
        text.contains("FAIL mailbox sales smtp")
            && text
                .contains("OAUTHBEARER refused: the server did not accept the access token (invalid_token)"),
        "{text}"
    );
    assert!(!text.contains("eyJ"), "a token in the output:\n{text}");
}

#[test]
fn imap_and_smtp_fall_back_to_xoauth2_where_oauthbearer_is_not_offered() {
    let stack = MailStack::start_with_xoauth2_only(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "state_dir = \"state\"\n[[mailbox]]\nname = \"sales\"\naddress = \"{SALES}\"\n\
             imap = {{ host = \"127.0.0.1\", port = {}, tls = \"none\", username = \"{SALES}\", auth = \"oauth2\" }}\n\
             smtp = {{ host = \"127.0.0.1\", port = {}, tls = \"none\", username = \"{SALES}\", auth = \"oauth2\" }}\n\
             oauth = {{ client_id = \"c\", token_url = \"https://idp.example.com/token\", scopes = [\"mail\"] }}\n",
            stack.imap_port(),
            stack.smtp_port()
        ),
    )
    .expect("config");
    write_token(
        &dir.path().join("state"),
        &stack.bearer_token(SALES, chrono::Duration::minutes(10)),
    );
    cli_ok(&config, &["check"]);
    let dovecot_log = std::fs::read_to_string(stack.dir().join("dovecot.log")).expect("dovecot.log");
    assert!(
        dovecot_log.contains("user=<sales@example.test>, method=XOAUTH2"),
        "{dovecot_log}"
    );
    assert!(!dovecot_log.contains("method=OAUTHBEARER"), "{dovecot_log}");
    // SMTP too: an expired token is refused the XOAUTH2 way (a 334 challenge lettre's
    // mechanism ends), a refused login.
    write_token(
        &dir.path().join("state"),
        &stack.bearer_token(SALES, chrono::Duration::minutes(-5)),
    );
    let out = cli(&config, &["check"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("FAIL mailbox sales smtp")
            && text.contains("XOAUTH2 refused: the server did not accept the access token"),
        "{text}"
    );
    assert!(!text.contains("OAUTHBEARER"), "{text}");
}

#[test]
fn oauth2_needs_the_oauth_table_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[[mailbox]]\nname = \"sales\"\naddress = \"sales@example.test\"\n\
         imap = { host = \"127.0.0.1\", port = 143, tls = \"none\", username = \"u\", auth = \"oauth2\" }\n\
         smtp = { host = \"127.0.0.1\", port = 25, tls = \"none\" }\n",
    )
    .expect("config");
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("check")
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mailbox.sales.imap.auth: \"oauth2\" needs the mailbox's oauth table"),
        "{err}"
    );
}
