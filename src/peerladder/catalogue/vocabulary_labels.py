"""The catalogue's controlled lists in the reader's language.

``vocabulary.py`` is pure data (no Django) and holds the one English label of each
term; here each label is looked up with ``pgettext`` in the active language, its
context the term's key (``sector.software``, ``org_form.cooperative``,
``production.both``, ``type.fork_of``). Keys never change with the language: the
API, the exports and the URLs keep them.

``makemessages`` cannot read labels that are data, so ``vocabulary_strings.py``
lists them (generated, like the ladder's ``ladder_strings.py``)::

    python -m peerladder.catalogue.vocabulary_labels
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from peerladder.catalogue.vocabulary import (
    ORG_FORMS,
    PRODUCTIONS,
    RELATION_TYPES,
    SECTORS,
    Vocabulary,
)
from peerladder.lexicon.generate import literal, write_generated

__all__ = [
    "TARGET",
    "TRANSLATED_VOCABULARIES",
    "term_choices",
    "term_label",
    "vocabulary_strings_source",
]

# The lists whose labels are shown in the reader's language. The case languages are
# not among them: each is named in its own language everywhere ("Deutsch").
TRANSLATED_VOCABULARIES: tuple[Vocabulary, ...] = (SECTORS, ORG_FORMS, PRODUCTIONS, RELATION_TYPES)

TARGET = Path(__file__).with_name("vocabulary_strings.py")


def term_key(vocabulary: Vocabulary, value: str) -> str:
    """The message key (``msgctxt``) of a term: ``sector.software``."""
    return f"{vocabulary.name}.{value}"


def term_label(vocabulary: Vocabulary, value: str | None) -> str:
    """A term's label in the active language; an unknown value as it is."""
    if value is None or value not in vocabulary:
        return "" if value is None else str(value)
    return pgettext(term_key(vocabulary, value), vocabulary.label(value))


def term_choices(vocabulary: Vocabulary) -> list[tuple[str, Promise]]:
    """``(value, label)`` pairs whose labels translate when shown (lazy): for model
    fields and forms defined once, shown in every language."""
    return [
        (value, pgettext_lazy(term_key(vocabulary, value), label))
        for value, label in vocabulary.terms
    ]


_HEADER = '''"""The labels of the catalogue's controlled lists, for ``makemessages``: generated, do
not edit.

Written by ``python -m peerladder.catalogue.vocabulary_labels`` (``make ladder-messages``)
from ``catalogue/vocabulary.py``; the context of each label is its term's key.
"""

from django.utils.translation import pgettext_lazy

VOCABULARY_STRINGS = (
'''


def vocabulary_strings_source() -> str:
    """The generated module's text, for the vocabularies as they are now."""
    lines = []
    for vocabulary in TRANSLATED_VOCABULARIES:
        for value, label in vocabulary.terms:
            lines.append(
                f"    pgettext_lazy({literal(term_key(vocabulary, value))}, {literal(label)}),"
            )
    return _HEADER + "\n".join(lines) + "\n)\n"


def main() -> int:
    """Write ``vocabulary_strings.py``; say whether it changed."""
    return write_generated(TARGET, vocabulary_strings_source())


if __name__ == "__main__":
    sys.exit(main())
