//! `cadenced generate DIR` (hidden): the man pages and the bash, zsh and fish completions,
//! written from the clap tree itself, so what a packager ships is exactly what `--help` says.
//! `scripts/package` runs it on the binary it packages.

use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// Writes `DIR/man/cadenced.1` plus one page per subcommand (`cadenced-campaign-apply.1`, …)
/// and `DIR/completions/` (`cadenced.bash`, `_cadenced`, `cadenced.fish`). Hidden commands
/// (this one) get no page and no completion.
///
/// # Errors
/// When a directory or file cannot be written.
pub fn generate(dir: &Path) -> anyhow::Result<()> {
    let man = dir.join("man");
    let completions = dir.join("completions");
    for d in [&man, &completions] {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    clap_mangen::generate_to(Cli::command(), &man)
        .with_context(|| format!("writing man pages to {}", man.display()))?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut Cli::command(), "cadenced", &completions)
            .with_context(|| format!("writing the {shell} completion to {}", completions.display()))?;
    }
    Ok(())
}
