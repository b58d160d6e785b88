//! The shared store: one PostgreSQL database that several ingesters, the
//! server and the read commands use at once.
//!
//! Same tables and meaning as the SQLite store, with what sharing needs:
//! every write is an `INSERT … ON CONFLICT` on the natural key (record id,
//! address, error key, input path), input progress only moves forward, rows
//! are written in key order inside a transaction so concurrent batches do not
//! deadlock (and a batch that still meets a deadlock is retried), schema
//! migrations and dedup passes take turns under advisory locks. Search is a
//! `tsvector` column with a GIN index, its words made by the writer
//! (`tsv.rs`: letters and digits, lowercased, no stemming, like the SQLite
//! store's tokenizer). Every text column compares
//! by code point (`COLLATE "C"`), as SQLite does, so orderings agree.
//!
//! `schema.rs` holds the migrations, `write.rs` batches and the index tables
//! (`tsv.rs` their search words),
//! `query.rs` what users ask, `dedup.rs` the dedup-and-merge pass's side.

mod dedup;
mod query;
mod schema;
mod tsv;
mod watch;
mod write;

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};

use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Statement};

use crate::rules::stored_record;
use crate::{EventSource, MergedEvent, StoreError, StoredRecord};
use schema::{backfill_queue, MIGRATIONS, QUEUE_STEP};

/// Advisory lock keys (PostgreSQL scopes them to the database): "gleaner"
/// in ASCII, then which lock.
const LOCK_MIGRATE: i64 = 0x676c_6561_6e65_7201;
const LOCK_DEDUP_PASS: i64 = 0x676c_6561_6e65_7202;

/// How often a batch that met a deadlock or a serialisation failure (another
/// ingester writing the same rows) is tried again.
const RETRIES: usize = 5;

/// The PostgreSQL store.
pub struct PgStore {
    // The trait reads through `&self`, the client needs `&mut`; a mutex (not
    // a RefCell) keeps the store `Sync` for a server that shares it.
    client: Mutex<Conn>,
    /// The address it was opened with (for another connection).
    url: String,
    /// A group of dedup writes is open (a transaction begun by hand).
    dedup_batch: bool,
    /// When the dedup tables' planner statistics are next refreshed.
    dedup_stats: dedup::StatsClock,
    /// The open group's writes that wait for its end.
    dedup_group: dedup::GroupWrites,
    /// The pass's band keys and signatures in memory (see `dedup::LshCache`).
    lsh_cache: Mutex<dedup::LshCache>,
}

/// The synchronous client drives a small runtime of its own, which tokio
/// forbids starting or dropping on a thread of another runtime: a server
/// opening its first store (or dropping its pool) from async code would
/// panic. Opening and dropping move to a plain thread there; queries are the
/// caller's to run on blocking threads, as any store's are.
struct Conn(Option<Client>, Statements);

/// Prepared statements by their SQL: a statement given as text is parsed
/// and planned on every call, one more round trip each time.
#[derive(Default)]
struct Statements(HashMap<&'static str, Statement>);

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

impl Statements {
    fn execute(
        &mut self,
        db: &mut impl GenericClient,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<u64, StoreError> {
        let st = self.get(db, sql)?;
        Ok(db.execute(&st, params)?)
    }

    fn query(
        &mut self,
        db: &mut impl GenericClient,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Vec<postgres::Row>, StoreError> {
        let st = self.get(db, sql)?;
        Ok(db.query(&st, params)?)
    }

    fn query_one(
        &mut self,
        db: &mut impl GenericClient,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<postgres::Row, StoreError> {
        let st = self.get(db, sql)?;
        Ok(db.query_one(&st, params)?)
    }

    fn get(&mut self, db: &mut impl GenericClient, sql: &'static str) -> Result<Statement, StoreError> {
        if let Some(s) = self.0.get(sql) {
            return Ok(s.clone());
        }
        let s = db.prepare(sql)?;
        self.0.insert(sql, s.clone());
        Ok(s)
    }
}

impl Conn {
    /// The client and the statement cache, borrowed apart (a transaction
    /// borrows the client while statements are prepared).
    fn parts(&mut self) -> (&mut Client, &mut Statements) {
        (
            self.0
                .as_mut()
                .expect("the client is present until the store is dropped"),
            &mut self.1,
        )
    }
}

fn in_async_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

impl Deref for Conn {
    type Target = Client;
    fn deref(&self) -> &Client {
        // Only `drop` takes the client out.
        self.0
            .as_ref()
            .expect("the client is present until the store is dropped")
    }
}

impl DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut Client {
        self.0
            .as_mut()
            .expect("the client is present until the store is dropped")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            if in_async_runtime() {
                let _ = std::thread::spawn(move || drop(client)).join();
            }
        }
    }
}

/// PostgreSQL text cannot hold NUL characters; the indexed columns get a
/// space instead (the record JSON escapes them and stays exact).
fn clean(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', " "))
    } else {
        Cow::Borrowed(s)
    }
}

fn clean_opt(s: &Option<String>) -> Option<Cow<'_, str>> {
    s.as_deref().map(clean)
}

