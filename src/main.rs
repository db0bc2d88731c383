//! The `cadenced` binary: parse the command line, set up logging, dispatch, map errors to
//! exit statuses (0 done, 1 refused or failed, 2 bad usage or config). Nothing else.

use std::process::ExitCode;

use clap::Parser;

use cadenced::cli::{dispatch, Cli, CliError};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // The daemon logs its lifecycle at INFO; one-shot commands only warn, so that their
    // stderr carries the one-line answer and nothing else.
    let default_filter = match cli.command {
        cadenced::cli::Command::Run => "info,sqlx=warn",
        _ => "warn,sqlx=error",
    };
    // Whatever level the operator asks for, the protocol crates stay at WARN: at DEBUG and
    // TRACE they log raw IMAP and SMTP traffic, which carries passwords and message bodies.
    const NEVER_TRAFFIC: &str = "async_imap=warn,imap_proto=warn,lettre=warn,rustls=warn,tokio_rustls=warn";
    let requested = std::env::var("CADENCED_LOG").unwrap_or_else(|_| default_filter.to_string());
    let filter = tracing_subscriber::EnvFilter::try_new(format!("{requested},{NEVER_TRAFFIC}"))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("{default_filter},{NEVER_TRAFFIC}")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    if cli.log_format == "json" {
        builder.json().flatten_event(true).init();
    } else {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
        // journald stamps every line itself; JOURNAL_STREAM says stderr goes there.
        if std::env::var_os("JOURNAL_STREAM").is_some() {
            builder.with_ansi(false).without_time().init();
        } else {
            builder.with_ansi(ansi).init();
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cadenced: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        // A closed pipe (`cadenced leads list | head`) is not an error worth a message.
        Err(CliError::Failed(e))
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(CliError::Failed(e)) => {
            eprintln!("cadenced: {e:#}");
            ExitCode::from(1)
        }
        Err(CliError::Usage(e)) => {
            eprintln!("cadenced: {e:#}");
            ExitCode::from(2)
        }
    }
}
