"""Rows an earlier version let in with text no encoder can write out: found by
`peerladder check` (and by `backup`, which refuses), mended by `check --repair`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connection

from peerladder.catalogue.integrity import find_unstorable_rows, repair_unstorable
from peerladder.catalogue.models import Case, ModerationAction, Revision
from peerladder.interchange.backup import BackupError, backup
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def corrupt(case: Case) -> None:
    """Store text the checks now refuse, as an earlier version did: a non-character in a
    summary (both databases take it) and, on SQLite, a lone surrogate inside the tags'
    JSON (PostgreSQL's jsonb never took that one)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalogue_case SET summary = %s WHERE id = %s", ["Odd \ufffe text.", case.pk]
        )
        if connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE catalogue_case SET tags = %s WHERE id = %s",
                ['["ok", "x\\udc00y"]', case.pk],
            )


def test_check_finds_the_rows_and_backup_refuses_until_they_are_repaired(tmp_path: Path):
    case = make_case(slug="wikipedia")
    healthy = make_case(slug="linux")
    corrupt(case)
    findings = list(find_unstorable_rows())
    columns = {(f.table, f.row, f.column.split(":")[0]) for f in findings}
    assert ("catalogue_case", case.pk, "summary") in columns
    if connection.vendor == "sqlite":
        assert ("catalogue_case", case.pk, "tags") in columns
    assert all(f.row != healthy.pk or f.table != "catalogue_case" for f in findings)

    with pytest.raises(BackupError, match="check --repair"):
        backup(tmp_path / "backup.json.gz")
    assert not (tmp_path / "backup.json.gz").exists()

    assert repair_unstorable(findings) == 1
    repaired = Case.objects.get(pk=case.pk)
    assert repaired.summary == "Odd \ufffd text."
    assert repaired.name == case.name  # the rest of the record is kept
    if connection.vendor == "sqlite":
        assert repaired.tags == ["ok", "x\ufffdy"]
    latest = Revision.objects.filter(case=case).latest("number")
    assert latest.action == "repair" and latest.snapshot["summary"] == "Odd \ufffd text."
    assert ModerationAction.objects.filter(action="repair", case=case).exists()
    assert list(find_unstorable_rows()) == []
    assert backup(tmp_path / "backup.json.gz") > 0


def test_the_check_command_reports_and_repairs():
    from peerladder.cli import main

    corrupt(make_case(slug="wikipedia"))
    runner = CliRunner()
    found = runner.invoke(main, ["check"], catch_exceptions=False)
    assert found.exit_code == 1
    assert "catalogue_case row" in found.output and "U+FFFE" in found.output
    mended = runner.invoke(main, ["check", "--repair"], catch_exceptions=False)
    assert mended.exit_code == 0
    clean = runner.invoke(main, ["check"], catch_exceptions=False)
    assert clean.exit_code == 0
