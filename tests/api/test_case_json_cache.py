"""GET /api/cases/{slug} from the per-revision cache (api/cases.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from peerladder.catalogue import services
from tests.factories import LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def linux():
    return make_case(slug="linux", name="Linux", answers=LINUX_ANSWERS, countries=["FI"])


def test_the_cached_body_is_the_body_rendered_afresh(client, linux):
    first = client.get("/api/cases/linux").json()
    cached = client.get("/api/cases/linux").json()
    cache.clear()
    fresh = client.get("/api/cases/linux").json()
    assert first == cached == fresh
    assert cached["slug"] == "linux" and cached["revision"] == linux.revision_number


def test_a_write_moves_the_key_and_the_etag(client, linux):
    before = client.get("/api/cases/linux")
    services.case_update(
        case=linux, author=UserFactory(), changes={"summary": "Rewritten."}, base_revision=None
    )
    after = client.get("/api/cases/linux")
    assert after.json()["summary"] == "Rewritten."
    assert before["ETag"] == '"rev-1"' and after["ETag"] == '"rev-2"'


def test_rating_and_views_are_read_fresh_on_a_cached_body(client, linux):
    assert client.get("/api/cases/linux").json()["rating"]["count"] == 0
    services.rating_set(case=linux, user=UserFactory(), stars=5)
    services.case_view_record(case=linux)
    body = client.get("/api/cases/linux").json()
    assert body["rating"] == {"average": 5.0, "count": 1}
    assert body["views"]["total"] == 1


def test_a_patch_through_the_api_is_seen_by_the_next_read(client, linux):
    from peerladder.accounts.services import token_create

    client.get("/api/cases/linux")
    _, token = token_create(user=UserFactory(), name="test")
    response = client.patch(
        "/api/cases/linux",
        data={"summary": "Patched."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IF_MATCH='"rev-1"',
    )
    assert response.status_code == 200, response.content
    assert client.get("/api/cases/linux").json()["summary"] == "Patched."


def test_text_that_looks_like_the_counters_leaves_the_body_whole(client):
    tricky = 'Says "rating": {"count": 9}, "views": {} and ünïcode ✓'
    make_case(slug="tricky", name="Tricky", summary=tricky, answers=LINUX_ANSWERS)
    client.get("/api/cases/tricky")
    body = client.get("/api/cases/tricky").json()  # from the cache: parts and counters
    assert body["summary"] == tricky
    assert body["rating"] == {"average": None, "count": 0}
    assert list(body).index("views") == list(body).index("rating") + 1
