//! The pipeline for one page or one WARC: read → extract → analyse, composed.
//!
//! Every front end that turns bytes into `gleaner.record/1` records goes
//! through this crate, so they cannot drift apart: the `gleaner` CLI
//! (`extract` and `ingest`), the Python package (`crates/gleaner-py`) and,
//! through it, the Spark job. It holds no state and does no I/O beyond reading
//! the one file it is given; stores, dedup and parallelism across many inputs
//! are the callers' business (see [`map_ordered`] for the one helper they share).
//!
//! - [`process_page`]: a page's bytes with what is known about it ([`Page`]) →
//!   a [`Done`] (record plus article) or a [`Failure`].
//! - [`process`] and [`process_bytes`]: a file (or stdin), or bytes in memory,
//!   read like `gleaner extract` reads them, then [`process_page`].
//! - [`process_item`]: one item of a container input (a WARC record, a JSONL
//!   line, a feed entry) → an [`Outcome`], exactly as `gleaner ingest` stores it.
//! - [`read_warc`]: a WARC archive as a stream of [`Outcome`]s.
#![warn(missing_docs)]

use std::path::Path;

use gleaner_extract::{Article, PageKind};
use gleaner_read::{
    decode_with_hint, read_bytes, read_input, rfc3339_utc, sniff_kind, DocKind, Input, Item, PendingUrl, ReadError,
    ReadLimits, WarcReader,
};
use gleaner_record::{InputInfo, InputKind, Record};

/// A finished page: its record and the article it came from (for text and
/// Markdown output).
pub struct Done {
    /// The record, as the CLI prints it.
    pub record: Record,
    /// The extracted article (its text and Markdown renderings).
    pub article: Article,
}

/// Why an input or a record failed, ready to report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// Short category for the summary ("empty input", "binary content", …).
    pub category: &'static str,
    /// Full message.
    pub message: String,
}

impl From<ReadError> for Failure {
    fn from(e: ReadError) -> Self {
        let category = match &e {
            ReadError::Io(_) => "unreadable",
            ReadError::Empty => "empty input",
            ReadError::TooLarge { .. } => "over --max-bytes",
            ReadError::BadGzip(_) => "bad gzip",
            ReadError::Binary(_) => "binary content",
            ReadError::NotFound => "not found",
            _ => "unreadable",
        };
        Failure {
            category,
            message: e.to_string(),
        }
    }
}

/// A page's bytes and what is known about it from outside the page.
pub struct Page<'a> {
    /// Raw (decompressed) bytes.
    pub bytes: &'a [u8],
    /// HTML or text, when the name or the container says.
    pub kind: Option<DocKind>,
    /// Charset from an HTTP header.
    pub charset: Option<&'a str>,
    /// Where it came from.
    pub input: InputInfo,
    /// Its address.
    pub url: Option<&'a str>,
    /// When it was fetched (RFC 3339).
    pub fetched_at: Option<String>,
    /// Title and date a feed gave for it, used when the page has none.
    pub title_hint: Option<&'a str>,
    /// See `title_hint`.
    pub published_hint: Option<&'a str>,
    /// Run the analysis stage (entities, times, quantities, quotes).
    pub analyse: bool,
}

/// Runs one page through decode and extract into a record.
pub fn process_page(page: Page<'_>) -> Result<Done, Failure> {
    if page.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty.into());
    }
    let decoded = decode_with_hint(page.bytes, page.charset);
    let kind = sniff_kind(&decoded.text, page.kind)?;
    let (page_kind, input_kind) = match kind {
        DocKind::Html => (PageKind::Html, InputKind::Html),
        DocKind::Text => (PageKind::Text, InputKind::Text),
    };
    let article = gleaner_extract::extract(&decoded.text, page_kind, page.url);
    let mut info = page.input;
    if info.kind != InputKind::Warc {
        info.kind = input_kind;
    }
    let mut record = Record::new(info);
    record.set_text(article.text());
    let meta = &article.meta;
    record.url = page.url.map(str::to_string).or_else(|| meta.canonical_url.clone());
    record.canonical_url = meta.canonical_url.clone();
    record.fetched_at = page.fetched_at;
    record.title = meta.title.clone().or_else(|| page.title_hint.map(str::to_string));
    record.authors = meta.authors.clone();
    record.published = meta
        .published
        .clone()
        .or_else(|| page.published_hint.map(str::to_string));
    record.modified = meta.modified.clone();
    record.publisher = meta.publisher.clone();
    record.language = meta.language.clone();
    record.removed = article.removed.clone();
    record.syndication = article.syndication.clone();
    if page.analyse {
        gleaner_analyse::analyse_record(&mut record);
    }
    Ok(Done { record, article })
}

