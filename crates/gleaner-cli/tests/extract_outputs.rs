//! What `gleaner extract` writes: summaries and exit status, `--out-dir`
//! naming and formats, JSON to stdout, `--jobs` giving the same bytes, the
//! record contract, and a closed pipe. The binary runs as a user would run
//! it, on pages generated here.

mod common;

use std::fs;
use std::io::Read;
use std::path::PathBuf;
use std::process::Output;

use common::extract::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// 2. All good
// ---------------------------------------------------------------------------

#[test]
fn all_good_inputs_exit_zero_with_a_clean_summary() {
    let dir = good_dir();
    let errors_file = dir.join("errors.jsonl");
    let out = run(&["extract", "--errors", &s(&errors_file), &s(&dir.join("in"))], None);
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    assert_eq!(
        fs::read_to_string(&errors_file).unwrap(),
        "",
        "no failures, empty --errors file"
    );
    let sum = summary(&err);
    assert!(sum.starts_with("gleaner: 3 input(s): 3 extracted"), "{sum:?}");
    assert!(!sum.contains("failed"), "{sum:?}");
    assert_eq!(err.lines().count(), 1, "only the summary on stderr:\n{err}");

    let recs = by_path(&parse_jsonl(&stdout(&out)));
    assert_eq!(recs.len(), 3);
    for (name, words) in [
        ("lighthouse.html", LIGHTHOUSE_WORDS),
        ("orchard.html", ORCHARD_WORDS),
        ("library.html.gz", LIBRARY_WORDS),
    ] {
        let text = text_of(&recs[&s(&dir.join("in").join(name))]);
        assert_contains_all(text, words, name);
        for b in BOILERPLATE_WORDS {
            assert!(
                !text.contains(b),
                "{name}: footer text {b:?} in the article text:\n{text}"
            );
        }
    }
}

#[test]
fn quiet_prints_nothing_on_stderr_when_all_inputs_are_good() {
    let dir = good_dir();
    for jobs in ["1", "2"] {
        let out = run(&["extract", "--quiet", "--jobs", jobs, &s(&dir.join("in"))], None);
        assert_eq!(code(&out), 0);
        assert_eq!(stderr(&out), "", "--quiet with no failures is silent");
        assert_eq!(parse_jsonl(&stdout(&out)).len(), 3);
    }
    // Also with --out-dir: silent, files written.
    let out_dir = dir.join("out");
    let out = run(&["extract", "-q", "--out-dir", &s(&out_dir), &s(&dir.join("in"))], None);
    assert_eq!(code(&out), 0);
    assert_eq!(stderr(&out), "");
    assert_eq!(list_files(&out_dir).len(), 3);
}

// ---------------------------------------------------------------------------
// 4. --out-dir naming and formats
// ---------------------------------------------------------------------------

fn naming_dir() -> TempDir {
    let dir = TempDir::new("naming");
    dir.write("in/a.html", news_page("Lighthouse shines again", LIGHTHOUSE));
    dir.write(
        "in/b.htm.gz",
        gz(news_page("Frost hits apple harvest", ORCHARD).as_bytes()),
    );
    dir.write(
        "in/sub/c.txt",
        "Bridge reopens after repairs\n\nTraffic returned to the Harrow Street bridge on Tuesday after six months of closure. \
         Inspectors had found corroded cables under the deck.\n\nCity engineer Tomas Lindqvist said the bridge was now stronger.\n",
    );
    dir
}

