"""The search page: /search, ranked results with highlighted extracts and facet counts."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from peerladder.catalogue.presenters import standing_of
from peerladder.catalogue.vocabulary import SECTORS, country_name
from peerladder.ladder import rung
from peerladder.search import selectors as search_selectors
from peerladder.web.case_pages import filters_from

PAGE_SIZE = 20
_FACET_TITLES = {
    "rung": "Rung",
    "economy": "Economy",
    "sector": "Sector",
    "production": "Production",
    "country": "Country",
    "contested": "Contested",
}
_SECTORS = dict(SECTORS.choices)


def _facet_label(name: str, value: Any) -> str:
    if name == "rung":
        return f"{value} · {rung(value).name}"
    if name == "economy":
        return "none of the three" if value is None else str(value)
    if name == "sector":
        return str(_SECTORS.get(value, value))
    if name == "country":
        return country_name(value)
    return "contested" if value else "not contested"


def _facet_param(name: str, value: Any) -> str:
    if name == "economy" and value is None:
        return "none"
    if name == "contested":
        return "yes" if value else "no"
    return str(value)


def _facet_groups(request: HttpRequest, facets: dict[str, Any]) -> list[dict[str, Any]]:
    """Each facet with a link per value that adds (or, when chosen, removes) its filter."""
    groups = []
    for name, title in _FACET_TITLES.items():
        rows = facets.get(name, [])
        if rows == search_selectors.TIMED_OUT:
            groups.append({"name": name, "title": title, "timed_out": True, "values": []})
            continue
        values = []
        for row in rows[:20]:
            param = _facet_param(name, row["value"])
            chosen = request.GET.get(name, "").strip().lower() == param.lower()
            kept = {k: v for k, v in request.GET.items() if k not in ("page", name) and v}
            if not chosen:
                kept[name] = param
            values.append(
                {
                    "label": _facet_label(name, row["value"]),
                    "count": row["count"],
                    "chosen": chosen,
                    "href": "?" + urlencode(kept),
                }
            )
        groups.append({"name": name, "title": title, "timed_out": False, "values": values})
    return groups


def search(request: HttpRequest) -> HttpResponse:
    filters, notes = filters_from(request)
    found = None
    if filters.query:
        found = search_selectors.search_page(
            filters=filters,
            page=request.GET.get("page"),
            page_size=PAGE_SIZE,
            clamp=True,
        )
        if found.message:
            notes.append(found.message)
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    hits = [
        {
            "case": case,
            "standing": standing_of(case),
            "snippet": found.snippets.get(case.pk, ""),
        }
        for case in (found.cases if found else [])
    ]
    return render(
        request,
        "web/search/search.html",
        {
            "q": request.GET.get("q", "")[:500],
            "found": found,
            "hits": hits,
            "page": found.page if found else None,
            "notes": notes,
            "facet_groups": _facet_groups(request, found.facets) if found else [],
            "query_without_page": urlencode(kept),
        },
    )


urlpatterns = [
    path("search", search, name="search"),
]
