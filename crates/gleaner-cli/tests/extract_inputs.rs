//! `gleaner extract` on inputs good, bad and missing: a directory mixing
//! pages with every kind of hostile input, standard input, and paths that do
//! not exist. The binary runs as a user would run it, on pages generated here.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::extract::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// 1. A directory of good and bad inputs
// ---------------------------------------------------------------------------

struct MixedDir {
    dir: TempDir,
    /// Good inputs: relative name → distinctive words of their text.
    good: Vec<(&'static str, Vec<&'static str>)>,
    /// Bad inputs: relative name → (category, words of the stderr message).
    bad: Vec<(&'static str, &'static str, &'static str)>,
}

const MIXED_MAX_BYTES: &str = "1250000";

fn mixed_dir() -> MixedDir {
    let dir = TempDir::new("mixed");
    let mut good: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    let mut bad = Vec::new();

    dir.write("in/lighthouse.html", news_page("Lighthouse shines again", LIGHTHOUSE));
    good.push(("lighthouse.html", LIGHTHOUSE_WORDS.to_vec()));
    dir.write("in/news/orchard.htm", news_page("Frost hits apple harvest", ORCHARD));
    good.push(("news/orchard.htm", ORCHARD_WORDS.to_vec()));
    dir.write(
        "in/news/library.html.gz",
        gz(news_page("Library opens", LIBRARY).as_bytes()),
    );
    good.push(("news/library.html.gz", LIBRARY_WORDS.to_vec()));

    // Declares Latin-1, but the bytes are UTF-8.
    let munich = [
        "Die Straßenbahn in München fährt ab Montag wieder durch die Altstadt. \
         Die Bauarbeiten an den Gleisen dauerten fast ein halbes Jahr.",
        "Anwohner der Müllerstraße freuen sich über ruhigere Nächte. \
         Die Stadtwerke versprechen außerdem neue Wagen bis zum Herbst.",
    ];
    dir.write(
        "in/charset/latin1-but-utf8.html",
        news_page_with_head("Straßenbahn fährt wieder", "<meta charset=\"iso-8859-1\">", &munich),
    );
    good.push((
        "charset/latin1-but-utf8.html",
        vec!["München", "Straßenbahn", "Müllerstraße", "Nächte"],
    ));

    // Declares UTF-8, but the bytes are windows-1252.
    let geneva = [
        "Le café de la gare à Genève a rouvert ses portes après huit mois de travaux. \
         Les habitués ont salué le nouveau comptoir en chêne et les fenêtres refaites.",
        "« C’est comme avant, en mieux », a déclaré une cliente fidèle. \
         Le prix de l’espresso reste fixé à 2 € la tasse jusqu’à Noël, a promis le gérant.",
    ];
    let html = news_page_with_head("Le café rouvre", "<meta charset=\"utf-8\">", &geneva);
    let (bytes, unmappable) = windows_1252(&html);
    assert!(!unmappable);
    dir.write("in/charset/utf8-but-1252.html", bytes);
    good.push((
        "charset/utf8-but-1252.html",
        vec!["café", "Genève", "chêne", "2 € la tasse", "Noël"],
    ));

    // No declaration and not valid UTF-8 (Latin-1 bytes).
    let malaga = [
        "El alcalde de Málaga inauguró ayer la nueva biblioteca pública del barrio de la Trinidad. \
         La obra costó más de dos millones de euros y tardó tres años.",
        "Los vecinos celebraron la apertura con música y una lectura de poemas en la plaza. \
         La biblioteca abrirá también los domingos por la mañana.",
    ];
    let html = news_page_with_head(
        "Nueva biblioteca",
        "<meta name=\"viewport\" content=\"width=device-width\">",
        &malaga,
    );
    let (bytes, unmappable) = windows_1252(&html);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err());
    dir.write("in/charset/undeclared-latin1.html", bytes);
    good.push((
        "charset/undeclared-latin1.html",
        vec!["Málaga", "inauguró", "música", "mañana"],
    ));

    // No declaration, UTF-8 text with a few stray invalid bytes.
    let mut bytes =
        news_page_with_head("Bridge reopens", "<meta name=\"robots\" content=\"index\">", BRIDGE).into_bytes();
    let at = bytes.windows(7).position(|w| w == b"Tuesday").unwrap();
    bytes.splice(at..at, [0xFFu8, 0xFE, 0xC3, b' ']);
    assert!(std::str::from_utf8(&bytes).is_err());
    dir.write("in/charset/stray-bytes.html", bytes);
    good.push(("charset/stray-bytes.html", BRIDGE_WORDS.to_vec()));

    // 100,000 nested <div>s around a paragraph.
    dir.write("in/hostile/deep.html", nested_page(100_000));
    good.push((
        "hostile/deep.html",
        vec!["Marmalade exports", "Corvina", "shipping route"],
    ));

