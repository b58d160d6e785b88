#!/usr/bin/env python3
"""Scores the analysis stage against the hand-annotated gold set
(testdata/analysis/gold.json, format in testdata/analysis/README.md).

    bench/score-analysis.py [--gleaner target/release/gleaner] [--json] [--show-misses FIELD]

Runs `gleaner analyse --jsonl` once over every gold document and prints
precision / recall / F1 per field group (entities overall and per label,
times, quantities, quotes) plus attribute accuracies on matched items
(place country, time value, quantity unit, quote speaker, anonymity, speaker
grouping). The matching rules are functions (`score_document`) that
bench/compare-spacy.py reuses, so both systems are scored the same way.

Matching:
  entities   same label and same text after normalising quotes, possessives,
             a leading "the", case (multisets per document);
  times      same text after dropping a leading preposition (in/on/since/by/
             until/from/during/at) — gold spans leave it out, the record spec
             keeps "In April"; value accuracy is exact match on matched items;
  quantities same numeric value and overlapping text (one gold per prediction);
  quotes     word overlap (Jaccard) >= 0.5; speaker correct when one
             normalised description contains the other or they share the
             head noun / surname; grouping = pairwise same-speaker agreement.
"""
import argparse, json, os, re, subprocess, sys, time, unicodedata
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEAD_PREP = re.compile(r"^(in|on|since|by|until|from|during|at|of|through)\s+", re.I)


def norm(s):
    s = unicodedata.normalize("NFKC", s or "").replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"'s$", "", s.strip())
    s = re.sub(r"^the\s+", "", s, flags=re.I)
    return re.sub(r"\s+", " ", s).strip(" .,;:").lower()


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def words(s):
    return set(re.findall(r"\w+", (s or "").lower()))


def score_document(gold, pred):
    """Counts for one document. `pred` has entities/times/quantities/quotes in
    the record's shape (entities: text, label, place{country}; times: text,
    value; quantities: text, value, unit; quotes: text, speaker, speaker_id,
    anonymous)."""
    c = Counter()
    # Entities.
    g_ents = Counter((norm(e["text"]), e["label"]) for e in gold["entities"])
    p_ents = Counter((norm(e["text"]), e["label"]) for e in pred.get("entities", []))
    for label in ("PERSON", "ORG", "PLACE", "GROUP"):
        g = Counter({k: v for k, v in g_ents.items() if k[1] == label})
        p = Counter({k: v for k, v in p_ents.items() if k[1] == label})
        c[f"ent_{label}_tp"] += sum((g & p).values())
        c[f"ent_{label}_pred"] += sum(p.values())
        c[f"ent_{label}_gold"] += sum(g.values())
    # Place countries on matched PLACE mentions.
    gold_country = {}
    for e in gold["entities"]:
        if e["label"] == "PLACE" and e.get("country"):
            gold_country.setdefault(norm(e["text"]), e["country"])
    for e in pred.get("entities", []):
        k = norm(e["text"])
        if e["label"] == "PLACE" and k in gold_country:
            c["place_country_n"] += 1
            got = (e.get("place") or {}).get("country")
            c["place_country_ok"] += int(got == gold_country[k])
    # Times.
    key = lambda t: LEAD_PREP.sub("", norm(t["text"]))
    g_times = {}
    for t in gold["times"]:
        g_times.setdefault(key(t), []).append(t)
    p_times = pred.get("times", [])
    c["time_pred"] += len(p_times)
    c["time_gold"] += len(gold["times"])
    used = Counter()
    for t in p_times:
        k = key(t)
        if k in g_times and used[k] < len(g_times[k]):
            g = g_times[k][used[k]]
            used[k] += 1
            c["time_tp"] += 1
            if g.get("value") is not None:
                c["time_value_n"] += 1
                c["time_value_ok"] += int(str(t.get("value")) == str(g["value"]))
    # Quantities.
    g_q = list(gold["quantities"])
    c["qty_pred"] += len(pred.get("quantities", []))
    c["qty_gold"] += len(g_q)
    taken = [False] * len(g_q)
    for q in pred.get("quantities", []):
        qt = norm(q["text"])
        for i, g in enumerate(g_q):
            if taken[i]:
                continue
            gt = norm(g["text"])
            try:
                same_value = abs(float(g["value"]) - float(q["value"])) <= 1e-6 * max(1.0, abs(float(g["value"])))
            except (TypeError, ValueError):
                same_value = False
            if same_value and (gt in qt or qt in gt):
                taken[i] = True
                c["qty_tp"] += 1
                c["qty_unit_n"] += 1
                gu, pu = (g.get("unit") or ""), (q.get("unit") or "")
                c["qty_unit_ok"] += int(gu.lower() == pu.lower() or (gu == "people" and pu in ("people", "persons", "residents", "civilians")))
                break
    # Quotes.
    g_quotes = gold["quotes"]
    p_quotes = pred.get("quotes", [])
    c["quote_pred"] += len(p_quotes)
    c["quote_gold"] += len(g_quotes)
    matched = []
    used_g = set()
    for pi, q in enumerate(p_quotes):
        qw = words(q["text"])
        best, best_j = None, 0.5
        for gi, g in enumerate(g_quotes):
            if gi in used_g:
                continue
            gw = words(g["text"])
            j = len(qw & gw) / max(1, len(qw | gw))
            if j >= best_j:
                best, best_j = gi, j
        if best is not None:
            used_g.add(best)
            matched.append((pi, best))
    c["quote_tp"] += len(matched)
    for pi, gi in matched:
        ps, gs = norm(p_quotes[pi].get("speaker")), norm(g_quotes[gi].get("speaker"))
        ok = bool(ps and gs and (ps in gs or gs in ps or ps.split()[-1:] == gs.split()[-1:]))
        c["speaker_n"] += 1
        c["speaker_ok"] += int(ok)
        c["anon_n"] += 1
        c["anon_ok"] += int(bool(p_quotes[pi].get("anonymous")) == bool(g_quotes[gi].get("anonymous")))
    for a in range(len(matched)):
        for b in range(a + 1, len(matched)):
            (pa, ga), (pb, gb) = matched[a], matched[b]
            same_p = p_quotes[pa].get("speaker_id") is not None and p_quotes[pa].get("speaker_id") == p_quotes[pb].get("speaker_id")
            same_g = g_quotes[ga]["speaker_key"] == g_quotes[gb]["speaker_key"]
            c["group_n"] += 1
            c["group_ok"] += int(same_p == same_g)
    return c


