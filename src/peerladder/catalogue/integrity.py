"""Finding stored text that the current rules refuse, and repairing it.

An earlier version let text in that no encoder can write back (a lone surrogate
inside JSON on SQLite, a NUL, a Unicode non-character), and one such character
breaks every page, export and backup that reads its row. :func:`find_unstorable_rows`
reads every text column a chunk of rows at a time; :func:`repair_unstorable`
replaces each such character by U+FFFD and keeps the rest of the row: a case's own
fields change through a new revision (action ``repair``), history rows are mended
in place with an audit row, so the fix itself is on record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model

from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue.models import (
    Case,
    CaseCountry,
    CaseTranslation,
    ModerationAction,
    PendingEdit,
    Placement,
    Revision,
    Source,
)
from peerladder.catalogue.services.writing import record_revision
from peerladder.text import find_unstorable, printable

# The columns that hold text (or JSON with text), per table.
TEXT_COLUMNS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Case, ("slug", "name", "summary", "description", "website", "wikidata", "tags")),
    (CaseCountry, ("code",)),
    (CaseTranslation, ("language", "name", "summary", "description")),
    (Source, ("url", "title", "publisher")),
    (Placement, ("answers", "valid_from", "valid_to", "rationale")),
    (Revision, ("action", "summary", "snapshot")),
    (PendingEdit, ("slug", "action", "summary", "arguments", "preview")),
    (ModerationAction, ("action", "note")),
)
CHUNK = 2000


@dataclass(frozen=True)
class Finding:
    """One stored value that cannot be written back out."""

    table: str
    row: int
    column: str
    problem: str

    def line(self) -> str:
        return f"{self.table} row {self.row}, {self.column}: {self.problem}"


def find_unstorable_rows(
    *, on_progress: Callable[[str, int], None] | None = None
) -> Iterator[Finding]:
    """Every stored value with a character no encoder can hold, table by table."""
    for model, columns in TEXT_COLUMNS:
        table = model._meta.db_table
        seen = 0
        rows = model._default_manager.order_by("pk").values_list("pk", *columns)
        for pk, *values in rows.iterator(chunk_size=CHUNK):
            seen += 1
            for column, value in zip(columns, values, strict=True):
                found = find_unstorable(value) if value is not None else None
                if found is not None:
                    path, problem = found
                    where = column if path == "body" else f"{column}: {path}"
                    yield Finding(table, pk, where, str(problem))
            if on_progress is not None and seen % CHUNK == 0:
                on_progress(table, CHUNK)
        if on_progress is not None:
            on_progress(table, seen % CHUNK)


@transaction.atomic
def repair_unstorable(findings: list[Finding]) -> int:
    """Replace every unstorable character of the rows in ``findings`` by U+FFFD; returns
    the number of rows mended. A case's own fields change as a new revision."""
    by_row: dict[tuple[str, int], set[str]] = {}
    for finding in findings:
        by_row.setdefault((finding.table, finding.row), set()).add(finding.column.split(":", 1)[0])
    models = {model._meta.db_table: model for model, _ in TEXT_COLUMNS}
    mended_cases: set[int] = set()
    for (table, pk), columns in by_row.items():
        model = models[table]
        row = model._default_manager.get(pk=pk)
        changed: dict[str, Any] = {column: printable(getattr(row, column)) for column in columns}
        model._default_manager.filter(pk=pk).update(**changed)
        case_id = pk if model is Case else getattr(row, "case_id", None)
        if model is Case or model is CaseTranslation:  # part of the case's record
            mended_cases.add(case_id)
        note = f"{table} row {pk}: unstorable characters replaced in {', '.join(sorted(columns))}"
        ModerationAction.objects.create(
            moderator=None, action="repair", case_id=case_id, note=note[:300]
        )
    for case in Case.objects.filter(pk__in=mended_cases):
        record_revision(case, author=None, action="repair", summary=summaries.REPAIRED.text())
    return len(by_row)
