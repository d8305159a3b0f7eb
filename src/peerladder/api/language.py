"""Which language an API response's texts are in: ``?lang=``, else ``Accept-Language``,
else English. Only texts change with it: keys, numbers and answer values never do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from ninja import Status

from peerladder.api.requests import RequestRefused
from peerladder.errors import refusal
from peerladder.ladder import Lookup, Message
from peerladder.lexicon import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CODES,
    language_from_header,
    lookup_in,
    normalized_language,
)

LANG_DESCRIPTION = (
    "The language of the texts (names, definitions, questions, explanations): one of "
    f"{', '.join(LANGUAGE_CODES)}. Without it, the `Accept-Language` header chooses, else "
    "English. Keys, numbers and answer values are the same in every language. Another "
    "value gives 422."
)


def response_language(lang: str | None, accept_language: str | None) -> str:
    """The language to answer in; :class:`RequestRefused` (422) for a ``lang`` that is not
    one of ours. An ``Accept-Language`` naming none of ours gives English."""
    if lang is not None:
        found = normalized_language(lang)
        if found is None:
            raise RequestRefused(
                [
                    {
                        "field": "lang",
                        "received": lang[:40],
                        "allowed": list(LANGUAGE_CODES),
                        "message": refusal(
                            "request.lang",
                            lang=repr(lang[:40]),
                            allowed=", ".join(LANGUAGE_CODES),
                        ),
                    }
                ]
            )
        return found
    return language_from_header(accept_language or "") or DEFAULT_LANGUAGE


def mark_language(response: HttpResponse, language: str) -> None:
    """Say which language the response is in, and that the header can change it."""
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])


def error_language(request: HttpRequest) -> str:
    """The language of a refusal's texts: the ``lang`` the request asks for when it is one
    of ours, else its ``Accept-Language``, else English. (A ``lang`` that is not ours
    is itself refused, in the header's language.)"""
    asked = normalized_language(request.GET.get("lang") or "")
    if asked is not None:
        return asked
    return language_from_header(request.headers.get("Accept-Language") or "") or DEFAULT_LANGUAGE


def error_lookup(request: HttpRequest) -> Lookup:
    """The lookup for the texts of a refusal of ``request``."""
    return lookup_in(error_language(request))


def refusal_text(request: HttpRequest, message: Message) -> str:
    """``message`` in the language of ``request``'s refusals (a ``detail`` text)."""
    return message.render(error_lookup(request))


def shown_errors(request: HttpRequest, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors in the API's shape whose ``message`` may be a keyed text, with that text in
    the language of ``request``'s refusals; every other value as it is."""
    lookup = error_lookup(request)
    return [
        {
            **error,
            "message": error["message"].render(lookup)
            if isinstance(error["message"], Message)
            else error["message"],
        }
        for error in errors
    ]


def no_case(request: HttpRequest, slug: str) -> Status:
    """404: no case has ``slug`` (said in the language of ``request``'s refusals)."""
    return Status(404, {"detail": refusal_text(request, refusal("case.unknown", slug=repr(slug)))})
