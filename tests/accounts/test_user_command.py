"""peerladder user create, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PASSWORD = "correct horse battery staple"


def run(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERLADDER_", "DJANGO_"))}
    env["PEERLADDER_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "peerladder.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("users")


def test_user_create_with_token_prints_the_token_alone(data_dir: Path):
    result = run(
        data_dir, "user", "create", "ada", "--role", "moderator", "--token", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("pl_") and len(lines[0]) > 30
    assert "Traceback" not in result.stderr


def test_user_create_refuses_a_taken_name_with_status_2(data_dir: Path):
    run(data_dir, "user", "create", "bob", stdin=PASSWORD + "\n")
    again = run(data_dir, "user", "create", "bob", stdin=PASSWORD + "\n")
    assert again.returncode == 2
    assert "username" in again.stderr and "taken" in again.stderr
    assert "Traceback" not in again.stderr


def test_user_create_refuses_a_weak_password(data_dir: Path):
    result = run(data_dir, "user", "create", "carol", stdin="123\n")
    assert result.returncode == 2
    assert "password" in result.stderr


def test_user_create_refuses_an_unknown_role(data_dir: Path):
    result = run(data_dir, "user", "create", "dan", "--role", "king", stdin=PASSWORD + "\n")
    assert result.returncode == 2
    assert "king" in result.stderr
