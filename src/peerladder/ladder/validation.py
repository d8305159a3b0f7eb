"""The thorough error report for answers that cannot be classified.

It runs only when something is wrong, so it favours clear messages over speed:
every problem of an answer set is reported together, each naming the field,
the value received and the values allowed.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping

from peerladder.ladder.messages import Message
from peerladder.ladder.questions import QUESTIONS, question
from peerladder.ladder.result import FieldError

__all__ = ["collect_errors", "not_an_object", "validation_messages"]

_FIELDS: tuple[str, ...] = tuple(q.field for q in QUESTIONS)


def _m(key: str, template: str) -> Message:
    return Message(f"answers.error.{key}", template)


# Every wording of a refusal, keyed so that the shells can translate it. Field names,
# values and the lists of allowed ones stay as they are in every language.
_NOT_AN_OBJECT = _m(
    "not-an-object", "the answers must be a JSON object of field names and values, not {kind}"
)
_JSON_KINDS = {
    kind: _m(f"json.{kind}", text)
    for kind, text in {
        "boolean": "a boolean",
        "number": "a number",
        "string": "a string",
        "array": "an array",
        "other": "a {name}",
    }.items()
}
_NOT_ALLOWED = _m(
    "not-allowed", "{value} is not an allowed value for '{field}'; allowed: {allowed}"
)
_MISSING_ALWAYS = _m(
    "missing.always", "'{field}' is missing: it is always required; allowed: {allowed}"
)
_MISSING_ON_BRANCH = _m(
    "missing.branch",
    "'{field}' is missing: it is required on this branch ({condition}); allowed: {allowed}",
)
_UNKNOWN = _m("unknown-field", "'{name}' is not a field of the answers; fields: {fields}")
_UNKNOWN_CLOSE = _m(
    "unknown-field.close",
    "'{name}' is not a field of the answers (did you mean '{close}'?); fields: {fields}",
)


def validation_messages() -> list[Message]:
    """Every wording of a refusal of answers, for the translation catalogue."""
    return [
        _NOT_AN_OBJECT,
        *_JSON_KINDS.values(),
        _NOT_ALLOWED,
        _MISSING_ALWAYS,
        _MISSING_ON_BRANCH,
        _UNKNOWN,
        _UNKNOWN_CLOSE,
    ]


def not_an_object(answers: object) -> FieldError:
    kind = _json_type(answers)
    return FieldError.keyed(None, str(kind), None, _NOT_AN_OBJECT.filled(kind=kind))


def _json_type(value: object) -> Message | str:
    """What JSON calls ``value``, as words ("a number"); ``null`` as it is written."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _JSON_KINDS["boolean"]
    if isinstance(value, int | float):
        return _JSON_KINDS["number"]
    if isinstance(value, str):
        return _JSON_KINDS["string"]
    if isinstance(value, list | tuple):
        return _JSON_KINDS["array"]
    return _JSON_KINDS["other"].filled(name=type(value).__name__)


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
            FieldError.keyed(
                field,
                value,
                list(allowed),
                _NOT_ALLOWED.filled(value=_show(value), field=field, allowed=", ".join(allowed)),
            )
        )
    for q in QUESTIONS:
        if q.required and q.field not in answers and q.is_asked(valid):
            allowed_text = ", ".join(q.allowed)
            text = (
                _MISSING_ALWAYS.filled(field=q.field, allowed=allowed_text)
                if q.required_when == "always"
                else _MISSING_ON_BRANCH.filled(
                    field=q.field, condition=q.required_when, allowed=allowed_text
                )
            )
            errors.append(FieldError.keyed(q.field, None, list(q.allowed), text))
    return errors


def _unknown_field(field: object) -> FieldError:
    name = field if isinstance(field, str) else str(field)
    close = difflib.get_close_matches(name, _FIELDS, n=1, cutoff=0.6)
    fields = ", ".join(_FIELDS)
    text = (
        _UNKNOWN_CLOSE.filled(name=name, close=close[0], fields=fields)
        if close
        else _UNKNOWN.filled(name=name, fields=fields)
    )
    return FieldError.keyed(name, name, list(_FIELDS), text)
