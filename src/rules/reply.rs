//! Our normalised reply: what the rules look at, independent of any mail library.
//!
//! `rules::parse` builds it from raw bytes; the `[[test]]` examples of rule files build it
//! from a few fields. Nothing here knows MIME.

use chrono::{DateTime, FixedOffset};

/// A reply as the classifier sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// The sender's address, lowercase, when the `From` header has one.
    pub from: Option<String>,
    /// The sender's display name, when given.
    pub from_name: Option<String>,
    /// The decoded subject; empty when absent.
    pub subject: String,
    /// The `Date` header.
    pub date: Option<DateTime<FixedOffset>>,
    /// The `Message-ID`, without angle brackets.
    pub message_id: Option<String>,
    /// The `In-Reply-To` ids, without angle brackets.
    pub in_reply_to: Vec<String>,
    /// The `References` ids, without angle brackets.
    pub references: Vec<String>,
    /// Every top-level header as (lowercase name, unfolded raw value), in message order.
    pub headers: Vec<(String, String)>,
    /// The top-level content type, lowercase `type/subtype`.
    pub content_type: Option<String>,
    /// The RFC 3464 delivery report, when the message carries one.
    pub report: Option<DeliveryReport>,
    /// The reply's own words: plain text with quoted history and signature removed
    /// (see [`crate::rules::text::prepare`]).
    pub text: String,
    /// The size of the raw message in bytes.
    pub raw_size: usize,
    /// The first iCalendar part (`text/calendar`, `application/ics`), as text, when the
    /// message has one: a meeting answered or proposed (see `rules::meeting`).
    pub calendar: Option<String>,
}

/// The machine-readable part of a delivery status notification (RFC 3464).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The `report-type` parameter of `multipart/report`, lowercase (e.g. `delivery-status`).
    pub report_type: String,
    /// One entry per recipient block of the `message/delivery-status` part.
    pub recipients: Vec<DsnRecipient>,
}

/// One per-recipient block of a delivery status notification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DsnRecipient {
    /// `Final-Recipient`, the address only, lowercase.
    pub final_recipient: Option<String>,
    /// `Original-Recipient`, the address only, lowercase.
    pub original_recipient: Option<String>,
    /// `Action`, lowercase: `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
    pub action: Option<String>,
    /// `Status`, e.g. `5.1.1`.
    pub status: Option<String>,
    /// `Diagnostic-Code`, as written.
    pub diagnostic: Option<String>,
}

impl Reply {
    /// The first value of header `name` (lowercase), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The sender's region: the country-code top-level domain of the address, when it has one.
    pub fn sender_region(&self) -> Option<String> {
        let from = self.from.as_deref()?;
        let domain = from.rsplit_once('@')?.1;
        let tld = domain.rsplit('.').next()?.trim_end_matches('>');
        if tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Some(tld.to_ascii_lowercase());
        }
        None
    }
}

impl DeliveryReport {
    /// Whether any recipient failed permanently (`Action: failed` or a `5.x.x` status).
    pub fn has_permanent_failure(&self) -> bool {
        self.recipients.iter().any(|r| {
            r.action.as_deref() == Some("failed") || r.status.as_deref().is_some_and(|s| s.starts_with('5'))
        })
    }

    /// Whether delivery is only delayed: some recipient `delayed` or `4.x.x`, none failed.
    pub fn is_delayed_only(&self) -> bool {
        !self.has_permanent_failure()
            && self.recipients.iter().any(|r| {
                r.action.as_deref() == Some("delayed")
                    || r.status.as_deref().is_some_and(|s| s.starts_with('4'))
            })
    }
}
