//! Claims and mailbox leases on both backends: what makes several daemons on one database
//! send each step once.

use cadenced::db::sends::ClaimRequest;
use cadenced::db::Store;
use chrono::Duration;

use super::{pg_db, setup, state, t};
use cadenced::db::leases::DaemonRow;
use cadenced::db::Cause;
use cadenced::domain::lead::Event;

both_backends!(
    crate::store::TestDb:
    claims_need_the_lease_and_never_repeat_a_step,
    leases_have_one_holder_and_pass_on_when_it_dies,
    a_cleared_oauth_refusal_never_hides_another_failure,
    a_send_that_may_have_gone_out_is_uncertain_and_never_claimed_again,
);

/// A connection lost after the message's final "." (`Store::mark_uncertain`): the send is
/// `uncertain` with the reason, the lead waits with it (not due, never claimed again), and a
/// person's "it went out" advances the lead once.
async fn a_send_that_may_have_gone_out_is_uncertain_and_never_claimed_again(store: Store) {
    setup(&store, 1).await;
    let now = t(2, 9);
    store.launch_campaign("q1", now).await.expect("launch");
    store.daemon_seen(&daemon("daemon-a", now)).await.expect("seen");
    assert!(store
        .acquire_lease("sales", "daemon-a", now, now + Duration::seconds(30), now)
        .await
        .expect("lease"));
    let read = rows(&store, 1).await;
    let claim = store
        .claim_sends(&requests(&read, 0, "u"), "sales", "daemon-a", now)
        .await
        .expect("db")
        .remove(0)
        .expect("claimed");
    let why = "the connection failed after the whole message was handed to the server";
    store.mark_uncertain(claim.send_id, why).await.expect("uncertain");
    let send = store
        .send_by_message_id(&claim.message_id)
        .await
        .expect("db")
        .expect("send");
    assert_eq!(
        (send.state.as_str(), send.error.as_deref()),
        ("uncertain", Some(why))
    );
    let waiting = store.waiting_sends().await.expect("waiting");
    assert_eq!(
        waiting
            .iter()
            .map(|w| (w.enrollment_id, w.state.as_str()))
            .collect::<Vec<_>>(),
        [(read[0].id, "uncertain")]
    );
    // Never due again by itself, and never claimed again, even from a fresh read.
    let later = now + Duration::days(30);
    let due = store.due_for_mailbox("sales", later, 10).await.expect("due");
    assert!(due.iter().all(|d| d.row.id != read[0].id), "{due:?}");
    let fresh = rows(&store, 1).await;
    let again = store
        .claim_sends(&requests(&fresh, 0, "v"), "sales", "daemon-a", later)
        .await
        .expect("db");
    assert!(again[0].is_none(), "{again:?}");
    // A person says it went out: recorded once, the lead advances.
    store.record_as_sent(&send).await.expect("recorded");
    assert_eq!(state(&store, "lead0@example.com").await.steps_sent(), 1);
    assert_eq!(store.record_as_sent(&send).await.expect("again"), None);
    assert_eq!(state(&store, "lead0@example.com").await.steps_sent(), 1);
}

/// The OAuth2 task clears the refusal it recorded once a new grant is there, and only that:
/// a failure recorded since (an SMTP login, say) stays for the scheduler's probe.
async fn a_cleared_oauth_refusal_never_hides_another_failure(store: Store) {
    let refused = "mailbox m: the provider refused the OAuth2 grant; run `cadenced mailbox login m`";
    store
        .set_mailbox_health("m", false, Some(refused), t(2, 9))
        .await
        .expect("health");
    assert!(!store
        .clear_mailbox_failure("m", "something else", t(2, 10))
        .await
        .expect("clear"));
    assert!(!store.mailbox_health("m").await.expect("health").0);
    assert!(store
        .clear_mailbox_failure("m", refused, t(2, 10))
        .await
        .expect("clear"));
    assert_eq!(store.mailbox_health("m").await.expect("health"), (true, None));
    store
        .set_mailbox_health("m", false, Some("smtp login refused"), t(2, 11))
        .await
        .expect("health");
    assert!(!store
        .clear_mailbox_failure("m", refused, t(2, 12))
        .await
        .expect("clear"));
    assert_eq!(
        store.mailbox_health("m").await.expect("health"),
        (false, Some("smtp login refused".to_string()))
    );
}

