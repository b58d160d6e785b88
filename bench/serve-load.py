#!/usr/bin/env python3
"""Load benchmark of `gleaner serve`: search and record fetch under wrk.

Builds a store of N distinct records (--records, default 100000) from the
shared benchmark pages with variations (the same generator as
bench/ingest-speed.py: page i is shared page i % 181 with "variation i …"
in its text and " (copy i)" in its title), ingested with `gleaner ingest`
from one .warc.gz. The store is kept under target/bench-serve/ and reused
while it holds N records (--rebuild forces a new one).

Then starts `gleaner serve` on a free loopback port and runs Debian's `wrk`
(apt-get install wrk) against it, --duration seconds each with
--connections connections on 2 threads:

  search   GET /api/records?q=WORDS&limit=20, WORDS cycling through 200
           queries made of one to three words of the pages' titles
  record   GET /api/records/ID, ID cycling through 2000 random stored ids
  search+filter  GET /api/records?q=WORD&country=..&sort=newest (facets off)
  search+type    GET /api/records?q=WORD&type=..&sort=newest
  search+pub     GET /api/records?q=WORD&publisher=..&sort=newest
  search+dates   GET /api/records?q=WORD&from=MONTH&to=MONTH&sort=newest
  filter+facets  GET /api/records?q=WORD&country=..&facets=true&limit=20,
                 what the web app asks when a country is picked

(--endpoints picks some) and prints requests/s, p50/p99 latency and the count of errors (socket
errors + non-2xx answers), which must be zero. wrk runs on the same machine
as the server: on 2 cores the two compete, so the figures are a floor.

--db runs against a given store instead (as it is: it must have the
schema of the binary under test, so a before/after comparison across a
schema change runs on two copies, the second upgraded by `gleaner ingest`
of an empty input). --save-bodies DIR writes each request's answer into
DIR, one file per request, so two binaries' answers can be compared with
`diff -r` (the requests depend only on the store's content and --seed).
--query-times first times each request alone on the idle server (the
fastest of three) and logs each endpoint's median, p90, p99 and slowest
requests: a tail under load that unloaded requests already show comes from
the queries, not from contention. Both options warm the server before wrk
runs (its readers' facet tables read, its page caches filled), which a
cold start's first seconds under wrk are not: compare runs alike.
--first-burst, before either, sends each chosen endpoint's first requests
to the fresh server, --connections at once, four rounds, and logs each
round's slowest: what a request pays for what the server reads on first
use (the first endpoint meets the server fresh; later ones find it warmed).

    bench/serve-load.py [--gleaner PATH] [--records N] [--duration S]
                        [--connections C] [--rebuild] [--json] [--db PATH]
                        [--endpoints A,B] [--save-bodies DIR] [--query-times]
                        [--first-burst]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
PROG = "serve-load"


def die(msg: str, code: int = 1) -> NoReturn:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)

def record_count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        try:
            return c.execute("SELECT count(*) FROM records").fetchone()[0]
        except sqlite3.Error:
            return 0


def build_store(gleaner: Path, data: Path, n: int, db: Path) -> dict:
    ispeed = benchlib.load_module(BENCH_DIR / "ingest-speed.py")
    work = Path(tempfile.mkdtemp(prefix="gleaner-serve-load-"))
    try:
        sources = ispeed.load_sources(data)
        texts = ispeed.probe_texts(gleaner, sources, work)
        templates = [ispeed.Template(html, text) for (_, html), text in zip(sources, texts)]
        warc = work / "pages.warc.gz"
        log(f"writing {n} pages into {warc}")
        with open(warc, "wb") as out:
            for i in range(n):
                rec = ispeed.response_record(i, templates[i % len(templates)].render(i))
                out.write(gzip.compress(rec, compresslevel=1, mtime=0))
        for f in [db, Path(f"{db}-wal"), Path(f"{db}-shm")]:
            f.unlink(missing_ok=True)
        log(f"ingesting into {db} (analysis and dedup included; minutes for 100k pages)")
        started = time.perf_counter()
        res = subprocess.run([str(gleaner), "ingest", "--quiet", "--json", "--db", str(db), str(warc)], capture_output=True, text=True)
        if res.returncode not in (0, 1):
            sys.stderr.write(res.stderr)
            die(f"ingest failed with status {res.returncode}")
        summary = json.loads(res.stdout)
        summary["wall_seconds"] = time.perf_counter() - started
        return summary
    finally:
        shutil.rmtree(work, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(gleaner: Path, db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([str(gleaner), "serve", "--quiet", "--db", str(db), "--addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline() if proc.stderr else ""
    if "serving" not in line:
        proc.kill()
        die(f"gleaner serve did not start: {line}")
    return proc, f"http://127.0.0.1:{port}"


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("LUA-RESULT %%d %%d %%d %%d\\n", summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status, latency:percentile(99)))
end
"""


