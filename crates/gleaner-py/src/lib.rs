//! `gleaner._gleaner`: the native half of the `gleaner` Python package.
//!
//! Thin bindings over `gleaner-ingest`, so a record made in Python is the
//! record the CLI prints, byte for byte before `json.loads`, and an ingest
//! from Python is the CLI's ingest. The Python half
//! (`python/gleaner/`) holds the exception classes, docstrings the user sees
//! and type hints; this module raises those exceptions by name.
//!
//! Work runs with the GIL released (`py.allow_threads`): extraction, analysis,
//! WARC reading and serialising records to JSON. Only taking items from a
//! Python iterable and turning JSON into dicts hold it.

use std::collections::VecDeque;
use std::path::PathBuf;

use gleaner_ingest::{
    map_ordered, process_bytes, process_item, Failure, IngestOptions, ItemFailure, Outcome, Silent, WarcRecords,
    Workers,
};
use gleaner_read::{ReadError, ReadLimits, DEFAULT_MAX_BYTES};
use gleaner_record::flat;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyIterator, PyString, PyTuple};

/// One page handed over from Python: its bytes, its address, and whether it
/// came as `str` (then it is UTF-8 by construction and says so to the decoder).
struct Content {
    bytes: Vec<u8>,
    url: Option<String>,
    is_text: bool,
}

/// `str`, `bytes` or `bytearray` → bytes (and whether it was text).
fn content_bytes(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<u8>, bool)> {
    if let Ok(s) = obj.downcast::<PyString>() {
        Ok((s.to_str()?.as_bytes().to_vec(), true))
    } else if let Ok(b) = obj.downcast::<PyBytes>() {
        Ok((b.as_bytes().to_vec(), false))
    } else if let Ok(b) = obj.downcast::<PyByteArray>() {
        Ok((b.to_vec(), false))
    } else {
        Err(PyTypeError::new_err(format!(
            "a page must be str, bytes or bytearray, not {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| "?".into())
        )))
    }
}

/// An `extract_many` item: a page, or a `(page, url)` pair.
fn content_item(obj: &Bound<'_, PyAny>) -> PyResult<Content> {
    if let Ok(t) = obj.downcast::<PyTuple>() {
        if t.len() != 2 {
            return Err(PyTypeError::new_err(format!(
                "a (content, url) pair has 2 items, this tuple has {}",
                t.len()
            )));
        }
        let (bytes, is_text) = content_bytes(&t.get_item(0)?)?;
        let url = t.get_item(1)?;
        let url = if url.is_none() {
            None
        } else {
            Some(url.extract::<String>()?)
        };
        return Ok(Content { bytes, url, is_text });
    }
    let (bytes, is_text) = content_bytes(obj)?;
    Ok(Content {
        bytes,
        url: None,
        is_text,
    })
}

/// What a page became, serialised by the workers (so the JSON is made
/// without the GIL): a record, or why it failed.
type PageOutcome = Result<String, Failure>;

fn run_page(c: Content, source: &str, limits: ReadLimits, analyse: bool) -> PageOutcome {
    let charset = c.is_text.then_some("utf-8");
    let done = process_bytes(c.bytes, source, c.url.as_deref(), charset, limits, analyse)?;
    serde_json::to_string(&done.record).map_err(|e| Failure {
        category: "internal",
        message: e.to_string(),
    })
}

/// `json.loads`, looked up once.
fn json_loads(py: Python<'_>, json: &str) -> PyResult<PyObject> {
    static LOADS: GILOnceCell<PyObject> = GILOnceCell::new();
    let loads = LOADS.get_or_try_init(py, || Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind()))?;
    Ok(loads.bind(py).call1((json,))?.unbind())
}

/// An exception class from `gleaner._errors`, built with `message` and the
/// given attributes set on it.
fn gleaner_error(py: Python<'_>, class: &str, message: String, attrs: &[(&str, PyObject)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = py.import("gleaner._errors")?.getattr(class)?;
        let exc = cls.call1((message.clone(),))?;
        for (name, value) in attrs {
            exc.setattr(*name, value)?;
        }
        Ok(PyErr::from_value(exc))
    };
    // If the Python half is missing (a broken install), say so rather than
    // losing the original message.
    build().unwrap_or_else(|e| e)
}

