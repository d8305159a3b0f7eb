"""A small reader of .po files, enough for the catalogue tests (no dependency)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header excluded."""
    entries: list[Entry] = []
    current = Entry()
    last: str | None = None

    def finish() -> None:
        nonlocal current
        if current.msgid or current.msgstr:
            entries.append(current)
        current = Entry()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if not line or line.startswith("#"):
            if not line and (current.msgid or current.msgstr):
                finish()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if last == "msgctxt":
                current.context = (current.context or "") + value
            elif last == "msgid":
                current.msgid += value
            elif last == "msgid_plural":
                current.plural = (current.plural or "") + value
            elif last is not None and last.startswith("msgstr"):
                current.msgstr[-1] += value
            continue
        value = ast.literal_eval(rest)
        if keyword == "msgctxt":
            if current.msgid or current.msgstr:
                finish()
            current.context = value
        elif keyword == "msgid":
            if current.msgstr:
                finish()
            current.msgid = value
        elif keyword == "msgid_plural":
            current.plural = value
        elif keyword.startswith("msgstr"):
            current.msgstr.append(value)
        last = keyword
    finish()
    return [entry for entry in entries if entry.msgid and not entry.obsolete]
