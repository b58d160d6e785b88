#!/usr/bin/env python3
"""Ingest speed: `gleaner ingest` of a WARC against `gleaner extract` of the
same pages as files.

Builds N distinct pages (--pages, default 10000) from the shared benchmark
pages (DATA/html/<id>.html.gz, 181 of them): page i is shared page i % 181
with "variation i <words>" added to its main text and " (copy i)" to its
<title>, so every copy is a distinct article (a distinct record id). Writes
them once as a .warc.gz (WARC/1.1 `response` records, one gzip member each)
and once as a folder of <i>.html files. Then times, best of --repeat runs,
with --jobs J and --jobs 1:

    gleaner ingest --quiet --json --jobs J --db TMP/store.db TMP/pages.warc.gz
    gleaner extract --quiet --jobs J --format jsonl --out-dir TMP/out TMP/html

(a fresh store and output folder for every run) and prints pages/s for both,
pages per CPU-second (user + system time of every thread: the measure a busy
shared machine disturbs least), the --jobs J / --jobs 1 wall-time speed-up,
the ingest overhead over extract in percent, the ingest's peak RSS against a
300 MB limit (PASS/FAIL), the store's size and the ingest's own JSON summary.

Standard library only. Peak RSS is measured as in bench/extract-speed.py,
whose run_measured() is imported from it.

    bench/ingest-speed.py [--gleaner PATH] [--data DIR] [--pages N] [--jobs J]
                          [--repeat R] [--rss-limit-mb MB] [--json] [--keep]
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
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import NoReturn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
PROG = "ingest-speed"

# Deterministic WARC record ids and dates: the same --pages gives the same file.
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://bench.test/")
BASE_DATE = datetime(2024, 1, 1, tzinfo=timezone.utc)
# Words for the per-copy variation; copy i gets its base-32 digits as words.
WORDS = (
    "amber basalt cobalt dune ember fjord garnet harbor indigo juniper kelp "
    "lagoon meadow nectar opal pebble quartz raven saffron tundra umber "
    "velvet willow xenon yarrow zephyr alder birch cedar delta estuary fern"
).split()
assert len(WORDS) == 32


def die(msg: str, code: int = 1) -> NoReturn:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Time `gleaner ingest` of a WARC against `gleaner extract` of the same pages."
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
    p.add_argument("--pages", type=int, default=10000, help="pages to generate (default 10000)")
    p.add_argument("--jobs", type=int, default=2,
                   help="worker threads for the main runs (default 2); --jobs 1 is always run too")
    p.add_argument("--repeat", type=int, default=2, help="runs per setting, best kept (default 2)")
    p.add_argument("--rss-limit-mb", type=float, default=300.0,
                   help="ingest peak RSS limit for PASS/FAIL, in MB of 1024*1024 bytes (default 300)")
    p.add_argument("--gzip-level", type=int, default=6, help="gzip level of the WARC members (default 6)")
    p.add_argument("--tmpdir", type=Path, default=None, help="parent of the temporary folder (default: system temp)")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = p.parse_args(argv)
    if args.pages < 1:
        p.error("--pages must be at least 1")
    if args.jobs < 1 or args.repeat < 1:
        p.error("--jobs and --repeat must be at least 1")
    if not 0 <= args.gzip_level <= 9:
        p.error("--gzip-level must be 0..9")
    return args


# ---------------------------------------------------------------- pages

TITLE_RE = re.compile(rb"<title\b[^>]*>.*?(</title\s*>)", re.I | re.S)
BODY_OPEN_RE = re.compile(rb"<body\b[^>]*>", re.I)
BODY_CLOSE_RE = re.compile(rb"</body\s*>", re.I)
WINDOW_WORDS = 6      # words per anchor
MIN_ANCHOR_BYTES = 20


def variation_words(i: int) -> str:
    """At least three words from WORDS, the base-32 digits of i: distinct per i."""
    digits = []
    n = i
    while n or len(digits) < 3:
        digits.append(WORDS[n % 32])
        n //= 32
    return " ".join(digits)


def anchor_ends(html: bytes, text: str) -> list[int]:
    """Byte offsets in html right after a run of words of the extracted text.

    For each line (paragraph) of the text, the first window of WINDOW_WORDS
    words found verbatim in the HTML is an anchor; every occurrence of every
    anchor is returned. Text inserted there lands inside the main text as the
    extractor sees it (also in meta descriptions or JSON copies of it, which
    is harmless: plain words, no quotes or markup). Marking each paragraph,
    not one, matters: a window's first occurrence is often a teaser or a meta
    tag, not the article.
    """
    ends: set[int] = set()
    for line in text.splitlines():
        words = line.split()
        for k in range(0, max(1, len(words) - WINDOW_WORDS + 1), 2):
            w = " ".join(words[k:k + WINDOW_WORDS]).encode("utf-8")
            if len(w) < MIN_ANCHOR_BYTES:
                continue
            at = html.find(w)
            if at < 0:
                continue
            while at >= 0:
                ends.add(at + len(w))
                at = html.find(w, at + len(w))
            break
    return sorted(ends)


class Template:
    """One shared page, cut where the per-copy variation goes."""

    def __init__(self, html: bytes, text: str):
        title = TITLE_RE.search(html)
        self.title_at = title.start(1) if title else None
        ends = anchor_ends(html, text)
        self.anchored = bool(ends)
        cuts: list[tuple[int, str]] = [(e, "text") for e in ends]
        if not ends:
            # No extracted text to anchor on: a paragraph of its own, after
            # <body> (may be dropped as boilerplate; then copies coincide).
            m = BODY_OPEN_RE.search(html)
            if m:
                at = m.end()
            else:
                m = BODY_CLOSE_RE.search(html)
                at = m.start() if m else len(html)
            cuts.append((at, "para"))
        if self.title_at is not None:
            cuts.append((self.title_at, "title"))
        cuts.sort()
        self.segments: list[bytes] = []
        self.kinds: list[str] = []
        prev = 0
        for at, kind in cuts:
            self.segments.append(html[prev:at])
            self.kinds.append(kind)
            prev = at
        self.segments.append(html[prev:])

    def render(self, i: int) -> bytes:
        words = variation_words(i)
        ins = {
            "text": f" variation {i} {words}".encode(),
            "para": f"<p>Variation {i}: {words}</p>".encode(),
            "title": f" (copy {i})".encode(),
        }
        out = [self.segments[0]]
        for kind, seg in zip(self.kinds, self.segments[1:]):
            out.append(ins[kind])
            out.append(seg)
        return b"".join(out)


def marker(i: int) -> str:
    """What the extracted text of copy i must contain (anchored pages)."""
    return f"variation {i} {variation_words(i)}"


# ---------------------------------------------------------------- WARC

def warc_date(i: int) -> str:
    return (BASE_DATE + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")


def target_uri(i: int) -> str:
    return f"https://bench.test/page/{i}"


def response_record(i: int, body: bytes) -> bytes:
    """One WARC/1.1 response record (uncompressed), HTTP response as its block."""
    http = (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n".encode()
        + b"\r\n"
        + body
    )
    uri = target_uri(i)
    head = (
        "WARC/1.1\r\n"
        "WARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid5(UUID_NAMESPACE, uri)}>\r\n"
        f"WARC-Date: {warc_date(i)}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n"
        "\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def load_sources(data: Path) -> list[tuple[str, bytes]]:
    sources = sorted((data / "html").glob("*.html.gz"))
    if not sources:
        die(f"no pages found in {data / 'html'} (expected *.html.gz; use --data DIR)")
    return [(s.name[: -len(".html.gz")], gzip.decompress(s.read_bytes())) for s in sources]


def probe_texts(gleaner: Path, sources: list[tuple[str, bytes]], work: Path) -> list[str]:
    """The extracted text of each shared page (gleaner extract --format text)."""
    src_dir, out_dir = work / "probe-in", work / "probe-out"
    src_dir.mkdir()
    for k, (_, html) in enumerate(sources):
        (src_dir / f"{k}.html").write_bytes(html)
    res = subprocess.run(
        [str(gleaner), "extract", "--quiet", "--format", "text", "--out-dir", str(out_dir), str(src_dir)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    if res.returncode not in (0, 1):
        sys.stderr.write(res.stderr.decode(errors="replace"))
        die(f"gleaner extract failed (status {res.returncode}) on the shared pages")
    texts = []
    for k in range(len(sources)):
        f = out_dir / f"{k}.txt"
        texts.append(f.read_text(encoding="utf-8", errors="replace") if f.exists() else "")
    shutil.rmtree(src_dir)
    shutil.rmtree(out_dir)
    return texts


def generate(templates: list[Template], n: int, warc_path: Path, html_dir: Path, level: int) -> dict:
    """Write pages 0..n-1 as <i>.html into html_dir and as a .warc.gz."""
    html_dir.mkdir()
    html_bytes = warc_raw = 0
    started = time.perf_counter()
    with open(warc_path, "wb") as warc:
        for i in range(n):
            body = templates[i % len(templates)].render(i)
            (html_dir / f"{i}.html").write_bytes(body)
            rec = response_record(i, body)
            warc.write(gzip.compress(rec, compresslevel=level, mtime=0))
            html_bytes += len(body)
            warc_raw += len(rec)
            if (i + 1) % 2000 == 0 and i + 1 < n:
                log(f"  {i + 1}/{n} pages written")
    return {
        "html_bytes": html_bytes,
        "warc_bytes": warc_path.stat().st_size,
        "warc_uncompressed_bytes": warc_raw,
        "seconds": time.perf_counter() - started,
    }


def check_variation(gleaner: Path, html_dir: Path, work: Path, count: int, templates: list[Template]) -> int:
    """Extract copies 0..count-1 (each shared page once) and count those whose
    text shows their variation: the others would coincide with their copies."""
    out_dir = work / "check-out"
    files = [str(html_dir / f"{i}.html") for i in range(count)]
    subprocess.run(
        [str(gleaner), "extract", "--quiet", "--format", "text", "--out-dir", str(out_dir), *files],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    seen = 0
    for i in range(count):
        f = out_dir / f"{i}.txt"
        text = f.read_text(encoding="utf-8", errors="replace") if f.exists() else ""
        flat = " ".join(text.split()).lower()
        if marker(i) in flat or (not templates[i].anchored and f"variation {i}: " in flat):
            seen += 1
    shutil.rmtree(out_dir, ignore_errors=True)
    return seen


# ---------------------------------------------------------------- runs

def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under path."""
    files = size = 0
    if path.exists():
        for p in path.rglob("*"):
            if p.is_file():
                files += 1
                size += p.stat().st_size
    return files, size


