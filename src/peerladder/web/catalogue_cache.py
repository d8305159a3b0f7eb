"""Figures computed from the catalogue, cached until it changes.

The key moves with the catalogue's own version (``catalogue_version``: the latest
case and the latest change to any case), so an edit shows at once, and a page view
on a warm cache costs the one small query that reads the version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

from peerladder.catalogue.selectors import catalogue_version

CACHE_SECONDS = 120


def cached_by_catalogue(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per catalogue version and language (charts and labels carry
    text), for a ``name`` that says what it is (and includes any filters)."""
    version = catalogue_version()
    language = get_language() or "en"
    digest = hashlib.blake2b(f"{name}|{language}|{version}".encode(), digest_size=12).hexdigest()
    key = f"insights:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