def run_wrk(base: str, paths: list[str], duration: int, connections: int, work: Path, name: str) -> dict:
    script = work / f"{name}.lua"
    script.write_text(LUA % ", ".join(json.dumps(p) for p in paths))
    res = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        die(f"wrk failed ({res.returncode})")
    out = res.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    lua = re.search(r"LUA-RESULT (\d+) (\d+) (\d+) (\d+)", out)
    requests, socket_errors, status_errors = (int(lua.group(k)) for k in (1, 2, 3))
    return {"endpoint": name, "requests": requests, "requests_per_s": rps, "p50_ms": ms("50%"), "p99_ms": ms("99%"),
            "socket_errors": socket_errors, "non_2xx": status_errors}


def save_bodies(base: str, endpoints: dict[str, list[str]], out: Path) -> None:
    """Each request's answer in a file of its own (named by endpoint and
    position): what `diff -r` compares between two binaries."""
    out.mkdir(parents=True, exist_ok=True)
    for name, paths in endpoints.items():
        for i, path in enumerate(paths):
            try:
                with urllib.request.urlopen(base + path, timeout=60) as r:
                    body = r.read()
            except urllib.error.HTTPError as e:
                body = f"HTTP {e.code}\n".encode() + e.read()
            (out / f"{name}-{i:04}.json").write_bytes(body)
    log(f"answers written into {out}")


def first_burst(base: str, endpoints: dict[str, list[str]], connections: int) -> None:
    """A fresh server's first requests, `connections` at once, four rounds per
    endpoint: what a request pays for what the server reads on first use."""
    def get(path: str) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(base + path, timeout=60) as r:
            r.read()
        return (time.perf_counter() - started) * 1000
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for name, paths in endpoints.items():
            rounds = [max(pool.map(get, paths[i * connections:(i + 1) * connections])) for i in range(4)
                      if paths[i * connections:(i + 1) * connections]]
            log(f"first burst {name}: slowest of each round of {connections} at once: "
                + ", ".join(f"{m:.0f}" for m in rounds) + " ms")


