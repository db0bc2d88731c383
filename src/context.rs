//! What the daemon's tasks share: the [`Context`] (config, store, clock, rules in force, the
//! mailbox leases held, database health, the wake-up and stop signals).
//!
//! It sits below the tasks (`ingest`, `scheduler`) and the `daemon` that spawns them, so the
//! tasks never import the daemon: layers only point down (see `ARCHITECTURE.md`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::clock::Clock;
use crate::config::Config;
use crate::db::leases::DaemonRow;
use crate::db::Store;
use crate::domain::link::{LinkKey, Links};
use crate::health::DbHealth;
use crate::rules::{RuleError, RuleSet};

/// Why the daemon's shared parts cannot be put together; fatal at start.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    /// The rules do not load.
    #[error(transparent)]
    Rules(#[from] RuleError),
    /// `[http] secret_file` cannot be used.
    #[error("http.secret_file {path}: {message}")]
    LinkKey {
        /// The key file, named in the message.
        path: std::path::PathBuf,
        /// What is wrong, and how to fix it.
        message: String,
    },
}

/// What every daemon task shares. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Context {
    /// The config the daemon started with (mailboxes, pacing, listeners).
    pub cfg: Arc<Config>,
    /// The database: the state every task reads and writes (shared with other daemons).
    pub store: Store,
    /// The time source (a fake one in tests).
    pub clock: Arc<dyn Clock>,
    /// Wakes the scheduler early (a reply paused or stopped someone, a test moved the clock).
    pub wake: Arc<Notify>,
    /// Fires when the daemon is asked to stop.
    pub token: CancellationToken,
    /// The classification rules in force; replaced whole on reload.
    pub rules: Rules,
    /// This daemon's identity and the mailbox leases it holds.
    pub leases: Arc<Leases>,
    /// Whether the database can be written; tasks report failed writes to it (see `health`).
    pub db_health: DbHealth,
    /// The link key and public URL when `[http]` is configured: the scheduler puts
    /// unsubscribe and tracked links into steps, the HTTP listener verifies them.
    pub links: Option<Arc<Links>>,
    /// When the scheduler last went round its loop; the systemd watchdog is only fed while
    /// this is recent, so a wedged scheduler gets the process restarted.
    heartbeat: Arc<std::sync::Mutex<std::time::Instant>>,
}

impl Context {
    /// A context for these parts, with the shipped rules plus the config's rule directories.
    ///
    /// # Errors
    /// When the rules do not load (`file:line: rule "name": …`) or, with `[http]`, the link
    /// key cannot be read: at startup that is fatal.
    pub fn new(cfg: Config, store: Store, clock: Arc<dyn Clock>) -> Result<Context, ContextError> {
        let rules = Rules::new(RuleSet::load(&cfg.rule_dirs)?);
        let leases = Arc::new(Leases::new(cfg.lease_ttl, clock.now()));
        let links = match &cfg.http {
            None => None,
            Some(http) => Some(Arc::new(Links {
                key: load_link_key(&http.secret_file)?,
                public_url: http.public_url.clone(),
            })),
        };
        Ok(Context {
            links,
            rules,
            leases,
            db_health: DbHealth::new(&cfg.database_url),
            cfg: Arc::new(cfg),
            store,
            clock,
            wake: Arc::new(Notify::new()),
            token: CancellationToken::new(),
            heartbeat: Arc::new(std::sync::Mutex::new(std::time::Instant::now())),
        })
    }

    /// Records that the scheduler is alive.
    pub fn beat(&self) {
        *self.heartbeat.lock().unwrap_or_else(|e| e.into_inner()) = std::time::Instant::now();
    }

    /// How long ago the scheduler last went round.
    pub fn since_beat(&self) -> Duration {
        self.heartbeat.lock().unwrap_or_else(|e| e.into_inner()).elapsed()
    }

    /// The systemd status line while all is well.
    pub fn running_status(&self) -> String {
        format!(
            "running: {} mailboxes, {} database",
            self.cfg.mailboxes.len(),
            self.store.backend_name()
        )
    }
}

/// Reads the link key file. Every problem names the file and says how to make a good one.
///
/// # Errors
/// [`ContextError::LinkKey`] when the file is missing, unreadable or too short.
pub fn load_link_key(path: &std::path::Path) -> Result<LinkKey, ContextError> {
    let fail = |message: String| ContextError::LinkKey {
        path: path.to_path_buf(),
        message,
    };
    if !path.exists() {
        return Err(fail(
            "does not exist; create it with `cadenced check --fix` (or `head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' > FILE; chmod 600 FILE`)".to_string(),
        ));
    }
    let text = crate::input::read_text(path, crate::input::LINK_KEY).map_err(|e| fail(e.to_string()))?;
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o004 != 0 {
            warn!(
                file = %path.display(),
                "Link key file is readable by every user: anyone who reads it can unsubscribe any lead; make it 0600 (chmod o-r)."
            );
        }
    }
    LinkKey::from_file_text(&text).map_err(fail)
}

/// The rules in force, shared by every watcher. A reload swaps the whole set at once, so a
/// message is always classified by one consistent set.
#[derive(Debug, Clone)]
pub struct Rules(Arc<std::sync::RwLock<Arc<RuleSet>>>);

impl Rules {
    /// The rules loaded at start, in force until the first reload.
    pub fn new(rules: RuleSet) -> Rules {
        Rules(Arc::new(std::sync::RwLock::new(Arc::new(rules))))
    }

