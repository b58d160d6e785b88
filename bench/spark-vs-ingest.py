#!/usr/bin/env python3
"""Spark job (local mode) against `gleaner ingest` on the same WARC archives.

Builds --pages distinct pages from the shared benchmark pages (the same
per-copy variation as bench/ingest-speed.py: page i is shared page i % 181
with words of its own inside the main text and the title, so every copy is a
distinct record), writes them as --warcs .warc.gz archives (one gzip member
per record), then times once each:

    gleaner ingest --quiet --json --jobs C --db TMP/store.db TMP/*.warc.gz
    spark-submit --master local[C] spark/gleaner_spark.py TMP/warcs.txt TMP/out

and prints pages/s of both and Spark's overhead as a ratio of wall times
(whole spark-submit, JVM start-up included; and the job alone, from the
SparkSession being up to the Parquet written). Both include analysis. Ingest
also runs its dedup pass and writes SQLite; Spark writes Parquet.

Run it with the Python that has the gleaner wheel and pyspark (the one
.ci/python.sh makes):

    target/py-venv/bin/python bench/spark-vs-ingest.py [--pages N] [--warcs K] [--cores C]
        [--gleaner target/release/gleaner] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PROG = "spark-vs-ingest"


def die(msg: str) -> None:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(1)


def log(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)

def main() -> None:
    ap = argparse.ArgumentParser(description="Spark job in local mode against gleaner ingest.")
    ap.add_argument("--pages", type=int, default=4000)
    ap.add_argument("--warcs", type=int, default=8)
    ap.add_argument("--cores", type=int, default=2, help="ingest --jobs and Spark local[N] (default 2)")
    ap.add_argument("--gleaner", type=Path, default=REPO / "target" / "release" / "gleaner")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "bench" / "extraction" / "data")
    ap.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    args = ap.parse_args()
    try:
        import gleaner
        import pyspark  # noqa: F401
    except ImportError as e:
        die(f"{e}: run with the venv .ci/python.sh makes (target/py-venv/bin/python)")
    if not args.gleaner.exists():
        die(f"no gleaner binary at {args.gleaner}: cargo build --release -p gleaner-cli")
    spark_submit = Path(sys.executable).parent / "spark-submit"

    ingest_speed = benchlib.load_module(BENCH / "ingest-speed.py")
    warcgen = benchlib.load_module(REPO / "crates" / "gleaner-py" / "tests" / "warcgen.py")

    shared = sorted((args.data / "html").glob("*.html.gz"))
    if not shared:
        die(f"no pages under {args.data / 'html'}")
    log(f"building {args.pages} pages from {len(shared)} shared pages")
    templates = []
    for f in shared:
        html = gzip.decompress(f.read_bytes())
        try:
            text = gleaner.extract(html, analyse=False)["text"]
        except gleaner.ExtractError:
            text = ""
        templates.append(ingest_speed.Template(html, text))

    tmp = Path(tempfile.mkdtemp(prefix="gleaner-spark-bench-"))
    try:
        per = -(-args.pages // args.warcs)
        paths = []
        for k in range(args.warcs):
            ids = range(k * per, min(args.pages, (k + 1) * per))
            pages = [(f"https://bench.test/page/{i}", templates[i % len(templates)].render(i)) for i in ids]
            p = tmp / f"part-{k:03d}.warc.gz"
            warcgen.write_warc(p, pages)
            paths.append(p)
        mb = sum(p.stat().st_size for p in paths) / 1e6
        log(f"{len(paths)} archives, {mb:.1f} MB compressed, in {tmp}")

        t = time.perf_counter()
        r = subprocess.run([str(args.gleaner), "ingest", "--quiet", "--json", "--jobs", str(args.cores),
                            "--db", str(tmp / "store.db"), *map(str, paths)], capture_output=True, text=True)
        ingest_s = time.perf_counter() - t
        if r.returncode != 0:
            die(f"ingest failed ({r.returncode}): {r.stderr[-2000:]}")
        ingest_summary = json.loads(r.stdout.strip().splitlines()[-1])
        log(f"ingest: {ingest_s:.1f} s")

        listing = tmp / "warcs.txt"
        listing.write_text("".join(f"{p}\n" for p in paths))
        env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
        t = time.perf_counter()
        r = subprocess.run([str(spark_submit), "--master", f"local[{args.cores}]", "--conf", "spark.ui.enabled=false",
                            "--driver-memory", "2g", str(REPO / "spark" / "gleaner_spark.py"),
                            str(listing), str(tmp / "out")],
                           capture_output=True, text=True, env=env, cwd=tmp)
        spark_s = time.perf_counter() - t
        if r.returncode != 0:
            die(f"spark job failed ({r.returncode}): {r.stderr[-3000:]}")
        spark_summary = json.loads(r.stdout.strip().splitlines()[-1])
        log(f"spark: {spark_s:.1f} s")

        if spark_summary["records"] != args.pages:
            die(f"spark wrote {spark_summary['records']} records for {args.pages} pages")
        job_s = spark_summary["job_seconds"]
        result = {
            "pages": args.pages, "warcs": args.warcs, "cores": args.cores,
            "ingest_seconds": round(ingest_s, 2), "ingest_pages_per_s": round(args.pages / ingest_s, 1),
            "spark_seconds": round(spark_s, 2), "spark_pages_per_s": round(args.pages / spark_s, 1),
            "spark_job_seconds": job_s, "spark_job_pages_per_s": round(args.pages / job_s, 1),
            "overhead_ratio": round(spark_s / ingest_s, 2), "job_overhead_ratio": round(job_s / ingest_s, 2),
            "ingest_summary": ingest_summary,
        }
        print(f"pages: {args.pages} in {args.warcs} WARCs, {args.cores} cores (ingest --jobs, Spark local[{args.cores}])")
        print(f"gleaner ingest:      {ingest_s:7.1f} s  {result['ingest_pages_per_s']:8.1f} pages/s")
        print(f"spark-submit total:  {spark_s:7.1f} s  {result['spark_pages_per_s']:8.1f} pages/s"
              f"  overhead x{result['overhead_ratio']:.2f}")
        print(f"spark job only:      {job_s:7.1f} s  {result['spark_job_pages_per_s']:8.1f} pages/s"
              f"  overhead x{result['job_overhead_ratio']:.2f}")
        if args.json:
            print(json.dumps(result))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
