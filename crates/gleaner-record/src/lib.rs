//! The article record: the one data type every Gleaner stage passes on.
//!
//! This crate owns the output contract `gleaner.record/1` (see `docs/record-v1.md`):
//! the [`Record`] struct and its parts, their JSON shape, the content-derived
//! record id, and the record as one flat row ([`flat`]: the columns of CSV and
//! Parquet exports). It has no behaviour beyond that, so every stage (read, extract,
//! analyse, dedup, store, serve) can depend on it without depending on each other.
//!
//! ```
//! use gleaner_record::{Record, InputInfo, InputKind};
//! let mut r = Record::new(InputInfo::new(InputKind::Text, "a.txt", 5));
//! r.set_text("Hello world.".into());
//! assert_eq!(r.id.len(), 16);
//! assert!(serde_json::to_string(&r).unwrap().starts_with("{\"schema\":\"gleaner.record/1\""));
//! ```
#![warn(missing_docs)]

pub mod atom;
pub mod civil;
pub mod flat;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The value of the `schema` field of every record.
pub const SCHEMA: &str = "gleaner.record/1";

/// One article: where it came from, its metadata, its main text and what was cut.
///
/// Fields that could not be determined are `None` / empty, never invented.
/// Offsets in the analysis fields are character (Unicode scalar) offsets into `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// First 16 hex digits of the SHA-256 of the normalised text (see [`record_id`]).
    pub id: String,
    /// The page address, if known.
    pub url: Option<String>,
    /// The page's own statement of its address (`<link rel=canonical>`, `og:url`).
    pub canonical_url: Option<String>,
    /// When the page was fetched (WARC-Date) or the file's mtime, RFC 3339.
    pub fetched_at: Option<String>,
    /// Where the record was read from.
    pub input: InputInfo,
    /// The headline.
    pub title: Option<String>,
    /// Person names in the byline.
    pub authors: Vec<String>,
    /// Original publication date (ISO 8601, as precise as the page says).
    pub published: Option<String>,
    /// Last modification date, when the page gives one.
    pub modified: Option<String>,
    /// The site that carried this copy.
    pub publisher: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// Main text, paragraphs separated by a blank line.
    pub text: String,
    /// Pieces cut from inside the article (promos, credits, captions, notices).
    pub removed: Vec<String>,
    /// Present when the page is a reprint of another publisher's article.
    pub syndication: Option<Syndication>,
    /// Named entities (filled by the analysis stage).
    pub entities: Vec<Entity>,
    /// Time expressions (filled by the analysis stage).
    pub times: Vec<TimeExpr>,
    /// Quantities (filled by the analysis stage).
    pub quantities: Vec<Quantity>,
    /// Direct quotes with their speakers (filled by the analysis stage).
    pub quotes: Vec<Quote>,
    /// Typed events (filled by the analysis stage).
    pub events: Vec<Event>,
}

/// Where a record was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputInfo {
    /// The kind of input the record was parsed as.
    pub kind: InputKind,
    /// The input's path as the user gave it (`-` for standard input).
    pub path: String,
    /// The WARC-Record-ID when the record came from a WARC file.
    pub warc_record_id: Option<String>,
    /// Size of the raw (decompressed) input in bytes.
    pub bytes: u64,
    /// Where the record's WARC record starts in the archive (a byte offset;
    /// in a `.warc.gz`, the offset of its gzip member), so the archived copy
    /// can be found again (`gleaner replay`). Only for records read from a
    /// WARC; absent otherwise, so other records' JSON is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// The archive's `WARC-Payload-Digest` for that record (`sha1:` and
    /// base 32), when it states one: what the archived copy must hash to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_digest: Option<String>,
}

impl InputInfo {
    /// Input info for a plain file or stream.
    pub fn new(kind: InputKind, path: impl Into<String>, bytes: u64) -> Self {
        Self {
            kind,
            path: path.into(),
            warc_record_id: None,
            bytes,
            offset: None,
            payload_digest: None,
        }
    }
}

/// How an input was interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// An HTML page.
    Html,
    /// Plain text (such as a scraped reprint).
    Text,
    /// A response record of a WARC archive.
    Warc,
}

