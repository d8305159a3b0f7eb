"""What every command needs before it runs: Django configured from the environment and
the database migrated, or one clear line on stderr and exit status 2."""

from __future__ import annotations

import os
import sys

import click

INPUT_ERROR = 2


def fail(message: str) -> None:
    """Print one line per problem to stderr and exit with status 2."""
    click.echo(message, err=True)
    sys.exit(INPUT_ERROR)


def setup_django(*, migrate: bool = True) -> None:
    """Configure Django from the environment; create and migrate the database on first use."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerladder.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail(f"peerladder: configuration error: {exc}")
    if migrate:
        from peerladder.config.database import migrate_if_needed

        try:
            migrate_if_needed()
        except OperationalError as exc:
            fail(f"peerladder: cannot open the database (PEERLADDER_DATABASE_URL): {exc}")
