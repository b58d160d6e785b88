//! `gleaner watch`, `gleaner fetch-pending` and `gleaner replay`: the
//! command line over `gleaner_fetch` (options, stop signals, messages,
//! alerts, exit status).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Args;
use gleaner_fetch::{parse_saved, sources_from_args, Event, FetchOptions, RoundReport, Source, Watch, WatchOptions};
use gleaner_read::DEFAULT_MAX_BYTES;
use gleaner_store::watch::FetchOutcome;

pub const AFTER_HELP: &str = "\
SOURCES are feed URLs (RSS, Atom, JSON Feed), sitemap URLs, or files listing
them one per line, each optionally followed by a label ('#' starts a comment).

Each round checks every source (conditionally: ETag, Last-Modified), keeps the
entries it has not seen as pending addresses, fetches every pending address
(these and the ones `ingest` kept from feeds and sitemaps), archives every
request and response in WARC/1.1 files (--warc-dir) and ingests them into the
store exactly as `gleaner ingest` would. robots.txt is obeyed; one request at
a time per host, --interval apart; private and loopback addresses are refused
unless --allow-private.

Ctrl-C or SIGTERM ends the round after the page in hand. A watch killed in any
way and started again fetches no stored page twice and loses no listed one.

Exit status: 0 when the rounds ran; 2 on usage, store or archive errors.";

/// The fetching options `watch` and `fetch-pending` share.
#[derive(Args, Debug)]
pub struct FetchArgs {
    /// The store: a SQLite file (created if missing) or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Where WARC files go (default: a `warc` folder beside a SQLite store,
    /// `./warc` for PostgreSQL).
    #[arg(long, value_name = "DIR")]
    warc_dir: Option<PathBuf>,
    /// Seconds between the end of one request to a host and the next.
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    interval: f64,
    /// Requests in flight at once, over all hosts.
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// Seconds a request may take, body included.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Largest response body read, in bytes as sent.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_BYTES)]
    max_bytes: u64,
    /// Redirects followed from one address.
    #[arg(long, value_name = "N", default_value_t = 5)]
    max_redirects: usize,
    /// Retries after a 429 or 503.
    #[arg(long, value_name = "N", default_value_t = 3)]
    retries: u32,
    /// Fetch private, loopback and link-local addresses too.
    #[arg(long)]
    allow_private: bool,
    /// An address or URL to contact about the crawler, put in the User-Agent.
    #[arg(long, value_name = "CONTACT")]
    contact: Option<String>,
    /// At most this many pages per round.
    #[arg(long, value_name = "N")]
    max_pages: Option<usize>,
    /// A WARC file is closed past this size (bytes).
    #[arg(long, value_name = "BYTES", default_value_t = gleaner_fetch::DEFAULT_WARC_MAX_BYTES)]
    warc_max_bytes: u64,
    /// No per-page messages.
    #[arg(short, long)]
    quiet: bool,
    /// Print each round's report as one JSON object on stdout.
    #[arg(long)]
    json: bool,
}

/// Options of `gleaner watch`.
#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Feed or sitemap URLs, or files listing them.
    #[arg(value_name = "SOURCES", required = true)]
    sources: Vec<String>,
    /// One round, then exit.
    #[arg(long, conflicts_with = "every")]
    once: bool,
    /// Keep running, one round every DURATION (`90s`, `30m`, `6h`, `1d`).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    every: Option<Duration>,
    /// Save a search (the API's query string, `q=Hyesan&country=KP`) whose new
    /// matches are printed after each round.
    #[arg(long, value_name = "QUERY")]
    alert: Vec<String>,
    #[command(flatten)]
    fetch: FetchArgs,
}

/// Options of `gleaner fetch-pending`.
#[derive(Args, Debug)]
pub struct FetchPendingArgs {
    #[command(flatten)]
    fetch: FetchArgs,
}

