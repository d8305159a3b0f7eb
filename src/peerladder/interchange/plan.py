"""Checking every imported record before anything is written, and planning the import.

:func:`plan_import` checks each record with the catalogue's one check of an
incoming case (``validation.check_case``), looks for duplicates within the file,
matches records to existing cases (by slug, else by Wikidata id) and works out
what each record would create or change. It only reads the database. Every
problem of every record is collected;
:class:`~peerladder.interchange.problems.InvalidFile` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from peerladder.catalogue.models import Case
from peerladder.catalogue.record import CASE_FIELD_NAMES, TRANSLATIONS_KEY, placement_identity
from peerladder.catalogue.record_stream import CaseRow, case_row_batches_of_ids
from peerladder.catalogue.validation import CheckedCase, Errors, check_case
from peerladder.interchange.problems import InvalidFile, LocatedProblem, located
from peerladder.ladder import FieldError

__all__ = [
    "Existing",
    "Planner",
    "RecordPlan",
    "existing_cases",
    "known_slugs",
    "lookup_keys",
    "plan_import",
]

_LOOKUP_BATCH = 500

Action = Literal["create", "update", "unchanged"]


@dataclass
class RecordPlan:
    """What importing one record does: create a case, change one, or nothing."""

    where: str
    slug: str
    action: Action
    record: dict[str, Any]
    # The existing case it matches, read as a record.
    case: CaseRow | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    new_sources: list[dict[str, Any]] = field(default_factory=list)
    new_placements: list[dict[str, Any]] = field(default_factory=list)
    new_relations: list[dict[str, Any]] = field(default_factory=list)
    # The checked case to write, for a record that creates one.
    new: CheckedCase | None = None

    def describe(self) -> str:
        """One line for ``--dry-run``."""
        if self.action == "create":
            return (
                f"create {self.slug}: {len(self.record.get('sources') or [])} sources, "
                f"{len(self.record.get('placements') or [])} placements, "
                f"{len(self.record.get('relations') or [])} relations"
            )
        if self.action == "unchanged":
            return f"unchanged {self.slug}"
        parts = []
        if self.changes:
            parts.append("changes " + ", ".join(self.changes))
        for label, items in (
            ("sources", self.new_sources),
            ("placements", self.new_placements),
            ("relations", self.new_relations),
        ):
            if items:
                parts.append(f"adds {len(items)} {label}")
        return f"update {self.slug}: {'; '.join(parts)}"


# The existing cases a batch of records names: by slug and by Wikidata id.
Existing = tuple[dict[str, CaseRow], dict[str, CaseRow]]


def lookup_keys(records: Sequence[tuple[str, Any]]) -> tuple[list[str], list[str]]:
    """The slugs and the Wikidata ids that ``records`` give, to look their cases up."""
    slugs: list[str] = []
    wikidata: list[str] = []
    for _, record in records:
        if isinstance(record, dict):
            for key, names in (("slug", slugs), ("wikidata", wikidata)):
                value = record.get(key)
                if isinstance(value, str) and value:
                    names.append(value)
    return slugs, wikidata


def existing_cases(slugs: Sequence[str], wikidata: Sequence[str]) -> Existing:
    """Existing cases with one of ``slugs`` or of the ``wikidata`` ids, read as records."""
    ids: set[int] = set()
    for wanted, column in ((slugs, "slug"), (wikidata, "wikidata")):
        for start in range(0, len(wanted), _LOOKUP_BATCH):
            chunk = wanted[start : start + _LOOKUP_BATCH]
            ids.update(Case.objects.filter(**{f"{column}__in": chunk}).values_list("id", flat=True))
    by_slug: dict[str, CaseRow] = {}
    by_wikidata: dict[str, CaseRow] = {}
    if ids:
        for batch in case_row_batches_of_ids(Case.objects.all(), sorted(ids)):
            for row in batch:
                by_slug[row.slug] = row
                if row.record["wikidata"]:
                    by_wikidata[row.record["wikidata"]] = row
    return by_slug, by_wikidata


def known_slugs(targets: set[str]) -> set[str]:
    """Those of ``targets`` that are slugs of cases in the catalogue (not archived)."""
    found: set[str] = set()
    wanted = sorted(targets)
    for start in range(0, len(wanted), _LOOKUP_BATCH):
        found.update(
            Case.objects.filter(
                slug__in=wanted[start : start + _LOOKUP_BATCH], archived=False
            ).values_list("slug", flat=True)
        )
    return found


class Planner:
    """Plans an import a batch of records at a time, remembering what it needs across
    batches: the slugs and Wikidata ids seen (a repeat is an error) and the relation
    targets, checked by :meth:`finish` once every case of the file is known.

    It reads the database only to find existing cases, and only when not given what
    it would read (``existing`` of :meth:`plan`, ``known`` of :meth:`finish`): the
    import's worker process plans without a connection of its own."""

    def __init__(self, *, default_author: str) -> None:
        self.default_author = default_author
        self.seen: dict[str, dict[str, str]] = {"slug": {}, "wikidata": {}}
        self.targets: list[tuple[str, int, str, str]] = []  # where, index, subject, target

    def plan(
        self, records: Sequence[tuple[str, Any]], existing: Existing | None = None
    ) -> tuple[list[RecordPlan], list[LocatedProblem]]:
        """The plans of the valid records of one batch, and the problems of the others.
        ``existing``: the cases the batch names (:func:`existing_cases` of its
        :func:`lookup_keys`), read here when not given."""
        by_slug, by_wikidata = existing or existing_cases(*lookup_keys(records))
        problems: list[LocatedProblem] = []
        plans: list[RecordPlan] = []
        for where, record in records:
            if isinstance(record, LocatedProblem):  # a line the reader could not read
                problems.append(record)
                continue
            errors: Errors = []
            plan = _plan_record(where, record, errors, by_slug, by_wikidata, self.default_author)
            for key, seen in self.seen.items():
                value = record.get(key) if isinstance(record, dict) else None
                if isinstance(value, str) and value:
                    earlier = seen.setdefault(value, where)
                    if earlier != where:
                        errors.append(
                            FieldError(
                                key,
                                value,
                                None,
                                f"{key} {value!r} appears twice in the file; first at {earlier}",
                            )
                        )
            if plan is not None and not errors:
                for index, relation in enumerate(plan.record.get("relations") or []):
                    if isinstance(relation, dict) and isinstance(relation.get("target"), str):
                        self.targets.append((where, index, plan.slug, relation["target"]))
                plans.append(plan)
            problems.extend(located(where, errors))
        return plans, problems

    def targets_outside(self) -> set[str]:
        """The relation targets that are no slug of the file."""
        return {target for *_, target in self.targets} - self.seen["slug"].keys()

    def finish(self, known: set[str] | None = None) -> list[LocatedProblem]:
        """The problems of relations whose target is neither in the file nor stored.
        ``known``: :func:`known_slugs` of :meth:`targets_outside`, read here when not
        given."""
        in_file = self.seen["slug"]
        if known is None:
            known = known_slugs(self.targets_outside())
        problems = []
        for where, index, subject, target in self.targets:
            field_name = f"relations[{index}].target"
            if target == subject:
                problems.append(
                    LocatedProblem(where, field_name, target, "a case cannot relate to itself")
                )
            elif target not in in_file and target not in known:
                problems.append(
                    LocatedProblem(
                        where,
                        field_name,
                        target,
                        f"{field_name}: no case has slug {target!r}, in the file or the catalogue",
                    )
                )
        return problems


