//! `gleaner dupes`, `gleaner events`, `gleaner timeline`: clusters of copies
//! and merged events, from the store.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use gleaner_record::flat::csv_line;
use gleaner_store::query::Bucket;
use gleaner_store::{EventFilter, MergedEvent, QueryStore};
use serde_json::json;

use crate::store_cmds::{date_prefix, open_store, ListFormat};

/// Options of `gleaner dupes`.
#[derive(Args, Debug)]
pub struct DupesArgs {
    /// A record id (or unique prefix): show its cluster. Without one: every cluster with copies.
    id: Option<String>,
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
}

pub fn dupes(args: DupesArgs) -> Result<std::process::ExitCode> {
    let store = open_store(&args.db)?;
    let clusters = match &args.id {
        Some(id) => {
            let Some(rec) = store.get(id)? else {
                eprintln!("gleaner: no record {id:?} in {}", gleaner_store::redact(&args.db));
                return Ok(std::process::ExitCode::from(1));
            };
            match store.cluster_of(&rec.record.id)? {
                Some(c) => vec![c],
                None => bail!(
                    "record {} is not clustered yet (run `gleaner ingest` again to finish the dedup pass)",
                    rec.record.id
                ),
            }
        }
        None => store.clusters(2)?,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for c in clusters {
        let members = store.cluster_members(&c)?;
        match args.format {
            ListFormat::Jsonl => {
                let v = json!({
                    "cluster": c,
                    "earliest": members.first().map(|m| m.id.clone()),
                    "members": members.iter().map(|m| json!({
                        "id": m.id, "title": m.title, "publisher": m.publisher, "published": m.published,
                        "url": m.url, "similarity": (m.similarity * 1000.0).round() / 1000.0,
                    })).collect::<Vec<_>>(),
                });
                serde_json::to_writer(&mut out, &v).map_err(io::Error::from)?;
                writeln!(out)?;
            }
            ListFormat::Table => {
                writeln!(out, "cluster {c} ({} records)", members.len())?;
                for m in &members {
                    writeln!(
                        out,
                        "  {}  {:<10}  {:<22}  sim {:.2}  {}",
                        m.id,
                        m.published.as_deref().unwrap_or("-"),
                        m.publisher
                            .as_deref()
                            .unwrap_or("-")
                            .chars()
                            .take(22)
                            .collect::<String>(),
                        m.similarity,
                        m.title
                            .as_deref()
                            .unwrap_or("(no title)")
                            .chars()
                            .take(60)
                            .collect::<String>()
                    )?;
                }
            }
        }
    }
    out.flush()?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Options shared by `events` and `timeline`.
#[derive(Args, Debug, Clone)]
pub struct EventQuery {
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Event type (e.g. movement_restriction).
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<String>,
    /// Place name, as stored (e.g. "North Korea", "Hyesan").
    #[arg(long)]
    place: Option<String>,
    /// ISO 3166-1 alpha-2 country of the place (e.g. KP).
    #[arg(long, value_parser = country_code)]
    country: Option<String>,
    /// Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_parser = date_prefix)]
    from: Option<String>,
    /// Events on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_parser = date_prefix)]
    to: Option<String>,
}

/// A `--country` value: two letters, any case, upper-cased.
fn country_code(v: &str) -> Result<String, String> {
    if v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(v.to_ascii_uppercase())
    } else {
        Err(format!("{v:?} is not a two-letter country code such as KP"))
    }
}

fn query(store: &(impl QueryStore + ?Sized), q: &EventQuery) -> Result<Vec<MergedEvent>> {
    Ok(store.events(&EventFilter {
        kind: q.kind.clone(),
        place: q.place.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        country: q.country.clone(),
        ..EventFilter::default()
    })?)
}

/// Options of `gleaner events`.
#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    query: EventQuery,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: EventsFormat,
}

/// Formats for `gleaner events`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    /// Aligned columns.
    Table,
    /// One JSON object per event, with its sources.
    Jsonl,
    /// One row per event.
    Csv,
}

