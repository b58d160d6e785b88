//! Plain-text lists of addresses: text sitemaps (one URL per line, as
//! sitemaps.org allows) and the `Sitemap:` lines of robots.txt files. Both
//! become [`Item::Pending`] addresses, since Gleaner fetches nothing.
//!
//! As with feeds, the file is read whole and an item's offset is its entry's
//! index (`next_offset` = index + 1), so resuming skips the entries already
//! committed.

use crate::feeds::bad;
use crate::sniff::{is_http_url, robots_directive};
use crate::{decode, Item, PendingUrl};

/// A text sitemap: every non-blank line is an entry; an absolute http(s)
/// address becomes a pending address, anything else a `"bad sitemap"` error
/// naming the line. Lines starting with `#` are comments.
pub fn read_url_list(bytes: &[u8]) -> Vec<Item> {
    let text = decode(bytes).text;
    let mut items = Vec::new();
    let entries = text
        .lines()
        .map(|l| l.trim().trim_start_matches('\u{feff}'))
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    for (index, (line_no, line)) in (0u64..).zip(entries) {
        items.push(if is_http_url(line) && !line.contains(char::is_whitespace) {
            pending(line, index)
        } else {
            bad(
                index,
                "bad sitemap",
                format!("line {}: not an http(s) address: {:?}", line_no + 1, cut(line)),
            )
        });
    }
    items
}

/// A robots.txt: each `Sitemap:` line's value becomes a pending address, as
/// written (a relative one cannot be resolved, since the file does not say
/// where it was found). Everything else in the file is rules for crawlers
/// and yields nothing.
pub fn read_robots(bytes: &[u8]) -> Vec<Item> {
    let text = decode(bytes).text;
    let sitemaps = text.lines().filter_map(|l| {
        let l = l.split('#').next().unwrap_or("").trim_start_matches('\u{feff}');
        match robots_directive(l) {
            Some(("sitemap", url)) if !url.is_empty() => Some(url.to_string()),
            _ => None,
        }
    });
    (0u64..).zip(sitemaps).map(|(i, url)| pending(&url, i)).collect()
}

fn pending(url: &str, index: u64) -> Item {
    Item::Pending(PendingUrl {
        url: url.to_string(),
        title: None,
        date: None,
        offset: index,
        next_offset: index + 1,
    })
}

/// A line shortened for an error message.
fn cut(line: &str) -> String {
    let mut s: String = line.chars().take(80).collect();
    if s.len() < line.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(items: &[Item]) -> Vec<&str> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Pending(p) => Some(p.url.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn text_sitemap_lines_become_addresses() {
        let items =
            read_url_list(b"\xef\xbb\xbfhttp://a.example/1\r\n\r\n# note\nhttps://a.example/2?x=1&y=2\nnot a url\n");
        assert_eq!(urls(&items), ["http://a.example/1", "https://a.example/2?x=1&y=2"]);
        assert_eq!(items.len(), 3);
        assert!(
            matches!(&items[2], Item::Error(e) if e.category == "bad sitemap" && e.offset == 2 && e.reason.contains("line 5"))
        );
        assert_eq!((items[1].offset(), items[1].next_offset()), (1, 2));
    }

    #[test]
    fn robots_sitemap_lines_become_addresses() {
        let robots = "# comment\nUser-agent: *\nDisallow: /private/\n\nsitemap: https://a.example/s1.xml # main\nSitemap : /relative.xml\nSITEMAP:https://a.example/S2.xml\nAllow: /\n";
        let items = read_robots(robots.as_bytes());
        assert_eq!(
            urls(&items),
            ["https://a.example/s1.xml", "/relative.xml", "https://a.example/S2.xml"]
        );
        assert!(read_robots(b"User-agent: *\nDisallow: /\n").is_empty());
    }
}
