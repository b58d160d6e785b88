"""A small WARC/1.1 writer for tests and benchmarks (our own; standard library only).

It writes what crawlers write: one ``response`` record per page holding an
HTTP/1.1 200 response, each record its own gzip member in ``.warc.gz``, plus a
``warcinfo`` record first. ``damage`` lets a test break one record on purpose.
"""

from __future__ import annotations

import gzip
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass
class Written:
    """What was written for one page: its WARC-Record-ID and address."""

    record_id: str
    url: str


def _record(warc_type: str, record_id: str, date: str, content_type: str, block: bytes, uri: str | None) -> bytes:
    head = [
        "WARC/1.1",
        f"WARC-Type: {warc_type}",
        f"WARC-Record-ID: {record_id}",
        f"WARC-Date: {date}",
    ]
    if uri is not None:
        head.append(f"WARC-Target-URI: {uri}")
    head += [f"Content-Type: {content_type}", f"Content-Length: {len(block)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + block + b"\r\n\r\n"


def response_record(url: str, body: bytes, *, date: str = "2024-05-01T12:00:00Z",
                    content_type: str = "text/html; charset=utf-8") -> tuple[str, bytes]:
    """A ``response`` record for ``body`` fetched from ``url``; returns (record id, bytes)."""
    http = (
        f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode("ascii") + body
    rid = f"<urn:uuid:{uuid.uuid4()}>"
    return rid, _record("response", rid, date, "application/http; msgtype=response", http, url)


def write_warc(path: Path, pages: Iterable[tuple[str, bytes]], *, gz: bool = True,
               damage: dict[int, str] | None = None, date: str = "2024-05-01T12:00:00Z") -> list[Written]:
    """Writes ``pages`` ((url, body) pairs) as a WARC at ``path``.

    ``damage`` maps a page index to how to break its record:
    ``"truncate"`` cuts its gzip member (or record) in half, ``"corrupt"``
    overwrites bytes in the middle of its gzip member (``gz`` only).
    Returns what was written for every page, damaged ones included.
    """
    damage = damage or {}
    written: list[Written] = []
    info = _record("warcinfo", f"<urn:uuid:{uuid.uuid4()}>", date, "application/warc-fields",
                   b"software: gleaner test writer\r\n", None)
    chunks = [gzip.compress(info) if gz else info]
    for i, (url, body) in enumerate(pages):
        rid, rec = response_record(url, body, date=date)
        data = gzip.compress(rec) if gz else rec
        how = damage.get(i)
        if how == "truncate":
            data = data[: len(data) // 2]
        elif how == "corrupt":
            if not gz:
                raise ValueError("'corrupt' damages a gzip member; use gz=True")
            mid = len(data) // 2
            data = data[:mid] + bytes(b ^ 0x5A for b in data[mid : mid + 64]) + data[mid + 64 :]
        elif how is not None:
            raise ValueError(f"unknown damage {how!r}")
        chunks.append(data)
        written.append(Written(rid, url))
    Path(path).write_bytes(b"".join(chunks))
    return written
