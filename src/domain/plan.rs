//! The send planner: what to do now with one enrollment whose step is due. The scheduler
//! fetches the inputs (the due row, the campaign's spec, what the mailbox sent today and when
//! it may send again, a random number), calls [`plan`] and performs the result (a deferral,
//! a wait, a claim and a send); the window, the daily cap, the minimum gap and its jitter are
//! decided here, where table tests reach them without a mail server.
//!
//! **Invariant:** pure: no I/O, no clock (the instant is an argument), no randomness (the
//! random number is an argument).

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::domain::campaign::CampaignSpec;
use crate::domain::window::local_instant;

/// The enrollment whose step is due, as the planner needs it.
#[derive(Debug, Clone)]
pub struct Due<'a> {
    /// The step to send (0-based): the number of steps sent so far.
    pub step_idx: usize,
    /// When the step falls due ([`CampaignSpec::step_due`]).
    pub step_due: DateTime<Utc>,
    /// The row's `due_at`: a retry or an earlier deferral can only move the step later.
    pub due_at: DateTime<Utc>,
    /// The lead's own zone, if known; else the campaign's.
    pub lead_tz: Option<Tz>,
    /// The lead's fields as templates see them.
    pub fields: &'a BTreeMap<String, String>,
}

/// What the mailbox has done lately, for the cap and the gap.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    /// Sends from the mailbox since midnight (the campaign's zone), when the campaign has a
    /// daily cap; not read otherwise.
    pub sent_today: i64,
    /// The earliest the mailbox may send again (the last send plus its gap); `None`: now.
    pub next_allowed: Option<DateTime<Utc>>,
    /// A random number for the jitter of the next gap.
    pub random: u64,
}

/// Why a step waits for a later instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeferReason {
    /// Its countdown has not ended, or the window is closed: the next opening.
    Window,
    /// The mailbox reached its daily cap: the window's first opening tomorrow.
    DailyCap,
}

/// What to do with a due step now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Not before `until`: the row's `due_at` moves there.
    Defer {
        /// The instant to look again.
        until: DateTime<Utc>,
        /// Why: a closed window (or a countdown not ended yet), or the daily cap.
        reason: DeferReason,
    },
    /// The mailbox must wait until `until` (minimum gap): nothing more goes out from it in
    /// this round.
    Wait {
        /// When the gap ends.
        until: DateTime<Utc>,
    },
    /// The campaign has no step `step_idx` although the lead is not completed.
    NoStep,
    /// A template uses `field`, which the lead does not have: held for a person.
    Unsendable {
        /// The missing field.
        field: String,
    },
    /// Send it now.
    Send(Send),
}

/// A step to send now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Send {
    /// The rendered subject.
    pub subject: String,
    /// The rendered body.
    pub body: String,
    /// Whether it replies in the previous step's thread.
    pub in_thread: bool,
    /// The delay before the step after it, `None` after the last.
    pub next_delay: Option<chrono::Duration>,
    /// When the mailbox may send again (this send plus the minimum gap and its jitter);
    /// `None` without a minimum gap.
    pub next_allowed: Option<DateTime<Utc>>,
}

