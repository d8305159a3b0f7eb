"""``peerladder index``: rebuild the similar-cases index and retrain the rung suggester."""

from __future__ import annotations

import click

from peerladder.cli.runtime import fail, setup_django


@click.group(name="index")
def index() -> None:
    """Search indexes: similar cases and rung suggestions."""


@index.command()
def rebuild() -> None:
    """Rebuild the similar-cases index and retrain the rung suggester from the catalogue.

    The models are stored in the database for every app server; when another server
    is rebuilding, this waits for it and keeps its result if that is up to date.
    """
    setup_django()
    from peerladder.search.indexes import rebuild_indexes

    outcome = rebuild_indexes()
    if not outcome.built:
        if outcome.version:
            click.echo(f"Already up to date: {outcome.reason}.")
            return
        fail(f"peerladder index rebuild: {outcome.reason}")
    click.echo(f"Similar cases: indexed {outcome.indexed} cases.")
    if outcome.trained:
        click.echo(f"Rung suggestions: trained on {outcome.trained} placed cases.")
    else:
        click.echo("Rung suggestions: too few placed cases to train on; answers only.")
