//! The watch's tables in PostgreSQL (see `crate::watch`), as SQLite has them.

use postgres::Transaction;

use super::{count, PgStore};
use crate::watch::{
    FetchOutcome, FetchRow, ListedEntry, Round, SavedSearch, SourceState, WatchStore, MAX_FETCH_ATTEMPTS,
};
use crate::StoreError;

fn ack(tx: &mut Transaction<'_>, acked: Option<(&str, u64)>) -> Result<(), StoreError> {
    if let Some((path, len)) = acked {
        tx.execute(
            "INSERT INTO warc_files (path, acked) VALUES ($1, $2) ON CONFLICT (path) DO UPDATE SET acked = excluded.acked",
            &[&path, &(len as i64)],
        )?;
    }
    Ok(())
}

fn fetch_row(r: &postgres::Row) -> Result<FetchRow, StoreError> {
    let outcome: String = r.try_get(2)?;
    Ok(FetchRow {
        url: r.try_get(0)?,
        fetched_at: r.try_get(1)?,
        outcome: FetchOutcome::parse(&outcome).unwrap_or(FetchOutcome::Failed),
        status: r.try_get::<_, Option<i32>>(3)?.map(|s| s as u16),
        final_url: r.try_get(4)?,
        reason: r.try_get(5)?,
        warc_file: r.try_get(6)?,
        warc_offset: r.try_get::<_, Option<i64>>(7)?.map(count),
        payload_digest: r.try_get(8)?,
        attempts: r.try_get::<_, i32>(9)? as u32,
    })
}

fn saved(r: &postgres::Row) -> Result<SavedSearch, StoreError> {
    Ok(SavedSearch {
        id: r.try_get(0)?,
        query: r.try_get(1)?,
        created_at: r.try_get(2)?,
    })
}

impl WatchStore for PgStore {
    fn source_state(&self, url: &str) -> Result<Option<SourceState>, StoreError> {
        let row = self.db().query_opt(
            "SELECT url, label, etag, last_modified, checked_at, status, last_entries FROM watch_sources WHERE url = $1",
            &[&url],
        )?;
        let Some(r) = row else { return Ok(None) };
        let entries: String = r.try_get(6)?;
        Ok(Some(SourceState {
            url: r.try_get(0)?,
            label: r.try_get(1)?,
            etag: r.try_get(2)?,
            last_modified: r.try_get(3)?,
            checked_at: r.try_get(4)?,
            status: r.try_get::<_, Option<i32>>(5)?.map(|s| s as u16),
            last_entries: serde_json::from_str(&entries)?,
        }))
    }

    fn list_entries(
        &mut self,
        state: &SourceState,
        entries: &[ListedEntry],
        acked: Option<(&str, u64)>,
    ) -> Result<usize, StoreError> {
        let mut tx = self.db_mut().transaction()?;
        let mut due = 0;
        for e in entries {
            let before = tx.query_opt("SELECT date FROM pending WHERE url = $1 FOR UPDATE", &[&e.url])?;
            match before {
                None => {
                    // Another watch on the same store may list it at once.
                    due += tx.execute(
                        "INSERT INTO pending (url, title, date, source) VALUES ($1, $2, $3, $4) ON CONFLICT (url) DO NOTHING",
                        &[&e.url, &e.title, &e.date, &state.url],
                    )? as usize;
                }
                Some(row) => {
                    let old: Option<String> = row.try_get(0)?;
                    // Listed again with another date: the page changed.
                    if e.date.is_some() && old.is_some() && old != e.date {
                        tx.execute("UPDATE pending SET date = $2 WHERE url = $1", &[&e.url, &e.date])?;
                        tx.execute("DELETE FROM fetches WHERE url = $1", &[&e.url])?;
                        due += 1;
                    }
                }
            }
        }
        tx.execute(
            "INSERT INTO watch_sources (url, label, etag, last_modified, checked_at, status, last_entries)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (url) DO UPDATE SET label = excluded.label, etag = excluded.etag,
                 last_modified = excluded.last_modified, checked_at = excluded.checked_at,
                 status = excluded.status, last_entries = excluded.last_entries",
            &[
                &state.url,
                &state.label,
                &state.etag,
                &state.last_modified,
                &state.checked_at,
                &state.status.map(i32::from),
                &serde_json::to_string(&state.last_entries)?,
            ],
        )?;
        ack(&mut tx, acked)?;
        tx.commit()?;
        Ok(due)
    }

