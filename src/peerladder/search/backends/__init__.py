"""Full-text search backends, one per database vendor, behind :class:`SearchBackend`."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from peerladder.search.backends.base import SearchBackend, UnsupportedDatabase
from peerladder.search.backends.postgres import PostgresBackend
from peerladder.search.backends.sqlite_fts5 import SqliteFts5Backend

__all__ = ["SearchBackend", "UnsupportedDatabase", "backend_for"]

_BACKENDS: dict[str, SearchBackend] = {
    "sqlite": SqliteFts5Backend(),
    "postgresql": PostgresBackend(),
}


def backend_for(alias: str = DEFAULT_DB_ALIAS) -> SearchBackend:
    """The backend that suits the database behind ``alias``."""
    vendor = connections[alias].vendor
    try:
        return _BACKENDS[vendor]
    except KeyError:
        raise UnsupportedDatabase(f"full-text search does not support {vendor}") from None
