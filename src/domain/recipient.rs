//! What the recipient does through the public links, decided: a one-click unsubscribe, a
//! click (a person's or a machine's, and what the campaign says a click does), and whether a
//! campaign's recent hard bounces call for its brake.
//!
//! The HTTP side and the store fetch the facts and apply the outcome; the decisions live here
//! so that table tests reach them without a server.
//!
//! **Invariant:** pure: no I/O, no clock (instants are arguments).

use chrono::{DateTime, Utc};

use crate::domain::campaign::{CampaignSpec, OnClick, Scope, UnreadableCampaign};
use crate::domain::lead::{Event, Pause, PauseReason, Source, Status, StopReason};

/// One of the person's enrollments that a one-click unsubscribe may reach: the one the link
/// named, and those in running (active or paused) campaigns.
#[derive(Debug, Clone, PartialEq)]
pub struct Reachable {
    /// The enrollment's row id: what the decision's events name.
    pub enrollment_id: i64,
    /// Its status as read.
    pub status: Status,
    /// Its campaign, whose `scope` says whether an unsubscribe elsewhere reaches it.
    pub campaign: Result<CampaignSpec, UnreadableCampaign>,
}

/// What the store knows when a one-click unsubscribe comes: everything
/// [`decide_unsubscribe`] needs.
#[derive(Debug, Clone, PartialEq)]
pub struct UnsubscribeFacts {
    /// The enrollment the link named.
    pub matched: i64,
    /// The person's reachable enrollments, by id (`matched` among them).
    pub enrollments: Vec<Reachable>,
}

/// The events a one-click unsubscribe applies to the person's enrollments.
///
/// Unlike an "unsubscribe" reply, which a campaign's `stop_on` may choose to ignore, the
/// button is an explicit and legally binding request (RFC 8058, CAN-SPAM, GDPR): it always
/// stops the enrollment it came from. The person's other enrollments follow the scope rule of
/// replies (the matched campaign's `scope`, and each other campaign's own): running ones
/// stop with `unsubscribed`, ones not contacted yet are skipped. An enrollment whose campaign
/// no longer parses stays as it is (no policy to go by); when that is the named one, its
/// scope is unknown and the others follow their own, as under `all_campaigns`. The address
/// joins the suppression list either way (the store does that), which every campaign's
/// claims respect.
pub fn decide_unsubscribe(facts: &UnsubscribeFacts, now: DateTime<Utc>) -> Vec<(i64, Event)> {
    let scope = |e: &Reachable| e.campaign.as_ref().ok().map(|spec| spec.policy.scope);
    let reach_all = facts
        .enrollments
        .iter()
        .find(|e| e.enrollment_id == facts.matched)
        .and_then(scope)
        .is_none_or(|s| s == Scope::AllCampaigns);
    facts
        .enrollments
        .iter()
        .filter_map(|e| {
            let own = scope(e)?;
            let reached = e.enrollment_id == facts.matched || (reach_all && own == Scope::AllCampaigns);
            let event = match e.status {
                _ if !reached => return None,
                Status::Launch => Event::Skip,
                Status::InProgress | Status::Paused => Event::Stop {
                    at: now,
                    reason: StopReason::Unsubscribed,
                },
                Status::Completed | Status::Stopped | Status::Skipped => return None,
            };
            Some((e.enrollment_id, event))
        })
        .collect()
}

/// Why a click is taken for a machine's (or a person's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClickVerdict {
    /// A person, as far as we can tell: the campaign's `on_click` applies.
    Human,
    /// A `HEAD` request: link checkers, never a browser following a link.
    Head,
    /// A user agent of a known security scanner, crawler or HTTP library.
    Scanner,
    /// Sooner after delivery than `tracking.min_click_delay`: mail gateways open links on
    /// arrival.
    TooSoon,
    /// Another link of the same mail was opened within the same second: scanners open every
    /// link at once, people one.
    Burst,
}

