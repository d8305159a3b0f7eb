"""What every request and response passes through: the URL length limit (414) and the
Content-Security-Policy.

Scripts and styles come only from the site itself (no inline script, no eval:
the charts run Vega's expression interpreter), nothing is framed, forms post
only here. One fixed header, so a small middleware rather than a dependency.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# Longer URLs are refused here, with the site's own 414 (gunicorn passes request
# lines of any length to us; a proxy in front may set its own, larger, limit).
MAX_URL_LENGTH = 4096

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Vega and the server-rendered SVG charts set style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def content_security_policy(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Add the policy to every response that does not set its own."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    return middleware


def url_length_limit(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answer 414 to a URL longer than :data:`MAX_URL_LENGTH`: JSON under /api/, the
    site's page elsewhere."""

    def middleware(request: HttpRequest) -> HttpResponse:
        length = len(request.get_full_path())
        if length <= MAX_URL_LENGTH:
            return get_response(request)
        detail = f"the URL is {length:,} characters long; at most {MAX_URL_LENGTH:,} are taken"
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail}, status=414)
        # The site's error page (templates/414.html, one of web's error pages).
        context = {
            "status": 414,
            "title": "That address is too long",
            "message": detail[0].upper() + detail[1:] + ".",
        }
        return render(request, "414.html", context, status=414)

    return middleware
