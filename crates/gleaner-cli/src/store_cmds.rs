//! Commands that read the store: `search`, `show`, `stats`, `export`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use gleaner_record::flat;
use gleaner_store::query::{is_date_prefix, DEFAULT_SEARCH_LIMIT};
use gleaner_store::{SearchQuery, Store};

/// Opens an existing store for reading (it may be on read-only media), with
/// a helpful error when there is none.
pub fn open_store(db: &str) -> Result<Box<dyn Store>> {
    if !db.contains("://") && !std::path::Path::new(db).exists() {
        bail!("no store at {db} (create one with `gleaner ingest --db {db} INPUT...`)");
    }
    gleaner_store::open_read_only(db).with_context(|| format!("cannot open the store {}", gleaner_store::redact(db)))
}

/// Options of `gleaner search`.
#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to find in titles and texts (all must occur).
    query: Vec<String>,
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date_prefix)]
    from: Option<String>,
    /// Published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date_prefix)]
    to: Option<String>,
    /// Only this publisher (exact name).
    #[arg(long)]
    publisher: Option<String>,
    /// Only this language (ISO 639-1).
    #[arg(long)]
    lang: Option<String>,
    /// Only records fetched at or after: a date (YYYY-MM-DD), a UTC
    /// date-time (YYYY-MM-DDTHH:MM:SSZ), or `last-run` (the start of the
    /// latest `gleaner watch` round: what it brought in).
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,
    /// At most this many results.
    #[arg(long, default_value_t = DEFAULT_SEARCH_LIMIT)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: SearchFormat,
}

/// How search results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Aligned columns for people.
    Table,
    /// One JSON object per line.
    Jsonl,
    /// An Atom feed (RFC 4287), newest first.
    Atom,
}

/// How lists are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people.
    Table,
    /// One JSON object per line.
    Jsonl,
}

/// A `--from`/`--to` value: the date prefixes the API accepts too.
pub fn date_prefix(v: &str) -> Result<String, String> {
    if is_date_prefix(v) {
        Ok(v.to_string())
    } else {
        Err(format!("{v:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"))
    }
}

