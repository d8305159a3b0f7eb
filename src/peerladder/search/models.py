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
from peerladder.search.triggers import QUERY_CONFIGS, tsquery_sql


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
        # The query text stemmed by each language's configuration (triggers.QUERY_CONFIGS).
        return (
            f"{lhs} @@ {tsquery_sql(rhs)}",
            [*lhs_params, *rhs_params * len(QUERY_CONFIGS)],
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


class LearnedModel(models.Model):
    """One version of a model learned from the catalogue (similar cases, rung suggestions).

    Its content is an uncompressed zip of numpy arrays and a JSON header, stored in
    :class:`LearnedModelPart` rows so that every app server finds it in the database.
    ``catalogue_version`` is the catalogue's state it was built from; a version is
    served only once ``complete`` (every part written), so a server that starts
    during a rebuild keeps serving the previous one (search/store.py).
    """

    kind = models.CharField(max_length=20)
    format = models.PositiveSmallIntegerField()
    catalogue_version = models.CharField(max_length=100)
    built_at = models.DateTimeField()
    cases = models.PositiveIntegerField()
    size = models.BigIntegerField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the content")
    complete = models.BooleanField(default=False)

    class Meta:
        db_table = "search_learned_model"
        indexes = [models.Index(fields=["kind", "complete", "id"], name="search_model_current")]

    def __str__(self) -> str:
        return f"{self.kind} model {self.pk} ({self.catalogue_version})"


class LearnedModelPart(models.Model):
    """A piece of a :class:`LearnedModel`'s content, in order of ``position``."""

    model = models.ForeignKey(LearnedModel, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        db_table = "search_learned_model_part"
        constraints = [
            models.UniqueConstraint(fields=["model", "position"], name="search_model_part_once")
        ]

    def __str__(self) -> str:
        return f"part {self.position} of model {self.model_id}"


class RebuildLease(models.Model):
    """Who is rebuilding the learned models, until when: the lock on SQLite (PostgreSQL
    uses an advisory lock instead, released by the server if its holder dies)."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "search_rebuild_lease"

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at}"
