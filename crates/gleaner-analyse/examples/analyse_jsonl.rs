//! The CLI's `gleaner analyse --jsonl` without building the CLI: reads JSON
//! Lines of {"id", "text", "published"} on stdin and writes one analysis per
//! line. Arguments are ignored, so `bench/score-analysis.py --gleaner
//! target/release/examples/analyse_jsonl` scores a change to the rules after
//! rebuilding this crate alone.
use std::io::{self, BufRead, BufWriter, Write};

fn main() -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    for line in io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_str(&line).map_err(io::Error::other)?;
        let text = doc["text"].as_str().unwrap_or_default();
        let a = gleaner_analyse::analyse(text, doc["published"].as_str());
        let mut v = serde_json::json!({
            "entities": a.entities, "times": a.times, "quantities": a.quantities, "quotes": a.quotes, "events": a.events,
        });
        if let Some(id) = doc.get("id") {
            v["id"] = id.clone();
        }
        serde_json::to_writer(&mut out, &v).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
