"""The state-of-the-field report ("where are we now") as data, and its renderers.

:func:`build_report` gathers every figure with aggregate queries into one plain
dict (the JSON form); :func:`render_text`, :func:`render_json` and
:func:`render_html` present it. The HTML is a standalone, print-friendly page;
:func:`render_html_body` is the same report without the page around it, for
the site's own /insights/report.
"""

from __future__ import annotations

from html import escape
from typing import Any

import orjson
from django.db.models import Avg, Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from peerladder.insights import selectors
from peerladder.ladder import BASELINE_2007, ECONOMIES, NO_ECONOMY_NAME, RUNGS

GROWTH_WINDOW = 10
EXAMPLES_PER_RUNG = 3
FORMATS = ("text", "json", "html")

# How today's share of the placed cases reads, for the comparison with 2007.
PROMINENT_SHARE = 0.15
PRESENT_SHARE = 0.05


def _examples() -> dict[int, list[dict[str, str]]]:
    """Up to three cases per rung: the most placed first, then by name (one query)."""
    ranked = (
        selectors.placed_cases()
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("standing_rung")],
                order_by=[F("placement_count").desc(), F("name").asc(), F("id").asc()],
            )
        )
        .filter(position__lte=EXAMPLES_PER_RUNG)
        .order_by("standing_rung", "position")
        .values_list("standing_rung", "slug", "name")
    )
    examples: dict[int, list[dict[str, str]]] = {}
    for number, slug, name in ranked:
        examples.setdefault(number, []).append({"slug": slug, "name": name})
    return examples


def _level(count: int, share: float) -> str:
    if count == 0:
        return "absent"
    if share >= PROMINENT_SHARE:
        return "prominent"
    if share >= PRESENT_SHARE:
        return "present"
    return "rare"


def _verdict(status: str, count: int, level: str) -> tuple[bool, str]:
    """Whether today's catalogue bears out the 2007 status, and why, in a sentence."""
    grown = level in ("present", "prominent")
    if status in ("thriving", "vibrant"):
        if grown:
            return True, "still strong today: the catalogue bears this out"
        if level == "rare":
            return False, "only a few cases today: it has thinned out since 2007"
        return False, "no cases in the catalogue yet: nothing to bear this out"
    if status == "seed":
        if grown:
            return False, "has grown beyond its 2007 seed"
        if level == "rare":
            return True, "still at the seed stage: only a handful of cases"
        return True, "still no cases in the catalogue: the seed has not sprouted here"
    if status == "foothold":
        if grown:
            return False, "has gained ground well beyond a bare foothold"
        return True, "still barely a foothold in the catalogue"
    if status == "one-big-success":
        if count >= 2 and grown:
            return True, "many platforms now, as the 2007 assessment foresaw"
        if count >= 2:
            return True, "several platforms, though still few in the catalogue"
        return False, "one case or none: the expected multiplication is not visible here"
    return True, "no verdict for this status"


def _growth(recent: int, previous: int) -> float | None:
    return None if previous == 0 else round(recent / previous, 4)


