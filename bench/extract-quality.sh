#!/usr/bin/env bash
# Main-text quality of Gleaner and trafilatura (its best configuration,
# include_comments=False) on the shared benchmark, scored in ONE run of
# ../shared/bench/score-extraction so the figures are side by side.
#
#   bench/extract-quality.sh            # needs target/release/gleaner
#
# The trafilatura venv is the one bench/extract-speed.py creates
# (target/bench-venv; VENV=PATH for another with trafilatura 2.3.1, as
# bench/extract-compare.sh passes target/corpus-venv); it is created here if
# missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-$root/target/bench-venv}"
if ! "$venv/bin/python" -c "import trafilatura" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q trafilatura==2.3.1 lxml_html_clean==0.4.6
fi
[ -x "$root/target/release/gleaner" ] || { echo "build it first: cargo build --release" >&2; exit 1; }
python3 "$root/../shared/bench/score-extraction" \
    --batch "$root/target/release/gleaner extract --quiet --format text --out-dir {outdir} {indir}" \
    --batch "$venv/bin/python $root/bench/trafilatura_batch.py {indir} {outdir}" \
    --name gleaner --name "trafilatura 2.3.1 (include_comments=False)" "$@"
