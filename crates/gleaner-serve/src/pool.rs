//! A small pool of store connections for the blocking query threads.
//!
//! Store backends are synchronous and a connection is not shared between
//! threads, so each query borrows one connection for its duration. A
//! semaphore bounds how many queries run at once (and so how many
//! connections exist); idle connections are kept for the next query.

use std::sync::{Arc, Mutex};

use gleaner_store::{Store, StoreError};
use tokio::sync::Semaphore;

pub struct Pool {
    db: String,
    idle: Mutex<Vec<Box<dyn Store>>>,
    permits: Semaphore,
}

/// Why a pooled query failed.
pub enum PoolError {
    /// The store answered with an error.
    Store(StoreError),
    /// The query thread died (a bug): reported as a server error.
    Crashed,
}

impl Pool {
    /// A pool over the store `db`, opening one connection now so a bad
    /// address fails at start-up rather than on the first request.
    pub fn open(db: &str, size: usize) -> Result<Arc<Self>, StoreError> {
        let first = gleaner_store::open(db)?;
        Ok(Arc::new(Pool {
            db: db.to_string(),
            idle: Mutex::new(vec![first]),
            permits: Semaphore::new(size.max(1)),
        }))
    }

    /// Runs `f` with a connection on a blocking thread.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(|_| PoolError::Crashed)?;
        let pool = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let taken = pool.idle.lock().ok().and_then(|mut idle| idle.pop());
            let mut store = match taken {
                Some(s) => s,
                None => gleaner_store::open(&pool.db)?,
            };
            let out = f(&mut *store);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(store);
            }
            out
        })
        .await;
        match joined {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(PoolError::Store(e)),
            Err(_) => Err(PoolError::Crashed),
        }
    }
}
