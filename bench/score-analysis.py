#!/usr/bin/env python3
"""Scores the analysis stage against the hand-annotated gold set
(testdata/analysis/dev/*.json and test/*.json, one document per file, format
`gleaner-analysis-gold/2` in testdata/analysis/README.md).

    bench/score-analysis.py [--gleaner target/release/gleaner] [--split dev|test|all]
                            [--json] [--show-misses FIELD] [--check]

Loads every `*.json` of the chosen part (default `test`), checks each file's
format (an error names the file and the problem), runs `gleaner analyse
--jsonl` once over the documents and prints precision / recall / F1 per field
group (entities overall and per label, times, quantities, quotes, events
overall and per type) plus attribute accuracies on matched items (place
country, time value, quantity unit, quantity counted noun, quote speaker,
anonymity, speaker grouping, event month, event country). Only aggregate
figures are printed. `--show-misses FIELD` lists per-document misses and works
on the dev part only: the test part is never tuned on. `--check` validates the
files and prints their counts without running Gleaner. The matching rules are
functions (`score_document`) that bench/compare-spacy.py reuses, so both
systems are scored the same way.

Matching:
  entities   same label and same text after normalising quotes, possessives,
             a leading "the", case (multisets per document);
  times      same text after dropping a leading preposition (in/on/since/by/
             until/from/during/at) — gold spans leave it out, the record spec
             keeps "In April"; value accuracy is exact match on matched items;
  quantities same numeric value and overlapping text (one gold per prediction);
             unit accuracy: equal `unit` (case-insensitive; null equals null);
             counted accuracy: equal `counted` after casefolding, where a
             trailing plural "s"/"es" does not matter (null equals null);
  quotes     word overlap (Jaccard) >= 0.5; speaker correct when one
             normalised description contains the other or they share the
             head noun / surname; grouping = pairwise same-speaker agreement;
  events     same type and overlapping evidence sentences (word Jaccard
             >= 0.5, or one contains the other), one gold per prediction,
             greedy in prediction order (best overlap first); month accuracy
             = equal months (null equals null), country accuracy = the
             predicted place's country (gazetteer lookup, `place_country`)
             equals the gold country (gold events with a country only);
  events by (type, country, month)
             a second, independent matching: equal type, equal country
             (predicted: `place_country(place)`) and equal month, as
             multisets per document.
Months: gold month = the first 7 characters of `date`, or null when `date` is
null (the text gives no time). A predicted event's month is the first 7
characters of its `date`, or null when the prediction marks the date as a
fallback (`"date_basis": "published"`); predictions without `date_basis` are
taken as they are.
Predicted events are scored as emitted, negated or hedged ones included (Gleaner
emits neither since issue 13: `events` lists occurrences only, docs/record-v1.md).
"""
import argparse, json, os, re, subprocess, sys, time, unicodedata
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEAD_PREP = re.compile(r"^(in|on|since|by|until|from|during|at|of|through)\s+", re.I)
GAZETTEER = os.path.join(ROOT, "crates", "gleaner-analyse", "data", "gazetteer.tsv")
# Coarse event types of docs/record-v1.md ("Event types"), in table order.
EVENT_TYPES = ("battle", "explosion_remote_violence", "violence_against_civilians", "protest", "riot",
               "arrest_detention", "security_deployment", "movement_restriction", "policy_measure",
               "crime_incident", "economic_impact", "disaster_health")
_PLACES = None


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


