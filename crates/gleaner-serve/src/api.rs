//! The JSON API: routes, handlers and error bodies.
//!
//! Every error is `{"error": {"status": N, "message": "…"}}`. Bad parameters
//! are 400 with a message naming the parameter; a store failure is the only
//! 500, and its message says so.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gleaner_ingest::{IngestOptions, Silent};
use gleaner_read::{name_has_extension, INGEST_EXTENSIONS};
use gleaner_store::query::{Bucket, DEFAULT_SEARCH_LIMIT};
use gleaner_store::{
    EventFilter, Facet, MergedEvent, PlaceCount, PlaceFilter, SearchQuery, SortOrder, Store, StoreError,
};
use serde_json::{json, Value};
use tokio::sync::Mutex as AsyncMutex;

use crate::params::{next_cursor, Params};
use crate::pool::{Pool, PoolError};
use crate::{assets, Config, ServeError};

/// What every handler shares.
#[derive(Clone)]
struct AppState {
    pool: Arc<Pool>,
    db: String,
    token: Option<String>,
    /// One ingest at a time: stores have one writer.
    ingest_lock: Arc<AsyncMutex<()>>,
}

/// An API error: a status and a message for people.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    /// What went wrong.
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(json!({"error": {"status": self.status.as_u16(), "message": self.message}}));
        let mut resp = (self.status, body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

impl From<PoolError> for ApiError {
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Store(e) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("store error: {e}")),
            PoolError::Crashed => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the query failed unexpectedly"),
        }
    }
}

type ApiResult = Result<Response, ApiError>;

/// The whole application: API, OpenAPI document and web app.
pub fn router(config: Config) -> Result<Router, ServeError> {
    let pool = Pool::open(&config.db, config.readers).map_err(|source| ServeError::Store {
        db: config.db.clone(),
        source,
    })?;
    let state = AppState {
        pool,
        db: config.db.clone(),
        token: config.token.clone(),
        ingest_lock: Arc::new(AsyncMutex::new(())),
    };
    let api = Router::new()
        .route("/api/records", get(records))
        .route("/api/records/{id}", get(record))
        .route("/api/records/{id}/copies", get(copies))
        .route("/api/events", get(events))
        .route("/api/places", get(places))
        .route("/api/timeline", get(timeline))
        .route("/api/stats", get(stats))
        .route(
            "/api/ingest",
            post(ingest_upload).layer(DefaultBodyLimit::max(config.max_body)),
        )
        .route("/api/openapi.json", get(assets::openapi))
        .with_state(state);
    Ok(assets::routes()
        .merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::map_response(assets::security_headers)))
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such page or endpoint; the API is described at /api/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed here; see /api/openapi.json",
    )
}

const SEARCH_PARAMS: &[&str] = &["q", "from", "to", "publisher", "lang", "place", "country", "type"];

/// The filters shared by search, facets and the records timeline.
fn search_query(p: &Params) -> Result<SearchQuery, ApiError> {
    Ok(SearchQuery {
        text: p.str("q"),
        from: p.date("from")?,
        to: p.date("to")?,
        publisher: p.str("publisher"),
        language: p.language("lang")?,
        place: p.str("place"),
        country: p.country("country")?,
        event_type: p.str("type"),
        ..SearchQuery::default()
    })
}

async fn records(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let allowed = [SEARCH_PARAMS, &["sort", "limit", "cursor", "facets"]].concat();
    let p = Params::parse(raw.as_deref(), &allowed)?;
    let mut q = search_query(&p)?;
    q.sort = match p.choice("sort", &["relevance", "newest", "oldest"], "relevance")? {
        "newest" => SortOrder::Newest,
        "oldest" => SortOrder::Oldest,
        _ => SortOrder::Relevance,
    };
    let limit = p.number("limit", DEFAULT_SEARCH_LIMIT, 1, 100)?;
    let offset = p.cursor()?;
    q.offset = offset;
    // One more than asked tells whether there is a next page.
    q.limit = limit + 1;
    let with_facets = p.flag("facets")?;
    let (hits, facets) = st
        .pool
        .run(move |s| {
            let hits = s.search(&q)?;
            let facets = if with_facets { Some(facets_of(s, &q)?) } else { None };
            Ok((hits, facets))
        })
        .await?;
    let more = hits.len() > limit;
    let records: Vec<Value> = hits
        .into_iter()
        .take(limit)
        .map(|h| {
            json!({"id": h.id, "title": h.title, "url": h.url, "published": h.published,
                   "publisher": h.publisher, "language": h.language, "snippet": h.snippet})
        })
        .collect();
    let next = next_cursor(offset, records.len(), more);
    let mut body = json!({"records": records, "next": next});
    if let Some(f) = facets {
        body["facets"] = f;
    }
    Ok(Json(body).into_response())
}

