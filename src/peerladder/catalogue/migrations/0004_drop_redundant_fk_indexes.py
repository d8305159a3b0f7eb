# Drops the single-column indexes of foreign keys whose column already leads a
# composite index (unique (case, url), (case, retracted_at), (author, created_at),
# unique (case, number), unique (case, code)): they served no lookup the composite
# does not, and slowed every insert. Only the indexes are dropped: Django's own
# AlterField would rebuild each table on SQLite, which the search triggers on
# catalogue_case (they read catalogue_source) do not survive.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_peer_production'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "catalogue_casecountry_case_id_6f4481f7"',
                reverse_sql='CREATE INDEX "catalogue_casecountry_case_id_6f4481f7" ON "catalogue_casecountry" ("case_id")',
            ),
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "catalogue_placement_author_id_fed46b39"',
                reverse_sql='CREATE INDEX "catalogue_placement_author_id_fed46b39" ON "catalogue_placement" ("author_id")',
            ),
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "catalogue_placement_case_id_84170aa2"',
                reverse_sql='CREATE INDEX "catalogue_placement_case_id_84170aa2" ON "catalogue_placement" ("case_id")',
            ),
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "catalogue_revision_author_id_63e7cbca"',
                reverse_sql='CREATE INDEX "catalogue_revision_author_id_63e7cbca" ON "catalogue_revision" ("author_id")',
            ),
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "catalogue_revision_case_id_4cd67186"',
                reverse_sql='CREATE INDEX "catalogue_revision_case_id_4cd67186" ON "catalogue_revision" ("case_id")',
            ),
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "catalogue_source_case_id_14f4aca1"',
                reverse_sql='CREATE INDEX "catalogue_source_case_id_14f4aca1" ON "catalogue_source" ("case_id")',
            ),
            ],
            state_operations=[
        migrations.AlterField(
            model_name='casecountry',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='country_rows', to='catalogue.case'),
        ),
        migrations.AlterField(
            model_name='placement',
            name='author',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='placements', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='placement',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='placements', to='catalogue.case'),
        ),
        migrations.AlterField(
            model_name='revision',
            name='author',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='revisions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='revision',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='catalogue.case'),
        ),
        migrations.AlterField(
            model_name='source',
            name='case',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='catalogue.case'),
        ),
    ],
        ),
    ]
