"""The NinjaAPI instance: routers, error handling and the OpenAPI document."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

import peerladder
from peerladder.accounts.ratelimit import RateLimited
from peerladder.api import cases, editing, interchange, ladder, search
from peerladder.catalogue.services import HeldForReview
from peerladder.errors import InvalidInput, NotAllowed

# Where pydantic says an error is; the field name alone is what a user needs.
_LOCATIONS = {"body", "payload", "query", "params", "path", "header", "cookie", "form", "file"}

api = NinjaAPI(
    title="peerladder API",
    version=peerladder.__version__,
    description=(
        "The catalogue of participatory business models, placed on the ladder of "
        "participation. Reads are open; writes need `Authorization: Bearer TOKEN`."
    ),
    urls_namespace="api",
)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Request validation errors in the same shape as classification errors."""
    errors = []
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in _LOCATIONS]
        errors.append(
            {
                "field": ".".join(location) or None,
                "received": item.get("input"),
                "allowed": None,
                "message": item.get("msg", "invalid value"),
            }
        )
    return api.create_response(request, {"error": errors}, status=422)


api.add_router("/", ladder.router)
api.add_router("/", cases.router)
api.add_router("/", editing.router)
api.add_router("/", interchange.router)
api.add_router("/", search.router)


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_list()}, status=422)


@api.exception_handler(NotAllowed)
def _not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(HeldForReview)
def _held_for_review(request: HttpRequest, exc: HeldForReview) -> HttpResponse:
    """Accepted, not applied: a new account's edit waits for a moderator."""
    return api.create_response(request, {"detail": str(exc)}, status=202)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
