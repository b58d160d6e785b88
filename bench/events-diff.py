#!/usr/bin/env python3
"""Events that changed between two builds of the analysis, on text nobody
annotated: the method behind the event rules of issue 13, made repeatable.

    bench/events-diff.py --old OLD_BIN --new NEW_BIN [--gleaner PATH]
                         [--source corpus|shared|both] [--texts FILE]
    bench/events-diff.py --new NEW_BIN --list        # every event NEW_BIN finds
    bench/events-diff.py --new NEW_BIN --missed      # event words with no event

The texts are those of bench/names-diff.py (its loader is reused: English
records of the extraction corpus's development split and of the shared
pages, minus anything that overlaps a gold document of testdata/analysis).
--texts FILE keeps them as JSON Lines: read from FILE when it exists, else
written there, so later runs skip `gleaner extract`.

OLD_BIN and NEW_BIN read JSON Lines of {"id", "text", "published"} and write
one analysis per line (`target/release/examples/analyse_jsonl`).

The default prints every event (type/subtype and evidence sentence) found by
one binary and not the other, as "- old" / "+ new", then the counts, and the
time each binary took over the texts (old and new alternated, three rounds,
best of each; a ratio, not an absolute speed). --list prints NEW_BIN's
events; --missed prints sentences that hold an event-like word (arrest,
kill, protest, flood, ...) but no event of NEW_BIN: where recall may be lost.

Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)

REPO = Path(__file__).resolve().parent.parent
# names-diff.py: its loader of the texts and its options.
NAMES = benchlib.load_module(REPO / "bench" / "names-diff.py")
# score-analysis.py: the place -> country look-up the scorer uses, so the
# tuples shown are the ones it scores.
SCORE = benchlib.load_module(REPO / "bench" / "score-analysis.py")

# Words that often tell of an event; a sentence holding one with no event
# found is worth a look (many are generic mentions, rightly left out).
EVENT_WORD = re.compile(
    r"\b(arrest\w*|detain\w*|jail\w*|kill\w*|attack\w*|clash\w*|protest\w*|rall(?:y|ies|ied)|"
    r"strike[sd]?|deploy\w*|troops|ban(?:s|ned)?|curfew\w*|lockdown\w*|closed|sanction\w*|"
    r"flood\w*|earthquake\w*|outbreak\w*|fire[sd]?|blaze|evacuat\w*|raid\w*|seiz\w*|"
    r"sentenced|execut\w*|shot|shoot\w*|bomb\w*|explo\w*|stabb\w*|murder\w*|kidnap\w*|"
    r"abduct\w*|charged|convicted|riot\w*|loot\w*|crash\w*|storm\w*|hurricane|wildfire\w*|"
    r"injur\w*|wounded|dead|died|deaths?|suspended|imposed|ordered|invad\w*|shell\w*|"
    r"airstrikes?|missiles?|rockets?|hostages?|tariffs?)\b",
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)")


def documents(gleaner: Path, source: str, cache: Path | None) -> list[dict]:
    if cache and cache.exists():
        return [json.loads(line) for line in cache.read_text().splitlines() if line.strip()]
    docs = NAMES.documents(gleaner, source)
    if cache:
        cache.write_text("".join(json.dumps(d) + "\n" for d in docs))
    return docs


def analyse(binary: str, payload: str, n: int) -> tuple[list[dict], float]:
    t0 = time.perf_counter()
    res = subprocess.run([binary], input=payload, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if res.returncode != 0:
        sys.exit(f"events-diff: {binary} failed ({res.returncode}): {res.stderr[-500:]}")
    out = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    if len(out) != n:
        sys.exit(f"events-diff: {binary} gave {len(out)} analyses for {n} texts")
    return out, took


def label(e: dict, tuples: bool) -> str:
    """type/subtype, and with --tuples what the scorer's (type, country,
    month) matching sees: the place's country, the month and its basis."""
    kind = f"{e['type']}/{e['subtype']}"
    if not tuples:
        return kind
    month = (e.get("date") or "")[:7] or None
    basis = {"text": "T", "published": "P"}.get(e.get("date_basis"), "-")
    return f"{kind} {SCORE.place_country(e.get('place'))} {month}{basis} [{e.get('place')}]"


