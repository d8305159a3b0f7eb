"""The charts as Vega-Lite v5 specifications built from the selectors' rows.

Each chart is data first: :func:`build` runs the selectors and returns a
:class:`Chart` with the specification (data inline as values), a text
alternative and the data table shown beside it. :func:`render` turns a
specification into SVG or PNG with vl-convert, offline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

import vl_convert

from peerladder.catalogue.selectors import CaseFilters
from peerladder.insights import selectors
from peerladder.insights.selectors import (
    COST_LEVELS,
    ECONOMY_KEYS,
    NO_FILTERS,
    NOT_GIVEN,
    RUNG_LABELS,
    Row,
)
from peerladder.ladder import ECONOMIES, NO_ECONOMY_NAME

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
NAMES = ("ladder", "trend", "trajectories", "viability", "agreement")
FORMATS = ("svg", "png")
ECONOMY_NAMES = {**{e.key: e.name for e in ECONOMIES}, selectors.NO_ECONOMY: NO_ECONOMY_NAME}
ECONOMY_LABELS = tuple(ECONOMY_NAMES[key] for key in ECONOMY_KEYS)
VIEW_LABELS = {"firm": "Firm view (rungs 1-5)", "community": "Community view (rungs 6-11)"}
# Long rung names stay whole on axes and legends: the charts must name every rung.
CONFIG = {
    "axis": {"labelLimit": 420, "titleFontSize": 12},
    "legend": {"labelLimit": 420},
    "font": "sans-serif",
}


@dataclass(frozen=True)
class Table:
    """The data behind a chart, as a table a person (or a screen reader) can read."""

    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    description: str
    spec: dict[str, Any]
    table: Table


class UnknownChart(ValueError):
    """Raised for a chart name or file format that does not exist."""


def _spec(title: str, description: str, **body: Any) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "description": description,
        "config": CONFIG,
        **body,
    }


def _rung_axis(title: str | None = "Rung", **axis: Any) -> dict[str, Any]:
    return {
        "field": "rung_label",
        "type": "ordinal",
        "title": title,
        "scale": {"domain": list(RUNG_LABELS)},
        "axis": {"labelAngle": -35, **axis},
    }


def _rung_scale() -> dict[str, Any]:
    """Rungs on a numeric axis (so marks can spread around them) labelled with their names."""
    names = json.dumps(["", *RUNG_LABELS])
    return {
        "type": "quantitative",
        "title": "Rung",
        "scale": {"domain": [0.5, 11.5], "nice": False, "zero": False},
        "axis": {
            "values": list(range(1, 12)),
            "labelExpr": f"{names}[datum.value]",
            "labelAngle": -35,
            "labelAlign": "right",
            "labelOverlap": False,
            "grid": False,
        },
    }


def _rung_colour(title: str = "Rung") -> dict[str, Any]:
    return {
        "field": "rung_label",
        "type": "nominal",
        "title": title,
        "scale": {"domain": list(RUNG_LABELS), "scheme": "category20"},
        "legend": {"symbolLimit": 0},
    }


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


# The ladder map --------------------------------------------------------------------


def ladder_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Every case (or a sample) at its standing rung, economies as bands, contested marked."""
    counts = selectors.rung_counts(filters)
    by_economy = selectors.rung_economy_counts(filters)
    sample = selectors.map_marks(filters)
    tied = selectors.totals(filters)["tied"]
    total = sample["total"]
    contested = sum(row["contested"] for row in counts)
    marks = [
        {
            **mark,
            "economy_label": ECONOMY_NAMES[mark["economy"]],
            "x": round(mark["rung"] - 0.35 + 0.7 * mark["x_jitter"], 4),
            "status": "Contested" if mark["contested"] else "Agreed",
            "href": f"/cases/{mark['slug']}",
            "label": (
                f"{mark['name']}: rung {mark['rung_label']}, {ECONOMY_NAMES[mark['economy']]}, "
                + ("contested" if mark["contested"] else "agreed")
            ),
        }
        for mark in sample["marks"]
    ]
    halves = [
        {"start": 0.5, "end": 5.5, "half": VIEW_LABELS["firm"], "colour": "#d9a441"},
        {"start": 5.5, "end": 11.5, "half": VIEW_LABELS["community"], "colour": "#3b7dd8"},
    ]
    count_labels = [{**row, "label": f"{row['count']:,}"} for row in counts]
    busiest = max(counts, key=lambda row: row["count"])
    shown = (
        f"a sample of {len(marks):,} marks stands for all {total:,} cases"
        if sample["sampled"]
        else f"one mark per case, {_plural(total, 'case')}"
    )
    description = (
        f"The ladder map: the 11 rungs in two halves (firm view, community view), the "
        f"economies as horizontal bands, {shown}; the numbers above the rungs count every "
        f"case. {_plural(contested, 'case')} on a rung contested; "
        f"{_plural(tied, 'case')} tied between rungs and not drawn."
        + (
            f" The busiest rung is {busiest['rung_label']} with {busiest['count']:,}."
            if total
            else ""
        )
    )
    subtitle = (
        f"Sample of {len(marks):,} of {total:,} cases; the counts above each rung are for all"
        if sample["sampled"]
        else f"{_plural(total, 'case')}; contested cases are marked"
    )
    spec = _spec(
        "The ladder map",
        description,
        width=880,
        height=300,
        layer=[
            {
                "data": {"values": halves},
                "mark": {"type": "rect", "opacity": 0.14},
                "encoding": {
                    "x": {**_rung_scale(), "field": "start"},
                    "x2": {"field": "end"},
                    "y": {"value": 0},
                    "y2": {"value": "height"},
                    "fill": {"field": "colour", "type": "nominal", "scale": None},
                },
            },
            {
                "data": {"values": halves},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 4,
                    "dy": -2,
                    "fontStyle": "italic",
                },
                "encoding": {
                    "x": {**_rung_scale(), "field": "start"},
                    "y": {"value": "height"},
                    "text": {"field": "half"},
                },
            },
            {
                "data": {"values": marks},
                "mark": {"type": "point", "filled": True, "size": 40, "opacity": 0.8},
                "encoding": {
                    "x": {**_rung_scale(), "field": "x"},
                    "y": {
                        "field": "economy_label",
                        "type": "nominal",
                        "title": "Economy",
                        "scale": {"domain": list(ECONOMY_LABELS)},
                    },
                    "yOffset": {
                        "field": "y_jitter",
                        "type": "quantitative",
                        "scale": {"domain": [-0.2, 1.2]},
                    },
                    "shape": {
                        "field": "status",
                        "type": "nominal",
                        "title": "Placement",
                        "scale": {"domain": ["Agreed", "Contested"], "range": ["circle", "cross"]},
                    },
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": "Placement",
                        "scale": {"domain": ["Agreed", "Contested"], "range": ["#333", "#d62728"]},
                    },
                    "href": {"field": "href"},
                    "description": {"field": "label"},
                    "tooltip": [
                        {"field": "name", "title": "Case"},
                        {"field": "rung_label", "title": "Rung"},
                        {"field": "economy_label", "title": "Economy"},
                        {"field": "status", "title": "Placement"},
                    ],
                },
            },
            {
                "data": {"values": count_labels},
                "mark": {"type": "text", "dy": -8, "baseline": "bottom", "fontWeight": "bold"},
                "encoding": {
                    "x": {**_rung_scale(), "field": "rung"},
                    "y": {"value": 0},
                    "text": {"field": "label"},
                    "tooltip": [
                        {"field": "rung_label", "title": "Rung"},
                        {"field": "count", "title": "Cases"},
                        {"field": "contested", "title": "Contested"},
                    ],
                },
            },
        ],
    )
    spec["title"]["subtitle"] = subtitle
    table = Table(
        caption="Cases per rung and economy (all cases, not only the marks shown)",
        columns=("Rung", "Economy", "Cases", "Contested"),
        rows=[
            (row["rung_label"], ECONOMY_NAMES[row["economy"]], row["count"], row["contested"])
            for row in by_economy
        ],
    )
    return Chart("ladder", "The ladder map", description, spec, table)


