"""Only the accounts that speak for the project (moderators and admins) may mark a
translation ``editorial``; anyone else is refused with the field named and nothing
stored. What is already the editors' may be sent back unchanged, and an operator's
import carries its file's markers."""

from __future__ import annotations

import pytest

from peerladder.accounts.services import user_create
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, CaseTranslation, PendingEdit, Revision
from peerladder.errors import NotAllowed
from tests.factories import UserFactory, make_case
from tests.interchange.records import export, jsonl, load, sample_records, wiki_record

pytestmark = pytest.mark.django_db

SPANISH = {"name": "Cocina común", "summary": "Una cooperativa de cocineros.", "description": ""}


def _set(case, author, *, editorial=True, texts=SPANISH):
    return services.translation_set(
        case=case,
        author=author,
        language="es",
        texts=texts,
        base_revision=case.revision_number,
        editorial=editorial,
    )


def _refused_naming_the_field(call, field="translations.es.editorial"):
    with pytest.raises(NotAllowed) as refusal:
        call()
    assert refusal.value.field == field
    assert str(refusal.value).startswith(f"{field}: only moderators and admins")
    return refusal.value


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_a_moderator_or_an_admin_writes_an_editorial_translation(role):
    case = make_case(slug="kitchen")
    case = _set(case, UserFactory(role=role))
    assert CaseTranslation.objects.get(case=case).editorial is True
    assert Revision.objects.get(case=case, number=2).summary == "Editorial translation (Español)"


def test_an_ordinary_account_is_refused_an_editorial_translation_and_nothing_is_stored():
    case = make_case(slug="kitchen")
    _refused_naming_the_field(lambda: _set(case, UserFactory()))
    case.refresh_from_db()
    assert case.revision_number == 1
    assert not CaseTranslation.objects.exists()


def test_the_same_text_without_the_marker_is_the_contributor_s_translation():
    case = _set(make_case(slug="kitchen"), UserFactory(), editorial=False)
    assert CaseTranslation.objects.get(case=case).editorial is False


def test_a_new_account_s_editorial_translation_is_refused_not_held_for_review():
    newcomer = user_create(username="newcomer", password="a-long-test-password")
    newcomer.review_edits_left = 3
    newcomer.save()
    case = make_case(slug="kitchen")
    _refused_naming_the_field(lambda: _set(case, newcomer))
    assert not PendingEdit.objects.exists()


def test_case_create_refuses_an_ordinary_account_s_editorial_translation():
    def create(author):
        return services.case_create(
            author=author,
            fields={
                "slug": "kitchen",
                "name": "Common kitchen",
                "summary": "A cooks' cooperative.",
                "sector": "food",
                "org_form": "cooperative",
                "translations": {"fr": {"summary": "Une coopérative.", "editorial": True}},
            },
        )

    _refused_naming_the_field(lambda: create(UserFactory()), "translations.fr.editorial")
    assert not Case.objects.exists()
    case = create(UserFactory(role="moderator"))
    assert CaseTranslation.objects.get(case=case, language="fr").editorial is True


def test_case_update_refuses_a_new_editorial_marker_but_takes_back_an_unchanged_one():
    case = _set(make_case(slug="kitchen"), UserFactory(role="moderator"))
    contributor = UserFactory()

    def update(translations):
        return services.case_update(
            case=Case.objects.get(pk=case.pk),
            author=contributor,
            changes={"summary": "A kitchen its cooks own.", "translations": translations},
            base_revision=None,
        )

    # A client sending back the editors' text as it read it changes nothing of theirs.
    update({"es": {**SPANISH, "editorial": True}})
    row = CaseTranslation.objects.get(case=case)
    assert row.editorial is True and row.summary == SPANISH["summary"]
    revisions = Revision.objects.filter(case=case).count()
    # A changed text, or another language, marked editorial: refused, nothing stored.
    changed = {**SPANISH, "summary": "Otra cosa.", "editorial": True}
    _refused_naming_the_field(lambda: update({"es": changed}))
    _refused_naming_the_field(
        lambda: update({"it": {"summary": "Una cucina.", "editorial": True}}),
        "translations.it.editorial",
    )
    assert Revision.objects.filter(case=case).count() == revisions
    assert CaseTranslation.objects.get(case=case).summary == SPANISH["summary"]
    assert not CaseTranslation.objects.filter(language="it").exists()


def test_an_operator_s_import_carries_the_file_s_editorial_markers_onto_existing_cases():
    load(jsonl(sample_records()))
    record = wiki_record()
    record["translations"] = {"es": {"summary": "Una enciclopedia libre.", "editorial": True}}
    # The default import account is an ordinary one: the operator ran the import.
    report = load(jsonl([record]))
    assert report.updated == 1
    row = CaseTranslation.objects.get(case__slug="wikipedia")
    assert row.editorial is True and row.summary == "Una enciclopedia libre."
    assert b'"editorial":true' in export()
