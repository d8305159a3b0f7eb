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
from tests.factories import LINUX_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory, make_case
from tests.insights.conftest import EBAY_ANSWERS, place

pytestmark = pytest.mark.django_db

LIVE = {"archived": False}


def live():
    return Case.objects.filter(**LIVE)


def agreed():
    return live().filter(standing_rung__isnull=False, contested=False)


def test_every_case_is_agreed_contested_or_unplaced_and_the_three_add_up(catalogue):
    make_case(slug="unplaced-later")
    Case.objects.filter(slug="unplaced-later").update(placement_count=0, standing_rung=None)
    figures = selectors.totals()
    assert figures["cases"] == live().count() == 13
    assert figures["agreed"] == agreed().count() == 10
    assert figures["contested"] == live().filter(contested=True).count() == 2
    assert figures["tied"] == 1
    assert figures["unplaced"] == 1
    assert figures["agreed"] + figures["contested"] + figures["unplaced"] == figures["cases"]
    assert figures["placements"] == (
        Placement.objects.filter(retracted_at__isnull=True, case__archived=False).count()
    )


def test_contested_splits_name_every_rung_a_case_is_split_between(catalogue):
    splits = {split["slug"]: split for split in selectors.contested_splits()}
    assert set(splits) == {"disputed", "split"}
    assert splits["disputed"]["counts"] == {8: 1, 9: 1}
    assert splits["disputed"]["label"] == "8 vs 9, 1–1"
    assert splits["disputed"]["leading"] is None
    assert splits["split"]["counts"] == {6: 2, 8: 1, 11: 1}
    assert splits["split"]["label"] == "6 vs 8 vs 11, 2–1–1"
    assert splits["split"]["leading"] == 6
    assert splits["split"]["economies"] == {6: "commons", 8: "commons", 11: None}


def test_one_account_placing_a_period_twice_counts_once(catalogue):
    rethought = Case.objects.get(slug="rethought")
    assert Placement.objects.filter(case=rethought).count() == 2
    assert not rethought.contested and rethought.standing_rung == 8
    standing = selectors.standing_placements().filter(case=rethought)
    assert list(standing.values_list("rung", flat=True)) == [8]
    assert "rethought" not in {s["slug"] for s in selectors.contested_splits()}


def test_rung_counts_draw_contested_cases_at_each_of_their_rungs(catalogue):
    rows = {row["rung"]: row for row in selectors.rung_counts()}
    assert [row for row in rows] == list(range(1, 12))
    for number, row in rows.items():
        assert row["agreed"] == agreed().filter(standing_rung=number).count()
        assert row["count"] == row["agreed"] + row["contested"]
    assert {n: rows[n]["contested"] for n in (6, 8, 9, 11)} == {6: 1, 8: 2, 9: 1, 11: 1}
    assert rows[10]["contested"] == 0  # Mondragon's 2 of 3 is agreement, not dispute


def test_rung_counts_reconcile_with_the_catalogue(catalogue):
    rows = selectors.rung_counts()
    figures = selectors.totals()
    assert (
        sum(row["agreed"] for row in rows) + figures["contested"] + figures["unplaced"]
        == live().count()
    )


def test_archived_cases_are_counted_nowhere(catalogue):
    assert Case.objects.filter(archived=True).count() == 1
    assert selectors.totals()["cases"] == live().count()
    assert selectors.rung_counts()[10]["agreed"] == 1  # etsy only; "gone" is archived


def test_rung_economy_counts_split_each_rung_by_economy(catalogue):
    rows = selectors.rung_economy_counts()
    for row in rows:
        economy = None if row["economy"] == "none" else row["economy"]
        assert (
            row["agreed"]
            == agreed().filter(standing_rung=row["rung"], standing_economy=economy).count()
        )
    by_key = {(row["rung"], row["economy"]): row for row in rows}
    assert by_key[(11, "none")]["contested"] == 1  # the split case's eBay-like placement
    assert by_key[(8, "commons")]["contested"] == 2
    assert sum(row["agreed"] for row in rows) == agreed().count()


def test_rung_production_counts_cover_every_rung_and_production(catalogue):
    rows = selectors.rung_production_counts()
    assert len(rows) == 11 * 4
    for row in rows:
        production = None if row["production"] == "not recorded" else row["production"]
        assert (
            row["agreed"]
            == agreed().filter(standing_rung=row["rung"], production=production).count()
        )
    immaterial_six = next(r for r in rows if r["rung"] == 6 and r["production"] == "immaterial")
    assert immaterial_six["contested"] == 1


