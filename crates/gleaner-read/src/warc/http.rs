//! What a record's block holds: HTTP responses (status, headers, chunked
//! transfer and gzip/deflate/br content encodings undone under the size limit)
//! and resources, turned into pages or per-record errors.

use super::*;

/// A `response` record: an HTTP response (status line, headers, entity).
pub(super) fn response<S: Stream + ?Sized>(
    b: &mut Block<'_, S>,
    h: &WarcHeader,
    limits: &ReadLimits,
) -> io::Result<Verdict> {
    let ct = h.content_type.as_deref().unwrap_or("").to_ascii_lowercase();
    let http = ct.starts_with("application/http") || b.peek(5)?.starts_with(b"HTTP/");
    if !http {
        // DNS lookups (Heritrix writes them as responses) are no pages; other
        // non-HTTP responses carry their payload as the block, like resources.
        let dns = ct.starts_with("text/dns")
            || h.uri
                .as_deref()
                .is_some_and(|u| u.to_ascii_lowercase().starts_with("dns:"));
        return if dns { Ok(Verdict::Skip) } else { resource(b, h, limits) };
    }
    let mut status = 0u16;
    let mut fields = Vec::new();
    let mut line = Vec::new();
    for _ in 0..MAX_INTERIM {
        let kind = read_line(b, MAX_LINE, &mut line)?;
        let code = match kind {
            Line::None => {
                return Ok(outcome_error(
                    h,
                    "bad record",
                    "the response record holds no HTTP response",
                ))
            }
            Line::TooLong => None,
            Line::Full | Line::Last => parse_status(&line),
        };
        let Some(code) = code else {
            return Ok(outcome_error(
                h,
                "bad record",
                "the response record does not start with an HTTP status line",
            ));
        };
        match read_fields(b, false)? {
            Head::Fields(f) => fields = f,
            Head::Bad { reason, .. } => return Ok(outcome_error(h, "bad record", format!("HTTP header: {reason}"))),
        }
        status = code;
        // `100 Continue` and friends precede the real response in the block.
        if !(100..200).contains(&code) {
            break;
        }
    }
    // Redirects and failures hold no article; 204 holds nothing at all.
    if !(200..300).contains(&status) || status == 204 {
        return Ok(Verdict::Skip);
    }
    // A crawler's own protocol file, never an article.
    if h.uri.as_deref().is_some_and(is_robots_txt) {
        return Ok(Verdict::Skip);
    }
    let (media, charset) = parse_content_type(field(&fields, "content-type"));
    let class = classify(&media);
    let listing = class == Class::Other && is_listing_type(&media);
    if class == Class::Other && !listing {
        return Ok(non_html(h, &media));
    }
    let chunked = field(&fields, "transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let encoding = field(&fields, "content-encoding").unwrap_or("").to_ascii_lowercase();
    let bytes = match read_body(b, chunked, &encoding, limits.max_bytes)? {
        Body::Bytes(v) => v,
        Body::TooLarge => return Ok(too_large(h, limits)),
        Body::Bad(reason) => return Ok(outcome_error(h, "bad encoding", reason)),
    };
    if listing {
        // Feeds and sitemaps a crawler fetched to find pages are lists of
        // pages, not failed pages: passed over like redirects.
        return Ok(
            match crate::sniff(&bytes[..bytes.len().min(crate::SNIFF_BYTES)], None) {
                Ok(crate::SourceKind::Feed | crate::SourceKind::Sitemap) => Verdict::Skip,
                _ => non_html(h, &media),
            },
        );
    }
    if bytes.is_empty() {
        if let Some(t) = &h.truncated {
            // The archive kept none of the payload (a fetcher's size limit):
            // an empty page would hide that.
            return Ok(outcome_error(
                h,
                "truncated",
                format!("the archive kept no payload (WARC-Truncated: {t})"),
            ));
        }
    }
    Ok(page(h, bytes, charset, class, true))
}

/// A `resource` record (or a non-HTTP response): the block is the payload and
/// the WARC Content-Type describes it.
pub(super) fn resource<S: Stream + ?Sized>(
    b: &mut Block<'_, S>,
    h: &WarcHeader,
    limits: &ReadLimits,
) -> io::Result<Verdict> {
    // Resources also hold crawler-side files (logs and arguments under
    // metadata: addresses, screenshots and page info under urn: ones): only
    // those standing for a web address are pages.
    if !h.is_web() {
        return Ok(Verdict::Skip);
    }
    let (media, charset) = parse_content_type(h.content_type.as_deref());
    let class = classify(&media);
    if class == Class::Other {
        return Ok(non_html(h, &media));
    }
    let bytes = match read_body(b, false, "", limits.max_bytes)? {
        Body::Bytes(v) => v,
        Body::TooLarge => return Ok(too_large(h, limits)),
        Body::Bad(reason) => return Ok(outcome_error(h, "bad encoding", reason)),
    };
    Ok(page(h, bytes, charset, class, true))
}

/// Media types of feeds and sitemaps (XML in general, since sitemaps and
/// many feeds are served as plain XML; the payload decides).
fn is_listing_type(media: &str) -> bool {
    matches!(
        media,
        "application/rss+xml"
            | "application/atom+xml"
            | "application/rdf+xml"
            | "application/feed+json"
            | "application/xml"
            | "text/xml"
            | "application/json"
    )
}

/// A `/robots.txt` address (query and fragment aside).
fn is_robots_txt(uri: &str) -> bool {
    let path = uri.split(['?', '#']).next().unwrap_or("");
    path.to_ascii_lowercase().ends_with("/robots.txt")
}

pub(super) fn non_html(h: &WarcHeader, media: &str) -> Verdict {
    outcome_error(h, "non-html", format!("the payload is {media}, not HTML or plain text"))
}

pub(super) fn too_large(h: &WarcHeader, limits: &ReadLimits) -> Verdict {
    outcome_error(
        h,
        "too large",
        format!(
            "the payload is larger than the limit of {} bytes (--max-bytes)",
            limits.max_bytes
        ),
    )
}

/// Builds the page, sniffing the payload when no Content-Type said what it is.
pub(super) fn page(h: &WarcHeader, bytes: Vec<u8>, charset: Option<String>, class: Class, report: bool) -> Verdict {
    let kind = match class {
        Class::Html => DocKind::Html,
        Class::Text => DocKind::Text,
        Class::Unknown if looks_html(&bytes) => DocKind::Html,
        Class::Unknown | Class::Other => {
            return if report {
                outcome_error(
                    h,
                    "non-html",
                    "the payload has no Content-Type and does not look like HTML",
                )
            } else {
                Verdict::Skip
            };
        }
    };
    Verdict::Page(RawPage {
        bytes,
        url: h.uri.clone(),
        fetched_at: h.date.clone(),
        warc_record_id: h.id.clone(),
        payload_digest: h.payload_digest.clone(),
        charset,
        kind: Some(kind),
        ..Default::default()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Html,
    Text,
    /// No Content-Type: decide from the bytes.
    Unknown,
    Other,
}

pub(super) fn classify(media: &str) -> Class {
    match media {
        "" => Class::Unknown,
        "text/html" | "application/xhtml+xml" => Class::Html,
        "text/plain" => Class::Text,
        _ => Class::Other,
    }
}

/// Splits a Content-Type value into its lowercased media type and charset.
pub(super) fn parse_content_type(value: Option<&str>) -> (String, Option<String>) {
    let value = value.unwrap_or("");
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let v = v
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .trim()
            .to_ascii_lowercase();
        (!v.is_empty()).then_some(v)
    });
    (media, charset)
}

/// The first non-empty value of a header (names are stored lowercased).
pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, v)| n == name && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