#[test]
fn out_dir_names_files_after_inputs_with_the_format_extension() {
    let dir = naming_dir();
    let input = s(&dir.join("in"));

    // text → .txt
    let out_dir = dir.join("out-text");
    let out = run(
        &["extract", "--format", "text", "--out-dir", &s(&out_dir), &input],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout with --out-dir");
    let mut files = list_files(&out_dir);
    files.sort();
    assert_eq!(
        files,
        vec![out_dir.join("a.txt"), out_dir.join("b.txt"), out_dir.join("sub/c.txt")]
    );
    assert_contains_all(
        &fs::read_to_string(out_dir.join("a.txt")).unwrap(),
        LIGHTHOUSE_WORDS,
        "a.txt",
    );
    assert_contains_all(
        &fs::read_to_string(out_dir.join("b.txt")).unwrap(),
        ORCHARD_WORDS,
        "b.txt",
    );

    // json → .json, each holding one record
    let out_dir = dir.join("out-json");
    let out = run(
        &["extract", "--format", "json", "--out-dir", &s(&out_dir), &input],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut files = list_files(&out_dir);
    files.sort();
    assert_eq!(
        files,
        vec![
            out_dir.join("a.json"),
            out_dir.join("b.json"),
            out_dir.join("sub/c.json")
        ]
    );
    for (file, path, kind) in [
        ("a.json", dir.join("in/a.html"), "html"),
        ("b.json", dir.join("in/b.htm.gz"), "html"),
        ("sub/c.json", dir.join("in/sub/c.txt"), "text"),
    ] {
        let v: Value = serde_json::from_str(&fs::read_to_string(out_dir.join(file)).unwrap())
            .unwrap_or_else(|e| panic!("{file} is not one JSON value: {e}"));
        assert!(v.is_object(), "{file} holds one record, not {v}");
        assert_eq!(v["schema"], "gleaner.record/1", "{file}");
        assert_eq!(v["input"]["path"], s(&path), "{file}");
        assert_eq!(v["input"]["kind"], kind, "{file}");
    }
    let a: Value = serde_json::from_str(&fs::read_to_string(out_dir.join("a.json")).unwrap()).unwrap();
    assert_contains_all(text_of(&a), LIGHTHOUSE_WORDS, "a.json");

    // markdown → .md
    let out_dir = dir.join("out-md");
    let out = run(
        &["extract", "--format", "markdown", "--out-dir", &s(&out_dir), &input],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut files = list_files(&out_dir);
    files.sort();
    assert_eq!(
        files,
        vec![out_dir.join("a.md"), out_dir.join("b.md"), out_dir.join("sub/c.md")]
    );
    assert_contains_all(
        &fs::read_to_string(out_dir.join("b.md")).unwrap(),
        ORCHARD_WORDS,
        "b.md",
    );

    // jsonl → .jsonl, one line
    let out_dir = dir.join("out-jsonl");
    let out = run(
        &["extract", "--out-dir", &s(&out_dir), &s(&dir.join("in/a.html"))],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let recs = parse_jsonl(&fs::read_to_string(out_dir.join("a.jsonl")).unwrap());
    assert_eq!(recs.len(), 1);

    // Standard input goes to OUT/stdin.<ext>.
    let out_dir = dir.join("out-stdin");
    let page = news_page("Library opens", LIBRARY);
    let out = run(
        &["extract", "--format", "text", "--out-dir", &s(&out_dir), "-"],
        Some(page.as_bytes()),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_contains_all(
        &fs::read_to_string(out_dir.join("stdin.txt")).unwrap(),
        LIBRARY_WORDS,
        "stdin.txt",
    );
}

/// A plain-text page's words must reach its record.
#[test]
fn plain_text_input_keeps_its_text() {
    let dir = naming_dir();
    let out = run(&["extract", &s(&dir.join("in/sub/c.txt"))], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let recs = parse_jsonl(&stdout(&out));
    assert_eq!(recs[0]["input"]["kind"], "text");
    assert_contains_all(text_of(&recs[0]), &["Harrow Street bridge", "Tomas Lindqvist"], "c.txt");
    assert!(!stderr(&out).contains("no article text"), "{}", stderr(&out));
}

/// Two inputs that map to the same output name must not silently lose one of
/// the outputs: either both are written (under distinct names) or the clash is
/// reported as a failure.
#[test]
fn out_dir_never_silently_overwrites_an_earlier_output() {
    let dir = TempDir::new("clash");
    let xa = dir.write("x/a.html", news_page("Lighthouse shines again", LIGHTHOUSE));
    let ya = dir.write("y/a.html", news_page("Frost hits apple harvest", ORCHARD));
    dir.write("z/b.html", news_page("Library opens", LIBRARY));
    dir.write("z/b.htm", news_page("Bridge reopens", BRIDGE));
    let out_dir = dir.join("out");
    let out = run(
        &[
            "extract",
            "--format",
            "text",
            "--out-dir",
            &s(&out_dir),
            &s(&xa),
            &s(&ya),
            &s(&dir.join("z")),
        ],
        None,
    );
    let err = stderr(&out);
    let texts: Vec<String> = list_files(&out_dir)
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    let kept = |words: &[&str]| texts.iter().any(|t| words.iter().all(|w| t.contains(w)));
    let all_kept = kept(LIGHTHOUSE_WORDS) && kept(ORCHARD_WORDS) && kept(LIBRARY_WORDS) && kept(BRIDGE_WORDS);
    assert!(
        all_kept || code(&out) == 1,
        "an output was overwritten without a report (exit {}, {} files); stderr:\n{err}",
        code(&out),
        texts.len()
    );
}

// ---------------------------------------------------------------------------
// 5. JSON array to stdout; --jobs gives the same bytes
// ---------------------------------------------------------------------------

#[test]
fn json_format_to_stdout_is_an_array_of_records() {
    let dir = good_dir();
    let a = dir.join("in/lighthouse.html");
    let b = dir.join("in/orchard.html");
    let out = run(&["extract", "--format", "json", &s(&a), &s(&b)], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("stdout is one JSON value");
    let arr = v.as_array().expect("a JSON array");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["input"]["path"], s(&a));
    assert_eq!(arr[1]["input"]["path"], s(&b));
    assert_contains_all(text_of(&arr[0]), LIGHTHOUSE_WORDS, "first");
    assert_contains_all(text_of(&arr[1]), ORCHARD_WORDS, "second");

    // When every input fails, the array is still valid JSON.
    let empty = dir.write("empty.html", "");
    let out = run(&["extract", "--format", "json", &s(&empty)], None);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("stdout is one JSON value");
    assert_eq!(v, Value::Array(vec![]));
}

const TOPICS: &[&str] = &[
    "harbour", "railway", "library", "orchard", "bridge", "market", "school", "hospital", "stadium", "museum",
];

fn many_pages(dir: &TempDir, n: usize, paras_per_page: usize) -> PathBuf {
    let root = dir.join("pages");
    for i in 0..n {
        let topic = TOPICS[i % TOPICS.len()];
        let paras: Vec<String> = (0..paras_per_page)
            .map(|k| {
                format!(
                    "Story {i} paragraph {k}: the council met on Thursday to discuss the future of the {topic} in district {i}. \
                     Members agreed to publish a full plan before the end of the year. \
                     Residents can send comments by letter or at the town hall."
                )
            })
            .collect();
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        let name = if i % 3 == 0 {
            format!("pages/page-{i:02}.html.gz")
        } else {
            format!("pages/page-{i:02}.html")
        };
        let html = news_page(&format!("Council debates the {topic}"), &refs);
        if name.ends_with(".gz") {
            dir.write(&name, gz(html.as_bytes()));
        } else {
            dir.write(&name, html);
        }
    }
    root
}

#[test]
fn jobs_1_and_jobs_2_give_identical_output_in_input_order() {
    let dir = TempDir::new("jobs");
    let root = many_pages(&dir, 30, 3);
    let one = run(&["extract", "--jobs", "1", &s(&root)], None);
    let two = run(&["extract", "--jobs", "2", &s(&root)], None);
    let four = run(&["extract", "-j", "4", &s(&root)], None);
    for o in [&one, &two, &four] {
        assert_eq!(code(o), 0, "{}", stderr(o));
    }
    assert!(one.stdout == two.stdout, "--jobs 1 and --jobs 2 differ");
    assert!(one.stdout == four.stdout, "--jobs 1 and --jobs 4 differ");

    let recs = parse_jsonl(&stdout(&one));
    assert_eq!(recs.len(), 30);
    for (i, r) in recs.iter().enumerate() {
        let name = if i % 3 == 0 {
            format!("page-{i:02}.html.gz")
        } else {
            format!("page-{i:02}.html")
        };
        assert_eq!(r["input"]["path"], s(&root.join(&name)), "record {i} out of order");
        let text = text_of(r);
        for k in 0..3 {
            assert!(
                text.contains(&format!("Story {i} paragraph {k}:")),
                "record {i} lacks paragraph {k}: {text}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 7. The record contract
// ---------------------------------------------------------------------------

#[test]
fn records_follow_the_contract() {
    let dir = TempDir::new("contract");
    let page = news_page("Lighthouse shines again", LIGHTHOUSE);
    let html = dir.write("lighthouse.html", &page);
    let zipped = dir.write("copy/lighthouse-copy.html.gz", gz(page.as_bytes()));
    let other = dir.write("orchard.htm", news_page("Frost hits apple harvest", ORCHARD));
    let note_text = "Short notice\n\nThe ferry to Kestrel Point will not run on Sunday because of the storm warning.\n";
    let note = dir.write("note.txt", note_text);

    // Paths given in different spellings come back exactly as given.
    let rel_html = format!("{}/./lighthouse.html", s(dir.path()));
    let out = run(&["extract", &rel_html, &s(&zipped), &s(&other), &s(&note)], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.ends_with('\n'));
    let recs = parse_jsonl(&text);
    assert_eq!(recs.len(), 4);
    for (line, r) in text.lines().zip(&recs) {
        assert!(
            line.starts_with("{\"schema\":\"gleaner.record/1\""),
            "schema first: {line:.60}"
        );
        assert_eq!(r["schema"], "gleaner.record/1");
        let id = r["id"].as_str().unwrap();
        assert_eq!(id.len(), 16, "{id}");
        assert!(id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')), "{id}");
        assert!(
            r["fetched_at"].as_str().is_some_and(|t| t.ends_with('Z')),
            "file mtime as RFC 3339: {r}"
        );
    }
    assert_eq!(recs[0]["input"]["path"], rel_html);
    assert_eq!(recs[0]["input"]["kind"], "html");
    assert_eq!(recs[0]["input"]["bytes"], page.len() as u64);

    assert_eq!(recs[1]["input"]["path"], s(&zipped));
    assert_eq!(recs[1]["input"]["kind"], "html");
    assert_eq!(
        recs[1]["input"]["bytes"],
        page.len() as u64,
        "bytes count the decompressed input"
    );
    assert_ne!(fs::metadata(&zipped).unwrap().len(), page.len() as u64);

    assert_eq!(recs[2]["input"]["path"], s(&other));
    assert_eq!(recs[2]["input"]["kind"], "html");

    assert_eq!(recs[3]["input"]["path"], s(&note));
    assert_eq!(recs[3]["input"]["kind"], "text");
    assert_eq!(recs[3]["input"]["bytes"], note_text.len() as u64);

    // The id is derived from the content: same text, same id; other text, other id.
    assert_eq!(recs[0]["id"], recs[1]["id"]);
    assert_ne!(recs[0]["id"], recs[2]["id"]);
    let again = parse_jsonl(&stdout(&run(&["extract", &s(&html)], None)));
    assert_eq!(again[0]["id"], recs[0]["id"], "ids are stable across runs");

    // Markup on stdin is sniffed as html, prose as text.
    let out = run(
        &["extract"],
        Some(
            b"Just a short note.\n\nThe ferry to the island is cancelled on Sunday because of the storm, the harbour \
              office said. Passengers with tickets can travel on Monday instead.\n",
        ),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(parse_jsonl(&stdout(&out))[0]["input"]["kind"], "text");
}

// ---------------------------------------------------------------------------
// 8. Broken pipe
// ---------------------------------------------------------------------------

/// Starts `gleaner` on `args`, reads a few bytes of its stdout, closes the pipe
/// and returns how it ended.
fn read_a_little_then_hang_up(args: &[&str]) -> Output {
    let mut child = spawn(args);
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = [0u8; 10];
    stdout.read_exact(&mut buf).expect("some output");
    drop(stdout);
    child.wait_with_output().expect("wait gleaner")
}

fn broken_pipe_dir() -> (TempDir, PathBuf) {
    let dir = TempDir::new("pipe");
    // About 40 pages of ~25 kB text each: far more than a pipe buffer plus the
    // writer's buffer, so the writes after the hang-up fail.
    let root = many_pages(&dir, 40, 100);
    (dir, root)
}

fn assert_quiet_exit(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{what}: panic on broken pipe:\n{err}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: exit status on broken pipe {:?}; stderr:\n{err}",
        out.status
    );
    assert!(!err.contains("gleaner: error"), "{what}: {err}");
}

#[test]
fn broken_pipe_is_not_a_panic_or_an_error() {
    let (_dir, root) = broken_pipe_dir();
    let root = s(&root);
    for jobs in ["1", "2"] {
        let out = read_a_little_then_hang_up(&["extract", "--jobs", jobs, &root]);
        assert_quiet_exit(&out, &format!("jsonl --jobs {jobs}"));
        let out = read_a_little_then_hang_up(&["extract", "--format", "text", "--jobs", jobs, &root]);
        assert_quiet_exit(&out, &format!("text --jobs {jobs}"));
        let out = read_a_little_then_hang_up(&["extract", "--format", "markdown", "--jobs", jobs, &root]);
        assert_quiet_exit(&out, &format!("markdown --jobs {jobs}"));
    }
}

#[test]
fn broken_pipe_with_json_format_is_not_an_error() {
    let (_dir, root) = broken_pipe_dir();
    let root = s(&root);
    for jobs in ["1", "2"] {
        let out = read_a_little_then_hang_up(&["extract", "--format", "json", "--jobs", jobs, &root]);
        assert_quiet_exit(&out, &format!("json --jobs {jobs}"));
    }
}
