"""The API's refusals in the request's language (`?lang=`, else `Accept-Language`, else
English): only `message` and `detail` change; `field`, `received` and `allowed` never."""

from __future__ import annotations

import pytest

from peerladder.accounts.services import token_create
from peerladder.catalogue.models import Case
from tests.api.test_editing_api import NEW_CASE
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db

BAD = {**NEW_CASE, "countries": ["XX"], "website": "ftp://x"}
BAD["placements"] = [{**NEW_CASE["placements"][0], "answers": {"directed_by": "peers"}}]

COUNTRY = {
    "en": "countries: 'XX' is not an ISO 3166-1 alpha-2 country code (such as US, DE, ES)",
    "es": "countries: 'XX' no es un código de país ISO 3166-1 alfa-2 (como US, DE, ES)",
    "de": "countries: 'XX' ist kein Ländercode nach ISO 3166-1 Alpha-2 (etwa US, DE, ES)",
}
MISSING_VALUE = {
    "en": "'value' is missing: it is required on this branch (directed_by = peers); "
    "allowed: use, exchange",
    "es": "falta 'value': es obligatorio en esta rama (directed_by = peers); "
    "permitidos: use, exchange",
    "de": "'value' fehlt: es ist auf diesem Zweig erforderlich (directed_by = peers); "
    "erlaubt: use, exchange",
}


@pytest.fixture
def auth():
    _, plain = token_create(user=UserFactory(username="writer"))
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def _post(client, auth, path="/api/cases", **headers):
    return client.post(path, BAD, content_type="application/json", **auth, **headers)


def _by_field(response):
    assert response.status_code == 422, response.content
    return {error["field"]: error for error in response.json()["error"]}


@pytest.mark.parametrize(
    ("path", "headers", "language"),
    [
        ("/api/cases", {}, "en"),
        ("/api/cases?lang=es", {}, "es"),
        ("/api/cases", {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}, "es"),
        ("/api/cases?lang=de", {"HTTP_ACCEPT_LANGUAGE": "es"}, "de"),
        ("/api/cases", {"HTTP_ACCEPT_LANGUAGE": "de-AT"}, "de"),
        ("/api/cases", {"HTTP_ACCEPT_LANGUAGE": "nl"}, "en"),
    ],
)
def test_a_refused_case_is_worded_in_the_requests_language(client, auth, path, headers, language):
    errors = _by_field(_post(client, auth, path, **headers))
    assert errors["countries"]["message"] == COUNTRY[language]
    assert errors["placements[0].answers.value"]["message"] == MISSING_VALUE[language]
    # The machine values are the same in every language.
    assert errors["countries"]["received"] == "XX"
    assert errors["placements[0].answers.value"]["allowed"] == ["use", "exchange"]
    assert errors["website"]["allowed"] == ["http", "https"]
    assert not Case.objects.exists()


def test_the_same_refusal_differs_only_in_its_message(client, auth):
    english = _by_field(_post(client, auth))
    german = _by_field(_post(client, auth, "/api/cases?lang=de"))
    assert english.keys() == german.keys()
    for field, error in english.items():
        assert {**error, "message": None} == {**german[field], "message": None}
        assert error["message"] != german[field]["message"]


def test_classify_422_follows_lang(client):
    response = client.post(
        "/api/classify?lang=es", {"directed_by": "nobody"}, content_type="application/json"
    )
    assert response.status_code == 422
    first = response.json()["error"][0]
    assert first["field"] == "directed_by" and first["received"] == "nobody"
    assert first["message"].startswith("\"nobody\" no es un valor permitido para 'directed_by'")


def test_an_unreadable_body_is_refused_in_the_headers_language(client, auth):
    response = client.post(
        "/api/cases",
        b"{not json",
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
        **auth,
    )
    assert response.status_code == 422
    assert response.json()["error"][0]["message"].startswith(
        "der Rumpf der Anfrage ist kein gültiges JSON ("
    )


def test_a_lang_that_is_not_ours_is_refused_in_the_headers_language(client):
    response = client.get("/api/ladder?lang=xx", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422
    (error,) = response.json()["error"]
    assert error["field"] == "lang" and error["received"] == "xx"
    assert error["message"].startswith("'xx' no es un idioma de peerladder")


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "no case has slug 'nothing'"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "ningún caso tiene el slug 'nothing'"),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, "kein Fall hat den Slug 'nothing'"),
    ],
)
def test_a_404_detail_is_in_the_requests_language(client, headers, detail):
    response = client.get("/api/cases/nothing", **headers)
    assert response.status_code == 404
    assert response.json() == {"detail": detail}


def test_a_query_parameter_refused_by_the_schema_is_worded_in_german(client):
    english = client.get("/api/cases?rung=abc")
    german = client.get("/api/cases?rung=abc", HTTP_ACCEPT_LANGUAGE="de")
    assert english.status_code == german.status_code == 422
    (en,) = english.json()["error"]
    (de,) = german.json()["error"]
    assert de["field"] == en["field"] == "rung"
    assert de["message"] == "rung ist kein gültiger Wert"
    assert en["message"] != de["message"]


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "send If-Match with the ETag of the revision you edited"),
        ({"HTTP_ACCEPT_LANGUAGE": "es"}, "envía If-Match con el ETag de la revisión que editaste"),
    ],
)
def test_a_428_detail_is_in_the_requests_language(client, auth, headers, detail):
    make_case(slug="linux", answers=LINUX_ANSWERS)
    response = client.patch(
        "/api/cases/linux",
        {"summary": "A kernel."},
        content_type="application/json",
        **auth,
        **headers,
    )
    assert response.status_code == 428
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("", "only its author or a moderator may retract a placement"),
        ("?lang=de", "nur ihr Autor oder ein Moderator darf eine Einordnung zurückziehen"),
        ("?lang=it", "solo il suo autore o un moderatore può ritirare una collocazione"),
    ],
)
def test_a_403_detail_is_in_the_requests_language(client, auth, path, detail):
    case = make_case(slug="ikea", answers=IKEA_ANSWERS)
    placement = case.placements.get()
    response = client.delete(f"/api/cases/ikea/placements/{placement.pk}{path}", **auth)
    assert response.status_code == 403
    assert response.json() == {"detail": detail}


def test_a_stale_edit_412_says_so_in_french(client, auth):
    make_case(slug="linux", answers=LINUX_ANSWERS)
    etag = client.get("/api/cases/linux")["ETag"]
    for summary in ("A kernel.", "Another."):
        response = client.patch(
            "/api/cases/linux?lang=fr",
            {"summary": summary},
            content_type="application/json",
            HTTP_IF_MATCH=etag,
            **auth,
        )
    assert response.status_code == 412
    assert response.json() == {
        "detail": "le cas a changé depuis la révision 1\u00a0; il en est maintenant à la révision 2"
    }


@pytest.mark.parametrize(
    ("headers", "detail"),
    [({}, "Unauthorized"), ({"HTTP_ACCEPT_LANGUAGE": "pt-BR"}, "Não autorizado")],
)
def test_a_401_detail_is_in_the_requests_language(client, headers, detail):
    response = client.post("/api/cases", NEW_CASE, content_type="application/json", **headers)
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
