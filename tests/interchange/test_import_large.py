"""Large imports: past a threshold the written tables' secondary indexes are set aside
and built again at the end, and a refusal still leaves data and indexes as they were."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from peerladder.catalogue.models import Case
from peerladder.catalogue.table_writer import LargeWrite, TableWriter
from peerladder.interchange import importer
from peerladder.interchange.problems import InvalidFile
from tests.interchange.records import database_state, load_records, wiki_record
from tests.schema import indexes

pytestmark = pytest.mark.django_db


def records(count: int, prefix: str = "case") -> list[dict[str, Any]]:
    made = []
    for number in range(count):
        record = wiki_record()
        record.update(slug=f"{prefix}-{number}", name=f"Case {number}", wikidata=None, relations=[])
        made.append(record)
    return made


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
