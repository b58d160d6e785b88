//! The SQLite schema: migrations by `PRAGMA user_version`, and the tables
//! that index each record's places and event types for filters and maps.

use gleaner_record::Record;
use rusqlite::params;

use crate::StoreError;

/// Schema migrations, applied in order; `PRAGMA user_version` counts them.
/// Never edit a released step: add a new one.
pub(super) const MIGRATIONS: &[&str] = &[
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
    // 5: records wait for the dedup pass in a queue, with their signature
    // (made with the record, on the ingest's workers) and their events, so
    // the pass reads neither the record nor its JSON back. Records stored
    // before and not handled yet join the queue (backfill_queue).
    "CREATE TABLE dedup_queue (
         seq INTEGER PRIMARY KEY,
         record_id TEXT NOT NULL UNIQUE,
         events TEXT NOT NULL
     );",
    // 6: what `gleaner watch` keeps (see `crate::watch`): sources with their
    // validators and last entries, fetched addresses with where their
    // archived copy is, each WARC file's acknowledged length, saved
    // searches and rounds; and records by fetch time, which `--since` and
    // the Atom feed of new matches filter on.
    "CREATE TABLE watch_sources (
         url TEXT PRIMARY KEY,
         label TEXT,
         etag TEXT,
         last_modified TEXT,
         checked_at TEXT,
         status INTEGER,
         last_entries TEXT NOT NULL
     );
     CREATE TABLE fetches (
         url TEXT PRIMARY KEY,
         fetched_at TEXT NOT NULL,
         outcome TEXT NOT NULL,
         status INTEGER,
         final_url TEXT,
         reason TEXT,
         warc_file TEXT,
         warc_offset INTEGER,
         payload_digest TEXT,
         attempts INTEGER NOT NULL
     );
     CREATE TABLE warc_files (
         seq INTEGER PRIMARY KEY,
         path TEXT NOT NULL UNIQUE,
         acked INTEGER NOT NULL
     );
     CREATE TABLE saved_searches (
         id INTEGER PRIMARY KEY,
         query TEXT NOT NULL UNIQUE,
         created_at TEXT NOT NULL
     );
     CREATE TABLE watch_rounds (
         id INTEGER PRIMARY KEY,
         started_at TEXT NOT NULL,
         finished_at TEXT
     );
     CREATE INDEX records_fetched ON records (json_extract(json, '$.fetched_at'));",
    // 7: what a search filters, sorts and counts by, keyed by the records'
    // row numbers (the full-text index's rowids), so that a search checks
    // each full-text match in compact indexes and reads no record row but
    // those of the page shown: the sort and filter columns (`records_keys`),
    // and each record's countries and event types (`record_facets`, filled
    // from the tables of step 3 and kept with them), by value for filters
    // and by record for facet counts.
    "CREATE INDEX records_keys ON records (seq, published, publisher, language, id);
     CREATE TABLE record_facets (
         facet TEXT NOT NULL,
         value TEXT NOT NULL,
         seq INTEGER NOT NULL,
         PRIMARY KEY (facet, value, seq)
     ) WITHOUT ROWID;
     CREATE INDEX record_facets_seq ON record_facets (seq, facet, value);
     INSERT OR IGNORE INTO record_facets (facet, value, seq)
         SELECT 'country', p.country, r.seq FROM record_places p JOIN records r ON r.id = p.record_id
         WHERE p.country IS NOT NULL;
     INSERT OR IGNORE INTO record_facets (facet, value, seq)
         SELECT 'type', t.type, r.seq FROM record_event_types t JOIN records r ON r.id = t.record_id;",
    // 8: cheaper writes (issue 16). The fetch time becomes a column filled
    // at insert: the expression index of step 6 parsed each record's whole
    // JSON (its text included) on every insert.
    "ALTER TABLE records ADD COLUMN fetched_at TEXT;
     UPDATE records SET fetched_at = json_extract(json, '$.fetched_at');
     DROP INDEX records_fetched;
     CREATE INDEX records_fetched ON records (fetched_at);",
    // 9: cheaper full-text writes (issue 16). FTS5 writes its pending terms
    // out as a new segment whenever they pass `hashsize` (1 MiB by default),
    // several times within one 500-record batch, and each segment is merged
    // again later. At 8 MiB those flushes are rare (32 MiB was no cheaper):
    // 16-23 % less CPU in FTS5's inserts on the 3,620-page WARC
    // (docs/scale.md), with the same matches and scores. The setting is kept
    // in the table's config, so every connection to the store uses it.
    "INSERT INTO records_fts (records_fts, rank) VALUES ('hashsize', 8388608);",
];

/// The migration step after which records' places and event types are
/// indexed from their JSON.
pub(super) const INDEX_STEP: usize = 3;

/// The migration step after which records wait for the dedup pass in
/// `dedup_queue` (with their signature stored at commit).
pub(super) const QUEUE_STEP: usize = 5;

/// Indexes the places and event types of records stored before the index existed.
pub(super) fn backfill_index(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let mut stmt = tx.prepare("SELECT json FROM records")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        index_places(tx, &serde_json::from_str(&json)?)?;
    }
    Ok(())
}

/// Writes a record's geocoded places (once per name, with a mention count)
/// and event types into the tables search filters and maps read (step 3's;
/// what the backfill of that step writes, before `record_facets` exists).
fn index_places(tx: &rusqlite::Transaction<'_>, r: &Record) -> Result<(), StoreError> {
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

/// Indexes a stored record (row `seq`) for search filters: its places and
/// event types (as [`index_places`]) and the same countries and types by
/// row number (step 7's `record_facets`).
pub(super) fn index_record(tx: &rusqlite::Transaction<'_>, r: &Record, seq: i64) -> Result<(), StoreError> {
    index_places(tx, r)?;
    // From the rows just written, so that the two never disagree (a name
    // keeps the country it was first stored with).
    let mut facets = tx.prepare_cached(
        "INSERT OR IGNORE INTO record_facets (facet, value, seq)
             SELECT 'country', country, ?2 FROM record_places WHERE record_id = ?1 AND country IS NOT NULL
             UNION ALL SELECT 'type', type, ?2 FROM record_event_types WHERE record_id = ?1",
    )?;
    facets.execute(params![r.id, seq])?;
    Ok(())
}

/// Queues the records stored before the queue existed that no pass has
/// handled (no cluster row), with their signatures, oldest first.
pub(super) fn backfill_queue(tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
    let policy = gleaner_dedup::Policy::default();
    let mut stmt = tx.prepare(
        "SELECT r.json FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE c.record_id IS NULL ORDER BY r.seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let json: String = row.get(0)?;
        let r: Record = serde_json::from_str(&json)?;
        let sig = policy.fingerprint(&r.text).signature;
        tx.execute(
            "INSERT OR REPLACE INTO signatures (record_id, sig) VALUES (?1, ?2)",
            params![r.id, crate::rules::sig_bytes(&sig)],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO dedup_queue (record_id, events) VALUES (?1, ?2)",
            params![r.id, serde_json::to_string(&r.events)?],
        )?;
    }
    Ok(())
}
