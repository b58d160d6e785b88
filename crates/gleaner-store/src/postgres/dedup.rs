//! The dedup-and-merge pass's side of the PostgreSQL store: passes take
//! turns under a session advisory lock; each record's result is written in
//! a few round trips (data-modifying CTEs).

use gleaner_dedup::{rank, EventKey};

use postgres::GenericClient;

use super::{clean, clean_opt, PgStore, Statements, LOCK_DEDUP_PASS};
use crate::rules::sig_values;
use crate::{DedupStore, DedupWrite, LshCandidate, MergedEvent, PendingDedup, Store, StoreError};

impl DedupStore for PgStore {
    fn begin_dedup_pass(&mut self) -> Result<(), StoreError> {
        // A session lock: held across the pass's transactions, and released
        // by the server if this process dies.
        self.db_mut()
            .execute("SELECT pg_advisory_lock($1)", &[&LOCK_DEDUP_PASS])?;
        Ok(())
    }

    fn end_dedup_pass(&mut self) -> Result<(), StoreError> {
        self.db_mut()
            .execute("SELECT pg_advisory_unlock($1)", &[&LOCK_DEDUP_PASS])?;
        Ok(())
    }

    fn pending(&self, limit: usize) -> Result<Vec<PendingDedup>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        let rows = cache.query(
            db,
            "SELECT q.record_id, r.published, s.sig, q.events FROM dedup_queue q
             JOIN records r ON r.id = q.record_id JOIN signatures s ON s.record_id = q.record_id
             ORDER BY q.seq LIMIT $1",
            &[&(limit as i64)],
        )?;
        rows.iter()
            .map(|r| {
                let sig: Vec<u8> = r.try_get(2)?;
                Ok(PendingDedup {
                    record_id: r.try_get(0)?,
                    published: r.try_get(1)?,
                    signature: sig_values(&sig),
                    events: serde_json::from_str(r.try_get::<_, &str>(3)?)?,
                })
            })
            .collect()
    }

    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<LshCandidate>, StoreError> {
        let bands: Vec<i32> = keys.iter().map(|k| k.0 as i32).collect();
        let values: Vec<i64> = keys.iter().map(|k| k.1 as i64).collect();
        // One round trip: the band keys as two arrays.
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        let stmt = cache.get(
            db,
            "SELECT s.record_id, s.sig, c.cluster FROM signatures s JOIN clusters c ON c.record_id = s.record_id
             WHERE s.record_id IN (SELECT l.record_id FROM lsh l JOIN unnest($1::INTEGER[], $2::BIGINT[]) k (band, key)
                                   ON l.band = k.band AND l.key = k.key)
             ORDER BY s.record_id",
        )?;
        let rows = db.query(&stmt, &[&bands, &values])?;
        rows.iter()
            .map(|r| {
                let blob: Vec<u8> = r.try_get(1)?;
                Ok(LshCandidate {
                    id: r.try_get(0)?,
                    signature: sig_values(&blob),
                    cluster: r.try_get(2)?,
                })
            })
            .collect()
    }

    fn event_candidates(&self, key: &EventKey) -> Result<Vec<MergedEvent>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        let rows = cache.query(
            db,
            "SELECT seq, json FROM events WHERE type = $1 AND place IS NOT DISTINCT FROM $2
               AND coalesce(substr(date, 1, 7), '') = $3 ORDER BY rank",
            &[&key.kind, &key.place, &key.month],
        )?;
        let events = rows
            .iter()
            .map(|r| {
                Ok(MergedEvent {
                    seq: r.try_get(0)?,
                    event: serde_json::from_str(r.try_get::<_, &str>(1)?)?,
                    sources: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        if events.is_empty() {
            return Ok(events);
        }
        // Merging compares the actors of every source.
        Self::with_sources(db, cache, events)
    }

    fn apply_dedup(&mut self, w: &DedupWrite) -> Result<(), StoreError> {
        let batch = self.dedup_batch;
        // Counted as tried: a group rolled back only brings a refresh forward.
        self.dedup_stats.written += 1;
        let (client, cache) = self.conn_mut().parts();
        if batch {
            // Inside the group's transaction (begun by hand, so the client's
            // own transaction type cannot nest). No savepoint per record (two
            // round trips each): a failed write fails the group, which the
            // pass rolls back whole, and its records stay queued.
            return write_dedup(client, cache, w);
        }
        let mut tx = client.transaction()?;
        write_dedup(&mut tx, cache, w)?;
        tx.commit()?;
        self.refresh_stats_when_grown()
    }

    fn begin_dedup_batch(&mut self) -> Result<(), StoreError> {
        if !self.dedup_batch {
            self.db_mut().batch_execute("BEGIN")?;
            self.dedup_batch = true;
        }
        Ok(())
    }

    fn end_dedup_batch(&mut self, commit: bool) -> Result<(), StoreError> {
        if self.dedup_batch {
            self.dedup_batch = false;
            self.db_mut()
                .batch_execute(if commit { "COMMIT" } else { "ROLLBACK" })?;
        }
        self.refresh_stats_when_grown()
    }

    fn connect_again(&self) -> Result<Box<dyn Store>, StoreError> {
        Ok(Box::new(PgStore::open(&self.url)?))
    }
}

/// When the tables the pass reads were last measured for the planner.
///
/// A prepared statement keeps the plan made from the statistics it was first
/// planned with. A store filled by its first ingest has none worth the name
/// (autovacuum measures a table a minute or more after it grew), so the
/// band-key lookup kept the plan for an empty `lsh`: a scan of the whole
/// table for every record, 7 ms a record at 3,600 records and growing with
/// the store (`pg_stat_statements`, issue 16). So the pass measures the
/// tables itself each time they have doubled since it last did: a handful
/// of `ANALYZE`s over any ingest, each of which also makes the server plan
/// the cached statements again.
#[derive(Debug, Default)]
pub(super) struct StatsClock {
    /// Records the pass wrote since the last measurement.
    written: u64,
    /// Records the server counted at its last measurement (`None`: not read yet).
    measured: Option<u64>,
}

/// The fewest records written before the statistics are worth refreshing.
const STATS_MIN_GROWTH: u64 = 256;

impl PgStore {
    fn refresh_stats_when_grown(&mut self) -> Result<(), StoreError> {
        if self.dedup_batch {
            return Ok(()); // ANALYZE waits for the group's commit
        }
        let measured = match self.dedup_stats.measured {
            Some(n) => n,
            None => self.measured_records()?,
        };
        self.dedup_stats.measured = Some(measured);
        if self.dedup_stats.written < measured.max(STATS_MIN_GROWTH) {
            return Ok(());
        }
        self.db_mut()
            .batch_execute("ANALYZE lsh, signatures, clusters, events, event_sources")?;
        self.dedup_stats.measured = Some(self.measured_records()?);
        self.dedup_stats.written = 0;
        Ok(())
    }

    /// The records the server last counted for the planner (0 for never).
    fn measured_records(&mut self) -> Result<u64, StoreError> {
        let row = self.db_mut().query_one(
            "SELECT greatest(reltuples, 0)::BIGINT FROM pg_class WHERE oid = 'signatures'::regclass",
            &[],
        )?;
        Ok(row.try_get::<_, i64>(0)?.max(0) as u64)
    }
}

/// One record's dedup-and-merge result, written on `db` (a transaction, or
/// the client inside a group's transaction).
fn write_dedup(db: &mut impl GenericClient, cache: &mut Statements, w: &DedupWrite) -> Result<(), StoreError> {
    let bands: Vec<i32> = w.band_keys.iter().map(|k| k.0 as i32).collect();
    let values: Vec<i64> = w.band_keys.iter().map(|k| k.1 as i64).collect();
    let copy_ids: Vec<&str> = w.copies.iter().map(|c| c.0.as_str()).collect();
    let copy_sims: Vec<f64> = w.copies.iter().map(|c| c.1).collect();
    let best = w.copies.iter().map(|c| c.1).reduce(f64::max);
    // One round trip for the record's own rows: its queue entry, its band
    // keys (none to remove: a record is handled once, and its cluster
    // row marks it done), its copies' best similarity, its cluster row;
    // and back its publication date and the clusters of its copies.
    let row = cache.query_one(
        db,
        "WITH queued AS (
             DELETE FROM dedup_queue WHERE record_id = $1),
         bands AS (
             INSERT INTO lsh (band, key, record_id) SELECT band, key, $1 FROM unnest($2::INTEGER[], $3::BIGINT[]) k (band, key)),
         sims AS (
             UPDATE clusters c SET similarity = greatest(coalesce(c.similarity, 0), v.sim)
             FROM (SELECT id, max(sim) sim FROM unnest($4::TEXT[], $5::FLOAT8[]) u (id, sim) GROUP BY id) v
             WHERE c.record_id = v.id),
         mine AS (
             INSERT INTO clusters (record_id, cluster, similarity) VALUES ($1, $1, $6)
             ON CONFLICT (record_id) DO UPDATE SET cluster = excluded.cluster, similarity = excluded.similarity)
         SELECT (SELECT published FROM records WHERE id = $1),
                ARRAY(SELECT DISTINCT cluster FROM clusters WHERE record_id = ANY($4))",
        &[&w.record_id, &bands, &values, &copy_ids, &copy_sims, &best],
    )?;
    let published: Option<String> = row.try_get(0)?;
    // The clusters this record links, its own included, become one,
    // named by its earliest member.
    let mut joined: Vec<String> = row.try_get(1)?;
    joined.push(w.record_id.clone());
    joined.sort();
    joined.dedup();
    if joined.len() > 1 {
        cache.execute(
            db,
            // Only the members whose name changes (not a big cluster's
            // every row again for each copy that joins it).
            "WITH earliest AS (SELECT id FROM records WHERE id = ANY($1) ORDER BY coalesce(published, '9999'), id LIMIT 1)
             UPDATE clusters c SET cluster = earliest.id FROM earliest
             WHERE c.cluster = ANY($1) AND c.cluster <> earliest.id",
            &[&joined],
        )?;
    }
    let my_rank = rank(published.as_deref(), &w.record_id);
    for (groups, ev) in &w.events {
        // The merged event whose shown report ranks first absorbs the others.
        let mut ranked: Vec<(String, i64)> = cache
            .query(db, "SELECT rank, seq FROM events WHERE seq = ANY($1)", &[groups])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, StoreError>>()?;
        ranked.sort();
        let ev_json = serde_json::to_string(ev)?;
        let kind = clean(&ev.kind);
        let (subtype, actor, target, place, date) = (
            clean_opt(&ev.subtype),
            clean_opt(&ev.actor),
            clean_opt(&ev.target),
            clean_opt(&ev.place),
            clean_opt(&ev.date),
        );
        let seq = match ranked.first() {
            Some((top, seq)) => {
                let seq = *seq;
                let others: Vec<i64> = ranked[1..].iter().map(|r| r.1).collect();
                if !others.is_empty() {
                    cache.execute(db, "INSERT INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank)
                         SELECT $1, record_id, evidence, attributed_to, actor, rank FROM event_sources WHERE event_seq = ANY($2)
                         ON CONFLICT DO NOTHING",
                        &[&seq, &others],
                    )?;
                    cache.execute(db, "DELETE FROM event_sources WHERE event_seq = ANY($1)", &[&others])?;
                    cache.execute(db, "DELETE FROM events WHERE seq = ANY($1)", &[&others])?;
                }
                if my_rank < *top {
                    cache.execute(db, "UPDATE events SET type = $1, subtype = $2, actor = $3, target = $4, place = $5, date = $6, json = $7, rank = $8
                         WHERE seq = $9",
                        &[&kind, &subtype, &actor, &target, &place, &date, &ev_json, &my_rank, &seq],
                    )?;
                }
                seq
            }
            None => {
                // A new occurrence and its first source in one round trip.
                cache.execute(
                    db,
                    "WITH e AS (INSERT INTO events (type, subtype, actor, target, place, date, json, rank)
                                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq)
                     INSERT INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank)
                     SELECT seq, $9, $10, $11, $3, $8 FROM e",
                    &[
                        &kind,
                        &subtype,
                        &actor,
                        &target,
                        &place,
                        &date,
                        &ev_json,
                        &my_rank,
                        &w.record_id,
                        &clean(&ev.evidence),
                        &clean_opt(&ev.attributed_to),
                    ],
                )?;
                continue;
            }
        };
        cache.execute(db, "INSERT INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING",
            &[&seq, &w.record_id, &clean(&ev.evidence), &clean_opt(&ev.attributed_to), &actor, &my_rank],
        )?;
    }
    Ok(())
}
