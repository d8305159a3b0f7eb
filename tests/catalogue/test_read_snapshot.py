"""read_snapshot: a long read sees the catalogue of one moment and blocks no writer.

Run against an SQLite file in WAL mode, as a deployment uses it, in processes of
their own: the reader holds its snapshot while another process imports a case.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from peerladder.catalogue.read_snapshot import in_snapshot
from tests.interchange.records import foundation_record, jsonl, wiki_record

READER = """
import sys
from peerladder.cli.runtime import setup_django
setup_django()
from peerladder.catalogue.models import Case
from peerladder.catalogue.read_snapshot import read_snapshot
with read_snapshot():
    print(Case.objects.count(), flush=True)
    sys.stdin.readline()  # the writer has committed meanwhile
    print(Case.objects.count(), flush=True)
print(Case.objects.count(), flush=True)
"""


def environment(data: Path) -> dict[str, str]:
    values = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PEERLADDER_DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return values | {
        "PEERLADDER_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "peerladder.config.settings",
    }


def run_import(path: Path, env: dict[str, str]) -> None:
    command = "from peerladder.cli.interchange import import_; import_()"
    subprocess.run(
        [sys.executable, "-c", command, str(path)], env=env, check=True, timeout=120,
        capture_output=True,
    )  # fmt: skip


def test_a_snapshot_holds_while_another_process_writes(tmp_path):
    env = environment(tmp_path / "data")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_bytes(jsonl([foundation_record()]))
    wiki = wiki_record()
    wiki["relations"] = []
    second.write_bytes(jsonl([wiki]))
    run_import(first, env)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        run_import(second, env)  # not blocked by the open snapshot
        reader.stdin.write("go\n")
        reader.stdin.flush()
        inside, after = reader.stdout.readline().strip(), reader.stdout.readline().strip()
    finally:
        reader.kill()
        reader.wait()
        reader.stdin.close()
        reader.stdout.close()
    assert (inside, after) == ("1", "2")


def in_transaction() -> bool:
    if connection.vendor == "sqlite":
        return connection.connection.in_transaction
    return connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_streamed_download_reads_inside_one_snapshot_until_it_is_closed():
    seen = []

    def chunks():
        for chunk in (b"a", b"b", b"c"):
            seen.append(in_transaction())
            yield chunk

    stream = in_snapshot(chunks())
    assert next(stream) == b"a"
    assert next(stream) == b"b"
    stream.close()  # the client went away
    assert seen == [True, True]
    assert not in_transaction()
    assert list(in_snapshot(chunks())) == [b"a", b"b", b"c"]
    assert not in_transaction()
