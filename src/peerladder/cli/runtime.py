"""What every command needs before it runs: Django configured from the environment and
the database migrated, or one clear line on stderr and exit status 2."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from peerladder.lexicon.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES

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


# ``--lang`` on the commands that print the ladder's texts (classify, report, chart).
lang_option = click.option(
    "--lang",
    type=click.Choice(LANGUAGE_CODES, case_sensitive=False),
    default=DEFAULT_LANGUAGE,
    show_default=True,
    help="The language of the texts: names, explanations, titles, sentences. Keys, "
    "numbers and values stay the same.",
)


@contextmanager
def in_language(lang: str, *, migrate: bool = True) -> Iterator[None]:
    """Set Django up (when another language than English needs its catalogues, or
    ``migrate`` asks for the database) and make ``lang`` the active language."""
    if lang == DEFAULT_LANGUAGE and not migrate:
        yield
        return
    setup_django(migrate=migrate)
    from django.utils import translation

    with translation.override(lang):
        yield
