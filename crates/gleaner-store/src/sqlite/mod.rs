//! The embedded store: one SQLite file in WAL mode, FTS5 for search.
//!
//! `schema.rs` holds the migrations and the index tables' upkeep, `query.rs`
//! what users ask, `dedup.rs` the dedup-and-merge pass's side.

mod dedup;
mod facet_table;
mod query;
mod rank;
mod schema;
mod turn;
mod watch;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::rules::prefer_copy;
use crate::rules::sig_bytes;
use crate::{Batch, CommitStats, EventSource, InputState, MergedEvent, StoreError, WriteStore};
use gleaner_record::Event;
use schema::{backfill_index, backfill_queue, index_record, INDEX_STEP, MIGRATIONS, QUEUE_STEP};
use turn::{Held, WriteTurn};

/// The embedded SQLite store.
pub struct SqliteStore {
    conn: Connection,
    /// The database file (for the dedup pass's lock file beside it).
    path: PathBuf,
    /// Held while this connection runs a dedup pass (see [`DedupStore::begin_dedup_pass`]).
    pass_lock: Option<File>,
    /// A group of dedup writes is open (see [`DedupStore::begin_dedup_batch`]).
    dedup_batch: bool,
    /// Shared with the connections [`DedupStore::connect_again`] makes: taken
    /// around every write transaction (see `turn.rs`).
    turn: Arc<WriteTurn>,
    /// The turn, while a group of dedup writes is open.
    held: Option<Held>,
    /// Read on a search's first facet count (see [`facet_table`]).
    facet_table: std::cell::RefCell<Option<facet_table::FacetTable>>,
    /// `gleaner_bm25`'s lengths, once registered on the first search by
    /// relevance (`None`: it could not be, and `bm25()` ranks).
    rank: std::cell::OnceCell<Option<rank::Lengths>>,
}

