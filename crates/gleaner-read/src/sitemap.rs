//! XML sitemaps (sitemaps.org), with the Google News extension.
//!
//! A sitemap lists addresses, not pages, so every `<url>` becomes an
//! [`Item::Pending`]: its `<loc>`, the `news:title` when the Google News
//! extension gives one, and a date (`news:publication_date`, else `lastmod`,
//! normalised to `YYYY-MM-DD`). A sitemap index lists other sitemaps; each
//! `<sitemap><loc>` also becomes an [`Item::Pending`], because Gleaner fetches
//! nothing from the network: the child sitemaps are not read.
//!
//! As with feeds, the document is read whole and an item's `offset` is the
//! entry's index (`next_offset` = index + 1). Malformed XML yields the entries
//! read before the fault and then one [`Item::Error`] with category
//! `"bad sitemap"`.

use quick_xml::events::Event;
use quick_xml::reader::NsReader;

use crate::feeds::{bad, normalise_date, ns_of, strip_utf8_bom, text_of, Ns};
use crate::{decode, Item, PendingUrl, ReadError};

const CATEGORY: &str = "bad sitemap";

/// Which field of an entry is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Loc,
    Lastmod,
    NewsTitle,
    NewsDate,
}

#[derive(Debug, Default)]
struct Entry {
    loc: Option<String>,
    /// Text directly inside the entry: some sitemap indexes write the
    /// address there without `<loc>`, and crawlers accept it.
    bare: String,
    lastmod: Option<String>,
    news_title: Option<String>,
    news_date: Option<String>,
}

/// Reads a sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`) into
/// pending addresses, in document order.
///
/// Returns `Err` only for empty input; a document that is not a sitemap, an
/// entry without `<loc>`, or malformed XML come back as [`Item::Error`]s with
/// category `"bad sitemap"` (after the entries read before a fault), so the
/// caller reports them like any other per-record error.
pub fn read_sitemap(bytes: &[u8]) -> Result<Vec<Item>, ReadError> {
    if strip_utf8_bom(bytes).iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    let text = decode(bytes).text;
    Ok(parse(&text))
}

