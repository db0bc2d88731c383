//! What a reply does (DESIGN.md "Replies" point 6, and the scope rule of the lifecycle
//! section).
//!
//! The watcher reads a message's facts from the store ([`ReplyFacts`]: whether it is already
//! recorded, the person and enrollment it belongs to, a step it answers that is not recorded
//! as sent yet, the person's enrollments with their campaigns), and [`decide_reply`] turns
//! them and the message's verdict into a [`ReplyDecision`]: record it or not, the step to
//! record as sent first, the events to apply, the address to suppress. The store applies that
//! decision in one transaction, each event through `LeadState::apply`, which refuses what the
//! lifecycle does not allow (an automatic pause on an operator's pause, a stop on a lead not
//! contacted yet); a refusal is recorded, never an error. [`decide`] is the part about the
//! person's enrollments.
//!
//! **Invariant:** pure: no I/O, no clock, no logging.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::campaign::{CampaignSpec, Policy, Scope, UnreadableCampaign};
use crate::domain::lead::{Event, LeadState, Pause, PauseReason, Source, Status, StopReason};
use crate::domain::window::{ooo_resume_at, Window};
use crate::rules::Category;

/// How a message was tied to a person (stored in `inbound_messages.matched_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    /// Its `In-Reply-To`/`References` (or a bounce's original Message-ID) name one of our sends.
    Thread,
    /// A bounce names the person's address as the recipient that failed.
    Recipient,
    /// Its sender is the person.
    Sender,
    /// A scheduler's booking confirmation names the person.
    Named,
    /// Its sender's domain is that of the only person of that domain we mailed.
    Domain,
}

impl MatchedBy {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Thread => "thread",
            MatchedBy::Recipient => "recipient",
            MatchedBy::Sender => "sender",
            MatchedBy::Named => "named",
            MatchedBy::Domain => "domain",
        }
    }
}

/// The person a message is about, as the store found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The person's row id: whose running enrollments the decision reaches.
    pub lead_id: i64,
    /// Their address: what joins the suppression list on an unsubscribe.
    pub email: String,
    /// Their own zone, when it was imported: their dates are read in it.
    pub timezone: Option<Tz>,
    /// The enrollment the message belongs to: the thread's, else the person's most recently
    /// mailed one (none when we never mailed them).
    pub enrollment_id: Option<i64>,
    /// How the match was made.
    pub by: MatchedBy,
}

/// A step that the message answers although its send is not recorded as sent (still in
/// flight, left uncertain by a crash, or failed in a way that hid its delivery).
#[derive(Debug, Clone, PartialEq)]
pub struct Unrecorded {
    /// The send's row id: what is recorded as sent.
    pub send_id: i64,
    /// Its enrollment, which gets the `StepSent` before the reply's own event.
    pub enrollment_id: i64,
    /// The step's index (0 is the first step).
    pub step: usize,
    /// When it was claimed: recorded as its sending time, as `mark_sent` would.
    pub claimed_at: DateTime<Utc>,
    /// Its campaign, which says when the next step falls due.
    pub campaign: Result<CampaignSpec, UnreadableCampaign>,
}

/// One enrollment of the person in a running (active or paused) campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Enrolled {
    /// The enrollment's row id: what the decision's events name.
    pub enrollment_id: i64,
    /// Its state as read.
    pub state: LeadState,
    /// Its campaign: the policy, window and zone the decision uses.
    pub campaign: Result<CampaignSpec, UnreadableCampaign>,
}

/// What the store knows about a message before anything is decided.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplyFacts {
    /// Already recorded (same UID, or same Message-ID in the mailbox after a `UIDVALIDITY`
    /// change).
    pub duplicate: bool,
    /// The person it is about, if any.
    pub matched: Option<Matched>,
    /// The step it answers that is not recorded as sent yet.
    pub unrecorded: Option<Unrecorded>,
    /// The person's enrollments in running campaigns, by id.
    pub enrollments: Vec<Enrolled>,
}

