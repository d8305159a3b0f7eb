"""Checking every imported record before anything is written, and planning the import.

:func:`plan_import` validates each record with the catalogue's ``clean_*``
functions, looks for duplicates within the file, matches records to existing
cases (by slug, else by Wikidata id) and works out what each record would
create or change. It only reads the database. Every problem of every record
is collected; :class:`~peerladder.interchange.problems.InvalidFile` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from peerladder.catalogue.bulk import NewCase
from peerladder.catalogue.models import Case
from peerladder.catalogue.record_stream import CaseRow, case_row_batches_of_ids
from peerladder.catalogue.validation import (
    CASE_FIELDS,
    Errors,
    clean_case,
    clean_placement,
    clean_relation,
    clean_source,
)
from peerladder.interchange.problems import InvalidFile, LocatedProblem
from peerladder.ladder import FieldError

__all__ = ["RECORD_KEYS", "Planner", "RecordPlan", "plan_import"]

RECORD_KEYS = (*CASE_FIELDS, "sources", "placements", "relations")
_RECORD_KEYS = frozenset(RECORD_KEYS)
_MAX_AUTHOR = 150
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
    new: NewCase | None = None

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


def _located(where: str, errors: Errors) -> list[LocatedProblem]:
    return [
        LocatedProblem(where, error.field, error.received, error.message, error.allowed)
        for error in errors
    ]


def _list(record: Mapping[str, Any], key: str, errors: Errors) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(FieldError(key, value, None, f"{key} must be a list"))
        return []
    return value


def _comparable_case(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned case fields in the shape of ``case_record``."""
    values = dict(cleaned)
    values["website"] = values.get("website") or None
    return values


def _existing(
    records: Sequence[tuple[str, Any]],
) -> tuple[dict[str, CaseRow], dict[str, CaseRow]]:
    """Existing cases named by the records' slugs or Wikidata ids, read as records."""
    slugs = [r.get("slug") for _, r in records if isinstance(r, dict)]
    wikidata = [r.get("wikidata") for _, r in records if isinstance(r, dict)]
    ids: set[int] = set()
    for names, column in ((slugs, "slug"), (wikidata, "wikidata")):
        wanted = [name for name in names if isinstance(name, str) and name]
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


