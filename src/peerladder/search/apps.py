from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate

from peerladder.search.triggers import repair


def _repair_index(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    repair(connections[using])


class SearchConfig(AppConfig):
    name = "peerladder.search"
    verbose_name = "Search"

    def ready(self) -> None:
        # SQLite loses triggers when a later catalogue migration rebuilds a table.
        post_migrate.connect(_repair_index, sender=self, dispatch_uid="search-repair-index")
