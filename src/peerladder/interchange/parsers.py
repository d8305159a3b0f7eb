"""Reading case records from JSON, JSON Lines and CSV into plain dicts.

Parsers never touch the database. Each returns ``(where, record)`` pairs, where
``where`` names the file and the line (JSON Lines, CSV) or the record number
(JSON), or raises :class:`~peerladder.interchange.problems.InvalidFile` listing every
problem found: bad encodings, truncated JSON, unknown or repeated columns, cells
that look like spreadsheet formulas, fields too large to be real.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from peerladder.catalogue.record import (
    CASE_FIELDS,
    CSV_LIST_COLUMNS,
    LIST_KEYS,
    OPTIONAL_CASE_FIELDS,
    RECORD_KEYS,
    TRANSLATED_FIELDS,
    TRANSLATION_COLUMNS,
    TRANSLATIONS_KEY,
)
from peerladder.interchange.problems import InvalidFile, LocatedProblem

__all__ = [
    "CSV_COLUMNS",
    "CSV_COMPUTED_COLUMNS",
    "CSV_JSON_COLUMNS",
    "CSV_LIST_COLUMNS",
    "FORMATS",
    "FORMULA_PREFIXES",
    "MAX_CELL",
    "Record",
    "decode",
    "iter_jsonl",
    "parse",
    "parse_csv",
    "parse_json",
    "parse_jsonl",
]

FORMATS = ("csv", "json", "jsonl")
Record = tuple[str, Any]

# Longer than any field a case allows (descriptions stop at 100,000 characters), so
# a cell past it is a broken file rather than a long description.
MAX_CELL = 1_000_000
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# The CSV layout (docs/open-data.md): one row per case; translations in a column per
# language and field at the end.
CSV_COLUMNS: tuple[str, ...] = (
    *(key for key in RECORD_KEYS if key != TRANSLATIONS_KEY),
    *(column for column, _, _ in TRANSLATION_COLUMNS),
)
_CSV_TRANSLATION_COLUMNS = {
    column: (language, key) for column, language, key in TRANSLATION_COLUMNS
}
# CSV_LIST_COLUMNS are separated by ";" within their cell.
CSV_JSON_COLUMNS = LIST_KEYS  # JSON-encoded lists
# A field with a list of values: an empty cell takes its default.
_CSV_CHOICE_COLUMNS = tuple(field.name for field in CASE_FIELDS if field.vocabulary is not None)
_CSV_REQUIRED = tuple(field.name for field in CASE_FIELDS if field.required)
# Written by the exporter for people reading the file; ignored on import.
# Computed by the catalogue, written by the exports, ignored by an import.
CSV_COMPUTED_COLUMNS = (
    "rung",
    "economy",
    "viability",
    "agreement",
    "contested",
    "revision",
    "rating_average",
    "rating_count",
    "views",
)

# A spreadsheet runs a cell starting with one of these as a formula. The CSV
# exporter writes such cells behind a single quote; the importer takes that quote
# off again and refuses unescaped ones.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _problem(where: str, message: str, *, field: str | None = None, received: Any = None) -> Any:
    return LocatedProblem(where, field, received, message)


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(data: bytes, *, name: str) -> str:
    """The text of a UTF-8 file (a UTF-8 byte-order mark is accepted and dropped)."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    elif data.startswith(_UTF16_BOMS):
        raise InvalidFile(
            [_problem(name, "the file is UTF-16; save it as UTF-8 and import it again")]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise InvalidFile(
            [
                _problem(
                    f"{name}:{line}",
                    f"the file is not UTF-8 (byte 0x{byte} at column {column}); "
                    "save it as UTF-8 and import it again",
                    received=f"0x{byte}",
                )
            ]
        ) from None


def parse(data: bytes, *, fmt: str, name: str) -> list[Record]:
    """Records of ``data`` read as ``fmt`` (csv, json or jsonl)."""
    if fmt == "csv":
        return parse_csv(data, name=name)
    if fmt == "json":
        return parse_json(data, name=name)
    if fmt == "jsonl":
        return parse_jsonl(data, name=name)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def _check_empty(records: list[Record], name: str) -> list[Record]:
    if not records:
        raise InvalidFile([_problem(name, "the file holds no case records")])
    return records


def parse_json(data: bytes, *, name: str) -> list[Record]:
    """A JSON list of case records, or an object whose ``cases`` is that list."""
    text = decode(data, name=name)
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        reason = exc.msg
        if exc.pos >= len(text.rstrip()):
            reason = f"the JSON ends too early; the file may be truncated ({exc.msg})"
        raise InvalidFile(
            [_problem(f"{name}:{exc.lineno}", f"not valid JSON at column {exc.colno}: {reason}")]
        ) from None
    if isinstance(document, dict):
        cases = document.get("cases")
        if not isinstance(cases, list):
            raise InvalidFile(
                [
                    _problem(
                        name,
                        "a JSON object must hold the records in a list under 'cases'",
                        field="cases",
                        received=type(cases).__name__ if cases is not None else None,
                    )
                ]
            )
    elif isinstance(document, list):
        cases = document
    else:
        raise InvalidFile(
            [
                _problem(
                    name,
                    "the JSON must be a list of case records or an object with 'cases'",
                    received=type(document).__name__,
                )
            ]
        )
    return _check_empty([(f"{name}: record {n}", c) for n, c in enumerate(cases, 1)], name)


def _parse_jsonl_quickly(data: bytes, name: str) -> list[Record] | None:
    """The records of a well-formed file, parsed from bytes without decoding the whole
    text first (orjson checks the UTF-8 itself); None at the first problem, for
    :func:`parse_jsonl` to find and describe every problem."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    elif data.startswith(_UTF16_BOMS):
        return None
    loads = orjson.loads
    records: list[Record] = []
    try:
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.strip():
                records.append((f"{name}:{number}", loads(line)))
    except orjson.JSONDecodeError:
        return None
    return records


def parse_jsonl(data: bytes, *, name: str) -> list[Record]:
    """One case record per line (docs/dataset-format.md); blank lines are skipped."""
    quick = _parse_jsonl_quickly(data, name)
    if quick is not None:
        return _check_empty(quick, name)
    text = decode(data, name=name)
    problems: list[LocatedProblem] = []
    records: list[Record] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"{name}:{number}", orjson.loads(line)))
        except orjson.JSONDecodeError as exc:
            reason = exc.msg
            if not line.rstrip().endswith("}"):
                reason = f"the line ends too early; the file may be truncated ({exc.msg})"
            problems.append(
                _problem(
                    f"{name}:{number}",
                    f"not valid JSON at column {exc.colno}: {reason}",
                    received=_clip(line.strip()),
                )
            )
    if problems:
        raise InvalidFile(problems)
    return _check_empty(records, name)


def _line_problem(where: str, line: bytes) -> LocatedProblem | None:
    """What is wrong with a JSON Lines line orjson refused (None: a blank line)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = line[exc.start : exc.start + 1].hex()
        return _problem(
            where,
            f"the file is not UTF-8 (byte 0x{byte} at column {exc.start + 1}); "
            "save it as UTF-8 and import it again",
            received=f"0x{byte}",
        )
    if not text.strip():
        return None
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        reason = exc.msg
        if not text.rstrip().endswith("}"):
            reason = f"the line ends too early; the file may be truncated ({exc.msg})"
        return _problem(
            where,
            f"not valid JSON at column {exc.colno}: {reason}",
            received=_clip(text.strip()),
        )
    return None  # pragma: no cover - orjson refused the bytes but takes the text


def iter_jsonl(lines: Iterable[bytes], *, name: str) -> Iterator[Record]:
    """The records of a JSON Lines file read line by line (an open binary file will do),
    for imports too large to hold twice in memory.

    A line that cannot be read yields ``(where, LocatedProblem)`` instead of a record,
    and reading goes on, so every problem of the file is found in one pass; the
    importer reports them with the records' own.
    """
    count = 0
    for number, line in enumerate(lines, start=1):
        if number == 1:
            if line.startswith(_UTF16_BOMS):
                yield (
                    name,
                    _problem(name, "the file is UTF-16; save it as UTF-8 and import it again"),
                )
                return
            if line.startswith(_BOM):
                line = line[len(_BOM) :]
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            problem = _line_problem(where, line)
            if problem is not None:
                count += 1
                yield where, problem
            continue
        count += 1
        yield where, record
    if not count:
        yield name, _problem(name, "the file holds no case records")


def _looks_like_formula(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_PREFIXES


def _unescape(cell: str, where: str, column: str, problems: list[LocatedProblem]) -> str:
    if cell[:1] == "'" and _looks_like_formula(cell.lstrip("'")):
        return cell[1:]  # the escape the exporter (or a careful person) put there
    if _looks_like_formula(cell):
        problems.append(
            _problem(
                where,
                f"{column} starts with {cell[:1]!r} and would run as a spreadsheet formula; "
                "put a single quote (') in front to keep it as text",
                field=column,
                received=_clip(cell),
            )
        )
    return cell


def parse_csv(data: bytes, *, name: str) -> list[Record]:
    """One case per row, with the columns of :data:`CSV_COLUMNS` (docs/open-data.md)."""
    text = decode(data, name=name)
    previous_limit = csv.field_size_limit(MAX_CELL)
    try:
        return _parse_csv_text(text, name)
    finally:
        csv.field_size_limit(previous_limit)


def _parse_csv_text(text: str, name: str) -> list[Record]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[LocatedProblem] = []
    header_line = 1
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidFile([_problem(name, "the file is empty")]) from None
    except csv.Error as exc:
        raise InvalidFile([_problem(f"{name}:1", f"not valid CSV: {exc}")]) from None
    header = [column.strip() for column in header]
    allowed = (*CSV_COLUMNS, *CSV_COMPUTED_COLUMNS)
    for column in header:
        if column not in allowed:
            problems.append(
                LocatedProblem(
                    f"{name}:{header_line}",
                    column,
                    column,
                    f"unknown column {column!r}",
                    list(allowed),
                )
            )
        elif header.count(column) > 1:
            problems.append(
                _problem(f"{name}:{header_line}", f"column {column!r} appears twice", field=column)
            )
    for column in _CSV_REQUIRED:
        if column not in header:
            problems.append(
                _problem(f"{name}:{header_line}", f"the column {column!r} is missing", field=column)
            )
    if problems:
        raise InvalidFile(_unique(problems))
    records: list[Record] = []
    line = reader.line_num + 1
    try:
        for row in reader:
            where = f"{name}:{line}"
            line = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append(
                    _problem(
                        where,
                        f"the row has {len(row)} cells; the header has {len(header)} columns",
                        received=len(row),
                    )
                )
                continue
            records.append(
                (where, _csv_record(dict(zip(header, row, strict=True)), where, problems))
            )
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"a cell is longer than {MAX_CELL:,} characters"
        problems.append(_problem(f"{name}:{line}", f"not valid CSV: {message}"))
    if problems:
        raise InvalidFile(problems)
    return _check_empty(records, name)


def _unique(problems: list[LocatedProblem]) -> list[LocatedProblem]:
    seen: list[LocatedProblem] = []
    for problem in problems:
        if problem not in seen:
            seen.append(problem)
    return seen


def _csv_record(row: dict[str, str], where: str, problems: list[LocatedProblem]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    translations: dict[str, dict[str, Any]] = {}
    for column, raw in row.items():
        if column in CSV_COMPUTED_COLUMNS:
            continue
        cell = _unescape(raw, where, column, problems)
        if column in _CSV_TRANSLATION_COLUMNS:
            language, key = _CSV_TRANSLATION_COLUMNS[column]
            translations.setdefault(language, {})[key] = _translation_cell(
                cell, key, where, column, problems
            )
        elif column in CSV_LIST_COLUMNS:
            record[column] = [part.strip() for part in cell.split(";") if part.strip()]
        elif column in CSV_JSON_COLUMNS:
            record[column] = _json_cell(cell, where, column, problems)
        elif column in OPTIONAL_CASE_FIELDS:
            record[column] = cell.strip() or None
        elif column in _CSV_CHOICE_COLUMNS:
            if cell.strip():  # an empty cell takes the field's default
                record[column] = cell.strip()
        else:
            record[column] = cell
    # A language with no text in any of its columns has no translation.
    given = {
        language: texts
        for language, texts in translations.items()
        if any(texts.get(key) for key in TRANSLATED_FIELDS)
    }
    if given:
        record[TRANSLATIONS_KEY] = given
    return record


def _translation_cell(
    cell: str, key: str, where: str, column: str, problems: list[LocatedProblem]
) -> Any:
    if key != "editorial":
        return cell
    marker = cell.strip().lower()
    if marker in ("", "false"):
        return False
    if marker == "true":
        return True
    problems.append(
        _problem(where, f"{column} must be true or false", field=column, received=_clip(cell))
    )
    return False


def _json_cell(cell: str, where: str, column: str, problems: list[LocatedProblem]) -> Any:
    if not cell.strip():
        return []
    try:
        value = orjson.loads(cell)
    except orjson.JSONDecodeError as exc:
        problems.append(
            _problem(
                where,
                f"{column} must be a JSON list ({exc.msg} at character {exc.pos + 1})",
                field=column,
                received=_clip(cell),
            )
        )
        return []
    if not isinstance(value, list):
        problems.append(
            _problem(where, f"{column} must be a JSON list", field=column, received=_clip(cell))
        )
        return []
    return value