fn facets_of(s: &mut dyn Store, q: &SearchQuery) -> Result<Value, StoreError> {
    let mut out = serde_json::Map::new();
    for (name, field) in [
        ("publisher", Facet::Publisher),
        ("lang", Facet::Language),
        ("country", Facet::Country),
        ("type", Facet::EventType),
    ] {
        let counts = s.facet(q, field, 12)?;
        out.insert(
            name.into(),
            counts
                .into_iter()
                .map(|(v, n)| json!({"value": v, "count": n}))
                .collect(),
        );
    }
    Ok(Value::Object(out))
}

/// Record ids are 16 hex digits; 6 or more select by unique prefix.
fn check_id(id: &str) -> Result<String, ApiError> {
    if (6..=16).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("{id:?} is not a record id (6 to 16 hex digits)"),
        ))
    }
}

async fn record(State(st): State<AppState>, UrlPath(id): UrlPath<String>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), &[])?;
    let id = check_id(&id)?;
    let lookup = id.clone();
    match st.pool.run(move |s| s.get(&lookup)).await? {
        Some(stored) => Ok(Json(stored.record).into_response()),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no record {id} (or the prefix is not unique)"),
        )),
    }
}

async fn copies(State(st): State<AppState>, UrlPath(id): UrlPath<String>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), &[])?;
    let id = check_id(&id)?;
    let lookup = id.clone();
    let found = st
        .pool
        .run(move |s| {
            let Some(stored) = s.get(&lookup)? else { return Ok(None) };
            let cluster = s.cluster_of(&stored.record.id)?;
            let members = match &cluster {
                Some(c) => s.cluster_members(c)?,
                None => Vec::new(),
            };
            Ok(Some((stored.record.id, stored.urls, cluster, members)))
        })
        .await?;
    let Some((id, urls, cluster, members)) = found else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no record {id} (or the prefix is not unique)"),
        ));
    };
    let copies: Vec<Value> = members
        .into_iter()
        .filter(|m| m.id != id)
        .map(|m| {
            json!({"id": m.id, "title": m.title, "publisher": m.publisher, "published": m.published,
                   "url": m.url, "similarity": m.similarity})
        })
        .collect();
    Ok(Json(json!({"id": id, "urls": urls, "cluster": cluster, "copies": copies})).into_response())
}

fn event_filter(p: &Params) -> Result<EventFilter, ApiError> {
    Ok(EventFilter {
        kind: p.str("type"),
        place: p.str("place"),
        from: p.date("from")?,
        to: p.date("to")?,
        country: p.country("country")?,
        ..EventFilter::default()
    })
}

fn event_json(m: MergedEvent, coords: &BTreeMap<String, PlaceCount>) -> Value {
    let e = m.event;
    let at = e.place.as_ref().and_then(|p| coords.get(p));
    json!({
        "seq": m.seq, "type": e.kind, "subtype": e.subtype, "actor": e.actor, "target": e.target,
        "place": e.place, "date": e.date, "negated": e.negated, "hedged": e.hedged,
        "evidence": e.evidence, "attributed_to": e.attributed_to,
        "lat": at.map(|p| p.lat), "lon": at.map(|p| p.lon), "country": at.and_then(|p| p.country.clone()),
        "sources": m.sources,
    })
}

