"""Fitted models saved with joblib in the data directory, shared by similar cases and
rung suggestions: written atomically, loaded once per process, reloaded on change."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import joblib

_lock = threading.Lock()
_loaded: dict[Path, tuple[tuple[int, int], Any]] = {}


def save(path: Path, *, format: int, **content: Any) -> None:
    """Write ``content`` to ``path``; write then rename, so no one loads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".pkl")
    os.close(handle)
    joblib.dump({"format": format, **content}, temporary)
    os.replace(temporary, path)


def load(path: Path, *, format: int, key: str) -> Any | None:
    """``content[key]`` of the file at ``path``, or None when it is missing, damaged or of
    another format. Loaded once per process and again when the file changes."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    version = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _loaded.get(path)
        if cached is None or cached[0] != version:
            try:
                saved = joblib.load(path)
            except Exception:  # a damaged or foreign file is treated as none at all
                return None
            value = saved.get(key) if saved.get("format") == format else None
            cached = _loaded[path] = (version, value)
        return cached[1]
