"""peerladder backup and restore, run as a user would run them."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from peerladder.interchange.bundled import BUNDLED_FILE


def run(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env["PEERLADDER_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "peerladder.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def count(data_dir: Path, table: str) -> int:
    connection = sqlite3.connect(data_dir / "peerladder.sqlite3")
    try:
        return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
    finally:
        connection.close()


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("original")
    result = run(data_dir, "import", str(BUNDLED_FILE))
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.fixture(scope="module")
def backup_file(original: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("backups") / "catalogue.backup"
    result = run(original, "backup", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_backup_restores_into_an_empty_database_identically(original, backup_file, tmp_path):
    restored = tmp_path / "restored"
    result = run(restored, "restore", str(backup_file))
    assert result.returncode == 0, result.stderr
    for table in ("catalogue_case", "catalogue_placement", "catalogue_revision", "accounts_user"):
        assert count(restored, table) == count(original, table) > 0, table
    before = run(original, "export", "--format", "jsonl").stdout
    after = run(restored, "export", "--format", "jsonl").stdout
    assert before == after and before.count("\n") == count(original, "catalogue_case")


def test_restored_database_takes_new_rows(backup_file, tmp_path):
    restored = tmp_path / "restored"
    assert run(restored, "restore", str(backup_file)).returncode == 0
    users = count(restored, "accounts_user")
    made = run(restored, "user", "create", "newcomer", stdin="correct horse battery staple\n")
    # The new account takes an id past the restored ones: the sequences were reset.
    assert made.returncode == 0, made.stderr
    assert count(restored, "accounts_user") == users + 1


def test_restore_refuses_a_database_that_is_not_empty(original, backup_file):
    before = count(original, "catalogue_case")
    result = run(original, "restore", str(backup_file))
    assert result.returncode == 2
    assert "not empty" in result.stderr and "Traceback" not in result.stderr
    assert count(original, "catalogue_case") == before


@pytest.mark.parametrize(
    "content",
    [b"", b"not a backup", gzip.compress(b'[{"model": "nowhere.table"}]', mtime=0)],
    ids=["empty", "text", "unknown-table"],
)
def test_restore_of_a_bad_file_exits_2_and_writes_nothing(tmp_path, content):
    bad = tmp_path / "bad.backup"
    bad.write_bytes(content)
    target = tmp_path / "target"
    result = run(target, "restore", str(bad))
    assert result.returncode == 2, result.stderr
    assert "not a valid peerladder backup" in result.stderr or "not a peerladder" in result.stderr
    assert "Traceback" not in result.stderr
    assert count(target, "catalogue_case") == 0


def test_restore_of_a_missing_file_and_backup_to_a_missing_folder_exit_2(tmp_path):
    result = run(tmp_path / "a", "restore", str(tmp_path / "nothing.backup"))
    assert result.returncode == 2 and "cannot read" in result.stderr
    result = run(tmp_path / "b", "backup", str(tmp_path / "no" / "such" / "x.backup"))
    assert result.returncode == 2 and "does not exist" in result.stderr
