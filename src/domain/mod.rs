//! The product's core types: the lead lifecycle, campaigns, templates and sending windows.
//!
//! **Invariant:** nothing here does I/O or reads the clock.

pub mod campaign;
pub mod decide;
pub mod lead;
pub mod window;

use std::fmt;

/// A syntactically valid, lowercased email address.
///
/// Lowercasing the whole address is a deliberate simplification: every provider a sales team
/// writes to treats the local part case-insensitively, and one person must map to one lead.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Validates and normalises an address.
    ///
    /// # Errors
    /// A lowercase sentence saying what is wrong.
    pub fn parse(raw: &str) -> Result<EmailAddress, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("address is empty".to_string());
        }
        if s.len() > 254 {
            return Err(format!("address {s:?} is longer than 254 characters"));
        }
        if s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        {
            return Err(format!("address {s:?} contains a space or a forbidden character"));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(format!("address {s:?} has no @"));
        };
        if local.is_empty()
            || local.contains('@')
            || local.starts_with('.')
            || local.ends_with('.')
            || local.contains("..")
        {
            return Err(format!("address {s:?} has an invalid local part"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
            })
        {
            return Err(format!("address {s:?} has an invalid domain"));
        }
        Ok(EmailAddress(s.to_lowercase()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Cuts a string to `n` characters, marking the cut: an SMTP error kept as an event note,
/// a cell of the operator's tables.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// 1-based line number of byte offset `at` in `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    #[test]
    fn addresses() {
        for ok in [
            "a@b.co",
            "First.Last+tag@Example.COM",
            "x_y@sub.example.de",
            "jörg@müller.de",
        ] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            EmailAddress::parse(" Ann@Example.com ").map(|a| a.to_string()),
            Ok("ann@example.com".into())
        );
        for bad in [
            "",
            "no-at.example.com",
            "a@b",
            "a b@c.com",
            "a@@b.com",
            "@b.com",
            "a@-b.com",
            "a@b..com",
            "a.@b.com",
            "a@b.com\r\nBcc: x@y.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }
}
