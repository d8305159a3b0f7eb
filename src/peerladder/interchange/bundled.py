"""The bundled catalogue of real cases, shipped inside the package."""

from __future__ import annotations

from pathlib import Path

from peerladder.catalogue.selectors import catalogue_is_empty
from peerladder.interchange.importer import import_records
from peerladder.interchange.parsers import Record, parse_jsonl

BUNDLED_FILE = Path(__file__).resolve().parent.parent / "catalogue" / "data" / "cases.jsonl"
BUNDLED_AUTHOR = "peerladder-curators"


def bundled_records() -> list[Record]:
    """The bundled records as ``(where, record)`` pairs, as the importer reads them."""
    return parse_jsonl(BUNDLED_FILE.read_bytes(), name=BUNDLED_FILE.name)


def load_bundled_if_empty() -> int:
    """Load the bundled cases into an empty catalogue; returns how many were loaded."""
    if not BUNDLED_FILE.exists() or not catalogue_is_empty():
        return 0
    report = import_records(bundled_records(), user=BUNDLED_AUTHOR, source_name=BUNDLED_FILE.name)
    return report.created
