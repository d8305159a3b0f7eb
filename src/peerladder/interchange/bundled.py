"""The bundled catalogue of real cases, shipped inside the package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from peerladder.catalogue.selectors import catalogue_is_empty
from peerladder.interchange.jsonl import read_jsonl
from peerladder.interchange.loader import load_records

BUNDLED_FILE = Path(__file__).resolve().parent.parent / "catalogue" / "data" / "cases.jsonl"


def bundled_records() -> Iterator[tuple[str, Any]]:
    for number, record in read_jsonl(BUNDLED_FILE):
        yield f"{BUNDLED_FILE.name}:{number}", record


def load_bundled_if_empty() -> int:
    """Load the bundled cases into an empty catalogue; returns how many were loaded."""
    if not BUNDLED_FILE.exists() or not catalogue_is_empty():
        return 0
    return load_records(bundled_records(), default_author="peerladder-curators")
