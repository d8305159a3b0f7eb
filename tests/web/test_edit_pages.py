"""Editing pages: new case, edit with conflicts, placements, sources, relations, history,
diff, revert, recent changes and the review queue."""

from __future__ import annotations

import pytest

from peerladder.accounts.models import Role
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, PendingEdit, Placement, Revision
from tests.factories import IKEA_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client):
    user = UserFactory(username="writer")
    client.force_login(user)
    return user


def _answers(answers):
    return {f"answer_{field}": value for field, value in answers.items()}


NEW_CASE = {
    "slug": "open-atlas",
    "name": "Open Atlas",
    "summary": "A map made by its users.",
    "countries": "de, FR",
    "sector": "knowledge",
    "org_form": "nonprofit",
    "founded": "2004",
    "tags": "maps, commons",
    "source_url": "https://atlas.example/",
    "source_title": "Open Atlas",
    "valid_from": "2004",
    "rationale": "Peers make it for use.",
    **_answers(WIKIPEDIA_ANSWERS),
}


def _edit_form(case, **changes):
    data = {
        "slug": case.slug,
        "name": case.name,
        "summary": case.summary,
        "sector": case.sector,
        "org_form": case.org_form,
        "base_revision": case.revision_number,
    }
    data.update(changes)
    return data


def test_new_case_page_creates_the_case_with_source_and_placement(client, writer):
    assert client.get("/cases/new").status_code == 200
    response = client.post("/cases/new", NEW_CASE)
    assert response.status_code == 302, response.content
    case = Case.objects.get(slug="open-atlas")
    assert [row.code for row in case.country_rows.all()] == ["DE", "FR"]
    assert case.tags == ["maps", "commons"] and case.founded == 2004
    assert case.placements.get().author == writer
    assert case.revisions.get().author == writer


def test_new_case_shows_likely_duplicates_before_saving(client, writer):
    make_case(slug="open-atlas-project", name="Open Atlas", website="https://atlas.example/")
    response = client.post("/cases/new", {**NEW_CASE, "website": "https://atlas.example/"})
    assert response.status_code == 200
    assert response.context["duplicates"]
    assert not Case.objects.filter(slug="open-atlas").exists()
    # Beside the duplicates, a rung hint from what the form says so far (never stored).
    assert response.context["hints"]
    assert sum(hint["percent"] for hint in response.context["hints"]) <= 100
    confirmed = client.post(
        "/cases/new", {**NEW_CASE, "website": "https://atlas.example/", "confirmed": "True"}
    )
    assert confirmed.status_code == 302
    assert Case.objects.filter(slug="open-atlas").exists()


