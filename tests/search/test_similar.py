"""Similar cases: built on demand by a command, never while a page waits."""

from __future__ import annotations

import numpy as np
import pytest

from peerladder.catalogue.models import Case
from peerladder.search import similar, store
from peerladder.search.models import LearnedModel
from peerladder.search.similar import rebuild_similar, similar_cases
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def catalogue():
    author = UserFactory()
    make_case(
        slug="wikipedia",
        author=author,
        name="Wikipedia",
        summary="A free online encyclopedia written by volunteers.",
    )
    make_case(
        slug="wiktionary",
        author=author,
        name="Wiktionary",
        summary="A free online dictionary written by volunteers.",
    )
    make_case(
        slug="linux",
        author=author,
        name="Linux",
        answers=LINUX_ANSWERS,
        summary="An operating system kernel with companies around it.",
    )
    make_case(
        slug="ikea",
        author=author,
        name="IKEA",
        answers=IKEA_ANSWERS,
        summary="Flat-pack furniture that customers assemble.",
        sector="manufacturing",
    )


def test_without_an_index_the_answer_is_empty_and_says_not_built(catalogue):
    found = similar_cases(Case.objects.get(slug="wikipedia"))
    assert found.built is False
    assert found.results == []
    assert not LearnedModel.objects.exists()  # asking never builds it


def test_the_most_similar_case_comes_first_and_the_case_itself_never(catalogue):
    assert rebuild_similar() == 4
    found = similar_cases(Case.objects.get(slug="wikipedia"), limit=3)
    assert found.built
    names = [case.slug for case, _ in found.results]
    assert names[0] == "wiktionary"
    assert "wikipedia" not in names
    scores = [score for _, score in found.results]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_a_case_added_after_the_build_still_gets_neighbours(catalogue):
    rebuild_similar()
    newcomer = make_case(
        slug="wikivoyage",
        name="Wikivoyage",
        summary="A free online travel guide written by volunteers.",
    )
    slugs = [case.slug for case, _ in similar_cases(newcomer).results]
    assert slugs[:2] == ["wikipedia", "wiktionary"] or slugs[:2] == ["wiktionary", "wikipedia"]


def test_archived_cases_are_not_offered(catalogue):
    rebuild_similar()
    Case.objects.filter(slug="wiktionary").update(archived=True)
    slugs = [case.slug for case, _ in similar_cases(Case.objects.get(slug="wikipedia")).results]
    assert "wiktionary" not in slugs


def test_a_rebuild_is_picked_up_by_a_running_process(catalogue):
    rebuild_similar()
    wikipedia = Case.objects.get(slug="wikipedia")
    before = similar_cases(wikipedia).built_at
    store.forget()  # as another process would, once its check interval is over
    make_case(slug="wikinews", name="Wikinews", summary="A free online news site by volunteers.")
    rebuild_similar()
    assert "wikinews" in [case.slug for case, _ in similar_cases(wikipedia).results]
    assert similar_cases(wikipedia).built_at >= before


def test_an_empty_catalogue_builds_nothing():
    assert rebuild_similar() == 0
    assert not LearnedModel.objects.exists()


def test_a_damaged_stored_index_counts_as_not_built(catalogue):
    rebuild_similar()
    LearnedModel.objects.update(digest="0" * 64)
    store.forget()
    assert similar_cases(Case.objects.get(slug="linux")).built is False


def test_the_index_is_mapped_from_one_file_per_server_not_copied(catalogue, data_dir):
    rebuild_similar()
    assert not list((data_dir / "models").glob("similar-*"))  # fetched only when asked
    index = similar.load_index()
    assert index is not None
    assert isinstance(index.weights, np.memmap) and not index.weights.flags.writeable
    assert len(list((data_dir / "models").glob("similar-*"))) == 1
