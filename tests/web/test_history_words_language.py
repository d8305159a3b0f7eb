"""Words the site writes into a case's history and trajectory, in the page's language:
a period's open end ("now"), what each revision did, a placement's line in a diff
("by", "sources"), the agreement chart's bar labels."""

from __future__ import annotations

import pytest
from django.utils import translation

from peerladder.catalogue import services
from peerladder.catalogue.history import diff_records, placement_text
from peerladder.catalogue.revision_summaries import ACTIONS, action_shown
from peerladder.insights import charts
from peerladder.ladder import english, period_label
from peerladder.lexicon import lookup_in
from tests.factories import WIKIPEDIA_ANSWERS, UserFactory, make_case


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("en", "2019–now"),
        ("es", "2019–ahora"),
        ("fr", "2019–aujourd'hui"),
        ("pt-br", "2019–agora"),
        ("de", "2019–heute"),
        ("it", "2019–oggi"),
    ],
)
def test_a_period_still_going_on_ends_now_in_each_language(language, label):
    assert period_label("2019", None, lookup_in(language)) == label
    assert period_label("2019", "2021", lookup_in(language)) == "2019–2021"


def test_english_period_labels_are_as_before():
    assert period_label("2019", None, english) == "2019–now"


@pytest.mark.parametrize("language", ["es", "fr", "pt-br", "de", "it"])
def test_every_revision_action_has_a_translation(language):
    with translation.override("en"):
        english_words = {action: action_shown(action) for action in ACTIONS}
    with translation.override(language):
        for action in ACTIONS:
            assert action_shown(action) != english_words[action], (language, action)


def test_an_unknown_action_is_shown_as_stored():
    with translation.override("de"):
        assert action_shown("something_new") == "something_new"


@pytest.mark.django_db
def test_the_history_page_names_what_each_revision_did_in_the_pages_language(client):
    case = make_case(slug="open-atlas", valid_from="2019")
    german = client.get(f"/de/cases/{case.slug}/history").content.decode()
    english_page = client.get(f"/cases/{case.slug}/history").content.decode()
    assert '<small class="muted">angelegt</small>' in german
    assert '<small class="muted">created</small>' in english_page


@pytest.mark.django_db
def test_the_case_page_says_where_the_latest_period_ends_in_its_language(client):
    case = make_case(slug="open-atlas", valid_from="2019")
    assert "2019–heute" in client.get(f"/de/cases/{case.slug}").content.decode()
    assert "2019–now" in client.get(f"/cases/{case.slug}").content.decode()


_PLACEMENT = {
    "valid_from": "2019",
    "valid_to": None,
    "author": "ana",
    "answers": {"q1": "yes"},
    "rationale": "Read from the sources.",
    "sources": ["https://example.org/a"],
}


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("2019–now by ana:", "[sources: https://example.org/a]")),
        ("es", ("2019–ahora por ana:", "[fuentes: https://example.org/a]")),
        ("fr", ("2019–aujourd'hui par ana\u00a0:", "[sources\u00a0: https://example.org/a]")),
        ("pt-br", ("2019–agora por ana:", "[fontes: https://example.org/a]")),
        ("de", ("2019–heute von ana:", "[Quellen: https://example.org/a]")),
        ("it", ("2019–oggi di ana:", "[fonti: https://example.org/a]")),
    ],
)
def test_a_placements_line_in_a_diff_is_in_the_readers_language(language, words):
    line = placement_text(_PLACEMENT, lookup_in(language))
    start, end = words
    assert line.startswith(start), line
    assert line.endswith(end), line
    assert "q1=yes. Read from the sources." in line


def test_a_translation_marked_editorial_says_yes_in_the_readers_language():
    before = {"translations": {}}
    after = {"translations": {"es": {"summary": "Un caso.", "editorial": True}}}
    marked = {
        language: [c.after for c in diff_records(before, after, lookup_in(language))]
        for language in ("en", "de")
    }
    assert "yes" in marked["en"]
    assert "ja" in marked["de"] and "yes" not in marked["de"]


@pytest.mark.django_db
def test_the_diff_page_writes_a_placements_line_in_the_pages_language(client):
    case = make_case(slug="open-atlas", valid_from="2019")
    spanish = client.get(f"/es/cases/{case.slug}/diff?from=0&to=1").content.decode()
    assert "2019–ahora por " in spanish
    assert "[fuentes: https://example.org/open-atlas]" in spanish
    assert "[sources:" not in spanish


@pytest.mark.django_db
def test_german_agreement_labels_keep_their_nouns_capitalised():
    case = make_case(slug="open-atlas", answers=WIKIPEDIA_ANSWERS)
    # A second account's reading of the same period: a mean agreement to show.
    services.placement_add(
        case=case,
        author=UserFactory(),
        answers=WIKIPEDIA_ANSWERS,
        valid_from="2001",
        valid_to=None,
        rationale="Another reading of the sources.",
        sources=["https://example.org/open-atlas"],
    )
    with translation.override("de"):
        spec = charts.agreement_chart().spec
    labels = [label for label in _labels(spec) if label.startswith("Sprosse")]
    assert labels
    assert any("ihre mittlere Übereinstimmung" in label for label in labels)
    assert not any("übereinstimmung" in label for label in labels)


def _labels(node):
    """Every bar's ``label`` anywhere in a chart's specification."""
    if isinstance(node, dict):
        if isinstance(node.get("label"), str):
            yield node["label"]
        for value in node.values():
            yield from _labels(value)
    elif isinstance(node, list):
        for value in node:
            yield from _labels(value)
