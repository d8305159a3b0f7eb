"""Hostile input and HTTP semantics (issue: integrity under hostile input): text no
database can hold, list sizes past their limits, strong If-Match, HEAD, malformed
bodies, and the one error shape with what was received and what is allowed."""

from __future__ import annotations

import json

import pytest

from peerladder.accounts.services import token_create
from peerladder.catalogue.models import Case, Revision
from tests.factories import LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def linux():
    return make_case(slug="linux", answers=LINUX_ANSWERS)


@pytest.fixture
def bearer():
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=UserFactory())[1]}"}


def patch(client, body, bearer, *, if_match='"rev-1"', raw=None):
    data = raw if raw is not None else json.dumps(body)
    return client.patch(
        "/api/cases/linux", data, content_type="application/json", HTTP_IF_MATCH=if_match, **bearer
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"tags": ["x\\udc00y"]}', "tags[0]"),
        ('{"summary": "a lone \\ud800 surrogate"}', "summary"),
        ('{"name": "NUL \\u0000 inside"}', "name"),
        ('{"description": "a non-character \\uffff"}', "description"),
    ],
)
def test_text_no_database_can_hold_is_refused_and_nothing_changes(
    client, linux, bearer, body, field
):
    response = patch(client, None, bearer, raw=body)
    assert response.status_code == 422, response.content
    (error,) = response.json()["error"]
    assert error["field"] == field
    assert "cannot be stored" in error["message"]
    assert Case.objects.get(slug="linux").revision_number == 1
    assert client.get("/api/export?format=jsonl").status_code == 200
    assert client.get("/cases/linux").status_code == 200


def test_a_lone_surrogate_in_a_placement_or_source_is_refused(client, linux, bearer):
    body = (
        '{"answers": {"directed_by": "firm", "participant_role": "receives"}, '
        '"valid_from": "2001", "rationale": "why \\udc00", '
        '"sources": [{"url": "https://example.org/x", "title": "t\\udc00"}]}'
    )
    response = client.post(
        "/api/cases/linux/placements", body, content_type="application/json", **bearer
    )
    assert response.status_code == 422
    assert response.json()["error"][0]["field"] in {"rationale", "sources[0].title"}
    assert Revision.objects.filter(case__slug="linux").count() == 1


def test_lists_past_their_limit_are_refused_naming_the_limit(client, linux, bearer):
    response = patch(client, {"tags": [f"t{n}" for n in range(10_000)]}, bearer)
    assert response.status_code == 422
    assert "at most 30" in response.json()["error"][0]["message"]
    response = patch(client, {"countries": ["DE"] * 10_000}, bearer)
    assert "at most 60" in response.json()["error"][0]["message"]


def test_if_match_uses_the_strong_comparison(client, linux, bearer):
    weak = patch(client, {"summary": "Weak."}, bearer, if_match='W/"rev-1"')
    assert weak.status_code == 412
    assert Case.objects.get(slug="linux").summary != "Weak."
    star = patch(client, {"summary": "Any current revision."}, bearer, if_match="*")
    assert star.status_code == 200
    assert star["ETag"] == '"rev-2"'
    listed = patch(client, {"summary": "One of two."}, bearer, if_match='"rev-1", "rev-2"')
    assert listed.status_code == 200 and listed["ETag"] == '"rev-3"'


def test_a_successful_write_answers_with_its_own_revision(client, linux, bearer):
    response = patch(client, {"summary": "Mine."}, bearer)
    body = response.json()
    assert response["ETag"] == f'"rev-{body["revision"]}"' == '"rev-2"'
    assert body["summary"] == "Mine."


def test_head_answers_the_headers_of_get_without_a_body(client, linux):
    got = client.get("/api/cases/linux")
    head = client.head("/api/cases/linux")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == got["ETag"] == '"rev-1"'
    page_get, page_head = client.get("/cases/linux"), client.head("/cases/linux")
    assert page_head.status_code == 200 and page_head.content == b""
    assert page_head.get("ETag") == page_get.get("ETag")
    assert client.get("/api/cases/linux", HTTP_IF_NONE_MATCH='W/"rev-1"').status_code == 304


@pytest.mark.parametrize("raw", ["{not json", "[null, null]", '"text"'])
def test_a_malformed_body_is_a_422_in_the_error_shape(client, bearer, raw):
    for path in ("/api/cases", "/api/suggest", "/api/classify"):
        response = client.post(path, raw, content_type="application/json", **bearer)
        assert response.status_code == 422, (path, raw, response.content)
        assert "error" in response.json()


def test_422s_say_what_was_received_and_what_is_allowed(client, linux, bearer):
    stars = client.post(
        "/api/cases/linux/rating", {"stars": 6}, content_type="application/json", **bearer
    ).json()["error"][0]
    assert stars["received"] == 6 and stars["allowed"] == {"le": 5}
    export = client.get("/api/export?format=xls").json()["error"][0]
    assert export["received"] == "xls" and "jsonl" in export["allowed"]
    rung = client.get("/api/cases?rung=12").json()["error"][0]
    assert rung["received"] == "12" and rung["allowed"] == {"le": 11}


def test_contested_takes_the_same_words_on_the_pages_and_in_the_api(client, linux):
    for word in ("yes", "true", "1"):
        assert client.get(f"/api/cases?contested={word}").json()["count"] == 0
        assert "Ignored contested" not in client.get(f"/cases?contested={word}").content.decode()
    assert client.get("/api/cases?contested=no").json()["count"] == 1


def test_a_url_past_the_limit_gets_the_sites_414(client):
    assert client.get("/api/cases?q=" + "x" * 6000).status_code == 414
    page = client.get("/cases?q=" + "x" * 6000)
    assert page.status_code == 414
    assert "too long" in page.content.decode()


def test_the_openapi_document_lists_every_status(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    patch_codes = set(paths["/api/cases/{slug}"]["patch"]["responses"])
    assert {"200", "202", "401", "403", "404", "412", "414", "422", "428", "429"} <= patch_codes
    assert {"200", "304", "404", "414"} <= set(paths["/api/cases/{slug}"]["head"]["responses"])


def test_a_nul_in_a_query_parameter_is_a_422_naming_it(client, linux):
    response = client.get("/api/cases/linux/cite", {"format": "bib\x00tex"})
    assert response.status_code == 422
    assert response.json()["error"][0]["field"] == "format"
    assert client.get("/api/export", {"q": "a\x00b"}).status_code == 422


def test_a_body_missing_a_required_field_is_a_422_not_a_500(client, bearer):
    response = client.post(
        "/api/cases", {"name": "", "sources": [], "placements": []},
        content_type="application/json", **bearer,
    )  # fmt: skip
    assert response.status_code == 422
    assert any(error["field"] == "summary" for error in response.json()["error"])
