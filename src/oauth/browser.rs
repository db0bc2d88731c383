//! The browser sign-in of `cadenced mailbox login NAME`: the authorization code grant with
//! PKCE (RFC 7636, `S256`) and a loopback redirect (RFC 8252), the flow Google documents for
//! installed apps and the only one that grants Google's mail scope.
//!
//! The command listens on `127.0.0.1:PORT` (a free port, or `--port`), prints the sign-in URL
//! and waits for the browser to come back to `http://127.0.0.1:PORT/` with `code` and
//! `state`, or for that address pasted on stdin (a browser on another machine, whose redirect
//! ends on a page that does not load). The code is exchanged at the token endpoint with the
//! PKCE verifier and the grant stored like the device flow's ([`super::store_grant`]).
//!
//! The listener is reachable by anything on the machine, so what arrives there is hostile
//! until proven otherwise: only `GET /` is the redirect (any other path or method gets a fixed
//! error page and changes nothing), a request head is read within [`MAX_HEAD`] bytes and
//! [`HEAD_TIMEOUT`], at most [`MAX_CONNECTIONS`] are served at once, and a redirect whose
//! `state` is not this sign-in's (compared in constant time) ends the sign-in with nothing
//! stored (a pasted address with a wrong state is only refused: the person may paste again). The verifier lives in memory only; code, verifier and tokens are never printed or
//! logged; the pages served are fixed texts (`text/plain`, no links, no redirect). The whole
//! sign-in has a time limit (`--timeout`).

use std::io::BufRead;
use std::time::Duration;

use base64::Engine;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, Semaphore};

use super::{client_secret, fix, form_encode, now, post_form, printable, store_grant, usable, TokenAnswer};
use crate::config::OAuthLogin;

/// The most of a request head (request line and headers) the listener reads.
pub const MAX_HEAD: usize = 8 * 1024;
/// How long a connection to the listener may take to send its request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How many connections the listener serves at once; more are closed unanswered.
pub const MAX_CONNECTIONS: usize = 8;
/// The most of one pasted line that is read.
const MAX_PASTE: u64 = 8 * 1024;

/// How `cadenced mailbox login` runs the browser sign-in.
#[derive(Debug, Clone)]
pub struct BrowserOptions {
    /// The loopback port to listen on; 0 for any free one.
    pub port: u16,
    /// Whether the address the browser ends on is also read from stdin.
    pub paste: bool,
    /// How long the whole sign-in may take.
    pub timeout: Duration,
}

/// The PKCE pair (RFC 7636): the verifier is sent only with the code to the token endpoint;
/// its `S256` challenge goes into the sign-in URL.
pub(crate) struct Pkce {
    verifier: SecretString,
}

impl Pkce {
    /// A fresh verifier: 32 random bytes, base64url (43 characters, RFC 7636 section 4.1).
    fn new() -> std::io::Result<Pkce> {
        Ok(Pkce {
            verifier: SecretString::from(b64(&random_bytes()?)),
        })
    }

    /// `BASE64URL(SHA256(verifier))`, without padding.
    fn challenge(&self) -> String {
        challenge(self.verifier.expose_secret())
    }
}

