//! A watch round: check each source (conditionally), keep the entries it
//! lists as pending addresses, fetch every address due (those and the ones
//! `ingest` kept from feeds and sitemaps), archive each exchange, and
//! ingest the archive exactly as `gleaner ingest` would.
//!
//! # Crash safety
//!
//! For every fetch, in this order: the exchange's records are appended to
//! the WARC file and synced; then one store transaction records the fetch
//! (or the source's new state and entries) with the file's new
//! acknowledged length; then the file's new records are ingested (the
//! ingest commits its own progress in the file). A run killed anywhere
//! leaves either an unacknowledged tail, which [`Watch::recover`] cuts off
//! (that fetch was never recorded, so it is done again), or an acknowledged
//! but not yet ingested tail, which `recover` ingests. So no page stored is
//! fetched twice, and no listed address is lost: entries are committed
//! before anything is fetched, and an address leaves the due list only with
//! its fetch row.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use gleaner_ingest::{ingest_appended, IngestError, IngestOptions, Silent, Summary};
use gleaner_store::watch::{FetchOutcome, FetchRow, ListedEntry, Round, SourceState, WatchStore};
use gleaner_store::{Store, StoreError};

use crate::client::{Client, Fetch, FetchError, FetchOptions, Role, Validators};
use crate::sources::{listing, Source};
use crate::warc::{truncate_to_acked, WarcWriter, DEFAULT_WARC_MAX_BYTES};

/// How a watch runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The client's options.
    pub fetch: FetchOptions,
    /// Where WARC files go.
    pub warc_dir: PathBuf,
    /// A WARC file is closed past this size.
    pub warc_max_bytes: u64,
    /// How fetched pages are ingested.
    pub ingest: IngestOptions,
    /// At most this many pages per round (`None`: every one due).
    pub max_pages: Option<usize>,
    /// Child sitemaps followed from one sitemap index.
    pub max_child_sitemaps: usize,
}

impl WatchOptions {
    /// Defaults, with WARC files in `warc_dir`.
    pub fn new(warc_dir: PathBuf) -> Self {
        WatchOptions {
            fetch: FetchOptions::default(),
            warc_dir,
            warc_max_bytes: DEFAULT_WARC_MAX_BYTES,
            // Pages come one at a time: one worker, no thread hand-offs.
            ingest: IngestOptions {
                jobs: Some(1),
                batch: 1,
                ..IngestOptions::default()
            },
            max_pages: None,
            max_child_sitemaps: 100,
        }
    }
}

/// Why a watch stopped. Bad sources and pages never stop it; the store and
/// the archive folder can.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WatchError {
    /// The store failed.
    #[error("the store: {0}")]
    Store(#[from] StoreError),
    /// Ingesting fetched pages failed (the store).
    #[error("ingest: {0}")]
    Ingest(#[from] IngestError),
    /// The WARC folder or a file in it failed.
    #[error("the WARC archive {path}: {source}")]
    Warc {
        /// The file or folder.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
}

/// What a watch tells its caller as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A WARC file's unacknowledged tail was cut after a crash.
    Cut {
        /// The file.
        file: &'a str,
        /// Bytes cut.
        bytes: u64,
    },
    /// A source was checked.
    Source {
        /// Its address.
        url: &'a str,
        /// The final status, if a response came (304: unchanged).
        status: Option<u16>,
        /// Entries new or due again.
        new: usize,
        /// What went wrong, if anything.
        problem: Option<String>,
    },
    /// A page was fetched (or refused, or failed).
    Page {
        /// What was recorded.
        fetch: &'a FetchRow,
        /// Records new and known, errors, from ingesting it.
        ingested: Option<&'a Summary>,
    },
}

/// What one round did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RoundReport {
    /// The round's number in the store.
    pub round: i64,
    /// When it started, RFC 3339 (records fetched since are its new ones).
    pub started_at: String,
    /// Sources checked.
    pub sources: usize,
    /// Of those, unchanged since the last check (304).
    pub sources_unchanged: usize,
    /// Of those, with no usable listing.
    pub sources_failed: usize,
    /// Addresses newly listed (or due again).
    pub listed: usize,
    /// Addresses fetched or tried.
    pub pages: usize,
    /// Responses archived.
    pub archived: usize,
    /// Disallowed by robots.txt.
    pub disallowed: usize,
    /// Refused (private addresses, bad URLs).
    pub refused: usize,
    /// No usable response (tried again later).
    pub failed: usize,
    /// HTTP requests made (robots.txt, retries and redirect hops included).
    pub requests: usize,
    /// Records stored for the first time.
    pub new_records: u64,
    /// Records whose text was already stored.
    pub known_records: u64,
    /// Error rows stored by the ingest.
    pub errors: u64,
    /// Bytes appended to WARC files.
    pub warc_bytes: u64,
    /// Wall time.
    pub seconds: f64,
    /// Pages fetched per second of the fetching part.
    pub pages_per_second: f64,
    /// The round was stopped (Ctrl-C, SIGTERM) before fetching all it had.
    pub stopped: bool,
}

