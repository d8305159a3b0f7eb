"""The charts as Vega-Lite v5 specifications built from the selectors' rows.

Each chart is data first: :func:`build` runs the selectors and returns a
:class:`Chart` with the specifications (data inline as values; a wide one and,
for phones, a narrow one), a text alternative and the data table shown beside
it. :func:`render` turns a specification into SVG or PNG with vl-convert,
offline (in the server's drawing process: :mod:`peerladder.insights.renderer`).
The ladder map lives in :mod:`peerladder.insights.ladder_map`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peerladder.catalogue.selectors import CaseFilters
from peerladder.insights import renderer, selectors
from peerladder.insights.chart_base import (
    COMMUNITY_COLOUR,
    FIRM_COLOUR,
    NARROW_WIDTH,
    VIEW_LABELS,
    Chart,
    Table,
    UnknownChart,
    alpha_text,
    rung_axis,
    rung_colour,
    spec,
    title_of,
    trajectory_layers,
    wrap,
    wrapped_labels,
)
from peerladder.insights.ladder_map import ladder_chart
from peerladder.insights.selectors import (
    COST_LEVELS,
    NO_FILTERS,
    NOT_GIVEN,
    RUNG_LABELS,
    Row,
    contested_label,
)
from peerladder.insights.viability import harris_credit

__all__ = [
    "FORMATS",
    "NAMES",
    "Chart",
    "Table",
    "UnknownChart",
    "alpha_text",
    "build",
    "render",
    "render_chart",
    "render_svg",
]

NAMES = ("ladder", "trend", "trajectories", "viability", "agreement")
FORMATS = ("svg", "png")
TRAJECTORY_LABEL_LIMIT = 40  # more moved cases than this: lines without end labels


# Trend --------------------------------------------------------------------------------


def trend_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Cases by founding year (each once: agreed ones by rung, contested ones apart), and
    placements by the year their period starts."""
    founding = selectors.founding_trend(filters)
    periods = selectors.placement_trend(filters)
    totals = selectors.totals(filters)
    undated = totals["cases"] - totals["unplaced"] - sum(row["count"] for row in founding)
    contested = sum(row["count"] for row in founding if row["rung"] is None)
    placed = sum(r["count"] for r in founding)
    placements = sum(r["count"] for r in periods)
    description = _(
        "Two bar charts of the catalogue over time, bars stacked by rung. Above, the "
        "{placed} with a founding year, each counted once: agreed cases by the rung they "
        "stand on now, the {contested} in a grey band of their own. Below, the "
        "{placements} by the year the period they describe starts. These are the founding "
        "years of the cases catalogued now, not a count of the field over time: cases that "
        "closed early are less likely to be here."
    ).format(
        placed=ngettext("{count} placed case", "{count} placed cases", placed).format(
            count=f"{placed:,}"
        ),
        contested=ngettext("{count} contested case", "{count} contested cases", contested).format(
            count=f"{contested:,}"
        ),
        placements=ngettext("{count} placement", "{count} placements", placements).format(
            count=f"{placements:,}"
        ),
    )

    def panel(rows: list[Row], title: str, y_title: str, width: int, narrow: bool) -> Row:
        legend: dict[str, Any] = (
            {
                "orient": "bottom",
                "columns": 1,
                "labelExpr": wrapped_labels([*RUNG_LABELS, contested_label()], 40),
            }
            if narrow
            else {"orient": "right"}
        )
        return {
            "title": title,
            "width": width,
            "height": 200,
            "data": {"values": rows},
            "mark": {"type": "bar", "size": 5 if not narrow else 3},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "quantitative",
                    "title": _("Year"),
                    "axis": {"format": "d", "tickCount": 5 if narrow else 10},
                    "scale": {"zero": False},
                },
                "y": {
                    "field": "count",
                    "type": "quantitative",
                    "title": y_title,
                    "stack": "zero",
                    "axis": {"tickMinStep": 1},
                },
                "color": rung_colour(extra=(contested_label(),), **legend),
                "order": {"field": "rung", "type": "quantitative"},
                "description": {"field": "label"},
                "tooltip": {"field": "label"},
            },
        }

    def labelled(rows: list[Row], what: str) -> list[Row]:
        return [
            {
                **r,
                "label": what.format(year=r["year"], count=r["count"], rung=r["rung_label"]),
            }
            for r in rows
        ]

    founding_rows = labelled(founding, _("{year}: {count} founded, {rung}"))
    period_rows = labelled(periods, _("{year}: {count} placements starting, {rung}"))

    def layout(width: int, narrow: bool) -> dict[str, Any]:
        return spec(
            _("Trend: the rungs over time"),
            description,
            _("Founding years of today's cases; each contested case once, in grey."),
            narrow=narrow,
            vconcat=[
                panel(
                    founding_rows, _("Cases by founding year"), _("Cases founded"), width, narrow
                ),
                panel(period_rows, _("Placements by period start"), _("Placements"), width, narrow),
            ],
            resolve={"scale": {"color": "shared", "x": "shared"}},
        )

    table = Table(
        caption=_(
            "Cases per founding year and rung (contested cases in their own row), and "
            "placements per period start and rung"
        ),
        columns=(_("Basis"), _("Year"), _("Rung"), _("Count")),
        rows=[(_("founding year"), r["year"], r["rung_label"], r["count"]) for r in founding]
        + [(_("placement period"), r["year"], r["rung_label"], r["count"]) for r in periods],
        footer=[
            (_("Cases with a founding year"), "", "", sum(r["count"] for r in founding)),
            (_("Placed cases without one"), "", "", undated),
            (_("Not placed yet"), "", "", totals["unplaced"]),
            (_("The catalogue"), "", "", totals["cases"]),
        ],
    )
    return Chart(
        "trend",
        _("Trend"),
        description,
        layout(500, False),
        table,
        narrow=layout(NARROW_WIDTH - 40, True),
    )