impl ClickVerdict {
    /// The stored name (the click's `verdict`, the event's reason).
    pub fn as_str(self) -> &'static str {
        match self {
            ClickVerdict::Human => "human",
            ClickVerdict::Head => "head_request",
            ClickVerdict::Scanner => "scanner_agent",
            ClickVerdict::TooSoon => "too_soon",
            ClickVerdict::Burst => "burst",
        }
    }
}

/// What is known about one click when it is judged.
#[derive(Debug, Clone, Copy)]
pub struct ClickFacts<'a> {
    /// Whether the request was `HEAD`.
    pub head: bool,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<&'a str>,
    /// When the click came.
    pub at: DateTime<Utc>,
    /// When the step was delivered (sent), if the send is recorded.
    pub sent_at: Option<DateTime<Utc>>,
    /// The campaign's `tracking.min_click_delay`.
    pub min_click_delay: std::time::Duration,
    /// Whether a different link of the same mail was opened within a second of this click.
    pub other_link_same_second: bool,
}

/// Substrings (lowercase) of the user agents of security scanners, link previewers,
/// crawlers and HTTP libraries: none of them is a person reading the mail.
const SCANNER_AGENTS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "preview",
    "scanner",
    "barracuda",
    "mimecast",
    "proofpoint",
    "safelinks",
    "urldefense",
    "forcepoint",
    "fireeye",
    "trendmicro",
    "sophos",
    "symantec",
    "messagelabs",
    "cisco",
    "ironport",
    "zscaler",
    "python-",
    "go-http-client",
    "curl/",
    "wget/",
    "libwww",
    "java/",
    "okhttp",
    "apache-httpclient",
    "headless",
    "phantomjs",
    "axios/",
    "node-fetch",
    "postman",
];

/// Whether a click is a person's, and if not, why not. Checked in order: the method, the
/// agent, the delay since delivery, the burst.
pub fn click_verdict(facts: &ClickFacts<'_>) -> ClickVerdict {
    if facts.head {
        return ClickVerdict::Head;
    }
    let agent = facts.user_agent.unwrap_or("").to_ascii_lowercase();
    if agent.trim().is_empty() || SCANNER_AGENTS.iter().any(|s| agent.contains(s)) {
        return ClickVerdict::Scanner;
    }
    let min = chrono::Duration::from_std(facts.min_click_delay).unwrap_or(chrono::Duration::MAX);
    // A click with no recorded send is judged by the other signs alone: the token proves
    // the mail went out, and the record can lag behind a fast delivery.
    if facts.sent_at.is_some_and(|sent| facts.at - sent < min) {
        return ClickVerdict::TooSoon;
    }
    if facts.other_link_same_second {
        return ClickVerdict::Burst;
    }
    ClickVerdict::Human
}

/// What is known of a recorded click when it is judged: what its verdict goes by
/// ([`ClickFacts`]), and the enrollment and campaign a person's click acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct ClickCase {
    /// Whether the request was `HEAD`.
    pub head: bool,
    /// The `User-Agent` header, if any.
    pub user_agent: Option<String>,
    /// When the click came.
    pub at: DateTime<Utc>,
    /// When the step was delivered (sent), if the send is recorded.
    pub sent_at: Option<DateTime<Utc>>,
    /// Whether a different link of the same mail was opened within a second of this click.
    pub other_link_same_second: bool,
    /// The enrollment's status as read (`None`: a status the lifecycle does not know).
    pub status: Option<Status>,
    /// Its campaign: `tracking.min_click_delay` and `policy.on_click`.
    pub campaign: Result<CampaignSpec, UnreadableCampaign>,
}

/// What judging a click decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickDecision {
    /// A person's click or a machine's (stored on the click and as its event's reason).
    pub verdict: ClickVerdict,
    /// What a person's click does to the enrollment under `on_click`, if anything.
    pub event: Option<Event>,
}

/// The delay after delivery within which a click is a machine's when the campaign cannot say
/// (its stored text no longer parses): the default of `tracking.min_click_delay`.
const DEFAULT_MIN_CLICK_DELAY: std::time::Duration = std::time::Duration::from_secs(10);

