#!/usr/bin/env python3
"""Fills fuzz/corpus/<target>/ with seeds from the input-format regression
corpus (testdata/inputs, by its manifest's kinds) and fuzz/corpus-seed.

warc and sniff get the files as stored (gzip included: the readers undo it);
feed and sitemap get them decompressed (their readers take bytes a caller has
already read). Files over --max-len bytes are left out: each run of a target
costs time proportional to its input, and small seeds cover the formats.

    python3 fuzz/seed.py [--max-len 65536]
"""
import argparse
import gzip
import json
import os
import shutil
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "..", "testdata", "inputs")


def unzip(raw):
    if raw[:2] != b"\x1f\x8b":
        return raw
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return d.decompress(raw)
    except zlib.error:
        return raw


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-len", type=int, default=65536)
    args = ap.parse_args()
    manifest = json.load(open(os.path.join(INPUTS, "manifest.json")))
    targets = {t: os.path.join(HERE, "corpus", t) for t in ("warc", "feed", "sitemap", "sniff", "extract", "html_parse")}
    for d in targets.values():
        os.makedirs(d, exist_ok=True)
    counts = dict.fromkeys(targets, 0)

    def put(target, name, data):
        if len(data) <= args.max_len:
            with open(os.path.join(targets[target], name), "wb") as f:
                f.write(data)
            counts[target] += 1

    for entry in manifest["files"]:
        raw = open(os.path.join(INPUTS, entry["path"]), "rb").read()
        name = entry["path"].replace("/", "__")
        kind = entry["kind"]
        put("sniff", name, raw)
        if kind in ("warc", "arc", "wat", "wet") or entry["path"].startswith("warc/"):
            put("warc", name, raw)
        elif kind.startswith("feed") or entry["path"].startswith("feeds/"):
            put("feed", name, unzip(raw))
        else:
            put("sitemap", name, unzip(raw))
    seed_dir = os.path.join(HERE, "corpus-seed")
    for name in sorted(os.listdir(seed_dir)):
        for t in ("extract", "html_parse", "sniff"):
            shutil.copy(os.path.join(seed_dir, name), os.path.join(targets[t], name))
            counts[t] += 1
    print(" ".join(f"{t}:{n}" for t, n in counts.items()))


if __name__ == "__main__":
    main()
