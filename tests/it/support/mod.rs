//! Helpers shared by the integration tests (ripgrep keeps its in `tests/util.rs`).
//!
//! Not every test module uses every helper.
#![allow(dead_code)]

pub mod daemon;
pub mod mailstack;
