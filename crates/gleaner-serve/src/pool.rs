//! A small pool of store connections for the blocking query threads.
//!
//! Store backends are synchronous and a connection is not shared between
//! threads, so each query borrows one connection for its duration. A
//! semaphore bounds how many queries run at once (and so how many
//! connections exist); idle connections are kept for the next query.
//!
//! Every query is bounded: past `timeout`, or as soon as the request that
//! asked for it is dropped (its client went away, or the request's own time
//! bound ran out), the connection's [`Interrupter`] stops it, so a costly
//! query cannot keep a reader busy for anyone.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gleaner_store::{Interrupter, Store, StoreError};
use tokio::sync::{oneshot, Semaphore};

pub struct Pool {
    db: String,
    idle: Mutex<Vec<Box<dyn Store>>>,
    permits: Semaphore,
    /// Costly queries (many words, facets) run one at a time, so they can
    /// hold one reader and one core at most whoever sends them.
    heavy: Semaphore,
    timeout: Duration,
}

/// How much a query may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// Record fetches, short searches, listings.
    Light,
    /// Searches with many words or facets.
    Heavy,
}

/// Why a pooled query failed.
pub enum PoolError {
    /// The store answered with an error.
    Store(StoreError),
    /// The query ran past its time bound and was stopped.
    TimedOut(Duration),
    /// The query thread died (a bug): reported as a server error.
    Crashed,
}

/// Stops a running query when dropped, unless disarmed: the query's
/// request is gone, so is the reason to finish it.
struct StopOnDrop(Option<Interrupter>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(i) = self.0.take() {
            i.interrupt();
        }
    }
}

impl Pool {
    /// A pool over the store `db`, opened for reading only, with all its
    /// connections opened and warmed now ([`gleaner_store::QueryStore::warm`]):
    /// a bad address fails at start-up rather than on the first request, and
    /// no request pays for reading a connection's facet table (on a store of
    /// 100,000 records the first filtered searches of a fresh server took
    /// 0.5-1.4 s under load, each connection reading its own while the
    /// others counted from the file).
    pub fn open(db: &str, size: usize, timeout: Duration) -> Result<Arc<Self>, StoreError> {
        let size = size.max(1);
        let mut idle = Vec::with_capacity(size);
        for _ in 0..size {
            let store = gleaner_store::open_read_only(db)?;
            store.warm()?;
            idle.push(store);
        }
        Ok(Arc::new(Pool {
            db: db.to_string(),
            idle: Mutex::new(idle),
            permits: Semaphore::new(size),
            heavy: Semaphore::new(1),
            timeout,
        }))
    }

    /// Runs `f` with a connection on a blocking thread, within the time bound.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        self.run_costing(Cost::Light, f).await
    }

    /// [`Pool::run`] for a query of the given cost: heavy ones take turns.
    pub async fn run_costing<T, F>(self: &Arc<Self>, cost: Cost, f: F) -> Result<T, PoolError>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let _turn = match cost {
            Cost::Heavy => Some(self.heavy.acquire().await.map_err(|_| PoolError::Crashed)?),
            Cost::Light => None,
        };
        let _permit = self.permits.acquire().await.map_err(|_| PoolError::Crashed)?;
        let pool = Arc::clone(self);
        let (started_tx, started_rx) = oneshot::channel::<Interrupter>();
        let mut job = tokio::task::spawn_blocking(move || {
            let taken = pool.idle.lock().ok().and_then(|mut idle| idle.pop());
            let mut store = match taken {
                Some(s) => s,
                None => gleaner_store::open_read_only(&pool.db)?,
            };
            let _ = started_tx.send(store.interrupter());
            let out = f(&mut *store);
            if let Ok(mut idle) = pool.idle.lock() {
                idle.push(store);
            }
            out
        });
        // The connection's interrupter arrives as soon as the query has one
        // (none when opening a connection failed: the job ends with that error).
        let interrupter = started_rx.await.ok();
        // From here on, dropping this future (the request is gone) stops the query.
        let mut stop = StopOnDrop(interrupter.clone());
        let joined = tokio::select! {
            joined = &mut job => joined,
            () = tokio::time::sleep(self.timeout) => {
                stop.0 = None;
                if let Some(i) = &interrupter {
                    i.interrupt();
                }
                let _ = job.await;
                return Err(PoolError::TimedOut(self.timeout));
            }
        };
        stop.0 = None;
        match joined {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(StoreError::Interrupted)) => Err(PoolError::TimedOut(self.timeout)),
            Ok(Err(e)) => Err(PoolError::Store(e)),
            Err(_) => Err(PoolError::Crashed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every connection the pool will use is open before the pool is
    /// handed out (and so before the server accepts a request): none is
    /// opened, nor its facet table read, on a request.
    #[test]
    fn every_connection_is_opened_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db").to_string_lossy().into_owned();
        drop(gleaner_store::open(&db).unwrap());
        let pool = Pool::open(&db, 3, Duration::from_secs(60)).unwrap();
        assert_eq!(pool.idle.lock().unwrap().len(), 3);
    }
}
