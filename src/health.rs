//! Whether the database can be written, as the daemon sees it.
//!
//! SQLite on a full disk or on a file system that went read-only keeps answering reads and
//! fails every write. The daemon must not exit then (systemd would restart it into the same
//! wall, over and over) and must not log one line per loop turn. So every task that fails to
//! write hands the error to [`DbHealth::failed`], a cheap synchronous call that tells a storage
//! problem (disk full, read-only, I/O error) from any other error and, when it is news, wakes
//! [`watch`]. That task finds out what the file system says (read-only, full, permissions),
//! logs one ERROR and sets the systemd status to `degraded: …`; then it tries a real write
//! every [`PROBE_INTERVAL`] and, once one works, logs one INFO, restores the `running: …`
//! status and wakes the scheduler.
//!
//! Nothing is lost meanwhile, and this module needs to do nothing for that: a send is claimed
//! (a write) before any byte goes to the SMTP server, so nothing goes out that cannot be
//! recorded; a reply's checkpoint moves in the transaction that records it, so a reply that
//! cannot be recorded is read again later.
//!
//! At start, [`unwritable`] turns the same problems into one line for the operator (and exit
//! status 2: the environment is wrong, like a bad config, and restarting will not help).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::error::DatabaseError;
use tokio::sync::Notify;
use tracing::{debug, error, info};

use crate::db::StoreError;

/// How often a database that cannot be written is tried again with a real write.
pub const PROBE_INTERVAL: Duration = Duration::from_secs(2);

/// How long a mailbox watcher waits before reading again after the database refused a write:
/// long enough not to log in and fetch the same messages every half second.
pub const RETRY_AFTER: Duration = Duration::from_secs(5);

/// What keeps the database from being written, in words a sysadmin reads in the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// No space left: `SQLITE_FULL`, `ENOSPC`, a quota, PostgreSQL's `53100`.
    DiskFull,
    /// The file system is mounted read-only (`EROFS`).
    ReadOnlyFileSystem,
    /// The database's directory is not writable by the user the daemon runs as.
    PermissionDenied,
    /// The database refuses writes for another reason: `SQLITE_READONLY` with a writable
    /// directory (the file's own permissions), a PostgreSQL standby (`25006`).
    ReadOnly,
    /// The file cannot be opened (`SQLITE_CANTOPEN`).
    CannotOpen,
    /// The disk reports I/O errors (`SQLITE_IOERR`).
    Io,
}

