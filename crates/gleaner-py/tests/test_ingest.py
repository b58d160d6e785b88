"""gleaner.ingest against `gleaner ingest`, and the flat row against the CLI's CSV export."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest

import gleaner
from conftest import bench_pages, cli_ingest_export, find_cli
from warcgen import write_warc

PAGES = [(f"https://news.example.org/{name[:16]}", data) for name, data in bench_pages(12)]


def test_ingest_makes_the_store_the_cli_makes(tmp_path):
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, PAGES, damage={3: "truncate"})
    summary = gleaner.ingest([warc], db=str(tmp_path / "py.db"), jobs=2)
    assert summary["pages"] == len(PAGES)
    assert summary["new_records"] + summary["errors"] == len(PAGES)
    assert summary["errors"] >= 1
    py_export = subprocess.run([str(find_cli()), "export", "--db", str(tmp_path / "py.db")],
                               capture_output=True, check=True).stdout.decode().splitlines()
    cli_export = cli_ingest_export(find_cli(), warc, tmp_path / "cli.db")
    assert [json.loads(line) for line in py_export] == cli_export


def test_a_second_ingest_resumes_and_reads_nothing(tmp_path):
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, PAGES[:4])
    db = str(tmp_path / "s.db")
    first = gleaner.ingest([str(warc)], db=db)
    again = gleaner.ingest([str(warc)], db=db)
    assert (first["new_records"], first["inputs_skipped"]) == (4, 0)
    assert (again["pages"], again["inputs_skipped"]) == (0, 1)


def test_a_store_that_cannot_be_opened_raises_store_error(tmp_path):
    with pytest.raises(gleaner.StoreError):
        gleaner.ingest([str(tmp_path)], db=str(tmp_path / "no" / "such" / "dir" / "s.db"))
    with pytest.raises(gleaner.GleanerError):
        gleaner.ingest([str(tmp_path)], db="mysql://nobody@nowhere/db")


def test_flat_rows_are_the_cli_csv_rows(tmp_path):
    warc = tmp_path / "a.warc.gz"
    write_warc(warc, PAGES[:5])
    db = tmp_path / "s.db"
    subprocess.run([str(find_cli()), "ingest", "--quiet", "--db", str(db), str(warc)], check=True)
    out = subprocess.run([str(find_cli()), "export", "--format", "csv", "--db", str(db)],
                         capture_output=True, check=True).stdout.decode()
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert tuple(rows[0]) == gleaner.FLAT_COLUMNS
    csv_by_id = {r[0]: r for r in rows[1:]}
    for rec in cli_ingest_export(find_cli(), warc, tmp_path / "again.db"):
        urls = rec.pop("urls")
        flat = gleaner.flat_row(rec)
        assert len(flat) == len(gleaner.FLAT_COLUMNS)
        assert urls == [rec["url"]]  # one address each, so the rows agree on `urls` too
        assert [v or "" for v in flat] == csv_by_id[rec["id"]]
    with pytest.raises(TypeError):
        gleaner.flat_row({"not": "a record"})
