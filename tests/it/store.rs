//! The store suite: every test runs once on a real SQLite file and once on a real PostgreSQL
//! (a fresh schema per test on `$CADENCED_TEST_PG_URL`, else 127.0.0.1:5432).

use std::sync::atomic::{AtomicU32, Ordering};

use cadenced::db::{ApplyOutcome, Cause, Filter, NewLead, Store};
use cadenced::domain::campaign::parse_campaign;
use cadenced::domain::lead::{Countdown, Event, LeadState, Pause, PauseReason, Source, Status, StopReason};
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::support::campaign::{Campaign, WEEKDAYS};

/// A store on a backend, and what must be cleaned up after it.
pub struct TestDb {
    /// The store.
    pub store: Store,
    /// The URL it was opened with (for running the CLI against the same database).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(Store, String)>,
}

impl TestDb {
    /// Drops the PostgreSQL schema.
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((admin, schema)) = self.schema {
            let _ = admin
                .execute_raw(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                .await;
            admin.close().await;
        }
    }
}

/// The PostgreSQL the tests use.
pub fn pg_url() -> String {
    std::env::var("CADENCED_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

static SCHEMA_SEQ: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite file in a temporary directory, migrated.
pub async fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("state/cadenced.db").display());
    let store = Store::connect(&url, 4).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestDb {
        store,
        url,
        _dir: Some(dir),
        schema: None,
    }
}

/// A fresh schema on the test PostgreSQL, migrated. Fails loudly when none is reachable:
/// PostgreSQL is a first-class backend and its tests never skip silently.
pub async fn pg_db() -> TestDb {
    let base = pg_url();
    let admin = Store::connect(&base, 1).await.unwrap_or_else(|e| {
        panic!("PostgreSQL at {base} is not reachable ({e}); run scripts/test or set CADENCED_TEST_PG_URL")
    });
    let schema = format!(
        "cadenced_test_{}_{}",
        std::process::id(),
        SCHEMA_SEQ.fetch_add(1, Ordering::SeqCst)
    );
    admin
        .execute_raw(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .await
        .expect("create schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let store = Store::connect(&url, 4).await.expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    TestDb {
        store,
        url,
        _dir: None,
        schema: Some((admin, schema)),
    }
}

mod claims;

both_backends!(
    TestDb:
    apply_is_idempotent_and_archived_is_frozen,
    import_counts_and_reimport_and_suppression,
    pause_keeps_remaining_delay_across_resume,
    campaign_pause_freezes_every_countdown,
    set_sender_pauses_in_progress_leads,
    auto_resume_respects_operators,
    launch_refuses_missing_fields,
    concurrent_writers_cannot_both_win,
    bulk_transitions_report_refusals,
    r6_a_reply_to_a_step_not_yet_recorded_records_it_then_acts,
    r11_a_stored_campaign_that_no_longer_parses_leaves_its_leads_as_they_are,
    r11_a_decision_on_facts_that_changed_is_taken_again,
);

/// The campaign of the store suite: weekdays 09:00-17:00 in Berlin, three steps.
fn q1() -> Campaign {
    Campaign::new("q1")
        .timezone("Europe/Berlin")
        .window(WEEKDAYS, "09:00", "17:00")
        .step("0s", "Hi {{first_name}}", "About {{company}}")
        .follow_up("1d", "Following up")
        .step("4d", "Last note", "Bye {{first_name}}")
}

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .expect("valid time")
}

fn lead(i: usize) -> NewLead {
    NewLead {
        email: format!("lead{i}@example.com"),
        first_name: Some(format!("Lead{i}")),
        last_name: None,
        company: Some("Acme".to_string()),
        timezone: None,
        fields: Default::default(),
    }
}

async fn setup(store: &Store, n: usize) -> i64 {
    let id = q1().apply(store, t(1, 8)).await;
    let leads: Vec<NewLead> = (0..n).map(lead).collect();
    store
        .import_leads(id, &leads, t(1, 8), |_| {})
        .await
        .expect("import");
    id
}

