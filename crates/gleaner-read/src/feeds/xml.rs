//! RSS (2.0, 1.0/RDF) and Atom: one streaming parser that tells elements apart
//! by namespace and collects each entry's fields.

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
}

#[derive(Debug, Default)]
pub(super) struct Entry {
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
pub(super) struct Capture {
    field: Field,
    depth: usize,
    kind: Option<DocKind>,
    text: String,
    children: bool,
    raw_start: usize,
}

/// An event-driven reader: one pass, no recursion, a depth counter instead of
/// an element stack (quick-xml checks that end tags match).
pub(super) struct FeedParser<'s> {
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
    pub(super) fn new(src: &'s str) -> Self {
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

    pub(super) fn run(mut self) -> Vec<Item> {
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

/// Files a finished field into its entry. Markup with child elements (Atom
/// `type="xhtml"`, or unescaped well-formed HTML in a description) is kept as
/// the raw source between the field's tags, so the markup survives.
pub(super) fn store(entry: &mut Entry, c: Capture, src: &str, before: usize) {
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
