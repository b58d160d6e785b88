//! What an input is, decided from its bytes: the one step every ingest input
//! goes through before it is opened.
//!
//! [`sniff`] looks at the first bytes of an input (decompressed, when it is
//! gzip) and says which reader takes it: a WARC or ARC archive (Common
//! Crawl's WAT and WET files are WARC), JSON Lines, an RSS/RDF/Atom/JSON
//! feed, an XML sitemap, a plain-text list of addresses, a robots.txt, or a
//! page. Whatever cannot be any of these (other compressions, XML and JSON
//! documents of other vocabularies, lists of paths, markup with nothing in
//! it) is refused with a [`ReadError::Unsupported`] that says what it is,
//! rather than being read as an article.
//!
//! The file name is only a hint, used where the bytes leave a choice: a
//! `.jsonl` name makes a JSON object a line of JSON Lines, a `robots.txt`
//! name makes a text of comments a robots file, and a `.txt`/`.html` name
//! still picks how a page is read ([`crate::sniff_kind`]). A `.warc.gz` that
//! holds a sitemap is a sitemap; a `xmlSitemap.gz` is too.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::charset::{detect_wide, Wide};
use crate::{Input, ReadError};

/// How many (decompressed) bytes [`sniff_file`] reads to decide.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// What an input holds, and so which reader opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceKind {
    /// One page: HTML or plain text.
    Page,
    /// A WARC archive (also WAT and WET files, which are WARC).
    Warc,
    /// An ARC archive (the Internet Archive's format before WARC).
    Arc,
    /// JSON Lines of `{url, html}` / `{url, text}`.
    Jsonl,
    /// An RSS 0.9x/2.0, RSS 1.0 (RDF), Atom or JSON feed.
    Feed,
    /// An XML sitemap or sitemap index.
    Sitemap,
    /// A plain-text sitemap: one address per line.
    UrlList,
    /// A robots.txt file (its `Sitemap:` lines are addresses).
    Robots,
}

impl SourceKind {
    /// A short name for messages and summaries ("feed", "robots.txt", …).
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Page => "page",
            SourceKind::Warc => "WARC archive",
            SourceKind::Arc => "ARC archive",
            SourceKind::Jsonl => "JSON Lines",
            SourceKind::Feed => "feed",
            SourceKind::Sitemap => "sitemap",
            SourceKind::UrlList => "text sitemap",
            SourceKind::Robots => "robots.txt",
        }
    }

    /// Whether the input is a web archive (its records carry `input.kind` `warc`).
    pub fn is_archive(self) -> bool {
        matches!(self, SourceKind::Warc | SourceKind::Arc)
    }

    /// Whether item offsets are byte offsets into the file (archives, JSON
    /// Lines) rather than entry numbers (feeds, sitemaps, lists).
    pub fn byte_offsets(self) -> bool {
        matches!(self, SourceKind::Warc | SourceKind::Arc | SourceKind::Jsonl)
    }
}

/// Reads the first [`SNIFF_BYTES`] of a file (gunzipped when it is gzip,
/// whatever its name) and decides its kind with [`sniff`].
pub fn sniff_file(path: &Path) -> Result<SourceKind, ReadError> {
    let file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    let name = path.file_name().and_then(|n| n.to_str());
    let head = read_head(file)?;
    sniff(&head, name)
}

/// Up to [`SNIFF_BYTES`] decompressed bytes from the start of `reader`.
/// A gzip stream that fails after giving some bytes still gives them: the
/// reader that opens the input reports the damage where it is.
pub fn read_head(reader: impl Read) -> Result<Vec<u8>, ReadError> {
    let mut raw = Vec::with_capacity(SNIFF_BYTES);
    reader.take(SNIFF_BYTES as u64).read_to_end(&mut raw)?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    // Only the compressed bytes read so far are given to the decoder, so a
    // head of very compressible data may come out short of SNIFF_BYTES;
    // what starts a document is always there.
    let mut out = Vec::with_capacity(SNIFF_BYTES);
    let mut dec = MultiGzDecoder::new(&raw[..]).take(SNIFF_BYTES as u64);
    let mut buf = [0u8; 8192];
    loop {
        match dec.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // The raw head ends mid-stream (the file goes on), or the data is damaged.
            Err(_) if !out.is_empty() => break,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && raw.len() == SNIFF_BYTES => break,
            Err(e) => return Err(ReadError::BadGzip(e.to_string())),
        }
    }
    if out.is_empty() && raw.len() < 18 {
        // Shorter than a gzip header and trailer: a cut file, not an empty one.
        return Err(ReadError::BadGzip("the gzip data ends early".into()));
    }
    Ok(out)
}

