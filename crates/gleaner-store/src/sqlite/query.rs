//! What users ask of the SQLite store: search (FTS5), records, counts,
//! clusters, merged events, places, timelines and facets.

use rusqlite::{params, OptionalExtension};

use super::facet_table::{FacetCounts, FacetTable};
use super::SqliteStore;
use crate::query::search_words;
use crate::rules::stored_record;
use crate::{
    ClusterMember, DateCount, ErrorRow, EventFilter, Facet, Hit, Interrupter, MergedEvent, PlaceCount, PlaceFilter,
    QueryStore, SearchQuery, SortOrder, Stats, StoreError, StoredRecord,
};

/// The FROM and WHERE of a search, shared by listing, counting and faceting.
/// Selects from `r` (records, its row number being [`row_of`]); the caller
/// adds columns, grouping and order.
///
/// With words, the full-text matches drive the search, and every filter is
/// checked on each match from compact indexes only: the record's sort and
/// filter columns from `records_keys` (its row, with the record's JSON,
/// spans pages, and reading it for every match was most of a search's
/// time), its countries and event types from `record_facets`. Only the
/// page shown reads record rows. Without words, `records` is read through
/// whichever index the planner picks (the published date's serves the
/// order).
///
/// `as_set` says, for the country and the event type filter, whether to read
/// the value's records once into a set each match is looked up in (cheaper
/// per match, but the set costs its size) rather than look each match up
/// in `record_facets`: see [`SqliteStore::facet_sets`].
///
/// `keys` false, with words, leaves out `r`: the caller selects, filters and
/// sorts by nothing of the record's (see [`reads_no_record`]), and joining
/// its keys would cost a look-up per match for nothing.
fn search_filter(
    q: &SearchQuery,
    as_set: [bool; 2],
    keys: bool,
) -> Result<(String, Vec<rusqlite::types::Value>, bool), StoreError> {
    let mut sql = String::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let text = q.text.as_deref().map(fts_query).transpose()?;
    let seq = row_of(text.is_some());
    if let Some(t) = &text {
        if keys {
            sql.push_str(
                " FROM records_fts JOIN records r INDEXED BY records_keys ON r.seq = records_fts.rowid WHERE records_fts MATCH ?",
            );
        } else {
            sql.push_str(" FROM records_fts WHERE records_fts MATCH ?");
        }
        args.push(t.clone().into());
    } else if q.country.is_some() || q.event_type.is_some() {
        // Driven by the records of the value, each looked up in the index.
        sql.push_str(" FROM records r INDEXED BY records_keys WHERE 1");
    } else {
        sql.push_str(" FROM records r WHERE 1");
    }
    for ((facet, value), set) in [("country", &q.country), ("type", &q.event_type)]
        .into_iter()
        .zip(as_set)
    {
        if let Some(v) = value {
            if text.is_some() && set {
                // The unary `+` keeps the full-text table from taking the
                // set as rowids to look up one by one (a full-text query each).
                sql.push_str(&format!(
                    " AND +{seq} IN (SELECT f.seq FROM record_facets f WHERE f.facet = '{facet}' AND f.value = ?)"
                ));
            } else if text.is_some() {
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM record_facets f WHERE f.facet = '{facet}' AND f.value = ? AND f.seq = {seq})"
                ));
            } else {
                sql.push_str(&format!(
                    " AND {seq} IN (SELECT f.seq FROM record_facets f WHERE f.facet = '{facet}' AND f.value = ?)"
                ));
            }
            args.push(v.clone().into());
        }
    }
    if let Some(p) = &q.publisher {
        sql.push_str(" AND r.publisher = ?");
        args.push(p.clone().into());
    }
    if let Some(from) = &q.from {
        sql.push_str(" AND r.published >= ?");
        args.push(from.clone().into());
    }
    if let Some(to) = &q.to {
        // "2020-12" must include "2020-12-31": compare against the prefix's end.
        sql.push_str(" AND r.published <= ?");
        args.push(format!("{to}\u{10ffff}").into());
    }
    if let Some(l) = &q.language {
        sql.push_str(" AND r.language = ?");
        args.push(l.clone().into());
    }
    if let Some(p) = &q.place {
        sql.push_str(" AND r.id IN (SELECT record_id FROM record_places WHERE name = ?)");
        args.push(p.clone().into());
    }
    if let Some(f) = &q.fetched_from {
        // The column of the index `records_fetched`.
        sql.push_str(" AND r.fetched_at >= ?");
        args.push(f.clone().into());
    }
    Ok((sql, args, text.is_some()))
}

/// Gives `gleaner_bm25` its lengths, or takes them back.
fn set_lengths(slot: &super::rank::Lengths, lengths: Option<std::sync::Arc<[u32]>>) {
    // A poisoned lock holds no state a panic could have left half-made.
    *slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = lengths;
}

/// Whether a search has a filter besides its words.
fn filtered(q: &SearchQuery) -> bool {
    let SearchQuery {
        from,
        to,
        publisher,
        language,
        place,
        country,
        event_type,
        fetched_from,
        ..
    } = q;
    [from, to, publisher, language, place, country, event_type, fetched_from]
        .iter()
        .any(|f| f.is_some())
}

/// Whether a search by relevance can be answered from the full-text index
/// and `record_facets` alone: words, and no filter on a column of the
/// record. Every full-text row has its record (both are written in one
/// transaction, with the record's row number as the full-text rowid, and
/// neither is deleted), so leaving the join out keeps the same matches.
fn reads_no_record(q: &SearchQuery) -> bool {
    let SearchQuery {
        text,
        from,
        to,
        publisher,
        language,
        place,
        fetched_from,
        sort,
        ..
    } = q;
    text.is_some()
        && *sort == SortOrder::Relevance
        && [from, to, publisher, language, place, fetched_from]
            .iter()
            .all(|f| f.is_none())
}

/// The row number of a record [`search_filter`] selects: the full-text
/// match's when there are words (the planner then needs no record column).
fn row_of(has_text: bool) -> &'static str {
    if has_text {
        "records_fts.rowid"
    } else {
        "r.seq"
    }
}

/// The WHERE of an event listing (events `e`).
fn event_filter(f: &EventFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = String::from(" WHERE 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(k) = &f.kind {
        sql.push_str(" AND e.type = ?");
        args.push(k.clone().into());
    }
    if let Some(p) = &f.place {
        sql.push_str(" AND e.place = ?");
        args.push(p.clone().into());
    }
    if let Some(from) = &f.from {
        sql.push_str(" AND e.date >= ?");
        args.push(from.clone().into());
    }
    if let Some(to) = &f.to {
        sql.push_str(" AND e.date <= ?");
        args.push(format!("{to}\u{10ffff}").into());
    }
    if let Some(c) = &f.country {
        sql.push_str(" AND e.place IN (SELECT name FROM record_places WHERE country = ?)");
        args.push(c.clone().into());
    }
    (sql, args)
}

/// Every word quoted: user input never becomes FTS5 syntax (no errors on
/// "AND", "-", unbalanced quotes); all words must match.
fn fts_query(text: &str) -> Result<String, StoreError> {
    Ok(search_words(text)?
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" "))
}

/// Records a `sort=newest` walk may visit per match before it gives up (see
/// [`SqliteStore::newest_page`]): reading a match's date and sorting it
/// costs about as much as walking this many records.
const WALK_PER_MATCH: usize = 8;

/// How many more records than matches a filter may list and still be read
/// whole and merged with the matches (see [`SqliteStore::keep_listed`]):
/// looking one match up in the filter's index costs about as much as
/// reading this many of its records.
const LIST_PER_MATCH: usize = 8;

/// The newest date at or before a bound, from the published date's index
/// (a range: see [`SqliteStore::walk_newest`]).
const NEWEST_UP_TO: &str = "SELECT max(published) FROM records WHERE published <= ?1";

