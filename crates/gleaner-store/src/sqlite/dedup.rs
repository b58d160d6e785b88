//! The dedup-and-merge pass's side of the SQLite store: pending records and
//! candidates in, clusters and merged events out, one transaction per
//! record or per group of them.

use gleaner_dedup::{rank, EventKey};
use rusqlite::{params, OptionalExtension};

use super::SqliteStore;
use crate::rules::sig_values;
use crate::{DedupStore, DedupWrite, LshCandidate, MergedEvent, PendingDedup, Store, StoreError};

impl DedupStore for SqliteStore {
    /// Passes of all processes on this file take turns: an exclusive lock on
    /// a file beside the database (released by the system if the process
    /// dies), as PostgreSQL's advisory lock does for a shared store.
    fn begin_dedup_pass(&mut self) -> Result<(), StoreError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.pass_lock_path())?;
        file.lock()?;
        self.pass_lock = Some(file);
        Ok(())
    }

    fn end_dedup_pass(&mut self) -> Result<(), StoreError> {
        if let Some(file) = self.pass_lock.take() {
            file.unlock()?;
        }
        Ok(())
    }

    fn pending(&self, limit: usize) -> Result<Vec<PendingDedup>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT q.record_id, r.published, s.sig, q.events FROM dedup_queue q
             JOIN records r ON r.id = q.record_id JOIN signatures s ON s.record_id = q.record_id
             ORDER BY q.seq LIMIT ?1",
        )?;
        let rows: Vec<(String, Option<String>, Vec<u8>, String)> = stmt
            .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(record_id, published, sig, events)| {
                Ok(PendingDedup {
                    record_id,
                    published,
                    signature: sig_values(&sig),
                    events: serde_json::from_str(&events)?,
                })
            })
            .collect()
    }

    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<LshCandidate>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // One statement for all band keys: the keys as a VALUES list that
        // CROSS JOIN puts first, so SQLite searches the (band, key) index
        // once per key (left to itself it scans the lsh table, having no
        // statistics about a VALUES list). The statement is cached by its
        // text; the number of bands is fixed by the policy.
        let values = (0..keys.len())
            .map(|i| format!("(?{}, ?{})", 2 * i + 1, 2 * i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.record_id, s.sig, c.cluster FROM signatures s JOIN clusters c ON c.record_id = s.record_id
             WHERE s.record_id IN (SELECT l.record_id FROM (VALUES {values}) k
                                   CROSS JOIN lsh l ON l.band = k.column1 AND l.key = k.column2)
             ORDER BY s.record_id"
        ))?;
        let args: Vec<i64> = keys
            .iter()
            .flat_map(|&(band, key)| [i64::from(band), key as i64])
            .collect();
        let rows = stmt.query_map(rusqlite::params_from_iter(&args), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, String>(2)?))
        })?;
        rows.map(|row| {
            let (id, blob, cluster) = row?;
            Ok(LshCandidate {
                id,
                signature: sig_values(&blob),
                cluster,
            })
        })
        .collect()
    }

    fn event_candidates(&self, key: &EventKey) -> Result<Vec<MergedEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq FROM events WHERE type = ?1 AND place IS ?2 AND coalesce(substr(date, 1, 7), '') = ?3 ORDER BY rank",
        )?;
        let seqs: Vec<i64> = stmt
            .query_map(params![key.kind, key.place, key.month], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // Merging compares the actors of every source.
        seqs.into_iter().map(|s| self.merged_event(s, true)).collect()
    }

    fn apply_dedup(&mut self, w: &DedupWrite) -> Result<(), StoreError> {
        if self.dedup_batch {
            // Inside the group's transaction. No savepoint per record: a
            // failed write fails the group, whose transaction is rolled back
            // whole (`end_dedup_batch(false)`), and the records stay queued.
            return write_dedup(&self.conn, w);
        }
        let _turn = self.turn.take();
        // Immediate: take the write lock first. A deferred transaction that
        // reads and then writes fails at once ("database is locked") when
        // another ingester wrote in between, whatever the busy timeout.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_dedup(&tx, w)?;
        tx.commit()?;
        Ok(())
    }

    fn begin_dedup_batch(&mut self) -> Result<(), StoreError> {
        if !self.dedup_batch {
            // Given back when BEGIN fails, as `held` is then not set.
            let turn = self.turn.take();
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.held = Some(turn);
            self.dedup_batch = true;
        }
        Ok(())
    }

    fn end_dedup_batch(&mut self, commit: bool) -> Result<(), StoreError> {
        if self.dedup_batch {
            self.dedup_batch = false;
            let ended = self.conn.execute_batch(if commit { "COMMIT" } else { "ROLLBACK" });
            self.held = None;
            ended?;
        }
        Ok(())
    }

    fn connect_again(&self) -> Result<Box<dyn Store>, StoreError> {
        Ok(Box::new(self.again()?))
    }
}

impl SqliteStore {
    /// A second connection to the same file that takes the write turn in
    /// turn with this one (see `turn.rs`).
    pub(super) fn again(&self) -> Result<SqliteStore, StoreError> {
        let mut again = SqliteStore::open(&self.path)?;
        again.turn = std::sync::Arc::clone(&self.turn);
        Ok(again)
    }
}