fn challenge(verifier: &str) -> String {
    b64(&Sha256::digest(verifier.as_bytes()))
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// 32 bytes from the kernel's random source.
fn random_bytes() -> std::io::Result<[u8; 32]> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Whether `presented` is `expected`, in time that does not depend on where they differ.
fn same(presented: &str, expected: &str) -> bool {
    let (a, b) = (presented.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The sign-in URL: `auth_url` (with the provider's own query kept) and the parameters of
/// this sign-in.
fn sign_in_url(
    auth_url: &str,
    client_id: &str,
    redirect_uri: &str,
    scope: &str,
    state: &str,
    challenge: &str,
) -> String {
    let ours = form_encode(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("scope", scope),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]);
    let join = match auth_url.split_once('?') {
        None => "?",
        Some((_, "")) => "",
        Some((_, q)) if q.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{auth_url}{join}{ours}")
}

/// What a redirect (or a pasted address) says. (`Debug` shows no code: `SecretString`.)
#[derive(Debug)]
pub(crate) enum Redirect {
    /// No `code`, `error` or `state`: not a redirect (a person opening the address).
    NotOne,
    /// The `state` is missing or not this sign-in's.
    WrongState,
    /// The provider ended the sign-in with an error: its code and description, printable.
    Error(String, Option<String>),
    /// The authorization code.
    Code(SecretString),
}

#[cfg(test)]
impl PartialEq for Redirect {
    fn eq(&self, other: &Redirect) -> bool {
        match (self, other) {
            (Redirect::NotOne, Redirect::NotOne) | (Redirect::WrongState, Redirect::WrongState) => true,
            (Redirect::Error(a, b), Redirect::Error(c, d)) => (a, b) == (c, d),
            (Redirect::Code(a), Redirect::Code(b)) => a.expose_secret() == b.expose_secret(),
            _ => false,
        }
    }
}

/// Reads a redirect's query (`code`, `state`, `error`, `error_description`), from a request
/// target (`/?code=…`), a whole URL (`http://127.0.0.1:PORT/?code=…`, pasted) or the query
/// alone. The state is checked first: nothing else of a redirect with a wrong state is used.
pub(crate) fn parse_redirect(text: &str, state: &str) -> Redirect {
    let text = text.trim();
    let text = text.split_once('#').map_or(text, |(before, _)| before);
    let query = match text.split_once('?') {
        Some((_, q)) => q,
        None if text.contains('=') => text,
        None => "",
    };
    let (mut code, mut got_state, mut error, mut description) = (None, None, None, None);
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match key.as_ref() {
            "code" => &mut code,
            "state" => &mut got_state,
            "error" => &mut error,
            "error_description" => &mut description,
            _ => continue,
        };
        // A parameter given twice is not a redirect a provider sends.
        if slot.is_some() {
            return Redirect::WrongState;
        }
        *slot = Some(value.into_owned());
    }
    if code.is_none() && error.is_none() && got_state.is_none() {
        return Redirect::NotOne;
    }
    if !got_state.as_deref().is_some_and(|s| same(s, state)) {
        return Redirect::WrongState;
    }
    match (error, code) {
        (Some(e), _) => Redirect::Error(printable(&e), description.map(|d| printable(&d))),
        (None, Some(c)) if usable(&c) => Redirect::Code(SecretString::from(c)),
        (None, _) => Redirect::Error("no code in the redirect".to_string(), None),
    }
}

/// The fixed pages the listener serves: no input of the request is ever echoed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Done,
    Failed,
    NotOne,
    Ended,
    NotFound,
    Method,
    TooLarge,
}

impl Page {
    fn status_and_text(self) -> (&'static str, &'static str) {
        match self {
            Page::Done => (
                "200 OK",
                "cadenced: signed in, the grant is stored. You can close this tab.\n",
            ),
            Page::Failed => (
                "400 Bad Request",
                "cadenced: the sign-in did not complete and nothing was stored. The terminal says why.\n",
            ),
            Page::NotOne => (
                "400 Bad Request",
                "cadenced: this address only takes the provider's redirect at the end of a sign-in.\n",
            ),
            Page::Ended => ("410 Gone", "cadenced: this sign-in has ended.\n"),
            Page::NotFound => ("404 Not Found", "Not found.\n"),
            Page::Method => ("405 Method Not Allowed", "Method not allowed.\n"),
            Page::TooLarge => ("431 Request Header Fields Too Large", "Request too large.\n"),
        }
    }
}

/// What reached the command: a redirect at the listener (answered with the page sent back)
/// or a line pasted on stdin.
enum Arrival {
    Http {
        target: String,
        reply: oneshot::Sender<Page>,
        written: oneshot::Receiver<()>,
    },
    Pasted(String),
}

impl Arrival {
    fn text(&self) -> &str {
        match self {
            Arrival::Http { target, .. } => target,
            Arrival::Pasted(line) => line,
        }
    }

    /// Answers a redirect at the listener (nothing for a pasted line) and waits, briefly,
    /// until the page is written.
    async fn answer(self, page: Page) {
        if let Arrival::Http { reply, written, .. } = self {
            if reply.send(page).is_ok() {
                let _ = tokio::time::timeout(Duration::from_secs(5), written).await;
            }
        }
    }
}

/// `cadenced mailbox login NAME --browser`: listens on loopback, hands `say` the sign-in URL
/// and what to do on a server, waits for the redirect (or the pasted address), exchanges the
/// code and stores the grant. Returns what to tell the person at the end.
///
/// # Errors
/// Why no grant was stored, worded for the person at the terminal: no `oauth.auth_url`, the
/// port taken, the time limit passed, a redirect with another sign-in's state, the sign-in
/// declined (`access_denied`) or refused at the provider, the code refused at the token
/// endpoint.
pub async fn browser_login(
    login: &OAuthLogin,
    options: &BrowserOptions,
    mut say: impl FnMut(&str),
) -> Result<String, String> {
    let mailbox = &login.mailbox;
    let client = &login.client;
    let Some(auth_url) = &client.auth_url else {
        let instead = match client.device_url {
            Some(_) => format!(" (it has a device sign-in: `cadenced mailbox login {mailbox} --device`)"),
            None => String::new(),
        };
        return Err(format!(
            "mailbox {mailbox} has no oauth.auth_url, the provider's authorization endpoint the browser sign-in starts at{instead}"
        ));
    };
    let secret = client_secret(login).map_err(|e| e.to_string())?;
    let listener = TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, options.port))
        .await
        .map_err(|e| {
            format!(
                "mailbox {mailbox}: cannot listen on 127.0.0.1:{}: {e}",
                options.port
            )
        })?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("mailbox {mailbox}: the listener has no address: {e}"))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/");
    let random = |what: &str| format!("mailbox {mailbox}: cannot read /dev/urandom for the {what}");
    let pkce = Pkce::new().map_err(|e| format!("{}: {e}", random("PKCE verifier")))?;
    let state = b64(&random_bytes().map_err(|e| format!("{}: {e}", random("state")))?);
    let url = sign_in_url(
        auth_url,
        &client.client_id,
        &redirect_uri,
        &client.scopes.join(" "),
        &state,
        &pkce.challenge(),
    );
    let limit = humantime::format_duration(options.timeout);
    say(&format!(
        "To sign in mailbox {mailbox}, open this address in a browser (within {limit}):"
    ));
    say(&format!("  {url}"));
    say(&format!(
        "The browser comes back to {redirect_uri}, where this command listens. If the browser runs on another machine, either forward the port first (ssh -L {port}:127.0.0.1:{port} THIS-HOST, then open the address there){}",
        if options.paste {
            ", or paste here the address the browser ends on (its page does not load) and press Enter."
        } else {
            ", or run this command again with --paste to paste back the address the browser ends on."
        }
    ));
    say("Waiting for the sign-in…");

    let (tx, mut rx) = mpsc::channel::<Arrival>(MAX_CONNECTIONS);
    let server = tokio::spawn(serve(listener, tx.clone()));
    if options.paste {
        read_pasted(tx);
    } else {
        drop(tx);
    }
    let waited = tokio::time::timeout(options.timeout, async {
        loop {
            let Some(arrival) = rx.recv().await else {
                return Err(format!("mailbox {mailbox}: the listener on {redirect_uri} stopped; nothing was stored"));
            };
            match parse_redirect(arrival.text(), &state) {
                Redirect::NotOne => {
                    if let Arrival::Pasted(_) = arrival {
                        say("That is not the address the browser ended on (it has ?code=…&state=… or ?error=…); paste that one.");
                    }
                    arrival.answer(Page::NotOne).await;
                }
                // The person's own paste, cut short or from an older sign-in: they may paste
                // again (a request at the listener cannot be told from a forged one).
                Redirect::WrongState if matches!(arrival, Arrival::Pasted(_)) => {
                    say("That address is not this sign-in's (its state differs or is missing: cut short, or from an older sign-in); paste the whole address the browser ends on.");
                }
                Redirect::WrongState => {
                    arrival.answer(Page::Failed).await;
                    return Err(format!(
                        "mailbox {mailbox}: the redirect did not carry this sign-in's state (an address from an older sign-in, or a request not from the provider); nothing was stored; {} again",
                        fix(mailbox)
                    ));
                }
                Redirect::Error(code, description) => {
                    arrival.answer(Page::Failed).await;
                    return Err(if code == "access_denied" {
                        format!("mailbox {mailbox}: the sign-in was declined at the provider; nothing was stored")
                    } else {
                        format!(
                            "mailbox {mailbox}: the provider ended the sign-in with an error ({code}{}); nothing was stored",
                            description.map(|d| format!(": {d}")).unwrap_or_default()
                        )
                    });
                }
                Redirect::Code(code) => {
                    let result = exchange(login, &code, &redirect_uri, &pkce, secret.as_ref()).await;
                    arrival
                        .answer(if result.is_ok() { Page::Done } else { Page::Failed })
                        .await;
                    return result;
                }
            }
        }
    })
    .await;
    server.abort();
    waited.unwrap_or_else(|_| {
        Err(format!(
            "mailbox {mailbox}: no sign-in within {limit} (the browser did not come back to {redirect_uri}); nothing was stored; {} again (on a server: forward the port with ssh -L, or use --paste)",
            fix(mailbox)
        ))
    })
}

