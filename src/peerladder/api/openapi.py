"""The OpenAPI document, completed with the statuses every operation can answer besides
the ones its handler returns: 414 for a URL past the limit (any operation), 422 for
input that is not valid (any operation that takes parameters or a body), and for
authenticated writes 401, 403, 429 with ``Retry-After`` and, where a new account's
edit is held for review, 202."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext

# Writes that a new account's first edits go through review (catalogue.services.review).
_REVIEWED = ("post", "patch", "delete")
_NOT_REVIEWED_PATHS = ("/rating",)


def _message(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MessageOut"}}},
    }


def _errors(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }


def _complete(path: str, method: str, operation: dict[str, Any]) -> None:
    # Status codes as strings, as JSON has them: an operation whose openapi_extra says
    # "200" beside the handler's 200 would otherwise list it twice.
    responses: dict[str, Any] = {}
    for code, response in operation.get("responses", {}).items():
        responses.setdefault(str(code), response)
    if isinstance(operation.get("responses"), dict):
        for code, response in operation["responses"].items():
            if isinstance(code, str):
                responses[code] = response  # the explicit document wins
    operation["responses"] = responses
    responses.setdefault("414", _message("The URL is longer than the server takes"))
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", _errors("A parameter or the body is not valid; all named"))
    if operation.get("security"):
        responses.setdefault("401", _message("No valid bearer token"))
        responses.setdefault("403", _message("This account may not make this change"))
        too_many = _message("Too many edits: wait for the seconds in Retry-After")
        too_many["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds"}
        }
        responses.setdefault("429", too_many)
        if method in _REVIEWED and not path.endswith(_NOT_REVIEWED_PATHS):
            responses.setdefault(
                "202", _message("Held for a moderator's review (a new account's edit)")
            )


def complete_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the statuses above to every operation of ``schema`` (in place; returned)."""
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            _complete(path, method, operation)
    return schema


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists every status an operation can answer, and
    whose validation errors keep the value received (ninja drops it), so a 422 can say
    what came in beside what is allowed."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return complete_responses(super().get_openapi_schema(*args, **kwargs))

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for item in context.pydantic_validation_error.errors(include_url=False):
                where = model.__ninja_flatten_map_reverse__.get(item["loc"], item["loc"])
                item["loc"] = (model.__ninja_param_source__, *where)
                context_values = item.get("ctx") or {}
                if isinstance(context_values.get("error"), Exception):
                    context_values["error"] = str(context_values["error"])
                errors.append(dict(item))
        return ValidationError(errors)
