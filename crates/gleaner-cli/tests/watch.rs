//! `gleaner watch`, `fetch-pending`, `show` and `replay` end to end against
//! a local HTTP server started here (no network): what is fetched and in
//! what order, robots.txt, the private-address rule, the rate limit seen by
//! the server, conditional requests, retries, timeouts, redirects, the size
//! limit, content types and encodings, a charset only in the HTTP header, a
//! page that changes between rounds; the WARC evidence read back by `gleaner
//! ingest` to the same records; SIGTERM and `kill -9`.

mod common;
#[path = "../../gleaner-fetch/tests/fixture/mod.rs"]
mod fixture;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fixture::{article, gzip, rss, Req, Resp, Server};
use serde_json::Value;

fn gleaner(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "gleaner failed ({:?}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gleaner-watch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Every stored record (id to JSON) by `gleaner export`.
fn records(db: &Path) -> BTreeMap<String, Value> {
    let out = ok(&gleaner(&["export", "--db", db.to_str().unwrap(), "--format", "jsonl"]));
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["id"].as_str().unwrap().to_string(), v))
        .collect()
}

const CP1251_PAGE: &[u8] = b"<html><head><title>\xcd\xee\xe2\xee\xf1\xf2\xe8</title></head><body><article><p>\xc6\xe8\xf2\xe5\xeb\xe8 \xef\xee\xe3\xf0\xe0\xed\xe8\xf7\xed\xee\xe3\xee \xe3\xee\xf0\xee\xe4\xe0 \xf1\xee\xee\xe1\xf9\xe8\xeb\xe8, \xf7\xf2\xee \xec\xee\xf1\xf2 \xf7\xe5\xf0\xe5\xe7 \xf0\xe5\xea\xf3 \xf1\xed\xee\xe2\xe0 \xe7\xe0\xea\xf0\xfb\xf2, \xe8 \xf2\xee\xf0\xe3\xee\xe2\xf6\xe5\xe2 \xee\xf2\xef\xf0\xe0\xe2\xe8\xeb\xe8 \xe4\xee\xec\xee\xe9 \xe4\xee \xef\xee\xeb\xf3\xe4\xed\xff. \xce\xf4\xe8\xf6\xe8\xe0\xeb\xfc\xed\xfb\xf5 \xea\xee\xec\xec\xe5\xed\xf2\xe0\xf0\xe8\xe5\xe2 \xed\xe5 \xef\xee\xf1\xf2\xf3\xef\xe0\xeb\xee.</p></article></body></html>";

