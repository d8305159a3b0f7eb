"""The similar-cases box of a case page (template web/cases/_similar.html)."""

from __future__ import annotations

from typing import Any

from peerladder.catalogue.models import Case
from peerladder.search.similar import similar_cases
from peerladder.web.translation_pages import listed


def similar_context(case: Case, *, limit: int = 6) -> dict[str, Any]:
    """What web/cases/_similar.html needs, each case's name and summary in the reader's
    language where translated; never waits for an index to be built."""
    found = similar_cases(case, limit=limit)
    shown = listed([other for other, _ in found.results])
    return {
        "similar": [
            {**row, "score": score} for row, (_, score) in zip(shown, found.results, strict=True)
        ],
        "similar_built": found.built,
    }