# Trend --------------------------------------------------------------------------------


def trend_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Cases per rung by founding year, and placements per rung by the year their period starts."""
    founding = selectors.founding_trend(filters)
    periods = selectors.placement_trend(filters)
    description = (
        "Two bar charts of the catalogue over time, bars stacked by rung: above, the cases "
        f"founded each year by the rung they stand on now ({_plural(len(founding), 'point')}); "
        "below, the placements by the year the period they describe starts "
        f"({_plural(len(periods), 'point')})."
    )

    def panel(rows: list[Row], title: str, y_title: str) -> dict[str, Any]:
        return {
            "title": title,
            "width": 760,
            "height": 200,
            "data": {"values": rows},
            "mark": {"type": "bar", "size": 5},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "quantitative",
                    "title": "Year",
                    "axis": {"format": "d"},
                    "scale": {"zero": False},
                },
                "y": {
                    "field": "count",
                    "type": "quantitative",
                    "title": y_title,
                    "stack": "zero",
                    "axis": {"tickMinStep": 1},
                },
                "color": _rung_colour(),
                "order": {"field": "rung", "type": "quantitative"},
                "tooltip": [
                    {"field": "year", "title": "Year"},
                    {"field": "rung_label", "title": "Rung"},
                    {"field": "count", "title": y_title},
                ],
            },
        }

    spec = _spec(
        "Trend: the rungs over time",
        description,
        vconcat=[
            panel(founding, "By founding year", "Cases founded"),
            panel(periods, "By placement period", "Placements starting"),
        ],
        resolve={"scale": {"color": "shared"}},
    )
    table = Table(
        caption="Cases per founding year and rung, and placements per period start and rung",
        columns=("Basis", "Year", "Rung", "Count"),
        rows=[("founding year", r["year"], r["rung_label"], r["count"]) for r in founding]
        + [("placement period", r["year"], r["rung_label"], r["count"]) for r in periods],
    )
    return Chart("trend", "Trend", description, spec, table)


# Trajectories -----------------------------------------------------------------------------


def trajectories_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """The cases that moved between rungs, one line each over time."""
    moved = selectors.trajectories(filters)
    points = [{**point, "href": f"/cases/{point['slug']}"} for point in moved["points"]]
    cut = f" (the first {moved['shown']} by name are drawn)"
    description = (
        f"Trajectories: {_plural(moved['moved'], 'case')} moved from one rung to another "
        "over time; each is a line from period to period"
        + (cut if moved["shown"] < moved["moved"] else "")
        + "."
    )
    legend = len({p["slug"] for p in points}) <= 12
    y = _rung_axis(None, labelAngle=0)
    y["scale"] = {"domain": list(reversed(RUNG_LABELS))}
    spec = _spec(
        "Trajectories: cases that moved",
        description,
        width=760,
        height=360,
        data={"values": points},
        mark={"type": "line", "point": True, "interpolate": "step-after"},
        encoding={
            "x": {
                "field": "year",
                "type": "quantitative",
                "title": "Year",
                "axis": {"format": "d"},
                "scale": {"zero": False},
            },
            "y": y,
            "order": {"field": "order", "type": "quantitative"},
            ("color" if legend else "detail"): {
                "field": "name",
                "type": "nominal",
                **({"title": "Case"} if legend else {}),
            },
            "href": {"field": "href"},
            "tooltip": [
                {"field": "name", "title": "Case"},
                {"field": "year", "title": "From"},
                {"field": "rung_label", "title": "Rung"},
            ],
        },
    )
    table = Table(
        caption="Each moved case's rung at the start of each period (and the end of the last)",
        columns=("Case", "Year", "Rung"),
        rows=[(p["name"], p["year"], p["rung_label"]) for p in points],
    )
    return Chart("trajectories", "Trajectories", description, spec, table)


# Viability ----------------------------------------------------------------------------------


def _cost_axis(title: str, levels: list[str]) -> dict[str, Any]:
    """Cost levels on a numeric axis, so circles of several rungs can sit side by side."""
    return {
        "type": "quantitative",
        "title": title,
        "scale": {"domain": [-0.5, len(levels) - 0.5], "nice": False, "zero": False},
        "axis": {
            "values": list(range(len(levels))),
            "labelExpr": f"{json.dumps(levels)}[datum.value]",
            "grid": False,
        },
    }


def viability_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Capital cost against coordination cost, with the viable region (both low) shaded."""
    rows = selectors.viability_counts(filters)
    levels = [*COST_LEVELS, NOT_GIVEN]
    total = sum(row["count"] for row in rows)
    viable = sum(row["count"] for row in rows if row["viable"])
    described = sum(
        row["count"]
        for row in rows
        if row["capital_cost"] != NOT_GIVEN and row["coordination_cost"] != NOT_GIVEN
    )
    description = (
        "Viability: the standing placements by the capital cost and the coordination cost "
        "their answers give, circles sized by count and coloured by rung; the shaded corner "
        f"where both are low is where peer production is viable. {_plural(total, 'placement')}, "
        f"{described:,} with both costs given, {viable:,} in the viable region."
    )
    # Within a cell, rungs 1-11 spread from left to right.
    circles = [
        {
            **row,
            "x": round(levels.index(row["capital_cost"]) + (row["rung"] - 6) * 0.07, 3),
            "y": levels.index(row["coordination_cost"]),
        }
        for row in rows
    ]
    x_axis = _cost_axis("Capital cost", levels)
    y_axis = _cost_axis("Coordination cost", levels)
    spec = _spec(
        "Viability: capital cost against coordination cost",
        description,
        width=560,
        height=380,
        layer=[
            {
                "data": {"values": [{"x": -0.5, "x2": 0.5, "y": -0.5, "y2": 0.5}]},
                "mark": {"type": "rect", "color": "#2ca02c", "opacity": 0.18},
                "encoding": {
                    "x": {**x_axis, "field": "x"},
                    "x2": {"field": "x2"},
                    "y": {**y_axis, "field": "y"},
                    "y2": {"field": "y2"},
                },
            },
            {
                "data": {"values": [{"x": 0, "y": 0.5}]},
                "mark": {
                    "type": "text",
                    "text": "viable: both costs low",
                    "dy": 12,
                    "color": "#1a6b1a",
                },
                "encoding": {
                    "x": {**x_axis, "field": "x"},
                    "y": {**y_axis, "field": "y"},
                },
            },
            {
                "data": {"values": circles},
                "mark": {"type": "circle", "opacity": 0.85, "stroke": "#222"},
                "encoding": {
                    "x": {**x_axis, "field": "x"},
                    "y": {**y_axis, "field": "y"},
                    "size": {
                        "field": "count",
                        "type": "quantitative",
                        "title": "Placements",
                        "legend": {"format": "d", "tickMinStep": 1},
                    },
                    "color": _rung_colour(),
                    "tooltip": [
                        {"field": "capital_cost", "title": "Capital cost"},
                        {"field": "coordination_cost", "title": "Coordination cost"},
                        {"field": "rung_label", "title": "Rung"},
                        {"field": "count", "title": "Placements"},
                    ],
                },
            },
        ],
    )
    table = Table(
        caption="Standing placements per capital cost, coordination cost and rung",
        columns=("Capital cost", "Coordination cost", "Rung", "Placements", "Viable"),
        rows=[
            (
                row["capital_cost"],
                row["coordination_cost"],
                row["rung_label"],
                row["count"],
                "yes" if row["viable"] else "no",
            )
            for row in rows
        ],
    )
    return Chart("viability", "Viability", description, spec, table)