/// One pass over the events with a depth counter (quick-xml checks that end
/// tags match, so no element stack is needed): entries are the root's
/// children, `loc`/`lastmod` their children, and the news fields anywhere
/// inside an entry.
fn parse(src: &str) -> Vec<Item> {
    let mut reader = NsReader::from_str(src);
    let mut items = Vec::new();
    let mut index = 0u64;
    let mut depth = 0usize;
    let mut entry_tag: Option<&'static [u8]> = None;
    let mut entry: Option<Entry> = None;
    // The field being read, its element depth, and its text so far.
    let mut capture: Option<(Field, usize, String)> = None;
    // Root elements met, and whether the (last) root has closed: what
    // follows a closed root is not the sitemap's, unless it is another one.
    let mut roots = 0usize;
    let mut after_root = false;
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok((res, event)) => (ns_of(&res), event),
            // Junk after the root spoils nothing.
            Err(_) if after_root => break,
            Err(e) => {
                let at = reader.error_position();
                items.push(bad(index, CATEGORY, format!("malformed XML at byte {at}: {e}")));
                break;
            }
        };
        if after_root && !matches!(event, Event::Start(_) | Event::Empty(_) | Event::Eof) {
            continue;
        }
        if matches!(event, Event::Eof) && after_root {
            break;
        }
        let (start, end) = match &event {
            Event::Start(_) => (true, false),
            Event::Empty(_) => (true, true),
            Event::End(_) => (false, true),
            Event::Text(t) => {
                if let Some((_, _, text)) = capture.as_mut() {
                    text.push_str(&text_of(t));
                } else if depth == 2 {
                    if let Some(ent) = entry.as_mut() {
                        ent.bare.push_str(&text_of(t));
                    }
                }
                (false, false)
            }
            Event::CData(c) => {
                if let Some((_, _, text)) = capture.as_mut() {
                    text.push_str(&String::from_utf8_lossy(c));
                }
                (false, false)
            }
            Event::Eof => {
                if entry_tag.is_none() {
                    items.push(bad(index, CATEGORY, "no root element: not a sitemap".to_string()));
                } else if depth > 0 {
                    let reason = format!("truncated: {depth} elements still open at the end of the input");
                    items.push(bad(index, CATEGORY, reason));
                }
                break;
            }
            _ => (false, false),
        };
        if start {
            depth += 1;
            let (Event::Start(e) | Event::Empty(e)) = &event else {
                continue;
            };
            let local = e.local_name();
            let local = local.as_ref();
            let sitemap_ns = matches!(ns, Ns::Sitemap | Ns::Plain);
            if depth == 1 {
                let second = roots > 0;
                roots += 1;
                after_root = false;
                entry_tag = match local {
                    b"urlset" if sitemap_ns => Some(&b"url"[..]),
                    b"sitemapindex" if sitemap_ns => Some(&b"sitemap"[..]),
                    _ => None,
                };
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if second {
                    // Not well-formed XML, but its entries are read rather than
                    // dropped without a word (say so once, then go on).
                    let what = if entry_tag.is_some() {
                        "its entries are read too"
                    } else {
                        "it is ignored"
                    };
                    items.push(bad(
                        index,
                        CATEGORY,
                        format!("a second root element <{name}> after the first (not well-formed XML): {what}"),
                    ));
                    index += 1;
                }
                if entry_tag.is_none() {
                    if !second {
                        items.push(bad(
                            index,
                            CATEGORY,
                            format!("root element <{name}> is not urlset or sitemapindex"),
                        ));
                    }
                    break;
                }
            } else if capture.is_none() {
                if depth == 2 && sitemap_ns && Some(local) == entry_tag {
                    entry = Some(Entry::default());
                } else if entry.is_some() {
                    let field = match (ns, local) {
                        (Ns::Sitemap | Ns::Plain, b"loc") if depth == 3 => Some(Field::Loc),
                        (Ns::Sitemap | Ns::Plain, b"lastmod") if depth == 3 => Some(Field::Lastmod),
                        (Ns::News, b"title") => Some(Field::NewsTitle),
                        (Ns::News, b"publication_date") => Some(Field::NewsDate),
                        _ => None,
                    };
                    capture = field.map(|f| (f, depth, String::new()));
                }
            }
        }
        if end {
            if capture.as_ref().is_some_and(|c| c.1 == depth) {
                if let (Some((field, _, text)), Some(ent)) = (capture.take(), entry.as_mut()) {
                    let value = Some(text.trim().to_string()).filter(|t| !t.is_empty());
                    let slot = match field {
                        Field::Loc => &mut ent.loc,
                        Field::Lastmod => &mut ent.lastmod,
                        Field::NewsTitle => &mut ent.news_title,
                        Field::NewsDate => &mut ent.news_date,
                    };
                    if slot.is_none() {
                        *slot = value;
                    }
                }
            } else if depth == 2 {
                if let Some(ent) = entry.take() {
                    items.push(finish(ent, index));
                    index += 1;
                }
            }
            depth = depth.saturating_sub(1);
            if depth == 0 {
                after_root = true;
            }
        }
    }
    items
}

