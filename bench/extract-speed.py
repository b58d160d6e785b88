#!/usr/bin/env python3
"""Extraction speed: Gleaner against trafilatura on the same pages.

Unpacks the benchmark pages (DATA/html/<id>.html.gz) into a temporary folder,
times `gleaner extract` with --jobs 1 and --jobs 2 (best wall time of
--repeat runs each, peak RSS per run), then times trafilatura 2.3.1 over the
same pages in a venv (bench/trafilatura_batch.py, extraction loop only,
best of --repeat-anchor runs), and prints a table and the ratios.

Standard library only; the venv for trafilatura is created on first use.

    bench/extract-speed.py [--gleaner PATH] [--data DIR] [--venv PATH]
                           [--repeat N] [--repeat-anchor N] [--json] [--keep]
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
from typing import NoReturn

TRAFILATURA_VERSION = "2.3.1"
# jusText (a trafilatura dependency) imports lxml.html.clean, which lxml >= 5.2
# moved out into lxml_html_clean; without it `import trafilatura` fails.
VENV_PACKAGES = [f"trafilatura=={TRAFILATURA_VERSION}", "lxml_html_clean==0.4.6"]

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORKER = BENCH_DIR / "trafilatura_batch.py"


def die(msg: str, code: int = 1) -> NoReturn:
    print(f"extract-speed: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str) -> None:
    print(f"extract-speed: {msg}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Time Gleaner (jobs 1 and 2) and trafilatura on the same pages."
    )
    p.add_argument(
        "--gleaner",
        type=Path,
        default=REPO_ROOT / "target" / "release" / "gleaner",
        help="gleaner binary (default: target/release/gleaner)",
    )
    p.add_argument(
        "--data",
        type=Path,
        default=REPO_ROOT.parent / "shared" / "bench" / "extraction" / "data",
        help="data folder holding html/*.html.gz (default: ../shared/bench/extraction/data)",
    )
    p.add_argument(
        "--venv",
        type=Path,
        default=REPO_ROOT / "target" / "bench-venv",
        help="venv for trafilatura, created if missing (default: target/bench-venv)",
    )
    p.add_argument("--repeat", type=int, default=3, help="gleaner runs per setting, best kept (default 3)")
    p.add_argument(
        "--repeat-anchor", type=int, default=1, help="trafilatura runs, best kept (default 1)"
    )
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = p.parse_args()
    if args.repeat < 1 or args.repeat_anchor < 1:
        p.error("--repeat and --repeat-anchor must be at least 1")
    return args


# Measuring wrapper, run as `python -S -I -c WRAPPER REPORT_FILE CMD...`.
#
# Why a wrapper: on Linux a child's ru_maxrss never starts below the memory of
# the process it was forked from (with vfork/posix_spawn, which subprocess
# uses, it even starts at the parent's own *peak*). Reaping gleaner straight
# from this script would report at least this script's peak (about 20 MB after
# unpacking). So a fresh, bare interpreter forks and execs the command, reaps
# it with os.wait4 (per-run rusage, not the RUSAGE_CHILDREN total) and writes
# "wall_seconds maxrss_kb exit_code cpu_seconds" to REPORT_FILE (CPU: user +
# system, all threads). The floor left is the
# wrapper's own few MB; main() measures it with `true` and prints it.
WRAPPER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    except BaseException as e:
        os.write(2, ("cannot run %s: %s\\n" % (argv[0], e)).encode())
    os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - t
with open(report, "w") as f:
    f.write("%r %d %d %r\\n" % (wall, ru.ru_maxrss, os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime))
"""


# CPU seconds (user + system, every thread) of the last run_measured() command.
last_cpu_seconds = 0.0


