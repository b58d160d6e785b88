use super::write::{gzip_member, http_response, record, response_record};
use super::*;
use proptest::prelude::*;
use std::io::{Cursor, Write};

const DATE: &str = "2024-05-01T12:00:00Z";

fn html(i: usize) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html><head><title>Story {i}</title></head>\
         <body><p>Paragraph {i} of the story, with some words.</p></body></html>"
    )
    .into_bytes()
}

fn url(i: usize) -> String {
    format!("https://news.example/story/{i}")
}

fn limits() -> ReadLimits {
    ReadLimits::default()
}

fn read_all(bytes: &[u8], start: u64, limits: ReadLimits) -> Vec<Item> {
    let reader = WarcReader::from_reader(Cursor::new(bytes.to_vec()), start, limits).unwrap();
    // A cap far above any sane count, so a looping reader fails instead of hanging.
    let cap = bytes.len() + 16;
    let items: Vec<Item> = reader.take(cap).collect();
    assert!(items.len() < cap, "reader did not terminate");
    items
}

fn pages(items: &[Item]) -> Vec<&RawPage> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Page(p) => Some(p),
            _ => None,
        })
        .collect()
}

fn errors(items: &[Item]) -> Vec<&ItemError> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Error(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn categories(items: &[Item]) -> Vec<&'static str> {
    items
        .iter()
        .map(|i| match i {
            Item::Page(_) => "page",
            Item::Pending(_) => "pending",
            Item::Error(e) => e.category,
        })
        .collect()
}

/// Records of every kind, each with the page body it must yield, if any.
/// Record ids are made deterministic so that failing cases replay.
fn fixture() -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    let mut fx = fixture_records();
    for (i, (rec, _)) in fx.iter_mut().enumerate() {
        let at = memchr::memmem::find(rec, b"WARC-Record-ID: <urn:uuid:").unwrap() + 26;
        rec[at..at + 36].copy_from_slice(format!("00000000-0000-4000-8000-{i:012x}").as_bytes());
    }
    fx
}

fn fixture_records() -> Vec<(Vec<u8>, Option<Vec<u8>>)> {
    let redirect = http_response(301, &[("Location", "https://news.example/")], b"");
    let missing = http_response(404, &[("Content-Type", "text/html")], b"<html>gone</html>");
    vec![
        (
            record(
                "warcinfo",
                None,
                DATE,
                "application/warc-fields",
                b"software: test\r\nformat: WARC 1.1\r\n",
            ),
            None,
        ),
        (
            record(
                "request",
                Some(&url(1)),
                DATE,
                "application/http; msgtype=request",
                b"GET /story/1 HTTP/1.1\r\nHost: news.example\r\n\r\n",
            ),
            None,
        ),
        (
            response_record(&url(1), DATE, &html(1), "text/html; charset=UTF-8"),
            Some(html(1)),
        ),
        (
            record(
                "metadata",
                Some(&url(1)),
                DATE,
                "application/warc-fields",
                b"fetchTimeMs: 12\r\n",
            ),
            None,
        ),
        (response_record(&url(2), DATE, &html(2), "text/html"), Some(html(2))),
        (
            record(
                "response",
                Some(&url(3)),
                DATE,
                "application/http; msgtype=response",
                &redirect,
            ),
            None,
        ),
        (
            response_record(&url(4), DATE, b"Just a plain note.\nSecond line.", "text/plain"),
            Some(b"Just a plain note.\nSecond line.".to_vec()),
        ),
        (
            record(
                "response",
                Some(&url(5)),
                DATE,
                "application/http; msgtype=response",
                &missing,
            ),
            None,
        ),
        (
            record(
                "revisit",
                Some(&url(2)),
                DATE,
                "application/http; msgtype=response",
                b"HTTP/1.1 200 OK\r\n\r\n",
            ),
            None,
        ),
        (
            response_record(&url(6), DATE, &html(6), "application/xhtml+xml"),
            Some(html(6)),
        ),
    ]
}

fn plain(fx: &[(Vec<u8>, Option<Vec<u8>>)]) -> Vec<u8> {
    fx.iter().flat_map(|(r, _)| r.clone()).collect()
}

fn gz(fx: &[(Vec<u8>, Option<Vec<u8>>)]) -> Vec<u8> {
    fx.iter().flat_map(|(r, _)| gzip_member(r)).collect()
}

