"""Renamed cases: a case whose slug changed keeps its old addresses. A request under
``/cases/<old>`` or ``/api/cases/<old>`` that would answer 404 is redirected to the
same address with the case's current slug instead: 301 for GET and HEAD, 308 (which
keeps the method and body) for writes. One lookup, and only on a 404."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from peerladder.catalogue.selectors import case_moved_to

_CASE_PATH = re.compile(r"^(?P<prefix>/(?:api/)?cases/)(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)?$")


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: moved for good; the client repeats the same method with the same body."""

    status_code = 308


def moved_cases(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: redirect a 404 under a case's former slug to its current one."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 404:
            return response
        match = _CASE_PATH.match(request.path)
        if match is None:
            return response
        current = case_moved_to(match["slug"])
        if current is None:
            return response
        location = f"{match['prefix']}{current}{match['rest'] or ''}"
        query = request.META.get("QUERY_STRING", "")
        if query:
            location += f"?{query}"
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(location)
        return PermanentRedirectKeepingMethod(location)

    return middleware
