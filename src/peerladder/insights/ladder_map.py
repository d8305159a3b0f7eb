"""The ladder map: every case at its rung, economies as bands, contested cases drawn at
each rung they are split between. Three layouts from the same rows: wide (rungs
as columns), narrow (rungs as rows, for phones) and the poster (the wide layout at
print size, with a caption saying when, how many and whose model it draws)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerladder.catalogue.selectors import CaseFilters
from peerladder.insights import selectors
from peerladder.insights.chart_base import (
    COMMUNITY_COLOUR,
    CONTESTED_COLOUR,
    ECONOMY_LABELS,
    ECONOMY_NAMES,
    FIRM_COLOUR,
    MIN_FONT,
    NARROW_WIDTH,
    VIEW_LABELS,
    Chart,
    Table,
    counted_once,
    spec,
    wrap,
    wrapped_labels,
)
from peerladder.insights.selectors import NO_FILTERS, RUNG_LABELS, Row
from peerladder.ladder import ESSAY_AUTHOR, RUNGS

STATUSES = ("Agreed", "Contested")
POSTER_FONT = 17
WIDE_WIDTH, WIDE_HEIGHT = 790, 300
ROW_HEIGHT = 96  # one rung of the narrow map: two lines of label, then its marks


def essay_credit() -> str:
    """Whose ladder this is, in the active language (the essay's title stays English)."""
    return _("The ladder after {author}, “Ladder of Participation” (2008).").format(
        author=ESSAY_AUTHOR
    )


def _cases(count: int) -> str:
    return ngettext("{count} case", "{count} cases", count).format(count=f"{count:,}")


def _statuses() -> tuple[str, str]:
    """:data:`STATUSES` in the active language: a mark's data and the legend's domain."""
    return (_("Agreed"), _("Contested"))


def _mark_label(mark: Row) -> str:
    """What a mark says on hover, focus or tap, and to a screen reader."""
    where = _("rung {rung}, {economy}").format(
        rung=mark["rung_label"], economy=ECONOMY_NAMES[mark["economy"]]
    )
    if mark["contested"]:
        return _("{name}: contested, {split}; drawn here at {where}").format(
            name=mark["name"], split=mark["split"], where=where
        )
    return f"{mark['name']}: {where}"


def _figures(filters: CaseFilters) -> Row:
    """Everything the three layouts draw, from the selectors."""
    counts = selectors.rung_counts(filters)
    sample = selectors.map_marks(filters)
    totals = selectors.totals(filters)
    marks = [
        {
            **mark,
            "economy_label": ECONOMY_NAMES[mark["economy"]],
            "x": round(mark["rung"] - 0.35 + 0.7 * mark["x_jitter"], 4),
            "status": _statuses()[1] if mark["contested"] else _statuses()[0],
            "href": f"/cases/{mark['slug']}",
            "label": _mark_label(mark),
        }
        for mark in sample["marks"]
    ]
    return {"counts": counts, "sample": sample, "totals": totals, "marks": marks}


def _description(figures: Row) -> str:
    totals, sample, counts = figures["totals"], figures["sample"], figures["counts"]
    shown = (
        _(
            "a sample of {marks} marks stands for the {total} placed cases (the counts are "
            "for all of them)"
        ).format(marks=f"{len(figures['marks']):,}", total=f"{sample['total']:,}")
        if sample["sampled"]
        else _("one mark per agreed case")
    )
    busiest = max(counts, key=lambda row: row["count"])
    return _(
        "The ladder map of {cases}: the 11 rungs in two halves (firm view, community "
        "view), the economies as bands; {shown}. {agreed} agreed on one rung; "
        "{contested}, marked with a red cross; {unplaced} not placed yet."
    ).format(
        cases=_cases(totals["cases"]),
        shown=shown,
        agreed=_cases(totals["agreed"]),
        contested=counted_once(totals["contested"]),
        unplaced=_cases(totals["unplaced"]),
    ) + (
        " "
        + _("The busiest rung is {rung} with {count} (contested cases included).").format(
            rung=busiest["rung_label"], count=f"{busiest['count']:,}"
        )
        if busiest["count"]
        else ""
    )


def _table(figures: Row, filters: CaseFilters) -> Table:
    totals = figures["totals"]
    rows = selectors.rung_economy_counts(filters)
    return Table(
        caption=_(
            "Cases per rung and economy: agreed cases at their rung; contested cases at "
            "every rung they are split between (so that column adds up to more than the "
            "contested total, which counts each case once)"
        ),
        columns=(_("Rung"), _("Economy"), _("Agreed cases"), _("Contested cases drawn here")),
        rows=[
            (row["rung_label"], ECONOMY_NAMES[row["economy"]], row["agreed"], row["contested"])
            for row in rows
        ],
        footer=[
            (_("All rungs"), _("agreed, each once"), totals["agreed"], ""),
            (_("Contested"), _("each case once"), "", totals["contested"]),
            (_("Not placed yet"), "", totals["unplaced"], ""),
            (_("The catalogue"), _("all cases"), totals["cases"], ""),
        ],
    )


def _marks_encoding(
    x: dict[str, Any], y: dict[str, Any], legend: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "x": x,
        "y": y,
        "shape": {
            "field": "status",
            "type": "nominal",
            "title": _("Placement"),
            "scale": {"domain": list(_statuses()), "range": ["circle", "cross"]},
            "legend": legend,
        },
        "href": {"field": "href"},
        "description": {"field": "label"},
        "tooltip": {"field": "label"},
        **extra,
    }


def _count_text(row: Row) -> str:
    """Above a rung: its agreed cases, plus the contested ones drawn there."""
    if row["contested"]:
        return f"{row['agreed']:,} + {row['contested']:,}"
    return f"{row['agreed']:,}"


def _wide_layers(
    figures: Row, *, width: int, point_size: int, font_size: int = MIN_FONT
) -> list[dict[str, Any]]:
    # Rung names wrapped to their column: an average character is about 0.58 em wide.
    per_line = max(8, int(width / 11 / (font_size * 0.58)))
    names = {r.number: wrap(RUNG_LABELS[r.number - 1], per_line, hyphenate=True) for r in RUNGS}
    x_scale = {
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [0.5, 11.5], "nice": False, "zero": False},
        "axis": {
            "values": list(range(1, 12)),
            "labelExpr": f"{json.dumps({str(k): v for k, v in names.items()})}[datum.value]",
            "labelAngle": 0,
            "labelAlign": "center",
            "labelBaseline": "top",
            "labelOverlap": False,
            "labelPadding": 6,
            "grid": False,
            "orient": "bottom",
        },
    }
    halves = [
        {"start": 0.5, "end": 5.5, "half": VIEW_LABELS["firm"], "colour": FIRM_COLOUR},
        {"start": 5.5, "end": 11.5, "half": VIEW_LABELS["community"], "colour": COMMUNITY_COLOUR},
    ]
    counts = [
        {
            **row,
            "text": _count_text(row),
            "label": _(
                "Rung {rung}: {agreed} agreed, {contested} contested cases drawn here"
            ).format(rung=row["rung_label"], agreed=row["agreed"], contested=row["contested"]),
        }
        for row in figures["counts"]
    ]
    return [
        {
            "data": {"values": halves},
            "mark": {"type": "rect", "aria": False, "opacity": 0.1},
            "encoding": {
                "x": {**x_scale, "field": "start"},
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
                "dy": -3,
                "fontStyle": "italic",
                "color": "#333",
            },
            "encoding": {
                "x": {**x_scale, "field": "start"},
                "y": {"value": "height"},
                "text": {"field": "half"},
            },
        },
        {
            "data": {"values": figures["marks"]},
            "mark": {"type": "point", "filled": True, "size": point_size, "opacity": 0.85},
            "encoding": _marks_encoding(
                {**x_scale, "field": "x"},
                {
                    "field": "economy_label",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": list(ECONOMY_LABELS)},
                    "axis": {"labelExpr": wrapped_labels(ECONOMY_LABELS, 14), "labelPadding": 6},
                },
                {"orient": "bottom", "direction": "horizontal"},
                yOffset={
                    "field": "y_jitter",
                    "type": "quantitative",
                    "scale": {"domain": [-0.15, 1.15]},
                },
                color={
                    "field": "status",
                    "type": "nominal",
                    "title": _("Placement"),
                    "scale": {"domain": list(_statuses()), "range": ["#333", CONTESTED_COLOUR]},
                    "legend": {"orient": "bottom", "direction": "horizontal"},
                },
            ),
        },
        {
            "data": {"values": counts},
            "mark": {"type": "text", "dy": -6, "baseline": "bottom", "fontWeight": "bold"},
            "encoding": {
                "x": {**x_scale, "field": "rung"},
                "y": {"value": 0},
                "text": {"field": "text"},
                "description": {"field": "label"},
            },
        },
    ]


