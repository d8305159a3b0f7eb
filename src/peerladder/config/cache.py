"""The cache: Redis when ``PEERLADDER_CACHE_URL`` names one, else local memory.

A cache only saves work, so a Redis that stops answering must not take the site
down: :class:`ResilientRedisCache` turns every failure into a miss (reads) or a
no-op (writes), logs it (once a minute at most), and the site serves uncached
until Redis is back. Start-up still refuses a cache it cannot reach
(:func:`check_reachable`), so a wrong URL is found at once, not by reading logs.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)
_LOG_EVERY = 60.0
_DEFAULTS = {
    "get": None,
    "get_many": {},
    "has_key": False,
    "add": False,
    "set": False,
    "touch": False,
    "delete": False,
    "set_many": [],
    "delete_many": None,
    "clear": None,
}


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, with a failing Redis treated as an empty cache."""

    _last_logged = 0.0

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_logged >= _LOG_EVERY:
            ResilientRedisCache._last_logged = now
            log.warning("cache unavailable (%s failed: %s); serving uncached", operation, exc)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except Exception as exc:
            self._failed("get", exc)
            return default

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise  # a missing key, as Django's caches say it
        except Exception as exc:
            self._failed("incr", exc)
            raise ValueError("cache unavailable") from exc


def _resilient(name: str) -> Any:
    method = getattr(RedisCache, name)

    def guarded(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:
            self._failed(name, exc)
            default = _DEFAULTS[name]
            return dict(default) if isinstance(default, dict) else default

    guarded.__name__ = name
    guarded.__doc__ = method.__doc__
    return guarded


for _name in _DEFAULTS:
    if _name != "get":
        setattr(ResilientRedisCache, _name, _resilient(_name))


def check_reachable(url: str) -> str | None:
    """Why the Redis at ``url`` cannot be used (None when it answers a PING)."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
    except Exception as exc:
        return str(exc) or type(exc).__name__
    return None