/// A reprint's link to the publisher it was reprinted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Syndication {
    /// The publisher named by the notice or dateline.
    pub original_publisher: Option<String>,
    /// The notice sentence as it appears on the page.
    pub notice: Option<String>,
    /// Record id of the earliest copy seen (filled by the dedup stage).
    pub duplicate_of: Option<String>,
}

/// A named entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The mention as written.
    pub text: String,
    /// Character span into `text`.
    pub span: [usize; 2],
    /// PERSON, ORG, PLACE or GROUP.
    pub label: String,
    /// The resolved place, for PLACE mentions (and the country of a GROUP demonym).
    pub place: Option<Place>,
    /// For an epithet or honorific the text explains ("the Highest Dignity"),
    /// the name of the entity it refers to. An addition to the shared
    /// contract: see `docs/record-v1.md`.
    #[serde(default)]
    pub refers_to: Option<String>,
}

/// A geocoded place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical name.
    pub name: String,
    /// GeoNames id.
    pub geonameid: Option<u64>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// First-level region name.
    pub admin1: Option<String>,
}

/// A time expression normalised to ISO 8601.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeExpr {
    /// The expression as written.
    pub text: String,
    /// Character span into `text`.
    pub span: [usize; 2],
    /// Date, month, year or range (`a/b`).
    pub value: String,
}

/// A reported figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The figure as written.
    pub text: String,
    /// Character span into `text`.
    pub span: [usize; 2],
    /// Numeric value.
    pub value: f64,
    /// A unit of measure (`km`, `%`, `GW`), a time unit for durations
    /// (`second` … `century`) or an ISO 4217 currency code (`USD`); never
    /// what is counted (see `counted`).
    pub unit: Option<String>,
    /// The head noun of what is counted, as written ("six civilians" →
    /// "civilians"); `None` for measures, currencies, durations and bare
    /// numbers. An addition to the shared contract: see `docs/record-v1.md`.
    #[serde(default)]
    pub counted: Option<String>,
    /// The value converted to SI, when the unit converts.
    pub si: Option<SiValue>,
}

/// A value in SI units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiValue {
    /// Numeric value.
    pub value: f64,
    /// SI unit.
    pub unit: String,
}

/// A direct quote and who said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The quoted words.
    pub text: String,
    /// Character span into `text`.
    pub span: [usize; 2],
    /// The speaker as described in the text.
    pub speaker: Option<String>,
    /// Stable id tying later mentions of the same speaker together.
    pub speaker_id: Option<String>,
    /// Whether the speaker is anonymous on purpose.
    pub anonymous: bool,
    /// Whom the words were told to.
    pub told_to: Option<String>,
    /// When the words were told.
    pub told_on: Option<String>,
}

/// A typed event with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Coarse type (see the taxonomy in the record spec).
    #[serde(rename = "type")]
    pub kind: String,
    /// Subtype.
    pub subtype: Option<String>,
    /// Who acted.
    pub actor: Option<String>,
    /// Who was acted upon.
    pub target: Option<String>,
    /// Where.
    pub place: Option<String>,
    /// When (ISO 8601 date, month or year).
    pub date: Option<String>,
    /// Where `date` comes from: `"text"` when the article gives the time of
    /// the occurrence, `"published"` when the text gives none and `date` is
    /// the publication month (a marked fallback, not a finding); `None` when
    /// there is no date. An addition to the shared contract: see
    /// `docs/record-v1.md`.
    #[serde(default)]
    pub date_basis: Option<String>,
    /// The statement is negated.
    pub negated: bool,
    /// The statement is hedged, hypothetical or about the future.
    pub hedged: bool,
    /// The sentence the event came from.
    pub evidence: String,
    /// Character span of the evidence.
    pub evidence_span: [usize; 2],
    /// Who reported it.
    pub attributed_to: Option<String>,
}

impl Record {
    /// An empty record for `input`; every field unknown.
    pub fn new(input: InputInfo) -> Self {
        let mut r = Record {
            schema: SCHEMA.to_string(),
            id: String::new(),
            url: None,
            canonical_url: None,
            fetched_at: None,
            input,
            title: None,
            authors: Vec::new(),
            published: None,
            modified: None,
            publisher: None,
            language: None,
            text: String::new(),
            removed: Vec::new(),
            syndication: None,
            entities: Vec::new(),
            times: Vec::new(),
            quantities: Vec::new(),
            quotes: Vec::new(),
            events: Vec::new(),
        };
        r.id = record_id(&r.text);
        r
    }

