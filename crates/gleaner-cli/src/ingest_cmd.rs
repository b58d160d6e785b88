//! `gleaner ingest`: inputs → reader → bounded queue → workers → one writer
//! committing in batches, resumable after a crash.
//!
//! Ordering is what makes resume exact: the reader numbers every item, the
//! writer applies them strictly in that order, and each commit stores, with
//! the records, every input's `next_offset` up to which all items are applied.
//! A rerun starts each input there. Records are keyed by content, so the
//! batch that was in flight when a run died is simply written again.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Args;
use gleaner_read::{discover_with, Input, Item, ReadLimits, INGEST_EXTENSIONS};
use gleaner_record::Record;
use gleaner_store::{Batch, ErrorRow, InputProgress, InputState, PendingRow, Store};
use indicatif::{ProgressBar, ProgressStyle};

use crate::process::{process_item, Failure, ItemSource, Outcome};
use crate::sources::{self, SourceKind};

pub const AFTER_HELP: &str = "\
Inputs: everything `extract` takes, plus WARC archives (.warc, .warc.gz,
streamed), JSON Lines of {url, html} or {url, text} (.jsonl), RSS/Atom/JSON
feeds and sitemaps (.xml, .rss, .atom, .json). Directories are walked for all
of these. Nothing is fetched from the network: feed entries without content
and sitemap URLs are kept as pending addresses.

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

    /// Worker threads (default: all cores).
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

/// An input with where to start it.
struct Planned {
    analyse: bool,
    input: Input,
    path: String,
    size: u64,
    mtime: i64,
    start: u64,
}

/// What flows from the reader through the workers to the writer.
enum Msg {
    Item { seq: u64, idx: usize, item: Item },
    InputFailed { seq: u64, idx: usize, failure: Failure },
    InputEnd { seq: u64, idx: usize },
}

enum Out {
    Record { idx: usize, next: u64, record: Box<Record> },
    Error { idx: usize, next: u64, row: ErrorRow },
    Pending { idx: usize, next: u64, row: PendingRow },
    InputFailed { idx: usize, failure: Failure },
    InputEnd { idx: usize },
}