async fn state(store: &Store, email: &str) -> LeadState {
    store
        .enrollment("q1", email)
        .await
        .expect("enrollment")
        .state()
        .expect("valid row")
}

/// Sends step(s) the way the scheduler records them.
async fn send_steps(store: &Store, email: &str, sends: &[(DateTime<Utc>, Option<DateTime<Utc>>)]) {
    for (at, next_due) in sends {
        let row = store.enrollment("q1", email).await.expect("enrollment");
        let r = store
            .transition(
                row.id,
                &Event::StepSent {
                    at: *at,
                    next_due: *next_due,
                },
                &Cause::system(),
                *at,
            )
            .await
            .expect("db");
        r.expect("step sent");
    }
}

fn operator_pause(at: DateTime<Utc>, until: Option<DateTime<Utc>>) -> Event {
    Event::Pause(Pause {
        paused_at: at,
        source: Source::Operator,
        reason: PauseReason::Manual,
        resume_at: until,
        return_date: None,
        note: Some("holiday season".into()),
        message_id: None,
    })
}

async fn apply_is_idempotent_and_archived_is_frozen(store: Store) {
    let (text, spec) = (q1().toml(), q1().spec());
    assert_eq!(
        store.apply_campaign(&text, &spec, t(1, 8)).await.expect("apply"),
        ApplyOutcome::Created
    );
    assert_eq!(
        store.apply_campaign(&text, &spec, t(1, 9)).await.expect("apply"),
        ApplyOutcome::Unchanged
    );
    // Reformatting alone changes nothing either.
    let reformatted = text.replace("name = \"q1\"", "name   =   \"q1\"  # same");
    let (_, spec2) = parse_campaign("c.toml", &reformatted).expect("campaign");
    assert_eq!(
        store
            .apply_campaign(&reformatted, &spec2, t(1, 9))
            .await
            .expect("apply"),
        ApplyOutcome::Unchanged
    );
    let changed = text.replace("\"4d\"", "\"5d\"");
    let (_, spec3) = parse_campaign("c.toml", &changed).expect("campaign");
    assert_eq!(
        store
            .apply_campaign(&changed, &spec3, t(1, 9))
            .await
            .expect("apply"),
        ApplyOutcome::Updated { paused: 0 }
    );
    store.archive_campaign("q1", t(1, 10)).await.expect("archive");
    let err = store
        .apply_campaign(&text, &spec, t(1, 11))
        .await
        .expect_err("archived");
    assert!(err.to_string().contains("archived"), "{err}");
}

async fn import_counts_and_reimport_and_suppression(store: Store) {
    store
        .suppress("lead2@example.com", "unsubscribed", None, t(1, 7))
        .await
        .expect("suppress");
    let id = q1().apply(&store, t(1, 8)).await;
    let leads: Vec<NewLead> = (0..1200).map(lead).collect();
    let out = store
        .import_leads(id, &leads, t(1, 8), |_| {})
        .await
        .expect("import");
    assert_eq!((out.enrolled, out.already_enrolled, out.suppressed), (1199, 0, 1));
    let again = store
        .import_leads(id, &leads[..10], t(1, 9), |_| {})
        .await
        .expect("reimport");
    assert_eq!(
        (again.enrolled, again.already_enrolled, again.suppressed),
        (0, 10, 0)
    );
    let row = store
        .enrollment("q1", "LEAD2@example.com")
        .await
        .expect("case-insensitive lookup");
    assert_eq!(row.status, "skipped");
    assert_eq!(row.note.as_deref(), Some("suppressed: unsubscribed"));
    let mut launch = 0;
    let filter = Filter {
        campaign_id: Some(id),
        status: Some(Status::Launch),
        emails: None,
        search: None,
    };
    store
        .for_each_enrollment(&filter, |_| -> Result<(), cadenced::db::StoreError> {
            launch += 1;
            Ok(())
        })
        .await
        .expect("list");
    assert_eq!(launch, 1199);
    let missing = store
        .enrollment("q1", "nobody@example.com")
        .await
        .expect_err("not enrolled");
    assert_eq!(
        missing.to_string(),
        "lead nobody@example.com is not in campaign \"q1\""
    );
}

