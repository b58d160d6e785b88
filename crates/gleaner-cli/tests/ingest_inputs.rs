//! `gleaner ingest` on the kinds of input issue 14 found misread, end to
//! end through the binary: each test is named after the point it pins.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("ingest-inputs", name)
}

/// Runs `gleaner ingest --json` into `db`; returns the exit code and the summary.
fn ingest(db: &Path, inputs: &[&Path]) -> (i32, Value) {
    let mut args = vec![
        "ingest".to_string(),
        "--json".into(),
        "--no-analysis".into(),
        "--db".into(),
    ];
    args.push(db.display().to_string());
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(&args)
        .output()
        .unwrap();
    let summary =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), summary)
}

fn export(db: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["export", "--db", db.to_str().unwrap(), "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\n\r\n",
        block.len() % 0xffff_ffff,
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// Point 1: pages with no main text are no records (they once all got the
/// id of empty text, merging unrelated inputs into one record); a feed
/// entry in that case is kept as its address.
#[test]
fn point1_pages_without_text_merge_nothing() {
    let dir = tmpdir("no-text");
    let a = dir.join("gallery.html");
    std::fs::write(
        &a,
        "<html><body><nav><a href='/'>Home</a></nav><img src='a.jpg'></body></html>",
    )
    .unwrap();
    let b = dir.join("dots.txt");
    std::fs::write(&b, "...\n").unwrap();
    let feed = dir.join("feed.xml");
    std::fs::write(
        &feed,
        r#"<rss><channel><item><title>Pictures</title><link>https://a.example/pictures</link>
<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p><img src="x.jpg"/></p>]]></content:encoded>
</item></channel></rss>"#,
    )
    .unwrap();
    let db = dir.join("g.db");
    let (code, s) = ingest(&db, &[&a, &b, &feed]);
    assert_eq!(code, 1, "{s}");
    assert_eq!(s["new_records"], 0, "{s}");
    assert_eq!(s["errors_by_category"]["no main text"], 2, "{s}");
    assert_eq!(s["pending"], 1, "{s}");
    assert!(export(&db).is_empty());
}

/// Point 2: what an input is comes from its bytes: a gzipped sitemap named
/// like nothing, a gzipped WARC with a wrong suffix, WAT and WET files
/// (also found by a directory walk).
#[test]
fn point2_kind_by_bytes_not_name() {
    let dir = tmpdir("kinds");
    let sitemap = dir.join("xmlSitemap.gz");
    std::fs::write(
        &sitemap,
        gz(
            b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>\
              <url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</loc></url></urlset>",
        ),
    )
    .unwrap();
    let page = b"<html><head><title>Harbour opens</title></head><body><article><p>The new harbour at Port Ellery \
        opened on Monday after three years of work, the port authority said in a statement.</p>\
        <p>The first ferries will dock there in June.</p></article></body></html>";
    let http = [
        &b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"[..],
        &page[..],
    ]
    .concat();
    let bad_name = dir.join("example.warc.gz.bad");
    std::fs::write(
        &bad_name,
        gz(&warc_record(
            "response",
            "https://a.example/harbour",
            "application/http; msgtype=response",
            &http,
        )),
    )
    .unwrap();
    let sub = dir.join("cc");
    std::fs::create_dir_all(&sub).unwrap();
    let wat = sub.join("x.warc.wat.gz");
    std::fs::write(
        &wat,
        gz(&warc_record(
            "metadata",
            "https://a.example/harbour",
            "application/json",
            br#"{"Envelope":{"WARC-Header-Metadata":{}}}"#,
        )),
    )
    .unwrap();
    let wet = sub.join("x.warc.wet.gz");
    let text = b"Harbour opens\nThe new harbour at Port Ellery opened on Monday after three years of work.";
    std::fs::write(
        &wet,
        gz(&warc_record(
            "conversion",
            "https://a.example/wet-page",
            "text/plain",
            text,
        )),
    )
    .unwrap();
    let db = dir.join("g.db");
    let (code, s) = ingest(&db, &[&sitemap, &bad_name, &sub]);
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["inputs"], 4, "the walk finds .wat.gz and .wet.gz: {s}");
    assert_eq!(s["pending"], 2, "{s}");
    assert_eq!(s["new_records"], 2, "{s}");
    assert_eq!(s["empty_inputs"]["WARC archive"], 1, "the WAT file has no pages: {s}");
    let recs = export(&db);
    let urls: Vec<&str> = recs.iter().filter_map(|r| r["url"].as_str()).collect();
    assert!(
        urls.contains(&"https://a.example/harbour") && urls.contains(&"https://a.example/wet-page"),
        "{urls:?}"
    );
    assert!(recs.iter().all(|r| r["title"] != "WARC/1.0"));
}

