"""Keys for what is rendered once and served many times (pages, JSON bodies, figures).

Every key names what the output depends on besides its own inputs: the code that
renders it (:func:`code_version`: the package's version and a digest of its source,
templates and translations, so a deploy never serves a body the old code rendered)
and the active language (``get_language()``: a page rendered in one language is
never served in another). Callers add their own parts (a case's id and revision,
the catalogue's version, the filters).

The cache is Django's configured one (Redis when ``PEERLADDER_CACHE_URL`` is set,
shared by every app server; local memory in each process otherwise).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

import peerladder

T = TypeVar("T")

PACKAGE_DIR = Path(peerladder.__file__).resolve().parent
# What can change a rendered page or body: the code, its templates and static files
# (their hashed names appear in pages), and translations.
_SOURCE_SUFFIXES = {".py", ".html", ".txt", ".css", ".js", ".svg", ".po", ".mo", ".md"}


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package's version and a short digest of its source, read once per process."""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return f"{peerladder.__version__}+{digest.hexdigest()}"


def language() -> str:
    """The active language's code, as keys and ETags include it."""
    return get_language() or "-"


def cache_key(namespace: str, *parts: object) -> str:
    """A key for ``namespace`` made of ``parts``, the code's version and the language."""
    text = "|".join(str(part) for part in (code_version(), language(), *parts))
    return f"{namespace}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def store_body(key: str, body: bytes, *, timeout: int) -> None:
    """Keep a rendered body, compressed (a case page shrinks to a third): a cache in
    each worker's memory holds three times the pages for the same memory."""
    cache.set(key, zlib.compress(body, 6), timeout)


def stored_body(key: str) -> bytes | None:
    """A body kept by :func:`store_body`, or None."""
    packed: bytes | None = cache.get(key)
    return None if packed is None else zlib.decompress(packed)


def cached(key: str, compute: Callable[[], T], *, timeout: int) -> T:
    """The value under ``key``, computed (and stored for ``timeout`` seconds) when missing."""
    value: Any = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value  # type: ignore[no-any-return]
