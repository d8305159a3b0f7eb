"""Reads for search: ranked cases, facets that respect the query, duplicate candidates."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet

from peerladder.catalogue.models import Case, CaseCountry
from peerladder.catalogue.selectors import SORTS, CaseFilters
from peerladder.search.backends import backend_for
from peerladder.search.backends.base import PreparedQuery
from peerladder.search.budget import TimedOut, facet_limit_ms, run_within, search_limit_ms
from peerladder.search.query import ParsedQuery, Term, parse_query

RELEVANCE = "relevance"
FACETS = (
    ("rung", "standing_rung"),
    ("economy", "standing_economy"),
    ("sector", "sector"),
    ("contested", "contested"),
)
TIMED_OUT: dict[str, bool] = {"timed_out": True}
WINDOWED = (
    "More than {window:,} cases match: these are the best among the {window:,} most "
    "recently added. Add words to narrow the search."
)
TOO_SLOW = "The search took too long and was stopped; try more specific words."

Facets = dict[str, Any]


def _live_cases(filters: CaseFilters, *, skip: str | None = None) -> QuerySet[Case]:
    # The text query is the backend's job; every other filter is the catalogue's.
    return replace(filters, query=None).apply(Case.objects.filter(archived=False), skip=skip)


def _prepared(filters: CaseFilters, prepared: PreparedQuery | None) -> PreparedQuery | None:
    """``prepared``, or the filters' query parsed and prepared; None when it is empty."""
    if prepared is not None:
        return prepared
    parsed = parse_query(filters.query or "")
    return None if parsed.is_empty else backend_for().prepare(parsed)


def search_cases(
    *, filters: CaseFilters, sort: str = RELEVANCE, prepared: PreparedQuery | None = None
) -> QuerySet[Case]:
    """Live cases matching ``filters.query`` and the other filters, best match first.

    ``sort`` is ``relevance`` or one of the catalogue's list orders. An empty
    query (nothing searchable in it) matches nothing.
    """
    cases = _live_cases(filters)
    prepared = _prepared(filters, prepared)
    if prepared is None:
        return cases.none()
    ranked = backend_for().ranked(cases, prepared)
    order = ("-search_score", "name", "id") if sort == RELEVANCE else SORTS.get(sort, SORTS["name"])
    return ranked.order_by(*order).prefetch_related(
        Prefetch("country_rows", queryset=CaseCountry.objects.order_by("position"))
    )


def _facet_rows(filters: CaseFilters, prepared: PreparedQuery, name: str) -> list[dict[str, Any]]:
    cases = backend_for().matching(_live_cases(filters, skip=name), prepared)
    if name == "country":
        rows = (
            CaseCountry.objects.filter(case__in=cases.values("id"))
            .values("code")
            .annotate(count=Count("id"))
            .order_by("-count", "code")
        )
        return [{"value": row["code"], "count": row["count"]} for row in rows]
    column = dict(FACETS)[name]
    rows = cases.order_by().values(column).annotate(count=Count("id")).order_by(column)
    return [
        {"value": row[column], "count": row["count"]}
        for row in rows
        if not (name == "rung" and row[column] is None)
    ]


def search_facets(*, filters: CaseFilters, prepared: PreparedQuery | None = None) -> Facets:
    """Counts per value of each facet among the matches, each respecting the other filters.

    A facet that runs past ``FACET_TIME_LIMIT_MS`` is ``{"timed_out": true}``.
    """
    names = [name for name, _ in FACETS] + ["country"]
    prepared = _prepared(filters, prepared)
    if prepared is None:
        return {name: [] for name in names}
    facets: Facets = {}
    for name in names:
        try:
            facets[name] = run_within(
                facet_limit_ms(),
                lambda name=name: _facet_rows(filters, prepared, name),  # type: ignore[misc]
            )
        except TimedOut:
            facets[name] = dict(TIMED_OUT)
    return facets


@dataclass
class SearchPage:
    """One page of search results with everything a page or an API response shows."""

    query: ParsedQuery
    count: int = 0
    page: Page | None = None
    cases: list[Case] = field(default_factory=list)
    snippets: dict[int, str] = field(default_factory=dict)
    facets: Facets = field(default_factory=dict)
    message: str | None = None
    timed_out: bool = False
    window: int | None = None

    @property
    def timed_out_facets(self) -> list[str]:
        return [name for name, rows in self.facets.items() if rows == TIMED_OUT]

    def add_message(self, text: str) -> None:
        self.message = f"{self.message} {text}" if self.message else text


