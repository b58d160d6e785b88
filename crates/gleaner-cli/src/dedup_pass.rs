//! The dedup-and-merge pass: runs after each ingest, over the records it has
//! not handled yet, so it is incremental and catches up after a crash. For
//! each record: its MinHash signature and LSH band keys, every handled record
//! it is a copy of (their clusters and it become one, pointing to the
//! earliest member), and its events merged into the occurrences already
//! stored (same type, place and month, an actor compatible with any report).
//!
//! The outcome does not depend on the order records are handled in: the
//! store keeps connected components and "earliest"/"best" choices, never
//! "first handled" ones (see `gleaner_store::DedupWrite`). That is what lets
//! several ingesters share one store and still end where one clean run does;
//! passes themselves take turns (`Store::begin_dedup_pass`), since records
//! handled at the same moment could not see each other.

use anyhow::Result;
use gleaner_dedup::{Lsh, MinHasher};
use gleaner_record::Event;
use gleaner_store::{DedupWrite, MergedEvent, Store};

/// Estimated Jaccard similarity from which two records are copies.
pub const THRESHOLD: f64 = 0.5;

/// What a pass did.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
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

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !matches!(*w, "the" | "and" | "of"))
        .map(str::to_lowercase)
        .collect()
}

/// Actors are compatible when either is unknown or they share a word.
fn actors_overlap(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let wb = words(b);
            words(a).iter().any(|w| wb.contains(w))
        }
        _ => true,
    }
}

fn month(date: Option<&str>) -> String {
    date.map(|d| d.chars().take(7).collect()).unwrap_or_default()
}

/// Runs the pass until every record is handled.
pub fn run(store: &mut dyn Store) -> Result<PassStats> {
    store.begin_dedup_pass()?;
    let result = pass(store);
    // Release the turn even when the pass failed; its error is the one to report.
    let ended = store.end_dedup_pass();
    let stats = result?;
    ended?;
    Ok(stats)
}

fn pass(store: &mut dyn Store) -> Result<PassStats> {
    let hasher = MinHasher::default();
    let lsh = Lsh::new(hasher.perms() / 4, 4);
    let mut stats = PassStats::default();
    loop {
        let batch = store.unclustered(256)?;
        if batch.is_empty() {
            return Ok(stats);
        }
        for rec in batch {
            let r = &rec.record;
            let sig = hasher.signature(&r.text);
            let keys = lsh.band_keys(&sig);
            let copies: Vec<(String, f64)> = store
                .lsh_candidates(&keys)?
                .into_iter()
                .filter(|(id, _, _)| *id != r.id)
                .map(|(id, s, _)| (id, MinHasher::similarity(&sig, &s)))
                .filter(|(_, sim)| *sim >= THRESHOLD)
                .collect();
            if !copies.is_empty() {
                stats.copies += 1;
            }
            let mut events: Vec<(Vec<i64>, Event)> = Vec::new();
            let mut seen: Vec<(String, Option<String>, String)> = Vec::new();
            for ev in r.events.iter().filter(|e| !e.negated && !e.hedged) {
                let key = (ev.kind.clone(), ev.place.clone(), month(ev.date.as_deref()));
                if seen.contains(&key) {
                    continue; // the same occurrence told twice in one article
                }
                seen.push(key.clone());
                let candidates: Vec<MergedEvent> = store.event_candidates(&key.0, key.1.as_deref(), &key.2)?;
                // Every stored occurrence some report of which is compatible:
                // they all become one with this report.
                let joins: Vec<i64> = candidates
                    .iter()
                    .filter(|m| {
                        if m.sources.is_empty() {
                            actors_overlap(m.event.actor.as_deref(), ev.actor.as_deref())
                        } else {
                            m.sources
                                .iter()
                                .any(|s| actors_overlap(s.actor.as_deref(), ev.actor.as_deref()))
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
                record_id: r.id.clone(),
                signature: sig,
                band_keys: keys,
                copies,
                events,
            })?;
            stats.records += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_compatibility() {
        assert!(actors_overlap(Some("North Korean authorities"), Some("authorities")));
        assert!(actors_overlap(None, Some("Pyongyang")));
        assert!(!actors_overlap(Some("Pyongyang"), Some("Seoul")));
    }
}
