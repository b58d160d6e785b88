//! Writing WARC/1.1 records: what tests and benchmarks (here and in other
//! crates' tests) use to make archives without shipping binary fixtures. It
//! writes well-formed records with the fields their callers give; archives
//! meant as evidence (digests, request/response pairs, file rotation) are
//! written by `gleaner-fetch` on top of [`record_with`].

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh `<urn:uuid:…>` record id, unique within the process (and, by
/// the process id and clock in it, almost surely across processes).
pub fn record_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let pid = std::process::id();
    format!(
        "<urn:uuid:{pid:08x}-{:04x}-4{:03x}-8{:03x}-{n:012x}>",
        clock >> 16,
        clock & 0xfff,
        (clock >> 4) & 0xfff
    )
}

/// A complete WARC/1.1 record of any type around `block`, with the record
/// separator (CRLF CRLF) after it.
pub fn record(warc_type: &str, target_uri: Option<&str>, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let id = record_id();
    let mut fields = vec![("WARC-Record-ID", id.as_str()), ("WARC-Date", date)];
    if let Some(uri) = target_uri {
        fields.push(("WARC-Target-URI", uri));
    }
    record_with(warc_type, &fields, content_type, block)
}

/// A complete WARC/1.1 record: the version line, `WARC-Type`, the caller's
/// `fields` in their order (record id, date, digests, links to other
/// records: whatever the record needs), `Content-Type`, `Content-Length`,
/// the block and the record separator. Fields are written as given; a value
/// holding a line break would break the record, so those characters are
/// replaced by spaces.
pub fn record_with(warc_type: &str, fields: &[(&str, &str)], content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 512);
    out.extend_from_slice(b"WARC/1.1\r\n");
    let mut field = |name: &str, value: &str| {
        let value: String = value
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
            .collect();
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    };
    field("WARC-Type", warc_type);
    for (name, value) in fields {
        field(name, value);
    }
    field("Content-Type", content_type);
    field("Content-Length", &block.len().to_string());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP/1.1 response: status line, the given headers as they are (no
/// Content-Length added), a blank line and `body`.
pub fn http_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let reason = if status == 200 { "OK" } else { "Status" };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// A `response` record: an HTTP/1.1 200 response with `content_type` and
/// Content-Length headers and `body`, fetched from `url` at `date`.
pub fn response_record(url: &str, date: &str, body: &[u8], content_type: &str) -> Vec<u8> {
    let len = body.len().to_string();
    let http = http_response(200, &[("Content-Type", content_type), ("Content-Length", &len)], body);
    record("response", Some(url), date, "application/http; msgtype=response", &http)
}

/// `bytes` as one gzip member, as `.warc.gz` writers store each record.
pub fn gzip_member(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    e.write_all(bytes).expect("writing to a Vec");
    e.finish().expect("writing to a Vec")
}