async fn events(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(
        raw.as_deref(),
        &["type", "place", "country", "from", "to", "limit", "cursor"],
    )?;
    let mut f = event_filter(&p)?;
    let limit = p.number("limit", 100, 1, 1000)?;
    let offset = p.cursor()?;
    f.offset = offset;
    f.limit = Some(limit + 1);
    let (found, coords) = st
        .pool
        .run(move |s| {
            let found = s.events(&f)?;
            let mut names: Vec<String> = found.iter().filter_map(|m| m.event.place.clone()).collect();
            names.sort();
            names.dedup();
            let coords = if names.is_empty() {
                Vec::new()
            } else {
                s.places(&PlaceFilter {
                    names,
                    limit: usize::MAX >> 1,
                    ..PlaceFilter::default()
                })?
            };
            Ok((found, coords))
        })
        .await?;
    // A name geocoded to several places: the most mentioned one.
    let mut by_name = BTreeMap::new();
    for pc in coords {
        by_name.entry(pc.name.clone()).or_insert(pc);
    }
    let more = found.len() > limit;
    let events: Vec<Value> = found.into_iter().take(limit).map(|m| event_json(m, &by_name)).collect();
    let next = next_cursor(offset, events.len(), more);
    Ok(Json(json!({"events": events, "next": next})).into_response())
}

async fn places(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), &["country", "from", "to", "limit"])?;
    let f = PlaceFilter {
        country: p.country("country")?,
        from: p.date("from")?,
        to: p.date("to")?,
        limit: p.number("limit", 500, 1, 5000)?,
        ..PlaceFilter::default()
    };
    let places = st.pool.run(move |s| s.places(&f)).await?;
    Ok(Json(json!({"places": places})).into_response())
}

async fn timeline(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let p = Params::parse(raw.as_deref(), &["bucket", "type", "place", "country", "from", "to"])?;
    let bucket = p.choice("bucket", Bucket::NAMES, "month")?;
    let bucket = Bucket::parse(bucket).unwrap_or(Bucket::Month);
    let f = event_filter(&p)?;
    let q = SearchQuery {
        from: f.from.clone(),
        to: f.to.clone(),
        place: f.place.clone(),
        country: f.country.clone(),
        event_type: f.kind.clone(),
        ..SearchQuery::default()
    };
    let (events, records) = st
        .pool
        .run(move |s| Ok((s.event_dates(&f)?, s.record_dates(&q)?)))
        .await?;
    let mut series: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut coarser = 0u64;
    for d in events {
        match bucket.of(&d.date) {
            Some(b) => *series.entry((b, d.kind)).or_default() += d.count,
            None => coarser += d.count,
        }
    }
    let mut recs: BTreeMap<String, u64> = BTreeMap::new();
    for d in records {
        if let Some(b) = bucket.of(&d.date) {
            *recs.entry(b).or_default() += d.count;
        }
    }
    let series: Vec<Value> = series
        .into_iter()
        .map(|((b, t), n)| json!({"bucket": b, "type": t, "count": n}))
        .collect();
    let records: Vec<Value> = recs
        .into_iter()
        .map(|(b, n)| json!({"bucket": b, "count": n}))
        .collect();
    Ok(
        Json(json!({"bucket": bucket.name(), "events": series, "records": records, "events_too_coarse": coarser}))
            .into_response(),
    )
}

async fn stats(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), &[])?;
    let s = st.pool.run(|s| s.stats()).await?;
    let pairs = |v: Vec<(String, u64)>| {
        v.into_iter()
            .map(|(k, n)| json!({"value": k, "count": n}))
            .collect::<Vec<_>>()
    };
    Ok(Json(json!({
        "records": s.records, "inputs": s.inputs, "inputs_done": s.inputs_done, "pending": s.pending,
        "by_publisher": pairs(s.by_publisher), "by_language": pairs(s.by_language), "by_month": pairs(s.by_month),
        "errors_by_category": pairs(s.errors_by_category),
    }))
    .into_response())
}