# Agreement -----------------------------------------------------------------------------------


def agreement_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Mean agreement and contested share per rung, with the catalogue's alpha."""
    rows = selectors.agreement_by_rung(filters)
    alpha = selectors.catalogue_alpha()
    alpha_text = (
        f"Krippendorff's alpha {alpha['alpha']:.2f} over {_plural(alpha['units'], 'period')} "
        "placed by two or more contributors"
        if alpha["alpha"] is not None
        else "Krippendorff's alpha cannot be computed yet (too few periods placed by two or "
        "more contributors, or no disagreement to measure)"
    )
    values = []
    for row in rows:
        for measure, key in (
            ("Mean agreement", "mean_agreement"),
            ("Contested share", "contested_share"),
        ):
            if row[key] is not None:
                values.append(
                    {
                        "rung_label": row["rung_label"],
                        "measure": measure,
                        "value": row[key],
                        "cases": row["count"],
                    }
                )
    description = (
        "Agreement: for each rung, the mean share of placements that agree with its cases' "
        f"standing rung, and the share of its cases that are contested. {alpha_text}."
    )
    spec = _spec(
        "Agreement per rung",
        description,
        width=760,
        height=260,
        data={"values": values},
        mark={"type": "bar"},
        encoding={
            "x": _rung_axis(),
            "xOffset": {
                "field": "measure",
                "type": "nominal",
                "scale": {"domain": ["Mean agreement", "Contested share"]},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": "Share",
                "scale": {"domain": [0, 1]},
                "axis": {"format": "%"},
            },
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": "Measure",
                "scale": {
                    "domain": ["Mean agreement", "Contested share"],
                    "range": ["#3b7dd8", "#d62728"],
                },
            },
            "tooltip": [
                {"field": "rung_label", "title": "Rung"},
                {"field": "measure", "title": "Measure"},
                {"field": "value", "title": "Value", "format": ".0%"},
                {"field": "cases", "title": "Cases"},
            ],
        },
    )
    spec["title"]["subtitle"] = alpha_text
    table = Table(
        caption="Agreement and contested cases per rung",
        columns=("Rung", "Cases", "Mean agreement", "Contested", "Contested share"),
        rows=[
            (
                row["rung_label"],
                row["count"],
                "—" if row["mean_agreement"] is None else f"{row['mean_agreement']:.0%}",
                row["contested"],
                "—" if row["contested_share"] is None else f"{row['contested_share']:.0%}",
            )
            for row in rows
        ],
    )
    return Chart("agreement", "Agreement", description, spec, table)


