"""Chart and report data as tidy rows, each computed by aggregate queries.

No selector here loads the whole catalogue into Python: counts come from
``GROUP BY`` queries, the ladder map takes a bounded sample of marks, and the
trajectories and inter-rater figures only read the placements of the few cases
that need them. Every row is a plain dict of JSON values, ready to be inlined
in a Vega-Lite specification or a report.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Mod, Substr
from django.utils import timezone

from peerladder.catalogue.models import Case, Placement
from peerladder.catalogue.selectors import CaseFilters
from peerladder.ladder import ECONOMIES, RUNGS, krippendorff_alpha
from peerladder.ladder.trajectory import PlacementRow, trajectory

Row = dict[str, Any]

MAP_MARK_LIMIT = 2000
TRAJECTORY_LIMIT = 200
NO_ECONOMY = "none"
ECONOMY_KEYS = (*(e.key for e in ECONOMIES), NO_ECONOMY)
COST_LEVELS = ("low", "medium", "high")
NOT_GIVEN = "not given"


def rung_label(number: int) -> str:
    """How charts name a rung: its number and its name, so the number orders it."""
    return f"{number} · {RUNGS[number - 1].name}"


RUNG_LABELS = tuple(rung_label(r.number) for r in RUNGS)


NO_FILTERS = CaseFilters()


def live_cases(filters: CaseFilters = NO_FILTERS) -> QuerySet[Case]:
    """The cases the insights count: not archived, within the catalogue's filters (the
    same ``CaseFilters`` as the case lists; a text query is not one the charts take)."""
    return filters.apply(Case.objects.filter(archived=False))


def placed_cases(filters: CaseFilters = NO_FILTERS) -> QuerySet[Case]:
    """Live cases that stand on one rung (a tie between rungs stands on none)."""
    return live_cases(filters).filter(standing_rung__isnull=False)


def live_placements(filters: CaseFilters = NO_FILTERS) -> QuerySet[Placement]:
    """Placements not retracted, of the live cases within ``filters``."""
    placements = Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
    if filters != NO_FILTERS:
        placements = placements.filter(case__in=live_cases(filters).values("id"))
    return placements


def totals(filters: CaseFilters = NO_FILTERS) -> Row:
    """Live cases, those on a rung, contested ones, ties, and active placements."""
    counts = live_cases(filters).aggregate(
        cases=Count("id"),
        placed=Count("id", filter=Q(standing_rung__isnull=False)),
        contested=Count("id", filter=Q(contested=True)),
        tied=Count("id", filter=Q(standing_rung__isnull=True, placement_count__gt=0)),
        unplaced=Count("id", filter=Q(placement_count=0)),
    )
    counts["placements"] = live_placements(filters).count()
    return counts


def rung_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """One row per rung 1-11: cases standing on it and how many of them are contested."""
    found = {
        row["standing_rung"]: row
        for row in placed_cases(filters)
        .order_by()
        .values("standing_rung")
        .annotate(count=Count("id"), contested=Count("id", filter=Q(contested=True)))
    }
    return [
        {
            "rung": r.number,
            "rung_label": rung_label(r.number),
            "view": r.view,
            "count": found.get(r.number, {}).get("count", 0),
            "contested": found.get(r.number, {}).get("contested", 0),
        }
        for r in RUNGS
    ]


def rung_economy_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Cases per standing rung and economy (``"none"`` for no economy), non-zero rows only."""
    rows = (
        placed_cases(filters)
        .order_by()
        .values("standing_rung", "standing_economy")
        .annotate(count=Count("id"), contested=Count("id", filter=Q(contested=True)))
    )
    result = [
        {
            "rung": row["standing_rung"],
            "rung_label": rung_label(row["standing_rung"]),
            "economy": row["standing_economy"] or NO_ECONOMY,
            "count": row["count"],
            "contested": row["contested"],
        }
        for row in rows
    ]
    result.sort(key=lambda row: (row["rung"], ECONOMY_KEYS.index(row["economy"])))
    return result


