"""The search indexes learned from the catalogue, rebuilt together: similar cases and
rung suggestions. Run by ``peerladder index rebuild``, after an import and after a
restore; pages keep the previous ones until the new files are in place."""

from __future__ import annotations

from peerladder.search.similar import rebuild_similar
from peerladder.search.suggest import retrain_suggester

__all__ = ["rebuild_indexes"]


def rebuild_indexes() -> tuple[int, int]:
    """Rebuild the similar-cases index and retrain the suggester; (cases, training cases)."""
    return rebuild_similar(), retrain_suggester()
