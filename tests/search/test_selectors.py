"""Facets that respect the query, time budgets, and duplicate candidates."""

from __future__ import annotations

import pytest
from django.db import connection

from peerladder.catalogue.selectors import CaseFilters
from peerladder.search import selectors
from peerladder.search.budget import TimedOut, run_within
from peerladder.search.selectors import (
    duplicate_candidates,
    search_facets,
    search_page,
    website_host,
)
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    make_case(
        slug="wikipedia",
        name="Wikipedia",
        summary="A free encyclopedia.",
        website="https://www.wikipedia.org/",
        wikidata="Q52",
        countries=["US"],
    )
    make_case(
        slug="linux",
        name="Linux",
        answers=LINUX_ANSWERS,
        summary="A free kernel.",
        countries=["FI", "US"],
    )
    make_case(
        slug="ikea",
        name="IKEA",
        answers=IKEA_ANSWERS,
        summary="Furniture, not free.",
        countries=["SE"],
        sector="manufacturing",
    )


def counts(facet):
    return {row["value"]: row["count"] for row in facet}


def test_facets_count_only_the_matches(catalogue):
    facets = search_facets(filters=CaseFilters(query="encyclopedia OR kernel"))
    assert counts(facets["rung"]) == {6: 1, 8: 1}
    assert counts(facets["country"]) == {"US": 2, "FI": 1}
    assert counts(facets["sector"]) == {"knowledge": 2}


def test_each_facet_respects_the_query_and_the_other_filters_but_not_itself(catalogue):
    facets = search_facets(filters=CaseFilters(query="free", rung=8, country="US"))
    assert counts(facets["rung"]) == {6: 1, 8: 1}
    assert counts(facets["country"]) == {"FI": 1, "US": 1}
    assert counts(facets["sector"]) == {"knowledge": 1}


def _slow_query():
    # Long enough to outlast a 50 ms budget by far on either database.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(3)")
        else:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                "WHERE i < 100000000) SELECT count(*) FROM n"
            )
        return cursor.fetchall()


def test_a_query_past_its_budget_is_stopped_and_the_connection_still_works(catalogue):
    with pytest.raises(TimedOut):
        run_within(50, _slow_query)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert run_within(1000, lambda: 42) == 42


def test_a_facet_past_its_budget_is_reported_and_results_still_come(
    catalogue, monkeypatch, settings
):
    settings.FACET_TIME_LIMIT_MS = 50
    original = selectors._facet_rows

    def slow_country(filters, parsed, name):
        if name == "country":
            _slow_query()
        return original(filters, parsed, name)

    monkeypatch.setattr(selectors, "_facet_rows", slow_country)
    found = search_page(filters=CaseFilters(query="free"))
    assert found.facets["country"] == {"timed_out": True}
    assert found.timed_out_facets == ["country"]
    assert counts(found.facets["rung"]) == {3: 1, 6: 1, 8: 1}
    assert found.count == 3


def test_a_search_past_its_budget_gives_a_message_not_an_error(catalogue, settings, monkeypatch):
    settings.SEARCH_TIME_LIMIT_MS = 50
    original = selectors._one_page

    def slow_page(ordered, **kwargs):
        _slow_query()
        return original(ordered, **kwargs)

    monkeypatch.setattr(selectors, "_one_page", slow_page)
    found = search_page(filters=CaseFilters(query="free"), with_facets=False)
    assert found.timed_out
    assert found.cases == []
    assert "took too long" in found.message


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.Wikipedia.org/wiki/x", "wikipedia.org"),
        ("wikipedia.org", "wikipedia.org"),
        ("http://example.org:8080/", "example.org"),
        ("", None),
        ("http://[bad", None),
    ],
)
def test_website_host(url, host):
    assert website_host(url) == host


def test_duplicates_by_wikidata_website_and_name(catalogue):
    by_wikidata = duplicate_candidates(wikidata="q52")
    assert [(d["case"].slug, d["reasons"]) for d in by_wikidata] == [("wikipedia", ["wikidata"])]
    by_site = duplicate_candidates(website="http://wikipedia.org/about")
    assert [(d["case"].slug, d["reasons"]) for d in by_site] == [("wikipedia", ["website"])]
    by_name = duplicate_candidates(name="Wikipedía!")
    assert [(d["case"].slug, d["reasons"]) for d in by_name] == [("wikipedia", ["name"])]


def test_duplicates_strongest_first_and_none_for_a_new_case(catalogue):
    found = duplicate_candidates(name="Linux", website="https://wikipedia.org", wikidata="Q52")
    assert [d["case"].slug for d in found] == ["wikipedia", "linux"]
    assert found[0]["reasons"] == ["wikidata", "website"]
    assert duplicate_candidates(name="Mondragon", website="https://mondragon.example") == []
    assert duplicate_candidates(name="((( 😀") == []
