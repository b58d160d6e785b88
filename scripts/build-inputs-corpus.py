#!/usr/bin/env python3
"""Rebuild testdata/inputs/ (the input-format regression corpus) and its manifest.

The corpus is test data copied from public, permissively licensed test suites of the
WARC, feed and sitemap ecosystems, at pinned commits. The manifest holds what
independent readers say about each file (warcio for WARC/ARC/WAT/WET, feedparser
for feeds, this script's own ElementTree / line parsing for sitemaps and robots.txt),
never anything Gleaner produced.

Usage:
    python3 scripts/build-inputs-corpus.py            # copy files + write manifest
    python3 scripts/build-inputs-corpus.py --check    # rebuild into a temp dir, compare

Needs:
  * the upstream repositories as git directories (no work tree is needed), found as
    $INPUTS_MIRROR/<owner>+<name>/repo (default /work/.mirror); each pinned commit
    must be present in them;
  * a venv with the pinned readers (created if missing):
        target/inputs-venv  with warcio==1.8.1, feedparser==6.0.14 and chardet==5.2.0
    (feedparser uses chardet, when installed, for documents without a usable declaration)
    The script re-executes itself inside that venv.
"""
import argparse
import collections
import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "testdata", "inputs")
MIRROR = os.environ.get("INPUTS_MIRROR", "/work/.mirror")
VENV = os.path.join(ROOT, "target", "inputs-venv")
PINS = {"warcio": "1.8.1", "feedparser": "6.0.14", "chardet": "5.2.0"}

# ---------------------------------------------------------------------------
# Upstream repositories, pinned commits and licences
# ---------------------------------------------------------------------------
# licence_files: files (at the commit) whose text goes into LICENSES/<repo>.txt.
# licence_from: when a repository declares its licence without shipping its text,
# the standard text is taken from another repository's copy (named here).
REPOS = {
    "webrecorder/warcio": dict(commit="2a797aa8c6d67e70966ce9d1a690208ab250fbe7",
                               licence="Apache-2.0", licence_files=["LICENSE", "NOTICE"]),
    "webrecorder/warcio.js": dict(commit="60a28c63738680383012081d75f3fa13a2776bfc",
                                  licence="MIT", licence_files=["LICENSE"]),
    "iipc/jwarc": dict(commit="9b5df862d35ff72ba965190941923b86b27ea6b5",
                       licence="Apache-2.0", licence_files=["LICENSE"]),
    "chatnoir-eu/chatnoir-resiliparse": dict(commit="70459f0399718955d7dff1dec30781e07af1bbb7",
                                             licence="Apache-2.0", licence_files=["LICENSE"]),
    "N0taN3rd/node-warc": dict(commit="940da6b18a28c3563402d7080e36f2941f07afc2",
                               licence="MIT", licence_files=["LICENSE"]),
    "commoncrawl/whirlwind-python": dict(commit="08dcfbe4d579a7b1ee27e7ce39a019de6292c1c7",
                                         licence="Apache-2.0", licence_files=["LICENSE"]),
    "iipc/webarchive-commons": dict(commit="3921259229850c20bf4ee8f6cd70d56f3bcc0c13",
                                    licence="Apache-2.0", licence_files=["LICENSE"]),
    "netarchivesuite/jwat": dict(commit="20ddb283b1d07a2dd1ff5a807a75e91b55c5a4f8",
                                 licence="Apache-2.0", licence_files=[],
                                 licence_note="JWAT declares Apache License 2.0 in pom.xml "
                                 "(<licenses>) and in its source file headers, and ships no "
                                 "LICENSE file; the standard Apache-2.0 text below is iipc/jwarc's "
                                 "copy at the commit named for it.",
                                 licence_from=("iipc/jwarc", "LICENSE")),
    "ukwa/webarchive-test-suite": dict(commit="5ef547badaf0fea15041c55d9f84fd5cac5987d3",
                                       licence="CC0-1.0", licence_files=[],
                                       licence_note="The repository's README.md states that its "
                                       "test files are under CC0 unless otherwise stated; the files "
                                       "taken (small-arcs-and-warcs/) carry no other statement. The "
                                       "repository ships no licence file.",
                                       licence_readme="README.md"),
    "kurtmckee/feedparser": dict(commit="a22c5521cbb109871f1a2318948581901bd47e26",
                                 licence="BSD-2-Clause", licence_files=["LICENSE"]),
    "feed-rs/feed-rs": dict(commit="b64d2aa08d377778b0978aa63f05d56bcedb279e",
                            licence="MIT", licence_files=["feed-rs/LICENSE-MIT"]),
    "rust-syndication/rss": dict(commit="c5e3254a5fa259542e0d50bceec71ee1f2e8bfb1",
                                 licence="MIT OR Apache-2.0",
                                 licence_files=["LICENSE-MIT", "LICENSE-APACHE"]),
    "rust-syndication/atom": dict(commit="1b316834f84591ac38890cefecf4b67cee9813fa",
                                  licence="MIT OR Apache-2.0",
                                  licence_files=["LICENSE-MIT", "LICENSE-APACHE"]),
    "crawler-commons/crawler-commons": dict(commit="8e14e27cad529a35ee57010fbd63a91cfcfa3fcc",
                                            licence="Apache-2.0", licence_files=["LICENSE"]),
    "daveoconnor/site-map-parser": dict(commit="db6be0baeb350c9d4a743dab9120d9c2dbb31953",
                                        licence="MIT", licence_files=["LICENSE"]),
    "oxffaa/gopher-parse-sitemap": dict(commit="005d2eb1def4faaecda4819d7f1bb90078fc639e",
                                        licence="MIT", licence_files=["LICENSE"]),
}

