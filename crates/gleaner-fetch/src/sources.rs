//! Sources: the list a user watches (feed and sitemap addresses, or files
//! listing them) and the entries a fetched source lists, read by
//! `gleaner-read`'s feed and sitemap readers.

use std::path::Path;

use gleaner_read::{read_feed, read_sitemap, sniff, Item, SourceKind, SNIFF_BYTES};
use gleaner_store::watch::ListedEntry;

/// A source to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its address.
    pub url: String,
    /// A label for people (the rest of its line in a list file).
    pub label: Option<String>,
}

/// The sources named on the command line: addresses, or files listing one
/// address per line, optionally followed by a label (`#` starts a comment
/// line). A name that is neither an http(s) address nor a readable file is
/// an error naming it.
pub fn sources_from_args(args: &[String]) -> Result<Vec<Source>, String> {
    let mut out: Vec<Source> = Vec::new();
    for a in args {
        if a.starts_with("http://") || a.starts_with("https://") {
            out.push(Source {
                url: a.clone(),
                label: None,
            });
            continue;
        }
        let text = std::fs::read_to_string(Path::new(a))
            .map_err(|e| format!("{a}: not an http(s) address, and cannot be read as a list of sources: {e}"))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (url, label) = match line.split_once(char::is_whitespace) {
                Some((u, l)) => (u, Some(l.trim().to_string()).filter(|l| !l.is_empty())),
                None => (line, None),
            };
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!("{a}:{}: {url:?} is not an http(s) address", n + 1));
            }
            out.push(Source {
                url: url.to_string(),
                label,
            });
        }
    }
    // The same source twice is watched once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(s.url.clone()));
    Ok(out)
}

/// What a fetched source lists.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Listing {
    /// Entry addresses (absolute), in the source's order, each once.
    pub entries: Vec<ListedEntry>,
    /// Sitemaps a sitemap index points to.
    pub sitemaps: Vec<String>,
    /// Entries that could not be read, with why.
    pub problems: Vec<String>,
}

/// Reads a source's decoded body: a feed (RSS, Atom, JSON Feed) or a
/// sitemap (or sitemap index), told by its bytes. Relative addresses are
/// resolved against `base` (the address the source came from).
pub fn listing(body: &[u8], base: &str) -> Result<Listing, String> {
    let kind = sniff(&body[..body.len().min(SNIFF_BYTES)], None).map_err(|e| e.to_string())?;
    let items = match kind {
        SourceKind::Feed => read_feed(body),
        SourceKind::Sitemap => read_sitemap(body),
        other => return Err(format!("neither a feed nor a sitemap (a {})", other.name())),
    }
    .map_err(|e| e.to_string())?;
    let index = kind == SourceKind::Sitemap && memchr_find(body, b"<sitemapindex");
    let base = url::Url::parse(base).ok();
    let absolute = |u: &str| -> Option<String> {
        let u = u.trim();
        let joined = match &base {
            Some(b) => b.join(u).ok()?,
            None => url::Url::parse(u).ok()?,
        };
        matches!(joined.scheme(), "http" | "https").then(|| joined.to_string())
    };
    let mut out = Listing::default();
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let (url, title, date) = match item {
            Item::Page(p) => (p.url, p.title, p.published),
            Item::Pending(p) => (Some(p.url), p.title, p.date),
            Item::Error(e) => {
                out.problems.push(e.reason);
                continue;
            }
        };
        let Some(url) = url.as_deref().and_then(absolute) else {
            out.problems.push("an entry without a usable address".to_string());
            continue;
        };
        if !seen.insert(url.clone()) {
            continue;
        }
        if index {
            out.sitemaps.push(url);
        } else {
            out.entries.push(ListedEntry { url, title, date });
        }
    }
    Ok(out)
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_file_has_addresses_labels_and_comments() {
        let dir = std::env::temp_dir().join(format!("gleaner-fetch-sources-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let list = dir.join("sources.txt");
        std::fs::write(
            &list,
            "# outlets\nhttp://a.test/feed.xml   Border news\n\nhttp://b.test/sitemap.xml\nhttp://a.test/feed.xml again\n",
        )
        .unwrap();
        let got = sources_from_args(&[list.display().to_string(), "https://c.test/atom".into()]).unwrap();
        let urls: Vec<_> = got.iter().map(|s| (s.url.as_str(), s.label.as_deref())).collect();
        assert_eq!(
            urls,
            [
                ("http://a.test/feed.xml", Some("Border news")),
                ("http://b.test/sitemap.xml", None),
                ("https://c.test/atom", None)
            ]
        );
        std::fs::write(&list, "ftp://x/\n").unwrap();
        assert!(sources_from_args(&[list.display().to_string()])
            .unwrap_err()
            .contains(":1:"));
        assert!(sources_from_args(&["nowhere.txt".into()]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn relative_entries_resolve_and_indexes_list_sitemaps() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>One</title><link>/news/1.html</link><pubDate>Mon, 01 Apr 2024 10:00:00 GMT</pubDate></item>
            <item><title>Two</title><link>http://other.test/2</link></item>
            <item><title>One again</title><link>/news/1.html</link></item>
            <item><title>Mail</title><link>mailto:x@y</link></item></channel></rss>"#;
        let l = listing(rss, "http://a.test/feeds/rss.xml").unwrap();
        let urls: Vec<_> = l.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["http://a.test/news/1.html", "http://other.test/2"]);
        assert_eq!(l.entries[0].title.as_deref(), Some("One"));
        assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
        let index = br#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>http://a.test/sitemap-1.xml</loc></sitemap></sitemapindex>"#;
        let l = listing(index, "http://a.test/sitemap.xml").unwrap();
        assert_eq!(l.sitemaps, ["http://a.test/sitemap-1.xml"]);
        assert!(l.entries.is_empty());
        assert!(listing(b"<html><body>hi</body></html>", "http://a.test/").is_err());
    }
}
