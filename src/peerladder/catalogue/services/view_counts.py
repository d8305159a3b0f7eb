"""Page views counted in the process and written in batches.

A case page view used to write its own row (an upsert per request); now it adds
one to a counter in this process's memory, and the counts are written together:
every ``VIEW_COUNT_FLUSH_SECONDS`` seconds (a daemon thread), as soon as
``VIEW_COUNT_BATCH_SIZE`` views are waiting, and when the process exits (atexit).
A crash loses at most the last few seconds of counts; a failed write is logged and
its counts kept for the next one, and a request never waits on it or fails by it.

``VIEW_COUNT_FLUSH_SECONDS = 0`` writes every view at once (the test settings).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import Counter
from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from peerladder.catalogue.models import Case, CaseViewDay

log = logging.getLogger(__name__)

# Counts kept for a write that failed are dropped past this many (case, day) pairs:
# a database down for long must not grow the process without bound.
MAX_PENDING_PAIRS = 100_000


def case_views_add(*, counts: Mapping[tuple[int, date], int]) -> None:
    """Add ``counts`` (views per case and day) to the daily counters, in one transaction.

    One upsert per pair (SQLite and PostgreSQL both have ON CONFLICT); a case deleted
    since it was viewed is skipped, not an error.
    """
    if not counts:
        return
    table = CaseViewDay._meta.db_table
    cases = Case._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Counters, not edits: they need not wait for the disk.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.executemany(
            f"INSERT INTO {table} (case_id, day, count) "  # noqa: S608
            f"SELECT id, %s, %s FROM {cases} WHERE id = %s "
            f"ON CONFLICT (case_id, day) DO UPDATE SET count = {table}.count + excluded.count",
            [(day, number, case_id) for (case_id, day), number in sorted(counts.items())],
        )


class ViewCounter:
    """Views waiting to be written, shared by the threads of one process."""

    def __init__(self, *, flush_seconds: float, batch_size: int) -> None:
        self.flush_seconds = flush_seconds
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._pending: Counter[tuple[int, date]] = Counter()
        self._waiting = 0
        self._pid = 0

    def add(self, case_id: int, day: date | None = None) -> None:
        """Count one view; writes the batch when it is full (never raises)."""
        day = day or timezone.now().date()
        with self._lock:
            self._pending[(case_id, day)] += 1
            self._waiting += 1
            full = self._waiting >= self.batch_size
        self._start_timer()
        if full:
            self.flush()

    def pending(self) -> dict[tuple[int, date], int]:
        with self._lock:
            return dict(self._pending)

    def flush(self) -> int:
        """Write what is waiting; the number of views written (0 when the write failed,
        its counts kept for the next flush)."""
        with self._lock:
            batch, self._pending = self._pending, Counter()
            self._waiting = 0
        if not batch:
            return 0
        try:
            case_views_add(counts=batch)
        except Exception as exc:  # a counter must never fail the request that counts
            log.warning("could not write %d page views (%s); keeping them", batch.total(), exc)
            with self._lock:
                if len(self._pending) + len(batch) <= MAX_PENDING_PAIRS:
                    self._pending.update(batch)
                    self._waiting += batch.total()
            return 0
        return batch.total()

    def _start_timer(self) -> None:
        """One flushing thread per process (a forked worker starts its own)."""
        pid = os.getpid()
        if self._pid == pid:
            return
        with self._lock:
            if self._pid == pid:
                return
            self._pid = pid
        threading.Thread(target=self._flush_every, name="view-counter", daemon=True).start()

    def _flush_every(self) -> None:
        while True:
            time.sleep(self.flush_seconds)
            try:
                self.flush()
            finally:
                # This thread's own connection: closed, so it never goes stale.
                connections.close_all()


_counter: ViewCounter | None = None
_counter_lock = threading.Lock()


def view_counter() -> ViewCounter:
    """The process's counter, made on first use from the settings."""
    global _counter
    if _counter is None:
        with _counter_lock:
            if _counter is None:
                _counter = ViewCounter(
                    flush_seconds=settings.VIEW_COUNT_FLUSH_SECONDS,
                    batch_size=settings.VIEW_COUNT_BATCH_SIZE,
                )
                atexit.register(_counter.flush)
    return _counter


def case_view_count(*, case_id: int) -> None:
    """Count one view of the case's page (today): batched, or written at once when
    ``VIEW_COUNT_FLUSH_SECONDS`` is 0. Never raises."""
    if settings.VIEW_COUNT_FLUSH_SECONDS <= 0:
        try:
            case_views_add(counts={(case_id, timezone.now().date()): 1})
        except DatabaseError as exc:
            log.warning("could not write a page view (%s)", exc)
        return
    view_counter().add(case_id)
