//! The watch's tables in SQLite (see `crate::watch`).

use rusqlite::{params, OptionalExtension};

use super::SqliteStore;
use crate::watch::{
    FetchOutcome, FetchRow, ListedEntry, Round, SavedSearch, SourceState, WatchStore, MAX_FETCH_ATTEMPTS,
};
use crate::StoreError;

fn ack(tx: &rusqlite::Transaction<'_>, acked: Option<(&str, u64)>) -> Result<(), StoreError> {
    if let Some((path, len)) = acked {
        tx.execute(
            "INSERT INTO warc_files (path, acked) VALUES (?1, ?2) ON CONFLICT (path) DO UPDATE SET acked = excluded.acked",
            params![path, len as i64],
        )?;
    }
    Ok(())
}

fn fetch_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FetchRow> {
    let outcome: String = r.get(2)?;
    Ok(FetchRow {
        url: r.get(0)?,
        fetched_at: r.get(1)?,
        outcome: FetchOutcome::parse(&outcome).unwrap_or(FetchOutcome::Failed),
        status: r.get::<_, Option<i64>>(3)?.map(|s| s as u16),
        final_url: r.get(4)?,
        reason: r.get(5)?,
        warc_file: r.get(6)?,
        warc_offset: r.get::<_, Option<i64>>(7)?.map(|o| o as u64),
        payload_digest: r.get(8)?,
        attempts: r.get::<_, i64>(9)? as u32,
    })
}

impl WatchStore for SqliteStore {
    fn source_state(&self, url: &str) -> Result<Option<SourceState>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT url, label, etag, last_modified, checked_at, status, last_entries FROM watch_sources WHERE url = ?1",
                [url],
                |r| {
                    Ok((
                        SourceState {
                            url: r.get(0)?,
                            label: r.get(1)?,
                            etag: r.get(2)?,
                            last_modified: r.get(3)?,
                            checked_at: r.get(4)?,
                            status: r.get::<_, Option<i64>>(5)?.map(|s| s as u16),
                            last_entries: Vec::new(),
                        },
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((mut state, entries)) = row else {
            return Ok(None);
        };
        state.last_entries = serde_json::from_str(&entries)?;
        Ok(Some(state))
    }

    fn list_entries(
        &mut self,
        state: &SourceState,
        entries: &[ListedEntry],
        acked: Option<(&str, u64)>,
    ) -> Result<usize, StoreError> {
        // As every write transaction of the store (see `turn.rs`).
        let _turn = self.turn.take();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut due = 0;
        {
            let mut known = tx.prepare_cached("SELECT date FROM pending WHERE url = ?1")?;
            let mut insert =
                tx.prepare_cached("INSERT INTO pending (url, title, date, source) VALUES (?1, ?2, ?3, ?4)")?;
            let mut redate = tx.prepare_cached("UPDATE pending SET date = ?2 WHERE url = ?1")?;
            let mut refetch = tx.prepare_cached("DELETE FROM fetches WHERE url = ?1")?;
            for e in entries {
                let before: Option<Option<String>> = known.query_row([&e.url], |r| r.get(0)).optional()?;
                match before {
                    None => {
                        insert.execute(params![e.url, e.title, e.date, state.url])?;
                        due += 1;
                    }
                    // Listed again with another date: the page changed, so
                    // its new version is fetched (the old one stays archived).
                    Some(old) if e.date.is_some() && old.is_some() && old != e.date => {
                        redate.execute(params![e.url, e.date])?;
                        refetch.execute([&e.url])?;
                        due += 1;
                    }
                    Some(_) => {}
                }
            }
        }
        tx.execute(
            "INSERT INTO watch_sources (url, label, etag, last_modified, checked_at, status, last_entries)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (url) DO UPDATE SET label = excluded.label, etag = excluded.etag,
                 last_modified = excluded.last_modified, checked_at = excluded.checked_at,
                 status = excluded.status, last_entries = excluded.last_entries",
            params![
                state.url,
                state.label,
                state.etag,
                state.last_modified,
                state.checked_at,
                state.status.map(i64::from),
                serde_json::to_string(&state.last_entries)?
            ],
        )?;
        ack(&tx, acked)?;
        tx.commit()?;
        Ok(due)
    }

    fn due(&self, limit: usize) -> Result<Vec<ListedEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.url, p.title, p.date FROM pending p LEFT JOIN fetches f ON f.url = p.url
             WHERE f.url IS NULL OR (f.outcome = 'failed' AND f.attempts < ?1)
             ORDER BY p.rowid LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![MAX_FETCH_ATTEMPTS, limit as i64], |r| {
            Ok(ListedEntry {
                url: r.get(0)?,
                title: r.get(1)?,
                date: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn fetch_of(&self, url: &str) -> Result<Option<FetchRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT url, fetched_at, outcome, status, final_url, reason, warc_file, warc_offset, payload_digest, attempts
                 FROM fetches WHERE url = ?1",
                [url],
                fetch_row,
            )
            .optional()?)
    }

    fn record_fetch(&mut self, row: &FetchRow, acked: Option<(&str, u64)>) -> Result<(), StoreError> {
        // As every write transaction of the store (see `turn.rs`).
        let _turn = self.turn.take();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT OR REPLACE INTO fetches (url, fetched_at, outcome, status, final_url, reason, warc_file, warc_offset, payload_digest, attempts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                row.url,
                row.fetched_at,
                row.outcome.as_str(),
                row.status.map(i64::from),
                row.final_url,
                row.reason,
                row.warc_file,
                row.warc_offset.map(|o| o as i64),
                row.payload_digest,
                row.attempts
            ],
        )?;
        ack(&tx, acked)?;
        tx.commit()?;
        Ok(())
    }

    fn ack_warc(&mut self, path: &str, len: u64) -> Result<(), StoreError> {
        // As every write transaction of the store (see `turn.rs`).
        let _turn = self.turn.take();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        ack(&tx, Some((path, len)))?;
        tx.commit()?;
        Ok(())
    }

    fn warc_files(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT path, acked FROM warc_files ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn save_search(&mut self, query: &str, created_at: &str) -> Result<SavedSearch, StoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO saved_searches (query, created_at) VALUES (?1, ?2)",
            params![query, created_at],
        )?;
        Ok(self.conn.query_row(
            "SELECT id, query, created_at FROM saved_searches WHERE query = ?1",
            [query],
            |r| {
                Ok(SavedSearch {
                    id: r.get(0)?,
                    query: r.get(1)?,
                    created_at: r.get(2)?,
                })
            },
        )?)
    }

    fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, query, created_at FROM saved_searches ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(SavedSearch {
                id: r.get(0)?,
                query: r.get(1)?,
                created_at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn delete_search(&mut self, id: i64) -> Result<bool, StoreError> {
        Ok(self.conn.execute("DELETE FROM saved_searches WHERE id = ?1", [id])? > 0)
    }

    fn begin_round(&mut self, started_at: &str) -> Result<Round, StoreError> {
        self.conn
            .execute("INSERT INTO watch_rounds (started_at) VALUES (?1)", [started_at])?;
        Ok(Round {
            id: self.conn.last_insert_rowid(),
            started_at: started_at.to_string(),
            finished_at: None,
        })
    }

    fn end_round(&mut self, id: i64, finished_at: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE watch_rounds SET finished_at = ?2 WHERE id = ?1",
            params![id, finished_at],
        )?;
        Ok(())
    }

    fn last_round(&self) -> Result<Option<Round>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, started_at, finished_at FROM watch_rounds ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok(Round {
                        id: r.get(0)?,
                        started_at: r.get(1)?,
                        finished_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }
}