# Trajectories -----------------------------------------------------------------------------


def trajectories_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """The cases that moved between rungs: one small panel per case, named, with its line
    from period to period and each point labelled with its rung."""
    moved = selectors.trajectories(filters)
    previous: dict[str, int] = {}
    numbers = []  # a point's rung, written where the line arrives on a new rung
    for point in moved["points"]:
        arrives = not point["contested"] and previous.get(point["slug"]) != point["rung"]
        numbers.append(str(point["rung"]) if arrives else "")
        if not point["contested"]:
            previous[point["slug"]] = point["rung"]
    points = [
        {
            **point,
            "href": f"/cases/{point['slug']}",
            "number": number,
            "label": (
                _("{name}: from {year}, rung {rung} (contested: split with another rung)")
                if point["contested"]
                else _("{name}: from {year}, rung {rung}")
            ).format(name=point["name"], year=point["year"], rung=point["rung_label"]),
        }
        for point, number in zip(moved["points"], numbers, strict=True)
    ]
    moved_cases = ngettext("{count} case", "{count} cases", moved["moved"]).format(
        count=f"{moved['moved']:,}"
    )
    description = (
        _(
            "Trajectories: {moved} moved from one rung to another over time. Each has a "
            "panel of its own, named, with a line from period to period and every point "
            "labelled with its rung (the first {shown} by name are drawn). A period whose "
            "placements are split between rungs is a red cross at each of them. Shading: "
            "firm view (rungs 1-5) below, community view (6-11) above."
        )
        if moved["shown"] < moved["moved"]
        else _(
            "Trajectories: {moved} moved from one rung to another over time. Each has a "
            "panel of its own, named, with a line from period to period and every point "
            "labelled with its rung. A period whose placements are split between rungs is a "
            "red cross at each of them. Shading: firm view (rungs 1-5) below, community view "
            "(6-11) above."
        )
    ).format(moved=moved_cases, shown=moved["shown"])
    years = [p["year"] for p in points] or [2000, 2020]
    x = {
        "field": "year",
        "type": "quantitative",
        "title": None,
        "axis": {"format": "d", "tickCount": 4, "grid": False},
        "scale": {"zero": False, "nice": False, "domain": [min(years) - 2, max(years) + 2]},
    }
    y = {
        "field": "rung",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [0.5, 11.5], "nice": False, "zero": False},
        "axis": {"values": [1, 6, 11], "grid": False},
    }
    y_scale = {key: value for key, value in y.items() if key != "field"}
    # One shaded rectangle per half and panel: aggregate the panel's rows to one first.
    one_per_panel = [{"aggregate": [{"op": "count", "as": "points"}], "groupby": []}]
    layers: list[dict[str, Any]] = [
        {
            "transform": one_per_panel,
            "mark": {"type": "rect", "aria": False, "opacity": 0.12, "color": FIRM_COLOUR},
            "encoding": {"y": {"datum": 0.5, **y_scale}, "y2": {"datum": 5.5}},
        },
        {
            "transform": one_per_panel,
            "mark": {"type": "rect", "aria": False, "opacity": 0.12, "color": COMMUNITY_COLOUR},
            "encoding": {"y": {"datum": 5.5, **y_scale}, "y2": {"datum": 11.5}},
        },
        *trajectory_layers(x, y, linked=True, cross_size=80),
    ]

    def layout(columns: int, width: int) -> dict[str, Any]:
        return spec(
            _("Trajectories: cases that moved"),
            description,
            _("{moved} moved; each point is labelled with its rung.").format(moved=moved_cases)
            + " "
            + _("Red crosses: a period split between rungs."),
            narrow=columns == 1,
            data={"values": points},
            facet={
                "field": "name",
                "type": "nominal",
                "title": None,
                "header": {"labelFontWeight": "bold", "labelAnchor": "start", "labelLimit": width},
            },
            columns=columns,
            spec={"width": width, "height": 110, "layer": layers},
            resolve={"axis": {"x": "independent"}},
        )

    table = Table(
        caption=_("Each moved case's rung at the start of each period (and the end of the last)"),
        columns=(_("Case"), _("Year"), _("Rung"), _("Period")),
        rows=[
            (
                p["name"],
                p["year"],
                p["rung_label"],
                _("contested") if p["contested"] else _("agreed"),
            )
            for p in points
        ],
    )
    return Chart(
        "trajectories",
        _("Trajectories"),
        description,
        layout(3, 230),
        table,
        narrow=layout(1, NARROW_WIDTH - 50),
    )


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


