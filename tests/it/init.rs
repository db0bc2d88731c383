//! `cadenced init`: from flags or answers on stdin to a config whose `cadenced check` passes,
//! against the real Postfix and Dovecot of `support::mailstack`.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support::mailstack::{MailStack, PASSWORD};

/// `cadenced --config CONFIG init ARGS` with `stdin` piped in.
fn init(config: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(config)
        .arg("init")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cadenced init");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `cadenced check` on `config`: every line ok, exit 0.
fn check_passes(config: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(config)
        .arg("check")
        .output()
        .expect("check");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", text(&out));
    assert!(!stdout.contains("FAIL"), "{stdout}");
    stdout
}

/// What every test of `init` starts from: the real stack and an empty directory for the
/// config, and the stack's servers as `init` takes them (`HOST:PORT`). Bind `stack` and
/// `dir` (as `_stack` where unused): dropping them stops the stack and removes the files.
struct Setup {
    stack: MailStack,
    dir: tempfile::TempDir,
    config: PathBuf,
    imap: String,
    smtp: String,
}

fn setup() -> Setup {
    let stack = MailStack::start(1);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let imap = format!("127.0.0.1:{}", stack.imap_port());
    let smtp = format!("127.0.0.1:{}", stack.smtp_port());
    Setup {
        stack,
        dir,
        config,
        imap,
        smtp,
    }
}

#[test]
fn from_flags_to_a_passing_check() {
    let Setup {
        stack: _stack,
        dir,
        config,
        imap,
        smtp,
    } = setup();
    let out = init(
        &config,
        &[
            "--address",
            "sales@example.test",
            "--display-name",
            "Sam \"the\" Seller",
            "--imap",
            &imap,
            "--imap-tls",
            "none",
            "--smtp",
            &smtp,
            "--smtp-tls",
            "none",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("wrote {} (mailbox sales)", config.display())),
        "{said}"
    );
    assert!(
        said.contains("ok   mailbox sales imap") && said.contains("ok   mailbox sales smtp"),
        "{said}"
    );
    assert!(
        said.contains(&format!("next: cadenced --config {} check", config.display())),
        "{said}"
    );
    // The password is beside the config, 0640, and not in it.
    let pass = dir.path().join("sales.pass");
    assert_eq!(
        std::fs::read_to_string(&pass).expect("pass"),
        format!("{PASSWORD}\n")
    );
    assert_eq!(
        std::fs::metadata(&pass).expect("stat").permissions().mode() & 0o777,
        0o640
    );
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(!written.contains(PASSWORD), "{written}");
    assert!(
        written.contains(r#"display_name = 'Sam "the" Seller'"#),
        "{written}"
    );
    let check = check_passes(&config);
    assert!(
        check.contains(&format!(
            "ok   database {} (sqlite",
            dir.path().join("state/cadenced.db").display()
        )),
        "{check}"
    );
}

#[test]
fn from_questions_to_a_passing_check() {
    let Setup {
        stack: _stack,
        dir: _dir,
        config,
        imap,
        smtp,
    } = setup();
    // Address, provider, IMAP server, SMTP server, password: what a person types.
    let answers = format!("sales@example.test\nother\n{imap}\n{smtp}\n{PASSWORD}\n");
    let out = init(&config, &["--imap-tls", "none", "--smtp-tls", "none"], &answers);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Address of the mailbox") && said.contains("Provider: google, microsoft, or other"),
        "{said}"
    );
    check_passes(&config);
}

#[test]
fn a_mailbox_is_added_to_an_existing_config_which_is_kept() {
    let Setup {
        stack: _stack,
        dir,
        config,
        imap,
        smtp,
    } = setup();
    // Like the packaged config: comments, tables, no mailbox yet.
    let before = "# our own notes stay\nstate_dir = \"state\"\n[daemon]\ntimezone = \"Europe/Berlin\"\n[metrics]\n# listen = \"127.0.0.1:9898\"\n";
    std::fs::write(&config, before).expect("config");
    let no_mailbox = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(&config)
        .arg("check")
        .output()
        .expect("check");
    assert!(
        String::from_utf8_lossy(&no_mailbox.stdout).contains("FAIL mailboxes: none configured in"),
        "{}",
        text(&no_mailbox)
    );
    let args = [
        "--address",
        "sales@example.test",
        "--imap",
        &imap,
        "--imap-tls",
        "none",
        "--smtp",
        &smtp,
        "--smtp-tls",
        "none",
        "--password-stdin",
    ];
    let out = init(&config, &args, &format!("{PASSWORD}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let after = std::fs::read_to_string(&config).expect("config");
    assert!(after.starts_with(before), "{after}");
    assert!(text(&out).contains(&format!("added to {} (mailbox sales)", config.display())));
    check_passes(&config);
    // The same name again: refused before anything is asked or written.
    let again = init(&config, &args, "other-password\n");
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("a mailbox named \"sales\" exists already"),
        "{}",
        text(&again)
    );
    assert_eq!(std::fs::read_to_string(&config).expect("config"), after);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sales.pass")).expect("pass"),
        format!("{PASSWORD}\n")
    );
}

#[test]
fn a_refused_login_is_written_and_said_and_bad_answers_write_nothing() {
    let Setup {
        stack: _stack,
        dir,
        config,
        imap,
        smtp,
    } = setup();
    // A server given without a port: nothing is written.
    let bad = init(
        &config,
        &[
            "--address",
            "sales@example.test",
            "--imap",
            "127.0.0.1",
            "--smtp",
            &smtp,
            "--password-stdin",
        ],
        "x\n",
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(
        text(&bad).contains("--imap \"127.0.0.1\": give HOST:PORT"),
        "{}",
        text(&bad)
    );
    assert!(!config.exists() && !dir.path().join("sales.pass").exists());
    // A wrong password: the config is written (the servers are right), the login says why.
    let out = init(
        &config,
        &[
            "--address",
            "sales@example.test",
            "--imap",
            &imap,
            "--imap-tls",
            "none",
            "--smtp",
            &smtp,
            "--smtp-tls",
            "none",
            "--password-stdin",
        ],
        "not-the-password\n",
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "FAIL mailbox sales imap {imap}: login as sales@example.test refused"
        )),
        "{said}"
    );
    assert!(
        said.contains("the config is written; fix what failed above"),
        "{said}"
    );
    assert!(config.exists());
}

