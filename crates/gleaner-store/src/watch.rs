//! What `gleaner watch` keeps in the store, so a watch killed at any point
//! and started again goes on where it was: each source's state (validators
//! for conditional requests, the entries it listed last), which listed
//! addresses were fetched and where their archived copy is, how much of
//! each WARC file is acknowledged, the saved searches, and the rounds run.
//!
//! Listed addresses are the store's pending addresses (the same rows
//! `ingest` keeps for feed entries without content and sitemap URLs), so
//! `gleaner fetch-pending` fetches both. An address is fetched once: a
//! fetch row is written when its response is safely in a WARC file, in the
//! same transaction as the file's new acknowledged length.

use crate::StoreError;

/// A source (feed or sitemap) as last fetched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceState {
    /// The source's address.
    pub url: String,
    /// The label the source list gave it.
    pub label: Option<String>,
    /// The `ETag` of its last full response (for `If-None-Match`).
    pub etag: Option<String>,
    /// The `Last-Modified` of its last full response (for `If-Modified-Since`).
    pub last_modified: Option<String>,
    /// When it was last checked, RFC 3339.
    pub checked_at: Option<String>,
    /// The HTTP status of the last check (304 when unchanged); `None` when no
    /// response came.
    pub status: Option<u16>,
    /// The entry addresses its last full response listed, in its order.
    pub last_entries: Vec<String>,
}

/// An address a source listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedEntry {
    /// The address.
    pub url: String,
    /// The title the source gave.
    pub title: Option<String>,
    /// The date the source gave (publication, update or `lastmod`).
    pub date: Option<String>,
}

/// How fetching an address ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchOutcome {
    /// A response was archived (whatever its status: a 404 is evidence too).
    Archived,
    /// robots.txt disallows it.
    Disallowed,
    /// Refused before any request: a private or loopback address, a scheme
    /// other than http(s).
    Refused,
    /// No usable response (network error, timeout, retries used up): tried
    /// again in a later run, up to [`MAX_FETCH_ATTEMPTS`] times.
    Failed,
}

/// Attempts before an address that keeps failing is given up.
pub const MAX_FETCH_ATTEMPTS: u32 = 3;

impl FetchOutcome {
    /// The name stored.
    pub fn as_str(self) -> &'static str {
        match self {
            FetchOutcome::Archived => "archived",
            FetchOutcome::Disallowed => "disallowed",
            FetchOutcome::Refused => "refused",
            FetchOutcome::Failed => "failed",
        }
    }

    /// The outcome of a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "archived" => FetchOutcome::Archived,
            "disallowed" => FetchOutcome::Disallowed,
            "refused" => FetchOutcome::Refused,
            "failed" => FetchOutcome::Failed,
            _ => return None,
        })
    }
}

/// One fetched address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRow {
    /// The address as listed.
    pub url: String,
    /// When, RFC 3339.
    pub fetched_at: String,
    /// How it ended.
    pub outcome: FetchOutcome,
    /// The final HTTP status (after redirects), when a response came.
    pub status: Option<u16>,
    /// The address of the final response, when redirects led elsewhere.
    pub final_url: Option<String>,
    /// Why it failed or was refused.
    pub reason: Option<String>,
    /// The WARC file holding the final response.
    pub warc_file: Option<String>,
    /// Where that response record starts in it.
    pub warc_offset: Option<u64>,
    /// Its `WARC-Payload-Digest`.
    pub payload_digest: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: u32,
}

/// A saved search: what `watch --alert` and the API store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    /// Its number.
    pub id: i64,
    /// The search as a query string (`q=Hyesan&country=KP`), in the API's
    /// parameters.
    pub query: String,
    /// When it was saved, RFC 3339.
    pub created_at: String,
}

/// A watch round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Its number.
    pub id: i64,
    /// When it started, RFC 3339: records fetched since are its new ones.
    pub started_at: String,
    /// When it ended, if it did.
    pub finished_at: Option<String>,
}

/// The watch's side of the store.
pub trait WatchStore: Send {
    /// A source's state, if it was checked before.
    fn source_state(&self, url: &str) -> Result<Option<SourceState>, StoreError>;
    /// Keeps the entries a source listed (as pending addresses, in order;
    /// an address already pending keeps its place, but one listed with a
    /// different date than before is due to be fetched again: the page
    /// changed), then the source's new state, in one transaction. Returns
    /// how many entries are new or due again.
    fn list_entries(
        &mut self,
        state: &SourceState,
        entries: &[ListedEntry],
        acked: Option<(&str, u64)>,
    ) -> Result<usize, StoreError>;
    /// Pending addresses not fetched yet (or failed fewer than
    /// [`MAX_FETCH_ATTEMPTS`] times), in the order they were listed.
    fn due(&self, limit: usize) -> Result<Vec<ListedEntry>, StoreError>;
    /// The fetch row of an address, if it was fetched.
    fn fetch_of(&self, url: &str) -> Result<Option<FetchRow>, StoreError>;
    /// Records a fetch and, when given, the new acknowledged length of a
    /// WARC file, in one transaction.
    fn record_fetch(&mut self, row: &FetchRow, acked: Option<(&str, u64)>) -> Result<(), StoreError>;
    /// Sets a WARC file's acknowledged length (what the store vouches for:
    /// bytes after it were written by a run that died before saying so).
    fn ack_warc(&mut self, path: &str, len: u64) -> Result<(), StoreError>;
    /// Every WARC file with its acknowledged length, oldest first.
    fn warc_files(&self) -> Result<Vec<(String, u64)>, StoreError>;
    /// Saves a search (the same query twice is one search).
    fn save_search(&mut self, query: &str, created_at: &str) -> Result<SavedSearch, StoreError>;
    /// Every saved search, oldest first.
    fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError>;
    /// Removes a saved search; whether it existed.
    fn delete_search(&mut self, id: i64) -> Result<bool, StoreError>;
    /// Starts a round.
    fn begin_round(&mut self, started_at: &str) -> Result<Round, StoreError>;
    /// Ends a round.
    fn end_round(&mut self, id: i64, finished_at: &str) -> Result<(), StoreError>;
    /// The latest round, if any.
    fn last_round(&self) -> Result<Option<Round>, StoreError>;
}

/// Opens the watch's side of the store named by `spec` (as [`crate::open`]
/// does; `read_only` as [`crate::open_read_only`]).
pub fn open_watch(spec: &str, read_only: bool) -> Result<Box<dyn WatchStore>, StoreError> {
    #[cfg(feature = "postgres")]
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        return Ok(Box::new(crate::PgStore::open(spec)?));
    }
    if spec.contains("://") {
        return Err(StoreError::Unsupported(crate::redact(spec)));
    }
    if read_only {
        return Ok(Box::new(crate::SqliteStore::open_read_only(spec)?));
    }
    Ok(Box::new(crate::SqliteStore::open(spec)?))
}