/// One record's dedup-and-merge result, written on `tx` (a transaction the
/// caller commits). Every statement is cached: the pass runs this once per
/// record, and parsing the SQL anew each time was a third of its time.
fn write_dedup(tx: &rusqlite::Connection, w: &DedupWrite) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM dedup_queue WHERE record_id = ?1")?
        .execute([&w.record_id])?;
    // No earlier band keys to remove: a record is handled once, and its
    // cluster row (written in this same transaction) marks it done.
    let mut lsh = tx.prepare_cached("INSERT INTO lsh (band, key, record_id) VALUES (?1, ?2, ?3)")?;
    for &(band, key) in &w.band_keys {
        lsh.execute(params![band, key as i64, w.record_id])?;
    }
    // The clusters this record links, its own included, become one,
    // named by its earliest member.
    let mut joined: Vec<String> = vec![w.record_id.clone()];
    let mut cluster_of = tx.prepare_cached("SELECT cluster FROM clusters WHERE record_id = ?1")?;
    for (copy, _) in &w.copies {
        if let Some(c) = cluster_of.query_row([copy], |r| r.get::<_, String>(0)).optional()? {
            joined.push(c);
        }
    }
    joined.sort();
    joined.dedup();
    let best = w.copies.iter().map(|c| c.1).reduce(f64::max);
    tx.prepare_cached("INSERT OR REPLACE INTO clusters (record_id, cluster, similarity) VALUES (?1, ?1, ?2)")?
        .execute(params![w.record_id, best])?;
    let mut raise =
        tx.prepare_cached("UPDATE clusters SET similarity = max(coalesce(similarity, 0), ?1) WHERE record_id = ?2")?;
    for (copy, sim) in &w.copies {
        raise.execute(params![sim, copy])?;
    }
    if joined.len() > 1 {
        // Cached by their text: the arity is mostly 2 (a copy joining one
        // cluster), so the same few statements serve.
        let marks = vec!["?"; joined.len()].join(",");
        let earliest: String = tx
            .prepare_cached(&format!(
                "SELECT id FROM records WHERE id IN ({marks}) ORDER BY coalesce(published, '9999'), id LIMIT 1"
            ))?
            .query_row(rusqlite::params_from_iter(&joined), |r| r.get(0))?;
        let mut args = vec![earliest];
        args.extend(joined.iter().cloned());
        // Only the members whose name changes: a copy joining a big cluster
        // (a story reprinted 500 times) renames its own row, not the other
        // 500 again, which made the pass quadratic in a cluster's size.
        let marks = (2..=joined.len() + 1)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(",");
        tx.prepare_cached(&format!(
            "UPDATE clusters SET cluster = ?1 WHERE cluster IN ({marks}) AND cluster <> ?1"
        ))?
        .execute(rusqlite::params_from_iter(&args))?;
    }
    let published: Option<String> = tx
        .prepare_cached("SELECT published FROM records WHERE id = ?1")?
        .query_row([&w.record_id], |r| r.get(0))
        .optional()?
        .flatten();
    let my_rank = rank(published.as_deref(), &w.record_id);
    for (groups, ev) in &w.events {
        // The merged event whose shown report ranks first absorbs the others.
        let mut ranked: Vec<(String, i64)> = Vec::new();
        let mut rank_of = tx.prepare_cached("SELECT rank FROM events WHERE seq = ?1")?;
        for &g in groups {
            if let Some(r) = rank_of.query_row([g], |r| r.get::<_, String>(0)).optional()? {
                ranked.push((r, g));
            }
        }
        ranked.sort();
        let seq = match ranked.first() {
            Some((top, seq)) => {
                let seq = *seq;
                for &(_, other) in &ranked[1..] {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank)
                         SELECT ?1, record_id, evidence, attributed_to, actor, rank FROM event_sources WHERE event_seq = ?2",
                    )?
                    .execute(params![seq, other])?;
                    tx.prepare_cached("DELETE FROM event_sources WHERE event_seq = ?1")?
                        .execute([other])?;
                    tx.prepare_cached("DELETE FROM events WHERE seq = ?1")?
                        .execute([other])?;
                }
                if my_rank < *top {
                    tx.prepare_cached(
                        "UPDATE events SET type = ?1, subtype = ?2, actor = ?3, target = ?4, place = ?5, date = ?6, json = ?7, rank = ?8
                         WHERE seq = ?9",
                    )?
                    .execute(params![ev.kind, ev.subtype, ev.actor, ev.target, ev.place, ev.date, serde_json::to_string(ev)?, my_rank, seq])?;
                }
                seq
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO events (type, subtype, actor, target, place, date, json, rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![ev.kind, ev.subtype, ev.actor, ev.target, ev.place, ev.date, serde_json::to_string(ev)?, my_rank])?;
                tx.last_insert_rowid()
            }
        };
        tx.prepare_cached(
            "INSERT OR IGNORE INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![seq, w.record_id, ev.evidence, ev.attributed_to, ev.actor, my_rank])?;
    }
    Ok(())
}
