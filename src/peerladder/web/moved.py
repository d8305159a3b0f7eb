"""Renamed cases: a case whose slug changed keeps its old addresses. A page under
``/cases/<old>`` that would answer 404 redirects to the same address with the case's
current slug instead: 301 for GET and HEAD, 308 (which keeps the method and body) for
a form's POST. One lookup, and only on a 404. (The API does the same: api/moved.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils.translation import get_language_from_path

from peerladder.catalogue.selectors import case_moved_to

_SLUG_AND_REST = r"(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)?$"


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: moved for good; the client repeats the same method with the same body."""

    status_code = 308


def redirect_if_moved(request: HttpRequest, prefix: str) -> HttpResponse | None:
    """The redirect to a renamed case's current address, or None when ``request.path``
    (under ``prefix``) names no former slug."""
    match = re.match("^" + re.escape(prefix) + _SLUG_AND_REST, request.path)
    if match is None:
        return None
    current = case_moved_to(match["slug"])
    if current is None:
        return None
    location = f"{prefix}{current}{match['rest'] or ''}"
    query = request.META.get("QUERY_STRING", "")
    if query:
        location += f"?{query}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(location)
    return PermanentRedirectKeepingMethod(location)


def moved_cases(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a page's 404 under a case's former slug redirects to its current one."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 404:
            return response
        # In any language: /es/cases/<old> leads to /es/cases/<current>.
        language = get_language_from_path(request.path_info)
        prefix = f"/{language}/cases/" if language else "/cases/"
        return redirect_if_moved(request, prefix) or response

    return middleware
