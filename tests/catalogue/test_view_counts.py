"""Page views counted in memory and written in batches (catalogue/services/view_counts.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection

from peerladder.catalogue.models import CaseViewDay
from peerladder.catalogue.services import view_counts
from peerladder.catalogue.services.view_counts import ViewCounter
from tests.factories import make_case

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 1)


def counts() -> dict[tuple[str, date], int]:
    return {
        (row.case.slug, row.day): row.count for row in CaseViewDay.objects.select_related("case")
    }


def test_views_wait_in_memory_until_the_flush_writes_them_together(django_assert_num_queries):
    one, two = make_case(slug="one"), make_case(slug="two")
    counter = ViewCounter(flush_seconds=3600, batch_size=1000)
    for _ in range(3):
        counter.add(one.pk, DAY)
    counter.add(two.pk, DAY)
    counter.add(two.pk, date(2026, 3, 2))
    assert counts() == {}
    # savepoint, one executemany, release (and PostgreSQL's synchronous_commit off)
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 3):
        assert counter.flush() == 5
    assert counts() == {("one", DAY): 3, ("two", DAY): 1, ("two", date(2026, 3, 2)): 1}
    assert counter.pending() == {}
    counter.add(one.pk, DAY)
    counter.flush()
    assert counts()[("one", DAY)] == 4


def test_a_full_batch_is_written_without_waiting_for_the_timer():
    case = make_case(slug="busy")
    counter = ViewCounter(flush_seconds=3600, batch_size=3)
    counter.add(case.pk, DAY)
    counter.add(case.pk, DAY)
    assert counts() == {}
    counter.add(case.pk, DAY)
    assert counts() == {("busy", DAY): 3}


def test_a_failed_write_keeps_the_counts_and_never_raises(monkeypatch):
    case = make_case(slug="kept")
    counter = ViewCounter(flush_seconds=3600, batch_size=1)

    def down(**kwargs):
        raise DatabaseError("the database is away")

    monkeypatch.setattr(view_counts, "case_views_add", down)
    counter.add(case.pk, DAY)  # the batch is full: the write fails quietly
    counter.add(case.pk, DAY)
    assert counter.pending() == {(case.pk, DAY): 2}
    monkeypatch.undo()
    assert counter.flush() == 2
    assert counts() == {("kept", DAY): 2}


def test_a_case_deleted_before_the_flush_is_skipped():
    case = make_case(slug="gone")
    counter = ViewCounter(flush_seconds=3600, batch_size=1000)
    counter.add(case.pk, DAY)
    counter.add(case.pk + 1000, DAY)
    assert counter.flush() == 2
    assert counts() == {("gone", DAY): 1}


def test_the_page_counts_through_the_batch_and_the_flush_runs_at_exit(
    client, settings, monkeypatch
):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    settings.VIEW_COUNT_BATCH_SIZE = 1000
    at_exit = []
    monkeypatch.setattr(view_counts, "_counter", None)
    monkeypatch.setattr(view_counts.atexit, "register", at_exit.append)
    case = make_case(slug="batched")
    client.get("/cases/batched")
    client.get("/cases/batched")
    assert counts() == {}
    counter = view_counts.view_counter()
    assert at_exit == [counter.flush]
    at_exit[0]()
    assert CaseViewDay.objects.get(case=case).count == 2
