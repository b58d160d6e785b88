"""gleaner.read_warc over archives written by the test, against `gleaner ingest`."""

from __future__ import annotations

import pytest

import gleaner
from conftest import cli_ingest_export, bench_pages, store_view
from warcgen import write_warc

PAGES = bench_pages(24)


def _pages(n: int = len(PAGES)) -> list[tuple[str, bytes]]:
    return [(f"https://news.example.org/{name[:16]}", data) for name, data in PAGES[:n]]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_every_page_comes_out_once_in_archive_order(tmp_path, gz):
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    written = write_warc(path, _pages(), gz=gz)
    rows = list(gleaner.read_warc(path))
    assert not [r for r in rows if gleaner.is_error(r)]
    assert [r["input"]["warc_record_id"] for r in rows] == [w.record_id for w in written]
    assert [r["url"] for r in rows] == [w.url for w in written]
    for r in rows:
        assert r["input"]["kind"] == "warc"
        assert r["input"]["path"] == str(path)
        assert r["fetched_at"] == "2024-05-01T12:00:00Z"


def test_records_equal_extract_apart_from_where_they_came_from(tmp_path):
    path = tmp_path / "a.warc.gz"
    write_warc(path, _pages(6))
    for (url, data), rec in zip(_pages(6), gleaner.read_warc(path)):
        alone = gleaner.extract(data, url)
        for key in ("input", "fetched_at"):
            alone.pop(key), rec.pop(key)
        assert rec == alone


def test_jobs_do_not_change_the_stream(tmp_path):
    path = tmp_path / "a.warc.gz"
    write_warc(path, _pages(), damage={5: "truncate"})
    assert list(gleaner.read_warc(path, jobs=3)) == list(gleaner.read_warc(path, jobs=1))


@pytest.mark.parametrize("how", ["truncate", "corrupt"])
def test_a_damaged_record_yields_an_error_row_and_every_good_record(tmp_path, how):
    path = tmp_path / "bad.warc.gz"
    bad = {3: how, 10: how}
    written = write_warc(path, _pages(), damage=bad)
    rows = list(gleaner.read_warc(path))
    records = [r for r in rows if not gleaner.is_error(r)]
    errors = [r for r in rows if gleaner.is_error(r)]
    good = [w.record_id for i, w in enumerate(written) if i not in bad]
    assert [r["input"]["warc_record_id"] for r in records] == good
    assert len(errors) >= 1
    for e in errors:
        assert set(e) == {"error", "reason", "input", "offset", "record"}
        assert e["input"] == str(path) and isinstance(e["offset"], int) and e["reason"]
        assert e["error"] in {"truncated", "bad gzip", "bad length", "bad record"}
    assert len(list(gleaner.read_warc(path, errors="skip"))) == len(good)


def test_a_binary_page_in_an_archive_is_an_error_row_naming_its_record(tmp_path):
    path = tmp_path / "junk.warc.gz"
    pages = _pages(3)
    pages.insert(1, ("https://news.example.org/junk", bytes(range(1, 32)) * 200))
    written = write_warc(path, pages)
    rows = list(gleaner.read_warc(path))
    assert [gleaner.is_error(r) for r in rows] == [False, True, False, False]
    assert rows[1]["error"] == "binary content"
    assert rows[1]["record"] == written[1].record_id


def test_open_errors_say_what_and_where(tmp_path):
    with pytest.raises(gleaner.WarcNotFoundError) as info:
        gleaner.read_warc(tmp_path / "missing.warc.gz")
    assert info.value.path.endswith("missing.warc.gz") and info.value.category == "not found"
    assert isinstance(info.value, FileNotFoundError)
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    with pytest.raises(gleaner.WarcOpenError) as info:
        gleaner.read_warc(empty)
    assert info.value.category == "empty input" and "empty.warc" in str(info.value)


def test_records_equal_cli_ingest_and_export_field_for_field(tmp_path, cli):
    path = tmp_path / "same.warc.gz"
    write_warc(path, _pages(), damage={7: "corrupt"})
    ours = [r for r in gleaner.read_warc(path) if not gleaner.is_error(r)]
    theirs = {r["input"]["warc_record_id"]: store_view(r) for r in cli_ingest_export(cli, path, tmp_path / "g.db")}
    assert len(ours) == len(PAGES) - 1
    # The store keeps a page once (records are keyed by content), so it may
    # hold fewer rows than the archive has pages; each of its rows must match.
    by_id = {}
    for r in ours:
        by_id.setdefault(r["id"], r)
    assert len(theirs) == len(by_id)
    for r in by_id.values():
        assert theirs[r["input"]["warc_record_id"]] == r
