"""Chart and report data as tidy rows, each computed by aggregate queries.

No selector here loads the whole catalogue into Python: counts come from
``GROUP BY`` queries, the ladder map takes a bounded sample of marks, and the
trajectories, the contested cases and the inter-rater figures only read the
placements of the few cases that need them. Every row is a plain dict of JSON
values, ready to be inlined in a Vega-Lite specification or a report.

How contested cases are counted (model spec section 7): disagreement is never
dropped. A live case is exactly one of

- **agreed**: it stands on one rung and is not contested; counted at that rung;
- **contested**: its latest period's placements split between rungs (a tie, or
  agreement below 2/3); drawn and counted *at every rung it is split between*,
  so per-rung columns of contested cases add up to more than the contested
  total, which counts each case once;
- **unplaced**: no placement yet.

So ``agreed`` summed over the rungs, plus the contested total, plus the
unplaced, is the catalogue's number of live cases, in every chart and report.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any, overload

from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, Mod, Substr
from django.utils import timezone
from django.utils.translation import gettext

from peerladder.catalogue.models import Case, CaseCountry, Placement
from peerladder.catalogue.selectors import CaseFilters
from peerladder.ladder import ECONOMIES, RUNGS, reliability
from peerladder.ladder.trajectory import PlacementRow, trajectory
from peerladder.lexicon import translate

Row = dict[str, Any]

MAP_MARK_LIMIT = 2000
TRAJECTORY_LIMIT = 200
NO_ECONOMY = "none"
ECONOMY_KEYS = (*(e.key for e in ECONOMIES), NO_ECONOMY)
COST_LEVELS = ("low", "medium", "high")
NOT_GIVEN = "not given"
NOT_RECORDED = "not recorded"
PRODUCTION_KEYS = ("material", "immaterial", "both", NOT_RECORDED)
# Below this many case periods placed by two or more different accounts, the
# catalogue's alpha is "not enough independent placements", not a number: with
# fewer, one placement swings it and its interval spans most of [-1, 1].
ALPHA_MINIMUM_UNITS = 10


def rung_label(number: int) -> str:
    """How charts name a rung: its number and its name (in the active language), so the
    number orders it."""
    return f"{number} · {translate(RUNGS[number - 1].name_message)}"


class _RungLabels(Sequence[str]):
    """Every rung's label, in ladder order, read in the active language at each use."""

    def __len__(self) -> int:
        return len(RUNGS)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        labels = tuple(rung_label(r.number) for r in RUNGS)
        return labels[index]


RUNG_LABELS: Sequence[str] = _RungLabels()


NO_FILTERS = CaseFilters()


def live_cases(filters: CaseFilters = NO_FILTERS) -> QuerySet[Case]:
    """The cases the insights count: not archived, within the catalogue's filters (the
    same ``CaseFilters`` as the case lists; a text query is not one the charts take)."""
    return filters.apply(Case.objects.filter(archived=False))


def agreed_cases(filters: CaseFilters = NO_FILTERS) -> QuerySet[Case]:
    """Live cases that stand on one rung without dispute (not contested)."""
    return live_cases(filters).filter(standing_rung__isnull=False, contested=False)


def live_placements(filters: CaseFilters = NO_FILTERS) -> QuerySet[Placement]:
    """Placements not retracted, of the live cases within ``filters``."""
    placements = Placement.objects.filter(retracted_at__isnull=True, case__archived=False)
    if filters != NO_FILTERS:
        placements = placements.filter(case__in=live_cases(filters).values("id"))
    return placements