    // 1 MB of paragraphs.
    let long = long_page(1_000_000);
    assert!(long.len() >= 1_000_000 && long.len() < 1_250_000);
    dir.write("in/hostile/long.html", long);
    good.push((
        "hostile/long.html",
        vec!["Zanzibar delegates", "Section 1 of the report", "Quetzalcoatl"],
    ));

    // Bad inputs.
    dir.write("in/bad/empty.html", b"");
    bad.push(("bad/empty.html", "empty input", "empty input"));
    dir.write("in/bad/blank.html", b"  \n\t\r\n   \n");
    bad.push(("bad/blank.html", "empty input", "empty input"));
    dir.write("in/bad/photo.html", fake_png());
    bad.push(("bad/photo.html", "binary content", "binary content"));
    let mut cut = gz(news_page("Truncated", ORCHARD).as_bytes());
    cut.truncate(cut.len() / 2);
    dir.write("in/bad/cut.html.gz", cut);
    bad.push(("bad/cut.html.gz", "bad gzip", "gzip"));
    let big = long_page(1_300_000);
    assert!(big.len() > 1_250_000);
    dir.write("in/bad/big.html", big);
    bad.push(("bad/big.html", "over --max-bytes", "1250000"));
    // Small on disk, but bigger than the limit once decompressed.
    let bomb = gz(long_page(2_000_000).as_bytes());
    assert!(bomb.len() < 1_250_000);
    dir.write("in/bad/bomb.html.gz", bomb);
    bad.push(("bad/bomb.html.gz", "over --max-bytes", "1250000"));

    // Not a page name: never picked up by the directory walk.
    dir.write("in/bad/picture.png", fake_png());

    MixedDir { dir, good, bad }
}

/// windows-1252 encoding of a string made of Latin-1 letters plus the few
/// characters that windows-1252 places in 0x80..0x9F (written by hand so the
/// tests need no encoding crate).
fn windows_1252(s: &str) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(s.len());
    let mut unmappable = false;
    for c in s.chars() {
        let b = match c {
            '\u{20ac}' => 0x80,
            '\u{201a}' => 0x82,
            '\u{201e}' => 0x84,
            '\u{2026}' => 0x85,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            c if (c as u32) < 0x80 || ((c as u32) >= 0xA0 && (c as u32) <= 0xFF) => c as u32 as u8,
            _ => {
                unmappable = true;
                b'?'
            }
        };
        out.push(b);
    }
    (out, unmappable)
}

