"""The ladder's texts as keyed messages, so that the shells can translate them.

The ladder stays free of any translation machinery: every text it shows has a
stable message key (``rung.8.name``, ``procedure.step.rung``) and its English
template, which stays the one source of the English wording. A shell passes a
:data:`Lookup` (key and English in, the text in its language out) wherever the
ladder renders text; the default, :func:`english`, gives today's English
unchanged.

Keys are public to translators (they are the ``msgctxt`` of every catalogue
entry); the parameters of a template are named in braces (``{number}``) and
may themselves be messages, which are translated first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Lookup", "Message", "english", "is_english"]

Lookup = Callable[[str, str], str]
"""Translate one text: called with its message key and its English template."""


def english(key: str, text: str) -> str:
    """The English text itself: the lookup for English, and the default everywhere."""
    return text


def is_english(lookup: Lookup) -> bool:
    """Whether ``lookup`` is the English one (the shells pass it for ``en``)."""
    return lookup is english


@dataclass(frozen=True, slots=True)
class Message:
    """One text of the ladder: its key, its English template and its parameters.

    ``str()`` is the English text; :meth:`render` gives it in another language.
    A parameter is plain (a number, an answer value, a field name: it never changes
    with language) or another :class:`Message` (translated before it is put in).
    """

    key: str
    template: str
    params: tuple[tuple[str, object], ...] = ()

    def render(self, lookup: Lookup = english) -> str:
        """The text in the language of ``lookup``, its parameters filled in."""
        template = lookup(self.key, self.template)
        if not self.params:
            return template
        values = {
            name: value.render(lookup) if isinstance(value, Message) else value
            for name, value in self.params
        }
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation that lost or misspelt a placeholder: the English is better
            # than no page at all (the catalogue tests refuse such a translation).
            return self.template.format(**values)

    def filled(self, **params: object) -> Message:
        """This text with its parameters (a template listed once, used many times)."""
        return Message(self.key, self.template, tuple(params.items()))

    def __str__(self) -> str:
        return self.render(english)

    def as_dict(self) -> dict[str, object]:
        """Key, English text and plain parameters (nested messages by their key)."""
        return {
            "key": self.key,
            "text": str(self),
            "params": {
                name: value.key if isinstance(value, Message) else value
                for name, value in self.params
            },
        }

    def templates(self) -> Iterator[Message]:
        """This message and every message among its parameters, depth first."""
        yield self
        for _, value in self.params:
            if isinstance(value, Message):
                yield from value.templates()
