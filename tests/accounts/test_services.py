"""Accounts and API tokens."""

from __future__ import annotations

import pytest

from peerladder.accounts.selectors import user_for_token
from peerladder.accounts.services import token_create, token_revoke, user_create
from peerladder.errors import InvalidInput, NotAllowed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_hashes_with_argon2_in_production_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = user_create(username="ada", password="correct horse battery staple")
    assert user.password.startswith("argon2")
    assert user.check_password("correct horse battery staple")


def test_admin_role_gets_the_admin_site():
    admin = user_create(username="root", password="correct horse battery staple", role="admin")
    assert admin.is_staff and admin.is_superuser and admin.is_moderator


def test_user_create_reports_every_problem():
    UserFactory(username="taken")
    with pytest.raises(InvalidInput) as caught:
        user_create(username="taken", password="1", role="emperor")
    assert {e.field for e in caught.value.errors} == {"username", "password", "role"}


def test_token_finds_its_user_until_revoked():
    user = UserFactory()
    row, plain = token_create(user=user)
    assert user_for_token(plain) == user
    token_revoke(token=row, by=user)
    assert user_for_token(plain) is None


def test_only_the_owner_or_a_moderator_revokes_a_token():
    row, _ = token_create(user=UserFactory())
    with pytest.raises(NotAllowed):
        token_revoke(token=row, by=UserFactory())
    token_revoke(token=row, by=UserFactory(role="moderator"))


def test_inactive_account_tokens_do_not_authenticate():
    user = UserFactory()
    _, plain = token_create(user=user)
    user.is_active = False
    user.save()
    assert user_for_token(plain) is None


@pytest.mark.django_db
def test_a_blocked_account_gets_no_api_token(client):
    from django.utils import timezone

    from peerladder.accounts.models import ApiToken
    from peerladder.errors import NotAllowed

    blocked = UserFactory(username="blocked", blocked_at=timezone.now())
    with pytest.raises(NotAllowed):
        token_create(user=blocked)
    client.force_login(blocked)
    assert client.post("/accounts/tokens/new", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
