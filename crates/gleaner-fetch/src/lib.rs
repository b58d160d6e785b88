//! Fetching: the one part of Gleaner that talks to the network.
//!
//! This crate owns three things, and nothing else:
//!
//! - a **polite, safe HTTP client** ([`Client`]): robots.txt obeyed and
//!   cached per origin ([`robots`]), one request at a time per host with
//!   request starts spaced by an interval and a global cap on requests in
//!   flight ([`gate`]), conditional requests for sources, retries with
//!   backoff on 429/503 honouring `Retry-After`, timeouts, redirects
//!   followed one hop at a time with a limit (loops refused), bodies read
//!   under a size limit, Content-Types checked, gzip/br decoded for the
//!   documents it reads itself, a User-Agent naming Gleaner and a contact,
//!   and addresses resolving to private or loopback networks refused unless
//!   allowed;
//! - the **evidence** ([`warc`]): every request and response as WARC/1.1
//!   records with block and payload digests in rotating `.warc.gz` files;
//! - the **watch round** ([`watch`]): sources checked, their new entries
//!   kept as pending addresses, due addresses fetched and archived, and the
//!   archive ingested through `gleaner-ingest` exactly as `gleaner ingest`
//!   would, crash-safe through the store ([`gleaner_store::watch`]).
//!
//! Reading feeds and sitemaps is `gleaner-read`'s; making records is
//! `gleaner-ingest`'s. The command line (`gleaner watch`, `gleaner
//! fetch-pending`, `gleaner replay`) is `gleaner-cli`'s.
#![warn(missing_docs)]

pub mod alerts;
pub mod client;
pub mod gate;
pub mod replay;
pub mod robots;
pub mod sources;
pub mod warc;
pub mod watch;

pub use alerts::parse_saved;
pub use client::{is_private, Client, Exchange, Fetch, FetchError, FetchOptions, Final, Response, Role, Validators};
pub use replay::{read_record_at, Archived};
pub use sources::{listing, sources_from_args, Listing, Source};
pub use warc::{sha1_digest, WarcWriter, DEFAULT_WARC_MAX_BYTES};
pub use watch::{Event, RoundReport, Watch, WatchError, WatchOptions};
