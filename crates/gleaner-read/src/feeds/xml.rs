//! RSS (0.9x, 2.0, 1.0/RDF) and Atom: one streaming parser that tells
//! elements apart by namespace and collects each entry's fields.
//!
//! The root element decides the format by its local name (`rss`, `RDF`,
//! `feed`, or `entry` for an Atom entry document), whatever its namespace:
//! RSS and Atom drafts used many, and feeds declare them as the default
//! namespace. The namespace the root declares as default therefore counts as
//! the format's own, like no namespace at all.
//!
//! Relative addresses are resolved against `xml:base` where the feed sets it,
//! else against the feed's own address (Atom's `rel="self"` link, else its
//! alternate link; RSS's channel `<link>`); with neither they stay as written.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Rss,
    Atom,
}

/// An entry field being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
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
    Author,
    AuthorName,
    /// The channel's `<link>` (RSS): the base for relative entry links.
    ChannelLink,
    /// A name in the feed's own `<author>` (Atom): entries without one inherit it.
    FeedAuthorName,
}

#[derive(Debug, Default)]
pub(super) struct Entry {
    title: Option<String>,
    link: Option<String>,
    guid: Option<String>,
    guid_is_permalink: bool,
    id: Option<String>,
    alt_link: Option<String>,
    alt_is_html: bool,
    about: Option<String>,
    description: Option<Body>,
    encoded: Option<Body>,
    content: Option<Body>,
    summary: Option<Body>,
    date: Option<String>,
    alt_date: Option<String>,
    authors: Vec<String>,
    /// Depth of the Atom `<author>` element being read, if any.
    author_depth: Option<usize>,
}

/// A field element being read: its text, or for markup with child elements
/// (inline XHTML) the raw slice of the source between its tags.
pub(super) struct Capture {
    field: Field,
    depth: usize,
    kind: Option<DocKind>,
    text: String,
    children: bool,
    raw_start: usize,
}

/// What the feed says about itself, for its entries.
#[derive(Debug, Default)]
struct FeedInfo {
    /// Atom `rel="self"`: the feed document's own address.
    self_link: Option<String>,
    /// Atom alternate link, or RSS channel `<link>`.
    site_link: Option<String>,
    /// Atom feed-level authors.
    authors: Vec<String>,
    /// Depth of the feed-level Atom `<author>` being read.
    author_depth: Option<usize>,
}

/// An event-driven reader: one pass, no recursion, a depth counter instead of
/// an element stack (quick-xml checks that end tags match), plus the stack of
/// `xml:base` values in force.
pub(super) struct FeedParser<'s> {
    src: &'s str,
    depth: usize,
    format: Option<Format>,
    /// The namespace the root declares as default (counts as no namespace).
    own_ns: Option<Vec<u8>>,
    entry: Option<Entry>,
    entry_depth: usize,
    capture: Option<Capture>,
    /// `xml:base` values by the depth of the element that set them.
    bases: Vec<(usize, Url)>,
    /// The local name of the feed-level element being read at depth 2 (RSS
    /// `channel`, Atom children), for feed-level fields.
    level2: Vec<u8>,
    feed: FeedInfo,
    /// Entries in order, with whether their address is still relative.
    items: Vec<Item>,
    index: u64,
}