/// `cadenced --config CONFIG check`: exit status and stdout.
fn check(config: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cadenced"))
        .arg("--config")
        .arg(config)
        .arg("check")
        .output()
        .expect("check");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn an_oauth2_mailbox_at_google_is_written_with_the_contract_keys_and_the_sign_in_is_next() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let out = init(
        &config,
        &[
            "--address",
            "sam@example.com",
            "--name",
            "sales",
            "--provider",
            "google",
            "--client-id",
            "123.apps.googleusercontent.com",
            "--client-secret-stdin",
        ],
        "GOCSPX-not-a-real-secret\n",
    );
    let said = text(&out);
    // Written, nothing failed: the next step is the sign-in, named exactly.
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "next: cadenced --config {} mailbox login sales ",
            config.display()
        )),
        "{said}"
    );
    assert!(
        said.contains("before signing in, at Google Workspace:\n  - IMAP must be on for the user")
            && said.contains("the OAuth client must be allowed to read mail")
            && !said.contains("app password"),
        "{said}"
    );
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(
        written.contains(
            "[[mailbox]]\nname = \"sales\"\naddress = \"sam@example.com\"\nprovider = \"google\"\n\
             imap = { auth = \"oauth2\" }\nsmtp = { auth = \"oauth2\" }\n\
             oauth = { client_id = \"123.apps.googleusercontent.com\", client_secret_file = \"sales.secret\" }\n"
        ),
        "{written}"
    );
    assert!(!written.contains("GOCSPX"), "{written}");
    let secret = dir.path().join("sales.secret");
    assert_eq!(
        std::fs::read_to_string(&secret).expect("secret"),
        "GOCSPX-not-a-real-secret\n"
    );
    assert_eq!(
        std::fs::metadata(&secret).expect("stat").permissions().mode() & 0o777,
        0o640
    );
    // The config is valid as written: check passes the config, the database and the rules,
    // and says once, on the grant's line, what to run; no login is tried without a grant.
    let (code, said) = check(&config);
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("ok   database "), "{said}");
    assert!(
        said.contains(&format!(
            "FAIL mailbox sales oauth2: no OAuth2 token for mailbox sales: {} does not exist; run `cadenced mailbox login sales`",
            dir.path().join("state/oauth/sales.json").display()
        )),
        "{said}"
    );
    assert_eq!(said.matches("cadenced mailbox login sales").count(), 1, "{said}");
    assert!(
        !said.contains("refused") && !said.contains("app password"),
        "{said}"
    );
}