# Considered and NOT taken (licence): webrecorder/pywb (GPL-3.0), openpreserve/jhove
# (LGPL-2.1), GateNLP/ultimate-sitemap-parser (GPL-3.0).

# ---------------------------------------------------------------------------
# Selection: (ecosystem, repo, path patterns)
# ---------------------------------------------------------------------------
SELECT = [
    ("warc", "webrecorder/warcio", ["test/data/*"]),
    ("warc", "webrecorder/warcio.js", [
        "test/data/example-bad-length.warc", "test/data/example-url-agnostic-revisit.warc.gz",
        "test/data/post-test-more.warc", "test/data/redirect.warc"]),
    ("warc", "iipc/jwarc", ["test-resources/org/netpreserve/jwarc/*.warc.gz"]),
    ("warc", "chatnoir-eu/chatnoir-resiliparse", [
        "tests/data/block-sized-records.warc.gz", "tests/data/block-sized-records.warc.lz4",
        "tests/data/clipped.warc.gz", "tests/data/clueweb-quirk.warc.gz",
        "tests/data/warcfile.warc.gz"]),
    ("warc", "N0taN3rd/node-warc", ["test/files/parseMe.warc.gz", "test/files/books.toscrape.warc"]),
    ("warc", "commoncrawl/whirlwind-python", [
        "whirlwind.warc.gz", "whirlwind.warc.wat.gz", "whirlwind.warc.wet.gz",
        "whirlwind.warc.wat", "whirlwind.warc.wet", "CC-MAIN-2024-22.warc.paths.gz"]),
    ("warc", "iipc/webarchive-commons", [
        "src/test/resources/org/archive/format/gzip/IAH-urls-wget.warc.gz",
        "src/test/resources/org/archive/format/warc/mutliple-headers.warc",
        "src/test/resources/org/archive/resource/html/link-extraction-test.warc",
        "src/test/resources/org/archive/format/arc/IAH-20080430204825-00000-blackbook-truncated.arc",
        "src/test/resources/org/archive/format/gzip/empty.gz",
        "src/test/resources/org/archive/format/gzip/double-single-inflate-error.gz"]),
    ("warc", "ukwa/webarchive-test-suite", [
        "small-arcs-and-warcs/IAH-20080430204825-00000-blackbook-truncated.warc.gz",
        "small-arcs-and-warcs/IAH-20080430204825-00000-blackbook-truncated.arc.gz"]),
    ("warc", "netarchivesuite/jwat", [
        "jwat-warc/src/test/resources/*.warc", "!jwat-warc/src/test/resources/IAH-*",
        "jwat-warc/src/test/resources/invalid-warcfile-encoding-headers.warc.gz",
        "jwat-arc/src/test/resources/test-arc-1.0-*.arc",
        "jwat-arc/src/test/resources/invalid-arcfile-record-then-garbage.arc",
        "jwat-arc/src/test/resources/small_BNF.arc",
        "jwat-arc/src/test/resources/1-1-20110922131213-00000-svc-VirtualBox.arc"]),
    ("feeds", "kurtmckee/feedparser", [
        "tests/wellformed/rss/rss_version_*.xml", "tests/wellformed/rss/rss_namespace_*.xml",
        "tests/wellformed/rss/item_title.xml", "tests/wellformed/rss/item_link.xml",
        "tests/wellformed/rss/item_pubDate.xml", "tests/wellformed/rss/item_dc_date.xml",
        "tests/wellformed/rss/item_author.xml", "tests/wellformed/rss/item_dc_creator.xml",
        "tests/wellformed/rss/item_multiple_dc_creator.xml",
        "tests/wellformed/rss/item_content_encoded.xml", "tests/wellformed/rss/item_description.xml",
        "tests/wellformed/rss/item_description_and_summary.xml",
        "tests/wellformed/rss/item_guid.xml", "tests/wellformed/rss/item_guid_guidislink.xml",
        "tests/wellformed/rss/item_fullitem.xml", "tests/wellformed/rss/item_xhtml_body.xml",
        "tests/wellformed/rss/item_dcterms_issued.xml", "tests/wellformed/rss/item_dcterms_modified.xml",
        "tests/wellformed/rss/entity_in_doctype.xml", "tests/wellformed/rss/channel_title.xml",
        "tests/wellformed/rss/channel_pubDate.xml",
        "tests/wellformed/rdf/*.xml",
        "tests/wellformed/namespace/rss*.xml", "tests/wellformed/namespace/unknown-namespace.xml",
        "tests/wellformed/atom/atom_namespace_*.xml", "tests/wellformed/atom/feed_title.xml",
        "tests/wellformed/atom/entry_title.xml", "tests/wellformed/atom/entry_link_href.xml",
        "tests/wellformed/atom/entry_issued.xml", "tests/wellformed/atom/entry_modified.xml",
        "tests/wellformed/atom/entry_created.xml", "tests/wellformed/atom/entry_author_name.xml",
        "tests/wellformed/atom/entry_content_value.xml", "tests/wellformed/atom/entry_content_mode_base64.xml",
        "tests/wellformed/atom/entry_summary.xml", "tests/wellformed/atom/entry_id.xml",
        "tests/wellformed/atom10/atom10_namespace.xml", "tests/wellformed/atom10/atom10_version.xml",
        "tests/wellformed/atom10/feed_title.xml",
        "tests/wellformed/atom10/entry_title.xml", "tests/wellformed/atom10/entry_link_href.xml",
        "tests/wellformed/atom/entry_published_parsed.xml", "tests/wellformed/atom/entry_updated_parsed.xml",
        "tests/wellformed/atom/entry_published_parsed_date_overwriting.xml",
        "tests/wellformed/namespace/atomthreadingwithentry.xml",
        "tests/wellformed/atom10/entry_author_name.xml", "tests/wellformed/atom10/entry_authors_name.xml",
        "tests/wellformed/atom10/entry_content_value.xml", "tests/wellformed/atom10/entry_content_and_summary.xml",
        "tests/wellformed/atom10/entry_content_src.xml", "tests/wellformed/atom10/entry_content_base64.xml",
        "tests/wellformed/atom10/entry_content_inline_markup.xml", "tests/wellformed/atom10/entry_summary.xml",
        "tests/wellformed/atom10/entry_source_title.xml",
        "tests/wellformed/xml/*.xml", "tests/wellformed/node_precedence/*.xml",
        "tests/encoding/*.xml", "!tests/encoding/http_*.xml",
        "tests/illformed/*.xml", "tests/illformed/chardet/*.xml",
        "tests/json/*.json"]),
    ("feeds", "feed-rs/feed-rs", [
        "feed-rs/fixture/*/*.xml", "feed-rs/fixture/jsonfeed/jsonfeed_*[0-9].json",
        "feed-rs/fixture/rss2/rss_2.0_example_1.serde.json"]),
    ("feeds", "rust-syndication/rss", ["tests/data/*.xml"]),
    ("feeds", "rust-syndication/atom", ["tests/data/*.xml"]),
    ("feeds", "crawler-commons/crawler-commons", ["src/test/resources/rss/*"]),
    ("sitemaps", "crawler-commons/crawler-commons", [
        "src/test/resources/sitemaps/*", "src/test/resources/sitemaps/extension/*",
        "src/test/resources/robots/sitemap-robots.txt", "src/test/resources/robots/sitemap-robots-dedup.txt",
        "src/test/resources/robots/relative-sitemap-robots.txt",
        "src/test/resources/robots/robots-with-utf16be-bom.txt",
        "src/test/resources/robots/robots-with-utf16le-bom.txt",
        "src/test/resources/robots/robots-with-utf8-bom.txt",
        "src/test/resources/robots/dos-line-endings.txt",
        "src/test/resources/robots/rfc9309-example-simple-robots.txt",
        "src/test/resources/robots/twitter.com-robots.txt",
        "src/test/resources/robots/format-errors-robots.txt"]),
    ("sitemaps", "daveoconnor/site-map-parser", ["tests/*.xml"]),
    ("sitemaps", "oxffaa/gopher-parse-sitemap", ["testdata/*.xml"]),
]

