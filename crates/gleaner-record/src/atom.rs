//! Records as an Atom feed (RFC 4287): what `GET /api/records.atom` serves
//! and `gleaner search --format atom` prints, so a search can be followed in
//! any feed reader.
//!
//! Every element RFC 4287 requires is written (feed and entry `id`, `title`,
//! `updated`; an author at feed level, which covers entries without one; an
//! alternate link or, failing that, the text as `content`). Entry ids are
//! `urn:uuid:` names derived from the record id, so they are stable: a
//! record that comes back in a later feed is the same entry, and a reader
//! shows only what is new to it. Text is escaped, and characters XML 1.0
//! cannot carry at all (control characters) are dropped.
//!
//! ```
//! use gleaner_record::{atom, InputInfo, InputKind, Record};
//! let mut r = Record::new(InputInfo::new(InputKind::Html, "a.html", 5));
//! r.set_text("Floods <closed> the road & the bridge.".into());
//! r.title = Some("Floods & roads".into());
//! let xml = atom::feed(&atom::FeedInfo::new("urn:uuid:00000000-0000-4000-8000-000000000000", "flood"), &[&r]);
//! assert!(xml.contains("<title type=\"text\">Floods &amp; roads</title>"));
//! ```

use sha2::{Digest, Sha256};

use crate::Record;

/// The feed's own fields.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    /// The feed's id (an IRI): stable for the same search.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where the feed itself is served (`rel="self"`), when known.
    pub self_url: Option<String>,
    /// When the feed last changed, RFC 3339; `None`: the newest entry's
    /// `updated`, or for an empty feed `generated`.
    pub updated: Option<String>,
    /// When the feed is being made, RFC 3339: the date of a feed with no
    /// entry to date it by. `None`: the Unix epoch (a fixed value, so the
    /// same store gives the same feed; validators call it implausible).
    pub generated: Option<String>,
}

impl FeedInfo {
    /// A feed with this id and title.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        FeedInfo {
            id: id.into(),
            title: title.into(),
            self_url: None,
            updated: None,
            generated: None,
        }
    }
}

impl FeedInfo {
    /// The feed of a search given as sorted `key=value` parts: its id is
    /// derived from them (the same search, the same feed) and its title
    /// lists them. What the CLI's `--format atom` and the API's
    /// `records.atom` both give.
    pub fn for_search(key: &[String]) -> Self {
        let title = if key.is_empty() {
            "Gleaner: all records".to_string()
        } else {
            format!("Gleaner: {}", key.join(", "))
        };
        FeedInfo::new(feed_id(&key.join("&")), title)
    }
}

/// A stable feed id for a search: a `urn:uuid:` name derived from `key`
/// (the search as a canonical query string).
pub fn feed_id(key: &str) -> String {
    uuid_urn("gleaner feed", key)
}

/// The entry id of a record: a `urn:uuid:` name derived from its id.
pub fn entry_id(record_id: &str) -> String {
    uuid_urn("gleaner record", record_id)
}

