"""The summaries the services write on the revisions they make ("Created the case",
"Translated (Español)"), and how a page shows them in the reader's language.

A revision's summary is stored as written, in English: it is data, read by the API,
the exports and the feeds as it is. Each summary the services write comes from a
:class:`SummaryTemplate` here (the one definition of its English), marked with
``gettext_noop`` so that ``makemessages`` lists it in ``src/peerladder/locale``; a
page shows a stored summary through :func:`summary_shown`, which translates it when it
matches a template and leaves anything else (a contributor's own comment) as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from peerladder.catalogue.vocabulary import RELATION_TYPES
from peerladder.catalogue.vocabulary_labels import term_label

__all__ = ["ACTIONS", "SUMMARIES", "SummaryTemplate", "action_shown", "summary_shown"]

_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SummaryTemplate:
    """A revision summary in English, with ``{name}`` fields filled in when written."""

    english: str
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = _FIELD.split(self.english)
        regex = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
            for index, part in enumerate(parts)
        )
        object.__setattr__(self, "pattern", re.compile(regex, re.DOTALL))

    def text(self, **values: Any) -> str:
        """The summary to store: the English with its fields filled in."""
        return self.english.format(**values)

    def shown(self, summary: str) -> str | None:
        """``summary`` in the active language when this template wrote it, else None."""
        found = self.pattern.fullmatch(summary)
        if found is None:
            return None
        values = {name: _SHOWN.get(name, str)(value) for name, value in found.groupdict().items()}
        try:
            return gettext(self.english).format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that broke a field
            return None


# How a field's stored value is shown: a relation type's key by its label.
_SHOWN: dict[str, Callable[[str], str]] = {"type": lambda key: term_label(RELATION_TYPES, key)}

CREATED = SummaryTemplate(gettext_noop("Created the case"))
EDITED = SummaryTemplate(gettext_noop("Edited the case"))
SOURCE_ADDED = SummaryTemplate(gettext_noop("Added source {title}"))
# Translators: {type} is shown as the relation ("is a fork of"), {target} is a case's slug.
LINKED = SummaryTemplate(gettext_noop("Linked: {type} {target}"))
PLACED = SummaryTemplate(gettext_noop("Placed on rung {rung} from {period}"))
RETRACTED = SummaryTemplate(gettext_noop("Retracted a placement on rung {rung}"))
REVERTED = SummaryTemplate(gettext_noop("Reverted to revision {revision}"))
TRANSLATED = SummaryTemplate(gettext_noop("Translated ({language})"))
EDITORIAL_TRANSLATION = SummaryTemplate(gettext_noop("Editorial translation ({language})"))
TRANSLATION_REMOVED = SummaryTemplate(gettext_noop("Removed the translation ({language})"))
LOCKED = SummaryTemplate(gettext_noop("Locked the case"))
UNLOCKED = SummaryTemplate(gettext_noop("Unlocked the case"))
ARCHIVED = SummaryTemplate(gettext_noop("Archived the case"))
RESTORED = SummaryTemplate(gettext_noop("Restored the case"))
ROLLED_BACK = SummaryTemplate(gettext_noop("Rolled back {account}"))
ROLLED_BACK_SINCE = SummaryTemplate(
    gettext_noop("Rolled back the edits of {account} since {since}")
)
IMPORTED = SummaryTemplate(gettext_noop("Imported"))
IMPORTED_FROM = SummaryTemplate(gettext_noop("Imported from {source}"))
REPAIRED = SummaryTemplate(gettext_noop("Replaced characters no encoder can hold"))

SUMMARIES: tuple[SummaryTemplate, ...] = (
    CREATED,
    EDITED,
    SOURCE_ADDED,
    LINKED,
    PLACED,
    RETRACTED,
    REVERTED,
    TRANSLATED,
    EDITORIAL_TRANSLATION,
    TRANSLATION_REMOVED,
    LOCKED,
    UNLOCKED,
    ARCHIVED,
    RESTORED,
    ROLLED_BACK_SINCE,
    ROLLED_BACK,
    IMPORTED,
    IMPORTED_FROM,
    REPAIRED,
)


def summary_shown(summary: str) -> str:
    """A stored revision summary as a page shows it: translated into the active language
    when one of the services' templates wrote it, else exactly as stored."""
    for template in SUMMARIES:
        shown = template.shown(summary)
        if shown is not None:
            return shown
    return summary


# What each kind of revision did, as the history pages name it beside its summary. The
# key (``placement_add``) is what is stored and what the API and the exports give.
ACTIONS = {
    "create": pgettext_lazy("revision action", "created"),
    "edit": pgettext_lazy("revision action", "edited"),
    "source_add": pgettext_lazy("revision action", "source added"),
    "relation_add": pgettext_lazy("revision action", "relation added"),
    "placement_add": pgettext_lazy("revision action", "placed"),
    "placement_retract": pgettext_lazy("revision action", "placement retracted"),
    "revert": pgettext_lazy("revision action", "reverted"),
    "translate": pgettext_lazy("revision action", "translated"),
    "lock": pgettext_lazy("revision action", "locked"),
    "unlock": pgettext_lazy("revision action", "unlocked"),
    "archive": pgettext_lazy("revision action", "archived"),
    "restore": pgettext_lazy("revision action", "restored"),
    "repair": pgettext_lazy("revision action", "repaired"),
}


def action_shown(action: str) -> str:
    """A revision's action (``placement_add``) as the pages name it, in the active
    language; an action this list does not know, as it is stored."""
    label = ACTIONS.get(action)
    return action if label is None else str(label)
