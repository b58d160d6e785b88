//! The store commands over a store ingested from the sample pages plus a feed,
//! a sitemap and a JSON Lines file: search (with filters), show, stats and
//! export in every format.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn gleaner(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gleaner")).args(args).output().unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A store with the sample pages, one feed, one sitemap and one JSONL file.
fn fixture(name: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("gleaner-storecmds-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("feed.xml"),
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Valley Wire</title>
        <item><title>Dam inspection finds cracks</title><link>https://valley.test/dam</link><pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate>
        <content:encoded><![CDATA[<p>Inspectors found three cracks in the spillway of the Orrin dam on Monday, the water authority said in a statement.</p><p>Repairs will begin next month and the reservoir will be lowered by two metres while engineers work.</p>]]></content:encoded></item>
        <item><title>Later story</title><link>https://valley.test/later</link><description>Short.</description></item>
        </channel></rss>"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("sitemap.xml"),
        r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://valley.test/a</loc></url><url><loc>https://valley.test/b</loc></url></urlset>"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("lines.jsonl"),
        "{\"url\": \"https://lines.test/1\", \"text\": \"Ferry fares rise\\n\\nThe ferry company raised fares by ten percent on Tuesday, citing fuel costs and new safety rules for the winter crossing season.\"}\nnot json at all\n",
    )
    .unwrap();
    let db = dir.join("store.db");
    let db_s = db.to_str().unwrap().to_string();
    let pages = repo().join("examples/pages");
    let out = gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        &db_s,
        pages.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    // The bad JSONL line is an error, so the exit code is 1.
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["errors"], 1, "{s}");
    assert_eq!(
        s["pending"], 3,
        "one feed entry without content and two sitemap URLs: {s}"
    );
    (dir, db_s)
}