def build_report(*, year: int | None = None) -> dict[str, Any]:
    """The report as data. ``year`` (default: this year) ends the growth window: cases
    founded in the last ten years (``year - 9`` to ``year``) against the ten before."""
    year = year or timezone.now().year
    recent_from, previous_from = year - GROWTH_WINDOW + 1, year - 2 * GROWTH_WINDOW + 1
    totals = selectors.totals()
    per_rung = {
        row["standing_rung"]: row
        for row in selectors.placed_cases()
        .order_by()
        .values("standing_rung")
        .annotate(
            count=Count("id"),
            contested=Count("id", filter=Q(contested=True)),
            mean_agreement=Avg("agreement"),
            recent=Count("id", filter=Q(founded__gte=recent_from, founded__lte=year)),
            previous=Count("id", filter=Q(founded__gte=previous_from, founded__lt=recent_from)),
        )
    }
    examples = _examples()
    placed = totals["placed"]
    rungs = []
    for r in RUNGS:
        row = per_rung.get(r.number, {})
        count = row.get("count", 0)
        share = round(count / placed, 4) if placed else 0.0
        recent, previous = row.get("recent", 0), row.get("previous", 0)
        mean = row.get("mean_agreement")
        entry: dict[str, Any] = {
            "rung": r.number,
            "key": r.key,
            "name": r.name,
            "view": r.view,
            "count": count,
            "share": share,
            "contested": row.get("contested", 0),
            "founded_recent": recent,
            "founded_previous": previous,
            "growth": _growth(recent, previous),
            "examples": examples.get(r.number, []),
            "mean_agreement": None if mean is None else round(mean, 4),
            "baseline_2007": None,
        }
        baseline = BASELINE_2007.get(r.number)
        if baseline is not None:
            level = _level(count, share)
            agrees, verdict = _verdict(baseline.status, count, level)
            entry["baseline_2007"] = {
                "status": baseline.status,
                "label": baseline.label,
                "today": level,
                "agrees": agrees,
                "verdict": verdict,
            }
        rungs.append(entry)
    economies = {
        row["standing_economy"]: row["count"]
        for row in selectors.placed_cases()
        .order_by()
        .values("standing_economy")
        .annotate(count=Count("id"))
    }
    return {
        "year": year,
        "growth_window": {
            "recent": [recent_from, year],
            "previous": [previous_from, recent_from - 1],
        },
        "totals": {
            **totals,
            "firm_view": sum(e["count"] for e in rungs if e["view"] == "firm"),
            "community_view": sum(e["count"] for e in rungs if e["view"] == "community"),
        },
        "economies": [
            {"key": e.key, "name": e.name, "count": economies.get(e.key, 0)} for e in ECONOMIES
        ]
        + [{"key": None, "name": NO_ECONOMY_NAME, "count": economies.get(None, 0)}],
        "agreement": selectors.catalogue_alpha(),
        "rungs": rungs,
    }


# Renderers ---------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _growth_text(entry: dict[str, Any]) -> str:
    recent, previous = entry["founded_recent"], entry["founded_previous"]
    if recent == previous == 0:
        return "none founded in either decade"
    if previous == 0:
        return f"{recent} founded in the last decade, none in the one before"
    return f"{recent} founded in the last decade against {previous} (×{entry['growth']:.2f})"


def _alpha_text(agreement: dict[str, Any]) -> str:
    if agreement["alpha"] is None:
        return (
            f"Krippendorff's alpha cannot be computed ({agreement['units']} periods placed "
            "by two or more contributors, and at least two different rungs are needed)"
        )
    return (
        f"Krippendorff's alpha (nominal) is {agreement['alpha']:.2f}, over "
        f"{agreement['units']} periods placed by two or more contributors "
        f"({agreement['placements']} placements)"
    )


def _summary_lines(report: dict[str, Any]) -> list[str]:
    totals = report["totals"]
    window = report["growth_window"]
    return [
        f"{totals['cases']} cases in the catalogue, {totals['placed']} standing on one rung "
        f"({totals['firm_view']} in the firm view, {totals['community_view']} in the "
        f"community view); {totals['contested']} contested, of which {totals['tied']} tied "
        f"between rungs; {totals['placements']} active placements.",
        f"Growth compares cases founded in {window['recent'][0]}-{window['recent'][1]} "
        f"with those founded in {window['previous'][0]}-{window['previous'][1]}.",
        _alpha_text(report["agreement"]) + ".",
    ]


