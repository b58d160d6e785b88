//! The JSON API: routes, handlers and error bodies.
//!
//! Every error is `{"error": {"status": N, "message": "…"}}`. Bad parameters
//! are 400 with a message naming the parameter; a store failure is the only
//! 500, and its message says so.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gleaner_store::query::{search_words, Bucket, DEFAULT_SEARCH_LIMIT};
use gleaner_store::{
    EventFilter, Facet, FacetCounts, MergedEvent, PlaceCount, PlaceFilter, SearchQuery, SortOrder, StoreError,
};
use serde_json::{json, Value};
use tokio::sync::{Mutex as AsyncMutex, Semaphore};

use crate::guard::{closing, guard, GuardConfig};
use crate::params::{next_cursor, Params};
use crate::pool::{Cost, Pool, PoolError};
use crate::upload::{self, UploadDir};
use crate::{assets, Config, ServeError};

/// What every handler shares.
#[derive(Clone)]
struct AppState {
    pool: Arc<Pool>,
    db: String,
    token: Option<String>,
    /// Largest upload accepted.
    max_body: u64,
    /// Uploads being received at once, at most.
    upload_slots: Arc<Semaphore>,
    /// Where uploads are kept while they are ingested.
    uploads: Arc<UploadDir>,
    /// One ingest at a time: stores have one writer.
    ingest_lock: Arc<AsyncMutex<()>>,
}

/// An API error: a status and a message for people.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    /// What went wrong.
    pub message: String,
    /// Close the connection after answering (the request's body is unread).
    close: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            close: false,
        }
    }

    /// The HTTP status it answers with.
    #[cfg(test)]
    pub fn status_code(&self) -> StatusCode {
        self.status
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
        if self.close {
            resp = closing(resp);
        }
        resp
    }
}

impl From<PoolError> for ApiError {
    fn from(e: PoolError) -> Self {
        match e {
            PoolError::Store(StoreError::Search(e)) => ApiError::new(StatusCode::BAD_REQUEST, format!("q: {e}")),
            PoolError::Store(e) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("store error: {e}")),
            PoolError::TimedOut(t) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the query took longer than {} s and was stopped; narrow it",
                    t.as_secs()
                ),
            ),
            PoolError::Crashed => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the query failed unexpectedly"),
        }
    }
}

type ApiResult = Result<Response, ApiError>;

