"""The search index with cases' translations: a ``translations`` column in the FTS5
table (SQLite), each translation stemmed by its language's configuration in the
tsvector (PostgreSQL), and triggers on ``catalogue_casetranslation``. The index is
dropped and built again from the catalogue."""

from django.db import migrations

from peerladder.search import triggers


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_learned_models"),
        ("catalogue", "0007_case_translations"),
    ]

    operations = [
        migrations.RunPython(triggers.reinstall_from_migration, triggers.remove_from_migration),
    ]