#[derive(Default, serde::Serialize)]
struct Summary {
    inputs: usize,
    inputs_skipped: usize,
    pages: u64,
    new_records: u64,
    known_records: u64,
    errors: u64,
    pending: u64,
    errors_by_category: BTreeMap<String, u64>,
    seconds: f64,
    pages_per_second: f64,
    /// The dedup-and-merge pass over the records not yet clustered.
    dedup: crate::dedup_pass::PassStats,
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let summary = execute(&args)?;
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

/// Ingests one file into `db` quietly, with the defaults of the command line:
/// what `POST /api/ingest` runs. Answers the summary `--json` would print.
pub fn ingest_file(db: &str, file: &std::path::Path) -> Result<serde_json::Value> {
    let args = IngestArgs {
        inputs: vec![file.display().to_string()],
        db: db.to_string(),
        jobs: None,
        max_bytes: DEFAULT_MAX_BYTES,
        batch: DEFAULT_BATCH,
        quiet: true,
        json: true,
        no_analysis: false,
    };
    Ok(serde_json::to_value(execute(&args)?)?)
}

const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
const DEFAULT_BATCH: usize = 500;

/// The whole ingest, without printing its summary.
fn execute(args: &IngestArgs) -> Result<Summary> {
    let (inputs, missing) = discover_with(&args.inputs, INGEST_EXTENSIONS);
    let mut store = gleaner_store::open(&args.db)
        .with_context(|| format!("cannot open the store {}", gleaner_store::redact(&args.db)))?;
    let limits = ReadLimits {
        max_bytes: args.max_bytes,
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let started = Instant::now();
    let mut summary = Summary::default();

    // Inputs that do not exist are errors like any other.
    let mut first = Batch::default();
    for (name, err) in missing {
        let f = Failure::from(err);
        report(args.quiet, &name, &f.message);
        first.errors.push(ErrorRow {
            input: name,
            offset: None,
            record: None,
            category: f.category.into(),
            reason: f.message,
        });
    }
    let mut plan = Vec::new();
    for input in inputs {
        let path = input.display();
        let (size, mtime) = match &input {
            Input::File { path, .. } => fs::metadata(path)
                .map(|m| {
                    (
                        m.len(),
                        m.modified()
                            .ok()
                            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                            .map_or(0, |d| d.as_secs() as i64),
                    )
                })
                .unwrap_or((0, 0)),
            Input::Stdin => (0, 0),
        };
        let start = match store.input_state(&path)? {
            Some(s) if s.size == size && s.mtime == mtime && !matches!(input, Input::Stdin) => {
                if s.done {
                    summary.inputs_skipped += 1;
                    continue;
                }
                s.offset
            }
            _ => 0,
        };
        plan.push(Planned {
            analyse: !args.no_analysis,
            input,
            path,
            size,
            mtime,
            start,
        });
    }
    summary.inputs = plan.len() + summary.inputs_skipped;
    for e in &first.errors {
        *summary.errors_by_category.entry(e.category.clone()).or_default() += 1;
        summary.errors += 1;
    }
    if !first.is_empty() {
        store.commit(&first)?;
    }

    let total_bytes: u64 = plan.iter().map(|p| p.size.saturating_sub(p.start)).sum();
    let progress = progress_bar(total_bytes, args.quiet || args.json);
    let plan = Arc::new(plan);

    let (tx, rx) = mpsc::sync_channel::<Msg>(jobs * 8);
    let (out_tx, out_rx) = mpsc::sync_channel::<(u64, Out)>(jobs * 8);
    let rx = Arc::new(Mutex::new(rx));
    let result = std::thread::scope(|s| -> Result<()> {
        let reader_plan = Arc::clone(&plan);
        s.spawn(move || read_all(&reader_plan, limits, tx));
        for _ in 0..jobs {
            let (rx, out_tx, plan) = (Arc::clone(&rx), out_tx.clone(), Arc::clone(&plan));
            s.spawn(move || work(&rx, &out_tx, &plan));
        }
        drop(out_tx);
        write_all(
            &mut *store,
            &plan,
            out_rx,
            args.batch,
            &progress,
            args.quiet,
            &mut summary,
        )
    });
    progress.finish_and_clear();
    result?;
    // Clusters and merged events for everything new (and anything a crashed
    // run left unhandled).
    summary.dedup = crate::dedup_pass::run(&mut *store)?;

    summary.seconds = started.elapsed().as_secs_f64();
    summary.pages_per_second = if summary.seconds > 0.0 {
        summary.pages as f64 / summary.seconds
    } else {
        0.0
    };
    Ok(summary)
}

/// The reader: every planned input, in order, item by item.
fn read_all(plan: &[Planned], limits: ReadLimits, tx: SyncSender<Msg>) {
    let mut seq = 0u64;
    let send = |msg: Msg| tx.send(msg).is_ok();
    for (idx, p) in plan.iter().enumerate() {
        match sources::open(&p.input, p.start, limits) {
            Ok(items) => {
                for item in items {
                    if !send(Msg::Item { seq, idx, item }) {
                        return;
                    }
                    seq += 1;
                }
            }
            Err(e) => {
                if !send(Msg::InputFailed {
                    seq,
                    idx,
                    failure: e.into(),
                }) {
                    return;
                }
                seq += 1;
            }
        }
        if !send(Msg::InputEnd { seq, idx }) {
            return;
        }
        seq += 1;
    }
}

/// A worker: extraction for pages; everything else passes through.
fn work(rx: &Mutex<Receiver<Msg>>, out: &SyncSender<(u64, Out)>, plan: &[Planned]) {
    loop {
        let msg = match rx.lock() {
            Ok(guard) => match guard.recv() {
                Ok(m) => m,
                Err(_) => return,
            },
            Err(_) => return,
        };
        let sent = match msg {
            Msg::Item { seq, idx, item } => out.send((seq, handle_item(idx, item, &plan[idx]))),
            Msg::InputFailed { seq, idx, failure } => out.send((seq, Out::InputFailed { idx, failure })),
            Msg::InputEnd { seq, idx } => out.send((seq, Out::InputEnd { idx })),
        };
        if sent.is_err() {
            return;
        }
    }
}

fn handle_item(idx: usize, item: Item, p: &Planned) -> Out {
    let next = item.next_offset();
    let source = ItemSource {
        path: &p.path,
        warc: sources::kind_of(&p.input) == SourceKind::Warc,
        analyse: p.analyse,
    };
    match process_item(item, &source) {
        Outcome::Record { record, .. } => Out::Record { idx, next, record },
        Outcome::Pending(u) => Out::Pending {
            idx,
            next,
            row: PendingRow {
                url: u.url,
                title: u.title,
                date: u.date,
                source: p.path.clone(),
            },
        },
        Outcome::Error(e) => Out::Error {
            idx,
            next,
            row: ErrorRow {
                input: p.path.clone(),
                offset: Some(e.offset),
                record: e.record,
                category: e.category.into(),
                reason: e.reason,
            },
        },
    }
}

/// The writer: applies outcomes in reader order and commits in batches.
fn write_all(
    store: &mut dyn Store,
    plan: &[Planned],
    rx: Receiver<(u64, Out)>,
    batch_size: usize,
    progress: &ProgressBar,
    quiet: bool,
    summary: &mut Summary,
) -> Result<()> {
    let mut pending: HashMap<u64, Out> = HashMap::new();
    let mut want = 0u64;
    let mut batch = Batch::default();
    let mut touched: BTreeMap<usize, InputState> = BTreeMap::new();
    let mut last_commit = Instant::now();
    let mut done_bytes = 0u64;
    let mut current = (usize::MAX, 0u64);
    let started = Instant::now();

    let mut commit =
        |batch: &mut Batch, touched: &mut BTreeMap<usize, InputState>, summary: &mut Summary| -> Result<()> {
            batch.inputs = touched
                .iter()
                .map(|(&i, s)| InputProgress {
                    path: plan[i].path.clone(),
                    state: s.clone(),
                })
                .collect();
            let stats = store.commit(batch).context("cannot write to the store")?;
            summary.new_records += stats.new_records as u64;
            summary.known_records += stats.known_records as u64;
            *batch = Batch::default();
            touched.clear();
            Ok(())
        };

    for (seq, out) in rx {
        pending.insert(seq, out);
        while let Some(out) = pending.remove(&want) {
            want += 1;
            let (idx, next, done) = match out {
                Out::Record { idx, next, record } => {
                    summary.pages += 1;
                    batch.records.push(*record);
                    (idx, Some(next), false)
                }
                Out::Error { idx, next, row } => {
                    summary.pages += u64::from(row.offset.is_some());
                    let at = row.offset.map_or(String::new(), |o| format!("at byte {o}: "));
                    progress.suspend(|| report(quiet, &row.input, &format!("{at}{}", row.reason)));
                    summary.errors += 1;
                    *summary.errors_by_category.entry(row.category.clone()).or_default() += 1;
                    batch.errors.push(row);
                    (idx, Some(next), false)
                }
                Out::Pending { idx, next, row } => {
                    summary.pending += 1;
                    batch.pending.push(row);
                    (idx, Some(next), false)
                }
                Out::InputFailed { idx, failure } => {
                    progress.suspend(|| report(quiet, &plan[idx].path, &failure.message));
                    summary.errors += 1;
                    *summary
                        .errors_by_category
                        .entry(failure.category.to_string())
                        .or_default() += 1;
                    batch.errors.push(ErrorRow {
                        input: plan[idx].path.clone(),
                        offset: None,
                        record: None,
                        category: failure.category.into(),
                        reason: failure.message,
                    });
                    (idx, None, false)
                }
                Out::InputEnd { idx } => (idx, None, true),
            };
            let p = &plan[idx];
            let state = touched.entry(idx).or_insert(InputState {
                size: p.size,
                mtime: p.mtime,
                offset: p.start,
                done: false,
            });
            if let Some(n) = next {
                state.offset = n;
            }
            if done {
                state.done = true;
                done_bytes += p.size.saturating_sub(p.start);
                current = (usize::MAX, 0);
            } else if let Some(n) = next {
                current = (idx, n.saturating_sub(p.start));
            }
            let within =
                if current.0 == idx && matches!(sources::kind_of(&p.input), SourceKind::Warc | SourceKind::Jsonl) {
                    current.1
                } else {
                    0
                };
            progress.set_position(done_bytes + within.min(p.size));
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!(
                "{} pages ({:.0}/s), {} errors",
                summary.pages,
                summary.pages as f64 / secs,
                summary.errors
            ));
            if batch.records.len() + batch.errors.len() + batch.pending.len() >= batch_size
                || last_commit.elapsed() > Duration::from_secs(2)
            {
                commit(&mut batch, &mut touched, summary)?;
                last_commit = Instant::now();
            }
        }
    }
    if !batch.is_empty() || !touched.is_empty() {
        commit(&mut batch, &mut touched, summary)?;
    }
    Ok(())
}

fn report(quiet: bool, input: &str, message: &str) {
    if !quiet {
        eprintln!("gleaner: {input}: {message}");
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

fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes}  {msg}  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb
}