# Paths relative to which a file keeps its sub-folders in the corpus (so that
# names stay unique and say where they came from); elsewhere only the base name.
KEEP_SUBPATH = {"kurtmckee/feedparser": "tests/", "feed-rs/feed-rs": "feed-rs/fixture/"}

# Files stored as upstream has them (not gzipped by us), and why. Files that
# upstream already compressed (gzip, lz4) are always stored as they are.
PLAIN = {
    ("webrecorder/warcio", "test/data/example.warc"): "plain .warc reading",
    ("webrecorder/warcio", "test/data/example.arc"): "plain .arc reading",
    ("webrecorder/warcio", "test/data/bad.arc"): "exact bytes of a damaged ARC",
    ("webrecorder/warcio", "test/data/example-trunc.warc"): "exact bytes of a truncated record",
    ("webrecorder/warcio", "test/data/example-iana.org-chunked.warc"): "plain .warc with chunked HTTP body",
    ("webrecorder/warcio.js", "test/data/example-bad-length.warc"): "exact bytes of a wrong Content-Length",
    ("commoncrawl/whirlwind-python", "whirlwind.warc.wat"): "plain .wat name",
    ("commoncrawl/whirlwind-python", "whirlwind.warc.wet"): "plain .wet name",
    ("kurtmckee/feedparser", "tests/wellformed/rss/rss_version_20.xml"): "plain feed (control)",
    ("kurtmckee/feedparser", "tests/wellformed/rdf/rss_version_10.xml"): "plain feed (control)",
    ("kurtmckee/feedparser", "tests/wellformed/atom10/entry_title.xml"): "plain feed (control)",
    ("kurtmckee/feedparser", "tests/json/example.json"): "plain JSON Feed (control)",
    ("kurtmckee/feedparser", "tests/encoding/utf-16le.xml"): "plain UTF-16 bytes, no BOM",
    ("crawler-commons/crawler-commons", "src/test/resources/sitemaps/sitemap.txt"): "plain text sitemap",
    ("crawler-commons/crawler-commons", "src/test/resources/sitemaps/sitemap-with-bom.txt"): "plain text sitemap with BOM",
    ("crawler-commons/crawler-commons", "src/test/resources/sitemaps/do-not-visit.txt"): "plain text list",
    ("crawler-commons/crawler-commons", "src/test/resources/sitemaps/sitemap.ns.xml"): "plain XML sitemap (control)",
    ("crawler-commons/crawler-commons", "src/test/resources/sitemaps/sitemap.index.xml"): "plain sitemap index (control)",
}
PLAIN_GLOBS = [
    ("netarchivesuite/jwat", "jwat-warc/src/test/resources/*.warc", "exact bytes of a small (in)valid WARC"),
    ("netarchivesuite/jwat", "jwat-arc/src/test/resources/test-arc-1.0-*.arc", "exact bytes of a small ARC"),
    ("netarchivesuite/jwat", "jwat-arc/src/test/resources/invalid-arcfile-record-then-garbage.arc", "exact bytes of a damaged ARC"),
    ("crawler-commons/crawler-commons", "src/test/resources/robots/*.txt", "robots.txt is read by name"),
]

