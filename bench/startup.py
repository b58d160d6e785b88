#!/usr/bin/env python3
"""Start-up: `gleaner extract` on one small page end to end, and the Python
package's import and first call, each in a fresh process.

A one-page run is what a shell loop, a CGI-style caller or a test suite
pays per call, so the fixed cost of a process (loading the binary, the
gazetteer, the tagger's weights, the word lists) is the figure here, not
throughput (issue 16: at most 15 ms wall for the CLI).

    bench/startup.py [--gleaner target/release/gleaner] [--python PY]
                     [--page FILE] [--runs N] [--json]

--page defaults to the smallest page of the shared benchmark
(../shared/bench/extraction/data/html, gzipped pages are read as they are).
Each of --runs (default 30) runs starts a new process; the script prints the
minimum and the median wall time. --python names an interpreter that can
`import gleaner` (for example target/py-venv/bin/python after .ci/python.sh);
without it the package is skipped. Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_HTML = ROOT.parent / "shared" / "bench" / "extraction" / "data" / "html"

# Run in the fresh interpreter: times the import and the first two calls.
PY_PROBE = r"""
import gzip, json, sys, time
t0 = time.perf_counter()
import gleaner
t1 = time.perf_counter()
data = open(sys.argv[1], "rb").read()
if sys.argv[1].endswith(".gz"):
    data = gzip.decompress(data)
r = gleaner.extract(data, url="https://example.test/page")
t2 = time.perf_counter()
gleaner.extract(data, url="https://example.test/page")
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "second": t3 - t2, "ok": not gleaner.is_error(r)}))
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--gleaner", type=Path, default=ROOT / "target" / "release" / "gleaner")
    p.add_argument("--python", type=Path, default=None, help="an interpreter that can import gleaner")
    p.add_argument("--page", type=Path, default=None, help="the page (default: the smallest shared page)")
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if not args.gleaner.is_file():
        p.error(f"{args.gleaner} not found: build it with `cargo build --release`")
    page = args.page
    if page is None:
        pages = sorted(SHARED_HTML.glob("*"), key=lambda f: f.stat().st_size)
        if not pages:
            p.error(f"no pages in {SHARED_HTML}: give --page")
        page = pages[0]
    size = len(gzip.decompress(page.read_bytes())) if page.suffix == ".gz" else page.stat().st_size
    print(f"page: {page.name} ({size} bytes of HTML)")

    summary: dict[str, object] = {"page": page.name, "runs": args.runs}
    walls = []
    for _ in range(args.runs):
        t = time.perf_counter()
        done = subprocess.run([str(args.gleaner), "extract", "--quiet", str(page)], capture_output=True)
        walls.append(time.perf_counter() - t)
        if done.returncode != 0:
            print(f"gleaner extract failed ({done.returncode}): {done.stderr.decode(errors='replace')}", file=sys.stderr)
            return 1
    ms = lambda xs: (1000 * min(xs), 1000 * statistics.median(xs))  # noqa: E731
    lo, mid = ms(walls)
    print(f"gleaner extract, one page, new process each: min {lo:.1f} ms, median {mid:.1f} ms ({args.runs} runs)")
    summary["cli_ms"] = {"min": lo, "median": mid}

    if args.python is not None:
        got: dict[str, list[float]] = {"import": [], "first": [], "second": []}
        for _ in range(args.runs):
            done = subprocess.run([str(args.python), "-c", PY_PROBE, str(page)], capture_output=True, text=True)
            if done.returncode != 0:
                print(f"the Python probe failed: {done.stderr}", file=sys.stderr)
                return 1
            r = json.loads(done.stdout.strip().splitlines()[-1])
            if not r["ok"]:
                print("the Python package returned an error for the page", file=sys.stderr)
                return 1
            for k in got:
                got[k].append(r[k])
        for k, label in [("import", "import gleaner"), ("first", "first extract()"), ("second", "second extract()")]:
            lo, mid = ms(got[k])
            print(f"Python package, {label}: min {lo:.1f} ms, median {mid:.1f} ms")
            summary[f"python_{k}_ms"] = {"min": lo, "median": mid}
    if args.json:
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
