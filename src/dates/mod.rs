//! Return-date extraction (stub: replaced by the real extractor).

use std::ops::Range;

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

/// A language the shipped rules and the date extractor understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Dutch.
    Nl,
    /// Portuguese.
    Pt,
}

/// What the extractor needs to know besides the text.
#[derive(Debug, Clone)]
pub struct DateContext {
    /// The reply's `Date` header: "tomorrow" and missing years are relative to it.
    pub received_at: DateTime<FixedOffset>,
    /// The lead's timezone: the reference day is `received_at` seen in this zone.
    pub tz: Tz,
    /// The language of the rule that fired, when known.
    pub lang: Option<Lang>,
    /// The sender's region as a lowercase country code (from the address's TLD), when known.
    pub region: Option<String>,
    /// Dates further ahead than this many days are not trusted.
    pub max_ahead_days: i64,
}

/// A return date found in a reply, with the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnDate {
    /// The first day the person is certainly back.
    pub date: NaiveDate,
    /// Byte range of the evidence in the text given to the extractor.
    pub span: Range<usize>,
    /// The evidence itself, as it stands in the text.
    pub evidence: String,
}

/// Finds the first day the writer is certainly back (stub).
pub fn extract_return_date(_text: &str, _ctx: &DateContext) -> Option<ReturnDate> {
    None
}
