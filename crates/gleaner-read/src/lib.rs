//! The read stage: from what the user named to decoded documents.
//!
//! This crate owns everything between a path on the command line and a Rust
//! `String` holding a page: walking directories ([`discover`]), reading files and
//! standard input under a size limit ([`read_input`]), gzip decompression (with
//! truncation and decompression bombs detected), deciding whether the bytes are
//! HTML, plain text or binary junk, and charset detection and decoding
//! ([`decode`]). Every ingest input's kind — page, WARC or ARC archive, JSON
//! Lines, feed, sitemap, text sitemap, robots.txt — is decided from its first
//! bytes ([`sniff`]), the name being only a hint, and the input is opened by
//! that kind ([`open_items`]) as a stream of [`Item`]s with resume offsets.
//! It knows nothing about what a page means; the extract stage does.
//!
//! Every failure is a typed [`ReadError`] for that one input, never a panic, so a
//! run over many inputs can report it and go on.
#![warn(missing_docs)]

mod charset;
mod feeds;
mod input;
mod item;
mod jsonl;
mod lists;
mod sitemap;
mod sniff;
mod source;
mod time;
pub mod warc;

pub use charset::{decode, decode_with_hint, Decoded};
pub use feeds::read_feed;
pub use input::{
    discover, discover_with, name_has_extension, read_bytes, read_input, sniff_kind, DocKind, Document, Input,
    ReadError, ReadLimits, DEFAULT_MAX_BYTES, INGEST_EXTENSIONS, PAGE_EXTENSIONS,
};
pub use item::{Item, ItemError, PendingUrl, RawPage};
pub use jsonl::{read_jsonl, JsonlReader};
pub use lists::{read_robots, read_url_list};
pub use sitemap::read_sitemap;
pub use sniff::{read_head, sniff, sniff_file, SourceKind, SNIFF_BYTES};
pub use source::{open_items, Items, Opened};
pub use time::rfc3339_utc;
pub use warc::WarcReader;
