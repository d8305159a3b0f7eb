"""Search extras: GET /api/cases/{slug}/similar and POST /api/suggest."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from peerladder.api.language import error_lookup, no_case
from peerladder.api.schemas import CaseSummaryOut, ErrorOut, MessageOut
from peerladder.catalogue.presenters import case_summary
from peerladder.ladder import InvalidAnswers, question
from peerladder.search.similar import similar_cases_of
from peerladder.search.suggest import suggest_rungs

router = Router(tags=["search"])


class SimilarCaseOut(CaseSummaryOut):
    score: float = Field(description="Cosine similarity, 0 to 1")


class SimilarOut(Schema):
    results: list[SimilarCaseOut]
    built: bool = Field(description="False until `peerladder index rebuild` has run")
    built_at: str | None = None


class SimilarQuery(Schema):
    limit: int = Field(6, ge=1, le=20, description="How many cases")


def _choices(field: str) -> Any:
    return Literal[tuple(question(field).allowed)]


DirectedByChoice = _choices("directed_by")
ParticipantRoleChoice = _choices("participant_role")
ValueChoice = _choices("value")
ProducersChoice = _choices("producers")
MonetizationChoice = _choices("monetization")
OutputLicenseChoice = _choices("output_license")
ContributorPayChoice = _choices("contributor_pay")
CapitalCostChoice = _choices("capital_cost")
CoordinationCostChoice = _choices("coordination_cost")


class PartialAnswersIn(Schema):
    """Any of the ladder's questions, answered or not; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    directed_by: DirectedByChoice | None = None  # type: ignore[valid-type]
    participant_role: ParticipantRoleChoice | None = None  # type: ignore[valid-type]
    value: ValueChoice | None = None  # type: ignore[valid-type]
    producers: ProducersChoice | None = None  # type: ignore[valid-type]
    monetization: MonetizationChoice | None = None  # type: ignore[valid-type]
    output_license: OutputLicenseChoice | None = None  # type: ignore[valid-type]
    contributor_pay: ContributorPayChoice | None = None  # type: ignore[valid-type]
    capital_cost: CapitalCostChoice | None = None  # type: ignore[valid-type]
    coordination_cost: CoordinationCostChoice | None = None  # type: ignore[valid-type]


class SuggestIn(Schema):
    description: str = Field("", max_length=20_000, description="What the case does")
    answers: PartialAnswersIn = Field(
        default_factory=PartialAnswersIn, description="Answers already given; may be partial"
    )


class SuggestionOut(Schema):
    rung: int
    probability: float


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]
    basis: str = Field(description="answers, model, or answers only")


@router.get("/cases/{slug}/similar", response={200: SimilarOut, 404: MessageOut})
def similar(request: HttpRequest, slug: str, params: Query[SimilarQuery]) -> Any:
    """The cases most like this one, by their text and their standing on the ladder."""
    found = similar_cases_of(slug, limit=params.limit)
    if found is None:
        return no_case(request, slug)
    return {
        "results": [{**case_summary(other), "score": score} for other, score in found.results],
        "built": found.built,
        "built_at": found.built_at,
    }


@router.post("/suggest", response={200: SuggestOut, 422: ErrorOut})
def suggest(request: HttpRequest, body: SuggestIn) -> Any:
    """Likely rungs for a description and any answers so far: a hint, never a placement."""
    try:
        suggestions, basis = suggest_rungs(
            description=body.description, answers=body.answers.dict(exclude_none=True)
        )
    except InvalidAnswers as exc:
        return Status(422, {"error": exc.as_list(error_lookup(request))})
    return {"suggestions": suggestions, "basis": basis}
