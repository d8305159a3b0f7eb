"""The import: parsed records into the catalogue, all or nothing.

Records are checked and planned a batch at a time (:mod:`peerladder.interchange.plan`)
inside one transaction. While no record has failed, each batch's new cases are
written at once (:func:`peerladder.catalogue.bulk.cases_bulk_create`, with the
search index filled in bulk at the end); every later record is still checked so
that all problems are reported, and any problem rolls the whole import back.
Existing cases, matched by slug or Wikidata id, are changed afterwards through the
services, with revisions by the importing account: fields that differ are
updated, and sources, placements and relations not yet there are added. Nothing
is deleted. Placements keep the author their record names (or the importing account).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, BinaryIO

from django.db import transaction

from peerladder.accounts.models import User
from peerladder.accounts.services import user_ensure
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue import services
from peerladder.catalogue.bulk import BULK_MODELS, cases_bulk_create
from peerladder.catalogue.models import Case
from peerladder.catalogue.table_writer import table_writer
from peerladder.errors import CatalogueError, InvalidInput, NotAllowed
from peerladder.interchange.parsers import iter_jsonl, parse
from peerladder.interchange.plan import Planner, RecordPlan
from peerladder.interchange.problems import InvalidFile, LocatedProblem, problems_of
from peerladder.search.bulk import BulkIndex, index_deferred, settle_after_bulk_load

__all__ = [
    "DEFAULT_IMPORT_USER",
    "ImportReport",
    "collector_paused",
    "import_file",
    "import_records",
]

DEFAULT_IMPORT_USER = "peerladder-import"

# Records are checked, and new cases written, this many at a time.
BATCH = 1000
# Once an import has created this many cases, and more than the catalogue held before,
# the tables' secondary indexes are set aside and built again at the end (on SQLite;
# see TableWriter.large_write): a million-case import took 197 s instead of 214 s.
REBUILD_INDEXES_AFTER = 10_000
# An import creating at least this many cases tidies the full-text index afterwards.
SETTLE_AFTER = 10_000


@dataclass(frozen=True)
class Planned:
    """What the import does with one record (kept light: no record, no case; the
    description only for a dry run, which lists it)."""

    where: str
    slug: str
    action: str
    description: str

    def describe(self) -> str:
        return self.description


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    plans: list[Planned] = field(default_factory=list)
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


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: an import builds millions of small dicts and
    lists, none in cycles, and each collection would walk all of them again (it
    made parsing and checking two to three times slower)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _batches(records: Iterable[tuple[str, Any]]) -> Iterator[list[tuple[str, Any]]]:
    iterator = iter(records)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def import_records(
    records: Iterable[tuple[str, Any]],
    *,
    user: str = DEFAULT_IMPORT_USER,
    dry_run: bool = False,
    source_name: str = "",
    on_start: Callable[[int | None], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every record and (unless ``dry_run``) write them all in one transaction.

    ``records`` are ``(where, record)`` pairs from :mod:`peerladder.interchange.parsers`.
    Raises InvalidFile listing every problem; then nothing is written. ``on_start``
    gets the number of records (None when unknown), ``on_progress`` the number of
    records handled since its last call.
    """
    with collector_paused():
        return _import(records, user, dry_run, source_name, on_start, on_progress)


