//! Politeness and load: one request at a time per host, at least an
//! interval between the end of one request to a host and the start of the
//! next (so a slow server is never asked faster than the interval, and the
//! server sees the spacing whatever the network adds), and at most N
//! requests in flight over all hosts.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    in_flight: usize,
    hosts: HashMap<String, Host>,
}

#[derive(Default)]
struct Host {
    busy: bool,
    /// When the next request to the host may start.
    next: Option<Instant>,
    /// The spacing the request in flight asked for.
    gap: Duration,
}

/// The gate every request passes.
pub struct Gate {
    interval: Duration,
    concurrency: usize,
    state: Mutex<State>,
    changed: Condvar,
}

/// A request in flight: dropping it lets the next request to its host (and
/// one more anywhere) go.
pub struct Pass<'a> {
    gate: &'a Gate,
    host: String,
}

impl Gate {
    /// A gate spacing request starts to one host by `interval`, with at most
    /// `concurrency` requests in flight.
    pub fn new(interval: Duration, concurrency: usize) -> Self {
        Gate {
            interval,
            concurrency: concurrency.max(1),
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        }
    }

    /// Waits until a request to `host` may start, at least `at_least`
    /// after the previous one (the host's robots.txt `Crawl-delay` when it
    /// asks for more than the interval).
    pub fn enter(&self, host: &str, at_least: Duration) -> Pass<'_> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            let free = st.in_flight < self.concurrency;
            let h = st.hosts.entry(host.to_string()).or_default();
            let wait = h.next.map_or(Duration::ZERO, |n| n.saturating_duration_since(now));
            if free && !h.busy && wait.is_zero() {
                h.busy = true;
                h.gap = self.interval.max(at_least);
                h.next = Some(now + h.gap);
                st.in_flight += 1;
                return Pass {
                    gate: self,
                    host: host.to_string(),
                };
            }
            st = if !free || h.busy {
                self.changed.wait(st).unwrap_or_else(|e| e.into_inner())
            } else {
                self.changed.wait_timeout(st, wait).unwrap_or_else(|e| e.into_inner()).0
            };
        }
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut st = self.gate.state.lock().unwrap_or_else(|e| e.into_inner());
        st.in_flight = st.in_flight.saturating_sub(1);
        if let Some(h) = st.hosts.get_mut(&self.host) {
            h.busy = false;
            let after = Instant::now() + h.gap;
            h.next = Some(h.next.map_or(after, |n| n.max(after)));
        }
        drop(st);
        self.gate.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_to_one_host_are_spaced_and_others_are_not_held_up() {
        let gate = Gate::new(Duration::from_millis(60), 4);
        let t0 = Instant::now();
        drop(gate.enter("a", Duration::ZERO));
        drop(gate.enter("b", Duration::ZERO));
        assert!(
            t0.elapsed() < Duration::from_millis(50),
            "another host waits for nothing"
        );
        drop(gate.enter("a", Duration::ZERO));
        assert!(
            t0.elapsed() >= Duration::from_millis(60),
            "the same host waits its interval"
        );
        drop(gate.enter("a", Duration::from_millis(150)));
        let t1 = Instant::now();
        drop(gate.enter("a", Duration::ZERO));
        assert!(
            t1.elapsed() >= Duration::from_millis(140),
            "a longer crawl delay is kept"
        );
    }

    #[test]
    fn concurrency_is_capped() {
        let gate = std::sync::Arc::new(Gate::new(Duration::ZERO, 1));
        let held = gate.enter("a", Duration::ZERO);
        let g = std::sync::Arc::clone(&gate);
        let t = std::thread::spawn(move || {
            let t0 = Instant::now();
            drop(g.enter("b", Duration::ZERO));
            t0.elapsed()
        });
        std::thread::sleep(Duration::from_millis(80));
        drop(held);
        assert!(t.join().unwrap() >= Duration::from_millis(70));
    }
}
