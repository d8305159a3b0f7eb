"""GET /api/cases?q=, GET /api/cases/{slug}/similar and POST /api/suggest."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.search.similar import rebuild_similar
from peerladder.search.suggest import retrain_suggester
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

HOSTILE = [
    '"unclosed',
    "((kernel",
    "kernel))",
    "AND OR NOT",
    "😀🎉",
    "x" * 3_000,  # long, within the URL limit (a longer URL is a 414: test_integrity_api)
    "kernel* OR -",
    "NEAR(a b) name:x ^a {a b}: '; DROP TABLE catalogue_case; --",
    "%00%01",
    "\\ % _ :* <-> & | !",
]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def catalogue():
    author = UserFactory()
    make_case(
        slug="wikipedia",
        author=author,
        name="Wikipedia",
        summary="A free encyclopedia that volunteers write.",
        countries=["US"],
    )
    make_case(
        slug="wiktionary",
        author=author,
        name="Wiktionary",
        summary="A free dictionary that volunteers write.",
        countries=["US"],
    )
    make_case(
        slug="linux",
        author=author,
        name="Linux",
        answers=LINUX_ANSWERS,
        summary="A free kernel <b>made</b> by a community.",
        countries=["FI"],
    )
    make_case(
        slug="ikea",
        author=author,
        name="IKEA",
        answers=IKEA_ANSWERS,
        summary="Furniture customers assemble.",
        sector="manufacturing",
    )


def test_q_ranks_results_and_adds_snippets(client, catalogue):
    body = client.get("/api/cases", {"q": "kernel OR dictionary"}).json()
    assert body["count"] == 2
    assert {case["slug"] for case in body["results"]} == {"linux", "wiktionary"}
    snippets = {case["slug"]: case["snippet"] for case in body["results"]}
    assert "<mark>kernel</mark>" in snippets["linux"]
    assert "<b>" not in snippets["linux"]
    assert body["message"] is None


def test_q_facets_respect_the_query(client, catalogue):
    body = client.get("/api/cases", {"q": "free", "country": "US"}).json()
    assert body["count"] == 2
    countries = {row["value"]: row["count"] for row in body["facets"]["country"]}
    assert countries == {"US": 2, "FI": 1}


def test_q_with_an_explicit_sort(client, catalogue):
    body = client.get("/api/cases", {"q": "free", "sort": "-name"}).json()
    assert [case["slug"] for case in body["results"]] == ["wiktionary", "wikipedia", "linux"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_fail(client, catalogue, text):
    response = client.get("/api/cases", {"q": text})
    assert response.status_code in (200, 422)
    if response.status_code == 200:
        body = response.json()
        assert body["results"] or body["message"] or body["count"] == 0


def test_nothing_searchable_gives_a_message(client, catalogue):
    body = client.get("/api/cases", {"q": "((( 😀"}).json()
    assert body["count"] == 0
    assert "Nothing to search for" in body["message"]


def test_similar_before_and_after_a_build(client, catalogue):
    body = client.get("/api/cases/wikipedia/similar").json()
    assert body == {"results": [], "built": False, "built_at": None}
    rebuild_similar()
    body = client.get("/api/cases/wikipedia/similar?limit=2").json()
    assert body["built"] is True
    assert body["results"][0]["slug"] == "wiktionary"
    assert len(body["results"]) == 2
    assert 0 < body["results"][0]["score"] <= 1
    assert body["results"][0]["standing"]["rung"] == 6


def test_similar_of_an_unknown_case_is_404(client):
    assert client.get("/api/cases/nothing/similar").status_code == 404


def test_suggest_returns_rungs_with_probabilities_summing_to_one(client, catalogue):
    retrain_suggester()
    response = client.post(
        "/api/suggest",
        {"description": "an operating system kernel", "answers": {"directed_by": "peers"}},
        content_type="application/json",
    )
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert {s["rung"] for s in suggestions} == {6, 7, 8, 9, 10, 11}
    assert abs(sum(s["probability"] for s in suggestions) - 1) < 1e-6
    assert suggestions[0]["probability"] >= suggestions[-1]["probability"]


def test_suggest_with_complete_answers(client):
    response = client.post(
        "/api/suggest", {"answers": IKEA_ANSWERS}, content_type="application/json"
    )
    assert response.json()["suggestions"] == [{"rung": 3, "probability": 1.0}]


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"directed_by": "nobody"}},
        {"answers": {"monetisation": "none"}},
        {"answers": "peers"},
        {"description": ["not", "text"]},
        {"description": "x" * 20_001},
    ],
)
def test_suggest_refuses_bad_input_with_422(client, body):
    response = client.post("/api/suggest", body, content_type="application/json")
    assert response.status_code == 422


def test_suggest_refuses_a_body_that_is_not_json(client):
    response = client.post("/api/suggest", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_search_query_count_is_constant_whatever_the_size(client, catalogue):
    with CaptureQueriesContext(connection) as small:
        client.get("/api/cases", {"q": "free"})
    author = UserFactory()
    for index in range(8):
        make_case(slug=f"free-{index}", author=author, summary="Free as in freedom.")
    with CaptureQueriesContext(connection) as large:
        body = client.get("/api/cases", {"q": "free"}).json()
    assert body["count"] == 11
    assert len(small) == len(large)