fn expected(fx: &[(Vec<u8>, Option<Vec<u8>>)]) -> Vec<Vec<u8>> {
    fx.iter().filter_map(|(_, p)| p.clone()).collect()
}

fn bodies(items: &[Item]) -> Vec<Vec<u8>> {
    pages(items).iter().map(|p| p.bytes.clone()).collect()
}

#[test]
fn plain_round_trip_skips_records_without_pages() {
    let fx = fixture();
    let items = read_all(&plain(&fx), 0, limits());
    assert_eq!(categories(&items), ["page"; 4]);
    assert_eq!(bodies(&items), expected(&fx));
    let p = pages(&items);
    assert_eq!(p[0].url.as_deref(), Some(url(1).as_str()));
    assert_eq!(p[0].fetched_at.as_deref(), Some(DATE));
    assert!(p[0]
        .warc_record_id
        .as_deref()
        .is_some_and(|id| id.starts_with("<urn:uuid:") && id.ends_with('>')));
    assert_eq!(p[0].charset.as_deref(), Some("utf-8"));
    assert_eq!(p[0].kind, Some(DocKind::Html));
    assert_eq!(p[1].charset, None);
    assert_eq!(p[2].kind, Some(DocKind::Text));
    assert_eq!(p[3].kind, Some(DocKind::Html));
    // Plain offsets are record starts.
    let starts: Vec<u64> = fx
        .iter()
        .scan(0u64, |at, (r, _)| {
            let s = *at;
            *at += r.len() as u64;
            Some(s)
        })
        .collect();
    assert_eq!(p[0].offset, starts[2]);
    assert_eq!(p[0].next_offset, starts[3]);
    assert_eq!(p[3].next_offset, plain(&fx).len() as u64);
}

#[test]
fn gzip_round_trip_with_member_offsets() {
    let fx = fixture();
    let data = gz(&fx);
    let r = WarcReader::from_reader(Cursor::new(data.clone()), 0, limits()).unwrap();
    assert!(r.is_gzip());
    let items: Vec<Item> = r.collect();
    assert_eq!(bodies(&items), expected(&fx));
    let mut starts = vec![0u64];
    for (rec, _) in &fx {
        starts.push(starts[starts.len() - 1] + gzip_member(rec).len() as u64);
    }
    // gzip output is deterministic, so the member sizes are those of `data`.
    assert_eq!(*starts.last().unwrap(), data.len() as u64);
    let p = pages(&items);
    assert_eq!((p[0].offset, p[0].next_offset), (starts[2], starts[3]));
    assert_eq!((p[3].offset, p[3].next_offset), (starts[9], starts[10]));
}

#[test]
fn resuming_from_every_next_offset_yields_exactly_the_rest() {
    let fx = fixture();
    for data in [plain(&fx), gz(&fx)] {
        let all = read_all(&data, 0, limits());
        assert_eq!(all.len(), 4);
        for (i, item) in all.iter().enumerate() {
            let rest = read_all(&data, item.next_offset(), limits());
            assert_eq!(rest, all[i + 1..], "resuming at {}", item.next_offset());
            let again = read_all(&data, item.offset(), limits());
            assert_eq!(again, all[i..], "re-reading at {}", item.offset());
        }
    }
}

#[test]
fn one_member_holding_many_records() {
    let fx = fixture();
    let data = gzip_member(&plain(&fx));
    let items = read_all(&data, 0, limits());
    assert_eq!(bodies(&items), expected(&fx));
    let offs: Vec<(u64, u64)> = items.iter().map(|i| (i.offset(), i.next_offset())).collect();
    let end = data.len() as u64;
    assert_eq!(offs, [(0, 0), (0, 0), (0, 0), (0, end)]);
    assert!(read_all(&data, end, limits()).is_empty());
}

#[test]
fn empty_input_yields_nothing() {
    assert!(read_all(b"", 0, limits()).is_empty());
    assert!(read_all(b"\r\n\r\n", 0, limits()).is_empty());
    assert!(read_all(&gzip_member(b""), 0, limits()).is_empty());
}

#[test]
fn binary_junk_is_one_bad_record() {
    let junk: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let items = read_all(&junk, 0, limits());
    assert_eq!(categories(&items), ["bad record"]);
    assert_eq!(items[0].next_offset(), junk.len() as u64);
    let mut gz_junk = vec![0x1f, 0x8b, 0x08, 0x00];
    gz_junk.extend_from_slice(&junk);
    let items = read_all(&gz_junk, 0, limits());
    assert_eq!(categories(&items), ["bad gzip"]);
    assert_eq!(items[0].next_offset(), gz_junk.len() as u64);
}

