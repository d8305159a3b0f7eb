"""Extracts made in Python: matched words marked, everything else escaped."""

from __future__ import annotations

from peerladder.search.highlight import highlight, light_stem
from peerladder.search.query import parse_query


def test_matches_are_marked_in_their_other_forms():
    text = "Customers assemble the furniture; assembling takes an hour."
    html = highlight(text, parse_query("assembling"))
    assert html.count("<mark>") == 2
    assert "<mark>assemble</mark>" in html and "<mark>assembling</mark>" in html


def test_prefixes_and_accents():
    html = highlight("Wikipédia and Wikimedia", parse_query("wiki*"))
    assert html == "<mark>Wikipédia</mark> and <mark>Wikimedia</mark>"


def test_text_is_escaped_and_long_text_is_cut_around_the_first_match():
    text = "<b>x</b> & " + "filler " * 50 + "marmot " + "tail " * 50
    html = highlight(text, parse_query("marmot"), words=10)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>marmot</mark>" in html
    assert "<b>" not in highlight(text.replace("filler ", ""), parse_query("x"))


def test_no_match_gives_none():
    assert highlight("Nothing here", parse_query("marmot")) is None


def test_light_stem():
    assert light_stem("communities") == light_stem("community") == "communit"
    assert light_stem("ran") == "ran"