def independent_placements(filters: CaseFilters = NO_FILTERS) -> QuerySet[Placement]:
    """Active placements, one per account and case period: an account that placed the
    same period again counts once, by its latest placement (model spec section 7)."""
    later = Placement.objects.filter(
        retracted_at__isnull=True,
        case_id=OuterRef("case_id"),
        author_id=OuterRef("author_id"),
        valid_from=OuterRef("valid_from"),
        id__gt=OuterRef("id"),
    )
    # Two lookups because SQL's NULL = NULL is not true: open periods match open ones.
    return (
        live_placements(filters)
        .alias(
            later_open=Exists(later.filter(valid_to__isnull=True)),
            later_closed=Exists(later.filter(valid_to=OuterRef("valid_to"))),
        )
        .exclude(
            Q(valid_to__isnull=True, later_open=True) | Q(valid_to__isnull=False, later_closed=True)
        )
    )


def standing_placements(filters: CaseFilters = NO_FILTERS) -> QuerySet[Placement]:
    """The independent placements of the period each live case stands in now (its
    latest period), one per account."""
    latest = (
        live_placements(filters)
        .filter(case_id=OuterRef("case_id"))
        # The latest period: the latest start; on the same start, an open period wins.
        .order_by("-valid_from", F("valid_to").desc(nulls_first=True))
    )
    return (
        independent_placements(filters)
        .annotate(
            latest_from=Subquery(latest.values("valid_from")[:1]),
            latest_to=Subquery(latest.values("valid_to")[:1]),
        )
        .filter(valid_from=F("latest_from"))
        .filter(Q(valid_to=F("latest_to")) | Q(valid_to__isnull=True, latest_to__isnull=True))
    )


# Contested cases ------------------------------------------------------------------------


def split_label(counts: dict[int, int]) -> str:
    """A split in a few characters: ``"6 vs 11, 1–1"`` (rungs, then how many placed each)."""
    rungs = sorted(counts)
    return " vs ".join(str(r) for r in rungs) + ", " + "–".join(str(counts[r]) for r in rungs)


def _economy_of(economies: list[str | None]) -> str | None:
    ranked = Counter(economies).most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # no majority among those placing it here: say none
    return ranked[0][0]


