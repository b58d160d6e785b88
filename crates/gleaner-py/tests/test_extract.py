"""gleaner.extract / extract_many against the CLI and on hostile input."""

from __future__ import annotations

import gzip
import random

import pytest

import gleaner
from conftest import REPRINT, bench_pages, cli_extract

# A handful of pages spread over the benchmark (the debug CLI takes ~0.3 s each).
SAMPLE = bench_pages()[::15]


@pytest.mark.parametrize("name,data", SAMPLE, ids=[n[:12] for n, _ in SAMPLE])
def test_bench_page_equals_cli_field_for_field(cli, name, data):
    rec = gleaner.extract(data)
    assert rec == cli_extract(cli, data)
    assert rec["schema"] == gleaner.RECORD_SCHEMA
    assert rec["input"] == {"kind": "html", "path": "-", "warc_record_id": None, "bytes": len(data)}
    assert rec["text"], f"{name}: no main text"


def test_url_is_passed_like_cli_url(cli):
    _, data = SAMPLE[0]
    url = "https://news.example.org/2024/05/harbour"
    rec = gleaner.extract(data, url)
    assert rec["url"] == url
    assert rec == cli_extract(cli, data, url=url)


def test_reprint_text_is_sniffed_as_text_and_equals_cli(cli):
    data = REPRINT.read_bytes()
    rec = gleaner.extract(data)
    assert rec["input"]["kind"] == "text"
    assert rec["title"] == "North Korea vows merciless punishment for smugglers to stop COVID-19"
    assert rec["syndication"]["original_publisher"] == "Radio Free Asia"
    assert any(e["text"] == "Hyesan" and e["label"] == "PLACE" for e in rec["entities"])
    assert rec == cli_extract(cli, data)


def test_str_and_utf8_bytes_give_the_same_record():
    _, data = SAMPLE[1]
    text = data.decode("utf-8", errors="strict") if _is_utf8(data) else None
    if text is None:
        pytest.skip("sample page is not UTF-8")
    assert gleaner.extract(text) == gleaner.extract(data)


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


GERMAN = (
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Grüße aus Köln</title></head><body>"
    "<article><h1>Grüße aus Köln</h1>"
    "<p>Die Straßenbahn fährt über die Brücke, und die Bürger begrüßen die neue Linie mit großer Freude.</p>"
    "<p>Der Bürgermeister sagte, die Fahrgäste würden künftig schneller zur Messe gelangen.</p>"
    "</article></body></html>"
)


def test_bytes_whose_meta_charset_lies_are_decoded_by_their_content(cli):
    # windows-1252 bytes under a <meta charset="utf-8"> the bytes contradict.
    data = GERMAN.encode("windows-1252")
    rec = gleaner.extract(data)
    assert "Straßenbahn fährt über die Brücke" in rec["text"]
    assert "\ufffd" not in rec["text"]
    assert rec["title"] == "Grüße aus Köln"
    assert rec == cli_extract(cli, data)


def test_str_ignores_a_meta_charset_that_no_longer_applies():
    # Already-decoded text claiming windows-1252 must not be re-decoded.
    text = GERMAN.replace('charset="utf-8"', 'charset="windows-1252"')
    rec = gleaner.extract(text)
    assert "Straßenbahn fährt über die Brücke" in rec["text"]


def test_gzip_bytes_are_undone_like_the_cli(cli):
    _, data = SAMPLE[2]
    assert gleaner.extract(gzip.compress(data)) == gleaner.extract(data)


def test_binary_junk_raises_a_clear_extract_error():
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(8192))
    with pytest.raises(gleaner.ExtractError) as info:
        gleaner.extract(junk, source="junk.bin")
    err = info.value
    assert err.category == "binary content"
    assert err.source == "junk.bin"
    assert "junk.bin" in str(err) and "binary content" in str(err)
    assert isinstance(err, gleaner.GleanerError)


@pytest.mark.parametrize("content,category", [(b"", "empty input"), ("  \n\t", "empty input"),
                                              (b"\x1f\x8b\x08\x00broken", "bad gzip")])
def test_empty_and_broken_input_categories(content, category):
    with pytest.raises(gleaner.ExtractError) as info:
        gleaner.extract(content)
    assert info.value.category == category


