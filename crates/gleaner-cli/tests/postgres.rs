//! `gleaner` against a PostgreSQL store: ingest of the shared benchmark pages
//! written as WARCs, the read commands, and two ingesters running at once
//! over overlapping inputs, whose store must equal one clean run's (and the
//! SQLite store's of the same inputs), record for record.
//!
//! Needs `GLEANER_TEST_POSTGRES` (`eval "$(.ci/postgres.sh)"`); each test
//! makes its own database. Without it the tests say so and pass, except
//! under `CI`, where they fail.

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

mod common;
use common::ingest::{dump, gleaner, inputs, ok};
#[path = "../../gleaner-fetch/tests/fixture/mod.rs"]
mod fixture;

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("pg", name)
}

/// A new database on the test server, dropped afterwards.
struct Db {
    url: String,
    admin: String,
    name: String,
}

impl Db {
    fn new(name: &str) -> Option<Db> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let Ok(admin) = std::env::var("GLEANER_TEST_POSTGRES") else {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but GLEANER_TEST_POSTGRES is not: the PostgreSQL CLI tests must run in CI (eval \"$(.ci/postgres.sh)\")");
            }
            eprintln!("skipped: set GLEANER_TEST_POSTGRES=postgres://… (eval \"$(.ci/postgres.sh)\") to run the PostgreSQL CLI tests");
            return None;
        };
        let name = format!(
            "gleaner_cli_{}_{}_{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let mut c =
            postgres::Client::connect(&admin, postgres::NoTls).expect("GLEANER_TEST_POSTGRES names a reachable server");
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let base = admin.split('?').next().unwrap_or(&admin);
        let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
        Some(Db {
            url: format!("{server}/{name}"),
            admin,
            name,
        })
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

#[test]
fn ingest_then_search_show_stats_events_and_dupes() {
    let Some(db) = Db::new("commands") else { return };
    let dir = tmpdir("commands");
    let [a, b, c] = inputs(&dir);
    let out = ok(&["ingest", "--quiet", "--json", "--db", &db.url, &a, &b, &c]);
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["pages"], 70 + 90 + 81);
    assert_eq!(summary["errors"], 0);
    assert!(summary["known_records"].as_u64().unwrap() >= 50, "{summary}");

    let stats: Value = serde_json::from_str(&ok(&["stats", "--db", &db.url, "--json"])).unwrap();
    let records = stats["records"].as_u64().unwrap();
    assert!((180..=191).contains(&records), "{stats}");
    assert_eq!(
        (stats["inputs"].as_u64(), stats["inputs_done"].as_u64()),
        (Some(3), Some(3))
    );

    // A run of words from a stored text finds its record, with a snippet.
    let first: Value = serde_json::from_str(ok(&["export", "--db", &db.url]).lines().nth(7).unwrap()).unwrap();
    let words: Vec<&str> = first["text"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect();
    let query = words[words.len() / 2..words.len() / 2 + 3].to_vec();
    let mut args = vec!["search", "--db", &db.url, "--format", "jsonl", "--limit", "50"];
    args.extend(query.iter().copied());
    let hits: Vec<Value> = ok(&args).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let hit = hits
        .iter()
        .find(|h| h["id"] == first["id"])
        .unwrap_or_else(|| panic!("{query:?} did not find {}", first["id"]));
    assert!(hit["snippet"].as_str().unwrap().contains('['), "{hit}");

    // show by id prefix: the record and every address it was seen at.
    let id = first["id"].as_str().unwrap();
    let shown: Value = serde_json::from_str(&ok(&["show", "--db", &db.url, &id[..10]])).unwrap();
    assert_eq!(shown["id"], first["id"]);
    assert_eq!(shown["urls"], first["urls"]);
    let missing = gleaner(&["show", "--db", &db.url, "ffffffffffff"]);
    assert_eq!(missing.status.code(), Some(1));

    // The 30 pages of a that b holds again are one record with both addresses.
    let export = ok(&["export", "--db", &db.url]);
    let both = export
        .lines()
        .filter(|l| l.contains("https://pages.test/") && l.contains("https://mirror.test/"))
        .count();
    assert!(both >= 25, "{both} records with both addresses");

    // Edited copies cluster with their originals, which they point to.
    let dupes: Vec<Value> = ok(&["dupes", "--db", &db.url, "--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let with_edit = dupes.iter().filter(|c| {
        c["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["url"].as_str().unwrap_or("").ends_with("-updated"))
    });
    assert!(with_edit.count() >= 8, "{dupes:?}");
    // Every member but the earliest points to it.
    for c in &dupes {
        let earliest = c["earliest"].as_str().unwrap();
        for m in c["members"].as_array().unwrap() {
            let id = m["id"].as_str().unwrap();
            let rec: Value = serde_json::from_str(&ok(&["show", "--db", &db.url, id])).unwrap();
            let want = if id == earliest {
                Value::Null
            } else {
                Value::from(earliest)
            };
            assert_eq!(rec["syndication"]["duplicate_of"], want, "{id}");
        }
    }

    let events: Vec<Value> = ok(&["events", "--db", &db.url, "--format", "jsonl"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(events.len() >= 10, "{} events", events.len());
    assert!(
        events.iter().any(|e| e["sources"].as_array().unwrap().len() >= 2),
        "reports of copies merge"
    );
    let kind = events[0]["type"].as_str().unwrap();
    let of_kind = ok(&["events", "--db", &db.url, "--format", "jsonl", "--type", kind]);
    assert!(of_kind
        .lines()
        .all(|l| serde_json::from_str::<Value>(l).unwrap()["type"] == kind));
}

#[test]
fn two_concurrent_ingesters_end_where_one_clean_run_does() {
    let Some(shared) = Db::new("shared") else { return };
    let Some(clean) = Db::new("clean") else { return };
    let dir = tmpdir("concurrent");
    let [a, b, c] = inputs(&dir);

    // Two processes at once, overlapping on b, in opposite orders, with
    // small batches so their commits and passes interleave.
    let spawn = |files: [&str; 2]| {
        Command::new(env!("CARGO_BIN_EXE_gleaner"))
            .args([
                "ingest",
                "--quiet",
                "--json",
                "--batch",
                "7",
                "--jobs",
                "1",
                "--db",
                &shared.url,
            ])
            .args(files)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn([&a, &b]);
    let second = spawn([&c, &b]);
    let mut new_records = 0;
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        new_records += s["new_records"].as_u64().unwrap();
    }

    ok(&["ingest", "--quiet", "--db", &clean.url, &a, &b, &c]);
    let sqlite = dir.join("clean.db");
    ok(&["ingest", "--quiet", "--db", sqlite.to_str().unwrap(), &a, &b, &c]);

    let (records, events, dupes) = dump(&shared.url);
    let n = records.lines().count();
    assert_eq!(new_records as usize, n, "each record was new to exactly one ingester");
    // The comparison has something to compare: copies with several
    // addresses, near copies pointing to their original, merged reports.
    assert!(
        records
            .lines()
            .filter(|l| l.contains("https://mirror.test/") && l.contains("https://pages.test/"))
            .count()
            >= 25
    );
    assert!(records.contains("\"duplicate_of\":\""), "no near copies");
    assert!(events.lines().count() >= 10 && dupes.lines().count() >= 5);

    let clean_dump = dump(&clean.url);
    for (what, got, want) in [
        ("export", &records, &clean_dump.0),
        ("events", &events, &clean_dump.1),
        ("dupes", &dupes, &clean_dump.2),
    ] {
        let diff: Vec<_> = got.lines().zip(want.lines()).filter(|(g, w)| g != w).take(2).collect();
        assert!(
            got == want,
            "{what}: concurrent ingest differs from one clean run ({} vs {} lines); first differences: {diff:#?}",
            got.lines().count(),
            want.lines().count()
        );
    }
    // Passes that split the records between them, deterministically: the
    // inputs one at a time, in reverse order, a pass after each.
    let Some(reverse) = Db::new("reverse") else { return };
    for input in [&c, &b, &a] {
        ok(&["ingest", "--quiet", "--db", &reverse.url, input]);
    }
    assert!(
        dump(&reverse.url) == clean_dump,
        "ingesting the inputs one by one in reverse order differs from one clean run"
    );

    let sqlite_dump = dump(sqlite.to_str().unwrap());
    assert!(records == sqlite_dump.0, "PostgreSQL and SQLite exports differ");
    assert!(events == sqlite_dump.1, "PostgreSQL and SQLite events differ");
    assert!(dupes == sqlite_dump.2, "PostgreSQL and SQLite clusters differ");

    // Running both again reads nothing: every input is done.
    let again: Value =
        serde_json::from_str(&ok(&["ingest", "--quiet", "--json", "--db", &shared.url, &a, &b, &c])).unwrap();
    assert_eq!(
        (again["inputs_skipped"].as_u64(), again["pages"].as_u64()),
        (Some(3), Some(0))
    );
}

/// Ingests killed with SIGKILL at points spread over a whole run (the
/// writer's batches and the dedup pass's groups), then one run to the end:
/// the store equals the SQLite store of one clean run, clusters and events
/// included.
#[test]
fn ingests_killed_with_sigkill_then_rerun_equal_a_clean_run() {
    let Some(killed) = Db::new("killed") else { return };
    let Some(timed) = Db::new("timed") else { return };
    let dir = tmpdir("sigkill");
    let [a, b, c] = inputs(&dir);
    let run = |db: &str| {
        Command::new(env!("CARGO_BIN_EXE_gleaner"))
            .args(["ingest", "--quiet", "--batch", "7", "--db", db, &a, &b, &c])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole run takes here, to spread the kills over it.
    let started = std::time::Instant::now();
    assert!(run(&timed.url).wait().unwrap().success());
    let whole = started.elapsed();
    let sqlite = dir.join("clean.db");
    ok(&["ingest", "--quiet", "--db", sqlite.to_str().unwrap(), &a, &b, &c]);
    let want = dump(sqlite.to_str().unwrap());
    let total = want.0.lines().count();

    let mut admin = postgres::Client::connect(&killed.url, postgres::NoTls).unwrap();
    let (mut kills, mut mid_ingest) = (0, 0);
    for fraction in [0.2, 0.5, 0.8, 0.9, 0.95] {
        let mut child = run(&killed.url);
        std::thread::sleep(whole.mul_f64(fraction));
        if child.try_wait().unwrap().is_none() {
            // SIGKILL: no destructor, no commit of the batch or group in flight.
            child.kill().unwrap();
            kills += 1;
        }
        let _ = child.wait();
        // Killed mid-ingest: some records stored, not all (the pass runs
        // beside the writer, so its groups were being written too).
        let stored: Option<i64> = admin
            .query_opt("SELECT count(*) FROM records", &[])
            .ok()
            .flatten()
            .map(|r| r.get(0));
        if stored.is_some_and(|n| n > 0 && (n as usize) < total) {
            mid_ingest += 1;
        }
    }
    assert!(
        kills >= 1,
        "every run finished before its kill; the test proves nothing"
    );
    assert!(mid_ingest >= 1, "no kill landed mid-ingest");
    ok(&["ingest", "--quiet", "--db", &killed.url, &a, &b, &c]);
    let got = dump(&killed.url);
    assert!(got.0 == want.0, "records differ after {kills} kills");
    assert!(got.1 == want.1, "events differ after {kills} kills");
    assert!(got.2 == want.2, "clusters differ after {kills} kills");
}

/// With one job, the dedup pass runs beside the writer on a second
/// connection (the writer mostly waits on the server, issue 16): while the
/// ingest runs, the store's database has two client connections at once.
/// Its store still equals a two-job run's.
#[test]
fn one_job_into_postgresql_runs_the_pass_on_a_second_connection() {
    let (Some(one), Some(two)) = (Db::new("onejob"), Db::new("twojobs")) else {
        return;
    };
    let dir = tmpdir("onejob");
    let [a, b, c] = inputs(&dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args([
            "ingest", "--quiet", "--json", "--jobs", "1", "--batch", "1", "--db", &one.url, &a, &b, &c,
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Watched from the admin database, so this connection is not counted.
    let mut admin = postgres::Client::connect(&one.admin, postgres::NoTls).unwrap();
    let mut most = 0i64;
    while child.try_wait().unwrap().is_none() {
        let row = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
                &[&one.name],
            )
            .unwrap();
        most = most.max(row.get(0));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(most, 2, "client connections seen during a one-job ingest");
    let summary: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["dedup"]["records"], summary["new_records"], "{summary}");
    ok(&["ingest", "--quiet", "--jobs", "2", "--db", &two.url, &a, &b, &c]);
    assert_eq!(dump(&one.url), dump(&two.url));
}

#[test]
fn a_store_address_with_a_password_is_never_printed_with_it() {
    let out = gleaner(&["stats", "--db", "postgres://reader:s3cret@127.0.0.1:1/news"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("reader@127.0.0.1:1/news") && !err.contains("s3cret"),
        "{err}"
    );
}

/// `GET path` with HTTP/1.0 (no chunked bodies): status and body.
fn http_get(addr: &str, path: &str) -> (u16, String) {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let status = raw.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (
        status,
        raw.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string()),
    )
}

#[test]
fn the_server_answers_from_a_postgresql_store() {
    use std::io::BufRead;
    let Some(db) = Db::new("serve") else { return };
    let dir = tmpdir("serve");
    let [a, _, _] = inputs(&dir);
    ok(&["ingest", "--quiet", "--db", &db.url, &a]);
    let first: Value = serde_json::from_str(ok(&["export", "--db", &db.url]).lines().next().unwrap()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["serve", "--db", &db.url, "--addr", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let stats = http_get(&addr, "/api/stats");
    let record = http_get(&addr, &format!("/api/records/{}", first["id"].as_str().unwrap()));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(stats.0, 200, "{}", stats.1);
    let stats: Value = serde_json::from_str(&stats.1).unwrap();
    assert_eq!(stats["records"], 70, "{stats}");
    assert_eq!(record.0, 200, "{}", record.1);
    assert!(record.1.contains(first["id"].as_str().unwrap()));
}

/// `gleaner watch FEED --once` into the store `db`, pages spaced by
/// `interval` seconds, the summary as JSON.
fn watch_once<'a>(feed: &'a str, db: &'a str, warc: &'a str, interval: &'a str) -> [&'a str; 11] {
    [
        "watch",
        feed,
        "--once",
        "--db",
        db,
        "--warc-dir",
        warc,
        "--allow-private",
        "--interval",
        interval,
        "--json",
    ]
}

/// A watch round into a PostgreSQL store: the pages become records, the
/// source's validators and the fetches are kept there, so the next round
/// asks conditionally and fetches nothing again; `--since last-run` reads
/// the rounds back.
#[test]
fn a_watch_round_into_postgresql() {
    use fixture::{article, rss, Resp, Server};
    let Some(db) = Db::new("watch") else { return };
    let site = Server::start(|r| match r.path.as_str() {
        "/robots.txt" => Resp::new(404, "text/plain", ""),
        "/feed.xml" if r.header("if-none-match") == Some("\"f1\"") => Resp::new(304, "application/rss+xml", ""),
        "/feed.xml" => Resp::new(
            200,
            "application/rss+xml",
            rss(&[("/a.html", ""), ("/b.html", ""), ("/c.html", "")]),
        )
        .with("ETag", "\"f1\""),
        p => Resp::html(article(p.len() + p.as_bytes()[1] as usize, &format!("Page {p}"))),
    });
    let dir = tmpdir("watch");
    let feed = site.url("/feed.xml");
    let warc = dir.join("warc");
    let args = watch_once(&feed, &db.url, warc.to_str().unwrap(), "0");
    let r: Value = serde_json::from_str(ok(&args).lines().next().unwrap()).unwrap();
    assert_eq!(r["new_records"], 3, "{r}");
    let again: Value = serde_json::from_str(ok(&args).lines().next().unwrap()).unwrap();
    assert_eq!(
        (again["sources_unchanged"].as_u64(), again["pages"].as_u64()),
        (Some(1), Some(0)),
        "{again}"
    );
    assert_eq!(site.count("/a.html"), 1);
    assert_eq!(site.log().last().unwrap().header("if-none-match"), Some("\"f1\""));
    let since = ok(&["search", "--db", &db.url, "--since", "last-run", "--format", "jsonl"]);
    assert_eq!(since.lines().count(), 0, "the last round brought nothing new");
    let all = ok(&["search", "--db", &db.url, "--format", "jsonl"]);
    assert_eq!(all.lines().count(), 3);
}

/// A watch killed with SIGKILL mid-round into a PostgreSQL store, then run
/// again: no page it had stored is fetched twice (the fetch log and the
/// records live in the store, committed with each batch) and no listed page
/// is lost. The SQLite twin is in `watch.rs`.
#[test]
fn a_watch_killed_with_sigkill_resumes_on_postgresql() {
    use fixture::Server;
    use std::collections::BTreeSet;
    use std::time::{Duration, Instant};
    let Some(db) = Db::new("watch_kill") else { return };
    const N: usize = 12;
    let site = Server::start(fixture::many_pages(N));
    let dir = tmpdir("watch_kill");
    let feed = site.url("/feed.xml");
    let warc = dir.join("warc");
    let args = watch_once(&feed, &db.url, warc.to_str().unwrap(), "0.2");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while site.paths().iter().filter(|p| p.starts_with("/p/")).count() < 5 {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "timed out waiting for five pages"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let urls = |out: String| -> BTreeSet<String> {
        out.lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["url"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let stored_before = urls(ok(&["export", "--db", &db.url, "--format", "jsonl"]));
    assert!(stored_before.len() >= 3, "{stored_before:?}");
    ok(&args);
    fixture::assert_resumed_without_refetch(&site, &stored_before, N);
    let all = urls(ok(&["export", "--db", &db.url, "--format", "jsonl"]));
    assert_eq!(all.len(), N, "no listed page lost: {all:?}");
}