/// A watch over one store.
pub struct Watch {
    client: Client,
    sink: Sink,
    options: WatchOptions,
    stop: std::sync::Arc<AtomicBool>,
}

/// Where fetches go: the archive, then the store (kept apart from the
/// client, which the fetching threads share while this is written to).
struct Sink {
    warc: WarcWriter,
    store: Box<dyn Store>,
    state: Box<dyn WatchStore>,
    ingest: IngestOptions,
    warc_dir: PathBuf,
}

fn now() -> String {
    gleaner_read::rfc3339_utc(SystemTime::now())
}

impl Watch {
    /// Opens the store `db` (both its sides) and the WARC folder. `stop`,
    /// once set, ends a round after the page in hand.
    pub fn open(db: &str, options: WatchOptions, stop: std::sync::Arc<AtomicBool>) -> Result<Self, WatchError> {
        let store = gleaner_store::open(db)?;
        let state = gleaner_store::open_watch(db, false)?;
        let client = Client::new(options.fetch.clone());
        let info = format!(
            "software: Gleaner/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\nhttp-header-user-agent: {}\r\nrobots: obey\r\ndescription: pages fetched by gleaner watch, kept as evidence\r\n",
            env!("CARGO_PKG_VERSION"),
            client.user_agent()
        );
        let warc =
            WarcWriter::new(&options.warc_dir, options.warc_max_bytes, info).map_err(|source| WatchError::Warc {
                path: options.warc_dir.display().to_string(),
                source,
            })?;
        Ok(Watch {
            client,
            sink: Sink {
                warc,
                store,
                state,
                ingest: options.ingest.clone(),
                warc_dir: options.warc_dir.clone(),
            },
            options,
            stop,
        })
    }

    /// The client (its User-Agent, options).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The watch's side of the store.
    pub fn state(&self) -> &dyn WatchStore {
        &*self.sink.state
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        &*self.sink.store
    }

