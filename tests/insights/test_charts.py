"""The charts: Vega-Lite specifications from the selectors, rendered to SVG and PNG."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET

import pytest

from peerladder.insights import charts
from peerladder.insights.charts import UnknownChart
from peerladder.ladder import RUNGS

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def svg_text(svg: str) -> str:
    root = ET.fromstring(svg)  # noqa: S314 -- our own vl-convert output
    return " ".join(text for element in root.iter() for text in element.itertext())


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.parametrize("name", charts.NAMES)
def test_every_chart_is_a_titled_vega_lite_spec_with_inline_data(catalogue, name):
    chart = charts.build(name)
    spec = chart.spec
    assert spec["$schema"].endswith("vega-lite/v5.json")
    assert spec["title"]["text"] and spec["description"] == chart.description
    json.dumps(spec)  # plain JSON, data inline
    assert "url" not in json.dumps(spec.get("data", {}))
    assert chart.table.columns and chart.table.caption


@pytest.mark.parametrize("name", charts.NAMES)
def test_svg_parses_names_all_eleven_rungs_and_describes_itself(catalogue, name):
    chart = charts.build(name)
    svg = charts.render(chart.spec, "svg").decode()
    root = ET.fromstring(svg)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == chart.spec["title"]["text"]
    assert root.find(f"{SVG}desc").text == chart.description
    text = svg_text(svg)
    for r in RUNGS:
        assert r.name in text, f"{name} does not name rung {r.number}"


@pytest.mark.parametrize("name", ["ladder", "agreement"])
def test_svg_of_an_empty_catalogue_still_names_every_rung(db, name):
    text = svg_text(charts.render(charts.build(name).spec, "svg").decode())
    for r in RUNGS:
        assert r.name in text


@pytest.mark.parametrize("scale", [1, 2])
def test_png_decodes_with_the_svg_size_times_the_scale(catalogue, scale):
    spec = charts.build("agreement").spec
    root = ET.fromstring(charts.render(spec, "svg"))  # noqa: S314
    width, height = int(root.get("width")), int(root.get("height"))
    assert png_size(charts.render(spec, "png", scale=scale)) == (width * scale, height * scale)


def test_ladder_marks_link_to_their_cases_and_flag_contested_ones(catalogue):
    spec = charts.build("ladder").spec
    marks = spec["layer"][2]["data"]["values"]
    assert {mark["href"] for mark in marks} >= {"/cases/wikipedia", "/cases/linux"}
    assert all(mark["status"] in ("Agreed", "Contested") for mark in marks)
    svg = charts.render(spec, "svg").decode()
    assert 'href="/cases/wikipedia"' in svg


def test_ladder_counts_all_cases_even_when_marks_are_sampled(catalogue, monkeypatch):
    monkeypatch.setattr(charts.selectors, "MAP_MARK_LIMIT", 3)
    original = charts.selectors.map_marks
    monkeypatch.setattr(charts.selectors, "map_marks", lambda f: original(f, limit=3))
    chart = charts.build("ladder")
    counts = {row["rung"]: row["count"] for row in chart.spec["layer"][3]["data"]["values"]}
    assert sum(counts.values()) == 9
    assert len(chart.spec["layer"][2]["data"]["values"]) <= 3
    assert "sample" in chart.description


def test_viability_shades_the_region_where_both_costs_are_low(catalogue):
    spec = charts.build("viability").spec
    shaded = spec["layer"][0]
    assert shaded["mark"]["type"] == "rect"
    assert shaded["data"]["values"] == [{"x": -0.5, "x2": 0.5, "y": -0.5, "y2": 0.5}]
    assert "low" in spec["layer"][2]["encoding"]["x"]["axis"]["labelExpr"]


def test_trajectories_draw_a_line_per_moved_case(catalogue):
    chart = charts.build("trajectories")
    assert chart.spec["mark"]["type"] == "line"
    assert {p["slug"] for p in chart.spec["data"]["values"]} == {"couchsurfing"}
    assert "1 case moved" in chart.description


def test_agreement_carries_the_catalogue_alpha(catalogue):
    chart = charts.build("agreement")
    assert "Krippendorff's alpha 0.11" in chart.description


def test_unknown_chart_and_format_are_refused(db):
    with pytest.raises(UnknownChart, match="unknown chart"):
        charts.build("pie")
    with pytest.raises(UnknownChart, match="unknown format"):
        charts.render({}, "pdf")