# ---------------------------------------------------------------------------
# What the upstream tests say about a file (short, in our words), by (repo, path).
# feedparser's own 'Expect:' header and feed-rs's *.serde.json are read automatically.
# ---------------------------------------------------------------------------
U = {}
def ua(repo, path, text):
    U[(repo, path)] = text

W = "webrecorder/warcio"
ua(W, "test/data/example.warc", "valid; first response contains 'Example Domain'; indexed by warcio's CLI test")
ua(W, "test/data/example.warc.gz", "valid; first response contains 'Example Domain'")
ua(W, "test/data/example.arc", "valid ARC; records: arc header + 1 response")
ua(W, "test/data/example.arc.gz", "valid ARC; records: arc header + 1 response; converts to warcinfo + response")
ua(W, "test/data/example-space-in-url.arc", "valid ARC with a space in the URL; arc header + 1 response")
ua(W, "test/data/bad.arc", "damaged but recoverable: invalid lengths; still read as arc header + 3 responses")
ua(W, "test/data/example-trunc.warc", "damaged but recoverable: a response's Content-Length truncated; "
   "read as warcinfo, warcinfo, response, request with 1 error")
ua(W, "test/data/example-bad.warc.gz.bad", "invalid: warcio must fail to load it")
ua(W, "test/data/example-bad-non-chunked.warc.gz", "invalid for warcio: whole-file (non per-record) gzip is refused")
ua(W, "test/data/example-resource.warc.gz", "valid; records warcinfo, warcinfo, resource; the resource has no HTTP headers")
ua(W, "test/data/example-iana.org-chunked.warc", "valid; first response body is chunked HTML of iana.org")
ua(W, "test/data/example-wget-bad-target-uri.warc.gz", "wget's '<...>' Target-URI bug; warcio corrects it to http://example.com/")
ua(W, "test/data/example-space-in-target-uri.warc.gz", "resource with a space in its Target-URI (warcio percent-encodes it)")
ua(W, "test/data/example-digest.warc", "digest checks: some records fail digest verification")
ua(W, "test/data/example-wrong-chunks.warc.gz", "chunked HTTP body with wrong chunk sizes (digest check test)")
ua("webrecorder/warcio.js", "test/data/example-bad-length.warc", "wrong lengths; warcio.js still indexes a 200 text/html response and a revisit of http://example.com/")
ua("webrecorder/warcio.js", "test/data/example-url-agnostic-revisit.warc.gz", "URL-agnostic revisit record")
ua("webrecorder/warcio.js", "test/data/post-test-more.warc", "POST request/response pairs to httpbin.org (JSON responses)")
ua("webrecorder/warcio.js", "test/data/redirect.warc", "a redirect response")
ua("iipc/jwarc", "test-resources/org/netpreserve/jwarc/cc.warc.gz", "valid single-record WARC")
ua("iipc/jwarc", "test-resources/org/netpreserve/jwarc/gzip_extra_sl.warc.gz", "gzip member with an extra field; decompresses to WARC/1.0")
C = "chatnoir-eu/chatnoir-resiliparse"
ua(C, "tests/data/warcfile.warc.gz", "valid; 50 records, 16 of each of the main types")
ua(C, "tests/data/clipped.warc.gz", "damaged: records' blocks shorter than Content-Length, digests fail; still iterable")
ua(C, "tests/data/clueweb-quirk.warc.gz", "ClueWeb09 quirks (WARC/0.18, LF-only HTTP headers); 30 records")
ua(C, "tests/data/block-sized-records.warc.gz", "records sized to the reader buffer; offsets of 3 records checked")
ua(C, "tests/data/block-sized-records.warc.lz4", "same records, LZ4-compressed")
J = "netarchivesuite/jwat"
ua(J, "jwat-warc/src/test/resources/valid-warcfile-fields-continuation.warc",
   "valid: 1 record, 0 errors, every header value on a continuation (folded) line")
ua(J, "jwat-arc/src/test/resources/small_BNF.arc", "valid ARC v1; 6 records")
ua(J, "jwat-arc/src/test/resources/1-1-20110922131213-00000-svc-VirtualBox.arc", "valid ARC v1.1; 102 records")
ua(J, "jwat-arc/src/test/resources/invalid-arcfile-record-then-garbage.arc", "invalid: a record followed by garbage")
ua(J, "jwat-warc/src/test/resources/invalid-warcfile-record-then-garbage.warc", "invalid: a record followed by garbage")
CC = "crawler-commons/crawler-commons"
ua(CC, "src/test/resources/sitemaps/sitemap.ns.xml", "2 URLs")
ua(CC, "src/test/resources/sitemaps/sitemap.index.xml", "sitemap index of 15 sitemaps")
ua(CC, "src/test/resources/sitemaps/xmlSitemap.gz", "gzipped XML sitemap, 5 URLs")
ua(CC, "src/test/resources/sitemaps/sitemap.txt.gz", "gzipped text sitemap, 5 URLs")
ua(CC, "src/test/resources/sitemaps/atom.xml", "Atom feed read as a sitemap: 1 URL")
ua(CC, "src/test/resources/rss/feed.rss", "RSS read as a sitemap: 4 URLs")
ua(CC, "src/test/resources/rss/xmlRss_pubDate.xml", "RSS read as a sitemap: 7 items")
ua(CC, "src/test/resources/sitemaps/sitemap.badns.xml", "wrong namespace: strict parsing drops the URLs, lax parsing finds them")

