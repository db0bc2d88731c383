//! The lead lifecycle of one enrollment (one lead in one campaign) as a closed state enum and
//! one transition function, [`LeadState::apply`].
//!
//! States carry their own data, so a paused enrollment always has its remaining delay and
//! its pause record, and a running one always has its next send time. The database stores
//! a status tag plus columns; `db::rows` rebuilds this enum and rejects combinations that
//! cannot happen.
//!
//! **Invariant:** pure. The caller passes the current instant in every event.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

/// The status tag of an enrollment, as stored and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Enrolled, not contacted yet.
    Launch,
    /// Contacted: its countdown runs to the next step.
    InProgress,
    /// Temporarily held, position kept.
    Paused,
    /// Every step sent.
    Completed,
    /// Out for good (replied, unsubscribed, bounced, …): nothing is ever sent again.
    Stopped,
    /// Never starts; stays listed.
    Skipped,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 6] = [
        Status::Launch,
        Status::InProgress,
        Status::Paused,
        Status::Completed,
        Status::Stopped,
        Status::Skipped,
    ];

    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Launch => "launch",
            Status::InProgress => "in_progress",
            Status::Paused => "paused",
            Status::Completed => "completed",
            Status::Stopped => "stopped",
            Status::Skipped => "skipped",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who decided a pause or a resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The daemon, from a reply or a date.
    Auto,
    /// A person through the CLI.
    Operator,
}

impl Source {
    /// The name stored in `pause_source` and shown by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Auto => "auto",
            Source::Operator => "operator",
        }
    }

    /// Back from the stored name; `None` for a name this release does not know (the row is
    /// then reported as corrupt, not acted on).
    pub fn parse(s: &str) -> Option<Source> {
        match s {
            "auto" => Some(Source::Auto),
            "operator" => Some(Source::Operator),
            _ => None,
        }
    }
}

/// Why an enrollment is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// An out-of-office reply.
    OutOfOffice,
    /// "Call me later".
    Callback,
    /// The campaign's sender mailbox changed.
    SenderChanged,
    /// An operator paused it.
    Manual,
    /// The lead clicked a tracked link and the campaign's `on_click` is `pause`: held for a
    /// salesperson to follow up.
    Clicked,
}

