"""The interface every search backend implements, and the snippet escaping they share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Protocol

from django.db.models import QuerySet

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
    then searched, counted and faceted.
    """

    parsed: ParsedQuery
    window: int | None = None
    floor: int = 0


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