def _subtitle(figures: Row, *, rows: bool = False) -> str:
    """What the map draws, in a sentence; ``rows`` for the narrow layout, whose counts
    are in each row's name rather than above each rung."""
    totals, sample = figures["totals"], figures["sample"]
    if sample["sampled"]:
        return _(
            "A sample of {marks} marks for {total} placed cases; the counts are for all of "
            "them, contested ones included."
        ).format(marks=f"{len(figures['marks']):,}", total=f"{sample['total']:,}")
    text = (
        _(
            "{agreed}; {contested}, each drawn at every rung it is split between (red "
            "crosses). In each row: agreed + contested cases drawn there."
        )
        if rows
        else _(
            "{agreed}; {contested}, each drawn at every rung it is split between (red "
            "crosses). Above each rung: agreed + contested cases drawn there."
        )
    )
    return text.format(
        agreed=ngettext("{count} agreed case", "{count} agreed cases", totals["agreed"]).format(
            count=f"{totals['agreed']:,}"
        ),
        contested=ngettext(
            "{count} contested case", "{count} contested cases", totals["contested"]
        ).format(count=f"{totals['contested']:,}"),
    )


def _wide(figures: Row, description: str) -> dict[str, Any]:
    return spec(
        _("The ladder map"),
        description,
        wrap(_subtitle(figures), 110),
        width=WIDE_WIDTH,
        height=WIDE_HEIGHT,
        layer=_wide_layers(figures, width=WIDE_WIDTH, point_size=36),
        resolve={"scale": {"x": "shared"}},
    )


