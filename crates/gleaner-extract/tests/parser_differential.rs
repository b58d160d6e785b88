//! Our HTML parser against html5ever, the spec-complete parser, on real pages:
//! the extraction corpus (`testdata/corpus`, always here) and the shared
//! benchmark's pages (`../shared/bench/extraction/data/html`, when present).
//!
//! Both trees go through the same extractor, so what is compared is what
//! matters: the main text. html5ever's tree is written back out as HTML by
//! its own serializer (every element closed, text escaped, misnesting already
//! repaired), which our parser reads without any of the guesswork the original
//! page needs; a difference in the extracted text is therefore a difference
//! in how the two parsers built the page's tree.
//!
//! Intended differences (pages listed in [`INTENDED`], each with its reason):
//! our parser flattens nesting past [`gleaner_extract::html::MAX_DEPTH`]
//! levels, and it does not implement the adoption agency algorithm or
//! foster parenting (text and elements misplaced inside `<table>` stay where
//! the page put them instead of moving before the table).

use std::path::{Path, PathBuf};

use gleaner_extract::{extract, PageKind};
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{RcDom, SerializableHandle};

/// Pages whose main text differs on purpose, and why.
const INTENDED: &[(&str, &str)] = &[];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pages_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".html.gz") || p.to_string_lossy().ends_with(".html") {
                out.push(p);
            }
        }
    }
}

fn decoded(path: &Path) -> String {
    let raw = std::fs::read(path).unwrap();
    let doc = gleaner_read::read_bytes(raw, gleaner_read::ReadLimits::default()).unwrap();
    gleaner_read::decode(&doc.bytes).text
}

/// The page as html5ever builds it, written back out as HTML.
fn through_html5ever(page: &str) -> String {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(page);
    let mut out = Vec::new();
    let handle: SerializableHandle = dom.document.clone().into();
    html5ever::serialize(&mut out, &handle, Default::default()).unwrap();
    String::from_utf8(out).unwrap()
}

fn main_text(page: &str) -> String {
    extract(page, PageKind::Html, None).text()
}

/// The first paragraph where two texts part, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split("\n\n").collect(), b.split("\n\n").collect());
    for k in 0..pa.len().max(pb.len()) {
        let (x, y) = (pa.get(k).copied().unwrap_or(""), pb.get(k).copied().unwrap_or(""));
        if x != y {
            let cut = |s: &str| s.chars().take(160).collect::<String>();
            return format!(
                "paragraph {k}:\n      ours:      {}\n      html5ever: {}",
                cut(x),
                cut(y)
            );
        }
    }
    String::new()
}

#[test]
fn main_text_is_the_same_as_through_html5ever() {
    let mut pages = Vec::new();
    pages_under(&repo().join("testdata/corpus/pages"), &mut pages);
    let corpus_pages = pages.len();
    assert!(corpus_pages > 500, "corpus pages not found ({corpus_pages})");
    let shared = repo().join("../shared/bench/extraction/data/html");
    if shared.is_dir() {
        pages_under(&shared, &mut pages);
    } else {
        eprintln!("{} not found: corpus pages only", shared.display());
    }
    pages.sort();
    let mut differ = Vec::new();
    let mut intended_seen = Vec::new();
    for path in &pages {
        let name = path.strip_prefix(repo()).unwrap_or(path).to_string_lossy().into_owned();
        let page = decoded(path);
        let ours = main_text(&page);
        let theirs = main_text(&through_html5ever(&page));
        let intended = INTENDED.iter().find(|(p, _)| name.ends_with(p));
        match (ours == theirs, intended) {
            (true, None) => {}
            (true, Some((p, _))) => panic!("{p} is listed as an intended difference but no longer differs"),
            (false, Some((p, _))) => intended_seen.push(*p),
            (false, None) => differ.push(format!("{name}: {}", first_difference(&ours, &theirs))),
        }
    }
    eprintln!(
        "{} pages ({corpus_pages} corpus), {} intended differences, {} unexpected",
        pages.len(),
        intended_seen.len(),
        differ.len()
    );
    assert!(
        differ.is_empty(),
        "main text differs from html5ever's tree on {} page(s):\n  {}",
        differ.len(),
        differ.join("\n  ")
    );
}
