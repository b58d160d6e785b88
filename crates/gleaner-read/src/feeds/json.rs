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
    let mut items = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let index = i as u64;
        let Some(obj) = entry.as_object() else {
            items.push(bad(index, "bad feed", format!("entry {index} is not a JSON object")));
            continue;
        };
        items.push(json_entry(index, obj));
    }
    items
}

pub(super) fn json_entry(index: u64, obj: &Map<String, Value>) -> Item {
    let s = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let url = s("url")
        .or(s("external_url"))
        .or(s("id").filter(|id| is_http(id)))
        .map(str::to_string);
    let body = match (s("content_html"), s("content_text")) {
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
    let date = s("date_published")
        .and_then(normalise_date)
        .or(s("date_modified").and_then(normalise_date));
    entry_item(index, url, s("title").map(str::to_string), date, body)
}
