//! `gleaner ingest` end to end: real WARC files written by our own writer
//! (`gleaner_read::warc::write`, WARC/1.1, one gzip member per record) from the
//! shared benchmark pages, searched afterwards; duplicates; resume; SIGKILL at
//! random points; hostile archives.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use gleaner_read::warc::write as warc;
use gleaner_store::{QueryStore, SearchQuery, SqliteStore, WriteStore};
use serde_json::Value;

mod common;
use common::shared_pages;

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("ingest", name)
}

fn gleaner(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gleaner")).args(args).output().unwrap()
}

/// A .warc.gz of the given pages, one member per record; returns each
/// member's byte offset.
fn write_warc(path: &Path, pages: &[(String, Vec<u8>)]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for (i, (id, html)) in pages.iter().enumerate() {
        offsets.push(out.len() as u64);
        let url = format!("https://pages.test/{id}");
        let date = format!("2024-05-{:02}T10:00:00Z", 1 + i % 28);
        out.extend(warc::gzip_member(&warc::response_record(
            &url,
            &date,
            html,
            "text/html; charset=utf-8",
        )));
    }
    std::fs::write(path, out).unwrap();
    offsets
}

fn export_sorted(db: &Path) -> Vec<String> {
    let out = gleaner(&["export", "--db", db.to_str().unwrap(), "--format", "jsonl"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn warc_pages_are_ingested_and_every_one_is_found_by_search() {
    let dir = tmpdir("search");
    let pages = shared_pages();
    assert_eq!(pages.len(), 181);
    write_warc(&dir.join("a.warc.gz"), &pages[..90]);
    write_warc(&dir.join("b.warc.gz"), &pages[90..]);
    let db = dir.join("store.db");
    let out = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["pages"], 181);
    assert_eq!(summary["errors"], 0);

    let store = SqliteStore::open(&db).unwrap();
    let mut missing = Vec::new();
    let mut checked = 0;
    gleaner_store::for_each_record(&store, |rec| -> Result<(), gleaner_store::StoreError> {
        let r = &rec.record;
        assert_eq!(r.input.kind, gleaner_record::InputKind::Warc);
        assert!(r.input.warc_record_id.is_some());
        assert!(r.url.as_deref().unwrap_or("").starts_with("https://pages.test/"));
        assert!(r.fetched_at.as_deref().unwrap_or("").starts_with("2024-05-"));
        // Search for a run of words from the middle of the text.
        let words: Vec<&str> = r.text.split_whitespace().collect();
        if words.len() >= 8 {
            let q = words[words.len() / 2..words.len() / 2 + 6].join(" ");
            let hits = store
                .search(&SearchQuery {
                    text: Some(q.clone()),
                    limit: 50,
                    ..SearchQuery::default()
                })
                .unwrap();
            if !hits.iter().any(|h| h.id == r.id) {
                missing.push(format!("{} ({q})", r.id));
            }
            checked += 1;
        }
        Ok(())
    })
    .unwrap();
    assert!(checked >= 170, "only {checked} records had text to search");
    assert!(missing.is_empty(), "not found by search: {missing:?}");
    // Every page's URL is stored.
    let urls: std::collections::HashSet<String> = {
        let mut s = std::collections::HashSet::new();
        gleaner_store::for_each_record(&store, |rec| -> Result<(), gleaner_store::StoreError> {
            s.extend(rec.urls);
            Ok(())
        })
        .unwrap();
        s
    };
    for (id, _) in &pages {
        assert!(
            urls.contains(&format!("https://pages.test/{id}")),
            "no record for page {id}"
        );
    }
}

#[test]
fn the_same_article_twice_is_stored_once_with_both_addresses() {
    let dir = tmpdir("dup");
    let pages = shared_pages();
    let page = &pages[3].1;
    let mut out = Vec::new();
    out.extend(warc::gzip_member(&warc::response_record(
        "https://one.test/a",
        "2024-01-01T00:00:00Z",
        page,
        "text/html",
    )));
    out.extend(warc::gzip_member(&warc::response_record(
        "https://two.test/copy",
        "2024-01-02T00:00:00Z",
        page,
        "text/html",
    )));
    std::fs::write(dir.join("dup.warc.gz"), out).unwrap();
    let db = dir.join("store.db");
    let db_s = db.to_str().unwrap();
    let run = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db_s,
        dir.join("dup.warc.gz").to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let s: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (s["new_records"].as_u64(), s["known_records"].as_u64()),
        (Some(1), Some(1))
    );
    let lines = export_sorted(&db);
    assert_eq!(lines.len(), 1);
    let rec: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(
        rec["urls"],
        serde_json::json!(["https://one.test/a", "https://two.test/copy"])
    );

    // Ingesting the same archive again changes nothing (and is skipped).
    let again = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db_s,
        dir.join("dup.warc.gz").to_str().unwrap(),
    ]);
    let s: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(s["inputs_skipped"], 1);
    assert_eq!(export_sorted(&db), lines);
}

