//! The embedded store: one SQLite file in WAL mode, FTS5 for search.

use std::path::Path;

use gleaner_record::Record;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{
    Batch, ClusterMember, CommitStats, DateCount, DedupWrite, ErrorRow, EventFilter, EventSource, Facet, Hit,
    InputState, MergedEvent, PlaceCount, PlaceFilter, SearchQuery, SortOrder, Stats, Store, StoreError, StoredRecord,
};
use gleaner_record::Event;

/// Schema migrations, applied in order; `PRAGMA user_version` counts them.
/// Never edit a released step: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: records, their addresses, search, inputs, errors, pending addresses.
    "CREATE TABLE records (
         seq INTEGER PRIMARY KEY,
         id TEXT NOT NULL UNIQUE,
         url TEXT,
         title TEXT,
         published TEXT,
         publisher TEXT,
         language TEXT,
         original_publisher TEXT,
         json TEXT NOT NULL
     );
     CREATE INDEX records_published ON records(published);
     CREATE INDEX records_publisher ON records(publisher);
     CREATE INDEX records_language ON records(language);
     CREATE TABLE record_urls (
         seq INTEGER PRIMARY KEY,
         record_id TEXT NOT NULL,
         url TEXT NOT NULL,
         UNIQUE (record_id, url)
     );
     CREATE VIRTUAL TABLE records_fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');
     CREATE TABLE inputs (
         path TEXT PRIMARY KEY,
         size INTEGER NOT NULL,
         mtime INTEGER NOT NULL,
         next_offset INTEGER NOT NULL,
         done INTEGER NOT NULL
     );
     CREATE TABLE errors (
         seq INTEGER PRIMARY KEY,
         input TEXT NOT NULL,
         offset INTEGER,
         record TEXT,
         category TEXT NOT NULL,
         reason TEXT NOT NULL
     );
     -- NULLs are distinct in UNIQUE constraints; a resumed run must not add
     -- the same error again, so the key folds them.
     CREATE UNIQUE INDEX errors_key ON errors (input, coalesce(offset, -1), coalesce(record, ''), category);
     CREATE TABLE pending (
         url TEXT PRIMARY KEY,
         title TEXT,
         date TEXT,
         source TEXT NOT NULL
     );",
    // 2: near-duplicate clusters (MinHash signatures, LSH band keys) and
    // merged events with their sources. Both are derived from records and
    // filled by a pass that catches up on records it has not seen, so a
    // crash between a record batch and this pass loses nothing.
    "CREATE TABLE signatures (
         record_id TEXT PRIMARY KEY,
         sig BLOB NOT NULL
     );
     CREATE TABLE lsh (
         band INTEGER NOT NULL,
         key INTEGER NOT NULL,
         record_id TEXT NOT NULL
     );
     CREATE INDEX lsh_key ON lsh (band, key);
     CREATE TABLE clusters (
         record_id TEXT PRIMARY KEY,
         cluster TEXT NOT NULL,
         similarity REAL
     );
     CREATE INDEX clusters_cluster ON clusters (cluster);
     CREATE TABLE events (
         seq INTEGER PRIMARY KEY,
         type TEXT NOT NULL,
         subtype TEXT,
         actor TEXT,
         target TEXT,
         place TEXT,
         date TEXT,
         json TEXT NOT NULL
     );
     CREATE INDEX events_key ON events (type, place, date);
     CREATE TABLE event_sources (
         event_seq INTEGER NOT NULL,
         record_id TEXT NOT NULL,
         evidence TEXT NOT NULL,
         attributed_to TEXT,
         UNIQUE (event_seq, record_id, evidence)
     );
     CREATE INDEX event_sources_record ON event_sources (record_id);",
    // 3: what serving filters and maps by: each record's geocoded places and
    // the types of events it reports (filled from the record JSON, also for
    // records stored before this step), and events by place.
    "CREATE TABLE record_places (
         record_id TEXT NOT NULL,
         name TEXT NOT NULL,
         geonameid INTEGER,
         country TEXT,
         lat REAL NOT NULL,
         lon REAL NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (record_id, name)
     );
     CREATE INDEX record_places_name ON record_places (name);
     CREATE INDEX record_places_country ON record_places (country);
     CREATE TABLE record_event_types (
         record_id TEXT NOT NULL,
         type TEXT NOT NULL,
         PRIMARY KEY (record_id, type)
     );
     CREATE INDEX record_event_types_type ON record_event_types (type);
     CREATE INDEX events_place ON events (place);",
    // 4: the dedup-and-merge pass no longer depends on the order records are
    // handled in (see `DedupWrite`): merged events and their sources carry
    // the rank (publication date, record id) that picks the report shown, and
    // sources keep their actor, which merging compares. `duplicate_of` is
    // read from the cluster instead of being written into the record JSON.
    // What earlier passes derived is dropped; the next pass redoes it.
    "ALTER TABLE events ADD COLUMN rank TEXT NOT NULL DEFAULT '';
     ALTER TABLE event_sources ADD COLUMN actor TEXT;
     ALTER TABLE event_sources ADD COLUMN rank TEXT NOT NULL DEFAULT '';
     DELETE FROM signatures;
     DELETE FROM lsh;
     DELETE FROM clusters;
     DELETE FROM events;
     DELETE FROM event_sources;
     UPDATE records SET json = CASE
             WHEN json_extract(json, '$.syndication.original_publisher') IS NULL
                  AND json_extract(json, '$.syndication.notice') IS NULL
             THEN json_set(json, '$.syndication', json('null'))
             ELSE json_set(json, '$.syndication.duplicate_of', json('null')) END
         WHERE json_extract(json, '$.syndication.duplicate_of') IS NOT NULL;",
];

