"""Time budgets for search and facet queries, after Datasette's time limits.

Settings (milliseconds): ``SEARCH_TIME_LIMIT_MS`` (default 1000) for the search
itself and ``FACET_TIME_LIMIT_MS`` (default 200) for each facet count. On SQLite
a progress handler interrupts the statement; on PostgreSQL ``statement_timeout``
is set for the duration of a savepoint.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connections, router, transaction

from peerladder.catalogue.models import Case

T = TypeVar("T")

DEFAULT_SEARCH_LIMIT_MS = 1000
DEFAULT_FACET_LIMIT_MS = 200
# SQLite calls the handler every this many virtual-machine instructions.
_PROGRESS_STEPS = 1000
_QUERY_CANCELED = "57014"


class TimedOut(Exception):
    """A query ran past its time budget and was stopped."""


def search_limit_ms() -> int:
    return int(getattr(settings, "SEARCH_TIME_LIMIT_MS", DEFAULT_SEARCH_LIMIT_MS))


def facet_limit_ms() -> int:
    return int(getattr(settings, "FACET_TIME_LIMIT_MS", DEFAULT_FACET_LIMIT_MS))


@contextmanager
def _sqlite_limit(alias: str, milliseconds: int) -> Iterator[None]:
    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + milliseconds / 1000

    def past_deadline() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw.set_progress_handler(past_deadline, _PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, 0)


def _is_timeout(exc: OperationalError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == _QUERY_CANCELED:
        return True
    return "interrupted" in str(exc).lower()


def run_within(milliseconds: int, evaluate: Callable[[], T], *, alias: str | None = None) -> T:
    """``evaluate()`` with every query it runs stopped after ``milliseconds``.

    ``evaluate`` must run its queries (return lists, not lazy querysets). The limit
    is set on the database that reads go to (a read replica during a read-only
    request, when replicas are configured), unless ``alias`` names another.
    Raises :class:`TimedOut` when the budget runs out.
    """
    alias = alias or router.db_for_read(Case)
    connection = connections[alias]
    try:
        if connection.vendor == "sqlite":
            with _sqlite_limit(alias, milliseconds):
                return evaluate()
        if connection.vendor == "postgresql":
            # A savepoint (or transaction) scopes the setting; a timeout rolls it back.
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('statement_timeout')")
                previous = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [f"{max(1, int(milliseconds))}ms"],
                )
                result = evaluate()
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
                return result
        return evaluate()
    except OperationalError as exc:
        if _is_timeout(exc):
            raise TimedOut(f"stopped after {milliseconds} ms") from exc
        raise
