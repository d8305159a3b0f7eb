"""Error pages in the site's own layout: menu, search box, a way back, the right status.

Django calls the ``handler*`` views (wired in ``config/urls.py``) and
``csrf_failure`` (``CSRF_FAILURE_VIEW``); ``MethodNotAllowedPages`` gives the bare
405 of ``require_POST`` the same page. Pages under ``/api/`` keep their JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# What each status is called on its page, and what the visitor can do about it.
TITLES = {
    400: gettext_lazy("This request could not be read"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Nothing here"),
    405: gettext_lazy("This address does not take that kind of request"),
    414: gettext_lazy("That address is too long"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Something went wrong on our side"),
}


def way_back(request: HttpRequest) -> str | None:
    """The page the visitor came from, when it is a page of this site (never another's)."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        parts = urlsplit(referer)
        host = request.get_host()
    except Exception:  # a bad Host header is itself a 400: no way back then
        return None
    if not referer or parts.netloc != host or parts.path == request.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def error_page(
    request: HttpRequest,
    status: int,
    *,
    message: str = "",
    template: str | None = None,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page for ``status``, with ``message`` saying what went wrong this time."""
    values = {
        "status": status,
        "title": TITLES.get(status, _("Something went wrong")),
        "message": message,
        "back": way_back(request),
        **(context or {}),
    }
    return render(request, template or f"{status}.html", values, status=status)


def _detail(exception: BaseException | None) -> str:
    """The message of an exception raised on purpose (``Http404("No case has…")``);
    Django's own resolver messages (a dict) say nothing useful to a visitor."""
    if exception is None or not exception.args:
        return ""
    first = exception.args[0]
    return first if isinstance(first, str) else ""


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 403, message=_detail(exception))


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_page(request, 404, message=_detail(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. Rendered without the request when the layout itself fails (the
    database may be what went wrong): then the menu shows the signed-out links."""
    try:
        return error_page(request, 500)
    except Exception:
        logger.exception("the 500 page failed with the request; rendering it without")
        html = render_to_string("500.html", {"status": 500, "title": TITLES[500]})
        return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent without (or with a stale) security token."""
    return error_page(request, 403, template="403_csrf.html", context={"reason": reason})


def too_many_requests(request: HttpRequest, message: str, retry_after: int) -> HttpResponse:
    """429 with ``Retry-After``, for the rate limits of logins and edits."""
    response = error_page(
        request, 429, message=message, context={"retry_after": max(1, retry_after)}
    )
    response["Retry-After"] = str(max(1, retry_after))
    return response


def method_not_allowed_pages(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a page's empty 405 (``require_POST``) becomes the 405 page, keeping
    its ``Allow`` header. The API's 405s carry their own JSON and are left alone."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 405 or request.path.startswith("/api/") or response.content:
            return response
        allowed = response.get("Allow", "")
        page = error_page(
            request,
            405,
            message=(
                _("It takes %(methods)s only.") % {"methods": allowed.replace(",", _(" or"))}
                if allowed
                else ""
            ),
            context={"allowed": allowed},
        )
        if allowed:
            page["Allow"] = allowed
        return page

    return middleware
