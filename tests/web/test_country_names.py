"""Countries named in the reader's language (CLDR through Babel) wherever the pages and
the report name them, English by default; codes unchanged in the URLs, the API and
the exports."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from peerladder.catalogue import services
from peerladder.catalogue.models import Case
from peerladder.catalogue.vocabulary_labels import country_label
from tests.factories import UserFactory, make_case
from tests.web.test_translation_pages import in_language


def test_a_country_is_named_in_the_active_language_and_in_english_without_one():
    assert country_label("DE") == "Germany"
    assert country_label("GB") == "United Kingdom"
    with translation.override("es"):
        assert country_label("DE") == "Alemania"
    with translation.override("pt-br"):
        assert country_label("DE") == "Alemanha"
        assert country_label("CI") == "Costa do Marfim"
    with translation.override("de"):
        assert country_label("US") == "Vereinigte Staaten"


def test_a_language_can_be_named_instead_of_the_active_one():
    assert country_label("NL", "fr") == "Pays-Bas"
    assert country_label("NL", "it") == "Paesi Bassi"
    assert country_label("NL", "pt_BR") == "Países Baixos"
    with translation.override("de"):
        assert country_label("NL", "en") == "Netherlands"


def test_a_code_no_list_knows_is_shown_as_it_is():
    with translation.override("es"):
        assert country_label("QQ") == "QQ"


def test_the_names_follow_the_language_in_one_process():
    """The names are cached per language: one language read first freezes none."""
    with translation.override("it"):
        assert country_label("CH") == "Svizzera"
    with translation.override("fr"):
        assert country_label("CH") == "Suisse"
    assert country_label("CH") == "Switzerland"


@pytest.fixture
def countries(db):
    author = UserFactory()
    make_case(slug="werk", name="Werk", countries=["DE", "US"], author=author)
    make_case(slug="usine", name="Usine", countries=["US"], author=author)
    for slug, code in (("uhr", "CH"), ("molen", "NL")):
        make_case(slug=slug, name=slug.title(), countries=[code], author=author)


def _countries_dd(page: str) -> str:
    found = re.search(
        r"<dt>[^<]*</dt><dd>((?:<a href=\"[^\"]*\?country=[A-Z]{2}\">[^<]*</a>(?:, )?)+)", page
    )
    assert found, "no countries on the case page"
    return found.group(1)


def test_the_case_page_names_its_countries_in_spanish_and_links_them_by_code(client, countries):
    listed = _countries_dd(in_language(client, "/cases/werk", "es").content.decode())
    assert listed == (
        '<a href="/es/cases?country=DE">Alemania</a>, '
        '<a href="/es/cases?country=US">Estados Unidos</a>'
    )


def test_the_case_page_names_its_countries_in_english_by_default(client, countries):
    listed = _countries_dd(client.get("/cases/werk").content.decode())
    assert (
        listed
        == '<a href="/cases?country=DE">Germany</a>, <a href="/cases?country=US">United States</a>'
    )


def _country_facet(page: str) -> list[tuple[str, str]]:
    """(code, label) of each checkbox of the country facet, in the page's order."""
    facet = page.split('id="facet-country"')[1].split("</fieldset>")[0]
    return re.findall(r'name="country" value="([A-Z]{2})"[^>]*> ([^<]+?) <small>', facet)


def test_the_country_facet_is_in_german_most_frequent_first_equals_alphabetically(
    client, countries
):
    facet = _country_facet(in_language(client, "/cases", "de").content.decode())
    assert facet == [
        ("US", "Vereinigte Staaten"),
        ("DE", "Deutschland"),
        ("NL", "Niederlande"),
        ("CH", "Schweiz"),
    ]


def test_equal_counts_follow_each_language_s_alphabet(client, countries):
    facet = _country_facet(in_language(client, "/cases", "es").content.decode())
    assert facet == [
        ("US", "Estados Unidos"),
        ("DE", "Alemania"),
        ("NL", "Países Bajos"),
        ("CH", "Suiza"),
    ]
    facet = _country_facet(client.get("/cases").content.decode())
    assert facet == [
        ("US", "United States"),
        ("DE", "Germany"),
        ("NL", "Netherlands"),
        ("CH", "Switzerland"),
    ]


def test_a_chosen_country_is_named_in_the_reader_s_language(client, countries):
    page = client.get("/it/cases?country=CH").content.decode()
    chosen = page.split('<ul class="chosen"')[1].split("</ul>")[0]
    assert "Svizzera" in chosen and "Switzerland" not in chosen


def test_the_list_keeps_codes_with_the_name_in_the_reader_s_language(client, countries):
    page = in_language(client, "/cases", "fr").content.decode()
    assert '<abbr title="Allemagne">DE</abbr>, <abbr title="États-Unis">US</abbr>' in page


def test_an_earlier_revision_names_its_countries_in_the_reader_s_language(client, countries):
    case = Case.objects.get(slug="werk")
    services.case_update(
        case=case,
        author=case.revisions.first().author,
        changes={"countries": ["FR"]},
        base_revision=1,
    )
    page = client.get("/pt-br/cases/werk?revision=1").content.decode()
    assert "Alemanha, Estados Unidos" in page


def test_the_insights_filter_names_its_country_in_the_reader_s_language(client, countries):
    page = client.get("/de/insights?country=CH").content.decode()
    assert "Schweiz" in page and "Switzerland" not in page


def test_the_api_and_the_exports_keep_the_codes(client, countries):
    body = client.get("/api/cases/werk", HTTP_ACCEPT_LANGUAGE="es").json()
    assert body["countries"] == ["DE", "US"]
    exported = client.get("/api/export?format=jsonl", HTTP_ACCEPT_LANGUAGE="de")
    text = b"".join(exported.streaming_content).decode()
    assert '"countries":["DE","US"]' in text.replace(" ", "")
    assert "Deutschland" not in text
