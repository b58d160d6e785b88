//! Two `gleaner ingest` processes writing one SQLite store at once end with
//! exactly the records, events and clusters of one clean run: into a store
//! that does not exist yet and into one that does, with the same inputs and
//! with the inputs split between them. `GLEANER_CONCURRENCY_REPEAT=N` runs
//! each case N times (one by default).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

mod common;
use common::ingest::{dump, inputs, ok};

fn tmpdir(name: &str) -> PathBuf {
    common::tmpdir("sqlite-concurrency", name)
}

fn repeat() -> usize {
    std::env::var("GLEANER_CONCURRENCY_REPEAT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// An ingester with small batches, so its commits and its dedup pass
/// interleave with the other one's.
fn spawn(db: &str, files: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["ingest", "--quiet", "--json", "--batch", "7", "--jobs", "1", "--db", db])
        .args(files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs the two ingesters to the end; answers the records new to each.
fn both(db: &str, first: &[&str], second: &[&str]) -> u64 {
    let (a, b) = (spawn(db, first), spawn(db, second));
    let mut new = 0;
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "an ingester failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        new += s["new_records"].as_u64().unwrap();
    }
    new
}

fn assert_same(got: &(String, String, String), want: &(String, String, String), case: &str) {
    for (what, g, w) in [
        ("export", &got.0, &want.0),
        ("events", &got.1, &want.1),
        ("dupes", &got.2, &want.2),
    ] {
        let first = g.lines().zip(w.lines()).find(|(a, b)| a != b);
        assert!(
            g == w,
            "{case}: {what} differs from one clean run ({} vs {} lines); first difference: {first:#?}",
            g.lines().count(),
            w.lines().count()
        );
    }
}

fn db_in(dir: &Path, name: &str) -> String {
    let p = dir.join(name);
    for ext in ["", "-wal", "-shm", ".dedup-lock"] {
        let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
    }
    p.display().to_string()
}

#[test]
fn two_ingesters_on_one_sqlite_store_end_where_one_clean_run_does() {
    let dir = tmpdir("cases");
    let [a, b, c] = inputs(&dir);
    let clean = db_in(&dir, "clean.db");
    ok(&["ingest", "--quiet", "--db", &clean, &a, &b, &c]);
    let want = dump(&clean);
    assert!(
        want.1.lines().count() >= 10 && want.2.lines().count() >= 5,
        "the cases have events and clusters to compare"
    );
    // A store holding a first input already, and its clean counterpart.
    let seeded_clean = db_in(&dir, "seeded-clean.db");
    ok(&["ingest", "--quiet", "--db", &seeded_clean, &a, &b, &c]);

    for round in 0..repeat() {
        // A new store, both ingesters with every input (in opposite orders).
        let db = db_in(&dir, "same.db");
        both(&db, &[&a, &b, &c], &[&c, &b, &a]);
        assert_same(&dump(&db), &want, &format!("round {round}: new store, same inputs"));

        // A new store, the inputs split between them (overlapping on b).
        let db = db_in(&dir, "split.db");
        let new = both(&db, &[&a, &b], &[&c, &b]);
        let got = dump(&db);
        assert_eq!(
            new as usize,
            got.0.lines().count(),
            "each record was new to exactly one ingester"
        );
        assert_same(&got, &want, &format!("round {round}: new store, split inputs"));

        // An existing store that already holds one input.
        let db = db_in(&dir, "seeded.db");
        ok(&["ingest", "--quiet", "--db", &db, &a]);
        both(&db, &[&b, &c], &[&c, &b]);
        assert_same(
            &dump(&db),
            &dump(&seeded_clean),
            &format!("round {round}: existing store"),
        );
    }
}