/// Reads one page file (or stdin) and runs it through the pipeline.
pub fn process(input: &Input, limits: ReadLimits, url: Option<&str>, analyse: bool) -> Result<Done, Failure> {
    let doc = read_input(input, limits)?;
    process_page(Page {
        bytes: &doc.bytes,
        kind: doc.name_kind,
        charset: None,
        input: InputInfo::new(InputKind::Html, input.display(), doc.bytes.len() as u64),
        url,
        fetched_at: doc.modified.map(rfc3339_utc),
        title_hint: None,
        published_hint: None,
        analyse,
    })
}

/// Runs a page held in memory through the pipeline, read as `gleaner extract`
/// reads standard input (gzip undone, size limit, empty check; HTML or text
/// sniffed). `source` becomes `input.path` (the CLI writes `-` for stdin), so
/// the record equals `gleaner extract [--url URL] - < page` field for field.
///
/// `charset` is a charset the caller knows (as an HTTP header would give it):
/// a caller that had text, not bytes, passes `utf-8` so that a `<meta>`
/// declaration left in already-decoded markup cannot re-decode it.
pub fn process_bytes(
    bytes: Vec<u8>,
    source: &str,
    url: Option<&str>,
    charset: Option<&str>,
    limits: ReadLimits,
    analyse: bool,
) -> Result<Done, Failure> {
    let doc = read_bytes(bytes, limits)?;
    process_page(Page {
        bytes: &doc.bytes,
        kind: None,
        charset,
        input: InputInfo::new(InputKind::Html, source, doc.bytes.len() as u64),
        url,
        fetched_at: None,
        title_hint: None,
        published_hint: None,
        analyse,
    })
}