/// Decides what an input is from `head`, its first bytes (decompressed; the
/// first 64 KiB are plenty, a few KiB usually enough), with `name` (the file
/// name, if any) as a hint where the bytes leave a choice. See the module
/// documentation for the order of the tests.
pub fn sniff(head: &[u8], name: Option<&str>) -> Result<SourceKind, ReadError> {
    let name = name.unwrap_or("").to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if let Some(what) = compressed(head) {
        return Err(ReadError::Unsupported(format!(
            "{what}-compressed data (decompress it first; gzip is read as it is)"
        )));
    }
    let text = head_text(head);
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if body.is_empty() {
        return Err(ReadError::Empty);
    }
    if is_warc_line(body.as_bytes()) {
        return Ok(SourceKind::Warc);
    }
    if body.starts_with("filedesc://") || is_arc_header(first_line(body).as_bytes()) {
        return Ok(SourceKind::Arc);
    }
    match body.as_bytes()[0] {
        b'{' => return json_kind(body, name),
        b'[' if looks_like_json_array(body) => {
            return Err(ReadError::Unsupported(
                "a JSON array: not a page, feed or JSON Lines of pages".into(),
            ))
        }
        b'<' => return markup_kind(body),
        _ => {}
    }
    // Playlists list media to play, not pages to read: M3U and PLS.
    let first = first_line(body).trim();
    if first.eq_ignore_ascii_case("#EXTM3U") || first.eq_ignore_ascii_case("[playlist]") {
        return Err(ReadError::Unsupported("a playlist (M3U or PLS): not an article".into()));
    }
    text_kind(body, name, head.len() >= SNIFF_BYTES)
}

/// The magic bytes of compressions Gleaner does not undo.
fn compressed(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (&[0x04, 0x22, 0x4d, 0x18], "LZ4"),
        (&[0x28, 0xb5, 0x2f, 0xfd], "Zstandard"),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0x00], "XZ"),
        (b"BZh", "bzip2"),
        (&[b'P', b'K', 0x03, 0x04], "ZIP"),
        (&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c], "7-Zip"),
        (&[0x1f, 0x8b], "gzip-in-gzip"),
    ];
    MAGIC.iter().find(|(m, _)| head.starts_with(m)).map(|(_, name)| *name)
}

/// The head as text for the tests below: UTF-16 and UTF-32 (by mark or zero
/// bytes) transcoded, anything else taken as UTF-8 with bad bytes replaced
/// (every marker tested is ASCII).
fn head_text(head: &[u8]) -> Cow<'_, str> {
    match detect_wide(head) {
        Some((wide, bom)) => {
            let body = &head[bom..];
            let text: String = match wide {
                Wide::Utf16Le => encoding_rs::UTF_16LE.decode_without_bom_handling(body).0.into_owned(),
                Wide::Utf16Be => encoding_rs::UTF_16BE.decode_without_bom_handling(body).0.into_owned(),
                Wide::Utf32Le | Wide::Utf32Be => body
                    .chunks_exact(4)
                    .map(|u| {
                        let a = [u[0], u[1], u[2], u[3]];
                        let v = if wide == Wide::Utf32Le {
                            u32::from_le_bytes(a)
                        } else {
                            u32::from_be_bytes(a)
                        };
                        char::from_u32(v).unwrap_or('\u{fffd}')
                    })
                    .collect(),
            };
            Cow::Owned(text)
        }
        None => String::from_utf8_lossy(head),
    }
}

fn first_line(s: &str) -> &str {
    s.split('\n').next().unwrap_or("").trim_end_matches('\r')
}