def _known_slugs(targets: set[str]) -> set[str]:
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
    targets, checked by :meth:`finish` once every case of the file is known."""

    def __init__(self, *, default_author: str) -> None:
        self.default_author = default_author
        self.seen: dict[str, dict[str, str]] = {"slug": {}, "wikidata": {}}
        self.targets: list[tuple[str, int, str, str]] = []  # where, index, subject, target

    def plan(
        self, records: Sequence[tuple[str, Any]]
    ) -> tuple[list[RecordPlan], list[LocatedProblem]]:
        """The plans of the valid records of one batch, and the problems of the others."""
        by_slug, by_wikidata = _existing(records)
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
            problems.extend(_located(where, errors))
        return plans, problems

    def finish(self) -> list[LocatedProblem]:
        """The problems of relations whose target is neither in the file nor stored."""
        in_file = self.seen["slug"]
        known = _known_slugs({target for *_, target in self.targets} - in_file.keys())
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
    if not isinstance(record, dict):
        errors.append(
            FieldError(None, type(record).__name__, None, "a case record must be an object")
        )
        return None
    for key in record:
        if key not in _RECORD_KEYS:
            errors.append(FieldError(key, key, list(RECORD_KEYS), f"unknown field {key!r}"))
    cleaned = clean_case({k: record[k] for k in CASE_FIELDS if k in record}, errors)
    sources = _list(record, "sources", errors)
    placements = _list(record, "placements", errors)
    relations = _list(record, "relations", errors)
    source_urls: list[str] = []
    cleaned_sources: list[dict[str, Any]] = []
    for index, source in enumerate(sources):
        data = clean_source(source, errors, prefix=f"sources[{index}].")
        if data.get("url") in source_urls:
            errors.append(
                FieldError(
                    f"sources[{index}].url",
                    data["url"],
                    None,
                    f"sources[{index}].url is listed twice in this case",
                )
            )
        elif data.get("url"):
            source_urls.append(data["url"])
            cleaned_sources.append(data)
    slug = cleaned.get("slug")
    case = by_slug.get(slug) if slug else None
    wikidata_case = by_wikidata.get(cleaned["wikidata"]) if cleaned.get("wikidata") else None
    if case is not None and wikidata_case is not None and case.id != wikidata_case.id:
        errors.append(
            FieldError(
                "wikidata",
                cleaned["wikidata"],
                None,
                f"the slug matches case {case.slug!r} but the Wikidata id matches "
                f"case {wikidata_case.slug!r}",
            )
        )
    case = case or wikidata_case
    known_urls = set(source_urls)
    if case is not None:
        known_urls.update(source["url"] for source in case.record["sources"])
    cleaned_placements = [
        _check_placement(placement, index, known_urls, errors, default_author)
        for index, placement in enumerate(placements)
    ]
    if case is None:
        # A source given in full inside a new case's placement must be a case source too.
        for index, placement in enumerate(cleaned_placements):
            raw = placements[index].get("sources") if isinstance(placements[index], dict) else []
            inline = [n for n, ref in enumerate(raw or []) if isinstance(ref, dict)]
            for number in inline:
                url = placement["source_urls"][number]
                if url and url not in known_urls:
                    errors.append(
                        FieldError(
                            f"placements[{index}].sources[{number}]",
                            url,
                            None,
                            f"placements[{index}].sources[{number}] is not one of the case's "
                            "sources: list it under sources too",
                        )
                    )
    for index, relation in enumerate(relations):
        clean_relation(relation, errors, prefix=f"relations[{index}].")
    if errors or not slug:
        return None
    if case is None:
        new = NewCase(fields=cleaned, sources=cleaned_sources, placements=cleaned_placements)
        return RecordPlan(where, slug, "create", record, new=new)
    return _plan_update(where, record, case, cleaned, cleaned_sources, cleaned_placements)


def _check_placement(
    placement: Any, index: int, known_urls: set[str], errors: Errors, default_author: str
) -> dict[str, Any]:
    prefix = f"placements[{index}]."
    data = clean_placement(placement, errors, prefix=prefix)
    if not isinstance(placement, dict):
        return data
    refs = placement.get("sources")
    if not isinstance(refs, list) or not refs:
        errors.append(
            FieldError(prefix + "sources", refs, None, f"{prefix}sources needs at least one source")
        )
        refs = []
    urls: list[str] = []
    for number, ref in enumerate(refs):
        if isinstance(ref, str):
            if ref.strip() not in known_urls:
                errors.append(
                    FieldError(
                        f"{prefix}sources[{number}]",
                        ref,
                        None,
                        f"{prefix}sources[{number}] is not one of the case's sources",
                    )
                )
            urls.append(ref.strip())
        else:
            cleaned = clean_source(ref, errors, prefix=f"{prefix}sources[{number}].")
            urls.append(cleaned.get("url") or "")
    author = placement.get("author")
    if author is not None and (
        not isinstance(author, str) or not author.strip() or len(author) > _MAX_AUTHOR
    ):
        errors.append(
            FieldError(
                prefix + "author",
                author,
                None,
                f"{prefix}author must be an account name of 1 to {_MAX_AUTHOR} characters",
            )
        )
    data["source_urls"] = urls
    data["author"] = (author or "").strip() or default_author
    return data


def _plan_update(
    where: str,
    record: dict[str, Any],
    case: CaseRow,
    cleaned: dict[str, Any],
    cleaned_sources: list[dict[str, Any]],
    cleaned_placements: list[dict[str, Any]],
) -> RecordPlan:
    current = case.record
    wanted = _comparable_case(cleaned)
    # Only the fields the record gives: a CSV without a sector column keeps the sector.
    changes = {
        key: wanted[key]
        for key in CASE_FIELDS
        if key in record and wanted.get(key) != current.get(key)
    }
    existing_urls = {source["url"] for source in current["sources"]}
    new_sources = [source for source in cleaned_sources if source["url"] not in existing_urls]
    existing_placements = [
        _placement_key(p["answers"], p["valid_from"], p["valid_to"], p["rationale"], p["author"])
        for p in current["placements"]
    ]
    new_placements = []
    for raw, data in zip(record.get("placements") or [], cleaned_placements, strict=True):
        key = _placement_key(
            data["answers"], data["valid_from"], data["valid_to"], data["rationale"], data["author"]
        )
        if key not in existing_placements:
            new_placements.append({**raw, "author": data["author"]})
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


def _placement_key(
    answers: Any, valid_from: Any, valid_to: Any, rationale: Any, author: Any
) -> tuple[Any, ...]:
    return (sorted((answers or {}).items()), valid_from, valid_to, rationale, author)
