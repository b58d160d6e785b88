//! The polite, safe HTTP client: every request passes robots.txt and the
//! [`Gate`]; addresses resolving to private or loopback networks are
//! refused (checked on the resolved addresses, so a public name pointing
//! inward is refused too); redirects are followed one hop at a time, each
//! hop kept; 429 and 503 are retried with backoff, honouring `Retry-After`;
//! bodies are read under a size limit and kept as sent (content-encoded),
//! since the archive must hold what the server said.

use std::io::{self, Read};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::gate::Gate;
use crate::robots::{RobotsCache, RobotsRule};

/// How the client behaves. `FetchOptions::default()` is `gleaner watch`'s
/// defaults.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Who to contact about the crawler (an address or a URL), put in the
    /// User-Agent.
    pub contact: Option<String>,
    /// Least time between the end of one request to a host and the start of
    /// the next.
    pub per_host_interval: Duration,
    /// Requests in flight at once, over all hosts.
    pub concurrency: usize,
    /// Longest a request may take, body included.
    pub timeout: Duration,
    /// Largest body read, in bytes as sent; a longer one is cut there.
    pub max_bytes: u64,
    /// Redirects followed from one address.
    pub max_redirects: usize,
    /// Retries after a 429 or 503.
    pub retries: u32,
    /// First backoff when no `Retry-After` is given (doubles each retry).
    pub backoff: Duration,
    /// A `Retry-After` longer than this gives up until the next run.
    pub max_retry_wait: Duration,
    /// Fetch private, loopback and link-local addresses too.
    pub allow_private: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            contact: None,
            per_host_interval: Duration::from_secs(1),
            concurrency: 4,
            timeout: Duration::from_secs(30),
            max_bytes: gleaner_read::DEFAULT_MAX_BYTES,
            max_redirects: 5,
            retries: 3,
            backoff: Duration::from_secs(2),
            max_retry_wait: Duration::from_secs(120),
            allow_private: false,
        }
    }
}

/// What a request is for: it decides the Accept header and which
/// Content-Types are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An article page: HTML or plain text.
    Page,
    /// A feed or sitemap.
    Source,
    /// robots.txt.
    Robots,
}

/// Validators of an earlier response, for a conditional request.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// One request and its response, as the archive keeps them.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The address asked.
    pub url: String,
    /// When the request started, RFC 3339 UTC (the records' WARC-Date).
    pub date: String,
    /// The request's head as sent.
    pub request: Vec<u8>,
    /// The response, when one came.
    pub response: Option<Response>,
}

/// A response as received.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Status line and header fields as received (chunked framing is
    /// undone by the client, so `Transfer-Encoding` is left out), with the
    /// blank line.
    pub head: Vec<u8>,
    /// Header fields, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body as sent (content encoding kept).
    pub body: Vec<u8>,
    /// Why the body is incomplete (`WARC-Truncated`: `length`, `time`,
    /// `disconnect`, `unspecified`), if it is.
    pub truncated: Option<&'static str>,
}

impl Response {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type, lowercased, without parameters ("" when absent).
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }
}

/// The final response of a fetch.
#[derive(Debug, Clone)]
pub struct Final {
    /// Which exchange holds it.
    pub exchange: usize,
    /// Its address (after redirects).
    pub url: String,
    /// Its status.
    pub status: u16,
    /// The body with its content encoding undone (sources and robots.txt
    /// only: pages are decoded when the archive is read).
    pub decoded: Option<Vec<u8>>,
}

/// Why a fetch gave no usable response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Refused before asking: a private address, another scheme, a bad URL.
    #[error("refused: {0}")]
    Refused(String),
    /// robots.txt disallows it.
    #[error("disallowed by robots.txt")]
    Disallowed,
    /// Redirects went round in a loop or on too long.
    #[error("redirects: {0}")]
    Redirects(String),
    /// The server took too long.
    #[error("timed out")]
    Timeout,
    /// The body was longer than the limit.
    #[error("the body is larger than {0} bytes (--max-bytes)")]
    TooLarge(u64),
    /// The Content-Type is not one this request accepts.
    #[error("unexpected Content-Type {0:?}")]
    WrongType(String),
    /// 429 or 503 and no more retries.
    #[error("HTTP {0}, retries used up")]
    Unavailable(u16),
    /// The connection failed.
    #[error("network: {0}")]
    Network(String),
    /// The content encoding could not be undone.
    #[error("cannot decode the body: {0}")]
    Decode(String),
}

