#!/usr/bin/env bash
# Refreshes crates/gleaner-serve/vendor/ (Leaflet and the world-atlas outlines)
# from the versions pinned in crates/gleaner-serve/web/package-lock.json.
# Needs Node.js and npm and the npm registry; a plain `cargo build` needs none
# of them, because the files are committed. See crates/gleaner-serve/vendor/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
web=crates/gleaner-serve/web
vendor=crates/gleaner-serve/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$web/package.json" "$web/package-lock.json" "$work/"
(
    cd "$work"
    # A changed package.json needs a new lock first; otherwise install exactly the lock.
    if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error 2>/dev/null; then
        npm install --ignore-scripts --no-audit --no-fund --loglevel=error
    fi
)
cp "$work/package-lock.json" "$web/package-lock.json"
mkdir -p "$vendor/leaflet" "$vendor/world-atlas"
cp "$work/node_modules/leaflet/dist/leaflet.js" "$work/node_modules/leaflet/dist/leaflet.css" \
   "$work/node_modules/leaflet/LICENSE" "$vendor/leaflet/"
cp "$work/node_modules/world-atlas/countries-50m.json" "$work/node_modules/world-atlas/LICENSE" "$vendor/world-atlas/"
(cd "$vendor" && sha256sum leaflet/leaflet.js leaflet/leaflet.css world-atlas/countries-50m.json > SHA256SUMS)
echo "vendored:"
grep -h '"version"' "$work/node_modules/leaflet/package.json" "$work/node_modules/world-atlas/package.json"
cat "$vendor/SHA256SUMS"
