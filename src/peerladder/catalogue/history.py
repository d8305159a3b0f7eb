"""Field-level differences between two case records (revision snapshots).

Pure functions over case records (:mod:`peerladder.catalogue.record`): the case's own
fields compare value to value; sources compare by URL; placements and relations
compare as sets, so a diff says what was added, removed or changed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from peerladder.catalogue.record import (
    CASE_FIELD_NAMES,
    CASE_FIELDS,
    SOURCE_KEYS,
    TRANSLATED_FIELDS,
    TRANSLATION_KEYS,
    TRANSLATIONS_KEY,
    canonical_translations,
)
from peerladder.ladder import Lookup, english, period_label
from peerladder.lexicon import HISTORY_PLACEMENT_LINE, HISTORY_TRANSLATION_MARKED

# Fields whose changes are shown word by word: running text.
TEXT_FIELDS = frozenset(field.name for field in CASE_FIELDS if field.kind in ("text", "markdown"))
# Words, runs of white space, and single other characters: what a word diff compares.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

Segment = tuple[str, str]  # ("same" | "removed" | "added", text)


def word_diff(before: str, after: str) -> tuple[list[Segment], list[Segment]]:
    """``before`` and ``after`` cut into runs of words, each marked ``same``,
    ``removed`` (only in before) or ``added`` (only in after): the before side and the
    after side of a word-level diff. Joined, each side gives its text back."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(("same", "".join(old[i1:i2])))
            right.append(("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            left.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            right.append(("added", "".join(new[j1:j2])))
    return left, right


@dataclass(frozen=True)
class Change:
    """One difference: ``section`` is fields, translations, sources, placements or
    relations; ``key`` names what changed (``es summary`` for a translation's field);
    ``before``/``after`` are display text (None: absent)."""

    section: str
    key: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    @property
    def words(self) -> tuple[list[Segment], list[Segment]] | None:
        """A word-level diff of a changed text field or source; None for the rest."""
        if self.kind != "changed" or self.before is None or self.after is None:
            return None
        if self.section == "sources" or (self.section == "fields" and self.key in TEXT_FIELDS):
            return word_diff(self.before, self.after)
        if self.section == TRANSLATIONS_KEY and self.key.rsplit(" ", 1)[-1] in TRANSLATED_FIELDS:
            return word_diff(self.before, self.after)
        return None


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _source_text(source: Mapping[str, Any]) -> str:
    parts = [str(source.get("title") or "")]
    parts += [f"{name}: {source[name]}" for name in SOURCE_KEYS[2:] if source.get(name)]
    return "; ".join(parts)


def placement_text(placement: Mapping[str, Any], lookup: Lookup = english) -> str:
    """A placement in one line: period (its open end in the language of ``lookup``),
    author, answers, rationale and sources."""
    period = period_label(str(placement.get("valid_from")), placement.get("valid_to"), lookup)
    answers = ", ".join(f"{k}={v}" for k, v in sorted((placement.get("answers") or {}).items()))
    return HISTORY_PLACEMENT_LINE.filled(
        period=period,
        author=placement.get("author"),
        answers=answers,
        rationale=placement.get("rationale") or "",
        sources=", ".join(placement.get("sources") or []),
    ).render(lookup)


def _multiset_changes(
    section: str, before: list[str], after: list[str], key_of: Any = None
) -> list[Change]:
    """Items only in ``before`` (removed) and only in ``after`` (added), counting repeats."""
    removed = Counter(before) - Counter(after)
    added = Counter(after) - Counter(before)
    changes: list[Change] = []
    for text, count in removed.items():
        changes += [Change(section, key_of(text) if key_of else text, text, None)] * count
    for text, count in added.items():
        changes += [Change(section, key_of(text) if key_of else text, None, text)] * count
    return changes


def _translation_shown(value: Any, lookup: Lookup) -> str | None:
    if value is True:
        return HISTORY_TRANSLATION_MARKED.render(lookup)
    return None if value in (None, "", False) else str(value)


def _translation_changes(
    old: Mapping[str, Any], after: Mapping[str, Any], lookup: Lookup, *, known: bool
) -> list[Change]:
    """Each translated field (and editorial marker) that differs, language by language;
    a record from before translations were kept has none."""
    before = canonical_translations(old.get(TRANSLATIONS_KEY))
    now = canonical_translations(after.get(TRANSLATIONS_KEY))
    changes: list[Change] = []
    for language in dict.fromkeys([*before, *now]):
        was, is_now = before.get(language), now.get(language)
        for key in TRANSLATION_KEYS:
            old_value = was[key] if was else None  # type: ignore[literal-required]
            new_value = is_now[key] if is_now else None  # type: ignore[literal-required]
            if (old_value or None) == (new_value or None):
                continue
            changes.append(
                Change(
                    TRANSLATIONS_KEY,
                    f"{language} {key}",
                    _translation_shown(old_value, lookup) if known else None,
                    _translation_shown(new_value, lookup),
                )
            )
    return changes


def diff_records(
    before: Mapping[str, Any] | None, after: Mapping[str, Any], lookup: Lookup = english
) -> list[Change]:
    """Every difference between two case records; ``before`` None means "nothing yet".
    ``lookup`` gives the language of the words the diff writes itself ("now", "by",
    "sources", "yes")."""
    old: Mapping[str, Any] = before or {}
    changes: list[Change] = []
    for name in CASE_FIELD_NAMES:
        if (old.get(name) or None) != (after.get(name) or None):
            changes.append(
                Change(
                    "fields",
                    name,
                    _shown(old.get(name)) if before is not None else None,
                    _shown(after.get(name)),
                )
            )
    changes += _translation_changes(old, after, lookup, known=before is not None)
    old_sources = {s["url"]: s for s in old.get("sources") or []}
    new_sources = {s["url"]: s for s in after.get("sources") or []}
    for url, source in old_sources.items():
        if url not in new_sources:
            changes.append(Change("sources", url, _source_text(source), None))
        elif _source_text(source) != _source_text(new_sources[url]):
            changes.append(
                Change("sources", url, _source_text(source), _source_text(new_sources[url]))
            )
    changes += [
        Change("sources", url, None, _source_text(source))
        for url, source in new_sources.items()
        if url not in old_sources
    ]
    changes += _multiset_changes(
        "placements",
        [placement_text(p, lookup) for p in old.get("placements") or []],
        [placement_text(p, lookup) for p in after.get("placements") or []],
        key_of=lambda text: text.split(":", 1)[0],
    )
    changes += _multiset_changes(
        "relations",
        [f"{r['type']} {r['target']}" for r in old.get("relations") or []],
        [f"{r['type']} {r['target']}" for r in after.get("relations") or []],
    )
    return changes
