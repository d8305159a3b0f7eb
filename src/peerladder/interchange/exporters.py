"""Exporters: small classes that write a stream of cases in one format.

Each exporter has a ``name``, an ``extension`` and a ``media_type``, and writes
bytes to a stream (``write``) or yields them (``chunks``, for streamed HTTP
downloads); none builds the whole file in memory. Cases come from a
:class:`CaseStream`, which reads the database a chunk at a time.
"""

from __future__ import annotations

import abc
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, ClassVar

import orjson
from django.conf import settings
from django.db.models import QuerySet

from peerladder.catalogue.models import Case
from peerladder.catalogue.records import case_record
from peerladder.catalogue.selectors import CaseFilters, case_full_queryset
from peerladder.interchange.parsers import (
    CSV_COLUMNS,
    CSV_COMPUTED_COLUMNS,
    CSV_JSON_COLUMNS,
    CSV_LIST_COLUMNS,
    FORMULA_PREFIXES,
)

__all__ = [
    "CHUNK_SIZE",
    "CaseStream",
    "CsvExporter",
    "Exporter",
    "JsonExporter",
    "JsonLinesExporter",
    "guard_cell",
    "resolve_base_url",
]

CHUNK_SIZE = 500
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def resolve_base_url(explicit: str | None = None) -> str:
    """The site's public address for permalinks: given, else the PEERLADDER_BASE_URL
    setting when one exists, else the address ``peerladder demo`` serves on."""
    chosen = explicit or getattr(settings, "PEERLADDER_BASE_URL", None) or DEFAULT_BASE_URL
    return str(chosen).rstrip("/")


class CaseStream:
    """The live cases matching ``filters``, by slug, read ``CHUNK_SIZE`` at a time.

    It can be iterated more than once (the data package reads it once per table);
    each pass is a fresh chunked query, so memory stays flat however many cases.
    """

    def __init__(self, filters: CaseFilters | None = None, *, chunk_size: int = CHUNK_SIZE):
        self.filters = filters or CaseFilters()
        self.chunk_size = chunk_size

    @property
    def queryset(self) -> QuerySet[Case]:
        """The matching cases without prefetches (for counts)."""
        return self.filters.apply(Case.objects.filter(archived=False))

    def __iter__(self) -> Iterator[Case]:
        queryset = self.filters.apply(case_full_queryset().filter(archived=False))
        return queryset.order_by("slug").iterator(chunk_size=self.chunk_size)

    def batches(self) -> Iterator[list[Case]]:
        batch: list[Case] = []
        for case in self:
            batch.append(case)
            if len(batch) >= self.chunk_size:
                yield batch
                batch = []
        if batch:
            yield batch


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

    def permalink(self, case: Case) -> str:
        return f"{self.base_url}{case.get_absolute_url()}"


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
            yield b"".join(_dumps(case_record(case)) + b"\n" for case in batch)


class JsonExporter(Exporter):
    """``{"dataset": <release>, "cases": [<record>, ...]}``; importable as it is."""

    name = "json"
    extension = "json"
    media_type = "application/json"
    description = "JSON: the dataset release and a list of case records"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        from peerladder.interchange.citations import dataset_release

        release = dataset_release(cases.queryset, base_url=self.base_url)
        yield b'{"dataset": ' + _dumps(release.as_dict()) + b', "cases": ['
        first = True
        for batch in cases.batches():
            parts = [_dumps(case_record(case)) for case in batch]
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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return guard_cell(str(value))


class CsvTable:
    """Rows written through the csv module into bytes, a batch at a time."""

    def __init__(self, columns: Iterable[str]):
        self.columns = list(columns)
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def header(self) -> bytes:
        return self.rows([self.columns], guard=False)

    def rows(self, rows: Iterable[Iterable[Any]], *, guard: bool = True) -> bytes:
        for row in rows:
            self.writer.writerow([_cell(value) if guard else value for value in row])
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text.encode("utf-8")


def csv_row(case: Case) -> list[Any]:
    """A case as a row of :data:`~peerladder.interchange.parsers.CSV_COLUMNS` plus the
    computed columns."""
    record = case_record(case)
    row: list[Any] = []
    for column in CSV_COLUMNS:
        value = record[column]
        if column in CSV_LIST_COLUMNS:
            value = ";".join(value)
        elif column in CSV_JSON_COLUMNS:
            value = orjson.dumps(value).decode("utf-8")
        row.append(value)
    row.extend(
        [
            case.standing_rung,
            case.standing_economy,
            case.standing_viability,
            None if case.agreement is None else round(case.agreement, 4),
            case.contested,
            case.revision_number,
        ]
    )
    return row


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
