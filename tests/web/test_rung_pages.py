"""The rung pages: agreed cases, the contested cases split with the rung, downloads,
and the rungs beside it; the ladder page's counts."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from peerladder.ladder import RUNGS
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, make_case
from tests.insights.conftest import build_catalogue, place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    build_catalogue()


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_a_rung_page_lists_agreed_cases_and_the_contested_ones_split_with_it(client, catalogue):
    html = client.get("/ladder/8").content.decode()
    agreed = section(html, "agreed-h")
    contested = section(html, "contested-h")
    assert "Linux" in agreed and "Rethought" in agreed
    assert "Disputed Platform" not in agreed and "Wikipedia" not in agreed
    assert "Contested here: 2 cases" in contested
    assert "Disputed Platform" in contested and "8 vs 9, 1–1" in contested
    assert "Split Commons" in contested and "6 vs 8 vs 11, 2–1–1" in contested
    assert 'href="/ladder/9"' in contested and 'href="/ladder/11"' in contested


def test_a_contested_case_is_listed_on_every_rung_it_is_split_between(client, catalogue):
    for number in (6, 8, 11):
        assert "Split Commons" in section(
            client.get(f"/ladder/{number}").content.decode(), "contested-h"
        )
    assert "Split Commons" not in client.get("/ladder/9").content.decode()


def test_one_more_placement_moves_a_case_into_contested_here(client, catalogue):
    assert "Wikipedia" in section(client.get("/ladder/6").content.decode(), "agreed-h")
    place("wikipedia", LINUX_ANSWERS)
    six = client.get("/ladder/6").content.decode()
    assert "Wikipedia" not in section(six, "agreed-h")
    assert "Wikipedia" in section(six, "contested-h")
    assert "Wikipedia" in section(client.get("/ladder/8").content.decode(), "contested-h")


def test_rung_pages_link_the_rungs_beside_them(client, db):
    first = client.get("/ladder/1").content.decode()
    assert 'rel="next"' in first and 'href="/ladder/2"' in first and 'rel="prev"' not in first
    middle = client.get("/ladder/6").content.decode()
    assert 'href="/ladder/5" rel="prev"' in middle and 'href="/ladder/7" rel="next"' in middle
    last = client.get("/ladder/11").content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_rung_pages_offer_downloads_of_their_cases(client, catalogue):
    html = client.get("/ladder/8").content.decode()
    downloads = section(html, "downloads-h")
    for fmt in ("csv", "json", "jsonl", "bibtex"):
        assert f'href="/api/export?format={fmt}&amp;rung=8"' in downloads
    assert "contested=yes" in downloads
    response = client.get("/api/export?format=jsonl&rung=8")
    exported = b"".join(response.streaming_content).decode()
    assert '"slug": "linux"' in exported or '"slug":"linux"' in exported


def test_rung_pages_quote_the_2007_assessment_and_name_the_typical_economy(client, db):
    html = client.get("/ladder/4").content.decode()
    assert "The fourth model is already used in many corporate strategies." in html
    assert "Crowdsourcing economy</a>, when contributors are unpaid" in html


def test_unknown_rungs_are_404(client, db):
    assert client.get("/ladder/12").status_code == 404
    assert client.get("/ladder/0").status_code == 404


def test_the_ladder_page_counts_agreed_and_contested_cases_per_rung(client, catalogue):
    html = client.get("/ladder").content.decode()
    assert "2 agreed cases + 2 contested" in html  # rung 8: Linux, Rethought; Disputed, Split
    assert "Michel Bauwens" in html and 'href="/about"' in html
    for r in RUNGS:
        assert f'href="/ladder/{r.number}"' in html


def test_the_ladder_page_quotes_both_halves_of_the_2007_assessment(client, db):
    html = client.get("/ladder").content.decode()
    assert "well established for several decennia" in html
    assert "The fifth model would seem the current cutting edge" in html
    assert "barely gotten a foothold in the immaterial economy" in html


def test_the_ladder_page_explains_typical_economies_and_both_viabilities(client, db):
    html = client.get("/ladder").content.decode()
    assert "Crowdsourcing economy, when contributors are unpaid" in html
    assert "a rung-4 case that pays every contributor is in none of the three" in html
    assert "could be peer-produced" in html and "Jed Harris" in html


def test_rung_page_agreed_list_is_paged(client, db):
    for index in range(27):
        make_case(slug=f"firm-{index:02d}", answers=IKEA_ANSWERS)
    first = client.get("/ladder/3").content.decode()
    assert "27 cases agreed on this rung" in first
    assert "Firm 26" not in first
    assert "Firm 26" in client.get("/ladder/3?page=2").content.decode()
