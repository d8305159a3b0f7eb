"""Sign up, log in and out, passwords, API tokens, contributions."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from peerladder.accounts.models import ApiToken, User
from peerladder.accounts.selectors import user_for_token
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def test_sign_up_makes_a_contributor_logged_in_with_edits_to_review(client, settings):
    settings.REVIEW_FIRST_EDITS = 3
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "email": "ada@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/ada"
    user = User.objects.get(username="ada")
    assert user.role == "contributor" and user.review_edits_left == 3
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    page = client.get("/accounts/ada")
    assert b"API tokens" in page.content  # the owner's view
    assert b'href="/accounts/ada"' in page.content  # the header names the account


def test_sign_up_names_the_fields_it_refuses(client):
    UserFactory(username="taken")
    response = client.post(
        "/accounts/signup/", {"username": "taken", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "taken" in str(form.errors["username"])
    assert "password1" in form.errors
    mismatch = client.post(
        "/accounts/signup/", {"username": "new", "password1": PASSWORD, "password2": "other"}
    )
    assert "password2" in mismatch.context["form"].errors
    assert not User.objects.filter(username="new").exists()


def test_log_in_and_out(client):
    UserFactory(username="bea")
    response = client.post("/accounts/login/", {"username": "bea", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "bea"
    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").context["user"].is_authenticated


def test_login_attempts_are_limited_per_account_and_address(client):
    UserFactory(username="cy")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "cy", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "cy", "password": PASSWORD})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 301
    # Another account from the same address is not affected.
    UserFactory(username="di")
    response = client.post("/accounts/login/", {"username": "di", "password": PASSWORD})
    assert response.status_code == 302


def test_password_change(client):
    user = UserFactory(username="ed")
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-9",
            "new_password2": "another-long-pass-9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-pass-9")


def test_password_reset_by_email(client):
    UserFactory(username="fay", email="fay@example.org")
    response = client.post("/accounts/password/reset/", {"email": "fay@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-password-7", "new_password2": "a-fresh-password-7"},
    )
    assert response.status_code == 302
    assert User.objects.get(username="fay").check_password("a-fresh-password-7")


def test_api_token_is_shown_once_and_revocable(client):
    user = UserFactory(username="gil")
    client.force_login(user)
    response = client.post("/accounts/tokens/new", {"name": "laptop"})
    assert response.status_code == 200
    token = re.search(rb'<pre id="token">(pl_[^<]+)</pre>', response.content).group(1).decode()
    assert user_for_token(token) == user
    page = client.get("/accounts/gil")
    assert token.encode() not in page.content
    row = ApiToken.objects.get(user=user)
    assert client.post(f"/accounts/tokens/{row.pk}/revoke").status_code == 302
    assert user_for_token(token) is None


def test_nobody_revokes_another_accounts_token(client):
    owner = UserFactory()
    row = ApiToken.objects.create(user=owner, digest="x" * 64, prefix="pl_x")
    client.force_login(UserFactory())
    assert client.post(f"/accounts/tokens/{row.pk}/revoke").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_account_page_lists_contributions_but_not_tokens_to_others(client):
    author = UserFactory(username="hal")
    make_case(author=author, slug="halcase", name="Hal's Case")
    ApiToken.objects.create(user=author, digest="y" * 64, prefix="pl_secret")
    page = client.get("/accounts/hal")
    assert page.status_code == 200
    assert b"Hal&#x27;s Case" in page.content
    assert b"pl_secret" not in page.content and b"API tokens" not in page.content
    assert client.get("/accounts/nobody-here").status_code == 404
