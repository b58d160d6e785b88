//! The shared store: one PostgreSQL database that several ingesters, the
//! server and the read commands use at once.
//!
//! Same tables and meaning as the SQLite store, with what sharing needs:
//! every write is an `INSERT … ON CONFLICT` on the natural key (record id,
//! address, error key, input path), input progress only moves forward, rows
//! are written in key order inside a transaction so concurrent batches do not
//! deadlock (and a batch that still meets a deadlock is retried), schema
//! migrations and dedup passes take turns under advisory locks. Search is a
//! `tsvector` generated column with a GIN index, `simple` configuration (no
//! stemming, like the SQLite store's tokenizer). Every text column compares
//! by code point (`COLLATE "C"`), as SQLite does, so orderings agree.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};

use gleaner_record::Record;
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, GenericClient, NoTls, Statement, Transaction};

use crate::sqlite::{prefer_copy, rank, stored_record};
use crate::{
    Batch, ClusterMember, CommitStats, DateCount, DedupWrite, ErrorRow, EventFilter, EventSource, Facet, Hit,
    InputState, MergedEvent, PlaceCount, PlaceFilter, SearchQuery, SortOrder, Stats, Store, StoreError, StoredRecord,
};

/// Schema migrations, applied in order inside one transaction; the
/// `gleaner_schema` table records the versions applied. Never edit a
/// released step: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store has after its step 4.
    r#"CREATE TABLE records (
         seq BIGSERIAL PRIMARY KEY,
         id TEXT COLLATE "C" NOT NULL UNIQUE,
         url TEXT COLLATE "C",
         title TEXT COLLATE "C",
         published TEXT COLLATE "C",
         publisher TEXT COLLATE "C",
         language TEXT COLLATE "C",
         original_publisher TEXT COLLATE "C",
         text TEXT NOT NULL,
         json TEXT NOT NULL,
         -- A tsvector holds at most 1 MB: index the first 300,000 characters.
         tsv tsvector GENERATED ALWAYS AS (
             setweight(to_tsvector('simple', coalesce(title, '')), 'A')
             || setweight(to_tsvector('simple', left(text, 300000)), 'B')) STORED
     );
     CREATE INDEX records_tsv ON records USING gin (tsv);
     CREATE INDEX records_published ON records (published);
     CREATE INDEX records_publisher ON records (publisher);
     CREATE INDEX records_language ON records (language);
     CREATE TABLE record_urls (
         seq BIGSERIAL PRIMARY KEY,
         record_id TEXT COLLATE "C" NOT NULL,
         url TEXT COLLATE "C" NOT NULL,
         UNIQUE (record_id, url)
     );
     CREATE TABLE inputs (
         path TEXT COLLATE "C" PRIMARY KEY,
         size BIGINT NOT NULL,
         mtime BIGINT NOT NULL,
         next_offset BIGINT NOT NULL,
         done BOOLEAN NOT NULL
     );
     CREATE TABLE errors (
         seq BIGSERIAL PRIMARY KEY,
         input TEXT COLLATE "C" NOT NULL,
         "offset" BIGINT,
         record TEXT COLLATE "C",
         category TEXT COLLATE "C" NOT NULL,
         reason TEXT NOT NULL
     );
     -- NULLs are distinct in unique indexes; a resumed or concurrent run must
     -- not add the same error again, so the key folds them.
     CREATE UNIQUE INDEX errors_key ON errors (input, coalesce("offset", -1), coalesce(record, ''), category);
     CREATE TABLE pending (
         url TEXT COLLATE "C" PRIMARY KEY,
         title TEXT,
         date TEXT COLLATE "C",
         source TEXT COLLATE "C" NOT NULL
     );
     CREATE TABLE signatures (
         record_id TEXT COLLATE "C" PRIMARY KEY,
         sig BYTEA NOT NULL
     );
     CREATE TABLE lsh (
         band INTEGER NOT NULL,
         key BIGINT NOT NULL,
         record_id TEXT COLLATE "C" NOT NULL
     );
     CREATE INDEX lsh_key ON lsh (band, key);
     CREATE TABLE clusters (
         record_id TEXT COLLATE "C" PRIMARY KEY,
         cluster TEXT COLLATE "C" NOT NULL,
         similarity DOUBLE PRECISION
     );
     CREATE INDEX clusters_cluster ON clusters (cluster);
     CREATE TABLE events (
         seq BIGSERIAL PRIMARY KEY,
         type TEXT COLLATE "C" NOT NULL,
         subtype TEXT COLLATE "C",
         actor TEXT COLLATE "C",
         target TEXT COLLATE "C",
         place TEXT COLLATE "C",
         date TEXT COLLATE "C",
         json TEXT NOT NULL,
         rank TEXT COLLATE "C" NOT NULL
     );
     CREATE INDEX events_key ON events (type, place, date);
     CREATE INDEX events_place ON events (place);
     CREATE TABLE event_sources (
         event_seq BIGINT NOT NULL,
         record_id TEXT COLLATE "C" NOT NULL,
         evidence TEXT COLLATE "C" NOT NULL,
         attributed_to TEXT COLLATE "C",
         actor TEXT COLLATE "C",
         rank TEXT COLLATE "C" NOT NULL,
         UNIQUE (event_seq, record_id, evidence)
     );
     CREATE INDEX event_sources_record ON event_sources (record_id);
     CREATE TABLE record_places (
         record_id TEXT COLLATE "C" NOT NULL,
         name TEXT COLLATE "C" NOT NULL,
         geonameid BIGINT,
         country TEXT COLLATE "C",
         lat DOUBLE PRECISION NOT NULL,
         lon DOUBLE PRECISION NOT NULL,
         mentions BIGINT NOT NULL,
         PRIMARY KEY (record_id, name)
     );
     CREATE INDEX record_places_name ON record_places (name);
     CREATE INDEX record_places_country ON record_places (country);
     CREATE TABLE record_event_types (
         record_id TEXT COLLATE "C" NOT NULL,
         type TEXT COLLATE "C" NOT NULL,
         PRIMARY KEY (record_id, type)
     );
     CREATE INDEX record_event_types_type ON record_event_types (type);"#,
];

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
        StoreError::Pg(e) => {
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
        let mut config: postgres::Config = url.parse().map_err(|source| StoreError::PgConnect {
            address: address.clone(),
            source,
        })?;
        config.application_name("gleaner");
        let client = config
            .connect(NoTls)
            .map_err(|source| StoreError::PgConnect { address, source })?;
        let mut store = PgStore {
            client: Mutex::new(Conn(Some(client), Statements::default())),
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

    fn commit_once(&mut self, batch: &Batch) -> Result<CommitStats, StoreError> {
        let mut stats = CommitStats::default();
        let (client, cache) = self.conn_mut().parts();
        let mut tx = client.transaction()?;
        // Rows are written in key order, table by table: two batches that
        // share rows then lock them in the same order and cannot deadlock.
        let mut records: Vec<&Record> = batch.records.iter().collect();
        records.sort_by(|a, b| a.id.cmp(&b.id));
        let insert = cache.get(
            &mut tx,
            "INSERT INTO records (id, url, title, published, publisher, language, original_publisher, text, json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING RETURNING seq",
        )?;
        // Index rows of the records this batch stores (a later copy in the
        // same batch that wins replaces its entry), written at the end in
        // two statements: one per row costs a round trip each.
        let mut index: std::collections::BTreeMap<&str, &Record> = std::collections::BTreeMap::new();
        for r in &records {
            let json = serde_json::to_string(r)?;
            let original = r.syndication.as_ref().and_then(|s| s.original_publisher.clone());
            let cols: [Option<Cow<'_, str>>; 6] = [
                clean_opt(&r.url),
                clean_opt(&r.title),
                clean_opt(&r.published),
                clean_opt(&r.publisher),
                clean_opt(&r.language),
                clean_opt(&original),
            ];
            let text = clean(&r.text);
            let added = tx.query_opt(
                &insert,
                &[
                    &r.id, &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &text, &json,
                ],
            )?;
            if added.is_some() {
                stats.new_records += 1;
                index.insert(&r.id, r);
                continue;
            }
            stats.known_records += 1;
            // The row is locked until commit: a concurrent batch holding
            // another copy decides after this one, against what it wrote.
            let row = cache.query_one(
                &mut tx,
                "SELECT seq, url, json FROM records WHERE id = $1 FOR UPDATE",
                &[&r.id],
            )?;
            let (seq, old_url, old_json): (i64, Option<String>, String) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if prefer_copy(r.url.as_deref(), &json, old_url.as_deref(), &old_json) {
                tx.execute(
                    "UPDATE records SET url = $1, title = $2, published = $3, publisher = $4, language = $5,
                         original_publisher = $6, text = $7, json = $8 WHERE seq = $9",
                    &[
                        &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &text, &json, &seq,
                    ],
                )?;
                tx.execute("DELETE FROM record_places WHERE record_id = $1", &[&r.id])?;
                tx.execute("DELETE FROM record_event_types WHERE record_id = $1", &[&r.id])?;
                index.insert(&r.id, r);
            }
        }
        index_records(&mut tx, cache, index.values().copied())?;
        let mut urls: Vec<(&str, Cow<'_, str>)> = records
            .iter()
            .filter_map(|r| r.url.as_deref().map(|u| (r.id.as_str(), clean(u))))
            .collect();
        urls.sort();
        urls.dedup();
        let url = cache.get(
            &mut tx,
            "INSERT INTO record_urls (record_id, url) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )?;
        for (id, u) in &urls {
            tx.execute(&url, &[id, u])?;
        }
        // Errors keep the order they were met in (`errors()` lists them so).
        let err = cache.get(
            &mut tx,
            r#"INSERT INTO errors (input, "offset", record, category, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"#,
        )?;
        for e in &batch.errors {
            let offset = e.offset.map(|o| o as i64);
            tx.execute(
                &err,
                &[
                    &clean(&e.input),
                    &offset,
                    &clean_opt(&e.record),
                    &clean(&e.category),
                    &clean(&e.reason),
                ],
            )?;
        }
        let mut pending: Vec<_> = batch.pending.iter().collect();
        pending.sort_by(|a, b| a.url.cmp(&b.url));
        let pend = cache.get(
            &mut tx,
            "INSERT INTO pending (url, title, date, source) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )?;
        for p in pending {
            tx.execute(
                &pend,
                &[
                    &clean(&p.url),
                    &clean_opt(&p.title),
                    &clean_opt(&p.date),
                    &clean(&p.source),
                ],
            )?;
        }
        let mut inputs: Vec<_> = batch.inputs.iter().collect();
        inputs.sort_by(|a, b| a.path.cmp(&b.path));
        // Progress never goes back for the same file: another ingester of
        // the same input may have committed further.
        let input = cache.get(
            &mut tx,
            "INSERT INTO inputs (path, size, mtime, next_offset, done) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (path) DO UPDATE SET
                 next_offset = CASE WHEN inputs.size = excluded.size AND inputs.mtime = excluded.mtime
                     THEN greatest(inputs.next_offset, excluded.next_offset) ELSE excluded.next_offset END,
                 done = CASE WHEN inputs.size = excluded.size AND inputs.mtime = excluded.mtime
                     THEN inputs.done OR excluded.done ELSE excluded.done END,
                 size = excluded.size, mtime = excluded.mtime",
        )?;
        for i in inputs {
            tx.execute(
                &input,
                &[
                    &clean(&i.path),
                    &(i.state.size as i64),
                    &i.state.mtime,
                    &(i.state.offset as i64),
                    &i.state.done,
                ],
            )?;
        }
        tx.commit()?;
        Ok(stats)
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
    /// exact id, by id prefix, the next page after an id, or the next
    /// unclustered ones (`which` is one of `ID`, `PREFIX`, `AFTER`,
    /// `UNCLUSTERED`).
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
            AFTER => concat!(
                "SELECT r.id, r.json, c.cluster, ARRAY(SELECT url FROM record_urls u WHERE u.record_id = r.id)
                              FROM records r LEFT JOIN clusters c ON c.record_id = r.id ",
                "WHERE r.id > $1 ORDER BY r.id LIMIT 200"
            ),
            _ => concat!(
                "SELECT r.id, r.json, c.cluster, ARRAY(SELECT url FROM record_urls u WHERE u.record_id = r.id)
                          FROM records r LEFT JOIN clusters c ON c.record_id = r.id ",
                "WHERE c.record_id IS NULL ORDER BY r.seq LIMIT $1"
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
const UNCLUSTERED: &str = "unclustered";

/// Writes records' geocoded places (once per name, with a mention count;
/// the first mention's coordinates, as SQLite keeps them) and event types
/// into the tables search filters and maps read, in two statements.
fn index_records<'r>(
    tx: &mut Transaction<'_>,
    cache: &mut Statements,
    records: impl Iterator<Item = &'r Record>,
) -> Result<(), StoreError> {
    let (mut ids, mut names, mut geoids, mut countries, mut lats, mut lons, mut mentions) = (
        Vec::new(),
        Vec::new(),
        Vec::<Option<i64>>::new(),
        Vec::<Option<String>>::new(),
        Vec::new(),
        Vec::new(),
        Vec::<i64>::new(),
    );
    let (mut type_ids, mut types) = (Vec::new(), Vec::new());
    for r in records {
        let first = names.len();
        for p in r.entities.iter().filter_map(|e| e.place.as_ref()) {
            let name = clean(&p.name).into_owned();
            match names[first..].iter().position(|n| *n == name) {
                Some(i) => mentions[first + i] += 1,
                None => {
                    ids.push(r.id.clone());
                    names.push(name);
                    geoids.push(p.geonameid.map(|g| g as i64));
                    countries.push(clean_opt(&p.country).map(Cow::into_owned));
                    lats.push(p.lat);
                    lons.push(p.lon);
                    mentions.push(1);
                }
            }
        }
        let mut kinds: Vec<String> = r
            .events
            .iter()
            .filter(|e| !e.negated)
            .map(|e| clean(&e.kind).into_owned())
            .collect();
        kinds.sort();
        kinds.dedup();
        for k in kinds {
            type_ids.push(r.id.clone());
            types.push(k);
        }
    }
    if !ids.is_empty() {
        cache.execute(
            tx,
            "INSERT INTO record_places (record_id, name, geonameid, country, lat, lon, mentions)
             SELECT * FROM unnest($1::TEXT[], $2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::FLOAT8[], $6::FLOAT8[], $7::BIGINT[])
             ON CONFLICT (record_id, name) DO UPDATE SET mentions = record_places.mentions + excluded.mentions",
            &[&ids, &names, &geoids, &countries, &lats, &lons, &mentions],
        )?;
    }
    if !type_ids.is_empty() {
        cache.execute(
            tx,
            "INSERT INTO record_event_types (record_id, type) SELECT * FROM unnest($1::TEXT[], $2::TEXT[]) ON CONFLICT DO NOTHING",
            &[&type_ids, &types],
        )?;
    }
    Ok(())
}

/// The words of a search, as `plainto_tsquery` input: the same split as the
/// SQLite store's, so both find the same words; no user text becomes query
/// syntax.
fn ts_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The FROM and WHERE of a search over records `r`, shared by listing,
/// counting and faceting; the text query, when there is one, is `q`.
fn search_filter(q: &SearchQuery, sql: &mut Sql) -> bool {
    let text = q.text.as_deref().map(ts_words).filter(|t| !t.is_empty());
    if let Some(t) = text.clone() {
        let p = sql.arg(t);
        sql.push(&format!(
            " FROM records r, plainto_tsquery('simple', {p}) q WHERE r.tsv @@ q"
        ));
    } else {
        sql.push(" FROM records r WHERE true");
    }
    if let Some(from) = q.from.clone() {
        let p = sql.arg(from);
        sql.push(&format!(" AND r.published >= {p}"));
    }
    if let Some(to) = &q.to {
        // "2020-12" must include "2020-12-31": compare against the prefix's end.
        let p = sql.arg(format!("{to}\u{10ffff}"));
        sql.push(&format!(" AND r.published <= {p}"));
    }
    if let Some(v) = q.publisher.clone() {
        let p = sql.arg(v);
        sql.push(&format!(" AND r.publisher = {p}"));
    }
    if let Some(v) = q.language.clone() {
        let p = sql.arg(v);
        sql.push(&format!(" AND r.language = {p}"));
    }
    if let Some(v) = q.place.clone() {
        let p = sql.arg(v);
        sql.push(&format!(
            " AND r.id IN (SELECT record_id FROM record_places WHERE name = {p})"
        ));
    }
    if let Some(v) = q.country.clone() {
        let p = sql.arg(v);
        sql.push(&format!(
            " AND r.id IN (SELECT record_id FROM record_places WHERE country = {p})"
        ));
    }
    if let Some(v) = q.event_type.clone() {
        let p = sql.arg(v);
        sql.push(&format!(
            " AND r.id IN (SELECT record_id FROM record_event_types WHERE type = {p})"
        ));
    }
    text.is_some()
}

/// The WHERE of an event listing (events `e`).
fn event_filter(f: &EventFilter, sql: &mut Sql) {
    sql.push(" WHERE true");
    if let Some(v) = f.kind.clone() {
        let p = sql.arg(v);
        sql.push(&format!(" AND e.type = {p}"));
    }
    if let Some(v) = f.place.clone() {
        let p = sql.arg(v);
        sql.push(&format!(" AND e.place = {p}"));
    }
    if let Some(v) = f.from.clone() {
        let p = sql.arg(v);
        sql.push(&format!(" AND e.date >= {p}"));
    }
    if let Some(to) = &f.to {
        let p = sql.arg(format!("{to}\u{10ffff}"));
        sql.push(&format!(" AND e.date <= {p}"));
    }
    if let Some(v) = f.country.clone() {
        let p = sql.arg(v);
        sql.push(&format!(
            " AND e.place IN (SELECT name FROM record_places WHERE country = {p})"
        ));
    }
}

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

impl Store for PgStore {
    fn input_state(&self, path: &str) -> Result<Option<InputState>, StoreError> {
        let row = self.db().query_opt(
            "SELECT size, mtime, next_offset, done FROM inputs WHERE path = $1",
            &[&path],
        )?;
        row.map(|r| {
            Ok(InputState {
                size: count(r.try_get(0)?),
                mtime: r.try_get(1)?,
                offset: count(r.try_get(2)?),
                done: r.try_get(3)?,
            })
        })
        .transpose()
    }

    fn commit(&mut self, batch: &Batch) -> Result<CommitStats, StoreError> {
        let mut attempt = 0;
        loop {
            match self.commit_once(batch) {
                Err(e) if attempt < RETRIES && is_retryable(&e) => attempt += 1,
                other => return other,
            }
        }
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, StoreError> {
        let mut sql = Sql::default();
        sql.push("SELECT r.id, r.title, r.url, r.published, r.publisher, r.language, r.seq");
        let has_text = search_filter(q, &mut sql);
        let order = match (q.sort, has_text) {
            (SortOrder::Relevance, true) => "ts_rank(r.tsv, q) DESC, r.seq",
            (SortOrder::Relevance, false) | (SortOrder::Newest, _) => "r.published IS NULL, r.published DESC, r.seq",
            (SortOrder::Oldest, _) => "r.published IS NULL, r.published, r.seq",
        };
        let limit = sql.arg(q.limit.max(1) as i64);
        let offset = sql.arg(q.offset as i64);
        sql.push(&format!(" ORDER BY {order} LIMIT {limit} OFFSET {offset}"));
        let mut db = self.db();
        let rows = db.query(&sql.text, &sql.params())?;
        let words = q.text.as_deref().map(ts_words).unwrap_or_default();
        let mut hits = Vec::with_capacity(rows.len());
        for r in rows {
            let seq: i64 = r.try_get(6)?;
            // Snippets only for the page of hits shown: ts_headline reads the
            // whole text.
            let snippet: Option<String> = if has_text {
                db.query_one(
                    "SELECT ts_headline('simple', text, plainto_tsquery('simple', $1),
                         'StartSel=[, StopSel=], MaxWords=12, MinWords=6, MaxFragments=1, FragmentDelimiter=…')
                     FROM records WHERE seq = $2",
                    &[&words, &seq],
                )?
                .try_get(0)?
            } else {
                None
            };
            hits.push(Hit {
                id: r.try_get(0)?,
                title: r.try_get(1)?,
                url: r.try_get(2)?,
                published: r.try_get(3)?,
                publisher: r.try_get(4)?,
                language: r.try_get(5)?,
                snippet,
            });
        }
        Ok(hits)
    }

    fn get(&self, id: &str) -> Result<Option<StoredRecord>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        Self::get_with(db, cache, id)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let mut db = self.db();
        let mut num = |sql: &str| -> Result<u64, StoreError> { Ok(count(db.query_one(sql, &[])?.try_get(0)?)) };
        let (records, inputs, inputs_done, pending) = (
            num("SELECT count(*) FROM records")?,
            num("SELECT count(*) FROM inputs")?,
            num("SELECT count(*) FROM inputs WHERE done")?,
            num("SELECT count(*) FROM pending")?,
        );
        let mut groups = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            db.query(sql, &[])?
                .iter()
                .map(|r| {
                    Ok((
                        r.try_get::<_, Option<String>>(0)?.unwrap_or_else(|| "(unknown)".into()),
                        count(r.try_get(1)?),
                    ))
                })
                .collect()
        };
        Ok(Stats {
            records,
            inputs,
            inputs_done,
            pending,
            by_publisher: groups(
                "SELECT publisher, count(*) n FROM records GROUP BY publisher ORDER BY n DESC, publisher NULLS FIRST",
            )?,
            by_language: groups(
                "SELECT language, count(*) n FROM records GROUP BY language ORDER BY n DESC, language NULLS FIRST",
            )?,
            by_month: groups(
                "SELECT substr(published, 1, 7) m, count(*) FROM records GROUP BY m ORDER BY m NULLS FIRST",
            )?,
            errors_by_category: groups(
                "SELECT category, count(*) n FROM errors GROUP BY category ORDER BY n DESC, category",
            )?,
        })
    }

    fn for_each_record(&self, f: &mut dyn FnMut(StoredRecord) -> Result<(), StoreError>) -> Result<(), StoreError> {
        // Pages in id order: no long-held cursor, and memory stays flat.
        let mut last = String::new();
        loop {
            let page = {
                let mut conn = self.db();
                let (db, cache) = conn.parts();
                Self::records_where(db, cache, AFTER, &[&last])?
            };
            let Some(end) = page.last().map(|r| r.record.id.clone()) else {
                return Ok(());
            };
            for rec in page {
                f(rec)?;
            }
            last = end;
        }
    }

    fn errors(&self) -> Result<Vec<ErrorRow>, StoreError> {
        self.db()
            .query(
                r#"SELECT input, "offset", record, category, reason FROM errors ORDER BY seq"#,
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(ErrorRow {
                    input: r.try_get(0)?,
                    offset: r.try_get::<_, Option<i64>>(1)?.map(count),
                    record: r.try_get(2)?,
                    category: r.try_get(3)?,
                    reason: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn unclustered(&self, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        Self::records_where(db, cache, UNCLUSTERED, &[&(limit as i64)])
    }

    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<(String, Vec<u64>, String)>, StoreError> {
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
                let sig = blob
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect();
                Ok((r.try_get(0)?, sig, r.try_get(2)?))
            })
            .collect()
    }

    fn cluster_members(&self, cluster: &str) -> Result<Vec<ClusterMember>, StoreError> {
        self.db()
            .query(
                "SELECT r.id, r.title, r.publisher, r.published, r.url, c.similarity FROM clusters c JOIN records r ON r.id = c.record_id
                 WHERE c.cluster = $1 ORDER BY coalesce(r.published, '9999'), r.id",
                &[&cluster],
            )?
            .iter()
            .map(|r| {
                Ok(ClusterMember {
                    id: r.try_get(0)?,
                    title: r.try_get(1)?,
                    publisher: r.try_get(2)?,
                    published: r.try_get(3)?,
                    url: r.try_get(4)?,
                    similarity: r.try_get::<_, Option<f64>>(5)?.unwrap_or(1.0),
                })
            })
            .collect()
    }

    fn cluster_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        let row = self
            .db()
            .query_opt("SELECT cluster FROM clusters WHERE record_id = $1", &[&id])?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    fn clusters(&self, min_size: usize) -> Result<Vec<String>, StoreError> {
        self.db()
            .query(
                "SELECT cluster FROM clusters GROUP BY cluster HAVING count(*) >= $1 ORDER BY count(*) DESC, cluster",
                &[&(min_size as i64)],
            )?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }

    fn event_candidates(
        &self,
        kind: &str,
        place: Option<&str>,
        date_prefix: &str,
    ) -> Result<Vec<MergedEvent>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        let rows = cache.query(
            db,
            "SELECT seq, json FROM events WHERE type = $1 AND place IS NOT DISTINCT FROM $2
               AND coalesce(substr(date, 1, 7), '') = $3 ORDER BY rank",
            &[&kind, &place, &date_prefix],
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
        let (client, cache) = self.conn_mut().parts();
        let mut tx = client.transaction()?;
        let blob: Vec<u8> = w.signature.iter().flat_map(|v| v.to_le_bytes()).collect();
        let bands: Vec<i32> = w.band_keys.iter().map(|k| k.0 as i32).collect();
        let values: Vec<i64> = w.band_keys.iter().map(|k| k.1 as i64).collect();
        let copy_ids: Vec<&str> = w.copies.iter().map(|c| c.0.as_str()).collect();
        let copy_sims: Vec<f64> = w.copies.iter().map(|c| c.1).collect();
        let best = w.copies.iter().map(|c| c.1).reduce(f64::max);
        // One round trip for the record's own rows: its signature, its band
        // keys (none to remove: a record is handled once, and its cluster
        // row marks it done), its copies' best similarity, its cluster row;
        // and back its publication date and the clusters of its copies.
        let row = cache.query_one(
            &mut tx,
            "WITH sig AS (
                 INSERT INTO signatures (record_id, sig) VALUES ($1, $2)
                 ON CONFLICT (record_id) DO UPDATE SET sig = excluded.sig),
             bands AS (
                 INSERT INTO lsh (band, key, record_id) SELECT band, key, $1 FROM unnest($3::INTEGER[], $4::BIGINT[]) k (band, key)),
             sims AS (
                 UPDATE clusters c SET similarity = greatest(coalesce(c.similarity, 0), v.sim)
                 FROM (SELECT id, max(sim) sim FROM unnest($5::TEXT[], $6::FLOAT8[]) u (id, sim) GROUP BY id) v
                 WHERE c.record_id = v.id),
             mine AS (
                 INSERT INTO clusters (record_id, cluster, similarity) VALUES ($1, $1, $7)
                 ON CONFLICT (record_id) DO UPDATE SET cluster = excluded.cluster, similarity = excluded.similarity)
             SELECT (SELECT published FROM records WHERE id = $1),
                    ARRAY(SELECT DISTINCT cluster FROM clusters WHERE record_id = ANY($5))",
            &[&w.record_id, &blob, &bands, &values, &copy_ids, &copy_sims, &best],
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
                &mut tx,
                "UPDATE clusters SET cluster = (SELECT id FROM records WHERE id = ANY($1) ORDER BY coalesce(published, '9999'), id LIMIT 1)
                 WHERE cluster = ANY($1)",
                &[&joined],
            )?;
        }
        let my_rank = rank(published.as_deref(), &w.record_id);
        for (groups, ev) in &w.events {
            // The merged event whose shown report ranks first absorbs the others.
            let mut ranked: Vec<(String, i64)> = cache
                .query(&mut tx, "SELECT rank, seq FROM events WHERE seq = ANY($1)", &[groups])?
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
                        cache.execute(&mut tx, "INSERT INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank)
                             SELECT $1, record_id, evidence, attributed_to, actor, rank FROM event_sources WHERE event_seq = ANY($2)
                             ON CONFLICT DO NOTHING",
                            &[&seq, &others],
                        )?;
                        cache.execute(
                            &mut tx,
                            "DELETE FROM event_sources WHERE event_seq = ANY($1)",
                            &[&others],
                        )?;
                        cache.execute(&mut tx, "DELETE FROM events WHERE seq = ANY($1)", &[&others])?;
                    }
                    if my_rank < *top {
                        cache.execute(&mut tx, "UPDATE events SET type = $1, subtype = $2, actor = $3, target = $4, place = $5, date = $6, json = $7, rank = $8
                             WHERE seq = $9",
                            &[&kind, &subtype, &actor, &target, &place, &date, &ev_json, &my_rank, &seq],
                        )?;
                    }
                    seq
                }
                None => {
                    // A new occurrence and its first source in one round trip.
                    cache.execute(
                        &mut tx,
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
            cache.execute(&mut tx, "INSERT INTO event_sources (event_seq, record_id, evidence, attributed_to, actor, rank) VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT DO NOTHING",
                &[&seq, &w.record_id, &clean(&ev.evidence), &clean_opt(&ev.attributed_to), &actor, &my_rank],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<MergedEvent>, StoreError> {
        let mut sql = Sql::default();
        sql.push("SELECT e.seq FROM events e");
        event_filter(f, &mut sql);
        let limit = sql.arg(f.limit.map(|l| l as i64));
        let offset = sql.arg(f.offset as i64);
        // NULLS FIRST: the order SQLite gives undated events.
        sql.push(&format!(
            " ORDER BY e.date NULLS FIRST, e.rank, e.type, coalesce(e.place, '') LIMIT {limit} OFFSET {offset}"
        ));
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        let seqs: Vec<i64> = db
            .query(&sql.text, &sql.params())?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        Self::merged_events(db, cache, &seqs)
    }

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

    fn places(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>, StoreError> {
        let mut sql = Sql::default();
        sql.push(
            "SELECT p.name, min(p.geonameid), p.country, min(p.lat), min(p.lon), count(*) n,
                    (SELECT count(*) FROM events e WHERE e.place = p.name)
             FROM record_places p",
        );
        if f.from.is_some() || f.to.is_some() {
            sql.push(" JOIN records r ON r.id = p.record_id");
        }
        sql.push(" WHERE true");
        if let Some(c) = f.country.clone() {
            let p = sql.arg(c);
            sql.push(&format!(" AND p.country = {p}"));
        }
        if !f.names.is_empty() {
            let p = sql.arg(f.names.clone());
            sql.push(&format!(" AND p.name = ANY({p})"));
        }
        if let Some(from) = f.from.clone() {
            let p = sql.arg(from);
            sql.push(&format!(" AND r.published >= {p}"));
        }
        if let Some(to) = &f.to {
            let p = sql.arg(format!("{to}\u{10ffff}"));
            sql.push(&format!(" AND r.published <= {p}"));
        }
        let limit = sql.arg(f.limit.max(1) as i64);
        sql.push(&format!(
            " GROUP BY p.name, p.country ORDER BY n DESC, p.name LIMIT {limit}"
        ));
        self.db()
            .query(&sql.text, &sql.params())?
            .iter()
            .map(|r| {
                Ok(PlaceCount {
                    name: r.try_get(0)?,
                    geonameid: r.try_get::<_, Option<i64>>(1)?.map(count),
                    country: r.try_get(2)?,
                    lat: r.try_get(3)?,
                    lon: r.try_get(4)?,
                    records: count(r.try_get(5)?),
                    events: count(r.try_get(6)?),
                })
            })
            .collect()
    }

    fn event_dates(&self, f: &EventFilter) -> Result<Vec<DateCount>, StoreError> {
        let mut sql = Sql::default();
        sql.push("SELECT e.date, e.type, count(*) FROM events e");
        event_filter(f, &mut sql);
        sql.push(" AND e.date IS NOT NULL GROUP BY e.date, e.type ORDER BY e.date, e.type");
        self.db()
            .query(&sql.text, &sql.params())?
            .iter()
            .map(|r| {
                Ok(DateCount {
                    date: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    count: count(r.try_get(2)?),
                })
            })
            .collect()
    }

    fn record_dates(&self, q: &SearchQuery) -> Result<Vec<DateCount>, StoreError> {
        let mut sql = Sql::default();
        sql.push("SELECT substr(r.published, 1, 10) d, count(*)");
        search_filter(q, &mut sql);
        sql.push(" AND r.published IS NOT NULL GROUP BY d ORDER BY d");
        self.db()
            .query(&sql.text, &sql.params())?
            .iter()
            .map(|r| {
                Ok(DateCount {
                    date: r.try_get(0)?,
                    kind: "record".into(),
                    count: count(r.try_get(1)?),
                })
            })
            .collect()
    }

    fn facet(&self, q: &SearchQuery, field: Facet, limit: usize) -> Result<Vec<(String, u64)>, StoreError> {
        let mut inner = Sql::default();
        let column = match field {
            Facet::Publisher => "r.publisher",
            Facet::Language => "r.language",
            Facet::Country | Facet::EventType => "r.id",
        };
        inner.push(&format!("SELECT {column} v"));
        search_filter(q, &mut inner);
        let Sql { text: filter, mut args } = inner;
        args.push(Box::new(limit.max(1) as i64));
        let limit = format!("${}", args.len());
        let sql = match field {
            Facet::Publisher | Facet::Language => {
                format!("SELECT m.v, count(*) n FROM ({filter}) m WHERE m.v IS NOT NULL GROUP BY m.v ORDER BY n DESC, m.v LIMIT {limit}")
            }
            Facet::Country => format!(
                "SELECT p.country v, count(DISTINCT m.v) n FROM ({filter}) m JOIN record_places p ON p.record_id = m.v
                 WHERE p.country IS NOT NULL GROUP BY p.country ORDER BY n DESC, v LIMIT {limit}"
            ),
            Facet::EventType => format!(
                "SELECT t.type v, count(*) n FROM ({filter}) m JOIN record_event_types t ON t.record_id = m.v
                 GROUP BY t.type ORDER BY n DESC, v LIMIT {limit}"
            ),
        };
        let sql = Sql { text: sql, args };
        self.db()
            .query(&sql.text, &sql.params())?
            .iter()
            .map(|r| Ok((r.try_get(0)?, count(r.try_get(1)?))))
            .collect()
    }
}
