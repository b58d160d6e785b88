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

use gleaner_dedup::Policy;
use gleaner_store::{DedupStore, DedupWrite, PendingDedup, StoreError};

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
    let mut stats = PassStats::default();
    loop {
        let batch = store.pending(GROUP)?;
        if batch.is_empty() {
            return Ok(stats);
        }
        store.begin_dedup_batch()?;
        let handled = batch.iter().try_for_each(|rec| handle(store, policy, rec, &mut stats));
        store.end_dedup_batch(handled.is_ok())?;
        handled?;
    }
}

/// One pending record: its copies among handled records, its events'
/// occurrences, written in one go.
fn handle(
    store: &mut (impl DedupStore + ?Sized),
    policy: &Policy,
    rec: &PendingDedup,
    stats: &mut PassStats,
) -> Result<(), StoreError> {
    let band_keys = policy.band_keys(&rec.signature);
    let candidates = store.lsh_candidates(&band_keys)?;
    let copies = policy.copies(
        &rec.record_id,
        &rec.signature,
        candidates.iter().map(|c| (c.id.as_str(), c.signature.as_slice())),
    );
    if !copies.is_empty() {
        stats.copies += 1;
    }
    let mut events = Vec::new();
    for (key, ev) in policy.reports(&rec.events) {
        // Every stored occurrence some report of which is compatible:
        // they all become one with this report.
        let joins: Vec<i64> = store
            .event_candidates(&key)?
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
