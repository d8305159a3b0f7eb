"""Disagreement between contributors: the standing rung of a case, and inter-rater agreement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Consensus", "consensus", "krippendorff_alpha"]


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

    ``ValueError`` for anything that is not a rung number 1-11.
    """
    counts: Counter[int] = Counter()
    for number in rungs:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 11:
            raise ValueError(f"not a rung: {number!r}; rungs are numbered 1 to 11")
        counts[number] += 1
    n = sum(counts.values())
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


def krippendorff_alpha(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal data.

    Each unit (a case) is the sequence of values the raters gave it; raters who
    gave none are simply absent. Units with fewer than two values cannot be
    paired and are left out. ``None`` when alpha is undefined: no pairable
    values, or every pairable value is the same (no expected disagreement).
    """
    # Coincidences: each ordered pair of values within a unit, weighted 1/(m_u - 1).
    observed_disagreement = 0.0
    totals: Counter[Hashable] = Counter()
    for unit in units:
        values = Counter(unit)
        m = sum(values.values())
        if m < 2:
            continue
        totals.update(values)
        # Ordered pairs of different values in this unit: m^2 - sum of n_v^2.
        different_pairs = m * m - sum(c * c for c in values.values())
        observed_disagreement += different_pairs / (m - 1)
    n = sum(totals.values())
    if n < 2:
        return None
    expected_pairs = n * n - sum(c * c for c in totals.values())
    if expected_pairs == 0:
        return None
    return 1.0 - (n - 1) * observed_disagreement / expected_pairs