def _narrow(figures: Row, description: str) -> dict[str, Any]:
    """Rungs as rows, 11 at the top as on the ladder page; marks spread along each row,
    coloured by economy, contested ones as crosses."""
    by_rung = {row["rung"]: row for row in figures["counts"]}
    labels = []
    for r in RUNGS:
        row = by_rung[r.number]
        text = f"{RUNG_LABELS[r.number - 1]} \u2014 " + _("{count} agreed").format(
            count=f"{row['agreed']:,}"
        )
        if row["contested"]:
            text += " + " + _("{count} contested").format(count=f"{row['contested']:,}")
        labels.append({"rung": r.number, "y": r.number - 0.06, "lines": wrap(text, 44)})
    marks = [
        {
            **mark,
            "x": round(0.02 + 0.96 * mark["x_jitter"], 4),
            "y": round(mark["rung"] - 0.93 + 0.5 * mark["y_jitter"], 4),
        }
        for mark in figures["marks"]
    ]
    halves = [
        {"start": 0, "end": 5, "colour": FIRM_COLOUR},
        {"start": 5, "end": 11, "colour": COMMUNITY_COLOUR},
    ]
    y_scale = {
        "type": "quantitative",
        "scale": {"domain": [0, 11], "nice": False, "zero": True},
        "axis": None,
    }
    x_scale = {"type": "quantitative", "scale": {"domain": [0, 1], "nice": False}, "axis": None}
    economy_colour = {
        "field": "economy_label",
        "type": "nominal",
        "title": _("Economy"),
        "scale": {
            "domain": list(ECONOMY_LABELS),
            "range": ["#2e8b57", COMMUNITY_COLOUR, FIRM_COLOUR, "#555555"],
        },
        "legend": {"orient": "bottom", "direction": "vertical", "columns": 1},
    }
    return spec(
        _("The ladder map"),
        description,
        _subtitle(figures, rows=True)
        + " "
        + _("Gold: the firm view (rungs 1-5); blue: the community view."),
        narrow=True,
        width=NARROW_WIDTH,
        height=11 * ROW_HEIGHT,
        layer=[
            {
                "data": {"values": halves},
                "mark": {"type": "rect", "aria": False, "opacity": 0.1},
                "encoding": {
                    "y": {**y_scale, "field": "start"},
                    "y2": {"field": "end"},
                    "x": {"value": 0},
                    "x2": {"value": "width"},
                    "fill": {"field": "colour", "type": "nominal", "scale": None},
                },
            },
            {
                "data": {"values": [{"y": n} for n in range(1, 11)]},
                "mark": {"type": "rule", "aria": False, "color": "#bbb"},
                "encoding": {"y": {**y_scale, "field": "y"}},
            },
            {
                "data": {"values": labels},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "top",
                    "dx": 2,
                    "fontWeight": "bold",
                    "lineHeight": 15,
                },
                "encoding": {
                    "y": {**y_scale, "field": "y"},
                    "x": {"value": 0},
                    "text": {"field": "lines"},
                },
            },
            # Agreed cases coloured by economy; contested ones as red crosses in a layer
            # of their own, so each has a legend that shows it as drawn.
            {
                "data": {"values": [mark for mark in marks if not mark["contested"]]},
                "mark": {"type": "point", "filled": True, "size": 40, "opacity": 0.9},
                "encoding": {
                    "x": {**x_scale, "field": "x"},
                    "y": {**y_scale, "field": "y"},
                    "color": economy_colour,
                    "href": {"field": "href"},
                    "description": {"field": "label"},
                    "tooltip": {"field": "label"},
                },
            },
            {
                "data": {"values": [mark for mark in marks if mark["contested"]]},
                "mark": {
                    "type": "point",
                    "filled": True,
                    "size": 60,
                    "opacity": 0.95,
                    "color": CONTESTED_COLOUR,
                },
                "encoding": {
                    "x": {**x_scale, "field": "x"},
                    "y": {**y_scale, "field": "y"},
                    "shape": {
                        "field": "status",
                        "type": "nominal",
                        "title": _("Placement"),
                        "scale": {"domain": ["Contested"], "range": ["cross"]},
                        "legend": {
                            "orient": "bottom",
                            "symbolFillColor": CONTESTED_COLOUR,
                            "symbolStrokeColor": CONTESTED_COLOUR,
                            "labelExpr": json.dumps(_("Contested, at each rung")),
                        },
                    },
                    "href": {"field": "href"},
                    "description": {"field": "label"},
                    "tooltip": {"field": "label"},
                },
            },
        ],
    )


