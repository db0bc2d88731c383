//! Sending windows: weekdays and local hours in an IANA timezone, DST-correct.
//!
//! **Invariant:** pure; every function takes the instant it reasons about.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// The weekdays and local hours in which a campaign may send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Open days, Monday first.
    days: [bool; 7],
    /// Local opening time.
    start: NaiveTime,
    /// Local closing time; `None` means midnight at the end of the day ("24:00").
    end: Option<NaiveTime>,
}

impl Default for Window {
    /// Monday to Friday, 09:00 to 17:00.
    fn default() -> Self {
        Window {
            days: [true, true, true, true, true, false, false],
            // 9:00 and 17:00 are valid times.
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(17, 0, 0),
        }
    }
}

impl Window {
    /// Builds a window. `end == None` stands for "24:00".
    ///
    /// # Errors
    /// When no day is open, or when `end` is not after `start`.
    pub fn new(days: &[Weekday], start: NaiveTime, end: Option<NaiveTime>) -> Result<Window, String> {
        let mut open = [false; 7];
        for day in days {
            open[day.num_days_from_monday() as usize] = true;
        }
        if !open.iter().any(|&d| d) {
            return Err("no day is open".to_string());
        }
        if let Some(end) = end {
            if end <= start {
                return Err(format!(
                    "end {} is not after start {}",
                    end.format("%H:%M"),
                    start.format("%H:%M")
                ));
            }
        }
        Ok(Window {
            days: open,
            start,
            end,
        })
    }

    /// Whether the window is open on this weekday.
    pub fn is_open_day(&self, day: Weekday) -> bool {
        self.days[day.num_days_from_monday() as usize]
    }

    /// Open weekdays, Monday first.
    pub fn days(&self) -> Vec<Weekday> {
        (0..7u8)
            .filter(|&i| self.days[i as usize])
            .filter_map(|i| Weekday::try_from(i).ok())
            .collect()
    }

    /// Local opening time.
    pub fn start(&self) -> NaiveTime {
        self.start
    }

    /// Local closing time; `None` is "24:00".
    pub fn end(&self) -> Option<NaiveTime> {
        self.end
    }

    /// Whether the window is open at instant `t` in zone `tz`.
    pub fn is_open_at(&self, t: DateTime<Utc>, tz: Tz) -> bool {
        let local = t.with_timezone(&tz);
        if !self.is_open_day(local.weekday()) {
            return false;
        }
        let time = local.time();
        time >= self.start && self.end.is_none_or(|end| time < end)
    }

    /// The earliest instant at or after `t` at which the window is open.
    pub fn next_open_at_or_after(&self, t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        if self.is_open_at(t, tz) {
            return t;
        }
        let today = t.with_timezone(&tz).date_naive();
        // A week and a day always contain an opening, since at least one day is open.
        for offset in 0..9u64 {
            let Some(day) = today.checked_add_days(Days::new(offset)) else {
                break;
            };
            if !self.is_open_day(day.weekday()) {
                continue;
            }
            let opening = local_instant(day, self.start, tz);
            if opening >= t && self.is_open_at(opening, tz) {
                return opening;
            }
        }
        t
    }
}

/// The instant at which the wall clock in `tz` shows `time` on `day`.
///
/// In a spring-forward gap the first valid instant after the gap is used; in an autumn
/// overlap, the earlier of the two.
pub fn local_instant(day: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = NaiveDateTime::new(day, time);
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(early, _) => early.with_timezone(&Utc),
        LocalResult::None => {
            // Walk forward minute by minute; DST gaps are at most a few hours long.
            let mut probe = naive;
            for _ in 0..(24 * 60) {
                probe += chrono::Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&naive)
        }
    }
}

/// When an out-of-office lead resumes: `buffer_days` business days after the return date, at
/// the first opening of the window on or after that day.
pub fn ooo_resume_at(return_date: NaiveDate, buffer_days: u32, window: &Window, tz: Tz) -> DateTime<Utc> {
    let mut day = crate::dates::business::add_business_days(return_date, buffer_days);
    // A return date on a weekend with no buffer still means "from that day on".
    if buffer_days == 0 {
        day = return_date;
    }
    window.next_open_at_or_after(local_instant(day, NaiveTime::MIN, tz), tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("test instant")
    }

    fn check_next(tz: Tz, at: &str, expect: &str) {
        let w = Window::default();
        assert_eq!(
            w.next_open_at_or_after(utc(at), tz),
            utc(expect),
            "next opening after {at} in {tz}"
        );
    }

    #[test]
    fn next_opening_table() {
        let ny = chrono_tz::America::New_York;
        let be = chrono_tz::Europe::Berlin;
        // Inside the window: now.
        check_next(be, "2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z");
        // Before opening: 09:00 local (CET = UTC+1).
        check_next(be, "2026-11-26T06:00:00Z", "2026-11-26T08:00:00Z");
        // After closing on Friday: Monday 09:00.
        check_next(be, "2026-11-27T17:30:00Z", "2026-11-30T08:00:00Z");
        // Spring forward in Berlin (29 March 2026): Friday after close -> Monday 09:00 CEST = 07:00Z.
        check_next(be, "2026-03-27T18:00:00Z", "2026-03-30T07:00:00Z");
        // Autumn back in Berlin (25 October 2026): Monday 09:00 CET = 08:00Z.
        check_next(be, "2026-10-23T18:00:00Z", "2026-10-26T08:00:00Z");
        // New York spring forward (8 March 2026): Monday 09:00 EDT = 13:00Z.
        check_next(ny, "2026-03-06T23:00:00Z", "2026-03-09T13:00:00Z");
        // New York fall back (1 November 2026): Monday 09:00 EST = 14:00Z.
        check_next(ny, "2026-10-30T22:00:00Z", "2026-11-02T14:00:00Z");
    }

    #[test]
    fn always_open_window() {
        let all = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ];
        let w = Window::new(&all, NaiveTime::MIN, None).expect("window");
        let t = utc("2026-11-29T03:17:00Z");
        assert!(w.is_open_at(t, chrono_tz::UTC));
        assert_eq!(w.next_open_at_or_after(t, chrono_tz::UTC), t);
    }

    #[test]
    fn gap_time_moves_forward() {
        // 02:30 does not exist in Berlin on 29 March 2026; 03:00 CEST = 01:00Z is the first valid instant.
        let d = NaiveDate::from_ymd_opt(2026, 3, 29).expect("date");
        let t = NaiveTime::from_hms_opt(2, 30, 0).expect("time");
        assert_eq!(
            local_instant(d, t, chrono_tz::Europe::Berlin),
            utc("2026-03-29T01:00:00Z")
        );
    }

    #[test]
    fn ooo_resume_is_one_business_day_after_return_at_opening() {
        let be = chrono_tz::Europe::Berlin;
        let w = Window::default();
        // Back Monday 15 June 2026 -> resume Tuesday 16 June 09:00 CEST.
        let d = NaiveDate::from_ymd_opt(2026, 6, 15).expect("date");
        assert_eq!(ooo_resume_at(d, 1, &w, be), utc("2026-06-16T07:00:00Z"));
        // Back Friday -> resume Monday.
        let d = NaiveDate::from_ymd_opt(2026, 6, 19).expect("date");
        assert_eq!(ooo_resume_at(d, 1, &w, be), utc("2026-06-22T07:00:00Z"));
    }
}
