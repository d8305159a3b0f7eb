"""The engine behind ``peerladder classify``: one object or JSON Lines in, results out."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerladder.interchange import answers_stream
from peerladder.interchange.answers_stream import classify_stream
from peerladder.ladder import classify

LINUX = {
    "directed_by": "peers",
    "value": "use",
    "producers": "group",
    "monetization": "commons_ecology",
    "output_license": "commons",
}
IKEA = {"directed_by": "firm", "participant_role": "performs_step"}
MONDRAGON = {"directed_by": "peers", "value": "exchange", "producers": "group"}


def run(data: bytes | str, **options) -> tuple[int, str, list[str]]:
    if isinstance(data, str):
        data = data.encode("utf-8")
    sink = io.BytesIO()
    errors = io.StringIO()
    status = classify_stream(io.BytesIO(data), sink, errors=errors, **options)
    return status, sink.getvalue().decode("utf-8"), errors.getvalue().splitlines()


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


def test_one_object_gives_one_result_object():
    status, out, problems = run(json.dumps(LINUX))
    assert status == 0 and problems == []
    assert json.loads(out) == classify(LINUX).as_dict()
    assert out.count("\n") == 1


def test_a_pretty_printed_object_is_read_as_one_object():
    status, out, _ = run(json.dumps(LINUX, indent=2))
    assert status == 0
    assert json.loads(out)["rung"] == 8


def test_json_lines_give_one_result_line_each_and_skip_blank_lines():
    status, out, problems = run(jsonl(IKEA, LINUX) + "\n   \n" + jsonl(MONDRAGON))
    assert status == 0 and problems == []
    assert [json.loads(line)["rung"] for line in out.splitlines()] == [3, 8, 10]


def test_crlf_line_endings_and_a_byte_order_mark_are_accepted():
    data = b"\xef\xbb\xbf" + jsonl(IKEA, MONDRAGON).replace("\n", "\r\n").encode()
    status, out, _ = run(data)
    assert status == 0
    assert [json.loads(line)["rung"] for line in out.splitlines()] == [3, 10]


def test_a_failing_line_gives_an_error_line_and_processing_continues():
    bad = {"directed_by": "peers", "value": "exchnge"}
    status, out, problems = run(jsonl(IKEA, bad) + "{oops\n" + "[1, 2]\n" + jsonl(MONDRAGON))
    assert status == 2
    assert len(problems) == 4
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["rung"] == 3
    assert lines[1]["line"] == 2
    assert {e["field"] for e in lines[1]["error"]} == {"value", "producers"}
    value_error = next(e for e in lines[1]["error"] if e["field"] == "value")
    assert value_error["received"] == "exchnge"
    assert value_error["allowed"] == ["use", "exchange"]
    assert set(value_error) == {"field", "received", "allowed", "message"}
    assert lines[2]["line"] == 3 and "JSON" in lines[2]["error"][0]["message"]
    assert lines[3]["line"] == 4 and "object" in lines[3]["error"][0]["message"]
    assert lines[4]["rung"] == 10


def test_each_problem_goes_to_stderr_naming_line_field_received_and_allowed():
    bad = {"directed_by": "peers", "value": "exchnge", "producers": "group"}
    _, _, problems = run(jsonl(IKEA, bad), name="answers.jsonl")
    assert len(problems) == 1
    [problem] = problems
    assert problem.startswith("answers.jsonl: line 2: ")
    assert "'value'" in problem and '"exchnge"' in problem and "use, exchange" in problem


def test_line_numbers_count_blank_lines():
    status, out, problems = run("\n\n" + jsonl(IKEA) + "\n" + jsonl({"directed_by": "x"}))
    assert status == 2
    assert json.loads(out.splitlines()[1])["line"] == 5
    assert problems[0].startswith("line 5: ")


def test_an_invalid_single_object_prints_the_error_object_and_exits_2():
    data = json.dumps({"directed_by": "peers", "monetisation": "none"}, indent=2)
    status, out, problems = run(data)
    assert status == 2
    body = json.loads(out)
    assert "monetisation" in [e["field"] for e in body["error"]]
    assert len(problems) == len(body["error"])


def test_malformed_json_exits_2_with_a_clear_message_and_no_traceback():
    status, out, problems = run('{\n  "directed_by": "firm",\n  "participant_role": \n')
    assert status == 2
    body = json.loads(out)
    assert "not valid JSON" in body["error"][0]["message"]
    assert problems and "Traceback" not in "".join(problems)


@pytest.mark.parametrize("data", ["", "\n\n  \n"])
def test_empty_input_is_an_error(data):
    status, out, problems = run(data)
    assert status == 2
    assert "empty" in json.loads(out)["error"][0]["message"]
    assert problems


@pytest.mark.parametrize("data", ['"firm"', "[1]", "null", "8"])
def test_a_single_value_that_is_not_an_object_is_an_error(data):
    status, out, _ = run(data)
    assert status == 2
    assert json.loads(out)["error"][0]["field"] is None


def test_a_jsonl_file_whose_first_line_is_broken_is_still_read_as_lines():
    status, out, _ = run("{broken\n" + jsonl(IKEA, MONDRAGON))
    assert status == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["line"] == 1
    assert [line["rung"] for line in lines[1:]] == [3, 10]


def test_unhashable_values_are_reported_not_raised():
    status, out, _ = run(jsonl({"directed_by": ["firm"]}, {"directed_by": {"a": 1}}, IKEA))
    assert status == 2
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["error"][0]["received"] == ["firm"]
    assert lines[1]["error"][0]["received"] == {"a": 1}
    assert lines[2]["rung"] == 3


def test_remembered_results_equal_fresh_ones_whatever_the_key_order():
    reordered = dict(reversed(list(LINUX.items())))
    _, out, _ = run(jsonl(LINUX, reordered, LINUX))
    first, second, third = out.splitlines()
    assert first == second == third
    assert json.loads(first) == classify(LINUX).as_dict()


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(answers_stream, "_MEMO_LIMIT", 2)
    objects = [IKEA, LINUX, MONDRAGON, IKEA, LINUX]
    _, out, _ = run(jsonl(*objects))
    assert [json.loads(line)["rung"] for line in out.splitlines()] == [3, 8, 10, 3, 8]


def test_small_reads_split_lines_anywhere_without_losing_any(monkeypatch):
    monkeypatch.setattr(answers_stream, "_CHUNK", 7)
    monkeypatch.setattr(answers_stream, "_BATCH", 2)
    objects = [IKEA, LINUX, MONDRAGON] * 5 + [{"directed_by": "x"}] + [IKEA]
    status, out, problems = run(jsonl(*objects))
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(objects)
    assert lines[15] == {"error": lines[15]["error"], "line": 16}
    assert lines[16]["rung"] == 3
    assert status == 2 and len(problems) == 1


def test_small_reads_still_see_one_pretty_printed_object(monkeypatch):
    monkeypatch.setattr(answers_stream, "_CHUNK", 5)
    status, out, _ = run(json.dumps(LINUX, indent=4))
    assert status == 0 and json.loads(out)["rung"] == 8


def test_text_format_prints_a_readable_block_per_input():
    status, out, _ = run(jsonl(LINUX, {"directed_by": "firm"}), fmt="text")
    assert status == 2
    assert "Line 1: rung 8, Commons with a business ecology (community view)" in out
    assert "economy:   commons" in out
    assert "Line 2: cannot classify" in out
    assert "participant_role" in out
    assert "{" not in out


def test_text_format_for_one_object_has_no_line_header():
    status, out, _ = run(json.dumps(IKEA), fmt="text")
    assert status == 0
    assert out.startswith("rung 3, Do it yourself (firm view)")


def test_text_format_lists_warnings():
    _, out, _ = run(json.dumps(IKEA | {"monetization": "none"}), fmt="text")
    assert "warnings:" in out and "ignored" in out


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        classify_stream(io.BytesIO(b"{}"), io.BytesIO(), fmt="xml", errors=io.StringIO())


def test_the_file_name_is_taken_from_the_source(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(jsonl(IKEA, {"directed_by": 1}))
    errors = io.StringIO()
    with path.open("rb") as source:
        classify_stream(source, io.BytesIO(), errors=errors)
    assert errors.getvalue().startswith(f"{path}: line 2: ")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data):
    status, _, _ = run(data)
    assert status in (0, 2)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=6))
def test_arbitrary_lines_never_raise_and_give_one_output_per_json_line(lines):
    text = "\n".join(line.replace("\n", " ") for line in lines)
    status, out, _ = run(text)
    assert status in (0, 2)
    assert out.endswith("\n")