    /// After a crash: cuts every WARC file back to its acknowledged length
    /// and ingests what was acknowledged but not ingested.
    pub fn recover(&mut self, log: &mut dyn FnMut(Event<'_>)) -> Result<(), WatchError> {
        for (file, acked) in self.sink.state.warc_files()? {
            let cut = truncate_to_acked(Path::new(&file), acked).map_err(|source| WatchError::Warc {
                path: file.clone(),
                source,
            })?;
            if cut > 0 {
                log(Event::Cut {
                    file: &file,
                    bytes: cut,
                });
            }
            if Path::new(&file).exists() {
                self.sink.ingest(&file)?;
            }
        }
        Ok(())
    }

    /// One round over `sources` (none: only the addresses already due).
    pub fn round(&mut self, sources: &[Source], log: &mut dyn FnMut(Event<'_>)) -> Result<RoundReport, WatchError> {
        let started = Instant::now();
        // robots.txt is read afresh each round (a long --every run would
        // otherwise keep a day-old file, or a failed fetch, for ever).
        self.client.forget_robots();
        // Fetch times are whole seconds (WARC-Date, RFC 3339), and a round's
        // new records are those fetched at or after its start: a round that
        // began in the second of the previous round's last fetch (this
        // process's or another's) would count that page as new. So a round
        // begins on a fresh second.
        let into_second = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(Duration::ZERO, |d| Duration::from_nanos(u64::from(d.subsec_nanos())));
        std::thread::sleep(Duration::from_secs(1).saturating_sub(into_second));
        let Round { id, started_at, .. } = self.sink.state.begin_round(&now())?;
        let mut report = RoundReport {
            round: id,
            started_at,
            ..RoundReport::default()
        };
        for s in sources {
            if self.stop.load(Ordering::SeqCst) {
                report.stopped = true;
                break;
            }
            self.check_source(&s.url, s.label.as_deref(), true, &mut report, log)?;
        }
        let fetch_started = Instant::now();
        if !report.stopped {
            self.fetch_due(&mut report, log)?;
        }
        let fetching = fetch_started.elapsed().as_secs_f64();
        report.pages_per_second = if fetching > 0.0 {
            report.pages as f64 / fetching
        } else {
            0.0
        };
        report.seconds = started.elapsed().as_secs_f64();
        self.sink.state.end_round(id, &now())?;
        Ok(report)
    }

    /// Checks one source: fetch (conditionally), archive, list its entries.
    fn check_source(
        &mut self,
        url: &str,
        label: Option<&str>,
        follow_index: bool,
        report: &mut RoundReport,
        log: &mut dyn FnMut(Event<'_>),
    ) -> Result<(), WatchError> {
        report.sources += 1;
        let before = self.sink.state.source_state(url)?;
        let validators = before.as_ref().map(|s| Validators {
            etag: s.etag.clone(),
            last_modified: s.last_modified.clone(),
        });
        let fetch = self.client.fetch(url, Role::Source, validators.as_ref());
        let written = self.sink.archive(&fetch, report)?;
        let acked = written.as_ref().map(|w| (w.file.as_str(), w.end));
        let mut state = before.clone().unwrap_or_else(|| SourceState {
            url: url.to_string(),
            ..SourceState::default()
        });
        state.label = label.map(str::to_string).or(state.label);
        state.checked_at = Some(now());
        let mut entries = Vec::new();
        let mut children = Vec::new();
        let mut problem = None;
        match &fetch.result {
            Ok(f) if f.status == 304 => {
                state.status = Some(304);
                report.sources_unchanged += 1;
            }
            Ok(f) if (200..300).contains(&f.status) => {
                state.status = Some(f.status);
                let response = fetch.exchanges[f.exchange].response.as_ref();
                match listing(f.decoded.as_deref().unwrap_or_default(), &f.url) {
                    Ok(l) => {
                        state.etag = response.and_then(|r| r.header("etag")).map(str::to_string);
                        state.last_modified = response.and_then(|r| r.header("last-modified")).map(str::to_string);
                        state.last_entries = l.entries.iter().map(|e| e.url.clone()).collect();
                        if !l.problems.is_empty() {
                            problem = Some(format!("{} unreadable entries", l.problems.len()));
                        }
                        entries = l.entries;
                        children = l.sitemaps;
                    }
                    Err(e) => problem = Some(e),
                }
            }
            Ok(f) => {
                state.status = Some(f.status);
                problem = Some(format!("HTTP {}", f.status));
            }
            Err(e) => {
                state.status = fetch
                    .exchanges
                    .last()
                    .and_then(|x| x.response.as_ref())
                    .map(|r| r.status);
                problem = Some(e.to_string());
            }
        }
        if problem.is_some() && entries.is_empty() && children.is_empty() {
            report.sources_failed += 1;
        }
        // Entries first, with the new validators in the same transaction: a
        // crash cannot leave validators that would hide unlisted entries.
        let new = self.sink.state.list_entries(&state, &entries, acked)?;
        report.listed += new;
        if let Some(w) = &written {
            self.sink.ingest(&w.file)?;
        }
        log(Event::Source {
            url,
            status: state.status,
            new,
            problem,
        });
        if follow_index {
            for child in children.into_iter().take(self.options.max_child_sitemaps) {
                if self.stop.load(Ordering::SeqCst) {
                    break;
                }
                self.check_source(&child, label, false, report, log)?;
            }
        }
        Ok(())
    }

    /// Fetches every due address: hosts in parallel (up to the client's
    /// concurrency), each host's addresses in the order they were listed.
    fn fetch_due(&mut self, report: &mut RoundReport, log: &mut dyn FnMut(Event<'_>)) -> Result<(), WatchError> {
        let due = self.sink.state.due(self.options.max_pages.unwrap_or(1_000_000))?;
        if due.is_empty() {
            return Ok(());
        }
        // Queues per host, hosts in order of first appearance.
        let mut hosts: Vec<(String, VecDeque<ListedEntry>)> = Vec::new();
        for e in due {
            let host = url::Url::parse(&e.url)
                .ok()
                .and_then(|u| {
                    u.host_str()
                        .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
                })
                .unwrap_or_default();
            match hosts.iter_mut().find(|(h, _)| *h == host) {
                Some((_, q)) => q.push_back(e),
                None => hosts.push((host, VecDeque::from([e]))),
            }
        }
        let workers = self.options.fetch.concurrency.max(1).min(hosts.len());
        let queue = Mutex::new(hosts.into_iter().map(|(_, q)| q).collect::<VecDeque<_>>());
        let (tx, rx) = mpsc::sync_channel::<(ListedEntry, Fetch)>(workers);
        let client = &self.client;
        let stop = &*self.stop;
        let sink = &mut self.sink;
        let mut result = Ok(());
        std::thread::scope(|s| {
            for _ in 0..workers {
                let tx = tx.clone();
                let queue = &queue;
                s.spawn(move || loop {
                    let Some(mut host) = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front() else {
                        return;
                    };
                    while let Some(entry) = host.pop_front() {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        let fetch = client.fetch(&entry.url, Role::Page, None);
                        if tx.send((entry, fetch)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(tx);
            for (entry, fetch) in rx.iter() {
                if let Err(e) = sink.record_page(&entry, &fetch, report, log) {
                    // Stop the workers, drain what they hold, report the error.
                    stop.store(true, Ordering::SeqCst);
                    result = Err(e);
                    break;
                }
            }
            // Receiving ends here; workers blocked on a full channel see it closed.
            drop(rx);
        });
        if self.stop.load(Ordering::SeqCst) {
            report.stopped = true;
        }
        result
    }
}

impl Sink {
    /// Appends a fetch's exchanges to the archive; `None` when there were none.
    fn archive(&mut self, fetch: &Fetch, report: &mut RoundReport) -> Result<Option<crate::warc::Written>, WatchError> {
        if fetch.exchanges.is_empty() {
            return Ok(None);
        }
        let before = self.warc.current().map_or(0, |(_, len)| len);
        let before_file = self.warc.current().map(|(f, _)| f.to_string());
        let written = self.warc.write(&fetch.exchanges).map_err(|source| WatchError::Warc {
            path: self.warc_dir.display().to_string(),
            source,
        })?;
        report.requests += fetch.exchanges.len();
        report.warc_bytes += if before_file.as_deref() == Some(written.file.as_str()) {
            written.end - before
        } else {
            written.end
        };
        Ok(Some(written))
    }

    /// Archives one page fetch, records it, ingests what was archived.
    fn record_page(
        &mut self,
        entry: &ListedEntry,
        fetch: &Fetch,
        report: &mut RoundReport,
        log: &mut dyn FnMut(Event<'_>),
    ) -> Result<(), WatchError> {
        report.pages += 1;
        let written = self.archive(fetch, report)?;
        let attempts = self.state.fetch_of(&entry.url)?.map_or(0, |f| f.attempts) + 1;
        let final_idx = match &fetch.result {
            Ok(f) => Some(f.exchange),
            Err(_) => fetch.exchanges.iter().rposition(|x| x.response.is_some()),
        };
        let response = final_idx.and_then(|i| fetch.exchanges[i].response.as_ref());
        let (outcome, reason) = match &fetch.result {
            Ok(_) => (FetchOutcome::Archived, None),
            Err(FetchError::Disallowed) => (FetchOutcome::Disallowed, Some(FetchError::Disallowed.to_string())),
            Err(e @ FetchError::Refused(_)) => (FetchOutcome::Refused, Some(e.to_string())),
            Err(e) if e.is_transient() => (FetchOutcome::Failed, Some(e.to_string())),
            Err(e) if response.is_some() => (FetchOutcome::Archived, Some(e.to_string())),
            Err(e) => (FetchOutcome::Failed, Some(e.to_string())),
        };
        match outcome {
            FetchOutcome::Archived => report.archived += 1,
            FetchOutcome::Disallowed => report.disallowed += 1,
            FetchOutcome::Refused => report.refused += 1,
            FetchOutcome::Failed => report.failed += 1,
        }
        let row = FetchRow {
            url: entry.url.clone(),
            fetched_at: fetch.exchanges.first().map_or_else(now, |x| x.date.clone()),
            outcome,
            status: response.map(|r| r.status),
            final_url: final_idx
                .map(|i| fetch.exchanges[i].url.clone())
                .filter(|u| *u != entry.url),
            reason,
            warc_file: written.as_ref().filter(|_| final_idx.is_some()).map(|w| w.file.clone()),
            warc_offset: written.as_ref().zip(final_idx).and_then(|(w, i)| w.responses[i]),
            payload_digest: written.as_ref().zip(final_idx).and_then(|(w, i)| w.digests[i].clone()),
            attempts,
        };
        self.state
            .record_fetch(&row, written.as_ref().map(|w| (w.file.as_str(), w.end)))?;
        let summary = match &written {
            Some(w) => {
                let s = self.ingest(&w.file)?;
                report.new_records += s.new_records;
                report.known_records += s.known_records;
                report.errors += s.errors;
                Some(s)
            }
            None => None,
        };
        log(Event::Page {
            fetch: &row,
            ingested: summary.as_ref(),
        });
        Ok(())
    }
    /// Ingests what is new in an archive file.
    fn ingest(&mut self, file: &str) -> Result<Summary, WatchError> {
        Ok(ingest_appended(
            &mut *self.store,
            Path::new(file),
            &self.ingest,
            &mut Silent,
        )?)
    }
}
