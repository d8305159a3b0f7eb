"""What the decision procedure returns: a classification, or field errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from peerladder.ladder.messages import Lookup, Message, english

# The words of a result in its readable text form (``peerladder classify --format
# text``): the labels only; keys and values stay as they are.
TEXT_FORM: dict[str, Message] = {
    part: Message(f"result.text.{part}", text)
    for part, text in {
        "line": "Line {line}",
        "rung": "rung {number}, {name} ({view})",
        "view.firm": "firm view",
        "view.community": "community view",
        "economy": "economy",
        "viability": "viability",
        "why": "why",
        "warnings": "warnings",
        "no-economy": "none",
        "not-assessed": "not assessed",
        "cannot-classify": "cannot classify",
    }.items()
}

# How a message names a field by a form's label, in place of the field's own name:
# quoted as each language quotes ("Founded" must be ...).
FIELD_LABEL = Message("field-error.label", "“{label}”")

_RESULT_FIELDS = (
    "rung",
    "key",
    "view",
    "name",
    "economy",
    "viability",
    "explanation",
    "warnings",
)


@dataclass(frozen=True, slots=True)
class Classification:
    """Where a set of answers puts a case on the ladder, and why."""

    rung: int
    key: str
    view: str
    name: str
    economy: str | None
    viability: str | None
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]
    # The same sentences as keyed messages, for the shells to translate. A result
    # rebuilt by :meth:`from_dict` has none, and is shown in English.
    explanation_messages: tuple[Message, ...] = field(default=(), compare=False, repr=False)
    warning_messages: tuple[Message, ...] = field(default=(), compare=False, repr=False)

    def as_dict(self, lookup: Lookup = english) -> dict[str, object]:
        """The JSON shape of the public interface (lists, not tuples), its texts (the
        rung's name, the explanation and the warnings) through ``lookup``."""
        return {
            "rung": self.rung,
            "key": self.key,
            "view": self.view,
            "name": self._name(lookup),
            "economy": self.economy,
            "viability": self.viability,
            "explanation": _rendered(self.explanation, self.explanation_messages, lookup),
            "warnings": _rendered(self.warnings, self.warning_messages, lookup),
        }

    def translated(self, lookup: Lookup) -> Classification:
        """A copy with the rung's name, the explanation and the warnings in the language
        of ``lookup``; every key and value is the same."""
        if lookup is english:
            return self
        return replace(
            self,
            name=self._name(lookup),
            explanation=tuple(_rendered(self.explanation, self.explanation_messages, lookup)),
            warnings=tuple(_rendered(self.warnings, self.warning_messages, lookup)),
        )

    def _name(self, lookup: Lookup) -> str:
        if lookup is english:
            return self.name
        return Message(f"rung.{self.rung}.name", self.name).render(lookup)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Classification:
        """Rebuild a classification from :meth:`as_dict` output (``ValueError`` if malformed)."""
        missing = [name for name in _RESULT_FIELDS if name not in data]
        if missing:
            raise ValueError(f"classification is missing {', '.join(missing)}")
        number = data["rung"]
        if not isinstance(number, int) or isinstance(number, bool):
            raise ValueError(f"rung must be an integer, not {number!r}")
        return cls(
            rung=number,
            key=_text(data, "key"),
            view=_text(data, "view"),
            name=_text(data, "name"),
            economy=_optional_text(data, "economy"),
            viability=_optional_text(data, "viability"),
            explanation=_texts(data, "explanation"),
            warnings=_texts(data, "warnings"),
        )


def _rendered(texts: tuple[str, ...], messages: tuple[Message, ...], lookup: Lookup) -> list[str]:
    if lookup is english or len(messages) != len(texts):
        return list(texts)
    return [message.render(lookup) for message in messages]


def _text(data: Mapping[str, object], name: str) -> str:
    value = data[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    return value


def _optional_text(data: Mapping[str, object], name: str) -> str | None:
    value = data[name]
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string or null, not {value!r}")
    return value


def _texts(data: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = data[name]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of strings, not {value!r}")
    return tuple(value)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with an answer set.

    ``field`` is ``None`` when the answers as a whole are wrong (not an object).
    ``allowed`` lists the allowed values (or field names, for an unknown field).
    """

    field: str | None
    received: object
    allowed: Sequence[str] | None
    message: str
    # The message as a keyed text, for the shells to show in the reader's language;
    # None for a message written as plain English (shown as it is everywhere).
    # (``dataclasses.field``: ``field`` here is the error's own field.)
    text: Message | None = dataclasses.field(default=None, compare=False, repr=False)

    @classmethod
    def keyed(
        cls, field: str | None, received: object, allowed: Sequence[str] | None, text: Message
    ) -> FieldError:
        """A field error whose message is ``text``: English in ``message``, translatable."""
        return cls(field=field, received=received, allowed=allowed, message=str(text), text=text)

    def shown(self, lookup: Lookup = english, *, field_label: str | None = None) -> str:
        """The message in the language of ``lookup`` (a plain English one as it is).

        With ``field_label`` (a form's label for the field, shown beside the message)
        the message names the field by that label instead of its machine name."""
        text = self.text
        if text is None:
            return self.message
        if field_label is not None and ("field", self.field) in text.params:
            quoted = FIELD_LABEL.filled(label=field_label)
            params = tuple(
                (name, quoted if name == "field" else value) for name, value in text.params
            )
            text = Message(text.key, text.template, params)
        elif lookup is english:
            return self.message
        return text.render(lookup)

    def as_dict(self, lookup: Lookup = english) -> dict[str, object]:
        """The JSON shape of the public interface; only ``message`` follows ``lookup``."""
        return {
            "field": self.field,
            "received": _jsonable(self.received),
            "allowed": None if self.allowed is None else list(self.allowed),
            "message": self.shown(lookup),
        }


def _jsonable(value: object, depth: int = 0) -> object:
    """``value`` if JSON can carry it as it is, else its ``repr``."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if depth < 20 and isinstance(value, list | tuple):
        return [_jsonable(v, depth + 1) for v in value]
    if depth < 20 and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _jsonable(v, depth + 1) for k, v in value.items()}
    return repr(value)


class InvalidAnswers(ValueError):
    """The answers cannot be classified; ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors: list[FieldError] = list(errors)
        super().__init__("; ".join(error.message for error in self.errors))

    def as_list(self, lookup: Lookup = english) -> list[dict[str, object]]:
        """The errors in the JSON shape of the public interface, their messages through
        ``lookup``."""
        return [error.as_dict(lookup) for error in self.errors]
