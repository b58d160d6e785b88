//! The embedded store: one SQLite file in WAL mode, FTS5 for search.

use std::path::Path;

use gleaner_record::Record;
use rusqlite::{params, Connection, OptionalExtension};

use crate::{
    Batch, ClusterMember, CommitStats, DedupWrite, ErrorRow, EventFilter, EventSource, Hit, InputState, MergedEvent, SearchQuery,
    Stats, Store, StoreError, StoredRecord,
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
];

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
            return Err(StoreError::TooNew { found: version, supported });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(step)?;
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
            .query_row("SELECT size, mtime, next_offset, done FROM inputs WHERE path = ?1", [path], |r| {
                Ok(InputState {
                    size: r.get::<_, i64>(0)? as u64,
                    mtime: r.get(1)?,
                    offset: r.get::<_, i64>(2)? as u64,
                    done: r.get::<_, i64>(3)? != 0,
                })
            })
            .optional()?)
    }

    fn commit(&mut self, batch: &Batch) -> Result<CommitStats, StoreError> {
        let mut stats = CommitStats::default();
        let tx = self.conn.transaction()?;
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
                let added = insert.execute(params![r.id, r.url, r.title, r.published, r.publisher, r.language, original, json])?;
                if added > 0 {
                    stats.new_records += 1;
                    fts.execute(params![tx.last_insert_rowid(), r.title, r.text])?;
                } else {
                    stats.known_records += 1;
                }
                if let Some(u) = &r.url {
                    url.execute(params![r.id, u])?;
                }
            }
            let mut err = tx.prepare_cached(
                "INSERT OR IGNORE INTO errors (input, offset, record, category, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for e in &batch.errors {
                err.execute(params![e.input, e.offset.map(|o| o as i64), e.record, e.category, e.reason])?;
            }
            let mut pend = tx.prepare_cached("INSERT OR IGNORE INTO pending (url, title, date, source) VALUES (?1, ?2, ?3, ?4)")?;
            for p in &batch.pending {
                pend.execute(params![p.url, p.title, p.date, p.source])?;
            }
            let mut input = tx.prepare_cached(
                "INSERT INTO inputs (path, size, mtime, next_offset, done) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
                     next_offset = excluded.next_offset, done = excluded.done",
            )?;
            for i in &batch.inputs {
                input.execute(params![i.path, i.state.size as i64, i.state.mtime, i.state.offset as i64, i.state.done as i64])?;
            }
        }
        tx.commit()?;
        Ok(stats)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, StoreError> {
        let limit = q.limit.max(1) as i64;
        let mut sql = String::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let text = q.text.as_deref().map(fts_query).filter(|t| !t.is_empty());
        if let Some(t) = &text {
            sql.push_str(
                "SELECT r.id, r.title, r.url, r.published, r.publisher, r.language,
                        snippet(records_fts, 1, '[', ']', '…', 12)
                 FROM records_fts JOIN records r ON r.seq = records_fts.rowid
                 WHERE records_fts MATCH ?",
            );
            args.push(t.clone().into());
        } else {
            sql.push_str("SELECT r.id, r.title, r.url, r.published, r.publisher, r.language, NULL FROM records r WHERE 1");
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
        sql.push_str(if text.is_some() { " ORDER BY rank" } else { " ORDER BY r.published DESC, r.seq" });
        sql.push_str(" LIMIT ?");
        args.push(limit.into());
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
        let row: Option<(String, String)> = if id.len() >= 16 {
            self.conn.query_row("SELECT id, json FROM records WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?
        } else if id.len() >= 6 {
            let mut stmt = self.conn.prepare("SELECT id, json FROM records WHERE id LIKE ?1 || '%' LIMIT 2")?;
            let found: Vec<(String, String)> = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
            if found.len() == 1 { found.into_iter().next() } else { None }
        } else {
            None
        };
        let Some((id, json)) = row else { return Ok(None) };
        let record: Record = serde_json::from_str(&json)?;
        let mut stmt = self.conn.prepare_cached("SELECT url FROM record_urls WHERE record_id = ?1 ORDER BY seq")?;
        let mut urls: Vec<String> = stmt.query_map([&id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        // The first address is the record's own.
        if let Some(first) = &record.url {
            urls.retain(|u| u != first);
            urls.insert(0, first.clone());
        }
        Ok(Some(StoredRecord { record, urls }))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let groups = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_else(|| "(unknown)".into()), r.get::<_, i64>(1)? as u64)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Stats {
            records: count("SELECT count(*) FROM records")?,
            inputs: count("SELECT count(*) FROM inputs")?,
            inputs_done: count("SELECT count(*) FROM inputs WHERE done")?,
            pending: count("SELECT count(*) FROM pending")?,
            by_publisher: groups("SELECT publisher, count(*) n FROM records GROUP BY publisher ORDER BY n DESC, publisher")?,
            by_language: groups("SELECT language, count(*) n FROM records GROUP BY language ORDER BY n DESC, language")?,
            by_month: groups("SELECT substr(published, 1, 7) m, count(*) FROM records GROUP BY m ORDER BY m")?,
            errors_by_category: groups("SELECT category, count(*) n FROM errors GROUP BY category ORDER BY n DESC, category")?,
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
        let mut stmt = self.conn.prepare("SELECT input, offset, record, category, reason FROM errors ORDER BY seq")?;
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
        let ids: Vec<String> = stmt.query_map([limit as i64], |r| r.get(0))?.collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(r) = self.get(&id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<(String, Vec<u64>, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT record_id FROM lsh WHERE band = ?1 AND key = ?2")?;
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
            if let Some((blob, cluster)) = sig.query_row([&id], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, String>(1)?))).optional()? {
                let values = blob.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect();
                out.push((id, values, cluster));
            }
        }
        Ok(out)
    }

    fn cluster_members(&self, cluster: &str) -> Result<Vec<ClusterMember>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.title, r.publisher, r.published, r.url, c.similarity FROM clusters c JOIN records r ON r.id = c.record_id
             WHERE c.cluster = ?1 ORDER BY coalesce(r.published, '9999'), r.seq",
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
        Ok(self.conn.query_row("SELECT cluster FROM clusters WHERE record_id = ?1", [id], |r| r.get(0)).optional()?)
    }

    fn clusters(&self, min_size: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT cluster FROM clusters GROUP BY cluster HAVING count(*) >= ?1 ORDER BY count(*) DESC, cluster",
        )?;
        let rows = stmt.query_map([min_size as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn event_candidates(&self, kind: &str, place: Option<&str>, date_prefix: &str) -> Result<Vec<MergedEvent>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq FROM events WHERE type = ?1 AND place IS ?2 AND date LIKE ?3 || '%' ORDER BY seq",
        )?;
        let seqs: Vec<i64> = stmt.query_map(params![kind, place, date_prefix], |r| r.get(0))?.collect::<Result<_, _>>()?;
        // Merging needs only the events themselves; sources can be many.
        seqs.into_iter().map(|s| self.merged_event(s, false)).collect()
    }

    fn apply_dedup(&mut self, w: &DedupWrite) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let blob: Vec<u8> = w.signature.iter().flat_map(|v| v.to_le_bytes()).collect();
            tx.execute("INSERT OR REPLACE INTO signatures (record_id, sig) VALUES (?1, ?2)", params![w.record_id, blob])?;
            // No earlier band keys to remove: a record is handled once, and its
            // cluster row (written in this same transaction) marks it done.
            let mut lsh = tx.prepare_cached("INSERT INTO lsh (band, key, record_id) VALUES (?1, ?2, ?3)")?;
            for &(band, key) in &w.band_keys {
                lsh.execute(params![band, key as i64, w.record_id])?;
            }
            tx.execute(
                "INSERT OR REPLACE INTO clusters (record_id, cluster, similarity) VALUES (?1, ?2, ?3)",
                params![w.record_id, w.cluster, w.similarity],
            )?;
            if let Some(dup) = &w.duplicate_of {
                let json: String = tx.query_row("SELECT json FROM records WHERE id = ?1", [&w.record_id], |r| r.get(0))?;
                let mut rec: Record = serde_json::from_str(&json)?;
                let syn = rec.syndication.get_or_insert(gleaner_record::Syndication { original_publisher: None, notice: None, duplicate_of: None });
                syn.duplicate_of = Some(dup.clone());
                tx.execute("UPDATE records SET json = ?1 WHERE id = ?2", params![serde_json::to_string(&rec)?, w.record_id])?;
            }
            let mut src = tx.prepare_cached(
                "INSERT OR IGNORE INTO event_sources (event_seq, record_id, evidence, attributed_to) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (seq, ev) in &w.events {
                let seq = match seq {
                    Some(s) => *s,
                    None => {
                        tx.execute(
                            "INSERT INTO events (type, subtype, actor, target, place, date, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            params![ev.kind, ev.subtype, ev.actor, ev.target, ev.place, ev.date, serde_json::to_string(ev)?],
                        )?;
                        tx.last_insert_rowid()
                    }
                };
                src.execute(params![seq, w.record_id, ev.evidence, ev.attributed_to])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<MergedEvent>, StoreError> {
        let mut sql = String::from("SELECT seq FROM events WHERE 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(k) = &f.kind {
            sql.push_str(" AND type = ?");
            args.push(k.clone().into());
        }
        if let Some(p) = &f.place {
            sql.push_str(" AND place = ?");
            args.push(p.clone().into());
        }
        if let Some(from) = &f.from {
            sql.push_str(" AND date >= ?");
            args.push(from.clone().into());
        }
        if let Some(to) = &f.to {
            sql.push_str(" AND date <= ?");
            args.push(format!("{to}\u{10ffff}").into());
        }
        sql.push_str(" ORDER BY date, seq");
        let mut stmt = self.conn.prepare(&sql)?;
        let seqs: Vec<i64> = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))?.collect::<Result<_, _>>()?;
        seqs.into_iter().map(|s| self.merged_event(s, true)).collect()
    }
}

