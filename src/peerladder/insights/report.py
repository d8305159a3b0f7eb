"""The state-of-the-field report ("where are we now") as data.

:func:`build_report` gathers every figure with aggregate queries into one plain
dict (the JSON form); :mod:`peerladder.insights.report_render` presents it as
text, JSON or HTML. The report tells the truth about its sample: how many
cases, chosen how, which countries and sectors dominate, whose placements they
are, that counts describe the catalogue and not the world, and how small
numbers weaken each verdict. Contested cases are counted at every rung they are
split between and once in every total (see :mod:`peerladder.insights.selectors`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peerladder.catalogue.vocabulary import SECTORS
from peerladder.catalogue.vocabulary_labels import country_label, term_label
from peerladder.insights import selectors
from peerladder.insights.report_render import (
    FORMATS,
    render,
    render_html,
    render_html_body,
    render_json,
    render_text,
)
from peerladder.ladder import (
    BASELINE_2007,
    ECONOMIES,
    ESSAY_CITATION,
    ESSAY_URL,
    RUNGS,
)
from peerladder.lexicon import economy_name_shown, lookup, translate

__all__ = [
    "FORMATS",
    "build_report",
    "render",
    "render_html",
    "render_html_body",
    "render_json",
    "render_report",
    "render_text",
]

GROWTH_WINDOW = 10
# A decade-on-decade ratio only when the earlier decade has at least this many cases
# founded (and the later one at least one): fewer is not a series to grow over.
GROWTH_MINIMUM = 3
EXAMPLES_PER_RUNG = 3
# Below this many cases drawn at a rung, its verdict says it rests on few cases.
SMALL_RUNG = 10
# Below this many cases with a recorded production, a rung's material/immaterial
# split is given but not compared.
PRODUCTION_MINIMUM = 5
# Rung 10 is "barely a foothold" in the immaterial economy while under a third of its
# cases with a recorded production make immaterial goods (alone or with material ones).
FOOTHOLD_SHARE = 1 / 3

# How today's share of the cases drawn reads, for the comparison with 2007.
PROMINENT_SHARE = 0.15
PRESENT_SHARE = 0.05

HOW_CHOSEN = gettext_lazy(
    "The cases are those the catalogue's contributors chose to add, not a random sample. "
    "The bundled starting set takes in every case the essay names, fills every rung on "
    "purpose and favours breadth of countries and sectors over fame; anyone may add more. "
    "So the counts describe this catalogue, not the field in the world: a rung with many "
    "cases is one the contributors documented, not necessarily one that is common."
)


def _examples() -> dict[int, list[dict[str, str]]]:
    """Up to three agreed cases per rung: the most placed first, then by name (one query)."""
    ranked = (
        selectors.agreed_cases()
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


def _verdict(status: str, count: int, level: str) -> tuple[bool | None, str]:
    """Whether today's catalogue bears out the 2007 status, and why, in a sentence.
    ``None`` where a catalogue of chosen cases cannot tell."""
    grown = level in ("present", "prominent")
    if status in ("established", "common", "cutting-edge"):
        # The catalogue collects participatory models: how many firm-view cases it
        # holds says what its contributors documented, not how widespread the model is.
        if count == 0:
            return None, _("no case in the catalogue: it cannot speak to this")
        return None, _(
            "examples exist ({count} catalogued), but a catalogue of chosen cases cannot "
            "say how widespread the model is"
        ).format(count=count)
    if status in ("thriving", "vibrant"):
        if grown:
            return True, _("still strong in the catalogue: it bears this out")
        if level == "rare":
            return False, _("only a few cases in the catalogue: it does not bear this out")
        return False, _("no cases in the catalogue yet: nothing to bear this out")
    if status == "seed":
        if grown:
            return False, _("more than a seed in the catalogue now")
        if level == "rare":
            return True, _("still at the seed stage here: only a handful of cases")
        return True, _("still no cases in the catalogue: the seed has not sprouted here")
    if status == "foothold":
        # The essay's claim is about the immaterial economy; _foothold_verdict judges it
        # from what the cases produce. This is the fallback when that is not recorded.
        return None, _(
            "the claim concerns the immaterial economy, and too few of these cases record "
            "what they produce to judge it"
        )
    if status == "one-big-success":
        if count >= 2 and grown:
            return True, _("many platforms in the catalogue, as the 2007 assessment foresaw")
        if count >= 2:
            return True, _("several platforms, though still few in the catalogue")
        return False, _("one case or none: the expected multiplication is not visible here")
    return None, _("no verdict for this status")


def _foothold_verdict(entry: dict[str, Any]) -> tuple[bool | None, str] | None:
    """Rung 10 against "barely a foothold in the immaterial economy": judged from the
    cases whose production is recorded, when there are enough of them."""
    if entry["recorded"] < PRODUCTION_MINIMUM:
        return None
    immaterial = entry["immaterial"] + entry["both"]
    share = immaterial / entry["recorded"]
    if share < FOOTHOLD_SHARE:
        return True, _(
            "still barely a foothold in the immaterial economy: {immaterial} of the "
            "{recorded} cases with a recorded production make immaterial goods"
        ).format(immaterial=immaterial, recorded=entry["recorded"])
    return False, _(
        "more than a foothold in the immaterial economy here: {immaterial} of the "
        "{recorded} cases with a recorded production make immaterial goods"
    ).format(immaterial=immaterial, recorded=entry["recorded"])


def _hedge(drawn: int) -> str | None:
    if drawn == 0:
        return None
    if drawn < SMALL_RUNG:
        return ngettext(
            "Rests on {count} case: one more or fewer could change it.",
            "Rests on {count} cases: one more or fewer could change it.",
            drawn,
        ).format(count=drawn)
    return None


def _growth(recent: int, previous: int) -> float | None:
    if previous < GROWTH_MINIMUM or recent == 0:
        return None
    return round(recent / previous, 4)


def _growth_text(recent: int, previous: int, growth: float | None) -> str:
    if recent == previous == 0:
        return _("no founding years in either decade")
    if growth is None:
        return _(
            "{recent} founded in the last decade, {previous} in the one before: "
            "too few to call a trend"
        ).format(recent=recent, previous=previous)
    return _("{recent} founded in the last decade against {previous} (×{growth})").format(
        recent=recent, previous=previous, growth=f"{growth:.2f}"
    )


def _sample(profile: dict[str, Any], totals: dict[str, Any]) -> dict[str, Any]:
    def top(rows: list[dict[str, Any]], name: Any) -> dict[str, Any] | None:
        if not rows:
            return None
        first = rows[0]
        key = first.get("code", first.get("key"))
        return {"key": key, "name": name(key), "count": first["count"], "share": first["share"]}

    return {
        "cases": profile["cases"],
        "how_chosen": str(HOW_CHOSEN),
        "largest_country": top(profile["countries"], country_label),
        "largest_sector": top(profile["sectors"], lambda key: term_label(SECTORS, key)),
        "countries": [{**row, "name": country_label(row["code"])} for row in profile["countries"]],
        "without_country": profile["without_country"],
        "sectors": [{**row, "name": term_label(SECTORS, row["key"])} for row in profile["sectors"]],
        "productions": profile["productions"],
        "placements": totals["placements"],
        "accounts": totals["accounts"],
        "top_accounts": profile["accounts"],
    }


def _production(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rungs 7 and 10 (and 11) by what their cases produce, against the essay's reading
    of the material and immaterial economy."""
    by_rung: dict[int, dict[str, int]] = {}
    for row in rows:
        if row["rung"] in (7, 10, 11):
            cell = by_rung.setdefault(row["rung"], {})
            cell[row["production"]] = row["agreed"] + row["contested"]
            cell[f"{row['production']}_contested"] = row["contested"]
    entries = []
    for number in (7, 10, 11):
        cell = by_rung.get(number, {})
        recorded = sum(cell.get(key, 0) for key in ("material", "immaterial", "both"))
        entries.append(
            {
                "rung": number,
                "name": translate(RUNGS[number - 1].name_message),
                "material": cell.get("material", 0),
                "immaterial": cell.get("immaterial", 0),
                "both": cell.get("both", 0),
                "not_recorded": cell.get(selectors.NOT_RECORDED, 0),
                "contested": sum(
                    cell.get(f"{key}_contested", 0) for key in selectors.PRODUCTION_KEYS
                ),
                "recorded": recorded,
                "immaterial_share": (
                    round((cell.get("immaterial", 0) + cell.get("both", 0)) / recorded, 4)
                    if recorded
                    else None
                ),
            }
        )
    seven, ten = entries[0], entries[1]
    if min(seven["recorded"], ten["recorded"]) < PRODUCTION_MINIMUM:
        comparison = _(
            "Too few cases with a recorded production to compare (rung 7: "
            "{seven}, rung 10: {ten}; at least {minimum} each are needed)."
        ).format(seven=seven["recorded"], ten=ten["recorded"], minimum=PRODUCTION_MINIMUM)
    else:
        comparison = _(
            "In this catalogue, {seven} of rung 7's cases with a "
            "recorded production produce immaterial goods (alone or with material ones), "
            "against {ten} on rung 10. The essay expected equitable "
            "monetisation to reach the immaterial economy and found cooperatives barely "
            "there; these shares describe the cases catalogued, not the economy."
        ).format(seven=f"{seven['immaterial_share']:.0%}", ten=f"{ten['immaterial_share']:.0%}")
    return {
        "rungs": entries,
        "comparison": comparison,
        "quotes": {
            "7": BASELINE_2007[7].quote,
            "10": BASELINE_2007[10].quote,
            "11": "local distributed manufacturing \u2026 three dimensional fabbing printers",
        },
    }