# Kinds fixed by hand where sniffing cannot tell (checked by reading the files).
KIND_OVERRIDE = {
    ("chatnoir-eu/chatnoir-resiliparse", "tests/data/block-sized-records.warc.lz4"): "other: LZ4-compressed WARC",
    ("commoncrawl/whirlwind-python", "CC-MAIN-2024-22.warc.paths.gz"): "other: list of WARC file paths (gzip)",
    ("iipc/webarchive-commons", "src/test/resources/org/archive/format/gzip/empty.gz"): "other: gzip of an empty file",
    ("iipc/webarchive-commons", "src/test/resources/org/archive/format/gzip/double-single-inflate-error.gz"): "other: damaged gzip",
    ("crawler-commons/crawler-commons", "src/test/resources/sitemaps/do-not-visit.txt"): "sitemap-text",
}

# ---------------------------------------------------------------------------


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        import warcio, feedparser  # noqa
        from importlib.metadata import version
        for name, want in PINS.items():
            got = version(name)
            if got != want:
                sys.exit(f"{name} {got} in {VENV}, want {want}")
        return
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([py, "-m", "pip", "install", "-q"] + [f"{k}=={v}" for k, v in PINS.items()])
    os.execv(py, [py] + sys.argv)


def git(repo, *args):
    d = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    return subprocess.run(["git", "-C", d] + list(args), check=True, capture_output=True).stdout


def tree(repo):
    c = REPOS[repo]["commit"]
    out = git(repo, "ls-tree", "-r", "--name-only", c).decode()
    return out.splitlines()


def blob(repo, path):
    return git(repo, "show", f"{REPOS[repo]['commit']}:{path}")


def select():
    out = []
    for eco, repo, pats in SELECT:
        names = tree(repo)
        inc = [p for p in pats if not p.startswith("!")]
        exc = [p[1:] for p in pats if p.startswith("!")]
        for n in names:
            if any(fnmatch.fnmatchcase(n, p) and n.count("/") == p.count("/") for p in inc) \
                    and not any(fnmatch.fnmatchcase(n, p) for p in exc):
                out.append((eco, repo, n))
        for p in inc:
            if not any(fnmatch.fnmatchcase(n, p) for n in names):
                sys.exit(f"no file for {repo}:{p}")
    return out


def is_plain(repo, path):
    if (repo, path) in PLAIN:
        return PLAIN[(repo, path)]
    for r, g, why in PLAIN_GLOBS:
        if r == repo and fnmatch.fnmatchcase(path, g):
            return why
    return None


def already_compressed(data):
    return data[:2] == b"\x1f\x8b" or data[:4] == b"\x04\x22\x4d\x18"


def dest_name(repo, path):
    pre = KEEP_SUBPATH.get(repo)
    return path[len(pre):] if pre and path.startswith(pre) else os.path.basename(path)


def gz(data):
    b = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=b, mtime=0, compresslevel=9) as f:
        f.write(data)
    return b.getvalue()


def gunzip_tolerant(data):
    """All gzip members, as far as they decompress; (bytes, error or None)."""
    out, err, pos = [], None, 0
    while pos < len(data):
        if data[pos:pos + 2] != b"\x1f\x8b":
            if data[pos:].strip(b"\0\r\n\t "):
                err = f"trailing non-gzip bytes at {pos}"
            break
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out.append(d.decompress(data[pos:]))
            out.append(d.flush())
        except zlib.error as e:
            err = f"zlib: {e}"
            break
        if not d.eof:
            err = "truncated gzip member"
            break
        pos = len(data) - len(d.unused_data)
    return b"".join(out), err


# ---------------------------------------------------------------------------
# Kinds, by reading the bytes
# ---------------------------------------------------------------------------

def decode_guess(b):
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                     (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if b.startswith(bom):
            return b[len(bom):].decode(enc, "replace")
    head = b[:4]
    for pat, enc in ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                     (b"\x00<\x00", "utf-16-be"), (b"<\x00", "utf-16-le")):
        if head.startswith(pat):
            return b.decode(enc, "replace")
    if len(b) > 3 and b[0] == 0 and b[2] == 0 and b[1] and b[3]:
        return b.decode("utf-16-be", "replace")
    if len(b) > 3 and b[1] == 0 and b[3] == 0 and b[0] and b[2]:
        return b.decode("utf-16-le", "replace")
    return b.decode("utf-8", "replace")


def xml_root(text):
    """Local name, namespace and attributes of the first element (a light scan)."""
    t = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    t = re.sub(r"<\?.*?\?>", "", t, flags=re.S)
    t = re.sub(r"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", "", t, flags=re.S | re.I)
    m = re.search(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)([^>]*)>", t)
    if not m:
        return None
    prefix, local, attrs = (m.group(1) or "")[:-1], m.group(2), m.group(3)
    ns = None
    for am in re.finditer(r"xmlns(?::([\w.\-]+))?\s*=\s*[\"']([^\"']*)[\"']", attrs):
        if (am.group(1) or "") == prefix:
            ns = am.group(2)
    ver = re.search(r"\bversion\s*=\s*[\"']([^\"']*)", attrs)
    return local, ns, ver.group(1) if ver else None


