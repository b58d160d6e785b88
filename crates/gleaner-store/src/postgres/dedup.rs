//! The dedup-and-merge pass's side of the PostgreSQL store: passes take
//! turns under a session advisory lock; each record's result is written in
//! a few round trips (data-modifying CTEs).

use std::collections::HashMap;

use gleaner_dedup::{rank, EventKey};

use postgres::GenericClient;

use super::{clean, clean_opt, Conn, PgStore, Statements, LOCK_DEDUP_PASS};
use crate::rules::sig_values;
use crate::{DedupStore, DedupWrite, EventSource, LshCandidate, MergedEvent, PendingDedup, Store, StoreError};

impl DedupStore for PgStore {
    fn begin_dedup_pass(&mut self) -> Result<(), StoreError> {
        // A session lock: held across the pass's transactions, and released
        // by the server if this process dies.
        self.db_mut()
            .execute("SELECT pg_advisory_lock($1)", &[&LOCK_DEDUP_PASS])?;
        self.check_lsh_cache()
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
        let pending: Vec<PendingDedup> = rows
            .iter()
            .map(|r| {
                let sig: Vec<u8> = r.try_get(2)?;
                Ok(PendingDedup {
                    record_id: r.try_get(0)?,
                    published: r.try_get(1)?,
                    signature: sig_values(&sig),
                    events: serde_json::from_str(r.try_get::<_, &str>(3)?)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let mut cache = self.lsh_cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.generation.is_some() {
            for p in &pending {
                cache.pending.insert(p.record_id.clone(), p.signature.clone());
            }
        }
        Ok(pending)
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

    fn lsh_candidates_each(&self, keys: &[Vec<(u32, u64)>]) -> Result<Vec<Vec<LshCandidate>>, StoreError> {
        {
            let cache = self.lsh_cache.lock().unwrap_or_else(|e| e.into_inner());
            if cache.generation.is_some() {
                return self.cached_candidates(&cache, keys);
            }
        }
        let (mut at, mut bands, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for (i, k) in keys.iter().enumerate() {
            for &(band, key) in k {
                at.push(i as i32);
                bands.push(band as i32);
                values.push(key as i64);
            }
        }
        // One round trip for the group: each record's band keys tagged with
        // its place in the group; each candidate comes back once, with the
        // places of the records it is a candidate of (a signature is 1 kB).
        // Signatures and clusters are read by their keys (`OFFSET 0` keeps
        // the planner from joining them whole, which it prefers when it
        // misjudges how many candidates a group has: a scan of every
        // record's cluster per group).
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        let stmt = cache.get(
            db,
            "SELECT m.ats, m.record_id, s.sig, c.cluster
             FROM (SELECT l.record_id, array_agg(DISTINCT k.at) ats
                   FROM unnest($1::INTEGER[], $2::INTEGER[], $3::BIGINT[]) k (at, band, key)
                   JOIN lsh l ON l.band = k.band AND l.key = k.key GROUP BY l.record_id) m
             CROSS JOIN LATERAL (SELECT sig FROM signatures WHERE record_id = m.record_id OFFSET 0) s
             CROSS JOIN LATERAL (SELECT cluster FROM clusters WHERE record_id = m.record_id OFFSET 0) c
             ORDER BY m.record_id",
        )?;
        let mut each: Vec<Vec<LshCandidate>> = vec![Vec::new(); keys.len()];
        for r in db.query(&stmt, &[&at, &bands, &values])? {
            let ats: Vec<i32> = r.try_get(0)?;
            let blob: Vec<u8> = r.try_get(2)?;
            let candidate = LshCandidate {
                id: r.try_get(1)?,
                signature: sig_values(&blob),
                cluster: r.try_get(3)?,
            };
            // `at` comes back as it was sent: always a place in the group.
            for i in ats {
                if let Some(slot) = usize::try_from(i).ok().and_then(|i| each.get_mut(i)) {
                    slot.push(candidate.clone());
                }
            }
        }
        Ok(each)
    }

    fn event_candidates(&self, key: &EventKey) -> Result<Vec<MergedEvent>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        // The events and the sources merging compares, in one round trip
        // (one per reported event in a pass): a row per source.
        let rows = cache.query(
            db,
            "SELECT e.seq, e.json, s.record_id, s.evidence, s.attributed_to, s.actor
             FROM events e LEFT JOIN event_sources s ON s.event_seq = e.seq
             WHERE e.type = $1 AND e.place IS NOT DISTINCT FROM $2 AND coalesce(substr(e.date, 1, 7), '') = $3
             ORDER BY e.rank, e.seq, s.rank, s.evidence",
            &[&key.kind, &key.place, &key.month],
        )?;
        let mut events: Vec<MergedEvent> = Vec::new();
        for r in rows {
            add_event_row(&mut events, &r, 0)?;
        }
        Ok(events)
    }

    fn event_candidates_each(&self, keys: &[EventKey]) -> Result<Vec<Vec<MergedEvent>>, StoreError> {
        let kinds: Vec<&str> = keys.iter().map(|k| k.kind.as_str()).collect();
        let places: Vec<Option<&str>> = keys.iter().map(|k| k.place.as_deref()).collect();
        let months: Vec<&str> = keys.iter().map(|k| k.month.as_str()).collect();
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        // `event_candidates` for every key in one round trip (a record's
        // reports were a round trip each, the pass's most frequent
        // statement): rows tagged with the key's place in the list, each
        // key's in the order that query gives.
        let rows = cache.query(
            db,
            "SELECT k.at, e.seq, e.json, s.record_id, s.evidence, s.attributed_to, s.actor
             FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[]) WITH ORDINALITY AS k (type, place, month, at)
             JOIN events e ON e.type = k.type AND e.place IS NOT DISTINCT FROM k.place
                          AND coalesce(substr(e.date, 1, 7), '') = k.month
             LEFT JOIN event_sources s ON s.event_seq = e.seq
             ORDER BY k.at, e.rank, e.seq, s.rank, s.evidence",
            &[&kinds, &places, &months],
        )?;
        let mut each: Vec<Vec<MergedEvent>> = vec![Vec::new(); keys.len()];
        for r in rows {
            // Ordinality counts from 1, over the keys sent.
            let at: i64 = r.try_get(0)?;
            if let Some(events) = usize::try_from(at - 1).ok().and_then(|i| each.get_mut(i)) {
                add_event_row(events, &r, 1)?;
            }
        }
        Ok(each)
    }

    fn apply_dedup(&mut self, w: &DedupWrite) -> Result<(), StoreError> {
        let batch = self.dedup_batch;
        // Counted as tried: a group rolled back only brings a refresh forward.
        self.dedup_stats.written += 1;
        if batch {
            // Inside the group's transaction (begun by hand, so the client's
            // own transaction type cannot nest). No savepoint per record (two
            // round trips each): a failed write fails the group, which the
            // pass rolls back whole, and its records stay queued. The
            // record's queue entry, band keys and cluster are written with
            // the group's at its end (`GroupWrites`): nothing the pass reads
            // before then depends on them. Its events are written now: the
            // next record's event lookups must see them.
            self.dedup_group.push(w);
            let cache = self.lsh_cache.get_mut().unwrap_or_else(|e| e.into_inner());
            if cache.generation.is_some() {
                cache.group.push((w.record_id.clone(), w.band_keys.clone()));
            }
            if w.events.is_empty() {
                return Ok(());
            }
            let (client, cache) = self.conn_mut().parts();
            let published: Option<String> = cache
                .query_one(client, "SELECT published FROM records WHERE id = $1", &[&w.record_id])?
                .try_get(0)?;
            return write_events(client, cache, w, published.as_deref());
        }
        let (client, cache) = self.conn_mut().parts();
        let mut tx = client.transaction()?;
        write_dedup(&mut tx, cache, w)?;
        let taken: i64 = tx.query_one("SELECT nextval('lsh_generation')", &[])?.try_get(0)?;
        let committed = tx.commit();
        let lsh = self.lsh_cache.get_mut().unwrap_or_else(|e| e.into_inner());
        lsh.group.push((w.record_id.clone(), w.band_keys.clone()));
        lsh.settle(committed.is_ok().then_some(taken));
        committed?;
        self.refresh_stats_when_grown()
    }

    fn begin_dedup_batch(&mut self) -> Result<(), StoreError> {
        if !self.dedup_batch {
            self.dedup_group = GroupWrites::default();
            self.db_mut().batch_execute("BEGIN")?;
            self.dedup_batch = true;
        }
        Ok(())
    }

    fn end_dedup_batch(&mut self, commit: bool) -> Result<(), StoreError> {
        if self.dedup_batch {
            let group = std::mem::take(&mut self.dedup_group);
            let (client, cache) = self.conn_mut().parts();
            let wrote_keys = !group.is_empty();
            let mut written = if commit { group.write(client, cache) } else { Ok(()) };
            // The group's band keys take a generation number with them.
            let mut taken = None;
            if commit && wrote_keys && written.is_ok() {
                match client.query_one("SELECT nextval('lsh_generation')", &[]) {
                    Ok(row) => taken = row.try_get::<_, i64>(0).ok(),
                    Err(e) => written = Err(e.into()),
                }
            }
            self.dedup_batch = false;
            // A failed group write rolls the group back whole.
            let end = if commit && written.is_ok() {
                "COMMIT"
            } else {
                "ROLLBACK"
            };
            let ended = self.db_mut().batch_execute(end);
            let lsh = self.lsh_cache.get_mut().unwrap_or_else(|e| e.into_inner());
            match (wrote_keys, end, ended.is_ok()) {
                (false, _, _) => lsh.group.clear(),
                (true, "COMMIT", true) => lsh.settle(taken),
                (true, _, true) => lsh.rolled_back(taken),
                // A commit or rollback of unknown outcome.
                (true, _, false) => lsh.drop_all(),
            }
            written?;
            ended?;
        }
        self.refresh_stats_when_grown()
    }

    fn connect_again(&self) -> Result<Box<dyn Store>, StoreError> {
        Ok(Box::new(PgStore::open(&self.url)?))
    }

    fn runs_elsewhere(&self) -> bool {
        true
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
    write_events(db, cache, w, published.as_deref())
}

/// The group's records' own rows, kept by `apply_dedup` until the group
/// ends and then written in a few statements for all of them. The outcome
/// is the one record-at-a-time writes give: band keys, queue entries and
/// cluster rows are set facts; a similarity is the greatest offered; and the
/// clusters the group links are its connected components, each named by
/// its earliest name (which the names' members' earliest is, since a
/// cluster is named by its earliest member), whatever order they joined in.
#[derive(Debug, Default)]
pub(super) struct GroupWrites {
    ids: Vec<String>,
    best: Vec<Option<f64>>,
    band_ids: Vec<String>,
    bands: Vec<i32>,
    keys: Vec<i64>,
    /// (record, copy, similarity), in the order the records were handled.
    copies: Vec<(String, String, f64)>,
}

impl GroupWrites {
    fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn push(&mut self, w: &DedupWrite) {
        self.ids.push(w.record_id.clone());
        self.best.push(w.copies.iter().map(|c| c.1).reduce(f64::max));
        for &(band, key) in &w.band_keys {
            self.band_ids.push(w.record_id.clone());
            self.bands.push(band as i32);
            self.keys.push(key as i64);
        }
        for (copy, sim) in &w.copies {
            self.copies.push((w.record_id.clone(), copy.clone(), *sim));
        }
    }

    fn write(self, db: &mut impl GenericClient, cache: &mut Statements) -> Result<(), StoreError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        // The records' own rows: first, so the similarities below reach
        // copies handled earlier in the same group.
        cache.execute(
            db,
            "WITH queued AS (
                 DELETE FROM dedup_queue WHERE record_id = ANY($1)),
             bands AS (
                 INSERT INTO lsh (band, key, record_id) SELECT * FROM unnest($3::INTEGER[], $4::BIGINT[], $5::TEXT[]))
             INSERT INTO clusters (record_id, cluster, similarity) SELECT id, id, best FROM unnest($1::TEXT[], $2::FLOAT8[]) u (id, best)
             ON CONFLICT (record_id) DO UPDATE SET cluster = excluded.cluster, similarity = excluded.similarity",
            &[&self.ids, &self.best, &self.bands, &self.keys, &self.band_ids],
        )?;
        if self.copies.is_empty() {
            return Ok(());
        }
        let copy_ids: Vec<&str> = self.copies.iter().map(|c| c.1.as_str()).collect();
        let copy_sims: Vec<f64> = self.copies.iter().map(|c| c.2).collect();
        // Each copy's best similarity, and back the cluster it is in now.
        let rows = cache.query(
            db,
            "WITH v AS (SELECT id, max(sim) sim FROM unnest($1::TEXT[], $2::FLOAT8[]) u (id, sim) GROUP BY id),
             sims AS (UPDATE clusters c SET similarity = greatest(coalesce(c.similarity, 0), v.sim) FROM v WHERE c.record_id = v.id)
             SELECT record_id, cluster FROM clusters WHERE record_id IN (SELECT id FROM v)",
            &[&copy_ids, &copy_sims],
        )?;
        let mut cluster_of: HashMap<String, String> = HashMap::new();
        for r in rows {
            cluster_of.insert(r.try_get(0)?, r.try_get(1)?);
        }
        // Union-find over cluster names: each record joins its own cluster
        // (named by itself: it was just written) to its copies' clusters.
        let mut parent: HashMap<String, String> = HashMap::new();
        fn root(parent: &mut HashMap<String, String>, name: &str) -> String {
            let mut at = name.to_string();
            while let Some(up) = parent.get(&at) {
                if *up == at {
                    break;
                }
                at = up.clone();
            }
            at
        }
        for (record, copy, _) in &self.copies {
            // A copy whose cluster row is missing joins nothing, as the
            // record-at-a-time write's lookup would find no cluster for it.
            let Some(theirs) = cluster_of.get(copy) else { continue };
            let (a, b) = (root(&mut parent, record), root(&mut parent, theirs));
            parent.entry(a.clone()).or_insert_with(|| a.clone());
            parent.entry(b.clone()).or_insert_with(|| b.clone());
            if a != b {
                parent.insert(b, a);
            }
        }
        let names: Vec<String> = parent.keys().cloned().collect();
        let mut members: Vec<String> = Vec::new();
        let mut components: Vec<String> = Vec::new();
        for name in names {
            let top = root(&mut parent, &name);
            members.push(name);
            components.push(top);
        }
        // One statement renames every linked cluster to its component's
        // earliest member (only the rows whose name changes).
        cache.execute(
            db,
            "WITH m AS (SELECT * FROM unnest($1::TEXT[], $2::TEXT[]) m (name, comp)),
             earliest AS (SELECT DISTINCT ON (m.comp) m.comp, r.id FROM m JOIN records r ON r.id = m.name
                          ORDER BY m.comp, coalesce(r.published, '9999'), r.id)
             UPDATE clusters c SET cluster = earliest.id FROM m JOIN earliest ON earliest.comp = m.comp
             WHERE c.cluster = m.name AND c.cluster <> earliest.id",
            &[&members, &components],
        )?;
        Ok(())
    }
}

/// Folds one row of an event-candidates query into `events`: the event
/// (seq, json) when it is not the last one's, then its source when the row
/// has one (record_id, evidence, attributed_to, actor), read from column
/// `at` on. Rows come ordered by event, then source.
fn add_event_row(events: &mut Vec<MergedEvent>, r: &postgres::Row, at: usize) -> Result<(), StoreError> {
    let seq: i64 = r.try_get(at)?;
    if events.last().map(|e| e.seq) != Some(seq) {
        events.push(MergedEvent {
            seq,
            event: serde_json::from_str(r.try_get::<_, &str>(at + 1)?)?,
            sources: Vec::new(),
        });
    }
    let Some(record_id) = r.try_get::<_, Option<String>>(at + 2)? else {
        return Ok(());
    };
    if let Some(e) = events.last_mut() {
        e.sources.push(EventSource {
            record_id,
            evidence: r.try_get(at + 3)?,
            attributed_to: r.try_get(at + 4)?,
            actor: r.try_get(at + 5)?,
        });
    }
    Ok(())
}

/// One record's events merged into the occurrences already stored.
fn write_events(
    db: &mut impl GenericClient,
    cache: &mut Statements,
    w: &DedupWrite,
    published: Option<&str>,
) -> Result<(), StoreError> {
    let my_rank = rank(published, &w.record_id);
    for (groups, ev) in &w.events {
        if let [only] = groups.as_slice() {
            // Joining one stored occurrence (the usual case): its rank read,
            // the report shown replaced if this one ranks first, and the
            // source added, in one round trip instead of three. No rows: an
            // earlier report of this record merged it away, and this report
            // becomes a new occurrence, as below.
            let found: i64 = cache
                .query_one(
                    db,
                    "WITH t AS (SELECT seq, rank FROM events WHERE seq = $1),
                     shown AS (UPDATE events e SET type = $2, subtype = $3, actor = $4, target = $5, place = $6, date = $7,
                                   json = $8, rank = $9
                               FROM t WHERE e.seq = t.seq AND $9 COLLATE \"C\" < t.rank),
                     source AS (INSERT INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank)
                                SELECT t.seq, $10, $11, $12, $4, $9 FROM t ON CONFLICT DO NOTHING)
                     SELECT count(*) FROM t",
                    &[
                        only,
                        &clean(&ev.kind),
                        &clean_opt(&ev.subtype),
                        &clean_opt(&ev.actor),
                        &clean_opt(&ev.target),
                        &clean_opt(&ev.place),
                        &clean_opt(&ev.date),
                        &serde_json::to_string(ev)?,
                        &my_rank,
                        &w.record_id,
                        &clean(&ev.evidence),
                        &clean_opt(&ev.attributed_to),
                    ],
                )?
                .try_get(0)?;
            if found > 0 {
                continue;
            }
        }
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

/// The pass's band keys and signatures, kept in memory by the connection
/// that runs the pass.
///
/// Looking a group's band keys up on the server was its largest cost in an
/// ingest (3.2 s of its 6 s of CPU at `--jobs 2` on the 3,620-page
/// benchmark, `pg_stat_statements`, issue 16): every group joins its 2,000
/// keys against the whole `lsh` table, and that table only grows. Band keys
/// and signatures never change once written, so a pass that has read them
/// once needs only the candidates' clusters from the server.
///
/// Only what the store holds is kept: the store's band keys when the first
/// pass began, and each group's as it commits. Every transaction that adds
/// band keys takes a number from `lsh_generation`; at the start of a pass
/// (under the pass lock) a number other than the last one this connection
/// took or read means another process added keys, and the cache is dropped
/// for the rest of the connection's life (the lookups go to the server, as
/// they did before it).
#[derive(Debug, Default)]
pub(super) struct LshCache {
    /// Loading was tried (it is tried once, at the first pass).
    tried: bool,
    /// The `lsh_generation` number the cache matches (`None`: not in use).
    generation: Option<i64>,
    buckets: HashMap<(u32, u64), Vec<u32>>,
    ids: Vec<String>,
    sigs: Vec<Vec<u64>>,
    /// Signatures of the records handed out by `pending` (a write names
    /// only its record).
    pending: HashMap<String, Vec<u64>>,
    /// The open group's records and band keys, added when it commits.
    group: Vec<(String, Vec<(u32, u64)>)>,
}

/// The most records kept in memory, about 2 kB each (a 1 kB signature and
/// 32 band-key entries): about 100 MB at most; a larger store is looked up
/// on the server.
const LSH_CACHE_MAX: usize = 50_000;

impl LshCache {
    fn add(&mut self, id: String, sig: Vec<u64>, keys: &[(u32, u64)]) {
        let at = self.ids.len() as u32;
        self.ids.push(id);
        self.sigs.push(sig);
        for k in keys {
            self.buckets.entry(*k).or_default().push(at);
        }
    }

    /// After a write: its records join the cache when it committed with
    /// the number after the cache's; anything else (a rollback, a commit of
    /// unknown outcome, someone else's number in between) drops the cache.
    fn settle(&mut self, taken: Option<i64>) {
        let Some(generation) = self.generation else {
            self.group.clear();
            return;
        };
        match taken {
            Some(n) if n == generation + 1 && self.ids.len() + self.group.len() <= LSH_CACHE_MAX => {
                for (id, keys) in std::mem::take(&mut self.group) {
                    match self.pending.remove(&id) {
                        Some(sig) => self.add(id, sig, &keys),
                        None => return self.drop_all(),
                    }
                }
                self.generation = Some(n);
            }
            _ => self.drop_all(),
        }
    }

    /// After a rollback: nothing of the group is stored, though the number
    /// it took (if any) is gone from the sequence all the same.
    fn rolled_back(&mut self, taken: Option<i64>) {
        self.group.clear();
        match (self.generation, taken) {
            (_, None) => {}
            (Some(g), Some(n)) if n == g + 1 => self.generation = Some(n),
            _ => self.drop_all(),
        }
    }

    fn drop_all(&mut self) {
        *self = LshCache {
            tried: true,
            ..LshCache::default()
        };
    }

    /// Each key list's stored records (as indexes), once each, by id.
    fn lookup(&self, keys: &[Vec<(u32, u64)>]) -> Vec<Vec<u32>> {
        keys.iter()
            .map(|k| {
                let mut found: Vec<u32> = k
                    .iter()
                    .filter_map(|k| self.buckets.get(k))
                    .flatten()
                    .copied()
                    .collect();
                found.sort_unstable();
                found.dedup();
                found.sort_by(|a, b| self.ids[*a as usize].cmp(&self.ids[*b as usize]));
                found
            })
            .collect()
    }
}

impl PgStore {
    /// `lsh_candidates_each` from the cache: the candidates' clusters are
    /// the only thing read from the server (they change as clusters merge).
    fn cached_candidates(
        &self,
        cache: &LshCache,
        keys: &[Vec<(u32, u64)>],
    ) -> Result<Vec<Vec<LshCandidate>>, StoreError> {
        let found = cache.lookup(keys);
        let mut wanted: Vec<u32> = found.iter().flatten().copied().collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut cluster_of: HashMap<String, String> = HashMap::new();
        if !wanted.is_empty() {
            let ids: Vec<&str> = wanted.iter().map(|i| cache.ids[*i as usize].as_str()).collect();
            let mut conn = self.db();
            let (db, statements) = conn.parts();
            for r in statements.query(
                db,
                "SELECT record_id, cluster FROM clusters WHERE record_id = ANY($1)",
                &[&ids],
            )? {
                cluster_of.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        Ok(found
            .into_iter()
            .map(|slot| {
                slot.into_iter()
                    .filter_map(|i| {
                        let id = &cache.ids[i as usize];
                        // As the server's join: a record without a cluster row is no candidate.
                        cluster_of.get(id).map(|cluster| LshCandidate {
                            id: id.clone(),
                            signature: cache.sigs[i as usize].clone(),
                            cluster: cluster.clone(),
                        })
                    })
                    .collect()
            })
            .collect())
    }

    /// At the start of a pass (the pass lock held): loads the store's band
    /// keys the first time, and drops them when someone else added some.
    fn check_lsh_cache(&mut self) -> Result<(), StoreError> {
        let generation = generation(self.db_mut())?;
        let cache = self.lsh_cache.get_mut().unwrap_or_else(|e| e.into_inner());
        if cache.tried {
            if cache.generation.is_some() && cache.generation != Some(generation) {
                cache.drop_all();
            }
            return Ok(());
        }
        cache.tried = true;
        let db = self.client.get_mut().unwrap_or_else(|e| e.into_inner());
        let Conn(Some(client), _) = db else {
            return Ok(());
        };
        let stored: i64 = client
            .query_one("SELECT count(*) FROM (SELECT DISTINCT record_id FROM lsh) l", &[])?
            .try_get(0)?;
        if stored as usize > LSH_CACHE_MAX {
            return Ok(());
        }
        let rows = client.query(
            "SELECT l.record_id, l.bands, l.keys, s.sig
             FROM (SELECT record_id, array_agg(band) bands, array_agg(key) keys FROM lsh GROUP BY record_id) l
             JOIN signatures s ON s.record_id = l.record_id",
            &[],
        )?;
        let mut loaded = LshCache {
            tried: true,
            ..LshCache::default()
        };
        for r in rows {
            let bands: Vec<i32> = r.try_get(1)?;
            let keys: Vec<i64> = r.try_get(2)?;
            let keys: Vec<(u32, u64)> = bands.into_iter().zip(keys).map(|(b, k)| (b as u32, k as u64)).collect();
            let sig: Vec<u8> = r.try_get(3)?;
            loaded.add(r.try_get(0)?, sig_values(&sig), &keys);
        }
        loaded.generation = Some(generation);
        *cache = loaded;
        Ok(())
    }
}

/// The last number taken from `lsh_generation` (0 for none yet).
fn generation(db: &mut impl GenericClient) -> Result<i64, StoreError> {
    let row = db.query_one(
        "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM lsh_generation",
        &[],
    )?;
    Ok(row.try_get(0)?)
}
