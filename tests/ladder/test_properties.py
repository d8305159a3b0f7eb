"""Properties of the procedure and of consensus that hold for every input."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from peerladder.ladder import (
    QUESTIONS,
    RUNGS,
    Classification,
    InvalidAnswers,
    asked_questions,
    classify,
    consensus,
    krippendorff_alpha,
    question,
)

FIELDS = [q.field for q in QUESTIONS]
OPTIONAL = [q for q in QUESTIONS if q.optional]


@st.composite
def complete_answers(draw: st.DrawFn) -> dict[str, str]:
    """A complete, valid answer set: every asked question answered, optional ones at will."""
    answers: dict[str, str] = {}
    while True:
        unanswered = [
            q for q in asked_questions(answers) if not q.optional and q.field not in answers
        ]
        if not unanswered:
            break
        answers[unanswered[0].field] = draw(st.sampled_from(unanswered[0].allowed))
    for q in OPTIONAL:
        if draw(st.booleans()):
            answers[q.field] = draw(st.sampled_from(q.allowed))
    order = draw(st.permutations(list(answers)))
    return {field: answers[field] for field in order}


def unasked_fields(answers: dict[str, str]) -> list[str]:
    asked = {q.field for q in asked_questions(answers)}
    return [field for field in FIELDS if field not in asked]


not_allowed_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.sampled_from(["firm", "peers", "use"]), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(complete_answers())
def test_every_complete_valid_answer_set_gives_exactly_one_rung(answers):
    result = classify(answers)
    assert 1 <= result.rung <= 11
    matching = [r for r in RUNGS if r.number == result.rung]
    assert len(matching) == 1
    assert (result.key, result.view, result.name) == (
        matching[0].key,
        matching[0].view,
        matching[0].name,
    )
    assert result.explanation and all(isinstance(s, str) for s in result.explanation)


@given(complete_answers(), st.sampled_from(FIELDS), not_allowed_values)
def test_an_unknown_value_in_any_field_gives_an_error_naming_that_field(answers, field, value):
    if isinstance(value, str) and value in question(field).allowed:
        value = value + "?"
    answers = answers | {field: value}
    try:
        classify(answers)
    except InvalidAnswers as invalid:
        assert field in [error.field for error in invalid.errors]
    else:
        raise AssertionError(f"{field}={value!r} was accepted")


@given(complete_answers(), st.text(min_size=1, max_size=20))
def test_an_unknown_field_name_gives_an_error_naming_it(answers, name):
    if name in FIELDS:
        name = name + "_"
    try:
        classify(answers | {name: "x"})
    except InvalidAnswers as invalid:
        assert name in [error.field for error in invalid.errors]
    else:
        raise AssertionError(f"field {name!r} was accepted")


@given(complete_answers(), st.data())
def test_unasked_answers_never_change_the_result_and_only_add_warnings(answers, data):
    base = classify(answers)
    extra_fields = unasked_fields(answers)
    chosen = data.draw(st.lists(st.sampled_from(extra_fields), unique=True)) if extra_fields else []
    extra = {field: data.draw(st.sampled_from(question(field).allowed)) for field in chosen}
    result = classify(answers | extra)
    assert (result.rung, result.economy, result.viability, result.explanation) == (
        base.rung,
        base.economy,
        base.viability,
        base.explanation,
    )
    assert set(base.warnings) <= set(result.warnings)
    assert len(result.warnings) == len(base.warnings) + len(extra)


@given(complete_answers())
def test_a_result_serialises_to_json_and_back_unchanged(answers):
    result = classify(answers)
    text = json.dumps(result.as_dict())
    assert Classification.from_dict(json.loads(text)) == result
    assert json.loads(text) == result.as_dict()


@given(complete_answers())
def test_key_order_never_matters(answers):
    assert classify(dict(reversed(list(answers.items())))) == classify(answers)


rung_numbers = st.integers(min_value=1, max_value=11)


@given(st.lists(rung_numbers, min_size=1, max_size=30))
def test_consensus_is_consistent_with_the_counts(rungs):
    result = consensus(rungs)
    counts = Counter(rungs)
    top = max(counts.values())
    assert result.n == len(rungs)
    assert result.counts == dict(counts)
    assert result.agreement == top / len(rungs)
    assert set(result.candidates) == {r for r, c in counts.items() if c == top}
    if result.rung is not None:
        assert result.candidates == (result.rung,)


@given(st.lists(rung_numbers, min_size=2, max_size=11, unique=True), st.integers(1, 5))
def test_consensus_ties_are_contested_and_unresolved(tied, times):
    result = consensus(tied * times)
    assert result.contested
    assert result.rung is None
    assert result.candidates == tuple(sorted(tied))


@given(
    st.lists(st.integers(min_value=1, max_value=11), min_size=2, max_size=20).filter(
        lambda values: len(set(values)) > 1
    ),
    st.integers(min_value=2, max_value=6),
)
def test_alpha_is_one_when_all_raters_agree_on_varied_units(values, raters):
    units = [[value] * raters for value in values]
    assert krippendorff_alpha(units) == 1.0


@given(st.lists(st.lists(st.integers(1, 11), max_size=5), max_size=20))
def test_alpha_is_undefined_or_at_most_one(units):
    alpha = krippendorff_alpha(units)
    assert alpha is None or alpha <= 1.0 + 1e-12
