"""The case record: one definition of its fields, their limits and its shape.

A case travels as a plain record (docs/dataset-format.md): revision snapshots,
diffs, reverts, exports, imports and the API all use it. This module is the one
place that says what the record holds. Everything else derives from it: the
model's column order for bulk writes, the CSV columns, the data package schema,
the API schemas, the edit forms and the checks of incoming cases. Adding a field
means: this module, the model, a migration (a test holds the derived lists
equal to what the model and the formats actually use).

Pure: no Django, no database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import orjson

from peerladder.catalogue.vocabulary import (
    CASE_LANGUAGES,
    ORG_FORMS,
    PRODUCTIONS,
    SECTORS,
    Vocabulary,
)
from peerladder.ladder import QUESTIONS

__all__ = [
    "CASE_FIELDS",
    "CASE_FIELD_NAMES",
    "CSV_LIST_COLUMNS",
    "EDITABLE_CASE_FIELDS",
    "LIMITS",
    "OPTIONAL_CASE_FIELDS",
    "PLACEMENT_KEYS",
    "RECORD_KEYS",
    "SOURCE_KEYS",
    "STORED_CASE_FIELDS",
    "TRANSLATED_FIELDS",
    "TRANSLATIONS_KEY",
    "TRANSLATION_COLUMNS",
    "TRANSLATION_KEYS",
    "CaseField",
    "CaseRecord",
    "Limits",
    "PlacementRecord",
    "RelationRecord",
    "SourceRecord",
    "TranslationRecord",
    "canonical_answers",
    "canonical_translations",
    "case_field",
    "case_record",
    "placement_identity",
    "placement_record",
    "source_record",
    "translation_record",
]

Kind = Literal["slug", "text", "markdown", "url", "wikidata", "countries", "choice", "year", "tags"]


@dataclass(frozen=True)
class CaseField:
    """One of a case's own fields (its sources, placements and relations are lists of
    records of their own).

    ``kind`` says how the field is checked and written in each format; ``max_length``
    bounds a text, ``max_items`` a list; ``required`` fields must be non-empty;
    ``editable`` fields can change after creation (a changed slug leaves the old one
    redirecting to the case); ``empty`` is the value a record holds when the field is
    not given.
    """

    name: str
    kind: Kind
    label: str
    description: str = ""
    max_length: int | None = None
    max_items: int | None = None
    required: bool = False
    editable: bool = True
    vocabulary: Vocabulary | None = None
    empty: Any = None


@dataclass(frozen=True)
class Limits:
    """Sizes the catalogue accepts; a larger value is refused naming the limit."""

    slug: int = 80
    name: int = 200
    summary: int = 500
    description: int = 100_000
    website: int = 500
    wikidata: int = 16
    tag: int = 50
    tags: int = 30
    countries: int = 60
    source_url: int = 1000
    source_title: int = 300
    source_publisher: int = 200
    sources: int = 100
    placements: int = 100
    placement_sources: int = 50
    relations: int = 100
    rationale: int = 20_000
    author: int = 150
    year_min: int = 1000
    year_max: int = 2200


LIMITS = Limits()

CASE_FIELDS: tuple[CaseField, ...] = (
    CaseField(
        "slug",
        "slug",
        "Slug",
        "Unique key of the case: lowercase words joined by hyphens",
        max_length=LIMITS.slug,
        required=True,
        empty="",
    ),
    CaseField("name", "text", "Name", max_length=LIMITS.name, required=True, empty=""),
    CaseField(
        "summary",
        "text",
        "Summary",
        "One or two sentences",
        max_length=LIMITS.summary,
        required=True,
        empty="",
    ),
    CaseField(
        "description",
        "markdown",
        "Description",
        "Markdown",
        max_length=LIMITS.description,
        empty="",
    ),
    CaseField(
        "website", "url", "Website", "The website of the organisation", max_length=LIMITS.website
    ),
    CaseField(
        "wikidata",
        "wikidata",
        "Wikidata",
        "Wikidata id, Q followed by digits",
        max_length=LIMITS.wikidata,
    ),
    CaseField(
        "countries",
        "countries",
        "Countries",
        "ISO 3166-1 alpha-2 codes",
        max_items=LIMITS.countries,
        empty=(),
    ),
    CaseField("sector", "choice", "Sector", vocabulary=SECTORS, empty=SECTORS.default),
    CaseField("org_form", "choice", "Form", vocabulary=ORG_FORMS, empty=ORG_FORMS.default),
    CaseField(
        "production",
        "choice",
        "Production",
        "What the participants produce: material, immaterial or both (empty: not recorded)",
        vocabulary=PRODUCTIONS,
    ),
    CaseField("founded", "year", "Founded", "Year"),
    CaseField("ended", "year", "Ended", "Year, if it ended"),
    CaseField("tags", "tags", "Tags", max_length=LIMITS.tag, max_items=LIMITS.tags, empty=()),
)

_BY_NAME = {field.name: field for field in CASE_FIELDS}
CASE_FIELD_NAMES: tuple[str, ...] = tuple(_BY_NAME)
EDITABLE_CASE_FIELDS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.editable)
# Columns of the case's own row, in record order (countries live in a table of their own).
STORED_CASE_FIELDS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.kind != "countries")
# Written as None (or "" in a CSV cell) when the case has no value.
OPTIONAL_CASE_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in CASE_FIELDS
    if f.kind in ("url", "wikidata", "year")
    or (f.vocabulary is not None and f.vocabulary.default is None)
)
# Lists written into one CSV cell, separated by ";".
CSV_LIST_COLUMNS: tuple[str, ...] = tuple(
    f.name for f in CASE_FIELDS if f.kind in ("countries", "tags")
)
# The case's running texts, which can have a version per language (``translations``):
# a translation of one field has that field's limit.
TRANSLATED_FIELDS: tuple[str, ...] = tuple(
    f.name for f in CASE_FIELDS if f.kind in ("text", "markdown")
)
# A translation record: the translated texts ("" where a field is not translated:
# readers see the English one) and whether the project's editors wrote it.
TRANSLATION_KEYS: tuple[str, ...] = (*TRANSLATED_FIELDS, "editorial")
# The record key that holds them: {language code: translation record}, in the order
# of CASE_LANGUAGES, so every store writes the same bytes.
TRANSLATIONS_KEY = "translations"
# In a CSV file (and the data package's table) translations take one column per
# language and key, after the record's other columns: name_es, summary_es, ...
TRANSLATION_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (f"{key}_{language}", language, key)
    for language in CASE_LANGUAGES.values
    for key in TRANSLATION_KEYS
)
SOURCE_KEYS = ("url", "title", "publisher", "published", "accessed")
PLACEMENT_KEYS = ("answers", "valid_from", "valid_to", "rationale", "sources", "author")
RELATION_KEYS = ("type", "target")
LIST_KEYS = ("sources", "placements", "relations")
RECORD_KEYS: tuple[str, ...] = (*CASE_FIELD_NAMES, TRANSLATIONS_KEY, *LIST_KEYS)


def case_field(name: str) -> CaseField:
    """The field called ``name`` (KeyError for an unknown one)."""
    return _BY_NAME[name]


class SourceRecord(TypedDict):
    url: str
    title: str
    publisher: str
    published: str | None
    accessed: str | None


class PlacementRecord(TypedDict):
    answers: dict[str, Any]
    valid_from: str
    valid_to: str | None
    rationale: str
    sources: list[str]
    author: str


class RelationRecord(TypedDict):
    type: str
    target: str


class TranslationRecord(TypedDict):
    name: str
    summary: str
    description: str
    editorial: bool


class CaseRecord(TypedDict):
    slug: str
    name: str
    summary: str
    description: str
    website: str | None
    wikidata: str | None
    countries: list[str]
    sector: str
    org_form: str
    production: str | None
    founded: int | None
    ended: int | None
    tags: list[str]
    translations: dict[str, TranslationRecord]
    sources: list[SourceRecord]
    placements: list[PlacementRecord]
    relations: list[RelationRecord]


def _day(value: dt.date | str | None) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else value.isoformat()


def source_record(
    *,
    url: str,
    title: str,
    publisher: str,
    published: dt.date | str | None,
    accessed: dt.date | str | None,
) -> SourceRecord:
    return {
        "url": url,
        "title": title,
        "publisher": publisher,
        "published": _day(published),
        "accessed": _day(accessed),
    }


_QUESTION_ORDER = {question.field: index for index, question in enumerate(QUESTIONS)}


def canonical_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers in the order of the questions, so a record is the same bytes whichever
    database stored it (PostgreSQL's jsonb keeps keys in an order of its own)."""
    return dict(
        sorted(answers.items(), key=lambda item: (_QUESTION_ORDER.get(item[0], 99), item[0]))
    )


