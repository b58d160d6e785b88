#!/usr/bin/env bash
# Real-browser tests of the web app: a store ingested from the sample pages
# plus a hostile page and a WARC (the archived-copy line), a page fetched by
# `gleaner watch` from a local fixture site, `gleaner serve` on a free port, and app.test.mjs
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
# Waits up to 10 s for a line matching $2 in the log file $1.
wait_for_line() {
    for _ in $(seq 100); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
}

# A page fetched by `gleaner watch` from a local fixture site (python3's
# http.server on a free loopback port): the article view must show its
# archived copy, and the Atom feed must list it.
site="$work/site"
mkdir -p "$site"
python3 -m http.server --bind 127.0.0.1 --directory "$site" 0 > "$work/site.log" 2>&1 &
site_pid=$!
trap 'kill $site_pid 2>/dev/null || true' EXIT
wait_for_line "$work/site.log" "port [0-9]"
site_url="http://127.0.0.1:$(grep -o 'port [0-9]*' "$work/site.log" | head -1 | cut -d' ' -f2)"
cat > "$site/watched.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reservoir levels fall in the lowland districts</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Reservoir levels fall in the lowland districts</h1>
<p>Water officials said on Monday that the reservoir serving the lowland districts had fallen to a third of its
usual level after the driest autumn in two decades, and that farmers would be asked to cut their use by half.</p>
<p>The district council will meet on Thursday to decide whether the restrictions extend to households, a spokesperson said.</p>
</article></body></html>
HTML
cat > "$site/feed.xml" <<XML
<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture site</title><link>$site_url/</link>
<description>local fixture</description><item><title>Reservoir levels fall</title><link>$site_url/watched.html</link></item>
</channel></rss>
XML
"$gleaner" watch "$site_url/feed.xml" --once --quiet --db "$work/store.db" --warc-dir "$work/warc" --allow-private --interval 0
kill $site_pid 2>/dev/null || true

"$gleaner" serve --db "$work/store.db" --addr 127.0.0.1:0 2> "$work/serve.log" &
server=$!
trap 'kill $server $site_pid 2>/dev/null || true' EXIT
wait_for_line "$work/serve.log" "serving"
url="$(grep -o 'http://[0-9.:]*' "$work/serve.log" | head -1)"
if [ -z "$url" ]; then
    echo "gleaner serve did not start:" >&2
    cat "$work/serve.log" >&2
    exit 1
fi
GLEANER_URL="$url" SHOTS="$shots" node --test --test-reporter=spec "$root/tests/browser/app.test.mjs"