def _jitter(case_id: int, salt: str) -> float:
    """A stable offset in [0, 1) for a case, so the map does not move between loads."""
    digest = hashlib.blake2b(f"{salt}:{case_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32


def map_marks(filters: CaseFilters = NO_FILTERS, *, limit: int = MAP_MARK_LIMIT) -> Row:
    """The ladder map's marks: every case when there are at most ``limit``, else an even
    sample of about ``limit`` (every n-th by id); ``total`` and ``sampled`` say which."""
    queryset = placed_cases(filters)
    total = queryset.count()
    step = max(1, -(-total // limit))
    if step > 1:
        queryset = queryset.annotate(bucket=Mod("id", step)).filter(bucket=0)
    marks = [
        {
            "slug": row["slug"],
            "name": row["name"],
            "rung": row["standing_rung"],
            "rung_label": rung_label(row["standing_rung"]),
            "economy": row["standing_economy"] or NO_ECONOMY,
            "contested": row["contested"],
            "x_jitter": round(_jitter(row["id"], "x"), 4),
            "y_jitter": round(_jitter(row["id"], "y"), 4),
        }
        for row in queryset.order_by("id").values(
            "id", "slug", "name", "standing_rung", "standing_economy", "contested"
        )[:limit]
    ]
    return {"total": total, "sampled": step > 1, "marks": marks}


def founding_trend(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Cases per founding year and standing rung (cases without a founding year left out)."""
    rows = (
        placed_cases(filters)
        .filter(founded__isnull=False)
        .order_by()
        .values("founded", "standing_rung")
        .annotate(count=Count("id"))
        .order_by("founded", "standing_rung")
    )
    return [
        {
            "year": row["founded"],
            "rung": row["standing_rung"],
            "rung_label": rung_label(row["standing_rung"]),
            "count": row["count"],
        }
        for row in rows
    ]


def placement_trend(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Active placements per start year of the period they describe, and their rung."""
    rows = (
        live_placements(filters)
        .annotate(year=Cast(Substr("valid_from", 1, 4), IntegerField()))
        .order_by()
        .values("year", "rung")
        .annotate(count=Count("id"))
        .order_by("year", "rung")
    )
    return [
        {
            "year": row["year"],
            "rung": row["rung"],
            "rung_label": rung_label(row["rung"]),
            "count": row["count"],
        }
        for row in rows
    ]


def _moving_candidates(filters: CaseFilters) -> QuerySet[Placement]:
    """Case ids with placements on two rungs over two periods: only those can have moved."""
    return (
        live_placements(filters)
        .annotate(period=Concat("valid_from", Value("/"), Coalesce("valid_to", Value(""))))
        .order_by()
        .values("case_id")
        .annotate(rungs=Count("rung", distinct=True), periods=Count("period", distinct=True))
        .filter(rungs__gte=2, periods__gte=2)
        .values("case_id")
    )


def trajectories(
    filters: CaseFilters = NO_FILTERS, *, limit: int = TRAJECTORY_LIMIT, now_year: int | None = None
) -> Row:
    """Cases that moved: two or more periods whose consensus rungs differ.

    Each moved case gives one point per period start and one at the end of its
    last period (its ``valid_to``, or ``now_year`` while it still holds), so a
    line follows the case over time. At most ``limit`` cases, by name.
    """
    now_year = now_year or timezone.now().year
    rows = (
        live_placements(filters)
        .filter(case_id__in=_moving_candidates(filters))
        .values_list(
            "case_id",
            "case__slug",
            "case__name",
            "valid_from",
            "valid_to",
            "rung",
            "economy",
            "viability",
            "author_id",
        )
        .order_by("case__name", "case_id", "valid_from", "id")
    )
    by_case: dict[int, list[PlacementRow]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for case_id, slug, name, valid_from, valid_to, rung, economy, viability, author in rows:
        names[case_id] = (slug, name)
        by_case[case_id].append(
            PlacementRow(valid_from, valid_to, rung, economy, viability, author)
        )
    points: list[Row] = []
    moved = 0
    for case_id, placement_rows in by_case.items():
        periods = [p for p in trajectory(placement_rows) if p.rung is not None]
        if len({p.rung for p in periods}) < 2:
            continue
        moved += 1
        if moved > limit:
            continue
        slug, name = names[case_id]
        for index, period in enumerate(periods):
            points.append(_point(slug, name, int(period.valid_from[:4]), period.rung, index))
        last = periods[-1]
        end_year = int(last.valid_to[:4]) if last.valid_to else max(now_year, 0)
        if end_year > int(last.valid_from[:4]):
            points.append(_point(slug, name, end_year, last.rung, len(periods)))
    return {"moved": moved, "shown": min(moved, limit), "points": points}


def _point(slug: str, name: str, year: int, rung: int | None, order: int) -> Row:
    assert rung is not None
    return {
        "slug": slug,
        "name": name,
        "year": year,
        "rung": rung,
        "rung_label": rung_label(rung),
        "order": order,
    }


def standing_placements(filters: CaseFilters = NO_FILTERS) -> QuerySet[Placement]:
    """Active placements of the period each live case stands in now (its latest period)."""
    latest = (
        live_placements(filters)
        .filter(case_id=OuterRef("case_id"))
        # The latest period: the latest start; on the same start, an open period wins.
        .order_by("-valid_from", F("valid_to").desc(nulls_first=True))
    )
    return (
        live_placements(filters)
        .annotate(
            latest_from=Subquery(latest.values("valid_from")[:1]),
            latest_to=Subquery(latest.values("valid_to")[:1]),
        )
        .filter(valid_from=F("latest_from"))
        .filter(Q(valid_to=F("latest_to")) | Q(valid_to__isnull=True, latest_to__isnull=True))
    )


def viability_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Standing placements per capital cost, coordination cost and rung.

    The costs come from each placement's answers (``"not given"`` when absent).
    """
    rows = (
        standing_placements(filters)
        .order_by()
        .values("answers__capital_cost", "answers__coordination_cost", "rung")
        .annotate(count=Count("id"))
    )
    merged: dict[tuple[str, str, int], int] = defaultdict(int)
    for row in rows:
        capital = row["answers__capital_cost"]
        coordination = row["answers__coordination_cost"]
        key = (
            capital if capital in COST_LEVELS else NOT_GIVEN,
            coordination if coordination in COST_LEVELS else NOT_GIVEN,
            row["rung"],
        )
        merged[key] += row["count"]
    order = (*COST_LEVELS, NOT_GIVEN)
    return [
        {
            "capital_cost": capital,
            "coordination_cost": coordination,
            "rung": rung,
            "rung_label": rung_label(rung),
            "viable": capital == "low" and coordination == "low",
            "count": count,
        }
        for (capital, coordination, rung), count in sorted(
            merged.items(), key=lambda item: (order.index(item[0][0]), order.index(item[0][1]))
        )
    ]


def agreement_by_rung(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Per rung: cases, their mean agreement, and the number and share contested."""
    found = {
        row["standing_rung"]: row
        for row in placed_cases(filters)
        .order_by()
        .values("standing_rung")
        .annotate(
            count=Count("id"),
            contested=Count("id", filter=Q(contested=True)),
            several=Count("id", filter=Q(placement_count__gte=2)),
            mean_agreement=Avg("agreement"),
        )
    }
    rows = []
    for r in RUNGS:
        row = found.get(r.number)
        count = row["count"] if row else 0
        contested = row["contested"] if row else 0
        rows.append(
            {
                "rung": r.number,
                "rung_label": rung_label(r.number),
                "count": count,
                "placed_by_several": row["several"] if row else 0,
                "mean_agreement": (
                    round(row["mean_agreement"], 4)
                    if row and row["mean_agreement"] is not None
                    else None
                ),
                "contested": contested,
                "contested_share": round(contested / count, 4) if count else None,
            }
        )
    return rows


def rater_units() -> list[list[int]]:
    """The rungs given to each (case, period) that two or more placements describe."""
    groups = (
        live_placements()
        .order_by()
        .values("case_id", "valid_from", "valid_to")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
    )
    shared_cases = groups.values("case_id")
    units: dict[tuple[int, str, str | None], list[int]] = defaultdict(list)
    for case_id, valid_from, valid_to, rung in (
        live_placements()
        .filter(case_id__in=shared_cases)
        .order_by("case_id", "valid_from", "id")
        .values_list("case_id", "valid_from", "valid_to", "rung")
    ):
        units[(case_id, valid_from, valid_to)].append(rung)
    return [rungs for rungs in units.values() if len(rungs) >= 2]


def catalogue_alpha() -> Row:
    """Krippendorff's alpha (nominal) over the periods placed by two or more contributors."""
    units = rater_units()
    alpha = krippendorff_alpha(units)
    return {
        "alpha": None if alpha is None else round(alpha, 4),
        "units": len(units),
        "placements": sum(len(unit) for unit in units),
    }
