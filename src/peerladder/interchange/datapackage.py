"""A Frictionless data package: ``datapackage.json`` with a table schema for each of
four CSV resources (cases, sources, placements, relations), as a zip or a directory.

See https://datapackage.org/. Every CSV is written a chunk of cases at a time,
and the zip is streamed (no seeking), so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from peerladder.catalogue.models import Case
from peerladder.catalogue.vocabulary import (
    PERIOD_PATTERN,
    SLUG_PATTERN,
    OrgForm,
    RelationType,
    Sector,
)
from peerladder.interchange.citations import CATALOGUE_TITLE, dataset_release
from peerladder.interchange.exporters import CaseStream, CsvTable, Exporter

__all__ = ["DataPackageExporter", "descriptor"]

_SLUG = {"pattern": SLUG_PATTERN.pattern.strip("^$")}
_PERIOD = {"pattern": PERIOD_PATTERN.pattern.strip("^$")}


def _field(name: str, kind: str = "string", description: str = "", **constraints: Any) -> dict:
    spec: dict[str, Any] = {"name": name, "type": kind}
    if description:
        spec["description"] = description
    if constraints:
        spec["constraints"] = constraints
    return spec


CASE_FIELDS = [
    _field("slug", description="Unique key of the case", required=True, unique=True, **_SLUG),
    _field("name", required=True, maxLength=200),
    _field("summary", required=True, maxLength=500),
    _field("description", description="Markdown"),
    _field("website", description="The website of the organisation"),
    _field("wikidata", description="Wikidata id, Q followed by digits", pattern="Q[1-9][0-9]*"),
    _field("countries", description="ISO 3166-1 alpha-2 codes separated by ';'"),
    _field("sector", enum=list(Sector.values), required=True),
    _field("org_form", enum=list(OrgForm.values), required=True),
    _field("founded", "integer", minimum=1000, maximum=2200),
    _field("ended", "integer", minimum=1000, maximum=2200),
    _field("tags", description="Tags separated by ';'"),
    _field("rung", "integer", "Standing rung on the ladder", minimum=1, maximum=11),
    _field("economy", description="Economy of the standing placement"),
    _field("viability", description="Viability of the standing placement"),
    _field("agreement", "number", "Share of agreeing placements", minimum=0, maximum=1),
    _field("contested", "boolean"),
    _field("revision", "integer", "Current revision number", minimum=0),
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
    _field("type", enum=list(RelationType.values), required=True),
    _field("target", description="Slug of the target case", required=True, **_SLUG),
]


def _case_rows(case: Case) -> list[list[Any]]:
    return [
        [
            case.slug,
            case.name,
            case.summary,
            case.description,
            case.website,
            case.wikidata,
            ";".join(row.code for row in case.country_rows.all()),
            case.sector,
            case.org_form,
            case.founded,
            case.ended,
            ";".join(case.tags),
            case.standing_rung,
            case.standing_economy,
            case.standing_viability,
            None if case.agreement is None else round(case.agreement, 4),
            case.contested,
            case.revision_number,
        ]
    ]


def _source_rows(case: Case) -> list[list[Any]]:
    return [
        [case.slug, s.url, s.title, s.publisher, s.published, s.accessed]
        for s in case.sources.all()
    ]


def _placement_rows(case: Case) -> list[list[Any]]:
    placements = [p for p in case.placements.all() if p.retracted_at is None]
    return [
        [
            case.slug,
            position,
            p.valid_from,
            p.valid_to,
            p.rung,
            p.economy,
            p.viability,
            p.author.username,
            p.rationale,
            orjson.dumps(p.answers, option=orjson.OPT_SORT_KEYS).decode(),
            ";".join(source.url for source in p.sources.all()),
        ]
        for position, p in enumerate(placements, start=1)
    ]


def _relation_rows(case: Case) -> list[list[Any]]:
    return [[case.slug, r.type, r.target.slug] for r in case.relations_out.all()]


RowsOf = Callable[[Case], list[list[Any]]]
RESOURCES: list[tuple[str, str, list[dict[str, Any]], RowsOf]] = [
    ("cases", "One row per case, with its standing placement", CASE_FIELDS, _case_rows),
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


def _table(cases: CaseStream, fields: list[dict[str, Any]], rows_of: RowsOf) -> Iterator[bytes]:
    table = CsvTable(field["name"] for field in fields)
    yield table.header()
    for batch in cases.batches():
        yield table.rows(row for case in batch for row in rows_of(case))


class _Pipe:
    """A write-only, unseekable stream whose bytes are taken out as they come."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
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

    def files(self, cases: CaseStream) -> Iterable[tuple[str, Iterator[bytes]]]:
        """``(path, chunks)`` for each file of the package."""
        document = descriptor(cases, base_url=self.base_url)
        yield "datapackage.json", iter([orjson.dumps(document, option=orjson.OPT_INDENT_2)])
        for name, _, fields, rows_of in RESOURCES:
            yield f"data/{name}.csv", _table(cases, fields, rows_of)

    def chunks(self, cases: CaseStream) -> Iterator[bytes]:
        pipe = _Pipe()
        with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
            for path, parts in self.files(cases):
                with archive.open(path, "w", force_zip64=True) as member:
                    for part in parts:
                        member.write(part)
                        if data := pipe.drain():
                            yield data
        yield pipe.drain()

    def write_directory(self, cases: CaseStream, directory: Path) -> None:
        """Write the package as files under ``directory`` (created when missing)."""
        for path, parts in self.files(cases):
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as handle:
                for part in parts:
                    handle.write(part)
