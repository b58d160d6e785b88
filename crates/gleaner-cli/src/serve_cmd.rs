//! `gleaner serve`: the HTTP API and web app over a store.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;

pub const AFTER_HELP: &str = "\
Open the printed address in a browser: search with facets, an article view
with its entities, dates, figures, quotes and events highlighted, a map of
places and events, and a timeline. Everything (including the map's country
outlines) is inside the binary; nothing is loaded from the network.

The JSON API is described at /api/openapi.json. POST /api/ingest is off
unless --token-file names a file holding a secret; requests then need
`Authorization: Bearer SECRET`.

The server listens on loopback only unless --addr says otherwise, and
answers only requests addressed to an IP address, localhost, or a name given
with --allow-host. Each query has a time bound (--query-timeout) and is
stopped when its client goes away; a client has 10 s to send each request's
headers; at most --max-connections are open (idle ones make room first);
uploads are streamed to a private folder and at most two run at once. Each
request is logged on stderr (the query's words left out; --quiet for errors
only). Ctrl-C (or SIGTERM) stops it after the requests in flight, waiting at
most 10 s for them. SECURITY.md says what the server protects and what not.";

/// Options of `gleaner serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The store: a SQLite file or postgres://user@host/db.
    #[arg(long, value_name = "PATH", default_value = "gleaner.db")]
    db: String,

    /// Address and port to listen on (port 0: any free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,

    /// File whose first line is the bearer token that turns on POST /api/ingest.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,

    /// Largest body POST /api/ingest accepts, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024 * 1024)]
    max_body: usize,

    /// Threads answering queries (default: twice the cores).
    #[arg(long, value_name = "N")]
    readers: Option<usize>,

    /// A query's time bound in seconds; longer ones are stopped (503).
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    query_timeout: u64,

    /// Seconds a client has to send each request's headers (also how long a
    /// kept-alive connection may sit idle).
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    header_timeout: u64,

    /// Open connections at most (lowered to what the open-file limit allows).
    #[arg(long, value_name = "N", default_value_t = 1024)]
    max_connections: usize,

    /// A host name to answer for, besides IP addresses and localhost (repeat for several).
    /// Needed when the server is reached by name (a proxy, a LAN name): other names are
    /// refused, so a web page cannot reach the API by pointing its own name at this machine.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,

    /// No access log (requests that fail on the server side are still logged).
    #[arg(short, long)]
    quiet: bool,
}

fn read_token(path: &Path) -> Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the token file {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o004 != 0) {
            eprintln!(
                "gleaner: warning: the token file {} can be read by every user of this machine (chmod 600 it)",
                path.display()
            );
        }
    }
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.len() < 16 {
        bail!(
            "the token in {} is shorter than 16 characters; use a long random secret",
            path.display()
        );
    }
    Ok(token)
}

pub fn run(args: ServeArgs) -> Result<()> {
    let token = args.token_file.as_deref().map(read_token).transpose()?;
    if !args.db.contains("://") && !Path::new(&args.db).exists() {
        bail!(
            "no store at {} (create one with `gleaner ingest --db {} PAGES…`)",
            args.db,
            args.db
        );
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let readers = args.readers.unwrap_or(cores * 2).max(1);
    let config = gleaner_serve::Config {
        token: token.clone(),
        max_body: args.max_body,
        readers,
        query_timeout: std::time::Duration::from_secs(args.query_timeout.max(1)),
        max_connections: args.max_connections.max(1),
        header_timeout: std::time::Duration::from_secs(args.header_timeout.max(1)),
        allowed_hosts: args.allow_hosts.clone(),
        access_log: !args.quiet,
        ..gleaner_serve::Config::new(args.db.clone(), args.addr)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(2))
        // Query threads, upload ingests, and the file writes of uploads.
        .max_blocking_threads(readers + 8)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    // Never the password of a postgres:// address.
    let db = gleaner_store::redact(&args.db);
    runtime.block_on(gleaner_serve::run(config, move |addr| {
        eprintln!("gleaner: serving {db} at http://{addr}/ (API: http://{addr}/api/openapi.json; Ctrl-C stops)");
        if !addr.ip().is_loopback() {
            eprintln!("gleaner: warning: listening beyond this machine on {addr}");
        }
        if token.is_some() {
            eprintln!("gleaner: POST /api/ingest is on (bearer token required)");
        }
    }))?;
    Ok(())
}
