//! Helpers shared by the CLI's integration tests (each test file is its own
//! crate and uses a different subset, hence the allowance below).
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty folder for one test (`prefix` names the test file).
pub fn tmpdir(prefix: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gleaner-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The shared benchmark pages, decompressed, sorted by id.
pub fn shared_pages() -> Vec<(String, Vec<u8>)> {
    let dir = repo().join("../shared/bench/extraction/data/html");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            let id = p.file_name().unwrap().to_string_lossy().replace(".html.gz", "");
            (id, bytes)
        })
        .collect()
}

pub mod extract;
pub mod ingest;
pub mod server;
