"""``peerladder index``: rebuild the similar-cases index and retrain the rung suggester."""

from __future__ import annotations

import click

from peerladder.cli.runtime import setup_django


@click.group(name="index")
def index() -> None:
    """Search indexes: similar cases and rung suggestions."""


@index.command()
def rebuild() -> None:
    """Rebuild the similar-cases index and retrain the rung suggester from the catalogue."""
    setup_django()
    from peerladder.search.indexes import rebuild_indexes

    indexed, trained = rebuild_indexes()
    click.echo(f"Similar cases: indexed {indexed} cases.")
    if trained:
        click.echo(f"Rung suggestions: trained on {trained} placed cases.")
    else:
        click.echo("Rung suggestions: too few placed cases to train on; answers only.")
