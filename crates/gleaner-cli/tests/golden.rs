//! Golden cases: every sample page under `examples/pages` against the
//! hand-written expectations in `testdata/golden/<name>.json` (format in
//! `testdata/golden/README.md`). The expectations were written by reading the
//! pages, not by running Gleaner.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check(golden_path: &Path) -> Vec<String> {
    let golden: Value = serde_json::from_str(&std::fs::read_to_string(golden_path).unwrap()).unwrap();
    let input = repo().join(golden["input"].as_str().unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["extract", "--quiet"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let rec: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut errors = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            errors.push(what);
        }
    };
    for field in ["title", "published", "modified", "publisher", "language", "url"] {
        if let Some(want) = golden.get(field) {
            expect(rec[field] == *want, format!("{field}: want {want}, got {}", rec[field]));
        }
    }
    if let Some(want) = golden.get("authors") {
        expect(
            rec["authors"] == *want,
            format!("authors: want {want}, got {}", rec["authors"]),
        );
    }
    match &golden["syndication"] {
        Value::Null => expect(
            rec["syndication"].is_null(),
            format!("syndication: want null, got {}", rec["syndication"]),
        ),
        want => expect(
            rec["syndication"]["original_publisher"] == want["original_publisher"],
            format!("syndication: want {want}, got {}", rec["syndication"]),
        ),
    }
    let text = norm(rec["text"].as_str().unwrap());
    let starts = norm(golden["text_starts_with"].as_str().unwrap());
    let ends = norm(golden["text_ends_with"].as_str().unwrap());
    expect(
        text.starts_with(&starts),
        format!(
            "text should start with {starts:?}, starts {:?}",
            &text.chars().take(80).collect::<String>()
        ),
    );
    expect(
        text.ends_with(&ends),
        format!(
            "text should end with {ends:?}, ends {:?}",
            text.chars()
                .rev()
                .take(80)
                .collect::<String>()
                .chars()
                .rev()
                .collect::<String>()
        ),
    );
    for s in golden["must_contain"].as_array().unwrap() {
        let s = norm(s.as_str().unwrap());
        expect(text.contains(&s), format!("text lacks {s:?}"));
    }
    for s in golden["must_not_contain"].as_array().unwrap() {
        let s = norm(s.as_str().unwrap());
        expect(!text.contains(&s), format!("text contains boilerplate {s:?}"));
    }
    let removed: Vec<String> = rec["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| norm(r.as_str().unwrap()))
        .collect();
    for s in golden
        .get("removed_contains")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let s = norm(s.as_str().unwrap());
        expect(
            removed.iter().any(|r| r.contains(&s)),
            format!("removed lacks {s:?} (removed: {removed:?})"),
        );
    }
    errors
}

#[test]
fn sample_pages_match_their_goldens() {
    let dir = repo().join("testdata/golden");
    let mut failures = Vec::new();
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            n += 1;
            for e in check(&path) {
                failures.push(format!("{}: {e}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(n >= 8, "expected at least 8 golden cases, found {n}");
    assert!(
        failures.is_empty(),
        "{} golden mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn example_reprint_from_the_spec() {
    let spec = repo().join("../shared/spec/example-reprint.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_gleaner"))
        .args(["extract", "--quiet"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["title"],
        "North Korea vows merciless punishment for smugglers to stop COVID-19"
    );
    assert_eq!(r["published"], "2020-12-19");
    assert_eq!(r["publisher"], "AMN");
    assert_eq!(r["input"]["kind"], "text");
    assert_eq!(r["syndication"]["original_publisher"], "Radio Free Asia");
    let removed = r["removed"].to_string();
    assert!(removed.contains("Join our brand new verified AMN Telegram channel"));
    assert!(removed.contains("North Korean border to China (Nicor/WikiCommons)"));
    let text = r["text"].as_str().unwrap();
    assert!(text.starts_with("Authorities in North Korea"), "{}", &text[..60]);
    assert!(text.ends_with("because they are dead either way.\u{201d}"));
    assert!(!text.contains("Telegram") && !text.contains("WikiCommons") && !text.contains("originally published"));
}