BUILDERS: dict[str, Callable[[CaseFilters], Chart]] = {
    "ladder": ladder_chart,
    "trend": trend_chart,
    "trajectories": trajectories_chart,
    "viability": viability_chart,
    "agreement": agreement_chart,
}


def build(name: str, filters: CaseFilters = NO_FILTERS) -> Chart:
    """The chart called ``name`` (one of :data:`NAMES`), computed from the catalogue now."""
    try:
        builder = BUILDERS[name]
    except KeyError:
        raise UnknownChart(f"unknown chart {name!r}; charts are: {', '.join(NAMES)}") from None
    return builder(filters)


# Rendering ---------------------------------------------------------------------------------

_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_UNSAFE = re.compile(r"<(script|foreignObject)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)


# vl-convert resolves relative links against its own base URL; put ours back.
_RENDERER_BASE = re.compile(r'(xlink:href|href)="https://vega\.github\.io/vega-datasets/+')
_LINKED_MARK = re.compile(r'(<a [^>]*>)(<path aria-label="([^"]*)")')


def _accessible_svg(svg: str, title: str, description: str, id_prefix: str) -> str:
    """Give the SVG a role, a <title> and a <desc>, give each linked mark a tooltip
    (an SVG <title>), and drop anything scriptable."""
    svg = _UNSAFE.sub("", svg)
    svg = _EVENT_ATTRIBUTE.sub("", svg)
    svg = _RENDERER_BASE.sub(r'\1="/', svg)
    svg = _LINKED_MARK.sub(r"\1<title>\3</title>\2", svg)
    match = _SVG_OPEN.search(svg)
    if match is None:
        return svg
    opening = match.group(0)[:-1].rstrip("/")
    labelled = (
        f'{opening} role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
    )
    return svg[: match.start()] + labelled + svg[match.end() :]


def render(spec: dict[str, Any], fmt: str, *, scale: float = 2.0) -> bytes:
    """The chart as an SVG document or a PNG image (``scale`` times the SVG's size)."""
    if fmt == "svg":
        return render_svg(spec).encode()
    if fmt == "png":
        return bytes(vl_convert.vegalite_to_png(spec, scale=scale))
    raise UnknownChart(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")


def render_chart(name: str, fmt: str, *, scale: float = 2.0) -> tuple[Chart, bytes]:
    """The chart called ``name``, built from the catalogue now, and its SVG or PNG file."""
    built = build(name)
    return built, render(built.spec, fmt, scale=scale)


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The specification compiled to Vega, for drawing in the browser with Vega alone."""
    compiled: dict[str, Any] = vl_convert.vegalite_to_vega(spec)
    return compiled


def render_svg(spec: dict[str, Any], *, id_prefix: str = "chart") -> str:
    """The chart as SVG text with a title and a description for assistive technology."""
    title = spec.get("title", {})
    title_text = title.get("text", "") if isinstance(title, dict) else str(title)
    svg = vl_convert.vegalite_to_svg(spec)
    return _accessible_svg(svg, title_text, spec.get("description", ""), id_prefix)
