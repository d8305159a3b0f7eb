"""``peerladder import`` and ``peerladder export``, invoked as a user would."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from peerladder.catalogue.models import Case, Revision
from peerladder.cli.interchange import export, import_
from tests.interchange.records import database_state, foundation_record, jsonl, sample_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cases_file(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(jsonl(sample_records()))
    return path


def test_import_creates_the_cases_and_says_so(runner, cases_file):
    result = runner.invoke(import_, [str(cases_file)])

    assert result.exit_code == 0, result.output
    assert "2 records: created 2, updated 0, 0 unchanged" in result.stdout
    assert Case.objects.count() == 2


def test_import_attributes_revisions_to_the_user_option(runner, cases_file):
    runner.invoke(import_, [str(cases_file), "--user", "research-team"])
    assert Revision.objects.get(case__slug="wikipedia", number=1).author.username == (
        "research-team"
    )


def test_import_dry_run_lists_the_plan_and_writes_nothing(runner, cases_file):
    result = runner.invoke(import_, [str(cases_file), "--dry-run"])

    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "create wikipedia: 1 sources, 2 placements, 1 relations",
        "create wikimedia-foundation: 1 sources, 1 placements, 0 relations",
    ]
    assert "would create 2" in result.stdout
    assert Case.objects.count() == 0


def test_bad_input_exits_2_with_one_line_per_problem(runner, tmp_path):
    first = foundation_record()
    first["sector"] = "space"
    second = foundation_record()
    second["slug"] = "other"
    second["wikidata"] = None
    second["placements"][0]["answers"] = {"directed_by": "nobody"}
    path = tmp_path / "bad.jsonl"
    path.write_bytes(jsonl([first, second]))
    before = database_state()

    result = runner.invoke(import_, [str(path)])

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("bad.jsonl:1: sector must be one of")
    assert "'space'" in lines[0]
    assert lines[1].startswith("bad.jsonl:2: placements[0].answers.directed_by")
    assert "Traceback" not in result.output
    assert database_state() == before


def test_truncated_json_exits_2(runner, tmp_path):
    path = tmp_path / "cases.json"
    path.write_bytes(orjson.dumps(sample_records())[:-5])

    result = runner.invoke(import_, [str(path)])

    assert result.exit_code == 2
    assert result.stderr.startswith("cases.json:1: not valid JSON")
    assert "truncated" in result.stderr


def test_an_unknown_extension_needs_format(runner, tmp_path):
    path = tmp_path / "cases.txt"
    path.write_bytes(jsonl(sample_records()))

    result = runner.invoke(import_, [str(path)])
    assert result.exit_code == 2
    assert "give --format" in result.stderr

    assert runner.invoke(import_, [str(path), "--format", "jsonl"]).exit_code == 0


def test_the_default_import_account_is_the_importers():
    from peerladder.cli import interchange as commands
    from peerladder.interchange import importer

    assert commands.DEFAULT_IMPORT_USER == importer.DEFAULT_IMPORT_USER


def test_a_missing_file_exits_2(runner, tmp_path):
    result = runner.invoke(import_, [str(tmp_path / "nothing.jsonl")])
    assert result.exit_code == 2
    assert "cannot read the file" in result.stderr


def test_import_reads_stdin(runner, cases_file):
    result = runner.invoke(import_, ["-", "--format", "jsonl"], input=cases_file.read_bytes())
    assert result.exit_code == 0, result.output
    assert Case.objects.count() == 2


def test_export_writes_stdout_or_a_file(runner, cases_file, tmp_path):
    runner.invoke(import_, [str(cases_file)])

    result = runner.invoke(export, [])
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\n") == 2

    target = tmp_path / "out.csv"
    result = runner.invoke(export, ["--format", "csv", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text().startswith("slug,name,summary")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_export_filters(runner, cases_file):
    runner.invoke(import_, [str(cases_file)])
    result = runner.invoke(export, ["--query", "foundation"])
    assert [orjson.loads(line)["slug"] for line in result.stdout_bytes.splitlines()] == [
        "wikimedia-foundation"
    ]


def test_export_filters_by_language(runner, cases_file):
    runner.invoke(import_, [str(cases_file)])
    assert runner.invoke(export, ["--language", "es"]).stdout_bytes == b""
    from peerladder.catalogue import services
    from peerladder.catalogue.models import Case

    case = Case.objects.order_by("slug").first()
    services.case_update(
        case=case,
        author=case.revisions.first().author,
        changes={"translations": {"es": {"summary": "Un caso."}}},
        base_revision=None,
    )
    lines = runner.invoke(export, ["--language", "es"]).stdout_bytes.splitlines()
    assert [orjson.loads(line)["slug"] for line in lines] == [case.slug]
    result = runner.invoke(export, ["--language", "xx"])
    assert result.exit_code == 2
    assert "--language: 'xx' is not known; allowed: es, fr, pt-br, de, it" in result.stderr


def test_export_refuses_unknown_filter_values(runner):
    result = runner.invoke(export, ["--sector", "space", "--country", "XX"])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 2
    assert "--sector: 'space' is not known" in result.stderr


def test_export_datapackage_to_a_directory(runner, cases_file, tmp_path):
    runner.invoke(import_, [str(cases_file)])
    result = runner.invoke(export, ["--format", "datapackage", "-o", f"{tmp_path}/package/"])
    assert result.exit_code == 0
    assert (tmp_path / "package" / "datapackage.json").exists()
    assert (tmp_path / "package" / "data" / "placements.csv").exists()


def test_exported_file_imports_back_unchanged(runner, cases_file, tmp_path):
    runner.invoke(import_, [str(cases_file)])
    target = tmp_path / "again.jsonl"
    runner.invoke(export, ["-o", str(target)])

    result = runner.invoke(import_, [str(target), "--dry-run"])

    assert "would create 0, would update 0, 2 unchanged" in result.stdout


def test_a_jsonl_import_reports_unreadable_lines_with_the_other_problems(runner, tmp_path):
    good = foundation_record()
    bad = foundation_record()
    bad["slug"], bad["wikidata"], bad["sector"] = "other", None, "space"
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(jsonl([good]) + b'{"slug": \n' + jsonl([bad]))
    before = database_state()

    result = runner.invoke(import_, [str(path)])

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("mixed.jsonl:2: not valid JSON")
    assert lines[1].startswith("mixed.jsonl:3: sector must be one of")
    assert database_state() == before
