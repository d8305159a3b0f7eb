"""Rung suggestions: likely rungs for a description and any answers already given.

A logistic regression over TF-IDF of name, summary and description, trained on
the catalogue's placed cases (:func:`retrain_suggester`, also run by
``peerladder index rebuild``) and saved as ``suggest.pkl`` in the data
directory. Answers narrow the candidates to the rungs the decision procedure
can still reach; complete answers give their rung with probability 1. A
suggestion is a hint: nothing here writes a placement.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline

from peerladder.catalogue.models import Case
from peerladder.ladder import QUESTIONS, InvalidAnswers, classify
from peerladder.search import artifacts

MODEL_FILE = "suggest.pkl"
FORMAT = 1
ALL_RUNGS = tuple(range(1, 12))
# Added to every candidate's probability, so rungs the model has never seen keep a chance.
SMOOTHING = 0.01
_BRANCH_QUESTIONS = [q for q in QUESTIONS if not q.optional]


def model_path() -> Path:
    return Path(settings.DATA_DIR) / MODEL_FILE


def training_text(name: str, summary: str, description: str) -> str:
    return " ".join([name, summary, description or ""])


def build_model() -> Pipeline:
    return make_pipeline(
        TfidfVectorizer(stop_words="english", sublinear_tf=True),
        LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced"),
    )


def training_set() -> tuple[list[str], list[int]]:
    """Texts and standing rungs of the live, placed cases."""
    rows = Case.objects.filter(archived=False, standing_rung__isnull=False).values_list(
        "name", "summary", "description", "standing_rung"
    )
    texts, rungs = [], []
    for name, summary, description, rung in rows.iterator(chunk_size=2000):
        texts.append(training_text(name, summary, description))
        rungs.append(int(rung))
    return texts, rungs


def retrain_suggester() -> int:
    """Train on the catalogue and save the model; returns the number of cases used.

    With fewer than two rungs represented there is nothing to learn: the saved
    model is removed and suggestions fall back to the answers alone.
    """
    texts, rungs = training_set()
    path = model_path()
    if len(set(rungs)) < 2:
        path.unlink(missing_ok=True)
        return 0
    model = build_model().fit(texts, rungs)
    artifacts.save(path, format=FORMAT, model=model, cases=len(texts))
    return len(texts)


def cross_validated_accuracy(
    texts: Sequence[str], rungs: Sequence[int], *, folds: int = 5
) -> tuple[float, float]:
    """Mean and standard deviation of accuracy over stratified folds."""
    smallest = min(np.unique(np.asarray(rungs), return_counts=True)[1])
    splitter = StratifiedKFold(
        n_splits=max(2, min(folds, int(smallest))), shuffle=True, random_state=0
    )
    scores = cross_val_score(build_model(), list(texts), list(rungs), cv=splitter)
    return float(scores.mean()), float(scores.std())


def load_model() -> Pipeline | None:
    """The saved model, loaded once per process and again when the file changes."""
    model: Pipeline | None = artifacts.load(model_path(), format=FORMAT, key="model")
    return model


def check_partial_answers(answers: Mapping[str, Any]) -> None:
    """Raise :class:`InvalidAnswers` for unknown fields and values; missing ones are fine."""
    try:
        classify(answers)
    except InvalidAnswers as exc:
        wrong = [error for error in exc.errors if error.field in answers or error.field is None]
        if wrong:
            raise InvalidAnswers(wrong) from None


def reachable_rungs(answers: Mapping[str, Any]) -> set[int]:
    """The rungs that some completion of ``answers`` (already checked) classifies as."""
    choices = [
        [answers[q.field]] if q.field in answers else list(q.allowed) for q in _BRANCH_QUESTIONS
    ]
    rungs = set()
    for values in itertools.product(*choices):
        completed = dict(zip((q.field for q in _BRANCH_QUESTIONS), values, strict=True))
        rungs.add(classify(completed).rung)
    return rungs


def _model_probabilities(model: Pipeline, description: str) -> dict[int, float]:
    probabilities = model.predict_proba([description])[0]
    return {int(rung): float(p) for rung, p in zip(model.classes_, probabilities, strict=True)}


def suggest_rungs(
    *, description: str = "", answers: Mapping[str, Any] | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Likely rungs, most likely first, probabilities summing to 1, and their basis.

    The basis is ``answers`` (complete answers fix the rung), ``model`` (the
    trained model, limited to the rungs the answers still allow) or ``answers
    only`` (no model yet, or no description: the allowed rungs, equally likely).
    Raises :class:`InvalidAnswers` for unknown fields or values.
    """
    answers = dict(answers or {})
    check_partial_answers(answers)
    try:
        fixed = classify(answers).rung
    except InvalidAnswers:
        fixed = None
    if fixed is not None:
        return [{"rung": fixed, "probability": 1.0}], "answers"
    candidates = sorted(reachable_rungs(answers))
    model = load_model() if description.strip() else None
    if model is None:
        weights = {rung: 1.0 for rung in candidates}
        basis = "answers only"
    else:
        learned = _model_probabilities(model, description)
        weights = {rung: learned.get(rung, 0.0) + SMOOTHING for rung in candidates}
        basis = "model"
    return _normalised(weights), basis


def _normalised(weights: Mapping[int, float]) -> list[dict[str, Any]]:
    total = sum(weights.values())
    ordered = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    rounded = [
        {"rung": rung, "probability": round(float(weight / total), 4)} for rung, weight in ordered
    ]
    # Rounding may leave the sum a hair off 1: give the remainder to the first.
    rounded[0]["probability"] = round(1.0 - sum(r["probability"] for r in rounded[1:]), 4)
    return rounded


def bundled_training_set(records: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[int]]:
    """Texts and current rungs of catalogue records (the JSON Lines format), for evaluation.

    The current rung is the one its open placements (no ``valid_to``) most often
    give, or failing that its latest placement's.
    """
    texts, rungs = [], []
    for record in records:
        placements = record.get("placements") or []
        current = [p for p in placements if not p.get("valid_to")] or placements[-1:]
        found = [classify(p["answers"]).rung for p in current]
        if not found:
            continue
        texts.append(
            training_text(record["name"], record["summary"], record.get("description") or "")
        )
        rungs.append(max(set(found), key=found.count))
    return texts, rungs
