"""Pages of the catalogue: /cases, /cases/<slug>, /ladder/<rung>."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from peerladder.catalogue import selectors, services
from peerladder.catalogue.markup import render_markdown
from peerladder.catalogue.models import Case
from peerladder.catalogue.presenters import etag_for, standing_of
from peerladder.catalogue.selectors import SORTS, CaseFilters
from peerladder.catalogue.vocabulary import COUNTRY_CODES, PRODUCTIONS, SECTORS, country_name
from peerladder.interchange.citations import citation_context
from peerladder.ladder import ECONOMIES, RUNGS, InvalidAnswers, UnknownRung, classify, rung
from peerladder.search import selectors as search_selectors
from peerladder.web.similar_cases import similar_context

PAGE_SIZE = 25


def _int(value: str | None, low: int, high: int) -> int | None:
    value = (value or "").strip()
    # isascii: "²".isdigit() is true but int() refuses it; 9 digits is plenty for a year or page.
    if not value.lstrip("-").isdigit() or not value.isascii() or len(value) > 9:
        return None
    number = int(value)
    return number if low <= number <= high else None


_YES = ("yes", "true", "1", "on")
_NO = ("no", "false", "0", "off")


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

    # The API's words too: yes/no, true/false, 1/0 all work in either.
    contested_raw = choice("contested", set(_YES) | set(_NO), str.lower)
    filters = CaseFilters(
        query=params.get("q", "").strip()[:500] or None,
        rung=number("rung", 1, 11),
        economy=choice("economy", {e.key for e in ECONOMIES} | {"none"}),
        sector=choice("sector", set(SECTORS.values)),
        production=choice("production", set(PRODUCTIONS.values)),
        country=choice("country", set(COUNTRY_CODES), str.upper),
        contested=None if contested_raw is None else contested_raw in _YES,
        year_from=number("year_from", 1000, 2200),
        year_to=number("year_to", 1000, 2200),
    )
    return filters, notes


def case_list(request: HttpRequest) -> HttpResponse:
    filters, notes = filters_from(request)
    sorts = ["relevance", *SORTS] if filters.query else list(SORTS)
    sort = request.GET.get("sort", sorts[0])
    if sort not in sorts:
        notes.append(f"Ignored sort={sort!r}: not a known order.")
        sort = sorts[0]
    found = search_selectors.case_page(
        filters=filters,
        sort=sort,
        page=request.GET.get("page"),
        page_size=PAGE_SIZE,
        clamp=True,
    )
    notes.extend(filter(None, [found.message]))
    notes.extend(
        f"Counts by {name} took too long and are not shown." for name in found.timed_out_facets
    )
    page = found.page or Paginator([], PAGE_SIZE).get_page(1)
    facets = {
        name: [] if name in found.timed_out_facets else rows for name, rows in found.facets.items()
    }
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    rows = [{"case": case, "standing": standing_of(case)} for case in page.object_list]
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
            "sorts": sorts,
            "sort": sort,
            "rungs": RUNGS,
            "economies": ECONOMIES,
            "sectors": SECTORS.choices,
            "productions": PRODUCTIONS.choices,
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
    wanted = _int(request.GET.get("revision"), 1, 10**9)
    if wanted is not None and wanted != case.revision_number:
        return case_revision(request, case, wanted)
    services.case_view_record(case=case)
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
            **similar_context(case),
            **citation_context(case, base_url=request.build_absolute_uri("/").rstrip("/")),
        },
    )
    response["ETag"] = etag_for(case)
    return response


def case_revision(request: HttpRequest, case: Case, number: int) -> HttpResponse:
    """The case as it stood at an earlier revision (the permalink a citation gives)."""
    revision = selectors.case_revisions(case).filter(number=number).first()
    if revision is None:
        raise Http404(f"{case.name} has no revision {number}.")
    record = revision.snapshot
    placements = []
    for placement in record.get("placements", []):
        try:
            placed = rung(classify(placement["answers"]).rung)
        except (InvalidAnswers, KeyError, TypeError):
            placed = None
        placements.append({"placement": placement, "rung": placed})
    return render(
        request,
        "web/cases/revision.html",
        {"case": case, "revision": revision, "record": record, "placements": placements},
    )


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
