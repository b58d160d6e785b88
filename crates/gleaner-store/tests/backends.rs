//! One store test suite, run against every backend: each test below is a
//! function of a [`Backend`], and `suite!` makes a `sqlite::…` and a
//! `postgres::…` test of it.
//!
//! The PostgreSQL half needs a server: `GLEANER_TEST_POSTGRES` names a
//! database URL on it (`eval "$(.ci/postgres.sh)"` starts one). Each test
//! creates its own database there, so tests run in parallel. Without the
//! variable the PostgreSQL tests say they were skipped and pass, except when
//! `CI` is set: there a missing server is a failure, not a silent skip.

use std::sync::atomic::{AtomicUsize, Ordering};

use gleaner_dedup::EventKey;
use gleaner_record::{Entity, Event, InputInfo, InputKind, Place, Record};
use gleaner_store::{
    Batch, DateCount, DedupWrite, ErrorRow, EventFilter, Facet, InputProgress, InputState, MergedEvent, PendingRow,
    PlaceFilter, QueryStore, SearchQuery, SortOrder, Store, WriteStore,
};

#[derive(Clone, Copy, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty store of one backend; dropping it removes it.
struct Fresh {
    /// What `gleaner_store::open` takes to open it (again).
    spec: String,
    backend: Backend,
    #[cfg(feature = "postgres")]
    admin: Option<(String, String)>,
}

impl Fresh {
    fn new(backend: Backend, name: &str) -> Option<Fresh> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let unique = format!("{}_{}_{name}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("gleaner-suite-{unique}.db"));
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
                Some(Fresh {
                    spec: path.display().to_string(),
                    backend,
                    #[cfg(feature = "postgres")]
                    admin: None,
                })
            }
            Backend::Postgres => Self::postgres(&unique),
        }
    }

    #[cfg(not(feature = "postgres"))]
    fn postgres(_: &str) -> Option<Fresh> {
        eprintln!("skipped: this build has no PostgreSQL backend");
        None
    }

    #[cfg(feature = "postgres")]
    fn postgres(unique: &str) -> Option<Fresh> {
        let Ok(url) = std::env::var("GLEANER_TEST_POSTGRES") else {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but GLEANER_TEST_POSTGRES is not: the PostgreSQL half of the store suite must run in CI (eval \"$(.ci/postgres.sh)\")");
            }
            eprintln!("skipped: set GLEANER_TEST_POSTGRES=postgres://… (eval \"$(.ci/postgres.sh)\") to run the PostgreSQL store tests");
            return None;
        };
        let db = format!("gleaner_t_{unique}").to_lowercase();
        let mut admin = ::postgres::Client::connect(&url, ::postgres::NoTls)
            .expect("GLEANER_TEST_POSTGRES names a reachable server");
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .expect("create a test database");
        // The same URL with the database replaced (query parameters kept).
        let (base, query) = url.split_once('?').map_or((url.as_str(), None), |(b, q)| (b, Some(q)));
        let server = match base.rfind('/') {
            Some(i) if base[..i].ends_with('/') => base, // postgres://host, no database
            Some(i) => &base[..i],
            None => base,
        };
        let mut spec = format!("{}/{db}", server.trim_end_matches('/'));
        if let Some(q) = query {
            spec.push('?');
            spec.push_str(q);
        }
        Some(Fresh {
            spec,
            backend: Backend::Postgres,
            admin: Some((url, db)),
        })
    }

    fn open(&self) -> Box<dyn Store> {
        gleaner_store::open(&self.spec).unwrap_or_else(|e| panic!("open {:?} store: {e}", self.backend))
    }
}

#[cfg(feature = "postgres")]
impl Drop for Fresh {
    fn drop(&mut self) {
        if let Some((url, db)) = &self.admin {
            if let Ok(mut c) = ::postgres::Client::connect(url, ::postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
            }
        }
    }
}

/// Makes each listed test function a test for each backend.
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { super::$name(super::Backend::Sqlite) } )*
        }
        mod postgres {
            $( #[test] fn $name() { super::$name(super::Backend::Postgres) } )*
        }
    };
}

suite!(
    same_content_is_stored_once_with_both_addresses,
    the_kept_copy_does_not_depend_on_arrival_order,
    search_with_filters_and_odd_input,
    look_ahead_hits_come_without_snippets,
    batches_are_atomic_and_inputs_resume,
    input_progress_never_goes_back,
    id_prefix_lookup,
    places_facets_paging_and_dates,
    event_paging_country_and_dates,
    dedup_results_do_not_depend_on_the_order_records_are_handled,
    concurrent_writers_lose_and_duplicate_nothing,
    newer_schema_is_refused,
    walking_every_record_pages_through_them_once_in_id_order,
    records_stored_before_the_dedup_queue_are_queued_on_upgrade,
    watch_state_lists_fetches_and_acknowledges,
    search_since_a_fetch_time,
    a_replacing_copy_is_found_by_its_own_fetch_time,
    filtered_search_equals_filtering_the_full_results,
    a_replacing_copy_is_filtered_by_its_own_places,
);

/// The watch's side: listed entries become pending addresses due in the
/// order listed (with the addresses `ingest` kept before them), a fetch
/// takes an address off the due list in the same transaction as its WARC
/// file's acknowledged length, failures come back until they have used up
/// their attempts, an entry listed again with a new date is due again, and
/// saved searches and rounds are kept.
fn watch_state_lists_fetches_and_acknowledges(b: Backend) {
    use gleaner_store::watch::{FetchOutcome, FetchRow, ListedEntry, SourceState, MAX_FETCH_ATTEMPTS};
    let Some(fresh) = Fresh::new(b, "watch") else {
        return;
    };
    let mut s = fresh.open();
    s.commit(&Batch {
        pending: vec![PendingRow {
            url: "https://p.test/from-ingest".into(),
            title: None,
            date: None,
            source: "feed.xml".into(),
        }],
        ..Batch::default()
    })
    .unwrap();
    drop(s);
    let mut w = gleaner_store::open_watch(&fresh.spec, false).unwrap();
    assert_eq!(w.source_state("https://p.test/feed").unwrap(), None);
    let entry = |u: &str, d: Option<&str>| ListedEntry {
        url: format!("https://p.test/{u}"),
        title: Some(u.to_uppercase()),
        date: d.map(str::to_string),
    };
    let state = SourceState {
        url: "https://p.test/feed".into(),
        label: Some("P".into()),
        etag: Some("\"v1\"".into()),
        last_modified: None,
        checked_at: Some("2026-01-01T00:00:00Z".into()),
        status: Some(200),
        last_entries: vec!["https://p.test/b".into(), "https://p.test/a".into()],
    };
    let listed = [
        entry("b", Some("2026-01-01")),
        entry("a", None),
        entry("from-ingest", None),
    ];
    let new = w.list_entries(&state, &listed, Some(("/w/one.warc.gz", 100))).unwrap();
    assert_eq!(new, 2, "the address ingest kept is not new");
    assert_eq!(w.source_state(&state.url).unwrap().as_ref(), Some(&state));
    let due: Vec<String> = w.due(10).unwrap().into_iter().map(|e| e.url).collect();
    assert_eq!(
        due,
        ["https://p.test/from-ingest", "https://p.test/b", "https://p.test/a"],
        "due in the order listed"
    );
    assert_eq!(w.due(1).unwrap().len(), 1);
    let row = |u: &str, outcome, attempts| FetchRow {
        url: format!("https://p.test/{u}"),
        fetched_at: "2026-01-01T00:00:01Z".into(),
        outcome,
        status: Some(200),
        final_url: None,
        reason: None,
        warc_file: Some("/w/one.warc.gz".into()),
        warc_offset: Some(100),
        payload_digest: Some("sha1:AAAA".into()),
        attempts,
    };
    w.record_fetch(&row("b", FetchOutcome::Archived, 1), Some(("/w/one.warc.gz", 900)))
        .unwrap();
    w.record_fetch(&row("a", FetchOutcome::Failed, 1), Some(("/w/two.warc.gz", 50)))
        .unwrap();
    w.record_fetch(&row("from-ingest", FetchOutcome::Disallowed, 1), None)
        .unwrap();
    assert_eq!(
        w.fetch_of("https://p.test/b").unwrap(),
        Some(row("b", FetchOutcome::Archived, 1))
    );
    assert_eq!(w.fetch_of("https://p.test/nowhere").unwrap(), None);
    assert_eq!(
        w.warc_files().unwrap(),
        [("/w/one.warc.gz".to_string(), 900), ("/w/two.warc.gz".to_string(), 50)]
    );
    let due: Vec<String> = w.due(10).unwrap().into_iter().map(|e| e.url).collect();
    assert_eq!(due, ["https://p.test/a"], "a failure is due again");
    w.record_fetch(&row("a", FetchOutcome::Failed, MAX_FETCH_ATTEMPTS), None)
        .unwrap();
    assert!(w.due(10).unwrap().is_empty(), "attempts used up");
    // The same listing again: nothing new. A new date for b: due again.
    assert_eq!(w.list_entries(&state, &listed, None).unwrap(), 0);
    let again = w
        .list_entries(&state, &[entry("b", Some("2026-01-02")), entry("a", None)], None)
        .unwrap();
    assert_eq!(again, 1);
    let due: Vec<String> = w.due(10).unwrap().into_iter().map(|e| e.url).collect();
    assert_eq!(due, ["https://p.test/b"]);
    // Saved searches and rounds.
    let a = w.save_search("q=flood&country=KP", "2026-01-01T00:00:00Z").unwrap();
    let same = w.save_search("q=flood&country=KP", "2026-01-02T00:00:00Z").unwrap();
    assert_eq!(a, same, "the same search is saved once");
    let other = w.save_search("q=fire", "2026-01-03T00:00:00Z").unwrap();
    assert_eq!(w.saved_searches().unwrap(), [a.clone(), other.clone()]);
    assert!(w.delete_search(a.id).unwrap());
    assert!(!w.delete_search(a.id).unwrap());
    assert_eq!(w.saved_searches().unwrap(), [other]);
    assert_eq!(w.last_round().unwrap(), None);
    let r1 = w.begin_round("2026-01-01T00:00:00Z").unwrap();
    w.end_round(r1.id, "2026-01-01T00:01:00Z").unwrap();
    let r2 = w.begin_round("2026-01-02T00:00:00Z").unwrap();
    let last = w.last_round().unwrap().unwrap();
    assert_eq!((last.id, last.finished_at), (r2.id, None));
    // Reopened, it is all still there.
    drop(w);
    let w = gleaner_store::open_watch(&fresh.spec, true).unwrap();
    assert_eq!(w.warc_files().unwrap().len(), 2);
    assert_eq!(w.due(10).unwrap().len(), 1);
}