def run_measured(cmd: list[str]) -> tuple[float, int, int, bytes, bytes]:
    """Run cmd through WRAPPER; return (wall s, peak RSS KB, exit code, stdout, stderr).

    The command's CPU time is left in `last_cpu_seconds`.

    Wall time is fork to reap of cmd itself (the wrapper's start is excluded).
    cmd[0] must be a path (it is exec'd without a PATH search).
    """
    with tempfile.TemporaryDirectory(prefix="gleaner-bench-run-") as tmp:
        report = Path(tmp) / "report"
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            res = subprocess.run(
                [sys.executable, "-S", "-I", "-c", WRAPPER, str(report), *cmd],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            )
        stdout, stderr = out_path.read_bytes(), err_path.read_bytes()
        if res.returncode != 0 or not report.exists():
            sys.stderr.write(stderr.decode(errors="replace"))
            die(f"measuring wrapper failed (status {res.returncode}) for: {' '.join(cmd)}")
        wall, rss, code, cpu = report.read_text().split()
        global last_cpu_seconds
        last_cpu_seconds = float(cpu)
        return float(wall), int(rss), int(code), stdout, stderr


def ensure_venv(venv: Path) -> Path:
    return benchlib.ensure_venv(
        venv,
        VENV_PACKAGES,
        "import trafilatura; print(trafilatura.__version__)",
        lambda out: out == TRAFILATURA_VERSION,
        f"trafilatura {TRAFILATURA_VERSION}",
        log,
        die,
    )


def unpack(data: Path, dest: Path) -> tuple[int, int]:
    """Unpack DATA/html/<id>.html.gz to DEST/<id>.html; return (pages, bytes)."""
    sources = sorted((data / "html").glob("*.html.gz"))
    if not sources:
        die(f"no pages found in {data / 'html'} (expected *.html.gz; use --data DIR)")
    dest.mkdir(parents=True)
    total = 0
    for src in sources:
        body = gzip.decompress(src.read_bytes())
        (dest / (src.name[: -len(".gz")])).write_bytes(body)
        total += len(body)
    return len(sources), total


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def bench_gleaner(gleaner: Path, jobs: int, in_dir: Path, work: Path, repeat: int) -> dict:
    best, peak = None, 0
    for i in range(repeat):
        out_dir = work / f"gleaner-j{jobs}"
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir()
        cmd = [str(gleaner), "extract", "--jobs", str(jobs), "--quiet", "--format", "text",
               "--out-dir", str(out_dir), str(in_dir)]
        wall, rss, code, _, err = run_measured(cmd)
        if code != 0:
            sys.stderr.write(err.decode(errors="replace"))
            die(f"gleaner exited with status {code}: {' '.join(cmd)}")
        log(f"gleaner --jobs {jobs} run {i + 1}/{repeat}: {wall:.3f} s, peak RSS {rss / 1024:.1f} MB")
        run = {"seconds": wall, "peak_rss_kb": rss, "outputs": count_files(out_dir)}
        if best is None or wall < best["seconds"]:
            best = run
        peak = max(peak, rss)
    best["peak_rss_kb"] = peak  # highest over all runs, not just the fastest
    best["runs"] = repeat
    return best


def bench_trafilatura(py: Path, in_dir: Path, work: Path, repeat: int) -> dict:
    best, peak = None, 0
    for i in range(repeat):
        out_dir = work / "trafilatura"
        shutil.rmtree(out_dir, ignore_errors=True)
        cmd = [str(py), str(WORKER), str(in_dir), str(out_dir)]
        wall, rss, code, out, err = run_measured(cmd)
        if code != 0:
            sys.stderr.write(err.decode(errors="replace"))
            die(f"trafilatura worker exited with status {code}")
        try:
            report = json.loads(out.decode().strip().splitlines()[-1])
        except (ValueError, IndexError):
            die(f"trafilatura worker printed no JSON report: {out[-500:]!r}")
        log(f"trafilatura run {i + 1}/{repeat}: loop {report['loop_seconds']:.3f} s, "
            f"wall {wall:.3f} s, peak RSS {rss / 1024:.1f} MB")
        run = {
            "seconds": report["loop_seconds"],
            "wall_seconds": wall,
            "import_seconds": report["import_seconds"],
            "peak_rss_kb": rss,
            "empty": report["empty"],
            "outputs": count_files(out_dir),
            "version": report["trafilatura"],
            "lxml": report.get("lxml"),
        }
        if best is None or run["seconds"] < best["seconds"]:
            best = run
        peak = max(peak, rss)
    best["peak_rss_kb"] = peak  # highest over all runs, not just the fastest
    best["runs"] = repeat
    return best


