//! The tokens in the links a lead receives (one-click unsubscribe, tracked clicks) and the
//! rewriting of the links in a step's body.
//!
//! A token is `PAYLOAD.TAG`, both base64url without padding. The tag is the first 16 bytes
//! of HMAC-SHA256 over a kind byte and the payload, with the key of `[http] secret_file`; it
//! is compared in constant time. The kind byte keeps an unsubscribe token from passing as a
//! click token and back. Nothing is stored per token: any daemon holding the key verifies
//! any token, so several daemons behind one proxy answer the same links, and a rotated key
//! turns every older token into a 4xx.
//!
//! - unsubscribe: the payload is the enrollment id (8 bytes, big-endian).
//! - click: the enrollment id, the step (0-based, 2 bytes), the link's index in the body
//!   (2 bytes) and the target URL itself. The URL rides in the signed token so that the
//!   redirect needs no database read at all: the answer goes out before anything is written,
//!   and a token cannot be bent to another target without the key (no open redirect). The
//!   cost is a longer link, bounded by [`MAX_TARGET`].
//!
//! **Invariant:** pure: no I/O, no clock; the key comes in as bytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes of the HMAC kept in a token: 128 bits, far beyond guessing over HTTP.
const TAG_BYTES: usize = 16;
/// The longest target URL a click token carries; a longer link is left as it is.
pub const MAX_TARGET: usize = 2000;
/// The longest token text looked at; anything longer is refused before decoding.
pub const MAX_TOKEN: usize = 2 * MAX_TARGET + 64;
/// The fewest bytes a key may have.
pub const MIN_KEY_BYTES: usize = 32;

const KIND_UNSUBSCRIBE: u8 = b'u';
const KIND_CLICK: u8 = b'c';

/// The key that signs and verifies tokens. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct LinkKey {
    key: Vec<u8>,
}

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

/// A tracked link, as its token names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickLink {
    /// The enrollment the mail went to.
    pub enrollment_id: i64,
    /// The step (0-based) whose body held the link.
    pub step: u16,
    /// The link's index in that body (0-based): several links of one mail clicked in the
    /// same second are a scanner's, not a person's.
    pub link: u16,
    /// Where the link goes (`http://` or `https://`).
    pub url: String,
}

impl LinkKey {
    /// The key from the text of a key file: its first line, at least [`MIN_KEY_BYTES`] long
    /// (`cadenced check --fix` writes 64 hex digits).
    ///
    /// # Errors
    /// When the line is too short, with what to do about it.
    pub fn from_file_text(text: &str) -> Result<LinkKey, String> {
        let line = text.lines().next().unwrap_or("").trim();
        if line.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the key is {} bytes long; it needs at least {MIN_KEY_BYTES} (cadenced check --fix writes a new one)",
                line.len()
            ));
        }
        Ok(LinkKey {
            key: line.as_bytes().to_vec(),
        })
    }

    fn mac(&self, kind: u8, payload: &[u8]) -> Hmac<Sha256> {
        // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC accepts keys of every length"),
        };
        mac.update(&[kind]);
        mac.update(payload);
        mac
    }

    fn sign(&self, kind: u8, payload: &[u8]) -> String {
        let tag = self.mac(kind, payload).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES])
        )
    }

    /// The payload of `token` if its tag is right for `kind`; `None` for anything else
    /// (malformed, truncated, forged, signed with another key), all alike.
    fn open(&self, kind: u8, token: &str) -> Option<Vec<u8>> {
        if token.len() > MAX_TOKEN {
            return None;
        }
        let (payload, tag) = token.split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        if tag.len() != TAG_BYTES {
            return None;
        }
        self.mac(kind, &payload).verify_truncated_left(&tag).ok()?;
        Some(payload)
    }

    /// The unsubscribe token of an enrollment.
    pub fn unsubscribe_token(&self, enrollment_id: i64) -> String {
        self.sign(KIND_UNSUBSCRIBE, &enrollment_id.to_be_bytes())
    }

    /// The enrollment an unsubscribe token names, if the token is genuine.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<i64> {
        let payload = self.open(KIND_UNSUBSCRIBE, token)?;
        Some(i64::from_be_bytes(payload.try_into().ok()?))
    }

    /// The click token of a link.
    pub fn click_token(&self, link: &ClickLink) -> String {
        let mut payload = Vec::with_capacity(12 + link.url.len());
        payload.extend_from_slice(&link.enrollment_id.to_be_bytes());
        payload.extend_from_slice(&link.step.to_be_bytes());
        payload.extend_from_slice(&link.link.to_be_bytes());
        payload.extend_from_slice(link.url.as_bytes());
        self.sign(KIND_CLICK, &payload)
    }

    /// The link a click token names, if the token is genuine and its target a web URL.
    pub fn verify_click(&self, token: &str) -> Option<ClickLink> {
        let payload = self.open(KIND_CLICK, token)?;
        if payload.len() < 12 {
            return None;
        }
        let (head, url) = payload.split_at(12);
        let url = String::from_utf8(url.to_vec()).ok()?;
        if !is_web_url(&url) {
            return None;
        }
        Some(ClickLink {
            enrollment_id: i64::from_be_bytes(head[..8].try_into().ok()?),
            step: u16::from_be_bytes(head[8..10].try_into().ok()?),
            link: u16::from_be_bytes(head[10..12].try_into().ok()?),
            url,
        })
    }
}