/// Point 3: a feed entry's own title, date and author win over what
/// extraction finds in its content.
#[test]
fn point3_feed_fields_win() {
    let dir = tmpdir("feed-fields");
    let feed = dir.join("atom.xml");
    std::fs::write(
        &feed,
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
<entry><title>Atom-Powered Robots Run Amok</title><link href="https://a.example/2005/04/02/atom"/>
<published>2003-12-13T18:30:02Z</published><author><name>Mark Pilgrim</name></author>
<content type="html">&lt;h1&gt;Some text.&lt;/h1&gt;&lt;p&gt;By Someone Else. Robots ran amok in the lab today,
according to the staff who watched them go, and nobody could stop them before lunch.&lt;/p&gt;</content></entry></feed>"#,
    )
    .unwrap();
    let db = dir.join("g.db");
    let (code, s) = ingest(&db, &[&feed]);
    assert_eq!(code, 0, "{s}");
    let recs = export(&db);
    assert_eq!(recs.len(), 1, "{s}");
    assert_eq!(recs[0]["title"], "Atom-Powered Robots Run Amok");
    assert_eq!(recs[0]["published"], "2003-12-13");
    assert_eq!(recs[0]["authors"], serde_json::json!(["Mark Pilgrim"]));
}

/// Point 4: robots.txt and text sitemaps are addresses, not articles.
#[test]
fn point4_robots_and_text_sitemaps_are_addresses() {
    let dir = tmpdir("robots");
    let robots = dir.join("robots.txt");
    std::fs::write(
        &robots,
        "User-agent: *\nDisallow: /private/\nSitemap: https://a.example/sitemap.xml\n",
    )
    .unwrap();
    let list = dir.join("sitemap.txt.gz");
    std::fs::write(&list, gz(b"https://a.example/1\nhttps://a.example/2\n")).unwrap();
    let db = dir.join("g.db");
    let (code, s) = ingest(&db, &[&robots, &list]);
    assert_eq!(
        (code, &s["new_records"], &s["pending"]),
        (0, &Value::from(0), &Value::from(3)),
        "{s}"
    );
}

/// Point 7: a feed with no entries is no error; the summary says it.
#[test]
fn point7_an_empty_feed_is_no_error() {
    let dir = tmpdir("empty-feed");
    let feed = dir.join("empty.rss");
    std::fs::write(
        &feed,
        "<rss version='2.0'><channel><title>Nothing yet</title></channel></rss>",
    )
    .unwrap();
    let db = dir.join("g.db");
    let (code, s) = ingest(&db, &[&feed]);
    assert_eq!(code, 0, "{s}");
    assert_eq!(
        (s["errors"].as_u64(), s["empty_inputs"]["feed"].as_u64()),
        (Some(0), Some(1)),
        "{s}"
    );
    let fresh = dir.join("fresh.db");
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args([
            "ingest",
            "--no-analysis",
            "--db",
            fresh.to_str().unwrap(),
            feed.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("1 input(s) with nothing to ingest (1 feed)"), "{said}");
}