impl PauseReason {
    /// The name stored, shown and matched by `--status`-like filters.
    pub fn as_str(self) -> &'static str {
        match self {
            PauseReason::OutOfOffice => "out_of_office",
            PauseReason::Callback => "callback",
            PauseReason::SenderChanged => "sender_changed",
            PauseReason::Manual => "manual",
            PauseReason::Clicked => "clicked",
        }
    }

    /// Back from the stored name; `None` for one this release does not know.
    pub fn parse(s: &str) -> Option<PauseReason> {
        [
            PauseReason::OutOfOffice,
            PauseReason::Callback,
            PauseReason::SenderChanged,
            PauseReason::Manual,
            PauseReason::Clicked,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// Why an enrollment was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// A person replied.
    Replied,
    /// They asked to be removed.
    Unsubscribed,
    /// Their address bounced.
    Bounced,
    /// A meeting was booked.
    MeetingBooked,
    /// An operator stopped it.
    Manual,
    /// Paused too long without a resume date.
    StalePause,
    /// Clicked a tracked link, and the campaign's `on_click` is `stop`.
    Clicked,
}

impl StopReason {
    /// Every reason.
    pub const ALL: [StopReason; 7] = [
        StopReason::Replied,
        StopReason::Unsubscribed,
        StopReason::Bounced,
        StopReason::MeetingBooked,
        StopReason::Manual,
        StopReason::StalePause,
        StopReason::Clicked,
    ];

    /// The name stored, shown and matched by `--status`-like filters.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Replied => "replied",
            StopReason::Unsubscribed => "unsubscribed",
            StopReason::Bounced => "bounced",
            StopReason::MeetingBooked => "meeting_booked",
            StopReason::Manual => "manual",
            StopReason::StalePause => "stale_pause",
            StopReason::Clicked => "clicked",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<StopReason> {
        StopReason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The record of a pause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// When it was paused: a pause without `resume_at` older than the campaign's
    /// `stale_after` is stale.
    pub paused_at: DateTime<Utc>,
    /// Who paused it: an automatic decision never overrides an operator's pause.
    pub source: Source,
    /// Why it is paused (`out_of_office`, `manual`, `sender_changed`, …): stored with the
    /// event and shown to the operator.
    pub reason: PauseReason,
    /// When it resumes by itself; `None` waits for a person.
    pub resume_at: Option<DateTime<Utc>>,
    /// The return date as read from the reply.
    pub return_date: Option<NaiveDate>,
    /// A person's note, or the daemon's why (shown by `lead show`).
    pub note: Option<String>,
    /// The inbound message (its row id) that caused it, for `lead show`; none for an
    /// operator's pause.
    pub message_id: Option<i64>,
}

/// The countdown to the next step of a running enrollment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// The next step is due at this instant.
    Running {
        /// When the next step is due.
        next_send_at: DateTime<Utc>,
    },
    /// The campaign is paused: the countdown is frozen with this much left.
    Frozen {
        /// Time left before the next step once the campaign resumes.
        remaining: chrono::Duration,
    },
}

/// The full state of an enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadState {
    /// Enrolled, not contacted yet.
    Launch,
    /// Receiving steps; `steps_sent >= 1`.
    InProgress {
        /// Steps sent so far: the index of the next step.
        steps_sent: u32,
        /// When the next one is due, or how long is left while the campaign is paused.
        countdown: Countdown,
    },
    /// Held with its position.
    Paused {
        /// Steps sent so far: where it resumes.
        steps_sent: u32,
        /// Delay left before the next step, restored on resume.
        remaining: chrono::Duration,
        /// Who paused it, why and until when.
        pause: Pause,
    },
    /// Every step sent.
    Completed {
        /// Steps sent: every step of the campaign when it completed.
        steps_sent: u32,
    },
    /// Permanently out.
    Stopped {
        /// Steps sent before the stop.
        steps_sent: u32,
        /// Why it stopped, stored and reported.
        reason: StopReason,
        /// When it stopped.
        stopped_at: DateTime<Utc>,
    },
    /// Never starts (suppressed, or skipped by an operator); `unskip` brings it back.
    Skipped,
}

/// Something that happens to an enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A step went out; `next_due` is when the following one is due, `None` if it was the last.
    StepSent {
        /// When it went out.
        at: DateTime<Utc>,
        /// When the following step is due.
        next_due: Option<DateTime<Utc>>,
    },
    /// Pause a running lead (or move an automatic pause): its countdown is kept.
    Pause(Pause),
    /// Resume a paused lead where it was.
    Resume {
        /// When it resumes: the frozen remainder of the countdown starts again from here.
        at: DateTime<Utc>,
        /// Who asks: an automatic resume never lifts an operator's pause.
        source: Source,
        /// Whether the campaign is paused: the countdown then stays frozen.
        campaign_paused: bool,
    },
    /// Stop a lead for good.
    Stop {
        /// When it stops.
        at: DateTime<Utc>,
        /// Why, stored and reported.
        reason: StopReason,
    },
    /// Skip a lead not contacted yet.
    Skip,
    /// Undo a skip.
    Unskip,
    /// The campaign was paused: freeze the countdown.
    Freeze {
        /// When the campaign was paused: the time left is counted up to it.
        at: DateTime<Utc>,
    },
    /// The campaign was resumed: restart the countdown.
    Thaw {
        /// When the campaign was resumed: the time left counts from it.
        at: DateTime<Utc>,
    },
}

impl Event {
    /// The event tied to the inbound message (its row id) that caused it: a pause keeps it,
    /// so that `lead show` can say which message paused the lead. A reply's decision is taken
    /// before its message has a row, so the store ties them when it records both.
    pub fn caused_by(self, message_id: i64) -> Event {
        match self {
            Event::Pause(pause) => Event::Pause(Pause {
                message_id: Some(message_id),
                ..pause
            }),
            other => other,
        }
    }

    /// Short name used in event rows and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Event::StepSent { .. } => "step_sent",
            Event::Pause(_) => "pause",
            Event::Resume { .. } => "resume",
            Event::Stop { .. } => "stop",
            Event::Skip => "skip",
            Event::Unskip => "unskip",
            Event::Freeze { .. } => "campaign_pause",
            Event::Thaw { .. } => "campaign_resume",
        }
    }
}