def plan_import(records: Iterable[tuple[str, Any]], *, default_author: str) -> list[RecordPlan]:
    """Validate every record and plan the import; raise InvalidFile listing every problem."""
    planner = Planner(default_author=default_author)
    plans, problems = planner.plan(list(records))
    problems += planner.finish()
    if problems:
        raise InvalidFile(problems)
    return plans


def _plan_record(
    where: str,
    record: Any,
    errors: Errors,
    by_slug: Mapping[str, CaseRow],
    by_wikidata: Mapping[str, CaseRow],
    default_author: str,
) -> RecordPlan | None:
    slug = record.get("slug") if isinstance(record, dict) else None
    wikidata = record.get("wikidata") if isinstance(record, dict) else None
    case = by_slug.get(slug) if isinstance(slug, str) else None
    wikidata_case = by_wikidata.get(wikidata) if isinstance(wikidata, str) else None
    if case is not None and wikidata_case is not None and case.id != wikidata_case.id:
        errors.append(
            FieldError(
                "wikidata",
                wikidata,
                None,
                f"the slug matches case {case.slug!r} but the Wikidata id matches "
                f"case {wikidata_case.slug!r}",
            )
        )
    case = case or wikidata_case
    known = [source["url"] for source in case.record["sources"]] if case is not None else []
    checked = check_case(record, errors, known_urls=known)
    if checked is None or errors:
        return None
    if case is None:
        return RecordPlan(where, checked.fields["slug"], "create", record, new=checked)
    return _plan_update(where, record, case, checked, default_author)


def _plan_update(
    where: str, record: dict[str, Any], case: CaseRow, checked: CheckedCase, default_author: str
) -> RecordPlan:
    current = case.record
    wanted = dict(checked.fields)
    wanted["website"] = wanted.get("website") or None  # as the record holds it
    # Only the fields the record gives: a CSV without a sector column keeps the sector.
    changes = {
        key: wanted[key]
        for key in CASE_FIELD_NAMES
        if key in record and wanted.get(key) != current.get(key)
    }
    # The languages the record gives replace those languages' texts; others stay.
    translations = {
        language: texts
        for language, texts in checked.translations.items()
        if current[TRANSLATIONS_KEY].get(language) != texts
    }
    if translations:
        changes[TRANSLATIONS_KEY] = translations
    existing_urls = {source["url"] for source in current["sources"]}
    new_sources = [source for source in checked.sources if source["url"] not in existing_urls]
    stored = {placement_identity(p) for p in current["placements"]}
    new_placements = []
    for raw, placement in zip(record.get("placements") or [], checked.placements, strict=True):
        author = placement.author or default_author
        if placement_identity(placement.record(author=author)) not in stored:
            new_placements.append({**raw, "author": author})
    existing_relations = {(r["type"], r["target"]) for r in current["relations"]}
    new_relations = [
        relation
        for relation in record.get("relations") or []
        if (relation.get("type"), relation.get("target")) not in existing_relations
    ]
    action: Action = (
        "update" if changes or new_sources or new_placements or new_relations else "unchanged"
    )
    return RecordPlan(
        where,
        case.slug,
        action,
        record,
        case=case,
        changes=changes,
        new_sources=new_sources,
        new_placements=new_placements,
        new_relations=new_relations,
    )
