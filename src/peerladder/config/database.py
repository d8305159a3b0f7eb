"""Database housekeeping shared by the CLI commands."""

from __future__ import annotations

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
