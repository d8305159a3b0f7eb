"""Disagreement between contributors: the standing rung of a case, and inter-rater agreement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Consensus", "Reliability", "consensus", "krippendorff_alpha", "reliability"]


@dataclass(frozen=True, slots=True)
class Consensus:
    """The standing placement of a case for one period.

    ``rung`` is the rung most placements give, or ``None`` on a tie (then
    ``candidates`` holds the tied rungs). ``agreement`` is the share of
    placements that give the top count. A tie, or agreement below 2/3, makes
    the case ``contested``: shown as such, never silently resolved.
    """

    rung: int | None
    agreement: float
    contested: bool
    candidates: tuple[int, ...]
    counts: dict[int, int] = field(default_factory=dict)
    n: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "rung": self.rung,
            "agreement": self.agreement,
            "contested": self.contested,
            "candidates": list(self.candidates),
            "counts": {str(r): c for r, c in self.counts.items()},
            "n": self.n,
        }


def consensus(rungs: Iterable[int]) -> Consensus:
    """The consensus of several placements of one case, given the rung each places it on.

    ``ValueError`` for anything that is not a rung number 1-11. The result may be shared
    with other callers that gave the same rungs (it is frozen; leave ``counts`` as it is).
    """
    given = tuple(rungs)
    if all(type(number) is int for number in given):
        # Few distinct lists of rungs occur (most cases have one to three placements),
        # and an import asks for a million: each is worked out once.
        return _consensus_of(given)
    return _consensus(given)  # refuses a bool (equal to 1 as a key) or a non-number


@lru_cache(maxsize=4096)
def _consensus_of(rungs: tuple[int, ...]) -> Consensus:
    return _consensus(rungs)


def _consensus(rungs: tuple[int, ...]) -> Consensus:
    counts: dict[int, int] = {}
    n = 0
    for number in rungs:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 11:
            raise ValueError(f"not a rung: {number!r}; rungs are numbered 1 to 11")
        counts[number] = counts.get(number, 0) + 1
        n += 1
    if n == 0:
        return Consensus(rung=None, agreement=0.0, contested=False, candidates=(), counts={}, n=0)
    top = max(counts.values())
    candidates = tuple(sorted(r for r, c in counts.items() if c == top))
    tied = len(candidates) > 1
    # Compare in integers: 2 of 3 is exactly the threshold, and not contested.
    contested = tied or 3 * top < 2 * n
    return Consensus(
        rung=None if tied else candidates[0],
        agreement=top / n,
        contested=contested,
        candidates=candidates,
        counts=dict(sorted(counts.items())),
        n=n,
    )


def _coincidences(
    units: Iterable[Sequence[Hashable]],
) -> tuple[dict[tuple[Hashable, Hashable], float], Counter[Hashable]]:
    """Krippendorff's coincidence matrix o[c, k] and the value totals n[c], from the units
    with two or more values (each ordered pair within a unit weighted 1/(m - 1))."""
    matrix: dict[tuple[Hashable, Hashable], float] = {}
    totals: Counter[Hashable] = Counter()
    for unit in units:
        values = Counter(unit)
        m = sum(values.values())
        if m < 2:
            continue
        for c, count_c in values.items():
            totals[c] += count_c
            for k, count_k in values.items():
                pairs = count_c * (count_k - (1 if c == k else 0))
                if pairs:
                    matrix[(c, k)] = matrix.get((c, k), 0.0) + pairs / (m - 1)
    return matrix, totals


def _ordinal_distance(
    totals: Counter[Hashable], order: Sequence[Hashable]
) -> dict[tuple[Hashable, Hashable], float]:
    """Krippendorff's ordinal metric: the squared mass of values between two ranks."""
    ranks = [value for value in order if totals[value]]
    distance: dict[tuple[Hashable, Hashable], float] = {}
    for i, c in enumerate(ranks):
        for j in range(i, len(ranks)):
            k = ranks[j]
            between = sum(totals[g] for g in ranks[i : j + 1]) - (totals[c] + totals[k]) / 2
            distance[(c, k)] = distance[(k, c)] = between * between
    return distance


