"""GET /api/cases and GET /api/cases/{slug}."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue import services
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    make_case(slug="wikipedia", name="Wikipedia", countries=["US"], founded=2001)
    make_case(
        slug="linux", name="Linux", answers=LINUX_ANSWERS, countries=["FI", "US"], founded=1991
    )
    make_case(
        slug="ikea",
        name="IKEA",
        answers=IKEA_ANSWERS,
        countries=["SE"],
        founded=1943,
        sector="manufacturing",
        org_form="company",
    )


def test_list_returns_count_results_and_facets(client, catalogue):
    body = client.get("/api/cases").json()
    assert body["count"] == 3
    assert [case["slug"] for case in body["results"]] == ["ikea", "linux", "wikipedia"]
    assert {"rung", "economy", "sector", "country", "contested"} <= set(body["facets"])
    rungs = {row["value"]: row["count"] for row in body["facets"]["rung"]}
    assert rungs == {3: 1, 6: 1, 8: 1}


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("rung=8", ["linux"]),
        ("economy=commons", ["linux", "wikipedia"]),
        ("economy=none", ["ikea"]),
        ("sector=manufacturing", ["ikea"]),
        ("country=us", ["linux", "wikipedia"]),
        ("contested=false", ["ikea", "linux", "wikipedia"]),
        ("year_from=1990&year_to=2000", ["linux"]),
        ("q=wiki", ["wikipedia"]),
        ("sort=-founded", ["wikipedia", "linux", "ikea"]),
    ],
)
def test_list_filters(client, catalogue, query, slugs):
    body = client.get(f"/api/cases?{query}").json()
    assert [case["slug"] for case in body["results"]] == slugs


def test_facets_respect_other_filters_but_not_their_own(client, catalogue):
    body = client.get("/api/cases?country=US&rung=8").json()
    assert body["count"] == 1
    rungs = {row["value"]: row["count"] for row in body["facets"]["rung"]}
    assert rungs == {6: 1, 8: 1}  # the rung facet ignores rung=8 but keeps country=US
    countries = {row["value"]: row["count"] for row in body["facets"]["country"]}
    assert countries == {"FI": 1, "US": 1}


def test_pagination(client, catalogue):
    body = client.get("/api/cases?page=2&page_size=2").json()
    assert body["count"] == 3
    assert [case["slug"] for case in body["results"]] == ["wikipedia"]
    assert client.get("/api/cases?page=9").json()["results"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("rung=12", "rung"),
        ("rung=abc", "rung"),
        ("economy=gift", "economy"),
        ("sector=space", "sector"),
        ("country=USA", "country"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
        ("contested=maybe", "contested"),
    ],
)
def test_invalid_filter_values_give_422_naming_the_field(client, catalogue, query, field):
    response = client.get(f"/api/cases?{query}")
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["error"]}


def test_unknown_query_parameters_are_ignored(client, catalogue):
    assert client.get("/api/cases?colour=blue").json()["count"] == 3


def test_list_query_count_is_constant_whatever_the_size(client, catalogue):
    with CaptureQueriesContext(connection) as small:
        client.get("/api/cases")
    author = UserFactory()
    for index in range(8):
        make_case(slug=f"extra-{index}", author=author, countries=["DE", "FR"])
    with CaptureQueriesContext(connection) as large:
        client.get("/api/cases")
    # The language facet counts the cases with text in each language: one query.
    assert len(small) == len(large) <= 11


def test_detail_has_standing_trajectory_sources_and_an_etag(client, catalogue):
    response = client.get("/api/cases/linux")
    assert response.status_code == 200
    assert response["ETag"] == '"rev-1"'
    body = response.json()
    assert body["standing"]["rung"] == 8
    assert body["standing"]["name"] == "Commons with a business ecology"
    assert body["trajectory"][0]["rung"] == 8
    assert body["sources"][0]["url"] == "https://example.org/linux"
    assert body["placements"][0]["answers"] == LINUX_ANSWERS
    assert body["revision"] == 1


def test_detail_etag_follows_the_revision_and_answers_304(client, catalogue):
    linux = services.case_update(
        case=__import__("peerladder.catalogue.models", fromlist=["Case"]).Case.objects.get(
            slug="linux"
        ),
        author=UserFactory(),
        changes={"summary": "A kernel."},
        base_revision=1,
    )
    response = client.get("/api/cases/linux")
    assert response["ETag"] == f'"rev-{linux.revision_number}"' == '"rev-2"'
    assert client.get("/api/cases/linux", HTTP_IF_NONE_MATCH='"rev-2"').status_code == 304


def test_detail_query_count_is_constant(client, catalogue):
    """Cold: the stamp (the case's, the catalogue's, the view counts), the case and its
    parts (6), the relations to it and the view counts again (9). Warm: the stamp."""
    with CaptureQueriesContext(connection) as cold:
        client.get("/api/cases/linux")
    # The translations are one more query of the parts.
    assert len(cold) <= 10
    with CaptureQueriesContext(connection) as warm:
        client.get("/api/cases/linux")
    assert len(warm) == 1


def test_unknown_case_is_404(client):
    response = client.get("/api/cases/nothing-here")
    assert response.status_code == 404
    assert "nothing-here" in response.json()["detail"]


def test_description_markdown_is_sanitised(client):
    make_case(
        slug="xss", description="Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**"
    )
    html = client.get("/api/cases/xss").json()["description_html"]
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html