/// `90s`, `30m`, `6h`, `1d`, or plain seconds.
pub fn duration(v: &str) -> Result<Duration, String> {
    let v = v.trim();
    let (num, unit) = v.split_at(v.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(v.len()));
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{v:?} is not a duration (90s, 30m, 6h, 1d)"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86_400.0,
        _ => return Err(format!("{v:?}: the unit is s, m, h or d")),
    };
    if !(secs.is_finite() && secs >= 1.0) {
        return Err(format!("{v:?}: at least one second"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn options(a: &FetchArgs) -> Result<WatchOptions> {
    if !(a.interval.is_finite() && a.interval >= 0.0 && a.timeout.is_finite() && a.timeout > 0.0) {
        bail!("--interval and --timeout take a number of seconds");
    }
    let warc_dir = match &a.warc_dir {
        Some(d) => d.clone(),
        None if a.db.contains("://") => PathBuf::from("warc"),
        None => Path::new(&a.db).parent().unwrap_or(Path::new("")).join("warc"),
    };
    let mut o = WatchOptions::new(warc_dir);
    o.fetch = FetchOptions {
        contact: a.contact.clone(),
        per_host_interval: Duration::from_secs_f64(a.interval),
        concurrency: a.concurrency.max(1),
        timeout: Duration::from_secs_f64(a.timeout),
        max_bytes: a.max_bytes,
        max_redirects: a.max_redirects,
        retries: a.retries,
        allow_private: a.allow_private,
        ..FetchOptions::default()
    };
    o.ingest.max_bytes = a.max_bytes.max(DEFAULT_MAX_BYTES);
    o.warc_max_bytes = a.warc_max_bytes;
    o.max_pages = a.max_pages;
    Ok(o)
}

/// SIGINT and SIGTERM set the flag: the round stops after the page in hand.
fn stop_flag() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).context("cannot install the signal handler")?;
    }
    Ok(stop)
}

fn open(a: &FetchArgs, stop: Arc<AtomicBool>) -> Result<Watch> {
    let mut w = Watch::open(&a.db, options(a)?, stop)
        .with_context(|| format!("cannot open the store {}", gleaner_store::redact(&a.db)))?;
    let quiet = a.quiet;
    w.recover(&mut |e| log(quiet, e))?;
    Ok(w)
}

fn log(quiet: bool, e: Event<'_>) {
    match e {
        Event::Cut { file, bytes } => {
            eprintln!("gleaner: {file}: cut {bytes} bytes a stopped run wrote but never recorded")
        }
        _ if quiet => {}
        Event::Source {
            url,
            status,
            new,
            problem,
        } => {
            let status = status.map_or("no response".to_string(), |s| s.to_string());
            match problem {
                Some(p) => eprintln!("source {url}: {status}, {new} new ({p})"),
                None => eprintln!("source {url}: {status}, {new} new"),
            }
        }
        Event::Page { fetch, ingested } => {
            let status = fetch.status.map_or(String::new(), |s| format!(" {s}"));
            let what = match (fetch.outcome, ingested) {
                (FetchOutcome::Archived, Some(s)) if s.new_records > 0 => "new record".to_string(),
                (FetchOutcome::Archived, Some(s)) if s.known_records > 0 => "already stored".to_string(),
                (FetchOutcome::Archived, _) => "archived".to_string(),
                (o, _) => o.as_str().to_string(),
            };
            match &fetch.reason {
                Some(r) => eprintln!("page {}:{status} {what} ({r})", fetch.url),
                None => eprintln!("page {}:{status} {what}", fetch.url),
            }
        }
    }
}

fn report(a: &FetchArgs, r: &RoundReport) -> Result<()> {
    if a.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
        out.flush()?;
    } else if !a.quiet {
        eprintln!(
            "gleaner: round {}: {} sources ({} unchanged, {} failed), {} new addresses; {} pages in {:.1}s \
             ({:.2} pages/s): {} archived, {} disallowed by robots.txt, {} refused, {} failed; \
             {} new records, {} already stored, {} errors; {} requests, {} WARC bytes{}",
            r.round,
            r.sources,
            r.sources_unchanged,
            r.sources_failed,
            r.listed,
            r.pages,
            r.seconds,
            r.pages_per_second,
            r.archived,
            r.disallowed,
            r.refused,
            r.failed,
            r.new_records,
            r.known_records,
            r.errors,
            r.requests,
            r.warc_bytes,
            if r.stopped { " (stopped)" } else { "" }
        );
    }
    Ok(())
}

/// Prints each saved search's matches among the records fetched since the
/// round began.
fn alerts(w: &Watch, since: &str, json: bool) -> Result<()> {
    let mut out = io::stdout().lock();
    for s in w.state().saved_searches()? {
        let mut q = match parse_saved(&s.query) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("gleaner: saved search {}: {e}", s.id);
                continue;
            }
        };
        q.fetched_from = Some(since.to_string());
        q.limit = 1000;
        let hits = w.store().search(&q)?;
        if json {
            let v = serde_json::json!({"alert": s.query, "since": since, "new": hits.iter().map(|h| serde_json::json!({
                "id": h.id, "title": h.title, "url": h.url, "published": h.published,
            })).collect::<Vec<_>>()});
            serde_json::to_writer(&mut out, &v)?;
            out.write_all(b"\n")?;
        } else {
            writeln!(out, "alert {}: {} new", s.query, hits.len())?;
            for h in &hits {
                writeln!(
                    out,
                    "  {}  {}  {}",
                    &h.id[..h.id.len().min(12)],
                    h.title.as_deref().unwrap_or("(no title)"),
                    h.url.as_deref().unwrap_or("")
                )?;
            }
        }
    }
    Ok(())
}

