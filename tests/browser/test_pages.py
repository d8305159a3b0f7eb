"""Every page type in Chromium at 390 and 1280 px: no sideways scroll, no console error,
nothing loaded from another host, error pages in the layout with their status, chart
text of at least 11 px, and no serious or critical axe-core violation.

The pages come from the site's URL patterns (every page the web app routes), with
sample values for their parameters, plus the states a pattern alone does not show
(filters, a search, a diff, each error). A page added later is checked without
being listed here.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Error as PlaywrightError

from peerladder.accounts.services import token_create
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, PendingEdit
from peerladder.web import views
from peerladder.web.insights_pages import CHART_PAGES
from tests.factories import WIKIPEDIA_ANSWERS, UserFactory, make_case
from tests.insights.conftest import build_catalogue

pytestmark = [pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
ERROR_STATUSES = {400, 403, 404, 405, 414, 429, 500}
# Django's own admin has its own look; the API is JSON (its docs page is listed below).
SKIPPED_PREFIXES = ("admin/", "api/")


@dataclass(frozen=True)
class Visit:
    path: str
    status: int | None = None  # the status expected, when it is an error


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, route)
        else:
            found.append((route, entry))
    return found


def _sample(name: str, converter: str, pattern: URLPattern, world: dict[str, Any]) -> list[str]:
    """The values to try for one parameter of a route."""
    if name == "slug":
        return [world["slug"]]
    if name == "number":
        return ["4"]
    if name == "name" and pattern.name == "insights-chart":
        return list(CHART_PAGES)
    if name == "name":
        return ["open-data"]
    return [str(world[name])]


# Routed, but not pages: a chart's narrow layout is an SVG document that the insights
# pages' script fetches on a narrow screen (tests/browser/test_insights.py loads it).
NOT_PAGES = ("insights-narrow",)


def routed_pages(world: dict[str, Any]) -> list[Visit]:
    """A visit to every routed page, with sample values for its parameters."""
    visits = []
    for route, pattern in _routes(get_resolver().url_patterns):
        if pattern.name in NOT_PAGES:
            continue
        paths = [route]
        for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
            converter, name = match.group(1) or "str", match.group(2)
            paths = [
                path.replace(match.group(0), value)
                for path in paths
                for value in _sample(name, converter, pattern, world)
            ]
        visits += [Visit("/" + path) for path in paths]
    return visits


# Routes that send a file as an attachment: a browser downloads them, shows nothing.
DOWNLOADS = ("/insights/poster.",)

STATES = [
    Visit("/cases/equitable"),  # the longest rung name, in badges on a phone
    Visit("/cases/mondragon"),
    Visit("/cases?rung=8&rung=10&economy=commons&economy=none"),
    Visit("/cases?q=wiki"),
    Visit("/cases?q=zeppelin&contested=yes"),
    Visit("/search?q=linux"),
    Visit("/cases/linux/diff?from=1&to=2"),
    Visit("/api/docs"),
    Visit("/cases/no-such-case", 404),
    Visit("/ladder/99", 404),
    Visit("/insights/nosuch", 404),
    Visit("/cases/linux?revision=99", 404),
    Visit("/cases/linux/rating", 405),
    Visit("/cases?q=" + "x" * 6000, 414),
]


@pytest.fixture
def world(live_server, settings) -> dict[str, Any]:
    """A small catalogue, a moderator's session, and ids for every parameter."""
    build_catalogue()
    make_case(
        slug="equitable",
        name="An Equitable Platform Cooperative With A Long Name",
        answers={**WIKIPEDIA_ANSWERS, "monetization": "equitable"},
    )
    moderator = UserFactory(username="moderator", role="moderator")
    newcomer = UserFactory(username="newcomer")
    newcomer.review_edits_left = 3
    newcomer.save()
    linux = Case.objects.get(slug="linux")
    services.case_update(
        case=linux,
        author=moderator,
        changes={"summary": "A free operating system kernel, written together."},
        base_revision=linux.revision_number,
    )
    with contextlib.suppress(services.HeldForReview):  # held: a pending edit to review
        services.case_update(
            case=linux, author=newcomer, changes={"name": "Linux kernel"}, base_revision=2
        )
    token, _ = token_create(user=moderator, name="browser")
    client = Client()
    client.force_login(moderator)
    return {
        "slug": "linux",
        "username": moderator.username,
        "edit_id": PendingEdit.objects.get(author=newcomer).pk,
        "placement_id": linux.placements.first().pk,
        "token_id": token.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(moderator.pk)),
        "token": default_token_generator.make_token(moderator),
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "host": urlsplit(live_server.url).hostname,
        "language": "es",  # a language case text is translated into
    }


