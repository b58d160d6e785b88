#!/usr/bin/env python3
"""The gleaner Python package against trafilatura, in the same process.

Both read the same shared benchmark pages (DATA/html/*.html.gz, decompressed
to bytes in memory beforehand) and are timed on the extraction loop only:

- gleaner.extract_many(pages, jobs=1 and jobs=2), with and without the
  analysis stage (trafilatura does no analysis, so `analyse=False` is the
  like-for-like figure);
- trafilatura.extract(page) in a loop, and on a pool of 2 threads (which the
  GIL serialises: the comparison shows what releasing it buys).

Goes over the pages --rounds times (default 5) per run, runs once each
(--repeat to keep the best of several) and prints pages/s
and the ratio to trafilatura single-threaded.

Standard library only at the top level: it makes (on first use) a venv at
target/py-bench-venv with trafilatura (the version bench/extract-speed.py
pins) and the gleaner wheel from target/py/wheels (build it with
.ci/python.sh or `maturin build --release` in crates/gleaner-py), then runs
itself inside it.

    bench/python-vs-trafilatura.py [--data DIR] [--rounds N] [--repeat R] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PROG = "python-vs-trafilatura"
VENV = REPO / "target" / "py-bench-venv"
WHEELS = REPO / "target" / "py" / "wheels"


def die(msg: str) -> None:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(1)


def log(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


def outer(argv: list[str]) -> None:
    sys.path.insert(0, str(BENCH))
    from benchlib import ensure_venv, load_module

    es = load_module(BENCH / "extract-speed.py")
    wheels = sorted(WHEELS.glob("gleaner-*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        die(f"no gleaner wheel in {WHEELS}: run .ci/python.sh (or maturin build --release in crates/gleaner-py)")
    wheel = wheels[-1]
    py = ensure_venv(
        VENV,
        [*es.VENV_PACKAGES, str(wheel)],
        "import trafilatura, gleaner; print(trafilatura.__version__)",
        lambda out: out == es.TRAFILATURA_VERSION,
        f"trafilatura {es.TRAFILATURA_VERSION} and gleaner",
        log,
        die,
    )
    # Always the newest wheel: reinstall it (cheap, no dependencies).
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "--force-reinstall",
                    "--no-deps", str(wheel)], check=True, stdout=sys.stderr)
    sys.exit(subprocess.run([str(py), __file__, "--inner", *argv]).returncode)


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def inner(args: argparse.Namespace) -> None:
    import gleaner
    import trafilatura

    files = sorted((args.data / "html").glob("*.html.gz"))
    if not files:
        die(f"no pages under {args.data / 'html'}")
    # The shared set is small (181 pages): go over it --rounds times so the
    # fast runs last long enough to time.
    pages = [gzip.decompress(f.read_bytes()) for f in files] * args.rounds
    mb = sum(map(len, pages)) / 1e6
    n = len(pages)
    # Warm both (gleaner parses its gazetteer once; lxml sets up once).
    gleaner.extract(pages[0])
    trafilatura.extract(pages[0])

    def g(jobs: int, analyse: bool):
        return lambda: sum(1 for _ in gleaner.extract_many(pages, jobs=jobs, analyse=analyse, errors="return"))

    def t1():
        for p in pages:
            trafilatura.extract(p)

    def t2():
        with ThreadPoolExecutor(2) as ex:
            list(ex.map(trafilatura.extract, pages))

    rows = [
        ("trafilatura, 1 thread", best(args.repeat, t1)),
        ("trafilatura, 2 threads", best(args.repeat, t2)),
        ("gleaner.extract_many jobs=1, no analysis", best(args.repeat, g(1, False))),
        ("gleaner.extract_many jobs=2, no analysis", best(args.repeat, g(2, False))),
        ("gleaner.extract_many jobs=1, with analysis", best(args.repeat, g(1, True))),
        ("gleaner.extract_many jobs=2, with analysis", best(args.repeat, g(2, True))),
    ]
    base = rows[0][1]
    print(f"{n} pages ({len(files)} x {args.rounds}), {mb:.1f} MB of HTML, best of {args.repeat}; trafilatura {trafilatura.__version__}, "
          f"gleaner {gleaner.__version__}")
    result = {"pages": n, "mb": round(mb, 2), "repeat": args.repeat, "runs": []}
    for name, s in rows:
        print(f"{name:44s} {s:7.2f} s  {n / s:8.1f} pages/s  {mb / s:6.1f} MB/s  x{base / s:.1f} vs trafilatura")
        result["runs"].append({"name": name, "seconds": round(s, 3), "pages_per_s": round(n / s, 1),
                               "speedup": round(base / s, 2)})
    if args.json:
        print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser(description="gleaner.extract_many against trafilatura in one process.")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "bench" / "extraction" / "data")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, best kept (default 1)")
    ap.add_argument("--rounds", type=int, default=5, help="passes over the shared pages per run (default 5)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args, _ = ap.parse_known_args()
    if args.inner:
        inner(args)
    else:
        outer([a for a in sys.argv[1:]])


if __name__ == "__main__":
    main()