pub fn events(args: EventsArgs) -> Result<()> {
    let store = open_store(&args.query.db)?;
    let events = query(&*store, &args.query)?;
    let mut out = BufWriter::new(io::stdout().lock());
    if args.format == EventsFormat::Csv {
        writeln!(out, "date,type,subtype,place,actor,target,sources,evidence")?;
    }
    for m in &events {
        let e = &m.event;
        match args.format {
            EventsFormat::Jsonl => {
                let mut v = serde_json::to_value(e)?;
                v["sources"] = serde_json::to_value(&m.sources)?;
                serde_json::to_writer(&mut out, &v).map_err(io::Error::from)?;
                writeln!(out)?;
            }
            EventsFormat::Csv => {
                let sources = m.sources.len().to_string();
                let row = [
                    e.date.as_deref(),
                    Some(e.kind.as_str()),
                    e.subtype.as_deref(),
                    e.place.as_deref(),
                    e.actor.as_deref(),
                    e.target.as_deref(),
                    Some(sources.as_str()),
                    Some(e.evidence.as_str()),
                ];
                writeln!(out, "{}", csv_line(row))?;
            }
            EventsFormat::Table => {
                writeln!(
                    out,
                    "{:<10}  {:<26}  {:<16}  {:<18}  {} source(s)  {}",
                    e.date.as_deref().unwrap_or("-"),
                    format!("{}/{}", e.kind, e.subtype.as_deref().unwrap_or("-"))
                        .chars()
                        .take(26)
                        .collect::<String>(),
                    e.place.as_deref().unwrap_or("-").chars().take(16).collect::<String>(),
                    e.actor.as_deref().unwrap_or("-").chars().take(18).collect::<String>(),
                    m.sources.len(),
                    e.evidence.chars().take(70).collect::<String>()
                )?;
            }
        }
    }
    if events.is_empty() && args.format == EventsFormat::Table {
        eprintln!("no events");
    }
    out.flush()?;
    Ok(())
}

/// Options of `gleaner timeline`.
#[derive(Args, Debug)]
pub struct TimelineArgs {
    #[command(flatten)]
    query: EventQuery,
    /// Bucket size.
    #[arg(long, value_enum, default_value = "month")]
    by: By,
    /// Also draw the counts as an SVG bar chart into FILE.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

/// Timeline buckets (`gleaner_store::query::Bucket`, as the API's `bucket`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// YYYY-MM-DD.
    Day,
    /// Weeks from Monday (ISO 8601), named by the Monday's date YYYY-MM-DD.
    Week,
    /// YYYY-MM.
    Month,
}

impl From<By> for Bucket {
    fn from(by: By) -> Bucket {
        match by {
            By::Day => Bucket::Day,
            By::Week => Bucket::Week,
            By::Month => Bucket::Month,
        }
    }
}

pub fn timeline(args: TimelineArgs) -> Result<()> {
    let store = open_store(&args.query.db)?;
    let events = query(&*store, &args.query)?;
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for m in &events {
        if let Some(b) = m.event.date.as_deref().and_then(|d| Bucket::from(args.by).of(d)) {
            *counts.entry(b).or_default().entry(m.event.kind.clone()).or_default() += 1;
        }
    }
    let mut out = BufWriter::new(io::stdout().lock());
    for (b, by_type) in &counts {
        let total: u64 = by_type.values().sum();
        let detail: Vec<String> = by_type.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(
            out,
            "{b:<10} {total:>5}  {}  {}",
            "#".repeat(total.min(60) as usize),
            detail.join(", ")
        )?;
    }
    out.flush()?;
    if let Some(path) = &args.svg {
        std::fs::write(path, svg(&counts))?;
        eprintln!("gleaner: chart written to {}", path.display());
    }
    Ok(())
}

/// A stacked bar chart: one bar per bucket, one colour per event type.
fn svg(counts: &BTreeMap<String, BTreeMap<String, u64>>) -> String {
    const PALETTE: [&str; 12] = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
        "#1f77b4", "#8c564b",
    ];
    let types: Vec<&String> = {
        let mut t: Vec<&String> = counts.values().flat_map(|m| m.keys()).collect();
        t.sort();
        t.dedup();
        t
    };
    let max = counts
        .values()
        .map(|m| m.values().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (bar_w, gap, h, left, top) = (28.0, 8.0, 240.0, 40.0, 20.0);
    let width = left + counts.len() as f64 * (bar_w + gap) + 240.0;
    let height = top + h + 80.0;
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" font-family=\"sans-serif\" font-size=\"10\">\n");
    s.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n",
        top + h,
        width - 230.0,
        top + h
    ));
    for (i, (b, by_type)) in counts.iter().enumerate() {
        let x = left + i as f64 * (bar_w + gap);
        let mut y = top + h;
        for (k, n) in by_type {
            let bh = *n as f64 / max * h;
            y -= bh;
            let colour = PALETTE[types.iter().position(|t| *t == k).unwrap_or(0) % PALETTE.len()];
            s.push_str(&format!("<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{bh:.1}\" fill=\"{colour}\"><title>{b} {k}: {n}</title></rect>\n"));
        }
        let total: u64 = by_type.values().sum();
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{total}</text>\n",
            x + bar_w / 2.0,
            y - 3.0
        ));
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" transform=\"rotate(45 {:.1} {:.1})\">{}</text>\n",
            x + 4.0,
            top + h + 12.0,
            x + 4.0,
            top + h + 12.0,
            xml_escape(b)
        ));
    }
    for (i, t) in types.iter().enumerate() {
        let y = top + 14.0 * i as f64;
        let x = width - 220.0;
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/>\n",
            PALETTE[i % PALETTE.len()]
        ));
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text>\n",
            x + 14.0,
            y + 9.0,
            xml_escape(t)
        ));
    }
    s.push_str("</svg>\n");
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
