"""The SQL that creates the search index and its triggers, for SQLite and PostgreSQL.

Migration 0003 installs it (0001 did, before cases had translations). Triggers on
``catalogue_case``, ``catalogue_source`` and ``catalogue_casetranslation`` keep the
index current inside the writing transaction, so a service write and
its index update commit or roll back together, and the catalogue never imports
search. SQLite drops a table's triggers when Django rebuilds the table during a
later catalogue migration, so :func:`repair` (run after every ``migrate``)
recreates any missing trigger and refills the index.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from peerladder.catalogue.vocabulary import CASE_LANGUAGES

# Every statement here is built from constants in this module, never from input,
# hence the S608 exemptions.


def _sqlite_sources(case_ref: str) -> str:
    return (
        "(SELECT coalesce(group_concat(title, ' '), '') FROM catalogue_source "  # noqa: S608
        f"WHERE case_id = {case_ref})"
    )


def _sqlite_translations(case_ref: str) -> str:
    return (
        "(SELECT coalesce(group_concat(name || ' ' || summary || ' ' || description, ' '), '') "  # noqa: S608
        f"FROM catalogue_casetranslation WHERE case_id = {case_ref})"
    )


# Column weights live in the FTS5 "rank" setting, so ORDER BY rank uses them:
# name 10, summary 5, description 2, tags 1, source titles 1, translations 4.
# FTS5 has one stemmer, Porter's, for English: translations are indexed with it too,
# so case and accents are folded and English endings (a plural -s) taken off, but
# no Spanish, Portuguese, French, German or Italian stemming happens on SQLite.
SQLITE_TABLE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        name, summary, description, tags, sources, translations,
        tokenize = 'porter unicode61 remove_diacritics 2',
        prefix = '2 3 4'
    )
    """,
    "INSERT INTO search_fts(search_fts, rank) "
    "VALUES ('rank', 'bm25(10.0, 5.0, 2.0, 1.0, 1.0, 4.0)')",
]
_SQLITE_INSERT_NEW = (
    "INSERT INTO search_fts(rowid, name, summary, description, tags, sources, translations) "  # noqa: S608
    "VALUES (new.id, new.name, new.summary, new.description, new.tags, "
    f"{_sqlite_sources('new.id')}, {_sqlite_translations('new.id')});"
)


def _sqlite_refresh_sources(ref: str) -> str:
    return f"UPDATE search_fts SET sources = {_sqlite_sources(ref)} WHERE rowid = {ref};"  # noqa: S608


def _sqlite_refresh_translations(ref: str) -> str:
    return (
        f"UPDATE search_fts SET translations = {_sqlite_translations(ref)} "  # noqa: S608
        f"WHERE rowid = {ref};"
    )


SQLITE_TRIGGERS = {
    "search_case_ai": f"""
        CREATE TRIGGER search_case_ai AFTER INSERT ON catalogue_case BEGIN
            {_SQLITE_INSERT_NEW}
        END""",
    "search_case_au": f"""
        CREATE TRIGGER search_case_au AFTER UPDATE OF name, summary, description, tags
        ON catalogue_case BEGIN
            DELETE FROM search_fts WHERE rowid = old.id;
            {_SQLITE_INSERT_NEW}
        END""",  # noqa: S608
    "search_case_ad": """
        CREATE TRIGGER search_case_ad AFTER DELETE ON catalogue_case BEGIN
            DELETE FROM search_fts WHERE rowid = old.id;
        END""",
    "search_source_ai": f"""
        CREATE TRIGGER search_source_ai AFTER INSERT ON catalogue_source BEGIN
            {_sqlite_refresh_sources("new.case_id")}
        END""",
    "search_source_au": f"""
        CREATE TRIGGER search_source_au AFTER UPDATE OF title, case_id ON catalogue_source
        BEGIN
            {_sqlite_refresh_sources("old.case_id")}
            {_sqlite_refresh_sources("new.case_id")}
        END""",
    "search_source_ad": f"""
        CREATE TRIGGER search_source_ad AFTER DELETE ON catalogue_source BEGIN
            {_sqlite_refresh_sources("old.case_id")}
        END""",
    "search_translation_ai": f"""
        CREATE TRIGGER search_translation_ai AFTER INSERT ON catalogue_casetranslation BEGIN
            {_sqlite_refresh_translations("new.case_id")}
        END""",
    "search_translation_au": f"""
        CREATE TRIGGER search_translation_au AFTER UPDATE ON catalogue_casetranslation
        BEGIN
            {_sqlite_refresh_translations("old.case_id")}
            {_sqlite_refresh_translations("new.case_id")}
        END""",
    "search_translation_ad": f"""
        CREATE TRIGGER search_translation_ad AFTER DELETE ON catalogue_casetranslation BEGIN
            {_sqlite_refresh_translations("old.case_id")}
        END""",
}
SQLITE_FILL = [
    "DELETE FROM search_fts",
    "INSERT INTO search_fts(rowid, name, summary, description, tags, sources, translations) "  # noqa: S608
    "SELECT c.id, c.name, c.summary, c.description, c.tags, "
    f"{_sqlite_sources('c.id')}, {_sqlite_translations('c.id')} FROM catalogue_case c",
]
SQLITE_REMOVE = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS search_fts",
]