async fn pause_keeps_remaining_delay_across_resume(store: Store) {
    setup(&store, 1).await;
    let email = "lead0@example.com";
    // Step 1 on day 1, step 2 on day 2; a 4-day delay makes step 3 due on day 6.
    send_steps(
        &store,
        email,
        &[(t(2, 9), Some(t(3, 9))), (t(3, 9), Some(t(7, 9)))],
    )
    .await;
    let row = store.enrollment("q1", email).await.expect("row");
    // Paused on day 2 of the 4-day wait (day 5): two days left.
    let r = store
        .transition(
            row.id,
            &operator_pause(t(5, 9), None),
            &Cause::operator(Some("x".into())),
            t(5, 9),
        )
        .await;
    r.expect("db").expect("pause");
    match state(&store, email).await {
        LeadState::Paused {
            steps_sent,
            remaining,
            ..
        } => {
            assert_eq!(steps_sent, 2);
            assert_eq!(remaining, Duration::days(2));
        }
        other => panic!("not paused: {other:?}"),
    }
    // Resumed on day 20: step 3 is due exactly two days later.
    let resume = Event::Resume {
        at: t(20, 9),
        source: Source::Operator,
        campaign_paused: false,
    };
    store
        .transition(row.id, &resume, &Cause::operator(None), t(20, 9))
        .await
        .expect("db")
        .expect("resume");
    assert_eq!(
        state(&store, email).await,
        LeadState::InProgress {
            steps_sent: 2,
            countdown: Countdown::Running {
                next_send_at: t(22, 9)
            }
        }
    );
    let events = store.events(row.id).await.expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["step_sent", "step_sent", "pause", "resume"]);
    assert_eq!(events[2].reason.as_deref(), Some("manual"));
    assert_eq!(events[2].actor, "operator");
}

async fn campaign_pause_freezes_every_countdown(store: Store) {
    setup(&store, 3).await;
    send_steps(&store, "lead0@example.com", &[(t(2, 9), Some(t(3, 9)))]).await;
    send_steps(&store, "lead1@example.com", &[(t(2, 9), Some(t(4, 9)))]).await;
    // lead2 is paused on its own before the campaign pause and must keep its own pause.
    send_steps(&store, "lead2@example.com", &[(t(2, 9), Some(t(6, 9)))]).await;
    let row2 = store.enrollment("q1", "lead2@example.com").await.expect("row");
    store
        .transition(
            row2.id,
            &operator_pause(t(2, 12), None),
            &Cause::operator(None),
            t(2, 12),
        )
        .await
        .expect("db")
        .expect("pause");
    store.launch_campaign("q1", t(2, 8)).await.expect("launch");

    assert_eq!(
        store
            .pause_campaign("q1", t(2, 21))
            .await
            .expect("pause campaign"),
        2
    );
    let frozen = state(&store, "lead0@example.com").await;
    assert_eq!(
        frozen,
        LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Frozen {
                remaining: Duration::hours(12)
            }
        }
    );
    // A lead resumed by hand inside a paused campaign stays frozen.
    let resume = Event::Resume {
        at: t(3, 9),
        source: Source::Operator,
        campaign_paused: true,
    };
    store
        .transition(row2.id, &resume, &Cause::operator(None), t(3, 9))
        .await
        .expect("db")
        .expect("resume");
    assert!(matches!(
        state(&store, "lead2@example.com").await,
        LeadState::InProgress {
            countdown: Countdown::Frozen { .. },
            ..
        }
    ));
    let err = store
        .pause_campaign("q1", t(3, 9))
        .await
        .expect_err("already paused");
    assert!(err.to_string().contains("not active"), "{err}");

    assert_eq!(
        store
            .resume_campaign("q1", t(10, 9))
            .await
            .expect("resume campaign"),
        3
    );
    assert_eq!(
        state(&store, "lead0@example.com").await,
        LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Running {
                next_send_at: t(10, 21)
            }
        }
    );
    assert_eq!(
        state(&store, "lead1@example.com").await,
        LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Running {
                next_send_at: t(11, 21)
            }
        }
    );
    // lead2 had 3 days 21 hours left when paused on day 2 at 12:00.
    assert_eq!(
        state(&store, "lead2@example.com").await,
        LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Running {
                next_send_at: t(10, 9) + Duration::hours(93)
            }
        }
    );
}