/// The public side of the links: the key plus the base URL the reverse proxy serves.
#[derive(Debug, Clone)]
pub struct Links {
    /// Signs and verifies the tokens.
    pub key: LinkKey,
    /// `[http] public_url`, without a trailing slash.
    pub public_url: String,
}

impl Links {
    /// `{public_url}/u/TOKEN`: the one-click unsubscribe URL of an enrollment.
    pub fn unsubscribe_url(&self, enrollment_id: i64) -> String {
        format!(
            "{}/u/{}",
            self.public_url,
            self.key.unsubscribe_token(enrollment_id)
        )
    }

    /// `{public_url}/c/TOKEN`: the tracked form of a link.
    pub fn click_url(&self, link: &ClickLink) -> String {
        format!("{}/c/{}", self.public_url, self.key.click_token(link))
    }

    /// `body` with every web link (except our own) replaced by its tracked form, numbered in
    /// order of appearance. Links longer than [`MAX_TARGET`] stay as they are.
    pub fn track_links(&self, body: &str, enrollment_id: i64, step: u16) -> String {
        let mut n: u16 = 0;
        rewrite_links(body, |url| {
            if url.starts_with(&self.public_url) || url.len() > MAX_TARGET {
                return None;
            }
            let link = ClickLink {
                enrollment_id,
                step,
                link: n,
                url: url.to_string(),
            };
            n = n.saturating_add(1);
            Some(self.click_url(&link))
        })
    }
}

/// Whether `url` is an absolute `http(s)://` URL with a host and nothing that could break
/// out of a `Location` header.
pub fn is_web_url(url: &str) -> bool {
    let rest = match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(r) => r,
        None => return false,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && url.bytes().all(|b| b.is_ascii_graphic())
}

