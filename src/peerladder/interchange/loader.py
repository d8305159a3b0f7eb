"""Loading case records (docs/dataset-format.md) into the catalogue, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from peerladder.accounts.models import User
from peerladder.accounts.services import user_ensure
from peerladder.catalogue import services
from peerladder.catalogue.errors import InvalidInput
from peerladder.catalogue.models import Case
from peerladder.interchange.jsonl import InvalidFile, LocatedProblem

CASE_KEYS = (
    "slug",
    "name",
    "summary",
    "description",
    "website",
    "wikidata",
    "countries",
    "sector",
    "org_form",
    "founded",
    "ended",
    "tags",
)


def _problems(where: str, exc: InvalidInput) -> list[LocatedProblem]:
    return [
        LocatedProblem(where, error.field, error.received, error.message, error.allowed)
        for error in exc.errors
    ]


def load_records(
    records: Iterable[tuple[str, Any]],
    *,
    default_author: str = "peerladder-import",
    on_record: Callable[[], None] | None = None,
) -> int:
    """Create every case of ``records`` (pairs of "file:line" and record) in one transaction.

    Each placement is attributed to its ``author`` (an account made when missing).
    Relations are added once every case exists. Raises InvalidFile listing every
    problem; then nothing is written.
    """
    problems: list[LocatedProblem] = []
    relations: list[tuple[str, Case, User, dict[str, Any]]] = []
    count = 0
    with transaction.atomic():
        for where, record in records:
            if not isinstance(record, dict):
                problems.append(
                    LocatedProblem(where, None, None, "a case record must be an object")
                )
                continue
            placements = record.get("placements") or []
            if not isinstance(placements, list):
                placements = []
            by_author: dict[str, list[dict[str, Any]]] = {}
            for placement in placements:
                author = placement.get("author") if isinstance(placement, dict) else None
                by_author.setdefault(author or default_author, []).append(placement)
            authors = list(by_author) or [default_author]
            first = user_ensure(username=authors[0])
            try:
                case = services.case_create(
                    author=first,
                    fields={key: record.get(key) for key in CASE_KEYS},
                    sources=record.get("sources") or [],
                    placements=by_author.get(authors[0], []),
                    summary="Imported",
                )
                for name in authors[1:]:
                    for placement in by_author[name]:
                        services.placement_add(
                            case=case,
                            author=user_ensure(username=name),
                            answers=placement.get("answers"),
                            valid_from=placement.get("valid_from"),
                            valid_to=placement.get("valid_to"),
                            rationale=placement.get("rationale"),
                            sources=placement.get("sources") or [],
                        )
            except InvalidInput as exc:
                problems.extend(_problems(where, exc))
                continue
            relations.extend((where, case, first, rel) for rel in record.get("relations") or [])
            count += 1
            if on_record:
                on_record()
        if not problems:
            for where, case, author, relation in relations:
                try:
                    services.relation_add(case=case, author=author, relation=relation)
                except InvalidInput as exc:
                    problems.extend(_problems(where, exc))
        if problems:
            # Leaving the block by an exception rolls the whole load back.
            raise InvalidFile(problems)
    return count
