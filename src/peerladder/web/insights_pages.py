"""Insight pages: /insights (the ladder map), /insights/<chart>, /insights/report.

Every chart is shown as server-rendered SVG (it works without JavaScript),
with a text alternative and its data table beside it. Chart and report data
are cached briefly under a key that moves with every change to the catalogue,
so a busy catalogue costs one small aggregate query per page view.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from peerladder.catalogue.selectors import CaseFilters, catalogue_version
from peerladder.catalogue.vocabulary import SECTORS
from peerladder.insights import charts, report
from peerladder.insights.selectors import catalogue_alpha, totals
from peerladder.web.case_pages import filters_from

CACHE_SECONDS = 120
CHART_PAGES = {
    "ladder": "The ladder map: every case at its standing rung.",
    "trend": "Cases per rung by founding year, and placements by the period they describe.",
    "trajectories": "The cases that moved from one rung to another, over time.",
    "viability": "Capital cost against coordination cost, and the viable corner.",
    "agreement": "How far contributors agree, per rung, and Krippendorff's alpha.",
}


def _cached(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per catalogue version (the catalogue's own cache key, which
    moves with every edit), for a ``name`` that includes the filters."""
    version = catalogue_version()
    digest = hashlib.blake2b(f"{name}|{version}".encode(), digest_size=12).hexdigest()
    key = f"insights:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _figure(name: str, filters: CaseFilters) -> dict[str, Any]:
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


def ladder_map_figure(filters: CaseFilters | None = None) -> dict[str, Any]:
    """The ladder map as the ``figure`` that web/insights/_figure.html shows (cached);
    for other pages, such as the home page, that show the map."""
    filters = filters or CaseFilters()
    return _cached(f"map|{filters!r}", lambda: _figure("ladder", filters))


def map_filters_from(request: HttpRequest) -> tuple[CaseFilters, list[str]]:
    """The map's filters: the case list's, read the same way, without a text query
    (the map draws the catalogue, not a search)."""
    filters, notes = filters_from(request)
    if filters.query:
        notes.append("Ignored q: the map draws the catalogue, not a search.")
    return replace(filters, query=None), notes


def insights(request: HttpRequest) -> HttpResponse:
    """The ladder map with its filters, the headline figures and links to every chart."""
    filters, notes = map_filters_from(request)

    def compute() -> dict[str, Any]:
        return {
            "figure": _figure("ladder", filters),
            "totals": totals(filters),
            "agreement": catalogue_alpha(),
        }

    data = _cached(f"index|{filters!r}", compute)
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
    figure = _cached(f"chart|{name}", lambda: _figure(name, CaseFilters()))
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