fn daemon(id: &str, seen: chrono::DateTime<chrono::Utc>) -> DaemonRow {
    DaemonRow {
        id: id.to_string(),
        host: "elsewhere".to_string(),
        pid: 1,
        started_at: seen.timestamp_millis(),
        seen_at: seen.timestamp_millis(),
    }
}

async fn rows(store: &Store, n: usize) -> Vec<cadenced::db::rows::EnrollmentRow> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            store
                .enrollment("q1", &format!("lead{i}@example.com"))
                .await
                .expect("row"),
        );
    }
    out
}

fn requests<'a>(
    rows: &'a [cadenced::db::rows::EnrollmentRow],
    step: u32,
    tag: &str,
) -> Vec<ClaimRequest<'a>> {
    rows.iter()
        .map(|row| ClaimRequest {
            row,
            step,
            message_id: format!("<{tag}.{}@example.test>", row.id),
        })
        .collect()
}

async fn claims_need_the_lease_and_never_repeat_a_step(store: Store) {
    setup(&store, 4).await;
    let now = t(2, 9);
    store.launch_campaign("q1", now).await.expect("launch");
    let read = rows(&store, 4).await;

    // Without the mailbox's lease nothing is claimed.
    let none = store
        .claim_sends(&requests(&read, 0, "a"), "sales", "daemon-a", now)
        .await
        .expect("db");
    assert!(none.iter().all(Option::is_none), "{none:?}");

    store.daemon_seen(&daemon("daemon-a", now)).await.expect("seen");
    assert!(store
        .acquire_lease("sales", "daemon-a", now, now + Duration::seconds(30), now)
        .await
        .expect("lease"));
    // An operator skips lead3 after the scheduler read it: its claim is refused.
    store
        .transition(read[3].id, &Event::Skip, &Cause::operator(None), now)
        .await
        .expect("db")
        .expect("skipped");
    let got = store
        .claim_sends(&requests(&read, 0, "a"), "sales", "daemon-a", now)
        .await
        .expect("db");
    assert_eq!(
        got.iter().map(Option::is_some).collect::<Vec<_>>(),
        [true, true, true, false]
    );
    // The same rows read before the claim can never be claimed again.
    let again = store
        .claim_sends(&requests(&read, 0, "b"), "sales", "daemon-a", now)
        .await
        .expect("db");
    assert!(again.iter().all(Option::is_none), "{again:?}");

    // lead0 failed with a 4xx: claimed again later with the same Message-ID.
    let c0 = got[0].clone().expect("claim");
    store
        .mark_retry(c0.send_id, read[0].id, "451 try later", now)
        .await
        .expect("retry");
    // lead1 went out: its next step threads on the first.
    let c1 = got[1].clone().expect("claim");
    let next = now + Duration::days(1);
    store
        .mark_sent(c1.send_id, read[1].id, now, Some(next))
        .await
        .expect("sent");
    // Recording the same send twice (a late holder and a reconciler) advances it once.
    assert_eq!(
        store
            .mark_sent(c1.send_id, read[1].id, now, Some(next))
            .await
            .expect("sent"),
        None
    );
    assert_eq!(state(&store, "lead1@example.com").await.steps_sent(), 1);

    let fresh = rows(&store, 2).await;
    let mut reqs = requests(&fresh[..1], 0, "c");
    reqs.extend(requests(&fresh[1..2], 1, "c"));
    let second = store
        .claim_sends(&reqs, "sales", "daemon-a", next)
        .await
        .expect("db");
    let retried = second[0].clone().expect("retry claimed");
    assert_eq!(
        (retried.send_id, retried.message_id.as_str(), retried.attempts),
        (c0.send_id, c0.message_id.as_str(), 2)
    );
    let step2 = second[1].clone().expect("step 2 claimed");
    assert_eq!(step2.thread, vec![c1.message_id.clone()]);
    assert_eq!(step2.attempts, 1);
}