fn extract_error(py: Python<'_>, f: Failure, source: &str, url: Option<&str>, index: Option<usize>) -> PyErr {
    let at = match index {
        Some(i) => format!("item {i} ({source})"),
        None => source.to_string(),
    };
    gleaner_error(
        py,
        "ExtractError",
        format!("{at}: {}: {}", f.category, f.message),
        &[
            (
                "category",
                f.category
                    .into_pyobject(py)
                    .map(|o| o.into_any().unbind())
                    .unwrap_or_else(|_| py.None()),
            ),
            (
                "reason",
                f.message
                    .into_pyobject(py)
                    .map(|o| o.into_any().unbind())
                    .unwrap_or_else(|_| py.None()),
            ),
            (
                "source",
                source
                    .into_pyobject(py)
                    .map(|o| o.into_any().unbind())
                    .unwrap_or_else(|_| py.None()),
            ),
            (
                "url",
                url.into_pyobject(py)
                    .map(|o| o.into_any().unbind())
                    .unwrap_or_else(|_| py.None()),
            ),
            (
                "index",
                index
                    .into_pyobject(py)
                    .map(|o| o.into_any().unbind())
                    .unwrap_or_else(|_| py.None()),
            ),
        ],
    )
}

/// Turns a page into a record dict. See `gleaner.extract` for the docs.
#[pyfunction]
#[pyo3(signature = (content, url=None, *, source="-", analyse=true, max_bytes=DEFAULT_MAX_BYTES))]
fn extract(
    py: Python<'_>,
    content: &Bound<'_, PyAny>,
    url: Option<String>,
    source: &str,
    analyse: bool,
    max_bytes: u64,
) -> PyResult<PyObject> {
    let (bytes, is_text) = content_bytes(content)?;
    let limits = ReadLimits { max_bytes };
    let made = py.allow_threads(|| {
        run_page(
            Content {
                bytes,
                url: url.clone(),
                is_text,
            },
            source,
            limits,
            analyse,
        )
    });
    match made {
        Ok(json) => json_loads(py, &json),
        Err(f) => Err(extract_error(py, f, source, url.as_deref(), None)),
    }
}

/// The iterator `extract_many` returns.
#[pyclass(module = "gleaner._gleaner")]
struct RecordStream {
    items: Py<PyIterator>,
    jobs: usize,
    chunk: usize,
    source: String,
    analyse: bool,
    limits: ReadLimits,
    errors_raise: bool,
    /// Results made but not yet handed out: (index, url, result).
    ready: VecDeque<(usize, Option<String>, PageOutcome)>,
    next_index: usize,
    exhausted: bool,
    /// An error met while taking items (the iterable raised, or an item of
    /// the wrong type), raised once the items taken before it are handed out,
    /// so none of those is lost.
    deferred: Option<PyErr>,
}

#[pymethods]
impl RecordStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>, py: Python<'_>) -> PyResult<Option<PyObject>> {
        if slf.ready.is_empty() {
            if let Some(e) = slf.deferred.take() {
                return Err(e);
            }
        }
        if slf.ready.is_empty() && !slf.exhausted {
            // Take the next chunk from the iterable (this needs the GIL), then
            // extract it on `jobs` threads without it.
            let mut batch = Vec::with_capacity(slf.chunk);
            let mut urls = Vec::with_capacity(slf.chunk);
            let items = slf.items.bind(py).clone();
            let first = slf.next_index;
            let mut bad_item = false;
            let mut ended = true;
            for obj in items {
                let item = match obj {
                    Ok(obj) => obj,
                    Err(e) => {
                        // The iterable itself failed: nothing comes after.
                        slf.deferred = Some(e);
                        break;
                    }
                };
                match content_item(&item) {
                    Ok(c) => {
                        urls.push(c.url.clone());
                        batch.push(c);
                    }
                    Err(e) => {
                        // A bad item: raised in its place; the stream goes on after it.
                        let at = first + batch.len();
                        slf.deferred = Some(if e.is_instance_of::<PyTypeError>(py) {
                            PyTypeError::new_err(format!("item {at}: {}", e.value(py)))
                        } else {
                            e
                        });
                        bad_item = true;
                        ended = false;
                        break;
                    }
                }
                if batch.len() >= slf.chunk {
                    ended = false;
                    break;
                }
            }
            if ended {
                slf.exhausted = true;
            }
            let (jobs, limits, analyse) = (slf.jobs, slf.limits, slf.analyse);
            let source = slf.source.clone();
            let made = py.allow_threads(|| {
                map_ordered(batch, Workers::from_jobs(Some(jobs)), |c| {
                    run_page(c, &source, limits, analyse)
                })
            });
            slf.next_index = first + made.len() + usize::from(bad_item);
            for (i, (m, url)) in made.into_iter().zip(urls).enumerate() {
                slf.ready.push_back((first + i, url, m));
            }
        }
        let Some((index, url, made)) = slf.ready.pop_front() else {
            return match slf.deferred.take() {
                Some(e) => Err(e),
                None => Ok(None),
            };
        };
        match made {
            Ok(json) => json_loads(py, &json).map(Some),
            Err(f) if slf.errors_raise => Err(extract_error(py, f, &slf.source, url.as_deref(), Some(index))),
            Err(f) => {
                let row = PyDict::new(py);
                row.set_item("error", f.category)?;
                row.set_item("reason", f.message)?;
                row.set_item("input", &slf.source)?;
                row.set_item("index", index)?;
                row.set_item("url", url)?;
                Ok(Some(row.into_any().unbind()))
            }
        }
    }
}

