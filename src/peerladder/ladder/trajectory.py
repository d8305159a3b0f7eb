"""A case's trajectory and standing placement, from its placements' rows (no queries here).

Placements with the same period (``valid_from``, ``valid_to``) are several
contributors' views of that period; their consensus is the period's rung. One
account counts once per period: when it placed the same period again, its latest
placement (the last row given, so give rows in the order they were made) stands
for it. The periods in order of ``valid_from`` are the trajectory; the latest is
the case's standing placement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from peerladder.ladder.consensus import Consensus, consensus
from peerladder.ladder.messages import Lookup, Message, english

# A period still going on: "2019–now".
OPEN_PERIOD = Message("trajectory.period.open", "{start}–now")


def period_label(valid_from: str, valid_to: str | None, lookup: Lookup = english) -> str:
    """A period as people read it: "2010–2015", or "2019–now" (in the language of
    ``lookup``) while it lasts."""
    if valid_to:
        return f"{valid_from}–{valid_to}"
    return OPEN_PERIOD.filled(start=valid_from).render(lookup)


@dataclass(frozen=True)
class PlacementRow:
    valid_from: str
    valid_to: str | None
    rung: int
    economy: str | None
    viability: str | None
    # Who placed it (an account id or name); None counts as a placement of its own.
    author: object = None


@dataclass(frozen=True)
class Period:
    valid_from: str
    valid_to: str | None
    consensus: Consensus
    economy: str | None
    viability: str | None

    @property
    def rung(self) -> int | None:
        return self.consensus.rung

    @property
    def label(self) -> str:
        """The period in English ("2019–now")."""
        return period_label(self.valid_from, self.valid_to)

    def label_in(self, lookup: Lookup) -> str:
        """The period in the language of ``lookup``."""
        return period_label(self.valid_from, self.valid_to, lookup)


def _most_common(values: Iterable[str | None]) -> str | None:
    values = list(values)
    if values and values.count(values[0]) == len(values):
        return values[0]  # one value (the usual case): no counting needed
    counts = Counter(values)
    if not counts:
        return None
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # no majority: say nothing rather than pick one
    return ranked[0][0]


_Groups = dict[tuple[str, str | None], dict[object, PlacementRow]]


def _groups(rows: Iterable[PlacementRow]) -> _Groups:
    """The rows by period, each period's by author (an account's latest row standing)."""
    groups: _Groups = {}
    for index, row in enumerate(rows):
        # The latest row of an account replaces its earlier one for the same period.
        who = row.author if row.author is not None else ("row", index)
        period = groups.setdefault((row.valid_from, row.valid_to), {})
        period.pop(who, None)
        period[who] = row
    return groups


def _order(period: tuple[str, str | None]) -> tuple[str, bool, str]:
    """Periods by start; an open one ("still holds") after closed ones starting on the
    same day. No two periods share this key."""
    valid_from, valid_to = period
    return valid_from, valid_to is None, valid_to or ""


def _period(period: tuple[str, str | None], by_author: dict[object, PlacementRow]) -> Period:
    members = list(by_author.values())
    agreed = consensus(row.rung for row in members)
    backing = [row for row in members if row.rung == agreed.rung]
    return Period(
        valid_from=period[0],
        valid_to=period[1],
        consensus=agreed,
        economy=_most_common(row.economy for row in backing),
        viability=_most_common(row.viability for row in backing),
    )


def trajectory(rows: Iterable[PlacementRow]) -> list[Period]:
    """The case's periods in time order, each with its consensus."""
    groups = _groups(rows)
    return [_period(period, groups[period]) for period in sorted(groups, key=_order)]


def standing(rows: Iterable[PlacementRow]) -> Period | None:
    """The latest period: where the case stands now (``None`` when it has no placement).
    The last of :func:`trajectory`, with only that period's consensus worked out."""
    groups = _groups(rows)
    if not groups:
        return None
    latest = max(groups, key=_order)
    return _period(latest, groups[latest])
