"""A case's text in other languages: checked by the one check, written as revisions,
diffed, reverted and reviewed like any other edit."""

from __future__ import annotations

import pytest

from peerladder.catalogue import selectors, services
from peerladder.catalogue.history import diff_records
from peerladder.catalogue.models import CaseTranslation, PendingEdit, Revision
from peerladder.catalogue.record import LIMITS
from peerladder.catalogue.services import HeldForReview
from peerladder.catalogue.validation import clean_translations
from peerladder.errors import EditConflict, InvalidInput
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

SPANISH = {"name": "Cocina común", "summary": "Una cooperativa de cocineros.", "description": ""}


def _set(case, author, language="es", texts=SPANISH, **kwargs):
    return services.translation_set(
        case=case,
        author=author,
        language=language,
        texts=texts,
        base_revision=kwargs.pop("base_revision", case.revision_number),
        **kwargs,
    )


def test_a_translation_is_a_revision_in_the_cases_history():
    case = make_case(slug="kitchen", name="Common kitchen")
    author = UserFactory()
    case = _set(case, author)
    revision = Revision.objects.get(case=case, number=2)
    assert revision.action == "translate" and revision.author == author
    assert revision.summary == "Translated (Español)"
    assert revision.snapshot["translations"] == {
        "es": {**SPANISH, "editorial": False},
    }
    row = CaseTranslation.objects.get(case=case)
    assert (row.language, row.name, row.editorial) == ("es", "Cocina común", False)


@pytest.mark.parametrize("language", ["es", "fr", "pt-br", "de", "it"])
def test_every_language_can_be_written_and_read_back(language):
    case = make_case(slug="kitchen")
    case = _set(case, UserFactory(), language=language, texts={"summary": f"Text {language}"})
    record = selectors.case_get(slug="kitchen")
    assert {row.language: row.summary for row in record.translations.all()} == {
        language: f"Text {language}"
    }


def test_a_translation_diffs_word_by_word():
    case = make_case(slug="kitchen")
    author = UserFactory()
    case = _set(case, author)
    case = _set(case, author, texts={**SPANISH, "summary": "Una cooperativa de panaderos."})
    before, after = Revision.objects.filter(case=case).order_by("number")[1:3]
    (change,) = diff_records(before.snapshot, after.snapshot)
    assert (change.section, change.key, change.kind) == ("translations", "es summary", "changed")
    left, right = change.words
    assert ("removed", "cocineros") in left and ("added", "panaderos") in right


def test_reverting_brings_the_earlier_translation_back_and_can_drop_it():
    case = make_case(slug="kitchen")
    author = UserFactory()
    case = _set(case, author)
    case = _set(case, author, texts={"summary": "Vandalised"})
    services.case_revert(case=case, author=author, revision=2)
    assert CaseTranslation.objects.get(case=case).summary == SPANISH["summary"]
    # Revision 1 had no translation: reverting to it removes the language.
    case.refresh_from_db()
    services.case_revert(case=case, author=author, revision=1)
    assert not CaseTranslation.objects.filter(case=case).exists()
    assert Revision.objects.filter(case=case).latest("number").snapshot["translations"] == {}


def test_a_stale_translation_edit_is_refused():
    case = make_case(slug="kitchen")
    with pytest.raises(EditConflict):
        _set(case, UserFactory(), base_revision=0)
    assert not CaseTranslation.objects.exists()


def test_a_new_accounts_translation_waits_for_review():
    case = make_case(slug="kitchen")
    newcomer = UserFactory(username="newcomer")
    newcomer.review_edits_left = 1
    newcomer.save()
    moderator = UserFactory(username="mod", role="moderator")
    with pytest.raises(HeldForReview) as held:
        _set(case, newcomer)
    assert not CaseTranslation.objects.exists()
    edit = held.value.edit
    assert edit.action == "translation_set"
    assert edit.preview["translations"]["es"]["name"] == "Cocina común"
    services.pending_approve(edit=PendingEdit.objects.get(pk=edit.pk), moderator=moderator)
    assert CaseTranslation.objects.get(case=case).name == "Cocina común"


