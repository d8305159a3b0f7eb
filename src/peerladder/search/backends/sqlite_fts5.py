"""SQLite FTS5: the ``search_fts`` virtual table, ranked by bm25 with column weights.

A query that matches more than ``base.RANK_WINDOW`` cases is answered from
the most recently added ``RANK_WINDOW`` of them (count, ranking, pages and
facets alike), and the selectors say so. That keeps a search over a million
cases about as fast as one over ten thousand.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.db import connection
from django.db.models import F, QuerySet
from django.utils.text import Truncator

from peerladder.catalogue.models import Case
from peerladder.search.backends import base
from peerladder.search.backends.base import PreparedQuery
from peerladder.search.highlight import highlight
from peerladder.search.query import ParsedQuery, Term


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


class SqliteFts5Backend:
    vendor = "sqlite"

    def prepare(self, query: ParsedQuery) -> PreparedQuery:
        with connection.cursor() as cursor:
            # The (RANK_WINDOW + 1)-th newest match, if there is one, sets the floor.
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                [match_expression(query), base.RANK_WINDOW],
            )
            row = cursor.fetchone()
        if row is None:
            return PreparedQuery(query)
        return PreparedQuery(query, window=base.RANK_WINDOW, floor=row[0] + 1)

    def matching(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        cases = cases.filter(search_fts__document__match=match_expression(query.parsed))
        if query.floor:
            cases = cases.filter(search_fts__case_id__gte=query.floor)
        return cases

    def ranked(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        # bm25 is negative, lower is better; the score is turned round to "higher is better".
        return self.matching(cases, query).annotate(search_score=-F("search_fts__rank"))

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