/// `fetched_from` keeps records fetched at or after a time (what `search
/// --since` and the feeds of new matches ask); records with no fetch time
/// are left out.
fn search_since_a_fetch_time(b: Backend) {
    let Some(fresh) = Fresh::new(b, "since") else {
        return;
    };
    let mut s = fresh.open();
    let (old, new) = fetched_a_day_apart();
    let none = rec(
        "Flood report with no fetch time.",
        "https://s.test/3",
        "S",
        "2024-01-03",
    );
    s.commit(&records(vec![old, new.clone(), none])).unwrap();
    let hits = |from: Option<&str>| -> Vec<String> {
        let q = SearchQuery {
            text: Some("flood".into()),
            fetched_from: from.map(str::to_string),
            limit: 10,
            ..SearchQuery::default()
        };
        let mut ids: Vec<String> = s.search(&q).unwrap().into_iter().map(|h| h.id).collect();
        ids.sort();
        ids
    };
    assert_eq!(hits(None).len(), 3);
    assert_eq!(hits(Some("2026-01-02T00:00:00Z")), [new.id.as_str()]);
    assert_eq!(hits(Some("2026-01-02")), [new.id.as_str()], "a date is a prefix");
    assert!(hits(Some("2026-01-03")).is_empty());
}

/// More records than one page of the walk holds: every one comes once, in
/// id order, with its addresses, and a failing callback stops the walk with
/// the caller's own error.
fn walking_every_record_pages_through_them_once_in_id_order(b: Backend) {
    let Some(fresh) = Fresh::new(b, "walk") else {
        return;
    };
    let mut s = fresh.open();
    let all: Vec<Record> = (0..450)
        .map(|i| {
            rec(
                &format!("Walk story {i} about the harbour."),
                &format!("https://w.test/{i}"),
                "W",
                "2024-03-01",
            )
        })
        .collect();
    s.commit(&Batch {
        records: all.iter().cloned().map(Into::into).collect(),
        ..Batch::default()
    })
    .unwrap();
    let mut seen = Vec::new();
    gleaner_store::for_each_record(&*s, |r| -> Result<(), gleaner_store::StoreError> {
        assert_eq!(r.urls.len(), 1);
        seen.push(r.record.id);
        Ok(())
    })
    .unwrap();
    let mut want: Vec<String> = all.iter().map(|r| r.id.clone()).collect();
    want.sort();
    assert_eq!(seen, want);
    #[derive(Debug, PartialEq)]
    enum Mine {
        Stop(usize),
        Store,
    }
    impl From<gleaner_store::StoreError> for Mine {
        fn from(_: gleaner_store::StoreError) -> Self {
            Mine::Store
        }
    }
    let mut n = 0;
    let stopped = gleaner_store::for_each_record(&*s, |_| {
        n += 1;
        if n == 300 {
            Err(Mine::Stop(n))
        } else {
            Ok(())
        }
    });
    assert_eq!(stopped, Err(Mine::Stop(300)));
}

fn rec(text: &str, url: &str, publisher: &str, published: &str) -> Record {
    let mut r = Record::new(InputInfo::new(InputKind::Html, "x.html", 10));
    r.set_text(text.into());
    r.url = Some(url.into());
    r.title = Some(text.split('.').next().unwrap_or("").to_string());
    r.publisher = Some(publisher.into());
    r.published = Some(published.into());
    r.language = Some("en".into());
    r
}

/// The addresses of a search's hits, in order.
fn urls(hits: Result<Vec<gleaner_store::Hit>, gleaner_store::StoreError>) -> Vec<String> {
    hits.unwrap().into_iter().map(|h| h.url.unwrap_or_default()).collect()
}

/// Two flood reports of one source, fetched a day apart (2026-01-01 and
/// 2026-01-02 at 10:00Z).
fn fetched_a_day_apart() -> (Record, Record) {
    let report = |text: &str, n: u32| {
        let mut r = rec(text, &format!("https://s.test/{n}"), "S", &format!("2024-01-0{n}"));
        r.fetched_at = Some(format!("2026-01-0{n}T10:00:00Z"));
        r
    };
    (
        report("Old flood report from the river.", 1),
        report("New flood report from the bridge.", 2),
    )
}

fn event(kind: &str, actor: Option<&str>, place: &str, date: &str, evidence: &str) -> Event {
    Event {
        kind: kind.into(),
        subtype: None,
        actor: actor.map(str::to_string),
        target: None,
        place: Some(place.into()),
        date: Some(date.into()),
        date_basis: Some("text".into()),
        negated: false,
        hedged: false,
        evidence: evidence.into(),
        evidence_span: [0, evidence.len()],
        attributed_to: None,
    }
}

fn records(records: Vec<Record>) -> Batch {
    Batch {
        records: records.into_iter().map(Into::into).collect(),
        ..Batch::default()
    }
}

fn same_content_is_stored_once_with_both_addresses(b: Backend) {
    let Some(fresh) = Fresh::new(b, "dup") else { return };
    let mut s = fresh.open();
    let a = rec(
        "Flood waters rose in the valley.",
        "https://a.test/1",
        "A",
        "2024-03-14",
    );
    let copy = rec(
        "Flood waters rose in the valley.",
        "https://b.test/copy",
        "B",
        "2024-03-15",
    );
    let st = s.commit(&records(vec![a.clone()])).unwrap();
    assert_eq!(st.new_records, 1);
    let st = s.commit(&records(vec![copy, a.clone()])).unwrap();
    assert_eq!((st.new_records, st.known_records), (0, 2));
    let got = s.get(&a.id).unwrap().unwrap();
    assert_eq!(got.urls, vec!["https://a.test/1", "https://b.test/copy"]);
    assert_eq!(s.stats().unwrap().records, 1);
    assert_eq!(got.record, a);
}

