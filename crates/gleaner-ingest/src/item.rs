//! One item of a container input (a WARC record, a JSON Lines line, a feed
//! entry) → what `gleaner ingest` stores: a record, an error, or an address
//! kept for later.

use gleaner_read::{Item, PendingUrl, SourceKind};
use gleaner_record::{InputInfo, InputKind, Record};

use crate::page::{process_page, Page, NO_TEXT};

/// The container input an item came from, as the record and error rows name it.
#[derive(Debug, Clone, Copy)]
pub struct ItemSource<'a> {
    /// The input's path as the user gave it (becomes `input.path`).
    pub path: &'a str,
    /// What the input is: records from archives get `input.kind` `warc`, and
    /// a feed entry whose content has no text is kept as a pending address.
    pub kind: SourceKind,
    /// Run the analysis stage.
    pub analyse: bool,
}

/// A record that could not be made, with where it was in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFailure {
    /// Where the item's record starts (see `gleaner_read::RawPage::offset`).
    pub offset: u64,
    /// The WARC-Record-ID or URL of the bad record, when known.
    pub record: Option<String>,
    /// Short category: the reader's ("truncated", "bad gzip", "non-html", …)
    /// or the page's ("binary content", "empty input", …).
    pub category: &'static str,
    /// What went wrong, for people.
    pub reason: String,
}

/// What one item of a container input became.
#[derive(Debug)]
pub enum Outcome {
    /// A record.
    Record {
        /// The record.
        record: Box<Record>,
        /// Where its WARC record (or line, entry) starts.
        offset: u64,
    },
    /// The item could not be read or extracted.
    Error(ItemFailure),
    /// An address without content (feeds, sitemaps); never from a WARC.
    Pending(PendingUrl),
}

/// Runs one container item through the pipeline, as `gleaner ingest` does:
/// pages become records (or errors carrying the page's offset and its
/// WARC-Record-ID or URL), reader errors pass through. A feed entry whose
/// content yields no main text (an image, "…") becomes a pending address
/// when it has one: the article is at its address, not in the feed.
pub fn process_item(item: Item, source: &ItemSource<'_>) -> Outcome {
    match item {
        Item::Page(page) => {
            let kind = if source.kind.is_archive() {
                InputKind::Warc
            } else {
                InputKind::Html
            };
            let mut info = InputInfo::new(kind, source.path, page.bytes.len() as u64);
            info.warc_record_id = page.warc_record_id.clone();
            if source.kind.is_archive() {
                info.offset = Some(page.offset);
                info.payload_digest = page.payload_digest.clone();
            }
            let result = process_page(Page {
                bytes: &page.bytes,
                kind: page.kind,
                charset: page.charset.as_deref(),
                input: info,
                url: page.url.as_deref(),
                fetched_at: page.fetched_at.clone(),
                given_title: page.title.as_deref(),
                given_published: page.published.as_deref(),
                given_authors: &page.authors,
                analyse: source.analyse,
            });
            match result {
                Ok(done) => Outcome::Record {
                    record: Box::new(done.record),
                    offset: page.offset,
                },
                Err(f) if f.category == NO_TEXT && source.kind == SourceKind::Feed && page.url.is_some() => {
                    Outcome::Pending(PendingUrl {
                        url: page.url.unwrap_or_default(),
                        title: page.title,
                        date: page.published,
                        offset: page.offset,
                        next_offset: page.next_offset,
                    })
                }
                Err(f) => Outcome::Error(ItemFailure {
                    offset: page.offset,
                    record: page.warc_record_id.or(page.url),
                    category: f.category,
                    reason: f.message,
                }),
            }
        }
        Item::Pending(u) => Outcome::Pending(u),
        Item::Error(e) => Outcome::Error(ItemFailure {
            offset: e.offset,
            record: e.record,
            category: e.category,
            reason: e.reason,
        }),
    }
}