/// The code for a grant at the token endpoint, with the PKCE verifier.
async fn exchange(
    login: &OAuthLogin,
    code: &SecretString,
    redirect_uri: &str,
    pkce: &Pkce,
    secret: Option<&SecretString>,
) -> Result<String, String> {
    let mailbox = &login.mailbox;
    let client = &login.client;
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code.expose_secret()),
        ("redirect_uri", redirect_uri),
        ("client_id", client.client_id.as_str()),
        ("code_verifier", pkce.verifier.expose_secret()),
    ];
    if let Some(s) = secret {
        form.push(("client_secret", s.expose_secret()));
    }
    let started = now();
    let (status, body) = post_form(&client.token_url, &form).await.map_err(|e| {
        format!(
            "mailbox {mailbox}: cannot reach the token endpoint {}: {e}; nothing was stored",
            client.token_url
        )
    })?;
    match (status, serde_json::from_slice::<TokenAnswer>(&body).ok()) {
        (200, Some(a)) if a.access_token.as_deref().is_some_and(usable) => store_grant(login, a, started).await,
        (status, answer) => Err(format!(
            "mailbox {mailbox}: the token endpoint {} refused the sign-in's code (HTTP {status}: {}); nothing was stored",
            client.token_url,
            answer.map_or_else(|| "not a JSON answer".to_string(), |a| a.error_text())
        )),
    }
}

