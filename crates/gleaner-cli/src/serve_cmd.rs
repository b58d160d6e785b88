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

The server listens on loopback only unless --addr says otherwise. Ctrl-C
(or SIGTERM) stops it after the requests in flight.";

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
}

fn read_token(path: &Path) -> Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the token file {}", path.display()))?;
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
        db: args.db.clone(),
        addr: args.addr,
        token: token.clone(),
        max_body: args.max_body,
        readers,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(2))
        .max_blocking_threads(readers + 2)
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
