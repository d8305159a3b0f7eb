"""The similar-cases box of a case page (template web/cases/_similar.html)."""

from __future__ import annotations

from typing import Any

from peerladder.catalogue.models import Case
from peerladder.search.similar import similar_cases


def similar_context(case: Case, *, limit: int = 6) -> dict[str, Any]:
    """What web/cases/_similar.html needs; never waits for an index to be built."""
    found = similar_cases(case, limit=limit)
    return {
        "similar": [{"case": other, "score": score} for other, score in found.results],
        "similar_built": found.built,
    }
