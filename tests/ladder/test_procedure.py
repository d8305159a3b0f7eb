"""The decision procedure (spec §5) and its worked examples (spec §6)."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from peerladder.ladder import (
    Classification,
    FieldError,
    InvalidAnswers,
    asked_questions,
    classify,
    rung,
    viability,
)
from tests.ladder.factories import WORKED_EXAMPLES, exchange, firm, use

# -- the rung ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "answers", "number", "economy"),
    WORKED_EXAMPLES,
    ids=[case for case, *_ in WORKED_EXAMPLES],
)
def test_worked_example_gets_its_rung_and_economy(case, answers, number, economy):
    result = classify(answers)
    assert (result.rung, result.economy) == (number, economy), case
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("role", "number"),
    [("receives", 1), ("chooses", 2), ("performs_step", 3), ("customizes", 4), ("designs", 5)],
)
def test_every_firm_role_gives_its_rung(role, number):
    result = classify(firm(role))
    assert result.rung == number
    assert result.view == "firm"
    assert (result.key, result.name) == (rung(number).key, rung(number).name)


@pytest.mark.parametrize(
    ("monetization", "number"),
    [("none", 6), ("equitable", 7), ("commons_ecology", 8), ("attention", 9)],
)
@pytest.mark.parametrize("producers", ["group", "individuals"])
def test_every_monetisation_gives_its_rung_whoever_produces(monetization, number, producers):
    result = classify(use(monetization, producers))
    assert result.rung == number
    assert result.view == "community"


@pytest.mark.parametrize(("producers", "number"), [("group", 10), ("individuals", 11)])
def test_exchange_value_rung_depends_on_who_produces(producers, number):
    assert classify(exchange(producers)).rung == number


def test_any_mapping_is_accepted_not_only_a_dict():
    assert classify(MappingProxyType(firm("chooses"))).rung == 2


# -- the economy ---------------------------------------------------------------------------


@pytest.mark.parametrize("licence", [None, "commons", "proprietary", "none"])
def test_rung_9_is_the_sharing_economy_whatever_the_licence(licence):
    extra = {"output_license": licence} if licence else {}
    assert classify(use("attention", "individuals", **extra)).economy == "sharing"


@pytest.mark.parametrize("monetization", ["none", "equitable", "commons_ecology"])
def test_rungs_6_to_8_with_a_commons_licence_are_the_commons_economy(monetization):
    assert classify(use(monetization, output_license="commons")).economy == "commons"


@pytest.mark.parametrize("monetization", ["none", "equitable", "commons_ecology"])
@pytest.mark.parametrize("licence", [None, "proprietary", "none"])
def test_rungs_6_to_8_without_a_commons_licence_have_no_economy(monetization, licence):
    extra = {"output_license": licence} if licence else {}
    assert classify(use(monetization, **extra)).economy is None


@pytest.mark.parametrize("role", ["customizes", "designs"])
@pytest.mark.parametrize("pay", ["unpaid", "paid_if_chosen"])
def test_rungs_4_and_5_with_unpaid_or_pay_if_chosen_are_crowdsourcing(role, pay):
    assert classify(firm(role, contributor_pay=pay)).economy == "crowdsourcing"


@pytest.mark.parametrize("role", ["customizes", "designs"])
@pytest.mark.parametrize("pay", [None, "paid"])
def test_rungs_4_and_5_with_paid_or_unknown_pay_have_no_economy(role, pay):
    extra = {"contributor_pay": pay} if pay else {}
    assert classify(firm(role, **extra)).economy is None


@pytest.mark.parametrize("role", ["receives", "chooses", "performs_step"])
def test_rungs_1_to_3_have_no_economy_even_with_unpaid_contributors(role):
    answers = firm(role, contributor_pay="unpaid", output_license="commons")
    assert classify(answers).economy is None


@pytest.mark.parametrize("producers", ["group", "individuals"])
def test_rungs_10_and_11_have_no_economy_even_with_a_commons_licence(producers):
    answers = exchange(producers, output_license="commons", contributor_pay="unpaid")
    assert classify(answers).economy is None


def test_unpaid_contributors_do_not_make_a_community_rung_crowdsourcing():
    assert classify(use("none", contributor_pay="unpaid")).economy is None


# -- viability ----------------------------------------------------------------------------

VIABILITY_TABLE = [
    ("low", "low", "viable"),
    ("low", "medium", "marginal"),
    ("medium", "low", "marginal"),
    ("medium", "medium", "marginal"),
    ("low", "high", "not_yet"),
    ("high", "low", "not_yet"),
    ("medium", "high", "not_yet"),
    ("high", "medium", "not_yet"),
    ("high", "high", "not_yet"),
]


@pytest.mark.parametrize(("capital", "coordination", "expected"), VIABILITY_TABLE)
def test_viability_follows_the_higher_of_the_two_costs(capital, coordination, expected):
    assert viability(capital, coordination) == expected
    answers = firm("designs", capital_cost=capital, coordination_cost=coordination)
    assert classify(answers).viability == expected


@pytest.mark.parametrize(("capital", "coordination"), [(None, None), ("low", None), (None, "high")])
def test_viability_is_null_unless_both_costs_are_given(capital, coordination):
    assert viability(capital, coordination) is None
    extra = {
        k: v
        for k, v in (("capital_cost", capital), ("coordination_cost", coordination))
        if v is not None
    }
    assert classify(exchange("group", **extra)).viability is None


def test_viability_refuses_a_cost_outside_the_scale():
    with pytest.raises(ValueError, match="capital_cost"):
        viability("tiny", "low")
    with pytest.raises(ValueError, match="coordination_cost"):
        viability("low", "huge")


# -- validation ----------------------------------------------------------------------------


def errors_of(answers) -> list[FieldError]:
    with pytest.raises(InvalidAnswers) as caught:
        classify(answers)
    return caught.value.errors


def test_unknown_field_is_an_error_naming_it_with_a_suggestion():
    answers = use("none") | {"monetisation": "none"}
    [error] = errors_of(answers)
    assert error.field == "monetisation"
    assert "monetization" in error.message
    assert "monetization" in error.allowed


@pytest.mark.parametrize(
    "received", [3, 0.5, None, True, False, ["firm"], {"a": "firm"}, "", "Firm", "firms"]
)
def test_a_value_outside_the_list_is_an_error_naming_field_value_and_allowed(received):
    [error] = errors_of({"directed_by": received})
    assert error.field == "directed_by"
    assert error.received == received
    assert list(error.allowed) == ["firm", "peers"]
    assert "directed_by" in error.message
    assert "firm, peers" in error.message


def test_values_are_checked_for_unasked_fields_too():
    [error] = errors_of(firm("chooses", monetization="lots"))
    assert error.field == "monetization"
    assert error.allowed == ["none", "equitable", "commons_ecology", "attention"]


def test_null_is_refused_even_for_an_optional_field():
    [error] = errors_of(exchange("group", output_license=None))
    assert (error.field, error.received) == ("output_license", None)


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, "directed_by"),
        ({"output_license": "commons"}, "directed_by"),
        ({"directed_by": "firm"}, "participant_role"),
        ({"directed_by": "peers", "value": "exchange"}, "producers"),
        ({"directed_by": "peers", "producers": "group"}, "value"),
        ({"directed_by": "peers", "value": "use", "producers": "group"}, "monetization"),
    ],
)
def test_a_missing_required_answer_is_an_error_for_its_branch(answers, missing):
    [error] = errors_of(answers)
    assert error.field == missing
    assert error.received is None
    assert "required" in error.message
    assert error.allowed


def test_a_required_answer_message_names_the_branch():
    [error] = errors_of({"directed_by": "peers", "value": "exchange"})
    assert "directed_by = peers" in error.message


def test_all_errors_of_an_answer_set_are_reported_together():
    errors = errors_of(
        {"directed_by": "peers", "value": 7, "monetisation": "none", "capital_cost": "tiny"}
    )
    assert sorted(e.field for e in errors) == ["capital_cost", "monetisation", "producers", "value"]


def test_an_invalid_direction_does_not_invent_missing_branch_answers():
    [error] = errors_of({"directed_by": "state"})
    assert error.field == "directed_by"


@pytest.mark.parametrize(
    ("answers", "kind"),
    [([], "an array"), ("firm", "a string"), (None, "null"), (8, "a number")],
)
def test_answers_that_are_not_an_object_are_refused_clearly(answers, kind):
    [error] = errors_of(answers)
    assert error.field is None
    assert error.received == kind
    assert "object" in error.message


def test_field_error_serialises_to_the_interface_shape():
    [error] = errors_of({"directed_by": ("firm",)})
    assert error.as_dict() == {
        "field": "directed_by",
        "received": ["firm"],
        "allowed": ["firm", "peers"],
        "message": error.message,
    }
    assert json.dumps(error.as_dict())


def test_invalid_answers_is_a_value_error_with_readable_text():
    with pytest.raises(ValueError, match="directed_by"):
        classify({})


# -- warnings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "ignored"),
    [
        (firm("designs", monetization="none"), "monetization"),
        (firm("designs", value="use", producers="group"), "value"),
        (exchange("group", monetization="attention"), "monetization"),
        (use("none", participant_role="designs"), "participant_role"),
        (exchange("individuals", participant_role="chooses"), "participant_role"),
    ],
)
def test_unasked_answer_is_ignored_with_a_warning(answers, ignored):
    result = classify(answers)
    clean = classify({k: v for k, v in answers.items() if k in _asked_fields(answers)})
    assert result.rung == clean.rung
    assert result.explanation == clean.explanation
    assert any(f"'{ignored}'" in w and "ignored" in w for w in result.warnings)


def _asked_fields(answers) -> set[str]:
    return {q.field for q in asked_questions(answers)}


def test_rung_8_by_individuals_keeps_the_rung_with_a_warning():
    result = classify(use("commons_ecology", "individuals"))
    assert result.rung == 8
    [warning] = result.warnings
    assert "individuals" in warning


def test_rung_9_by_a_group_keeps_the_rung_with_a_warning():
    result = classify(use("attention", "group"))
    assert result.rung == 9
    [warning] = result.warnings
    assert "group" in warning


def test_without_unasked_answers_or_mismatch_warnings_are_empty():
    for answers in [firm("receives"), use("commons_ecology"), use("attention", "individuals")]:
        assert classify(answers).warnings == ()


def test_ignored_answers_and_a_mismatch_are_all_reported():
    result = classify(use("commons_ecology", "individuals", participant_role="designs"))
    assert len(result.warnings) == 2


# -- the explanation and the result ----------------------------------------------------------


def test_explanation_is_one_short_sentence_per_step_in_order():
    result = classify(
        use(
            "commons_ecology",
            output_license="commons",
            capital_cost="low",
            coordination_cost="medium",
        )
    )
    steps = result.explanation
    assert len(steps) == 5
    assert "peers" in steps[0]
    assert "use" in steps[1]
    assert "rung 8" in steps[2]
    assert "commons economy" in steps[3]
    assert "marginal" in steps[4]
    for step in steps:
        assert step.endswith(".") and step.count(". ") == 0 and len(step) < 140


def test_firm_explanation_names_the_rung_and_the_economy():
    steps = classify(firm("designs", contributor_pay="paid_if_chosen")).explanation
    assert "firm" in steps[0]
    assert "rung 5" in steps[1]
    assert "crowdsourcing" in steps[2]


def test_result_serialises_to_exactly_the_interface_shape():
    result = classify(WORKED_EXAMPLES[5][1])  # Linux
    data = result.as_dict()
    assert list(data) == [
        "rung",
        "key",
        "view",
        "name",
        "economy",
        "viability",
        "explanation",
        "warnings",
    ]
    assert data["rung"] == 8
    assert data["key"] == "commons-business-ecology"
    assert data["view"] == "community"
    assert data["name"] == "Commons with a business ecology"
    assert data["economy"] == "commons"
    assert data["viability"] is None
    assert isinstance(data["explanation"], list) and isinstance(data["warnings"], list)
    assert Classification.from_dict(json.loads(json.dumps(data))) == result


@pytest.mark.parametrize("broken", [{"rung": "8"}, {"rung": True}, {"economy": 3}])
def test_from_dict_refuses_a_malformed_result(broken):
    data = classify(exchange("group")).as_dict() | broken
    with pytest.raises(ValueError):
        Classification.from_dict(data)


def test_from_dict_refuses_a_result_with_missing_keys():
    with pytest.raises(ValueError, match="missing"):
        Classification.from_dict({"rung": 8})


def test_from_dict_refuses_a_non_list_explanation():
    data = classify(exchange("group")).as_dict() | {"explanation": "why"}
    with pytest.raises(ValueError, match="explanation"):
        Classification.from_dict(data)


def test_result_is_immutable():
    result = classify(firm("receives"))
    with pytest.raises(AttributeError):
        result.rung = 2  # type: ignore[misc]


# -- the guided questionnaire -----------------------------------------------------------------

OPTIONAL = ["output_license", "contributor_pay", "capital_cost", "coordination_cost"]


@pytest.mark.parametrize(
    ("partial", "fields"),
    [
        ({}, ["directed_by"]),
        ({"directed_by": "firm"}, ["directed_by", "participant_role"]),
        ({"directed_by": "peers"}, ["directed_by", "value", "producers"]),
        (
            {"directed_by": "peers", "value": "use"},
            ["directed_by", "value", "producers", "monetization"],
        ),
        ({"directed_by": "peers", "value": "exchange"}, ["directed_by", "value", "producers"]),
    ],
)
def test_asked_questions_follow_the_branch_then_the_optional_ones(partial, fields):
    assert [q.field for q in asked_questions(partial)] == fields + OPTIONAL


@pytest.mark.parametrize(
    "partial",
    [None, [], "firm", 3, {"directed_by": 5}, {"directed_by": ["firm"]}, {1: "x"}],
)
def test_asked_questions_never_raise_on_odd_partial_answers(partial):
    assert [q.field for q in asked_questions(partial)] == ["directed_by", *OPTIONAL]
