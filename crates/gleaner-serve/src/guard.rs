//! What every request passes through before and after its handler: the
//! Host check (DNS rebinding), size limits on the request line and headers,
//! the request's time bound, error bodies always in the API's JSON shape with
//! the security headers, and the access log.

use std::io::Write;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;

/// Longest request target (path and query) accepted.
pub const MAX_URI: usize = 8 * 1024;
/// Most header bytes accepted (names and values).
pub const MAX_HEADERS: usize = 32 * 1024;

/// What the guard needs to know.
#[derive(Debug, Clone)]
pub struct GuardConfig {
    /// Host names (without port) accepted besides IP literals and `localhost`.
    pub allowed_hosts: Vec<String>,
    /// Time bound of a request.
    pub request_timeout: Duration,
    /// Time bound of an upload (`POST /api/ingest`): the body may be large.
    pub upload_timeout: Duration,
    /// Log every request (errors are always logged).
    pub access_log: bool,
}

/// Whether a `Host` header names this server: an IP literal (a page cannot
/// make a browser send one for a name it controls), `localhost`, or a name
/// the operator allowed. A web page rebinding its own name to this machine
/// sends its own name, which is refused.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = match host.strip_prefix('[') {
        // [v6]:port
        Some(rest) => match rest.split_once(']') {
            Some((v6, _)) => return v6.parse::<std::net::Ipv6Addr>().is_ok(),
            None => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(n, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                n
            } else {
                host
            }
        }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.parse::<IpAddr>().is_ok()
        || name == "localhost"
        || name.ends_with(".localhost")
        || allowed.iter().any(|a| a.eq_ignore_ascii_case(&name))
}

/// The request's path with the values of its query left out (`?q&limit`):
/// what the access log shows, so searches people ran are not written down.
pub fn loggable_target(uri: &axum::http::Uri) -> String {
    let mut out = uri.path().to_string();
    if let Some(q) = uri.query() {
        let keys: Vec<&str> = q
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split('=').next().unwrap_or(""))
            .collect();
        out.push('?');
        out.push_str(&keys.join("&"));
    }
    out
}

/// The guard itself (an axum middleware).
pub async fn guard(State(config): State<Arc<GuardConfig>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let target = loggable_target(req.uri());
    let response = check_and_run(&config, req, next).await;
    let response = json_errors(response).await;
    let status = response.status();
    if config.access_log || status.is_server_error() {
        log_line(format!(
            "gleaner: {method} {target} {} {}ms\n",
            status.as_u16(),
            started.elapsed().as_millis()
        ));
    }
    response
}

/// Hands a log line to a thread that writes stderr, so a slow or stuck
/// reader of the log never holds up a request: when too many lines wait,
/// new ones are dropped and counted, and the count is logged once the log
/// drains. Writes never panic (eprintln! would on a closed stderr).
fn log_line(line: String) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
    use std::sync::OnceLock;
    static LOG: OnceLock<SyncSender<String>> = OnceLock::new();
    static DROPPED: AtomicU64 = AtomicU64::new(0);
    let tx = LOG.get_or_init(|| {
        let (tx, rx) = sync_channel::<String>(4096);
        std::thread::spawn(move || {
            let mut err = std::io::stderr();
            for line in rx {
                let dropped = DROPPED.swap(0, Ordering::Relaxed);
                if dropped > 0 {
                    let _ = err.write_all(
                        format!("gleaner: {dropped} log lines dropped (stderr was not read fast enough)\n").as_bytes(),
                    );
                }
                let _ = err.write_all(line.as_bytes());
            }
        });
        tx
    });
    if let Err(TrySendError::Full(_)) = tx.try_send(line) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

async fn check_and_run(config: &GuardConfig, req: Request, next: Next) -> Response {
    let target_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target_len > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the request target is over {MAX_URI} bytes"),
        )
        .into_response();
    }
    let header_bytes: usize = req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum();
    if header_bytes > MAX_HEADERS {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the request headers are over {MAX_HEADERS} bytes"),
        )
        .into_response();
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !host_allowed(host, &config.allowed_hosts) {
        return ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "this server does not answer for the host {host:?}; start it with --allow-host NAME to serve under a name"
            ),
        )
        .into_response();
    }
    let bound = if req.uri().path() == "/api/ingest" {
        config.upload_timeout
    } else {
        config.request_timeout
    };
    match tokio::time::timeout(bound, next.run(req)).await {
        Ok(r) => r,
        // The handler's future is dropped here, which stops its store query.
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the request took longer than {} s and was stopped", bound.as_secs()),
        )
        .into_response(),
    }
}

/// Error responses that do not come from our handlers (a path the router
/// cannot decode, a method it rejects) become the API's JSON shape.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let message = String::from_utf8_lossy(&text).trim().to_string();
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        message
    };
    let mut fixed = ApiError::new(status, message).into_response();
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            fixed.headers_mut().insert(k.clone(), v.clone());
        }
    }
    fixed
}

/// A body-less response with `Connection: close`, for refusing an upload
/// before its body is read (the client may still be sending it).
pub fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let none: Vec<String> = Vec::new();
        for ok in [
            "127.0.0.1:8080",
            "127.0.0.1",
            "localhost:8080",
            "LOCALHOST",
            "app.localhost:1",
            "[::1]:8080",
            "10.0.0.5:80",
        ] {
            assert!(host_allowed(ok, &none), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "evil.example",
            "",
            "[::1",
            "localhost.evil.example:8080",
            "127.0.0.1.evil.example",
        ] {
            assert!(!host_allowed(bad, &none), "{bad}");
        }
        let allowed = vec!["news.example.org".to_string()];
        assert!(host_allowed("News.Example.org:443", &allowed));
        assert!(host_allowed("news.example.org.", &allowed));
        assert!(!host_allowed("other.example.org", &allowed));
    }

    #[test]
    fn logged_targets_hide_query_values() {
        let uri: axum::http::Uri = "/api/records?q=secret+words&limit=5&facets".parse().unwrap();
        assert_eq!(loggable_target(&uri), "/api/records?q&limit&facets");
        let uri: axum::http::Uri = "/api/stats".parse().unwrap();
        assert_eq!(loggable_target(&uri), "/api/stats");
    }
}
