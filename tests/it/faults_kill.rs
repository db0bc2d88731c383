//! The fault suite through the real stack (issue 6): real `cadenced run` child processes on the
//! embedded SQLite default, a real Postfix + Dovecot, SIGKILL at random moments during 2,000
//! sends and a few hundred replies, and Postfix and Dovecot each restarted mid-run. Afterwards:
//! no duplicate send, no lost reply, every reply applied exactly once.
//!
//! The test plays the leads: a thread watches the Maildirs of the leads chosen to answer and,
//! as each one's first step lands, replies to the sales mailbox over SMTP in the thread of that
//! step (a person's answer, an out-of-office with a return date in English or German, or an
//! unsubscribe request).
//!
//! Ordering is checked without trusting clocks: before the daemon first starts, the test adds
//! an audit table and triggers to the database (the daemon never reads them). Every change of
//! a send's state, of an enrollment's status and every inbound message appends a row there,
//! inside the daemon's own transaction. SQLite has one writer at a time and holds the write
//! lock until commit, so the audit's sequence is the commit order: "a claim committed after
//! the stop" and "an uncertain send claimed again" are facts read off it, not guesses from
//! timestamps.
//!
//! A copy in a lead's Maildir is traced to the SMTP transaction that brought it by the queue id
//! in Postfix's `Received` header: two transactions for one Message-ID are a duplicate send.
//! Two copies of one transaction are the mail stack's doing (a Postfix or Dovecot stopped
//! after Dovecot saved a message and before Postfix heard so delivers it again), counted in
//! the summary and not blamed on the daemon.
//!
//! The run ends when every lead is completed, paused, stopped, or waits on a send left
//! uncertain by a kill or by a connection Postfix's restart cut after the message's final "."
//! (those wait for an operator, by design), and every reply is recorded.
//!
//! The run is seeded: the seed is printed, and `CADENCED_FAULT_SEED=N` replays its choices
//! (who replies how, when the kills and restarts happen; the daemon's own timing still varies).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use cadenced::clock::{Clock, SystemClock};
use chrono::{Datelike, NaiveDate, Weekday};
use lettre::address::Envelope;
use lettre::{Address, SmtpTransport, Transport};
use sqlx::sqlite::SqlitePool;

use crate::ingest::month_name;
use crate::support::campaign::Campaign;
use crate::support::daemon::{cli_ok, enroll, write_config, DaemonProcess, TestMailbox};
use crate::support::mailstack::{MailStack, SALES};
use crate::support::{lazy, wait_for};

/// Leads in the campaign; two steps each make the 2,000 sends.
const LEADS: usize = 1000;
/// Leads that answer their first step.
const REPLIERS: usize = 300;
/// SIGKILLs of the daemon (each followed by a restart) in the chain of chaos actions. The
/// chain also restarts Postfix and Dovecot, each among its first few actions: the one-minute
/// retry of the sends a Postfix outage fails must fit the run, and a Dovecot outage matters
/// while replies come in.
const CHAIN_KILLS: usize = 5;
/// Each action of the chain comes once a random number of further sends in this range is
/// recorded, so that it lands while mail is going out (not during a retry backoff)...
const CHAIN_GAP: (u64, u64) = (30, 150);
/// ... or, for the actions left, at this long after the first start (kills leave sends
/// uncertain for good, so the sends they wait for may never come).
const CHAOS_DEADLINE: Duration = Duration::from_secs(100);
/// One more kill comes at a random time within this long after the first start, whatever
/// is going on then.
const TIMED_KILL_WINDOW: Duration = Duration::from_secs(40);
/// How long Postfix and Dovecot each stay down.
const OUTAGE: Duration = Duration::from_secs(3);
/// The run has failed to settle when this long passes without progress (a send recorded, a
/// lead settled, a reply sent or recorded): the daemon is stuck, or lost something. A
/// deadline from the start would instead measure the machine: on two cores shared with
/// builds and the rest of the suite, a healthy run has taken from 110 s to over 150 s.
const STALL: Duration = Duration::from_secs(90);
/// However steady the progress, the run must settle within this long after the first start.
const SETTLE_CAP: Duration = Duration::from_secs(900);
/// How long Postfix may take to hand the mail it accepted to Dovecot once the run settled.
const QUEUE_DRAIN: Duration = Duration::from_secs(120);
/// The campaign's name.
const CAMPAIGN: &str = "faults";

/// Always open, no cap, no gap: the daemon sends as fast as the stack takes it. Step 2 is
/// due half a minute after step 1, so that replies normally land while a lead is running.
fn campaign() -> Campaign {
    Campaign::new(CAMPAIGN)
        .line("limits = { min_gap = \"0s\" }")
        .step(
            "0s",
            "Quick question, {{first_name}}",
            "Hi {{first_name}}, may I ask how {{company}} handles its outreach today?",
        )
        .follow_up("30s", "Following up on my question, {{first_name}}.")
}

/// xorshift64*: a seeded generator from the standard library alone, so a failing run can be
/// replayed from its printed seed.
struct Rng(u64);

impl Rng {
    /// A generator from `seed` (zero is moved off, xorshift would stay at zero).
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A duration in `lo..hi`.
    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = hi.saturating_sub(lo).as_millis() as u64;
        lo + Duration::from_millis(self.below(span))
    }
}

