//! Helpers shared by the integration tests (ripgrep keeps its in `tests/util.rs`).
//!
//! Not every test module uses every helper.
#![allow(dead_code)]

pub mod campaign;
pub mod config;
pub mod daemon;
pub mod http;
pub mod mailstack;
pub mod provider;
pub mod webdriver;

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::store::TestDb;

/// The one poll-until helper of the async tests: polls `cond` every 50 ms until it holds or
/// `secs` seconds pass, then panics naming `what` (a [`lazy`] one is written only then, so
/// it can show the logs of that moment). (Tests never sleep to wait.)
pub async fn until<F, Fut>(secs: u64, what: impl fmt::Display, mut cond: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond().await {
        assert!(
            Instant::now() < deadline,
            "timed out after {secs}s waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The blocking twin of [`until`], for `#[test]`s that drive child processes: polls `f`
/// every 100 ms until it gives a value or `secs` seconds pass, then panics naming `what`.
pub fn wait_for<T>(secs: u64, what: impl fmt::Display, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {secs}s waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A description of what a wait waits for, written only when the wait fails (with the state
/// of that moment: rows, daemon logs).
pub struct Lazy<F>(F);

/// A [`Lazy`] description: `until(30, lazy(|| format!("…{}", daemon.log())), …)`.
pub fn lazy<F: Fn() -> String>(describe: F) -> Lazy<F> {
    Lazy(describe)
}

impl<F: Fn() -> String> fmt::Display for Lazy<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&(self.0)())
    }
}

/// What a test of a both-backends suite gets, built on a fresh database.
pub trait Fixture: Sized {
    /// What the test function takes.
    type Arg<'a>
    where
        Self: 'a;
    /// Builds the fixture on `db`.
    fn open(db: TestDb) -> impl Future<Output = Self>;
    /// The test function's argument.
    fn arg(&self) -> Self::Arg<'_>;
    /// Cleans up what the database leaves (a PostgreSQL schema).
    fn close(self) -> impl Future<Output = ()>;
}

impl Fixture for TestDb {
    type Arg<'a> = cadenced::db::Store;

    async fn open(db: TestDb) -> TestDb {
        db
    }

    fn arg(&self) -> cadenced::db::Store {
        self.store.clone()
    }

    async fn close(self) {
        self.cleanup().await;
    }
}

/// The one way to run tests on both backends: for each async test function named, a
/// `sqlite::name` test on a real SQLite file and a `postgres::name` test on a fresh schema of
/// the test PostgreSQL. `$fixture` (a [`Fixture`]) makes the function's argument.
macro_rules! both_backends {
    ($fixture:ty: $($name:ident),* $(,)?) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let db = crate::store::sqlite_db().await;
                    let fixture = <$fixture as crate::support::Fixture>::open(db).await;
                    super::$name(crate::support::Fixture::arg(&fixture)).await;
                    crate::support::Fixture::close(fixture).await;
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let db = crate::store::pg_db().await;
                    let fixture = <$fixture as crate::support::Fixture>::open(db).await;
                    super::$name(crate::support::Fixture::arg(&fixture)).await;
                    crate::support::Fixture::close(fixture).await;
                }
            )*
        }
    };
}