/// `WARC/` and a version number: the first line of every WARC record.
pub(crate) fn is_warc_line(line: &[u8]) -> bool {
    line.starts_with(b"WARC/") && line.get(5).is_some_and(u8::is_ascii_digit)
}

/// An ARC record's header line: `URL IP-address date content-type length`
/// (version 1), or with result code, checksum, location, offset and file
/// name before the length (version 2). The date has 14 digits (12 in some
/// old files) and the length is the last field. Some writers left spaces in
/// the URL; in a version 1 line the other four fields are then the last four.
pub(crate) fn is_arc_header(line: &[u8]) -> bool {
    arc_fields(line).is_some()
}

/// The fields of an ARC header line, the URL first (with its spaces, if any).
pub(crate) fn arc_fields(line: &[u8]) -> Option<Vec<String>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() > 8192 || line.first().is_none_or(|c| c.is_ascii_whitespace()) {
        return None;
    }
    let line = std::str::from_utf8(line).ok()?;
    let fields: Vec<&str> = line.split(' ').filter(|f| !f.is_empty()).collect();
    let digits = |f: &str| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit());
    let ip_like = |f: &str| f.bytes().all(|c| c.is_ascii_hexdigit() || b".:-".contains(&c));
    let date_like = |f: &str| (f.len() == 14 || f.len() == 12) && digits(f);
    let url = fields.first()?;
    let has_scheme = url.find(':').is_some_and(|i| {
        i > 0
            && url[..i]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    });
    if !has_scheme || fields.len() < 5 || !digits(fields[fields.len() - 1]) {
        return None;
    }
    let n = fields.len();
    // Version 2: ten fields, the date third.
    if n == 10 && ip_like(fields[1]) && date_like(fields[2]) {
        return Some(fields.iter().map(|f| f.to_string()).collect());
    }
    // Version 1, the URL possibly holding spaces.
    if ip_like(fields[n - 4]) && date_like(fields[n - 3]) {
        let mut out = vec![fields[..n - 4].join(" ")];
        out.extend(fields[n - 4..].iter().map(|f| f.to_string()));
        return Some(out);
    }
    None
}

/// `[` followed by what can start a JSON value, so that a text page opening
/// with "[Updated] …" is not taken for JSON.
fn looks_like_json_array(body: &str) -> bool {
    let rest = body[1..].trim_start();
    rest.starts_with(['{', '[', '"', ']', '-'])
        || rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.starts_with("true")
        || rest.starts_with("false")
        || rest.starts_with("null")
}

/// Keys of a JSON Lines page: the markup (or an alias) or the text.
const JSONL_KEYS: [&str; 4] = ["html", "content", "body", "text"];

/// A JSON object: a JSON Feed (by its `version`), else JSON Lines of pages,
/// else a JSON document Gleaner has no reader for.
fn json_kind(body: &str, name: &str) -> Result<SourceKind, ReadError> {
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        return Ok(SourceKind::Jsonl);
    }
    if json_feed_version(body) {
        return Ok(SourceKind::Feed);
    }
    let line = first_line(body);
    let complete = body.len() > line.len();
    let page_line = if complete {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line).is_ok_and(|obj| {
            JSONL_KEYS
                .iter()
                .any(|k| obj.get(*k).is_some_and(serde_json::Value::is_string))
        })
    } else {
        // A line longer than the head (a big page): look for the key itself.
        ["\"html\"", "\"text\""].iter().any(|k| {
            line.match_indices(k)
                .any(|(i, _)| line[i + k.len()..].trim_start().starts_with(':'))
        })
    };
    if page_line {
        Ok(SourceKind::Jsonl)
    } else {
        Err(ReadError::Unsupported(
            "a JSON document that is neither a JSON Feed nor JSON Lines of {url, html|text}".into(),
        ))
    }
}