/// Accepts connections on the listener, at most [`MAX_CONNECTIONS`] at once, each served by
/// [`connection`]; ends (and drops them all) when aborted.
async fn serve(listener: TcpListener, tx: mpsc::Sender<Arrival>) {
    let slots = std::sync::Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            continue; // dropped: closed unanswered
        };
        while tasks.try_join_next().is_some() {}
        let tx = tx.clone();
        tasks.spawn(async move {
            connection(stream, tx).await;
            drop(slot);
        });
    }
}

/// One connection: reads the request head, answers anything but `GET /` with a fixed error,
/// hands the redirect over and writes the page it is given.
async fn connection(mut stream: TcpStream, tx: mpsc::Sender<Arrival>) {
    let page = match tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await {
        Err(_) | Ok(Err(HeadError::Closed)) => return,
        Ok(Err(HeadError::TooLarge)) => Page::TooLarge,
        Ok(Ok(line)) => {
            let mut parts = line.split(' ');
            let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let path = target.split(['?', '#']).next().unwrap_or("");
            if path != "/" {
                Page::NotFound
            } else if method != "GET" {
                Page::Method
            } else {
                let (reply, answer) = oneshot::channel();
                let (wrote, written) = oneshot::channel();
                let arrival = Arrival::Http {
                    target: target.to_string(),
                    reply,
                    written,
                };
                if tx.send(arrival).await.is_err() {
                    Page::Ended
                } else {
                    let page = answer.await.unwrap_or(Page::Ended);
                    write_page(&mut stream, page).await;
                    let _ = wrote.send(());
                    return;
                }
            }
        }
    };
    write_page(&mut stream, page).await;
}

enum HeadError {
    Closed,
    TooLarge,
}

/// Reads up to the end of the request head (at most [`MAX_HEAD`] bytes) and returns its
/// first line.
async fn read_head(stream: &mut TcpStream) -> Result<String, HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await.map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(HeadError::Closed);
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            if end + 4 > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            let head = &head[..end];
            let line = head.split(|b| *b == b'\n').next().unwrap_or(b"");
            return Ok(String::from_utf8_lossy(line).trim_end().to_string());
        }
        if head.len() > MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

