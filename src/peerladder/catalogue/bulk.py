"""Creating many new cases at once, for imports: the same rows and revisions as
``services.case_create``, written a batch at a time by a :class:`TableWriter`.

Each record is checked once, by ``validation.check_case`` (the import planner
calls it), into a :class:`~peerladder.catalogue.validation.CheckedCase`;
:func:`cases_bulk_create` then writes each case with its countries, sources,
placements, translations and revision 1 by the importing account. The revision's snapshot is
built from the checked values with the record's own builders, in exactly the
shape ``records.case_record_of`` reads back (a test holds the two equal), so
nothing is read back. Placements keep their own authors.

Building the rows (:func:`case_rows`) needs no database: given ids reserved
beforehand and the accounts by name, it can run in another process than the one
writing them (:func:`write_case_rows`), which is how a large import uses both
cores (:mod:`peerladder.interchange.pipeline`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import IntegrityError, transaction
from django.db.models import Model

from peerladder.accounts.models import User
from peerladder.catalogue.models import (
    Case,
    CaseCountry,
    CaseTranslation,
    Placement,
    Revision,
    Source,
)
from peerladder.catalogue.record import (
    STORED_CASE_FIELDS,
    CaseRecord,
    case_record,
    placement_record,
)
from peerladder.catalogue.services.writing import name_sort_key
from peerladder.catalogue.table_writer import TableWriter, table_writer
from peerladder.catalogue.validation import CheckedCase
from peerladder.errors import InvalidInput, NotAllowed, refusal
from peerladder.ladder import FieldError
from peerladder.ladder.trajectory import PlacementRow, standing

__all__ = [
    "BULK_MODELS",
    "Account",
    "CaseRows",
    "case_rows",
    "cases_bulk_create",
    "snapshot",
    "write_case_rows",
]


class Account(Protocol):
    """What the rows need of an account: a ``User``, or its id and name alone."""

    @property
    def pk(self) -> int: ...

    @property
    def username(self) -> str: ...


def snapshot(item: CheckedCase, author: str, authors: Mapping[str, Account]) -> CaseRecord:
    """What ``records.case_record_of`` gives for the case once written (no relations yet)."""
    order = {source["url"]: index for index, source in enumerate(item.sources)}
    # Placements read back by period start, then in the order they were written;
    # a placement's sources by id, which is the order of the case's sources.
    placements = sorted(item.placements, key=lambda p: p.valid_from)
    return case_record(
        item.fields,
        countries=item.fields.get("countries", ()),
        translations=item.translations,
        sources=item.source_records(),
        placements=[
            placement_record(
                answers=placement.answers,
                valid_from=placement.valid_from,
                valid_to=placement.valid_to,
                rationale=placement.rationale,
                sources=sorted(placement.source_urls, key=order.__getitem__),
                author=authors[placement.author].username
                if placement.author in authors
                else author,
            )
            for placement in placements
        ],
        relations=[],
    )


# What the services keep on a case's row beside its record fields, in column order.
_KEPT_COLUMNS = (
    "sort_name", "standing_rung", "standing_economy", "standing_viability", "agreement",
    "contested", "placement_count", "revision_number", "rating_count", "rating_average", "locked",
    "archived", "created_at", "updated_at",
)  # fmt: skip
CASE_COLUMNS = ("id", *STORED_CASE_FIELDS, *_KEPT_COLUMNS)
SOURCE_COLUMNS = (
    "id", "case", "url", "title", "publisher", "published", "accessed", "added_by", "created_at",
)  # fmt: skip
PLACEMENT_COLUMNS = (
    "id", "case", "answers", "rung", "economy", "viability", "valid_from", "valid_to",
    "rationale", "author", "created_at", "retracted_at",
)  # fmt: skip
TRANSLATION_COLUMNS = ("case", "language", "name", "summary", "description", "editorial")
REVISION_COLUMNS = (
    "id", "case", "number", "parent", "author", "created_at", "action", "summary", "snapshot",
)  # fmt: skip


# The tables cases_bulk_create writes, in the order it writes them, with their columns.
_TABLES: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Case, CASE_COLUMNS),
    (CaseCountry, ("case", "code", "position")),
    (CaseTranslation, TRANSLATION_COLUMNS),
    (Source, SOURCE_COLUMNS),
    (Placement, PLACEMENT_COLUMNS),
    (Placement.sources.through, ("placement", "source")),
    (Revision, REVISION_COLUMNS[1:]),
)
BULK_MODELS = tuple(model for model, _ in _TABLES)

# Reserves unused ids of a table: TableWriter.reserve_ids, or ids handed over by the
# process that writes the rows.
ReserveIds = Callable[[type[Model], int], Sequence[int]]


@dataclass
class CaseRows:
    """The rows of new cases, one list per table of ``BULK_MODELS`` in that order (plain
    tuples, so they cross to another process cheaply), and the cases' ids in order."""

    case_ids: list[int]
    tables: tuple[list[tuple[object, ...]], ...]

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables)


