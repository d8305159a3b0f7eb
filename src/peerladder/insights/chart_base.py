"""What every chart shares: the Chart and Table shapes, the Vega-Lite config and
small helpers for axes, labels and wording.

Each chart comes in two layouts: ``spec`` for wide screens (and files), and
``narrow`` for phones, drawn to fit 328 px (a 360 px screen less the page's
margins) so that no label has to shrink below 11 px.
"""

from __future__ import annotations

import functools
import json
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import pyphen
from django.utils.translation import get_language, gettext, ngettext

from peerladder.insights import selectors
from peerladder.insights.selectors import RUNG_LABELS, Row
from peerladder.ladder import ECONOMIES
from peerladder.lexicon import economy_name_shown

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


class _Named(Mapping[Any, str]):
    """Names looked up in the active language at each use (charts are drawn per request,
    in the reader's language; the keys stay the same)."""

    def __init__(self, names: dict[Any, Callable[[], str]]) -> None:
        self._names = names

    def __getitem__(self, key: Any) -> str:
        return self._names[key]()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


class _Labels(Sequence[str]):
    """A mapping's names in a fixed order of keys, in the active language at each use."""

    def __init__(self, names: Mapping[Any, str], keys: tuple[Any, ...]) -> None:
        self._names, self._keys = names, keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return tuple(self._names[key] for key in self._keys)[index]


ECONOMY_NAMES: Mapping[Any, str] = _Named(
    {
        **{e.key: (lambda key=e.key: economy_name_shown(key)) for e in ECONOMIES},
        selectors.NO_ECONOMY: lambda: economy_name_shown(None),
    }
)
ECONOMY_LABELS: Sequence[str] = _Labels(ECONOMY_NAMES, tuple(selectors.ECONOMY_KEYS))
VIEW_LABELS: Mapping[Any, str] = _Named(
    {
        "firm": lambda: gettext("Firm view (rungs 1-5)"),
        "community": lambda: gettext("Community view (rungs 6-11)"),
    }
)
FIRM_COLOUR, COMMUNITY_COLOUR, CONTESTED_COLOUR = "#b07d1a", "#2f6fbf", "#c0392b"
# The smallest text any chart draws, in CSS pixels at its natural size.
MIN_FONT = 12
NARROW_WIDTH = 300  # the plot area of a narrow chart; axes and padding make it 328
CONFIG: dict[str, Any] = {
    "font": "sans-serif",
    "axis": {
        "labelLimit": 420,
        "labelFontSize": MIN_FONT,
        "titleFontSize": MIN_FONT + 1,
        "labelColor": "#222",
        "titleColor": "#222",
    },
    "legend": {
        "labelLimit": 420,
        "labelFontSize": MIN_FONT,
        "titleFontSize": MIN_FONT + 1,
        "labelColor": "#222",
        "titleColor": "#222",
    },
    "header": {"labelFontSize": MIN_FONT + 1, "titleFontSize": MIN_FONT + 1},
    "title": {"fontSize": 16, "subtitleFontSize": MIN_FONT + 1, "subtitleColor": "#333"},
    "text": {"fontSize": MIN_FONT},
    "view": {"stroke": "#ccc"},
}


@dataclass(frozen=True)
class Table:
    """The data behind a chart, as a table a person (or a screen reader) can read.

    ``footer`` rows say how the rows add up to the catalogue (totals, contested
    cases counted once, unplaced cases)."""

    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    footer: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    """One chart: its specifications (wide, and narrow when it has one), a text
    alternative, its data table and, for charts of cases, how they reconcile with
    the catalogue (``totals``: cases, agreed, contested, unplaced)."""

    name: str
    title: str
    description: str
    spec: dict[str, Any]
    table: Table
    narrow: dict[str, Any] | None = None
    totals: dict[str, int] | None = None


class UnknownChart(ValueError):
    """Raised for a chart name or file format that does not exist."""


