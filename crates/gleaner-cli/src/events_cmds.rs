//! `gleaner dupes`, `gleaner events`, `gleaner timeline`: clusters of copies
//! and merged events, from the store.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use gleaner_store::{EventFilter, MergedEvent, Store};
use serde_json::json;

use crate::store_cmds::{open_store, ListFormat};

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
    #[arg(long)]
    country: Option<String>,
    /// Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Events on or before this date.
    #[arg(long)]
    to: Option<String>,
}

fn query(store: &dyn Store, q: &EventQuery) -> Result<Vec<MergedEvent>> {
    let events = store.events(&EventFilter {
        kind: q.kind.clone(),
        place: q.place.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        ..EventFilter::default()
    })?;
    let Some(country) = &q.country else { return Ok(events) };
    let g = gleaner_analyse::gazetteer::Gazetteer::get();
    let code = country.to_ascii_uppercase();
    Ok(events
        .into_iter()
        .filter(|e| {
            e.event
                .place
                .as_deref()
                .is_some_and(|p| g.lookup(p).iter().any(|&i| g.places[i as usize].country == code))
        })
        .collect())
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
                let f = |s: Option<&str>| {
                    let s = s.unwrap_or("");
                    if s.contains([',', '"', '\n']) {
                        format!("\"{}\"", s.replace('"', "\"\""))
                    } else {
                        s.to_string()
                    }
                };
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{}",
                    f(e.date.as_deref()),
                    f(Some(&e.kind)),
                    f(e.subtype.as_deref()),
                    f(e.place.as_deref()),
                    f(e.actor.as_deref()),
                    f(e.target.as_deref()),
                    m.sources.len(),
                    f(Some(&e.evidence))
                )?;
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
    by: Bucket,
    /// Also draw the counts as an SVG bar chart into FILE.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

/// Timeline buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Bucket {
    /// YYYY-MM-DD.
    Day,
    /// ISO week (YYYY-Www).
    Week,
    /// YYYY-MM.
    Month,
}

fn bucket(date: &str, by: Bucket) -> Option<String> {
    match by {
        Bucket::Month => date.get(..7).map(str::to_string),
        Bucket::Day => date.get(..10).filter(|d| d.len() == 10).map(str::to_string),
        Bucket::Week => {
            let (y, m, d): (i64, u32, u32) = (
                date.get(..4)?.parse().ok()?,
                date.get(5..7)?.parse().ok()?,
                date.get(8..10)?.parse().ok()?,
            );
            // ISO week of a civil date: the week belongs to the year of its Thursday.
            let days = gleaner_record::civil::days_from_civil;
            let n = days(y, m, d);
            let thursday = n - gleaner_record::civil::weekday(n) + 3;
            let mut iso_year = y;
            if thursday < days(y, 1, 1) {
                iso_year -= 1;
            } else if thursday >= days(y + 1, 1, 1) {
                iso_year += 1;
            }
            let week = (thursday - days(iso_year, 1, 1)) / 7 + 1;
            Some(format!("{iso_year}-W{week:02}"))
        }
    }
}

pub fn timeline(args: TimelineArgs) -> Result<()> {
    let store = open_store(&args.query.db)?;
    let events = query(&*store, &args.query)?;
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for m in &events {
        if let Some(b) = m.event.date.as_deref().and_then(|d| bucket(d, args.by)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        assert_eq!(bucket("2020-11-05", Bucket::Month).as_deref(), Some("2020-11"));
        assert_eq!(bucket("2020-11", Bucket::Day), None);
        assert_eq!(bucket("2021-01-01", Bucket::Week).as_deref(), Some("2020-W53"));
        assert_eq!(bucket("2024-03-14", Bucket::Week).as_deref(), Some("2024-W11"));
    }
}