# PostgreSQL's text search configuration for each language of translated case text:
# each translation is stemmed by its own language's rules.
POSTGRES_CONFIGS = {
    "es": "spanish",
    "fr": "french",
    "pt-br": "portuguese",
    "de": "german",
    "it": "italian",
}
assert set(POSTGRES_CONFIGS) == set(CASE_LANGUAGES.values), "a language without a configuration"
# A query is stemmed by every configuration, so a word finds a case in any language.
QUERY_CONFIGS = ("english", *POSTGRES_CONFIGS.values())


def tsquery_sql(placeholder: str = "%s") -> str:
    """SQL for the tsquery of one query text (given len(QUERY_CONFIGS) times, at
    ``placeholder``): the text stemmed by each language's rules, any of them matching."""
    return (
        "("
        + " || ".join(
            f"to_tsquery('{config}'::regconfig, {placeholder})" for config in QUERY_CONFIGS
        )
        + ")"
    )


def _postgres_translation(language: str, config: str) -> str:
    # A (case, language) lookup in the unique index: at most one row.
    return (
        "|| coalesce((SELECT "  # noqa: S608
        f"setweight(to_tsvector('{config}', t.name), 'A') "
        f"|| setweight(to_tsvector('{config}', t.summary), 'B') "
        f"|| setweight(to_tsvector('{config}', t.description), 'C') "
        "FROM catalogue_casetranslation t "
        f"WHERE t.case_id = c.id AND t.language = '{language}'), ''::tsvector)"
    )


_POSTGRES_TRANSLATIONS = "\n               ".join(
    _postgres_translation(language, config) for language, config in POSTGRES_CONFIGS.items()
)