/// What to do now with the due step `due` of a campaign `spec`, given the mailbox's `pacing`.
/// Checked in order: the window (in the lead's zone), the daily cap, the templates, the
/// minimum gap.
pub fn plan(due: &Due<'_>, spec: &CampaignSpec, pacing: &Pacing, now: DateTime<Utc>) -> Plan {
    let Some(step) = spec.steps.get(due.step_idx) else {
        return Plan::NoStep;
    };
    let tz = due.lead_tz.unwrap_or(spec.timezone);
    let earliest = due.step_due.max(due.due_at).max(now);
    let opening = spec.window.next_open_at_or_after(earliest, tz);
    if opening > now {
        return Plan::Defer {
            until: opening,
            reason: DeferReason::Window,
        };
    }
    if let Some(cap) = spec.limits.daily_cap {
        if pacing.sent_today >= i64::from(cap) {
            let today = now.with_timezone(&spec.timezone).date_naive();
            let tomorrow = today.checked_add_days(Days::new(1)).unwrap_or(today);
            return Plan::Defer {
                until: spec
                    .window
                    .next_open_at_or_after(local_instant(tomorrow, NaiveTime::MIN, spec.timezone), tz),
                reason: DeferReason::DailyCap,
            };
        }
    }
    let rendered = step
        .subject
        .render(due.fields)
        .and_then(|s| step.body.render(due.fields).map(|b| (s, b)));
    let (subject, body) = match rendered {
        Ok(sb) => sb,
        Err(field) => return Plan::Unsendable { field },
    };
    let next_allowed = if spec.limits.min_gap.is_zero() {
        None
    } else {
        let allowed = pacing.next_allowed.unwrap_or(now);
        if allowed > now {
            return Plan::Wait { until: allowed };
        }
        let jitter_ms = match spec.limits.jitter.as_millis() {
            0 => 0,
            max => pacing.random % (u64::try_from(max).unwrap_or(u64::MAX - 1) + 1),
        };
        Some(
            now + chrono::Duration::from_std(spec.limits.min_gap).unwrap_or_default()
                + chrono::Duration::milliseconds(i64::try_from(jitter_ms).unwrap_or(i64::MAX)),
        )
    };
    Plan::Send(Send {
        subject,
        body,
        in_thread: step.thread,
        next_delay: spec
            .steps
            .get(due.step_idx + 1)
            .map(|s| chrono::Duration::from_std(s.delay).unwrap_or_default()),
        next_allowed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::campaign::parse_campaign;

    /// A campaign in Europe/Berlin, window Monday to Friday 09:00 to 17:00, with `extra`
    /// lines (limits) and two steps two days apart.
    fn spec(limits: &str) -> CampaignSpec {
        let text = format!(
            "name = \"c\"\nmailbox = \"m\"\ntimezone = \"Europe/Berlin\"\n\
             window = {{ days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], start = \"09:00\", end = \"17:00\" }}\n\
             {limits}\n\
             [[step]]\ndelay = \"0s\"\nsubject = \"Hi {{{{first_name}}}}\"\nbody = \"Hello\"\n\
             [[step]]\ndelay = \"2d\"\nthread = true\nbody = \"Again\"\n"
        );
        parse_campaign("c.toml", &text).expect("campaign").1
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("time").with_timezone(&Utc)
    }

    struct Case<'a> {
        limits: &'a str,
        now: &'a str,
        step_due: &'a str,
        lead_tz: Option<Tz>,
        sent_today: i64,
        next_allowed: Option<&'a str>,
        random: u64,
    }

    const BASE: Case<'static> = Case {
        limits: "",
        now: "2026-03-02T10:00:00Z", // Monday 11:00 in Berlin
        step_due: "2026-03-02T08:00:00Z",
        lead_tz: None,
        sent_today: 0,
        next_allowed: None,
        random: 0,
    };

    /// The plan for `case`, in one line: `send`, `send next=<rfc3339>`, `defer window <t>`,
    /// `defer cap <t>`, `wait <t>`, `unsendable <field>`, `no step`.
    fn check(case: Case<'_>, expect: &str) {
        let mut fields = BTreeMap::new();
        fields.insert("first_name".to_string(), "Ada".to_string());
        let now = utc(case.now);
        let due = Due {
            step_idx: 0,
            step_due: utc(case.step_due),
            due_at: utc(case.step_due),
            lead_tz: case.lead_tz,
            fields: &fields,
        };
        let pacing = Pacing {
            sent_today: case.sent_today,
            next_allowed: case.next_allowed.map(utc),
            random: case.random,
        };
        let fmt = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let got = match plan(&due, &spec(case.limits), &pacing, now) {
            Plan::Send(s) => match s.next_allowed {
                None => "send".to_string(),
                Some(t) => format!("send next={}", fmt(t)),
            },
            Plan::Defer {
                until,
                reason: DeferReason::Window,
            } => format!("defer window {}", fmt(until)),
            Plan::Defer {
                until,
                reason: DeferReason::DailyCap,
            } => format!("defer cap {}", fmt(until)),
            Plan::Wait { until } => format!("wait {}", fmt(until)),
            Plan::Unsendable { field } => format!("unsendable {field}"),
            Plan::NoStep => "no step".to_string(),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn window() {
        check(BASE, "send");
        // Before the opening in Berlin (08:30 local): the opening.
        check(
            Case {
                now: "2026-03-02T07:30:00Z",
                ..BASE
            },
            "defer window 2026-03-02T08:00:00.000Z",
        );
        // After the close on Friday: Monday's opening.
        check(
            Case {
                now: "2026-03-06T16:30:00Z",
                step_due: "2026-03-06T16:30:00Z",
                ..BASE
            },
            "defer window 2026-03-09T08:00:00.000Z",
        );
        // A countdown that ends later: its end, when the window is open then.
        check(
            Case {
                step_due: "2026-03-03T12:00:00Z",
                ..BASE
            },
            "defer window 2026-03-03T12:00:00.000Z",
        );
        // The lead's zone wins over the campaign's: 10:00 UTC is 05:00 in New York.
        check(
            Case {
                lead_tz: Some(chrono_tz::America::New_York),
                ..BASE
            },
            "defer window 2026-03-02T14:00:00.000Z",
        );
    }

    #[test]
    fn window_across_dst() {
        // Berlin moves to summer time on Sunday 29 March 2026: 09:00 local is 08:00 UTC on the
        // Friday before and 07:00 UTC on the Monday after.
        check(
            Case {
                now: "2026-03-27T07:30:00Z",
                step_due: "2026-03-27T07:30:00Z",
                ..BASE
            },
            "defer window 2026-03-27T08:00:00.000Z",
        );
        check(
            Case {
                now: "2026-03-27T16:30:00Z",
                step_due: "2026-03-27T16:30:00Z",
                ..BASE
            },
            "defer window 2026-03-30T07:00:00.000Z",
        );
        // And back on Sunday 25 October: Monday's 09:00 is 08:00 UTC again.
        check(
            Case {
                now: "2026-10-23T15:30:00Z",
                step_due: "2026-10-23T15:30:00Z",
                ..BASE
            },
            "defer window 2026-10-26T08:00:00.000Z",
        );
    }

    #[test]
    fn daily_cap() {
        let limits = "[limits]\ndaily_cap = 2";
        check(
            Case {
                limits,
                sent_today: 1,
                ..BASE
            },
            "send",
        );
        // Reached: tomorrow's opening (Tuesday 09:00 Berlin).
        check(
            Case {
                limits,
                sent_today: 2,
                ..BASE
            },
            "defer cap 2026-03-03T08:00:00.000Z",
        );
        // Reached on a Friday: Monday's opening, across the DST change.
        check(
            Case {
                limits,
                sent_today: 2,
                now: "2026-03-27T10:00:00Z",
                step_due: "2026-03-27T10:00:00Z",
                ..BASE
            },
            "defer cap 2026-03-30T07:00:00.000Z",
        );
        // The window comes first: a closed window defers whatever the count.
        check(
            Case {
                limits,
                sent_today: 5,
                now: "2026-03-02T07:30:00Z",
                ..BASE
            },
            "defer window 2026-03-02T08:00:00.000Z",
        );
    }

    #[test]
    fn minimum_gap_and_jitter() {
        let limits = "[limits]\nmin_gap = \"2m\"\njitter = \"30s\"";
        // Free to send: the next send is the gap plus up to 30 s of jitter later.
        check(Case { limits, ..BASE }, "send next=2026-03-02T10:02:00.000Z");
        check(
            Case {
                limits,
                random: 12_345,
                ..BASE
            },
            "send next=2026-03-02T10:02:12.345Z",
        );
        check(
            Case {
                limits,
                random: 30_000,
                ..BASE
            },
            "send next=2026-03-02T10:02:30.000Z",
        );
        check(
            Case {
                limits,
                random: 30_001,
                ..BASE
            },
            "send next=2026-03-02T10:02:00.000Z",
        );
        // The gap has not ended: the mailbox waits.
        check(
            Case {
                limits,
                next_allowed: Some("2026-03-02T10:01:00Z"),
                ..BASE
            },
            "wait 2026-03-02T10:01:00.000Z",
        );
        check(
            Case {
                limits,
                next_allowed: Some("2026-03-02T10:00:00Z"),
                ..BASE
            },
            "send next=2026-03-02T10:02:00.000Z",
        );
        // On the first morning of summer time (09:00 Berlin is 07:00 UTC) the gap and its
        // jitter are elapsed time, as any other day.
        check(
            Case {
                limits,
                now: "2026-03-30T07:00:00Z",
                step_due: "2026-03-30T07:00:00Z",
                random: 7,
                ..BASE
            },
            "send next=2026-03-30T07:02:00.007Z",
        );
        check(
            Case {
                limits,
                now: "2026-03-30T07:00:00Z",
                step_due: "2026-03-30T07:00:00Z",
                next_allowed: Some("2026-03-30T07:01:30Z"),
                ..BASE
            },
            "wait 2026-03-30T07:01:30.000Z",
        );
    }

    #[test]
    fn templates_and_steps() {
        let mut fields = BTreeMap::new();
        fields.insert("company".to_string(), "Acme".to_string());
        let due = Due {
            step_idx: 0,
            step_due: utc(BASE.step_due),
            due_at: utc(BASE.step_due),
            lead_tz: None,
            fields: &fields,
        };
        let pacing = Pacing {
            sent_today: 0,
            next_allowed: None,
            random: 0,
        };
        let spec = spec("");
        assert_eq!(
            plan(&due, &spec, &pacing, utc(BASE.now)),
            Plan::Unsendable {
                field: "first_name".to_string()
            }
        );
        let last = Due {
            step_idx: 2,
            ..due.clone()
        };
        assert_eq!(plan(&last, &spec, &pacing, utc(BASE.now)), Plan::NoStep);
        let mut all = fields.clone();
        all.insert("first_name".to_string(), "Ada".to_string());
        let due = Due { fields: &all, ..due };
        match plan(&due, &spec, &pacing, utc(BASE.now)) {
            Plan::Send(s) => {
                assert_eq!(
                    (s.subject.as_str(), s.body.as_str(), s.in_thread),
                    ("Hi Ada", "Hello", false)
                );
                assert_eq!(s.next_delay, Some(chrono::Duration::days(2)));
            }
            other => panic!("{other:?}"),
        }
    }
}
