//! The input-format regression corpus (`testdata/inputs`, issue 14): every
//! file through the ingest path, checked against `manifest.json`, whose
//! expectations come from independent readers (warcio, feedparser,
//! ElementTree), never from Gleaner.
//!
//! Per file, by the kind the manifest gives it:
//! - archives: every 2xx HTML/text response warcio lists under a web address
//!   becomes a record or an error (no silent drop); crawler logs under
//!   `metadata:` addresses and WAT metadata are no records; WET conversions
//!   become text records at their target address;
//! - feeds: every feedparser entry becomes a record, a pending address or an
//!   error; an entry matched by its link keeps the feed's title, date and
//!   author; a feed with no entries is no error;
//! - sitemaps, text sitemaps and robots.txt: their addresses are pending;
//! - anything else: no record.
//!
//! And over the whole corpus: no record without text, no record id shared by
//! two files unless listed below with the reason, and a second ingest of the
//! same files into the same store changes nothing.
//!
//! `cargo test -p gleaner-ingest --test inputs_corpus -- --nocapture` prints
//! the totals (files, HTML responses, records, errors, pending, merged inputs).
//!
//! Where Gleaner deliberately differs from the reference readers, the check
//! below says so and why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gleaner_ingest::{ingest, process_item, IngestOptions, ItemSource, Outcome, Silent};
use gleaner_read::{open_items, Input, ReadLimits, SourceKind};
use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/inputs")
}

/// What one file gave.
#[derive(Debug, Default)]
struct Got {
    kind: Option<SourceKind>,
    /// Failure to open the input at all (one error).
    input_error: Option<String>,
    records: Vec<Rec>,
    errors: Vec<(String, String)>,
    pending: Vec<String>,
}

#[derive(Debug, Clone)]
struct Rec {
    id: String,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    authors: Vec<String>,
    kind: gleaner_record::InputKind,
    text: String,
}

