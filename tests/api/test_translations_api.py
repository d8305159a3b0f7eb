"""Case text in other languages through the API: carried by the case JSON, chosen
with ?lang= or Accept-Language (English unless asked), written by PATCH with If-Match,
and a filter of the list."""

from __future__ import annotations

import pytest

from peerladder.accounts.services import token_create
from peerladder.catalogue import services
from peerladder.catalogue.models import Case, CaseTranslation, Revision
from tests.factories import LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

SPANISH = {"name": "Linux (núcleo)", "summary": "Un núcleo libre hecho por una comunidad."}


@pytest.fixture
def linux():
    case = make_case(slug="linux", name="Linux", summary="A free kernel.", answers=LINUX_ANSWERS)
    return services.translation_set(
        case=case, author=UserFactory(), language="es", texts=SPANISH, base_revision=1
    )


@pytest.fixture
def token():
    _, plain = token_create(user=UserFactory(username="writer"))
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def test_the_default_output_is_the_english_text_with_every_translation(client, linux):
    body = client.get("/api/cases/linux").json()
    assert (body["name"], body["summary"], body["language"]) == ("Linux", "A free kernel.", "en")
    assert body["translations"] == {
        "es": {**SPANISH, "description": "", "editorial": False},
    }


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"lang": "es"}, {}), ({}, {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"})],
)
def test_lang_or_accept_language_put_the_translation_first(client, linux, params, headers):
    response = client.get("/api/cases/linux", params, **headers)
    body = response.json()
    assert (body["name"], body["summary"], body["language"]) == (
        SPANISH["name"],
        SPANISH["summary"],
        "es",
    )
    assert response["Vary"] == "Accept-Language"
    assert body["translations"]["es"]["name"] == SPANISH["name"]


def test_a_language_without_translation_falls_back_to_english(client, linux):
    body = client.get("/api/cases/linux", {"lang": "de"}).json()
    assert (body["summary"], body["language"], body["untranslated"]) == (
        "A free kernel.",
        "en",
        ["name", "summary"],  # the case has no description to translate
    )


def test_an_unknown_lang_is_a_422_naming_it(client, linux):
    response = client.get("/api/cases/linux", {"lang": "tlh"})
    assert response.status_code == 422
    (error,) = response.json()["error"]
    assert error["field"] == "lang" and "es" in error["allowed"]


def test_patch_sets_and_removes_translations_with_if_match(client, linux, token):
    etag = client.get("/api/cases/linux")["ETag"]
    response = client.patch(
        "/api/cases/linux",
        {"translations": {"it": {"summary": "Un kernel libero."}, "es": None}},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **token,
    )
    assert response.status_code == 200, response.content
    assert list(response.json()["translations"]) == ["it"]
    assert Revision.objects.filter(case__slug="linux").latest("number").author.username == "writer"
    stale = client.patch(
        "/api/cases/linux",
        {"translations": {"fr": {"summary": "Un noyau."}}},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **token,
    )
    assert stale.status_code == 412
    assert not CaseTranslation.objects.filter(language="fr").exists()


def test_patch_refuses_a_bad_language_code_naming_it(client, linux, token):
    response = client.patch(
        "/api/cases/linux",
        {"translations": {"klingon": {"summary": "x"}}},
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **token,
    )
    assert response.status_code == 422
    assert response.json()["error"][0]["field"] == "translations.klingon"


def test_the_list_filters_and_counts_cases_by_language(client, linux):
    make_case(slug="ikea", name="IKEA")
    body = client.get("/api/cases", {"language": "es"}).json()
    assert [case["slug"] for case in body["results"]] == ["linux"]
    assert body["facets"]["language"] == [{"value": "es", "count": 1}]
    assert client.get("/api/cases", {"language": "xx"}).status_code == 422


def test_a_new_case_can_come_with_translations(client, token):
    body = {
        "name": "Open Food Network",
        "summary": "Software for local food hubs.",
        "sources": [{"url": "https://openfoodnetwork.org/", "title": "Open Food Network"}],
        "translations": {"pt-br": {"summary": "Software para centrais locais de alimentos."}},
    }
    response = client.post("/api/cases", body, content_type="application/json", **token)
    assert response.status_code == 201, response.content
    assert response.json()["translations"]["pt-br"]["summary"].startswith("Software para")
    assert Revision.objects.get(case__slug="open-food-network").snapshot["translations"]


@pytest.fixture
def editor_token():
    _, plain = token_create(user=UserFactory(username="editor", role="moderator"))
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


EDITORIAL_PATCH = {"translations": {"it": {"summary": "Un kernel libero.", "editorial": True}}}


def test_an_ordinary_token_may_not_mark_a_translation_editorial(client, linux, token):
    response = client.patch(
        "/api/cases/linux",
        EDITORIAL_PATCH,
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **token,
    )
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.startswith("translations.it.editorial: only moderators and admins")
    assert not CaseTranslation.objects.filter(language="it").exists()
    assert Revision.objects.filter(case__slug="linux").count() == 2
    in_spanish = client.patch(
        "/api/cases/linux?lang=es",
        EDITORIAL_PATCH,
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **token,
    )
    assert in_spanish.status_code == 403
    assert in_spanish.json()["detail"].startswith(
        "translations.it.editorial: solo los moderadores y los administradores"
    )


def test_a_moderator_s_token_marks_a_translation_editorial(client, linux, editor_token):
    response = client.patch(
        "/api/cases/linux",
        EDITORIAL_PATCH,
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **editor_token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["translations"]["it"]["editorial"] is True
    assert CaseTranslation.objects.get(language="it").editorial is True


def test_a_new_case_with_an_editorial_translation_needs_a_moderator(client, token, editor_token):
    body = {
        "name": "Open Food Network",
        "summary": "Software for local food hubs.",
        "sources": [{"url": "https://openfoodnetwork.org/", "title": "Open Food Network"}],
        "translations": {"es": {"summary": "Software para centros de comida.", "editorial": True}},
    }
    refused = client.post("/api/cases", body, content_type="application/json", **token)
    assert refused.status_code == 403
    assert "translations.es.editorial" in refused.json()["detail"]
    assert not Case.objects.filter(slug="open-food-network").exists()
    created = client.post("/api/cases", body, content_type="application/json", **editor_token)
    assert created.status_code == 201, created.content
    assert created.json()["translations"]["es"]["editorial"] is True
