"""The import: parsed records into the catalogue, all or nothing.

Records are checked and planned a batch at a time (:mod:`peerladder.interchange.plan`)
inside one transaction. While no record has failed, each batch's new cases are
written at once (the rows of :mod:`peerladder.catalogue.bulk`, each batch added to
the search index as it is written); every later record is still checked so
that all problems are reported, and any problem rolls the whole import back.

An import of at least ``TWO_PROCESSES_FROM`` records into SQLite (not a dry run)
runs on two cores: a worker process reads, checks and plans the records and builds the rows
(:mod:`peerladder.interchange.pipeline`) while this process, which alone talks
to the database, writes the batch before. Smaller imports, where starting the
worker costs more than it saves, do both in turn in this process.
Existing cases, matched by slug or Wikidata id, are changed afterwards through the
services, with revisions by the importing account: fields that differ are
updated, and sources, placements and relations not yet there are added. Nothing
is deleted. Placements keep the author their record names (or the importing account).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, BinaryIO, NamedTuple

from django.db import connection, transaction

from peerladder.accounts.models import User
from peerladder.accounts.services import user_ensure
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue import services
from peerladder.catalogue.bulk import BULK_MODELS, CaseRows, cases_bulk_create, write_case_rows
from peerladder.catalogue.models import Case
from peerladder.catalogue.table_writer import LargeWrite, table_writer
from peerladder.catalogue.validation import clean_author
from peerladder.errors import CatalogueError, InvalidInput, NotAllowed
from peerladder.interchange import pipeline
from peerladder.interchange.parsers import iter_jsonl, parse
from peerladder.interchange.pipeline import ID_MODELS, AccountRef, Answer, Batch, Lookup, Worker
from peerladder.interchange.plan import Planner, RecordPlan, existing_cases, known_slugs
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
# An import of at least this many records plans and builds its rows in a worker
# process beside the one writing them, on these databases (docs/benchmarks.md has
# the measurements). Not on PostgreSQL: its server already works in a process of its
# own, and on two cores a third busy process only slowed its COPY down.
TWO_PROCESSES_FROM = 5_000
TWO_PROCESSES_ON = ("sqlite",)


class Planned(NamedTuple):
    """What the import does with one record (kept light: no record, no case; the
    description only for a dry run, which lists it). A tuple: an import makes one
    per record, and a tuple is made in a third of a frozen dataclass's time."""

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
    summary = (
        summaries.IMPORTED_FROM.text(source=source_name)
        if source_name
        else summaries.IMPORTED.text()
    )
    if dry_run:
        planner = Planner(default_author=user)
        problems: list[LocatedProblem] = []
        for batch in pipeline.batches(records, BATCH):
            plans, found = planner.plan(batch)
            problems += found
            report.plans += [Planned(p.where, p.slug, p.action, p.describe()) for p in plans]
            if on_progress:
                on_progress(len(batch))
        problems += planner.finish()
        if problems:
            raise InvalidFile(problems)
        return report
    records, two_processes = _two_processes(records)
    with transaction.atomic():
        writer = _Writer(user, summary)
        # Counted inside the transaction: no other import can add cases meanwhile.
        writer.stored = Case.objects.count()
        rebuild_after = max(REBUILD_INDEXES_AFTER, writer.stored)
        with index_deferred() as index, table_writer().large_write() as large:
            run = _Run(report, writer, index, large, rebuild_after, on_progress)
            if two_processes:
                run.from_worker(records)
            else:
                run.in_turn(records)
        if not run.problems:
            run.problems += writer.finish(run.later)
        if run.problems:
            # Leaving the block by an exception rolls back everything written so far.
            raise InvalidFile(run.problems)
    return report


def _two_processes(
    records: Iterable[tuple[str, Any]],
) -> tuple[Iterable[tuple[str, Any]], bool]:
    """Whether to import ``records`` with a worker process, and the records to import
    (the same; a stream's first ones are read here to count them)."""
    if connection.vendor not in TWO_PROCESSES_ON or not pipeline.available():
        return records, False
    if isinstance(records, Sequence):
        return records, len(records) >= TWO_PROCESSES_FROM
    iterator = iter(records)
    head = list(islice(iterator, TWO_PROCESSES_FROM))
    if len(head) < TWO_PROCESSES_FROM:
        return head, False
    return chain(head, iterator), True


