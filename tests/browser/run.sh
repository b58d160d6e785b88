#!/usr/bin/env bash
# Real-browser tests of the web app: a store ingested from the sample pages
# plus a hostile page and a WARC (the archived-copy line), `gleaner serve` on a free port, and app.test.mjs
# driving Debian's chromium through playwright-core.
#
# Usage: tests/browser/run.sh [path/to/gleaner]   (default: target/debug/gleaner)
# Needs: /usr/bin/chromium (apt-get install chromium), Node.js with npm.
# Screenshots land in target/browser-screenshots/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
gleaner="${1:-$root/target/debug/gleaner}"
work="$root/target/browser-test"
shots="$root/target/browser-screenshots"
rm -rf "$work" "$shots"
mkdir -p "$work" "$shots"

if [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
    (cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi

"$gleaner" ingest --quiet --db "$work/store.db" "$root/examples/pages" "$root/testdata/hostile" "$root/../shared/spec/example-reprint.txt" \
    "$root/testdata/inputs/warc/webrecorder/warcio/example.warc.gz"
"$gleaner" serve --db "$work/store.db" --addr 127.0.0.1:0 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q "serving" "$work/serve.log" 2>/dev/null && break
    sleep 0.1
done
url="$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)"
if [ -z "$url" ]; then
    echo "gleaner serve did not start:" >&2
    cat "$work/serve.log" >&2
    exit 1
fi
GLEANER_URL="$url" SHOTS="$shots" node --test --test-reporter=spec "$root/tests/browser/app.test.mjs"
