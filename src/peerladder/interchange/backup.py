"""``peerladder backup`` and ``peerladder restore``: the whole catalogue with its history
and accounts, as one gzip-compressed JSON file, and its restoration into an empty
database.

The copy is consistent: every table is read inside one transaction, which on
SQLite (WAL) is a snapshot and on PostgreSQL is made one with REPEATABLE READ.
Search indexes are not copied; they are rebuilt from the restored rows.
"""

from __future__ import annotations

import gzip
import io
import os
import tempfile
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from peerladder.catalogue.integrity import find_unstorable_rows
from peerladder.errors import CatalogueError

# The apps whose tables make up the catalogue; search tables are derived from them.
APPS = ("accounts", "catalogue")


class BackupError(CatalogueError):
    """The backup cannot be written or restored; the message says why."""


def _models() -> list[type]:
    found = []
    for label in APPS:
        found.extend(apps.get_app_config(label).get_models())
    return found


def backup(path: Path) -> int:
    """Write every row of the catalogue and accounts to ``path``; returns the row count.

    Written to a temporary file beside ``path`` and renamed, so a failed backup
    never leaves a truncated file behind.
    """
    if not path.parent.is_dir():
        raise BackupError(f"{path}: the folder {path.parent} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    except OSError as exc:
        raise BackupError(f"{path}: cannot write the backup ({exc.strerror or exc})") from None
    os.close(handle)
    count = 0
    # Inside a caller's transaction, that transaction is the snapshot.
    own_transaction = not connection.in_atomic_block
    try:
        with gzip.open(temporary, "wt", encoding="utf-8") as stream, transaction.atomic():
            if connection.vendor == "postgresql" and own_transaction:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # `peerladder check` first, on the same snapshot: a row that cannot be
            # written out would break the file half-way.
            unwritable = list(islice(find_unstorable_rows(), 5))
            if unwritable:
                raise BackupError(
                    "stored text that no encoder can write out (first: "
                    + "; ".join(finding.line() for finding in unwritable)
                    + "); run `peerladder check --repair`, then back up again"
                )
            objects = []
            for model in _models():
                rows = list(model._default_manager.order_by("pk"))
                count += len(rows)
                objects.extend(rows)
            serializers.serialize("json", objects, stream=stream)
        os.replace(temporary, path)
    except OSError as exc:
        raise BackupError(f"{path}: cannot write the backup ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return count


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BackupError(f"{path}: cannot read the backup ({exc.strerror or exc})") from None
    try:
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        return data.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path}: not a peerladder backup (cannot decompress: {exc})") from None


def restore(path: Path) -> int:
    """Load a backup into an empty database, all or nothing; returns the row count."""
    text = _read(path)
    models = _models()
    if any(model._default_manager.exists() for model in models):
        raise BackupError(
            "the database is not empty: restore only into a new database "
            "(point PEERLADDER_DATA_DIR or PEERLADDER_DATABASE_URL at an empty one)"
        )
    count = 0
    try:
        with transaction.atomic():
            for item in serializers.deserialize("json", io.StringIO(text)):
                if type(item.object) not in models:
                    raise BackupError(f"{path}: unexpected table {item.object._meta.label}")
                item.save()
                count += 1
            # Rows came with their ids: move each table's id sequence past them.
            statements = connection.ops.sequence_reset_sql(no_style(), models)
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    except (DeserializationError, IntegrityError, DatabaseError, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise BackupError(f"{path}: not a valid peerladder backup ({message})") from None
    return count