/// `text` with each `http://` or `https://` link replaced by what `replace` gives for it
/// (`None` keeps it). A link ends at white space, a quote or an angle bracket; trailing
/// sentence punctuation (and a closing parenthesis without its opening one) is not part of
/// it, so "see https://x.test/a." keeps its full stop outside the link.
pub fn rewrite_links(text: &str, mut replace: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let at = match (rest.find("http://"), rest.find("https://")) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => break,
        };
        out.push_str(&rest[..at]);
        let candidate = &rest[at..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .unwrap_or(candidate.len());
        let mut url = &candidate[..end];
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let trimmed = match trimmed.strip_suffix(')') {
                Some(t) if !t.contains('(') => t,
                _ => trimmed,
            };
            let trimmed = match trimmed.strip_suffix(']') {
                Some(t) if !t.contains('[') => t,
                _ => trimmed,
            };
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        let scheme_only = url == "http://" || url == "https://";
        match (!scheme_only && is_web_url(url)).then(|| replace(url)).flatten() {
            Some(new) => out.push_str(&new),
            None => out.push_str(url),
        }
        rest = &candidate[url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> LinkKey {
        LinkKey::from_file_text(k).expect("key")
    }

    const K1: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
    const K2: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\n";

    #[test]
    fn unsubscribe_tokens_verify_only_with_their_key_and_whole() {
        let k = key(K1);
        let t = k.unsubscribe_token(42);
        assert_eq!(k.verify_unsubscribe(&t), Some(42));
        // Another key (a rotation), a truncated tag, an altered payload, a click token.
        assert_eq!(key(K2).verify_unsubscribe(&t), None);
        assert_eq!(k.verify_unsubscribe(&t[..t.len() - 1]), None);
        let other = k.unsubscribe_token(43);
        let (p43, _) = other.split_once('.').expect("dot");
        let (_, tag42) = t.split_once('.').expect("dot");
        assert_eq!(k.verify_unsubscribe(&format!("{p43}.{tag42}")), None);
        let click = k.click_token(&ClickLink {
            enrollment_id: 42,
            step: 0,
            link: 0,
            url: "https://x.test/".into(),
        });
        assert_eq!(k.verify_unsubscribe(&click), None);
        for junk in [
            "",
            ".",
            "a.b",
            "....",
            "%00.%00",
            &"A".repeat(MAX_TOKEN + 1),
            "é.é",
        ] {
            assert_eq!(k.verify_unsubscribe(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn click_tokens_carry_their_target_and_refuse_anything_altered() {
        let k = key(K1);
        let link = ClickLink {
            enrollment_id: 7,
            step: 2,
            link: 1,
            url: "https://example.test/pricing?a=1&b=2#top".into(),
        };
        let t = k.click_token(&link);
        assert_eq!(k.verify_click(&t), Some(link.clone()));
        assert_eq!(key(K2).verify_click(&t), None);
        assert_eq!(k.verify_click(&k.unsubscribe_token(7)), None);
        // A payload pointing elsewhere with the old tag does not verify.
        let evil = ClickLink {
            url: "https://evil.test/".into(),
            ..link
        };
        let (evil_payload, _) = k
            .click_token(&evil)
            .split_once('.')
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .expect("dot");
        let (_, tag) = t.split_once('.').expect("dot");
        assert_eq!(k.verify_click(&format!("{evil_payload}.{tag}")), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_token_or_nothing(token in ".{0,300}", bytes in proptest::collection::vec(0u8..128, 0..300)) {
            let k = key(K1);
            let ascii = String::from_utf8_lossy(&bytes).into_owned();
            for t in [&token, &ascii] {
                proptest::prop_assert_eq!(k.verify_unsubscribe(t), None);
                proptest::prop_assert_eq!(k.verify_click(t), None);
                proptest::prop_assert_eq!(&rewrite_links(t, |u| Some(u.to_string())), t);
            }
        }
    }

    #[test]
    fn short_keys_are_refused_with_the_fix() {
        let msg = LinkKey::from_file_text("short\n").expect_err("short");
        assert!(msg.contains("check --fix"), "{msg}");
        assert!(LinkKey::from_file_text("").is_err());
    }

    fn check(text: &str, expect: &str) {
        let mut n = 0;
        let got = rewrite_links(text, |url| {
            n += 1;
            Some(format!("[{n}:{url}]"))
        });
        assert_eq!(got, expect, "{text:?}");
    }

    #[test]
    fn links_are_found_where_a_reader_sees_them() {
        check("no links here", "no links here");
        check("See https://a.test/x.", "See [1:https://a.test/x].");
        check(
            "(https://a.test/x) and http://b.test",
            "([1:https://a.test/x]) and [2:http://b.test]",
        );
        check(
            "https://w.test/wiki/Foo_(bar)",
            "[1:https://w.test/wiki/Foo_(bar)]",
        );
        check(
            "<a href=\"https://a.test/?q=1&r=2\">x</a>",
            "<a href=\"[1:https://a.test/?q=1&r=2]\">x</a>",
        );
        check("https:// alone, http://", "https:// alone, http://");
        check("Ünïcode https://a.test/ä then", "Ünïcode https://a.test/ä then");
        check(
            "end https://a.test/path?x=1!?",
            "end [1:https://a.test/path?x=1]!?",
        );
    }

    #[test]
    fn tracking_skips_our_own_links_and_numbers_the_others() {
        let links = Links {
            key: key(K1),
            public_url: "https://go.test".into(),
        };
        let unsub = links.unsubscribe_url(5);
        let body = format!("A https://a.test/ B https://b.test/ stop: {unsub}");
        let tracked = links.track_links(&body, 5, 1);
        assert!(tracked.ends_with(&unsub), "{tracked}");
        let tokens: Vec<ClickLink> = tracked
            .split_whitespace()
            .filter_map(|w| w.strip_prefix("https://go.test/c/"))
            .filter_map(|t| links.key.verify_click(t))
            .collect();
        assert_eq!(tokens.len(), 2);
        assert_eq!((tokens[0].link, tokens[0].url.as_str()), (0, "https://a.test/"));
        assert_eq!((tokens[1].link, tokens[1].step), (1, 1));
    }
}
