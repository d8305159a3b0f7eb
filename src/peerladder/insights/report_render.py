"""The report's renderers: plain text for a terminal, JSON, and HTML (a fragment for
the site's /insights/report, and a standalone page that prints well)."""

from __future__ import annotations

from html import escape
from typing import Any

import orjson
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from peerladder.insights.chart_base import alpha_text

FORMATS = ("text", "json", "html")
VERDICT_WORDS = {
    True: gettext_lazy("Agrees"),
    False: gettext_lazy("Differs"),
    None: gettext_lazy("Cannot tell"),
}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _cases(count: int) -> str:
    return ngettext("{count} case", "{count} cases", count).format(count=f"{count:,}")


def _sample_lines(report: dict[str, Any]) -> list[str]:
    sample, totals = report["sample"], report["totals"]
    lines = [f"{_cases(sample['cases'])}. {sample['how_chosen']}"]
    country, sector = sample["largest_country"], sample["largest_sector"]
    if country and sector:
        lines.append(
            _(
                "The largest country is {country} with {country_share} of the cases "
                "({country_count}); the largest sector is {sector} with {sector_share} "
                "({sector_count})."
            ).format(
                country=country["name"],
                country_share=_percent(country["share"]),
                country_count=country["count"],
                sector=sector["name"],
                sector_share=_percent(sector["share"]),
                sector_count=sector["count"],
            )
            + (
                " "
                + ngettext(
                    "{count} case names no country.",
                    "{count} cases name no country.",
                    sample["without_country"],
                ).format(count=f"{sample['without_country']:,}")
                if sample["without_country"]
                else ""
            )
        )
    if sample["top_accounts"]:
        accounts = ", ".join(
            f"{row['account']} ({row['placements']})" for row in sample["top_accounts"]
        )
        placements = ngettext(
            "{count} placement", "{count} placements", totals["placements"]
        ).format(count=f"{totals['placements']:,}")
        by = ngettext("{count} account", "{count} accounts", totals["accounts"]).format(
            count=f"{totals['accounts']:,}"
        )
        lines.append(
            _("{placements} by {accounts}; the most from {top}.").format(
                placements=placements, accounts=by, top=accounts
            )
        )
    return lines


def _totals_line(report: dict[str, Any]) -> str:
    totals = report["totals"]
    return _(
        "{agreed} cases agreed on one rung ({firm} in the firm view, {community} in the "
        "community view) + {contested} contested ({tied} of them tied), each drawn at every "
        "rung it is split between and counted once here + {unplaced} not placed yet = "
        "{cases} cases."
    ).format(
        agreed=f"{totals['agreed']:,}",
        firm=f"{totals['firm_view']:,}",
        community=f"{totals['community_view']:,}",
        contested=f"{totals['contested']:,}",
        tied=f"{totals['tied']:,}",
        unplaced=f"{totals['unplaced']:,}",
        cases=f"{totals['cases']:,}",
    )


def _growth_line(report: dict[str, Any]) -> str:
    window = report["growth_window"]
    return _(
        "Growth compares agreed cases founded in {recent} with those founded in {previous}, "
        "as a ratio only where the earlier decade has at least {minimum}: these are the "
        "founding years of the cases catalogued today, not a record of the field over time."
    ).format(
        recent=f"{window['recent'][0]}-{window['recent'][1]}",
        previous=f"{window['previous'][0]}-{window['previous'][1]}",
        minimum=window["minimum"],
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
                "    "
                + _(
                    "{agreed} agreed, {contested} contested drawn here ({share} of the "
                    "marks); {independent} placed by two or more accounts, mean agreement "
                    "{mean}; {growth}"
                ).format(
                    agreed=entry["count"],
                    contested=entry["contested"],
                    share=_percent(entry["share"]),
                    independent=entry["independent"],
                    mean=_percent(entry["mean_agreement"]),
                    growth=entry["growth_text"],
                )
            )
            if entry["examples"]:
                lines.append(
                    "    "
                    + _("e.g. {examples}").format(
                        examples=", ".join(e["name"] for e in entry["examples"])
                    )
                )
            baseline = entry["baseline_2007"]
            lines.append(f"    2007: \u201c{baseline['quote']}\u201d (Bauwens 2008)")
            if baseline.get("quote_translation"):
                lines.append(
                    "    "
                    + _("(Translation: “{translation}”)").format(
                        translation=baseline["quote_translation"]
                    )
                )
            verdict = (
                f"    {_('Today')} ({str(VERDICT_WORDS[baseline['agrees']]).lower()}): "
                f"{baseline['verdict']}."
            )
            lines.append(verdict + (f" {baseline['hedge']}" if baseline["hedge"] else ""))
    production = report["production"]
    lines += ["", _("Material and immaterial production (rungs 7, 10 and 11)")]
    for entry in production["rungs"]:
        lines.append(
            f"  {entry['rung']}. {entry['name']}: "
            + _(
                "{material} material, {immaterial} immaterial, {both} both, "
                "{not_recorded} not recorded"
            ).format(
                material=entry["material"],
                immaterial=entry["immaterial"],
                both=entry["both"],
                not_recorded=entry["not_recorded"],
            )
        )
    lines.append("  " + production["comparison"])
    lines += ["", _("Economies (agreed cases; contested ones are counted apart)")]
    lines += [f"  {e['name']}: {e['count']}" for e in report["economies"]]
    lines.append("  " + _("Contested: {count}").format(count=report["totals"]["contested"]))
    lines += ["", _("About and method: {url}").format(url=report["about"])]
    return "\n".join(lines) + "\n"