    /// Sets the main text and recomputes the id from it.
    pub fn set_text(&mut self, text: String) {
        self.id = record_id(&text);
        self.text = text;
    }
}

/// The text that record ids are computed from: lowercased words joined by single
/// spaces, with punctuation and markup-level whitespace differences erased, so
/// that the same article extracted from two differently formatted copies gets
/// the same id.
pub fn normalise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            // The common case without a per-character case table lookup
            // (this runs on every page's whole text twice; issue 16).
            let at = out.len();
            out.push_str(word);
            out[at..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The record id: the first 16 hex digits of SHA-256 over [`normalise_text`].
pub fn record_id(text: &str) -> String {
    hex16(&Sha256::digest(normalise_text(text).as_bytes()))
}

/// Texts of fewer words than this are too short to tell articles apart: two
/// unrelated pages whose whole text is "Some text." or "Photo gallery" are
/// not one article.
pub const MIN_ID_WORDS: usize = 8;

/// The id of a page's record: [`record_id`] of its text, unless the text has
/// fewer than [`MIN_ID_WORDS`] words; then the hash also covers the page's
/// address (or, when it has none, its title), so that short texts merge only
/// copies of the same page. A text with no words at all has no record (the
/// ingest reports `no main text`); its id here would be its address's.
pub fn page_id(text: &str, url: Option<&str>, title: Option<&str>) -> String {
    let norm = normalise_text(text);
    // Counting stops at the threshold: the whole text need not be split.
    if norm.split(' ').filter(|w| !w.is_empty()).take(MIN_ID_WORDS).count() >= MIN_ID_WORDS {
        return hex16(&Sha256::digest(norm.as_bytes()));
    }
    let mut h = Sha256::new();
    h.update(norm.as_bytes());
    // A separator no normalised text contains keeps "ab"+"c" apart from "a"+"bc".
    h.update(b"\n");
    match (url, title) {
        (Some(u), _) => h.update(u.trim().as_bytes()),
        (None, Some(t)) => {
            h.update(b"title:");
            h.update(normalise_text(t).as_bytes());
        }
        (None, None) => {}
    }
    hex16(&h.finalize())
}

fn hex16(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(16);
    for b in &digest[..8] {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_text_lowercases_ascii_and_other_words_alike() {
        assert_eq!(
            normalise_text("Hello, ÉCOLE  World-Wide ΣΟΦΙΑ!"),
            "hello école world wide σοφια"
        );
        assert_eq!(normalise_text("ABC def"), "abc def");
    }

    #[test]
    fn id_ignores_formatting_but_not_words() {
        let a = record_id("Hello,   World!\n\nSecond paragraph.");
        let b = record_id("hello world second PARAGRAPH");
        let c = record_id("hello world third paragraph");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn short_texts_are_told_apart_by_their_page() {
        let long = "one two three four five six seven eight";
        assert_eq!(page_id(long, Some("https://a.example/1"), None), record_id(long));
        assert_eq!(
            page_id(long, Some("https://a.example/1"), None),
            page_id(long, None, Some("x"))
        );
        let short = "Some text.";
        let a = page_id(short, Some("https://a.example/1"), Some("A"));
        let b = page_id(short, Some("https://b.example/2"), Some("A"));
        let c = page_id(short, None, Some("Atom-Powered Robots Run Amok"));
        assert!(a != b && a != c && b != c);
        assert_eq!(
            a,
            page_id("some   TEXT", Some("https://a.example/1"), None),
            "the same page still matches"
        );
        assert_ne!(page_id(short, None, None), record_id(short));
    }

    #[test]
    fn record_json_has_contract_fields() {
        let mut r = Record::new(InputInfo::new(InputKind::Html, "x.html", 10));
        r.set_text("Body".into());
        let v: serde_json::Value = serde_json::to_value(&r).unwrap();
        for key in [
            "schema",
            "id",
            "url",
            "canonical_url",
            "fetched_at",
            "input",
            "title",
            "authors",
            "published",
            "modified",
            "publisher",
            "language",
            "text",
            "removed",
            "syndication",
            "entities",
            "times",
            "quantities",
            "quotes",
            "events",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["input"]["kind"], "html");
        assert_eq!(v["input"]["warc_record_id"], serde_json::Value::Null);
        let back: Record = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }
}