/// A transition the lifecycle does not allow. The message names the status found and, where
/// there is one, what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refused {
    /// The status the enrollment was in.
    pub status: Status,
    /// The sentence shown to the operator.
    pub message: String,
}

impl LeadState {
    /// The status tag: what the `status` column stores and the filters and counts go by.
    pub fn status(&self) -> Status {
        match self {
            LeadState::Launch => Status::Launch,
            LeadState::InProgress { .. } => Status::InProgress,
            LeadState::Paused { .. } => Status::Paused,
            LeadState::Completed { .. } => Status::Completed,
            LeadState::Stopped { .. } => Status::Stopped,
            LeadState::Skipped => Status::Skipped,
        }
    }

    /// Steps sent so far.
    pub fn steps_sent(&self) -> u32 {
        match self {
            LeadState::Launch | LeadState::Skipped => 0,
            LeadState::InProgress { steps_sent, .. }
            | LeadState::Paused { steps_sent, .. }
            | LeadState::Completed { steps_sent }
            | LeadState::Stopped { steps_sent, .. } => *steps_sent,
        }
    }

    /// The delay left before the next step at `now`, where there is a next step.
    pub fn remaining_delay(&self, now: DateTime<Utc>) -> Option<chrono::Duration> {
        match self {
            LeadState::InProgress {
                countdown: Countdown::Running { next_send_at },
                ..
            } => Some((*next_send_at - now).max(chrono::Duration::zero())),
            LeadState::InProgress {
                countdown: Countdown::Frozen { remaining },
                ..
            } => Some(*remaining),
            LeadState::Paused { remaining, .. } => Some(*remaining),
            _ => None,
        }
    }

