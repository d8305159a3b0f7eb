"""Extracts with the matched words marked, computed from a case's text in Python.

Used where the database's own extract would cost too much (FTS5's ``snippet()``
re-reads the whole match list of every term for each row). Word forms are
compared after a light suffix strip, close to what the index's stemmer does;
it only decides what is highlighted, never what matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape

from peerladder.search.query import ParsedQuery

_TOKEN = re.compile(r"[^\W_]+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s", "e", "y")
MIN_STEM = 3


# A catalogue's words repeat: each distinct word is folded and stemmed once per process.
@lru_cache(maxsize=16384)
def _plain(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in folded if not unicodedata.combining(char))


@lru_cache(maxsize=16384)
def light_stem(word: str) -> str:
    plain = _plain(word)
    for suffix in _SUFFIXES:
        if plain.endswith(suffix) and len(plain) - len(suffix) >= MIN_STEM:
            return plain[: -len(suffix)]
    return plain


def _matcher(query: ParsedQuery) -> tuple[set[str], tuple[str, ...]]:
    stems: set[str] = set()
    prefixes: list[str] = []
    for group in query.groups:
        for term in group:
            for word in term.words:
                stems.add(light_stem(word))
            if term.prefix:
                prefixes.append(_plain(term.words[-1]))
    return stems, tuple(prefixes)


def highlight(text: str, query: ParsedQuery, *, words: int = 24) -> str | None:
    """Safe HTML: about ``words`` words of ``text`` around its first match, matches in
    ``<mark>``; None when nothing in ``text`` matches."""
    stems, prefixes = _matcher(query)
    tokens = list(_TOKEN.finditer(text))
    hits = [
        index
        for index, word in enumerate(token.group() for token in tokens)
        if light_stem(word) in stems or (prefixes and _plain(word).startswith(prefixes))
    ]
    if not hits:
        return None
    first = max(0, min(hits[0] - words // 4, len(tokens) - words))
    last = min(len(tokens), first + words)
    start = tokens[first].start() if first > 0 else 0
    end = tokens[last - 1].end() if last < len(tokens) else len(text)
    marked = set(hits)
    parts = ["…" if start > 0 else ""]
    position = start
    for index in range(first, last):
        token = tokens[index]
        parts.append(escape(text[position : token.start()], quote=False))
        shown = escape(token.group(), quote=False)
        parts.append(f"<mark>{shown}</mark>" if index in marked else shown)
        position = token.end()
    parts.append(escape(text[position:end], quote=False))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)
