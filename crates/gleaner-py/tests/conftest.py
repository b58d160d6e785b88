"""Shared fixtures: where the shared benchmark and the gleaner CLI are, and
how to run the CLI on the same inputs the package gets."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SHARED = Path(os.environ.get("GLEANER_SHARED", REPO.parent / "shared"))
BENCH_HTML = SHARED / "bench" / "extraction" / "data" / "html"
REPRINT = SHARED / "spec" / "example-reprint.txt"

sys.path.insert(0, str(HERE))


def bench_pages(n: int | None = None) -> list[tuple[str, bytes]]:
    """(name, decompressed bytes) of the shared benchmark pages, sorted by name."""
    files = sorted(BENCH_HTML.glob("*.html.gz"))
    if not files:
        pytest.fail(f"no shared benchmark pages under {BENCH_HTML}")
    return [(f.name.removesuffix(".html.gz"), gzip.decompress(f.read_bytes())) for f in files[:n]]


def find_cli() -> Path:
    """The gleaner binary: $GLEANER_BIN, else the newest of target/{release,debug}."""
    env = os.environ.get("GLEANER_BIN")
    if env:
        return Path(env)
    found = [p for p in (REPO / "target" / "release" / "gleaner", REPO / "target" / "debug" / "gleaner") if p.exists()]
    if not found:
        pytest.fail("no gleaner binary: run `cargo build -p gleaner-cli` or set GLEANER_BIN")
    return max(found, key=lambda p: p.stat().st_mtime)


@pytest.fixture(scope="session")
def cli() -> Path:
    return find_cli()


def cli_extract(cli: Path, data: bytes, url: str | None = None) -> dict:
    """`gleaner extract [--url URL] -` with `data` on stdin, as a dict."""
    args = [str(cli), "extract", "--quiet"] + (["--url", url] if url else []) + ["-"]
    out = subprocess.run(args, input=data, capture_output=True, check=True)
    lines = out.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1, out.stderr.decode()
    return json.loads(lines[0])


def cli_ingest_export(cli: Path, warc: Path, db: Path) -> list[dict]:
    """`gleaner ingest WARC` into a fresh store, then `gleaner export` (JSONL), as dicts.

    Ingest exits 1 when some record failed (damaged archives); that is expected here."""
    r = subprocess.run([str(cli), "ingest", "--quiet", "--db", str(db), str(warc)], capture_output=True)
    assert r.returncode in (0, 1), r.stderr.decode()
    out = subprocess.run([str(cli), "export", "--db", str(db)], capture_output=True, check=True)
    return [json.loads(line) for line in out.stdout.decode("utf-8").splitlines()]


def store_view(rec: dict) -> dict:
    """A record as the store-less paths (package, Spark) make it: the export's
    `urls` list and the dedup pass's `duplicate_of` are the store's additions."""
    rec = dict(rec)
    rec.pop("urls", None)
    if rec.get("syndication"):
        rec["syndication"] = dict(rec["syndication"], duplicate_of=None)
    return rec
