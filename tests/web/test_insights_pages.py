"""The insight pages: the ladder map, each chart, the report, the poster."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue.models import Case
from peerladder.ladder import RUNGS
from tests.factories import LINUX_ANSWERS, UserFactory, make_case
from tests.insights.conftest import build_catalogue

pytestmark = [pytest.mark.django_db]

CHARTS = ("ladder", "trend", "trajectories", "viability", "agreement")
NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    build_catalogue()


def inline_svgs(html: str) -> list[ET.Element]:
    found, start = [], 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(html[start:end]))  # noqa: S314 -- our own page
        start = end
    return found


def test_insights_shows_the_map_in_two_layouts_with_a_text_alternative_and_data(client, catalogue):
    response = client.get("/insights")
    assert response.status_code == 200
    html = response.content.decode()
    # The wide layout is in the page; the narrow one at its own address, fetched on phones.
    (wide,) = [
        svg for svg in inline_svgs(html) if svg.find(f"{NS}title").get("id") == "chart-ladder-title"
    ]
    assert 'class="chart-svg chart-wide"' in html
    assert (
        '<div class="chart-svg chart-narrow" data-src="/insights/ladder/narrow.svg"></div>' in html
    )
    narrow_response = client.get("/insights/ladder/narrow.svg")
    assert narrow_response["Content-Type"].startswith("image/svg+xml")
    (narrow,) = inline_svgs(narrow_response.content.decode())
    for svg in (wide, narrow):
        assert svg.get("role") == "graphics-document" and svg.get("aria-labelledby")
        assert svg.find(f"{NS}desc").text.startswith("The ladder map of 12 cases")
    assert narrow.find(f"{NS}title").get("id") == "chart-ladder-narrow-title"
    assert "<figcaption" in html and '<table class="chart-table">' in html
    assert '<details class="chart-data">' in html  # the data table starts folded
    for r in RUNGS:
        assert r.name in html
    for name in CHARTS:
        assert f'href="/insights/{name}"' in html
    assert 'href="/insights/report"' in html


def test_insights_credits_the_essay_and_links_the_method(client, catalogue):
    html = client.get("/insights").content.decode()
    assert "Michel Bauwens" in html and 'href="https://timreview.ca/article/113"' in html
    assert 'href="/about"' in html


def test_the_essay_credit_is_in_the_pages_language(client, catalogue):
    german = client.get("/de/insights").content.decode()
    assert "Die Leiter nach Michel Bauwens, „Ladder of Participation“ (2008)." in german
    assert "The ladder after" not in german
    assert "The ladder after Michel Bauwens" in client.get("/insights").content.decode()


def test_insights_headline_figures_reconcile_and_give_alpha_with_its_n(client, catalogue):
    html = client.get("/insights").content.decode()
    assert "<strong>12</strong> cases in all" in html
    assert "<strong>10</strong> agreed on one rung" in html
    assert "<strong>2</strong> contested" in html and "<strong>0</strong> not placed yet" in html
    assert "not enough independent placements" in html and "3 case periods" in html


def test_a_contested_case_is_drawn_at_each_of_its_rungs_with_its_split(client, catalogue):
    html = client.get("/insights").content.decode()
    wide = inline_svgs(html)[0]
    links = [a for a in wide.iter(f"{NS}a") if a.get("{http://www.w3.org/1999/xlink}href")]
    disputed = [
        a for a in links if a.get("{http://www.w3.org/1999/xlink}href") == "/cases/disputed"
    ]
    assert len(disputed) == 2
    labels = [a.find(f"{NS}path").get("aria-label") for a in disputed]
    assert all("contested, 8 vs 9, 1–1" in label for label in labels)
    assert {"rung 8 ·" in label for label in labels} == {True, False}


def test_chart_pages_load_only_our_own_script_and_no_chart_code_inline(client, catalogue):
    for url in ("/insights", "/insights/trend", "/cases/couchsurfing"):
        html = client.get(url).content.decode()
        assert '<script src="/static/web/insights.js" defer>' in html
        assert "vega.min.js" not in html
        assert "cdn" not in html.lower() and "unpkg" not in html
        main = html.split("<main")[1].split("</main>")[0]
        assert "<script" not in main
    assert "insights.js" not in client.get("/insights/report").content.decode()


def test_insights_filters_the_map_and_notes_ignored_values(client, catalogue):
    html = client.get("/insights?country=ES").content.decode()
    assert "/cases/mondragon" in html and "/cases/wikipedia" not in html
    assert "Showing: country Spain." in html
    html = client.get("/insights?sector=space&year_from=abc").content.decode()
    assert "Ignored sector=" in html and "Ignored year_from=" in html


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_page_has_svg_text_alternative_and_table(client, catalogue, name):
    response = client.get(f"/insights/{name}")
    assert response.status_code == 200
    html = response.content.decode()
    for svg in inline_svgs(html):
        assert svg.find(f"{NS}title").text and svg.find(f"{NS}desc").text
    assert "<figcaption" in html and "<table" in html and "<caption>" in html
    assert "Michel Bauwens" in html and 'href="/about#method"' in html


def test_unknown_chart_is_404(client, db):
    assert client.get("/insights/pie").status_code == 404


def test_report_page_and_its_downloads(client, catalogue):
    html = client.get("/insights/report").content.decode()
    assert "Where are we now" in html and "Mondragon" in html
    assert "Michel Bauwens" in html and 'href="/about"' in html
    assert "not a random sample" in html
    data = json.loads(client.get("/insights/report?format=json").content)
    assert data["totals"]["cases"] == Case.objects.filter(archived=False).count()
    rows = sum(entry["count"] for entry in data["rungs"])
    assert (
        rows + data["totals"]["contested"] + data["totals"]["unplaced"] == data["totals"]["cases"]
    )
    standalone = client.get("/insights/report?format=html")
    assert standalone.content.decode().startswith("<!doctype html>")
    text = client.get("/insights/report?format=text")
    assert text["Content-Type"].startswith("text/plain")


def test_the_poster_downloads_as_svg_and_print_size_png_with_the_filters(client, catalogue):
    html = client.get("/insights?country=ES").content.decode()
    assert 'href="/insights/poster.svg?country=ES"' in html
    assert 'href="/insights/poster.png?country=ES"' in html
    svg = client.get("/insights/poster.svg?country=ES")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg["Content-Disposition"].startswith('attachment; filename="peerladder-ladder-map-')
    text = svg.content.decode()
    assert "country Spain" in text and "Michel Bauwens" in text
    assert "1 case (1 agreed, 0 contested, 0 not placed yet)" in text
    assert "/cases/mondragon" in text and "/cases/wikipedia" not in text
    png = client.get("/insights/poster.png")
    assert png["Content-Type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.content[16:24])
    assert width >= 3500 and height >= 1500  # print size: A3 at about 300 dpi


def test_a_bad_poster_filter_is_ignored_not_a_500(client, catalogue):
    response = client.get("/insights/poster.svg?country=%00&year_from=99999")
    assert response.status_code == 200


def test_an_edit_refreshes_the_cached_figures(client, catalogue):
    assert "<strong>12</strong> cases" in client.get("/insights").content.decode()
    make_case(slug="fresh", name="Fresh Case")
    assert "<strong>13</strong> cases" in client.get("/insights").content.decode()


def test_insights_query_count_is_pinned_and_independent_of_size(client, catalogue):
    with CaptureQueriesContext(connection) as small:
        client.get("/insights")
    with CaptureQueriesContext(connection) as warm:
        client.get("/insights")
    author = UserFactory()
    for index in range(12):
        make_case(slug=f"more-{index}", author=author, founded=1990 + index)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get("/insights")
    assert len(small) == len(large) <= 16
    assert len(warm) == 1  # only the catalogue state for the cache key


def test_the_map_figure_is_ready_for_other_pages(catalogue):
    from peerladder.web.insights_pages import ladder_map_figure

    figure = ladder_map_figure()
    assert figure["name"] == "ladder" and figure["svg"].startswith("<svg")
    assert figure["narrow_url"] == "/insights/ladder/narrow.svg"
    assert ladder_map_figure() == figure  # served from the cache the second time


def test_each_chart_s_marks_are_in_its_page_once(client, catalogue):
    """The page carries the wide layout only: every case's mark appears once."""
    html = client.get("/insights").content.decode()
    assert html.count('href="/cases/wikipedia"') == 1


def test_the_narrow_map_keeps_the_map_s_filters_and_language(client, catalogue):
    html = client.get("/es/insights?sector=software").content.decode()
    assert 'data-src="/es/insights/ladder/narrow.svg?sector=software"' in html

    def description(path: str) -> str:
        (svg,) = inline_svgs(client.get(path).content.decode())
        return svg.find(f"{NS}desc").text

    english = description("/insights/ladder/narrow.svg")
    spanish = description("/es/insights/ladder/narrow.svg")
    filtered = description("/es/insights/ladder/narrow.svg?sector=software")
    assert english.startswith("The ladder map of 12 cases")
    assert not spanish.startswith("The ladder map") and filtered != spanish


def test_a_narrow_layout_that_does_not_exist_is_a_404(client, catalogue):
    assert client.get("/insights/nonsense/narrow.svg").status_code == 404


def test_the_narrow_layout_is_compressed_and_answers_304_until_the_catalogue_changes(
    client, catalogue
):
    first = client.get("/insights/ladder/narrow.svg", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and first["ETag"]
    again = client.get("/insights/ladder/narrow.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    make_case(slug="newcomer", name="Newcomer", answers=LINUX_ANSWERS)
    changed = client.get("/insights/ladder/narrow.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
