//! A record as one flat row of strings: the columns of `gleaner export
//! --format csv|parquet` and of the Spark job's Parquet output, so every
//! tabular form of a record names and fills its fields the same way.
//!
//! Parquet files add one column, [`RECORD_COLUMN`]: the whole record as JSON,
//! so a table loses nothing the flat columns leave out. CSV goes without it
//! (spreadsheets cap a cell at 32,767 characters).

use crate::Record;

/// Column names, in order.
pub const COLUMNS: &[&str] = &[
    "id",
    "url",
    "urls",
    "canonical_url",
    "title",
    "authors",
    "published",
    "modified",
    "publisher",
    "language",
    "original_publisher",
    "fetched_at",
    "input_path",
    "warc_record_id",
    "text",
];

/// The whole record as JSON: the column Parquet files add after [`COLUMNS`].
pub const RECORD_COLUMN: &str = "record";

/// One record as column values (`None` is null). `urls` is every address the
/// record was seen at (a store knows several; a fresh record has its own).
pub fn row(record: &Record, urls: &[String]) -> Vec<Option<String>> {
    let r = record;
    let urls = if urls.is_empty() {
        r.url.iter().cloned().collect::<Vec<_>>()
    } else {
        urls.to_vec()
    };
    vec![
        Some(r.id.clone()),
        r.url.clone(),
        Some(urls.join(" ")),
        r.canonical_url.clone(),
        r.title.clone(),
        Some(r.authors.join("; ")),
        r.published.clone(),
        r.modified.clone(),
        r.publisher.clone(),
        r.language.clone(),
        r.syndication.as_ref().and_then(|s| s.original_publisher.clone()),
        r.fetched_at.clone(),
        Some(r.input.path.clone()),
        r.input.warc_record_id.clone(),
        Some(r.text.clone()),
    ]
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line
/// break (`\r` too, which a reader would otherwise take as a row end).
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// One CSV line (without its line end) of optional values; null is empty.
pub fn csv_line<'a>(values: impl IntoIterator<Item = Option<&'a str>>) -> String {
    values
        .into_iter()
        .map(|v| csv_field(v.unwrap_or("")))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InputInfo, InputKind};

    #[test]
    fn csv_quotes_what_would_split_a_row() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("carriage\rreturn"), "\"carriage\rreturn\"");
        assert_eq!(csv_line([Some("a"), None, Some("b,c")]), "a,,\"b,c\"");
    }

    #[test]
    fn a_row_has_one_value_per_column() {
        let mut r = Record::new(InputInfo::new(InputKind::Warc, "a.warc.gz", 10));
        r.set_text("Some text.".into());
        r.url = Some("https://example.org/a".into());
        r.input.warc_record_id = Some("<urn:uuid:1>".into());
        let row = row(&r, &[]);
        assert_eq!(row.len(), COLUMNS.len());
        let col = |name: &str| row[COLUMNS.iter().position(|c| *c == name).unwrap()].clone();
        assert_eq!(col("urls").as_deref(), Some("https://example.org/a"));
        assert_eq!(col("input_path").as_deref(), Some("a.warc.gz"));
        assert_eq!(col("warc_record_id").as_deref(), Some("<urn:uuid:1>"));
        assert_eq!(col("text").as_deref(), Some("Some text."));
    }
}
