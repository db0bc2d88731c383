//! The one campaign fixture: the campaign files of the tests, written from what a test cares
//! about (its steps, zone, window, limits, policy) over defaults that keep out of the way (the
//! `sales` mailbox, UTC, open every day around the clock).

use cadenced::db::Store;
use cadenced::domain::campaign::{parse_campaign, CampaignSpec};
use chrono::{DateTime, Utc};

/// Every day of the week, for a window that never closes a day.
const EVERY_DAY: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Monday to Friday.
pub const WEEKDAYS: &[&str] = &["mon", "tue", "wed", "thu", "fri"];

/// A campaign file being written; [`Campaign::toml`] is the text.
#[derive(Debug, Clone)]
pub struct Campaign {
    name: String,
    mailbox: String,
    timezone: String,
    /// The `window` line; `None` leaves the campaign's default window.
    window: Option<String>,
    /// Top-level lines after the window (`limits`, `tracking`).
    lines: Vec<String>,
    /// The lines of `[policy]`.
    policy: Vec<String>,
    /// The `[[step]]` tables, written.
    steps: Vec<String>,
}

/// `s` as a TOML basic string.
fn quoted(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    format!("\"{escaped}\"")
}

impl Campaign {
    /// Campaign `name` from the `sales` mailbox, in UTC, open every day from 00:00 to 24:00,
    /// with no steps yet.
    pub fn new(name: &str) -> Campaign {
        Campaign {
            name: name.to_string(),
            mailbox: "sales".to_string(),
            timezone: "UTC".to_string(),
            window: None,
            lines: Vec::new(),
            policy: Vec::new(),
            steps: Vec::new(),
        }
        .window(EVERY_DAY, "00:00", "24:00")
    }

    /// Sent from `mailbox`.
    pub fn mailbox(mut self, mailbox: &str) -> Campaign {
        self.mailbox = mailbox.to_string();
        self
    }

    /// In the IANA zone `timezone`.
    pub fn timezone(mut self, timezone: &str) -> Campaign {
        self.timezone = timezone.to_string();
        self
    }

    /// Open on `days` (`"mon"` …) from `start` to `end` (`"HH:MM"`).
    pub fn window(mut self, days: &[&str], start: &str, end: &str) -> Campaign {
        let days: Vec<String> = days.iter().map(|d| quoted(d)).collect();
        self.window = Some(format!(
            "window = {{ days = [{}], start = {}, end = {} }}",
            days.join(", "),
            quoted(start),
            quoted(end)
        ));
        self
    }

    /// No `window` line: the default window of a campaign file.
    pub fn default_window(mut self) -> Campaign {
        self.window = None;
        self
    }

    /// A top-level line, written as given (`limits = { min_gap = "0s" }`).
    pub fn line(mut self, line: &str) -> Campaign {
        self.lines.push(line.to_string());
        self
    }

    /// A line of the `[policy]` table, written as given (`scope = "this_campaign"`).
    pub fn policy(mut self, line: &str) -> Campaign {
        self.policy.push(line.to_string());
        self
    }

    /// A step `delay` after the one before (after launch for the first) with its own subject.
    pub fn step(mut self, delay: &str, subject: &str, body: &str) -> Campaign {
        self.steps.push(format!(
            "[[step]]\ndelay = {}\nsubject = {}\nbody = {}\n",
            quoted(delay),
            quoted(subject),
            quoted(body)
        ));
        self
    }

    /// A step `delay` after the one before, sent in its thread (`thread = true`, no subject).
    pub fn follow_up(mut self, delay: &str, body: &str) -> Campaign {
        self.steps.push(format!(
            "[[step]]\ndelay = {}\nthread = true\nbody = {}\n",
            quoted(delay),
            quoted(body)
        ));
        self
    }

    /// The campaign's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The campaign file.
    pub fn toml(&self) -> String {
        let mut text = format!(
            "name = {}\nmailbox = {}\ntimezone = {}\n",
            quoted(&self.name),
            quoted(&self.mailbox),
            quoted(&self.timezone)
        );
        for line in self.window.iter().chain(&self.lines) {
            text.push_str(line);
            text.push('\n');
        }
        if !self.policy.is_empty() {
            text.push_str("[policy]\n");
            for line in &self.policy {
                text.push_str(line);
                text.push('\n');
            }
        }
        for step in &self.steps {
            text.push_str(step);
        }
        text
    }

    /// The validated campaign; panics with the error when the file does not parse.
    pub fn spec(&self) -> CampaignSpec {
        match parse_campaign(&format!("{}.toml", self.name), &self.toml()) {
            Ok((_, spec)) => spec,
            Err(e) => panic!("campaign {}: {e}\n{}", self.name, self.toml()),
        }
    }

    /// Applies the campaign to `store` at `now` (not launched); its id.
    pub async fn apply(&self, store: &Store, now: DateTime<Utc>) -> i64 {
        store
            .apply_campaign(&self.toml(), &self.spec(), now)
            .await
            .expect("apply the campaign");
        store
            .campaign_required(&self.name)
            .await
            .expect("the campaign applied")
            .id
    }
}
