//! The CLI's `gleaner analyse --jsonl` without building the CLI: reads JSON
//! Lines of {"id", "text", "published"} on stdin and writes one analysis per
//! line. Arguments are ignored, so `bench/score-analysis.py --gleaner
//! target/release/examples/analyse_jsonl` scores a change to the rules after
//! rebuilding this crate alone.
//!
//! `GLEANER_ENTITY_MODE` picks how names are found, to measure the rules and
//! the statistical tagger side by side: `rules`, `model`, or
//! `combined:ADD:RELABEL` (margins, see `entities::Mode`); unset, the
//! default of `analyse`.
use std::io::{self, BufRead, BufWriter, Write};

fn mode() -> gleaner_analyse::entities::Mode {
    use gleaner_analyse::entities::{Mode, DEFAULT_MODE};
    let Ok(v) = std::env::var("GLEANER_ENTITY_MODE") else {
        return DEFAULT_MODE;
    };
    let parts: Vec<&str> = v.split(':').collect();
    match parts.as_slice() {
        ["rules"] => Mode::Rules,
        ["model"] => Mode::Model,
        ["combined", add, relabel] => Mode::Combined {
            add: add.parse().expect("GLEANER_ENTITY_MODE: ADD is an integer"),
            relabel: relabel.parse().expect("GLEANER_ENTITY_MODE: RELABEL is an integer"),
        },
        _ => panic!("GLEANER_ENTITY_MODE: rules, model or combined:ADD:RELABEL"),
    }
}

fn main() -> io::Result<()> {
    let mode = mode();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_str(&line).map_err(io::Error::other)?;
        let text = doc["text"].as_str().unwrap_or_default();
        let a = gleaner_analyse::analyse_with(text, doc["published"].as_str(), mode);
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