# Weights: A name, B summary, C description, D tags and source titles; each
# translation's fields weigh as the fields they translate. There is no foreign key
# to catalogue_case, so truncating the catalogue (test flushes) works; the delete
# trigger removes a case's row instead.
POSTGRES_TABLE = [
    """
    CREATE TABLE search_document (
        case_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX search_document_gin ON search_document USING GIN (document)",
    """
    CREATE FUNCTION search_document_refresh(target bigint) RETURNS void
    LANGUAGE sql AS $$
        INSERT INTO search_document (case_id, document)
        SELECT c.id,
               setweight(to_tsvector('english', coalesce(c.name, '')), 'A')
               || setweight(to_tsvector('english', coalesce(c.summary, '')), 'B')
               || setweight(to_tsvector('english', coalesce(c.description, '')), 'C')
               || setweight(to_tsvector('english',
                      coalesce(c.tags::text, '') || ' ' || coalesce(
                          (SELECT string_agg(s.title, ' ' ORDER BY s.id)
                           FROM catalogue_source s WHERE s.case_id = c.id), '')), 'D')
               {translations}
        FROM catalogue_case c WHERE c.id = target
        ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document;
    $$
    """.replace("{translations}", _POSTGRES_TRANSLATIONS),
    """
    CREATE FUNCTION search_case_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_document WHERE case_id = OLD.id;
            RETURN OLD;
        END IF;
        PERFORM search_document_refresh(NEW.id);
        RETURN NEW;
    END;
    $$
    """,
    """
    CREATE FUNCTION search_source_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM search_document_refresh(OLD.case_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM search_document_refresh(NEW.case_id);
        END IF;
        RETURN NULL;
    END;
    $$
    """,
]
POSTGRES_TRIGGERS = {
    "search_case_ai": """
        CREATE TRIGGER search_case_ai AFTER INSERT ON catalogue_case
        FOR EACH ROW EXECUTE FUNCTION search_case_changed()""",
    "search_case_au": """
        CREATE TRIGGER search_case_au AFTER UPDATE OF name, summary, description, tags
        ON catalogue_case FOR EACH ROW EXECUTE FUNCTION search_case_changed()""",
    "search_case_ad": """
        CREATE TRIGGER search_case_ad AFTER DELETE ON catalogue_case
        FOR EACH ROW EXECUTE FUNCTION search_case_changed()""",
    "search_source_changed": """
        CREATE TRIGGER search_source_changed
        AFTER INSERT OR UPDATE OF title, case_id OR DELETE ON catalogue_source
        FOR EACH ROW EXECUTE FUNCTION search_source_changed()""",
    # A translation's row changes its case's document as a source's does.
    "search_translation_changed": """
        CREATE TRIGGER search_translation_changed
        AFTER INSERT OR UPDATE OR DELETE ON catalogue_casetranslation
        FOR EACH ROW EXECUTE FUNCTION search_source_changed()""",
}
POSTGRES_FILL = [
    "DELETE FROM search_document",
    "SELECT search_document_refresh(id) FROM catalogue_case",
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS search_translation_changed ON catalogue_casetranslation",
    "DROP TRIGGER IF EXISTS search_source_changed ON catalogue_source",
    "DROP TRIGGER IF EXISTS search_case_ad ON catalogue_case",
    "DROP TRIGGER IF EXISTS search_case_au ON catalogue_case",
    "DROP TRIGGER IF EXISTS search_case_ai ON catalogue_case",
    "DROP FUNCTION IF EXISTS search_source_changed()",
    "DROP FUNCTION IF EXISTS search_case_changed()",
    "DROP FUNCTION IF EXISTS search_document_refresh(bigint)",
    "DROP TABLE IF EXISTS search_document",
]


def _execute(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the index table, its triggers, and fill it from the catalogue."""
    if connection.vendor == "sqlite":
        _execute(connection, [*SQLITE_TABLE, *SQLITE_TRIGGERS.values(), *SQLITE_FILL])
    elif connection.vendor == "postgresql":
        _execute(connection, [*POSTGRES_TABLE, *POSTGRES_TRIGGERS.values(), *POSTGRES_FILL])


def remove(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "sqlite":
        _execute(connection, SQLITE_REMOVE)
    elif connection.vendor == "postgresql":
        _execute(connection, POSTGRES_REMOVE)


def _existing_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def repair(connection: BaseDatabaseWrapper) -> list[str]:
    """Recreate any missing trigger and refill the index; returns the triggers recreated."""
    triggers = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(connection.vendor)
    if not triggers or not _index_table_exists(connection):
        return []
    missing = [name for name in triggers if name not in _existing_triggers(connection)]
    if missing:
        fill = SQLITE_FILL if connection.vendor == "sqlite" else POSTGRES_FILL
        _execute(connection, [*(triggers[name] for name in missing), *fill])
    return missing


def _tables(connection: BaseDatabaseWrapper) -> set[str]:
    return set(connection.introspection.table_names())


def _index_table_exists(connection: BaseDatabaseWrapper) -> bool:
    table = "search_fts" if connection.vendor == "sqlite" else "search_document"
    return table in _tables(connection)


def install_from_migration(apps: Any, schema_editor: Any) -> None:
    """Migration 0001's step: the index, unless cases have no translations table yet
    (a new database), where migration 0003 installs it once they have."""
    if "catalogue_casetranslation" in _tables(schema_editor.connection):
        install(schema_editor.connection)


def reinstall_from_migration(apps: Any, schema_editor: Any) -> None:
    """Migration 0003's step: the index as it is now, translations included."""
    remove(schema_editor.connection)
    install(schema_editor.connection)


def remove_from_migration(apps: Any, schema_editor: Any) -> None:
    remove(schema_editor.connection)
