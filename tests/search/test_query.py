"""Parsing what people type: never an error, always safe terms."""

from __future__ import annotations

import pytest

from peerladder.search.backends.postgres import tsquery_text
from peerladder.search.backends.sqlite_fts5 import match_expression
from peerladder.search.query import MAX_GROUPS, Term, parse_query


def test_bare_words_match_whole_but_a_short_last_one_also_as_a_prefix():
    parsed = parse_query("Encyclopedia wiki")
    assert parsed.groups == ((Term(("encyclopedia",)),), (Term(("wiki",), prefix=True),))
    assert parse_query('wiki "free"').groups[0] == (Term(("wiki",), prefix=True),)
    assert parse_query("wiki ai").groups[1] == (Term(("ai",)),)
    assert parse_query("wiki encyclopedi").groups[1] == (Term(("encyclopedi",)),)


def test_quotes_make_a_phrase_and_star_a_prefix():
    parsed = parse_query('"open source" coop*')
    assert parsed.groups == ((Term(("open", "source")),), (Term(("coop",), prefix=True),))


def test_or_joins_and_minus_excludes():
    parsed = parse_query("linux OR bsd -microsoft NOT oracle")
    assert parsed.groups == ((Term(("linux",)), Term(("bsd",), prefix=True)),)
    assert parsed.excluded == (Term(("microsoft",)), Term(("oracle",)))


def test_short_words_are_not_prefixes_and_punctuation_splits_words():
    parsed = parse_query("ai peer-to-peer")
    assert parsed.groups == ((Term(("ai",)),), (Term(("peer", "to", "peer")),))


@pytest.mark.parametrize(
    "text",
    [
        '"unclosed phrase',
        "((linux",
        "linux))",
        "AND OR NOT",
        "😀🎉",
        "a" * 10_000,
        "word " * 2_000,
        "NEAR(a b) col:x ^start {a b}: * ' ; -- DROP TABLE catalogue_case",
        "\x00\x01\ue000 <script>",
        "-",
        "OR linux",
    ],
)
def test_hostile_text_never_raises_and_yields_only_letters_and_digits(text):
    parsed = parse_query(text)
    assert len(parsed.groups) <= MAX_GROUPS
    for group in parsed.groups:
        for term in group:
            assert all(word.isalnum() for word in term.words)
    if not parsed.is_empty:
        assert '"' not in "".join(w for g in parsed.groups for t in g for w in t.words)
        match_expression(parsed)
        tsquery_text(parsed)


def test_nothing_searchable_says_why():
    assert parse_query("((( 😀").notes == (
        "Nothing to search for: type some words made of letters or digits.",
    )
    only_excluded = parse_query("-linux")
    assert only_excluded.is_empty
    assert "cannot only leave words out" in only_excluded.notes[0]


def test_a_long_query_is_cut_with_a_note():
    parsed = parse_query(" ".join(f"word{n}" for n in range(40)))
    assert len(parsed.groups) == MAX_GROUPS
    assert "first 12 words" in parsed.notes[0]


def test_compiled_expressions_quote_every_word():
    parsed = parse_query('"open source" coop* -oracle')
    assert match_expression(parsed) == '(("open source") AND ("coop"*)) NOT ("oracle")'
    assert tsquery_text(parsed) == "((('open' <-> 'source')) & ('coop':*)) & !('oracle')"