def spec(
    title: str,
    description: str,
    subtitle: str | list[str] | None = None,
    *,
    narrow: bool = False,
    **body: Any,
) -> dict[str, Any]:
    """A titled Vega-Lite specification with the shared config. ``narrow`` wraps the
    title and subtitle to the width of a phone."""
    heading: dict[str, Any] = {
        "text": wrap(title, 34) if narrow else title,
        "anchor": "start",
    }
    if subtitle:
        heading["subtitle"] = (
            wrap(subtitle, 44) if narrow and isinstance(subtitle, str) else subtitle
        )
    return {
        "$schema": SCHEMA,
        "title": heading,
        "description": description,
        "config": CONFIG,
        **body,
    }


def title_of(chart_spec: dict[str, Any]) -> str:
    """The title of a specification as one line of text."""
    heading = chart_spec.get("title", "")
    text = heading.get("text", "") if isinstance(heading, dict) else heading
    return " ".join(text) if isinstance(text, list) else str(text)


# How many characters a word may run past its line before it is hyphenated: the space
# between label columns takes that much ("consumption" stays whole in a 10-letter
# column; "Selbstbedienung" does not).
OVERRUN = 2


def wrap(
    text: str, width: int, language: str | None = None, *, hyphenate: bool = False
) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters, for
    multi-line labels; a longer word stays whole. With ``hyphenate`` (for labels in
    narrow columns), a word more than ``OVERRUN`` characters longer than a line starts
    a line of its own and is broken at its own hyphens, else where ``language`` (the
    active language unless given) hyphenates; it stays whole where neither fits."""
    if not hyphenate:
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    hyphenator = _hyphenator(language or get_language() or "en")
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
            continue
        if line:
            lines.append(line)
        while len(word) > width + OVERRUN and (cut := _cut(word, width, hyphenator)):
            lines.append(cut[0])
            word = cut[1]
        line = word
    return [*lines, line]


def _cut(word: str, width: int, hyphenator: pyphen.Pyphen | None) -> tuple[str, str] | None:
    """``word`` cut in two with a first part of at most ``width`` characters ending in a
    hyphen: at the last of its own hyphens that fits, else at the last place the
    language hyphenates that fits (adding the hyphen); None where neither does."""
    own = word.rfind("-", 1, width)
    if own > 0:
        return word[: own + 1], word[own + 1 :]
    cut = hyphenator.wrap(word, width) if hyphenator is not None else None
    if not cut:
        return None
    head, tail = cut
    return (head, tail[1:]) if tail.startswith("-") else (head, tail)


@functools.cache
def _hyphenator(language: str) -> pyphen.Pyphen | None:
    """The hyphenation rules of ``language`` ("de", "pt-br"), None where none are known."""
    found = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=found) if found else None


def wrapped_labels(labels: tuple[str, ...] | list[str], width: int) -> str:
    """A Vega expression giving each label as lines of at most ``width`` characters,
    looked up by the label itself (``datum.label``)."""
    lines = {label: wrap(label, width) for label in labels}
    return f"{json.dumps(lines)}[datum.label] || datum.label"


def trajectory_layers(
    x: dict[str, Any], y: dict[str, Any], *, linked: bool, cross_size: int
) -> list[dict[str, Any]]:
    """A trajectory's marks: agreed periods as a stepped line numbered by rung, contested
    periods as crosses; each mark links to its case when ``linked``."""
    href = {"href": {"field": "href"}} if linked else {}
    return [
        {
            "transform": [{"filter": "!datum.contested"}],
            "mark": {"type": "line", "point": True, "interpolate": "step-after"},
            "encoding": {
                "x": x,
                "y": y,
                "order": {"field": "order", "type": "quantitative"},
                "color": {"value": COMMUNITY_COLOUR},
                **href,
                "description": {"field": "label"},
                "tooltip": {"field": "label"},
            },
        },
        {
            "transform": [{"filter": "!datum.contested"}],
            "mark": {"type": "text", "dy": -9, "fontWeight": "bold", "color": "#222"},
            "encoding": {"x": x, "y": y, "text": {"field": "number"}},
        },
        {
            "transform": [{"filter": "datum.contested"}],
            "mark": {"type": "point", "shape": "cross", "filled": True, "size": cross_size},
            "encoding": {
                "x": x,
                "y": y,
                "color": {"value": CONTESTED_COLOUR},
                **href,
                "description": {"field": "label"},
                "tooltip": {"field": "label"},
            },
        },
    ]


def rung_axis(title: str | None = None, **axis: Any) -> dict[str, Any]:
    """Rungs as an ordinal axis, every one named, in ladder order (untitled by default:
    the labels say what they are)."""
    return {
        "field": "rung_label",
        "type": "ordinal",
        "title": title,
        "scale": {"domain": list(RUNG_LABELS)},
        "axis": axis,
    }


def rung_colour(
    title: str | None = None, *, extra: tuple[str, ...] = (), **legend: Any
) -> dict[str, Any]:
    """Rungs as colours, the legend titled "Rung" in the page's language; ``extra``
    domain values (such as the contested row) come last, in grey."""
    title = gettext("Rung") if title is None else title
    domain = [*RUNG_LABELS, *extra]
    palette = [
        "#8c6d1f",
        "#b07d1a",
        "#d9a441",
        "#e7c37a",
        "#f0dca8",
        "#1f4e8c",
        "#2f6fbf",
        "#5b9bd5",
        "#2e8b57",
        "#66b27f",
        "#9c6ade",
    ]
    return {
        "field": "rung_label",
        "type": "nominal",
        "title": title,
        "scale": {"domain": domain, "range": palette + ["#9a9a9a"] * len(extra)},
        "legend": {"symbolLimit": 0, **legend},
    }


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (plural_noun or noun + 's')}"


def counted_once(contested: int) -> str:
    """How contested cases enter a total, in words."""
    if not contested:
        return gettext("no case is contested")
    return ngettext(
        "{count} contested case (it is drawn at every rung it is split between and "
        "counted once in the total)",
        "{count} contested cases (each is drawn at every rung they are split between and "
        "counted once in the total)",
        contested,
    ).format(count=f"{contested:,}")


def _interval(pair: list[float] | None) -> str:
    if not pair:
        return ""
    return " " + gettext("(95% interval {low} to {high})").format(
        low=f"{pair[0]:.2f}", high=f"{pair[1]:.2f}"
    )


def alpha_text(alpha: Row) -> str:
    """Krippendorff's alpha in a sentence: with its N and intervals, or why there is none."""
    n = gettext(
        "{units} placed by two or more different accounts, {placements} by {accounts}"
    ).format(
        units=ngettext("{count} case period", "{count} case periods", alpha["units"]).format(
            count=f"{alpha['units']:,}"
        ),
        placements=ngettext("{count} placement", "{count} placements", alpha["placements"]).format(
            count=f"{alpha['placements']:,}"
        ),
        accounts=ngettext("{count} account", "{count} accounts", alpha["accounts"]).format(
            count=f"{alpha['accounts']:,}"
        ),
    )
    if not alpha["enough"]:
        return gettext(
            "Krippendorff's alpha: not enough independent placements "
            "({n}; at least {minimum} case periods are needed)"
        ).format(n=n, minimum=alpha["minimum_units"])
    if alpha["nominal"] is None:
        return gettext(
            "Krippendorff's alpha: undefined, every placement gives the same rung ({n})"
        ).format(n=n)
    ordinal = (
        gettext(", ordinal {value}").format(value=f"{alpha['ordinal']:.2f}")
        + _interval(alpha["ordinal_interval"])
        if alpha["ordinal"] is not None
        else ""
    )
    return gettext("Krippendorff's alpha: nominal {value}{interval}{ordinal}; over {n}").format(
        value=f"{alpha['nominal']:.2f}",
        interval=_interval(alpha["nominal_interval"]),
        ordinal=ordinal,
        n=n,
    )
