"""Reading requests: a JSON body and query parameters checked for what no database can
hold, and the HTTP preconditions of the case resource (``If-Match``, ``If-None-Match``).

A body that is not JSON, or any text in it (keys included) or in the query with a
NUL, a lone surrogate or a non-character, is refused with 422 in the API's one
error shape, naming where; nothing reaches a handler.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.http import parse_etags
from ninja.parser import Parser

from peerladder.catalogue.vocabulary import CASE_LANGUAGES, ORIGINAL_LANGUAGE
from peerladder.errors import refusal, unstorable_refusal
from peerladder.text import find_unstorable, printable

ANY: Literal["*"] = "*"


class RequestRefused(Exception):
    """The request cannot be read; ``errors`` are in the API's error shape, each
    ``message`` a keyed text (:mod:`~peerladder.catalogue.refusals`) that the handler
    shows in the request's language."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error["message"]) for error in errors))


def _refuse_unstorable(value: Any) -> None:
    found = find_unstorable(value)
    if found is not None:
        field, problem = found
        raise RequestRefused(
            [
                {
                    "field": field,
                    "received": None,
                    "allowed": None,
                    "message": unstorable_refusal(field, problem),
                }
            ]
        )


class CheckedParser(Parser):
    """ninja's JSON parser, refusing what the catalogue could not store."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RequestRefused(
                [
                    {
                        "field": None,
                        "received": printable(request.body[:80].decode("utf-8", "replace")),
                        "allowed": None,
                        "message": refusal("request.not-json", reason=str(exc)),
                    }
                ]
            ) from None
        if not isinstance(data, dict):
            raise RequestRefused(
                [
                    {
                        "field": None,
                        "received": type(data).__name__,
                        "allowed": ["object"],
                        "message": refusal("request.not-object"),
                    }
                ]
            )
        _refuse_unstorable(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            _refuse_unstorable({key: values if key in list_fields else values[-1]})
        return super().parse_querydict(data, list_fields, request)


def if_match_revisions(header: str) -> set[int] | Literal["*"]:
    """The revisions an ``If-Match`` header names by strong comparison (RFC 9110 §13.1.1):
    ``*`` matches any current revision; a weak tag (``W/"rev-3"``) or another server's
    tag matches none."""
    tags = parse_etags(header)
    if tags == ["*"]:
        return ANY
    revisions = set()
    for tag in tags:
        if tag.startswith('"rev-') and tag.endswith('"') and tag[5:-1].isdigit():
            revisions.add(int(tag[5:-1]))
    return revisions


def none_match(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` matches ``etag`` (weak comparison, ``*`` included)."""
    if not header:
        return False
    tags = parse_etags(header)
    plain = etag.removeprefix("W/")
    return tags == ["*"] or any(tag.removeprefix("W/") == plain for tag in tags)


def reading_language(request: HttpRequest) -> str | RequestRefused | None:
    """The language a reader asks a case's text in: ``?lang=`` (a 422 for a language the
    catalogue has no translations in), else the first of ``Accept-Language`` that it
    has; None for the original English."""
    asked = request.GET.get("lang")
    if asked is not None:
        code = asked.strip().lower()
        if code in ("", ORIGINAL_LANGUAGE):
            return None
        if code in CASE_LANGUAGES.values:
            return code
        allowed = [ORIGINAL_LANGUAGE, *CASE_LANGUAGES.values]
        return RequestRefused(
            [
                {
                    "field": "lang",
                    "received": printable(asked[:40]),
                    "allowed": allowed,
                    "message": refusal("request.case-lang", allowed=", ".join(allowed)),
                }
            ]
        )
    header = request.headers.get("Accept-Language") or ""
    ranked = []
    for position, part in enumerate(header.split(",")[:20]):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, code.strip().lower()))
    for _, _, code in sorted(ranked):
        if code == ORIGINAL_LANGUAGE or code.startswith(ORIGINAL_LANGUAGE + "-"):
            return None
        for known in CASE_LANGUAGES.values:
            if code == known or code.split("-")[0] == known.split("-")[0]:
                return known
    return None
