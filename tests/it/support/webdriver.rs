//! A minimal WebDriver client for the console's browser test: Debian's `chromedriver`
//! driving Debian's `chromium`, headless, over the W3C WebDriver protocol (JSON over HTTP on
//! loopback). Raw HTTP/1.1 like `support::http`, with the `Host` chromedriver accepts.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver and one browser session.
pub struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
}

async fn call(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> Value {
    match try_call(addr, method, path, body).await {
        Ok(v) => v,
        Err(e) => panic!("{e}"),
    }
}

/// A WebDriver command; `Err` with the driver's error (a stale element while a page loads).
async fn try_call(addr: SocketAddr, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connect chromedriver");
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body.as_bytes()).await.expect("write");
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    let mut raw = Vec::new();
    let read = async {
        let mut chunk = [0u8; 16384];
        loop {
            let n = stream.read(&mut chunk).await.expect("read");
            if n == 0 {
                break;
            }
            raw.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&raw);
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .filter_map(|l| l.split_once(':'))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.trim().parse::<usize>().ok());
                if length.is_some_and(|len| raw.len() >= end + 4 + len) {
                    break;
                }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("chromedriver answers within 60 s");
    let answer = super::http::parse(&raw);
    let text = if answer.header("transfer-encoding") == Some("chunked") {
        dechunk(&answer.body)
    } else {
        answer.body
    };
    let v: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("chromedriver: not JSON ({e}): {text}"));
    if answer.status >= 400 {
        return Err(format!("chromedriver {method} {path}: {} {v}", answer.status));
    }
    Ok(v["value"].clone())
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium session.
    pub async fn start() -> Browser {
        let driver_bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("chromedriver is installed (apt chromium-driver; scripts/test installs it)");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("addr").port()
        };
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
        let deadline = Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
        };
        let v = call(
            addr,
            "POST",
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]
            }}}})),
        )
        .await;
        browser.session = v["sessionId"].as_str().expect("session id").to_string();
        browser
    }

    async fn cmd(&self, method: &str, rest: &str, body: Option<Value>) -> Value {
        call(
            self.addr,
            method,
            &format!("/session/{}{rest}", self.session),
            body,
        )
        .await
    }

    /// Opens `url`.
    pub async fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url }))).await;
    }

    /// The page's URL.
    pub async fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// The element `using` (`css selector`, `link text`) finds; panics with the page if none.
    pub async fn find(&self, using: &str, value: &str) -> String {
        // A page still loading has none yet: look again for up to 10 s.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = call(
                self.addr,
                "POST",
                &format!("/session/{}/elements", self.session),
                Some(json!({ "using": using, "value": value })),
            )
            .await;
            if let Some(id) = v
                .as_array()
                .and_then(|a| a.first())
                .and_then(|e| e[ELEMENT].as_str())
            {
                return id.to_string();
            }
            if Instant::now() > deadline {
                panic!(
                    "no {using} {value:?} on {}:\n{}",
                    self.url().await,
                    self.text("body").await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks what `css` finds.
    pub async fn click(&self, css: &str) {
        let id = self.find("css selector", css).await;
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})))
            .await;
    }

    /// Clicks the link with this text.
    pub async fn click_link(&self, text: &str) {
        let id = self.find("link text", text).await;
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})))
            .await;
    }

    /// Types `text` into what `css` finds.
    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find("css selector", css).await;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// The visible text of what `css` finds.
    pub async fn text(&self, css: &str) -> String {
        let v = call(
            self.addr,
            "POST",
            &format!("/session/{}/elements", self.session),
            Some(json!({ "using": "css selector", "value": css })),
        )
        .await;
        let Some(id) = v
            .as_array()
            .and_then(|a| a.first())
            .and_then(|e| e[ELEMENT].as_str())
        else {
            return String::new();
        };
        // The page may be replaced between finding and reading (a form's answer loading).
        try_call(
            self.addr,
            "GET",
            &format!("/session/{}/element/{id}/text", self.session),
            None,
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
    }

    /// The text of what `css` finds once it equals `want` (a click's page may still be
    /// loading), or what it is after 10 s.
    pub async fn text_becomes(&self, css: &str, want: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.text(css).await;
            if text == want || Instant::now() > deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The page's URL once it ends with `suffix`, or what it is after 10 s.
    pub async fn url_becomes(&self, suffix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let url = self.url().await;
            if url.ends_with(suffix) || Instant::now() > deadline {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let v = self.cmd("GET", "/screenshot", None).await;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or(""))
            .expect("base64 screenshot")
    }

    /// Ends the session and the driver.
    pub async fn quit(mut self) {
        self.cmd("DELETE", "", None).await;
        self.session.clear();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    /// Ends the session even when a test panicked (chromedriver would leave Chromium
    /// running if killed with it open), then the driver.
    fn drop(&mut self) {
        use std::io::{Read, Write};
        if !self.session.is_empty() {
            if let Ok(mut s) = std::net::TcpStream::connect_timeout(&self.addr, Duration::from_secs(2)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                let _ = write!(
                    s,
                    "DELETE /session/{} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\n\r\n",
                    self.session, self.addr
                );
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