def search_page(
    *,
    filters: CaseFilters,
    sort: str = RELEVANCE,
    page: int | str | None = 1,
    page_size: int = 20,
    clamp: bool = False,
    with_facets: bool = True,
) -> SearchPage:
    """Search, then one page of the results with snippets and facets, within the budgets.

    ``clamp`` reads ``page`` as the web pages do (the last page for a number past
    the end, the first for anything that is not a number); otherwise ``page``
    is a number and a page past the end is empty. Never raises for any query text.
    """
    parsed = parse_query(filters.query or "")
    result = SearchPage(query=parsed, message=" ".join(parsed.notes) or None)
    names = [name for name, _ in FACETS] + ["country"]
    result.facets = {name: [] for name in names} if with_facets else {}
    if parsed.is_empty:
        return result
    backend = backend_for()
    try:
        prepared = run_within(search_limit_ms(), lambda: backend.prepare(parsed))
    except TimedOut:
        result.timed_out = True
        result.add_message(TOO_SLOW)
        return result
    result.window = prepared.window
    if with_facets:
        result.facets = search_facets(filters=filters, prepared=prepared)
    paginator = Paginator(search_cases(filters=filters, sort=sort, prepared=prepared), page_size)

    def evaluate() -> tuple[int, Page | None, list[Case]]:
        count = paginator.count
        if clamp:
            shown: Page | None = paginator.get_page(page)
        else:
            number = int(page or 1)
            shown = paginator.page(number) if 1 <= number <= paginator.num_pages else None
        return count, shown, list(shown.object_list) if shown is not None else []

    try:
        result.count, result.page, result.cases = run_within(search_limit_ms(), evaluate)
    except TimedOut:
        result.timed_out = True
        result.add_message(TOO_SLOW)
        return result
    if result.window:
        result.add_message(WINDOWED.format(window=result.window))
    result.snippets = backend.snippets(prepared, [case.pk for case in result.cases])
    return result


def website_host(url: str | None) -> str | None:
    """The host of ``url`` without ``www.`` and port, lower case; None when there is none."""
    if not url:
        return None
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def _name_key(name: str) -> str:
    """A name's words, lower case and without accents (PostgreSQL's index keeps accents)."""
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)
    )
    return " ".join(parse_query(f'"{plain}"').words)


def duplicate_candidates(
    *,
    name: str | None = None,
    website: str | None = None,
    wikidata: str | None = None,
    limit: int = 5,
) -> list[dict[str, Any]]:
    """Existing cases that a new case may duplicate, with the reasons, strongest first.

    Reasons: ``wikidata`` (the same Wikidata id), ``website`` (the same host) and
    ``name`` (a name at least 80 % alike, found through the search index).
    """
    found: dict[int, dict[str, Any]] = {}

    def add(case: Case, reason: str) -> None:
        entry = found.setdefault(case.pk, {"case": case, "reasons": []})
        if reason not in entry["reasons"]:
            entry["reasons"].append(reason)

    live = Case.objects.filter(archived=False)
    if wikidata and wikidata.strip():
        for case in live.filter(wikidata=wikidata.strip().upper()):
            add(case, "wikidata")
    host = website_host(website)
    if host:
        for case in live.filter(website__icontains=host)[:50]:
            if website_host(case.website) == host:
                add(case, "website")
    key = _name_key(name or "")
    if key:
        words = key.split()[:8]
        # Any of the name's words, so that a name with one word changed is still found.
        query = ParsedQuery(groups=((*(Term((word,), prefix=True) for word in words),),))
        backend = backend_for()

        def best_by_name() -> list[Case]:
            ranked = backend.ranked(live, backend.prepare(query))
            return list(ranked.order_by("-search_score")[:50])

        try:
            candidates = run_within(search_limit_ms(), best_by_name)
        except TimedOut:
            candidates = []
        for case in candidates:
            if SequenceMatcher(None, key, _name_key(case.name)).ratio() >= 0.8:
                add(case, "name")
    strength = {"wikidata": 3, "website": 2, "name": 1}
    ordered = sorted(
        found.values(),
        key=lambda entry: (-sum(strength[r] for r in entry["reasons"]), entry["case"].name),
    )
    return ordered[:limit]


def with_text_query_resolved(filters: CaseFilters) -> CaseFilters:
    """``filters`` with its text query replaced by the ids of the cases the search
    matches, so that exports select exactly what ``GET /api/cases?q=`` lists."""
    if not (filters.query or "").strip():
        return replace(filters, query=None)
    ids = search_cases(filters=filters, sort="name").values_list("id", flat=True)
    return replace(filters, query=None, ids=tuple(ids))