impl ReplyFacts {
    /// The zone to read the message's dates in: the person's own, else the campaign of the
    /// enrollment it belongs to, else that of the person's first readable enrollment; `None`
    /// (the daemon's zone) for a message about nobody.
    pub fn timezone(&self) -> Option<Tz> {
        let m = self.matched.as_ref()?;
        if m.timezone.is_some() {
            return m.timezone;
        }
        let readable = |e: &&Enrolled| e.campaign.is_ok();
        let belongs = self
            .enrollments
            .iter()
            .filter(readable)
            .find(|e| Some(e.enrollment_id) == m.enrollment_id);
        let unrecorded = self.unrecorded.as_ref().and_then(|u| u.campaign.as_ref().ok());
        belongs
            .or_else(|| self.enrollments.iter().find(readable))
            .and_then(|e| e.campaign.as_ref().ok())
            .or(unrecorded)
            .map(|spec| spec.timezone)
    }
}

/// What the rules made of a message: the inputs of [`decide_reply`] besides the facts.
#[derive(Debug, Clone, Copy)]
pub struct Verdict<'a> {
    /// The category; `None` when the message could not be read.
    pub category: Option<Category>,
    /// The return or callback date found in the text, in the person's zone.
    pub return_date: Option<NaiveDate>,
    /// The rule that fired, for the event notes.
    pub rule: Option<&'a str>,
    /// The sender's address, lowercased, unless it is the mailbox's own: what joins the
    /// suppression list on an unsubscribe from someone we never mailed.
    pub from: Option<&'a str>,
    /// For a bounce, the recipient that failed: what joins the suppression list.
    pub bounced_recipient: Option<&'a str>,
}

/// The answered step, settled before the reply acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    /// Record the send as sent and apply `event` (a `StepSent`) to its enrollment, so that
    /// the reply acts on the lead as it really is.
    Record {
        /// The send's row id: what is recorded as sent.
        send_id: i64,
        /// Its enrollment, which gets `event`.
        enrollment_id: i64,
        /// The step's index (0 is the first), for the inbound record's words.
        step: usize,
        /// The `StepSent` event.
        event: Event,
    },
    /// Leave the send as it is: its campaign no longer parses, so nobody can say when the
    /// next step falls due (never completed by a parse error).
    Leave {
        /// The step's index (0 is the first), for the inbound record's words.
        step: usize,
        /// Why, for the inbound record.
        why: String,
    },
}

/// What recording one message does, in the order the store applies it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    /// The answered step to settle first.
    pub settle: Option<Settle>,
    /// Words for the inbound record before the events' outcomes (`unreadable`, `unmatched`,
    /// `left as is: …`).
    pub notes: Vec<String>,
    /// Events to apply, per enrollment id, each tied to the message by the store.
    pub events: Vec<(i64, Event)>,
    /// Why nothing is applied, when so.
    pub ignored: Option<&'static str>,
    /// The address to put on the suppression list and the reason (`unsubscribed`, `bounced`).
    pub suppress: Option<(String, &'static str)>,
}

/// What to do with one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyDecision {
    /// Already recorded: only the checkpoint moves past it.
    Duplicate,
    /// Record it and apply its effects.
    Record(Effects),
}

