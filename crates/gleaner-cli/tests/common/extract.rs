//! Helpers of the `gleaner extract` tests: running the binary, scratch
//! folders, and pages generated here (no fixture files).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

pub fn gleaner() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gleaner"))
}

/// Runs `gleaner` with `args`; stdin is empty (closed) unless given.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
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
pub fn spawn(args: &[&str]) -> std::process::Child {
    gleaner()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gleaner")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("gleaner was killed by a signal")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// A scratch directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
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

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Writes `bytes` to `rel` (creating parent directories) and returns the path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
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

pub fn s(p: &Path) -> String {
    p.display().to_string()
}

pub fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

pub fn parse_jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Records of a jsonl run keyed by `input.path`.
pub fn by_path(records: &[Value]) -> BTreeMap<String, Value> {
    records
        .iter()
        .map(|r| (r["input"]["path"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

pub fn text_of(r: &Value) -> &str {
    r["text"].as_str().expect("record text is a string")
}

/// The summary line on stderr.
pub fn summary(err: &str) -> &str {
    err.lines()
        .rev()
        .find(|l| l.starts_with("gleaner: ") && l.contains(" input(s): "))
        .unwrap_or_else(|| panic!("no summary line on stderr:\n{err}"))
}

/// The stderr line reporting `input`, which must exist exactly once.
pub fn failure_line<'a>(err: &'a str, input: &str) -> &'a str {
    let prefix = format!("gleaner: {input}: ");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with(&prefix)).collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one failure line for {input} on stderr:\n{err}"
    );
    lines[0]
}

pub fn assert_contains_all(text: &str, words: &[&str], what: &str) {
    for w in words {
        assert!(text.contains(w), "{what}: {w:?} missing from:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// Generated pages
// ---------------------------------------------------------------------------

/// A small news page: navigation, a headline, the paragraphs, a footer.
pub fn news_page(title: &str, paras: &[&str]) -> String {
    news_page_with_head(title, "<meta charset=\"utf-8\">", paras)
}

pub fn news_page_with_head(title: &str, head: &str, paras: &[&str]) -> String {
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

pub const LIGHTHOUSE: &[&str] = &[
    "The old lighthouse on Kestrel Point was switched back on last night after a repair that took nearly three years. \
     Engineers from the coastal authority replaced the lamp, the lens motor and most of the wiring. \
     Fishermen gathered on the pier to watch the first beam sweep across the bay.",
    "Local historian Marta Quill said the tower had guided boats into the harbour since 1871. \
     She called the restoration a gift to the whole town and to every sailor who ever relied on it.",
    "The repair was paid for jointly by the county and a harbour trust. \
     A small museum will open in the former keeper's cottage next summer, and tickets will be free for residents.",
];
pub const LIGHTHOUSE_WORDS: &[&str] = &["Kestrel Point", "Marta Quill", "museum will open"];

pub const ORCHARD: &[&str] = &[
    "Apple growers in the Vellmar valley reported their smallest harvest in a decade this autumn. \
     A late frost in April destroyed many blossoms before the bees could reach them.",
    "Cooperative chairman Jonas Brandt said prices at the weekly market had risen by almost a third. \
     He warned that cider makers would feel the shortage first, and some are already buying fruit from the south.",
    "Agronomists recommend planting varieties that flower later in the spring to reduce the risk. \
     Trials with frost fans and sprinklers are planned for next year across the valley.",
];
pub const ORCHARD_WORDS: &[&str] = &["Vellmar valley", "Jonas Brandt", "frost fans"];

pub const LIBRARY: &[&str] = &[
    "The new public library in Dunmore opened its doors on Saturday morning to a queue of several hundred readers. \
     The building, a converted grain warehouse, holds more than forty thousand books.",
    "Head librarian Priya Osei said the reading room would stay open until ten every evening. \
     Children's story hours will run on weekends, and a repair cafe will meet in the basement once a month.",
    "The project was funded by a bequest from a retired schoolteacher and a grant from the city. \
     Volunteers spent the last two weeks shelving books and labelling every shelf by hand.",
];
pub const LIBRARY_WORDS: &[&str] = &["Dunmore", "Priya Osei", "retired schoolteacher"];

pub const BRIDGE: &[&str] = &[
    "Traffic returned to the Harrow Street bridge on Tuesday after six months of closure for structural repairs. \
     Inspectors had found corroded cables under the deck during a routine survey last winter.",
    "City engineer Tomas Lindqvist said the bridge was now stronger than when it first opened. \
     Cyclists will have a separate lane for the first time, protected by a low concrete barrier.",
];
pub const BRIDGE_WORDS: &[&str] = &["Harrow Street bridge", "Tomas Lindqvist", "concrete barrier"];

/// Words of the nav and footer, which are not article text.
pub const BOILERPLATE_WORDS: &[&str] = &["All rights reserved", "Privacy policy"];

/// A deterministic pseudo-random byte stream (xorshift64*).
pub fn junk_bytes(n: usize, mut seed: u64) -> Vec<u8> {
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
pub fn fake_png() -> Vec<u8> {
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
pub fn long_page(target: usize) -> String {
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
pub fn nested_page(depth: usize) -> String {
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

pub fn list_files(dir: &Path) -> Vec<PathBuf> {
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

pub fn good_dir() -> TempDir {
    let dir = TempDir::new("good");
    dir.write("in/lighthouse.html", news_page("Lighthouse shines again", LIGHTHOUSE));
    dir.write("in/orchard.html", news_page("Frost hits apple harvest", ORCHARD));
    dir.write("in/library.html.gz", gz(news_page("Library opens", LIBRARY).as_bytes()));
    dir
}
