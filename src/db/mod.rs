//! The `Store`: every read and write of the database, named for intent, over SQLite (the
//! embedded default) or PostgreSQL.
//!
//! Both backends run the same SQL: the schema keeps times as integer milliseconds and uses
//! only syntax both dialects share (`$1` placeholders, `ON CONFLICT`, `RETURNING`). Each
//! method body is written once and compiled for each pool type by `with_pool!`; where the
//! dialects must differ, the method says so. Every state change of an enrollment goes through
//! [`LeadState::apply`] and is written with a conditional `UPDATE … WHERE version = $old`, so
//! two processes can never both act on the same version of a lead.
//!
//! **Invariant:** no SQL is assembled with `format!` from values; dynamic filters use
//! `QueryBuilder` and bind every value.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::QueryBuilder;

use crate::db::rows::{
    from_ms, to_ms, CampaignRow, EnrollmentRow, EventRow, ENROLLMENT_COLUMNS, ENROLLMENT_FROM,
};
use crate::domain::campaign::{
    CampaignCommand, CampaignRefused, CampaignSpec, CampaignStatus, StaleAction, UnreadableCampaign,
};
use crate::domain::lead::{Event, LeadState, Pause, PauseReason, Refused, Source, Status, StopReason};

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database said no or is unreachable.
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// Bringing the schema up to date ([`Store::migrate`]) failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row does not make a valid state.
    #[error(transparent)]
    Corrupt(#[from] rows::CorruptRow),
    /// The campaign, enrollment or lead in a campaign named does not exist; the message says which.
    #[error("{0}")]
    NotFound(String),
    /// The request is not allowed in the current state.
    #[error("{0}")]
    Refused(String),
    /// Another writer kept changing the same row.
    #[error("enrollment {0} kept changing under us; try again")]
    Conflict(i64),
    /// A stored campaign no longer parses; nothing was changed.
    #[error(transparent)]
    Unreadable(#[from] UnreadableCampaign),
}

impl StoreError {
    /// Whether trying the same call again later may work: the database was unreachable,
    /// busy, full or read-only. A constraint violation, a missing or corrupt row, a refusal or
    /// a conflict stays so.
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Sqlx(sqlx::Error::Database(db)) => matches!(db.kind(), sqlx::error::ErrorKind::Other),
            StoreError::Sqlx(
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::WorkerCrashed,
            ) => true,
            _ => false,
        }
    }
}

impl From<CampaignRefused> for StoreError {
    fn from(r: CampaignRefused) -> StoreError {
        StoreError::Refused(r.to_string())
    }
}

impl From<Refused> for StoreError {
    fn from(r: Refused) -> Self {
        StoreError::Refused(r.message)
    }
}

/// A handle on the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool: the body is compiled once per backend.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

/// Writes one transition inside a transaction `$tx`: the conditional update, then the event.
/// Evaluates to `Result<Result<LeadState, Refused>, StoreError>`; a version conflict is
/// `Err(StoreError::Conflict)`, which callers retry after reloading the row.
macro_rules! write_transition {
    ($tx:expr, $row:expr, $event:expr, $cause:expr, $now:expr) => {{
        let row: &$crate::db::rows::EnrollmentRow = $row;
        let event: &$crate::domain::lead::Event = $event;
        let cause: &$crate::db::Cause = $cause;
        let now: ::chrono::DateTime<::chrono::Utc> = $now;
        match $crate::db::bulk::plan(row, event, cause, now)? {
            Err(refused) => Ok::<_, $crate::db::StoreError>(Err(refused)),
            Ok($crate::db::bulk::Planned { old, new, columns: c }) => {
                let updated = sqlx::query(
                    "UPDATE enrollments SET status = $1, steps_sent = $2, next_send_at = $3, remaining_ms = $4, \
                     paused_at = $5, pause_source = $6, pause_reason = $7, resume_at = $8, return_date = $9, \
                     note = $10, cause_message_id = $11, stop_reason = $12, stopped_at = $13, due_at = $17, \
                     version = version + 1, updated_at = $14 WHERE id = $15 AND version = $16",
                )
                .bind(c.status)
                .bind(c.steps_sent)
                .bind(c.next_send_at)
                .bind(c.remaining_ms)
                .bind(c.paused_at)
                .bind(c.pause_source)
                .bind(c.pause_reason)
                .bind(c.resume_at)
                .bind(c.return_date.clone())
                .bind(c.note.clone())
                .bind(c.cause_message_id)
                .bind(c.stop_reason)
                .bind(c.stopped_at)
                .bind($crate::db::rows::to_ms(now))
                .bind(row.id)
                .bind(row.version)
                .bind(c.due_at)
                .execute(&mut *$tx)
                .await?;
                if updated.rows_affected() == 0 {
                    Err($crate::db::StoreError::Conflict(row.id))
                } else {
                    let (reason, date) = $crate::db::event_reason(event);
                    sqlx::query(
                        "INSERT INTO events (enrollment_id, at, kind, from_status, to_status, actor, reason, rule, \
                         message_id, date, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(row.id)
                    .bind($crate::db::rows::to_ms(now))
                    .bind(event.name())
                    .bind(old.as_str())
                    .bind(new.status().as_str())
                    .bind(cause.actor.as_str())
                    .bind(reason)
                    .bind(cause.rule.clone())
                    .bind(cause.message_id)
                    .bind(date)
                    .bind(cause.note.clone())
                    .execute(&mut *$tx)
                    .await?;
                    $crate::db::outbox::enqueue!($tx, $crate::db::outbox::lead_event(row, event, &new, now), now)?;
                    ::metrics::counter!("cadenced_transitions_total", "event" => event.name(), "to" => new.status().as_str())
                        .increment(1);
                    Ok(Ok(new))
                }
            }
        }
    }};
}

/// Opening a transaction that reads before it writes. On SQLite it takes the write lock at
/// `BEGIN IMMEDIATE`, waiting (`busy_timeout`) while another writer holds it: a deferred
/// transaction that has read cannot wait to upgrade once another connection writes (SQLite
/// answers "database is locked" at once, to avoid a deadlock), which under a steady stream of
/// sends failed the reply path again and again. PostgreSQL needs nothing of the kind.
trait BeginWrite {
    /// The sqlx database the transaction runs on.
    type Db: sqlx::Database;
    /// A transaction that may write without being refused for having read first.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

// Child modules come after the macros so that they can use them: each adds an `impl Store`
// block for one area of the daemon.
pub mod access;
mod bulk;
pub mod inbound;
pub mod leases;
pub mod outbox;
pub mod recipient;
pub mod rows;
pub mod sends;

/// Who or what caused a transition, for its event row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cause {
    /// Who acted: an operator, the daemon on a reply, or its own bookkeeping; an automatic
    /// decision never overrides an operator's.
    pub actor: Actor,
    /// The rule that fired, for automatic decisions.
    pub rule: Option<String>,
    /// The inbound message (our row id) that led to it; `None` when no inbound message did.
    pub message_id: Option<i64>,
    /// A note for the event row, shown by `lead show` (a person's words or the daemon's why).
    pub note: Option<String>,
}

impl Cause {
    /// An operator's act with an optional note.
    pub fn operator(note: Option<String>) -> Cause {
        Cause {
            actor: Actor::Operator,
            note,
            ..Cause::default()
        }
    }

    /// The daemon's own act (campaign-wide changes, automatic resumes).
    pub fn system() -> Cause {
        Cause {
            actor: Actor::System,
            ..Cause::default()
        }
    }
}

/// Who is behind an event, stored in `events.actor`: an operator's pause is never overridden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Actor {
    /// A person through the CLI.
    #[default]
    Operator,
    /// The daemon deciding on a reply, by one of the reply rules.
    Auto,
    /// The daemon's own bookkeeping (campaign pause, automatic resume, sends).
    System,
}