def open_context(browser, live_server, world, width: int, *, logged_in: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 800})
    if logged_in:
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": world["session"],
                    "url": live_server.url,
                }
            ]
        )
    return context


CHECK_LAYOUT = """() => ({
  scroll: document.documentElement.scrollWidth,
  width: document.documentElement.clientWidth,
  nav: !!document.querySelector('nav[aria-label="Main"]'),
  search: !!document.querySelector('[role="search"] input[name="q"]'),
  status: document.querySelector('.error-status')?.textContent || '',
  home: !!document.querySelector('.error-ways a[href="/"]'),
})"""


def visit(page, live_server, world, target: Visit) -> list[str]:
    """Open one page; the problems found on it."""
    problems: list[str] = []
    console: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda message: console.append(message) if message.type == "error" else None)
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https")
            and urlsplit(request.url).hostname != world["host"]
            else None
        ),
    )
    label = f"{target.path[:80]}"
    try:
        response = page.goto(live_server.url + target.path)
    except PlaywrightError as error:
        if "Download is starting" not in str(error):
            raise
        # A file sent as an attachment (the poster): the browser downloads it instead
        # of showing it; its status and headers are what there is to check.
        download = page.request.get(live_server.url + target.path)
        if download.status != 200 or "attachment" not in download.headers.get(
            "content-disposition", ""
        ):
            problems.append(f"{label}: download answered {download.status}")
        return problems
    page.wait_for_load_state("networkidle")
    status = response.status if response else 0
    content_type = (response.headers.get("content-type", "") if response else "").split(";")[0]
    if target.status is not None and status != target.status:
        problems.append(f"{label}: status {status}, expected {target.status}")
    if target.status is None and status >= 400 and status != 405:
        problems.append(f"{label}: status {status}")
    if content_type == "text/html":
        layout = page.evaluate(CHECK_LAYOUT)
        if layout["scroll"] > layout["width"]:
            problems.append(f"{label}: {layout['scroll']} px wide in {layout['width']} px")
        if status in ERROR_STATUSES:
            if not (layout["nav"] and layout["search"] and layout["home"]):
                problems.append(f"{label}: error page {status} is not in the site's layout")
            if f"Error {status}" not in layout["status"]:
                problems.append(f"{label}: error page says {layout['status']!r}, not {status}")
    for message in console:
        # The browser reports the error status of the page itself; that is expected.
        own = message.location.get("url", "") == response.url if response else False
        if not (own and status >= 400 and "Failed to load resource" in message.text):
            problems.append(f"{label}: console error {message.text[:200]}")
    problems += [f"{label}: loaded {url[:120]} from another host" for url in foreign]
    return problems


def pages(world: dict[str, Any]) -> list[Visit]:
    seen: set[str] = set()
    unique = []
    for target in [*routed_pages(world), *STATES]:
        if target.path not in seen:
            seen.add(target.path)
            unique.append(target)
    return unique


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_loads_only_the_site_and_logs_no_error(browser, live_server, world, width):
    context = open_context(browser, live_server, world, width)
    problems = []
    visited = pages(world)
    try:
        for target in visited:
            page = context.new_page()
            problems += visit(page, live_server, world, target)
            page.close()
    finally:
        context.close()
    assert len(visited) > 40
    assert not problems, "\n".join(problems)