/// A `"version"` member whose value is a jsonfeed.org version URL, anywhere
/// in the head (a JSON Feed may put it after its items). Some JSON encoders
/// escape slashes (`"https:\/\/jsonfeed.org\/version\/1"`).
fn json_feed_version(body: &str) -> bool {
    body.match_indices("\"version\"").any(|(i, k)| {
        let rest = body[i + k.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let Some(value) = rest.trim_start().strip_prefix('"') else {
            return false;
        };
        let value: String = value.chars().take(48).collect::<String>().replace("\\/", "/");
        let value = value.trim_start_matches("https://").trim_start_matches("http://");
        value.starts_with("jsonfeed.org/version/")
    })
}

/// HTML elements that may open a page or a fragment of one; any other root
/// element of a document that declares itself XML is another vocabulary.
const HTML_ROOTS: &[&str] = &[
    "html",
    "head",
    "body",
    "div",
    "p",
    "article",
    "section",
    "main",
    "span",
    "table",
    "meta",
    "title",
    "link",
    "script",
    "style",
    "header",
    "footer",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "ul",
    "ol",
    "li",
    "img",
    "br",
    "form",
    "center",
    "font",
    "b",
    "i",
    "em",
    "strong",
    "pre",
    "blockquote",
    "noscript",
    "iframe",
    "frameset",
    "base",
    "aside",
    "figure",
    "hr",
    "dl",
    "template",
    "svg",
];

/// Markup: the root element decides. Feeds and sitemaps by their root's local
/// name (whatever its namespace: old Atom and RSS drafts used many), HTML by
/// its elements or doctype, and other XML is refused.
fn markup_kind(body: &str) -> Result<SourceKind, ReadError> {
    let mut reader = Reader::from_str(body);
    // The head is a prefix of the document: end tags decide nothing.
    reader.config_mut().check_end_names = false;
    let mut xml_decl = false;
    let mut html_doctype = false;
    loop {
        match reader.read_event() {
            Ok(Event::Decl(_)) => xml_decl = true,
            Ok(Event::PI(_) | Event::Comment(_)) => {}
            // An HTML doctype in front of a feed is a feed still: the root decides.
            Ok(Event::DocType(d)) => {
                let d = String::from_utf8_lossy(&d).to_ascii_lowercase();
                html_doctype |= d.trim_start().starts_with("html");
            }
            Ok(Event::Text(t)) if t.iter().all(u8::is_ascii_whitespace) => {}
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let qname = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                return match local.as_str() {
                    "rss" | "RDF" | "rdf" | "feed" => Ok(SourceKind::Feed),
                    // An Atom entry document: a feed of one entry.
                    "entry" if atom_entry(&e) => Ok(SourceKind::Feed),
                    "urlset" | "sitemapindex" => Ok(SourceKind::Sitemap),
                    l if html_doctype || HTML_ROOTS.contains(&l.to_ascii_lowercase().as_str()) => Ok(SourceKind::Page),
                    _ if xml_decl || qname.contains(':') || has_xmlns(&e) => Err(ReadError::Unsupported(format!(
                        "an XML document with root <{qname}>: not a page, feed or sitemap"
                    ))),
                    // Markup soup of unknown tags: a browser would show its text.
                    _ => Ok(SourceKind::Page),
                };
            }
            // Text before any element (or markup quick-xml cannot parse): a page.
            Ok(Event::Text(_) | Event::CData(_) | Event::End(_)) | Err(_) => return Ok(SourceKind::Page),
            Ok(Event::Eof) if html_doctype => return Ok(SourceKind::Page),
            Ok(Event::Eof) => {
                return Err(ReadError::Unsupported(
                    "markup with no element and no text (only a declaration or comments)".into(),
                ))
            }
        }
    }
}

fn has_xmlns(e: &quick_xml::events::BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| {
        let k = a.key.as_ref();
        k == b"xmlns" || k.starts_with(b"xmlns:")
    })
}

fn atom_entry(e: &quick_xml::events::BytesStart<'_>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref().starts_with(b"xmlns") && a.value.as_ref().ends_with(b"2005/Atom"))
}

