//! `cadenced` runs outbound email sequences ("campaigns") from a team's own mailboxes and
//! reacts to replies by itself: an out-of-office reply pauses the lead until the date they are
//! back, a real reply, an unsubscribe or a bounce stops them.
//!
//! # Layout
//!
//! - [`domain`]: the lead lifecycle as a pure state machine, campaigns, steps and windows.
//! - [`dates`]: multilingual return-date extraction; pure.
//! - [`rules`]: rule files and reply classification; pure once loaded.
//! - [`ingest`]: turning raw mail into our normalised reply.
//! - [`imap`]: the IMAP client (IDLE, `BODY.PEEK`, append, Message-ID search).
//! - [`db`]: the `Store`, over SQLite or PostgreSQL.
//! - [`config`]: the daemon's configuration file.
//! - [`cli`]: the operator commands.
//! - [`clock`]: the only reader of the wall clock.
//!
//! See `ARCHITECTURE.md` for the invariants.
#![warn(missing_docs)]

pub mod cli;
pub mod clock;
pub mod config;
pub mod daemon;
pub mod dates;
pub mod db;
pub mod domain;
pub mod imap;
pub mod ingest;
pub mod input;
pub mod metrics;
pub mod rules;
pub mod scheduler;
pub mod sender;
