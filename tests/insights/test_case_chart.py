"""The small trajectory chart of a case page, from its periods (no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from peerladder.insights import charts
from peerladder.insights.case_chart import case_trajectory_chart
from peerladder.ladder import PlacementRow, trajectory


def periods():
    return trajectory(
        [
            PlacementRow("2004", "2011", 6, None, None, "a"),
            PlacementRow("2011", None, 9, "sharing", None, "a"),
            PlacementRow("2011", None, 8, "commons", None, "b"),
        ]
    )


def test_each_period_is_a_point_and_a_split_one_a_cross_at_each_rung():
    chart = case_trajectory_chart("Couchsurfing", periods(), now_year=2026)
    points = chart.spec["data"]["values"]
    line = [(p["year"], p["rung"], p["number"]) for p in points if not p["contested"]]
    crosses = sorted((p["year"], p["rung"]) for p in points if p["contested"])
    assert line == [(2004, 6, "6")]  # the latest period is tied: no point on the line
    assert crosses == [(2011, 8), (2011, 9)]
    assert chart.table.rows[1][:3] == ("2011–now", "none (tied)", "8 vs 9, 1–1")
    assert "Couchsurfing over time: 2 periods" in chart.description


def test_the_chart_fits_a_phone_and_names_every_symbol():
    chart = case_trajectory_chart("Couchsurfing", periods(), now_year=2026)
    root = ET.fromstring(charts.render_svg(chart.spec, title=chart.title))  # noqa: S314
    assert float(root.get("width")) <= 328
    for element in root.iter():
        if element.get("role") == "graphics-symbol":
            assert element.get("aria-label")
