"""Page views: each parses the request, calls one selector or service, renders."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache

import peerladder
from peerladder.web.catalogue_cache import shared_page
from peerladder.web.insights_pages import ladder_map_figure

STATIC = Path(__file__).resolve().parent / "static" / "web"


@shared_page("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"figure": ladder_map_figure()})


def site_status() -> dict[str, Any]:
    """Whether the site can reach its database, with the software's version: the one
    check behind /healthz (for machines) and /status (for people)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError as exc:
        database = f"error: {exc.__class__.__name__}"
    return {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "vendor": connection.vendor,
        "version": peerladder.__version__,
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status, for load balancers and the demo's own check."""
    status = site_status()
    return JsonResponse(status, status=200 if status["status"] == "ok" else 503)


@never_cache
def status_page(request: HttpRequest) -> HttpResponse:
    """The same check as /healthz, as a page (with its status code: 503 when degraded)."""
    status = site_status()
    healthy = status["status"] == "ok"
    return render(
        request,
        "web/status.html",
        {"site": status, "healthy": healthy},
        status=200 if healthy else 503,
    )


@lru_cache(maxsize=1)
def _favicon() -> bytes:
    return (STATIC / "favicon.ico").read_bytes()


@cache_control(public=True, max_age=86_400)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own whatever the page links."""
    return HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
