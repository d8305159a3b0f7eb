"""The PEERLADDER_* environment is read exactly as docs/configuration.md says."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from peerladder.config import environment


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("PEERLADDER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PEERLADDER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_defaults_give_sqlite_in_the_data_directory_with_wal_and_immediate(clean_env: Path):
    env = environment.load()
    assert env.data_dir == clean_env.resolve()
    assert env.database["ENGINE"] == "django.db.backends.sqlite3"
    assert env.database["NAME"] == str(clean_env.resolve() / "peerladder.sqlite3")
    options = env.database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] > 0
    assert "journal_mode=WAL" in options["init_command"]
    assert "synchronous=NORMAL" in options["init_command"]
    assert env.debug is False
    assert env.allowed_hosts == ["127.0.0.1", "localhost"]


def test_secret_key_is_generated_once_and_stored_private(clean_env: Path):
    first = environment.load().secret_key
    second = environment.load().secret_key
    assert first == second
    assert len(first) >= 50
    key_file = clean_env / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins(clean_env: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PEERLADDER_SECRET_KEY", "from-the-environment")
    assert environment.load().secret_key == "from-the-environment"
    assert not (clean_env / "secret_key").exists()


def test_postgresql_url_is_used(clean_env: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PEERLADDER_DATABASE_URL", "postgresql://alice@db.example:5433/ladder")
    db = environment.load().database
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == (
        "ladder",
        "alice",
        "db.example",
        5433,
    )


@pytest.mark.parametrize(
    "url", ["not a url", "mysql://root@localhost/x", "sqlite://", "postgresql://host"]
)
def test_bad_database_url_names_the_variable(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, url: str
):
    monkeypatch.setenv("PEERLADDER_DATABASE_URL", url)
    with pytest.raises(environment.ConfigurationError, match="PEERLADDER_DATABASE_URL"):
        environment.load()


def test_unwritable_data_directory_names_the_variable(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("PEERLADDER_DATA_DIR", str(blocker / "data"))
    with pytest.raises(environment.ConfigurationError, match="PEERLADDER_DATA_DIR"):
        environment.load()


def test_debug_flag_rejects_nonsense(clean_env: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PEERLADDER_DEBUG", "perhaps")
    with pytest.raises(environment.ConfigurationError, match="PEERLADDER_DEBUG"):
        environment.load()


def test_cli_reports_bad_configuration_in_one_line_without_traceback(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env["PEERLADDER_DATA_DIR"] = str(tmp_path)
    env["PEERLADDER_DATABASE_URL"] = "nonsense://"
    result = subprocess.run(
        [sys.executable, "-m", "peerladder.cli", "serve", "--port", "8999"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "PEERLADDER_DATABASE_URL" in lines[0]


@pytest.mark.parametrize("url", ["memcached://x", "localhost:6379", "http://redis"])
def test_a_cache_url_that_is_not_redis_is_refused_naming_the_variable(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, url: str
):
    monkeypatch.setenv("PEERLADDER_CACHE_URL", url)
    with pytest.raises(environment.ConfigurationError, match="PEERLADDER_CACHE_URL"):
        environment.load()


def test_redis_cache_urls_are_taken(clean_env: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PEERLADDER_CACHE_URL", "redis://127.0.0.1:6379/0")
    assert environment.load().cache_url == "redis://127.0.0.1:6379/0"


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env.update(
        PEERLADDER_DATA_DIR=str(tmp_path),
        PEERLADDER_SECRET_KEY="k" * 20 + "-long-enough-and-varied-0123456789-ABCDEFGHIJKLMN",
        DJANGO_SETTINGS_MODULE="peerladder.config.settings",
        **extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_behind_https_the_deployment_check_gives_no_warning(tmp_path: Path):
    plain = _check_deploy(tmp_path)
    assert "security.W008" in plain.stderr + plain.stdout  # what the switch is for
    switched = _check_deploy(tmp_path, PEERLADDER_HTTPS="1")
    assert switched.returncode == 0, switched.stderr
    assert "no issues (0 silenced)" in switched.stdout


def test_serve_refuses_a_cache_url_that_names_no_working_redis(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env["PEERLADDER_DATA_DIR"] = str(tmp_path)
    env["PEERLADDER_CACHE_URL"] = "redis://127.0.0.1:6399/0"  # nothing listens there
    result = subprocess.run(
        [sys.executable, "-m", "peerladder.cli", "serve", "--port", "8998"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PEERLADDER_CACHE_URL" in lines[0]


def test_the_site_keeps_connections_and_gives_each_a_smaller_page_cache(
    clean_env: Path, django_db_blocker: Any
):
    from django.db.utils import ConnectionHandler

    from peerladder.config.database import server_connections

    database = environment.load().database
    assert database["CONN_MAX_AGE"] > 0  # kept between requests, not opened for each
    assert (
        f"cache_size=-{environment.SQLITE_CACHE_MIB * 1024};" in database["OPTIONS"]["init_command"]
    )
    databases = {"default": database}
    server_connections(databases)
    connection = ConnectionHandler(databases)["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -environment.SERVER_SQLITE_CACHE_MIB * 1024
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        connection.close()
