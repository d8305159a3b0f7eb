"""One test class for the full-text backends, run against the database configured.

The suite runs on SQLite (FTS5) by default and on PostgreSQL with
PEERLADDER_DATABASE_URL=postgresql://...; both backends must pass the same tests.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from peerladder.catalogue import services
from peerladder.catalogue.models import Case
from peerladder.catalogue.selectors import CaseFilters
from peerladder.search.backends import backend_for, base
from peerladder.search.query import parse_query
from peerladder.search.selectors import search_cases, search_page
from peerladder.search.triggers import POSTGRES_TRIGGERS, SQLITE_TRIGGERS, repair
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case


def slugs(text: str, **filters) -> list[str]:
    found = search_cases(filters=CaseFilters(query=text, **filters))
    return [case.slug for case in found]


@pytest.mark.django_db
class TestSearchBackend:
    """The behaviour every backend shares, whichever database runs the suite."""

    @pytest.fixture(autouse=True)
    def catalogue(self):
        make_case(
            slug="wikipedia",
            name="Wikipedia",
            summary="A free encyclopedia that volunteers write together.",
            description="Articles are edited by anyone; the foundation runs the servers.",
            tags=["encyclopedia", "wiki"],
        )
        make_case(
            slug="linux",
            name="Linux",
            answers=LINUX_ANSWERS,
            summary="An operating system kernel made by a worldwide community.",
            description="Companies sell support and hardware around the kernel.",
        )
        make_case(
            slug="ikea",
            name="IKEA",
            answers=IKEA_ANSWERS,
            summary="Furniture that customers carry home and assemble themselves.",
            description="Flat packs make the customer do a step of delivery.",
            sector="manufacturing",
            org_form="company",
        )

    def test_the_backend_suits_the_database(self):
        assert backend_for().vendor == connection.vendor

    def test_a_word_finds_the_cases_that_have_it(self):
        assert slugs("kernel") == ["linux"]
        assert slugs("furniture") == ["ikea"]

    def test_stemming_finds_other_forms_of_a_word(self):
        assert slugs("assembling") == ["ikea"]

    def test_a_name_match_ranks_above_a_summary_above_a_description(self):
        make_case(slug="in-description", name="Alpha", summary="Plain.", description="zebra")
        make_case(slug="in-summary", name="Beta", summary="About zebra things.")
        make_case(slug="in-name", name="Zebra", summary="Plain too.")
        assert slugs("zebra") == ["in-name", "in-summary", "in-description"]

    def test_tags_and_source_titles_are_searched(self):
        assert slugs("wiki") == ["wikipedia"]
        assert slugs('"about linux"') == ["linux"]  # the source title the factory gives

    def test_a_phrase_needs_its_words_together(self):
        assert slugs('"free encyclopedia"') == ["wikipedia"]
        assert slugs('"encyclopedia free"') == []

    def test_a_prefix_matches_longer_words(self):
        assert slugs("furnit*") == ["ikea"]
        assert slugs("kernel furn") == []  # a short last word is a prefix ...
        assert slugs("customers furn") == ["ikea"]
        assert slugs('"furn"') == []  # ... unless quoted
        assert slugs("furnit") == []  # longer ones need the star

    def test_or_and_exclusion(self):
        assert sorted(slugs("kernel OR furniture")) == ["ikea", "linux"]
        assert slugs("community -kernel") == []

    def test_every_word_must_match(self):
        assert slugs("kernel furniture") == []

    def test_other_filters_apply_to_the_matches(self):
        assert slugs("customers OR kernel", rung=3) == ["ikea"]

    def test_archived_cases_are_not_found(self):
        Case.objects.filter(slug="ikea").update(archived=True)
        assert slugs("furniture") == []

    def test_an_edit_through_the_services_is_searchable_at_once(self):
        linux = Case.objects.get(slug="linux")
        services.case_update(
            case=linux,
            author=UserFactory(),
            changes={"summary": "A penguin kernel."},
            base_revision=linux.revision_number,
        )
        assert slugs("penguin") == ["linux"]
        assert slugs("worldwide") == []

    def test_a_new_source_title_is_searchable(self):
        services.source_add(
            case=Case.objects.get(slug="ikea"),
            author=UserFactory(),
            source={"url": "https://example.org/flatpack", "title": "Smorgasbord of flatpacks"},
        )
        assert slugs("smorgasbord") == ["ikea"]

    def test_the_index_is_written_and_rolled_back_with_the_service_transaction(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_case(slug="ephemeral", name="Ephemeral Quokka")
            assert slugs("quokka") == ["ephemeral"]  # visible inside the transaction
            raise RuntimeError("the service's caller fails")
        assert slugs("quokka") == []

    def test_a_deleted_case_leaves_the_index(self):
        Case.objects.filter(slug="ikea").delete()
        assert slugs("furniture") == []

    def test_snippets_mark_matches_and_escape_everything_else(self):
        make_case(
            slug="tricky",
            name="Tricky",
            summary="Beware & be kind: the marmot <b>bold</b> is here.",
        )
        tricky = Case.objects.get(slug="tricky")
        backend = backend_for()
        prepared = backend.prepare(parse_query("marmot"))
        snippet = backend.snippets(prepared, [tricky.pk])[tricky.pk]
        assert "<mark>marmot</mark>" in snippet
        assert "&amp;" in snippet
        assert "<b>" not in snippet

    def test_search_page_counts_pages_and_gives_snippets(self):
        author = UserFactory()
        for number in range(5):
            make_case(slug=f"coop-{number}", author=author, summary="A bakery cooperative.")
        found = search_page(filters=CaseFilters(query="bakery"), page=2, page_size=2)
        assert found.count == 5
        assert len(found.cases) == 2
        assert all("<mark>" in found.snippets[case.pk] for case in found.cases)
        assert search_page(filters=CaseFilters(query="bakery"), page=9, page_size=2).cases == []

    def test_a_very_common_query_is_answered_from_the_newest_matches(self, monkeypatch):
        monkeypatch.setattr(base, "RANK_WINDOW", 2)
        make_case(slug="newest", name="Newest", summary="A kernel too.")
        found = search_page(filters=CaseFilters(query="kernel OR furniture"))
        assert found.window == 2
        assert found.count == 2
        assert sorted(case.slug for case in found.cases) == ["ikea", "newest"]
        assert "More than 2 cases match" in found.message
        assert sum(row["count"] for row in found.facets["rung"]) == 2
        assert search_page(filters=CaseFilters(query="furniture")).window is None

    def test_repair_recreates_lost_triggers_and_refills_the_index(self):
        # SQLite drops a table's triggers when a migration rebuilds the table.
        if connection.vendor == "postgresql":
            triggers = list(POSTGRES_TRIGGERS)
            tables = {"source": "catalogue_source", "translation": "catalogue_casetranslation"}
            drops = [
                f"DROP TRIGGER {name} ON "
                + next((t for key, t in tables.items() if key in name), "catalogue_case")
                for name in triggers
            ]
        else:
            triggers = list(SQLITE_TRIGGERS)
            drops = [f"DROP TRIGGER {name}" for name in triggers]
        with connection.cursor() as cursor:
            for statement in drops:
                cursor.execute(statement)
        make_case(slug="quokka", name="Quokka")
        assert slugs("quokka") == []
        assert repair(connection) == triggers
        assert slugs("quokka") == ["quokka"]
        assert repair(connection) == []

    @pytest.mark.parametrize(
        "text",
        [
            '"unclosed',
            "((kernel",
            "kernel))",
            "NOT",
            "😀 kernel 🎉",
            "x" * 3_000,  # long, within the URL limit (a longer URL is a 414: test_integrity_api)
            "kernel " * 1_500,
            "NEAR(kernel linux) name:kernel ^kernel * '; DROP TABLE catalogue_case; --",
            "\\ % _ ' \" :* <-> & | !",
        ],
    )
    def test_hostile_input_gives_results_or_a_message(self, text):
        found = search_page(filters=CaseFilters(query=text))
        assert found.cases or found.message or found.count == 0
        assert not found.timed_out


@pytest.mark.django_db
class TestSearchInEveryLanguage:
    """A case is found by its text in any language, on either database; PostgreSQL
    stems each language by its own rules."""

    TEXTS = {
        "es": "Las cooperativas de panaderos reparten el pan en bicicleta.",
        "fr": "Les boulangers coopératifs livrent le pain à vélo.",
        "pt-br": "As cooperativas de padeiros entregam o pão de bicicleta.",
        "de": "Genossenschaftliche Bäckereien liefern das Brot mit Lastenrädern.",
        "it": "Le cooperative di fornai consegnano il pane in bicicletta.",
    }

    @pytest.fixture(autouse=True)
    def catalogue(self):
        author = UserFactory()
        for language, text in self.TEXTS.items():
            case = make_case(slug=f"bakery-{language}", name="Bakery", summary="Bread by bike.")
            services.translation_set(
                case=case,
                author=author,
                language=language,
                texts={"summary": text},
                base_revision=1,
            )
        make_case(slug="plain", name="Plain", summary="Nothing translated.")

    @pytest.mark.parametrize(
        ("words", "language"),
        [
            ("panaderos", "es"),
            ("boulangers", "fr"),
            ("padeiros", "pt-br"),
            ("Lastenrädern", "de"),
            ("fornai", "it"),
            ("vélo", "fr"),
        ],
    )
    def test_a_translation_finds_its_case(self, words, language):
        assert slugs(words) == [f"bakery-{language}"]

    @pytest.mark.parametrize(
        ("words", "language", "porter_finds_it"),
        [
            ("padeiro", "pt-br", True),  # a plural -s: Porter's English rule takes it off
            ("entrega", "pt-br", False),  # entregam/entrega: only Portuguese rules
            ("cooperativa", "it", False),  # cooperative/cooperativa: only Italian rules
            ("Bäckerei", "de", False),  # Bäckereien/Bäckerei: only German rules
            ("coopérative", "fr", False),  # coopératifs/coopérative: only French rules
            ("reparte", "es", False),  # reparten/reparte: only Spanish rules
        ],
    )
    def test_postgresql_stems_each_language_by_its_rules_sqlite_only_by_porter(
        self, words, language, porter_finds_it
    ):
        found = f"bakery-{language}" in slugs(words)
        assert found is (True if connection.vendor == "postgresql" else porter_finds_it)

    def test_the_plural_s_is_stemmed_on_both_databases(self):
        # Porter (SQLite) and the Spanish stemmer (PostgreSQL) both take a plural -s off.
        assert "bakery-es" in slugs("panadero")

    def test_an_edited_translation_is_found_by_its_new_words_only(self):
        case = Case.objects.get(slug="bakery-es")
        services.translation_set(
            case=case,
            author=UserFactory(),
            language="es",
            texts={"summary": "Repartidores de leche."},
            base_revision=case.revision_number,
        )
        assert slugs("leche") == ["bakery-es"] and slugs("panaderos") == []

    def test_a_removed_translation_is_no_longer_found(self):
        case = Case.objects.get(slug="bakery-it")
        services.translation_set(
            case=case, author=UserFactory(), language="it", texts={}, base_revision=2
        )
        assert slugs("fornai") == []

    def test_the_language_facet_counts_the_matches(self):
        page = search_page(filters=CaseFilters(query="bakery"))
        assert page.facets["language"] == [
            {"value": code, "count": 1} for code in ("es", "fr", "pt-br", "de", "it")
        ]
        assert slugs("bakery", language="de") == ["bakery-de"]
