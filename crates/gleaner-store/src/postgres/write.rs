//! Ingest's side of the PostgreSQL store: batches written in key order (so
//! concurrent batches cannot deadlock), retried on a deadlock, and the
//! index tables of places and event types.

use std::borrow::Cow;

use gleaner_record::Record;
use postgres::Transaction;

use super::tsv::ts_vector;
use super::{clean, clean_opt, count, is_retryable, PgStore, Statements, RETRIES};
use crate::rules::{prefer_copy, sig_bytes};
use crate::{Batch, CommitStats, InputState, NewRecord, StoreError, WriteStore};

impl PgStore {
    fn commit_once(&mut self, batch: &Batch) -> Result<CommitStats, StoreError> {
        let mut stats = CommitStats::default();
        let (client, cache) = self.conn_mut().parts();
        let mut tx = client.transaction()?;
        // Rows are written in key order, table by table: two batches that
        // share rows then lock them in the same order and cannot deadlock.
        let mut records: Vec<&NewRecord> = batch.records.iter().collect();
        records.sort_by(|a, b| a.record.id.cmp(&b.record.id));
        // The batch's records in one statement (a round trip per record
        // was most of a PostgreSQL ingest's time); the first copy of each id
        // goes in, and what it returns tells which ids are new to the store.
        let mut firsts: Vec<&NewRecord> = records.clone();
        firsts.dedup_by(|a, b| a.record.id == b.record.id);
        let added: std::collections::HashSet<String> = {
            let mut cols: [Vec<Option<Cow<'_, str>>>; 6] = Default::default();
            let (mut ids, mut texts, mut jsons, mut tsvs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for new in &firsts {
                let r = &new.record;
                let original = r.syndication.as_ref().and_then(|s| s.original_publisher.as_deref());
                for (col, value) in cols.iter_mut().zip([
                    r.url.as_deref(),
                    r.title.as_deref(),
                    r.published.as_deref(),
                    r.publisher.as_deref(),
                    r.language.as_deref(),
                    original,
                ]) {
                    col.push(value.map(clean));
                }
                ids.push(r.id.as_str());
                let text = clean(&r.text);
                tsvs.push(ts_vector(r.title.as_deref().map(clean).as_deref(), &text));
                texts.push(text);
                jsons.push(new.json.as_str());
            }
            let insert = cache.get(
                &mut tx,
                "INSERT INTO records (id, url, title, published, publisher, language, original_publisher, text, json, tsv)
                 SELECT id, url, title, published, publisher, language, original_publisher, text, json, tsv FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[],
                                      $8::TEXT[], $9::TEXT[], $10::TSVECTOR[]) WITH ORDINALITY AS n (id, url, title, published, publisher,
                                      language, original_publisher, text, json, tsv, at)
                 ORDER BY at
                 ON CONFLICT (id) DO NOTHING RETURNING id",
            )?;
            let [c0, c1, c2, c3, c4, c5] = &cols;
            tx.query(&insert, &[&ids, c0, c1, c2, c3, c4, c5, &texts, &jsons, &tsvs])?
                .iter()
                .map(|row| row.try_get::<_, String>(0))
                .collect::<Result<_, _>>()?
        };
        // Index rows of the records this batch stores (a later copy in the
        // same batch that wins replaces its entry), written at the end in
        // two statements: one per row costs a round trip each.
        let mut index: std::collections::BTreeMap<&str, &Record> = std::collections::BTreeMap::new();
        // What the dedup pass needs of the records new to the store.
        let (mut queued_ids, mut queued_sigs, mut queued_events) = (Vec::new(), Vec::new(), Vec::new());
        let mut previous: Option<&str> = None;
        for new in &records {
            let (r, json) = (&new.record, &new.json);
            let first = previous != Some(r.id.as_str());
            previous = Some(r.id.as_str());
            if first && added.contains(&r.id) {
                stats.new_records += 1;
                index.insert(&r.id, r);
                queued_ids.push(r.id.as_str());
                queued_sigs.push(sig_bytes(&new.signature));
                queued_events.push(serde_json::to_string(&r.events)?);
                continue;
            }
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
            if prefer_copy(r.url.as_deref(), json, old_url.as_deref(), &old_json) {
                tx.execute(
                    "UPDATE records SET url = $1, title = $2, published = $3, publisher = $4, language = $5,
                         original_publisher = $6, text = $7, json = $8, tsv = $10 WHERE seq = $9",
                    &[
                        &cols[0],
                        &cols[1],
                        &cols[2],
                        &cols[3],
                        &cols[4],
                        &cols[5],
                        &text,
                        &json,
                        &seq,
                        &ts_vector(cols[1].as_deref(), &text),
                    ],
                )?;
                tx.execute("DELETE FROM record_places WHERE record_id = $1", &[&r.id])?;
                tx.execute("DELETE FROM record_event_types WHERE record_id = $1", &[&r.id])?;
                index.insert(&r.id, r);
            }
        }
        index_records(&mut tx, cache, index.values().copied())?;
        if !queued_ids.is_empty() {
            cache.execute(
                &mut tx,
                "INSERT INTO signatures (record_id, sig) SELECT * FROM unnest($1::TEXT[], $2::BYTEA[])
                 ON CONFLICT (record_id) DO UPDATE SET sig = excluded.sig",
                &[&queued_ids, &queued_sigs],
            )?;
            cache.execute(
                &mut tx,
                "INSERT INTO dedup_queue (record_id, events) SELECT * FROM unnest($1::TEXT[], $2::TEXT[]) ON CONFLICT DO NOTHING",
                &[&queued_ids, &queued_events],
            )?;
        }
        let mut urls: Vec<(&str, Cow<'_, str>)> = records
            .iter()
            .filter_map(|n| n.record.url.as_deref().map(|u| (n.record.id.as_str(), clean(u))))
            .collect();
        urls.sort();
        urls.dedup();
        if !urls.is_empty() {
            let (ids, addresses): (Vec<&str>, Vec<&str>) = urls.iter().map(|(id, u)| (*id, u.as_ref())).unzip();
            cache.execute(
                &mut tx,
                "INSERT INTO record_urls (record_id, url) SELECT * FROM unnest($1::TEXT[], $2::TEXT[]) ON CONFLICT DO NOTHING",
                &[&ids, &addresses],
            )?;
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
        if !pending.is_empty() {
            // A sitemap gives thousands of addresses: one statement for all.
            let urls: Vec<Cow<'_, str>> = pending.iter().map(|p| clean(&p.url)).collect();
            let titles: Vec<Option<Cow<'_, str>>> = pending.iter().map(|p| clean_opt(&p.title)).collect();
            let dates: Vec<Option<Cow<'_, str>>> = pending.iter().map(|p| clean_opt(&p.date)).collect();
            let sources: Vec<Cow<'_, str>> = pending.iter().map(|p| clean(&p.source)).collect();
            cache.execute(
                &mut tx,
                "INSERT INTO pending (url, title, date, source)
                 SELECT url, title, date, source FROM unnest($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[]) WITH ORDINALITY AS n (url, title, date, source, at)
                 ORDER BY at ON CONFLICT DO NOTHING",
                &[&urls, &titles, &dates, &sources],
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
}

impl WriteStore for PgStore {
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
}

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
