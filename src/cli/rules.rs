//! `cadenced rules test|explain` and the classification benchmark (stub).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `cadenced rules test [DIR]`: runs every rule file's `[[test]]` examples.
///
/// `dir` replaces the shipped rules when given; `extra_dirs` are the operator's directories
/// from the config, loaded after the shipped rules.
///
/// # Errors
/// When a rule file cannot be read or parsed.
pub fn test(dir: Option<&Path>, extra_dirs: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let _ = (dir, extra_dirs);
    anyhow::bail!("rules test is not built yet")
}

/// `cadenced rules explain PATH... [--json] [--tz ZONE]`.
///
/// # Errors
/// When the rules cannot be loaded or a path cannot be read.
pub fn explain(
    paths: &[PathBuf],
    json: bool,
    tz: Option<&str>,
    extra_dirs: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let _ = (paths, json, tz, extra_dirs);
    anyhow::bail!("rules explain is not built yet")
}

/// `cadenced bench classify`: parse + classify + date extraction throughput.
///
/// # Errors
/// When the corpus cannot be read.
pub fn bench(corpus: Option<&Path>, messages: usize) -> anyhow::Result<()> {
    let _ = (corpus, messages);
    anyhow::bail!("bench classify is not built yet")
}
