"""The state of the browse-and-search page (/cases) as URLs and as what the page shows:
its canonical query string, the facets as checkbox groups, the chosen filters as
links that remove them. No database access: the view passes the facet counts in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerladder.catalogue.selectors import CaseFilters, filter_values
from peerladder.catalogue.vocabulary import CASE_LANGUAGES, PRODUCTIONS, SECTORS
from peerladder.catalogue.vocabulary_labels import country_label, term_label
from peerladder.ladder import ECONOMIES, RUNGS, rung
from peerladder.lexicon import economy_name_shown, rung_shown
from peerladder.search.selectors import TIMED_OUT
from peerladder.text import sort_key

SORT_LABELS = {
    "relevance": gettext_lazy("Best match"),
    "name": gettext_lazy("Name, A to Z"),
    "-name": gettext_lazy("Name, Z to A"),
    "rung": gettext_lazy("Rung, lowest first"),
    "-rung": gettext_lazy("Rung, highest first"),
    "founded": gettext_lazy("Founded, oldest first"),
    "-founded": gettext_lazy("Founded, newest first"),
    "updated": gettext_lazy("Recently changed"),
    "agreement": gettext_lazy("Least agreement first"),
    "views": gettext_lazy("Most viewed"),
    "rating": gettext_lazy("Highest rated"),
}

# The multi-select facets, in the order the page shows them.
MULTI = ("rung", "economy", "sector", "production", "country", "language")
TITLES = {
    "rung": gettext_lazy("Rung"),
    "economy": gettext_lazy("Economy"),
    "sector": gettext_lazy("Sector"),
    "production": gettext_lazy("Production"),
    "country": gettext_lazy("Country"),
    "language": gettext_lazy("Text in"),
    "contested": gettext_lazy("Agreement"),
}
# Countries are many: the most frequent are offered (and every chosen one), named in
# the reader's language.
COUNTRIES_OFFERED = 30


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
        return f"{value} · {rung_shown(rung(int(value))).name}"
    if name == "economy":
        return economy_name_shown(value)
    if name == "sector":
        return term_label(SECTORS, value)
    if name == "production":
        return _("Not recorded") if value is None else term_label(PRODUCTIONS, value)
    if name == "country":
        return country_label(value)
    if name == "language":
        return CASE_LANGUAGES.label(value)
    if name == "contested":
        return _("Contested") if value in (True, "yes") else _("Not contested")
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
    return reverse("web:case-list") + (f"?{urlencode(pairs)}" if pairs else "")


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
            label = _("Founded in %(year)s or later") % {"year": value}
        elif name == "year_to":
            label = _("Founded in %(year)s or earlier") % {"year": value}
        else:
            label = value_label(name, value)
        chosen.append(
            {
                "key": name,
                "name": str(TITLES.get(name, _("Search"))),
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
        # In the reader's alphabet: the labels' order changes with the language.
        order = sorted(SECTORS.values, key=lambda key: sort_key(term_label(SECTORS, key)))
    elif name == "production":
        order = list(PRODUCTIONS.values)
    elif name == "language":
        order = list(CASE_LANGUAGES.values)
    else:  # country: the most frequent first, equals in the reader's alphabet
        by_count = sorted(counts, key=lambda code: (-counts[code], sort_key(country_label(code))))
        order = by_count[:COUNTRIES_OFFERED]
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
                {"value": "", "label": _("Either"), "checked": filters.contested is None},
                {
                    "value": "yes",
                    "label": _("Contested"),
                    "count": counts.get(True, 0),
                    "checked": filters.contested is True,
                },
                {
                    "value": "no",
                    "label": _("Not contested"),
                    "count": counts.get(False, 0),
                    "checked": filters.contested is False,
                },
            ],
            "chosen": int(filters.contested is not None),
        }
    )
    return groups