def place_country(place):
    """ISO country code of a place name via the gazetteer (name and alt_names
    columns, normalised like entity texts). Several rows with the name: a
    country row wins, then an admin1 row, then the most populous city.
    None when the name is unknown or empty."""
    global _PLACES
    if isinstance(place, dict):  # {"name", "country"} shape, if ever emitted
        return place.get("country") or place_country(place.get("name"))
    if not place:
        return None
    if _PLACES is None:
        rank = {"country": 0, "admin1": 1, "city": 2}
        best = {}
        with open(GAZETTEER, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                col = line.rstrip("\n").split("\t")
                if len(col) < 8 or col[1] not in rank:
                    continue
                try:
                    pop = int(float(col[7] or 0))
                except ValueError:
                    pop = 0
                key = (rank[col[1]], -pop)
                names = [col[2]] + (col[8].split("|") if len(col) > 8 and col[8] else [])
                for n in names:
                    k = norm(n)
                    if k and (k not in best or key < best[k][0]):
                        best[k] = (key, col[3] or None)
        _PLACES = {k: v[1] for k, v in best.items()}
    return _PLACES.get(norm(place))


def same_evidence(a, b):
    """Evidence sentences overlap: one contains the other (after normalising
    case, quotes and spaces) or word Jaccard >= 0.5. Returns the overlap
    (1.0 for containment) or 0.0."""
    na, nb = norm(a), norm(b)
    if na and nb and (na in nb or nb in na):
        return 1.0
    wa, wb = words(a), words(b)
    j = len(wa & wb) / max(1, len(wa | wb))
    return j if j >= 0.5 else 0.0


def match_events(g_events, p_events):
    """Greedy one-to-one matching (prediction order; among free gold events of
    the same type, the best evidence overlap, first on ties). Returns a list
    of (prediction index, gold index)."""
    used, pairs = set(), []
    for pi, pe in enumerate(p_events):
        best, best_o = None, 0.0
        for gi, ge in enumerate(g_events):
            if gi in used or ge.get("type") != pe.get("type"):
                continue
            o = same_evidence(pe.get("evidence"), ge.get("evidence"))
            if o > best_o:
                best, best_o = gi, o
        if best is not None:
            used.add(best)
            pairs.append((pi, best))
    return pairs


def gold_month(e):
    """YYYY-MM (or YYYY) of a gold event, None when its date is null."""
    return (e.get("date") or "")[:7] or None


def pred_month(e):
    """YYYY-MM (or YYYY) of a predicted event; None when the prediction has
    no date or marks it as the publication-date fallback."""
    if e.get("date_basis") == "published":
        return None
    return (e.get("date") or "")[:7] or None


def event_key_gold(e):
    return (e.get("type"), e.get("country"), gold_month(e))


def event_key_pred(e):
    return (e.get("type"), place_country(e.get("place")), pred_month(e))


def counted_forms(s):
    """A counted noun and its forms without a trailing plural "s"/"es",
    casefolded; None for null/empty."""
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s or "")).strip().casefold()
    if not s:
        return None
    forms = {s}
    if s.endswith("es"):
        forms.add(s[:-2])
    if s.endswith("s"):
        forms.add(s[:-1])
    return forms


def same_counted(a, b):
    """Counted nouns agree: both null, or equal up to case and a trailing
    plural "s"/"es" ("cases" = "case", "buses" = "bus")."""
    fa, fb = counted_forms(a), counted_forms(b)
    if fa is None or fb is None:
        return fa is None and fb is None
    return bool(fa & fb)