#[test]
fn mixed_directory_reports_each_failure_and_keeps_every_good_record() {
    let m = mixed_dir();
    let root = m.dir.join("in");
    let errors_file = m.dir.join("errors.jsonl");
    let out_dir = m.dir.join("out");
    // Two runs over the same inputs, at the same time: JSON Lines to stdout,
    // and text files into --out-dir (with --quiet).
    let to_stdout = spawn(&[
        "extract",
        "--max-bytes",
        MIXED_MAX_BYTES,
        "--jobs",
        "2",
        "--errors",
        &s(&errors_file),
        &s(&root),
    ]);
    let to_dir = spawn(&[
        "extract",
        "--max-bytes",
        MIXED_MAX_BYTES,
        "--format",
        "text",
        "--quiet",
        "--out-dir",
        &s(&out_dir),
        &s(&root),
    ]);
    let out = to_stdout.wait_with_output().unwrap();
    let out2 = to_dir.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "some inputs failed, so exit 1; stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Every good input has a complete record, in input (sorted path) order.
    let records = parse_jsonl(&stdout(&out));
    let mut expected_paths: Vec<String> = m.good.iter().map(|(rel, _)| s(&root.join(rel))).collect();
    expected_paths.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    let got_paths: Vec<String> = records
        .iter()
        .map(|r| r["input"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        got_paths, expected_paths,
        "one record per good input, in input order; stderr:\n{err}"
    );
    let recs = by_path(&records);
    for (rel, words) in &m.good {
        let r = &recs[&s(&root.join(rel))];
        let text = text_of(r);
        assert_contains_all(text, words, rel);
        assert!(
            !text.contains('\u{fffd}') || *rel == "charset/stray-bytes.html",
            "{rel}: replacement characters in {text:?}"
        );
        assert_eq!(r["input"]["kind"], "html", "{rel}");
    }
    // The 1 MB page keeps all of its paragraphs.
    let long = text_of(&recs[&s(&root.join("hostile/long.html"))]);
    let sections = long.matches("Section ").count();
    let generated = fs::read_to_string(root.join("hostile/long.html"))
        .unwrap()
        .matches("<p>Section ")
        .count();
    assert_eq!(sections, generated, "every paragraph of the long page is in its text");

    // Every bad input is named on stderr with its reason.
    for (rel, _, reason) in &m.bad {
        let line = failure_line(&err, &s(&root.join(rel)));
        assert!(line.contains(reason), "reason {reason:?} missing from {line:?}");
    }
    assert!(!err.contains("picture.png"), "non-page names are not walked:\n{err}");
    let n_fail_lines = err
        .lines()
        .filter(|l| l.starts_with("gleaner: ") && !l.contains(" input(s): "))
        .count();
    assert_eq!(n_fail_lines, m.bad.len(), "one line per failure:\n{err}");

    // The summary counts them.
    let total = m.good.len() + m.bad.len();
    let sum = summary(&err);
    let head = format!(
        "gleaner: {total} input(s): {} extracted, {} failed (",
        m.good.len(),
        m.bad.len()
    );
    assert!(sum.starts_with(&head), "summary {sum:?} should start with {head:?}");
    for part in ["2 empty input", "2 over --max-bytes", "1 bad gzip", "1 binary content"] {
        assert!(sum.contains(part), "summary {sum:?} lacks {part:?}");
    }

    // --errors holds one JSON line per failure with its category.
    let errors = parse_jsonl(&fs::read_to_string(&errors_file).unwrap());
    assert_eq!(errors.len(), m.bad.len(), "{errors:?}");
    let by_input: BTreeMap<String, &Value> = errors
        .iter()
        .map(|e| (e["input"].as_str().unwrap().to_string(), e))
        .collect();
    for (rel, category, reason) in &m.bad {
        let e = by_input
            .get(&s(&root.join(rel)))
            .unwrap_or_else(|| panic!("{rel} not in --errors file: {errors:?}"));
        assert_eq!(e["category"], *category, "{rel}");
        let msg = e["error"].as_str().unwrap();
        assert!(msg.contains(reason), "{rel}: {msg:?}");
    }

    // The run into --out-dir: one file per good input, none for the bad ones.
    let err2 = stderr(&out2);
    assert_eq!(code(&out2), 1, "{err2}");
    assert!(out2.stdout.is_empty(), "nothing on stdout with --out-dir");
    for (rel, _, reason) in &m.bad {
        assert!(
            failure_line(&err2, &s(&root.join(rel))).contains(reason),
            "--quiet still reports failures"
        );
    }
    let mut expected_files: Vec<PathBuf> = m
        .good
        .iter()
        .map(|(rel, _)| {
            let stem = rel
                .trim_end_matches(".gz")
                .trim_end_matches(".html")
                .trim_end_matches(".htm");
            out_dir.join(format!("{stem}.txt"))
        })
        .collect();
    expected_files.sort();
    let mut got_files = list_files(&out_dir);
    got_files.sort();
    assert_eq!(got_files, expected_files);
    for (rel, words) in &m.good {
        let stem = rel
            .trim_end_matches(".gz")
            .trim_end_matches(".html")
            .trim_end_matches(".htm");
        let text = fs::read_to_string(out_dir.join(format!("{stem}.txt"))).unwrap();
        assert_contains_all(&text, words, rel);
    }
}

// ---------------------------------------------------------------------------
// 3. Standard input
// ---------------------------------------------------------------------------

#[test]
fn stdin_is_read_with_dash_or_without_inputs_and_url_fills_the_record() {
    let page = news_page("Lighthouse shines again", LIGHTHOUSE);

    for args in [&["extract", "-"][..], &["extract"][..]] {
        let out = run(args, Some(page.as_bytes()));
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        let recs = parse_jsonl(&stdout(&out));
        assert_eq!(recs.len(), 1, "{args:?}");
        let r = &recs[0];
        assert_eq!(r["input"]["path"], "-");
        assert_eq!(r["input"]["kind"], "html");
        assert_eq!(r["input"]["bytes"], page.len() as u64);
        assert_eq!(r["url"], Value::Null, "no --url, no canonical link");
        assert_contains_all(text_of(r), LIGHTHOUSE_WORDS, "stdin");
    }

    let url = "https://news.example.test/2024/05/lighthouse";
    let out = run(&["extract", "--url", url, "-"], Some(page.as_bytes()));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let recs = parse_jsonl(&stdout(&out));
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["url"], url);
    assert_contains_all(text_of(&recs[0]), LIGHTHOUSE_WORDS, "stdin with --url");

    // Gzip on stdin is recognised by its magic bytes.
    let out = run(&["extract", "--url", url], Some(&gz(page.as_bytes())));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let recs = parse_jsonl(&stdout(&out));
    assert_eq!(recs[0]["input"]["bytes"], page.len() as u64);
    assert_eq!(recs[0]["url"], url);
    assert_contains_all(text_of(&recs[0]), LIGHTHOUSE_WORDS, "gzip on stdin");

    // Standard input is held to --max-bytes too.
    let out = run(&["extract", "--max-bytes", "1000", "-"], Some(page.as_bytes()));
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(failure_line(&err, "-").contains("--max-bytes"), "{err}");
    assert!(summary(&err).contains("1 over --max-bytes"), "{err}");
    assert!(out.stdout.is_empty());

    // Empty stdin is a failed input named '-'.
    let out = run(&["extract", "-"], Some(b""));
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(failure_line(&err, "-").contains("empty input"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    let dir = good_dir();
    let a = s(&dir.join("in/lighthouse.html"));
    let b = s(&dir.join("in/orchard.html"));

    let out = run(&["extract", "--url", "https://example.test/a", &a, &b], None);
    assert_eq!(code(&out), 2, "--url with two inputs: {}", stderr(&out));
    assert!(stderr(&out).contains("--url"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    let out = run(&["extract", "-", "-"], Some(b"<p>x</p>"));
    assert_eq!(code(&out), 2, "stdin twice: {}", stderr(&out));
    assert!(stderr(&out).contains("standard input"), "{}", stderr(&out));

    let out = run(&["extract", "--format", "yaml", &a], None);
    assert_eq!(code(&out), 2, "unknown format: {}", stderr(&out));

    let out = run(&["extract", "--jobs", "many", &a], None);
    assert_eq!(code(&out), 2, "bad --jobs: {}", stderr(&out));

    let out = run(&["extract", "--no-such-option", &a], None);
    assert_eq!(code(&out), 2, "unknown option: {}", stderr(&out));
}

// ---------------------------------------------------------------------------
// 6. A path that does not exist
// ---------------------------------------------------------------------------

#[test]
fn nonexistent_input_is_reported_and_the_others_are_still_written() {
    let dir = good_dir();
    let a = s(&dir.join("in/lighthouse.html"));
    let missing = s(&dir.join("in/no-such-page.html"));
    let b = s(&dir.join("in/orchard.html"));

    let out = run(&["extract", &a, &missing, &b], None);
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        failure_line(&err, &missing).contains("no such file or directory"),
        "{err}"
    );
    let sum = summary(&err);
    assert!(
        sum.starts_with("gleaner: 3 input(s): 2 extracted, 1 failed (1 not found)"),
        "{sum:?}"
    );
    let recs = parse_jsonl(&stdout(&out));
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["input"]["path"], a);
    assert_eq!(recs[1]["input"]["path"], b);
    assert_contains_all(text_of(&recs[0]), LIGHTHOUSE_WORDS, "a");
    assert_contains_all(text_of(&recs[1]), ORCHARD_WORDS, "b");

    // Same with --out-dir, --jobs 1 and --errors.
    let out_dir = dir.join("out");
    let errors = dir.join("errors.jsonl");
    let out = run(
        &[
            "extract",
            "--jobs",
            "1",
            "--format",
            "text",
            "--errors",
            &s(&errors),
            "--out-dir",
            &s(&out_dir),
            &a,
            &missing,
            &b,
        ],
        None,
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    failure_line(&stderr(&out), &missing);
    assert_contains_all(
        &fs::read_to_string(out_dir.join("lighthouse.txt")).unwrap(),
        LIGHTHOUSE_WORDS,
        "a",
    );
    assert_contains_all(
        &fs::read_to_string(out_dir.join("orchard.txt")).unwrap(),
        ORCHARD_WORDS,
        "b",
    );
    let e = parse_jsonl(&fs::read_to_string(&errors).unwrap());
    assert_eq!(e.len(), 1);
    assert_eq!(e[0]["input"], missing);
    assert_eq!(e[0]["category"], "not found");
}

/// A file whose name is not UTF-8 (Unix allows any bytes) is read like any
/// other, by `extract` and by `ingest`, not skipped without a word.
#[test]
fn files_with_non_utf8_names_are_read_not_skipped() {
    use std::os::unix::ffi::OsStrExt;
    let dir = TempDir::new("non-utf8");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-report.html");
    let page = news_page("Harbour reopens", LIGHTHOUSE);
    std::fs::write(dir.path().join(name), &page).unwrap();
    dir.write("plain.html", news_page("Orchard frost", ORCHARD));
    let out = run(&["extract", "--quiet", &s(dir.path())], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let records = parse_jsonl(&stdout(&out));
    assert_eq!(records.len(), 2, "{}", stderr(&out));
    assert!(records.iter().any(|r| text_of(r).contains("Kestrel Point")));
    let db = dir.join("s.db");
    let out = run(&["ingest", "--json", "--db", &s(&db), &s(dir.path())], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let summary: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(summary["new_records"], 2, "{summary}");
}
