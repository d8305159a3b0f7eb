"""The About and Method page, and the footer link to it on every page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_about_names_the_essay_and_everyone_the_model_owes(client, db):
    response = client.get("/about")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Michel Bauwens" in html
    assert "Ladder of Participation: Business Models for Peer Production" in html
    assert "Open Source Business Resource" in html and "January 2008" in html
    assert 'href="https://timreview.ca/article/113"' in html
    assert "Xavier Comtesse" in html and "direct economy" in html
    assert "Roger Hart" in html and "Ladder of Youth Participation" in html
    assert "Jed Harris" in html


def test_about_explains_the_method_licence_citation_and_limits(client, db):
    make_case(slug="one", countries=["ES"])
    html = client.get("/about").content.decode()
    for anchor in (
        "sources",
        "procedure",
        "cases",
        "accounts",
        "method",
        "licence",
        "cite",
        "limits",
    ):
        assert f'id="{anchor}"' in html
    assert "Krippendorff" in html and "bootstrap 95% interval" in html
    assert "Below 10 such periods" in html and "not enough" in html
    assert "6 vs 11, 1–1" in html  # how a split is written
    assert "CC BY 4.0" in html and "creativecommons.org/licenses/by/4.0" in html
    assert "release " in html and "peerladder contributors" in html
    assert "name Spain" in html  # the largest country's share, from the catalogue
    for account in ("peerladder-editors", "essay-2008", "literature"):
        assert f"<code>{account}</code>" in html
    assert "Who decides what gets made?" in html  # the questions, from the model


@pytest.mark.parametrize("path", ["/", "/ladder", "/cases", "/insights", "/about", "/ladder/3"])
def test_every_page_links_the_about_page_from_its_footer(client, db, path):
    html = client.get(path).content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/about"' in footer
