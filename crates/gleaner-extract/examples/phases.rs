//! Tuning aid: time spent per extraction phase over a folder of pages.
//! `cargo run --release -p gleaner-extract --example phases -- DIR`
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::args().nth(1).expect("usage: phases DIR");
    let pages: Vec<String> = std::fs::read_dir(dir)
        .expect("readable dir")
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.expect("entry").path()).expect("file")).into_owned())
        .collect();
    let mut t = [Duration::ZERO; 4];
    for _ in 0..5 {
        for p in &pages {
            let s = Instant::now();
            let dom = gleaner_extract::html::Dom::parse(p);
            t[0] += s.elapsed();
            let s = Instant::now();
            let m = gleaner_extract::main_text::extract(&dom);
            t[1] += s.elapsed();
            let s = Instant::now();
            let md = gleaner_extract::metadata::extract(&dom, None);
            t[2] += s.elapsed();
            let s = Instant::now();
            let a = gleaner_extract::extract(p, gleaner_extract::PageKind::Html, None);
            t[3] += s.elapsed();
            std::hint::black_box((m, md, a));
        }
    }
    let n = (pages.len() * 5) as f64;
    for (name, d) in ["parse", "main_text", "metadata", "extract (all)"].iter().zip(t) {
        println!("{name:<14} {:>8.3} ms/page", d.as_secs_f64() * 1000.0 / n);
    }
}
