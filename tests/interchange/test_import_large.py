"""Large imports: past a threshold the written tables' secondary indexes are set aside
and built again at the end, and a refusal, or a kill, still leaves data and indexes as
they were."""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection

from peerladder.catalogue.models import Case
from peerladder.catalogue.table_writer import LargeWrite, TableWriter
from peerladder.interchange import importer
from peerladder.interchange.problems import InvalidFile
from tests.interchange.records import (
    database_state,
    jsonl,
    load_records,
    numbered_records,
)
from tests.schema import indexes

pytestmark = pytest.mark.django_db


def records(count: int, prefix: str = "case") -> list[dict[str, Any]]:
    return numbered_records(count, prefix)


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Batches of two records; indexes set aside once two cases are created. Returns
    what was set aside (``defer``) and the statements that built indexes again."""
    monkeypatch.setattr(importer, "BATCH", 2)
    monkeypatch.setattr(importer, "REBUILD_INDEXES_AFTER", 2)
    seen: dict[str, list[Any]] = {"defer": [], "rebuilt": []}
    defer, create = LargeWrite.defer_indexes, TableWriter.create_indexes

    def spy_defer(self: LargeWrite, *args: Any, **kwargs: Any) -> None:
        seen["defer"].append(kwargs)
        defer(self, *args, **kwargs)

    def spy_create(self: TableWriter, statements: Any) -> None:
        seen["rebuilt"] += list(statements)
        create(self, statements)

    monkeypatch.setattr(LargeWrite, "defer_indexes", spy_defer)
    monkeypatch.setattr(TableWriter, "create_indexes", spy_create)
    return seen


def test_a_large_import_sets_indexes_aside_and_builds_them_again(small_thresholds):
    before = indexes()

    report = load_records(records(7))

    assert report.created == 7
    assert small_thresholds["defer"], "the indexes were never set aside"
    assert indexes() == before
    if connection.vendor == "sqlite":
        assert any("case_live_name" in statement for statement in small_thresholds["rebuilt"])
    else:
        assert small_thresholds["rebuilt"] == []  # PostgreSQL keeps its indexes
    # The rebuilt listing index serves the cases written while it was set aside.
    names = list(
        Case.objects.filter(archived=False).order_by("name").values_list("name", flat=True)
    )
    assert names == [f"Case {number}" for number in range(7)]


def test_an_import_smaller_than_the_catalogue_keeps_its_indexes(small_thresholds):
    load_records(records(3, prefix="existing"))
    small_thresholds["defer"].clear()

    report = load_records(records(2))

    assert report.created == 2
    assert small_thresholds["defer"] == []


def test_a_refused_large_import_leaves_data_and_indexes_unchanged(small_thresholds):
    load_records(records(1, prefix="existing"))
    before, before_indexes = database_state(), indexes()
    bad = records(1, prefix="bad")[0]
    bad["sector"] = "astrology"

    with pytest.raises(InvalidFile) as caught:
        load_records([*records(6), bad])

    assert "sector" in caught.value.problems[0].line()
    assert small_thresholds["defer"], "the refusal came before the indexes were set aside"
    assert database_state() == before
    assert indexes() == before_indexes


# -- killed midway --------------------------------------------------------------------

# What an import sets aside on SQLite: an index of the case list, one of placements,
# and the search triggers that index cases and sources row by row.
SET_ASIDE = ["case_live_name", "catalogue_p_rung_e8e392_idx", "search_case_ai", "search_source_ai"]

# An import in a process of its own, on an SQLite file in WAL mode as a deployment
# runs it: batches of two records, indexes set aside after four new cases. A small
# page cache makes the import's uncommitted pages spill into the write-ahead log, as
# those of an import too large for the cache do. Once the indexes and triggers are
# set aside and the log holds some of the import's pages, it says what is missing
# and waits to be killed.
KILLED_IMPORT = """
import json, sys
from pathlib import Path

from peerladder.cli.runtime import setup_django

setup_django()
from django.db import connection

from peerladder.interchange import importer

importer.BATCH = 2
importer.REBUILD_INDEXES_AFTER = 4
log = Path(connection.settings_dict["NAME"] + "-wal")
handled = log_at_start = 0


def on_progress(count):
    global handled, log_at_start
    handled += count
    if handled == 2:
        log_at_start = log.stat().st_size
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size=10")
    elif handled > importer.REBUILD_INDEXES_AFTER and log.stat().st_size > log_at_start:
        with connection.cursor() as cursor:
            present = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master")}
        print(json.dumps(sorted(set(json.loads(sys.argv[2])) - present)), flush=True)
        sys.stdin.read()  # until killed


with open(sys.argv[1], "rb") as source:
    importer.import_file(source, fmt="jsonl", name="cases.jsonl", on_progress=on_progress)
print("finished without being killed", flush=True)
"""


def test_an_import_killed_midway_leaves_no_cases_and_its_indexes_in_place(tmp_path):
    source = tmp_path / "cases.jsonl"
    source.write_bytes(jsonl(records(40)))
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PEERLADDER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment |= {
        "PEERLADDER_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "peerladder.config.settings",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(source), json.dumps(SET_ASIDE)],
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Waits for the import's word (or its end); the limit only guards a hang.
        ready, _, _ = select.select([process.stdout], [], [], 120)
        said = process.stdout.readline().strip() if ready else "nothing within 120 s"
        assert said.startswith("["), f"{said}\n{process.stderr.read() if ready else ''}"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout, process.stderr):
            stream.close()

    assert json.loads(said) == SET_ASIDE, "the import was killed before it set them aside"
    assert process.returncode == -signal.SIGKILL
    database = sqlite3.connect(tmp_path / "data" / "peerladder.sqlite3")
    try:
        cases = database.execute("SELECT COUNT(*) FROM catalogue_case").fetchone()[0]
        placements = database.execute("SELECT COUNT(*) FROM catalogue_placement").fetchone()[0]
        schema = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    finally:
        database.close()
    assert (cases, placements) == (0, 0)
    assert set(SET_ASIDE) <= schema
