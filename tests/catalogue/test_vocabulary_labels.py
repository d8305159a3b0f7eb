"""The vocabularies' labels in the reader's language, their keys unchanged."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from peerladder.catalogue.vocabulary import (
    ORG_FORMS,
    PRODUCTIONS,
    RELATION_TYPES,
    SECTORS,
)
from peerladder.catalogue.vocabulary_labels import (
    TARGET,
    TRANSLATED_VOCABULARIES,
    term_choices,
    term_label,
    vocabulary_strings_source,
)

LOCALE = Path(__file__).resolve().parents[2] / "src" / "peerladder" / "locale"
LANGUAGES = ("es", "fr", "pt_BR", "de", "it")


def test_the_generated_list_of_labels_is_up_to_date():
    """Run `make ladder-messages` after changing a vocabulary's labels."""
    assert TARGET.read_text(encoding="utf-8") == vocabulary_strings_source()


def test_every_list_shown_on_the_pages_is_translated():
    assert {v.name for v in TRANSLATED_VOCABULARIES} == {
        SECTORS.name,
        ORG_FORMS.name,
        PRODUCTIONS.name,
        RELATION_TYPES.name,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_term_has_a_translation_in_every_ladder_catalogue(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in catalogue.translated_entries()}
    for vocabulary in TRANSLATED_VOCABULARIES:
        for value, label in vocabulary.terms:
            assert translated.get((f"{vocabulary.name}.{value}", label)), (language, value)


def test_a_label_is_in_the_active_language_and_english_without_one():
    assert term_label(SECTORS, "software") == "Software and internet infrastructure"
    with translation.override("es"):
        assert term_label(SECTORS, "software") == "Software e infraestructura de internet"
        assert term_label(ORG_FORMS, "cooperative") == "Cooperativa"
        assert term_label(RELATION_TYPES, "fork_of") == "es una bifurcación de"
    with translation.override("de"):
        assert term_label(PRODUCTIONS, "both") == "Beides, in erheblichem Maß"


def test_the_same_english_under_two_keys_can_be_translated_apart():
    """ "Other" is a sector (masculine in Spanish) and a form (feminine)."""
    with translation.override("es"):
        assert term_label(SECTORS, "other") == "Otro"
        assert term_label(ORG_FORMS, "other") == "Otra"


def test_an_unknown_value_is_shown_as_it_is():
    with translation.override("es"):
        assert term_label(SECTORS, "no-such-sector") == "no-such-sector"
        assert term_label(PRODUCTIONS, None) == ""


def test_choices_keep_their_keys_and_translate_when_shown():
    choices = term_choices(SECTORS)
    assert [value for value, _ in choices] == list(SECTORS.values)
    with translation.override("fr"):
        assert str(dict(choices)["food"]) == "Alimentation et agriculture"
    assert str(dict(choices)["food"]) == "Food and agriculture"


@pytest.mark.django_db
def test_the_models_display_the_label_in_the_active_language_and_store_the_key():
    from tests.factories import make_case

    case = make_case(slug="bakery", sector="food", org_form="cooperative", production="material")
    with translation.override("it"):
        assert case.get_sector_display() == "Alimentazione e agricoltura"
        assert case.get_org_form_display() == "Cooperativa"
        assert case.get_production_display().startswith("Materiale:")
    case.refresh_from_db()
    assert (case.sector, case.org_form, case.production) == ("food", "cooperative", "material")


@pytest.mark.django_db
def test_roles_and_edit_states_are_shown_in_the_active_language():
    from peerladder.accounts.models import Role, User
    from peerladder.catalogue.models import PendingEdit

    user = User(username="mod", role=Role.MODERATOR)
    edit = PendingEdit(state=PendingEdit.State.REJECTED)
    with translation.override("es"):
        assert user.get_role_display() == "Moderador"
        assert edit.get_state_display() == "Rechazada"
    assert user.get_role_display() == "Moderator"
    assert user.role == "moderator"