/// The fixture site. `round` is the watch round the site is in: in round 2
/// the feed lists page 1 with a new date (the page changed) and a new ETag.
fn site(round: Arc<AtomicUsize>) -> impl Fn(&Req) -> Resp + Send + Sync + 'static {
    let busy = Arc::new(AtomicUsize::new(0));
    move |r: &Req| {
        let round = round.load(Ordering::SeqCst);
        match r.path.as_str() {
            "/robots.txt" => Resp::new(200, "text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/feed.xml" => {
                let etag = format!("\"v{round}\"");
                if r.header("if-none-match") == Some(etag.as_str()) {
                    return Resp::new(304, "application/rss+xml", "");
                }
                let date1 = if round >= 2 {
                    "Tue, 02 Apr 2024 10:00:00 GMT"
                } else {
                    "Mon, 01 Apr 2024 10:00:00 GMT"
                };
                Resp::new(
                    200,
                    "application/rss+xml",
                    rss(&[
                        ("/news/1.html", date1),
                        ("/news/2.html", "Mon, 01 Apr 2024 11:00:00 GMT"),
                        ("/private/3.html", "Mon, 01 Apr 2024 12:00:00 GMT"),
                        ("/r/4", "Mon, 01 Apr 2024 13:00:00 GMT"),
                        ("/news/cp1251.html", "Mon, 01 Apr 2024 14:00:00 GMT"),
                        ("/big.html", "Mon, 01 Apr 2024 15:00:00 GMT"),
                        ("/image.png", "Mon, 01 Apr 2024 16:00:00 GMT"),
                        ("/slow.html", "Mon, 01 Apr 2024 17:00:00 GMT"),
                        ("/loop1", "Mon, 01 Apr 2024 18:00:00 GMT"),
                    ]),
                )
                .with("ETag", &etag)
            }
            "/atom.xml" => Resp::new(
                200,
                "application/atom+xml",
                r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:x</id><updated>2024-04-01T00:00:00Z</updated>
                <entry><title>Five</title><id>urn:5</id><updated>2024-04-01T00:00:00Z</updated><link href="/news/5.html"/></entry></feed>"#,
            ),
            "/feed.json" => Resp::new(
                200,
                "application/feed+json",
                r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"6","url":"/news/6.html","title":"Six"}]}"#,
            ),
            "/sitemap.xml" => Resp::new(
                200,
                "application/xml",
                r#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/sitemap-1.xml.gz</loc></sitemap></sitemapindex>"#,
            ),
            "/sitemap-1.xml.gz" => Resp::new(
                200,
                "application/x-gzip",
                gzip(br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/news/7.html</loc></url><url><loc>/busy.html</loc></url></urlset>"#),
            ),
            "/news/1.html" if round >= 2 => Resp::html(article(101, "Report one, updated")),
            "/news/1.html" => Resp::html(article(1, "Report one")),
            "/news/2.html" => Resp::html(gzip(&article(2, "Report two"))).with("Content-Encoding", "gzip"),
            "/r/4" => Resp::redirect(301, "/r/4b"),
            "/r/4b" => Resp::redirect(302, "/news/4.html"),
            "/news/cp1251.html" => Resp::new(200, "text/html; charset=windows-1251", CP1251_PAGE),
            "/big.html" => Resp::html(vec![b'x'; 200_000]),
            "/image.png" => Resp::new(200, "image/png", vec![0x89, b'P', b'N', b'G', 0, 0]),
            "/slow.html" => Resp {
                delay: Duration::from_secs(4),
                ..Resp::html(article(8, "Slow"))
            },
            "/loop1" => Resp::redirect(302, "/loop2"),
            "/loop2" => Resp::redirect(302, "/loop1"),
            "/busy.html" if busy.fetch_add(1, Ordering::SeqCst) == 0 => {
                Resp::new(503, "text/plain", "busy").with("Retry-After", "1")
            }
            p if p.starts_with("/news/") || p == "/busy.html" || p.starts_with("/private/") => {
                let n: usize = p
                    .trim_start_matches("/news/")
                    .trim_end_matches(".html")
                    .parse()
                    .unwrap_or(9);
                Resp::html(article(n, &format!("Report {n}")))
            }
            _ => Resp::new(404, "text/plain", "not here"),
        }
    }
}

