//! Syndication feeds: RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed.
//!
//! A feed entry that carries its article (RSS `content:encoded`, Atom
//! `<content>`, JSON Feed `content_html`/`content_text`) becomes an
//! [`Item::Page`], so it can be extracted without fetching anything; an entry
//! that only points at its article becomes an [`Item::Pending`] address. A
//! short RSS `description` or Atom `summary` is a teaser, not the article, so
//! it only counts as content when it is long (over 500 characters) or is
//! paragraph markup.
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

use std::borrow::Cow;

use encoding_rs::Encoding;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::{NsReader, Reader};
use serde_json::{Map, Value};

use crate::{decode, DocKind, Item, ItemError, PendingUrl, RawPage, ReadError};

/// What kind of container a file's first bytes announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    /// An XML feed: RSS 2.0 (`<rss>`), RSS 1.0 (`<rdf:RDF>`) or Atom (`<feed>`).
    Feed,
    /// An XML sitemap (`<urlset>`) or sitemap index (`<sitemapindex>`).
    Sitemap,
    /// A JSON Feed (a JSON object whose `version` is a jsonfeed.org URL).
    JsonFeed,
}

/// Recognises a feed or sitemap from the first few kilobytes of a file, so
/// that a caller can route a file to [`read_feed`] or
/// [`crate::read_sitemap`] whatever its name. Returns `None` for anything else,
/// HTML pages included. Give it decompressed bytes: a `.xml.gz` sitemap's
/// head is gzip data until [`crate::read_input`] has inflated it.
///
/// XML is recognised by its root element (after any declaration, comments,
/// processing instructions and doctype), which is why the head may be cut
/// anywhere after the root's start tag. JSON is recognised by a jsonfeed.org
/// version string anywhere in the head, since the head may end mid-document.
pub fn sniff_container(bytes_head: &[u8]) -> Option<ContainerKind> {
    let utf8: Cow<[u8]> = match Encoding::for_bom(bytes_head) {
        // A UTF-16 feed is rare but legal XML; re-encode so the scan below is one path.
        Some((enc, bom_len)) if enc != encoding_rs::UTF_8 => {
            let (text, _) = enc.decode_without_bom_handling(&bytes_head[bom_len..]);
            Cow::Owned(text.into_owned().into_bytes())
        }
        Some((_, bom_len)) => Cow::Borrowed(&bytes_head[bom_len..]),
        None => Cow::Borrowed(bytes_head),
    };
    let trimmed = trim_start_ws(&utf8);
    match trimmed.first() {
        Some(b'{') => {
            // Some JSON encoders escape slashes ("https:\/\/jsonfeed.org\/version\/1").
            let found = memchr::memmem::find(trimmed, b"jsonfeed.org/version/").is_some()
                || memchr::memmem::find(trimmed, b"jsonfeed.org\\/version\\/").is_some();
            found.then_some(ContainerKind::JsonFeed)
        }
        Some(b'<') => sniff_xml_root(trimmed),
        _ => None,
    }
}

/// Finds the root element's local name and maps it to a container kind.
fn sniff_xml_root(head: &[u8]) -> Option<ContainerKind> {
    let mut reader = Reader::from_reader(head);
    // A head is a prefix of the document: never let end-tag checks decide anything.
    reader.config_mut().check_end_names = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                return match e.local_name().as_ref() {
                    b"rss" | b"RDF" | b"feed" => Some(ContainerKind::Feed),
                    b"urlset" | b"sitemapindex" => Some(ContainerKind::Sitemap),
                    _ => None,
                };
            }
            Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_)) => {}
            Ok(Event::Text(t)) if t.iter().all(u8::is_ascii_whitespace) => {}
            _ => return None,
        }
    }
}

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

// ---------------------------------------------------------------------------
// RSS and Atom

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
        _ => Ns::Other,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss,
    Atom,
}

/// An entry field being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Link,
    Guid,
    Id,
    Description,
    Encoded,
    Content,
    Summary,
    Date,
    AltDate,
}

