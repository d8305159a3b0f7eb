"""Read replicas: read-only requests read from a usable replica, writers read their own
writes from the primary, and a replica that is down or behind is skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from peerladder.config import environment, replicas

# -- the variable ---------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("PEERLADDER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PEERLADDER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PEERLADDER_DATABASE_URL", "postgresql://app@primary.example:5432/ladder")
    return monkeypatch


def test_without_the_variable_there_are_no_replicas(env: pytest.MonkeyPatch):
    assert environment.load().replicas == []


def test_replica_urls_become_databases_that_mirror_the_primary_in_tests(
    env: pytest.MonkeyPatch,
):
    env.setenv(
        "PEERLADDER_DATABASE_REPLICA_URLS",
        "postgresql://app@replica-a:5432/ladder, postgresql://app:secret@replica-b/ladder",
    )
    found = environment.load().replicas
    assert [(db["HOST"], db["NAME"]) for db in found] == [
        ("replica-a", "ladder"),
        ("replica-b", "ladder"),
    ]
    assert all(db["TEST"] == {"MIRROR": "default"} for db in found)
    assert all(db["OPTIONS"]["connect_timeout"] == 2 for db in found)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("sqlite:///replica.sqlite3", "not a PostgreSQL URL"),
        ("postgresql://app@replica-a/ladder,,postgresql://app@replica-b/ladder", "is empty"),
        ("postgresql://app@replica-a", "names no PostgreSQL database"),
        ("mysql://app@replica-a/ladder", "not a"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(env: pytest.MonkeyPatch, value, why):
    env.setenv("PEERLADDER_DATABASE_REPLICA_URLS", value)
    with pytest.raises(environment.ConfigurationError) as caught:
        environment.load()
    message = str(caught.value)
    assert message.startswith("PEERLADDER_DATABASE_REPLICA_URLS") and why in message
    assert "\n" not in message


def test_replicas_need_a_postgresql_primary(env: pytest.MonkeyPatch):
    env.delenv("PEERLADDER_DATABASE_URL")
    env.setenv("PEERLADDER_DATABASE_REPLICA_URLS", "postgresql://app@replica-a/ladder")
    with pytest.raises(environment.ConfigurationError, match="not PostgreSQL"):
        environment.load()


def test_a_password_is_not_repeated_in_the_message(env: pytest.MonkeyPatch):
    env.setenv("PEERLADDER_DATABASE_REPLICA_URLS", "mysql://app:hunter2@replica-a/ladder")
    with pytest.raises(environment.ConfigurationError) as caught:
        environment.load()
    assert "hunter2" not in str(caught.value)


# -- routing ---------------------------------------------------------------------------


class Replica:
    """A fake replica: its lag, or None when it is down; counts the checks."""

    def __init__(self, lag: float | None = 0.0) -> None:
        self.lag = lag
        self.checks = 0

    def __call__(self, alias: str) -> float:
        self.checks += 1
        if self.lag is None:
            raise OperationalError("connection refused")
        return self.lag


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch, settings) -> Replica:
    settings.REPLICA_MAX_LAG_SECONDS = 5.0
    settings.REPLICA_CHECK_SECONDS = 2.0
    settings.REPLICA_PIN_SECONDS = 10
    fake = Replica()
    clock = Clock()
    monkeypatch.setattr(replicas, "health", replicas.ReplicaHealth(probe=fake, clock=clock))
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    monkeypatch.setattr(replicas, "_connected", lambda alias: True)
    fake.clock = clock  # type: ignore[attr-defined]
    return fake


def serve(request, view=None):
    """Run ``request`` through the middleware; returns (response, where it read)."""
    seen = []

    def default_view(request):
        seen.append(replicas.reading_from())
        return HttpResponse("ok")

    view = view or default_view
    request.resolver_match = ResolverMatch(view, (), {})
    middleware = replicas.ReplicaRoutingMiddleware(lambda r: None)

    def handler(request):  # what Django's handler does with a view's exception
        try:
            return view(request)
        except Exception as exc:
            response = middleware.process_exception(request, exc)
            if response is None:
                raise
            return response

    middleware.get_response = handler
    response = middleware(request)
    return response, seen


def test_a_read_only_request_reads_from_a_replica(replica):
    _, seen = serve(RequestFactory().get("/cases"))
    assert seen == ["replica1"]
    assert replicas.reading_from() == DEFAULT_DB_ALIAS  # only for that request


def test_other_requests_and_writes_use_the_primary(replica):
    router = replicas.ReplicaRouter()
    _, seen = serve(RequestFactory().post("/cases", {}))
    assert seen == [DEFAULT_DB_ALIAS]
    assert router.db_for_write(None) == DEFAULT_DB_ALIAS
    assert router.allow_migrate("replica1", "catalogue") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "catalogue") is True


def test_a_client_that_wrote_reads_from_the_primary_until_the_pin_ends(replica, monkeypatch):
    response, _ = serve(RequestFactory().post("/cases/x/edit", {}))
    cookie = response.cookies[replicas.PIN_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    follow_up = RequestFactory().get("/cases/x")
    follow_up.COOKIES[replicas.PIN_COOKIE] = cookie.value
    assert serve(follow_up)[1] == [DEFAULT_DB_ALIAS]

    later = signing.time.time() + 11
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert serve(follow_up)[1] == ["replica1"]


def test_a_forged_pin_is_ignored(replica):
    request = RequestFactory().get("/cases/x")
    request.COOKIES[replicas.PIN_COOKIE] = "1:forged:signature"
    assert serve(request)[1] == ["replica1"]


def test_an_api_client_is_pinned_by_its_token_on_every_server(replica):
    serve(RequestFactory().patch("/api/cases/x", HTTP_AUTHORIZATION="Bearer secret-token"))
    same = RequestFactory().get("/api/cases/x", HTTP_AUTHORIZATION="Bearer secret-token")
    other = RequestFactory().get("/api/cases/x", HTTP_AUTHORIZATION="Bearer another-token")
    assert serve(same)[1] == [DEFAULT_DB_ALIAS]
    assert serve(other)[1] == ["replica1"]


def test_a_lagging_replica_is_skipped_until_it_catches_up(replica):
    replica.lag = 30.0
    assert serve(RequestFactory().get("/"))[1] == [DEFAULT_DB_ALIAS]
    replica.lag = 0.5
    assert serve(RequestFactory().get("/"))[1] == [DEFAULT_DB_ALIAS]  # checked 0 s ago
    replica.clock.now += 2.5
    assert serve(RequestFactory().get("/"))[1] == ["replica1"]


def test_a_replica_that_is_down_is_skipped_and_checked_at_most_every_interval(replica):
    replica.lag = None
    for _ in range(5):
        assert serve(RequestFactory().get("/"))[1] == [DEFAULT_DB_ALIAS]
    assert replica.checks == 1
    replica.lag = 0.0
    replica.clock.now += 2.5
    assert serve(RequestFactory().get("/"))[1] == ["replica1"]
    assert replica.checks == 2


def test_a_replica_that_fails_mid_request_is_skipped_and_the_view_runs_on_the_primary(
    replica,
):
    seen = []

    def view(request):
        seen.append(replicas.reading_from())
        if replicas.reading_from() != DEFAULT_DB_ALIAS:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("from the primary")

    response, _ = serve(RequestFactory().get("/cases/x"), view)
    assert response.content == b"from the primary"
    assert seen == ["replica1", DEFAULT_DB_ALIAS]
    assert serve(RequestFactory().get("/"))[1] == [DEFAULT_DB_ALIAS]  # marked down


def test_without_replicas_everything_reads_from_the_primary(settings):
    assert "replica1" not in settings.DATABASES
    assert not getattr(settings, "DATABASE_ROUTERS", [])
    assert "peerladder.config.replicas.ReplicaRoutingMiddleware" not in settings.MIDDLEWARE


@pytest.mark.django_db
def test_the_lag_check_runs_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("replicas are PostgreSQL")
    # The primary is not in recovery: it counts as current. The query is the one a
    # replica answers (the scale test runs it against a real one).
    assert replicas.replica_lag(DEFAULT_DB_ALIAS) == 0.0


def test_search_time_limits_are_set_where_the_reads_go(monkeypatch):
    """The search budget's statement timeout must be set on the replica the search
    reads from, not on the primary beside it."""
    from django.utils.connection import ConnectionDoesNotExist

    from peerladder.search import budget

    class ToReplica:
        def db_for_read(self, model, **hints):
            return "replica-in-use"

    monkeypatch.setattr(budget, "router", ToReplica())
    with pytest.raises(ConnectionDoesNotExist, match="replica-in-use"):
        budget.run_within(100, list)
