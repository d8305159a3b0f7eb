"""A corpus of bad input files: each gives a clear error and leaves the database unchanged."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

from peerladder.interchange.exporters import guard_cell
from peerladder.interchange.parsers import CSV_COLUMNS, MAX_CELL
from peerladder.interchange.problems import InvalidFile
from tests.factories import make_case
from tests.interchange.records import (
    database_state,
    export,
    foundation_record,
    jsonl,
    load,
    sample_records,
    wiki_record,
)

pytestmark = pytest.mark.django_db


def _csv(header: list[str], *rows: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _foundation_row() -> list[str]:
    record = foundation_record()
    return [
        record["slug"],
        record["name"],
        record["summary"],
        orjson.dumps(record["sources"]).decode(),
        orjson.dumps(record["placements"]).decode(),
    ]


CSV_HEADER = ["slug", "name", "summary", "sources", "placements"]


def _invalid_answers() -> bytes:
    record = foundation_record()
    record["placements"][0]["answers"] = {"directed_by": "aliens"}
    return jsonl([record])


def _huge_field() -> bytes:
    record = foundation_record()
    record["description"] = "x" * 200_000
    return jsonl([record])


def _duplicate_slugs() -> bytes:
    return jsonl([foundation_record(), foundation_record()])


def _two_bad_records() -> bytes:
    first = foundation_record()
    first["sector"] = "space"
    second = wiki_record()
    second["countries"] = ["XX"]
    second["relations"] = []
    return jsonl([first, second])


def _unknown_record_field() -> bytes:
    record = foundation_record()
    record["colour"] = "blue"
    return jsonl([record])


BAD_FILES = {
    "truncated json": (
        "json",
        orjson.dumps(sample_records())[:-40],
        ["cases.json:1", "truncated"],
    ),
    "truncated json lines": (
        "jsonl",
        jsonl(sample_records())[:-30],
        ["cases.jsonl:2", "truncated"],
    ),
    "latin-1 bytes": (
        "jsonl",
        jsonl([foundation_record()]).replace(b"Foundation", "Fundaci\u00f3n".encode("latin-1")),
        ["cases.jsonl:1", "not UTF-8", "0xf3"],
    ),
    "utf-16": ("jsonl", "\ufeff{}".encode("utf-16"), ["UTF-16"]),
    "empty": ("jsonl", b"\n\n", ["no case records"]),
    "not a list": ("json", b'{"slug": "x"}', ["'cases'"]),
    "invalid answers": (
        "jsonl",
        _invalid_answers(),
        ["cases.jsonl:1", "placements[0].answers.directed_by", "aliens", "peers"],
    ),
    "huge field": ("jsonl", _huge_field(), ["cases.jsonl:1", "description", "100000"]),
    "duplicate slugs": (
        "jsonl",
        _duplicate_slugs(),
        ["cases.jsonl:2", "slug", "appears twice", "first at cases.jsonl:1"],
    ),
    "every bad record named": (
        "jsonl",
        _two_bad_records(),
        ["cases.jsonl:1: sector", "'space'", "cases.jsonl:2: countries", "'XX'"],
    ),
    "unknown record field": ("jsonl", _unknown_record_field(), ["unknown field 'colour'"]),
    "unknown csv column": (
        "csv",
        _csv([*CSV_HEADER, "colour"], [*_foundation_row(), "blue"]),
        ["cases.csv:1", "unknown column 'colour'", "allowed: slug"],
    ),
    "missing csv column": ("csv", _csv(["slug", "name"], ["x", "y"]), ["'summary' is missing"]),
    "formula in csv": (
        "csv",
        _csv(
            CSV_HEADER,
            [*_foundation_row()[:2], '=HYPERLINK("http://evil")', *_foundation_row()[3:]],
        ),
        ["cases.csv:2", "summary", "formula", "single quote"],
    ),
    "bad json cell in csv": (
        "csv",
        _csv(CSV_HEADER, [*_foundation_row()[:4], "[{"]),
        ["cases.csv:2", "placements must be a JSON list"],
    ),
    "short csv row": (
        "csv",
        _csv(CSV_HEADER, _foundation_row()[:2]),
        ["cases.csv:2", "2 cells", "5 columns"],
    ),
    "huge csv cell": (
        "csv",
        _csv(CSV_HEADER, [*_foundation_row()[:3], "x" * (MAX_CELL + 10), "[]"]),
        ["cases.csv", "longer than"],
    ),
}


@pytest.mark.parametrize("case_name", list(BAD_FILES))
def test_bad_file_gives_clear_errors_and_writes_nothing(case_name):
    make_case(slug="already-here")
    before = database_state()
    fmt, data, expected = BAD_FILES[case_name]

    with pytest.raises(InvalidFile) as caught:
        load(data, fmt=fmt, name=f"cases.{fmt}")

    text = "\n".join(problem.line() for problem in caught.value.problems)
    for fragment in expected:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    assert database_state() == before


def test_a_byte_order_mark_is_accepted():
    load(b"\xef\xbb\xbf" + jsonl(sample_records()))
    assert export("jsonl").count(b"\n") == 2


def test_a_byte_order_mark_is_accepted_in_csv():
    data = b"\xef\xbb\xbf" + _csv(CSV_HEADER, _foundation_row())
    report = load(data, fmt="csv", name="cases.csv")
    assert report.created == 1


def test_csv_export_quotes_cells_that_would_run_as_formulas():
    record = foundation_record()
    record["name"] = '=HYPERLINK("http://evil.example","click")'
    record["summary"] = "+1 for peers"
    record["description"] = "@SUM(A1:A2)"
    load(jsonl([record]))

    rows = list(csv.DictReader(io.StringIO(export("csv").decode())))

    assert rows[0]["name"] == "'" + record["name"]
    assert rows[0]["summary"] == "'+1 for peers"
    assert rows[0]["description"] == "'@SUM(A1:A2)"
    assert rows[0]["placements"].startswith("[")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_guard_cell_prefixes_every_formula_start(cell):
    assert guard_cell(cell) == "'" + cell


def test_a_quote_before_a_formula_survives_export_and_import():
    record = foundation_record()
    record["name"] = "'=quoted on purpose"
    record["summary"] = "'plain quote"
    load(jsonl([record]))

    data = export("csv")
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert rows[0]["name"] == "''=quoted on purpose"
    assert rows[0]["summary"] == "'plain quote"
    assert load(data, fmt="csv", name="cases.csv", dry_run=True).unchanged == 1


def test_guard_cell_leaves_plain_text():
    assert guard_cell("Wikipedia") == "Wikipedia"
    assert guard_cell("") == ""


def test_csv_columns_are_documented_in_order():
    assert CSV_COLUMNS[:3] == ("slug", "name", "summary")
