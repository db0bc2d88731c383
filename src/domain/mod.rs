//! The product's core types: the lead lifecycle, campaigns, templates and sending windows.
//!
//! **Invariant:** nothing here does I/O or reads the clock.

pub mod campaign;
pub mod decide;
pub mod lead;
pub mod link;
pub mod plan;
pub mod recipient;
pub mod window;

use std::fmt;

/// A syntactically valid, lowercased email address that we can send to.
///
/// Lowercasing the whole address is a deliberate simplification: every provider a sales team
/// writes to treats the local part case-insensitively, and one person must map to one lead.
///
/// An address is checked once, here, against what sending can do: an internationalised
/// domain (`bücher.example`) is kept in its ASCII (punycode, IDNA 2008/UTS 46) form, which
/// every SMTP server takes; a non-ASCII local part (`müller@…`) is refused, because it needs
/// SMTPUTF8 end to end, which cadenced does not send (a refusal at import names the address
/// and the reason; accepting it would leave the lead waiting at every send).
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
        if !local.is_ascii() {
            return Err(format!(
                "address {s:?} has a non-ASCII local part, which needs SMTPUTF8 (not supported): ask for an ASCII address"
            ));
        }
        // Internationalised domains go out in their ASCII form (punycode); the check below
        // then sees what the SMTP server will see.
        let ascii_domain = match idna::domain_to_ascii(domain) {
            Ok(d) if !d.is_empty() => d,
            _ => return Err(format!("address {s:?} has an invalid domain")),
        };
        let domain = ascii_domain.as_str();
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels.iter().any(|l| {
                l.is_empty()
                    || l.starts_with('-')
                    || l.ends_with('-')
                    || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        {
            return Err(format!("address {s:?} has an invalid domain"));
        }
        if local.len() > 64 {
            return Err(format!(
                "address {s:?} has a local part longer than 64 characters"
            ));
        }
        Ok(EmailAddress(format!("{}@{domain}", local.to_lowercase())))
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
        for ok in ["a@b.co", "First.Last+tag@Example.COM", "x_y@sub.example.de"] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok}");
        }
        // Internationalised domains are kept in the ASCII form SMTP servers take.
        assert_eq!(
            EmailAddress::parse("user@Bücher.test").map(|a| a.to_string()),
            Ok("user@xn--bcher-kva.test".into())
        );
        // A non-ASCII local part needs SMTPUTF8: refused, with the reason.
        let err = EmailAddress::parse("jörg@müller.de").expect_err("refused");
        assert!(err.contains("SMTPUTF8"), "{err}");
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
            "a@b\u{0}.com",
            "a\u{0}@b.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
    }
}
