"""Pages about the ladder model itself: /ladder, /ladder/classify."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from peerladder.catalogue.selectors import CaseFilters, case_facets
from peerladder.ladder import (
    BASELINE_2007,
    ECONOMIES,
    QUESTIONS,
    RUNGS,
    Classification,
    InvalidAnswers,
    Question,
    Rung,
    asked_questions,
    classify,
    economy,
    rung,
)
from peerladder.search.suggest import suggest_rungs

_FIELDS = tuple(q.field for q in QUESTIONS)
_SHOWN_VALUE_LIMIT = 60


@dataclass(frozen=True)
class RungRow:
    """A rung as the ladder page shows it."""

    rung: Rung
    economies: tuple[str, ...]
    baseline: str | None
    case_count: int | None


def _rung_rows(view: str, counts: Mapping[int, int] | None) -> list[RungRow]:
    rows = []
    for r in RUNGS:
        if r.view != view:
            continue
        baseline = BASELINE_2007.get(r.number)
        rows.append(
            RungRow(
                rung=r,
                economies=tuple(e.name for e in ECONOMIES if r.number in e.typical_rungs),
                baseline=baseline.label if baseline else None,
                case_count=None if counts is None else counts.get(r.number, 0),
            )
        )
    return rows


def ladder_context(counts: Mapping[int, int] | None = None) -> dict[str, object]:
    """What /ladder shows; ``counts`` (rung number to number of catalogue cases), when
    given, adds a case count to every rung."""
    return {
        "firm_rungs": _rung_rows("firm", counts),
        "community_rungs": _rung_rows("community", counts),
        "economies": ECONOMIES,
        "show_counts": counts is not None,
    }


def ladder(request: HttpRequest) -> HttpResponse:
    counts = {row["value"]: row["count"] for row in case_facets(filters=CaseFilters())["rung"]}
    return render(request, "web/ladder/ladder.html", ladder_context(counts))


@dataclass(frozen=True)
class AnswerError:
    """A query value the questionnaire cannot use, explained for a person."""

    field: str
    message: str


@dataclass(frozen=True)
class ShownQuestion:
    """One fieldset of the questionnaire, with the answer already given, if any."""

    question: Question
    selected: str | None
    error: str | None


def _read_answers(query: QueryDict) -> tuple[dict[str, str], list[AnswerError]]:
    """The usable answers in the query string, and a message for each unusable one.

    An empty value means "not answered" (the optional questions offer it); names that
    are not questions are ignored, like any unknown query parameter.
    """
    answers: dict[str, str] = {}
    errors: list[AnswerError] = []
    for q in QUESTIONS:
        given = [value for value in query.getlist(q.field) if value != ""]
        if not given:
            continue
        if len(set(given)) > 1:
            errors.append(
                AnswerError(q.field, f"“{q.prompt}” was answered more than once; pick one answer.")
            )
            continue
        value = given[0]
        if value in q.allowed:
            answers[q.field] = value
            continue
        shown = value if len(value) <= _SHOWN_VALUE_LIMIT else value[:_SHOWN_VALUE_LIMIT] + "…"
        choices = "; ".join(f"{c.label} ({c.value})" for c in q.values)
        errors.append(
            AnswerError(
                q.field,
                f"“{shown}” is not an answer to “{q.prompt}” ({q.field}). "
                f"Choose one of: {choices}.",
            )
        )
    return answers, errors


def _share_path(answers: Mapping[str, str]) -> str:
    ordered = [(field, answers[field]) for field in _FIELDS if field in answers]
    return f"{reverse('web:ladder-classify')}?{urlencode(ordered)}"


def classify_page(request: HttpRequest) -> HttpResponse:
    """The guided questionnaire: a GET form that asks the questions of the branch the
    answers so far lead to, and shows the result once the required ones are answered."""
    answers, errors = _read_answers(request.GET)
    asked = asked_questions(answers)
    asked_fields = {q.field for q in asked}
    dropped = [field for field in _FIELDS if field in answers and field not in asked_fields]
    answers = {field: value for field, value in answers.items() if field in asked_fields}
    required = [q for q in asked if q.required]
    complete = all(q.field in answers for q in required)

    result: Classification | None = None
    if complete and not errors:
        try:
            result = classify(answers)
        except InvalidAnswers as invalid:  # not expected after the checks above; never a 500
            errors = [AnswerError(e.field or "", e.message) for e in invalid.errors]
    error_by_field = {e.field: e.message for e in errors}
    description = request.GET.get("description", "").strip()[:2000]
    hints: list[dict[str, Any]] = []
    if description and result is None and not errors:
        # A hint from the catalogue's trained model: shown, never stored as a placement.
        try:
            suggestions, _ = suggest_rungs(description=description, answers=answers)
        except InvalidAnswers:
            suggestions = []
        hints = [
            {**s, "rung": rung(s["rung"]), "percent": round(100 * s["probability"])}
            for s in suggestions[:3]
        ]
    # Optional questions come once the branch is settled, to refine the result.
    shown = required + ([q for q in asked if q.optional] if complete else [])
    context = {
        "questions": [
            ShownQuestion(q, answers.get(q.field), error_by_field.get(q.field)) for q in shown
        ],
        "errors": errors,
        "dropped": [q.prompt for q in QUESTIONS if q.field in dropped],
        "result": result,
        "economy": economy(result.economy) if result and result.economy else None,
        "share_path": _share_path(answers) if result else None,
        "share_url": request.build_absolute_uri(_share_path(answers)) if result else None,
        "answered_any": bool(answers),
        "description": description,
        "hints": hints,
        "complete": complete,
    }
    return render(request, "web/ladder/classify.html", context, status=400 if errors else 200)


urlpatterns: list[URLPattern] = [
    path("ladder", ladder, name="ladder"),
    path("ladder/classify", classify_page, name="ladder-classify"),
]
