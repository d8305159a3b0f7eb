"""Similar cases: TF-IDF over each case's text and its standing, cosine nearest neighbours.

The index is built by :func:`rebuild_similar` (``peerladder index rebuild``, and
after imports) and stored in the database (search/store.py), versioned by the
catalogue state it was built from; each server fetches the current version once
and its workers share it memory-mapped. It is kept as an inverted index (for each
term, the cases that have it and their weights), so a query reads only its own
terms' lists. Asking for similar cases never builds the index: without one the
answer is empty and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Prefetch

from peerladder.catalogue.models import Case, CaseCountry
from peerladder.search import store
from peerladder.search.vectors import TfidfSpace, space_from_vectorizer

KIND = "similar"
FORMAT = 2
# How much the text and the structured answers weigh against each other.
TEXT_WEIGHT = 0.8
STRUCTURE_WEIGHT = 0.6
_FIELDS = (
    "id",
    "name",
    "summary",
    "description",
    "tags",
    "standing_rung",
    "standing_economy",
    "sector",
    "org_form",
)


def case_text(row: dict[str, Any]) -> str:
    """The words of a case: name (twice, for weight), summary, description, tags."""
    tags = " ".join(str(tag).replace("-", " ") for tag in row.get("tags") or [])
    return " ".join([row["name"], row["name"], row["summary"], row["description"] or "", tags])


def case_tokens(row: dict[str, Any]) -> str:
    """The structured answers as tokens: rung, view, economy, sector and form."""
    rung = row.get("standing_rung")
    tokens = [
        f"rung:{rung or 'none'}",
        f"view:{'none' if rung is None else 'firm' if rung <= 5 else 'community'}",
        f"economy:{row.get('standing_economy') or 'none'}",
        f"sector:{row.get('sector') or 'other'}",
        f"form:{row.get('org_form') or 'other'}",
    ]
    return " ".join(tokens)


@dataclass
class SimilarIndex:
    """The stored index: case ids (sorted), and for each column of the combined space the
    positions of the cases that have it (``rows[indptr[c]:indptr[c + 1]]``) and weights."""

    ids: np.ndarray
    indptr: np.ndarray
    rows: np.ndarray
    weights: np.ndarray
    text: TfidfSpace
    structure: TfidfSpace
    built_at: str

    def vector_for(self, row: dict[str, Any]) -> dict[int, float]:
        """A case's vector in the combined space, from its current text and standing."""
        return _combine(
            self.text.transform(case_text(row)),
            self.structure.transform(case_tokens(row)),
            offset=self.text.width,
        )

    def scores(self, vector: dict[int, float]) -> np.ndarray:
        """Cosine similarity of ``vector`` with every indexed case."""
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for column, weight in vector.items():
            start, end = int(self.indptr[column]), int(self.indptr[column + 1])
            # Each case appears once per column, so the fancy-indexed add is exact.
            scores[self.rows[start:end]] += np.float32(weight) * self.weights[start:end]
        return scores


def _scaled(vector: dict[int, float], weight: float, offset: int = 0) -> dict[int, float]:
    return {column + offset: value * weight for column, value in vector.items()}


def _combine(
    text: dict[int, float], structure: dict[int, float], *, offset: int
) -> dict[int, float]:
    combined = {**_scaled(text, TEXT_WEIGHT), **_scaled(structure, STRUCTURE_WEIGHT, offset)}
    norm = float(np.sqrt(sum(value * value for value in combined.values())))
    return {column: value / norm for column, value in combined.items()} if norm else {}


def _rows() -> list[dict[str, Any]]:
    queryset = Case.objects.filter(archived=False).order_by("id").values(*_FIELDS)
    return list(queryset.iterator(chunk_size=2000))


