"""The refusals of incoming data: keyed, listed for the catalogues, translated, and the
same English as before wherever no other language is asked for."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from peerladder.catalogue.validation import check_case, clean_url
from peerladder.errors import REFUSALS, refusal
from peerladder.ladder import InvalidAnswers, classify, english
from peerladder.lexicon import lookup_in
from peerladder.lexicon.generate import REFUSALS_TARGET, refusal_strings_source

LOCALE = Path(__file__).resolve().parents[1] / "src" / "peerladder" / "locale"
LANGUAGES = ("es", "fr", "pt_BR", "de", "it")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_generated_list_of_refusals_is_up_to_date():
    """Run `make ladder-messages` after changing a wording in peerladder/errors.py."""
    assert REFUSALS_TARGET.read_text(encoding="utf-8") == refusal_strings_source()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_refusal_is_translated_keeping_its_placeholders(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    entries = {(entry.msgctxt, entry.msgid): entry for entry in catalogue}
    for message in REFUSALS.values():
        entry = entries.get((message.key, message.template))
        assert entry is not None, f"{language}: {message.key} is not in the catalogue"
        assert entry.msgstr and "fuzzy" not in entry.flags, f"{language}: {message.key}"
        assert sorted(_PLACEHOLDER.findall(entry.msgstr)) == sorted(
            _PLACEHOLDER.findall(message.template)
        ), f"{language}: {message.key} lost or changed a placeholder"


def test_an_error_keeps_its_english_message_and_translates_on_request(db):
    errors: list = []
    clean_url("ftp://x", errors, field="website")
    (error,) = errors
    assert error.message == "website must be an http:// or https:// URL with a host"
    assert error.shown(english) == error.message
    assert error.shown(lookup_in("es")) == (
        "website debe ser una URL http:// o https:// con un nombre de servidor"
    )
    assert error.shown(lookup_in("de")) == (
        "website muss eine http://- oder https://-URL mit einem Hostnamen sein"
    )
    # Only the human text follows the language: the machine values stay as they are.
    shown = error.as_dict(lookup_in("de"))
    assert shown["field"] == "website" and shown["received"] == "ftp://x"
    assert shown["allowed"] == ["http", "https"]


def test_values_are_put_in_by_name_where_each_language_needs_them(db):
    errors: list = []
    check_case({"slug": "x", "name": "X", "summary": "Y", "founded": 2000, "ended": 1990}, errors)
    (error,) = [e for e in errors if e.field == "ended"]
    assert error.message == "ended (1990) is before founded (2000)"
    assert error.shown(lookup_in("de")) == "ended (1990) liegt vor founded (2000)"


def test_the_ladders_refusals_of_answers_translate_too(db):
    with pytest.raises(InvalidAnswers) as refused:
        classify({"directed_by": "nobody"})
    error = refused.value.errors[0]
    assert error.message.startswith("\"nobody\" is not an allowed value for 'directed_by'")
    assert error.shown(lookup_in("es")).startswith(
        "\"nobody\" no es un valor permitido para 'directed_by'; permitidos: "
    )


def test_a_translation_that_breaks_a_placeholder_falls_back_to_english():
    def broken(key: str, text: str) -> str:
        return "{nope} kaputt"

    assert refusal("required", field="name").render(broken) == "name is required"
