"""The cases themselves: GET and POST /api/cases, GET and PATCH /api/cases/{slug}.

Django resolves a path once, so every method of a path lives in one router: the
writes on these two paths are here, beside the reads; the writes to a case's parts
(placements, sources, relations, rating) are in api/editing.py, with the input
schemas of every write. The two writes keep the operation ids they were published
with when they lived in api/editing.py.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from peerladder.api.auth import bearer
from peerladder.api.editing import WRITE_ERRORS, CaseIn, CasePatchIn
from peerladder.api.language import error_lookup, no_case
from peerladder.api.requests import RequestRefused, none_match, reading_language
from peerladder.api.schemas import CaseDetailOut, CaseSummaryOut, ErrorOut, MessageOut
from peerladder.api.writes import base_revision, live_case, written
from peerladder.catalogue import selectors, services
from peerladder.catalogue.presenters import (
    case_detail,
    case_summary,
    etag_for,
    rating_of,
    views_of,
)
from peerladder.catalogue.render_cache import cache_key
from peerladder.catalogue.selectors import CaseFilters, one_or_many
from peerladder.catalogue.vocabulary import CASE_LANGUAGES, PRODUCTIONS, SECTORS
from peerladder.errors import EditConflict
from peerladder.search import selectors as search_selectors

router = Router(tags=["cases"])

CASE_JSON_SECONDS = 3600
JSON_TYPE = "application/json; charset=utf-8"

SectorKey = Literal[tuple(SECTORS.values)]  # type: ignore[valid-type]
ProductionKey = Literal[tuple(PRODUCTIONS.values)]  # type: ignore[valid-type]
LanguageKey = Literal[tuple(CASE_LANGUAGES.values)]  # type: ignore[valid-type]
EconomyKey = Literal["sharing", "commons", "crowdsourcing", "none"]


RungNumber = Annotated[int, Field(ge=1, le=11)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]


class CaseFilterQuery(Schema):
    """The filters shared by the case list and the export. ``rung``, ``economy``,
    ``sector``, ``production``, ``country`` and ``language`` may be repeated (``?rung=4&rung=5``):
    a case matching any of the values given matches."""

    q: str | None = Field(None, max_length=10_000, description="Words to look for")
    rung: list[RungNumber] | None = Field(None, description="A rung, 1 to 11; repeatable")
    economy: list[EconomyKey] | None = Field(None, description="An economy, or none; repeatable")
    sector: list[SectorKey] | None = Field(None, description="Repeatable")
    production: list[ProductionKey] | None = Field(  # type: ignore[valid-type]
        None, description="What the participants produce; repeatable"
    )
    country: list[CountryCode] | None = Field(None, description="ISO 3166-1 alpha-2; repeatable")
    language: list[LanguageKey] | None = Field(  # type: ignore[valid-type]
        None, description="Cases with text in that language; repeatable"
    )
    contested: bool | None = None
    year_from: int | None = Field(None, ge=1000, le=2200, description="Founded in or after")
    year_to: int | None = Field(None, ge=1000, le=2200, description="Founded in or before")

    def to_filters(self) -> CaseFilters:
        return CaseFilters(
            query=self.q,
            rung=one_or_many(self.rung),
            economy=one_or_many(self.economy),
            sector=one_or_many(self.sector),
            production=one_or_many(self.production),
            country=one_or_many([code.upper() for code in self.country or ()]),
            language=one_or_many(self.language),
            contested=self.contested,
            year_from=self.year_from,
            year_to=self.year_to,
        )


class CaseQuery(CaseFilterQuery):
    sort: Literal[("relevance", *selectors.SORTS)] | None = Field(  # type: ignore[valid-type]
        None, description="relevance (the default with q) or name (the default without)"
    )
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=100)
    lang: str | None = Field(
        None,
        description="The language of each case's name and summary (en, es, fr, pt-br, de, "
        "it); without it, Accept-Language chooses. Another value gives 422.",
    )


class CaseHitOut(CaseSummaryOut):
    snippet: str | None = Field(
        None, description="With q: HTML extract, matches in <mark>, all else escaped"
    )
    language: str = Field("en", description="The language of name and summary (en: the original)")
    untranslated: list[str] = Field(
        [], description="With lang: of name and summary, those shown in the original English"
    )


class FacetValueOut(Schema):
    value: Any
    count: int


class FacetTimedOut(Schema):
    timed_out: bool


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseHitOut]
    facets: dict[str, list[FacetValueOut] | FacetTimedOut]
    message: str | None = Field(None, description="Why a search found nothing, or was cut")


@router.get("/cases", response={200: CaseListOut, 422: ErrorOut})
def list_cases(request: HttpRequest, params: Query[CaseQuery], response: HttpResponse) -> Any:
    """Cases matching the filters, a page at a time, with facet counts for each filter.

    With `q`, a full-text search (syntax: [/docs/search](/docs/search)): results are ranked
    by relevance unless `sort` says otherwise, each with a highlighted `snippet`;
    a facet that runs out of time is `{"timed_out": true}`.

    `?lang=es` (or `Accept-Language`) gives each case's `name` and `summary` in that
    language where it has them, as `GET /api/cases/{slug}` does; `language` and
    `untranslated` say which.
    """
    language = reading_language(request)
    if isinstance(language, RequestRefused):
        raise language
    response["Vary"] = "Accept-Language"
    found = search_selectors.case_page(
        filters=params.to_filters(),
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
        language=language,
    )
    return {
        "count": found.count,
        "page": params.page,
        "page_size": params.page_size,
        "results": [
            {**case_summary(case, language), "snippet": found.snippets.get(case.pk)}
            for case in found.cases
        ],
        "facets": found.facets,
        "message": found.message,
    }


@router.post(
    "/cases",
    auth=bearer,
    tags=["editing"],
    response={201: CaseDetailOut, **WRITE_ERRORS},
    operation_id="peerladder_api_editing_create_case",
)
def create_case(request: HttpRequest, payload: CaseIn, response: HttpResponse) -> Any:
    """Create a case, with its first sources and placements."""
    data = payload.dict()
    comment = data.pop("comment")
    sources = data.pop("sources")
    placements = data.pop("placements")
    fields = {key: value for key, value in data.items() if value is not None}
    body = written(
        response,
        lambda: services.case_create(
            author=request.auth,
            fields=fields,
            sources=sources,
            placements=placements,
            summary=comment,
        ),
    )
    return Status(201, body)


@router.api_operation(
    ["GET", "HEAD"],
    "/cases/{slug}",
    response={200: CaseDetailOut, 304: None, 404: MessageOut, 422: ErrorOut},
)
def get_case(request: HttpRequest, slug: str, response: HttpResponse) -> Any:
    """One case with its standing placement, trajectory, sources and relations.

    Served from a cache kept per revision of the case (and of the catalogue, whose
    other cases it names); its rating and view counts are read on each request.

    The strong `ETag` header names the case's current revision; send it back as
    `If-Match` when editing, or as `If-None-Match` for a 304 when nothing changed.
    `HEAD` answers the same headers without the body.

    `?lang=es` (or `Accept-Language`) puts the case's text in that language first
    (`name`, `summary`, `description`), each field falling back to the English
    original; `translations` always holds every language's text.
    """
    stamp = selectors.case_stamp(slug=slug)
    if stamp is None:
        return no_case(request, slug)
    language = reading_language(request)
    if isinstance(language, RequestRefused):
        raise language
    etag = etag_for(stamp)
    response["ETag"] = etag
    response["Vary"] = "Accept-Language"
    if none_match(request.headers.get("If-None-Match"), etag):
        return Status(304, None)
    key = cache_key("case-json", stamp.id, stamp.revision_number, stamp.catalogue.version, language)
    parts: tuple[str, str] | None = cache.get(key)
    if parts is None:
        case = selectors.case_get(slug=slug)
        if case is None:  # archived since the stamp was read
            return no_case(request, slug)
        detail = case_detail(
            case, relations_in=selectors.case_relations_in(case), language=language
        )
        parts = _json_around_counters(CaseDetailOut.model_validate(detail).model_dump())
        cache.set(key, parts, CASE_JSON_SECONDS)
    # The counters between the two parts are read fresh; all else is the revision's.
    # (Numbers and None only: the standard encoder writes them as Ninja's does.)
    counters = json.dumps({"rating": rating_of(stamp), "views": views_of(stamp)})
    answer = HttpResponse(f"{parts[0]}, {counters[1:-1]}, {parts[1]}", content_type=JSON_TYPE)
    answer["ETag"] = etag
    answer["Vary"] = "Accept-Language"
    return answer


def _dumps(value: Any) -> str:
    """JSON as every other answer of the API writes it (Ninja's renderer)."""
    return json.dumps(value, cls=NinjaJSONEncoder)


def _json_around_counters(record: dict[str, Any]) -> tuple[str, str]:
    """The case's JSON without its counters (``rating`` and ``views``, which change
    without a new revision), as the text before and after the place they go: kept per
    revision, so a request only writes the counters between them."""
    keys = list(record)
    at = keys.index("rating")
    assert keys[at + 1] == "views", "the counters are adjacent in CaseDetailOut"
    head = _dumps({key: record[key] for key in keys[:at]})
    tail = _dumps({key: record[key] for key in keys[at + 2 :]})
    return head[:-1], tail[1:]


@router.patch(
    "/cases/{slug}",
    auth=bearer,
    tags=["editing"],
    response={200: CaseDetailOut, 412: MessageOut, 428: MessageOut, **WRITE_ERRORS},
    operation_id="peerladder_api_editing_edit_case",
)
def edit_case(request: HttpRequest, slug: str, payload: CasePatchIn, response: HttpResponse) -> Any:
    """Change a case's fields. Send `If-Match` with the ETag you read: 412 when someone
    else edited first, 428 when `If-Match` is missing."""
    case = live_case(slug)
    if case is None:
        return no_case(request, slug)
    base = base_revision(request, case, required=True)
    if isinstance(base, Status):
        return base
    changes = payload.dict(exclude_unset=True)
    comment = changes.pop("comment", "")
    try:
        return written(
            response,
            lambda: services.case_update(
                case=case, author=request.auth, changes=changes, base_revision=base, summary=comment
            ),
        )
    except EditConflict as conflict:
        response["ETag"] = f'"rev-{conflict.current}"'
        return Status(412, {"detail": conflict.shown(error_lookup(request))})
