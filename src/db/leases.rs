//! Mailbox leases: how several daemons on one database divide the mailboxes between them.
//!
//! Each daemon has a row in `daemons`, refreshed at every renewal. A mailbox's lease is its
//! `mailbox_state.lease_holder` (a daemon id) and `lease_until`. A lease can be taken when it
//! is free, expired, or held by a daemon not seen for a lease TTL; a daemon that finds a
//! dead holder on its own host (same boot and process namespace, process gone) removes that
//! holder's row at once, which frees its leases without waiting for the TTL.
//!
//! Claims are fenced by the lease: [`Store::claim_sends`] claims nothing for a mailbox whose
//! lease the claimer does not hold, and taking a lease over turns the previous holder's open
//! claims into `uncertain` sends ([`Store::sweep_claims`]) in the same order the database
//! serialises them, so an open claim is never forgotten.

use chrono::{DateTime, Utc};

use crate::db::rows::to_ms;
use crate::db::sends::SendRow;
use crate::db::{Backend, Store, StoreError};

/// A daemon registered in the database.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DaemonRow {
    /// Its id (also the lease holder and the `claimed_by` of its sends).
    pub id: String,
    /// Where it runs: boot id and process namespace; a pid means something only there.
    pub host: String,
    /// Its process id on that host.
    pub pid: i64,
    /// When it started (ms).
    pub started_at: i64,
    /// When it last renewed (ms).
    pub seen_at: i64,
}

/// A mailbox's lease and health, as `cadenced mailboxes` shows them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MailboxRow {
    /// The config mailbox the lease is for (one `mailbox_state` row each).
    pub mailbox: String,
    /// Whether sending and reading work.
    pub healthy: bool,
    /// The last failure, if unhealthy.
    pub last_error: Option<String>,
    /// The daemon holding the lease.
    pub lease_holder: Option<String>,
    /// When the lease runs out unless renewed (ms).
    pub lease_until: Option<i64>,
}

impl Store {
    /// Registers this daemon or records that it is alive.
    ///
    /// # Errors
    /// Database errors.
    pub async fn daemon_seen(&self, me: &DaemonRow) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO daemons (id, host, pid, started_at, seen_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at"
        )
        .bind(&me.id)
        .bind(&me.host)
        .bind(me.pid)
        .bind(me.started_at)
        .bind(me.seen_at)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Removes a daemon (it stopped, or it is known dead) and frees every lease it held.
    ///
    /// # Errors
    /// Database errors.
    pub async fn daemon_gone(&self, id: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE mailbox_state SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM daemons WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Every registered daemon, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn daemons(&self) -> Result<Vec<DaemonRow>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, DaemonRow>(
            "SELECT id, host, pid, started_at, seen_at FROM daemons ORDER BY started_at, id"
        )
        .fetch_all(pool)
        .await?))
    }

    /// Takes the lease on `mailbox` for `me` until `until` if it is free, already `me`'s,
    /// expired at `now`, or held by a daemon not seen since `alive_since`. Returns whether
    /// `me` holds it now.
    ///
    /// # Errors
    /// Database errors.
    pub async fn acquire_lease(
        &self,
        mailbox: &str,
        me: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        alive_since: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO mailbox_state (mailbox, healthy, lease_holder, lease_until, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (mailbox) DO UPDATE SET lease_holder = excluded.lease_holder, lease_until = excluded.lease_until \
             WHERE mailbox_state.lease_holder IS NULL OR mailbox_state.lease_holder = excluded.lease_holder \
             OR mailbox_state.lease_until IS NULL OR mailbox_state.lease_until < $5 \
             OR NOT EXISTS (SELECT 1 FROM daemons d WHERE d.id = mailbox_state.lease_holder AND d.seen_at >= $6)"
        )
        .bind(mailbox)
        .bind(true)
        .bind(me)
        .bind(to_ms(until))
        .bind(to_ms(now))
        .bind(to_ms(alive_since))
        .execute(pool)
        .await?
        .rows_affected()
        });
        Ok(n == 1)
    }

    /// Extends `me`'s lease on `mailbox` to `until`. `false` means another daemon holds it
    /// now: `me` must stop working the mailbox.
    ///
    /// # Errors
    /// Database errors.
    pub async fn renew_lease(
        &self,
        mailbox: &str,
        me: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_pool!(self, |pool| sqlx::query(
            "UPDATE mailbox_state SET lease_until = $1 WHERE mailbox = $2 AND lease_holder = $3"
        )
        .bind(to_ms(until))
        .bind(mailbox)
        .bind(me)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Gives up `me`'s lease on `mailbox` (another daemon may take it at once).
    ///
    /// # Errors
    /// Database errors.
    pub async fn release_lease(&self, mailbox: &str, me: &str) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query(
            "UPDATE mailbox_state SET lease_holder = NULL, lease_until = NULL WHERE mailbox = $1 AND lease_holder = $2"
        )
        .bind(mailbox)
        .bind(me)
        .execute(pool)
        .await?
        .rows_affected()
        });
        Ok(())
    }

    /// Every mailbox the database knows, with lease and health.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mailboxes(&self) -> Result<Vec<MailboxRow>, StoreError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as::<_, MailboxRow>(
            "SELECT mailbox, healthy, last_error, lease_holder, lease_until FROM mailbox_state ORDER BY mailbox"
        )
        .fetch_all(pool)
        .await?)
        })
    }

    /// Claims of `mailbox` still open under another claimer (who died or lost the lease)
    /// become `uncertain`; returns every uncertain send of the mailbox, oldest first, for the
    /// new holder to settle against the Sent folder.
    ///
    /// # Errors
    /// Database errors.
    pub async fn sweep_claims(&self, mailbox: &str, me: &str) -> Result<Vec<SendRow>, StoreError> {
        let swept = with_pool!(self, |pool| sqlx::query(
            "UPDATE sends SET state = 'uncertain' WHERE mailbox = $1 AND state = 'claimed' \
             AND (claimed_by IS NULL OR claimed_by <> $2)"
        )
        .bind(mailbox)
        .bind(me)
        .execute(pool)
        .await?
        .rows_affected());
        if swept > 0 {
            metrics::counter!("cadenced_uncertain_sends_total").increment(swept);
        }
        Ok(self
            .sends_in_state("uncertain")
            .await?
            .into_iter()
            .filter(|s| s.mailbox == mailbox)
            .collect())
    }

    /// Open claims of `mailbox` by `me` (sends handed to SMTP and not yet recorded).
    ///
    /// # Errors
    /// Database errors.
    pub async fn open_claims(&self, mailbox: &str, me: &str) -> Result<i64, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM sends WHERE mailbox = $1 AND state = 'claimed' AND claimed_by = $2"
        )
        .bind(mailbox)
        .bind(me)
        .fetch_one(pool)
        .await?))
    }
}
