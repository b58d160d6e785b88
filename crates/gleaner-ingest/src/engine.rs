//! The ingest engine: inputs → reader → workers → one ordered writer
//! committing batches to a store, resumable after a crash, then the
//! dedup-and-merge pass.
//!
//! Ordering is what makes resume exact: the reader numbers every item, the
//! writer applies them strictly in that order, and each commit stores, with
//! the records, every input's `next_offset` up to which all items are applied.
//! A rerun starts each input there. Records are keyed by content, so the
//! batch that was in flight when a run died is simply written again.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, UNIX_EPOCH};

use gleaner_dedup::Policy;
use gleaner_read::{
    discover_with, open_items, Input, Item, ReadLimits, SourceKind, DEFAULT_MAX_BYTES, INGEST_EXTENSIONS,
};
use gleaner_store::{Batch, ErrorRow, InputProgress, InputState, NewRecord, PendingRow, Store, StoreError};

use crate::dedup::{dedup_pass, PassStats};
use crate::item::{process_item, ItemSource, Outcome};
use crate::page::Failure;
use crate::parallel::{all_cores, ordered_map, Workers};

/// How an ingest runs. `IngestOptions::default()` is `gleaner ingest`'s defaults.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Worker threads (`None`: every core).
    pub jobs: Option<usize>,
    /// Largest page accepted, in bytes after decompression.
    pub max_bytes: u64,
    /// Records (and errors and pending addresses) per committed batch.
    pub batch: usize,
    /// Run the analysis stage.
    pub analyse: bool,
}

/// Records per committed batch unless told otherwise.
pub const DEFAULT_BATCH: usize = 500;

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            jobs: None,
            max_bytes: DEFAULT_MAX_BYTES,
            batch: DEFAULT_BATCH,
            analyse: true,
        }
    }
}

/// What an ingest tells its caller while it runs (a progress bar, a log).
/// Every method has a default that does nothing.
pub trait Progress {
    /// The run starts with this many bytes of input to read.
    fn start(&mut self, _total_bytes: u64) {}
    /// Bytes of input done so far, pages met and errors.
    fn advance(&mut self, _done_bytes: u64, _pages: u64, _errors: u64) {}
    /// An input or one of its records failed (it is also stored as an error).
    fn failure(&mut self, _input: &str, _message: &str) {}
}

/// A caller that wants no progress.
pub struct Silent;

impl Progress for Silent {}

/// What an ingest did: `gleaner ingest --json` prints it, `POST /api/ingest` answers it.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Inputs named (after walking directories).
    pub inputs: usize,
    /// Of those, read to the end by an earlier run and unchanged since.
    pub inputs_skipped: usize,
    /// Pages met (records and per-page errors).
    pub pages: u64,
    /// Records stored for the first time.
    pub new_records: u64,
    /// Records whose text was already stored (their address was added).
    pub known_records: u64,
    /// Errors stored.
    pub errors: u64,
    /// Addresses kept for later.
    pub pending: u64,
    /// Inputs read from the start that held nothing to ingest, by what they
    /// are ("feed": a feed with no entries, "robots.txt": one without
    /// `Sitemap:` lines, "WARC archive": one with no pages, such as a WAT
    /// file). Not errors: the run can still succeed.
    pub empty_inputs: BTreeMap<String, u64>,
    /// Errors per category.
    pub errors_by_category: BTreeMap<String, u64>,
    /// Wall time.
    pub seconds: f64,
    /// Pages per second of wall time.
    pub pages_per_second: f64,
    /// The dedup-and-merge pass over the records not yet clustered.
    pub dedup: PassStats,
}

/// Why an ingest stopped. Bad inputs never stop it (they are stored as
/// errors); only the store can.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The store could not be read or written.
    #[error("cannot write to the store: {0}")]
    Store(#[from] StoreError),
    /// The dedup pass's thread died (a bug); what was committed is kept and
    /// the next ingest's pass catches up.
    #[error("the dedup-and-merge pass stopped unexpectedly; run the ingest again to finish it")]
    Pass,
}

/// An input with where to start it.
struct Planned {
    input: Input,
    path: String,
    size: u64,
    mtime: i64,
    start: u64,
}

