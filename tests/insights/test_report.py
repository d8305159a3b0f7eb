"""The state-of-the-field report: every number against a direct query."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.utils import translation

from peerladder.catalogue.models import Case, Placement
from peerladder.insights import report, selectors
from peerladder.ladder import BASELINE_2007, RUNGS, krippendorff_alpha
from tests.factories import WIKIPEDIA_ANSWERS, UserFactory, make_case
from tests.insights.conftest import EBAY_ANSWERS, MONDRAGON_ANSWERS, place

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def built(catalogue):
    return report.build_report(year=YEAR)


def live():
    return Case.objects.filter(archived=False)


def agreed():
    return live().filter(standing_rung__isnull=False, contested=False)


def test_totals_equal_direct_queries_and_reconcile(built):
    totals = built["totals"]
    assert totals["cases"] == live().count()
    assert totals["agreed"] == agreed().count()
    assert totals["contested"] == live().filter(contested=True).count()
    assert totals["tied"] == live().filter(standing_rung__isnull=True, contested=True).count()
    assert totals["unplaced"] == live().filter(placement_count=0).count()
    assert totals["agreed"] + totals["contested"] + totals["unplaced"] == totals["cases"]
    assert (
        totals["placements"]
        == Placement.objects.filter(retracted_at__isnull=True, case__archived=False).count()
    )
    assert totals["firm_view"] == agreed().filter(standing_rung__lte=5).count()
    assert totals["community_view"] == agreed().filter(standing_rung__gte=6).count()


def test_the_rows_of_the_report_sum_to_the_catalogue(built):
    totals = built["totals"]
    rows = sum(entry["count"] for entry in built["rungs"])
    assert rows + totals["contested"] + totals["unplaced"] == live().count()
    economies = sum(entry["count"] for entry in built["economies"])
    assert economies + totals["contested"] + totals["unplaced"] == live().count()


def test_every_rung_figure_equals_a_direct_query(built):
    splits = selectors.contested_splits()
    drawn_total = agreed().count() + sum(len(s["rungs"]) for s in splits)
    assert [entry["rung"] for entry in built["rungs"]] == list(range(1, 12))
    for entry in built["rungs"]:
        cases = agreed().filter(standing_rung=entry["rung"])
        contested_here = [s for s in splits if entry["rung"] in s["rungs"]]
        assert entry["count"] == cases.count()
        assert entry["contested"] == len(contested_here)
        assert entry["drawn"] == cases.count() + len(contested_here)
        assert entry["share"] == round(entry["drawn"] / drawn_total, 4)
        recent = cases.filter(founded__gte=YEAR - 9, founded__lte=YEAR).count()
        previous = cases.filter(founded__gte=YEAR - 19, founded__lte=YEAR - 10).count()
        assert (entry["founded_recent"], entry["founded_previous"]) == (recent, previous)
        names = set(cases.values_list("name", flat=True))
        assert len(entry["examples"]) == min(3, len(names))
        assert {example["name"] for example in entry["examples"]} <= names
    by_rung = {entry["rung"]: entry for entry in built["rungs"]}
    assert by_rung[8]["contested"] == 2  # Disputed (8 vs 9) and Split (6 vs 8 vs 11)
    assert by_rung[9]["contested"] == 1 and by_rung[6]["contested"] == 1


def test_economies_and_alpha_equal_direct_queries(built):
    for economy in built["economies"]:
        assert economy["count"] == agreed().filter(standing_economy=economy["key"]).count()
    units = selectors.rater_units()
    assert built["agreement"]["units"] == len(units) == 3
    assert built["agreement"]["enough"] is False  # three units: below the documented minimum
    assert "not enough independent placements" in report.render_text(built)


def test_alpha_in_the_report_matches_an_independent_computation(db):
    first, second = UserFactory(username="a"), UserFactory(username="b")
    for index in range(selectors.ALPHA_MINIMUM_UNITS + 2):
        make_case(slug=f"unit-{index}", author=first)
        place(f"unit-{index}", EBAY_ANSWERS if index < 4 else WIKIPEDIA_ANSWERS, author=second)
    figure = report.build_report(year=YEAR)["agreement"]
    expected = [[6, 11]] * 4 + [[6, 6]] * (selectors.ALPHA_MINIMUM_UNITS - 2)
    assert figure["nominal"] == round(krippendorff_alpha(expected), 4)
    assert figure["units"] == 12 and figure["accounts"] == 2 and figure["placements"] == 24
    text = report.render_text(report.build_report(year=YEAR))
    assert f"nominal {figure['nominal']:.2f}" in text and "12 case periods" in text


def test_the_sample_is_described_honestly(built):
    sample = built["sample"]
    assert sample["cases"] == live().count()
    assert "not a random sample" in sample["how_chosen"]
    assert "not the field in the world" in sample["how_chosen"]
    us = live().filter(country_rows__code="US").count()
    assert sample["largest_country"]["key"] == "US"
    assert sample["largest_country"]["share"] == round(us / live().count(), 4)
    assert sample["largest_sector"]["count"] == max(
        live().filter(sector=s).count() for s in live().values_list("sector", flat=True)
    )
    assert sample["accounts"] == (
        Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
        .values("author")
        .distinct()
        .count()
    )
    text = report.render_text(built)
    assert "The largest country is" in text and "placements by" in text


def test_the_report_names_its_countries_in_the_reader_s_language(catalogue):
    english = report.build_report(year=YEAR)["sample"]
    assert english["largest_country"]["name"] == "United States"
    with translation.override("es"):
        spanish = report.build_report(year=YEAR)["sample"]
    assert spanish["largest_country"] == {**english["largest_country"], "name": "Estados Unidos"}
    names = {row["code"]: row["name"] for row in spanish["countries"]}
    assert names["FI"] == "Finlandia" and names["ES"] == "España"


def test_the_growth_window_is_the_last_ten_years_against_the_ten_before(built):
    assert built["growth_window"]["recent"] == [2017, 2026]
    assert built["growth_window"]["previous"] == [2007, 2016]
    assert "founded in 2017-2026 with those founded in 2007-2016" in report.render_text(built)


def test_growth_is_a_ratio_only_over_a_series_worth_the_name(db):
    author = UserFactory()
    founded = {"old-1": 2010, "old-2": 2011, "old-3": 2012, "new-a": 2020, "new-b": 2026}
    for slug, year in founded.items():
        make_case(slug=slug, author=author, founded=year)
    entry = report.build_report(year=YEAR)["rungs"][5]
    assert (entry["founded_recent"], entry["founded_previous"]) == (2, 3)
    assert entry["growth"] == round(2 / 3, 4)
    assert "2 founded in the last decade against 3 (×0.67)" in entry["growth_text"]


def test_no_ratio_from_an_empty_or_thin_decade(db):
    author = UserFactory()
    for slug, year in (("only-old", 2010), ("older", 2012)):
        make_case(slug=slug, author=author, founded=year)
    built = report.build_report(year=YEAR)
    entry = built["rungs"][5]
    assert entry["growth"] is None
    assert "too few to call a trend" in entry["growth_text"]
    assert "×0.00" not in report.render_text(built)


def test_both_halves_are_set_beside_the_2007_assessment_quoted_and_attributed(built):
    html = report.render_html(built)
    for entry in built["rungs"]:
        baseline = entry["baseline_2007"]
        assert baseline["status"] == BASELINE_2007[entry["rung"]].status
        assert baseline["quote"] == BASELINE_2007[entry["rung"]].quote
        assert baseline["source"].startswith("Michel Bauwens")
        assert baseline["verdict"]
    assert "well established for several decennia" in html
    assert "the current cutting edge" in html and "Bauwens 2008" in html
    by_rung = {entry["rung"]: entry["baseline_2007"] for entry in built["rungs"]}
    # A catalogue of chosen cases cannot say how widespread a firm model is.
    assert all(by_rung[n]["agrees"] is None for n in (1, 2, 3, 4, 5))
    assert by_rung[7]["today"] == "absent" and by_rung[7]["agrees"]
    assert by_rung[8]["agrees"]  # vibrant then, still on the map now


def test_verdicts_on_few_cases_say_so(built):
    by_rung = {entry["rung"]: entry["baseline_2007"] for entry in built["rungs"]}
    assert "Rests on" in by_rung[8]["hedge"]
    assert by_rung[7]["hedge"] is None  # no case: nothing to hedge, the verdict says so


def test_a_seed_rung_with_many_cases_has_grown_beyond_its_seed(db):
    author = UserFactory()
    equitable = {
        "directed_by": "peers",
        "value": "use",
        "producers": "group",
        "monetization": "equitable",
    }
    for index in range(3):
        make_case(slug=f"coop-{index}", author=author, answers=equitable)
    make_case(slug="other", author=author)
    seed = report.build_report(year=YEAR)["rungs"][6]["baseline_2007"]
    assert seed["agrees"] is False
    assert "more than a seed" in seed["verdict"]


def test_rungs_seven_and_ten_are_compared_in_the_immaterial_economy(db):
    author = UserFactory()
    equitable = {
        "directed_by": "peers",
        "value": "use",
        "producers": "group",
        "monetization": "equitable",
    }
    for index in range(5):
        make_case(slug=f"seven-{index}", author=author, answers=equitable, production="immaterial")
    for index, production in enumerate(["material"] * 4 + ["immaterial", "both"]):
        make_case(
            slug=f"ten-{index}", author=author, answers=MONDRAGON_ANSWERS, production=production
        )
    make_case(slug="ten-unknown", author=author, answers=MONDRAGON_ANSWERS)
    built = report.build_report(year=YEAR)
    seven, ten, eleven = built["production"]["rungs"]
    assert (seven["rung"], seven["immaterial"], seven["immaterial_share"]) == (7, 5, 1.0)
    assert (ten["material"], ten["immaterial"], ten["both"], ten["not_recorded"]) == (4, 1, 1, 1)
    assert ten["immaterial_share"] == round(2 / 6, 4)
    assert eleven["rung"] == 11
    assert "100% of rung 7" in built["production"]["comparison"]
    assert "33%" in built["production"]["comparison"]
    foothold = built["rungs"][9]["baseline_2007"]
    assert foothold["agrees"] is False and "immaterial economy" in foothold["verdict"]
    assert "barely gotten a foothold in the immaterial economy" in report.render_html(built)


def test_too_few_recorded_productions_are_not_compared(built):
    production = built["production"]
    assert production["comparison"].startswith("Too few cases with a recorded production")
    assert built["rungs"][9]["baseline_2007"]["agrees"] is None


def test_an_empty_catalogue_still_gives_a_full_report(db):
    built = report.build_report(year=YEAR)
    assert built["totals"]["cases"] == 0
    assert all(entry["count"] == 0 and entry["share"] == 0 for entry in built["rungs"])
    assert built["agreement"]["nominal"] is None
    for fmt in report.FORMATS:
        assert report.render(built, fmt)


def test_json_rendering_round_trips(built):
    assert json.loads(report.render_json(built)) == json.loads(json.dumps(built))


def test_text_names_every_rung_the_examples_and_credits_the_essay(built):
    text = report.render_text(built)
    for r in RUNGS:
        assert r.name in text
    assert "Mondragon" in text and "2007:" in text
    assert "Michel Bauwens" in text and "https://timreview.ca/article/113" in text


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))


def test_html_is_standalone_print_friendly_and_links_the_method(built):
    html = report.render_html(built)
    assert html.startswith("<!doctype html>")
    assert "@media print" in html
    assert "<link" not in html and "<script" not in html
    parser = _Collector()
    parser.feed(html)
    assert parser.tags.count("tr") >= 1 + 11 + 1  # a header row, one per rung, the total
    assert "/about" in parser.links and "https://timreview.ca/article/113" in parser.links
    for r in RUNGS:
        assert r.name in html


def test_unknown_format_is_refused(built):
    with pytest.raises(ValueError, match="unknown format"):
        report.render(built, "pdf")
