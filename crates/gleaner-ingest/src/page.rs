//! One page through the stages: decode → extract → analyse → record.

use gleaner_extract::{Article, PageKind};
use gleaner_read::{
    decode_with_hint, read_bytes, read_input, rfc3339_utc, sniff_kind, DocKind, Input, ReadError, ReadLimits,
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
            ReadError::Unsupported(_) => "unsupported input",
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
    /// Title, date and authors the container (a feed entry) states for the
    /// page: they win over what extraction finds, which only fills the
    /// fields the container leaves out.
    pub given_title: Option<&'a str>,
    /// See `given_title`.
    pub given_published: Option<&'a str>,
    /// See `given_title` (empty: none given).
    pub given_authors: &'a [String],
    /// Run the analysis stage (entities, times, quantities, quotes).
    pub analyse: bool,
}

/// The category of the failure for a page whose main text is empty.
pub const NO_TEXT: &str = "no main text";

/// Runs one page through decode and extract into a record.
///
/// A page whose main text has no letters or digits gives no record but a
/// [`NO_TEXT`] failure: a record's id is the hash of its normalised text, so
/// every such page would get the same id and unrelated pages would merge
/// into one record (`docs/record-v1.md`, "Record identity").
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
    let text = article.text();
    // Normalised text is empty exactly when no character is a letter or digit.
    if !text.chars().any(char::is_alphanumeric) {
        return Err(Failure {
            category: NO_TEXT,
            message: "no main text: nothing in the page reads as an article (a record's id is its text)".into(),
        });
    }
    let mut record = Record::new(info);
    // The id is set once the address and title are known (`page_id` below).
    record.text = text;
    let meta = &article.meta;
    record.url = page.url.map(str::to_string).or_else(|| meta.canonical_url.clone());
    record.canonical_url = meta.canonical_url.clone();
    record.fetched_at = page.fetched_at;
    record.title = page.given_title.map(str::to_string).or_else(|| meta.title.clone());
    record.authors = if page.given_authors.is_empty() {
        meta.authors.clone()
    } else {
        page.given_authors.to_vec()
    };
    record.published = page
        .given_published
        .map(str::to_string)
        .or_else(|| meta.published.clone());
    // Short texts are told apart by the page they are on (see `page_id`).
    record.id = gleaner_record::page_id(&record.text, record.url.as_deref(), record.title.as_deref());
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
        given_title: None,
        given_published: None,
        given_authors: &[],
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
        given_title: None,
        given_published: None,
        given_authors: &[],
        analyse,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