#[test]
fn search_finds_pages_feed_entries_and_jsonl_lines_with_filters() {
    let (_dir, db) = fixture("search");
    let hits = |args: &[&str]| -> Vec<Value> {
        let mut a = vec!["search", "--db", &db, "--format", "jsonl"];
        a.extend_from_slice(args);
        stdout(&gleaner(&a))
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let flood = hits(&["harbour", "flood"]);
    assert_eq!(flood.len(), 1);
    assert_eq!(flood[0]["publisher"], "The Saltmarsh Courier");
    assert!(flood[0]["snippet"].as_str().unwrap().contains('['));
    let dam = hits(&["spillway"]);
    assert_eq!(dam.len(), 1);
    assert_eq!(dam[0]["url"], "https://valley.test/dam");
    assert_eq!(
        dam[0]["published"], "2024-03-05",
        "the feed's date fills a page that has none"
    );
    assert_eq!(hits(&["ferry", "fares"]).len(), 1);
    // Filters.
    assert_eq!(hits(&["--lang", "de"]).len(), 1);
    assert_eq!(hits(&["--lang", "ko"])[0]["language"], "ko");
    assert!(hits(&["--from", "2024-03", "--to", "2024-03"])
        .iter()
        .all(|h| h["published"].as_str().unwrap().starts_with("2024-03")));
    assert_eq!(hits(&["--publisher", "The Coastline Post"]).len(), 1);
    assert!(hits(&["zzzznotaword"]).is_empty());
    // Table output names the id and title.
    let table = stdout(&gleaner(&["search", "--db", &db, "spillway"]));
    assert!(table.contains("Dam inspection finds cracks"), "{table}");
    // Bad dates are usage errors, not crashes.
    let bad = gleaner(&["search", "--db", &db, "--from", "March"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn show_stats_and_a_missing_store() {
    let (_dir, db) = fixture("show");
    let hit: Value = serde_json::from_str(
        stdout(&gleaner(&["search", "--db", &db, "--format", "jsonl", "spillway"]))
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let id = hit["id"].as_str().unwrap();
    let rec: Value = serde_json::from_str(&stdout(&gleaner(&["show", "--db", &db, &id[..8]]))).unwrap();
    assert_eq!(rec["id"], id);
    assert_eq!(rec["schema"], "gleaner.record/1");
    assert_eq!(rec["urls"], serde_json::json!(["https://valley.test/dam"]));
    assert_eq!(
        gleaner(&["show", "--db", &db, "ffffffffffffffff"]).status.code(),
        Some(1)
    );

    let stats: Value = serde_json::from_str(&stdout(&gleaner(&["stats", "--db", &db, "--json"]))).unwrap();
    assert_eq!(
        stats["records"], 10,
        "8 sample pages, 1 feed entry, 1 JSONL line: {stats}"
    );
    assert_eq!(stats["pending"], 3);
    assert_eq!(stats["errors_by_category"]["bad json"], 1);
    assert_eq!(stats["by_language"]["de"], 1);
    assert!(stats["by_month"]["2024-03"].as_u64().unwrap() >= 2);
    let text = stdout(&gleaner(&["stats", "--db", &db]));
    assert!(text.contains("errors by reason") && text.contains("bad json"), "{text}");

    let missing = gleaner(&["stats", "--db", "/nonexistent/dir/x.db"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no store"));
}

#[test]
fn export_jsonl_csv_and_parquet_hold_every_record() {
    let (dir, db) = fixture("export");
    let jsonl = stdout(&gleaner(&["export", "--db", &db]));
    let recs: Vec<Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(recs.len(), 10);
    assert!(recs
        .iter()
        .all(|r| r["schema"] == "gleaner.record/1" && r["urls"].is_array()));

    let csv = stdout(&gleaner(&["export", "--db", &db, "--format", "csv"]));
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("id,url,urls,"));
    // Quoted multi-line texts: count records by id-shaped line starts.
    let rows = csv
        .lines()
        .skip(1)
        .filter(|l| l.len() > 17 && l.as_bytes()[16] == b',' && l[..16].chars().all(|c| c.is_ascii_hexdigit()))
        .count();
    assert_eq!(rows, 10);

    let pq = dir.join("out.parquet");
    let out = gleaner(&[
        "export",
        "--db",
        &db,
        "--format",
        "parquet",
        "--output",
        pq.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = std::fs::File::open(&pq).unwrap();
    let reader = parquet::file::reader::SerializedFileReader::new(file).unwrap();
    use parquet::file::reader::FileReader;
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), 10);
    let names: Vec<String> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert!(names.contains(&"text".to_string()) && names.contains(&"published".to_string()));
    assert_eq!(
        gleaner(&["export", "--db", &db, "--format", "parquet"]).status.code(),
        Some(2)
    );
}

/// The read commands work on a store its user cannot write (read-only
/// media, another user's archive): no write-ahead log can be made beside it.
#[test]
fn a_store_that_cannot_be_written_can_still_be_read() {
    let (dir, db) = fixture("readonly");
    for ext in ["-wal", "-shm", ".dedup-lock"] {
        let _ = std::fs::remove_file(format!("{db}{ext}"));
    }
    let gleaner_bin = env!("CARGO_BIN_EXE_gleaner");
    // As root, permissions do not stop writes: read as an unprivileged user.
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    let run = |args: &[&str]| -> std::process::Output {
        if as_root {
            Command::new("runuser")
                .args(["-u", "nobody", "--", gleaner_bin])
                .args(args)
                .output()
                .unwrap()
        } else {
            Command::new(gleaner_bin).args(args).output().unwrap()
        }
    };
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let stats = run(&["stats", "--json", "--db", &db]);
    let search = run(&["search", "--db", &db, "--format", "jsonl", "harbour"]);
    let export = run(&["export", "--db", &db]);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let v: Value = serde_json::from_str(&stdout(&stats)).unwrap();
    assert!(v["records"].as_u64().unwrap() >= 9, "{v}");
    assert!(!stdout(&search).is_empty());
    assert_eq!(stdout(&export).lines().count() as u64, v["records"].as_u64().unwrap());
    assert!(
        !Path::new(&format!("{db}-wal")).exists(),
        "nothing was written beside the store"
    );
}

/// Writing into a damaged store is refused (exit 2), not done over the damage.
#[test]
fn ingest_refuses_a_damaged_store() {
    let (dir, db) = fixture("damaged");
    // Fold the log into the file, then scribble over pages in its middle.
    stdout(&gleaner(&["stats", "--db", &db]));
    let conn_checkpoint = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["ingest", "--quiet", "--db", &db])
        .arg(repo().join("examples/pages"))
        .output()
        .unwrap();
    assert!(conn_checkpoint.status.success());
    for ext in ["-wal", "-shm"] {
        assert!(
            !Path::new(&format!("{db}{ext}")).exists()
                || std::fs::metadata(format!("{db}{ext}")).unwrap().len() < 1 << 20
        );
    }
    let mut bytes = std::fs::read(&db).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 8192].fill(0x5a);
    std::fs::write(&db, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["ingest", "--db", &db])
        .arg(dir.join("feed.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
}
