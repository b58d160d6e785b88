//! The polite, safe client against a local server: robots.txt, the
//! private-address rule, the per-host rate, conditional requests, retries
//! with Retry-After, timeouts, redirects, the size limit, Content-Types and
//! content encodings; and the archive it writes, read back by
//! `gleaner-read`'s WARC reader.

mod fixture;

use std::io::Cursor;
use std::time::{Duration, Instant};

use fixture::{article, gzip, rss, Req, Resp, Server};
use gleaner_fetch::{sha1_digest, Client, FetchError, FetchOptions, Role, Validators, WarcWriter};
use gleaner_read::{Item, WarcReader};

fn options() -> FetchOptions {
    FetchOptions {
        allow_private: true,
        per_host_interval: Duration::ZERO,
        timeout: Duration::from_secs(5),
        backoff: Duration::from_millis(50),
        ..FetchOptions::default()
    }
}

fn site(r: &Req) -> Resp {
    match r.path.as_str() {
        "/robots.txt" => Resp::new(
            200,
            "text/plain",
            "User-agent: *\nDisallow: /\n\nUser-agent: gleaner\nDisallow: /private/\n",
        ),
        "/feed.xml" => {
            if r.header("if-none-match") == Some("\"v1\"") {
                return Resp::new(304, "application/rss+xml", "");
            }
            Resp::new(
                200,
                "application/rss+xml",
                rss(&[("/news/1.html", "Mon, 01 Apr 2024 10:00:00 GMT")]),
            )
            .with("ETag", "\"v1\"")
        }
        "/feed.xml.gz" => {
            Resp::new(200, "application/rss+xml", gzip(&rss(&[("/news/2.html", "")]))).with("Content-Encoding", "gzip")
        }
        "/r1" => Resp::redirect(301, "/r2"),
        "/r2" => Resp::redirect(302, "/news/1.html"),
        "/loop1" => Resp::redirect(302, "/loop2"),
        "/loop2" => Resp::redirect(302, "/loop1"),
        "/slow" => Resp {
            delay: Duration::from_secs(3),
            ..Resp::html(article(9, "Slow"))
        },
        "/big" => Resp::html(vec![b'a'; 300_000]),
        "/image.png" => Resp::new(200, "image/png", vec![0x89, b'P', b'N', b'G']),
        p if p.starts_with("/news/") || p.starts_with("/private/") => Resp::html(article(1, "A report")),
        _ => Resp::new(404, "text/plain", "no"),
    }
}

#[test]
fn robots_txt_is_obeyed_and_fetched_once_per_origin() {
    let s = Server::start(site);
    let c = Client::new(options());
    assert!(c.fetch(&s.url("/news/1.html"), Role::Page, None).result.is_ok());
    let f = c.fetch(&s.url("/private/secret.html"), Role::Page, None);
    assert_eq!(f.result.unwrap_err(), FetchError::Disallowed);
    assert!(c.fetch(&s.url("/news/2.html"), Role::Page, None).result.is_ok());
    assert_eq!(s.paths(), ["/robots.txt", "/news/1.html", "/news/2.html"]);
    let ua = s.log()[1].header("user-agent").unwrap().to_string();
    assert!(ua.starts_with("Gleaner/"), "{ua}");
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let s = Server::start(site);
    let c = Client::new(FetchOptions {
        allow_private: false,
        ..options()
    });
    let f = c.fetch(&s.url("/news/1.html"), Role::Page, None);
    assert!(matches!(f.result, Err(FetchError::Refused(_))), "{:?}", f.result);
    let localhost = s.url("/news/1.html").replace("127.0.0.1", "localhost");
    assert!(matches!(
        c.fetch(&localhost, Role::Page, None).result,
        Err(FetchError::Refused(_))
    ));
    assert!(s.log().is_empty(), "nothing reached the server: {:?}", s.paths());
}