    /// Applies an event; the only way an enrollment changes.
    ///
    /// # Errors
    /// [`Refused`] when the lifecycle does not allow the event in this state.
    pub fn apply(&self, event: &Event) -> Result<LeadState, Refused> {
        use LeadState as S;
        let refuse = |message: String| {
            Err(Refused {
                status: self.status(),
                message,
            })
        };
        match (self, event) {
            (S::Launch, Event::StepSent { next_due, .. }) => Ok(after_send(1, *next_due)),
            (
                S::InProgress {
                    steps_sent,
                    countdown: Countdown::Running { .. },
                },
                Event::StepSent { next_due, .. },
            ) => Ok(after_send(steps_sent + 1, *next_due)),
            // A send claimed before a campaign pause or a lead pause was committed still went
            // out: it is recorded, and the countdown to the following step stays held with its
            // full delay.
            (
                S::InProgress {
                    steps_sent,
                    countdown: Countdown::Frozen { .. },
                },
                Event::StepSent { at, next_due },
            ) => Ok(match next_due {
                Some(next) => S::InProgress {
                    steps_sent: steps_sent + 1,
                    countdown: Countdown::Frozen {
                        remaining: (*next - *at).max(chrono::Duration::zero()),
                    },
                },
                None => S::Completed {
                    steps_sent: steps_sent + 1,
                },
            }),
            (
                S::Paused {
                    steps_sent, pause, ..
                },
                Event::StepSent { at, next_due },
            ) => Ok(match next_due {
                Some(next) => S::Paused {
                    steps_sent: steps_sent + 1,
                    remaining: (*next - *at).max(chrono::Duration::zero()),
                    pause: pause.clone(),
                },
                None => S::Completed {
                    steps_sent: steps_sent + 1,
                },
            }),

            (
                S::InProgress {
                    steps_sent,
                    countdown,
                },
                Event::Pause(pause),
            ) => {
                let remaining = match countdown {
                    Countdown::Running { next_send_at } => {
                        (*next_send_at - pause.paused_at).max(chrono::Duration::zero())
                    }
                    Countdown::Frozen { remaining } => *remaining,
                };
                Ok(S::Paused {
                    steps_sent: *steps_sent,
                    remaining,
                    pause: pause.clone(),
                })
            }
            (
                S::Paused {
                    steps_sent,
                    remaining,
                    pause: old,
                },
                Event::Pause(new),
            ) => {
                match (old.source, new.source) {
                    (Source::Operator, Source::Auto) => {
                        refuse("paused by an operator: an automatic decision never overrides it".to_string())
                    }
                    // The latest word wins, but the pause keeps its start and its countdown.
                    _ => Ok(S::Paused {
                        steps_sent: *steps_sent,
                        remaining: *remaining,
                        pause: Pause {
                            paused_at: old.paused_at,
                            ..new.clone()
                        },
                    }),
                }
            }
            (S::Launch, Event::Pause(_)) => {
                refuse("not contacted yet (status launch): use skip to keep it from starting".to_string())
            }

            (
                S::Paused {
                    steps_sent,
                    remaining,
                    pause,
                },
                Event::Resume {
                    at,
                    source,
                    campaign_paused,
                },
            ) => {
                // An automatic resume only ever happens at the date the pause carries: for an
                // operator's pause that is the operator's own `--until`; without one it waits.
                if *source == Source::Auto {
                    match pause.resume_at {
                        Some(due) if due <= *at => {}
                        Some(due) => return refuse(format!("not due before {}", due.to_rfc3339())),
                        None => {
                            return refuse("paused without a resume date: waits for a person".to_string())
                        }
                    }
                }
                let countdown = if *campaign_paused {
                    Countdown::Frozen {
                        remaining: *remaining,
                    }
                } else {
                    Countdown::Running {
                        next_send_at: *at + *remaining,
                    }
                };
                Ok(S::InProgress {
                    steps_sent: *steps_sent,
                    countdown,
                })
            }

            (S::InProgress { steps_sent, .. } | S::Paused { steps_sent, .. }, Event::Stop { at, reason }) => {
                Ok(S::Stopped {
                    steps_sent: *steps_sent,
                    reason: *reason,
                    stopped_at: *at,
                })
            }
            // The first step itself was refused for good by the recipient's server: the lead
            // was contacted, unsuccessfully, and is stopped as bounced.
            (
                S::Launch,
                Event::Stop {
                    at,
                    reason: StopReason::Bounced,
                },
            ) => Ok(S::Stopped {
                steps_sent: 0,
                reason: StopReason::Bounced,
                stopped_at: *at,
            }),
            (S::Launch, Event::Stop { .. }) => {
                refuse("not contacted yet (status launch): use skip to keep it from starting".to_string())
            }

            (S::Launch, Event::Skip) => Ok(S::Skipped),
            (S::Skipped, Event::Unskip) => Ok(S::Launch),
            (S::Skipped, Event::Skip) => refuse("already skipped".to_string()),

            (
                S::InProgress {
                    steps_sent,
                    countdown: Countdown::Running { next_send_at },
                },
                Event::Freeze { at },
            ) => {
                let remaining = (*next_send_at - *at).max(chrono::Duration::zero());
                Ok(S::InProgress {
                    steps_sent: *steps_sent,
                    countdown: Countdown::Frozen { remaining },
                })
            }
            (
                S::InProgress {
                    steps_sent,
                    countdown: Countdown::Frozen { remaining },
                },
                Event::Thaw { at },
            ) => Ok(S::InProgress {
                steps_sent: *steps_sent,
                countdown: Countdown::Running {
                    next_send_at: *at + *remaining,
                },
            }),
            // Campaign pause and resume leave every other state as it is: a lead paused on
            // its own keeps its own remaining delay and its own pause.
            (state, Event::Freeze { .. } | Event::Thaw { .. }) => Ok(state.clone()),

            (S::Completed { .. }, _) => refuse("already completed: every step was sent".to_string()),
            (S::Stopped { reason, .. }, _) => refuse(format!("already stopped ({})", reason.as_str())),
            (state, event) => refuse(format!(
                "cannot {} a lead in status {}",
                verb(event),
                state.status()
            )),
        }
    }
}

/// The state after a step went out.
fn after_send(steps_sent: u32, next_due: Option<DateTime<Utc>>) -> LeadState {
    match next_due {
        Some(next_send_at) => LeadState::InProgress {
            steps_sent,
            countdown: Countdown::Running { next_send_at },
        },
        None => LeadState::Completed { steps_sent },
    }
}

