#!/usr/bin/env python3
"""One `gleaner watch --once` round over a local fixture site: pages/s at the
rate limit, bytes written, the spacing the server saw; then the WARC files
checked by warcio (another WARC reader: record syntax, block and payload
digests) and read back by `gleaner ingest` to the same records.

    cargo build --release
    bench/watch-round.py                 # 20 pages at the default 1 request/s
    bench/watch-round.py --pages 200 --interval 0

The site runs in this process on 127.0.0.1 (a free port): robots.txt, one RSS
feed listing --pages article pages (each ~1.6 KB of text in ~2 KB of HTML)
plus a redirect, a gzip-encoded page, a page over --max-bytes, a page
robots.txt disallows and a 404, served with Connection: close. Nothing leaves the machine. warcio 1.8.1 is
and feedparser 6.0.14 (which reads the round's new records as
`gleaner search --since last-run --format atom` prints them) are installed
from PyPI into a venv at target/warcio-venv on first use (--no-warcio skips
both).

--feedvalidator DIR also checks the feed `gleaner serve` gives for the round
(GET /api/records.atom?since=<round start>) with the W3C Feed Validation
Service's own code: DIR is a checkout of github.com/w3c/feedvalidator (it is
not on PyPI; its requirements, lxml, html5lib and rdflib, go into the same
venv). Errors fail the run; warnings are printed.

--trafilatura fetches the same article pages from the same site, in the same
run, with trafilatura 2.3.1's own fetching (fetch_url, then extract), one
after the other with --interval seconds between requests as Gleaner keeps
them, and prints its pages/s beside Gleaner's and what it kept (the text only:
trafilatura writes no archival copy and no digest). trafilatura is installed
into target/bench-venv (the venv of bench/extract-speed.py).

--news-please does the same with news-please 1.6.16's NewsPlease.from_url
(images not fetched), installed into target/newsplease-venv."""

import argparse
import gzip
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))