impl SqliteStore {
    /// The statement of [`SqliteStore::search_sorted`] with its arguments.
    fn sorted_statement(&self, q: &SearchQuery) -> Result<(String, Vec<rusqlite::types::Value>), StoreError> {
        // By relevance, the rank is the full-text index's alone: no record
        // row is read, so none is joined (the order below sorts every match,
        // and a join would be made for each before the sort).
        let keys = !reads_no_record(q);
        let (filter, mut args, has_text) = search_filter(q, self.facet_sets(q)?, keys)?;
        let order = match (q.sort, has_text) {
            // Filtered, the order is SQLite's sort of the matches that pass
            // (`+` hides the column from the full-text table): the table's
            // own order by rank scores every match of the words first.
            (SortOrder::Relevance, true) if filtered(q) => "+rank",
            // Unfiltered, the order `rank` gives (bm25, ties in row order)
            // written out: the full-text table's own `ORDER BY rank` sorts
            // every match in full in a statement of its own, where SQLite's
            // sort of the outer statement keeps only the page's LIMIT rows
            // (about 1.3 times faster on the bench store, issue 16).
            (SortOrder::Relevance, true) => "bm25(records_fts), records_fts.rowid",
            // NULLs sort lowest in SQLite, so undated records come last and
            // the published index serves the order.
            (SortOrder::Relevance, false) | (SortOrder::Newest, _) => "r.published DESC, r.seq",
            (SortOrder::Oldest, _) => "r.published IS NULL, r.published, r.seq",
        };
        // Row numbers only: the search reads no record row (see
        // `search_filter`), and no snippet is made for a match not shown
        // (SQLite computes every column of every match before sorting, and
        // a snippet tokenises the record's whole text).
        let sql = format!("SELECT {}{filter} ORDER BY {order} LIMIT ? OFFSET ?", row_of(has_text));
        args.push((q.limit.max(1) as i64).into());
        args.push((q.offset as i64).into());
        Ok((sql, args))
    }

