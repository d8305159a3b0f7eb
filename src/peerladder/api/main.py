"""The NinjaAPI instance: routers, error handling and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

import peerladder
from peerladder.accounts.ratelimit import RateLimited
from peerladder.api import cases, editing, interchange, ladder, search
from peerladder.api.language import error_lookup, shown_errors
from peerladder.api.openapi import DocumentedAPI
from peerladder.api.requests import CheckedParser, RequestRefused
from peerladder.catalogue.services import HeldForReview
from peerladder.errors import InvalidInput, NotAllowed, refusal
from peerladder.ladder import Lookup, english
from peerladder.text import printable

# Where pydantic says an error is; the field name alone is what a user needs.
_LOCATIONS = {"body", "payload", "query", "params", "path", "header", "cookie", "form", "file"}


class SiteSwagger(Swagger):
    """Swagger UI from django-ninja's own files, in a page with the site's language,
    a way back, and colours that small text can be read in. Deep links are off:
    they put a link inside each operation's button, which screen readers cannot use."""

    template = "api/docs.html"


api = DocumentedAPI(
    docs=SiteSwagger(settings={"deepLinking": False}),
    title="peerladder API",
    version=peerladder.__version__,
    description=(
        "The catalogue of participatory business models, placed on the ladder of "
        "participation. Reads are open; writes need `Authorization: Bearer TOKEN`."
    ),
    urls_namespace="api",
    parser=CheckedParser(),
)


_BOUNDS = ("ge", "gt", "le", "lt", "max_length", "min_length", "pattern")


def _received(value: Any) -> Any:
    """What pydantic received, as JSON can carry it (a whole object it could not read is
    left out: the message says what is missing)."""
    if value is None or isinstance(value, str | int | float | bool):
        return printable(value)
    if isinstance(value, list | tuple):
        return [_received(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _received(item) for key, item in value.items()}
    return None


def _allowed(item: dict[str, Any]) -> Any:
    """What pydantic says would have been accepted, where it says so."""
    context = item.get("ctx") or {}
    if "expected" in context:  # a literal: "'csv', 'json' or 'jsonl'"
        return [
            part.strip(" '") for part in str(context["expected"]).replace(" or ", ", ").split(",")
        ]
    bounds = {
        key: context[key]
        for key in ("ge", "gt", "le", "lt", "max_length", "min_length", "pattern")
        if key in context
    }
    return bounds or None


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Request validation errors in the same shape as classification errors, with what
    was received and what is allowed wherever pydantic knows them."""
    errors = []
    lookup = error_lookup(request)
    for item in exc.errors:
        loc = item.get("loc", ())
        location = [str(part) for part in loc if part not in _LOCATIONS]
        if loc and loc[0] == "query":
            # A repeatable filter (?rung=4&rung=12) is named as the parameter itself.
            location = [part for part in location if not part.isdigit()]
        errors.append(
            {
                "field": ".".join(location) or None,
                "received": _received(item.get("input")),
                "allowed": _allowed(item),
                "message": _pydantic_message(item, ".".join(location) or None, lookup),
            }
        )
    return api.create_response(request, {"error": errors}, status=422)


def _pydantic_message(item: dict[str, Any], field: str | None, lookup: Lookup) -> str:
    """pydantic's own message in English; in another language, ours for what it found."""
    if lookup is english:
        return str(item.get("msg", "invalid value"))
    where = field or "body"
    kind = item.get("type")
    if kind == "missing":
        text = refusal("required", field=where)
    elif kind == "literal_error" and isinstance(allowed := _allowed(item), list):
        text = refusal("one-of", field=where, allowed=", ".join(str(a) for a in allowed))
    else:
        text = refusal("request.invalid", field=where)
    return text.render(lookup)


@api.exception_handler(RequestRefused)
def _refused(request: HttpRequest, exc: RequestRefused) -> HttpResponse:
    """A query the checked parser refused (a body's refusal arrives inside a 400)."""
    return api.create_response(request, {"error": shown_errors(request, exc.errors)}, status=422)


@api.exception_handler(HttpError)
def _unreadable(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """A body or query the checked parser refused (ninja wraps it in a 400): 422 in the
    one error shape, naming where. Other HTTP errors keep their status."""
    cause = exc.__cause__
    if isinstance(cause, RequestRefused):
        return api.create_response(
            request, {"error": shown_errors(request, cause.errors)}, status=422
        )
    if exc.status_code == 400:
        message = {"field": None, "received": None, "allowed": None, "message": str(exc)}
        return api.create_response(request, {"error": [message]}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/", ladder.router)
api.add_router("/", cases.router)
api.add_router("/", editing.router)
api.add_router("/", interchange.router)
api.add_router("/", search.router)


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_list(error_lookup(request))}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """No token, or one that is unknown or revoked: 401, said in the request's language."""
    detail = refusal("request.unauthorized").render(error_lookup(request))
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return api.create_response(request, {"detail": exc.shown(error_lookup(request))}, status=403)


@api.exception_handler(HeldForReview)
def _held_for_review(request: HttpRequest, exc: HeldForReview) -> HttpResponse:
    """Accepted, not applied: a new account's edit waits for a moderator."""
    return api.create_response(request, {"detail": exc.shown(error_lookup(request))}, status=202)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    detail = exc.text.render(error_lookup(request))
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