/// What the reader meets, and (after the workers) what became of it: an
/// item of input `idx` (of the kind its bytes showed), the failure to open
/// that input, or its end.
enum Step<T> {
    Item { idx: usize, kind: SourceKind, item: T },
    InputFailed { idx: usize, failure: Failure },
    InputEnd { idx: usize, kind: Option<SourceKind> },
}

/// Ingests `inputs` (paths, directories or `-`, as `gleaner ingest` takes
/// them) into `store`: every page becomes a record or a stored error,
/// inputs read to the end are skipped on a rerun and the others resume at
/// their committed offset; then the dedup-and-merge pass runs.
pub fn ingest(
    store: &mut dyn Store,
    inputs: &[String],
    options: &IngestOptions,
    progress: &mut dyn Progress,
) -> Result<Summary, IngestError> {
    let started = Instant::now();
    let (found, missing) = discover_with(inputs, INGEST_EXTENSIONS);
    let mut summary = Summary::default();

    // Inputs that do not exist are errors like any other.
    let mut first = Batch::default();
    for (name, err) in missing {
        let f = Failure::from(err);
        progress.failure(&name, &f.message);
        first.errors.push(ErrorRow {
            input: name,
            offset: None,
            record: None,
            category: f.category.into(),
            reason: f.message,
        });
    }
    let plan = plan(&*store, found, &mut summary)?;
    summary.inputs = plan.len() + summary.inputs_skipped;
    for e in &first.errors {
        *summary.errors_by_category.entry(e.category.clone()).or_default() += 1;
        summary.errors += 1;
    }
    if !first.is_empty() {
        store.commit(&first)?;
    }
    run_plan(store, plan, options, progress, summary, started)
}

/// Ingests one file under a name of the caller's choosing, from its start,
/// whatever the store says of that name: what the server does with an
/// upload, whose temporary path means nothing to anyone. The name becomes
/// `input.path` of its records and errors (the server gives `upload:NAME`,
/// which no path on disk can collide with).
pub fn ingest_named(
    store: &mut dyn Store,
    file: &Path,
    name: &str,
    options: &IngestOptions,
    progress: &mut dyn Progress,
) -> Result<Summary, IngestError> {
    let started = Instant::now();
    let size = fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let input = Input::File {
        path: file.to_path_buf(),
        rel: PathBuf::from(name),
    };
    let plan = vec![Planned {
        input,
        path: name.to_string(),
        size,
        mtime: 0,
        start: 0,
    }];
    let summary = Summary {
        inputs: 1,
        ..Summary::default()
    };
    run_plan(store, plan, options, progress, summary, started)
}

/// Ingests what is new in a file its writer keeps appending to (the WARC
/// files `gleaner watch` writes): from the offset committed for `file` on,
/// whatever its size and modification time now. `ingest` would take a file
/// whose size changed for a new file and read it again from the start; an
/// appending writer knows better, since what it wrote before is unchanged.
/// The input is named by its path as given, as `ingest` names it, so a
/// later `gleaner ingest` of the finished file finds it done.
pub fn ingest_appended(
    store: &mut dyn Store,
    file: &Path,
    options: &IngestOptions,
    progress: &mut dyn Progress,
) -> Result<Summary, IngestError> {
    let started = Instant::now();
    let path = file.display().to_string();
    let (size, mtime) = fs::metadata(file)
        .map(|m| {
            let mtime = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
            (m.len(), mtime.map_or(0, |d| d.as_secs() as i64))
        })
        .unwrap_or((0, 0));
    let start = store.input_state(&path)?.map_or(0, |s| s.offset);
    let plan = vec![Planned {
        input: Input::File {
            path: file.to_path_buf(),
            rel: PathBuf::from(file.file_name().unwrap_or_default()),
        },
        path,
        size,
        mtime,
        start,
    }];
    let summary = Summary {
        inputs: 1,
        ..Summary::default()
    };
    run_plan(store, plan, options, progress, summary, started)
}

