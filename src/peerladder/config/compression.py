"""HTML pages (and the charts' SVG documents) compressed with gzip where they hold no secret.

BREACH reads a secret out of a compressed page that also reflects what an
attacker sent (a search, say) by watching its size. The secret here would be a
CSRF token in a form, and only pages that put one there are at risk: a page
rendered for a signed-in reader (the log-out form), or any page whose template
asked for a token (a login or sign-up form). Those go uncompressed; every other
HTML page is gzipped when the client takes it. (The API's JSON is left as it is:
its bodies are small, and API clients and tools read it as sent.)
Static files are compressed ahead of time (gzip and Brotli, by WhiteNoise) and
never pass through here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

# The site's pages, and the charts' narrow layouts fetched by the pages' script.
COMPRESSED_TYPES = ("text/html", "image/svg+xml")


def holds_a_secret(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response may carry a CSRF token or a signed-in reader's own page."""
    user = getattr(request, "user", None)
    return (
        user is None
        or user.is_authenticated
        # Django sends the CSRF cookie with every response whose page used a token
        # (to renew it), by the middleware or by a view's own csrf_protect.
        or settings.CSRF_COOKIE_NAME in response.cookies
    )


def compress_public_responses(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    gzip = GZipMiddleware(get_response)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        if holds_a_secret(request, response):
            return response
        return gzip.process_response(request, response)

    return middleware
