"""GET /api/ladder and POST /api/classify, checked against their OpenAPI description."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from peerladder.ladder import QUESTIONS
from tests.ladder.factories import WORKED_EXAMPLES

pytestmark = pytest.mark.django_db


def post_classify(client, body: object | bytes):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/api/classify", raw, content_type="application/json")


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def assert_matches_openapi(openapi: dict, path: str, method: str, response) -> None:
    """The response's status is declared for the operation and its body fits the schema."""
    declared = openapi["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in declared, f"{method.upper()} {path} does not declare {status}"
    schema = declared[status]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": openapi["components"]})
    errors = [error.message for error in validator.iter_errors(response.json())]
    assert not errors, errors


def test_model_lists_the_eleven_rungs_in_their_two_views(client):
    body = client.get("/api/ladder").json()
    assert [r["number"] for r in body["rungs"]] == list(range(1, 12))
    assert {r["view"] for r in body["rungs"][:5]} == {"firm"}
    assert {r["view"] for r in body["rungs"][5:]} == {"community"}
    assert all(r["name"] and r["definition"] for r in body["rungs"])


def test_model_lists_the_three_economies(client):
    body = client.get("/api/ladder").json()
    assert [e["key"] for e in body["economies"]] == ["sharing", "commons", "crowdsourcing"]
    assert {e["key"]: e["typical_rungs"] for e in body["economies"]} == {
        "sharing": [9],
        "commons": [6, 7, 8],
        "crowdsourcing": [4, 5],
    }


def test_model_lists_every_question_with_its_values(client):
    body = client.get("/api/ladder").json()
    served = {q["field"]: [c["value"] for c in q["values"]] for q in body["questions"]}
    assert served == {q.field: list(q.allowed) for q in QUESTIONS}
    required = {q["field"] for q in body["questions"] if q["required"]}
    assert required == {"directed_by", "participant_role", "value", "producers", "monetization"}


def test_model_response_matches_the_openapi_document(client, openapi):
    assert_matches_openapi(openapi, "/api/ladder", "get", client.get("/api/ladder"))


@pytest.mark.parametrize(
    ("answers", "rung", "economy"),
    [(answers, rung, economy) for _, answers, rung, economy in WORKED_EXAMPLES],
    ids=[name for name, *_ in WORKED_EXAMPLES],
)
def test_worked_examples_are_placed_on_their_rung_and_economy(
    client, openapi, answers, rung, economy
):
    response = post_classify(client, answers)
    assert response.status_code == 200
    body = response.json()
    assert (body["rung"], body["economy"]) == (rung, economy)
    assert body["explanation"] and body["warnings"] == []
    assert_matches_openapi(openapi, "/api/classify", "post", response)


def test_result_carries_every_field_of_the_public_shape(client):
    body = post_classify(
        client,
        {
            "directed_by": "peers",
            "value": "use",
            "producers": "group",
            "monetization": "commons_ecology",
            "output_license": "commons",
            "capital_cost": "low",
            "coordination_cost": "low",
        },
    ).json()
    assert body["key"] == "commons-business-ecology"
    assert body["view"] == "community"
    assert body["name"] == "Commons with a business ecology"
    assert body["viability"] == "viable"


def test_unasked_answer_is_ignored_with_a_warning(client):
    response = post_classify(
        client, {"directed_by": "firm", "participant_role": "designs", "monetization": "none"}
    )
    assert response.status_code == 200
    assert response.json()["rung"] == 5
    assert any("monetization" in warning for warning in response.json()["warnings"])


def test_invalid_answers_name_every_field_at_once(client, openapi):
    response = post_classify(
        client,
        {"directed_by": "peers", "value": 3, "monetisation": "none", "capital_cost": None},
    )
    assert response.status_code == 422
    errors = response.json()["error"]
    by_field = {error["field"]: error for error in errors}
    assert {"value", "monetisation", "capital_cost", "producers"} <= set(by_field)
    assert by_field["value"]["received"] == 3
    assert by_field["value"]["allowed"] == ["use", "exchange"]
    assert by_field["producers"]["received"] is None
    assert all(error["message"] for error in errors)
    assert_matches_openapi(openapi, "/api/classify", "post", response)


def test_missing_required_answer_is_reported(client):
    response = post_classify(client, {"directed_by": "firm"})
    assert response.status_code == 422
    [error] = response.json()["error"]
    assert error["field"] == "participant_role"
    assert "designs" in error["allowed"]


@pytest.mark.parametrize(
    "body",
    [b"{", b"", b"not json", b"\xff\xfe", b"[]", b'["directed_by"]', b"3", b"null", b'"firm"'],
    ids=["truncated", "empty", "text", "not-utf8", "array", "list", "number", "null", "string"],
)
def test_a_body_that_is_not_a_json_object_gives_422(client, openapi, body):
    response = post_classify(client, body)
    assert response.status_code == 422
    [error] = response.json()["error"]
    assert error["field"] is None
    assert error["message"]
    assert_matches_openapi(openapi, "/api/classify", "post", response)


def test_form_encoded_body_gives_422_not_500(client):
    response = client.post("/api/classify", {"directed_by": "firm"})
    assert response.status_code == 422


def test_openapi_document_declares_both_endpoints(openapi):
    # 422: a `lang` that is not one of the site's languages.
    assert set(openapi["paths"]["/api/ladder"]["get"]["responses"]) == {"200", "414", "422"}
    classify = openapi["paths"]["/api/classify"]["post"]
    assert set(classify["responses"]) == {"200", "414", "422"}
    body_schema = classify["requestBody"]["content"]["application/json"]["schema"]
    assert body_schema["type"] == "object"
    assert body_schema["properties"]["monetization"]["enum"] == [
        "none",
        "equitable",
        "commons_ecology",
        "attention",
    ]
