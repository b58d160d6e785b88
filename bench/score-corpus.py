#!/usr/bin/env python3
"""Score Gleaner's extraction against trafilatura, newspaper4k and htmldate
on the development corpus (testdata/corpus, see its README.md).

    bench/score-corpus.py [--gleaner PATH] [--split dev|test|all]
                          [--source NAME[,NAME]] [--only TOOL[,TOOL]]
                          [--limit N] [--per-page FILE] [--keep DIR] [--json]
                          [--no-speed]

One run over the same pages, four tools side by side:

  gleaner      one `gleaner extract --no-analysis --format jsonl --url URL
               PAGE` per page (so the page's address is known, as for the
               others; these run on every core, untimed), and, for speed
               (unless --no-speed), one timed batch run
               `gleaner extract --jobs 1 --quiet --no-analysis --format jsonl
               --out-dir OUT DIR` over the unpacked pages
  trafilatura  2.3.1: bare_extraction(html_bytes, url=URL, with_metadata=True,
               include_comments=False)
  newspaper4k  0.9.6: Article(URL, fetch_images=False);
               download(input_html=text); parse()
  htmldate     1.11.0: find_date(html_bytes, url=URL, original_date=True,
               outputformat="%Y-%m-%d") (dates only)

The Python tools run in a venv at target/corpus-venv (made on first use with
bench/benchlib.ensure_venv; --venv PATH for another). Their speed is the sum
of the per-page extraction calls (imports and file reading excluded);
Gleaner's is the wall time of the batch run (process start included).

Fields and verdicts (the same rules for every tool):
  title      exact: equal after NFKC, casefold and whitespace collapse;
             lenient: equal after also dropping punctuation, or token F1
             >= 0.9
  authors    exact: the same set of names after NFKD, accents dropped,
             casefold, punctuation dropped, whitespace collapsed;
             lenient: every expected name is among the output's names
             (extra names allowed)
  published  exact: the same day; where the upstream gives a UTC instant
             (postlight), a date-time with a zone must fall on the
             instant's UTC day, and a bare date must be a day the instant
             falls on in some time zone (UTC-12 to UTC+14): a page shows
             its local day, which the upstream's UTC day may not be;
             lenient: within one day
  text       token F1 against the full expected text (tokens: \\w+ runs,
             casefolded, as a bag); the table shows the mean
  opening    the first 10 words of the expected opening (tokens as above,
             joined by one space, cut to 80 characters: in Chinese or
             Japanese a \w+ run is a whole clause) start within the first
             300 characters of the output's token stream (joined the same
             way); lenient: anywhere in it

A tool's failure on one page (exception, crash, timeout of 60 s) is a miss on
that page. Standard library only outside the venv.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

TOOLS = ["gleaner", "trafilatura", "newspaper4k", "htmldate"]
FIELDS = ["title", "authors", "published", "text", "opening"]
SOURCES = ["postlight", "newspaper4k", "newspaper", "goose3", "htmldate"]
TOOL_FIELDS = {
    "gleaner": set(FIELDS),
    "trafilatura": set(FIELDS),
    "newspaper4k": set(FIELDS),
    "htmldate": {"published"},
}
VERSIONS = {"trafilatura": "2.3.1", "newspaper4k": "0.9.6", "htmldate": "1.11.0"}
VENV_PACKAGES = [
    f"trafilatura=={VERSIONS['trafilatura']}",
    # the language extras: without them newspaper4k raises on Japanese,
    # Chinese, Thai, Arabic, Korean and Hindi pages
    f"newspaper4k[ja,zh,th,nlp,hi]=={VERSIONS['newspaper4k']}",
    f"htmldate=={VERSIONS['htmldate']}",
    "lxml_html_clean==0.4.6",
]
OPENING_WORDS = 10
OPENING_WINDOW = 300
OPENING_CHARS = 80  # caps `want` where words are long runs (Chinese, Japanese)
PAGE_TIMEOUT = 60


def log(msg: str) -> None:
    print(f"score-corpus: {msg}", file=sys.stderr, flush=True)


def die(msg: str) -> None:
    log(msg)
    sys.exit(2)


# ----------------------------------------------------------------- the venv

PROBE = (
    "import trafilatura, htmldate, newspaper, jieba, tinysegmenter, pythainlp, nltk, importlib.metadata as m; "
    "print(m.version('trafilatura'), m.version('newspaper4k'), m.version('htmldate'))"
)


def ensure_venv(venv: Path) -> Path:
    # pip 23 (the one Python 3.11 puts in a new venv) fails to resolve
    # newspaper4k's lxml[html_clean] next to lxml_html_clean: a newer pip first
    benchlib.ensure_venv(
        venv, ["pip==25.1.1"],
        "import pip; print(pip.__version__)",
        lambda out: tuple(int(x) for x in out.split(".")[:2]) >= (24, 0),
        "pip", log, die,
    )
    want = f"{VERSIONS['trafilatura']} {VERSIONS['newspaper4k']} {VERSIONS['htmldate']}"
    return benchlib.ensure_venv(
        venv, VENV_PACKAGES, PROBE, lambda out: out.splitlines()[-1] == want,
        "trafilatura, newspaper4k and htmldate", log, die,
    )


# The worker runs inside the venv: one tool over a manifest of pages,
# one JSON line per page, then a summary line.
WORKER = r'''
import json, re, signal, sys, time, warnings
warnings.filterwarnings("ignore")
tool, manifest = sys.argv[1], sys.argv[2]
pages = json.load(open(manifest))

class Timeout(Exception):
    pass

def on_alarm(signum, frame):
    raise Timeout()

signal.signal(signal.SIGALRM, on_alarm)

def decode(raw):
    head = raw[:4096].decode("ascii", "replace")
    m = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", head, re.I)
    for enc in ([m.group(1)] if m else []) + ["utf-8"]:
        try:
            return raw.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("cp1252", "replace")

t0 = time.perf_counter()
if tool == "trafilatura":
    import trafilatura
    def run(raw, url):
        doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False)
        if doc is None:
            return {}
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return {"title": doc.title, "authors": authors, "published": doc.date,
                "text": doc.text, "language": doc.language}
elif tool == "newspaper4k":
    import newspaper
    def run(raw, url):
        a = newspaper.Article(url, fetch_images=False)
        a.download(input_html=decode(raw))
        a.parse()
        pd = a.publish_date
        return {"title": a.title, "authors": list(a.authors or []),
                "published": pd.strftime("%Y-%m-%d") if pd else None,
                "text": a.text, "language": a.meta_lang or None}
elif tool == "htmldate":
    import htmldate
    def run(raw, url):
        return {"published": htmldate.find_date(raw, url=url, original_date=True, outputformat="%Y-%m-%d")}
else:
    raise SystemExit("unknown tool " + tool)
import_seconds = time.perf_counter() - t0

loop = 0.0
failed = 0
for p in pages:
    raw = open(p["path"], "rb").read()
    start = time.perf_counter()
    signal.alarm(TIMEOUT)
    try:
        out = run(raw, p["url"])
        err = None
    except BaseException as e:
        out, err = {}, f"{type(e).__name__}: {e}"[:300]
        failed += 1
    finally:
        signal.alarm(0)
    loop += time.perf_counter() - start
    print(json.dumps({"key": p["key"], "out": out, "error": err}, default=str), flush=True)
print(json.dumps({"summary": True, "pages": len(pages), "failed": failed,
                  "loop_seconds": loop, "import_seconds": import_seconds}), flush=True)
'''


# ------------------------------------------------------------- normalising


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s or "")


def ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def norm_title(s: str) -> str:
    return ws(nfkc(s).casefold())


def tokens(s: str) -> list[str]:
    return re.findall(r"\w+", nfkc(s).casefold())


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def norm_name(s: str) -> str:
    return " ".join(re.findall(r"\w+", strip_accents(nfkc(s)).casefold()))


def f1(expected: list[str], got: list[str]) -> float:
    if not expected and not got:
        return 1.0
    if not expected or not got:
        return 0.0
    from collections import Counter

    ce, cg = Counter(expected), Counter(got)
    common = sum((ce & cg).values())
    if common == 0:
        return 0.0
    p, r = common / len(got), common / len(expected)
    return 2 * p * r / (p + r)


def day_diff(a: str, b: str) -> int | None:
    from datetime import date

    try:
        da = date.fromisoformat(a[:10])
        db = date.fromisoformat(b[:10])
    except (TypeError, ValueError):
        return None
    return abs((da - db).days)


def local_days(instant: str) -> set[str] | None:
    """The calendar days an upstream UTC instant falls on somewhere on Earth
    (UTC-12 to UTC+14): the days a page could show for it."""
    from datetime import datetime, timedelta

    try:
        t = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        return None
    first, last = (t - timedelta(hours=12)).date(), (t + timedelta(hours=14)).date()
    return {(first + timedelta(days=k)).isoformat() for k in range((last - first).days + 1)}


def same_day_as_instant(instant: str, got: str) -> bool | None:
    """Whether `got` gives the day of the UTC `instant`: a date-time with a
    zone names an instant, whose UTC day must be the instant's; a bare date
    (or a date-time without a zone) is a local day, which must be one the
    instant falls on in some time zone. None: not comparable."""
    from datetime import datetime

    days = local_days(instant)
    if days is None or len(got) < 10:
        return None
    if len(got) > 10:
        try:
            t = datetime.fromisoformat(got.replace("Z", "+00:00"))
        except ValueError:
            return None
        if t.tzinfo is not None:
            e = datetime.fromisoformat(instant.replace("Z", "+00:00"))
            return t.astimezone(e.tzinfo).date() == e.date()
    return got[:10] in days


def judge(field: str, exp, got, instant: str | None = None) -> dict:
    """Verdicts for one field: {'ok': bool|float, 'lenient': bool|None}.
    `instant`: for `published`, the upstream's full UTC instant when it gave
    one (postlight), which decides the day instead of its UTC day alone."""
    if field == "title":
        if not got:
            return {"ok": False, "lenient": False}
        ok = norm_title(exp) == norm_title(got)
        te, tg = tokens(exp), tokens(got)
        lenient = ok or te == tg or f1(te, tg) >= 0.9
        return {"ok": ok, "lenient": lenient}
    if field == "authors":
        e = {norm_name(x) for x in exp if norm_name(x)}
        g = {norm_name(x) for x in (got or []) if norm_name(x)}
        return {"ok": bool(g) and e == g, "lenient": bool(g) and e <= g}
    if field == "published":
        d = day_diff(exp, got) if got else None
        ok = d == 0
        if got and instant:
            same = same_day_as_instant(instant, got)
            ok = same if same is not None else ok
        return {"ok": ok, "lenient": ok or (d is not None and d <= 1)}
    if field == "text":
        return {"ok": f1(tokens(exp), tokens(got or "")), "lenient": None}
    if field == "opening":
        want = " ".join(tokens(exp)[:OPENING_WORDS])[:OPENING_CHARS]
        have = " ".join(tokens(got or ""))
        if not want:
            return {"ok": False, "lenient": False}
        pos = have.find(want)
        return {"ok": 0 <= pos <= OPENING_WINDOW, "lenient": pos >= 0, "pos": pos}
    raise ValueError(field)


# ------------------------------------------------------------------ running


def load_expect(corpus: Path) -> list[dict]:
    pages = []
    with open(corpus / "expect.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                pages.append(json.loads(line))
    return pages


def unpack(corpus: Path, pages: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for p in pages:
        key = p["id"].replace("/", "__")
        p["key"] = key
        p["gz"] = str(corpus / "pages" / f"{p['id']}.html.gz")
        p["path"] = str(folder / f"{key}.html")
        with gzip.open(p["gz"], "rb") as g:
            Path(p["path"]).write_bytes(g.read())


def run_gleaner(gleaner: Path, pages: list[dict], in_dir: Path, work: Path, timed: bool = True) -> tuple[dict, dict]:
    def one(p: dict) -> dict:
        cmd = [str(gleaner), "extract", "--no-analysis", "--quiet", "--format", "jsonl", "--url", p["url"], p["path"]]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=PAGE_TIMEOUT)
            line = next((x for x in r.stdout.splitlines() if x.strip().startswith("{")), None)
            if line is None:
                return {"out": {}, "error": f"exit {r.returncode}: {r.stderr.strip()[:300]}"}
            d = json.loads(line)
            return {
                "out": {
                    "title": d.get("title"),
                    "authors": d.get("authors") or [],
                    "published": d.get("published"),
                    "text": d.get("text"),
                    "language": d.get("language"),
                },
                "error": None,
            }
        except (subprocess.TimeoutExpired, ValueError, OSError) as e:
            return {"out": {}, "error": f"{type(e).__name__}: {e}"[:300]}

    # The per-page runs give the fields (each with its page's address); they
    # are not timed, so they run side by side on every core.
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for i, (p, res) in enumerate(zip(pages, pool.map(one, pages))):
            results[p["key"]] = res
            if (i + 1) % 100 == 0:
                log(f"gleaner: {i + 1}/{len(pages)} pages")
    failed = sum(1 for v in results.values() if v["error"])
    if not timed:
        return results, {"pages": len(pages), "seconds": 0.0, "failed": failed, "batch_exit": None}
    # speed: one batch run over the folder, single-threaded
    out_dir = work / "gleaner-batch"
    cmd = [str(gleaner), "extract", "--jobs", "1", "--quiet", "--no-analysis", "--format", "jsonl",
           "--out-dir", str(out_dir), str(in_dir)]
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t
    if r.returncode not in (0, 1):
        log(f"gleaner batch run exited {r.returncode}: {r.stderr.strip()[:300]}")
    return results, {"pages": len(pages), "seconds": secs, "failed": failed, "batch_exit": r.returncode}


def run_python_tool(py: Path, tool: str, pages: list[dict], work: Path) -> tuple[dict, dict]:
    worker = work / "worker.py"
    worker.write_text(WORKER.replace("TIMEOUT", str(PAGE_TIMEOUT), 1), encoding="utf-8")
    manifest = work / f"manifest-{tool}.json"
    manifest.write_text(json.dumps([{"key": p["key"], "path": p["path"], "url": p["url"]} for p in pages]))
    results: dict = {}
    summary = None
    remaining = list(pages)
    # a crash of the interpreter (not an exception) loses the rest of the
    # run: start again after the page that crashed, which counts as a miss
    loop_seconds = 0.0
    while remaining:
        manifest.write_text(json.dumps([{"key": p["key"], "path": p["path"], "url": p["url"]} for p in remaining]))
        env = dict(os.environ, PYTHONWARNINGS="ignore")
        proc = subprocess.run([str(py), str(worker), tool, str(manifest)], capture_output=True, text=True, env=env)
        for line in proc.stdout.splitlines():
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if d.get("summary"):
                summary = d
                loop_seconds += d["loop_seconds"]
            elif "key" in d:
                results[d["key"]] = {"out": d.get("out") or {}, "error": d.get("error")}
        if summary is not None and len(results) >= len(pages):
            break
        done = {p["key"] for p in remaining if p["key"] in results}
        rest = [p for p in remaining if p["key"] not in done]
        if not rest:
            break
        crashed = rest[0]
        log(f"{tool}: the worker died on {crashed['id']} (exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
        results[crashed["key"]] = {"out": {}, "error": f"worker died (exit {proc.returncode})"}
        remaining = rest[1:]
        summary = None
    failed = sum(1 for v in results.values() if v["error"])
    return results, {"pages": len(pages), "seconds": loop_seconds, "failed": failed}


# ----------------------------------------------------------------- scoring


def score(pages: list[dict], outputs: dict[str, dict], tools: list[str]) -> tuple[dict, list[list[str]]]:
    """table[source][field] = {"n": n, tool: {"ok": x, "lenient": y}}"""
    table: dict = {}
    rows = []
    for p in pages:
        for field in FIELDS:
            if field not in p:
                continue
            exp = p[field]
            row = [p["id"], p["split"], p["source"], field, show(exp)]
            for scope in (p["source"], "all"):
                cell = table.setdefault(scope, {}).setdefault(field, {"n": 0})
                cell["n"] += 1
            for tool in tools:
                if field not in TOOL_FIELDS[tool]:
                    row += ["", ""]
                    continue
                res = outputs[tool].get(p["key"], {"out": {}, "error": "no result"})
                got = res["out"].get("text" if field == "opening" else field)
                v = judge(field, exp, got, p.get("published_instant") if field == "published" else None)
                for scope in (p["source"], "all"):
                    c = table[scope][field].setdefault(tool, {"ok": 0.0, "lenient": 0.0})
                    c["ok"] += float(v["ok"])
                    c["lenient"] += float(v["lenient"]) if v["lenient"] is not None else 0.0
                verdict = (f"{v['ok']:.2f}" if field == "text" else ("ok" if v["ok"] else ("lenient" if v["lenient"] else "miss")))
                if res.get("error"):
                    verdict += " (error: " + ws(res["error"][:80]) + ")"
                row += [show(got), verdict]
            rows.append(row)
    for scope in table.values():
        for field, cell in scope.items():
            for tool in tools:
                if tool in cell:
                    cell[tool]["ok"] /= cell["n"]
                    cell[tool]["lenient"] = None if field == "text" else cell[tool]["lenient"] / cell["n"]
    return table, rows


def show(v) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        v = " | ".join(str(x) for x in v)
    s = re.sub(r"\s+", " ", str(v)).strip()
    return s if len(s) <= 300 else s[:297] + "..."


def print_table(table: dict, speed: dict, tools: list[str], split: str) -> None:
    head = f"{'source':12} {'field':10} {'n':>4}  " + "  ".join(f"{t:>16}" for t in tools)
    print(f"split: {split}; cells: exact (lenient); text: mean token F1")
    print(head)
    print("-" * len(head))
    for scope in SOURCES + ["all"]:
        if scope not in table:
            continue
        for field in FIELDS:
            cell = table[scope].get(field)
            if not cell:
                continue
            parts = []
            for t in tools:
                c = cell.get(t)
                if c is None:
                    parts.append(f"{'-':>16}")
                elif field == "text":
                    parts.append(f"{c['ok']:>16.3f}")
                else:
                    parts.append(f"{c['ok']:>9.2f} ({c['lenient']:.2f})")
            print(f"{scope:12} {field:10} {cell['n']:>4}  " + "  ".join(parts))
    print()
    print(f"{'speed':12} {'pages':>6} {'seconds':>9} {'pages/s':>9} {'failed':>7}  gleaner is N x faster")
    g = speed.get("gleaner")
    for t in tools:
        s = speed.get(t)
        if not s:
            continue
        pps = s["pages"] / s["seconds"] if s["seconds"] > 0 else float("nan")
        ratio = ""
        if g and t != "gleaner" and g["seconds"] > 0 and s["seconds"] > 0:
            ratio = f"{(g['pages'] / g['seconds']) / pps:.1f}"
        print(f"{t:12} {s['pages']:>6} {s['seconds']:>9.2f} {pps:>9.1f} {s['failed']:>7}  {ratio}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO_ROOT / "testdata" / "corpus")
    ap.add_argument("--gleaner", type=Path, default=REPO_ROOT / "target" / "release" / "gleaner")
    ap.add_argument("--venv", type=Path, default=REPO_ROOT / "target" / "corpus-venv")
    ap.add_argument("--split", choices=["dev", "test", "all"], default="dev")
    ap.add_argument("--source", help="only these sources (comma-separated)")
    ap.add_argument("--only", help="only these tools (comma-separated), e.g. gleaner")
    ap.add_argument("--limit", type=int, help="only the first N pages (after the other filters)")
    ap.add_argument("--per-page", type=Path, help="write a TSV of every page, field, value and verdict")
    ap.add_argument("--keep", type=Path, help="keep the unpacked pages and outputs in this folder")
    ap.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    ap.add_argument("--no-speed", action="store_true",
                    help="skip Gleaner's timed batch run (the quality gate: scores only)")
    args = ap.parse_args()

    tools = TOOLS if not args.only else [t.strip() for t in args.only.split(",") if t.strip()]
    for t in tools:
        if t not in TOOLS:
            die(f"unknown tool {t} (known: {', '.join(TOOLS)})")
    pages = load_expect(args.corpus)
    if args.split != "all":
        pages = [p for p in pages if p["split"] == args.split]
    if args.source:
        want = {s.strip() for s in args.source.split(",")}
        pages = [p for p in pages if p["source"] in want]
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        die("no pages selected")

    gleaner = args.gleaner.absolute()
    if "gleaner" in tools and (not gleaner.is_file() or not os.access(gleaner, os.X_OK)):
        die(f"gleaner binary not found at {args.gleaner}: build it first (cargo build --release) or pass --gleaner")
    py = None
    if any(t != "gleaner" for t in tools):
        py = ensure_venv(args.venv.absolute())

    if args.keep:
        work = args.keep.absolute()
        work.mkdir(parents=True, exist_ok=True)
        tmp = None
    else:
        tmp = tempfile.TemporaryDirectory(prefix="score-corpus-")
        work = Path(tmp.name)
    try:
        in_dir = work / "pages"
        unpack(args.corpus, pages, in_dir)
        log(f"{len(pages)} pages ({args.split}), tools: {', '.join(tools)}")
        outputs, speed = {}, {}
        for t in tools:
            log(f"running {t}")
            if t == "gleaner":
                outputs[t], speed[t] = run_gleaner(gleaner, pages, in_dir, work, timed=not args.no_speed)
            else:
                outputs[t], speed[t] = run_python_tool(py, t, pages, work)
            if args.keep:
                with open(work / f"out-{t}.jsonl", "w", encoding="utf-8") as f:
                    for k, v in outputs[t].items():
                        f.write(json.dumps({"key": k, **v}, ensure_ascii=False) + "\n")
        table, rows = score(pages, outputs, tools)
    finally:
        if tmp is not None:
            tmp.cleanup()

    if args.per_page:
        with open(args.per_page, "w", encoding="utf-8") as f:
            head = ["id", "split", "source", "field", "expected"]
            for t in tools:
                head += [t, f"{t}_verdict"]
            f.write("\t".join(head) + "\n")
            for r in rows:
                f.write("\t".join(re.sub(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", " ", x) for x in r) + "\n")
    print_table(table, speed, tools, args.split)
    if args.json:
        g = speed.get("gleaner")
        summary = {
            "split": args.split,
            "pages": len(pages),
            "tools": tools,
            "versions": {t: VERSIONS[t] for t in tools if t in VERSIONS},
            "scores": table,
            "speed": {
                t: {**s, "pages_per_s": (s["pages"] / s["seconds"] if s["seconds"] > 0 else None)}
                for t, s in speed.items()
            },
            "gleaner_speed_ratio": {
                t: (g["pages"] / g["seconds"]) / (s["pages"] / s["seconds"])
                for t, s in speed.items()
                if g and t != "gleaner" and g["seconds"] > 0 and s["seconds"] > 0
            },
        }
        print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
