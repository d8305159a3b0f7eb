"""GET /api/ladder and POST /api/classify."""

from __future__ import annotations

from typing import Any, Literal

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from ninja import Field, Header, Query, Router, Schema

from peerladder.api.language import LANG_DESCRIPTION, mark_language, response_language
from peerladder.errors import refusal
from peerladder.ladder import (
    QUESTIONS,
    FieldError,
    InvalidAnswers,
    Question,
    classify,
)
from peerladder.lexicon import classification_shown, lookup_in, model_shown

router = Router(tags=["ladder"])


class RungOut(Schema):
    number: int
    key: str
    view: Literal["firm", "community"]
    name: str
    definition: str
    examples: list[str]


class EconomyOut(Schema):
    key: str
    name: str
    definition: str
    typical_rungs: list[int]
    example: str
    condition: str = Field(description="When a case on a typical rung belongs to the economy")


class ChoiceOut(Schema):
    value: str
    label: str
    help: str
    examples: list[str]


class QuestionOut(Schema):
    field: str
    prompt: str
    help: str
    values: list[ChoiceOut]
    asked_when: str
    asked_if: dict[str, str]
    required: bool


class BaselineOut(Schema):
    rung: int
    status: str
    label: str
    quote: str = Field(description="The essay's own words, in English in every language")
    source: str
    quote_translation: str | None = Field(
        None,
        description="The quote translated into the language asked for (absent in English): "
        "a translation, not the essay's words",
    )


class ViewOut(Schema):
    key: Literal["firm", "community"]
    name: str
    rungs: list[int]


class LadderOut(Schema):
    rungs: list[RungOut]
    economies: list[EconomyOut]
    questions: list[QuestionOut]
    baseline_2007: dict[str, BaselineOut]
    views: list[ViewOut]
    viability: list[str]


class ClassificationOut(Schema):
    rung: int
    key: str
    view: Literal["firm", "community"]
    name: str
    economy: Literal["sharing", "commons", "crowdsourcing"] | None
    viability: Literal["viable", "marginal", "not_yet"] | None
    explanation: list[str]
    warnings: list[str]


class FieldErrorOut(Schema):
    field: str | None
    received: Any = None
    allowed: list[str] | None
    message: str


class ClassifyErrorOut(Schema):
    error: list[FieldErrorOut]


def _when_asked(question: Question) -> str:
    if question.optional:
        return "Optional."
    if question.required_when == "always":
        return "Always required."
    return f"Required when {question.required_when}."


# The body is read by the handler itself, so that a wrong type is reported by the
# ladder's own validation (field, received, allowed) rather than by pydantic; the
# request body is therefore described here by hand, from the questions themselves.
_ANSWERS_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "title": "Answers",
                "type": "object",
                "description": "One answers object. Unknown fields, values outside a "
                "field's list and missing required answers give 422.",
                "properties": {
                    q.field: {
                        "type": "string",
                        "enum": list(q.allowed),
                        "description": f"{q.prompt} {_when_asked(q)}",
                    }
                    for q in QUESTIONS
                },
                "required": ["directed_by"],
                # The branches of the decision procedure: what each one requires.
                "oneOf": [
                    {
                        "properties": {"directed_by": {"const": "firm"}},
                        "required": ["participant_role"],
                    },
                    {
                        "properties": {
                            "directed_by": {"const": "peers"},
                            "value": {"const": "use"},
                        },
                        "required": ["value", "producers", "monetization"],
                    },
                    {
                        "properties": {
                            "directed_by": {"const": "peers"},
                            "value": {"const": "exchange"},
                        },
                        "required": ["value", "producers"],
                    },
                ],
                "additionalProperties": False,
                "examples": [
                    {
                        "directed_by": "peers",
                        "value": "use",
                        "producers": "group",
                        "monetization": "commons_ecology",
                        "output_license": "commons",
                    }
                ],
            }
        }
    },
}


class LanguageQuery(Schema):
    lang: str | None = Field(None, description=LANG_DESCRIPTION, examples=["es"])


_ACCEPT_LANGUAGE = Header(
    None,
    alias="Accept-Language",
    description="The languages the client prefers; used when `lang` is not given.",
)


@router.get(
    "/ladder",
    response={200: LadderOut, 422: ClassifyErrorOut},
    summary="The ladder model as data",
    exclude_none=True,
)
def ladder_model(
    request: HttpRequest,
    response: HttpResponse,
    query: Query[LanguageQuery],
    accept_language: str | None = _ACCEPT_LANGUAGE,
) -> dict[str, object]:
    """The eleven rungs, the three economies, the questions with their allowed values,
    the 2007 baseline and the viability levels, with their texts in the language asked
    for (`lang`, else `Accept-Language`, else English). 422 names an unknown `lang`."""
    language = response_language(query.lang, accept_language)
    mark_language(response, language)
    with translation.override(language):
        return model_shown()


@router.post(
    "/classify",
    response={200: ClassificationOut, 422: ClassifyErrorOut},
    summary="Place an answers object on the ladder",
    openapi_extra={"requestBody": _ANSWERS_BODY},
)
def classify_answers(
    request: HttpRequest,
    response: HttpResponse,
    query: Query[LanguageQuery],
    accept_language: str | None = _ACCEPT_LANGUAGE,
) -> dict[str, object] | JsonResponse:
    """The rung, economy and viability the answers lead to, with the steps taken; the
    rung's name, the steps and the warnings in the language asked for (`lang`, else
    `Accept-Language`, else English).

    422 lists every problem at once, each naming the field, the value received and
    the values allowed (the same list as `peerladder classify`)."""
    language = response_language(query.lang, accept_language)
    mark_language(response, language)
    try:
        answers = orjson.loads(request.body)
    except orjson.JSONDecodeError as exc:
        return _unprocessable([_not_json(request.body, exc).as_dict(lookup_in(language))])
    except RequestDataTooBig:
        return _unprocessable([_too_big().as_dict(lookup_in(language))])
    try:
        result = classify(answers)
    except InvalidAnswers as invalid:
        return _unprocessable(invalid.as_list(lookup_in(language)))
    with translation.override(language):
        return classification_shown(result).as_dict()


def _unprocessable(errors: list[dict[str, object]]) -> JsonResponse:
    return JsonResponse({"error": errors}, status=422)


def _not_json(body: bytes, exc: orjson.JSONDecodeError) -> FieldError:
    received = body.strip().decode("utf-8", errors="replace")
    if len(received) > 200:
        received = received[:197] + "..."
    if body.strip():
        text = refusal("request.answers-not-json", reason=exc.msg)
    else:
        text = refusal("request.answers-empty")
    return FieldError.keyed(None, received, None, text)


def _too_big() -> FieldError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return FieldError.keyed(None, None, None, refusal("request.too-big", limit=limit))
