"""The case page's extras: rating and views by the title, the share box, each
placement's reasoning, the trajectory chart; the questionnaire's answers carried into
the edit forms; the "most viewed" and "highest rated" orders."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from peerladder.catalogue import services
from peerladder.catalogue.models import Case
from peerladder.ladder import classify
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

COSTLY_COMMONS = {**LINUX_ANSWERS, "capital_cost": "low", "coordination_cost": "low"}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def meta(html: str) -> str:
    start = html.index('id="case-meta"')
    return html[start : html.index("</p>", start)]


def test_rating_and_views_stand_next_to_the_title(client, db):
    case = make_case(slug="rated", name="Rated Case")
    for stars in (4, 5):
        services.rating_set(case=case, user=UserFactory(), stars=stars)
    client.get("/cases/rated")
    html = client.get("/cases/rated").content.decode()
    assert html.index("<h1>") < html.index('id="case-meta"') < html.index('class="lead"')
    line = meta(html)
    assert "Rated 4.5 of 5 by 2 readers" in line
    assert "2 views, 2 in the last 30 days" in line


def test_an_unrated_case_says_so(client, db):
    make_case(slug="quiet")
    assert "Not rated yet" in meta(client.get("/cases/quiet").content.decode())


def test_the_share_box_gives_the_permalink_a_copy_button_and_a_mail_link(client, db):
    make_case(slug="shared", name="Shared Case")
    html = client.get("/cases/shared").content.decode()
    box = html[html.index('id="share-h"') :]
    assert 'value="http://testserver/cases/shared" readonly' in box
    assert 'data-copy-target="share-link" hidden' in box  # shown by share.js only
    assert 'href="mailto:?subject=Shared%20Case%20on%20peerladder&amp;body=' in box
    assert "http%3A//testserver/cases/shared" in box
    assert '<script src="/static/web/share.js" defer>' in html
    # No third-party script, widget or tracker anywhere on the page.
    for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
        assert src.startswith("/static/")


def test_each_placement_shows_the_steps_that_gave_its_rung(client, db):
    make_case(slug="steps", answers=COSTLY_COMMONS)
    html = client.get("/cases/steps").content.decode()
    assert "How these answers give rung 8" in html
    for step in classify(COSTLY_COMMONS).explanation:
        assert step.replace("'", "&#x27;") in html
    assert "Peer production of this case is viable" in html and "Jed Harris" in html


def test_a_firm_case_says_whether_its_output_could_be_peer_produced(client, db):
    make_case(
        slug="firm", answers={**IKEA_ANSWERS, "capital_cost": "low", "coordination_cost": "low"}
    )
    html = client.get("/cases/firm").content.decode()
    assert "could be peer-produced" in html
    assert "peer production viable" not in html


def test_the_trajectory_is_a_small_chart_with_its_table(client, db):
    case = make_case(slug="mover", name="Mover", valid_from="2004")
    services.placement_add(
        case=case,
        author=UserFactory(),
        answers=LINUX_ANSWERS,
        valid_from="2012",
        rationale="It moved.",
        sources=["https://example.org/mover"],
    )
    html = client.get("/cases/mover").content.decode()
    section = html[
        html.index('id="trajectory-h"') : html.index("</section>", html.index('id="trajectory-h"'))
    ]
    assert "<svg" in section and 'role="graphics-document"' in section
    assert "<table" in section and "2004–now" in section
    assert "2012–now" in section and "8 · Commons with a business ecology" in section
    widths = [float(w) for w in re.findall(r'<svg[^>]* width="([\d.]+)"', section)]
    assert widths and max(widths) <= 328  # never shrunk under 11 px on a phone


def test_the_api_gives_rating_views_and_each_placements_explanation(client, db):
    case = make_case(slug="api-case", answers=LINUX_ANSWERS)
    services.rating_set(case=case, user=UserFactory(), stars=3)
    client.get("/cases/api-case")
    body = client.get("/api/cases/api-case").json()
    assert body["rating"] == {"average": 3.0, "count": 1}
    assert body["views"] == {"total": 1, "last_30_days": 1}
    assert body["placements"][0]["explanation"] == list(classify(LINUX_ANSWERS).explanation)
    unrated = make_case(slug="unrated")
    assert client.get(f"/api/cases/{unrated.slug}").json()["rating"] == {
        "average": None,
        "count": 0,
    }


def test_lists_sort_by_most_viewed_and_highest_rated(client, db):
    for slug in ("alpha", "beta", "gamma"):
        make_case(slug=slug, name=slug.title())
    for _ in range(3):
        client.get("/cases/gamma")
    client.get("/cases/beta")
    services.rating_set(case=Case.objects.get(slug="alpha"), user=UserFactory(), stars=5)
    services.rating_set(case=Case.objects.get(slug="beta"), user=UserFactory(), stars=2)
    viewed = client.get("/api/cases?sort=views").json()["results"]
    assert [row["slug"] for row in viewed] == ["gamma", "beta", "alpha"]
    rated = client.get("/api/cases?sort=rating").json()["results"]
    assert [row["slug"] for row in rated] == ["alpha", "beta", "gamma"]
    html = client.get("/cases?sort=views").content.decode()
    assert html.index("Gamma") < html.index("Alpha")


def test_the_questionnaire_carries_its_answers_into_add_a_case(client, db):
    answers = {**LINUX_ANSWERS, "capital_cost": "low"}
    result = client.get(f"/ladder/classify?{urlencode(answers)}").content.decode()
    link = re.search(r'id="carry-case" href="([^"]+)"', result).group(1).replace("&amp;", "&")
    assert link.startswith("/cases/new?")
    user = UserFactory(username="placer")
    client.force_login(user)
    form = client.get(link).content.decode()
    for field, value in answers.items():
        assert re.search(rf'name="answer_{field}" value="{value}"[^>]*checked', form), field
    # Questions the questionnaire did not answer stay for the person to fill in.
    assert re.search(r'name="answer_coordination_cost" value=""[^>]*checked', form)


def test_the_questionnaire_opened_from_a_case_offers_its_placement_form(client, db):
    make_case(slug="to-place", name="To Place")
    start = client.get("/cases/to-place").content.decode()
    assert 'href="/ladder/classify?case=to-place"' in start
    query = urlencode({"case": "to-place", **LINUX_ANSWERS})
    result = client.get(f"/ladder/classify?{query}").content.decode()
    assert 'name="case" value="to-place"' in result
    link = re.search(r'id="carry-placement" href="([^"]+)"', result).group(1).replace("&amp;", "&")
    assert link.startswith("/cases/to-place/placements/new?") and "case=" not in link
    client.force_login(UserFactory(username="placer-2"))
    form = client.get(link).content.decode()
    for field, value in LINUX_ANSWERS.items():
        assert re.search(rf'name="answer_{field}" value="{value}"[^>]*checked', form), field