def article(i):
    paras = "".join(
        f"<p>Report {i}, paragraph {p}: residents of the border town said the river crossing was closed "
        f"again this week, and that traders waiting at the bridge were sent home by the guards before noon. "
        f"Prices of rice and fuel in the market rose for the {p + 2}th day in a row.</p>"
        for p in range(6)
    )
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Report {i}</title></head>"
        f"<body><nav><a href=/>Home</a></nav><article><h1>Report {i}</h1>{paras}</article></body></html>"
    ).encode()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--interval", type=float, default=1.0, help="gleaner's --interval (default its own, 1 s)")
    ap.add_argument("--gleaner", default=os.path.join(ROOT, "target/release/gleaner"))
    ap.add_argument("--no-warcio", action="store_true")
    ap.add_argument("--trafilatura", action="store_true", help="fetch the same pages with trafilatura too")
    ap.add_argument("--news-please", action="store_true", help="fetch the same pages with news-please too")
    ap.add_argument("--feedvalidator", metavar="DIR", help="a checkout of github.com/w3c/feedvalidator")
    a = ap.parse_args()

    arrivals = []
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture</title>'
        "<description>d</description>"
        + "".join(f"<item><title>Report {i}</title><link>/news/{i}.html</link></item>" for i in range(a.pages))
        # What a real site also has, so warcio checks those records too: a
        # redirect chain, a gzip-encoded page, a page over --max-bytes (kept
        # truncated), one robots.txt disallows, a 404.
        + "".join(f"<item><title>{p}</title><link>{p}</link></item>"
                  for p in ["/moved/1", "/gz/1.html", "/big.html", "/private/1.html", "/gone.html"])
        + "</channel></rss>"
    ).encode()

    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            arrivals.append((time.monotonic(), self.path))
            if self.path == "/robots.txt":
                body, ctype = b"User-agent: *\nDisallow: /private/\n", "text/plain"
            elif self.path == "/feed.xml":
                body, ctype = feed, "application/rss+xml"
            elif self.path.startswith("/news/"):
                body, ctype = article(int(self.path[6:].split(".")[0])), "text/html; charset=utf-8"
            elif self.path == "/moved/1":
                self.send_response(301)
                self.send_header("Location", "/news/100000.html")
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                return
            elif self.path == "/gz/1.html":
                body = gzip.compress(article(100001))
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                return
            elif self.path == "/big.html":
                body, ctype = b"<html><body>" + b"x" * 300_000 + b"</body></html>", "text/html"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    work = tempfile.mkdtemp(prefix="gleaner-watch-bench-")
    try:
        db, warc = os.path.join(work, "g.db"), os.path.join(work, "warc")
        cmd = [a.gleaner, "watch", base + "/feed.xml", "--once", "--db", db, "--warc-dir", warc,
               "--allow-private", "--interval", str(a.interval), "--max-bytes", "200000", "--json", "--quiet"]
        t0 = time.monotonic()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        wall = time.monotonic() - t0
        r = json.loads(out.stdout.splitlines()[0])
        gaps = [b[0] - x[0] for x, b in zip(arrivals, arrivals[1:])]
        files = sorted(os.path.join(warc, f) for f in os.listdir(warc))
        size = sum(os.path.getsize(f) for f in files)
        print(f"command: {' '.join(cmd[1:2])} <feed> --once --allow-private --interval {a.interval}")
        print(f"pages fetched      {r['pages']} ({r['new_records']} new records, {r['archived']} archived, "
              f"{r['disallowed']} disallowed, {r['requests']} requests)")
        print(f"fetching part      {r['pages'] / r['pages_per_second'] if r['pages_per_second'] else 0:.2f} s "
              f"-> {r['pages_per_second']:.2f} pages/s at --interval {a.interval}")
        print(f"whole round        {r['seconds']:.2f} s (process wall {wall:.2f} s)")
        print(f"WARC bytes         {r['warc_bytes']} reported, {size} on disk in {len(files)} file(s), "
              f"{size / max(r['pages'], 1):.0f} bytes/page")
        print(f"server-seen gaps   min {min(gaps) if gaps else 0:.3f} s, mean {sum(gaps) / max(len(gaps), 1):.3f} s")
        ok = True
        if not a.no_warcio:
            venv = os.path.join(ROOT, "target/warcio-venv")
            if not os.path.exists(os.path.join(venv, "bin/warcio")) or not os.path.exists(
                os.path.join(venv, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}",
                             "site-packages", "feedparser")):
                subprocess.run([sys.executable, "-m", "venv", venv], check=True)
                subprocess.run([os.path.join(venv, "bin/pip"), "install", "-q", "warcio==1.8.1",
                                "feedparser==6.0.14"], check=True)
            chk = subprocess.run([os.path.join(venv, "bin/warcio"), "check", "-v", *files],
                                 capture_output=True, text=True)
            digests = chk.stdout.count("digest pass")
            print(f"warcio check       exit {chk.returncode}, {digests} digests pass, "
                  f"{chk.stdout.count('digest fail')} fail")
            ok &= chk.returncode == 0
            # The round's new records as an Atom feed, read by another parser.
            atom = subprocess.run([a.gleaner, "search", "--db", db, "--since", "last-run", "--format", "atom",
                                   "--limit", "1000"], check=True, capture_output=True).stdout
            fp = subprocess.run([os.path.join(venv, "bin/python"), "-c",
                                 "import feedparser,sys; d=feedparser.parse(sys.stdin.buffer.read()); "
                                 "print(int(d.bozo), d.version, len(d.entries), len({e.id for e in d.entries}))"],
                                input=atom, capture_output=True, text=False, check=True).stdout.decode().split()
            print(f"Atom (feedparser)  {fp[1]}, well-formed {fp[0] == '0'}, {fp[2]} entries "
                  f"({fp[3]} distinct ids) for {r['new_records']} new records")
            ok &= fp[0] == "0" and fp[1] == "atom10" and int(fp[2]) == r["new_records"] == int(fp[3])
            if a.feedvalidator:
                ok &= w3c_check(a, venv, db, r)
        urls = [base + f"/news/{i}.html" for i in range(a.pages)]
        for name, wanted in (("trafilatura", a.trafilatura), ("news-please", a.news_please)):
            if not wanted:
                continue
            t = anchor_fetch(name, urls, a.interval, work)
            g_pps = r["pages_per_second"]
            print(f"{name + ' fetch':<18} {t['pages']} pages fetched and extracted in {t['seconds']:.2f} s -> "
                  f"{t['pps']:.2f} pages/s at --interval {a.interval} (Gleaner {g_pps:.2f} pages/s: "
                  f"{g_pps / t['pps'] if t['pps'] else 0:.2f}x, with analysis, dedup, store and WARC); "
                  f"{t['chars']} text chars kept, no archival copy")
        again = os.path.join(work, "again.db")
        subprocess.run([a.gleaner, "ingest", "--db", again, "--quiet", *files], check=False)

        def ids(d):
            o = subprocess.run([a.gleaner, "export", "--db", d, "--format", "jsonl"], check=True,
                               capture_output=True, text=True).stdout
            return sorted((v["id"], v["text"]) for v in map(json.loads, o.splitlines()))

        same = ids(db) == ids(again)
        print(f"re-ingested        {'the same records' if same else 'DIFFERENT records'} ({len(ids(again))})")
        ok &= same
        return 0 if ok else 1
    finally:
        srv.shutdown()
        shutil.rmtree(work, ignore_errors=True)