def render_json(report: dict[str, Any]) -> str:
    return orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_text(report: dict[str, Any]) -> str:
    """The report as plain text for a terminal."""
    lines = [f"Where are we now: the state of the field in {report['year']}", ""]
    lines += _summary_lines(report)
    for view, heading in (("firm", "Firm view"), ("community", "Community view")):
        lines += ["", heading, "-" * len(heading)]
        for entry in report["rungs"]:
            if entry["view"] != view:
                continue
            lines.append(f"{entry['rung']:>2}. {entry['name']}")
            lines.append(
                f"    {entry['count']} cases ({_percent(entry['share'])}), "
                f"{entry['contested']} contested, mean agreement "
                f"{_percent(entry['mean_agreement'])}; {_growth_text(entry)}"
            )
            if entry["examples"]:
                lines.append("    e.g. " + ", ".join(e["name"] for e in entry["examples"]))
            baseline = entry["baseline_2007"]
            if baseline:
                mark = "agrees" if baseline["agrees"] else "differs"
                lines.append(
                    f"    2007: {baseline['label']}. Today ({mark}): {baseline['verdict']}."
                )
    lines += ["", "Economies"]
    lines += [f"  {e['name']}: {e['count']}" for e in report["economies"]]
    return "\n".join(lines) + "\n"


def render_html_body(report: dict[str, Any]) -> str:
    """The report as an HTML fragment (an <article>), shared by the page and the file."""
    parts = [
        '<article class="report">',
        f"<h1>Where are we now: the state of the field in {report['year']}</h1>",
    ]
    parts += [f"<p>{escape(line)}</p>" for line in _summary_lines(report)]
    parts.append(
        '<div class="table-wrap"><table class="report-rungs">'
        "<caption>Each rung today, beside the 2007 assessment</caption>"
        "<thead><tr><th scope=col>Rung</th><th scope=col>Cases</th><th scope=col>Share</th>"
        "<th scope=col>Contested</th><th scope=col>Mean agreement</th>"
        "<th scope=col>Growth</th><th scope=col>Examples</th>"
        "<th scope=col>2007</th><th scope=col>Today</th></tr></thead><tbody>"
    )
    for entry in report["rungs"]:
        baseline = entry["baseline_2007"]
        examples = ", ".join(
            f'<a href="/cases/{escape(e["slug"])}">{escape(e["name"])}</a>'
            for e in entry["examples"]
        )
        if baseline:
            then = escape(baseline["label"])
            now = (
                f"<strong>{'Agrees' if baseline['agrees'] else 'Differs'}</strong>: "
                f"{escape(baseline['verdict'])}"
            )
        else:
            then = now = "—"
        parts.append(
            f'<tr class="{entry["view"]}" data-rung="{entry["rung"]}">'
            f"<th scope=row>{entry['rung']}. {escape(entry['name'])}</th>"
            f"<td>{entry['count']}</td><td>{_percent(entry['share'])}</td>"
            f"<td>{entry['contested']}</td><td>{_percent(entry['mean_agreement'])}</td>"
            f"<td>{escape(_growth_text(entry))}</td><td>{examples or '—'}</td>"
            f"<td>{then}</td><td>{now}</td></tr>"
        )
    parts.append("</tbody></table></div>")
    parts.append("<h2>Economies</h2><ul>")
    parts += [f"<li>{escape(e['name'])}: {e['count']}</li>" for e in report["economies"]]
    parts.append("</ul></article>")
    return "\n".join(parts)


_PRINT_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 68rem;
  padding: 0 1rem; color: #111; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ccc; padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
tr.firm th[scope=row] { border-left: 4px solid #d9a441; }
tr.community th[scope=row] { border-left: 4px solid #3b7dd8; }
a { color: inherit; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
  tr { break-inside: avoid; } a { text-decoration: none; } }
"""


def render_html(report: dict[str, Any]) -> str:
    """The report as a standalone HTML page that prints well."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Where are we now ({report['year']}) · peerladder</title>\n"
        f"<style>{_PRINT_CSS}</style>\n</head>\n<body>\n"
        f"{render_html_body(report)}\n</body>\n</html>\n"
    )


RENDERERS = {"text": render_text, "json": render_json, "html": render_html}


def render(report: dict[str, Any], fmt: str) -> str:
    """The report in ``fmt`` (one of :data:`FORMATS`)."""
    try:
        return RENDERERS[fmt](report)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}") from None


def render_report(fmt: str, *, year: int | None = None) -> str:
    """The report built from the catalogue now, in ``fmt`` (one of :data:`FORMATS`)."""
    return render(build_report(year=year), fmt)