async fn set_sender_pauses_in_progress_leads(store: Store) {
    setup(&store, 3).await;
    store.launch_campaign("q1", t(1, 9)).await.expect("launch");
    send_steps(&store, "lead0@example.com", &[(t(2, 9), Some(t(3, 9)))]).await;
    send_steps(&store, "lead1@example.com", &[(t(2, 9), Some(t(3, 9)))]).await;
    assert_eq!(
        store
            .set_sender("q1", "marketing", t(2, 10))
            .await
            .expect("set sender"),
        2
    );
    match state(&store, "lead0@example.com").await {
        LeadState::Paused { pause, remaining, .. } => {
            assert_eq!(pause.reason, PauseReason::SenderChanged);
            assert_eq!(pause.source, Source::Operator);
            assert_eq!(pause.resume_at, None);
            assert_eq!(remaining, Duration::hours(23));
        }
        other => panic!("not paused: {other:?}"),
    }
    // The lead not contacted yet stays as it was.
    assert_eq!(state(&store, "lead2@example.com").await, LeadState::Launch);
    let c = store.campaign_required("q1").await.expect("campaign");
    assert_eq!(c.mailbox, "marketing");
    // The stored file agrees with the new sender, so applying the old file is a change back.
    let (_, stored) = parse_campaign("stored", &c.spec_toml).expect("stored file parses");
    assert_eq!(stored.mailbox, "marketing");
}

async fn auto_resume_respects_operators(store: Store) {
    setup(&store, 3).await;
    for i in 0..3 {
        send_steps(
            &store,
            &format!("lead{i}@example.com"),
            &[(t(2, 9), Some(t(4, 9)))],
        )
        .await;
    }
    let ooo = Event::Pause(Pause {
        paused_at: t(3, 9),
        source: Source::Auto,
        reason: PauseReason::OutOfOffice,
        resume_at: Some(t(16, 8)),
        return_date: Some(t(13, 0).date_naive()),
        note: None,
        message_id: None,
    });
    let auto = Cause {
        actor: cadenced::db::Actor::Auto,
        rule: Some("en-ooo-until".into()),
        ..Cause::default()
    };
    let r0 = store.enrollment("q1", "lead0@example.com").await.expect("row");
    store
        .transition(r0.id, &ooo, &auto, t(3, 9))
        .await
        .expect("db")
        .expect("auto pause");
    let r1 = store.enrollment("q1", "lead1@example.com").await.expect("row");
    store
        .transition(
            r1.id,
            &operator_pause(t(3, 9), None),
            &Cause::operator(None),
            t(3, 9),
        )
        .await
        .expect("db")
        .expect("pause");
    // An OOO reply for a lead an operator paused is refused, and the operator's pause stands.
    let refused = store.transition(r1.id, &ooo, &auto, t(3, 10)).await.expect("db");
    assert!(refused.expect_err("refused").message.contains("operator"));
    let r2 = store.enrollment("q1", "lead2@example.com").await.expect("row");
    store
        .transition(
            r2.id,
            &operator_pause(t(3, 9), Some(t(20, 8))),
            &Cause::operator(None),
            t(3, 9),
        )
        .await
        .expect("db")
        .expect("pause");

    assert_eq!(store.next_resume_at(None).await.expect("next"), Some(t(16, 8)));
    assert_eq!(store.resume_due(t(16, 7), 100, None).await.expect("resume"), 0);
    assert_eq!(store.resume_due(t(16, 8), 100, None).await.expect("resume"), 1);
    assert_eq!(
        state(&store, "lead0@example.com").await,
        LeadState::InProgress {
            steps_sent: 1,
            countdown: Countdown::Running {
                next_send_at: t(17, 8)
            }
        }
    );
    // Long after: the dateless manual pause waits for a person; the dated one resumed on its date.
    assert_eq!(store.resume_due(t(28, 8), 100, None).await.expect("resume"), 1);
    assert!(matches!(
        state(&store, "lead1@example.com").await,
        LeadState::Paused { .. }
    ));
    assert!(matches!(
        state(&store, "lead2@example.com").await,
        LeadState::InProgress { .. }
    ));
    let events = store.events(r0.id).await.expect("events");
    let pause = events.iter().find(|e| e.kind == "pause").expect("pause event");
    assert_eq!(
        (pause.actor.as_str(), pause.rule.as_deref(), pause.date.as_deref()),
        ("auto", Some("en-ooo-until"), Some("2026-03-13"))
    );
}

