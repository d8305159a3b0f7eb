"""The ``peerladder`` console script: thin commands, each one call into the library.

Bad input and bad configuration end with a clear message on stderr and exit
status 2; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from peerladder.cli.insights import chart, report
from peerladder.cli.interchange import export, import_
from peerladder.cli.runtime import (
    INPUT_ERROR,
    collect_static,
    fail,
    in_language,
    lang_option,
    setup_django,
)
from peerladder.cli.search import index


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="peerladder")
def main() -> None:
    """peerladder: a peer-produced catalogue of participatory business models.

    Configuration comes from PEERLADDER_* environment variables; see
    docs/configuration.md.
    """


def _refuse_an_unreachable_cache() -> None:
    """Before serving: a cache URL that names no working Redis stops start-up in one line
    (at run time, a Redis that fails is bypassed instead)."""
    from django.conf import settings

    from peerladder.config.cache import check_reachable

    url = settings.PEERLADDER_CACHE_URL
    problem = check_reachable(url) if url else None
    if problem:
        fail(f"peerladder: configuration error: PEERLADDER_CACHE_URL={url!r}: {problem}")


def _refuse_a_busy_port(host: str, port: int) -> None:
    """Before serving: a port something else holds stops start-up in one line."""
    from peerladder.server import port_problem

    problem = port_problem(host, port)
    if problem:
        fail(f"peerladder: cannot serve: {problem}")


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def demo(port: int) -> None:
    """Set up the embedded database with the bundled cases and serve the site on 127.0.0.1."""
    setup_django()
    _refuse_an_unreachable_cache()
    _refuse_a_busy_port("127.0.0.1", port)
    from peerladder.interchange.bundled import load_bundled_if_empty
    from peerladder.search.indexes import rebuild_indexes
    from peerladder.server import serve

    if collect_static():
        click.echo("Collected the static files.")
    loaded = load_bundled_if_empty()
    if loaded:
        click.echo(f"Loaded {loaded} bundled cases.")
        rebuild_indexes()
    click.echo(f"peerladder is running at http://127.0.0.1:{port}/  (Ctrl-C stops it)")
    serve(host="127.0.0.1", port=port, workers=2, access_log=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes (default: 2 per core plus one).",
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the site with gunicorn, a production-grade server."""
    setup_django()
    _refuse_an_unreachable_cache()
    _refuse_a_busy_port(host, port)
    from peerladder.server import default_workers
    from peerladder.server import serve as run

    collect_static()

    click.echo(f"peerladder is serving on http://{host}:{port}/")
    run(host=host, port=port, workers=workers or default_workers())


@main.command()
@click.argument("source", type=click.File("rb"), default="-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="json: one result per input, in the input's form; text: readable blocks.",
)
@lang_option
def classify(source: Any, fmt: str, lang: str) -> None:
    """Place answers on the ladder: one JSON object, or JSON Lines, from FILE or stdin."""
    from peerladder.interchange.answers_stream import classify_stream
    from peerladder.ladder import english

    try:
        # English needs no Django at all: the ladder's own text is the English.
        with in_language(lang, migrate=False):
            lookup = english
            if lang != "en":
                from peerladder.lexicon import lookup as active_lookup

                lookup = active_lookup()
            status = classify_stream(
                source, sys.stdout.buffer, fmt=fmt, errors=sys.stderr, lookup=lookup
            )
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    sys.exit(status)


@main.group()
def user() -> None:
    """Manage accounts: create contributors, moderators and admins."""


@user.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["contributor", "moderator", "admin"]),
    default="contributor",
    show_default=True,
    help="What the account may do.",
)
@click.option("--email", default="", help="Address for password resets.")
@click.option("--token", is_flag=True, help="Also make an API token and print it on stdout.")
def user_create(name: str, role: str, email: str, token: bool) -> None:
    """Create an account; the password is read from stdin when piped, else prompted for."""
    setup_django()
    from peerladder.accounts.services import token_create
    from peerladder.accounts.services import user_create as create
    from peerladder.errors import InvalidInput

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        account = create(username=name, password=password, role=role, email=email)
    except InvalidInput as exc:
        for error in exc.errors:
            click.echo(f"peerladder user create: {error.field}: {error.message}", err=True)
        sys.exit(INPUT_ERROR)
    click.echo(f"Created {role} {account.username}.", err=True)
    if token:
        _, plain = token_create(user=account, name="created on the command line")
        click.echo(plain)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Write a consistent copy of the whole catalogue, its history and accounts to PATH."""
    setup_django()
    from peerladder.interchange.backup import BackupError
    from peerladder.interchange.backup import backup as write_backup

    try:
        rows = write_backup(path)
    except BackupError as exc:
        fail(f"peerladder backup: {exc}")
    click.echo(f"Wrote {rows} rows to {path}.", err=True)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def restore(path: Path) -> None:
    """Restore a backup made by `peerladder backup` into an empty database."""
    setup_django()
    from peerladder.interchange.backup import BackupError
    from peerladder.interchange.backup import restore as read_backup
    from peerladder.search.indexes import rebuild_indexes

    try:
        rows = read_backup(path)
    except BackupError as exc:
        fail(f"peerladder restore: {exc}")
    rebuild_indexes()
    click.echo(f"Restored {rows} rows from {path}.", err=True)


@main.command()
@click.option(
    "--repair", is_flag=True, help="Replace each such character by U+FFFD, keeping the rest."
)
def check(repair: bool) -> None:
    """Find stored text that the current rules refuse (a NUL, a lone surrogate, a Unicode
    non-character: an earlier version let some in) and report each row; with --repair,
    mend them (a case's own fields change as a new revision). Exit 1 when rows need
    repair and --repair was not given."""
    setup_django()
    from peerladder.catalogue.integrity import find_unstorable_rows, repair_unstorable

    findings = list(find_unstorable_rows())
    for finding in findings:
        click.echo(finding.line())
    if not findings:
        click.echo("Every stored text can be written out: nothing to repair.", err=True)
        return
    if not repair:
        click.echo(
            f"{len(findings)} stored values need repair: run `peerladder check --repair`.",
            err=True,
        )
        sys.exit(1)
    mended = repair_unstorable(findings)
    click.echo(f"Repaired {mended} rows ({len(findings)} values).", err=True)


main.add_command(import_)
main.add_command(export)
main.add_command(report)
main.add_command(chart)
main.add_command(index)
