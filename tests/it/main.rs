//! The one integration-test binary: a module per area.

mod cli;
mod dates;
mod rules;
mod store;
