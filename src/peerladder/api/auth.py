"""Bearer-token authentication for the API's write operations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from peerladder.accounts.models import User
from peerladder.accounts.ratelimit import check_edit
from peerladder.accounts.selectors import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN` with a token made by `peerladder user create --token`
    or on the account page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            # Every authenticated operation is a write: count it against the edit limit.
            check_edit(user)
        return user


bearer = BearerToken()