/// Reads, works and writes a plan, and runs the dedup-and-merge pass.
///
/// With one job everything runs on the calling thread, one item after
/// another, and the pass after the last commit (with a store that
/// [`runs_elsewhere`](gleaner_store::DedupStore::runs_elsewhere), the pass
/// runs beside that thread as below). With more, the reader has a
/// thread, `jobs` workers make the records (and what the store and the pass
/// need of them: JSON, signature), the calling thread writes, and the pass
/// runs beside it on a second connection, catching up after every commit.
fn run_plan(
    store: &mut dyn Store,
    plan: Vec<Planned>,
    options: &IngestOptions,
    progress: &mut dyn Progress,
    mut summary: Summary,
    started: Instant,
) -> Result<Summary, IngestError> {
    progress.start(plan.iter().map(|p| p.size.saturating_sub(p.start)).sum());
    let plan = Arc::new(plan);
    let limits = ReadLimits {
        max_bytes: options.max_bytes,
    };
    let policy = Policy::default();
    let jobs = options.jobs.unwrap_or_else(all_cores).max(1);
    let items = read_all(Arc::clone(&plan), limits);
    let work = |step| work(step, &plan, options.analyse, &policy);
    // With PostgreSQL the writer mostly waits on the server (its GIN index
    // and the pass's look-ups were most of a `--jobs 1` ingest's time beyond
    // SQLite's, issue 16): the pass then runs beside it even with one job,
    // on the second connection, and the server works for both at once.
    if jobs == 1 && !store.runs_elsewhere() {
        let mut writer = Writer::new(&plan, options.batch, progress, &mut summary, None);
        ordered_map(items, Workers::Inline, work, |step| writer.apply(&mut *store, step))?;
        writer.finish(&mut *store)?;
        // Clusters and merged events for everything new (and anything a
        // crashed run left unhandled).
        summary.dedup = dedup_pass(&mut *store, &policy)?;
    } else {
        let mut pass_store = store.connect_again()?;
        let (committed, wake) = mpsc::channel::<()>();
        let pass = std::thread::scope(|s| -> Result<PassStats, IngestError> {
            let pass = std::thread::Builder::new()
                .name("gleaner-dedup".into())
                .spawn_scoped(s, || dedup_alongside(&mut *pass_store, &policy, wake))
                .expect("the system refused to start a thread");
            let mut writer = Writer::new(&plan, options.batch, progress, &mut summary, Some(committed));
            let workers = if jobs == 1 {
                Workers::Inline
            } else {
                Workers::Threads(jobs)
            };
            let written = match ordered_map(items, workers, work, |step| writer.apply(&mut *store, step)) {
                Ok(()) => writer.finish(&mut *store),
                Err(e) => {
                    drop(writer); // and with it the pass's wake-up sender
                    Err(e)
                }
            };
            // The writer (and its sender) is gone: the pass does a last round.
            let passed = pass.join().map_err(|_| IngestError::Pass)?;
            written?;
            Ok(passed?)
        })?;
        summary.dedup = pass;
    }
    summary.seconds = started.elapsed().as_secs_f64();
    summary.pages_per_second = if summary.seconds > 0.0 {
        summary.pages as f64 / summary.seconds
    } else {
        0.0
    };
    Ok(summary)
}

/// The dedup pass beside the writer: a round after each commit (rounds
/// asked for while one runs fold into the next), and a last one when the
/// writer is done, so nothing committed is left pending.
fn dedup_alongside(
    store: &mut (impl gleaner_store::DedupStore + ?Sized),
    policy: &Policy,
    wake: mpsc::Receiver<()>,
) -> Result<PassStats, StoreError> {
    let mut total = PassStats::default();
    loop {
        let more = wake.recv().is_ok();
        while wake.try_recv().is_ok() {}
        let round = dedup_pass(store, policy)?;
        total.records += round.records;
        total.copies += round.copies;
        total.events_merged += round.events_merged;
        total.events_new += round.events_new;
        if !more {
            return Ok(total);
        }
    }
}

