//! Fetches the web app's third-party browser assets (Leaflet and the
//! world-atlas country outlines, pinned in `web/package-lock.json`) with
//! `npm ci` into the build directory, so the binary can embed them and the
//! app needs no network when it runs. Nothing is written into the source tree.
//!
//! `GLEANER_WEB_VENDOR=DIR` points at a folder that already holds
//! `node_modules/leaflet` and `node_modules/world-atlas` (an offline build).

use std::path::{Path, PathBuf};
use std::process::Command;

const NEEDED: &[&str] = &[
    "node_modules/leaflet/dist/leaflet.js",
    "node_modules/leaflet/dist/leaflet.css",
    "node_modules/world-atlas/countries-50m.json",
];

fn main() {
    println!("cargo:rerun-if-changed=web/package.json");
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-env-changed=GLEANER_WEB_VENDOR");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let vendor = match std::env::var_os("GLEANER_WEB_VENDOR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let dir = out.join("web");
            if !complete(&dir) {
                fetch(&dir);
            }
            dir
        }
    };
    if !complete(&vendor) {
        panic!("gleaner-serve: {} lacks {NEEDED:?}", vendor.display());
    }
    // One place the crate includes from, whichever way the assets came.
    for file in NEEDED {
        let name = Path::new(file).file_name().expect("file names");
        std::fs::copy(vendor.join(file), out.join(name)).expect("copy a vendored asset into OUT_DIR");
    }
}

fn complete(dir: &Path) -> bool {
    NEEDED.iter().all(|f| dir.join(f).is_file())
}

fn fetch(dir: &Path) {
    std::fs::create_dir_all(dir).expect("create the vendor folder");
    for f in ["package.json", "package-lock.json"] {
        std::fs::copy(Path::new("web").join(f), dir.join(f)).expect("copy web/package*.json");
    }
    let status = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "gleaner-serve: `npm ci` for the web app's Leaflet and world-atlas assets failed ({s}). \
             It needs the npm registry once; or set GLEANER_WEB_VENDOR to a folder with those node_modules."
        ),
        Err(e) => panic!(
            "gleaner-serve: cannot run npm ({e}) to fetch the web app's Leaflet and world-atlas assets. \
             Install Node.js and npm, or set GLEANER_WEB_VENDOR to a folder with those node_modules."
        ),
    }
}
