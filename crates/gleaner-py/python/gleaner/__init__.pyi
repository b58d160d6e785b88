import os
from typing import Any, Iterable, Iterator, Literal, Union

from ._errors import ExtractError as ExtractError
from ._errors import GleanerError as GleanerError
from ._errors import StoreError as StoreError
from ._errors import WarcNotFoundError as WarcNotFoundError
from ._errors import WarcOpenError as WarcOpenError

RECORD_SCHEMA: str
__version__: str
DEFAULT_MAX_BYTES: int
FLAT_COLUMNS: tuple[str, ...]
RECORD_COLUMN: str

Content = Union[str, bytes, bytearray]
Record = dict[str, Any]

def extract(
    content: Content,
    url: str | None = ...,
    *,
    source: str = ...,
    analyse: bool = ...,
    max_bytes: int = ...,
) -> Record: ...
def extract_many(
    items: Iterable[Content | tuple[Content, str | None]],
    *,
    jobs: int | None = ...,
    source: str = ...,
    analyse: bool = ...,
    max_bytes: int = ...,
    errors: Literal["raise", "return"] = ...,
) -> Iterator[Record]: ...
def read_warc(
    path: str | os.PathLike[str],
    *,
    jobs: int = ...,
    source: str | None = ...,
    analyse: bool = ...,
    max_bytes: int = ...,
    errors: Literal["yield", "skip"] = ...,
) -> Iterator[Record]: ...
def ingest(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    db: str = ...,
    jobs: int | None = ...,
    analyse: bool = ...,
    max_bytes: int = ...,
) -> dict[str, Any]: ...
def flat_row(record: Record) -> list[str | None]: ...
def is_error(row: Record) -> bool: ...