/// Decides what a message with `verdict` does, given what the store knows of it (`facts`) at
/// `now`.
///
/// A message in the thread of a step whose send is not recorded proves that the step reached
/// the lead (a bounce proves nothing of the kind): the step is recorded first and the reply
/// then acts on the lead as that leaves it. Otherwise a reply to a first step would find a
/// lead "not contacted yet" and be ignored (a stop or a pause lost), and recording the send
/// later would start the countdown to a step the person asked not to get.
///
/// An unmatched unsubscribe or bounce still puts the address it names on the suppression
/// list. An enrollment whose campaign no longer parses has no policy to decide with: it is
/// left as it is, and the record says so.
pub fn decide_reply(verdict: &Verdict<'_>, facts: &ReplyFacts, now: DateTime<Utc>) -> ReplyDecision {
    if facts.duplicate {
        return ReplyDecision::Duplicate;
    }
    let mut effects = Effects::default();
    let Some(category) = verdict.category else {
        // Nothing to act with (and a message that could not be read names no thread).
        effects.notes.push("unreadable".to_string());
        return ReplyDecision::Record(effects);
    };
    // The answered step, and the status its enrollment has once it is recorded.
    let mut settled: Option<(i64, Status)> = None;
    if let Some(u) = facts.unrecorded.as_ref().filter(|_| category != Category::Bounce) {
        effects.settle = Some(match &u.campaign {
            Err(e) => Settle::Leave {
                step: u.step,
                why: e.to_string(),
            },
            Ok(spec) => {
                let event = Event::StepSent {
                    at: u.claimed_at,
                    next_due: spec.next_due(u.step, u.claimed_at),
                };
                // Stopped or completed meanwhile: the send is recorded, the state stays (as
                // in `mark_sent`).
                settled = facts
                    .enrollments
                    .iter()
                    .find(|e| e.enrollment_id == u.enrollment_id)
                    .map(|e| {
                        let after = e.state.apply(&event).unwrap_or_else(|_| e.state.clone());
                        (e.enrollment_id, after.status())
                    });
                Settle::Record {
                    send_id: u.send_id,
                    enrollment_id: u.enrollment_id,
                    step: u.step,
                    event,
                }
            }
        });
    }
    let suppress_reason = match category {
        Category::Unsubscribe => Some("unsubscribed"),
        Category::Bounce => Some("bounced"),
        _ => None,
    };
    let Some(m) = &facts.matched else {
        effects.notes.push("unmatched".to_string());
        // An unsubscribe or bounce names an address even when we never mailed it from here;
        // it still joins the list.
        let address = match category {
            Category::Bounce => verdict.bounced_recipient,
            _ => verdict.from,
        };
        effects.suppress = suppress_reason.zip(address).map(|(r, a)| (a.to_string(), r));
        return ReplyDecision::Record(effects);
    };
    let mut candidates = Vec::with_capacity(facts.enrollments.len());
    for e in &facts.enrollments {
        let spec = match &e.campaign {
            Ok(spec) => spec,
            Err(why) => {
                effects.notes.push(format!("left as is: {why}"));
                continue;
            }
        };
        let status = match settled {
            Some((id, status)) if id == e.enrollment_id => status,
            _ => e.state.status(),
        };
        candidates.push(Candidate {
            enrollment_id: e.enrollment_id,
            matched: Some(e.enrollment_id) == m.enrollment_id,
            status,
            policy: spec.policy.clone(),
            window: spec.window.clone(),
            tz: m.timezone.unwrap_or(spec.timezone),
        });
    }
    let decision = decide(
        &Reply {
            category,
            return_date: verdict.return_date,
            rule: verdict.rule,
        },
        &candidates,
        now,
    );
    effects.events = decision.events;
    effects.ignored = decision.ignored;
    effects.suppress = decision.suppress.map(|reason| {
        let address = match category {
            Category::Bounce => verdict.bounced_recipient.unwrap_or(&m.email),
            _ => &m.email,
        };
        (address.to_string(), reason)
    });
    ReplyDecision::Record(effects)
}

