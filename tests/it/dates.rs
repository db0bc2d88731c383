//! Integration tests: dates.
