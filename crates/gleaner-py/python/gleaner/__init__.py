"""Gleaner from Python: news pages and WARC archives to article records.

Every function returns records as plain dicts in the ``gleaner.record/1``
shape (``docs/record-v1.md``): exactly the JSON object ``gleaner extract``
prints, parsed. The work (decoding, extraction, analysis, WARC reading) runs
in Rust with the GIL released, so other Python threads keep running and
``jobs`` uses real cores.

    >>> import gleaner
    >>> rec = gleaner.extract(open("page.html", "rb").read(), url="https://example.org/a")
    >>> rec["title"], rec["published"], len(rec["entities"])

- :func:`extract` — one page (``str`` or ``bytes``; HTML or plain text, sniffed).
- :func:`extract_many` — many pages on ``jobs`` threads, streamed in input order.
- :func:`read_warc` — the pages of a WARC archive, plus rows for its bad records.
- :func:`ingest` — files, folders and archives into a store, as ``gleaner ingest``.
- :func:`flat_row` and :data:`FLAT_COLUMNS` — a record as the flat row of
  ``gleaner export`` (CSV columns; Parquet adds :data:`RECORD_COLUMN`).

Errors: :class:`ExtractError` (a page that cannot become a record),
:class:`WarcOpenError` / :class:`WarcNotFoundError` (an archive that cannot be
opened), :class:`StoreError` (a store that cannot be used); all derive from
:class:`GleanerError`.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Union

from . import _gleaner
from ._errors import ExtractError, GleanerError, StoreError, WarcNotFoundError, WarcOpenError

__all__ = [
    "extract",
    "extract_many",
    "read_warc",
    "ingest",
    "flat_row",
    "is_error",
    "GleanerError",
    "ExtractError",
    "WarcOpenError",
    "WarcNotFoundError",
    "StoreError",
    "RECORD_SCHEMA",
    "FLAT_COLUMNS",
    "RECORD_COLUMN",
    "DEFAULT_MAX_BYTES",
    "__version__",
]

RECORD_SCHEMA: str = _gleaner.RECORD_SCHEMA
__version__: str = _gleaner.__version__
#: The columns of a record as a flat row (``gleaner export --format csv``).
FLAT_COLUMNS: tuple[str, ...] = tuple(_gleaner.FLAT_COLUMNS)
#: The column Parquet outputs add after :data:`FLAT_COLUMNS`: the whole record as JSON.
RECORD_COLUMN: str = _gleaner.RECORD_COLUMN
#: The default ``max_bytes``, as the CLI's ``--max-bytes``.
DEFAULT_MAX_BYTES: int = _gleaner.DEFAULT_MAX_BYTES

Content = Union[str, bytes, bytearray]


def extract(
    content: Content,
    url: str | None = None,
    *,
    source: str = "-",
    analyse: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """Turn one page into a record dict.

    Args:
        content: the page. ``bytes`` are decoded the way the CLI decodes a
            file (gzip undone, charset from BOM, ``<meta>``, UTF-8 validity or
            detection); a ``str`` is taken as the text it is (a ``<meta
            charset>`` inside it is ignored). HTML or plain text is sniffed.
        url: the page's address (becomes ``url``; also resolves relative
            canonical links), like ``gleaner extract --url``.
        source: what ``input.path`` says; ``"-"`` (the default) is what the CLI
            writes for standard input, so ``extract(data)`` equals
            ``gleaner extract - < file`` field for field.
        analyse: run the analysis stage (entities, times, quantities, quotes,
            events); ``False`` is ``--no-analysis``.
        max_bytes: largest page accepted, after decompression (``--max-bytes``).

    Returns:
        The record as a dict.

    Raises:
        ExtractError: the page is empty, binary, too large or bad gzip; its
            ``category`` says which.
        TypeError: ``content`` is not ``str``, ``bytes`` or ``bytearray``.
    """
    return _gleaner.extract(content, url, source=source, analyse=analyse, max_bytes=max_bytes)


def extract_many(
    items: Iterable[Content | tuple[Content, str | None]],
    *,
    jobs: int | None = None,
    source: str = "-",
    analyse: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    errors: str = "raise",
) -> Iterator[dict[str, Any]]:
    """Turn many pages into records on ``jobs`` threads, streamed in input order.

    Args:
        items: any iterable (a generator is fine: it is consumed lazily, a few
            items per thread ahead). Each item is a page (``str`` / ``bytes``)
            or a ``(page, url)`` pair.
        jobs: worker threads; ``None`` means one per CPU.
        errors: ``"raise"`` (default) raises :class:`ExtractError` (with
            ``index``) when a failed page's turn comes (a ``for`` loop stops
            there; calling ``next()`` again goes on with the page after it);
            ``"return"`` yields an error row in that page's place instead:
            ``{"error": category, "reason": str, "input": source,
            "index": int, "url": str | None}``. Records never have an
            ``"error"`` key (see :func:`is_error`).
        source, analyse, max_bytes: as for :func:`extract`.

    Yields:
        One dict per item, in the order of ``items``.
    """
    return _gleaner.extract_many(
        items, jobs=jobs, source=source, analyse=analyse, max_bytes=max_bytes, errors=errors
    )


def read_warc(
    path: str | os.PathLike[str],
    *,
    jobs: int = 1,
    source: str | None = None,
    analyse: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    errors: str = "yield",
) -> Iterator[dict[str, Any]]:
    """Stream the records of a WARC archive (``.warc`` or ``.warc.gz``).

    Records are the ones ``gleaner ingest`` stores for the same archive
    (``input.kind`` is ``"warc"``, ``input.warc_record_id`` and
    ``fetched_at`` come from the WARC headers), before the store's
    near-duplicate pass: ``syndication.duplicate_of`` is never set here.

    Damage inside the archive does not stop the stream: each bad record
    (truncated or corrupt gzip member, wrong Content-Length, non-HTML payload,
    a page that is binary junk, ...) becomes an *error row* in its place::

        {"error": category, "reason": str, "input": path,
         "offset": int, "record": warc_record_id_or_url_or_None}

    ``category`` and ``offset`` are those ``gleaner ingest`` stores (see
    ``gleaner stats``). Tell rows apart with ``"error" in row`` or
    :func:`is_error`; ``errors="skip"`` leaves error rows out.

    Args:
        path: the archive (a local path; gzip is recognised by content).
        jobs: threads extracting pages while one reads the archive; records
            still come out in archive order.
        source: what ``input.path`` and error rows say (default: ``path`` as
            given, as the CLI does).
        analyse, max_bytes: as for :func:`extract`.
        errors: ``"yield"`` (default) or ``"skip"``.

    Raises:
        WarcNotFoundError: no such file.
        WarcOpenError: the file is empty or cannot be read.
    """
    return _gleaner.read_warc(
        path, jobs=jobs, source=source, analyse=analyse, max_bytes=max_bytes, errors=errors
    )


def ingest(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    db: str = "gleaner.db",
    jobs: int | None = None,
    analyse: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """Ingest pages, WARC archives, JSON Lines, feeds and sitemaps into a
    store, exactly as ``gleaner ingest --db DB INPUT...`` does: resumable,
    each text stored once with every address, bad records stored as errors,
    then the near-duplicate and event-merging pass.

    Args:
        inputs: files and folders (walked for the names ``gleaner ingest``
            takes).
        db: a SQLite file (created if missing) or a ``postgres://`` address.
        jobs: worker threads (default: every core).
        analyse, max_bytes: as for :func:`extract`.

    Returns:
        The run's summary, the object ``gleaner ingest --json`` prints.

    Raises:
        StoreError: the store cannot be opened, read or written.
    """
    return _gleaner.ingest([os.fspath(i) for i in inputs], db=db, jobs=jobs, analyse=analyse, max_bytes=max_bytes)


def flat_row(record: dict[str, Any]) -> list[str | None]:
    """A record dict as one flat row, in :data:`FLAT_COLUMNS` order: the
    columns ``gleaner export --format csv`` writes (``urls`` holds the
    record's own address). The Spark job's Parquet rows are these plus
    :data:`RECORD_COLUMN`.

    Raises:
        TypeError: ``record`` is not a ``gleaner.record/1`` record.
    """
    return _gleaner.flat_row(record)


def is_error(row: dict[str, Any]) -> bool:
    """Whether a row from :func:`read_warc` or :func:`extract_many` is an error row."""
    return "error" in row
