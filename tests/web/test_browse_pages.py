"""One browse-and-search page (/cases): filters with or without words, multi-select
facets, downloads of exactly what is listed, a message when nothing matches, every
state a stable URL."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from peerladder.catalogue.selectors import CaseFilters, one_or_many
from peerladder.web.browse import browse_params
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

DELL_ANSWERS = {"directed_by": "firm", "participant_role": "customizes", "contributor_pay": "paid"}


@pytest.fixture
def catalogue():
    author = UserFactory()
    make_case(
        slug="wikipedia",
        author=author,
        name="Wikipedia",
        countries=["US"],
        founded=2001,
        summary="A free encyclopedia written by volunteers.",
    )
    make_case(
        slug="linux",
        author=author,
        name="Linux",
        answers=LINUX_ANSWERS,
        countries=["FI"],
        founded=1991,
        summary="A free kernel.",
    )
    make_case(
        slug="ikea",
        author=author,
        name="IKEA",
        answers=IKEA_ANSWERS,
        countries=["SE"],
        founded=1943,
        sector="commerce",
        summary="Furniture you assemble yourself.",
    )
    make_case(
        slug="dell",
        author=author,
        name="Dell",
        answers=DELL_ANSWERS,
        countries=["US"],
        founded=1984,
        sector="manufacturing",
        summary="Computers built to order.",
    )


def names(html: str) -> set[str]:
    return set(re.findall(r'<h3><a href="/cases/[^"]+">([^<]+)</a></h3>', html))


def test_filters_work_without_a_query(client, catalogue):
    assert names(client.get("/cases?rung=8").content.decode()) == {"Linux"}
    assert names(client.get("/cases?contested=no&country=US").content.decode()) == {
        "Wikipedia",
        "Dell",
    }


def test_filters_work_with_a_query(client, catalogue):
    html = client.get("/cases?q=free&rung=6").content.decode()
    assert names(html) == {"Wikipedia"}
    assert "1 case found" in html


def test_a_facet_takes_several_values_any_of_which_matches(client, catalogue):
    html = client.get("/cases?rung=3&rung=8").content.decode()
    assert names(html) == {"IKEA", "Linux"}
    assert 'name="rung" value="3" checked' in html and 'name="rung" value="8" checked' in html
    assert names(client.get("/cases?economy=commons&economy=none").content.decode()) == {
        "Wikipedia",
        "Linux",
        "IKEA",
        "Dell",
    }
    assert names(client.get("/cases?economy=none").content.decode()) == {"IKEA", "Dell"}
    assert names(client.get("/cases?country=FI&country=se").content.decode()) == {"IKEA", "Linux"}


def test_facet_counts_leave_their_own_filter_out(client, catalogue):
    html = client.get("/cases?rung=3").content.decode()
    # Rung 8 is still offered with its count while rung 3 is chosen: ticking it adds to the list.
    assert re.search(r'name="rung" value="8"> 8 · [^<]+<small>1</small>', html)


def test_the_results_come_before_the_facets_and_the_facets_fold(client, catalogue):
    html = client.get("/cases").content.decode()
    assert '<details class="facets" data-open-wide>' in html  # folded unless a script opens it
    assert html.index('<section class="results"') > html.index('<details class="facets"')
    # the facets are one line (the summary) until unfolded; the first result follows it
    assert html.index("<summary>Filters") < html.index('<ol class="case-results"')


def test_nothing_matching_says_so_and_offers_ways_out(client, catalogue):
    html = client.get("/cases?contested=yes").content.decode()
    assert "No case matches with these filters" in html
    assert 'href="/cases">All cases</a>' in html
    html = client.get("/cases?q=zeppelin&rung=8").content.decode()
    assert "No case matches this search with these filters" in html
    assert 'href="/cases?rung=8">Without search' in html
    assert 'href="/cases?q=zeppelin">Without rung' in html


def test_each_chosen_filter_links_to_the_page_without_it(client, catalogue):
    html = client.get("/cases?rung=3&rung=8&sector=commerce").content.decode()
    hrefs = re.findall(r'<ul class="chosen".*?</ul>', html, re.S)[0]
    assert 'href="/cases?rung=8&amp;sector=commerce"' in hrefs
    assert 'href="/cases?rung=3&amp;sector=commerce"' in hrefs
    assert 'href="/cases?rung=3&amp;rung=8"' in hrefs


def test_downloads_export_exactly_the_cases_listed(client, catalogue):
    html = client.get("/cases?q=free&rung=6&rung=8&sort=name&page=1").content.decode()
    link = unescape(re.search(r'href="(/api/export\?format=jsonl[^"]*)"', html).group(1))
    assert "page=" not in link and "sort=" not in link
    exported = client.get(link)
    assert exported.status_code == 200
    slugs = {json.loads(line)["slug"] for line in b"".join(exported.streaming_content).splitlines()}
    assert slugs == {"wikipedia", "linux"}
    assert names(html) == {"Wikipedia", "Linux"}
    assert "Download these 2 cases" in html


def test_the_api_takes_the_same_repeated_filters(client, catalogue):
    body = client.get("/api/cases?rung=3&rung=8").json()
    assert {row["slug"] for row in body["results"]} == {"ikea", "linux"}
    assert client.get("/api/cases?rung=3&rung=12").json()["error"][0]["field"] == "rung"


def test_every_state_has_one_url(client, catalogue):
    html = client.get("/cases?sector=commerce&rung=8&rung=3&q=a&sort=-name").content.decode()
    pager_or_chip = re.findall(r'href="(/cases\?[^"]+)"', html)
    # Chips rebuild the URL in one order: q, rung..., sector, then sort.
    assert unescape(pager_or_chip[0]) == "/cases?rung=3&rung=8&sector=commerce&sort=-name"
    params = browse_params(CaseFilters(rung=one_or_many([8, 3]), query="x"), sort="name")
    assert params == [("q", "x"), ("rung", "3"), ("rung", "8"), ("sort", "name")]


def test_a_long_query_is_searched_whole_and_the_parser_says_what_it_left_out(client, catalogue):
    words = " ".join(f"word{number}" for number in range(120))  # about 900 characters
    html = client.get("/cases", {"q": words}).content.decode()
    assert "108 more were left out" in html


def test_bad_values_are_ignored_with_a_note(client, catalogue):
    html = client.get("/cases?rung=99&rung=8&economy=barter&contested=yes&contested=no").content
    text = html.decode()
    assert "Ignored rung=&#x27;99&#x27;" in text and "Ignored economy=" in text
    assert "Ignored contested" in text
    assert names(text) == {"Linux"}
