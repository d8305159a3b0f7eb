"""Case records read in bulk, for exports of any size.

``records.case_record_of`` builds a record from model instances and their
prefetches, which is right for one case and slow for a million. The selector
here reads the same data as plain rows, a chunk of cases at a time (keyset
pagination by slug, six queries a chunk), and builds records equal to
``case_record``'s, key order included, without any model instance. No cursor
stays open between chunks and nothing outlives its chunk, so memory stays flat
however many cases are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from django.db import connection
from django.db.models import BooleanField, Model, OuterRef, QuerySet, Subquery, Sum, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce

from peerladder.catalogue.models import (
    Case,
    CaseCountry,
    CaseTranslation,
    CaseViewDay,
    Placement,
    Relation,
    Source,
)
from peerladder.catalogue.record import (
    STORED_CASE_FIELDS,
    CaseRecord,
    PlacementRecord,
    RelationRecord,
    SourceRecord,
    TranslationRecord,
    case_record,
    placement_record,
    source_record,
    translation_record,
)

__all__ = [
    "CHUNK_SIZE",
    "CaseRow",
    "PlacementResult",
    "case_row_batches",
    "case_row_batches_of_ids",
    "ids_in",
]

_M = TypeVar("_M", bound=Model)

CHUNK_SIZE = 500
_ID_SLICE = 5000

# The case's own fields in record order, then what the services keep beside them.
_STANDING_COLUMNS = (
    "standing_rung",
    "standing_economy",
    "standing_viability",
    "agreement",
    "contested",
    "revision_number",
    "rating_average",
    "rating_count",
    "views_total",
)
_CASE_COLUMNS = (
    "id",
    *(f"{name}_text" if name == "tags" else name for name in STORED_CASE_FIELDS),
    *_STANDING_COLUMNS,
)
_SLUG_INDEX = _CASE_COLUMNS.index("slug")
_PLACEMENT_COLUMNS = (
    "case_id",
    "id",
    "answers_text",
    "valid_from",
    "valid_to",
    "rationale",
    "author__username",
    "rung",
    "economy",
    "viability",
    "sources__url",
)


def rating_summary(average: float | None, count: int) -> dict[str, Any]:
    """A case's rating as readers see it: the average of the 1-5 stars to two places
    (None before the first) and how many accounts gave one."""
    return {"average": None if average is None or not count else round(average, 2), "count": count}


def total_views() -> Coalesce:
    """A case's page views in all: one correlated sum over its daily counters (the
    "most viewed" order and the exports read it)."""
    return Coalesce(
        Subquery(
            CaseViewDay.objects.filter(case=OuterRef("pk"))
            .order_by()
            .values("case")
            .annotate(total=Sum("count"))
            .values("total")[:1]
        ),
        0,
    )


@dataclass(frozen=True, slots=True)
class PlacementResult:
    """What the ladder made of one placement (stored beside its answers)."""

    rung: int
    economy: str | None
    viability: str | None


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One case read for an export.

    ``record`` equals ``records.case_record_of(case)``; the other fields are the
    columns the services keep (the standing placement, the revision) and the
    ladder's result for each placement of the record, in the same order.
    """

    id: int
    record: CaseRecord
    standing_rung: int | None
    standing_economy: str | None
    standing_viability: str | None
    agreement: float | None
    contested: bool
    revision_number: int
    placement_results: tuple[PlacementResult, ...]
    # What readers did: the average of their 1-5 stars (None before the first), how
    # many rated, and the page's views in all. Not part of the record: an import
    # neither reads nor sets them.
    rating_average: float | None = None
    rating_count: int = 0
    views_total: int = 0

    @property
    def slug(self) -> str:
        return str(self.record["slug"])


def case_row_batches(
    cases: QuerySet[Case], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[CaseRow]]:
    """The cases of ``cases`` in slug order, as lists of at most ``chunk_size`` rows.

    Each list costs six queries (cases, countries, translations, sources, active
    placements with their sources, relations); the next list starts after the last slug of
    this one, so each query is short and uses the slug index.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    ordered = cases.order_by("slug")
    after: str | None = None
    while True:
        page = ordered if after is None else ordered.filter(slug__gt=after)
        rows = list(_case_values(page)[:chunk_size])
        if not rows:
            return
        yield _build(rows)
        if len(rows) < chunk_size:
            return
        after = rows[-1][_SLUG_INDEX]


def case_row_batches_of_ids(
    cases: QuerySet[Case], ids: Iterable[int], *, chunk_size: int = CHUNK_SIZE
) -> Iterator[list[CaseRow]]:
    """The cases of ``cases`` whose id is in ``ids``, in slug order, as lists of at
    most ``chunk_size`` rows.

    For a long list of ids (the matches of a search): the ids are looked up a
    slice at a time and sorted by slug, so that no query names them all.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    wanted = list(dict.fromkeys(ids))
    by_slug: list[tuple[str, int]] = []
    for start in range(0, len(wanted), _ID_SLICE):
        part = wanted[start : start + _ID_SLICE]
        by_slug += cases.filter(ids_in(Case, "id", part)).values_list("slug", "id")
    by_slug.sort()
    for start in range(0, len(by_slug), chunk_size):
        part = [case_id for _, case_id in by_slug[start : start + chunk_size]]
        rows = list(_case_values(cases.filter(ids_in(Case, "id", part)).order_by("slug")))
        if rows:
            yield _build(rows)


