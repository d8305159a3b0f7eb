"""Insight pages: /insights (the ladder map), /insights/<chart>, /insights/report.

Every chart is shown as server-rendered SVG (it works without JavaScript),
with a text alternative and its data table beside it. Chart and report data
are cached briefly under a key that moves with every change to the catalogue,
so a busy catalogue costs one small aggregate query per page view.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from peerladder.catalogue.vocabulary import COUNTRY_CODES, SECTORS
from peerladder.insights import charts, report
from peerladder.insights.selectors import MapFilters, catalogue_alpha, catalogue_state, totals

CACHE_SECONDS = 120
CHART_PAGES = {
    "ladder": "The ladder map: every case at its standing rung.",
    "trend": "Cases per rung by founding year, and placements by the period they describe.",
    "trajectories": "The cases that moved from one rung to another, over time.",
    "viability": "Capital cost against coordination cost, and the viable corner.",
    "agreement": "How far contributors agree, per rung, and Krippendorff's alpha.",
}


def _cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per catalogue state: the key holds the case count and the
    latest change, so any edit (a placement, an archive) computes afresh."""
    count, latest = catalogue_state()
    digest = hashlib.blake2b(f"{name}|{count}|{latest}".encode(), digest_size=12).hexdigest()
    key = f"insights:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _figure(name: str, filters: MapFilters) -> dict[str, Any]:
    built = charts.build(name, filters)
    return {
        "name": built.name,
        "title": built.title,
        "description": built.description,
        "svg": charts.render_svg(built.spec, id_prefix=f"chart-{built.name}"),
        "vega": charts.to_vega(built.spec),
        "vega_id": f"vega-{built.name}",
        "table": built.table,
    }


def ladder_map_figure(filters: MapFilters | None = None) -> dict[str, Any]:
    """The ladder map as the ``figure`` that web/insights/_figure.html shows (cached);
    for other pages, such as the home page, that show the map."""
    filters = filters or MapFilters()
    return _cached(f"map|{filters.key()}", lambda: _figure("ladder", filters))


def _year(raw: str, name: str, notes: list[str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if raw.isdigit() and 1000 <= int(raw) <= 2200:
        return int(raw)
    notes.append(f"Ignored {name}={raw!r}: expected a year from 1000 to 2200.")
    return None


def map_filters_from(request: HttpRequest) -> tuple[MapFilters, list[str]]:
    """The map's filters from the query string, with a note for each value ignored."""
    params = request.GET
    notes: list[str] = []
    sector = params.get("sector", "").strip() or None
    if sector is not None and sector not in SECTORS.values:
        notes.append(f"Ignored sector={sector!r}: not a known sector.")
        sector = None
    country = params.get("country", "").strip().upper() or None
    if country is not None and country not in COUNTRY_CODES:
        notes.append(f"Ignored country={country!r}: not an ISO 3166 country code.")
        country = None
    filters = MapFilters(
        sector=sector,
        country=country,
        year_from=_year(params.get("year_from", ""), "year_from", notes),
        year_to=_year(params.get("year_to", ""), "year_to", notes),
    )
    return filters, notes


def insights(request: HttpRequest) -> HttpResponse:
    """The ladder map with its filters, the headline figures and links to every chart."""
    filters, notes = map_filters_from(request)

    def compute() -> dict[str, Any]:
        return {
            "figure": _figure("ladder", filters),
            "totals": totals(filters),
            "agreement": catalogue_alpha(),
        }

    data = _cached(f"index|{filters.key()}", compute)
    return render(
        request,
        "web/insights/index.html",
        {
            **data,
            "filters": filters,
            "notes": notes,
            "params": request.GET,
            "sectors": SECTORS.choices,
            "chart_pages": CHART_PAGES,
        },
    )


def chart_page(request: HttpRequest, name: str) -> HttpResponse:
    """One chart with its text alternative and data table."""
    if name not in CHART_PAGES:
        raise Http404("no such chart")
    figure = _cached(f"chart|{name}", lambda: _figure(name, MapFilters()))
    return render(
        request,
        "web/insights/chart.html",
        {"figure": figure, "chart_pages": CHART_PAGES},
    )


def report_page(request: HttpRequest) -> HttpResponse:
    """The state-of-the-field report; ``?format=json``, ``html`` (standalone) or ``text``."""
    data = _cached("report", report.build_report)
    fmt = request.GET.get("format", "")
    if fmt == "json":
        return JsonResponse(data, json_dumps_params={"indent": 2})
    if fmt == "html":
        return HttpResponse(report.render_html(data), content_type="text/html; charset=utf-8")
    if fmt == "text":
        return HttpResponse(report.render_text(data), content_type="text/plain; charset=utf-8")
    return render(
        request,
        "web/insights/report.html",
        {"body": report.render_html_body(data), "year": data["year"]},
    )


urlpatterns: list[URLPattern] = [
    path("insights", insights, name="insights"),
    path("insights/report", report_page, name="insights-report"),
    path("insights/<slug:name>", chart_page, name="insights-chart"),
]
