"""Stored XSS: script typed into every free-text field is shown as text and never runs."""

from __future__ import annotations

import pytest

from peerladder.accounts.models import Role
from peerladder.accounts.services import token_create
from peerladder.catalogue import services
from peerladder.catalogue.services import HeldForReview
from tests.factories import WIKIPEDIA_ANSWERS, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>alert('script')</script>"
IMAGE = "<img src=x onerror=\"alert('image')\">"
PAYLOAD = f"\"'>{SCRIPT}{IMAGE}"


def _stored_everywhere() -> tuple[str, str]:
    moderator = UserFactory(username="xss-mod", role=Role.MODERATOR)
    moderator.set_password("a-long-xss-password")
    moderator.save()
    case = services.case_create(
        author=moderator,
        fields={
            "slug": "xss-case",
            "name": f"Name {PAYLOAD}",
            "summary": f"Summary {PAYLOAD}",
            "description": f"Description {PAYLOAD}\n\n[link](javascript:alert('md'))",
            "tags": [SCRIPT],
            "sector": "other",
            "org_form": "other",
        },
        sources=[
            {
                "url": "https://xss.example/",
                "title": f"Source {PAYLOAD}",
                "publisher": f"Publisher {PAYLOAD}",
            }
        ],
        placements=[
            {
                "answers": WIKIPEDIA_ANSWERS,
                "valid_from": "2001",
                "rationale": f"Rationale {PAYLOAD}",
                "sources": ["https://xss.example/"],
            }
        ],
        summary=f"Comment {PAYLOAD}",
    )
    services.case_update(
        case=case,
        author=moderator,
        changes={"name": f"Renamed {PAYLOAD}"},
        base_revision=1,
        summary=f"Edit {PAYLOAD}",
    )
    token_create(user=moderator, name=f"Token {PAYLOAD}")
    newcomer = UserFactory(username="xss-new")
    newcomer.review_edits_left = 3
    newcomer.save()
    with pytest.raises(HeldForReview):
        services.case_update(
            case=case,
            author=newcomer,
            changes={"summary": f"Held {PAYLOAD}"},
            base_revision=2,
            summary=f"Held edit {PAYLOAD}",
        )
    return "xss-mod", "a-long-xss-password"


def test_script_in_every_free_text_field_is_shown_as_text(live_server, page):
    username, password = _stored_everywhere()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_load_state()

    for path in [
        "/cases/xss-case",
        "/cases/xss-case/history",
        "/cases/xss-case/diff?from=0&to=2",
        "/cases/xss-case/diff?from=1&to=2",
        "/cases/xss-case/edit",
        "/cases/xss-case/placements/new",
        "/cases",
        "/changes",
        "/accounts/xss-mod",
        "/accounts/xss-new",
        "/moderation/review",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)
        body = page.inner_text("body")
        assert SCRIPT in body or path in {"/cases/xss-case/placements/new"}, path
        assert page.locator("script:has-text(\"alert('script')\")").count() == 0, path
        assert page.locator("img[onerror]").count() == 0, path

    # Links and forms hold the payload as values, not markup.
    page.goto(live_server.url + "/cases/xss-case/edit")
    assert page.input_value("#id_name") == f"Renamed {PAYLOAD}"
    assert dialogs == []
