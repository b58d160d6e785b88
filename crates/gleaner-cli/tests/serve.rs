//! `gleaner serve` over HTTP: every API endpoint with good and bad
//! parameters, uploads (auth, size limits, kinds) through the real binary,
//! and the app's files and security headers.

use serde_json::Value;

mod common;
use common::server::{sample_store, tmpdir, Server};
use common::shared_pages;

#[test]
fn search_with_filters_facets_sort_and_paging() {
    let dir = tmpdir("search");
    let s = Server::start(&sample_store(&dir), &[]);
    let v = s.ok("/api/records?q=harbour+flood&facets=true");
    let hits = v["records"].as_array().unwrap();
    assert_eq!(
        hits[0]["title"].as_str().unwrap_or(""),
        "Port Ellery harbour floods as spring tide and storm surge overwhelm sea wall"
    );
    assert!(hits[0]["snippet"].as_str().unwrap().contains('['), "{v}");
    assert!(v["next"].is_null());
    assert!(v["facets"]["publisher"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["value"] == "The Saltmarsh Courier"));

    // Place, country and event-type filters come from the analysis.
    let hyesan = s.ok("/api/records?place=Hyesan");
    assert_eq!(hyesan["records"][0]["publisher"], "AMN", "{hyesan}");
    let kp = s.ok("/api/records?country=kp&facets=true");
    assert!(
        kp["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["publisher"] == "AMN"),
        "{kp}"
    );
    assert!(kp["facets"]["country"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["value"] == "KP"));
    let types = s.ok("/api/records?facets=true")["facets"]["type"].clone();
    let first_type = types[0]["value"].as_str().unwrap().to_string();
    let typed = s.ok(&format!("/api/records?type={first_type}&limit=100"));
    assert_eq!(
        typed["records"].as_array().unwrap().len() as u64,
        types[0]["count"].as_u64().unwrap()
    );

    // Paging: every record once, in the asked order.
    let mut seen = Vec::new();
    let mut path = "/api/records?sort=oldest&limit=4".to_string();
    loop {
        let page = s.ok(&path);
        for r in page["records"].as_array().unwrap() {
            seen.push((
                r["published"].as_str().unwrap_or("~").to_string(),
                r["id"].as_str().unwrap().to_string(),
            ));
        }
        match page["next"].as_str() {
            Some(c) => path = format!("/api/records?sort=oldest&limit=4&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 9, "{seen:?}");
    let dates: Vec<&String> = seen.iter().map(|(d, _)| d).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let mut ids: Vec<&String> = seen.iter().map(|(_, i)| i).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 9);

    let newest = s.ok("/api/records?sort=newest&limit=1&from=2024&to=2024-03");
    assert_eq!(
        newest["records"][0]["published"].as_str().unwrap().get(..7),
        Some("2024-03"),
        "{newest}"
    );
    assert!(s.ok("/api/records?q=%22unbalanced+AND+-&lang=en")["records"]
        .as_array()
        .unwrap()
        .is_empty());

    for (path, needle) in [
        ("/api/records?limit=0", "limit"),
        ("/api/records?limit=101", "limit"),
        ("/api/records?limit=ten", "limit"),
        ("/api/records?from=yesterday", "from"),
        ("/api/records?to=2024-13", "to"),
        ("/api/records?sort=sideways", "sort"),
        ("/api/records?cursor=abc", "cursor"),
        ("/api/records?cursor=o999999", "cursor"),
        ("/api/records?country=Korea", "country"),
        ("/api/records?lang=english", "lang"),
        ("/api/records?contry=KP", "contry"),
        ("/api/records?q=a&q=b", "more than once"),
        ("/api/records?facets=maybe", "facets"),
    ] {
        s.refused(path, 400, needle);
    }
}

#[test]
fn records_copies_events_places_timeline_stats_and_the_document() {
    let dir = tmpdir("endpoints");
    let s = Server::start(&sample_store(&dir), &[]);
    let id = s.ok("/api/records?place=Hyesan")["records"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rec = s.ok(&format!("/api/records/{id}"));
    assert_eq!(rec["schema"], "gleaner.record/1");
    assert_eq!(rec["id"], id.as_str());
    assert!(
        rec["text"].as_str().unwrap().starts_with("Authorities in North Korea"),
        "{}",
        rec["text"]
    );
    assert!(!rec["quotes"].as_array().unwrap().is_empty());
    assert_eq!(
        s.ok(&format!("/api/records/{}", &id[..8]))["id"],
        id.as_str(),
        "a unique prefix finds the record"
    );
    assert_eq!(s.ok(&format!("/api/records/{}", id.to_uppercase()))["id"], id.as_str());
    s.refused("/api/records/0123456789abcdef", 404, "no record");
    s.refused("/api/records/not-an-id", 400, "not a record id");
    s.refused("/api/records/abc", 400, "not a record id");
    s.refused(&format!("/api/records/{id}?x=1"), 400, "unknown parameter");
    let copies = s.ok(&format!("/api/records/{id}/copies"));
    assert_eq!(copies["id"], id.as_str());
    assert!(
        copies["copies"].as_array().unwrap().is_empty(),
        "the samples have no near-copies: {copies}"
    );

    let events = s.ok("/api/events?limit=1000");
    let list = events["events"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|e| !e["sources"].as_array().unwrap().is_empty()));
    // The Hyesan lockdown is now the sentence that tells it ("sealed off the
    // entire city"), which names no place, not the later "recent lockdown of
    // the entire city of Hyesan" (issue 13): the Lisbon ferry strike is the
    // event with a geocoded city.
    let placed = list
        .iter()
        .find(|e| e["place"] == "Lisbon")
        .unwrap_or_else(|| panic!("an event in Lisbon: {events}"));
    assert_eq!(placed["country"], "PT");
    assert!((placed["lat"].as_f64().unwrap() - 38.7).abs() < 0.5, "{placed}");
    let kind = placed["type"].as_str().unwrap();
    let same = s.ok(&format!("/api/events?type={kind}&limit=1000"));
    assert!(same["events"].as_array().unwrap().iter().all(|e| e["type"] == kind));
    let one = s.ok("/api/events?limit=1");
    assert_eq!(one["events"].as_array().unwrap().len(), 1);
    let second = s.ok(&format!("/api/events?limit=1&cursor={}", one["next"].as_str().unwrap()));
    assert_ne!(second["events"][0]["seq"], one["events"][0]["seq"]);
    s.refused("/api/events?limit=5000", 400, "limit");
    s.refused("/api/events?from=2020-02-30x", 400, "from");

    let places = s.ok("/api/places");
    let hyesan = places["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Hyesan")
        .unwrap()
        .clone();
    assert_eq!(hyesan["country"], "KP");
    assert!(hyesan["records"].as_u64().unwrap() >= 1, "{hyesan}");
    let lisbon = places["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Lisbon")
        .unwrap()
        .clone();
    assert!(
        lisbon["records"].as_u64().unwrap() >= 1 && lisbon["events"].as_u64().unwrap() >= 1,
        "{lisbon}"
    );
    let kp = s.ok("/api/places?country=KP");
    assert!(kp["places"].as_array().unwrap().iter().all(|p| p["country"] == "KP"));
    assert_eq!(s.ok("/api/places?limit=2")["places"].as_array().unwrap().len(), 2);
    s.refused("/api/places?limit=-1", 400, "limit");

    let months = s.ok("/api/timeline");
    assert_eq!(months["bucket"], "month");
    let total: u64 = months["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        total + months["events_too_coarse"].as_u64().unwrap(),
        list.iter().filter(|e| !e["date"].is_null()).count() as u64
    );
    let weeks = s.ok("/api/timeline?bucket=week&country=KP");
    assert!(weeks["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["bucket"].as_str().unwrap().len() == 10));
    assert!(!s.ok("/api/timeline?bucket=day")["records"]
        .as_array()
        .unwrap()
        .is_empty());
    s.refused("/api/timeline?bucket=year", 400, "bucket");

    let stats = s.ok("/api/stats");
    assert_eq!(stats["records"], 9);
    assert!(stats["by_publisher"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["value"] == "AMN"));

    let doc = s.ok("/api/openapi.json");
    for p in [
        "/api/records",
        "/api/records/{id}",
        "/api/events",
        "/api/places",
        "/api/timeline",
        "/api/stats",
        "/api/ingest",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} undocumented");
    }
    s.refused("/api/nothing", 404, "openapi");
    let (status, _, body) = s.request("DELETE", "/api/records", &[], b"");
    assert_eq!(status, 405, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn the_app_is_served_from_the_binary_with_a_strict_policy() {
    let dir = tmpdir("app");
    let s = Server::start(&sample_store(&dir), &[]);
    let (status, head, body) = s.request("GET", "/", &[], b"");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-security-policy: default-src 'self'; script-src 'self'"),
        "{head}"
    );
    assert!(head.contains("x-content-type-options: nosniff"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("/assets/app.js") && html.contains("/assets/leaflet.js"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no address outside the server"
    );
    for (path, at_least) in [
        ("/assets/app.js", 5_000),
        ("/assets/leaflet.js", 100_000),
        ("/assets/countries-50m.json", 500_000),
    ] {
        let (status, _, body) = s.request("GET", path, &[], b"");
        assert_eq!(status, 200, "{path}");
        assert!(body.len() >= at_least, "{path}: {} bytes", body.len());
    }
}

#[test]
fn uploads_need_a_token_obey_limits_and_use_the_ingest_path() {
    let dir = tmpdir("upload");
    let db = sample_store(&dir);
    // One of the shared benchmark pages, as a client would send it.
    let page = shared_pages().swap_remove(0).1;

    // Off without a token.
    let off = Server::start(&db, &[]);
    let (status, _, body) = off.request("POST", "/api/ingest?name=page.html", &[], &page);
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    drop(off);

    let token_file = dir.join("token");
    std::fs::write(&token_file, "s3cret-token-for-tests-only\n").unwrap();
    let s = Server::start(
        &db,
        &["--token-file", token_file.to_str().unwrap(), "--max-body", "2000000"],
    );
    let auth = [("Authorization", "Bearer s3cret-token-for-tests-only")];
    let post = |path: &str, headers: &[(&str, &str)], body: &[u8]| {
        let (status, _, body) = s.request("POST", path, headers, body);
        (
            status,
            serde_json::from_slice::<Value>(&body)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&body))),
        )
    };
    assert_eq!(post("/api/ingest?name=page.html", &[], &page).0, 401);
    assert_eq!(
        post(
            "/api/ingest?name=page.html",
            &[("Authorization", "Bearer wrong-token-of-same-len!")],
            &page
        )
        .0,
        401
    );
    assert_eq!(post("/api/ingest?name=page.html", &auth, b"").0, 400);
    assert_eq!(post("/api/ingest?name=page.exe", &auth, &page).0, 415);
    assert_eq!(
        post("/api/ingest", &auth, &page).0,
        415,
        "neither a name nor a content type"
    );
    let big = vec![b'a'; 3_000_000];
    let (status, v) = post("/api/ingest?name=big.txt", &auth, &big);
    assert_eq!(status, 413, "{v}");

    let (status, v) = post("/api/ingest?name=../../evil/page.html", &auth, &page);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["new_records"], 1, "{v}");
    assert_eq!(s.ok("/api/stats")["records"], 10);
    // The same page again is known, not stored twice.
    let (_, v) = post(
        "/api/ingest",
        &[auth[0], ("Content-Type", "text/html; charset=utf-8")],
        &page,
    );
    assert_eq!(
        (v["new_records"].as_u64(), v["known_records"].as_u64()),
        (Some(0), Some(1)),
        "{v}"
    );

    // A WARC with one good page and one binary payload: one record, one error.
    let mut warc = gleaner_read_warc(b"https://upload.test/a", b"<html><head><title>Upload test page</title></head><body><article><p>The upload test page tells of a quay that was repaired over three long weeks by the harbour board, which said the work finished early.</p></article></body></html>");
    warc.extend(gleaner_read_warc(
        b"https://upload.test/png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
    ));
    let (status, v) = post("/api/ingest?name=crawl.warc", &auth, &warc);
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["new_records"].as_u64(), v["errors"].as_u64()),
        (Some(1), Some(1)),
        "{v}"
    );
    assert_eq!(
        s.ok("/api/records?q=quay+repaired")["records"][0]["url"],
        "https://upload.test/a"
    );
}

/// One WARC/1.1 response record (written here, so the test does not depend
/// on the library's writer it would be checking).
fn gleaner_read_warc(uri: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
    http.extend_from_slice(payload);
    let mut out = Vec::new();
    out.extend_from_slice(b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: ");
    out.extend_from_slice(uri);
    out.extend_from_slice(b"\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:");
    out.extend_from_slice(format!("{:032x}", payload.len()).as_bytes());
    out.extend_from_slice(
        format!(
            ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            http.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&http);
    out.extend_from_slice(b"\r\n\r\n");
    out
}