/// `HTTP/1.1 200 OK` → 200. `HTTP/2 200` too.
pub(super) fn parse_status(line: &[u8]) -> Option<u16> {
    if !line.starts_with(b"HTTP/") {
        return None;
    }
    let mut parts = line.split(|c| *c == b' ' || *c == b'\t').filter(|p| !p.is_empty());
    parts.next()?;
    let code = parts.next()?;
    if code.len() != 3 || !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(code).ok()?.parse().ok()
}

/// Markup near the start, as `sniff_kind` judges it, on raw bytes.
pub(super) fn looks_html(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 2048)];
    if !head.starts_with(b"<") {
        return false;
    }
    let lower = head.to_ascii_lowercase();
    const TAGS: &[&[u8]] = &[
        b"<!doctype",
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<div",
        b"<p",
        b"<!--",
        b"<?xml",
        b"<title",
        b"<article",
    ];
    TAGS.iter().any(|t| memchr::memmem::find(&lower, t).is_some())
}

/// Result of reading a payload.
pub(super) enum Body {
    Bytes(Vec<u8>),
    TooLarge,
    /// The transfer or content encoding could not be decoded.
    Bad(String),
}

/// Reads the entity body from the rest of the block, undoing chunked transfer
/// encoding and gzip/deflate/br content encoding, under `limit` decompressed bytes.
///
/// Archives often keep the original headers while storing the payload already
/// decoded (Common Crawl does), so each encoding is undone only when the bytes
/// actually look encoded.
pub(super) fn read_body<S: Stream + ?Sized>(
    b: &mut Block<'_, S>,
    chunked: bool,
    encoding: &str,
    limit: u64,
) -> io::Result<Body> {
    let chunked = chunked && looks_chunked(b.peek(32)?);
    // What is left of the block is the entity's size when it is stored as is.
    let hint = b.left;
    let result = {
        let base: Box<dyn Read + '_> = if chunked {
            Box::new(Chunked {
                inner: &mut *b,
                left: 0,
                done: false,
                line: Vec::new(),
            })
        } else {
            Box::new(&mut *b)
        };
        decode_limited(base, encoding, limit, hint)
    };
    // An error from below the block is the archive failing (a corrupt gzip
    // member), not this payload: the caller must hear of it as such.
    if let Some(f) = b.failed.take() {
        return Err(f);
    }
    Ok(result.unwrap_or_else(|e| Body::Bad(format!("cannot decode the payload: {e}"))))
}

