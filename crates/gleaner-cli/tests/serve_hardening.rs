//! `gleaner serve` under hostile requests: search terms that would make a
//! query costly, uploads refused before their body is read, idle and
//! half-sent connections, odd encodings and sizes, foreign Host headers, and
//! what the access log shows.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::server::{sample_store, tmpdir, Server};

/// Sends raw bytes and reads whatever comes back until the server closes
/// the connection or `wait` passes.
fn raw(addr: &str, bytes: &[u8], wait: Duration) -> (Vec<u8>, Duration) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(wait)).unwrap();
    let started = Instant::now();
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    (out, started.elapsed())
}

fn status_of(response: &[u8]) -> u16 {
    let text = String::from_utf8_lossy(response);
    text.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text:?}"))
}

fn json_body(response: &[u8]) -> Value {
    let at = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a head") + 4;
    serde_json::from_slice(&response[at..]).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(response)))
}

#[test]
fn repeated_and_wordless_searches_are_normalised_or_refused() {
    let dir = tmpdir("hardening-search");
    let s = Server::start(&sample_store(&dir), &[]);
    let once = s.ok("/api/records?q=the&limit=100");
    let started = Instant::now();
    let many = s.ok(&format!("/api/records?q={}&limit=100", "the+".repeat(500)));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a repeated word must cost what one does"
    );
    assert_eq!(once["records"], many["records"]);
    s.refused("/api/records?q=%3F%21.%2C", 400, "no words");
    let words: String = (0..40).map(|i| format!("w{i}+")).collect();
    s.refused(&format!("/api/records?q={words}"), 400, "at most");
    s.refused("/api/records?q=%FF", 400, "not UTF-8");
    s.refused(&format!("/api/records?q={}", "x".repeat(80)), 400, "longer than");
    // The command line refuses the same.
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["search", "--db", &sample_store(&tmpdir("hardening-search-cli")), "?!."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no words"));
}

#[test]
fn uploads_are_refused_before_their_body_is_read() {
    let dir = tmpdir("hardening-upload");
    let db = sample_store(&dir);
    // Headers that announce 250 MB, and no body: an answer must come without it.
    let announce = |addr: &str, auth: &str| {
        let head = format!(
            "POST /api/ingest?name=big.warc.gz HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 262144000\r\n{auth}\r\n"
        );
        raw(addr, head.as_bytes(), Duration::from_secs(10))
    };
    let off = Server::start(&db, &[]);
    let (r, took) = announce(&off.addr, "");
    assert_eq!(status_of(&r), 403);
    assert!(took < Duration::from_secs(5), "answered in {took:?}");
    drop(off);

    let token_file = dir.join("token");
    std::fs::write(&token_file, "s3cret-token-for-tests-only\n").unwrap();
    let s = Server::start(
        &db,
        &["--token-file", token_file.to_str().unwrap(), "--max-body", "2000000"],
    );
    let (r, took) = announce(&s.addr, "Authorization: Bearer wrong-token-of-same-len!\r\n");
    assert_eq!(status_of(&r), 401);
    assert!(took < Duration::from_secs(5));
    let (r, took) = announce(&s.addr, "authorization: bearer s3cret-token-for-tests-only\r\n");
    assert_eq!(
        status_of(&r),
        413,
        "the scheme is case-insensitive, and the length over --max-body"
    );
    assert!(took < Duration::from_secs(5));

    // Without a length (chunked), the count stops it.
    let mut chunked = format!(
        "POST /api/ingest?name=big.txt HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer s3cret-token-for-tests-only\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.addr
    )
    .into_bytes();
    for _ in 0..40 {
        chunked.extend_from_slice(format!("{:x}\r\n", 100_000).as_bytes());
        chunked.extend(std::iter::repeat_n(b'a', 100_000));
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let (r, _) = raw(&s.addr, &chunked, Duration::from_secs(20));
    assert_eq!(status_of(&r), 413);

    // A long name is refused as a request error, not a server error.
    let long = format!("/api/ingest?name={}.html", "a".repeat(300));
    let (status, _, body) = s.request(
        "POST",
        &long,
        &[("Authorization", "Bearer s3cret-token-for-tests-only")],
        b"<p>x</p>",
    );
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));

    // A good upload's records carry the name given, not the server's path.
    let page = b"<html><head><title>Quay works</title></head><body><article><p>The quay at Port Ellery was repaired over three weeks by the harbour board, which said the work had finished a day early.</p></article></body></html>";
    let (status, _, body) = s.request(
        "POST",
        "/api/ingest?name=../quay%20works.html",
        &[("Authorization", "Bearer s3cret-token-for-tests-only")],
        page,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let hit = &s.ok("/api/records?q=quay+repaired")["records"][0];
    let record = s.ok(&format!("/api/records/{}", hit["id"].as_str().unwrap()));
    assert_eq!(record["input"]["path"], "upload:quay_works.html", "{record}");
}

