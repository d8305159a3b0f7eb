"""The engine behind ``peerladder classify``: answers in, classifications out, as a stream.

The input is one JSON object (possibly spread over many lines) or JSON Lines
(one object per line, blank lines skipped); the output takes the same form.
A JSON Lines line that cannot be classified gives an ``{"error": [...], "line": N}``
line, processing goes on, and the status is 2. Bad input never raises.

Built for volume (a million lines in a few seconds): input is read in large
chunks, output is written in large batches, and results are remembered by the
canonical answers, of which there are few distinct ones.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

import orjson

from peerladder.ladder import (
    Classification,
    FieldError,
    InvalidAnswers,
    Lookup,
    classify,
    english,
)
from peerladder.ladder.result import TEXT_FORM
from peerladder.text import printable

__all__ = ["FORMATS", "classify_stream"]

FORMATS = ("json", "text")
OK, FAILED = 0, 2

_CHUNK = 1 << 22  # bytes read at a time
_BATCH = 1 << 13  # output lines written at a time
_MEMO_LIMIT = 1 << 16  # distinct answer sets remembered before the memo starts over
_BOM = b"\xef\xbb\xbf"

# One memo entry: the output line of a result, or the errors of an invalid answer set.
_Outcome = tuple[bytes | None, list[dict[str, object]] | None, Classification | None]


def classify_stream(
    source: BinaryIO,
    sink: BinaryIO,
    *,
    fmt: str = "json",
    errors: TextIO | None = None,
    name: str | None = None,
    lookup: Lookup = english,
) -> int:
    """Classify every answers object in ``source`` and write the results to ``sink``.

    ``lookup`` gives the results' texts (the rung's name, the explanation, the
    warnings) in another language; keys and values never change with it.

    ``fmt`` is ``"json"`` (results in the input's form) or ``"text"`` (a
    readable block per input). One line per problem goes to ``errors``
    (stderr by default), naming the line, the field, the value received and the
    values allowed; ``name`` (by default the source's file name) prefixes it.
    Returns the exit status: 0, or 2 when any input could not be classified.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    stream = _Stream(
        source, sink, fmt=fmt, errors=errors or sys.stderr, name=_name_of(source, name)
    )
    stream.lookup = lookup
    stream.words = _ENGLISH_WORDS if lookup is english else _TextWords(lookup)
    return stream.run()


def _name_of(source: BinaryIO, name: str | None) -> str | None:
    if name is not None:
        return name
    candidate = getattr(source, "name", None)
    if isinstance(candidate, str) and candidate not in ("-", "") and not candidate.startswith("<"):
        return candidate
    return None


class _Stream:
    def __init__(
        self, source: BinaryIO, sink: BinaryIO, *, fmt: str, errors: TextIO, name: str | None
    ):
        self.source = source
        self.sink = sink
        self.text = fmt == "text"
        self.errors = errors
        self.where = f"{name}: " if name else ""
        self.memo: dict[object, _Outcome] = {}
        self.lookup: Lookup = english
        self.words = _ENGLISH_WORDS
        self.failed = False

    # -- reading -------------------------------------------------------------------

    def _read(self) -> bytes:
        return self.source.read(_CHUNK) or b""

    def run(self) -> int:
        head = self._read()
        if head.startswith(_BOM):
            head = head[len(_BOM) :]
        # Read until the first non-blank line and the start of the next one are known.
        while True:
            first, second = _first_two_lines(head)
            if second is not None:
                break
            more = self._read()
            if not more:
                break
            head += more
        if first is None:
            self._report_single([_no_input()], line=None)
            return FAILED
        number, text = first
        if second is not None and _is_complete_json(text):
            return self._run_lines(head)
        rest = head + self._read_all()
        try:
            answers = orjson.loads(rest)
        except orjson.JSONDecodeError as exc:
            _, second = _first_two_lines(rest)
            if second is not None and _is_json_object(second[1]):
                return self._run_lines(rest)
            self._report_single([_bad_json(exc.msg, rest)], line=exc.lineno)
            return FAILED
        outcome = self._outcome(answers)
        if outcome[1] is not None:
            self._report_single(outcome[1], line=number)
            return FAILED
        assert outcome[2] is not None
        self.sink.write(self._render(outcome, line=None))
        self.sink.flush()
        return OK

    def _read_all(self) -> bytes:
        parts = []
        while chunk := self._read():
            parts.append(chunk)
        return b"".join(parts)

    def _lines(self, head: bytes) -> Iterator[tuple[int, list[bytes]]]:
        """Batches of physical lines with the number of the first one."""
        number = 1
        pending = head
        while True:
            chunk = self._read()
            if not chunk:
                lines = pending.split(b"\n")
                yield number, lines
                return
            pending += chunk
            lines = pending.split(b"\n")
            pending = lines.pop()
            yield number, lines
            number += len(lines)

    # -- JSON Lines ------------------------------------------------------------------

    def _run_lines(self, head: bytes) -> int:
        out: list[bytes] = []
        problems: list[str] = []
        memo = self.memo
        loads = orjson.loads
        decode_error = orjson.JSONDecodeError
        for first_number, lines in self._lines(head):
            number = first_number - 1
            for raw in lines:
                number += 1
                if not raw or raw.isspace():
                    continue
                try:
                    answers = loads(raw)
                except decode_error as exc:
                    out.append(self._error_line([_bad_json(exc.msg, raw)], number, problems))
                    continue
                try:
                    key: object = tuple(sorted(answers.items()))
                    outcome = memo.get(key)
                except (AttributeError, TypeError):  # not an object, or unhashable values
                    key, outcome = None, None
                if outcome is None:
                    outcome = self._outcome(answers)
                    if key is not None:
                        if len(memo) >= _MEMO_LIMIT:
                            memo.clear()
                        memo[key] = outcome
                if outcome[0] is not None and not self.text:
                    out.append(outcome[0])
                elif outcome[1] is not None:
                    out.append(self._error_line(outcome[1], number, problems))
                else:
                    out.append(self._render(outcome, line=number))
                if len(out) >= _BATCH:
                    self._flush(out, problems)
        self._flush(out, problems)
        return FAILED if self.failed else OK

    def _flush(self, out: list[bytes], problems: list[str]) -> None:
        if out:
            self.sink.write(b"".join(out))
            out.clear()
        self.sink.flush()
        if problems:
            # After the results they belong to, so a terminal shows them in order.
            self.errors.write("".join(problems))
            self.errors.flush()
            problems.clear()

    # -- one answer set ----------------------------------------------------------------

    def _outcome(self, answers: object) -> _Outcome:
        try:
            result = classify(answers)  # type: ignore[arg-type]
        except InvalidAnswers as exc:
            return None, printable(exc.as_list()), None
        except Exception as exc:  # bad input must never show a traceback
            return None, [_unexpected(exc)], None
        if self.lookup is not english:
            result = result.translated(self.lookup)
        return orjson.dumps(result.as_dict()) + b"\n", None, result

    def _render(self, outcome: _Outcome, *, line: int | None) -> bytes:
        result = outcome[2]
        if not self.text or result is None:
            assert outcome[0] is not None
            return outcome[0]
        return _text_block(result, line, self.words).encode("utf-8")

    def _error_line(self, errors: list[dict[str, object]], line: int, problems: list[str]) -> bytes:
        self.failed = True
        problems.extend(self._problem(error, line) for error in errors)
        if self.text:
            return _text_errors(errors, line, self.words).encode("utf-8")
        return orjson.dumps({"error": errors, "line": line}) + b"\n"

    def _report_single(self, errors: list[dict[str, object]], *, line: int | None) -> None:
        self.failed = True
        if self.text:
            self.sink.write(_text_errors(errors, None, self.words).encode("utf-8"))
        else:
            body: dict[str, object] = {"error": errors}
            if line is not None:
                body["line"] = line
            self.sink.write(orjson.dumps(body) + b"\n")
        self.sink.flush()
        self.errors.write("".join(self._problem(error, line) for error in errors))
        self.errors.flush()

    def _problem(self, error: dict[str, object], line: int | None) -> str:
        # Every message names the field, the value received and the values allowed.
        where = self.where + (f"line {line}: " if line is not None else "")
        return f"{where}{error['message']}\n"


# -- helpers ---------------------------------------------------------------------------


def _first_two_lines(
    data: bytes,
) -> tuple[tuple[int, bytes] | None, tuple[int, bytes] | None]:
    """The first two non-blank complete lines (number, text); a line is complete once a
    newline follows it, or at the end of the data when it is the last one."""
    found: list[tuple[int, bytes]] = []
    for index, raw in enumerate(data.split(b"\n")):
        if raw.strip():
            found.append((index + 1, raw.strip()))
            if len(found) == 2:
                break
    first = found[0] if found else None
    second = found[1] if len(found) > 1 else None
    return first, second


def _is_complete_json(text: bytes) -> bool:
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    return True


def _is_json_object(text: bytes) -> bool:
    try:
        return isinstance(orjson.loads(text), dict)
    except orjson.JSONDecodeError:
        return False


def _no_input() -> dict[str, object]:
    return FieldError(
        None, "", None, "the input is empty: give one JSON object of answers, or JSON Lines"
    ).as_dict()


def _bad_json(reason: str, text: bytes) -> dict[str, object]:
    received = text.strip().decode("utf-8", errors="replace")
    if len(received) > 200:
        received = received[:197] + "..."
    return FieldError(None, received, None, f"not valid JSON ({reason})").as_dict()


def _unexpected(exc: Exception) -> dict[str, object]:
    return FieldError(None, None, None, f"cannot classify these answers: {exc}").as_dict()


class _TextWords:
    """The words of the text form in one language, looked up once per stream (a stream
    may hold millions of lines)."""

    def __init__(self, lookup: Lookup) -> None:
        def word(part: str, **probe: object) -> str:
            message = TEXT_FORM[part]
            found = lookup(message.key, message.template)
            try:
                found.format(**probe)
            except (KeyError, IndexError, ValueError):  # a broken translation
                return message.template
            return found

        self.line = word("line", line=1)
        self.rung = word("rung", number=1, name="", view="")
        self.views = {view: word(f"view.{view}") for view in ("firm", "community")}
        economy, viability = word("economy") + ":", word("viability") + ":"
        width = max(len(economy), len(viability)) + 1
        self.economy, self.viability = economy.ljust(width), viability.ljust(width)
        self.why, self.warnings = word("why"), word("warnings")
        self.no_economy, self.not_assessed = word("no-economy"), word("not-assessed")
        self.cannot_classify = word("cannot-classify")

    def header(self, line: int | None) -> str:
        return "" if line is None else self.line.format(line=line) + ": "


_ENGLISH_WORDS = _TextWords(english)


def _text_block(
    result: Classification, line: int | None, words: _TextWords = _ENGLISH_WORDS
) -> str:
    rung = words.rung.format(number=result.rung, name=result.name, view=words.views[result.view])
    parts = [
        words.header(line) + rung,
        f"  {words.economy}{result.economy or words.no_economy}",
        f"  {words.viability}{(result.viability or words.not_assessed).replace('_', ' ')}",
        f"  {words.why}:",
        *(f"    - {step}" for step in result.explanation),
    ]
    if result.warnings:
        parts.append(f"  {words.warnings}:")
        parts.extend(f"    - {warning}" for warning in result.warnings)
    return "\n".join(parts) + "\n\n"


def _text_errors(errors: list[dict[str, object]], line: int | None, words: _TextWords) -> str:
    parts = [words.header(line) + words.cannot_classify]
    parts.extend(f"    - {error['message']}" for error in errors)
    return "\n".join(parts) + "\n\n"