def placement_record(
    *,
    answers: Mapping[str, Any],
    valid_from: str,
    valid_to: str | None,
    rationale: str,
    sources: Iterable[str],
    author: str,
) -> PlacementRecord:
    return {
        "answers": canonical_answers(answers),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "rationale": rationale,
        "sources": list(sources),
        "author": author,
    }


def translation_record(
    *, name: str = "", summary: str = "", description: str = "", editorial: bool = False
) -> TranslationRecord:
    return {
        "name": name or "",
        "summary": summary or "",
        "description": description or "",
        "editorial": bool(editorial),
    }


_LANGUAGE_ORDER = {code: index for index, code in enumerate(CASE_LANGUAGES.values)}


def canonical_translations(
    translations: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, TranslationRecord]:
    """The translations in the order of the languages, each with every key, so that a
    record is the same bytes whichever database or file it came from."""
    return {
        language: translation_record(
            name=text.get("name") or "",
            summary=text.get("summary") or "",
            description=text.get("description") or "",
            editorial=bool(text.get("editorial")),
        )
        for language, text in sorted(
            (translations or {}).items(),
            key=lambda item: (_LANGUAGE_ORDER.get(item[0], 99), item[0]),
        )
    }


def case_record(
    fields: Mapping[str, Any],
    *,
    countries: Sequence[str],
    translations: Mapping[str, Mapping[str, Any]] | None = None,
    sources: list[SourceRecord],
    placements: list[PlacementRecord],
    relations: list[RelationRecord],
) -> CaseRecord:
    """The record of a case from its own field values (a model's, a row's or checked
    input's), its country codes, its translations and its list records, in the
    documented key order.

    A field missing from ``fields`` takes its empty value; an optional field's ""
    becomes None, so every source of the record writes it the same way.
    """
    record: dict[str, Any] = {}
    for field in CASE_FIELDS:
        if field.kind == "countries":
            record["countries"] = list(countries)
            continue
        value = fields.get(field.name, field.empty)
        if field.kind == "tags":
            value = list(value or ())
        elif field.name in OPTIONAL_CASE_FIELDS and value == "":
            value = None
        record[field.name] = value
    record[TRANSLATIONS_KEY] = canonical_translations(translations)
    record["sources"] = sources
    record["placements"] = placements
    record["relations"] = relations
    return record  # type: ignore[return-value]  # built key by key from CASE_FIELDS


def placement_identity(placement: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two placement records the same placement: who placed which period,
    with which answers and reasons, citing which sources (in any order).

    Imports use it to tell a placement already stored from a new one, and reverts
    to tell which placements to keep, bring back or retract.
    """
    return (
        placement.get("author"),
        orjson.dumps(placement.get("answers") or {}, option=orjson.OPT_SORT_KEYS),
        placement.get("valid_from"),
        placement.get("valid_to"),
        placement.get("rationale"),
        tuple(sorted(placement.get("sources") or ())),
    )
