//! The write turn that the connections of one process to one store share.
//!
//! SQLite lets one connection write at a time. A connection that finds the
//! write lock taken calls its busy handler, which sleeps 1, 2, 5, 10 … 100 ms
//! between tries and so wakes long after the lock was freed. An ingest with
//! `--jobs 2` has two writing connections, the writer and the dedup pass
//! beside it ([`crate::DedupStore::connect_again`]): under `strace` one run
//! showed 38 such sleeps, 1.2 s of a 18 s ingest, while the writer slept the
//! workers' results piled up. Taking this turn before `BEGIN IMMEDIATE` and
//! giving it back after `COMMIT` hands the lock from one to the other as soon
//! as it is free, in the order they asked, and the busy handler is left to
//! serve other processes.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// A first-come-first-served lock whose holding is not tied to a scope (a
/// dedup group's transaction spans several calls). Tickets, not a plain
/// mutex: the writer gives the turn back and asks again within
/// microseconds, and must not keep the pass out for a whole ingest.
#[derive(Default)]
pub(super) struct WriteTurn {
    state: Mutex<Tickets>,
    freed: Condvar,
}

#[derive(Default)]
struct Tickets {
    /// The ticket the next caller gets.
    next: u64,
    /// The ticket whose holder may write.
    serving: u64,
}

impl WriteTurn {
    fn tickets(&self) -> MutexGuard<'_, Tickets> {
        // Two counters, always consistent: a panic elsewhere cannot leave them half-updated.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits for the turn; it is given back when the returned value is dropped.
    pub(super) fn take(self: &Arc<Self>) -> Held {
        let mut t = self.tickets();
        let mine = t.next;
        t.next += 1;
        while t.serving != mine {
            t = self.freed.wait(t).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        Held(Arc::clone(self))
    }

    /// Callers holding or waiting for the turn.
    #[cfg(test)]
    pub(super) fn queued(&self) -> u64 {
        let t = self.tickets();
        t.next - t.serving
    }
}

/// The turn, held until dropped.
pub(super) struct Held(Arc<WriteTurn>);

impl Drop for Held {
    fn drop(&mut self) {
        let turn = &self.0;
        turn.tickets().serving += 1;
        // Every waiter checks whether its ticket came up.
        turn.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_turn_goes_to_callers_in_the_order_they_asked() {
        let turn = Arc::new(WriteTurn::default());
        let first = turn.take();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for i in 0..4u64 {
            let (mine, order) = (Arc::clone(&turn), Arc::clone(&order));
            waiting.push(std::thread::spawn(move || {
                let _held = mine.take();
                order.lock().unwrap().push(i);
            }));
            // The next thread asks only once this one is queued.
            while turn.queued() < i + 2 {
                std::thread::yield_now();
            }
        }
        assert!(order.lock().unwrap().is_empty(), "nobody writes while the turn is held");
        drop(first);
        for w in waiting {
            w.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3]);
        assert_eq!(turn.queued(), 0);
    }
}
