"""Rate limits kept in Django's cache (Redis when configured, local memory otherwise).

Fixed windows: a counter per key and window, created with the window's lifetime and
incremented atomically (``cache.incr`` is atomic on Redis and on the local cache).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from peerladder.accounts.models import User

LOGIN_LIMIT = (5, 300)  # attempts per account and address, per 5 minutes
EDIT_LIMIT_NEW_ACCOUNT = (8, 60)  # edits per minute for an account younger than a day
EDIT_LIMIT = (90, 60)  # edits per minute otherwise


class RateLimited(Exception):
    """Too many requests; ``retry_after`` is the number of seconds to wait."""

    def __init__(self, retry_after: int, what: str) -> None:
        self.retry_after = max(1, retry_after)
        super().__init__(f"too many {what}: try again in {self.retry_after} seconds")


def hit(key: str, *, limit: int, window: int) -> int | None:
    """Count one hit of ``key``; the seconds to wait when over ``limit``, else None."""
    now = time.time()
    bucket = f"ratelimit:{key}:{int(now // window)}"
    cache.add(bucket, 0, window + 1)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, window + 1)
        count = 1
    if count > limit:
        return int(window - now % window) + 1
    return None


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
