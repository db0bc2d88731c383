//! Meetings booked, read from the mailbox alone (DESIGN "Replies" point 8): the iCalendar
//! part of a reply. A `METHOD:REPLY` in which the sender accepts (`PARTSTAT=ACCEPTED`), or a
//! `METHOD:REQUEST` the sender organises (the lead invites us), is `meeting_booked`; a
//! declined or tentative answer, a cancellation, or a calendar that is someone else's is not.
//!
//! Schedulers' booking confirmations (Calendly, Cal.com, HubSpot Meetings, Google Calendar
//! appointment schedules, Microsoft Bookings) are rules like any other, in
//! `rules/meeting_booked.toml`, so operators can add theirs; [`invitee`] finds the lead such
//! a confirmation names, since it comes from the scheduler, not from the lead.
//!
//! **Invariant:** pure; linear in the (capped) size of the calendar; never panics.

use crate::rules::reply::Reply;

/// The rule name of an accepted invitation (`METHOD:REPLY`, `PARTSTAT=ACCEPTED`).
pub const BUILTIN_CALENDAR_ACCEPTED: &str = "builtin-calendar-accepted";
/// The rule name of an invitation the lead sends (`METHOD:REQUEST`, the lead organises).
pub const BUILTIN_CALENDAR_INVITATION: &str = "builtin-calendar-invitation";

/// At most this many bytes of a calendar are looked at.
pub const MAX_CALENDAR_BYTES: usize = 64 * 1024;

/// The rule a reply's iCalendar part fires, if it says a meeting with its sender is booked.
pub fn from_calendar(reply: &Reply) -> Option<&'static str> {
    let calendar = reply.calendar.as_deref()?;
    let calendar = crate::rules::text::truncate(calendar, MAX_CALENDAR_BYTES);
    let sender = reply.from.as_deref()?;
    // Content lines are folded at 75 octets: a line starting with a space or a tab goes on
    // the previous one (RFC 5545, 3.1).
    let unfolded = calendar
        .replace("\r\n", "\n")
        .replace("\n ", "")
        .replace("\n\t", "");
    let mut method = None;
    let mut accepted_by_sender = false;
    let mut organised_by_sender = false;
    let mut in_event = false;
    for line in unfolded.lines() {
        let (name_and_params, value) = match line.split_once(':') {
            Some(p) => p,
            None => continue,
        };
        let mut params = name_and_params.split(';');
        let name = params.next().unwrap_or("").trim().to_ascii_uppercase();
        match name.as_str() {
            "METHOD" if !in_event => method = Some(value.trim().to_ascii_uppercase()),
            "BEGIN" if value.trim().eq_ignore_ascii_case("VEVENT") => in_event = true,
            "END" if value.trim().eq_ignore_ascii_case("VEVENT") => in_event = false,
            "ATTENDEE" if in_event => {
                let accepted = params.any(|p| {
                    p.split_once('=').is_some_and(|(k, v)| {
                        k.trim().eq_ignore_ascii_case("PARTSTAT")
                            && v.trim().trim_matches('"').eq_ignore_ascii_case("ACCEPTED")
                    })
                });
                if accepted && mailto(value).is_some_and(|a| a == sender) {
                    accepted_by_sender = true;
                }
            }
            "ORGANIZER" if in_event && mailto(value).is_some_and(|a| a == sender) => {
                organised_by_sender = true;
            }
            _ => {}
        }
    }
    match method.as_deref() {
        Some("REPLY") if accepted_by_sender => Some(BUILTIN_CALENDAR_ACCEPTED),
        Some("REQUEST") if organised_by_sender => Some(BUILTIN_CALENDAR_INVITATION),
        _ => None,
    }
}

/// The address a `mailto:` value names, lowercase.
fn mailto(value: &str) -> Option<String> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let address = lower.strip_prefix("mailto:")?.trim();
    address.contains('@').then(|| address.to_string())
}

/// The addresses a scheduler's confirmation names in its words, in order, without the
/// sender's own, at most `limit`: the store matches the first that is a lead (the invitee).
pub fn invitee(reply: &Reply, limit: usize) -> Vec<String> {
    let sender = reply.from.as_deref().unwrap_or("");
    let mut out: Vec<String> = Vec::new();
    for word in reply
        .text
        .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\''))
    {
        let word = word
            .trim_matches(|c: char| !c.is_ascii_alphanumeric())
            .to_ascii_lowercase();
        let word = word.strip_prefix("mailto:").unwrap_or(&word).to_string();
        let Some((local, domain)) = word.split_once('@') else {
            continue;
        };
        if local.is_empty() || !domain.contains('.') || word == sender || out.contains(&word) {
            continue;
        }
        out.push(word);
        if out.len() >= limit {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(from: &str, calendar: &str) -> Reply {
        Reply {
            from: Some(from.to_string()),
            calendar: Some(calendar.to_string()),
            ..Reply::default()
        }
    }

    fn ics(method: &str, organizer: &str, attendee: &str, partstat: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//EN\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\n\
             UID:abc@example.test\r\nDTSTART:20270112T140000Z\r\nORGANIZER;CN=Organiser:mailto:{organizer}\r\n\
             ATTENDEE;CN=Someone;PARTSTAT={partstat};ROLE=REQ-PARTICIPANT:\r\n mailto:{attendee}\r\n\
             SUMMARY:Intro call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    }

    #[test]
    fn the_leads_acceptance_or_invitation_is_a_meeting() {
        let lead = "ann@lead.test";
        let us = "sales@example.test";
        let check = |from: &str, cal: String, expect: Option<&str>| {
            assert_eq!(from_calendar(&reply(from, &cal)), expect, "{cal}");
        };
        check(
            lead,
            ics("REPLY", us, lead, "ACCEPTED"),
            Some(BUILTIN_CALENDAR_ACCEPTED),
        );
        check(lead, ics("REPLY", us, lead, "DECLINED"), None);
        check(lead, ics("REPLY", us, lead, "TENTATIVE"), None);
        // Someone else's acceptance forwarded by the lead is not the lead's.
        check(lead, ics("REPLY", us, "bob@lead.test", "ACCEPTED"), None);
        check(
            lead,
            ics("REQUEST", lead, us, "NEEDS-ACTION"),
            Some(BUILTIN_CALENDAR_INVITATION),
        );
        check(lead, ics("REQUEST", "bob@lead.test", us, "NEEDS-ACTION"), None);
        check(lead, ics("CANCEL", lead, us, "NEEDS-ACTION"), None);
        check(lead, "not a calendar at all".to_string(), None);
        check(
            lead,
            "METHOD:REPLY\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@lead.test".to_string(),
            None,
        );
        assert_eq!(from_calendar(&Reply::default()), None);
    }

    #[test]
    fn a_confirmation_names_its_invitee() {
        let r = Reply {
            from: Some("notifications@calendly.com".into()),
            text: "Invitee: Ann Lee\nInvitee Email: Ann@Lead.test\nReply to notifications@calendly.com. \
                   Host <sam@example.test>"
                .into(),
            ..Reply::default()
        };
        assert_eq!(invitee(&r, 5), vec!["ann@lead.test", "sam@example.test"]);
        assert_eq!(invitee(&r, 1), vec!["ann@lead.test"]);
    }
}