/// The seed from `CADENCED_FAULT_SEED`, else from the clock.
fn seed() -> u64 {
    match std::env::var("CADENCED_FAULT_SEED") {
        Ok(s) => s.trim().parse().expect("CADENCED_FAULT_SEED is a number"),
        Err(_) => SystemClock.now().timestamp_nanos_opt().unwrap_or(1) as u64,
    }
}

/// How a lead answers, and what the daemon must make of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ReplyKind {
    /// A person writes back: stop, reason `replied`.
    Human,
    /// An English out-of-office with a return date: pause until then.
    OutOfOfficeEn,
    /// A German out-of-office with a return date: pause until then.
    OutOfOfficeDe,
    /// "Please unsubscribe me": stop, reason `unsubscribed`, address suppressed.
    Unsubscribe,
}

impl ReplyKind {
    /// The category the rules must give it.
    fn category(self) -> &'static str {
        match self {
            ReplyKind::Human => "human",
            ReplyKind::OutOfOfficeEn | ReplyKind::OutOfOfficeDe => "out_of_office",
            ReplyKind::Unsubscribe => "unsubscribe",
        }
    }

    /// The status the lead must be left in, and the stop or pause reason.
    fn outcome(self) -> (&'static str, &'static str) {
        match self {
            ReplyKind::Human => ("stopped", "replied"),
            ReplyKind::OutOfOfficeEn | ReplyKind::OutOfOfficeDe => ("paused", "out_of_office"),
            ReplyKind::Unsubscribe => ("stopped", "unsubscribed"),
        }
    }
}

/// A reply the test sent.
#[derive(Debug, Clone)]
struct SentReply {
    lead: usize,
    kind: ReplyKind,
    message_id: String,
}

/// The header lines of a raw message, each folded header joined into one line.
fn header_lines(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let head = text.split("\n\n").next().unwrap_or("");
    let mut lines: Vec<String> = Vec::new();
    for line in head.lines() {
        match lines.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => lines.push(line.to_string()),
        }
    }
    lines
}

/// The value of header `name` in a raw message (first occurrence, unfolded), if any.
fn header(raw: &[u8], name: &str) -> Option<String> {
    let prefix = format!("{}:", name.to_ascii_lowercase());
    header_lines(raw)
        .into_iter()
        .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
        .map(|l| l[prefix.len()..].trim().to_string())
}

/// The queue id Postfix gave the SMTP transaction that brought `raw`, from its `Received:
/// … by … (Postfix) with ESMTP id QUEUEID` header.
fn postfix_queue_id(raw: &[u8]) -> Option<String> {
    header_lines(raw)
        .iter()
        .filter(|l| l.to_ascii_lowercase().starts_with("received:") && l.contains("(Postfix)"))
        .find_map(|l| {
            let mut words = l.split_whitespace();
            words.find(|w| *w == "id")?;
            words.next().map(|id| id.trim_end_matches(';').to_string())
        })
}

/// The return date the out-of-office replies give: a weekday in the middle of next month.
fn return_date() -> NaiveDate {
    let today = SystemClock.now().date_naive();
    let (y, m) = if today.month() == 12 {
        (today.year() + 1, 1)
    } else {
        (today.year(), today.month() + 1)
    };
    let mut d = NaiveDate::from_ymd_opt(y, m, 14).expect("the 14th exists");
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d.succ_opt().expect("a next day");
    }
    d
}

