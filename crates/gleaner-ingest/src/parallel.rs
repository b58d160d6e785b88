//! The one ordered-parallel helper: work on several threads, results in
//! input order. `gleaner extract`, the ingest engine and the Python package
//! all run through it.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

/// Where the work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workers {
    /// On the calling thread, one item after another (nothing else runs
    /// beside it: `--jobs 1` of `gleaner extract`).
    Inline,
    /// On this many worker threads, with the items taken from the iterator
    /// on a thread of its own (reading and decompressing overlap the work).
    Threads(usize),
}

impl Workers {
    /// `jobs` as the command line gives it: `None` for every core, 1 for
    /// inline.
    pub fn from_jobs(jobs: Option<usize>) -> Workers {
        match jobs.unwrap_or_else(all_cores) {
            0 | 1 => Workers::Inline,
            n => Workers::Threads(n),
        }
    }
}

/// The machine's cores (1 when unknown).
pub fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Applies `work` to every item and hands the results to `sink` in input
/// order, on the calling thread. Items are handed out one at a time, so a
/// slow one does not hold up a share; at most a few results per worker wait
/// for their turn. When `sink` fails, the workers stop and its error is
/// returned.
pub fn ordered_map<T, R, E, I>(
    items: I,
    workers: Workers,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    I: IntoIterator<Item = T>,
    I::IntoIter: Send,
    T: Send,
    R: Send,
{
    let jobs = match workers {
        Workers::Inline => {
            for item in items {
                sink(work(item))?;
            }
            return Ok(());
        }
        Workers::Threads(n) => n.max(1),
    };
    let items = items.into_iter();
    let (in_tx, in_rx) = mpsc::sync_channel::<(u64, T)>(jobs * 8);
    let (out_tx, out_rx) = mpsc::sync_channel::<(u64, R)>(jobs * 8);
    let in_rx = Arc::new(Mutex::new(in_rx));
    std::thread::scope(|s| {
        // Named threads, so a profile tells reading from working from writing
        // (the caller's thread).
        // A thread the system refuses to start is a panic, as with
        // `thread::spawn`: carrying on without it would drop items unseen.
        let feeder = std::thread::Builder::new().name("gleaner-read".into());
        feeder
            .spawn_scoped(s, move || {
                for (seq, item) in (0u64..).zip(items) {
                    if in_tx.send((seq, item)).is_err() {
                        return; // the caller stopped
                    }
                }
            })
            .expect("the system refused to start a thread");
        for _ in 0..jobs {
            let (in_rx, out_tx, work) = (Arc::clone(&in_rx), out_tx.clone(), &work);
            let worker = std::thread::Builder::new().name("gleaner-work".into());
            worker
                .spawn_scoped(s, move || {
                    while let Some((seq, item)) = next(&in_rx) {
                        if out_tx.send((seq, work(item))).is_err() {
                            return;
                        }
                    }
                })
                .expect("the system refused to start a thread");
        }
        // Only the workers may hold these: when they stop, the feeder's sends
        // must fail rather than block on a channel nobody drains.
        drop(in_rx);
        drop(out_tx);
        // Results arrive in any order; hand them out in sequence.
        let mut waiting = BTreeMap::new();
        let mut want = 0u64;
        for (seq, r) in out_rx {
            waiting.insert(seq, r);
            while let Some(r) = waiting.remove(&want) {
                want += 1;
                // Returning drops the result channel: workers and the feeder
                // see their sends fail and stop, so the scope can end.
                sink(r)?;
            }
        }
        Ok(())
    })
}

fn next<T>(rx: &Mutex<Receiver<T>>) -> Option<T> {
    rx.lock().ok()?.recv().ok()
}

/// [`ordered_map`] into a vector.
pub fn map_ordered<T: Send, R: Send>(items: Vec<T>, workers: Workers, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let mut out = Vec::with_capacity(items.len());
    let pushed: Result<(), std::convert::Infallible> = ordered_map(items, workers, work, |r| {
        out.push(r);
        Ok(())
    });
    let Ok(()) = pushed;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_on_many_threads() {
        let items: Vec<u64> = (0..200).collect();
        // Later items finish first, so order can only come from the reordering.
        let out = map_ordered(items, Workers::Threads(4), |i| {
            std::thread::sleep(std::time::Duration::from_micros(200 - i));
            i * 2
        });
        assert_eq!(out, (0..200).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(map_ordered(vec![1, 2, 3], Workers::Inline, |i| i + 1), vec![2, 3, 4]);
    }

    #[test]
    fn a_failing_sink_stops_the_work() {
        let done = std::sync::atomic::AtomicUsize::new(0);
        let mut seen = Vec::new();
        let r = ordered_map(
            0..1_000_000u64,
            Workers::Threads(2),
            |i| {
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                i
            },
            |i| {
                seen.push(i);
                if i == 10 {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("stop"));
        assert_eq!(seen, (0..=10).collect::<Vec<_>>());
        // The channels are bounded: the workers stopped long before the end.
        assert!(done.load(std::sync::atomic::Ordering::Relaxed) < 1_000);
    }
}