/// A body (content or summary) and what it is: `None` for an Atom type we
/// cannot use (base64 media and the like).
#[derive(Debug, Default)]
struct Body {
    text: String,
    kind: Option<DocKind>,
}

#[derive(Debug, Default)]
struct Entry {
    title: Option<String>,
    link: Option<String>,
    guid: Option<String>,
    guid_is_permalink: bool,
    id: Option<String>,
    alt_link: Option<String>,
    about: Option<String>,
    description: Option<Body>,
    encoded: Option<Body>,
    content: Option<Body>,
    summary: Option<Body>,
    date: Option<String>,
    alt_date: Option<String>,
}

/// A field element being read: its text, or for markup with child elements
/// (inline XHTML) the raw slice of the source between its tags.
struct Capture {
    field: Field,
    depth: usize,
    kind: Option<DocKind>,
    text: String,
    children: bool,
    raw_start: usize,
}

/// An event-driven reader: one pass, no recursion, a depth counter instead of
/// an element stack (quick-xml checks that end tags match).
struct FeedParser<'s> {
    src: &'s str,
    depth: usize,
    format: Option<Format>,
    entry: Option<Entry>,
    entry_depth: usize,
    capture: Option<Capture>,
    items: Vec<Item>,
    index: u64,
}

impl<'s> FeedParser<'s> {
    fn new(src: &'s str) -> Self {
        Self {
            src,
            depth: 0,
            format: None,
            entry: None,
            entry_depth: 0,
            capture: None,
            items: Vec::new(),
            index: 0,
        }
    }

