"""The catalogue's read API: GET /api/cases and GET /api/cases/{slug}."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from peerladder.api.schemas import ErrorOut, MessageOut
from peerladder.catalogue import selectors
from peerladder.catalogue.models import Case
from peerladder.catalogue.presenters import case_detail, case_summary, etag_for
from peerladder.catalogue.selectors import CaseFilters
from peerladder.catalogue.vocabulary import SECTORS
from peerladder.search import selectors as search_selectors

router = Router(tags=["cases"])

SectorKey = Literal[tuple(SECTORS.values)]  # type: ignore[valid-type]
EconomyKey = Literal["sharing", "commons", "crowdsourcing", "none"]


class CaseFilterQuery(Schema):
    """The filters shared by the case list and the export."""

    q: str | None = Field(None, max_length=10_000, description="Words to look for")
    rung: int | None = Field(None, ge=1, le=11)
    economy: EconomyKey | None = Field(None, description="An economy, or none")
    sector: SectorKey | None = None
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2")
    contested: bool | None = None
    year_from: int | None = Field(None, ge=1000, le=2200, description="Founded in or after")
    year_to: int | None = Field(None, ge=1000, le=2200, description="Founded in or before")

    def to_filters(self) -> CaseFilters:
        return CaseFilters(
            query=self.q,
            rung=self.rung,
            economy=self.economy,
            sector=self.sector,
            country=self.country.upper() if self.country else None,
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


class StandingOut(Schema):
    rung: int | None
    key: str | None
    name: str | None
    view: str | None
    economy: str | None
    viability: str | None
    agreement: float | None
    contested: bool
    placements: int


class CaseSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    url: str
    website: str | None
    wikidata: str | None
    countries: list[str]
    sector: str
    org_form: str
    founded: int | None
    ended: int | None
    standing: StandingOut


class CaseHitOut(CaseSummaryOut):
    snippet: str | None = Field(
        None, description="With q: HTML extract, matches in <mark>, all else escaped"
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


class CaseDetailOut(CaseSummaryOut):
    description: str
    description_html: str
    tags: list[str]
    revision: int
    locked: bool
    sources: list[dict[str, Any]]
    placements: list[dict[str, Any]]
    trajectory: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    related_from: list[dict[str, Any]]


@router.get("/cases", response={200: CaseListOut, 422: ErrorOut})
def list_cases(request: HttpRequest, params: Query[CaseQuery]) -> dict[str, Any]:
    """Cases matching the filters, a page at a time, with facet counts for each filter.

    With `q`, a full-text search (syntax in docs/search.md): results are ranked
    by relevance unless `sort` says otherwise, each with a highlighted `snippet`;
    a facet that runs out of time is `{"timed_out": true}`.
    """
    found = search_selectors.case_page(
        filters=params.to_filters(),
        sort=params.sort,
        page=params.page,
        page_size=params.page_size,
    )
    return {
        "count": found.count,
        "page": params.page,
        "page_size": params.page_size,
        "results": [
            {**case_summary(case), "snippet": found.snippets.get(case.pk)} for case in found.cases
        ],
        "facets": found.facets,
        "message": found.message,
    }


@router.get("/cases/{slug}", response={200: CaseDetailOut, 304: None, 404: MessageOut})
def get_case(request: HttpRequest, slug: str, response: HttpResponse) -> Any:
    """One case with its standing placement, trajectory, sources and relations.

    The `ETag` header names the case's current revision; send it back as
    `If-Match` when editing.
    """
    case: Case | None = selectors.case_get(slug=slug)
    if case is None:
        return Status(404, {"detail": f"no case has slug {slug!r}"})
    etag = etag_for(case)
    response["ETag"] = etag
    if request.headers.get("If-None-Match") == etag:
        return Status(304, None)
    return case_detail(case, relations_in=selectors.case_relations_in(case))