def test_map_filters_by_sector_country_and_year(catalogue):
    assert selectors.totals(CaseFilters(sector="commerce"))["cases"] == 2
    assert selectors.totals(CaseFilters(country="US"))["cases"] == 2
    assert selectors.totals(CaseFilters(year_from=2000, year_to=2010))["cases"] == (
        live().filter(founded__gte=2000, founded__lte=2010).count()
    )
    marks = selectors.map_marks(CaseFilters(country="ES"))["marks"]
    assert [mark["slug"] for mark in marks] == ["mondragon"]


def test_map_marks_draw_every_case_and_contested_ones_at_each_rung(catalogue):
    sample = selectors.map_marks()
    assert not sample["sampled"]
    assert sample["total"] == 12 and sample["contested"] == 2
    marks = sample["marks"]
    assert len(marks) == 10 + 2 + 3  # agreed once; 2 and 3 rungs for the contested
    disputed = sorted((m["rung"], m["split"]) for m in marks if m["slug"] == "disputed")
    assert disputed == [(8, "8 vs 9, 1–1"), (9, "8 vs 9, 1–1")]
    assert all(m["contested"] for m in marks if m["slug"] in ("disputed", "split"))
    assert not any(m["contested"] for m in marks if m["slug"] not in ("disputed", "split"))
    for mark in marks:
        assert 0 <= mark["x_jitter"] < 1 and 0 <= mark["y_jitter"] < 1


def test_map_marks_sample_a_big_catalogue_and_keep_the_total(catalogue):
    sample = selectors.map_marks(limit=4)
    assert sample["sampled"]
    assert sample["total"] == 12 and sample["contested"] == 2
    assert 0 < len({m["slug"] for m in sample["marks"]}) <= 5


def test_founding_trend_counts_each_case_once_contested_apart(catalogue):
    rows = selectors.founding_trend()
    for row in rows:
        cases = live().filter(founded=row["year"])
        if row["rung"] is None:
            assert row["count"] == cases.filter(contested=True).count()
        else:
            assert row["count"] == cases.filter(standing_rung=row["rung"], contested=False).count()
    assert sum(row["count"] for row in rows) == (
        live().filter(founded__isnull=False, placement_count__gt=0).count()
    )
    assert {row["year"] for row in rows if row["rung"] is None} == {2010, 2019}


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
    points = [(p["slug"], p["year"], p["rung"], p["contested"]) for p in moved["points"]]
    assert points == [
        ("couchsurfing", 2004, 6, False),
        ("couchsurfing", 2011, 9, False),
        ("couchsurfing", 2026, 9, False),
    ]


def test_a_tie_within_one_period_is_not_a_move(catalogue):
    slugs = {p["slug"] for p in selectors.trajectories()["points"]}
    assert "disputed" not in slugs and "mondragon" not in slugs


def test_a_contested_period_on_a_moved_case_is_drawn_at_each_of_its_rungs(catalogue):
    place("couchsurfing", WIKIPEDIA_ANSWERS, valid_from="2020")
    place("couchsurfing", LINUX_ANSWERS, valid_from="2020")
    points = selectors.trajectories(now_year=2026)["points"]
    contested = sorted((p["year"], p["rung"]) for p in points if p["contested"])
    assert contested == [(2020, 6), (2020, 8)]
    # The line ends where the last decided period ends, not at the contested one.
    assert max(p["year"] for p in points if not p["contested"]) == 2011


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
    # Every standing placement is counted once: all active ones but Couchsurfing's first
    # period and the placement that "second-thoughts" replaced.
    active = Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
    assert sum(row["count"] for row in rows) == active.count() - 2
    assert {row["view"] for row in rows} == {"firm", "community"}


def test_agreement_by_rung_counts_contested_cases_and_independent_placements(catalogue):
    rows = {row["rung"]: row for row in selectors.agreement_by_rung()}
    for number, row in rows.items():
        assert row["agreed"] == agreed().filter(standing_rung=number).count()
        assert row["cases"] == row["agreed"] + row["contested"]
    # Rung 10: Mondragon (three accounts, 2 of 3 agree) and New Coop (one placement).
    assert rows[10]["independent"] == 1 and rows[10]["independent_share"] == 0.5
    assert rows[10]["mean_agreement"] == round(2 / 3, 4)
    # Rung 8: Linux and Rethought (one account each, agreed) and two contested cases:
    # Disputed gives rung 8 one of its two placements, Split one of four.
    assert rows[8]["cases"] == 4 and rows[8]["contested"] == 2
    assert rows[8]["independent"] == 2
    assert rows[8]["mean_agreement"] == round((1 / 2 + 1 / 4) / 2, 4)
    # Rung 6: Wikipedia, New Commons (single) and Split (2 of 4 there).
    assert rows[6]["mean_agreement"] == 0.5
    assert rows[2]["cases"] == 0 and rows[2]["mean_agreement"] is None