impl<'s> FeedParser<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        Self {
            src,
            depth: 0,
            format: None,
            own_ns: None,
            entry: None,
            entry_depth: 0,
            capture: None,
            bases: Vec::new(),
            level2: Vec::new(),
            feed: FeedInfo::default(),
            items: Vec::new(),
            index: 0,
        }
    }

    pub(super) fn run(mut self) -> Vec<Item> {
        let mut reader = NsReader::from_str(self.src);
        loop {
            let before = pos(reader.buffer_position());
            let (ns, event) = match reader.read_resolved_event() {
                Ok((res, event)) => (self.ns(&res), event),
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
                        cap.text.push_str(&fix_c1(String::from_utf8_lossy(&c)));
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
        self.resolve_against_feed();
        self.items
    }

    /// The vocabulary of a resolved name; the root's default namespace is the
    /// format's own.
    fn ns(&self, res: &ResolveResult) -> Ns {
        match (res, &self.own_ns) {
            (ResolveResult::Bound(ns), Some(own)) if ns.as_ref() == own.as_slice() => Ns::Plain,
            _ => ns_of(res),
        }
    }

    fn fail(&mut self, reason: String) {
        self.items.push(bad(self.index, "bad feed", reason));
    }

    /// The `xml:base` in force, if any.
    fn base(&self) -> Option<&Url> {
        self.bases.last().map(|(_, u)| u)
    }

    /// Handles a start tag. Returns `false` when the document is not a feed.
    fn start(&mut self, ns: Ns, e: &BytesStart, after: usize) -> bool {
        self.depth += 1;
        if let Some(b) = attr(e, b"base").filter(|_| has_xml_base(e)) {
            let joined = match self.base() {
                Some(cur) => cur.join(b.trim()).ok(),
                None => Url::parse(b.trim()).ok(),
            };
            if let Some(u) = joined {
                self.bases.push((self.depth, u));
            }
        }
        let local = e.local_name();
        let local = local.as_ref();
        if self.depth == 1 {
            return self.root(e, local);
        }
        if let Some(c) = self.capture.as_mut() {
            c.children = true;
            return true;
        }
        let Some(format) = self.format else { return true };
        if self.depth == 2 {
            self.level2 = local.to_vec();
        }
        if self.entry.is_none() {
            let is_entry = match format {
                Format::Rss => ns == Ns::Plain && local == b"item",
                // feedparser takes <item> in an Atom feed too; so does Gleaner.
                Format::Atom => matches!(ns, Ns::Atom | Ns::Plain) && (local == b"entry" || local == b"item"),
            };
            if is_entry {
                self.entry = Some(Entry {
                    about: attr(e, b"about"),
                    ..Entry::default()
                });
                self.entry_depth = self.depth;
            } else {
                self.feed_field(format, ns, e, local, after);
            }
            return true;
        }
        self.entry_field(format, ns, e, local, after);
        true
    }

    /// The root element: which format, and its default namespace.
    fn root(&mut self, e: &BytesStart, local: &[u8]) -> bool {
        self.own_ns = e
            .attributes()
            .flatten()
            .find(|a| a.key.as_ref() == b"xmlns")
            .map(|a| a.value.into_owned());
        self.format = match local {
            b"rss" | b"RDF" | b"rdf" => Some(Format::Rss),
            b"feed" => Some(Format::Atom),
            b"entry" => {
                // An Atom entry document: the root is the only entry.
                self.entry = Some(Entry::default());
                self.entry_depth = 1;
                Some(Format::Atom)
            }
            _ => None,
        };
        if self.format.is_none() {
            let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
            self.fail(format!("root element <{name}> is not rss, rdf:RDF, feed or entry"));
            return false;
        }
        true
    }

    /// Feed-level fields: the feed's address and (Atom) its authors.
    fn feed_field(&mut self, format: Format, ns: Ns, e: &BytesStart, local: &[u8], after: usize) {
        let plain = matches!(ns, Ns::Plain | Ns::Atom);
        let field = match format {
            Format::Atom if self.depth == 2 && plain && local == b"link" => {
                let rel = attr(e, b"rel").map(|r| r.trim().to_ascii_lowercase());
                let href = attr(e, b"href").map(|h| self.resolve(h.trim()));
                match rel.as_deref() {
                    Some("self") => set_once(&mut self.feed.self_link, href),
                    None | Some("alternate") => set_once(&mut self.feed.site_link, href),
                    _ => {}
                }
                None
            }
            Format::Atom if self.depth == 2 && plain && local == b"author" => {
                self.feed.author_depth = Some(self.depth);
                None
            }
            Format::Atom if self.feed.author_depth == Some(self.depth - 1) && plain && local == b"name" => {
                Some(Field::FeedAuthorName)
            }
            // RSS 2.0 (rss/channel/link) and RSS 1.0 (RDF/channel/link).
            Format::Rss if self.depth == 3 && ns == Ns::Plain && local == b"link" && self.level2 == b"channel" => {
                Some(Field::ChannelLink)
            }
            _ => None,
        };
        if let Some(field) = field {
            self.capture = Some(Capture {
                field,
                depth: self.depth,
                kind: Some(DocKind::Text),
                text: String::new(),
                children: false,
                raw_start: after,
            });
        }
    }

    /// A field of the entry being read.
    fn entry_field(&mut self, format: Format, ns: Ns, e: &BytesStart, local: &[u8], after: usize) {
        let depth = self.depth;
        let entry_depth = self.entry_depth;
        let Some(entry) = self.entry.as_mut() else { return };
        let atomish = matches!(ns, Ns::Atom | Ns::Plain);
        if entry.author_depth.is_some_and(|d| depth == d + 1) {
            if atomish && local == b"name" {
                self.capture = Some(Capture {
                    field: Field::AuthorName,
                    depth,
                    kind: Some(DocKind::Text),
                    text: String::new(),
                    children: false,
                    raw_start: after,
                });
            }
            return;
        }
        if depth != entry_depth + 1 {
            // Deeper elements (an entry's <source>, media groups) are not the entry's.
            return;
        }
        let field = match (format, ns, local) {
            (_, Ns::Atom, b"link") | (Format::Atom, Ns::Plain, b"link") => {
                let rel = attr(e, b"rel");
                let alternate = rel.map(|r| r.trim().eq_ignore_ascii_case("alternate")) != Some(false);
                // Of several alternates, the one that says it is HTML is the article.
                let html = attr(e, b"type").is_some_and(|t| t.to_ascii_lowercase().contains("html"));
                if alternate && (entry.alt_link.is_none() || (html && !entry.alt_is_html)) {
                    let href = attr(e, b"href").map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
                    if let Some(h) = href {
                        entry.alt_link = Some(resolve_with(self.bases.last().map(|b| &b.1), &h));
                        entry.alt_is_html = html;
                    }
                }
                None
            }
            (Format::Atom, Ns::Atom | Ns::Plain, b"author") => {
                entry.author_depth = Some(depth);
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
            (Format::Rss, Ns::Plain, b"author") => Some((Field::Author, Some(DocKind::Text))),
            (_, Ns::Dc, b"creator") | (_, Ns::Itunes, b"author") => Some((Field::Author, Some(DocKind::Text))),
            (_, Ns::Content, b"encoded") => Some((Field::Encoded, Some(DocKind::Html))),
            (_, Ns::Dc, b"date") => Some((Field::AltDate, Some(DocKind::Text))),
            (Format::Atom, Ns::Atom | Ns::Plain, name) => match name {
                b"title" => Some((Field::Title, Some(DocKind::Text))),
                b"id" => Some((Field::Id, Some(DocKind::Text))),
                b"published" | b"issued" | b"created" => Some((Field::Date, Some(DocKind::Text))),
                b"updated" | b"modified" => Some((Field::AltDate, Some(DocKind::Text))),
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
                depth,
                kind,
                text: String::new(),
                children: false,
                raw_start: after,
            });
        }
    }

    /// `href` against the `xml:base` in force (as written when there is none).
    fn resolve(&self, href: &str) -> String {
        resolve_with(self.base(), href)
    }

    /// Handles an end tag (`before` is where it starts in the source).
    /// Returns `true` when the root element has closed: what follows it is not
    /// part of the feed, and stray bytes there must not spoil the entries.
    fn end(&mut self, before: usize) -> bool {
        if self.capture.as_ref().is_some_and(|c| c.depth == self.depth) {
            if let Some(c) = self.capture.take() {
                self.store(c, before);
            }
        } else if self.entry.as_ref().is_some_and(|e| e.author_depth == Some(self.depth)) {
            if let Some(entry) = self.entry.as_mut() {
                entry.author_depth = None;
            }
        } else if self.feed.author_depth == Some(self.depth) {
            self.feed.author_depth = None;
        } else if self.entry.is_some() && self.depth == self.entry_depth {
            if let (Some(entry), Some(format)) = (self.entry.take(), self.format) {
                let item = finish_entry(entry, format, self.index);
                self.items.push(item);
                self.index += 1;
            }
        }
        if self.bases.last().is_some_and(|(d, _)| *d == self.depth) {
            self.bases.pop();
        }
        self.depth = self.depth.saturating_sub(1);
        self.depth == 0
    }

    /// Files a finished field into its entry (or the feed). Markup with child
    /// elements (Atom `type="xhtml"`, or unescaped well-formed HTML in a
    /// description) is kept as the raw source between the field's tags, so
    /// the markup survives.
    fn store(&mut self, c: Capture, before: usize) {
        let text = if c.children && c.kind == Some(DocKind::Html) {
            self.src.get(c.raw_start..before).map(str::to_string).unwrap_or(c.text)
        } else {
            c.text
        };
        let trimmed = Some(text.trim().to_string()).filter(|t| !t.is_empty());
        match c.field {
            Field::ChannelLink => {
                let link = trimmed.map(|l| self.resolve(&l));
                set_once(&mut self.feed.site_link, link);
                return;
            }
            Field::FeedAuthorName => {
                self.feed.authors.extend(trimmed.and_then(|n| author_name(&n)));
                return;
            }
            Field::Link => {
                let link = trimmed.map(|l| self.resolve(&l));
                if let Some(entry) = self.entry.as_mut() {
                    set_once(&mut entry.link, link);
                }
                return;
            }
            _ => {}
        }
        let Some(entry) = self.entry.as_mut() else { return };
        let body = || {
            Some(Body {
                text: text.trim().to_string(),
                kind: c.kind,
            })
        };
        match c.field {
            Field::Title => set_once(&mut entry.title, trimmed),
            Field::Guid => set_once(&mut entry.guid, trimmed),
            Field::Id => set_once(&mut entry.id, trimmed),
            Field::Date => set_once(&mut entry.date, trimmed),
            Field::AltDate => set_once(&mut entry.alt_date, trimmed),
            Field::Author | Field::AuthorName => {
                if let Some(name) = trimmed.and_then(|n| author_name(&n)) {
                    if !entry.authors.contains(&name) {
                        entry.authors.push(name);
                    }
                }
            }
            Field::Description => set_once(&mut entry.description, body()),
            Field::Encoded => set_once(&mut entry.encoded, body()),
            Field::Content => set_once(&mut entry.content, body()),
            Field::Summary => set_once(&mut entry.summary, body()),
            Field::Link | Field::ChannelLink | Field::FeedAuthorName => {}
        }
    }

    /// Entry addresses still relative after `xml:base` are resolved against
    /// the feed's own address, known only once the feed is read; Atom
    /// entries without authors inherit the feed's (RFC 4287, 4.1.1).
    fn resolve_against_feed(&mut self) {
        let base = [&self.feed.self_link, &self.feed.site_link]
            .into_iter()
            .flatten()
            .find_map(|l| Url::parse(l).ok());
        let inherit = self.format == Some(Format::Atom) && !self.feed.authors.is_empty();
        for item in &mut self.items {
            let url = match item {
                Item::Page(p) => {
                    if inherit && p.authors.is_empty() {
                        p.authors = self.feed.authors.clone();
                    }
                    p.url.as_mut()
                }
                Item::Pending(p) => Some(&mut p.url),
                Item::Error(_) => None,
            };
            if let (Some(url), Some(base)) = (url, base.as_ref()) {
                if Url::parse(url).is_err() {
                    if let Ok(joined) = base.join(url) {
                        *url = joined.to_string();
                    }
                }
            }
        }
    }
}

/// Whether the element carries `xml:base` (and not some other `base`).
fn has_xml_base(e: &BytesStart) -> bool {
    e.attributes().flatten().any(|a| a.key.as_ref() == b"xml:base")
}

/// `href` resolved against `base`; as written when there is no base or it
/// cannot be resolved.
pub(super) fn resolve_with(base: Option<&Url>, href: &str) -> String {
    match base {
        Some(b) if Url::parse(href).is_err() => b.join(href).map_or_else(|_| href.to_string(), |u| u.to_string()),
        _ => href.to_string(),
    }
}

/// A person's name from an author field: RSS writes `email (Name)`, some
/// feeds `Name (email)` or `Name <email>`; a bare email is no name.
pub(super) fn author_name(s: &str) -> Option<String> {
    let s = s.trim();
    let (outer, inner) = match (s.find('('), s.rfind(')')) {
        (Some(i), Some(j)) if i < j => (format!("{} {}", &s[..i], &s[j + 1..]), s[i + 1..j].to_string()),
        _ => (s.to_string(), String::new()),
    };
    let outer = match (outer.find('<'), outer.rfind('>')) {
        (Some(i), Some(j)) if i < j => format!("{} {}", &outer[..i], &outer[j + 1..]),
        _ => outer,
    };
    let clean = |t: &str| {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(t).filter(|t| !t.is_empty() && !t.contains('@'))
    };
    clean(&outer).or_else(|| clean(&inner))
}

/// Byte positions fit in `usize` because the whole document is in memory.
pub(super) fn pos(p: u64) -> usize {
    usize::try_from(p).unwrap_or(usize::MAX)
}

/// Atom's `type` attribute: text by default, markup for html/xhtml, and the
/// media types that say the same; anything else (base64 media) is unusable.
pub(super) fn atom_kind(t: Option<&str>) -> Option<DocKind> {
    let t = t.map(|t| t.trim().to_ascii_lowercase());
    match t.as_deref() {
        None | Some("" | "text" | "text/plain") => Some(DocKind::Text),
        Some("html" | "xhtml" | "text/html" | "application/xhtml+xml") => Some(DocKind::Html),
        _ => None,
    }
}

/// The first occurrence of a field wins, as feed readers do.
pub(super) fn set_once<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

pub(super) fn finish_entry(e: Entry, format: Format, index: u64) -> Item {
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
    // The full text when the feed carries it; a teaser only when it is long
    // or when there is no address to find the article at (then the teaser is
    // all there is).
    let (full, teaser) = match format {
        Format::Rss => (e.encoded, e.description),
        Format::Atom => (e.content, e.summary),
    };
    let no_url = url.is_none();
    let body = full
        .filter(usable)
        .or_else(|| teaser.filter(|b| usable(b) && (no_url || is_long(&b.text))));
    let date = e
        .date
        .as_deref()
        .and_then(normalise_date)
        .or_else(|| e.alt_date.as_deref().and_then(normalise_date));
    let title = e.title.map(|t| strip_tags(&t)).filter(|t| !t.is_empty());
    entry_item(
        index,
        EntryFields {
            url,
            title,
            date,
            authors: e.authors,
        },
        body,
    )
}