def test_empty_texts_remove_the_language():
    case = make_case(slug="kitchen")
    author = UserFactory()
    case = _set(case, author)
    case = _set(case, author, texts={"name": " ", "summary": "", "description": ""})
    assert not CaseTranslation.objects.exists()
    assert case.revision_number == 3


def test_an_unchanged_editorial_translation_stays_editorial_and_a_new_text_does_not():
    case = make_case(slug="kitchen")
    case = _set(case, UserFactory(role="moderator"), editorial=True)
    author = UserFactory()
    assert Revision.objects.get(case=case, number=2).summary == "Editorial translation (Español)"
    case = _set(case, author)
    assert CaseTranslation.objects.get(case=case).editorial is True
    case = _set(case, author, texts={**SPANISH, "name": "Otra cocina"})
    assert CaseTranslation.objects.get(case=case).editorial is False


def test_case_update_sets_and_removes_translations():
    case = make_case(slug="kitchen")
    author = UserFactory()
    case = services.case_update(
        case=case,
        author=author,
        changes={"translations": {"es": SPANISH, "fr": {"summary": "Une cuisine."}}},
        base_revision=1,
    )
    assert set(case.translations.values_list("language", flat=True)) == {"es", "fr"}
    case = services.case_update(
        case=case, author=author, changes={"translations": {"fr": None}}, base_revision=2
    )
    assert list(case.translations.values_list("language", flat=True)) == ["es"]


@pytest.mark.parametrize(
    ("value", "field", "words"),
    [
        ({"en": SPANISH}, "translations.en", "the case's own text"),
        ({"xx": SPANISH}, "translations.xx", "not a language"),
        ({"es": {"summary": "x" * (LIMITS.summary + 1)}}, "translations.es.summary", "at most"),
        ({"es": {"name": "a\x00b"}}, "translations.es.name", "cannot be stored"),
        ({"es": {"tagline": "x"}}, "translations.es.tagline", "unknown field"),
        ({"es": {"name": ""}}, "translations.es", "has no text"),
        ({"es": {"name": "x", "editorial": "yes"}}, "translations.es.editorial", "true or false"),
        (["es"], "translations", "language codes"),
    ],
)
def test_the_one_check_refuses_bad_translations_naming_the_field(value, field, words):
    errors = []
    clean_translations(value, errors)
    assert [error.field for error in errors] == [field]
    assert words in errors[0].message


def test_a_refused_translation_changes_nothing():
    case = make_case(slug="kitchen")
    with pytest.raises(InvalidInput):
        _set(case, UserFactory(), texts={"summary": "x" * (LIMITS.summary + 1)})
    with pytest.raises(InvalidInput):
        _set(case, UserFactory(), language="klingon")
    case.refresh_from_db()
    assert case.revision_number == 1 and not CaseTranslation.objects.exists()


def test_check_finds_and_repairs_an_unstorable_translation_as_a_revision():
    from peerladder.catalogue.integrity import find_unstorable_rows, repair_unstorable

    case = _set(make_case(slug="kitchen"), UserFactory())
    # Written around the services, as an old database or a bad restore could hold it.
    CaseTranslation.objects.filter(case=case).update(summary="bad \ufffe text")
    findings = [f for f in find_unstorable_rows() if f.table == "catalogue_casetranslation"]
    assert [f.column for f in findings] == ["summary"]
    assert repair_unstorable(findings) == 1
    assert CaseTranslation.objects.get(case=case).summary == "bad \ufffd text"
    latest = Revision.objects.filter(case=case).latest("number")
    assert latest.action == "repair" and latest.snapshot["translations"]["es"]["summary"]


def test_case_text_is_translated_into_every_language_of_the_site(settings):
    from peerladder.catalogue.vocabulary import CASE_LANGUAGES, ORIGINAL_LANGUAGE
    from peerladder.search.triggers import POSTGRES_CONFIGS

    site = [code for code, _ in settings.LANGUAGES]
    assert set(site) == {ORIGINAL_LANGUAGE, *CASE_LANGUAGES.values}
    assert set(POSTGRES_CONFIGS) == set(CASE_LANGUAGES.values)
