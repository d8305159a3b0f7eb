"""The report's renderers: plain text for a terminal, JSON, and HTML (a fragment for
the site's /insights/report, and a standalone page that prints well)."""

from __future__ import annotations

from html import escape
from typing import Any

import orjson
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerladder.insights.chart_base import alpha_text

FORMATS = ("text", "json", "html")
VERDICT_WORDS = {
    True: gettext_lazy("Agrees"),
    False: gettext_lazy("Differs"),
    None: gettext_lazy("Cannot tell"),
}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _sample_lines(report: dict[str, Any]) -> list[str]:
    sample, totals = report["sample"], report["totals"]
    lines = [f"{_plural(sample['cases'], 'case')}. {sample['how_chosen']}"]
    country, sector = sample["largest_country"], sample["largest_sector"]
    if country and sector:
        lines.append(
            f"The largest country is {country['name']} with {_percent(country['share'])} of "
            f"the cases ({country['count']}); the largest sector is {sector['name']} with "
            f"{_percent(sector['share'])} ({sector['count']})."
            + (
                f" {_plural(sample['without_country'], 'case')} name no country."
                if sample["without_country"]
                else ""
            )
        )
    if sample["top_accounts"]:
        accounts = ", ".join(
            f"{row['account']} ({row['placements']})" for row in sample["top_accounts"]
        )
        lines.append(
            f"{_plural(totals['placements'], 'placement')} by "
            f"{_plural(totals['accounts'], 'account')}; the most from {accounts}."
        )
    return lines


def _totals_line(report: dict[str, Any]) -> str:
    totals = report["totals"]
    return (
        f"{totals['agreed']:,} cases agreed on one rung ({totals['firm_view']:,} in the firm "
        f"view, {totals['community_view']:,} in the community view) + {totals['contested']:,} "
        f"contested ({totals['tied']:,} of them tied), each drawn at every rung it is split "
        f"between and counted once here + {totals['unplaced']:,} not placed yet = "
        f"{totals['cases']:,} cases."
    )


def _growth_line(report: dict[str, Any]) -> str:
    window = report["growth_window"]
    return (
        f"Growth compares agreed cases founded in {window['recent'][0]}-{window['recent'][1]} "
        f"with those founded in {window['previous'][0]}-{window['previous'][1]}, as a ratio "
        f"only where the earlier decade has at least {window['minimum']}: these are the "
        "founding years of the cases catalogued today, not a record of the field over time."
    )


def _summary_lines(report: dict[str, Any]) -> list[str]:
    return [
        report["credit"]["text"],
        *_sample_lines(report),
        _totals_line(report),
        _growth_line(report),
        alpha_text(report["agreement"]) + ".",
    ]


def render_json(report: dict[str, Any]) -> str:
    return orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_text(report: dict[str, Any]) -> str:
    """The report as plain text for a terminal."""
    lines = [
        _("Where are we now: the state of the field in {year}").format(year=report["year"]),
        "",
    ]
    lines += _summary_lines(report)
    for view, heading in (("firm", _("Firm view")), ("community", _("Community view"))):
        lines += ["", heading, "-" * len(heading)]
        for entry in report["rungs"]:
            if entry["view"] != view:
                continue
            lines.append(f"{entry['rung']:>2}. {entry['name']}")
            lines.append(
                f"    {entry['count']} agreed, {entry['contested']} contested drawn here "
                f"({_percent(entry['share'])} of the marks); {entry['independent']} placed by "
                f"two or more accounts, mean agreement {_percent(entry['mean_agreement'])}; "
                f"{entry['growth_text']}"
            )
            if entry["examples"]:
                lines.append("    e.g. " + ", ".join(e["name"] for e in entry["examples"]))
            baseline = entry["baseline_2007"]
            lines.append(f"    2007: \u201c{baseline['quote']}\u201d (Bauwens 2008)")
            verdict = (
                f"    {_('Today')} ({str(VERDICT_WORDS[baseline['agrees']]).lower()}): "
                f"{baseline['verdict']}."
            )
            lines.append(verdict + (f" {baseline['hedge']}" if baseline["hedge"] else ""))
    production = report["production"]
    lines += ["", _("Material and immaterial production (rungs 7, 10 and 11)")]
    for entry in production["rungs"]:
        lines.append(
            f"  {entry['rung']}. {entry['name']}: {entry['material']} material, "
            f"{entry['immaterial']} immaterial, {entry['both']} both, "
            f"{entry['not_recorded']} not recorded"
        )
    lines.append("  " + production["comparison"])
    lines += ["", _("Economies (agreed cases; contested ones are counted apart)")]
    lines += [f"  {e['name']}: {e['count']}" for e in report["economies"]]
    lines.append("  " + _("Contested: {count}").format(count=report["totals"]["contested"]))
    lines += ["", _("About and method: {url}").format(url=report["about"])]
    return "\n".join(lines) + "\n"


def _quote(text: str, url: str) -> str:
    return f'<q cite="{escape(url)}">{escape(text)}</q>'


