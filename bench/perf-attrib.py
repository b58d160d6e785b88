#!/usr/bin/env python3
"""Where an ingest's CPU goes, by Gleaner stage and by Gleaner function.

`perf report --no-children` charges a sample to the leaf symbol, so string
comparisons, copies and allocation (memcmp, memmove, malloc) show up as
costs of their own and SQLite's and zlib's internals as dozens of small
rows. This reads `perf script` output recorded with DWARF call graphs and
charges each sample instead to the innermost Gleaner function on its stack
(its own time plus the library code it called), and to the innermost
Gleaner stage (crate) on the stack:

    perf record -F 199 --call-graph dwarf,32768 -o ingest.data \\
        target/release/gleaner ingest --quiet --jobs 1 --db /tmp/s.db PAGES.warc.gz
    perf script -i ingest.data | bench/perf-attrib.py [--top N] [--leaves]

(the release profile keeps line tables, which the unwinder needs; a page's
worth of stack, 32 KB, reaches the stage's frame on nearly every sample).
--leaves also lists which Gleaner functions the comparisons, copies,
allocations and lowercasing are charged to. Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys

FRAME = re.compile(r"\s*[0-9a-f]+ (.*)\+0x[0-9a-f]+ \((.*)\)")
STAGES = ("gleaner_store", "gleaner_dedup", "gleaner_analyse", "gleaner_extract", "gleaner_read", "gleaner_ingest")
# Frames of the standard library that monomorphise Gleaner types into their
# names: not Gleaner's own code.
STD = ("core::", "<core", "alloc::", "<alloc", "std::", "<std")
HELPERS = ("memcmp", "memmove", "memcpy", "malloc", "mi_", "free", "to_lowercase", "to_lower", "TwoWay", "StrSearcher")


def samples(lines):
    """Yields each sample's frames, leaf first, as (symbol, dso) pairs."""
    frames: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            if frames:
                yield frames
            frames = []
        elif line[0] in "\t ":
            m = FRAME.match(line.rstrip())
            if m:
                frames.append((m.group(1), m.group(2)))
        else:
            frames = []
    if frames:
        yield frames


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--top", type=int, default=40, help="functions to list (default 40)")
    p.add_argument("--leaves", action="store_true", help="also list helper leaves by the function they serve")
    args = p.parse_args()

    owner: collections.Counter[str] = collections.Counter()
    stage: collections.Counter[str] = collections.Counter()
    pair: collections.Counter[tuple[str, str]] = collections.Counter()
    n = 0
    for frames in samples(sys.stdin):
        n += 1
        syms = [s for s, _ in frames]
        own = next((s for s in syms if "gleaner_" in s and not s.startswith(STD)), None)
        if own is None:
            own = "(no Gleaner frame) " + syms[0]
        owner[own] += 1
        chain = " ".join(syms)
        stage[next((st for st in STAGES if st in chain), "other")] += 1
        pair[(own, syms[0])] += 1
    if n == 0:
        print("no samples with call graphs on stdin (record with --call-graph dwarf)", file=sys.stderr)
        return 1

    def pct(v: int) -> str:
        return f"{100 * v / n:6.2f}%"

    print(f"samples: {n}")
    print("\nby stage (innermost Gleaner crate on the stack)")
    for k, v in stage.most_common():
        print(f"{pct(v)}  {k}")
    print("\nby Gleaner function (its own time and the library code it called)")
    for k, v in owner.most_common(args.top):
        print(f"{pct(v)}  {k[:160]}")
    if args.leaves:
        print("\ncomparisons, copies, allocation and lowercasing, by the function they serve")
        for (o, leaf), v in pair.most_common():
            if 100 * v / n < 0.15:
                break
            if any(h in leaf for h in HELPERS):
                print(f"{pct(v)}  {leaf[:40]:40} <- {o[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
