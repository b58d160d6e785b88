#!/usr/bin/env python3
"""Near-duplicate detection: Gleaner's dedup stage against datasketch.

    bench/dedup-bench.py [--pairs PATH] [--data DIR] [--venv PATH] [--out DIR]
                         [--seed N] [--repeat N] [--thresholds 0.3,0.4,0.5]
                         [--json]

In one run:

1. Builds the benchmark from the hand-checked article texts of the shared
   extraction pages (DATA/ground-truth.json, "articleBody" per id), seeded so
   it is the same every time: each article (with at least --min-words words)
   is kept as is and gets copies: a = other boilerplate (site header and
   footer), b = promo line at the top, c = truncated to 70-90 % at a sentence
   or paragraph end, d = 2-3 sentences edited (2-4 words replaced, inserted or
   deleted in each), e = paragraphs shuffled (articles with >= 3 paragraphs),
   bc = promo + truncation, ad = boilerplate + edits. The other articles are
   the unrelated documents; the set has real same-story articles from
   different outlets, which are reported apart as topic distractors. Ground
   truth: every pair of documents from one article's family is a positive,
   every other pair is a negative. Written to OUT/docs.jsonl.
2. Runs target/release/examples/pairs (threshold 0.5, best of --repeat for
   time) and datasketch's MinHash + MinHashLSH(threshold=0.5, num_perm=128)
   with the same words (lowercase alphanumeric runs), 4-word shingles and
   Jaccard verification, in a venv (default target/dedup-venv) under this
   same script's --datasketch-worker mode. For reference datasketch also runs
   with Gleaner's banding, params=(32, 4).
3. Scores both against the families: pair precision/recall/F1, recall per
   copy type, false positives among topic distractors; prints the table, the
   speed ratio and the bar, then Gleaner's precision/recall at each threshold
   of --thresholds.

Standard library only in the outer script; datasketch is pinned below.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402  (helpers shared by the bench scripts)
from typing import NoReturn

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent

DATASKETCH_VERSION = "2.0.0"
# numpy does datasketch's arithmetic; scipy is its other dependency (used by
# the LSH parameter optimiser). The versions pip chose for datasketch 2.0.0
# on Python 3.11.
VENV_PACKAGES = [f"datasketch=={DATASKETCH_VERSION}", "numpy==2.4.6", "scipy==1.17.1"]

NUM_PERM = 128
SHINGLE = 4
THRESHOLD = 0.5
GLEANER_BANDS = (32, 4)

# The bar this benchmark checks.
BAR_PRECISION = 0.99
BAR_SPEEDUP = 10.0

# Gleaner's words: runs of alphanumeric characters (char::is_alphanumeric),
# lowercased. Python's \w also takes "_", which Gleaner treats as a
# separator, so it is excluded here.
WORD_RE = re.compile(r"[^\W_]+")

COPY_TYPES = {
    "a": "boilerplate",
    "b": "promo line",
    "c": "truncated",
    "d": "edited",
    "e": "reordered",
    "bc": "promo+truncated",
    "ad": "boilerplate+edited",
}


def die(msg: str, code: int = 1) -> NoReturn:
    print(f"dedup-bench: error: {msg}", file=sys.stderr)
    sys.exit(code)


def log(msg: str) -> None:
    print(f"dedup-bench: {msg}", file=sys.stderr, flush=True)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def shingles(text: str) -> set[str]:
    w = words(text)
    if not w:
        return set()
    k = min(SHINGLE, len(w))
    return {" ".join(w[i:i + k]) for i in range(len(w) - k + 1)}


# ================================================================ the worker
# Runs under the venv's python: `python dedup-bench.py --datasketch-worker`.

def datasketch_worker(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="dedup-bench.py --datasketch-worker")
    ap.add_argument("--datasketch-worker", action="store_true")
    ap.add_argument("--threshold", type=float, default=THRESHOLD)
    ap.add_argument("--params", default="", help="b,r for MinHashLSH(params=...); default: datasketch picks")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)

    docs = [json.loads(line) for line in sys.stdin if line.strip()]
    ids = [d["id"] for d in docs]
    texts = [d["text"] for d in docs]

    t = time.perf_counter()
    from importlib.metadata import version

    import numpy
    from datasketch import MinHash, MinHashLSH

    import_seconds = time.perf_counter() - t
    params = tuple(int(x) for x in a.params.split(",")) if a.params else None
    word_re = WORD_RE
    thr = a.threshold

    def run():
        t0 = time.perf_counter()
        # Signatures: the same words and shingles as Gleaner, each shingle as
        # UTF-8 bytes, hashed in bulk (MinHash.bulk -> update_batch).
        sets = []
        for text in texts:
            w = word_re.findall(text.lower())
            k = min(SHINGLE, len(w))
            sets.append([" ".join(w[i:i + k]).encode("utf-8") for i in range(len(w) - k + 1)] if w else [])
        mhs = MinHash.bulk(sets, num_perm=NUM_PERM)
        t1 = time.perf_counter()
        if params:
            lsh = MinHashLSH(num_perm=NUM_PERM, params=params)
        else:
            lsh = MinHashLSH(threshold=thr, num_perm=NUM_PERM)
        with lsh.insertion_session() as session:
            for i, m in enumerate(mhs):
                session.insert(i, m, check_duplication=False)
        t2 = time.perf_counter()
        # Query each; a bucket collision is symmetric, so each pair is
        # verified once (from its smaller index).
        pairs = []
        for i, m in enumerate(mhs):
            for j in lsh.query(m):
                if j > i:
                    s = m.jaccard(mhs[j])
                    if s >= thr:
                        pairs.append((i, j, s))
        t3 = time.perf_counter()
        return pairs, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), (lsh.b, lsh.r)

    best = None
    all_pairs = []
    for _ in range(max(1, a.repeat)):
        pairs, times, br = run()
        all_pairs.append(sorted((i, j) for i, j, _ in pairs))
        if best is None or times[3] < best[1][3]:
            best = (pairs, times, br)
    pairs, times, br = best
    out = sys.stdout
    for i, j, s in pairs:
        out.write(f"{ids[i]}\t{ids[j]}\t{s:.3f}\n")
    out.write(json.dumps({"summary": {
        "datasketch": version("datasketch"),
        "numpy": numpy.__version__,
        "bands": br[0], "rows": br[1],
        "seconds": times[3],
        "seconds_signatures": times[0],
        "seconds_insert": times[1],
        "seconds_query_verify": times[2],
        "all_runs_same_pairs": all(p == all_pairs[0] for p in all_pairs),
        "import_seconds": import_seconds,
        "repeat": max(1, a.repeat),
    }}) + "\n")
    return 0


# ================================================================ generating

SITES = [
    ("The Daily Ledger", "Home News World Politics Business Tech Sport Culture Opinion Video Podcasts".split()),
    ("Metro Courier", "Home Local Nation World Crime Health Money Weather Traffic Obituaries".split()),
    ("Northwind Post", "News Business Markets Science Travel Food Style Books Puzzles Newsletters".split()),
    ("Riverside Herald", "Front Page City Schools Sports Arts Lifestyle Jobs Classifieds Events".split()),
    ("Global Wire Today", "Latest Asia Africa Europe Americas Middle East Economy Climate Fact Check".split()),
    ("Pulse Online", "Trending Entertainment Celebrity Music Movies TV Gaming Viral Quizzes Deals".split()),
    ("Evening Standard Review", "Home UK US Politics Tech Science Health Education Media Investigations".split()),
    ("Capital Chronicle", "Top Stories Government Courts Elections Energy Transport Housing Letters Archive".split()),
    ("Harbor Times", "News Coast Fishing Tourism Business Community Faith Weddings Photos Contact".split()),
    ("Sentinel Digital", "Breaking Local Region Sports Outdoors Opinion Editorials Cartoons Podcasts Shop".split()),
]
SHARE_LINES = [
    "Facebook Twitter WhatsApp Email Copy link",
    "Share on Facebook Share on X Share on LinkedIn Print",
    "Tweet Share Pin Email",
    "Share via email Share on WhatsApp Share on Telegram",
]
RELATED_HEADS = ["Related", "Related stories", "More from {site}", "You may also like", "Read next", "Most read"]
FOOTER_LINKS = [
    "About us Contact Careers Advertise Privacy Policy Terms of Use",
    "Privacy Cookie settings Terms Help Sitemap",
    "Contact the newsroom Corrections Ethics policy Subscribe",
    "Terms of Service Privacy Notice Accessibility Feedback",
]
H_SUBJ = ["City council", "Local school board", "Police", "Scientists", "Residents", "Fans", "Investors",
          "Health officials", "Farmers", "Lawmakers", "Students", "The mayor", "Voters", "Tech giant",
          "Museum", "Weather service", "Coach", "Startup", "Hospital", "Airline"]
H_VERB = ["unveiled", "rejected", "approved", "warned about", "celebrated", "delayed", "questioned", "announced",
          "planned", "debated", "praised", "cancelled", "reviewed", "backed", "opposed"]
H_OBJ = ["new budget", "summer festival", "road repairs", "housing plan", "tax increase", "stadium deal",
         "water restrictions", "school closures", "merger", "record harvest", "flight cuts", "art exhibit",
         "bike lanes", "power outage", "hiring freeze", "ticket prices", "flood defences", "new policy"]
H_TAIL = ["", "", "after long debate", "for next year", "amid criticism", "in surprise move",
          "as costs rise", "despite protests", "this weekend", "before the holidays"]

PROMO_OPEN = ["Join our", "Subscribe to our", "Follow our", "Get breaking news on our", "Don't miss out: join our"]
PROMO_CHANNEL = ["Telegram channel", "official Telegram channel", "WhatsApp channel", "Telegram group",
                 "free Telegram news channel"]
PROMO_PITCH = ["for breaking news and exclusive updates", "to get the latest stories first",
               "for daily headlines delivered to your phone", "and never miss an update",
               "for alerts, analysis and more", "where over 50,000 readers get the news first"]
PROMO_TAIL = ["", "Click here to join.", "Tap the link in our bio.", "It's free.", "Link below."]

EDIT_WORDS = ["also", "reportedly", "recently", "however", "new", "local", "major", "several", "officials",
              "said", "early", "later", "still", "nearly", "about", "more", "many", "first", "last", "now",
              "again", "often", "even", "very", "largely", "initially", "widely", "quickly", "publicly",
              "only", "further", "critics", "experts", "sources", "report", "statement", "week", "year"]

SENT_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)")


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def sentences_of(para: str) -> list[str]:
    out, start = [], 0
    for m in SENT_END.finditer(para):
        s = para[start:m.end()].strip()
        if s:
            out.append(s)
        start = m.end()
    rest = para[start:].strip()
    if rest:
        out.append(rest)
    return out


def headline(rng: random.Random) -> str:
    h = f"{rng.choice(H_SUBJ)} {rng.choice(H_VERB)} {rng.choice(H_OBJ)}"
    tail = rng.choice(H_TAIL)
    return f"{h} {tail}" if tail else h


def add_boilerplate(rng: random.Random, text: str) -> str:
    site, nav = rng.choice(SITES)
    n = rng.randint(5, len(nav))
    nav_sel = sorted(rng.sample(range(len(nav)), n))
    header = [site, " | ".join(nav[i] for i in nav_sel)]
    if rng.random() < 0.5:
        header.append("Subscribe  Sign in")
    footer = ["Share this article", rng.choice(SHARE_LINES),
              rng.choice(RELATED_HEADS).format(site=site)]
    footer += [headline(rng) for _ in range(rng.randint(2, 4))]
    footer.append(f"\u00a9 {rng.randint(2015, 2024)} {site}. All rights reserved.")
    footer.append(rng.choice(FOOTER_LINKS))
    return "\n\n".join(header) + "\n\n" + text + "\n\n" + "\n\n".join(footer)


def add_promo(rng: random.Random, text: str) -> str:
    line = f"{rng.choice(PROMO_OPEN)} {rng.choice(PROMO_CHANNEL)} {rng.choice(PROMO_PITCH)}!"
    tail = rng.choice(PROMO_TAIL)
    if tail:
        line += " " + tail
    return line + "\n\n" + text


def truncate(rng: random.Random, paras: list[str]) -> str | None:
    """Cut at the sentence or paragraph end nearest a random 70-90 % of the
    words, among the ends that fall within 70-90 %; None when none does."""
    total = len(words("\n\n".join(paras)))
    target = rng.uniform(0.70, 0.90)
    best = None
    before = 0
    for pi, para in enumerate(paras):
        sents = sentences_of(para)
        for si in range(len(sents)):
            before += len(words(sents[si]))
            frac = before / total
            if 0.70 <= frac <= 0.90:
                cut = paras[:pi] + [" ".join(sents[:si + 1])]
                if best is None or abs(frac - target) < best[0]:
                    best = (abs(frac - target), cut)
    return "\n\n".join(best[1]) if best else None


def edit_sentences(rng: random.Random, paras: list[str]) -> str | None:
    """Replace, insert or delete 2-4 words in each of 2-3 sentences (of at
    least 6 words); None when no sentence is long enough."""
    sents = [sentences_of(p) for p in paras]
    slots = [(pi, si) for pi, ss in enumerate(sents) for si, s in enumerate(ss) if len(s.split()) >= 6]
    if not slots:
        return None
    chosen = rng.sample(slots, min(len(slots), rng.randint(2, 3)))
    for pi, si in chosen:
        toks = sents[pi][si].split()
        for _ in range(rng.randint(2, 4)):
            op = rng.choice(("replace", "insert", "delete"))
            # Keep the sentence's last token (its end punctuation) in place.
            pos = rng.randrange(0, max(1, len(toks) - 1))
            if op == "replace":
                toks[pos] = rng.choice(EDIT_WORDS)
            elif op == "insert":
                toks.insert(pos, rng.choice(EDIT_WORDS))
            elif len(toks) > 3:
                del toks[pos]
            else:
                toks.insert(pos, rng.choice(EDIT_WORDS))
        sents[pi][si] = " ".join(toks)
    return "\n\n".join(" ".join(ss) if any((pi, si) in chosen for si in range(len(ss))) else paras[pi]
                       for pi, ss in enumerate(sents))


def reorder(rng: random.Random, paras: list[str]) -> str | None:
    if len(paras) < 3:
        return None
    order = list(range(len(paras)))
    while order == sorted(order):
        rng.shuffle(order)
    return "\n\n".join(paras[i] for i in order)


def generate(gt_path: Path, seed: int, min_words: int):
    """Returns (docs, family of each doc id, copy type of each doc id,
    skipped articles, copies not made by type, articles by family)."""
    gt = json.loads(gt_path.read_text(encoding="utf-8"))
    docs, family, ctype = [], {}, {}
    skipped_short = []
    not_made = Counter()
    articles = {}
    for key in sorted(gt):
        text = (gt[key].get("articleBody") or "").strip()
        if len(words(text)) < min_words:
            skipped_short.append(key)
            continue
        fam = key[:16]
        articles[fam] = {"key": key, "url": gt[key].get("url", ""), "text": text}
        rng = random.Random(f"{seed}:{key}")
        paras = paragraphs_of(text)
        copies = {"orig": text}
        copies["a"] = add_boilerplate(rng, text)
        copies["b"] = add_promo(rng, text)
        copies["c"] = truncate(rng, paras)
        copies["d"] = edit_sentences(rng, paras)
        copies["e"] = reorder(rng, paras)
        cut = truncate(rng, paras)
        copies["bc"] = add_promo(rng, cut) if cut is not None else None
        edited = edit_sentences(rng, paras)
        copies["ad"] = add_boilerplate(rng, edited) if edited is not None else None
        for t, body in copies.items():
            if body is None:
                not_made[t] += 1
                continue
            did = f"{fam}-{t}"
            docs.append({"id": did, "text": body})
            family[did] = fam
            ctype[did] = t
    random.Random(seed).shuffle(docs)
    return docs, family, ctype, skipped_short, not_made, articles


# ================================================================ truth

def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def positives(family: dict[str, str], ctype: dict[str, str]) -> dict[tuple[str, str], str]:
    """Every within-family pair, with its kind: the copy type for
    original<->copy pairs, 'copy<->copy' otherwise."""
    by_fam = defaultdict(list)
    for d, f in family.items():
        by_fam[f].append(d)
    out = {}
    for members in by_fam.values():
        for a, b in itertools.combinations(sorted(members), 2):
            ta, tb = ctype[a], ctype[b]
            if ta == "orig":
                kind = tb
            elif tb == "orig":
                kind = ta
            else:
                kind = "copy<->copy"
            out[pair_key(a, b)] = kind
    return out


def topic_distractors(articles: dict[str, dict], min_word_jaccard: float) -> list[tuple[str, str, float]]:
    """Pairs of distinct articles whose word sets overlap a lot: the same
    story or topic from different outlets (or the same site), found in the
    set as it is."""
    ws = {f: set(words(a["text"])) for f, a in articles.items()}
    out = []
    for f, g in itertools.combinations(sorted(articles), 2):
        j = len(ws[f] & ws[g]) / len(ws[f] | ws[g])
        if j >= min_word_jaccard:
            out.append((f, g, j))
    return out


# ================================================================ running

def read_pairs(lines) -> dict[tuple[str, str], float]:
    out = {}
    for line in lines:
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3:
            out[pair_key(parts[0], parts[1])] = float(parts[2])
    return out


def run_gleaner(binary: Path, docs_path: Path, threshold: float, repeat: int):
    best, pair_sets, wall = None, [], None
    for _ in range(max(1, repeat)):
        t = time.perf_counter()
        with open(docs_path, "rb") as f:
            res = subprocess.run([str(binary), str(threshold)], stdin=f, capture_output=True, text=True)
        w = time.perf_counter() - t
        if res.returncode != 0:
            sys.stderr.write(res.stderr)
            die(f"{binary} exited with {res.returncode}")
        m = re.search(r"^seconds\t([0-9.]+)", res.stderr, re.M)
        if not m:
            die(f"no 'seconds' line on {binary}'s stderr: {res.stderr[-300:]!r}")
        secs = float(m.group(1))
        pairs = read_pairs(res.stdout.splitlines())
        pair_sets.append(set(pairs))
        if best is None or secs < best[1]:
            best = (pairs, secs)
        wall = w if wall is None else min(wall, w)
    return {"pairs": best[0], "seconds": best[1], "wall": wall,
            "all_runs_same_pairs": all(p == pair_sets[0] for p in pair_sets)}


def ensure_venv(venv: Path) -> Path:
    return benchlib.ensure_venv(
        venv,
        VENV_PACKAGES,
        "from importlib.metadata import version; import datasketch, numpy; print(version('datasketch'), numpy.__version__)",
        lambda out: out == f"{DATASKETCH_VERSION} 2.4.6",
        f"datasketch {DATASKETCH_VERSION}",
        log,
        die,
    )


def run_datasketch(py: Path, docs_path: Path, threshold: float, repeat: int, params: str = ""):
    cmd = [str(py), str(Path(__file__).resolve()), "--datasketch-worker",
           "--threshold", str(threshold), "--repeat", str(repeat)]
    if params:
        cmd += ["--params", params]
    t = time.perf_counter()
    with open(docs_path, "rb") as f:
        res = subprocess.run(cmd, stdin=f, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        die("the datasketch worker failed")
    lines = res.stdout.splitlines()
    summary = json.loads(lines[-1])["summary"]
    return {"pairs": read_pairs(lines[:-1]), "seconds": summary["seconds"], "wall_all_runs": wall,
            "summary": summary, "all_runs_same_pairs": summary["all_runs_same_pairs"]}


# ================================================================ scoring

def score(found: dict, pos: dict, distractor_fams: set, family: dict) -> dict:
    tp = sum(1 for p in found if p in pos)
    fp = len(found) - tp
    precision = tp / len(found) if found else 1.0
    recall = tp / len(pos) if pos else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    by_kind_total = Counter(pos.values())
    by_kind_found = Counter(pos[p] for p in found if p in pos)
    fp_distractor = sum(1 for p in found if p not in pos
                        and pair_key(family[p[0]], family[p[1]]) in distractor_fams)
    return {
        "reported": len(found), "tp": tp, "fp": fp,
        "precision": precision, "recall": recall, "f1": f1,
        "recall_by_kind": {k: by_kind_found[k] / n for k, n in by_kind_total.items()},
        "found_by_kind": dict(by_kind_found),
        "fp_topic_distractors": fp_distractor,
    }


def fmt(x: float) -> str:
    return f"{x:.4f}"


def main() -> int:
    if "--datasketch-worker" in sys.argv[1:]:
        return datasketch_worker(sys.argv[1:])

    p = argparse.ArgumentParser(description="Gleaner's near-duplicate detection against datasketch.")
    p.add_argument("--pairs", type=Path, default=REPO_ROOT / "target" / "release" / "examples" / "pairs",
                   help="Gleaner's example binary (default target/release/examples/pairs)")
    p.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "bench" / "extraction" / "data",
                   help="folder with ground-truth.json (default ../shared/bench/extraction/data)")
    p.add_argument("--venv", type=Path, default=REPO_ROOT / "target" / "dedup-venv")
    p.add_argument("--out", type=Path, default=REPO_ROOT / "target" / "dedup-bench",
                   help="where docs.jsonl and truth.json are written (default target/dedup-bench)")
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--min-words", type=int, default=60)
    p.add_argument("--repeat", type=int, default=3, help="runs per tool and setting; best time kept (default 3)")
    p.add_argument("--thresholds", default="0.3,0.4,0.5", help="Gleaner thresholds to sweep")
    p.add_argument("--topic-jaccard", type=float, default=0.25,
                   help="word-set Jaccard from which two distinct articles count as a topic distractor")
    p.add_argument("--json", action="store_true", help="print a JSON line last")
    a = p.parse_args()

    if not a.pairs.exists():
        die(f"{a.pairs} is missing: build it first: cargo build --release -p gleaner-dedup --example pairs")
    gt = a.data / "ground-truth.json"
    if not gt.exists():
        die(f"{gt} is missing (--data DIR)")
    sweep = sorted({float(x) for x in a.thresholds.split(",") if x.strip()} | {THRESHOLD})

    # ---- 1. the benchmark
    docs, family, ctype, skipped, not_made, articles = generate(gt, a.seed, a.min_words)
    pos = positives(family, ctype)
    a.out.mkdir(parents=True, exist_ok=True)
    docs_path = a.out / "docs.jsonl"
    with open(docs_path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    (a.out / "truth.json").write_text(json.dumps({"family": family, "type": ctype}, indent=0), encoding="utf-8")
    n = len(docs)
    total_pairs = n * (n - 1) // 2
    distractors = topic_distractors(articles, a.topic_jaccard)
    distractor_fams = {(f, g) for f, g, _ in distractors}
    distractor_doc_pairs = sum(1 for x in family for y in family
                               if x < y and pair_key(family[x], family[y]) in distractor_fams)

    # Exact shingle Jaccard of each positive pair: how hard each kind is.
    sh = {d["id"]: shingles(d["text"]) for d in docs}
    exact = {}
    for (x, y) in pos:
        u = len(sh[x] | sh[y])
        exact[(x, y)] = len(sh[x] & sh[y]) / u if u else 0.0
    max_cross = max((len(sh[f"{f}-orig"] & sh[f"{g}-orig"]) / len(sh[f"{f}-orig"] | sh[f"{g}-orig"]), f, g)
                    for f, g in itertools.combinations(sorted(articles), 2))
    log(f"{len(articles)} articles ({len(skipped)} skipped under {a.min_words} words), {n} documents, "
        f"{len(pos)} positive pairs of {total_pairs}; written to {docs_path}")

    # ---- 2. the runs
    log(f"Gleaner: {a.pairs} at thresholds {', '.join(map(str, sweep))}, best of {a.repeat}")
    g_runs = {t: run_gleaner(a.pairs, docs_path, t, a.repeat) for t in sweep}
    py = ensure_venv(a.venv)
    log(f"datasketch {DATASKETCH_VERSION}: MinHashLSH(threshold={THRESHOLD}, num_perm={NUM_PERM}), best of {a.repeat}")
    ds = run_datasketch(py, docs_path, THRESHOLD, a.repeat)
    log(f"datasketch {DATASKETCH_VERSION}: MinHashLSH(params={GLEANER_BANDS}) for reference, best of {a.repeat}")
    ds_gb = run_datasketch(py, docs_path, THRESHOLD, a.repeat, params=",".join(map(str, GLEANER_BANDS)))

    # ---- 3. scores
    g = g_runs[THRESHOLD]
    sg = score(g["pairs"], pos, distractor_fams, family)
    sd = score(ds["pairs"], pos, distractor_fams, family)
    sdg = score(ds_gb["pairs"], pos, distractor_fams, family)
    ratio = ds["seconds"] / g["seconds"] if g["seconds"] > 0 else float("inf")
    ratio_gb = ds_gb["seconds"] / g["seconds"] if g["seconds"] > 0 else float("inf")

    dsum, dgsum = ds["summary"], ds_gb["summary"]
    cols = [f"Gleaner t={THRESHOLD}",
            f"datasketch {dsum['bands']}x{dsum['rows']}",
            f"datasketch {dgsum['bands']}x{dgsum['rows']}*"]
    w0, w = 34, 17
    print()
    print(f"Near-duplicate benchmark: {len(articles)} articles + copies = {n} documents, "
          f"{len(pos)} positive pairs, {total_pairs - len(pos)} negative pairs "
          f"(seed {a.seed}; {docs_path.relative_to(REPO_ROOT) if docs_path.is_relative_to(REPO_ROOT) else docs_path})")
    print(f"Both: lowercase alphanumeric words, {SHINGLE}-word shingles, {NUM_PERM} permutations, "
          f"pair kept when estimated Jaccard >= {THRESHOLD}.")
    print(f"Skipped (< {a.min_words} words): {len(skipped)} articles. Copies not made: "
          + (", ".join(f"{t} {c}" for t, c in sorted(not_made.items())) or "none")
          + " (c/bc: no sentence end within 70-90 %; e: < 3 paragraphs; d/ad: no sentence of >= 6 words).")
    print(f"Topic distractors: {len(distractors)} pairs of distinct articles with word-set Jaccard >= "
          f"{a.topic_jaccard} ({distractor_doc_pairs} negative document pairs between their families); "
          f"highest 4-shingle Jaccard between two distinct originals: {max_cross[0]:.3f}.")
    print()
    print(f"{'':{w0}}" + "".join(f"{c:>{w}}" for c in cols))

    def row(label, vals):
        print(f"{label:{w0}}" + "".join(f"{v:>{w}}" for v in vals))

    ss = [sg, sd, sdg]
    row("pairs reported", [str(s["reported"]) for s in ss])
    row("true / false positives", [f"{s['tp']} / {s['fp']}" for s in ss])
    row("precision", [fmt(s["precision"]) for s in ss])
    row("recall", [fmt(s["recall"]) for s in ss])
    row("F1", [fmt(s["f1"]) for s in ss])
    row("false pairs among topic distract.", [str(s["fp_topic_distractors"]) for s in ss])
    print()
    kinds = list(COPY_TYPES) + ["copy<->copy"]
    kind_n = Counter(pos.values())
    print(f"{'recall by pair kind':{w0}}" + "".join(f"{c:>{w}}" for c in cols)
          + f"{'pairs':>8}{'exact J med':>13}{'J>=0.5':>8}")
    for k in kinds:
        if k not in kind_n:
            continue
        label = f"orig<->{k} ({COPY_TYPES[k]})" if k in COPY_TYPES else "copy<->copy (same family)"
        js = [exact[p] for p, kk in pos.items() if kk == k]
        print(f"{label:{w0}}" + "".join(f"{fmt(s['recall_by_kind'].get(k, 0.0)):>{w}}" for s in ss)
              + f"{kind_n[k]:>8}{statistics.median(js):>13.3f}{sum(j >= THRESHOLD for j in js):>8}")
    js_all = list(exact.values())
    print(f"{'all positive pairs':{w0}}" + "".join(f"{fmt(s['recall']):>{w}}" for s in ss)
          + f"{len(pos):>8}{statistics.median(js_all):>13.3f}{sum(j >= THRESHOLD for j in js_all):>8}")
    print()
    row("seconds (best of %d)" % a.repeat, [f"{g['seconds']:.4f}", f"{ds['seconds']:.4f}", f"{ds_gb['seconds']:.4f}"])
    row("  signatures", ["-", f"{dsum['seconds_signatures']:.4f}", f"{dgsum['seconds_signatures']:.4f}"])
    row("  LSH insert", ["-", f"{dsum['seconds_insert']:.4f}", f"{dgsum['seconds_insert']:.4f}"])
    row("  query + verify", ["-", f"{dsum['seconds_query_verify']:.4f}", f"{dgsum['seconds_query_verify']:.4f}"])
    row("docs/s", [f"{n / s:,.0f}" for s in (g["seconds"], ds["seconds"], ds_gb["seconds"])])
    row("same pairs in every run", [str(x["all_runs_same_pairs"]) for x in (g, ds, ds_gb)])
    print("* datasketch with Gleaner's banding (params=(32, 4)), for reference; the bar uses "
          f"MinHashLSH(threshold={THRESHOLD}, num_perm={NUM_PERM}), which chose {dsum['bands']} bands x {dsum['rows']} rows.")
    print(f"Timed: Gleaner's own 'seconds' (after reading input: signatures, LSH, verification); datasketch's "
          f"tokenising + MinHash.bulk + insertion_session + query + jaccard loop (no interpreter start, imports, "
          f"input reading). Gleaner process wall incl. start and JSON parsing: {g['wall']:.4f} s.")
    print()
    print(f"speed ratio datasketch / Gleaner: {ratio:.1f}x (with 32x4 banding: {ratio_gb:.1f}x)")
    ok_prec = sg["precision"] >= BAR_PRECISION
    ok_rec = sg["recall"] >= sd["recall"]
    ok_speed = ratio >= BAR_SPEEDUP
    print(f"Bar: Gleaner matches datasketch's recall at >= {BAR_PRECISION} precision and is >= {BAR_SPEEDUP:.0f}x faster")
    print(f"  recall {sg['recall']:.4f} >= datasketch's {sd['recall']:.4f}: {'PASS' if ok_rec else 'FAIL'}")
    print(f"  precision {sg['precision']:.4f} >= {BAR_PRECISION}: {'PASS' if ok_prec else 'FAIL'}")
    print(f"  speed {ratio:.1f}x >= {BAR_SPEEDUP:.0f}x: {'PASS' if ok_speed else 'FAIL'}")
    overall = ok_rec and ok_prec and ok_speed
    print(f"  overall: {'PASS' if overall else 'FAIL'}")
    print()
    print(f"Gleaner threshold sweep (LSH banding fixed at 32x4; datasketch {dsum['bands']}x{dsum['rows']} "
          f"recall {sd['recall']:.4f}):")
    print(f"{'threshold':>10}{'reported':>10}{'FP':>7}{'precision':>11}{'recall':>9}{'F1':>8}{'seconds':>10}"
          f"  recall >= datasketch's at precision >= {BAR_PRECISION}")
    sweep_out = []
    for t in sweep:
        st = score(g_runs[t]["pairs"], pos, distractor_fams, family)
        meets = st["recall"] >= sd["recall"] and st["precision"] >= BAR_PRECISION
        print(f"{t:>10.2f}{st['reported']:>10}{st['fp']:>7}{fmt(st['precision']):>11}{fmt(st['recall']):>9}"
              f"{fmt(st['f1']):>8}{g_runs[t]['seconds']:>10.4f}  {'yes' if meets else 'no'}")
        sweep_out.append({"threshold": t, "seconds": g_runs[t]["seconds"], "meets_bar_quality": meets,
                          **{k: st[k] for k in ("reported", "tp", "fp", "precision", "recall", "f1")}})

    if a.json:
        def pack(s, run):
            return {**{k: s[k] for k in ("reported", "tp", "fp", "precision", "recall", "f1",
                                          "fp_topic_distractors", "recall_by_kind")},
                    "seconds": run["seconds"]}
        print(json.dumps({
            "docs": n, "articles": len(articles), "skipped_short": len(skipped), "copies_not_made": dict(not_made),
            "positive_pairs": len(pos), "negative_pairs": total_pairs - len(pos), "seed": a.seed,
            "topic_distractor_article_pairs": len(distractors),
            "gleaner": pack(sg, g),
            "datasketch": {**pack(sd, ds), "version": dsum["datasketch"], "bands": dsum["bands"], "rows": dsum["rows"]},
            "datasketch_32x4": {**pack(sdg, ds_gb), "bands": dgsum["bands"], "rows": dgsum["rows"]},
            "speed_ratio": ratio, "speed_ratio_32x4": ratio_gb,
            "bar": {"recall": ok_rec, "precision": ok_prec, "speed": ok_speed, "pass": overall},
            "sweep": sweep_out,
        }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
