//! The data a store takes and gives: what a commit writes, what queries
//! answer, what the dedup-and-merge pass reads and writes.

use gleaner_dedup::Policy;
use gleaner_record::{Event, Record};

/// Progress of one input, as committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputState {
    /// The input's size in bytes when it was read.
    pub size: u64,
    /// Its modification time (seconds since the epoch) when it was read.
    pub mtime: i64,
    /// Where reading resumes: every item before it is committed.
    pub offset: u64,
    /// Every item of the input is committed.
    pub done: bool,
}

/// An input's progress to record with a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProgress {
    /// The input's path as given.
    pub path: String,
    /// See [`InputState`].
    pub state: InputState,
}

/// A failure to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// The input's path.
    pub input: String,
    /// Byte offset of the bad record in the input, when it has one.
    pub offset: Option<u64>,
    /// The record id or WARC-Record-ID or URL concerned, when known.
    pub record: Option<String>,
    /// Short category ("truncated", "binary content", …).
    pub category: String,
    /// What went wrong.
    pub reason: String,
}

/// An address kept for later (feed entries without content, sitemap URLs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRow {
    /// The address.
    pub url: String,
    /// Title given by the feed, if any.
    pub title: Option<String>,
    /// Date given by the feed or sitemap, if any.
    pub date: Option<String>,
    /// The input it came from.
    pub source: String,
}

/// What one atomic commit writes.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Records to store (a known id gains the record's address, and keeps
    /// whichever copy has the smaller address: the same whatever came first).
    pub records: Vec<NewRecord>,
    /// Errors met.
    pub errors: Vec<ErrorRow>,
    /// Addresses kept for later.
    pub pending: Vec<PendingRow>,
    /// Inputs' new resume points.
    pub inputs: Vec<InputProgress>,
}

impl Batch {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.errors.is_empty() && self.pending.is_empty() && self.inputs.is_empty()
    }
}

/// A record ready to be written: its JSON and its MinHash signature are
/// made where the record is made (on ingest's worker threads), so the one
/// thread that writes only writes, and the dedup pass never parses the
/// record again.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecord {
    /// The record.
    pub record: Record,
    /// The record as JSON (what the store keeps).
    pub json: String,
    /// The MinHash signature of its text (`gleaner_dedup::Policy::fingerprint`).
    pub signature: Vec<u64>,
}

impl NewRecord {
    /// Prepares a record under the dedup policy `policy`.
    pub fn new(record: Record, policy: &Policy) -> Self {
        // A Record has only string keys and finite-or-null numbers: it
        // always serialises.
        let json = serde_json::to_string(&record).expect("a record serialises to JSON");
        let signature = policy.fingerprint(&record.text).signature;
        NewRecord {
            record,
            json,
            signature,
        }
    }
}

impl From<Record> for NewRecord {
    /// Prepares a record under the default policy.
    fn from(record: Record) -> Self {
        NewRecord::new(record, &Policy::default())
    }
}

/// A stored record the dedup pass has not handled yet: what the pass needs
/// of it, without the record itself.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDedup {
    /// Record id.
    pub record_id: String,
    /// Its publication date (which ranks its reports).
    pub published: Option<String>,
    /// Its MinHash signature, stored when it was committed.
    pub signature: Vec<u64>,
    /// Its events.
    pub events: Vec<Event>,
}

/// What a commit did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CommitStats {
    /// Records stored for the first time.
    pub new_records: usize,
    /// Records whose id was already stored.
    pub known_records: usize,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Record id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// First address.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Matching words in context, `[`…`]` around them.
    pub snippet: Option<String>,
}

/// A record and every address it was seen at.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    /// The record as stored (of several copies, the one at the smallest
    /// address), with `syndication.duplicate_of` from its cluster.
    pub record: Record,
    /// Every address seen for it: its own first, then the others sorted.
    pub urls: Vec<String>,
}

/// Counts over the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Records stored.
    pub records: u64,
    /// Inputs seen, and how many of them were read to the end.
    pub inputs: u64,
    /// Inputs read to the end.
    pub inputs_done: u64,
    /// Addresses kept for later.
    pub pending: u64,
    /// Records per publisher (most first).
    pub by_publisher: Vec<(String, u64)>,
    /// Records per language.
    pub by_language: Vec<(String, u64)>,
    /// Records per publication month (YYYY-MM), oldest first.
    pub by_month: Vec<(String, u64)>,
    /// Errors per category (most first).
    pub errors_by_category: Vec<(String, u64)>,
}

/// A member of a near-duplicate cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterMember {
    /// Record id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// Its first address.
    pub url: Option<String>,
    /// Its best estimated similarity to another member (1 when it has none).
    pub similarity: f64,
}

/// Where one merged event was reported.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EventSource {
    /// The record.
    pub record_id: String,
    /// Its evidence sentence.
    pub evidence: String,
    /// Who it is attributed to there.
    pub attributed_to: Option<String>,
    /// The actor as this record tells it (what merging compares; not output).
    #[serde(skip)]
    pub actor: Option<String>,
}

/// One occurrence, merged over the records that report it.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedEvent {
    /// Store key.
    pub seq: i64,
    /// The event as first reported (its evidence is the first source's).
    pub event: Event,
    /// Every report of it.
    pub sources: Vec<EventSource>,
}

/// A record that shares an LSH band key with the one being handled: a
/// candidate copy ([`crate::DedupStore::lsh_candidates`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LshCandidate {
    /// Record id.
    pub id: String,
    /// Its MinHash signature.
    pub signature: Vec<u64>,
    /// The cluster it belongs to.
    pub cluster: String,
}

/// What the dedup-and-merge pass writes for one record, atomically.
///
/// The result of the pass must not depend on the order records are handled
/// in (several ingesters may run passes one after another over records that
/// arrived interleaved), so the store keeps order-free facts: a cluster is a
/// connected component of "copy of" links, named by and pointing
/// (`syndication.duplicate_of`) to its earliest member by publication date
/// then id; a member's similarity is its best one to another member; a merged
/// event is a connected component of compatible reports, shown as its
/// earliest report (by publication date, then record id).
#[derive(Debug, Clone, Default)]
pub struct DedupWrite {
    /// The record.
    pub record_id: String,
    /// Its LSH band keys.
    pub band_keys: Vec<(u32, u64)>,
    /// Records already handled that it is a copy of, with their similarity:
    /// their clusters and this record become one cluster.
    pub copies: Vec<(String, f64)>,
    /// Its events, each with the merged events it joins (they become one;
    /// none: a new occurrence).
    pub events: Vec<(Vec<i64>, Event)>,
}

/// A geocoded place with how often the store mentions it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlaceCount {
    /// Place name as geocoded.
    pub name: String,
    /// GeoNames id, when known.
    pub geonameid: Option<u64>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Records that mention it.
    pub records: u64,
    /// Merged events placed there.
    pub events: u64,
}

/// How many merged events of a type carry a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DateCount {
    /// The date as stored (ISO, possibly only year or year-month).
    pub date: String,
    /// Event type, or `"record"` for record publication dates.
    pub kind: String,
    /// How many.
    pub count: u64,
}
