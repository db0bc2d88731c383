//! What a reply does to the enrollments of the person who sent it (DESIGN.md "Replies" point
//! 6, and the scope rule of the lifecycle section).
//!
//! [`decide`] takes everything it needs as arguments (the category, the return date, the
//! person's enrollments with their campaigns' policies, windows and timezones, the inbound
//! message's id and the current instant) and returns the events to apply plus whether the
//! address joins the suppression list. The store then applies each event through
//! `LeadState::apply`, which refuses what the lifecycle does not allow (an automatic pause on
//! an operator's pause, a stop on a lead not contacted yet); a refusal is recorded, never an
//! error.
//!
//! **Invariant:** pure: no I/O, no clock, no logging.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::campaign::{Policy, Scope};
use crate::domain::lead::{Event, Pause, PauseReason, Source, Status, StopReason};
use crate::domain::window::{ooo_resume_at, Window};
use crate::rules::Category;

/// One enrollment of the person, as the decision needs to see it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Enrollment id.
    pub enrollment_id: i64,
    /// Whether this is the enrollment the reply belongs to (matched by thread, or the
    /// person's most recently contacted one).
    pub matched: bool,
    /// Its current status.
    pub status: Status,
    /// Its campaign's reply policy.
    pub policy: Policy,
    /// Its campaign's sending window.
    pub window: Window,
    /// The lead's timezone, else the campaign's.
    pub tz: Tz,
}

/// What one reply does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Events to apply, per enrollment id.
    pub events: Vec<(i64, Event)>,
    /// The reason to put the address on the suppression list with (`unsubscribed`,
    /// `bounced`), if it goes there.
    pub suppress: Option<&'static str>,
    /// A short word for the inbound record when nothing is applied: why not.
    pub ignored: Option<&'static str>,
}

/// The inputs of one decision besides the enrollments.
#[derive(Debug, Clone, Copy)]
pub struct Reply<'a> {
    /// The category.
    pub category: Category,
    /// The return or callback date found in the text.
    pub return_date: Option<NaiveDate>,
    /// The rule that fired, for the event rows and notes.
    pub rule: Option<&'a str>,
    /// The id of the inbound message row.
    pub inbound_id: i64,
}

/// Decides what `reply` does to the person's enrollments `candidates` at `now`.
///
/// Scope: the matched enrollment's campaign says whether the decision reaches the person's
/// other campaigns (`all_campaigns`) or not (`this_campaign`); a campaign whose own scope is
/// `this_campaign` is also left alone by replies to other campaigns. Without a matched
/// enrollment (a bounce or a sender match with no thread) every candidate counts as matched.
/// Only `in_progress` and `paused` enrollments change, except that an unsubscribe or a bounce
/// also skips enrollments not contacted yet (`launch`), as an import of a suppressed address
/// would.
pub fn decide(reply: &Reply<'_>, candidates: &[Candidate], now: DateTime<Utc>) -> Decision {
    let suppress = match reply.category {
        Category::Unsubscribe => Some("unsubscribed"),
        Category::Bounce => Some("bounced"),
        _ => None,
    };
    let any_matched = candidates.iter().any(|c| c.matched);
    let reach_all = candidates
        .iter()
        .find(|c| c.matched)
        .is_none_or(|c| c.policy.scope == Scope::AllCampaigns);
    let mut events = Vec::new();
    let mut ignored = None;
    for c in candidates {
        let is_matched = c.matched || !any_matched;
        if !is_matched && (!reach_all || c.policy.scope == Scope::ThisCampaign) {
            continue;
        }
        if c.status == Status::Launch {
            if suppress.is_some() {
                events.push((c.enrollment_id, Event::Skip));
            }
            continue;
        }
        if !matches!(c.status, Status::InProgress | Status::Paused) {
            continue;
        }
        match event_for(reply, c, now) {
            Ok(event) => events.push((c.enrollment_id, event)),
            Err(why) => ignored = ignored.or(Some(why)),
        }
    }
    let ignored = match (events.is_empty(), candidates.is_empty()) {
        (false, _) => None,
        (true, true) => Some("no enrollment"),
        (true, false) => ignored.or(Some("nothing to change")),
    };
    Decision {
        events,
        suppress,
        ignored,
    }
}