#[test]
fn junk_between_records_is_skipped_once() {
    let mut data = response_record(&url(1), DATE, &html(1), "text/html");
    data.extend_from_slice(b"garbage line\nmore garbage\n");
    data.extend_from_slice(&response_record(&url(2), DATE, &html(2), "text/html"));
    let items = read_all(&data, 0, limits());
    assert_eq!(categories(&items), ["page", "bad record", "page"]);
}

#[test]
fn truncated_last_gzip_member() {
    let fx = fixture();
    let mut data = gz(&fx);
    let last = gzip_member(&fx[fx.len() - 1].0).len();
    data.truncate(data.len() - last / 2);
    let items = read_all(&data, 0, limits());
    assert_eq!(categories(&items), ["page", "page", "page", "truncated"]);
    assert_eq!(items[3].next_offset(), data.len() as u64);
    assert_eq!(bodies(&items), expected(&fx)[..3]);
}

#[test]
fn truncated_last_plain_record() {
    let fx = fixture();
    let mut data = plain(&fx);
    data.truncate(data.len() - 40);
    let items = read_all(&data, 0, limits());
    assert_eq!(categories(&items), ["page", "page", "page", "truncated"]);
    let e = errors(&items)[0];
    assert!(e.record.as_deref().is_some_and(|r| r.starts_with("<urn:uuid:")));
    assert_eq!(e.next_offset, data.len() as u64);
    // Cut inside the header.
    let one = response_record(&url(1), DATE, &html(1), "text/html");
    let items = read_all(&one[..30], 0, limits());
    assert_eq!(categories(&items), ["truncated"]);
}

/// Rewrites the Content-Length of a record's WARC header by `delta`.
fn with_length(rec: &[u8], delta: i64) -> Vec<u8> {
    let text = rec.to_vec();
    let at = memchr::memmem::find(&text, b"\r\nContent-Length: ").unwrap() + 18;
    let end = at + memchr(b'\r', &text[at..]).unwrap();
    let len: i64 = std::str::from_utf8(&text[at..end]).unwrap().parse().unwrap();
    let mut out = text[..at].to_vec();
    out.extend_from_slice((len + delta).to_string().as_bytes());
    out.extend_from_slice(&text[end..]);
    out
}

fn three(mid: Vec<u8>) -> Vec<Vec<u8>> {
    vec![
        response_record(&url(1), DATE, &html(1), "text/html"),
        mid,
        response_record(&url(3), DATE, &html(3), "text/html"),
    ]
}

/// A wrong Content-Length costs nothing when the next record (or the end of
/// the record's gzip member) shows where the block really ends: the record
/// is read again with that length, as warcio and warcio.js read such files.
#[test]
fn content_length_too_long_is_recovered() {
    let recs = three(with_length(&response_record(&url(2), DATE, &html(2), "text/html"), 300));
    let all = [html(1), html(2), html(3)];
    // Plain: the block would swallow the next record; it is found, and both are read.
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(categories(&items), ["page", "page", "page"]);
    assert_eq!(bodies(&items), all);
    assert_eq!(items[1].next_offset(), (recs[0].len() + recs[1].len()) as u64);
    // Plain, last record: indistinguishable from a cut file.
    let mut last = recs.clone();
    last.swap(1, 2);
    assert_eq!(
        categories(&read_all(&last.concat(), 0, limits())),
        ["page", "page", "truncated"]
    );
    // Gzip: the member ends inside the block.
    let data: Vec<u8> = recs.iter().flat_map(|r| gzip_member(r)).collect();
    let items = read_all(&data, 0, limits());
    assert_eq!(categories(&items), ["page", "page", "page"]);
    assert_eq!(bodies(&items), all);
    // Gzip, one member for all: the swallowed record is recovered too.
    let items = read_all(&gzip_member(&recs.concat()), 0, limits());
    assert_eq!(categories(&items), ["page", "page", "page"]);
    assert_eq!(bodies(&items), all);
}