impl FetchError {
    /// Worth trying again in a later run.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            FetchError::Timeout | FetchError::Unavailable(_) | FetchError::Network(_)
        )
    }
}

/// What fetching one address did.
#[derive(Debug, Clone)]
pub struct Fetch {
    /// The address asked.
    pub url: String,
    /// Every request made for it, in order: robots.txt when first needed,
    /// retries, redirect hops.
    pub exchanges: Vec<Exchange>,
    /// The final response, or why there is none. A final response with an
    /// error (`TooLarge`, `WrongType`) is still in `exchanges`.
    pub result: Result<Final, FetchError>,
}

/// The client. Share it between threads: the gate and robots.txt cache are
/// inside.
pub struct Client {
    agent: ureq::Agent,
    options: FetchOptions,
    user_agent: String,
    gate: Gate,
    robots: RobotsCache,
}

/// The User-Agent's product token, also the name robots.txt groups are matched on.
pub const ROBOTS_TOKEN: &str = "gleaner";

impl Client {
    /// A client with these options.
    pub fn new(options: FetchOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .proxy(None)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.timeout.min(Duration::from_secs(10))))
            .max_idle_connections_per_host(2)
            .build();
        let resolver = GuardedResolver {
            allow_private: options.allow_private,
        };
        let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), resolver);
        let version = env!("CARGO_PKG_VERSION");
        let user_agent = match &options.contact {
            Some(c) => format!("Gleaner/{version} (news archiver; +{c})"),
            None => format!("Gleaner/{version} (news archiver)"),
        };
        Client {
            agent,
            gate: Gate::new(options.per_host_interval, options.concurrency),
            options,
            user_agent,
            robots: RobotsCache::default(),
        }
    }

    /// The User-Agent sent.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Forgets the cached robots.txt rules: each origin's is fetched again
    /// on its next request.
    pub fn forget_robots(&self) {
        self.robots.clear();
    }

    /// The options.
    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// Fetches `url` for `role`: robots.txt first (fetched and cached once
    /// per origin), then the address, following redirects (each hop
    /// checked against robots.txt and the private-address rule again).
    pub fn fetch(&self, url: &str, role: Role, validators: Option<&Validators>) -> Fetch {
        let mut exchanges = Vec::new();
        let result = self.fetch_into(url, role, validators, &mut exchanges);
        Fetch {
            url: url.to_string(),
            exchanges,
            result,
        }
    }

    fn fetch_into(
        &self,
        url: &str,
        role: Role,
        validators: Option<&Validators>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<Final, FetchError> {
        let mut current = parse_url(url)?;
        let mut seen = vec![current.as_str().to_string()];
        for hop in 0..=self.options.max_redirects {
            let (host, delay) = match role {
                Role::Robots => (host_key(&current), Duration::ZERO),
                _ => {
                    let rule = self.robots_for(&current, exchanges)?;
                    if !rule.allowed(current.as_str()) {
                        return Err(FetchError::Disallowed);
                    }
                    (host_key(&current), rule.delay())
                }
            };
            // Validators belong to the address they came from, not to a hop.
            let v = if hop == 0 { validators } else { None };
            let (status, idx) = self.with_retries(&current, &host, delay, role, v, exchanges)?;
            let response = exchanges[idx]
                .response
                .as_ref()
                .expect("with_retries returns a response");
            if (300..400).contains(&status) && status != 304 {
                let Some(location) = response.header("location") else {
                    return self.finish(idx, &current, status, role, exchanges);
                };
                let next = current
                    .join(location.trim())
                    .map_err(|e| FetchError::Redirects(format!("bad Location {location:?}: {e}")))?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(FetchError::Refused(format!("redirect to a {} address", next.scheme())));
                }
                if seen.iter().any(|s| s == next.as_str()) {
                    return Err(FetchError::Redirects(format!("loop back to {next}")));
                }
                seen.push(next.as_str().to_string());
                current = next;
                continue;
            }
            return self.finish(idx, &current, status, role, exchanges);
        }
        Err(FetchError::Redirects(format!(
            "more than {} redirects",
            self.options.max_redirects
        )))
    }

    /// The final response: its Content-Type checked (for a success) and,
    /// for sources, its body decoded.
    fn finish(
        &self,
        idx: usize,
        url: &url::Url,
        status: u16,
        role: Role,
        exchanges: &[Exchange],
    ) -> Result<Final, FetchError> {
        let response = exchanges[idx].response.as_ref().expect("a response");
        if (200..300).contains(&status) {
            if response.truncated == Some("unspecified") {
                return Err(FetchError::WrongType(response.media_type()));
            }
            if response.truncated == Some("length") {
                return Err(FetchError::TooLarge(self.options.max_bytes));
            }
            if response.truncated.is_some() {
                return Err(FetchError::Timeout);
            }
        }
        let decoded = match role {
            Role::Page => None,
            Role::Source | Role::Robots => Some(decode_body(response, self.options.max_bytes)?),
        };
        Ok(Final {
            exchange: idx,
            url: url.to_string(),
            status,
            decoded,
        })
    }

    /// One address, retried on 429 and 503. Returns the status and the
    /// index of the last exchange (which has a response).
    fn with_retries(
        &self,
        url: &url::Url,
        host: &str,
        delay: Duration,
        role: Role,
        validators: Option<&Validators>,
        exchanges: &mut Vec<Exchange>,
    ) -> Result<(u16, usize), FetchError> {
        let mut attempt = 0;
        loop {
            let pass = self.gate.enter(host, delay);
            let (exchange, error) = self.request(url, role, validators);
            drop(pass);
            exchanges.push(exchange);
            let idx = exchanges.len() - 1;
            if let Some(e) = error {
                return Err(e);
            }
            let response = exchanges[idx].response.as_ref().expect("no error, so a response");
            let status = response.status;
            if status != 429 && status != 503 {
                return Ok((status, idx));
            }
            if attempt >= self.options.retries {
                return Err(FetchError::Unavailable(status));
            }
            let backoff = self.options.backoff.saturating_mul(1 << attempt.min(16));
            let wait = response
                .header("retry-after")
                .and_then(|v| retry_after(v, SystemTime::now()))
                .unwrap_or(backoff);
            if wait > self.options.max_retry_wait {
                return Err(FetchError::Unavailable(status));
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// One request through ureq; the exchange is kept whatever happens.
    fn request(&self, url: &url::Url, role: Role, validators: Option<&Validators>) -> (Exchange, Option<FetchError>) {
        let accept = match role {
            Role::Page => "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
            Role::Source => "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.1",
            Role::Robots => "text/plain,*/*;q=0.1",
        };
        let mut headers: Vec<(&str, String)> = vec![
            ("User-Agent", self.user_agent.clone()),
            ("Accept", accept.to_string()),
            ("Accept-Encoding", "gzip, br".to_string()),
        ];
        if let Some(v) = validators {
            if let Some(e) = &v.etag {
                headers.push(("If-None-Match", e.clone()));
            }
            if let Some(m) = &v.last_modified {
                headers.push(("If-Modified-Since", m.clone()));
            }
        }
        let date = gleaner_read::rfc3339_utc(SystemTime::now());
        let mut exchange = Exchange {
            url: url.to_string(),
            date,
            request: request_head(url, &headers),
            response: None,
        };
        let mut req = self.agent.get(url.as_str());
        for (name, value) in &headers {
            req = req.header(*name, value.as_str());
        }
        let res = match req.call() {
            Ok(r) => r,
            Err(e) => return (exchange, Some(ureq_error(e))),
        };
        let status = res.status().as_u16();
        let mut fields: Vec<(String, String)> = Vec::new();
        for (name, value) in res.headers() {
            fields.push((
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            ));
        }
        let version = match res.version() {
            ureq::http::Version::HTTP_10 => "HTTP/1.0",
            _ => "HTTP/1.1",
        };
        let reason = res.status().canonical_reason().unwrap_or("");
        let mut head = format!("{version} {status} {reason}\r\n").into_bytes();
        for (name, value) in &fields {
            if name.eq_ignore_ascii_case("transfer-encoding") {
                continue;
            }
            head.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        head.extend_from_slice(b"\r\n");
        let mut response = Response {
            status,
            head,
            headers: fields,
            body: Vec::new(),
            truncated: None,
        };
        // A success of a type this request does not take is not read at
        // all (it may be a video): the archive keeps its head.
        if (200..300).contains(&status) && !accepts(role, &response.media_type()) {
            response.truncated = Some("unspecified");
            exchange.response = Some(response);
            return (exchange, None);
        }
        let mut reader = res.into_body().into_reader();
        let (mut body, truncated) = read_limited(&mut reader, self.options.max_bytes);
        if truncated.is_some() && role == Role::Page {
            // Part of a page would become a record of part of an article:
            // the archive keeps the head and says why the body is missing.
            body.clear();
        }
        response.body = body;
        response.truncated = truncated;
        exchange.response = Some(response);
        (exchange, None)
    }

    /// The robots.txt rule for `url`'s origin, fetched on first need.
    fn robots_for(&self, url: &url::Url, exchanges: &mut Vec<Exchange>) -> Result<Arc<RobotsRule>, FetchError> {
        let origin = url.origin().ascii_serialization();
        if let Some(rule) = self.robots.get(&origin) {
            return Ok(rule);
        }
        // Two threads may fetch the same robots.txt at once the first time;
        // the gate spaces them and the second result wins, which is the same.
        let robots_url = format!("{origin}/robots.txt");
        let fetched = self.fetch(&robots_url, Role::Robots, None);
        exchanges.extend(fetched.exchanges);
        let rule = match fetched.result {
            Ok(f) if (200..300).contains(&f.status) => {
                RobotsRule::parse(ROBOTS_TOKEN, f.decoded.as_deref().unwrap_or_default())
            }
            // RFC 9309: an unavailable robots.txt (4xx) allows everything.
            Ok(f) if (400..500).contains(&f.status) => RobotsRule::AllowAll,
            // A server error or no answer: assume complete disallow for now.
            Ok(_) => RobotsRule::DisallowAll,
            Err(FetchError::Refused(r)) => return Err(FetchError::Refused(r)),
            Err(_) => RobotsRule::DisallowAll,
        };
        Ok(self.robots.put(origin, rule))
    }
}

/// Which Content-Types each role takes (none given: allowed, the bytes decide).
fn accepts(role: Role, media: &str) -> bool {
    match role {
        Role::Page => matches!(media, "" | "text/html" | "application/xhtml+xml" | "text/plain"),
        Role::Source => {
            matches!(
                media,
                "" | "application/rss+xml"
                    | "application/atom+xml"
                    | "application/rdf+xml"
                    | "application/xml"
                    | "text/xml"
                    | "application/feed+json"
                    | "application/json"
                    | "text/plain"
                    | "application/gzip"
                    | "application/x-gzip"
                    | "application/octet-stream"
            )
        }
        Role::Robots => true,
    }
}

/// The URL, checked: http or https with a host.
fn parse_url(url: &str) -> Result<url::Url, FetchError> {
    let u = url::Url::parse(url.trim()).map_err(|e| FetchError::Refused(format!("not a URL ({e})")))?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(FetchError::Refused(format!("{} is not http or https", u.scheme())));
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::Refused("no host".into()));
    }
    Ok(u)
}

/// What the gate keys hosts by: host and port.
fn host_key(u: &url::Url) -> String {
    format!(
        "{}:{}",
        u.host_str().unwrap_or(""),
        u.port_or_known_default().unwrap_or(0)
    )
}

/// The request head as sent (ureq sends the same fields; Host from the URL).
fn request_head(url: &url::Url, headers: &[(&str, String)]) -> Vec<u8> {
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
        None => url.host_str().unwrap_or("").to_string(),
    };
    let mut out = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// Reads at most `max` bytes; says why it stopped early.
fn read_limited(r: &mut dyn Read, max: u64) -> (Vec<u8>, Option<&'static str>) {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut chunk) {
            Ok(0) => return (out, None),
            Ok(n) => {
                let room = max.saturating_sub(out.len() as u64) as usize;
                if n > room {
                    out.extend_from_slice(&chunk[..room]);
                    return (out, Some("length"));
                }
                out.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) => return (out, Some("time")),
            Err(_) => return (out, Some("disconnect")),
        }
    }
}