def score_document(gold, pred):
    """Counts for one document. `pred` has entities/times/quantities/quotes/
    events in the record's shape (entities: text, label, place{country};
    times: text, value; quantities: text, value, unit, counted; quotes: text,
    speaker, speaker_id, anonymous; events: type, place, date, date_basis,
    evidence). Missing keys count as null/empty."""
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
                c["qty_unit_ok"] += int(gu.casefold() == pu.casefold())
                c["qty_counted_n"] += 1
                c["qty_counted_ok"] += int(same_counted(g.get("counted"), q.get("counted")))
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
    # Events (spaCy and other systems without events: nothing predicted).
    g_ev = gold.get("events") or []
    p_ev = pred.get("events") or []
    c["ev_pred"] += len(p_ev)
    c["ev_gold"] += len(g_ev)
    for e in p_ev:
        c[f"ev_{e.get('type')}_pred"] += 1
    for e in g_ev:
        c[f"ev_{e.get('type')}_gold"] += 1
    for pi, gi in match_events(g_ev, p_ev):
        ge, pe = g_ev[gi], p_ev[pi]
        c["ev_tp"] += 1
        c[f"ev_{ge['type']}_tp"] += 1
        c["ev_month_n"] += 1
        c["ev_month_ok"] += int(pred_month(pe) == gold_month(ge))
        if ge.get("country"):
            c["ev_country_n"] += 1
            c["ev_country_ok"] += int(place_country(pe.get("place")) == ge["country"])
    g_keys = Counter(event_key_gold(e) for e in g_ev)
    p_keys = Counter(event_key_pred(e) for e in p_ev)
    c["evk_tp"] += sum((g_keys & p_keys).values())
    c["evk_pred"] += sum(p_keys.values())
    c["evk_gold"] += sum(g_keys.values())
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
                         ("quantity unit", "qty_unit_n", "qty_unit_ok"), ("quantity counted", "qty_counted_n", "qty_counted_ok"),
                         ("quote speaker", "speaker_n", "speaker_ok"),
                         ("anonymous", "anon_n", "anon_ok"), ("speaker groups", "group_n", "group_ok")]:
        acc = c[ok] / c[n] if c[n] else 0.0
        rows[label] = {"accuracy": round(acc, 3), "n": c[n]}
        lines.append(f"   {label:<16} accuracy {acc:.3f}  (of {c[n]} matched)")
    # Events: overall, per type (types with gold or predicted events, table
    # order first), the (type, country, month) matching, then accuracies.
    def prf_row(t, p_, g):
        p, r, f = prf(t, p_, g)
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": g, "predicted": p_}
    lines.append("   -- events (same type + overlapping evidence sentence)")
    rows["events"] = prf_row(c["ev_tp"], c["ev_pred"], c["ev_gold"])
    lines.append(f"   {'events':<12} P {rows['events']['precision']:.3f}  R {rows['events']['recall']:.3f}  "
                 f"F1 {rows['events']['f1']:.3f}   (gold {c['ev_gold']}, predicted {c['ev_pred']})")
    seen = {k[3:-5] for k in c if k.startswith("ev_") and k.endswith(("_gold", "_pred")) and (c[k] or 0) > 0}
    seen.discard("")
    types = [t for t in EVENT_TYPES if t in seen] + sorted(t for t in seen if t not in EVENT_TYPES)
    rows["events_by_type"] = {}
    for t in types:
        r = prf_row(c[f"ev_{t}_tp"], c[f"ev_{t}_pred"], c[f"ev_{t}_gold"])
        rows["events_by_type"][t] = r
        lines.append(f"     {t:<27} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}   "
                     f"(gold {r['gold']}, predicted {r['predicted']})")
    r = prf_row(c["evk_tp"], c["evk_pred"], c["evk_gold"])
    rows["events_by_type_country_month"] = r
    lines.append(f"   {'events by (type, country, month)':<29} P {r['precision']:.3f}  R {r['recall']:.3f}  "
                 f"F1 {r['f1']:.3f}   (gold {r['gold']}, predicted {r['predicted']})")
    for label, n, ok in [("event month", "ev_month_n", "ev_month_ok"), ("event country", "ev_country_n", "ev_country_ok")]:
        acc = c[ok] / c[n] if c[n] else 0.0
        rows[label] = {"accuracy": round(acc, 3), "n": c[n]}
        lines.append(f"   {label:<16} accuracy {acc:.3f}  (of {c[n]} matched)")
    return "\n".join(lines), rows


