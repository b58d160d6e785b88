//! The web app's files, compiled in, and the headers every response carries.
//!
//! Our own files live in `assets/`; Leaflet and the world-atlas outlines are
//! committed in `vendor/` (versions pinned in `web/package-lock.json`,
//! checksums in `vendor/SHA256SUMS`), so building needs nothing but cargo.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// (URL path, content type, bytes).
const FILES: &[(&str, &str, &[u8])] = &[
    ("/", "text/html; charset=utf-8", include_bytes!("../assets/index.html")),
    (
        "/assets/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    (
        "/assets/app.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    (
        "/assets/leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../vendor/leaflet/leaflet.js"),
    ),
    (
        "/assets/leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../vendor/leaflet/leaflet.css"),
    ),
    (
        "/assets/countries-50m.json",
        "application/json",
        include_bytes!("../vendor/world-atlas/countries-50m.json"),
    ),
];

const OPENAPI: &str = include_str!("../assets/openapi.json");

/// Routes for the app's files.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    FILES.iter().fold(Router::new(), |router, &(path, kind, bytes)| {
        router.route(
            path,
            get(move || async move { ([(header::CONTENT_TYPE, kind)], bytes).into_response() }),
        )
    })
}

/// The OpenAPI document.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// Article text comes from arbitrary pages: the app renders it as text, and
/// the policy below is a second line of defence — no inline or foreign
/// script runs, nothing is loaded from elsewhere, and the app cannot be framed.
pub async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    resp
}

#[cfg(test)]
mod tests {
    #[test]
    fn openapi_document_parses_and_names_every_api_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).expect("openapi.json is JSON");
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
        let paths = doc["paths"].as_object().expect("paths");
        for p in [
            "/api/records",
            "/api/records.atom",
            "/api/searches",
            "/api/searches/{id}",
            "/api/records/{id}",
            "/api/records/{id}/copies",
            "/api/events",
            "/api/places",
            "/api/timeline",
            "/api/stats",
            "/api/ingest",
            "/api/openapi.json",
        ] {
            assert!(paths.contains_key(p), "{p} is not documented");
        }
    }

    /// The vendored files are the ones `vendor/SHA256SUMS` names, and their
    /// versions are the ones `web/package-lock.json` pins.
    #[test]
    fn vendored_assets_match_their_checksums_and_the_lock_file() {
        use sha2::{Digest, Sha256};
        let sums = include_str!("../vendor/SHA256SUMS");
        let embedded: &[(&str, &[u8])] = &[
            ("leaflet/leaflet.js", include_bytes!("../vendor/leaflet/leaflet.js")),
            ("leaflet/leaflet.css", include_bytes!("../vendor/leaflet/leaflet.css")),
            (
                "world-atlas/countries-50m.json",
                include_bytes!("../vendor/world-atlas/countries-50m.json"),
            ),
        ];
        for (name, bytes) in embedded {
            let hex: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
            let listed = sums.lines().find_map(|l| l.strip_suffix(&format!("  {name}")));
            assert_eq!(listed, Some(hex.as_str()), "{name} does not match vendor/SHA256SUMS");
        }
        assert_eq!(
            sums.lines().count(),
            embedded.len(),
            "SHA256SUMS lists a file that is not embedded"
        );
        let lock: serde_json::Value =
            serde_json::from_str(include_str!("../web/package-lock.json")).expect("package-lock.json is JSON");
        let readme = include_str!("../vendor/README.md");
        for package in ["leaflet", "world-atlas"] {
            let version = lock["packages"][format!("node_modules/{package}")]["version"]
                .as_str()
                .expect("pinned");
            assert!(
                readme
                    .lines()
                    .any(|l| l.contains(&format!("| {package} (npm)")) && l.contains(&format!("| {version} |"))),
                "vendor/README.md does not name {package} {version}, the version the lock pins"
            );
        }
    }
}
