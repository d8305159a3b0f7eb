"""A refused form in Chromium, in the reader's language: each problem next to its field,
at a phone's width and a desk's."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import WIKIPEDIA_ANSWERS, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Set PEERLADDER_SHOTS to a folder to keep a screenshot of each page looked at.
SHOTS = os.environ.get("PEERLADDER_SHOTS")


@pytest.fixture
def session(live_server) -> str:
    client = Client()
    client.force_login(UserFactory(username="writer"))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    ("language", "founded", "period"),
    [
        (
            "es",
            "«Fundación» debe ser un año entre 1000 y 2200",
            "«Desde» debe ser un año (AAAA) o una fecha (AAAA-MM-DD)",
        ),
        (
            "de",
            "„Gegründet“ muss ein Jahr von 1000 bis 2200 sein",
            "„Von“ muss ein Jahr (JJJJ) oder ein Datum (JJJJ-MM-TT) sein",
        ),
    ],
)
def test_a_refused_new_case_shows_each_problem_in_the_readers_language(
    browser, live_server, session, language, founded, period, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/{language}/cases/new")
    page.fill("#id_slug", "open-atlas")
    page.fill("#id_name", "Open Atlas")
    page.fill("#id_summary", "A map made by its users.")
    page.fill("#id_founded", "3000")
    page.fill("#id_source_url", "https://atlas.example/")
    page.fill("#id_source_title", "Open Atlas")
    for field, value in WIKIPEDIA_ANSWERS.items():
        page.check(f"input[name=answer_{field}][value={value}]")
    page.fill("#id_valid_from", "soon")
    page.fill("#id_rationale", "Peers make it for use.")
    page.locator("form.questionnaire button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    # Each refusal stands by its own field, in the page's language.
    assert page.locator("#id_founded_error").inner_text().strip() == founded
    assert page.locator("#id_valid_from_error").inner_text().strip() == period
    assert "must be a year" not in page.content()
    # Nothing overflows a phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        name = f"{SHOTS}/form-{language}-{width}"
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=f"{name}-top.png")
        for field in ("founded", "valid_from"):
            page.locator(f"#id_{field}").evaluate("e => e.scrollIntoView({block: 'center'})")
            page.screenshot(path=f"{name}-{field}.png")
    context.close()