    /// For a search with words, whether its country and event-type filters
    /// are answered as sets (see [`search_filter`]): when the value has
    /// fewer records than the words have matches, reading them once costs
    /// less than looking every match up. Both counts stop early: the
    /// full-text count reads only the words' position lists, and the
    /// value's count stops at the matches' count.
    fn facet_sets(&self, q: &SearchQuery) -> Result<[bool; 2], StoreError> {
        let mut sets = [false; 2];
        let Some(text) = q.text.as_deref() else {
            return Ok(sets);
        };
        if q.country.is_none() && q.event_type.is_none() {
            return Ok(sets);
        }
        let matches: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM records_fts WHERE records_fts MATCH ?1")?
            .query_row([fts_query(text)?], |r| r.get(0))?;
        let mut count = self.conn.prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM record_facets WHERE facet = ?1 AND value = ?2 LIMIT ?3)",
        )?;
        for ((facet, value), set) in [("country", &q.country), ("type", &q.event_type)]
            .into_iter()
            .zip(sets.iter_mut())
        {
            if let Some(v) = value {
                let n: i64 = count.query_row(params![facet, v, matches], |r| r.get(0))?;
                *set = n < matches;
            }
        }
        Ok(sets)
    }

    /// The page of a `sort=newest` search with words, without sorting every
    /// match: the matches that pass the country, event-type and publisher
    /// filters are found as a sorted list of row numbers (the full-text
    /// index's, intersected with each filter's records read from its index,
    /// or each match looked up when the filter has many more records than
    /// there are matches). Few of them: their dates are read and sorted.
    /// Many: the records are walked newest first, and the walk stops once
    /// the page is filled, far sooner than all of them are read.
    ///
    /// `None` when this does not answer the search (no country, event-type
    /// or publisher filter, or a filter it does not check: place, language,
    /// fetch time): the sorting statement does.
    ///
    /// The walk reads the published-date index one date at a time, each
    /// date's records in row order: the newest order (date descending, row
    /// ascending, undated last) without a sort, and without reading every
    /// record of a date thousands share. When the dates asked hold few of
    /// the matches, the walk gives up after a few records per match, and
    /// the matches' dates are sorted instead.
    fn newest_page(&self, q: &SearchQuery) -> Result<Option<Vec<i64>>, StoreError> {
        let Some(text) = q.text.as_deref() else {
            return Ok(None);
        };
        if q.sort != SortOrder::Newest || q.place.is_some() || q.fetched_from.is_some() || q.language.is_some() {
            return Ok(None);
        }
        // Without a filter, every match would be read here; the statement
        // reads and sorts them in fewer steps. A date range alone is
        // answered here: the statement would read and sort every match's
        // date, where the walk reads only the newest dates asked.
        let dated = q.from.is_some() || q.to.is_some();
        if q.country.is_none() && q.event_type.is_none() && q.publisher.is_none() && !dated {
            return Ok(None);
        }
        // Ascending, as the full-text index lists them.
        let mut matches: Vec<i64> = self
            .conn
            .prepare_cached("SELECT rowid FROM records_fts WHERE records_fts MATCH ?1")?
            .query_map([fts_query(text)?], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let facets = [("country", &q.country), ("type", &q.event_type)];
        for (facet, value) in facets {
            if let Some(v) = value {
                matches = self.keep_listed(
                    matches,
                    "SELECT count(*) FROM (SELECT 1 FROM record_facets WHERE facet = ?1 AND value = ?2 LIMIT ?3)",
                    "SELECT seq FROM record_facets WHERE facet = ?1 AND value = ?2 ORDER BY seq",
                    "SELECT 1 FROM record_facets WHERE facet = ?1 AND value = ?2 AND seq = ?3",
                    facet,
                    v,
                )?;
            }
        }
        if let Some(v) = &q.publisher {
            // The `?1 = ?1` keeps the three statements' arguments alike.
            matches = self.keep_listed(
                matches,
                "SELECT count(*) FROM (SELECT 1 FROM records INDEXED BY records_publisher WHERE ?1 = ?1 AND publisher = ?2 LIMIT ?3)",
                "SELECT seq FROM records INDEXED BY records_publisher WHERE ?1 = ?1 AND publisher = ?2 ORDER BY seq",
                "SELECT 1 FROM records INDEXED BY records_keys WHERE ?1 = ?1 AND publisher = ?2 AND seq = ?3",
                "",
                v,
            )?;
        }
        let limit = q.limit.max(1);
        let need = q.offset.saturating_add(limit);
        if matches.len() < need {
            return Ok(Some(self.sorted_by_date(q, &matches)?));
        }
        // Reading and sorting a match's date costs about what walking
        // WALK_PER_MATCH records does; the walk reads about need * records /
        // matches records. With dates asked, neither how many records they
        // hold nor how many of the matches is known before the walk: its
        // budget decides, and a walk given up costs at most what the sort
        // does.
        if !dated {
            let records: i64 = self
                .conn
                .query_row("SELECT coalesce(max(seq), 0) FROM records", [], |r| r.get(0))?;
            let walk = (need as f64) * (records as f64) / (matches.len() as f64);
            if walk > (matches.len() * WALK_PER_MATCH) as f64 {
                return Ok(Some(self.sorted_by_date(q, &matches)?));
            }
        }
        match self.walk_newest(q, &matches, limit, matches.len().saturating_mul(WALK_PER_MATCH))? {
            Some(page) => Ok(Some(page)),
            None => Ok(Some(self.sorted_by_date(q, &matches)?)),
        }
    }

    /// Of `matches` (ascending row numbers), those a filter lists: the
    /// filter's records read in row order and merged when they are not
    /// many more than the matches, else each match looked up. The three
    /// statements take the same arguments: a facet, a value, and a count
    /// bound or a row number.
    fn keep_listed(
        &self,
        matches: Vec<i64>,
        count_sql: &str,
        list_sql: &str,
        probe_sql: &str,
        facet: &str,
        value: &str,
    ) -> Result<Vec<i64>, StoreError> {
        if matches.is_empty() {
            return Ok(matches);
        }
        let bound = matches.len().saturating_mul(LIST_PER_MATCH) as i64;
        let listed: i64 = self
            .conn
            .prepare_cached(count_sql)?
            .query_row(params![facet, value, bound], |r| r.get(0))?;
        if listed < bound {
            let mut stmt = self.conn.prepare_cached(list_sql)?;
            let mut rows = stmt.query(params![facet, value])?;
            let mut kept = Vec::new();
            let mut i = 0;
            while let Some(row) = rows.next()? {
                let seq: i64 = row.get(0)?;
                while i < matches.len() && matches[i] < seq {
                    i += 1;
                }
                if i == matches.len() {
                    break;
                }
                if matches[i] == seq {
                    kept.push(seq);
                }
            }
            Ok(kept)
        } else {
            let mut probe = self.conn.prepare_cached(probe_sql)?;
            let mut kept = Vec::new();
            for seq in matches {
                if probe.exists(params![facet, value, seq])? {
                    kept.push(seq);
                }
            }
            Ok(kept)
        }
    }

    /// The page of `matches` in the newest order, within the search's dates,
    /// from each match's date (in the compact index).
    fn sorted_by_date(&self, q: &SearchQuery, matches: &[i64]) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT published FROM records INDEXED BY records_keys WHERE seq = ?1")?;
        let to = q.to.as_ref().map(|t| format!("{t}\u{10ffff}"));
        let mut dated: Vec<(Option<String>, i64)> = Vec::with_capacity(matches.len());
        for &seq in matches {
            let published: Option<String> = stmt.query_row([seq], |r| r.get(0))?;
            // The date filters as SQL compares them: an undated record passes neither.
            let after = q
                .from
                .as_ref()
                .is_none_or(|f| published.as_ref().is_some_and(|p| p >= f));
            let before = to.as_ref().is_none_or(|t| published.as_ref().is_some_and(|p| p <= t));
            if after && before {
                dated.push((published, seq));
            }
        }
        // Newest first, undated last (`None` sorts below every date), then
        // by row; text compares bytewise, as in SQLite.
        dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(dated
            .into_iter()
            .skip(q.offset)
            .take(q.limit.max(1))
            .map(|(_, seq)| seq)
            .collect())
    }

    /// The page of `matches` (ascending row numbers) found by walking the
    /// records newest first within the search's dates (see
    /// [`SqliteStore::newest_page`]); `None` past `budget` records walked.
    fn walk_newest(
        &self,
        q: &SearchQuery,
        matches: &[i64],
        limit: usize,
        budget: usize,
    ) -> Result<Option<Vec<i64>>, StoreError> {
        // Dates from the newest: the first at or before `to`'s end, each next
        // one below the last, down to `from`; then the undated records,
        // unless a date filter excludes them.
        let to = q.to.as_ref().map(|t| format!("{t}\u{10ffff}"));
        // Two statements, not `published <= coalesce(?1, published)`: that
        // bound is no index range, and the max would be found by scanning
        // down from the newest record.
        let mut date: Option<String> = match &to {
            Some(t) => self.conn.prepare_cached(NEWEST_UP_TO)?.query_row([t], |r| r.get(0))?,
            None => self
                .conn
                .prepare_cached("SELECT max(published) FROM records")?
                .query_row([], |r| r.get(0))?,
        };
        let mut next = self
            .conn
            .prepare_cached("SELECT max(published) FROM records WHERE published < ?1")?;
        let mut dated = self
            .conn
            .prepare_cached("SELECT seq FROM records INDEXED BY records_published WHERE published = ?1 ORDER BY seq")?;
        let mut undated = self.conn.prepare_cached(
            "SELECT seq FROM records INDEXED BY records_published WHERE published IS NULL ORDER BY seq",
        )?;
        let mut walked = 0usize;
        let mut passed = 0usize;
        let mut page = Vec::with_capacity(limit);
        loop {
            if let (Some(d), Some(from)) = (&date, &q.from) {
                if d.as_str() < from.as_str() {
                    break;
                }
            }
            let undated_now = date.is_none();
            if undated_now && (q.from.is_some() || q.to.is_some()) {
                break;
            }
            let mut rows = match &date {
                Some(d) => dated.query([d])?,
                None => undated.query([])?,
            };
            while let Some(row) = rows.next()? {
                walked += 1;
                if walked > budget {
                    return Ok(None);
                }
                let seq: i64 = row.get(0)?;
                if matches.binary_search(&seq).is_err() {
                    continue;
                }
                passed += 1;
                if passed > q.offset {
                    page.push(seq);
                    if page.len() == limit {
                        return Ok(Some(page));
                    }
                }
            }
            drop(rows);
            if undated_now {
                break;
            }
            date = next.query_row([&date], |r| r.get(0))?;
        }
        Ok(Some(page))
    }

    /// The row numbers of a search's page, in order, from one statement:
    /// the full-text matches (or the records) that pass the filters, sorted.
    fn search_sorted(&self, q: &SearchQuery) -> Result<Vec<i64>, StoreError> {
        let (sql, args) = self.sorted_statement(q)?;
        let mut stmt = self.conn.prepare(&sql)?;
        let seqs = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(seqs)
    }

    /// What `answer` makes of a search's full-text matches and the
    /// in-memory facet table ([`FacetTable`]): one pass over the matches,
    /// an array look-up for each. `None` when the table does not answer:
    /// no words, a filter it does not hold, an open transaction, a store
    /// too large, or one changed since the table was read and not yet read
    /// again. `answer` runs in the snapshot the matches were read in.
    fn with_table<T>(
        &self,
        q: &SearchQuery,
        answer: impl FnOnce(&FacetTable, &[i64]) -> Result<Option<T>, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let Some(text) = q.text.as_deref() else {
            return Ok(None);
        };
        if q.place.is_some() || q.fetched_from.is_some() || !self.conn.is_autocommit() {
            return Ok(None);
        }
        let slot = self.fresh_table()?;
        let Some(table) = slot.as_ref() else {
            return Ok(None);
        };
        // The matches and the check that the table still holds them in one
        // snapshot: a commit after the check cannot add a match it lacks.
        // Matches kept from the last call were read while the table was
        // fresh: while it still is, they are the store's.
        let tx = self.conn.unchecked_transaction()?;
        let words = fts_query(text)?;
        let matches = match table.kept(&words) {
            Some(m) => m,
            None => {
                let m: std::sync::Arc<[i64]> = tx
                    .prepare_cached("SELECT rowid FROM records_fts WHERE records_fts MATCH ?1")?
                    .query_map([&words], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                m
            }
        };
        if !table.fresh(&tx)? {
            return Ok(None);
        }
        table.keep(&words, &matches);
        let answered = answer(table, &matches)?;
        tx.finish()?;
        Ok(answered)
    }

    /// The facet table, read again if the store changed since and its
    /// spacing allows; `None` in the slot when there is none to use. The
    /// caller checks again that it is fresh in the snapshot it reads.
    fn fresh_table(&self) -> Result<std::cell::RefMut<'_, Option<FacetTable>>, StoreError> {
        let mut slot = self.facet_table.borrow_mut();
        let fresh = match slot.as_ref() {
            Some(t) => t.fresh(&self.conn)?,
            None => false,
        };
        if !fresh {
            if !slot.as_ref().is_none_or(FacetTable::may_reread) {
                *slot = None;
                return Ok(slot);
            }
            *slot = FacetTable::read(&self.conn)?;
        }
        Ok(slot)
    }

    /// The page of an unfiltered search by relevance, scored by
    /// `gleaner_bm25` with the facet table's lengths (see [`super::rank`]):
    /// the sorting statement's order and rows, without a look-up in the
    /// size table per match. `None` when the table is stale or missing, or
    /// the function could not be registered: the statement answers.
    fn relevance_ranked(&self, q: &SearchQuery) -> Result<Option<Vec<i64>>, StoreError> {
        let Some(text) = q.text.as_deref() else {
            return Ok(None);
        };
        if q.sort != SortOrder::Relevance || filtered(q) || !self.conn.is_autocommit() {
            return Ok(None);
        }
        let Some(lengths) = self.rank.get_or_init(|| super::rank::register(&self.conn).ok()) else {
            return Ok(None);
        };
        let slot = self.fresh_table()?;
        let Some(table) = slot.as_ref() else {
            return Ok(None);
        };
        // Scored and checked in one snapshot: a commit after the check
        // cannot change a length the scores used.
        let words = fts_query(text)?;
        let tx = self.conn.unchecked_transaction()?;
        set_lengths(lengths, Some(std::sync::Arc::clone(&table.lengths)));
        let seqs: Result<Vec<i64>, rusqlite::Error> = tx
            .prepare_cached(
                "SELECT rowid FROM records_fts WHERE records_fts MATCH ?1
                 ORDER BY gleaner_bm25(records_fts), rowid LIMIT ?2 OFFSET ?3",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![words, q.limit.max(1) as i64, q.offset as i64], |r| r.get(0))?
                    .collect()
            });
        set_lengths(lengths, None);
        let seqs = seqs?;
        if !table.fresh(&tx)? {
            return Ok(None);
        }
        tx.finish()?;
        Ok(Some(seqs))
    }

    /// The facet counts of a search from the facet table (see [`SqliteStore::with_table`]).
    fn facets_from_table(
        &self,
        q: &SearchQuery,
        fields: &[Facet],
        limit: usize,
    ) -> Result<Option<FacetCounts>, StoreError> {
        self.with_table(q, |t, matches| Ok(t.count(q, matches, fields, limit)))
    }

    /// The page of a `sort=newest` search with words from the facet table
    /// (see [`SqliteStore::with_table`]): its filters checked and the
    /// first of the passing matches picked in memory, where
    /// [`SqliteStore::newest_page`] reads each filter's index and each
    /// match's date from the file.
    fn newest_from_table(&self, q: &SearchQuery) -> Result<Option<Vec<i64>>, StoreError> {
        if q.sort != SortOrder::Newest {
            return Ok(None);
        }
        self.with_table(q, |t, matches| Ok(t.newest(q, matches)))
    }

    /// The page of a filtered search by relevance from the facet table (see
    /// [`SqliteStore::with_table`]): the table picks the matches that pass
    /// the filters, and only those are scored and sorted, by the sorting
    /// statement's own order (`+rank`, the passing matches in row order),
    /// so the page is the one it gives. The statement instead finds the
    /// passing matches from the file: a count of the matches, then a
    /// look-up of each in the filter's index or a read of all the filter's
    /// records.
    fn relevance_from_table(&self, q: &SearchQuery) -> Result<Option<Vec<i64>>, StoreError> {
        let Some(text) = q.text.as_deref() else {
            return Ok(None);
        };
        if q.sort != SortOrder::Relevance || !filtered(q) {
            return Ok(None);
        }
        let words = fts_query(text)?;
        self.with_table(q, |t, matches| {
            let Some(passing) = t.passing(q, matches) else {
                return Ok(None);
            };
            if passing.is_empty() {
                return Ok(Some(Vec::new()));
            }
            let mut list = String::with_capacity(passing.len() * 7 + 2);
            list.push('[');
            for (i, seq) in passing.iter().enumerate() {
                if i > 0 {
                    list.push(',');
                }
                list.push_str(&seq.to_string());
            }
            list.push(']');
            let seqs = self
                .conn
                .prepare_cached(
                    "SELECT rowid FROM records_fts WHERE records_fts MATCH ?1
                     AND +rowid IN (SELECT value FROM json_each(?2)) ORDER BY +rank LIMIT ?3 OFFSET ?4",
                )?
                .query_map(params![words, list, q.limit.max(1) as i64, q.offset as i64], |r| {
                    r.get(0)
                })?
                .collect::<Result<_, _>>()?;
            Ok(Some(seqs))
        })
    }

    /// One statement for every field: the search's results are found once
    /// (with their publisher and language, which the compact indexes carry)
    /// and counted by each field, instead of once per field.
    fn facets_by_statement(
        &self,
        q: &SearchQuery,
        fields: &[Facet],
        limit: usize,
    ) -> Result<Vec<Vec<(String, u64)>>, StoreError> {
        let (filter, args, has_text) = search_filter(q, self.facet_sets(q)?, true)?;
        let seq = row_of(has_text);
        let mut parts = Vec::new();
        for (i, field) in fields.iter().enumerate() {
            parts.push(match field {
                Facet::Publisher => format!("SELECT {i}, p, count(*) FROM m WHERE p IS NOT NULL GROUP BY p"),
                Facet::Language => format!("SELECT {i}, l, count(*) FROM m WHERE l IS NOT NULL GROUP BY l"),
                // One row per record and value in `record_facets`. CROSS
                // JOIN keeps the results the outer loop: the planner may
                // otherwise scan all of `record_facets` against them.
                Facet::Country | Facet::EventType => {
                    let facet = if *field == Facet::Country { "country" } else { "type" };
                    format!(
                        "SELECT {i}, v.value, count(*) FROM m CROSS JOIN record_facets v INDEXED BY record_facets_seq
                         ON v.seq = m.s AND v.facet = '{facet}' GROUP BY v.value"
                    )
                }
            });
        }
        let sql = format!(
            "WITH m AS MATERIALIZED (SELECT {seq} s, r.publisher p, r.language l{filter}) {}",
            parts.join(" UNION ALL ")
        );
        let mut out: Vec<Vec<(String, u64)>> = vec![Vec::new(); fields.len()];
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(row) = rows.next()? {
            let i: usize = row.get::<_, i64>(0)?.try_into().unwrap_or(usize::MAX);
            if let Some(counts) = out.get_mut(i) {
                counts.push((row.get(1)?, row.get::<_, i64>(2)? as u64));
            }
        }
        // The order of `facet`: most first, then by value (SQLite compares
        // text bytewise, as `String` does).
        for counts in &mut out {
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts.truncate(limit.max(1));
        }
        Ok(out)
    }

    /// The snippets of the page of hits shown, each made by a full-text
    /// query limited to its row: the index seeks that row in the words'
    /// position lists, where one query over every match (filtered to the
    /// page's rows) reads every match's positions. Which costs less depends
    /// on how many records match; on the 100,000-record bench store neither
    /// was measured faster (issue 16), so this is a choice to revisit.
    fn add_snippets(&self, text: rusqlite::types::Value, hits: &mut [(i64, Hit)]) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT snippet(records_fts, 1, '[', ']', '…', 12) FROM records_fts WHERE records_fts MATCH ?1 AND rowid = ?2",
        )?;
        for (seq, hit) in hits.iter_mut() {
            if let Some(snippet) = stmt
                .query_row(params![text, *seq], |r| r.get::<_, Option<String>>(0))
                .optional()?
            {
                hit.snippet = snippet;
            }
        }
        Ok(())
    }
}

