"""The charts: Vega-Lite specifications from the selectors, rendered to SVG and PNG."""

from __future__ import annotations

import json
import re
import struct
import xml.etree.ElementTree as ET

import pytest

from peerladder.catalogue.models import Case
from peerladder.insights import charts
from peerladder.insights.chart_base import UnknownChart, title_of
from peerladder.insights.ladder_map import poster_spec
from peerladder.ladder import RUNGS

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
PHONE_WIDTH = 328  # a 360 px screen less the page's margins


def svg_text(svg: str) -> str:
    root = ET.fromstring(svg)  # noqa: S314 -- our own vl-convert output
    return " ".join(text for element in root.iter() for text in element.itertext())


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def layouts(chart):
    return [("wide", chart.spec), ("narrow", chart.narrow)]


@pytest.mark.parametrize("name", charts.NAMES)
def test_every_chart_is_a_titled_vega_lite_spec_with_inline_data(catalogue, name):
    chart = charts.build(name)
    for _, spec in layouts(chart):
        assert spec["$schema"].endswith("vega-lite/v5.json")
        assert title_of(spec) and spec["description"] == chart.description
        text = json.dumps(spec)  # plain JSON, data inline
        assert '"url"' not in text
    assert chart.table.columns and chart.table.caption


@pytest.mark.parametrize("name", charts.NAMES)
def test_svg_parses_describes_itself_and_names_the_rungs(catalogue, name):
    chart = charts.build(name)
    svg = charts.render(chart.spec, "svg").decode()
    root = ET.fromstring(svg)  # noqa: S314
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "graphics-document"
    assert root.find(f"{SVG}title").text == title_of(chart.spec)
    assert root.find(f"{SVG}desc").text == chart.description
    text = svg_text(svg) + " ".join(re.findall(r'aria-label="([^"]*)"', svg))
    named = RUNGS if name != "trajectories" else [RUNGS[5], RUNGS[8]]  # Couchsurfing's
    for r in named:
        assert r.name in text, f"{name} does not name rung {r.number}"


@pytest.mark.parametrize("name", charts.NAMES)
def test_both_layouts_keep_every_label_at_11px_or_more(catalogue, name):
    chart = charts.build(name)
    for layout, spec in layouts(chart):
        svg = charts.render_svg(spec)
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert sizes and min(sizes) >= 11, f"{name} {layout}: {min(sizes)} px"


@pytest.mark.parametrize("name", charts.NAMES)
def test_the_narrow_layout_fits_a_phone_and_the_wide_one_the_page(catalogue, name):
    chart = charts.build(name)
    narrow = ET.fromstring(charts.render_svg(chart.narrow))  # noqa: S314
    wide = ET.fromstring(charts.render_svg(chart.spec))  # noqa: S314
    assert float(narrow.get("width")) <= PHONE_WIDTH
    assert float(wide.get("width")) <= 920  # the page's content width from 60rem up


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


def map_marks(spec):
    """Every case mark of a map layout (the narrow one keeps contested marks apart)."""
    return [
        mark
        for layer in spec["layer"]
        if layer["mark"]["type"] == "point"
        for mark in layer["data"]["values"]
    ]


def test_ladder_marks_link_to_their_cases_and_draw_contested_ones_at_each_rung(catalogue):
    chart = charts.build("ladder")
    for _, spec in layouts(chart):
        marks = map_marks(spec)
        assert {mark["href"] for mark in marks} >= {"/cases/wikipedia", "/cases/disputed"}
        disputed = sorted((m["rung"], m["status"]) for m in marks if m["slug"] == "disputed")
        assert disputed == [(8, "Contested"), (9, "Contested")]
        label = next(m["label"] for m in marks if m["slug"] == "disputed")
        assert "contested, 8 vs 9, 1–1" in label
    svg = charts.render(chart.spec, "svg").decode()
    assert svg.count('href="/cases/disputed"') == 2
    assert 'href="/cases/split"' in svg and "6 vs 8 vs 11, 2–1–1" in svg


