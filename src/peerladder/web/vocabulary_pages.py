"""/ns/ladder: the ladder's JSON-LD vocabulary, the IRIs the exports' terms stand for.

JSON-LD for programs; a page listing the terms for a browser (which asks for HTML
first). ``?format=jsonld`` gives the JSON-LD to a browser too."""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers

from peerladder.interchange.jsonld import CONTEXT_PATH, TERMS, VOCABULARY_PATH, vocabulary_document


def _wants_html(request: HttpRequest) -> bool:
    if request.GET.get("format") == "jsonld":
        return False
    accept = request.headers.get("Accept", "")
    html = accept.find("text/html")
    linked = min(
        (
            i
            for i in (accept.find("application/ld+json"), accept.find("application/json"))
            if i >= 0
        ),
        default=-1,
    )
    return html >= 0 and (linked < 0 or html < linked)


def vocabulary(request: HttpRequest) -> HttpResponse:
    site = request.build_absolute_uri("/").rstrip("/")
    if _wants_html(request):
        response = render(
            request,
            "web/vocabulary.html",
            {
                "terms": TERMS,
                "iri": f"{site}{VOCABULARY_PATH}",
                "context_url": f"{site}{CONTEXT_PATH}",
            },
        )
    else:
        response = HttpResponse(
            orjson.dumps(vocabulary_document(site), option=orjson.OPT_INDENT_2),
            content_type="application/ld+json",
        )
    patch_vary_headers(response, ["Accept"])
    return response


urlpatterns = [path(VOCABULARY_PATH.lstrip("/"), vocabulary, name="vocabulary")]
