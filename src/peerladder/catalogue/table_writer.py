"""Writing many rows into one table fast: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Used by :mod:`peerladder.catalogue.bulk` for imports of up to millions of cases,
where building a model instance per row (``bulk_create``) costs more than the
database does. Rows are tuples of values already in the database's form (see
:meth:`TableWriter.json`, :meth:`TableWriter.date`); ids are reserved up front
with :meth:`TableWriter.reserve_ids` so child rows can name their parents.
Callers run inside a transaction.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

__all__ = ["LargeWrite", "TableWriter", "table_writer"]


def columns_of(model: type[Model], fields: Sequence[str]) -> list[str]:
    """The column names of ``fields`` (failing loudly if the model no longer has one)."""
    return [model._meta.get_field(name).column for name in fields]  # type: ignore[union-attr]


class LargeWrite:
    """What :meth:`TableWriter.large_write` yields: lets its caller set indexes aside."""

    def __init__(self, writer: TableWriter) -> None:
        self.writer = writer
        self.set_aside: list[str] | None = None  # the CREATE INDEX statements to run at the end

    def defer_indexes(
        self, models: Iterable[type[Model]], *, keep_leading: Collection[str]
    ) -> None:
        """Drop the secondary indexes of ``models``' tables until the block ends, then
        build them again in one pass each (sorting a million keys once is cheaper than
        putting each into its place). Unique indexes stay, so do those whose first
        column is one of ``keep_leading`` (the columns the caller still reads by).
        Only inside a transaction: if it rolls back, so do the drops."""
        if not self.writer.database.in_atomic_block:
            raise RuntimeError("defer_indexes needs a transaction")
        if self.set_aside is None:
            self.set_aside = self.writer.drop_indexes(models, keep_leading)


class TableWriter(abc.ABC):
    """Appends rows to tables of the connection it was made for."""

    def __init__(self, database: BaseDatabaseWrapper) -> None:
        self.database = database

    @abc.abstractmethod
    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        """``count`` unused primary keys for new rows of ``model``."""

    @abc.abstractmethod
    def insert(
        self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table."""

    @contextmanager
    def large_write(self) -> Iterator[LargeWrite]:
        """Around a write of many rows: settings that suit it, restored afterwards, and
        any indexes set aside (:meth:`LargeWrite.defer_indexes`) built again when the
        block ends without an error."""
        large = LargeWrite(self)
        yield large
        self.create_indexes(large.set_aside or [])

    def drop_indexes(
        self, models: Iterable[type[Model]], keep_leading: Collection[str]
    ) -> list[str]:
        """Drop the indexes :meth:`LargeWrite.defer_indexes` describes; the statements
        that make them again. By default none are dropped."""
        return []

    def create_indexes(self, statements: Sequence[str]) -> None:
        with self.database.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def json(self, value: Any) -> Any:
        """A JSON column's value."""
        return orjson.dumps(value).decode()

    def date(self, value: dt.date | None) -> Any:
        return value

    def now(self) -> Any:
        """The current time in the form of a datetime column."""
        return dt.datetime.now(dt.UTC)


class SqliteWriter(TableWriter):
    """``executemany`` with explicit ids; the caller's transaction holds the write lock.

    Ids are reserved past the table's largest and past those this writer reserved
    before, so ids handed out ahead of their rows are not handed out twice."""

    def __init__(self, database: BaseDatabaseWrapper) -> None:
        super().__init__(database)
        self.reserved: dict[str, int] = {}  # per table, the last id reserved

    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        table = model._meta.db_table
        with self.database.cursor() as cursor:
            # AUTOINCREMENT tables never reuse an id, even a deleted one: start past both.
            cursor.execute(
                f'SELECT max(coalesce((SELECT max(id) FROM "{table}"), 0), '  # noqa: S608
                "coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            last = max(int(cursor.fetchone()[0]), self.reserved.get(table, 0))
        self.reserved[table] = last + count
        return list(range(last + 1, last + 1 + count))

    def insert(
        self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        columns = columns_of(model, fields)
        statement = (
            f'INSERT INTO "{model._meta.db_table}" ({", ".join(columns)}) '  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with self.database.cursor() as cursor:
            cursor.executemany(statement, rows)

    @contextmanager
    def large_write(self) -> Iterator[LargeWrite]:
        # A page cache that holds the indexes being extended (1 GiB at most, taken
        # only as pages are read) instead of evicting and re-reading them.
        with self.database.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            previous = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA cache_size=-1048576")
        try:
            with super().large_write() as large:
                yield large
        finally:
            with self.database.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size={previous}")

    def drop_indexes(
        self, models: Iterable[type[Model]], keep_leading: Collection[str]
    ) -> list[str]:
        # Dropped inside the caller's transaction, which keeps the write lock: other
        # connections go on reading the committed database, indexes and all.
        statements = []
        with self.database.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                for name, sql in cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL AND name NOT IN (SELECT name FROM pragma_index_list(%s) "
                    'WHERE "unique")',
                    [table, table],
                ).fetchall():
                    first = cursor.execute(
                        "SELECT name FROM pragma_index_info(%s) WHERE seqno = 0", [name]
                    ).fetchone()
                    if first is None or first[0] in keep_leading:
                        continue  # an index on an expression, or one the caller reads by
                    cursor.execute(f'DROP INDEX "{name}"')
                    statements.append(sql)
        return statements

    def date(self, value: dt.date | None) -> Any:
        return value.isoformat() if value is not None else None

    def now(self) -> Any:
        return self.database.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))


class PostgresWriter(TableWriter):
    """``COPY ... FROM STDIN``, with ids drawn from the table's sequence.

    Keeps every index: dropping one would lock the table against readers until the
    commit, and ``COPY`` extends them fast enough (about 100,000 rows a second)."""

    def reserve_ids(self, model: type[Model], count: int) -> list[int]:
        table = model._meta.db_table
        with self.database.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def insert(
        self, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        columns = columns_of(model, fields)
        statement = f'COPY "{model._meta.db_table}" ({", ".join(columns)}) FROM STDIN'
        # The driver's own cursor for COPY, its errors turned into Django's (IntegrityError).
        with (
            self.database.wrap_database_errors,
            self.database.cursor() as cursor,
            cursor.cursor.copy(statement) as copy,
        ):
            for row in rows:
                copy.write_row(row)


def table_writer(database: BaseDatabaseWrapper | None = None) -> TableWriter:
    """The writer for ``database`` (the default connection unless given)."""
    database = database or connection
    if database.vendor == "postgresql":
        return PostgresWriter(database)
    if database.vendor == "sqlite":
        return SqliteWriter(database)
    # The settings accept only these two databases (config.environment), so this is a
    # misconfiguration, not a missing feature.
    raise ImproperlyConfigured(
        f"peerladder writes in bulk to SQLite or PostgreSQL, not {database.vendor}"
    )