    /// The set in force now.
    pub fn current(&self) -> Arc<RuleSet> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts a new set in force.
    pub fn replace(&self, rules: RuleSet) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(rules);
    }
}

/// Longest a newly taken mailbox waits for its watcher to read the replies that came while
/// nobody watched it before sending from it anyway (its IMAP server may be down).
pub(crate) const CATCH_UP_WAIT: Duration = Duration::from_secs(60);

/// A mailbox this daemon holds.
#[derive(Debug)]
pub(crate) struct Held {
    /// Cancels the mailbox's watcher.
    pub(crate) token: CancellationToken,
    /// Set when handing the mailbox over: no new claims, release once the open ones are
    /// recorded.
    pub(crate) releasing: Option<Instant>,
    /// Last successful renewal (monotonic).
    pub(crate) renewed: Instant,
    /// When the lease was taken.
    pub(crate) taken: Instant,
    /// Folders whose backlog the watcher has read since the lease was taken.
    pub(crate) caught_up: std::collections::BTreeSet<String>,
    /// How many folders the mailbox has.
    pub(crate) folders: usize,
    /// Whether sending started before the backlog was read (logged once).
    pub(crate) sent_blind: bool,
}

impl Held {
    /// Whether sending may start: the watcher has read every folder's backlog (so a reply
    /// that came while nobody watched the mailbox pauses or stops its lead first), or it
    /// could not for [`CATCH_UP_WAIT`].
    fn ready(&mut self, mailbox: &str) -> bool {
        if self.releasing.is_some() {
            return false;
        }
        if self.caught_up.len() >= self.folders {
            return true;
        }
        if self.taken.elapsed() < CATCH_UP_WAIT {
            return false;
        }
        if !self.sent_blind {
            self.sent_blind = true;
            warn!(
                mailbox,
                wait_s = CATCH_UP_WAIT.as_secs(),
                "Replies waiting in the mailbox could not be read yet; sending from it anyway."
            );
        }
        true
    }
}

/// This daemon's identity and the leases it holds. Shared by the scheduler (which mailboxes
/// to send from) and the lease manager (which changes them).
#[derive(Debug)]
pub struct Leases {
    pub(crate) me: DaemonRow,
    pub(crate) ttl: Duration,
    held: Mutex<BTreeMap<String, Held>>,
}

impl Leases {
    /// A fresh identity for this process (host, pid, a random part) with leases of `ttl`.
    pub fn new(ttl: Duration, started_at: DateTime<Utc>) -> Leases {
        let pid = std::process::id();
        let host = host_key();
        let hostname = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .ok()
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "host".to_string());
        let id = format!("{hostname}-{pid}-{:08x}", crate::clock::random_u64() as u32);
        Leases {
            me: DaemonRow {
                id,
                host,
                pid: i64::from(pid),
                started_at: crate::db::rows::to_ms(started_at),
                seen_at: crate::db::rows::to_ms(started_at),
            },
            ttl,
            held: Mutex::new(BTreeMap::new()),
        }
    }

    /// This daemon's id: the lease holder and the `claimed_by` of its sends.
    pub fn id(&self) -> &str {
        &self.me.id
    }

    /// Mailboxes to send from now: held, not being handed over, and their replies read.
    pub fn working(&self) -> Vec<String> {
        self.lock()
            .iter_mut()
            .filter_map(|(m, h)| h.ready(m).then(|| m.clone()))
            .collect()
    }

    /// Mailboxes held and not being handed over, whether or not their replies are read yet.
    pub(crate) fn kept(&self) -> Vec<String> {
        self.lock()
            .iter()
            .filter(|(_, h)| h.releasing.is_none())
            .map(|(m, _)| m.clone())
            .collect()
    }

    /// The watcher of `mailbox` has read `folder` up to its end: once every folder has,
    /// sending from the mailbox starts. Returns whether that made the mailbox ready.
    pub fn folder_caught_up(&self, mailbox: &str, folder: &str) -> bool {
        let mut held = self.lock();
        let Some(h) = held.get_mut(mailbox) else {
            return false;
        };
        let before = h.caught_up.len() >= h.folders;
        h.caught_up.insert(folder.to_string());
        !before && h.caught_up.len() >= h.folders
    }

    /// Whether this daemon holds `mailbox`'s lease.
    pub fn holds(&self, mailbox: &str) -> bool {
        self.lock().contains_key(mailbox)
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Held>> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stops working `mailbox` locally (its watcher ends) and forgets it.
    pub(crate) fn drop_local(&self, mailbox: &str) {
        if let Some(held) = self.lock().remove(mailbox) {
            held.token.cancel();
        }
    }

    /// Gives every lease back and unregisters: called after the drain, so no send of ours
    /// is still open and the next holder starts at once.
    pub async fn release_all(&self, store: &crate::db::Store) {
        let names: Vec<String> = self.lock().keys().cloned().collect();
        for name in &names {
            self.drop_local(name);
        }
        if let Err(e) = store.daemon_gone(&self.me.id).await {
            warn!(error = %e, "Could not release the mailbox leases; other daemons take them over when they expire.");
        } else if !names.is_empty() {
            info!(mailboxes = ?names, "Mailbox leases released.");
        }
    }
}

/// Boot and process namespace: two daemons with the same key see the same process ids.
fn host_key() -> String {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let ns = std::fs::read_link("/proc/self/ns/pid")
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    format!("{boot}/{ns}")
}