def render_html_body(report: dict[str, Any]) -> str:
    """The report as an HTML fragment (an <article>), shared by the page and the file."""
    credit = report["credit"]
    url = credit["url"]
    parts = [
        '<article class="report">',
        "<h1>"
        + escape(
            _("Where are we now: the state of the field in {year}").format(year=report["year"])
        )
        + "</h1>",
        f'<p class="credit">The ladder and its 2007 assessment come from '
        f'{escape(credit["citation"])} (<a href="{escape(url)}">{escape(url)}</a>). '
        f'<a href="{escape(report["about"])}">About and method</a>.</p>',
        f'<h2 id="sample">{escape(_("The sample"))}</h2>',
    ]
    parts.append('<ul class="report-sample">')
    parts += [f"<li>{escape(line)}</li>" for line in _sample_lines(report)]
    parts += [
        f"<li>{escape(_totals_line(report))}</li>",
        f"<li>{escape(_growth_line(report))}</li>",
        f"<li>{escape(alpha_text(report['agreement']))}.</li>",
        "</ul>",
        f'<h2 id="rungs">{escape(_("Each rung today, beside the 2007 assessment"))}</h2>',
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Each rung today">'
        '<table class="report-rungs">'
        "<caption>Agreed cases per rung, and contested cases at every rung they are split "
        "between; the 2007 column quotes the essay</caption>"
        "<thead><tr><th scope=col>Rung and examples</th><th scope=col>Cases</th>"
        "<th scope=col>Independent placements</th><th scope=col>Growth</th>"
        "<th scope=col>2007, in the essay\u2019s words (Bauwens 2008)</th>"
        "<th scope=col>Today</th></tr></thead><tbody>",
    ]
    for entry in report["rungs"]:
        baseline = entry["baseline_2007"]
        examples = ", ".join(
            f'<a href="/cases/{escape(e["slug"])}">{escape(e["name"])}</a>'
            for e in entry["examples"]
        )
        now = (
            f"<strong>{VERDICT_WORDS[baseline['agrees']]}</strong>: {escape(baseline['verdict'])}."
            + (f" <em>{escape(baseline['hedge'])}</em>" if baseline["hedge"] else "")
        )
        independent = (
            f"{entry['independent']} placed by 2+ accounts, mean agreement "
            f"{_percent(entry['mean_agreement'])}"
            if entry["independent"]
            else "none placed by 2+ accounts"
        )
        parts.append(
            f'<tr class="{entry["view"]}" data-rung="{entry["rung"]}">'
            f"<th scope=row>{entry['rung']}. {escape(entry['name'])}"
            + (f'<br><small class="examples">e.g. {examples}</small>' if examples else "")
            + "</th>"
            f'<td data-label="Cases">{entry["count"]} agreed'
            + (f" + {entry['contested']} contested" if entry["contested"] else "")
            + f" <small>({_percent(entry['share'])} of the marks)</small></td>"
            f'<td data-label="Independent placements">{independent}</td>'
            f'<td data-label="Growth">{escape(entry["growth_text"])}</td>'
            f'<td data-label="2007 (Bauwens 2008)">{_quote(baseline["quote"], url)}</td>'
            f'<td data-label="Today">{now}</td></tr>'
        )
    totals = report["totals"]
    parts.append(
        "</tbody><tfoot>"
        f"<tr><th scope=row>All rungs</th><td colspan=5>{totals['agreed']} agreed + "
        f"{totals['contested']} contested (each counted once) + {totals['unplaced']} not "
        f"placed yet = {totals['cases']} cases</td></tr>"
        "</tfoot></table></div>"
    )
    production = report["production"]
    parts.append(
        f'<h2 id="production">{escape(_("Material and immaterial production"))}</h2>'
        f"<p>The essay saw cooperatives thriving in the material economy but barely present "
        f"in the immaterial one ({_quote(production['quotes']['10'], url)}), expected "
        f"equitable monetisation to follow ({_quote(production['quotes']['7'], url)}), and "
        f"tied rung 11 to {_quote(production['quotes']['11'], url)}.</p>"
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Material and '
        'immaterial production"><table class="report-production"><caption>Cases drawn at '
        "rungs 7, 10 and 11 by what they produce (contested cases at each of their rungs)"
        "</caption><thead><tr><th scope=col>Rung</th><th scope=col>Material</th>"
        "<th scope=col>Immaterial</th><th scope=col>Both</th>"
        "<th scope=col>Not recorded</th><th scope=col>Immaterial share</th></tr></thead><tbody>"
    )
    for entry in production["rungs"]:
        parts.append(
            f"<tr><th scope=row>{entry['rung']}. {escape(entry['name'])}</th>"
            f"<td>{entry['material']}</td><td>{entry['immaterial']}</td>"
            f"<td>{entry['both']}</td><td>{entry['not_recorded']}</td>"
            f"<td>{_percent(entry['immaterial_share'])}</td></tr>"
        )
    parts.append(f"</tbody></table></div><p>{escape(production['comparison'])}</p>")
    parts.append(
        '<h2 id="economies">'
        + escape(_("Economies"))
        + "</h2><p>"
        + escape(
            _(
                "Agreed cases by the economy of their rung; contested cases are counted "
                "apart, once each."
            )
        )
        + "</p><ul>"
    )
    parts += [f"<li>{escape(e['name'])}: {e['count']}</li>" for e in report["economies"]]
    parts.append(f"<li>{escape(_('Contested: {count}').format(count=totals['contested']))}</li>")
    parts.append("</ul></article>")
    return "\n".join(parts)


_PRINT_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem;
  padding: 0 1rem; color: #111; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ccc; padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
tr.firm th[scope=row] { border-left: 4px solid #b07d1a; }
tr.community th[scope=row] { border-left: 4px solid #2f6fbf; }
q { font-style: italic; }
a { color: inherit; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
  tr { break-inside: avoid; } a { text-decoration: none; } }
"""


def render_html(report: dict[str, Any]) -> str:
    """The report as a standalone HTML page that prints well."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
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
