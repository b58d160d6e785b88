//! The store stage: where records live after a run.
//!
//! This crate owns persistence: records (the full JSON plus indexed columns),
//! every address a record was seen at, full-text search over title and text,
//! the inputs seen with the byte offset reached (the resume point), the
//! errors met, and addresses kept for later. It is one interface, [`Store`],
//! with an embedded SQLite backend ([`SqliteStore`], WAL mode, FTS5) today;
//! a PostgreSQL backend can implement the same trait.
//!
//! Guarantees the ingest pipeline builds on: a [`Batch`] commits atomically —
//! its records, errors and input offsets together — and record ids come from
//! normalised content, so committing the same record twice stores it once
//! (adding its address). A crash loses at most the batch in flight, and
//! re-reading from the committed offsets re-creates exactly that batch.
#![warn(missing_docs)]

mod sqlite;

pub use sqlite::SqliteStore;

use gleaner_record::Record;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database reported an error.
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    /// A stored record could not be (de)serialised.
    #[error("record JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The store was written by a newer Gleaner.
    #[error("store schema version {found} is newer than this gleaner supports ({supported})")]
    TooNew {
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// Writing what was read from the store failed (export to a closed pipe, a full disk).
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
    /// The store address names a backend this build does not have.
    #[error("unsupported store {0:?} (this build has the embedded SQLite store: give a file path)")]
    Unsupported(String),
}

/// Progress of one input, as committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputState {
    /// The input's size in bytes when it was read.
    pub size: u64,
    /// Its modification time (seconds since the epoch) when it was read.
    pub mtime: i64,
    /// Where reading resumes: every item before it is committed.
    pub offset: u64,
    /// Every item of the input is committed.
    pub done: bool,
}

/// An input's progress to record with a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProgress {
    /// The input's path as given.
    pub path: String,
    /// See [`InputState`].
    pub state: InputState,
}

/// A failure to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// The input's path.
    pub input: String,
    /// Byte offset of the bad record in the input, when it has one.
    pub offset: Option<u64>,
    /// The record id or WARC-Record-ID or URL concerned, when known.
    pub record: Option<String>,
    /// Short category ("truncated", "binary content", …).
    pub category: String,
    /// What went wrong.
    pub reason: String,
}

/// An address kept for later (feed entries without content, sitemap URLs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRow {
    /// The address.
    pub url: String,
    /// Title given by the feed, if any.
    pub title: Option<String>,
    /// Date given by the feed or sitemap, if any.
    pub date: Option<String>,
    /// The input it came from.
    pub source: String,
}

/// What one atomic commit writes.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Records to store (a known id only gains the record's address).
    pub records: Vec<Record>,
    /// Errors met.
    pub errors: Vec<ErrorRow>,
    /// Addresses kept for later.
    pub pending: Vec<PendingRow>,
    /// Inputs' new resume points.
    pub inputs: Vec<InputProgress>,
}

impl Batch {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.errors.is_empty() && self.pending.is_empty() && self.inputs.is_empty()
    }
}

/// What a commit did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommitStats {
    /// Records stored for the first time.
    pub new_records: usize,
    /// Records whose id was already stored.
    pub known_records: usize,
}

/// A full-text search with filters.
#[derive(Debug, Default, Clone)]
pub struct SearchQuery {
    /// Words to find in title or text (all must occur); `None` lists records.
    pub text: Option<String>,
    /// Published on or after (ISO date prefix).
    pub from: Option<String>,
    /// Published on or before (ISO date prefix).
    pub to: Option<String>,
    /// Exact publisher name.
    pub publisher: Option<String>,
    /// ISO 639-1 language.
    pub language: Option<String>,
    /// At most this many hits.
    pub limit: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Record id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// First address.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Matching words in context, `[`…`]` around them.
    pub snippet: Option<String>,
}

/// A record and every address it was seen at.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    /// The record as first stored.
    pub record: Record,
    /// Every address seen for it, first first.
    pub urls: Vec<String>,
}

/// Counts over the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Records stored.
    pub records: u64,
    /// Inputs seen, and how many of them were read to the end.
    pub inputs: u64,
    /// Inputs read to the end.
    pub inputs_done: u64,
    /// Addresses kept for later.
    pub pending: u64,
    /// Records per publisher (most first).
    pub by_publisher: Vec<(String, u64)>,
    /// Records per language.
    pub by_language: Vec<(String, u64)>,
    /// Records per publication month (YYYY-MM), oldest first.
    pub by_month: Vec<(String, u64)>,
    /// Errors per category (most first).
    pub errors_by_category: Vec<(String, u64)>,
}

/// The store interface every backend implements.
pub trait Store: Send {
    /// The committed progress of an input, if it was seen.
    fn input_state(&self, path: &str) -> Result<Option<InputState>, StoreError>;
    /// Writes a batch atomically.
    fn commit(&mut self, batch: &Batch) -> Result<CommitStats, StoreError>;
    /// Full-text search with filters, best matches first (newest first without text).
    fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>, StoreError>;
    /// One record by id (or by a unique id prefix of at least 6 characters).
    fn get(&self, id: &str) -> Result<Option<StoredRecord>, StoreError>;
    /// Counts.
    fn stats(&self) -> Result<Stats, StoreError>;
    /// Every record, in id order.
    fn for_each_record(&self, f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>) -> Result<(), StoreError>;
    /// Every error row, in the order met.
    fn errors(&self) -> Result<Vec<ErrorRow>, StoreError>;
}

/// Opens the store named by `spec`: a file path for the embedded store.
pub fn open(spec: &str) -> Result<Box<dyn Store>, StoreError> {
    if spec.contains("://") {
        return Err(StoreError::Unsupported(spec.to_string()));
    }
    Ok(Box::new(SqliteStore::open(spec)?))
}
