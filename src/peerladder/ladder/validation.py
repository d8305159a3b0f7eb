"""The thorough error report for answers that cannot be classified.

It runs only when something is wrong, so it favours clear messages over speed:
every problem of an answer set is reported together, each naming the field,
the value received and the values allowed.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping

from peerladder.ladder.questions import QUESTIONS, question
from peerladder.ladder.result import FieldError

__all__ = ["collect_errors", "not_an_object"]

_FIELDS: tuple[str, ...] = tuple(q.field for q in QUESTIONS)


def not_an_object(answers: object) -> FieldError:
    kind = _json_type(answers)
    return FieldError(
        field=None,
        received=kind,
        allowed=None,
        message=f"the answers must be a JSON object of field names and values, not {kind}",
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    return f"a {type(value).__name__}"


def _show(value: object) -> str:
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def collect_errors(answers: Mapping[str, object]) -> list[FieldError]:
    errors: list[FieldError] = []
    valid: dict[str, object] = {}
    for field, value in answers.items():
        if not isinstance(field, str) or field not in _FIELDS:
            errors.append(_unknown_field(field))
            continue
        allowed = question(field).allowed
        if isinstance(value, str) and value in allowed:
            valid[field] = value
            continue
        errors.append(
            FieldError(
                field=field,
                received=value,
                allowed=list(allowed),
                message=f"{_show(value)} is not an allowed value for '{field}'; "
                f"allowed: {', '.join(allowed)}",
            )
        )
    for q in QUESTIONS:
        if q.required and q.field not in answers and q.is_asked(valid):
            where = (
                "it is always required"
                if q.required_when == "always"
                else f"it is required on this branch ({q.required_when})"
            )
            errors.append(
                FieldError(
                    field=q.field,
                    received=None,
                    allowed=list(q.allowed),
                    message=f"'{q.field}' is missing: {where}; allowed: {', '.join(q.allowed)}",
                )
            )
    return errors


def _unknown_field(field: object) -> FieldError:
    name = field if isinstance(field, str) else str(field)
    close = difflib.get_close_matches(name, _FIELDS, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return FieldError(
        field=name,
        received=name,
        allowed=list(_FIELDS),
        message=f"'{name}' is not a field of the answers{hint}; fields: {', '.join(_FIELDS)}",
    )
