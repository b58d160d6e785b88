#!/usr/bin/env bash
# Gleaner against the anchors on every page set with expectations, in one run:
#
#   1. bench/score-corpus.py --split dev    the extraction corpus's development
#   2. bench/score-corpus.py --split test   and never-tuned-on test splits:
#      gleaner, trafilatura 2.3.1, newspaper4k 0.9.6 and htmldate 1.11.0 on
#      title, authors, published, text and opening
#   3. bench/extract-quality.sh             the shared benchmark (181 pages,
#      ../shared/bench/score-extraction): main-text F1, gleaner and trafilatura
#
# then one summary table of the "all sources" rows and the F1s side by side.
#
#   cargo build --release && bench/extract-compare.sh [OUT_DIR]
#
# OUT_DIR (default target/extract-compare) keeps each scorer's full output
# (score-{dev,test}.txt, per-page TSVs, shared.txt) and summary.txt. The
# anchors run in target/corpus-venv, which score-corpus.py creates on first
# use; the shared benchmark reuses it. Speeds are only comparable within a
# run, and only on an otherwise idle machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/target/extract-compare}"
mkdir -p "$out"
[ -x "$root/target/release/gleaner" ] || { echo "build it first: cargo build --release" >&2; exit 1; }
for split in dev test; do
    echo "extract-compare: corpus $split split" >&2
    python3 "$root/bench/score-corpus.py" --split "$split" --per-page "$out/per-page-$split.tsv" --json \
        > "$out/score-$split.txt"
done
echo "extract-compare: shared benchmark" >&2
VENV="$root/target/corpus-venv" "$root/bench/extract-quality.sh" --json > "$out/shared.txt"
python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, sys
from pathlib import Path

out = Path(sys.argv[1])

def last_json(path):
    return json.loads(next(l for l in reversed(path.read_text().splitlines()) if l.startswith("{")))

tools = ["gleaner", "trafilatura", "newspaper4k", "htmldate"]
print("extraction corpus, all sources: exact (lenient); text: mean token F1")
print(f"{'split':6} {'field':10} {'n':>4} " + " ".join(f"{t:>13}" for t in tools) + "  gleaner/trafilatura")
speeds = {}
for split in ["dev", "test"]:
    s = last_json(out / f"score-{split}.txt")
    for field in ["title", "authors", "published", "text", "opening"]:
        row = s["scores"]["all"].get(field)
        if not row:
            continue
        cells = []
        for t in tools:
            v = row.get(t)
            if v is None:
                cells.append(f"{'-':>13}")
            elif field == "text":
                cells.append(f"{v['ok']:>13.3f}")
            else:
                cells.append(f"{v['ok']:>6.2f} ({v['lenient']:.2f})")
        g, tr = row["gleaner"]["ok"], row["trafilatura"]["ok"]
        ratio = f"{g / tr:.2f}" if tr else "-"
        print(f"{split:6} {field:10} {row['n']:>4} " + " ".join(cells) + f"  {ratio:>6}")
    speeds[split] = s["speed"]
print()
print("speed (pages/s; gleaner --jobs 1 batch, anchors' extraction calls)")
for split, sp in speeds.items():
    g = sp["gleaner"]["pages_per_s"]
    print(f"{split:6} " + "  ".join(f"{t} {sp[t]['pages_per_s']:.1f}" for t in tools if t in sp)
          + f"  gleaner/trafilatura {g / sp['trafilatura']['pages_per_s']:.1f}x")
print()
sh = last_json(out / "shared.txt")["results"]
print("shared benchmark (181 pages): F1 (precision, recall), pages/s")
for r in sh:
    print(f"  {r['tool']:45} F1 {r['f1']:.3f} (P {r['precision']:.3f}, R {r['recall']:.3f})"
          + (f", {r['pages_per_s']:.1f} pages/s" if r.get("pages_per_s") else ""))
PY