/// Plain text: a robots.txt, a list of addresses, a list of names, or a page.
/// `cut` says the head is not the whole input, so its last line may be partial.
fn text_kind(body: &str, name: &str, cut: bool) -> Result<SourceKind, ReadError> {
    let mut lines: Vec<&str> = body.lines().map(str::trim).collect();
    if cut && lines.len() > 1 {
        lines.pop();
    }
    let content: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let fields: Vec<&str> = content
        .iter()
        .filter_map(|l| robots_directive(l))
        .map(|d| d.0)
        .collect();
    let robots_name = name.ends_with("robots.txt");
    let first_is_directive = content.first().is_some_and(|l| robots_directive(l).is_some());
    // Prose can start with "Host:" (a transcript); robots files name a crawler or a sitemap.
    let names_agent = fields.iter().any(|f| matches!(*f, "user-agent" | "sitemap"));
    if (first_is_directive && names_agent && fields.len() * 2 >= content.len())
        || (robots_name && fields.len() == content.len())
    {
        return Ok(SourceKind::Robots);
    }
    let tokens = !content.is_empty()
        && content
            .iter()
            .all(|l| l.is_ascii() && !l.contains(|c: char| c.is_ascii_whitespace()));
    if tokens && content.iter().all(|l| is_http_url(l)) {
        return Ok(SourceKind::UrlList);
    }
    if tokens && content.len() >= 2 {
        return Err(ReadError::Unsupported(format!(
            "a list of names or paths, one per line ({} lines with no spaces): not an article",
            content.len()
        )));
    }
    Ok(SourceKind::Page)
}

/// The robots.txt directives (RFC 9309 and common extensions).
const ROBOTS_FIELDS: &[&str] = &[
    "user-agent",
    "disallow",
    "allow",
    "sitemap",
    "crawl-delay",
    "host",
    "noindex",
    "request-rate",
    "visit-time",
    "clean-param",
];

/// A robots.txt line's field name and value: `Name: value`, tolerating space
/// before the colon and a missing colon, as crawlers do. `None` for other lines.
pub(crate) fn robots_directive(line: &str) -> Option<(&'static str, &str)> {
    let line = line.trim();
    let lower = line.to_ascii_lowercase();
    ROBOTS_FIELDS.iter().find_map(|f| {
        let rest = lower.strip_prefix(f)?;
        let after = rest.trim_start();
        let value_at = if let Some(v) = after.strip_prefix(':') {
            line.len() - v.len()
        } else if rest.starts_with(char::is_whitespace) {
            line.len() - after.len()
        } else {
            return None;
        };
        Some((*f, line[value_at..].trim()))
    })
}

