"""Rate limits that hold across every worker and app server.

Fixed windows: a counter per key and window, incremented atomically. The counters
live where every process sees the same ones: in Redis when ``PEERLADDER_CACHE_URL``
names one (``INCR`` and ``EXPIRE`` in one round trip), otherwise in the database
(one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on SQLite and PostgreSQL). If
Redis fails, the database counts instead (and the failure is logged), so a limit
never silently stops holding.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from peerladder.accounts.models import RateCounter, User
from peerladder.errors import refusal

LOGIN_LIMIT = (5, 300)  # attempts per account and address, per 5 minutes
EDIT_LIMIT_NEW_ACCOUNT = (8, 60)  # edits per minute for an account younger than a day
EDIT_LIMIT = (90, 60)  # edits per minute otherwise
# Windows older than this are deleted now and then (one hit in CLEAN_EVERY).
KEEP_SECONDS = 86_400
CLEAN_EVERY = 500

log = logging.getLogger(__name__)


# What is limited, and the wording of its refusal.
_LIMITED = {"edits": "rate.edits", "login attempts": "rate.logins"}


class RateLimited(Exception):
    """Too many requests; ``retry_after`` is the number of seconds to wait; ``text`` says
    so as a keyed text (the message is its English)."""

    def __init__(self, retry_after: int, what: str) -> None:
        self.retry_after = max(1, retry_after)
        self.text = refusal(_LIMITED[what], seconds=self.retry_after)
        super().__init__(str(self.text))


def _count_in_database(bucket: str, window_start: int) -> int:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, window_start, hits) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (bucket, window_start) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING hits",
            [bucket, window_start],
        )
        (count,) = cursor.fetchone()
        if random.randrange(CLEAN_EVERY) == 0:
            RateCounter.objects.filter(window_start__lt=window_start - KEEP_SECONDS).delete()
    return int(count)


_redis: Any = None


def _redis_client() -> Any:
    global _redis
    if _redis is None:
        import redis

        _redis = redis.Redis.from_url(
            settings.PEERLADDER_CACHE_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
    return _redis


def _count_in_redis(bucket: str, window_start: int, window: int) -> int:
    key = f"peerladder:ratelimit:{bucket}:{window_start}"
    pipe = _redis_client().pipeline()
    pipe.incr(key)
    pipe.expire(key, window + 1)
    count, _ = pipe.execute()
    return int(count)


def count_hit(bucket: str, *, window: int, now: float | None = None) -> tuple[int, int]:
    """Count one hit of ``bucket`` in the current window of ``window`` seconds; returns
    the hits so far in this window and the seconds left in it."""
    now = time.time() if now is None else now
    window_start = int(now // window) * window
    left = int(window_start + window - now) + 1
    if getattr(settings, "PEERLADDER_CACHE_URL", None):
        try:
            return _count_in_redis(bucket, window_start, window), left
        except Exception as exc:  # any Redis failure: count in the database instead
            log.warning("rate limits: Redis failed (%s); counting in the database", exc)
    return _count_in_database(bucket, window_start), left


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one hit of ``key``; the seconds to wait when over ``limit``, else None."""
    count, left = count_hit(key, window=window)
    return left if count > limit else None


def client_address(meta: Any) -> str:
    """The address a request came from, for per-address limits.

    Behind the HTTPS proxy (``PEERLADDER_HTTPS=1``, settings.TRUST_FORWARDED_FOR) every
    request arrives from the proxy, so the address is the last one in
    ``X-Forwarded-For``: the one the proxy appended (deploy/haproxy.cfg replaces the
    header a client sends). Without the proxy the header is the client's to forge, so
    only the socket's address counts.
    """
    if getattr(settings, "TRUST_FORWARDED_FOR", False):
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1][:64]
    return str(meta.get("REMOTE_ADDR", ""))[:64]


def check_login(*, username: str, address: str) -> None:
    """Count a login attempt; raise ``RateLimited`` past the limit."""
    limit, window = getattr(settings, "RATE_LIMIT_LOGIN", LOGIN_LIMIT)
    wait = hit(f"login:{username.strip().lower()[:150]}:{address}", limit=limit, window=window)
    if wait is not None:
        raise RateLimited(wait, "login attempts")


def edit_limit_for(user: User) -> tuple[int, int]:
    """(edits, seconds): tighter for an account younger than a day."""
    if timezone.now() - user.date_joined < timedelta(days=1):
        limit, window = getattr(settings, "RATE_LIMIT_EDITS_NEW_ACCOUNT", EDIT_LIMIT_NEW_ACCOUNT)
    else:
        limit, window = getattr(settings, "RATE_LIMIT_EDITS", EDIT_LIMIT)
    return int(limit), int(window)


def check_edit(user: User) -> None:
    """Count one edit by ``user``; raise ``RateLimited`` past the account's limit."""
    limit, window = edit_limit_for(user)
    wait = hit(f"edit:{user.pk}", limit=limit, window=window)
    if wait is not None:
        raise RateLimited(wait, "edits")
