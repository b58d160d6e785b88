//! Syndication feeds: RSS 0.9x and 2.0, RSS 1.0 (RDF), Atom (0.3, 1.0, and
//! entry documents) and JSON Feed.
//!
//! A feed entry that carries its article (RSS `content:encoded`, Atom
//! `<content>`, JSON Feed `content_html`/`content_text`) becomes an
//! [`Item::Page`], so it can be extracted without fetching anything; an entry
//! that only points at its article becomes an [`Item::Pending`] address. A
//! short RSS `description` or Atom `summary` is a teaser, not the article, so
//! it only counts as content when it is long (over 500 characters) or is
//! paragraph markup, or when the entry has no address at all (then it is all
//! there is).
//!
//! The entry's own title, date and authors travel with the page
//! ([`RawPage::title`], [`RawPage::published`], [`RawPage::authors`]): they
//! are the feed's statement about the entry and win over what extraction
//! finds in the content, which only fills what the feed leaves out.
//!
//! Feeds are small and are read whole (the caller reads them under
//! `--max-bytes`), so an item's `offset` is the entry's index in the feed and
//! `next_offset` is that index plus one: resuming re-reads the feed and skips
//! that many entries. Malformed XML yields the entries read before the fault
//! and then one [`Item::Error`] with category `"bad feed"`, because a feed cut
//! short by a failed download still has useful entries at its start.
//!
//! Dates are normalised to `YYYY-MM-DD` (RFC 3339 / W3C dates and RFC 822
//! dates); a date that cannot be read is dropped rather than passed on,
//! because the fields it would fill promise ISO 8601. As elsewhere in Gleaner,
//! the day is the one the feed wrote: its time zone is not applied.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use serde_json::{Map, Value};
use url::Url;

use crate::charset::fix_c1;
use crate::{decode, DocKind, Item, ItemError, PendingUrl, RawPage, ReadError};

mod dates;
mod json;
#[cfg(test)]
mod tests;
mod xml;

pub(crate) use dates::normalise_date;
use json::read_json_feed;
use xml::FeedParser;

/// Reads a whole feed: RSS 2.0, RSS 1.0/RDF or Atom (XML, in any charset the
/// document declares or that can be detected) or JSON Feed 1.0/1.1.
///
/// Returns `Err` only when there is nothing to read (empty input). Anything
/// else wrong with the feed (not XML or JSON, an unknown root element, a JSON
/// document that is not a JSON Feed, malformed XML part-way) comes back as an
/// [`Item::Error`] with category `"bad feed"` after whatever entries were read,
/// so that the caller reports it like any other per-record error.
pub fn read_feed(bytes: &[u8]) -> Result<Vec<Item>, ReadError> {
    let body = strip_utf8_bom(bytes);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if trim_start_ws(body).first() == Some(&b'{') {
        return Ok(read_json_feed(body));
    }
    let text = decode(bytes).text;
    Ok(FeedParser::new(&text).run())
}

/// The XML vocabularies a feed or sitemap mixes. Elements are told apart by
/// namespace, not by prefix, so that `media:content` is never taken for Atom's
/// `content` and `<a10:link>` is still an Atom link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// No namespace, or the RSS 1.0 / 0.90 / UserLand RSS 2.0 namespaces, whose
    /// element names mean the same as plain RSS 2.0's.
    Plain,
    /// `http://www.w3.org/1999/02/22-rdf-syntax-ns#`.
    Rdf,
    /// Atom 1.0 (and the old 0.3 namespace).
    Atom,
    /// `http://purl.org/rss/1.0/modules/content/` (`content:encoded`).
    Content,
    /// Dublin Core elements or terms (`dc:date`).
    Dc,
    /// The sitemaps.org protocol.
    Sitemap,
    /// Google News sitemap extension.
    News,
    /// Apple's podcast extension (`itunes:author`).
    Itunes,
    /// Anything else (media RSS, iTunes, images, …): ignored.
    Other,
}

/// Classifies a resolved element name. An undeclared prefix (sloppy feeds use
/// `content:encoded` without declaring it) is classified by its usual prefix.
pub(crate) fn ns_of(res: &ResolveResult) -> Ns {
    match res {
        ResolveResult::Unbound => Ns::Plain,
        ResolveResult::Bound(ns) => ns_by_uri(ns.as_ref()),
        ResolveResult::Unknown(prefix) => match prefix.as_slice() {
            b"content" => Ns::Content,
            b"dc" | b"dcterms" => Ns::Dc,
            b"atom" => Ns::Atom,
            b"rdf" => Ns::Rdf,
            b"news" => Ns::News,
            _ => Ns::Other,
        },
    }
}

fn ns_by_uri(uri: &[u8]) -> Ns {
    let uri = uri
        .strip_prefix(b"http://")
        .or_else(|| uri.strip_prefix(b"https://"))
        .unwrap_or(uri);
    let uri = uri.strip_suffix(b"/").unwrap_or(uri);
    match uri {
        b"purl.org/rss/1.0" | b"backend.userland.com/rss2" | b"my.netscape.com/rdf/simple/0.9" => Ns::Plain,
        b"www.w3.org/1999/02/22-rdf-syntax-ns#" => Ns::Rdf,
        b"www.w3.org/2005/Atom" | b"purl.org/atom/ns#" => Ns::Atom,
        b"purl.org/rss/1.0/modules/content" => Ns::Content,
        b"purl.org/dc/elements/1.1" | b"purl.org/dc/terms" => Ns::Dc,
        b"www.sitemaps.org/schemas/sitemap/0.9"
        | b"www.google.com/schemas/sitemap/0.84"
        | b"www.google.com/schemas/sitemap/0.9" => Ns::Sitemap,
        b"www.google.com/schemas/sitemap-news/0.9" => Ns::News,
        b"www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
        _ => Ns::Other,
    }
}