impl SqliteStore {
    fn merged_event(&self, seq: i64, with_sources: bool) -> Result<MergedEvent, StoreError> {
        let json: String = self.conn.query_row("SELECT json FROM events WHERE seq = ?1", [seq], |r| r.get(0))?;
        let event: Event = serde_json::from_str(&json)?;
        if !with_sources {
            return Ok(MergedEvent { seq, event, sources: Vec::new() });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id, evidence, attributed_to FROM event_sources WHERE event_seq = ?1 ORDER BY rowid",
        )?;
        let sources = stmt
            .query_map([seq], |r| Ok(EventSource { record_id: r.get(0)?, evidence: r.get(1)?, attributed_to: r.get(2)? }))?
            .collect::<Result<_, _>>()?;
        Ok(MergedEvent { seq, event, sources })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InputProgress, PendingRow};
    use gleaner_record::{InputInfo, InputKind};

    fn rec(text: &str, url: &str, publisher: &str, published: &str) -> Record {
        let mut r = Record::new(InputInfo::new(InputKind::Html, "x.html", 10));
        r.set_text(text.into());
        r.url = Some(url.into());
        r.title = Some(text.split('.').next().unwrap_or("").to_string());
        r.publisher = Some(publisher.into());
        r.published = Some(published.into());
        r.language = Some("en".into());
        r
    }