async fn write_page(stream: &mut TcpStream, page: Page) {
    let (status, text) = page.status_and_text();
    let answer = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\n\
         Connection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = tokio::time::timeout(HEAD_TIMEOUT, async {
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.shutdown().await;
        // What the client still sends (the rest of a head too large) is read and dropped
        // until it closes: closing with unread bytes would reset the connection and lose the
        // answer on its way.
        let mut sink = [0u8; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => break,
                Ok(n) => left = left.saturating_sub(n),
            }
        }
    })
    .await;
}

/// Reads pasted lines from stdin on a thread of its own (a blocking read the runtime must not
/// wait for at exit); each non-empty line, at most [`MAX_PASTE`] bytes, is an arrival.
fn read_pasted(tx: mpsc::Sender<Arrival>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        loop {
            let mut line = String::new();
            match std::io::Read::take(stdin.lock(), MAX_PASTE).read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) if line.trim().is_empty() => continue,
                Ok(_) => {
                    if tx.blocking_send(Arrival::Pasted(line)).is_err() {
                        return;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s256_challenge_is_rfc_7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        let pkce = Pkce::new().expect("urandom");
        let verifier = pkce.verifier.expose_secret();
        assert_eq!(verifier.len(), 43);
        assert!(verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(verifier, Pkce::new().expect("urandom").verifier.expose_secret());
    }

    #[test]
    fn the_sign_in_url_keeps_the_providers_query() {
        let url = |base: &str| {
            sign_in_url(
                base,
                "c 1",
                "http://127.0.0.1:5/",
                "https://mail.google.com/",
                "st",
                "ch",
            )
        };
        let ours = "response_type=code&client_id=c+1&redirect_uri=http%3A%2F%2F127.0.0.1%3A5%2F\
                    &scope=https%3A%2F%2Fmail.google.com%2F&state=st&code_challenge=ch&code_challenge_method=S256";
        assert_eq!(
            url("https://a.example/auth"),
            format!("https://a.example/auth?{ours}")
        );
        assert_eq!(
            url("https://a.example/auth?access_type=offline&prompt=consent"),
            format!("https://a.example/auth?access_type=offline&prompt=consent&{ours}")
        );
        assert_eq!(
            url("https://a.example/auth?"),
            format!("https://a.example/auth?{ours}")
        );
    }

    #[test]
    fn a_redirect_is_read_only_with_this_sign_ins_state() {
        let code = |r: Redirect| match r {
            Redirect::Code(c) => c.expose_secret().to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            code(parse_redirect("/?code=4%2F0Ab+c&state=s1&scope=x", "s1")),
            "4/0Ab c"
        );
        // Pasted: the whole address, with spaces and a fragment around it.
        assert_eq!(
            code(parse_redirect(
                "  http://127.0.0.1:4711/?state=s1&code=abc#_=_\n",
                "s1"
            )),
            "abc"
        );
        assert_eq!(code(parse_redirect("code=abc&state=s1", "s1")), "abc");
        for wrong in [
            "/?code=abc&state=s2",
            "/?code=abc",
            "/?code=abc&state=s1&state=s2",
            "/?code=abc&code=def&state=s1",
            "/?error=access_denied&state=s11",
            "/?code=abc&state=",
        ] {
            assert_eq!(parse_redirect(wrong, "s1"), Redirect::WrongState, "{wrong}");
        }
        assert_eq!(
            parse_redirect(
                "/?error=access_denied&error_description=End-User+aborted%0Ainteraction&state=s1",
                "s1"
            ),
            Redirect::Error(
                "access_denied".into(),
                Some("End-User aborted interaction".into())
            )
        );
        assert_eq!(
            parse_redirect("/?state=s1&code=%01", "s1"),
            Redirect::Error("no code in the redirect".into(), None)
        );
        for not_one in ["/", "/?", "/?foo=bar", "", "hello", "/favicon.ico"] {
            assert_eq!(parse_redirect(not_one, "s1"), Redirect::NotOne, "{not_one}");
        }
    }

    #[test]
    fn states_are_compared_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd") && !same("ab", "abc") && !same("", "a"));
    }

    #[test]
    fn the_pages_echo_nothing_and_name_no_link() {
        for page in [
            Page::Done,
            Page::Failed,
            Page::NotOne,
            Page::Ended,
            Page::NotFound,
            Page::Method,
            Page::TooLarge,
        ] {
            let (_, text) = page.status_and_text();
            assert!(!text.contains("http") && !text.contains('<'), "{text}");
        }
    }
}
