"""The language of the pages: English at the bare addresses (``/cases/lego``), every
other language under its prefix (``/es/cases/lego``), so a link always shows the page
in the language it names.

- ``choose_language`` (``POST /language``, the switcher on every page) remembers the
  choice in the language cookie and opens the same page in that language.
- ``prefer_language`` (middleware) sends a visitor who chose another language, or whose
  browser asks for one (``Accept-Language``) and who has not chosen, from a bare
  address to the prefixed one; choosing English sets the cookie to ``en``, so it stays.
- ``language_context`` (context processor) gives the templates ``lp`` (the prefix of
  the page's language, ``""`` for English, to put before the site's own links), the
  switcher's choices and the ``hreflang`` alternates of the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import (
    get_supported_language_variant,
    parse_accept_lang_header,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from peerladder.web.error_pages import error_page

DEFAULT = settings.LANGUAGE_CODE
CODES = tuple(code for code, _name in settings.LANGUAGES)
NAMES = dict(settings.LANGUAGES)
_OTHERS = "|".join(re.escape(code) for code in CODES if code != DEFAULT)
_PREFIX = re.compile(rf"^/({_OTHERS})(?=/|$)")
# Pages that are not HTML, or not pages: never sent to a prefixed address.
_NOT_PAGES = frozenset(
    {
        "web:changes-feed",
        "web:insights-poster-svg",
        "web:insights-poster-png",
        "web:search",
        "language",
    }
)


def unprefixed(path: str) -> str:
    """``path`` without its language prefix (``/es/cases`` → ``/cases``; ``/es`` → ``/``)."""
    return _PREFIX.sub("", path) or "/"


def prefixed(path: str, code: str) -> str:
    """The address of the page at ``path`` (with or without a prefix) in language ``code``."""
    bare = unprefixed(path)
    if code == DEFAULT:
        return bare
    return f"/{code}/" if bare == "/" else f"/{code}{bare}"


def bcp47(code: str) -> str:
    """Django's language code as a language tag: ``pt-br`` → ``pt-BR``."""
    language, _dash, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def prefix_of(code: str | None) -> str:
    """What goes before the site's own links in language ``code``: ``""`` or ``/es``."""
    return "" if not code or code == DEFAULT else f"/{code}"


def localized(path: str) -> str:
    """The site's address ``path`` (``/cases/lego``) in the language of this request."""
    return prefix_of(get_language()) + path


def chosen_language(request: HttpRequest) -> str | None:
    """The language the visitor chose (the cookie), else the first their browser asks for
    that the site has; None when neither names one."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        try:
            return get_supported_language_variant(cookie)
        except LookupError:
            pass
    accept = request.headers.get("Accept-Language", "")
    for code, _quality in parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def _is_page(request: HttpRequest) -> bool:
    """A browser's GET of one of the site's HTML pages, at a bare (English) address."""
    if request.method not in ("GET", "HEAD") or "format" in request.GET:
        return False
    if "text/html" not in request.headers.get("Accept", ""):
        return False
    if get_language_from_path(request.path_info) is not None:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace == "web" and match.view_name not in _NOT_PAGES


def prefer_language(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware (after LocaleMiddleware): a bare address opened by a visitor who chose
    another language, or whose browser asks for one, redirects (302) to that language's
    address. The English page it would show otherwise varies by the same two headers."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not _is_page(request):
            return get_response(request)
        wanted = chosen_language(request)
        if wanted and wanted != DEFAULT:
            target = prefixed(request.path_info, wanted)
            query = request.META.get("QUERY_STRING", "")
            response: HttpResponse = HttpResponseRedirect(target + (f"?{query}" if query else ""))
        else:
            response = get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return middleware


@csrf_exempt  # choosing a language changes nothing but the visitor's own cookie
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The switcher: remember ``language`` in the cookie, open ``next`` in it."""
    code = request.POST.get("language", "")
    if code not in CODES:
        return error_page(
            request,
            400,
            message=_("language: %(value)s is not one of %(codes)s.")
            % {"value": repr(code), "codes": ", ".join(CODES)},
        )
    next_url = request.POST.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not next_url.startswith("/"):
        next_url = "/"
    path, _mark, query = next_url.partition("?")
    response = HttpResponseRedirect(prefixed(path, code) + (f"?{query}" if query else ""))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def language_context(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the page's language prefix, switcher and alternates."""
    current = get_language() or DEFAULT
    path = unprefixed(request.path_info)
    query = request.META.get("QUERY_STRING", "")
    suffix = f"?{query}" if query else ""
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except Exception:  # a bad Host header: the alternates are then relative
        origin = ""
    choices = [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "href": prefixed(path, code) + suffix,
        }
        for code, name in settings.LANGUAGES
    ]
    # The alternates name the page itself, without its query (a search, the answers).
    alternates = [
        {"hreflang": bcp47(code), "href": origin + prefixed(path, code)} for code in CODES
    ]
    alternates.append({"hreflang": "x-default", "href": origin + path})
    return {
        "lp": prefix_of(current),
        "page_path": path,
        "page_path_with_query": path + suffix,
        "language_current": {"code": bcp47(current), "name": NAMES.get(current, current)},
        "language_choices": choices,
        "language_alternates": alternates,
    }