def import_file(
    source: BinaryIO,
    *,
    fmt: str,
    name: str,
    user: str = DEFAULT_IMPORT_USER,
    dry_run: bool = False,
    on_start: Callable[[int | None], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    on_report: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import the file read from ``source`` in ``fmt`` (csv, json or jsonl), named
    ``name`` in problems and revisions, as :func:`import_records` does.

    JSON Lines are read a line at a time, so a million records never sit in memory
    twice; the other formats are read whole. Once an import has changed the
    catalogue, similar cases and rung suggestions learn from it again (pages keep the
    old ones meanwhile), and after a large one the full-text index is tidied first;
    that takes a while, so ``on_report`` gets the report as soon as the import is
    committed (or, for a dry run, planned).
    """
    records: Iterable[tuple[str, Any]]
    if fmt == "jsonl":
        records = iter_jsonl(source, name=name)
    else:
        with collector_paused():
            records = parse(source.read(), fmt=fmt, name=name)
    report = import_records(
        records,
        user=user,
        dry_run=dry_run,
        source_name=name,
        on_start=on_start,
        on_progress=on_progress,
    )
    if on_report is not None:
        on_report(report)
    if not dry_run and (report.created or report.updated):
        # Imported here: it loads scikit-learn, which an import needs only now.
        from peerladder.search.indexes import rebuild_indexes

        if report.created >= SETTLE_AFTER:
            settle_after_bulk_load()
        rebuild_indexes()
    return report


def _import(
    records: Iterable[tuple[str, Any]],
    user: str,
    dry_run: bool,
    source_name: str,
    on_start: Callable[[int | None], None] | None,
    on_progress: Callable[[int], None] | None,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    if on_start:
        on_start(len(records) if isinstance(records, Sequence) else None)
    planner = Planner(default_author=user)
    summary = (
        summaries.IMPORTED_FROM.text(source=source_name)
        if source_name
        else summaries.IMPORTED.text()
    )
    problems: list[LocatedProblem] = []
    with nullcontext() if dry_run else transaction.atomic():
        writer = None if dry_run else _Writer(user, summary)
        later: list[RecordPlan] = []  # updates and relations, written after the new cases
        # Counted inside the transaction: no other import can add cases meanwhile.
        rebuild_after = None if dry_run else max(REBUILD_INDEXES_AFTER, Case.objects.count())
        created = 0
        with (
            nullcontext(None) if dry_run else index_deferred() as index,
            nullcontext(None) if dry_run else table_writer().large_write() as large,
        ):
            for batch in _batches(records):
                plans, found = planner.plan(batch)
                problems += found
                report.plans += [
                    Planned(plan.where, plan.slug, plan.action, plan.describe() if dry_run else "")
                    for plan in plans
                ]
                if writer is not None and index is not None and not problems:
                    creates = [p for p in plans if p.action == "create"]
                    problems += writer.create(creates, index)
                    later += [p for p in plans if p.action == "update" or _relations(p)]
                    created += len(creates)
                    if large is not None and rebuild_after and created >= rebuild_after:
                        # Updates read cases by id and their rows by case, so keep those.
                        large.defer_indexes(BULK_MODELS, keep_leading=("case_id",))
                        rebuild_after = None
                if on_progress:
                    on_progress(len(batch))
        problems += planner.finish()
        if writer is not None and not problems:
            problems += writer.finish(later)
        if problems:
            # Leaving the block by an exception rolls back everything written so far.
            raise InvalidFile(problems)
    return report


def _relations(plan: RecordPlan) -> list[dict[str, Any]]:
    if plan.action == "create":
        return list(plan.record.get("relations") or [])
    return plan.new_relations


class _Writer:
    """Writes planned records as the importing account."""

    def __init__(self, username: str, summary: str) -> None:
        self.account = user_ensure(username=username)
        if self.account.blocked_at is not None or not self.account.is_active:
            raise InvalidFile(
                [LocatedProblem(username, None, None, "this account is blocked from editing")]
            )
        self.summary = summary
        self.authors: dict[str, User] = {}
        self.ids: dict[str, int] = {}

    def create(self, plans: list[RecordPlan], index: BulkIndex) -> list[LocatedProblem]:
        """Write a batch of new cases at once."""
        for plan in plans:
            assert plan.new is not None
            for placement in plan.new.placements:
                name = placement.author
                if name and name != self.account.username and name not in self.authors:
                    self.authors[name] = user_ensure(username=name)
        try:
            ids = cases_bulk_create(
                author=self.account,
                cases=[plan.new for plan in plans if plan.new is not None],
                authors=self.authors,
                summary=self.summary,
            )
        except (InvalidInput, NotAllowed) as exc:
            return problems_of(plans[0].where if plans else "", exc)
        index.add(ids)
        for plan, case_id in zip(plans, ids, strict=True):
            if plan.record.get("relations"):
                self.ids[plan.slug] = case_id
        return []

    def finish(self, plans: list[RecordPlan]) -> list[LocatedProblem]:
        """Apply the updates of existing cases, then every relation."""
        problems: list[LocatedProblem] = []
        cases: dict[str, Case] = {}
        for plan in plans:
            if plan.action == "update":
                try:
                    cases[plan.slug] = _apply(plan, self.account, self.summary)
                except CatalogueError as exc:
                    problems.extend(problems_of(plan.where, exc))
        if problems:
            return problems
        for plan in plans:
            relations = _relations(plan)
            if not relations:
                continue
            case = cases.get(plan.slug) or Case.objects.get(pk=self.ids[plan.slug])
            for relation in relations:
                try:
                    services.relation_add(case=case, author=self.account, relation=relation)
                except CatalogueError as exc:
                    problems.extend(problems_of(plan.where, exc))
        return problems


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
    assert plan.case is not None
    case = Case.objects.get(pk=plan.case.id)
    if plan.changes:
        case = services.case_update(
            case=case,
            author=account,
            changes=plan.changes,
            base_revision=None,
            summary=summary,
            by_operator=True,
        )
    for source in plan.new_sources:
        services.source_add(case=case, author=account, source=source)
    _add_placements(case, plan.new_placements, account)
    return case