def sniff(data):
    """(kind, detail) from the (decompressed) bytes."""
    head = data[:4096]
    if head.startswith(b"WARC/"):
        ver = head.split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode("latin-1").strip()
        types = set(re.findall(rb"(?im)^WARC-Type:\s*(\S+)", data[:200000]))
        cts = re.findall(rb"(?im)^Content-Type:\s*([^\r\n;]+)", data[:200000])
        if types <= {b"warcinfo", b"metadata"} and b"application/json" in [c.strip().lower() for c in cts]:
            return "wat", ver
        if types <= {b"warcinfo", b"conversion"} and b"conversion" in types:
            return "wet", ver
        return "warc", ver
    if head.startswith(b"filedesc://"):
        first = head.split(b"\n", 2)
        return "arc", "ARC version " + (first[1].split(b" ")[0].decode("latin-1") if len(first) > 1 else "?")
    if re.match(rb"\S+://\S* [0-9.:a-fA-F-]+ \d{14} \S+ \d+\r?\n", head):
        return "arc", "ARC records without a filedesc header"
    if not head.strip():
        return "other: empty", None
    text = decode_guess(data)
    s = text.lstrip("\ufeff \t\r\n")
    if s.startswith("{"):
        try:
            j = json.loads(s)
        except Exception as e:
            return "other: malformed JSON", str(e)[:80]
        v = j.get("version", "") if isinstance(j, dict) else ""
        if isinstance(v, str) and "jsonfeed.org" in v:
            return "feed-json", v
        return "other: non-feed JSON", None
    if s.startswith("<"):
        r = xml_root(s)
        if r is None:
            return "other: markup without an element", None
        local, ns, ver = r
        low = local.lower()
        if low == "rss":
            return "feed-rss", (f"RSS {ver}" if ver else "RSS, no version attribute") + (f" (default namespace {ns})" if ns else "")
        if low == "rdf":
            kids = re.findall(r"xmlns(?::\w+)?\s*=\s*[\"']([^\"']*)", s[:3000])
            if any("my.netscape.com/rdf/simple/0.9" in k for k in kids):
                return "feed-rdf", "RSS 0.90"
            return "feed-rdf", "RSS 1.0"
        if low == "feed":
            if ns == "http://www.w3.org/2005/Atom":
                return "feed-atom", "Atom 1.0"
            if ns and "purl.org/atom" in ns:
                return "feed-atom", f"Atom {ver or '0.3'}"
            return "feed-atom", f"feed element, namespace {ns}"
        if low == "urlset":
            return "sitemap-urlset", ns
        if low == "sitemapindex":
            return "sitemap-index", ns
        if low == "entry" and ns == "http://www.w3.org/2005/Atom":
            return "other: Atom entry document (root <entry>, no <feed>)", ns
        if low in ("html", "body", "head"):
            return "html", None
        return f"other: XML <{local}>", ns
    lines = [l.strip() for l in s.splitlines() if l.strip() and not l.strip().startswith("#")]
    if lines and any(re.match(r"(?i)(user-agent|disallow|allow|sitemap|crawl-delay)\s*:", l) for l in lines):
        return "robots", None
    if lines and all(re.match(r"https?://\S+$", l) for l in lines):
        return "sitemap-text", None
    return "other: text", None


# ---------------------------------------------------------------------------
# Independent readers
# ---------------------------------------------------------------------------
HTMLISH = ("text/html", "application/xhtml+xml", "text/plain")


def mime(v):
    return (v or "").split(";")[0].strip().lower() or None


def text_facts(body, ctype):
    """A rough, independent look at a decoded payload: its <title> and how much text it has."""
    t = body.decode("utf-8", "replace")
    out = {}
    if ctype != "text/plain":
        m = re.search(r"(?is)<title[^>]*>(.*?)</title>", t)
        if m:
            out["html_title"] = re.sub(r"\s+", " ", m.group(1)).strip()[:200]
        t = re.sub(r"(?is)<(script|style|noscript)[^>]*>.*?</\1\s*>", " ", t)
        t = re.sub(r"(?s)<!--.*?-->", " ", t)
        t = re.sub(r"(?s)<[^>]*>", " ", t)
    out["text_chars"] = len(re.sub(r"\s+", " ", t).strip())
    return out


def read_warc(data):
    from warcio.archiveiterator import ArchiveIterator
    res = {"reader": f"warcio {PINS['warcio']} ArchiveIterator(arc2warc=False)",
           "records_by_type": {}, "html_responses": [], "revisits": [], "conversion_uris": [],
           "metadata_records": 0, "error": None}
    types = collections.Counter()
    it = None
    try:
        it = ArchiveIterator(io.BytesIO(data), arc2warc=False)
        for rec in it:
            t = rec.rec_type
            types[t] += 1
            h = rec.rec_headers
            uri = h.get_header("WARC-Target-URI") or h.get_header("uri")
            body = rec.content_stream().read()
            status = None
            ctype = None
            if rec.http_headers is not None and t in ("response", "revisit", "resource"):
                try:
                    status = int(rec.http_headers.get_statuscode())
                except (TypeError, ValueError):
                    status = rec.http_headers.get_statuscode()
                ctype = mime(rec.http_headers.get_header("Content-Type"))
            if t == "resource" and ctype is None:
                ctype = mime(h.get_header("Content-Type"))
            if t in ("response", "resource"):
                ok = (status is None and t == "resource") or (isinstance(status, int) and 200 <= status < 300)
                if ok and ctype in HTMLISH:
                    res["html_responses"].append({"uri": uri, "type": t, "status": status, "content_type": ctype,
                                                  "payload_bytes": len(body), **text_facts(body, ctype)})
            elif t == "revisit":
                res["revisits"].append({"uri": uri, "status": status})
            elif t == "conversion":
                res["conversion_uris"].append(uri)
            elif t == "metadata":
                res["metadata_records"] += 1
    except Exception as e:  # warcio's own verdict on the file
        res["error"] = f"{type(e).__name__}: {str(e)[:160]}"
    res["records_by_type"] = dict(sorted(types.items()))
    res["records"] = sum(types.values())
    if it is not None and getattr(it, "err_count", 0):
        res["warcio_err_count"] = it.err_count
    if not res["revisits"]:
        del res["revisits"]
    if not res["conversion_uris"]:
        del res["conversion_uris"]
    return res


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", t) if t else None