def store_files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")) if p.exists()]


def run_ingest(es, gleaner: Path, jobs: int, warc: Path, work: Path) -> dict:
    db = work / "store.db"
    for p in store_files(db):
        p.unlink()
    cmd = [str(gleaner), "ingest", "--quiet", "--json", "--jobs", str(jobs), "--db", str(db), str(warc)]
    wall, rss, code, out, err = es.run_measured(cmd)
    cpu = es.last_cpu_seconds
    if code not in (0, 1):  # 1: some records failed (counted in the summary)
        sys.stderr.write(err.decode(errors="replace"))
        die(f"gleaner ingest exited with status {code}: {' '.join(cmd)}")
    try:
        summary = json.loads(out.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        sys.stderr.write(err.decode(errors="replace"))
        die(f"gleaner ingest printed no JSON summary (status {code}): {out[-500:]!r}")
    files = store_files(db)
    return {
        "seconds": wall,
        "cpu_seconds": cpu,
        "peak_rss_kb": rss,
        "exit_code": code,
        "summary": summary,
        "store_bytes": db.stat().st_size if db.exists() else 0,
        "store_files_bytes": sum(p.stat().st_size for p in files),
        "store_files": [p.name for p in files],
    }


def run_extract(es, gleaner: Path, jobs: int, html_dir: Path, work: Path) -> dict:
    out_dir = work / "out"
    shutil.rmtree(out_dir, ignore_errors=True)
    cmd = [str(gleaner), "extract", "--quiet", "--jobs", str(jobs), "--format", "jsonl",
           "--out-dir", str(out_dir), str(html_dir)]
    wall, rss, code, _, err = es.run_measured(cmd)
    cpu = es.last_cpu_seconds
    if code not in (0, 1):  # 1: some pages failed (reported on stderr)
        sys.stderr.write(err.decode(errors="replace"))
        die(f"gleaner extract exited with status {code}: {' '.join(cmd)}")
    failed = err.decode(errors="replace").strip().splitlines() if code == 1 else []
    outputs, out_bytes = tree_size(out_dir)
    return {"seconds": wall, "cpu_seconds": cpu, "peak_rss_kb": rss, "exit_code": code, "outputs": outputs,
            "output_bytes": out_bytes, "failure_lines": len(failed)}


def best_of(runs: list[dict]) -> dict:
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["peak_rss_kb"] = max(r["peak_rss_kb"] for r in runs)  # highest over all runs
    best["all_seconds"] = [r["seconds"] for r in runs]
    # The least CPU over the runs: on a shared machine other load only adds.
    best["cpu_seconds"] = min(r["cpu_seconds"] for r in runs)
    best["runs"] = len(runs)
    return best


def check_binary(gleaner: Path, given: Path) -> None:
    if not gleaner.is_file() or not os.access(gleaner, os.X_OK):
        die(f"gleaner binary not found at {given}: build it first: cargo build --release")
    res = subprocess.run([str(gleaner), "ingest", "--help"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if res.returncode != 0:
        die(f"{given} has no `ingest` command (an old build?): rebuild it: cargo build --release")


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    gleaner = args.gleaner.absolute()
    check_binary(gleaner, args.gleaner)
    if not (args.data / "html").is_dir():
        die(f"no html/ folder in {args.data} (use --data DIR)")
    es = benchlib.load_module(BENCH_DIR / "extract-speed.py")
    # Its run_measured() reports failures through its own die(); use ours so
    # the message carries this script's name.
    es.die = die

    true = shutil.which("true") or "/bin/true"
    floor_kb = max(es.run_measured([true])[1] for _ in range(3))
    job_settings = [args.jobs] if args.jobs == 1 else [args.jobs, 1]
    limit_kb = args.rss_limit_mb * 1024

    if args.tmpdir:
        args.tmpdir.mkdir(parents=True, exist_ok=True)
    if args.keep:
        work = Path(tempfile.mkdtemp(prefix="gleaner-ingest-bench-", dir=args.tmpdir))
        tmp_ctx = None
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="gleaner-ingest-bench-", dir=args.tmpdir)
        work = Path(tmp_ctx.name)
    try:
        sources = load_sources(args.data)
        log(f"{len(sources)} shared pages; finding where their main text is (gleaner extract)")
        texts = probe_texts(gleaner, sources, work)
        templates = [Template(html, text) for (_, html), text in zip(sources, texts)]
        unanchored = sum(not t.anchored for t in templates)
        if unanchored:
            log(f"note: {unanchored} shared pages had no extracted text to anchor the variation on")

        warc, html_dir = work / "pages.warc.gz", work / "html"
        log(f"writing {args.pages} pages to {warc} and {html_dir}/")
        gen = generate(templates, args.pages, warc, html_dir, args.gzip_level)
        log(f"wrote {gen['html_bytes'] / 1e6:.1f} MB of HTML; WARC {gen['warc_bytes'] / 1e6:.1f} MB gzip "
            f"({gen['warc_uncompressed_bytes'] / 1e6:.1f} MB uncompressed) in {gen['seconds']:.1f} s")
        checked = min(args.pages, len(templates))
        visible = check_variation(gleaner, html_dir, work, checked, templates)
        log(f"variation visible in the extracted text of {visible}/{checked} shared pages")

        runs: dict[str, list[dict]] = {f"{kind}_j{j}": [] for j in job_settings for kind in ("ingest", "extract")}
        for r in range(args.repeat):
            for j in job_settings:
                ing = run_ingest(es, gleaner, j, warc, work)
                runs[f"ingest_j{j}"].append(ing)
                log(f"ingest  --jobs {j} run {r + 1}/{args.repeat}: {ing['seconds']:.2f} s, "
                    f"peak RSS {ing['peak_rss_kb'] / 1024:.1f} MB, store {ing['store_bytes'] / 1e6:.1f} MB, "
                    f"pages {ing['summary'].get('pages')}, errors {ing['summary'].get('errors')}")
                ext = run_extract(es, gleaner, j, html_dir, work)
                runs[f"extract_j{j}"].append(ext)
                log(f"extract --jobs {j} run {r + 1}/{args.repeat}: {ext['seconds']:.2f} s, "
                    f"peak RSS {ext['peak_rss_kb'] / 1024:.1f} MB, {ext['outputs']} outputs")
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()
        else:
            log(f"kept {work}")

    best = {k: best_of(v) for k, v in runs.items()}
    n = args.pages
    mb = gen["html_bytes"] / 1e6
    for b in best.values():
        b["pages_per_s"] = n / b["seconds"]
        b["mb_per_s"] = mb / b["seconds"]
        b["peak_rss_mb"] = b["peak_rss_kb"] / 1024
        b["pages_per_cpu_s"] = n / b["cpu_seconds"] if b["cpu_seconds"] else 0.0
    # How the whole pipeline scales: the main setting's wall-time speed-up
    # over --jobs 1 (the target is 1.8x for --jobs 2 on 2 cores).
    scaling = {
        kind: best[f"{kind}_j1"]["seconds"] / best[f"{kind}_j{args.jobs}"]["seconds"]
        for kind in ("ingest", "extract")
    } if args.jobs != 1 else {}
    overhead = {
        j: (best[f"ingest_j{j}"]["seconds"] - best[f"extract_j{j}"]["seconds"]) / best[f"extract_j{j}"]["seconds"] * 100
        for j in job_settings
    }
    ingest_peak_kb = max(best[f"ingest_j{j}"]["peak_rss_kb"] for j in job_settings)
    rss_pass = ingest_peak_kb <= limit_kb
    main_ing = best[f"ingest_j{args.jobs}"]
    summ = main_ing["summary"]

    print(f"pages: {n} ({len(sources)} shared pages, each copy varied), {gen['html_bytes']} bytes of HTML ({mb:.1f} MB)")
    print(f"WARC: {gen['warc_bytes'] / 1e6:.1f} MB gzip, one member per record "
          f"({gen['warc_uncompressed_bytes'] / 1e6:.1f} MB uncompressed)")
    print(f"variation visible in the extracted text: {visible}/{checked} shared pages")
    print(f"best of {args.repeat} runs; wall time of the whole process; peak RSS = highest over the runs")
    print()
    header = (f"{'command':<18} {'jobs':>4} {'pages':>6} {'seconds':>9} {'pages/s':>9} {'MB/s':>8} "
              f"{'CPU s':>7} {'pages/CPU-s':>11} {'peak RSS MB':>12}")
    print(header)
    print("-" * len(header))
    for j in job_settings:
        for kind in ("ingest", "extract"):
            b = best[f"{kind}_j{j}"]
            mark = "*" if b["peak_rss_kb"] <= floor_kb * 1.05 else " "
            print(f"gleaner {kind:<10} {j:>4} {n:>6} {b['seconds']:>9.2f} {b['pages_per_s']:>9.1f} "
                  f"{b['mb_per_s']:>8.1f} {b['cpu_seconds']:>7.2f} {b['pages_per_cpu_s']:>11.1f} "
                  f"{b['peak_rss_mb']:>11.1f}{mark}")
    print(f"peak RSS floor of the measurement (`true` run the same way): {floor_kb / 1024:.1f} MB")
    print()
    for j in job_settings:
        print(f"ingest overhead over extract, --jobs {j}: {overhead[j]:+.1f} %")
    for kind, ratio in scaling.items():
        print(f"{kind} --jobs {args.jobs} / --jobs 1 (wall-time speed-up): {ratio:.2f}x")
    print(f"ingest peak RSS: {ingest_peak_kb / 1024:.1f} MB (limit {args.rss_limit_mb:g} MB): "
          f"{'PASS' if rss_pass else 'FAIL'}")
    extra = ""
    if main_ing["store_files_bytes"] != main_ing["store_bytes"]:
        extra = f" ({main_ing['store_files_bytes'] / 1e6:.1f} MB with {', '.join(main_ing['store_files'][1:])})"
    print(f"store: {main_ing['store_bytes'] / 1e6:.1f} MB{extra}, "
          f"{main_ing['store_bytes'] / max(1, gen['html_bytes']) * 100:.1f} % of the HTML")
    print(f"ingest summary (--jobs {args.jobs}): pages {summ.get('pages')}, new {summ.get('new_records')}, "
          f"known {summ.get('known_records')}, errors {summ.get('errors')}, pending {summ.get('pending')}, "
          f"errors by category {json.dumps(summ.get('errors_by_category', {}), sort_keys=True)}, "
          f"own pages/s {summ.get('pages_per_second', 0):.1f}")

    warnings = []
    for j in job_settings:
        s = best[f"ingest_j{j}"]["summary"]
        if s.get("pages") != n:
            warnings.append(f"ingest --jobs {j} counted {s.get('pages')} pages for {n}")
        if s.get("errors"):
            warnings.append(f"ingest --jobs {j} stored {s.get('errors')} errors")
        if s.get("known_records"):
            warnings.append(f"ingest --jobs {j}: {s.get('known_records')} pages were already-known articles "
                            f"(copies whose variation the extractor dropped)")
        e = best[f"extract_j{j}"]
        if e["outputs"] != n:
            warnings.append(f"extract --jobs {j} wrote {e['outputs']} files for {n} pages")
    for w in warnings:
        print(f"warning: {w}")

    if args.json:
        print(json.dumps({
            "pages": n,
            "shared_pages": len(sources),
            "html_bytes": gen["html_bytes"],
            "warc_bytes": gen["warc_bytes"],
            "warc_uncompressed_bytes": gen["warc_uncompressed_bytes"],
            "variation_visible": visible,
            "variation_checked": checked,
            "jobs": args.jobs,
            "repeat": args.repeat,
            "rss_floor_kb": floor_kb,
            "rss_limit_mb": args.rss_limit_mb,
            "ingest_peak_rss_mb": ingest_peak_kb / 1024,
            "rss_pass": rss_pass,
            "overhead_pct": {str(j): v for j, v in overhead.items()},
            "scaling": scaling,
            "store_bytes": main_ing["store_bytes"],
            "ingest_summary": summ,
            "runs": best,
            "warnings": warnings,
        }, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
