"""The write API: bearer tokens, If-Match, and the error statuses."""

from __future__ import annotations

import pytest

from peerladder.accounts.services import token_create, token_revoke
from peerladder.catalogue.models import Case, Revision
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "slug": "open-food-network",
    "name": "Open Food Network",
    "summary": "Software for local food hubs, run by a cooperative.",
    "countries": ["AU", "GB"],
    "sector": "food",
    "org_form": "cooperative",
    "sources": [{"url": "https://openfoodnetwork.org/", "title": "Open Food Network"}],
    "placements": [
        {
            "answers": {
                "directed_by": "peers",
                "value": "use",
                "producers": "group",
                "monetization": "equitable",
                "output_license": "commons",
            },
            "valid_from": "2012",
            "rationale": "A commons owned and monetised by its users' cooperative.",
            "sources": ["https://openfoodnetwork.org/"],
        }
    ],
}


@pytest.fixture
def token():
    _, plain = token_create(user=UserFactory(username="writer"))
    return plain


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_create_needs_a_token(client):
    response = client.post("/api/cases", NEW_CASE, content_type="application/json")
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_create_with_a_token(client, token):
    response = client.post("/api/cases", NEW_CASE, content_type="application/json", **auth(token))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["standing"]["rung"] == 7
    assert response["ETag"] == '"rev-1"'
    assert Revision.objects.get().author.username == "writer"


def test_create_with_bad_fields_is_422_naming_them(client, token):
    bad = {**NEW_CASE, "countries": ["XX"], "website": "ftp://x"}
    bad["placements"] = [{**NEW_CASE["placements"][0], "answers": {"directed_by": "peers"}}]
    response = client.post("/api/cases", bad, content_type="application/json", **auth(token))
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["error"]}
    assert {"countries", "website", "placements[0].answers.value"} <= fields
    assert not Case.objects.exists()


def test_revoked_and_unknown_tokens_are_refused(client, token):
    from peerladder.accounts.models import ApiToken

    row = ApiToken.objects.get()
    token_revoke(token=row, by=row.user)
    assert (
        client.post(
            "/api/cases", NEW_CASE, content_type="application/json", **auth(token)
        ).status_code
        == 401
    )
    assert (
        client.post(
            "/api/cases", NEW_CASE, content_type="application/json", **auth("pl_nope")
        ).status_code
        == 401
    )


def test_token_is_stored_hashed(token):
    from peerladder.accounts.models import ApiToken

    row = ApiToken.objects.get()
    assert token not in (row.digest, row.prefix)
    assert len(row.digest) == 64


def test_patch_needs_if_match(client, token):
    make_case(slug="linux", answers=LINUX_ANSWERS)
    response = client.patch(
        "/api/cases/linux", {"summary": "A kernel."}, content_type="application/json", **auth(token)
    )
    assert response.status_code == 428


def test_patch_with_current_etag_succeeds_and_stale_gets_412(client, token):
    make_case(slug="linux", answers=LINUX_ANSWERS)
    etag = client.get("/api/cases/linux")["ETag"]
    first = client.patch(
        "/api/cases/linux",
        {"summary": "A kernel."},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth(token),
    )
    assert first.status_code == 200
    assert first["ETag"] == '"rev-2"'
    stale = client.patch(
        "/api/cases/linux",
        {"summary": "Another."},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth(token),
    )
    assert stale.status_code == 412
    assert Case.objects.get(slug="linux").summary == "A kernel."


def test_add_placement_and_list_revisions(client, token):
    make_case(slug="ikea", answers=IKEA_ANSWERS)
    response = client.post(
        "/api/cases/ikea/placements",
        {
            "answers": {"directed_by": "firm", "participant_role": "customizes"},
            "valid_from": 2001,
            "rationale": "Kitchen planner.",
            "sources": ["https://example.org/ikea"],
        },
        content_type="application/json",
        **auth(token),
    )
    assert response.status_code == 201, response.content
    assert response.json()["standing"]["contested"] is True
    revisions = client.get("/api/cases/ikea/revisions").json()
    assert [r["number"] for r in revisions] == [2, 1]
    assert revisions[0]["author"] == "writer"


def test_retracting_someone_elses_placement_is_403(client, token):
    case = make_case(slug="ikea", answers=IKEA_ANSWERS)
    placement = case.placements.get()
    response = client.delete(f"/api/cases/ikea/placements/{placement.pk}", **auth(token))
    assert response.status_code == 403


def test_unknown_case_is_404_for_writes(client, token):
    response = client.patch(
        "/api/cases/nothing",
        {"summary": "x"},
        content_type="application/json",
        HTTP_IF_MATCH='"rev-1"',
        **auth(token),
    )
    assert response.status_code == 404


def test_edits_past_the_limit_get_429_with_retry_after(client, settings):
    from peerladder.accounts.models import User

    user = UserFactory(username="hasty")
    User.objects.filter(pk=user.pk).update(date_joined=user.date_joined.replace(year=2020))
    settings.RATE_LIMIT_EDITS = (2, 3600)  # an hour: three posts never straddle a window
    _, plain = token_create(user=user)
    make_case(slug="target")
    statuses = [
        client.post(
            "/api/cases/target/sources",
            {"url": f"https://example.org/s{n}", "title": f"S{n}"},
            content_type="application/json",
            **auth(plain),
        ).status_code
        for n in range(3)
    ]
    assert statuses[:2] == [201, 201]
    assert statuses[2] == 429
    last = client.post(
        "/api/cases/target/sources",
        {"url": "https://example.org/late", "title": "Late"},
        content_type="application/json",
        **auth(plain),
    )
    assert int(last["Retry-After"]) > 0
