"""Figures and whole pages computed from the catalogue, cached until it changes.

The key moves with the catalogue's own version (``catalogue_version``: the latest
case and the latest change to any case), so an edit shows at once, and a page view
on a warm cache costs the one small query that reads the version. Keys also name
the code's version and the active language (``catalogue.render_cache.cache_key``).

:func:`cached_by_catalogue` keeps a computed value (a figure, counts);
:func:`shared_page` keeps a whole page as readers who are not signed in get it,
with a strong ``ETag`` and ``Last-Modified`` (304s) made of the same key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from peerladder.catalogue.render_cache import cache_key, store_body, stored_body
from peerladder.catalogue.selectors import catalogue_stamp, catalogue_version

CACHE_SECONDS = 120

View = Callable[..., HttpResponse]


def cached_by_catalogue(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per catalogue version, for a ``name`` that says what it is
    (and includes any filters)."""
    key = cache_key("insights", name, catalogue_version())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def shared_request(request: HttpRequest) -> bool:
    """Whether the request may get (and fill) a page shared by every reader: a GET or
    HEAD by someone not signed in with no message waiting. Signed-in readers' pages
    carry their name and a CSRF token: those are never stored."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def _stored(response: HttpResponse) -> bool:
    """Whether a rendered response may be kept for other readers."""
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
    )


def shared_page(
    namespace: str, *, unless: Callable[[HttpRequest], bool] | None = None
) -> Callable[[View], View]:
    """Keep ``view``'s page per catalogue version, address (path and query) and host,
    for :func:`shared_request` requests (and not when ``unless(request)``). A view
    marks a page it must not share with ``Cache-Control: no-store``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not shared_request(request) or (unless is not None and unless(request)):
                return view(request, *args, **kwargs)
            stamp = catalogue_stamp()
            key = cache_key(
                f"page-{namespace}",
                stamp.version,
                request.scheme,
                request.get_host(),
                request.get_full_path(),
            )
            etag = f'"{key.partition(":")[2]}"'
            modified = int(stamp.last_change.timestamp()) if stamp.last_change else None
            not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
            if not_modified is not None:
                return not_modified
            stored = stored_body(key)
            if stored is None:
                response = view(request, *args, **kwargs)
                if not _stored(response):
                    return response
                stored = response.content
                store_body(key, stored, timeout=CACHE_SECONDS)
            # Every page kept is one of the site's HTML pages (render()'s default type).
            response = HttpResponse(stored)
            response["ETag"] = etag
            if modified is not None:
                response["Last-Modified"] = http_date(modified)
            return response

        return cached_view

    return decorate