#[test]
fn content_length_too_short_is_recovered() {
    let recs = three(with_length(&response_record(&url(2), DATE, &html(2), "text/html"), -25));
    let all = [html(1), html(2), html(3)];
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(categories(&items), ["page", "page", "page"]);
    assert_eq!(bodies(&items), all);
    assert_eq!(items[1].next_offset(), (recs[0].len() + recs[1].len()) as u64);
    let data: Vec<u8> = recs.iter().flat_map(|r| gzip_member(r)).collect();
    assert_eq!(bodies(&read_all(&data, 0, limits())), all);
    assert_eq!(bodies(&read_all(&gzip_member(&recs.concat()), 0, limits())), all);
    // A block that is no page at any length is still a bad length.
    let odd = with_length(&resource_like(&url(2)), -3);
    let items = read_all(&[recs[0].clone(), odd, recs[2].clone()].concat(), 0, limits());
    assert_eq!(categories(&items), ["page", "bad length", "page"]);
}

/// A response record whose block is not HTTP and whose type says nothing
/// readable: no page whatever its length.
fn resource_like(u: &str) -> Vec<u8> {
    let block = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n";
    let mut r = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {u}\r\nWARC-Date: {DATE}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

#[test]
fn damaged_next_header_does_not_cost_the_previous_record() {
    let mut recs = three(response_record(&url(2), DATE, &html(2), "text/html"));
    recs[1][0] = b'X'; // "XARC/1.1"
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(categories(&items), ["page", "bad record", "page"]);
}

#[test]
fn corrupt_gzip_member_in_the_middle() {
    let recs = three(response_record(&url(2), DATE, &html(2), "text/html"));
    let members: Vec<Vec<u8>> = recs.iter().map(|r| gzip_member(r)).collect();
    let mut data = members.concat();
    let mid = members[0].len() + members[1].len() / 2;
    for b in &mut data[mid..mid + 8] {
        *b ^= 0x5a;
    }
    let items = read_all(&data, 0, limits());
    assert_eq!(categories(&items), ["page", "bad gzip", "page"]);
    assert_eq!(items[1].offset(), members[0].len() as u64);
    assert_eq!(items[1].next_offset(), (members[0].len() + members[1].len()) as u64);
    // Junk between members.
    let mut data = members[0].clone();
    data.extend_from_slice(b"\x00\x00junk\x1f\x8b\x08\x00 not a member");
    data.extend_from_slice(&members[2]);
    let items = read_all(&data, 0, limits());
    assert_eq!(categories(&items), ["page", "bad gzip", "page"]);
}

#[test]
fn non_html_payloads_are_errors() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let recs = [
        response_record("https://news.example/a.png", DATE, png, "image/png"),
        response_record("https://news.example/a.pdf", DATE, b"%PDF-1.7", "application/pdf"),
        response_record(&url(1), DATE, &html(1), "text/html"),
    ];
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(categories(&items), ["non-html", "non-html", "page"]);
    let e = errors(&items);
    assert!(e[0].reason.contains("image/png"));
    assert!(e[1].reason.contains("application/pdf"));
    assert_eq!(e[0].record.as_deref().map(|r| r.starts_with("<urn:uuid:")), Some(true));
}

#[test]
fn missing_content_type_is_sniffed() {
    let rec = |body: &[u8]| {
        let http = http_response(200, &[], body);
        record(
            "response",
            Some(&url(1)),
            DATE,
            "application/http; msgtype=response",
            &http,
        )
    };
    let items = read_all(&[rec(&html(1)), rec(b"\x00\x01\x02 binary")].concat(), 0, limits());
    assert_eq!(categories(&items), ["page", "non-html"]);
    assert_eq!(pages(&items)[0].kind, Some(DocKind::Html));
}

#[test]
fn resource_records() {
    let recs = [
        record(
            "resource",
            Some(&url(1)),
            DATE,
            "text/html; charset=windows-1252",
            &html(1),
        ),
        record("resource", Some("urn:pageinfo:x"), DATE, "application/json", b"{}"),
        // A crawler's log is text, but under a metadata: address it is no page.
        record(
            "resource",
            Some("metadata://gnu.org/software/wget/warc/wget.log"),
            DATE,
            "text/plain",
            b"Opening WARC file 'x.warc.gz'.\n--2024-01-01 10:00:00--  https://news.example/\n",
        ),
        record(
            "resource",
            Some("https://news.example/logo.gif"),
            DATE,
            "image/gif",
            b"GIF89a",
        ),
    ];
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(categories(&items), ["page", "non-html"]);
    assert_eq!(pages(&items)[0].charset.as_deref(), Some("windows-1252"));
    assert_eq!(pages(&items)[0].bytes, html(1));
}

