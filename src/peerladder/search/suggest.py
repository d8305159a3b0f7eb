"""Rung suggestions: likely rungs for a description and any answers already given.

A logistic regression over TF-IDF of name, summary and description, trained on
the catalogue's placed cases (:func:`retrain_suggester`, also run by
``peerladder index rebuild``) and stored in the database as arrays (the
vocabulary, IDF, coefficients), which each server fetches once and its workers
share memory-mapped (search/store.py); answering needs numpy only. Answers
narrow the candidates to the rungs the decision procedure can still reach;
complete answers give their rung with probability 1. A suggestion is a hint:
nothing here writes a placement.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from peerladder.catalogue.models import Case
from peerladder.ladder import QUESTIONS, InvalidAnswers, classify
from peerladder.search import store
from peerladder.search.vectors import TfidfSpace, space_from_vectorizer

KIND = "suggest"
FORMAT = 2
ALL_RUNGS = tuple(range(1, 12))
# Added to every candidate's probability, so rungs the model has never seen keep a chance.
SMOOTHING = 0.01
# The largest vocabulary kept: rare words (a case's own name) teach nothing and cost memory.
MAX_TERMS = 200_000
_BRANCH_QUESTIONS = [q for q in QUESTIONS if not q.optional]


def training_text(name: str, summary: str, description: str) -> str:
    return " ".join([name, summary, description or ""])


def build_model() -> Any:
    """The untrained pipeline: TF-IDF, then a balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(stop_words="english", sublinear_tf=True, max_features=MAX_TERMS),
        LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced"),
    )


@dataclass
class RungModel:
    """A trained model as arrays: the text's TF-IDF space, and per rung a weight per
    column and an intercept (a single row when only two rungs were learned)."""

    space: TfidfSpace
    rungs: np.ndarray
    coefficients: np.ndarray
    intercepts: np.ndarray

    def probabilities(self, description: str) -> dict[int, float]:
        """Each learned rung's probability for ``description`` (as the pipeline's
        ``predict_proba``)."""
        vector = self.space.transform(description)
        columns = np.fromiter(vector.keys(), dtype=np.int64, count=len(vector))
        weights = np.fromiter(vector.values(), dtype=np.float64, count=len(vector))
        scores = self.coefficients[:, columns] @ weights + self.intercepts
        if len(self.rungs) == 2 and len(scores) == 1:
            second = 1.0 / (1.0 + np.exp(-scores[0]))
            probabilities = np.array([1.0 - second, second])
        else:
            exponents = np.exp(scores - scores.max())
            probabilities = exponents / exponents.sum()
        return {int(rung): float(p) for rung, p in zip(self.rungs, probabilities, strict=True)}


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


def retrain_suggester(*, catalogue_version: str = "") -> int:
    """Train on the catalogue and store the model; returns the number of cases used.

    With fewer than two rungs represented there is nothing to learn: the stored
    model is withdrawn and suggestions fall back to the answers alone.
    """
    texts, rungs = training_set()
    if len(set(rungs)) < 2:
        store.withdraw(KIND)
        return 0
    pipeline = build_model().fit(texts, rungs)
    vectorizer, regression = pipeline[0], pipeline[-1]
    space = space_from_vectorizer(vectorizer)
    store.publish(
        KIND,
        format=FORMAT,
        catalogue_version=catalogue_version,
        cases=len(texts),
        header={"text": space.settings()},
        arrays={
            **space.arrays("text"),
            "rungs": np.asarray(regression.classes_, dtype=np.int64),
            "coefficients": np.asarray(regression.coef_, dtype=np.float64),
            "intercepts": np.asarray(regression.intercept_, dtype=np.float64),
        },
    )
    return len(texts)


def cross_validated_accuracy(
    texts: Sequence[str], rungs: Sequence[int], *, folds: int = 5
) -> tuple[float, float]:
    """Mean and standard deviation of accuracy over stratified folds."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    smallest = min(np.unique(np.asarray(rungs), return_counts=True)[1])
    splitter = StratifiedKFold(
        n_splits=max(2, min(folds, int(smallest))), shuffle=True, random_state=0
    )
    scores = cross_val_score(build_model(), list(texts), list(rungs), cv=splitter)
    return float(scores.mean()), float(scores.std())


# The objects built over the arrays of the version loaded last (one version at a time).
_loaded: dict[str, tuple[store.Stored, RungModel]] = {}


def load_model() -> RungModel | None:
    """The current stored model, fetched once per server and shared by its workers."""
    stored = store.current(KIND, format=FORMAT)
    if stored is None:
        return None
    loaded = _loaded.get(KIND)
    if loaded is not None and loaded[0] is stored:
        return loaded[1]
    arrays = stored.arrays
    model = RungModel(
        space=TfidfSpace.restore("text", arrays, stored.header["text"]),
        rungs=arrays["rungs"],
        coefficients=arrays["coefficients"],
        intercepts=arrays["intercepts"],
    )
    _loaded[KIND] = (stored, model)
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
        learned = model.probabilities(description)
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
