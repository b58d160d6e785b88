//! The store stage: where records live after a run.
//!
//! This crate owns persistence: records (the full JSON plus indexed columns),
//! every address a record was seen at, full-text search over title and text,
//! the inputs seen with the byte offset reached (the resume point), the
//! errors met, and addresses kept for later. It is one interface, [`Store`],
//! with two backends: [`SqliteStore`], embedded (one file, WAL mode, FTS5),
//! and [`PgStore`], one PostgreSQL database shared by several processes
//! (`tsvector` search, the default `postgres` feature). [`open`] picks one
//! from the `--db` spec: a path, or a `postgres://` URL.
//!
//! Guarantees the ingest pipeline builds on: a [`Batch`] commits atomically —
//! its records, errors and input offsets together — and record ids come from
//! normalised content, so committing the same record twice stores it once
//! (adding its address). A crash loses at most the batch in flight, and
//! re-reading from the committed offsets re-creates exactly that batch.
//!
//! And for several writers at once: an input's committed progress never goes
//! back, and nothing stored depends on the order records arrive in or are
//! handled by the dedup-and-merge pass (which copy of a text is kept, the
//! order of addresses, clusters and `duplicate_of`, merged events: see
//! [`DedupWrite`]), so concurrent ingesters end where one clean run does.
//! `tests/backends.rs` runs one suite against both backends.
#![warn(missing_docs)]

#[cfg(feature = "postgres")]
mod postgres;
mod sqlite;

#[cfg(feature = "postgres")]
pub use crate::postgres::PgStore;
pub use sqlite::SqliteStore;

use gleaner_record::{Event, Record};

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
    #[error("unsupported store {0:?} (give a file path for SQLite, or postgres://user@host/db)")]
    Unsupported(String),
    /// PostgreSQL could not be reached (the address is shown without its password).
    #[cfg(feature = "postgres")]
    #[error("cannot connect to PostgreSQL at {address}: {}", root_cause(source))]
    PgConnect {
        /// user@host:port/db, never the password.
        address: String,
        /// What the client reported.
        source: ::postgres::Error,
    },
    /// PostgreSQL reported an error.
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL: {0}")]
    Pg(#[from] ::postgres::Error),
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
    /// Records to store (a known id gains the record's address, and keeps
    /// whichever copy has the smaller address: the same whatever came first).
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
    /// Mentions this place (geocoded name, exact).
    pub place: Option<String>,
    /// Mentions a place in this country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Reports an event of this type.
    pub event_type: Option<String>,
    /// Result order.
    pub sort: SortOrder,
    /// Skip this many hits (paging).
    pub offset: usize,
    /// At most this many hits.
    pub limit: usize,
}

/// How search results are ordered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first with search words; newest first without.
    #[default]
    Relevance,
    /// Newest publication first (undated last).
    Newest,
    /// Oldest publication first (undated last).
    Oldest,
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
    /// The record as stored (of several copies, the one at the smallest
    /// address), with `syndication.duplicate_of` from its cluster.
    pub record: Record,
    /// Every address seen for it: its own first, then the others sorted.
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

/// A member of a near-duplicate cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterMember {
    /// Record id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// Its first address.
    pub url: Option<String>,
    /// Its best estimated similarity to another member (1 when it has none).
    pub similarity: f64,
}

/// Where one merged event was reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventSource {
    /// The record.
    pub record_id: String,
    /// Its evidence sentence.
    pub evidence: String,
    /// Who it is attributed to there.
    pub attributed_to: Option<String>,
    /// The actor as this record tells it (what merging compares; not output).
    #[serde(skip)]
    pub actor: Option<String>,
}

/// One occurrence, merged over the records that report it.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedEvent {
    /// Store key.
    pub seq: i64,
    /// The event as first reported (its evidence is the first source's).
    pub event: Event,
    /// Every report of it.
    pub sources: Vec<EventSource>,
}

/// What the dedup-and-merge pass writes for one record, atomically.
///
/// The result of the pass must not depend on the order records are handled
/// in (several ingesters may run passes one after another over records that
/// arrived interleaved), so the store keeps order-free facts: a cluster is a
/// connected component of "copy of" links, named by and pointing
/// (`syndication.duplicate_of`) to its earliest member by publication date
/// then id; a member's similarity is its best one to another member; a merged
/// event is a connected component of compatible reports, shown as its
/// earliest report (by publication date, then record id).
#[derive(Debug, Clone, Default)]
pub struct DedupWrite {
    /// The record.
    pub record_id: String,
    /// Its MinHash signature.
    pub signature: Vec<u64>,
    /// Its LSH band keys.
    pub band_keys: Vec<(u32, u64)>,
    /// Records already handled that it is a copy of, with their similarity:
    /// their clusters and this record become one cluster.
    pub copies: Vec<(String, f64)>,
    /// Its events, each with the merged events it joins (they become one;
    /// none: a new occurrence).
    pub events: Vec<(Vec<i64>, Event)>,
}