fn watch_args<'a>(db: &'a str, warc: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "--db",
        db,
        "--warc-dir",
        warc,
        "--allow-private",
        "--interval",
        "0.2",
        "--timeout",
        "2",
        "--max-bytes",
        "100000",
        "--retries",
        "2",
        "--json",
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn a_watch_round_end_to_end() {
    let round = Arc::new(AtomicUsize::new(1));
    let s = Server::start(site(Arc::clone(&round)));
    let dir = scratch("e2e");
    let db = dir.join("g.db");
    let warc = dir.join("warc");
    let (dbs, warcs) = (db.to_str().unwrap(), warc.to_str().unwrap());
    let sources = [
        s.url("/feed.xml"),
        s.url("/atom.xml"),
        s.url("/feed.json"),
        s.url("/sitemap.xml"),
    ];
    let mut args = vec!["watch"];
    args.extend(sources.iter().map(String::as_str));
    args.push("--once");
    args.extend(watch_args(dbs, warcs, &[]));
    let out = gleaner(&args);
    let report: Value = serde_json::from_str(ok(&out).lines().next().unwrap()).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();

    // What was asked, in order: robots.txt once, the sources, then the pages
    // in the order they were listed; nothing disallowed.
    let paths = s.paths();
    assert_eq!(s.count("/robots.txt"), 1, "{paths:?}");
    assert_eq!(s.count("/private/3.html"), 0, "disallowed by robots.txt");
    assert_eq!(
        &paths[..6],
        [
            "/robots.txt",
            "/feed.xml",
            "/atom.xml",
            "/feed.json",
            "/sitemap.xml",
            "/sitemap-1.xml.gz"
        ],
        "a sitemap index's child sitemap (gzipped) is read too"
    );
    let firsts: Vec<&str> = {
        let mut seen = BTreeSet::new();
        paths[6..]
            .iter()
            .filter(|p| seen.insert(p.as_str()))
            .map(String::as_str)
            .collect()
    };
    assert_eq!(
        firsts,
        [
            "/news/1.html",
            "/news/2.html",
            "/r/4",
            "/r/4b",
            "/news/4.html",
            "/news/cp1251.html",
            "/big.html",
            "/image.png",
            "/slow.html",
            "/loop1",
            "/loop2",
            "/news/5.html",
            "/news/6.html",
            "/news/7.html",
            "/busy.html"
        ],
        "{stderr}"
    );
    assert_eq!(s.count("/busy.html"), 2, "503 then retried after Retry-After");
    // One host: the server never saw two requests closer than the interval.
    let log = s.log();
    for w in log.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap >= Duration::from_millis(190),
            "{} then {} after {gap:?}",
            w[0].path,
            w[1].path
        );
    }
    assert!(log[1].header("user-agent").unwrap().starts_with("Gleaner/"));

    assert_eq!(report["sources"], 5, "four sources and one child sitemap");
    assert_eq!(report["disallowed"], 1);
    assert_eq!(report["new_records"], 8, "{report}\n{stderr}");
    assert!(report["warc_bytes"].as_u64().unwrap() > 10_000);
    assert!(stderr.contains("/slow.html: failed (timed out)"), "{stderr}");
    assert!(
        stderr.contains("/loop1: 302 archived (redirects: loop back to"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/big.html: 200 archived (the body is larger than 100000 bytes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/image.png: 200 archived (unexpected Content-Type \"image/png\")"),
        "{stderr}"
    );

    let stored = records(&db);
    let by_url: BTreeMap<String, &Value> = stored
        .values()
        .map(|v| (v["url"].as_str().unwrap_or("").to_string(), v))
        .collect();
    let two = by_url[&s.url("/news/2.html")];
    assert!(
        two["text"].as_str().unwrap().contains("Report 2, paragraph 0"),
        "gzip undone"
    );
    let four = by_url[&s.url("/news/4.html")];
    assert_eq!(four["title"], "Report 4", "the redirect's target is the record");
    let cp = by_url[&s.url("/news/cp1251.html")];
    assert!(
        cp["text"].as_str().unwrap().contains("Жители пограничного города"),
        "charset from the HTTP header: {}",
        cp["text"]
    );
    assert!(!by_url.contains_key(&s.url("/big.html")));

    // The evidence: `show` says where, `replay` writes it back and checks it.
    let one = by_url[&s.url("/news/1.html")];
    let id = one["id"].as_str().unwrap();
    let shown: Value = serde_json::from_str(&ok(&gleaner(&["show", id, "--db", dbs]))).unwrap();
    let copy = &shown["archived_copy"];
    assert!(copy["warc_file"].as_str().unwrap().ends_with(".warc.gz"), "{shown}");
    assert!(copy["payload_digest"].as_str().unwrap().starts_with("sha1:"));
    assert!(copy["fetched_at"].as_str().unwrap().starts_with("20"));
    let body = gleaner(&["replay", id, "--db", dbs, "--body"]);
    assert!(body.status.success(), "{}", String::from_utf8_lossy(&body.stderr));
    assert_eq!(body.stdout, article(1, "Report one"));
    let whole = gleaner(&["replay", id, "--db", dbs]);
    assert!(whole.stdout.starts_with(b"HTTP/1.1 200"));

    // The WARC files ingested afresh give the same records.
    let again = dir.join("again.db");
    let files: Vec<String> = std::fs::read_dir(&warc)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut ingest = vec!["ingest", "--db", again.to_str().unwrap(), "--quiet"];
    ingest.extend(files.iter().map(String::as_str));
    let out = gleaner(&ingest);
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1), "{out:?}");
    let strip = |m: &BTreeMap<String, Value>| -> Vec<(String, Value, Value, Value)> {
        m.iter()
            .map(|(id, v)| {
                (
                    id.clone(),
                    v["text"].clone(),
                    v["input"].clone(),
                    v["fetched_at"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(strip(&records(&again)), strip(&stored));

    // What round 1 brought in, as an Atom feed: exactly its 8 records.
    let atom = ok(&gleaner(&[
        "search", "--db", dbs, "--since", "last-run", "--format", "atom", "--limit", "100",
    ]));
    let entries = gleaner_read::read_feed(atom.as_bytes()).unwrap();
    assert_eq!(entries.len(), 8, "{atom}");
    assert!(atom.contains("<link rel=\"alternate\" type=\"text/html\" href=\""));

    // The same pages as files give the same records (id from the text).
    let pages = dir.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    for n in [5usize, 6, 7] {
        std::fs::write(pages.join(format!("{n}.html")), article(n, &format!("Report {n}"))).unwrap();
    }
    std::fs::write(pages.join("1.html"), article(1, "Report one")).unwrap();
    std::fs::write(pages.join("2.html"), article(2, "Report two")).unwrap();
    let files_db = dir.join("files.db");
    ok(&gleaner(&[
        "ingest",
        "--db",
        files_db.to_str().unwrap(),
        "--quiet",
        pages.to_str().unwrap(),
    ]));
    let from_files = records(&files_db);
    assert_eq!(from_files.len(), 5);
    for (id, v) in &from_files {
        let w = stored
            .get(id)
            .unwrap_or_else(|| panic!("{} not among the watched records", v["title"]));
        assert_eq!((&w["text"], &w["title"]), (&v["text"], &v["title"]));
    }

    // Round 2: the feed changed (page 1 has a new date), the others did
    // not: 304 for them, page 1 fetched again, nothing else. An alert saved
    // now prints the one new match.
    let before: BTreeMap<String, usize> = paths.iter().fold(BTreeMap::new(), |mut m, p| {
        *m.entry(p.clone()).or_default() += 1;
        m
    });
    round.store(2, Ordering::SeqCst);
    let mut args2 = args.clone();
    args2.extend(["--alert", "q=updated", "--alert", "q=border&lang=en"]);
    let out = gleaner(&args2);
    let lines: Vec<Value> = ok(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let r2 = &lines[0];
    assert_eq!(lines[1]["alert"], "q=updated");
    assert_eq!(lines[1]["new"].as_array().unwrap().len(), 1, "{}", lines[1]);
    assert_eq!(lines[1]["new"][0]["title"], "Report one, updated");
    assert_eq!(
        lines[2]["new"].as_array().unwrap().len(),
        1,
        "only round 2's records: {}",
        lines[2]
    );
    let since = r2["started_at"].as_str().unwrap().to_string();
    let after = s.paths();
    let new_paths: Vec<&str> = after[paths.len()..].iter().map(String::as_str).collect();
    assert_eq!(
        new_paths,
        [
            "/robots.txt",
            "/feed.xml",
            "/atom.xml",
            "/feed.json",
            "/sitemap.xml",
            "/sitemap-1.xml.gz",
            "/news/1.html",
            "/slow.html"
        ],
        "only the changed page, and the one that timed out, are fetched again"
    );
    let feed2 = &s.log()[paths.len() + 1];
    assert_eq!(feed2.path, "/feed.xml");
    assert_eq!(
        feed2.header("if-none-match"),
        Some("\"v1\""),
        "asked conditionally, changed anyway"
    );
    assert_eq!(r2["new_records"], 1, "{r2}");
    assert!(before["/news/2.html"] == 1);
    let stored2 = records(&db);
    assert!(stored2.values().any(|v| v["title"] == "Report one, updated"));

    // The served feed of new matches.
    let token = dir.join("token");
    std::fs::write(&token, "s3cret-token-for-tests\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let server = common::server::Server::start(dbs, &["--token-file", token.to_str().unwrap()]);
    let (status, headers, body) = server.request("GET", &format!("/api/records.atom?q=report&since={since}"), &[], b"");
    assert_eq!(status, 200);
    assert!(headers.contains("application/atom+xml"), "{headers}");
    let body = String::from_utf8(body).unwrap();
    let entries = gleaner_read::read_feed(body.as_bytes()).unwrap();
    assert_eq!(entries.len(), 1, "{body}");
    assert!(
        body.contains("<title type=\"text\">Report one, updated</title>"),
        "{body}"
    );
    // The self link is absolute (feed validators warn on a relative one).
    let self_link = format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"http://{}/api/records.atom?q=report&amp;since=",
        server.addr
    );
    assert!(body.contains(&self_link), "{body}");
    let (all, _, _) = server.request("GET", "/api/records.atom?q=report", &[], b"");
    assert_eq!(all, 200);
    // A feed with no entry is dated when it is made, not at the Unix epoch
    // (an "implausible date" to a validator).
    let (_, _, empty) = server.request("GET", "/api/records.atom?q=zzzznomatch", &[], b"");
    let empty = String::from_utf8(empty).unwrap();
    assert!(
        !empty.contains("<entry>") && !empty.contains("<updated>1970"),
        "{empty}"
    );
    assert!(empty.contains(&format!("<updated>{}", &since[..4])), "{empty}");
    let (bad, _, _) = server.request("GET", "/api/records.atom?since=yesterday", &[], b"");
    assert_eq!(bad, 400);
    // Saved searches: the CLI's alerts are listed with their feeds; the
    // API saves (with the token) and removes them.
    let listed = server.ok("/api/searches");
    let queries: Vec<&str> = listed["searches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["query"].as_str().unwrap())
        .collect();
    assert_eq!(queries, ["q=updated", "q=border&lang=en"]);
    assert_eq!(listed["searches"][0]["feed"], "/api/records.atom?q=updated");
    let (status, _, _) = server.request("POST", "/api/searches?q=bridge&country=kp", &[], b"");
    assert_eq!(status, 401, "saving needs the token");
    let auth = [("Authorization", "Bearer s3cret-token-for-tests")];
    let (status, _, body) = server.request("POST", "/api/searches?q=river+crossing&country=kp", &auth, b"");
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
    let saved: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(saved["query"], "country=KP&q=river%20crossing");
    let (status, _, _) = server.request("POST", "/api/searches?qq=x", &auth, b"");
    assert_eq!(status, 400, "unknown parameters are refused");
    let (status, _, feed) = server.request("GET", saved["feed"].as_str().unwrap(), &[], b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&feed));
    assert_eq!(server.ok("/api/searches")["searches"].as_array().unwrap().len(), 3);
    let del = format!("/api/searches/{}", saved["id"]);
    assert_eq!(server.request("DELETE", &del, &[], b"").0, 401);
    assert_eq!(server.request("DELETE", &del, &auth, b"").0, 204);
    assert_eq!(server.request("DELETE", &del, &auth, b"").0, 404);
    // The article view's "archived copy" line reads these from the record.
    let served = server.ok(&format!("/api/records/{id}")).to_string();
    assert!(served.contains(copy["payload_digest"].as_str().unwrap()), "{served}");
    assert!(served.contains("\"offset\":"), "{served}");
    drop(server);
    round.store(2, Ordering::SeqCst);
    let out = gleaner(&args);
    ok(&out);
    let last = s.log();
    let feed = last.iter().rev().find(|r| r.path == "/feed.xml").unwrap();
    assert_eq!(feed.header("if-none-match"), Some("\"v2\""), "conditional request");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn private_addresses_are_refused_without_the_flag() {
    let s = Server::start(site(Arc::new(AtomicUsize::new(1))));
    let dir = scratch("private");
    let db = dir.join("g.db");
    let url = s.url("/feed.xml");
    let out = gleaner(&[
        "watch",
        &url,
        "--once",
        "--db",
        db.to_str().unwrap(),
        "--warc-dir",
        dir.join("w").to_str().unwrap(),
        "--json",
    ]);
    let r: Value = serde_json::from_str(ok(&out).lines().next().unwrap()).unwrap();
    assert_eq!(r["sources_failed"], 1);
    assert_eq!(r["pages"], 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--allow-private"));
    assert!(s.log().is_empty(), "nothing reached the server");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fetch_pending_fetches_what_ingest_listed() {
    let s = Server::start(site(Arc::new(AtomicUsize::new(1))));
    let dir = scratch("pending");
    let db = dir.join("g.db");
    let feed = dir.join("feed.xml");
    std::fs::write(
        &feed,
        rss(&[(&s.url("/news/11.html"), ""), (&s.url("/news/12.html"), "")]),
    )
    .unwrap();
    let dbs = db.to_str().unwrap();
    let out = gleaner(&["ingest", "--db", dbs, "--quiet", feed.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let warc = dir.join("w");
    let mut args = vec!["fetch-pending"];
    args.extend(watch_args(dbs, warc.to_str().unwrap(), &[]));
    let r: Value = serde_json::from_str(ok(&gleaner(&args)).lines().next().unwrap()).unwrap();
    assert_eq!(r["new_records"], 2, "{r}");
    assert_eq!(s.paths(), ["/robots.txt", "/news/11.html", "/news/12.html"]);
    let r: Value = serde_json::from_str(ok(&gleaner(&args)).lines().next().unwrap()).unwrap();
    assert_eq!(r["pages"], 0, "nothing fetched twice");
    let _ = std::fs::remove_dir_all(&dir);
}

fn wait_for(what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    let t0 = Instant::now();
    while !cond() {
        assert!(t0.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn killed_with_sigkill_it_resumes_without_fetching_a_stored_page_twice() {
    let s = Server::start(fixture::many_pages(12));
    let dir = scratch("kill9");
    let db = dir.join("g.db");
    let warc = dir.join("w");
    let (dbs, warcs) = (db.to_str().unwrap().to_string(), warc.to_str().unwrap().to_string());
    let url = s.url("/feed.xml");
    let mut args = vec!["watch", url.as_str(), "--once"];
    args.extend(watch_args(&dbs, &warcs, &[]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("five pages", 30, || {
        s.paths().iter().filter(|p| p.starts_with("/p/")).count() >= 5
    });
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let stored_before: BTreeSet<String> = records(&db)
        .values()
        .map(|v| v["url"].as_str().unwrap().to_string())
        .collect();
    assert!(stored_before.len() >= 3, "{stored_before:?}");
    let out = gleaner(&args);
    ok(&out);
    fixture::assert_resumed_without_refetch(&s, &stored_before, 12);
    let all = records(&db);
    assert_eq!(all.len(), 12, "no listed page lost");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_ends_a_watch_cleanly() {
    let s = Server::start(fixture::many_pages(30));
    let dir = scratch("term");
    let db = dir.join("g.db");
    let warc = dir.join("w");
    let (dbs, warcs) = (db.to_str().unwrap().to_string(), warc.to_str().unwrap().to_string());
    let url = s.url("/feed.xml");
    let mut args = vec!["watch", url.as_str(), "--every", "1h"];
    args.extend(watch_args(&dbs, &warcs, &[]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("three pages", 30, || {
        s.paths().iter().filter(|p| p.starts_with("/p/")).count() >= 3
    });
    let t0 = Instant::now();
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(t0.elapsed() < Duration::from_secs(3), "stopped after the page in hand");
    let r: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(r["stopped"], true);
    let fetched = s.paths().iter().filter(|p| p.starts_with("/p/")).count();
    assert!(fetched < 30);
    assert_eq!(records(&db).len(), fetched, "every fetched page stored");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--every` runs rounds on time (robots.txt read afresh in each), and
/// between rounds SIGTERM ends the watch at once.
#[test]
fn sigterm_between_rounds_ends_at_once() {
    let s = Server::start(fixture::many_pages(2));
    let dir = scratch("term-idle");
    let (db, warc) = (dir.join("g.db"), dir.join("w"));
    let (dbs, warcs) = (db.to_str().unwrap().to_string(), warc.to_str().unwrap().to_string());
    let url = s.url("/feed.xml");
    let mut args = vec!["watch", url.as_str(), "--every", "2s"];
    args.extend(watch_args(&dbs, &warcs, &[]));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let r1: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(r1["new_records"], 2, "{r1}");
    // Round 2 starts two seconds after round 1 did: robots.txt and the
    // feed are asked again, nothing else.
    line.clear();
    out.read_line(&mut line).unwrap();
    let r2: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (r2["new_records"].as_u64(), r2["stopped"].as_bool()),
        (Some(0), Some(false)),
        "{r2}"
    );
    assert_eq!(s.count("/robots.txt"), 2, "robots.txt is read afresh each round");
    assert_eq!(s.count("/feed.xml"), 2);
    assert_eq!(s.paths().len(), 6, "{:?}", s.paths());
    let t0 = Instant::now();
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
    let _ = std::fs::remove_dir_all(&dir);
}
