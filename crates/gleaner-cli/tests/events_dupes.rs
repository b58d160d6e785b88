//! Near-duplicate clusters and merged events through `ingest`, `dupes`,
//! `events` and `timeline`, on the shared example reprint and a lightly
//! edited copy of it (another promo, a changed word, the last paragraph cut).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn gleaner(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gleaner")).args(args).output().unwrap()
}

fn ok(out: std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn setup(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("gleaner-events-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/example-reprint.txt");
    let original = std::fs::read_to_string(spec).unwrap();
    let a = dir.join("a.txt");
    std::fs::write(&a, &original).unwrap();
    let mut copy = original
        .replace(
            "Join our brand new verified AMN Telegram channel and get important news uncensored!",
            "Join the Border Watch Telegram channel for more!",
        )
        .replace("desperate citizens", "desperate residents");
    let last = copy.trim_end().rfind("\n\n").unwrap();
    copy.truncate(last);
    let b = dir.join("b.txt");
    std::fs::write(&b, copy).unwrap();
    (dir, a, b)
}

fn events(db: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["events", "--db", db, "--format", "jsonl"];
    args.extend_from_slice(extra);
    ok(gleaner(&args))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_copy_joins_the_original_cluster_and_its_events_merge() {
    let (dir, a, b) = setup("merge");
    let db = dir.join("s.db");
    let db_s = db.to_str().unwrap();
    // The original alone, then the copy in a later run: the pass is incremental.
    ok(gleaner(&["ingest", "--quiet", "--db", db_s, a.to_str().unwrap()]));
    let alone = events(db_s, &[]);
    assert!(alone.len() >= 8, "{}", alone.len());
    assert!(alone.iter().all(|e| e["sources"].as_array().unwrap().len() == 1));
    let run = ok(gleaner(&[
        "ingest",
        "--quiet",
        "--json",
        "--db",
        db_s,
        b.to_str().unwrap(),
    ]));
    let s: Value = serde_json::from_str(run.trim()).unwrap();
    assert_eq!(s["dedup"]["copies"], 1, "{s}");

    // One cluster of two; the copy points to the original.
    let clusters: Vec<Value> = ok(gleaner(&["dupes", "--db", db_s, "--format", "jsonl"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(clusters.len(), 1);
    let members = clusters[0]["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    let original_id = clusters[0]["earliest"].as_str().unwrap();
    let copy_id = members
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .find(|id| *id != original_id)
        .unwrap();
    let copy: Value = serde_json::from_str(&ok(gleaner(&["show", "--db", db_s, copy_id]))).unwrap();
    assert_eq!(copy["syndication"]["duplicate_of"], original_id);
    let by_id = ok(gleaner(&["dupes", "--db", db_s, copy_id]));
    assert!(by_id.contains(original_id) && by_id.contains("2 records"), "{by_id}");

    // No duplicated events: the same occurrences, now with two sources each
    // (the copy lacks the last paragraph, so events from it keep one).
    let merged = events(db_s, &[]);
    assert_eq!(merged.len(), alone.len(), "the copy's events must merge, not add");
    let two = merged
        .iter()
        .filter(|e| e["sources"].as_array().unwrap().len() == 2)
        .count();
    assert!(two >= alone.len() - 2, "{two} of {} merged", alone.len());
    let execution = merged
        .iter()
        .find(|e| e["subtype"] == "execution" && e["evidence"].as_str().unwrap().contains("publicly executed"))
        .unwrap();
    assert_eq!(execution["date"], "2020-11");
    assert_eq!(execution["sources"].as_array().unwrap().len(), 2);
}

#[test]
fn event_filters_timeline_and_chart() {
    let (dir, a, _) = setup("filters");
    let db = dir.join("s.db");
    let db_s = db.to_str().unwrap();
    ok(gleaner(&["ingest", "--quiet", "--db", db_s, a.to_str().unwrap()]));
    let restrictions = events(db_s, &["--type", "movement_restriction"]);
    assert!(!restrictions.is_empty() && restrictions.iter().all(|e| e["type"] == "movement_restriction"));
    let nov = events(db_s, &["--from", "2020-11", "--to", "2020-11"]);
    assert!(!nov.is_empty() && nov.iter().all(|e| e["date"].as_str().unwrap().starts_with("2020-11")));
    let kp = events(db_s, &["--country", "KP"]);
    assert!(!kp.is_empty());
    assert!(events(db_s, &["--country", "FR"]).is_empty());
    let csv = ok(gleaner(&["events", "--db", db_s, "--format", "csv"]));
    assert!(csv.starts_with("date,type,subtype,place,actor,target,sources,evidence\n"));
    assert_eq!(csv.lines().count(), events(db_s, &[]).len() + 1);

    let svg = dir.join("t.svg");
    let table = ok(gleaner(&[
        "timeline",
        "--db",
        db_s,
        "--by",
        "month",
        "--svg",
        svg.to_str().unwrap(),
    ]));
    assert!(
        table.lines().any(|l| l.starts_with("2020-01")) && table.lines().any(|l| l.starts_with("2020-11")),
        "{table}"
    );
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("<rect") && chart.contains("2020-11"));
    // Events dated to a month have no week or day; only day-dated ones count there.
    let days = ok(gleaner(&["timeline", "--db", db_s, "--by", "day"]));
    let day_dated = events(db_s, &[])
        .iter()
        .filter(|e| e["date"].as_str().unwrap().len() == 10)
        .count();
    let day_total: u64 = days
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum();
    assert_eq!(day_total as usize, day_dated, "{days}");
}