/// The migration step after which records' places and event types are
/// indexed from their JSON.
const INDEX_STEP: usize = 3;

/// The embedded SQLite store.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        // WAL: readers (search, serve) do not block the writer; NORMAL sync is
        // durable across process crashes, which is what resume relies on.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let mut store = SqliteStore { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(step)?;
            if i + 1 == INDEX_STEP {
                backfill_index(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// Indexes the places and event types of records stored before the index existed.
fn backfill_index(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let mut stmt = tx.prepare("SELECT json FROM records")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        index_record(tx, &serde_json::from_str(&json)?)?;
    }
    Ok(())
}

/// Writes a record's geocoded places (once per name, with a mention count)
/// and event types into the tables search filters and maps read.
fn index_record(tx: &rusqlite::Transaction<'_>, r: &Record) -> Result<(), StoreError> {
    let mut place = tx.prepare_cached(
        "INSERT INTO record_places (record_id, name, geonameid, country, lat, lon, mentions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
         ON CONFLICT (record_id, name) DO UPDATE SET mentions = mentions + 1",
    )?;
    for p in r.entities.iter().filter_map(|e| e.place.as_ref()) {
        place.execute(params![
            r.id,
            p.name,
            p.geonameid.map(|g| g as i64),
            p.country,
            p.lat,
            p.lon
        ])?;
    }
    let mut kind = tx.prepare_cached("INSERT OR IGNORE INTO record_event_types (record_id, type) VALUES (?1, ?2)")?;
    for e in r.events.iter().filter(|e| !e.negated) {
        kind.execute(params![r.id, e.kind])?;
    }
    Ok(())
}

/// The FROM and WHERE of a search, shared by listing, counting and faceting.
/// Selects from `r` (records); the caller adds columns, grouping and order.
fn search_filter(q: &SearchQuery) -> (String, Vec<rusqlite::types::Value>, bool) {
    let mut sql = String::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let text = q.text.as_deref().map(fts_query).filter(|t| !t.is_empty());
    if let Some(t) = &text {
        sql.push_str(" FROM records_fts JOIN records r ON r.seq = records_fts.rowid WHERE records_fts MATCH ?");
        args.push(t.clone().into());
    } else {
        sql.push_str(" FROM records r WHERE 1");
    }
    if let Some(from) = &q.from {
        sql.push_str(" AND r.published >= ?");
        args.push(from.clone().into());
    }
    if let Some(to) = &q.to {
        // "2020-12" must include "2020-12-31": compare against the prefix's end.
        sql.push_str(" AND r.published <= ?");
        args.push(format!("{to}\u{10ffff}").into());
    }
    if let Some(p) = &q.publisher {
        sql.push_str(" AND r.publisher = ?");
        args.push(p.clone().into());
    }
    if let Some(l) = &q.language {
        sql.push_str(" AND r.language = ?");
        args.push(l.clone().into());
    }
    if let Some(p) = &q.place {
        sql.push_str(" AND r.id IN (SELECT record_id FROM record_places WHERE name = ?)");
        args.push(p.clone().into());
    }
    if let Some(c) = &q.country {
        sql.push_str(" AND r.id IN (SELECT record_id FROM record_places WHERE country = ?)");
        args.push(c.clone().into());
    }
    if let Some(t) = &q.event_type {
        sql.push_str(" AND r.id IN (SELECT record_id FROM record_event_types WHERE type = ?)");
        args.push(t.clone().into());
    }
    (sql, args, text.is_some())
}

/// The WHERE of an event listing (events `e`).
fn event_filter(f: &EventFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from(" WHERE 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(k) = &f.kind {
        sql.push_str(" AND e.type = ?");
        args.push(k.clone().into());
    }
    if let Some(p) = &f.place {
        sql.push_str(" AND e.place = ?");
        args.push(p.clone().into());
    }
    if let Some(from) = &f.from {
        sql.push_str(" AND e.date >= ?");
        args.push(from.clone().into());
    }
    if let Some(to) = &f.to {
        sql.push_str(" AND e.date <= ?");
        args.push(format!("{to}\u{10ffff}").into());
    }
    if let Some(c) = &f.country {
        sql.push_str(" AND e.place IN (SELECT name FROM record_places WHERE country = ?)");
        args.push(c.clone().into());
    }
    (sql, args)
}

/// Which of two copies of a record (same id) the store keeps: the one at the
/// smaller address (copies without one last), then the smaller JSON. Keeping
/// the least rather than the first makes the stored copy independent of the
/// order copies arrive in, which concurrent ingesters cannot control.
pub(crate) fn prefer_copy(new_url: Option<&str>, new_json: &str, old_url: Option<&str>, old_json: &str) -> bool {
    (new_url.is_none(), new_url, new_json) < (old_url.is_none(), old_url, old_json)
}

/// The rank of a report among merged events: earliest publication first
/// (undated last), then record id.
pub(crate) fn rank(published: Option<&str>, id: &str) -> String {
    format!("{} {id}", published.unwrap_or("9999"))
}

/// A stored record as read: `duplicate_of` comes from its cluster (named by
/// its earliest member); the addresses are its own first, then the others
/// sorted (arrival order would differ between concurrent ingesters).
pub(crate) fn stored_record(
    json: &str,
    cluster: Option<String>,
    mut urls: Vec<String>,
) -> Result<StoredRecord, StoreError> {
    let mut record: Record = serde_json::from_str(json)?;
    if let Some(c) = cluster.filter(|c| *c != record.id) {
        let syn = record.syndication.get_or_insert(gleaner_record::Syndication {
            original_publisher: None,
            notice: None,
            duplicate_of: None,
        });
        syn.duplicate_of = Some(c);
    }
    urls.sort();
    urls.dedup();
    if let Some(first) = &record.url {
        urls.retain(|u| u != first);
        urls.insert(0, first.clone());
    }
    Ok(StoredRecord { record, urls })
}

fn fts_query(text: &str) -> String {
    // Every word quoted: user input never becomes FTS5 syntax (no errors on
    // "AND", "-", unbalanced quotes); all words must match.
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Store for SqliteStore {
    fn input_state(&self, path: &str) -> Result<Option<InputState>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT size, mtime, next_offset, done FROM inputs WHERE path = ?1",
                [path],
                |r| {
                    Ok(InputState {
                        size: r.get::<_, i64>(0)? as u64,
                        mtime: r.get(1)?,
                        offset: r.get::<_, i64>(2)? as u64,
                        done: r.get::<_, i64>(3)? != 0,
                    })
                },
            )
            .optional()?)
    }

    fn commit(&mut self, batch: &Batch) -> Result<CommitStats, StoreError> {
        let mut stats = CommitStats::default();
        // Immediate: take the write lock first. A deferred transaction that
        // reads and then writes fails at once ("database is locked") when
        // another ingester wrote in between, whatever the busy timeout.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO records (id, url, title, published, publisher, language, original_publisher, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut fts = tx.prepare_cached("INSERT INTO records_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
            let mut url = tx.prepare_cached("INSERT OR IGNORE INTO record_urls (record_id, url) VALUES (?1, ?2)")?;
            for r in &batch.records {
                let json = serde_json::to_string(r)?;
                let original = r.syndication.as_ref().and_then(|s| s.original_publisher.clone());
                let added = insert.execute(params![
                    r.id,
                    r.url,
                    r.title,
                    r.published,
                    r.publisher,
                    r.language,
                    original,
                    json
                ])?;
                if added > 0 {
                    stats.new_records += 1;
                    fts.execute(params![tx.last_insert_rowid(), r.title, r.text])?;
                    index_record(&tx, r)?;
                } else {
                    stats.known_records += 1;
                    let (seq, old_url, old_json): (i64, Option<String>, String) =
                        tx.query_row("SELECT seq, url, json FROM records WHERE id = ?1", [&r.id], |x| {
                            Ok((x.get(0)?, x.get(1)?, x.get(2)?))
                        })?;
                    if prefer_copy(r.url.as_deref(), &json, old_url.as_deref(), &old_json) {
                        tx.execute(
                            "UPDATE records SET url = ?1, title = ?2, published = ?3, publisher = ?4, language = ?5,
                                 original_publisher = ?6, json = ?7 WHERE seq = ?8",
                            params![
                                r.url,
                                r.title,
                                r.published,
                                r.publisher,
                                r.language,
                                original,
                                json,
                                seq
                            ],
                        )?;
                        tx.execute(
                            "UPDATE records_fts SET title = ?1, text = ?2 WHERE rowid = ?3",
                            params![r.title, r.text, seq],
                        )?;
                        tx.execute("DELETE FROM record_places WHERE record_id = ?1", [&r.id])?;
                        tx.execute("DELETE FROM record_event_types WHERE record_id = ?1", [&r.id])?;
                        index_record(&tx, r)?;
                    }
                }
                if let Some(u) = &r.url {
                    url.execute(params![r.id, u])?;
                }
            }
            let mut err = tx.prepare_cached(
                "INSERT OR IGNORE INTO errors (input, offset, record, category, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for e in &batch.errors {
                err.execute(params![
                    e.input,
                    e.offset.map(|o| o as i64),
                    e.record,
                    e.category,
                    e.reason
                ])?;
            }
            let mut pend =
                tx.prepare_cached("INSERT OR IGNORE INTO pending (url, title, date, source) VALUES (?1, ?2, ?3, ?4)")?;
            for p in &batch.pending {
                pend.execute(params![p.url, p.title, p.date, p.source])?;
            }
            let mut input = tx.prepare_cached(
                // Progress never goes back for the same file: another
                // ingester of the same input may have committed further.
                "INSERT INTO inputs (path, size, mtime, next_offset, done) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(path) DO UPDATE SET
                     next_offset = CASE WHEN size = excluded.size AND mtime = excluded.mtime
                         THEN max(next_offset, excluded.next_offset) ELSE excluded.next_offset END,
                     done = CASE WHEN size = excluded.size AND mtime = excluded.mtime
                         THEN max(done, excluded.done) ELSE excluded.done END,
                     size = excluded.size, mtime = excluded.mtime",
            )?;
            for i in &batch.inputs {
                input.execute(params![
                    i.path,
                    i.state.size as i64,
                    i.state.mtime,
                    i.state.offset as i64,
                    i.state.done as i64
                ])?;
            }
        }
        tx.commit()?;
        Ok(stats)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, StoreError> {
        let (filter, mut args, has_text) = search_filter(q);
        let snippet = if has_text {
            "snippet(records_fts, 1, '[', ']', '…', 12)"
        } else {
            "NULL"
        };
        let order = match (q.sort, has_text) {
            (SortOrder::Relevance, true) => "rank",
            // NULLs sort lowest in SQLite, so undated records come last and
            // the published index serves the order.
            (SortOrder::Relevance, false) | (SortOrder::Newest, _) => "r.published DESC, r.seq",
            (SortOrder::Oldest, _) => "r.published IS NULL, r.published, r.seq",
        };
        let sql = format!(
            "SELECT r.id, r.title, r.url, r.published, r.publisher, r.language, {snippet}{filter} ORDER BY {order} LIMIT ? OFFSET ?"
        );
        args.push((q.limit.max(1) as i64).into());
        args.push((q.offset as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(Hit {
                id: r.get(0)?,
                title: r.get(1)?,
                url: r.get(2)?,
                published: r.get(3)?,
                publisher: r.get(4)?,
                language: r.get(5)?,
                snippet: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn get(&self, id: &str) -> Result<Option<StoredRecord>, StoreError> {
        type Row = (String, String, Option<String>);
        let one = |r: &rusqlite::Row| -> rusqlite::Result<Row> { Ok((r.get(0)?, r.get(1)?, r.get(2)?)) };
        let row: Option<Row> = if id.len() >= 16 {
            self.conn
                .query_row("SELECT r.id, r.json, c.cluster FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE r.id = ?1", [id], one)
                .optional()?
        } else if id.len() >= 6 {
            let mut stmt = self.conn.prepare(
                "SELECT r.id, r.json, c.cluster FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE r.id >= ?1 AND r.id < ?1 || char(1114111) LIMIT 2",
            )?;
            let found: Vec<Row> = stmt.query_map([id], one)?.collect::<Result<_, _>>()?;
            if found.len() == 1 {
                found.into_iter().next()
            } else {
                None
            }
        } else {
            None
        };
        let Some((id, json, cluster)) = row else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT url FROM record_urls WHERE record_id = ?1")?;
        let urls: Vec<String> = stmt.query_map([&id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Some(stored_record(&json, cluster, urls)?))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count =
            |sql: &str| -> Result<u64, StoreError> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let groups = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?.unwrap_or_else(|| "(unknown)".into()),
                    r.get::<_, i64>(1)? as u64,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Stats {
            records: count("SELECT count(*) FROM records")?,
            inputs: count("SELECT count(*) FROM inputs")?,
            inputs_done: count("SELECT count(*) FROM inputs WHERE done")?,
            pending: count("SELECT count(*) FROM pending")?,
            by_publisher: groups(
                "SELECT publisher, count(*) n FROM records GROUP BY publisher ORDER BY n DESC, publisher",
            )?,
            by_language: groups(
                "SELECT language, count(*) n FROM records GROUP BY language ORDER BY n DESC, language",
            )?,
            by_month: groups("SELECT substr(published, 1, 7) m, count(*) FROM records GROUP BY m ORDER BY m")?,
            errors_by_category: groups(
                "SELECT category, count(*) n FROM errors GROUP BY category ORDER BY n DESC, category",
            )?,
        })
    }

    fn for_each_record(&self, f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare("SELECT id FROM records ORDER BY id")?;
        let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for id in ids {
            if let Some(rec) = self.get(&id)? {
                f(rec)?;
            }
        }
        Ok(())
    }

    fn errors(&self) -> Result<Vec<ErrorRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT input, offset, record, category, reason FROM errors ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok(ErrorRow {
                input: r.get(0)?,
                offset: r.get::<_, Option<i64>>(1)?.map(|o| o as u64),
                record: r.get(2)?,
                category: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn unclustered(&self, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE c.record_id IS NULL ORDER BY r.seq LIMIT ?1",
        )?;
        let ids: Vec<String> = stmt
            .query_map([limit as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = self.get(&id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<(String, Vec<u64>, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT record_id FROM lsh WHERE band = ?1 AND key = ?2")?;
        let mut ids: Vec<String> = Vec::new();
        for &(band, key) in keys {
            for id in stmt.query_map(params![band, key as i64], |r| r.get::<_, String>(0))? {
                ids.push(id?);
            }
        }
        ids.sort();
        ids.dedup();
        let mut sig = self.conn.prepare_cached(
            "SELECT s.sig, c.cluster FROM signatures s JOIN clusters c ON c.record_id = s.record_id WHERE s.record_id = ?1",
        )?;
        let mut out = Vec::new();
        for id in ids {
            if let Some((blob, cluster)) = sig
                .query_row([&id], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?)))
                .optional()?
            {
                let values = blob
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect();
                out.push((id, values, cluster));
            }
        }
        Ok(out)
    }

    fn cluster_members(&self, cluster: &str) -> Result<Vec<ClusterMember>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.title, r.publisher, r.published, r.url, c.similarity FROM clusters c JOIN records r ON r.id = c.record_id
             WHERE c.cluster = ?1 ORDER BY coalesce(r.published, '9999'), r.id",
        )?;
        let rows = stmt.query_map([cluster], |r| {
            Ok(ClusterMember {
                id: r.get(0)?,
                title: r.get(1)?,
                publisher: r.get(2)?,
                published: r.get(3)?,
                url: r.get(4)?,
                similarity: r.get::<_, Option<f64>>(5)?.unwrap_or(1.0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn cluster_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT cluster FROM clusters WHERE record_id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    fn clusters(&self, min_size: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT cluster FROM clusters GROUP BY cluster HAVING count(*) >= ?1 ORDER BY count(*) DESC, cluster",
        )?;
        let rows = stmt.query_map([min_size as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn event_candidates(
        &self,
        kind: &str,
        place: Option<&str>,
        date_prefix: &str,
    ) -> Result<Vec<MergedEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq FROM events WHERE type = ?1 AND place IS ?2 AND coalesce(substr(date, 1, 7), '') = ?3 ORDER BY rank",
        )?;
        let seqs: Vec<i64> = stmt
            .query_map(params![kind, place, date_prefix], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // Merging compares the actors of every source.
        seqs.into_iter().map(|s| self.merged_event(s, true)).collect()
    }

    fn apply_dedup(&mut self, w: &DedupWrite) -> Result<(), StoreError> {
        // Immediate: take the write lock first. A deferred transaction that
        // reads and then writes fails at once ("database is locked") when
        // another ingester wrote in between, whatever the busy timeout.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let blob: Vec<u8> = w.signature.iter().flat_map(|v| v.to_le_bytes()).collect();
            tx.execute(
                "INSERT OR REPLACE INTO signatures (record_id, sig) VALUES (?1, ?2)",
                params![w.record_id, blob],
            )?;
            // No earlier band keys to remove: a record is handled once, and its
            // cluster row (written in this same transaction) marks it done.
            let mut lsh = tx.prepare_cached("INSERT INTO lsh (band, key, record_id) VALUES (?1, ?2, ?3)")?;
            for &(band, key) in &w.band_keys {
                lsh.execute(params![band, key as i64, w.record_id])?;
            }
            // The clusters this record links, its own included, become one,
            // named by its earliest member.
            let mut joined: Vec<String> = vec![w.record_id.clone()];
            for (copy, _) in &w.copies {
                if let Some(c) = tx
                    .query_row("SELECT cluster FROM clusters WHERE record_id = ?1", [copy], |r| {
                        r.get::<_, String>(0)
                    })
                    .optional()?
                {
                    joined.push(c);
                }
            }
            joined.sort();
            joined.dedup();
            let best = w.copies.iter().map(|c| c.1).reduce(f64::max);
            tx.execute(
                "INSERT OR REPLACE INTO clusters (record_id, cluster, similarity) VALUES (?1, ?1, ?2)",
                params![w.record_id, best],
            )?;
            for (copy, sim) in &w.copies {
                tx.execute(
                    "UPDATE clusters SET similarity = max(coalesce(similarity, 0), ?1) WHERE record_id = ?2",
                    params![sim, copy],
                )?;
            }
            if joined.len() > 1 {
                let marks = vec!["?"; joined.len()].join(",");
                let earliest: String = tx.query_row(
                    &format!(
                        "SELECT id FROM records WHERE id IN ({marks}) ORDER BY coalesce(published, '9999'), id LIMIT 1"
                    ),
                    rusqlite::params_from_iter(&joined),
                    |r| r.get(0),
                )?;
                let mut args = vec![earliest];
                args.extend(joined.iter().cloned());
                tx.execute(
                    &format!("UPDATE clusters SET cluster = ? WHERE cluster IN ({marks})"),
                    rusqlite::params_from_iter(&args),
                )?;
            }
            let published: Option<String> = tx
                .query_row("SELECT published FROM records WHERE id = ?1", [&w.record_id], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten();
            let my_rank = rank(published.as_deref(), &w.record_id);
            for (groups, ev) in &w.events {
                // The merged event whose shown report ranks first absorbs the others.
                let mut ranked: Vec<(String, i64)> = Vec::new();
                for &g in groups {
                    if let Some(r) = tx
                        .query_row("SELECT rank FROM events WHERE seq = ?1", [g], |r| r.get::<_, String>(0))
                        .optional()?
                    {
                        ranked.push((r, g));
                    }
                }
                ranked.sort();
                let seq = match ranked.first() {
                    Some((top, seq)) => {
                        let seq = *seq;
                        for &(_, other) in &ranked[1..] {
                            tx.execute(
                                "INSERT OR IGNORE INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank)
                                 SELECT ?1, record_id, evidence, attributed_to, actor, rank FROM event_sources WHERE event_seq = ?2",
                                params![seq, other],
                            )?;
                            tx.execute("DELETE FROM event_sources WHERE event_seq = ?1", [other])?;
                            tx.execute("DELETE FROM events WHERE seq = ?1", [other])?;
                        }
                        if my_rank < *top {
                            tx.execute(
                                "UPDATE events SET type = ?1, subtype = ?2, actor = ?3, target = ?4, place = ?5, date = ?6, json = ?7, rank = ?8
                                 WHERE seq = ?9",
                                params![ev.kind, ev.subtype, ev.actor, ev.target, ev.place, ev.date, serde_json::to_string(ev)?, my_rank, seq],
                            )?;
                        }
                        seq
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO events (type, subtype, actor, target, place, date, json, rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                            params![ev.kind, ev.subtype, ev.actor, ev.target, ev.place, ev.date, serde_json::to_string(ev)?, my_rank],
                        )?;
                        tx.last_insert_rowid()
                    }
                };
                tx.execute(
                    "INSERT OR IGNORE INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![seq, w.record_id, ev.evidence, ev.attributed_to, ev.actor, my_rank],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<MergedEvent>, StoreError> {
        let (filter, mut args) = event_filter(f);
        // Ties by rank, not seq: which row survives merging, and so its seq,
        // depends on the order records were handled in.
        let sql = format!("SELECT e.seq FROM events e{filter} ORDER BY e.date, e.rank, e.type, coalesce(e.place, '') LIMIT ? OFFSET ?");
        args.push(f.limit.map_or(-1, |l| l as i64).into());
        args.push((f.offset as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let seqs: Vec<i64> = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        seqs.into_iter().map(|s| self.merged_event(s, true)).collect()
    }

    fn places(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>, StoreError> {
        let mut sql = String::from(
            "SELECT p.name, min(p.geonameid), p.country, min(p.lat), min(p.lon), count(*) n,
                    (SELECT count(*) FROM events e WHERE e.place = p.name)
             FROM record_places p",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if f.from.is_some() || f.to.is_some() {
            sql.push_str(" JOIN records r ON r.id = p.record_id");
        }
        sql.push_str(" WHERE 1");
        if let Some(c) = &f.country {
            sql.push_str(" AND p.country = ?");
            args.push(c.clone().into());
        }
        if !f.names.is_empty() {
            sql.push_str(" AND p.name IN (");
            for (i, n) in f.names.iter().enumerate() {
                sql.push_str(if i == 0 { "?" } else { ", ?" });
                args.push(n.clone().into());
            }
            sql.push(')');
        }
        if let Some(from) = &f.from {
            sql.push_str(" AND r.published >= ?");
            args.push(from.clone().into());
        }
        if let Some(to) = &f.to {
            sql.push_str(" AND r.published <= ?");
            args.push(format!("{to}\u{10ffff}").into());
        }
        sql.push_str(" GROUP BY p.name, p.country ORDER BY n DESC, p.name LIMIT ?");
        args.push((f.limit.max(1) as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(PlaceCount {
                name: r.get(0)?,
                geonameid: r.get::<_, Option<i64>>(1)?.map(|g| g as u64),
                country: r.get(2)?,
                lat: r.get(3)?,
                lon: r.get(4)?,
                records: r.get::<_, i64>(5)? as u64,
                events: r.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn event_dates(&self, f: &EventFilter) -> Result<Vec<DateCount>, StoreError> {
        let (filter, args) = event_filter(f);
        let sql = format!("SELECT e.date, e.type, count(*) FROM events e{filter} AND e.date IS NOT NULL GROUP BY e.date, e.type ORDER BY e.date, e.type");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(DateCount {
                date: r.get(0)?,
                kind: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn record_dates(&self, q: &SearchQuery) -> Result<Vec<DateCount>, StoreError> {
        let (filter, args, _) = search_filter(q);
        let sql = format!(
            "SELECT substr(r.published, 1, 10) d, count(*){filter} AND r.published IS NOT NULL GROUP BY d ORDER BY d"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(DateCount {
                date: r.get(0)?,
                kind: "record".into(),
                count: r.get::<_, i64>(1)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn facet(&self, q: &SearchQuery, field: Facet, limit: usize) -> Result<Vec<(String, u64)>, StoreError> {
        let (filter, mut args, _) = search_filter(q);
        let sql = match field {
            Facet::Publisher => format!("SELECT r.publisher v, count(*) n{filter} AND r.publisher IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?"),
            Facet::Language => format!("SELECT r.language v, count(*) n{filter} AND r.language IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?"),
            Facet::Country => format!(
                "SELECT p.country v, count(DISTINCT m.id) n FROM (SELECT r.id{filter}) m JOIN record_places p ON p.record_id = m.id
                 WHERE p.country IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?"
            ),
            Facet::EventType => format!(
                "SELECT t.type v, count(*) n FROM (SELECT r.id{filter}) m JOIN record_event_types t ON t.record_id = m.id
                 GROUP BY v ORDER BY n DESC, v LIMIT ?"
            ),
        };
        args.push((limit.max(1) as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl SqliteStore {
    fn merged_event(&self, seq: i64, with_sources: bool) -> Result<MergedEvent, StoreError> {
        let json: String = self
            .conn
            .query_row("SELECT json FROM events WHERE seq = ?1", [seq], |r| r.get(0))?;
        let event: Event = serde_json::from_str(&json)?;
        if !with_sources {
            return Ok(MergedEvent {
                seq,
                event,
                sources: Vec::new(),
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id, evidence, attributed_to, actor FROM event_sources WHERE event_seq = ?1 ORDER BY rank, evidence",
        )?;
        let sources = stmt
            .query_map([seq], |r| {
                Ok(EventSource {
                    record_id: r.get(0)?,
                    evidence: r.get(1)?,
                    attributed_to: r.get(2)?,
                    actor: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(MergedEvent { seq, event, sources })
    }
}
