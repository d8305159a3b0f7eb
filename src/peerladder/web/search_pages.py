"""/search, the old search page: browsing and searching are one page now (/cases), so
it redirects there with the same query string, and old links and bookmarks still work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import path, reverse


def search(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """301 to /cases, keeping the query string (``q``, the filters, the page)."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(reverse("web:case-list") + (f"?{query}" if query else ""))


urlpatterns = [
    path("search", search, name="search"),
]
