//! Writing WARC/1.1 records: what tests and benchmarks (here and in other
//! crates' tests) use to make archives without shipping binary fixtures. It
//! writes well-formed records with the fields those need; archives meant as
//! evidence (with digests) are written by the fetching side.

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
    let mut out = Vec::with_capacity(block.len() + 512);
    out.extend_from_slice(b"WARC/1.1\r\n");
    out.extend_from_slice(format!("WARC-Type: {warc_type}\r\n").as_bytes());
    out.extend_from_slice(format!("WARC-Record-ID: {}\r\n", record_id()).as_bytes());
    out.extend_from_slice(format!("WARC-Date: {date}\r\n").as_bytes());
    if let Some(uri) = target_uri {
        out.extend_from_slice(format!("WARC-Target-URI: {uri}\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .as_bytes(),
    );
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