def read_feed(data, kind):
    import feedparser
    hdr = {"content-type": "application/feed+json"} if kind == "feed-json" else None
    d = feedparser.parse(data, response_headers=hdr) if hdr else feedparser.parse(data)
    ex = d.get("bozo_exception")
    res = {"reader": f"feedparser {PINS['feedparser']}" + (" (told content-type application/feed+json)" if hdr else ""),
           "version": d.get("version") or None,
           "encoding": d.get("encoding"),
           "bozo": bool(d.get("bozo")),
           "bozo_exception": f"{type(ex).__name__}: {str(ex)[:160]}" if ex else None,
           "feed_title": d.feed.get("title"),
           "entries": []}
    for e in d.entries:
        content = "".join(c.get("value", "") for c in e.get("content", []) or [])
        res["entries"].append({
            "title": e.get("title"),
            "link": e.get("link"),
            "published": iso(e.get("published_parsed")),
            "published_raw": e.get("published"),
            "updated": iso(e.get("updated_parsed")),
            "updated_raw": e.get("updated"),
            "author": e.get("author"),
            "has_content": bool(content.strip()),
            "has_summary": bool((e.get("summary") or "").strip()),
        })
    res["entry_count"] = len(res["entries"])
    return res


def read_sitemap(data, kind):
    res = {"reader": "Python xml.etree.ElementTree (namespace-agnostic <loc> under <url>/<sitemap>)",
           "locs": [], "sitemap_locs": [], "error": None}
    bare = []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        res["error"] = f"ParseError: {e}"
        return res
    res["root"] = root.tag
    for el in root:
        parent = el.tag.rsplit("}", 1)[-1]
        for c in el:
            if c.tag.rsplit("}", 1)[-1] == "loc" and c.text is not None:
                (res["locs"] if parent == "url" else res["sitemap_locs"] if parent == "sitemap" else []).append(c.text.strip())
        if parent in ("url", "sitemap") and not any(c.tag.rsplit("}", 1)[-1] == "loc" for c in el) and (el.text or "").strip():
            bare.append(el.text.strip())
    if bare:
        res["children_without_loc_text"] = bare
    return res


def read_text_sitemap(data):
    text = decode_guess(data).lstrip("\ufeff")
    locs = [l.strip() for l in text.splitlines() if re.match(r"https?://", l.strip())]
    other = [l.strip() for l in text.splitlines() if l.strip() and not re.match(r"https?://", l.strip())]
    return {"reader": "line split (lines starting http:// or https://)", "locs": locs, "other_lines": len(other)}


def read_robots(data):
    text = decode_guess(data).lstrip("\ufeff")
    sm = [m.group(1).strip() for m in re.finditer(r"(?im)^\s*sitemap\s*:\s*(\S+)", text)]
    uas = len(re.findall(r"(?im)^\s*user-agent\s*:", text))
    return {"reader": "line split (Sitemap: lines, case-insensitive)", "sitemap_lines": sm, "user_agent_lines": uas}


def restate(expr):
    """feedparser's 'Expect:' condition, restated as plain facts (field = value; ...)."""
    e = re.sub(r"\bnot bozo\b", "well-formed", expr)
    e = re.sub(r"(?<![\w-])bozo\b", "ill-formed", e)
    e = re.sub(r"entries\[(\d+)\]", r"entry \1", e)
    e = re.sub(r"\[(\d+)\]", r" #\1", e)
    e = re.sub(r"\['([\w:-]+)'\]", r" \1", e)
    e = e.replace(" == ", " = ").replace(" and ", "; ")
    e = re.sub(r"\s+", " ", e)
    return e.strip()


def feedparser_expect(data):
    for enc in ("utf-8", "utf-16", "utf-32", "utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le", "latin-1"):
        try:
            t = data.decode(enc)
        except UnicodeDecodeError:
            continue
        m = re.search(r"Expect:\s*(.+)", t)
        if m:
            e = restate(m.group(1).strip())
            return "feedparser's test: " + (e if len(e) <= 140 else e[:137] + "...")
    return None


def feedrs_expect(repo, path, names):
    base = path[:-4] if path.endswith(".xml") else path[:-5]
    sj = base + ".serde.json"
    if sj not in names:
        return None
    j = json.loads(blob(repo, sj))
    ents = j.get("entries") or []
    t = (j.get("title") or {}).get("content")
    s = f"feed-rs reads {len(ents)} entries"
    if t:
        s += f"; feed title '{t[:60]}'"
    if ents and (ents[0].get("title") or {}).get("content"):
        s += f"; first entry title '{ents[0]['title']['content'][:60]}'"
    if ents and ents[0].get("published"):
        s += f"; first entry published {ents[0]['published']}"
    return s


# ---------------------------------------------------------------------------


