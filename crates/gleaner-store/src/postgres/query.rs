//! What users ask of the PostgreSQL store: search (`tsvector`), records,
//! counts, clusters, merged events, places, timelines and facets.

use super::tsv::ts_query;
use super::{count, PgStore, Sql, AFTER};
use crate::query::search_words;
use crate::{
    ClusterMember, DateCount, ErrorRow, EventFilter, Facet, Hit, Interrupter, MergedEvent, PlaceCount, PlaceFilter,
    QueryStore, SearchQuery, SortOrder, Stats, StoreError, StoredRecord,
};

/// The words of a search as a `tsquery` (all of them): the same split as
/// the SQLite store's and as the indexed words' (`tsv.rs`), so both stores
/// find the same words; no user text becomes query syntax.
fn ts_words(text: &str) -> Result<String, StoreError> {
    Ok(ts_query(&search_words(text)?))
}

/// The FROM and WHERE of a search over records `r`, shared by listing,
/// counting and faceting; the text query, when there is one, is `q`.
fn search_filter(q: &SearchQuery, sql: &mut Sql) -> Result<bool, StoreError> {
    let text = q.text.as_deref().map(ts_words).transpose()?;
    if let Some(t) = text.clone() {
        let p = sql.arg(t);
        sql.push(&format!(
            " FROM records r, CAST({p}::TEXT AS tsquery) q WHERE r.tsv @@ q"
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
    if let Some(v) = q.fetched_from.clone() {
        let p = sql.arg(v);
        sql.push(&format!(" AND ((r.json::json ->> 'fetched_at') COLLATE \"C\") >= {p}"));
    }
    Ok(text.is_some())
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

impl QueryStore for PgStore {
    fn interrupter(&self) -> Interrupter {
        // The cancel request goes over a connection of its own; the client
        // library blocks while sending it, so it runs on a thread of its own
        // (the caller may be an async task).
        let token = self.db().cancel_token();
        Interrupter::new(move || {
            let token = token.clone();
            std::thread::spawn(move || {
                let _ = token.cancel_query(postgres::NoTls);
            });
        })
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, StoreError> {
        let mut sql = Sql::default();
        sql.push("SELECT r.id, r.title, r.url, r.published, r.publisher, r.language, r.seq");
        let has_text = search_filter(q, &mut sql)?;
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
        let words = q.text.as_deref().map(ts_words).transpose()?.unwrap_or_default();
        let shown = q.limit.saturating_sub(q.look_ahead);
        let mut hits = Vec::with_capacity(rows.len());
        for (i, r) in rows.into_iter().enumerate() {
            let seq: i64 = r.try_get(6)?;
            // Snippets only for the page of hits shown: ts_headline reads the
            // whole text.
            let snippet: Option<String> = if has_text && i < shown {
                db.query_one(
                    "SELECT ts_headline('simple', text, CAST($1::TEXT AS tsquery),
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
        search_filter(q, &mut sql)?;
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
        search_filter(q, &mut inner)?;
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

    fn records_after(&self, after: Option<&str>, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let mut conn = self.db();
        let (db, cache) = conn.parts();
        Self::records_where(db, cache, AFTER, &[&after.unwrap_or(""), &(limit as i64)])
    }
}
