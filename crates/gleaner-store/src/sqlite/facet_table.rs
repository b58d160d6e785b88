//! The facet table: what a search's facet counts read of each record (its
//! publisher, language, published date, countries and event types), held in
//! memory by row number, so that counting the facets of a search's results
//! is an array look-up per result instead of index look-ups in the file.
//!
//! On a store of 100,000 records a country-filtered search with facets
//! looked up every result in `records_keys` and twice in `record_facets`
//! (a B-tree descent each) after finding the results a second time: most of
//! the web app's faceted search. The table is a copy of those two indexes,
//! read once per connection (about 4 MB and a tenth of a second at 100,000
//! records) and used only while the store is unchanged since it was read.
//! A server reads its readers' tables before it accepts requests
//! (`QueryStore::warm`), so no request waits for one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::{Facet, SearchQuery, StoreError};

/// Above this many rows (the highest row number), facets are counted by the
/// statement alone: the table would hold tens of megabytes per connection
/// and take seconds to read.
pub(super) const MAX_ROWS: i64 = 2_000_000;

/// A stale table is read again only when at least this many times its last
/// reading has passed since then: a store written while it is served (by
/// `gleaner watch`) spends at most about a twentieth of a connection's time
/// reading the table, and counts by statement in between.
const REBUILD_SPACING: u32 = 20;

/// Set while a connection of this process reads a table: the others count
/// by statement meanwhile rather than read theirs at the same time (a
/// server's readers, started together under load, would otherwise each
/// spend a tenth of a second of the same cores, and every waiting request
/// with them).
static READING: AtomicBool = AtomicBool::new(false);

/// Clears [`READING`] when the reading ends, however it ends.
struct Reading;

impl Drop for Reading {
    fn drop(&mut self) {
        READING.store(false, Ordering::Release);
    }
}

/// Each facet's values with their counts, in the order asked.
pub(super) type FacetCounts = Vec<Vec<(String, u64)>>;

/// No value (a record without a publisher, language or date, or a row
/// number without a record).
const NONE: u32 = u32::MAX;

/// Each record's facet values by row number (see the module's docs).
pub(super) struct FacetTable {
    /// `PRAGMA data_version` and the connection's own change count when
    /// read: either differing means the store changed since.
    version: (i64, u64),
    pub(super) read_at: Instant,
    read_took: Duration,
    /// By row number: index into `publishers`, `languages`, `dates` or NONE.
    publisher: Vec<u32>,
    language: Vec<u32>,
    published: Vec<u32>,
    /// By row number: the record's countries and event types, as indexes
    /// into `values`, at `at[seq]..at[seq + 1]`.
    at: Vec<u32>,
    facets: Vec<u32>,
    /// By row number: the record's length in tokens for `gleaner_bm25`
    /// (see [`super::rank`]), of the same snapshot as the rest.
    pub(super) lengths: Arc<[u32]>,
    publishers: Vec<String>,
    languages: Vec<String>,
    dates: Vec<String>,
    /// By date index: its place in date order from 1 (the oldest), bytewise
    /// as SQLite compares text.
    date_rank: Vec<u32>,
    /// (is an event type, value): `record_facets`' 'country' and 'type'.
    values: Vec<(bool, String)>,
    /// The last search's words (as given to MATCH) and their full-text
    /// matches, read while the table was fresh: a search's page and its
    /// facets, asked one after the other, walk the full-text index once.
    /// Belongs to the table, so a table read again starts without it.
    last: RefCell<Option<(String, Arc<[i64]>)>>,
}

/// Matches kept for the next call (see [`FacetTable::last`]) up to this
/// many: 2 MB.
const KEEP_MATCHES: usize = 1 << 18;

/// A search's filters as indexes into a table: `None` no filter,
/// `Some(None)` a value the table lacks (nothing passes).
struct Filter {
    publisher: Option<Option<u32>>,
    language: Option<Option<u32>>,
    country: Option<Option<u32>>,
    kind: Option<Option<u32>>,
    /// By date index: within the search's dates.
    dated: Vec<bool>,
    /// Undated records pass (no date filter).
    undated: bool,
}

