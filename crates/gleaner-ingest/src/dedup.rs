//! The dedup-and-merge pass: runs after each ingest over the records no pass
//! has handled yet, so it is incremental and catches up after a crash. For
//! each record: its fingerprint, every handled record it is a copy of (their
//! clusters and it become one, named after the earliest member), and its
//! events merged into the occurrences already stored — all decided by
//! `gleaner_dedup::Policy`, all written by the store in one transaction.
//!
//! The outcome does not depend on the order records are handled in (the
//! store keeps connected components and "earliest" choices, never "first
//! handled" ones; see `gleaner_store::DedupWrite`). That is what lets several
//! ingesters share one store and still end where one clean run does; passes
//! themselves take turns ([`DedupStore::begin_dedup_pass`]), since records
//! handled at the same moment could not see each other.

use std::collections::HashMap;

use gleaner_dedup::Policy;
use gleaner_store::{DedupStore, DedupWrite, LshCandidate, PendingDedup, StoreError};

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PassStats {
    /// Records handled.
    pub records: u64,
    /// Of those, copies of a record handled before.
    pub copies: u64,
    /// Events that joined an occurrence already stored.
    pub events_merged: u64,
    /// Events stored as new occurrences.
    pub events_new: u64,
}

/// Runs the pass until every record is handled.
pub fn dedup_pass(store: &mut (impl DedupStore + ?Sized), policy: &Policy) -> Result<PassStats, StoreError> {
    store.begin_dedup_pass()?;
    let result = pass(store, policy);
    // Release the turn even when the pass failed; its error is the one to report.
    let ended = store.end_dedup_pass();
    let stats = result?;
    ended?;
    Ok(stats)
}

/// Records handled per group of writes that commit together.
const GROUP: usize = 64;

fn pass(store: &mut (impl DedupStore + ?Sized), policy: &Policy) -> Result<PassStats, StoreError> {
    pass_in_groups(store, policy, GROUP)
}

fn pass_in_groups(
    store: &mut (impl DedupStore + ?Sized),
    policy: &Policy,
    group: usize,
) -> Result<PassStats, StoreError> {
    let mut stats = PassStats::default();
    loop {
        let batch = store.pending(group)?;
        if batch.is_empty() {
            return Ok(stats);
        }
        store.begin_dedup_batch()?;
        let handled = handle_group(store, policy, &batch, &mut stats);
        store.end_dedup_batch(handled.is_ok())?;
        handled?;
    }
}

/// A group of pending records, handled one after another as if each looked
/// its candidates up just before its own write: the records handled before
/// the group are asked for in one lookup, and the group's earlier records
/// that share a band key with a later one are added from memory (the
/// lookup would have found them, written earlier in the group).
fn handle_group(
    store: &mut (impl DedupStore + ?Sized),
    policy: &Policy,
    batch: &[PendingDedup],
    stats: &mut PassStats,
) -> Result<(), StoreError> {
    let keys: Vec<Vec<(u32, u64)>> = batch.iter().map(|r| policy.band_keys(&r.signature)).collect();
    let stored = store.lsh_candidates_each(&keys)?;
    let mut earlier: HashMap<(u32, u64), Vec<usize>> = HashMap::new();
    for (i, ((rec, band_keys), mut candidates)) in batch.iter().zip(keys).zip(stored).enumerate() {
        let mut seen: Vec<usize> = band_keys
            .iter()
            .filter_map(|k| earlier.get(k))
            .flatten()
            .copied()
            .collect();
        seen.sort_unstable();
        seen.dedup();
        candidates.extend(seen.into_iter().map(|j| LshCandidate {
            id: batch[j].record_id.clone(),
            signature: batch[j].signature.clone(),
            // Not read by the pass; a record handled in this group is its own cluster's name until the group is written.
            cluster: batch[j].record_id.clone(),
        }));
        // The order a single lookup returns them in.
        candidates.sort_by(|a, b| a.id.cmp(&b.id));
        for k in &band_keys {
            earlier.entry(*k).or_default().push(i);
        }
        handle(store, policy, rec, band_keys, &candidates, stats)?;
    }
    Ok(())
}