async fn launch_refuses_missing_fields(store: Store) {
    setup(&store, 2).await;
    let with_role = q1()
        .toml()
        .replace("About {{company}}", "About {{company}} and your role as {{role}}");
    let (_, spec) = parse_campaign("c.toml", &with_role).expect("campaign");
    store
        .apply_campaign(&with_role, &spec, t(1, 9))
        .await
        .expect("apply");
    let err = store.launch_campaign("q1", t(1, 10)).await.expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("lead lead0@example.com: step 1 needs {{role}}"),
        "{msg}"
    );
    assert!(msg.contains("lead1@example.com"), "{msg}");
    assert_eq!(
        store
            .campaign_required("q1")
            .await
            .expect("campaign")
            .status
            .as_str(),
        "draft"
    );
}

async fn concurrent_writers_cannot_both_win(store: Store) {
    setup(&store, 1).await;
    send_steps(&store, "lead0@example.com", &[(t(2, 9), Some(t(4, 9)))]).await;
    let row = store.enrollment("q1", "lead0@example.com").await.expect("row");
    // Two processes race: one stops the lead (a reply came in), one pauses it by hand.
    let stop = Event::Stop {
        at: t(3, 9),
        reason: StopReason::Replied,
    };
    let (pause, system, operator) = (
        operator_pause(t(3, 9), None),
        Cause::system(),
        Cause::operator(None),
    );
    let (a, b) = tokio::join!(
        store.transition(row.id, &stop, &system, t(3, 9)),
        store.transition(row.id, &pause, &operator, t(3, 9)),
    );
    let results = [a.expect("db"), b.expect("db")];
    let final_state = state(&store, "lead0@example.com").await;
    // Whatever the order, the history has each applied change exactly once and ends in the final state.
    let events = store.events(row.id).await.expect("events");
    let applied = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(events.len(), 1 + applied, "{events:?}");
    assert_eq!(
        events.last().map(|e| e.to_status.as_str()),
        Some(final_state.status().as_str())
    );
    assert_eq!(
        final_state.status(),
        Status::Stopped,
        "a stop wins over a pause whichever comes first"
    );
}

async fn bulk_transitions_report_refusals(store: Store) {
    let id = setup(&store, 4).await;
    send_steps(&store, "lead0@example.com", &[(t(2, 9), Some(t(4, 9)))]).await;
    send_steps(&store, "lead1@example.com", &[(t(2, 9), Some(t(4, 9)))]).await;
    let filter = Filter {
        campaign_id: Some(id),
        status: None,
        emails: Some(vec![
            "lead0@example.com".into(),
            "lead1@example.com".into(),
            "lead2@example.com".into(),
        ]),
        search: None,
    };
    let out = store
        .transition_many(
            &filter,
            |_| operator_pause(t(3, 9), None),
            &Cause::operator(Some("bulk".into())),
            t(3, 9),
        )
        .await
        .expect("bulk");
    assert_eq!(out.changed, 2);
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.refused[0].0, "lead2@example.com");
    assert!(out.refused[0].2.contains("use skip"), "{:?}", out.refused);
}

