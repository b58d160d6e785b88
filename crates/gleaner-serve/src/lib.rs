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
mod params;
mod pool;

use std::net::SocketAddr;

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
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
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
