//! The query vocabulary shared by every front end (the command line and the
//! HTTP API): what a search, an event listing or a place listing can ask,
//! what a date filter accepts, how the timeline buckets dates, and the
//! default page sizes. One definition, so `gleaner search --from 2020-13`
//! and `GET /api/records?from=2020-13` refuse the same thing, and a week is
//! the same week in both.

use gleaner_record::civil;

/// Results a search returns when the caller names no limit.
pub const DEFAULT_SEARCH_LIMIT: usize = 20;

/// Distinct words a search may have. Every word must match, so more add
/// little; each one costs the index a pass.
pub const MAX_SEARCH_WORDS: usize = 32;

/// Characters a search word may have: longer ones occur in no text.
pub const MAX_SEARCH_WORD_CHARS: usize = 64;

/// Why a search text cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchTextError {
    /// Nothing but punctuation and spaces.
    #[error("the search has no words (only punctuation or spaces)")]
    NoWords,
    /// More distinct words than [`MAX_SEARCH_WORDS`].
    #[error("the search has {0} different words; at most {MAX_SEARCH_WORDS} are allowed")]
    TooManyWords(usize),
    /// A word longer than [`MAX_SEARCH_WORD_CHARS`].
    #[error("a search word is longer than {MAX_SEARCH_WORD_CHARS} characters")]
    WordTooLong,
}

/// The words a search text looks for: runs of letters and digits, each once
/// (case-insensitively, in first-seen order), so that no user text becomes
/// query syntax and repeating a word costs nothing. Both backends search
/// exactly these; front ends call it first to refuse a bad search clearly.
pub fn search_words(text: &str) -> Result<Vec<String>, SearchTextError> {
    let mut words: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if w.chars().count() > MAX_SEARCH_WORD_CHARS {
            return Err(SearchTextError::WordTooLong);
        }
        if seen.insert(w.to_lowercase()) {
            words.push(w.to_string());
        }
    }
    match words.len() {
        0 => Err(SearchTextError::NoWords),
        n if n > MAX_SEARCH_WORDS => Err(SearchTextError::TooManyWords(n)),
        _ => Ok(words),
    }
}

/// A full-text search with filters.
#[derive(Debug, Default, Clone)]
pub struct SearchQuery {
    /// Words to find in title or text (all must occur); `None` lists records.
    pub text: Option<String>,
    /// Published on or after (ISO date prefix).
    pub from: Option<String>,
    /// Published on or before (ISO date prefix).
    pub to: Option<String>,
    /// Exact publisher name.
    pub publisher: Option<String>,
    /// ISO 639-1 language.
    pub language: Option<String>,
    /// Mentions this place (geocoded name, exact).
    pub place: Option<String>,
    /// Mentions a place in this country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Reports an event of this type.
    pub event_type: Option<String>,
    /// Fetched at or after (an RFC 3339 date-time or date prefix, compared
    /// with the record's `fetched_at`): what `--since` and the feeds of new
    /// matches ask.
    pub fetched_from: Option<String>,
    /// Result order.
    pub sort: SortOrder,
    /// Skip this many hits (paging).
    pub offset: usize,
    /// At most this many hits.
    pub limit: usize,
    /// How many of the last of the `limit` hits are only looked at, to
    /// know whether there is a next page: they come without a snippet,
    /// which costs a full-text query each and would not be shown.
    pub look_ahead: usize,
}

/// How search results are ordered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first with search words; newest first without.
    #[default]
    Relevance,
    /// Newest publication first (undated last).
    Newest,
    /// Oldest publication first (undated last).
    Oldest,
}

/// Filters for listing merged events.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Event type.
    pub kind: Option<String>,
    /// Place name (exact).
    pub place: Option<String>,
    /// Date on or after (ISO prefix).
    pub from: Option<String>,
    /// Date on or before (ISO prefix).
    pub to: Option<String>,
    /// Placed at a place geocoded to this country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Skip this many events (paging).
    pub offset: usize,
    /// At most this many events; `None` for all.
    pub limit: Option<usize>,
}

/// Filters for listing places.
#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    /// Only places in this country.
    pub country: Option<String>,
    /// Only places with these names (none: every place).
    pub names: Vec<String>,
    /// Only places mentioned by records published on or after (ISO prefix).
    pub from: Option<String>,
    /// Only places mentioned by records published on or before (ISO prefix).
    pub to: Option<String>,
    /// At most this many places (most mentioned first).
    pub limit: usize,
}

/// A field search results can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// Publisher name.
    Publisher,
    /// Language.
    Language,
    /// Country of a mentioned place.
    Country,
    /// Type of a reported event.
    EventType,
}

/// Whether `v` is a date prefix a filter accepts: `YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD`, with a month from 01 to 12 and a day from 01 to 31.
pub fn is_date_prefix(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| v.get(r).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    let month = || b[4] == b'-' && digits(5..7) && (1..=12).contains(&num(5..7));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && month(),
        10 => digits(0..4) && month() && b[7] == b'-' && digits(8..10) && (1..=31).contains(&num(8..10)),
        _ => false,
    }
}

/// Whether `v` is a fetch-time bound [`SearchQuery::fetched_from`] takes: a
/// date prefix, or a UTC date-time `YYYY-MM-DDTHH:MM:SS[.fff]Z` (the form
/// records' `fetched_at` has, so the two compare as strings; an offset
/// other than `Z` would not, and is refused).
pub fn is_since(v: &str) -> bool {
    if is_date_prefix(v) {
        return true;
    }
    let b = v.as_bytes();
    let two = |i: usize| b.get(i..i + 2).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    b.len() >= 20
        && is_date_prefix(&v[..10])
        && b[10] == b'T'
        && two(11)
        && b[13] == b':'
        && two(14)
        && b[16] == b':'
        && two(17)
        && b.last() == Some(&b'Z')
        && (b.len() == 20 || (b[19] == b'.' && b[20..b.len() - 1].iter().all(u8::is_ascii_digit) && b.len() > 21))
}