def keys(analysis: dict, tuples: bool = False) -> collections.Counter:
    return collections.Counter(
        (e["evidence_span"][0], e["evidence_span"][1], label(e, tuples)) for e in analysis["events"]
    )


def show(doc_id: str, sign: str, text: str, a: int, b: int, kind: str) -> None:
    print(f"{doc_id:6} {sign} {kind:48} | {text[a:b]!r}")


def diff(docs: list[dict], old: list[dict], new: list[dict], tuples: bool) -> tuple[int, int]:
    removed = added = 0
    for d, o, n in zip(docs, old, new):
        before, after = keys(o, tuples), keys(n, tuples)
        for sign, found in (("-", before - after), ("+", after - before)):
            for (a, b, kind), k in sorted(found.items()):
                for _ in range(k):
                    show(d["id"], sign, d["text"], a, b, kind)
                if sign == "-":
                    removed += k
                else:
                    added += k
    return removed, added


def listing(docs: list[dict], new: list[dict], tuples: bool) -> None:
    total = 0
    for d, n in zip(docs, new):
        for e in n["events"]:
            total += 1
            a, b = e["evidence_span"]
            show(d["id"], " ", d["text"], a, b, label(e, tuples))
    print(f"events {total}")


def missed(docs: list[dict], new: list[dict]) -> None:
    total = 0
    for d, n in zip(docs, new):
        text = d["text"]
        spans = [e["evidence_span"] for e in n["events"]]
        for m in SENTENCE.finditer(text):
            a, b = m.start(), m.end()
            words = EVENT_WORD.findall(m.group(0))
            if not words or any(s < b and a < t for s, t in spans):
                continue
            total += 1
            print(f"{d['id']:6} ? {','.join(w.lower() for w in words)[:48]:48} | {m.group(0).strip()!r}")
    print(f"sentences with an event word and no event {total}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    NAMES.add_build_args(ap)
    ap.add_argument("--texts", type=Path, help="JSON Lines cache of the texts (read if present, else written)")
    ap.add_argument("--list", action="store_true", help="print every event NEW finds")
    ap.add_argument("--missed", action="store_true", help="print sentences with an event word and no event")
    ap.add_argument(
        "--tuples",
        action="store_true",
        help="show and compare what is scored: type, the place's country, the month (T text, P published)",
    )
    args = ap.parse_args()
    if not (args.texts and args.texts.exists()) and not args.gleaner.exists():
        sys.exit(f"events-diff: no {args.gleaner}: build it with `cargo build --release`")
    docs = documents(args.gleaner, args.source, args.texts)
    print(f"events-diff: {len(docs)} English texts", file=sys.stderr)
    payload = "".join(json.dumps(d) + "\n" for d in docs)
    if args.list or args.missed:
        new, _ = analyse(args.new, payload, len(docs))
        if args.list:
            listing(docs, new, args.tuples)
        if args.missed:
            missed(docs, new)
        return
    if not args.old:
        sys.exit("events-diff: --old is needed unless --list or --missed is given")
    best = {"old": float("inf"), "new": float("inf")}
    for _ in range(3):
        for name, binary in (("old", args.old), ("new", args.new)):
            out, took = analyse(binary, payload, len(docs))
            best[name] = min(best[name], took)
            if name == "old":
                old = out
            else:
                new = out
    removed, added = diff(docs, old, new, args.tuples)
    print(f"events old {sum(len(a['events']) for a in old)} new {sum(len(a['events']) for a in new)}")
    print(f"removed {removed} added {added}")
    print(
        f"time over {len(docs)} texts (best of 3, alternated): old {best['old']:.3f}s "
        f"new {best['new']:.3f}s, new/old {best['new'] / best['old']:.3f}"
    )


if __name__ == "__main__":
    main()