#[test]
fn requests_to_one_host_are_spaced_by_the_interval() {
    let s = Server::start(site);
    let c = Client::new(FetchOptions {
        per_host_interval: Duration::from_millis(250),
        ..options()
    });
    for i in 0..4 {
        assert!(c
            .fetch(&s.url(&format!("/news/{i}.html")), Role::Page, None)
            .result
            .is_ok());
    }
    let log = s.log();
    assert_eq!(log.len(), 5, "robots.txt and four pages");
    for w in log.windows(2) {
        let gap = w[1].at.duration_since(w[0].at);
        assert!(
            gap >= Duration::from_millis(240),
            "{} then {} after {gap:?}",
            w[0].path,
            w[1].path
        );
    }
}

#[test]
fn conditional_requests_get_304() {
    let s = Server::start(site);
    let c = Client::new(options());
    let first = c.fetch(&s.url("/feed.xml"), Role::Source, None);
    let f = first.result.unwrap();
    assert_eq!(f.status, 200);
    assert!(f.decoded.unwrap().starts_with(b"<?xml"));
    let v = Validators {
        etag: Some("\"v1\"".into()),
        last_modified: None,
    };
    let again = c.fetch(&s.url("/feed.xml"), Role::Source, Some(&v));
    assert_eq!(again.result.unwrap().status, 304);
    assert_eq!(s.log().last().unwrap().header("if-none-match"), Some("\"v1\""));
}

#[test]
fn retries_honour_retry_after_and_give_up() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let busy = std::sync::Arc::new(AtomicUsize::new(0));
    let b = std::sync::Arc::clone(&busy);
    let s = Server::start(move |r| match r.path.as_str() {
        "/robots.txt" => Resp::new(404, "text/plain", ""),
        "/busy" if b.fetch_add(1, Ordering::SeqCst) == 0 => {
            Resp::new(503, "text/plain", "busy").with("Retry-After", "1")
        }
        "/busy" => Resp::html(article(1, "Back")),
        "/limited" => Resp::new(429, "text/plain", "slow down").with("Retry-After", "0"),
        "/away" => Resp::new(503, "text/plain", "away").with("Retry-After", "3600"),
        _ => Resp::new(404, "text/plain", ""),
    });
    let c = Client::new(FetchOptions {
        retries: 2,
        ..options()
    });
    let f = c.fetch(&s.url("/busy"), Role::Page, None);
    assert_eq!(f.result.unwrap().status, 200);
    assert_eq!(f.exchanges.len(), 3, "robots.txt, the 503, the retry");
    let log = s.log();
    let gap = log[2].at.duration_since(log[1].at);
    assert!(gap >= Duration::from_millis(950), "Retry-After: 1 waited {gap:?}");
    let f = c.fetch(&s.url("/limited"), Role::Page, None);
    assert_eq!(f.result.unwrap_err(), FetchError::Unavailable(429));
    assert_eq!(s.count("/limited"), 3, "the first try and two retries");
    let t0 = Instant::now();
    let f = c.fetch(&s.url("/away"), Role::Page, None);
    assert_eq!(f.result.unwrap_err(), FetchError::Unavailable(503));
    assert!(
        t0.elapsed() < Duration::from_secs(2),
        "a wait past the cap is not waited"
    );
}

#[test]
fn a_slow_server_times_out() {
    let s = Server::start(site);
    let c = Client::new(FetchOptions {
        timeout: Duration::from_millis(700),
        ..options()
    });
    assert!(c.fetch(&s.url("/news/1.html"), Role::Page, None).result.is_ok());
    let t0 = Instant::now();
    let f = c.fetch(&s.url("/slow"), Role::Page, None);
    assert_eq!(f.result.unwrap_err(), FetchError::Timeout);
    assert!(t0.elapsed() < Duration::from_millis(2500), "{:?}", t0.elapsed());
    assert!(FetchError::Timeout.is_transient(), "tried again in a later run");
}