def rebuild_similar(*, catalogue_version: str = "") -> int:
    """Fit the index on every live case and store it; returns the number of cases."""
    # scikit-learn and scipy are needed to fit, never to answer: imported here so that
    # the workers that only answer do not load them.
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    rows = _rows()
    if not rows:
        store.withdraw(KIND)
        return 0
    text = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        max_df=0.5,
        max_features=200_000,
        dtype=np.float32,
    )
    structure = TfidfVectorizer(
        tokenizer=str.split, lowercase=False, token_pattern=None, dtype=np.float32
    )
    try:
        text_matrix = text.fit_transform(case_text(row) for row in rows)
    except ValueError:
        # Every word is a stop word or too common (tiny catalogues): keep all words.
        text = TfidfVectorizer(sublinear_tf=True, dtype=np.float32)
        text_matrix = text.fit_transform(case_text(row) for row in rows)
    structure_matrix = structure.fit_transform(case_tokens(row) for row in rows)
    combined = sparse.hstack(
        [normalize(text_matrix) * TEXT_WEIGHT, normalize(structure_matrix) * STRUCTURE_WEIGHT],
        format="csr",
    )
    by_column = normalize(combined).astype(np.float32).tocsc()
    by_column.sort_indices()
    text_space = space_from_vectorizer(text)
    structure_space = space_from_vectorizer(structure)
    store.publish(
        KIND,
        format=FORMAT,
        catalogue_version=catalogue_version,
        cases=len(rows),
        header={"text": text_space.settings(), "structure": structure_space.settings()},
        arrays={
            "ids": np.array([row["id"] for row in rows], dtype=np.int64),
            "indptr": by_column.indptr.astype(np.int64),
            "rows": by_column.indices.astype(np.int32),
            "weights": by_column.data.astype(np.float32),
            **text_space.arrays("text"),
            **structure_space.arrays("structure"),
        },
    )
    return len(rows)


# The objects built over the arrays of the version loaded last (one version at a time).
_loaded: dict[str, tuple[store.Stored, SimilarIndex]] = {}


def load_index() -> SimilarIndex | None:
    """The current stored index, fetched once per server and shared by its workers."""
    stored = store.current(KIND, format=FORMAT)
    if stored is None:
        return None
    loaded = _loaded.get(KIND)
    if loaded is not None and loaded[0] is stored:
        return loaded[1]
    index = _index_of(stored)
    _loaded[KIND] = (stored, index)
    return index


def index_version() -> str:
    """Which stored index answers now ("none" before the first is built): pages that
    show similar cases include it in their cache keys. No query within the check
    interval (``store.current``)."""
    stored = store.current(KIND, format=FORMAT)
    return "none" if stored is None else str(stored.id)


def _index_of(stored: store.Stored) -> SimilarIndex:
    arrays, header = stored.arrays, stored.header
    return SimilarIndex(
        ids=arrays["ids"],
        indptr=arrays["indptr"],
        rows=arrays["rows"],
        weights=arrays["weights"],
        text=TfidfSpace.restore("text", arrays, header["text"]),
        structure=TfidfSpace.restore("structure", arrays, header["structure"]),
        built_at=stored.built_at,
    )


@dataclass
class SimilarCases:
    built: bool
    results: list[tuple[Case, float]] = field(default_factory=list)
    built_at: str | None = None


def similar_cases(case: Case, *, limit: int = 6) -> SimilarCases:
    """The live cases most like ``case``, with cosine scores; empty when no index is built."""
    index = load_index()
    if index is None:
        return SimilarCases(built=False)
    row = {name: getattr(case, name) for name in _FIELDS}
    scores = index.scores(index.vector_for(row))
    scores[index.ids == case.pk] = -1.0
    wanted = min(len(scores), limit * 2 + 5)  # spare ones in case some were archived
    if wanted == 0:
        return SimilarCases(built=True, built_at=index.built_at)
    top = np.argpartition(-scores, wanted - 1)[:wanted]
    top = top[np.argsort(-scores[top], kind="stable")]
    chosen = [(int(index.ids[i]), float(scores[i])) for i in top if scores[i] > 0]
    cases = Case.objects.filter(pk__in=[pk for pk, _ in chosen], archived=False).prefetch_related(
        Prefetch("country_rows", queryset=CaseCountry.objects.order_by("position"))
    )
    by_id = {found.pk: found for found in cases}
    results = [(by_id[pk], round(score, 4)) for pk, score in chosen if pk in by_id][:limit]
    return SimilarCases(built=True, results=results, built_at=index.built_at)


def similar_cases_of(slug: str, *, limit: int = 6) -> SimilarCases | None:
    """:func:`similar_cases` of the live case with ``slug``; None when there is none."""
    case = Case.objects.filter(slug=slug, archived=False).only(*_FIELDS).first()
    return None if case is None else similar_cases(case, limit=limit)
