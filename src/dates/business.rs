//! Business days (Monday to Friday): the one definition that return dates ("back on the next
//! working day") and resume instants (a buffer of business days after the return) share.
//!
//! **Invariant:** pure.

use chrono::{Datelike, NaiveDate, Weekday};

/// Whether `day` is a business day (Monday to Friday; no public holidays).
pub fn is_business_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The business day `n` business days after `day` (`day` itself for 0). Saturates at the end
/// of chrono's calendar.
pub fn add_business_days(day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        let Some(next) = d.succ_opt() else {
            return d;
        };
        d = next;
        if is_business_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(day: &str, n: u32, expect: &str) {
        let day: NaiveDate = day.parse().expect("date");
        assert_eq!(add_business_days(day, n).to_string(), expect, "{day} + {n}");
    }

    #[test]
    fn business_days() {
        check("2026-03-02", 0, "2026-03-02"); // Monday
        check("2026-03-02", 1, "2026-03-03");
        check("2026-03-06", 1, "2026-03-09"); // Friday -> Monday
        check("2026-03-07", 1, "2026-03-09"); // Saturday -> Monday
        check("2026-03-08", 1, "2026-03-09"); // Sunday -> Monday
        check("2026-03-06", 5, "2026-03-13");
    }
}