/// The container input an item came from, as the record and error rows name it.
#[derive(Debug, Clone, Copy)]
pub struct ItemSource<'a> {
    /// The input's path as the user gave it (becomes `input.path`).
    pub path: &'a str,
    /// Whether the input is a WARC archive (records get `input.kind` `warc`).
    pub warc: bool,
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
/// WARC-Record-ID or URL), reader errors pass through.
pub fn process_item(item: Item, source: &ItemSource<'_>) -> Outcome {
    match item {
        Item::Page(page) => {
            let kind = if source.warc { InputKind::Warc } else { InputKind::Html };
            let mut info = InputInfo::new(kind, source.path, page.bytes.len() as u64);
            info.warc_record_id = page.warc_record_id.clone();
            let result = process_page(Page {
                bytes: &page.bytes,
                kind: page.kind,
                charset: page.charset.as_deref(),
                input: info,
                url: page.url.as_deref(),
                fetched_at: page.fetched_at.clone(),
                title_hint: page.title.as_deref(),
                published_hint: page.published.as_deref(),
                analyse: source.analyse,
            });
            match result {
                Ok(done) => Outcome::Record {
                    record: Box::new(done.record),
                    offset: page.offset,
                },
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

/// Opens a WARC archive (`.warc` or `.warc.gz`, gzip by magic bytes) for
/// [`WarcRecords`]. An empty file is an error ([`ReadError::Empty`]), as in
/// `gleaner ingest`, rather than an archive with nothing in it.
pub fn open_warc(path: &Path, limits: ReadLimits) -> Result<WarcReader, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if meta.len() == 0 {
        return Err(ReadError::Empty);
    }
    WarcReader::open(path, 0, limits)
}

/// A WARC archive as records and error rows, in archive order, one item at a
/// time on the calling thread. `source` becomes `input.path` of every record.
pub struct WarcRecords {
    reader: WarcReader,
    source: String,
    analyse: bool,
}

impl WarcRecords {
    /// The next raw item, unprocessed: for callers that extract items on
    /// several threads (see [`map_ordered`]) and call [`process_item`] there.
    pub fn next_item(&mut self) -> Option<Item> {
        self.reader.next()
    }

    /// How items of this archive are named in records and errors.
    pub fn source(&self) -> ItemSource<'_> {
        ItemSource {
            path: &self.source,
            warc: true,
            analyse: self.analyse,
        }
    }
}

impl Iterator for WarcRecords {
    type Item = Outcome;

    fn next(&mut self) -> Option<Outcome> {
        let item = self.reader.next()?;
        Some(process_item(item, &self.source()))
    }
}

/// Opens `path` as a stream of [`Outcome`]s; `source` is the name records
/// carry as `input.path` (the CLI uses the path as given on its command line).
pub fn read_warc(path: &Path, source: &str, limits: ReadLimits, analyse: bool) -> Result<WarcRecords, ReadError> {
    Ok(WarcRecords {
        reader: open_warc(path, limits)?,
        source: source.to_string(),
        analyse,
    })
}

/// Applies `f` to every element of `items` on up to `jobs` threads and
/// returns the results in input order. Work is handed out one element at a
/// time, so a slow page does not hold up a whole share. With `jobs <= 1` (or
/// one element) it runs on the calling thread.
pub fn map_ordered<T, R, F>(items: Vec<T>, jobs: usize, f: F) -> Vec<R>
where
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
{
    let n = items.len();
    if jobs <= 1 || n <= 1 {
        return items.into_iter().map(f).collect();
    }
    // Each slot is taken by exactly one worker (the shared counter hands out
    // indexes), so the mutexes are never contended; they only make the
    // hand-over safe without unsafe code.
    let inputs: Vec<std::sync::Mutex<Option<T>>> = items.into_iter().map(|t| std::sync::Mutex::new(Some(t))).collect();
    let outputs: Vec<std::sync::Mutex<Option<R>>> = (0..n).map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.min(n) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let item = inputs[i]
                    .lock()
                    .map(|mut g| g.take())
                    .unwrap_or_else(|p| p.into_inner().take());
                if let Some(item) = item {
                    let r = f(item);
                    match outputs[i].lock() {
                        Ok(mut g) => *g = Some(r),
                        Err(p) => *p.into_inner() = Some(r),
                    }
                }
            });
        }
    });
    outputs
        .into_iter()
        .filter_map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_ordered_keeps_input_order_on_many_threads() {
        let items: Vec<u64> = (0..200).collect();
        // Later items finish first, so order can only come from the slots.
        let out = map_ordered(items, 4, |i| {
            std::thread::sleep(std::time::Duration::from_micros(200 - i));
            i * 2
        });
        assert_eq!(out, (0..200).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn bytes_equal_a_page_read_from_a_file() {
        let html = b"<html><head><title>Harbour opens</title></head><body><article><p>The new harbour opened on Monday after three years of work, the port authority said in a statement.</p><p>Ships will dock from June.</p></article></body></html>".to_vec();
        let done = match process_bytes(
            html,
            "-",
            Some("https://example.org/a"),
            None,
            ReadLimits::default(),
            true,
        ) {
            Ok(d) => d,
            Err(f) => panic!("page failed: {f}"),
        };
        assert_eq!(done.record.input.path, "-");
        assert_eq!(done.record.input.kind, InputKind::Html);
        assert_eq!(done.record.url.as_deref(), Some("https://example.org/a"));
        assert!(done.record.text.contains("Ships will dock"));
    }

    #[test]
    fn binary_bytes_are_a_failure_not_a_record() {
        let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
        let err = process_bytes(junk, "-", None, None, ReadLimits::default(), false).err();
        assert_eq!(err.map(|f| f.category), Some("binary content"));
    }
}
