"""A real browser loads the home page from a live server and follows the navigation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_navigation_in_chromium(live_server, page):
    page.goto(live_server.url + "/")
    assert page.title().endswith("peerladder")
    nav = page.get_by_role("navigation", name="Main")
    for label in ["Ladder", "Cases", "Insights", "API docs"]:
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert page.get_by_role("search").get_by_role("searchbox").is_visible()
    page.get_by_role("link", name="API docs").click()
    page.wait_for_load_state()
    assert "/api/docs" in page.url
