"""A case's trajectory as a small chart for its page: one step line from period to
period, each new rung written beside its point, contested periods as red crosses at
every rung they are split between. Built from the periods the page already has
(no queries here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerladder.insights.chart_base import (
    COMMUNITY_COLOUR,
    FIRM_COLOUR,
    Chart,
    Table,
    spec,
    trajectory_layers,
)
from peerladder.insights.selectors import rung_label, split_label
from peerladder.ladder import Period
from peerladder.lexicon import lookup

WIDTH, HEIGHT = 250, 150  # with its axes, under 328 px: never shrunk on a phone


def _year(text: str) -> int:
    return int(text[:4])


def case_trajectory_chart(name: str, periods: Sequence[Period], *, now_year: int) -> Chart:
    """The trajectory of the case called ``name`` over ``periods`` (in time order)."""
    points: list[dict[str, Any]] = []
    rows = []
    previous: int | None = None
    for order, period in enumerate(periods):
        start = _year(period.valid_from)
        consensus = period.consensus
        if period.rung is None or consensus.contested:
            label = split_label(consensus.counts)
            for number in consensus.counts:
                points.append(
                    {
                        "year": start,
                        "rung": number,
                        "contested": True,
                        "order": order,
                        "number": "",
                        "label": _("{period}: contested, {split}; drawn at rung {rung}").format(
                            period=period.label_in(lookup()), split=label, rung=rung_label(number)
                        ),
                    }
                )
        if period.rung is not None:
            points.append(
                {
                    "year": start,
                    "rung": period.rung,
                    "contested": False,
                    "order": order,
                    "number": "" if period.rung == previous else str(period.rung),
                    "label": _("{period}: rung {rung}").format(
                        period=period.label_in(lookup()), rung=rung_label(period.rung)
                    ),
                }
            )
            previous = period.rung
        rows.append(
            (
                period.label_in(lookup()),
                rung_label(period.rung) if period.rung else _("none (tied)"),
                split_label(consensus.counts) if consensus.contested else _("agreed"),
                f"{consensus.agreement:.0%}",
                consensus.n,
            )
        )
    decided = [p for p in periods if p.rung is not None]
    if decided:
        last = decided[-1]
        end = _year(last.valid_to) if last.valid_to else now_year
        if end > _year(last.valid_from) and last is periods[-1]:
            points.append(
                {
                    "year": end,
                    "rung": last.rung,
                    "contested": False,
                    "order": len(periods),
                    "number": "",
                    "label": (
                        _("until {year}: rung {rung}")
                        if last.valid_to
                        else _("now {year}: rung {rung}")
                    ).format(year=end, rung=rung_label(last.rung or 0)),
                }
            )
    years = [p["year"] for p in points] or [now_year]
    moved = len({p.rung for p in decided}) > 1
    counted = ngettext("{count} period", "{count} periods", len(periods)).format(
        count=f"{len(periods):,}"
    )
    description = (
        (
            _("{name} over time: {periods}, moving between rungs")
            if moved
            else _("{name} over time: {periods}")
        ).format(name=name, periods=counted)
        + ". "
        + "; ".join(f"{row[0]}: {row[1]} ({row[2]})" for row in rows)
        + "."
    )
    x = {
        "field": "year",
        "type": "quantitative",
        "title": None,
        "axis": {"format": "d", "tickCount": 4, "grid": False},
        "scale": {
            "zero": False,
            "nice": False,
            "domain": [min(years) - 1, max(max(years), min(years) + 4) + 1],
        },
    }
    y = {
        "field": "rung",
        "type": "quantitative",
        "title": _("Rung"),
        "scale": {"domain": [0.5, 11.5], "nice": False, "zero": False},
        "axis": {"values": [1, 6, 11], "grid": False},
    }
    y_scale = {key: value for key, value in y.items() if key != "field"}
    chart_spec = spec(
        _("Trajectory of {name}").format(name=name),
        description,
        width=WIDTH,
        height=HEIGHT,
        data={"values": points},
        layer=[
            {
                "data": {"values": [{"from": 0.5, "to": 5.5}]},
                "mark": {"type": "rect", "aria": False, "opacity": 0.12, "color": FIRM_COLOUR},
                "encoding": {"y": {**y_scale, "field": "from"}, "y2": {"field": "to"}},
            },
            {
                "data": {"values": [{"from": 5.5, "to": 11.5}]},
                "mark": {"type": "rect", "aria": False, "opacity": 0.12, "color": COMMUNITY_COLOUR},
                "encoding": {"y": {**y_scale, "field": "from"}, "y2": {"field": "to"}},
            },
            *trajectory_layers(x, y, linked=False, cross_size=90),
        ],
    )
    chart_spec["title"] = {"text": "", "subtitle": ""}  # the page's heading names it
    table = Table(
        caption=_("The periods of {name}, their rung and how far placements agree").format(
            name=name
        ),
        columns=(
            _("Period"),
            _("Rung"),
            _("Split"),
            _("Agreement"),
            _("Placements (one per account)"),
        ),
        rows=rows,
    )
    title = _("Trajectory of {name}").format(name=name)
    return Chart("case-trajectory", title, description, chart_spec, table)