pub fn search(args: SearchArgs) -> Result<()> {
    let store = open_store(&args.db)?;
    let since = match args.since.as_deref() {
        None => None,
        Some("last-run") => {
            let watch = gleaner_store::open_watch(&args.db, true)?;
            match watch.last_round()? {
                Some(r) => Some(r.started_at),
                None => bail!("--since last-run: no `gleaner watch` round has run on this store"),
            }
        }
        Some(v) if gleaner_store::query::is_since(v) => Some(v.to_string()),
        Some(v) => bail!("--since {v:?}: give YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or last-run"),
    };
    let text = args.query.join(" ");
    let feed_key = {
        let mut k: Vec<String> = Vec::new();
        for (name, v) in [
            ("from", &args.from),
            ("lang", &args.lang),
            ("publisher", &args.publisher),
            ("q", &Some(text.clone()).filter(|t| !t.trim().is_empty())),
            ("since", &since),
            ("to", &args.to),
        ] {
            if let Some(v) = v {
                k.push(format!("{name}={v}"));
            }
        }
        k
    };
    let hits = store.search(&SearchQuery {
        text: (!text.trim().is_empty()).then_some(text),
        from: args.from,
        to: args.to,
        publisher: args.publisher,
        language: args.lang,
        fetched_from: since,
        limit: args.limit,
        sort: if args.format == SearchFormat::Atom {
            gleaner_store::SortOrder::Newest
        } else {
            gleaner_store::SortOrder::default()
        },
        ..SearchQuery::default()
    })?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        SearchFormat::Atom => {
            let mut records = Vec::with_capacity(hits.len());
            for h in &hits {
                if let Some(r) = store.get(&h.id)? {
                    records.push(r.record);
                }
            }
            let mut info = gleaner_record::atom::FeedInfo::for_search(&feed_key);
            info.generated = Some(gleaner_read::rfc3339_utc(std::time::SystemTime::now()));
            let refs: Vec<&gleaner_record::Record> = records.iter().collect();
            out.write_all(gleaner_record::atom::feed(&info, &refs).as_bytes())?;
        }
        SearchFormat::Jsonl => {
            for h in &hits {
                let v = serde_json::json!({
                    "id": h.id, "title": h.title, "url": h.url, "published": h.published,
                    "publisher": h.publisher, "language": h.language, "snippet": h.snippet,
                });
                serde_json::to_writer(&mut out, &v).map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
        SearchFormat::Table => {
            for h in &hits {
                writeln!(
                    out,
                    "{}  {:<10}  {:<20}  {}",
                    h.id,
                    h.published.as_deref().unwrap_or("-"),
                    clip(h.publisher.as_deref().unwrap_or("-"), 20),
                    clip(h.title.as_deref().unwrap_or("(no title)"), 70)
                )?;
                if let Some(s) = &h.snippet {
                    writeln!(out, "    {}", s.replace('\n', " "))?;
                }
            }
            if hits.is_empty() {
                eprintln!("no matches");
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

/// Options of `gleaner show`.
#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Record id (or a unique prefix of at least 6 characters).
    id: String,
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
}

pub fn show(args: ShowArgs) -> Result<std::process::ExitCode> {
    let store = open_store(&args.db)?;
    let Some(rec) = store.get(&args.id)? else {
        eprintln!(
            "gleaner: no record {:?} in {}",
            args.id,
            gleaner_store::redact(&args.db)
        );
        return Ok(std::process::ExitCode::from(1));
    };
    let mut v = serde_json::to_value(&rec.record)?;
    v["urls"] = serde_json::json!(rec.urls);
    let input = &rec.record.input;
    if let Some(offset) = input.offset {
        // The evidence: where the archived response is and what it must hash
        // to (`gleaner replay` writes it out and checks it).
        v["archived_copy"] = serde_json::json!({
            "warc_file": input.path,
            "offset": offset,
            "warc_record_id": input.warc_record_id,
            "payload_digest": input.payload_digest,
            "fetched_at": rec.record.fetched_at,
        });
    }
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &v).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Options of `gleaner stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn stats(args: StatsArgs) -> Result<()> {
    let store = open_store(&args.db)?;
    let s = store.stats()?;
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let pairs = |v: &[(String, u64)]| {
            serde_json::Value::Object(v.iter().map(|(k, n)| (k.clone(), serde_json::json!(n))).collect())
        };
        let v = serde_json::json!({
            "records": s.records, "inputs": s.inputs, "inputs_done": s.inputs_done, "pending": s.pending,
            "by_publisher": pairs(&s.by_publisher), "by_language": pairs(&s.by_language),
            "by_month": pairs(&s.by_month), "errors_by_category": pairs(&s.errors_by_category),
        });
        serde_json::to_writer_pretty(&mut out, &v).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        writeln!(
            out,
            "{} records from {} inputs ({} read to the end), {} pending addresses",
            s.records, s.inputs, s.inputs_done, s.pending
        )?;
        for (title, rows) in [
            ("publisher", &s.by_publisher),
            ("language", &s.by_language),
            ("month", &s.by_month),
            ("errors by reason", &s.errors_by_category),
        ] {
            writeln!(out, "\n{title}:")?;
            if rows.is_empty() {
                writeln!(out, "  (none)")?;
            }
            for (k, n) in rows.iter().take(40) {
                writeln!(out, "  {n:>8}  {k}")?;
            }
            if rows.len() > 40 {
                writeln!(out, "  … and {} more", rows.len() - 40)?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Options of `gleaner export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExportFormat,
    /// Write to FILE instead of stdout (required for parquet).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Full records, one JSON object per line (with every address in `urls`).
    Jsonl,
    /// One row per record: the indexed fields and the text.
    Csv,
    /// The CSV columns plus the whole record as JSON (`record`), as Apache
    /// Parquet: the schema of the Spark job's output too.
    Parquet,
}

pub fn export(args: ExportArgs) -> Result<()> {
    let store = open_store(&args.db)?;
    if args.format == ExportFormat::Parquet {
        let Some(path) = &args.output else {
            bail!("--format parquet needs --output FILE")
        };
        let n = crate::parquet_export::write(&*store, path)?;
        eprintln!("gleaner: {n} records written to {}", path.display());
        return Ok(());
    }
    let sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?),
        None => Box::new(io::stdout().lock()),
    };
    let mut out = BufWriter::new(sink);
    if args.format == ExportFormat::Csv {
        writeln!(out, "{}", flat::COLUMNS.join(","))?;
    }
    gleaner_store::for_each_record(&*store, |rec| -> Result<()> {
        match args.format {
            ExportFormat::Jsonl => {
                let mut v = serde_json::to_value(&rec.record)?;
                v["urls"] = serde_json::json!(rec.urls);
                serde_json::to_writer(&mut out, &v).map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            }
            _ => {
                let row = flat::row(&rec.record, &rec.urls);
                writeln!(out, "{}", flat::csv_line(row.iter().map(Option::as_deref)))?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}