GOLD_DIR = os.path.join(ROOT, "testdata", "analysis")
GOLD_FORMAT = "gleaner-analysis-gold/2"
SPLITS = ("dev", "test")
LABELS = ("PERSON", "ORG", "PLACE", "GROUP")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A quote that runs over several paragraphs joins them with one space and
# drops the later paragraphs' opening quotation marks (README).
QUOTE_JOIN = re.compile("[\u201d\"\u2019]?\n\n[\u201c\"\u2018]")


class GoldError(Exception):
    pass


def _check(cond, path, msg):
    if not cond:
        raise GoldError(f"{path}: {msg}")


def validate_document(d, path, split):
    """Raises GoldError naming `path` when the document does not follow
    format 2 (fields and types, split = its folder, file name = id + ".json",
    every text/speaker/told_to/evidence verbatim in `text`)."""
    _check(isinstance(d, dict), path, "not a JSON object (one document per file)")
    _check(d.get("format") == GOLD_FORMAT, path, f"format is {d.get('format')!r}, expected {GOLD_FORMAT!r}")
    for key, kind in [("id", str), ("split", str), ("outlet", str), ("countries", list), ("page", str),
                      ("text_source", str), ("published", str), ("text", str), ("entities", list), ("times", list),
                      ("quantities", list), ("quotes", list), ("events", list), ("annotated_by", str), ("notes", list)]:
        _check(isinstance(d.get(key), kind), path, f"field {key!r} missing or not a {kind.__name__}")
    _check("read_by" in d and (d["read_by"] is None or isinstance(d["read_by"], str)), path,
           "field 'read_by' missing or not a string/null")
    _check(os.path.basename(path) == d["id"] + ".json", path, f"file name is not the id + '.json' (id {d['id']!r})")
    _check(d["split"] == split, path, f"split is {d['split']!r} but the file is in {split}/")
    _check(DAY_RE.match(d["published"]), path, f"published {d['published']!r} is not YYYY-MM-DD")
    _check(all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in d["countries"]), path,
           "countries must be ISO 3166-1 alpha-2 codes")
    _check(all(isinstance(n, str) for n in d["notes"]), path, "notes must be strings")
    text = d["text"]
    joined = QUOTE_JOIN.sub(" ", text)

    def item(group, i, it, fields):
        where = f"{group}[{i}]"
        _check(isinstance(it, dict), path, f"{where} is not an object")
        for key, kinds, nullable in fields:
            _check(key in it, path, f"{where} has no {key!r}")
            v = it[key]
            _check((v is None and nullable) or (v is not None and isinstance(v, kinds)), path,
                   f"{where}.{key} = {v!r} has the wrong type")
        return where

    for i, e in enumerate(d["entities"]):
        w = item("entities", i, e, [("text", str, False), ("label", str, False), ("country", str, True)])
        _check(e["label"] in LABELS, path, f"{w}.label {e['label']!r} is not one of {', '.join(LABELS)}")
        _check(e["text"] in text, path, f"{w}.text {e['text']!r} does not occur in text")
    for i, t in enumerate(d["times"]):
        w = item("times", i, t, [("text", str, False), ("value", str, True)])
        _check(t["text"] in text, path, f"{w}.text {t['text']!r} does not occur in text")
    for i, q in enumerate(d["quantities"]):
        w = item("quantities", i, q, [("text", str, False), ("value", (int, float), False), ("unit", str, True),
                                      ("counted", str, True)])
        _check(not isinstance(q["value"], bool), path, f"{w}.value is not a number")
        _check(q["unit"] != "people", path, f"{w}.unit 'people' is gone in format 2 (unit null, counted = the noun)")
        _check(q["text"] in text, path, f"{w}.text {q['text']!r} does not occur in text")
    for i, q in enumerate(d["quotes"]):
        w = item("quotes", i, q, [("text", str, False), ("speaker", str, False), ("speaker_key", str, False),
                                  ("anonymous", bool, False), ("told_to", str, True), ("told_on", str, True)])
        _check(q["text"] in text or q["text"] in joined, path, f"{w}.text does not occur in text: {q['text'][:60]!r}")
        _check(q["speaker"] in text, path, f"{w}.speaker {q['speaker']!r} does not occur in text")
        _check(q["told_to"] is None or q["told_to"] in text, path, f"{w}.told_to {q['told_to']!r} does not occur in text")
    for i, e in enumerate(d["events"]):
        w = item("events", i, e, [("type", str, False), ("subtype", str, False), ("place", str, True),
                                  ("country", str, True), ("date", str, True), ("evidence", str, False)])
        _check(e["type"] in EVENT_TYPES, path, f"{w}.type {e['type']!r} is not a type of docs/record-v1.md")
        _check(e["date"] is None or DATE_RE.match(e["date"]), path,
               f"{w}.date {e['date']!r} is not YYYY, YYYY-MM, YYYY-MM-DD or null")
        _check(e["evidence"] in text, path, f"{w}.evidence does not occur in text: {e['evidence'][:60]!r}")


