#!/usr/bin/env python3
"""Names that changed between two builds of the analysis, on text nobody
annotated: the method behind the entity rules of issue 13, made repeatable.

    bench/names-diff.py --old OLD_BIN --new NEW_BIN [--gleaner PATH]
                        [--source corpus|shared|both] [--uncovered N]

OLD_BIN and NEW_BIN read JSON Lines of {"id", "text", "published"} and write
one analysis per line, as `gleaner analyse --jsonl` and the example
`target/release/examples/analyse_jsonl` do (build it with `cargo build
--release -p gleaner-analyse --example analyse_jsonl`; copy the old one away
before changing a rule).

The texts come from `gleaner extract` (--gleaner, default
target/release/gleaner) over
  corpus: the development split of the extraction corpus (testdata/corpus,
          ids from expect.jsonl with "split": "dev"): many outlets, mostly news;
  shared: the shared benchmark's pages (../shared/bench/extraction/data/html).
Only English records are kept, and any text that shares its opening or a
200-character stretch with a gold document of testdata/analysis (either part)
is left out, so nothing here is scored elsewhere. The test part of the
extraction corpus is never read.

Prints every entity whose span or label differs, as "- old" / "+ new" with
its context, then the count. --uncovered N instead lists the N most frequent
capitalised runs, not opening a sentence, that NEW_BIN leaves without an
entity: where recall is lost.

Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench" / "extraction" / "data" / "html"


def gold_texts() -> list[str]:
    # The gold set as the scorer loads and validates it.
    score = benchlib.load_module(REPO / "bench" / "score-analysis.py")
    return [doc["text"] for doc in score.load_gold("all")]


def overlaps_gold(text: str, gold: list[str]) -> bool:
    head = text[:200]
    return any(head and (head in g or g[:200] in text) for g in gold)


def corpus_pages() -> list[Path]:
    pages = []
    for line in (REPO / "testdata" / "corpus" / "expect.jsonl").read_text().splitlines():
        e = json.loads(line)
        if e.get("split") != "dev":
            continue
        src, name = e["id"].split("/", 1)
        p = REPO / "testdata" / "corpus" / "pages" / src / f"{name}.html.gz"
        if p.exists():
            pages.append(p)
    return pages


def extract(gleaner: Path, pages: list[Path]) -> list[dict]:
    if not pages:
        return []
    res = subprocess.run(
        [str(gleaner), "extract", "--quiet", "--format", "jsonl", *map(str, pages)],
        capture_output=True,
        text=True,
    )
    if res.returncode not in (0, 1):  # 1: some pages had no main text
        sys.exit(f"names-diff: gleaner extract failed ({res.returncode}): {res.stderr[-500:]}")
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


def documents(gleaner: Path, source: str) -> list[dict]:
    gold = gold_texts()
    docs = []
    sets = []
    if source in ("corpus", "both"):
        sets.append(("c", corpus_pages()))
    if source in ("shared", "both"):
        sets.append(("s", sorted(SHARED.glob("*.html.gz"))))
    for prefix, pages in sets:
        for i, rec in enumerate(extract(gleaner, pages)):
            text = rec.get("text") or ""
            if rec.get("language") != "en" or not text or overlaps_gold(text, gold):
                continue
            docs.append({"id": f"{prefix}{i}", "text": text, "published": rec.get("published")})
    return docs


def analyse(binary: str, docs: list[dict]) -> list[dict]:
    payload = "".join(json.dumps(d) + "\n" for d in docs)
    res = subprocess.run([binary], input=payload, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"names-diff: {binary} failed ({res.returncode}): {res.stderr[-500:]}")
    out = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    if len(out) != len(docs):
        sys.exit(f"names-diff: {binary} gave {len(out)} analyses for {len(docs)} texts")
    return out


def context(text: str, a: int, b: int) -> str:
    return repr(text[max(0, a - 50) : b + 40])


def diff(docs: list[dict], old: list[dict], new: list[dict]) -> int:
    changed = 0
    for d, o, n in zip(docs, old, new):
        text = d["text"]
        before = {(e["span"][0], e["span"][1], e["label"]) for e in o["entities"]}
        after = {(e["span"][0], e["span"][1], e["label"]) for e in n["entities"]}
        for sign, found in (("-", before - after), ("+", after - before)):
            for a, b, label in sorted(found):
                changed += 1
                print(f"{d['id']:6} {sign} {label:6} {text[a:b]!r:32} | {context(text, a, b)}")
    return changed


# A capitalised run (with "of", "the", "and", "for", "&" inside), not at a
# sentence's or a line's start.
RUN = re.compile(r"[A-Z][\w&'’.-]*(?:\s+(?:(?:of|the|and|for|&)\s+)?[A-Z][\w&'’.-]*)*")


def uncovered(docs: list[dict], new: list[dict], top: int) -> None:
    count: collections.Counter[str] = collections.Counter()
    example: dict[str, str] = {}
    for d, n in zip(docs, new):
        text = d["text"]
        covered = bytearray(len(text) + 1)
        for e in n["entities"]:  # spans count characters, as Python does
            for k in range(e["span"][0], min(e["span"][1], len(text))):
                covered[k] = 1
        for m in RUN.finditer(text):
            if m.start() == 0 or re.search(r"[.!?\n\"“(]\s*$", text[max(0, m.start() - 3) : m.start()]):
                continue
            if any(covered[m.start() : m.end()]):
                continue
            count[m.group(0)] += 1
            example.setdefault(m.group(0), context(text, m.start(), m.end()))
    for run, k in count.most_common(top):
        print(f"{k:5} {run!r:32} | {example[run]}")


def add_build_args(ap: argparse.ArgumentParser) -> None:
    """The options naming the two builds and the texts (also events-diff.py's)."""
    ap.add_argument("--old", help="the analysis binary before the change")
    ap.add_argument("--new", required=True, help="the analysis binary after the change")
    ap.add_argument("--gleaner", type=Path, default=REPO / "target" / "release" / "gleaner")
    ap.add_argument("--source", choices=("corpus", "shared", "both"), default="both")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_build_args(ap)
    ap.add_argument("--uncovered", type=int, metavar="N", help="list the N most frequent runs NEW leaves unnamed")
    args = ap.parse_args()
    if not args.gleaner.exists():
        sys.exit(f"names-diff: no {args.gleaner}: build it with `cargo build --release`")
    docs = documents(args.gleaner, args.source)
    print(f"names-diff: {len(docs)} English texts", file=sys.stderr)
    new = analyse(args.new, docs)
    if args.uncovered:
        uncovered(docs, new, args.uncovered)
        return
    if not args.old:
        sys.exit("names-diff: --old is needed unless --uncovered is given")
    old = analyse(args.old, docs)
    print(f"changed {diff(docs, old, new)}")


if __name__ == "__main__":
    main()
