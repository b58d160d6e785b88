#!/usr/bin/env python3
"""Store backends: `gleaner ingest` of one WARC into SQLite and into
PostgreSQL, in one run, and the ratio of their pages/s.

The WARC is the one bench/ingest-speed.py builds (its generator is imported:
N distinct articles made from the shared benchmark pages). Each run ingests
it into a fresh store, timed with the dedup-and-merge pass included, as a
user sees it:

    gleaner ingest --quiet --json --jobs J --db TMP/store.db     pages.warc.gz
    gleaner ingest --quiet --json --jobs J --db postgres://…/new pages.warc.gz

The PostgreSQL server is --postgres URL (default: $GLEANER_TEST_POSTGRES, as
printed by `.ci/postgres.sh`); a database is created for every run and
dropped after it, through psql. Best of --repeat runs per backend; prints
pages/s for both and PostgreSQL's speed as a fraction of SQLite's, and
checks that both stores hold the same records (`gleaner export`).

Standard library only.

    bench/store-backends.py [--gleaner PATH] [--data DIR] [--pages N]
                            [--jobs J] [--repeat R] [--postgres URL] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
PROG = "store-backends"


def die(msg: str) -> NoReturn:
    print(f"{PROG}: {msg}", file=sys.stderr)
    sys.exit(1)


def log(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)

def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("--gleaner", type=Path, default=REPO_ROOT / "target" / "release" / "gleaner")
    p.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "bench" / "extraction" / "data")
    p.add_argument("--pages", type=int, default=3000)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--repeat", type=int, default=2)
    p.add_argument("--postgres", default=os.environ.get("GLEANER_TEST_POSTGRES"))
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p.parse_args()


def psql(url: str, sql: str) -> None:
    res = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql], capture_output=True, text=True)
    if res.returncode != 0:
        die(f"psql failed: {res.stderr.strip()}")


def server_url(url: str, db: str) -> str:
    """The URL with its database replaced (query parameters dropped)."""
    base = url.split("?", 1)[0]
    scheme, rest = base.split("://", 1)
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/{db}"


def ingest(gleaner: Path, db: str, warc: Path, jobs: int) -> tuple[float, dict]:
    cmd = [str(gleaner), "ingest", "--quiet", "--json", "--jobs", str(jobs), "--db", db, str(warc)]
    started = time.perf_counter()
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
    seconds = time.perf_counter() - started
    if res.returncode not in (0, 1):
        sys.stderr.write(res.stderr.decode(errors="replace"))
        die(f"gleaner ingest exited with status {res.returncode}")
    return seconds, json.loads(res.stdout.decode().strip().splitlines()[-1])


def export_digest(gleaner: Path, db: str) -> tuple[int, str]:
    res = subprocess.run([str(gleaner), "export", "--db", db, "--format", "jsonl"], capture_output=True, check=True)
    return res.stdout.count(b"\n"), hashlib.sha256(res.stdout).hexdigest()


def main() -> int:
    args = parse_args()
    if not args.gleaner.exists():
        die(f"no gleaner binary at {args.gleaner} (cargo build --release, or --gleaner PATH)")
    if not args.postgres:
        die("no PostgreSQL server: give --postgres URL or run eval \"$(.ci/postgres.sh)\" first")
    if shutil.which("psql") is None:
        die("psql not found (apt-get install postgresql-client)")
    ispeed = benchlib.load_module(BENCH_DIR / "ingest-speed.py")
    with tempfile.TemporaryDirectory(prefix="gleaner-store-bench-") as tmp:
        work = Path(tmp)
        sources = ispeed.load_sources(args.data)
        texts = ispeed.probe_texts(args.gleaner, sources, work)
        templates = [ispeed.Template(html, text) for (_, html), text in zip(sources, texts)]
        warc = work / "pages.warc.gz"
        log(f"writing {args.pages} pages to {warc}")
        ispeed.generate(templates, args.pages, warc, work / "html", 6)

        runs: dict[str, list[float]] = {"sqlite": [], "postgres": []}
        digests: dict[str, tuple[int, str]] = {}
        summaries: dict[str, dict] = {}
        for r in range(args.repeat):
            db_file = work / f"store-{r}.db"
            secs, summary = ingest(args.gleaner, str(db_file), warc, args.jobs)
            runs["sqlite"].append(secs)
            summaries["sqlite"] = summary
            digests["sqlite"] = export_digest(args.gleaner, str(db_file))
            log(f"sqlite   run {r + 1}: {secs:.2f} s ({summary['pages'] / secs:.0f} pages/s)")

            name = f"gleaner_bench_{os.getpid()}_{r}"
            psql(args.postgres, f"CREATE DATABASE {name}")
            try:
                url = server_url(args.postgres, name)
                secs, summary = ingest(args.gleaner, url, warc, args.jobs)
                runs["postgres"].append(secs)
                summaries["postgres"] = summary
                digests["postgres"] = export_digest(args.gleaner, url)
            finally:
                psql(args.postgres, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            log(f"postgres run {r + 1}: {secs:.2f} s ({summary['pages'] / secs:.0f} pages/s)")

    best = {k: min(v) for k, v in runs.items()}
    pages = summaries["sqlite"]["pages"]
    rate = {k: pages / s for k, s in best.items()}
    same = digests["sqlite"] == digests["postgres"]
    result = {
        "pages": pages,
        "jobs": args.jobs,
        "records": digests["sqlite"][0],
        "sqlite_pages_per_s": round(rate["sqlite"], 1),
        "postgres_pages_per_s": round(rate["postgres"], 1),
        "postgres_over_sqlite": round(rate["postgres"] / rate["sqlite"], 3),
        "same_records": same,
        "best_seconds": {k: round(v, 3) for k, v in best.items()},
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{pages} pages, --jobs {args.jobs}, best of {args.repeat}:")
        print(f"  SQLite      {rate['sqlite']:8.1f} pages/s")
        print(f"  PostgreSQL  {rate['postgres']:8.1f} pages/s")
        print(f"  PostgreSQL / SQLite = {result['postgres_over_sqlite']:.2f}")
        print(f"  same records in both stores: {'yes' if same else 'NO'} ({digests['sqlite'][0]} records)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