def load_gold(split="test"):
    """The gold documents of `split` ("dev", "test" or "all"), in file-name
    order per folder, each validated. Exits with an error naming the file
    when one is not valid, or when the split has no documents."""
    if split not in SPLITS + ("all",):
        sys.exit(f"score-analysis: unknown split {split!r} (dev, test or all)")
    docs, seen = [], {}
    for part in (SPLITS if split == "all" else (split,)):
        folder = os.path.join(GOLD_DIR, part)
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json")) if os.path.isdir(folder) else []
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, ROOT)
            try:
                with open(path, encoding="utf-8") as f:
                    d = json.load(f)
                validate_document(d, rel, part)
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
                sys.exit(f"score-analysis: {rel}: cannot read it as JSON: {e}")
            except GoldError as e:
                sys.exit(f"score-analysis: invalid gold file {e}")
            if d["id"] in seen:
                sys.exit(f"score-analysis: {rel}: id {d['id']!r} is also in {seen[d['id']]}")
            seen[d["id"]] = rel
            docs.append(d)
    if not docs:
        where = " and ".join(f"testdata/analysis/{p}/" for p in (SPLITS if split == "all" else (split,)))
        sys.exit(f"score-analysis: no gold documents (*.json) in {where}")
    return docs


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


def show_misses(field, d, pred):
    """Per-document misses of one field (dev part only)."""
    did = d["id"][:12]
    if field == "entities":
        g = Counter((norm(e["text"]), e["label"]) for e in d["entities"])
        p = Counter((norm(e["text"]), e["label"]) for e in pred.get("entities", []))
        print(did, "missed:", sorted((g - p).elements())[:25], "\n             extra:", sorted((p - g).elements())[:25])
    elif field == "times":
        key = lambda t: LEAD_PREP.sub("", norm(t["text"]))
        g = Counter(key(t) for t in d["times"])
        p = Counter(key(t) for t in pred.get("times", []))
        print(did, "missed:", sorted((g - p).elements())[:25], "\n             extra:", sorted((p - g).elements())[:25])
    elif field == "quantities":
        # The same matching as score_document, reporting unmatched items and
        # unit / counted disagreements on matched ones.
        g_q = d["quantities"]
        taken = [False] * len(g_q)
        for q in pred.get("quantities", []):
            qt, hit = norm(q["text"]), None
            for i, g in enumerate(g_q):
                gt = norm(g["text"])
                try:
                    same = abs(float(g["value"]) - float(q["value"])) <= 1e-6 * max(1.0, abs(float(g["value"])))
                except (TypeError, ValueError):
                    same = False
                if not taken[i] and same and (gt in qt or qt in gt):
                    hit = i
                    break
            if hit is None:
                print(did, "extra: ", repr(q["text"]), q.get("value"), q.get("unit"), q.get("counted"))
                continue
            taken[hit] = True
            g = g_q[hit]
            if (g.get("unit") or "").casefold() != (q.get("unit") or "").casefold() \
                    or not same_counted(g.get("counted"), q.get("counted")):
                print(did, "attrs: ", repr(g["text"]), "gold", g.get("unit"), g.get("counted"),
                      "| predicted", q.get("unit"), q.get("counted"))
        for i, g in enumerate(g_q):
            if not taken[i]:
                print(did, "missed:", repr(g["text"]), g["value"], g.get("unit"), g.get("counted"))
    elif field == "quotes":
        p_words = [words(q["text"]) for q in pred.get("quotes", [])]
        for g in d["quotes"]:
            gw = words(g["text"])
            if not any(len(gw & pw) / max(1, len(gw | pw)) >= 0.5 for pw in p_words):
                print(did, "missed:", g["speaker"], "|", g["text"][:90])
    elif field == "events":
        g_ev, p_ev = d.get("events") or [], pred.get("events") or []
        pairs = match_events(g_ev, p_ev)
        mg, mp = {gi for _, gi in pairs}, {pi for pi, _ in pairs}
        for gi, e in enumerate(g_ev):
            if gi not in mg:
                print(did, "missed:", e["type"], e.get("country"), e.get("date"), "|", e["evidence"][:90])
        for pi, e in enumerate(p_ev):
            if pi not in mp:
                print(did, "extra: ", e.get("type"), e.get("place"), e.get("date"), e.get("date_basis"), "|",
                      (e.get("evidence") or "")[:90])
        for pi, gi in pairs:
            if pred_month(p_ev[pi]) != gold_month(g_ev[gi]):
                print(did, "month: ", g_ev[gi]["type"], "gold", gold_month(g_ev[gi]), "| predicted",
                      p_ev[pi].get("date"), p_ev[pi].get("date_basis"), "|", g_ev[gi]["evidence"][:70])


