"""The language switcher in Chromium: on each page type, choosing a language opens the
same page in it (its prefix, its <html lang>, its words), remembers the choice (a bare
address then opens in it), and choosing English goes back to the bare address.

Set PEERLADDER_SCREENSHOTS to a folder to keep pictures of the open switcher at 390
and 1280 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from peerladder.catalogue import services
from peerladder.catalogue.models import Case
from tests.factories import UserFactory
from tests.insights.conftest import build_catalogue

pytestmark = [pytest.mark.django_db(transaction=True)]

# Each page type, and a word of the interface it shows in its main part (its heading,
# or a label), to find in the chosen language.
PAGES = (
    ("/", "Who sets the frame?"),
    ("/cases", "Filters"),
    ("/cases/linux", "Where it stands"),
    ("/cases/linux/history", "Compare the chosen revisions"),
    ("/cases/linux/edit", "Save"),
    ("/ladder", "The ladder of participation"),
    ("/ladder/6", "Download this rung's cases"),
    ("/ladder/classify", "Place a case on the ladder"),
    ("/insights", "More charts"),
    ("/insights/trend", "The data behind this chart"),
    ("/about", "About and method"),
    ("/accounts/editor", "Contributions"),
    ("/cases/no-such-case", "Nothing here"),
)
ANONYMOUS = (("/accounts/login/", "Forgot your password?"),)


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def session(live_server) -> str:
    build_catalogue()
    editor = UserFactory(username="editor")
    linux = Case.objects.get(slug="linux")
    services.case_update(
        case=linux, author=editor, changes={"summary": "A kernel."}, base_revision=1
    )
    client = Client()
    client.force_login(editor)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _context(browser, live_server, session: str | None, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US")
    if session:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    return context


def _choose(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("details.language-switch summary").click()
    with page.expect_navigation():
        page.locator("details.language-switch button", has_text=name).click()


def _switch_on(page, live_server, path: str, word: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "en"
    _choose(page, "Español")
    bare = path if path != "/" else ""
    assert page.url == f"{live_server.url}/es{bare or '/'}", path
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("details.language-switch summary span[lang]").text_content() == "Español"
    assert page.locator("details.language-switch .language-code").inner_text() == "ES"
    spanish = _in("es", word)
    assert spanish != word, f"{word!r} is not translated into Spanish"
    assert spanish in page.locator("main").inner_text(), (path, spanish)
    # Remembered: the bare address now opens in Spanish.
    page.goto(live_server.url + path)
    assert page.url.startswith(f"{live_server.url}/es"), path
    _choose(page, "English")
    assert page.url == live_server.url + path
    assert page.locator("html").get_attribute("lang") == "en"
    assert word in page.locator("main").inner_text()


@pytest.mark.parametrize(("path", "word"), PAGES)
def test_the_switcher_opens_each_page_type_in_the_chosen_language(
    browser, live_server, session, path, word
):
    context = _context(browser, live_server, session)
    try:
        _switch_on(context.new_page(), live_server, path, word)
    finally:
        context.close()


@pytest.mark.parametrize(("path", "word"), ANONYMOUS)
def test_the_switcher_works_for_a_visitor_not_logged_in(browser, live_server, session, path, word):
    context = _context(browser, live_server, None)
    try:
        _switch_on(context.new_page(), live_server, path, word)
    finally:
        context.close()


def test_a_browser_asking_for_german_gets_the_german_site(browser, live_server, session):
    context = browser.new_context(locale="de-DE")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/ladder")
        assert page.url == live_server.url + "/de/ladder"
        assert page.locator("html").get_attribute("lang") == "de"
        heading = page.locator("h1").inner_text()
        assert heading == _in("de", "The ladder of participation") != "The ladder of participation"
        # Choosing English sticks, whatever the browser asks for.
        _choose(page, "English")
        page.goto(live_server.url + "/about")
        assert page.url == live_server.url + "/about"
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_switcher_fits_and_can_be_used_by_keyboard(browser, live_server, session, width):
    context = _context(browser, live_server, session, width)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/cases/linux")
        summary = page.locator("details.language-switch summary")
        summary.focus()
        page.keyboard.press("Enter")
        menu = page.locator("details.language-switch form")
        assert menu.is_visible()
        box = menu.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width
        folder = os.environ.get("PEERLADDER_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"language-switch-{width}.png"))
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # English is current; the next is Español
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == live_server.url + "/es/cases/linux"
        if folder:
            page.locator("details.language-switch summary").click()
            page.screenshot(path=str(Path(folder) / f"language-switch-es-{width}.png"))
    finally:
        context.close()
