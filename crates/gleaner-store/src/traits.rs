//! The store's interface, split by who uses it: ingest writes
//! ([`WriteStore`]), the dedup-and-merge pass reads candidates and writes its
//! decisions ([`DedupStore`]), and everything a user sees queries
//! ([`QueryStore`]). [`Store`] is all three: what [`crate::open`] gives.

use std::sync::Arc;

use gleaner_dedup::EventKey;

use crate::{
    Batch, ClusterMember, CommitStats, DateCount, DedupWrite, ErrorRow, EventFilter, Facet, Hit, InputState,
    LshCandidate, MergedEvent, PendingDedup, PlaceCount, PlaceFilter, SearchQuery, Stats, StoreError, StoredRecord,
};

/// What ingest writes: records, errors, pending addresses and input
/// progress, one atomic batch at a time.
pub trait WriteStore: Send {
    /// The committed progress of an input, if it was seen.
    fn input_state(&self, path: &str) -> Result<Option<InputState>, StoreError>;
    /// Writes a batch atomically.
    fn commit(&mut self, batch: &Batch) -> Result<CommitStats, StoreError>;
}

/// What the dedup-and-merge pass reads and writes. The pass's rules are
/// `gleaner_dedup::Policy`'s; the store keeps their outcome in a form that
/// does not depend on the order records are handled in (see [`DedupWrite`]).
pub trait DedupStore: Send {
    /// Called before a pass: a store shared by several processes makes other
    /// processes' passes wait until [`DedupStore::end_dedup_pass`], since
    /// records handled at the same time would not see each other.
    fn begin_dedup_pass(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Called after the pass (also when it failed).
    fn end_dedup_pass(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Records the pass has not handled yet, oldest first.
    fn pending(&self, limit: usize) -> Result<Vec<PendingDedup>, StoreError>;
    /// Handled records sharing at least one of these LSH band keys.
    fn lsh_candidates(&self, keys: &[(u32, u64)]) -> Result<Vec<LshCandidate>, StoreError>;
    /// [`DedupStore::lsh_candidates`] for several records at once, one
    /// list per record in the order given: a store across a network answers
    /// a group in one round trip instead of one per record.
    fn lsh_candidates_each(&self, keys: &[Vec<(u32, u64)>]) -> Result<Vec<Vec<LshCandidate>>, StoreError> {
        keys.iter().map(|k| self.lsh_candidates(k)).collect()
    }
    /// Merged events under `key` (type, place, exact month key), with their
    /// sources, whose actors merging compares.
    fn event_candidates(&self, key: &EventKey) -> Result<Vec<MergedEvent>, StoreError>;
    /// [`DedupStore::event_candidates`] for several keys at once (a
    /// record's reports), one list per key in the order given: a store
    /// across a network answers them in one round trip instead of one each.
    fn event_candidates_each(&self, keys: &[EventKey]) -> Result<Vec<Vec<MergedEvent>>, StoreError> {
        keys.iter().map(|k| self.event_candidates(k)).collect()
    }
    /// Writes one record's dedup-and-merge result atomically (and marks
    /// the record handled). Inside a group ([`DedupStore::begin_dedup_batch`])
    /// the group is the unit: after a failed write, end it with `commit` false.
    fn apply_dedup(&mut self, write: &DedupWrite) -> Result<(), StoreError>;
    /// Opens a group of [`DedupStore::apply_dedup`] calls that commit
    /// together at [`DedupStore::end_dedup_batch`] (the pass's lookups in
    /// between see them): fewer, larger transactions. A crash loses the open
    /// group's work only, and its records stay pending.
    fn begin_dedup_batch(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Commits the open group (`commit`), or rolls it back.
    fn end_dedup_batch(&mut self, _commit: bool) -> Result<(), StoreError> {
        Ok(())
    }
    /// Another connection to the same store, for a pass that runs beside
    /// the connection that commits batches.
    fn connect_again(&self) -> Result<Box<dyn Store>, StoreError>;
    /// The store's writes run in a server of their own: a writer waits on
    /// it, and a pass beside the writer (on [`DedupStore::connect_again`])
    /// overlaps that waiting even when one thread makes the records.
    fn runs_elsewhere(&self) -> bool {
        false
    }
}

/// Stops whatever query is running on one store connection, from another
/// thread: the query fails with [`StoreError::Interrupted`] and the
/// connection stays usable. A server calls it when a query runs past its
/// time bound or its client goes away.
#[derive(Clone)]
pub struct Interrupter(Arc<dyn Fn() + Send + Sync>);

impl Interrupter {
    /// An interrupter that calls `f`.
    pub fn new(f: impl Fn() + Send + Sync + 'static) -> Self {
        Interrupter(Arc::new(f))
    }

    /// Stops the running query, if any (a no-op when none runs).
    pub fn interrupt(&self) {
        (self.0)()
    }
}

impl std::fmt::Debug for Interrupter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Interrupter")
    }
}

/// Counts of several facets, one list per field asked, as
/// [`QueryStore::facets`] gives them.
pub type FacetCounts = Vec<Vec<(String, u64)>>;

/// Everything the command line's read commands and the HTTP API ask.
pub trait QueryStore: Send {
    /// What stops this connection's running query from another thread.
    fn interrupter(&self) -> Interrupter;
    /// Reads now what this connection would otherwise read on its first
    /// query of a kind (the SQLite store's facet table), so that a server
    /// can pay it before it accepts requests rather than on a request.
    fn warm(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Full-text search with filters, best matches first (newest first without text).
    fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>, StoreError>;
    /// One record by id (or by a unique id prefix of at least 6 characters).
    fn get(&self, id: &str) -> Result<Option<StoredRecord>, StoreError>;
    /// Counts.
    fn stats(&self) -> Result<Stats, StoreError>;
    /// Up to `limit` records whose id comes after `after` (from the first
    /// with `None`), in id order: a page of a walk over every record (see
    /// [`for_each_record`]).
    fn records_after(&self, after: Option<&str>, limit: usize) -> Result<Vec<StoredRecord>, StoreError>;
    /// Every error row, in the order met.
    fn errors(&self) -> Result<Vec<ErrorRow>, StoreError>;
    /// The members of a cluster, earliest publication first.
    fn cluster_members(&self, cluster: &str) -> Result<Vec<ClusterMember>, StoreError>;
    /// The cluster a record belongs to.
    fn cluster_of(&self, id: &str) -> Result<Option<String>, StoreError>;
    /// Clusters with at least `min_size` members.
    fn clusters(&self, min_size: usize) -> Result<Vec<String>, StoreError>;
    /// Merged events, filtered, by date.
    fn events(&self, filter: &EventFilter) -> Result<Vec<MergedEvent>, StoreError>;
    /// Geocoded places mentioned by records, most mentioned first.
    fn places(&self, filter: &PlaceFilter) -> Result<Vec<PlaceCount>, StoreError>;
    /// Merged events per (date, type), filtered (paging ignored), by date.
    fn event_dates(&self, filter: &EventFilter) -> Result<Vec<DateCount>, StoreError>;
    /// Records per publication date matching a search (paging ignored), by date;
    /// `kind` is `"record"`.
    fn record_dates(&self, query: &SearchQuery) -> Result<Vec<DateCount>, StoreError>;
    /// How many records match a search (paging ignored), per value of `field`.
    fn facet(&self, query: &SearchQuery, field: Facet, limit: usize) -> Result<Vec<(String, u64)>, StoreError>;
    /// [`QueryStore::facet`] for several fields of one search, in the order
    /// asked: a backend may find the search's results once for all of them.
    fn facets(
        &self,
        query: &SearchQuery,
        fields: &[Facet],
        limit: usize,
    ) -> Result<Vec<Vec<(String, u64)>>, StoreError> {
        fields.iter().map(|f| self.facet(query, *f, limit)).collect()
    }
    /// [`QueryStore::facets`] when this connection can count them from what
    /// it holds in memory and the words' full-text matches alone (no more
    /// than the search itself reads), `None` when counting would read the
    /// matching records' rows or indexes: a caller that rations costly
    /// queries (the HTTP API) asks this first and only then `facets`.
    fn facets_in_memory(
        &self,
        _query: &SearchQuery,
        _fields: &[Facet],
        _limit: usize,
    ) -> Result<Option<FacetCounts>, StoreError> {
        Ok(None)
    }
}

/// A whole store: every role. Any type with all three is one.
pub trait Store: WriteStore + DedupStore + QueryStore {}

impl<T: WriteStore + DedupStore + QueryStore + ?Sized> Store for T {}

/// Records per page when walking the whole store.
const WALK_PAGE: usize = 200;

/// Calls `f` with every record, in id order, a page at a time (memory stays
/// bounded whatever the store's size). `f` fails with the caller's own error
/// type; a store error becomes one through `From`.
pub fn for_each_record<E: From<StoreError>>(
    store: &(impl QueryStore + ?Sized),
    mut f: impl FnMut(StoredRecord) -> Result<(), E>,
) -> Result<(), E> {
    let mut after: Option<String> = None;
    loop {
        let page = store.records_after(after.as_deref(), WALK_PAGE)?;
        let Some(last) = page.last() else { return Ok(()) };
        after = Some(last.record.id.clone());
        let full = page.len() == WALK_PAGE;
        for rec in page {
            f(rec)?;
        }
        if !full {
            return Ok(());
        }
    }
}
