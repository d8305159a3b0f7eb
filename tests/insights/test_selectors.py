"""The insights selectors: each figure against a direct query of the catalogue."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Avg
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue.models import Case, Placement
from peerladder.catalogue.selectors import CaseFilters
from peerladder.insights import selectors
from peerladder.ladder import krippendorff_alpha
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

LIVE = {"archived": False}


def test_rung_counts_cover_all_eleven_rungs_and_match_the_cases(catalogue):
    rows = selectors.rung_counts()
    assert [row["rung"] for row in rows] == list(range(1, 12))
    for row in rows:
        cases = Case.objects.filter(standing_rung=row["rung"], **LIVE)
        assert row["count"] == cases.count()
        assert row["contested"] == cases.filter(contested=True).count()
    assert (
        sum(row["count"] for row in rows)
        == Case.objects.filter(standing_rung__isnull=False, **LIVE).count()
    )


def test_archived_cases_are_counted_nowhere(catalogue):
    assert Case.objects.filter(archived=True).count() == 1
    assert selectors.totals()["cases"] == Case.objects.filter(**LIVE).count()
    assert selectors.rung_counts()[10]["count"] == 1  # etsy only; "gone" is archived


def test_totals_match_direct_queries(catalogue):
    figures = selectors.totals()
    live = Case.objects.filter(**LIVE)
    assert figures["cases"] == live.count() == 10
    assert figures["placed"] == live.filter(standing_rung__isnull=False).count()
    assert figures["contested"] == live.filter(contested=True).count() == 1
    assert figures["tied"] == 1
    assert (
        figures["placements"]
        == Placement.objects.filter(retracted_at__isnull=True, case__archived=False).count()
    )


def test_rung_economy_counts_split_each_rung_by_economy(catalogue):
    rows = selectors.rung_economy_counts()
    for row in rows:
        economy = None if row["economy"] == "none" else row["economy"]
        assert (
            row["count"]
            == Case.objects.filter(
                standing_rung=row["rung"], standing_economy=economy, **LIVE
            ).count()
        )
    assert {(row["rung"], row["economy"]) for row in rows} >= {(6, "commons"), (9, "sharing")}


def test_map_filters_by_sector_country_and_year(catalogue):
    assert selectors.totals(CaseFilters(sector="commerce"))["cases"] == 2
    assert selectors.totals(CaseFilters(country="US"))["cases"] == 2
    assert selectors.totals(CaseFilters(year_from=2000, year_to=2010))["cases"] == (
        Case.objects.filter(founded__gte=2000, founded__lte=2010, **LIVE).count()
    )
    marks = selectors.map_marks(CaseFilters(country="ES"))["marks"]
    assert [mark["slug"] for mark in marks] == ["mondragon"]


def test_map_marks_are_every_case_when_few(catalogue):
    sample = selectors.map_marks()
    assert not sample["sampled"]
    assert sample["total"] == len(sample["marks"]) == 9
    for mark in sample["marks"]:
        assert 0 <= mark["x_jitter"] < 1 and 0 <= mark["y_jitter"] < 1


def test_map_marks_sample_a_big_catalogue_and_keep_the_total(catalogue):
    sample = selectors.map_marks(limit=4)
    assert sample["sampled"]
    assert sample["total"] == 9
    assert 0 < len(sample["marks"]) <= 4


def test_founding_trend_counts_cases_per_year_and_rung(catalogue):
    rows = selectors.founding_trend()
    for row in rows:
        assert (
            row["count"]
            == Case.objects.filter(founded=row["year"], standing_rung=row["rung"], **LIVE).count()
        )
    assert (
        sum(row["count"] for row in rows)
        == Case.objects.filter(founded__isnull=False, standing_rung__isnull=False, **LIVE).count()
    )


def test_placement_trend_counts_placements_per_period_start(catalogue):
    rows = selectors.placement_trend()
    active = Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
    for row in rows:
        assert (
            row["count"]
            == active.filter(valid_from__startswith=str(row["year"]), rung=row["rung"]).count()
        )
    assert sum(row["count"] for row in rows) == active.count()


def test_trajectories_are_the_cases_that_moved(catalogue):
    moved = selectors.trajectories(now_year=2026)
    assert moved["moved"] == 1
    points = [(p["slug"], p["year"], p["rung"]) for p in moved["points"]]
    assert points == [
        ("couchsurfing", 2004, 6),
        ("couchsurfing", 2011, 9),
        ("couchsurfing", 2026, 9),
    ]


def test_a_tie_within_one_period_is_not_a_move(catalogue):
    slugs = {p["slug"] for p in selectors.trajectories()["points"]}
    assert "disputed" not in slugs and "mondragon" not in slugs


def test_viability_counts_use_the_costs_of_standing_placements(catalogue):
    rows = selectors.viability_counts()
    viable = {(row["rung"], row["count"]) for row in rows if row["viable"]}
    # Wikipedia (rung 6) and Couchsurfing's standing period (rung 9) answered both costs low;
    # Couchsurfing's earlier period is not its standing one.
    assert viable == {(6, 1), (9, 1)}
    high = [row for row in rows if row["capital_cost"] == "high"]
    assert [(row["rung"], row["coordination_cost"], row["count"]) for row in high] == [
        (3, "medium", 1)
    ]
    # Every standing placement is counted once: all active ones but Couchsurfing's first.
    active = Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
    assert sum(row["count"] for row in rows) == active.count() - 1


def test_agreement_by_rung_matches_direct_averages(catalogue):
    for row in selectors.agreement_by_rung():
        cases = Case.objects.filter(standing_rung=row["rung"], **LIVE)
        assert row["count"] == cases.count()
        mean = cases.aggregate(mean=Avg("agreement"))["mean"]
        assert row["mean_agreement"] == (None if mean is None else round(mean, 4))
        if row["count"]:
            assert row["contested_share"] == round(
                cases.filter(contested=True).count() / row["count"], 4
            )
    mondragon = selectors.agreement_by_rung()[9]
    assert mondragon["placed_by_several"] == 1


def test_alpha_uses_periods_placed_by_two_or_more(catalogue):
    units = sorted(sorted(unit) for unit in selectors.rater_units())
    assert units == [[8, 9], [10, 10, 11]]
    figure = selectors.catalogue_alpha()
    assert figure["units"] == 2 and figure["placements"] == 5
    assert figure["alpha"] == round(krippendorff_alpha(units), 4)


def test_alpha_is_none_without_shared_periods(db):
    make_case(slug="alone")
    assert selectors.catalogue_alpha() == {"alpha": None, "units": 0, "placements": 0}


def test_selectors_do_not_scale_queries_with_the_catalogue(catalogue):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.totals()
            selectors.rung_counts()
            selectors.rung_economy_counts()
            selectors.map_marks()
            selectors.founding_trend()
            selectors.placement_trend()
            selectors.viability_counts()
            selectors.agreement_by_rung()
            selectors.catalogue_alpha()
        return len(queries)

    before = count_queries()
    author = UserFactory()
    for index in range(8):
        make_case(slug=f"more-{index}", author=author, founded=2000 + index)
    assert count_queries() == before


def test_every_chart_applies_the_filters_it_is_given(catalogue):
    only_spain = CaseFilters(country="ES")
    viability = selectors.viability_counts(only_spain)
    assert sum(row["count"] for row in viability) == (
        Placement.objects.filter(
            retracted_at__isnull=True, case__archived=False, case__country_rows__code="ES"
        ).count()
    )
    assert selectors.trajectories(CaseFilters(country="ZZ"))["moved"] == 0
    assert selectors.placement_trend(CaseFilters(country="ZZ")) == []
    assert selectors.totals(CaseFilters(country="ZZ"))["placements"] == 0


def test_a_text_query_is_refused_not_matched_by_name(catalogue):
    with pytest.raises(ValueError, match="search"):
        selectors.totals(CaseFilters(query="mondragon"))