def _quote(text: str, url: str) -> str:
    # The essay's words are English; say so when the report around them is not.
    lang = "" if (get_language() or "en") == "en" else ' lang="en"'
    return f'<q cite="{escape(url)}"{lang}>{escape(text)}</q>'


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
        '<p class="credit">'
        + escape(_("The ladder and its 2007 assessment come from {citation}")).format(
            citation=escape(credit["citation"])
        )
        + f' (<a href="{escape(url)}">{escape(url)}</a>). '
        f'<a href="{escape(report["about"])}">{escape(_("About and method"))}</a>.</p>',
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
        '<div class="table-wrap" tabindex="0" role="region" aria-label="'
        + escape(_("Each rung today"))
        + '"><table class="report-rungs"><caption>'
        + escape(
            _(
                "Agreed cases per rung, and contested cases at every rung they are split "
                "between; the 2007 column quotes the essay"
            )
        )
        + "</caption><thead><tr>"
        + "".join(
            f"<th scope=col>{escape(heading)}</th>"
            for heading in (
                _("Rung and examples"),
                _("Cases"),
                _("Independent placements"),
                _("Growth"),
                _("2007, in the essay’s words (Bauwens 2008)"),
                _("Today"),
            )
        )
        + "</tr></thead><tbody>",
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
            _("{count} placed by 2+ accounts, mean agreement {mean}").format(
                count=entry["independent"], mean=_percent(entry["mean_agreement"])
            )
            if entry["independent"]
            else _("none placed by 2+ accounts")
        )
        translated = (
            f'<br><small class="quote-translation">'
            f"{escape(_('Translation'))}: \u201c{escape(baseline['quote_translation'])}\u201d"
            "</small>"
            if baseline.get("quote_translation")
            else ""
        )
        cases = escape(_("{count} agreed").format(count=entry["count"])) + (
            " + " + escape(_("{count} contested").format(count=entry["contested"]))
            if entry["contested"]
            else ""
        )
        marks = escape(_("({share} of the marks)").format(share=_percent(entry["share"])))
        parts.append(
            f'<tr class="{entry["view"]}" data-rung="{entry["rung"]}">'
            f"<th scope=row>{entry['rung']}. {escape(entry['name'])}"
            + (
                f'<br><small class="examples">{escape(_("e.g."))} {examples}</small>'
                if examples
                else ""
            )
            + "</th>"
            f'<td data-label="{escape(_("Cases"))}">{cases} <small>{marks}</small></td>'
            f'<td data-label="{escape(_("Independent placements"))}">{escape(independent)}</td>'
            f'<td data-label="{escape(_("Growth"))}">{escape(entry["growth_text"])}</td>'
            f'<td data-label="2007 (Bauwens 2008)">{_quote(baseline["quote"], url)}'
            f"{translated}</td>"
            f'<td data-label="{escape(_("Today"))}">{now}</td></tr>'
        )
    totals = report["totals"]
    parts.append(
        "</tbody><tfoot>"
        f"<tr><th scope=row>{escape(_('All rungs'))}</th><td colspan=5>"
        + escape(
            _(
                "{agreed} agreed + {contested} contested (each counted once) + {unplaced} "
                "not placed yet = {cases} cases"
            ).format(
                agreed=totals["agreed"],
                contested=totals["contested"],
                unplaced=totals["unplaced"],
                cases=totals["cases"],
            )
        )
        + "</td></tr>"
        "</tfoot></table></div>"
    )
    production = report["production"]
    parts.append(
        f'<h2 id="production">{escape(_("Material and immaterial production"))}</h2>'
        + "<p>"
        + escape(
            _(
                "The essay saw cooperatives thriving in the material economy but barely "
                "present in the immaterial one ({rung_10}), expected equitable monetisation "
                "to follow ({rung_7}), and tied rung 11 to {rung_11}."
            )
        ).format(
            rung_10=_quote(production["quotes"]["10"], url),
            rung_7=_quote(production["quotes"]["7"], url),
            rung_11=_quote(production["quotes"]["11"], url),
        )
        + '</p><div class="table-wrap" tabindex="0" role="region" aria-label="'
        + escape(_("Material and immaterial production"))
        + '"><table class="report-production"><caption>'
        + escape(
            _(
                "Cases drawn at rungs 7, 10 and 11 by what they produce (contested cases at "
                "each of their rungs)"
            )
        )
        + "</caption><thead><tr>"
        + "".join(
            f"<th scope=col>{escape(heading)}</th>"
            for heading in (
                _("Rung"),
                _("Material"),
                _("Immaterial"),
                _("Both"),
                _("Not recorded"),
                _("Immaterial share"),
            )
        )
        + "</tr></thead><tbody>"
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
        f'<!doctype html>\n<html lang="{escape(get_language() or "en")}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>"
        + escape(_("Where are we now ({year})").format(year=report["year"]))
        + " · peerladder</title>\n"
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
