//! The one integration-test binary: a module per area.

mod cli;
mod cluster;
mod dates;
mod faults_disk;
mod faults_kill;
mod ingest;
mod layers;
mod mailstack;
mod r15;
mod rules;
mod send;
mod service;
mod store;
mod support;