async fn r6_a_reply_to_a_step_not_yet_recorded_records_it_then_acts(store: Store) {
    // See: #6 (found by the SIGKILL fault suite, tests/it/faults_kill.rs).
    use cadenced::db::inbound::{Inbound, MatchOptions};
    use cadenced::rules::Category;
    setup(&store, 2).await;
    store.launch_campaign("q1", t(2, 8)).await.expect("launch");
    // Both first steps went out. lead0's sender died before recording it (another daemon
    // found the claim and made it uncertain); lead1's is still in flight, not recorded yet.
    let mut claims = Vec::new();
    for (i, holder) in [(0, "dead-host-1"), (1, "live-host-2")] {
        let row = store
            .enrollment("q1", &format!("lead{i}@example.com"))
            .await
            .expect("row");
        let mid = format!("<step1.{i}@example.test>");
        // Each held the mailbox's lease in turn (the first is not registered: it is dead).
        assert!(store
            .acquire_lease("sales", holder, t(2, 9), t(2, 10), t(2, 9))
            .await
            .expect("lease"));
        let claim = store
            .claim_send(&row, 0, "sales", &mid, holder, t(2, 9))
            .await
            .expect("db")
            .expect("claimed");
        claims.push((row.id, claim));
    }
    let uncertain = store.sweep_claims("sales", "live-host-2").await.expect("db");
    assert_eq!(uncertain.len(), 1);
    let opts = MatchOptions {
        own_address: "sales@example.test",
        match_domain: false,
        default_tz: chrono_tz::UTC,
    };
    let reply = |uid: u32, lead: usize, category: Category| Inbound {
        mailbox: "sales".into(),
        folder: "INBOX".into(),
        uidvalidity: 1,
        uid,
        message_id: Some(format!("<reply.{uid}@example.com>")),
        from: Some(format!("lead{lead}@example.com")),
        subject: Some("Re: Hi".into()),
        refers_to: vec![claims[lead].1.message_id.clone()],
        category: Some(category),
        ..Inbound::default()
    };
    // lead0 answers in person, lead1 is out of the office until 20 March: both act.
    let out = ingest(&store, &reply(1, 0, Category::Human), &opts, t(2, 10)).await;
    assert_eq!(out.changed, 1, "{out:?}");
    assert!(matches!(
        state(&store, "lead0@example.com").await,
        LeadState::Stopped {
            steps_sent: 1,
            reason: StopReason::Replied,
            ..
        }
    ));
    let ooo = Inbound {
        return_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 20),
        ..reply(2, 1, Category::OutOfOffice)
    };
    let out = ingest(&store, &ooo, &opts, t(2, 10)).await;
    assert_eq!(out.changed, 1, "{out:?}");
    assert!(matches!(
        state(&store, "lead1@example.com").await,
        LeadState::Paused { steps_sent: 1, .. }
    ));
    for ((enrollment_id, claim), effect) in claims.iter().zip(["stop", "pause"]) {
        let send = store
            .send_by_message_id(&claim.message_id)
            .await
            .expect("db")
            .expect("send");
        assert_eq!(send.state, "sent");
        let events = store.events(*enrollment_id).await.expect("events");
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["step_sent", effect],
            "the step is recorded first, then the reply acts"
        );
        assert!(events.iter().all(|e| e.message_id.is_some()), "{events:?}");
    }
    // The live holder records its send afterwards: already recorded, nothing changes.
    let (lead1, claim1) = &claims[1];
    let late = store
        .mark_sent(claim1.send_id, *lead1, t(2, 9), Some(t(3, 9)))
        .await
        .expect("db");
    assert!(late.is_none());
    assert_eq!(store.events(*lead1).await.expect("events").len(), 2);
    assert!(matches!(
        state(&store, "lead1@example.com").await,
        LeadState::Paused { steps_sent: 1, .. }
    ));
}