/// The whole application: API, OpenAPI document and web app.
pub fn router(config: Config) -> Result<Router, ServeError> {
    let pool = Pool::open(&config.db, config.readers, config.query_timeout).map_err(|source| ServeError::Store {
        db: config.db.clone(),
        source,
    })?;
    let state = AppState {
        pool,
        db: config.db.clone(),
        token: config.token.clone(),
        max_body: config.max_body as u64,
        upload_slots: Arc::new(Semaphore::new(config.max_uploads.max(1))),
        uploads: Arc::new(UploadDir::create().map_err(ServeError::Io)?),
        ingest_lock: Arc::new(AsyncMutex::new(())),
    };
    let guard_config = Arc::new(GuardConfig {
        allowed_hosts: config.allowed_hosts.clone(),
        request_timeout: config.request_timeout,
        upload_timeout: config.upload_timeout,
        access_log: config.access_log,
    });
    let api = Router::new()
        .route("/api/records", get(records))
        .route("/api/records.atom", get(records_atom))
        .route("/api/searches", get(list_searches).post(save_search))
        .route("/api/searches/{id}", axum::routing::delete(delete_search))
        .route("/api/records/{id}", get(record))
        .route("/api/records/{id}/copies", get(copies))
        .route("/api/events", get(events))
        .route("/api/places", get(places))
        .route("/api/timeline", get(timeline))
        .route("/api/stats", get(stats))
        .route("/api/ingest", post(ingest_upload))
        .route("/api/openapi.json", get(assets::openapi))
        .with_state(state);
    Ok(assets::routes()
        .merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(guard_config, guard))
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
    let text = p.str("q");
    if let Some(q) = &text {
        // Refused here with the reason rather than as a store error.
        search_words(q).map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("q: {e}")))?;
    }
    Ok(SearchQuery {
        text,
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
    q.look_ahead = 1;
    let with_facets = p.flag("facets")?;
    // Many words make a search several index passes, and so do facets
    // counted from the store's indexes: such queries take turns, so a
    // stream of them cannot crowd out the rest. Facets the store counts in
    // memory over the matches the search reads anyway cost less than the
    // search: they come with it, and only the others wait for a turn.
    let words = q.text.as_deref().map_or(0, |t| search_words(t).map_or(0, |w| w.len()));
    let cost = if words > 4 { Cost::Heavy } else { Cost::Light };
    let (hits, facets, q) = st
        .pool
        .run_costing(cost, move |s| {
            let hits = s.search(&q)?;
            let facets = if with_facets {
                s.facets_in_memory(&q, &facet_fields(), FACET_LIMIT)?
            } else {
                None
            };
            Ok((hits, facets, q))
        })
        .await?;
    let facets = match facets {
        Some(counts) => Some(facets_json(counts)),
        None if with_facets => Some(
            st.pool
                .run_costing(Cost::Heavy, move |s| s.facets(&q, &facet_fields(), FACET_LIMIT))
                .await
                .map(facets_json)?,
        ),
        None => None,
    };
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

/// The search as an Atom feed (RFC 4287), newest first, `since` a fetch
/// time: what a feed reader subscribes to for "new reports about X". The
/// feed's id is derived from the query, so the same search is the same
/// feed, and entry ids from record ids, so a reader shows each record once.
async fn records_atom(State(st): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> ApiResult {
    let allowed = [SEARCH_PARAMS, &["since", "limit"]].concat();
    let p = Params::parse(raw.as_deref(), &allowed)?;
    let mut q = search_query(&p)?;
    q.fetched_from = p.since("since")?;
    q.sort = SortOrder::Newest;
    q.limit = p.number("limit", DEFAULT_SEARCH_LIMIT, 1, 100)?;
    let words = q.text.as_deref().map_or(0, |t| search_words(t).map_or(0, |w| w.len()));
    let cost = if words > 4 { Cost::Heavy } else { Cost::Light };
    let records = st
        .pool
        .run_costing(cost, move |s| {
            let hits = s.search(&q)?;
            let mut out = Vec::with_capacity(hits.len());
            for h in hits {
                if let Some(r) = s.get(&h.id)? {
                    out.push(r.record);
                }
            }
            Ok(out)
        })
        .await?;
    let mut keys: Vec<(String, String)> = SEARCH_PARAMS
        .iter()
        .chain(&["since"])
        .filter_map(|k| p.str(k).map(|v| (k.to_string(), v)))
        .collect();
    keys.sort();
    let key: Vec<String> = keys.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut info = gleaner_record::atom::FeedInfo::for_search(&key);
    let path = match raw.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => format!("/api/records.atom?{r}"),
        None => "/api/records.atom".to_string(),
    };
    // Feed validators and readers want the self link absolute. The Host
    // header has passed the guard's allow-list, so it names this server.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty());
    info.self_url = Some(match host {
        Some(h) => format!("http://{h}{path}"),
        None => path,
    });
    info.generated = Some(gleaner_read::rfc3339_utc(std::time::SystemTime::now()));
    let refs: Vec<&gleaner_record::Record> = records.iter().collect();
    let xml = gleaner_record::atom::feed(&info, &refs);
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        xml,
    )
        .into_response())
}

/// A saved search as the API shows it, with the Atom feed of its matches.
fn saved_json(s: &gleaner_store::watch::SavedSearch) -> Value {
    json!({"id": s.id, "query": s.query, "created_at": s.created_at,
           "feed": format!("/api/records.atom?{}", s.query)})
}

