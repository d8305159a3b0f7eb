"""The language of the pages: English at the bare addresses, the others under their
prefix; the switcher's cookie, then Accept-Language, decide where a bare address
sends a browser; every page names its language and its alternates."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from peerladder.catalogue.record import EDITABLE_CASE_FIELDS
from peerladder.web.edit_forms import HELP, LABELS
from peerladder.web.language import bcp47, chosen_language, prefixed, unprefixed
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}
COOKIE = settings.LANGUAGE_COOKIE_NAME
OTHERS = [code for code, _name in settings.LANGUAGES if code != "en"]


def test_the_site_offers_six_languages_each_under_its_own_name():
    assert dict(settings.LANGUAGES) == {
        "en": "English",
        "es": "Español",
        "fr": "Français",
        "pt-br": "Português (Brasil)",
        "de": "Deutsch",
        "it": "Italiano",
    }
    assert settings.USE_I18N is True
    middleware = settings.MIDDLEWARE
    assert middleware.index("django.middleware.locale.LocaleMiddleware") == (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    )


def test_addresses_gain_and_lose_their_prefix():
    assert prefixed("/cases/lego", "es") == "/es/cases/lego"
    assert prefixed("/es/cases/lego", "de") == "/de/cases/lego"
    assert prefixed("/pt-br/cases/lego", "en") == "/cases/lego"
    assert prefixed("/", "fr") == "/fr/"
    assert prefixed("/it/", "en") == "/"
    assert unprefixed("/es") == "/"
    # Only a whole first segment is a prefix: /esperanto is not Spanish.
    assert unprefixed("/esperanto") == "/esperanto"
    assert bcp47("pt-br") == "pt-BR" and bcp47("de") == "de"


@pytest.mark.parametrize("code", OTHERS)
def test_each_language_has_its_prefixed_pages(client, code):
    response = client.get(f"/{code}/ladder")
    assert response.status_code == 200
    assert response["Content-Language"] == code
    assert f'<html lang="{code}">' in response.content.decode()


def test_english_stays_at_the_bare_addresses(client):
    response = client.get("/ladder", **BROWSER)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/en/ladder").status_code == 404
    # The answer depends on both headers, so caches keep one copy per combination.
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


def test_accept_language_sends_a_browser_to_its_language(client):
    response = client.get(
        "/cases?q=coop&page=2", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5", **BROWSER
    )
    assert response.status_code == 302
    assert response["Location"] == "/de/cases?q=coop&page=2"
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


def test_a_regional_variant_finds_its_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.8", **BROWSER)
    assert response["Location"] == "/pt-br/"
    response = client.get("/about", HTTP_ACCEPT_LANGUAGE="pt-PT", **BROWSER)
    assert response["Location"] == "/pt-br/about"


def test_an_unsupported_or_english_accept_language_gets_english(client):
    for header in ("ja,zh;q=0.8", "en-GB,en;q=0.9,es;q=0.8", "*"):
        response = client.get("/ladder", HTTP_ACCEPT_LANGUAGE=header, **BROWSER)
        assert response.status_code == 200, header


def test_the_cookie_wins_over_accept_language(client):
    client.cookies[COOKIE] = "it"
    response = client.get("/ladder/6", HTTP_ACCEPT_LANGUAGE="es", **BROWSER)
    assert response["Location"] == "/it/ladder/6"
    client.cookies[COOKIE] = "en"
    response = client.get("/ladder/6", HTTP_ACCEPT_LANGUAGE="es", **BROWSER)
    assert response.status_code == 200


def test_a_bad_cookie_is_ignored(client):
    client.cookies[COOKIE] = "xx-nonsense"
    assert client.get("/ladder", HTTP_ACCEPT_LANGUAGE="fr", **BROWSER)["Location"] == "/fr/ladder"


def test_clients_without_the_headers_get_english(client):
    # A bot or a script: no cookie, no Accept-Language.
    assert client.get("/ladder", **BROWSER).status_code == 200
    # A program asking for anything but HTML is never redirected.
    response = client.get("/ladder", HTTP_ACCEPT="*/*", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200


def test_machine_addresses_and_downloads_are_never_redirected(client):
    make_case(slug="lego", name="Lego")
    client.cookies[COOKIE] = "es"
    for path in (
        "/healthz",
        "/favicon.ico",
        "/api/ladder",
        "/changes.atom",
        "/insights/report?format=json",
        "/search?q=lego",
    ):
        response = client.get(path, **BROWSER)
        assert response.status_code in (200, 301), path
        assert not response.get("Location", "").startswith("/es/"), path
    assert client.get("/es/healthz").status_code == 404
    assert client.get("/es/api/ladder").status_code == 404


def test_a_post_is_never_redirected(client):
    client.cookies[COOKIE] = "es"
    response = client.post("/accounts/login/", {"username": "x", "password": "y"}, **BROWSER)
    assert response.status_code != 302 or not response["Location"].startswith("/es/")


def test_the_switcher_remembers_the_choice_and_opens_the_same_page(client):
    response = client.post("/language", {"language": "fr", "next": "/es/cases?q=wiki"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/cases?q=wiki"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "fr"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    # From then on a bare address opens in French.
    assert client.get("/insights", **BROWSER)["Location"] == "/fr/insights"


def test_choosing_english_stays_on_the_bare_address(client):
    client.cookies[COOKIE] = "de"
    response = client.post("/language", {"language": "en", "next": "/de/ladder/3"})
    assert response["Location"] == "/ladder/3"
    assert response.cookies[COOKIE].value == "en"
    assert client.get("/ladder/3", HTTP_ACCEPT_LANGUAGE="de", **BROWSER).status_code == 200


def test_the_switcher_refuses_an_unknown_language_and_foreign_next(client):
    response = client.post("/language", {"language": "klingon", "next": "/ladder"})
    assert response.status_code == 400
    assert "klingon" in response.content.decode()
    assert COOKIE not in response.cookies
    response = client.post("/language", {"language": "es", "next": "https://evil.example/x"})
    assert response["Location"] == "/es/"
    response = client.post("/language", {"language": "es", "next": "//evil.example/x"})
    assert response["Location"] == "/es/"
    assert client.get("/language").status_code == 405


def test_the_switcher_works_without_a_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/language", {"language": "it", "next": "/"})["Location"] == "/it/"


def test_every_page_offers_the_switcher_with_each_language(client):
    html = client.get("/es/ladder/classify?directed_by=firm").content.decode()
    switcher = re.search(r'<details class="language-switch">.*?</details>', html, re.S).group(0)
    assert 'action="/language"' in switcher and 'method="post"' in switcher
    assert 'name="next" value="/ladder/classify?directed_by=firm"' in switcher
    for code, name in settings.LANGUAGES:
        assert f'value="{code}" lang="{code}"' in switcher
        assert name in switcher
    assert 'value="es" lang="es" aria-current="true"' in switcher
    assert '<span lang="es">Español</span>' in switcher
    assert '<span class="language-code" aria-hidden="true">ES</span>' in switcher


def test_every_page_lists_its_alternates_and_an_x_default(client):
    make_case(slug="lego", name="Lego")
    for path in ("/", "/cases/lego", "/es/cases/lego", "/de/ladder/6", "/pt-br/nothing-here"):
        html = client.get(path).content.decode()
        head = html.split("</head>")[0]
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head))
        bare = "/" + path.split("/", 2)[2] if path.startswith(("/es/", "/de/", "/pt-br/")) else path
        assert links["x-default"] == f"http://testserver{bare}"
        assert links["en"] == f"http://testserver{bare}"
        for code in OTHERS:
            expected = f"/{code}/" if bare == "/" else f"/{code}{bare}"
            assert links[bcp47(code)] == f"http://testserver{expected}", (path, code)


def test_links_keep_the_page_language(client):
    case = make_case(slug="lego", name="Lego")
    html = client.get("/es/cases/lego").content.decode()
    assert 'href="/es/ladder"' in html and 'href="/es/cases"' in html
    assert f'href="/es/ladder/{case.standing_rung}"' in html
    assert 'href="/es/cases/lego/history"' in html
    # The API and its documentation stay at their one address.
    assert 'href="/api/docs"' in html
    assert 'href="/es/api' not in html
    english = client.get("/cases/lego").content.decode()
    assert 'href="/ladder"' in english and "/es/" not in english.split("</head>")[1]


def test_error_pages_take_the_language_of_their_address(client):
    response = client.get("/de/cases/no-such-case")
    assert response.status_code == 404
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()


def test_dates_follow_the_language(client):
    make_case(slug="lego", name="Lego")
    english = client.get("/changes").content.decode()
    german = client.get("/de/changes").content.decode()
    assert re.search(r"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}</td>", english)
    assert re.search(r"<td>\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}</td>", german)


def test_a_redirect_after_a_form_keeps_the_language(client):
    case = make_case(slug="lego", name="Lego")
    client.force_login(UserFactory(username="editor"))
    response = client.post(
        "/es/cases/lego/sources/new",
        {"url": "https://example.org/more", "title": "More about it"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/es{case.get_absolute_url()}"


def test_logging_in_from_a_language_keeps_it(client):
    response = client.get("/es/cases/new")
    assert response.status_code == 302
    assert response["Location"].startswith("/es/accounts/login/?next=/es/cases/new")


def test_every_editable_case_field_has_a_label_and_help_in_the_forms():
    assert set(EDITABLE_CASE_FIELDS) <= set(LABELS)
    assert set(LABELS) == set(HELP)


def test_chosen_language_reads_cookie_then_accept_language(rf):
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert chosen_language(request) == "fr"
    request.COOKIES[COOKIE] = "pt-br"
    assert chosen_language(request) == "pt-br"
    assert chosen_language(rf.get("/")) is None


def test_a_renamed_case_keeps_its_old_address_in_every_language(client):
    from peerladder.catalogue import services

    case = make_case(slug="old-name", name="Lego")
    services.case_update(
        case=case, author=UserFactory(username="renamer"), changes={"slug": "lego"}, base_revision=1
    )
    assert client.get("/es/cases/old-name/history")["Location"] == "/es/cases/lego/history"
    assert client.get("/cases/old-name")["Location"] == "/cases/lego"


def test_the_old_search_address_leads_to_the_case_list_in_its_language(client):
    assert client.get("/de/search?q=wiki")["Location"] == "/de/cases?q=wiki"


def test_decimals_take_the_languages_separator_and_years_none(client):
    from peerladder.catalogue import services

    case = make_case(slug="lego", name="Lego", founded=2001)
    services.rating_set(case=case, user=UserFactory(username="a"), stars=4)
    services.rating_set(case=case, user=UserFactory(username="b"), stars=5)
    assert "4.5" in client.get("/cases/lego").content.decode()
    german = client.get("/de/cases/lego").content.decode()
    assert "4,5" in german and "<dd>2001</dd>" in german


def test_the_search_example_keeps_its_quotes_inside_the_placeholder(client):
    html = client.get("/cases").content.decode()
    assert 'placeholder="e.g. cooperative &quot;open source&quot; -microsoft"' in html
