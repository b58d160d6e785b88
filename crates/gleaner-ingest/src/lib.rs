//! Ingest: bytes → records → a store, for every front end.
//!
//! This crate composes the stages — read, extract, analyse, then dedup and
//! store — and is what the `gleaner` command line, the HTTP server's uploads,
//! the Python package and, through it, the Spark job call, so their records
//! cannot drift apart. The stages themselves live in their own crates; this
//! one owns only the composition:
//!
//! - [`process_page`], [`process`], [`process_bytes`]: one page → a record
//!   ([`Done`]) or a [`Failure`];
//! - [`process_item`]: one item of a container input (a WARC record, a JSON
//!   Lines line, a feed entry) → an [`Outcome`], exactly as ingest stores it;
//!   [`read_warc`]: a whole archive as outcomes, without a store;
//! - [`ingest`]: many inputs into a store — plan, resume, reader → workers →
//!   one ordered writer committing batches — then [`dedup_pass`];
//! - [`ordered_map`]: the one helper that runs work on several threads and
//!   hands results back in input order.
//!
//! ```
//! use gleaner_ingest::{ingest, IngestOptions, Silent};
//!
//! let dir = std::env::temp_dir().join(format!("gleaner-ingest-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let page = dir.join("harbour.html");
//! std::fs::write(&page, "<html><head><title>Harbour opens</title></head><body><article>\
//!     <p>The new harbour at Port Ellery opened on Monday after three years of work, the port authority said.</p>\
//!     <p>The first ferries will dock there in June.</p></article></body></html>").unwrap();
//!
//! let mut store = gleaner_store::open(dir.join("store.db").to_str().unwrap()).unwrap();
//! let inputs = [page.display().to_string()];
//! let summary = ingest(&mut *store, &inputs, &IngestOptions::default(), &mut Silent).unwrap();
//! assert_eq!((summary.pages, summary.new_records, summary.errors), (1, 1, 0));
//!
//! // A second run finds the input done and reads nothing.
//! let again = ingest(&mut *store, &inputs, &IngestOptions::default(), &mut Silent).unwrap();
//! assert_eq!((again.inputs_skipped, again.pages), (1, 0));
//! # drop(store);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
#![warn(missing_docs)]

mod dedup;
mod engine;
mod item;
mod page;
mod parallel;
mod warc;

pub use dedup::{dedup_pass, PassStats};
pub use engine::{
    ingest, ingest_appended, ingest_named, IngestError, IngestOptions, Progress, Silent, Summary, DEFAULT_BATCH,
};
pub use item::{process_item, ItemFailure, ItemSource, Outcome};
pub use page::{process, process_bytes, process_page, Done, Failure, Page};
pub use parallel::{all_cores, map_ordered, ordered_map, Workers};
pub use warc::{open_warc, read_warc, WarcRecords};
