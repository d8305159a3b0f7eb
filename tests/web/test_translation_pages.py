"""Translated case text on the pages: the case page in the reader's language with a
fallback notice, the page that writes a translation (CSRF, conflicts, review), the
history's word diff and the language facet."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from peerladder.catalogue import services
from peerladder.catalogue.models import CaseTranslation, PendingEdit, Revision
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

NOTICE = "Not yet translated — showing the original (English)."


def said(text: str, language: str) -> str:
    """An interface text as the page in ``language`` says it (its catalogue's words)."""
    with translation.override(language):
        return translation.gettext(text)


def in_language(client, path, language, **kwargs):
    """GET ``path`` as a reader of ``language``: under its prefix where the site has
    language prefixes, with the language active and asked for in any case."""
    prefixed = f"/{language}{path}"
    with translation.override(language):
        # The language prefix resolves only while its language is active.
        try:
            resolve(prefixed)
            path = prefixed
        except Resolver404:
            pass
        return client.get(path, HTTP_ACCEPT_LANGUAGE=language, **kwargs)


@pytest.fixture
def kitchen():
    case = make_case(
        slug="kitchen",
        name="Common kitchen",
        summary="A cooks' cooperative.",
        description="Cooks *own* the kitchen.",
    )
    return services.translation_set(
        case=case,
        author=UserFactory(username="editors", role="moderator"),
        language="es",
        texts={"name": "Cocina común", "summary": "Una cooperativa de cocineros."},
        base_revision=1,
        editorial=True,
    )


@pytest.fixture
def writer(client):
    user = UserFactory(username="writer")
    client.force_login(user)
    return user


def test_a_spanish_reader_sees_the_spanish_text_marked_editorial(client, kitchen):
    html = in_language(client, "/cases/kitchen", "es").content.decode()
    # In the page's language: no lang attribute of their own.
    assert "<h1>Cocina común" in html
    assert '<p class="lead">Una cooperativa de cocineros.</p>' in html
    assert said("Editorial translation", "es") in html
    # The description is not translated: shown in English, marked as such.
    partly = said("Partly translated — the rest shows the original (English).", "es")
    assert partly in html and '<div class="description" lang="en">' in html


@pytest.mark.parametrize("language", ["fr", "pt-br", "de", "it"])
def test_an_untranslated_case_says_so_and_links_to_translate_it(client, kitchen, language):
    html = in_language(client, "/cases/kitchen", language).content.decode()
    assert said(NOTICE, language) in html and said(NOTICE, language) != NOTICE
    assert f'href="/{language}/cases/kitchen/translate/{language}"' in html
    # The English fallback is marked as English inside a page in another language.
    assert '<h1 lang="en">Common kitchen' in html and '<p class="lead" lang="en">' in html


def test_an_english_reader_sees_the_original_without_a_notice(client, kitchen):
    html = client.get("/cases/kitchen").content.decode()
    assert "<h1>Common kitchen" in html and '<p class="lead">A cooks' in html
    assert NOTICE not in html and "Partly translated" not in html
    # Every language is offered, the Spanish one marked editorial.
    assert re.search(r'translate/es" lang="es">Español</a> <small class="muted">\(editorial', html)


def test_the_translate_page_needs_an_account(client, kitchen):
    response = client.get("/cases/kitchen/translate/fr")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_translate_page_shows_the_original_and_the_current_text(client, kitchen, writer):
    html = client.get("/cases/kitchen/translate/es").content.decode()
    assert "The original (English)" in html and "Cooks *own* the kitchen." in html
    assert 'value="Cocina común"' in html and "csrfmiddlewaretoken" in html
    assert "editorial translation" in html


def test_saving_a_translation_makes_a_revision_and_shows_it(client, kitchen, writer):
    response = client.post(
        "/cases/kitchen/translate/fr",
        {
            "name": "",
            "summary": "Une coopérative de cuisiniers.",
            "description": "",
            "base_revision": 2,
        },
    )
    assert response.status_code == 302
    revision = Revision.objects.filter(case=kitchen).latest("number")
    assert (revision.author, revision.summary) == (writer, "Translated (Français)")
    html = in_language(client, "/cases/kitchen", "fr").content.decode()
    assert (
        "Une coopérative de cuisiniers." in html and said("Editorial translation", "fr") not in html
    )


def test_a_stale_save_is_a_conflict_showing_both_versions(client, kitchen, writer):
    services.translation_set(
        case=kitchen,
        author=UserFactory(),
        language="es",
        texts={"summary": "Otra versión."},
        base_revision=2,
    )
    response = client.post(
        "/cases/kitchen/translate/es",
        {"name": "", "summary": "Mi versión.", "description": "", "base_revision": 2},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved first" in html and "Mi versión." in html and "Otra versión." in html
    assert 'name="base_revision" value="3"' in html
    assert CaseTranslation.objects.get(case=kitchen).summary == "Otra versión."


def test_a_too_long_summary_is_refused_next_to_the_field(client, kitchen, writer):
    response = client.post(
        "/cases/kitchen/translate/es",
        {"name": "", "summary": "x" * 501, "description": "", "base_revision": 2},
    )
    assert response.status_code == 400
    assert re.search(r'id="field-summary".*?at most 500', response.content.decode(), re.S)
    assert Revision.objects.filter(case=kitchen).count() == 2


def test_an_unknown_language_is_a_404(client, kitchen, writer):
    assert client.get("/cases/kitchen/translate/xx").status_code == 404
    assert client.get("/cases/kitchen/translate/en").status_code == 404


def test_the_form_needs_its_csrf_token(kitchen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="someone"))
    response = client.post(
        "/cases/kitchen/translate/fr", {"summary": "Une cuisine.", "base_revision": 2}
    )
    assert response.status_code == 403
    assert not CaseTranslation.objects.filter(language="fr").exists()


def test_a_new_accounts_translation_waits_for_review(client, kitchen):
    newcomer = UserFactory(username="newcomer")
    newcomer.review_edits_left = 1
    newcomer.save()
    client.force_login(newcomer)
    response = client.post(
        "/cases/kitchen/translate/it",
        {"name": "", "summary": "Una cucina comune.", "description": "", "base_revision": 2},
    )
    assert response.status_code == 202
    assert PendingEdit.objects.get().action == "translation_set"
    assert not CaseTranslation.objects.filter(language="it").exists()


def test_the_history_diff_shows_a_translation_word_by_word(client, kitchen):
    services.translation_set(
        case=kitchen,
        author=UserFactory(),
        language="es",
        texts={"name": "Cocina común", "summary": "Una cooperativa de panaderos."},
        base_revision=2,
    )
    html = client.get("/cases/kitchen/diff?from=2&to=3").content.decode()
    assert "Translations" in html
    row = re.search(r'<th scope="row">es summary.*?</tr>', html, re.S).group(0)
    assert "<del>cocineros</del>" in row and "<ins>panaderos</ins>" in row


def test_the_case_list_offers_the_language_facet(client, kitchen):
    make_case(slug="plain", name="Plain")
    html = client.get("/cases?language=es").content.decode()
    assert "Common kitchen" in html and "Plain" not in html
    assert "Text in" in html and "Español" in html


def test_a_revision_permalink_shows_the_translations_it_had(client, kitchen):
    services.case_revert(case=kitchen, author=UserFactory(), revision=1)
    html = client.get("/cases/kitchen?revision=2").content.decode()
    assert "In other languages" in html and '<dd lang="es"><strong>Cocina común</strong>' in html
    assert "In other languages" not in client.get("/cases/kitchen?revision=1").content.decode()


ITALIAN_FORM = {"name": "", "summary": "Una cucina comune.", "description": "", "base_revision": 2}


def test_only_an_editor_is_offered_the_editorial_box(client, kitchen, writer):
    assert 'name="editorial"' not in client.get("/cases/kitchen/translate/it").content.decode()
    client.force_login(UserFactory(username="mod", role="moderator"))
    html = client.get("/cases/kitchen/translate/es").content.decode()
    # Offered to a moderator, ticked where the text is already the editors'.
    assert re.search(r'<input type="checkbox" name="editorial"[^>]* checked', html)
    html = client.get("/cases/kitchen/translate/it").content.decode()
    assert 'name="editorial"' in html and "checked" not in html.split('name="editorial"')[1][:40]


def test_an_ordinary_account_posting_editorial_gets_a_form_error_and_nothing_is_stored(
    client, kitchen, writer
):
    response = client.post("/cases/kitchen/translate/it", {**ITALIAN_FORM, "editorial": "on"})
    assert response.status_code == 403
    html = response.content.decode()
    field = re.search(r'<div class="field invalid" id="field-editorial">.*?</div>', html, re.S)
    assert field, "the editorial field is not marked"
    assert "Only moderators and admins may mark a translation as editorial" in field.group(0)
    assert not CaseTranslation.objects.filter(language="it").exists()
    assert Revision.objects.filter(case=kitchen).count() == 2


def test_a_moderator_saves_an_editorial_translation_from_the_form(client, kitchen):
    client.force_login(UserFactory(username="mod", role="moderator"))
    response = client.post("/cases/kitchen/translate/it", {**ITALIAN_FORM, "editorial": "on"})
    assert response.status_code == 302
    assert CaseTranslation.objects.get(language="it").editorial is True
    response = client.post("/cases/kitchen/translate/fr", {**ITALIAN_FORM, "base_revision": 3})
    assert response.status_code == 302
    assert CaseTranslation.objects.get(language="fr").editorial is False