#[test]
fn an_oauth2_mailbox_at_microsoft_from_questions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    // Address, provider, login (the offered oauth2), client id, no client secret (a public
    // client): what a person types.
    let out = init(
        &config,
        &[],
        "kim@example.com\nmicrosoft\n\n00000000-aaaa-bbbb-cccc-111111111111\n\n",
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("Log in with: oauth2 (a sign-in at the provider), or password"),
        "{said}"
    );
    assert!(
        said.contains("before signing in, at Microsoft 365:\n  - SMTP AUTH is off for each mailbox by default (with OAuth2 too)")
            && said.contains("IMAP.AccessAsUser.All, SMTP.Send and offline_access")
            && !said.contains("refuses passwords"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "next: cadenced --config {} mailbox login kim ",
            config.display()
        )),
        "{said}"
    );
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(
        written.contains(
            "provider = \"microsoft\"\nimap = { auth = \"oauth2\" }\nsmtp = { auth = \"oauth2\" }\n\
             oauth = { client_id = \"00000000-aaaa-bbbb-cccc-111111111111\" }\n"
        ),
        "{written}"
    );
    assert!(!dir.path().join("kim.secret").exists());
    let (code, said) = check(&config);
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("FAIL mailbox kim oauth2: no OAuth2 token for mailbox kim: ")
            && said.contains("run `cadenced mailbox login kim`"),
        "{said}"
    );
    // Password flags do not go with an OAuth2 login.
    let mixed = init(
        &config,
        &[
            "--address",
            "x@example.com",
            "--provider",
            "microsoft",
            "--auth",
            "oauth2",
            "--password-stdin",
        ],
        "pw\n",
    );
    assert_eq!(mixed.status.code(), Some(2), "{}", text(&mixed));
    assert!(
        text(&mixed).contains("are for --auth password"),
        "{}",
        text(&mixed)
    );
}

#[test]
fn an_oauth2_mailbox_from_init_signs_in_at_a_real_provider_and_passes_check() {
    use crate::support::provider::{Provider, CLIENT_ID};
    let stack = MailStack::start_with_oauth(1);
    let provider = Provider::start(&stack.dir().join("oauth/keys"), 300);
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let (imap, smtp) = (
        format!("127.0.0.1:{}", stack.imap_port()),
        format!("127.0.0.1:{}", stack.smtp_port()),
    );
    let out = init(
        &config,
        &[
            "--address",
            crate::support::mailstack::SALES,
            "--name",
            "sales",
            "--imap",
            &imap,
            "--imap-tls",
            "none",
            "--smtp",
            &smtp,
            "--smtp-tls",
            "none",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            &provider.token_url(),
            "--device-url",
            &provider.device_url(),
            "--scope",
            "openid offline_access",
            "--scope",
            "mail",
        ],
        "",
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!(
            "next: cadenced --config {} mailbox login sales ",
            config.display()
        )),
        "{said}"
    );
    // The step init names, then a check that passes as a whole.
    let (code, out, err) = crate::oauth_provider::login(&config, &provider, "sales", true);
    assert_eq!(code, Some(0), "{out}\n{err}\n{}", provider.log());
    let passed = check_passes(&config);
    assert!(
        passed.contains("ok   mailbox sales oauth2: grant stored")
            && passed.contains(&format!(
                "ok   mailbox sales imap {imap}: logged in as sales@example.test"
            ))
            && passed.contains(&format!(
                "ok   mailbox sales smtp {smtp}: connected and logged in"
            )),
        "{passed}"
    );
}
