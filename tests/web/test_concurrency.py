"""Many threads editing one case at once, through the services, the API and the pages:
every edit either lands or is a clean conflict (EditConflict, 412, the conflict page),
never "database is locked" or a 500, and no landed edit is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from peerladder.accounts.services import token_create
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, Revision
from peerladder.errors import EditConflict
from tests.factories import UserFactory, make_case

THREADS = 6


def _race(work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in THREADS threads released together; each result or exception."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as exc:  # every outcome is asserted on below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def real_database(transactional_db, tmp_path):
    """PostgreSQL as it is; on SQLite a migrated file instead of the test's in-memory
    database, whose shared cache locks whole tables and never waits (production SQLite
    is a file with WAL, IMMEDIATE transactions and a busy timeout: what is tested here)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    shared = connection.settings_dict  # the same dict every thread's connection reads
    memory_name, memory = shared["NAME"], connection.connection
    connection.connection = None
    shared["NAME"] = str(tmp_path / "race.sqlite3")
    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        connection.close()
        shared["NAME"] = memory_name
        connection.connection = memory


@pytest.fixture
def raced_case(real_database):
    return make_case(slug="raced", name="Start")


@pytest.mark.django_db(transaction=True)
def test_services_one_edit_lands_the_rest_conflict(raced_case):
    authors = [UserFactory(username=f"racer{i}") for i in range(THREADS)]

    def edit(index: int) -> str:
        services.case_update(
            case=Case.objects.get(pk=raced_case.pk),
            author=authors[index],
            changes={"name": f"Name {index}"},
            base_revision=1,
        )
        return "landed"

    results = _race(edit)
    assert results.count("landed") == 1, results
    assert all(isinstance(r, EditConflict) for r in results if r != "landed"), results
    assert Case.objects.get(pk=raced_case.pk).revision_number == 2


@pytest.mark.django_db(transaction=True)
def test_services_no_update_is_lost_when_each_retries(raced_case):
    authors = [UserFactory(username=f"retrier{i}") for i in range(THREADS)]

    def edit(index: int) -> int:
        for _attempt in range(50):
            case = Case.objects.get(pk=raced_case.pk)
            try:
                services.case_update(
                    case=case,
                    author=authors[index],
                    changes={"summary": f"Summary by {index}."},
                    base_revision=case.revision_number,
                    summary=f"edit {index}",
                )
                return index
            except EditConflict:
                continue
        raise AssertionError("never landed")

    results = _race(edit)
    assert sorted(results) == list(range(THREADS)), results
    summaries = set(Revision.objects.filter(case=raced_case).values_list("summary", flat=True))
    assert {f"edit {i}" for i in range(THREADS)} <= summaries
    assert Case.objects.get(pk=raced_case.pk).revision_number == THREADS + 1
    numbers = sorted(Revision.objects.filter(case=raced_case).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 2))


@pytest.mark.django_db(transaction=True)
def test_api_one_patch_lands_the_rest_get_412(raced_case):
    tokens = [token_create(user=UserFactory(username=f"api{i}"))[1] for i in range(THREADS)]

    def patch(index: int) -> int:
        response = Client().patch(
            "/api/cases/raced",
            {"name": f"API {index}"},
            content_type="application/json",
            HTTP_IF_MATCH='"rev-1"',
            HTTP_AUTHORIZATION=f"Bearer {tokens[index]}",
        )
        return response.status_code

    results = _race(patch)
    assert sorted(results) == [200] + [412] * (THREADS - 1), results


@pytest.mark.django_db(transaction=True)
def test_pages_one_save_lands_the_rest_see_the_conflict_page(raced_case, settings):
    users = [UserFactory(username=f"web{i}") for i in range(THREADS)]

    def save(index: int) -> int:
        client = Client()
        client.force_login(users[index])
        response = client.post(
            "/cases/raced/edit",
            {
                "slug": "raced",
                "name": f"Web {index}",
                "summary": "S.",
                "sector": "other",
                "org_form": "other",
                "base_revision": 1,
            },
        )
        return response.status_code

    results = _race(save)
    assert sorted(results) == [302] + [409] * (THREADS - 1), results


@pytest.mark.django_db(transaction=True)
def test_api_every_200_names_the_revision_it_wrote(raced_case):
    """Each writer retries on 412 until it lands; the body and ETag of its 200 must be
    the revision that its own write created (its summary, its number), never a later
    writer's, or the next If-Match would overwrite that writer's edit unseen."""
    tokens = [token_create(user=UserFactory(username=f"etag{i}"))[1] for i in range(THREADS)]

    def edit(index: int) -> tuple[str, int, str]:
        client = Client()
        for _attempt in range(50):
            etag = client.get("/api/cases/raced")["ETag"]
            response = client.patch(
                "/api/cases/raced",
                {"summary": f"Written by {index}."},
                content_type="application/json",
                HTTP_IF_MATCH=etag,
                HTTP_AUTHORIZATION=f"Bearer {tokens[index]}",
            )
            if response.status_code == 200:
                body = response.json()
                return response["ETag"], body["revision"], body["summary"]
            assert response.status_code == 412, response.content
        raise AssertionError("never landed")

    results = _race(edit)
    for index, (etag, number, summary) in enumerate(results):
        assert etag == f'"rev-{number}"', results
        assert summary == f"Written by {index}.", results
        snapshot = Revision.objects.get(case=raced_case, number=number).snapshot
        assert snapshot["summary"] == summary
    assert sorted(number for _, number, _ in results) == list(range(2, THREADS + 2))