impl Actor {
    /// The name stored in `events.actor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Operator => "operator",
            Actor::Auto => "auto",
            Actor::System => "system",
        }
    }
}

/// The reason and date an event row records.
pub(crate) fn event_reason(event: &Event) -> (Option<&'static str>, Option<String>) {
    match event {
        Event::Pause(p) => (Some(p.reason.as_str()), p.return_date.map(|d| d.to_string())),
        Event::Stop { reason, .. } => (Some(reason.as_str()), None),
        _ => (None, None),
    }
}

/// Which enrollments a list or bulk command is about.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only enrollments in this campaign (its row id); `None` for every campaign.
    pub campaign_id: Option<i64>,
    /// Only enrollments in this status; `None` for any status.
    pub status: Option<Status>,
    /// Only these addresses (lowercase).
    pub emails: Option<Vec<String>>,
    /// Only leads whose address, name or company contains this text (any case): the
    /// search box of the API and the console.
    pub search: Option<String>,
}

/// Appends `filter`'s conditions (and `emails`, one chunk of its addresses) to `$qb`, a
/// `QueryBuilder` over `ENROLLMENT_FROM`, every value bound.
macro_rules! push_filter {
    ($qb:expr, $filter:expr, $emails:expr) => {{
        let filter: &$crate::db::Filter = $filter;
        if let Some(id) = filter.campaign_id {
            $qb.push(" AND e.campaign_id = ").push_bind(id);
        }
        if let Some(status) = filter.status {
            $qb.push(" AND e.status = ").push_bind(status.as_str());
        }
        if let Some(list) = $emails {
            $qb.push(" AND l.email IN (");
            let mut sep = $qb.separated(", ");
            for e in list {
                sep.push_bind(e.clone());
            }
            $qb.push(")");
        }
        if let Some(q) = filter.search.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = format!("%{}%", $crate::db::like_escape(&q.to_lowercase()));
            $qb.push(" AND (l.email LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR LOWER(COALESCE(l.first_name, '') || ' ' || COALESCE(l.last_name, '')) LIKE ")
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\' OR LOWER(COALESCE(l.company, '')) LIKE ")
                .push_bind(pattern)
                .push(" ESCAPE '\\')");
        }
    }};
}

/// `text` with LIKE's wildcards (and the escape character) escaped by a backslash, so a
/// search for `50%` finds those three characters.
pub(crate) fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What `apply_campaign` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyOutcome {
    /// The campaign was new and is stored as a draft.
    Created,
    /// An existing one changed; `paused` leads were paused because the sender changed.
    Updated {
        /// Leads paused with reason `sender_changed`.
        paused: u64,
    },
    /// The file's spec equals the stored one; nothing was written.
    Unchanged,
}

/// One lead of an import, validated, as it will be stored and enrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLead {
    /// The address, validated and lowercased: the person's identity across campaigns.
    pub email: String,
    /// A template field; blank in a re-import keeps the stored value.
    pub first_name: Option<String>,
    /// A template field; blank in a re-import keeps the stored value.
    pub last_name: Option<String>,
    /// A template field; blank in a re-import keeps the stored value.
    pub company: Option<String>,
    /// The person's IANA zone (validated at import): their window and their dates.
    pub timezone: Option<String>,
    /// The CSV's other columns, each a template field.
    pub fields: BTreeMap<String, String>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Leads newly enrolled to be contacted (suppressed ones count in `suppressed`).
    pub enrolled: u64,
    /// Already in the campaign (their lead data was updated).
    pub already_enrolled: u64,
    /// Enrolled as skipped because the address is suppressed.
    pub suppressed: u64,
}

/// What a bulk transition did: how many changed, and which were refused and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkOutcome {
    /// Enrollments the event was applied to.
    pub changed: u64,
    /// Refusals: (email, campaign, message).
    pub refused: Vec<(String, String, String)>,
}

/// Leads that lack a field a step of theirs needs ([`Store::lacking_fields`]); displayed as
/// the first few, `lead EMAIL: step N needs {{field}}`, and how many more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LackingFields {
    /// The first `LackingFields::NAMED` (ten) of them, worded.
    pub first: Vec<String>,
    /// How many leads lack a field in all, named in `first` or not.
    pub count: usize,
}

impl LackingFields {
    /// How many leads a refusal names; the rest are counted.
    const NAMED: usize = 10;
}

impl std::fmt::Display for LackingFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.first.join("; "))?;
        match self.count.saturating_sub(self.first.len()) {
            0 => Ok(()),
            more => write!(f, " (and {more} more)"),
        }
    }
}

/// Counts per campaign and status, for `report`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusCount {
    /// The campaign's name, the line `report` prints the count on.
    pub campaign: String,
    /// The lead status counted (`launch`, `paused`, …).
    pub status: String,
    /// How many of its enrollments are in that status.
    pub count: i64,
}

