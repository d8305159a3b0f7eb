"""Case records for the interchange tests, and helpers to import and export them."""

from __future__ import annotations

import copy
import io
from typing import Any

import orjson

from peerladder.accounts.models import User
from peerladder.catalogue.models import Case, CaseCountry, Placement, Relation, Revision, Source
from peerladder.catalogue.selectors import CaseFilters
from peerladder.interchange.exporters import CaseStream
from peerladder.interchange.formats import exporter_for
from peerladder.interchange.importer import ImportReport, import_records
from peerladder.interchange.parsers import parse
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, WIKIPEDIA_ANSWERS

BASE_URL = "https://peerladder.test"


def wiki_record() -> dict[str, Any]:
    url = "https://en.wikipedia.org/wiki/Wikipedia"
    return {
        "slug": "wikipedia",
        "name": "Wikipedia",
        "summary": "A free encyclopedia written by volunteers.",
        "description": "Written *together*.",
        "website": "https://www.wikipedia.org/",
        "wikidata": "Q52",
        "countries": ["US"],
        "sector": "knowledge",
        "org_form": "nonprofit",
        "founded": 2001,
        "ended": None,
        "tags": ["encyclopedia", "wiki"],
        "sources": [
            {
                "url": url,
                "title": "Wikipedia",
                "publisher": "Wikipedia",
                "published": None,
                "accessed": "2026-11-26",
            }
        ],
        "placements": [
            {
                "answers": WIKIPEDIA_ANSWERS,
                "valid_from": "2001",
                "valid_to": None,
                "rationale": "Peers write it and anyone may reuse it.",
                "sources": [url],
                "author": "curator-1",
            },
            {
                "answers": LINUX_ANSWERS,
                "valid_from": "2001",
                "valid_to": None,
                "rationale": "Companies build on the commons.",
                "sources": [url],
                "author": "curator-2",
            },
        ],
        "relations": [{"type": "governed_by", "target": "wikimedia-foundation"}],
    }


def numbered_records(
    count: int, prefix: str = "case", *, authors: int | None = None
) -> list[dict[str, Any]]:
    """``count`` copies of :func:`wiki_record`, each its own case (no Wikidata id, no
    relations); with ``authors``, their placements shared out among that many curators."""
    made = []
    for number in range(count):
        record = wiki_record()
        record.update(slug=f"{prefix}-{number}", name=f"Case {number}", wikidata=None, relations=[])
        if authors:
            record["placements"][0]["author"] = f"curator-{number % authors}"
        made.append(record)
    return made


def foundation_record() -> dict[str, Any]:
    url = "https://wikimediafoundation.org/"
    return {
        "slug": "wikimedia-foundation",
        "name": "Wikimedia Foundation",
        "summary": "The nonprofit that hosts Wikipedia.",
        "description": "",
        "website": url,
        "wikidata": "Q180",
        "countries": ["US"],
        "sector": "knowledge",
        "org_form": "nonprofit",
        "founded": 2003,
        "ended": None,
        "tags": [],
        "sources": [
            {"url": url, "title": "About", "publisher": "", "published": None, "accessed": None}
        ],
        "placements": [
            {
                "answers": IKEA_ANSWERS,
                "valid_from": "2003",
                "valid_to": None,
                "rationale": "Staff run the servers.",
                "sources": [url],
                "author": "curator-1",
            }
        ],
        "relations": [],
    }


def sample_records() -> list[dict[str, Any]]:
    return [wiki_record(), foundation_record()]


def jsonl(records: list[Any]) -> bytes:
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


def load(
    data: bytes, *, fmt: str = "jsonl", name: str = "cases.jsonl", **options: Any
) -> ImportReport:
    """Parse and import ``data`` as the command does."""
    return import_records(parse(data, fmt=fmt, name=name), **options)


def load_records(records: list[dict[str, Any]], **options: Any) -> ImportReport:
    return load(jsonl(copy.deepcopy(records)), **options)


def export(fmt: str = "jsonl", filters: CaseFilters | None = None) -> bytes:
    stream = io.BytesIO()
    exporter_for(fmt, base_url=BASE_URL).write(CaseStream(filters), stream)
    return stream.getvalue()


def database_state() -> dict[str, Any]:
    """Everything an import could change, to compare before and after a refusal."""
    return {
        "cases": list(Case.objects.order_by("id").values()),
        "countries": list(CaseCountry.objects.order_by("id").values()),
        "sources": list(Source.objects.order_by("id").values()),
        "placements": list(Placement.objects.order_by("id").values()),
        "relations": list(Relation.objects.order_by("id").values()),
        "revisions": list(Revision.objects.order_by("id").values("id", "case_id", "number")),
        "users": list(User.objects.order_by("id").values_list("username", flat=True)),
    }
