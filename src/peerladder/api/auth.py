"""Bearer-token authentication for the API's write operations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from peerladder.accounts.models import User
from peerladder.accounts.selectors import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN` with a token made by `peerladder user create --token`
    or on the account page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return user_for_token(token)


bearer = BearerToken()