impl Problem {
    /// The storage problem `err` shows, from the database's error code alone (no I/O); `None`
    /// for every other error (a constraint, a lost connection, a bad row).
    pub fn of(err: &StoreError) -> Option<Problem> {
        let err = match err {
            StoreError::Sqlx(e) => e,
            StoreError::Migrate(
                sqlx::migrate::MigrateError::Execute(e) | sqlx::migrate::MigrateError::ExecuteMigration(e, _),
            ) => e,
            _ => return None,
        };
        match err {
            sqlx::Error::Database(db) => match db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                // SQLite reports extended codes; the primary code is the low byte.
                Some(sqlite) => match sqlite.code()?.parse::<i32>().ok()? & 0xff {
                    13 => Some(Problem::DiskFull),
                    8 => Some(Problem::ReadOnly),
                    14 => Some(Problem::CannotOpen),
                    10 => Some(Problem::Io),
                    _ => None,
                },
                // PostgreSQL's SQLSTATE.
                None => match db.code()?.as_ref() {
                    "53100" => Some(Problem::DiskFull),
                    "25006" => Some(Problem::ReadOnly),
                    _ => None,
                },
            },
            sqlx::Error::Io(e) => Problem::of_io(e),
            _ => None,
        }
    }

    /// The problem an OS error names, if it is one of ours.
    fn of_io(err: &std::io::Error) -> Option<Problem> {
        match err.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => Some(Problem::DiskFull),
            std::io::ErrorKind::ReadOnlyFilesystem => Some(Problem::ReadOnlyFileSystem),
            std::io::ErrorKind::PermissionDenied => Some(Problem::PermissionDenied),
            _ => None,
        }
    }

    /// The problem in an operator's words, for log lines and `check`.
    pub fn describe(self) -> &'static str {
        match self {
            Problem::DiskFull => "disk full",
            Problem::ReadOnlyFileSystem => "read-only file system",
            Problem::PermissionDenied => {
                "read-only for this user (permission denied in the database's directory)"
            }
            Problem::ReadOnly => {
                "read-only (check the permissions of the file and of its -wal and -shm files)"
            }
            Problem::CannotOpen => "cannot be opened",
            Problem::Io => "disk I/O error",
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// A database that cannot be written, named for the operator: `database PATH: PROBLEM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("database {database}: {problem}")]
pub struct Unwritable {
    /// The SQLite file's path, or the PostgreSQL URL without its password.
    pub database: String,
    /// What is wrong (full, read-only, …), with what to do about it.
    pub problem: Problem,
}

/// The database as log lines name it: the SQLite file's path, or the PostgreSQL URL without
/// its password.
pub fn database_name(database_url: &str) -> String {
    match crate::db::sqlite_path(database_url) {
        Some(path) => path.display().to_string(),
        None => crate::config::redact_url(database_url),
    }
}

/// Makes `seen` (from SQLite's code) precise with what the OS says when asked to write in the
/// database's directory: an unnamed temporary file there, one byte, thrown away. SQLite's
/// codes alone do not tell a read-only mount from a file owned by someone else, and report a
/// file system that went read-only under open files as an I/O error. Blocking.
///
/// (The database file itself is never opened here: closing a second descriptor on it would
/// drop SQLite's POSIX locks.)
pub fn diagnose(database_url: &str, seen: Problem) -> Problem {
    let Some(path) = crate::db::sqlite_path(database_url) else {
        return seen;
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    match tempfile::tempfile_in(dir).and_then(|mut f| f.write_all(&[0])) {
        Ok(()) => seen,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Problem::CannotOpen,
        Err(e) => Problem::of_io(&e).unwrap_or(seen),
    }
}

/// `Some` when `err` means the database cannot be written, with the problem made precise by
/// [`diagnose`] (run off the async threads); `None` for other errors.
pub async fn unwritable(database_url: &str, err: &StoreError) -> Option<Unwritable> {
    let seen = Problem::of(err)?;
    let url = database_url.to_string();
    let problem = tokio::task::spawn_blocking(move || diagnose(&url, seen))
        .await
        .unwrap_or(seen);
    Some(Unwritable {
        database: database_name(database_url),
        problem,
    })
}

/// The daemon's view of whether the database can be written; shared by every task (cheap to
/// clone). See the module docs.
#[derive(Debug, Clone)]
pub struct DbHealth {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    database_url: String,
    state: Mutex<State>,
    /// Wakes [`watch`] when a task saw a new kind of failure.
    seen_news: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// The kind of failure the tasks see (from the error code) and the error's text, from the
    /// first failure until a write works again.
    seen: Option<(Problem, String)>,
    /// The problem last logged and shown in the systemd status.
    reported: Option<Problem>,
}

impl DbHealth {
    /// Healthy, for the database at `database_url`.
    pub fn new(database_url: &str) -> DbHealth {
        DbHealth {
            inner: Arc::new(Inner {
                database_url: database_url.to_string(),
                state: Mutex::new(State::default()),
                seen_news: Notify::new(),
            }),
        }
    }

    /// Takes note of a failed database call. Returns `true` when `err` is a storage problem
    /// (disk full, read-only, I/O error): it is then reported once for the whole episode, by
    /// [`watch`], and the caller logs nothing. Returns `false` for any other error, which the
    /// caller handles as before.
    pub fn failed(&self, err: &StoreError) -> bool {
        let Some(kind) = Problem::of(err) else {
            return false;
        };
        let mut state = self.inner.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.seen.as_ref().map(|(k, _)| *k) != Some(kind) {
            state.seen = Some((kind, err.to_string()));
            self.inner.seen_news.notify_one();
        }
        true
    }

    /// Whether a task saw a write fail since the last write that worked.
    pub fn is_degraded(&self) -> bool {
        self.inner
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .is_some()
    }

    /// Reports what the tasks saw, if it is news: one ERROR and the systemd status.
    async fn report_news(&self) {
        let Some((kind, text)) = self
            .inner
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .clone()
        else {
            return;
        };
        let url = self.inner.database_url.clone();
        let problem = tokio::task::spawn_blocking(move || diagnose(&url, kind))
            .await
            .unwrap_or(kind);
        {
            let mut state = self.inner.state.lock().unwrap_or_else(|e| e.into_inner());
            // A write may have worked meanwhile, or the same problem was already told.
            if state.seen.is_none() || state.reported == Some(problem) {
                return;
            }
            state.reported = Some(problem);
        }
        let database = database_name(&self.inner.database_url);
        error!(
            error = %text,
            "Database {database}: {problem}; nothing is sent or ingested until it can be written."
        );
        metrics::gauge!("cadenced_database_writable").set(0.0);
        let status = format!("degraded: database {problem}; nothing is sent or ingested");
        let _ = sd_notify::notify(&[sd_notify::NotifyState::Status(&status)]);
    }

    /// A write worked: ends the episode. Returns whether there was one.
    fn recovered(&self) -> bool {
        let mut state = self.inner.state.lock().unwrap_or_else(|e| e.into_inner());
        let was = state.seen.take().is_some();
        state.reported = None;
        was
    }
}

/// Reports storage problems once per episode and finds out when writes work again; runs until
/// the daemon stops. Spawned with the daemon's other tasks.
pub async fn watch(
    health: DbHealth,
    store: crate::db::Store,
    wake: Arc<Notify>,
    token: tokio_util::sync::CancellationToken,
    running_status: String,
) {
    let health = &health;
    metrics::gauge!("cadenced_database_writable").set(1.0);
    loop {
        tokio::select! {
            _ = health.inner.seen_news.notified() => health.report_news().await,
            _ = tokio::time::sleep(PROBE_INTERVAL), if health.is_degraded() => {
                match store.probe_write().await {
                    Ok(()) => {
                        if health.recovered() {
                            let database = database_name(&health.inner.database_url);
                            info!("Database {database}: writable again; sending and ingest resume.");
                            metrics::gauge!("cadenced_database_writable").set(1.0);
                            let _ = sd_notify::notify(&[sd_notify::NotifyState::Status(&running_status)]);
                            wake.notify_one();
                        }
                    }
                    Err(e) => {
                        if !health.failed(&e) {
                            debug!(error = %e, "Database write probe failed.");
                        }
                    }
                }
            }
            _ = token.cancelled() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::db::Store;

    /// The problem a real SQLite error shows, after `setup` statements on a fresh file.
    async fn problem_after(url_suffix: &str, setup: &[&str], failing: &str) -> Option<Problem> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let url = format!("sqlite://{}", path.display());
        let store = Store::connect(&url, 1).await.expect("open");
        store.migrate().await.expect("migrate");
        store.close().await;
        let url = format!("{url}{url_suffix}");
        // One connection: `max_page_count` holds for the connection that sets it.
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("reopen");
        for sql in setup {
            sqlx::query(sql).execute(&pool).await.expect("setup");
        }
        let err = sqlx::query(failing).execute(&pool).await.expect_err("must fail");
        Problem::of(&StoreError::Sqlx(err))
    }

    #[tokio::test]
    async fn sqlite_codes_map_to_problems() {
        // SQLITE_FULL: the page limit stands in for a full disk.
        let full = problem_after(
            "",
            &["CREATE TABLE big (x BLOB)", "PRAGMA max_page_count = 1"],
            "INSERT INTO big SELECT zeroblob(100000)",
        )
        .await;
        assert_eq!(full, Some(Problem::DiskFull));
        // SQLITE_READONLY.
        let ro = problem_after("?mode=ro", &[], "CREATE TABLE x (y INTEGER)").await;
        assert_eq!(ro, Some(Problem::ReadOnly));
        // A constraint is not a storage problem.
        let other = problem_after(
            "",
            &["CREATE TABLE u (x INTEGER UNIQUE)", "INSERT INTO u VALUES (1)"],
            "INSERT INTO u VALUES (1)",
        )
        .await;
        assert_eq!(other, None);
    }

    #[tokio::test]
    async fn a_file_that_cannot_be_opened_is_named() {
        let url = "sqlite:///nonexistent-dir-for-cadenced/sub/t.db?mode=rw";
        let err = sqlx::SqlitePool::connect(url).await.expect_err("cannot open");
        let err = StoreError::Sqlx(err);
        assert_eq!(Problem::of(&err), Some(Problem::CannotOpen));
        let u = unwritable(url, &err).await.expect("a storage problem");
        assert_eq!(
            u.to_string(),
            "database /nonexistent-dir-for-cadenced/sub/t.db: cannot be opened"
        );
    }

    #[test]
    fn os_errors_map_to_problems() {
        use std::io::{Error, ErrorKind};
        let check = |kind: ErrorKind, expect: Option<Problem>| {
            let err = StoreError::Sqlx(sqlx::Error::Io(Error::from(kind)));
            assert_eq!(Problem::of(&err), expect, "{kind:?}");
        };
        check(ErrorKind::StorageFull, Some(Problem::DiskFull));
        check(ErrorKind::QuotaExceeded, Some(Problem::DiskFull));
        check(ErrorKind::ReadOnlyFilesystem, Some(Problem::ReadOnlyFileSystem));
        check(ErrorKind::ConnectionRefused, None);
        assert_eq!(Problem::of(&StoreError::NotFound("x".into())), None);
    }

    #[test]
    fn a_writable_directory_keeps_what_sqlite_said() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        assert_eq!(diagnose(&url, Problem::Io), Problem::Io);
        assert_eq!(diagnose(&url, Problem::DiskFull), Problem::DiskFull);
        assert_eq!(
            diagnose("postgres://u:p@h/db", Problem::ReadOnly),
            Problem::ReadOnly
        );
        assert_eq!(database_name("postgres://u:p@h/db"), "postgres://u:***@h/db");
        assert_eq!(database_name(&url), format!("{}/t.db", dir.path().display()));
    }

    #[test]
    fn one_report_per_kind_of_failure() {
        let health = DbHealth::new("sqlite:///tmp/x.db");
        let full = || {
            StoreError::Sqlx(sqlx::Error::Io(std::io::Error::from(
                std::io::ErrorKind::StorageFull,
            )))
        };
        assert!(!health.is_degraded());
        assert!(health.failed(&full()));
        assert!(health.is_degraded());
        assert!(health.failed(&full()));
        assert!(!health.failed(&StoreError::NotFound("x".into())));
        assert!(health.recovered());
        assert!(!health.recovered());
        assert!(!health.is_degraded());
    }
}
