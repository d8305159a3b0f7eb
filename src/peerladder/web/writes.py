"""What every page that writes shares: who may write, rate limits, and how the
services' refusals become pages (403, 429 with Retry-After)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerladder.accounts.ratelimit import RateLimited, check_edit
from peerladder.catalogue.services import HeldForReview
from peerladder.errors import NotAllowed
from peerladder.web.error_pages import error_page, too_many_requests

View = Callable[..., HttpResponse]


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    """The error page for ``status`` (403 unless said), saying why."""
    return error_page(request, status, message=message)


def too_many(request: HttpRequest, limited: RateLimited) -> HttpResponse:
    """The 429 page with ``Retry-After``."""
    message = ngettext(
        "Too many attempts in a short time: try again in %(seconds)d second.",
        "Too many attempts in a short time: try again in %(seconds)d seconds.",
        limited.retry_after,
    ) % {"seconds": limited.retry_after}
    return too_many_requests(request, message, limited.retry_after)


def held(request: HttpRequest, exc: HeldForReview) -> HttpResponse:
    return render(request, "web/edit/held.html", {"edit": exc.edit}, status=202)


def writer(view: View) -> View:
    """A page that writes: logged-in, not blocked; POSTs count towards the edit limit;
    the services' refusals become a 403 page and a held edit the "waiting" page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.blocked_at is not None:  # type: ignore[union-attr]
            return refused(request, _("This account is blocked from editing."))
        try:
            if request.method == "POST":
                check_edit(user)  # type: ignore[arg-type]
            return view(request, *args, **kwargs)
        except RateLimited as limited:
            return too_many(request, limited)
        except HeldForReview as exc:
            return held(request, exc)
        except NotAllowed as exc:
            return refused(request, str(exc).capitalize() + ".")

    return wrapper


def moderator(view: View) -> View:
    """A moderators' page: 403 for everyone else (login first when anonymous)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_moderator or user.blocked_at is not None:  # type: ignore[union-attr]
            return refused(request, _("Only moderators may do this."))
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            return refused(request, str(exc).capitalize() + ".")

    return wrapper
