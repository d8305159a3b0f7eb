"""Every read of accounts."""

from __future__ import annotations

from django.utils import timezone

from peerladder.accounts.models import ApiToken, User
from peerladder.accounts.services import TOKEN_PREFIX, token_digest


def user_for_token(token: str) -> User | None:
    """The active account a bearer token belongs to, or None (unknown, revoked, blocked)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    # Touch at most once a minute: reads should not each become a write.
    now = timezone.now()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def active_tokens(user: User) -> list[ApiToken]:
    """The account's tokens that still work, newest first (never the tokens themselves)."""
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at"))
