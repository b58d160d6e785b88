#!/usr/bin/env python3
"""Rebuild the extraction development corpus (testdata/corpus) from the
public repositories it was taken from, at pinned commits.

    scripts/build-corpus.py --mirror /work/.mirror [--out testdata/corpus]
                            [--check] [--report FILE]

`--mirror DIR` holds one bare git directory per repository, as
DIR/<owner>+<name>/repo (or DIR/<owner>+<name> itself). Files are read from
the pinned commit with `git show COMMIT:PATH`, so the mirror's HEAD may be
newer: only the pinned commit must be present.

What it writes under --out:
  pages/<source>/<name>.html.gz   each page, gzip level 9, mtime 0
  expect.jsonl                    one line per page (see README.md)
  LICENSES/<owner>+<name>.txt     each repository's licence text
and it rewrites the overruled-expectations table in README.md (between
the markers `<!-- overrides:begin -->` and `<!-- overrides:end -->`)
from overrides.json.

overrides.json (hand-written, kept in the corpus folder) lists every
upstream expectation this corpus does not take as it is: each entry is
{"id", "field", "upstream", "value", "reason"}; "value" null drops the
field, and {"id", "drop_page": true, "reason"} drops a page. The build
fails when an entry's "upstream" no longer matches what the upstream file
says, so a moved pin cannot silently change a correction's meaning.

--check rebuilds into a temporary folder and compares with --out (exit 1
on a difference). --report FILE writes what could not be parsed or was
left out, with the reason.

Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

# source name -> (GitHub repository, pinned commit, licence files, SPDX id)
SOURCES = {
    "postlight": (
        "postlight/parser",
        "e8ba7ece291efa4d915d50dd4deeec17d54359f2",
        ["LICENSE-MIT", "LICENSE-APACHE"],
        "MIT OR Apache-2.0",
    ),
    "newspaper4k": (
        "AndyTheFactory/newspaper4k",
        "540bff3e8344cb8291c4829fafd98860f30d9692",
        ["LICENSE", "GOOSE-LICENSE.txt"],
        "MIT (with Apache-2.0 parts from goose)",
    ),
    "newspaper": (
        "codelucas/newspaper",
        "1618b547f31c2d1fd19ae3b6afd8f7542dd02074",
        ["LICENSE", "GOOSE-LICENSE.txt"],
        "MIT (with Apache-2.0 parts from goose)",
    ),
    "goose3": (
        "goose3/goose3",
        "c5a8902eed0c4592a1ff5ec51a0277cf73a3aca7",
        ["LICENSE.txt"],
        "Apache-2.0",
    ),
    "htmldate": (
        "adbar/htmldate",
        "b8952828329abaeeb3be21387b526f2be614ce67",
        ["LICENSE"],
        "Apache-2.0",
    ),
}

TEST_PERCENT = 30  # share of registered domains in the test split

# Second-level labels under a two-letter country code that are public
# suffixes themselves (co.uk, com.au, ne.jp, ...): a registered domain
# then has three labels. A small stand-in for the Public Suffix List.
SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "ne", "or", "go", "gob", "nic", "mil"}


def registered_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    labels = [x for x in host.split(".") if x]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def split_of(url: str) -> str:
    dom = registered_domain(url)
    h = int(hashlib.sha256(dom.encode()).hexdigest()[:8], 16)
    return "test" if h % 100 < TEST_PERCENT else "dev"


# ----------------------------------------------------------------- git access


class Repo:
    def __init__(self, mirror: Path, name: str, commit: str):
        d = mirror / name.replace("/", "+")
        self.git_dir = d / "repo" if (d / "repo").exists() else d
        self.name = name
        self.commit = commit
        if not self.git_dir.exists():
            raise SystemExit(f"build-corpus: no mirror of {name} at {d}")
        r = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "cat-file", "-e", commit + "^{commit}"],
            capture_output=True,
        )
        if r.returncode != 0:
            raise SystemExit(f"build-corpus: commit {commit} of {name} is not in {self.git_dir}")

    def read(self, path: str) -> bytes:
        r = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "show", f"{self.commit}:{path}"],
            capture_output=True,
        )
        if r.returncode != 0:
            raise FileNotFoundError(f"{self.name}@{self.commit}:{path}")
        return r.stdout

    def text(self, path: str) -> str:
        return self.read(path).decode("utf-8")

    def ls(self, folder: str) -> list[str]:
        r = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "ls-tree", "-r", "--name-only", self.commit, folder],
            capture_output=True,
            text=True,
            check=True,
        )
        return [x for x in r.stdout.splitlines() if x]

    def ref(self, *paths: str) -> str:
        return f"{self.name}@{self.commit}:" + ",".join(paths)


# --------------------------------------------------------------- page records


class Page:
    def __init__(self, source: str, name: str, html: bytes, url: str, upstream: str):
        self.source = source
        self.name = name
        self.html = html
        self.url = url
        self.upstream = upstream
        self.fields: dict = {}

    @property
    def id(self) -> str:
        return f"{self.source}/{self.name}"


def clean_ws(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def day_of(value: str) -> str | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    return "-".join(m.groups()) if m else None


# ------------------------------------------------------------------ postlight

JS_STRING = r"""(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)"""
JS_CONCAT = rf"{JS_STRING}(?:\s*\+\s*{JS_STRING})*"


def js_unquote(expr: str) -> str:
    out = []
    for m in re.finditer(JS_STRING, expr, re.S):
        lit = m.group(0)[1:-1]
        lit = re.sub(
            r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)",
            lambda e: _js_escape(e.group(1)),
            lit,
            flags=re.S,
        )
        out.append(lit)
    return "".join(out)


def _js_escape(e: str) -> str:
    if e.startswith("u{"):
        return chr(int(e[2:-1], 16))
    if e.startswith("u") and len(e) == 5:
        return chr(int(e[1:], 16))
    if e.startswith("x") and len(e) == 3:
        return chr(int(e[1:], 16))
    return {"n": "\n", "t": "\t", "r": "\r", "\n": ""}.get(e, e)


def split_authors(s: str) -> list[str]:
    s = clean_ws(s)
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", s)
    return [p for p in (clean_ws(x) for x in parts) if p]


META_TAG = re.compile(rb"<meta\b[^>]*>", re.I)


def restore_meta_content(html: bytes) -> tuple[bytes, int]:
    """Postlight's fixtures were saved after its parser renamed each <meta>
    tag's `content` attribute to `value`; give the attribute its name back
    (only in <meta> tags that have no `content`). Returns the page and the
    number of tags changed."""
    n = 0

    def fix(m: re.Match) -> bytes:
        nonlocal n
        tag = m.group(0)
        if re.search(rb"\scontent\s*=", tag, re.I) or not re.search(rb"\svalue\s*=", tag, re.I):
            return tag
        n += 1
        return re.sub(rb"(\s)value(\s*=)", rb"\1content\2", tag, count=1, flags=re.I)

    return META_TAG.sub(fix, html), n


def postlight(repo: Repo, report: list[str]) -> list[Page]:
    pages: dict[str, Page] = {}
    tests = [p for p in repo.ls("src/extractors/custom") if p.endswith("/index.test.js")]
    fixtures = set(repo.ls("fixtures"))
    used = set()
    assign_url = re.compile(rf"\b(?:url|uri)\s*=\s*({JS_CONCAT})", re.S)
    read_fix = re.compile(r"readFileSync\(\s*['\"]\./(fixtures/[^'\"]+)['\"]")
    assert_eq = re.compile(
        rf"assert\.(?:equal|strictEqual)\(\s*([A-Za-z_][\w.]*(?:\.split\('T'\)\[0\])?)\s*,\s*({JS_CONCAT}|null)\s*\)",
        re.S,
    )
    scope_re = re.compile(r"\b(?:it|beforeAll|beforeEach|describe)\(")
    excerpt_n = re.compile(r"excerptContent\((?:[^;]|\n)*?,\s*(\d+)\s*\)", re.S)
    for test in sorted(tests):
        src = repo.text(test)
        reads = list(read_fix.finditer(src))
        if not reads:
            report.append(f"postlight: {test}: no fixture read; skipped")
            continue
        for i, m in enumerate(reads):
            fixture = m.group(1)
            start = m.start()
            end = reads[i + 1].start() if i + 1 < len(reads) else len(src)
            # the page's URL: an url/uri assignment in the same it()/
            # beforeAll() as the read, else the last one before it
            scope_a = max([0] + [x.start() for x in scope_re.finditer(src, 0, start)])
            nxt = scope_re.search(src, m.end())
            scope_b = nxt.start() if nxt else len(src)
            urls = list(assign_url.finditer(src, scope_a, scope_b)) or list(assign_url.finditer(src, 0, start))[-1:]
            if not urls:
                report.append(f"postlight: {test}: {fixture}: no URL found; skipped")
                continue
            url = js_unquote(urls[0].group(1))
            if fixture not in fixtures:
                report.append(f"postlight: {test}: {fixture} not in the repository; skipped")
                continue
            block = src[start:end]
            found: dict = {}
            unparsed = []
            for a in assert_eq.finditer(block):
                var, expr = a.group(1), a.group(2)
                if expr == "null":
                    continue
                val = js_unquote(expr)
                if var == "title":
                    found["title"] = clean_ws(val)
                elif var == "author":
                    found["author_raw"] = clean_ws(val)
                elif var in ("date_published", "new_date_published", "newDatePublished",
                             "newDatePublished.split('T')[0]"):
                    d = day_of(val)
                    if d:
                        found["published"] = d
                        if var == "date_published":
                            found["published_instant"] = val
                    else:
                        unparsed.append(f"date {val!r}")
                elif var in ("first13", "text", "first_words") or re.fullmatch(r"first\d+", var):
                    if clean_ws(val):
                        found["opening"] = clean_ws(val)
            # asserts on these fields whose expected value is not a literal
            parsed_vars = {a.group(1) for a in assert_eq.finditer(block)}
            for a in re.finditer(r"assert\.(?:equal|strictEqual)\(\s*(title|author|date_published|first13)\s*,\s*([^)]{0,60})", block):
                if a.group(1) not in parsed_vars:
                    unparsed.append(f"{a.group(1)} = {clean_ws(a.group(2))!r}")
            n = excerpt_n.search(block)
            if "opening" in found and n:
                found["opening_words"] = int(n.group(1))
            name = fixture[len("fixtures/"):]
            name = re.sub(r"\.html?$", "", name)
            if unparsed:
                report.append(f"postlight: {test}: {fixture}: not parsed: {'; '.join(unparsed)}")
            if not any(k in found for k in ("title", "author_raw", "published", "opening")):
                if fixture in used:
                    continue
                report.append(f"postlight: {test}: {fixture}: no usable expectation; skipped")
                continue
            if name in pages:
                # the same fixture read twice: merge, the first value wins
                for k, v in found.items():
                    pages[name].fields.setdefault(k, v)
                pages[name].upstream += "," + test
                continue
            html, changed = restore_meta_content(repo.read(fixture))
            p = Page("postlight", name, html, url, repo.ref(fixture, test))
            p.fields = found
            if changed:
                p.fields["transform"] = f"meta value= renamed content= in {changed} tags"
            pages[name] = p
            used.add(fixture)
    for f in sorted(fixtures - used):
        report.append(f"postlight: {f}: not read by any custom extractor test; left out")
    out = []
    for p in pages.values():
        f = p.fields
        if "author_raw" in f:
            f["authors"] = split_authors(f.pop("author_raw"))
        out.append(p)
    return out


# ---------------------------------------------------------------- newspaper4k


def py_strings(expr: str) -> str:
    """Adjacent Python string literals (double-quoted), joined."""
    return "".join(json.loads(m.group(0)) for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"', expr))


def newspaper4k(repo: Repo, report: list[str]) -> list[Page]:
    base = "tests/data"
    htmls = {Path(p).stem for p in repo.ls(f"{base}/html") if p.endswith(".html")}
    txts = {Path(p).stem for p in repo.ls(f"{base}/txt") if p.endswith(".txt")}
    metas = {Path(p).stem for p in repo.ls(f"{base}/metadata") if p.endswith(".json")}
    # URLs the tests give pages that have no metadata file
    urls: dict[str, str] = {}
    conf = repo.text("tests/conftest.py") + "\n" + repo.text("tests/unit/conftest.py")
    for m in re.finditer(r'\(\s*"(\w+)",\s*(\(?(?:\s*"[^"\n]*"\s*)+\)?)\s*,\s*"(\w+)",?\s*\)', conf):
        urls.setdefault(m.group(1), py_strings(m.group(2)))
    for m in re.finditer(r'url\s*=\s*("[^"\n]+")\s*\n\s*html_content\s*=\s*(?:conftest\.)?get_data\("(\w+)"', conf):
        urls.setdefault(m.group(2), json.loads(m.group(1)))
    out = []
    for name in sorted(htmls):
        if name not in txts and name not in metas:
            report.append(f"newspaper4k: {name}.html: no txt or metadata; left out")
            continue
        paths = [f"{base}/html/{name}.html"]
        meta = {}
        if name in metas:
            paths.append(f"{base}/metadata/{name}.json")
            meta = json.loads(repo.text(f"{base}/metadata/{name}.json"))
        url = meta.get("url") or urls.get(name)
        if not url:
            report.append(f"newspaper4k: {name}: no URL stated; left out")
            continue
        f: dict = {}
        if meta.get("title"):
            f["title"] = clean_ws(meta["title"])
        if meta.get("authors"):
            f["authors"] = [clean_ws(a) for a in meta["authors"] if clean_ws(a)]
        if meta.get("publish_date"):
            d = day_of(str(meta["publish_date"]))
            if d:
                f["published"] = d
        if meta.get("language"):
            f["language"] = meta["language"]
        if name in txts:
            paths.append(f"{base}/txt/{name}.txt")
            text = repo.text(f"{base}/txt/{name}.txt").strip()
            if text:
                f["text"] = text
        if not f:
            report.append(f"newspaper4k: {name}: no expectation; left out")
            continue
        p = Page("newspaper4k", name, repo.read(paths[0]), url, repo.ref(*paths))
        p.fields = f
        out.append(p)
    return out


# ------------------------------------------------------------------ newspaper


def newspaper_base_domain(url: str) -> str:
    # the naming rule of the upstream test (tests/unit_tests.py, get_base_domain)
    host = urlsplit(url).netloc
    tld = ".".join(host.split(".")[-2:])
    chunks = host.split(".")[-3:] if tld in ("co.uk", "com.au", "au.com") else host.split(".")[-2:]
    return ".".join(chunks)


def newspaper(repo: Repo, report: list[str]) -> list[Page]:
    base = "tests/data"
    url_list = [x.strip() for x in repo.text(f"{base}/fulltext_url_list.txt").splitlines() if x.strip()]
    counters: dict[str, int] = {}
    named: dict[str, str] = {}
    for u in url_list:
        d = newspaper_base_domain(u)
        counters[d] = counters.get(d, 0) + 1
        named[f"{d}{counters[d]}"] = u
    htmls = {Path(p).stem for p in repo.ls(f"{base}/html") if p.endswith(".html")}
    txts = {Path(p).stem for p in repo.ls(f"{base}/text") if p.endswith(".txt")}
    out = []
    for name in sorted(htmls):
        if name not in named:
            report.append(f"newspaper: {name}.html: not in fulltext_url_list.txt (no URL); left out")
            continue
        if name not in txts:
            report.append(f"newspaper: {name}.html: no expected text; left out")
            continue
        text = repo.text(f"{base}/text/{name}.txt").strip()
        if not text:
            report.append(f"newspaper: {name}: expected text is empty; left out")
            continue
        if len(text) < 400 and text == text.upper() and re.search(r"[A-Z]{4}", text):
            report.append(f"newspaper: {name}: the text file is a failure note ({clean_ws(text)[:80]!r}), not a text; left out")
            continue
        paths = [f"{base}/html/{name}.html", f"{base}/text/{name}.txt", f"{base}/fulltext_url_list.txt"]
        p = Page("newspaper", name, repo.read(paths[0]), named[name], repo.ref(*paths))
        p.fields = {"text": text}
        out.append(p)
    return out


# --------------------------------------------------------------------- goose3

GOOSE_MODULES = ["content", "title", "authors", "publishdate", "reportagenewsarticle"]
GOOSE_SYNTHETIC_HOSTS = {"example.com", "exemple.com", "go.com", "foo.bar"}


def goose3(repo: Repo, report: list[str]) -> list[Page]:
    out = []
    for module in GOOSE_MODULES:
        src = repo.text(f"tests/test_{module}.py")
        funcs = list(re.finditer(r"\n    def test_(\w+)\(self\):", src))
        for i, fm in enumerate(funcs):
            body = src[fm.end(): funcs[i + 1].start() if i + 1 < len(funcs) else len(src)]
            func = "test_" + fm.group(1)
            fields = set()
            for lm in re.finditer(r"fields\s*=\s*\[([^\]]*)\]", body):
                fields |= set(re.findall(r'"(\w+)"', lm.group(1)))
            if module == "authors" and "authors" in body:
                fields.add("authors")
            fields &= {"title", "cleaned_text", "authors", "publish_date"}
            jpath = f"tests/data/{module}/{func}.json"
            hpath = f"tests/data/{module}/{func}.html"
            try:
                data = json.loads(repo.text(jpath))
                html = repo.read(hpath)
            except (FileNotFoundError, ValueError):
                report.append(f"goose3: {module}/{func}: no json or html; left out")
                continue
            url = data.get("url") or data.get("expected", {}).get("final_url") or ""
            host = re.sub(r"^www\.", "", (urlsplit(url).hostname or "").lower())
            if not url or host in GOOSE_SYNTHETIC_HOSTS or len(html) < 5000:
                report.append(f"goose3: {module}/{func}: a made-up test page ({url or 'no URL'}, {len(html)} bytes); left out")
                continue
            if not fields:
                report.append(f"goose3: {module}/{func}: asserts none of title/text/authors/date; left out")
                continue
            exp = data.get("expected", {})
            f: dict = {}
            if "title" in fields and exp.get("title"):
                f["title"] = clean_ws(exp["title"])
            if "cleaned_text" in fields and clean_ws(exp.get("cleaned_text", "")):
                f["opening"] = clean_ws(exp["cleaned_text"])
            if "authors" in fields and exp.get("authors"):
                f["authors"] = [clean_ws(a) for a in exp["authors"]]
            if "publish_date" in fields and exp.get("publish_date"):
                d = day_of(exp["publish_date"])
                if d:
                    f["published"] = d
            lang = data.get("target_language") or exp.get("meta_lang")
            if lang and lang not in ("None", ""):
                f["language"] = lang
            if not any(k in f for k in ("title", "opening", "authors", "published")):
                report.append(f"goose3: {module}/{func}: empty expectations; left out")
                continue
            name = f"{module}-{func[len('test_'):]}"
            p = Page("goose3", name, html, url, repo.ref(hpath, jpath, f"tests/test_{module}.py"))
            p.fields = f
            out.append(p)
    return out


# ------------------------------------------------------------------- htmldate


def htmldate(repo: Repo, report: list[str]) -> list[Page]:
    jpath = "tests/eval_mediacloud_2020.json"
    data = json.loads(repo.text(jpath))
    out = []
    for url, v in data.items():
        hpath = f"tests/test_set/{v['file']}"
        try:
            html = repo.read(hpath)
        except FileNotFoundError:
            report.append(f"htmldate: {v['file']}: not in the repository; left out")
            continue
        d = day_of(v["date"]) if isinstance(v.get("date"), str) else None
        if not d:
            report.append(f"htmldate: {v['file']}: the upstream gives no date (NaN: an undated page); left out")
            continue
        p = Page("htmldate", Path(v["file"]).stem, html, url, repo.ref(hpath, jpath))
        p.fields = {"published": d}
        out.append(p)
    return out


BUILDERS = {
    "postlight": postlight,
    "newspaper4k": newspaper4k,
    "newspaper": newspaper,
    "goose3": goose3,
    "htmldate": htmldate,
}

FIELD_ORDER = ["id", "source", "split", "url", "language", "title", "authors", "published",
               "published_instant", "text", "opening", "opening_words", "upstream", "transform", "overruled"]


# ------------------------------------------------------------------ overrides


def apply_overrides(pages: list[Page], overrides: list[dict], report: list[str]) -> list[Page]:
    by_id = {p.id: p for p in pages}
    dropped = set()
    for o in overrides:
        pid = o["id"]
        if pid not in by_id:
            raise SystemExit(f"build-corpus: overrides.json names {pid}, which the build did not make")
        p = by_id[pid]
        if o.get("drop_page"):
            dropped.add(pid)
            continue
        field = o["field"]
        have = p.fields.get(field)
        if have != o.get("upstream"):
            raise SystemExit(
                f"build-corpus: overrides.json: {pid} {field}: upstream is {have!r}, "
                f"the override expects {o.get('upstream')!r}"
            )
        if o.get("value") is None:
            p.fields.pop(field, None)
            if field == "published":
                p.fields.pop("published_instant", None)
            if field == "opening":
                p.fields.pop("opening_words", None)
        else:
            p.fields[field] = o["value"]
        p.fields.setdefault("overruled", []).append(field)
    kept = []
    for p in pages:
        if p.id in dropped:
            report.append(f"{p.id}: dropped by overrides.json")
            continue
        if not any(k in p.fields for k in ("title", "authors", "published", "text", "opening")):
            report.append(f"{p.id}: no expectation left after overrides; dropped")
            continue
        kept.append(p)
    return kept


def overrides_table(overrides: list[dict]) -> str:
    def cell(v, limit: int = 120) -> str:
        if v is None:
            return "(dropped)"
        s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
        s = s.replace("|", "\\|").replace("\n", " ")
        return s if len(s) <= limit else s[: limit - 3] + "..."

    rows = ["| id | field | upstream | this corpus | reason |", "| --- | --- | --- | --- | --- |"]
    for o in overrides:
        if o.get("drop_page"):
            rows.append(f"| {o['id']} | (page) | | (page dropped) | {cell(o['reason'], 1000)} |")
        else:
            rows.append(
                f"| {o['id']} | {o['field']} | {cell(o.get('upstream'))} | {cell(o.get('value'))} | {cell(o['reason'], 1000)} |"
            )
    return "\n".join(rows)


# ------------------------------------------------------------------------ main


def gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as g:
        g.write(data)
    return buf.getvalue()


def build(mirror: Path, out: Path, overrides_path: Path, readme: Path | None, report: list[str]) -> dict:
    pages: list[Page] = []
    repos = {}
    for source, (name, commit, _lic, _spdx) in SOURCES.items():
        repos[source] = Repo(mirror, name, commit)
        got = BUILDERS[source](repos[source], report)
        pages.extend(got)
    # the same page twice (same bytes): keep the first
    seen: dict[str, str] = {}
    unique = []
    for p in pages:
        h = hashlib.sha256(p.html).hexdigest()
        if h in seen:
            report.append(f"{p.id}: the same bytes as {seen[h]}; left out")
            continue
        seen[h] = p.id
        unique.append(p)
    overrides = json.loads(overrides_path.read_text()) if overrides_path.exists() else []
    pages = apply_overrides(unique, overrides, report)

    if out.exists():
        shutil.rmtree(out / "pages", ignore_errors=True)
        shutil.rmtree(out / "LICENSES", ignore_errors=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    (out / "LICENSES").mkdir(parents=True, exist_ok=True)
    lines = []
    counts: dict = {}
    for p in sorted(pages, key=lambda p: p.id):
        path = out / "pages" / f"{p.id}.html.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gz(p.html))
        rec = {"id": p.id, "source": p.source, "split": split_of(p.url), "url": p.url,
               "upstream": p.upstream, **p.fields}
        rec = {k: rec[k] for k in FIELD_ORDER if k in rec}
        lines.append(json.dumps(rec, ensure_ascii=False))
        c = counts.setdefault(p.source, {"dev": 0, "test": 0})
        c[rec["split"]] += 1
    (out / "expect.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for source, (name, commit, lic, spdx) in SOURCES.items():
        parts = [f"Source: https://github.com/{name} at commit {commit}\n"
                 f"Licence: {spdx}\nFiles: {', '.join(lic)}\n"
                 f"Used for: testdata/corpus/pages/{source}/ and their expectations in expect.jsonl\n"]
        for f in lic:
            parts.append(f"\n===== {f} =====\n\n" + repos[source].text(f))
        (out / "LICENSES" / f"{name.replace('/', '+')}.txt").write_text("".join(parts), encoding="utf-8")
    if readme is not None and readme.exists():
        text = readme.read_text(encoding="utf-8")
        a, b = "<!-- overrides:begin -->", "<!-- overrides:end -->"
        if a in text and b in text:
            head, rest = text.split(a, 1)
            _, tail = rest.split(b, 1)
            text = head + a + "\n" + overrides_table(overrides) + "\n" + b + tail
            readme.write_text(text, encoding="utf-8")
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mirror", type=Path, required=True, help="folder of the repositories' git directories")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "testdata" / "corpus")
    ap.add_argument("--check", action="store_true", help="rebuild into a temporary folder and compare")
    ap.add_argument("--report", type=Path, help="write what was left out or not parsed to this file")
    args = ap.parse_args()
    out = args.out.absolute()
    overrides = out / "overrides.json"
    report: list[str] = []
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            t = Path(tmp) / "corpus"
            build(args.mirror, t, overrides, None, report)
            diff = subprocess.run(["diff", "-rq", "-x", "README.md", "-x", "overrides.json", str(t), str(out)],
                                  capture_output=True, text=True)
            if diff.returncode != 0:
                sys.stdout.write(diff.stdout)
                print("build-corpus: the committed corpus differs from a rebuild", file=sys.stderr)
                return 1
            print("build-corpus: the committed corpus matches a rebuild")
            return 0
    counts = build(args.mirror, out, overrides, out / "README.md", report)
    if args.report:
        args.report.write_text("\n".join(report) + "\n", encoding="utf-8")
    total = 0
    for source, c in counts.items():
        print(f"{source:12} dev {c['dev']:4}  test {c['test']:4}")
        total += c["dev"] + c["test"]
    size = sum(f.stat().st_size for f in (out / "pages").rglob("*.gz"))
    print(f"{total} pages, {size / 1e6:.1f} MB compressed; {len(report)} notes"
          + (f" in {args.report}" if args.report else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
