"""What people type into the search box, parsed into terms that never make a query fail.

The syntax (documented in docs/search.md) follows web search engines:

- ``linux kernel``: both words, in any field. A last bare word of three or
  four letters also matches words that begin with it (``wiki`` finds
  Wikipedia): a short last word is often the start of one. Longer prefixes
  need the ``*``, which keeps common queries on the index's prefix tables.
- ``"open source"``: the phrase; ``"wiki"`` alone: the word only, no prefix.
- ``coop*``: words beginning with ``coop``.
- ``linux OR bsd``: either; ``-microsoft`` or ``NOT microsoft``: without it.

Everything else (parentheses, other operators, punctuation, emoji) is dropped
rather than rejected, and a query too long is cut at :data:`MAX_GROUPS` words
with a note. Backends compile a :class:`ParsedQuery` into their own syntax from
words made only of letters and digits, so no user text reaches a MATCH or a
tsquery unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_GROUPS = 12
MAX_EXCLUDED = 6
MAX_PHRASE_WORDS = 8
IMPLICIT_PREFIX_MIN = 3
IMPLICIT_PREFIX_MAX = 4
MAX_WORD_LENGTH = 64

# A quoted phrase (the closing quote may be missing), or a run of non-space text.
_TOKEN = re.compile(r'(?P<sign>-?)"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One word or phrase; ``prefix`` makes its last word match as a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Every group must match (AND); a group matches when any of its terms does (OR)."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def words(self) -> list[str]:
        """The distinct words looked for, in order (for highlighting elsewhere)."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for term in group:
                for word in term.words:
                    seen.setdefault(word, None)
        return list(seen)


def _words(text: str) -> tuple[str, ...]:
    return tuple(word[:MAX_WORD_LENGTH] for word in _WORD.findall(text.casefold()))


def _bare_terms(text: str) -> tuple[Term, ...]:
    """A bare token: ``word``, ``word*``, or punctuated text such as ``peer-to-peer``."""
    words = _words(text)[:MAX_PHRASE_WORDS]
    if not words:
        return ()
    return (Term(words, prefix=text.endswith("*")),)


def parse_query(text: str) -> ParsedQuery:
    """Parse ``text``; never raises. An empty result carries a note saying why."""
    groups: list[tuple[Term, ...]] = []
    excluded: list[Term] = []
    notes: list[str] = []
    join_next = False
    negate_next = False
    dropped = 0
    # Where the last bare single word went (group, position): it becomes a prefix.
    last_bare: tuple[int, int] | None = None
    if text.count('"') % 2:
        notes.append("A quotation mark was not closed; the phrase runs to the end.")
    for match in _TOKEN.finditer(text):
        bare = match.group("bare")
        if bare is not None and bare.upper() in ("OR", "|"):
            join_next = bool(groups)
            continue
        if bare is not None and bare.upper() in ("AND", "&"):
            continue
        if bare is not None and bare.upper() == "NOT":
            negate_next = True
            continue
        if bare is None:
            negated = bool(match.group("sign"))
            phrase = _words(match.group("phrase"))[:MAX_PHRASE_WORDS]
            terms: tuple[Term, ...] = (Term(phrase),) if phrase else ()
        else:
            negated = bare.startswith("-") and len(bare) > 1
            terms = _bare_terms(bare[1:] if negated else bare)
        negated = negated or negate_next
        negate_next = False
        if not terms:
            join_next = False
            continue
        if negated:
            if len(excluded) < MAX_EXCLUDED:
                excluded.extend(terms[:1])
            else:
                dropped += 1
        elif join_next:
            groups[-1] = (*groups[-1], *terms)
        elif len(groups) < MAX_GROUPS:
            groups.append(terms)
        else:
            dropped += 1
            terms = ()
        if bare is not None and not negated and terms and len(terms[0].words) == 1:
            last_bare = (len(groups) - 1, len(groups[-1]) - 1)
        join_next = False
    if last_bare is not None:
        index, position = last_bare
        term = groups[index][position]
        if IMPLICIT_PREFIX_MIN <= len(term.words[0]) <= IMPLICIT_PREFIX_MAX and not term.prefix:
            group = list(groups[index])
            group[position] = Term(term.words, prefix=True)
            groups[index] = tuple(group)
    if dropped:
        notes.append(
            f"Only the first {MAX_GROUPS} words were searched for; {dropped} more were left out."
        )
    if not groups:
        if excluded:
            notes.append("Add a word to look for: a search cannot only leave words out.")
            excluded = []
        elif text.strip():
            notes.append("Nothing to search for: type some words made of letters or digits.")
    return ParsedQuery(groups=tuple(groups), excluded=tuple(excluded), notes=tuple(notes))