/// Titles of `type="html"` (and RSS titles with escaped markup) carry tags
/// that a title field must not show. Only `<` followed by a letter, `/` or `!`
/// opens a tag, so "a < b" survives.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let opens = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (opens, after.find('>')) {
            (true, Some(j)) => rest = &after[j + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a teaser field is long enough, or marked up enough, to be the article.
fn is_long(s: &str) -> bool {
    if s.chars().nth(500).is_some() {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    lower.contains("<p>") || lower.contains("<p ")
}

fn is_http(s: &str) -> bool {
    let s = s.trim().as_bytes();
    s.len() > 8 && (s[..7].eq_ignore_ascii_case(b"http://") || s[..8].eq_ignore_ascii_case(b"https://"))
}

pub(crate) fn bad(index: u64, category: &'static str, reason: String) -> Item {
    Item::Error(ItemError {
        offset: index,
        next_offset: index + 1,
        record: None,
        category,
        reason,
    })
}

/// An attribute's value by local name (`rdf:about` → `about`), unescaped.
pub(crate) fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| match a.unescape_value_with(html_entity) {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
}

/// A text event's content with entities replaced. Feeds use HTML entities
/// XML does not define (`&nbsp;`), so the common ones are known; text with an
/// unknown or broken reference is kept as written, which is still valid HTML.
pub(crate) fn text_of(t: &quick_xml::events::BytesText) -> String {
    // Numeric references to C1 controls (`&#146;`) are windows-1252 characters.
    match t.unescape_with(html_entity) {
        Ok(s) => fix_c1(s).into_owned(),
        Err(_) => fix_c1(String::from_utf8_lossy(t)).into_owned(),
    }
}

fn html_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        "nbsp" => "\u{a0}",
        "ndash" => "\u{2013}",
        "mdash" => "\u{2014}",
        "hellip" => "\u{2026}",
        "lsquo" => "\u{2018}",
        "rsquo" => "\u{2019}",
        "ldquo" => "\u{201c}",
        "rdquo" => "\u{201d}",
        "laquo" => "\u{ab}",
        "raquo" => "\u{bb}",
        "copy" => "\u{a9}",
        "reg" => "\u{ae}",
        "trade" => "\u{2122}",
        "euro" => "\u{20ac}",
        "pound" => "\u{a3}",
        "middot" => "\u{b7}",
        "bull" => "\u{2022}",
        "deg" => "\u{b0}",
        "shy" => "\u{ad}",
        "eacute" => "\u{e9}",
        "egrave" => "\u{e8}",
        "agrave" => "\u{e0}",
        "aacute" => "\u{e1}",
        "ccedil" => "\u{e7}",
        "auml" => "\u{e4}",
        "ouml" => "\u{f6}",
        "uuml" => "\u{fc}",
        "szlig" => "\u{df}",
        _ => return None,
    })
}

pub(crate) fn strip_utf8_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b)
}

pub(crate) fn trim_start_ws(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

/// A body (content or summary) and what it is: `None` for an Atom type we
/// cannot use (base64 media and the like).
#[derive(Debug, Default)]
struct Body {
    pub(super) text: String,
    pub(super) kind: Option<DocKind>,
}

/// What a feed says about one entry, besides its body.
#[derive(Debug, Default)]
struct EntryFields {
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    authors: Vec<String>,
}

/// A plain-text body as paragraphs of HTML. Plain-text pages are read as
/// reprints whose first line may be their headline; an entry's headline is
/// the feed's title, so its text body is article from its first line on.
fn text_as_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut html = String::with_capacity(text.len() + 16);
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        for c in para.chars() {
            match c {
                '&' => html.push_str("&amp;"),
                '<' => html.push_str("&lt;"),
                '>' => html.push_str("&gt;"),
                '\n' => html.push_str("<br>"),
                c => html.push(c),
            }
        }
        html.push_str("</p>");
    }
    html
}

/// Page, pending address or error for one entry (shared by XML and JSON feeds).
fn entry_item(index: u64, f: EntryFields, body: Option<Body>) -> Item {
    let body = body.map(|b| match b.kind {
        Some(DocKind::Text) => Body {
            text: text_as_html(&b.text),
            kind: Some(DocKind::Html),
        },
        _ => b,
    });
    match (body, f.url) {
        (Some(body), url) => Item::Page(RawPage {
            bytes: body.text.into_bytes(),
            url,
            charset: Some("utf-8".to_string()),
            kind: body.kind,
            published: f.date,
            title: f.title,
            authors: f.authors,
            offset: index,
            next_offset: index + 1,
            ..RawPage::default()
        }),
        (None, Some(url)) => Item::Pending(PendingUrl {
            url,
            title: f.title,
            date: f.date,
            offset: index,
            next_offset: index + 1,
        }),
        (None, None) => bad(
            index,
            "bad feed",
            format!("entry {index} has neither content nor a link"),
        ),
    }
}