/// One pending record: its copies among handled records, its events'
/// occurrences, written in one go.
fn handle(
    store: &mut (impl DedupStore + ?Sized),
    policy: &Policy,
    rec: &PendingDedup,
    band_keys: Vec<(u32, u64)>,
    candidates: &[LshCandidate],
    stats: &mut PassStats,
) -> Result<(), StoreError> {
    let copies = policy.copies(
        &rec.record_id,
        &rec.signature,
        candidates.iter().map(|c| (c.id.as_str(), c.signature.as_slice())),
    );
    if !copies.is_empty() {
        stats.copies += 1;
    }
    let mut events = Vec::new();
    let reports = policy.reports(&rec.events);
    // All the record's keys in one lookup: nothing is written between them.
    let keys: Vec<_> = reports.iter().map(|(key, _)| key.clone()).collect();
    let found = if keys.is_empty() {
        Vec::new()
    } else {
        store.event_candidates_each(&keys)?
    };
    for ((_, ev), stored) in reports.into_iter().zip(found) {
        // Every stored occurrence some report of which is compatible:
        // they all become one with this report.
        let joins: Vec<i64> = stored
            .iter()
            .filter(|m| {
                if m.sources.is_empty() {
                    policy.joins(ev.actor.as_deref(), [m.event.actor.as_deref()])
                } else {
                    policy.joins(ev.actor.as_deref(), m.sources.iter().map(|s| s.actor.as_deref()))
                }
            })
            .map(|m| m.seq)
            .collect();
        if joins.is_empty() {
            stats.events_new += 1;
        } else {
            stats.events_merged += 1;
        }
        events.push((joins, ev.clone()));
    }
    store.apply_dedup(&DedupWrite {
        record_id: rec.record_id.clone(),
        band_keys,
        copies,
        events,
    })?;
    stats.records += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gleaner_record::{InputInfo, InputKind, Record};
    use gleaner_store::{Batch, NewRecord, Store};

    /// Articles of made-up words, each told in several edited versions.
    fn corpus() -> Vec<Record> {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut out = Vec::new();
        for article in 0..60 {
            let words: Vec<String> = (0..120).map(|_| format!("w{}", next() % 5000)).collect();
            let versions = 1 + article % 4;
            for v in 0..versions {
                let mut w = words.clone();
                // A few words changed per version: still well above the copy threshold.
                for _ in 0..v {
                    let at = (next() % w.len() as u64) as usize;
                    w[at] = format!("edit{}", next() % 100);
                }
                let mut r = Record::new(InputInfo::new(InputKind::Html, "x.html", 10));
                r.set_text(w.join(" "));
                r.url = Some(format!("https://site{v}.test/{article}"));
                r.published = Some(format!("2021-01-{:02}", 1 + (next() % 28)));
                out.push(r);
            }
        }
        out
    }

    fn store_with(records: &[Record], name: &str) -> (Box<dyn Store>, std::path::PathBuf) {
        let path = std::env::temp_dir().join(format!("gleaner-pass-{}-{name}.db", std::process::id()));
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
        }
        let mut s = gleaner_store::open(&path.display().to_string()).expect("a fresh SQLite store");
        let policy = Policy::default();
        s.commit(&Batch {
            records: records.iter().map(|r| NewRecord::new(r.clone(), &policy)).collect(),
            ..Batch::default()
        })
        .expect("commit");
        (s, path)
    }

    fn clusters(s: &dyn Store, records: &[Record]) -> Vec<(String, String, Option<String>)> {
        let mut out = Vec::new();
        for r in records {
            let c = s
                .cluster_of(&r.id)
                .expect("cluster_of")
                .expect("every record is handled");
            let sim = s
                .cluster_members(&c)
                .expect("members")
                .into_iter()
                .find(|m| m.id == r.id)
                .map(|m| format!("{:.6}", m.similarity));
            out.push((r.id.clone(), c, sim));
        }
        out
    }

    /// Groups look up what was handled before them at once and add their own
    /// earlier records from memory: the clusters are those of one record at
    /// a time (a group of one looks up after every write).
    #[test]
    fn groups_end_where_one_record_at_a_time_does() {
        let records = corpus();
        let policy = Policy::default();
        let (mut grouped, p1) = store_with(&records, "grouped");
        let (mut single, p2) = store_with(&records, "single");
        let a = pass_in_groups(grouped.as_mut(), &policy, GROUP).expect("grouped pass");
        let b = pass_in_groups(single.as_mut(), &policy, 1).expect("single pass");
        assert_eq!(a, b);
        assert_eq!(a.records as usize, records.len());
        // Copies met both inside one group and across groups: the queue
        // holds a batch's records in id order.
        let mut ids: Vec<(&str, &str)> = records
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.url.as_deref().and_then(|u| u.rsplit('/').next()).unwrap_or(""),
                )
            })
            .collect();
        ids.sort();
        let pairs = |same: bool| {
            (0..ids.len()).any(|i| (i + 1..ids.len()).any(|j| ids[i].1 == ids[j].1 && (i / GROUP == j / GROUP) == same))
        };
        assert!(pairs(true) && pairs(false));
        assert!(a.copies >= 60, "{a:?}");
        let (ga, gb) = (
            clusters(grouped.as_ref(), &records),
            clusters(single.as_ref(), &records),
        );
        assert_eq!(ga, gb);
        assert!(grouped.clusters(4).expect("clusters").len() >= 10);
        drop((grouped, single));
        for p in [p1, p2] {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
            }
        }
    }
}