def ladder_chart(filters: CaseFilters = NO_FILTERS) -> Chart:
    """Every case (or a sample) on the ladder; contested ones at each of their rungs."""
    figures = _figures(filters)
    description = _description(figures)
    totals = figures["totals"]
    return Chart(
        "ladder",
        _("The ladder map"),
        description,
        _wide(figures, description),
        _table(figures, filters),
        narrow=_narrow(figures, description),
        totals={key: totals[key] for key in ("cases", "agreed", "contested", "unplaced")},
    )


def poster_spec(
    filters: CaseFilters = NO_FILTERS, *, date: str, site: str, filters_text: str = ""
) -> dict[str, Any]:
    """The map at print size with a caption: the date, the counts (and the filters,
    when any), where it comes from and how to cite it."""
    figures = _figures(filters)
    description = _description(figures)
    totals = figures["totals"]
    inner = {
        "width": 1400,
        "height": 520,
        "layer": _wide_layers(figures, width=1400, point_size=70, font_size=POSTER_FONT),
        "title": {
            "text": _("The ladder of participation: where the catalogued cases stand"),
            "subtitle": _subtitle(figures)
            + (" " + _("Filters: {filters}.").format(filters=filters_text) if filters_text else ""),
            "anchor": "start",
            "fontSize": 30,
            "subtitleFontSize": 18,
        },
    }
    caption = [
        _(
            "peerladder catalogue, {date}: {cases} ({agreed} agreed, {contested} contested, "
            "{unplaced} not placed yet)"
        ).format(
            date=date,
            cases=_cases(totals["cases"]),
            agreed=f"{totals['agreed']:,}",
            contested=f"{totals['contested']:,}",
            unplaced=f"{totals['unplaced']:,}",
        )
        + (f"; {filters_text}" if filters_text else "")
        + ". "
        + _("The counts describe this catalogue, not the world."),
        essay_credit()
        + " "
        + _("Cite as: peerladder, ladder map, {date}, {site}/insights.").format(
            date=date, site=site
        ),
    ]
    return {
        "$schema": spec("", "")["$schema"],
        "description": description,
        "config": {
            **spec("", "")["config"],
            "axis": {
                **spec("", "")["config"]["axis"],
                "labelFontSize": POSTER_FONT,
                "titleFontSize": POSTER_FONT,
            },
            "legend": {
                **spec("", "")["config"]["legend"],
                "labelFontSize": POSTER_FONT,
                "titleFontSize": POSTER_FONT,
            },
            "text": {"fontSize": POSTER_FONT},
        },
        "title": {
            "text": caption[0],
            "subtitle": caption[1],
            "orient": "bottom",
            "anchor": "start",
            "fontSize": 17,
            "fontWeight": "normal",
            "subtitleFontSize": 17,
            "offset": 24,
        },
        "vconcat": [inner],
        "padding": 30,
    }