def counts_line(docs):
    n = Counter()
    for d in docs:
        for g in ("entities", "times", "quantities", "quotes", "events"):
            n[g] += len(d[g])
    return (f"{len(docs)} documents: {n['entities']} entities, {n['times']} times, {n['quantities']} quantities, "
            f"{n['quotes']} quotes, {n['events']} events")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gleaner", default=os.path.join(ROOT, "target", "release", "gleaner"))
    ap.add_argument("--split", choices=["dev", "test", "all"], default="test",
                    help="which part of the gold set to score (default: test)")
    ap.add_argument("--json", action="store_true", help="print a JSON summary as the last line")
    ap.add_argument("--show-misses", choices=["entities", "times", "quantities", "quotes", "events"],
                    help="list each document's misses of one field (dev part only)")
    ap.add_argument("--check", action="store_true", help="only validate the gold files and print their counts")
    a = ap.parse_args()
    if a.show_misses and a.split != "dev":
        sys.exit(f"score-analysis: --show-misses works on --split dev only: the test part is not for tuning "
                 f"(only its aggregate scores are looked at)")
    docs = load_gold(a.split)
    if a.check:
        print(f"gold {a.split}: {counts_line(docs)} (all valid)")
        return
    if not os.path.exists(a.gleaner):
        sys.exit(f"{a.gleaner} not found: build it first (cargo build --release)")
    preds, secs = run_gleaner(a.gleaner, docs)
    total = Counter()
    for d in docs:
        pred = preds.get(d["id"], {})
        total += score_document(d, pred)
        if a.show_misses:
            show_misses(a.show_misses, d, pred)
    text, rows = report(total, f"gleaner on the {a.split} split: {counts_line(docs)}")
    print(text)
    print(f"   speed: {len(docs) / secs:.1f} texts/s (one process, including start-up)")
    if a.json:
        rows["split"] = a.split
        rows["documents"] = len(docs)
        rows["texts_per_second"] = round(len(docs) / secs, 1)
        print(json.dumps(rows))


if __name__ == "__main__":
    main()
