"""Pages of the catalogue: /cases, /cases/<slug> (rung pages are in ladder_pages)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from peerladder.catalogue import selectors, services
from peerladder.catalogue.models import Case
from peerladder.catalogue.presenters import standing_of, views_of
from peerladder.catalogue.selectors import SORTS, CaseFilters, filter_values, one_or_many
from peerladder.catalogue.vocabulary import (
    CASE_LANGUAGES,
    COUNTRY_CODES,
    ORIGINAL_LANGUAGE,
    PRODUCTIONS,
    SECTORS,
)
from peerladder.catalogue.vocabulary_labels import country_label
from peerladder.interchange.citations import citation_context
from peerladder.ladder import ECONOMIES, RUNGS, InvalidAnswers, classify, rung
from peerladder.lexicon import rung_shown
from peerladder.search import selectors as search_selectors
from peerladder.search.highlight import highlight
from peerladder.search.selectors import SearchPage
from peerladder.web import case_page_cache
from peerladder.web.browse import SORT_LABELS, browse_params, chosen_filters, facet_groups
from peerladder.web.case_extras import case_extras
from peerladder.web.catalogue_cache import shared_page
from peerladder.web.similar_cases import similar_context
from peerladder.web.translation_pages import listed_text, reader_text, reading_language

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
# Longer than any URL the site takes (4,096): the parser says what it leaves out.
MAX_QUERY_LENGTH = 10_000


def filters_from(request: HttpRequest) -> tuple[CaseFilters, list[str]]:
    """The list filters from the query string, with a note for each value we had to ignore.

    ``rung``, ``economy``, ``sector``, ``production``, ``country`` and ``language`` may
    be repeated (a multi-select facet); the others take one value.
    """
    params = request.GET
    notes: list[str] = []

    def choices(name: str, allowed: set[str], normalise: Any = str) -> Any:
        chosen = []
        for raw in params.getlist(name):
            raw = raw.strip()
            if not raw:
                continue
            value = normalise(raw)
            if value in allowed:
                chosen.append(str(value))
            else:
                notes.append(
                    _("Ignored %(name)s=%(value)s: not a known value.")
                    % {"name": name, "value": repr(raw)}
                )
        return one_or_many(chosen)

    def number(name: str, low: int, high: int) -> int | None:
        raw = params.get(name, "").strip()
        if not raw:
            return None
        value = _int(raw, low, high)
        if value is None:
            notes.append(
                _("Ignored %(name)s=%(value)s: expected a number from %(low)s to %(high)s.")
                % {"name": name, "value": repr(raw), "low": low, "high": high}
            )
        return value

    rungs = choices("rung", {str(r.number) for r in RUNGS}, lambda raw: raw.lstrip("0") or raw)
    # The API's words too: yes/no, true/false, 1/0 all work in either.
    contested_raw = choices("contested", set(_YES) | set(_NO), str.lower)
    if isinstance(contested_raw, tuple):
        notes.append(_("Ignored contested: give it once, yes or no."))
        contested_raw = None
    query = params.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        notes.append(
            _("Only the first %(count)s characters of the search were used.")
            % {"count": number_format(MAX_QUERY_LENGTH, force_grouping=True)}
        )
    filters = CaseFilters(
        query=query[:MAX_QUERY_LENGTH] or None,
        rung=one_or_many([int(value) for value in filter_values(rungs)]),
        economy=choices("economy", {e.key for e in ECONOMIES} | {"none"}),
        sector=choices("sector", set(SECTORS.values)),
        production=choices("production", set(PRODUCTIONS.values)),
        country=choices("country", set(COUNTRY_CODES), str.upper),
        language=choices("language", set(CASE_LANGUAGES.values), str.lower),
        contested=None if contested_raw is None else contested_raw in _YES,
        year_from=number("year_from", 1000, 2200),
        year_to=number("year_to", 1000, 2200),
    )
    return filters, notes


def _snippet(found: SearchPage, case: Case, text: dict[str, Any]) -> dict[str, str] | None:
    """A search result's extract: from the summary in the reader's language when it has
    the words searched for, else the search's own (from the English original, marked
    ``lang`` on a page in another language)."""
    snippet = found.snippets.get(case.pk)
    if not snippet:
        return None
    translated = reading_language() is not None and not text["lang"]["summary"]
    if translated:
        found_here = highlight(text["summary"], found.query)
        if found_here:
            return {"html": found_here, "lang": ""}
    return {"html": snippet, "lang": ORIGINAL_LANGUAGE if reading_language() else ""}


def _sorted_by_counters(request: HttpRequest) -> bool:
    """Views and ratings move without a new catalogue version: such orders are not kept."""
    return any(sort.lstrip("-") in ("views", "rating") for sort in request.GET.getlist("sort"))


@shared_page("cases", unless=_sorted_by_counters)
def case_list(request: HttpRequest) -> HttpResponse:
    """Browse and search in one page: a text query, multi-select facets, or both; every
    state is its own URL, and the downloads export exactly the cases listed."""
    filters, notes = filters_from(request)
    sorts = ["relevance", *SORTS] if filters.query else list(SORTS)
    sort = request.GET.get("sort", "").strip() or sorts[0]
    if sort not in sorts:
        notes.append(_("Ignored sort=%(value)s: not a known order.") % {"value": repr(sort)})
        sort = sorts[0]
    found = search_selectors.case_page(
        filters=filters,
        sort=sort,
        page=request.GET.get("page"),
        page_size=PAGE_SIZE,
        clamp=True,
        language=reading_language(),
    )
    if found.message:
        notes.append(found.message)
    page = found.page or Paginator([], PAGE_SIZE).get_page(1)
    rows = []
    for case in found.cases:
        text = listed_text(case)
        rows.append(
            {
                "case": case,
                "text": text,
                "standing": standing_of(case),
                "snippet": _snippet(found, case, text),
            }
        )
    # The state's canonical query string: the pager keeps it, the downloads take its filters.
    kept_sort = sort if sort != sorts[0] else None
    chosen = chosen_filters(filters, sort=kept_sort)
    response = render(
        request,
        "web/cases/list.html",
        {
            "page": page,
            "rows": rows,
            "count": found.count,
            "notes": notes,
            "filters": filters,
            "q": filters.query or "",
            "searched": bool(filters.query),
            "timed_out": found.timed_out,
            "timed_out_facets": found.timed_out_facets,
            "facet_groups": facet_groups(filters, found.facets),
            "chosen": chosen,
            "filter_count": sum(1 for item in chosen if item["key"] != "q"),
            "query_without_page": urlencode(browse_params(filters, sort=kept_sort)),
            "export_query": urlencode(browse_params(filters)),
            "sorts": [{"key": key, "label": SORT_LABELS[key]} for key in sorts],
            "sort": sort,
            "year_from": filters.year_from or "",
            "year_to": filters.year_to or "",
        },
    )
    if found.timed_out or found.timed_out_facets:
        # A search cut short is not the page to keep for the next reader.
        patch_cache_control(response, no_store=True)
    return response


def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    if case_page_cache.serves_from_cache(request):
        return case_page_cache.cached_case_page(request, slug, render_case_page)
    case = selectors.case_get(slug=slug)
    if case is None:
        raise Http404(_("No case has the slug %(slug)s.") % {"slug": repr(slug)})
    wanted = _int(request.GET.get("revision"), 1, 10**9)
    if wanted is not None and wanted != case.revision_number:
        return case_revision(request, case, wanted)
    views = views_of(case)
    services.case_view_count(case_id=case.pk)
    response = render_case_page(request, case, case_page_cache.views_html(views))
    # This reader's own page (signed in, or a message waiting): never stored by a
    # shared cache, and no validator that another reader's page could match.
    patch_cache_control(response, private=True)
    return response


def render_case_page(request: HttpRequest, case: Case, views_html: str) -> HttpResponse:
    """The current revision's page, with ``views_html`` where the view counts go, its
    text in the reader's language where it has one."""
    text = reader_text(case)
    periods = selectors.case_trajectory(case)
    placements = [p for p in case.placements.all() if p.retracted_at is None]
    return render(
        request,
        "web/cases/detail.html",
        {
            "case": case,
            "standing": standing_of(case),
            "standing_rung": rung_shown(rung(case.standing_rung)) if case.standing_rung else None,
            "text": text,
            "description_html": text["description_html"],
            "countries": [
                {"code": row.code, "name": country_label(row.code)}
                for row in case.country_rows.all()
            ],
            "periods": [
                {"period": period, "rung": rung_shown(rung(period.rung)) if period.rung else None}
                for period in periods
            ],
            "placements": [
                {"placement": placement, "rung": rung_shown(rung(placement.rung))}
                for placement in placements
            ],
            "relations_in": selectors.case_relations_in(case),
            "views_html": mark_safe(views_html),  # noqa: S308 - rendered by a template, escaped there
            **similar_context(case),
            **citation_context(case, base_url=request.build_absolute_uri("/").rstrip("/")),
            **case_extras(request, case, periods, placements),
        },
    )


def case_revision(request: HttpRequest, case: Case, number: int) -> HttpResponse:
    """The case as it stood at an earlier revision (the permalink a citation gives)."""
    revision = selectors.case_revisions(case).filter(number=number).first()
    if revision is None:
        raise Http404(
            _("%(name)s has no revision %(number)s.") % {"name": case.name, "number": number}
        )
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


urlpatterns = [
    path("cases", case_list, name="case-list"),
    path("cases/<slug:slug>", case_detail, name="case-detail"),
]
