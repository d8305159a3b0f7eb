"""Rung suggestions: a hint from the description, narrowed by the answers."""

from __future__ import annotations

import json

import pytest

from peerladder.interchange.bundled import BUNDLED_FILE
from peerladder.ladder import InvalidAnswers
from peerladder.search.models import LearnedModel
from peerladder.search.suggest import (
    KIND,
    build_model,
    bundled_training_set,
    load_model,
    reachable_rungs,
    retrain_suggester,
    suggest_rungs,
)
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, WIKIPEDIA_ANSWERS, UserFactory, make_case


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def trained(db):
    author = UserFactory()
    texts = {
        "wiki": (WIKIPEDIA_ANSWERS, "Volunteers write a free encyclopedia together."),
        "kernel": (LINUX_ANSWERS, "A kernel that companies sell support and services around."),
        "furniture": (IKEA_ANSWERS, "Customers carry flat packs home and assemble furniture."),
    }
    for word, (answers, summary) in texts.items():
        for number in range(3):
            make_case(slug=f"{word}-{number}", author=author, answers=answers, summary=summary)
    assert retrain_suggester() == 9
    assert LearnedModel.objects.filter(kind=KIND, complete=True).count() == 1
    return texts


def total(suggestions):
    return round(sum(s["probability"] for s in suggestions), 6)


def test_the_description_points_to_the_rung_of_similar_cases(trained):
    suggestions, basis = suggest_rungs(description="customers assemble flat packs")
    assert basis == "model"
    assert suggestions[0]["rung"] == 3
    assert total(suggestions) == 1
    probabilities = [s["probability"] for s in suggestions]
    assert probabilities == sorted(probabilities, reverse=True)
    assert {s["rung"] for s in suggestions} == set(range(1, 12))


def test_partial_answers_limit_the_candidates(trained):
    suggestions, _ = suggest_rungs(
        description="customers assemble flat packs", answers={"directed_by": "peers"}
    )
    assert {s["rung"] for s in suggestions} == {6, 7, 8, 9, 10, 11}
    assert total(suggestions) == 1
    suggestions, _ = suggest_rungs(
        description="", answers={"directed_by": "peers", "value": "exchange"}
    )
    assert suggestions == [{"rung": 10, "probability": 0.5}, {"rung": 11, "probability": 0.5}]


def test_complete_answers_give_their_rung_for_certain(db):
    assert suggest_rungs(description="anything", answers=LINUX_ANSWERS) == (
        [{"rung": 8, "probability": 1.0}],
        "answers",
    )


def test_without_a_model_every_allowed_rung_is_equally_likely(db):
    suggestions, basis = suggest_rungs(description="a bakery", answers={"directed_by": "firm"})
    assert basis == "answers only"
    assert [s["rung"] for s in suggestions] == [1, 2, 3, 4, 5]
    assert total(suggestions) == 1


@pytest.mark.parametrize(
    "answers",
    [{"directed_by": "nobody"}, {"monetisation": "none"}, {"directed_by": 3}],
)
def test_unknown_fields_and_values_are_refused(db, answers):
    with pytest.raises(InvalidAnswers) as caught:
        suggest_rungs(description="x", answers=answers)
    assert caught.value.errors[0].field == next(iter(answers))


def test_unasked_answers_do_not_narrow_the_branch():
    # monetization is not asked on the firm's half, so it is ignored there.
    assert reachable_rungs({"directed_by": "firm", "monetization": "attention"}) == {1, 2, 3, 4, 5}
    assert reachable_rungs({"value": "use"}) == set(range(1, 10))


def test_too_few_rungs_to_learn_from_removes_the_model(db):
    make_case(slug="only-one")
    assert retrain_suggester() == 0
    assert not LearnedModel.objects.filter(kind=KIND).exists()


def test_the_bundled_catalogue_gives_a_training_set():
    records = [json.loads(line) for line in BUNDLED_FILE.read_text().splitlines() if line]
    texts, rungs = bundled_training_set(records)
    assert len(texts) == len(rungs) == len(records)
    assert set(rungs) <= set(range(1, 12))


@pytest.mark.parametrize("rungs", [2, 3])
def test_the_stored_model_gives_the_probabilities_of_the_fitted_pipeline(db, rungs):
    answer_sets = [WIKIPEDIA_ANSWERS, LINUX_ANSWERS, IKEA_ANSWERS][:rungs]
    words = ["volunteers write encyclopedia", "kernel support services", "flat packs assemble"]
    for number, (answers, text) in enumerate(zip(answer_sets, words, strict=False)):
        for copy in range(3):
            make_case(slug=f"case-{number}-{copy}", answers=answers, summary=f"{text} {copy}")
    retrain_suggester()
    from peerladder.search.suggest import training_set

    pipeline = build_model().fit(*training_set())
    stored = load_model()
    for description in ["volunteers assemble kernel", "encyclopedia", "nothing known here"]:
        probabilities = pipeline.predict_proba([description])[0]
        expected = dict(zip(pipeline.classes_, probabilities, strict=True))
        found = stored.probabilities(description)
        assert found.keys() == expected.keys()
        for rung, probability in expected.items():
            assert found[rung] == pytest.approx(probability, abs=1e-5)
