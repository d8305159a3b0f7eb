"""The interface every search backend implements, and the snippet escaping they share."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any, Protocol

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, QuerySet

from peerladder.catalogue.models import Case
from peerladder.search.query import ParsedQuery

# Private-use characters mark highlights in raw snippets: unlike "<mark>" they cannot
# come from the catalogue's text by accident, and they survive HTML escaping.
# Ranking costs time in proportion to the number of matches, so a query that
# matches more cases than this is answered from the most recently added ones.
RANK_WINDOW = 5_000

MARK_START = "\ue000"
MARK_END = "\ue001"


class UnsupportedDatabase(RuntimeError):
    """The database in use has no full-text backend."""


@dataclass(frozen=True)
class PreparedQuery:
    """A parsed query made ready by a backend, once per search.

    ``window`` is set when the query matches more cases than the backend ranks:
    only the ``window`` most recently added matches (ids from ``floor`` up) are
    then searched, counted and faceted. ``ids`` are the ids of the matches
    searched (newest first), fetched once by :meth:`SearchBackend.prepare` so
    that counts and facets need not match the text again; None when the query
    was not run (a query built by hand).
    """

    parsed: ParsedQuery
    window: int | None = None
    floor: int = 0
    ids: tuple[int, ...] | None = None


class SearchBackend(Protocol):
    vendor: str

    def prepare(self, query: ParsedQuery) -> PreparedQuery:
        """Ready ``query`` (which must not be empty) for the calls below; may run a query."""
        ...

    def matching(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        """``cases`` narrowed to those matching ``query`` (for counts and facets)."""
        ...

    def ranked(self, cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case]:
        """The matches annotated with ``search_score`` (higher is better), unordered."""
        ...

    def snippets(self, query: PreparedQuery, case_ids: Iterable[int]) -> dict[int, str]:
        """Safe HTML extracts of each case with the matched words in ``<mark>``."""
        ...


class IdIn(Func):
    """``<field> IN ids`` with the ids passed as one parameter (a JSON array read by
    ``json_each`` on SQLite, an array on PostgreSQL), however many there are."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: Iterable[int]) -> None:
        super().__init__(F(field))
        self.ids = [int(value) for value in ids]

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        # ``sql`` is a column Django compiled; the ids go in as a parameter.
        sql, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "sqlite":
            subquery = f"{sql} IN (SELECT value FROM json_each(%s))"  # noqa: S608
            return subquery, [*params, json.dumps(self.ids)]
        if connection.vendor == "postgresql":
            return f"{sql} = ANY(%s)", [*params, self.ids]
        marks = ", ".join(["%s"] * len(self.ids))
        return f"{sql} IN ({marks})", [*params, *self.ids]


def with_ids(cases: QuerySet[Case], query: PreparedQuery) -> QuerySet[Case] | None:
    """``cases`` narrowed to the prepared matches' ids; None when ``query`` has none."""
    if query.ids is None:
        return None
    return cases.filter(IdIn("id", query.ids))


def marked_html(raw: str) -> str:
    """Escape ``raw`` and turn the private highlight markers into ``<mark>`` tags."""
    text = escape(raw.replace(MARK_START, "\x00").replace(MARK_END, "\x01"), quote=False)
    # Unmatched markers (cut by the snippet window) are dropped rather than left open.
    parts: list[str] = []
    open_mark = False
    for char in text:
        if char == "\x00" and not open_mark:
            parts.append("<mark>")
            open_mark = True
        elif char == "\x01" and open_mark:
            parts.append("</mark>")
            open_mark = False
        elif char not in "\x00\x01":
            parts.append(char)
    if open_mark:
        parts.append("</mark>")
    return "".join(parts)


def reading_connection() -> BaseDatabaseWrapper:
    """The connection the catalogue's reads go to now: a read replica during a read-only
    request when replicas are configured (config/replicas.py), else the primary. Raw
    search SQL uses it so that it reads where the ORM's queries beside it read."""
    return connections[router.db_for_read(Case)]
