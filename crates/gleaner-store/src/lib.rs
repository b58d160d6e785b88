//! The store stage: where records live after a run.
//!
//! This crate owns persistence: records (the full JSON plus indexed columns),
//! every address a record was seen at, full-text search over title and text,
//! the inputs seen with the byte offset reached (the resume point), the
//! errors met, addresses kept for later, and what the dedup-and-merge pass
//! derives (signatures, clusters, merged events). Two backends: [`SqliteStore`],
//! embedded (one file, WAL mode, FTS5), and [`PgStore`], one PostgreSQL
//! database shared by several processes (`tsvector` search, the default
//! `postgres` feature). [`open`] picks one from the `--db` spec: a path, or a
//! `postgres://` URL.
//!
//! The interface is split by role ([`WriteStore`] for ingest,
//! [`DedupStore`] for the dedup pass, [`QueryStore`] for everything a user
//! sees; [`Store`] is all three), and [`query`] holds the vocabulary of
//! queries that the command line and the HTTP API share.
//!
//! ```
//! use gleaner_record::{InputInfo, InputKind, Record};
//! use gleaner_store::{Batch, QueryStore, SearchQuery, WriteStore};
//!
//! let dir = std::env::temp_dir().join(format!("gleaner-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let mut store = gleaner_store::open(dir.join("doc.db").to_str().unwrap()).unwrap();
//!
//! let mut record = Record::new(InputInfo::new(InputKind::Html, "a.html", 100));
//! record.set_text("Ferries to the south bank stopped on Thursday.".into());
//! record.url = Some("https://example.org/ferries".into());
//! let batch = Batch { records: vec![record.clone().into()], ..Batch::default() };
//! assert_eq!(store.commit(&batch).unwrap().new_records, 1);
//! assert_eq!(store.commit(&batch).unwrap().known_records, 1); // same text, stored once
//!
//! let hits = store.search(&SearchQuery { text: Some("ferries".into()), limit: 10, ..SearchQuery::default() }).unwrap();
//! assert_eq!(hits[0].id, record.id);
//! # drop(store);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
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

mod model;
#[cfg(feature = "postgres")]
mod postgres;
pub mod query;
mod rules;
mod sqlite;
mod traits;
pub mod watch;

#[cfg(feature = "postgres")]
pub use crate::postgres::PgStore;
pub use model::*;
pub use query::{EventFilter, Facet, PlaceFilter, SearchQuery, SortOrder};
pub use sqlite::SqliteStore;
pub use traits::{for_each_record, DedupStore, FacetCounts, Interrupter, QueryStore, Store, WriteStore};
pub use watch::{open_watch, WatchStore};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database reported an error.
    #[error("database: {0}")]
    Backend(BackendError),
    /// The search text cannot be searched (no words, too many, too long).
    #[error("{0}")]
    Search(#[from] query::SearchTextError),
    /// The query was stopped: it ran past its time bound, or its client went away.
    #[error("the query was stopped (it ran longer than allowed, or its client went away)")]
    Interrupted,
    /// A file beside the store (its lock file) could not be used.
    #[error("{0}")]
    Io(#[from] std::io::Error),
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
    /// The store was written by an older Gleaner and must be upgraded first,
    /// which a read-only open cannot do.
    #[error("store schema version {found} is older than this gleaner's ({supported}); open it once for writing (e.g. `gleaner ingest`) to upgrade it")]
    TooOld {
        /// Version in the file.
        found: i64,
        /// Version this build uses.
        supported: i64,
    },
    /// The store's file is damaged; nothing is written into it.
    #[error("the store is damaged ({0}); restore it from a backup, or recover it with `sqlite3 FILE .recover`")]
    Damaged(String),
    /// The store address names a backend this build does not have.
    #[error("unsupported store {0:?} (give a file path for SQLite, or postgres://user@host/db)")]
    Unsupported(String),
    /// A database server could not be reached (the address is shown without its password).
    #[error("cannot connect to PostgreSQL at {address}: {}", root_cause(source))]
    Connect {
        /// user@host:port/db, never the password.
        address: String,
        /// What the client reported.
        source: BackendError,
    },
}

/// An error of the database behind a store, whichever backend it is: its
/// message and its cause, without the backend's own error type in this
/// crate's interface.
#[derive(Debug)]
pub struct BackendError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl BackendError {
    fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        BackendError(Box::new(e))
    }

    /// The backend's own error, for a backend to inspect its codes.
    fn inner(&self) -> &(dyn std::error::Error + 'static) {
        &*self.0
    }
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted) {
            return StoreError::Interrupted;
        }
        StoreError::Backend(BackendError::new(e))
    }
}

#[cfg(feature = "postgres")]
impl From<::postgres::Error> for StoreError {
    fn from(e: ::postgres::Error) -> Self {
        if e.code() == Some(&::postgres::error::SqlState::QUERY_CANCELED) {
            return StoreError::Interrupted;
        }
        StoreError::Backend(BackendError::new(e))
    }
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
fn root_cause(e: &BackendError) -> String {
    let mut e: &(dyn std::error::Error + 'static) = e.inner();
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}

/// Opens the store named by `spec` for reading only (the query commands and
/// the server): an SQLite file that can be read from read-only media, or a
/// PostgreSQL database.
pub fn open_read_only(spec: &str) -> Result<Box<dyn Store>, StoreError> {
    #[cfg(feature = "postgres")]
    if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
        return Ok(Box::new(PgStore::open(spec)?));
    }
    if spec.contains("://") {
        return Err(StoreError::Unsupported(redact(spec)));
    }
    Ok(Box::new(SqliteStore::open_read_only(spec)?))
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
