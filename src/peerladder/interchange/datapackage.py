"""A Frictionless data package: ``datapackage.json`` with a table schema for each of
five CSV resources (cases, translations, sources, placements, relations), as a zip or
a directory.

See https://datapackage.org/. The catalogue is read once, a chunk of cases at a
time, for all four tables; the zip is streamed (no seeking), so memory stays flat.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from peerladder.catalogue.record import (
    CASE_FIELD_NAMES,
    CSV_LIST_COLUMNS,
    LIMITS,
    TRANSLATED_FIELDS,
    CaseField,
)
from peerladder.catalogue.record import CASE_FIELDS as RECORD_CASE_FIELDS
from peerladder.catalogue.record_stream import CaseRow
from peerladder.catalogue.vocabulary import (
    CASE_LANGUAGES,
    PERIOD_PATTERN,
    RELATION_TYPES,
    SLUG_PATTERN,
    WIKIDATA_PATTERN,
)
from peerladder.interchange.citations import CATALOGUE_TITLE, dataset_release
from peerladder.interchange.exporters import CaseStream, CsvTable, Exporter, computed_cells

__all__ = ["DataPackageExporter", "descriptor"]

_SLUG = {"pattern": SLUG_PATTERN.pattern.strip("^$")}
_PERIOD = {"pattern": PERIOD_PATTERN.pattern.strip("^$")}
_COPY_BLOCK = 1 << 20


def _field(
    name: str, kind: str = "string", description: str = "", **constraints: Any
) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": name, "type": kind}
    if description:
        spec["description"] = description
    if constraints:
        spec["constraints"] = constraints
    return spec


def _case_field(field: CaseField) -> dict[str, Any]:
    """The table-schema field of one of the record's case fields."""
    constraints: dict[str, Any] = {}
    kind = "string"
    description = field.description
    if field.kind == "slug":
        constraints = {"required": True, "unique": True, **_SLUG}
    elif field.kind == "text":
        constraints = {"required": field.required, "maxLength": field.max_length}
    elif field.kind == "wikidata":
        constraints = {"pattern": WIKIDATA_PATTERN.pattern.strip("^$")}
    elif field.vocabulary is not None:
        constraints = {
            "enum": list(field.vocabulary.values),
            "required": field.vocabulary.default is not None,
        }
    elif field.kind == "year":
        kind = "integer"
        constraints = {"minimum": LIMITS.year_min, "maximum": LIMITS.year_max}
    elif field.name in CSV_LIST_COLUMNS:
        description = f"{description or field.label} separated by ';'"
    return _field(field.name, kind, description, **constraints)


CASE_FIELDS = [
    *(_case_field(field) for field in RECORD_CASE_FIELDS),
    _field("rung", "integer", "Standing rung on the ladder", minimum=1, maximum=11),
    _field("economy", description="Economy of the standing placement"),
    _field("viability", description="Viability of the standing placement"),
    _field("agreement", "number", "Share of agreeing placements", minimum=0, maximum=1),
    _field("contested", "boolean"),
    _field("revision", "integer", "Current revision number", minimum=0),
    _field("rating_average", "number", "Readers' average rating, 1-5", minimum=1, maximum=5),
    _field("rating_count", "integer", "How many accounts rated the case", minimum=0),
    _field("views", "integer", "Page views in all", minimum=0),
]
TRANSLATION_FIELDS = [
    _field("case", description="Slug of the case", required=True, **_SLUG),
    _field("language", enum=list(CASE_LANGUAGES.values), required=True),
    *(
        _field(
            name,
            description=f"The case's {name} in that language; empty: not translated",
            **({"maxLength": getattr(LIMITS, name)} if name != "description" else {}),
        )
        for name in TRANSLATED_FIELDS
    ),
    _field("editorial", "boolean", "Written by the project's editors", required=True),
]
SOURCE_FIELDS = [
    _field("case", description="Slug of the case", required=True, **_SLUG),
    _field("url", required=True),
    _field("title", required=True),
    _field("publisher"),
    _field("published", "date"),
    _field("accessed", "date"),
]
PLACEMENT_FIELDS = [
    _field("case", description="Slug of the case", required=True, **_SLUG),
    _field("position", "integer", "Order of the placement within its case", minimum=1),
    _field("valid_from", description="YYYY or YYYY-MM-DD", required=True, **_PERIOD),
    _field("valid_to", description="YYYY or YYYY-MM-DD; empty while it holds", **_PERIOD),
    _field("rung", "integer", required=True, minimum=1, maximum=11),
    _field("economy"),
    _field("viability"),
    _field("author", description="Account name of the contributor", required=True),
    _field("rationale", required=True),
    _field("answers", "object", "The answers object of the ladder model", required=True),
    _field("sources", description="URLs of the case's sources separated by ';'"),
]
RELATION_FIELDS = [
    _field("case", description="Slug of the subject case", required=True, **_SLUG),
    _field("type", enum=list(RELATION_TYPES.values), required=True),
    _field("target", description="Slug of the target case", required=True, **_SLUG),
]


def _case_rows(case: CaseRow) -> list[list[Any]]:
    record = case.record
    return [
        [
            *(
                ";".join(record[name]) if name in CSV_LIST_COLUMNS else record[name]  # type: ignore[literal-required]
                for name in CASE_FIELD_NAMES
            ),
            *computed_cells(case),
        ]
    ]


def _translation_rows(case: CaseRow) -> list[list[Any]]:
    slug = case.record["slug"]
    return [
        [slug, language, *(t[name] for name in TRANSLATED_FIELDS), t["editorial"]]  # type: ignore[literal-required]
        for language, t in case.record["translations"].items()
    ]


