//! Opens one ingest input as a stream of items from a resume offset: the
//! input's kind is decided from its bytes ([`crate::sniff`]), then the reader
//! for that kind takes it.

use std::io::Cursor;

use crate::sniff::{sniff_bytes, sniff_file};
use crate::{read_input, Input, Item, RawPage, ReadError, ReadLimits, SourceKind};

/// A stream of items from `start` on.
pub type Items = Box<dyn Iterator<Item = Item> + Send>;

/// An input opened for ingest: what it is, and its items.
pub struct Opened {
    /// What the input's bytes say it is.
    pub kind: SourceKind,
    /// Its items from the offset it was opened at.
    pub items: Items,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Opens an input for ingest, positioned at `start` (a `next_offset` the
/// store committed earlier; 0 for a fresh input). The kind comes from the
/// first bytes, so it is the same on every run over an unchanged file, and
/// resuming reads offsets as the first run wrote them.
///
/// Feeds, sitemaps and lists with no entries yield no items (not an error:
/// the caller can tell the user the input was empty from `kind`).
pub fn open_items(input: &Input, start: u64, limits: ReadLimits) -> Result<Opened, ReadError> {
    match input {
        Input::File { path, .. } => {
            // Archive readers yield nothing for an empty file; say why instead.
            if std::fs::metadata(path)
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => ReadError::NotFound,
                    _ => ReadError::Io(e),
                })?
                .len()
                == 0
            {
                return Err(ReadError::Empty);
            }
            let kind = sniff_file(path)?;
            let items: Items = match kind {
                SourceKind::Warc | SourceKind::Arc => Box::new(crate::WarcReader::open(path, start, limits)?),
                SourceKind::Jsonl => Box::new(crate::read_jsonl(path, start, limits)?),
                _ => {
                    let doc = read_input(input, limits)?;
                    whole(kind, doc, start)?
                }
            };
            Ok(Opened { kind, items })
        }
        Input::Stdin => {
            // Standard input cannot be read twice: it is read whole, under
            // the limit, and each reader takes it from memory.
            let doc = read_input(input, limits)?;
            let kind = sniff_bytes(input, &doc.bytes)?;
            let items: Items = match kind {
                SourceKind::Warc | SourceKind::Arc => {
                    Box::new(crate::WarcReader::from_reader(Cursor::new(doc.bytes), start, limits)?)
                }
                SourceKind::Jsonl => Box::new(crate::jsonl::jsonl_from_bytes(doc.bytes, start, limits)?),
                _ => whole(kind, doc, start)?,
            };
            Ok(Opened { kind, items })
        }
    }
}

/// Inputs read whole: a page is one item (offset 0, and 1 once committed);
/// feeds, sitemaps and lists are small, and their offsets are entry indexes,
/// so resuming skips the entries already committed.
fn whole(kind: SourceKind, doc: crate::Document, start: u64) -> Result<Items, ReadError> {
    let items = match kind {
        SourceKind::Feed => crate::read_feed(&doc.bytes)?,
        SourceKind::Sitemap => crate::read_sitemap(&doc.bytes)?,
        SourceKind::UrlList => crate::lists::read_url_list(&doc.bytes),
        SourceKind::Robots => crate::lists::read_robots(&doc.bytes),
        _ => {
            if start >= 1 {
                return Ok(Box::new(std::iter::empty()));
            }
            let page = RawPage {
                bytes: doc.bytes,
                kind: doc.name_kind,
                fetched_at: doc.modified.map(crate::rfc3339_utc),
                offset: 0,
                next_offset: 1,
                ..RawPage::default()
            };
            return Ok(Box::new(std::iter::once(Item::Page(page))));
        }
    };
    Ok(Box::new(items.into_iter().filter(move |i| i.offset() >= start)))
}
