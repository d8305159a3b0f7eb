"""Learned models live in the database: every server finds them, loads them when first
asked, shares them between its workers, and one rebuild runs across all servers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from django.db import connection, connections

from peerladder.search import indexes, locks, similar, store
from peerladder.search.models import LearnedModel, RebuildLease
from tests.factories import IKEA_ANSWERS, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


def publish(version: str, value: float = 1.0) -> int:
    return store.publish(
        "test",
        format=1,
        catalogue_version=version,
        cases=3,
        header={"note": version},
        arrays={"values": np.full(3, value), "empty": np.zeros(0)},
    )


def test_a_stored_version_is_loaded_when_first_asked_and_mapped_read_only(data_dir):
    publish("v1", 2.0)
    assert not (data_dir / "models").exists() or not any((data_dir / "models").iterdir())
    loaded = store.current("test", format=1)
    assert loaded is not None and loaded.header["note"] == "v1"
    assert isinstance(loaded.arrays["values"], np.memmap)
    assert not loaded.arrays["values"].flags.writeable
    assert loaded.arrays["values"].tolist() == [2.0, 2.0, 2.0]
    assert loaded.arrays["empty"].size == 0


def test_within_the_check_interval_the_database_is_not_asked(settings, django_assert_num_queries):
    settings.LEARNED_MODEL_CHECK_SECONDS = 60
    publish("v1")
    first = store.current("test", format=1)
    with django_assert_num_queries(0):
        assert store.current("test", format=1) is first


def test_a_newer_version_is_served_after_the_interval(settings):
    settings.LEARNED_MODEL_CHECK_SECONDS = 0
    publish("v1")
    assert store.current("test", format=1).catalogue_version == "v1"
    publish("v2", 3.0)
    store.current("test", format=1)  # publish() forgets in its own process; others ask
    assert store.current("test", format=1).catalogue_version == "v2"


def test_a_version_still_being_written_is_not_served(settings):
    settings.LEARNED_MODEL_CHECK_SECONDS = 0
    publish("v1")
    LearnedModel.objects.create(
        kind="test",
        format=1,
        catalogue_version="v2",
        built_at="2026-11-26T00:00:00Z",
        cases=3,
        size=1,
        digest="0" * 64,
        complete=False,
    )
    assert store.current("test", format=1).catalogue_version == "v1"


def test_a_version_that_cannot_be_fetched_leaves_the_previous_one_serving(settings):
    settings.LEARNED_MODEL_CHECK_SECONDS = 0
    publish("v1")
    assert store.current("test", format=1).catalogue_version == "v1"
    newer = publish("v2")
    LearnedModel.objects.filter(pk=newer).update(digest="f" * 64)  # damaged in the database
    store.current("test", format=1)
    assert store.current("test", format=1).catalogue_version == "v1"


def test_only_the_newest_versions_are_kept():
    for number in range(4):
        publish(f"v{number}")
    kept = LearnedModel.objects.order_by("id").values_list("catalogue_version", flat=True)
    assert list(kept) == ["v2", "v3"]


def test_a_second_worker_maps_the_files_the_first_fetched(django_assert_num_queries):
    publish("v1")
    first = store.current("test", format=1)
    store.forget()  # another worker of the same server: same data directory, own memory
    with django_assert_num_queries(1):  # where the newest version is; no parts fetched
        second = store.current("test", format=1)
    assert second is not first
    assert second.arrays["values"].filename == first.arrays["values"].filename


def test_asking_never_loads_scikit_learn(tmp_path):
    """A worker answering similar cases and suggestions runs on numpy alone."""
    script = textwrap.dedent(
        """
        import sys
        import django
        django.setup()
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        from tests.factories import IKEA_ANSWERS, make_case
        from peerladder.catalogue.models import Case
        make_case(slug="wikipedia", summary="A free encyclopedia by volunteers.")
        make_case(slug="ikea", answers=IKEA_ANSWERS, summary="Flat packs to assemble.")
        import subprocess
        subprocess.run([sys.executable, "-m", "peerladder.cli", "index", "rebuild"], check=True)
        from peerladder.search.similar import similar_cases
        from peerladder.search.suggest import suggest_rungs
        assert similar_cases(Case.objects.get(slug="ikea")).built
        assert suggest_rungs(description="flat packs")[1] == "model"
        loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("sklearn", "scipy"))
        print("LOADED", loaded)
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "PEERLADDER_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "peerladder.config.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "LOADED []" in result.stdout