def main() -> int:
    args = parse_args()

    gleaner = args.gleaner.absolute()
    if not gleaner.is_file() or not os.access(gleaner, os.X_OK):
        die(f"gleaner binary not found at {args.gleaner}: build it first: cargo build --release")
    if not WORKER.is_file():
        die(f"missing {WORKER}")
    if not (args.data / "html").is_dir():
        die(f"no html/ folder in {args.data} (use --data DIR)")

    py = ensure_venv(args.venv.absolute())
    true = shutil.which("true") or "/bin/true"
    floor_kb = max(run_measured([true])[1] for _ in range(3))

    work = Path(tempfile.mkdtemp(prefix="gleaner-bench-"))
    try:
        in_dir = work / "html"
        pages, total_bytes = unpack(args.data, in_dir)
        mb = total_bytes / 1e6
        log(f"unpacked {pages} pages, {mb:.1f} MB, into {in_dir}")

        j1 = bench_gleaner(gleaner, 1, in_dir, work, args.repeat)
        j2 = bench_gleaner(gleaner, 2, in_dir, work, args.repeat)
        tr = bench_trafilatura(py, in_dir, work, args.repeat_anchor)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    rows = [
        ("gleaner --jobs 1", j1["seconds"], j1["peak_rss_kb"]),
        ("gleaner --jobs 2", j2["seconds"], j2["peak_rss_kb"]),
        (f"trafilatura {tr['version']} (loop)", tr["seconds"], tr["peak_rss_kb"]),
        (f"trafilatura {tr['version']} (wall)", tr["wall_seconds"], tr["peak_rss_kb"]),
    ]
    print(f"pages: {pages}, total {total_bytes} bytes ({mb:.2f} MB)")
    print(f"gleaner: best of {args.repeat} runs; trafilatura: best of {args.repeat_anchor}, "
          f"loop = read+extract+write only, wall = whole process")
    print()
    header = f"{'tool':<30} {'pages':>6} {'seconds':>9} {'pages/s':>9} {'MB/s':>8} {'peak RSS MB':>12}"
    print(header)
    print("-" * len(header))
    for name, secs, rss in rows:
        print(f"{name:<30} {pages:>6} {secs:>9.3f} {pages / secs:>9.1f} {mb / secs:>8.2f} {rss / 1024:>11.1f}{'*' if rss <= floor_kb * 1.05 else ' '}")
    print(f"peak RSS floor of the measurement (`true` run the same way): {floor_kb / 1024:.1f} MB"
          + ("; * = at the floor, the real peak may be lower" if any(r <= floor_kb * 1.05 for *_, r in rows) else ""))
    print()

    for name, run in (("gleaner --jobs 1", j1), ("gleaner --jobs 2", j2), ("trafilatura", tr)):
        if run["outputs"] != pages:
            print(f"warning: {name} wrote {run['outputs']} files for {pages} pages")
    if tr["empty"]:
        print(f"note: trafilatura returned nothing for {tr['empty']} pages")

    ratio = (pages / j1["seconds"]) / (pages / tr["seconds"])
    speedup = j1["seconds"] / j2["seconds"]
    print(f"gleaner (jobs 1) / trafilatura pages/s: {ratio:.2f}x")
    print(f"gleaner jobs 2 speed-up over jobs 1:    {speedup:.2f}x")

    if args.json:
        def summary(run: dict) -> dict:
            s = dict(run)
            s["pages_per_s"] = pages / run["seconds"]
            s["mb_per_s"] = mb / run["seconds"]
            s["peak_rss_mb"] = run["peak_rss_kb"] / 1024
            return s

        print(json.dumps({
            "pages": pages,
            "bytes": total_bytes,
            "rss_floor_kb": floor_kb,
            "gleaner_jobs1": summary(j1),
            "gleaner_jobs2": summary(j2),
            "trafilatura": summary(tr),
            "ratio_gleaner_jobs1_over_trafilatura": ratio,
            "speedup_jobs2_over_jobs1": speedup,
        }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
