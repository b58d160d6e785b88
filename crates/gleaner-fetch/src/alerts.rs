//! Saved searches (`gleaner watch --alert 'q=Hyesan&country=KP'`): a search
//! written as the API's query string, kept in the store, and run after each
//! round over the records fetched since the round began.

use gleaner_store::SearchQuery;

/// A saved search's query string as a [`SearchQuery`]: the parameters of
/// `GET /api/records` (`q`, `from`, `to`, `publisher`, `lang`, `place`,
/// `country`, `event_type`), percent-decoded. An unknown parameter is an
/// error naming it, so a typo never silently widens an alert.
pub fn parse_saved(query: &str) -> Result<SearchQuery, String> {
    let mut q = SearchQuery::default();
    for (k, v) in url::form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        let v = Some(v.trim().to_string()).filter(|v| !v.is_empty());
        match k.as_ref() {
            "q" => q.text = v,
            "from" => q.from = v,
            "to" => q.to = v,
            "publisher" => q.publisher = v,
            "lang" | "language" => q.language = v,
            "place" => q.place = v,
            "country" => q.country = v.map(|c| c.to_ascii_uppercase()),
            "event_type" | "type" => q.event_type = v,
            other => return Err(format!("unknown search parameter {other:?} in {query:?}")),
        }
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_become_searches() {
        let q = parse_saved("q=Hyesan%20market&country=kp&lang=ko").unwrap();
        assert_eq!(q.text.as_deref(), Some("Hyesan market"));
        assert_eq!(q.country.as_deref(), Some("KP"));
        assert_eq!(q.language.as_deref(), Some("ko"));
        assert!(parse_saved("q=x&contry=KP").unwrap_err().contains("contry"));
    }
}