fn the_kept_copy_does_not_depend_on_arrival_order(b: Backend) {
    let copies = [
        rec(
            "Grain prices fell for a third week.",
            "https://z.test/late",
            "Z",
            "2024-05-02",
        ),
        rec(
            "Grain prices fell for a third week.",
            "https://m.test/x",
            "M",
            "2024-05-03",
        ),
        rec(
            "Grain prices fell for a third week.",
            "https://c.test/first",
            "C",
            "2024-05-01",
        ),
    ];
    let mut seen = Vec::new();
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let Some(fresh) = Fresh::new(b, "copies") else { return };
        let mut s = fresh.open();
        for i in order {
            s.commit(&records(vec![copies[i].clone()])).unwrap();
        }
        let got = s.get(&copies[0].id).unwrap().unwrap();
        // The copy at the smallest address, whatever came first; the search
        // columns follow it.
        assert_eq!(got.record, copies[2]);
        assert_eq!(
            got.urls,
            ["https://c.test/first", "https://m.test/x", "https://z.test/late"]
        );
        let hits = s
            .search(&SearchQuery {
                text: Some("grain".into()),
                limit: 5,
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!((hits.len(), hits[0].publisher.as_deref()), (1, Some("C")));
        seen.push(got);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

fn search_with_filters_and_odd_input(b: Backend) {
    let Some(fresh) = Fresh::new(b, "search") else { return };
    let mut s = fresh.open();
    s.commit(&records(vec![
        rec(
            "Border closed to all trade. Smugglers punished.",
            "https://a.test/1",
            "AMN",
            "2020-12-19",
        ),
        rec(
            "Harbour floods after storm surge.",
            "https://b.test/2",
            "Courier",
            "2024-03-14",
        ),
    ]))
    .unwrap();
    let q = |text: &str| SearchQuery {
        text: Some(text.into()),
        limit: 10,
        ..SearchQuery::default()
    };
    let hits = s.search(&q("smugglers border")).unwrap();
    assert_eq!(hits.len(), 1);
    let snippet = hits[0].snippet.as_deref().unwrap();
    assert!(snippet.contains("[Smugglers]"), "{snippet}");
    assert!(
        s.search(&q("smugglers harbour")).unwrap().is_empty(),
        "every word must occur"
    );
    assert!(s.search(&q("\"unbalanced AND -")).unwrap().is_empty());
    assert!(s.search(&q("'); DROP TABLE records; --")).unwrap().is_empty());
    // Nothing searchable is refused, not taken for "everything" (which is
    // what no text at all asks for: a listing, newest first).
    assert!(matches!(
        s.search(&q("?!")),
        Err(gleaner_store::StoreError::Search(
            gleaner_store::query::SearchTextError::NoWords
        ))
    ));
    let listed = s
        .search(&SearchQuery {
            limit: 10,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|h| h.publisher.as_deref().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["Courier", "AMN"]
    );
    assert!(listed.iter().all(|h| h.snippet.is_none()));
    let dated = SearchQuery {
        from: Some("2024".into()),
        to: Some("2024-03".into()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(s.search(&dated).unwrap().len(), 1);
    let to_day = SearchQuery {
        to: Some("2020-12-19".into()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(s.search(&to_day).unwrap().len(), 1);
    let by_pub = SearchQuery {
        publisher: Some("AMN".into()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(s.search(&by_pub).unwrap()[0].publisher.as_deref(), Some("AMN"));
    let by_lang = SearchQuery {
        language: Some("de".into()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert!(s.search(&by_lang).unwrap().is_empty());
}

/// The hits past the page, asked for only to know whether there is a next
/// page, get no snippet (each costs a full-text query); a short last page
/// has no such hit, and every hit it shows has its snippet.
fn look_ahead_hits_come_without_snippets(b: Backend) {
    let Some(fresh) = Fresh::new(b, "lookahead") else {
        return;
    };
    let mut s = fresh.open();
    s.commit(&records(vec![
        rec("Harbour floods after storm.", "https://a.test/1", "AMN", "2024-03-14"),
        rec("Harbour closed by strike.", "https://a.test/2", "AMN", "2024-03-15"),
        rec(
            "Harbour reopens to ferries.",
            "https://a.test/3",
            "Courier",
            "2024-03-16",
        ),
    ]))
    .unwrap();
    for sort in [SortOrder::Relevance, SortOrder::Newest] {
        let q = |limit: usize| SearchQuery {
            text: Some("harbour".into()),
            sort,
            limit,
            look_ahead: 1,
            ..SearchQuery::default()
        };
        let snippets = |hits: &[gleaner_store::Hit]| hits.iter().map(|h| h.snippet.is_some()).collect::<Vec<_>>();
        let full = s.search(&q(3)).unwrap();
        assert_eq!(snippets(&full), [true, true, false], "{sort:?}");
        assert!(
            full[0].snippet.as_deref().unwrap_or("").contains("[Harbour]"),
            "{full:?}"
        );
        let short = s.search(&q(4)).unwrap();
        assert_eq!(snippets(&short), [true, true, true], "{sort:?}");
        let without = s.search(&SearchQuery { look_ahead: 0, ..q(3) }).unwrap();
        assert_eq!(snippets(&without), [true, true, true], "{sort:?}");
    }
}

fn batches_are_atomic_and_inputs_resume(b: Backend) {
    let Some(fresh) = Fresh::new(b, "atomic") else { return };
    let mut s = fresh.open();
    let progress = InputProgress {
        path: "a.warc.gz".into(),
        state: InputState {
            size: 100,
            mtime: 5,
            offset: 40,
            done: false,
        },
    };
    let error = ErrorRow {
        input: "a.warc.gz".into(),
        offset: Some(20),
        record: None,
        category: "truncated".into(),
        reason: "ends early".into(),
    };
    s.commit(&Batch {
        records: vec![rec("One story here.", "https://a.test/1", "A", "2024-01-01").into()],
        errors: vec![error.clone()],
        pending: vec![PendingRow {
            url: "https://a.test/later".into(),
            title: None,
            date: None,
            source: "feed.xml".into(),
        }],
        inputs: vec![progress.clone()],
    })
    .unwrap();
    // The same error again (a resumed run) is not a second row.
    s.commit(&Batch {
        errors: vec![error.clone()],
        ..Batch::default()
    })
    .unwrap();
    drop(s);
    let s = fresh.open();
    assert_eq!(s.input_state("a.warc.gz").unwrap(), Some(progress.state));
    assert_eq!(s.input_state("other").unwrap(), None);
    assert_eq!(s.errors().unwrap(), vec![error]);
    let st = s.stats().unwrap();
    assert_eq!((st.records, st.pending, st.inputs, st.inputs_done), (1, 1, 1, 0));
    assert_eq!(st.errors_by_category, vec![("truncated".to_string(), 1)]);
    assert_eq!(st.by_month, vec![("2024-01".to_string(), 1)]);
}

fn input_progress_never_goes_back(b: Backend) {
    let Some(fresh) = Fresh::new(b, "progress") else { return };
    let mut s = fresh.open();
    let at = |offset: u64, done: bool, size: u64| Batch {
        inputs: vec![InputProgress {
            path: "a.warc".into(),
            state: InputState {
                size,
                mtime: 7,
                offset,
                done,
            },
        }],
        ..Batch::default()
    };
    s.commit(&at(500, false, 1000)).unwrap();
    s.commit(&at(1000, true, 1000)).unwrap();
    // A slower ingester of the same file commits an earlier point later.
    s.commit(&at(300, false, 1000)).unwrap();
    assert_eq!(
        s.input_state("a.warc").unwrap(),
        Some(InputState {
            size: 1000,
            mtime: 7,
            offset: 1000,
            done: true
        })
    );
    // The file changed: its progress starts over.
    s.commit(&at(10, false, 2000)).unwrap();
    assert_eq!(
        s.input_state("a.warc").unwrap(),
        Some(InputState {
            size: 2000,
            mtime: 7,
            offset: 10,
            done: false
        })
    );
}

fn id_prefix_lookup(b: Backend) {
    let Some(fresh) = Fresh::new(b, "prefix") else { return };
    let mut s = fresh.open();
    let r = rec("Unique words for prefix lookup.", "https://a.test/p", "A", "2024-01-01");
    s.commit(&records(vec![r.clone()])).unwrap();
    assert_eq!(s.get(&r.id[..8]).unwrap().unwrap().record.id, r.id);
    assert!(s.get("zz").unwrap().is_none());
    assert!(s.get("%%%%%%%%").unwrap().is_none());
}

fn placed(mut r: Record, places: &[(&str, &str, f64, f64)], events: &[&str]) -> Record {
    for (name, country, lat, lon) in places {
        r.entities.push(Entity {
            text: name.to_string(),
            span: [0, name.len()],
            label: "GPE".into(),
            place: Some(Place {
                name: name.to_string(),
                geonameid: None,
                lat: *lat,
                lon: *lon,
                country: Some(country.to_string()),
                admin1: None,
            }),
            refers_to: None,
        });
    }
    for kind in events {
        let place = places.first().map_or("", |p| p.0);
        let mut e = event(kind, None, place, r.published.as_deref().unwrap_or(""), &r.text);
        e.place = places.first().map(|p| p.0.to_string());
        r.events.push(e);
    }
    r
}

/// Three records: two in North Korea (one reporting a lockdown), one in Portugal.
fn mapped_records() -> Vec<Record> {
    vec![
        placed(
            rec("Hyesan was locked down again.", "https://a.test/1", "AMN", "2020-12-19"),
            &[("Hyesan", "KP", 41.4, 128.2), ("Hyesan", "KP", 41.4, 128.2)],
            &["lockdown"],
        ),
        placed(
            rec(
                "Smugglers in Hyesan and Sinuiju were warned.",
                "https://a.test/2",
                "RFA",
                "2020-12-20",
            ),
            &[("Hyesan", "KP", 41.4, 128.2), ("Sinuiju", "KP", 40.1, 124.4)],
            &[],
        ),
        placed(
            rec(
                "Lisbon ferries stopped by a strike.",
                "https://b.test/3",
                "Post",
                "2024-04-18",
            ),
            &[("Lisbon", "PT", 38.7, -9.1)],
            &["strike"],
        ),
    ]
}

fn places_facets_paging_and_dates(b: Backend) {
    let Some(fresh) = Fresh::new(b, "places") else { return };
    let mut s = fresh.open();
    s.commit(&records(mapped_records())).unwrap();
    let places = s
        .places(&PlaceFilter {
            limit: 10,
            ..PlaceFilter::default()
        })
        .unwrap();
    let names: Vec<(&str, u64)> = places.iter().map(|p| (p.name.as_str(), p.records)).collect();
    assert_eq!(names, [("Hyesan", 2), ("Lisbon", 1), ("Sinuiju", 1)]);
    assert_eq!((places[0].lat, places[0].country.as_deref()), (41.4, Some("KP")));
    let kp = s
        .places(&PlaceFilter {
            country: Some("PT".into()),
            limit: 10,
            ..PlaceFilter::default()
        })
        .unwrap();
    assert_eq!(kp.len(), 1);
    let named = s
        .places(&PlaceFilter {
            names: vec!["Sinuiju".into(), "Lisbon".into()],
            limit: 10,
            ..PlaceFilter::default()
        })
        .unwrap();
    assert_eq!(
        named.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Lisbon", "Sinuiju"]
    );
    let dated = s
        .places(&PlaceFilter {
            to: Some("2020-12-19".into()),
            limit: 10,
            ..PlaceFilter::default()
        })
        .unwrap();
    assert_eq!(dated.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Hyesan"]);

    let q = |f: fn(&mut SearchQuery)| {
        let mut q = SearchQuery {
            limit: 10,
            ..SearchQuery::default()
        };
        f(&mut q);
        s.search(&q)
            .unwrap()
            .into_iter()
            .map(|h| h.url.unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(q(|q| q.place = Some("Sinuiju".into())), ["https://a.test/2"]);
    assert_eq!(
        q(|q| q.country = Some("KP".into())),
        ["https://a.test/2", "https://a.test/1"]
    );
    assert_eq!(q(|q| q.event_type = Some("strike".into())), ["https://b.test/3"]);
    assert_eq!(
        q(|q| q.sort = SortOrder::Oldest),
        ["https://a.test/1", "https://a.test/2", "https://b.test/3"]
    );
    assert_eq!(
        q(|q| {
            q.sort = SortOrder::Oldest;
            q.offset = 1;
            q.limit = 1
        }),
        ["https://a.test/2"]
    );
    assert_eq!(
        q(|q| {
            q.text = Some("hyesan".into());
            q.sort = SortOrder::Newest
        }),
        ["https://a.test/2", "https://a.test/1"]
    );

    let all = SearchQuery {
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(
        s.facet(&all, Facet::Country, 10).unwrap(),
        [("KP".to_string(), 2), ("PT".to_string(), 1)]
    );
    assert_eq!(
        s.facet(&all, Facet::EventType, 10).unwrap(),
        [("lockdown".to_string(), 1), ("strike".to_string(), 1)]
    );
    assert_eq!(s.facet(&all, Facet::Language, 10).unwrap(), [("en".to_string(), 3)]);
    let hy = SearchQuery {
        text: Some("Hyesan".into()),
        limit: 10,
        ..SearchQuery::default()
    };
    assert_eq!(
        s.facet(&hy, Facet::Publisher, 10).unwrap(),
        [("AMN".to_string(), 1), ("RFA".to_string(), 1)]
    );
    let dates = s.record_dates(&hy).unwrap();
    assert_eq!(
        dates.iter().map(|d| (d.date.as_str(), d.count)).collect::<Vec<_>>(),
        [("2020-12-19", 1), ("2020-12-20", 1)]
    );
}

fn event_paging_country_and_dates(b: Backend) {
    let Some(fresh) = Fresh::new(b, "evdates") else { return };
    let mut s = fresh.open();
    let recs = mapped_records();
    s.commit(&records(recs.clone())).unwrap();
    for r in &recs {
        let events = r.events.iter().map(|e| (Vec::new(), e.clone())).collect();
        s.apply_dedup(&DedupWrite {
            record_id: r.id.clone(),
            events,
            ..DedupWrite::default()
        })
        .unwrap();
    }
    let all = s.events(&EventFilter::default()).unwrap();
    assert_eq!(
        all.iter().map(|e| e.event.kind.as_str()).collect::<Vec<_>>(),
        ["lockdown", "strike"]
    );
    let page = s
        .events(&EventFilter {
            offset: 1,
            limit: Some(5),
            ..EventFilter::default()
        })
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].event.kind, "strike");
    let kp = s
        .events(&EventFilter {
            country: Some("KP".into()),
            ..EventFilter::default()
        })
        .unwrap();
    assert_eq!(
        kp.iter().map(|e| e.event.kind.as_str()).collect::<Vec<_>>(),
        ["lockdown"]
    );
    let dates = s.event_dates(&EventFilter::default()).unwrap();
    assert_eq!(
        dates,
        [
            DateCount {
                date: "2020-12-19".into(),
                kind: "lockdown".into(),
                count: 1
            },
            DateCount {
                date: "2024-04-18".into(),
                kind: "strike".into(),
                count: 1
            },
        ]
    );
    let places = s
        .places(&PlaceFilter {
            limit: 10,
            ..PlaceFilter::default()
        })
        .unwrap();
    assert_eq!(places.iter().map(|p| p.events).collect::<Vec<_>>(), [1, 1, 0]);
}

/// Three copies linked in a chain (1–2, 2–3; 1 and 3 too far apart), each
/// reporting one arrest in the same place and month; the reports of 1
/// (police) and 2 (army) have nothing in common, 3's (army police) links
/// both. Handled in two orders, as the pass would (what joins what is
/// decided from what is already stored), the store must end the same.
fn dedup_results_do_not_depend_on_the_order_records_are_handled(b: Backend) {
    let mut r1 = rec(
        "Arrests at the market were reported on Monday.",
        "https://one.test/a",
        "One",
        "2020-11-02",
    );
    let mut r2 = rec(
        "Arrests at the market were reported on Monday by traders.",
        "https://two.test/a",
        "Two",
        "2020-11-01",
    );
    let mut r3 = rec(
        "Arrests at the market were reported by traders on Monday night.",
        "https://three.test/a",
        "Three",
        "2020-11-03",
    );
    r1.events.push(event(
        "arrest",
        Some("police"),
        "Hyesan",
        "2020-11-02",
        "Police arrested traders.",
    ));
    r2.events.push(event(
        "arrest",
        Some("army"),
        "Hyesan",
        "2020-11-01",
        "The army arrested traders.",
    ));
    r3.events.push(event(
        "arrest",
        Some("army police"),
        "Hyesan",
        "2020-11-03",
        "Army police arrested traders.",
    ));
    let all = [r1, r2, r3];
    let sims = [(0, 1, 0.8), (1, 2, 0.7)];
    let mut results = Vec::new();
    // Each order record at a time, and as one group of writes that commit
    // together (a store may defer part of a group's writes to its end).
    let orders = [[0, 1, 2], [2, 0, 1], [1, 2, 0]];
    for (order, grouped) in orders.iter().flat_map(|o| [(*o, false), (*o, true)]) {
        let Some(fresh) = Fresh::new(b, "order") else { return };
        let mut s = fresh.open();
        s.commit(&records(all.to_vec())).unwrap();
        let mut handled: Vec<usize> = Vec::new();
        if grouped {
            s.begin_dedup_batch().unwrap();
        }
        for i in order {
            let r = &all[i];
            let copies: Vec<(String, f64)> = sims
                .iter()
                .filter_map(|&(a, b, sim)| match (a == i, b == i) {
                    (true, _) if handled.contains(&b) => Some((all[b].id.clone(), sim)),
                    (_, true) if handled.contains(&a) => Some((all[a].id.clone(), sim)),
                    _ => None,
                })
                .collect();
            let ev = &r.events[0];
            let overlaps = |x: &str, y: &str| x.split(' ').any(|w| y.split(' ').any(|v| v == w));
            let joins: Vec<i64> = s
                .event_candidates(&EventKey {
                    kind: "arrest".into(),
                    place: Some("Hyesan".into()),
                    month: "2020-11".into(),
                })
                .unwrap()
                .iter()
                .filter(|m| {
                    m.sources
                        .iter()
                        .any(|src| overlaps(src.actor.as_deref().unwrap_or(""), ev.actor.as_deref().unwrap_or("")))
                })
                .map(|m| m.seq)
                .collect();
            s.apply_dedup(&DedupWrite {
                record_id: r.id.clone(),
                band_keys: vec![(0, 7), (1, i as u64)],
                copies,
                events: vec![(joins, ev.clone())],
            })
            .unwrap();
            handled.push(i);
        }
        if grouped {
            s.end_dedup_batch(true).unwrap();
        }
        assert!(s.pending(10).unwrap().is_empty(), "order {order:?} grouped {grouped}");
        // Every record handled is found by its band keys, one record at a
        // time and in one lookup for several.
        let ids = |c: Vec<gleaner_store::LshCandidate>| c.into_iter().map(|c| c.id).collect::<Vec<_>>();
        let mut sorted: Vec<String> = all.iter().map(|r| r.id.clone()).collect();
        sorted.sort();
        assert_eq!(ids(s.lsh_candidates(&[(0, 7)]).unwrap()), sorted);
        assert_eq!(ids(s.lsh_candidates(&[(1, 2), (5, 5)]).unwrap()), [all[2].id.clone()]);
        let each: Vec<Vec<String>> = s
            .lsh_candidates_each(&[vec![(1, 2), (5, 5)], vec![], vec![(9, 9)], vec![(0, 7), (1, 0)]])
            .unwrap()
            .into_iter()
            .map(ids)
            .collect();
        assert_eq!(each, [vec![all[2].id.clone()], vec![], vec![], sorted.clone()]);
        // One cluster named by its earliest member (r2), which the others point to.
        let cluster = s.cluster_of(&all[0].id).unwrap().unwrap();
        assert_eq!(cluster, all[1].id, "order {order:?}");
        let members = s.cluster_members(&cluster).unwrap();
        let got: Vec<(String, f64)> = members.iter().map(|m| (m.id.clone(), m.similarity)).collect();
        assert_eq!(
            got,
            [
                (all[1].id.clone(), 0.8),
                (all[0].id.clone(), 0.8),
                (all[2].id.clone(), 0.7)
            ],
            "order {order:?}"
        );
        let dup = |i: usize| {
            s.get(&all[i].id)
                .unwrap()
                .unwrap()
                .record
                .syndication
                .and_then(|x| x.duplicate_of)
        };
        assert_eq!(
            (dup(0), dup(1), dup(2)),
            (Some(all[1].id.clone()), None, Some(all[1].id.clone())),
            "order {order:?}"
        );
        assert_eq!(s.clusters(2).unwrap(), [cluster]);
        // Several keys in one lookup: each key's list as its own lookup
        // gives it, in the order asked, a key repeated or matching nothing
        // included.
        let key = |place: Option<&str>, month: &str| EventKey {
            kind: "arrest".into(),
            place: place.map(Into::into),
            month: month.into(),
        };
        let asked = [
            key(Some("Hyesan"), "2020-12"),
            key(Some("Hyesan"), "2020-11"),
            key(None, "2020-11"),
            key(Some("Hyesan"), "2020-11"),
        ];
        let one_by_one: Vec<Vec<MergedEvent>> = asked.iter().map(|k| s.event_candidates(k).unwrap()).collect();
        assert_eq!(one_by_one[1].len(), 1, "order {order:?}");
        assert_eq!(one_by_one[1][0].sources.len(), 3, "order {order:?}");
        assert_eq!(s.event_candidates_each(&asked).unwrap(), one_by_one, "order {order:?}");
        // One occurrence, shown as its earliest report, with every source.
        let events = s.events(&EventFilter::default()).unwrap();
        assert_eq!(events.len(), 1, "order {order:?}");
        assert_eq!(events[0].event.evidence, "The army arrested traders.");
        let sources: Vec<&str> = events[0].sources.iter().map(|x| x.record_id.as_str()).collect();
        assert_eq!(sources, [all[1].id.as_str(), all[0].id.as_str(), all[2].id.as_str()]);
        results.push((got, events[0].event.clone(), events[0].sources.clone()));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

/// Two writers (two connections, as two ingesters would have) commit
/// overlapping batches in opposite orders at the same time.
fn concurrent_writers_lose_and_duplicate_nothing(b: Backend) {
    let Some(fresh) = Fresh::new(b, "concurrent") else {
        return;
    };
    drop(fresh.open()); // the schema, before the writers race
    let all: Vec<Record> = (0..120)
        .map(|i| {
            rec(
                &format!("Story number {i} about the river."),
                &format!("https://r.test/{i:03}"),
                "R",
                "2024-02-01",
            )
        })
        .collect();
    let spec = fresh.spec.clone();
    let writer = |reverse: bool| {
        let spec = spec.clone();
        let mut mine: Vec<Record> = all.clone();
        if reverse {
            mine.reverse();
        }
        std::thread::spawn(move || {
            let mut s = gleaner_store::open(&spec).unwrap();
            let mut new = 0;
            for (n, chunk) in mine.chunks(15).enumerate() {
                let batch = Batch {
                    records: chunk.iter().cloned().map(Into::into).collect(),
                    errors: vec![ErrorRow {
                        input: "in".into(),
                        offset: Some(n as u64),
                        record: None,
                        category: "c".into(),
                        reason: "r".into(),
                    }],
                    inputs: vec![InputProgress {
                        path: "in".into(),
                        state: InputState {
                            size: 9,
                            mtime: 1,
                            offset: n as u64,
                            done: false,
                        },
                    }],
                    ..Batch::default()
                };
                new += s.commit(&batch).unwrap().new_records;
            }
            new
        })
    };
    let (a, z) = (writer(false), writer(true));
    let new = a.join().unwrap() + z.join().unwrap();
    let s = fresh.open();
    assert_eq!(new, all.len(), "each record is new to exactly one writer");
    assert_eq!(s.stats().unwrap().records, all.len() as u64);
    let mut ids = Vec::new();
    gleaner_store::for_each_record(&*s, |r| -> Result<(), gleaner_store::StoreError> {
        ids.push(r.record.id.clone());
        assert_eq!(r.urls.len(), 1);
        Ok(())
    })
    .unwrap();
    let mut want: Vec<String> = all.iter().map(|r| r.id.clone()).collect();
    want.sort();
    assert_eq!(ids, want, "every record once, in id order");
    assert_eq!(s.errors().unwrap().len(), 8);
    assert_eq!(s.input_state("in").unwrap().map(|i| i.offset), Some(7));
}

fn newer_schema_is_refused(b: Backend) {
    let Some(fresh) = Fresh::new(b, "newer") else { return };
    drop(fresh.open());
    match b {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(&fresh.spec).unwrap();
            conn.pragma_update(None, "user_version", 99).unwrap();
        }
        Backend::Postgres => {
            #[cfg(feature = "postgres")]
            {
                let mut c = ::postgres::Client::connect(&fresh.spec, ::postgres::NoTls).unwrap();
                c.execute("INSERT INTO gleaner_schema (version) VALUES (99)", &[])
                    .unwrap();
            }
        }
    }
    match gleaner_store::open(&fresh.spec) {
        Err(gleaner_store::StoreError::TooNew { found: 99, .. }) => {}
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
}

/// A store written before records waited in `dedup_queue` (no queue, no
/// signatures for unhandled records): opening it queues every record no
/// pass has handled, with its signature, and only those.
fn records_stored_before_the_dedup_queue_are_queued_on_upgrade(b: Backend) {
    let Some(fresh) = Fresh::new(b, "queue_upgrade") else {
        return;
    };
    let mut s = fresh.open();
    let all = mapped_records();
    s.commit(&records(all.clone())).unwrap();
    // The first record was handled by a pass before the upgrade.
    let first = s.pending(1).unwrap().remove(0);
    s.apply_dedup(&DedupWrite {
        record_id: first.record_id.clone(),
        ..DedupWrite::default()
    })
    .unwrap();
    drop(s);
    match b {
        Backend::Sqlite => {
            let conn = rusqlite::Connection::open(&fresh.spec).unwrap();
            conn.execute_batch(
                "DROP TABLE dedup_queue; DELETE FROM signatures WHERE record_id NOT IN (SELECT record_id FROM clusters);
                 DROP TABLE watch_sources; DROP TABLE fetches; DROP TABLE warc_files; DROP TABLE saved_searches;
                 DROP TABLE watch_rounds; DROP INDEX records_fetched; ALTER TABLE records DROP COLUMN fetched_at;
                 DROP TABLE record_facets; DROP INDEX records_keys; PRAGMA user_version = 4;",
            )
            .unwrap();
        }
        Backend::Postgres => {
            #[cfg(feature = "postgres")]
            {
                let mut c = ::postgres::Client::connect(&fresh.spec, ::postgres::NoTls).unwrap();
                c.batch_execute(
                    "DROP TABLE dedup_queue; DELETE FROM signatures WHERE record_id NOT IN (SELECT record_id FROM clusters);
                     DROP TABLE watch_sources; DROP TABLE fetches; DROP TABLE warc_files; DROP TABLE saved_searches;
                     DROP TABLE watch_rounds; DROP INDEX pending_seq; ALTER TABLE pending DROP COLUMN seq;
                     DROP INDEX record_places_country_record; DROP INDEX record_event_types_type_record;
                     DROP SEQUENCE lsh_generation; DELETE FROM gleaner_schema WHERE version >= 2;",
                )
                .unwrap();
            }
        }
    }
    let s = fresh.open();
    let pending = s.pending(100).unwrap();
    let mut want: Vec<&str> = all
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| *id != first.record_id)
        .collect();
    want.sort();
    let mut got: Vec<&str> = pending.iter().map(|p| p.record_id.as_str()).collect();
    got.sort();
    assert_eq!(got, want);
    let policy = gleaner_dedup::Policy::default();
    for p in &pending {
        let r = all.iter().find(|r| r.id == p.record_id).unwrap();
        assert_eq!(p.signature, policy.fingerprint(&r.text).signature);
        assert_eq!(p.events, r.events);
    }
}

/// SQLite only (its older schemas): records stored before schema step 3
/// get their places and event types indexed when a newer release opens the file.
#[test]
fn sqlite_records_stored_before_the_place_index_are_backfilled() {
    let fresh = Fresh::new(Backend::Sqlite, "backfill").expect("SQLite always runs");
    let mut s = gleaner_store::SqliteStore::open(&fresh.spec).unwrap();
    let current = s.schema_version().unwrap();
    s.commit(&records(mapped_records())).unwrap();
    drop(s);
    // Undo step 3 and later as a store written by an earlier release would be.
    let conn = rusqlite::Connection::open(&fresh.spec).unwrap();
    conn.execute_batch(
        "DROP TABLE watch_sources; DROP TABLE fetches; DROP TABLE warc_files; DROP TABLE saved_searches;
         DROP TABLE watch_rounds; DROP INDEX records_fetched; ALTER TABLE records DROP COLUMN fetched_at;
         DROP TABLE record_facets; DROP INDEX records_keys; DROP TABLE dedup_queue; DROP TABLE record_places; DROP TABLE record_event_types; DROP INDEX events_place;
         ALTER TABLE events DROP COLUMN rank; ALTER TABLE event_sources DROP COLUMN actor;
         ALTER TABLE event_sources DROP COLUMN rank; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);
    let s = gleaner_store::SqliteStore::open(&fresh.spec).unwrap();
    assert_eq!(s.schema_version().unwrap(), current);
    let places = s
        .places(&PlaceFilter {
            limit: 10,
            ..PlaceFilter::default()
        })
        .unwrap();
    assert_eq!(places.len(), 3);
    assert_eq!(s.facet(&SearchQuery::default(), Facet::EventType, 10).unwrap().len(), 2);
    // Filters by country and event type read step 7's table, filled from
    // what the backfill of step 3 indexed.
    let filtered = |f: fn(&mut SearchQuery)| {
        let mut q = SearchQuery {
            text: Some("Hyesan".into()),
            limit: 10,
            ..SearchQuery::default()
        };
        f(&mut q);
        s.search(&q).unwrap().len()
    };
    assert_eq!(filtered(|q| q.country = Some("KP".into())), 2);
    assert_eq!(filtered(|q| q.event_type = Some("lockdown".into())), 1);
    assert_eq!(filtered(|q| q.country = Some("PT".into())), 0);
}

/// SQLite only: a store of schema step 7 (fetch time read from the JSON by
/// an expression index) opened by this build keeps answering `fetched_from`
/// for the records stored before, and finds the records handled before by
/// their band keys.
#[test]
fn sqlite_a_step_7_store_keeps_its_fetch_times_and_band_keys() {
    use gleaner_store::DedupStore as _;
    let fresh = Fresh::new(Backend::Sqlite, "step8").expect("SQLite always runs");
    let mut s = gleaner_store::SqliteStore::open(&fresh.spec).unwrap();
    let current = s.schema_version().unwrap();
    let (old, new) = fetched_a_day_apart();
    s.commit(&records(vec![old.clone(), new.clone()])).unwrap();
    for (r, band_keys) in [(&old, vec![(0, 7), (1, 1)]), (&new, vec![(0, 7), (1, 2)])] {
        s.apply_dedup(&DedupWrite {
            record_id: r.id.clone(),
            band_keys,
            ..DedupWrite::default()
        })
        .unwrap();
    }
    drop(s);
    // Step 7's tables, as a store written by the previous release has them.
    let conn = rusqlite::Connection::open(&fresh.spec).unwrap();
    conn.execute_batch(
        "DROP INDEX records_fetched; ALTER TABLE records DROP COLUMN fetched_at;
         CREATE INDEX records_fetched ON records (json_extract(json, '$.fetched_at'));
         PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(conn);
    let s = gleaner_store::SqliteStore::open(&fresh.spec).unwrap();
    assert_eq!(s.schema_version().unwrap(), current);
    let since = |from: &str| -> Vec<String> {
        let q = SearchQuery {
            text: Some("flood".into()),
            fetched_from: Some(from.into()),
            limit: 10,
            ..SearchQuery::default()
        };
        s.search(&q).unwrap().into_iter().map(|h| h.id).collect()
    };
    assert_eq!(since("2026-01-02"), [new.id.as_str()]);
    assert_eq!(since("2026-01-01").len(), 2);
    let ids = |c: Vec<gleaner_store::LshCandidate>| c.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let mut both = vec![old.id.clone(), new.id.clone()];
    both.sort();
    assert_eq!(ids(s.lsh_candidates(&[(0, 7)]).unwrap()), both);
    assert_eq!(ids(s.lsh_candidates(&[(1, 2)]).unwrap()), [new.id.as_str()]);
}

/// SQLite only: FTS5 flushes its pending terms at 8 MiB (schema step 9),
/// in a new store and in one of step 8 upgraded by opening it.
#[test]
fn sqlite_the_full_text_index_flushes_at_8_mib() {
    use rusqlite::OptionalExtension as _;
    let fresh = Fresh::new(Backend::Sqlite, "step9").expect("SQLite always runs");
    let hashsize = || -> Option<i64> {
        let conn = rusqlite::Connection::open(&fresh.spec).unwrap();
        conn.query_row("SELECT v FROM records_fts_config WHERE k = 'hashsize'", [], |r| {
            r.get(0)
        })
        .optional()
        .unwrap()
    };
    let s = gleaner_store::SqliteStore::open(&fresh.spec).unwrap();
    let current = s.schema_version().unwrap();
    drop(s);
    assert_eq!(hashsize(), Some(8 << 20));
    // Step 8's full-text table: FTS5's default (no row in its config).
    let conn = rusqlite::Connection::open(&fresh.spec).unwrap();
    conn.execute_batch("DELETE FROM records_fts_config WHERE k = 'hashsize'; PRAGMA user_version = 8;")
        .unwrap();
    drop(conn);
    assert_eq!(hashsize(), None);
    let s = gleaner_store::SqliteStore::open(&fresh.spec).unwrap();
    assert_eq!(s.schema_version().unwrap(), current);
    drop(s);
    assert_eq!(hashsize(), Some(8 << 20));
}

#[cfg(feature = "postgres")]
mod postgres_only {
    use super::*;

    #[test]
    fn a_refused_connection_names_the_address_but_not_the_password() {
        // Port 1 on loopback: nothing listens there.
        let err = match gleaner_store::open("postgres://reader:s3cret@127.0.0.1:1/news") {
            Err(e) => e.to_string(),
            Ok(_) => panic!("connected to port 1"),
        };
        assert!(err.contains("postgres://reader@127.0.0.1:1/news"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        assert!(err.to_lowercase().contains("refused"), "{err}");
        let other = gleaner_store::open("mysql://u:pw@host/db")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(other.contains("mysql://u@host/db") && !other.contains("pw"), "{other}");
    }

    #[test]
    fn two_processes_opening_a_new_database_at_once_both_succeed() {
        let Some(fresh) = Fresh::new(Backend::Postgres, "race") else {
            return;
        };
        let spec = fresh.spec.clone();
        let openers: Vec<_> = (0..4)
            .map(|_| {
                let spec = spec.clone();
                std::thread::spawn(move || {
                    gleaner_store::PgStore::open(&spec)
                        .map(|s| s.schema_version().unwrap())
                        .map_err(|e| e.to_string())
                })
            })
            .collect();
        let versions: Vec<_> = openers.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(versions.iter().all(|v| v == &versions[0] && v.is_ok()), "{versions:?}");
    }

    #[test]
    fn dedup_passes_take_turns() {
        let Some(fresh) = Fresh::new(Backend::Postgres, "turns") else {
            return;
        };
        let mut first = fresh.open();
        first.begin_dedup_pass().unwrap();
        let spec = fresh.spec.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let second = std::thread::spawn(move || {
            let mut s = gleaner_store::open(&spec).unwrap();
            s.begin_dedup_pass().unwrap();
            tx.send(()).unwrap();
            s.end_dedup_pass().unwrap();
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(500)).is_err(),
            "the second pass must wait"
        );
        first.end_dedup_pass().unwrap();
        assert!(
            rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok(),
            "and then run"
        );
        second.join().unwrap();
    }

    /// A pass looks band keys up in memory: those stored when its first
    /// pass began and those its own groups wrote (a lookup finds them after
    /// their rows are gone from the server behind its back); and a pass
    /// that finds another process added band keys since it last ran looks
    /// them up on the server from then on.
    #[test]
    fn a_pass_keeps_band_keys_in_memory_until_another_pass_writes_some() {
        let Some(fresh) = Fresh::new(Backend::Postgres, "lshcache") else {
            return;
        };
        let mut admin = ::postgres::Client::connect(&fresh.spec, ::postgres::NoTls).unwrap();
        let texts = [
            "Floods closed the northern road.",
            "Floods closed the southern road.",
            "Floods closed the eastern road.",
            "Floods closed the western road.",
            "Floods closed the coastal road.",
        ];
        let all: Vec<Record> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| rec(t, &format!("https://x.test/{i}"), "X", "2024-03-01"))
            .collect();
        let id = |i: usize| all[i].id.clone();
        // A pass over what is pending, every record under band key (0, 7).
        let pass = |s: &mut Box<dyn Store>| {
            s.begin_dedup_pass().unwrap();
            let pending = s.pending(10).unwrap();
            s.begin_dedup_batch().unwrap();
            for p in &pending {
                s.apply_dedup(&DedupWrite {
                    record_id: p.record_id.clone(),
                    band_keys: vec![(0, 7), (1, p.record_id.len() as u64)],
                    ..DedupWrite::default()
                })
                .unwrap();
            }
            s.end_dedup_batch(true).unwrap();
            s.end_dedup_pass().unwrap();
        };
        let found = |s: &mut Box<dyn Store>| -> Vec<String> {
            s.begin_dedup_pass().unwrap();
            let each = s.lsh_candidates_each(&[vec![(0, 7)]]).unwrap();
            s.end_dedup_pass().unwrap();
            each.into_iter().flatten().map(|c| c.id).collect()
        };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let mut s = fresh.open();
        s.commit(&records(all[..3].to_vec())).unwrap();
        pass(&mut s);
        // Another process's pass adds a record's band keys.
        let mut other = fresh.open();
        other.commit(&records(vec![all[3].clone()])).unwrap();
        pass(&mut other);
        // A third loads all four when its first pass begins.
        let mut t = fresh.open();
        assert_eq!(found(&mut t), sorted((0..4).map(id).collect()));
        // The first sees the other's record: its memory was dropped.
        assert_eq!(found(&mut s), sorted((0..4).map(id).collect()));
        // The third writes one more; then rows vanish from the server
        // without a generation number (no pass would do that).
        t.commit(&records(vec![all[4].clone()])).unwrap();
        pass(&mut t);
        admin
            .execute("DELETE FROM lsh WHERE record_id = ANY($1)", &[&vec![id(3), id(4)]])
            .unwrap();
        // The third still finds them, with their signatures and clusters;
        // the first asks the server.
        t.begin_dedup_pass().unwrap();
        let cands = t.lsh_candidates_each(&[vec![(0, 7)], vec![(9, 9)]]).unwrap();
        t.end_dedup_pass().unwrap();
        let ids: Vec<String> = cands[0].iter().map(|c| c.id.clone()).collect();
        assert_eq!(ids, sorted((0..5).map(id).collect()));
        assert!(cands[1].is_empty());
        let policy = gleaner_dedup::Policy::default();
        for c in &cands[0] {
            let r = all.iter().find(|r| r.id == c.id).unwrap();
            assert_eq!(c.signature, policy.fingerprint(&r.text).signature, "{}", c.id);
            assert_eq!(Some(c.cluster.clone()), t.cluster_of(&c.id).unwrap());
        }
        assert_eq!(found(&mut s), sorted((0..3).map(id).collect()));
    }

    /// The search words the writer makes are the ones the server's own
    /// `to_tsvector` made before, on prose of plain words (where the two
    /// split alike: no hyphens, decimals or addresses), positions and
    /// weights included; and a search finds the record by any of them.
    #[test]
    fn the_writers_search_words_are_the_servers_on_plain_prose() {
        let Some(fresh) = Fresh::new(Backend::Postgres, "tsv") else {
            return;
        };
        let mut s = fresh.open();
        let texts = [
            (
                "Floods in Hyesan",
                "The floods, the rain; Hyesan's 2020 floods. Über Straße: ÉTÉ été!",
            ),
            (
                "",
                "Word word WORD, and 300 more words (in brackets) \"quoted\" — dashes.",
            ),
            ("Один два", "Три четыре пять, один. 北朝鮮 平壌"),
        ];
        // Past the server's limits: more positions than a word keeps, and
        // words past the last position.
        let (many, repeated) = (
            (0..20_000).map(|i| format!("w{i} ")).collect::<String>(),
            "word ".repeat(20_000),
        );
        let texts = [
            texts[0],
            texts[1],
            texts[2],
            ("Many", many.as_str()),
            ("Repeated", repeated.as_str()),
        ];
        let batch: Vec<Record> = texts
            .iter()
            .enumerate()
            .map(|(i, (title, text))| {
                let mut r = rec(text, &format!("https://tsv.test/{i}"), "Wire", "2020-01-01");
                r.title = (!title.is_empty()).then(|| title.to_string());
                r
            })
            .collect();
        s.commit(&records(batch)).unwrap();
        let mut admin = ::postgres::Client::connect(&fresh.spec, ::postgres::NoTls).unwrap();
        let rows = admin
            .query(
                "SELECT tsv::TEXT, (setweight(to_tsvector('simple', coalesce(title, '')), 'A')
                                    || setweight(to_tsvector('simple', text), 'B'))::TEXT FROM records",
                &[],
            )
            .unwrap();
        assert_eq!(rows.len(), 5);
        for row in rows {
            let (ours, servers): (String, String) = (row.get(0), row.get(1));
            assert_eq!(ours, servers);
        }
        for q in [
            "hyesan",
            "STRASSE",
            "straße",
            "été",
            "quoted",
            "平壌",
            "ПЯТЬ",
            "floods 2020",
        ] {
            let hits = s
                .search(&SearchQuery {
                    text: Some(q.into()),
                    ..SearchQuery::default()
                })
                .unwrap();
            let want = usize::from(q != "STRASSE");
            assert_eq!(hits.len(), want, "{q}");
        }
    }

    /// The pass refreshes the planner's statistics of the tables it reads as
    /// they grow: a first ingest would otherwise keep the plans made for
    /// empty tables (a full scan of `lsh` per record) until autovacuum,
    /// switched off here, got round to them.
    #[test]
    fn the_dedup_pass_measures_its_tables_as_they_grow() {
        let Some(fresh) = Fresh::new(Backend::Postgres, "stats") else {
            return;
        };
        let mut admin = ::postgres::Client::connect(&fresh.spec, ::postgres::NoTls).unwrap();
        let mut s = fresh.open();
        admin
            .batch_execute(
                "ALTER TABLE lsh SET (autovacuum_enabled = false);
                 ALTER TABLE signatures SET (autovacuum_enabled = false);",
            )
            .unwrap();
        let measured = |admin: &mut ::postgres::Client| -> (i64, i64) {
            let row = admin
                .query_one(
                    "SELECT (SELECT reltuples FROM pg_class WHERE oid = 'signatures'::regclass)::BIGINT,
                            (SELECT reltuples FROM pg_class WHERE oid = 'lsh'::regclass)::BIGINT",
                    &[],
                )
                .unwrap();
            (row.get(0), row.get(1))
        };
        facet_store(s.as_mut());
        assert!(measured(&mut admin).0 <= 0, "nothing has measured the table yet");
        let mut handled = 0;
        loop {
            let pending = s.pending(100).unwrap();
            if pending.is_empty() {
                break;
            }
            s.begin_dedup_batch().unwrap();
            for p in pending {
                s.apply_dedup(&DedupWrite {
                    band_keys: (0..4).map(|band| (band, handled as u64)).collect(),
                    record_id: p.record_id,
                    ..DedupWrite::default()
                })
                .unwrap();
                handled += 1;
            }
            s.end_dedup_batch(true).unwrap();
        }
        assert_eq!(handled, 600);
        let (signatures, lsh) = measured(&mut admin);
        // Measured once at least 256 records were written (after the third
        // group of 100), when all 600 were stored.
        assert!(signatures >= 512, "signatures measured at {signatures} rows");
        assert!(lsh >= 4 * 256, "lsh measured at {lsh} rows");
    }
}

/// What a generated record of [`facet_store`] is filed under.
struct Filed {
    url: String,
    publisher: String,
    published: Option<String>,
    countries: Vec<&'static str>,
    types: Vec<&'static str>,
}

/// A store of a few hundred records whose words, countries, event types,
/// publishers and dates overlap in every proportion, from nearly all to
/// none (so every way a filtered search can be answered gets used), with
/// dates that tie, months without a day and undated records.
fn facet_store(s: &mut dyn Store) -> Vec<Filed> {
    let mut filed = Vec::new();
    let mut batch = Vec::new();
    for i in 0..600usize {
        let mut words = vec![format!("Report {i} of the week.")];
        for (word, every) in [("common", 1), ("half", 2), ("third", 3), ("tenth", 10), ("rare", 97)] {
            if i % every == 0 {
                words.push(format!("A {word} word."));
            }
        }
        let published = match i % 13 {
            0 => None,
            1 => Some(format!("20{:02}-0{}", 20 + i % 5, 1 + i % 9)),
            _ => Some(format!("20{:02}-0{}-{:02}", 20 + i % 5, 1 + i % 9, 1 + i % 27)),
        };
        let publisher = ["Wire", "Courier", "Post", "Herald"][i % 4].to_string();
        let mut countries = Vec::new();
        let mut places: Vec<(&str, &str, f64, f64)> = Vec::new();
        for (name, country, every) in [
            ("Lisbon", "PT", 2),
            ("Porto", "PT", 5),
            ("Hyesan", "KP", 7),
            ("Lima", "PE", 89),
        ] {
            if i % every == 0 {
                places.push((name, country, 1.0, 2.0));
                if !countries.contains(&country) {
                    countries.push(country);
                }
            }
        }
        // Most records mention a place in the country every other one has.
        if i % 9 != 4 && !countries.contains(&"US") {
            places.push(("Denver", "US", 39.7, -105.0));
            countries.push("US");
        }
        let types: Vec<&str> = [("protest", 2), ("strike", 11), ("flood", 101)]
            .into_iter()
            .filter(|(_, every)| i % every == 0)
            .map(|(t, _)| t)
            .collect();
        let url = format!("https://f.test/{i}");
        let mut r = placed(rec(&words.join(" "), &url, &publisher, "2000-01-01"), &places, &types);
        r.published = published.clone();
        for e in &mut r.events {
            e.date = published.clone();
        }
        batch.push(r);
        filed.push(Filed {
            url,
            publisher,
            published,
            countries,
            types,
        });
    }
    s.commit(&records(batch)).unwrap();
    filed
}

/// A filtered search returns what filtering all its unfiltered results
/// returns, in the same order, page by page, whichever plan answers it:
/// each filter (country, type, publisher, dates) alone and together, with
/// words common and rare, newest and oldest first. Facet counts are the
/// counts over the same filtered results.
fn filtered_search_equals_filtering_the_full_results(b: Backend) {
    let Some(fresh) = Fresh::new(b, "facets") else { return };
    let mut s = fresh.open();
    let filed = facet_store(s.as_mut());
    let by_url: std::collections::HashMap<&str, &Filed> = filed.iter().map(|f| (f.url.as_str(), f)).collect();
    type Filter = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );
    // (country, type, publisher, from, to)
    let filters: &[Filter] = &[
        (Some("US"), None, None, None, None),
        (Some("PT"), None, None, None, None),
        (Some("KP"), None, None, None, None),
        (Some("PE"), None, None, None, None),
        (Some("ZZ"), None, None, None, None),
        (None, Some("protest"), None, None, None),
        (None, Some("flood"), None, None, None),
        (None, None, Some("Herald"), None, None),
        (None, None, None, Some("2022-03"), None),
        (None, None, None, None, Some("2021-02")),
        (None, None, None, Some("2023"), Some("2023-05-10")),
        (Some("US"), Some("protest"), None, None, None),
        (Some("KP"), Some("strike"), Some("Wire"), None, None),
        (Some("PT"), None, Some("Courier"), Some("2021"), Some("2023")),
        // A facet filter with a date bound: newest first, a walk within the
        // dates without the estimate of undated searches.
        (Some("US"), None, None, Some("2022"), None),
        (None, Some("protest"), None, None, Some("2023-05")),
        (
            Some("US"),
            Some("protest"),
            Some("Post"),
            Some("2020-05"),
            Some("2024-02-14"),
        ),
    ];
    for text in [
        None,
        Some("common"),
        Some("half"),
        Some("tenth"),
        Some("rare"),
        Some("third tenth"),
        Some("absent"),
    ] {
        for sort in [SortOrder::Newest, SortOrder::Oldest, SortOrder::Relevance] {
            let all = s
                .search(&SearchQuery {
                    text: text.map(str::to_string),
                    sort,
                    limit: 10_000,
                    ..SearchQuery::default()
                })
                .unwrap();
            for &(country, kind, publisher, from, to) in filters {
                let keep = |h: &&gleaner_store::Hit| {
                    let f = by_url[h.url.as_deref().unwrap()];
                    let p = f.published.as_deref();
                    country.is_none_or(|c| f.countries.contains(&c))
                        && kind.is_none_or(|k| f.types.contains(&k))
                        && publisher.is_none_or(|x| f.publisher == x)
                        && from.is_none_or(|d| p.is_some_and(|p| p >= d))
                        && to.is_none_or(|d| p.is_some_and(|p| p <= format!("{d}\u{10ffff}").as_str()))
                };
                let expected: Vec<&gleaner_store::Hit> = all.iter().filter(keep).collect();
                let mut q = SearchQuery {
                    text: text.map(str::to_string),
                    country: country.map(str::to_string),
                    event_type: kind.map(str::to_string),
                    publisher: publisher.map(str::to_string),
                    from: from.map(str::to_string),
                    to: to.map(str::to_string),
                    sort,
                    limit: 10_000,
                    ..SearchQuery::default()
                };
                let got = s.search(&q).unwrap();
                let what = format!("{text:?} {sort:?} {country:?} {kind:?} {publisher:?} {from:?} {to:?}");
                assert_eq!(got.iter().collect::<Vec<_>>(), expected, "{what}");
                for (offset, limit) in [(0, 1), (0, 21), (3, 5), (40, 21), (expected.len().saturating_sub(2), 5)] {
                    q.offset = offset;
                    q.limit = limit;
                    let page = s.search(&q).unwrap();
                    let want: Vec<&gleaner_store::Hit> = expected.iter().skip(offset).take(limit).copied().collect();
                    assert_eq!(
                        page.iter().collect::<Vec<_>>(),
                        want,
                        "{what} offset {offset} limit {limit}"
                    );
                }
                if sort != SortOrder::Newest {
                    continue;
                }
                q.offset = 0;
                let counted = |values: &dyn Fn(&Filed) -> Vec<String>| {
                    let mut n: std::collections::BTreeMap<String, u64> = Default::default();
                    for h in &expected {
                        for v in values(by_url[h.url.as_deref().unwrap()]) {
                            *n.entry(v).or_default() += 1;
                        }
                    }
                    let mut n: Vec<(String, u64)> = n.into_iter().collect();
                    n.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    n.truncate(3);
                    n
                };
                let countries = counted(&|f| f.countries.iter().map(|c| c.to_string()).collect());
                let types = counted(&|f| f.types.iter().map(|c| c.to_string()).collect());
                let publishers = counted(&|f| vec![f.publisher.clone()]);
                assert_eq!(
                    s.facet(&q, Facet::Country, 3).unwrap(),
                    countries,
                    "country facet of {what}"
                );
                assert_eq!(s.facet(&q, Facet::EventType, 3).unwrap(), types, "type facet of {what}");
                assert_eq!(
                    s.facet(&q, Facet::Publisher, 3).unwrap(),
                    publishers,
                    "publisher facet of {what}"
                );
                // All at once (what the server asks), in the order asked.
                assert_eq!(
                    s.facets(
                        &q,
                        &[Facet::Publisher, Facet::Country, Facet::Language, Facet::EventType],
                        3
                    )
                    .unwrap(),
                    [publishers, countries, counted(&|_| vec!["en".to_string()]), types],
                    "facets of {what}"
                );
            }
        }
    }
}

/// When a copy of a stored record replaces it (see `prefer_copy`), the
/// filters and facet counts follow the new copy's places and event types,
/// not the old one's.
fn a_replacing_copy_is_filtered_by_its_own_places(b: Backend) {
    let Some(fresh) = Fresh::new(b, "replace") else { return };
    let mut s = fresh.open();
    let text = "Ferries stopped at the harbour by a strike.";
    let old = placed(
        rec(text, "https://z.test/late", "Post", "2024-04-18"),
        &[("Lisbon", "PT", 38.7, -9.1)],
        &["strike"],
    );
    s.commit(&records(vec![old])).unwrap();
    // The smaller address wins: this copy replaces the stored one.
    let new = placed(
        rec(text, "https://a.test/early", "Post", "2024-04-18"),
        &[("Quito", "EC", -0.2, -78.5)],
        &["protest"],
    );
    s.commit(&records(vec![new])).unwrap();
    let found = |country: Option<&str>, kind: Option<&str>, text: Option<&str>| {
        urls(s.search(&SearchQuery {
            text: text.map(str::to_string),
            country: country.map(str::to_string),
            event_type: kind.map(str::to_string),
            limit: 10,
            ..SearchQuery::default()
        }))
    };
    for text in [None, Some("harbour")] {
        assert_eq!(found(Some("EC"), None, text), ["https://a.test/early"], "{text:?}");
        assert_eq!(found(None, Some("protest"), text), ["https://a.test/early"], "{text:?}");
        assert!(found(Some("PT"), None, text).is_empty(), "{text:?}");
        assert!(found(None, Some("strike"), text).is_empty(), "{text:?}");
        let q = SearchQuery {
            text: text.map(str::to_string),
            limit: 10,
            ..SearchQuery::default()
        };
        assert_eq!(s.facet(&q, Facet::Country, 10).unwrap(), [("EC".to_string(), 1)]);
        assert_eq!(s.facet(&q, Facet::EventType, 10).unwrap(), [("protest".to_string(), 1)]);
    }
}

/// When a copy of a stored record replaces it (see `prefer_copy`), a search
/// by fetch time finds it by the new copy's time, not the old one's.
fn a_replacing_copy_is_found_by_its_own_fetch_time(b: Backend) {
    let Some(fresh) = Fresh::new(b, "replace_fetched") else {
        return;
    };
    let mut s = fresh.open();
    let text = "Ferries stopped at the harbour by a strike.";
    let mut old = rec(text, "https://z.test/late", "Post", "2024-04-18");
    old.fetched_at = Some("2026-01-01T10:00:00Z".into());
    s.commit(&records(vec![old])).unwrap();
    // The smaller address wins: this copy replaces the stored one.
    let mut new = rec(text, "https://a.test/early", "Post", "2024-04-18");
    new.fetched_at = Some("2026-03-01T10:00:00Z".into());
    s.commit(&records(vec![new])).unwrap();
    let since = |from: &str| {
        urls(s.search(&SearchQuery {
            fetched_from: Some(from.into()),
            limit: 10,
            ..SearchQuery::default()
        }))
    };
    assert_eq!(since("2026-02-01"), ["https://a.test/early"]);
    assert!(since("2026-04-01").is_empty());
}
