#!/usr/bin/env python3
"""What a gleaner binary makes of a fixed set of inputs, written to a folder
so two builds can be compared with `diff -r`.

    scripts/behaviour-snapshot.py --gleaner BIN --out DIR
    scripts/behaviour-snapshot.py --compare DIR_A DIR_B

The snapshot holds, for the 181 shared benchmark pages, the sample pages,
the hostile page and the spec reprint:

- `extract.jsonl`: every record `gleaner extract` prints (one per line, input
  order);
- the store after `gleaner ingest` of the same pages plus a WARC made of
  them: `export.jsonl`, `events.jsonl`, `dupes.jsonl`, `stats.json`,
  `timeline-*.txt`, `search-*.jsonl`, and the ingest summary without its
  timings;
- `api/*.json`: the answers of `gleaner serve` to a fixed list of requests
  (status and body).

Run from the repository root (paths in records are the relative paths given
on the command line). Timings are dropped; nothing else is. A restructuring
that changes none of the behaviour leaves `--compare` silent. Standard
library only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

API_REQUESTS = [
    "/api/stats",
    "/api/records?limit=100",
    "/api/records?q=ferry&facets=true",
    "/api/records?q=north+korea&sort=newest&limit=5",
    "/api/records?country=KP",
    "/api/records?type=protest&facets=true",
    "/api/records?from=2019-11&to=2019-11-30&limit=50",
    "/api/records?cursor=o20&limit=10",
    "/api/records?limit=0",
    "/api/records?contry=KP",
    "/api/events?limit=1000",
    "/api/events?country=KP",
    "/api/events?type=arrest_detention&limit=3",
    "/api/places?limit=50",
    "/api/places?country=US&limit=20",
    "/api/timeline",
    "/api/timeline?bucket=week",
    "/api/timeline?bucket=day&country=KP",
    "/api/records/zzz",
    "/api/records/0000000000000000",
    "/api/ingest",
]


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, **kw)


def write_warc(pages: list[Path], out: Path) -> None:
    """A WARC/1.1 file, one gzip member per response record, written here so
    the snapshot needs no gleaner code to make its input."""
    # Plain-text pages also go in edited (one sentence added), so the store
    # holds near-copies for the dedup pass to cluster.
    items = []
    for p in pages:
        body = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
        items.append((p, body))
        if p.name.endswith(".txt"):
            items.append((p, body.rstrip() + b"\n\nThis copy was edited for the snapshot.\n"))
    with open(out, "wb") as f:
        for i, (p, body) in enumerate(items):
            ctype = "text/plain; charset=utf-8" if p.name.endswith((".txt", ".txt.gz")) else "text/html"
            http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
            uri = f"https://snapshot.test/{i:04d}/{p.name.split('.')[0]}"
            head = (
                "WARC/1.1\r\nWARC-Type: response\r\n"
                f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{i:012d}>\r\n"
                f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-02T03:04:05Z\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n"
            ).encode()
            f.write(gzip.compress(head + http + b"\r\n\r\n", mtime=0))


def drop_timings(v):
    if isinstance(v, dict):
        return {k: drop_timings(x) for k, x in v.items() if k not in ("seconds", "pages_per_second")}
    if isinstance(v, list):
        return [drop_timings(x) for x in v]
    return v


def snapshot(gleaner: str, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="gleaner-snapshot-"))
    try:
        # Inputs, under stable relative names: copied into target/snapshot-inputs.
        inputs = ROOT / "target" / "snapshot-inputs"
        if inputs.exists():
            shutil.rmtree(inputs)
        (inputs / "shared").mkdir(parents=True)
        for p in sorted((SHARED / "bench/extraction/data/html").glob("*.html.gz")):
            shutil.copy(p, inputs / "shared" / p.name)
        shutil.copytree(ROOT / "examples/pages", inputs / "examples")
        shutil.copytree(ROOT / "testdata/hostile", inputs / "hostile")
        shutil.copy(SHARED / "spec/example-reprint.txt", inputs / "example-reprint.txt")
        rel = os.path.relpath(inputs, ROOT)
        pages = sorted(p for p in inputs.rglob("*") if p.is_file())
        write_warc(pages, inputs / "all.warc.gz")
        for f in inputs.rglob("*"):  # mtimes are stored as fetched_at: fix them
            os.utime(f, (1_700_000_000, 1_700_000_000))

        r = run([gleaner, "extract", "--quiet", "--jobs", "2", rel + "/shared", rel + "/examples", rel + "/hostile",
                 rel + "/example-reprint.txt"])
        (out / "extract.jsonl").write_text(r.stdout)
        (out / "extract.status").write_text(f"{r.returncode}\n")

        db = str(work / "s.db")
        r = run([gleaner, "ingest", "--json", "--jobs", "2", "--db", db, rel])
        summary = drop_timings(json.loads(r.stdout)) if r.stdout.strip() else {"stdout": r.stdout, "stderr": r.stderr}
        (out / "ingest-summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
        r = run([gleaner, "ingest", "--json", "--db", db, rel])  # a rerun changes nothing
        summary = drop_timings(json.loads(r.stdout)) if r.stdout.strip() else {"stdout": r.stdout, "stderr": r.stderr}
        (out / "ingest-rerun-summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
        for name, cmd in [
            ("export.jsonl", ["export", "--format", "jsonl"]),
            ("export.csv", ["export", "--format", "csv"]),
            ("events.jsonl", ["events", "--format", "jsonl"]),
            ("events.csv", ["events", "--format", "csv"]),
            ("events-KP.txt", ["events", "--country", "KP"]),
            ("dupes.jsonl", ["dupes", "--format", "jsonl"]),
            ("stats.json", ["stats", "--json"]),
            ("timeline-month.txt", ["timeline"]),
            ("timeline-day.txt", ["timeline", "--by", "day"]),
            ("timeline-week.txt", ["timeline", "--by", "week"]),
            ("search-flood.jsonl", ["search", "--format", "jsonl", "flood"]),
            ("search-korea-2020.jsonl", ["search", "--format", "jsonl", "--from", "2020", "korea"]),
            ("search-all.jsonl", ["search", "--format", "jsonl", "--limit", "500"]),
        ]:
            r = run([gleaner, *cmd, "--db", db])
            (out / name).write_text(r.stdout + (f"\n[exit {r.returncode}] {r.stderr}" if r.returncode else ""))

        api = out / "api"
        api.mkdir()
        proc = subprocess.Popen([gleaner, "serve", "--db", db, "--addr", "127.0.0.1:0"], cwd=ROOT,
                                stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        try:
            base = None
            deadline = time.time() + 60
            while base is None and time.time() < deadline:
                line = proc.stderr.readline()
                m = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
                if m:
                    base = m.group(1)
            if base is None:
                sys.exit("gleaner serve did not start")
            for i, path in enumerate(API_REQUESTS):
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as resp:
                        status, body = resp.status, resp.read()
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read()
                try:
                    body_v = json.loads(body)
                except ValueError:
                    body_v = body.decode("utf-8", "replace")
                (api / f"{i:02d}.json").write_text(
                    json.dumps({"request": path, "status": status, "body": body_v}, indent=1, ensure_ascii=False) + "\n")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"snapshot written to {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gleaner", default=str(ROOT / "target/release/gleaner"))
    ap.add_argument("--out")
    ap.add_argument("--compare", nargs=2, metavar="DIR")
    a = ap.parse_args()
    if a.compare:
        r = subprocess.run(["diff", "-r", *a.compare])
        print("identical" if r.returncode == 0 else "DIFFERENT")
        sys.exit(r.returncode)
    if not a.out:
        ap.error("--out DIR is needed (or --compare A B)")
    snapshot(a.gleaner, Path(a.out).resolve())


if __name__ == "__main__":
    main()