ANCHOR_FETCH = """
import json, sys, time
urls, interval, name = json.load(open(sys.argv[1])), float(sys.argv[2]), sys.argv[3]
if name == "trafilatura":
    import trafilatura
    from trafilatura.settings import use_config
    # Like Gleaner without --allow-private, trafilatura refuses loopback
    # addresses by default; the fixture site is on loopback.
    config = use_config()
    config.set("DEFAULT", "SSRF_PROTECTION", "off")

    def fetch(u):
        html = trafilatura.fetch_url(u, config=config)
        return trafilatura.extract(html, config=config) if html else None
else:
    from newsplease import NewsPlease

    def fetch(u):
        art = NewsPlease.from_url(u, fetch_images=False)
        return art.maintext if art else None
pages = chars = 0
t0 = time.monotonic()
for i, u in enumerate(urls):
    if i and interval:
        time.sleep(interval)
    text = fetch(u)
    if text:
        pages += 1
        chars += len(text)
print(json.dumps({"pages": pages, "chars": chars, "seconds": time.monotonic() - t0}))
"""

NEWSPLEASE_VERSION = "1.6.16"


def anchor_fetch(name, urls, interval, work):
    """An anchor's own fetch + extract over `urls`, spaced like Gleaner."""
    from pathlib import Path

    sys.path.insert(0, os.path.join(ROOT, "bench"))
    import benchlib  # noqa: E402

    if name == "trafilatura":
        es = benchlib.load_module(Path(ROOT) / "bench" / "extract-speed.py")
        py = es.ensure_venv(Path(ROOT) / "target" / "bench-venv")
    else:
        def fail(msg):
            sys.exit(f"watch-round: error: {msg}")

        py = benchlib.ensure_venv(
            Path(ROOT) / "target" / "newsplease-venv", [f"news-please=={NEWSPLEASE_VERSION}"],
            "import importlib.metadata as m, newsplease; print(m.version('news-please'))",
            lambda out: out == NEWSPLEASE_VERSION, f"news-please {NEWSPLEASE_VERSION}",
            lambda m: print(f"watch-round: {m}", file=sys.stderr), fail)
    listing = os.path.join(work, "urls.json")
    with open(listing, "w") as f:
        json.dump(urls, f)
    out = subprocess.run([str(py), "-c", ANCHOR_FETCH, listing, str(interval), name], check=True,
                         capture_output=True, text=True)
    t = json.loads(out.stdout.splitlines()[-1])
    t["pps"] = t["pages"] / t["seconds"] if t["seconds"] else 0.0
    return t


W3C_CHECK = """
import sys, urllib.request
sys.path.insert(0, sys.argv[1] + "/src")
import feedvalidator
from feedvalidator import compatibility, logging
from feedvalidator.formatter.text_plain import Formatter
url = sys.argv[2]
events = feedvalidator.validateURL(url, firstOccurrenceOnly=1)["loggedEvents"]
events = compatibility.AA(events)  # what the online service reports
errors = [e for e in events if isinstance(e, logging.Error)]
warnings = [e for e in events if isinstance(e, logging.Warning)]
entries = urllib.request.urlopen(url).read().count(b"<entry>")
print(len(errors), len(warnings), entries)
for line in Formatter(events):
    print(line)
"""


def w3c_check(a, venv, db, r):
    """Serve the store and run the W3C validator on the round's Atom feed."""
    py = os.path.join(venv, "bin/python")
    if subprocess.run([py, "-c", "import lxml, html5lib, rdflib"], capture_output=True).returncode != 0:
        subprocess.run([os.path.join(venv, "bin/pip"), "install", "-q", "-r",
                        os.path.join(a.feedvalidator, "requirements.txt")], check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = subprocess.Popen([a.gleaner, "serve", "--db", db, "--addr", f"127.0.0.1:{port}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/api/records.atom?since={r['started_at']}&limit=100"
        out = subprocess.run([py, "-c", W3C_CHECK, a.feedvalidator, url], capture_output=True, text=True)
    finally:
        srv.terminate()
        srv.wait()
    if out.returncode != 0:
        print(f"W3C feedvalidator  failed to run: {out.stderr.strip()[-300:]}")
        return False
    head, *lines = out.stdout.splitlines()
    errors, warnings, entries = map(int, head.split())
    print(f"W3C feedvalidator  served feed: {errors} errors, {warnings} warnings, {entries} entries "
          f"for {r['new_records']} new records (at most 100 served)")
    for line in lines:
        print(f"                   {line}")
    # The served feed holds at most 100 entries (the API's page limit).
    return errors == 0 and entries == min(r["new_records"], 100)


if __name__ == "__main__":
    sys.exit(main())
