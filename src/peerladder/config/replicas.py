"""Read replicas: reads of read-only requests go to a PostgreSQL streaming replica.

Active only when ``PEERLADDER_DATABASE_REPLICA_URLS`` names replicas (settings
then add :class:`ReplicaRouter` and :class:`ReplicaRoutingMiddleware`); without
it nothing here runs.

- **What goes where.** A ``GET``, ``HEAD`` or ``OPTIONS`` request reads from one
  usable replica, picked at random when the request starts; everything else
  (every write, every ``select_for_update``, every request with another method,
  commands and background work) uses the primary.
- **Reading one's own writes.** Any other request (``POST``, ``PATCH``…) pins its
  client to the primary for ``REPLICA_PIN_SECONDS``: a browser by a signed cookie
  (``peerladder_primary``, checked by every app server since they share the secret
  key), an API client by its token's hash in the shared cache. The pin outlasts
  the lag a replica may have and still be used (``REPLICA_MAX_LAG_SECONDS``) plus
  the time its last check may be old (``REPLICA_CHECK_SECONDS``).
- **Skipping a bad replica.** Each process checks each replica at most every
  ``REPLICA_CHECK_SECONDS``: it must answer within the connect timeout, and be at
  most ``REPLICA_MAX_LAG_SECONDS`` behind — no lag when it has replayed the WAL up
  to where the primary was a moment before, otherwise the age of the last
  transaction it replayed (``pg_last_xact_replay_timestamp()``). A replica that
  fails a connection at the start of a request, or in the middle of one, is marked
  down and the request is answered from the primary (a read-only view is run again).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.connection import ConnectionDoesNotExist

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PIN_COOKIE = "peerladder_primary"
PIN_SALT = "peerladder.replicas.pin"

_reading_from: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "peerladder_reading_from", default=None
)


def replica_aliases() -> list[str]:
    """The configured replicas' database aliases."""
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


class ReplicaRouter:
    """Reads go where the current request was routed (the primary unless a read-only
    request picked a replica); writes and migrations always go to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return _reading_from.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_lag(alias: str) -> float:
    """How many seconds the replica ``alias`` is behind the primary (0 when it has
    replayed everything the primary had written a moment ago); raises DatabaseError
    when either cannot be asked. A server that is not in recovery counts as current."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (primary_position,) = cursor.fetchone()
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), "
            "pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn()), "
            "EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))",
            [primary_position],
        )
        in_recovery, behind, age = cursor.fetchone()
    if not in_recovery:
        return 0.0
    if behind is not None and behind <= 0:
        return 0.0
    return float("inf") if age is None else max(0.0, float(age))


@dataclass
class _State:
    checked: float
    usable: bool
    reason: str = ""


class ReplicaHealth:
    """Which replicas may serve reads, as this process last found them (checked at most
    every ``check_seconds``; a check in progress never makes another thread wait)."""

    def __init__(
        self,
        *,
        probe: Callable[[str], float] = replica_lag,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe = probe
        self._clock = clock
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()

    def _check(self, alias: str) -> _State:
        try:
            lag = self._probe(alias)
        except DatabaseError as exc:
            self._close(alias)
            return _State(self._clock(), False, f"unreachable ({str(exc).strip()[:200]})")
        limit = settings.REPLICA_MAX_LAG_SECONDS
        if lag > limit:
            return _State(self._clock(), False, f"{lag:.1f} s behind (limit {limit} s)")
        return _State(self._clock(), True)

    @staticmethod
    def _close(alias: str) -> None:
        with contextlib.suppress(DatabaseError, ConnectionDoesNotExist):
            connections[alias].close()

    def _record(self, alias: str, state: _State) -> None:
        before = self._states.get(alias)
        self._states[alias] = state
        if before is None or before.usable != state.usable:
            if state.usable:
                log.warning("replica %s is usable", alias)
            else:
                log.warning("replica %s skipped: %s; reading from the primary", alias, state.reason)

    def usable(self) -> list[str]:
        """The replicas that may serve reads now."""
        found = []
        for alias in replica_aliases():
            state = self._states.get(alias)
            stale = state is None or self._clock() - state.checked >= settings.REPLICA_CHECK_SECONDS
            if stale and self._lock.acquire(blocking=state is None):
                try:
                    state = self._check(alias)
                    self._record(alias, state)
                finally:
                    self._lock.release()
            if state is not None and state.usable:
                found.append(alias)
        return found

    def mark_down(self, alias: str, reason: str) -> None:
        """Skip ``alias`` until its next check."""
        self._close(alias)
        self._record(alias, _State(self._clock(), False, reason))

    def forget(self) -> None:
        self._states.clear()


health = ReplicaHealth()


def _connected(alias: str) -> bool:
    """Open (or health-check) this thread's connection to ``alias``; False on failure."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as exc:
        health.mark_down(alias, f"cannot connect ({str(exc).strip()[:200]})")
        return False
    return True


def choose_replica() -> str | None:
    """A usable, connected replica at random, or None (read from the primary)."""
    candidates = health.usable()
    random.shuffle(candidates)
    for alias in candidates:
        if _connected(alias):
            return alias
    return None


def _token_key(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    return "replica-pin:" + hashlib.sha256(token.encode()).hexdigest() if token else None


def pinned_to_primary(request: HttpRequest) -> bool:
    """Whether this client wrote within the last ``REPLICA_PIN_SECONDS``."""
    pin = request.get_signed_cookie(
        PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS
    )
    if pin is not None:
        return True
    key = _token_key(request)
    return key is not None and bool(cache.get(key))


def pin_to_primary(request: HttpRequest, response: HttpResponse) -> None:
    """Send this client's next reads to the primary for ``REPLICA_PIN_SECONDS``."""
    seconds = settings.REPLICA_PIN_SECONDS
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _token_key(request)
    if key is not None:
        cache.set(key, 1, seconds)


class ReplicaRoutingMiddleware:
    """Route a request's reads (see the module's docstring) and pin writers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        alias = None
        if request.method in SAFE_METHODS and not pinned_to_primary(request):
            alias = choose_replica()
        token = _reading_from.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _reading_from.reset(token)
        if request.method not in SAFE_METHODS:
            pin_to_primary(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """A replica that failed mid-request: mark it down and run the view again on the
        primary (only read-only requests are ever routed to a replica)."""
        alias = _reading_from.get()
        if alias is None or not isinstance(exception, OperationalError | InterfaceError):
            return None
        health.mark_down(alias, f"failed mid-request ({str(exception).strip()[:200]})")
        _reading_from.set(None)
        match = request.resolver_match
        if match is None:
            return None
        return match.func(request, *match.args, **match.kwargs)


def reading_from() -> str:
    """The database the current request's reads go to (for tests and diagnostics)."""
    return _reading_from.get() or DEFAULT_DB_ALIAS