/// Many pages → records, in input order. See `gleaner.extract_many`.
#[pyfunction]
#[pyo3(signature = (items, *, jobs=None, source="-", analyse=true, max_bytes=DEFAULT_MAX_BYTES, errors="raise"))]
fn extract_many(
    items: &Bound<'_, PyAny>,
    jobs: Option<usize>,
    source: &str,
    analyse: bool,
    max_bytes: u64,
    errors: &str,
) -> PyResult<RecordStream> {
    let errors_raise = parse_errors(errors, "raise")?;
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    Ok(RecordStream {
        items: PyIterator::from_object(items)?.unbind(),
        jobs,
        // A few pages per worker per round keeps workers busy while a slow
        // page finishes, without reading far ahead of the consumer.
        chunk: jobs * 4,
        source: source.to_string(),
        analyse,
        limits: ReadLimits { max_bytes },
        errors_raise,
        ready: VecDeque::new(),
        next_index: 0,
        exhausted: false,
        deferred: None,
    })
}

/// `"raise"`/`"return"` (extract_many) or `"yield"`/`"skip"` (read_warc) → whether errors are rows.
fn parse_errors(value: &str, raise_word: &str) -> PyResult<bool> {
    match value {
        "raise" if raise_word == "raise" => Ok(true),
        "return" if raise_word == "raise" => Ok(false),
        "yield" if raise_word == "skip" => Ok(false),
        "skip" if raise_word == "skip" => Ok(true),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "errors must be {}, not {other:?}",
            if raise_word == "raise" {
                "'raise' or 'return'"
            } else {
                "'yield' or 'skip'"
            }
        ))),
    }
}

/// What a WARC item became, serialised by the workers: a record's JSON or
/// the item's failure (the error row).
enum ItemOutcome {
    Record(String),
    Error(ItemFailure),
}

/// The iterator `read_warc` returns.
#[pyclass(module = "gleaner._gleaner")]
struct WarcStream {
    /// `None` once the archive is read to the end. The mutex is only there
    /// because pyo3 wants classes `Sync`; one `__next__` at a time uses it.
    reader: std::sync::Mutex<Option<WarcRecords>>,
    path: String,
    jobs: usize,
    chunk: usize,
    skip_errors: bool,
    ready: VecDeque<ItemOutcome>,
}

fn error_row(py: Python<'_>, path: &str, e: ItemFailure) -> PyResult<PyObject> {
    let row = PyDict::new(py);
    row.set_item("error", e.category)?;
    row.set_item("reason", e.reason)?;
    row.set_item("input", path)?;
    row.set_item("offset", e.offset)?;
    row.set_item("record", e.record)?;
    Ok(row.into_any().unbind())
}

#[pymethods]
impl WarcStream {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(mut slf: PyRefMut<'_, Self>, py: Python<'_>) -> PyResult<Option<PyObject>> {
        loop {
            if let Some(row) = slf.ready.pop_front() {
                match row {
                    ItemOutcome::Record(json) => return json_loads(py, &json).map(Some),
                    ItemOutcome::Error(_) if slf.skip_errors => continue,
                    ItemOutcome::Error(e) => return error_row(py, &slf.path, e).map(Some),
                }
            }
            let (jobs, chunk) = (slf.jobs, slf.chunk);
            let this = &mut *slf;
            let mut guard = this.reader.lock().unwrap_or_else(|p| p.into_inner());
            let Some(reader) = guard.as_mut() else { return Ok(None) };
            let rows = py.allow_threads(|| {
                let mut items = Vec::with_capacity(chunk);
                while items.len() < chunk {
                    match reader.next_item() {
                        Some(item) => items.push(item),
                        None => break,
                    }
                }
                let done = items.len() < chunk;
                let source = reader.source();
                let rows = map_ordered(items, Workers::from_jobs(Some(jobs)), |item| {
                    match process_item(item, &source) {
                        Outcome::Record { record, offset } => match serde_json::to_string(&record) {
                            Ok(json) => Some(ItemOutcome::Record(json)),
                            Err(e) => Some(ItemOutcome::Error(ItemFailure {
                                offset,
                                record: record.input.warc_record_id.clone(),
                                category: "internal",
                                reason: e.to_string(),
                            })),
                        },
                        Outcome::Error(e) => Some(ItemOutcome::Error(e)),
                        // WARC readers yield no addresses without content.
                        Outcome::Pending(_) => None,
                    }
                });
                (rows, done)
            });
            let (rows, done) = rows;
            if done {
                *guard = None;
            }
            drop(guard);
            this.ready.extend(rows.into_iter().flatten());
        }
    }
}

