//! The one integration-test binary: a module per area.

// First: its macros (`both_backends!`) serve the modules below.
#[macro_use]
mod support;

mod api;
mod cli;
mod cluster;
mod console;
mod dates;
mod faults_disk;
mod faults_kill;
mod ingest;
mod init;
mod layers;
mod mailstack;
mod oauth;
mod oauth_browser;
mod oauth_provider;
mod providers;
mod r15;
mod recipient;
mod rules;
mod send;
mod service;
mod smtp_stages;
mod store;
mod webhooks;