/// An absolute http(s) address.
pub(crate) fn is_http_url(s: &str) -> bool {
    let b = s.as_bytes();
    let scheme = if b.len() > 8 && b[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else if b.len() > 7 && b[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else {
        return false;
    };
    !s[scheme..].starts_with('/')
}

/// The kind of an input that is not a file: standard input is read whole
/// (under the size limit) and sniffed like a file's head.
pub(crate) fn sniff_bytes(input: &Input, bytes: &[u8]) -> Result<SourceKind, ReadError> {
    let name = match input {
        Input::File { path, .. } => path.file_name().and_then(|n| n.to_str()),
        Input::Stdin => None,
    };
    sniff(&bytes[..bytes.len().min(SNIFF_BYTES)], name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn kind(bytes: &[u8]) -> Option<SourceKind> {
        sniff(bytes, None).ok()
    }

    fn unsupported(bytes: &[u8], name: Option<&str>) -> bool {
        matches!(sniff(bytes, name), Err(ReadError::Unsupported(_)))
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn feeds_and_sitemaps_by_root_element_whatever_the_namespace() {
        use SourceKind::*;
        assert_eq!(kind(b"<?xml version='1.0'?>\n<rss version='2.0'><channel>"), Some(Feed));
        assert_eq!(
            kind(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x --><feed xmlns='http://www.w3.org/2005/Atom'>"),
            Some(Feed)
        );
        assert_eq!(kind(b"<rdf:RDF xmlns:rdf='x'><channel"), Some(Feed));
        assert_eq!(
            kind(b"<rss xmlns='http://backend.userland.com/rss'><channel>"),
            Some(Feed)
        );
        assert_eq!(kind(b"<feed version='0.3' xmlns='http://purl.org/echo/'>"), Some(Feed));
        assert_eq!(
            kind(b"<entry xmlns='http://www.w3.org/2005/Atom'><title>x</title>"),
            Some(Feed)
        );
        assert_eq!(
            kind(b"<?xml version='1.0'?><?xml-stylesheet href='s.xsl'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><lo"),
            Some(Sitemap)
        );
        assert_eq!(kind(b"<sitemapindex>"), Some(Sitemap));
        assert_eq!(
            kind(b"  {\"version\": \"https://jsonfeed.org/version/1\", \"items\": [{\"id\""),
            Some(Feed)
        );
        assert_eq!(
            kind(b"{\"version\":\"https:\\/\\/jsonfeed.org\\/version\\/1.1\",\"items\":[]}"),
            Some(Feed)
        );
        // UTF-16 with a byte-order mark, and UTF-32 without one.
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("<rss version=\"2.0\">".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(kind(&utf16), Some(Feed));
        let utf32: Vec<u8> = "<?xml version='1.0'?><rss>"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(kind(&utf32), Some(Feed));
    }

    #[test]
    fn archives_by_their_first_line_not_their_name() {
        assert_eq!(
            sniff(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", Some("crawl.wat")).ok(),
            Some(SourceKind::Warc)
        );
        assert_eq!(sniff(b"\r\nWARC/0.17\r\n", Some("x.html")).ok(), Some(SourceKind::Warc));
        assert_eq!(
            kind(b"filedesc://x.arc 0.0.0.0 20080430204825 text/plain 76\n1 0 Org\n"),
            Some(SourceKind::Arc)
        );
        assert_eq!(
            kind(b"http://example.com/ 93.184.216.119 20140216050221 text/html 1591\nHTTP/1.1 200 OK\r\n"),
            Some(SourceKind::Arc)
        );
        assert_eq!(
            kind(b"http://example.com/a?t=Examples From The Web 93.184.216.119 20140216050221 text/html 1591\n"),
            Some(SourceKind::Arc)
        );
        // An address line that is not an ARC header is text.
        assert_eq!(kind(b"http://example.com/ is where it is\n"), Some(SourceKind::Page));
    }

    #[test]
    fn gzip_is_undone_before_deciding() {
        let sitemap = gz(b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>https://a.example/</loc></url></urlset>");
        let head = read_head(&sitemap[..]).unwrap();
        assert_eq!(sniff(&head, Some("xmlSitemap.gz")).ok(), Some(SourceKind::Sitemap));
        let warc = gz(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n");
        let head = read_head(&warc[..]).unwrap();
        assert_eq!(sniff(&head, Some("example.warc.gz.bad")).ok(), Some(SourceKind::Warc));
        assert!(matches!(
            read_head(&gz(b"")[..]).map(|h| sniff(&h, None)),
            Ok(Err(ReadError::Empty))
        ));
        assert!(matches!(read_head(&[0x1f, 0x8b, 8, 0][..]), Err(ReadError::BadGzip(_))));
        assert!(unsupported(&gz(b"x"), None), "gzip inside gzip");
        assert!(unsupported(b"\x04\x22\x4d\x18\x64\x40\xa7WARC/1.1", Some("a.warc.lz4")));
    }

    #[test]
    fn json_lines_by_their_keys_or_name() {
        assert_eq!(
            kind(b"{\"url\": \"https://x.example\", \"html\": \"<p>\"}\n{\"url\": 1}\n"),
            Some(SourceKind::Jsonl)
        );
        assert_eq!(kind(b"{\"text\": \"Hello.\"}\n"), Some(SourceKind::Jsonl));
        let long = format!(
            "{{\"url\": \"https://x.example\", \"html\": \"{}",
            "a".repeat(SNIFF_BYTES)
        );
        assert_eq!(kind(&long.as_bytes()[..SNIFF_BYTES]), Some(SourceKind::Jsonl));
        assert_eq!(
            sniff(b"{\"a\": 1}\n", Some("pages.jsonl.gz")).ok(),
            Some(SourceKind::Jsonl)
        );
        assert!(unsupported(
            b"{\"feed_type\":\"RSS2\",\"title\":{\"content\":\"x\"}}",
            Some("f.serde.json")
        ));
        assert!(unsupported(b"[{\"a\": 1}]", None));
        assert_eq!(kind(b"[Updated] The council met."), Some(SourceKind::Page));
    }

    #[test]
    fn markup_pages_and_other_xml() {
        assert_eq!(
            kind(b"<!DOCTYPE html>\n<html lang=en><head><title>x</title>"),
            Some(SourceKind::Page)
        );
        assert_eq!(
            kind(b"<?xml version='1.0'?><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN'><html>"),
            Some(SourceKind::Page)
        );
        assert_eq!(kind(b"<p>hello</p>"), Some(SourceKind::Page));
        assert_eq!(kind(b"<!-- c --><div class=a>x</div>"), Some(SourceKind::Page));
        assert!(unsupported(
            b"<?xml version='1.0'?><catalog><book id='1'/></catalog>",
            Some("x.xml")
        ));
        assert!(unsupported(b"<svg:x xmlns:svg='s'/>", None));
        assert!(unsupported(b"<!--\r\nDescription: empty\r\n-->\r\n", None));
        // An XHTML doctype in front of a feed does not make it a page.
        assert_eq!(
            kind(b"<?xml version='1.0'?><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x'>\n<rss><channel>"),
            Some(SourceKind::Feed)
        );
        assert_eq!(
            kind(b"<?xml version='1.0' encoding='ISO-8859-1'?>\n<rdf>\n<item>"),
            Some(SourceKind::Feed)
        );
    }

    #[test]
    fn robots_and_lists_of_addresses() {
        let robots = b"# hi\nUser-agent: *\nDisallow: /private/\n\nSitemap: https://a.example/s.xml\n";
        assert_eq!(kind(robots), Some(SourceKind::Robots));
        assert_eq!(
            kind(b"user-agent bot2\ndisallow: /x\nhttp://a.example/s.xml\n"),
            Some(SourceKind::Robots)
        );
        assert_eq!(
            sniff(b"# nothing but a comment\n", Some("robots.txt")).ok(),
            Some(SourceKind::Robots)
        );
        // A transcript is not a robots file.
        assert_eq!(
            kind(b"Host: Welcome back.\nGuest: Thank you.\n"),
            Some(SourceKind::Page)
        );
        let utf16: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(
                "User-agent: *\nSitemap: https://a.example/s.xml\n"
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes),
            )
            .collect();
        assert_eq!(kind(&utf16), Some(SourceKind::Robots));
        assert_eq!(
            kind(b"\xef\xbb\xbfhttp://a.example/1\r\nhttps://a.example/2\r\n"),
            Some(SourceKind::UrlList)
        );
        assert_eq!(kind(b"http://a.example/only"), Some(SourceKind::UrlList));
        assert!(unsupported(
            b"crawl-data/CC-MAIN-2024-22/a.warc.gz\ncrawl-data/CC-MAIN-2024-22/b.warc.gz\n",
            None
        ));
        assert!(unsupported(
            b"part-00000.c000.gz.parquet\npart-00001.c000.gz.parquet\n",
            None
        ));
        assert_eq!(kind(b"Just a note.\nSecond line."), Some(SourceKind::Page));
        assert!(unsupported(
            b"#EXTM3U\n#EXTINF:123,Artist - Title\nhttp://a.example/a.mp3\n",
            None
        ));
        assert!(unsupported(
            b"[playlist]\nFile1=http://a.example/s\nTitle1=A station\n",
            None
        ));
        assert!(unsupported(
            b"<?xml version='1.0'?><playlist xmlns='http://xspf.org/ns/0/'><trackList/></playlist>",
            None
        ));
        assert_eq!(
            kind(b"\xe6\x97\xa5\xe6\x9c\xac\n\xe6\x97\xa5\xe6\x9c\xac\n"),
            Some(SourceKind::Page)
        );
        assert!(matches!(sniff(b" \n\t", None), Err(ReadError::Empty)));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = sniff(&bytes, None);
            let _ = sniff(&bytes, Some("robots.txt"));
            let _ = read_head(&bytes[..]);
        }
    }
}
