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
import resource
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
    p.add_argument("--warc", type=Path, help="ingest this WARC instead of generating --pages pages")
    p.add_argument("--old", type=Path, help="a second (older) binary, run alternately with --gleaner")
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


def postmaster_cpu(url: str) -> float | None:
    """The server's CPU-seconds so far: the postmaster's own and its reaped
    children's (the backends of closed connections); None when the server's
    folder cannot be read (a server on another machine)."""
    res = subprocess.run(["psql", url, "-Atc", "SHOW data_directory"], capture_output=True, text=True)
    try:
        pid = int((Path(res.stdout.strip()) / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None
    # utime, stime, cutime, cstime are fields 14-17 of stat (1-based).
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def ingest(gleaner: Path, db: str, warc: Path, jobs: int, server: str | None = None) -> tuple[float, float, float | None, dict]:
    """Wall seconds, Gleaner's CPU-seconds, the server's CPU-seconds (None
    for SQLite) and the ingest's JSON summary."""
    cmd = [str(gleaner), "ingest", "--quiet", "--json", "--jobs", str(jobs), "--db", db, str(warc)]
    server_before = postmaster_cpu(server) if server else None
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    res = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
    seconds = time.perf_counter() - started
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if res.returncode not in (0, 1):
        sys.stderr.write(res.stderr.decode(errors="replace"))
        die(f"gleaner ingest exited with status {res.returncode}")
    server_cpu = None
    if server_before is not None:
        # The backends exit when Gleaner closes its connections; give the
        # postmaster a moment to reap them so their CPU is counted.
        time.sleep(0.5)
        after = postmaster_cpu(server)
        server_cpu = None if after is None else after - server_before
    return seconds, cpu, server_cpu, json.loads(res.stdout.decode().strip().splitlines()[-1])


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
    bins = {"new": args.gleaner}
    if args.old:
        if not args.old.exists():
            die(f"no gleaner binary at {args.old}")
        bins["old"] = args.old
    with tempfile.TemporaryDirectory(prefix="gleaner-store-bench-") as tmp:
        work = Path(tmp)
        if args.warc:
            warc = args.warc
        else:
            ispeed = benchlib.load_module(BENCH_DIR / "ingest-speed.py")
            sources = ispeed.load_sources(args.data)
            texts = ispeed.probe_texts(args.gleaner, sources, work)
            templates = [ispeed.Template(html, text) for (_, html), text in zip(sources, texts)]
            warc = work / "pages.warc.gz"
            log(f"writing {args.pages} pages to {warc}")
            ispeed.generate(templates, args.pages, warc, work / "html", 6)

        # (binary, backend) -> list of (wall, gleaner cpu, server cpu)
        runs: dict[tuple[str, str], list[tuple[float, float, float | None]]] = {}
        digests: dict[tuple[str, str], tuple[int, str]] = {}
        pages = 0
        for r in range(args.repeat):
            # Binaries and backends alternate, so a busy spell on the shared
            # machine falls on all of them alike.
            for tag, binary in bins.items():
                db_file = work / f"store-{tag}-{r}.db"
                secs, cpu, _, summary = ingest(binary, str(db_file), warc, args.jobs)
                runs.setdefault((tag, "sqlite"), []).append((secs, cpu, None))
                pages = summary["pages"]
                digests[(tag, "sqlite")] = export_digest(binary, str(db_file))
                db_file.unlink()
                log(f"{tag} sqlite   run {r + 1}: {secs:.2f} s wall, {cpu:.2f} CPU-s ({pages / secs:.0f} pages/s)")

                name = f"gleaner_bench_{os.getpid()}_{tag}_{r}"
                psql(args.postgres, f"CREATE DATABASE {name}")
                try:
                    url = server_url(args.postgres, name)
                    secs, cpu, scpu, summary = ingest(binary, url, warc, args.jobs, server=args.postgres)
                    runs.setdefault((tag, "postgres"), []).append((secs, cpu, scpu))
                    digests[(tag, "postgres")] = export_digest(binary, url)
                finally:
                    psql(args.postgres, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                server = f", server {scpu:.2f} CPU-s" if scpu is not None else ""
                log(f"{tag} postgres run {r + 1}: {secs:.2f} s wall, {cpu:.2f} CPU-s{server} ({pages / secs:.0f} pages/s)")

    def best(tag: str, backend: str) -> dict:
        rs = runs[(tag, backend)]
        wall = min(x[0] for x in rs)
        cpu = min(x[1] for x in rs)
        servers = [x[2] for x in rs if x[2] is not None]
        total = min(x[1] + (x[2] or 0.0) for x in rs)
        return {"wall_s": round(wall, 3), "gleaner_cpu_s": round(cpu, 3),
                "server_cpu_s": round(min(servers), 3) if servers else None,
                "total_cpu_s": round(total, 3), "pages_per_s": round(pages / wall, 1)}

    reference = digests[("new", "sqlite")]
    same = all(d == reference for d in digests.values())
    result: dict = {"pages": pages, "jobs": args.jobs, "repeat": args.repeat, "records": reference[0],
                    "same_records": same}
    for tag in bins:
        s_, p_ = best(tag, "sqlite"), best(tag, "postgres")
        result[tag] = {
            "sqlite": s_, "postgres": p_,
            # pages/s ratio: SQLite's best wall over PostgreSQL's.
            "postgres_over_sqlite": round(s_["wall_s"] / p_["wall_s"], 3),
            # per CPU-second, Gleaner's and the server's together.
            "postgres_over_sqlite_cpu": round(s_["total_cpu_s"] / p_["total_cpu_s"], 3),
        }
    # Compatibility with the former output: the binary under test's figures.
    result["postgres_over_sqlite"] = result["new"]["postgres_over_sqlite"]
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{pages} pages, --jobs {args.jobs}, best of {args.repeat}:")
        for tag in bins:
            x = result[tag]
            name = args.gleaner if tag == "new" else args.old
            print(f"  {tag} ({name}):")
            for backend in ("sqlite", "postgres"):
                b = x[backend]
                server = f" + server {b['server_cpu_s']:.2f}" if b["server_cpu_s"] is not None else ""
                print(f"    {backend:9} {b['pages_per_s']:8.1f} pages/s  {b['wall_s']:6.2f} s wall  "
                      f"gleaner {b['gleaner_cpu_s']:.2f}{server} CPU-s")
            print(f"    PostgreSQL / SQLite = {x['postgres_over_sqlite']:.2f} by wall, "
                  f"{x['postgres_over_sqlite_cpu']:.2f} by CPU-seconds (Gleaner's + server's)")
        print(f"  same records in every store: {'yes' if same else 'NO'} ({reference[0]} records)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
