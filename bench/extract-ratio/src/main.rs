//! Extraction speed against the tokeniser's limit (issue 16): Gleaner's
//! `extract` beside a lol_html pass that only tokenises and keeps every text
//! run (a floor no DOM-building extractor can beat) and dom_smoothie (a
//! Rust Readability), over the same decoded pages in one run, each the best
//! of `--repeat` passes in the thread's CPU time, printed as pages/s and as
//! ratios to lol_html.
//!
//!     cargo run --release --manifest-path bench/extract-ratio/Cargo.toml -- \
//!         [--data DIR] [--repeat N]
//!
//! DIR holds `html/*.html.gz` (default: ../shared/bench/extraction/data from
//! the repository root). Pages are decoded once, as UTF-8 with replacement,
//! before any timing: the three take the same text.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use lol_html::{text, HtmlRewriter, Settings};

fn main() {
    let mut data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/extraction/data");
    let mut repeat = 3;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--repeat" => {
                repeat = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| usage())
            }
            _ => usage(),
        }
    }
    let pages = load(&data.join("html"));
    let bytes: usize = pages.iter().map(String::len).sum();
    println!(
        "{} pages, {:.1} MB of HTML, best of {repeat} passes each (thread CPU time)",
        pages.len(),
        bytes as f64 / 1e6
    );

    let mut empty = 0;
    let gleaner = best(repeat, || {
        empty = 0;
        for p in &pages {
            let article = gleaner_extract::extract(p, gleaner_extract::PageKind::Html, None);
            empty += usize::from(article.text().is_empty());
        }
    });
    let tokenise = best(repeat, || {
        for p in &pages {
            std::hint::black_box(tokenise_only(p));
        }
    });
    let mut smoothie_failed = 0;
    let smoothie = best(repeat, || {
        smoothie_failed = 0;
        for p in &pages {
            let ok = dom_smoothie::Readability::new(p.as_str(), None, None)
                .and_then(|mut r| r.parse())
                .map(|a| std::hint::black_box(a.text_content.len()));
            smoothie_failed += usize::from(ok.is_err());
        }
    });

    let rate = |d: Duration| pages.len() as f64 / d.as_secs_f64();
    println!("{:<34} {:>9} {:>16}", "extractor", "pages/s", "x lol_html pass");
    for (name, d) in [
        ("lol_html tokenise-only pass", tokenise),
        ("gleaner extract", gleaner),
        ("dom_smoothie (Readability)", smoothie),
    ] {
        println!(
            "{name:<34} {:>9.0} {:>16.2}",
            rate(d),
            tokenise.as_secs_f64() / d.as_secs_f64()
        );
    }
    println!(
        "gleaner / dom_smoothie: {:.2}x",
        smoothie.as_secs_f64() / gleaner.as_secs_f64()
    );
    if empty > 0 || smoothie_failed > 0 {
        println!("note: gleaner found no main text on {empty} pages; dom_smoothie failed on {smoothie_failed}");
    }
}

/// Every text run of the page, concatenated: tokenising plus the cheapest
/// possible use of what the tokeniser gives.
fn tokenise_only(page: &str) -> String {
    let mut out = String::new();
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: vec![text!("*", |t| {
                out.push_str(t.as_str());
                Ok(())
            })],
            ..Settings::default()
        },
        |_: &[u8]| {},
    );
    // A page lol_html refuses counts its time all the same.
    let _ = rewriter.write(page.as_bytes());
    let _ = rewriter.end();
    out
}

fn best(repeat: usize, mut run: impl FnMut()) -> Duration {
    (0..repeat)
        .map(|_| {
            let t = thread_cpu();
            run();
            thread_cpu().saturating_sub(t)
        })
        .min()
        .unwrap_or_default()
}

/// CPU time of this thread. Wall time counts the other processes of a
/// shared machine: under a load of 6-9 on 2 cores the lol_html pass's wall
/// time varied 2x between runs, and with it every ratio.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes only the timespec it is given.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        fail("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn load(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e} (use --data DIR)", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    files.sort();
    if files.is_empty() {
        fail(&format!("no *.html.gz in {}", dir.display()));
    }
    files
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).unwrap_or_else(|e| fail(&format!("{}: {e}", f.display())));
            let mut html = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut html)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", f.display())));
            String::from_utf8_lossy(&html).into_owned()
        })
        .collect()
}

fn usage() -> ! {
    fail("usage: extract-ratio [--data DIR] [--repeat N]")
}

fn fail(msg: &str) -> ! {
    eprintln!("extract-ratio: {msg}");
    std::process::exit(2)
}
