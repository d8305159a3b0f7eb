"""Similar cases: TF-IDF over each case's text and its standing, cosine nearest neighbours.

The index is built by :func:`rebuild_similar` (``peerladder index rebuild``, and
after imports) into ``similar.pkl`` in the data directory, and loaded lazily by
each process, again whenever the file changes. Asking for similar cases never
builds the index: without one the answer is empty and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Prefetch
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from peerladder.catalogue.models import Case, CaseCountry
from peerladder.search import artifacts

INDEX_FILE = "similar.pkl"
FORMAT = 1
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


def index_path() -> Path:
    return Path(settings.DATA_DIR) / INDEX_FILE


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
    ids: np.ndarray
    matrix: sparse.csr_matrix
    text: TfidfVectorizer
    structure: TfidfVectorizer
    built_at: str

    def vector_for(self, row: dict[str, Any]) -> sparse.csr_matrix:
        position = int(np.searchsorted(self.ids, row["id"]))
        if position < len(self.ids) and self.ids[position] == row["id"]:
            return self.matrix[position]
        # A case added since the last build: place it with the fitted vocabulary.
        return _combine(
            self.text.transform([case_text(row)]), self.structure.transform([case_tokens(row)])
        )


def _combine(text: sparse.spmatrix, structure: sparse.spmatrix) -> sparse.csr_matrix:
    combined = sparse.hstack(
        [normalize(text) * TEXT_WEIGHT, normalize(structure) * STRUCTURE_WEIGHT], format="csr"
    )
    return normalize(combined).astype(np.float32)


def _rows() -> list[dict[str, Any]]:
    queryset = Case.objects.filter(archived=False).order_by("id").values(*_FIELDS)
    return list(queryset.iterator(chunk_size=2000))


def rebuild_similar() -> int:
    """Fit the index on every live case and save it; returns the number of cases."""
    rows = _rows()
    path = index_path()
    if not rows:
        path.unlink(missing_ok=True)
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
    index = SimilarIndex(
        ids=np.array([row["id"] for row in rows], dtype=np.int64),
        matrix=_combine(text_matrix, structure_matrix),
        text=text,
        structure=structure,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    artifacts.save(path, format=FORMAT, index=index)
    return len(rows)


def load_index() -> SimilarIndex | None:
    """The saved index, loaded once per process and again when the file changes."""
    index: SimilarIndex | None = artifacts.load(index_path(), format=FORMAT, key="index")
    return index


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
    scores = (index.matrix @ index.vector_for(row).T).toarray().ravel()
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
