"""Labels broken into lines: long words hyphenated by their language's rules."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from peerladder.insights import charts
from peerladder.insights.chart_base import OVERRUN, wrap
from peerladder.insights.ladder_map import WIDE_WIDTH

GERMAN_RUNGS = (
    "Peer-Produktion von Gebrauchswert, gerecht monetarisiert",
    "Individuelles Teilen auf Aufmerksamkeitsplattformen",
    "Commons mit Unternehmensökosystem",
)


def letters(text: str) -> str:
    """The words of ``text`` without hyphens (a break's or the word's own)."""
    return " ".join(text.replace("-", " ").split()).replace(" ", "")


@pytest.mark.parametrize("text", GERMAN_RUNGS)
def test_a_german_compound_longer_than_a_line_is_hyphenated_to_fit(text):
    lines = wrap(text, 10, "de", hyphenate=True)

    assert all(len(line) <= 10 + OVERRUN for line in lines), lines
    assert any(line.endswith("-") for line in lines)
    assert letters("".join(lines)) == letters(text)


def test_a_word_with_a_hyphen_of_its_own_breaks_there_first_and_keeps_one_hyphen():
    assert wrap("Peer-Produktion", 10, "de", hyphenate=True) == ["Peer-", "Produktion"]
    assert wrap("Crowdsourcing-Ökonomie", 14, "de", hyphenate=True) == [
        "Crowdsourcing-",
        "Ökonomie",
    ]
    assert wrap("Crowdsourcing-Ökonomie", 10, "de", hyphenate=True) == [
        "Crowdsour-",
        "cing-",
        "Ökonomie",
    ]


def test_without_hyphenation_a_long_word_stays_whole():
    assert wrap("Commons mit Unternehmensökosystem", 10, "de") == [
        "Commons",
        "mit",
        "Unternehmensökosystem",
    ]


def test_a_word_a_little_longer_than_a_line_stays_whole():
    assert wrap("Passive consumption", 10, "en", hyphenate=True) == ["Passive", "consumption"]
    assert wrap("Co-Creation", 10, "de", hyphenate=True) == ["Co-Creation"]


def test_text_whose_words_fit_is_broken_at_spaces_only():
    assert wrap("Individual sharing on attention platforms", 11, "en", hyphenate=True) == [
        "Individual",
        "sharing on",
        "attention",
        "platforms",
    ]


def test_a_language_without_hyphenation_rules_keeps_a_long_word_whole():
    assert wrap("Aufmerksamkeitsplattformen auf", 10, "xx", hyphenate=True) == [
        "Aufmerksamkeitsplattformen",
        "auf",
    ]


def test_the_active_language_chooses_the_rules():
    with translation.override("de"):
        active = wrap("Aufmerksamkeitsplattformen", 10, hyphenate=True)
    assert active == wrap("Aufmerksamkeitsplattformen", 10, "de", hyphenate=True)
    assert len(active) > 1


@pytest.mark.django_db
def test_the_german_ladder_maps_rung_names_fit_their_columns(catalogue):
    with translation.override("de"):
        spec = charts.build("ladder").spec
    axis = next(
        layer["encoding"]["x"]["axis"]
        for layer in spec["layer"]
        if "labelExpr" in layer.get("encoding", {}).get("x", {}).get("axis", {})
    )
    names = json.loads(axis["labelExpr"].rsplit("[datum.value]", 1)[0])
    per_column = WIDE_WIDTH / 11 / (12 * 0.58)  # characters at the labels' font size

    assert "Aufmerksamkeitsplattformen" not in json.dumps(names, ensure_ascii=False)
    for lines in names.values():
        assert all(len(line) <= per_column + OVERRUN for line in lines), lines
