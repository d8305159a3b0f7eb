"""Exporters: small classes that write a stream of cases in one format.

Each exporter has a ``name``, an ``extension`` and a ``media_type``, and writes
bytes to a stream (``write``) or yields them (``chunks``, for streamed HTTP
downloads); none builds the whole file in memory. Cases come from a
:class:`CaseStream`, which reads the database a chunk at a time.
"""

from __future__ import annotations

import abc
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, BinaryIO, ClassVar

import orjson
from django.db.models import QuerySet

from peerladder.catalogue.models import Case
from peerladder.catalogue.record import TRANSLATION_COLUMNS, TRANSLATIONS_KEY
from peerladder.catalogue.record_stream import (
    CHUNK_SIZE,
    CaseRow,
    case_row_batches,
    case_row_batches_of_ids,
)
from peerladder.catalogue.selectors import CaseFilters
from peerladder.interchange.citations import (
    Citation,
    dataset_release,
    resolve_base_url,
    row_citations,
    to_bibtex,
    to_csl,
    to_ris,
)
from peerladder.interchange.parsers import (
    CSV_COLUMNS,
    CSV_COMPUTED_COLUMNS,
    CSV_JSON_COLUMNS,
    CSV_LIST_COLUMNS,
    FORMULA_PREFIXES,
)
from peerladder.search.selectors import with_text_query_resolved

__all__ = [
    "CHUNK_SIZE",
    "BibtexExporter",
    "CaseStream",
    "CslExporter",
    "CsvExporter",
    "Exporter",
    "JsonExporter",
    "JsonLinesExporter",
    "RisExporter",
    "guard_cell",
]


class CaseStream:
    """The live cases matching ``filters``, by slug, read ``chunk_size`` at a time.

    It can be iterated more than once; each pass reads the database afresh, a
    chunk of plain rows at a time (:func:`~peerladder.catalogue.record_stream.case_row_batches`),
    so memory stays flat however many cases there are. A text query among the
    filters is resolved by the search at the start of each pass, so an export
    selects exactly what ``GET /api/cases?q=`` lists.
    """

    def __init__(self, filters: CaseFilters | None = None, *, chunk_size: int = CHUNK_SIZE):
        self.filters = filters or CaseFilters()
        self.chunk_size = chunk_size

    @property
    def queryset(self) -> QuerySet[Case]:
        """The matching cases (for counts and for reading)."""
        return with_text_query_resolved(self.filters).apply(Case.objects.filter(archived=False))

    def __iter__(self) -> Iterator[CaseRow]:
        for batch in self.batches():
            yield from batch

    def batches(self) -> Iterator[list[CaseRow]]:
        """The cases in slug order, as lists of at most ``chunk_size``."""
        filters = with_text_query_resolved(self.filters)
        if filters.ids is None:
            return case_row_batches(
                filters.apply(Case.objects.filter(archived=False)), chunk_size=self.chunk_size
            )
        # The matches of a search, perhaps very many: never named all in one query.
        others = replace(filters, ids=None).apply(Case.objects.filter(archived=False))
        return case_row_batches_of_ids(others, filters.ids, chunk_size=self.chunk_size)


class Exporter(abc.ABC):
    """One export format. Subclasses set the class attributes and implement ``chunks``."""

    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, *, base_url: str | None = None, accessed: dt.date | None = None):
        self.base_url = resolve_base_url(base_url)
        self.accessed = accessed or dt.date.today()

    @abc.abstractmethod
    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        """The export of ``cases`` as a stream of byte chunks."""

    def write(self, cases: CaseStream, stream: BinaryIO) -> None:
        """Write the whole export of ``cases`` to ``stream``."""
        for chunk in self.chunks(cases):
            stream.write(chunk)

    def filename(self, stem: str = "peerladder-cases") -> str:
        return f"{stem}.{self.extension}"

    def permalink(self, slug: str) -> str:
        return f"{self.base_url}/cases/{slug}"


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value)


class JsonLinesExporter(Exporter):
    """The import format (docs/dataset-format.md): export, import and export again is identical."""

    name = "jsonl"
    extension = "jsonl"
    media_type = "application/jsonl"
    description = "JSON Lines: one case record per line, the import format"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        for batch in cases.batches():
            yield b"".join(_dumps(case.record) + b"\n" for case in batch)


class JsonExporter(Exporter):
    """``{"dataset": <release>, "cases": [<record>, ...]}``; importable as it is."""

    name = "json"
    extension = "json"
    media_type = "application/json"
    description = "JSON: the dataset release and a list of case records"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        release = dataset_release(cases.queryset, base_url=self.base_url)
        yield b'{"dataset": ' + _dumps(release.as_dict()) + b', "cases": ['
        first = True
        for batch in cases.batches():
            parts = [_dumps(case.record) for case in batch]
            yield (b"\n" if first else b",\n") + b",\n".join(parts)
            first = False
        yield b"\n]}\n"


