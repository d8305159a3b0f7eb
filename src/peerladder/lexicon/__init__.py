"""The ladder's texts in the reader's language: the Django side of ``ladder.messages``.

The pure ladder names every text by a message key and gives its English template;
here each is looked up with Django's ``pgettext`` (the key is the ``msgctxt``, the
English the ``msgid``) in ``src/peerladder/locale``, in the active language. Shells
use it in one of three ways: a translated copy of a ladder object (``rung_shown``,
``question_shown``, ...) for the templates, the whole model as JSON
(``model_shown``), or :func:`lookup` passed to anything of the ladder that renders
text. Keys, numbers and answer values never change with the language.
"""

from __future__ import annotations

from django.utils import translation

from peerladder.ladder import (
    BASELINE_2007,
    Baseline,
    Classification,
    Economy,
    Lookup,
    Message,
    Question,
    Rung,
    economy_name,
    english,
    model_as_dict,
)
from peerladder.lexicon.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGE_CODES,
    UnknownLanguage,
    language_from_header,
    normalized_language,
)

__all__ = [
    "BASELINE_TRANSLATION_LABEL",
    "DEFAULT_LANGUAGE",
    "HISTORY_MESSAGES",
    "HISTORY_PLACEMENT_LINE",
    "HISTORY_TRANSLATION_MARKED",
    "LANGUAGE_CODES",
    "UnknownLanguage",
    "active_language",
    "baseline_shown",
    "classification_shown",
    "economy_name_shown",
    "economy_shown",
    "language_from_header",
    "lookup",
    "lookup_in",
    "model_shown",
    "normalized_language",
    "question_shown",
    "rung_shown",
    "translate",
]

# How the translation of an essay quote is labelled beside the quote itself.
BASELINE_TRANSLATION_LABEL = Message(
    "baseline.translation-label", "Translation (the essay's words are in English)"
)

# The words a diff between two revisions writes itself (catalogue.history fills them in).
HISTORY_PLACEMENT_LINE = Message(
    "history.placement", "{period} by {author}: {answers}. {rationale} [sources: {sources}]"
)
HISTORY_TRANSLATION_MARKED = Message("history.translation.marked", "yes")
HISTORY_MESSAGES = (HISTORY_PLACEMENT_LINE, HISTORY_TRANSLATION_MARKED)


def _gettext_lookup(key: str, text: str) -> str:
    return translation.pgettext(key, text)


def active_language() -> str:
    """The active language's code among ours (``en`` when none is active)."""
    return normalized_language(translation.get_language() or DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def lookup_in(language: str) -> Lookup:
    """The lookup for ``language`` (one of ours), whatever language is active: for a
    text wanted in another language than the page's or the request's (an API refusal)."""
    if language == DEFAULT_LANGUAGE:
        return english

    def in_language(key: str, text: str) -> str:
        with translation.override(language):
            return translation.pgettext(key, text)

    return in_language


def lookup() -> Lookup:
    """The lookup for the active language: the English one itself for English (so the
    English output stays exactly the ladder's own), else Django's catalogues."""
    return english if active_language() == DEFAULT_LANGUAGE else _gettext_lookup


def translate(message: Message) -> str:
    """One message in the active language."""
    return message.render(lookup())


def rung_shown(rung: Rung) -> Rung:
    """The rung with its texts in the active language."""
    return rung.translated(lookup())


def economy_shown(economy: Economy) -> Economy:
    """The economy with its texts in the active language."""
    return economy.translated(lookup())


def economy_name_shown(key: str | None) -> str:
    """An economy's name (or "None of the three") in the active language."""
    return economy_name(key, lookup())


def question_shown(question: Question) -> Question:
    """The question, with its choices, in the active language."""
    return question.translated(lookup())


def baseline_shown(rung_number: int) -> Baseline | None:
    """The 2007 baseline of a rung: the essay's quote, with its translation beside it in
    another language than English."""
    found = BASELINE_2007.get(rung_number)
    return None if found is None else found.translated(lookup())


def classification_shown(result: Classification) -> Classification:
    """A classification with the rung's name, explanation and warnings in the active
    language."""
    return result.translated(lookup())


def model_shown() -> dict[str, object]:
    """The whole model as JSON in the active language (``GET /api/ladder``)."""
    return model_as_dict(lookup())