#[test]
fn resume_continues_where_the_last_commit_ended() {
    let dir = tmpdir("resume");
    let pages = shared_pages();
    let warc_path = dir.join("r.warc.gz");
    let offsets = write_warc(&warc_path, &pages[..60]);
    let clean = dir.join("clean.db");
    assert!(gleaner(&[
        "ingest",
        "--quiet",
        "--db",
        clean.to_str().unwrap(),
        warc_path.to_str().unwrap()
    ])
    .status
    .success());

    // A store left by a run that committed the first 25 records' offsets and
    // then died: resuming must read exactly the 35 records after them.
    let partial = dir.join("partial.db");
    let meta = std::fs::metadata(&warc_path).unwrap();
    let mtime = meta
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut store = SqliteStore::open(&partial).unwrap();
    store
        .commit(&gleaner_store::Batch {
            inputs: vec![gleaner_store::InputProgress {
                path: warc_path.to_str().unwrap().to_string(),
                state: gleaner_store::InputState {
                    size: meta.len(),
                    mtime,
                    offset: offsets[25],
                    done: false,
                },
            }],
            ..gleaner_store::Batch::default()
        })
        .unwrap();
    drop(store);
    let out = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        partial.to_str().unwrap(),
        warc_path.to_str().unwrap(),
    ]);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        s["pages"], 35,
        "resume must read only the records after the committed offset"
    );
    let later: std::collections::HashSet<String> = pages[25..60]
        .iter()
        .map(|(id, _)| format!("https://pages.test/{id}"))
        .collect();
    let expected: Vec<String> = export_sorted(&clean)
        .into_iter()
        .filter(|l| {
            serde_json::from_str::<Value>(l).unwrap()["urls"]
                .as_array()
                .unwrap()
                .iter()
                .any(|u| later.contains(u.as_str().unwrap()))
        })
        .collect();
    assert_eq!(export_sorted(&partial), expected);
    // And the input is now done: a third run reads nothing.
    let again = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        partial.to_str().unwrap(),
        warc_path.to_str().unwrap(),
    ]);
    let s: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!((s["pages"].as_u64(), s["inputs_skipped"].as_u64()), (Some(0), Some(1)));
}