fn is_retryable(e: &StoreError) -> bool {
    match e {
        StoreError::Backend(b) => {
            let Some(e) = b.inner().downcast_ref::<postgres::Error>() else {
                return false;
            };
            matches!(e.code(), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE)
        }
        _ => false,
    }
}

/// A statement under construction with numbered parameters.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Box<dyn ToSql + Sync>>,
}

impl Sql {
    /// Adds a parameter and returns its placeholder.
    fn arg(&mut self, v: impl ToSql + Sync + 'static) -> String {
        self.args.push(Box::new(v));
        format!("${}", self.args.len())
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.args.iter().map(|a| &**a as &(dyn ToSql + Sync)).collect()
    }
}

impl PgStore {
    /// Connects to `url` (`postgres://user[:password]@host[:port]/db`) and
    /// brings the schema up to date.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        if in_async_runtime() {
            return std::thread::scope(|s| {
                s.spawn(|| Self::open_here(url))
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            });
        }
        Self::open_here(url)
    }

    fn open_here(url: &str) -> Result<Self, StoreError> {
        let address = crate::redact(url);
        let mut config: postgres::Config = url.parse().map_err(|source| StoreError::Connect {
            address: address.clone(),
            source: crate::BackendError::new(source),
        })?;
        config.application_name("gleaner");
        let mut client = config.connect(NoTls).map_err(|source| StoreError::Connect {
            address,
            source: crate::BackendError::new(source),
        })?;
        // Texts and record JSON are compressed as they are stored; lz4 costs
        // the server a fraction of the default pglz's CPU (issue 16: pglz was
        // a visible part of the writer's time). A server built without lz4
        // refuses the setting and keeps its default, which is only slower.
        let _ = client.batch_execute("SET default_toast_compression = lz4");
        let mut store = PgStore {
            client: Mutex::new(Conn(Some(client), Statements::default())),
            url: url.to_string(),
            dedup_batch: false,
            dedup_stats: dedup::StatsClock::default(),
            dedup_group: dedup::GroupWrites::default(),
            lsh_cache: Mutex::new(dedup::LshCache::default()),
        };
        store.migrate()?;
        Ok(store)
    }

    fn db(&self) -> MutexGuard<'_, Conn> {
        // A panic while holding the client leaves no half-done state behind
        // (transactions roll back on drop): the client is still usable.
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn db_mut(&mut self) -> &mut Client {
        self.client.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    fn conn_mut(&mut self) -> &mut Conn {
        self.client.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let mut tx = self.db_mut().transaction()?;
        // Two processes opening a new database at once: the second waits
        // here and then finds the schema in place.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_MIGRATE])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS gleaner_schema (version INTEGER PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())")?;
        let version: i64 = tx
            .query_one("SELECT coalesce(max(version), 0)::BIGINT FROM gleaner_schema", &[])?
            .try_get(0)?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.batch_execute(step)?;
            if i + 1 == QUEUE_STEP {
                backfill_queue(&mut tx)?;
            }
            tx.execute("INSERT INTO gleaner_schema (version) VALUES ($1)", &[&((i + 1) as i32)])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .db()
            .query_one("SELECT coalesce(max(version), 0)::BIGINT FROM gleaner_schema", &[])?
            .try_get(0)?)
    }

    /// Merged events by seq, in the order given, each with its sources:
    /// two queries whatever their number.
    fn merged_events(
        db: &mut impl GenericClient,
        cache: &mut Statements,
        seqs: &[i64],
    ) -> Result<Vec<MergedEvent>, StoreError> {
        let rows = cache.query(db, "SELECT seq, json FROM events WHERE seq = ANY($1)", &[&seqs])?;
        let mut by_seq: HashMap<i64, MergedEvent> = HashMap::new();
        for r in rows {
            let (seq, json): (i64, String) = (r.try_get(0)?, r.try_get(1)?);
            by_seq.insert(
                seq,
                MergedEvent {
                    seq,
                    event: serde_json::from_str(&json)?,
                    sources: Vec::new(),
                },
            );
        }
        Self::with_sources(db, cache, seqs.iter().filter_map(|s| by_seq.remove(s)).collect())
    }

    /// The events given, each with its sources (one query).
    fn with_sources(
        db: &mut impl GenericClient,
        cache: &mut Statements,
        mut events: Vec<MergedEvent>,
    ) -> Result<Vec<MergedEvent>, StoreError> {
        let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
        let at: HashMap<i64, usize> = seqs.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        let sources = cache.get(
            db,
            "SELECT event_seq, record_id, evidence, attributed_to, actor FROM event_sources WHERE event_seq = ANY($1)
             ORDER BY event_seq, rank, evidence",
        )?;
        for r in db.query(&sources, &[&seqs])? {
            if let Some(&i) = at.get(&r.try_get::<_, i64>(0)?) {
                events[i].sources.push(EventSource {
                    record_id: r.try_get(1)?,
                    evidence: r.try_get(2)?,
                    attributed_to: r.try_get(3)?,
                    actor: r.try_get(4)?,
                });
            }
        }
        Ok(events)
    }

    /// Stored records (with their cluster and addresses), one query: by
    /// exact id, by id prefix, or the next page after an id (`which` is one
    /// of `ID`, `PREFIX`, `AFTER`).
    fn records_where(
        db: &mut impl GenericClient,
        cache: &mut Statements,
        which: &'static str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let sql: &'static str = match which {
            ID => concat!(
                "SELECT r.id, r.json, c.cluster, ARRAY(SELECT url FROM record_urls u WHERE u.record_id = r.id)
                           FROM records r LEFT JOIN clusters c ON c.record_id = r.id ",
                "WHERE r.id = $1"
            ),
            PREFIX => concat!(
                "SELECT r.id, r.json, c.cluster, ARRAY(SELECT url FROM record_urls u WHERE u.record_id = r.id)
                               FROM records r LEFT JOIN clusters c ON c.record_id = r.id ",
                "WHERE starts_with(r.id, $1) LIMIT 2"
            ),
            _ => concat!(
                "SELECT r.id, r.json, c.cluster, ARRAY(SELECT url FROM record_urls u WHERE u.record_id = r.id)
                              FROM records r LEFT JOIN clusters c ON c.record_id = r.id ",
                "WHERE r.id > $1 ORDER BY r.id LIMIT $2"
            ),
        };
        let stmt = cache.get(db, sql)?;
        db.query(&stmt, params)?
            .iter()
            .map(|row| {
                let (json, cluster, urls): (String, Option<String>, Vec<String>) =
                    (row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
                stored_record(&json, cluster, urls)
            })
            .collect()
    }

    fn get_with(
        db: &mut impl GenericClient,
        cache: &mut Statements,
        id: &str,
    ) -> Result<Option<StoredRecord>, StoreError> {
        let mut found = if id.len() >= 16 {
            Self::records_where(db, cache, ID, &[&id])?
        } else if id.len() >= 6 {
            Self::records_where(db, cache, PREFIX, &[&id])?
        } else {
            Vec::new()
        };
        Ok(if found.len() == 1 { found.pop() } else { None })
    }
}

/// Which records `records_where` selects.
const ID: &str = "id";
const PREFIX: &str = "prefix";
const AFTER: &str = "after";

fn count(v: i64) -> u64 {
    v.max(0) as u64
}
