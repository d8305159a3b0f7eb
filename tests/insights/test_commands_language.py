"""``peerladder report --lang`` and ``peerladder chart --lang``: the report and the charts in
that language, the essay's words in English with their translation beside them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from peerladder.cli import insights as commands
from peerladder.ladder import BASELINE_2007

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return CliRunner()


def test_the_report_in_spanish(runner, catalogue, spanish):
    result = runner.invoke(commands.report, ["--lang", "es", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Dónde estamos: el estado del campo en 2026\n")
    assert " 5. Cocreación\n" in result.output
    # The essay's words, then their translation, labelled as one.
    quote = f"    2007: \u201c{BASELINE_2007[6].quote}\u201d (Bauwens 2008)\n"
    assert quote in result.output
    after = result.output.split(quote, 1)[1].splitlines()[0]
    assert "En Internet prosperan muchos intercambios no monetarios" in after


def test_the_report_in_english_has_no_translation_lines(runner, catalogue):
    result = runner.invoke(commands.report, ["--lang", "en"])
    assert result.output.startswith("Where are we now: the state of the field in ")
    assert "Translation" not in result.output


def test_the_json_report_in_spanish_keeps_its_keys_and_carries_the_translation(
    runner, catalogue, spanish, tmp_path
):
    target = tmp_path / "report.json"
    result = runner.invoke(commands.report, ["--lang", "es", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    report = json.loads(target.read_text())
    rung6 = report["rungs"][5]
    assert (rung6["rung"], rung6["key"]) == (6, "use-value-unmonetized")
    assert rung6["name"].startswith("Producción entre pares")
    assert rung6["baseline_2007"]["quote"] == BASELINE_2007[6].quote
    assert rung6["baseline_2007"]["quote_translation"].startswith("En Internet")


def test_the_html_report_in_spanish_says_its_language(runner, catalogue, spanish, tmp_path):
    target = tmp_path / "report.html"
    runner.invoke(commands.report, ["--lang", "es", "--format", "html", "-o", str(target)])
    page = target.read_text()
    assert '<html lang="es">' in page
    assert "Dónde estamos" in page
    assert f'<q cite="https://timreview.ca/article/113" lang="en">{BASELINE_2007[6].quote}' in page


def test_a_chart_in_spanish(runner, catalogue, spanish, tmp_path):
    target = tmp_path / "viability.svg"
    result = runner.invoke(commands.chart, ["viability", "-o", str(target), "--lang", "es"])
    assert result.exit_code == 0, result.output
    svg = target.read_text()
    assert "Viabilidad: coste de capital frente a coste de coordinación" in svg
    assert "Coste de capital" in svg
    assert "Cocreación" in svg  # the rungs in the legend
    assert "Viabilidad" in result.output  # "Wrote ... (title)"


def test_an_unknown_language_exits_2_before_anything_is_written(runner, tmp_path):
    target = tmp_path / "ladder.svg"
    result = runner.invoke(commands.chart, ["ladder", "-o", str(target), "--lang", "klingon"])
    assert result.exit_code == 2
    assert "--lang" in result.output and "pt-br" in result.output
    assert not target.exists()
    result = runner.invoke(commands.report, ["--lang", "klingon"])
    assert result.exit_code == 2 and "--lang" in result.output