/// The operator's word for an event, for refusals.
fn verb(event: &Event) -> &'static str {
    match event {
        Event::StepSent { .. } => "send a step to",
        Event::Pause(_) => "pause",
        Event::Resume { .. } => "resume",
        Event::Stop { .. } => "stop",
        Event::Skip => "skip",
        Event::Unskip => "unskip",
        Event::Freeze { .. } => "freeze",
        Event::Thaw { .. } => "thaw",
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn t(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
            .single()
            .expect("valid test time")
    }

    fn running(steps_sent: u32, next: DateTime<Utc>) -> LeadState {
        LeadState::InProgress {
            steps_sent,
            countdown: Countdown::Running { next_send_at: next },
        }
    }

    fn pause(at: DateTime<Utc>, source: Source, resume_at: Option<DateTime<Utc>>) -> Pause {
        Pause {
            paused_at: at,
            source,
            reason: if source == Source::Auto {
                PauseReason::OutOfOffice
            } else {
                PauseReason::Manual
            },
            resume_at,
            return_date: None,
            note: None,
            message_id: None,
        }
    }

    fn paused(steps_sent: u32, remaining: Duration, p: Pause) -> LeadState {
        LeadState::Paused {
            steps_sent,
            remaining,
            pause: p,
        }
    }

    fn resume(at: DateTime<Utc>, source: Source) -> Event {
        Event::Resume {
            at,
            source,
            campaign_paused: false,
        }
    }

    fn stop(at: DateTime<Utc>) -> Event {
        Event::Stop {
            at,
            reason: StopReason::Replied,
        }
    }

    /// One row: a state, an event, and either the state expected or a fragment of the refusal.
    fn check(state: LeadState, event: Event, expect: Result<LeadState, &str>) {
        let got = state.apply(&event);
        match (&got, &expect) {
            (Ok(g), Ok(e)) => assert_eq!(g, e, "{state:?} + {event:?}"),
            (Err(g), Err(fragment)) => {
                assert!(
                    g.message.contains(fragment),
                    "{state:?} + {event:?}: refusal {:?} lacks {fragment:?}",
                    g.message
                );
                assert_eq!(g.status, state.status(), "refusal names the status found");
            }
            _ => panic!("{state:?} + {event:?}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn allowed_transitions() {
        let next = t(5, 9);
        check(
            LeadState::Launch,
            Event::StepSent {
                at: t(1, 9),
                next_due: Some(next),
            },
            Ok(running(1, next)),
        );
        check(
            LeadState::Launch,
            Event::StepSent {
                at: t(1, 9),
                next_due: None,
            },
            Ok(LeadState::Completed { steps_sent: 1 }),
        );
        check(
            running(1, t(4, 9)),
            Event::StepSent {
                at: t(4, 9),
                next_due: Some(next),
            },
            Ok(running(2, next)),
        );
        check(
            running(2, t(4, 9)),
            Event::StepSent {
                at: t(4, 9),
                next_due: None,
            },
            Ok(LeadState::Completed { steps_sent: 3 }),
        );
        check(LeadState::Launch, Event::Skip, Ok(LeadState::Skipped));
        check(LeadState::Skipped, Event::Unskip, Ok(LeadState::Launch));
        check(
            running(1, next),
            stop(t(2, 9)),
            Ok(LeadState::Stopped {
                steps_sent: 1,
                reason: StopReason::Replied,
                stopped_at: t(2, 9),
            }),
        );
        let p = pause(t(2, 9), Source::Operator, None);
        check(
            paused(1, Duration::days(1), p),
            stop(t(3, 9)),
            Ok(LeadState::Stopped {
                steps_sent: 1,
                reason: StopReason::Replied,
                stopped_at: t(3, 9),
            }),
        );
    }

    #[test]
    fn pause_freezes_and_resume_restores_the_countdown() {
        // Step 2 went out on day 1 with a 4-day delay before step 3: due day 5.
        let state = running(2, t(5, 9));
        // Paused on day 3 at 09:00: two days are left.
        let p = pause(t(3, 9), Source::Operator, None);
        let after_pause = state.apply(&Event::Pause(p.clone())).expect("pause");
        assert_eq!(after_pause, paused(2, Duration::days(2), p));
        // Resumed on day 20: step 3 is due two days later, on day 22.
        let after_resume = after_pause
            .apply(&resume(t(20, 9), Source::Operator))
            .expect("resume");
        assert_eq!(after_resume, running(2, t(22, 9)));
        assert_eq!(after_resume.remaining_delay(t(20, 9)), Some(Duration::days(2)));
    }

    #[test]
    fn send_in_flight_during_a_pause_is_recorded_and_the_pause_stands() {
        let p = pause(t(3, 9), Source::Operator, None);
        let state = paused(1, Duration::days(1), p.clone());
        check(
            state.clone(),
            Event::StepSent {
                at: t(3, 10),
                next_due: Some(t(7, 10)),
            },
            Ok(paused(2, Duration::days(4), p)),
        );
        check(
            state,
            Event::StepSent {
                at: t(3, 10),
                next_due: None,
            },
            Ok(LeadState::Completed { steps_sent: 2 }),
        );
    }

    #[test]
    fn a_first_step_refused_for_good_stops_the_lead_as_bounced() {
        let bounce = Event::Stop {
            at: t(2, 9),
            reason: StopReason::Bounced,
        };
        check(
            LeadState::Launch,
            bounce,
            Ok(LeadState::Stopped {
                steps_sent: 0,
                reason: StopReason::Bounced,
                stopped_at: t(2, 9),
            }),
        );
        check(
            LeadState::Launch,
            Event::Stop {
                at: t(2, 9),
                reason: StopReason::Manual,
            },
            Err("use skip"),
        );
    }

    #[test]
    fn overdue_step_pauses_with_nothing_left() {
        let p = pause(t(6, 9), Source::Auto, Some(t(9, 9)));
        check(
            running(1, t(5, 9)),
            Event::Pause(p.clone()),
            Ok(paused(1, Duration::zero(), p)),
        );
    }

    #[test]
    fn refusals_name_the_status_and_what_to_do() {
        let p = pause(t(2, 9), Source::Operator, None);
        check(LeadState::Launch, Event::Pause(p.clone()), Err("use skip"));
        check(LeadState::Launch, Event::Pause(p.clone()), Err("status launch"));
        check(
            LeadState::Completed { steps_sent: 3 },
            Event::Pause(p.clone()),
            Err("already completed"),
        );
        let stopped = LeadState::Stopped {
            steps_sent: 1,
            reason: StopReason::Bounced,
            stopped_at: t(1, 9),
        };
        check(
            stopped.clone(),
            Event::Pause(p.clone()),
            Err("already stopped (bounced)"),
        );
        check(stopped, resume(t(3, 9), Source::Operator), Err("already stopped"));
        check(
            LeadState::Skipped,
            Event::Pause(p.clone()),
            Err("cannot pause a lead in status skipped"),
        );
        check(
            running(1, t(5, 9)),
            resume(t(3, 9), Source::Operator),
            Err("cannot resume a lead in status in_progress"),
        );
        check(
            LeadState::Launch,
            Event::Unskip,
            Err("cannot unskip a lead in status launch"),
        );
        check(
            running(1, t(5, 9)),
            Event::Skip,
            Err("cannot skip a lead in status in_progress"),
        );
        check(LeadState::Launch, stop(t(2, 9)), Err("use skip"));
        check(LeadState::Skipped, Event::Skip, Err("already skipped"));
        check(
            LeadState::Skipped,
            stop(t(2, 9)),
            Err("cannot stop a lead in status skipped"),
        );
        check(
            LeadState::Completed { steps_sent: 2 },
            stop(t(2, 9)),
            Err("already completed"),
        );
        check(
            paused(1, Duration::days(1), p),
            Event::Skip,
            Err("cannot skip a lead in status paused"),
        );
    }

    #[test]
    fn automatic_decisions_never_override_an_operator() {
        let manual = pause(t(2, 9), Source::Operator, None);
        let state = paused(1, Duration::days(2), manual);
        // A new out-of-office reply neither shortens nor replaces a manual pause.
        check(
            state.clone(),
            Event::Pause(pause(t(3, 9), Source::Auto, Some(t(4, 9)))),
            Err("paused by an operator"),
        );
        // An automatic resume never lifts it, even long after.
        check(
            state.clone(),
            resume(t(30, 9), Source::Auto),
            Err("waits for a person"),
        );
        // The operator may.
        check(
            state,
            resume(t(30, 9), Source::Operator),
            Ok(running(1, t(30, 9) + Duration::days(2))),
        );
        // An operator's pause with its own date resumes at that date, not before.
        let until = paused(
            1,
            Duration::days(2),
            pause(t(2, 9), Source::Operator, Some(t(10, 9))),
        );
        check(
            until.clone(),
            resume(t(9, 9), Source::Auto),
            Err("not due before"),
        );
        check(until, resume(t(10, 9), Source::Auto), Ok(running(1, t(12, 9))));
    }

    #[test]
    fn auto_resume_only_when_due() {
        let auto = pause(t(2, 9), Source::Auto, Some(t(10, 9)));
        let state = paused(1, Duration::hours(5), auto);
        check(
            state.clone(),
            resume(t(9, 9), Source::Auto),
            Err("not due before"),
        );
        check(
            state.clone(),
            resume(t(10, 9), Source::Auto),
            Ok(running(1, t(10, 14))),
        );
        // An operator may resume early.
        check(state, resume(t(5, 9), Source::Operator), Ok(running(1, t(5, 14))));
        let no_date = pause(t(2, 9), Source::Auto, None);
        check(
            paused(1, Duration::zero(), no_date),
            resume(t(20, 9), Source::Auto),
            Err("waits for a person"),
        );
    }

    #[test]
    fn latest_automatic_word_wins_but_keeps_the_pause_start() {
        let first = pause(t(2, 9), Source::Auto, Some(t(10, 9)));
        let state = paused(1, Duration::days(3), first);
        let second = pause(t(4, 9), Source::Auto, Some(t(8, 9)));
        let expect = paused(
            1,
            Duration::days(3),
            Pause {
                paused_at: t(2, 9),
                ..second.clone()
            },
        );
        check(state.clone(), Event::Pause(second), Ok(expect));
        // An operator may take over an automatic pause.
        let op = pause(t(5, 9), Source::Operator, None);
        let expect = paused(
            1,
            Duration::days(3),
            Pause {
                paused_at: t(2, 9),
                ..op.clone()
            },
        );
        check(state, Event::Pause(op), Ok(expect));
    }

    #[test]
    fn campaign_pause_freezes_every_countdown_and_resume_restores_it() {
        let state = running(1, t(5, 9));
        let frozen = state.apply(&Event::Freeze { at: t(3, 9) }).expect("freeze");
        assert_eq!(
            frozen,
            LeadState::InProgress {
                steps_sent: 1,
                countdown: Countdown::Frozen {
                    remaining: Duration::days(2)
                }
            }
        );
        // A send claimed just before the campaign pause is recorded; the next countdown stays frozen.
        check(
            frozen.clone(),
            Event::StepSent {
                at: t(4, 9),
                next_due: Some(t(8, 9)),
            },
            Ok(LeadState::InProgress {
                steps_sent: 2,
                countdown: Countdown::Frozen {
                    remaining: Duration::days(4),
                },
            }),
        );
        check(
            frozen.clone(),
            Event::Thaw { at: t(10, 9) },
            Ok(running(1, t(12, 9))),
        );
        // A lead paused on its own keeps its own pause through a campaign pause and resume.
        let own = paused(1, Duration::days(1), pause(t(2, 9), Source::Operator, None));
        check(own.clone(), Event::Freeze { at: t(3, 9) }, Ok(own.clone()));
        check(own.clone(), Event::Thaw { at: t(9, 9) }, Ok(own));
        // Pausing a frozen lead keeps the frozen remainder; resuming inside a paused campaign keeps it frozen.
        let p = pause(t(6, 9), Source::Operator, None);
        let lead_paused = frozen.apply(&Event::Pause(p)).expect("pause frozen");
        assert_eq!(lead_paused.remaining_delay(t(20, 9)), Some(Duration::days(2)));
        let resumed = lead_paused
            .apply(&Event::Resume {
                at: t(7, 9),
                source: Source::Operator,
                campaign_paused: true,
            })
            .expect("resume");
        assert_eq!(resumed, frozen);
        // Launch leads are untouched.
        check(
            LeadState::Launch,
            Event::Freeze { at: t(3, 9) },
            Ok(LeadState::Launch),
        );
    }
}
