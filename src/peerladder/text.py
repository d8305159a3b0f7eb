"""Text that the databases and encoders can hold.

A JSON body can carry a lone surrogate (``"\\udc00"``), NUL or a Unicode
non-character; none of them is text a person meant, SQLite's and PostgreSQL's
drivers and every UTF-8 encoder refuse some of them, and a stored one breaks every
page, export and backup that reads it. Every text that enters is checked with
:func:`unstorable`; what we echo back (the received value of an error) goes
through :func:`printable` first. Pure: no Django.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

# NUL, the surrogates (never valid alone in UTF-8), and the 66 non-characters.
_UNSTORABLE = re.compile(
    "[\x00\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


class Unstorable(NamedTuple):
    """The first character of a text that cannot be stored: its code point (``U+DC00``)
    and its position, counted from 1."""

    character: str
    position: int

    def __str__(self) -> str:
        return f"{self.character} at character {self.position}"


def unstorable(text: str) -> Unstorable | None:
    """The first character of ``text`` that cannot be stored (``str()`` of it says
    ``"U+DC00 at character 2"``), or None when every character can."""
    if text.isascii() and "\x00" not in text:
        return None  # the only unstorable ASCII character is NUL (a quick test first)
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return Unstorable(f"U+{ord(found.group()):04X}", found.start() + 1)


def printable(value: Any) -> Any:
    """``value`` with every unstorable character of its texts (keys included) replaced
    by U+FFFD, so an error can show what it received."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {printable(key): printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [printable(item) for item in value]
    return value


def find_unstorable(value: Any, path: str = "") -> tuple[str, Unstorable] | None:
    """The first ``(path, problem)`` of an unstorable character anywhere in a parsed JSON
    value, keys included (``path`` like ``tags[0]`` or ``answers.directed_by``)."""
    if isinstance(value, str):
        problem = unstorable(value)
        return (path or "body", problem) if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            problem = unstorable(str(key))
            if problem:
                return printable(where), problem
            found = find_unstorable(item, where)
            if found:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = find_unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


# Latin letters that no Unicode decomposition takes apart, spelled as they sort.
_UNDECOMPOSED = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def sort_key(text: str) -> str:
    """``text`` as people expect names to sort: case and accents do not count
    ("foodsharing.de" beside "Fairbnb", "Émilie" among the E, "Ørsted" among the O).
    Compatibility decomposition, combining marks dropped, case-folded."""
    if text.isascii():
        return text.casefold()  # nothing to decompose, no mark to drop, no letter to spell
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold().translate(_UNDECOMPOSED)