fn is_timeout(e: &io::Error) -> bool {
    if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) {
        return true;
    }
    e.get_ref()
        .is_some_and(|inner| inner.to_string().to_ascii_lowercase().contains("timeout"))
}

fn ureq_error(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::Io(io) if io.kind() == io::ErrorKind::PermissionDenied => FetchError::Refused(io.to_string()),
        ureq::Error::Io(io) if is_timeout(&io) => FetchError::Timeout,
        ureq::Error::BadUri(u) => FetchError::Refused(format!("bad URL: {u}")),
        other => FetchError::Network(other.to_string()),
    }
}

/// The body with its content encoding undone (and a gzip file served as
/// such, as `.xml.gz` sitemaps are), under `max` bytes.
pub fn decode_body(response: &Response, max: u64) -> Result<Vec<u8>, FetchError> {
    let encoding = response
        .header("content-encoding")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let body = &response.body[..];
    let mut decoded = match encoding.as_str() {
        "" | "identity" => body.to_vec(),
        "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(body), max)?,
        "deflate" => inflate(flate2::read::ZlibDecoder::new(body), max)?,
        "br" => inflate(brotli_decompressor::Decompressor::new(body, 16 * 1024), max)?,
        other => return Err(FetchError::Decode(format!("unsupported Content-Encoding {other}"))),
    };
    if decoded.starts_with(&[0x1f, 0x8b]) {
        decoded = inflate(flate2::read::MultiGzDecoder::new(&decoded[..]), max)?;
    }
    Ok(decoded)
}

