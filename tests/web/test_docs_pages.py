"""The documentation served as pages, linked where the site names it."""

from __future__ import annotations

import re

import pytest

from peerladder.web.docs_pages import docs_dir

pytestmark = pytest.mark.django_db


def test_the_index_lists_every_page_as_a_link(client):
    html = client.get("/docs").content.decode()
    assert "<h1" in html and 'href="/docs/open-data"' in html
    for source in docs_dir().glob("*.md"):
        if source.stem != "index":
            assert f'href="/docs/{source.stem}"' in html, source.stem
            assert client.get(f"/docs/{source.stem}").status_code == 200


def test_a_page_links_to_its_headings_and_to_other_pages(client):
    html = client.get("/docs/open-data").content.decode()
    assert re.search(r'<h2 id="[a-z0-9-]+">', html)
    assert '.md"' not in html  # links between the pages point at pages, not files


def test_a_file_name_redirects_to_its_page_and_an_unknown_page_is_a_404(client):
    response = client.get("/docs/open-data.md")
    assert response.status_code == 301 and response["Location"] == "/docs/open-data"
    assert client.get("/docs/no-such-page").status_code == 404
    assert client.get("/docs/..%2Fsettings").status_code == 404


def test_the_site_links_the_docs_it_names(client):
    html = client.get("/cases").content.decode()
    assert 'href="/docs/open-data"' in html
    assert "docs/open-data.md" not in html
    assert 'href="/docs">Documentation</a>' in client.get("/").content.decode()
