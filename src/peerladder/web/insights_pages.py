"""Insight pages: /insights (the ladder map), /insights/<chart>, /insights/report, and the
map as a poster (/insights/poster.svg, /insights/poster.png).

Every chart is shown as server-rendered SVG, so it works without JavaScript, with a
text alternative and its data table beside it. Charts have two layouts: wide, in the
page, and narrow for phones, at its own address (/insights/<chart>/narrow.svg), which
static/web/insights.js fetches only on a narrow screen: a page carries each chart's
marks once (without the script a phone shows the wide chart, scrolling inside its
box). The script also adds tooltips on hover, focus and tap, and makes every mark
reachable by keyboard.
Chart and report data are cached briefly under a key that moves with every change
to the catalogue, so a busy catalogue costs one small query per page view.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerladder.catalogue.render_cache import cache_key
from peerladder.catalogue.selectors import CaseFilters, catalogue_version
from peerladder.catalogue.vocabulary import SECTORS
from peerladder.catalogue.vocabulary_labels import country_label, term_label
from peerladder.insights import charts, report
from peerladder.insights.chart_base import alpha_text
from peerladder.insights.ladder_map import essay_credit, poster_spec
from peerladder.insights.selectors import catalogue_alpha, totals
from peerladder.ladder import ESSAY_CITATION, ESSAY_URL
from peerladder.web.browse import browse_params
from peerladder.web.case_pages import filters_from
from peerladder.web.catalogue_cache import cached_by_catalogue, shared_page

CHART_PAGES = {
    "ladder": {
        "title": gettext_lazy("Ladder"),
        "blurb": gettext_lazy(
            "The ladder map: every case at its rung, contested ones at each of theirs."
        ),
    },
    "trend": {
        "title": gettext_lazy("Trend"),
        "blurb": gettext_lazy(
            "Cases by founding year, and placements by the period they describe."
        ),
    },
    "trajectories": {
        "title": gettext_lazy("Trajectories"),
        "blurb": gettext_lazy("The cases that moved from one rung to another, one panel each."),
    },
    "viability": {
        "title": gettext_lazy("Viability"),
        "blurb": gettext_lazy("Capital cost against coordination cost, after Jed Harris."),
    },
    "agreement": {
        "title": gettext_lazy("Agreement"),
        "blurb": gettext_lazy(
            "How far independent placements agree, per rung, and Krippendorff's alpha."
        ),
    },
}
POSTER_MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
# A print-size PNG: the poster is drawn about 1,500 units wide; 2.5 pixels per unit
# gives about 3,800 pixels, an A3 sheet at some 330 dots per inch.
POSTER_SCALE = 2.5


def _figure(name: str, filters: CaseFilters) -> dict[str, Any]:
    built = charts.build(name, filters)
    return {
        "name": built.name,
        "title": built.title,
        "description": built.description,
        "svg": charts.render_svg(built.spec, id_prefix=f"chart-{built.name}"),
        "narrow_url": _narrow_url(name, filters) if built.narrow else None,
        "table": built.table,
    }


def _narrow_url(name: str, filters: CaseFilters) -> str:
    pairs = browse_params(filters)
    return reverse("web:insights-narrow", args=[name]) + (f"?{urlencode(pairs)}" if pairs else "")


def _chart_filters(request: HttpRequest, name: str) -> CaseFilters:
    """The filters a chart is drawn with: the map's from the address; the other charts
    are always drawn over the whole catalogue."""
    return map_filters_from(request)[0] if name == "ladder" else CaseFilters()


def chart_narrow(request: HttpRequest, name: str) -> HttpResponse:
    """A chart's narrow layout, for phones, as an SVG document (cached per catalogue
    version, like the page that links to it)."""
    if name not in CHART_PAGES:
        raise Http404(_("There is no chart called %(name)s.") % {"name": repr(name)})
    filters = _chart_filters(request, name)

    def draw() -> str:
        built = charts.build(name, filters)
        if not built.narrow:
            return ""
        return charts.render_svg(built.narrow, id_prefix=f"chart-{name}-narrow")

    # A repeat visit gets a 304 until the catalogue changes.
    etag = f'"{cache_key("narrow", name, repr(filters), catalogue_version()).partition(":")[2]}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    svg = cached_by_catalogue(f"narrow|{name}|{filters!r}", draw)
    if not svg:
        raise Http404(_("The chart %(name)s has one layout only.") % {"name": repr(name)})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    return response


def ladder_map_figure(filters: CaseFilters | None = None) -> dict[str, Any]:
    """The ladder map as the ``figure`` that web/insights/_figure.html shows (cached);
    for other pages, such as the home page, that show the map."""
    filters = filters or CaseFilters()
    return cached_by_catalogue(f"map|{filters!r}", lambda: _figure("ladder", filters))


def map_filters_from(request: HttpRequest) -> tuple[CaseFilters, list[str]]:
    """The map's filters: the case list's, read the same way, without a text query
    (the map draws the catalogue, not a search)."""
    filters, notes = filters_from(request)
    if filters.query:
        notes.append(_("Ignored q: the map draws the catalogue, not a search."))
    return replace(filters, query=None), notes


def filters_text(filters: CaseFilters) -> str:
    """The filters in words, for a caption ("" when there are none)."""
    parts = []
    if filters.sector:
        parts.append(_("sector %(name)s") % {"name": term_label(SECTORS, filters.sector)})
    if filters.country:
        parts.append(_("country %(name)s") % {"name": country_label(filters.country)})
    if filters.production:
        parts.append(_("production %(name)s") % {"name": filters.production})
    if filters.economy:
        parts.append(_("economy %(name)s") % {"name": filters.economy})
    if filters.contested is not None:
        parts.append(_("contested cases only") if filters.contested else _("agreed cases only"))
    if filters.year_from or filters.year_to:
        parts.append(
            _("founded %(start)s-%(end)s")
            % {"start": filters.year_from or "…", "end": filters.year_to or "…"}
        )
    return ", ".join(parts)


def _query_string(request: HttpRequest) -> str:
    kept = request.GET.copy()
    kept.pop("q", None)
    return kept.urlencode()


@shared_page("insights")
def insights(request: HttpRequest) -> HttpResponse:
    """The ladder map with its filters, the headline figures and links to every chart."""
    filters, notes = map_filters_from(request)

    def compute() -> dict[str, Any]:
        alpha = catalogue_alpha(filters)
        return {
            "figure": _figure("ladder", filters),
            "totals": totals(filters),
            "agreement": alpha,
            "agreement_text": alpha_text(alpha),
        }

    data = cached_by_catalogue(f"index|{filters!r}", compute)
    return render(
        request,
        "web/insights/index.html",
        {
            **data,
            "filters": filters,
            "filters_text": filters_text(filters),
            "notes": notes,
            "params": request.GET,
            "poster_query": _query_string(request),
            "sectors": [(value, term_label(SECTORS, value)) for value in SECTORS.values],
            "chart_pages": CHART_PAGES,
            "essay_credit": essay_credit(),
            "essay_url": ESSAY_URL,
        },
    )


def chart_page(request: HttpRequest, name: str) -> HttpResponse:
    """One chart with its text alternative and data table."""
    if name not in CHART_PAGES:
        raise Http404(_("There is no chart called %(name)s.") % {"name": repr(name)})
    figure = cached_by_catalogue(f"chart|{name}", lambda: _figure(name, CaseFilters()))
    return render(
        request,
        "web/insights/chart.html",
        {"figure": figure, "chart_pages": CHART_PAGES},
    )


def poster(request: HttpRequest, fmt: str) -> HttpResponse:
    """The ladder map at print size, filtered like the map page, with a caption giving
    the date, the counts and the citation; downloaded as SVG or PNG."""
    filters, _ = map_filters_from(request)
    date = timezone.now().date().isoformat()
    site = request.build_absolute_uri("/").rstrip("/")

    def compute() -> bytes:
        spec = poster_spec(filters, date=date, site=site, filters_text=filters_text(filters))
        if fmt == "svg":
            return charts.render_svg(
                spec, id_prefix="poster", title="The ladder map (poster)"
            ).encode()
        return charts.render(spec, "png", scale=POSTER_SCALE)

    content = cached_by_catalogue(f"poster|{fmt}|{date}|{site}|{filters!r}", compute)
    response = HttpResponse(content, content_type=POSTER_MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="peerladder-ladder-map-{date}.{fmt}"'
    return response


def report_page(request: HttpRequest) -> HttpResponse:
    """The state-of-the-field report; ``?format=json``, ``html`` (standalone) or ``text``."""
    data = cached_by_catalogue("report", report.build_report)
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
        {
            "body": report.render_html_body(data),
            "year": data["year"],
            "essay_citation": ESSAY_CITATION,
        },
    )


urlpatterns: list[URLPattern] = [
    path("insights", insights, name="insights"),
    path("insights/report", report_page, name="insights-report"),
    path("insights/poster.svg", poster, {"fmt": "svg"}, name="insights-poster-svg"),
    path("insights/poster.png", poster, {"fmt": "png"}, name="insights-poster-png"),
    path("insights/<slug:name>", chart_page, name="insights-chart"),
    path("insights/<slug:name>/narrow.svg", chart_narrow, name="insights-narrow"),
]
