"""One consistent view of the catalogue for a long read, without blocking writers.

An export of a million cases reads for a minute or more, a chunk at a time. Each
chunk is its own query, so without a snapshot an edit made meanwhile could show
up in some files or tables and not others. Inside :func:`read_snapshot` every
query sees the catalogue as it was when the first one ran: PostgreSQL runs a
read-only REPEATABLE READ transaction; SQLite (in WAL mode) a deferred read
transaction, which takes no write lock, so the site's edits go on meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, transaction

__all__ = ["in_snapshot", "read_snapshot"]

T = TypeVar("T")


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Read the catalogue as of one moment inside the block (nothing may be written)."""
    if connection.in_atomic_block:
        yield  # already inside a transaction, which has its own view
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    # Django opens SQLite transactions with BEGIN IMMEDIATE (the write lock); a read
    # needs only BEGIN DEFERRED, whose snapshot starts at its first query.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")  # nothing was written; just let go of the snapshot


def in_snapshot(chunks: Iterable[T]) -> Iterator[T]:
    """``chunks`` produced inside one :func:`read_snapshot`, for a streamed download: the
    snapshot opens with the first chunk and ends with the last (or when the client
    goes away and the server closes the stream)."""
    with read_snapshot():
        yield from chunks