#[test]
fn sigkill_at_random_points_then_rerun_equals_a_clean_run() {
    let dir = tmpdir("crash");
    let pages = shared_pages();
    let warc_path = dir.join("big.warc.gz");
    // Enough work that kills land mid-run in a debug build: the pages twice,
    // the second time with a changed paragraph so that both copies are records.
    let mut all = pages.clone();
    for (id, html) in &pages {
        // Every paragraph gains a word, so the copy's article text differs.
        let v = String::from_utf8_lossy(html)
            .replace("</p>", &format!(" variant{}.</p>", &id[..6]))
            .into_bytes();
        all.push((format!("{id}-v"), v));
    }
    write_warc(&warc_path, &all);
    let clean = dir.join("clean.db");
    assert!(gleaner(&[
        "ingest",
        "--quiet",
        "--db",
        clean.to_str().unwrap(),
        warc_path.to_str().unwrap()
    ])
    .status
    .success());
    let expected = export_sorted(&clean);
    assert!(expected.len() >= 300, "{}", expected.len());

    let crashed = dir.join("crashed.db");
    // Deterministic "random" delays (an LCG), so a failure can be replayed.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut kills = 0;
    for _ in 0..5 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_millis(40 + (x >> 33) % 400);
        let mut child = Command::new(env!("CARGO_BIN_EXE_gleaner"))
            .args([
                "ingest",
                "--quiet",
                "--batch",
                "17",
                "--db",
                crashed.to_str().unwrap(),
                warc_path.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            // SIGKILL: no destructor, no flush, no commit of the batch in flight.
            child.kill().unwrap();
            kills += 1;
        }
        let _ = child.wait();
    }
    assert!(
        kills >= 1,
        "the run always finished before the kill; the test proves nothing"
    );
    let out = gleaner(&[
        "ingest",
        "--quiet",
        "--db",
        crashed.to_str().unwrap(),
        warc_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = export_sorted(&crashed);
    assert_eq!(got.len(), expected.len(), "record count differs after {kills} kills");
    assert!(got == expected, "records differ after {kills} kills");
}

#[test]
fn hostile_archives_record_errors_and_keep_every_good_record() {
    let dir = tmpdir("hostile");
    let pages = shared_pages();
    let good = |i: usize| {
        warc::gzip_member(&warc::response_record(
            &format!("https://good.test/{i}"),
            "2024-02-02T00:00:00Z",
            &pages[i].1,
            "text/html",
        ))
    };
    // 1. A truncated last member.
    let mut a = Vec::new();
    a.extend(good(0));
    a.extend(good(1));
    let last = good(2);
    a.extend(&last[..last.len() / 2]);
    std::fs::write(dir.join("truncated.warc.gz"), a).unwrap();
    // 2. A record whose Content-Length lies (claims more than it has), between good ones:
    //    its gzip member shows where it ends, so it is read.
    let mut b = Vec::new();
    b.extend(good(3));
    let rec = warc::response_record(
        "https://liar.test/x",
        "2024-02-02T00:00:00Z",
        b"<html><body><p>short</p></body></html>",
        "text/html",
    );
    let text = String::from_utf8_lossy(&rec).into_owned();
    let lied = text.replacen("Content-Length: ", "Content-Length: 9", 1);
    b.extend(warc::gzip_member(lied.as_bytes()));
    b.extend(good(4));
    std::fs::write(dir.join("liar.warc.gz"), b).unwrap();
    // 3. A binary payload between good ones.
    let mut c = Vec::new();
    c.extend(good(5));
    let png: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    c.extend(warc::gzip_member(&warc::response_record(
        "https://img.test/p.png",
        "2024-02-02T00:00:00Z",
        &png,
        "image/png",
    )));
    c.extend(good(6));
    std::fs::write(dir.join("binary.warc.gz"), c).unwrap();
    // 4. An empty file.
    std::fs::write(dir.join("empty.warc.gz"), b"").unwrap();
    // 5. A 50 MB page (over the default 20 MB --max-bytes) between good ones.
    let mut d = Vec::new();
    d.extend(good(7));
    let huge = "<p>filler words</p>".repeat(50 * 1024 * 1024 / 19 + 1);
    d.extend(warc::gzip_member(&warc::response_record(
        "https://huge.test/p",
        "2024-02-02T00:00:00Z",
        huge.as_bytes(),
        "text/html",
    )));
    d.extend(good(8));
    std::fs::write(dir.join("huge.warc.gz"), d).unwrap();

    let db = dir.join("store.db");
    let out = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "errors must make the exit code 1");
    let store = SqliteStore::open(&db).unwrap();
    let mut urls = Vec::new();
    gleaner_store::for_each_record(&store, |r| -> Result<(), gleaner_store::StoreError> {
        urls.extend(r.urls);
        Ok(())
    })
    .unwrap();
    for i in 0..=8 {
        if i == 2 {
            continue;
        }
        assert!(
            urls.contains(&format!("https://good.test/{i}")),
            "good record {i} lost; have {urls:?}"
        );
    }
    let errors = store.errors().unwrap();
    let cats: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.input.rsplit('/').next().unwrap_or(""), e.category.as_str()))
        .collect();
    assert!(cats.iter().any(|(f, _)| *f == "truncated.warc.gz"), "{cats:?}");
    // The lying Content-Length is corrected from where the record's gzip
    // member ends, and the record is read (issue 14: warcio reads it too).
    assert!(!cats.iter().any(|(f, _)| *f == "liar.warc.gz"), "{cats:?}");
    assert!(urls.contains(&"https://liar.test/x".to_string()), "{urls:?}");
    assert!(
        cats.iter().any(|(f, c)| *f == "binary.warc.gz" && *c == "non-html"),
        "{cats:?}"
    );
    assert!(
        cats.iter().any(|(f, c)| *f == "empty.warc.gz" && *c == "empty input"),
        "{cats:?}"
    );
    assert!(
        cats.iter().any(|(f, c)| *f == "huge.warc.gz" && *c == "too large"),
        "{cats:?}"
    );
    assert!(errors.iter().all(|e| !e.reason.is_empty()));
}
