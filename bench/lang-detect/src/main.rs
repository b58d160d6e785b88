//! Language detectors on the extraction corpus, side by side in one run:
//! whatlang (whole sample, first 1000 and 500 characters) and lingua (all
//! its languages, high and low accuracy modes), on the same texts: the first
//! 30 blocks of each page's extracted main text, as Gleaner samples it. Last
//! row: Gleaner's final choice (`gleaner_extract::lang::choose`, the declared
//! language weighed against whatlang's guess on the first 1000 characters).
//! The hand-written detector whatlang replaced was measured by the same
//! program before it was removed (figures in bench/README.md).
//!
//!     cargo run --release --manifest-path bench/lang-detect/Cargo.toml [-- --split dev|test|all] [--show] [--no-lingua]
//!
//! It also times Gleaner's whole extraction of the same pages
//! (`gleaner_extract::extract`, language included), to show what share of it
//! the detector takes.
//!
//! Accuracy: against the language the upstream test data states for a page
//! (newspaper4k and goose3 pages), and agreement with the language the page
//! declares (`<html lang>`, `og:locale`, …) on every page that declares one.
//! A declaration can be wrong (templates hard-code `lang="en"`): `--show`
//! lists the disagreements so they can be read. Speed: texts per second over
//! all the texts, each detector timed alone after a warm-up pass (lingua
//! loads a language's model the first time it meets it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use gleaner_extract::{html::Dom, main_text, metadata};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Sample {
    id: String,
    text: String,
    stated: Option<String>,
    declared: Option<String>,
}

fn whatlang_639_1(l: whatlang::Lang) -> &'static str {
    gleaner_extract::lang::iso_639_1(l.code()).unwrap_or("??")
}

/// The first `n` characters of `t`.
fn cut(t: &str, n: usize) -> &str {
    t.char_indices().nth(n).map_or(t, |(i, _)| &t[..i])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let split = args
        .iter()
        .position(|a| a == "--split")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "all".into());
    let show = args.iter().any(|a| a == "--show");
    let no_lingua = args.iter().any(|a| a == "--no-lingua");
    let corpus = repo().join("testdata/corpus");
    let expect = std::fs::read_to_string(corpus.join("expect.jsonl")).expect("testdata/corpus/expect.jsonl");
    let mut samples = Vec::new();
    let mut pages: Vec<(String, Option<String>)> = Vec::new();
    for line in expect.lines().filter(|l| !l.trim().is_empty()) {
        let e: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if split != "all" && e["split"] != split.as_str() {
            continue;
        }
        let id = e["id"].as_str().unwrap_or("").to_string();
        let raw = std::fs::read(corpus.join("pages").join(format!("{id}.html.gz"))).expect("a page");
        let doc = gleaner_read::read_bytes(raw, gleaner_read::ReadLimits::default()).expect("readable");
        let page = gleaner_read::decode(&doc.bytes).text;
        let url = e["url"].as_str();
        let dom = Dom::parse(&page);
        let main = main_text::extract(&dom);
        let declared = metadata::extract(&dom, url).language;
        pages.push((page.clone(), url.map(str::to_string)));
        let text: String = main
            .blocks
            .iter()
            .take(30)
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        samples.push(Sample {
            id,
            text,
            stated: e["language"].as_str().map(str::to_string),
            declared,
        });
    }
    eprintln!("{} pages ({split})", samples.len());

    let lingua_high = lingua::LanguageDetectorBuilder::from_all_languages().build();
    let lingua_low = lingua::LanguageDetectorBuilder::from_all_languages()
        .with_low_accuracy_mode()
        .build();
    let mut detectors: Vec<(&str, Detect)> = vec![
        (
            "whatlang 0.18",
            Box::new(|t: &str| whatlang::detect(t).map(|i| whatlang_639_1(i.lang()).to_string())),
        ),
        (
            "whatlang, first 1000 chars",
            Box::new(|t: &str| whatlang::detect(cut(t, 1000)).map(|i| whatlang_639_1(i.lang()).to_string())),
        ),
        (
            "whatlang, first 500 chars",
            Box::new(|t: &str| whatlang::detect(cut(t, 500)).map(|i| whatlang_639_1(i.lang()).to_string())),
        ),
    ];
    if !no_lingua {
        detectors.extend::<Vec<(&str, Detect)>>(vec![
            (
                "lingua 1.8 (high accuracy)",
                Box::new(|t: &str| {
                    lingua_high
                        .detect_language_of(t)
                        .map(|l| l.iso_code_639_1().to_string())
                }),
            ),
            (
                "lingua 1.8 (low accuracy)",
                Box::new(|t: &str| lingua_low.detect_language_of(t).map(|l| l.iso_code_639_1().to_string())),
            ),
        ]);
    }
    report(&samples, &detectors, show);
    // The final choice sees the declaration, so its agreement with it is
    // not a measure; only its accuracy against the stated language is.
    let choose = |s: &Sample| gleaner_extract::lang::choose(s.declared.clone(), &s.text);
    let (mut ok, mut n) = (0, 0);
    for s in &samples {
        if let Some(want) = &s.stated {
            n += 1;
            let got = choose(s);
            if got.as_deref() == Some(want.as_str()) {
                ok += 1;
            } else if show {
                println!("    stated: {} stated {want} chose {got:?}", s.id);
            }
        }
    }
    let start = Instant::now();
    for s in &samples {
        let _ = choose(s);
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:28} {:>9}/{:<3} {:.2} {:>20} {:>12.0}",
        "gleaner lang::choose",
        ok,
        n,
        ok as f64 / n.max(1) as f64,
        "(sees it)",
        samples.len() as f64 / secs
    );
    // The whole extraction, for scale.
    let start = Instant::now();
    for (page, url) in &pages {
        let _ = gleaner_extract::extract(page, gleaner_extract::PageKind::Html, url.as_deref());
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:28} {:>16} {:>20} {:>12.0}",
        "gleaner extract (all of it)",
        "",
        "",
        pages.len() as f64 / secs
    );
}

