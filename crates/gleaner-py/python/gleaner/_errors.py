"""Exceptions raised by the gleaner package (the native module raises these by name)."""

from __future__ import annotations


class GleanerError(Exception):
    """Base class of every error gleaner raises on purpose."""


class ExtractError(GleanerError, ValueError):
    """A page could not be turned into a record.

    Attributes:
        category: short reason, as in the CLI's error report: "binary content",
            "empty input", "over --max-bytes", "bad gzip", ...
        reason: the full message for that category.
        source: the ``source`` name the page was given (``"-"`` by default).
        url: the page's address, when one was given.
        index: the position of the item in ``extract_many``'s input
            (``None`` for ``extract``).
    """

    category: str | None = None
    reason: str | None = None
    source: str | None = None
    url: str | None = None
    index: int | None = None


class WarcOpenError(GleanerError, OSError):
    """A WARC file could not be opened at all (damage *inside* an archive
    is reported as error rows instead, see ``read_warc``).

    Attributes:
        path: the path, as given (or the ``source`` name passed).
        category: "not found", "empty input" or "unreadable".
    """

    path: str | None = None
    category: str | None = None


class WarcNotFoundError(WarcOpenError, FileNotFoundError):
    """The WARC file does not exist."""


class StoreError(GleanerError, OSError):
    """A store could not be opened, read or written (``ingest``); bad inputs
    never raise it: they are stored as errors, as the CLI does."""
