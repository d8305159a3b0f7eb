"""In Chromium: the insight charts at phone and desktop widths, their tooltips on hover,
focus and tap, marks reachable by keyboard, and disagreement that stays visible."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from tests.factories import LINUX_ANSWERS
from tests.insights.conftest import build_catalogue, place

pytestmark = [pytest.mark.django_db(transaction=True)]

CHARTS = ("ladder", "trend", "trajectories", "viability", "agreement")
PHONE, DESKTOP = 390, 1280

# The chart layout on show, what it is called, and the smallest text as drawn on screen.
CHECK_CHARTS = """
() => [...document.querySelectorAll('figure.chart')].map((figure) => {
  const shown = [...figure.querySelectorAll('.chart-svg')].filter((b) => b.offsetParent !== null);
  const svg = shown.length ? shown[0].querySelector('svg') : null;
  const ids = svg ? (svg.getAttribute('aria-labelledby') || '').split(/\\s+/) : [];
  const labelled = ids.map((id) => document.getElementById(id)?.textContent || '').join(' ');
  const scale = svg ? svg.getBoundingClientRect().width / parseFloat(svg.getAttribute('width')) : 0;
  const sizes = svg ? [...svg.querySelectorAll('text')].map(
    (t) => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale) : [];
  return {
    shown: shown.length,
    layout: shown.length ? (shown[0].classList.contains('chart-narrow') ? 'narrow' : 'wide') : '',
    role: svg ? svg.getAttribute('role') : null,
    labelled: labelled.trim(),
    caption: document.getElementById(figure.getAttribute('aria-labelledby'))?.textContent || '',
    table: !!figure.querySelector('table caption'),
    smallest: Math.min(...sizes),
    width: svg ? svg.getBoundingClientRect().width : 0,
  };
})
"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
TOOLTIP = (
    "() => { const t = document.querySelector('.chart-tooltip');"
    " return t && !t.hidden ? t.querySelector('span').textContent : ''; }"
)


@pytest.fixture
def catalogue(transactional_db):
    cache.clear()
    build_catalogue()
    yield
    cache.clear()