/// Where each input starts: inputs read to the end and unchanged since are
/// skipped, others resume at their committed offset (or start over when
/// their size or modification time changed).
fn plan(store: &dyn Store, found: Vec<Input>, summary: &mut Summary) -> Result<Vec<Planned>, StoreError> {
    let mut plan = Vec::new();
    for input in found {
        let path = input.display();
        // Standard input, pipes and devices hold something new each time:
        // read from the start, never skipped as done.
        let stream = gleaner_read::is_stream(&input);
        let (size, mtime) = match &input {
            Input::File { path, .. } if !stream => fs::metadata(path)
                .map(|m| {
                    let mtime = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok());
                    (m.len(), mtime.map_or(0, |d| d.as_secs() as i64))
                })
                .unwrap_or((0, 0)),
            _ => (0, 0),
        };
        let start = match store.input_state(&path)? {
            Some(s) if s.size == size && s.mtime == mtime && !stream => {
                if s.done {
                    summary.inputs_skipped += 1;
                    continue;
                }
                s.offset
            }
            _ => 0,
        };
        plan.push(Planned {
            input,
            path,
            size,
            mtime,
            start,
        });
    }
    Ok(plan)
}

/// The reader: every planned input, in order, item by item.
fn read_all(plan: Arc<Vec<Planned>>, limits: ReadLimits) -> impl Iterator<Item = Step<Item>> + Send {
    (0..plan.len()).flat_map(move |idx| {
        let p = &plan[idx];
        let (steps, kind): (Box<dyn Iterator<Item = Step<Item>> + Send>, _) =
            match open_items(&p.input, p.start, limits) {
                Ok(opened) => {
                    let kind = opened.kind;
                    (
                        Box::new(opened.items.map(move |item| Step::Item { idx, kind, item })),
                        Some(kind),
                    )
                }
                Err(e) => (
                    Box::new(std::iter::once(Step::InputFailed { idx, failure: e.into() })),
                    None,
                ),
            };
        steps.chain(std::iter::once(Step::InputEnd { idx, kind }))
    })
}

/// A worker: extraction for pages; everything else passes through.
/// What a worker hands the writer for one item: a record made ready to
/// store (JSON, signature), or the item's error or pending address.
enum Prepared {
    Record(Box<NewRecord>),
    Other(Outcome),
}

fn work(step: Step<Item>, plan: &[Planned], analyse: bool, policy: &Policy) -> Step<(u64, Prepared)> {
    match step {
        Step::Item { idx, kind, item } => {
            let p = &plan[idx];
            let next = item.next_offset();
            let source = ItemSource {
                path: &p.path,
                kind,
                analyse,
            };
            let prepared = match process_item(item, &source) {
                Outcome::Record { record, .. } => Prepared::Record(Box::new(NewRecord::new(*record, policy))),
                other => Prepared::Other(other),
            };
            Step::Item {
                idx,
                kind,
                item: (next, prepared),
            }
        }
        Step::InputFailed { idx, failure } => Step::InputFailed { idx, failure },
        Step::InputEnd { idx, kind } => Step::InputEnd { idx, kind },
    }
}

/// The writer: applies outcomes in reader order and commits in batches,
/// with each touched input's progress.
struct Writer<'a> {
    plan: &'a [Planned],
    batch_size: usize,
    progress: &'a mut dyn Progress,
    summary: &'a mut Summary,
    batch: Batch,
    touched: BTreeMap<usize, InputState>,
    last_commit: Instant,
    done_bytes: u64,
    /// The input being read and how far into it (for the byte position).
    current: (usize, u64),
    /// Items met in the input being read (to tell empty inputs).
    items_in_current: u64,
    /// Tells the dedup pass running beside the writer that records were
    /// committed (none when the pass runs after the writer).
    committed: Option<mpsc::Sender<()>>,
}

impl<'a> Writer<'a> {
    fn new(
        plan: &'a [Planned],
        batch_size: usize,
        progress: &'a mut dyn Progress,
        summary: &'a mut Summary,
        committed: Option<mpsc::Sender<()>>,
    ) -> Self {
        Writer {
            plan,
            batch_size: batch_size.max(1),
            progress,
            summary,
            batch: Batch::default(),
            touched: BTreeMap::new(),
            last_commit: Instant::now(),
            done_bytes: 0,
            current: (usize::MAX, 0),
            items_in_current: 0,
            committed,
        }
    }

