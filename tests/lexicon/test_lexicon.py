"""The Django side of the ladder's texts: the catalogues, the languages and the lookups."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

import peerladder
from peerladder.ladder import BASELINE_2007, QUESTIONS, RUNGS, classify, ladder_messages, rung
from peerladder.lexicon import (
    BASELINE_TRANSLATION_LABEL,
    HISTORY_MESSAGES,
    LANGUAGE_CODES,
    baseline_shown,
    classification_shown,
    economy_name_shown,
    language_from_header,
    model_shown,
    normalized_language,
    question_shown,
    rung_shown,
)
from peerladder.lexicon.generate import TARGET, ladder_strings_source
from tests.lexicon.po import read_po

LOCALE = Path(peerladder.__file__).parent / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
_PARAM = re.compile(r"\{(\w*)\}")


def test_the_generated_strings_module_is_up_to_date():
    """Run `python -m peerladder.lexicon.generate` (make messages) when this fails."""
    assert TARGET.read_text(encoding="utf-8") == ladder_strings_source()


def test_the_languages_are_the_sites():
    assert tuple(code for code, _ in django_settings.LANGUAGES) == LANGUAGE_CODES
    assert [path.parent.parent.name for path in CATALOGUES] == ["de", "es", "fr", "it", "pt_BR"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("ja, de;q=0.5, fr;q=0.7", "fr"),
        ("pt-BR", "pt-br"),
        ("pt-PT,pt;q=0.9", "pt-br"),
        ("de-AT", "de"),
        ("ja, zh", None),
        ("fr;q=0, it", "it"),
        ("es;q=bogus, it;q=0.2", "it"),
        ("", None),
        ("*", None),
    ],
)
def test_accept_language_picks_the_best_of_ours(header, expected):
    assert language_from_header(header) == expected


def test_language_codes_are_read_in_every_usual_spelling():
    assert [normalized_language(c) for c in ("pt_BR", "PT-br", "ES", " it ", "pt", "xx")] == [
        "pt-br",
        "pt-br",
        "es",
        "it",
        "pt-br",
        None,
    ]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_ladder_text_is_in_every_catalogue(path):
    entries = {(entry.context, entry.msgid) for entry in read_po(path)}
    expected = {(m.key, m.template) for m in ladder_messages()}
    expected.add((BASELINE_TRANSLATION_LABEL.key, BASELINE_TRANSLATION_LABEL.template))
    expected |= {(m.key, m.template) for m in HISTORY_MESSAGES}
    assert not expected - entries, "run `make messages`"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_translations_keep_their_placeholders(path):
    """A translation that loses `{name}` would break the sentence it fills."""
    broken = []
    for entry in read_po(path):
        wanted = set(_PARAM.findall(entry.msgid)) | set(_PARAM.findall(entry.plural or ""))
        for text in entry.msgstr:
            if text and set(_PARAM.findall(text)) - wanted:
                broken.append((entry.context, entry.msgid, text))
            if text and entry.plural is None and set(_PARAM.findall(text)) != wanted:
                broken.append((entry.context, entry.msgid, text))
    assert not broken


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_the_compiled_catalogue_holds_every_translation(path):
    """The .mo beside each .po is compiled from it (`make messages` compiles)."""
    with path.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in read_po(path):
        if not entry.translated or "fuzzy" in entry.flags:
            continue
        msgid = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.plural is None:
            assert catalogue._catalog.get(msgid) == entry.msgstr[0], msgid  # type: ignore[attr-defined]
        else:
            assert catalogue._catalog.get((msgid, 0)) == entry.msgstr[0], msgid  # type: ignore[attr-defined]


def test_english_is_the_ladders_own_text(settings):
    with translation.override("en"):
        assert rung_shown(RUNGS[4]) == RUNGS[4]
        assert question_shown(QUESTIONS[0]) == QUESTIONS[0]
        assert baseline_shown(6) == BASELINE_2007[6]
        result = classify({"directed_by": "firm", "participant_role": "designs"})
        assert classification_shown(result).as_dict() == result.as_dict()


@pytest.mark.django_db
def test_spanish_comes_from_the_catalogue(spanish):
    with translation.override("es"):
        assert rung_shown(rung(5)).name == "Cocreación"
        # Not in the catalogue: the English stays.
        assert rung_shown(rung(8)).name == "Commons with a business ecology"
        assert question_shown(QUESTIONS[0]).prompt == "¿Quién decide qué se hace?"
        assert question_shown(QUESTIONS[0]).values[0].label == "La empresa"
        assert question_shown(QUESTIONS[0]).values[0].value == "firm"
        assert economy_name_shown("commons") == "Economía del procomún"
        shown = baseline_shown(6)
        assert shown is not None and shown.quote == BASELINE_2007[6].quote
        assert shown.translation.startswith("En Internet prosperan")
        result = classification_shown(
            classify({"directed_by": "firm", "participant_role": "designs"})
        )
        assert result.name == "Cocreación"
        assert result.explanation[:2] == (
            "La empresa decide qué se hace: el caso está en la mitad de la empresa (peldaños 1-5).",
            "Los participantes intervienen en el diseño del propio producto: "
            "peldaño 5, Cocreación.",
        )
        model = model_shown()
        assert model["rungs"][4]["name"] == "Cocreación"  # type: ignore[index]
    with translation.override("en"):
        assert rung_shown(rung(5)).name == "Co-creation"
