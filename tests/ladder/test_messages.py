"""Every text of the ladder has a message key, and English stays exactly as it was."""

from __future__ import annotations

import re

import pytest

from peerladder.ladder import (
    BASELINE_2007,
    ECONOMIES,
    NO_ECONOMY_NAME,
    QUESTIONS,
    RUNGS,
    Message,
    classify,
    english,
    ladder_messages,
    model_as_dict,
)
from peerladder.ladder import procedure as procedure_module
from tests.ladder.factories import WORKED_EXAMPLES

_PARAM = re.compile(r"\{(\w+)\}")


def shout(key: str, text: str) -> str:
    """A stand-in language: every text in capitals, its placeholders kept."""
    return _PARAM.sub(lambda m: "{" + m.group(1).lower() + "}", text.upper())


def every_text_of_the_model() -> list[str]:
    texts = [NO_ECONOMY_NAME, "Firm view", "Community view"]
    for r in RUNGS:
        texts += [r.name, r.definition, *r.examples]
    for e in ECONOMIES:
        texts += [e.name, e.definition, e.example, e.condition]
    for q in QUESTIONS:
        texts += [q.prompt, q.help]
        for c in q.values:
            texts += [c.label, c.help, *c.examples]
    for b in BASELINE_2007.values():
        texts += [b.label, b.quote]
    return texts


def test_every_text_of_the_model_has_a_message():
    templates = {m.template for m in ladder_messages()}
    missing = [text for text in every_text_of_the_model() if text not in templates]
    assert not missing


def test_message_keys_are_unique_and_name_what_they_are():
    keys = [m.key for m in ladder_messages()]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9_.\-]+", key) for key in keys)
    assert {"rung.8.name", "economy.commons.condition", "question.monetization.prompt"} <= set(keys)


def all_outcomes():
    for table in ("_FIRM_TABLE", "_USE_TABLE", "_EXCHANGE_TABLE"):
        yield from getattr(procedure_module, table).values()


def test_every_explanation_and_warning_is_its_messages_in_english():
    for result in all_outcomes():
        assert result.explanation == tuple(str(m) for m in result.explanation_messages)
        assert result.warnings == tuple(str(m) for m in result.warning_messages)


def test_every_step_the_procedure_can_say_is_in_the_catalogue():
    templates = {(m.key, m.template) for m in ladder_messages()}
    for result in all_outcomes():
        for message in (*result.explanation_messages, *result.warning_messages):
            for part in message.templates():
                assert (part.key, part.template) in templates


def test_unasked_answers_warn_with_messages_too():
    result = classify({"directed_by": "firm", "participant_role": "receives", "value": "use"})
    assert [m.key for m in result.warning_messages] == ["procedure.warning.unasked"]
    assert result.warnings == (
        "'value' is only asked when directed_by = peers, so the answer 'use' was ignored.",
    )


def test_english_is_the_default_and_leaves_everything_as_it_was():
    assert model_as_dict() == model_as_dict(english)
    for _, answers, _, _ in WORKED_EXAMPLES:
        result = classify(answers)
        assert result.as_dict(english) == result.as_dict()
        assert result.translated(english) is result
    assert "quote_translation" not in model_as_dict()["baseline_2007"]["6"]


def test_english_explanations_keep_their_wording():
    result = classify(
        {
            "directed_by": "firm",
            "participant_role": "designs",
            "contributor_pay": "paid_if_chosen",
            "capital_cost": "low",
            "coordination_cost": "high",
        }
    )
    assert result.explanation == (
        "The firm decides what is made, so the case is on the firm's half of the ladder "
        "(rungs 1-5).",
        "Participants take part in designing the product itself: rung 5, Co-creation.",
        "Contributors are paid only when their work is chosen, so the case belongs to the "
        "crowdsourcing economy.",
        "Capital cost is low and coordination cost is high, so the same output could not "
        "yet be peer-produced.",
    )


def test_another_language_changes_texts_but_never_keys_numbers_or_values():
    english_model, shouted = model_as_dict(), model_as_dict(shout)
    assert [r["number"] for r in shouted["rungs"]] == [r["number"] for r in english_model["rungs"]]
    assert [r["key"] for r in shouted["rungs"]] == [r["key"] for r in english_model["rungs"]]
    assert shouted["rungs"][7]["name"] == "COMMONS WITH A BUSINESS ECOLOGY"
    for shouted_q, english_q in zip(shouted["questions"], english_model["questions"], strict=True):
        assert shouted_q["field"] == english_q["field"]
        assert [c["value"] for c in shouted_q["values"]] == [
            c["value"] for c in english_q["values"]
        ]
        assert shouted_q["asked_if"] == english_q["asked_if"]
        assert shouted_q["prompt"] == english_q["prompt"].upper()
    assert shouted["viability"] == english_model["viability"]
    assert [v["key"] for v in shouted["views"]] == ["firm", "community"]


def test_the_essays_words_stay_english_with_their_translation_beside_them():
    baseline = model_as_dict(shout)["baseline_2007"]["6"]
    assert baseline["quote"] == BASELINE_2007[6].quote
    assert baseline["quote_translation"] == BASELINE_2007[6].quote.upper()
    assert baseline["label"] == BASELINE_2007[6].label.upper()
    shown = BASELINE_2007[6].translated(shout)
    assert shown.quote == BASELINE_2007[6].quote and shown.translation.isupper()


def test_a_quote_not_yet_translated_has_no_translation_beside_it():
    def only_labels(key: str, text: str) -> str:
        return text if key.endswith(".quote") else text.upper()

    assert "quote_translation" not in model_as_dict(only_labels)["baseline_2007"]["6"]
    assert BASELINE_2007[6].translated(only_labels).translation == ""


def test_a_classification_is_translated_part_by_part():
    result = classify({"directed_by": "peers", "value": "exchange", "producers": "group"})
    shown = result.translated(shout)
    assert (shown.rung, shown.key, shown.view, shown.economy) == (10, result.key, "community", None)
    assert shown.name == result.name.upper()
    # Nested messages are translated too: the rung's name inside the step.
    assert shown.explanation[2] == result.explanation[2].upper()
    assert shown.as_dict()["explanation"] == [step.upper() for step in result.explanation]


def test_numbers_and_values_in_a_template_are_never_translated():
    message = Message(
        "procedure.warning.unasked",
        "'{field}' is only asked when {asked_when}, so the answer '{value}' was ignored.",
        (("field", "value"), ("asked_when", "directed_by = peers"), ("value", "use")),
    )
    assert message.render(shout) == (
        "'value' IS ONLY ASKED WHEN directed_by = peers, SO THE ANSWER 'use' WAS IGNORED."
    )
    assert message.as_dict()["params"] == {
        "field": "value",
        "asked_when": "directed_by = peers",
        "value": "use",
    }


@pytest.mark.parametrize("broken", ["{action} {nombre}", "{0}", "{action"])
def test_a_translation_that_breaks_a_placeholder_falls_back_to_english(broken):
    step = classify({"directed_by": "firm", "participant_role": "chooses"}).explanation_messages[1]
    assert step.render(lambda key, text: broken if key == "procedure.step.rung" else text) == str(
        step
    )
