"""Consensus between placements, and Krippendorff's alpha across the catalogue (spec §7)."""

from __future__ import annotations

import itertools

import pytest

from peerladder.ladder import Consensus, consensus, krippendorff_alpha


def test_consensus_of_no_placements_is_empty_and_not_contested():
    assert consensus([]) == Consensus(
        rung=None, agreement=0.0, contested=False, candidates=(), counts={}, n=0
    )


def test_a_single_placement_is_the_consensus():
    result = consensus([8])
    assert (result.rung, result.agreement, result.contested, result.n) == (8, 1.0, False, 1)


def test_the_most_given_rung_stands():
    result = consensus([8, 8, 8, 6])
    assert result.rung == 8
    assert result.agreement == 0.75
    assert not result.contested
    assert result.candidates == (8,)
    assert result.counts == {6: 1, 8: 3}


def test_two_thirds_agreement_is_not_contested():
    result = consensus([9, 9, 8])
    assert result.rung == 9
    assert result.agreement == pytest.approx(2 / 3)
    assert not result.contested


def test_agreement_below_two_thirds_is_contested_but_keeps_the_rung():
    result = consensus([9, 9, 9, 8, 6])
    assert result.rung == 9
    assert result.agreement == 0.6
    assert result.contested


def test_a_tie_is_contested_and_not_silently_resolved():
    result = consensus([10, 6, 6, 10, 8])
    assert result.rung is None
    assert result.candidates == (6, 10)
    assert result.contested
    assert result.agreement == 0.4


def test_consensus_accepts_any_iterable():
    assert consensus(r for r in (5, 5)).rung == 5


@pytest.mark.parametrize("bad", [0, 12, "8", 8.0, True, None])
def test_consensus_refuses_what_is_not_a_rung(bad):
    with pytest.raises(ValueError, match="not a rung"):
        consensus([8, bad])


def test_consensus_serialises_to_json_ready_dict():
    assert consensus([6, 8, 8]).as_dict() == {
        "rung": 8,
        "agreement": 2 / 3,
        "contested": False,
        "candidates": [8],
        "counts": {"6": 1, "8": 2},
        "n": 3,
    }


# -- Krippendorff's alpha --------------------------------------------------------------------


def reference_alpha(units):
    """Alpha from the textbook definition: the full coincidence matrix, nominal metric."""
    pairable = [list(u) for u in units if len(u) >= 2]
    values = sorted({v for u in pairable for v in u})
    coincidence = {(c, k): 0.0 for c in values for k in values}
    for unit in pairable:
        m = len(unit)
        for i, j in itertools.permutations(range(m), 2):
            coincidence[unit[i], unit[j]] += 1 / (m - 1)
    totals = {c: sum(coincidence[c, k] for k in values) for c in values}
    n = sum(totals.values())
    observed = sum(coincidence[c, k] for c in values for k in values if c != k) / n
    expected = sum(totals[c] * totals[k] for c in values for k in values if c != k) / (n * (n - 1))
    return 1 - observed / expected


# Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C:
# nominal data, four observers, twelve units, missing values; alpha = 0.743.
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
PUBLISHED_UNITS = [
    [row[i] for row in OBSERVERS if row[i] is not None] for i in range(len(OBSERVERS[0]))
]


def test_alpha_matches_krippendorffs_published_nominal_example():
    alpha = krippendorff_alpha(PUBLISHED_UNITS)
    assert alpha == pytest.approx(0.743, abs=5e-4)
    assert alpha == pytest.approx(reference_alpha(PUBLISHED_UNITS))


def test_alpha_matches_krippendorffs_published_binary_example():
    # Same source, section A: two observers, ten units, binary values; alpha = 0.095.
    first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    alpha = krippendorff_alpha(list(zip(first, second, strict=True)))
    assert alpha == pytest.approx(0.095, abs=5e-4)


def test_units_with_a_single_value_are_left_out():
    with_single = [*PUBLISHED_UNITS, [7], []]
    assert krippendorff_alpha(with_single) == krippendorff_alpha(PUBLISHED_UNITS)


@pytest.mark.parametrize(
    "units",
    [
        [[6, 8, 8], [9, 9], [10, 11, 10, 10], [6, 6]],
        [[1, 2], [2, 1], [3, 3]],
        [[8, 8, 9, 9], [6, 7], [7, 6, 6]],
    ],
)
def test_alpha_agrees_with_the_textbook_coincidence_matrix(units):
    assert krippendorff_alpha(units) == pytest.approx(reference_alpha(units))


def test_alpha_is_one_when_all_raters_agree_on_varied_cases():
    assert krippendorff_alpha([[6, 6], [8, 8, 8], [11, 11]]) == 1.0


def test_systematic_disagreement_gives_a_negative_alpha():
    alpha = krippendorff_alpha([[6, 8], [8, 6], [6, 8], [8, 6]])
    assert alpha is not None and alpha < 0


@pytest.mark.parametrize(
    "units",
    [
        [],
        [[8]],
        [[8], [9]],  # no unit has two values
        [[8, 8], [8, 8, 8]],  # one value only: no expected disagreement
    ],
)
def test_alpha_is_undefined_without_pairable_varied_values(units):
    assert krippendorff_alpha(units) is None


def test_alpha_takes_any_hashable_values():
    units = [["a", "a"], ["b", "b"], ["a", "b"]]
    assert krippendorff_alpha(units) == pytest.approx(reference_alpha(units))


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: four
# observers, twelve units, values 1-5, some missing. Published: nominal 0.743, ordinal 0.815.
KRIPPENDORFF_EXAMPLE = [
    [1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3],
]  # fmt: skip


def test_alpha_matches_krippendorffs_worked_example():
    assert round(krippendorff_alpha(KRIPPENDORFF_EXAMPLE), 3) == 0.743
    assert round(krippendorff_alpha(KRIPPENDORFF_EXAMPLE, metric="ordinal"), 3) == 0.815


def test_reliability_reports_its_n_and_an_interval_or_says_too_few():
    from peerladder.ladder.consensus import reliability

    units = [[(f"a{i}", rung) for i, rung in enumerate(unit)] for unit in KRIPPENDORFF_EXAMPLE]
    found = reliability(units, minimum_units=10)
    assert (found.units, found.placements) == (11, 40)
    assert found.accounts == 4 and found.enough
    assert found.nominal == 0.7434 and found.ordinal == 0.8154
    low, high = found.nominal_interval
    assert low < found.nominal < high <= 1
    too_few = reliability(units[:5], minimum_units=10)
    assert not too_few.enough and too_few.nominal is None and too_few.units == 5


@pytest.mark.parametrize("bad", [[True], [1, False], [1.0], ["1"], [0], [12]])
def test_a_value_that_is_not_a_rung_is_refused_even_once_its_equal_rung_was_counted(bad):
    consensus([1])
    consensus([1, 0 + 1])  # the same rungs again: worked out once, remembered

    with pytest.raises(ValueError, match="not a rung"):
        consensus(bad)


def test_the_same_rungs_give_the_same_consensus_from_a_list_or_a_generator():
    rungs = [8, 8, 7]

    assert consensus(rungs) == consensus(rung for rung in rungs) == consensus(tuple(rungs))
    assert consensus(rungs).counts == {7: 1, 8: 2} and consensus(rungs).n == 3
