"""The history diff marks changed words; the account page lists only waiting edits as
waiting, and reviewed ones apart with their outcome."""

from __future__ import annotations

import re

import pytest

from peerladder.catalogue import services
from peerladder.catalogue.history import word_diff
from peerladder.catalogue.models import PendingEdit
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def test_word_diff_marks_only_the_words_that_changed():
    before, after = word_diff("A free encyclopedia.", "A free online encyclopedia!")
    assert "".join(text for _, text in before) == "A free encyclopedia."
    assert "".join(text for _, text in after) == "A free online encyclopedia!"
    assert [text for kind, text in before if kind == "removed"] == ["."]
    assert [text.strip() for kind, text in after if kind == "added"] == ["online", "!"]


def test_the_diff_page_shows_a_text_fields_change_word_by_word(client):
    case = make_case(slug="wiki", name="Wiki", summary="A free encyclopedia written by volunteers.")
    services.case_update(
        case=case,
        author=UserFactory(username="editor"),
        changes={"summary": "A free online encyclopedia written by many volunteers."},
        base_revision=1,
    )
    html = client.get("/cases/wiki/diff?from=1&to=2").content.decode()
    row = re.search(r"<th scope=\"row\">summary.*?</tr>", html, re.S).group(0)
    assert "<ins> online</ins>" in row and "<ins>many </ins>" in row
    assert "<del>" not in row  # nothing was taken out of the summary
    # Unchanged words are shown plainly on both sides.
    assert row.count("encyclopedia written by") == 2


def test_a_changed_choice_field_is_shown_whole(client):
    case = make_case(slug="wiki", name="Wiki")
    services.case_update(
        case=case,
        author=UserFactory(username="editor"),
        changes={"sector": "media"},
        base_revision=1,
    )
    html = client.get("/cases/wiki/diff?from=1&to=2").content.decode()
    assert "<del>knowledge</del>" in html and "<ins>media</ins>" in html


def test_an_approved_edit_is_not_listed_as_waiting(client):
    case = make_case(slug="wiki", name="Wiki")
    newcomer = UserFactory(username="newcomer")
    newcomer.review_edits_left = 3
    newcomer.save()
    with pytest.raises(services.HeldForReview):
        services.case_update(
            case=case, author=newcomer, changes={"name": "First change"}, base_revision=1
        )
    with pytest.raises(services.HeldForReview):
        services.case_update(
            case=case, author=newcomer, changes={"name": "Still waiting"}, base_revision=1
        )
    moderator = UserFactory(username="mod", role="moderator")
    first = PendingEdit.objects.filter(author=newcomer).order_by("id").first()
    services.pending_approve(edit=first, moderator=moderator)

    client.force_login(newcomer)
    html = client.get("/accounts/newcomer").content.decode()
    waiting = re.search(r'<section aria-labelledby="pending-h">.*?</section>', html, re.S).group(0)
    reviewed = re.search(r'<section aria-labelledby="reviewed-h">.*?</section>', html, re.S).group(
        0
    )
    assert "Approved</span>" not in waiting
    assert len(re.findall(r"<li>", waiting)) == 1
    assert "Approved</span>" in reviewed
