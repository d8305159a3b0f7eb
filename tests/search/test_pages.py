"""Searching on /cases (with /search redirecting there) and the similar-cases partial."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from peerladder.catalogue.models import Case
from peerladder.search import selectors
from peerladder.search.similar import rebuild_similar
from peerladder.web.similar_cases import similar_context
from tests.factories import LINUX_ANSWERS, UserFactory, make_case
from tests.search.test_api import HOSTILE

pytestmark = pytest.mark.django_db


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
        summary="A free encyclopedia <script>alert(1)</script> by volunteers.",
    )
    make_case(
        slug="wiktionary",
        author=author,
        name="Wiktionary",
        summary="A free dictionary by volunteers.",
    )
    make_case(
        slug="linux",
        author=author,
        name="Linux",
        answers=LINUX_ANSWERS,
        summary="A free kernel.",
        countries=["FI"],
    )


def test_the_old_search_page_redirects_to_the_case_list_keeping_the_query(client):
    response = client.get("/search?q=free&rung=8&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/cases?q=free&rung=8&page=2"
    assert client.get("/search")["Location"] == "/cases"


def test_search_shows_ranked_results_snippets_and_facets(client, catalogue):
    html = client.get("/cases?q=encyclopedia").content.decode()
    assert "1 case found" in html
    assert "<mark>encyclopedia</mark>" in html
    assert "<script>alert" not in html
    assert "6 · " in html
    html = client.get("/cases?q=free&rung=8").content.decode()
    assert "1 case found" in html and "Linux" in html
    assert 'name="rung" value="8" checked' in html  # the chosen rung is ticked


def test_search_pages_through_results(client, catalogue):
    author = UserFactory()
    for number in range(30):
        make_case(slug=f"bakery-{number}", author=author, summary="A bakery.")
    html = client.get("/cases?q=bakery&page=2").content.decode()
    assert "30 cases found" in html and "Page 2 of 2" in html
    assert 'href="?q=bakery&amp;page=1" rel="prev"' in html


@pytest.mark.parametrize("text", HOSTILE)
def test_search_never_fails(client, catalogue, text):
    assert client.get("/cases", {"q": text}).status_code == 200


def test_search_says_when_a_facet_ran_out_of_time(client, catalogue, monkeypatch):
    original = selectors.search_facets

    def with_slow_country(**kwargs):
        return {**original(**kwargs), "country": dict(selectors.TIMED_OUT)}

    monkeypatch.setattr(selectors, "search_facets", with_slow_country)
    html = client.get("/cases?q=free").content.decode()
    assert "data-facets-timed-out" in html
    assert "3 cases found" in html


def test_case_list_with_q_is_ranked_by_the_search(client, catalogue):
    html = client.get("/cases?q=kernel").content.decode()
    assert "Linux" in html and "Wiktionary" not in html
    html = client.get("/cases?q=" + "(" * 20).content.decode()
    assert "Nothing to search for" in html


def test_similar_partial_before_and_after_a_build(catalogue):
    wikipedia = Case.objects.get(slug="wikipedia")
    html = render_to_string("web/cases/_similar.html", similar_context(wikipedia))
    assert "Not built yet" in html
    rebuild_similar()
    html = render_to_string("web/cases/_similar.html", similar_context(wikipedia))
    assert "Wiktionary" in html and "Not built yet" not in html


@pytest.mark.parametrize("page", ["²", "-1", "9" * 3000, "abc", ""])
def test_odd_page_numbers_show_a_page(client, catalogue, page):
    assert client.get("/cases", {"q": "free", "page": page}).status_code == 200
