"""Pages of the catalogue: /cases, /cases/<slug>, /ladder/<rung>."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from peerladder.catalogue import selectors
from peerladder.catalogue.markup import render_markdown
from peerladder.catalogue.presenters import etag_for, standing_of
from peerladder.catalogue.selectors import SORTS, CaseFilters
from peerladder.catalogue.vocabulary import COUNTRY_CODES, Sector, country_name
from peerladder.ladder import ECONOMIES, RUNGS, UnknownRung, rung

PAGE_SIZE = 25


def _int(value: str | None, low: int, high: int) -> int | None:
    if value is None or not value.strip().lstrip("-").isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


def filters_from(request: HttpRequest) -> tuple[CaseFilters, list[str]]:
    """The list filters from the query string, with a note for each value we had to ignore."""
    params = request.GET
    notes: list[str] = []

    def choice(name: str, allowed: set[str], normalise: Any = str) -> str | None:
        raw = params.get(name, "").strip()
        if not raw:
            return None
        value = normalise(raw)
        if value not in allowed:
            notes.append(f"Ignored {name}={raw!r}: not a known value.")
            return None
        return str(value)

    def number(name: str, low: int, high: int) -> int | None:
        raw = params.get(name, "").strip()
        if not raw:
            return None
        value = _int(raw, low, high)
        if value is None:
            notes.append(f"Ignored {name}={raw!r}: expected a number from {low} to {high}.")
        return value

    contested_raw = choice("contested", {"yes", "no"})
    filters = CaseFilters(
        query=params.get("q", "").strip()[:500] or None,
        rung=number("rung", 1, 11),
        economy=choice("economy", {e.key for e in ECONOMIES} | {"none"}),
        sector=choice("sector", set(Sector.values)),
        country=choice("country", set(COUNTRY_CODES), str.upper),
        contested=None if contested_raw is None else contested_raw == "yes",
        year_from=number("year_from", 1000, 2200),
        year_to=number("year_to", 1000, 2200),
    )
    return filters, notes


def case_list(request: HttpRequest) -> HttpResponse:
    filters, notes = filters_from(request)
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        notes.append(f"Ignored sort={sort!r}: not a known order.")
        sort = "name"
    paginator = Paginator(selectors.case_list(filters=filters, sort=sort), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    rows = [{"case": case, "standing": standing_of(case)} for case in page.object_list]
    facets = selectors.case_facets(filters=filters)
    return render(
        request,
        "web/cases/list.html",
        {
            "page": page,
            "rows": rows,
            "notes": notes,
            "filters": filters,
            "params": request.GET,
            "query_without_page": urlencode(kept),
            "sorts": list(SORTS),
            "sort": sort,
            "rungs": RUNGS,
            "economies": ECONOMIES,
            "sectors": Sector.choices,
            "facets": facets,
            "country_facets": [
                {**row, "name": country_name(row["value"])} for row in facets["country"][:30]
            ],
        },
    )


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = selectors.case_get(slug=slug)
    if case is None:
        raise Http404(f"No case has the slug {slug!r}.")
    periods = selectors.case_trajectory(case)
    placements = [p for p in case.placements.all() if p.retracted_at is None]
    response = render(
        request,
        "web/cases/detail.html",
        {
            "case": case,
            "standing": standing_of(case),
            "standing_rung": rung(case.standing_rung) if case.standing_rung else None,
            "description_html": render_markdown(case.description),
            "countries": [
                {"code": row.code, "name": country_name(row.code)}
                for row in case.country_rows.all()
            ],
            "periods": [
                {"period": period, "rung": rung(period.rung) if period.rung else None}
                for period in periods
            ],
            "placements": [
                {"placement": placement, "rung": rung(placement.rung)} for placement in placements
            ],
            "relations_in": selectors.case_relations_in(case),
        },
    )
    response["ETag"] = etag_for(case)
    return response


def rung_cases(request: HttpRequest, number: int) -> HttpResponse:
    try:
        shown = rung(number)
    except UnknownRung:
        raise Http404("The ladder has rungs 1 to 11.") from None
    paginator = Paginator(
        selectors.case_list(filters=CaseFilters(rung=number), sort="name"), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "web/cases/rung.html", {"rung": shown, "page": page})


urlpatterns = [
    path("cases", case_list, name="case-list"),
    path("cases/<slug:slug>", case_detail, name="case-detail"),
    path("ladder/<int:number>", rung_cases, name="rung-cases"),
]
