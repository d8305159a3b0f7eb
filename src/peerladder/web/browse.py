"""The state of the browse-and-search page (/cases) as URLs and as what the page shows:
its canonical query string, the facets as checkbox groups, the chosen filters as
links that remove them. No database access: the view passes the facet counts in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from peerladder.catalogue.selectors import CaseFilters, filter_values
from peerladder.catalogue.vocabulary import PRODUCTIONS, SECTORS, country_name
from peerladder.ladder import ECONOMIES, RUNGS, economy_name, rung
from peerladder.search.selectors import TIMED_OUT
from peerladder.text import sort_key

SORT_LABELS = {
    "relevance": "Best match",
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "rung": "Rung, lowest first",
    "-rung": "Rung, highest first",
    "founded": "Founded, oldest first",
    "-founded": "Founded, newest first",
    "updated": "Recently changed",
    "agreement": "Least agreement first",
    "views": "Most viewed",
    "rating": "Highest rated",
}

# The multi-select facets, in the order the page shows them.
MULTI = ("rung", "economy", "sector", "production", "country")
TITLES = {
    "rung": "Rung",
    "economy": "Economy",
    "sector": "Sector",
    "production": "Production",
    "country": "Country",
    "contested": "Agreement",
}
# Countries are many: the most frequent are offered (and every chosen one).
COUNTRIES_OFFERED = 30

_SECTORS = dict(SECTORS.choices)
_PRODUCTIONS = dict(PRODUCTIONS.choices)


def _param(name: str, value: Any) -> str:
    """A facet value as its query-string word (``economy=none`` for no economy)."""
    if name == "economy" and value is None:
        return "none"
    if name == "contested":
        return "yes" if value else "no"
    return str(value)


def value_label(name: str, value: Any) -> str:
    """A facet value as the page names it."""
    if name == "rung":
        return f"{value} · {rung(int(value)).name}"
    if name == "economy":
        return economy_name(value)
    if name == "sector":
        return str(_SECTORS.get(value, value))
    if name == "production":
        return "Not recorded" if value is None else str(_PRODUCTIONS.get(value, value))
    if name == "country":
        return country_name(value)
    if name == "contested":
        return "Contested" if value in (True, "yes") else "Not contested"
    return str(value)


def browse_params(filters: CaseFilters, *, sort: str | None = None) -> list[tuple[str, str]]:
    """The state's query string as pairs, in one order (each facet's values sorted): the
    same state, the same URL.
    Without ``sort`` these are exactly the filters ``GET /api/export`` takes."""
    pairs: list[tuple[str, str]] = []
    if filters.query:
        pairs.append(("q", filters.query))
    for name in MULTI:
        values = sorted(filter_values(getattr(filters, name)))
        pairs += [(name, _param(name, value)) for value in values]
    if filters.contested is not None:
        pairs.append(("contested", _param("contested", filters.contested)))
    if filters.year_from is not None:
        pairs.append(("year_from", str(filters.year_from)))
    if filters.year_to is not None:
        pairs.append(("year_to", str(filters.year_to)))
    if sort:
        pairs.append(("sort", sort))
    return pairs


def _href(pairs: list[tuple[str, str]]) -> str:
    return "/cases" + (f"?{urlencode(pairs)}" if pairs else "")


def chosen_filters(filters: CaseFilters, *, sort: str | None = None) -> list[dict[str, str]]:
    """Each filter in use, with the link to the same page without it."""
    pairs = browse_params(filters, sort=sort)
    chosen = []
    for index, (name, value) in enumerate(pairs):
        if name == "sort":
            continue
        if name == "q":
            label = f"“{value if len(value) <= 60 else value[:59] + '…'}”"
        elif name == "year_from":
            label = f"Founded in {value} or later"
        elif name == "year_to":
            label = f"Founded in {value} or earlier"
        else:
            label = value_label(name, value)
        chosen.append(
            {
                "name": TITLES.get(name, "Search"),
                "label": label,
                "href": _href(pairs[:index] + pairs[index + 1 :]),
            }
        )
    return chosen


def _options(name: str, filters: CaseFilters, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checkboxes of one facet: every value that has cases here, and every value
    chosen (with its count, 0 when none is left)."""
    chosen = [_param(name, value) for value in filter_values(getattr(filters, name))]
    counts = {_param(name, row["value"]): row["count"] for row in rows}
    if name == "rung":
        order = [str(r.number) for r in RUNGS]
    elif name == "economy":
        order = [e.key for e in ECONOMIES] + ["none"]
    elif name == "sector":
        order = sorted(_SECTORS, key=lambda key: sort_key(str(_SECTORS[key])))
    elif name == "production":
        order = list(_PRODUCTIONS)
    else:  # country: the most frequent first
        order = list(counts)[:COUNTRIES_OFFERED]
        order += [code for code in chosen if code not in order]
    return [
        {
            "value": value,
            "label": value_label(name, value),
            "count": counts.get(value, 0),
            "checked": value in chosen,
        }
        for value in order
        if value in counts or value in chosen
    ]


def facet_groups(filters: CaseFilters, facets: dict[str, Any]) -> list[dict[str, Any]]:
    """The multi-select facets as checkbox groups, with the counts among the matches
    (each facet counted with every other filter applied, not its own)."""
    groups = []
    for name in MULTI:
        rows = facets.get(name, [])
        timed_out = rows == TIMED_OUT
        groups.append(
            {
                "name": name,
                "title": TITLES[name],
                "timed_out": timed_out,
                "options": [] if timed_out else _options(name, filters, rows),
                "chosen": len(filter_values(getattr(filters, name))),
            }
        )
    contested = facets.get("contested", [])
    counts = {} if contested == TIMED_OUT else {row["value"]: row["count"] for row in contested}
    groups.append(
        {
            "name": "contested",
            "title": TITLES["contested"],
            "timed_out": contested == TIMED_OUT,
            "radio": [
                {"value": "", "label": "Either", "checked": filters.contested is None},
                {
                    "value": "yes",
                    "label": "Contested",
                    "count": counts.get(True, 0),
                    "checked": filters.contested is True,
                },
                {
                    "value": "no",
                    "label": "Not contested",
                    "count": counts.get(False, 0),
                    "checked": filters.contested is False,
                },
            ],
            "chosen": int(filters.contested is not None),
        }
    )
    return groups
