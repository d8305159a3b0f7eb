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
