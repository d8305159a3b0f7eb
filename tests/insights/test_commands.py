"""``peerladder report`` and ``peerladder chart``, invoked as commands."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from peerladder.cli import insights as commands
from peerladder.ladder import RUNGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cases(catalogue):
    return catalogue


def test_report_prints_text_by_default(runner, cases):
    result = runner.invoke(commands.report, [])
    assert result.exit_code == 0, result.output
    assert "Where are we now" in result.output
    for r in RUNGS:
        assert r.name in result.output


def test_report_writes_json_to_a_file(runner, cases, tmp_path):
    target = tmp_path / "report.json"
    result = runner.invoke(
        commands.report, ["--format", "json", "-o", str(target), "--year", "2026"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text())
    assert data["year"] == 2026 and data["totals"]["cases"] == 12


def test_report_writes_standalone_html(runner, cases, tmp_path):
    target = tmp_path / "report.html"
    result = runner.invoke(commands.report, ["--format", "html", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text().startswith("<!doctype html>")


def test_report_bad_format_exits_2_with_a_message(runner, cases):
    result = runner.invoke(commands.report, ["--format", "pdf"])
    assert result.exit_code == 2
    assert "pdf" in result.output and "text" in result.output


@pytest.mark.parametrize("name", ["ladder", "trend", "viability", "agreement"])
def test_chart_writes_an_svg_naming_every_rung(runner, cases, tmp_path, name):
    target = tmp_path / f"{name}.svg"
    result = runner.invoke(commands.chart, [name, "-o", str(target)])
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()  # noqa: S314
    text = " ".join(root.itertext())
    for r in RUNGS:
        assert r.name in text


def test_chart_writes_trajectories_naming_each_moved_case(runner, cases, tmp_path):
    target = tmp_path / "trajectories.svg"
    result = runner.invoke(commands.chart, ["trajectories", "-o", str(target)])
    assert result.exit_code == 0, result.output
    root = ET.parse(target).getroot()  # noqa: S314
    assert "Couchsurfing" in " ".join(root.itertext())


def test_chart_writes_a_png_of_the_expected_size(runner, cases, tmp_path):
    svg, png = tmp_path / "a.svg", tmp_path / "a.png"
    assert runner.invoke(commands.chart, ["agreement", "-o", str(svg)]).exit_code == 0
    result = runner.invoke(commands.chart, ["agreement", "-o", str(png), "--scale", "1"])
    assert result.exit_code == 0
    root = ET.parse(svg).getroot()  # noqa: S314
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (int(root.get("width")), int(root.get("height")))


def test_chart_unknown_name_exits_2_and_names_the_choices(runner, tmp_path):
    result = runner.invoke(commands.chart, ["pie", "-o", str(tmp_path / "pie.svg")])
    assert result.exit_code == 2
    assert "unknown chart 'pie'" in result.output and "ladder" in result.output
    assert not (tmp_path / "pie.svg").exists()


def test_chart_bad_extension_exits_2(runner, tmp_path):
    result = runner.invoke(commands.chart, ["ladder", "-o", str(tmp_path / "ladder.pdf")])
    assert result.exit_code == 2
    assert ".svg or .png" in result.output


def test_chart_missing_directory_exits_2(runner, cases, tmp_path):
    result = runner.invoke(commands.chart, ["ladder", "-o", str(tmp_path / "no" / "ladder.svg")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_commands_have_help_text():
    assert commands.report.help and commands.chart.help


def test_chart_names_match_the_charts_module():
    from peerladder.insights import charts

    assert commands.CHART_NAMES == charts.NAMES
