"""The Spark job end to end with --master local[2] over archives written here:
every page once, damaged archives still give their good pages plus error rows,
and the records equal the Python package's and the CLI's field for field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "crates" / "gleaner-py" / "tests"))
sys.path.insert(0, str(REPO / "spark"))

import gleaner  # noqa: E402
import gleaner_spark  # noqa: E402
from conftest import bench_pages, cli_ingest_export, find_cli, store_view  # noqa: E402
from warcgen import write_warc  # noqa: E402

pq = pytest.importorskip("pyarrow.parquet")  # the CI script installs it; fail there, skip elsewhere
import pyarrow.dataset as ds  # noqa: E402


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Writes three archives (one damaged) and a list naming them plus one
    missing archive, runs the job once, and returns what it wrote."""
    tmp = tmp_path_factory.mktemp("spark")
    pages = [(f"https://news.example.org/{n[:16]}", d) for n, d in bench_pages(45)]
    a, b, c = tmp / "a.warc.gz", tmp / "b.warc", tmp / "c.warc.gz"
    written = {
        a: write_warc(a, pages[:15]),
        b: write_warc(b, pages[15:30], gz=False),
        c: write_warc(c, pages[30:], damage={4: "truncate", 9: "corrupt"}),
    }
    listing = tmp / "warcs.txt"
    missing = tmp / "missing.warc.gz"
    listing.write_text(f"# three archives and one that is not there\n{a}\nfile://{b}\n\n{c}\n{missing}\n")
    out = tmp / "out"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    submit = Path(sys.executable).parent / "spark-submit"
    proc = subprocess.run(
        [str(submit), "--master", "local[2]", "--conf", "spark.ui.enabled=false",
         str(REPO / "spark" / "gleaner_spark.py"), str(listing), str(out)],
        capture_output=True, text=True, env=env, cwd=tmp, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    records = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    errors = pq.read_table(Path(str(out) + "_errors")).to_pylist()
    return dict(tmp=tmp, written=written, listing=listing, out=out, summary=summary,
                records=records, errors=errors, a=a, b=b, c=c, missing=missing)


def test_every_good_page_comes_out_exactly_once(run):
    damaged = {4, 9}
    want = [w.record_id for p, ws in run["written"].items() for i, w in enumerate(ws)
            if not (p == run["c"] and i in damaged)]
    got = [r["warc_record_id"] for r in run["records"]]
    assert sorted(got) == sorted(want)
    assert len(got) == len(set(got)) == 43
    assert run["summary"]["records"] == 43 and run["summary"]["archives"] == 4


def test_damaged_and_missing_archives_become_error_rows(run):
    by_path = {}
    for e in run["errors"]:
        by_path.setdefault(e["input_path"], []).append(e)
    assert set(by_path) == {str(run["c"]), str(run["missing"])}
    damaged = by_path[str(run["c"])]
    assert len(damaged) >= 2
    assert all(e["error"] in {"truncated", "bad gzip", "bad length", "bad record"} for e in damaged)
    assert all(isinstance(e["offset"], int) and e["reason"] for e in damaged)
    (gone,) = by_path[str(run["missing"])]
    assert gone["error"] == "not found" and gone["offset"] is None


def test_months_partition_by_publication_date(run):
    for r in run["records"]:
        rec = json.loads(r["record"])
        assert r["month"] == gleaner_spark.month_of(rec["published"])
        assert r["month"] == "unknown" or r["month"] == rec["published"][:7]
    assert any(r["month"] != "unknown" for r in run["records"])
    months = {p.name for p in run["out"].iterdir() if p.name.startswith("month=")}
    assert months == {f"month={r['month']}" for r in run["records"]}


def test_spark_records_equal_the_package_and_the_cli_field_for_field(run):
    spark = {r["warc_record_id"]: json.loads(r["record"]) for r in run["records"]}
    for path in (run["a"], run["c"]):  # a gzip archive and the damaged one
        package = [r for r in gleaner.read_warc(path) if not gleaner.is_error(r)]
        assert package and all(spark[r["input"]["warc_record_id"]] == r for r in package)
        cli = cli_ingest_export(find_cli(), path, run["tmp"] / f"{path.stem}.db")
        for r in cli:
            assert spark[r["input"]["warc_record_id"]] == store_view(r)
    # the plain archive was listed as a file:// URI; records name it as listed
    b_rec = next(json.loads(r["record"]) for r in run["records"] if r["input_path"] == f"file://{run['b']}")
    assert b_rec["input"]["path"] == f"file://{run['b']}"
    # columns repeat the record
    for r in run["records"]:
        rec = json.loads(r["record"])
        assert (r["id"], r["title"], r["published"], r["text"]) == (rec["id"], rec["title"], rec["published"], rec["text"])


def test_spark_parquet_has_the_columns_of_the_cli_parquet_export(run):
    db = run["tmp"] / "columns.db"
    subprocess.run([str(find_cli()), "ingest", "--quiet", "--db", str(db), str(run["a"])], check=True)
    exported = run["tmp"] / "export.parquet"
    subprocess.run([str(find_cli()), "export", "--db", str(db), "--format", "parquet", "--output", str(exported)],
                   check=True)
    cli_columns = pq.read_schema(exported).names
    assert cli_columns == [*gleaner.FLAT_COLUMNS, gleaner.RECORD_COLUMN]
    spark_columns = pq.read_schema(next(p for p in run["out"].rglob("*.parquet"))).names
    assert spark_columns == cli_columns  # `month` is the partition folder, not a column of the files
    # and the flat row of a record is what the CLI's CSV export writes for it
    cli = {r["id"]: r for r in cli_ingest_export(find_cli(), run["a"], run["tmp"] / "csv.db")}
    for r in run["records"]:
        rec = json.loads(r["record"])
        if rec["id"] in cli:
            assert gleaner.flat_row(rec)[gleaner.FLAT_COLUMNS.index("text")] == cli[rec["id"]]["text"]


@pytest.mark.parametrize("line,want", [("/x/a.warc.gz", "/x/a.warc.gz"), ("file:///x/a%20b.warc", "/x/a b.warc")])
def test_list_lines_become_local_paths(line, want):
    assert gleaner_spark.local_path(line) == want


def test_remote_schemes_are_refused_plainly():
    with pytest.raises(ValueError, match="unsupported scheme 's3'"):
        gleaner_spark.local_path("s3://commoncrawl/crawl-data/x.warc.gz")
    assert gleaner_spark.month_of("2020") == "unknown" and gleaner_spark.month_of(None) == "unknown"
    assert gleaner_spark.month_of("2020-12-19") == "2020-12"
