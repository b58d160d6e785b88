//! `gleaner analyse`: the analysis stage on plain text, for scripts and for
//! scoring (`bench/score-analysis.py`).

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::{json, Value};

/// Options of `gleaner analyse`.
#[derive(Args, Debug)]
pub struct AnalyseArgs {
    /// A plain-text file ('-' or nothing: stdin).
    input: Option<PathBuf>,
    /// Publication date (YYYY-MM-DD) that relative times resolve against.
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// Read JSON Lines of {"id", "text", "published"} and write one analysis per line.
    #[arg(long)]
    jsonl: bool,
}

fn analysis_json(id: Option<&Value>, text: &str, published: Option<&str>) -> Value {
    let a = gleaner_analyse::analyse(text, published);
    let mut v = json!({
        "entities": a.entities, "times": a.times, "quantities": a.quantities, "quotes": a.quotes, "events": a.events,
    });
    if let Some(id) = id {
        v["id"] = id.clone();
    }
    v
}

pub fn run(args: AnalyseArgs) -> Result<()> {
    let mut raw = String::new();
    match &args.input {
        Some(p) if p.as_os_str() != "-" => {
            raw = std::fs::read_to_string(p).with_context(|| format!("cannot read {} as UTF-8 text", p.display()))?;
        }
        _ => {
            io::stdin()
                .read_to_string(&mut raw)
                .context("cannot read stdin as UTF-8 text")?;
        }
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if args.jsonl {
        for (n, line) in raw.as_bytes().lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let doc: Value = serde_json::from_str(&line).with_context(|| format!("line {}: not JSON", n + 1))?;
            let text = doc["text"]
                .as_str()
                .with_context(|| format!("line {}: no \"text\"", n + 1))?;
            let published = doc["published"].as_str().or(args.published.as_deref());
            serde_json::to_writer(&mut out, &analysis_json(doc.get("id"), text, published)).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
        }
    } else {
        serde_json::to_writer_pretty(&mut out, &analysis_json(None, &raw, args.published.as_deref()))
            .map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