def hold_the_lock_elsewhere():
    """Take the rebuild lock as another server would; returns how to let it go."""
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [locks._advisory_key(indexes.LOCK)])
        return other.close
    assert locks.try_acquire(indexes.LOCK, "another-server")
    return lambda: locks.release(indexes.LOCK, "another-server")


def test_a_rebuild_waits_while_another_server_holds_the_lock(monkeypatch):
    make_case(slug="wikipedia")
    release = hold_the_lock_elsewhere()
    try:
        monkeypatch.setattr(indexes, "WAIT_SECONDS", 0.6)
        outcome = indexes.rebuild_indexes()
    finally:
        release()
    assert not outcome.built
    assert not LearnedModel.objects.exists()
    assert indexes.rebuild_indexes().built  # once it is free


def test_a_rebuild_that_waited_keeps_the_other_servers_current_models(monkeypatch):
    make_case(slug="wikipedia")
    make_case(slug="ikea", answers=IKEA_ANSWERS)
    assert indexes.rebuild_indexes().built
    built = LearnedModel.objects.count()
    monkeypatch.setattr(locks, "try_acquire", _taken_once())
    outcome = indexes.rebuild_indexes()
    assert not outcome.built and outcome.reason == "already built by another rebuild"
    assert LearnedModel.objects.count() == built


def test_a_rebuild_that_waited_builds_when_the_catalogue_moved_on(monkeypatch):
    make_case(slug="wikipedia")
    assert indexes.rebuild_indexes().built
    make_case(slug="linux", name="Linux")
    monkeypatch.setattr(locks, "try_acquire", _taken_once())
    outcome = indexes.rebuild_indexes(force=False)
    assert outcome.built and outcome.indexed == 2
    assert indexes.models_are_current()


def test_the_sqlite_lease_is_taken_once_and_outlived_when_its_holder_died():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL uses an advisory lock")
    assert locks.try_acquire("x", "first")
    assert not locks.try_acquire("x", "second")
    RebuildLease.objects.filter(name="x").update(expires_at="2000-01-01T00:00:00Z")
    assert locks.try_acquire("x", "second")
    locks.release("x", "second")
    assert locks.try_acquire("x", "third")


def test_similar_cases_use_the_version_stored_by_another_server(settings):
    settings.LEARNED_MODEL_CHECK_SECONDS = 0
    make_case(slug="wikipedia", summary="A free online encyclopedia by volunteers.")
    make_case(slug="wiktionary", summary="A free online dictionary by volunteers.")
    indexes.rebuild_indexes()
    store.forget()  # a fresh server
    found = similar.similar_cases_of("wikipedia")
    assert found.built and [case.slug for case, _ in found.results] == ["wiktionary"]


def _taken_once():
    """try_acquire that finds the lock held once (another rebuild), then takes it."""
    real = locks.try_acquire
    calls = {"count": 0}

    def try_acquire(name: str, holder: str) -> bool:
        calls["count"] += 1
        return False if calls["count"] == 1 else real(name, holder)

    return try_acquire


def test_while_one_thread_fetches_a_new_version_the_others_keep_the_loaded_one(settings):
    settings.LEARNED_MODEL_CHECK_SECONDS = 0
    publish("v1")
    loaded = store.current("test", format=1)
    publish("v2")
    with store._lock:  # another thread of this process is looking for the new version
        assert store.current("test", format=1) is loaded
    assert store.current("test", format=1).catalogue_version == "v2"