async fn r11_a_stored_campaign_that_no_longer_parses_leaves_its_leads_as_they_are(store: Store) {
    // See: #11 (a parse error used to complete a lead, or drop a reply's stop silently).
    use cadenced::db::inbound::{Inbound, MatchOptions};
    use cadenced::db::StoreError;
    use cadenced::rules::Category;
    setup(&store, 3).await;
    store.launch_campaign("q1", t(2, 8)).await.expect("launch");
    // lead0 got step 1 (recorded); lead1's and lead2's step 1 are claimed, not recorded.
    send_steps(&store, "lead0@example.com", &[(t(2, 9), Some(t(3, 9)))]).await;
    assert!(store
        .acquire_lease("sales", "host-1", t(2, 9), t(2, 10), t(2, 9))
        .await
        .expect("lease"));
    let mut claims = Vec::new();
    for i in [1, 2] {
        let row = store
            .enrollment("q1", &format!("lead{i}@example.com"))
            .await
            .expect("row");
        let mid = format!("<step1.{i}@example.test>");
        let claim = store
            .claim_send(&row, 0, "sales", &mid, "host-1", t(2, 9))
            .await
            .expect("db")
            .expect("claimed");
        claims.push(claim);
    }
    // The stored text stops parsing (an older release wrote it, or a hand edit).
    store
        .execute_raw("UPDATE campaigns SET spec_toml = 'name = 1' WHERE name = 'q1'")
        .await
        .expect("corrupt");
    let before: Vec<LeadState> = lead_states(&store).await;

    let unreadable = store.unreadable_campaigns().await.expect("db");
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert_eq!(unreadable[0].campaign, "q1");

    // Settling a send (Sent folder, operator) cannot say when the next step is due: refused,
    // the send stays claimed and the lead is not completed.
    let send1 = store
        .send_by_message_id(&claims[0].message_id)
        .await
        .expect("db")
        .expect("send");
    let settled = store.record_as_sent(&send1).await;
    assert!(matches!(settled, Err(StoreError::Unreadable(_))), "{settled:?}");

    // Replies: a person answering lead0, and one in the thread of lead2's unrecorded step.
    let opts = MatchOptions {
        own_address: "sales@example.test",
        match_domain: false,
        default_tz: chrono_tz::UTC,
    };
    let reply = |uid: u32, lead: usize, refers_to: Vec<String>| Inbound {
        mailbox: "sales".into(),
        folder: "INBOX".into(),
        uidvalidity: 1,
        uid,
        message_id: Some(format!("<reply.{uid}@example.com>")),
        from: Some(format!("lead{lead}@example.com")),
        subject: Some("Re: Hi".into()),
        refers_to,
        category: Some(Category::Human),
        ..Inbound::default()
    };
    let out = ingest(&store, &reply(1, 0, vec![]), &opts, t(2, 10)).await;
    assert_eq!(out.changed, 0, "{out:?}");
    assert!(out.action.contains("left as is"), "{out:?}");
    let out = ingest(
        &store,
        &reply(2, 2, vec![claims[1].message_id.clone()]),
        &opts,
        t(2, 10),
    )
    .await;
    assert_eq!(out.changed, 0, "{out:?}");
    assert!(out.action.contains("left unrecorded"), "{out:?}");
    for claim in &claims {
        let send = store
            .send_by_message_id(&claim.message_id)
            .await
            .expect("db")
            .expect("send");
        assert_eq!(send.state, "claimed", "{send:?}");
    }
    assert_eq!(lead_states(&store).await, before, "no lead changed");

    // The sender cannot change under a text that does not parse (the two would disagree).
    assert!(store.set_sender("q1", "other", t(2, 11)).await.is_err());
    assert_eq!(store.campaign_required("q1").await.expect("c").mailbox, "sales");

    // Applying the file again is the fix.
    q1().apply(&store, t(2, 12)).await;
    assert!(store.unreadable_campaigns().await.expect("db").is_empty());
    store.record_as_sent(&send1).await.expect("settled now");
    assert!(matches!(
        state(&store, "lead1@example.com").await,
        LeadState::InProgress { steps_sent: 1, .. }
    ));
}