/// How the timeline groups dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// `YYYY-MM-DD`.
    Day,
    /// The week from Monday (ISO 8601 weeks), named by its Monday's date
    /// `YYYY-MM-DD`, which also works as a `from` filter.
    Week,
    /// `YYYY-MM`.
    Month,
}

impl Bucket {
    /// The names the command line and the API use: `day`, `week`, `month`.
    pub const NAMES: &'static [&'static str] = &["day", "week", "month"];

    /// A bucket by name (case-insensitive).
    pub fn parse(name: &str) -> Option<Bucket> {
        match name.to_ascii_lowercase().as_str() {
            "day" => Some(Bucket::Day),
            "week" => Some(Bucket::Week),
            "month" => Some(Bucket::Month),
            _ => None,
        }
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }

    /// The bucket a date falls in, or `None` when the date is coarser than
    /// the bucket (a month-only date has no day or week).
    pub fn of(self, date: &str) -> Option<String> {
        let ymd = |d: &str| -> Option<(i64, u32, u32)> {
            if d.as_bytes().get(4) != Some(&b'-') || d.as_bytes().get(7) != Some(&b'-') {
                return None;
            }
            Some((
                d.get(0..4)?.parse().ok()?,
                d.get(5..7)?.parse().ok()?,
                d.get(8..10)?.parse().ok()?,
            ))
        };
        match self {
            Bucket::Month => {
                let m = date.get(0..7)?;
                (m.as_bytes().get(4) == Some(&b'-')).then(|| m.to_string())
            }
            Bucket::Day => ymd(date).map(|_| date[0..10].to_string()),
            Bucket::Week => {
                let (y, m, d) = ymd(date)?;
                let days = civil::days_from_civil(y, m, d);
                let (y, m, d) = civil::civil_from_days(days - civil::weekday(days));
                Some(format!("{y:04}-{m:02}-{d:02}"))
            }
        }
    }
}

#[cfg(test)]
mod since_tests {
    #[test]
    fn since_takes_dates_and_utc_date_times() {
        for ok in ["2026", "2026-01-02", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123Z"] {
            assert!(super::is_since(ok), "{ok}");
        }
        for bad in [
            "2026-01-02T03:04:05+09:00",
            "2026-01-02 03:04:05Z",
            "yesterday",
            "2026-01-02T03:04Z",
            "",
        ] {
            assert!(!super::is_since(bad), "{bad}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked() {
        for ok in ["2020", "2020-12", "2020-12-31"] {
            assert!(is_date_prefix(ok), "{ok}");
        }
        for bad in [
            "",
            "20",
            "2020-13",
            "2020-1",
            "2020-12-32",
            "2020-12-00",
            "yesterday",
            "2020/12/01",
            "2020-12-01T00",
        ] {
            assert!(!is_date_prefix(bad), "{bad}");
        }
    }

    #[test]
    fn search_words_are_deduplicated_and_bounded() {
        assert_eq!(
            search_words("Flood  flood, FLOOD harbour!").unwrap(),
            ["Flood", "harbour"]
        );
        assert_eq!(search_words(&"the ".repeat(500)).unwrap(), ["the"]);
        assert_eq!(search_words("水 \"-AND- x\"").unwrap(), ["水", "AND", "x"]);
        assert_eq!(search_words(" ?!.,;- "), Err(SearchTextError::NoWords));
        assert_eq!(search_words(""), Err(SearchTextError::NoWords));
        let many: String = (0..40).map(|i| format!("w{i} ")).collect();
        assert_eq!(search_words(&many), Err(SearchTextError::TooManyWords(40)));
        assert_eq!(search_words(&"x".repeat(65)), Err(SearchTextError::WordTooLong));
        assert!(search_words(&"x".repeat(64)).is_ok());
    }

    #[test]
    fn buckets() {
        assert_eq!(Bucket::Month.of("2020-12-19").as_deref(), Some("2020-12"));
        assert_eq!(Bucket::Month.of("2020-12").as_deref(), Some("2020-12"));
        assert_eq!(Bucket::Month.of("2020"), None);
        assert_eq!(Bucket::Day.of("2020-12"), None);
        assert_eq!(Bucket::Day.of("2020-11"), None);
        assert_eq!(Bucket::Day.of("2020-12-19T10:00:00Z").as_deref(), Some("2020-12-19"));
        // 2020-12-19 was a Saturday; its ISO week began on Monday the 14th.
        assert_eq!(Bucket::Week.of("2020-12-19").as_deref(), Some("2020-12-14"));
        assert_eq!(Bucket::Week.of("2020-12-14").as_deref(), Some("2020-12-14"));
        // A week that starts in the previous year (ISO week 2020-W53).
        assert_eq!(Bucket::Week.of("2021-01-01").as_deref(), Some("2020-12-28"));
        assert_eq!(Bucket::Week.of("2024-03-01").as_deref(), Some("2024-02-26"));
        assert_eq!(Bucket::Week.of("2024-03-14").as_deref(), Some("2024-03-11"));
        for name in Bucket::NAMES {
            assert_eq!(Bucket::parse(name).map(Bucket::name), Some(*name));
        }
        assert_eq!(Bucket::parse("year"), None);
    }
}
