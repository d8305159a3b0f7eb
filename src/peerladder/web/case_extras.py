"""What the case page shows beside the record: its rating by the title, a
share box, each placement's reasoning, and its trajectory as a small chart with the
data table. ``case_extras`` gives the page's template all of it in one call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peerladder.catalogue.models import Case, Placement
from peerladder.catalogue.presenters import placement_explanation, rating_of
from peerladder.insights import charts
from peerladder.insights.case_chart import case_trajectory_chart
from peerladder.insights.selectors import split_label
from peerladder.insights.viability import viability_label, viability_sentence
from peerladder.ladder import Period, rung
from peerladder.lexicon import lookup, rung_shown

TRAJECTORY_CACHE_SECONDS = 3600


def _trajectory_figure(case: Case, periods: Sequence[Period]) -> dict[str, Any] | None:
    """The small trajectory chart, drawn once per revision of the case."""
    if not periods:
        return None

    def draw() -> dict[str, Any]:
        chart = case_trajectory_chart(case.name, periods, now_year=timezone.now().year)
        return {
            "name": "case-trajectory",
            "title": chart.title,
            "description": chart.description,
            "svg": charts.render_svg(chart.spec, id_prefix="trajectory", title=chart.title),
            "narrow_url": None,
            "table": chart.table,
        }

    # Keyed by the case's revision, which every change to its placements moves: no
    # need to read the catalogue's version for it.
    # The chart's title and labels are in the page's language.
    language = get_language() or "en"
    key = f"case-trajectory:{case.pk}:{case.revision_number}:{timezone.now().year}:{language}"
    figure: dict[str, Any] | None = cache.get(key)
    if figure is None:
        figure = draw()
        cache.set(key, figure, TRAJECTORY_CACHE_SECONDS)
    return figure


def _placement_cards(placements: Sequence[Placement]) -> list[dict[str, Any]]:
    return [
        {
            "placement": placement,
            "rung": rung_shown(rung(placement.rung)),
            "steps": placement_explanation(placement.answers),
            "viability": viability_label(placement.rung, placement.viability),
            "viability_text": (
                viability_sentence(placement.rung, placement.viability)
                if placement.viability
                else None
            ),
        }
        for placement in placements
    ]


def case_extras(
    request: HttpRequest, case: Case, periods: Sequence[Period], placements: Sequence[Placement]
) -> dict[str, Any]:
    """The case page's extras (see the module's docstring)."""
    permalink = request.build_absolute_uri(case.get_absolute_url())
    subject = _("%(name)s on peerladder") % {"name": case.name}
    body = f"{case.name}: {case.summary}\n\n{permalink}"
    latest = periods[-1] if periods else None
    standing_rung = case.standing_rung
    return {
        "rating": rating_of(case),
        "permalink": permalink,
        "revision_link": request.build_absolute_uri(
            f"{case.get_absolute_url()}?revision={case.revision_number}"
        ),
        "mail_link": f"mailto:?subject={quote(subject)}&body={quote(body)}",
        "placement_cards": _placement_cards(placements),
        "latest_period": latest,
        "latest_period_label": latest.label_in(lookup()) if latest is not None else "",
        "split": (
            split_label(latest.consensus.counts)
            if latest is not None and latest.consensus.contested
            else None
        ),
        "standing_viability": (
            viability_sentence(standing_rung, case.standing_viability)
            if standing_rung and case.standing_viability
            else None
        ),
        "standing_viability_label": (
            viability_label(standing_rung, case.standing_viability) if standing_rung else None
        ),
        "trajectory_figure": _trajectory_figure(case, periods),
    }