VIABILITY_PANELS = {
    "firm": gettext_lazy("Firm view (rungs 1-5): could the same output be peer-produced?"),
    "community": gettext_lazy(
        "Community view (rungs 6-11): is peer production of the case viable?"
    ),
}


def viability_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Capital cost against coordination cost, the firm and community halves apart, with
    the corner where both are low (Jed Harris's conditions) shaded."""
    rows = selectors.viability_counts(filters)
    levels = [*COST_LEVELS, NOT_GIVEN]
    total = sum(row["count"] for row in rows)
    described = sum(
        row["count"]
        for row in rows
        if row["capital_cost"] != NOT_GIVEN and row["coordination_cost"] != NOT_GIVEN
    )
    low = {
        view: sum(r["count"] for r in rows if r["viable"] and r["view"] == view)
        for view in VIEW_LABELS
    }
    description = _(
        "Viability: the standing placements (one per account) by the capital cost and the "
        "coordination cost their answers give, in two panels. The shaded corner, where both "
        "costs are low, meets {harris}. On the community rungs it means peer "
        "production of the case is viable; on the firm rungs, that the same output could "
        "be peer-produced. {total}, {described} with both costs given; in the shaded "
        "corner, {community} on community rungs and {firm} on firm rungs."
    ).format(
        harris=harris_credit(),
        total=ngettext("{count} placement", "{count} placements", total).format(count=f"{total:,}"),
        described=f"{described:,}",
        community=f"{low['community']:,}",
        firm=f"{low['firm']:,}",
    )
    x_axis = _cost_axis(_("Capital cost"), levels)
    y_axis = _cost_axis(_("Coordination cost"), levels)

    def panel(view: str, width: int, narrow: bool) -> dict[str, Any]:
        circles = [
            {
                **row,
                "x": round(levels.index(row["capital_cost"]) + (row["rung"] - 6) * 0.06, 3),
                "y": levels.index(row["coordination_cost"]),
                "label": _(
                    "{count} at rung {rung}: capital cost {capital}, coordination cost "
                    "{coordination}"
                ).format(
                    count=row["count"],
                    rung=row["rung_label"],
                    capital=row["capital_cost"],
                    coordination=row["coordination_cost"],
                ),
            }
            for row in rows
            if row["view"] == view
        ]
        legend: dict[str, Any] = {
            "orient": "bottom" if narrow else "right",
            "columns": 1,
            "labelExpr": wrapped_labels(RUNG_LABELS, 32 if narrow else 26),
        }
        return {
            "title": {
                "text": wrap(str(VIABILITY_PANELS[view]), 40),
                "fontSize": 13,
                "anchor": "start",
            },
            "width": width,
            "height": width * 0.8,
            "layer": [
                {
                    "data": {"values": [{"x": -0.5, "x2": 0.5, "y": -0.5, "y2": 0.5}]},
                    "mark": {"type": "rect", "aria": False, "color": "#2ca02c", "opacity": 0.18},
                    "encoding": {
                        "x": {**x_axis, "field": "x"},
                        "x2": {"field": "x2"},
                        "y": {**y_axis, "field": "y"},
                        "y2": {"field": "y2"},
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
                            "title": _("Placements"),
                            # On a phone the sizes are in the tooltips and the table.
                            "legend": None if narrow else {"format": "d", "values": [1, 5, 10, 20]},
                        },
                        "color": rung_colour(**legend),
                        "description": {"field": "label"},
                        "tooltip": {"field": "label"},
                    },
                },
            ],
        }

    def layout(width: int, narrow: bool) -> dict[str, Any]:
        panels = [panel("firm", width, narrow), panel("community", width, narrow)]
        return spec(
            _("Viability: capital cost against coordination cost"),
            description,
            _("Shaded: {harris}.").format(harris=harris_credit()),
            narrow=narrow,
            **({"vconcat": panels} if narrow else {"hconcat": panels}),
            resolve={"scale": {"color": "shared", "size": "shared"}},
        )

    table = Table(
        caption=_(
            "Standing placements per capital cost, coordination cost and rung; both costs "
            "low means peer production is viable (community rungs) or that the output could "
            "be peer-produced (firm rungs)"
        ),
        columns=(
            _("Capital cost"),
            _("Coordination cost"),
            _("Rung"),
            _("Placements"),
            _("Both low"),
        ),
        rows=[
            (
                row["capital_cost"],
                row["coordination_cost"],
                row["rung_label"],
                row["count"],
                _("yes") if row["viable"] else _("no"),
            )
            for row in rows
        ],
    )
    return Chart(
        "viability",
        _("Viability"),
        description,
        layout(250, False),
        table,
        narrow=layout(NARROW_WIDTH - 90, True),
    )