/// How long a statement waits for another process's write lock before
/// failing with "database is locked". Batches are small, so waits are short;
/// a dedup pass or a migration in another process can take longer.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// The page cache of a read-only connection (KiB). SQLite's default (2 MiB)
/// holds less than a search's working set on a store of 100,000 records
/// (the compact search indexes, the facet index, the full-text index's
/// common terms), so every search read pages back from the file, about a
/// seventh of a loaded server's time. The memory is taken only as pages are
/// read, and is freed with the connection.
const READ_CACHE_KIB: i64 = 32 * 1024;

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` for reading and
    /// writing, brings its schema up to date, and refuses a damaged file.
    ///
    /// Several processes may open one file at once (ingesters, a server):
    /// schema changes happen in one exclusive transaction, so a second
    /// process opening a new store waits and then finds the schema in place.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path)?;
        // The busy timeout first: even switching to WAL needs a lock another
        // process may hold.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers (search, serve) do not block the writer; NORMAL sync is
        // durable across process crashes, which is what resume relies on.
        //
        // Two processes creating one store both read its header in the
        // rollback journal's mode and then both ask for the lock that the
        // switch needs: SQLite sees that deadlock and answers "database is
        // locked" at once, without calling the busy handler. The switch is
        // retried, as the handler would, until the busy timeout.
        let started = Instant::now();
        loop {
            match conn.pragma_update(None, "journal_mode", "WAL") {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
                other => break other?,
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A 64 MB page cache (the default is 2 MB): the dedup pass reads back
        // the signatures, clusters and events of earlier batches, and the
        // writer's indexes outgrow 2 MB within a few thousand records, after
        // which every page they touch is read from the file again (issue 16:
        // 2 % of an ingest's CPU in pread and the cache's misses). Only what is
        // used is allocated, and it stays within the ingest's 300 MB budget.
        conn.pragma_update(None, "cache_size", -65536)?;
        // The writer, the dedup pass and the queries each cycle through
        // more statements than rusqlite's default cache of 16 holds; an
        // evicted statement is parsed again on its next use.
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            pass_lock: None,
            dedup_batch: false,
            turn: Arc::default(),
            held: None,
            facet_table: Default::default(),
            rank: Default::default(),
        };
        store.check_integrity()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing store for reading only: what search, export and
    /// the server's queries need. Works on read-only media: when the file
    /// cannot be opened with its write-ahead log (no write access to its
    /// folder), it is opened as immutable. Refuses a store whose schema is
    /// older or newer than this build's (an older one is upgraded by opening
    /// it once for writing, e.g. by `gleaner ingest`).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let uri = |query: &str| format!("file:{}?{query}", uri_path(path));
        let attempt = |query: &str| -> Result<Connection, StoreError> {
            let conn = Connection::open_with_flags(uri(query), flags)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            // Opening is lazy: a query shows whether the file can be read.
            conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?;
            // Negative: in KiB, as SQLite counts it.
            conn.pragma_update(None, "cache_size", -READ_CACHE_KIB)?;
            Ok(conn)
        };
        let conn = match attempt("mode=ro") {
            Ok(c) => c,
            Err(StoreError::Backend(_)) => attempt("immutable=1")?,
            Err(e) => return Err(e),
        };
        let store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            pass_lock: None,
            dedup_batch: false,
            turn: Arc::default(),
            held: None,
            facet_table: Default::default(),
            rank: Default::default(),
        };
        let version = store.schema_version()?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                found: version,
                supported,
            });
        }
        if version < supported {
            return Err(StoreError::TooOld {
                found: version,
                supported,
            });
        }
        Ok(store)
    }

    /// A quick structural check of the file (`PRAGMA quick_check`): writing
    /// into a damaged store would bury the damage under new records.
    fn check_integrity(&self) -> Result<(), StoreError> {
        let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Damaged(e.to_string())
            }
            _ => StoreError::from(e),
        };
        let mut stmt = self.conn.prepare("PRAGMA quick_check(5)").map_err(damaged)?;
        let problems: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .map_err(damaged)?
            .collect::<Result<_, _>>()
            .map_err(damaged)?;
        if problems.len() == 1 && problems[0] == "ok" {
            return Ok(());
        }
        Err(StoreError::Damaged(problems.join("; ")))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // Exclusive from the start: the version read and the steps applied
        // are one unit, so two processes opening a new store cannot both
        // create its tables.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if version > supported {
            return Err(StoreError::TooNew {
                found: version,
                supported,
            });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(step)?;
            if i + 1 == INDEX_STEP {
                backfill_index(&tx)?;
            }
            if i + 1 == QUEUE_STEP {
                backfill_queue(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// The file that dedup passes of every process lock in turn.
    fn pass_lock_path(&self) -> PathBuf {
        let mut name = self.path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
        name.push(".dedup-lock");
        self.path.with_file_name(name)
    }
}

/// A path as the path part of an SQLite `file:` URI (`?`, `#` and `%`
/// escaped; the rest as is).
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
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
        // Before the transaction, so it is given back after it ends.
        let _turn = self.turn.take();
        // Immediate: take the write lock first. A deferred transaction that
        // reads and then writes fails at once ("database is locked") when
        // another ingester wrote in between, whatever the busy timeout.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO records (id, url, title, published, publisher, language, original_publisher, json, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut fts = tx.prepare_cached("INSERT INTO records_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
            let mut url = tx.prepare_cached("INSERT OR IGNORE INTO record_urls (record_id, url) VALUES (?1, ?2)")?;
            let mut signature =
                tx.prepare_cached("INSERT OR REPLACE INTO signatures (record_id, sig) VALUES (?1, ?2)")?;
            let mut queue =
                tx.prepare_cached("INSERT OR IGNORE INTO dedup_queue (record_id, events) VALUES (?1, ?2)")?;
            for new in &batch.records {
                let (r, json) = (&new.record, &new.json);
                let original = r.syndication.as_ref().and_then(|s| s.original_publisher.clone());
                let added = insert.execute(params![
                    r.id,
                    r.url,
                    r.title,
                    r.published,
                    r.publisher,
                    r.language,
                    original,
                    json,
                    r.fetched_at
                ])?;
                if added > 0 {
                    stats.new_records += 1;
                    let seq = tx.last_insert_rowid();
                    fts.execute(params![seq, r.title, r.text])?;
                    index_record(&tx, r, seq)?;
                    // What the dedup pass needs, so it never reads the record back.
                    signature.execute(params![r.id, sig_bytes(&new.signature)])?;
                    queue.execute(params![r.id, serde_json::to_string(&r.events)?])?;
                } else {
                    stats.known_records += 1;
                    let (seq, old_url, old_json): (i64, Option<String>, String) =
                        tx.query_row("SELECT seq, url, json FROM records WHERE id = ?1", [&r.id], |x| {
                            Ok((x.get(0)?, x.get(1)?, x.get(2)?))
                        })?;
                    if prefer_copy(r.url.as_deref(), json, old_url.as_deref(), &old_json) {
                        tx.execute(
                            "UPDATE records SET url = ?1, title = ?2, published = ?3, publisher = ?4, language = ?5,
                                 original_publisher = ?6, json = ?7, fetched_at = ?8 WHERE seq = ?9",
                            params![
                                r.url,
                                r.title,
                                r.published,
                                r.publisher,
                                r.language,
                                original,
                                json,
                                r.fetched_at,
                                seq
                            ],
                        )?;
                        tx.execute(
                            "UPDATE records_fts SET title = ?1, text = ?2 WHERE rowid = ?3",
                            params![r.title, r.text, seq],
                        )?;
                        tx.execute("DELETE FROM record_facets WHERE seq = ?1", [seq])?;
                        tx.execute("DELETE FROM record_places WHERE record_id = ?1", [&r.id])?;
                        tx.execute("DELETE FROM record_event_types WHERE record_id = ?1", [&r.id])?;
                        index_record(&tx, r, seq)?;
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
            .prepare_cached("SELECT json FROM events WHERE seq = ?1")?
            .query_row([seq], |r| r.get(0))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QueryStore;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gleaner-sqlite-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("s.db")
    }

    /// The bundled SQLite is built as `.cargo/config.toml` asks: without
    /// memory management, whose one page-cache group puts every reading
    /// connection behind the same mutex.
    #[test]
    fn page_caches_are_built_without_a_shared_mutex() {
        let conn = Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("PRAGMA compile_options").unwrap();
        let options: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(options.iter().any(|o| o.starts_with("THREADSAFE=1")), "{options:?}");
        assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "{options:?}");
    }

    #[test]
    fn the_interrupter_stops_a_running_query_and_the_connection_goes_on() {
        let store = SqliteStore::open(scratch("interrupt")).unwrap();
        let interrupter = store.interrupter();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            interrupter.interrupt();
        });
        // Counts for ever unless stopped.
        let endless = store.conn.query_row(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n",
            [],
            |r| r.get::<_, i64>(0),
        );
        stopper.join().unwrap();
        assert!(matches!(
            endless.map_err(StoreError::from),
            Err(StoreError::Interrupted)
        ));
        assert_eq!(store.stats().unwrap().records, 0, "the connection still answers");
    }

    /// Calls of the busy handler installed by the test below.
    static BUSY_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    fn counting_busy_handler(_tries: i32) -> bool {
        BUSY_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(1));
        true
    }

    fn one_record(text: &str) -> Batch {
        let mut r = gleaner_record::Record::new(gleaner_record::InputInfo::new(
            gleaner_record::InputKind::Html,
            "x.html",
            1,
        ));
        r.set_text(format!("{text} {}", "More words. ".repeat(20)));
        Batch {
            records: vec![r.into()],
            ..Batch::default()
        }
    }

    #[test]
    fn the_writer_and_the_dedup_connection_never_meet_in_the_busy_handler() {
        use crate::DedupStore;
        let mut writer = SqliteStore::open(scratch("turn")).unwrap();
        let mut pass = writer.again().unwrap();
        // Instead of the busy timeout: a handler that counts and retries.
        writer.conn.busy_handler(Some(counting_busy_handler)).unwrap();
        pass.conn.busy_handler(Some(counting_busy_handler)).unwrap();
        // The pass holds SQLite's write lock (an open dedup group).
        pass.begin_dedup_batch().unwrap();
        let committing = std::thread::spawn(move || {
            writer.commit(&one_record("A harbour flooded.")).unwrap();
            writer
        });
        // The writer now waits for the lock: in the turn, or (were the turn
        // not taken) in SQLite's busy handler. Only then is the group ended.
        while pass.turn.queued() < 2 && BUSY_CALLS.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        pass.end_dedup_batch(true).unwrap();
        let writer = committing.join().unwrap();
        assert_eq!(
            BUSY_CALLS.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "the writer slept in SQLite's busy handler"
        );
        assert_eq!(writer.stats().unwrap().records, 1);
        assert_eq!(writer.turn.queued(), 0, "the turn was given back");
    }

    #[test]
    fn a_damaged_file_is_refused_for_writing() {
        let path = scratch("damaged");
        {
            let mut s = SqliteStore::open(&path).unwrap();
            let records: Vec<gleaner_record::Record> = (0..300)
                .map(|i| {
                    let mut r = gleaner_record::Record::new(gleaner_record::InputInfo::new(
                        gleaner_record::InputKind::Html,
                        "x.html",
                        1,
                    ));
                    r.set_text(format!(
                        "Story {i} about a harbour that flooded. {}",
                        "More words. ".repeat(40)
                    ));
                    r
                })
                .collect();
            s.commit(&Batch {
                records: records.into_iter().map(Into::into).collect(),
                ..Batch::default()
            })
            .unwrap();
            s.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        }
        // Scribble over pages in the middle of the file.
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        for b in &mut bytes[mid..mid + 8192] {
            *b = 0x5a;
        }
        std::fs::write(&path, bytes).unwrap();
        match SqliteStore::open(&path) {
            Err(StoreError::Damaged(why)) => assert!(!why.is_empty()),
            Err(e) => panic!("damage reported as something else: {e}"),
            Ok(_) => panic!("a damaged store was opened for writing"),
        }
    }

    #[test]
    fn read_only_opening_refuses_schemas_it_cannot_read_as_they_are() {
        let path = scratch("readonly");
        drop(SqliteStore::open(&path).unwrap());
        let ro = SqliteStore::open_read_only(&path).unwrap();
        assert_eq!(ro.stats().unwrap().records, 0);
        // Readers keep more of the store's pages than SQLite's default.
        let cache: i64 = ro.conn.pragma_query_value(None, "cache_size", |r| r.get(0)).unwrap();
        assert_eq!(cache, -READ_CACHE_KIB);
        let err = ro.conn.execute_batch("CREATE TABLE t (x)").unwrap_err();
        assert!(err.to_string().contains("readonly"), "{err}");
        drop(ro);
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        drop(conn);
        assert!(matches!(
            SqliteStore::open_read_only(&path),
            Err(StoreError::TooOld { found: 2, .. })
        ));
        assert!(matches!(
            SqliteStore::open_read_only(path.with_file_name("missing.db")),
            Err(StoreError::Backend(_))
        ));
    }
}