def _error_page_problems(page, status: int, label: str) -> list[str]:
    layout = page.evaluate(CHECK_LAYOUT)
    problems = []
    if not (layout["nav"] and layout["search"] and layout["home"]):
        problems.append(f"{label}: not in the site's layout")
    if f"Error {status}" not in layout["status"]:
        problems.append(f"{label}: says {layout['status']!r}")
    if layout["scroll"] > layout["width"]:
        problems.append(f"{label}: {layout['scroll']} px wide in {layout['width']} px")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_the_error_pages_a_visit_cannot_reach_by_address(
    browser, live_server, world, width, settings, monkeypatch
):
    """403 (a refused page, and a form without its security token), 429 and 500."""
    problems = []
    context = open_context(browser, live_server, world, width, logged_in=False)
    page = context.new_page()
    try:
        # 403: a page only moderators may open, as someone else.
        client = Client()
        client.force_login(UserFactory(username="visitor"))
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        response = page.goto(live_server.url + "/moderation/review")
        problems += [f"403 refused: status {response.status}"] * (response.status != 403)
        problems += _error_page_problems(page, 403, "403 refused")
        context.clear_cookies()

        # 403: a form sent without the CSRF token.
        page.goto(live_server.url + "/status")
        with page.expect_navigation() as navigation:
            page.evaluate(
                """() => { const form = document.createElement('form');
                form.method = 'post'; form.action = '/accounts/login/';
                document.body.append(form); form.submit(); }"""
            )
        status = navigation.value.status
        problems += [f"403 CSRF: status {status}"] * (status != 403)
        problems += _error_page_problems(page, 403, "403 CSRF")

        # 429: the login limit.
        settings.RATE_LIMIT_LOGIN = (1, 300)
        for _ in range(2):
            page.goto(live_server.url + "/accounts/login/")
            page.fill("#id_username", "someone")
            page.fill("#id_password", "wrong password")
            with page.expect_navigation() as navigation:
                page.get_by_role("button", name="Log in").click()
        status = navigation.value.status
        problems += [f"429: status {status}"] * (status != 429)
        problems += _error_page_problems(page, 429, "429")

        # 500: a fault while building a page.
        def broken() -> dict:
            raise RuntimeError("broken on purpose")

        monkeypatch.setattr(views, "site_status", broken)
        response = page.goto(live_server.url + "/status")
        problems += [f"500: status {response.status}"] * (response.status != 500)
        problems += _error_page_problems(page, 500, "500")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


CHART_TEXT = """() => {
  const sizes = [];
  for (const text of document.querySelectorAll('figure.chart svg text')) {
    if (!text.getClientRects().length || !text.textContent.trim()) continue;
    const ctm = text.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    sizes.push({size, text: text.textContent.trim().slice(0, 40)});
  }
  sizes.sort((a, b) => a.size - b.size);
  return sizes;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_at_least_11_px(browser, live_server, world, width):
    context = open_context(browser, live_server, world, width)
    problems = []
    try:
        page = context.new_page()
        for path in ["/", "/insights", *(f"/insights/{name}" for name in CHART_PAGES)]:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            # The server's SVG; a chart drawn twice (narrow and wide) shows one of the
            # two. Only visible text is measured.
            page.wait_for_selector("figure.chart svg text >> visible=true")
            sizes = page.evaluate(CHART_TEXT)
            assert sizes, f"{path}: no chart text found"
            small = [entry for entry in sizes if entry["size"] < 11]
            if small:
                problems.append(
                    f"{path}: {len(small)} of {len(sizes)} chart labels under 11 px, the "
                    f"smallest {small[0]['size']:.1f} px ({small[0]['text']!r})"
                )
    finally:
        context.close()
    assert not problems, "\n".join(problems)


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_or_critical_accessibility_violation(browser, live_server, world, width):
    context = open_context(browser, live_server, world, width)
    problems = []
    try:
        for target in pages(world):
            if target.path.startswith(DOWNLOADS):
                continue  # a file, not a page (checked by the test above)
            page = context.new_page()
            response = page.goto(live_server.url + target.path)
            content_type = response.headers.get("content-type", "") if response else ""
            if content_type.startswith("text/html"):
                page.wait_for_load_state("networkidle")
                page.evaluate(AXE)
                for violation in page.evaluate(AXE_RUN):
                    problems.append(
                        f"{target.path[:60]}: {violation['impact']} {violation['id']} "
                        f"({violation['help']}) at {violation['nodes']}"
                    )
            page.close()
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_api_docs_work_offline_and_pass_axe(browser, live_server, world):
    """Swagger UI from the site's own files: it renders without any other host."""
    context = open_context(browser, live_server, world, 1280)
    try:
        page = context.new_page()
        problems = visit(page, live_server, world, Visit("/api/docs"))
        page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
