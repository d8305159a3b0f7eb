"""In Chromium: every chart on the insight pages has a text alternative."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.insights.conftest import build_catalogue

pytestmark = [pytest.mark.django_db(transaction=True)]

CHARTS = ("ladder", "trend", "trajectories", "viability", "agreement")

# For each chart: its accessible name and description as the browser computes them.
CHECK_CHARTS = """
() => [...document.querySelectorAll('figure.chart')].map((figure) => {
  const still = figure.querySelector('.chart-svg:not(.chart-live) svg');
  const live = figure.querySelector('.chart-live[data-ready]');
  const shown = live || still;
  const ids = (shown.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const labelled = ids.map((id) => document.getElementById(id)?.textContent || '').join(' ');
  const caption = document.getElementById(figure.getAttribute('aria-labelledby'));
  return {
    live: !!live,
    role: shown.getAttribute('role'),
    labelled: labelled.trim(),
    title: still.querySelector(':scope > title')?.textContent || '',
    desc: still.querySelector(':scope > desc')?.textContent || '',
    caption: caption ? caption.textContent.trim() : '',
    table: !!figure.querySelector('table caption'),
    width: shown.getBoundingClientRect().width,
  };
})
"""


@pytest.fixture
def catalogue(transactional_db):
    cache.clear()
    build_catalogue()
    yield
    cache.clear()


def assert_accessible(charts: list[dict], *, live: bool) -> None:
    assert charts, "no chart on the page"
    for chart in charts:
        assert chart["live"] is live
        assert chart["role"] == "img"
        assert chart["title"] and chart["desc"]
        assert chart["desc"] in chart["labelled"]
        assert len(chart["caption"]) > 40
        assert chart["table"]
        assert chart["width"] > 100


def load(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("figure.chart .chart-live[data-ready]")


def test_insights_map_has_a_text_alternative(live_server, page, catalogue):
    load(page, live_server.url + "/insights")
    assert_accessible(page.evaluate(CHECK_CHARTS), live=True)
    assert page.get_by_role("img", name="The ladder map").count() == 1


def test_every_chart_page_has_a_text_alternative(live_server, page, catalogue):
    for name in CHARTS:
        load(page, f"{live_server.url}/insights/{name}")
        assert_accessible(page.evaluate(CHECK_CHARTS), live=True)


def test_without_javascript_the_server_svg_stands_in(live_server, browser, catalogue):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/insights")
        assert_accessible(page.evaluate(CHECK_CHARTS), live=False)
        still = page.locator("figure.chart .chart-svg svg").first
        assert still.is_visible()
        assert still.get_attribute("role") == "img"
        link = page.locator('figure.chart svg a[*|href="/cases/wikipedia"]')
        assert link.count() == 1
        assert "Wikipedia" in link.locator("title").text_content()
    finally:
        context.close()


def test_the_live_map_shows_a_tooltip_and_links_to_the_case(live_server, page, catalogue):
    load(page, live_server.url + "/insights")
    mark = page.locator('.chart-live path[aria-label^="Wikipedia:"]').first
    mark.hover(force=True)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart-live, .chart-live *')]"
        ".some((e) => (e.getAttribute('title') || '').includes('Wikipedia'))"
    )
    mark.click(force=True)
    page.wait_for_url("**/cases/wikipedia")
