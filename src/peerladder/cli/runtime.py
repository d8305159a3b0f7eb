"""What every command needs before it runs: Django configured from the environment and
the database migrated, or one clear line on stderr and exit status 2."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def collect_static() -> bool:
    """Collect the static files into STATIC_ROOT under their hashed names, each with its
    .gz and .br (what the pages link to), unless the files are those collected last
    time (a stamp of their names, sizes and times). Collecting compresses every file,
    Swagger UI's and the admin's included: tens of seconds, so done only when needed.
    True when it collected."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.blake2b(digest_size=16)
    # How they are collected counts too: the storage and WhiteNoise's settings.
    how = [settings.STORAGES["staticfiles"]["BACKEND"]]
    how += [f"{name}={getattr(settings, name)!r}" for name in dir(settings) if "WHITENOISE" in name]
    digest.update("|".join(how).encode())
    found = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            found.append(f"{path}|{stat.st_size}|{stat.st_mtime_ns}")
    for line in sorted(found):
        digest.update(line.encode() + b"\n")
    root = Path(settings.STATIC_ROOT)
    stamp = root / ".collected"
    manifest = root / "staticfiles.json"
    wanted = digest.hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and manifest.exists():
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(wanted)
    return True
