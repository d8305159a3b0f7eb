"""The JSON Lines parser: its quick path for well-formed files gives what the full one does."""

from __future__ import annotations

import io

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peerladder.interchange import parsers
from peerladder.interchange.problems import InvalidFile

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**9), 10**9) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


def full_parse(data: bytes) -> list:
    """The path that decodes the whole text first (taken whenever the quick one gives up)."""
    text = parsers.decode(data, name="f.jsonl")
    return [
        (f"f.jsonl:{number}", orjson.loads(line))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


# Well-formed JSON Lines files: any records, any of the usual line ends, with or
# without a UTF-8 byte-order mark.
jsonl_files = st.builds(
    lambda records, newline, bom: (
        (b"\xef\xbb\xbf" if bom else b"") + newline.join(orjson.dumps(record) for record in records)
    ),
    st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=4), min_size=1, max_size=5),
    st.sampled_from([b"\n", b"\r\n", b"\n\n"]),
    st.booleans(),
)


@given(jsonl_files)
def test_well_formed_files_give_the_same_records_and_lines_either_way(data):
    assert parsers.parse_jsonl(data, name="f.jsonl") == full_parse(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"slug": "a"}\n{"slug": \n', "f.jsonl:2"),
        (b'{"slug": "a"}\n{"name": "caf\xe9"}\n', "f.jsonl:2"),
    ],
    ids=["truncated line", "latin-1 byte"],
)
def test_a_bad_line_is_still_located_by_the_full_parser(data, expected):
    with pytest.raises(InvalidFile) as caught:
        parsers.parse_jsonl(data, name="f.jsonl")
    assert caught.value.problems[0].where == expected


def read_lines(data: bytes) -> list:
    return list(parsers.iter_jsonl(io.BytesIO(data), name="f.jsonl"))


@given(jsonl_files)
def test_reading_line_by_line_gives_what_parsing_the_whole_file_gives(data):
    assert read_lines(data) == parsers.parse_jsonl(data, name="f.jsonl")


def test_unreadable_lines_become_located_problems_and_reading_goes_on():
    data = b'{"slug": "a"}\n{"slug": \n{"name": "caf\xe9"}\n\n{"slug": "b"}\n'
    read = read_lines(data)
    assert [where for where, _ in read] == ["f.jsonl:1", "f.jsonl:2", "f.jsonl:3", "f.jsonl:5"]
    truncated, latin1 = read[1][1], read[2][1]
    assert "truncated" in truncated.message
    assert "not UTF-8 (byte 0xe9 at column 14)" in latin1.message
    assert read[3][1] == {"slug": "b"}


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "holds no case records"), (b"\xff\xfe{\x00}\x00", "UTF-16")],
    ids=["empty", "utf-16"],
)
def test_a_file_without_readable_records_is_one_problem(data, message):
    [(where, problem)] = read_lines(data)
    assert where == "f.jsonl" and message in problem.message