const IMPORT_BATCH: usize = 500;
/// Rows per set-based statement on PostgreSQL.
const PG_BULK: usize = 2000;

impl Store {
    /// Opens the database at `url` (`sqlite://PATH` or `postgres://…`). A SQLite file and its
    /// directory are created when missing, in WAL mode.
    ///
    /// # Errors
    /// When the database cannot be opened or reached.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Backend::Postgres(pool)
        } else {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            // Lead data is personal data: a state directory and database we create are the
            // daemon user's alone (0700, 0600), whatever the umask; systemd's StateDirectory
            // does the same for the directory it makes. The empty file is created before
            // SQLite first opens it (so holds no lock yet), and its WAL and shared-memory
            // files take its mode.
            let file = opts.get_filename().to_path_buf();
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                if !dir.exists() {
                    use std::os::unix::fs::DirBuilderExt;
                    std::fs::DirBuilder::new()
                        .recursive(true)
                        .mode(0o700)
                        .create(dir)
                        .map_err(|e| {
                            sqlx::Error::Configuration(format!("creating {}: {e}", dir.display()).into())
                        })?;
                }
            }
            if !file.as_os_str().is_empty() && file != Path::new(":memory:") && !file.exists() {
                use std::os::unix::fs::OpenOptionsExt;
                // Another process may create it first: that is fine, it is then theirs.
                let _ = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&file);
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                // A write that fails with SQLITE_FULL or SQLITE_IOERR can make SQLite roll the
                // transaction back by itself; sqlx's ROLLBACK then fails and its transaction
                // count stays at 1, so the connection's next "transaction" is a SAVEPOINT that
                // a rollback never ends: it keeps the write lock and every other connection
                // gets "database is locked" for good. A connection released while sqlx still
                // counts a transaction (after its queued rollback ran) is closed instead.
                .after_release(|conn, _| {
                    Box::pin(async move {
                        if !sqlx::Connection::is_in_transaction(conn) {
                            return Ok(true);
                        }
                        sqlx::Connection::ping(conn).await?;
                        Ok(!sqlx::Connection::is_in_transaction(conn))
                    })
                })
                .connect_with(opts)
                .await?;
            Backend::Sqlite(pool)
        };
        Ok(Store { backend })
    }

    /// Applies the embedded migrations of this backend.
    ///
    /// # Errors
    /// When a migration fails or the database has migrations this binary does not know.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Backend::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match &self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }

    // ---- campaigns -------------------------------------------------------------------

    /// The campaign with this name, `None` when there is none.
    ///
    /// # Errors
    /// Database errors.
    pub async fn campaign(&self, name: &str) -> Result<Option<CampaignRow>, StoreError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as::<_, CampaignRow>(
            "SELECT id, name, mailbox, status, spec_toml, launched_at, paused_at, pause_reason FROM campaigns WHERE name = $1"
        )
        .bind(name)
        .fetch_optional(pool)
        .await?)
        })
    }

    /// The campaign with this name, or a "not found" error naming it.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] and database errors.
    pub async fn campaign_required(&self, name: &str) -> Result<CampaignRow, StoreError> {
        self.campaign(name).await?.ok_or_else(|| {
            StoreError::NotFound(format!("campaign {name:?} does not exist (apply its file first)"))
        })
    }

    /// Every campaign, by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn campaigns(&self) -> Result<Vec<CampaignRow>, StoreError> {
        with_pool!(self, |pool| {
            Ok(sqlx::query_as::<_, CampaignRow>(
            "SELECT id, name, mailbox, status, spec_toml, launched_at, paused_at, pause_reason FROM campaigns ORDER BY name"
        )
        .fetch_all(pool)
        .await?)
        })
    }

    /// The running (active or paused) campaigns whose stored text no longer parses, by name:
    /// for the daemon's report, `check` and `report`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn unreadable_campaigns(&self) -> Result<Vec<UnreadableCampaign>, StoreError> {
        Ok(self
            .campaigns()
            .await?
            .iter()
            .filter(|c| c.status.is_running())
            .filter_map(|c| c.spec().err())
            .collect())
    }

    /// Creates or updates a campaign from its file. Applying the same file twice changes
    /// nothing. Changing the mailbox of an active or paused campaign pauses its
    /// `in_progress` leads with reason `sender_changed`.
    ///
    /// # Errors
    /// An archived campaign is refused; database errors.
    pub async fn apply_campaign(
        &self,
        text: &str,
        spec: &CampaignSpec,
        now: DateTime<Utc>,
    ) -> Result<ApplyOutcome, StoreError> {
        let Some(existing) = self.campaign(&spec.name).await? else {
            with_pool!(self, |pool| sqlx::query(
                "INSERT INTO campaigns (name, mailbox, status, spec_toml, created_at, updated_at) \
                 VALUES ($1, $2, $5, $3, $4, $4) ON CONFLICT (name) DO NOTHING"
            )
            .bind(&spec.name)
            .bind(&spec.mailbox)
            .bind(text)
            .bind(to_ms(now))
            .bind(CampaignStatus::Draft.as_str())
            .execute(pool)
            .await?
            .rows_affected());
            return Ok(ApplyOutcome::Created);
        };
        if !existing.status.can_change() {
            return Err(StoreError::Refused(format!(
                "campaign {:?} is archived and cannot change",
                spec.name
            )));
        }
        // A stored text that no longer parses is replaced by the new file: that is the fix.
        let old = existing.spec().ok();
        if old.as_ref() == Some(spec) {
            return Ok(ApplyOutcome::Unchanged);
        }
        with_pool!(self, |pool| sqlx::query(
            "UPDATE campaigns SET spec_toml = $1, updated_at = $2 WHERE id = $3"
        )
        .bind(text)
        .bind(to_ms(now))
        .bind(existing.id)
        .execute(pool)
        .await?
        .rows_affected());
        let paused = if existing.mailbox != spec.mailbox {
            self.set_sender(&spec.name, &spec.mailbox, now).await?
        } else {
            0
        };
        Ok(ApplyOutcome::Updated { paused })
    }

    /// Changes a campaign's sender mailbox. If the campaign is active or paused, its
    /// `in_progress` leads are paused with reason `sender_changed` (source operator), so that
    /// nobody gets the next step from an address they never heard of until a person says so.
    /// Returns how many leads were paused.
    ///
    /// # Errors
    /// Unknown or archived campaign; database errors.
    pub async fn set_sender(&self, name: &str, mailbox: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let c = self.campaign_required(name).await?;
        if !c.status.can_change() {
            return Err(StoreError::Refused(format!("campaign {name:?} is archived")));
        }
        // The stored text and the sender column must keep agreeing: a text that does not
        // parse is refused here rather than left naming the old sender.
        c.spec()?;
        let spec_toml = replace_mailbox(&c.spec_toml, mailbox)?;
        with_pool!(self, |pool| sqlx::query(
            "UPDATE campaigns SET mailbox = $1, spec_toml = $2, updated_at = $3 WHERE id = $4"
        )
        .bind(mailbox)
        .bind(&spec_toml)
        .bind(to_ms(now))
        .bind(c.id)
        .execute(pool)
        .await?
        .rows_affected());
        if c.status == CampaignStatus::Draft || c.mailbox == mailbox {
            return Ok(0);
        }
        let filter = Filter {
            campaign_id: Some(c.id),
            status: Some(Status::InProgress),
            emails: None,
            search: None,
        };
        let pause = Pause {
            paused_at: now,
            source: Source::Operator,
            reason: PauseReason::SenderChanged,
            resume_at: None,
            return_date: None,
            note: Some(format!("sender changed from {} to {mailbox}", c.mailbox)),
            message_id: None,
        };
        let cause = Cause {
            note: pause.note.clone(),
            ..Cause::operator(None)
        };
        let out = self
            .transition_many(&filter, |_| Event::Pause(pause.clone()), &cause, now)
            .await?;
        Ok(out.changed)
    }

    /// Launches a draft campaign after checking that every lead has every field the steps use.
    ///
    /// # Errors
    /// [`StoreError::Refused`] listing the leads with missing fields, or when the campaign is
    /// not a draft; database errors.
    pub async fn launch_campaign(&self, name: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let c = self.campaign_required(name).await?;
        let launched = c.status.apply(CampaignCommand::Launch, name)?;
        let spec = c.spec().map_err(|e| StoreError::Refused(e.to_string()))?;
        if let Some(lacking) = self.lacking_fields(c.id, &spec).await? {
            return Err(StoreError::Refused(format!(
                "campaign {name:?} not launched: {lacking}"
            )));
        }
        with_pool!(self, |pool| {
            sqlx::query(
            "UPDATE campaigns SET status = $3, launched_at = $1, updated_at = $1 WHERE id = $2 AND status = $4"
        )
        .bind(to_ms(now))
        .bind(c.id)
        .bind(launched.as_str())
        .bind(c.status.as_str())
        .execute(pool)
        .await?
        .rows_affected()
        });
        Ok(())
    }

    /// The leads of campaign `campaign_id` still to receive a step (`launch`, `in_progress`,
    /// `paused`) who lack a field that one of their remaining steps in `spec` uses: launch
    /// refuses a draft with such leads, and applying a file to a running campaign refuses one
    /// that would leave leads waiting at their next step. `None` when every lead has what it
    /// needs.
    ///
    /// # Errors
    /// Database errors.
    pub async fn lacking_fields(
        &self,
        campaign_id: i64,
        spec: &CampaignSpec,
    ) -> Result<Option<LackingFields>, StoreError> {
        let mut lacking = LackingFields::default();
        let filter = Filter {
            campaign_id: Some(campaign_id),
            ..Filter::default()
        };
        self.for_each_enrollment(&filter, |row| -> Result<(), StoreError> {
            if !matches!(row.status.as_str(), "launch" | "in_progress" | "paused") {
                return Ok(());
            }
            let from_step = usize::try_from(row.steps_sent).unwrap_or(0);
            if let Some((step, field)) = spec.first_missing_field(&lead_fields(&row), from_step) {
                lacking.count += 1;
                if lacking.first.len() < LackingFields::NAMED {
                    lacking.first.push(format!(
                        "lead {}: step {} needs {{{{{field}}}}}",
                        row.email,
                        step + 1
                    ));
                }
            }
            Ok(())
        })
        .await?;
        Ok((lacking.count > 0).then_some(lacking))
    }

    /// Pauses an active campaign: no step goes out and every running countdown is frozen.
    /// Returns how many countdowns were frozen.
    ///
    /// # Errors
    /// When the campaign is not active; database errors.
    pub async fn pause_campaign(&self, name: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
        self.pause_campaign_because(name, "manual", now).await
    }

    /// [`Store::pause_campaign`] with the reason shown by `campaign list` and `report`
    /// (`manual`, or `bounce_rate` for the brake).
    ///
    /// # Errors
    /// When the campaign is not active; database errors.
    pub async fn pause_campaign_because(
        &self,
        name: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let c = self.campaign_required(name).await?;
        let paused = c.status.apply(CampaignCommand::Pause, name)?;
        // The status flips first, so the scheduler stops claiming before the freeze runs.
        // Conditional on the status read, so two daemons braking at once pause it once. The
        // webhook event is written with the flip.
        let flipped = with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(
                "UPDATE campaigns SET status = $3, paused_at = $1, pause_reason = $4, updated_at = $1 \
                 WHERE id = $2 AND status = $5",
            )
            .bind(to_ms(now))
            .bind(c.id)
            .bind(paused.as_str())
            .bind(reason)
            .bind(c.status.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                outbox::enqueue!(tx, outbox::campaign_paused(&c.name, reason, now), now)?;
            }
            tx.commit().await?;
            n
        });
        if flipped == 0 {
            return Err(StoreError::Refused(format!(
                "campaign {name:?} changed meanwhile; nothing paused"
            )));
        }
        let filter = Filter {
            campaign_id: Some(c.id),
            status: Some(Status::InProgress),
            emails: None,
            search: None,
        };
        let out = self
            .transition_many(&filter, |_| Event::Freeze { at: now }, &Cause::system(), now)
            .await?;
        Ok(out.changed)
    }

    /// Resumes a paused campaign: every frozen countdown restarts with the time it had left.
    ///
    /// # Errors
    /// When the campaign is not paused; database errors.
    pub async fn resume_campaign(&self, name: &str, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let c = self.campaign_required(name).await?;
        let resumed = c.status.apply(CampaignCommand::Resume, name)?;
        let filter = Filter {
            campaign_id: Some(c.id),
            status: Some(Status::InProgress),
            emails: None,
            search: None,
        };
        let out = self
            .transition_many(&filter, |_| Event::Thaw { at: now }, &Cause::system(), now)
            .await?;
        with_pool!(self, |pool| sqlx::query(
            "UPDATE campaigns SET status = $3, paused_at = NULL, pause_reason = NULL, rate_since = $1, \
             updated_at = $1 WHERE id = $2"
        )
        .bind(to_ms(now))
        .bind(c.id)
        .bind(resumed.as_str())
        .execute(pool)
        .await?
        .rows_affected());
        Ok(out.changed)
    }

    /// Archives a campaign: it sends nothing more and can no longer change. Leads keep their
    /// status for the record.
    ///
    /// # Errors
    /// When already archived; database errors.
    pub async fn archive_campaign(&self, name: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let c = self.campaign_required(name).await?;
        let archived = c.status.apply(CampaignCommand::Archive, name)?;
        with_pool!(self, |pool| sqlx::query(
            "UPDATE campaigns SET status = $3, updated_at = $1 WHERE id = $2"
        )
        .bind(to_ms(now))
        .bind(c.id)
        .bind(archived.as_str())
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    // ---- leads -----------------------------------------------------------------------

    /// Imports validated leads into a campaign in one transaction: all or nothing. Leads that
    /// exist already are updated (blank columns keep their old values); an address on the
    /// suppression list is enrolled as `skipped`.
    ///
    /// # Errors
    /// An archived campaign; database errors (nothing is imported then).
    pub async fn import_leads(
        &self,
        campaign_id: i64,
        leads: &[NewLead],
        now: DateTime<Utc>,
        mut progress: impl FnMut(u64),
    ) -> Result<ImportOutcome, StoreError> {
        // The dialects differ here, for speed: PostgreSQL takes each column as one array
        // (`UNNEST`), so a batch is one short statement whatever its size; SQLite, which has
        // no arrays, takes a multi-row `VALUES` list.
        const UPSERT: &str = " ON CONFLICT (email) DO UPDATE SET \
             first_name = COALESCE(excluded.first_name, leads.first_name), \
             last_name = COALESCE(excluded.last_name, leads.last_name), \
             company = COALESCE(excluded.company, leads.company), \
             timezone = COALESCE(excluded.timezone, leads.timezone), \
             fields_json = CASE WHEN excluded.fields_json = '{}' THEN leads.fields_json ELSE excluded.fields_json END, \
             updated_at = excluded.updated_at";
        // Two passes, so that the counts say how many were enrolled and how many were
        // enrolled as skipped because the address is suppressed.
        const PASSES: [(&str, &str, &str); 2] = [
            ("'launch'", "NULL", "s.email IS NULL"),
            ("'skipped'", "'suppressed: ' || s.reason", "s.email IS NOT NULL"),
        ];
        let fields_json =
            |lead: &NewLead| serde_json::to_string(&lead.fields).unwrap_or_else(|_| "{}".to_string());
        let mut out = ImportOutcome::default();
        let mut count = |chunk_len: usize, inserted: [u64; 2]| {
            out.enrolled += inserted[0];
            out.suppressed += inserted[1];
            out.already_enrolled += chunk_len as u64 - inserted[0] - inserted[1];
            progress(chunk_len as u64);
        };
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                for chunk in leads.chunks(IMPORT_BATCH) {
                    let mut qb = QueryBuilder::new(
                        "INSERT INTO leads (email, first_name, last_name, company, timezone, fields_json, created_at, updated_at) ",
                    );
                    qb.push_values(chunk, |mut b, lead| {
                        b.push_bind(&lead.email)
                            .push_bind(&lead.first_name)
                            .push_bind(&lead.last_name)
                            .push_bind(&lead.company)
                            .push_bind(&lead.timezone)
                            .push_bind(fields_json(lead))
                            .push_bind(to_ms(now))
                            .push_bind(to_ms(now));
                    });
                    qb.push(UPSERT);
                    qb.build().execute(&mut *tx).await?;
                    let mut inserted = [0u64; 2];
                    for (pass, (status, note, condition)) in PASSES.into_iter().enumerate() {
                        // Placeholders only: every value is bound.
                        let placeholders: Vec<String> =
                            (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
                        let sql = format!(
                            "INSERT INTO enrollments (campaign_id, lead_id, status, note, due_at, created_at, updated_at) \
                             SELECT $1, l.id, {status}, {note}, $2, $2, $2 FROM leads l LEFT JOIN suppressions s \
                             ON s.email = l.email WHERE {condition} AND l.email IN ({}) \
                             ON CONFLICT (campaign_id, lead_id) DO NOTHING",
                            placeholders.join(", ")
                        );
                        let mut query = sqlx::query(&sql).bind(campaign_id).bind(to_ms(now));
                        for lead in chunk {
                            query = query.bind(&lead.email);
                        }
                        inserted[pass] = query.execute(&mut *tx).await?.rows_affected();
                    }
                    count(chunk.len(), inserted);
                }
                tx.commit().await?;
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                for chunk in leads.chunks(IMPORT_BATCH * 10) {
                    let emails: Vec<&str> = chunk.iter().map(|l| l.email.as_str()).collect();
                    let column =
                        |f: fn(&NewLead) -> Option<&str>| chunk.iter().map(f).collect::<Vec<Option<&str>>>();
                    sqlx::query(&format!(
                        "INSERT INTO leads (email, first_name, last_name, company, timezone, fields_json, created_at, updated_at) \
                         SELECT e, f, l, c, t, j, $7, $7 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], \
                         $5::text[], $6::text[]) AS u(e, f, l, c, t, j){UPSERT}"
                    ))
                    .bind(&emails)
                    .bind(column(|l| l.first_name.as_deref()))
                    .bind(column(|l| l.last_name.as_deref()))
                    .bind(column(|l| l.company.as_deref()))
                    .bind(column(|l| l.timezone.as_deref()))
                    .bind(chunk.iter().map(fields_json).collect::<Vec<String>>())
                    .bind(to_ms(now))
                    .execute(&mut *tx)
                    .await?;
                    let mut inserted = [0u64; 2];
                    for (pass, (status, note, condition)) in PASSES.into_iter().enumerate() {
                        inserted[pass] = sqlx::query(&format!(
                            "INSERT INTO enrollments (campaign_id, lead_id, status, note, due_at, created_at, updated_at) \
                             SELECT $1, l.id, {status}, {note}, $2, $2, $2 FROM leads l LEFT JOIN suppressions s \
                             ON s.email = l.email WHERE {condition} AND l.email = ANY($3) \
                             ON CONFLICT (campaign_id, lead_id) DO NOTHING"
                        ))
                        .bind(campaign_id)
                        .bind(to_ms(now))
                        .bind(&emails)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                    }
                    count(chunk.len(), inserted);
                }
                tx.commit().await?;
            }
        }
        Ok(out)
    }

    /// One enrollment by campaign name and address.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] naming the lead and campaign; database errors.
    pub async fn enrollment(&self, campaign: &str, email: &str) -> Result<EnrollmentRow, StoreError> {
        let email = email.trim().to_lowercase();
        let sql = format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE c.name = $1 AND l.email = $2");
        let row = with_pool!(self, |pool| sqlx::query_as::<_, EnrollmentRow>(&sql)
            .bind(campaign)
            .bind(&email)
            .fetch_optional(pool)
            .await?);
        match row {
            Some(row) => Ok(row),
            None => {
                self.campaign_required(campaign).await?;
                Err(StoreError::NotFound(format!(
                    "lead {email} is not in campaign {campaign:?}"
                )))
            }
        }
    }

    /// One enrollment by row id, read fresh: transitions re-read it before each attempt.
    ///
    /// # Errors
    /// Database errors.
    pub async fn enrollment_by_id(&self, id: i64) -> Result<Option<EnrollmentRow>, StoreError> {
        let sql = format!("SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id = $1");
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, EnrollmentRow>(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?))
    }

    /// The history of an enrollment, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn events(&self, enrollment_id: i64) -> Result<Vec<EventRow>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, EventRow>(
            "SELECT ev.id, ev.at, ev.kind, ev.from_status, ev.to_status, ev.actor, ev.reason, ev.rule, \
             ev.message_id, i.message_id AS inbound_message_id, ev.date, ev.note \
             FROM events ev LEFT JOIN inbound_messages i ON i.id = ev.message_id \
             WHERE ev.enrollment_id = $1 ORDER BY ev.id"
        )
        .bind(enrollment_id)
        .fetch_all(pool)
        .await?))
    }

    /// Streams the enrollments matching `filter` to `f`, in id order, without holding them
    /// all in memory.
    ///
    /// # Errors
    /// Database errors and whatever `f` returns.
    pub async fn for_each_enrollment<E: From<StoreError>>(
        &self,
        filter: &Filter,
        mut f: impl FnMut(EnrollmentRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let emails: Vec<Option<&[String]>> = match &filter.emails {
            None => vec![None],
            Some(list) => list.chunks(IMPORT_BATCH).map(Some).collect(),
        };
        for chunk in emails {
            with_pool!(self, |pool| {
                let mut qb = QueryBuilder::new(format!(
                    "SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE 1 = 1"
                ));
                push_filter!(qb, filter, chunk);
                qb.push(" ORDER BY e.id");
                let mut rows = qb.build_query_as::<EnrollmentRow>().fetch(pool);
                while let Some(row) = rows.try_next().await.map_err(|e| E::from(e.into()))? {
                    f(row)?;
                }
                Ok::<_, E>(())
            })?;
        }
        Ok(())
    }

    /// One page of the enrollments matching `filter`, in id order, after the enrollment id
    /// `after` (the cursor of the previous page): at most `limit` rows, and whether more follow.
    ///
    /// # Errors
    /// Database errors.
    pub async fn enrollment_page(
        &self,
        filter: &Filter,
        after: i64,
        limit: u32,
    ) -> Result<(Vec<EnrollmentRow>, bool), StoreError> {
        let emails = filter.emails.as_deref();
        let mut rows = with_pool!(self, |pool| {
            let mut qb = QueryBuilder::new(format!(
                "SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.id > "
            ));
            qb.push_bind(after);
            push_filter!(qb, filter, emails);
            qb.push(" ORDER BY e.id LIMIT ").push_bind(i64::from(limit) + 1);
            qb.build_query_as::<EnrollmentRow>().fetch_all(pool).await?
        });
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        Ok((rows, more))
    }

    /// Applies one event to one enrollment: the row is re-read and the write is conditional
    /// on its version, retried a few times if another writer got there first.
    /// The outer error is the database's; the inner one the lifecycle's refusal.
    ///
    /// # Errors
    /// Database errors, a corrupt row, or persistent conflicts.
    pub async fn transition(
        &self,
        enrollment_id: i64,
        event: &Event,
        cause: &Cause,
        now: DateTime<Utc>,
    ) -> Result<Result<LeadState, Refused>, StoreError> {
        for _ in 0..5 {
            let Some(row) = self.enrollment_by_id(enrollment_id).await? else {
                return Err(StoreError::NotFound(format!(
                    "enrollment {enrollment_id} does not exist"
                )));
            };
            let result = with_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                let r = write_transition!(tx, &row, event, cause, now);
                if matches!(r, Ok(Ok(_))) {
                    tx.commit().await?;
                }
                r
            });
            match result {
                Err(StoreError::Conflict(_)) => continue,
                other => return other,
            }
        }
        Err(StoreError::Conflict(enrollment_id))
    }

    /// Applies an event (made per row by `event_for`) to every enrollment matching `filter`,
    /// in transactions of a few hundred rows. Refusals are collected, not fatal.
    ///
    /// # Errors
    /// Database errors and corrupt rows.
    pub async fn transition_many(
        &self,
        filter: &Filter,
        event_for: impl Fn(&EnrollmentRow) -> Event,
        cause: &Cause,
        now: DateTime<Utc>,
    ) -> Result<BulkOutcome, StoreError> {
        let mut rows = Vec::new();
        self.for_each_enrollment(filter, |row| -> Result<(), StoreError> {
            rows.push(row);
            Ok(())
        })
        .await?;
        let mut out = BulkOutcome::default();
        let mut conflicts = Vec::new();
        if let Backend::Postgres(pool) = &self.backend {
            for chunk in rows.chunks(PG_BULK) {
                let items: Vec<(&EnrollmentRow, Event)> = chunk.iter().map(|r| (r, event_for(r))).collect();
                let mut tx = pool.begin().await?;
                let outcomes = bulk::write_many_pg(&mut tx, &items, cause, now).await?;
                tx.commit().await?;
                for (row, outcome) in chunk.iter().zip(outcomes) {
                    match outcome {
                        bulk::Outcome::Applied(_) => out.changed += 1,
                        bulk::Outcome::Refused(refused) => {
                            out.refused
                                .push((row.email.clone(), row.campaign.clone(), refused.message))
                        }
                        bulk::Outcome::Conflict => conflicts.push(row.id),
                    }
                }
            }
        }
        let sqlite_rows = if self.backend_name() == "sqlite" {
            &rows[..]
        } else {
            &[]
        };
        for chunk in sqlite_rows.chunks(IMPORT_BATCH) {
            with_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                for row in chunk {
                    match write_transition!(tx, row, &event_for(row), cause, now) {
                        Ok(Ok(_)) => out.changed += 1,
                        Ok(Err(refused)) => {
                            out.refused
                                .push((row.email.clone(), row.campaign.clone(), refused.message))
                        }
                        Err(StoreError::Conflict(id)) => conflicts.push(id),
                        Err(e) => return Err(e),
                    }
                }
                tx.commit().await?;
                Ok::<_, StoreError>(())
            })?;
        }
        // Rows another writer changed meanwhile are retried one by one on their fresh state.
        for id in conflicts {
            let Some(row) = self.enrollment_by_id(id).await? else {
                continue;
            };
            match self.transition(id, &event_for(&row), cause, now).await? {
                Ok(_) => out.changed += 1,
                Err(refused) => out
                    .refused
                    .push((row.email.clone(), row.campaign.clone(), refused.message)),
            }
        }
        Ok(out)
    }

    /// Stops stale pauses (no `resume_at`, older than the campaign's `stale_after`) with
    /// reason `stale_pause`, in running campaigns whose policy says `stale_action = "stop"`
    /// and that send from `mailboxes` (`None`: every campaign). A lead is stopped only in the
    /// version it was found stale in: one resumed meanwhile is left alone. A campaign that no
    /// longer parses is skipped (its leads stay as they are). Returns how many stopped.
    ///
    /// # Errors
    /// Database errors.
    pub async fn stop_stale_pauses(
        &self,
        now: DateTime<Utc>,
        mailboxes: Option<&[String]>,
    ) -> Result<u64, StoreError> {
        let mut stopped = 0;
        for c in self.campaigns().await? {
            if !c.status.is_running() || mailboxes.is_some_and(|m| !m.contains(&c.mailbox)) {
                continue;
            }
            let Ok(spec) = c.spec() else {
                continue;
            };
            if spec.policy.stale_action != StaleAction::Stop {
                continue;
            }
            let filter = Filter {
                campaign_id: Some(c.id),
                status: Some(Status::Paused),
                emails: None,
                search: None,
            };
            let mut stale = Vec::new();
            self.for_each_enrollment(&filter, |row| -> Result<(), StoreError> {
                let paused_at = row.paused_at.map(from_ms).unwrap_or(now);
                if spec.policy.is_stale(paused_at, row.resume_at.map(from_ms), now) {
                    stale.push(row);
                }
                Ok(())
            })
            .await?;
            let event = Event::Stop {
                at: now,
                reason: StopReason::StalePause,
            };
            let cause = Cause {
                note: Some(format!(
                    "paused longer than {} without a resume date",
                    humantime::format_duration(spec.policy.stale_after)
                )),
                ..Cause::system()
            };
            for row in &stale {
                with_pool!(self, |pool| {
                    let mut tx = pool.begin().await?;
                    match write_transition!(tx, row, &event, &cause, now) {
                        Ok(Ok(_)) => {
                            tx.commit().await?;
                            stopped += 1;
                        }
                        // Changed meanwhile (resumed, stopped): no longer the stale pause.
                        Ok(Err(_)) | Err(StoreError::Conflict(_)) => {}
                        Err(e) => return Err(e),
                    }
                    Ok::<_, StoreError>(())
                })?;
            }
        }
        Ok(stopped)
    }

    /// Resumes pauses whose `resume_at` has come (automatic ones, and operators' with
    /// `--until`), in campaigns sending from `mailboxes` (`None`: every campaign). Returns
    /// how many resumed.
    ///
    /// # Errors
    /// Database errors.
    pub async fn resume_due(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        mailboxes: Option<&[String]>,
    ) -> Result<u64, StoreError> {
        if mailboxes.is_some_and(|m| m.is_empty()) {
            return Ok(0);
        }
        let sql = format!(
            "SELECT {ENROLLMENT_COLUMNS} {ENROLLMENT_FROM} WHERE e.status = 'paused' \
             AND e.resume_at IS NOT NULL AND e.resume_at <= $1{} ORDER BY e.resume_at LIMIT $2",
            mailbox_condition(mailboxes, 3)
        );
        let rows = with_pool!(self, |pool| {
            let mut q = sqlx::query_as::<_, EnrollmentRow>(&sql)
                .bind(to_ms(now))
                .bind(limit);
            for m in mailboxes.unwrap_or_default() {
                q = q.bind(m);
            }
            q.fetch_all(pool).await?
        });
        let event_for = |row: &EnrollmentRow| Event::Resume {
            at: now,
            source: Source::Auto,
            campaign_paused: row.campaign_status == CampaignStatus::Paused.as_str(),
        };
        let mut resumed = 0;
        // PostgreSQL takes a few thousand rows per statement (see `bulk`); a row changed
        // meanwhile is left for the next round, which reads it afresh.
        if let Backend::Postgres(pool) = &self.backend {
            for chunk in rows.chunks(PG_BULK) {
                let items: Vec<(&EnrollmentRow, Event)> = chunk.iter().map(|r| (r, event_for(r))).collect();
                let mut tx = pool.begin().await?;
                let outcomes = bulk::write_many_pg(&mut tx, &items, &Cause::system(), now).await?;
                tx.commit().await?;
                resumed += outcomes
                    .iter()
                    .filter(|o| matches!(o, bulk::Outcome::Applied(_)))
                    .count() as u64;
            }
            return Ok(resumed);
        }
        for chunk in rows.chunks(IMPORT_BATCH) {
            with_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                for row in chunk {
                    let event = event_for(row);
                    match write_transition!(tx, row, &event, &Cause::system(), now) {
                        Ok(Ok(_)) => resumed += 1,
                        Ok(Err(_)) | Err(StoreError::Conflict(_)) => {}
                        Err(e) => return Err(e),
                    }
                }
                tx.commit().await?;
                Ok::<_, StoreError>(())
            })?;
        }
        Ok(resumed)
    }

    /// The earliest pending automatic resume in campaigns sending from `mailboxes` (`None`:
    /// every campaign), for the daemon to sleep until.
    ///
    /// # Errors
    /// Database errors.
    pub async fn next_resume_at(
        &self,
        mailboxes: Option<&[String]>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.earliest("e.resume_at", "e.status = 'paused'", mailboxes)
            .await
    }

    /// `MIN(column)` over the enrollments matching `condition` (SQL over `e` and `c`, no
    /// values) in campaigns sending from `mailboxes` (`None`: every campaign).
    ///
    /// # Errors
    /// Database errors.
    pub(crate) async fn earliest(
        &self,
        column: &str,
        condition: &str,
        mailboxes: Option<&[String]>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        if mailboxes.is_some_and(|m| m.is_empty()) {
            return Ok(None);
        }
        let sql = format!(
            "SELECT MIN({column}) FROM enrollments e JOIN campaigns c ON c.id = e.campaign_id \
             WHERE {condition}{}",
            mailbox_condition(mailboxes, 1)
        );
        let ms: Option<i64> = with_pool!(self, |pool| {
            let mut q = sqlx::query_scalar(&sql);
            for m in mailboxes.unwrap_or_default() {
                q = q.bind(m);
            }
            q.fetch_one(pool).await?
        });
        Ok(ms.map(rows::from_ms))
    }

    /// How many enrollments each campaign has in each status, for the CLI's summaries.
    ///
    /// # Errors
    /// Database errors.
    pub async fn status_counts(&self) -> Result<Vec<StatusCount>, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::query_as::<_, StatusCount>(
            "SELECT c.name AS campaign, e.status AS status, COUNT(*) AS count FROM enrollments e \
             JOIN campaigns c ON c.id = e.campaign_id GROUP BY c.name, e.status ORDER BY c.name, e.status"
        )
        .fetch_all(pool)
        .await?))
    }

    /// Adds an address to the suppression list (idempotent).
    ///
    /// # Errors
    /// Database errors.
    pub async fn suppress(
        &self,
        email: &str,
        reason: &str,
        message_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query(
            "INSERT INTO suppressions (email, reason, message_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (email) DO NOTHING"
        )
        .bind(email.trim().to_lowercase())
        .bind(reason)
        .bind(message_id)
        .bind(to_ms(now))
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Runs raw SQL; for benchmarks and tests that need to shape data quickly.
    ///
    /// # Errors
    /// Database errors.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64, StoreError> {
        with_pool!(self, |pool| Ok(sqlx::raw_sql(sql)
            .execute(pool)
            .await?
            .rows_affected()))
    }

    /// Runs one statement of fixed text whose `$1`, `$2`, … are `values`, in order: for the
    /// benchmarks (`benches/cadenced-bench`), which shape large tables directly. Values are
    /// always bound, never written into the SQL.
    ///
    /// # Errors
    /// Database errors.
    pub async fn execute_bound(&self, sql: &str, values: &[i64]) -> Result<u64, StoreError> {
        with_pool!(self, |pool| {
            let mut query = sqlx::query(sql);
            for v in values {
                query = query.bind(*v);
            }
            Ok(query.execute(pool).await?.rows_affected())
        })
    }

    /// Checks that the database answers.
    ///
    /// # Errors
    /// Database errors.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(StoreError::from))
    }

    /// Writes to the database without changing anything durable, to find out whether it can
    /// be written: a full disk or a read-only file only shows on a real write (a transaction
    /// rolled back writes nothing to SQLite's files). SQLite: `user_version` set to the value
    /// it has, which commits one page to the WAL. PostgreSQL: a temporary table dropped at
    /// commit, which a read-only server refuses.
    ///
    /// # Errors
    /// The database's error for a write (`SQLITE_FULL`, `SQLITE_READONLY`, …).
    pub async fn probe_write(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let version: i64 = sqlx::query_scalar("PRAGMA user_version")
                    .fetch_one(&mut *tx)
                    .await?;
                // PRAGMA takes no bound parameters; the value is an integer SQLite just gave.
                sqlx::query(&format!("PRAGMA user_version = {version}"))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("CREATE TEMPORARY TABLE cadenced_write_probe (x INTEGER) ON COMMIT DROP")
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// The lead's fields as templates see them: the built-in columns plus the custom ones.
pub fn lead_fields(row: &EnrollmentRow) -> BTreeMap<String, String> {
    let mut fields: BTreeMap<String, String> = serde_json::from_str(&row.fields_json).unwrap_or_default();
    fields.insert("email".to_string(), row.email.clone());
    for (k, v) in [
        ("first_name", &row.first_name),
        ("last_name", &row.last_name),
        ("company", &row.company),
    ] {
        if let Some(v) = v {
            fields.insert(k.to_string(), v.clone());
        }
    }
    fields
}

/// The campaign file text with its `mailbox` line replaced, so that the stored file keeps
/// agreeing with the stored sender after `set-sender`.
fn replace_mailbox(text: &str, mailbox: &str) -> Result<String, StoreError> {
    let refuse = |e: String| {
        StoreError::Refused(format!(
            "the stored campaign file cannot take the new sender: {e}"
        ))
    };
    let mut doc = text.parse::<toml::Table>().map_err(|e| refuse(e.to_string()))?;
    doc.insert("mailbox".to_string(), toml::Value::String(mailbox.to_string()));
    toml::to_string(&doc).map_err(|e| refuse(e.to_string()))
}

/// ` AND c.mailbox IN ($first, …)` for `mailboxes`, or nothing for `None`.
pub(crate) fn mailbox_condition(mailboxes: Option<&[String]>, first: usize) -> String {
    match mailboxes {
        None => String::new(),
        Some(m) => {
            let marks: Vec<String> = (first..first + m.len()).map(|i| format!("${i}")).collect();
            format!(" AND c.mailbox IN ({})", marks.join(", "))
        }
    }
}

/// Where a SQLite URL keeps its file, for messages.
pub fn sqlite_path(url: &str) -> Option<&Path> {
    url.strip_prefix("sqlite://")
        .map(|p| Path::new(p.split('?').next().unwrap_or(p)))
}