/// Upload names are reduced to a safe file name; its extension decides how
/// the body is read, as it does for files given to `gleaner ingest`.
fn upload_name(name: Option<String>, content_type: Option<&str>) -> Result<String, ApiError> {
    let from_type = |ct: &str| {
        let ct = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        Some(match ct.as_str() {
            "text/html" | "application/xhtml+xml" => "upload.html",
            "text/plain" => "upload.txt",
            "application/warc" => "upload.warc",
            "application/x-ndjson" | "application/jsonl" => "upload.jsonl",
            "application/rss+xml" | "application/atom+xml" | "application/xml" | "text/xml" => "upload.xml",
            "application/feed+json" => "upload.json",
            _ => return None,
        })
    };
    let name = match name {
        Some(n) => {
            let base = n.rsplit(['/', '\\']).next().unwrap_or("").to_string();
            let safe: String = base.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
            if safe.starts_with('.') || !name_has_extension(&safe, INGEST_EXTENSIONS) {
                let endings: Vec<String> = INGEST_EXTENSIONS.iter().map(|e| format!(".{e}")).collect();
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!("name={n:?}: give a file name ending in one of {} (each optionally .gz)", endings.join(" ")),
                ));
            }
            safe
        }
        None => match content_type.and_then(from_type) {
            Some(n) => n.to_string(),
            None => {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "say what the body is: ?name=FILE.warc.gz (or .html, .txt, .jsonl, .xml …) or a Content-Type such as text/html or application/warc",
                ))
            }
        },
    };
    Ok(name)
}

fn authorised(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &st.token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest over HTTP is off; start `gleaner serve` with --token-file to turn it on",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(g) if constant_time_eq(g.trim().as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong bearer token")),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ingest needs an `Authorization: Bearer TOKEN` header",
        )),
    }
}

/// Compares without stopping at the first difference, so response timing
/// does not reveal how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

static UPLOADS: AtomicU64 = AtomicU64::new(0);

async fn ingest_upload(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    authorised(&st, &headers)?;
    let p = Params::parse(raw.as_deref(), &["name"])?;
    let body = body.map_err(|e| {
        let status = e.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "the body is larger than this server accepts (--max-body)".to_string()
        } else {
            format!("cannot read the body: {e}")
        };
        ApiError::new(status, message)
    })?;
    if body.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "the body is empty: send a page, a WARC, JSON Lines or a feed",
        ));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let name = upload_name(p.str("name"), content_type)?;
    let _one_at_a_time = st.ingest_lock.lock().await;
    let db = st.db.clone();
    let result = tokio::task::spawn_blocking(move || -> Result<Value, String> {
        let dir = upload_dir()?;
        let file = dir.join(&name);
        let outcome = std::fs::write(&file, &body)
            .map_err(|e| format!("cannot keep the upload: {e}"))
            .and_then(|()| ingest_file(&db, &file));
        let _ = std::fs::remove_dir_all(&dir);
        outcome
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the ingest failed unexpectedly"))?;
    match result {
        Ok(summary) => Ok(Json(summary).into_response()),
        Err(message) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("ingest failed: {message}"),
        )),
    }
}

/// Runs one uploaded file through `gleaner ingest`'s engine with its
/// defaults; answers the run's summary as `--json` prints it.
fn ingest_file(db: &str, file: &std::path::Path) -> Result<Value, String> {
    let mut store = gleaner_store::open(db).map_err(|e| format!("cannot open the store: {e}"))?;
    let inputs = [file.display().to_string()];
    let summary = gleaner_ingest::ingest(&mut *store, &inputs, &IngestOptions::default(), &mut Silent)
        .map_err(|e| e.to_string())?;
    serde_json::to_value(summary).map_err(|e| e.to_string())
}

/// A fresh folder per upload: the file keeps its name (and so its kind)
/// without two uploads ever sharing a path.
fn upload_dir() -> Result<PathBuf, String> {
    let n = UPLOADS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("gleaner-upload-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_names() {
        assert_eq!(
            upload_name(Some("../../etc/x.warc.gz".into()), None).ok().as_deref(),
            Some("x.warc.gz")
        );
        assert_eq!(
            upload_name(Some("my page.html".into()), None).ok().as_deref(),
            Some("my_page.html")
        );
        assert!(upload_name(Some("x.exe".into()), None).is_err());
        assert!(upload_name(Some(".html".into()), None).is_err());
        assert_eq!(
            upload_name(None, Some("text/html; charset=utf-8")).ok().as_deref(),
            Some("upload.html")
        );
        assert!(upload_name(None, Some("image/png")).is_err());
        assert!(upload_name(None, None).is_err());
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }
}