impl QueryStore for SqliteStore {
    fn interrupter(&self) -> Interrupter {
        let handle = self.conn.get_interrupt_handle();
        Interrupter::new(move || handle.interrupt())
    }

    fn warm(&self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            return Ok(());
        }
        let mut slot = self.facet_table.borrow_mut();
        if let Some(t) = slot.as_ref() {
            if t.fresh(&self.conn)? {
                return Ok(());
            }
        }
        *slot = FacetTable::read_waiting(&self.conn)?;
        Ok(())
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>, StoreError> {
        let seqs = match self.newest_from_table(q)? {
            Some(seqs) => seqs,
            None => match self.relevance_from_table(q)? {
                Some(seqs) => seqs,
                None => match self.newest_page(q)? {
                    Some(seqs) => seqs,
                    None => match self.relevance_ranked(q)? {
                        Some(seqs) => seqs,
                        None => self.search_sorted(q)?,
                    },
                },
            },
        };
        if seqs.is_empty() {
            return Ok(Vec::new());
        }
        let list = vec!["?"; seqs.len()].join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT seq, id, title, url, published, publisher, language FROM records WHERE seq IN ({list})"
        ))?;
        let mut found: std::collections::HashMap<i64, Hit> = stmt
            .query_map(rusqlite::params_from_iter(&seqs), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Hit {
                        id: r.get(1)?,
                        title: r.get(2)?,
                        url: r.get(3)?,
                        published: r.get(4)?,
                        publisher: r.get(5)?,
                        language: r.get(6)?,
                        snippet: None,
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut hits: Vec<(i64, Hit)> = seqs.iter().filter_map(|s| Some((*s, found.remove(s)?))).collect();
        if let Some(text) = q.text.as_deref() {
            let shown = hits.len().min(q.limit.saturating_sub(q.look_ahead));
            self.add_snippets(fts_query(text)?.into(), &mut hits[..shown])?;
        }
        Ok(hits.into_iter().map(|(_, h)| h).collect())
    }

    fn get(&self, id: &str) -> Result<Option<StoredRecord>, StoreError> {
        type Row = (String, String, Option<String>);
        let one = |r: &rusqlite::Row| -> rusqlite::Result<Row> { Ok((r.get(0)?, r.get(1)?, r.get(2)?)) };
        let row: Option<Row> = if id.len() >= 16 {
            self.conn
                .query_row("SELECT r.id, r.json, c.cluster FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE r.id = ?1", [id], one)
                .optional()?
        } else if id.len() >= 6 {
            let mut stmt = self.conn.prepare(
                "SELECT r.id, r.json, c.cluster FROM records r LEFT JOIN clusters c ON c.record_id = r.id WHERE r.id >= ?1 AND r.id < ?1 || char(1114111) LIMIT 2",
            )?;
            let found: Vec<Row> = stmt.query_map([id], one)?.collect::<Result<_, _>>()?;
            if found.len() == 1 {
                found.into_iter().next()
            } else {
                None
            }
        } else {
            None
        };
        let Some((id, json, cluster)) = row else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT url FROM record_urls WHERE record_id = ?1")?;
        let urls: Vec<String> = stmt.query_map([&id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Some(stored_record(&json, cluster, urls)?))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count =
            |sql: &str| -> Result<u64, StoreError> { Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64) };
        let groups = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?.unwrap_or_else(|| "(unknown)".into()),
                    r.get::<_, i64>(1)? as u64,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        Ok(Stats {
            records: count("SELECT count(*) FROM records")?,
            inputs: count("SELECT count(*) FROM inputs")?,
            inputs_done: count("SELECT count(*) FROM inputs WHERE done")?,
            pending: count("SELECT count(*) FROM pending")?,
            by_publisher: groups(
                "SELECT publisher, count(*) n FROM records GROUP BY publisher ORDER BY n DESC, publisher",
            )?,
            by_language: groups(
                "SELECT language, count(*) n FROM records GROUP BY language ORDER BY n DESC, language",
            )?,
            by_month: groups("SELECT substr(published, 1, 7) m, count(*) FROM records GROUP BY m ORDER BY m")?,
            errors_by_category: groups(
                "SELECT category, count(*) n FROM errors GROUP BY category ORDER BY n DESC, category",
            )?,
        })
    }

    fn errors(&self) -> Result<Vec<ErrorRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT input, offset, record, category, reason FROM errors ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok(ErrorRow {
                input: r.get(0)?,
                offset: r.get::<_, Option<i64>>(1)?.map(|o| o as u64),
                record: r.get(2)?,
                category: r.get(3)?,
                reason: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn cluster_members(&self, cluster: &str) -> Result<Vec<ClusterMember>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.title, r.publisher, r.published, r.url, c.similarity FROM clusters c JOIN records r ON r.id = c.record_id
             WHERE c.cluster = ?1 ORDER BY coalesce(r.published, '9999'), r.id",
        )?;
        let rows = stmt.query_map([cluster], |r| {
            Ok(ClusterMember {
                id: r.get(0)?,
                title: r.get(1)?,
                publisher: r.get(2)?,
                published: r.get(3)?,
                url: r.get(4)?,
                similarity: r.get::<_, Option<f64>>(5)?.unwrap_or(1.0),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn cluster_of(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT cluster FROM clusters WHERE record_id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    fn clusters(&self, min_size: usize) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT cluster FROM clusters GROUP BY cluster HAVING count(*) >= ?1 ORDER BY count(*) DESC, cluster",
        )?;
        let rows = stmt.query_map([min_size as i64], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn events(&self, f: &EventFilter) -> Result<Vec<MergedEvent>, StoreError> {
        let (filter, mut args) = event_filter(f);
        // Ties by rank, not seq: which row survives merging, and so its seq,
        // depends on the order records were handled in.
        let sql = format!("SELECT e.seq FROM events e{filter} ORDER BY e.date, e.rank, e.type, coalesce(e.place, '') LIMIT ? OFFSET ?");
        args.push(f.limit.map_or(-1, |l| l as i64).into());
        args.push((f.offset as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let seqs: Vec<i64> = stmt
            .query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        seqs.into_iter().map(|s| self.merged_event(s, true)).collect()
    }

    fn places(&self, f: &PlaceFilter) -> Result<Vec<PlaceCount>, StoreError> {
        let mut sql = String::from(
            "SELECT p.name, min(p.geonameid), p.country, min(p.lat), min(p.lon), count(*) n,
                    (SELECT count(*) FROM events e WHERE e.place = p.name)
             FROM record_places p",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if f.from.is_some() || f.to.is_some() {
            sql.push_str(" JOIN records r ON r.id = p.record_id");
        }
        sql.push_str(" WHERE 1");
        if let Some(c) = &f.country {
            sql.push_str(" AND p.country = ?");
            args.push(c.clone().into());
        }
        if !f.names.is_empty() {
            sql.push_str(" AND p.name IN (");
            for (i, n) in f.names.iter().enumerate() {
                sql.push_str(if i == 0 { "?" } else { ", ?" });
                args.push(n.clone().into());
            }
            sql.push(')');
        }
        if let Some(from) = &f.from {
            sql.push_str(" AND r.published >= ?");
            args.push(from.clone().into());
        }
        if let Some(to) = &f.to {
            sql.push_str(" AND r.published <= ?");
            args.push(format!("{to}\u{10ffff}").into());
        }
        sql.push_str(" GROUP BY p.name, p.country ORDER BY n DESC, p.name LIMIT ?");
        args.push((f.limit.max(1) as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(PlaceCount {
                name: r.get(0)?,
                geonameid: r.get::<_, Option<i64>>(1)?.map(|g| g as u64),
                country: r.get(2)?,
                lat: r.get(3)?,
                lon: r.get(4)?,
                records: r.get::<_, i64>(5)? as u64,
                events: r.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn event_dates(&self, f: &EventFilter) -> Result<Vec<DateCount>, StoreError> {
        let (filter, args) = event_filter(f);
        let sql = format!("SELECT e.date, e.type, count(*) FROM events e{filter} AND e.date IS NOT NULL GROUP BY e.date, e.type ORDER BY e.date, e.type");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(DateCount {
                date: r.get(0)?,
                kind: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn record_dates(&self, q: &SearchQuery) -> Result<Vec<DateCount>, StoreError> {
        let (filter, args, _) = search_filter(q, self.facet_sets(q)?, true)?;
        let sql = format!(
            "SELECT substr(r.published, 1, 10) d, count(*){filter} AND r.published IS NOT NULL GROUP BY d ORDER BY d"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok(DateCount {
                date: r.get(0)?,
                kind: "record".into(),
                count: r.get::<_, i64>(1)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn facet(&self, q: &SearchQuery, field: Facet, limit: usize) -> Result<Vec<(String, u64)>, StoreError> {
        let (filter, mut args, has_text) = search_filter(q, self.facet_sets(q)?, true)?;
        let sql = match field {
            Facet::Publisher => format!("SELECT r.publisher v, count(*) n{filter} AND r.publisher IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?"),
            Facet::Language => format!("SELECT r.language v, count(*) n{filter} AND r.language IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ?"),
            // One row per record and value in `record_facets`: count(*)
            // counts records.
            Facet::Country | Facet::EventType => {
                let facet = if field == Facet::Country { "country" } else { "type" };
                let seq = row_of(has_text);
                format!(
                    "SELECT v.value v, count(*) n FROM (SELECT {seq} s{filter}) m
                     JOIN record_facets v INDEXED BY record_facets_seq ON v.seq = m.s AND v.facet = '{facet}'
                     GROUP BY v.value ORDER BY n DESC, v.value LIMIT ?"
                )
            }
        };
        args.push((limit.max(1) as i64).into());
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// From the facet table when it answers (see [`SqliteStore::facets_from_table`]),
    /// else from one statement.
    fn facets(&self, q: &SearchQuery, fields: &[Facet], limit: usize) -> Result<Vec<Vec<(String, u64)>>, StoreError> {
        if fields.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(counts) = self.facets_from_table(q, fields, limit)? {
            return Ok(counts);
        }
        self.facets_by_statement(q, fields, limit)
    }

    fn facets_in_memory(
        &self,
        q: &SearchQuery,
        fields: &[Facet],
        limit: usize,
    ) -> Result<Option<FacetCounts>, StoreError> {
        if fields.is_empty() {
            return Ok(Some(Vec::new()));
        }
        self.facets_from_table(q, fields, limit)
    }

    fn records_after(&self, after: Option<&str>, limit: usize) -> Result<Vec<StoredRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.json, c.cluster FROM records r LEFT JOIN clusters c ON c.record_id = r.id
             WHERE r.id > ?1 ORDER BY r.id LIMIT ?2",
        )?;
        let rows: Vec<(String, String, Option<String>)> = stmt
            .query_map(params![after.unwrap_or(""), limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut urls = self
            .conn
            .prepare_cached("SELECT url FROM record_urls WHERE record_id = ?1")?;
        rows.into_iter()
            .map(|(id, json, cluster)| {
                let addresses: Vec<String> = urls.query_map([&id], |r| r.get(0))?.collect::<Result<_, _>>()?;
                stored_record(&json, cluster, addresses)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store of 300 records written straight into the search tables: few
    /// dates, so that hundreds of records share one (the walk reads a date's
    /// records in row order), date prefixes, and undated records.
    fn store() -> SqliteStore {
        // One folder per store: the tests run at once, and one opens its
        // store's file a second time.
        static STORES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STORES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("gleaner-sqlite-newest-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let s = SqliteStore::open(dir.join("s.db")).unwrap();
        let dates = [
            Some("2024-05-01"),
            Some("2024-05"),
            Some("2023-12-31"),
            None,
            Some("2024-05-01"),
            Some("2021"),
        ];
        for i in 0..300i64 {
            // Rows not in the order of their ids or dates.
            let seq = 1 + (i * 7) % 300;
            let published = dates[(i % 6 + i / 100) as usize % 6];
            let publisher = ["Wire", "Post", "Herald"][(i % 3) as usize];
            let language = [Some("en"), Some("pt"), Some("en"), None][(i % 4) as usize];
            let text = format!(
                "all{} {} {}",
                if i % 2 == 0 { " even" } else { "" },
                if i % 10 == 0 { "tenth" } else { "" },
                if i % 50 == 0 { "rare" } else { "" }
            );
            s.conn
                .execute(
                    "INSERT INTO records (seq, id, published, publisher, language, json) VALUES (?1, printf('%016x', ?1), ?2, ?3, ?4, '{}')",
                    params![seq, published, publisher, language],
                )
                .unwrap();
            s.conn
                .execute(
                    "INSERT INTO records_fts (rowid, title, text) VALUES (?1, '', ?2)",
                    params![seq, text],
                )
                .unwrap();
            for (facet, value, every) in [
                ("country", "PT", 2),
                ("country", "US", 3),
                ("type", "flood", 5),
                // A type named as a country is another value.
                ("type", "PT", 7),
            ] {
                if i % every == 0 {
                    s.conn
                        .execute(
                            "INSERT INTO record_facets (facet, value, seq) VALUES (?1, ?2, ?3)",
                            params![facet, value, seq],
                        )
                        .unwrap();
                }
            }
        }
        s
    }

    /// A page of a search answered from the facet table, if it can be.
    type FromTable = fn(&SqliteStore, &SearchQuery) -> Result<Option<Vec<i64>>, StoreError>;

    /// The facet table's pages of `q` (first, one, a later one, a long one)
    /// against the sorting statement's.
    fn pages_as_sorted(s: &SqliteStore, q: &mut SearchQuery, from_table: FromTable, what: &str) {
        for (offset, limit) in [(0, 1), (0, 21), (40, 21), (0, 300)] {
            q.offset = offset;
            q.limit = limit;
            let sorted = s.search_sorted(q).unwrap();
            assert_eq!(
                retried(|| from_table(s, q).unwrap()),
                Some(sorted),
                "{what} {offset} {limit}"
            );
        }
    }

    /// What the facet table answers, asked again while another test's
    /// connection reads its own table (one at a time in a process: see
    /// `facet_table::READING`); `None` if it never answers.
    fn retried<T>(answer: impl Fn() -> Option<T>) -> Option<T> {
        for _ in 0..200 {
            if let Some(a) = answer() {
                return Some(a);
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        None
    }

    /// The statements whose plans matter: the walk's first date is an index
    /// range (not a scan down from the newest record), and a search by
    /// relevance filtered by country or event type reads no record key.
    #[test]
    fn plans_read_what_they_need() {
        let s = store();
        let plan = |sql: &str, args: Vec<rusqlite::types::Value>| -> String {
            let mut stmt = s.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let rows = stmt
                .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
                .unwrap();
            rows.collect::<Result<Vec<_>, _>>().unwrap().join("\n")
        };
        let first = plan(NEWEST_UP_TO, vec!["2024".to_string().into()]);
        assert!(first.contains("(published<?)"), "{first}");
        for (country, kind, sort, publisher, reads) in [
            (Some("PT"), None, SortOrder::Relevance, None, false),
            (Some("US"), Some("flood"), SortOrder::Relevance, None, false),
            (None, Some("flood"), SortOrder::Relevance, None, false),
            (Some("PT"), None, SortOrder::Relevance, Some("Post"), true),
            (Some("PT"), None, SortOrder::Oldest, None, true),
            // Unfiltered: every match is scored and sorted, and a record
            // key joined to each would be read for nothing.
            (None, None, SortOrder::Relevance, None, false),
        ] {
            let q = SearchQuery {
                text: Some("all".into()),
                country: country.map(str::to_string),
                event_type: kind.map(str::to_string),
                publisher: publisher.map(str::to_string),
                sort,
                limit: 20,
                ..SearchQuery::default()
            };
            let (sql, args) = s.sorted_statement(&q).unwrap();
            let p = plan(&sql, args);
            assert_eq!(
                p.contains("records_keys"),
                reads,
                "{country:?} {kind:?} {sort:?} {publisher:?}: {p}"
            );
        }
    }

    /// The unfiltered page by relevance is the full-text table's own
    /// `ORDER BY rank` page, ties included (every record of the test store
    /// with the same words scores alike), for every page. An equivalence
    /// check against FTS5's own order: it held before the order was written
    /// out too, and fails if the two drift apart.
    #[test]
    fn the_relevance_page_is_the_rank_page() {
        let s = store();
        let mut rank = s
            .conn
            .prepare("SELECT rowid FROM records_fts WHERE records_fts MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3")
            .unwrap();
        for text in ["all", "even", "tenth", "rare", "all even", "absent"] {
            for (offset, limit) in [(0, 1), (0, 21), (13, 21), (140, 21), (0, 300)] {
                let q = SearchQuery {
                    text: Some(text.into()),
                    offset,
                    limit,
                    ..SearchQuery::default()
                };
                let expected: Vec<i64> = rank
                    .query_map(params![fts_query(text).unwrap(), limit as i64, offset as i64], |r| {
                        r.get(0)
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                assert_eq!(s.search_sorted(&q).unwrap(), expected, "{text} {offset} {limit}");
            }
        }
    }

    /// The page of `bm25()`'s own order (ties in row order), to compare with.
    fn bm25_page(s: &SqliteStore, text: &str, offset: usize, limit: usize) -> Vec<i64> {
        s.conn
            .prepare(
                "SELECT rowid FROM records_fts WHERE records_fts MATCH ?1
                 ORDER BY bm25(records_fts), rowid LIMIT ?2 OFFSET ?3",
            )
            .unwrap()
            .query_map(params![fts_query(text).unwrap(), limit as i64, offset as i64], |r| {
                r.get(0)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Scored with the lengths held in memory, an unfiltered search by
    /// relevance gives `bm25()`'s page, ties included, for many words and
    /// pages; and after a write that changes a record's length (and so its
    /// score), the page follows the new length, not the one held.
    #[test]
    fn the_ranked_page_is_the_bm25_page() {
        let s = store();
        // Lengths that differ, so that scores differ beside the ties.
        for seq in [5i64, 77, 140, 222] {
            s.conn
                .execute(
                    "UPDATE records_fts SET text = text || ' pad pad pad' WHERE rowid = ?1",
                    [seq],
                )
                .unwrap();
        }
        let pages = [(0, 1), (0, 21), (13, 21), (140, 21), (0, 300)];
        let texts = ["all", "even", "tenth", "rare", "all even", "pad", "all pad", "absent"];
        for text in texts {
            for (offset, limit) in pages {
                let q = SearchQuery {
                    text: Some(text.into()),
                    offset,
                    limit,
                    ..SearchQuery::default()
                };
                let page = s.relevance_ranked(&q).unwrap().expect("ranked by gleaner_bm25");
                assert_eq!(page, bm25_page(&s, text, offset, limit), "{text} {offset} {limit}");
            }
        }
        // The first "pad" match made the longest of them ranks last: the
        // held lengths (read before) would keep it first.
        let q = SearchQuery {
            text: Some("pad".into()),
            limit: 10,
            ..SearchQuery::default()
        };
        let before = bm25_page(&s, "pad", 0, 10);
        s.conn
            .execute(
                "UPDATE records_fts SET text = text || ' more words here now' WHERE rowid = ?1",
                [before[0]],
            )
            .unwrap();
        let after = bm25_page(&s, "pad", 0, 10);
        assert_ne!(before, after);
        assert_eq!(s.search_sorted(&q).unwrap(), after);
        let hits = s.search(&q).unwrap();
        let ids: Vec<i64> = hits
            .iter()
            .map(|h| {
                s.conn
                    .query_row("SELECT seq FROM records WHERE id = ?1", [&h.id], |r| r.get(0))
                    .unwrap()
            })
            .collect();
        assert_eq!(ids, after);
    }

    /// The newest-first page found by intersecting and walking (or sorting
    /// the matches' dates) is the sorting statement's page, for every
    /// filter, word and page; and the walk and the date sort agree with
    /// each other on the same matches whichever the choice would be.
    #[test]
    fn the_newest_page_is_the_sorted_page() {
        let s = store();
        for text in ["all", "even", "tenth", "rare", "absent"] {
            for (country, kind, publisher, from, to) in [
                (Some("PT"), None, None, None, None),
                (Some("US"), Some("flood"), None, None, None),
                (None, Some("flood"), None, None, None),
                (None, None, Some("Post"), None, None),
                (Some("US"), None, Some("Herald"), Some("2024"), None),
                (Some("PT"), None, None, None, Some("2024-05")),
                (None, None, Some("Wire"), Some("2023-12-31"), Some("2024-05-01")),
                (Some("ZZ"), None, None, None, None),
                // Dates alone: walked newest first within them.
                (None, None, None, Some("2024"), None),
                (None, None, None, None, Some("2024-05")),
                (None, None, None, Some("2023-12-31"), Some("2024-05-01")),
                (None, None, None, Some("2022"), Some("2023")),
            ] {
                let mut q = SearchQuery {
                    text: Some(text.into()),
                    country: country.map(str::to_string),
                    event_type: kind.map(str::to_string),
                    publisher: publisher.map(str::to_string),
                    from: from.map(str::to_string),
                    to: to.map(str::to_string),
                    sort: SortOrder::Newest,
                    ..SearchQuery::default()
                };
                for (offset, limit) in [(0, 1), (0, 21), (5, 10), (40, 21), (90, 30), (0, 300)] {
                    q.offset = offset;
                    q.limit = limit;
                    let what = format!("{text} {country:?} {kind:?} {publisher:?} {from:?} {to:?} {offset} {limit}");
                    let sorted = s.search_sorted(&q).unwrap();
                    assert_eq!(s.newest_page(&q).unwrap(), Some(sorted.clone()), "{what}");
                    assert_eq!(
                        retried(|| s.newest_from_table(&q).unwrap()),
                        Some(sorted.clone()),
                        "table: {what}"
                    );
                    // The matches that pass the other filters, whatever their
                    // dates: the walk and the date sort each apply the dates.
                    let mut matches = s
                        .search_sorted(&SearchQuery {
                            from: None,
                            to: None,
                            offset: 0,
                            limit: 10_000,
                            ..q.clone()
                        })
                        .unwrap();
                    matches.sort();
                    let page = s.walk_newest(&q, &matches, limit, usize::MAX).unwrap();
                    assert_eq!(page, Some(sorted.clone()), "walk of {what}");
                    assert_eq!(s.sorted_by_date(&q, &matches).unwrap(), sorted, "date sort of {what}");
                }
            }
        }
    }

    /// The facet counts from the in-memory table are the statement's, for
    /// every word and filter the table handles (and a value it lacks), and
    /// they follow the store when it changes, whether another connection or
    /// this one writes.
    #[test]
    fn the_facet_table_counts_as_the_statement() {
        let s = store();
        let fields = [Facet::Publisher, Facet::Language, Facet::Country, Facet::EventType];
        let compare = |s: &SqliteStore, what: &str| {
            for text in ["all", "even", "tenth", "rare", "absent"] {
                for (country, kind, publisher, language, from, to) in [
                    (None, None, None, None, None, None),
                    (Some("PT"), None, None, None, None, None),
                    (Some("US"), Some("flood"), None, None, None, None),
                    (None, Some("PT"), None, None, None, None),
                    (None, None, Some("Post"), Some("en"), None, None),
                    (Some("US"), None, Some("Herald"), None, Some("2024"), None),
                    (Some("PT"), None, None, Some("pt"), None, Some("2024-05")),
                    (None, None, Some("Wire"), None, Some("2023-12-31"), Some("2024-05-01")),
                    (Some("ZZ"), None, None, None, None, None),
                    (None, Some("drought"), None, None, None, None),
                    (None, None, Some("Nobody"), None, None, None),
                    (None, None, None, Some("fr"), None, None),
                    (None, None, None, None, Some("2022"), Some("2023")),
                ] {
                    let q = SearchQuery {
                        text: Some(text.into()),
                        country: country.map(str::to_string),
                        event_type: kind.map(str::to_string),
                        publisher: publisher.map(str::to_string),
                        language: language.map(str::to_string),
                        from: from.map(str::to_string),
                        to: to.map(str::to_string),
                        ..SearchQuery::default()
                    };
                    for limit in [1, 2, 12] {
                        let case = format!(
                            "{what}: {text} {country:?} {kind:?} {publisher:?} {language:?} {from:?} {to:?} {limit}"
                        );
                        let table = retried(|| s.facets_from_table(&q, &fields, limit).unwrap());
                        let statement = s.facets_by_statement(&q, &fields, limit).unwrap();
                        assert_eq!(table.as_ref(), Some(&statement), "{case}");
                        assert_eq!(s.facets(&q, &fields, limit).unwrap(), statement, "{case}");
                    }
                }
            }
        };
        compare(&s, "as built");
        // Another connection changes a record, then adds one: the table is
        // stale each time, and the counts (the statement's, or a new
        // table's) show the change.
        let q = SearchQuery {
            text: Some("rare".into()),
            ..SearchQuery::default()
        };
        let other = SqliteStore::open(&s.path).unwrap();
        other
            .conn
            .execute("UPDATE records SET publisher = 'Gazette' WHERE seq = 1", [])
            .unwrap();
        let counts = s.facets(&q, &fields, 12).unwrap();
        assert!(counts[0].contains(&("Gazette".to_string(), 1)), "{counts:?}");
        other
            .conn
            .execute_batch(
                "INSERT INTO records (seq, id, published, publisher, language, json) VALUES (301, 'n301', '2024-06', 'Post', 'de', '{}');
                 INSERT INTO records_fts (rowid, title, text) VALUES (301, '', 'all rare');
                 INSERT INTO record_facets (facet, value, seq) VALUES ('country', 'DE', 301), ('type', 'flood', 301);",
            )
            .unwrap();
        let counts = s.facets(&q, &fields, 12).unwrap();
        assert!(counts[2].contains(&("DE".to_string(), 1)), "{counts:?}");
        // Read again now, whatever the spacing of readings says.
        *s.facet_table.borrow_mut() = None;
        compare(&s, "after another connection wrote");
        // This connection writes: its own changes count too.
        s.facets(&q, &fields, 12).unwrap();
        s.conn
            .execute("UPDATE records SET language = 'fr' WHERE seq = 1", [])
            .unwrap();
        let counts = s.facets(&q, &fields, 12).unwrap();
        assert!(counts[1].contains(&("fr".to_string(), 1)), "{counts:?}");
        *s.facet_table.borrow_mut() = None;
        compare(&s, "after this connection wrote");
    }

    /// Warming reads the facet table before any search (waiting out another
    /// connection's reading rather than skipping it), and the table it read
    /// answers the first search without being read again.
    #[test]
    fn warming_reads_the_facet_table_before_the_first_search() {
        let s = store();
        assert!(s.facet_table.borrow().is_none());
        s.warm().unwrap();
        let read_at = s.facet_table.borrow().as_ref().map(|t| t.read_at);
        assert!(read_at.is_some(), "no table after warming");
        let q = SearchQuery {
            text: Some("rare".into()),
            country: Some("PT".into()),
            ..SearchQuery::default()
        };
        let fields = [Facet::Country];
        assert_eq!(
            s.facets_from_table(&q, &fields, 12).unwrap(),
            Some(s.facets_by_statement(&q, &fields, 12).unwrap())
        );
        assert_eq!(s.facet_table.borrow().as_ref().map(|t| t.read_at), read_at);
    }

    /// The facet table's newest-first page is the statement's also for what
    /// the intersecting walk does not answer: no filter, a language.
    #[test]
    fn the_tables_newest_page_is_the_sorted_page() {
        let s = store();
        for text in ["all", "even", "rare", "absent"] {
            for (country, language) in [
                (None, None),
                (None, Some("en")),
                (Some("PT"), Some("pt")),
                (None, Some("fr")),
            ] {
                let mut q = SearchQuery {
                    text: Some(text.into()),
                    country: country.map(str::to_string),
                    language: language.map(str::to_string),
                    sort: SortOrder::Newest,
                    ..SearchQuery::default()
                };
                let what = format!("{text} {country:?} {language:?}");
                pages_as_sorted(&s, &mut q, SqliteStore::newest_from_table, &what);
            }
        }
    }

    /// A filtered search by relevance from the facet table gives the
    /// sorting statement's page, ties (records of the same text score the
    /// same) in the same order, for every filter the table holds.
    #[test]
    fn the_tables_relevance_page_is_the_sorted_page() {
        let s = store();
        for text in ["all", "even", "tenth", "rare", "absent"] {
            for (country, kind, publisher, language, from, to) in [
                (Some("PT"), None, None, None, None, None),
                (Some("US"), Some("flood"), None, None, None, None),
                (None, Some("PT"), None, None, None, None),
                (None, None, Some("Post"), Some("en"), None, None),
                (Some("US"), None, Some("Herald"), None, Some("2024"), None),
                (None, None, Some("Wire"), None, Some("2023-12-31"), Some("2024-05-01")),
                (Some("ZZ"), None, None, None, None, None),
                (None, None, None, None, Some("2022"), Some("2023")),
            ] {
                let mut q = SearchQuery {
                    text: Some(text.into()),
                    country: country.map(str::to_string),
                    event_type: kind.map(str::to_string),
                    publisher: publisher.map(str::to_string),
                    language: language.map(str::to_string),
                    from: from.map(str::to_string),
                    to: to.map(str::to_string),
                    ..SearchQuery::default()
                };
                let what = format!("{text} {country:?} {kind:?} {publisher:?} {language:?} {from:?} {to:?}");
                pages_as_sorted(&s, &mut q, SqliteStore::relevance_from_table, &what);
            }
        }
    }

    /// The matches a search keeps for its facet counts are those of its
    /// words, and only while the store is unchanged: a search, then the
    /// facets of other words, then a record added by another connection.
    #[test]
    fn kept_matches_follow_the_words_and_the_store() {
        let s = store();
        let fields = [Facet::Publisher, Facet::Language, Facet::Country, Facet::EventType];
        let query = |text: &str| SearchQuery {
            text: Some(text.into()),
            country: Some("PT".into()),
            ..SearchQuery::default()
        };
        assert!(retried(|| s.relevance_from_table(&query("rare")).unwrap()).is_some());
        let even = s.facets(&query("even"), &fields, 12).unwrap();
        assert_eq!(even, s.facets_by_statement(&query("even"), &fields, 12).unwrap());
        assert_ne!(even, s.facets_by_statement(&query("rare"), &fields, 12).unwrap());
        s.search(&query("rare")).unwrap();
        let other = SqliteStore::open(&s.path).unwrap();
        other
            .conn
            .execute_batch(
                "INSERT INTO records (seq, id, published, publisher, language, json) VALUES (301, 'n301', '2024-06', 'Post', 'de', '{}');
                 INSERT INTO records_fts (rowid, title, text) VALUES (301, '', 'all rare');
                 INSERT INTO record_facets (facet, value, seq) VALUES ('country', 'PT', 301), ('type', 'flood', 301);",
            )
            .unwrap();
        let counts = s.facets(&query("rare"), &fields, 12).unwrap();
        assert!(counts[1].contains(&("de".to_string(), 1)), "{counts:?}");
        // Read again now: the new table's counts include the record too.
        *s.facet_table.borrow_mut() = None;
        assert!(retried(|| s.relevance_from_table(&query("rare")).unwrap()).is_some());
        let counts = s.facets(&query("rare"), &fields, 12).unwrap();
        assert_eq!(counts, s.facets_by_statement(&query("rare"), &fields, 12).unwrap());
        assert!(counts[1].contains(&("de".to_string(), 1)), "{counts:?}");
    }

    /// The facets counted in memory are the statement's counts, and there
    /// are none where the facet table does not answer (no words, a place
    /// filter, a store changed since the table was read): the API then
    /// rations the statement as a costly query.
    #[test]
    fn facets_in_memory_only_where_the_table_answers() {
        let s = store();
        let fields = [Facet::Publisher, Facet::Language, Facet::Country, Facet::EventType];
        let q = SearchQuery {
            text: Some("even".into()),
            country: Some("PT".into()),
            ..SearchQuery::default()
        };
        let counts = retried(|| s.facets_in_memory(&q, &fields, 12).unwrap());
        assert_eq!(counts, Some(s.facets_by_statement(&q, &fields, 12).unwrap()));
        let no_words = SearchQuery {
            text: None,
            ..q.clone()
        };
        assert_eq!(s.facets_in_memory(&no_words, &fields, 12).unwrap(), None);
        let place = SearchQuery {
            place: Some("Lisbon".into()),
            ..q.clone()
        };
        assert_eq!(s.facets_in_memory(&place, &fields, 12).unwrap(), None);
        let other = SqliteStore::open(&s.path).unwrap();
        other
            .conn
            .execute_batch(
                "INSERT INTO records (seq, id, published, publisher, language, json) VALUES (301, 'n301', '2024-06', 'Post', 'de', '{}');
                 INSERT INTO records_fts (rowid, title, text) VALUES (301, '', 'all even');
                 INSERT INTO record_facets (facet, value, seq) VALUES ('country', 'PT', 301);",
            )
            .unwrap();
        // Stale: none, or the table read again (never the old counts).
        let now = s.facets_by_statement(&q, &fields, 12).unwrap();
        assert!(now[1].contains(&("de".to_string(), 1)), "{now:?}");
        let after = s.facets_in_memory(&q, &fields, 12).unwrap();
        assert!(after.is_none() || after == Some(now), "{after:?}");
    }
}