# Agreement -----------------------------------------------------------------------------------


MEASURES = ("Placed by two or more accounts", "Their mean agreement")


def agreement_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Per rung: the share of its cases placed by two or more accounts, their mean
    agreement and the contested count; the catalogue's alpha with its N."""
    rows = selectors.agreement_by_rung(filters)
    alpha = selectors.catalogue_alpha(filters)
    totals = selectors.totals(filters)
    summary = alpha_text(alpha)
    # MEASURES in the chart's language: they are the bars' data and their legend.
    measures = (_("Placed by two or more accounts"), _("Their mean agreement"))
    # Each bar's label is a whole sentence of its own: a measure's name cannot be put
    # into another sentence by lowering its case (German nouns keep their capital).
    labels = (
        _("Rung {rung}: placed by two or more accounts {value}"),
        _("Rung {rung}: their mean agreement {value}"),
    )
    values = []
    for row in rows:
        for measure, label, key in zip(
            measures, labels, ("independent_share", "mean_agreement"), strict=True
        ):
            if row[key] is not None:
                values.append(
                    {
                        "rung_label": row["rung_label"],
                        "measure": measure,
                        "value": row[key],
                        "label": label.format(rung=row["rung_label"], value=f"{row[key]:.0%}"),
                    }
                )
    notes = [
        {
            "rung_label": row["rung_label"],
            "text": _("{cases} cases, {contested} contested").format(
                cases=row["cases"], contested=row["contested"]
            ),
        }
        for row in rows
    ]
    description = _(
        "Agreement per rung, over the cases drawn at it (agreed ones standing there and "
        "contested ones split with it): the share placed by two or more different accounts "
        "in their latest period, the mean share of those accounts' placements that put the "
        "case on this rung, and the number contested. {summary}."
    ).format(summary=summary)

    colour = {
        "field": "measure",
        "type": "nominal",
        "title": None,
        "scale": {"domain": list(measures), "range": [COMMUNITY_COLOUR, FIRM_COLOUR]},
    }

    def wide() -> dict[str, Any]:
        y = rung_axis(None, labelExpr=wrapped_labels(RUNG_LABELS, 44), labelPadding=6)
        x = {
            "field": "value",
            "type": "quantitative",
            "title": _("Share"),
            "scale": {"domain": [0, 1]},
            "axis": {"format": "%", "tickCount": 5},
        }
        return spec(
            _("Agreement per rung"),
            description,
            wrap(summary, 110),
            width=420,
            height=11 * 34,
            layer=[
                {
                    "data": {"values": values},
                    "mark": {"type": "bar"},
                    "encoding": {
                        "y": y,
                        "yOffset": {"field": "measure", "scale": {"domain": list(measures)}},
                        "x": x,
                        "color": {**colour, "legend": {"orient": "top", "direction": "horizontal"}},
                        "description": {"field": "label"},
                        "tooltip": {"field": "label"},
                    },
                },
                {
                    "data": {"values": notes},
                    "mark": {"type": "text", "align": "left", "dx": 6, "color": "#333"},
                    "encoding": {"y": y, "x": {"value": 420}, "text": {"field": "text"}},
                },
            ],
        )

    def narrow() -> dict[str, Any]:
        """Rungs as rows, 1 at the top: a line naming the rung and its counts, then
        the two bars."""
        y_scale = {
            "type": "quantitative",
            "scale": {"domain": [0, 11], "nice": False},
            "axis": None,
        }
        heads = [
            {
                "y": 12 - row["rung"] - 0.04,
                "lines": wrap(f"{row['rung_label']} \u2014 {note['text']}", 44),
            }
            for row, note in zip(rows, notes, strict=True)
        ]
        bars = [
            {
                **value,
                "y": 11
                - int(value["rung_label"].split(" ")[0])
                + (0.36 if value["measure"] == measures[0] else 0.16),
            }
            for value in values
        ]
        for bar in bars:
            bar["y2"], bar["start"] = bar["y"] + 0.17, 0
        return spec(
            _("Agreement per rung"),
            description,
            summary,
            narrow=True,
            width=NARROW_WIDTH,
            height=11 * 72,
            layer=[
                {
                    "data": {"values": [{"y": n} for n in range(1, 11)]},
                    "mark": {"type": "rule", "aria": False, "color": "#bbb"},
                    "encoding": {"y": {**y_scale, "field": "y"}},
                },
                {
                    "data": {"values": heads},
                    "mark": {"type": "text", "align": "left", "baseline": "top", "lineHeight": 15},
                    "encoding": {
                        "y": {**y_scale, "field": "y"},
                        "x": {"value": 0},
                        "text": {"field": "lines"},
                    },
                },
                {
                    "data": {"values": bars},
                    "mark": {"type": "rect"},
                    "encoding": {
                        "y": {**y_scale, "field": "y"},
                        "y2": {"field": "y2"},
                        "x": {
                            "field": "start",
                            "type": "quantitative",
                            "scale": {"domain": [0, 1]},
                            "axis": {"format": "%", "tickCount": 4, "title": _("Share")},
                        },
                        "x2": {"field": "value"},
                        "color": {
                            **colour,
                            "legend": {"orient": "top", "direction": "vertical"},
                        },
                        "description": {"field": "label"},
                        "tooltip": {"field": "label"},
                    },
                },
            ],
        )

    table = Table(
        caption=_(
            "Agreement per rung: cases drawn there (contested ones at each of their rungs), "
            "those placed by two or more accounts, their mean agreement, and the contested"
        ),
        columns=(
            _("Rung"),
            _("Cases"),
            _("Agreed"),
            _("Contested"),
            _("Placed by 2+ accounts"),
            _("Mean agreement of those"),
        ),
        rows=[
            (
                row["rung_label"],
                row["cases"],
                row["agreed"],
                row["contested"],
                row["independent"],
                "—" if row["mean_agreement"] is None else f"{row['mean_agreement']:.0%}",
            )
            for row in rows
        ],
        footer=[
            (
                _("All rungs, each case once"),
                totals["agreed"] + totals["contested"],
                totals["agreed"],
                totals["contested"],
                "",
                "",
            ),
            (_("Not placed yet"), totals["unplaced"], "", "", "", ""),
            (_("The catalogue"), totals["cases"], "", "", "", ""),
        ],
    )
    return Chart(
        "agreement",
        _("Agreement"),
        description,
        wide(),
        table,
        narrow=narrow(),
        totals={key: totals[key] for key in ("cases", "agreed", "contested", "unplaced")},
    )


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
# Geometry as the renderer writes it, to sixteen digits: two decimals of a pixel are
# plenty, and at 100,000 cases the ladder map's marks were a fifth digits.
_GEOMETRY = re.compile(r'\b(transform|d|x|y|x1|x2|y1|y2|width|height)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")
# A data mark: Vega gives it the role graphics-symbol and its description as aria-label.
_DATA_MARK = re.compile(r'<path aria-label="([^"]*)" role="graphics-symbol"')
# An empty layer's container (no marks to draw) is a graphics-symbol with no name:
# nothing to announce, so it leaves the accessibility tree.
_NAMELESS_CONTAINER = re.compile(
    r'(<g class="mark-[^"]*") role="graphics-symbol" (aria-roledescription="[^"]*")(/?>)'
)


def _trimmed_geometry(match: re.Match[str]) -> str:
    trimmed = _LONG_DECIMAL.sub(r"\1", match[2])
    return f'{match[1]}="{trimmed}"'


def _accessible_svg(svg: str, title: str, description: str, id_prefix: str) -> str:
    """Give the SVG a document role, a <title> and a <desc>, give each mark a class the
    page's script makes focusable (and gives a tooltip: the mark's own ``aria-label``,
    which also names its link, so the label is written once), trim the geometry's
    decimals, and drop anything scriptable. The role is not ``img``: an image's
    children are hidden from assistive technology, and the marks are links and
    labelled symbols to reach."""
    svg = _UNSAFE.sub("", svg)
    svg = _EVENT_ATTRIBUTE.sub("", svg)
    svg = _RENDERER_BASE.sub(r'\1="/', svg)
    svg = _GEOMETRY.sub(_trimmed_geometry, svg)
    svg = _DATA_MARK.sub(r'<path class="chart-mark" aria-label="\1" role="graphics-symbol"', svg)
    svg = _NAMELESS_CONTAINER.sub(r'\1 aria-hidden="true"\3', svg)
    match = _SVG_OPEN.search(svg)
    if match is None:
        return svg
    opening = match.group(0)[:-1].rstrip("/")
    labelled = (
        f'{opening} role="graphics-document" aria-roledescription="chart" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
    )
    return svg[: match.start()] + labelled + svg[match.end() :]


def render(spec: dict[str, Any], fmt: str, *, scale: float = 2.0) -> bytes:
    """The chart as an SVG document or a PNG image (``scale`` times the SVG's size)."""
    if fmt == "svg":
        return render_svg(spec).encode()
    if fmt == "png":
        return bytes(renderer.draw("png", spec, scale=scale))
    raise UnknownChart(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")


def render_chart(name: str, fmt: str, *, scale: float = 2.0) -> tuple[Chart, bytes]:
    """The chart called ``name``, built from the catalogue now, and its SVG or PNG file."""
    built = build(name)
    return built, render(built.spec, fmt, scale=scale)


def render_svg(spec: dict[str, Any], *, id_prefix: str = "chart", title: str | None = None) -> str:
    """The chart as SVG text with a title and a description for assistive technology."""
    svg = str(renderer.draw("svg", spec))
    return _accessible_svg(svg, title or title_of(spec), spec.get("description", ""), id_prefix)
