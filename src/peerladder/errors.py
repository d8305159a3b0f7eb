"""Domain refusals shared by every app (accounts, catalogue, interchange); the API, the CLI
and the pages map them to 4xx in one place."""

from __future__ import annotations

from collections.abc import Sequence

from peerladder.ladder import FieldError, Lookup, english
from peerladder.text import printable


class CatalogueError(Exception):
    """Base of every refusal a service can give."""


class InvalidInput(CatalogueError):
    """The input breaks a rule; ``errors`` names every field, value and what is allowed."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(error.message for error in self.errors))

    def as_list(self, lookup: Lookup = english) -> list[dict[str, object]]:
        """The errors as JSON-ready dicts, their messages through ``lookup``, with any
        text no encoder can hold replaced."""
        return [printable(error.as_dict(lookup)) for error in self.errors]


class EditConflict(CatalogueError):
    """Someone else changed the case since the revision the edit started from."""

    def __init__(self, *, expected: int, current: int) -> None:
        self.expected = expected
        self.current = current
        super().__init__(
            f"the case changed since revision {expected}; it is now at revision {current}"
        )


class NotAllowed(CatalogueError):
    """The account may not make this change (a locked case, a blocked account, another's
    placement)."""
