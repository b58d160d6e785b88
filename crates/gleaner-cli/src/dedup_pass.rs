//! The dedup-and-merge pass: runs after each ingest, over the records it has
//! not handled yet (oldest first), so it is incremental and catches up after
//! a crash. For each record: its MinHash signature and LSH band keys, the
//! cluster of the most similar earlier copy (or a new one), the earliest copy
//! as `syndication.duplicate_of`, and its events merged into the occurrences
//! already stored (same type, place and month, compatible actors).

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
    /// Of those, copies of an earlier record.
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
            let best = store
                .lsh_candidates(&keys)?
                .into_iter()
                .filter(|(id, _, _)| *id != r.id)
                .map(|(_, s, cluster)| (MinHasher::similarity(&sig, &s), cluster))
                .filter(|(sim, _)| *sim >= THRESHOLD)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let (cluster, similarity, duplicate_of) = match best {
                Some((sim, cluster)) => {
                    stats.copies += 1;
                    // The earliest copy: first by publication date, then by arrival.
                    let earliest = store.cluster_members(&cluster)?.into_iter().next().map(|m| m.id);
                    (cluster, sim, earliest)
                }
                None => (r.id.clone(), 1.0, None),
            };
            let mut events: Vec<(Option<i64>, Event)> = Vec::new();
            let mut seen: Vec<(String, Option<String>, String)> = Vec::new();
            for ev in r.events.iter().filter(|e| !e.negated && !e.hedged) {
                let key = (ev.kind.clone(), ev.place.clone(), month(ev.date.as_deref()));
                if seen.contains(&key) {
                    continue; // the same occurrence told twice in one article
                }
                seen.push(key.clone());
                let candidates: Vec<MergedEvent> = store.event_candidates(&key.0, key.1.as_deref(), &key.2)?;
                let matched = candidates.iter().find(|m| actors_overlap(m.event.actor.as_deref(), ev.actor.as_deref()));
                match matched {
                    Some(m) => {
                        stats.events_merged += 1;
                        events.push((Some(m.seq), ev.clone()));
                    }
                    None => {
                        stats.events_new += 1;
                        events.push((None, ev.clone()));
                    }
                }
            }
            store.apply_dedup(&DedupWrite {
                record_id: r.id.clone(),
                signature: sig,
                band_keys: keys,
                cluster,
                similarity,
                duplicate_of: duplicate_of.filter(|d| *d != r.id),
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
