#!/usr/bin/env python3
"""CPU of FTS5's inserts alone under a few of its settings, alternated.

Reads the records of a `gleaner export` (JSON Lines), inserts their titles
and texts into a new FTS5 table of the store's definition (same tokenizer,
WAL, 500 rows per transaction as an ingest commits them) once per setting
and round, and prints each setting's median process CPU time. Also checks
that every setting answers five searches (top 50 by rank) identically.
The ingest's own CPU varies by ±8 % on the shared machine, more than FTS5's
share of it; this isolates that share. Python's sqlite3 (the system's
SQLite, not the bundled one) runs the same FTS5 code paths.

    bench/fts-insert.py EXPORT.jsonl ROUNDS
"""

import json
import os
import sqlite3
import sys
import tempfile
import time

VARIANTS = {
    "default": {},
    "hashsize 8 MiB": {"hashsize": 8 << 20},
    "hashsize 32 MiB": {"hashsize": 32 << 20},
    "automerge 8": {"automerge": 8},
    "automerge 16, crisismerge 64": {"automerge": 16, "crisismerge": 64},
    "hashsize 8 MiB, automerge 16, crisismerge 64": {"hashsize": 8 << 20, "automerge": 16, "crisismerge": 64},
    "pgsz 8000": {"pgsz": 8000},
}
QUERIES = ("flood", "election", "police", "prime minister", "court")


def run(rows, cfg, path):
    for s in ("", "-wal", "-shm"):
        if os.path.exists(path + s):
            os.remove(path + s)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=NORMAL")
    c.execute("PRAGMA cache_size=-65536")
    c.execute("CREATE VIRTUAL TABLE records_fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2')")
    for k, v in cfg.items():
        c.execute("INSERT INTO records_fts (records_fts, rank) VALUES (?, ?)", (k, v))
    start = time.process_time()
    for i in range(0, len(rows), 500):
        c.execute("BEGIN IMMEDIATE")
        c.executemany("INSERT INTO records_fts (rowid, title, text) VALUES (?, ?, ?)", rows[i : i + 500])
        c.execute("COMMIT")
    cpu = time.process_time() - start
    answers = [
        c.execute("SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rank LIMIT 50", (q,)).fetchall()
        for q in QUERIES
    ]
    c.close()
    return cpu, answers


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        recs = [json.loads(line) for line in f]
    rows = [(i + 1, r.get("title"), r.get("text")) for i, r in enumerate(recs)]
    print(f"{len(rows)} records, {sum(len(r[2] or '') for r in rows) / 1e6:.1f} MB of text, SQLite {sqlite3.sqlite_version}")
    cpus = {k: [] for k in VARIANTS}
    first = None
    with tempfile.TemporaryDirectory(prefix="gleaner-fts-") as tmp:
        for _ in range(int(sys.argv[2])):
            for name, cfg in VARIANTS.items():
                cpu, answers = run(rows, cfg, os.path.join(tmp, "fts.db"))
                first = first or answers
                if answers != first:
                    sys.exit(f"{name}: search answers differ from the first setting's")
                cpus[name].append(cpu)
    base = sorted(cpus["default"])[len(cpus["default"]) // 2]
    for name, v in cpus.items():
        v.sort()
        med = v[len(v) // 2]
        print(f"{name}: median {med:.3f} CPU-s ({med / base:.2f} of default; {v[0]:.3f}-{v[-1]:.3f})")


if __name__ == "__main__":
    main()
