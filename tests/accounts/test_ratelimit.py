"""Rate limits count in a store every worker shares: the database without a cache URL,
Redis with one (and the database when Redis fails)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from peerladder.accounts import ratelimit
from peerladder.accounts.models import RateCounter

pytestmark = pytest.mark.django_db


def test_a_limit_holds_across_workers_without_a_cache_url(settings):
    settings.PEERLADDER_CACHE_URL = None
    settings.RATE_LIMIT_LOGIN = (5, 300)
    for _ in range(5):
        ratelimit.check_login(username="ada", address="10.0.0.1")
        cache.clear()  # another worker: its own local memory, the same database
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check_login(username="ada", address="10.0.0.1")
    assert 1 <= refused.value.retry_after <= 301
    assert RateCounter.objects.get().hits == 6


def test_the_documented_limit_is_exact(settings):
    settings.PEERLADDER_CACHE_URL = None
    counts = [ratelimit.count_hit("edit:7", window=60, now=120.0)[0] for _ in range(9)]
    assert counts == list(range(1, 10))
    # The next window starts afresh.
    assert ratelimit.count_hit("edit:7", window=60, now=180.0)[0] == 1


def test_redis_counts_when_configured_and_the_database_takes_over_when_it_fails(settings):
    settings.PEERLADDER_CACHE_URL = "redis://127.0.0.1:6379/15"
    ratelimit._redis = None
    ratelimit._redis_client().delete("peerladder:ratelimit:edit:8:120")
    assert ratelimit.count_hit("edit:8", window=60, now=150.0)[0] == 1
    assert ratelimit.count_hit("edit:8", window=60, now=150.0)[0] == 2
    assert not RateCounter.objects.exists()
    settings.PEERLADDER_CACHE_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    ratelimit._redis = None
    assert ratelimit.count_hit("edit:8", window=60, now=150.0)[0] == 1
    assert RateCounter.objects.get().bucket == "edit:8"
    ratelimit._redis = None


def test_the_client_address_comes_from_the_proxy_only_behind_it(settings):
    client_address = ratelimit.client_address
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    settings.TRUST_FORWARDED_FOR = False
    assert client_address(meta) == "10.0.0.2"  # a client may forge the header
    settings.TRUST_FORWARDED_FOR = True
    assert client_address(meta) == "203.0.113.7"  # the address the proxy appended
    assert client_address({"REMOTE_ADDR": "10.0.0.2"}) == "10.0.0.2"


def test_behind_the_proxy_one_address_running_out_leaves_another_its_logins(client, settings):
    check_login, client_address = ratelimit.check_login, ratelimit.client_address
    settings.TRUST_FORWARDED_FOR = True
    settings.RATE_LIMIT_LOGIN = (2, 300)
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    owner = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(2):
        check_login(username="ada", address=client_address(attacker))
    with pytest.raises(ratelimit.RateLimited):
        check_login(username="ada", address=client_address(attacker))
    check_login(username="ada", address=client_address(owner))  # not refused