fn run_file(path: &Path) -> Got {
    let input = Input::File {
        path: path.to_path_buf(),
        rel: PathBuf::from(path.file_name().unwrap_or_default()),
    };
    let mut got = Got::default();
    let opened = match open_items(&input, 0, ReadLimits::default()) {
        Ok(o) => o,
        Err(e) => {
            got.input_error = Some(e.to_string());
            return got;
        }
    };
    got.kind = Some(opened.kind);
    let display = path.display().to_string();
    let source = ItemSource {
        path: &display,
        kind: opened.kind,
        analyse: false,
    };
    for item in opened.items {
        match process_item(item, &source) {
            Outcome::Record { record, .. } => got.records.push(Rec {
                id: record.id.clone(),
                url: record.url.clone(),
                title: record.title.clone(),
                published: record.published.clone(),
                authors: record.authors.clone(),
                kind: record.input.kind,
                text: record.text.clone(),
            }),
            Outcome::Error(e) => got.errors.push((e.category.to_string(), e.reason)),
            Outcome::Pending(p) => got.pending.push(p.url),
        }
    }
    got
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

fn is_web(u: &str) -> bool {
    u.starts_with("http://") || u.starts_with("https://")
}

fn squash(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Days since 0000-03-01 of a `YYYY-MM-DD` prefix, to compare dates a day apart.
fn day(d: &str) -> Option<i64> {
    let y: i64 = d.get(0..4)?.parse().ok()?;
    let m: i64 = d.get(5..7)?.parse().ok()?;
    let dd: i64 = d.get(8..10)?.parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + dd)
}

/// The checks for one file; each failure is a line naming it.
fn check_file(entry: &Value, got: &Got, fails: &mut Vec<String>) {
    let path = entry["path"].as_str().unwrap_or("");
    let kind = entry["kind"].as_str().unwrap_or("");
    let mut fail = |what: String| fails.push(format!("{path}: {what}"));
    for r in &got.records {
        if gleaner_record::normalise_text(&r.text).is_empty() {
            fail(format!("record {} has no text", r.id));
        }
    }
    if let Some(w) = entry.get("warcio") {
        check_archive(path, kind, w, got, &mut fail);
    } else if kind.starts_with("feed-") || kind.starts_with("other: Atom entry document") {
        // Gleaner reads an Atom entry document (RFC 4287, 4.1.2) as a feed
        // of one entry, as feedparser does; the manifest's kind says "other".
        check_feed(&entry["feedparser"], got, &mut fail);
    } else if kind.starts_with("sitemap-") {
        let sm = &entry["sitemap"];
        let mut want: BTreeSet<String> = BTreeSet::new();
        for k in ["locs", "sitemap_locs", "children_without_loc_text"] {
            for u in sm[k].as_array().into_iter().flatten().filter_map(Value::as_str) {
                want.insert(u.trim().to_string());
            }
        }
        let have: BTreeSet<String> = got.pending.iter().cloned().collect();
        let missing: Vec<&String> = want.difference(&have).collect();
        if !missing.is_empty() {
            fail(format!(
                "{} sitemap addresses not pending, e.g. {:?}",
                missing.len(),
                missing[0]
            ));
        }
        if !got.records.is_empty() {
            fail(format!("a sitemap gave {} records", got.records.len()));
        }
    } else if kind == "robots" {
        let want: BTreeSet<String> = entry["robots"]["sitemap_lines"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
        let have: BTreeSet<String> = got.pending.iter().cloned().collect();
        if want != have || !got.records.is_empty() || !got.errors.is_empty() {
            fail(format!(
                "robots.txt: pending {have:?}, want {want:?}; {} records, errors {:?}",
                got.records.len(),
                got.errors
            ));
        }
    } else if !got.records.is_empty() {
        // Non-feed XML and JSON, other compressions, path lists, damaged or
        // empty gzip: no article.
        fail(format!("{kind}: gave {} records, wants none", got.records.len()));
    }
}

/// Archives whose HTML responses warcio reads but Gleaner reports as errors, and why.
const READ_AS_ERROR: &[(&str, &str)] = &[
    (
        "warc/chatnoir-eu/chatnoir-resiliparse/clipped.warc.gz",
        "the file is cut inside the record: warcio returns the part it has, Gleaner \
         reports the record truncated rather than store part of an article as if whole",
    ),
    (
        "warc/iipc/webarchive-commons/mutliple-headers.warc.gz",
        "the page is a <title> and an empty <body/>: no main text, so no record (docs/record-v1.md)",
    ),
];

fn check_archive(path: &str, kind: &str, w: &Value, got: &Got, fail: &mut impl FnMut(String)) {
    let urls: BTreeSet<&str> = got.records.iter().filter_map(|r| r.url.as_deref()).collect();
    let expected: Vec<String> = html_responses(w);
    // No silent drop: each response is a record, or one of the errors
    // (errors name the WARC-Record-ID, which the manifest does not give).
    let uncovered = expected.iter().filter(|u| !urls.contains(u.as_str())).count();
    // Where warcio read the whole file, every response it read is a record,
    // save where Gleaner deliberately reports an error instead.
    if w["error"].is_null() && uncovered > 0 && !READ_AS_ERROR.iter().any(|(p, _)| *p == path) {
        fail(format!(
            "{uncovered} of {} HTML responses warcio reads are no records",
            expected.len()
        ));
    }
    let errors = got.errors.len() + usize::from(got.input_error.is_some());
    if uncovered > errors {
        fail(format!(
            "{uncovered} of {} HTML responses are neither records nor errors ({errors} errors)",
            expected.len()
        ));
    }
    // The same response stored once per archive is the normal case; more
    // records than warcio's responses would mean something else became one,
    // except where warcio stopped early at damage that Gleaner reads past.
    let conversions = w["conversion_uris"].as_array().map_or(0, Vec::len);
    let text_responses = w["html_responses"].as_array().map_or(0, Vec::len) - expected.len();
    if w["error"].is_null() && got.records.len() > expected.len() + conversions + text_responses {
        fail(format!(
            "{} records, warcio lists {} responses",
            got.records.len(),
            expected.len()
        ));
    }
    if urls.iter().any(|u| u.starts_with("metadata:")) {
        fail("a crawler log under a metadata: address became a record".into());
    }
    if got.records.iter().any(|r| r.kind != gleaner_record::InputKind::Warc) {
        fail("an archive record is not input.kind warc".into());
    }
    if kind == "wat" && !got.records.is_empty() {
        fail("WAT metadata became records".into());
    }
    if kind == "wet" {
        for u in w["conversion_uris"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !urls.contains(u) {
                fail(format!("WET conversion {u} is not a record"));
            }
        }
    }
    if !matches!(got.kind, Some(SourceKind::Warc | SourceKind::Arc)) && !expected.is_empty() {
        fail(format!(
            "read as {:?}, not as an archive ({:?})",
            got.kind, got.input_error
        ));
    }
}

/// The 2xx HTML responses warcio lists under web addresses. Its list also
/// holds `text/plain` ones so that crawler logs can be told from pages;
/// those are left out here: a plain-text response may be a robots.txt,
/// which is no article, and they are checked by the rule that no crawler
/// log becomes a record.
fn html_responses(w: &Value) -> Vec<String> {
    w["html_responses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| s(r, "content_type").is_some_and(|c| c != "text/plain"))
        .filter_map(|r| s(r, "uri"))
        .filter(|u| is_web(u))
        .collect()
}

fn check_feed(fp: &Value, got: &Got, fail: &mut impl FnMut(String)) {
    let entries = fp["entries"].as_array().cloned().unwrap_or_default();
    let accounted = got.records.len() + got.pending.len() + got.errors.len();
    if accounted < entries.len() {
        fail(format!(
            "{} entries (feedparser), {} records + {} pending + {} errors",
            entries.len(),
            got.records.len(),
            got.pending.len(),
            got.errors.len()
        ));
    }
    if entries.is_empty() && fp["bozo"] == Value::Bool(false) && (!got.errors.is_empty() || got.input_error.is_some()) {
        fail(format!(
            "a well-formed feed with no entries gave errors: {:?} {:?}",
            got.errors, got.input_error
        ));
    }
    for e in &entries {
        let Some(link) = s(e, "link").filter(|l| !l.is_empty()) else {
            continue;
        };
        // Gleaner resolves relative links against the feed's own address
        // (feedparser, without a document address, leaves them relative).
        let matches = |u: &str| u == link || (!is_web(&link) && u.ends_with(link.as_str()));
        let rec = got.records.iter().find(|r| r.url.as_deref().is_some_and(matches));
        let pend = got.pending.iter().any(|u| matches(u));
        let Some(rec) = rec else {
            if !pend && got.errors.is_empty() && is_web(&link) {
                fail(format!("entry {link} is neither a record nor pending"));
            }
            continue;
        };
        if let Some(t) = s(e, "title").filter(|t| !t.trim().is_empty()) {
            if rec.title.as_deref().map(squash) != Some(squash(&t)) {
                fail(format!("{link}: title {:?}, feed says {t:?}", rec.title));
            }
        }
        // Gleaner keeps the day the feed wrote (its own time zone);
        // feedparser converts to UTC, which can be a day away.
        let fp_day = s(e, "published").or_else(|| s(e, "updated"));
        if let (Some(want), Some(have)) = (fp_day.as_deref().and_then(day), rec.published.as_deref()) {
            if day(have).is_none_or(|h| (h - want).abs() > 1) {
                fail(format!("{link}: published {have}, feed says {fp_day:?}"));
            }
        } else if fp_day.is_some() && rec.published.is_none() {
            fail(format!("{link}: no date, feed says {fp_day:?}"));
        }
        // An author the feed names is kept; a bare email is no name, and
        // Atom entries without an author inherit the feed's (RFC 4287).
        if let Some(a) = s(e, "author").filter(|a| !a.contains('@') || a.contains('(')) {
            let lower = a.to_lowercase();
            // feedparser's `author` is one of several; one of ours must be it.
            if !rec.authors.iter().any(|n| lower.contains(&n.to_lowercase())) {
                fail(format!("{link}: authors {:?}, feed says {a:?}", rec.authors));
            }
        }
    }
}

#[test]
fn inputs_corpus_matches_the_manifest() {
    let root = corpus();
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).expect("manifest")).expect("json");
    let files = manifest["files"].as_array().expect("files");
    let mut fails = Vec::new();
    // Record id → (file, address) of each record that has it.
    let mut ids: BTreeMap<String, BTreeSet<(String, Option<String>)>> = BTreeMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let (mut html, mut records, mut errors, mut pending) = (0usize, 0usize, 0usize, 0usize);
    let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for entry in files {
        let rel = entry["path"].as_str().expect("path");
        let got = run_file(&root.join(rel));
        check_file(entry, &got, &mut fails);
        html += html_responses(&entry["warcio"]).len();
        records += got.records.len();
        errors += got.errors.len() + usize::from(got.input_error.is_some());
        pending += got.pending.len();
        for (c, _) in &got.errors {
            *by_category.entry(c.clone()).or_default() += 1;
        }
        if got.input_error.is_some() {
            *by_category.entry("(input not opened)".into()).or_default() += 1;
        }
        let kind = got.kind.map_or("(not opened)", |k| k.name());
        *kinds.entry(kind.to_string()).or_default() += 1;
        for r in &got.records {
            ids.entry(r.id.clone())
                .or_default()
                .insert((rel.to_string(), r.url.clone()));
            let norm = gleaner_record::normalise_text(&r.text);
            if let Some(prev) = texts.insert(r.id.clone(), norm.clone()) {
                if prev != norm {
                    fails.push(format!("{rel}: record id {} names two different texts", r.id));
                }
            }
        }
    }
    // Several test suites ship the same page or the same fixture: files with
    // the same article text rightly share its record (the same text at two
    // addresses is one record with two addresses). Unrelated inputs merged
    // would be records whose files hold different texts (checked above), or
    // share a text too short to tell articles apart under different
    // addresses (as every page without text once did, under the id of
    // empty text).
    let (mut merged, mut shared) = (0usize, 0usize);
    for (id, seen) in &ids {
        let in_files: BTreeSet<&String> = seen.iter().map(|(f, _)| f).collect();
        if in_files.len() < 2 {
            continue;
        }
        let words = texts
            .get(id)
            .map_or(0, |t| t.split(' ').filter(|w| !w.is_empty()).count());
        let urls: BTreeSet<&Option<String>> = seen.iter().map(|(_, u)| u).collect();
        if words < gleaner_record::MIN_ID_WORDS && urls.len() > 1 {
            merged += in_files.len() - 1;
            fails.push(format!("record {id} merges unrelated inputs: {seen:?}"));
        } else {
            shared += in_files.len() - 1;
        }
    }
    println!(
        "inputs corpus: {} files, {html} HTML responses (warcio, web addresses), {records} records, {errors} errors, \
         {pending} pending addresses, {merged} inputs merged into another record ({shared} files hold the same \
         article text as another file and share its record)",
        files.len()
    );
    println!("read as: {kinds:?}\nerrors by category: {by_category:?}");
    assert!(fails.is_empty(), "{} failures:\n{}", fails.len(), fails.join("\n"));
}

/// All files into one store, twice: the second run skips every input and
/// adds nothing; every file is accounted for in the first.
#[test]
fn reingesting_the_corpus_changes_nothing() {
    let root = corpus();
    let dir = std::env::temp_dir().join(format!("gleaner-inputs-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("store.db");
    let mut store = gleaner_store::open(db.to_str().expect("utf-8")).expect("store");
    let options = IngestOptions {
        jobs: Some(2),
        analyse: false,
        ..IngestOptions::default()
    };
    // Each file by name: a directory walk would pick files by name and leave
    // out those named as nothing it knows (`xmlSitemap.gz`).
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).expect("manifest")).expect("json");
    let inputs: Vec<String> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|e| e["path"].as_str())
        .map(|p| root.join(p).display().to_string())
        .collect();
    let first = ingest(&mut *store, &inputs, &options, &mut Silent).expect("ingest");
    let stats = store.stats().expect("stats");
    let again = ingest(&mut *store, &inputs, &options, &mut Silent).expect("ingest");
    assert_eq!(again.inputs_skipped, first.inputs, "{again:?}");
    assert_eq!(
        (again.pages, again.new_records, again.errors, again.pending),
        (0, 0, 0, 0)
    );
    let stats2 = store.stats().expect("stats");
    assert_eq!(format!("{stats:?}"), format!("{stats2:?}"));
    assert!(first.new_records > 0 && first.pending > 0, "{first:?}");
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}
