//! OAuth2 mailboxes: the access token a mailbox with `auth = "oauth2"` logs in with, and the
//! SASL messages that carry it: OAUTHBEARER (RFC 7628; IMAP, where the server offers it) and
//! XOAUTH2 (IMAP otherwise, and SMTP: lettre has only that one).
//!
//! The token is kept in the state directory, `oauth/NAME.json` (mode 0600), as
//! `{"access_token": "…"}` (later also the refresh token), and read at every login, so a
//! token written there by another process is used by the next login without a restart: the
//! sender rebuilds an unhealthy mailbox's transport, and the watchers log in again.
//!
//! Not built yet (issue 14): `cadenced mailbox login` (the RFC 8628 device flow that writes
//! the file) and the refresh of the access token before it expires; until then the file is
//! written by whatever tool the operator already uses for tokens.
//!
//! **Invariant:** a token is never logged and never part of an error message; errors name the
//! file and the mailbox only.

use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The token file of a mailbox, as written.
#[derive(Deserialize)]
struct TokenFile {
    access_token: Option<String>,
}

/// The access token in the token file `path` (`…/oauth/MAILBOX.json`).
///
/// # Errors
/// What is wrong, with the fix, naming the file and the mailbox (never the token): missing,
/// unreadable, not JSON, or without an access token.
pub fn access_token(path: &Path) -> Result<SecretString, String> {
    let mailbox = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fix = format!(
        "put the mailbox's access token there as {{\"access_token\": \"…\"}} (mode 0600); `cadenced mailbox login {mailbox}` is not built yet"
    );
    if !path.exists() {
        return Err(format!(
            "no OAuth2 token for mailbox {mailbox}: {} does not exist; {fix}",
            path.display()
        ));
    }
    let text = crate::input::read_text(path, crate::input::TOKEN_FILE).map_err(|e| e.to_string())?;
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(file = %path.display(), "OAuth2 token file is readable by others; make it 0600.");
        }
    }
    let parsed: TokenFile = serde_json::from_str(&text)
        .map_err(|_| format!("{}: not a JSON token file; {fix}", path.display()))?;
    match parsed.access_token {
        Some(token) if !token.trim().is_empty() && !token.contains(['\r', '\n', '\u{1}']) => {
            Ok(SecretString::from(token.trim().to_string()))
        }
        _ => Err(format!("{}: no usable access_token; {fix}", path.display())),
    }
}

/// The SASL XOAUTH2 initial client response for `user` and `token`, before base64
/// (`user=…^Aauth=Bearer …^A^A`, as Google and Microsoft document it).
pub fn xoauth2(user: &str, token: &SecretString) -> SecretString {
    SecretString::from(format!(
        "user={user}\u{1}auth=Bearer {}\u{1}\u{1}",
        token.expose_secret()
    ))
}

/// The SASL OAUTHBEARER initial client response (RFC 7628) for `user` at `host:port`, before
/// base64: `n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A`, with `,` and `=` in the
/// user escaped as the GS2 header requires.
pub fn oauthbearer(user: &str, host: &str, port: u16, token: &SecretString) -> SecretString {
    let user = user.replace('=', "=3D").replace(',', "=2C");
    SecretString::from(format!(
        "n,a={user},\u{1}host={host}\u{1}port={port}\u{1}auth=Bearer {}\u{1}\u{1}",
        token.expose_secret()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_file_is_read_and_its_problems_named_without_the_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sales.json");
        let missing = access_token(&path).expect_err("missing");
        assert!(
            missing.contains("no OAuth2 token for mailbox sales") && missing.contains("sales.json"),
            "{missing}"
        );
        std::fs::write(&path, "{\"access_token\": \"tok-123\"}").expect("write");
        assert_eq!(access_token(&path).expect("token").expose_secret(), "tok-123");
        std::fs::write(&path, "{\"access_token\": \"zz-secret\\u0001x\"}").expect("write");
        let bad = access_token(&path).expect_err("control character");
        assert!(
            bad.contains("no usable access_token") && !bad.contains("zz-secret"),
            "{bad}"
        );
        std::fs::write(&path, "access_token = tok-456").expect("write");
        let bad = access_token(&path).expect_err("not json");
        assert!(
            bad.contains("not a JSON token file") && !bad.contains("tok-456"),
            "{bad}"
        );
    }

    #[test]
    fn oauthbearer_is_rfc_7628() {
        let token = SecretString::from("t0k".to_string());
        assert_eq!(
            oauthbearer("a=b,c@example.com", "imap.example.com", 993, &token).expose_secret(),
            "n,a=a=3Db=2Cc@example.com,\u{1}host=imap.example.com\u{1}port=993\u{1}auth=Bearer t0k\u{1}\u{1}"
        );
    }

    #[test]
    fn xoauth2_is_the_documented_layout() {
        let token = SecretString::from("ya29.abc".to_string());
        assert_eq!(
            xoauth2("sam@example.com", &token).expose_secret(),
            "user=sam@example.com\u{1}auth=Bearer ya29.abc\u{1}\u{1}"
        );
    }
}