@pytest.mark.parametrize("name", ["ladder", "agreement", "trend"])
def test_each_chart_table_sums_to_the_catalogue(catalogue, name):
    chart = charts.build(name)
    cases = Case.objects.filter(archived=False).count()
    footer = {row[0]: row for row in chart.table.footer}
    assert footer["The catalogue"][-1 if name == "trend" else (2 if name == "ladder" else 1)] == (
        cases
    )
    if name == "ladder":
        agreed = sum(row[2] for row in chart.table.rows)
        assert agreed + chart.totals["contested"] + chart.totals["unplaced"] == cases
        assert footer["Contested"][3] == Case.objects.filter(archived=False, contested=True).count()
    if name == "agreement":
        agreed = sum(row[2] for row in chart.table.rows)
        assert agreed + chart.totals["contested"] + chart.totals["unplaced"] == cases
    if name == "trend":
        founded = sum(row[3] for row in chart.table.rows if row[0] == "founding year")
        undated, unplaced = footer["Placed cases without one"][3], footer["Not placed yet"][3]
        assert founded + undated + unplaced == cases


def test_ladder_counts_all_cases_even_when_marks_are_sampled(catalogue, monkeypatch):
    original = charts.selectors.map_marks
    monkeypatch.setattr(charts.selectors, "map_marks", lambda f: original(f, limit=3))
    chart = charts.build("ladder")
    counts = next(
        layer
        for layer in chart.spec["layer"]
        if layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "text"
    )["data"]["values"]
    assert sum(row["agreed"] for row in counts) == 10
    assert len({m["slug"] for m in map_marks(chart.spec)}) <= 4
    assert "sample" in chart.description


def test_viability_shades_the_corner_where_both_costs_are_low_and_credits_harris(catalogue):
    chart = charts.build("viability")
    assert "Jed Harris" in chart.description and "Jed Harris" in json.dumps(chart.spec["title"])
    firm, community = chart.spec["hconcat"]
    for panel in (firm, community):
        assert panel["layer"][0]["data"]["values"] == [{"x": -0.5, "x2": 0.5, "y": -0.5, "y2": 0.5}]
    assert "could the same output be peer-produced" in " ".join(firm["title"]["text"])
    assert "is peer production of the case viable" in " ".join(community["title"]["text"])
    firm_rungs = {row["rung"] for row in firm["layer"][-1]["data"]["values"]}
    assert firm_rungs <= {1, 2, 3, 4, 5}


def test_trajectories_give_each_moved_case_a_named_panel(catalogue):
    chart = charts.build("trajectories")
    assert chart.spec["facet"]["field"] == "name"
    assert {p["slug"] for p in chart.spec["data"]["values"]} == {"couchsurfing"}
    numbers = [p["number"] for p in chart.spec["data"]["values"]]
    assert numbers == ["6", "9", ""]  # the rung is written where the line arrives
    assert "1 case moved" in chart.description
    assert "Couchsurfing" in svg_text(charts.render(chart.spec, "svg").decode())


def test_agreement_gives_alpha_with_its_n_or_says_there_is_not_enough(catalogue):
    chart = charts.build("agreement")
    assert "not enough independent placements" in chart.description
    assert "3 case periods" in chart.description and "at least 10" in chart.description
    rows = {row[0]: row for row in chart.table.rows}
    assert rows["8 · Commons with a business ecology"][3] == 2  # contested cases at rung 8


def test_the_poster_carries_a_caption_with_date_counts_and_citation(catalogue):
    spec = poster_spec(date="2026-11-27", site="https://example.org")
    caption = json.dumps(spec["title"])
    assert spec["title"]["orient"] == "bottom"
    assert "2026-11-27" in caption and "12 cases" in caption
    assert "Michel Bauwens" in caption and "https://example.org/insights" in caption
    png = charts.render(spec, "png", scale=1)
    width, _ = png_size(png)
    assert width >= 1400


def test_unknown_chart_and_format_are_refused(db):
    with pytest.raises(UnknownChart, match="unknown chart"):
        charts.build("pie")
    with pytest.raises(UnknownChart, match="unknown format"):
        charts.render({}, "pdf")


@pytest.mark.parametrize("name", charts.NAMES)
def test_every_symbol_a_screen_reader_meets_has_a_name(catalogue, name):
    chart = charts.build(name)
    for _, spec in layouts(chart):
        root = ET.fromstring(charts.render_svg(spec))  # noqa: S314
        for element in root.iter():
            if element.get("role") in ("graphics-symbol", "graphics-document"):
                assert element.get("aria-label") or element.get("aria-labelledby"), (
                    f"{name}: a nameless {element.tag}"
                )