def contested_splits(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Every live contested case with the rungs its latest period is split between.

    Each row: the case (``case_id``, ``slug``, ``name``, ``production``,
    ``leading`` — its standing rung when one rung leads, else None), ``counts``
    (rung to independent placements), ``rungs`` (in order), ``label`` ("6 vs 11,
    1–1") and ``economies`` (rung to the economy of the placements there).
    """
    rows = (
        standing_placements(filters)
        .filter(case__contested=True)
        .order_by("case__name", "case_id", "id")
        .values_list(
            "case_id",
            "case__slug",
            "case__name",
            "case__production",
            "case__standing_rung",
            "rung",
            "economy",
        )
    )
    cases: dict[int, Row] = {}
    placed: dict[int, dict[int, list[str | None]]] = defaultdict(lambda: defaultdict(list))
    for case_id, slug, name, production, leading, rung, economy in rows:
        cases.setdefault(
            case_id,
            {
                "case_id": case_id,
                "slug": slug,
                "name": name,
                "production": production,
                "leading": leading,
            },
        )
        placed[case_id][rung].append(economy)
    splits = []
    for case_id, case in cases.items():
        by_rung = placed[case_id]
        counts = {rung: len(economies) for rung, economies in sorted(by_rung.items())}
        if len(counts) < 2:
            continue  # not split after all (a stale flag): it would be counted as agreed
        total = sum(counts.values())
        splits.append(
            {
                **case,
                "counts": counts,
                "rungs": list(counts),
                "shares": {rung: count / total for rung, count in counts.items()},
                "label": split_label(counts),
                "economies": {rung: _economy_of(e) for rung, e in sorted(by_rung.items())},
            }
        )
    # By name as a reader sorts: "guifi.net" among the g's, not after the capitals.
    splits.sort(key=lambda split: (split["name"].casefold(), split["case_id"]))
    return splits


def contested_at(number: int, filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """The contested cases split with rung ``number`` among their rungs, by name."""
    return [split for split in contested_splits(filters) if number in split["counts"]]


# Counts -----------------------------------------------------------------------------------


def totals(filters: CaseFilters = NO_FILTERS) -> Row:
    """Live cases by how they stand (agreed on a rung, contested, unplaced; these three
    add up to ``cases``), ties among the contested, placements and their accounts."""
    # Aggregate names must not be field names ("contested"), or later filters see them.
    found = live_cases(filters).aggregate(
        n_cases=Count("id"),
        n_agreed=Count("id", filter=Q(standing_rung__isnull=False, contested=False)),
        n_contested=Count("id", filter=Q(contested=True)),
        n_tied=Count("id", filter=Q(standing_rung__isnull=True, contested=True)),
        n_unplaced=Count("id", filter=Q(placement_count=0)),
    )
    counts = {key.removeprefix("n_"): value for key, value in found.items()}
    counts["placed"] = counts["cases"] - counts["unplaced"]
    placements = live_placements(filters).aggregate(
        placements=Count("id"), accounts=Count("author_id", distinct=True)
    )
    return {**counts, **placements}


def _agreed_by_rung(filters: CaseFilters) -> dict[int, int]:
    return dict(
        agreed_cases(filters)
        .order_by()
        .values("standing_rung")
        .annotate(count=Count("id"))
        .values_list("standing_rung", "count")
    )


def rung_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """One row per rung 1-11: ``agreed`` cases standing on it, ``contested`` cases split
    with it (each also counted at its other rungs) and ``count``, both together: the
    cases drawn at the rung."""
    agreed = _agreed_by_rung(filters)
    contested: Counter[int] = Counter()
    for split in contested_splits(filters):
        contested.update(split["rungs"])
    return [
        {
            "rung": r.number,
            "rung_label": rung_label(r.number),
            "view": r.view,
            "agreed": agreed.get(r.number, 0),
            "contested": contested[r.number],
            "count": agreed.get(r.number, 0) + contested[r.number],
        }
        for r in RUNGS
    ]


def rung_economy_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Cases per rung and economy (``"none"`` for no economy), non-zero rows only:
    ``agreed`` ones standing there, ``contested`` ones split with the rung (by the
    economy of the placements that put them there)."""
    found: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"agreed": 0, "contested": 0}
    )
    for number, economy, count in (
        agreed_cases(filters)
        .order_by()
        .values("standing_rung", "standing_economy")
        .annotate(count=Count("id"))
        .values_list("standing_rung", "standing_economy", "count")
    ):
        found[(number, economy or NO_ECONOMY)]["agreed"] += count
    for split in contested_splits(filters):
        for number in split["rungs"]:
            found[(number, split["economies"][number] or NO_ECONOMY)]["contested"] += 1
    result = [
        {
            "rung": number,
            "rung_label": rung_label(number),
            "economy": economy,
            **counted,
            "count": counted["agreed"] + counted["contested"],
        }
        for (number, economy), counted in found.items()
    ]
    result.sort(key=lambda row: (row["rung"], ECONOMY_KEYS.index(row["economy"])))
    return result


