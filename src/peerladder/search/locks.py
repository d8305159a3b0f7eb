"""One rebuilder at a time, across every app server sharing the database.

On PostgreSQL a session-level advisory lock (``pg_try_advisory_lock``): the
server releases it if its holder's connection dies. On SQLite, where one file
has one writer anyway, a lease row (:class:`~peerladder.search.models.RebuildLease`)
taken with a single conditional ``UPDATE`` and given up at the end; a holder that
died without giving it up is outlived by ``LEASE_SECONDS``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
import uuid
import zlib
from collections.abc import Iterator
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from peerladder.search.models import RebuildLease

LEASE_SECONDS = 3600
POLL_SECONDS = 0.5


def _advisory_key(name: str) -> int:
    # A stable signed 64-bit number per lock name ("peerladder:" keeps it ours).
    return zlib.crc32(f"peerladder:{name}".encode()) | (0x5EED << 32)


def _try_advisory(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key(name)])
        return bool(cursor.fetchone()[0])


def _release_advisory(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(name)])


def _try_lease(name: str, holder: str) -> bool:
    now = timezone.now()
    until = now + timedelta(seconds=LEASE_SECONDS)
    with transaction.atomic():
        taken = RebuildLease.objects.filter(name=name, expires_at__lte=now).update(
            holder=holder, expires_at=until
        )
        if taken:
            return True
        if RebuildLease.objects.filter(name=name).exists():
            return False
    try:
        with transaction.atomic():
            RebuildLease.objects.create(name=name, holder=holder, expires_at=until)
    except IntegrityError:
        return False  # another process created it first
    return True


def _release_lease(name: str, holder: str) -> None:
    RebuildLease.objects.filter(name=name, holder=holder).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def try_acquire(name: str, holder: str) -> bool:
    """Take the lock ``name`` if nobody holds it; True when taken."""
    if connection.vendor == "postgresql":
        return _try_advisory(name)
    return _try_lease(name, holder)


def release(name: str, holder: str) -> None:
    """Give up the lock ``name`` taken by :func:`try_acquire`."""
    if connection.vendor == "postgresql":
        _release_advisory(name)
    else:
        _release_lease(name, holder)


@contextlib.contextmanager
def exclusive(name: str, *, wait_seconds: float = 0.0) -> Iterator[tuple[bool, bool]]:
    """Hold the lock ``name`` for the block; yields (held, waited).

    Tries at once, then every :data:`POLL_SECONDS` for up to ``wait_seconds``;
    ``held`` is False when someone else kept it all that time, ``waited`` True when
    someone else held it first (their work may have made ours unnecessary).
    """
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + wait_seconds
    held = try_acquire(name, holder)
    waited = not held
    while not held and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        held = try_acquire(name, holder)
    try:
        yield held, waited
    finally:
        if held:
            release(name, holder)