/// Runs `f` on the watch's side of the store on a blocking thread.
async fn on_watch_store<T: Send + 'static>(
    st: &AppState,
    write: bool,
    f: impl FnOnce(&mut dyn gleaner_store::WatchStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = st.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut w = gleaner_store::open_watch(&db, !write)?;
        f(&mut *w)
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the store task failed"))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the store: {e}")))
}

/// The saved searches (`gleaner watch --alert` and `POST /api/searches`).
async fn list_searches(State(st): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    Params::parse(raw.as_deref(), &[])?;
    let all = on_watch_store(&st, false, |w| w.saved_searches()).await?;
    Ok(Json(json!({"searches": all.iter().map(saved_json).collect::<Vec<_>>()})).into_response())
}

/// Saves the search given as query parameters (those of /api/records.atom
/// but `since` and `limit`), checked as a search is; needs the bearer token.
async fn save_search(State(st): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> ApiResult {
    authorised(&st, &headers)?;
    let p = Params::parse(raw.as_deref(), SEARCH_PARAMS)?;
    // Kept as checked and normalised (country upper case, …), so the same
    // search written two ways is saved once.
    let q = search_query(&p)?;
    let mut keys: Vec<(String, String)> = [
        ("q", q.text),
        ("from", q.from),
        ("to", q.to),
        ("publisher", q.publisher),
        ("lang", q.language),
        ("place", q.place),
        ("country", q.country),
        ("type", q.event_type),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
    .collect();
    if keys.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "a saved search needs at least one filter",
        ));
    }
    keys.sort();
    let query: String = url_encoded(&keys);
    let now = gleaner_read::rfc3339_utc(std::time::SystemTime::now());
    let saved = on_watch_store(&st, true, move |w| w.save_search(&query, &now)).await?;
    Ok((StatusCode::CREATED, Json(saved_json(&saved))).into_response())
}

/// Removes a saved search; needs the bearer token.
async fn delete_search(State(st): State<AppState>, headers: HeaderMap, UrlPath(id): UrlPath<String>) -> ApiResult {
    authorised(&st, &headers)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, format!("{id:?} is not a saved search id")))?;
    if on_watch_store(&st, true, move |w| w.delete_search(id)).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::new(StatusCode::NOT_FOUND, format!("no saved search {id}")))
    }
}

/// `k=v&…`, each percent-encoded as a query component.
fn url_encoded(pairs: &[(String, String)]) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The facets a search shows, as named in its answer.
const FACETS: [(&str, Facet); 4] = [
    ("publisher", Facet::Publisher),
    ("lang", Facet::Language),
    ("country", Facet::Country),
    ("type", Facet::EventType),
];

/// The fields of [`FACETS`], as the store counts them.
fn facet_fields() -> [Facet; 4] {
    FACETS.map(|(_, f)| f)
}

/// Values shown per facet.
const FACET_LIMIT: usize = 12;

