//! The PostgreSQL schema: migrations, recorded in `gleaner_schema`.

use postgres::Transaction;

use crate::StoreError;

/// Schema migrations, applied in order inside one transaction; the
/// `gleaner_schema` table records the versions applied. Never edit a
/// released step: add a new one.
pub(super) const MIGRATIONS: &[&str] = &[
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
    // 2: records wait for the dedup pass in a queue, with their signature
    // (made with the record, on the ingest's workers) and their events, so
    // the pass reads neither the record nor its JSON back. Records stored
    // before and not handled yet join the queue (`backfill_queue`).
    r#"CREATE TABLE dedup_queue (
         seq BIGSERIAL PRIMARY KEY,
         record_id TEXT COLLATE "C" NOT NULL UNIQUE,
         events TEXT NOT NULL
     );"#,
    // 3: what `gleaner watch` keeps (see `crate::watch`), as SQLite's step
    // 6; pending addresses get an order (the order they were listed in).
    r#"ALTER TABLE pending ADD COLUMN seq BIGSERIAL;
     CREATE INDEX pending_seq ON pending (seq);
     CREATE TABLE watch_sources (
         url TEXT COLLATE "C" PRIMARY KEY,
         label TEXT,
         etag TEXT,
         last_modified TEXT,
         checked_at TEXT,
         status INTEGER,
         last_entries TEXT NOT NULL
     );
     CREATE TABLE fetches (
         url TEXT COLLATE "C" PRIMARY KEY,
         fetched_at TEXT COLLATE "C" NOT NULL,
         outcome TEXT NOT NULL,
         status INTEGER,
         final_url TEXT,
         reason TEXT,
         warc_file TEXT,
         warc_offset BIGINT,
         payload_digest TEXT,
         attempts INTEGER NOT NULL
     );
     CREATE TABLE warc_files (
         seq BIGSERIAL PRIMARY KEY,
         path TEXT COLLATE "C" NOT NULL UNIQUE,
         acked BIGINT NOT NULL
     );
     CREATE TABLE saved_searches (
         id BIGSERIAL PRIMARY KEY,
         query TEXT COLLATE "C" NOT NULL UNIQUE,
         created_at TEXT NOT NULL
     );
     CREATE TABLE watch_rounds (
         id BIGSERIAL PRIMARY KEY,
         started_at TEXT COLLATE "C" NOT NULL,
         finished_at TEXT
     );"#,
    // 4: a country or event-type filter reads the record ids of its value
    // from the index alone (an index-only scan), not from the table.
    r#"CREATE INDEX record_places_country_record ON record_places (country, record_id);
     CREATE INDEX record_event_types_type_record ON record_event_types (type, record_id);"#,
    // 5: the search words are made by the writer (`tsv.rs`), not by the
    // server's parser, the largest cost of an ingest; the rows already
    // stored keep the words the server made.
    r#"ALTER TABLE records ALTER COLUMN tsv DROP EXPRESSION IF EXISTS;"#,
    // 6: every transaction that adds band keys to `lsh` takes a number from
    // this sequence, so a pass that keeps the band keys in memory
    // (`dedup::LshCache`) can tell, under the pass lock, that no one else
    // added any since it last wrote.
    r#"CREATE SEQUENCE lsh_generation;"#,
];

/// The migration step after which records wait for the dedup pass in `dedup_queue`.
pub(super) const QUEUE_STEP: usize = 2;

/// Queues the records stored before the queue existed that no pass has
/// handled (no cluster row), with their signatures, oldest first.
pub(super) fn backfill_queue(tx: &mut Transaction<'_>) -> Result<(), StoreError> {
    let policy = gleaner_dedup::Policy::default();
    let rows = tx.query(
        "SELECT r.json FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE c.record_id IS NULL ORDER BY r.seq",
        &[],
    )?;
    for row in rows {
        let r: gleaner_record::Record = serde_json::from_str(row.try_get::<_, &str>(0)?)?;
        let sig = crate::rules::sig_bytes(&policy.fingerprint(&r.text).signature);
        tx.execute(
            "INSERT INTO signatures (record_id, sig) VALUES ($1, $2) ON CONFLICT (record_id) DO UPDATE SET sig = excluded.sig",
            &[&r.id, &sig],
        )?;
        tx.execute(
            "INSERT INTO dedup_queue (record_id, events) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&r.id, &serde_json::to_string(&r.events)?],
        )?;
    }
    Ok(())
}
