"""Problems found in an input file, each naming where it is (file, line or record)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peerladder.errors import CatalogueError, InvalidInput
from peerladder.ladder import FieldError
from peerladder.text import printable


@dataclass(frozen=True)
class LocatedProblem:
    """One problem in an input file: where it is and what is wrong."""

    where: str
    field: str | None
    received: Any
    message: str
    allowed: Any = None

    def line(self) -> str:
        """One line naming where, the field, the problem, the value received and what is
        allowed (each left out when unknown or already said by the message)."""
        field = f" {self.field}:" if self.field and not self.message.startswith(self.field) else ""
        parts = [f"{self.where}:{field} {self.message}"]
        if self.received is not None:
            received = repr(self.received)
            if len(received) > 80:
                received = received[:79] + "…"
            if received not in self.message and str(self.received) not in self.message:
                parts.append(f"received {received}")
        if self.allowed:
            allowed = ", ".join(map(str, self.allowed))
            if allowed not in self.message:
                parts.append(f"allowed: {allowed}")
        return str(printable("; ".join(parts)))


class InvalidFile(Exception):
    """The file cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[LocatedProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(problem.line() for problem in problems))


def located(where: str, errors: Iterable[FieldError]) -> list[LocatedProblem]:
    """The checks' field errors of one record, located in the file."""
    return [
        LocatedProblem(where, error.field, error.received, error.message, error.allowed)
        for error in errors
    ]


def problems_of(where: str, refusal: CatalogueError) -> list[LocatedProblem]:
    """A service's refusal while writing one record, located in the file."""
    if isinstance(refusal, InvalidInput):
        return located(where, refusal.errors)
    return [LocatedProblem(where, None, None, str(refusal))]