def query_times(base: str, endpoints: dict[str, list[str]]) -> None:
    """Each request alone, the fastest of three tries, summarised per endpoint."""
    for name, paths in endpoints.items():
        times = []
        for path in paths:
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=60) as r:
                    r.read()
                best = min(best, time.perf_counter() - started)
            times.append((best * 1000, path))
        times.sort()
        ms = [t for t, _ in times]
        pick = lambda f: ms[min(len(ms) - 1, int(f * len(ms)))]  # noqa: E731
        log(f"alone {name}: median {pick(0.5):.1f} ms, p90 {pick(0.9):.1f}, p99 {pick(0.99):.1f}, "
            f"mean {sum(ms) / len(ms):.1f}")
        for t, path in times[-3:]:
            log(f"  slow: {t:.1f} ms {path}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gleaner", type=Path, default=REPO_ROOT / "target/release/gleaner")
    ap.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared/bench/extraction/data")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--db", type=Path, help="an existing store to serve (not built, not checked for size)")
    ap.add_argument("--first-burst", action="store_true",
                    help="on the fresh server, time its first requests of each endpoint, --connections at once")
    ap.add_argument("--query-times", action="store_true", help="time each request alone first")
    ap.add_argument("--endpoints", default="", help="comma-separated endpoint names (default: all)")
    ap.add_argument("--save-bodies", type=Path, help="write every request's answer body into this folder")
    args = ap.parse_args(argv)
    if not args.gleaner.exists():
        die(f"{args.gleaner} not found: run `cargo build --release` first")
    if not shutil.which("wrk"):
        die("wrk not found: apt-get install wrk")
    ingest = None
    if args.db:
        db = args.db
        stored = record_count(db)
    else:
        db = REPO_ROOT / "target" / "bench-serve" / f"store-{args.records}.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild or record_count(db) < args.records:
            ingest = build_store(args.gleaner, args.data, args.records, db)
        stored = record_count(db)
        if stored < args.records:
            die(f"the store holds {stored} records, fewer than {args.records}")
    log(f"store {db}: {stored} records, {db.stat().st_size / 1e6:.0f} MB")

    rng = random.Random(7)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM records ORDER BY id")]
        titles = [r[0] or "" for r in c.execute("SELECT title FROM records LIMIT 2000")]
        countries = [r[0] for r in c.execute("SELECT DISTINCT country FROM record_places WHERE country IS NOT NULL LIMIT 20")]
        # Drawn after the three lists above so that those stay as they were.
        types = [r[0] for r in c.execute("SELECT DISTINCT type FROM record_event_types ORDER BY type")]
        publishers = [r[0] for r in c.execute("SELECT publisher FROM records WHERE publisher IS NOT NULL ORDER BY seq LIMIT 2000")]
        months = sorted({r[0][:7] for r in c.execute("SELECT published FROM records WHERE published IS NOT NULL ORDER BY seq LIMIT 2000")})
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    queries = ["+".join(rng.sample(words, rng.randint(1, 3))) for _ in range(200)]
    search = [f"/api/records?q={q}&limit=20" for q in queries]
    record = [f"/api/records/{i}" for i in rng.sample(ids, min(2000, len(ids)))]
    filtered = [f"/api/records?q={rng.choice(words)}&country={rng.choice(countries or ['US'])}&sort=newest&limit=20" for _ in range(200)]
    by_type = [f"/api/records?q={rng.choice(words)}&type={rng.choice(types or ['protest'])}&sort=newest&limit=20" for _ in range(200)]
    by_pub = [f"/api/records?q={rng.choice(words)}&publisher={urllib.parse.quote(rng.choice(publishers or ['x']))}&sort=newest&limit=20"
              for _ in range(200)]
    by_dates = []
    for _ in range(200):
        a, b = sorted(rng.sample(months, 2)) if len(months) > 1 else (months or ["2020-01"]) * 2
        by_dates.append(f"/api/records?q={rng.choice(words)}&from={a}&to={b}&sort=newest&limit=20")
    faceted = [f"/api/records?q={rng.choice(words)}&country={rng.choice(countries or ['US'])}&facets=true&limit=20" for _ in range(200)]
    endpoints = {"search": search, "record": record, "search+filter": filtered, "search+type": by_type,
                 "search+pub": by_pub, "search+dates": by_dates, "filter+facets": faceted}
    chosen = [e for e in args.endpoints.split(",") if e] or list(endpoints)
    unknown = [e for e in chosen if e not in endpoints]
    if unknown:
        die(f"unknown endpoints {unknown}: choose from {list(endpoints)}")

    work = Path(tempfile.mkdtemp(prefix="gleaner-wrk-"))
    proc, base = start_server(args.gleaner, db)
    try:
        if args.first_burst:
            first_burst(base, {e: endpoints[e] for e in chosen}, args.connections)
        if args.save_bodies:
            save_bodies(base, {e: endpoints[e] for e in chosen}, args.save_bodies)
        if args.query_times:
            query_times(base, {e: endpoints[e] for e in chosen})
        results = []
        for name in chosen:
            paths = endpoints[name]
            log(f"wrk {name}: {args.duration}s, {args.connections} connections")
            results.append(run_wrk(base, paths, args.duration, args.connections, work, name))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    report = {"records": stored, "store_mb": round(db.stat().st_size / 1e6), "connections": args.connections,
              "duration_s": args.duration, "cores": os.cpu_count(), "results": results, "ingest": ingest}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"gleaner serve, {stored} records ({report['store_mb']} MB store), wrk -t2 -c{args.connections} -d{args.duration}s on the same {os.cpu_count()}-core machine")
        print(f"{'endpoint':<15} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for r in results:
            print(f"{r['endpoint']:<15} {r['requests_per_s']:>9.0f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['socket_errors'] + r['non_2xx']:>7}")
    bad = sum(r["socket_errors"] + r["non_2xx"] for r in results)
    if bad:
        log(f"FAIL: {bad} errors")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