/// A name-based UUID (the version-8 layout of RFC 9562, SHA-256 of the
/// namespace and name) as a URN.
fn uuid_urn(namespace: &str, name: &str) -> String {
    let mut h = Sha256::new();
    h.update(namespace.as_bytes());
    h.update([0]);
    h.update(name.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Characters of a summary (the start of the text) in each entry.
const SUMMARY_CHARS: usize = 600;

/// The feed for `records`, in the order given.
pub fn feed(info: &FeedInfo, records: &[&Record]) -> String {
    let entries: Vec<(String, &Record)> = records.iter().map(|r| (entry_updated(r), *r)).collect();
    let updated = info
        .updated
        .clone()
        .or_else(|| entries.iter().map(|(u, _)| u.clone()).max())
        .or_else(|| info.generated.clone())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut out = String::with_capacity(1024 + records.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(&mut out, 1, "id", &info.id, "");
    element(&mut out, 1, "title", &info.title, " type=\"text\"");
    element(&mut out, 1, "updated", &updated, "");
    if let Some(s) = &info.self_url {
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(s)
        ));
    }
    out.push_str("  <author><name>Gleaner</name></author>\n");
    out.push_str("  <generator>Gleaner</generator>\n");
    for (updated, r) in entries {
        out.push_str("  <entry>\n");
        element(&mut out, 2, "id", &entry_id(&r.id), "");
        let title = r
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or("(no title)");
        element(&mut out, 2, "title", title, " type=\"text\"");
        element(&mut out, 2, "updated", &updated, "");
        if let Some(p) = r.published.as_deref().and_then(full_datetime) {
            element(&mut out, 2, "published", &p, "");
        }
        for a in r.authors.iter().filter(|a| !a.trim().is_empty()) {
            out.push_str("    <author>");
            element(&mut out, 0, "name", a, "");
            out.truncate(out.len() - 1);
            out.push_str("</author>\n");
        }
        let link = r
            .url
            .as_deref()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
        if let Some(u) = link {
            out.push_str(&format!(
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
                escape(u)
            ));
        }
        if let Some(p) = r.publisher.as_deref().filter(|p| !p.trim().is_empty()) {
            out.push_str(&format!("    <category term=\"{}\" label=\"publisher\"/>\n", escape(p)));
        }
        let summary: String = r.text.chars().take(SUMMARY_CHARS).collect();
        let summary = if summary.len() < r.text.len() {
            format!("{summary}…")
        } else {
            summary
        };
        element(&mut out, 2, "summary", &summary, " type=\"text\"");
        if link.is_none() {
            // Without an alternate link RFC 4287 wants the content itself.
            element(&mut out, 2, "content", &r.text, " type=\"text\"");
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// When an entry last changed: when its page was fetched (the archive's
/// date, or the file's modification time), else its publication date.
fn entry_updated(r: &Record) -> String {
    r.fetched_at
        .as_deref()
        .and_then(full_datetime)
        .or_else(|| r.modified.as_deref().and_then(full_datetime))
        .or_else(|| r.published.as_deref().and_then(full_datetime))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// An RFC 3339 date-time from a record date: full date-times pass (when
/// they carry a zone), dates as precise as a year get midnight UTC on their
/// first day. Anything else is no date-time.
pub fn full_datetime(v: &str) -> Option<String> {
    let v = v.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = v.get(..10.min(v.len()))?.split('-').collect();
    let date_ok = match parts.as_slice() {
        [y] => y.len() == 4 && digits(y),
        [y, m] => y.len() == 4 && digits(y) && m.len() == 2 && digits(m),
        [y, m, d] => y.len() == 4 && digits(y) && m.len() == 2 && digits(m) && d.len() == 2 && digits(d),
        _ => false,
    };
    if !date_ok {
        return None;
    }
    match v.len() {
        4 => Some(format!("{v}-01-01T00:00:00Z")),
        7 => Some(format!("{v}-01T00:00:00Z")),
        10 => Some(format!("{v}T00:00:00Z")),
        _ => {
            let rest = &v[10..];
            let zoned = rest.ends_with('Z')
                || rest.len() > 6 && {
                    let z = &rest[rest.len() - 6..];
                    (z.starts_with('+') || z.starts_with('-')) && z.as_bytes()[3] == b':'
                };
            let time_ok = rest.len() >= 9
                && (rest.starts_with('T') || rest.starts_with('t'))
                && rest[1..9].bytes().enumerate().all(|(i, c)| {
                    if i == 2 || i == 5 {
                        c == b':'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            (zoned && time_ok).then(|| v.to_string())
        }
    }
}

/// One element on its own line, its text escaped.
fn element(out: &mut String, depth: usize, name: &str, text: &str, attrs: &str) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push_str(&format!("<{name}{attrs}>{}</{name}>\n", escape(text)));
}

/// Text or attribute value for XML 1.0: markup characters escaped, and the
/// characters XML cannot represent (controls other than tab and line ends,
/// U+FFFE, U+FFFF) dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InputInfo, InputKind};

    #[test]
    fn dates_become_rfc3339_date_times() {
        assert_eq!(full_datetime("2020").as_deref(), Some("2020-01-01T00:00:00Z"));
        assert_eq!(full_datetime("2020-12").as_deref(), Some("2020-12-01T00:00:00Z"));
        assert_eq!(full_datetime("2020-12-19").as_deref(), Some("2020-12-19T00:00:00Z"));
        assert_eq!(
            full_datetime("2020-12-19T10:00:00Z").as_deref(),
            Some("2020-12-19T10:00:00Z")
        );
        assert_eq!(
            full_datetime("2020-12-19T10:00:00+09:00").as_deref(),
            Some("2020-12-19T10:00:00+09:00")
        );
        assert_eq!(full_datetime("2020-12-19T10:00:00"), None, "no zone: not RFC 3339");
        assert_eq!(full_datetime("Dec 2020"), None);
        assert_eq!(full_datetime("20201219"), None);
    }

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(escape("a<b>&\"c'\u{1}\u{b}d\te"), "a&lt;b&gt;&amp;&quot;c&apos;d\te");
    }

    #[test]
    fn a_search_feed_is_named_by_its_key_and_an_empty_one_dated_when_made() {
        let key = vec!["country=kp".to_string(), "q=Hyesan".to_string()];
        let mut info = FeedInfo::for_search(&key);
        assert_eq!(info.title, "Gleaner: country=kp, q=Hyesan");
        assert_eq!(info.id, feed_id("country=kp&q=Hyesan"));
        assert_eq!(FeedInfo::for_search(&[]).title, "Gleaner: all records");
        info.generated = Some("2026-12-06T18:00:00Z".into());
        assert!(feed(&info, &[]).contains("<updated>2026-12-06T18:00:00Z</updated>"));
    }

    #[test]
    fn ids_are_stable_uuid_urns() {
        let a = entry_id("0123456789abcdef");
        assert_eq!(a, entry_id("0123456789abcdef"));
        assert_ne!(a, entry_id("0123456789abcdee"));
        assert!(a.starts_with("urn:uuid:") && a.len() == 45, "{a}");
        assert_eq!(&a[23..24], "8", "version 8: {a}");
    }

    #[test]
    fn an_entry_without_a_link_carries_its_text() {
        let mut r = Record::new(InputInfo::new(InputKind::Text, "a.txt", 3));
        r.set_text("Plain text only.".into());
        let xml = feed(&FeedInfo::new(feed_id("q=x"), "x"), &[&r]);
        assert!(
            xml.contains("<content type=\"text\">Plain text only.</content>"),
            "{xml}"
        );
        assert!(xml.contains("<updated>1970-01-01T00:00:00Z</updated>"), "{xml}");
    }
}
