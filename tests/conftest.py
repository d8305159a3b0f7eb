"""Shared fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest):
    """Each database test starts with an empty cache: cached facets or rate-limit
    counters of one test must never leak into another. Pure tests (tests/ladder)
    stay free of Django."""
    uses_django = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "client",
        "live_server",
        "settings",
    } & set(request.fixturenames)
    if not uses_django:
        yield
        return
    from django.core.cache import cache

    from peerladder.search import store

    # A learned model loaded by one test lives in the process, not in its rolled-back
    # database: forget it, as a fresh worker would.
    store.forget()
    cache.clear()
    yield
    cache.clear()
    store.forget()
    # The locale middleware activates a request's language in the thread and, as in a
    # server where the next request activates its own, leaves it there: a test that
    # asked for German must not leave the next test in German.
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def spanish(settings, tmp_path):
    """Only the tests' own small Spanish catalogue (tests/lexicon/catalogue.py) in
    LOCALE_PATHS, so that what is translated, and how, does not depend on the shared
    catalogues. Changing the setting resets Django's loaded translations."""
    from tests.lexicon.catalogue import write_catalogue

    settings.LOCALE_PATHS = [write_catalogue(tmp_path / "locale")]
    return settings
