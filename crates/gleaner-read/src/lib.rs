//! The read stage: from what the user named to decoded documents.
//!
//! This crate owns everything between a path on the command line and a Rust
//! `String` holding a page: walking directories ([`discover`]), reading files and
//! standard input under a size limit ([`read_input`]), gzip decompression (with
//! truncation and decompression bombs detected), deciding whether the bytes are
//! HTML, plain text or binary junk, and charset detection and decoding
//! ([`decode`]). Container inputs — WARC archives, JSON Lines, feeds and
//! sitemaps — are opened by kind ([`open_items`]) as streams of [`Item`]s
//! with resume offsets. It knows nothing about what a page means; the
//! extract stage does.
//!
//! Every failure is a typed [`ReadError`] for that one input, never a panic, so a
//! run over many inputs can report it and go on.
#![warn(missing_docs)]

mod charset;
mod feeds;
mod input;
mod item;
mod jsonl;
mod sitemap;
mod source;
mod time;
pub mod warc;

pub use charset::{decode, decode_with_hint, Decoded};
pub use feeds::{read_feed, sniff_container, ContainerKind};
pub use input::{
    discover, discover_with, name_has_extension, read_bytes, read_input, sniff_kind, DocKind, Document, Input,
    ReadError, ReadLimits, DEFAULT_MAX_BYTES, INGEST_EXTENSIONS, PAGE_EXTENSIONS,
};
pub use item::{Item, ItemError, PendingUrl, RawPage};
pub use jsonl::{read_jsonl, JsonlReader};
pub use sitemap::read_sitemap;
pub use source::{kind_of, open_items, Items, SourceKind};
pub use time::rfc3339_utc;
pub use warc::WarcReader;