class _Run:
    """One import being written: its problems so far, and what it writes at the end."""

    def __init__(
        self,
        report: ImportReport,
        writer: _Writer,
        index: BulkIndex,
        large: LargeWrite,
        rebuild_after: int,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        self.report, self.writer, self.index, self.large = report, writer, index, large
        self.rebuild_after: int | None = rebuild_after
        self.on_progress = on_progress
        self.problems: list[LocatedProblem] = []
        self.later: list[RecordPlan] = []  # updates and relations, written after the new cases
        self.created = 0

    def in_turn(self, records: Iterable[tuple[str, Any]]) -> None:
        """Plan each batch, then write it, in this process."""
        planner = Planner(default_author=self.writer.account.username)
        for batch in pipeline.batches(records, BATCH):
            plans, found = planner.plan(batch)
            self.problems += found
            self.report.plans += [Planned(p.where, p.slug, p.action, "") for p in plans]
            if not self.problems:
                creates = [p for p in plans if p.action == "create"]
                self.problems += self.writer.create(creates, self.index)
                self.later += [p for p in plans if p.action == "update" or pipeline.relations_of(p)]
                self._created(len(creates))
            if self.on_progress:
                self.on_progress(len(batch))
        self.problems += planner.finish()

    def from_worker(self, records: Iterable[tuple[str, Any]]) -> None:
        """Write the batches a worker process plans and builds, answering its questions."""
        account = self.writer.account
        setup = pipeline.WorkerSetup(
            AccountRef(account.pk, account.username), self.writer.summary, BATCH
        )
        with Worker(records, setup) as worker:
            for kind, body in worker.messages():
                if kind == "lookup":
                    worker.answer(self.writer.answer(body, reserve=not self.problems))
                elif kind == "batch":
                    self._take(body)
                elif kind == "targets":
                    worker.answer(known_slugs(body))
                else:  # done
                    self.problems += body
                    return

    def _take(self, batch: Batch) -> None:
        self.report.plans += [
            Planned(where, slug, action, "") for where, slug, action in batch.planned
        ]
        self.problems += batch.problems
        if batch.rows is not None and not self.problems:
            self.problems += self.writer.create_rows(batch.rows, batch.first, self.index)
            self.writer.ids.update(batch.case_ids)
            self.later += batch.later
            self._created(len(batch.rows.case_ids))
        if self.on_progress:
            self.on_progress(batch.size)

    def _created(self, count: int) -> None:
        self.created += count
        if self.rebuild_after is not None and self.created >= self.rebuild_after:
            # Updates read cases by id and their rows by case, so keep those.
            self.large.defer_indexes(BULK_MODELS, keep_leading=("case_id",))
            self.rebuild_after = None


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
        # One writer for the whole import: on SQLite it remembers the ids it reserved
        # for rows the worker is still building.
        self.table = table_writer()
        self.stored = 0  # cases in the catalogue before the import

    def _authors(self, names: Iterable[str | None]) -> dict[str, User]:
        """The accounts of ``names`` not met before (created if missing)."""
        new: dict[str, User] = {}
        for name in names:
            if name and name != self.account.username and name not in self.authors:
                self.authors[name] = new[name] = user_ensure(username=name)
        return new

    def create(self, plans: list[RecordPlan], index: BulkIndex) -> list[LocatedProblem]:
        """Write a batch of new cases at once."""
        self._authors(
            placement.author
            for plan in plans
            if plan.new is not None
            for placement in plan.new.placements
        )
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

    def answer(self, lookup: Lookup, *, reserve: bool) -> Answer:
        """What the worker asks about a batch; ids for its rows only if ``reserve``."""
        # Names as check_case leaves them; one it refuses is reported by the worker.
        new = self._authors(clean_author(name, [], field="author") for name in lookup.authors)
        return Answer(
            # Into an empty catalogue a record can match only a case of the file, which
            # the worker refuses anyway (a slug or Wikidata id given twice).
            existing=existing_cases(lookup.slugs, lookup.wikidata) if self.stored else ({}, {}),
            accounts={name: AccountRef(user.pk, user.username) for name, user in new.items()},
            ids=tuple(
                self.table.reserve_ids(model, most)
                for model, most in zip(ID_MODELS, lookup.most, strict=True)
            )
            if reserve
            else None,
        )

    def create_rows(self, rows: CaseRows, where: str, index: BulkIndex) -> list[LocatedProblem]:
        """Write the rows of a batch of new cases built by the worker."""
        if not rows.case_ids:
            return []
        try:
            with transaction.atomic():  # a refusal leaves the transaction usable
                write_case_rows(rows, self.table)
        except InvalidInput as exc:
            return problems_of(where, exc)
        index.add(rows.case_ids)
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
            relations = pipeline.relations_of(plan)
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