def build_report(*, year: int | None = None) -> dict[str, Any]:
    """The report as data. ``year`` (default: this year) ends the growth window: cases
    founded in the last ten years (``year - 9`` to ``year``) against the ten before."""
    year = year or timezone.now().year
    recent_from, previous_from = year - GROWTH_WINDOW + 1, year - 2 * GROWTH_WINDOW + 1
    totals = selectors.totals()
    counts = {row["rung"]: row for row in selectors.rung_counts()}
    agreement = {row["rung"]: row for row in selectors.agreement_by_rung()}
    founded = {
        row["standing_rung"]: row
        for row in selectors.agreed_cases()
        .order_by()
        .values("standing_rung")
        .annotate(
            recent=Count("id", filter=Q(founded__gte=recent_from, founded__lte=year)),
            previous=Count("id", filter=Q(founded__gte=previous_from, founded__lt=recent_from)),
        )
    }
    examples = _examples()
    production = _production(selectors.rung_production_counts())
    drawn_total = sum(row["count"] for row in counts.values())
    rungs = []
    for r in RUNGS:
        row = counts[r.number]
        share = round(row["count"] / drawn_total, 4) if drawn_total else 0.0
        recent = founded.get(r.number, {}).get("recent", 0)
        previous = founded.get(r.number, {}).get("previous", 0)
        growth = _growth(recent, previous)
        entry: dict[str, Any] = {
            "rung": r.number,
            "key": r.key,
            "name": translate(r.name_message),
            "view": r.view,
            "count": row["agreed"],
            "contested": row["contested"],
            "drawn": row["count"],
            "share": share,
            "founded_recent": recent,
            "founded_previous": previous,
            "growth": growth,
            "growth_text": _growth_text(recent, previous, growth),
            "examples": examples.get(r.number, []),
            "independent": agreement[r.number]["independent"],
            "mean_agreement": agreement[r.number]["mean_agreement"],
        }
        baseline = BASELINE_2007[r.number]
        level = _level(row["count"], share)
        agrees, verdict = _verdict(baseline.status, row["count"], level)
        if baseline.status == "foothold":
            agrees, verdict = _foothold_verdict(production["rungs"][1]) or (agrees, verdict)
        entry["baseline_2007"] = {
            **baseline.as_dict(lookup()),
            "today": level,
            "agrees": agrees,
            "verdict": verdict,
            "hedge": _hedge(row["count"]),
            "judged_on": _("cases drawn at the rung, contested ones included"),
        }
        rungs.append(entry)
    economies = {
        key: n
        for key, n in selectors.agreed_cases()
        .order_by()
        .values("standing_economy")
        .annotate(n=Count("id"))
        .values_list("standing_economy", "n")
    }
    profile = selectors.sample_profile()
    alpha = selectors.catalogue_alpha()
    return {
        "year": year,
        "credit": {
            "citation": ESSAY_CITATION,
            "url": ESSAY_URL,
            "text": _(
                "The ladder of participation and its 2007 assessment come from {citation} ({url})."
            ).format(citation=ESSAY_CITATION, url=ESSAY_URL),
        },
        "about": "/about",
        "sample": _sample(profile, totals),
        "growth_window": {
            "recent": [recent_from, year],
            "previous": [previous_from, recent_from - 1],
            "minimum": GROWTH_MINIMUM,
        },
        "totals": {
            **totals,
            "drawn": drawn_total,
            "firm_view": sum(e["count"] for e in rungs if e["view"] == "firm"),
            "community_view": sum(e["count"] for e in rungs if e["view"] == "community"),
        },
        "economies": [
            {"key": e.key, "name": economy_name_shown(e.key), "count": economies.get(e.key, 0)}
            for e in ECONOMIES
        ]
        + [{"key": None, "name": economy_name_shown(None), "count": economies.get(None, 0)}],
        "production": production,
        "agreement": alpha,
        "rungs": rungs,
    }


def render_report(fmt: str, *, year: int | None = None, language: str | None = None) -> str:
    """The report built from the catalogue now, in ``fmt`` (one of :data:`FORMATS`), in
    ``language`` (default: the active language). The essay's words stay in English,
    with their translation beside them in another language."""
    if language is None:
        return render(build_report(year=year), fmt)
    with translation.override(language):
        return render(build_report(year=year), fmt)