def report(c, name):
    rows = {}
    lines = [f"== {name}"]
    tp = sum(c[f"ent_{l}_tp"] for l in ("PERSON", "ORG", "PLACE", "GROUP"))
    npred = sum(c[f"ent_{l}_pred"] for l in ("PERSON", "ORG", "PLACE", "GROUP"))
    ngold = sum(c[f"ent_{l}_gold"] for l in ("PERSON", "ORG", "PLACE", "GROUP"))
    for label, (t, p_, g) in [("entities", (tp, npred, ngold))] + [
        (f"  {l}", (c[f"ent_{l}_tp"], c[f"ent_{l}_pred"], c[f"ent_{l}_gold"])) for l in ("PERSON", "ORG", "PLACE", "GROUP")
    ] + [("times", (c["time_tp"], c["time_pred"], c["time_gold"])), ("quantities", (c["qty_tp"], c["qty_pred"], c["qty_gold"])),
         ("quotes", (c["quote_tp"], c["quote_pred"], c["quote_gold"]))]:
        p, r, f = prf(t, p_, g)
        rows[label.strip()] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": g}
        lines.append(f"   {label:<12} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   (gold {g}, predicted {p_})")
    for label, n, ok in [("place country", "place_country_n", "place_country_ok"), ("time value", "time_value_n", "time_value_ok"),
                         ("quantity unit", "qty_unit_n", "qty_unit_ok"), ("quote speaker", "speaker_n", "speaker_ok"),
                         ("anonymous", "anon_n", "anon_ok"), ("speaker groups", "group_n", "group_ok")]:
        acc = c[ok] / c[n] if c[n] else 0.0
        rows[label] = {"accuracy": round(acc, 3), "n": c[n]}
        lines.append(f"   {label:<14} accuracy {acc:.3f}  (of {c[n]} matched)")
    return "\n".join(lines), rows


def load_gold():
    return json.load(open(os.path.join(ROOT, "testdata", "analysis", "gold.json"), encoding="utf-8"))["documents"]


def run_gleaner(binary, docs):
    payload = "".join(json.dumps({"id": d["id"], "text": d["text"], "published": d["published"]}) + "\n" for d in docs)
    t0 = time.perf_counter()
    out = subprocess.run([binary, "analyse", "--jsonl"], input=payload, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"gleaner analyse failed: {out.stderr}")
    preds = {}
    for line in out.stdout.splitlines():
        r = json.loads(line)
        preds[r["id"]] = r
    return preds, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gleaner", default=os.path.join(ROOT, "target", "release", "gleaner"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show-misses", choices=["entities", "times", "quantities", "quotes"])
    a = ap.parse_args()
    if not os.path.exists(a.gleaner):
        sys.exit(f"{a.gleaner} not found: build it first (cargo build --release)")
    docs = load_gold()
    preds, secs = run_gleaner(a.gleaner, docs)
    total = Counter()
    for d in docs:
        total += score_document(d, preds.get(d["id"], {}))
        if a.show_misses == "entities":
            g = Counter((norm(e["text"]), e["label"]) for e in d["entities"])
            p = Counter((norm(e["text"]), e["label"]) for e in preds.get(d["id"], {}).get("entities", []))
            print(d["id"][:12], "missed:", sorted((g - p).elements())[:25], "\n             extra:", sorted((p - g).elements())[:25])
    text, rows = report(total, f"gleaner on {len(docs)} gold documents")
    print(text)
    print(f"   speed: {len(docs) / secs:.1f} texts/s (one process, including start-up)")
    if a.json:
        rows["texts_per_second"] = round(len(docs) / secs, 1)
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