#[test]
fn idle_and_half_sent_connections_do_not_hold_the_server() {
    let dir = tmpdir("hardening-idle");
    let mut s = Server::start(
        &sample_store(&dir),
        &["--header-timeout", "1", "--max-connections", "8"],
    );
    // A connection that sends nothing is closed after the header timeout.
    let (_, took) = raw(&s.addr, b"", Duration::from_secs(10));
    assert!(took < Duration::from_secs(5), "an idle connection lived {took:?}");
    // More idle connections than the cap: a normal request still gets through.
    let idle: Vec<TcpStream> = (0..20).map(|_| TcpStream::connect(&s.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(s.ok("/api/stats")["records"], 9);
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(idle);
    // A half-sent request does not keep SIGTERM from stopping the server.
    let mut half = TcpStream::connect(&s.addr).unwrap();
    half.write_all(b"GET /api/stats HTTP/1.1\r\nHost: x\r\n").unwrap();
    // SAFETY: sending a signal to our own child process.
    unsafe { libc_kill(s.child.id() as i32, 15) };
    let started = Instant::now();
    loop {
        if s.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

#[test]
fn errors_are_json_with_the_security_headers_and_foreign_hosts_are_refused() {
    let dir = tmpdir("hardening-errors");
    let s = Server::start(&sample_store(&dir), &[]);
    let cases: Vec<(String, u16)> = vec![
        (
            format!("GET /api/records/%FF HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr),
            400,
        ),
        (
            format!(
                "GET /api/records?q={} HTTP/1.1\r\nHost: {}\r\n\r\n",
                "a".repeat(9000),
                s.addr
            ),
            414,
        ),
        (
            format!(
                "GET /api/stats HTTP/1.1\r\nHost: {}\r\nX-Big: {}\r\n\r\n",
                s.addr,
                "b".repeat(40_000)
            ),
            431,
        ),
        (
            "GET /api/stats HTTP/1.1\r\nHost: rebound.example:8080\r\n\r\n".to_string(),
            421,
        ),
    ];
    for (request, want) in cases {
        let (r, _) = raw(&s.addr, request.as_bytes(), Duration::from_secs(10));
        let head = String::from_utf8_lossy(&r).to_lowercase();
        assert_eq!(status_of(&r), want, "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        assert!(head.contains("content-security-policy:"), "{head}");
        assert_eq!(json_body(&r)["error"]["status"], want);
    }
    // An IP literal or localhost is fine whatever the port.
    let (r, _) = raw(
        &s.addr,
        b"GET /api/stats HTTP/1.1\r\nHost: localhost:1\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    );
    assert_eq!(status_of(&r), 200);
}

#[test]
fn the_access_log_names_paths_but_not_what_was_searched() {
    let dir = tmpdir("hardening-log");
    let s = Server::start(&sample_store(&dir), &[]);
    s.ok("/api/records?q=secretword&limit=5");
    s.ok("/api/stats");
    std::thread::sleep(Duration::from_millis(200));
    let log = s.log.lock().unwrap().join("\n");
    assert!(log.contains("GET /api/records?q&limit 200"), "{log}");
    assert!(log.contains("GET /api/stats 200"), "{log}");
    assert!(!log.contains("secretword"), "{log}");
    let quiet = Server::start(&sample_store(&tmpdir("hardening-log-quiet")), &["--quiet"]);
    quiet.ok("/api/stats");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(quiet.log.lock().unwrap().len(), 1, "only the serving line");
}

#[test]
fn a_world_readable_token_file_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmpdir("hardening-token");
    let token = dir.join("token");
    std::fs::write(&token, "s3cret-token-for-tests-only\n").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let s = Server::start(&sample_store(&dir), &["--token-file", token.to_str().unwrap()]);
    std::thread::sleep(Duration::from_millis(300));
    let log = s.log.lock().unwrap().join("\n");
    assert!(log.contains("can be read by every user"), "{log}");
}