/// The event for one candidate, or why there is none.
fn event_for(reply: &Reply<'_>, c: &Candidate, now: DateTime<Utc>) -> Result<Event, &'static str> {
    let pause = |reason: PauseReason, resume_at: Option<DateTime<Utc>>, return_date: Option<NaiveDate>| {
        Event::Pause(Pause {
            paused_at: now,
            source: Source::Auto,
            reason,
            resume_at,
            return_date,
            note: reply.rule.map(|r| format!("rule {r}")),
            message_id: Some(reply.inbound_id),
        })
    };
    let stop = |reason: StopReason| Event::Stop { at: now, reason };
    let trusted = trusted_date(reply.return_date, &c.policy, c.tz, now);
    match reply.category {
        Category::OutOfOffice => Ok(match trusted {
            Some(date) => pause(
                PauseReason::OutOfOffice,
                Some(ooo_resume_at(date, c.policy.resume_buffer_days, &c.window, c.tz)),
                Some(date),
            ),
            None => {
                let default = chrono::Duration::from_std(c.policy.ooo_default_pause)
                    .unwrap_or_else(|_| chrono::Duration::days(7));
                pause(
                    PauseReason::OutOfOffice,
                    Some(c.window.next_open_at_or_after(now + default, c.tz)),
                    None,
                )
            }
        }),
        Category::Callback => match trusted {
            Some(date) => Ok(pause(
                PauseReason::Callback,
                Some(ooo_resume_at(date, 0, &c.window, c.tz)),
                Some(date),
            )),
            None if c.policy.callback_hold => Ok(pause(PauseReason::Callback, None, None)),
            None => Err("callback without a date (policy: ignore)"),
        },
        Category::Human | Category::Unsubscribe | Category::Bounce => {
            if !c.policy.stop_on.contains(reply.category.as_str()) {
                return Err("not in policy.stop_on");
            }
            Ok(stop(match reply.category {
                Category::Human => StopReason::Replied,
                Category::Unsubscribe => StopReason::Unsubscribed,
                _ => StopReason::Bounced,
            }))
        }
        Category::AutoReply => Err("auto reply"),
        // A booked meeting always ends the sequence: the next step would talk past it.
        Category::MeetingBooked => Ok(stop(StopReason::MeetingBooked)),
    }
}

/// The date, if it is one we trust: not before today in `tz`, not beyond `max_pause`.
fn trusted_date(date: Option<NaiveDate>, policy: &Policy, tz: Tz, now: DateTime<Utc>) -> Option<NaiveDate> {
    let date = date?;
    let today = now.with_timezone(&tz).date_naive();
    let max_days = i64::try_from(policy.max_pause.as_secs() / 86_400).unwrap_or(i64::MAX);
    let ahead = (date - today).num_days();
    (0..=max_days).contains(&ahead).then_some(date)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::TimeZone;

    use super::*;
    use crate::domain::lead::{Countdown, LeadState};

    /// Thursday 2027-01-07 10:00 UTC.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 7, 10, 0, 0)
            .single()
            .expect("valid")
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn cand(id: i64, matched: bool, status: Status) -> Candidate {
        Candidate {
            enrollment_id: id,
            matched,
            status,
            policy: Policy::default(),
            window: Window::default(),
            tz: chrono_tz::Europe::Berlin,
        }
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    /// One line of the table: the summary of the decision as text.
    fn check(category: Category, return_date: Option<&str>, candidates: &[Candidate], expect: &str) {
        let reply = Reply {
            category,
            return_date: return_date.map(date),
            rule: Some("r"),
            inbound_id: 42,
        };
        let d = decide(&reply, candidates, now());
        let mut parts: Vec<String> = d
            .events
            .iter()
            .map(|(id, e)| match e {
                Event::Pause(p) => format!(
                    "{id}:pause {} {} {}",
                    p.reason.as_str(),
                    p.resume_at.map_or("-".to_string(), |t| t.to_rfc3339()),
                    p.return_date.map_or("-".to_string(), |d| d.to_string())
                ),
                Event::Stop { reason, .. } => format!("{id}:stop {}", reason.as_str()),
                other => format!("{id}:{}", other.name()),
            })
            .collect();
        if let Some(s) = d.suppress {
            parts.push(format!("suppress {s}"));
        }
        if let Some(i) = d.ignored {
            parts.push(format!("ignored: {i}"));
        }
        assert_eq!(parts.join("; "), expect, "{category:?} {return_date:?}");
    }

    #[test]
    fn decisions_table() {
        use Category as C;
        use Status as S;
        let one = [cand(1, true, S::InProgress)];
        // Out of office, back Monday 11 Jan: one business day of buffer, Tuesday 09:00 Berlin.
        check(
            C::OutOfOffice,
            Some("2027-01-11"),
            &one,
            "1:pause out_of_office 2027-01-12T08:00:00+00:00 2027-01-11",
        );
        // Back on a Friday: buffer lands on Monday.
        check(
            C::OutOfOffice,
            Some("2027-01-15"),
            &one,
            "1:pause out_of_office 2027-01-18T08:00:00+00:00 2027-01-15",
        );
        // No date: seven days, at the next opening.
        check(
            C::OutOfOffice,
            None,
            &one,
            "1:pause out_of_office 2027-01-14T10:00:00+00:00 -",
        );
        // A past date or one beyond max_pause is not trusted.
        check(
            C::OutOfOffice,
            Some("2027-01-01"),
            &one,
            "1:pause out_of_office 2027-01-14T10:00:00+00:00 -",
        );
        check(
            C::OutOfOffice,
            Some("2029-01-01"),
            &one,
            "1:pause out_of_office 2027-01-14T10:00:00+00:00 -",
        );
        // Callback: until the asked date at the opening, else held for a person.
        check(
            C::Callback,
            Some("2027-01-20"),
            &one,
            "1:pause callback 2027-01-20T08:00:00+00:00 2027-01-20",
        );
        check(C::Callback, None, &one, "1:pause callback - -");
        // Stops.
        check(C::Human, None, &one, "1:stop replied");
        check(
            C::Unsubscribe,
            None,
            &one,
            "1:stop unsubscribed; suppress unsubscribed",
        );
        check(C::Bounce, None, &one, "1:stop bounced; suppress bounced");
        check(C::AutoReply, None, &one, "ignored: auto reply");
        // A paused lead is stopped by a real reply; an OOO moves its pause (the lifecycle
        // keeps an operator's pause, see below).
        check(C::Human, None, &[cand(1, true, S::Paused)], "1:stop replied");
        // Finished enrollments do not change.
        check(
            C::Human,
            None,
            &[cand(1, true, S::Completed)],
            "ignored: nothing to change",
        );
        check(
            C::Human,
            None,
            &[cand(1, true, S::Stopped)],
            "ignored: nothing to change",
        );
        // Nobody matched.
        check(C::Human, None, &[], "ignored: no enrollment");
        check(
            C::Unsubscribe,
            None,
            &[],
            "suppress unsubscribed; ignored: no enrollment",
        );
    }

    #[test]
    fn scope_table() {
        use Category as C;
        use Status as S;
        let all = [
            cand(1, true, S::InProgress),
            cand(2, false, S::InProgress),
            cand(3, false, S::Launch),
        ];
        check(C::Human, None, &all, "1:stop replied; 2:stop replied");
        // Suppression also skips leads not contacted yet.
        check(
            C::Unsubscribe,
            None,
            &all,
            "1:stop unsubscribed; 2:stop unsubscribed; 3:skip; suppress unsubscribed",
        );
        // The matched campaign says this_campaign: the others are left alone.
        let mut this = all.clone();
        this[0].policy.scope = Scope::ThisCampaign;
        check(C::Human, None, &this, "1:stop replied");
        // Another campaign opted out of cross-campaign decisions.
        let mut other = all.clone();
        other[1].policy.scope = Scope::ThisCampaign;
        check(C::Human, None, &other, "1:stop replied");
        // Nothing matched by thread (a bounce, a sender match): every enrollment counts.
        let unthreaded = [cand(1, false, S::InProgress), cand(2, false, S::Paused)];
        check(
            C::Bounce,
            None,
            &unthreaded,
            "1:stop bounced; 2:stop bounced; suppress bounced",
        );
        // Per-campaign stop_on.
        let mut keep = all.clone();
        keep[1].policy.stop_on.remove("human");
        check(C::Human, None, &keep, "1:stop replied");
        // callback_hold off: a dateless callback is ignored.
        let mut nohold = [cand(1, true, S::InProgress)];
        nohold[0].policy.callback_hold = false;
        check(
            C::Callback,
            None,
            &nohold,
            "ignored: callback without a date (policy: ignore)",
        );
        // Each campaign's own window, buffer and timezone.
        let mut ny = [cand(1, true, S::InProgress)];
        ny[0].tz = chrono_tz::America::New_York;
        ny[0].policy.resume_buffer_days = 0;
        ny[0].policy.ooo_default_pause = Duration::from_secs(86_400);
        check(
            C::OutOfOffice,
            Some("2027-01-11"),
            &ny,
            "1:pause out_of_office 2027-01-11T14:00:00+00:00 2027-01-11",
        );
    }

    #[test]
    fn automatic_pause_never_overrides_an_operator() {
        let reply = Reply {
            category: Category::OutOfOffice,
            return_date: Some(date("2027-01-11")),
            rule: Some("en-ooo"),
            inbound_id: 7,
        };
        let d = decide(&reply, &[cand(1, true, Status::Paused)], now());
        let (_, event) = d.events.first().expect("an event");
        let operator_pause = LeadState::Paused {
            steps_sent: 1,
            remaining: chrono::Duration::days(2),
            pause: Pause {
                paused_at: at("2027-01-05T10:00:00Z"),
                source: Source::Operator,
                reason: PauseReason::Manual,
                resume_at: None,
                return_date: None,
                note: None,
                message_id: None,
            },
        };
        assert!(operator_pause.apply(event).is_err());
        // An automatic pause is moved by the latest word.
        let auto_pause = LeadState::Paused {
            steps_sent: 1,
            remaining: chrono::Duration::days(2),
            pause: Pause {
                source: Source::Auto,
                reason: PauseReason::OutOfOffice,
                resume_at: Some(at("2027-01-09T08:00:00Z")),
                ..match &operator_pause {
                    LeadState::Paused { pause, .. } => pause.clone(),
                    _ => unreachable!(),
                }
            },
        };
        match auto_pause.apply(event).expect("moved") {
            LeadState::Paused { pause, .. } => {
                assert_eq!(pause.resume_at, Some(at("2027-01-12T08:00:00Z")));
                assert_eq!(pause.message_id, Some(7));
            }
            other => panic!("unexpected {other:?}"),
        }
        // And a running lead keeps its countdown in the pause.
        let running = LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Running {
                next_send_at: at("2027-01-09T10:00:00Z"),
            },
        };
        match running.apply(event).expect("paused") {
            LeadState::Paused { remaining, .. } => assert_eq!(remaining, chrono::Duration::days(2)),
            other => panic!("unexpected {other:?}"),
        }
    }
}
