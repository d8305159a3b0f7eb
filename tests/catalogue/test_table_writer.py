"""table_writer: one writer per supported database, a clear error for any other, and
indexes set aside during a large write come back as they were."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from peerladder.catalogue.bulk import BULK_MODELS
from peerladder.catalogue.models import Source
from peerladder.catalogue.table_writer import (
    LargeWrite,
    PostgresWriter,
    SqliteWriter,
    table_writer,
)
from tests.schema import index_names, indexes


def test_each_supported_database_gets_its_writer():
    assert isinstance(table_writer(SimpleNamespace(vendor="sqlite")), SqliteWriter)
    assert isinstance(table_writer(SimpleNamespace(vendor="postgresql")), PostgresWriter)


def test_another_database_is_named_in_the_error():
    with pytest.raises(ImproperlyConfigured, match="not mysql"):
        table_writer(SimpleNamespace(vendor="mysql"))


@pytest.mark.django_db
def test_indexes_set_aside_during_a_large_write_are_built_again_the_same():
    before = indexes()
    case_indexes = index_names("catalogue_case")
    with table_writer().large_write() as large:
        large.defer_indexes(BULK_MODELS, keep_leading=("case_id",))
        during = index_names("catalogue_case")
        placement_during = index_names("catalogue_placement")

    assert indexes() == before
    if connection.vendor == "sqlite":
        # Unique ones (slug, Wikidata id) stay; the listing indexes are set aside.
        assert {"case_live_name", "case_live_rung", "case_updated_at"} <= case_indexes - during
        unique = {name for name in case_indexes if name.startswith("sqlite_autoindex")}
        assert len(unique) == 2
        assert unique <= during
        # An index the import reads by (its first column is case_id) stays.
        assert "catalogue_p_case_id_c84b3b_idx" in placement_during
        assert "catalogue_p_rung_e8e392_idx" not in placement_during
    else:
        # PostgreSQL keeps them all: dropping one would block readers until the commit.
        assert during == case_indexes


@pytest.mark.django_db
def test_indexes_set_aside_come_back_when_the_transaction_rolls_back():
    before = indexes()
    with (
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
        table_writer().large_write() as large,
    ):
        large.defer_indexes(BULK_MODELS, keep_leading=())
        1 / 0  # noqa: B018

    assert indexes() == before


def test_setting_indexes_aside_needs_a_transaction():
    large = LargeWrite(SqliteWriter(SimpleNamespace(in_atomic_block=False)))

    with pytest.raises(RuntimeError, match="needs a transaction"):
        large.defer_indexes(BULK_MODELS, keep_leading=())


@pytest.mark.django_db
def test_ids_reserved_before_their_rows_are_written_are_not_reserved_again():
    writer = table_writer()
    first = writer.reserve_ids(Source, 3)
    second = writer.reserve_ids(Source, 2)

    assert len(set(first)) == 3
    assert len(second) == 2
    assert min(second) > max(first)
