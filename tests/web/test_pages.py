"""The base layout and the health check."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_has_the_main_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for label, href in [
        ("Ladder", "/ladder"),
        ("Cases", "/cases"),
        ("Insights", "/insights"),
        ("API docs", "/api/docs"),
    ]:
        assert f'href="{href}"' in html
        assert label in html
    # Every page has a search box in its header, searching the cases.
    assert '<form class="site-search" method="get" action="/cases" role="search"' in html
    assert "<script" not in html.split("</main>")[0].split("<main")[0]


def test_pages_link_only_local_static_files(client):
    html = client.get("/").content.decode()
    # The only absolute addresses in the head are the page's own language alternates
    # (hreflang wants them absolute), on this site.
    head = html.split("<body")[0].replace('href="http://testserver/', 'href="/')
    assert "http://" not in head
    assert "https://" not in head


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["vendor"] in {"sqlite", "postgresql"}


def test_home_page_shows_the_ladder_map_with_its_text_alternative(client):
    html = client.get("/").content.decode()
    assert "<svg" in html
    assert "<figcaption" in html
    assert "The data behind this chart" in html