#[test]
fn chunked_transfer_encoding_and_charset() {
    let body = b"b\r\n<html><p>Gr\r\n7;name=v\r\n\xfc\xdfe</p>\r\n0\r\nX-Trailer: 1\r\n\r\n";
    let http = http_response(
        200,
        &[
            ("Content-Type", "text/html; Charset=\"ISO-8859-1\""),
            ("Transfer-Encoding", "chunked"),
        ],
        body,
    );
    let rec = record(
        "response",
        Some(&url(1)),
        DATE,
        "application/http; msgtype=response",
        &http,
    );
    let items = read_all(&rec, 0, limits());
    let p = pages(&items);
    assert_eq!(p[0].bytes, b"<html><p>Gr\xfc\xdfe</p>");
    assert_eq!(p[0].charset.as_deref(), Some("iso-8859-1"));
    // Already de-chunked by the crawler, header kept: passed through.
    let http = http_response(
        200,
        &[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
        &html(2),
    );
    let rec = record(
        "response",
        Some(&url(2)),
        DATE,
        "application/http; msgtype=response",
        &http,
    );
    assert_eq!(bodies(&read_all(&rec, 0, limits())), [html(2)]);
}

#[test]
fn content_encodings() {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&html(2)).unwrap();
    let zlib = z.finish().unwrap();
    let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    d.write_all(&html(3)).unwrap();
    let raw_deflate = d.finish().unwrap();
    let rec = |enc: &str, body: &[u8]| {
        let http = http_response(200, &[("Content-Type", "text/html"), ("Content-Encoding", enc)], body);
        record(
            "response",
            Some(&url(1)),
            DATE,
            "application/http; msgtype=response",
            &http,
        )
    };
    let recs = [
        rec("gzip", &gzip_member(&html(1))),
        rec("deflate", &zlib),
        rec("deflate", &raw_deflate),
        rec("gzip", &html(4)), // stored decoded, header kept
        rec("br", &html(5)),   // likewise
        rec("br", b"\x1b\x2a\x00\x00 compressed"),
        rec("gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03 broken"),
    ];
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(
        categories(&items),
        ["page", "page", "page", "page", "page", "bad encoding", "bad encoding"]
    );
    assert_eq!(bodies(&items), [html(1), html(2), html(3), html(4), html(5)]);
}

#[test]
fn gzip_bomb_payload_is_too_large() {
    let bomb = gzip_member(&vec![b' '; 3_000_000]);
    let http = http_response(
        200,
        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        &bomb,
    );
    let recs = [
        record(
            "response",
            Some(&url(1)),
            DATE,
            "application/http; msgtype=response",
            &http,
        ),
        response_record(&url(2), DATE, &html(2), "text/html"),
    ];
    let items = read_all(&recs.concat(), 0, ReadLimits { max_bytes: 1_000_000 });
    assert_eq!(categories(&items), ["too large", "page"]);
}

/// Writes a response record with a `size`-byte body to `w` without holding
/// the body in memory.
fn write_big_record(w: &mut dyn Write, size: usize) {
    let http_head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {size}\r\n\r\n");
    let block_len = http_head.len() + size;
    write!(
        w,
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:big>\r\nWARC-Date: {DATE}\r\n\
         WARC-Target-URI: https://news.example/big\r\nContent-Type: application/http; msgtype=response\r\n\
         Content-Length: {block_len}\r\n\r\n{http_head}"
    )
    .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        w.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    w.write_all(b"\r\n\r\n").unwrap();
}

