"""Learned models kept in the database and memory-mapped by every worker.

A model (similar cases, rung suggestions) is a set of numpy arrays and a JSON
header. :func:`publish` writes them as an uncompressed zip into
:class:`~peerladder.search.models.LearnedModel` rows, part by part, and marks the
version complete only at the end, so a half-written version is never served.

:func:`current` is what a request asks. It looks up the newest complete version
at most every ``LEARNED_MODEL_CHECK_SECONDS`` per process, and the first worker
of a server that needs a version extracts it once into
``DATA_DIR/models/<kind>-<id>-<digest>/`` (under a file lock, then renamed into
place); every worker then maps the same ``.npy`` files read-only, so the
operating system holds one copy of the pages for all of them. Nothing is ever
built here: without a stored version the answer is None. When the database cannot
be read or a version cannot be fetched, the version already loaded keeps serving.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from peerladder.search.models import LearnedModel, LearnedModelPart

log = logging.getLogger(__name__)

PART_BYTES = 8 * 1024 * 1024
# Complete versions kept per kind: the newest, and the one before it for servers
# still fetching it when the newest lands.
KEEP_VERSIONS = 2
HEADER = "header.json"


@dataclass(frozen=True)
class Stored:
    """A loaded version: its arrays (memory-mapped, read-only) and header."""

    id: int
    kind: str
    catalogue_version: str
    built_at: str
    cases: int
    header: Mapping[str, Any]
    arrays: Mapping[str, np.ndarray]


@dataclass
class _Memo:
    checked: float
    stored: Stored | None


_lock = threading.Lock()
_memo: dict[str, _Memo] = {}


def cache_root() -> Path:
    return Path(settings.DATA_DIR) / "models"


def forget() -> None:
    """Drop what this process has loaded: the next :func:`current` asks the database."""
    with _lock:
        _memo.clear()


def look_again() -> None:
    """Make the next :func:`current` ask the database, keeping what is loaded meanwhile."""
    with _lock:
        for memo in _memo.values():
            memo.checked = float("-inf")


def _write_content(path: Path, header: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr(HEADER, json.dumps({**header, "arrays": sorted(arrays)}))
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array), allow_pickle=False)


def publish(
    kind: str,
    *,
    format: int,
    catalogue_version: str,
    cases: int,
    header: Mapping[str, Any],
    arrays: Mapping[str, np.ndarray],
) -> int:
    """Store a new version of ``kind``; returns its id. Written part by part, each in its
    own short transaction (a large model never holds the database's writer for long),
    then marked complete; older versions beyond :data:`KEEP_VERSIONS` are deleted."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=root, prefix=f".build-{kind}-", suffix=".zip")
    os.close(handle)
    path = Path(temporary)
    try:
        _write_content(path, header, arrays)
        digest = hashlib.sha256()
        with path.open("rb") as content:
            for block in iter(lambda: content.read(PART_BYTES), b""):
                digest.update(block)
        model = LearnedModel.objects.create(
            kind=kind,
            format=format,
            catalogue_version=catalogue_version,
            built_at=timezone.now(),
            cases=cases,
            size=path.stat().st_size,
            digest=digest.hexdigest(),
        )
        with path.open("rb") as content:
            for position, block in enumerate(iter(lambda: content.read(PART_BYTES), b"")):
                LearnedModelPart.objects.create(model=model, position=position, data=block)
    finally:
        path.unlink(missing_ok=True)
    LearnedModel.objects.filter(pk=model.pk).update(complete=True)
    _prune(kind, newest=model.pk)
    look_again()
    return int(model.pk)


def _prune(kind: str, *, newest: int) -> None:
    """Delete versions nobody will ask for again; run by the one rebuilder, under its lock,
    so any other incomplete version is left by a rebuild that died."""
    kept = list(
        LearnedModel.objects.filter(kind=kind, complete=True)
        .order_by("-id")
        .values_list("id", flat=True)[:KEEP_VERSIONS]
    )
    stale = LearnedModel.objects.filter(kind=kind).exclude(pk__in=[*kept, newest])
    LearnedModelPart.objects.filter(model__in=stale).delete()
    stale.delete()


def withdraw(kind: str) -> None:
    """Delete every stored version of ``kind`` (nothing left to learn from)."""
    LearnedModelPart.objects.filter(model__kind=kind).delete()
    LearnedModel.objects.filter(kind=kind).delete()
    look_again()


def latest(kind: str, *, format: int) -> dict[str, Any] | None:
    """The newest complete version's id, catalogue version and build time, or None."""
    return (
        LearnedModel.objects.filter(kind=kind, format=format, complete=True)
        .order_by("-id")
        .values("id", "catalogue_version", "built_at", "cases", "digest", "size")
        .first()
    )


def current(kind: str, *, format: int) -> Stored | None:
    """The newest complete version of ``kind``, loaded lazily and shared by the server's
    workers; None when none is stored. Asks the database at most every
    ``LEARNED_MODEL_CHECK_SECONDS`` seconds in a process."""
    now = time.monotonic()
    memo = _memo.get(kind)
    if memo is not None and now - memo.checked < settings.LEARNED_MODEL_CHECK_SECONDS:
        return memo.stored
    # One thread of a process looks (and fetches); the others keep answering with the
    # version already loaded meanwhile. Only a process's very first call waits.
    if not _lock.acquire(blocking=memo is None):
        return memo.stored if memo is not None else None
    try:
        memo = _memo.get(kind)
        if memo is not None and now - memo.checked < settings.LEARNED_MODEL_CHECK_SECONDS:
            return memo.stored
        previous = memo.stored if memo is not None else None
        try:
            row = latest(kind, format=format)
        except DatabaseError as exc:
            log.warning("cannot look up the %s model (%s); keeping the one loaded", kind, exc)
            row = None if previous is None else {"id": previous.id}
        if row is None:
            stored = None
        elif previous is not None and previous.id == row["id"]:
            stored = previous
        else:
            stored = _open(kind, row) or previous
        _memo[kind] = _Memo(checked=now, stored=stored)
        return stored
    finally:
        _lock.release()


def _directory(kind: str, row: Mapping[str, Any]) -> Path:
    return cache_root() / f"{kind}-{row['id']}-{row['digest'][:16]}"


def _open(kind: str, row: Mapping[str, Any]) -> Stored | None:
    directory = _directory(kind, row)
    try:
        if not (directory / HEADER).exists():
            _extract(kind, row, directory)
        header = json.loads((directory / HEADER).read_text(encoding="utf-8"))
        arrays = {name: _map(directory / f"{name}.npy") for name in header["arrays"]}
    except (OSError, ValueError, DatabaseError, zipfile.BadZipFile) as exc:
        log.warning("cannot load %s model %s (%s); keeping the one loaded", kind, row["id"], exc)
        return None
    return Stored(
        id=int(row["id"]),
        kind=kind,
        catalogue_version=str(row["catalogue_version"]),
        built_at=row["built_at"].isoformat(timespec="seconds"),
        cases=int(row["cases"]),
        header=header,
        arrays=arrays,
    )


def _map(path: Path) -> np.ndarray:
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except ValueError:  # an empty array cannot be mapped
        return np.load(path, allow_pickle=False)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _extract(kind: str, row: Mapping[str, Any], directory: Path) -> None:
    """Fetch a version from the database into ``directory``, once per server: workers that
    ask at the same time wait on a file lock and find it there."""
    root = directory.parent
    root.mkdir(parents=True, exist_ok=True)
    with _file_lock(root / f".{kind}.lock"):
        if (directory / HEADER).exists():
            return
        staging = Path(tempfile.mkdtemp(dir=root, prefix=f".fetch-{kind}-"))
        try:
            content = staging / "content.zip"
            digest = hashlib.sha256()
            with content.open("wb") as out:
                parts = (
                    LearnedModelPart.objects.filter(model_id=row["id"])
                    .order_by("position")
                    .values_list("data", flat=True)
                )
                for data in parts.iterator(chunk_size=1):
                    block = bytes(data)
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != row["digest"]:
                raise ValueError("the stored content does not match its digest")
            with zipfile.ZipFile(content) as archive:
                archive.extractall(staging)
            content.unlink()
            os.rename(staging, directory)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _remove_older(kind, keep=directory)


def _remove_older(kind: str, *, keep: Path) -> None:
    """Delete extracted versions of ``kind`` older than the previous one. Workers that
    still map their files keep them until they let go (the files are only unlinked)."""

    def number(path: Path) -> int:
        try:
            return int(path.name.split("-")[1])
        except (IndexError, ValueError):
            return -1

    found = sorted((path for path in keep.parent.glob(f"{kind}-*") if path.is_dir()), key=number)
    for path in found[: max(0, len(found) - KEEP_VERSIONS)]:
        if path != keep:
            shutil.rmtree(path, ignore_errors=True)
