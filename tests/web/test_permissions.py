"""The permission matrix: anonymous, contributor, moderator and admin against every write
page and write endpoint, each either allowed or refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from peerladder.accounts.models import Role
from peerladder.accounts.services import token_create
from peerladder.catalogue import services
from peerladder.catalogue.models import PendingEdit
from peerladder.catalogue.services import HeldForReview
from tests.factories import IKEA_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "contributor", "moderator", "admin")


@pytest.fixture
def world() -> dict[str, Any]:
    owner = UserFactory(username="owner")
    case = make_case(author=owner, slug="target", name="Target")
    make_case(author=owner, slug="other")
    locked = make_case(author=owner, slug="locked")
    services.case_lock(
        case=locked, moderator=UserFactory(username="lockmod", role=Role.MODERATOR), locked=True
    )
    newcomer = UserFactory(username="newcomer")
    newcomer.review_edits_left = 3
    newcomer.save()
    with pytest.raises(HeldForReview):
        services.case_update(case=case, author=newcomer, changes={"name": "Held"}, base_revision=1)
    return {
        "case": case,
        "placement": case.placements.get(),
        "edit": PendingEdit.objects.get(),
        "victim": UserFactory(username="victim"),
    }


def _login(client: Client, role: str) -> dict[str, str]:
    """Log the client in as ``role``; the API headers for the same account."""
    if role == "anonymous":
        return {}
    user = UserFactory(
        username=f"as-{role}",
        role=role,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    client.force_login(user)
    _, token = token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _answers(answers: dict[str, str]) -> dict[str, str]:
    return {f"answer_{field}": value for field, value in answers.items()}


def _edit(case_slug: str) -> Callable[..., Any]:
    def act(client: Client, world: dict[str, Any], api: dict[str, str]) -> Any:
        return client.post(
            f"/cases/{case_slug}/edit",
            {
                "slug": case_slug,
                "name": "Edited",
                "summary": "Edited.",
                "sector": "other",
                "org_form": "other",
                "base_revision": 2 if case_slug == "locked" else 1,
            },
        )

    return act


PAGES: dict[str, tuple[Callable[..., Any], set[str]]] = {
    "new case page": (
        lambda c, w, a: c.post(
            "/cases/new",
            {
                "slug": "brand-new",
                "name": "Brand New",
                "summary": "New.",
                "sector": "other",
                "org_form": "other",
                "source_url": "https://new.example/",
                "source_title": "New",
                "valid_from": "2001",
                "rationale": "Because.",
                "confirmed": "True",
                **_answers(WIKIPEDIA_ANSWERS),
            },
        ),
        {"contributor", "moderator", "admin"},
    ),
    "edit page": (_edit("target"), {"contributor", "moderator", "admin"}),
    "edit a locked case": (_edit("locked"), {"moderator", "admin"}),
    "placement page": (
        lambda c, w, a: c.post(
            "/cases/target/placements/new",
            {
                **_answers(IKEA_ANSWERS),
                "valid_from": "2009",
                "rationale": "Firm.",
                "source": "https://example.org/target",
            },
        ),
        {"contributor", "moderator", "admin"},
    ),
    "retract another's placement": (
        lambda c, w, a: c.post(f"/cases/target/placements/{w['placement'].pk}/retract"),
        {"moderator", "admin"},
    ),
    "source page": (
        lambda c, w, a: c.post(
            "/cases/target/sources/new", {"url": "https://s.example/", "title": "S"}
        ),
        {"contributor", "moderator", "admin"},
    ),
    "relation page": (
        lambda c, w, a: c.post(
            "/cases/target/relations/new", {"type": "fork_of", "target": "other"}
        ),
        {"contributor", "moderator", "admin"},
    ),
    "rating": (
        lambda c, w, a: c.post("/cases/target/rating", {"stars": "3"}),
        {"contributor", "moderator", "admin"},
    ),
    "revert": (
        lambda c, w, a: c.post("/cases/target/revert", {"revision": "1"}),
        {"contributor", "moderator", "admin"},
    ),
    "create a token": (
        lambda c, w, a: c.post("/accounts/tokens/new", {"name": "t"}),
        {"contributor", "moderator", "admin"},
    ),
    "password change page": (
        lambda c, w, a: c.get("/accounts/password/change/"),
        {"contributor", "moderator", "admin"},
    ),
    "lock": (
        lambda c, w, a: c.post("/cases/target/lock", {"locked": "1"}),
        {"moderator", "admin"},
    ),
    "archive": (
        lambda c, w, a: c.post("/cases/target/archive", {"archived": "1"}),
        {"moderator", "admin"},
    ),
    "block an account": (
        lambda c, w, a: c.post("/accounts/victim/block", {"blocked": "1"}),
        {"moderator", "admin"},
    ),
    "roll back an account": (
        lambda c, w, a: c.post("/accounts/victim/rollback", {"since": "2000-01-01T00:00"}),
        {"moderator", "admin"},
    ),
    "review queue": (lambda c, w, a: c.get("/moderation/review"), {"moderator", "admin"}),
    "approve an edit": (
        lambda c, w, a: c.post(f"/moderation/review/{w['edit'].pk}/approve"),
        {"moderator", "admin"},
    ),
    "reject an edit": (
        lambda c, w, a: c.post(f"/moderation/review/{w['edit'].pk}/reject"),
        {"moderator", "admin"},
    ),
}

NEW_CASE_JSON = {
    "slug": "api-new",
    "name": "API New",
    "summary": "New.",
    "sources": [{"url": "https://api.example/", "title": "API"}],
    "placements": [
        {
            "answers": WIKIPEDIA_ANSWERS,
            "valid_from": "2001",
            "rationale": "Because.",
            "sources": ["https://api.example/"],
        }
    ],
}
JSON = "application/json"

ENDPOINTS: dict[str, tuple[Callable[..., Any], set[str]]] = {
    "POST /api/cases": (
        lambda c, w, a: c.post("/api/cases", NEW_CASE_JSON, content_type=JSON, **a),
        {"contributor", "moderator", "admin"},
    ),
    "PATCH /api/cases/{slug}": (
        lambda c, w, a: c.patch(
            "/api/cases/target", {"name": "X"}, content_type=JSON, HTTP_IF_MATCH='"rev-1"', **a
        ),
        {"contributor", "moderator", "admin"},
    ),
    "PATCH a locked case": (
        lambda c, w, a: c.patch(
            "/api/cases/locked", {"name": "X"}, content_type=JSON, HTTP_IF_MATCH='"rev-2"', **a
        ),
        {"moderator", "admin"},
    ),
    "POST placements": (
        lambda c, w, a: c.post(
            "/api/cases/target/placements",
            {
                "answers": IKEA_ANSWERS,
                "valid_from": "2009",
                "rationale": "Firm.",
                "sources": ["https://example.org/target"],
            },
            content_type=JSON,
            **a,
        ),
        {"contributor", "moderator", "admin"},
    ),
    "DELETE another's placement": (
        lambda c, w, a: c.delete(f"/api/cases/target/placements/{w['placement'].pk}", **a),
        {"moderator", "admin"},
    ),
    "POST sources": (
        lambda c, w, a: c.post(
            "/api/cases/target/sources",
            {"url": "https://s.example/", "title": "S"},
            content_type=JSON,
            **a,
        ),
        {"contributor", "moderator", "admin"},
    ),
    "POST relations": (
        lambda c, w, a: c.post(
            "/api/cases/target/relations",
            {"type": "fork_of", "target": "other"},
            content_type=JSON,
            **a,
        ),
        {"contributor", "moderator", "admin"},
    ),
    "POST rating": (
        lambda c, w, a: c.post("/api/cases/target/rating", {"stars": 4}, content_type=JSON, **a),
        {"contributor", "moderator", "admin"},
    ),
}


def _allowed(response: Any) -> bool:
    if response.status_code in (401, 403, 405):
        return False
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return False
    assert response.status_code in (200, 201, 302), (response.status_code, response.content)
    return True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(PAGES))
def test_write_pages(client, world, role, action):
    act, allowed_roles = PAGES[action]
    api = _login(client, role)
    assert _allowed(act(client, world, api)) == (role in allowed_roles)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ENDPOINTS))
def test_write_endpoints(client, world, role, action):
    act, allowed_roles = ENDPOINTS[action]
    api = _login(client, role)
    client.logout()  # the API authenticates by token only
    assert _allowed(act(client, world, api)) == (role in allowed_roles)


def test_a_held_api_edit_is_accepted_for_review_and_says_so(client, world):
    newcomer = UserFactory(username="api-newcomer")
    newcomer.review_edits_left = 3
    newcomer.save()
    _, token = token_create(user=newcomer)
    response = client.patch(
        "/api/cases/target",
        {"name": "Proposed"},
        content_type=JSON,
        HTTP_IF_MATCH='"rev-1"',
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 202
    assert "review" in response.json()["detail"]
    assert PendingEdit.objects.filter(author=newcomer).count() == 1
    assert client.get("/api/cases/target").json()["name"] != "Proposed"
