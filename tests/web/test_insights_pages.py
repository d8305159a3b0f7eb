"""The insight pages: the ladder map, each chart, the report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue.models import Case
from peerladder.ladder import RUNGS
from tests.factories import UserFactory, make_case
from tests.insights.conftest import build_catalogue

pytestmark = [pytest.mark.django_db]

CHARTS = ("ladder", "trend", "trajectories", "viability", "agreement")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(db):
    build_catalogue()


def inline_svg(html: str) -> ET.Element:
    start = html.index("<svg")
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])  # noqa: S314 -- our own page


def test_insights_shows_the_map_with_a_text_alternative_and_a_data_table(client, catalogue):
    response = client.get("/insights")
    assert response.status_code == 200
    html = response.content.decode()
    svg = inline_svg(html)
    assert svg.get("role") == "img" and svg.get("aria-labelledby")
    assert "<figcaption" in html and "The ladder map: the 11 rungs" in html
    assert '<table class="chart-table">' in html
    for r in RUNGS:
        assert r.name in html
    for name in CHARTS:
        assert f'href="/insights/{name}"' in html
    assert 'href="/insights/report"' in html


def test_chart_pages_load_vega_from_our_own_static_files(client, catalogue):
    for url in ("/insights", "/insights/trend"):
        html = client.get(url).content.decode()
        assert '<script src="/static/web/vendor/vega/vega.min.js" defer>' in html
        assert '<script src="/static/web/insights.js" defer>' in html
        assert "cdn" not in html.lower() and "unpkg" not in html
        main = html.split("<main")[1].split("</main>")[0]
        # The only script in the page body is the chart's data, not code.
        assert main.count("<script") == main.count('type="application/json"') == 1
    assert "vega.min.js" not in client.get("/insights/report").content.decode()


def test_insights_filters_the_map_and_notes_ignored_values(client, catalogue):
    html = client.get("/insights?country=ES").content.decode()
    assert "/cases/mondragon" in html and "/cases/wikipedia" not in html
    html = client.get("/insights?sector=space&year_from=abc").content.decode()
    assert "Ignored sector=" in html and "Ignored year_from=" in html


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_page_has_svg_text_alternative_and_table(client, catalogue, name):
    response = client.get(f"/insights/{name}")
    assert response.status_code == 200
    html = response.content.decode()
    svg = inline_svg(html)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.find(f"{ns}title").text and svg.find(f"{ns}desc").text
    assert "<figcaption" in html and "<table" in html and "<caption>" in html


def test_unknown_chart_is_404(client, db):
    assert client.get("/insights/pie").status_code == 404


def test_report_page_and_its_downloads(client, catalogue):
    html = client.get("/insights/report").content.decode()
    assert "Where are we now" in html and "Mondragon" in html
    data = json.loads(client.get("/insights/report?format=json").content)
    assert data["totals"]["cases"] == Case.objects.filter(archived=False).count()
    standalone = client.get("/insights/report?format=html")
    assert standalone.content.decode().startswith("<!doctype html>")
    text = client.get("/insights/report?format=text")
    assert text["Content-Type"].startswith("text/plain")


def test_an_edit_refreshes_the_cached_figures(client, catalogue):
    assert "10</strong> cases" in client.get("/insights").content.decode()
    make_case(slug="fresh", name="Fresh Case")
    assert "11</strong> cases" in client.get("/insights").content.decode()


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
    assert len(small) == len(large) == 10
    assert len(warm) == 1  # only the catalogue state for the cache key


def test_the_map_figure_is_ready_for_other_pages(catalogue):
    from peerladder.web.insights_pages import ladder_map_figure

    figure = ladder_map_figure()
    assert figure["name"] == "ladder" and figure["svg"].startswith("<svg")
    assert "/schema/vega/v" in figure["vega"]["$schema"]
    assert ladder_map_figure() == figure  # served from the cache the second time
