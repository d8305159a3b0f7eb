"""Write ``lexicon/ladder_strings.py`` and ``lexicon/refusal_strings.py``: every text of
the ladder, and every wording of a refusal (:mod:`peerladder.errors`), as a
``pgettext_lazy`` (``makemessages`` knows no ``pgettext_noop``; nothing calls these at
run time).

``makemessages`` finds translatable strings by reading source files, and these texts
are data in modules that never import Django, so it cannot see them. This writes them
out, key by key, into modules that only ``makemessages`` reads; the data stays the one
source of the English (``tests/lexicon`` and ``tests/test_refusals.py`` fail when a
module is out of date). Run it with ``make ladder-messages``, or::

    python -m peerladder.lexicon.generate
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from peerladder.ladder import Message, ladder_messages

__all__ = [
    "REFUSALS_TARGET",
    "TARGET",
    "generated_strings_source",
    "ladder_strings_source",
    "literal",
    "main",
    "refusal_strings_source",
    "write_generated",
]

TARGET = Path(__file__).with_name("ladder_strings.py")
REFUSALS_TARGET = Path(__file__).with_name("refusal_strings.py")

_DOCSTRING = """Every text of the ladder, for ``makemessages`` to find: generated, do not edit.

Written by ``python -m peerladder.lexicon.generate`` (``make messages``) from the
ladder's data; the context of each string is its message key."""

_REFUSALS_DOCSTRING = """Every wording of a refusal, for ``makemessages``: generated, do not edit.

Written by ``python -m peerladder.lexicon.generate`` (``make ladder-messages``) from
``peerladder/errors.py``; the context of each wording is its key."""
_PARAM = re.compile(r"\{(\w+)\}")


def literal(text: str) -> str:
    """``text`` as a Python string literal (a JSON string is one too)."""
    return json.dumps(text, ensure_ascii=False)


def write_generated(target: Path, source: str) -> int:
    """Write a generated module for ``makemessages`` unless it already says ``source``;
    say which. The exit status of the generating command (0)."""
    if target.exists() and target.read_text(encoding="utf-8") == source:
        print(f"{target} is up to date.")
        return 0
    target.write_text(source, encoding="utf-8")
    print(f"Wrote {target}.")
    return 0


def _entry(message: Message) -> str:
    lines = []
    params = _PARAM.findall(message.template)
    if params:
        kept = ", ".join("{" + name + "}" for name in params)
        lines.append(f"    # Translators: keep {kept} as written; they are filled in.")
    lines.append(f"    pgettext_lazy({literal(message.key)}, {literal(message.template)}),")
    return "\n".join(lines)


def generated_strings_source(*, docstring: str, name: str, messages: list[Message]) -> str:
    """A module that lists ``messages`` as ``pgettext_lazy(key, English)`` in a tuple
    ``name``, for ``makemessages`` (the ladder's and the catalogue's texts alike)."""
    header = (
        f'"""{docstring}\n"""\n\nfrom django.utils.translation import pgettext_lazy\n\n{name} = (\n'
    )
    return header + "\n".join(_entry(m) for m in messages) + "\n)\n"


def ladder_strings_source() -> str:
    """The module's text, for the ladder as it is now."""
    # The label and the history diff's words are the lexicon's, not the ladder's; they
    # are listed here too.
    from peerladder.lexicon import BASELINE_TRANSLATION_LABEL, HISTORY_MESSAGES

    messages = [*ladder_messages(), BASELINE_TRANSLATION_LABEL, *HISTORY_MESSAGES]
    return generated_strings_source(docstring=_DOCSTRING, name="LADDER_STRINGS", messages=messages)


def refusal_strings_source() -> str:
    """The refusals' module text (``lexicon/refusal_strings.py``), for the wordings of
    :mod:`peerladder.errors` as they are now."""
    from peerladder.errors import REFUSALS

    return generated_strings_source(
        docstring=_REFUSALS_DOCSTRING, name="REFUSAL_STRINGS", messages=list(REFUSALS.values())
    )


def main() -> int:
    """Write both modules; say whether each changed."""
    write_generated(TARGET, ladder_strings_source())
    return write_generated(REFUSALS_TARGET, refusal_strings_source())


if __name__ == "__main__":
    sys.exit(main())
