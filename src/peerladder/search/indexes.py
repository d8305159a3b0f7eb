"""The models learned from the catalogue, rebuilt together: similar cases and rung
suggestions. Run by ``peerladder index rebuild``, after an import and after a
restore.

A rebuild runs once across every app server: it holds a database lock
(search/locks.py) while it builds. One that finds the lock taken waits for it,
then builds only if the models stored by then are older than the catalogue — so
three servers finishing imports together build once, and an import committed
while another rebuild ran is still learned from. Requests never wait: they keep
the stored version they have until the new one is complete (search/store.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from peerladder.catalogue.models import Case
from peerladder.catalogue.selectors import catalogue_version
from peerladder.search import similar, store, suggest
from peerladder.search.locks import exclusive

__all__ = ["Rebuild", "models_are_current", "rebuild_indexes"]

LOCK = "learned-models"
# How long a rebuild waits for another one to finish before giving up.
WAIT_SECONDS = 3600.0
# A catalogue that keeps changing while it is learned from is rebuilt at most this often.
ROUNDS = 3


@dataclass(frozen=True)
class Rebuild:
    """What a call to :func:`rebuild_indexes` did."""

    indexed: int = 0
    trained: int = 0
    built: bool = False
    version: str = ""
    reason: str = ""


def models_are_current(version: str | None = None) -> bool:
    """Whether the stored models were built from the catalogue as it is now."""
    version = catalogue_version() if version is None else version
    for kind, format in ((similar.KIND, similar.FORMAT), (suggest.KIND, suggest.FORMAT)):
        stored = store.latest(kind, format=format)
        if stored is not None and stored["catalogue_version"] != version:
            return False
        if stored is None and kind == similar.KIND and Case.objects.filter(archived=False).exists():
            return False  # live cases, and no index of them
    return True


def rebuild_indexes(*, force: bool = True) -> Rebuild:
    """Rebuild the similar-cases index and retrain the suggester, once across all servers.

    With ``force`` (the command line) it builds even when the models look current,
    unless it had to wait for another rebuild, whose models then are the result.
    """
    with exclusive(LOCK, wait_seconds=WAIT_SECONDS) as (held, waited):
        if not held:
            return Rebuild(reason="another rebuild held the lock for too long")
        version = catalogue_version()
        if (waited or not force) and models_are_current(version):
            return Rebuild(version=version, reason="already built by another rebuild")
        indexed = trained = 0
        for _ in range(ROUNDS):
            indexed = similar.rebuild_similar(catalogue_version=version)
            trained = suggest.retrain_suggester(catalogue_version=version)
            changed = catalogue_version()
            if changed == version:
                break
            version = changed  # written while we built: learn from that too
        return Rebuild(indexed=indexed, trained=trained, built=True, version=version)
