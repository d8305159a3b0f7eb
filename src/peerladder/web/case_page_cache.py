"""The case page from a cache, rendered once per revision of the case.

A reader who is not signed in (and has no message waiting) gets the page rendered
for every such reader: the same bytes until the case gets a new revision, another
case changes (its name may be shown here: related and similar cases), the similar-
cases index is rebuilt, the case is rated, the code changes, or the language
differs; each of these is part of the key. The view counts are the one part that
moves on its own: they are written fresh into the cached page on every request
(:func:`views_html`), so counting views never empties the cache.

Signed-in readers see their own header (their name, a form with their CSRF token):
their pages are rendered as before and never stored, so one person's page never
reaches another.

The page's strong ``ETag`` is made of the same key (the view counts aside: they
are counters beside the record, not the record), with ``Last-Modified`` the
catalogue's latest change; ``If-None-Match`` and ``If-Modified-Since`` get a 304.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.formats import localize
from django.utils.http import http_date
from django.utils.translation import ngettext

from peerladder.catalogue import selectors, services
from peerladder.catalogue.models import Case
from peerladder.catalogue.presenters import views_of
from peerladder.catalogue.render_cache import cache_key, store_body, stored_body
from peerladder.catalogue.selectors import CaseStamp
from peerladder.search.similar import index_version
from peerladder.web.catalogue_cache import shared_request

PAGE_SECONDS = 3600
# Where the view counts go in a stored page; a comment, so it can never be mistaken
# for (or injected by) a case's own text, which the templates escape.
VIEWS_SLOT = "<!--peerladder:case-views-->"

RenderPage = Callable[[HttpRequest, Case, str], HttpResponse]


def serves_from_cache(request: HttpRequest) -> bool:
    """Whether this request may get (and fill) the shared page: one that any reader
    may share (``shared_request``), of the current revision."""
    return "revision" not in request.GET and shared_request(request)


def views_html(views: dict[str, int]) -> str:
    """The view counts as the page shows them, this view included (the counts are read
    before it is counted, and counted views are written in batches).

    A format string, not a template: it runs on every request for a cached page, where
    a template's render was a sixth of the time."""
    total, recent = views["total"] + 1, views["last_30_days"] + 1
    text = ngettext(
        "%(counter)s view, %(recent)s in the last 30 days",
        "%(counter)s views, %(recent)s in the last 30 days",
        total,
    ) % {"counter": localize(total), "recent": localize(recent)}
    return f"<span>{text}</span>"


def _page_key(request: HttpRequest, stamp: CaseStamp, catalogue: str) -> str:
    return cache_key(
        "case-page",
        stamp.id,
        stamp.revision_number,
        catalogue,
        index_version(),
        stamp.rating_count,
        stamp.rating_average,
        # Absolute links (the permalink, the citation) name the host they were asked on.
        request.scheme,
        request.get_host(),
        # The trajectory chart ends at the current year.
        timezone.now().year,
    )


def cached_case_page(request: HttpRequest, slug: str, render_page: RenderPage) -> HttpResponse:
    """The current case page for :func:`serves_from_cache` requests: one query on a
    warm cache (``case_stamp``: the case's stamp, the catalogue's, the view counts).
    ``render_page(request, case, views_html)`` renders it on a miss."""
    stamp = selectors.case_stamp(slug=slug)
    if stamp is None:
        raise Http404(f"No case has the slug {slug!r}.")
    services.case_view_count(case_id=stamp.id)
    catalogue = stamp.catalogue
    key = _page_key(request, stamp, catalogue.version)
    etag = f'"{key.partition(":")[2]}"'
    last_modified = (catalogue.last_change or stamp.updated_at).timestamp()
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if not_modified is not None:
        return not_modified
    stored = stored_body(key)
    if stored is None:
        case = selectors.case_get(slug=slug)
        if case is None:  # archived since the stamp was read
            raise Http404(f"No case has the slug {slug!r}.")
        rendered = render_page(request, case, VIEWS_SLOT)
        if rendered.status_code != 200:
            return rendered
        stored = rendered.content
        store_body(key, stored, timeout=PAGE_SECONDS)
    page = stored.decode("utf-8")
    body = page.replace(VIEWS_SLOT, views_html(views_of(stamp)), 1)
    response = HttpResponse(body)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
