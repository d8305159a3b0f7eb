"""SQLite FTS5: the ``search_fts`` virtual table, ranked by bm25 with column weights.

:meth:`SqliteFts5Backend.prepare` reads the ids of the newest matches once (at
most ``base.RANK_WINDOW`` + 1 of them, newest first, which FTS5 reads straight
from the end of each term's list). Facets, and the count and pages of a query
past the window, then work on those ids and never match the text again; only
bm25 ranking does.

A query that matches more than ``base.RANK_WINDOW`` cases is answered from the
most recently added ``RANK_WINDOW`` of them (count, ranking, pages and facets
alike), and the selectors say so. bm25 cannot rank such a query cheaply: it
first counts, for every term, the rows that hold it in the whole table, which
takes longer the larger the catalogue. These queries are ranked instead by
:func:`window_score`, which looks only at the window's own rows. That keeps a
search over a million cases about as fast as one over ten thousand.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce
from html import escape

from django.db.models import Case as Choice
from django.db.models import F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.utils.text import Truncator

from peerladder.catalogue.models import Case
from peerladder.search.backends import base
from peerladder.search.backends.base import PreparedQuery, with_ids
from peerladder.search.highlight import highlight, light_stem
from peerladder.search.query import ParsedQuery, Term

# What a term found in a field adds to a windowed query's score: the bm25 weights
# of the two fields that weigh most. The others are left out: the description
# because reading it for thousands of rows costs more than the rest of the search
# together, tags and source titles because they weigh little and still cost time.
WINDOW_WEIGHTS = (("name", 10.0), ("summary", 5.0))


def _term(term: Term) -> str:
    # Words hold only letters and digits, so quoting them makes every one a literal.
    phrase = '"' + " ".join(term.words) + '"'
    return phrase + "*" if term.prefix else phrase


def match_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH expression for ``query`` (which must not be empty)."""
    required = " AND ".join(
        "(" + " OR ".join(_term(term) for term in group) + ")" for group in query.groups
    )
    if not query.excluded:
        return required
    return f"({required}) NOT (" + " OR ".join(_term(t) for t in query.excluded) + ")"


def term_pattern(term: Term) -> str:
    """The text a field holds when it holds ``term``, more or less: the words as
    typed, the last one cut to its stem (``assembling`` -> ``assembl``) or, for a
    prefix, to the prefix."""
    *first, last = term.words
    return " ".join([*first, last if term.prefix else light_stem(last)])


def _holds(field: str, pattern: str) -> Q:
    """``pattern`` at the start of a word of ``field`` (``LIKE`` ignores ASCII case)."""
    return Q(**{f"{field}__istartswith": pattern}) | Q(**{f"{field}__icontains": " " + pattern})


def window_score(query: ParsedQuery) -> Combinable:
    """A score (higher is better) from the fields each term appears in: name 10,
    summary 5. ``LIKE`` tests on the case's own row (the words of
    :func:`term_pattern` at the start of a word), so its cost follows the
    window's size, never the catalogue's."""
    parts = [
        Choice(
            When(_holds(field, term_pattern(term)), then=Value(weight)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        for group in query.groups
        for term in group
        for field, weight in WINDOW_WEIGHTS
    ]
    return reduce(operator.add, parts)


def _text_match(cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
    """``cases`` joined to their index rows that match ``query`` (from its floor up)."""
    cases = cases.filter(search_fts__document__match=match_expression(query.parsed))
    if query.floor:
        cases = cases.filter(id__gte=query.floor, search_fts__case_id__gte=query.floor)
    return cases


class SqliteFts5Backend:
    vendor = "sqlite"

    def prepare(self, query: ParsedQuery) -> PreparedQuery:
        window = base.RANK_WINDOW
        with base.reading_connection().cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rowid DESC LIMIT %s",
                [match_expression(query), window + 1],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= window:
            return PreparedQuery(query, ids=tuple(ids))
        # The (window + 1)-th newest match sets the floor.
        return PreparedQuery(query, window=window, floor=ids[window] + 1, ids=tuple(ids[:window]))

    def matching(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        narrowed = with_ids(cases, query)
        return _text_match(cases, query) if narrowed is None else narrowed

    def ranked(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        if query.window and query.ids is not None:
            return self.matching(cases, query).annotate(search_score=window_score(query.parsed))
        # bm25 is negative, lower is better; the score is turned round to "higher is better".
        return _text_match(cases, query).annotate(search_score=-F("search_fts__rank"))

    def snippets(self, query: PreparedQuery, case_ids: Iterable[int]) -> dict[int, str]:
        # FTS5's snippet() re-reads every term's full match list per row: too slow for
        # common words in a large catalogue, so the extract is made in Python.
        rows = Case.objects.filter(pk__in=list(case_ids)).values_list(
            "id", "summary", "description"
        )
        extracts = {}
        for case_id, summary, description in rows:
            extract = highlight(summary, query.parsed) or highlight(description or "", query.parsed)
            extracts[case_id] = extract or escape(Truncator(summary).words(24), quote=False)
        return extracts