/// A WARC archive → record dicts and error rows. See `gleaner.read_warc`.
#[pyfunction]
#[pyo3(signature = (path, *, jobs=1, source=None, analyse=true, max_bytes=DEFAULT_MAX_BYTES, errors="yield"))]
fn read_warc(
    py: Python<'_>,
    path: PathBuf,
    jobs: usize,
    source: Option<String>,
    analyse: bool,
    max_bytes: u64,
    errors: &str,
) -> PyResult<WarcStream> {
    let skip_errors = parse_errors(errors, "skip")?;
    let name = source.unwrap_or_else(|| path.display().to_string());
    let limits = ReadLimits { max_bytes };
    let opened = py.allow_threads(|| gleaner_ingest::read_warc(&path, &name, limits, analyse));
    let reader = opened.map_err(|e| {
        let message = format!("{}: {}", path.display(), e);
        let class = if matches!(e, ReadError::NotFound) {
            "WarcNotFoundError"
        } else {
            "WarcOpenError"
        };
        let category = Failure::from(e).category;
        gleaner_error(
            py,
            class,
            message,
            &[
                (
                    "path",
                    name.clone()
                        .into_pyobject(py)
                        .map(|o| o.into_any().unbind())
                        .unwrap_or_else(|_| py.None()),
                ),
                (
                    "category",
                    category
                        .into_pyobject(py)
                        .map(|o| o.into_any().unbind())
                        .unwrap_or_else(|_| py.None()),
                ),
            ],
        )
    })?;
    let jobs = jobs.max(1);
    Ok(WarcStream {
        reader: std::sync::Mutex::new(Some(reader)),
        path: name,
        jobs,
        chunk: if jobs == 1 { 1 } else { jobs * 4 },
        skip_errors,
        ready: VecDeque::new(),
    })
}

/// Ingests files, directories or WARC archives into a store, as `gleaner
/// ingest` does. See `gleaner.ingest`.
#[pyfunction]
#[pyo3(signature = (inputs, *, db="gleaner.db", jobs=None, analyse=true, max_bytes=DEFAULT_MAX_BYTES))]
fn ingest(
    py: Python<'_>,
    inputs: Vec<String>,
    db: &str,
    jobs: Option<usize>,
    analyse: bool,
    max_bytes: u64,
) -> PyResult<PyObject> {
    let options = IngestOptions {
        jobs,
        max_bytes,
        analyse,
        ..IngestOptions::default()
    };
    let done = py.allow_threads(|| -> Result<String, String> {
        let mut store =
            gleaner_store::open(db).map_err(|e| format!("cannot open the store {}: {e}", gleaner_store::redact(db)))?;
        let summary = gleaner_ingest::ingest(&mut *store, &inputs, &options, &mut Silent).map_err(|e| e.to_string())?;
        serde_json::to_string(&summary).map_err(|e| e.to_string())
    });
    match done {
        Ok(json) => json_loads(py, &json),
        Err(message) => Err(gleaner_error(py, "StoreError", message, &[])),
    }
}

/// A record dict as one flat row, in the order of `FLAT_COLUMNS` (the CSV
/// columns of `gleaner export`; Parquet adds `record`). See `gleaner.flat_row`.
#[pyfunction]
fn flat_row(py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Vec<Option<String>>> {
    let dumps = py.import("json")?.getattr("dumps")?;
    let json: String = dumps.call1((record,))?.extract()?;
    let record: gleaner_record::Record =
        serde_json::from_str(&json).map_err(|e| PyTypeError::new_err(format!("not a gleaner.record/1 record: {e}")))?;
    Ok(flat::row(&record, &[]))
}

/// The native module; `gleaner/__init__.py` re-exports it with docs.
#[pymodule]
fn _gleaner(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_many, m)?)?;
    m.add_function(wrap_pyfunction!(read_warc, m)?)?;
    m.add_function(wrap_pyfunction!(ingest, m)?)?;
    m.add_function(wrap_pyfunction!(flat_row, m)?)?;
    m.add("FLAT_COLUMNS", flat::COLUMNS.to_vec())?;
    m.add("RECORD_COLUMN", flat::RECORD_COLUMN)?;
    m.add("DEFAULT_MAX_BYTES", DEFAULT_MAX_BYTES)?;
    m.add_class::<RecordStream>()?;
    m.add_class::<WarcStream>()?;
    m.add("RECORD_SCHEMA", "gleaner.record/1")?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
