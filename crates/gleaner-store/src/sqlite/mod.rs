//! The embedded store: one SQLite file in WAL mode, FTS5 for search.
//!
//! `schema.rs` holds the migrations and the index tables' upkeep, `query.rs`
//! what users ask, `dedup.rs` the dedup-and-merge pass's side.

mod dedup;
mod query;
mod schema;

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use crate::rules::prefer_copy;
use crate::{Batch, CommitStats, EventSource, InputState, MergedEvent, StoreError, WriteStore};
use gleaner_record::Event;
use schema::{backfill_index, index_record, INDEX_STEP, MIGRATIONS};

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

impl WriteStore for SqliteStore {
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