/// One enrollment of the person, as the decision needs to see it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The enrollment's row id: what the decision's events name.
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
    /// What the rules made of the reply: the first thing the decision looks at.
    pub category: Category,
    /// The return or callback date found in the text.
    pub return_date: Option<NaiveDate>,
    /// The rule that fired, for the event rows and notes.
    pub rule: Option<&'a str>,
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
            // The message has no row yet: the store ties the event to it (`Event::caused_by`).
            message_id: None,
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
    use crate::domain::campaign::parse_campaign;
    use crate::domain::lead::Countdown;

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
        };
        let d = decide(&reply, &[cand(1, true, Status::Paused)], now());
        let (_, event) = d.events.first().expect("an event");
        // The store ties the event to the message's row once it has one.
        let event = &event.clone().caused_by(7);
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

    /// A campaign (always open, UTC, two steps a day apart) as stored; `name = 1` does not
    /// parse.
    fn campaign(text_ok: bool) -> Result<CampaignSpec, UnreadableCampaign> {
        let text = "name = \"q1\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n\
                    window = { days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"], start = \"00:00\", end = \"24:00\" }\n\
                    [[step]]\ndelay = \"0s\"\nsubject = \"Hi\"\nbody = \"Hello\"\n\
                    [[step]]\ndelay = \"1d\"\nthread = true\nbody = \"Again\"\n";
        match text_ok {
            true => Ok(parse_campaign("q1", text).expect("campaign").1),
            false => Err(UnreadableCampaign {
                campaign: "q1".into(),
                error: "bad".into(),
            }),
        }
    }

    fn launch() -> LeadState {
        LeadState::Launch
    }

    fn running() -> LeadState {
        LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Running {
                next_send_at: at("2027-01-08T10:00:00Z"),
            },
        }
    }

    fn enrolled(id: i64, state: LeadState) -> Enrolled {
        Enrolled {
            enrollment_id: id,
            state,
            campaign: campaign(true),
        }
    }

    fn person(enrollment_id: Option<i64>, by: MatchedBy) -> Option<Matched> {
        Some(Matched {
            lead_id: 9,
            email: "ada@lead.test".into(),
            timezone: None,
            enrollment_id,
            by,
        })
    }

    fn unrecorded(ok: bool) -> Option<Unrecorded> {
        Some(Unrecorded {
            send_id: 5,
            enrollment_id: 1,
            step: 0,
            claimed_at: at("2027-01-07T09:00:00Z"),
            campaign: campaign(ok),
        })
    }

    /// One line of the whole-reply table: the decision as text.
    fn check_reply(category: Option<Category>, facts: &ReplyFacts, expect: &str) {
        let verdict = Verdict {
            category,
            return_date: None,
            rule: Some("r"),
            from: Some("someone@else.test"),
            bounced_recipient: Some("gone@lead.test"),
        };
        let effects = match decide_reply(&verdict, facts, now()) {
            ReplyDecision::Duplicate => return assert_eq!("duplicate", expect),
            ReplyDecision::Record(effects) => effects,
        };
        let mut parts: Vec<String> = Vec::new();
        match &effects.settle {
            Some(Settle::Record {
                send_id,
                event: Event::StepSent { at, next_due },
                ..
            }) => parts.push(format!(
                "record send {send_id} at {} next {}",
                at.to_rfc3339(),
                next_due.map_or("-".to_string(), |t| t.to_rfc3339())
            )),
            Some(Settle::Leave { why, .. }) => parts.push(format!("leave send: {why}")),
            Some(other) => parts.push(format!("{other:?}")),
            None => {}
        }
        parts.extend(effects.notes.iter().cloned());
        parts.extend(effects.events.iter().map(|(id, e)| format!("{id}:{}", e.name())));
        if let Some(why) = effects.ignored {
            parts.push(format!("ignored: {why}"));
        }
        if let Some((address, reason)) = &effects.suppress {
            parts.push(format!("suppress {address} {reason}"));
        }
        assert_eq!(parts.join("; "), expect, "{category:?} {facts:?}");
    }

    #[test]
    fn whole_reply_table() {
        use Category as C;
        let none = ReplyFacts::default();
        check_reply(
            Some(C::Human),
            &ReplyFacts {
                duplicate: true,
                ..ReplyFacts::default()
            },
            "duplicate",
        );
        check_reply(None, &none, "unreadable");
        // Nobody matched: an unsubscribe suppresses the sender, a bounce the failed recipient.
        check_reply(Some(C::Human), &none, "unmatched");
        check_reply(
            Some(C::Unsubscribe),
            &none,
            "unmatched; suppress someone@else.test unsubscribed",
        );
        check_reply(
            Some(C::Bounce),
            &none,
            "unmatched; suppress gone@lead.test bounced",
        );
        // Matched: the person's address is suppressed (a bounce's failed recipient).
        let one = ReplyFacts {
            matched: person(Some(1), MatchedBy::Thread),
            enrollments: vec![enrolled(1, running())],
            ..ReplyFacts::default()
        };
        check_reply(Some(C::Human), &one, "1:stop");
        check_reply(
            Some(C::Unsubscribe),
            &one,
            "1:stop; suppress ada@lead.test unsubscribed",
        );
        check_reply(Some(C::Bounce), &one, "1:stop; suppress gone@lead.test bounced");
        check_reply(Some(C::AutoReply), &one, "ignored: auto reply");
        // The sender matched, nothing mailed: no enrollment is the matched one, all count.
        let by_sender = ReplyFacts {
            matched: person(None, MatchedBy::Sender),
            enrollments: vec![enrolled(1, running()), enrolled(2, running())],
            ..ReplyFacts::default()
        };
        check_reply(Some(C::Human), &by_sender, "1:stop; 2:stop");
        // A campaign that no longer parses leaves its lead as it is, and says so.
        let mut unreadable = by_sender.clone();
        unreadable.enrollments[1].campaign = campaign(false);
        check_reply(
            Some(C::Human),
            &unreadable,
            "left as is: campaign \"q1\" as stored does not parse (bad); apply its file again; 1:stop",
        );
        // A reply to a first step not recorded yet: recorded first (claimed at 09:00, next
        // step a day later), then the lead, in progress now, is stopped.
        let answered = ReplyFacts {
            matched: person(Some(1), MatchedBy::Thread),
            unrecorded: unrecorded(true),
            enrollments: vec![enrolled(1, launch())],
            ..ReplyFacts::default()
        };
        check_reply(
            Some(C::Human),
            &answered,
            "record send 5 at 2027-01-07T09:00:00+00:00 next 2027-01-08T09:00:00+00:00; 1:stop",
        );
        // Without the step recorded, the lead would still be "launch": nothing to stop.
        let not_settled = ReplyFacts {
            unrecorded: None,
            ..answered.clone()
        };
        check_reply(Some(C::Human), &not_settled, "ignored: nothing to change");
        // A bounce proves no delivery; an unreadable campaign cannot say when the next step
        // falls due.
        check_reply(
            Some(C::Bounce),
            &answered,
            "1:skip; suppress gone@lead.test bounced",
        );
        let unparsable = ReplyFacts {
            unrecorded: unrecorded(false),
            ..answered.clone()
        };
        check_reply(
            Some(C::Human),
            &unparsable,
            "leave send: campaign \"q1\" as stored does not parse (bad); apply its file again; ignored: nothing to change",
        );
        // A message that cannot be read settles nothing.
        check_reply(None, &answered, "unreadable");
    }

    #[test]
    fn dates_are_read_in_the_persons_zone_else_their_campaigns() {
        let mut facts = ReplyFacts {
            matched: person(Some(2), MatchedBy::Thread),
            enrollments: vec![enrolled(1, running()), enrolled(2, running())],
            ..ReplyFacts::default()
        };
        assert_eq!(facts.timezone(), Some(chrono_tz::UTC));
        let mut tokyo = campaign(true).expect("spec");
        tokyo.timezone = chrono_tz::Asia::Tokyo;
        facts.enrollments[1].campaign = Ok(tokyo);
        assert_eq!(facts.timezone(), Some(chrono_tz::Asia::Tokyo));
        if let Some(m) = facts.matched.as_mut() {
            m.timezone = Some(chrono_tz::America::Chicago);
        }
        assert_eq!(facts.timezone(), Some(chrono_tz::America::Chicago));
        assert_eq!(ReplyFacts::default().timezone(), None);
    }
}
