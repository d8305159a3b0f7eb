"""Reads for search: ranked cases, facets that respect the query, duplicate candidates."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Prefetch, QuerySet, Window

from peerladder.catalogue.models import Case, CaseCountry
from peerladder.catalogue.selectors import (
    FACETS,
    SORTS,
    CaseFilters,
    case_facets,
    case_list,
    language_facet,
    with_translation,
)
from peerladder.search.backends import backend_for
from peerladder.search.backends.base import IdIn, PreparedQuery
from peerladder.search.budget import TimedOut, facet_limit_ms, run_within, search_limit_ms
from peerladder.search.query import ParsedQuery, Term, parse_query

RELEVANCE = "relevance"
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


def _ordered(
    filters: CaseFilters, sort: str, prepared: PreparedQuery | None
) -> QuerySet[Case] | None:
    """The matches in ``sort`` order, unevaluated; None when the query is empty."""
    prepared = _prepared(filters, prepared)
    if prepared is None:
        return None
    backend = backend_for()
    if sort != RELEVANCE:
        # No ranking needed: the ids already found are enough.
        return backend.matching(_live_cases(filters), prepared).order_by(
            *SORTS.get(sort, SORTS["name"])
        )
    return backend.ranked(_live_cases(filters), prepared).order_by(
        "-search_score", "sort_name", "id"
    )


def _with_countries(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.prefetch_related(
        Prefetch("country_rows", queryset=CaseCountry.objects.order_by("position"))
    )


def search_cases(
    *, filters: CaseFilters, sort: str = RELEVANCE, prepared: PreparedQuery | None = None
) -> QuerySet[Case]:
    """Live cases matching ``filters.query`` and the other filters, best match first.

    ``sort`` is ``relevance`` or one of the catalogue's list orders. An empty
    query (nothing searchable in it) matches nothing.
    """
    ordered = _ordered(filters, sort, prepared)
    if ordered is None:
        return _live_cases(filters).none()
    return _with_countries(ordered)


def _facet_rows(filters: CaseFilters, prepared: PreparedQuery, name: str) -> list[dict[str, Any]]:
    cases = backend_for().matching(_live_cases(filters, skip=name), prepared)
    if name == "language":
        return language_facet(cases)
    if name == "country":
        countries = CaseCountry.objects.all()
        if prepared.ids is not None:
            # Said twice, so that PostgreSQL reads the matches' rows by index.
            countries = countries.filter(IdIn("case_id", prepared.ids))
        rows = (
            countries.filter(case__in=cases.values("id"))
            .values("code")
            .annotate(count=Count("id"))
            .order_by("-count", "code")
        )
        return [{"value": row["code"], "count": row["count"]} for row in rows]
    column = dict(FACETS)[name]
    counted = cases.order_by().values(column).annotate(count=Count("id")).order_by(column)
    return [
        {"value": row[column], "count": row["count"]}
        for row in counted
        if not (name == "rung" and row[column] is None)
    ]


def _shared_facet_rows(
    filters: CaseFilters, prepared: PreparedQuery, names: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """The facets ``names`` (columns of the case, none of them a filter in use, so all
    counted among the same matches) from one ``GROUP BY`` over all their columns."""
    columns = [dict(FACETS)[name] for name in names]
    cases = backend_for().matching(_live_cases(filters), prepared)
    combined = cases.order_by().values_list(*columns).annotate(count=Count("id"))
    totals: list[dict[Any, int]] = [{} for _ in names]
    for *values, count in combined:
        for position, value in enumerate(values):
            totals[position][value] = totals[position].get(value, 0) + count
    # The order each facet's own query gave: by value, NULL first on SQLite, last elsewhere.
    nulls_first = connection.vendor == "sqlite"

    def order(value: Any) -> tuple[bool, Any]:
        return ((value is not None) == nulls_first, value)

    return {
        name: [
            {"value": value, "count": totals[position][value]}
            for value in sorted(totals[position], key=order)
            if not (name == "rung" and value is None)
        ]
        for position, name in enumerate(names)
    }


def search_facets(*, filters: CaseFilters, prepared: PreparedQuery | None = None) -> Facets:
    """Counts per value of each facet among the matches, each respecting the other filters.

    A facet that runs past ``FACET_TIME_LIMIT_MS`` is ``{"timed_out": true}``. The
    facets whose own filter is not in use all count the same matches, so they are
    counted together, in one query with one budget.
    """
    names = [name for name, _ in FACETS] + ["country", "language"]
    prepared = _prepared(filters, prepared)
    if prepared is None:
        return {name: [] for name in names}
    found: Facets = {}
    shared = [name for name, _ in FACETS if getattr(filters, name) is None]
    if len(shared) > 1:
        try:
            found.update(
                run_within(facet_limit_ms(), lambda: _shared_facet_rows(filters, prepared, shared))
            )
        except TimedOut:
            found.update({name: dict(TIMED_OUT) for name in shared})
    for name in names:
        if name in found:
            continue
        try:
            found[name] = run_within(
                facet_limit_ms(),
                lambda name=name: _facet_rows(filters, prepared, name),  # type: ignore[misc]
            )
        except TimedOut:
            found[name] = dict(TIMED_OUT)
    return {name: found[name] for name in names}


@dataclass
class SearchPage:
    """One page of search results with everything a page or an API response shows."""

    query: ParsedQuery
    count: int = 0
    page: Page[Case] | None = None
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
    names = [name for name, _ in FACETS] + ["country", "language"]
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
    ordered = _ordered(filters, sort, prepared)
    assert ordered is not None  # the query is not empty

    def evaluate() -> tuple[int, Page[Case] | None, list[Case]]:
        return _one_page(ordered, page=page, page_size=page_size, clamp=clamp)

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


# Past this, a page number is not tried in SQL (an OFFSET that large overflows);
# the paginator says whether such a page exists, from the count.
MAX_GUESSED_PAGE = 1_000_000


def _first_guess(page: int | str | None, *, clamp: bool) -> int:
    """The page number asked for, as ``Paginator.get_page`` reads it when ``clamp``."""
    if not clamp:
        return int(page or 1)
    try:
        return int(page or 1)
    except (TypeError, ValueError):
        return 1


def _one_page(
    ordered: QuerySet[Case], *, page: int | str | None, page_size: int, clamp: bool
) -> tuple[int, Page[Case] | None, list[Case]]:
    """The count, the page and its cases, in one query when the page exists.

    The page's ids come with the total (``COUNT(*) OVER ()``), so the matches are
    read once, not once to count and again for the page; only a page past the
    end (or not a number) costs a separate count. Then the page's cases (and
    their countries) are read by id, rather than sorting thousands of whole rows.
    """
    paginator = Paginator(ordered.values_list("id", flat=True), page_size)
    number = _first_guess(page, clamp=clamp)
    rows: list[tuple[int, int]] = []
    if 1 <= number <= MAX_GUESSED_PAGE:
        bottom = (number - 1) * page_size
        counted = ordered.annotate(search_total=Window(Count("id"))).values_list(
            "id", "search_total"
        )
        rows = list(counted[bottom : bottom + page_size])
    if rows:
        paginator.count = rows[0][1]  # a cached_property: filled in, not counted again
    elif clamp:
        number = paginator.get_page(page).number
    elif not 1 <= number <= paginator.num_pages:
        return paginator.count, None, []
    if rows:
        ids = [pk for pk, _ in rows]
    elif paginator.count:
        bottom = (number - 1) * page_size
        ids = list(ordered.values_list("id", flat=True)[bottom : bottom + page_size])
    else:
        ids = []
    by_id = _with_countries(Case.objects.filter(pk__in=ids)).in_bulk() if ids else {}
    cases = [by_id[pk] for pk in ids if pk in by_id]
    return paginator.count, Page(cases, number, paginator), cases


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


def case_page(
    *,
    filters: CaseFilters,
    sort: str | None = None,
    page: int | str | None = 1,
    page_size: int = 20,
    clamp: bool = False,
    language: str | None = None,
) -> SearchPage:
    """One page of the live cases matching ``filters``, with facet counts: the one read
    behind every list (the case list page, ``GET /api/cases``). With ``language`` (a
    case language, None for English), the page's cases hold their translation into it,
    read in one query.

    With a text query it is a search (best match first unless ``sort`` says
    otherwise, with snippets); without, the catalogue's list in ``sort`` order
    (name by default). ``clamp`` as for :func:`search_page`.
    """
    if (filters.query or "").strip():
        found = search_page(
            filters=filters, sort=sort or RELEVANCE, page=page, page_size=page_size, clamp=clamp
        )
        with_translation(found.cases, language)
        return found
    result = SearchPage(query=parse_query(""))
    order = sort if sort in SORTS else "name"
    paginator = Paginator(case_list(filters=replace(filters, query=None), sort=order), page_size)
    if clamp:
        result.page = paginator.get_page(page)
    else:
        number = page if isinstance(page, int) else 1
        result.page = paginator.page(number) if 1 <= number <= paginator.num_pages else None
    result.count = paginator.count
    result.cases = with_translation(list(result.page.object_list) if result.page else [], language)
    result.facets = case_facets(filters=replace(filters, query=None))
    return result


def with_text_query_resolved(filters: CaseFilters) -> CaseFilters:
    """``filters`` with its text query replaced by the ids of the cases the search
    matches, so that exports select exactly what ``GET /api/cases?q=`` lists.
    ``CaseFilters.apply`` refuses a text query: every read that takes one comes here
    or to :func:`case_page`."""
    if not (filters.query or "").strip():
        return replace(filters, query=None)
    ids = search_cases(filters=filters, sort="name").values_list("id", flat=True)
    return replace(filters, query=None, ids=tuple(ids))
