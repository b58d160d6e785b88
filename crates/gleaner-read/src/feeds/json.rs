//! JSON Feed (1.0 and 1.1).

use super::*;

pub(super) fn read_json_feed(bytes: &[u8]) -> Vec<Item> {
    let feed: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return vec![bad(0, "bad feed", format!("not JSON: {e}"))],
    };
    let version = feed.get("version").and_then(Value::as_str).unwrap_or("");
    if !version.contains("jsonfeed.org/version/") {
        return vec![bad(
            0,
            "bad feed",
            "JSON without a jsonfeed.org version: not a JSON Feed".to_string(),
        )];
    }
    let Some(entries) = feed.get("items").and_then(Value::as_array) else {
        return vec![bad(0, "bad feed", "JSON Feed without an items array".to_string())];
    };
    // Relative item addresses are relative to the feed's own address, else its site's.
    let base = ["feed_url", "home_page_url"]
        .iter()
        .filter_map(|k| feed.get(*k).and_then(Value::as_str))
        .find_map(|u| Url::parse(u.trim()).ok());
    // Items without authors inherit the feed's (JSON Feed 1.1, `authors`).
    let feed_authors = feed.as_object().map(authors).unwrap_or_default();
    let mut items = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let index = i as u64;
        let Some(obj) = entry.as_object() else {
            items.push(bad(index, "bad feed", format!("entry {index} is not a JSON object")));
            continue;
        };
        items.push(json_entry(index, obj, base.as_ref(), &feed_authors));
    }
    items
}

/// Names from `authors` (1.1: a list of objects) or `author` (1.0: one object).
fn authors(obj: &Map<String, Value>) -> Vec<String> {
    let list: Vec<&Value> = match (obj.get("authors"), obj.get("author")) {
        (Some(Value::Array(a)), _) => a.iter().collect(),
        (_, Some(one)) => vec![one],
        _ => Vec::new(),
    };
    let mut names = Vec::new();
    for a in list {
        let name = a.get("name").and_then(Value::as_str).and_then(xml::author_name);
        if let Some(n) = name {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names
}

pub(super) fn json_entry(index: u64, obj: &Map<String, Value>, base: Option<&Url>, feed_authors: &[String]) -> Item {
    let s = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let url = s("url")
        .or(s("external_url"))
        .or(s("id").filter(|id| is_http(id)))
        .map(|u| xml::resolve_with(base, u));
    let full = match (s("content_html"), s("content_text")) {
        (Some(html), _) => Some(Body {
            text: html.to_string(),
            kind: Some(DocKind::Html),
        }),
        (None, Some(text)) => Some(Body {
            text: text.to_string(),
            kind: Some(DocKind::Text),
        }),
        (None, None) => None,
    };
    // As in XML feeds: the summary is a teaser, the body only when there is
    // no address to find the article at.
    let body = full.or_else(|| {
        s("summary").filter(|_| url.is_none()).map(|t| Body {
            text: t.to_string(),
            kind: Some(DocKind::Text),
        })
    });
    let date = s("date_published")
        .and_then(normalise_date)
        .or(s("date_modified").and_then(normalise_date));
    let mut item_authors = authors(obj);
    if item_authors.is_empty() {
        item_authors = feed_authors.to_vec();
    }
    let fields = EntryFields {
        url,
        title: s("title").map(str::to_string),
        date,
        authors: item_authors,
    };
    entry_item(index, fields, body)
}