def test_bad_input_rerenders_the_form_naming_the_fields(client, writer):
    response = client.post(
        "/cases/new", {**NEW_CASE, "slug": "Bad Slug", "founded": "3000", "valid_from": "soon"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"slug", "founded", "valid_from"} <= set(errors)
    assert b"Bad Slug" in response.content  # what was typed is kept
    assert not Case.objects.exists()


def test_edit_saves_from_the_current_revision(client, writer):
    case = make_case(slug="edited", name="Old")
    page = client.get("/cases/edited/edit")
    assert b'name="base_revision" value="1"' in page.content
    response = client.post("/cases/edited/edit", _edit_form(case, name="New", comment="Rename"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.name, case.revision_number) == ("New", 2)
    assert Revision.objects.get(case=case, number=2).summary == "Rename"


def test_a_stale_edit_shows_both_versions_to_merge(client, writer):
    case = make_case(slug="raced", name="Start")
    stale = _edit_form(case, name="Mine")
    services.case_update(
        case=case, author=UserFactory(), changes={"name": "Theirs"}, base_revision=1
    )
    response = client.post("/cases/raced/edit", stale)
    assert response.status_code == 409
    assert b"Mine" in response.content and b"Theirs" in response.content
    assert b'name="base_revision" value="2"' in response.content
    case.refresh_from_db()
    assert case.name == "Theirs"
    # Saving the merged form now lands.
    merged = client.post("/cases/raced/edit", {**stale, "base_revision": 2, "name": "Merged"})
    assert merged.status_code == 302
    case.refresh_from_db()
    assert case.name == "Merged"


def test_placement_page_adds_a_placement_with_an_existing_or_new_source(client, writer):
    case = make_case(slug="placed")
    page = client.get("/cases/placed/placements/new")
    assert page.status_code == 200 and b'type="radio"' in page.content
    response = client.post(
        "/cases/placed/placements/new",
        {
            **_answers({**IKEA_ANSWERS, "value": "use"}),  # "value" is not asked here: dropped
            "valid_from": "2010",
            "rationale": "A firm directs it.",
            "new_source_url": "https://news.example/a",
            "new_source_title": "A report",
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    placement = case.placements.get(author=writer)
    assert placement.answers == IKEA_ANSWERS
    assert [s.url for s in placement.sources.all()] == ["https://news.example/a"]


def test_retract_own_placement_but_not_anothers(client, writer):
    mine = make_case(author=writer, slug="mine")
    other = make_case(slug="other")
    own = mine.placements.get()
    assert client.post(f"/cases/mine/placements/{own.pk}/retract").status_code == 302
    own.refresh_from_db()
    assert own.retracted_at is not None
    theirs = other.placements.get()
    assert client.post(f"/cases/other/placements/{theirs.pk}/retract").status_code == 403
    assert Placement.objects.get(pk=theirs.pk).retracted_at is None


def test_add_source_and_relation(client, writer):
    make_case(slug="first")
    make_case(slug="second")
    response = client.post("/cases/first/sources/new", {"url": "https://b.example/", "title": "B"})
    assert response.status_code == 302
    response = client.post("/cases/first/relations/new", {"type": "fork_of", "target": "second"})
    assert response.status_code == 302
    missing = client.post("/cases/first/relations/new", {"type": "fork_of", "target": "nowhere"})
    assert missing.status_code == 400
    assert "target" in missing.context["form"].errors
    assert Case.objects.get(slug="first").revision_number == 3


def test_history_diff_and_revert(client, writer):
    case = make_case(slug="story", name="One")
    services.case_update(case=case, author=writer, changes={"name": "Two"}, base_revision=1)
    history = client.get("/cases/story/history")
    assert history.status_code == 200
    assert [r.number for r in history.context["revisions"]] == [2, 1]
    diff = client.get("/cases/story/diff?from=1&to=2")
    assert diff.status_code == 200
    assert b"One" in diff.content and b"Two" in diff.content
    assert client.get("/cases/story/diff?from=1&to=9").status_code == 404
    assert client.get("/cases/story/diff?from=x").status_code == 400
    response = client.post("/cases/story/revert", {"revision": 1, "base": 2})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.name, case.revision_number) == ("One", 3)
    stale = client.post("/cases/story/revert", {"revision": 2, "base": 2})
    assert stale.status_code == 302
    case.refresh_from_db()
    assert case.revision_number == 3


def test_recent_changes_page_and_atom_feed(client):
    make_case(slug="fresh", name="Fresh <Case>")
    page = client.get("/changes")
    assert page.status_code == 200 and b"Fresh &lt;Case&gt;" in page.content
    feed = client.get("/changes.atom")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert b"<feed" in feed.content and b"Fresh &lt;Case&gt;" in feed.content


def test_new_accounts_edits_wait_in_the_review_queue(client, settings):
    settings.REVIEW_FIRST_EDITS = 3
    client.post(
        "/accounts/signup/",
        {"username": "newbie", "password1": "a-long-pass-77", "password2": "a-long-pass-77"},
    )
    case = make_case(slug="reviewed", name="Before")
    response = client.post("/cases/reviewed/edit", _edit_form(case, name="After"))
    assert response.status_code == 202
    case.refresh_from_db()
    assert case.name == "Before"
    edit = PendingEdit.objects.get()
    # Visible to its author and to moderators, not to others.
    assert client.get("/cases/reviewed/history").context["pending"].count() == 1
    client.logout()
    assert client.get("/cases/reviewed/history").context["pending"].count() == 0
    assert client.get("/moderation/review").status_code == 302
    client.force_login(UserFactory(username="mod", role=Role.MODERATOR))
    queue = client.get("/moderation/review")
    assert queue.status_code == 200 and b"After" in queue.content
    assert client.post(f"/moderation/review/{edit.pk}/approve").status_code == 302
    case.refresh_from_db()
    assert case.name == "After"


def test_edits_per_minute_are_limited_with_retry_after(client, writer, settings):
    settings.RATE_LIMIT_EDITS_NEW_ACCOUNT = (2, 60)
    make_case(slug="busy")
    for number in range(2):
        response = client.post(
            "/cases/busy/sources/new", {"url": f"https://s.example/{number}", "title": "S"}
        )
        assert response.status_code == 302
    response = client.post("/cases/busy/sources/new", {"url": "https://s.example/9", "title": "S"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 61


def test_rating_from_the_history_page(client, writer):
    case = make_case(slug="rated")
    assert client.post("/cases/rated/rating", {"stars": "4"}).status_code == 302
    assert client.post("/cases/rated/rating", {"stars": "9"}).status_code == 302
    case.refresh_from_db()
    assert (case.rating_count, case.rating_average) == (1, 4.0)
    assert client.get("/cases/rated/history").context["your_rating"] == 4


def test_writes_need_the_csrf_token(writer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post("/cases/new", NEW_CASE).status_code == 403
    assert not Case.objects.exists()


def test_history_and_changes_pages_have_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    author = UserFactory(username="busy")
    for number in range(6):
        make_case(author=author, slug=f"many-{number}")
    case = Case.objects.get(slug="many-0")
    for number in range(5):
        services.case_update(
            case=case, author=author, changes={"name": f"N{number}"}, base_revision=number + 1
        )
    for path in ["/changes", "/changes.atom", "/cases/many-0/history", "/accounts/busy"]:
        with django_assert_max_num_queries(8):
            assert client.get(path).status_code == 200, path