    fn apply(&mut self, store: &mut dyn Store, step: Step<(u64, Prepared)>) -> Result<(), IngestError> {
        let (idx, next, done, kind) = match step {
            Step::Item {
                idx,
                kind,
                item: (next, outcome),
            } => {
                self.outcome(idx, outcome);
                self.items_in_current += 1;
                (idx, Some(next), false, Some(kind))
            }
            Step::InputFailed { idx, failure } => {
                let path = &self.plan[idx].path;
                self.progress.failure(path, &failure.message);
                self.count_error(failure.category);
                self.batch.errors.push(ErrorRow {
                    input: path.clone(),
                    offset: None,
                    record: None,
                    category: failure.category.into(),
                    reason: failure.message,
                });
                self.items_in_current += 1;
                (idx, None, false, None)
            }
            Step::InputEnd { idx, kind } => {
                if self.items_in_current == 0 && self.plan[idx].start == 0 {
                    if let Some(kind) = kind {
                        *self.summary.empty_inputs.entry(kind.name().to_string()).or_default() += 1;
                    }
                }
                self.items_in_current = 0;
                (idx, None, true, kind)
            }
        };
        let p = &self.plan[idx];
        let state = self.touched.entry(idx).or_insert(InputState {
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
            self.done_bytes += p.size.saturating_sub(p.start);
            self.current = (usize::MAX, 0);
        } else if let Some(n) = next {
            self.current = (idx, n.saturating_sub(p.start));
        }
        // Offsets within archives and JSON Lines files are bytes; in feeds
        // they are entry numbers, which say nothing about bytes.
        let bytes_offsets = kind.is_some_and(SourceKind::byte_offsets);
        let within = if self.current.0 == idx && bytes_offsets {
            self.current.1
        } else {
            0
        };
        self.progress.advance(
            self.done_bytes + within.min(p.size),
            self.summary.pages,
            self.summary.errors,
        );
        let held = self.batch.records.len() + self.batch.errors.len() + self.batch.pending.len();
        if held >= self.batch_size || self.last_commit.elapsed() > Duration::from_secs(2) {
            self.commit(store)?;
        }
        Ok(())
    }

    fn outcome(&mut self, idx: usize, prepared: Prepared) {
        let path = &self.plan[idx].path;
        let outcome = match prepared {
            Prepared::Record(record) => {
                self.summary.pages += 1;
                self.batch.records.push(*record);
                return;
            }
            Prepared::Other(o) => o,
        };
        match outcome {
            Outcome::Record { .. } => {} // made ready above
            Outcome::Error(e) => {
                self.summary.pages += 1;
                self.progress
                    .failure(path, &format!("at byte {}: {}", e.offset, e.reason));
                self.count_error(e.category);
                self.batch.errors.push(ErrorRow {
                    input: path.clone(),
                    offset: Some(e.offset),
                    record: e.record,
                    category: e.category.into(),
                    reason: e.reason,
                });
            }
            Outcome::Pending(u) => {
                self.summary.pending += 1;
                self.batch.pending.push(PendingRow {
                    url: u.url,
                    title: u.title,
                    date: u.date,
                    source: path.clone(),
                });
            }
        }
    }

    fn count_error(&mut self, category: &str) {
        self.summary.errors += 1;
        *self.summary.errors_by_category.entry(category.to_string()).or_default() += 1;
    }

    fn commit(&mut self, store: &mut dyn Store) -> Result<(), IngestError> {
        self.batch.inputs = self
            .touched
            .iter()
            .map(|(&i, s)| InputProgress {
                path: self.plan[i].path.clone(),
                state: s.clone(),
            })
            .collect();
        let stats = store.commit(&self.batch)?;
        self.summary.new_records += stats.new_records as u64;
        self.summary.known_records += stats.known_records as u64;
        if stats.new_records > 0 {
            if let Some(tx) = &self.committed {
                let _ = tx.send(());
            }
        }
        self.batch = Batch::default();
        self.touched.clear();
        self.last_commit = Instant::now();
        Ok(())
    }

    fn finish(mut self, store: &mut dyn Store) -> Result<(), IngestError> {
        if !self.batch.is_empty() || !self.touched.is_empty() {
            self.commit(store)?;
        }
        Ok(())
    }
}
