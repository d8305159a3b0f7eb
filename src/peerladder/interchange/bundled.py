"""The bundled catalogue of real cases, shipped inside the package, with the editors'
translations of their texts.

``catalogue/data/cases.jsonl`` holds the case records; ``catalogue/data/translations/``
one JSON Lines file per language (``es.jsonl``...), a line per case:
``{"slug", "language", "summary"[, "name"][, "description"]}``. The loader adds each
line to its case's record as a translation marked ``editorial`` (written by the
project's editors, not by a contributor), so it arrives with the case's first revision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from peerladder.catalogue.record import TRANSLATED_FIELDS, TRANSLATIONS_KEY
from peerladder.catalogue.selectors import catalogue_is_empty
from peerladder.catalogue.vocabulary import CASE_LANGUAGES
from peerladder.interchange.importer import import_records
from peerladder.interchange.parsers import Record, parse_jsonl
from peerladder.interchange.problems import InvalidFile, LocatedProblem

_DATA = Path(__file__).resolve().parent.parent / "catalogue" / "data"
BUNDLED_FILE = _DATA / "cases.jsonl"
BUNDLED_TRANSLATIONS = _DATA / "translations"
BUNDLED_AUTHOR = "peerladder-curators"
_LINE_KEYS = ("slug", "language", *TRANSLATED_FIELDS)


def bundled_translations() -> dict[str, dict[str, dict[str, Any]]]:
    """The editors' translations, ``{slug: {language: texts}}``, from every file of
    ``BUNDLED_TRANSLATIONS`` named after a language. Raises InvalidFile naming the
    file and line of a line that is not one case's translation in that language."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    problems: list[LocatedProblem] = []
    for language in CASE_LANGUAGES.values:
        path = BUNDLED_TRANSLATIONS / f"{language}.jsonl"
        if not path.exists():
            continue
        for where, line in parse_jsonl(path.read_bytes(), name=f"translations/{path.name}"):
            if not isinstance(line, dict) or not isinstance(line.get("slug"), str):
                problems.append(LocatedProblem(where, "slug", None, "each line needs a slug"))
                continue
            unknown = sorted(set(line) - set(_LINE_KEYS))
            if unknown or line.get("language") != language:
                problems.append(
                    LocatedProblem(
                        where,
                        unknown[0] if unknown else "language",
                        unknown[0] if unknown else line.get("language"),
                        f"a line of {path.name} has the keys {', '.join(_LINE_KEYS)} "
                        f"and the language {language!r}",
                    )
                )
                continue
            texts = {name: line[name] for name in TRANSLATED_FIELDS if name in line}
            found.setdefault(line["slug"], {})[language] = {**texts, "editorial": True}
    if problems:
        raise InvalidFile(problems)
    return found


def bundled_records() -> list[Record]:
    """The bundled records as ``(where, record)`` pairs, as the importer reads them, each
    with the editors' translations of its texts."""
    records = parse_jsonl(BUNDLED_FILE.read_bytes(), name=BUNDLED_FILE.name)
    translations = bundled_translations()
    for _, record in records:
        extra = translations.get(record.get("slug")) if isinstance(record, dict) else None
        if extra:
            record[TRANSLATIONS_KEY] = {**(record.get(TRANSLATIONS_KEY) or {}), **extra}
    return records


def load_bundled_if_empty() -> int:
    """Load the bundled cases into an empty catalogue; returns how many were loaded."""
    if not BUNDLED_FILE.exists() or not catalogue_is_empty():
        return 0
    report = import_records(bundled_records(), user=BUNDLED_AUTHOR, source_name=BUNDLED_FILE.name)
    return report.created
