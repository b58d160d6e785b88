#!/usr/bin/env python3
"""Scores Gleaner's metadata (title, published date, authors, publisher,
language) against the hand-made annotations in testdata/metadata/gold-*.json.

    bench/score-metadata.py [--gleaner target/release/gleaner] [--min-title 0.9 ...] [--show-misses]

Pages are read from ../shared/bench/extraction/data/html (override with --data).
Comparison rules (also in testdata/metadata/README.md):
  title      equal after lowercasing, unifying quotes/dashes and dropping
             punctuation and spacing;
  published  same YYYY-MM-DD; `published±1` also reports agreement within a
             day (time-zone edges the annotators noted);
  authors    same set of names, compared like titles; [] must match [];
  publisher  equal like titles, or one contains the other (CityAM / City A.M.);
  language   same ISO 639-1 code.
Exits 1 when a --min-FIELD floor is not met.
"""
import argparse, datetime, gzip, json, os, re, subprocess, sys, tempfile, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", s).lower()
    s = s.translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return re.sub(r"[\W_]+", "", s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gleaner", default=os.path.join(ROOT, "target/release/gleaner"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "bench", "extraction", "data"))
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    for f in ("title", "published", "authors", "publisher", "language"):
        ap.add_argument(f"--min-{f}", type=float, default=0.0)
    a = ap.parse_args()

    gold = {}
    gold_dir = os.path.join(ROOT, "testdata", "metadata")
    for name in sorted(os.listdir(gold_dir)):
        if name.startswith("gold-") and name.endswith(".json"):
            gold.update(json.load(open(os.path.join(gold_dir, name), encoding="utf-8")))
    if not os.path.exists(a.gleaner):
        sys.exit(f"{a.gleaner} not found: build it first (cargo build --release)")

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for pid in gold:
            src = os.path.join(a.data, "html", pid + ".html.gz")
            dst = os.path.join(tmp, pid + ".html")
            with gzip.open(src) as f, open(dst, "wb") as g:
                g.write(f.read())
            paths.append(dst)
        out = subprocess.run([a.gleaner, "extract", "--quiet", "--format", "jsonl", *paths],
                             capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit(f"gleaner failed: {out.stderr}")
    got = {}
    for line in out.stdout.splitlines():
        r = json.loads(line)
        got[os.path.basename(r["input"]["path"])[:-5]] = r

    fields = ["title", "published", "published±1", "authors", "publisher", "language"]
    hits = {f: 0 for f in fields}
    misses = {f: [] for f in fields}
    for pid, g in gold.items():
        r = got.get(pid, {})
        def check(field, ok, want, have):
            hits[field] += ok
            if not ok:
                misses[field].append((pid[:10], want, have))
        check("title", norm(g["title"]) == norm(r.get("title")), g["title"], r.get("title"))
        check("published", g["published"] == r.get("published"), g["published"], r.get("published"))
        near = g["published"] == r.get("published")
        if not near and g["published"] and r.get("published"):
            try:
                d0 = datetime.date.fromisoformat(g["published"]); d1 = datetime.date.fromisoformat(r["published"][:10])
                near = abs((d0 - d1).days) <= 1
            except ValueError:
                pass
        check("published±1", near, g["published"], r.get("published"))
        check("authors", sorted(map(norm, g["authors"])) == sorted(map(norm, r.get("authors", []))), g["authors"], r.get("authors"))
        gp, rp = norm(g["publisher"]), norm(r.get("publisher"))
        check("publisher", bool(gp and rp and (gp == rp or gp in rp or rp in gp)) or (not gp and not rp), g["publisher"], r.get("publisher"))
        check("language", (g.get("language") or "") == (r.get("language") or ""), g.get("language"), r.get("language"))

    n = len(gold)
    print(f"metadata accuracy on {n} hand-annotated pages ({a.gleaner})")
    summary = {}
    for f in fields:
        acc = hits[f] / n
        summary[f] = round(acc, 3)
        print(f"  {f:<12} {acc:.3f}  ({hits[f]}/{n})")
        if a.show_misses:
            for m in misses[f]:
                print(f"      {m[0]}  want {m[1]!r}  got {m[2]!r}")
    failed = [f for f in ("title", "published", "authors", "publisher", "language") if summary[f] < getattr(a, f"min_{f}")]
    if a.json:
        print(json.dumps(summary))
    if failed:
        print("below the floor: " + ", ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
