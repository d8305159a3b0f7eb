"""Pages about the ladder model itself: /ladder, /ladder/<rung> and /ladder/classify.

Every count here says how contested cases enter it: a case whose placements split
between rungs is listed on the page of each rung it is split between, under
"Contested here", and counted once in every total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerladder.catalogue import selectors as catalogue_selectors
from peerladder.catalogue.models import Case
from peerladder.catalogue.selectors import CaseFilters
from peerladder.insights import selectors as insights_selectors
from peerladder.insights.viability import HARRIS, viability_label, viability_sentence
from peerladder.ladder import (
    ECONOMIES,
    ESSAY_CITATION,
    ESSAY_URL,
    QUESTIONS,
    RUNGS,
    Baseline,
    Classification,
    InvalidAnswers,
    Question,
    Rung,
    UnknownRung,
    asked_questions,
    classify,
    economy,
    rung,
)
from peerladder.lexicon import (
    BASELINE_TRANSLATION_LABEL,
    baseline_shown,
    classification_shown,
    economy_shown,
    lookup,
    question_shown,
    rung_shown,
    translate,
)
from peerladder.search.suggest import suggest_rungs
from peerladder.web.catalogue_cache import cached_by_catalogue, shared_page
from peerladder.web.translation_pages import listed

RUNG_PAGE_SIZE = 25
# When a rung's typical economy applies (model spec section 5, step 4).
TYPICAL_WHEN = {
    "sharing": gettext_lazy("always"),
    "commons": gettext_lazy("when the output carries a commons licence"),
    "crowdsourcing": gettext_lazy(
        "when contributors are unpaid or paid only if their work is chosen"
    ),
}

_FIELDS = tuple(q.field for q in QUESTIONS)
_SHOWN_VALUE_LIMIT = 60


@dataclass(frozen=True)
class TypicalEconomy:
    """An economy typical of a rung, and when it applies."""

    key: str
    name: str
    when: str


@dataclass(frozen=True)
class RungRow:
    """A rung as the ladder page shows it: ``agreed`` cases standing on it and
    ``contested`` ones split with it (each also counted at its other rungs)."""

    rung: Rung
    economies: tuple[TypicalEconomy, ...]
    baseline: Baseline | None
    agreed: int | None
    contested: int | None


def typical_economies(number: int) -> tuple[TypicalEconomy, ...]:
    """The economies typical of rung ``number``, each with the condition that gives it."""
    return tuple(
        TypicalEconomy(e.key, translate(e.name_message), str(TYPICAL_WHEN[e.key]))
        for e in ECONOMIES
        if number in e.typical_rungs
    )


def _rung_rows(view: str, counts: Mapping[int, Mapping[str, int]] | None) -> list[RungRow]:
    rows = []
    for r in RUNGS:
        if r.view != view:
            continue
        row = counts.get(r.number, {}) if counts is not None else None
        rows.append(
            RungRow(
                rung=rung_shown(r),
                economies=typical_economies(r.number),
                baseline=baseline_shown(r.number),
                agreed=None if row is None else row.get("agreed", 0),
                contested=None if row is None else row.get("contested", 0),
            )
        )
    return rows


def ladder_context(counts: Mapping[int, Mapping[str, int]] | None = None) -> dict[str, object]:
    """What /ladder shows; ``counts`` (rung number to its ``agreed`` and ``contested``
    cases), when given, adds the catalogue's cases to every rung."""
    return {
        "firm_rungs": _rung_rows("firm", counts),
        "community_rungs": _rung_rows("community", counts),
        "economies": [economy_shown(e) for e in ECONOMIES],
        "typical_when": {key: str(when) for key, when in TYPICAL_WHEN.items()},
        "baseline_translation_label": translate(BASELINE_TRANSLATION_LABEL),
        "show_counts": counts is not None,
        "essay_citation": ESSAY_CITATION,
        "essay_url": ESSAY_URL,
        "harris": HARRIS,
    }


def _rung_counts() -> dict[int, dict[str, int]]:
    return cached_by_catalogue(
        "ladder-counts",
        lambda: {row["rung"]: row for row in insights_selectors.rung_counts()},
    )


@shared_page("ladder")
def ladder(request: HttpRequest) -> HttpResponse:
    return render(request, "web/ladder/ladder.html", ladder_context(_rung_counts()))