def test_over_max_bytes_is_refused():
    _, data = SAMPLE[0]
    with pytest.raises(gleaner.ExtractError) as info:
        gleaner.extract(data, max_bytes=100)
    assert info.value.category == "over --max-bytes"


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="str, bytes or bytearray"):
        gleaner.extract(12345)  # type: ignore[arg-type]


def test_no_analysis_leaves_analysis_fields_empty():
    rec = gleaner.extract(REPRINT.read_bytes(), analyse=False)
    assert rec["entities"] == [] and rec["quotes"] == []
    assert rec["text"] == gleaner.extract(REPRINT.read_bytes())["text"]


def test_extract_many_keeps_input_order_with_many_jobs():
    pages = [d for _, d in bench_pages(40)]
    random.Random(3).shuffle(pages)
    one_by_one = [gleaner.extract(p) for p in pages]
    assert list(gleaner.extract_many(pages, jobs=1)) == one_by_one
    assert list(gleaner.extract_many(pages, jobs=3)) == one_by_one
    # ids differ between pages, so equal lists really are the same order
    assert len({r["id"] for r in one_by_one}) > 30


def test_extract_many_streams_a_generator_lazily():
    pulled = []

    def gen():
        for name, data in bench_pages(30):
            pulled.append(name)
            yield data

    stream = gleaner.extract_many(gen(), jobs=2)
    first = next(stream)
    assert first["text"]
    assert len(pulled) < 30, "the whole input was read before the first record"
    assert len(list(stream)) == 29


def test_extract_many_pairs_carry_urls_and_errors_can_be_rows():
    pages = [d for _, d in bench_pages(3)]
    items = [(pages[0], "https://a.example/1"), (b"", None), (pages[1], "https://a.example/2"), pages[2]]
    rows = list(gleaner.extract_many(items, jobs=2, errors="return"))
    assert [gleaner.is_error(r) for r in rows] == [False, True, False, False]
    assert rows[0]["url"] == "https://a.example/1"
    assert rows[1] == {"error": "empty input", "reason": "empty input", "input": "-", "index": 1, "url": None}
    assert rows[2]["url"] == "https://a.example/2"


def test_extract_many_raises_with_the_failing_index():
    pages = [d for _, d in bench_pages(2)]
    stream = gleaner.extract_many([pages[0], b"\x00" * 5000, pages[1]], jobs=2)
    assert next(stream)["text"]
    with pytest.raises(gleaner.ExtractError) as info:
        next(stream)
    assert info.value.index == 1 and info.value.category == "binary content"


def test_extract_many_rejects_bad_items_and_options():
    with pytest.raises(TypeError):
        list(gleaner.extract_many([object()]))
    with pytest.raises(ValueError):
        gleaner.extract_many([], errors="ignore")


def test_after_a_raised_error_the_stream_goes_on_with_the_next_page():
    pages = [d for _, d in bench_pages(2)]
    stream = gleaner.extract_many([b"", pages[0], pages[1]], jobs=1)
    with pytest.raises(gleaner.ExtractError):
        next(stream)
    assert [r["id"] for r in stream] == [gleaner.extract(p)["id"] for p in pages]


def test_items_taken_before_a_failing_iterable_still_come_out():
    pages = [d for _, d in bench_pages(3)]

    def gen():
        yield from pages
        raise RuntimeError("the source broke")

    stream = gleaner.extract_many(gen(), jobs=2)
    got = [next(stream)["id"] for _ in pages]
    assert got == [gleaner.extract(p)["id"] for p in pages]
    with pytest.raises(RuntimeError, match="the source broke"):
        next(stream)
    assert list(stream) == []


def test_a_bad_item_is_raised_in_its_place_and_the_stream_goes_on():
    pages = [d for _, d in bench_pages(3)]
    stream = gleaner.extract_many([pages[0], 42, pages[1], pages[2]], jobs=2)
    assert next(stream)["id"] == gleaner.extract(pages[0])["id"]
    with pytest.raises(TypeError, match="item 1: a page must be"):
        next(stream)
    assert [r["id"] for r in stream] == [gleaner.extract(p)["id"] for p in pages[1:]]


def test_indexes_count_bad_items():
    rows = list(gleaner.extract_many([b"", b"  "], errors="return"))
    assert [r["index"] for r in rows] == [0, 1]
    stream = gleaner.extract_many([42, b""], errors="return")
    with pytest.raises(TypeError):
        next(stream)
    assert next(stream)["index"] == 1
