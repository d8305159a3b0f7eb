"""Renamed cases in the API: a 404 under ``/api/cases/<former slug>`` redirects to the
same address under the case's current slug: 301 for GET and HEAD, 308 (the client
repeats its method and body) for writes. Documented in docs/api.md."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from peerladder.catalogue.selectors import case_moved_to

_CASE_PATH = re.compile(r"^/api/cases/(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)?$")


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: moved for good; the client sends the same method and body there."""

    status_code = 308


def moved_cases(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: redirect an API 404 under a case's former slug to its current one."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        match = _CASE_PATH.match(request.path) if response.status_code == 404 else None
        current = case_moved_to(match["slug"]) if match else None
        if match is None or current is None:
            return response
        location = f"/api/cases/{current}{match['rest'] or ''}"
        if request.META.get("QUERY_STRING"):
            location += f"?{request.META['QUERY_STRING']}"
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(location)
        return PermanentRedirectKeepingMethod(location)

    return middleware
