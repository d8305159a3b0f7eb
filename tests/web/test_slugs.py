"""Slugs: made from the name when a new case has none, editable later, the old address
redirecting (301 on pages and API reads, 308 on API writes); names sort without regard
to case or accents."""

from __future__ import annotations

import re

import pytest

from peerladder.accounts.services import token_create
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, FormerSlug
from peerladder.catalogue.services.cases import unique_slug
from peerladder.errors import InvalidInput
from tests.factories import UserFactory, make_case
from tests.web.test_edit_pages import NEW_CASE, _edit_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(client):
    user = UserFactory(username="writer")
    user.review_edits_left = 0
    user.save()
    client.force_login(user)
    return user


def rename(case: Case, slug: str) -> Case:
    return services.case_update(
        case=case,
        author=UserFactory(username="renamer"),
        changes={"slug": slug},
        base_revision=case.revision_number,
    )


def test_the_new_case_form_asks_for_the_name_first_and_makes_the_slug(client, writer):
    page = client.get("/cases/new").content.decode()
    fields = re.findall(r'<div class="field[^"]*" id="field-([a-z_]+)"', page)
    assert fields[:2] == ["name", "slug"]
    assert "Made from the name when left empty" in page
    response = client.post("/cases/new", {**NEW_CASE, "slug": "", "name": "Café Común"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/cafe-comun"
    assert Case.objects.get(slug="cafe-comun").name == "Café Común"


def test_the_new_case_form_still_takes_a_slug(client, writer):
    response = client.post("/cases/new", {**NEW_CASE, "slug": "my-own"})
    assert response["Location"] == "/cases/my-own"


def test_summary_is_a_wide_box(client, writer):
    page = client.get("/cases/new").content.decode()
    assert re.search(r'<textarea name="summary" cols="40" rows="3" class="summary"', page)


def test_the_edit_form_changes_the_slug_and_the_old_address_redirects(client, writer):
    case = make_case(slug="old-name", name="Old Name")
    response = client.post("/cases/old-name/edit", _edit_form(case, slug="new-name"))
    assert response.status_code == 302 and response["Location"] == "/cases/new-name"
    assert client.get("/cases/new-name").status_code == 200
    moved = client.get("/cases/old-name")
    assert moved.status_code == 301 and moved["Location"] == "/cases/new-name"
    history = client.get("/cases/old-name/diff?from=1&to=2")
    assert history.status_code == 301
    assert history["Location"] == "/cases/new-name/diff?from=1&to=2"


def test_the_api_follows_a_renamed_case(client):
    case = rename(make_case(slug="before", name="Before"), "after")
    read = client.get("/api/cases/before/revisions")
    assert read.status_code == 301 and read["Location"] == "/api/cases/after/revisions"
    user = UserFactory(username="apiwriter")
    user.review_edits_left = 0
    user.save()
    _, token = token_create(user=user, name="t")
    write = client.patch(
        "/api/cases/before",
        {"name": "X"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IF_MATCH=f'"rev-{case.revision_number}"',
    )
    assert write.status_code == 308 and write["Location"] == "/api/cases/after"


def test_an_unknown_slug_is_still_a_404(client):
    assert client.get("/cases/never-was").status_code == 404
    assert client.get("/api/cases/never-was").status_code == 404


def test_a_former_slug_is_not_given_to_another_case():
    rename(make_case(slug="taken", name="Taken"), "moved")
    assert unique_slug("Taken") == "taken-2"
    with pytest.raises(InvalidInput, match="still leads there"):
        make_case(slug="taken", name="Someone else")


def test_a_case_may_take_back_its_own_former_slug():
    case = rename(make_case(slug="first", name="First"), "second")
    case = rename(case, "first")
    assert case.slug == "first"
    assert list(FormerSlug.objects.values_list("slug", flat=True)) == ["second"]


def test_reverting_a_rename_restores_the_slug_and_keeps_both_addresses(client):
    case = rename(make_case(slug="original", name="Original"), "renamed")
    services.case_revert(case=case, author=UserFactory(username="reverter"), revision=1)
    assert Case.objects.get(pk=case.pk).slug == "original"
    assert client.get("/cases/renamed")["Location"] == "/cases/original"


def test_names_sort_without_regard_to_case_or_accents(client):
    for name in ("Zoo", "foodsharing.de", "Émilie", "Fairbnb", "eBay", "Ørsted"):
        make_case(name=name)
    html = client.get("/cases").content.decode()
    shown = re.findall(r'<h3><a href="/cases/[^"]+">([^<]+)</a></h3>', html)
    assert shown == ["eBay", "Émilie", "Fairbnb", "foodsharing.de", "Ørsted", "Zoo"]
    assert [row["name"] for row in client.get("/api/cases").json()["results"]] == shown
