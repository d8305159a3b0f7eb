"""The state-of-the-field report: every number against a direct query."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.db.models import Avg

from peerladder.catalogue.models import Case, Placement
from peerladder.insights import report
from peerladder.insights.selectors import rater_units
from peerladder.ladder import BASELINE_2007, RUNGS, krippendorff_alpha
from tests.factories import UserFactory, make_case

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def built(catalogue):
    return report.build_report(year=YEAR)


def live():
    return Case.objects.filter(archived=False)


def test_totals_equal_direct_queries(built):
    totals = built["totals"]
    assert totals["cases"] == live().count()
    assert totals["placed"] == live().filter(standing_rung__isnull=False).count()
    assert totals["contested"] == live().filter(contested=True).count()
    assert totals["tied"] == live().filter(standing_rung__isnull=True, contested=True).count()
    assert (
        totals["placements"]
        == Placement.objects.filter(retracted_at__isnull=True, case__archived=False).count()
    )
    assert totals["firm_view"] == live().filter(standing_rung__lte=5).count()
    assert totals["community_view"] == live().filter(standing_rung__gte=6).count()


def test_every_rung_figure_equals_a_direct_query(built):
    placed = live().filter(standing_rung__isnull=False).count()
    assert [entry["rung"] for entry in built["rungs"]] == list(range(1, 12))
    for entry in built["rungs"]:
        cases = live().filter(standing_rung=entry["rung"])
        assert entry["count"] == cases.count()
        assert entry["share"] == round(cases.count() / placed, 4)
        assert entry["contested"] == cases.filter(contested=True).count()
        mean = cases.aggregate(mean=Avg("agreement"))["mean"]
        assert entry["mean_agreement"] == (None if mean is None else round(mean, 4))
        recent = cases.filter(founded__gte=YEAR - 9, founded__lte=YEAR).count()
        previous = cases.filter(founded__gte=YEAR - 19, founded__lte=YEAR - 10).count()
        assert (entry["founded_recent"], entry["founded_previous"]) == (recent, previous)
        assert entry["growth"] == (None if previous == 0 else round(recent / previous, 4))
        names = set(cases.values_list("name", flat=True))
        assert len(entry["examples"]) == min(3, len(names))
        assert {example["name"] for example in entry["examples"]} <= names


def test_economies_and_alpha_equal_direct_queries(built):
    for economy in built["economies"]:
        assert (
            economy["count"]
            == live().filter(standing_rung__isnull=False, standing_economy=economy["key"]).count()
        )
    units = rater_units()
    assert built["agreement"]["alpha"] == round(krippendorff_alpha(units), 4)
    assert built["agreement"]["units"] == len(units) == 2


def test_the_growth_window_is_the_last_ten_years_against_the_ten_before(built):
    assert built["growth_window"] == {"recent": [2017, 2026], "previous": [2007, 2016]}
    assert "founded in 2017-2026 with those founded in 2007-2016" in report.render_text(built)


def test_community_rungs_are_set_beside_the_2007_baseline(built):
    for entry in built["rungs"]:
        baseline = entry["baseline_2007"]
        if entry["rung"] <= 5:
            assert baseline is None
            continue
        assert baseline["status"] == BASELINE_2007[entry["rung"]].status
        assert baseline["verdict"]
    by_rung = {entry["rung"]: entry["baseline_2007"] for entry in built["rungs"]}
    assert by_rung[7]["today"] == "absent" and by_rung[7]["agrees"]
    assert by_rung[8]["agrees"]  # vibrant then, still on the map now


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
    assert "grown beyond its 2007 seed" in seed["verdict"]


def test_an_empty_catalogue_still_gives_a_full_report(db):
    built = report.build_report(year=YEAR)
    assert built["totals"]["cases"] == 0
    assert all(entry["count"] == 0 and entry["share"] == 0 for entry in built["rungs"])
    assert built["agreement"]["alpha"] is None
    for fmt in report.FORMATS:
        assert report.render(built, fmt)


def test_json_rendering_round_trips(built):
    assert json.loads(report.render_json(built)) == json.loads(json.dumps(built))


def test_text_names_every_rung_and_the_examples(built):
    text = report.render_text(built)
    for r in RUNGS:
        assert r.name in text
    assert "Mondragon" in text and "2007:" in text


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_html_is_standalone_and_print_friendly(built):
    html = report.render_html(built)
    assert html.startswith("<!doctype html>")
    assert "@media print" in html
    assert "<link" not in html and "<script" not in html
    parser = _Collector()
    parser.feed(html)
    assert parser.tags.count("tr") == 12  # a header row and one per rung
    for r in RUNGS:
        assert r.name in html


def test_unknown_format_is_refused(built):
    with pytest.raises(ValueError, match="unknown format"):
        report.render(built, "pdf")


def test_growth_is_the_ratio_of_the_last_decade_to_the_one_before(db):
    author = UserFactory()
    for slug, founded in (("old", 2012), ("new-a", 2020), ("new-b", 2026), ("ancient", 1990)):
        make_case(slug=slug, author=author, founded=founded)
    entry = report.build_report(year=YEAR)["rungs"][5]
    assert (entry["founded_recent"], entry["founded_previous"], entry["growth"]) == (2, 1, 2.0)
    assert "2 founded in the last decade against 1 (×2.00)" in report.render_text(
        report.build_report(year=YEAR)
    )