    fn run(mut self) -> Vec<Item> {
        let mut reader = NsReader::from_str(self.src);
        loop {
            let before = pos(reader.buffer_position());
            let (ns, event) = match reader.read_resolved_event() {
                Ok((res, event)) => (ns_of(&res), event),
                Err(e) => {
                    let at = reader.error_position();
                    self.fail(format!("malformed XML at byte {at}: {e}"));
                    break;
                }
            };
            let after = pos(reader.buffer_position());
            match event {
                Event::Start(e) => {
                    if !self.start(ns, &e, after) {
                        break;
                    }
                }
                Event::Empty(e) => {
                    if !self.start(ns, &e, after) {
                        break;
                    }
                    if self.end(after) {
                        break;
                    }
                }
                Event::End(_) => {
                    if self.end(before) {
                        break;
                    }
                }
                Event::Text(t) => {
                    if let Some(c) = self.capture.as_mut() {
                        c.text.push_str(&text_of(&t));
                    }
                }
                Event::CData(c) => {
                    if let Some(cap) = self.capture.as_mut() {
                        cap.text.push_str(&String::from_utf8_lossy(&c));
                    }
                }
                Event::Eof => {
                    if self.format.is_none() {
                        self.fail("no root element: not an RSS, RDF or Atom feed".to_string());
                    } else if self.depth > 0 {
                        self.fail(format!(
                            "truncated: {} elements still open at the end of the input",
                            self.depth
                        ));
                    }
                    break;
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
        self.items
    }

    fn fail(&mut self, reason: String) {
        self.items.push(bad(self.index, "bad feed", reason));
    }

    /// Handles a start tag. Returns `false` when the document is not a feed.
    fn start(&mut self, ns: Ns, e: &BytesStart, after: usize) -> bool {
        self.depth += 1;
        let local = e.local_name();
        let local = local.as_ref();
        if self.depth == 1 {
            self.format = match (ns, local) {
                (Ns::Plain, b"rss") | (Ns::Rdf, b"RDF") => Some(Format::Rss),
                (Ns::Atom | Ns::Plain, b"feed") => Some(Format::Atom),
                _ => None,
            };
            if self.format.is_none() {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                self.fail(format!("root element <{name}> is not rss, rdf:RDF or feed"));
                return false;
            }
            return true;
        }
        if let Some(c) = self.capture.as_mut() {
            c.children = true;
            return true;
        }
        let Some(format) = self.format else { return true };
        let Some(entry) = self.entry.as_mut() else {
            let is_entry = match format {
                Format::Rss => ns == Ns::Plain && local == b"item",
                Format::Atom => matches!(ns, Ns::Atom | Ns::Plain) && local == b"entry",
            };
            if is_entry {
                self.entry = Some(Entry {
                    about: attr(e, b"about"),
                    ..Entry::default()
                });
                self.entry_depth = self.depth;
            }
            return true;
        };
        if self.depth != self.entry_depth + 1 {
            // Deeper elements (Atom author names, an entry's <source>) are not the entry's.
            return true;
        }
        let field = match (format, ns, local) {
            (_, Ns::Atom, b"link") | (Format::Atom, Ns::Plain, b"link") => {
                let rel = attr(e, b"rel");
                let alternate = rel.map(|r| r.trim().eq_ignore_ascii_case("alternate")) != Some(false);
                if alternate && entry.alt_link.is_none() {
                    entry.alt_link = attr(e, b"href").map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
                }
                None
            }
            (Format::Rss, Ns::Plain, b"title") => Some((Field::Title, Some(DocKind::Text))),
            (Format::Rss, Ns::Plain, b"link") => Some((Field::Link, Some(DocKind::Text))),
            (Format::Rss, Ns::Plain, b"guid") => {
                entry.guid_is_permalink =
                    attr(e, b"isPermaLink").map(|v| v.trim().eq_ignore_ascii_case("false")) != Some(true);
                Some((Field::Guid, Some(DocKind::Text)))
            }
            (Format::Rss, Ns::Plain, b"description") => Some((Field::Description, Some(DocKind::Html))),
            (Format::Rss, Ns::Plain, b"pubDate") => Some((Field::Date, Some(DocKind::Text))),
            (_, Ns::Content, b"encoded") => Some((Field::Encoded, Some(DocKind::Html))),
            (_, Ns::Dc, b"date") => Some((Field::AltDate, Some(DocKind::Text))),
            (Format::Atom, Ns::Atom | Ns::Plain, name) => match name {
                b"title" => Some((Field::Title, Some(DocKind::Text))),
                b"id" => Some((Field::Id, Some(DocKind::Text))),
                b"published" => Some((Field::Date, Some(DocKind::Text))),
                b"updated" => Some((Field::AltDate, Some(DocKind::Text))),
                // Out-of-line content (src=…) is a link, not content.
                b"content" if attr(e, b"src").is_some() => None,
                // Atom 0.3 base64 bodies are binary media, not articles.
                b"content" if attr(e, b"mode").is_some_and(|m| m.trim() == "base64") => None,
                b"content" => Some((Field::Content, atom_kind(attr(e, b"type").as_deref()))),
                b"summary" => Some((Field::Summary, atom_kind(attr(e, b"type").as_deref()))),
                _ => None,
            },
            _ => None,
        };
        if let Some((field, kind)) = field {
            self.capture = Some(Capture {
                field,
                depth: self.depth,
                kind,
                text: String::new(),
                children: false,
                raw_start: after,
            });
        }
        true
    }

    /// Handles an end tag (`before` is where it starts in the source).
    /// Returns `true` when the root element has closed: what follows it is not
    /// part of the feed, and stray bytes there must not spoil the entries.
    fn end(&mut self, before: usize) -> bool {
        if self.capture.as_ref().is_some_and(|c| c.depth == self.depth) {
            if let (Some(c), Some(entry)) = (self.capture.take(), self.entry.as_mut()) {
                store(entry, c, self.src, before);
            }
        } else if self.entry.is_some() && self.depth == self.entry_depth {
            if let (Some(entry), Some(format)) = (self.entry.take(), self.format) {
                let item = finish_entry(entry, format, self.index);
                self.items.push(item);
                self.index += 1;
            }
        }
        self.depth = self.depth.saturating_sub(1);
        self.depth == 0
    }
}

/// Byte positions fit in `usize` because the whole document is in memory.
fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

/// Atom's `type` attribute: text by default, markup for html/xhtml, and the
/// media types that say the same; anything else (base64 media) is unusable.
fn atom_kind(t: Option<&str>) -> Option<DocKind> {
    let t = t.map(|t| t.trim().to_ascii_lowercase());
    match t.as_deref() {
        None | Some("" | "text" | "text/plain") => Some(DocKind::Text),
        Some("html" | "xhtml" | "text/html" | "application/xhtml+xml") => Some(DocKind::Html),
        _ => None,
    }
}

/// Files a finished field into its entry. Markup with child elements (Atom
/// `type="xhtml"`, or unescaped well-formed HTML in a description) is kept as
/// the raw source between the field's tags, so the markup survives.
fn store(entry: &mut Entry, c: Capture, src: &str, before: usize) {
    let text = if c.children && c.kind == Some(DocKind::Html) {
        src.get(c.raw_start..before).map(str::to_string).unwrap_or(c.text)
    } else {
        c.text
    };
    let trimmed = || Some(text.trim().to_string()).filter(|t| !t.is_empty());
    let body = || {
        Some(Body {
            text: text.trim().to_string(),
            kind: c.kind,
        })
    };
    match c.field {
        Field::Title => set_once(&mut entry.title, trimmed()),
        Field::Link => set_once(&mut entry.link, trimmed()),
        Field::Guid => set_once(&mut entry.guid, trimmed()),
        Field::Id => set_once(&mut entry.id, trimmed()),
        Field::Date => set_once(&mut entry.date, trimmed()),
        Field::AltDate => set_once(&mut entry.alt_date, trimmed()),
        Field::Description => set_once(&mut entry.description, body()),
        Field::Encoded => set_once(&mut entry.encoded, body()),
        Field::Content => set_once(&mut entry.content, body()),
        Field::Summary => set_once(&mut entry.summary, body()),
    }
}

/// The first occurrence of a field wins, as feed readers do.
fn set_once<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn finish_entry(e: Entry, format: Format, index: u64) -> Item {
    let http = |s: &String| is_http(s);
    let url = match format {
        Format::Rss => e
            .link
            .or(e.alt_link)
            .or(e.guid.filter(|g| e.guid_is_permalink && http(g)))
            .or(e.about.filter(http)),
        Format::Atom => e.alt_link.or(e.id.filter(http)).or(e.link),
    };
    let usable = |b: &Body| b.kind.is_some() && !b.text.is_empty();
    let body = match format {
        Format::Rss => e
            .encoded
            .filter(usable)
            .or_else(|| e.description.filter(|b| usable(b) && is_long(&b.text))),
        Format::Atom => e
            .content
            .filter(usable)
            .or_else(|| e.summary.filter(|b| usable(b) && is_long(&b.text))),
    };
    let date = e
        .date
        .as_deref()
        .and_then(normalise_date)
        .or_else(|| e.alt_date.as_deref().and_then(normalise_date));
    let title = e.title.map(|t| strip_tags(&t)).filter(|t| !t.is_empty());
    entry_item(index, url, title, date, body)
}

/// Page, pending address or error for one entry (shared by XML and JSON feeds).
fn entry_item(
    index: u64,
    url: Option<String>,
    title: Option<String>,
    date: Option<String>,
    body: Option<Body>,
) -> Item {
    match (body, url) {
        (Some(body), url) => Item::Page(RawPage {
            bytes: body.text.into_bytes(),
            url,
            charset: Some("utf-8".to_string()),
            kind: body.kind,
            published: date,
            title,
            offset: index,
            next_offset: index + 1,
            ..RawPage::default()
        }),
        (None, Some(url)) => Item::Pending(PendingUrl {
            url,
            title,
            date,
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
    match t.unescape_with(html_entity) {
        Ok(s) => s.into_owned(),
        Err(_) => String::from_utf8_lossy(t).into_owned(),
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

fn trim_start_ws(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

// ---------------------------------------------------------------------------
// JSON Feed

fn read_json_feed(bytes: &[u8]) -> Vec<Item> {
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

fn json_entry(index: u64, obj: &Map<String, Value>) -> Item {
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

// ---------------------------------------------------------------------------
// Dates

/// `YYYY-MM-DD` from an RFC 3339 / W3C date-time (the date part) or an
/// RFC 822 date (`Tue, 5 Mar 2024 10:00:00 +0100`, two-digit years included).
/// `None` when neither reads, or the day does not exist.
pub(crate) fn normalise_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let y = digits(&b[0..4])?;
        let m = digits(&b[5..7])?;
        let d = digits(&b[8..10])?;
        // "2024-03-05T…", "2024-03-05 10:00", or the bare date.
        if b.len() == 10 || matches!(b[10], b'T' | b't' | b' ') {
            return ymd(y, m, d);
        }
        return None;
    }
    let cleaned = s.replace(',', " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().take(8).collect();
    tokens.windows(3).find_map(|w| {
        if w[0].len() > 2 {
            return None;
        }
        let d = digits(w[0].as_bytes())?;
        let m = month(w[1])?;
        let y = match w[2].len() {
            4 => digits(w[2].as_bytes())?,
            // RFC 2822's rule for obsolete two-digit years.
            2 => {
                let y = digits(w[2].as_bytes())?;
                if y < 50 {
                    2000 + y
                } else {
                    1900 + y
                }
            }
            _ => return None,
        };
        ymd(y, m, d)
    })
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    b.iter()
        .try_fold(0u32, |n, c| n.checked_mul(10)?.checked_add(u32::from(c - b'0')))
}

fn month(s: &str) -> Option<u32> {
    let p = s.get(..3)?.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names.iter().position(|n| *n == p).map(|i| i as u32 + 1)
}

// `is_multiple_of` is newer than the workspace's rust-version (1.80).
#[allow(clippy::manual_is_multiple_of)]
fn ymd(y: u32, m: u32, d: u32) -> Option<String> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1 && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pages(items: &[Item]) -> Vec<&RawPage> {
        items
            .iter()
            .filter_map(|i| if let Item::Page(p) = i { Some(p) } else { None })
            .collect()
    }

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>The Millbrook Ledger</title>
    <link>https://ledger.example/</link>
    <item>
      <title>Bridge reopens &amp; traffic returns</title>
      <link>https://ledger.example/2024/bridge</link>
      <pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
      <description>Short teaser.</description>
      <media:content url="https://ledger.example/bridge.jpg"/>
      <content:encoded><![CDATA[<p>The Elm Street bridge reopened on Monday.</p><p>Drivers&nbsp;cheered.</p>]]></content:encoded>
    </item>
    <item>
      <title>Council meets</title>
      <guid isPermaLink="true">https://ledger.example/2024/council</guid>
      <dc:date>2024-03-06T18:00:00Z</dc:date>
      <description>The council meets on Thursday.</description>
    </item>
    <item>
      <title>Long description</title>
      <atom:link rel="alternate" href="https://ledger.example/2024/long"/>
      <description>&lt;p&gt;A full story in the description.&lt;/p&gt;</description>
    </item>
  </channel>
</rss>"#;

    #[test]
    fn rss_content_encoded_and_description_only() {
        let items = read_feed(RSS.as_bytes()).expect("feed");
        assert_eq!(items.len(), 3, "{items:?}");
        let Item::Page(p) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(p.url.as_deref(), Some("https://ledger.example/2024/bridge"));
        assert_eq!(p.title.as_deref(), Some("Bridge reopens & traffic returns"));
        assert_eq!(p.published.as_deref(), Some("2024-03-05"));
        assert_eq!(p.kind, Some(DocKind::Html));
        assert_eq!(
            String::from_utf8_lossy(&p.bytes),
            "<p>The Elm Street bridge reopened on Monday.</p><p>Drivers&nbsp;cheered.</p>"
        );
        assert_eq!((p.offset, p.next_offset), (0, 1));
        let Item::Pending(u) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!(u.url, "https://ledger.example/2024/council");
        assert_eq!(u.title.as_deref(), Some("Council meets"));
        assert_eq!(u.date.as_deref(), Some("2024-03-06"));
        assert_eq!((u.offset, u.next_offset), (1, 2));
        let Item::Page(p) = &items[2] else {
            panic!("{:?}", items[2])
        };
        assert_eq!(p.url.as_deref(), Some("https://ledger.example/2024/long"));
        assert_eq!(
            String::from_utf8_lossy(&p.bytes),
            "<p>A full story in the description.</p>"
        );
    }

    #[test]
    fn rss1_rdf() {
        let feed = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://gazette.example/"><title>Gazette</title>
    <items><rdf:Seq><rdf:li rdf:resource="https://gazette.example/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://gazette.example/a">
    <title>Harbour dredging starts</title>
    <dc:date>2023-11-02</dc:date>
  </item>
</rdf:RDF>"#;
        let items = read_feed(feed.as_bytes()).expect("feed");
        assert_eq!(
            items,
            vec![Item::Pending(PendingUrl {
                url: "https://gazette.example/a".into(),
                title: Some("Harbour dredging starts".into()),
                date: Some("2023-11-02".into()),
                offset: 0,
                next_offset: 1,
            })]
        );
    }

    #[test]
    fn atom_content_and_summary() {
        let long_summary = "word ".repeat(120);
        let feed = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <entry>
    <title type="html">Flood &lt;em&gt;warning&lt;/em&gt;</title>
    <link rel="self" href="https://courier.example/feed/1"/>
    <link rel="alternate" type="text/html" href="https://courier.example/flood"/>
    <id>tag:courier.example,2024:1</id>
    <published>2024-04-01T07:00:00-05:00</published>
    <updated>2024-04-02T07:00:00Z</updated>
    <author><name>R. Okafor</name></author>
    <content type="html">&lt;p&gt;Rivers rose overnight.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Inline XHTML</title>
    <link href="https://courier.example/xhtml"/>
    <updated>2024-04-03T00:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>there</b> &amp; bye</p></div></content>
  </entry>
  <entry>
    <title>Short summary</title>
    <link href="https://courier.example/short"/>
    <summary>Just a teaser.</summary>
  </entry>
  <entry>
    <title>Long summary</title>
    <id>https://courier.example/long</id>
    <summary>{long_summary}</summary>
  </entry>
  <entry>
    <title>Out of line</title>
    <link href="https://courier.example/ool"/>
    <content src="https://courier.example/ool.html" type="text/html"/>
  </entry>
</feed>"#
        );
        let items = read_feed(feed.as_bytes()).expect("feed");
        assert_eq!(items.len(), 5, "{items:?}");
        let Item::Page(p) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(p.url.as_deref(), Some("https://courier.example/flood"));
        assert_eq!(p.published.as_deref(), Some("2024-04-01"));
        assert_eq!(p.kind, Some(DocKind::Html));
        assert_eq!(String::from_utf8_lossy(&p.bytes), "<p>Rivers rose overnight.</p>");
        assert_eq!(p.title.as_deref(), Some("Flood warning"));
        assert_eq!(strip_tags("a < b <b>bold</b>\n x"), "a < b bold x");
        let Item::Page(p) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!(p.published.as_deref(), Some("2024-04-03"));
        assert_eq!(
            String::from_utf8_lossy(&p.bytes),
            r#"<div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <b>there</b> &amp; bye</p></div>"#
        );
        let Item::Pending(u) = &items[2] else {
            panic!("{:?}", items[2])
        };
        assert_eq!(u.url, "https://courier.example/short");
        let Item::Page(p) = &items[3] else {
            panic!("{:?}", items[3])
        };
        assert_eq!(p.kind, Some(DocKind::Text));
        assert_eq!(p.url.as_deref(), Some("https://courier.example/long"));
        assert!(matches!(&items[4], Item::Pending(u) if u.url == "https://courier.example/ool"));
    }

    #[test]
    fn json_feed_html_and_text() {
        let feed = r#"{
  "version": "https:\/\/jsonfeed.org\/version\/1.1",
  "title": "Orchard Post",
  "items": [
    {"id": "1", "url": "https://post.example/a", "title": "Apples", "content_html": "<p>Harvest is early.</p>",
     "date_published": "2024-09-10T08:00:00+02:00"},
    {"id": "https://post.example/b", "content_text": "Pears are late this year.", "date_modified": "2024-09-11T00:00:00Z"},
    {"id": "3", "external_url": "https://elsewhere.example/c", "title": "Plums", "summary": "teaser"},
    {"id": "4"},
    7
  ]
}"#;
        assert_eq!(sniff_container(feed.as_bytes()), Some(ContainerKind::JsonFeed));
        let items = read_feed(feed.as_bytes()).expect("feed");
        assert_eq!(items.len(), 5);
        let Item::Page(p) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(
            (p.url.as_deref(), p.kind),
            (Some("https://post.example/a"), Some(DocKind::Html))
        );
        assert_eq!(p.published.as_deref(), Some("2024-09-10"));
        let Item::Page(p) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!(
            (p.url.as_deref(), p.kind),
            (Some("https://post.example/b"), Some(DocKind::Text))
        );
        assert_eq!(p.bytes, b"Pears are late this year.");
        assert_eq!(p.published.as_deref(), Some("2024-09-11"));
        assert!(matches!(&items[2], Item::Pending(u) if u.url == "https://elsewhere.example/c"));
        assert!(matches!(&items[3], Item::Error(e) if e.category == "bad feed" && e.offset == 3));
        assert!(matches!(&items[4], Item::Error(e) if e.category == "bad feed" && e.offset == 4));
        let not_feed = read_feed(br#"{"version": "2", "items": []}"#).expect("read");
        assert!(matches!(&not_feed[..], [Item::Error(e)] if e.category == "bad feed"));
    }

    #[test]
    fn malformed_xml_keeps_earlier_entries() {
        let feed = "<rss><channel>\
            <item><title>One</title><link>https://a.example/1</link></item>\
            <item><title>Two</title><link>https://a.example/2</link></itme>\
            <item><title>Three</title><link>https://a.example/3</link></item>";
        let items = read_feed(feed.as_bytes()).expect("feed");
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(matches!(&items[0], Item::Pending(u) if u.url == "https://a.example/1"));
        let Item::Error(e) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!((e.category, e.offset), ("bad feed", 1));

        // Cut short mid-entry: the complete entries survive, then an error.
        let cut = &RSS[..RSS.find("<title>Council").expect("fixture")];
        let items = read_feed(cut.as_bytes()).expect("feed");
        assert_eq!(pages(&items).len(), 1);
        assert!(matches!(items.last(), Some(Item::Error(e)) if e.reason.contains("truncated")));

        let html = read_feed(b"<!DOCTYPE html><html><body><p>hi</p></body></html>").expect("read");
        assert!(matches!(&html[..], [Item::Error(e)] if e.category == "bad feed"));
        assert!(matches!(read_feed(b"  \n"), Err(ReadError::Empty)));
    }

    #[test]
    fn unknown_prefix_and_latin1() {
        // Undeclared content: prefix, windows-1252 bytes, an HTML entity in a title.
        let mut feed = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><item>\
            <title>Caf\xe9&nbsp;news</title><link> https://b.example/x </link>\
            <content:encoded>&lt;p&gt;Cr\xe8me&lt;/p&gt;</content:encoded></item></channel></rss>"
            .to_vec();
        feed.extend_from_slice(b"\n<!-- trailing junk after the root is ignored --> & <");
        let items = read_feed(&feed).expect("feed");
        assert_eq!(items.len(), 1, "{items:?}");
        let Item::Page(p) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(
            p.title.as_deref(),
            Some("Caf\u{e9} news"),
            "a no-break space in a title is a space"
        );
        assert_eq!(p.url.as_deref(), Some("https://b.example/x"));
        assert_eq!(String::from_utf8_lossy(&p.bytes), "<p>Cr\u{e8}me</p>");
    }

    #[test]
    fn sniffs_each_kind() {
        assert_eq!(sniff_container(RSS.as_bytes()), Some(ContainerKind::Feed));
        assert_eq!(
            sniff_container(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x --><feed xmlns='http://www.w3.org/2005/Atom'>"),
            Some(ContainerKind::Feed)
        );
        assert_eq!(
            sniff_container(b"<rdf:RDF xmlns:rdf='x'><channel"),
            Some(ContainerKind::Feed)
        );
        assert_eq!(
            sniff_container(b"<?xml version='1.0'?><?xml-stylesheet href='s.xsl'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><lo"),
            Some(ContainerKind::Sitemap)
        );
        assert_eq!(sniff_container(b"<sitemapindex>"), Some(ContainerKind::Sitemap));
        assert_eq!(
            sniff_container(b"  {\"version\": \"https://jsonfeed.org/version/1\", \"items\": [{\"id\""),
            Some(ContainerKind::JsonFeed)
        );
        assert_eq!(
            sniff_container(b"<!DOCTYPE html>\n<html lang=en><head><title>x</title>"),
            None
        );
        assert_eq!(sniff_container(b"<p>hello</p>"), None);
        assert_eq!(
            sniff_container(b"{\"url\": \"https://x.example\", \"html\": \"<p>\"}"),
            None
        );
        assert_eq!(sniff_container(b"Plain text."), None);
        assert_eq!(sniff_container(b""), None);
        // UTF-16 with a byte-order mark.
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("<rss version=\"2.0\">".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(sniff_container(&utf16), Some(ContainerKind::Feed));
    }

    #[test]
    fn dates() {
        assert_eq!(
            normalise_date("Tue, 05 Mar 2024 09:30:00 GMT").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(normalise_date("5 March 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(
            normalise_date("Sat, 1 Jan 99 00:00:00 EST").as_deref(),
            Some("1999-01-01")
        );
        assert_eq!(normalise_date("2024-02-29T10:00:00Z").as_deref(), Some("2024-02-29"));
        assert_eq!(normalise_date("2023-02-29").as_deref(), None);
        assert_eq!(normalise_date("2024-13-01"), None);
        assert_eq!(normalise_date("yesterday"), None);
        assert_eq!(normalise_date(""), None);
    }

    /// Fragments that steer random documents into the parser's deeper states.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "<rss>",
                "<feed>",
                "<channel>",
                "<item>",
                "</item>",
                "<entry>",
                "</entry>",
                "<title>",
                "</title>",
                "<link>",
                "</link>",
                "<link href='https://x.example/'/>",
                "<content type='xhtml'>",
                "</content>",
                "<content:encoded>",
                "</content:encoded>",
                "<description>",
                "</description>",
                "<![CDATA[<p>",
                "]]>",
                "&amp;",
                "&nbsp;",
                "&#xD800;",
                "&",
                "<",
                ">",
                "<summary>",
                "</summary>",
                "<guid>",
                "<urlset>",
                "<url>",
                "<loc>",
                "</loc>",
                "</url>",
                "<news:title>",
                "<sitemap>",
                "<lastmod>",
                "</lastmod>",
                "\u{feff}",
                "\"",
                "<?xml version='1.0'?>",
                "<!--",
                "-->",
                "<!DOCTYPE x>",
            ])
            .prop_map(str::to_string),
            "[a-z <>/&;:\"'=]{0,8}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            let _ = read_feed(&bytes);
            let _ = crate::read_sitemap(&bytes);
            let _ = sniff_container(&bytes);
        }

        #[test]
        fn xmlish_documents_never_panic(parts in prop::collection::vec(fragment(), 0..40)) {
            let doc = parts.concat();
            if let Ok(items) = read_feed(doc.as_bytes()) {
                for (i, it) in items.iter().enumerate() {
                    prop_assert!(it.offset() <= i as u64);
                    prop_assert_eq!(it.next_offset(), it.offset() + 1);
                }
            }
            let _ = crate::read_sitemap(doc.as_bytes());
            let _ = sniff_container(doc.as_bytes());
        }
    }
}