    fn tmp(name: &str) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("gleaner-store-{}-{name}.db", std::process::id()));
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
        }
        p
    }

    #[test]
    fn same_content_is_stored_once_with_both_addresses() {
        let mut s = SqliteStore::open(tmp("dup")).unwrap();
        let a = rec("Flood waters rose in the valley.", "https://a.test/1", "A", "2024-03-14");
        let b = rec("Flood waters rose in the valley.", "https://b.test/copy", "B", "2024-03-15");
        let st = s.commit(&Batch { records: vec![a.clone()], ..Batch::default() }).unwrap();
        assert_eq!(st.new_records, 1);
        let st = s.commit(&Batch { records: vec![b, a.clone()], ..Batch::default() }).unwrap();
        assert_eq!((st.new_records, st.known_records), (0, 2));
        let got = s.get(&a.id).unwrap().unwrap();
        assert_eq!(got.urls, vec!["https://a.test/1", "https://b.test/copy"]);
        assert_eq!(s.stats().unwrap().records, 1);
        assert_eq!(got.record, a);
    }

    #[test]
    fn search_with_filters_and_odd_input() {
        let mut s = SqliteStore::open(tmp("search")).unwrap();
        s.commit(&Batch {
            records: vec![
                rec("Border closed to all trade. Smugglers punished.", "https://a.test/1", "AMN", "2020-12-19"),
                rec("Harbour floods after storm surge.", "https://b.test/2", "Courier", "2024-03-14"),
            ],
            ..Batch::default()
        })
        .unwrap();
        let q = |text: &str| SearchQuery { text: Some(text.into()), limit: 10, ..SearchQuery::default() };
        let hits = s.search(&q("smugglers border")).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(hits[0].snippet.as_deref().unwrap().contains("[Smugglers]"));
        assert!(s.search(&q("\"unbalanced AND -")).unwrap().is_empty());
        let dated = SearchQuery { from: Some("2024".into()), to: Some("2024-03".into()), limit: 10, ..SearchQuery::default() };
        assert_eq!(s.search(&dated).unwrap().len(), 1);
        let by_pub = SearchQuery { publisher: Some("AMN".into()), limit: 10, ..SearchQuery::default() };
        assert_eq!(s.search(&by_pub).unwrap()[0].publisher.as_deref(), Some("AMN"));
    }

    #[test]
    fn batches_are_atomic_and_inputs_resume() {
        let path = tmp("atomic");
        let mut s = SqliteStore::open(&path).unwrap();
        let progress = InputProgress { path: "a.warc.gz".into(), state: InputState { size: 100, mtime: 5, offset: 40, done: false } };
        s.commit(&Batch {
            records: vec![rec("One story here.", "https://a.test/1", "A", "2024-01-01")],
            errors: vec![ErrorRow { input: "a.warc.gz".into(), offset: Some(20), record: None, category: "truncated".into(), reason: "ends early".into() }],
            pending: vec![PendingRow { url: "https://a.test/later".into(), title: None, date: None, source: "feed.xml".into() }],
            inputs: vec![progress.clone()],
        })
        .unwrap();
        // The same error again (a resumed run) is not a second row.
        s.commit(&Batch {
            errors: vec![ErrorRow { input: "a.warc.gz".into(), offset: Some(20), record: None, category: "truncated".into(), reason: "ends early".into() }],
            ..Batch::default()
        })
        .unwrap();
        drop(s);
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.input_state("a.warc.gz").unwrap(), Some(progress.state));
        assert_eq!(s.errors().unwrap().len(), 1);
        let st = s.stats().unwrap();
        assert_eq!((st.records, st.pending, st.inputs, st.inputs_done), (1, 1, 1, 0));
        assert_eq!(st.errors_by_category, vec![("truncated".to_string(), 1)]);
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn newer_schema_is_refused() {
        let path = tmp("newer");
        drop(SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        assert!(matches!(SqliteStore::open(&path), Err(StoreError::TooNew { found: 99, .. })));
    }

    #[test]
    fn id_prefix_lookup() {
        let mut s = SqliteStore::open(tmp("prefix")).unwrap();
        let r = rec("Unique words for prefix lookup.", "https://a.test/p", "A", "2024-01-01");
        s.commit(&Batch { records: vec![r.clone()], ..Batch::default() }).unwrap();
        assert_eq!(s.get(&r.id[..8]).unwrap().unwrap().record.id, r.id);
        assert!(s.get("zz").unwrap().is_none());
    }
}
