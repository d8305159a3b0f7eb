"""table_writer: one writer per supported database, a clear error for any other."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from peerladder.catalogue.table_writer import PostgresWriter, SqliteWriter, table_writer


def test_each_supported_database_gets_its_writer():
    assert isinstance(table_writer(SimpleNamespace(vendor="sqlite")), SqliteWriter)
    assert isinstance(table_writer(SimpleNamespace(vendor="postgresql")), PostgresWriter)


def test_another_database_is_named_in_the_error():
    with pytest.raises(ImproperlyConfigured, match="not mysql"):
        table_writer(SimpleNamespace(vendor="mysql"))
