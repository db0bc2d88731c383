//! Mailboxes at the big providers: presets, the Sent folder found by its `\Sent` mark
//! (RFC 6154) rather than its name, and what `check` tells a person to switch on at the
//! provider. Against the real Dovecot and Postfix of `support::mailstack`.

use std::time::Duration;

use crate::support::campaign::Campaign;
use crate::support::config::{self, Mailbox};
use crate::support::daemon::{cli, cli_ok, enroll, write_config, DaemonProcess, TestMailbox};
use crate::support::mailstack::{header, MailStack, PASSWORD};

const SENT: &str = "Gesendete Elemente";

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A folder of `user`'s Maildir (Dovecot's Maildir++: `.NAME`), its messages' raw bytes.
fn folder_messages(stack: &MailStack, user: &str, folder: &str) -> Vec<String> {
    let (local, domain) = user.split_once('@').expect("address");
    let root = stack
        .dir()
        .join("mail")
        .join(domain)
        .join(local)
        .join(format!(".{folder}"));
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        for entry in std::fs::read_dir(root.join(sub)).into_iter().flatten().flatten() {
            out.push(String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned());
        }
    }
    out
}

/// A stack whose Sent folder is named `name` and marked `\Sent`, a config with the `sales`
/// mailbox on it, and `check` having said which folder it is and why.
fn checked_sent_folder(name: &str) -> (MailStack, tempfile::TempDir, std::path::PathBuf) {
    let stack = MailStack::start_with_sent_folder(1, name);
    let dir = tempfile::tempdir().expect("tempdir");
    let sales = TestMailbox {
        name: "sales",
        address: "sales@example.test",
    };
    let config = write_config(dir.path(), &stack, "sqlite://state/cadenced.db", &[sales], "");
    let check = stdout(&cli(&config, &["check"]));
    assert!(
        check.contains(&format!(
            "ok   mailbox sales sent folder \"{name}\" (marked \\Sent by the server)\n"
        )),
        "{check}"
    );
    (stack, dir, config)
}

#[test]
fn the_sent_folder_is_the_one_the_server_marks_whatever_its_name() {
    let (stack, dir, config) = checked_sent_folder(SENT);

    // A step goes out; its copy is stored in the marked folder, and no "Sent" is made.
    enroll(
        &config,
        dir.path(),
        "c",
        &Campaign::new("c")
            .step("0s", "Hello {{first_name}}", "Hello.")
            .step("3d", "Again", "Again.")
            .toml(),
        "email,first_name\nlead1@lead.test,Ann\n",
    );
    cli_ok(&config, &["campaign", "launch", "c"]);
    let mut daemon = DaemonProcess::start(&config, "daemon");
    let delivered = stack.wait_for_messages_blocking("lead1", 1, Duration::from_secs(30));
    let message_id = header(&delivered[0], "Message-ID").expect("Message-ID");
    let copies = crate::support::wait_for(30, "the copy in the marked Sent folder", || {
        let copies = folder_messages(&stack, "sales@example.test", SENT);
        (!copies.is_empty()).then_some(copies)
    });
    daemon.terminate(Duration::from_secs(30));
    assert_eq!(copies.len(), 1);
    assert!(copies[0].contains(&message_id), "{}", copies[0]);
    assert!(
        !stack.dir().join("mail/example.test/sales/.Sent").exists(),
        "a folder named Sent was created"
    );
}

#[tokio::test]
async fn uncertain_sends_are_looked_for_in_the_marked_folder() {
    // What `scheduler::reconcile` does after a crash, on a server whose Sent folder has
    // another name: the copy stored by `append_sent` is found by `find_sent`.
    let stack = MailStack::start_with_sent_folder(1, SENT);
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = dir.path().join("pass");
    std::fs::write(&pass, format!("{PASSWORD}\n")).expect("pass");
    let text = Mailbox::new(
        "sales",
        "sales@example.test",
        stack.imap_port(),
        stack.smtp_port(),
    )
    .password_file(pass.display())
    .toml();
    let cfg = cadenced::config::Config::parse(&dir.path().join("config.toml"), &text).expect("config");
    let mb = cfg.mailbox("sales").expect("mailbox");
    let mut client = cadenced::imap::ImapClient::connect(&mb.imap)
        .await
        .expect("login");
    let copy = "From: sales@example.test\r\nTo: lead1@lead.test\r\nSubject: s\r\nMessage-ID: <k1@example.test>\r\n\r\nHi\r\n";
    client.append_sent(None, copy.as_bytes()).await.expect("append");
    assert!(client.find_sent(None, "<k1@example.test>").await.expect("search"));
    assert!(!client
        .find_sent(None, "<other@example.test>")
        .await
        .expect("search"));
    // The operator's sent_folder still wins over the mark.
    let configured = client.sent_folder(Some("Archive")).await.expect("folder");
    assert_eq!(configured.name, "Archive");
    client.logout().await;
    assert_eq!(folder_messages(&stack, "sales@example.test", SENT).len(), 1);
}

