"""Every write to accounts."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from peerladder.accounts.models import ApiToken, Role, User
from peerladder.errors import InvalidInput, NotAllowed, refusal
from peerladder.ladder import FieldError

TOKEN_PREFIX = "pl_"  # noqa: S105 (a marker, not a secret)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def user_ensure(*, username: str, role: str = Role.CONTRIBUTOR) -> User:
    """The account named ``username``, created without a usable password when missing.

    Used for contributors named in imported data: they can claim the account
    through a password reset later.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role)
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str = Role.CONTRIBUTOR, email: str = ""
) -> User:
    """A new account; refuses a taken name, an unknown role or a weak password."""
    errors: list[FieldError] = []
    username = username.strip()
    if (
        not username
        or len(username) > 150
        or not all(c.isalnum() or c in "@.+-_" for c in username)
    ):
        errors.append(FieldError.keyed("username", username, None, refusal("username.format")))
    elif User.objects.filter(username__iexact=username).exists():
        errors.append(
            FieldError.keyed(
                "username", username, None, refusal("username.taken", name=repr(username))
            )
        )
    if role not in Role.values:
        errors.append(
            FieldError.keyed(
                "role",
                role,
                list(Role.values),
                refusal("one-of", field="role", allowed=", ".join(Role.values)),
            )
        )
    candidate = User(username=username, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors.extend(FieldError("password", None, None, message) for message in exc.messages)
    if errors:
        raise InvalidInput(errors)
    user = User(username=username, email=email, role=role)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new API token for ``user``: the stored row and the token itself (shown once).
    A blocked or deactivated account gets none."""
    if user.blocked_at is not None or not user.is_active:
        raise NotAllowed(refusal("not-allowed.blocked-tokens"))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name[:100], digest=token_digest(token), prefix=token[:10]
    )
    return row, token


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    if token.user_id != by.pk and not by.is_moderator:
        raise NotAllowed(refusal("not-allowed.revoke-token"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def user_sign_up(*, username: str, password: str, email: str = "") -> User:
    """A contributor account made on the site: its first edits wait for review
    (``settings.REVIEW_FIRST_EDITS``)."""
    user = user_create(username=username, password=password, email=email)
    user.review_edits_left = getattr(settings, "REVIEW_FIRST_EDITS", 3)
    user.save(update_fields=["review_edits_left"])
    return user