def test_agreement_means_equal_a_direct_average_where_no_case_is_contested(catalogue):
    def accounts_in_latest_period(case: Case) -> int:
        active = case.placements.filter(retracted_at__isnull=True)
        latest = active.order_by("-valid_from").values_list("valid_from", flat=True).first()
        return active.filter(valid_from=latest).values("author").distinct().count()

    for number in (3, 10):
        row = selectors.agreement_by_rung()[number - 1]
        assert row["contested"] == 0
        several = [
            case.id
            for case in agreed().filter(standing_rung=number)
            if accounts_in_latest_period(case) >= 2
        ]
        direct = Case.objects.filter(id__in=several).aggregate(m=Avg("agreement"))["m"]
        assert row["independent"] == len(several)
        assert row["mean_agreement"] == (None if direct is None else round(direct, 4))


def test_rater_units_are_periods_placed_by_different_accounts(catalogue):
    units = sorted(sorted(rung for _, rung in unit) for unit in selectors.rater_units())
    # Rethought is one account placing twice: not a unit.
    assert units == [[6, 6, 8, 11], [8, 9], [10, 10, 11]]
    figure = selectors.catalogue_alpha()
    assert figure["units"] == 3 and figure["placements"] == 9
    assert figure["enough"] is False and figure["nominal"] is None
    assert figure["minimum_units"] == selectors.ALPHA_MINIMUM_UNITS


def test_alpha_from_the_minimum_on_matches_an_independent_computation(db):
    first, second = UserFactory(username="first"), UserFactory(username="second")
    expected_units = []
    for index in range(selectors.ALPHA_MINIMUM_UNITS):
        make_case(slug=f"pair-{index}", author=first, answers=WIKIPEDIA_ANSWERS)
        other = EBAY_ANSWERS if index % 3 == 0 else WIKIPEDIA_ANSWERS
        place(f"pair-{index}", other, author=second)
        expected_units.append([6, 11 if index % 3 == 0 else 6])
    figure = selectors.catalogue_alpha()
    assert figure["enough"] is True
    assert figure["units"] == 10 and figure["accounts"] == 2 and figure["placements"] == 20
    assert figure["nominal"] == round(krippendorff_alpha(expected_units), 4)
    ordinal = krippendorff_alpha(expected_units, metric="ordinal", order=range(1, 12))
    assert figure["ordinal"] == round(ordinal, 4)
    low, high = figure["nominal_interval"]
    assert low <= figure["nominal"] <= high


def test_alpha_is_not_a_number_without_shared_periods(db):
    make_case(slug="alone")
    figure = selectors.catalogue_alpha()
    assert figure["units"] == 0 and figure["enough"] is False and figure["nominal"] is None


def test_sample_profile_gives_the_largest_shares_and_the_accounts(catalogue):
    profile = selectors.sample_profile()
    assert profile["cases"] == live().count()
    top_country = profile["countries"][0]
    assert top_country["code"] == "US"
    assert top_country["count"] == live().filter(country_rows__code="US").count()
    assert top_country["share"] == round(top_country["count"] / profile["cases"], 4)
    assert profile["sectors"][0]["count"] == max(
        live().filter(sector=s).count() for s in live().values_list("sector", flat=True)
    )
    active = Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
    assert profile["placements"] == active.count()
    assert profile["account_count"] == active.values("author").distinct().count()
    assert sum(row["count"] for row in profile["productions"]) == profile["cases"]


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
            selectors.sample_profile()
        return len(queries)

    before = count_queries()
    author = UserFactory()
    for index in range(8):
        make_case(slug=f"more-{index}", author=author, founded=2000 + index)
    make_case(slug="more-split", author=author)
    place("more-split", LINUX_ANSWERS)
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
    assert [s["slug"] for s in selectors.contested_splits(CaseFilters(country="FR"))] == ["split"]


def test_a_text_query_is_refused_not_matched_by_name(catalogue):
    with pytest.raises(ValueError, match="search"):
        selectors.totals(CaseFilters(query="mondragon"))