def _case_values(cases: QuerySet[Case]) -> Any:
    """The case columns of an export, the tags as text and the views summed."""
    return _with_text(cases, "tags").annotate(views_total=total_views()).values_list(*_CASE_COLUMNS)


def _with_text(queryset: QuerySet[_M], column: str) -> QuerySet[_M]:
    """``queryset`` with the JSON ``column`` also as its text, ``<column>_text``."""
    # Django decodes JSON with the json module; orjson (in _json) is several times faster.
    return queryset.annotate(**{f"{column}_text": Cast(column, TextField())})


def _json(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # what orjson refuses (integers past 64 bits)
        return json.loads(text)


def ids_in(model: type[Model], column: str, ids: list[int]) -> RawSQL:
    """``column IN (ids)`` with the ids written into the SQL.

    Django prepares every value of an ``__in`` list through the field, which
    costs more than the rest of an export's reading; these are integers read
    from the database (``int()`` makes sure), so nothing needs preparing.
    """
    quote = connection.ops.quote_name
    listed = ",".join(map(str, map(int, ids))) or "NULL"
    return RawSQL(  # noqa: S611 - only integers, each passed through int()
        f"{quote(model._meta.db_table)}.{quote(column)} IN ({listed})",
        (),
        output_field=BooleanField(),
    )


def _build(rows: list[tuple[Any, ...]]) -> list[CaseRow]:
    ids = [row[0] for row in rows]
    countries: dict[int, list[str]] = {case_id: [] for case_id in ids}
    sources: dict[int, list[SourceRecord]] = {case_id: [] for case_id in ids}
    placements: dict[int, list[PlacementRecord]] = {case_id: [] for case_id in ids}
    results: dict[int, list[PlacementResult]] = {case_id: [] for case_id in ids}
    relations: dict[int, list[RelationRecord]] = {case_id: [] for case_id in ids}
    translations: dict[int, dict[str, TranslationRecord]] = {case_id: {} for case_id in ids}

    for case_id, code in (
        CaseCountry.objects.filter(ids_in(CaseCountry, "case_id", ids))
        .order_by("case_id", "position", "id")
        .values_list("case_id", "code")
    ):
        countries[case_id].append(code)

    for case_id, language, name, summary, description, editorial in (
        CaseTranslation.objects.filter(ids_in(CaseTranslation, "case_id", ids))
        .order_by("case_id", "language")
        .values_list("case_id", "language", "name", "summary", "description", "editorial")
    ):
        translations[case_id][language] = translation_record(
            name=name, summary=summary, description=description, editorial=editorial
        )

    for case_id, url, title, publisher, published, accessed in (
        Source.objects.filter(ids_in(Source, "case_id", ids))
        .order_by("id")
        .values_list("case_id", "url", "title", "publisher", "published", "accessed")
    ):
        sources[case_id].append(
            source_record(
                url=url, title=title, publisher=publisher, published=published, accessed=accessed
            )
        )

    # One row per (placement, source): a placement's sources come on consecutive rows.
    last_id = None
    urls: list[str] = []
    for (
        case_id,
        placement_id,
        answers_text,
        valid_from,
        valid_to,
        rationale,
        author,
        rung,
        economy,
        viability,
        url,
    ) in (
        _with_text(Placement.objects.all(), "answers")
        .filter(ids_in(Placement, "case_id", ids), retracted_at__isnull=True)
        .order_by("valid_from", "id", "sources__id")
        .values_list(*_PLACEMENT_COLUMNS)
    ):
        if placement_id != last_id:
            last_id = placement_id
            placements[case_id].append(
                placement_record(
                    answers=_json(answers_text),
                    valid_from=valid_from,
                    valid_to=valid_to,
                    rationale=rationale,
                    sources=(),
                    author=author,
                )
            )
            urls = placements[case_id][-1]["sources"]
            results[case_id].append(PlacementResult(rung, economy, viability))
        if url is not None:
            urls.append(url)

    for case_id, kind, target in (
        Relation.objects.filter(ids_in(Relation, "subject_id", ids))
        .order_by("type", "target__name", "id")
        .values_list("subject_id", "type", "target__slug")
    ):
        relations[case_id].append({"type": kind, "target": target})

    built = []
    for row in rows:
        values = dict(zip(_CASE_COLUMNS, row, strict=True))
        case_id = values["id"]
        values["tags"] = _json(values["tags_text"])
        built.append(
            CaseRow(
                id=case_id,
                record=case_record(
                    values,
                    countries=countries[case_id],
                    translations=translations[case_id],
                    sources=sources[case_id],
                    placements=placements[case_id],
                    relations=relations[case_id],
                ),
                standing_rung=values["standing_rung"],
                standing_economy=values["standing_economy"],
                standing_viability=values["standing_viability"],
                agreement=values["agreement"],
                contested=values["contested"],
                revision_number=values["revision_number"],
                placement_results=tuple(results[case_id]),
                rating_average=rating_summary(values["rating_average"], values["rating_count"])[
                    "average"
                ],
                rating_count=values["rating_count"],
                views_total=values["views_total"],
            )
        )
    return built
