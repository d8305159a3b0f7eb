"""Database housekeeping shared by the CLI commands."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def pending_migrations() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate_if_needed() -> bool:
    """Create and migrate the database when it is new or behind; True when it migrated."""
    if not pending_migrations():
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def server_connections(databases: dict[str, dict[str, Any]] | None = None) -> None:
    """Give the site's connections to SQLite a smaller page cache than a command's.

    Each of the server's worker threads keeps its connection (``CONN_MAX_AGE``), and
    each connection has its own page cache: at a command's 256 MiB, four threads
    could grow a worker past its memory budget at a million cases. Call before the
    first connection is opened (``peerladder serve`` does, before forking).
    """
    from peerladder.config.environment import SERVER_SQLITE_CACHE_MIB, sqlite_options

    for config in (settings.DATABASES if databases is None else databases).values():
        if config.get("ENGINE") == "django.db.backends.sqlite3":
            config["OPTIONS"] = {
                **config.get("OPTIONS", {}),
                **sqlite_options(cache_mib=SERVER_SQLITE_CACHE_MIB),
            }