pub fn watch(args: WatchArgs) -> Result<ExitCode> {
    let sources: Vec<Source> = sources_from_args(&args.sources).map_err(anyhow::Error::msg)?;
    for a in &args.alert {
        parse_saved(a).map_err(anyhow::Error::msg)?;
    }
    if !args.once && args.every.is_none() {
        bail!("say --once for one round, or --every DURATION to keep watching");
    }
    let stop = stop_flag()?;
    let mut w = open(&args.fetch, Arc::clone(&stop))?;
    if !args.alert.is_empty() {
        let now = gleaner_read::rfc3339_utc(std::time::SystemTime::now());
        let mut state = gleaner_store::open_watch(&args.fetch.db, false)?;
        for a in &args.alert {
            state.save_search(a, &now)?;
        }
    }
    let quiet = args.fetch.quiet;
    loop {
        let started = Instant::now();
        let r = w.round(&sources, &mut |e| log(quiet, e))?;
        report(&args.fetch, &r)?;
        alerts(&w, &r.started_at, args.fetch.json)?;
        let Some(every) = args.every else { break };
        if stop.load(Ordering::SeqCst) {
            break;
        }
        // Sleep in short steps so a stop signal is seen at once.
        while started.elapsed() < every && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100).min(every.saturating_sub(started.elapsed())));
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn fetch_pending(args: FetchPendingArgs) -> Result<ExitCode> {
    let stop = stop_flag()?;
    let mut w = open(&args.fetch, stop)?;
    let quiet = args.fetch.quiet;
    let r = w.round(&[], &mut |e| log(quiet, e))?;
    report(&args.fetch, &r)?;
    Ok(ExitCode::SUCCESS)
}

/// Options of `gleaner replay`.
#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Record id (or a unique prefix of at least 6 characters).
    id: String,
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only the body as the server sent it (no status line and headers).
    #[arg(long)]
    body: bool,
}

/// Writes a record's archived HTTP response, after checking it against the
/// digests the archive and the record state.
pub fn replay(args: ReplayArgs) -> Result<ExitCode> {
    let store = crate::store_cmds::open_store(&args.db)?;
    let Some(rec) = store.get(&args.id)? else {
        eprintln!(
            "gleaner: no record {:?} in {}",
            args.id,
            gleaner_store::redact(&args.db)
        );
        return Ok(ExitCode::from(1));
    };
    let input = &rec.record.input;
    let Some(offset) = input.offset else {
        eprintln!(
            "gleaner: record {} was not read from a WARC archive ({}): there is no archived copy",
            rec.record.id, input.path
        );
        return Ok(ExitCode::from(1));
    };
    let archived = gleaner_fetch::read_record_at(&input.path, offset, 1 << 30)
        .with_context(|| format!("cannot read the archived copy at {}:{offset}", input.path))?;
    if let (Some(want), Some(got)) = (&input.warc_record_id, archived.field("WARC-Record-ID")) {
        if want != got {
            bail!("{}:{offset} holds record {got}, not {want}", input.path);
        }
    }
    if let Err(e) = archived.verify() {
        bail!("the archived copy at {}:{offset} is damaged: {e}", input.path);
    }
    if let (Some(want), Some(got)) = (&input.payload_digest, archived.field("WARC-Payload-Digest")) {
        if !want.eq_ignore_ascii_case(got) {
            bail!("the record says its payload digest is {want}, the archive says {got}");
        }
    }
    let bytes = if args.body {
        archived.payload()
    } else {
        &archived.block[..]
    };
    match &args.output {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display()))?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()?;
        }
    }
    eprintln!(
        "gleaner: {} fetched at {}, {}, digest {} (checked)",
        archived.field("WARC-Target-URI").unwrap_or("?"),
        archived.field("WARC-Date").unwrap_or("?"),
        input.path,
        archived.field("WARC-Payload-Digest").unwrap_or("none stated")
    );
    Ok(ExitCode::SUCCESS)
}