/// Filters for listing merged events.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Event type.
    pub kind: Option<String>,
    /// Place name (exact).
    pub place: Option<String>,
    /// Date on or after (ISO prefix).
    pub from: Option<String>,
    /// Date on or before (ISO prefix).
    pub to: Option<String>,
    /// Placed at a place geocoded to this country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Skip this many events (paging).
    pub offset: usize,
    /// At most this many events; `None` for all.
    pub limit: Option<usize>,
}

/// A geocoded place with how often the store mentions it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceCount {
    /// Place name as geocoded.
    pub name: String,
    /// GeoNames id, when known.
    pub geonameid: Option<u64>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Records that mention it.
    pub records: u64,
    /// Merged events placed there.
    pub events: u64,
}

/// Filters for listing places.
#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    /// Only places in this country.
    pub country: Option<String>,
    /// Only places with these names (none: every place).
    pub names: Vec<String>,
    /// Only places mentioned by records published on or after (ISO prefix).
    pub from: Option<String>,
    /// Only places mentioned by records published on or before (ISO prefix).
    pub to: Option<String>,
    /// At most this many places (most mentioned first).
    pub limit: usize,
}

/// How many merged events of a type carry a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DateCount {
    /// The date as stored (ISO, possibly only year or year-month).
    pub date: String,
    /// Event type, or `"record"` for record publication dates.
    pub kind: String,
    /// How many.
    pub count: u64,
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
    /// Records the dedup-and-merge pass has not handled yet, oldest first.
    fn unclustered(&self, limit: usize) -> Result<Vec<StoredRecord>, StoreError>;
    /// Records sharing at least one LSH band key, with their signatures and clusters.
    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<(String, Vec<u64>, String)>, StoreError>;
    /// The members of a cluster, earliest publication first.
    fn cluster_members(&self, cluster: &str) -> Result<Vec<ClusterMember>, StoreError>;
    /// The cluster a record belongs to.
    fn cluster_of(&self, id: &str) -> Result<Option<String>, StoreError>;
    /// Clusters with at least `min_size` members.
    fn clusters(&self, min_size: usize) -> Result<Vec<String>, StoreError>;
    /// Merged events of a type at a place whose date's first 7 characters
    /// (the month, or a bare year) are `date_prefix` (empty: undated), with
    /// their sources, whose actors merging compares. An exact key, not a
    /// prefix: "2019" must not find "2019-11" when "2019-11" cannot find
    /// "2019", or what merges would depend on which came first.
    fn event_candidates(
        &self,
        kind: &str,
        place: Option<&str>,
        date_prefix: &str,
    ) -> Result<Vec<MergedEvent>, StoreError>;
    /// Writes one record's dedup-and-merge result atomically.
    fn apply_dedup(&mut self, write: &DedupWrite) -> Result<(), StoreError>;
    /// Merged events, filtered, by date.
    fn events(&self, filter: &EventFilter) -> Result<Vec<MergedEvent>, StoreError>;
    /// Called before a dedup-and-merge pass: a shared store makes other
    /// processes' passes wait until [`Store::end_dedup_pass`], since records
    /// handled at the same time would not see each other.
    fn begin_dedup_pass(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Called after the pass (also when it failed).
    fn end_dedup_pass(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Geocoded places mentioned by records, most mentioned first.
    fn places(&self, filter: &PlaceFilter) -> Result<Vec<PlaceCount>, StoreError>;
    /// Merged events per (date, type), filtered (paging ignored), by date.
    fn event_dates(&self, filter: &EventFilter) -> Result<Vec<DateCount>, StoreError>;
    /// Records per publication date matching a search (paging ignored), by date;
    /// `kind` is `"record"`.
    fn record_dates(&self, query: &SearchQuery) -> Result<Vec<DateCount>, StoreError>;
    /// How many records match a search (paging ignored), per value of
    /// `field`: one of `publisher`, `language`, `country`, `event_type`.
    fn facet(&self, query: &SearchQuery, field: Facet, limit: usize) -> Result<Vec<(String, u64)>, StoreError>;
}

/// A field search results can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// Publisher name.
    Publisher,
    /// Language.
    Language,
    /// Country of a mentioned place.
    Country,
    /// Type of a reported event.
    EventType,
}

/// Opens the store named by `spec`: `postgres://` or `postgresql://` URLs
/// name a PostgreSQL database, anything else without `://` a SQLite file.
pub fn open(spec: &str) -> Result<Box<dyn Store>, StoreError> {
    #[cfg(feature = "postgres")]
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        return Ok(Box::new(PgStore::open(spec)?));
    }
    if spec.contains("://") {
        return Err(StoreError::Unsupported(redact(spec)));
    }
    Ok(Box::new(SqliteStore::open(spec)?))
}

/// The innermost reason of an error ("Connection refused (os error 111)"),
/// which connection errors otherwise repeat their wrappers around.
#[cfg(feature = "postgres")]
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}

/// A store address fit to print: `scheme://user@host:port/db`, without a
/// password or query parameters (which may hold one).
pub fn redact(spec: &str) -> String {
    let Some((scheme, rest)) = spec.split_once("://") else {
        return spec.to_string();
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or("")),
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}{path}")
}
