"""The pages that show the ladder show its texts in the page's language, and the essay's
words in English with their translation beside them, labelled as a translation."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from peerladder.ladder import BASELINE_2007
from peerladder.web.catalogue_cache import cached_by_catalogue
from tests.factories import make_case

pytestmark = pytest.mark.django_db

LABEL = "Traducción (las palabras del ensayo están en inglés)"
QUOTE_6_ES = "En Internet prosperan muchos intercambios no monetarios (modelo seis)."


def get_in(client, language: str, name: str, *args, query: str = ""):
    """The page in ``language``: its address and its rendering, both in that language."""
    with translation.override(language):
        response = client.get(reverse(name, args=args) + query)
        assert response.status_code == 200
        return html.unescape(response.content.decode())


def test_the_ladder_page_in_spanish(client, spanish):
    page = get_in(client, "es", "web:ladder")
    assert "Cocreación" in page
    assert "Economía del procomún" in page
    assert f'lang="en">{BASELINE_2007[6].quote}</q>' in page
    assert f"{LABEL}: “{QUOTE_6_ES}”" in page
    # Only rung 6's quote is translated: no other quote has a "translation" beside it.
    assert page.count(LABEL) == 1
    # Rungs without a translation yet keep their English.
    assert "Commons with a business ecology" in page


def test_the_ladder_page_in_english_shows_no_translation(client, spanish):
    page = get_in(client, "en", "web:ladder")
    assert "Co-creation" in page and "Cocreación" not in page
    assert "baseline-translation" not in page


def test_a_rung_page_in_spanish(client, spanish):
    page = get_in(client, "es", "web:rung-cases", 6)
    assert "Producción entre pares de valor de uso, sin monetizar" in page
    assert f"{LABEL}: “{QUOTE_6_ES}”" in page
    assert BASELINE_2007[6].quote in page


def test_the_questionnaire_in_spanish(client, spanish):
    page = get_in(client, "es", "web:ladder-classify")
    assert "¿Quién decide qué se hace?" in page
    assert "La empresa" in page
    # The answer values, the form's names, stay as they are.
    assert 'name="directed_by"' in page and 'value="firm"' in page


def test_the_questionnaires_result_in_spanish(client, spanish):
    page = get_in(
        client,
        "es",
        "web:ladder-classify",
        query="?directed_by=firm&participant_role=designs",
    )
    with translation.override("es"):
        heading = translation.gettext("Rung %(number)s: %(name)s") % {
            "number": 5,
            "name": "Cocreación",
        }
    assert heading in page and heading != "Rung 5: Cocreación"  # the interface's words too
    assert "Los participantes intervienen en el diseño del propio producto: peldaño 5" in page


def test_a_case_page_explains_its_placements_in_spanish(client, spanish):
    case = make_case(answers={"directed_by": "firm", "participant_role": "designs"})
    with translation.override("es"):
        response = client.get("/es" + case.get_absolute_url())
    page = html.unescape(response.content.decode())
    assert "La empresa decide qué se hace" in page
    assert "Cocreación" in page


def test_cached_figures_are_kept_apart_by_language(spanish):
    computed = []

    def compute():
        computed.append(translation.get_language())
        return translation.get_language()

    with translation.override("es"):
        assert cached_by_catalogue("test-figure", compute) == "es"
        assert cached_by_catalogue("test-figure", compute) == "es"
    with translation.override("en"):
        assert cached_by_catalogue("test-figure", compute) == "en"
    assert computed == ["es", "en"]