type Detect<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

fn report(samples: &[Sample], detectors: &[(&str, Detect)], show: bool) {
    println!(
        "{:28} {:>16} {:>20} {:>12}",
        "detector", "stated: correct", "declared: agrees", "texts/s"
    );
    for (name, detect) in detectors {
        // Lingua loads each language's model on first use: warm every
        // detector up on the same texts before timing it.
        for s in samples {
            let _ = detect(&s.text);
        }
        let start = Instant::now();
        let got: Vec<Option<String>> = samples.iter().map(|s| detect(&s.text)).collect();
        let secs = start.elapsed().as_secs_f64();
        let (mut ok, mut n, mut agree, mut m) = (0, 0, 0, 0);
        let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (s, g) in samples.iter().zip(&got) {
            if let Some(want) = &s.stated {
                n += 1;
                if g.as_deref() == Some(want.as_str()) {
                    ok += 1;
                } else {
                    misses
                        .entry("stated".into())
                        .or_default()
                        .push(format!("{} stated {want} got {g:?}", s.id));
                }
            }
            if let Some(d) = &s.declared {
                m += 1;
                if g.as_deref() == Some(d.as_str()) {
                    agree += 1;
                } else {
                    misses
                        .entry("declared".into())
                        .or_default()
                        .push(format!("{} declared {d} got {g:?}", s.id));
                }
            }
        }
        println!(
            "{:28} {:>9}/{:<3} {:.2} {:>12}/{:<3} {:.2} {:>12.0}",
            name,
            ok,
            n,
            ok as f64 / n.max(1) as f64,
            agree,
            m,
            agree as f64 / m.max(1) as f64,
            samples.len() as f64 / secs
        );
        if show {
            for (k, v) in &misses {
                for line in v {
                    println!("    {k}: {line}");
                }
            }
        }
    }
}