@pytest.fixture
def at_width(browser):
    contexts = []

    def open_page(width: int, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_chart_fits_the_screen_with_labels_of_11px_or_more(
    live_server, catalogue, at_width, width
):
    page = at_width(width)
    for name in CHARTS:
        page.goto(f"{live_server.url}/insights/{name}")
        if width == PHONE:  # the narrow layout is fetched by the page's script
            page.wait_for_selector("figure.chart-narrow-ready .chart-narrow svg")
        (chart,) = page.evaluate(CHECK_CHARTS)
        assert chart["shown"] == 1, name
        assert chart["layout"] == ("narrow" if width == PHONE else "wide"), name
        assert chart["role"] == "graphics-document"
        assert chart["labelled"] and len(chart["caption"]) > 40 and chart["table"]
        assert chart["smallest"] >= 11, f"{name} at {width}px: {chart['smallest']:.1f}px"
        assert page.evaluate(SIDEWAYS) <= 0, f"{name} scrolls sideways at {width}px"


@pytest.mark.parametrize("language", ["es", "pt-br", "fr", "it", "de"])
def test_the_insights_page_fits_a_phone_in_every_language(
    live_server, catalogue, at_width, language
):
    # The sector filter's longest choice ("Software e infraestrutura de internet")
    # once widened the form past a 390 px screen.
    page = at_width(PHONE)
    page.goto(f"{live_server.url}/{language}/insights")
    assert page.evaluate(SIDEWAYS) <= 0, f"/{language}/insights scrolls sideways"
    select = page.locator("form.insights-filters select").bounding_box()
    assert select is not None and select["x"] + select["width"] <= PHONE


def test_on_a_phone_the_map_turns_vertical_with_rungs_as_rows(live_server, catalogue, at_width):
    page = at_width(PHONE)
    page.goto(live_server.url + "/insights")
    page.wait_for_selector("figure.chart-narrow-ready .chart-narrow svg")
    svg = page.locator(".chart-narrow svg")
    box = svg.bounding_box()
    assert box["height"] > 2 * box["width"]  # rungs stacked from top to bottom
    rows = page.locator(".chart-narrow svg text").all_text_contents()
    eleven = next(i for i, t in enumerate(rows) if t.startswith("11 · "))
    one = next(i for i, t in enumerate(rows) if t.startswith("1 · "))
    assert (
        page.locator(".chart-narrow svg text").nth(eleven).bounding_box()["y"]
        < (page.locator(".chart-narrow svg text").nth(one).bounding_box()["y"])
    )
    assert not page.locator(".chart-wide").is_visible()


def test_a_mark_shows_its_tooltip_on_hover_and_links_to_its_case(live_server, catalogue, at_width):
    page = at_width(DESKTOP)
    page.goto(live_server.url + "/insights")
    mark = page.locator('.chart-wide a[*|href="/cases/wikipedia"] .chart-mark')
    mark.hover(force=True)
    page.wait_for_function(TOOLTIP)
    assert page.evaluate(TOOLTIP).startswith("Wikipedia: rung 6")
    mark.click(force=True)
    page.wait_for_url("**/cases/wikipedia")


def test_marks_are_reachable_by_keyboard_and_show_their_tooltip_on_focus(
    live_server, catalogue, at_width
):
    page = at_width(DESKTOP)
    page.goto(live_server.url + "/insights")
    page.locator("form.insights-filters a", has_text="Clear").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('.chart-wide')")
        if inside:
            break
    assert inside, "no mark of the map is in the tab order"
    assert page.evaluate(TOOLTIP)
    # Marks without a link (the agreement bars) are focusable too.
    page.goto(live_server.url + "/insights/agreement")
    bars = page.locator(".chart-wide .chart-mark")
    assert bars.first.get_attribute("tabindex") == "0"
    bars.first.focus()
    page.wait_for_function(TOOLTIP)
    assert "Rung" in page.evaluate(TOOLTIP)
    page.keyboard.press("Escape")
    assert page.evaluate(TOOLTIP) == ""


def test_on_a_touch_screen_the_first_tap_shows_the_tooltip_and_the_second_follows(
    live_server, catalogue, at_width
):
    page = at_width(PHONE, has_touch=True, is_mobile=True)
    page.goto(live_server.url + "/insights")
    mark = page.locator('.chart-narrow a[*|href="/cases/linux"] .chart-mark')
    mark.scroll_into_view_if_needed()
    mark.tap(force=True)
    page.wait_for_function(TOOLTIP)
    assert page.evaluate(TOOLTIP).startswith("Linux: rung 8")
    assert page.url.endswith("/insights")
    mark.tap(force=True)
    page.wait_for_url("**/cases/linux")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_without_javascript_the_server_svg_stands_with_its_links(
    live_server, browser, catalogue, width
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/insights")
        (chart,) = page.evaluate(CHECK_CHARTS)
        # On a phone too: the narrow layout needs the script; the wide one scrolls in its box.
        assert chart["layout"] == "wide" and chart["labelled"]
        assert page.evaluate(SIDEWAYS) <= 0
        link = page.locator('.chart-wide svg a[*|href="/cases/wikipedia"]')
        assert link.count() == 1
        # The mark's label names the link (written once: no <title> copy beside it).
        assert "Wikipedia" in link.locator(".chart-mark").get_attribute("aria-label")
        assert link.locator("title").count() == 0
    finally:
        context.close()


def agreement_row(page, live_server, number: int) -> list[str]:
    page.goto(f"{live_server.url}/insights/agreement")
    row = page.locator(".chart-table tbody tr").nth(number - 1)
    return row.locator("th, td").all_text_contents()


def test_one_extra_placement_makes_a_case_contested_without_losing_it(
    live_server, catalogue, at_width
):
    page = at_width(DESKTOP)
    wikipedia = '.chart-wide a[*|href="/cases/wikipedia"] .chart-mark'
    page.goto(live_server.url + "/insights")
    assert page.locator(wikipedia).count() == 1
    before = {n: agreement_row(page, live_server, n)[3] for n in (6, 8)}

    place("wikipedia", LINUX_ANSWERS)  # one dissenting placement: rung 8 against rung 6

    page.goto(live_server.url + "/insights")
    marks = page.locator(wikipedia)
    assert marks.count() == 2  # still on the map, at both of its rungs
    labels = [marks.nth(i).get_attribute("aria-label") for i in range(2)]
    assert all("contested, 6 vs 8, 1–1" in label for label in labels)
    colours = {marks.nth(i).get_attribute("fill") for i in range(2)}
    assert colours == {"#c0392b"}  # the legend's contested marker
    for number in (6, 8):
        page.goto(f"{live_server.url}/ladder/{number}")
        contested = page.locator(".contested-here")
        assert contested.get_by_role("link", name="Wikipedia").count() == 1
        assert re.search(r"6 vs 8, 1–1", contested.text_content())
    after = {n: agreement_row(page, live_server, n)[3] for n in (6, 8)}
    assert {n: int(after[n]) - int(before[n]) for n in (6, 8)} == {6: 1, 8: 1}
