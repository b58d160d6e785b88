//! `gleaner ingest`: the command line over `gleaner_ingest::ingest`
//! (arguments, progress bar, messages, summary, exit status).

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use gleaner_ingest::{IngestOptions, Summary, DEFAULT_BATCH};
use gleaner_read::DEFAULT_MAX_BYTES;
use indicatif::{ProgressBar, ProgressStyle};

pub const AFTER_HELP: &str = "\
Inputs: pages, WARC and ARC archives (also Common Crawl WAT and WET; streamed),
JSON Lines of {url, html} or {url, text}, RSS/RDF/Atom/JSON feeds, XML and
text sitemaps, and robots.txt files, each optionally gzipped. What an input is
comes from its bytes, whatever its name; directory walks pick files named
.html .htm .xhtml .txt .warc .arc .wat .wet .jsonl .ndjson .xml .rss .rdf
.atom .json (each optionally .gz). Nothing is fetched from the network: feed
entries without content, sitemap URLs and robots.txt Sitemap: lines are kept
as pending addresses. A feed with no entries is not an error: the summary
counts it among the inputs with nothing to ingest.

Running the same command again resumes: inputs read to the end are skipped
(unless their size or modification time changed), others continue after the
last committed batch. The same article is stored once, with every address it
was seen at. Bad records are stored as errors (see `gleaner stats`) and the
run goes on.

Exit status: 0 when every input was read and every record stored; 1 when
some record or input failed (they are in the store's errors); 2 on usage or
store errors.";

/// Options of `gleaner ingest`.
#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files, directories, or '-' for one page on stdin.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<String>,

    /// The store: a SQLite file (created if missing) or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,

    /// Worker threads (default: all cores). With 1, everything (reading,
    /// extraction, writing, the dedup pass) runs on one thread (into PostgreSQL,
    /// the dedup pass runs beside it, on a second connection); with more,
    /// reading, writing and the dedup pass run on threads of their own beside them.
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,

    /// Largest page accepted, in bytes after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,

    /// Records per committed batch.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH)]
    batch: usize,

    /// No progress bar and no human summary.
    #[arg(short, long)]
    quiet: bool,

    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    json: bool,

    /// Skip the analysis stage (entities, times, quantities, quotes).
    #[arg(long)]
    no_analysis: bool,
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let mut store = gleaner_store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", gleaner_store::redact(&args.db)))?;
    let options = IngestOptions {
        jobs: args.jobs,
        max_bytes: args.max_bytes,
        batch: args.batch,
        analyse: !args.no_analysis,
    };
    let mut progress = Bar::new(args.quiet, args.json);
    let summary = gleaner_ingest::ingest(&mut *store, &args.inputs, &options, &mut progress);
    progress.bar.finish_and_clear();
    let summary = summary?;
    if args.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, &summary)?;
        out.write_all(b"\n")?;
    } else if !args.quiet {
        print_summary(&summary, &gleaner_store::redact(&args.db));
    }
    Ok(if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The progress bar (bytes, pages, pages/s, errors, ETA) and the per-input
/// failure messages, which are printed above the bar.
struct Bar {
    bar: ProgressBar,
    quiet: bool,
    started: Instant,
}

impl Bar {
    fn new(quiet: bool, json: bool) -> Self {
        let bar = if quiet || json || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let pb = ProgressBar::new(0);
            pb.set_style(
                ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes}  {msg}  {per_sec}  eta {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            pb
        };
        Bar {
            bar,
            quiet,
            started: Instant::now(),
        }
    }
}

impl gleaner_ingest::Progress for Bar {
    fn start(&mut self, total_bytes: u64) {
        self.bar.set_length(total_bytes);
    }

    fn advance(&mut self, done_bytes: u64, pages: u64, errors: u64) {
        self.bar.set_position(done_bytes);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar
            .set_message(format!("{pages} pages ({:.0}/s), {errors} errors", pages as f64 / secs));
    }

    fn failure(&mut self, input: &str, message: &str) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("gleaner: {input}: {message}"));
        }
    }
}

fn print_summary(s: &Summary, db: &str) {
    let mut line = format!(
        "gleaner: {} input(s) ({} already done), {} pages: {} new records, {} already stored",
        s.inputs, s.inputs_skipped, s.pages, s.new_records, s.known_records
    );
    if s.pending > 0 {
        line.push_str(&format!(", {} pending addresses", s.pending));
    }
    let empty: u64 = s.empty_inputs.values().sum();
    if empty > 0 {
        let what: Vec<String> = s.empty_inputs.iter().map(|(k, n)| format!("{n} {k}")).collect();
        line.push_str(&format!(
            ", {empty} input(s) with nothing to ingest ({})",
            what.join(", ")
        ));
    }
    if s.errors > 0 {
        let why: Vec<String> = s.errors_by_category.iter().map(|(c, n)| format!("{n} {c}")).collect();
        line.push_str(&format!(", {} errors ({})", s.errors, why.join(", ")));
    }
    if s.dedup.copies > 0 || s.dedup.events_new + s.dedup.events_merged > 0 {
        line.push_str(&format!(
            "; {} near-copies, {} new events, {} merged into known ones",
            s.dedup.copies, s.dedup.events_new, s.dedup.events_merged
        ));
    }
    line.push_str(&format!(
        " in {:.2}s ({:.0} pages/s) into {db}",
        s.seconds, s.pages_per_second
    ));
    eprintln!("{line}");
}
