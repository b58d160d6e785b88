//! One input through the stages: read → decode → extract → record.

use gleaner_extract::{Article, PageKind};
use gleaner_read::{decode, read_input, rfc3339_utc, sniff_kind, DocKind, Input, ReadError, ReadLimits};
use gleaner_record::{InputInfo, InputKind, Record};

/// A finished input: its record and the article it came from (for text and
/// Markdown output).
pub struct Done {
    pub record: Record,
    pub article: Article,
}

/// Why an input failed, ready to report.
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
        Failure { category, message: e.to_string() }
    }
}

/// Runs one input through the pipeline.
pub fn process(input: &Input, limits: ReadLimits, url: Option<&str>) -> Result<Done, Failure> {
    let doc = read_input(input, limits)?;
    let decoded = decode(&doc.bytes);
    let kind = sniff_kind(&decoded.text, doc.name_kind)?;
    let page_kind = match kind {
        DocKind::Html => PageKind::Html,
        DocKind::Text => PageKind::Text,
    };
    let article = gleaner_extract::extract(&decoded.text, page_kind, url);
    let input_kind = match kind {
        DocKind::Html => InputKind::Html,
        DocKind::Text => InputKind::Text,
    };
    let mut record = Record::new(InputInfo::new(input_kind, input.display(), doc.bytes.len() as u64));
    record.set_text(article.text());
    let meta = &article.meta;
    record.url = url.map(str::to_string).or_else(|| meta.canonical_url.clone());
    record.canonical_url = meta.canonical_url.clone();
    record.fetched_at = doc.modified.map(rfc3339_utc);
    record.title = meta.title.clone();
    record.authors = meta.authors.clone();
    record.published = meta.published.clone();
    record.modified = meta.modified.clone();
    record.publisher = meta.publisher.clone();
    record.language = meta.language.clone();
    record.removed = article.removed.clone();
    record.syndication = article.syndication.clone();
    Ok(Done { record, article })
}
