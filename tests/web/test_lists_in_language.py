"""Case lists in the reader's language (/cases, rung pages, the similar box), the
vocabularies' labels on the pages, and revision summaries in the history: the keys
and the stored text unchanged."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue import services
from peerladder.catalogue.models import Revision
from tests.factories import UserFactory, make_case
from tests.web.test_translation_pages import in_language

pytestmark = pytest.mark.django_db


def translated(slug: str, name: str, summary: str, *, es_name: str = "", es_summary: str):
    editor = UserFactory(username=f"ed-{slug}")
    case = make_case(slug=slug, name=name, summary=summary, author=editor)
    return services.translation_set(
        case=case,
        author=editor,
        language="es",
        texts={"name": es_name, "summary": es_summary},
        base_revision=1,
    )


@pytest.fixture
def two_cases():
    kitchen = translated(
        "kitchen",
        "Common kitchen",
        "A cooks' cooperative.",
        es_name="Cocina común",
        es_summary="Una cooperativa de cocineros.",
    )
    plain = make_case(slug="plainly", name="Plainly", summary="Nothing in Spanish yet.")
    return kitchen, plain


def _item(page: str, slug: str) -> str:
    """The HTML of the list item linking to the case ``slug``."""
    found = re.search(rf"<li>(?:(?!</li>).)*?/cases/{slug}\"(?:(?!</li>).)*</li>", page, re.S)
    assert found, slug
    return found.group(0)


def test_the_case_list_shows_spanish_text_where_there_is_some(client, two_cases):
    page = in_language(client, "/cases", "es").content.decode()
    kitchen = _item(page, "kitchen")
    assert ">Cocina común</a>" in kitchen and "Una cooperativa de cocineros." in kitchen
    assert "Common kitchen" not in kitchen
    assert 'lang="en"' not in kitchen
    plain = _item(page, "plainly")
    assert 'lang="en">Plainly</a>' in plain
    assert '<p class="summary" lang="en">Nothing in Spanish yet.</p>' in plain


def test_the_case_list_names_each_standing_rung_in_spanish(client, two_cases):
    from django.utils import translation

    from peerladder.ladder import rung
    from peerladder.lexicon import rung_shown

    kitchen, _ = two_cases
    with translation.override("es"):
        spanish = rung_shown(rung(kitchen.standing_rung)).name
    english = rung(kitchen.standing_rung).name
    assert spanish != english
    item = _item(in_language(client, "/cases", "es").content.decode(), "kitchen")
    assert f"{kitchen.standing_rung} · {spanish}</a>" in item and english not in item


def test_the_english_list_is_unchanged_and_has_no_lang_marks(client, two_cases):
    page = client.get("/cases", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    kitchen = _item(page, "kitchen")
    assert ">Common kitchen</a>" in kitchen and "Cocina" not in kitchen
    assert 'lang="en"' not in _item(page, "plainly")


def test_a_spanish_search_shows_the_extract_from_the_spanish_summary(client, two_cases):
    page = in_language(client, "/cases", "es", data={"q": "cooks"}).content.decode()
    kitchen = _item(page, "kitchen")
    assert ">Cocina común</a>" in kitchen
    # The words found are in the English summary only: its extract is marked English.
    assert '<p class="summary" lang="en">' in kitchen
    # Words of the Spanish summary: its own extract, in the page's language.
    page = in_language(client, "/cases", "es", data={"q": "cocineros"}).content.decode()
    kitchen = _item(page, "kitchen")
    assert '<p class="summary">Una cooperativa de <mark>cocineros</mark>.</p>' in kitchen


def test_the_case_list_reads_translations_in_one_query_whatever_the_rows(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert in_language(client, "/cases", "es").status_code == 200
        return len(captured)

    translated("one", "One", "First.", es_summary="Primero.")
    in_language(client, "/cases", "es")  # warm what is cached once per process
    few = queries()
    for number in range(2, 7):
        translated(f"n{number}", f"N{number}", "More.", es_summary=f"Más {number}.")
        make_case(slug=f"p{number}", name=f"P{number}")
    in_language(client, "/cases", "es")  # the facets are cached once per catalogue version
    many = queries()
    assert many == few


def test_a_rung_page_lists_its_cases_in_the_readers_language(client, two_cases):
    kitchen, _ = two_cases
    page = in_language(client, f"/ladder/{kitchen.standing_rung}", "es").content.decode()
    item = _item(page, "kitchen")
    assert ">Cocina común</a>" in item and "Una cooperativa de cocineros." in item
    assert 'lang="en">Plainly</a>' in _item(page, "plainly")


def test_a_rung_page_reads_translations_in_one_query_whatever_the_rows(client):
    def queries(number: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert in_language(client, f"/ladder/{number}", "es").status_code == 200
        return len(captured)

    rung = translated("one", "One", "First.", es_summary="Primero.").standing_rung
    queries(rung)
    few = queries(rung)
    for number in range(2, 7):
        translated(f"n{number}", f"N{number}", "More.", es_summary=f"Más {number}.")
    queries(rung)  # the contested list is cached once per catalogue version
    assert queries(rung) == few


def test_the_similar_box_shows_spanish_text(client, two_cases):
    from peerladder.search.indexes import rebuild_indexes

    assert rebuild_indexes().built
    page = in_language(client, "/cases/plainly", "es").content.decode()
    box = page[page.index('id="similar-title"') :]
    box = box[: box.index("</section>")]
    assert ">Cocina común</a>" in box and "Una cooperativa de cocineros." in box


def test_the_case_page_and_facets_name_vocabulary_terms_in_spanish(client):
    editor = UserFactory(username="ed")
    case = make_case(
        slug="bakery", sector="food", org_form="cooperative", production="both", author=editor
    )
    target = make_case(slug="mill", author=editor)
    services.relation_add(case=case, author=editor, relation={"type": "fork_of", "target": "mill"})
    page = in_language(client, "/cases/bakery", "es").content.decode()
    assert "<dd>Alimentación y agricultura</dd>" in page
    assert "<dd>Cooperativa</dd>" in page
    assert "<dd>Ambas, en medida sustancial</dd>" in page
    assert "es una bifurcación de" in page and "is a fork of" not in page
    listing = in_language(client, "/cases", "es").content.decode()
    assert 'value="food"> Alimentación y agricultura' in listing
    assert "Food and agriculture" not in listing
    assert target.slug == "mill"


def test_the_edit_form_offers_spanish_labels_for_the_same_keys(client):
    editor = UserFactory(username="ed")
    make_case(slug="bakery", author=editor)
    client.force_login(editor)
    page = in_language(client, "/cases/bakery/edit", "es").content.decode()
    assert re.search(r'value="cooperative"[^>]*>\s*Cooperativa', page)
    assert "Community without legal entity" not in page


def test_the_history_shows_the_sites_summaries_in_spanish_and_stores_english(client):
    kitchen = translated("kitchen", "Common kitchen", "Cooks.", es_summary="Cocineros.")
    page = in_language(client, f"/cases/{kitchen.slug}/history", "es").content.decode()
    assert "Caso creado" in page and "Traducido (Español)" in page
    assert "Created the case" not in page
    assert set(Revision.objects.filter(case=kitchen).values_list("summary", flat=True)) == {
        "Created the case",
        "Translated (Español)",
    }


def test_the_account_page_names_the_role_in_spanish(client):
    from peerladder.accounts.models import Role

    UserFactory(username="maria", role=Role.MODERATOR)
    page = in_language(client, "/accounts/maria", "es").content.decode()
    assert "Moderador" in page and "Moderator" not in page
