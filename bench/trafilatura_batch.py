"""Batch worker for bench/extract-speed.py: run trafilatura over a folder of pages.

Run with the bench venv's python (it must have trafilatura installed):

    python trafilatura_batch.py IN_DIR OUT_DIR

Reads every IN_DIR/<id>.html as UTF-8 text, calls
trafilatura.extract(html, include_comments=False) and writes OUT_DIR/<id>.txt
(an empty file when trafilatura returns nothing). Prints one JSON line on
stdout: pages, empty (pages with no output), loop_seconds (the read + extract
+ write loop only: interpreter start and imports excluded) and
import_seconds.
"""

import json
import os
import sys
import time


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    in_dir, out_dir = sys.argv[1], sys.argv[2]

    t_import = time.perf_counter()
    import trafilatura  # noqa: E402  (timed separately on purpose)

    import_seconds = time.perf_counter() - t_import
    from lxml.etree import __version__ as lxml_version

    names = sorted(n for n in os.listdir(in_dir) if n.endswith(".html"))
    os.makedirs(out_dir, exist_ok=True)

    empty = 0
    start = time.perf_counter()
    for name in names:
        with open(os.path.join(in_dir, name), encoding="utf-8", errors="replace") as f:
            html = f.read()
        text = trafilatura.extract(html, include_comments=False)
        if not text:
            empty += 1
            text = ""
        with open(os.path.join(out_dir, name[: -len(".html")] + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
    loop_seconds = time.perf_counter() - start

    print(
        json.dumps(
            {
                "pages": len(names),
                "empty": empty,
                "loop_seconds": loop_seconds,
                "import_seconds": import_seconds,
                "trafilatura": trafilatura.__version__,
                "lxml": lxml_version,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
