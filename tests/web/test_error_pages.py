"""Error pages: the site's layout (menu, search box, a way back) with the right status;
the favicon and the human status page."""

from __future__ import annotations

import pytest
from django.test import Client

from peerladder.web import views
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def assert_error_page(response, status: int) -> str:
    """The page is in the site's layout: the menu, the search box, a way home."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<nav aria-label="Main">' in html
    assert 'role="search"' in html and 'action="/cases"' in html
    assert '<meta name="viewport"' in html
    assert f"Error {status}" in html
    assert 'href="/">The home page</a>' in html
    return html


def test_a_missing_case_is_a_404_page_naming_the_slug(client):
    html = assert_error_page(client.get("/cases/does-not-exist"), 404)
    assert "No case has the slug" in html and "does-not-exist" in html


@pytest.mark.parametrize("path", ["/ladder/99", "/insights/nosuch", "/no/such/page"])
def test_unknown_addresses_are_404_pages(client, path):
    assert_error_page(client.get(path), 404)


def test_a_missing_revision_is_a_404_page(client):
    make_case(slug="lego", name="Lego")
    html = assert_error_page(client.get("/cases/lego?revision=99"), 404)
    assert "no revision 99" in html


def test_the_way_back_is_offered_only_to_a_page_of_this_site(client):
    html = assert_error_page(
        client.get("/cases/nope", HTTP_REFERER="http://testserver/ladder?x=1"), 404
    )
    assert 'href="/ladder?x=1"' in html
    html = assert_error_page(
        client.get("/cases/nope", HTTP_REFERER="https://elsewhere.example/"), 404
    )
    assert "elsewhere.example" not in html


def test_a_post_without_csrf_token_gets_the_403_page():
    client = Client(enforce_csrf_checks=True)
    html = assert_error_page(client.post("/accounts/login/", {"username": "a"}), 403)
    assert "security token" in html


def test_a_get_to_a_post_only_address_gets_the_405_page_with_allow(client):
    make_case(slug="lego", name="Lego")
    client.force_login(UserFactory())
    response = client.get("/cases/lego/rating")
    html = assert_error_page(response, 405)
    assert response["Allow"] == "POST"
    assert "It takes POST only." in html


def test_the_api_keeps_its_json_errors(client):
    response = client.get("/api/cases/nope")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_a_long_url_gets_the_sites_414_page(client):
    html = assert_error_page(client.get("/cases?q=" + "x" * 6000), 414)
    assert "6,009 characters long" in html


def test_too_many_logins_get_the_429_page_with_retry_after(client, settings):
    settings.RATE_LIMIT_LOGIN = (1, 300)
    client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    html = assert_error_page(response, 429)
    assert int(response["Retry-After"]) > 0
    assert "Please wait" in html


def test_a_refused_write_gets_the_403_page(client):
    blocked = UserFactory()
    blocked.blocked_at = blocked.date_joined
    blocked.save()
    client.force_login(blocked)
    html = assert_error_page(client.get("/cases/new"), 403)
    assert "blocked" in html


def test_a_fault_gets_the_500_page_in_the_layout(client, monkeypatch):
    def broken() -> dict:
        raise RuntimeError("the secret detail")

    monkeypatch.setattr(views, "site_status", broken)
    client.raise_request_exception = False
    html = assert_error_page(client.get("/status"), 500)
    assert "the secret detail" not in html


def test_a_bad_host_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="bad host!")
    assert_error_page(response, 400)


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]
    assert 'rel="icon" href="/favicon.ico"' in client.get("/").content.decode()


def test_status_page_says_in_words_what_healthz_says_in_json(client):
    response = client.get("/status")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The site is working" in html and 'href="/healthz"' in html
    assert 'href="/status"' in client.get("/").content.decode()


def test_status_page_is_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(
        views,
        "site_status",
        lambda: {
            "status": "degraded",
            "database": "error: OperationalError",
            "vendor": "x",
            "version": "0",
        },
    )
    response = client.get("/status")
    assert response.status_code == 503
    assert "cannot reach its database" in response.content.decode()
