"""The model as data: rungs, economies, questions and the 2007 baseline match the spec."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from peerladder.ladder import (
    BASELINE_2007,
    ECONOMIES,
    QUESTIONS,
    RUNGS,
    Question,
    UnknownRung,
    economy,
    model_as_dict,
    question,
    rung,
)
from peerladder.ladder.procedure import classify

SPEC_RUNGS = [
    (1, "passive-consumption", "firm", "Passive consumption"),
    (2, "self-service", "firm", "Self service"),
    (3, "diy", "firm", "Do it yourself"),
    (4, "co-design", "firm", "Co-design"),
    (5, "co-creation", "firm", "Co-creation"),
    (6, "use-value-unmonetized", "community", "Peer production of use value, not monetised"),
    (7, "use-value-equitable", "community", "Peer production of use value, equitably monetised"),
    (8, "commons-business-ecology", "community", "Commons with a business ecology"),
    (9, "attention-platform", "community", "Individual sharing on attention platforms"),
    (10, "cooperative-production", "community", "Cooperative production of exchange value"),
    (11, "individual-exchange", "community", "Individual production of exchange value"),
]

SPEC_QUESTIONS = [
    ("directed_by", ("firm", "peers"), "always", False),
    (
        "participant_role",
        ("receives", "chooses", "performs_step", "customizes", "designs"),
        "directed_by = firm",
        False,
    ),
    ("value", ("use", "exchange"), "directed_by = peers", False),
    ("producers", ("group", "individuals"), "directed_by = peers", False),
    (
        "monetization",
        ("none", "equitable", "commons_ecology", "attention"),
        "directed_by = peers and value = use",
        False,
    ),
    ("output_license", ("commons", "proprietary", "none"), "optional", True),
    ("contributor_pay", ("unpaid", "paid_if_chosen", "paid"), "optional", True),
    ("capital_cost", ("low", "medium", "high"), "optional", True),
    ("coordination_cost", ("low", "medium", "high"), "optional", True),
]

ESSAY = Path(__file__).resolve().parents[3] / "shared" / "seed" / "essay-2008-peer-production.txt"


def test_rungs_are_the_eleven_of_the_spec_in_order():
    assert [(r.number, r.key, r.view, r.name) for r in RUNGS] == SPEC_RUNGS


@pytest.mark.parametrize("number", range(1, 12))
def test_rung_is_found_by_number_and_by_key(number):
    found = rung(number)
    assert found.number == number
    assert rung(found.key) is found


@pytest.mark.parametrize("bad", [0, 12, -1, "8", "no-such-rung", True, 8.0, None])
def test_a_bad_rung_number_is_refused_as_key_error_and_value_error(bad):
    with pytest.raises(KeyError):
        rung(bad)
    with pytest.raises(ValueError, match="not a rung"):
        rung(bad)
    with pytest.raises(UnknownRung):
        rung(bad)


def test_rungs_carry_the_essays_examples():
    examples = {r.number: r.examples for r in RUNGS}
    assert examples[1] == () and examples[2] == () and examples[7] == ()
    assert "IKEA" in examples[3]
    assert any("Dell" in e for e in examples[4])
    assert any("Procter & Gamble" in e for e in examples[5])
    assert {"Wikipedia", "Craigslist"} <= set(examples[6])
    assert any("Couchsurfing" in e for e in examples[6])
    assert examples[8] == ("Linux",)
    assert examples[9] == ("YouTube",)
    assert examples[10] == ("Mondragon",)
    assert examples[11] == ("eBay", "iStockphoto")


def test_economies_are_the_three_of_the_spec():
    assert [(e.key, e.typical_rungs, e.example) for e in ECONOMIES] == [
        ("sharing", (9,), "YouTube"),
        ("commons", (6, 7, 8), "Linux"),
        ("crowdsourcing", (4, 5), "Lego Factory"),
    ]
    assert economy("commons").name == "Commons economy"
    with pytest.raises(KeyError):
        economy("gift")


def test_questions_are_the_answer_schema_in_asking_order():
    assert [(q.field, q.allowed, q.required_when, q.optional) for q in QUESTIONS] == SPEC_QUESTIONS
    assert question("monetization").asked_if == (("directed_by", "peers"), ("value", "use"))


def test_a_question_is_asked_only_when_its_conditions_hold():
    monetization = question("monetization")
    assert monetization.is_asked({"directed_by": "peers", "value": "use"})
    assert not monetization.is_asked({"directed_by": "peers", "value": "exchange"})
    assert not monetization.is_asked({"directed_by": "firm"})
    assert not monetization.is_asked({})
    assert question("directed_by").is_asked({})
    assert question("capital_cost").is_asked({"directed_by": "firm"})


def test_asked_questions_are_required_and_optional_ones_never():
    for q in QUESTIONS:
        assert q.required is (not q.optional)


def test_every_choice_is_found_and_a_foreign_value_is_not():
    for q in QUESTIONS:
        for value in q.allowed:
            assert q.choice(value).value == value
        with pytest.raises(KeyError):
            q.choice("nonsense")


def texts_in_our_words() -> list[str]:
    texts = [r.definition for r in RUNGS] + [e.definition for e in ECONOMIES]
    for q in QUESTIONS:
        texts += [q.prompt, q.help, q.definition]
        texts += [c.label for c in q.values] + [c.help for c in q.values]
    texts += [b.label for b in BASELINE_2007.values()]
    return texts


def test_every_definition_is_one_or_two_sentences():
    for text in [r.definition for r in RUNGS] + [e.definition for e in ECONOMIES]:
        sentences = [s for s in re.split(r"(?<=[.;])\s+", text.strip()) if s]
        assert text.endswith("."), text
        assert 1 <= len(sentences) <= 3, text
    for q in QUESTIONS:
        assert q.prompt.endswith("?"), q.prompt
        assert q.help and q.help.endswith("."), q.help


@pytest.mark.skipif(not ESSAY.exists(), reason="the essay is not beside the repository")
def test_no_user_facing_text_copies_the_essay():
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())

    def shingles(ws: list[str], n: int = 6) -> set[tuple[str, ...]]:
        return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}

    essay = shingles(words(ESSAY.read_text(encoding="utf-8")))
    outcome = classify(
        {
            "directed_by": "peers",
            "value": "use",
            "producers": "individuals",
            "monetization": "commons_ecology",
            "participant_role": "designs",
        }
    )
    for text in [*texts_in_our_words(), *outcome.explanation, *outcome.warnings]:
        assert not shingles(words(text)) & essay, f"copied from the essay: {text}"


def test_baseline_2007_covers_both_halves_of_the_ladder():
    assert sorted(BASELINE_2007) == list(range(1, 12))
    assert {n: b.status for n, b in BASELINE_2007.items()} == {
        1: "established",
        2: "established",
        3: "established",
        4: "common",
        5: "cutting-edge",
        6: "thriving",
        7: "seed",
        8: "vibrant",
        9: "vibrant",
        10: "foothold",
        11: "one-big-success",
    }
    for n, baseline in BASELINE_2007.items():
        assert baseline.rung == n and baseline.label and baseline.quote
        assert baseline.as_dict()["source"].startswith("Michel Bauwens")


@pytest.mark.skipif(not ESSAY.exists(), reason="the essay is not beside the repository")
def test_baseline_2007_quotes_the_essay_word_for_word():
    essay = " ".join(ESSAY.read_text(encoding="utf-8").split())
    for baseline in BASELINE_2007.values():
        for fragment in baseline.quote.split(" \u2026 "):
            assert fragment.rstrip(".") in essay, f"rung {baseline.rung}: {fragment!r}"


def test_baseline_2007_cannot_be_changed():
    with pytest.raises(TypeError):
        BASELINE_2007[6] = BASELINE_2007[7]  # type: ignore[index]


def test_model_as_dict_is_json_ready_and_complete():
    model = json.loads(json.dumps(model_as_dict()))
    assert [r["number"] for r in model["rungs"]] == list(range(1, 12))
    assert set(model["rungs"][0]) >= {"number", "key", "view", "name", "definition", "examples"}
    assert [e["key"] for e in model["economies"]] == ["sharing", "commons", "crowdsourcing"]
    assert [q["field"] for q in model["questions"]] == [q[0] for q in SPEC_QUESTIONS]
    for entry, (_, values, asked_when, optional) in zip(
        model["questions"], SPEC_QUESTIONS, strict=True
    ):
        assert {"field", "prompt", "help", "values", "asked_when", "required"} <= set(entry)
        assert tuple(v["value"] for v in entry["values"]) == values
        assert all(set(v) >= {"value", "label", "help"} for v in entry["values"])
        assert entry["asked_when"] == asked_when
        assert entry["required"] is (not optional)
    assert model["baseline_2007"]["7"]["status"] == "seed"


def test_model_objects_are_immutable():
    with pytest.raises(AttributeError):
        RUNGS[0].name = "changed"  # type: ignore[misc]
    assert isinstance(QUESTIONS[0], Question)