    fn due(&self, limit: usize) -> Result<Vec<ListedEntry>, StoreError> {
        let rows = self.db().query(
            "SELECT p.url, p.title, p.date FROM pending p LEFT JOIN fetches f ON f.url = p.url
             WHERE f.url IS NULL OR (f.outcome = 'failed' AND f.attempts < $1)
             ORDER BY p.seq LIMIT $2",
            &[&(MAX_FETCH_ATTEMPTS as i32), &(limit as i64)],
        )?;
        rows.iter()
            .map(|r| {
                Ok(ListedEntry {
                    url: r.try_get(0)?,
                    title: r.try_get(1)?,
                    date: r.try_get(2)?,
                })
            })
            .collect()
    }

    fn fetch_of(&self, url: &str) -> Result<Option<FetchRow>, StoreError> {
        let row = self.db().query_opt(
            "SELECT url, fetched_at, outcome, status, final_url, reason, warc_file, warc_offset, payload_digest, attempts
             FROM fetches WHERE url = $1",
            &[&url],
        )?;
        row.as_ref().map(fetch_row).transpose()
    }

    fn record_fetch(&mut self, row: &FetchRow, acked: Option<(&str, u64)>) -> Result<(), StoreError> {
        let mut tx = self.db_mut().transaction()?;
        tx.execute(
            "INSERT INTO fetches (url, fetched_at, outcome, status, final_url, reason, warc_file, warc_offset, payload_digest, attempts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, outcome = excluded.outcome,
                 status = excluded.status, final_url = excluded.final_url, reason = excluded.reason,
                 warc_file = excluded.warc_file, warc_offset = excluded.warc_offset,
                 payload_digest = excluded.payload_digest, attempts = excluded.attempts",
            &[
                &row.url,
                &row.fetched_at,
                &row.outcome.as_str(),
                &row.status.map(i32::from),
                &row.final_url,
                &row.reason,
                &row.warc_file,
                &row.warc_offset.map(|o| o as i64),
                &row.payload_digest,
                &(row.attempts as i32),
            ],
        )?;
        ack(&mut tx, acked)?;
        tx.commit()?;
        Ok(())
    }

    fn ack_warc(&mut self, path: &str, len: u64) -> Result<(), StoreError> {
        let mut tx = self.db_mut().transaction()?;
        ack(&mut tx, Some((path, len)))?;
        tx.commit()?;
        Ok(())
    }

    fn warc_files(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let rows = self
            .db()
            .query("SELECT path, acked FROM warc_files ORDER BY seq", &[])?;
        rows.iter().map(|r| Ok((r.try_get(0)?, count(r.try_get(1)?)))).collect()
    }

    fn save_search(&mut self, query: &str, created_at: &str) -> Result<SavedSearch, StoreError> {
        let mut db = self.db();
        db.execute(
            "INSERT INTO saved_searches (query, created_at) VALUES ($1, $2) ON CONFLICT (query) DO NOTHING",
            &[&query, &created_at],
        )?;
        let row = db.query_one(
            "SELECT id, query, created_at FROM saved_searches WHERE query = $1",
            &[&query],
        )?;
        saved(&row)
    }

    fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError> {
        let rows = self
            .db()
            .query("SELECT id, query, created_at FROM saved_searches ORDER BY id", &[])?;
        rows.iter().map(saved).collect()
    }

    fn delete_search(&mut self, id: i64) -> Result<bool, StoreError> {
        Ok(self.db().execute("DELETE FROM saved_searches WHERE id = $1", &[&id])? > 0)
    }

    fn begin_round(&mut self, started_at: &str) -> Result<Round, StoreError> {
        let row = self.db().query_one(
            "INSERT INTO watch_rounds (started_at) VALUES ($1) RETURNING id",
            &[&started_at],
        )?;
        Ok(Round {
            id: row.try_get(0)?,
            started_at: started_at.to_string(),
            finished_at: None,
        })
    }

    fn end_round(&mut self, id: i64, finished_at: &str) -> Result<(), StoreError> {
        self.db().execute(
            "UPDATE watch_rounds SET finished_at = $2 WHERE id = $1",
            &[&id, &finished_at],
        )?;
        Ok(())
    }

    fn last_round(&self) -> Result<Option<Round>, StoreError> {
        let row = self.db().query_opt(
            "SELECT id, started_at, finished_at FROM watch_rounds ORDER BY id DESC LIMIT 1",
            &[],
        )?;
        row.map(|r| {
            Ok(Round {
                id: r.try_get(0)?,
                started_at: r.try_get(1)?,
                finished_at: r.try_get(2)?,
            })
        })
        .transpose()
    }
}
