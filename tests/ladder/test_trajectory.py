"""Trajectory and standing from placement rows (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peerladder.ladder.trajectory import PlacementRow, standing, trajectory


def row(valid_from="2001", valid_to=None, rung=8, economy="commons", viability=None):
    return PlacementRow(valid_from, valid_to, rung, economy, viability)


def test_one_placement_is_the_standing_with_full_agreement():
    latest = standing([row(viability="viable")])
    assert (latest.rung, latest.economy, latest.viability) == (8, "commons", "viable")
    assert latest.consensus.agreement == 1.0 and not latest.consensus.contested


def test_economy_is_the_majority_among_the_backing_placements_and_none_on_a_tie():
    assert standing([row(), row(), row(economy="sharing")]).economy == "commons"
    assert standing([row(), row(economy="sharing")]).economy is None
    # A placement on another rung does not back the consensus, so its economy is not counted.
    assert standing([row(), row(), row(rung=3, economy=None)]).economy == "commons"


def test_periods_are_in_time_order_with_open_periods_last_on_the_same_day():
    periods = trajectory([row("2005"), row("1999", "2005", rung=3), row("2005", "2006", rung=4)])
    assert [(p.valid_from, p.valid_to) for p in periods] == [
        ("1999", "2005"),
        ("2005", "2006"),
        ("2005", None),
    ]
    assert standing([]) is None


def test_one_account_counts_once_per_period_its_latest_placement_standing():
    rows = [
        PlacementRow("2001", None, 6, "commons", None, "ada"),
        PlacementRow("2001", None, 8, "commons", None, "bob"),
        PlacementRow("2001", None, 8, "commons", None, "ada"),  # ada changed her mind
    ]
    latest = standing(rows)
    assert latest.rung == 8 and latest.consensus.n == 2 and not latest.consensus.contested
    again = standing([*rows, PlacementRow("2001", None, 8, "commons", None, "bob")])
    assert again.consensus.n == 2


_days = st.sampled_from(["2001", "2001-06", "2005", "2010-01-01", ""])
_rows = st.lists(
    st.builds(
        PlacementRow,
        valid_from=st.sampled_from(["2001", "2001-06", "2005"]),
        valid_to=st.one_of(st.none(), _days),
        rung=st.integers(1, 11),
        economy=st.sampled_from([None, "sharing", "commons"]),
        viability=st.sampled_from([None, "viable", "strained"]),
        author=st.sampled_from([None, "ana", "ben", 7]),
    ),
    max_size=8,
)


@given(_rows)
def test_the_standing_is_the_last_period_of_the_trajectory(rows):
    periods = trajectory(rows)

    assert standing(rows) == (periods[-1] if periods else None)
    starts = [(p.valid_from, p.valid_to is None, p.valid_to or "") for p in periods]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
