"""The viability step of an explanation says what the value means on its half."""

from __future__ import annotations

from peerladder.ladder import classify

LOW = {"capital_cost": "low", "coordination_cost": "low"}


def test_on_a_firm_rung_the_step_says_whether_the_output_could_be_peer_produced():
    result = classify({"directed_by": "firm", "participant_role": "receives", **LOW})
    assert result.rung == 1 and result.viability == "viable"
    assert result.explanation[-1].endswith("so the same output could be peer-produced.")
    assert not any("peer production is viable" in step for step in result.explanation)


def test_on_a_community_rung_the_step_says_whether_peer_production_is_viable():
    result = classify({"directed_by": "peers", "value": "exchange", "producers": "group", **LOW})
    assert result.viability == "viable"
    assert result.explanation[-1].endswith("so peer production is viable.")


def test_the_value_itself_is_the_same_on_both_halves():
    high = {"capital_cost": "high", "coordination_cost": "low"}
    firm = classify({"directed_by": "firm", "participant_role": "designs", **high})
    peers = classify({"directed_by": "peers", "value": "exchange", "producers": "group", **high})
    assert firm.viability == peers.viability == "not_yet"
    assert "could not yet be peer-produced" in firm.explanation[-1]
    assert "peer production is not yet viable" in peers.explanation[-1]
