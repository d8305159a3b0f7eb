"""``peerladder classify --lang``: the results' texts in that language, the keys and
values as they are, and a clear refusal of a language we do not have."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from peerladder.cli import main

DESIGNS = json.dumps({"directed_by": "firm", "participant_role": "designs"})


@pytest.fixture
def runner():
    return CliRunner()


def test_json_results_in_spanish_keep_keys_and_values(runner, spanish):
    result = runner.invoke(main, ["classify", "--lang", "es"], input=DESIGNS)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    english = json.loads(runner.invoke(main, ["classify"], input=DESIGNS).stdout)
    assert shown["name"] == "Cocreación"
    assert shown["explanation"][1].endswith("peldaño 5, Cocreación.")
    assert {k: shown[k] for k in ("rung", "key", "view", "economy", "viability")} == {
        k: english[k] for k in ("rung", "key", "view", "economy", "viability")
    }
    assert english["name"] == "Co-creation"


def test_text_results_in_spanish(runner, spanish):
    result = runner.invoke(main, ["classify", "--lang", "es", "--format", "text"], input=DESIGNS)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("rung 5, Cocreación (firm view)\n")
    assert "  economía:  none\n" in result.stdout  # aligned with "viability:"
    assert "  por qué:\n" in result.stdout


def test_json_lines_in_spanish_translate_every_line(runner, spanish):
    lines = "\n".join([DESIGNS, json.dumps({"directed_by": "peers"}), DESIGNS]) + "\n"
    result = runner.invoke(main, ["classify", "--lang", "es"], input=lines)
    assert result.exit_code == 2  # the second line misses its required answers
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["name"] == out[2]["name"] == "Cocreación"
    assert out[1]["line"] == 2 and out[1]["error"]


def test_english_text_is_as_it_always_was(runner):
    result = runner.invoke(main, ["classify", "--format", "text", "--lang", "en"], input=DESIGNS)
    assert result.stdout.splitlines()[:4] == [
        "rung 5, Co-creation (firm view)",
        "  economy:   none",
        "  viability: not assessed",
        "  why:",
    ]


@pytest.mark.parametrize("lang", ["xx", "spanish", "pt_BR"])
def test_an_unknown_language_exits_2_naming_the_option_and_the_languages(runner, lang):
    result = runner.invoke(main, ["classify", "--lang", lang], input=DESIGNS)
    assert result.exit_code == 2
    assert "--lang" in result.output
    assert "'en', 'es', 'fr', 'pt-br', 'de', 'it'" in result.output
    assert result.stdout.count("{") == 0
