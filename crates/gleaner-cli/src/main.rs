//! `gleaner`: turns raw news pages into clean, structured records.
//!
//! The binary owns the command line: argument parsing, running the pipeline
//! stages over many inputs in parallel, writing outputs, progress, error
//! reports and exit codes. The work itself lives in the stage crates.

mod extract_cmd;
mod output;
mod process;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Gleaner turns raw news pages into clean, deduplicated, structured records:
/// main text, metadata and reprint notices, one JSON object per page.
#[derive(Parser)]
#[command(name = "gleaner", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract main text and metadata from pages (HTML or plain text).
    #[command(after_help = extract_cmd::AFTER_HELP)]
    Extract(extract_cmd::ExtractArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract_cmd::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if output::is_broken_pipe(&e) {
                // The reader went away (`gleaner extract … | head`): not a failure.
                return ExitCode::SUCCESS;
            }
            eprintln!("gleaner: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
