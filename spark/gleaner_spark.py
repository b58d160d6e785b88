"""Gleaner over many WARC archives with Apache Spark.

In the manner of the usual Common Crawl Spark jobs: the input is a text file
listing WARC archives, one per line; each archive is one task, whose
``mapPartitions`` runs ``gleaner.read_warc`` over it; the output is Parquet.

    spark-submit --master local[2] spark/gleaner_spark.py warc-paths.txt out/

Input list: one path per line, a local path or a ``file://`` URI, readable
from every executor (on a cluster: a shared file system mounted at the same
place). Blank lines and lines starting with ``#`` are skipped. Remote schemes
(``s3://``, ``hdfs://``, ``http(s)://``) are out of scope: such a line
becomes an error row ("unsupported scheme"), the rest of the job runs.

Output:

- ``OUT/`` — the records, Parquet, partitioned by publication month
  (``OUT/month=2020-12/part-….parquet``; ``month=unknown`` when the page
  gives no date). Columns: ``gleaner.FLAT_COLUMNS`` (``id``, ``url``,
  ``urls``, ``canonical_url``, ``title``, ``authors``, ``published``,
  ``modified``, ``publisher``, ``language``, ``original_publisher``,
  ``fetched_at``, ``input_path`` — the archive as listed —,
  ``warc_record_id``, ``text``) and ``record`` (the whole ``gleaner.record/1``
  record as JSON, exactly as ``gleaner extract`` prints it): the schema of
  ``gleaner export --format parquet``, plus ``month``.
- ``OUT_errors/`` (``--errors`` to choose) — one row per record or archive
  that could not be read: ``input_path``, ``offset`` (null when the archive
  itself failed), ``record`` (WARC-Record-ID or URL, when known), ``error``
  (the category, as ``gleaner stats`` shows it: ``truncated``, ``bad gzip``,
  ``non-html``, ``binary content``, ``not found``, …) and ``reason``.

Records are those ``gleaner ingest`` would store, before the store's
near-duplicate pass (``syndication.duplicate_of`` stays null): deduplicate
downstream by ``id`` (a hash of the normalised text).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from typing import Iterable, Iterator
from urllib.parse import unquote, urlparse

import gleaner

# The columns of `gleaner export --format parquet`, then the partition column.
RECORD_COLUMNS = [*gleaner.FLAT_COLUMNS, gleaner.RECORD_COLUMN, "month"]
# `record` here is what `gleaner stats` calls it: the WARC-Record-ID or URL.
ERROR_COLUMNS = ["input_path", "offset", "record", "error", "reason"]
# One row type through the RDD: a record (error is None) or an error row.
ROW_COLUMNS = RECORD_COLUMNS + ["offset", "error", "reason"]

MONTH = re.compile(r"^(\d{4})-(\d{2})")


def month_of(published: str | None) -> str:
    """``YYYY-MM`` of an ISO 8601 date as precise as a month, else ``unknown``."""
    m = MONTH.match(published or "")
    return f"{m.group(1)}-{m.group(2)}" if m else "unknown"


def local_path(line: str) -> str:
    """A list line as a local path; raises ValueError for remote schemes."""
    parsed = urlparse(line)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    if parsed.scheme and len(parsed.scheme) > 1:  # one letter: a Windows drive
        raise ValueError(f"unsupported scheme {parsed.scheme!r} (only local paths and file:// URIs are read)")
    return line


def _error(path: str, offset, record, error: str, reason: str) -> tuple:
    row = dict.fromkeys(ROW_COLUMNS)
    row.update(input_path=path, offset=offset, record=record, error=error, reason=reason)
    return tuple(row[c] for c in ROW_COLUMNS)


def rows_of_warc(path_line: str, analyse: bool = True, jobs: int = 1) -> Iterator[tuple]:
    """Every row (records and error rows) of one archive, as ROW_COLUMNS tuples."""
    try:
        path = local_path(path_line)
        stream = gleaner.read_warc(path, jobs=jobs, analyse=analyse, source=path_line)
    except ValueError as e:
        yield _error(path_line, None, None, "unsupported scheme", str(e))
        return
    except gleaner.WarcOpenError as e:
        yield _error(path_line, None, None, e.category or "unreadable", str(e))
        return
    for row in stream:
        if gleaner.is_error(row):
            yield _error(path_line, row["offset"], row["record"], row["error"], row["reason"])
            continue
        out = dict(zip(gleaner.FLAT_COLUMNS, gleaner.flat_row(row)))
        out.update({
            gleaner.RECORD_COLUMN: json.dumps(row, ensure_ascii=False), "month": month_of(row["published"]),
            "offset": None, "error": None, "reason": None,
        })
        yield tuple(out[c] for c in ROW_COLUMNS)


def process_partition(lines: Iterable[str], analyse: bool = True, jobs: int = 1) -> Iterator[tuple]:
    """mapPartitions body: every archive of the partition, one after another."""
    for line in lines:
        yield from rows_of_warc(line, analyse=analyse, jobs=jobs)


def read_list(text: str) -> list[str]:
    """The archive lines of an input list (blank lines and # comments skipped)."""
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="text file listing WARC paths or file:// URIs, one per line")
    ap.add_argument("output", help="output directory for the records (Parquet, partitioned by month)")
    ap.add_argument("--errors", help="output directory for error rows (default: OUTPUT_errors)")
    ap.add_argument("--num-partitions", type=int, default=0,
                    help="tasks (default: one per archive)")
    ap.add_argument("--jobs-per-task", type=int, default=1,
                    help="threads extracting pages inside each task (default 1: Spark's cores do the parallelism)")
    ap.add_argument("--no-analysis", action="store_true", help="skip entities, times, quantities, quotes, events")
    ap.add_argument("--mode", default="overwrite", choices=["overwrite", "errorifexists"],
                    help="what to do when the output exists")
    args = ap.parse_args(argv)

    from pyspark import StorageLevel
    from pyspark.sql import SparkSession
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    spark = SparkSession.builder.appName("gleaner").getOrCreate()
    sc = spark.sparkContext
    # Timed from here, so benchmarks can tell the job from JVM start-up.
    started = time.perf_counter()

    # The list is small; reading it on the driver lets every archive be its own task.
    lines = read_list("\n".join(sc.textFile(args.input).collect()))
    if not lines:
        print(f"gleaner_spark: no archives listed in {args.input}", file=sys.stderr)
        return 2
    parts = args.num_partitions or len(lines)
    analyse, jobs = not args.no_analysis, max(1, args.jobs_per_task)

    schema = StructType(
        [StructField(c, LongType() if c == "offset" else StringType(), True) for c in ROW_COLUMNS]
    )
    rows = sc.parallelize(lines, parts).mapPartitions(lambda it: process_partition(it, analyse, jobs))
    # Two outputs from one pass: keep the rows so the archives are read once.
    df = spark.createDataFrame(rows, schema).persist(StorageLevel.DISK_ONLY)

    errors_dir = args.errors or args.output.rstrip("/") + "_errors"
    records = df.filter(df.error.isNull()).select(*RECORD_COLUMNS)
    records.write.mode(args.mode).partitionBy("month").parquet(args.output)
    errors = df.filter(df.error.isNotNull()).select(*ERROR_COLUMNS)
    errors.write.mode(args.mode).parquet(errors_dir)

    n_rec, n_err = records.count(), errors.count()
    print(json.dumps({"archives": len(lines), "records": n_rec, "errors": n_err,
                      "output": args.output, "errors_output": errors_dir,
                      "job_seconds": round(time.perf_counter() - started, 3)}))
    df.unpersist()
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