def _source_rows(case: CaseRow) -> list[list[Any]]:
    slug = case.record["slug"]
    return [
        [slug, s["url"], s["title"], s["publisher"], s["published"], s["accessed"]]
        for s in case.record["sources"]
    ]


def _placement_rows(case: CaseRow) -> list[list[Any]]:
    slug = case.record["slug"]
    return [
        [
            slug,
            position,
            p["valid_from"],
            p["valid_to"],
            result.rung,
            result.economy,
            result.viability,
            p["author"],
            p["rationale"],
            orjson.dumps(p["answers"], option=orjson.OPT_SORT_KEYS).decode(),
            ";".join(p["sources"]),
        ]
        for position, (p, result) in enumerate(
            zip(case.record["placements"], case.placement_results, strict=True), start=1
        )
    ]


def _relation_rows(case: CaseRow) -> list[list[Any]]:
    slug = case.record["slug"]
    return [[slug, r["type"], r["target"]] for r in case.record["relations"]]


RowsOf = Callable[[CaseRow], list[list[Any]]]
RESOURCES: list[tuple[str, str, list[dict[str, Any]], RowsOf]] = [
    ("cases", "One row per case, with its standing placement", CASE_FIELDS, _case_rows),
    (
        "translations",
        "Each case's name, summary and description in other languages",
        TRANSLATION_FIELDS,
        _translation_rows,
    ),
    ("sources", "The documents each case cites", SOURCE_FIELDS, _source_rows),
    ("placements", "Contributors' placements of each case", PLACEMENT_FIELDS, _placement_rows),
    ("relations", "Typed links between cases", RELATION_FIELDS, _relation_rows),
]


def descriptor(cases: CaseStream, *, base_url: str) -> dict[str, Any]:
    """``datapackage.json``: the package's metadata and a table schema per resource."""
    release = dataset_release(cases.queryset, base_url=base_url)
    resources = []
    for name, description, fields, _ in RESOURCES:
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if name == "cases":
            schema["primaryKey"] = ["slug"]
        else:
            schema["foreignKeys"] = [
                {"fields": ["case"], "reference": {"resource": "cases", "fields": ["slug"]}}
            ]
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.csv",
                "profile": "tabular-data-resource",
                "description": description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "peerladder-catalogue",
        "title": CATALOGUE_TITLE,
        "version": release.version,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "homepage": release.url,
        "peerladder": {"release": release.as_dict()},
        "resources": resources,
    }


def _tables(cases: CaseStream, others: Sequence[BinaryIO]) -> Iterator[bytes]:
    """The first table (cases) as byte chunks, while the other tables are written to
    ``others``, in the order of :data:`RESOURCES`: one read of the catalogue for all four."""
    tables = [CsvTable(field["name"] for field in fields) for _, _, fields, _ in RESOURCES]
    yield tables[0].header()
    for table, output in zip(tables[1:], others, strict=True):
        output.write(table.header())
    for batch in cases.batches():
        for index, (table, (_, _, _, rows_of)) in enumerate(zip(tables, RESOURCES, strict=True)):
            data = table.rows(row for case in batch for row in rows_of(case))
            if index == 0:
                yield data
            else:
                others[index - 1].write(data)


class _Pipe:
    """A write-only, unseekable stream whose bytes are taken out as they come."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


class DataPackageExporter(Exporter):
    """A zip of ``datapackage.json`` and ``data/*.csv`` (or the same as a directory)."""

    name = "datapackage"
    extension = "zip"
    media_type = "application/zip"
    description = "Frictionless data package: datapackage.json and four CSV tables"

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        # A zip member must be written whole before the next starts: the cases table
        # goes straight into the zip while the other three wait in temporary files
        # (on disk, so memory stays flat), then are copied in after it.
        document = descriptor(cases, base_url=self.base_url)
        pipe = _Pipe()
        with contextlib.ExitStack() as stack:
            spools = [stack.enter_context(tempfile.TemporaryFile()) for _ in RESOURCES[1:]]
            archive = stack.enter_context(zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED))
            with archive.open("datapackage.json", "w", force_zip64=True) as member:
                member.write(orjson.dumps(document, option=orjson.OPT_INDENT_2))
            with archive.open(_path(RESOURCES[0]), "w", force_zip64=True) as member:
                for part in _tables(cases, spools):
                    member.write(part)
                    if data := pipe.drain():
                        yield data
            for resource, spool in zip(RESOURCES[1:], spools, strict=True):
                spool.seek(0)
                with archive.open(_path(resource), "w", force_zip64=True) as member:
                    while block := spool.read(_COPY_BLOCK):
                        member.write(block)
                        if data := pipe.drain():
                            yield data
        yield pipe.drain()  # the zip's central directory, written as it closed

    def write_directory(self, cases: CaseStream, directory: Path) -> None:
        """Write the package as files under ``directory`` (created when missing)."""
        (directory / "data").mkdir(parents=True, exist_ok=True)
        document = descriptor(cases, base_url=self.base_url)
        (directory / "datapackage.json").write_bytes(
            orjson.dumps(document, option=orjson.OPT_INDENT_2)
        )
        with contextlib.ExitStack() as stack:
            first, *others = (
                stack.enter_context((directory / _path(resource)).open("wb"))
                for resource in RESOURCES
            )
            for part in _tables(cases, others):
                first.write(part)


def _path(resource: tuple[str, str, list[dict[str, Any]], RowsOf]) -> str:
    return f"data/{resource[0]}.csv"
