"""The import: parsed records into the catalogue, all or nothing, through the services.

Records are checked and planned first (:mod:`peerladder.interchange.plan`);
then every write runs in one transaction. New cases are created by the
importing account; placements keep the author their record names (or the
importing account). Existing cases, matched by slug or Wikidata id, are
changed with revisions by the importing account: fields that differ are
updated, and sources, placements and relations not yet there are added.
Nothing is deleted. Any refusal rolls the whole import back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from peerladder.accounts.models import User
from peerladder.accounts.services import user_ensure
from peerladder.catalogue import services
from peerladder.catalogue.bulk import cases_bulk_create
from peerladder.catalogue.errors import CatalogueError, InvalidInput
from peerladder.catalogue.models import Case
from peerladder.catalogue.validation import CASE_FIELDS
from peerladder.interchange.jsonl import InvalidFile, LocatedProblem
from peerladder.interchange.plan import RecordPlan, plan_import

__all__ = ["DEFAULT_IMPORT_USER", "ImportReport", "import_records"]

DEFAULT_IMPORT_USER = "peerladder-import"


# New cases are written this many at a time (see catalogue.bulk).
BATCH = 500


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    plans: list[RecordPlan] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: str) -> int:
        return sum(1 for plan in self.plans if plan.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def summary(self) -> str:
        verb = "would create" if self.dry_run else "created"
        changed = "would update" if self.dry_run else "updated"
        return (
            f"{len(self.plans)} records: {verb} {self.created}, {changed} {self.updated}, "
            f"{self.unchanged} unchanged"
        )


def import_records(
    records: Iterable[tuple[str, Any]],
    *,
    user: str = DEFAULT_IMPORT_USER,
    dry_run: bool = False,
    source_name: str = "",
    on_start: Callable[[int], None] | None = None,
    on_record: Callable[[], None] | None = None,
) -> ImportReport:
    """Check every record, then (unless ``dry_run``) write them all in one transaction.

    ``records`` are ``(where, record)`` pairs from :mod:`peerladder.interchange.parsers`.
    Raises InvalidFile listing every problem; then nothing is written. ``on_start``
    gets the number of records about to be written, ``on_record`` is called after each.
    """
    plans = plan_import(records, default_author=user)
    report = ImportReport(plans=plans, dry_run=dry_run)
    if dry_run:
        return report
    if on_start:
        on_start(len(plans))
    summary = f"Imported from {source_name}" if source_name else "Imported"
    problems: list[LocatedProblem] = []
    with transaction.atomic():
        account = user_ensure(username=user)
        cases: dict[str, Case] = {}
        creates = [plan for plan in plans if plan.action == "create"]
        for start in range(0, len(creates), BATCH):
            batch = creates[start : start + BATCH]
            problems.extend(_create_batch(batch, account, summary, cases))
            if on_record:
                for _ in batch:
                    on_record()
        for plan in plans:
            if plan.action == "create":
                continue
            try:
                cases[plan.slug] = _apply(plan, account, summary)
            except CatalogueError as exc:
                problems.extend(_located(plan.where, exc))
            if on_record:
                on_record()
        if not problems:
            for plan in plans:
                relations = (
                    plan.record.get("relations") or []
                    if plan.action == "create"
                    else plan.new_relations
                )
                for relation in relations:
                    try:
                        services.relation_add(
                            case=cases[plan.slug], author=account, relation=relation
                        )
                    except CatalogueError as exc:
                        problems.extend(_located(plan.where, exc))
        if problems:
            # Leaving the block by an exception rolls back everything written so far.
            raise InvalidFile(problems)
    return report


def _create_batch(
    batch: list[RecordPlan], account: User, summary: str, cases: dict[str, Case]
) -> list[LocatedProblem]:
    """Create a batch of new cases in one go; the problems, each located in its record."""
    accounts: dict[str, User] = {}
    for plan in batch:
        for placement in plan.record.get("placements") or []:
            name = placement.get("author") if isinstance(placement, dict) else None
            if name and name != account.username and name not in accounts:
                accounts[name] = user_ensure(username=name)
    try:
        made = cases_bulk_create(
            author=account,
            records=[plan.record for plan in batch],
            authors=accounts,
            summary=summary,
        )
    except InvalidInput as exc:
        located = []
        for error in exc.errors:
            index, _, field = (error.field or "").partition("].")
            plan = batch[int(index.removeprefix("records["))]
            located.append(
                LocatedProblem(
                    plan.where, field or None, error.received, error.message, error.allowed
                )
            )
        return located
    except CatalogueError as exc:
        return _located(batch[0].where, exc)
    for plan, case in zip(batch, made, strict=True):
        cases[plan.slug] = case
    return []


def _located(where: str, exc: CatalogueError) -> list[LocatedProblem]:
    if isinstance(exc, InvalidInput):
        return [
            LocatedProblem(where, error.field, error.received, error.message, error.allowed)
            for error in exc.errors
        ]
    return [LocatedProblem(where, None, None, str(exc))]


def _author(name: str | None, account: User, accounts: dict[str, User]) -> User:
    if not name or name == account.username:
        return account
    if name not in accounts:
        accounts[name] = user_ensure(username=name)
    return accounts[name]


def _add_placements(case: Case, placements: list[dict[str, Any]], account: User) -> None:
    accounts: dict[str, User] = {}
    for placement in placements:
        services.placement_add(
            case=case,
            author=_author(placement.get("author"), account, accounts),
            answers=placement.get("answers"),  # type: ignore[arg-type]
            valid_from=placement.get("valid_from"),  # type: ignore[arg-type]
            valid_to=placement.get("valid_to"),
            rationale=placement.get("rationale"),  # type: ignore[arg-type]
            sources=placement.get("sources") or [],
        )


def _apply(plan: RecordPlan, account: User, summary: str) -> Case:
    record = plan.record
    if plan.action == "create":
        placements = list(record.get("placements") or [])
        # The leading placements of the importing account go in with the case; the rest
        # follow in file order, so the placements keep the order the record gives.
        lead = 0
        while lead < len(placements) and placements[lead].get("author") in (
            None,
            "",
            account.username,
        ):
            lead += 1
        case = services.case_create(
            author=account,
            fields={key: record[key] for key in CASE_FIELDS if key in record},
            sources=record.get("sources") or [],
            placements=placements[:lead],
            summary=summary,
        )
        _add_placements(case, placements[lead:], account)
        return case
    case = plan.case
    assert case is not None
    if plan.action == "unchanged":
        return case
    if plan.changes:
        case = services.case_update(
            case=case, author=account, changes=plan.changes, base_revision=None, summary=summary
        )
    for source in plan.new_sources:
        services.source_add(case=case, author=account, source=source)
    _add_placements(case, plan.new_placements, account)
    return case
