"""Which language an API response's texts are in: ``?lang=``, else ``Accept-Language``,
else English. Only texts change with it: keys, numbers and answer values never do."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from peerladder.api.requests import RequestRefused
from peerladder.lexicon import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CODES,
    language_from_header,
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
                        "message": f"{lang[:40]!r} is not a language of peerladder; "
                        f"lang must be one of {', '.join(LANGUAGE_CODES)}",
                    }
                ]
            )
        return found
    return language_from_header(accept_language or "") or DEFAULT_LANGUAGE


def mark_language(response: HttpResponse, language: str) -> None:
    """Say which language the response is in, and that the header can change it."""
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
