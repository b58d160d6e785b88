//! The connection loop: hyper's HTTP/1 server under limits a public-facing
//! server needs and `axum::serve` does not give.
//!
//! - A header timeout, which also closes idle keep-alive connections: a
//!   client must send a complete request head within it, each time.
//! - A cap on open connections, below the process's file descriptor limit.
//!   At the cap, the oldest connection that has not yet sent a single
//!   request is closed to make room (that is what an idle-socket flood
//!   holds); only when every connection is busy is the new one refused. A
//!   normal client, which sends its request as soon as it connects, keeps
//!   being served during a flood.
//! - Shutdown on Ctrl-C or SIGTERM stops accepting, lets requests in flight
//!   finish, and gives up on them after a deadline.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt;

/// The limits the loop enforces.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time a client has to send a complete request head (and the longest a
    /// keep-alive connection may sit idle).
    pub header_timeout: Duration,
    /// Open connections at most.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
}

/// An open connection, as the cap sees it.
struct Open {
    id: u64,
    /// Set once the connection has sent a complete request head.
    served: Arc<AtomicBool>,
    /// Closes the connection when sent (or dropped).
    close: oneshot::Sender<()>,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Registry {
    open: Mutex<VecDeque<Open>>,
}

impl Registry {
    /// Makes room for one more connection: `true` when there is room (after
    /// closing the oldest connection that never sent a request, if needed).
    fn make_room(&self, cap: usize) -> bool {
        let Ok(mut open) = self.open.lock() else { return false };
        if open.len() < cap {
            return true;
        }
        match open.iter().position(|o| !o.served.load(Ordering::Relaxed)) {
            Some(i) => {
                if let Some(idle) = open.remove(i) {
                    let _ = idle.close.send(());
                }
                true
            }
            None => false,
        }
    }

    fn add(&self, open: Open) {
        if let Ok(mut all) = self.open.lock() {
            all.push_back(open);
        }
    }

    fn remove(&self, id: u64) {
        if let Ok(mut all) = self.open.lock() {
            all.retain(|o| o.id != id);
        }
    }
}

/// Raises the soft limit on open files to the hard limit (as servers do)
/// and answers the connection cap that leaves room for the store, logs and
/// uploads under it.
pub fn connection_cap(wanted: usize) -> usize {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    let limit = unsafe {
        let mut rl = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) != 0 {
            return wanted.min(256);
        }
        if rl.rlim_cur < rl.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: rl.rlim_max,
                rlim_max: rl.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                rl.rlim_cur = rl.rlim_max;
            }
        }
        rl.rlim_cur
    };
    let reserve = 128;
    let room = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(reserve)
        .max(16);
    wanted.min(room)
}

/// Serves `app` on `listener` until `shutdown` completes, then drains.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let registry = Arc::new(Registry::default());
    let graceful = GracefulShutdown::new();
    let next_id = AtomicU64::new(0);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer): (tokio::net::TcpStream, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors or a connection reset before it was
                // accepted: wait a little rather than spin, and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if !registry.make_room(limits.max_connections) {
            drop(stream); // every connection is busy with a request: refuse this one
            continue;
        }
        let id = next_id.fetch_add(1, Ordering::Relaxed);
        let served = Arc::new(AtomicBool::new(false));
        let (close, closed) = oneshot::channel();
        registry.add(Open {
            id,
            served: Arc::clone(&served),
            close,
        });
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            served.store(true, Ordering::Relaxed);
            app.clone().oneshot(req)
        });
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        let registry = Arc::clone(&registry);
        tokio::spawn(async move {
            tokio::select! {
                _ = conn => {}
                _ = closed => {} // evicted to make room: dropping the connection closes it
            }
            registry.remove(id);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("gleaner: requests still running after {:?}; stopping anyway\n", limits.shutdown_grace).as_bytes(),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(id: u64, served: bool) -> (Open, oneshot::Receiver<()>) {
        let (close, closed) = oneshot::channel();
        (
            Open {
                id,
                served: Arc::new(AtomicBool::new(served)),
                close,
            },
            closed,
        )
    }

    #[test]
    fn at_the_cap_the_oldest_idle_connection_makes_room() {
        let r = Registry::default();
        let (a, mut a_closed) = open(0, true);
        let (b, mut b_closed) = open(1, false);
        let (c, mut c_closed) = open(2, false);
        r.add(a);
        r.add(b);
        r.add(c);
        assert!(r.make_room(4), "under the cap");
        assert!(r.make_room(3), "at the cap, an idle one goes");
        assert!(a_closed.try_recv().is_err(), "a busy connection stays");
        assert!(b_closed.try_recv().is_ok(), "the oldest idle one is closed");
        assert!(c_closed.try_recv().is_err());
        r.remove(2);
        assert!(!r.make_room(1), "only busy connections left: refuse");
        assert!(a_closed.try_recv().is_err());
    }

    #[test]
    fn the_cap_stays_under_the_file_limit() {
        let cap = connection_cap(usize::MAX);
        assert!((16..usize::MAX).contains(&cap));
        assert_eq!(connection_cap(10), 10);
    }
}
