//! Overlapping WARC inputs made from the shared pages, and what a store
//! holds as the commands print it: what the concurrency tests compare.

use std::path::Path;
use std::process::{Command, Output};

use gleaner_read::warc::write as warc;

use crate::common::shared_pages;

pub fn gleaner(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gleaner")).args(args).output().unwrap()
}

pub fn ok(args: &[&str]) -> String {
    let out = gleaner(args);
    assert!(
        out.status.success(),
        "gleaner {args:?}: exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A .warc.gz of pages at `host`.
pub fn write_warc(path: &Path, host: &str, day: u32, pages: &[(String, Vec<u8>)]) {
    let mut out = Vec::new();
    for (id, html) in pages {
        let url = format!("https://{host}/{id}");
        out.extend(warc::gzip_member(&warc::response_record(
            &url,
            &format!("2024-05-{day:02}T10:00:00Z"),
            html,
            "text/html; charset=utf-8",
        )));
    }
    std::fs::write(path, out).unwrap();
}

/// A page with one more sentence in its middle paragraph (the first may be
/// outside the article): a near copy.
pub fn edited(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(html);
    let ends: Vec<usize> = s.match_indices("</p>").map(|(i, _)| i).collect();
    let Some(&at) = ends.get(ends.len() / 2) else {
        return html.to_vec();
    };
    format!(
        "{} This report was updated later that day by our correspondent.{}",
        &s[..at],
        &s[at..]
    )
    .into_bytes()
}

/// Three overlapping WARCs: a and b share 30 pages (b has them at its own
/// addresses), b and c share 20, c also holds edited copies of pages of a.
pub fn inputs(dir: &Path) -> [String; 3] {
    let pages = shared_pages();
    assert_eq!(pages.len(), 181);
    let [a, b, c] = ["a.warc.gz", "b.warc.gz", "c.warc.gz"].map(|n| dir.join(n));
    write_warc(&a, "pages.test", 1, &pages[..70]);
    write_warc(&b, "mirror.test", 2, &pages[40..130]);
    let mut in_c: Vec<(String, Vec<u8>)> = pages[110..].to_vec();
    in_c.extend(
        pages[5..15]
            .iter()
            .map(|(id, html)| (format!("{id}-updated"), edited(html))),
    );
    write_warc(&c, "pages.test", 3, &in_c);
    [a, b, c].map(|p| p.display().to_string())
}

/// What a store holds, as the commands print it.
pub fn dump(db: &str) -> (String, String, String) {
    (
        ok(&["export", "--db", db, "--format", "jsonl"]),
        ok(&["events", "--db", db, "--format", "jsonl"]),
        ok(&["dupes", "--db", db, "--format", "jsonl"]),
    )
}
