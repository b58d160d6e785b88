//! `gleaner`: turns raw news pages into clean, structured records.
//!
//! The binary owns the command line: argument parsing, output formats and
//! files, progress bars, messages and exit codes. The work itself lives in
//! the library crates: `gleaner-ingest` (pages and inputs to records and into
//! a store), `gleaner-store` (queries), `gleaner-serve` (the server).

mod analyse_cmd;
mod events_cmds;
mod extract_cmd;
mod ingest_cmd;
mod output;
mod parquet_export;
mod serve_cmd;
mod store_cmds;
mod watch_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the system backs anonymous memory with transparent huge pages
/// ("always"), mimalloc's returning of freed memory and taking it back makes
/// the kernel zero a fresh 2 MB page each time: 5% of an ingest's CPU
/// (`perf`, bench/ingest-speed.py), none of it with huge pages off for this
/// process. Best effort: an old kernel without the option changes nothing.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // on this process's memory map; no pointer is passed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Gleaner turns raw news pages into clean, deduplicated, structured records:
/// main text, metadata and reprint notices, one JSON object per page.
#[derive(Parser)]
#[command(
    name = "gleaner",
    version,
    about = "Gleaner turns raw news pages into clean, deduplicated, structured, searchable records",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract main text and metadata from pages (HTML or plain text).
    #[command(after_help = extract_cmd::AFTER_HELP)]
    Extract(extract_cmd::ExtractArgs),
    /// Ingest pages, WARC archives, JSON Lines, feeds and sitemaps into a store.
    #[command(after_help = ingest_cmd::AFTER_HELP)]
    Ingest(ingest_cmd::IngestArgs),
    /// Full-text search over the store.
    Search(store_cmds::SearchArgs),
    /// Print one stored record (with every address it was seen at).
    Show(store_cmds::ShowArgs),
    /// Counts by publisher, language and month, and errors by reason.
    Stats(store_cmds::StatsArgs),
    /// Write every stored record as JSON Lines, CSV or Parquet.
    Export(store_cmds::ExportArgs),
    /// Entities, times, quantities, quotes and events of a plain text.
    Analyse(analyse_cmd::AnalyseArgs),
    /// Typed events merged over the records that report them.
    Events(events_cmds::EventsArgs),
    /// Event counts by day, week or month (and an SVG chart with --svg).
    Timeline(events_cmds::TimelineArgs),
    /// Clusters of near-duplicate records (all, or one record's).
    Dupes(events_cmds::DupesArgs),
    /// The HTTP API and the web app (search, article view, map, timeline).
    #[command(after_help = serve_cmd::AFTER_HELP)]
    Serve(serve_cmd::ServeArgs),
    /// Follow feeds and sitemaps over HTTP, archive every page as WARC evidence, ingest what is new.
    #[command(after_help = watch_cmd::AFTER_HELP)]
    Watch(watch_cmd::WatchArgs),
    /// Fetch, archive and ingest the pending addresses (feed entries and sitemap URLs).
    FetchPending(watch_cmd::FetchPendingArgs),
    /// Write a record's archived HTTP response, checked against its digests.
    Replay(watch_cmd::ReplayArgs),
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract_cmd::run(args),
        Command::Ingest(args) => ingest_cmd::run(args),
        Command::Search(args) => store_cmds::search(args).map(|_| ExitCode::SUCCESS),
        Command::Show(args) => store_cmds::show(args),
        Command::Stats(args) => store_cmds::stats(args).map(|_| ExitCode::SUCCESS),
        Command::Export(args) => store_cmds::export(args).map(|_| ExitCode::SUCCESS),
        Command::Analyse(args) => analyse_cmd::run(args).map(|_| ExitCode::SUCCESS),
        Command::Events(args) => events_cmds::events(args).map(|_| ExitCode::SUCCESS),
        Command::Timeline(args) => events_cmds::timeline(args).map(|_| ExitCode::SUCCESS),
        Command::Dupes(args) => events_cmds::dupes(args),
        Command::Serve(args) => serve_cmd::run(args).map(|_| ExitCode::SUCCESS),
        Command::Watch(args) => watch_cmd::watch(args),
        Command::FetchPending(args) => watch_cmd::fetch_pending(args),
        Command::Replay(args) => watch_cmd::replay(args),
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