/// The raw reply of `lead` to its first step (`subject`, `parent` Message-ID).
fn reply_bytes(
    kind: ReplyKind,
    lead: usize,
    message_id: &str,
    parent: &str,
    subject: &str,
    back: NaiveDate,
) -> Vec<u8> {
    let from = format!("lead{lead}@lead.test");
    let date = SystemClock.now().to_rfc2822();
    let (subject, extra, body) = match kind {
        ReplyKind::Human => (
            format!("Re: {subject}"),
            "",
            format!("Thanks, that sounds interesting. Could you send me your prices for a team of ten?\r\n\r\nBest, Lead{lead}"),
        ),
        ReplyKind::OutOfOfficeEn => (
            format!("Automatic reply: {subject}"),
            "Auto-Submitted: auto-replied\r\n",
            format!(
                "I am out of the office with no access to email. I will be back in the office on {} {}, {}.",
                month_name("en", back.month()),
                back.day(),
                back.year()
            ),
        ),
        ReplyKind::OutOfOfficeDe => (
            format!("Abwesenheitsnotiz: {subject}"),
            "Auto-Submitted: auto-replied\r\n",
            format!(
                "Vielen Dank für Ihre Nachricht. Ich bin derzeit nicht im Büro und ab dem {}. {} {} wieder erreichbar.",
                back.day(),
                month_name("de", back.month()),
                back.year()
            ),
        ),
        ReplyKind::Unsubscribe => (
            format!("Re: {subject}"),
            "",
            "Please unsubscribe me and remove my address from your list.".to_string(),
        ),
    };
    format!(
        "From: {from}\r\nTo: {SALES}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: {message_id}\r\n\
         In-Reply-To: {parent}\r\nReferences: {parent}\r\n{extra}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// Plays the leads in `plan`: as each one's first step lands in its Maildir, sends its reply
/// to the sales mailbox through Postfix, retrying while Postfix is down. Appends every
/// reply sent to `sent` and returns when all have answered or `stop` is set.
fn play_leads(
    stack: &MailStack,
    plan: &[(usize, ReplyKind)],
    back: NaiveDate,
    seed: u64,
    sent: &Mutex<Vec<SentReply>>,
    stop: &AtomicBool,
) {
    let transport = SmtpTransport::builder_dangerous("127.0.0.1")
        .port(stack.smtp_port())
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let sales: Address = SALES.parse().expect("sales address");
    let mut pending: Vec<(usize, ReplyKind)> = plan.to_vec();
    while !pending.is_empty() && !stop.load(Ordering::SeqCst) {
        let mut still = Vec::with_capacity(pending.len());
        for (lead, kind) in pending {
            let first = stack
                .maildir_messages(&format!("lead{lead}"))
                .into_iter()
                .find(|m| header(m, "In-Reply-To").is_none());
            let Some(first) = first else {
                still.push((lead, kind));
                continue;
            };
            let parent = header(&first, "Message-ID").expect("our step has a Message-ID");
            let subject = header(&first, "Subject").expect("our step has a subject");
            let message_id = format!("<reply.{lead}.{seed:x}@lead.test>");
            let raw = reply_bytes(kind, lead, &message_id, &parent, &subject, back);
            let from: Address = format!("lead{lead}@lead.test").parse().expect("lead address");
            let envelope = Envelope::new(Some(from), vec![sales.clone()]).expect("envelope");
            // Postfix may be restarting: a person's own server would queue and try again.
            // A retry after an ambiguous failure may deliver twice; the daemon must take the
            // second copy for what it is (the same Message-ID).
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                match transport.send_raw(&envelope, &raw) {
                    Ok(_) => break,
                    Err(e) => {
                        assert!(
                            Instant::now() < deadline,
                            "reply of lead{lead} not accepted for 60 s: {e}"
                        );
                        std::thread::sleep(Duration::from_millis(300));
                    }
                }
            }
            sent.lock().expect("sent replies").push(SentReply {
                lead,
                kind,
                message_id,
            });
        }
        pending = still;
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The test's handle on the daemon's SQLite file: a small runtime and pool for queries.
struct Db {
    rt: tokio::runtime::Runtime,
    pool: SqlitePool,
}

impl Db {
    /// Opens the database at `url` (it exists: the CLI created and migrated it).
    fn open(url: &str) -> Db {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let pool = rt.block_on(async {
            let opts: sqlx::sqlite::SqliteConnectOptions = url.parse().expect("sqlite url");
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts.busy_timeout(Duration::from_secs(30)))
                .await
                .expect("open the daemon's database")
        });
        Db { rt, pool }
    }

    /// Runs statements (no results).
    fn execute(&self, sql: &str) {
        self.rt
            .block_on(sqlx::raw_sql(sql).execute(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Rows of a query without parameters.
    fn rows<T>(&self, sql: &str) -> Vec<T>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
    {
        self.rt
            .block_on(sqlx::query_as::<_, T>(sql).fetch_all(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// A single integer.
    fn count(&self, sql: &str) -> i64 {
        self.rt
            .block_on(sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// The audit table and its triggers (see the module docs). Sends: every insert and state
/// change; enrollments: every status change; inbound messages: every insert.
const AUDIT: &str = r#"
CREATE TABLE fault_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    what TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    enrollment_id INTEGER,
    state TEXT
);
CREATE TRIGGER fault_audit_send_new AFTER INSERT ON sends BEGIN
    INSERT INTO fault_audit (what, row_id, enrollment_id, state) VALUES ('send', NEW.id, NEW.enrollment_id, NEW.state);
END;
CREATE TRIGGER fault_audit_send_state AFTER UPDATE OF state ON sends WHEN NEW.state IS NOT OLD.state BEGIN
    INSERT INTO fault_audit (what, row_id, enrollment_id, state) VALUES ('send', NEW.id, NEW.enrollment_id, NEW.state);
END;
CREATE TRIGGER fault_audit_lead AFTER UPDATE OF status ON enrollments WHEN NEW.status IS NOT OLD.status BEGIN
    INSERT INTO fault_audit (what, row_id, enrollment_id, state) VALUES ('lead', NEW.id, NEW.id, NEW.status);
END;
CREATE TRIGGER fault_audit_inbound AFTER INSERT ON inbound_messages BEGIN
    INSERT INTO fault_audit (what, row_id, enrollment_id, state) VALUES ('inbound', NEW.id, NEW.enrollment_id, NEW.category);
END;
"#;

/// Enrollments still waiting for the daemon: sendable, and their next step not left
/// uncertain by a kill or a connection cut after the message (those wait for an operator, by
/// design).
const UNSETTLED: &str = "SELECT COUNT(*) FROM enrollments e WHERE e.status IN ('launch', 'in_progress') \
     AND NOT EXISTS (SELECT 1 FROM sends s WHERE s.enrollment_id = e.id AND s.step = e.steps_sent \
     AND s.state = 'uncertain')";

/// Messages in Postfix's queues (accepted and not delivered yet), as `postqueue -j` lists
/// them (files left half-written by a stop are not messages).
fn postfix_queued(stack: &MailStack) -> usize {
    let out = std::process::Command::new("postqueue")
        .arg("-c")
        .arg(stack.dir().join("postfix"))
        .arg("-j")
        .output()
        .expect("run postqueue");
    assert!(
        out.status.success(),
        "postqueue -j: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"queue_id\""))
        .count()
}

/// Sets the flag when dropped.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A chaos action.
#[derive(Debug, Clone, Copy)]
enum Chaos {
    /// SIGKILL the daemon, then start a new one after the given pause.
    Kill(Duration),
    /// Stop Postfix for [`OUTAGE`], then start it.
    RestartPostfix,
    /// Stop Dovecot for [`OUTAGE`], then start it.
    RestartDovecot,
}

/// A send as the checks need it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct SendRow {
    id: i64,
    enrollment_id: i64,
    step: i64,
    message_id: String,
    state: String,
    claimed_at: i64,
    sent_at: Option<i64>,
}

/// An enrollment as the checks need it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Lead {
    id: i64,
    email: String,
    status: String,
    stop_reason: Option<String>,
    stopped_at: Option<i64>,
    pause_reason: Option<String>,
    return_date: Option<String>,
}

/// An inbound message as the checks need it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct InboundMessage {
    id: i64,
    message_id: Option<String>,
    enrollment_id: Option<i64>,
    category: Option<String>,
    matched_by: Option<String>,
    action: Option<String>,
}

/// An event as the checks need it.
#[derive(Debug, Clone, sqlx::FromRow)]
struct EventOf {
    enrollment_id: i64,
    kind: String,
    to_status: String,
    reason: Option<String>,
    message_id: Option<i64>,
    date: Option<String>,
}

/// An audit row.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Audit {
    seq: i64,
    what: String,
    row_id: i64,
    state: Option<String>,
}

#[test]
fn sigkill_and_mail_server_restarts_never_duplicate_a_send_or_lose_a_reply() {
    let started = Instant::now();
    let seed = seed();
    eprintln!("faults_kill: seed {seed} (replay with CADENCED_FAULT_SEED={seed})");
    let mut rng = Rng::new(seed);

    // ---- set-up: a mail stack, a config on the default SQLite file, a launched campaign ----
    let stack = MailStack::start(LEADS);
    let dir = tempfile::tempdir().expect("tempdir");
    let db_url = format!("sqlite://{}", dir.path().join("state/cadenced.db").display());
    let sales = TestMailbox {
        name: "sales",
        address: SALES,
    };
    let config = write_config(dir.path(), &stack, &db_url, &[sales], "");
    let mut rows = String::from("email,first_name,company\n");
    for i in 1..=LEADS {
        rows.push_str(&format!("lead{i}@lead.test,Lead{i},Company {i}\n"));
    }
    enroll(&config, dir.path(), CAMPAIGN, &campaign().toml(), &rows);
    let db = Db::open(&db_url);
    db.execute(AUDIT);
    cli_ok(&config, &["campaign", "launch", CAMPAIGN]);

    // Who answers, and how: a seeded choice of leads and kinds.
    let back = return_date();
    let mut plan: Vec<(usize, ReplyKind)> = Vec::with_capacity(REPLIERS);
    let mut chosen = HashSet::new();
    while plan.len() < REPLIERS {
        let lead = 1 + rng.below(LEADS as u64) as usize;
        if !chosen.insert(lead) {
            continue;
        }
        let kind = match rng.below(10) {
            0..=3 => ReplyKind::Human,
            4..=5 => ReplyKind::OutOfOfficeEn,
            6..=7 => ReplyKind::OutOfOfficeDe,
            _ => ReplyKind::Unsubscribe,
        };
        plan.push((lead, kind));
    }
    // The chain of chaos actions with the count of further sends each waits for, and the
    // timed kill.
    let mut chain: Vec<Chaos> = (0..CHAIN_KILLS)
        .map(|_| Chaos::Kill(rng.between(Duration::ZERO, Duration::from_millis(800))))
        .collect();
    chain.insert(rng.below(3) as usize, Chaos::RestartDovecot);
    chain.insert(rng.below(3) as usize, Chaos::RestartPostfix);
    let mut chain: std::collections::VecDeque<(i64, Chaos)> = chain
        .into_iter()
        .map(|c| ((CHAIN_GAP.0 + rng.below(CHAIN_GAP.1 - CHAIN_GAP.0)) as i64, c))
        .collect();
    let mut timed_kill = Some((
        rng.between(Duration::from_secs(2), TIMED_KILL_WINDOW),
        Chaos::Kill(rng.between(Duration::ZERO, Duration::from_millis(800))),
    ));
    eprintln!("faults_kill: chain {chain:?}, timed {timed_kill:?}");
    let setup_took = started.elapsed();

    // ---- the run ----
    let sent_replies: Mutex<Vec<SentReply>> = Mutex::new(Vec::new());
    let stop_replying = AtomicBool::new(false);
    let mut killed: Vec<DaemonProcess> = Vec::new();
    let mut daemon = DaemonProcess::start(&config, "daemon 1");
    let t0 = Instant::now();
    let mut chaos_notes: Vec<String> = Vec::new();
    let mut kills = 0;
    let mut settled_after = None;
    let mut unsettled_note = String::new();
    std::thread::scope(|scope| {
        let players = scope.spawn(|| play_leads(&stack, &plan, back, seed, &sent_replies, &stop_replying));
        // However this thread leaves the scope (a failed check panics), the leads stop
        // answering, so that the scope can end.
        let _stop_players = StopOnDrop(&stop_replying);
        // Mail server restarts run beside the kills, so that they may overlap.
        let mut outages = Vec::new();
        let mut last_sent = 0;
        while !chain.is_empty() || timed_kill.is_some() {
            let sent = db.count("SELECT COUNT(*) FROM sends WHERE state = 'sent'");
            let elapsed = t0.elapsed();
            let (trigger, action) = match (chain.front(), timed_kill) {
                (_, Some((at, action))) if elapsed >= at => {
                    timed_kill = None;
                    (format!("timed {at:?}"), action)
                }
                (Some((gap, _)), _) if sent >= last_sent + gap || elapsed >= CHAOS_DEADLINE => {
                    let (gap, action) = chain.pop_front().expect("front exists");
                    let why = if sent >= last_sent + gap {
                        format!("{gap} more sends")
                    } else {
                        format!("deadline {CHAOS_DEADLINE:?}")
                    };
                    last_sent = sent;
                    (why, action)
                }
                _ => {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
            };
            let claimed = db.count("SELECT COUNT(*) FROM sends WHERE state = 'claimed'");
            let note = format!(
                "{action:?} at {:.1}s ({trigger}; {sent} sent, {claimed} claimed)",
                elapsed.as_secs_f64()
            );
            eprintln!("faults_kill: {note}");
            chaos_notes.push(note);
            match action {
                Chaos::Kill(pause) => {
                    daemon.kill9();
                    kills += 1;
                    std::thread::sleep(pause);
                    let label = format!("daemon {}", killed.len() + 2);
                    killed.push(std::mem::replace(
                        &mut daemon,
                        DaemonProcess::start(&config, &label),
                    ));
                }
                Chaos::RestartPostfix => {
                    let stack = &stack;
                    outages.push(scope.spawn(move || {
                        stack.stop_smtp();
                        std::thread::sleep(OUTAGE);
                        stack.start_smtp();
                    }));
                }
                Chaos::RestartDovecot => {
                    let stack = &stack;
                    outages.push(scope.spawn(move || {
                        stack.stop_imap();
                        std::thread::sleep(OUTAGE);
                        stack.start_imap();
                    }));
                }
            }
        }
        for outage in outages {
            outage.join().expect("mail server restart");
        }
        // Settled: every lead finished, paused, stopped or waiting on an uncertain send;
        // every lead whose first step arrived has answered, and every answer is recorded.
        let mut progress = (0, 0, 0, 0);
        let mut progressed = Instant::now();
        loop {
            assert!(
                daemon.is_running(),
                "{} exited on its own:\n{}",
                daemon.label,
                tail(&daemon.log(), 60)
            );
            let unsettled = db.count(UNSETTLED);
            let replied: Vec<SentReply> = sent_replies.lock().expect("replies").clone();
            let due_to_reply = plan
                .iter()
                .filter(|(lead, _)| {
                    stack
                        .maildir_messages(&format!("lead{lead}"))
                        .iter()
                        .any(|m| header(m, "In-Reply-To").is_none())
                })
                .count();
            let seen: Vec<(Option<String>,)> = db.rows("SELECT message_id FROM inbound_messages");
            let seen: HashSet<String> = seen.into_iter().filter_map(|(m,)| m).collect();
            let recorded = replied.iter().filter(|r| seen.contains(&r.message_id)).count();
            if unsettled == 0 && replied.len() == due_to_reply && recorded == replied.len() {
                settled_after = Some(t0.elapsed());
                break;
            }
            let sent = db.count("SELECT COUNT(*) FROM sends WHERE state = 'sent'");
            let now = (sent, unsettled, replied.len() as i64, recorded as i64);
            if now != progress {
                progress = now;
                progressed = Instant::now();
            }
            if progressed.elapsed() > STALL || t0.elapsed() > SETTLE_CAP {
                unsettled_note = format!(
                    "no progress for {:.0?} after {:.0?}: {unsettled} enrollments still due; {} replies sent of \
                     {due_to_reply} due, {recorded} recorded",
                    progressed.elapsed(),
                    t0.elapsed(),
                    replied.len()
                );
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        stop_replying.store(true, Ordering::SeqCst);
        players.join().expect("the leads' thread");
    });
    let Some(settled_after) = settled_after else {
        let by_status: Vec<(String, i64)> =
            db.rows("SELECT status, COUNT(*) FROM enrollments GROUP BY status ORDER BY status");
        let by_state: Vec<(String, i64)> =
            db.rows("SELECT state, COUNT(*) FROM sends GROUP BY state ORDER BY state");
        panic!(
            "not settled (seed {seed}): {unsettled_note}; leads {by_status:?}; \
             sends {by_state:?}\n{}",
            tail(&daemon.log(), 60)
        );
    };
    // Mail accepted by Postfix reaches the Maildirs: wait for its queue to empty.
    wait_for(
        QUEUE_DRAIN.as_secs(),
        lazy(|| format!("Postfix's queue to empty\n{}", stack.logs())),
        || (postfix_queued(&stack) == 0).then_some(()),
    );
    let status = daemon.terminate(Duration::from_secs(30));
    assert!(
        status.success(),
        "the last daemon drains and exits 0: {status}\n{}",
        tail(&daemon.log(), 40)
    );
    let run_took = t0.elapsed();

    // ---- what the database says ----
    let sends: Vec<SendRow> = db.rows(
        "SELECT id, enrollment_id, step, message_id, state, claimed_at, sent_at FROM sends ORDER BY id",
    );
    let leads: Vec<Lead> = db.rows(
        "SELECT e.id, l.email, e.status, e.stop_reason, e.stopped_at, e.pause_reason, e.return_date \
         FROM enrollments e JOIN leads l ON l.id = e.lead_id ORDER BY e.id",
    );
    let inbound: Vec<InboundMessage> =
        db.rows("SELECT id, message_id, enrollment_id, category, matched_by, action FROM inbound_messages ORDER BY id");
    let events: Vec<EventOf> =
        db.rows("SELECT enrollment_id, kind, to_status, reason, message_id, date FROM events ORDER BY id");
    let audit: Vec<Audit> = db.rows("SELECT seq, what, row_id, state FROM fault_audit ORDER BY seq");
    let lead_by_email: HashMap<&str, &Lead> = leads.iter().map(|l| (l.email.as_str(), l)).collect();
    let send_by_mid: HashMap<&str, &SendRow> = sends.iter().map(|s| (s.message_id.as_str(), s)).collect();
    let mut failures: Vec<String> = Vec::new();

    // ---- (1) and (2): the Maildirs against the sends ----
    // A copy is traced to the SMTP transaction that brought it by the queue id in Postfix's
    // Received header. Two transactions for one Message-ID mean the daemon sent it twice.
    // Two copies from one transaction are the mail stack's own doing: a Postfix or Dovecot
    // stopped after Dovecot saved a message and before Postfix heard so delivers it again
    // on restart (SMTP and LMTP are at-least-once hops); they are counted, not blamed.
    let mut copies: HashMap<String, Vec<String>> = HashMap::new();
    for i in 1..=LEADS {
        let email = format!("lead{i}@lead.test");
        let mut per_step: BTreeMap<i64, HashSet<String>> = BTreeMap::new();
        for raw in stack.maildir_messages(&format!("lead{i}")) {
            let mid = header(&raw, "Message-ID").unwrap_or_default();
            let subject = header(&raw, "Subject").unwrap_or_default();
            let queue_id = postfix_queue_id(&raw).unwrap_or_default();
            copies.entry(mid.clone()).or_default().push(queue_id);
            let step_by_subject = i64::from(subject.starts_with("Re: "));
            per_step.entry(step_by_subject).or_default().insert(mid.clone());
            match send_by_mid.get(mid.as_str()) {
                None => failures.push(format!(
                    "{email} received {mid} ({subject:?}), which no send row knows"
                )),
                Some(s) if !matches!(s.state.as_str(), "sent" | "uncertain") => failures.push(format!(
                    "{email} received {mid}, whose send is {} (the daemon thinks it did not go out)",
                    s.state
                )),
                Some(s) if s.step != step_by_subject => failures.push(format!(
                    "{email} received {mid} with subject {subject:?} but it is step {} in the database",
                    s.step + 1
                )),
                Some(s) if lead_by_email.get(email.as_str()).map(|l| l.id) != Some(s.enrollment_id) => {
                    failures.push(format!("{email} received {mid}, a send of another enrollment"))
                }
                Some(_) => {}
            }
        }
        for (step, mids) in per_step {
            if mids.len() > 1 {
                failures.push(format!(
                    "{email} received step {} as {} different mails: {mids:?}",
                    step + 1,
                    mids.len()
                ));
            }
        }
    }
    // Per Message-ID: how many SMTP transactions brought it.
    let accepted = |mid: &str| -> usize {
        copies
            .get(mid)
            .map(|q| q.iter().collect::<HashSet<_>>().len())
            .unwrap_or(0)
    };
    let mut redelivered: Vec<&str> = Vec::new();
    for (mid, queue_ids) in &copies {
        let n = accepted(mid);
        if n > 1 {
            failures.push(format!(
                "{mid} was handed to Postfix {n} times (queue ids {queue_ids:?})"
            ));
        } else if queue_ids.len() > 1 {
            redelivered.push(mid);
        }
    }
    for s in sends.iter().filter(|s| s.state == "sent") {
        let n = accepted(&s.message_id);
        if n != 1 {
            failures.push(format!(
                "send {} (step {}) is recorded sent and reached the lead through {n} SMTP transactions",
                s.message_id,
                s.step + 1
            ));
        }
    }

    // ---- (5): uncertain sends are reconciled or left, never sent again ----
    let mut history: HashMap<i64, Vec<&str>> = HashMap::new();
    for a in audit.iter().filter(|a| a.what == "send") {
        history
            .entry(a.row_id)
            .or_default()
            .push(a.state.as_deref().unwrap_or(""));
    }
    // Steps recorded as sent by a reply in their thread (only first steps are answered).
    let answered_steps: HashSet<(i64, i64)> = events
        .iter()
        .filter(|e| e.kind == "step_sent" && e.message_id.is_some())
        .map(|e| (e.enrollment_id, 0))
        .collect();
    let mut ever_uncertain = 0;
    let mut reconciled = 0;
    let mut answered = 0;
    let mut uncertain_delivered = 0;
    for s in &sends {
        let states = history.get(&s.id).cloned().unwrap_or_default();
        let Some(first) = states.iter().position(|st| *st == "uncertain") else {
            continue;
        };
        ever_uncertain += 1;
        let after = &states[first + 1..];
        if after.iter().any(|st| *st != "sent") {
            failures.push(format!(
                "uncertain send {} went on to {after:?}: an uncertain send is never claimed again",
                s.message_id
            ));
        }
        let n = accepted(&s.message_id);
        match s.state.as_str() {
            "sent" if answered_steps.contains(&(s.enrollment_id, s.step)) => answered += 1,
            "sent" => reconciled += 1,
            "uncertain" if n == 1 => uncertain_delivered += 1,
            _ => {}
        }
        if n > 1 {
            failures.push(format!(
                "uncertain send {} reached the lead {n} times",
                s.message_id
            ));
        }
    }
    let left_uncertain = sends.iter().filter(|s| s.state == "uncertain").count();
    // The last daemon started after the last kill, so every copy in the Sent folder was
    // there when it reconciled: an uncertain send whose copy is there was missed (unless
    // that daemon could not reach the folder, which it logs).
    let mut in_sent: HashMap<String, usize> = HashMap::new();
    let sent_folder = stack.dir().join("mail/example.test/sales/.Sent");
    for sub in ["new", "cur"] {
        for entry in std::fs::read_dir(sent_folder.join(sub))
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Some(mid) = std::fs::read(entry.path())
                .ok()
                .and_then(|raw| header(&raw, "Message-ID"))
            {
                *in_sent.entry(mid).or_default() += 1;
            }
        }
    }
    let sent_unreachable = daemon.log().contains("Cannot look in the Sent folder");
    for s in sends.iter().filter(|s| s.state == "uncertain") {
        if in_sent.contains_key(&s.message_id) && !sent_unreachable {
            failures.push(format!(
                "uncertain send {} has its copy in the Sent folder but was not reconciled",
                s.message_id
            ));
        }
    }
    let sent_copies_twice = in_sent.values().filter(|n| **n > 1).count();

    // ---- (4): nothing claimed after a stop or pause was committed ----
    let mut held: HashMap<i64, (i64, &str)> = HashMap::new();
    let send_enrollment: HashMap<i64, i64> = sends.iter().map(|s| (s.id, s.enrollment_id)).collect();
    for a in &audit {
        match (a.what.as_str(), a.state.as_deref()) {
            ("lead", Some(st @ ("stopped" | "paused" | "skipped"))) => {
                held.entry(a.row_id).or_insert((a.seq, st));
            }
            ("lead", Some("in_progress")) if held.get(&a.row_id).is_some_and(|(_, st)| *st == "paused") => {
                held.remove(&a.row_id);
            }
            ("send", Some("claimed")) => {
                let enrollment = send_enrollment.get(&a.row_id).copied().unwrap_or(-1);
                if let Some((seq, st)) = held.get(&enrollment) {
                    failures.push(format!(
                        "send {} of enrollment {enrollment} claimed (audit #{}) after the lead was {st} (audit #{seq})",
                        a.row_id, a.seq
                    ));
                }
            }
            _ => {}
        }
    }
    // By the clock, for the summary: steps accepted by SMTP after the stop, claimed before it.
    let stopped_at: HashMap<i64, i64> = leads
        .iter()
        .filter_map(|l| l.stopped_at.map(|t| (l.id, t)))
        .collect();
    let in_flight_at_stop = sends
        .iter()
        .filter(|s| s.state == "sent")
        .filter(|s| {
            stopped_at
                .get(&s.enrollment_id)
                .is_some_and(|stop| s.sent_at.is_some_and(|t| t > *stop) && s.claimed_at <= *stop)
        })
        .count();

    // ---- (3): every reply recorded once and applied once ----
    let replies: Vec<SentReply> = sent_replies.into_inner().expect("replies");
    let mut late = 0;
    let mut settled_by_reply = 0;
    for r in &replies {
        let email = format!("lead{}@lead.test", r.lead);
        let lead = lead_by_email[email.as_str()];
        let rows: Vec<&InboundMessage> = inbound
            .iter()
            .filter(|m| m.message_id.as_deref() == Some(r.message_id.as_str()))
            .collect();
        let [row] = rows[..] else {
            failures.push(format!(
                "reply {} of {email} recorded {} times",
                r.message_id,
                rows.len()
            ));
            continue;
        };
        if row.category.as_deref() != Some(r.kind.category())
            || row.matched_by.as_deref() != Some("thread")
            || row.enrollment_id != Some(lead.id)
        {
            failures.push(format!(
                "reply {} of {email} ({:?}) recorded as {:?} matched by {:?} to {:?}",
                r.message_id, r.kind, row.category, row.matched_by, row.enrollment_id
            ));
            continue;
        }
        // The lead's status when the reply was committed, read off the audit.
        let at = audit
            .iter()
            .find(|a| a.what == "inbound" && a.row_id == row.id)
            .map_or(i64::MAX, |a| a.seq);
        let status_then = audit
            .iter()
            .rfind(|a| a.what == "lead" && a.row_id == lead.id && a.seq < at)
            .and_then(|a| a.state.as_deref())
            .unwrap_or("launch");
        // What the reply did: its effect (stop, pause), and the step it recorded as sent
        // when that step's send was not recorded yet (in flight, or left uncertain by a kill).
        let (recorded_by_reply, applied): (Vec<&EventOf>, Vec<&EventOf>) = events
            .iter()
            .filter(|e| e.message_id == Some(row.id))
            .partition(|e| e.kind == "step_sent");
        if status_then == "completed" {
            // Both steps had gone out before the answer came: nothing is left to stop.
            late += 1;
            if !applied.is_empty() || !recorded_by_reply.is_empty() {
                failures.push(format!(
                    "reply {} to a completed lead changed it: {applied:?}",
                    r.message_id
                ));
            }
            continue;
        }
        match (status_then, &recorded_by_reply[..]) {
            ("launch", [e]) if e.enrollment_id == lead.id && e.to_status == "in_progress" => settled_by_reply += 1,
            ("in_progress", []) => {}
            _ => failures.push(format!(
                "reply {} of {email}: lead {status_then} when it was recorded, steps recorded by it: {recorded_by_reply:?}",
                r.message_id
            )),
        }
        let (status, reason) = r.kind.outcome();
        match applied[..] {
            [e] if e.enrollment_id == lead.id && e.to_status == status && e.reason.as_deref() == Some(reason) => {
                if status == "paused" && e.date.as_deref() != Some(back.to_string().as_str()) {
                    failures.push(format!("reply {} paused {email} with date {:?}, not {back}", r.message_id, e.date));
                }
            }
            _ => failures.push(format!(
                "reply {} of {email} ({:?}, lead {status_then} when it was recorded, action {:?}) applied as {applied:?}",
                r.message_id, r.kind, row.action
            )),
        }
        if lead.status != status
            || (lead.stop_reason.as_deref().or(lead.pause_reason.as_deref()) != Some(reason))
        {
            failures.push(format!(
                "{email} answered {:?} and ended {} (stop {:?}, pause {:?})",
                r.kind, lead.status, lead.stop_reason, lead.pause_reason
            ));
        }
        if status == "paused" && lead.return_date.as_deref() != Some(back.to_string().as_str()) {
            failures.push(format!(
                "{email} paused with return date {:?}, not {back}",
                lead.return_date
            ));
        }
    }
    let unsubscribed = replies
        .iter()
        .filter(|r| r.kind == ReplyKind::Unsubscribe)
        .count() as i64;
    let suppressed = db.count("SELECT COUNT(*) FROM suppressions WHERE reason = 'unsubscribed'");
    if suppressed != unsubscribed {
        failures.push(format!(
            "{unsubscribed} unsubscribe requests, {suppressed} addresses suppressed"
        ));
    }
    let replied_leads: HashSet<i64> = replies
        .iter()
        .map(|r| lead_by_email[format!("lead{}@lead.test", r.lead).as_str()].id)
        .collect();
    for l in leads.iter().filter(|l| !replied_leads.contains(&l.id)) {
        if !matches!(l.status.as_str(), "completed" | "launch" | "in_progress") {
            failures.push(format!(
                "{} never answered and ended {} ({:?})",
                l.email, l.status, l.stop_reason
            ));
        }
    }
    let stray_events = events
        .iter()
        .filter(|e| e.message_id.is_some_and(|id| !inbound.iter().any(|m| m.id == id)))
        .count();
    if stray_events > 0 {
        failures.push(format!(
            "{stray_events} events name an inbound message that does not exist"
        ));
    }

    // ---- summary ----
    let sent_steps: Vec<usize> = (0..2)
        .map(|step| {
            sends
                .iter()
                .filter(|s| s.state == "sent" && s.step == step)
                .count()
        })
        .collect();
    let mut by_kind: BTreeMap<ReplyKind, usize> = BTreeMap::new();
    for r in &replies {
        *by_kind.entry(r.kind).or_default() += 1;
    }
    let by_status: Vec<(String, i64)> =
        db.rows("SELECT status, COUNT(*) FROM enrollments GROUP BY status ORDER BY status");
    eprintln!(
        "faults_kill summary (seed {seed}):\n  sends recorded sent: {} (step 1: {}, step 2: {}) of {} claimed\n  \
         replies: {} {by_kind:?}, late (lead already completed): {late}, \
         whose step was recorded as sent by the reply itself: {settled_by_reply}\n  kills: {kills}\n    {}\n  \
         uncertain: {ever_uncertain} ever, {reconciled} reconciled from the Sent folder, {answered} recorded by \
         a reply in their thread, {left_uncertain} left for an operator ({uncertain_delivered} of them did reach \
         the lead)\n  \
         steps accepted after the stop they were claimed before: {in_flight_at_stop}\n  \
         copies delivered twice by the mail stack after its restart (one SMTP transaction): {}, \
         Sent-folder copies stored twice: {sent_copies_twice}\n  leads: {by_status:?}\n  \
         duration: set-up {:.1}s, settled after {:.1}s, run {:.1}s, total {:.1}s",
        sent_steps[0] + sent_steps[1],
        sent_steps[0],
        sent_steps[1],
        sends.len(),
        replies.len(),
        chaos_notes.join("\n    "),
        redelivered.len(),
        setup_took.as_secs_f64(),
        settled_after.as_secs_f64(),
        run_took.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    assert!(
        failures.is_empty(),
        "{} failure(s) (seed {seed}):\n{}",
        failures.len(),
        failures.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(kills >= 4, "at least four kills, got {kills}");
    drop(killed);
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