fn inflate(r: impl Read, max: u64) -> Result<Vec<u8>, FetchError> {
    let mut out = Vec::new();
    r.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| FetchError::Decode(e.to_string()))?;
    if out.len() as u64 > max {
        return Err(FetchError::TooLarge(max));
    }
    Ok(out)
}

/// A `Retry-After` value: seconds, or an HTTP date (IMF-fixdate) from `now`.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    // "Wed, 21 Oct 2015 07:28:00 GMT"
    let parts: Vec<&str> = v.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let d: u32 = day.parse().ok()?;
    let y: i64 = year.parse().ok()?;
    let hms: Vec<u64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, mi, s] = hms.as_slice() else { return None };
    let days = gleaner_record::civil::days_from_civil(y, m, d);
    let at = u64::try_from(days).ok()? * 86_400 + h * 3600 + mi * 60 + s;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Whether an address is one a list of URLs must not make us reach: not a
/// globally routed unicast address.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // shared address space (CGNAT)
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)) // benchmarking
                || o[0] >= 240 // reserved
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x64 && s[1] == 0xff9b) // NAT64 can reach private IPv4
        }
    }
}

/// The system resolver, refusing names that resolve to a private address
/// (any of them: the connection could use any). The check sits where ureq
/// connects, so what is checked is what is reached.
#[derive(Debug)]
struct GuardedResolver {
    allow_private: bool,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        if !self.allow_private {
            if let Some(a) = addrs.iter().find(|a| is_private(a.ip())) {
                return Err(ureq::Error::Io(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "{} resolves to the private or loopback address {} (--allow-private to fetch it)",
                        uri.host().unwrap_or(""),
                        a.ip()
                    ),
                )));
            }
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_recognised() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(a.parse().unwrap()), "{a}");
        }
        for a in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn retry_after_takes_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470); // 2015-10-21T07:27:50Z
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn only_http_urls_with_hosts_are_taken() {
        assert!(parse_url("http://example.org/a").is_ok());
        assert!(matches!(parse_url("file:///etc/passwd"), Err(FetchError::Refused(_))));
        assert!(matches!(parse_url("gopher://x/"), Err(FetchError::Refused(_))));
        assert!(matches!(parse_url("not a url"), Err(FetchError::Refused(_))));
    }
}