def rung_production_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Per rung and production (material, immaterial, both, or not recorded): agreed
    cases standing there and contested cases split with the rung. One row per rung
    and production, zeros included, so a table can show every cell."""
    found: dict[tuple[int, str], dict[str, int]] = defaultdict(
        lambda: {"agreed": 0, "contested": 0}
    )
    for number, production, count in (
        agreed_cases(filters)
        .order_by()
        .values("standing_rung", "production")
        .annotate(count=Count("id"))
        .values_list("standing_rung", "production", "count")
    ):
        found[(number, production or NOT_RECORDED)]["agreed"] += count
    for split in contested_splits(filters):
        for number in split["rungs"]:
            found[(number, split["production"] or NOT_RECORDED)]["contested"] += 1
    return [
        {
            "rung": r.number,
            "rung_label": rung_label(r.number),
            "production": production,
            **found.get((r.number, production), {"agreed": 0, "contested": 0}),
        }
        for r in RUNGS
        for production in PRODUCTION_KEYS
    ]


# The ladder map ------------------------------------------------------------------------


def _jitter(case_id: int, salt: str) -> float:
    """A stable offset in [0, 1) for a case, so the map does not move between loads."""
    digest = hashlib.blake2b(f"{salt}:{case_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") / 2**32


def _mark(case_id: int, slug: str, name: str, number: int, economy: str | None) -> Row:
    return {
        "slug": slug,
        "name": name,
        "rung": number,
        "rung_label": rung_label(number),
        "economy": economy or NO_ECONOMY,
        "contested": False,
        "split": None,
        "x_jitter": round(_jitter(case_id, f"x{number}"), 4),
        "y_jitter": round(_jitter(case_id, f"y{number}"), 4),
    }


def map_marks(filters: CaseFilters = NO_FILTERS, *, limit: int = MAP_MARK_LIMIT) -> Row:
    """The ladder map's marks: one per agreed case at its rung, and one per contested
    case at *each* rung it is split between (``contested`` and ``split`` say so).

    Every case when there are at most ``limit``; else an even sample of about
    ``limit`` (every n-th case by id, contested ones included the same way);
    ``total`` (cases drawn), ``contested`` and ``sampled`` say which.
    """
    agreed = agreed_cases(filters)
    every_split = contested_splits(filters)
    total = agreed.count() + len(every_split)
    step = max(1, -(-total // limit))
    splits = every_split
    if step > 1:
        agreed = agreed.annotate(bucket=Mod("id", step)).filter(bucket=0)
        splits = [split for split in every_split if split["case_id"] % step == 0]
    marks = [
        _mark(row["id"], row["slug"], row["name"], row["standing_rung"], row["standing_economy"])
        for row in agreed.order_by("id").values(
            "id", "slug", "name", "standing_rung", "standing_economy"
        )[:limit]
    ]
    for split in splits:
        for number in split["rungs"]:
            mark = _mark(
                split["case_id"], split["slug"], split["name"], number, split["economies"][number]
            )
            marks.append({**mark, "contested": True, "split": split["label"]})
    return {
        "total": total,
        "contested": len(every_split),
        "sampled": step > 1,
        "marks": marks,
    }


# Over time -------------------------------------------------------------------------------


CONTESTED_LABEL = "Contested (split between rungs)"


def contested_label() -> str:
    """:data:`CONTESTED_LABEL` in the active language."""
    return gettext("Contested (split between rungs)")


def founding_trend(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Cases per founding year: agreed ones by their rung, contested ones in a row of
    their own (``rung`` None), so each case counts once. Cases without a founding
    year, and unplaced ones, are left out."""
    rows = (
        live_cases(filters)
        .filter(founded__isnull=False, placement_count__gt=0)
        .order_by()
        .values("founded", "standing_rung", "contested")
        .annotate(count=Count("id"))
    )
    merged: Counter[tuple[int, int | None]] = Counter()
    for row in rows:
        number = None if row["contested"] else row["standing_rung"]
        merged[(row["founded"], number)] += row["count"]
    return [
        {
            "year": year,
            "rung": number,
            "rung_label": contested_label() if number is None else rung_label(number),
            "count": count,
        }
        for (year, number), count in sorted(merged.items(), key=lambda i: (i[0][0], i[0][1] or 99))
    ]


