"""Page views: each parses the request, calls one selector or service, renders."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

import peerladder
from peerladder.web.insights_pages import ladder_map_figure


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"figure": ladder_map_figure()})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status, for load balancers and the demo's own check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError as exc:
        database = f"error: {exc.__class__.__name__}"
    healthy = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": database,
            "vendor": connection.vendor,
            "version": peerladder.__version__,
        },
        status=200 if healthy else 503,
    )
