"""Reading case records from JSON Lines, with errors that name the file and line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson


@dataclass(frozen=True)
class LocatedProblem:
    """One problem in an input file: where it is and what is wrong."""

    where: str
    field: str | None
    received: Any
    message: str
    allowed: Any = None

    def line(self) -> str:
        field = f" {self.field}:" if self.field else ""
        allowed = f" (allowed: {', '.join(map(str, self.allowed))})" if self.allowed else ""
        return f"{self.where}:{field} {self.message}{allowed}"


class InvalidFile(Exception):
    """The file cannot be imported; ``problems`` lists every problem found."""

    def __init__(self, problems: list[LocatedProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(problem.line() for problem in problems))


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, parsed object)`` for each non-blank line; raise on bad JSON."""
    problems: list[LocatedProblem] = []
    records: list[tuple[int, Any]] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                records.append((number, orjson.loads(raw)))
            except orjson.JSONDecodeError as exc:
                problems.append(
                    LocatedProblem(f"{path.name}:{number}", None, None, f"not valid JSON ({exc})")
                )
    if problems:
        raise InvalidFile(problems)
    yield from records
