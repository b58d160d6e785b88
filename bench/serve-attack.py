#!/usr/bin/env python3
"""`gleaner serve` under attack: how a normal search fares while the server
is hammered, and what the attacks themselves get.

    bench/serve-attack.py [--gleaner PATH] [--records N] [--seconds S]
                          [--idle-sockets N] [--upload-mb M] [--json]

Builds (or reuses) a store of N records (default 2,000) with the generator
of bench/serve-load.py, starts `gleaner serve --quiet` with an upload token,
and runs, one after another:

  baseline   normal searches (one to three title words) alone;
  queries    four threads sending costly searches without pause: one word
             repeated 500 times, and 32 different common words with facets
             and a sort, while normal searches are timed;
  uploads    four concurrent uploads of M MB each (default 250), streamed,
             while normal searches are timed; the server's peak memory
             (VmHWM) is read from /proc after them;
  idle       N idle sockets opened and held (default 20,000; the script
             raises its own open-file limit), while normal searches are timed.

For each: normal-search p50/p99/max latency and failures; for the attacks,
their answers by status and the longest one (no query may run past the
server's --query-timeout, 10 s by default). Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
TOKEN = "attack-bench-token-0123456789abcdef"


def log(msg: str) -> None:
    print(f"serve-attack: {msg}", file=sys.stderr, flush=True)


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


class Client:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port

    def get(self, path: str, timeout: float = 60) -> tuple[int, float]:
        started = time.perf_counter()
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            return r.status, time.perf_counter() - started
        except OSError:
            return 0, time.perf_counter() - started
        finally:
            c.close()


def timed_normal(client: Client, queries: list[str], seconds: float, stop: threading.Event | None = None) -> dict:
    lat, failed = [], 0
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end and not (stop and stop.is_set()):
        status, took = client.get(f"/api/records?q={queries[i % len(queries)]}&limit=20")
        i += 1
        if status == 200:
            lat.append(took * 1000)
        else:
            failed += 1
        time.sleep(0.02)
    return {"requests": len(lat) + failed, "failed": failed, "p50_ms": round(percentile(lat, 50), 1),
            "p99_ms": round(percentile(lat, 99), 1), "max_ms": round(max(lat) if lat else float("nan"), 1)}


def hammer(client: Client, paths: list[str], stop: threading.Event, out: list) -> None:
    i = 0
    while not stop.is_set():
        status, took = client.get(paths[i % len(paths)], timeout=120)
        out.append((status, took))
        i += 1


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def upload(host: str, port: int, mb: int, out: list) -> None:
    chunk = (b"The quay at Port Ellery was repaired over three weeks by the harbour board. " * 800)[:65536]
    total = mb * 1024 * 1024
    started = time.perf_counter()
    c = http.client.HTTPConnection(host, port, timeout=600)
    try:
        c.putrequest("POST", "/api/ingest?name=big.txt")
        c.putheader("Authorization", f"Bearer {TOKEN}")
        c.putheader("Content-Length", str(total))
        c.endheaders()
        sent = 0
        while sent < total:
            n = min(len(chunk), total - sent)
            c.send(chunk[:n])
            sent += n
        r = c.getresponse()
        r.read()
        out.append((r.status, time.perf_counter() - started))
    except OSError as e:
        out.append((f"refused: {type(e).__name__}", time.perf_counter() - started))
    finally:
        c.close()


# Opens N connections to the port, prints how many it got, keeps them open
# (reconnecting those the server closes) until killed.
HOLD_IDLE = r"""
import resource, socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held, failed = [], 0
for _ in range(min(n, hard - 64)):
    try:
        held.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError:
        failed += 1
print(f"{len(held)} opened, {failed} failed", flush=True)
while True:
    for i, s in enumerate(held):
        try:
            s.setblocking(False)
            if s.recv(1) == b"":
                raise OSError
        except BlockingIOError:
            continue
        except OSError:
            try:
                held[i] = socket.create_connection(("127.0.0.1", port), timeout=2)
            except OSError:
                pass
    time.sleep(0.2)