/// Judges a click: [`click_verdict`] on its facts, and for a person's click the event of
/// [`click_event`]. A campaign that no longer parses has no `on_click` to go by: its clicks
/// are recorded only.
pub fn decide_click(case: &ClickCase, now: DateTime<Utc>) -> ClickDecision {
    let spec = case.campaign.as_ref().ok();
    let verdict = click_verdict(&ClickFacts {
        head: case.head,
        user_agent: case.user_agent.as_deref(),
        at: case.at,
        sent_at: case.sent_at,
        min_click_delay: spec.map_or(DEFAULT_MIN_CLICK_DELAY, |s| s.tracking.min_click_delay),
        other_link_same_second: case.other_link_same_second,
    });
    let event = match (verdict, spec, case.status) {
        (ClickVerdict::Human, Some(spec), Some(status)) => click_event(spec.policy.on_click, status, now),
        _ => None,
    };
    ClickDecision { verdict, event }
}

/// The event a person's click applies to its enrollment under the campaign's `on_click`, if
/// any: `continue` records the click only; `pause` holds the lead for a person (no resume
/// date: the click is a sign of interest a salesperson follows up); `stop` ends it with
/// reason `clicked`. Only a running or paused enrollment changes.
pub fn click_event(on_click: OnClick, status: Status, now: DateTime<Utc>) -> Option<Event> {
    if !matches!(status, Status::InProgress | Status::Paused) {
        return None;
    }
    match on_click {
        OnClick::Continue => None,
        OnClick::Pause if status == Status::Paused => None,
        OnClick::Pause => Some(Event::Pause(Pause {
            paused_at: now,
            source: Source::Auto,
            reason: PauseReason::Clicked,
            resume_at: None,
            return_date: None,
            note: Some("clicked a link".to_string()),
            message_id: None,
        })),
        OnClick::Stop => Some(Event::Stop {
            at: now,
            reason: StopReason::Clicked,
        }),
    }
}