#[test]
fn payload_over_the_limit_is_skipped() {
    let dir = std::env::temp_dir().join(format!("gleaner-warc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let limits = ReadLimits {
        max_bytes: 20 * 1024 * 1024,
    };
    for gzip in [false, true] {
        let path = dir.join(if gzip { "big.warc.gz" } else { "big.warc" });
        {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
            if gzip {
                let mut e = flate2::write::GzEncoder::new(&mut f, flate2::Compression::fast());
                write_big_record(&mut e, 50 * 1024 * 1024);
                e.finish().unwrap();
            } else {
                write_big_record(&mut f, 50 * 1024 * 1024);
            }
            let next = response_record(&url(2), DATE, &html(2), "text/html");
            f.write_all(&if gzip { gzip_member(&next) } else { next }).unwrap();
        }
        let items: Vec<Item> = WarcReader::open(&path, 0, limits).unwrap().collect();
        assert_eq!(categories(&items), ["too large", "page"], "gzip: {gzip}");
        assert_eq!(errors(&items)[0].record.as_deref(), Some("<urn:uuid:big>"));
        assert_eq!(bodies(&items), [html(2)]);
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn tolerant_header_syntax() {
    let body = html(1);
    let http = format!(
        "HTTP/1.0 200 OK\ncontent-type: text/html;charset=utf-8\n\n{}",
        String::from_utf8_lossy(&body)
    );
    let rec = format!(
        "WARC/1.0\nwarc-type: Response\nWARC-Target-URI: <{}>\nwarc-date: {DATE}\nWARC-Record-ID: <urn:uuid:x>\n\
         X-Folded: a\n  b\ncontent-length: {}\n\n{http}\n\n",
        url(1),
        http.len()
    );
    let items = read_all(rec.as_bytes(), 0, limits());
    let p = pages(&items);
    assert_eq!(p.len(), 1, "{items:?}");
    assert_eq!(p[0].url.as_deref(), Some(url(1).as_str()));
    assert_eq!(p[0].charset.as_deref(), Some("utf-8"));
    assert_eq!(p[0].bytes, body);
}

#[test]
fn interim_responses_and_statuses() {
    let cont = [
        b"HTTP/1.1 100 Continue\r\n\r\n".as_slice(),
        &http_response(200, &[("Content-Type", "text/html")], &html(1)),
    ]
    .concat();
    let recs = [
        record(
            "response",
            Some(&url(1)),
            DATE,
            "application/http; msgtype=response",
            &cont,
        ),
        record(
            "response",
            Some(&url(2)),
            DATE,
            "application/http; msgtype=response",
            &http_response(204, &[], b""),
        ),
        record(
            "response",
            Some(&url(3)),
            DATE,
            "application/http; msgtype=response",
            &http_response(503, &[], b"busy"),
        ),
        record(
            "response",
            Some(&url(4)),
            DATE,
            "application/http; msgtype=response",
            b"not http at all",
        ),
        record(
            "response",
            Some("dns:news.example"),
            DATE,
            "text/dns",
            b"20240501 news.example. 300 IN A 10.0.0.1",
        ),
    ];
    let items = read_all(&recs.concat(), 0, limits());
    // The 4th has an HTTP content type but no status line.
    assert_eq!(categories(&items), ["page", "bad record"]);
}

#[test]
fn missing_fields_are_bad_records() {
    let no_len = b"WARC/1.1\r\nWARC-Type: response\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<html></html>\r\n\r\n".to_vec();
    let no_type = b"WARC/1.1\r\nContent-Length: 2\r\n\r\nab\r\n\r\n".to_vec();
    let good = response_record(&url(1), DATE, &html(1), "text/html");
    let items = read_all(&[no_len, no_type, good].concat(), 0, limits());
    assert_eq!(categories(&items), ["bad record", "bad record", "page"]);
}

#[test]
fn open_reports_missing_files() {
    assert!(matches!(
        WarcReader::open(Path::new("/no/such/file.warc.gz"), 0, limits()),
        Err(ReadError::NotFound)
    ));
}

#[test]
fn reader_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<WarcReader>();
}

/// Checks the invariants every item sequence must keep: offsets within the
/// input and never going backwards.
fn check_offsets(items: &[Item], len: u64) {
    let mut last = 0;
    for i in items {
        assert!(
            i.offset() <= i.next_offset() && i.next_offset() <= len.max(i.offset()),
            "{i:?}"
        );
        assert!(i.offset() >= last, "offsets went backwards: {items:?}");
        last = i.offset();
    }
}

/// Ends of each record in the plain fixture and of each member in the
/// gzip one, with the page each record yields. `block` stops a plain
/// record's end before its separator: a cut file needs no more to yield it,
/// but damage to the separator makes the length look wrong.
fn ends(fx: &[(Vec<u8>, Option<Vec<u8>>)], gzip: bool, block: bool) -> Vec<(usize, Option<Vec<u8>>)> {
    let mut at = 0;
    fx.iter()
        .map(|(r, p)| {
            let len = if gzip { gzip_member(r).len() } else { r.len() };
            at += len;
            (if gzip || !block { at } else { at - 4 }, p.clone())
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(
        prefix in 0usize..3,
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let head: &[u8] = match prefix {
            0 => b"",
            1 => b"\x1f\x8b\x08\x00",
            _ => b"WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
        };
        let data = [head, &bytes].concat();
        let items = read_all(&data, 0, ReadLimits { max_bytes: 512 });
        check_offsets(&items, data.len() as u64);
    }

    #[test]
    fn arbitrary_bytes_after_valid_records(bytes in proptest::collection::vec(any::<u8>(), 0..1024), gzip in any::<bool>()) {
        let fx = fixture();
        let mut data = if gzip { gz(&fx) } else { plain(&fx) };
        data.extend_from_slice(&bytes);
        let items = read_all(&data, 0, limits());
        check_offsets(&items, data.len() as u64);
        prop_assert_eq!(bodies(&items)[..4].to_vec(), expected(&fx));
    }

    #[test]
    fn truncation_keeps_every_record_before_the_cut(cut in 0.0f64..1.0, gzip in any::<bool>()) {
        let fx = fixture();
        let mut data = if gzip { gz(&fx) } else { plain(&fx) };
        let cut = (data.len() as f64 * cut) as usize;
        data.truncate(cut);
        let items = read_all(&data, 0, limits());
        check_offsets(&items, data.len() as u64);
        let want: Vec<Vec<u8>> = ends(&fx, gzip, true).into_iter().filter(|(end, _)| *end <= cut).filter_map(|(_, p)| p).collect();
        prop_assert_eq!(bodies(&items), want);
        prop_assert!(errors(&items).len() <= 1, "{:?}", items);
        // Resuming from any offset terminates too.
        for i in &items {
            let rest = read_all(&data, i.next_offset(), limits());
            check_offsets(&rest, data.len() as u64);
        }
    }

    #[test]
    fn corruption_keeps_every_record_before_the_damage(
        at in 0.0f64..1.0,
        junk in proptest::collection::vec(any::<u8>(), 1..6),
        gzip in any::<bool>(),
    ) {
        let fx = fixture();
        let mut data = if gzip { gz(&fx) } else { plain(&fx) };
        let at = ((data.len() - junk.len()) as f64 * at) as usize;
        data[at..at + junk.len()].copy_from_slice(&junk);
        let items = read_all(&data, 0, limits());
        check_offsets(&items, data.len() as u64);
        let before: Vec<Vec<u8>> = ends(&fx, gzip, false).into_iter().filter(|(end, _)| *end <= at).filter_map(|(_, p)| p).collect();
        let got = bodies(&items);
        prop_assert!(got.len() >= before.len(), "{:?}", items);
        prop_assert_eq!(&got[..before.len()], &before[..]);
        if gzip {
            // CRCs protect the rest: whatever comes out is a real page.
            let all = expected(&fx);
            prop_assert!(got.iter().all(|g| all.contains(g)));
        }
    }
}

/// A brotli stream holding `data` in one uncompressed meta-block (RFC 7932
/// §9.2: WBITS 16, MNIBBLES 4, ISUNCOMPRESSED, then an empty last block):
/// real brotli framing without an encoder in the dev-dependencies.
fn brotli_stored(data: &[u8]) -> Vec<u8> {
    assert!(!data.is_empty() && data.len() <= 1 << 16);
    let header: u32 = (((data.len() - 1) as u32) << 4) | (1 << 20);
    let mut out = header.to_le_bytes()[..3].to_vec();
    out.extend_from_slice(data);
    out.push(0x03); // ISLAST, ISLASTEMPTY
    out
}

#[test]
fn brotli_bodies_are_decoded() {
    let http = http_response(
        200,
        &[("Content-Type", "text/html"), ("Content-Encoding", "br")],
        &brotli_stored(&html(7)),
    );
    let rec = record(
        "response",
        Some(&url(7)),
        DATE,
        "application/http; msgtype=response",
        &http,
    );
    assert_eq!(bodies(&read_all(&rec, 0, limits())), [html(7)]);
}

/// What a fetcher archives besides pages: robots.txt and the feeds and
/// sitemaps it read are passed over silently, a non-listing XML document
/// is still a non-HTML error; a response whose payload was not kept
/// (`WARC-Truncated`, empty body) is an error, never an empty page; the
/// payload digest the archive states is passed on with the page.
#[test]
fn fetcher_archives_robots_listings_truncation_and_digests() {
    use super::write::record_with;
    let resp = |uri: &str, ctype: &str, body: &[u8], extra: &[(&str, &str)]| {
        let http = http_response(200, &[("Content-Type", ctype)], body);
        let id = super::write::record_id();
        let mut fields = vec![
            ("WARC-Record-ID", id.as_str()),
            ("WARC-Date", DATE),
            ("WARC-Target-URI", uri),
        ];
        fields.extend_from_slice(extra);
        record_with("response", &fields, "application/http; msgtype=response", &http)
    };
    let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><link>http://a.test/1</link></item></channel></rss>"#;
    let recs = [
        resp(
            "http://a.test/robots.txt",
            "text/plain",
            b"User-agent: *\nDisallow: /x\n",
            &[],
        ),
        resp("http://a.test/feed.xml", "application/rss+xml", rss, &[]),
        resp(
            "http://a.test/data.xml",
            "application/xml",
            b"<?xml version=\"1.0\"?><data/>",
            &[],
        ),
        resp(
            "http://a.test/big.html",
            "text/html",
            b"",
            &[("WARC-Truncated", "length")],
        ),
        resp(
            "http://a.test/page.html",
            "text/html",
            &html(1),
            &[("WARC-Payload-Digest", "sha1:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")],
        ),
    ];
    let items = read_all(&recs.concat(), 0, limits());
    assert_eq!(categories(&items), ["non-html", "truncated", "page"]);
    let p = pages(&items);
    assert_eq!(
        p[0].payload_digest.as_deref(),
        Some("sha1:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    );
    assert_eq!(p[0].url.as_deref(), Some("http://a.test/page.html"));
}

/// An ARC file (version 1): the file header record, then URL records of
/// `URL IP date content-type length`, each followed by one newline.
fn arc_file(pages: &[(&str, &[u8])]) -> Vec<Vec<u8>> {
    let desc = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n\n";
    let mut recs = vec![[
        format!("filedesc://test.arc 0.0.0.0 20080430204825 text/plain {}\n", desc.len()).as_bytes(),
        &desc[..],
        b"\n",
    ]
    .concat()];
    for (url, body) in pages {
        let http = [&b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"[..], body].concat();
        recs.push(
            [
                format!("{url} 93.184.216.119 20140216050221 text/html {}\n", http.len()).as_bytes(),
                &http[..],
                b"\n",
            ]
            .concat(),
        );
    }
    recs
}

/// Issue 14, point 5: ARC files (still in Internet Archive collections) are
/// read like WARC files, plain or one gzip member per record, with their
/// offsets, dates and resynchronisation after damage.
#[test]
fn arc_files_are_read() {
    let recs = arc_file(&[("http://a.example/1", &html(1)), ("http://a.example/2", &html(2))]);
    let plain = recs.concat();
    let items = read_all(&plain, 0, limits());
    assert_eq!(categories(&items), ["page", "page"]);
    assert_eq!(bodies(&items), [html(1), html(2)]);
    let p = pages(&items);
    assert_eq!(p[0].url.as_deref(), Some("http://a.example/1"));
    assert_eq!(p[0].fetched_at.as_deref(), Some("2014-02-16T05:02:21Z"));
    assert_eq!(p[0].offset, recs[0].len() as u64);
    // Resuming after the first page yields exactly the second.
    assert_eq!(bodies(&read_all(&plain, p[0].next_offset, limits())), [html(2)]);
    let gz: Vec<u8> = recs.iter().flat_map(|r| gzip_member(r)).collect();
    assert_eq!(bodies(&read_all(&gz, 0, limits())), [html(1), html(2)]);
    // Junk between records: one error, and the next ARC record is found.
    let damaged = [
        recs[0].clone(),
        b"garbage line\n".to_vec(),
        recs[1].clone(),
        recs[2].clone(),
    ]
    .concat();
    let items = read_all(&damaged, 0, limits());
    assert_eq!(bodies(&items), [html(1), html(2)]);
}

/// Issue 14, point 5: a header value may start on a folded line (JWAT's
/// valid test files write every field that way).
#[test]
fn folded_header_values_are_joined() {
    let rec = response_record(&url(1), DATE, &html(1), "text/html");
    let text = String::from_utf8_lossy(&rec).into_owned();
    let folded =
        text.replacen("Content-Length: ", "Content-Length: \r\n ", 1)
            .replacen("WARC-Type: ", "WARC-Type:\r\n\t", 1);
    let items = read_all(folded.as_bytes(), 0, limits());
    assert_eq!(bodies(&items), [html(1)], "{items:?}");
}
