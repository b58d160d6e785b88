//! Benchmark driver: reads JSON Lines of {"id", "text"} on stdin, writes the
//! near-duplicate pairs as `id<TAB>id<TAB>similarity` lines, and the time the
//! work took (after reading) on stderr.
//! `cargo run --release -p gleaner-dedup --example pairs -- [THRESHOLD] < docs.jsonl`
use std::io::{self, BufRead, Write};

fn main() {
    let threshold: f64 = std::env::args().nth(1).and_then(|t| t.parse().ok()).unwrap_or(0.5);
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for line in io::stdin().lock().lines().map_while(Result::ok) {
        let Some((id, text)) = parse(&line) else { continue };
        ids.push(id);
        texts.push(text);
    }
    let start = std::time::Instant::now();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let pairs = gleaner_dedup::near_duplicate_pairs(&gleaner_dedup::MinHasher::default(), &refs, threshold);
    let secs = start.elapsed().as_secs_f64();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (a, b, s) in pairs {
        let _ = writeln!(out, "{}\t{}\t{s:.3}", ids[a as usize], ids[b as usize]);
    }
    eprintln!("seconds\t{secs:.6}");
}

fn parse(line: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    Some((v["id"].as_str()?.to_string(), v["text"].as_str()?.to_string()))
}