/// Interns strings, handing out dense indexes.
#[derive(Default)]
struct Names {
    index: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    /// The index of a text column's value, NONE for NULL; the text is
    /// copied only the first time it is seen.
    fn id(&mut self, value: rusqlite::types::ValueRef<'_>) -> Result<u32, StoreError> {
        let name = match value {
            rusqlite::types::ValueRef::Null => return Ok(NONE),
            v => v.as_str().map_err(rusqlite::Error::from)?,
        };
        if let Some(&i) = self.index.get(name) {
            return Ok(i);
        }
        let i = self.names.len() as u32;
        self.index.insert(name.to_string(), i);
        self.names.push(name.to_string());
        Ok(i)
    }
}

/// What the connection's store looks like now, to compare with a table's.
fn version(conn: &Connection) -> Result<(i64, u64), StoreError> {
    let data: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
    Ok((data, conn.total_changes()))
}

impl FacetTable {
    /// Reads the table from the store, in one read transaction so that
    /// the records and their facets are of the same moment. `None` when the
    /// store has more rows than [`MAX_ROWS`], or another connection of the
    /// process is reading its table (see [`READING`]).
    pub(super) fn read(conn: &Connection) -> Result<Option<FacetTable>, StoreError> {
        if READING
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Ok(None);
        }
        let _reading = Reading;
        Self::read_now(conn)
    }

    /// [`FacetTable::read`], waiting for another connection's reading to
    /// end rather than giving up: for a server's start-up (see
    /// `QueryStore::warm`), where no request waits meanwhile. `None` only
    /// for a store larger than [`MAX_ROWS`].
    pub(super) fn read_waiting(conn: &Connection) -> Result<Option<FacetTable>, StoreError> {
        while READING
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        let _reading = Reading;
        Self::read_now(conn)
    }

    /// The reading itself, [`READING`] held by the caller.
    fn read_now(conn: &Connection) -> Result<Option<FacetTable>, StoreError> {
        let started = Instant::now();
        // Before the snapshot: a commit in between makes the table look
        // stale at its first use, never fresher than it is.
        let version = version(conn)?;
        let tx = conn.unchecked_transaction()?;
        let rows: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM records", [], |r| r.get(0))?;
        if rows > MAX_ROWS {
            return Ok(None);
        }
        let len = rows as usize + 1;
        let (mut publishers, mut languages, mut dates) = (Names::default(), Names::default(), Names::default());
        let mut publisher = vec![NONE; len];
        let mut language = vec![NONE; len];
        let mut published = vec![NONE; len];
        {
            let mut stmt =
                tx.prepare("SELECT seq, published, publisher, language FROM records INDEXED BY records_keys")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let Some(seq) = usize::try_from(row.get::<_, i64>(0)?).ok().filter(|&s| s < len) else {
                    continue;
                };
                published[seq] = dates.id(row.get_ref(1)?)?;
                publisher[seq] = publishers.id(row.get_ref(2)?)?;
                language[seq] = languages.id(row.get_ref(3)?)?;
            }
        }
        // In the table's own order (by facet and value), which reads fewer
        // pages than the by-record index and meets each value once; then
        // sorted by row number.
        let mut kinds: Vec<(bool, String)> = Vec::new();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        {
            let mut stmt = tx.prepare("SELECT facet, value, seq FROM record_facets ORDER BY facet, value")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let Some(seq) = u32::try_from(row.get::<_, i64>(2)?)
                    .ok()
                    .filter(|&s| (s as usize) < len)
                else {
                    continue;
                };
                let kind = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)? == "type";
                let value = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
                // A country and a type of the same name are two values.
                if kinds.last().is_none_or(|(k, v)| *k != kind || v != value) {
                    kinds.push((kind, value.to_string()));
                }
                pairs.push((seq, kinds.len() as u32 - 1));
            }
        }
        pairs.sort_unstable();
        let mut at = vec![0u32; len + 1];
        for &(seq, _) in &pairs {
            at[seq as usize + 1] += 1;
        }
        for i in 1..at.len() {
            at[i] += at[i - 1];
        }
        let facets: Vec<u32> = pairs.into_iter().map(|(_, id)| id).collect();
        let lengths = super::rank::read_lengths(&tx, len)?;
        tx.finish()?;
        let mut order: Vec<usize> = (0..dates.names.len()).collect();
        order.sort_by(|&a, &b| dates.names[a].cmp(&dates.names[b]));
        let mut date_rank = vec![0u32; order.len()];
        for (rank, i) in order.into_iter().enumerate() {
            date_rank[i] = rank as u32 + 1;
        }
        Ok(Some(FacetTable {
            version,
            read_at: Instant::now(),
            read_took: started.elapsed(),
            publisher,
            language,
            published,
            at,
            facets,
            publishers: publishers.names,
            languages: languages.names,
            dates: dates.names,
            date_rank,
            values: kinds,
            last: RefCell::new(None),
            lengths,
        }))
    }

    /// Whether the store is as it was when the table was read (the
    /// connection's own uncommitted writes aside: the caller checks that
    /// none are open).
    pub(super) fn fresh(&self, conn: &Connection) -> Result<bool, StoreError> {
        Ok(version(conn)? == self.version)
    }

    /// The matches of `words` kept by [`FacetTable::keep`], if they are the
    /// last ones kept. The caller checks the table is fresh.
    pub(super) fn kept(&self, words: &str) -> Option<Arc<[i64]>> {
        match &*self.last.borrow() {
            Some((w, m)) if w == words => Some(Arc::clone(m)),
            _ => None,
        }
    }

    /// Keeps the matches of `words`, read while the table was fresh, for
    /// the next call that asks for the same words.
    pub(super) fn keep(&self, words: &str, matches: &Arc<[i64]>) {
        *self.last.borrow_mut() = (matches.len() <= KEEP_MATCHES).then(|| (words.to_string(), Arc::clone(matches)));
    }

    /// Whether a stale table may be read again now (see [`REBUILD_SPACING`]).
    pub(super) fn may_reread(&self) -> bool {
        self.read_at.elapsed() >= self.read_took * REBUILD_SPACING
    }

    /// The search's filters resolved against the table; `None` when the
    /// search has a filter the table does not hold (a place, a fetch time).
    fn filter(&self, q: &SearchQuery) -> Option<Filter> {
        if q.place.is_some() || q.fetched_from.is_some() {
            return None;
        }
        // A value the table lacks matches no record: `Some(None)`.
        let find = |names: &[String], v: &Option<String>| {
            v.as_ref().map(|v| names.iter().position(|n| n == v).map(|i| i as u32))
        };
        let value = |kind: bool, v: &Option<String>| {
            v.as_ref().map(|v| {
                self.values
                    .iter()
                    .position(|(k, n)| *k == kind && n == v)
                    .map(|i| i as u32)
            })
        };
        // The date filters as SQL compares them (text, bytewise; "2020-12"
        // includes "2020-12-31"); an undated record passes neither.
        let to = q.to.as_ref().map(|t| format!("{t}\u{10ffff}"));
        let dated = self
            .dates
            .iter()
            .map(|d| {
                q.from.as_ref().is_none_or(|f| d.as_str() >= f.as_str())
                    && to.as_ref().is_none_or(|t| d.as_str() <= t.as_str())
            })
            .collect();
        Some(Filter {
            publisher: find(&self.publishers, &q.publisher),
            language: find(&self.languages, &q.language),
            country: value(false, &q.country),
            kind: value(true, &q.event_type),
            dated,
            undated: q.from.is_none() && q.to.is_none(),
        })
    }

    /// Whether `seq` is a row of the table.
    fn holds(&self, seq: i64) -> Option<usize> {
        usize::try_from(seq).ok().filter(|&s| s < self.publisher.len())
    }

    /// The countries and event types of row `s`.
    fn values_of(&self, s: usize) -> &[u32] {
        &self.facets[self.at[s] as usize..self.at[s + 1] as usize]
    }

    /// Whether row `s` passes the filter.
    fn passes(&self, f: &Filter, s: usize) -> bool {
        let is = |want: Option<Option<u32>>, have: u32| want.is_none_or(|w| w == Some(have));
        let lists = |want: Option<Option<u32>>| want.is_none_or(|w| w.is_some_and(|w| self.values_of(s).contains(&w)));
        let date = self.published[s];
        let dated = if date == NONE {
            f.undated
        } else {
            f.dated[date as usize]
        };
        dated
            && is(f.publisher, self.publisher[s])
            && is(f.language, self.language[s])
            && lists(f.country)
            && lists(f.kind)
    }

    /// The page (`offset`, `limit`) of `matches` (the full-text matches of
    /// a search's words) that pass its filters, newest first: the order of
    /// the statement's `published DESC, seq` (undated last). `None` as for
    /// [`FacetTable::count`].
    pub(super) fn newest(&self, q: &SearchQuery, matches: &[i64]) -> Option<Vec<i64>> {
        let f = self.filter(q)?;
        let mut passed = Vec::new();
        for &seq in matches {
            let s = self.holds(seq)?;
            if self.passes(&f, s) {
                // Undated below every date: rank 0.
                let date = self.published[s];
                let rank = if date == NONE { 0 } else { self.date_rank[date as usize] };
                passed.push((std::cmp::Reverse(rank), seq));
            }
        }
        let need = q.offset.saturating_add(q.limit.max(1));
        // Only the first `need` are sorted.
        if passed.len() > need {
            passed.select_nth_unstable(need);
            passed.truncate(need);
        }
        passed.sort_unstable();
        Some(passed.into_iter().skip(q.offset).map(|(_, seq)| seq).collect())
    }

    /// The records of `matches` (the full-text matches of a search's
    /// words, ascending) that pass the search's filters, in the same order.
    /// `None` as for [`FacetTable::count`].
    pub(super) fn passing(&self, q: &SearchQuery, matches: &[i64]) -> Option<Vec<i64>> {
        let f = self.filter(q)?;
        let mut passed = Vec::new();
        for &seq in matches {
            if self.passes(&f, self.holds(seq)?) {
                passed.push(seq);
            }
        }
        Some(passed)
    }

    /// The facet counts of the records `matches` (the full-text matches of
    /// a search's words) that pass its filters, as the statement counts
    /// them: most first, then by value bytewise, at most `limit` each.
    /// `None` when a match is not in the table or the search has a filter
    /// the table does not hold (a place, a fetch time).
    pub(super) fn count(
        &self,
        q: &SearchQuery,
        matches: &[i64],
        fields: &[Facet],
        limit: usize,
    ) -> Option<FacetCounts> {
        let f = self.filter(q)?;
        let mut by_publisher = vec![0u64; self.publishers.len()];
        let mut by_language = vec![0u64; self.languages.len()];
        let mut by_value = vec![0u64; self.values.len()];
        for &seq in matches {
            let s = self.holds(seq)?;
            if !self.passes(&f, s) {
                continue;
            }
            if let Some(c) = by_publisher.get_mut(self.publisher[s] as usize) {
                *c += 1;
            }
            if let Some(c) = by_language.get_mut(self.language[s] as usize) {
                *c += 1;
            }
            for &v in self.values_of(s) {
                by_value[v as usize] += 1;
            }
        }
        let ranked = |names: &mut dyn Iterator<Item = (&String, u64)>| {
            let mut counts: Vec<(String, u64)> = names.filter(|(_, n)| *n > 0).map(|(v, n)| (v.clone(), n)).collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts.truncate(limit.max(1));
            counts
        };
        Some(
            fields
                .iter()
                .map(|field| match field {
                    Facet::Publisher => ranked(&mut self.publishers.iter().zip(by_publisher.iter().copied())),
                    Facet::Language => ranked(&mut self.languages.iter().zip(by_language.iter().copied())),
                    Facet::Country | Facet::EventType => {
                        let want = *field == Facet::EventType;
                        ranked(
                            &mut self
                                .values
                                .iter()
                                .zip(by_value.iter().copied())
                                .filter(|((k, _), _)| *k == want)
                                .map(|((_, v), n)| (v, n)),
                        )
                    }
                })
                .collect(),
        )
    }
}