fn finish(e: Entry, index: u64) -> Item {
    let bare = e.bare.trim();
    let bare = (crate::sniff::is_http_url(bare) && !bare.contains(char::is_whitespace)).then(|| bare.to_string());
    let Some(url) = e.loc.or(bare) else {
        return bad(index, CATEGORY, format!("entry {index} has no <loc>"));
    };
    let date = e
        .news_date
        .as_deref()
        .and_then(normalise_date)
        .or(e.lastmod.as_deref().and_then(normalise_date));
    Item::Pending(PendingUrl {
        url,
        title: e.news_title,
        date,
        offset: index,
        next_offset: index + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(url: &str, title: Option<&str>, date: Option<&str>, index: u64) -> Item {
        Item::Pending(PendingUrl {
            url: url.into(),
            title: title.map(Into::into),
            date: date.map(Into::into),
            offset: index,
            next_offset: index + 1,
        })
    }

    #[test]
    fn urlset_with_news_extension() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://tribune.example/2024/05/ferry?a=1&amp;b=2</loc>
    <lastmod>2024-05-02T10:00:00+00:00</lastmod>
    <news:news>
      <news:publication><news:name>Lakeside Tribune</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-01T21:15:00+02:00</news:publication_date>
      <news:title><![CDATA[Ferry service resumes after storm]]></news:title>
    </news:news>
    <image:image><image:loc>https://tribune.example/ferry.jpg</image:loc><image:title>Ferry</image:title></image:image>
  </url>
  <url><loc> https://tribune.example/about </loc><lastmod>2023-01-15</lastmod></url>
  <url><lastmod>2023-01-15</lastmod></url>
  <url><loc>https://tribune.example/undated</loc><lastmod>soon</lastmod></url>
</urlset>"#;
        let items = read_sitemap(xml.as_bytes()).expect("sitemap");
        assert_eq!(items.len(), 4, "{items:?}");
        assert_eq!(
            items[0],
            pending(
                "https://tribune.example/2024/05/ferry?a=1&b=2",
                Some("Ferry service resumes after storm"),
                Some("2024-05-01"),
                0
            )
        );
        assert_eq!(
            items[1],
            pending("https://tribune.example/about", None, Some("2023-01-15"), 1)
        );
        assert!(matches!(&items[2], Item::Error(e) if e.category == "bad sitemap" && e.offset == 2));
        assert_eq!(items[3], pending("https://tribune.example/undated", None, None, 3));
    }

    #[test]
    fn sitemap_index() {
        let xml = "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
            <sitemap><loc>https://tribune.example/sitemap-1.xml.gz</loc><lastmod>2024-06-01</lastmod></sitemap>\
            <sitemap><loc>https://tribune.example/sitemap-2.xml</loc></sitemap>\
            </sitemapindex>";
        let items = read_sitemap(xml.as_bytes()).expect("sitemap");
        assert_eq!(
            items,
            vec![
                pending("https://tribune.example/sitemap-1.xml.gz", None, Some("2024-06-01"), 0),
                pending("https://tribune.example/sitemap-2.xml", None, None, 1),
            ]
        );
    }

    #[test]
    fn a_second_root_is_read_and_reported() {
        let xml = "<urlset><url><loc>https://a.example/1</loc></url></urlset>\n\
                   <urlset><url><loc>https://a.example/2</loc></url></urlset>\n<!-- end -->";
        let items = read_sitemap(xml.as_bytes()).expect("sitemap");
        assert_eq!(items.len(), 3, "{items:?}");
        assert_eq!(items[0], pending("https://a.example/1", None, None, 0));
        assert!(matches!(&items[1], Item::Error(e) if e.reason.contains("second root element <urlset>")));
        assert_eq!(items[2], pending("https://a.example/2", None, None, 2));
        // Trailing junk after a single root still spoils nothing.
        let items =
            read_sitemap(b"<urlset><url><loc>https://a.example/1</loc></url></urlset>\n</junk>").expect("sitemap");
        assert_eq!(items, vec![pending("https://a.example/1", None, None, 0)]);
    }

    #[test]
    fn bare_addresses_in_an_index() {
        let xml = "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
            <sitemap>https://a.example/s1.xml</sitemap><sitemap> </sitemap></sitemapindex>";
        let items = read_sitemap(xml.as_bytes()).expect("sitemap");
        assert_eq!(items[0], pending("https://a.example/s1.xml", None, None, 0));
        assert!(matches!(&items[1], Item::Error(e) if e.category == "bad sitemap"));
    }

    #[test]
    fn malformed_and_foreign_documents() {
        let xml = "<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</lo></url>";
        let items = read_sitemap(xml.as_bytes()).expect("sitemap");
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0], pending("https://a.example/1", None, None, 0));
        assert!(matches!(&items[1], Item::Error(e) if e.category == "bad sitemap" && e.offset == 1));

        let cut = "<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.exa";
        let items = read_sitemap(cut.as_bytes()).expect("sitemap");
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[1], Item::Error(e) if e.reason.contains("truncated")));

        let rss = read_sitemap(b"<rss><channel/></rss>").expect("read");
        assert!(matches!(&rss[..], [Item::Error(e)] if e.category == "bad sitemap"));
        let text = read_sitemap(b"just words").expect("read");
        assert!(matches!(&text[..], [Item::Error(e)] if e.reason.contains("no root")));
        assert!(matches!(read_sitemap(b""), Err(ReadError::Empty)));
    }
}
