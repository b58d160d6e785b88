#!/usr/bin/env python3
"""Two (or more) gleaner binaries alternated on one WARC, ingest only.

For each round and each binary in turn: `gleaner ingest --quiet --json
--jobs 2` and then `--jobs 1` of WARC into a new store (in a temporary
folder), timed. Prints every run's wall time, CPU time (user + system of
the process, all threads), pages per CPU-second, peak RSS and the load
average, each round's --jobs 2 / --jobs 1 wall-time speed-up, and a summary
per binary (median and range). Alternating in one session is what makes old
and new comparable on a shared machine; the spread between rounds is the
machine's, and is part of the result.

    bench/ingest-alternate.py WARC ROUNDS BINARY [BINARY ...]

WARC: e.g. the pages.warc.gz that `bench/ingest-speed.py --keep` leaves.
Standard library only; peak RSS is the child's ru_maxrss.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time


def run(binary: str, jobs: int, db: str, warc: str) -> tuple[float, float, float, int]:
    """Wall s, CPU s, peak RSS MB and pages of one ingest into a new store at db."""
    for suffix in ("", "-wal", "-shm", ".dedup-lock"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    read, write = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 1)
        os.execv(binary, [binary, "ingest", "--quiet", "--json", "--jobs", str(jobs), "--db", db, warc])
    os.close(write)
    with os.fdopen(read) as out:
        summary = out.read()
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    if status != 0:
        sys.exit(f"{binary} ingest --jobs {jobs} failed (status {status})")
    pages = json.loads(summary.strip().splitlines()[-1])["pages"]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, pages


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    warc, rounds, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    runs: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    speedups: dict[str, list[float]] = {b: [] for b in binaries}
    with tempfile.TemporaryDirectory(prefix="gleaner-alternate-") as tmp:
        db = os.path.join(tmp, "store.db")
        for r in range(1, rounds + 1):
            for b in binaries:
                for jobs in (2, 1):
                    wall, cpu, rss, pages = run(b, jobs, db, warc)
                    runs.setdefault((b, jobs), []).append((wall, pages / cpu, rss))
                    print(
                        f"round {r} {b} --jobs {jobs}: wall {wall:.2f} s, CPU {cpu:.2f} s, "
                        f"{pages / cpu:.1f} pages/CPU-s, peak RSS {rss:.1f} MB, load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
                speedup = runs[(b, 1)][-1][0] / runs[(b, 2)][-1][0]
                speedups[b].append(speedup)
                print(f"round {r} {b}: --jobs 2 / --jobs 1 wall-time speed-up {speedup:.2f}x", flush=True)
    print()
    for b in binaries:
        for jobs in (2, 1):
            rs = runs[(b, jobs)]
            per_cpu = [x[1] for x in rs]
            print(
                f"{b} --jobs {jobs}: pages/CPU-s median {statistics.median(per_cpu):.1f} "
                f"({min(per_cpu):.1f}-{max(per_cpu):.1f}); wall median {statistics.median(x[0] for x in rs):.2f} s; "
                f"peak RSS {max(x[2] for x in rs):.1f} MB"
            )
        s = speedups[b]
        print(f"{b}: speed-up per round {', '.join(f'{x:.2f}' for x in s)}; median {statistics.median(s):.2f}x")


if __name__ == "__main__":
    main()