#[test]
fn redirects_are_followed_recorded_and_limited() {
    let s = Server::start(site);
    let c = Client::new(options());
    let f = c.fetch(&s.url("/r1"), Role::Page, None);
    let fin = f.result.unwrap();
    assert_eq!(fin.url, s.url("/news/1.html"));
    let asked: Vec<&str> = f.exchanges.iter().map(|x| x.url.as_str()).collect();
    assert_eq!(
        asked,
        [s.url("/robots.txt"), s.url("/r1"), s.url("/r2"), s.url("/news/1.html")]
    );
    let f = c.fetch(&s.url("/loop1"), Role::Page, None);
    assert!(
        matches!(f.result, Err(FetchError::Redirects(ref m)) if m.contains("loop")),
        "{:?}",
        f.result
    );
    let short = Client::new(FetchOptions {
        max_redirects: 1,
        ..options()
    });
    let f = short.fetch(&s.url("/r1"), Role::Page, None);
    assert!(matches!(f.result, Err(FetchError::Redirects(_))), "{:?}", f.result);
}

#[test]
fn size_limit_content_types_and_encodings() {
    let s = Server::start(site);
    let c = Client::new(FetchOptions {
        max_bytes: 100_000,
        ..options()
    });
    let f = c.fetch(&s.url("/big"), Role::Page, None);
    assert_eq!(f.result.unwrap_err(), FetchError::TooLarge(100_000));
    let r = f.exchanges.last().unwrap().response.as_ref().unwrap();
    assert_eq!(r.truncated, Some("length"));
    assert!(r.body.is_empty(), "part of a page is not kept as the page");
    let f = c.fetch(&s.url("/image.png"), Role::Page, None);
    assert_eq!(f.result.unwrap_err(), FetchError::WrongType("image/png".into()));
    let f = c.fetch(&s.url("/feed.xml.gz"), Role::Source, None);
    let decoded = f.result.unwrap().decoded.unwrap();
    assert!(decoded.starts_with(b"<?xml"), "gzip content encoding undone");
}

/// What the writer archives reads back: the page with the payload digest
/// and offset the writer reported, redirects and robots.txt passed over,
/// a gzip-encoded page decoded; request and response linked.
#[test]
fn the_archive_reads_back() {
    let s = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => Resp::new(200, "text/plain", "User-agent: *\nAllow: /\n"),
        "/old" => Resp::redirect(301, "/gz.html"),
        "/gz.html" => Resp::html(gzip(&article(3, "Zipped"))).with("Content-Encoding", "gzip"),
        _ => Resp::html(article(4, "Plain")),
    });
    let c = Client::new(options());
    let dir = std::env::temp_dir().join(format!("gleaner-fetch-archive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut w = WarcWriter::new(&dir, 1 << 30, "software: test\r\n".into()).unwrap();
    let f = c.fetch(&s.url("/old"), Role::Page, None);
    let fin = f.result.clone().unwrap();
    let written = w.write(&f.exchanges).unwrap();
    let bytes = std::fs::read(&written.file).unwrap();
    assert_eq!(bytes.len() as u64, written.end);
    let items: Vec<Item> = WarcReader::from_reader(Cursor::new(bytes.clone()), 0, Default::default())
        .unwrap()
        .collect();
    let pages: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Page(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(pages.len(), 1, "{items:?}");
    let p = pages[0];
    assert_eq!(p.bytes, article(3, "Zipped"));
    assert_eq!(p.url.as_deref(), Some(s.url("/gz.html").as_str()));
    assert_eq!(Some(p.offset), written.responses[fin.exchange]);
    let body = &f.exchanges[fin.exchange].response.as_ref().unwrap().body;
    assert_eq!(p.payload_digest.as_deref(), Some(sha1_digest(body).as_str()));
    // One record can be read alone from its offset.
    let alone: Vec<Item> = WarcReader::from_reader(Cursor::new(bytes), p.offset, Default::default())
        .unwrap()
        .take(1)
        .collect();
    assert!(matches!(&alone[0], Item::Page(q) if q.bytes == p.bytes));
    let _ = std::fs::remove_dir_all(&dir);
}