def build(out):
    files = select()
    os.makedirs(os.path.join(out, "LICENSES"), exist_ok=True)
    entries, seen = [], set()
    trees = {}
    for eco, repo, path in files:
        if repo not in trees:
            trees[repo] = set(tree(repo))
        raw = blob(repo, path)
        plain_why = is_plain(repo, path)
        upstream_compressed = already_compressed(raw)
        if upstream_compressed:
            stored, note, body = raw, "as upstream (already compressed)", raw
            name = dest_name(repo, path)
        elif plain_why:
            stored, note, body = raw, f"plain: {plain_why}", raw
            name = dest_name(repo, path)
        else:
            stored, note, body = gz(raw), "gzipped by us (whole file, one member)", raw
            name = dest_name(repo, path) + ".gz"
        rel = f"{eco}/{repo}/{name}"
        assert rel not in seen, rel
        seen.add(rel)
        p = os.path.join(out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(stored)

        # What the bytes are (decompressed view for compressed ones)
        view, gzerr = raw, None
        if raw[:2] == b"\x1f\x8b":
            view, gzerr = gunzip_tolerant(raw)
        kind, detail = sniff(view)
        if (repo, path) in KIND_OVERRIDE:
            kind = KIND_OVERRIDE[(repo, path)]
        e = {"path": rel, "upstream": f"{repo}@{REPOS[repo]['commit']}:{path}",
             "licence": REPOS[repo]["licence"], "bytes": len(stored),
             "sha256": hashlib.sha256(stored).hexdigest(), "stored": note,
             "kind": kind}
        if detail:
            e["kind_detail"] = detail
        if gzerr:
            e["gzip_error"] = gzerr
        if kind in ("warc", "arc", "wat", "wet") or (kind.startswith("other") and "WARC" in kind):
            if kind.startswith("other"):
                e["warcio"] = read_warc(raw)
            else:
                # warcio refuses whole-file gzip, so a file we gzipped is read as upstream has it
                e["warcio"] = read_warc(body)
                if stored is not body:
                    e["warcio"]["note"] = "read on the uncompressed upstream bytes (the stored .gz is one whole-file member)"
        elif kind.startswith("feed-"):
            e["feedparser"] = read_feed(view, kind)
        elif kind in ("sitemap-urlset", "sitemap-index"):
            e["sitemap"] = read_sitemap(view, kind)
        elif kind == "sitemap-text":
            e["sitemap"] = read_text_sitemap(view)
        elif kind == "robots":
            e["robots"] = read_robots(view)
        elif kind.startswith("other: XML") or kind.startswith("other: Atom entry") or kind.startswith("other: malformed") \
                or kind == "other: markup without an element":
            # XML that is no feed by its root: what feedparser and ElementTree make of it
            e["feedparser"] = read_feed(view, kind)
            e["sitemap"] = read_sitemap(view, kind)
        asserts = U.get((repo, path))
        if repo == "kurtmckee/feedparser":
            asserts = feedparser_expect(view) or asserts
        elif repo == "feed-rs/feed-rs" and not path.endswith(".serde.json"):
            asserts = feedrs_expect(repo, path, trees[repo]) or asserts
        elif repo == "netarchivesuite/jwat" and not asserts:
            b = os.path.basename(path)
            if b.startswith("valid-"):
                asserts = "valid in JWAT's tests (file name and test tables)"
            elif b.startswith("invalid-"):
                asserts = "invalid in JWAT's tests: " + b[len("invalid-"):].rsplit(".", 1)[0].replace("-", " ")
        if asserts:
            e["upstream_asserts"] = asserts
        entries.append(e)

    # Licences
    for repo, r in REPOS.items():
        parts = [f"Licence of files taken from https://github.com/{repo}",
                 f"repository: {repo}", f"commit: {r['commit']}", f"licence: {r['licence']}"]
        if r.get("licence_note"):
            parts.append("note: " + r["licence_note"])
        parts.append("")
        for lf in r["licence_files"]:
            parts += [f"===== {lf} (at {r['commit']}) =====", blob(repo, lf).decode("utf-8", "replace"), ""]
        if r.get("licence_from"):
            frepo, fpath = r["licence_from"]
            parts += [f"===== {fpath} of {frepo} at {REPOS[frepo]['commit']} (standard Apache-2.0 text) =====",
                      blob(frepo, fpath).decode(), ""]
        if r.get("licence_readme"):
            t = blob(repo, r["licence_readme"]).decode()
            m = re.search(r"By default, the license.*?CC0[^.]*\.", t, re.S)
            parts += [f"===== licence statement in {r['licence_readme']} (at {r['commit']}) =====",
                      m.group(0) if m else "(statement not found)", "",
                      "CC0 1.0 Universal: https://creativecommons.org/publicdomain/zero/1.0/legalcode", ""]
        with open(os.path.join(out, "LICENSES", repo.replace("/", "+") + ".txt"), "w") as f:
            f.write("\n".join(parts))

    manifest = {
        "schema": "gleaner.inputs-manifest/1",
        "generated_by": "scripts/build-inputs-corpus.py",
        "readers": dict(PINS, python=sys.version.split()[0]),
        "html_content_types": list(HTMLISH),
        "repos": {k: {"commit": v["commit"], "licence": v["licence"]} for k, v in REPOS.items()},
        "files": sorted(entries, key=lambda e: e["path"]),
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")
    return manifest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare with testdata/inputs")
    a = ap.parse_args()
    ensure_venv()
    if a.check:
        tmp = tempfile.mkdtemp()
        build(tmp)
        r = subprocess.run(["diff", "-r", "-x", "README.md", tmp, OUT])
        shutil.rmtree(tmp)
        sys.exit(r.returncode)
    keep = os.path.join(OUT, "README.md")
    readme = open(keep).read() if os.path.exists(keep) else None
    for d in ("warc", "feeds", "sitemaps", "LICENSES"):
        shutil.rmtree(os.path.join(OUT, d), ignore_errors=True)
    m = build(OUT)
    if readme is not None:
        open(keep, "w").write(readme)
    n = len(m["files"])
    size = sum(e["bytes"] for e in m["files"])
    print(f"{n} files, {size} bytes -> {OUT}")


if __name__ == "__main__":
    main()
