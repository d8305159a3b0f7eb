"""GET /api/ladder and POST /api/classify in the language asked for: ``?lang=``, else
``Accept-Language``, else English. Texts change; keys, numbers and values never do."""

from __future__ import annotations

import json

import orjson
import pytest

from peerladder.ladder import BASELINE_2007, model_as_dict
from tests.api.test_ladder_api import assert_matches_openapi

pytestmark = pytest.mark.django_db

DESIGNS = {"directed_by": "firm", "participant_role": "designs"}


@pytest.fixture
def openapi(client) -> dict:
    return client.get("/api/openapi.json").json()


def structure(model: dict) -> dict:
    """What must not change with the language."""
    return {
        "rungs": [(r["number"], r["key"], r["view"]) for r in model["rungs"]],
        "economies": [(e["key"], e["typical_rungs"]) for e in model["economies"]],
        "questions": [
            (q["field"], [c["value"] for c in q["values"]], q["asked_if"], q["required"])
            for q in model["questions"]
        ],
        "baseline": {
            n: (b["rung"], b["status"], b["quote"]) for n, b in model["baseline_2007"].items()
        },
        "views": [(v["key"], v["rungs"]) for v in model["views"]],
        "viability": model["viability"],
    }


def test_english_is_byte_for_byte_the_ladders_own_model(client):
    response = client.get("/api/ladder")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert orjson.loads(response.content) == model_as_dict()
    assert "quote_translation" not in response.content.decode()


def test_lang_gives_the_texts_in_that_language(client, spanish, openapi):
    response = client.get("/api/ladder?lang=es")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    body = response.json()
    assert body["rungs"][4]["name"] == "Cocreación"
    assert body["economies"][1]["name"] == "Economía del procomún"
    assert body["questions"][0]["prompt"] == "¿Quién decide qué se hace?"
    assert structure(body) == structure(model_as_dict())
    assert_matches_openapi(openapi, "/api/ladder", "get", response)


def test_the_essays_words_stay_english_with_the_translation_beside_them(client, spanish):
    baseline = client.get("/api/ladder?lang=es").json()["baseline_2007"]["6"]
    assert baseline["quote"] == BASELINE_2007[6].quote
    assert baseline["quote_translation"].startswith("En Internet prosperan")


def test_accept_language_chooses_when_lang_is_absent(client, spanish):
    response = client.get("/api/ladder", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert response["Content-Language"] == "es"
    assert response.json()["rungs"][4]["name"] == "Cocreación"


def test_a_language_we_do_not_have_in_the_header_gives_english(client, spanish):
    response = client.get("/api/ladder", HTTP_ACCEPT_LANGUAGE="ja,zh;q=0.8")
    assert response["Content-Language"] == "en"
    assert response.json() == model_as_dict()


def test_lang_wins_over_the_header(client, spanish):
    response = client.get("/api/ladder?lang=en", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "en"
    assert response.json()["rungs"][4]["name"] == "Co-creation"


def test_lang_is_read_in_any_usual_spelling(client):
    assert client.get("/api/ladder?lang=pt_BR")["Content-Language"] == "pt-br"
    assert client.get("/api/ladder?lang=ES")["Content-Language"] == "es"


@pytest.mark.parametrize("lang", ["xx", "english", "", "es-ES-x"])
def test_an_unknown_lang_is_a_422_naming_the_parameter_and_the_languages(client, openapi, lang):
    response = client.get("/api/ladder", {"lang": lang})
    assert response.status_code == 422
    [error] = response.json()["error"]
    assert error["field"] == "lang" and error["received"] == lang
    assert error["allowed"] == ["en", "es", "fr", "pt-br", "de", "it"]
    assert "lang" in error["message"]
    assert_matches_openapi(openapi, "/api/ladder", "get", response)


def test_classify_explains_in_the_language_asked_for(client, spanish, openapi):
    response = client.post(
        "/api/classify?lang=es", json.dumps(DESIGNS), content_type="application/json"
    )
    assert response.status_code == 200 and response["Content-Language"] == "es"
    body = response.json()
    english = client.post("/api/classify", json.dumps(DESIGNS), content_type="application/json")
    assert {k: body[k] for k in ("rung", "key", "view", "economy", "viability")} == {
        k: english.json()[k] for k in ("rung", "key", "view", "economy", "viability")
    }
    assert body["name"] == "Cocreación"
    assert body["explanation"][1].endswith("peldaño 5, Cocreación.")
    assert_matches_openapi(openapi, "/api/classify", "post", response)


def test_classify_refuses_an_unknown_lang_before_reading_the_body(client):
    response = client.post("/api/classify?lang=xx", b"not json", content_type="application/json")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["error"]] == ["lang"]


def test_openapi_documents_lang_and_accept_language(openapi):
    for path, method in (("/api/ladder", "get"), ("/api/classify", "post")):
        parameters = {p["name"]: p for p in openapi["paths"][path][method]["parameters"]}
        assert parameters["lang"]["in"] == "query"
        assert "pt-br" in parameters["lang"]["description"]
        assert parameters["Accept-Language"]["in"] == "header"