def _alpha(
    matrix: dict[tuple[Hashable, Hashable], float],
    totals: Counter[Hashable],
    metric: str,
    order: Sequence[Hashable] | None,
) -> float | None:
    """Alpha from a coincidence matrix and its value totals (see krippendorff_alpha)."""
    n = sum(totals.values())
    if n < 2:
        return None
    if metric == "nominal":
        observed = sum(count for (c, k), count in matrix.items() if c != k)
        expected = (n * n - sum(t * t for t in totals.values())) / (n - 1)
    elif metric == "ordinal":
        ranking = list(order) if order is not None else sorted(totals)  # type: ignore[type-var]
        distance = _ordinal_distance(totals, ranking)
        observed = sum(count * distance[(c, k)] for (c, k), count in matrix.items())
        expected = sum(totals[c] * totals[k] * distance[(c, k)] for c in totals for k in totals) / (
            n - 1
        )
    else:
        raise ValueError(f"metric must be nominal or ordinal, not {metric!r}")
    if expected == 0:
        return None
    return 1.0 - observed / expected


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable]],
    *,
    metric: str = "nominal",
    order: Sequence[Hashable] | None = None,
) -> float | None:
    """Krippendorff's alpha, nominal or ordinal.

    Each unit (a case period) is the sequence of values the raters gave it; raters
    who gave none are simply absent. Units with fewer than two values cannot be
    paired and are left out. ``ordinal`` needs the values' ``order`` (for rungs,
    1 to 11; by default the values sorted). ``None`` when alpha is undefined: no
    pairable values, or every pairable value the same (no expected disagreement).
    """
    matrix, totals = _coincidences(units)
    return _alpha(matrix, totals, metric, order)


@dataclass(frozen=True)
class Reliability:
    """Inter-rater agreement across the catalogue (model spec §7): Krippendorff's alpha,
    nominal and ordinal over the rungs, with its N and a bootstrap 95% interval.

    ``enough`` is False below ``minimum_units`` units; then the alphas are None and a
    report says "not enough independent placements" instead of a number.
    """

    units: int
    placements: int
    accounts: int
    minimum_units: int
    nominal: float | None = None
    ordinal: float | None = None
    nominal_interval: tuple[float, float] | None = None
    ordinal_interval: tuple[float, float] | None = None

    @property
    def enough(self) -> bool:
        return self.units >= self.minimum_units

    def as_dict(self) -> dict[str, object]:
        return {
            "units": self.units,
            "placements": self.placements,
            "accounts": self.accounts,
            "minimum_units": self.minimum_units,
            "enough": self.enough,
            "nominal": self.nominal,
            "ordinal": self.ordinal,
            "nominal_interval": list(self.nominal_interval) if self.nominal_interval else None,
            "ordinal_interval": list(self.ordinal_interval) if self.ordinal_interval else None,
        }


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    position = share * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def reliability(
    units: Sequence[Sequence[tuple[Hashable, int]]],
    *,
    minimum_units: int,
    resamples: int = 1000,
    seed: int = 2008,
) -> Reliability:
    """Agreement over ``units``: each a case period, as the ``(account, rung)`` of every
    placement of it by a different account (one account counts once per period).

    Alphas and their bootstrap intervals (``resamples`` resamplings of the units, with
    a fixed ``seed`` so a report is reproducible) only from ``minimum_units`` units on.
    """
    import random

    rungs = [[rung for _, rung in unit] for unit in units if len(unit) >= 2]
    accounts = {account for unit in units if len(unit) >= 2 for account, _ in unit}
    found = Reliability(
        units=len(rungs),
        placements=sum(len(unit) for unit in rungs),
        accounts=len(accounts),
        minimum_units=minimum_units,
    )
    if not found.enough:
        return found
    order = list(range(1, 12))
    nominal = krippendorff_alpha(rungs)
    ordinal = krippendorff_alpha(rungs, metric="ordinal", order=order)
    # A unit's coincidences depend only on its values, so each distinct unit is paired
    # once; a resample is then how often each unit was drawn, and its matrix the sum
    # of theirs. The draws are the same as drawing the units themselves.
    kinds: dict[tuple[int, ...], int] = {}
    kind_of = [kinds.setdefault(tuple(sorted(unit)), len(kinds)) for unit in rungs]
    paired = [_coincidences([list(kind)]) for kind in kinds]
    generator = random.Random(seed)
    samples: dict[str, list[float]] = {"nominal": [], "ordinal": []}
    size = len(rungs)
    for _ in range(resamples):
        drawn = Counter(kind_of[generator.randrange(size)] for _ in range(size))
        matrix: dict[tuple[Hashable, Hashable], float] = {}
        totals: Counter[Hashable] = Counter()
        for kind, times in drawn.items():
            kind_matrix, kind_totals = paired[kind]
            for pair, weight in kind_matrix.items():
                matrix[pair] = matrix.get(pair, 0.0) + weight * times
            for value, count in kind_totals.items():
                totals[value] += count * times
        for metric in samples:
            value = _alpha(matrix, totals, metric, order)
            if value is not None:
                samples[metric].append(value)

    def interval(values: list[float]) -> tuple[float, float] | None:
        if len(values) < resamples // 2:
            return None
        values.sort()
        return (round(_percentile(values, 0.025), 4), round(_percentile(values, 0.975), 4))

    return Reliability(
        units=found.units,
        placements=found.placements,
        accounts=found.accounts,
        minimum_units=minimum_units,
        nominal=None if nominal is None else round(nominal, 4),
        ordinal=None if ordinal is None else round(ordinal, 4),
        nominal_interval=interval(samples["nominal"]),
        ordinal_interval=interval(samples["ordinal"]),
    )
