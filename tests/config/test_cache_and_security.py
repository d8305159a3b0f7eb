"""A cache that fails is bypassed, never a 500; every page carries the security policy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from peerladder.config.cache import ResilientRedisCache, check_reachable
from tests.factories import make_case

DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens there
DEAD_CACHE = {
    "default": {
        "BACKEND": "peerladder.config.cache.ResilientRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    }
}


def test_a_dead_redis_reads_as_an_empty_cache_and_writes_as_nothing():
    dead = ResilientRedisCache(DEAD_REDIS, {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert dead.get("k", "fallback") == "fallback"
    assert dead.set("k", 1) is False
    assert dead.add("k", 1) is False
    assert dead.get_many(["a", "b"]) == {}
    assert dead.delete("k") is False
    with pytest.raises(ValueError):
        dead.incr("k")


def test_start_up_can_tell_a_dead_redis_from_a_live_one():
    assert check_reachable(DEAD_REDIS) is not None
    assert check_reachable("redis://127.0.0.1:6379/0") is None


@pytest.mark.django_db
def test_pages_and_ratings_answer_while_the_cache_is_down(client, django_user_model):
    case = make_case(slug="wikipedia")
    user = django_user_model.objects.create_user("reader", password="pw-long-enough-1")
    with override_settings(CACHES=DEAD_CACHE):
        assert client.get("/").status_code == 200
        assert client.get("/insights").status_code == 200
        assert client.get(f"/cases/{case.slug}").status_code == 200
        client.force_login(user)
        response = client.post(f"/cases/{case.slug}/rating", {"stars": "4"})
        assert response.status_code in (200, 302)
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/cases", "/api/ladder", "/api/docs", "/no-such-page"])
def test_every_response_carries_a_policy_without_inline_scripts(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_the_api_docs_load_swagger_from_the_site_itself(client):
    page = client.get("/api/docs").content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in page