@transaction.atomic
def cases_bulk_create(
    *,
    author: User,
    cases: Sequence[CheckedCase],
    authors: Mapping[str, Account],
    summary: str = "Imported",
) -> list[int]:
    """Write checked new cases; returns their ids, in order.

    ``authors`` maps the placement author names to accounts; a placement without
    one (or naming the importing ``author``) is the importing account's. Raises
    ``InvalidInput`` naming the record (``records[i].field``) for a slug or
    Wikidata id that is taken; then nothing is written.
    """
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed(refusal("not-allowed.blocked-editing"))
    if not cases:
        return []
    writer = table_writer()
    rows = case_rows(
        author=author,
        cases=cases,
        authors=authors,
        summary=summary,
        writer=writer,
        reserve_ids=writer.reserve_ids,
    )
    write_case_rows(rows, writer)
    return rows.case_ids


def case_rows(
    *,
    author: Account,
    cases: Sequence[CheckedCase],
    authors: Mapping[str, Account],
    summary: str,
    writer: TableWriter,
    reserve_ids: ReserveIds,
) -> CaseRows:
    """The rows :func:`cases_bulk_create` writes for ``cases``, with ids from
    ``reserve_ids``. Reads nothing from the database: ``writer`` only puts values in
    its database's form."""
    now = writer.now()
    case_ids = list(reserve_ids(Case, len(cases)))
    source_ids = iter(reserve_ids(Source, sum(len(item.sources) for item in cases)))
    placement_ids = iter(reserve_ids(Placement, sum(len(item.placements) for item in cases)))
    tables: tuple[list[tuple[object, ...]], ...] = tuple([] for _ in _TABLES)
    (
        case_table, country_rows, translation_rows, source_rows, placement_rows, link_rows,
        revision_rows,
    ) = tables  # fmt: skip
    accounts = {**authors, author.username: author}
    for case_id, item in zip(case_ids, cases, strict=True):
        fields = item.fields
        latest = standing(
            PlacementRow(
                p.valid_from,
                p.valid_to,
                p.classification.rung,
                p.classification.economy,
                p.classification.viability,
                p.author or author.username,
            )
            for p in item.placements
        )
        # check_case gives every field (each takes its column's value when absent).
        case_table.append(
            (
                case_id,
                *(writer.json(fields[name]) if name == "tags" else fields[name]
                  for name in STORED_CASE_FIELDS),
                name_sort_key(fields["name"]),
                latest.rung if latest else None, latest.economy if latest else None,
                latest.viability if latest else None,
                latest.consensus.agreement if latest else None,
                latest.consensus.contested if latest else False,
                len(item.placements), 1, 0, None, False, False, now, now,
            )
        )  # fmt: skip
        country_rows += [
            (case_id, code, position) for position, code in enumerate(fields.get("countries", []))
        ]
        translation_rows += [
            (
                case_id, language, texts["name"], texts["summary"], texts["description"],
                texts["editorial"],
            )
            for language, texts in item.translations.items()
        ]  # fmt: skip
        by_url: dict[str, int] = {}
        for source in item.sources:
            source_id = next(source_ids)
            by_url[source["url"]] = source_id
            source_rows.append(
                (
                    source_id, case_id, source["url"], source["title"], source["publisher"],
                    writer.date(source["published"]), writer.date(source["accessed"]),
                    author.pk, now,
                )
            )  # fmt: skip
        for placement in item.placements:
            placement_id = next(placement_ids)
            result = placement.classification
            placement_rows.append(
                (
                    placement_id, case_id, writer.json(placement.answers), result.rung,
                    result.economy, result.viability, placement.valid_from,
                    placement.valid_to, placement.rationale,
                    accounts.get(placement.author or "", author).pk, now, None,
                )
            )  # fmt: skip
            link_rows += [(placement_id, by_url[url]) for url in placement.source_urls]
        revision_rows.append(
            (
                case_id,
                1,
                None,
                author.pk,
                now,
                "create",
                summary[:300],
                writer.json(snapshot(item, author.username, authors)),
            )
        )
    return CaseRows(case_ids, tables)


def write_case_rows(rows: CaseRows, writer: TableWriter) -> None:
    """Write rows built by :func:`case_rows`. Raises ``InvalidInput`` when a slug or
    Wikidata id is taken (by a case written since the rows were checked)."""
    for (model, columns), table in zip(_TABLES, rows.tables, strict=True):
        try:
            writer.insert(model, columns, table)
        except IntegrityError:
            if model is not Case:
                raise
            raise InvalidInput(
                [FieldError.keyed("slug", None, None, refusal("identity.taken-in-batch"))]
            ) from None