@shared_page("rung")
def rung_page(request: HttpRequest, number: int) -> HttpResponse:
    """One rung: its definition, the cases agreed on it (paged), the contested cases
    split with it, the 2007 assessment, downloads, and the rungs beside it."""
    try:
        shown = rung(number)
    except UnknownRung:
        raise Http404(_("The ladder has rungs 1 to 11.")) from None
    agreed = Paginator(
        catalogue_selectors.case_list(
            filters=CaseFilters(rung=number, contested=False), sort="name"
        ),
        RUNG_PAGE_SIZE,
    )
    page = agreed.get_page(request.GET.get("page"))
    contested = cached_by_catalogue(f"contested-at|{number}", lambda: _contested_here(number))
    standing_here = sum(1 for split in contested if split["leading"] == number)
    return render(
        request,
        "web/ladder/rung_page.html",
        {
            "rung": rung_shown(shown),
            "page": page,
            "agreed": listed(list(page.object_list)),
            "contested": contested,
            "standing_here": standing_here,
            "previous": rung_shown(rung(number - 1)) if number > 1 else None,
            "next": rung_shown(rung(number + 1)) if number < 11 else None,
            "economies": typical_economies(number),
            "baseline": baseline_shown(number),
            "baseline_translation_label": translate(BASELINE_TRANSLATION_LABEL),
            "essay_citation": ESSAY_CITATION,
            "essay_url": ESSAY_URL,
            "downloads": [
                ("CSV", "csv"),
                ("JSON", "json"),
                ("JSON Lines", "jsonl"),
                ("BibTeX", "bibtex"),
            ],
        },
    )


def _contested_here(number: int) -> list[dict[str, Any]]:
    """The contested cases split with rung ``number``, with their summaries."""
    splits = insights_selectors.contested_at(number)
    cases = {
        row["case"].pk: row["text"]
        for row in listed(list(Case.objects.filter(id__in=[s["case_id"] for s in splits])))
    }
    empty = {"name": "", "summary": "", "lang": {"name": "", "summary": ""}}
    return [
        {
            **split,
            "text": cases.get(split["case_id"], {**empty, "name": split["name"]}),
            "here": split["counts"][number],
            "placements": sum(split["counts"].values()),
            "elsewhere": [r for r in split["rungs"] if r != number],
        }
        for split in splits
    ]


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
                AnswerError(
                    q.field,
                    _("“%(question)s” was answered more than once; pick one answer.")
                    % {"question": q.prompt},
                )
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
                _(
                    "“%(value)s” is not an answer to “%(question)s” (%(field)s). "
                    "Choose one of: %(choices)s."
                )
                % {"value": shown, "question": q.prompt, "field": q.field, "choices": choices},
            )
        )
    return answers, errors


def carried_answers(query: QueryDict) -> dict[str, str]:
    """The questionnaire's answers in a query string as the initial values of the edit
    forms' answer fields (``answer_<field>``): only usable answers to questions asked
    on their branch; anything else is left for the person to fill in."""
    answers, _ = _read_answers(query)
    asked = {q.field for q in asked_questions(answers)}
    return {f"answer_{field}": value for field, value in answers.items() if field in asked}


def _answers_query(answers: Mapping[str, str]) -> str:
    return urlencode([(field, answers[field]) for field in _FIELDS if field in answers])


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
            errors = [AnswerError(e.field or "", e.shown(lookup())) for e in invalid.errors]
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
            {**s, "rung": rung_shown(rung(s["rung"])), "percent": round(100 * s["probability"])}
            for s in suggestions[:3]
        ]
    # Optional questions come once the branch is settled, to refine the result.
    shown = required + ([q for q in asked if q.optional] if complete else [])
    # A case to place, when the questionnaire was opened from its page.
    slug = request.GET.get("case", "").strip()[:80]
    placing = (
        Case.objects.filter(slug=slug, archived=False).values("slug", "name").first()
        if slug
        else None
    )
    context = {
        "questions": [
            ShownQuestion(question_shown(q), answers.get(q.field), error_by_field.get(q.field))
            for q in shown
        ],
        "errors": errors,
        "dropped": [question_shown(q).prompt for q in QUESTIONS if q.field in dropped],
        "result": classification_shown(result) if result else None,
        "economy": economy_shown(economy(result.economy)) if result and result.economy else None,
        "share_path": _share_path(answers) if result else None,
        "share_url": request.build_absolute_uri(_share_path(answers)) if result else None,
        "answered_any": bool(answers),
        "description": description,
        "hints": hints,
        "complete": complete,
        "placing": placing,
        "carry_query": _answers_query(answers) if result else "",
        "viability_text": viability_sentence(result.rung, result.viability) if result else None,
        "viability_label": viability_label(result.rung, result.viability) if result else None,
    }
    return render(request, "web/ladder/classify.html", context, status=400 if errors else 200)


urlpatterns: list[URLPattern] = [
    path("ladder", ladder, name="ladder"),
    path("ladder/classify", classify_page, name="ladder-classify"),
    path("ladder/<int:number>", rung_page, name="rung-cases"),
]
