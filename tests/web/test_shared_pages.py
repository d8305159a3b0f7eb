"""Lists, rung pages, the home page and insights kept per catalogue version
(web/catalogue_cache.py ``shared_page``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue import services
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

PAGES = ["/", "/ladder", "/ladder/8", "/cases", "/cases?rung=8", "/insights"]


@pytest.fixture
def catalogue():
    return {
        "linux": make_case(slug="linux", name="Linux", answers=LINUX_ANSWERS),
        "ikea": make_case(slug="ikea", name="IKEA", answers=IKEA_ANSWERS),
    }


@pytest.mark.parametrize("path", PAGES)
def test_a_warm_page_costs_the_one_query_for_the_catalogue_version(client, catalogue, path):
    first = client.get(path)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as warm:
        second = client.get(path)
    assert len(warm) == 1, [query["sql"] for query in warm]
    assert second.content == first.content
    assert client.get(path, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_a_change_to_any_case_shows_at_once(client, catalogue):
    assert "Linux" in client.get("/cases?rung=8").content.decode()
    services.case_update(
        case=catalogue["linux"],
        author=UserFactory(),
        changes={"name": "Linux kernel"},
        base_revision=None,
    )
    assert "Linux kernel" in client.get("/cases?rung=8").content.decode()
    assert "Linux kernel" in client.get("/ladder/8").content.decode()


def test_a_signed_in_reader_gets_their_own_page(client, catalogue):
    client.get("/cases")
    client.force_login(UserFactory(username="reader-two"))
    own = client.get("/cases").content.decode()
    assert "reader-two" in own
    client.logout()
    assert "reader-two" not in client.get("/cases").content.decode()


def test_orders_by_views_or_rating_are_not_kept(client, catalogue):
    client.get("/cases?sort=views")
    with CaptureQueriesContext(connection) as again:
        client.get("/cases?sort=views")
    assert len(again) > 1


def test_each_language_has_its_own_entry(client, catalogue):
    english = client.get("/ladder")
    with CaptureQueriesContext(connection) as german_first:
        german = client.get("/de/ladder")
    with CaptureQueriesContext(connection) as german_again:
        client.get("/de/ladder")
    assert len(german_first) > 1  # rendered, not the English page
    assert len(german_again) == 1  # kept, in German
    assert german["ETag"] != english["ETag"]
    assert german["Content-Language"] == "de"
