"""The catalogue's controlled lists in the reader's language.

Countries are named from the Unicode CLDR that Babel ships (``country_label``): no
catalogue of ours needs to list some 250 names in six languages.

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
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from babel import Locale
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext, pgettext_lazy, to_locale
from iso3166 import countries_by_alpha2

from peerladder.catalogue.vocabulary import (
    ORG_FORMS,
    PRODUCTIONS,
    RELATION_TYPES,
    SECTORS,
    Vocabulary,
)
from peerladder.lexicon.generate import literal, write_generated
from peerladder.lexicon.languages import DEFAULT_LANGUAGE, LANGUAGE_CODES, normalized_language

__all__ = [
    "TARGET",
    "TRANSLATED_VOCABULARIES",
    "country_label",
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


@lru_cache(maxsize=len(LANGUAGE_CODES))
def _territory_names(language: str) -> Mapping[str, str]:
    """CLDR's names of the territories in one of our languages (``pt-br`` is Babel's
    ``pt_BR``). Keyed by language, so a process serving every language keeps six."""
    names: Mapping[str, str] = Locale.parse(to_locale(language)).territories
    return names


def country_label(code: str, language: str | None = None) -> str:
    """A country's name in ``language`` (one of our codes; by default the active
    language): "Alemania" for ``DE`` in Spanish. Its ISO 3166 name where CLDR has
    none, the code as it is where neither knows it. The code is what is stored,
    filtered on and exported; only the pages and the report show the name."""
    wanted = normalized_language(language or get_language() or "") or DEFAULT_LANGUAGE
    name = _territory_names(wanted).get(code)
    if name:
        return name
    country = countries_by_alpha2.get(code)
    return country.name if country else code


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
