"""The paths that keep search fast on a large catalogue, and that they change no result.

The text is matched once per search (by ``prepare``); counts, pages and facets
then start from the ids it found. A query past the rank window is ranked by a
score computed from the window's own rows on SQLite. Timing is never asserted.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue.models import Case
from peerladder.catalogue.selectors import CaseFilters
from peerladder.search import selectors
from peerladder.search.backends import backend_for, base
from peerladder.search.backends.base import IdIn, PreparedQuery
from peerladder.search.backends.sqlite_fts5 import term_pattern, window_score
from peerladder.search.query import Term, parse_query
from peerladder.search.selectors import search_facets, search_page
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    author = UserFactory()
    make_case(slug="in-description", name="Alpha", summary="Plain.", description="A zebra.")
    make_case(slug="in-summary", name="Beta", summary="About zebra things.", author=author)
    make_case(slug="in-name", name="Zebra Crossing", summary="Plain too.", author=author)
    make_case(
        slug="linux",
        name="Linux",
        answers=LINUX_ANSWERS,
        summary="A kernel with a zebra mascot.",
        countries=["FI", "US"],
        author=author,
    )
    make_case(
        slug="ikea",
        name="IKEA",
        answers=IKEA_ANSWERS,
        summary="Furniture, no zebra.",
        sector="manufacturing",
        countries=["SE"],
        author=author,
    )


def text_matches(queries) -> int:
    """The statements that match the text against the index (FTS5 or tsvector)."""
    return sum(" MATCH " in q["sql"] or "@@" in q["sql"] for q in queries)


def slugs(found) -> list[str]:
    return [case.slug for case in found.cases]


def test_prepare_finds_the_ids_of_the_matches_newest_first(catalogue):
    prepared = backend_for().prepare(parse_query("zebra"))
    newest_first = list(
        Case.objects.filter(slug__in=["in-description", "in-summary", "in-name", "linux", "ikea"])
        .order_by("-id")
        .values_list("id", flat=True)
    )
    assert prepared.ids == tuple(newest_first)
    assert prepared.window is None


def test_prepare_keeps_only_the_window_and_sets_the_floor(catalogue, monkeypatch):
    monkeypatch.setattr(base, "RANK_WINDOW", 2)
    prepared = backend_for().prepare(parse_query("zebra"))
    ids = sorted(Case.objects.values_list("id", flat=True), reverse=True)
    assert prepared.window == 2
    assert prepared.ids == tuple(ids[:2])
    assert prepared.floor == ids[2] + 1


@pytest.mark.parametrize("with_facets", [False, True])
def test_the_text_is_matched_once_per_search(catalogue, monkeypatch, with_facets):
    monkeypatch.setattr(base, "RANK_WINDOW", 3)
    with CaptureQueriesContext(connection) as windowed:
        found = search_page(filters=CaseFilters(query="zebra"), with_facets=with_facets)
    assert found.window == 3 and found.count == 3
    assert text_matches(windowed) == 1
    with CaptureQueriesContext(connection) as narrow:
        found = search_page(filters=CaseFilters(query="kernel"), with_facets=with_facets)
    assert slugs(found) == ["linux"]
    # Under the window: prepare, and (SQLite) the bm25 ranking, which needs MATCH, or
    # (PostgreSQL) the GIN lookup after the newest rows were looked at first.
    assert text_matches(narrow) == 2


def test_count_and_page_come_from_one_query(catalogue):
    with CaptureQueriesContext(connection) as queries:
        found = search_page(filters=CaseFilters(query="zebra"), page_size=2, with_facets=False)
    assert found.count == 5
    assert len(found.cases) == 2
    assert not any("COUNT(*) AS" in q["sql"] for q in queries)
    assert sum("OVER ()" in q["sql"] for q in queries) == 1


def test_pages_past_the_end_and_odd_numbers(catalogue):
    query = CaseFilters(query="zebra")
    all_five = slugs(search_page(filters=query, page_size=5, with_facets=False))
    third = search_page(filters=query, page=3, page_size=2, with_facets=False)
    assert slugs(third) == all_five[4:] and third.page.number == 3
    assert not third.page.has_next() and third.page.paginator.num_pages == 3
    past = search_page(filters=query, page=4, page_size=2, with_facets=False)
    assert past.count == 5 and past.cases == [] and past.page is None
    assert search_page(filters=query, page=-2, page_size=2, with_facets=False).page is None
    assert search_page(filters=query, page=0, page_size=2, with_facets=False).page.number == 1
    clamped = search_page(filters=query, page=99, page_size=2, clamp=True, with_facets=False)
    assert clamped.page.number == 3 and slugs(clamped) == all_five[4:]
    for odd in ("abc", "", None):
        first = search_page(filters=query, page=odd, page_size=2, clamp=True, with_facets=False)
        assert first.page.number == 1 and slugs(first) == all_five[:2]
    assert search_page(filters=query, page=-1, page_size=2, clamp=True).page.number == 3
    huge = 10**30
    assert search_page(filters=query, page=huge, with_facets=False).page is None
    assert search_page(filters=query, page=str(huge), clamp=True).page.number == 1


def test_pages_read_in_turn_give_every_match_once(catalogue):
    query = CaseFilters(query="zebra")
    seen = []
    for number in (1, 2, 3):
        seen += slugs(search_page(filters=query, page=number, page_size=2, with_facets=False))
    assert sorted(seen) == ["ikea", "in-description", "in-name", "in-summary", "linux"]


def test_a_query_without_matches_gives_an_empty_first_page(catalogue):
    found = search_page(filters=CaseFilters(query="okapi"), with_facets=False)
    assert found.count == 0 and found.cases == [] and found.page.number == 1


def test_other_sorts_need_no_ranking(catalogue):
    found = search_page(filters=CaseFilters(query="zebra"), sort="name", with_facets=False)
    assert slugs(found) == ["in-description", "in-summary", "ikea", "linux", "in-name"]


def test_a_windowed_query_still_ranks_name_above_summary_above_the_rest(catalogue, monkeypatch):
    monkeypatch.setattr(base, "RANK_WINDOW", 4)
    make_case(slug="newest-in-description", name="Gamma", summary="Plain.", description="zebra")
    found = search_page(filters=CaseFilters(query="zebra"), with_facets=False)
    assert found.window == 4
    # The four newest matches: ikea, linux and in-name, and the newest one.
    assert slugs(found)[0] == "in-name"
    assert set(slugs(found)[1:3]) == {"linux", "ikea"}
    assert slugs(found)[3] == "newest-in-description"


def test_shared_facets_equal_the_facets_counted_one_by_one(catalogue):
    filters = CaseFilters(query="zebra")
    prepared = backend_for().prepare(parse_query("zebra"))
    names = [name for name, _ in selectors.FACETS]
    together = selectors._shared_facet_rows(filters, prepared, names)
    for name in names:
        assert together[name] == selectors._facet_rows(filters, prepared, name), name


def test_a_facet_whose_filter_is_in_use_is_counted_without_it(catalogue):
    facets = search_facets(filters=CaseFilters(query="zebra", sector="manufacturing"))
    assert {row["value"]: row["count"] for row in facets["sector"]} == {
        "knowledge": 4,
        "manufacturing": 1,
    }
    assert sum(row["count"] for row in facets["rung"]) == 1


def test_the_shared_facets_time_out_together_and_the_rest_still_come(
    catalogue, monkeypatch, settings
):
    def too_slow(*args):
        raise selectors.TimedOut("stopped")

    monkeypatch.setattr(selectors, "_shared_facet_rows", too_slow)
    found = search_page(filters=CaseFilters(query="zebra", rung=8))
    assert found.timed_out_facets == ["economy", "sector", "production", "contested"]
    assert found.facets["rung"] and found.facets["country"]
    assert found.count == 1


def test_no_ids_match_nothing(catalogue):
    assert not Case.objects.filter(IdIn("id", [])).exists()
    some = list(Case.objects.order_by("id").values_list("id", flat=True)[:2])
    assert sorted(Case.objects.filter(IdIn("id", some)).values_list("id", flat=True)) == some


def test_a_prepared_query_without_ids_still_matches_the_text(catalogue):
    backend = backend_for()
    prepared = PreparedQuery(parse_query("kernel"))
    found = backend.ranked(Case.objects.all(), prepared)
    assert [case.slug for case in found] == ["linux"]
    assert [case.slug for case in backend.matching(Case.objects.all(), prepared)] == ["linux"]


@pytest.mark.parametrize(
    ("term", "pattern"),
    [
        (Term(("assembling",)), "assembl"),
        (Term(("open", "markets")), "open market"),
        (Term(("coop",), prefix=True), "coop"),
    ],
)
def test_term_patterns(term, pattern):
    assert term_pattern(term) == pattern


def test_the_window_score_weighs_name_and_summary_at_word_starts(catalogue):
    # SQLite ranks windowed queries with it; the expression works on either database.
    make_case(slug="tagged", name="Tagged", summary="Plain.", tags=["zebra"])
    make_case(slug="mid-word", name="Azebrad", summary="Plain.", description="zebra")
    make_case(slug="both", name="Zebras", summary="Zebra and more zebras.")
    scored = dict(
        Case.objects.annotate(score=window_score(parse_query("zebra"))).values_list("slug", "score")
    )
    assert scored["both"] == 15
    assert scored["in-name"] == 10
    assert scored["in-summary"] == scored["linux"] == scored["ikea"] == 5
    assert scored["in-description"] == scored["tagged"] == scored["mid-word"] == 0
