"""In Chromium: the case page's share box, its trajectory chart and its layout on a phone."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import LINUX_ANSWERS
from tests.insights.conftest import build_catalogue, place

pytestmark = [pytest.mark.django_db(transaction=True)]

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


def test_copy_link_puts_the_permanent_link_on_the_clipboard(live_server, browser, catalogue):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(live_server.url + "/cases/wikipedia")
        button = page.get_by_role("button", name="Copy link")
        assert button.is_visible()  # shown by share.js; hidden without it
        button.click()
        page.wait_for_function(
            "() => document.querySelector('[data-copy-status]').textContent === 'Copied.'"
        )
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == live_server.url + "/cases/wikipedia"
        mail = page.get_by_role("link", name="Share by email").get_attribute("href")
        assert mail.startswith("mailto:?subject=Wikipedia%20on%20peerladder")
    finally:
        context.close()


def test_without_javascript_the_link_is_there_and_no_dead_button(live_server, browser, catalogue):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/cases/wikipedia")
        assert page.locator("#share-link").input_value().endswith("/cases/wikipedia")
        assert not page.get_by_role("button", name="Copy link").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_case_page_fits_and_its_trajectory_marks_answer_focus(
    live_server, browser, catalogue, width
):
    place("couchsurfing", LINUX_ANSWERS, valid_from="2011")  # its latest period now contested
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/cases/couchsurfing")
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        meta = page.locator("#case-meta")
        assert "1 view, 1 in the last 30 days" in meta.text_content()
        assert "rated" in meta.text_content().lower()
        assert "Contested: 8 vs 9, 1–1." in page.locator(".case-standing").text_content()
        marks = page.locator(".case-trajectory .chart-mark")
        assert marks.count() >= 3
        crosses = [
            marks.nth(i).get_attribute("aria-label")
            for i in range(marks.count())
            if "contested" in (marks.nth(i).get_attribute("aria-label") or "")
        ]
        assert len(crosses) == 2  # the contested period at each of its rungs
        marks.first.focus()
        page.wait_for_function(TOOLTIP)
        assert "2004" in page.evaluate(TOOLTIP)
        svg = page.locator(".case-trajectory svg")
        scale = svg.bounding_box()["width"] / float(svg.get_attribute("width"))
        assert scale >= 1  # drawn at full size: its 12 px labels stay 12 px
    finally:
        context.close()