/// Whether `bounced` hard bounces among `sent` recent sends pass the campaign's
/// `max_bounce_rate` (a fraction), once there are at least `min_sends` sends to judge by.
/// Exactly at the rate is not over it.
pub fn over_bounce_rate(sent: u64, bounced: u64, max_rate: Option<f64>, min_sends: u32) -> bool {
    let Some(max) = max_rate else {
        return false;
    };
    if sent == 0 || sent < u64::from(min_sends) {
        return false;
    }
    (bounced as f64) / (sent as f64) > max
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::campaign::parse_campaign;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 7, 10, 0, 0)
            .single()
            .expect("valid")
    }

    /// A campaign (always open, UTC, one step) with `scope`, as stored; `None` is one whose
    /// stored text no longer parses.
    fn campaign(scope: Option<Scope>) -> Result<CampaignSpec, UnreadableCampaign> {
        let Some(scope) = scope else {
            return Err(UnreadableCampaign {
                campaign: "q".into(),
                error: "bad".into(),
            });
        };
        let scope = match scope {
            Scope::AllCampaigns => "all_campaigns",
            Scope::ThisCampaign => "this_campaign",
        };
        let text = format!(
            "name = \"q\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n[policy]\nscope = \"{scope}\"\n\
             [[step]]\ndelay = \"0s\"\nsubject = \"Hi\"\nbody = \"Hello\"\n"
        );
        Ok(parse_campaign("q", &text).expect("campaign").1)
    }

    /// One of the person's enrollments in a table line: id, status, its campaign's scope
    /// (`None` for a campaign that no longer parses).
    type Row = (i64, Status, Option<Scope>);

    /// A table line: why, the enrollment named, the person's enrollments, the events
    /// expected as (id, event name).
    type Line = (&'static str, i64, &'static [Row], &'static [(i64, &'static str)]);

    /// The events of an unsubscribe of enrollment `matched` among `enrollments`, as (id,
    /// event name).
    fn unsubscribe(matched: i64, enrollments: &[Row]) -> Vec<(i64, &'static str)> {
        let facts = UnsubscribeFacts {
            matched,
            enrollments: enrollments
                .iter()
                .map(|&(enrollment_id, status, scope)| Reachable {
                    enrollment_id,
                    status,
                    campaign: campaign(scope),
                })
                .collect(),
        };
        decide_unsubscribe(&facts, now())
            .iter()
            .map(|(id, e)| (*id, e.name()))
            .collect()
    }

    #[test]
    fn unsubscribe_table() {
        use Status::*;
        const ALL: Option<Scope> = Some(Scope::AllCampaigns);
        const THIS: Option<Scope> = Some(Scope::ThisCampaign);
        const UNREADABLE: Option<Scope> = None;
        const PERSON: &[Row] = &[
            (1, InProgress, ALL),
            (2, Paused, ALL),
            (3, Launch, ALL),
            (4, InProgress, THIS),
            (5, Completed, ALL),
            (6, InProgress, UNREADABLE),
        ];
        #[rustfmt::skip]
        let table: &[Line] = &[
            ("the named one stops, the other all_campaigns ones follow (running stop, not yet contacted skip)",
             1, PERSON, &[(1, "stop"), (2, "stop"), (3, "skip")]),
            ("a paused named one stops too",
             2, PERSON, &[(1, "stop"), (2, "stop"), (3, "skip")]),
            ("a named one not contacted yet is skipped, and the others follow",
             3, PERSON, &[(1, "stop"), (2, "stop"), (3, "skip")]),
            ("this_campaign on the named one: the others stay",
             4, PERSON, &[(4, "stop")]),
            ("this_campaign on another one: it stays",
             1, &[(1, InProgress, ALL), (4, InProgress, THIS)], &[(1, "stop")]),
            ("already out: nothing to apply (the store suppresses all the same)",
             5, &[(5, Completed, ALL)], &[]),
            ("stopped or skipped: nothing either",
             1, &[(1, Stopped, ALL), (2, Skipped, ALL)], &[]),
            ("an unreadable campaign's enrollment stays, named or not",
             6, &[(6, InProgress, UNREADABLE)], &[]),
            ("the named one unreadable: its scope is unknown, the others follow their own",
             6, PERSON, &[(1, "stop"), (2, "stop"), (3, "skip")]),
            ("the named one not among them (gone meanwhile): the others follow their own",
             9, &[(1, InProgress, ALL), (4, InProgress, THIS)], &[(1, "stop")]),
        ];
        for (why, matched, enrollments, expect) in table {
            assert_eq!(unsubscribe(*matched, enrollments), expect.to_vec(), "{why}");
        }
    }

    #[test]
    fn an_unsubscribe_stops_with_reason_unsubscribed_at_now() {
        let facts = UnsubscribeFacts {
            matched: 1,
            enrollments: vec![Reachable {
                enrollment_id: 1,
                status: Status::InProgress,
                campaign: campaign(Some(Scope::AllCampaigns)),
            }],
        };
        match &decide_unsubscribe(&facts, now())[..] {
            [(1, Event::Stop { at, reason })] => {
                assert_eq!((*at, *reason), (now(), StopReason::Unsubscribed))
            }
            other => panic!("{other:?}"),
        }
    }

    fn verdict(head: bool, agent: Option<&str>, after_s: i64, burst: bool) -> ClickVerdict {
        click_verdict(&ClickFacts {
            head,
            user_agent: agent,
            at: now(),
            sent_at: Some(now() - chrono::Duration::seconds(after_s)),
            min_click_delay: std::time::Duration::from_secs(10),
            other_link_same_second: burst,
        })
    }

    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    #[test]
    fn machine_clicks_are_told_from_a_persons() {
        use ClickVerdict::*;
        assert_eq!(verdict(false, Some(FIREFOX), 60, false), Human);
        assert_eq!(verdict(true, Some(FIREFOX), 60, false), Head);
        assert_eq!(
            verdict(
                false,
                Some("Mozilla/5.0 (compatible; Barracuda Sentinel)"),
                60,
                false
            ),
            Scanner
        );
        assert_eq!(verdict(false, Some("python-requests/2.31"), 60, false), Scanner);
        assert_eq!(verdict(false, None, 60, false), Scanner);
        assert_eq!(verdict(false, Some(FIREFOX), 3, false), TooSoon);
        assert_eq!(verdict(false, Some(FIREFOX), 10, false), Human);
        assert_eq!(verdict(false, Some(FIREFOX), 60, true), Burst);
    }

    /// A campaign with `on_click` and a `min_click_delay` of 30 s, as stored; `None` is one
    /// whose stored text no longer parses.
    fn clicked_campaign(on_click: Option<&str>) -> Result<CampaignSpec, UnreadableCampaign> {
        let Some(on_click) = on_click else {
            return campaign(None);
        };
        let text = format!(
            "name = \"q\"\nmailbox = \"sales\"\ntimezone = \"UTC\"\n\
             tracking = {{ clicks = true, min_click_delay = \"30s\" }}\n[policy]\non_click = \"{on_click}\"\n\
             [[step]]\ndelay = \"0s\"\nsubject = \"Hi\"\nbody = \"Hello\"\n"
        );
        Ok(parse_campaign("q", &text).expect("campaign").1)
    }

    /// A line of the click table: why, HEAD, seconds after delivery, the enrollment's
    /// status, `on_click` (`None`: the campaign no longer parses), the verdict, the event.
    type ClickLine = (
        &'static str,
        bool,
        i64,
        Status,
        Option<&'static str>,
        ClickVerdict,
        Option<&'static str>,
    );

    #[test]
    fn click_table() {
        use ClickVerdict::*;
        use Status::*;
        #[rustfmt::skip]
        let table: &[ClickLine] = &[
            ("a person's click stops under on_click = stop", false, 60, InProgress, Some("stop"), Human, Some("stop")),
            ("a person's click pauses under on_click = pause", false, 60, InProgress, Some("pause"), Human, Some("pause")),
            ("on_click = continue records it only", false, 60, InProgress, Some("continue"), Human, None),
            ("a machine's click does nothing", true, 60, InProgress, Some("stop"), Head, None),
            ("within the campaign's min_click_delay (30 s): a gateway", false, 20, InProgress, Some("stop"), TooSoon, None),
            ("a finished lead stays finished", false, 60, Completed, Some("stop"), Human, None),
            ("an unreadable campaign: judged on the default delay (10 s), recorded only", false, 20, InProgress, None, Human, None),
        ];
        for (why, head, after, status, on_click, verdict, event) in table {
            let case = ClickCase {
                head: *head,
                user_agent: Some(FIREFOX.to_string()),
                at: now(),
                sent_at: Some(now() - chrono::Duration::seconds(*after)),
                other_link_same_second: false,
                status: Some(*status),
                campaign: clicked_campaign(*on_click),
            };
            let d = decide_click(&case, now());
            assert_eq!(
                (d.verdict, d.event.as_ref().map(Event::name)),
                (*verdict, *event),
                "{why}"
            );
        }
    }

    #[test]
    fn on_click_decides_what_a_persons_click_does() {
        use Status::*;
        assert_eq!(click_event(OnClick::Continue, InProgress, now()), None);
        assert!(matches!(
            click_event(OnClick::Stop, Paused, now()),
            Some(Event::Stop {
                reason: StopReason::Clicked,
                ..
            })
        ));
        assert!(matches!(
            click_event(OnClick::Pause, InProgress, now()),
            Some(Event::Pause(Pause {
                reason: PauseReason::Clicked,
                resume_at: None,
                ..
            }))
        ));
        assert_eq!(click_event(OnClick::Pause, Paused, now()), None);
        assert_eq!(click_event(OnClick::Stop, Completed, now()), None);
    }

    #[test]
    fn the_brake_waits_for_enough_sends_and_needs_more_than_the_rate() {
        assert!(!over_bounce_rate(49, 49, Some(0.05), 50));
        assert!(!over_bounce_rate(100, 5, Some(0.05), 50));
        assert!(over_bounce_rate(100, 6, Some(0.05), 50));
        assert!(!over_bounce_rate(1000, 999, None, 50));
        assert!(!over_bounce_rate(0, 0, Some(0.0), 0));
    }
}