def guard_cell(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula: prefix a single quote."""
    # A value already starting with quotes before a formula character gets one more,
    # so the importer, which takes one quote off, gives the value back unchanged.
    rest = value.lstrip("'")
    if rest and rest[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


_GUARDED_STARTS = frozenset(("'", *FORMULA_PREFIXES))


def _cells(row: Iterable[Any]) -> list[str]:
    """The row's values as CSV cells: None empty, booleans as true/false, and
    anything a spreadsheet could run as a formula guarded."""
    cells = []
    for value in row:
        if type(value) is not str:
            if value is None:
                value = ""
            elif value is True or value is False:
                value = "true" if value else "false"
            else:
                value = str(value)
        # Only a cell starting with a quote or a formula character can need the guard.
        if value[:1] in _GUARDED_STARTS:
            value = guard_cell(value)
        cells.append(value)
    return cells


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def csv_line(cells: list[str]) -> str:
    """One CSV line, exactly as ``csv.writer(lineterminator="\r\n")`` writes it: a cell
    holding a quote, a comma or a line break is quoted, its quotes doubled."""
    # Written by hand because the csv module's writerow was the slowest step of a
    # large CSV export; tests compare the two on awkward cells.
    if len(cells) == 1 and not cells[0]:
        return '""\r\n'  # a lone empty cell is quoted, or the line would read as empty
    return (
        ",".join(
            '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell
            for cell in cells
        )
        + "\r\n"
    )


class CsvTable:
    """Rows written as CSV bytes, a batch at a time."""

    def __init__(self, columns: Iterable[str]):
        self.columns = list(columns)

    def header(self) -> bytes:
        return csv_line(self.columns).encode("utf-8")

    def rows(self, rows: Iterable[Iterable[Any]]) -> bytes:
        return "".join([csv_line(_cells(row)) for row in rows]).encode("utf-8")


_LIST, _JSON, _PLAIN = "list", "json", "plain"
_TRANSLATION_CELLS = {column: (language, key) for column, language, key in TRANSLATION_COLUMNS}
_CSV_LAYOUT = tuple(
    (
        column,
        _LIST if column in CSV_LIST_COLUMNS else _JSON if column in CSV_JSON_COLUMNS else _PLAIN,
    )
    for column in CSV_COLUMNS
    if column not in _TRANSLATION_CELLS
)


def translation_cells(record: Any) -> list[Any]:
    """The record's translation columns (``name_es``...): empty for a language it lacks."""
    translations = record[TRANSLATIONS_KEY]
    cells: list[Any] = []
    for _, language, key in TRANSLATION_COLUMNS:
        translation = translations.get(language)
        cells.append(translation[key] if translation is not None else None)
    return cells


def csv_row(case: CaseRow) -> list[Any]:
    """A case as a row of :data:`~peerladder.interchange.parsers.CSV_COLUMNS` plus the
    computed columns."""
    record = case.record
    row: list[Any] = []
    for column, kind in _CSV_LAYOUT:
        value = record[column]
        if kind == _LIST:
            value = ";".join(value)
        elif kind == _JSON:
            value = orjson.dumps(value).decode("utf-8")
        row.append(value)
    row.extend(translation_cells(record))
    row.extend(computed_cells(case))
    return row


def computed_cells(case: CaseRow) -> list[Any]:
    """The cells of :data:`~peerladder.interchange.parsers.CSV_COMPUTED_COLUMNS`: the
    standing placement, agreement, revision, and what readers did (rating, views)."""
    return [
        case.standing_rung,
        case.standing_economy,
        case.standing_viability,
        None if case.agreement is None else round(case.agreement, 4),
        case.contested,
        case.revision_number,
        case.rating_average,
        case.rating_count,
        case.views_total,
    ]


class CsvExporter(Exporter):
    """One row per case; cells that could run as spreadsheet formulas are quoted."""

    name = "csv"
    extension = "csv"
    media_type = "text/csv; charset=utf-8"
    description = "CSV: one row per case; sources, placements and relations as JSON cells"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        table = CsvTable([*CSV_COLUMNS, *CSV_COMPUTED_COLUMNS])
        yield table.header()
        for batch in cases.batches():
            yield table.rows(csv_row(case) for case in batch)


class _CitationExporter(Exporter):
    def citations(self, cases: CaseStream) -> Iterator[Iterable[Citation]]:
        release = dataset_release(cases.queryset, base_url=self.base_url)
        yield [release.citation(accessed=self.accessed)]
        for batch in cases.batches():
            yield row_citations(batch, base_url=self.base_url, accessed=self.accessed)


class BibtexExporter(_CitationExporter):
    """The dataset release, then each case, as BibTeX entries."""

    name = "bibtex"
    extension = "bib"
    media_type = "application/x-bibtex; charset=utf-8"
    description = "BibTeX: the dataset release and a citation of each case"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        for batch in self.citations(cases):
            yield "".join(to_bibtex(c) + "\n" for c in batch).encode("utf-8")


class RisExporter(_CitationExporter):
    """The dataset release, then each case, as RIS records."""

    name = "ris"
    extension = "ris"
    media_type = "application/x-research-info-systems; charset=utf-8"
    description = "RIS: the dataset release and a citation of each case"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        for batch in self.citations(cases):
            yield "".join(to_ris(c) for c in batch).encode("utf-8")


class CslExporter(_CitationExporter):
    """The dataset release, then each case, as a CSL-JSON list."""

    name = "csl"
    extension = "json"
    media_type = "application/vnd.citationstyles.csl+json"
    description = "CSL-JSON: the dataset release and a citation of each case"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        separator = b"[\n"
        for batch in self.citations(cases):
            for citation in batch:
                yield separator + orjson.dumps(to_csl(citation))
                separator = b",\n"
        yield b"\n]\n" if separator != b"[\n" else b"[]\n"

    def filename(self, stem: str = "peerladder-cases") -> str:
        return f"{stem}.csl.json"
