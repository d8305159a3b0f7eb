"""Exports are canonical: the same catalogue gives the same bytes from SQLite and from
PostgreSQL (PostgreSQL's jsonb keeps object keys in an order of its own)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from peerladder.interchange.bundled import BUNDLED_FILE

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
FORMATS = ("jsonl", "json", "csv", "jsonld", "bibtex", "csl")


def _postgres_database() -> str | None:
    """A new empty PostgreSQL database for this test, or None when there is no server."""
    psycopg = pytest.importorskip("psycopg")
    name = f"canonical_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as db:
            db.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError:
        return None
    return name


def _drop(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _exports(database_url: str, data_dir: Path, records: Path) -> dict[str, bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env.update(PEERLADDER_DATABASE_URL=database_url, PEERLADDER_DATA_DIR=str(data_dir))
    cli = [sys.executable, "-m", "peerladder.cli"]
    subprocess.run([*cli, "import", str(records)], env=env, check=True, capture_output=True)
    found = {}
    for fmt in FORMATS:
        done = subprocess.run(
            [*cli, "export", "--format", fmt], env=env, check=True, capture_output=True
        )
        found[fmt] = done.stdout
    return found


def test_sqlite_and_postgresql_export_the_same_bytes(tmp_path):
    records = tmp_path / "cases.jsonl"
    records.write_bytes(b"".join(BUNDLED_FILE.read_bytes().splitlines(keepends=True)[:40]))
    database = _postgres_database()
    if database is None:
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432 (CI has one)")
    try:
        from_postgres = _exports(f"{POSTGRES}/{database}", tmp_path / "pg", records)
    finally:
        _drop(database)
    from_sqlite = _exports(f"sqlite:///{tmp_path / 'one.sqlite3'}", tmp_path / "lite", records)
    for fmt in FORMATS:
        assert from_sqlite[fmt] == from_postgres[fmt], fmt
    assert b'"answers"' in from_sqlite["jsonl"]
