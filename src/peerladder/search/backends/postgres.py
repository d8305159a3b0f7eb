"""PostgreSQL full text: the weighted ``search_document`` tsvector with a GIN index.

The query is compiled from the same parsed terms as on SQLite (so phrases,
prefixes, OR and exclusion behave the same on both), into a ``to_tsquery``
string whose lexemes are all quoted. As on SQLite, a query that matches more
than ``base.RANK_WINDOW`` cases is answered from the most recent of them, and
:meth:`PostgresBackend.prepare` reads the ids of those matches once, so that
counts, facets and ranking start from ids rather than from the text again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, FloatField, Func, QuerySet, Value

from peerladder.catalogue.models import Case
from peerladder.search.backends import base
from peerladder.search.backends.base import (
    MARK_END,
    MARK_START,
    IdIn,
    PreparedQuery,
    marked_html,
    with_ids,
)
from peerladder.search.query import ParsedQuery, Term
from peerladder.search.triggers import QUERY_CONFIGS, tsquery_sql

# How many of the newest documents prepare() reads first, in id order, before it
# asks the GIN index: a common word fills the window from a few thousand rows,
# while the index would hand over every one of its matches to be sorted.
PROBE_ROWS = 4 * base.RANK_WINDOW
# Every query text is stemmed by each language's configuration (the document holds
# English text and each translation stemmed by its own language): QUERY_CONFIGS
# times, one parameter each.
_TSQUERY = tsquery_sql()
_COPIES = len(QUERY_CONFIGS)
_NEWEST = (
    "SELECT case_id FROM (SELECT case_id, document FROM search_document "  # noqa: S608
    "ORDER BY case_id DESC LIMIT %s) newest "
    f"WHERE document @@ {_TSQUERY} ORDER BY case_id DESC LIMIT %s"
)
_ALL = (
    f"SELECT case_id FROM search_document WHERE document @@ {_TSQUERY} "  # noqa: S608
    "ORDER BY case_id DESC LIMIT %s"
)

# ts_rank weights for D, C, B, A: tags and sources, description, summary, name.
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _term(term: Term) -> str:
    # Words hold only letters and digits, so single quotes make each one a literal lexeme.
    lexemes = [f"'{word}'" for word in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    joined = " <-> ".join(lexemes)
    return f"({joined})" if len(lexemes) > 1 else joined


def tsquery_text(query: ParsedQuery) -> str:
    """The ``to_tsquery`` text for ``query`` (which must not be empty)."""
    required = " & ".join(
        "(" + " | ".join(_term(term) for term in group) + ")" for group in query.groups
    )
    if not query.excluded:
        return required
    return f"({required}) & !(" + " | ".join(_term(t) for t in query.excluded) + ")"


class ToTsQuery(Func):
    """The query text as a tsquery stemmed by every language's configuration."""

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        return tsquery_sql(sql), [*params] * _COPIES


class TsRank(Func):
    function = "ts_rank"
    template = f"%(function)s('{WEIGHTS}'::real[], %(expressions)s)"
    output_field = FloatField()


class PostgresBackend:
    vendor = "postgresql"

    def prepare(self, query: ParsedQuery) -> PreparedQuery:
        window = base.RANK_WINDOW
        text = tsquery_text(query)
        with base.reading_connection().cursor() as cursor:
            cursor.execute(_NEWEST, [PROBE_ROWS, *[text] * _COPIES, window + 1])
            ids = [row[0] for row in cursor.fetchall()]
            if len(ids) <= window:
                cursor.execute(_ALL, [*[text] * _COPIES, window + 1])
                ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= window:
            return PreparedQuery(query, ids=tuple(ids))
        # The (window + 1)-th newest match sets the floor.
        return PreparedQuery(query, window=window, floor=ids[window] + 1, ids=tuple(ids[:window]))

    def matching(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        narrowed = with_ids(cases, query)
        if narrowed is not None:
            return narrowed
        cases = cases.filter(search_pg__document__tsmatch=Value(tsquery_text(query.parsed)))
        if query.floor:
            cases = cases.filter(id__gte=query.floor, search_pg__case_id__gte=query.floor)
        return cases

    def ranked(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        text = tsquery_text(query.parsed)
        if query.ids is not None:
            # Both sides of the join narrowed to the ids, so neither is read in full.
            cases = cases.filter(IdIn("id", query.ids), IdIn("search_pg__case_id", query.ids))
        else:
            cases = self.matching(cases, query)
        return cases.annotate(search_score=TsRank(F("search_pg__document"), ToTsQuery(Value(text))))

    def snippets(self, query: PreparedQuery, case_ids: Iterable[int]) -> dict[int, str]:
        ids = [int(case_id) for case_id in case_ids]
        if not ids or query.parsed.is_empty:
            return {}
        with base.reading_connection().cursor() as cursor:
            # The extract is of the English text, so the English query marks its words.
            cursor.execute(
                "SELECT id, ts_headline('english', summary || E'\\n' || description, "
                "to_tsquery('english'::regconfig, %s), %s) "
                "FROM catalogue_case WHERE id = ANY(%s)",
                [tsquery_text(query.parsed), HEADLINE_OPTIONS, ids],
            )
            return {row[0]: marked_html(row[1] or "") for row in cursor.fetchall()}