/// The counts of [`FACETS`], in order, as the answer's `facets` object.
fn facets_json(all: FacetCounts) -> Value {
    let mut out = serde_json::Map::new();
    for ((name, _), counts) in FACETS.into_iter().zip(all) {
        out.insert(
            name.into(),
            counts
                .into_iter()
                .map(|(v, n)| json!({"value": v, "count": n}))
                .collect(),
        );
    }
    Value::Object(out)
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

fn authorised(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &st.token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writing over HTTP (ingest, saved searches) is off; start `gleaner serve` with --token-file to turn it on",
        ));
    };
    // The scheme is case-insensitive (RFC 9110 §11.1).
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token);
    match given {
        Some(g) if constant_time_eq(g.trim().as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong bearer token")),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writing (ingest, saved searches) needs an `Authorization: Bearer TOKEN` header",
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

async fn ingest_upload(
    State(st): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> ApiResult {
    // Everything that can refuse the upload is checked before its body is
    // read; a refusal closes the connection on the unread body.
    let (name, extension, declared) = (|| {
        authorised(&st, &headers)?;
        let p = Params::parse(raw.as_deref(), &["name"])?;
        let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        let (name, extension) = upload::upload_kind(p.str("name"), content_type)?;
        let declared = upload::declared_length(&headers)?;
        if declared.is_some_and(|n| n > st.max_body) {
            return Err(upload::too_large());
        }
        if declared == Some(0) {
            return Err(empty_body());
        }
        Ok((name, extension, declared))
    })()
    .map_err(Refused)?;
    let Ok(_slot) = Arc::clone(&st.upload_slots).try_acquire_owned() else {
        let mut r = closing(
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many uploads at once; try again shortly",
            )
            .into_response(),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return Ok(r);
    };
    let (file, received) = upload::receive(&st.uploads, &extension, body, st.max_body)
        .await
        .map_err(Refused)?;
    if received == 0 {
        return Err(empty_body());
    }
    let _ = declared;
    let _one_at_a_time = st.ingest_lock.lock().await;
    let db = st.db.clone();
    let result = tokio::task::spawn_blocking(move || {
        let outcome = upload::ingest(&db, file.path(), &name);
        drop(file); // removes the upload
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

fn empty_body() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "the body is empty: send a page, a WARC, JSON Lines or a feed",
    )
}

/// An error that answers an upload before its body is read: the
/// connection is closed so the rest of the body need not be received.
struct Refused(ApiError);

impl From<Refused> for ApiError {
    fn from(r: Refused) -> Self {
        ApiError { close: true, ..r.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A state over a new, empty SQLite store in `dir`.
    fn state(dir: &std::path::Path) -> AppState {
        let db = dir.join("store.db").to_string_lossy().into_owned();
        drop(gleaner_store::open(&db).unwrap());
        AppState {
            pool: Pool::open(&db, 4, Duration::from_secs(60)).unwrap(),
            db,
            token: None,
            max_body: 1,
            upload_slots: Arc::new(Semaphore::new(1)),
            uploads: Arc::new(UploadDir::create().unwrap()),
            ingest_lock: Arc::new(AsyncMutex::new(())),
        }
    }

    /// While a heavy query holds the turn, a faceted search with words
    /// (its facets counted in memory) is answered, facets included; one
    /// without words (its facets counted from the store's indexes) waits
    /// for the turn, and is answered once the turn is free.
    #[tokio::test]
    async fn only_facets_counted_from_the_indexes_wait_for_the_heavy_turn() {
        let dir = tempfile::tempdir().unwrap();
        let st = state(dir.path());
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (holding, started) = tokio::sync::oneshot::channel::<()>();
        let pool = Arc::clone(&st.pool);
        let heavy = tokio::spawn(async move {
            pool.run_costing(Cost::Heavy, move |_| {
                let _ = holding.send(());
                let _ = held.recv();
                Ok(())
            })
            .await
        });
        started.await.unwrap();
        let ask = |q: &str| records(State(st.clone()), RawQuery(Some(q.to_string())));
        let answered = tokio::time::timeout(Duration::from_secs(30), ask("q=flood&country=PT&facets=true"))
            .await
            .expect("a search with words and facets waited for the heavy turn");
        let Ok(resp) = answered else {
            panic!("the search failed")
        };
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["facets"]["country"], json!([]), "{v}");
        let waited = tokio::time::timeout(Duration::from_millis(300), ask("country=PT&facets=true")).await;
        assert!(
            waited.is_err(),
            "facets from the indexes did not wait for the heavy turn"
        );
        release.send(()).unwrap();
        assert!(heavy.await.unwrap().is_ok());
        let after = tokio::time::timeout(Duration::from_secs(30), ask("country=PT&facets=true")).await;
        assert!(matches!(after, Ok(Ok(_))));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }
}
