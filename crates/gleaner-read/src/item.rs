//! What container inputs (WARC archives, JSON Lines, feeds, sitemaps) yield:
//! pages to extract, addresses to fetch later, and per-record errors.

use crate::DocKind;

/// One item read from a container input.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A page to extract.
    Page(RawPage),
    /// An address known but not fetched (a feed entry without content, a
    /// sitemap URL). Nothing is fetched from the network.
    Pending(PendingUrl),
    /// One record could not be read; the reader goes on with the next.
    Error(ItemError),
}

impl Item {
    /// Where the item starts in its input (see [`RawPage::offset`]).
    pub fn offset(&self) -> u64 {
        match self {
            Item::Page(p) => p.offset,
            Item::Pending(p) => p.offset,
            Item::Error(e) => e.offset,
        }
    }

    /// Where reading resumes after this item (see [`RawPage::next_offset`]).
    pub fn next_offset(&self) -> u64 {
        match self {
            Item::Page(p) => p.next_offset,
            Item::Pending(p) => p.next_offset,
            Item::Error(e) => e.next_offset,
        }
    }
}

/// A page's bytes with what the container says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawPage {
    /// The payload (for WARC: the HTTP entity body, de-chunked and decompressed
    /// per its Transfer-/Content-Encoding; for JSONL and feeds: the html or text).
    pub bytes: Vec<u8>,
    /// The page address (WARC-Target-URI, the JSONL `url`, the feed entry link).
    pub url: Option<String>,
    /// When it was fetched (WARC-Date), RFC 3339.
    pub fetched_at: Option<String>,
    /// The WARC-Record-ID, angle brackets included as in the archive.
    pub warc_record_id: Option<String>,
    /// The WARC-Payload-Digest the archive states for the record (`sha1:…`),
    /// as written; it is not checked here (`gleaner replay` checks it).
    pub payload_digest: Option<String>,
    /// Charset from the HTTP Content-Type header, lowercased, when given.
    pub charset: Option<String>,
    /// HTML or plain text, when the container says (JSONL `text`, HTTP
    /// Content-Type text/plain, JSON Feed content_text).
    pub kind: Option<DocKind>,
    /// Publication date the container gives (feed entry date), ISO 8601.
    /// It wins over a date extraction finds in the page.
    pub published: Option<String>,
    /// Title the container gives (feed entry title); wins over extraction's.
    pub title: Option<String>,
    /// Authors the container names (feed entry authors); win over extraction's.
    pub authors: Vec<String>,
    /// Byte offset in the input file where this item's record starts (for
    /// `.warc.gz`: the start of its gzip member; for JSONL: the line start).
    pub offset: u64,
    /// Byte offset where the next record starts: reading again from here
    /// yields exactly the items after this one. This is what resume stores.
    pub next_offset: u64,
}

/// An address to keep for later.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PendingUrl {
    /// The address.
    pub url: String,
    /// Title or date the feed/sitemap gives, if any.
    pub title: Option<String>,
    /// Last-modified / publication date given, ISO 8601.
    pub date: Option<String>,
    /// As in [`RawPage::offset`].
    pub offset: u64,
    /// As in [`RawPage::next_offset`].
    pub next_offset: u64,
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemError {
    /// As in [`RawPage::offset`].
    pub offset: u64,
    /// As in [`RawPage::next_offset`] (where reading goes on).
    pub next_offset: u64,
    /// The WARC-Record-ID or URL of the bad record, when known.
    pub record: Option<String>,
    /// Short category for summaries: "truncated", "bad length", "non-html",
    /// "too large", "bad record", "bad json", …
    pub category: &'static str,
    /// What went wrong, for people.
    pub reason: String,
}
