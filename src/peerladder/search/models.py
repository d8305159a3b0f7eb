"""The search index tables, one per database vendor, seen from Django.

Both are unmanaged: migration 0001 creates only the one that suits the database in
use (an FTS5 virtual table on SQLite, a tsvector table with a GIN index on
PostgreSQL), together with the triggers that keep it in step with the catalogue.
The triggers run inside the statement that changes a case or a source, so the
index changes in the same transaction as the service write, and the catalogue
never has to know that search exists.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup

from peerladder.catalogue.models import Case


class FtsField(models.TextField):
    """The FTS5 hidden column named after its table: the left side of ``MATCH``."""


class TsVectorField(models.Field):
    """A PostgreSQL ``tsvector`` column (without django.contrib.postgres, so that an
    install without psycopg can still import this module)."""

    def db_type(self, connection: Any) -> str:
        return "tsvector"


@FtsField.register_lookup
class FtsMatch(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


@TsVectorField.register_lookup
class TsMatch(Lookup):
    lookup_name = "tsmatch"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (
            f"{lhs} @@ to_tsquery('english'::regconfig, {rhs})",
            [*lhs_params, *rhs_params],
        )


class FtsDocument(models.Model):
    """A case's row in the SQLite FTS5 table ``search_fts`` (rowid = case id)."""

    case = models.OneToOneField(
        Case,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_fts",
    )
    document = FtsField(db_column="search_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "search_fts"

    def __str__(self) -> str:
        return f"search document of case {self.case_id}"


class PgDocument(models.Model):
    """A case's weighted ``tsvector`` in the PostgreSQL table ``search_document``."""

    case = models.OneToOneField(
        Case,
        primary_key=True,
        db_column="case_id",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_pg",
    )
    document = TsVectorField()

    class Meta:
        managed = False
        db_table = "search_document"

    def __str__(self) -> str:
        return f"search document of case {self.case_id}"
