"""GET /api/cases in the reader's language: ?lang= or Accept-Language, read the way the
detail reads it, name and summary falling back to English, keys unchanged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue import services
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db


def _translated(slug: str, *, summary: str, name: str = "") -> None:
    editor = UserFactory(username=f"ed-{slug}")
    case = make_case(slug=slug, name=slug.title(), summary=f"{slug} in English.", author=editor)
    services.translation_set(
        case=case,
        author=editor,
        language="es",
        texts={"name": name, "summary": summary},
        base_revision=1,
    )


@pytest.fixture
def cases():
    _translated("kitchen", name="Cocina", summary="Una cocina.")
    _translated("garden", summary="Un huerto.")  # the name stays English
    make_case(slug="plain", name="Plain", summary="Only English.", sector="food")


def _by_slug(body):
    return {row["slug"]: row for row in body["results"]}


def test_lang_gives_each_name_and_summary_in_that_language_where_translated(client, cases):
    response = client.get("/api/cases", {"lang": "es"})
    assert response.status_code == 200
    rows = _by_slug(response.json())
    assert (rows["kitchen"]["name"], rows["kitchen"]["summary"]) == ("Cocina", "Una cocina.")
    assert rows["kitchen"]["language"] == "es" and rows["kitchen"]["untranslated"] == []
    assert (rows["garden"]["name"], rows["garden"]["summary"]) == ("Garden", "Un huerto.")
    assert rows["garden"]["untranslated"] == ["name"]
    assert rows["plain"]["language"] == "en"
    assert rows["plain"]["untranslated"] == ["name", "summary"]
    # Keys are keys in every language.
    assert rows["plain"]["sector"] == "food"
    assert "Accept-Language" in response["Vary"]


def test_accept_language_chooses_when_lang_is_absent(client, cases):
    rows = _by_slug(client.get("/api/cases", HTTP_ACCEPT_LANGUAGE="es-MX,en;q=0.5").json())
    assert rows["kitchen"]["name"] == "Cocina"
    rows = _by_slug(client.get("/api/cases", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="es").json())
    assert rows["kitchen"]["name"] == "Kitchen" and rows["kitchen"]["language"] == "en"


def test_without_a_language_the_list_is_the_english_original(client, cases):
    rows = _by_slug(client.get("/api/cases").json())
    assert rows["kitchen"]["name"] == "Kitchen"
    assert rows["kitchen"]["summary"] == "kitchen in English."
    assert (rows["kitchen"]["language"], rows["kitchen"]["untranslated"]) == ("en", [])


def test_a_search_lists_in_the_language_asked_for(client, cases):
    rows = _by_slug(client.get("/api/cases", {"q": "kitchen", "lang": "es"}).json())
    assert rows["kitchen"]["name"] == "Cocina"


def test_an_unknown_lang_is_refused_as_the_detail_refuses_it(client, cases):
    listed = client.get("/api/cases", {"lang": "xx"})
    detail = client.get("/api/cases/kitchen", {"lang": "xx"})
    assert listed.status_code == detail.status_code == 422
    assert listed.json() == detail.json()
    assert listed.json()["error"][0]["field"] == "lang"


def test_the_list_reads_translations_in_one_query_whatever_the_rows(client):
    def queries() -> int:
        client.get("/api/cases", {"lang": "es"})  # the facets are cached per version
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/cases", {"lang": "es"}).status_code == 200
        return len(captured)

    _translated("one", summary="Uno.")
    few = queries()
    for number in range(2, 8):
        _translated(f"n{number}", summary=f"Número {number}.")
    assert queries() == few
