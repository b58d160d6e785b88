//! End-to-end tests of `gleaner extract`: the binary is run as a user would run
//! it, on pages generated here (no fixture files), and its exit code, stdout,
//! stderr and output files are checked.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn gleaner() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gleaner"))
}

/// Runs `gleaner` with `args`; stdin is empty (closed) unless given.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = gleaner();
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    match stdin {
        None => {
            cmd.stdin(Stdio::null());
            cmd.output().expect("run gleaner")
        }
        Some(bytes) => {
            cmd.stdin(Stdio::piped());
            let mut child = cmd.spawn().expect("spawn gleaner");
            let mut sin = child.stdin.take().unwrap();
            let bytes = bytes.to_vec();
            // Write from a thread so a large input cannot deadlock against stdout.
            let writer = std::thread::spawn(move || {
                let _ = sin.write_all(&bytes);
            });
            let out = child.wait_with_output().expect("wait gleaner");
            writer.join().unwrap();
            out
        }
    }
}

/// Starts `gleaner` with `args` and no stdin.
fn spawn(args: &[&str]) -> std::process::Child {
    gleaner()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gleaner")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("gleaner was killed by a signal")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// A scratch directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let p = std::env::temp_dir().join(format!("gleaner-cli-{name}-{}-{n}-{nanos}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Writes `bytes` to `rel` (creating parent directories) and returns the path.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn parse_jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Records of a jsonl run keyed by `input.path`.
fn by_path(records: &[Value]) -> BTreeMap<String, Value> {
    records
        .iter()
        .map(|r| (r["input"]["path"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn text_of(r: &Value) -> &str {
    r["text"].as_str().expect("record text is a string")
}

/// The summary line on stderr.
fn summary(err: &str) -> &str {
    err.lines()
        .rev()
        .find(|l| l.starts_with("gleaner: ") && l.contains(" input(s): "))
        .unwrap_or_else(|| panic!("no summary line on stderr:\n{err}"))
}

/// The stderr line reporting `input`, which must exist exactly once.
fn failure_line<'a>(err: &'a str, input: &str) -> &'a str {
    let prefix = format!("gleaner: {input}: ");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one failure line for {input} on stderr:\n{err}"
    );
    lines[0]
}

fn assert_contains_all(text: &str, words: &[&str], what: &str) {
    for w in words {
        assert!(text.contains(w), "{what}: {w:?} missing from:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// Generated pages
// ---------------------------------------------------------------------------

/// A small news page: navigation, a headline, the paragraphs, a footer.
fn news_page(title: &str, paras: &[&str]) -> String {
    news_page_with_head(title, "<meta charset=\"utf-8\">", paras)
}

fn news_page_with_head(title: &str, head: &str, paras: &[&str]) -> String {
    let mut body = String::new();
    for p in paras {
        body.push_str("      <p>");
        body.push_str(p);
        body.push_str("</p>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  {head}\n  <title>{title} | The Example Gazette</title>\n</head>\n<body>\n  \
         <nav class=\"site-nav\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
         <li><a href=\"/sport\">Sport</a></li><li><a href=\"/weather\">Weather</a></li></ul></nav>\n  \
         <main>\n    <article>\n      <h1>{title}</h1>\n{body}    </article>\n  </main>\n  \
         <footer><p>Copyright 2024 The Example Gazette. All rights reserved.</p>\
         <a href=\"/privacy\">Privacy policy</a> <a href=\"/contact\">Contact us</a></footer>\n</body>\n</html>\n"
    )
}

const LIGHTHOUSE: &[&str] = &[
    "The old lighthouse on Kestrel Point was switched back on last night after a repair that took nearly three years. \
     Engineers from the coastal authority replaced the lamp, the lens motor and most of the wiring. \
     Fishermen gathered on the pier to watch the first beam sweep across the bay.",
    "Local historian Marta Quill said the tower had guided boats into the harbour since 1871. \
     She called the restoration a gift to the whole town and to every sailor who ever relied on it.",
    "The repair was paid for jointly by the county and a harbour trust. \
     A small museum will open in the former keeper's cottage next summer, and tickets will be free for residents.",
];
const LIGHTHOUSE_WORDS: &[&str] = &["Kestrel Point", "Marta Quill", "museum will open"];

const ORCHARD: &[&str] = &[
    "Apple growers in the Vellmar valley reported their smallest harvest in a decade this autumn. \
     A late frost in April destroyed many blossoms before the bees could reach them.",
    "Cooperative chairman Jonas Brandt said prices at the weekly market had risen by almost a third. \
     He warned that cider makers would feel the shortage first, and some are already buying fruit from the south.",
    "Agronomists recommend planting varieties that flower later in the spring to reduce the risk. \
     Trials with frost fans and sprinklers are planned for next year across the valley.",
];
const ORCHARD_WORDS: &[&str] = &["Vellmar valley", "Jonas Brandt", "frost fans"];

const LIBRARY: &[&str] = &[
    "The new public library in Dunmore opened its doors on Saturday morning to a queue of several hundred readers. \
     The building, a converted grain warehouse, holds more than forty thousand books.",
    "Head librarian Priya Osei said the reading room would stay open until ten every evening. \
     Children's story hours will run on weekends, and a repair cafe will meet in the basement once a month.",
    "The project was funded by a bequest from a retired schoolteacher and a grant from the city. \
     Volunteers spent the last two weeks shelving books and labelling every shelf by hand.",
];
const LIBRARY_WORDS: &[&str] = &["Dunmore", "Priya Osei", "retired schoolteacher"];

const BRIDGE: &[&str] = &[
    "Traffic returned to the Harrow Street bridge on Tuesday after six months of closure for structural repairs. \
     Inspectors had found corroded cables under the deck during a routine survey last winter.",
    "City engineer Tomas Lindqvist said the bridge was now stronger than when it first opened. \
     Cyclists will have a separate lane for the first time, protected by a low concrete barrier.",
];
const BRIDGE_WORDS: &[&str] = &["Harrow Street bridge", "Tomas Lindqvist", "concrete barrier"];

/// Words of the nav and footer, which are not article text.
const BOILERPLATE_WORDS: &[&str] = &["All rights reserved", "Privacy policy"];

/// A deterministic pseudo-random byte stream (xorshift64*).
fn junk_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        out.extend_from_slice(&seed.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(n);
    out
}

/// A fake PNG: the real signature and header chunk, then random bytes, a
/// quarter of them NULs.
fn fake_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x01\x00\x00\x00\x00\xc8\x08\x06\x00\x00\x00".to_vec();
    let mut body = junk_bytes(6000, 0x9E37_79B9_7F4A_7C15);
    for (i, b) in body.iter_mut().enumerate() {
        if i % 4 == 0 {
            *b = 0;
        }
    }
    png.extend_from_slice(&body);
    png
}

/// A page of about `target` bytes made of numbered paragraphs; the first
/// contains "Zanzibar", the last "Quetzalcoatl".
fn long_page(target: usize) -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Long report</title></head><body><article>\n",
    );
    s.push_str("<p>Zanzibar delegates opened the annual report with a long statement about the harbour budget. They asked for patience.</p>\n");
    let mut i = 0;
    while s.len() < target {
        i += 1;
        s.push_str(&format!(
            "<p>Section {i} of the report describes the state of the roads, the schools and the water supply in detail. \
             The authors recommend steady investment over the next decade. Residents were consulted in every district.</p>\n"
        ));
    }
    s.push_str("<p>Quetzalcoatl was the name the committee gave to its final recommendation, a new ferry line.</p>\n");
    s.push_str("</article></body></html>\n");
    s
}

/// A page with `depth` nested `<div>`s around one paragraph.
fn nested_page(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 11 + 512);
    s.push_str("<!DOCTYPE html><html><head><title>Deep</title></head><body>");
    for _ in 0..depth {
        s.push_str("<div>");
    }
    s.push_str(
        "<p>Marmalade exports from the island of Corvina doubled last year, the trade ministry said on Monday. \
         Officials credited a new shipping route to the mainland.</p>",
    );
    for _ in 0..depth {
        s.push_str("</div>");
    }
    s.push_str("</body></html>");
    s
}

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

fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// 2. All good
// ---------------------------------------------------------------------------

fn good_dir() -> TempDir {
    let dir = TempDir::new("good");
    dir.write("in/lighthouse.html", news_page("Lighthouse shines again", LIGHTHOUSE));
    dir.write("in/orchard.html", news_page("Frost hits apple harvest", ORCHARD));
    dir.write("in/library.html.gz", gz(news_page("Library opens", LIBRARY).as_bytes()));
    dir
}

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
        Some(b"Just a short note.\nThe ferry is cancelled on Sunday.\n"),
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
