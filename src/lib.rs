//! `cadenced` runs outbound email sequences ("campaigns") from a team's own mailboxes and
//! reacts to replies by itself: an out-of-office reply pauses the lead until the date they are
//! back, a real reply, an unsubscribe or a bounce stops them.
//!
//! # Layout
//!
//! Lowest layer first (imports only point down; `tests/it/layers.rs` checks it):
//!
//! - [`input`]: reading a file a person named, within a size and a time limit.
//! - [`clock`]: the only reader of the wall clock (and the process's random numbers).
//! - [`dates`]: multilingual return-date extraction; pure.
//! - [`rules`]: rule files, raw mail to our normalised reply, classification; pure once loaded.
//! - [`domain`]: the lead lifecycle as a pure state machine, campaigns, steps, windows, and
//!   the pure decision on a reply.
//! - [`config`]: the daemon's configuration file.
//! - [`metrics`]: the Prometheus exporter and the list of metrics.
//! - [`db`]: the `Store`, over SQLite or PostgreSQL.
//! - [`oauth`]: OAuth2 mailboxes: the access token kept in the state directory, SASL OAUTHBEARER and XOAUTH2.
//! - [`imap`]: the IMAP client (IDLE, `BODY.PEEK`, append, Message-ID search).
//! - [`sender`]: the SMTP side (the only module that knows lettre).
//! - [`health`]: whether the database can be written, reported once per episode.
//! - [`context`]: what the daemon's tasks share.
//! - [`ops`]: what an operator does (leads, campaigns, report, tokens), below both the CLI
//!   and the HTTP API, which call the same functions.
//! - [`ingest`]: the mailbox watcher task.
//! - [`scheduler`]: the scheduler task (resumes, sends).
//! - [`http`]: the public HTTP listener (one-click unsubscribe, tracked clicks) and the
//!   operator listener (the JSON API).
//! - [`webhooks`]: the webhook delivery task (the outbox to the endpoints, signed).
//! - [`daemon`]: `cadenced run` and `cadenced check`.
//! - [`cli`]: the operator commands.
//!
//! See `ARCHITECTURE.md` for the invariants.
#![warn(missing_docs)]

pub mod cli;
pub mod clock;
pub mod config;
pub mod context;
pub mod daemon;
pub mod dates;
pub mod db;
pub mod domain;
pub mod health;
pub mod http;
pub mod imap;
pub mod ingest;
pub mod input;
pub mod metrics;
pub mod oauth;
pub mod ops;
pub mod rules;
pub mod scheduler;
pub mod sender;
pub mod webhooks;