def placement_trend(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Active placements per start year of the period they describe, and their rung
    (placements, not cases: a contested case's placements sit at their own rungs)."""
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


def _moving_candidates(filters: CaseFilters) -> QuerySet[Placement, dict[str, Any]]:
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
    line follows the case over time. A period split between rungs gives no point
    on the line but a contested point at each of its rungs (``contested`` True).
    At most ``limit`` cases, by name.
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
        periods = trajectory(placement_rows)
        decided = [p for p in periods if p.rung is not None]
        if len({p.rung for p in decided}) < 2:
            continue
        moved += 1
        if moved > limit:
            continue
        slug, name = names[case_id]
        order = 0
        for period in periods:
            year = int(period.valid_from[:4])
            if period.rung is None:
                for number in period.consensus.candidates:
                    points.append(_point(slug, name, year, number, order, contested=True))
                continue
            points.append(_point(slug, name, year, period.rung, order))
            order += 1
        last = decided[-1]
        end_year = int(last.valid_to[:4]) if last.valid_to else max(now_year, 0)
        if end_year > int(last.valid_from[:4]) and last is periods[-1]:
            points.append(_point(slug, name, end_year, last.rung, order))
    return {"moved": moved, "shown": min(moved, limit), "points": points}


def _point(
    slug: str, name: str, year: int, rung: int | None, order: int, *, contested: bool = False
) -> Row:
    assert rung is not None
    return {
        "slug": slug,
        "name": name,
        "year": year,
        "rung": rung,
        "rung_label": rung_label(rung),
        "order": order,
        "contested": contested,
    }


# Viability ---------------------------------------------------------------------------------


def viability_counts(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Standing placements (one per account) per capital cost, coordination cost and
    rung; a contested case's placements sit at their own rungs.

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
            "rung": number,
            "rung_label": rung_label(number),
            "view": RUNGS[number - 1].view,
            "viable": capital == "low" and coordination == "low",
            "count": count,
        }
        for (capital, coordination, number), count in sorted(
            merged.items(),
            key=lambda item: (order.index(item[0][0]), order.index(item[0][1]), item[0][2]),
        )
    ]


# Agreement ----------------------------------------------------------------------------------


def _independently_placed(filters: CaseFilters) -> QuerySet[Placement, dict[str, Any]]:
    """Case ids whose latest period was placed by two or more different accounts."""
    return (
        standing_placements(filters)
        .order_by()
        .values("case_id")
        .annotate(accounts=Count("author_id", distinct=True))
        .filter(accounts__gte=2)
        .values("case_id")
    )


def agreement_by_rung(filters: CaseFilters = NO_FILTERS) -> list[Row]:
    """Per rung (model spec section 7), over the cases drawn there (agreed ones
    standing on it and contested ones split with it):

    - ``cases``, ``agreed``, ``contested``;
    - ``independent``: those whose latest period was placed by two or more different
      accounts, and ``independent_share`` of ``cases``;
    - ``mean_agreement`` over the independent ones: the share of their placements
      that put the case on this rung (for an agreed case, its agreement).
    """
    independent = _independently_placed(filters)
    found = {
        row["standing_rung"]: row
        for row in agreed_cases(filters)
        .order_by()
        .values("standing_rung")
        .annotate(
            count=Count("id"),
            independent=Count("id", filter=Q(id__in=independent)),
            agreement_sum=Sum("agreement", filter=Q(id__in=independent)),
        )
    }
    contested: Counter[int] = Counter()
    contested_agreement: defaultdict[int, float] = defaultdict(float)
    for split in contested_splits(filters):
        for number in split["rungs"]:
            contested[number] += 1
            contested_agreement[number] += split["shares"][number]
    rows = []
    for r in RUNGS:
        row = found.get(r.number, {})
        agreed = row.get("count", 0)
        independent_count = row.get("independent", 0) + contested[r.number]
        agreement_sum = (row.get("agreement_sum") or 0.0) + contested_agreement[r.number]
        cases = agreed + contested[r.number]
        rows.append(
            {
                "rung": r.number,
                "rung_label": rung_label(r.number),
                "cases": cases,
                "agreed": agreed,
                "contested": contested[r.number],
                "independent": independent_count,
                "independent_share": round(independent_count / cases, 4) if cases else None,
                "mean_agreement": (
                    round(agreement_sum / independent_count, 4) if independent_count else None
                ),
            }
        )
    return rows


def rater_units(filters: CaseFilters = NO_FILTERS) -> list[list[tuple[int, int]]]:
    """Every case period placed by two or more different accounts, as the
    ``(account, rung)`` of each account's latest placement of it."""
    shared = (
        independent_placements(filters)
        .order_by()
        .values("case_id", "valid_from", "valid_to")
        .annotate(accounts=Count("author_id", distinct=True))
        .filter(accounts__gte=2)
    )
    units: dict[tuple[int, str, str | None], list[tuple[int, int]]] = defaultdict(list)
    for case_id, valid_from, valid_to, author_id, rung in (
        independent_placements(filters)
        .filter(case_id__in=shared.values("case_id"))
        .order_by("case_id", "valid_from", "id")
        .values_list("case_id", "valid_from", "valid_to", "author_id", "rung")
    ):
        units[(case_id, valid_from, valid_to)].append((author_id, rung))
    return [unit for unit in units.values() if len(unit) >= 2]


ALPHA_CACHE_SECONDS = 24 * 3600


def catalogue_alpha(filters: CaseFilters = NO_FILTERS) -> Row:
    """Krippendorff's alpha, nominal and ordinal, over every case period placed by two
    or more different accounts, with its N (units, placements, accounts), a bootstrap
    95% interval, and ``enough`` False (no alpha) below :data:`ALPHA_MINIMUM_UNITS`.

    The bootstrap takes a second or more on a large catalogue, so the figure is kept
    under a key made of the units themselves: an edit that changes no shared placement
    (most edits) reuses it.
    """
    units = rater_units(filters)
    digest = hashlib.blake2b(repr(sorted(units)).encode(), digest_size=16).hexdigest()
    key = f"insights:alpha:{ALPHA_MINIMUM_UNITS}:{digest}"
    figure: Row | None = cache.get(key)
    if figure is None:
        figure = reliability(units, minimum_units=ALPHA_MINIMUM_UNITS).as_dict()
        cache.set(key, figure, ALPHA_CACHE_SECONDS)
    return figure


# The sample ---------------------------------------------------------------------------------


def sample_profile(filters: CaseFilters = NO_FILTERS, *, top: int = 5) -> Row:
    """What the catalogue is a sample of: its largest countries and sectors (shares of
    the live cases), its productions, and its placements per account."""
    cases = live_cases(filters)
    count = cases.count()

    def share(value: int) -> float:
        return round(value / count, 4) if count else 0.0

    countries = [
        {"code": code, "count": n, "share": share(n)}
        for code, n in CaseCountry.objects.filter(case__in=cases.values("id"))
        .order_by()
        .values("code")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n", "code")
        .values_list("code", "n")[:top]
    ]
    without_country = cases.exclude(country_rows__isnull=False).count()
    sectors = [
        {"key": key, "count": n, "share": share(n)}
        for key, n in cases.order_by()
        .values("sector")
        .annotate(n=Count("id"))
        .order_by("-n", "sector")
        .values_list("sector", "n")[:top]
    ]
    productions = {
        key or NOT_RECORDED: n
        for key, n in cases.order_by()
        .values("production")
        .annotate(n=Count("id"))
        .values_list("production", "n")
    }
    accounts = [
        {"account": name, "placements": n}
        for name, n in live_placements(filters)
        .order_by()
        .values("author__username")
        .annotate(n=Count("id"))
        .order_by("-n", "author__username")
        .values_list("author__username", "n")
    ]
    return {
        "cases": count,
        "countries": countries,
        "without_country": without_country,
        "sectors": sectors,
        "productions": [{"key": key, "count": productions.get(key, 0)} for key in PRODUCTION_KEYS],
        "accounts": accounts[:top],
        "account_count": len(accounts),
        "placements": sum(row["placements"] for row in accounts),
    }
