"""Text the databases can hold (text.py): the quick paths for ASCII give what the full
rules give."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from peerladder.text import _UNDECOMPOSED, _UNSTORABLE, sort_key, unstorable

ascii_text = st.text(alphabet=st.characters(max_codepoint=0x7F))


@given(ascii_text)
def test_ascii_sorts_as_the_full_rule_sorts_it(text):
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    assert sort_key(text) == plain.casefold().translate(_UNDECOMPOSED)


@given(ascii_text)
def test_ascii_is_refused_exactly_where_the_pattern_finds_a_character(text):
    found = _UNSTORABLE.search(text)
    problem = unstorable(text)
    if found is None:
        assert problem is None
    else:
        assert problem is not None and problem.position == found.start() + 1


def test_a_nul_in_ascii_text_is_still_found():
    assert str(unstorable("ab\x00c")) == "U+0000 at character 3"


def test_accents_and_ligatures_still_sort_by_their_letters():
    assert sort_key("Émilie") == "emilie"
    assert sort_key("Ørsted") == "orsted"
    assert sort_key("Ærø") == "aero"
