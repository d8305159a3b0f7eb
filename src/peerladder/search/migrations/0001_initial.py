"""The search index: an FTS5 table on SQLite, a tsvector table on PostgreSQL.

Triggers on catalogue_case and catalogue_source keep the index current inside the
writing transaction. Only the statements for the database in use run.
"""

import django.db.models.deletion
from django.db import migrations, models

import peerladder.search.models
from peerladder.search import triggers


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="FtsDocument",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_fts",
                        serialize=False,
                        to="catalogue.case",
                    ),
                ),
                ("document", peerladder.search.models.FtsField(db_column="search_fts")),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={
                "db_table": "search_fts",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="PgDocument",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        db_column="case_id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_pg",
                        serialize=False,
                        to="catalogue.case",
                    ),
                ),
                ("document", peerladder.search.models.TsVectorField()),
            ],
            options={
                "db_table": "search_document",
                "managed": False,
            },
        ),
        migrations.RunPython(triggers.install_from_migration, triggers.remove_from_migration),
    ]