pub(super) fn decode_limited<'a>(
    mut base: Box<dyn Read + 'a>,
    encoding: &str,
    limit: u64,
    hint: u64,
) -> io::Result<Body> {
    let mut head = [0u8; 2];
    let n = read_full(&mut base, &mut head)?;
    let head = &head[..n];
    // An entity that starts like text was stored decoded, whatever the header says.
    let textual = head
        .first()
        .is_some_and(|&c| c == b'<' || c.is_ascii_whitespace() || c == 0xef);
    let codings: Vec<&str> = encoding
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty() && *c != "identity" && *c != "none")
        .collect();
    let chained = io::Cursor::new(head.to_vec()).chain(base);
    let mut reader: Box<dyn Read + 'a> = match codings.as_slice() {
        [] => Box::new(chained),
        ["gzip" | "x-gzip"] if head == [0x1f, 0x8b] => Box::new(flate2::read::MultiGzDecoder::new(chained)),
        ["gzip" | "x-gzip"] => Box::new(chained),
        ["deflate"] if is_zlib(head) => Box::new(flate2::read::ZlibDecoder::new(chained)),
        ["deflate"] if !textual => Box::new(flate2::read::DeflateDecoder::new(chained)),
        // Brotli has no magic bytes: text-looking bytes were stored decoded.
        ["br"] if !textual => Box::new(brotli_decompressor::Decompressor::new(chained, 16 * 1024)),
        _ if textual => Box::new(chained),
        _ => return Ok(Body::Bad(format!("unsupported Content-Encoding: {encoding}"))),
    };
    read_capped(&mut reader, limit, hint)
}

/// Reads to the end, failing as soon as more than `limit` bytes come. The
/// buffer starts at `hint` and grows by doubling, but never beyond `limit`
/// (`read_to_end` could reach twice the limit), so a page costs at most
/// `max_bytes` of memory.
pub(super) fn read_capped(r: &mut dyn Read, limit: u64, hint: u64) -> io::Result<Body> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut out: Vec<u8> = Vec::with_capacity(usize::try_from(hint).unwrap_or(usize::MAX).min(limit));
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) => return Ok(Body::Bytes(out)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n > limit - out.len() {
            return Ok(Body::TooLarge);
        }
        if out.capacity() - out.len() < n {
            let want = out.capacity().saturating_mul(2).max(out.len() + n).min(limit);
            out.reserve_exact(want - out.len());
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// A zlib header (RFC 1950): deflate method, and the check bits agree.
pub(super) fn is_zlib(head: &[u8]) -> bool {
    matches!(head, [a, b] if a & 0x0f == 8 && (u16::from(*a) << 8 | u16::from(*b)) % 31 == 0)
}

/// A chunk-size line: hex digits, then an extension, blank or line end.
pub(super) fn looks_chunked(p: &[u8]) -> bool {
    let hex = p.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    (1..=16).contains(&hex) && matches!(p.get(hex), Some(b'\r' | b'\n' | b';' | b' ' | b'\t'))
}

/// Undoes HTTP/1.1 chunked transfer encoding. Lenient where that is harmless
/// (missing CRLF after a chunk, data ending without the last chunk); a chunk
/// size that is not hex is an error.
pub(super) struct Chunked<B> {
    pub(super) inner: B,
    pub(super) left: u64,
    pub(super) done: bool,
    pub(super) line: Vec<u8>,
}

impl<B: BufRead> Read for Chunked<B> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            match read_line(&mut self.inner, MAX_CHUNK_LINE, &mut self.line)? {
                Line::None => {
                    self.done = true;
                    return Ok(0);
                }
                Line::TooLong => return Err(io::Error::new(io::ErrorKind::InvalidData, "chunk size line too long")),
                Line::Full | Line::Last => {}
            }
            let size_part = self.line.split(|c| *c == b';').next().unwrap_or(&[]).trim_ascii();
            if size_part.is_empty() {
                continue; // the line end after a chunk's data
            }
            let size = std::str::from_utf8(size_part)
                .ok()
                .filter(|s| s.len() <= 16)
                .and_then(|s| u64::from_str_radix(s, 16).ok())
                .ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        "bad chunk size in chunked transfer encoding",
                    )
                })?;
            if size == 0 {
                // Trailer fields up to a blank line; each pass consumes a line.
                while let Line::Full | Line::Last = read_line(&mut self.inner, MAX_CHUNK_LINE, &mut self.line)? {
                    if self.line.is_empty() {
                        break;
                    }
                }
                self.done = true;
                return Ok(0);
            }
            self.left = size;
        }
        let want = out.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut out[..want])?;
        if n == 0 {
            self.done = true;
            self.left = 0;
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}
