//! The serve stage: the store behind an HTTP API and an offline web app.
//!
//! This crate owns everything a browser or an HTTP client sees: the JSON API
//! (documented by the OpenAPI document at `/api/openapi.json`), its parameter
//! validation and error bodies, and the web app — search with facets, the
//! article view with its highlighted facts, the map and the timeline — whose
//! assets (ours and the pinned Leaflet and world-atlas files, fetched by
//! `build.rs`) are compiled into the binary, so nothing is loaded from the
//! network when it runs.
//!
//! It reads the store through the [`gleaner_store::QueryStore`] trait only,
//! so any backend serves. Uploads (`POST /api/ingest`) go through
//! `gleaner_ingest::ingest`, the engine `gleaner ingest` runs.
#![warn(missing_docs)]

mod api;
mod assets;
mod guard;
mod params;
mod pool;
mod server;
mod upload;

use std::net::SocketAddr;
use std::time::Duration;

pub use api::router;

/// How the server runs.
#[derive(Clone)]
pub struct Config {
    /// The store: a SQLite path or a database address.
    pub db: String,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Bearer token that enables `POST /api/ingest`; `None` keeps it off.
    pub token: Option<String>,
    /// Largest request body accepted by `POST /api/ingest`, in bytes.
    pub max_body: usize,
    /// Store connections for reading, at most (one per concurrent query).
    pub readers: usize,
    /// A query's time bound; past it the query is stopped (503).
    pub query_timeout: Duration,
    /// A request's time bound (uploads have their own).
    pub request_timeout: Duration,
    /// An upload's time bound, body and ingest included.
    pub upload_timeout: Duration,
    /// Time a client has to send a request head (also the keep-alive idle limit).
    pub header_timeout: Duration,
    /// Open connections at most (lowered to what the file limit allows).
    pub max_connections: usize,
    /// Uploads received at once, at most.
    pub max_uploads: usize,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
    /// Host names the server answers for besides IP literals and `localhost`.
    pub allowed_hosts: Vec<String>,
    /// Log every request on stderr (server errors are logged anyway).
    pub access_log: bool,
}

impl Config {
    /// The defaults of `gleaner serve` for a store and an address.
    pub fn new(db: impl Into<String>, addr: SocketAddr) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Config {
            db: db.into(),
            addr,
            token: None,
            max_body: 256 * 1024 * 1024,
            readers: cores * 2,
            query_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(30 * 60),
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_uploads: 2,
            shutdown_grace: Duration::from_secs(10),
            allowed_hosts: Vec::new(),
            access_log: true,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The store could not be opened.
    #[error("cannot open the store {db}: {source}")]
    Store {
        /// The store address.
        db: String,
        /// What the store said.
        source: gleaner_store::StoreError,
    },
    /// Listening failed (address in use, no permission).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Opens the store, binds, and serves until Ctrl-C or SIGTERM; `ready` is
/// called with the bound address (the port is chosen by the system for port 0).
pub async fn run(config: Config, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let app = router(config.clone())?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    ready(listener.local_addr()?);
    let limits = server::Limits {
        header_timeout: config.header_timeout,
        max_connections: server::connection_cap(config.max_connections),
        shutdown_grace: config.shutdown_grace,
    };
    server::serve(listener, app, limits, shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            // Without a SIGTERM handler only Ctrl-C stops gracefully.
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
