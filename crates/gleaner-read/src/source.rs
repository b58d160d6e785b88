//! Opens one ingest input, by its kind, as a stream of items from a resume
//! offset: page files, WARC archives, JSON Lines, feeds and sitemaps.

use crate::{read_input, Input, Item, ItemError, RawPage, ReadError, ReadLimits};

/// What an input holds, by its name (and, for XML/JSON, its first bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// One page (HTML or text).
    Page,
    /// A WARC archive.
    Warc,
    /// JSON Lines of `{url, html}` / `{url, text}`.
    Jsonl,
    /// An RSS, Atom or JSON feed, or a sitemap (told apart by content).
    FeedOrSitemap,
}

/// The kind of an input by its name.
pub fn kind_of(input: &Input) -> SourceKind {
    let Input::File { path, .. } = input else {
        return SourceKind::Page;
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".warc") || name.ends_with(".arc") {
        SourceKind::Warc
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        SourceKind::Jsonl
    } else if [".xml", ".rss", ".atom", ".json"].iter().any(|e| name.ends_with(e)) {
        SourceKind::FeedOrSitemap
    } else {
        SourceKind::Page
    }
}

/// A stream of items from `start` on.
pub type Items = Box<dyn Iterator<Item = Item> + Send>;

/// Opens an input for ingest, positioned at `start` (a `next_offset` the
/// store committed earlier; 0 for a fresh input).
pub fn open_items(input: &Input, start: u64, limits: ReadLimits) -> Result<Items, ReadError> {
    if let Input::File { path, .. } = input {
        // Archive readers yield nothing for an empty file; say why instead.
        if std::fs::metadata(path)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    ReadError::NotFound
                } else {
                    ReadError::Io(e)
                }
            })?
            .len()
            == 0
        {
            return Err(ReadError::Empty);
        }
    }
    match (kind_of(input), input) {
        (SourceKind::Warc, Input::File { path, .. }) => Ok(Box::new(crate::WarcReader::open(path, start, limits)?)),
        (SourceKind::Jsonl, Input::File { path, .. }) => Ok(Box::new(crate::read_jsonl(path, start, limits)?)),
        (SourceKind::FeedOrSitemap, Input::File { .. }) => feed_or_sitemap(input, start, limits),
        _ => page_file(input, start, limits),
    }
}

/// A single page is one item: offset 0, and 1 once it is committed.
fn page_file(input: &Input, start: u64, limits: ReadLimits) -> Result<Items, ReadError> {
    if start >= 1 {
        return Ok(Box::new(std::iter::empty()));
    }
    let doc = read_input(input, limits)?;
    let page = RawPage {
        bytes: doc.bytes,
        kind: doc.name_kind,
        fetched_at: doc.modified.map(crate::rfc3339_utc),
        offset: 0,
        next_offset: 1,
        ..RawPage::default()
    };
    Ok(Box::new(std::iter::once(Item::Page(page))))
}

/// Feeds and sitemaps are small and read whole; their offsets are entry
/// indexes, so resuming skips the entries already committed.
fn feed_or_sitemap(input: &Input, start: u64, limits: ReadLimits) -> Result<Items, ReadError> {
    let doc = read_input(input, limits)?;
    let head = &doc.bytes[..doc.bytes.len().min(8192)];
    let items = match crate::sniff_container(head) {
        Some(crate::ContainerKind::Sitemap) => crate::read_sitemap(&doc.bytes)?,
        Some(_) => crate::read_feed(&doc.bytes)?,
        // An .xml/.json file that is neither: treat it as one page.
        None => return page_file(input, start, limits),
    };
    if items.is_empty() {
        return Ok(Box::new(std::iter::once(Item::Error(ItemError {
            offset: 0,
            next_offset: 1,
            record: None,
            category: "empty feed",
            reason: "no entries found".into(),
        }))));
    }
    Ok(Box::new(items.into_iter().filter(move |i| i.offset() >= start)))
}