async fn leases_have_one_holder_and_pass_on_when_it_dies(store: Store) {
    setup(&store, 1).await;
    let now = t(2, 9);
    let ttl = Duration::seconds(30);
    store.launch_campaign("q1", now).await.expect("launch");
    for id in ["daemon-a", "daemon-b"] {
        store.daemon_seen(&daemon(id, now)).await.expect("seen");
    }
    assert!(store
        .acquire_lease("sales", "daemon-a", now, now + ttl, now - ttl)
        .await
        .expect("a takes"));
    assert!(!store
        .acquire_lease("sales", "daemon-b", now, now + ttl, now - ttl)
        .await
        .expect("b refused"));
    // a claims lead0 and dies before recording it.
    let row = store.enrollment("q1", "lead0@example.com").await.expect("row");
    let claim = store
        .claim_send(&row, 0, "sales", "<a.0@example.test>", "daemon-a", now)
        .await
        .expect("db")
        .expect("claimed");
    // While a's lease runs it stays a's, even if b keeps asking.
    let later = now + Duration::seconds(20);
    store.daemon_seen(&daemon("daemon-b", later)).await.expect("seen");
    assert!(!store
        .acquire_lease("sales", "daemon-b", later, later + ttl, later - ttl)
        .await
        .expect("b refused"));
    // a is not seen for a TTL and its lease ran out: b takes over, and a (were it only
    // slow) can neither renew nor claim.
    let after = now + Duration::seconds(45);
    store.daemon_seen(&daemon("daemon-b", after)).await.expect("seen");
    assert!(store
        .acquire_lease("sales", "daemon-b", after, after + ttl, after - ttl)
        .await
        .expect("b takes over"));
    assert!(!store
        .renew_lease("sales", "daemon-a", after + ttl)
        .await
        .expect("a cannot renew"));
    let row = store.enrollment("q1", "lead0@example.com").await.expect("row");
    assert!(store
        .claim_send(&row, 1, "sales", "<a.1@example.test>", "daemon-a", after)
        .await
        .expect("db")
        .is_none());
    // a's open claim becomes uncertain for b to settle; b's own claims are not touched.
    let uncertain = store.sweep_claims("sales", "daemon-b").await.expect("sweep");
    assert_eq!(
        uncertain.iter().map(|s| s.id).collect::<Vec<_>>(),
        [claim.send_id]
    );
    let listed = store.mailboxes().await.expect("mailboxes");
    assert_eq!(listed[0].lease_holder.as_deref(), Some("daemon-b"));
    // A daemon that stops frees its mailboxes at once.
    store.daemon_gone("daemon-b").await.expect("gone");
    assert!(store
        .acquire_lease("sales", "daemon-a", after, after + ttl, after - ttl)
        .await
        .expect("a again"));
    assert_eq!(
        store
            .daemons()
            .await
            .expect("daemons")
            .iter()
            .map(|d| d.id.as_str())
            .collect::<Vec<_>>(),
        ["daemon-a"]
    );
}

/// PostgreSQL: a row locked by another transaction (an operator's pause being written) is
/// skipped, not waited for; the rest of the batch is claimed at once.
#[tokio::test]
async fn a_locked_row_is_skipped_not_waited_for_postgres() {
    let db = pg_db().await;
    let store = db.store.clone();
    setup(&store, 3).await;
    let now = t(2, 9);
    store.launch_campaign("q1", now).await.expect("launch");
    store.daemon_seen(&daemon("daemon-a", now)).await.expect("seen");
    assert!(store
        .acquire_lease("sales", "daemon-a", now, now + Duration::seconds(30), now)
        .await
        .expect("lease"));
    let read = rows(&store, 3).await;
    let pool = sqlx::PgPool::connect(&db.url).await.expect("pg");
    let mut locker = pool.begin().await.expect("begin");
    sqlx::query("SELECT id FROM enrollments WHERE id = $1 FOR UPDATE")
        .bind(read[1].id)
        .execute(&mut *locker)
        .await
        .expect("lock");
    let got = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        store.claim_sends(&requests(&read, 0, "a"), "sales", "daemon-a", now),
    )
    .await
    .expect("the claim does not wait for the locked row")
    .expect("db");
    assert_eq!(
        got.iter().map(Option::is_some).collect::<Vec<_>>(),
        [true, false, true]
    );
    locker.rollback().await.expect("rollback");
    // Once free, the skipped row is claimed on the next round.
    let fresh = store.enrollment("q1", "lead1@example.com").await.expect("row");
    let later = store
        .claim_sends(
            &requests(std::slice::from_ref(&fresh), 0, "b"),
            "sales",
            "daemon-a",
            now,
        )
        .await
        .expect("db");
    assert!(later[0].is_some());
    pool.close().await;
    db.cleanup().await;
}