async fn r11_a_decision_on_facts_that_changed_is_taken_again(store: Store) {
    // See: #11 (the decision on a reply is taken outside the store, on facts read before).
    use cadenced::db::inbound::{Inbound, MatchOptions};
    use cadenced::db::StoreError;
    use cadenced::domain::decide::{decide_reply, ReplyDecision};
    use cadenced::rules::Category;
    setup(&store, 1).await;
    store.launch_campaign("q1", t(2, 8)).await.expect("launch");
    send_steps(&store, "lead0@example.com", &[(t(2, 9), Some(t(3, 9)))]).await;
    let opts = MatchOptions {
        own_address: "sales@example.test",
        match_domain: false,
        default_tz: chrono_tz::UTC,
    };
    let ooo = Inbound {
        mailbox: "sales".into(),
        folder: "INBOX".into(),
        uidvalidity: 1,
        uid: 1,
        message_id: Some("<ooo.1@example.com>".into()),
        from: Some("lead0@example.com".into()),
        subject: Some("Out of office".into()),
        category: Some(Category::OutOfOffice),
        return_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 20),
        ..Inbound::default()
    };
    // The facts are read and the decision (an automatic pause) taken; meanwhile an operator
    // pauses the lead by hand.
    let facts = store.reply_facts(&ooo, &opts).await.expect("facts");
    let decision = decide_reply(&ooo.verdict(opts.own_address), &facts.facts, t(2, 10));
    assert!(
        matches!(&decision, ReplyDecision::Record(e) if e.events.len() == 1),
        "{decision:?}"
    );
    let row = store.enrollment("q1", "lead0@example.com").await.expect("row");
    store
        .transition(
            row.id,
            &operator_pause(t(2, 10), None),
            &Cause::operator(None),
            t(2, 10),
        )
        .await
        .expect("db")
        .expect("paused by hand");
    // Applying the stale decision writes nothing and says so.
    let stale = store.apply_reply(&ooo, &facts, &decision, t(2, 10)).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert!(store.inbound_messages("sales").await.expect("db").is_empty());
    // Taken again on the facts as they are, the automatic pause is refused: the operator's
    // pause stands, and the refusal is recorded with the message.
    let out = cadenced::ingest::record(&store, &ooo, &opts, facts, t(2, 10))
        .await
        .expect("ingest");
    assert_eq!((out.changed, out.refused), (0, 1), "{out:?}");
    assert!(out.action.contains("refused pause"), "{out:?}");
    assert!(matches!(
        state(&store, "lead0@example.com").await,
        LeadState::Paused {
            pause: Pause {
                source: Source::Operator,
                ..
            },
            ..
        }
    ));
    assert_eq!(
        store
            .checkpoint("sales", "INBOX")
            .await
            .expect("db")
            .map(|c| c.last_uid),
        Some(1)
    );
}

/// Records an analysed message the way the mailbox watcher does: facts, decision, apply.
async fn ingest(
    store: &Store,
    msg: &cadenced::db::inbound::Inbound,
    opts: &cadenced::db::inbound::MatchOptions<'_>,
    now: DateTime<Utc>,
) -> cadenced::db::inbound::IngestOutcome {
    let facts = store.reply_facts(msg, opts).await.expect("facts");
    cadenced::ingest::record(store, msg, opts, facts, now)
        .await
        .expect("ingest")
}

/// The state of lead0..lead2.
async fn lead_states(store: &Store) -> Vec<LeadState> {
    let mut out = Vec::new();
    for i in 0..3 {
        out.push(state(store, &format!("lead{i}@example.com")).await);
    }
    out
}