"""


def summarise(results: list) -> dict:
    by: dict[str, int] = {}
    for status, _ in results:
        by[str(status)] = by.get(str(status), 0) + 1
    return {"answers": by, "longest_s": round(max((t for _, t in results), default=0), 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gleaner", type=Path, default=REPO_ROOT / "target/release/gleaner")
    ap.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared/bench/extraction/data")
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--idle-sockets", type=int, default=20000)
    ap.add_argument("--upload-mb", type=int, default=250)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not a.gleaner.exists():
        sys.exit(f"{a.gleaner} not found: run `cargo build --release` first")
    load = benchlib.load_module(BENCH_DIR / "serve-load.py")
    db = REPO_ROOT / "target" / "bench-serve" / f"store-{a.records}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    if load.record_count(db) < a.records:
        load.build_store(a.gleaner, a.data, a.records, db)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        titles = [r[0] or "" for r in c.execute("SELECT title FROM records LIMIT 2000")]
    rng = random.Random(11)
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    queries = ["+".join(rng.sample(words, rng.randint(1, 3))) for _ in range(100)]
    common = ["the", "and", "said", "that", "with", "from", "have", "this", "were", "their", "which", "would",
              "there", "about", "after", "other", "first", "people", "also", "into", "more", "year", "when",
              "been", "time", "will", "over", "them", "they", "than", "some", "what"]
    costly = [f"/api/records?q={'the+' * 500}&limit=100",
              f"/api/records?q={'+'.join(common)}&facets=true&sort=newest&limit=100"]

    token = db.parent / "attack-token"
    token.write_text(TOKEN + "\n")
    os.chmod(token, 0o600)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(a.gleaner), "serve", "--quiet", "--db", str(db), "--addr", f"127.0.0.1:{port}",
                             "--token-file", str(token), "--max-body", str(300 * 1024 * 1024)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = Client("127.0.0.1", port)
    for _ in range(100):
        if client.get("/api/stats")[0] == 200:
            break
        time.sleep(0.1)
    report: dict = {"records": load.record_count(db)}
    try:
        log("baseline")
        report["baseline"] = timed_normal(client, queries, a.seconds)

        log("costly queries from four threads")
        stop, results = threading.Event(), []
        threads = [threading.Thread(target=hammer, args=(client, costly, stop, results)) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1)
        report["queries"] = {"normal": timed_normal(client, queries, a.seconds), "attack": None}
        stop.set()
        for t in threads:
            t.join()
        report["queries"]["attack"] = summarise(results)

        log(f"four {a.upload_mb} MB uploads")
        before = vm_hwm_mb(proc.pid)
        results = []
        threads = [threading.Thread(target=upload, args=("127.0.0.1", port, a.upload_mb, results)) for _ in range(4)]
        stop = threading.Event()
        for t in threads:
            t.start()
        normal: dict = {}
        watcher = threading.Thread(target=lambda: normal.update(timed_normal(client, queries, 600, stop)))
        watcher.start()
        for t in threads:
            t.join()
        stop.set()
        watcher.join()
        report["uploads"] = {"normal": normal, "attack": summarise(results),
                             "peak_rss_mb_before": round(before, 1), "peak_rss_mb": round(vm_hwm_mb(proc.pid), 1)}

        log(f"{a.idle_sockets} idle sockets (from another process, as an attacker would)")
        holder = subprocess.Popen([sys.executable, "-c", HOLD_IDLE, str(port), str(a.idle_sockets)],
                                  stdout=subprocess.PIPE, text=True)
        opened_line = holder.stdout.readline() if holder.stdout else ""
        report["idle"] = {"opened": opened_line.strip(), "normal": timed_normal(client, queries, a.seconds)}
        holder.kill()
        holder.wait()
        report["after"] = {"stats_status": client.get("/api/stats")[0]}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps(report, indent=1))
    if a.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