#[tokio::test]
async fn a_sent_folder_named_with_accents_is_shown_and_used_as_people_spell_it() {
    // Dovecot lists and stores it in modified UTF-7 ("&AMk-l&AOk-ments envoy&AOk-s"): check
    // shows the name a person reads, and the name a person writes in the config is the same
    // folder on the server.
    let name = "Éléments envoyés";
    let (stack, _dir, config) = checked_sent_folder(name);
    let cfg = cadenced::config::Config::load(&config).expect("config");
    let mb = cfg.mailbox("sales").expect("mailbox");
    let mut client = cadenced::imap::ImapClient::connect(&mb.imap)
        .await
        .expect("login");
    let found = "From: sales@example.test\r\nSubject: s\r\nMessage-ID: <k1@example.test>\r\n\r\nHi\r\n";
    client
        .append_sent(None, found.as_bytes())
        .await
        .expect("append (marked)");
    let configured = "From: sales@example.test\r\nSubject: s\r\nMessage-ID: <k2@example.test>\r\n\r\nHi\r\n";
    client
        .append_sent(Some(name), configured.as_bytes())
        .await
        .expect("append (sent_folder in the config)");
    assert!(client
        .find_sent(Some(name), "<k1@example.test>")
        .await
        .expect("search"));
    assert!(client.find_sent(None, "<k2@example.test>").await.expect("search"));
    client.logout().await;
    // Both in the one folder Dovecot marks (Maildir++ keeps the wire name); no other made.
    assert_eq!(
        folder_messages(&stack, "sales@example.test", "&AMk-l&AOk-ments envoy&AOk-s").len(),
        2
    );
    let folders: Vec<String> = std::fs::read_dir(stack.dir().join("mail/example.test/sales"))
        .expect("maildir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(folders, vec![".&AMk-l&AOk-ments envoy&AOk-s".to_string()]);
}

/// A provider mailbox pointed at the real stack (its servers overridden, which the preset
/// allows) with a password the servers refuse: what a person sees before the provider-side
/// switches are on.
fn refused_provider_check(provider: &str) -> String {
    let stack = MailStack::start(1);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("wrong.pass"), "not-the-password\n").expect("pass");
    let sam = Mailbox::new("sam", "sales@example.test", stack.imap_port(), stack.smtp_port())
        .line(&format!("provider = \"{provider}\""))
        .preset_username()
        .password_file("wrong.pass")
        .smtp_auth();
    let config = config::write(dir.path(), "", &[sam]);
    let out = cli(&config, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // The login is the address (the preset's), and the server's refusal is shown as it is.
    assert!(
        text.contains(&format!(
            "FAIL mailbox sam imap 127.0.0.1:{}: login as sales@example.test refused",
            stack.imap_port()
        )),
        "{text}"
    );
    text
}

#[test]
fn check_tells_what_to_switch_on_at_microsoft_365() {
    let text = refused_provider_check("microsoft");
    assert!(
        text.contains("\n     Microsoft 365: SMTP AUTH is off for each mailbox by default (with OAuth2 too): an admin turns on Authenticated SMTP for sales@example.test")
            && text.contains("Set-CASMailbox -Identity sales@example.test -SmtpClientAuthenticationDisabled $false"),
        "{text}"
    );
    assert!(!text.contains("Google"), "{text}");
    // The hints follow the mailbox's last failed line, once.
    assert_eq!(text.matches("Microsoft 365: SMTP AUTH").count(), 1, "{text}");
}

#[test]
fn check_tells_what_to_switch_on_at_google_workspace() {
    let text = refused_provider_check("google");
    assert!(
        text.contains("\n     Google Workspace: IMAP must be on for the user")
            && text.contains("\n     Google Workspace: a password login needs an app password"),
        "{text}"
    );
}

#[test]
fn a_working_mailbox_gets_no_provider_hints() {
    // Hints are for failures only: the same preset, the right password, nothing but ok lines.
    let stack = MailStack::start(1);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.pass"), format!("{PASSWORD}\n")).expect("pass");
    let sam = Mailbox::new("sam", "sales@example.test", stack.imap_port(), stack.smtp_port())
        .line("provider = \"microsoft\"")
        .preset_username()
        .password_file("good.pass")
        .smtp_auth();
    let config = config::write(dir.path(), "", &[sam]);
    let text = cli_ok(&config, &["check"]);
    assert!(!text.contains("Microsoft 365"), "{text}");
    assert!(
        text.contains(
            "ok   mailbox sam sent folder \"Sent\" (the usual name: the server marks no folder \\Sent)"
        ),
        "{text}"
    );
}
