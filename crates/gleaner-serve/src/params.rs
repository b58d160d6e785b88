//! Query-string parsing with the checks that turn bad input into 400s.
//!
//! Unknown and repeated parameters are refused rather than ignored: a typo
//! such as `?contry=KP` silently widening a search is worse than an error.
//! So is a value that is not UTF-8 once percent-decoded (`%FF`): it is
//! refused, not turned into U+FFFD.

use axum::http::StatusCode;

use gleaner_store::query::{is_date_prefix, is_since};

use crate::api::ApiError;

pub struct Params(Vec<(String, String)>);

fn bad(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, message)
}

impl Params {
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Self, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            pairs.push((decode(k)?, decode(v)?));
        }
        for (i, (k, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&k.as_str()) {
                return Err(bad(format!(
                    "unknown parameter {k:?}; this endpoint takes: {}",
                    allowed.join(", ")
                )));
            }
            if pairs[..i].iter().any(|(seen, _)| seen == k) {
                return Err(bad(format!("parameter {k:?} given more than once")));
            }
        }
        Ok(Params(pairs))
    }

    /// A parameter's trimmed value; empty counts as absent.
    pub fn str(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// A date prefix: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn date(&self, key: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.str(key) else { return Ok(None) };
        if is_date_prefix(&v) {
            Ok(Some(v))
        } else {
            Err(bad(format!(
                "{key}={v:?} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD"
            )))
        }
    }

    /// A fetch-time bound: a date prefix or a UTC date-time ending in `Z`.
    pub fn since(&self, key: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.str(key) else { return Ok(None) };
        if is_since(&v) {
            Ok(Some(v))
        } else {
            Err(bad(format!(
                "{key}={v:?} is not a date or UTC date-time: give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"
            )))
        }
    }

    /// A whole number in `min..=max`, `default` when absent.
    pub fn number(&self, key: &str, default: usize, min: usize, max: usize) -> Result<usize, ApiError> {
        let Some(v) = self.str(key) else { return Ok(default) };
        match v.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(bad(format!("{key}={v:?} must be a whole number from {min} to {max}"))),
        }
    }

    /// One of `options`, `default` when absent.
    pub fn choice(&self, key: &str, options: &[&'static str], default: &'static str) -> Result<&'static str, ApiError> {
        let Some(v) = self.str(key) else { return Ok(default) };
        options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(&v))
            .copied()
            .ok_or_else(|| bad(format!("{key}={v:?} must be one of: {}", options.join(", "))))
    }

    /// A true/false flag.
    pub fn flag(&self, key: &str) -> Result<bool, ApiError> {
        Ok(matches!(
            self.choice(key, &["true", "false", "1", "0"], "false")?,
            "true" | "1"
        ))
    }

    /// An ISO 3166-1 alpha-2 country code (any case), upper-cased.
    pub fn country(&self, key: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.str(key) else { return Ok(None) };
        if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Some(v.to_ascii_uppercase()))
        } else {
            Err(bad(format!("{key}={v:?} must be a two-letter country code such as KP")))
        }
    }

    /// A language code (2 or 3 letters), lower-cased.
    pub fn language(&self, key: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.str(key) else { return Ok(None) };
        if (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphabetic()) {
            Ok(Some(v.to_ascii_lowercase()))
        } else {
            Err(bad(format!("{key}={v:?} must be a language code such as en")))
        }
    }

    /// A paging cursor as handed out in `next`: an offset, bounded so deep
    /// paging cannot be used to make the server scan without end.
    pub fn cursor(&self) -> Result<usize, ApiError> {
        let Some(v) = self.str("cursor") else { return Ok(0) };
        match v.strip_prefix('o').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n <= MAX_OFFSET => Ok(n),
            Some(_) => Err(bad(format!(
                "cursor {v:?} is past the last page served ({MAX_OFFSET} results); narrow the query"
            ))),
            None => Err(bad(format!("cursor {v:?} is not one this server handed out"))),
        }
    }
}

/// A query-string component: `+` is a space, `%XX` a byte; the bytes must
/// be UTF-8.
fn decode(s: &str) -> Result<String, ApiError> {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| bad(format!("the query string has {s:?}, which is not UTF-8 once decoded")))
}

/// The deepest result a cursor can reach.
pub const MAX_OFFSET: usize = 10_000;

/// The cursor for the page after `offset + count` results, if there is one.
pub fn next_cursor(offset: usize, count: usize, more: bool) -> Option<String> {
    (more && offset + count <= MAX_OFFSET).then(|| format!("o{}", offset + count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_repeated_and_malformed_parameters_are_refused() {
        assert!(Params::parse(Some("q=a&contry=KP"), &["q", "country"]).is_err());
        assert!(Params::parse(Some("q=a&q=b"), &["q"]).is_err());
        let p =
            Params::parse(Some("q=%E6%B0%B4+x&limit=5"), &["q", "limit"]).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(p.str("q").as_deref(), Some("水 x"));
        assert_eq!(p.number("limit", 20, 1, 100).ok(), Some(5));
        let p = Params::parse(
            Some("limit=0&cursor=o99999&country=K1"),
            &["limit", "cursor", "country"],
        )
        .unwrap_or_else(|e| panic!("{}", e.message));
        assert!(p.number("limit", 20, 1, 100).is_err());
        assert!(p.cursor().is_err());
        assert!(p.country("country").is_err());
    }

    #[test]
    fn values_must_decode_to_utf8() {
        let p = Params::parse(Some("q=caf%C3%A9+au+lait&x="), &["q", "x"]).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(p.str("q").as_deref(), Some("café au lait"));
        assert_eq!(p.str("x"), None);
        assert!(Params::parse(Some("q=%FF"), &["q"]).is_err());
        assert!(Params::parse(Some("q%FF=x"), &["q"]).is_err());
        // A lone % is kept as written (not a valid escape, not an error).
        assert_eq!(
            Params::parse(Some("q=50%"), &["q"])
                .ok()
                .and_then(|p| p.str("q"))
                .as_deref(),
            Some("50%")
        );
    }

    #[test]
    fn cursors_round_trip_and_stop() {
        assert_eq!(next_cursor(0, 20, true).as_deref(), Some("o20"));
        assert_eq!(next_cursor(0, 20, false), None);
        let p = Params::parse(Some("cursor=o20"), &["cursor"]).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(p.cursor().ok(), Some(20));
    }
}
