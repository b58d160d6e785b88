"""The GIL is released while Rust works: another Python thread keeps running."""

from __future__ import annotations

import threading
import time

import gleaner


def _busy_share(call) -> tuple[float, float]:
    """Runs `call` on a thread while this thread spins; returns the share of
    the call's duration this thread spent running, and that duration."""
    # This thread's loop rate alone, to turn iteration counts into time.
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.05:
        n += 1
    per_iter = 0.05 / n

    window = {}

    def work():
        window["start"] = time.perf_counter()
        call()
        window["end"] = time.perf_counter()

    t = threading.Thread(target=work)
    stamps = []
    t.start()
    while t.is_alive():
        stamps.append(time.perf_counter())
    t.join()
    inside = sum(1 for s in stamps if window["start"] < s < window["end"])
    duration = window["end"] - window["start"]
    return inside * per_iter / duration, duration


def test_other_python_threads_run_during_an_extract_call():
    para = ("<p>The harbour authority in Rostock said on Monday that the new terminal would open "
            "in June, after three years of work and a budget of 120 million euros.</p>")
    page = "<html><body><article>" + para * 12000 + "</article></body></html>"

    def extracts():
        # Long enough to measure on a fast, quiet machine too: repeat the
        # call for at least 0.6 s (each call releases the GIL for its work).
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 0.6:
            gleaner.extract(page)

    share, duration = _busy_share(extracts)
    # Holding the GIL for the call leaves this thread a switch interval or
    # two (5 ms each): a C call that holds it (json.loads of a large
    # document) measures 0.2 % here. Released, this thread runs for whatever
    # share of a core the machine gives it (~20 % on a loaded 2-core box).
    assert share > 0.05, f"this thread ran {share:.0%} of a {duration:.2f} s extract call"
